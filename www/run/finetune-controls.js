// The RL fine-tuning button (#finetune) and its note (#rl-note). Switching the main student to
// fine-tuning gives it a budget of its own from that step and starts the run; while it lasts the note
// compares success on this map with the success when it started (www/views/finetune-note.js words it).
import { finetuneNote } from '../views/finetune-note.js';
import { t } from '../i18n.js';

const $ = (id) => document.getElementById(id);

export class FinetuneControls {
  /** `state`: the page's shared state (`lastLedger`: the main student's newest ledger; `playing`);
   * `playground()`: the main student's mirror; `applySetting(field, value)` and `syncControls()`:
   * main.js's; `run`: the run controls (www/run/run-controls.js: the budget, Play). Wires the button. */
  constructor({ state, playground, applySetting, syncControls, run }) {
    Object.assign(this, { state, playground, run });
    /** While RL fine-tuning: {startStep, before, warned} (`before`: the success on this map when it
     * started; `warned`: the note has turned into a warning), else null. */
    this.started = null;
    $('finetune').addEventListener('click', () => {
      const tuning = playground().config().phase === 'finetune';
      const step = playground().step;
      applySetting('phase', tuning ? 'distill' : 'finetune');
      syncControls();
      if (tuning) {
        this.started = null;
      } else {
        // Fine-tuning gets a budget of its own, from here; its note compares success with now's.
        this.started = { startStep: step, before: state.lastLedger?.studentSuccess ?? null, warned: false };
        $('rl-note').classList.remove('warning');
        if (run.budgetSteps() !== null) run.setStopAt(step + run.budgetSteps());
        if (!state.playing) run.setPlaying(true);
      }
      this.show();
    });
  }

  /** The button says what it does next, from the main student's settings (`config.phase`). */
  showButton(config) {
    const tuning = config.phase === 'finetune';
    $('finetune').textContent = tuning ? t('finetune.back') : t('finetune.start');
    $('finetune').setAttribute('aria-pressed', String(tuning));
  }

  /** The RL fine-tuning note: success on this map before and now, and a warning if it dropped. */
  show() {
    const note = $('rl-note');
    const config = this.playground().config();
    if (!this.started || config.phase !== 'finetune') {
      note.hidden = true;
      delete note.dataset.dropped;
      return;
    }
    const { lastLedger } = this.state;
    const step = this.playground().step;
    const lambda = config.kickstart * config.kickstartDecay ** (Math.max(0, step - this.started.startStep) / 100);
    const measured = lastLedger && lastLedger.step > this.started.startStep ? lastLedger : null;
    const { text, dropped } = finetuneNote({
      startStep: this.started.startStep, before: this.started.before,
      now: measured?.studentSuccess ?? null, teacher: lastLedger?.teacherSuccess ?? null, lambda,
    });
    note.textContent = text;
    note.hidden = false;
    note.dataset.dropped = String(dropped);
    if (dropped && !this.started.warned) {
      this.started.warned = true;
      note.classList.add('warning');
    }
  }

  /** A new run: no fine-tuning under way, no note. */
  reset() {
    this.started = null;
    $('rl-note').hidden = true;
  }
}
