// The page: loads the wasm module, keeps a mirror of each student (window.playground is the main
// one) that adopts the training worker's progress every frame, and draws. Controls change the main student.
import { configFromLink, lastPanic, lessons, linkFromConfig, noteTrap, ready, scenarios } from './playground.js';
import { CONTROLS, watchControls, writeControl } from './controls.js';
import { clearLedger, drawBars, fillCellTable, fillLedger, fixed, formatLoss, showKeyFigures, showPipeline, showStats } from './panels.js';
import { measureCompression } from './compression.js';
import { initLessons } from './lessons.js';
import { applyEmbed } from './embed.js';
import { Curves, download } from './curves.js';
import { Students } from './students.js';
import { Trainer } from './trainer.js';
import { cellAt, Editor } from './editor.js';
import { Episodes } from './episodes.js';
import { explainControls } from './explanations.js';
import { Tour } from './tour.js';
import { finetuneNote } from './finetune-note.js';
import { settingsLine, slidePng } from './slide.js';

const CURVE_EVERY_MS = 250;

/** The run's budget when the page opens (steps); a scenario's budget is its own length. */
const DEFAULT_BUDGET = 3000;
/** What the page opens on without a link, over the defaults: the student learns across 1,024 random maps. */
const FIRST_VIEW = { trainMaps: 1024 };

const state = {
  playing: true,
  /** The run stops when every student reaches this step (null: no budget); "Keep training" adds
   * the budget field's steps to it. */
  stopAt: DEFAULT_BUDGET,
  /** The limited pace's steps owed but not yet trained (fractions carry over between frames). */
  owed: 0,
  lastFrameAt: null,
  /** The main student's newest ledger (kept after it is drawn). */
  lastLedger: null,
  /** While RL fine-tuning: {startStep, before} (the success on this map when it started), else null. */
  finetune: null,
  selected: null,
  lastCurve: 0,
  /** Each student's newest evaluation (ledger, held-out success) from the worker, not yet drawn. */
  evaluations: [],
  heldout: [],
  scenarios: [],
};
window.__frames = 0;
/** Evaluations (ledger, held-out success) received from the training worker: tests wait on it. */
window.__evaluations = 0;
/** performance.now() of the first frame drawn after training began (`npm run bench` reads it). */
window.__firstTrainedFrameMs = null;
let students;
let curves;
let episodes;
let trainer;

const $ = (id) => document.getElementById(id);

function showError(error) {
  if (document.body.classList.contains('crashed')) return; // the first cause stays on screen
  if (error) noteTrap(error);
  const panic = error ? lastPanic() : null;
  const text = panic
    ? `The playground hit an internal error and stopped: ${panic}. Reload the page to start again (your settings are in the controls).`
    : error ? String(error.message ?? error) : '';
  $('error').textContent = text;
  $('error').hidden = !error;
  if (panic) {
    console.error(`distill-playground stopped after a Rust panic: ${panic}`);
    document.body.classList.add('crashed');
  }
}

/** Keeps the address bar's fragment equal to the main student's settings (shareable). */
function updateLink() {
  const fragment = linkFromConfig(window.playground.config());
  if (location.hash.slice(1) !== fragment) history.replaceState(null, '', `#${fragment}`);
}

function syncControls() {
  const config = window.playground.config();
  for (const control of CONTROLS) writeControl(control, config[control.field]);
  unfoldChanged(config);
  updateLink();
  const tuning = config.phase === 'finetune';
  $('finetune').textContent = tuning ? 'Back to distillation' : 'Start RL fine-tuning';
  $('finetune').setAttribute('aria-pressed', String(tuning));
}

/** Opens a folded group of settings when one of them is not at its default (e.g. a scenario or a
 * link set it), so no setting that shapes the run is out of sight. */
let defaultConfig = null;
function unfoldChanged(config) {
  defaultConfig ??= configFromLink('').config;
  for (const fold of document.querySelectorAll('#stages details.more')) {
    const changed = CONTROLS.some((c) => fold.querySelector(`#${c.id}`) && config[c.field] !== defaultConfig[c.field]);
    if (changed) fold.open = true;
  }
}

