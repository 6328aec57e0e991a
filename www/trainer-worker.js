// The training worker: owns the students that learn (the page keeps mirrors that only draw), trains
// them as fast as the speed control allows, and posts their progress, evaluations and errors.
import { Playground, lastPanic, noteTrap, ready } from './playground.js';

/** Milliseconds of training between two posts at full speed (the page draws at most ~60 times a second). */
const SLICE_MS = 14;
const MAX_STEPS_PER_SLICE = 4000;
/** At full speed, progress is posted at most this often (the page draws it at most every 50 ms). */
const FULL_SPEED_POST_MS = 45;
/** Steps per slice of a long `train` call from the page (see `call`). */
const CALL_SLICE = 1000;
/** A paced frame older than this is dropped (see `frame`). */
const STALE_FRAME_MS = 250;
/** The most time one paced frame trains for: the steps it still owes after that are dropped (the
 * worker cannot keep the pace, e.g. while a new student's first steps label fresh training maps,
 * slow before the wasm is optimised), so progress reaches the page at least this often. */
const FRAME_WORK_MS = 40;
/** The ledger and held-out success are measured this often (each takes tens of milliseconds). */
const EVALUATE_EVERY_MS = 1500;
/** New students train this long before their first evaluation, which is slow (the teacher's
 * held-out rollouts are measured once, about half a second), so the first trained frame comes at once. */
const FIRST_EVALUATION_AFTER_MS = 300;

const state = {
  students: [], // [{ playground, then, thenAt }]
  playing: true,
  /** Limited speed: the page sends each frame's steps (`frame`); false: as many as fit (full speed). */
  limited: false,
  /** The run's budget: training stops when every student has reached this step (null: no limit). */
  stopAt: null,
  /** Steps per slice at full speed, adapted so a slice takes about SLICE_MS. */
  stepsPerSlice: 8,
  /** Commands handled so far: the page ignores progress older than its last command. */
  processed: 0,
  /** When the last evaluation ran (none yet: the first comes soon after the first student arrives). */
  lastEvaluation: Infinity,
  /** Progress posted since the students last changed: the first evaluation (slow: the teacher's
   * held-out maps) waits until a trained step has reached the page, so training shows at once. */
  trainedPosts: 0,
  scheduled: false,
  /** When progress was last posted by a full-speed slice. */
  lastPost: -Infinity,
};

const channel = new MessageChannel();
channel.port1.onmessage = () => {
  state.scheduled = false;
  runSlice();
};

/** Runs the next slice soon, after any waiting messages (a zero-delay yield to the event loop). */
function schedule() {
  if (state.scheduled || !state.playing || state.limited || state.students.length === 0) return;
  state.scheduled = true;
  channel.port2.postMessage(null);
}

function addStudent({ settings, then = null, steps = 0 }) {
  state.trainedPosts = 0;
  state.students.push({ playground: new Playground(settings), then, thenAt: then ? steps : null, step: 0 });
  evaluateSoon();
}

/** Whether every student has reached the run's budget. */
function atBudget() {
  return state.stopAt !== null && state.students.every((student) => student.step >= state.stopAt);
}

/** The next evaluation comes after FIRST_EVALUATION_AFTER_MS more of training, not before it. */
function evaluateSoon() {
  state.lastEvaluation = Math.min(state.lastEvaluation, performance.now() - EVALUATE_EVERY_MS + FIRST_EVALUATION_AFTER_MS);
}

function freeAll() {
  for (const student of state.students) student.playground.free();
  state.students = [];
}

/** Trains every student `steps` steps, none past the run's budget unless `pastBudget` (a single
 * step asked for); a student whose second phase is due switches to it. Returns their reports. */
function train(steps, pastBudget = false) {
  return state.students.map((student, index) => {
    const left = state.stopAt === null || pastBudget ? steps : Math.max(0, Math.min(steps, state.stopAt - student.step));
    const report = student.playground.train(left);
    student.step = report.step;
    if (student.then && report.step >= student.thenAt) {
      student.playground.set(student.then);
      self.postMessage({ type: 'applied', index, update: student.then });
      student.then = null;
    }
    return report;
  });
}

function post(evaluate = false) {
  const now = performance.now();
  const trained = state.students.some((student) => student.step > 0);
  const measure = evaluate || (state.trainedPosts > 0 && now - state.lastEvaluation > EVALUATE_EVERY_MS);
  if (trained) state.trainedPosts += 1;
  if (measure) state.lastEvaluation = now;
  const students = state.students.map(({ playground }) => ({
    snapshot: playground.snapshot(),
    evaluation: measure ? playground.evaluate() : null,
  }));
  self.postMessage({ type: 'progress', processed: state.processed, students }, students.map((s) => s.snapshot.buffer));
}

function runSlice() {
  if (!state.playing || state.students.length === 0) return;
  guard(() => {
    const started = performance.now();
    const reports = train(state.stepsPerSlice);
    const elapsed = performance.now() - started;
    if (elapsed < SLICE_MS * 0.7) state.stepsPerSlice = Math.min(MAX_STEPS_PER_SLICE, Math.ceil(state.stepsPerSlice * 1.25));
    else if (elapsed > SLICE_MS) state.stepsPerSlice = Math.max(1, Math.floor(state.stepsPerSlice * 0.7));
    const stopping = reports.some((report) => report.diverged) || atBudget();
    // The last progress of a run that stops is measured, so the page ends on the final figures.
    // Otherwise progress goes out at most every FULL_SPEED_POST_MS (the page draws it no oftener).
    const now = performance.now();
    if (stopping || now - state.lastPost >= FULL_SPEED_POST_MS) {
      state.lastPost = now;
      post(stopping);
    }
    if (stopping) state.playing = false;
  });
  schedule();
}

