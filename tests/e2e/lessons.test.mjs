// End-to-end tests (lessons): the Lessons view runs a lesson on the background workers at the page's
// scale and shows each arm and the verdict its rule computes (the same code as `distill lessons`).
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { ENGINE, e2eTest, openPage } from './harness.mjs';

e2eTest('the Lessons view runs the compression lesson to its verdict', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#lessons');
  assert.equal(await page.inputValue('#lesson'), 'compression');
  assert.match(await page.textContent('#lesson-claim'), /70–90%/);
  assert.match(await page.textContent('#lesson-published'), /84%/);
  await page.check('input[name="lesson-expect"][value="reproduced"]');
  const started = Date.now();
  await page.click('#lesson-run');
  // Arms land as they finish; then the verdict.
  await page.waitForFunction(() => document.querySelectorAll('#lesson-table tbody tr').length > 0, null, { timeout: 240000 });
  await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 400000 });
  const seconds = (Date.now() - started) / 1000;
  const verdict = await page.textContent('#lesson-verdict');
  assert.match(verdict, /^Verdict: (reproduced|not reproduced|inconclusive)\. ability retained by width 64/);
  assert.match(verdict, /95% interval \[\d+\.\d%, \d+\.\d%\] over 2 seeds/);
  assert.match(verdict, /You expected: reproduced/);
  const rows = await page.$$eval('#lesson-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
  assert.equal(rows.length, 6, 'one row per width');
  for (const row of rows) assert.equal(row[4], '2 of 2');
  if (ENGINE === 'chromium') assert.ok(seconds < 60, `the compression lesson took ${seconds.toFixed(0)} s in Chromium (at most 60)`);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});
