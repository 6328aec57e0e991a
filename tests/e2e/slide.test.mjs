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
    assert.deepEqual(await page.evaluate(() => ['lesson-previous', 'lesson-next'].map((id) => document.getElementById(id).disabled)), [false, false], 'after a run, Previous and Next work again');
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

e2eTest('Export the slide gives one 16:9 PNG of the lesson at twice its 1280×720: title, curves, the verdict figure and words', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/?lesson=compression&present=1', { width: 1366, height: 768 });
  await page.waitForFunction(() => !document.getElementById('lesson-figure').hidden, null, { timeout: 30000 });
  await page.evaluate(() => { document.getElementById('lesson-quick').checked = true; });
  await page.click('#lesson-run');
  await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 120000 });
  const names = [];
  page.on('download', (d) => names.push(d.suggestedFilename()));
  const download = page.waitForEvent('download');
  await page.click('#lesson-export');
  const file = await download;
  await page.waitForTimeout(300); // no second file follows
  assert.deepEqual(names, ['lesson-compression.png']);
  const bytes = Buffer.concat(await (await file.createReadStream()).toArray());
  // The PNG's own header: width and height at bytes 16–23.
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [2560, 1440]);
  const drawn = await page.evaluate(async (data) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(data)], { type: 'image/png' }));
    const canvas = Object.assign(document.createElement('canvas'), { width: bitmap.width, height: bitmap.height });
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    /** Pixels of an Okabe–Ito arm colour (the curves' and legend's) and of the verdict's green or orange. */
    const count = (x0, y0, x1, y1, test) => {
      const d = context.getImageData(x0, y0, x1 - x0, y1 - y0).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (test(d[i], d[i + 1], d[i + 2])) n += 1;
      return n;
    };
    const blue = (r, g, b) => r < 40 && g > 90 && g < 140 && b > 150;
    const dark = (r, g, b) => r + g + b < 200;
    return { title: count(0, 60, 2560, 150, dark), curves: count(0, 180, 1300, 1000, blue), figure: count(1300, 180, 2560, 1000, dark) };
  }, [...bytes]);
  assert.ok(drawn.title > 500 && drawn.curves > 200 && drawn.figure > 200, `title, curves and figure drawn: ${JSON.stringify(drawn)}`);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
}, { chromiumOnly: 'it reads the download through Playwright' });