/** An error as the page can say it in its language: the English message, and the core's catalogue
 * `key`, `args` and `field` when it has them (www/i18n.js, crate/src/messages.rs). */
function errorForPost(error, key) {
  return { message: String(error?.message ?? error), key: error?.key ?? key, args: error?.args ?? (key ? { reason: String(error?.message ?? error) } : undefined), field: error?.field };
}

/** Runs `work`; an error (or a Rust panic, or a WebAssembly trap) is posted to the page, which
 * shows it and pauses. After a panic or trap the module is unusable: nothing more runs, and the
 * page keeps the first message rather than the errors every later call would raise. */
function guard(work) {
  if (lastPanic()) return;
  try {
    work();
  } catch (error) {
    state.playing = false;
    noteTrap(error);
    self.postMessage({ type: 'error', error: errorForPost(error), panic: lastPanic() ?? null });
  }
}

const COMMANDS = {
  /** Replaces every student; `playing` is the page's Play state, which the new students take (the
   * worker may have paused itself at the old run's budget before the page heard of it). */
  students({ arms, playing }) {
    freeAll();
    state.playing = playing;
    arms.forEach(addStudent);
    // New students' first steps can be slow (each batch may label training maps that no step has
    // drawn yet), so the first slice is one step: its progress reaches the page at once, and the
    // slices grow from there.
    state.stepsPerSlice = 1;
    // At a limited pace the first step is taken at once, not at the page's next frame (which can be
    // a few hundred ms away while the page builds its views): the first trained frame waits for it.
    if (state.playing && state.limited && !atBudget()) train(1);
    post();
  },
  add({ arm }) {
    addStudent(arm);
    post();
  },
  clearCompanions() {
    for (const student of state.students.slice(1)) student.playground.free();
    state.students = state.students.slice(0, 1);
    post(true);
  },
  /** A change the page made to its mirror of student `index`: set, editMap, loadStudent, train. */
  async call({ index, method, args }) {
    const student = state.students[index];
    if (method === 'train' && args[0] > CALL_SLICE) {
      // A long request from the page's console: in slices, posting progress after each, so the
      // page draws it and other commands (pause, reset) are read in between.
      const playground = student.playground;
      for (let left = args[0]; left > 0 && !lastPanic() && state.students[index]?.playground === playground; left -= CALL_SLICE) {
        guard(() => {
          playground.train(Math.min(CALL_SLICE, left));
          student.step = playground.step;
          post();
        });
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return;
    }
    student.playground[method](...args);
    student.step = student.playground.report().step; // a new map or a loaded student starts again
    if (method !== 'train') evaluateSoon();
    post(!state.playing && method !== 'train');
  },
  play({ playing }) {
    state.playing = playing;
    post();
  },
  speed({ limited }) {
    state.limited = limited;
    post();
  },
  /** The run's budget: stop when every student reaches step `stopAt` (null: never). */
  budget({ stopAt }) {
    state.stopAt = stopAt;
    post();
  },
  /** One page frame at a limited speed: train the `steps` the page's pace gives this frame, for at
   * most `FRAME_WORK_MS`. A frame that waited over `STALE_FRAME_MS` (the worker was busy, e.g.
   * labelling training maps) is dropped, so the pace never catches up in a burst afterwards.
   * `sentAt`: the page's clock, ms since the epoch (`performance.timeOrigin + performance.now()`,
   * comparable across threads). */
  frame({ steps, sentAt }) {
    const now = performance.now();
    if (sentAt !== undefined && performance.timeOrigin + now - sentAt > STALE_FRAME_MS) return;
    if (state.playing && state.limited && !atBudget()) {
      if (steps > 1 && state.students.every((student) => student.step === 0)) {
        // New students: their first step is shown before the rest of the frame's (see `students`).
        train(1);
        post();
        steps -= 1;
      }
      // In doubling chunks, stopping once FRAME_WORK_MS have passed (see FRAME_WORK_MS).
      const started = performance.now();
      for (let chunk = 1; steps > 0 && !atBudget() && performance.now() - started < FRAME_WORK_MS; chunk *= 2) {
        train(Math.min(chunk, steps));
        steps -= chunk;
      }
      const done = atBudget();
      post(done);
      if (done) state.playing = false;
    }
  },
  step() {
    state.playing = false;
    train(1, true);
    post(true);
  },
};

/** Questions whose answers only the trainer has (its replay buffer): answered, never mirrored. */
const QUESTIONS = {
  exportDataset: (index, format) => state.students[index].playground.exportDataset(format),
};

/** The page's first message, `{type: 'start', shared}`: its compiled wasm and the teacher's bytes
 * (`sendShared` in www/wasm-source.js), or null to fetch and compile them here. Commands that
 * come before it wait for it. */
let begin;
const started = new Promise((resolve) => { begin = resolve; })
  .then((shared) => ready(shared ?? {}))
  .catch((error) => {
    self.postMessage({ type: 'error', error: errorForPost(error, 'worker.startFailed'), panic: null });
  });

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === 'start') {
    begin(message.shared);
    return;
  }
  await started;
  if (message.type === 'ask') {
    try {
      const answer = QUESTIONS[message.question](...message.args);
      self.postMessage({ type: 'answer', id: message.id, answer });
    } catch (error) {
      self.postMessage({ type: 'answer', id: message.id, error: errorForPost(error) });
    }
    return;
  }
  if (message.type !== 'frame') state.processed = message.id;
  guard(() => COMMANDS[message.type](message));
  schedule();
};
