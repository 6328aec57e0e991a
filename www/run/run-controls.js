// The run controls: Play/Pause (#play), Step (#step), Reset (#reset), the budget (#budget: steps a
// run trains before it stops; at the budget Play becomes "Keep training", another budget) with its
// progress bar (#budget-progress, #budget-text), and the pace in training steps per second (#speed).
// The worker trains; these controls say when, how far and how fast.

import { Pacer } from './pace.js';
import { SPEEDS } from '../app/page-params.js';
import { formatNumber, pageError, t } from '../i18n.js';
import { setText } from '../views/panels.js';

const $ = (id) => document.getElementById(id);

/** The speed control's levels are `SPEEDS` (page-params.js, which links also use). The page opens at
 * 300 steps/s: the default run's 3,000 steps take 10 s, so learning is something you watch. */
export { SPEEDS };
/** The level the page opens at (the #speed field's value in index.html). */
export const DEFAULT_SPEED = 2;

export class RunControls {
  /** `state`: the page's shared state (`playing`, `stopAt`); `trainer`: the training worker;
   * `students`: every student on the page (the run ends when the slowest reaches the budget);
   * `stepChange`: what a Step changed (www/views/step-change.js); `playground()`: the main student's
   * mirror; `useStudents(arms)`: replaces every student (Reset restarts them with their settings);
   * `showError(error | null)`. Wires the controls; `showSpeed()` then tells the worker the pace. */
  constructor({ state, trainer, students, stepChange, playground, useStudents, showError }) {
    Object.assign(this, { state, trainer, students, stepChange, playground, useStudents, showError });
    /** The limited pace, as whole steps per frame. */
    this.pacer = new Pacer();
    $('speed').addEventListener('input', () => this.showSpeed());
    $('play').addEventListener('click', () => this.togglePlaying());
    $('budget').addEventListener('change', () => {
      const steps = this.budgetSteps();
      if ($('budget').value !== '' && $('budget').value !== '0' && steps === null) {
        showError(pageError('run.budgetInvalid'));
        $('budget').value = String(state.stopAt ?? 0);
        return;
      }
      showError(null);
      // A budget below the steps already trained ends the run now; Keep training goes on from there.
      this.setStopAt(steps);
    });
    $('step').addEventListener('click', () => {
      this.setPlaying(false);
      stepChange.start(playground());
      trainer.send('step');
    });
    $('reset').addEventListener('click', () => {
      useStudents(students.list.map((s) => ({ label: s.label, settings: s.playground.config() })));
    });
  }

  /** The speed control's pace (steps per second), or null: as fast as the worker goes. */
  stepsPerSecond() {
    return SPEEDS[Number($('speed').value)] ?? null;
  }

  /** Writes the pace beside the speed control and tells the worker whether the page paces it. */
  showSpeed() {
    const pace = this.stepsPerSecond();
    $('speed-value').textContent = pace === null ? t('run.speedFull') : t('run.speedPace', { pace: formatNumber(pace) });
    this.pacer.reset();
    this.trainer.send('speed', { limited: pace !== null });
  }

  /** Steps the limited pace owes at this frame: its share of the time since the last frame (0 at
   * full speed, where the worker trains on its own). */
  owedSteps(now) {
    return this.pacer.stepsAt(now, this.stepsPerSecond(), this.state.playing);
  }

  /** The budget field: steps a run trains before it stops (0 or empty: no budget). */
  budgetSteps() {
    const steps = Number($('budget').value);
    return Number.isInteger(steps) && steps > 0 ? steps : null;
  }

  /** Writes `steps` (null: no budget) into the budget field. */
  showBudgetField(steps) {
    $('budget').value = String(steps ?? 0);
  }

  /** A budget given from outside (a link): into the field and the run (null: no budget). */
  useBudget(steps) {
    this.showBudgetField(steps);
    this.setStopAt(steps);
  }

  /** The lowest step of any student (every student must reach the budget for the run to end). */
  lowestStep() {
    return Math.min(...this.students.list.map((student) => student.playground.step));
  }

  /** Sets where the run stops (null: never) in the page and the worker, and redraws the progress bar. */
  setStopAt(stopAt) {
    this.state.stopAt = stopAt;
    this.trainer.send('budget', { stopAt });
    this.showBudget();
  }

  /** Whether every student has reached the budget. */
  atBudget() {
    return this.state.stopAt !== null && this.lowestStep() >= this.state.stopAt;
  }

  /** The progress bar under the play button: steps so far out of the budget, and what Play does next. */
  showBudget() {
    const { stopAt, playing } = this.state;
    const bar = $('budget-progress');
    const step = this.lowestStep();
    bar.hidden = stopAt === null;
    if (stopAt !== null) {
      bar.max = stopAt;
      bar.value = Math.min(step, stopAt);
    }
    const done = stopAt !== null && step >= stopAt;
    setText($('budget-text'), stopAt === null ? t('run.noBudget', { step: formatNumber(step) })
      : t(done ? 'run.budgetReached' : 'run.budgetProgress', { step: formatNumber(Math.min(step, stopAt)), budget: formatNumber(stopAt) }));
    setText($('play'), t(playing ? 'run.pause' : done ? 'run.keepTraining' : 'run.play'));
  }

  /** Plays or pauses the run, in the page and the worker. */
  setPlaying(playing) {
    this.state.playing = playing;
    if (playing) this.stepChange.dismiss();
    this.trainer.send('play', { playing });
    this.showBudget();
  }

  /** The play button and the space key: pause, play, or at the budget keep training for another budget. */
  togglePlaying() {
    if (!this.state.playing && this.atBudget()) this.setStopAt(this.state.stopAt + (this.budgetSteps() ?? 0));
    this.setPlaying(!this.state.playing);
  }
}