function resetCurves() {
  curves.reset(students.list.map((s) => s.label));
  state.heldout = students.list.map(() => null);
  state.evaluations = students.list.map(() => null);
}

function applySetting(field, value) {
  try {
    window.playground.set({ [field]: value });
    showError(null);
    if (field === 'map' || field === 'seed' || field === 'hidden') state.selected = null;
    updateLink();
    refresh();
  } catch (error) {
    showError(error);
    syncControls();
  }
}

/** The speed control's levels in training steps per second (null: as fast as the worker goes). The
 * page opens at 300: the default run's 3,000 steps take 10 s, so learning is something you watch. */
const SPEEDS = [30, 100, 300, 1000, 3000, null];
const DEFAULT_SPEED = 2;

function stepsPerSecond() {
  return SPEEDS[Number($('speed').value)] ?? null;
}

/** The budget field: steps a run trains before it stops (0 or empty: no budget). */
function budgetSteps() {
  const steps = Number($('budget').value);
  return Number.isInteger(steps) && steps > 0 ? steps : null;
}

/** The lowest step of any student (every student must reach the budget for the run to end). */
function lowestStep() {
  return Math.min(...students.list.map((student) => student.playground.step));
}

/** Sets where the run stops (null: never) in the page and the worker, and redraws the progress bar. */
function setStopAt(stopAt) {
  state.stopAt = stopAt;
  trainer.send('budget', { stopAt });
  showBudget();
}

function atBudget() {
  return state.stopAt !== null && lowestStep() >= state.stopAt;
}

/** The progress bar under the play button: steps so far out of the budget, and what Play does next. */
function showBudget() {
  const bar = $('budget-progress');
  const step = lowestStep();
  bar.hidden = state.stopAt === null;
  if (state.stopAt !== null) {
    bar.max = state.stopAt;
    bar.value = Math.min(step, state.stopAt);
  }
  const done = state.stopAt !== null && step >= state.stopAt;
  $('budget-text').textContent = state.stopAt === null
    ? `step ${step.toLocaleString('en-US')} · no budget: trains until paused`
    : `step ${Math.min(step, state.stopAt).toLocaleString('en-US')} of ${state.stopAt.toLocaleString('en-US')}${done ? ' · budget reached' : ''}`;
  $('play').textContent = state.playing ? 'Pause' : done ? 'Keep training' : 'Play';
}

/** Every student's mirror takes on the worker's newest progress; returns their reports. */
function adoptProgress(progress) {
  if (progress.students.length !== students.list.length) return null;
  return students.list.map((student, i) => {
    const { snapshot, evaluation } = progress.students[i];
    student.playground.adopt(snapshot);
    if (evaluation) {
      state.evaluations[i] = evaluation;
      state.latestEvaluations[i] = evaluation;
      window.__evaluations += 1;
    }
    return student.playground.train(0);
  });
}

/** The selected cell's distributions; before any click, those of the map's start cell (so the panel
 * is never empty). */
function drawSelected() {
  const pg = window.playground;
  const [x, y] = state.selected ?? Array.from(pg.startCell());
  const groups = [pg.probs('teacher', x, y), pg.probs('teacher', x, y, 1), pg.probs('student', x, y)];
  drawBars($('bars'), groups);
  fillCellTable($('cell-probs'), groups);
  $('cell-name').textContent = state.selected ? `(column ${x}, row ${y})` : `(the start cell, column ${x}, row ${y}: click the grid for another)`;
}

/** The scenario measures (its `metric`, a ledger field): a name and a format. */
const SCENARIO_METRICS = {
  meanKl: { name: 'mean KL(teacher ‖ student) of the acting policies (τ = 1)', format: (v) => formatLoss(v) },
  studentSuccess: { name: 'success on this map', format: (v) => `${fixed(100 * v, 1)}%` },
  studentHeldoutSuccess: { name: 'success on held-out maps', format: (v) => `${fixed(100 * v, 1)}%` },
  retained: { name: 'ability retained (held-out)', format: (v) => (v === null ? 'n/a' : `${fixed(100 * v, 1)}%`) },
};

