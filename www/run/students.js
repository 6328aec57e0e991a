// The students on the page: the main one (window.playground, drawn large) and up to three
// companions trained side by side, each a mirror of the worker's student with a label and a small grid.
import { Playground } from '../playground.js';
import { pageError, t } from '../i18n.js';

export const MAX_STUDENTS = 4;
export const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7'];

export class Students {
  constructor(container) {
    this.container = container;
    this.list = []; // [{playground, label, canvas, stats}]
  }

  get main() {
    return this.list[0];
  }

  /** Replaces every student's mirror: `arms` = [{label, settings, …}] (the worker uses the rest). */
  replaceAll(arms) {
    for (const student of this.list) student.playground.free();
    this.list = [];
    this.container.replaceChildren();
    arms.slice(0, MAX_STUDENTS).forEach((arm) => this.add(arm));
  }

  add({ label, settings }) {
    if (this.list.length >= MAX_STUDENTS) throw pageError('students.tooMany', { max: MAX_STUDENTS });
    const playground = new Playground(settings);
    const student = { playground, label, canvas: null, stats: null };
    if (this.list.length > 0) {
      const index = this.list.length;
      const figure = document.createElement('figure');
      figure.className = 'companion';
      const canvas = document.createElement('canvas');
      canvas.width = 180;
      canvas.height = 180;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', t('students.gridLabel', { index: index + 1, label }));
      const caption = document.createElement('figcaption');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = COLOURS[index];
      caption.append(swatch, document.createTextNode(label));
      const stats = document.createElement('span');
      stats.className = 'companion-stats';
      figure.append(canvas, caption, stats);
      this.container.appendChild(figure);
      student.canvas = canvas;
      student.stats = stats;
    }
    this.list.push(student);
    return student;
  }

  /** Keeps the first student, removes the rest. */
  clearCompanions() {
    for (const student of this.list.slice(1)) student.playground.free();
    this.list = this.list.slice(0, 1);
    this.container.replaceChildren();
  }
}
