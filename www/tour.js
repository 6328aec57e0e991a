// A one-minute guided tour for a first visit: seven stops, each outlining one part of the page and
// saying what to look at there. It never blocks the page: a bar at the bottom with Back, Next, Close.

export const STOPS = [
  { target: 'grid', text: 'The grid: in every cell the blue arrows are the student\'s move probabilities (longer and stronger = more likely). It is learning to imitate the teacher; tick "Show the teacher\'s arrows" to compare.' },
  { target: 'play', text: 'Play, Step and the budget: every run trains a budget of steps at a pace you can watch, then stops; Keep training goes on. Step takes one step and outlines what it changed.' },
  { target: 'key-figures', text: 'The key figures: success on this map and on maps neither network trained on, ability retained (student ÷ teacher) and compute used. Hover one for how it is measured.' },
  { target: 'stages', text: 'The settings, stage by stage along the pipeline: the teacher labels states, its behaviour log becomes the dataset, and the student trains on it. Each stage counts what has flowed through it; hover a setting for what it does.' },
  { target: 'scenario', text: 'Scenarios set up a comparison side by side (temperature, DAgger, mixing teachers, RL fine-tuning…), each with its own measure and the verdict its lesson got with 10 seeds.' },
  { target: 'episode-race', text: 'Watch it act: the teacher and the student play an episode from the selected cell, with the same luck when the floor slips.' },
  { target: 'lessons', text: 'The Lessons: each claim of distillation as an experiment with several seeds, a live curve per arm and a verdict — reproduced, not reproduced or inconclusive.' },
];

export class Tour {
  constructor({ bar, text, back, next, close }) {
    Object.assign(this, { bar, text, back, next, close });
    this.index = -1;
    back.addEventListener('click', () => this.show(this.index - 1));
    next.addEventListener('click', () => (this.index >= STOPS.length - 1 ? this.end() : this.show(this.index + 1)));
    close.addEventListener('click', () => this.end());
  }

  start() {
    this.bar.hidden = false;
    this.show(0);
  }

  show(index) {
    document.querySelector('.tour-target')?.classList.remove('tour-target');
    this.index = Math.max(0, Math.min(STOPS.length - 1, index));
    const stop = STOPS[this.index];
    const target = document.getElementById(stop.target);
    target.classList.add('tour-target');
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    this.text.textContent = `${this.index + 1} of ${STOPS.length}. ${stop.text}`;
    this.back.disabled = this.index === 0;
    this.next.textContent = this.index === STOPS.length - 1 ? 'Done' : 'Next';
    this.next.focus({ preventScroll: true });
  }

  end() {
    document.querySelector('.tour-target')?.classList.remove('tour-target');
    this.bar.hidden = true;
    this.index = -1;
  }
}