/** Every arm's value of the scenario's measure, with the budget and seeds it was measured at. */
function showScenarioMetric() {
  const line = $('scenario-metric');
  const metric = SCENARIO_METRICS[state.scenarioMetric];
  if (!metric) {
    line.hidden = true;
    return;
  }
  const arms = students.list.map((student, i) => {
    const e = state.latestEvaluations[i];
    return `${student.label}: ${e ? metric.format(e[state.scenarioMetric]) : 'measuring…'}`;
  });
  const step = lowestStep();
  const budget = state.stopAt === null ? '' : ` of ${state.stopAt.toLocaleString('en-US')}`;
  line.hidden = false;
  line.textContent = `${metric.name}: ${arms.join(' · ')} (step ${step.toLocaleString('en-US')}${budget}, seed ${window.playground.config().seed}, one seed: the Lessons view measures with several)`;
}

function recordCurves(reports, now) {
  const measured = state.evaluations.map((e) => e?.studentHeldoutSuccess ?? null);
  if (now - state.lastCurve < CURVE_EVERY_MS && measured.every((m) => m === null)) return;
  state.lastCurve = now;
  students.list.forEach((student, i) => {
    const report = reports?.[i] ?? student.playground.train(0);
    if (measured[i] !== null) state.heldout[i] = measured[i];
    // No loss before the first step (the report's 0 there is a placeholder, not a measurement).
    curves.add(i, { step: report.step, loss: report.step > 0 ? report.loss : NaN, agreement: report.agreement, heldout: measured[i] });
    if (student.stats) {
      const heldout = state.heldout[i] === null ? '' : ` · held-out success ${(100 * state.heldout[i]).toFixed(0)}%`;
      student.stats.textContent = `step ${report.step} · agreement ${(100 * report.agreement).toFixed(0)}%${heldout}`;
    }
  });
  curves.draw();
}

function refresh(reports = null) {
  const pg = window.playground;
  const report = reports?.[0] ?? pg.train(0);
  showStats($('stats'), report);
  showBudget();
  const view = {
    showTeacher: $('show-teacher').checked,
    heatmap: $('heatmap').checked,
    values: $('values').checked,
    plans: $('show-plans').checked,
    selected: state.selected ?? undefined,
  };
  pg.render($('grid'), view);
  showStepChange(pg);
  drawStepChange($('grid'));
  episodes.draw($('grid'));
  $('key-teacher').hidden = !$('show-teacher').checked;
  const tau = pg.config().temperature;
  if (tau !== state.legendTau) {
    state.legendTau = tau;
    $('arrow-legend').textContent = `Arrows: each move's probability at τ = ${tau.toFixed(2)} (teacher and student alike${tau === 1 ? '' : '; the student acts on its τ = 1 probabilities'}); longer and stronger = more likely; a dot = stay.`;
  }
  for (const student of students.list.slice(1)) student.playground.render(student.canvas, { selected: state.selected ?? undefined });
  drawSelected();
  showPipeline(pg.pipeline());
  if (state.evaluations[0]) {
    fillLedger($('ledger'), state.evaluations[0], pg.config().trainMaps, $('ledger-note'), pg.config().temperature);
    state.lastLedger = state.evaluations[0];
    showKeyFigures(state.lastLedger, pg.config().trainMaps);
    showFinetune();
  }
  recordCurves(reports, performance.now());
  showScenarioMetric();
  state.evaluations = state.evaluations.map(() => null);
}

/** The main student's move probabilities in every cell, row by row. */
function studentProbs(pg) {
  const n = pg.size();
  const all = [];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) all.push(Array.from(pg.probs('student', x, y)));
  return all;
}

