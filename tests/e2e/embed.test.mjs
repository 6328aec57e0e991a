// End-to-end tests (embed): embed mode and the documented iframe snippet.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

e2eTest('embed mode shows the grid and the kept controls, sized to its iframe; hide= hides more', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/?embed=1&hide=loss,stats,bogus%3Cb%3E#temperature=2', { width: 640, height: 420 });
  for (const id of ['grid', 'temperature', 'lr', 'hidden', 'map', 'play', 'step', 'reset']) {
    assert.equal(await page.isVisible(`#${id}`), true, `#${id} should stay`);
  }
  for (const selector of ['header .title-row', '#first-view', '#loss', 'label[for=loss]', '#stats', '#ledger', '#editor', '#curves', '#scenario']) {
    assert.equal(await page.isVisible(selector), false, `${selector} should be hidden`);
  }
  assert.match(await page.textContent('#notice'), /hide= names no control of this page: bogus<b>/);
  assert.equal(await page.locator('#notice b').count(), 0, 'the name is text, not markup');
  const box = await page.locator('#grid').boundingBox();
  assert.ok(box.height <= 420 && box.width <= 640, `the grid fits the frame: ${JSON.stringify(box)}`);
  assert.equal(await page.evaluate(() => window.playground.config().temperature), 2, 'the link still applies');
  const step = await page.evaluate(() => window.playground.report().step);
  await page.waitForFunction((s) => window.playground.report().step > s, step, { timeout: 10000 });
  // The documented iframe snippet works: the page inside a frame of a page of the same server.
  const host = await browser.newPage({ viewport: { width: 900, height: 600 } });
  await host.goto(`${origin}/www/embed-example.html`);
  const frame = host.frameLocator('iframe');
  await frame.locator('#grid').waitFor({ state: 'visible', timeout: 30000 });
  // The embedded page hides its title and introduction once its script has started.
  for (const started = Date.now(); await frame.locator('header .title-row').isVisible();) {
    assert.ok(Date.now() - started < 30000, 'the embedded page still shows its title row');
    await host.waitForTimeout(100);
  }
  assert.deepEqual(problems.errors, []);
  await host.close();
  await page.close();
});

e2eTest('an 820×520 embed shows the grid, play and the key figures without scrolling; show= brings parts back; the link carries scenario, speed and budget', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/?embed=1&show=ledger,nonsense&scenario=temperature&speed=100&budget=900', { width: 820, height: 520 });
  await page.waitForFunction(() => window.playground?.config?.().temperature === 0.3, null, { timeout: 30000 });
  const boxes = await page.evaluate(() => Object.fromEntries(['grid', 'play', 'key-figures', 'kf-retained'].map((id) => {
    const box = document.getElementById(id).getBoundingClientRect();
    return [id, { top: box.top, bottom: box.bottom, left: box.left, right: box.right, width: box.width }];
  })));
  for (const [id, box] of Object.entries(boxes)) {
    assert.ok(box.width > 0 && box.top >= 0 && box.bottom <= 520 && box.right <= 820, `#${id} is in the frame: ${JSON.stringify(box)}`);
  }
  assert.ok(boxes.grid.width >= 300, `the grid is the largest thing: ${boxes.grid.width} px`);
  assert.equal(await page.isVisible('#ledger'), true, 'show=ledger brings the ledger back');
  assert.equal(await page.isVisible('#lessons'), false, 'what show= does not name stays hidden');
  assert.match(await page.textContent('#notice'), /show= names no part of this page: nonsense/);
  // The link's scenario (three students side by side), speed and budget.
  assert.equal(await page.evaluate(() => window.playground.config().temperature), 0.3);
  assert.equal(await page.textContent('#speed-value'), '100 steps/s');
  assert.equal(await page.inputValue('#budget'), '900');
  assert.deepEqual(problems.errors, []);
  await page.close();
  // A bad value is named and the page's own default kept.
  const bad = await openPage(browser, origin, '/?speed=7&budget=-1&scenario=nope', { width: 1200, height: 900 });
  await bad.page.waitForFunction(() => document.getElementById('notice').textContent.length > 0, null, { timeout: 30000 });
  const notice = await bad.page.textContent('#notice');
  for (const field of ['speed', 'budget', 'scenario']) assert.match(notice, new RegExp(`${field} \\(`), notice);
  assert.equal(await bad.page.textContent('#speed-value'), '300 steps/s');
  assert.equal(await bad.page.inputValue('#budget'), '3000');
  await bad.page.close();
});

e2eTest('opened from file:// the page says why it cannot run and what to do', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 820, height: 520 } });
  await page.goto(new URL('../../index.html', import.meta.url).href);
  await page.waitForFunction(() => {
    const box = document.getElementById('file-warning').getBoundingClientRect();
    return box.height > 20 && getComputedStyle(document.getElementById('file-warning')).visibility === 'visible';
  }, null, { timeout: 15000 });
  assert.match(await page.textContent('#file-warning'), /opened as a file.*npm start.*python3 -m http\.server/s);
  await page.close();
});
