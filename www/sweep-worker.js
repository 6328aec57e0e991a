// A module worker that measures the compression curve in the background: students of widths
// 4–128 trained across random maps, each measured on the held-out maps; it posts progress.
import { Playground, ready } from './playground.js';

const WIDTHS = [4, 8, 16, 32, 64, 128];

self.onmessage = async (event) => {
  const { steps = 3000, seed = 1, loss = 'kl', temperature = 1 } = event.data ?? {};
  try {
    await ready();
    const rows = [];
    for (const [i, hidden] of WIDTHS.entries()) {
      self.postMessage({ type: 'progress', done: i, total: WIDTHS.length, hidden });
      const playground = new Playground({ trainMaps: 'random', hidden, seed, loss, temperature });
      for (let done = 0; done < steps; done += 500) playground.train(Math.min(500, steps - done));
      const ledger = playground.evaluate();
      rows.push({ hidden, computeUsed: ledger.computeUsed, retained: ledger.retained, studentParams: ledger.studentParams,
        teacherParams: ledger.teacherParams, studentHeldoutSuccess: ledger.studentHeldoutSuccess,
        teacherHeldoutSuccess: ledger.teacherHeldoutSuccess });
      playground.free();
      self.postMessage({ type: 'row', row: rows[rows.length - 1] });
    }
    self.postMessage({ type: 'done', rows });
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error?.message ?? error) });
  }
};