/** After Step: which cells' probabilities changed, outlined on the grid and said in words. */
function showStepChange(pg) {
  const from = state.stepFrom;
  if (!from) return;
  const step = pg.step;
  if (step === from.step) return; // the step has not arrived yet
  const n = pg.size();
  const now = studentProbs(pg);
  if (now.length !== from.probs.length) { state.stepFrom = null; return; }
  const change = now.map((p, i) => Math.max(...p.map((v, k) => Math.abs(v - from.probs[i][k]))));
  const changed = change.map((c, i) => [c, i]).filter(([c]) => c >= 0.001);
  const [largest, at] = changed.reduce((best, item) => (item[0] > best[0] ? item : best), [0, -1]);
  state.stepChanged = { cells: changed.map(([, i]) => i), n };
  const text = $('step-text');
  text.hidden = false;
  text.textContent = changed.length
    ? `Step ${from.step + 1}: one Adam step on a batch of 64 states changed the student's move probabilities in ${changed.length} of ${n * n} cells ` +
      `by at least 0.001 (outlined); the largest change, ${largest.toFixed(3)}, is at column ${at % n}, row ${Math.floor(at / n)}.`
    : `Step ${from.step + 1}: one Adam step changed no cell's move probabilities by 0.001 or more (the student has converged here).`;
  state.stepFrom = null;
}

/** Outlines the cells the last Step changed (until training goes on). */
function drawStepChange(canvas) {
  if (!state.stepChanged || state.playing) return;
  const context = canvas.getContext('2d');
  const cell = Math.min(canvas.width, canvas.height) / state.stepChanged.n;
  context.save();
  context.strokeStyle = '#cc79a7';
  context.lineWidth = 2;
  context.setLineDash([4, 3]);
  for (const i of state.stepChanged.cells) {
    context.strokeRect((i % state.stepChanged.n) * cell + 3, Math.floor(i / state.stepChanged.n) * cell + 3, cell - 6, cell - 6);
  }
  context.restore();
}

/** The RL fine-tuning note: success on this map before and now, and a warning if it dropped. */
function showFinetune() {
  const note = $('rl-note');
  const config = window.playground.config();
  if (!state.finetune || config.phase !== 'finetune') {
    note.hidden = true;
    delete note.dataset.dropped;
    return;
  }
  const step = window.playground.step;
  const lambda = config.kickstart * config.kickstartDecay ** (Math.max(0, step - state.finetune.startStep) / 100);
  const measured = state.lastLedger && state.lastLedger.step > state.finetune.startStep ? state.lastLedger : null;
  const { text, dropped } = finetuneNote({
    startStep: state.finetune.startStep, before: state.finetune.before,
    now: measured?.studentSuccess ?? null, teacher: state.lastLedger?.teacherSuccess ?? null, lambda,
  });
  note.textContent = text;
  note.hidden = false;
  note.dataset.dropped = String(dropped);
  if (dropped && !state.finetune.warned) {
    state.finetune.warned = true;
    note.classList.add('warning');
  }
}

function frame() {
  if (lastPanic()) {
    // A panic anywhere (a call from the console, a control) stops the page with its message.
    setPlaying(false);
    showError(new Error('panic'));
    return;
  }
  try {
    const now = performance.now();
    const pace = stepsPerSecond();
    if (state.playing && pace !== null) {
      // The pace's share of the time since the last frame (at most a quarter second's worth after a stall).
      state.owed += pace * Math.min(250, now - (state.lastFrameAt ?? now)) / 1000;
      const steps = Math.floor(state.owed);
      state.owed -= steps;
      if (steps > 0) trainer.frame(steps);
    }
    state.lastFrameAt = now;
    const progress = trainer.take();
    const reports = progress ? adoptProgress(progress) : null;
    const diverged = reports?.find((r) => r.diverged);
    if (diverged && state.playing) {
      setPlaying(false);
      showError(diverged.diverged);
    } else if (reports && state.playing && atBudget()) {
      setPlaying(false);
    }
    refresh(reports);
    if (window.__firstTrainedFrameMs === null && reports?.[0]?.step > 0) window.__firstTrainedFrameMs = performance.now();
    window.__frames += 1;
  } catch (error) {
    setPlaying(false);
    showError(error);
    if (lastPanic()) return; // the module is unusable after a panic: stop the loop, keep the message
  }
  requestAnimationFrame(frame);
}

