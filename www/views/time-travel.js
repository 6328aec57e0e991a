// Time travel: the main student's weights kept every N steps within a fixed memory budget, so a click
// on any learning curve shows the policy at that step on the grid, and "compare with now" marks each
// cell by how far the policy then is from the policy now (KL per cell, as a heatmap) and outlines the
// cells whose best move changed.
import { Playground } from '../playground.js';
import { errorText, formatNumber, pageError } from '../i18n.js';
import { CHANGE_OUTLINE } from './step-change.js';

/** Memory for the kept weights: 8 MiB (about 250 snapshots of a width-32 student, 60 of width 128).
 * When full, every other snapshot goes and the spacing doubles, so the whole run stays covered. */
export const TRAVEL_BUDGET_BYTES = 8 * 1024 * 1024;
/** Steps between kept snapshots at the start of a run. */
const FIRST_SPACING = 50;

export class TimeTravel {
  constructor({ budgetBytes = TRAVEL_BUDGET_BYTES } = {}) {
    this.budgetBytes = budgetBytes;
    this.reset();
  }

  /** A new run: nothing kept, nothing shown. */
  reset() {
    this.snapshots = []; // [{step, bytes}] by step
    this.bytes = 0;
    this.spacing = FIRST_SPACING;
    this.close();
  }

  /** Keeps `bytes` (a progress snapshot of the main student at `step`) if it is `spacing` steps past
   * the last one kept; thins the store when it passes the budget. */
  record(step, bytes) {
    let last = this.snapshots[this.snapshots.length - 1];
    if (last && step < last.step) {
      // The student started again (a new map, width or loaded file): a new run's history.
      const viewing = this.viewer !== null;
      this.reset();
      if (viewing) this.onRestart?.();
      last = undefined;
    }
    if (last && step < last.step + this.spacing) return;
    this.snapshots.push({ step, bytes: bytes.slice() });
    this.bytes += bytes.length;
    while (this.bytes > this.budgetBytes && this.snapshots.length > 2) {
      this.snapshots = this.snapshots.filter((_, i) => i % 2 === 0 || i === this.snapshots.length - 1);
      this.bytes = this.snapshots.reduce((sum, s) => sum + s.bytes.length, 0);
      this.spacing *= 2;
    }
  }

  /** The kept snapshot nearest to `step`, or null when none is kept. */
  nearest(step) {
    let best = null;
    for (const snapshot of this.snapshots) if (!best || Math.abs(snapshot.step - step) < Math.abs(best.step - step)) best = snapshot;
    return best;
  }

  /** Shows the policy of the snapshot nearest `step`: a Playground of `config` that takes on those
   * weights. Returns the step shown; throws (showing nothing) when the settings changed since. */
  open(step, config) {
    const snapshot = this.nearest(step);
    if (!snapshot) throw pageError('travel.noSnapshot');
    const viewer = new Playground(config);
    try {
      viewer.adopt(snapshot.bytes);
    } catch (error) {
      viewer.free();
      throw pageError('travel.otherSettings', { step: formatNumber(snapshot.step), reason: errorText(error) });
    }
    this.close();
    this.viewer = viewer;
    this.step = snapshot.step;
    return snapshot.step;
  }

  /** Back to the live student. */
  close() {
    this.viewer?.free();
    this.viewer = null;
    this.step = null;
    this.comparison = null;
  }

  /** Per cell of the map (row-major), KL(p_then ‖ p_now) of the student's moves at τ = 1, and whether
   * the best move changed; only where the agent acts (floor and start: '.' and 'S' in the map's
   * text), 0 and false on walls, lava and the goal. */
  compare(now) {
    const key = `${this.step}:${now.step}:${now.mapText()}`;
    if (this.comparison?.key === key) return this.comparison.result;
    const result = this.compareAll(now);
    this.comparison = { key, result };
    return result;
  }

  /** `compare` without the cache (the page redraws every frame; the policies change only with steps). */
  compareAll(now) {
    const n = now.size();
    const rows = now.mapText().split('\n');
    const kl = new Float64Array(n * n);
    const changed = new Uint8Array(n * n);
    const best = (v) => v.indexOf(Math.max(...v));
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        if (!'.S'.includes(rows[y]?.[x] ?? '#')) continue;
        const p = this.viewer.probs('student', x, y, 1);
        const q = now.probs('student', x, y, 1);
        let sum = 0;
        for (let a = 0; a < p.length; a++) if (p[a] > 0) sum += p[a] * Math.log(p[a] / Math.max(q[a], 1e-12));
        kl[y * n + x] = Math.max(0, sum);
        changed[y * n + x] = best(p) !== best(q) ? 1 : 0;
      }
    }
    return { n, kl, changed };
  }
}

/** Draws a comparison over the grid: each cell tinted by its KL (0 clear, ≥ 1 nat strongest) and the
 * cells whose best move changed outlined. */
export function drawComparison(canvas, { n, kl, changed }) {
  const context = canvas.getContext('2d');
  const side = canvas.width / n;
  context.save();
  for (let i = 0; i < n * n; i++) {
    const x = (i % n) * side;
    const y = Math.floor(i / n) * side;
    const strength = Math.min(1, kl[i]);
    if (strength > 0.01) {
      context.fillStyle = `rgba(213, 94, 0, ${(0.55 * strength).toFixed(3)})`;
      context.fillRect(x, y, side, side);
    }
    if (changed[i]) {
      context.strokeStyle = CHANGE_OUTLINE;
      context.lineWidth = 3;
      context.setLineDash([6, 3]);
      context.strokeRect(x + 2, y + 2, side - 4, side - 4);
    }
  }
  context.restore();
}
