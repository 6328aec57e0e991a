// Times every lesson of the Lessons view in headless Chromium, as a lecturer would run it: pick the
// lesson and its scale, press Run, wait for the verdict. A lesson should reach its verdict in at most
// 60 s in Chromium on a 2-core machine; this is the benchmark that checks it. `--scale page` (the
// default) writes docs/results/lesson-page-times.json, `--scale full` (the command line's seeds,
// steps and evaluation maps, compared seed by seed with the committed figures) writes
// docs/results/lesson-full-times.json: one row per lesson (seconds, verdict, arms, seeds, evaluation
// maps, steps, and at full scale the largest per-seed difference from the command line), the
// machine; exits 1 if any lesson took longer than the limit.
// `npm run bench` runs it at both scales after its other goals.
//   node scripts/lesson-times.mjs [--scale page|full] [--only ID] [--limit SECONDS] [--no-save]
// Run it on an idle machine: the page's worker pool uses every core (the load averages at the start
// and the end are recorded with the times).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { launch, openPage } from '../tests/e2e/browser.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const only = option('--only');
const limit = Number(option('--limit') ?? 60);
const scale = option('--scale') ?? 'page';
const save = !args.includes('--no-save');
const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
if (!['page', 'full'].includes(scale)) throw new Error(`--scale must be page or full, got ${scale}`);
if (!(limit > 0)) throw new Error(`--limit must be a positive number of seconds, got ${option('--limit')}`);

const context = await launch();
const rows = [];
try {
  const { page, problems } = await openPage(context.browser, context.origin, '/#lessons');
  const catalogue = await page.evaluate(() => Array.from(document.getElementById('lesson').options).map((o) => o.value));
  if (only && !catalogue.includes(only)) throw new Error(`--only: no lesson "${only}" (one of ${catalogue.join(', ')})`);
  const browserVersion = context.browser.version();
  for (const id of catalogue.filter((lesson) => !only || lesson === only)) {
    await page.selectOption('#lesson', id);
    await page.check(scale === 'full' ? '#lesson-full-scale' : '#lesson-page-scale');
    const started = Date.now();
    await page.click('#lesson-run');
    await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 20 * 60000 });
    const seconds = (Date.now() - started) / 1000;
    const measured = await page.evaluate(async ({ lessonId, full }) => {
      const { lessons } = await import('./www/playground.js');
      const lesson = lessons().find((l) => l.id === lessonId);
      const table = Array.from(document.querySelectorAll('#lesson-table tbody tr')).map((tr) => Array.from(tr.cells).map((c) => c.textContent));
      const gap = document.getElementById('lesson-verdict').dataset.largestGap;
      const committed = full ? await (await fetch('./www/measured-lessons.json')).json() : null;
      return {
        verdict: document.getElementById('lesson-verdict').dataset.verdict,
        arms: table.length,
        seeds: table[0]?.at(-1) ?? '',
        status: document.getElementById('lesson-status').textContent,
        pageSeeds: full ? committed.seeds : lesson.pageSeeds,
        stepsPerArm: full ? lesson.steps : lesson.pageSteps,
        evaluationMaps: full ? committed.evaluationMaps : lesson.pageMaps,
        ...(full ? { largestGap: gap ? Number(gap) : null } : {}),
      };
    }, { lessonId: id, full: scale === 'full' });
    const row = { lesson: id, seconds: Number(seconds.toFixed(1)), withinLimit: seconds <= limit, ...measured };
    rows.push(row);
    console.log(`${id}: ${row.seconds} s, ${row.arms} arms, seeds ${row.seeds}, verdict ${row.verdict}${row.withinLimit ? '' : `  (over ${limit} s)`}`);
  }
  if (problems.errors.length) throw new Error(`the page reported errors: ${problems.errors.join('; ')}`);
  const out = new URL(`../docs/results/lesson-${scale}-times.json`, import.meta.url).pathname;
  if (!only && save) {
    writeFileSync(out, `${JSON.stringify({
      command: `node scripts/lesson-times.mjs --scale ${scale}`,
      scale,
      date: new Date().toISOString().slice(0, 10),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', browser: `Chromium ${browserVersion}` },
      load: { start: loadAtStart, end: loadavg().map((l) => Number(l.toFixed(2))) },
      limitSeconds: limit,
      lessons: rows,
    }, null, 2)}\n`);
    console.log(`wrote ${out}`);
  }
} finally {
  await context.close();
}
const slow = rows.filter((row) => !row.withinLimit);
if (slow.length) {
  console.error(`over ${limit} s: ${slow.map((row) => `${row.lesson} (${row.seconds} s)`).join(', ')}`);
  process.exit(1);
}
