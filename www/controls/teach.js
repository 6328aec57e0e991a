// You are the teacher: the person drives the agent on the map shown — arrow keys or WASD on the grid,
// a swipe, or a click on a neighbouring cell — and every move is logged as a labelled state the
// student trains on live (data source "human"). "Ask the student" is DAgger with a person (Ross et
// al. 2011): the student acts from the start and stops at the first state no one demonstrated,
// asking which way to go from there.

import { errorText, formatNumber, t } from '../i18n.js';
import { testHooks } from '../app/test-hooks.js';
import { runSweep } from '../sweep-pool.js';
import { fillRows, percent } from '../views/panels.js';

const $ = (id) => document.getElementById(id);
const KEYS = { ArrowUp: 0, w: 0, W: 0, ArrowDown: 1, s: 1, S: 1, ArrowLeft: 2, a: 2, A: 2, ArrowRight: 3, d: 3, D: 3 };
/** Action `a` (0 up, 1 down, 2 left, 3 right, 4 stay) with its arrow, as the page says it. */
const arrow = (a) => [t('teach.move.up'), t('teach.move.down'), t('teach.move.left'), t('teach.move.right'), t('teach.move.stay')][a];

export class Teach {
  /** `playground()`: the main student's (live) playground; `useSettings(settings)`: restarts the
   * main student with these settings; `refresh()`: redraws; `showError(error | null)`;
   * `cellAt(event)`: [x, y] of a pointer event on the grid; `latestEvaluation()`: the main student's
   * newest ledger (or null). */
  constructor({ playground, useSettings, refresh, showError, cellAt, latestEvaluation }) {
    Object.assign(this, { playground, useSettings, refresh, showError, cellAt, latestEvaluation });
    this.active = false;
    this.at = null; // the agent's cell, [x, y]
    this.asking = false;
    this.before = null; // the settings before teaching began
    $('teach-start').addEventListener('click', () => (this.active ? this.stop() : this.start()));
    $('teach-ask').addEventListener('click', () => this.ask());
    $('teach-compare').addEventListener('click', () => this.compare().catch((error) => this.say(t('human.failed', { reason: errorText(error) }))));
    const grid = $('grid');
    grid.addEventListener('keydown', (event) => {
      if (!this.active || !(event.key in KEYS)) return;
      event.preventDefault();
      event.stopPropagation(); // s is Step elsewhere on the page; here it is a move
      this.move(KEYS[event.key]);
    });
    let down = null;
    grid.addEventListener('pointerdown', (event) => { if (this.active) down = [event.clientX, event.clientY]; });
    grid.addEventListener('pointerup', (event) => {
      if (!this.active || !down) return;
      const [dx, dy] = [event.clientX - down[0], event.clientY - down[1]];
      down = null;
      if (Math.hypot(dx, dy) >= 24) return this.move(Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? 3 : 2) : (dy > 0 ? 1 : 0));
      // A tap or click on a neighbouring cell moves there.
      const [x, y] = this.cellAt(event);
      const [ax, ay] = this.at;
      const step = { '0,-1': 0, '0,1': 1, '-1,0': 2, '1,0': 3, '0,0': 4 }[`${x - ax},${y - ay}`];
      if (step !== undefined) this.move(step);
    });
  }

  /** Starts teaching: the main student learns only from the person's moves on the map shown. */
  start() {
    const config = this.playground().config();
    this.before = config;
    this.useSettings({ ...config, data: 'human', trainMaps: 'current' });
    this.active = true;
    this.asking = false;
    this.at = Array.from(this.playground().startCell());
    $('teach-start').textContent = t('teach.stop');
    $('teach-start').setAttribute('aria-pressed', 'true');
    $('teach-ask').hidden = false;
    $('teach-compare').hidden = false;
    $('human-ledger').hidden = true;
    $('grid').style.touchAction = 'none'; // a swipe is a move, not a scroll
    $('grid').focus();
    this.say(t('teach.intro'));
  }

  /** Back to the settings from before teaching (a new student). */
  stop() {
    const before = this.before;
    this.end();
    if (before) this.useSettings(before);
  }

  /** The mode's controls back to "not teaching". */
  end() {
    this.active = false;
    this.asking = false;
    this.before = null;
    $('teach-start').textContent = t('teach.start');
    $('teach-start').setAttribute('aria-pressed', 'false');
    $('teach-ask').hidden = true;
    $('teach-compare').hidden = true;
    $('grid').style.touchAction = '';
    this.say('');
  }

  /** Settings changed elsewhere (a scenario, a link, Reset with other data): teaching ends quietly. */
  forget() {
    if (this.active && this.playground().config().data !== 'human') this.end();
  }

  /** Demonstrates `action` where the agent is, and moves it (back to the start after the goal or lava). */
  move(action) {
    try {
      const [x, y] = this.at;
      const to = Array.from(this.playground().demonstrate(x, y, action));
      const pg = this.playground();
      const row = pg.mapText().split('\n')[to[1]] ?? '';
      const ended = !'.S'.includes(row[to[0]] ?? '#');
      this.at = ended ? Array.from(pg.startCell()) : to;
      const count = formatNumber(pg.demonstrated);
      const progress = ended ? t('teach.demonstratedEnded', { count }) : t('teach.demonstrated', { count });
      const text = this.asking ? t('teach.answered', { move: arrow(action), x, y, progress }) : progress;
      this.asking = false;
      this.say(text);
      this.showError(null);
    } catch (error) {
      this.showError(error);
    }
    this.refresh();
  }

  /** DAgger's query: the agent goes to the first state of the student's own path that no one demonstrated. */
  ask() {
    const question = this.playground().question();
    if (!question) {
      this.say(t('teach.noQuestion'));
      return;
    }
    this.asking = true;
    this.at = Array.from(question.at);
    this.say(t('teach.question', { x: question.at[0], y: question.at[1], moves: formatNumber(question.after), move: arrow(question.studentMove) }));
    $('grid').focus();
    this.refresh();
  }

  /** The ledger's comparison (Ross et al. 2011 compare with the expert's own data): the student of
   * your demonstrations against a student of the same width, loss, steps and map that learned from
   * the bundled teacher's rollouts with as many labelled states (its label budget = your count),
   * trained on a background worker and measured like yours (this map from every cell, and the
   * held-out maps). */
  async compare() {
    const pg = this.playground();
    const yours = this.latestEvaluation();
    const count = pg.demonstrated;
    if (count === 0 || !yours || yours.step === 0) {
      this.say(t('human.needMore'));
      return;
    }
    const config = pg.config();
    const settings = { ...config, data: 'teacher', teacher: 'neural', loss: 'hard', trainMaps: 'current', labelBudget: count };
    $('teach-compare').disabled = true;
    this.say(t('human.training', { count: formatNumber(count), steps: formatNumber(yours.step) }));
    try {
      const [theirs] = await runSweep([{ settings, steps: yours.step }], { workers: 1 });
      this.showComparison(yours, theirs, count);
      this.say(t('human.done'));
      if (testHooks) testHooks.humanComparison = { yours, theirs, count };
    } finally {
      $('teach-compare').disabled = false;
    }
  }

  showComparison(yours, theirs, count) {
    $('human-caption').textContent = t('human.caption', { count: formatNumber(count), steps: formatNumber(yours.step) });
    fillRows($('human-ledger'), [
      [t('human.labelled'), formatNumber(count), formatNumber(theirs.labelled)],
      [t('ledger.successHere'), percent(yours.studentSuccess), percent(theirs.studentSuccess)],
      [t('ledger.successHeldout'), percent(yours.studentHeldoutSuccess), percent(theirs.studentHeldoutSuccess)],
    ]);
    $('human-ledger').hidden = false;
  }

  say(text) {
    $('teach-text').textContent = text;
    $('teach-text').dataset.asking = String(this.asking);
  }

  /** The agent's ring on the grid while teaching. */
  draw(canvas) {
    if (!this.active || !this.at) return;
    const n = this.playground().size();
    const side = canvas.width / n;
    const context = canvas.getContext('2d');
    context.save();
    context.strokeStyle = this.asking ? '#d55e00' : '#009e73';
    context.lineWidth = Math.max(3, side / 10);
    context.beginPath();
    context.arc((this.at[0] + 0.5) * side, (this.at[1] + 0.5) * side, side * 0.36, 0, 2 * Math.PI);
    context.stroke();
    context.restore();
  }
}
