// The students on the page: the main one (window.playground, drawn large) and up to three
// companions trained side by side, each with a label, a small grid and an optional second phase.
import { Playground } from './playground.js';

export const MAX_STUDENTS = 4;
export const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7'];

export class Students {
  constructor(container) {
    this.container = container;
    this.list = []; // [{playground, label, canvas, then, thenAt}]
  }

  get main() {
    return this.list[0];
  }

  /** Replaces every student: `arms` = [{label, settings, then?, thenSteps?, steps?}]. */
  replaceAll(arms) {
    for (const student of this.list) student.playground.free();
    this.list = [];
    this.container.replaceChildren();
    arms.slice(0, MAX_STUDENTS).forEach((arm) => this.add(arm));
  }

  add({ label, settings, then = null, steps = 0 }) {
    if (this.list.length >= MAX_STUDENTS) throw new Error(`at most ${MAX_STUDENTS} students train side by side`);
    const playground = new Playground(settings);
    const student = { playground, label, canvas: null, then, thenAt: then ? steps : null };
    if (this.list.length > 0) {
      const index = this.list.length;
      const figure = document.createElement('figure');
      figure.className = 'companion';
      const canvas = document.createElement('canvas');
      canvas.width = 180;
      canvas.height = 180;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `Grid of student ${index + 1}: ${label}`);
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

  /** Trains each student `steps` steps, switching to its second phase when it is due. */
  train(steps) {
    return this.list.map((student) => {
      let report = student.playground.train(steps);
      if (student.then && report.step >= student.thenAt) {
        student.playground.set(student.then);
        student.then = null;
        report = student.playground.train(0);
      }
      return report;
    });
  }
}