function selectCell(event) {
  const n = window.playground.size();
  const [x, y] = cellAt(event.currentTarget, event, n);
  if (x >= 0 && y >= 0 && x < n && y < n) {
    state.selected = [x, y];
    refresh();
  }
}

function setPlaying(playing) {
  state.playing = playing;
  if (playing) {
    state.stepChanged = null;
    $('step-text').hidden = true;
  }
  trainer.send('play', { playing });
  showBudget();
}

/** The play button and the space key: pause, play, or at the budget keep training for another budget. */
function togglePlaying() {
  if (!state.playing && atBudget()) setStopAt(state.stopAt + (budgetSteps() ?? 0));
  setPlaying(!state.playing);
}

/** Replaces every student (in the page and in the worker). Throws, changing nothing, on bad settings. */
function useStudents(arms, budget = budgetSteps()) {
  students.replaceAll(arms);
  trainer.send('students', { arms });
  window.playground = trainer.live(0, students.main.playground);
  episodes.clear();
  state.stepFrom = null;
  state.stepChanged = null;
  $('step-text').hidden = true;
  clearLedger($('ledger'), $('ledger-note'));
  state.lastLedger = null;
  state.latestEvaluations = [];
  showKeyFigures(null);
  state.finetune = null;
  $('rl-note').hidden = true;
  $('budget').value = String(budget ?? 0);
  setStopAt(budget);
  state.selected = null;
  resetCurves();
  syncControls();
  refresh();
}

/** The catalogue's measured verdicts (www/measured-lessons.json, generated from docs/results/). */
let measuredLessons = null;
async function measuredVerdicts() {
  measuredLessons ??= fetch(new URL('./measured-lessons.json', import.meta.url)).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  return measuredLessons;
}

const VERDICT_WORDS = { reproduced: 'reproduced', 'not-reproduced': 'not reproduced', inconclusive: 'inconclusive' };

/** Beside a scenario's text: what the matching lesson measured with several seeds, and its verdict,
 * so the text's claim and the measurement are read together. */
async function showScenarioVerdict(scenario) {
  const line = $('scenario-verdict');
  line.hidden = true;
  if (!scenario) return;
  const measured = await measuredVerdicts();
  const result = measured?.lessons?.[scenario.lesson];
  if (!result || $('scenario').value !== scenario.id) return;
  const format = (v) => (result.percent ? `${fixed(100 * v, 1)}%` : fixed(v, 3));
  line.textContent = `Measured (lesson "${scenario.lesson}", ${measured.seeds} seeds, ${measured.evaluationMaps.toLocaleString('en-US')} maps per seed): ` +
    `${VERDICT_WORDS[result.verdict]} — ${result.measure} = ${format(result.mean)} [${format(result.ci95[0])}, ${format(result.ci95[1])}]. ` +
    'This grid runs one seed; choose the lesson in the menu for a verdict measured in this browser.';
  line.dataset.verdict = result.verdict;
  line.hidden = false;
}

function chooseScenario(id) {
  const scenario = state.scenarios.find((s) => s.id === id);
  $('scenario-text').textContent = scenario ? scenario.explanation : '';
  state.scenarioMetric = null;
  showScenarioVerdict(scenario);
  if (!scenario) return;
  // The scenario's budget: its steps, plus the second phase of any variant that has one.
  const budget = scenario.steps + Math.max(0, ...scenario.variants.map((v) => (v.then ? v.thenSteps : 0)));
  state.scenarioMetric = scenario.metric;
  useStudents(scenario.variants.map((v) => ({
    label: v.label,
    settings: { ...scenario.base, ...v.settings },
    then: v.then,
    steps: scenario.steps,
  })), budget);
  // A scenario is a run to watch: it starts at once, even if the last run had ended at its budget.
  if (!state.playing) setPlaying(true);
}

