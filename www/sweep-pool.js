// Runs sweep jobs (one student each) on several module workers at once, one per core, so a sweep
// takes about 1/cores of the time; a worker that crashes is reported and replaced, its job retried.
import { pageError, t } from './i18n.js';
import { shareable } from './playground.js';

const SWEEP_WORKER = new URL('./sweep-worker.js', import.meta.url);

/**
 * `jobs`: [{hidden, steps, seed, …}] (as sweep-worker.js takes them). Calls `onStart(job, started)`
 * when a worker takes a job, `onRow(row, done, total)` as rows land (in any order), `onPoint(job, point)`
 * as a lesson's arm reports a point of its learning curve, `onCrash(reason, job)`
 * when a worker dies (its job goes back in the queue). Resolves to the rows in job order; rejects on a job's error or when one worker's
 * place sees more than `restarts` crashes. `workerUrl` lets a test start a worker that crashes.
 * Jobs with the same `pool` key (e.g. a lesson's arms on one seed) use the same labelled training
 * maps: a worker keeps to the pools it has built and takes a pool no other worker has before one
 * that another has, so each pool is labelled once where the work allows (a worker that would
 * otherwise wait takes any job).
 */
export async function runSweep(jobs, { workers = navigator.hardwareConcurrency || 2, restarts = 1, workerUrl = SWEEP_WORKER, onStart = () => {}, onRow = () => {}, onPoint = () => {}, onCrash = () => {} } = {}) {
  // Compiled once here and shared: each worker would otherwise fetch and compile (and optimise) its own.
  const shared = await shareable();
  return new Promise((resolve, reject) => {
    const rows = new Array(jobs.length);
    const queue = jobs.map((job, id) => ({ ...job, id }));
    const alive = new Set(); // the running workers
    let done = 0;
    let failed = false;

    const finish = (error) => {
      if (failed) return;
      for (const worker of alive) worker.terminate();
      alive.clear();
      if (error) {
        failed = true;
        reject(error);
      } else {
        resolve(rows);
      }
    };

    /** Which worker first took each pool key. */
    const owners = new Map();
    /** The next job for `worker`: one of its own pools, else an unowned pool, else any. */
    const next = (worker) => {
      const pick = (test) => {
        const index = queue.findIndex(test);
        return index < 0 ? null : queue.splice(index, 1)[0];
      };
      return pick((job) => job.pool !== undefined && owners.get(job.pool) === worker)
        ?? pick((job) => job.pool === undefined || !owners.has(job.pool) || !alive.has(owners.get(job.pool)))
        ?? queue.shift();
    };

    const feed = (worker) => {
      const job = next(worker);
      if (job && job.pool !== undefined && (!owners.has(job.pool) || !alive.has(owners.get(job.pool)))) owners.set(job.pool, worker);
      if (!job) {
        worker.terminate();
        alive.delete(worker);
        return;
      }
      worker.job = job;
      onStart(job, done);
      worker.postMessage({ ...job, shared });
    };

    /** A worker; when it crashes, a fresh one takes its place `restartsLeft` times. */
    const start = (url, restartsLeft) => {
      const worker = new Worker(url, { type: 'module' });
      alive.add(worker);
      worker.onmessage = ({ data }) => {
        if (data.type === 'error') return finish(Object.assign(new Error(data.message), { key: data.key, args: data.args, field: data.field }));
        if (data.type === 'point') return onPoint(worker.job, data.point);
        rows[data.id] = data.row;
        done += 1;
        onRow(data.row, done, jobs.length);
        if (done === jobs.length) return finish();
        feed(worker);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        alive.delete(worker);
        if (worker.job) queue.unshift(worker.job);
        const reason = event.message || t('worker.couldNotStart');
        if (restartsLeft <= 0) return finish(pageError('worker.sweepCrashed', { reason }));
        onCrash(reason, worker.job);
        feed(start(SWEEP_WORKER, restartsLeft - 1));
      };
      return worker;
    };

    const count = Math.max(1, Math.min(workers, jobs.length));
    for (let i = 0; i < count; i++) feed(start(workerUrl, restarts));
  });
}
