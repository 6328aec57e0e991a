// The scenario menu (#scenario): a scenario sets up students side by side, each arm with its own
// settings, and runs them for the scenario's budget. Beside its text (#scenario-text): the line of
// its measure for every arm as the run goes (#scenario-metric), and the verdict its lesson measured
// with several seeds (#scenario-verdict, from www/measured-lessons.json). The lessons are in the same
// menu: choosing one opens it in the Lessons view (www/lessons.js).
import { fixed, formatLoss } from './panels.js';
import { formatNumber, t } from '../i18n.js';
import { armName, measureText, measuredVerdicts, verdictWord } from '../lessons.js';
import { scrollOwnPageTo } from '../app/embed.js';

const $ = (id) => document.getElementById(id);

/** The scenario measures (its `metric`, a ledger field): a name (catalogue key) and a format. */
const SCENARIO_METRICS = {
  meanKl: { name: 'scenario.metric.meanKl', format: (v) => formatLoss(v) },
  studentSuccess: { name: 'scenario.metric.studentSuccess', format: (v) => `${fixed(100 * v, 1)}%` },
  studentHeldoutSuccess: { name: 'scenario.metric.studentHeldoutSuccess', format: (v) => `${fixed(100 * v, 1)}%` },
  retained: { name: 'scenario.metric.retained', format: (v) => (v === null ? t('common.na') : `${fixed(100 * v, 1)}%`) },
};

/** A scenario's title, explanation and arm labels in the page's language. */
export const scenarioTitle = (scenario) => t(`scenario.${scenario.id}.title`);
export const variantLabel = (scenario, index) => t(`scenario.${scenario.id}.variant.${index}`);



export class ScenarioView {
  /** `scenarios`, `lessons`: the catalogues (from the wasm module); `state`: the page's shared state
   * (`latestEvaluations`: each student's newest evaluation; `stopAt`; `playing`); `students`: every
   * student on the page; `run`: the run controls (www/run/run-controls.js); `useStudents(arms, budget)`:
   * replaces every student (main.js); `playground()`: the main student's mirror. Fills the menu and
   * answers it. */
  constructor({ scenarios, lessons, state, students, run, useStudents, playground }) {
    Object.assign(this, { scenarios, lessons, state, students, run, useStudents, playground });
    /** The chosen scenario's measure (a key of SCENARIO_METRICS), or null. */
    this.metric = null;
    /** The menu's value for the experiment on the grid (a lesson chosen in the menu goes back to it). */
    this.shown = '';
    for (const scenario of scenarios) {
      const option = document.createElement('option');
      option.value = scenario.id;
      option.textContent = scenarioTitle(scenario);
      $('scenario').appendChild(option);
    }
    // The lessons are in the same menu: one place for every experiment. A lesson opens in the Lessons
    // view, which runs it with several seeds and gives a verdict.
    const lessonGroup = document.createElement('optgroup');
    lessonGroup.label = t('scenario.lessonGroup');
    for (const lesson of lessons) {
      const option = document.createElement('option');
      option.value = `lesson:${lesson.id}`;
      option.textContent = t(`lesson.${lesson.id}.title`);
      lessonGroup.appendChild(option);
    }
    $('scenario').appendChild(lessonGroup);
    // A scenario runs on the grid; a lesson opens in the Lessons view.
    $('scenario').addEventListener('change', (event) => {
      const value = event.target.value;
      if (value.startsWith('lesson:')) {
        // Opens the lesson in the Lessons view; the menu goes back to the experiment on the grid.
        $('lesson').value = value.slice('lesson:'.length);
        $('lesson').dispatchEvent(new Event('change'));
        event.target.value = this.shown;
        scrollOwnPageTo($('lessons'));
        $('lesson-run').focus({ preventScroll: true });
        return;
      }
      this.shown = value;
      this.choose(value);
    });
  }

  /** Sets up scenario `id` (its students, its budget) and starts it; '' or an unknown id: none. */
  choose(id) {
    const scenario = this.scenarios.find((s) => s.id === id);
    $('scenario-text').textContent = scenario ? t(`scenario.${scenario.id}.explanation`) : '';
    this.metric = null;
    this.showVerdict(scenario);
    if (!scenario) return;
    // The scenario's budget: its steps, plus the second phase of any variant that has one.
    const budget = scenario.steps + Math.max(0, ...scenario.variants.map((v) => (v.then ? v.thenSteps : 0)));
    this.metric = scenario.metric;
    this.useStudents(scenario.variants.map((v, index) => ({
      label: variantLabel(scenario, index),
      settings: { ...scenario.base, ...v.settings },
      then: v.then,
      steps: scenario.steps,
    })), budget);
    // A scenario is a run to watch: it starts at once, even if the last run had ended at its budget.
    if (!this.state.playing) this.run.setPlaying(true);
  }

  /** Arm `index`'s value of the scenario's measure as "name: value" (for beside its grid), or ''
   * when no scenario with a measure runs. */
  armMetric(index) {
    const metric = SCENARIO_METRICS[this.metric];
    if (!metric) return '';
    const e = this.state.latestEvaluations[index];
    return t('scenario.metricValue', { name: t(metric.name), value: e ? metric.format(e[this.metric]) : t('common.measuring') });
  }

  /** Every arm's value of the scenario's measure, with the budget and seeds it was measured at. */
  showMetric() {
    const line = $('scenario-metric');
    const metric = SCENARIO_METRICS[this.metric];
    if (!metric) {
      line.hidden = true;
      return;
    }
    const arms = this.students.list.map((student, i) => {
      const e = this.state.latestEvaluations[i];
      return t('scenario.metricValue', { name: student.label, value: e ? metric.format(e[this.metric]) : t('common.measuring') });
    });
    const args = { name: t(metric.name), arms: arms.join(' · '), step: formatNumber(this.run.lowestStep()), seed: this.playground().config().seed };
    line.hidden = false;
    line.textContent = this.state.stopAt === null ? t('scenario.metricLine', args)
      : t('scenario.metricLineBudget', { ...args, budget: formatNumber(this.state.stopAt) });
  }

  /** Beside a scenario's text: what the matching lesson measured with several seeds, and its verdict,
   * so the text's claim and the measurement are read together. */
  async showVerdict(scenario) {
    const line = $('scenario-verdict');
    line.hidden = true;
    if (!scenario) return;
    const measured = await measuredVerdicts();
    const result = measured?.lessons?.[scenario.lesson];
    if (!result || $('scenario').value !== scenario.id) return;
    const format = (v) => (result.percent ? `${fixed(100 * v, 1)}%` : fixed(v, 3));
    const lesson = this.lessons.find((l) => l.id === scenario.lesson);
    line.textContent = t('scenario.measured', {
      lesson: t(`lesson.${scenario.lesson}.title`), seeds: measured.seeds, maps: formatNumber(measured.evaluationMaps),
      verdict: verdictWord(result.verdict), measure: lesson ? measureText(lesson, result.decidingPart) : result.measure,
      mean: format(result.mean), low: format(result.ci95[0]), high: format(result.ci95[1]),
    });
    line.dataset.verdict = result.verdict;
    line.hidden = false;
  }
}
