// You are the teacher: the person drives the agent on the map shown — arrow keys or WASD on the grid,
// a swipe, or a click on a neighbouring cell — and every move is logged as a labelled state the
// student trains on live (data source "human"). "Ask the student" is DAgger with a person (Ross et
// al. 2011): the student acts from the start and stops at the first state no one demonstrated,
// asking which way to go from there.

const $ = (id) => document.getElementById(id);
const KEYS = { ArrowUp: 0, w: 0, W: 0, ArrowDown: 1, s: 1, S: 1, ArrowLeft: 2, a: 2, A: 2, ArrowRight: 3, d: 3, D: 3 };
const ARROWS = ['↑ up', '↓ down', '← left', '→ right', '· stay'];

export class Teach {
  /** `playground()`: the main student's (live) playground; `useSettings(settings)`: restarts the
   * main student with these settings; `refresh()`: redraws; `showError(error | null)`;
   * `cellAt(event)`: [x, y] of a pointer event on the grid. */
  constructor({ playground, useSettings, refresh, showError, cellAt }) {
    Object.assign(this, { playground, useSettings, refresh, showError, cellAt });
    this.active = false;
    this.at = null; // the agent's cell, [x, y]
    this.asking = false;
    this.before = null; // the settings before teaching began
    $('teach-start').addEventListener('click', () => (this.active ? this.stop() : this.start()));
    $('teach-ask').addEventListener('click', () => this.ask());
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
    $('teach-start').textContent = 'Stop teaching';
    $('teach-start').setAttribute('aria-pressed', 'true');
    $('teach-ask').hidden = false;
    $('grid').style.touchAction = 'none'; // a swipe is a move, not a scroll
    $('grid').focus();
    this.say('You are the teacher: move the agent (the ring) with the arrow keys or WASD, a swipe, or a click on a neighbouring cell. Each move is a demonstration the student learns from.');
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
    $('teach-start').textContent = 'You are the teacher';
    $('teach-start').setAttribute('aria-pressed', 'false');
    $('teach-ask').hidden = true;
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
      const answered = this.asking ? `Answered: ${ARROWS[action]} at (${x}, ${y}). ` : '';
      this.asking = false;
      this.say(`${answered}${pg.demonstrated} states demonstrated; the student trains on them live.${ended ? ' The episode ended: the agent is back at the start.' : ''} Ask the student where it needs you.`);
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
      this.say('Every state on the student\'s own path from the start has your answer. Play a student episode to see where the path leads: if it loops or ends in lava, change an answer on it.');
      return;
    }
    this.asking = true;
    this.at = Array.from(question.at);
    this.say(`The student asks: which way from (${question.at[0]}, ${question.at[1]})? It got there in ${question.after} moves of its own and would go ${ARROWS[question.studentMove]}. Answer with a move.`);
    $('grid').focus();
    this.refresh();
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
