// The Lessons view (#lessons): pick a lesson, read its claim, say what you expect, run it on the
// background workers (sweep-pool.js) at the page's scale, and see each arm's result and the verdict
// that the lesson's own rule computes (the same Rust code as `distill lessons`), beside the
// published figure. Text goes in with textContent only.
import { lessonVerdict, lessons } from './playground.js';
import { runSweep } from './sweep-pool.js';

const VERDICT_TEXT = { reproduced: 'reproduced', 'not-reproduced': 'not reproduced', inconclusive: 'inconclusive' };
const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
const percent = (v) => `${(100 * v).toFixed(1)}%`;

/** The page's lesson catalogue; `elements` are the view's controls and outputs (see index.html). */
export function initLessons(elements) {
  const catalogue = lessons();
  const { select, claim, experiment, published, run, progress, status, table, verdict, prediction } = elements;
  for (const lesson of catalogue) {
    const option = document.createElement('option');
    option.value = lesson.id;
    option.textContent = lesson.title;
    select.appendChild(option);
  }
  const chosen = () => catalogue.find((l) => l.id === select.value);
  const show = () => {
    const lesson = chosen();
    claim.textContent = `${lesson.claim} — ${lesson.reference}`;
    experiment.textContent = `${lesson.experiment} In the page: ${lesson.pageSeeds} seeds, ${lesson.pageMaps} evaluation maps, `
      + `${lesson.pageSteps.toLocaleString('en-US')} steps per arm (the command line: 10 seeds, 1,000 maps, ${lesson.steps.toLocaleString('en-US')} steps).`;
    published.textContent = lesson.published ? `Published: ${lesson.published}.` : '';
    table.tBodies[0].replaceChildren();
    verdict.textContent = '';
    status.textContent = '';
  };
  select.addEventListener('change', show);
  show();

  run.addEventListener('click', async () => {
    const lesson = chosen();
    const expected = prediction.querySelector('input:checked')?.value ?? null;
    const seeds = Array.from({ length: lesson.pageSeeds }, (_, i) => i + 1);
    // Widest (slowest) arms first, so both cores finish together; one seed's arms share its pool.
    const jobs = seeds.flatMap((seed) => lesson.arms.map((arm, index) => ({ lesson: lesson.id, arm: index, seed, maps: lesson.pageMaps, steps: lesson.pageSteps, width: arm.settings.hidden ?? lesson.base.hidden ?? 32 })))
      .sort((a, b) => a.seed - b.seed || b.width - a.width);
    run.disabled = true;
    select.disabled = true;
    progress.hidden = false;
    progress.max = jobs.length;
    progress.value = 0;
    verdict.textContent = '';
    table.tBodies[0].replaceChildren();
    const rows = [];
    const started = performance.now();
    const showRows = () => {
      table.tBodies[0].replaceChildren();
      for (const arm of lesson.arms) {
        const of = rows.filter((r) => r.arm === arm.label);
        if (!of.length) continue;
        const line = table.tBodies[0].insertRow();
        for (const value of [arm.label, mean(of.map((r) => r.studentSuccess)).toFixed(3), percent(mean(of.map((r) => r.retained ?? 0))),
          percent(of[0].computeUsed), `${of.length} of ${seeds.length}`]) line.insertCell().textContent = value;
      }
    };
    try {
      await runSweep(jobs, {
        onStart: (job, done) => { status.textContent = `running arm ${job.arm + 1} of ${lesson.arms.length}, seed ${job.seed} (${done} of ${jobs.length} done)…`; },
        onRow: (row, done) => {
          rows.push(row);
          progress.value = done;
          showRows();
        },
      });
      const judged = lessonVerdict(lesson.id, rows);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      const format = lesson.rule.kind === 'retains' ? percent : (v) => v.toFixed(3);
      const said = VERDICT_TEXT[judged.verdict];
      verdict.dataset.verdict = judged.verdict;
      verdict.textContent = `Verdict: ${said}. ${judged.measure} = ${format(judged.effect.mean)}, 95% interval `
        + `[${format(judged.effect.ci95[0])}, ${format(judged.effect.ci95[1])}] over ${judged.effect.n} seeds (threshold ${format(judged.threshold)}).`
        + (expected ? ` You expected: ${VERDICT_TEXT[expected]}${expected === judged.verdict ? ' — as measured.' : ' — the measurement says otherwise.'}` : '');
      status.textContent = `done in ${seconds} s`;
    } catch (error) {
      status.textContent = `the lesson stopped: ${error.message}`;
    } finally {
      run.disabled = false;
      select.disabled = false;
      progress.hidden = true;
    }
  });
}
