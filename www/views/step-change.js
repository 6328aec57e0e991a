// After Step: which cells' move probabilities one Adam step changed, outlined on the grid (dashed,
// until training goes on) and said in words under the run controls (#step-text).
import { formatNumber, t } from '../i18n.js';

/** The dashed outline of a cell whose moves changed (after Step; in time travel's comparison):
 * black, so it is never the start cell's pink frame or the tints and arrows under it. */
export const CHANGE_OUTLINE = '#000000';

/** The main student's move probabilities in every cell, row by row. */
function studentProbs(pg) {
  const n = pg.size();
  const all = [];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) all.push(Array.from(pg.probs('student', x, y)));
  return all;
}

export class StepChange {
  /** `text`: where the change is said in words. */
  constructor({ text }) {
    this.text = text;
    /** Before the step arrives: {step, probs} of the main student when Step was pressed. */
    this.from = null;
    /** Once it has: {cells, n}, the changed cells (indices row by row) on an n × n grid. */
    this.changed = null;
  }

  /** Step was pressed: remembers the student's probabilities, to compare once the step arrives. */
  start(pg) {
    this.from = { step: pg.step, probs: studentProbs(pg) };
  }

  /** Each redraw: once the step has arrived, finds the cells it changed and says so. */
  show(pg) {
    const from = this.from;
    if (!from) return;
    const step = pg.step;
    if (step === from.step) return; // the step has not arrived yet
    const n = pg.size();
    const now = studentProbs(pg);
    if (now.length !== from.probs.length) { this.from = null; return; }
    const change = now.map((p, i) => Math.max(...p.map((v, k) => Math.abs(v - from.probs[i][k]))));
    const changed = change.map((c, i) => [c, i]).filter(([c]) => c >= 0.001);
    const [largest, at] = changed.reduce((best, item) => (item[0] > best[0] ? item : best), [0, -1]);
    this.changed = { cells: changed.map(([, i]) => i), n };
    const text = this.text;
    text.hidden = false;
    const stepShown = formatNumber(from.step + 1);
    text.textContent = changed.length
      ? t('stepChange.changed', {
        step: stepShown, changed: formatNumber(changed.length), cells: formatNumber(n * n),
        largest: largest.toFixed(3), x: at % n, y: Math.floor(at / n),
      })
      : t('stepChange.unchanged', { step: stepShown });
    this.from = null;
  }

  /** Outlines the cells the last Step changed on `canvas` (not while `playing`: until training goes on). */
  draw(canvas, playing) {
    if (!this.changed || playing) return;
    const context = canvas.getContext('2d');
    const cell = Math.min(canvas.width, canvas.height) / this.changed.n;
    context.save();
    context.strokeStyle = CHANGE_OUTLINE;
    context.lineWidth = 2;
    context.setLineDash([4, 3]);
    for (const i of this.changed.cells) {
      context.strokeRect((i % this.changed.n) * cell + 3, Math.floor(i / this.changed.n) * cell + 3, cell - 6, cell - 6);
    }
    context.restore();
  }

  /** Training goes on: the outline and its words go (a Step still on its way is still shown). */
  dismiss() {
    this.changed = null;
    this.text.hidden = true;
  }

  /** A new run: forgets a Step on its way too. */
  clear() {
    this.from = null;
    this.dismiss();
  }
}
