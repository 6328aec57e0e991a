// Watch it act: plays an episode of the teacher, of the student, or both at once (a race, with the
// same slip draws), from the selected cell or the map's start, as an animated agent with its trail
// on the grid; marks how each ended. The episodes come from the main student's mirror
// (`Playground.episode`), so they show the policy as it is when Play episode is pressed.
import { fixed } from './panels.js';
import { formatNumber, t } from '../i18n.js';

/** Cells the agents move per second: slow enough to follow, fast enough for a 40-step episode. */
const CELLS_PER_SECOND = 6;
const COLOURS = { teacher: '#d9480f', student: '#1864ab' };
/** Who acts ('teacher' or 'student'), as the episode's words name it. */
const name = (who) => (who === 'teacher' ? t('episodes.name.teacher') : t('episodes.name.student'));
/** How an episode ended (its `outcome`: goal, lava or outOfTime), as a phrase. */
const ending = (outcome) => ({ goal: t('episodes.ending.goal'), lava: t('episodes.ending.lava'), outOfTime: t('episodes.ending.outOfTime') })[outcome];

export class Episodes {
  /** `text`: where the outcome is written (a live region); `status`: the element whose
   * `data-state` says idle, playing or ended (tests and assistive technology read it). */
  constructor({ text }) {
    this.text = text;
    this.runs = null;
    this.started = 0;
    this.seed = 0;
    text.dataset.state = 'idle';
  }

  /** Starts an episode of each of `who` (['teacher'], ['student'] or both) from `start` ([x, y]). */
  play(playground, who, start) {
    this.seed += 1;
    this.runs = who.map((name) => ({ who: name, episode: playground.episode(name, start[0], start[1], this.seed) }));
    this.n = playground.size();
    this.started = performance.now();
    this.text.dataset.state = 'playing';
    const names = who.length === 2 ? t('episodes.pair', { first: name(who[0]), second: name(who[1]) }) : name(who[0]);
    this.text.textContent = t('episodes.acting', { who: names, x: start[0], y: start[1], seed: this.seed });
  }

  /** Stops showing any episode (a new map, a new student). */
  clear() {
    this.runs = null;
    this.text.dataset.state = 'idle';
    this.text.textContent = '';
  }

  /** Draws the agents and their trails over the grid just rendered; ends the episode when every
   * agent has played all its steps. */
  draw(canvas) {
    if (!this.runs) return;
    const shown = Math.floor(((performance.now() - this.started) / 1000) * CELLS_PER_SECOND);
    const context = canvas.getContext('2d');
    const cell = Math.min(canvas.width, canvas.height) / this.n;
    const centre = ([x, y]) => [(x + 0.5) * cell, (y + 0.5) * cell];
    this.runs.forEach(({ who, episode }, index) => {
      const path = [episode.start, ...episode.steps.slice(0, shown).map((s) => s.to)];
      // In a race the two agents sit a little apart, so both stay visible on the same cell.
      const offset = this.runs.length > 1 ? (index === 0 ? -0.12 : 0.12) * cell : 0;
      context.save();
      context.strokeStyle = COLOURS[who];
      context.lineWidth = Math.max(2, cell * 0.08);
      context.lineJoin = 'round';
      context.globalAlpha = 0.8;
      context.beginPath();
      path.forEach((p, i) => {
        const [cx, cy] = centre(p);
        if (i === 0) context.moveTo(cx + offset, cy + offset);
        else context.lineTo(cx + offset, cy + offset);
      });
      context.stroke();
      context.globalAlpha = 1;
      const [ax, ay] = centre(path[path.length - 1]);
      context.fillStyle = COLOURS[who];
      context.strokeStyle = '#ffffff';
      context.lineWidth = Math.max(1.5, cell * 0.05);
      context.beginPath();
      context.arc(ax + offset, ay + offset, cell * 0.26, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
      if (shown >= episode.steps.length) {
        // The ending: a tick for the goal, a cross otherwise, in white on the agent.
        context.strokeStyle = '#ffffff';
        context.lineWidth = Math.max(2, cell * 0.07);
        context.beginPath();
        const r = cell * 0.12;
        if (episode.outcome === 'goal') {
          context.moveTo(ax + offset - r, ay + offset);
          context.lineTo(ax + offset - r / 3, ay + offset + r * 0.7);
          context.lineTo(ax + offset + r, ay + offset - r * 0.7);
        } else {
          context.moveTo(ax + offset - r, ay + offset - r);
          context.lineTo(ax + offset + r, ay + offset + r);
          context.moveTo(ax + offset + r, ay + offset - r);
          context.lineTo(ax + offset - r, ay + offset + r);
        }
        context.stroke();
      }
      context.restore();
    });
    if (this.text.dataset.state === 'playing' && this.runs.every(({ episode }) => shown >= episode.steps.length)) {
      this.text.dataset.state = 'ended';
      this.text.textContent = this.runs.map(({ who, episode }) => {
        const count = episode.steps.length;
        const steps = count === 1 ? t('episodes.steps.one', { count: formatNumber(count) }) : t('episodes.steps.many', { count: formatNumber(count) });
        const slips = !episode.slips ? ''
          : episode.slips === 1 ? t('episodes.slips.one', { count: formatNumber(episode.slips) }) : t('episodes.slips.many', { count: formatNumber(episode.slips) });
        return t('episodes.result', { who: name(who), ending: ending(episode.outcome), steps, slips, return: fixed(episode.return, 2) });
      }).join(' · ');
    }
  }

  /** Whether an episode is being played (the page keeps redrawing the grid meanwhile). */
  get playing() {
    return this.text.dataset.state === 'playing';
  }
}
