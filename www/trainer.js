// The page's side of the training worker (trainer-worker.js): sends it the page's commands, hands
// the newest progress it posts to the page, and forwards changes made to a student's mirror.

import { checkTrainSteps } from './playground.js';
import { sendShared } from './wasm-source.js';
import { pageError, t } from './i18n.js';

/** An error as the worker posted it (`{message, key, args, field}`, see `errorForPost` in
 * trainer-worker.js) as an Error again, keeping what www/i18n.js needs to say it in any language. */
function revived(posted) {
  if (typeof posted === 'string') return new Error(posted);
  return Object.assign(new Error(posted.message), { key: posted.key, args: posted.args, field: posted.field });
}

/** Mirror methods that change a student: applied to the mirror first (which checks them), then sent. */
const FORWARDED = new Set(['set', 'editMap', 'loadStudent', 'train', 'demonstrate']);
/** Most steps a page call `playground.train(n)` trains on the page's thread; a longer request goes
 * to the worker alone, which trains it in slices while the page keeps drawing (see `live`). */
export const PAGE_TRAIN_STEPS = 2000;

/** The worker www/early-worker.js started and the events it posted so far (null: none was
 * started, or it was taken). */
export function takeEarlyWorker() {
  const taken = window.distillEarlyWorker ?? null;
  window.distillEarlyWorker = null;
  taken?.stopHolding();
  return taken;
}

export class Trainer {
  /** `onError(error, panic)`: the worker failed (an Error that keeps the core's catalogue key and
   * args, www/i18n.js); `onApplied(index, update)`: it switched a
   * student to its second phase (the page applies the same update to that mirror). */
  constructor({ onError, onApplied, early = null }) {
    this.onError = onError;
    this.onApplied = onApplied;
    this.sent = 0;
    /** The newest command the worker had handled when it last posted progress. */
    this.processed = 0;
    this.latest = null;
    this.asked = 0;
    this.answers = new Map();
    // `early`: a worker started before the page's modules loaded (www/boot.js) and what it posted since.
    if (early) {
      this.worker = early.worker; // www/boot.js started it
    } else {
      this.worker = new Worker(new URL('./trainer-worker.js', import.meta.url), { type: 'module' });
      sendShared(this.worker); // the page's compiled wasm and teacher bytes (www/wasm-source.js)
    }
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      onError(pageError('worker.stopped', { reason: event.message || t('worker.couldNotStart') }), null);
    };
    for (const event of early?.held ?? []) {
      if (event.type === 'message') this.worker.onmessage(event);
      else this.worker.onerror(event);
    }
  }

  /** Sends a numbered command; progress the worker posted before handling it is then ignored. */
  send(type, payload = {}) {
    this.sent += 1;
    this.latest = null; // progress from before this command no longer fits the page's mirrors

    this.worker.postMessage({ ...payload, type, id: this.sent });
  }

  /** A page frame at limited speed: the worker trains `steps` more (the pace's share of this frame). */
  frame(steps) {
    // Stamped on the shared clock, so a frame the busy worker reads late is dropped, not caught up.
    this.worker.postMessage({ type: 'frame', steps, sentAt: performance.timeOrigin + performance.now() });
  }

  /** Asks the worker something only it knows (e.g. `exportDataset`); resolves to its answer. */
  ask(question, args) {
    this.asked += 1;
    const id = this.asked;
    this.worker.postMessage({ type: 'ask', id, question, args });
    return new Promise((resolve, reject) => this.answers.set(id, { resolve, reject }));
  }

  receive(message) {
    if (message.type === 'progress') {
      this.processed = message.processed;
      if (message.processed < this.sent) return;
      // Progress the page has not taken yet is replaced by newer progress, but an evaluation it
      // carried is kept: evaluations are rare (every 1.5 s), and several posts can arrive between
      // two page frames (e.g. the frames queued while an evaluation ran).
      const previous = this.latest;
      if (previous && previous.students.length === message.students.length) {
        message.students.forEach((student, i) => { student.evaluation ??= previous.students[i].evaluation; });
      }
      this.latest = message;
    } else if (message.type === 'applied') {
      this.onApplied(message.index, message.update);
    } else if (message.type === 'error') {
      this.onError(revived(message.error), message.panic);
    } else if (message.type === 'answer') {
      const waiting = this.answers.get(message.id);
      this.answers.delete(message.id);
      if (message.error) waiting?.reject(revived(message.error));
      else waiting?.resolve(message.answer);
    }
  }

  /** Whether the worker has handled every command sent and the page has taken its progress since. */
  settled() {
    return this.processed >= this.sent && this.latest === null;
  }

  /** The newest progress not yet taken (`{students: [{snapshot, evaluation}]}`), or null. */
  take() {
    const latest = this.latest;
    this.latest = null;
    return latest;
  }

  /** `playground.train(n)` for n > PAGE_TRAIN_STEPS: the worker trains the n steps in slices and
   * the mirror follows its progress; resolves to the report (`{step, loss, agreement}`) once the
   * mirror has reached the step (or the student was reset or replaced meanwhile). */
  trainLong(index, mirror, steps) {
    const from = mirror.step;
    this.send('call', { index, method: 'train', args: [steps] });
    return new Promise((resolve) => {
      const check = () => {
        const step = mirror.step;
        if (step >= from + steps || step < from) resolve(mirror.report());
        else setTimeout(check, 100);
      };
      check();
    });
  }

  /** Student `index`'s mirror as the page and its users see it: reads answer from the mirror;
   * changes go to the mirror, which checks them (a bad one throws and nothing is sent), then to
   * the worker, so both stay the same run. */
  live(index, mirror) {
    return new Proxy(mirror, {
      get: (target, property) => {
        const value = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        if (!FORWARDED.has(property)) return value.bind(target);
        return (...args) => {
          if (property === 'train' && args[0] > PAGE_TRAIN_STEPS) return this.trainLong(index, target, checkTrainSteps(args[0]));
          const result = value.apply(target, args);
          if (property !== 'train' || args[0] > 0) this.send('call', { index, method: property, args });
          return result;
        };
      },
    });
  }
}