async function main() {
  // The worker starts first: it loads its own wasm and teacher while this thread loads the same.
  trainer = new Trainer({
    onError: (message, panic) => {
      setPlaying(false);
      showError(new Error(panic ? `${message} (in the training worker: ${panic})` : message));
    },
    onApplied: (index, update) => {
      students.list[index]?.playground.set(update);
      if (index === 0) syncControls();
    },
  });
  /** For tests: true once the worker has handled every command and the page has drawn its answer. */
  window.__trainerSettled = () => trainer.settled();
  await ready();
  students = new Students($('companions'));
  episodes = new Episodes({ text: $('episode-text') });
  curves = new Curves($('curves'));
  state.scenarios = scenarios();
  for (const scenario of state.scenarios) {
    const option = document.createElement('option');
    option.value = scenario.id;
    option.textContent = scenario.title;
    $('scenario').appendChild(option);
  }
  // The lessons are in the same menu: one place for every experiment. A lesson opens in the Lessons
  // view, which runs it with several seeds and gives a verdict.
  const lessonGroup = document.createElement('optgroup');
  lessonGroup.label = 'Lessons with a verdict (several seeds, in the Lessons view)';
  for (const lesson of lessons()) {
    const option = document.createElement('option');
    option.value = `lesson:${lesson.id}`;
    option.textContent = lesson.title;
    lessonGroup.appendChild(option);
  }
  $('scenario').appendChild(lessonGroup);
  // `#lessons` opens the Lessons view; any other fragment is a link of settings.
  const lessonsView = location.hash === '#lessons';
  const fromLink = configFromLink(lessonsView ? '' : location.hash);
  const notices = [];
  if (fromLink.rejected.length > 0) {
    notices.push('This link had settings that could not be used, so they are back at their defaults: ' +
      fromLink.rejected.map((r) => `${r.field} (${r.reason})`).join('; '));
  }
  const unknownHidden = applyEmbed(new URLSearchParams(location.search));
  if (unknownHidden.length > 0) notices.push(`hide= names no control of this page: ${unknownHidden.join(', ')}`);
  if (notices.length > 0) {
    $('notice').textContent = notices.join('. ');
    $('notice').hidden = false;
  }
  // Without a link the page opens on its first view: the default settings with the student learning
  // across the teacher's own map distribution, so the figures on the first screen show distillation
  // working (about 80% of the teacher's held-out success at 1.6% of its compute), not a student that
  // only ever saw one map. A link (or the CLI) without `trainMaps` still means the map shown.
  const firstView = location.hash === '' || location.hash === '#';
  useStudents([{ label: 'main', settings: firstView ? { ...fromLink.config, ...FIRST_VIEW } : fromLink.config }]);
  $('copy-link').addEventListener('click', async () => {
    updateLink();
    try {
      await navigator.clipboard.writeText(location.href);
      $('copy-link').textContent = 'Link copied';
    } catch {
      $('copy-link').textContent = 'Copy the address bar';
    }
    setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 2000);
  });
  watchControls(applySetting);
  explainControls($('explain'));
  const showSpeed = () => {
    const pace = stepsPerSecond();
    $('speed-value').textContent = pace === null ? 'full' : `${pace.toLocaleString('en-US')} steps/s`;
    state.owed = 0;
    trainer.send('speed', { limited: pace !== null });
  };
  $('speed').addEventListener('input', showSpeed);
  showSpeed();
  let scenarioShown = '';
  $('scenario').addEventListener('change', (event) => {
    const value = event.target.value;
    if (value.startsWith('lesson:')) {
      // Opens the lesson in the Lessons view; the menu goes back to the experiment on the grid.
      $('lesson').value = value.slice('lesson:'.length);
      $('lesson').dispatchEvent(new Event('change'));
      event.target.value = scenarioShown;
      $('lessons').scrollIntoView({ block: 'start' });
      $('lesson-run').focus({ preventScroll: true });
      return;
    }
    scenarioShown = value;
    chooseScenario(value);
  });
  $('play').addEventListener('click', togglePlaying);
  const tour = new Tour({ bar: $('tour'), text: $('tour-text'), back: $('tour-back'), next: $('tour-next'), close: $('tour-close') });
  $('tour-start').addEventListener('click', () => tour.start());
  $('presenter').addEventListener('click', () => {
    const on = !document.body.classList.contains('presenter');
    document.body.classList.toggle('presenter', on);
    $('presenter').setAttribute('aria-pressed', String(on));
    $('presenter').textContent = on ? 'Leave presenter mode' : 'Presenter mode';
    // Full screen where the browser allows it (a user gesture; refused in some embeds: then larger type only).
    if (on && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => {});
    if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  });
  $('budget').addEventListener('change', () => {
    const steps = budgetSteps();
    if ($('budget').value !== '' && $('budget').value !== '0' && steps === null) {
      showError(new Error('Budget must be a whole number of steps (0 for no budget)'));
      $('budget').value = String(state.stopAt ?? 0);
      return;
    }
    showError(null);
    // A budget below the steps already trained ends the run now; Keep training goes on from there.
    setStopAt(steps);
  });
  $('step').addEventListener('click', () => {
    setPlaying(false);
    const pg = window.playground;
    state.stepFrom = { step: pg.step, probs: studentProbs(pg) };
    trainer.send('step');
  });
  $('reset').addEventListener('click', () => {
    useStudents(students.list.map((s) => ({ label: s.label, settings: s.playground.config() })));
  });
  $('finetune').addEventListener('click', () => {
    const tuning = window.playground.config().phase === 'finetune';
    const step = window.playground.step;
    applySetting('phase', tuning ? 'distill' : 'finetune');
    syncControls();
    if (tuning) {
      state.finetune = null;
    } else {
      // Fine-tuning gets a budget of its own, from here; its note compares success with now's.
      state.finetune = { startStep: step, before: state.lastLedger?.studentSuccess ?? null, warned: false };
      $('rl-note').classList.remove('warning');
      if (budgetSteps() !== null) setStopAt(step + budgetSteps());
      if (!state.playing) setPlaying(true);
    }
    showFinetune();
  });
  $('add-student').addEventListener('click', () => {
    try {
      const config = window.playground.config();
      const arm = { label: `student ${students.list.length + 1} (${config.loss}, τ ${config.temperature}, ${config.data})`, settings: config };
      students.add(arm);
      trainer.send('add', { arm });
      resetCurves();
      showError(null);
    } catch (error) {
      showError(error);
    }
  });
  $('clear-students').addEventListener('click', () => {
    students.clearCompanions();
    trainer.send('clearCompanions');
    resetCurves();
  });
  $('export-csv').addEventListener('click', () => download('curves.csv', new Blob([curves.csv()], { type: 'text/csv' })));
  $('export-png').addEventListener('click', async () => {
    const pg = window.playground;
    const settings = settingsLine(pg.config(), pg.step);
    for (const { name, blob } of await curves.pngs(settings)) download(name, blob);
    // The grid as it is now, with what its arrows mean.
    download('grid.png', await slidePng({
      source: $('grid'),
      title: `The student's policy on ${pg.config().map}${$('show-teacher').checked ? ' (teacher left, student right in each cell)' : ''}`,
      legend: [{ label: 'student', colour: '#0072b2' }, ...($('show-teacher').checked ? [{ label: 'teacher', colour: '#e69f00' }] : [])],
      note: $('arrow-legend').textContent,
      settings,
    }));
  });
  // Buttons that download a file about the main student: id → [name, bytes, type]. The weights
  // come from its mirror; the dataset from the worker, which holds the replay buffer.
  const files = {
    'save-safetensors': ['student.safetensors', () => window.playground.saveStudent('safetensors'), 'application/octet-stream'],
    'save-json': ['student.json', () => window.playground.saveStudent('json'), 'application/json'],
    'export-dataset-csv': ['dataset.csv', () => trainer.ask('exportDataset', [0, 'csv']), 'text/csv'],
    'export-dataset-npy': ['dataset.npy', () => trainer.ask('exportDataset', [0, 'npy']), 'application/octet-stream'],
  };
  for (const [id, [name, bytes, type]] of Object.entries(files)) {
    $(id).addEventListener('click', async () => {
      try {
        download(name, new Blob([await bytes()], { type }));
      } catch (error) {
        showError(error);
      }
    });
  }
  $('load-student').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      window.playground.loadStudent(new Uint8Array(await file.arrayBuffer()));
      showError(null);
      syncControls();
      refresh();
    } catch (error) {
      showError(error);
    }
    event.target.value = '';
  });
  const editor = new Editor({
    canvas: $('grid'),
    getPlayground: () => window.playground,
    onChange: () => { showError(null); syncControls(); $('size').value = String(window.playground.size()); refresh(); },
    onError: showError,
  });
  for (const radio of document.querySelectorAll('input[name=tool]')) {
    radio.addEventListener('change', () => { editor.tool = radio.value || null; });
  }
  $('undo').addEventListener('click', () => editor.undo());
  $('redo').addEventListener('click', () => editor.redo());
  $('size').addEventListener('change', () => {
    const n = Number($('size').value);
    if (Number.isInteger(n) && n >= 5 && n <= 16) editor.resize(n);
    else showError(new Error('Size N must be a whole number from 5 to 16'));
  });
  $('new-random').addEventListener('click', () => applySetting('map', 'random'));
  // Watch it act: from the selected cell if it is a floor cell, else from the map's start.
  for (const [id, who] of [['episode-teacher', ['teacher']], ['episode-student', ['student']], ['episode-race', ['teacher', 'student']]]) {
    $(id).addEventListener('click', () => {
      const pg = window.playground;
      const start = state.selected ?? Array.from(pg.startCell());
      try {
        episodes.play(pg, who, start);
        showError(null);
      } catch (error) {
        // A wall or the goal selected: say so, and start from the map's start instead.
        episodes.play(pg, who, Array.from(pg.startCell()));
        $('episode-text').textContent = `${String(error.message ?? error)}; playing from the map's start instead. ${$('episode-text').textContent}`;
      }
    });
  }
  const toggleHelp = (open) => { $('help').hidden = !open; if (open) $('help-close').focus(); else $('grid').focus(); };
  $('help-open').addEventListener('click', () => toggleHelp(true));
  $('help-close').addEventListener('click', () => toggleHelp(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('help').hidden) return toggleHelp(false);
    if (event.target.closest('input, select, textarea, button') || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === ' ') { event.preventDefault(); togglePlaying(); }
    else if (event.key === 's') $('step').click();
    else if (event.key === 'r') $('reset').click();
    else if (event.key === '?') toggleHelp($('help').hidden);
  });
  $('grid').addEventListener('click', (event) => { if (!editor.tool) selectCell(event); });
  $('sweep').addEventListener('click', () =>
    measureCompression({ button: $('sweep'), progress: $('sweep-progress'), status: $('sweep-status'), chart: $('compression-chart'), table: $('compression-table') })
      .catch(() => {})); // the status line says what failed
  initLessons({ select: $('lesson'), claim: $('lesson-claim'), experiment: $('lesson-experiment'), published: $('lesson-published'),
    prediction: $('lesson-prediction'), run: $('lesson-run'), progress: $('lesson-progress'), status: $('lesson-status'), table: $('lesson-table'), verdict: $('lesson-verdict'),
    quick: $('lesson-quick'), curves: $('lesson-curves'), figure: $('lesson-figure') },
  { onRun: () => { if (state.playing) setPlaying(false); } });
  if (lessonsView) $('lessons').scrollIntoView();
  for (const id of ['show-teacher', 'heatmap', 'values', 'show-plans']) $(id).addEventListener('change', () => refresh());
  requestAnimationFrame(frame);
}

main().catch((error) => showError(error));
