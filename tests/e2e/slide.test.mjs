// The Lessons view as a slide: `?lesson=ID&present=1` opens a lesson alone on one 16:9 screen, its
// claim, live curves, verdict with its figure, map and navigation all inside the viewport after a
// run, at both projector sizes (the temperature lesson: two parts, the longest explanation); the
// arrow keys go through the catalogue and Escape leaves; leaving puts the map back under the verdict.
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

/** Which of the slide's parts lie wholly inside the viewport (and are drawn at all). */
const partsInView = (page) => page.evaluate(() => {
  const parts = { title: '#lesson', claim: '#lesson-claim', run: '#lesson-run', curves: '#lesson-curves canvas', table: '#lesson-table',
    verdict: '#lesson-verdict', figure: '#lesson-figure', map: '#lesson-map-table', next: '#lesson-next' };
  return Object.fromEntries(Object.entries(parts).map(([name, selector]) => {
    const r = document.querySelector(selector)?.getBoundingClientRect();
    return [name, !!r && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight + 1 && r.right <= window.innerWidth + 1];
  }));
});
const ALL_IN_VIEW = { title: true, claim: true, run: true, curves: true, table: true, verdict: true, figure: true, map: true, next: true };

for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
  e2eTest(`at ${viewport.width}×${viewport.height} a lesson opened with present=1 is one slide: claim, live curves, verdict, figure and map without scrolling`, async ({ browser, origin }) => {
    const { page, problems } = await openPage(browser, origin, '/?lesson=temperature&present=1', viewport);
    await page.waitForFunction(() => document.body.classList.contains('lesson-slide') && !document.getElementById('lesson-figure').hidden, null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => document.getElementById('lesson').value), 'temperature');
    // The committed run's verdict is on the slide before anything runs.
    assert.match(await page.evaluate(() => document.getElementById('lesson-measured').textContent), /10 seeds/);
    // A quick look (its scale's radio is off the slide; the lecturer's default is kept otherwise).
    await page.evaluate(() => { document.getElementById('lesson-quick').checked = true; });
    await page.click('#lesson-run');
    await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 120000 });
    assert.deepEqual(await partsInView(page), ALL_IN_VIEW, 'every part of the slide is on the screen');
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'nothing scrolled');
    const overflow = await page.evaluate(() => ['lesson-live', 'lesson-result'].map((id) => {
      const column = document.getElementById(id);
      return Math.max(0, column.scrollHeight - column.clientHeight - 1);
    }));
    assert.deepEqual(overflow, [0, 0], `neither column needs its scroll bar (px beyond each: ${overflow})`);
    // The curves start from the first steps (a log axis from a few steps in), and the verdict names its interval.
    const steps = await page.evaluate(() => window.__test.lessonCurveSteps);
    assert.ok(steps.length >= 8 && steps[0] > 0 && steps[0] <= steps.at(-1) / 100, `sampled from the first steps: ${steps}`);
    assert.match(await page.textContent('#lesson-verdict'), /95% interval/);
    // The arrow keys (and a clicker's PageDown) go to the next lesson and back; Escape leaves the slide.
    const position = () => page.textContent('#lesson-position');
    assert.equal(await position(), 'lesson 7 of 15');
    await page.locator('#lesson-next').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.getElementById('lesson').value), 'rl-finetune');
    assert.equal(await position(), 'lesson 8 of 15');
    await page.keyboard.press('PageUp');
    assert.equal(await page.evaluate(() => document.getElementById('lesson').value), 'temperature');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.body.classList.contains('lesson-slide')), false);
    assert.equal(await page.evaluate(() => document.getElementById('lesson-published').nextElementSibling.id), 'lesson-map');
    assert.equal(await page.textContent('#lesson-slide'), 'Show as a slide');
    assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
    await page.close();
  });
}
