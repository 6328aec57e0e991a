// A one-minute guided tour for a first visit: seven stops, each outlining one part of the page and
// saying what to look at there. It never blocks the page: a bar at the bottom with Back, Next, Close.

import { formatNumber, t } from '../i18n.js';

/** The stops: the element each outlines, and its text (read when shown: the catalogue loads after
 * this module). */
export const STOPS = [
  { target: 'grid', text: () => t('tour.stop.grid') },
  { target: 'play', text: () => t('tour.stop.play') },
  { target: 'key-figures', text: () => t('tour.stop.keyFigures') },
  { target: 'stages', text: () => t('tour.stop.stages') },
  { target: 'scenario', text: () => t('tour.stop.scenario') },
  { target: 'episode-race', text: () => t('tour.stop.episodeRace') },
  { target: 'lessons', text: () => t('tour.stop.lessons') },
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
    this.text.textContent = t('tour.progress', { index: formatNumber(this.index + 1), count: formatNumber(STOPS.length), text: stop.text() });
    this.back.disabled = this.index === 0;
    this.next.textContent = this.index === STOPS.length - 1 ? t('tour.done') : t('tour.next');
    this.next.focus({ preventScroll: true });
  }

  end() {
    document.querySelector('.tour-target')?.classList.remove('tour-target');
    this.bar.hidden = true;
    this.index = -1;
  }
}
