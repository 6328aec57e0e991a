// End-to-end tests (embed): embed mode and the documented iframe snippet.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

e2eTest('embed mode shows the grid and the kept controls, sized to its iframe; hide= hides more', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/?embed=1&hide=loss,stats,bogus%3Cb%3E#temperature=2', { width: 640, height: 420 });
  for (const id of ['grid', 'temperature', 'lr', 'hidden', 'map', 'play', 'step', 'reset']) {
    assert.equal(await page.isVisible(`#${id}`), true, `#${id} should stay`);
  }
  for (const selector of ['header', '#loss', 'label[for=loss]', '#stats', '#ledger', '#editor', '#curves', '#scenario']) {
    assert.equal(await page.isVisible(selector), false, `${selector} should be hidden`);
  }
  assert.match(await page.textContent('#notice'), /hide= names no control of this page: bogus<b>/);
  assert.equal(await page.locator('#notice b').count(), 0, 'the name is text, not markup');
  const box = await page.locator('#grid').boundingBox();
  assert.ok(box.height <= 420 && box.width <= 640, `the grid fits the frame: ${JSON.stringify(box)}`);
  assert.equal(await page.evaluate(() => window.playground.config().temperature), 2, 'the link still applies');
  const step = await page.evaluate(() => window.playground.train(0).step);
  await page.waitForFunction((s) => window.playground.train(0).step > s, step, { timeout: 10000 });
  // The documented iframe snippet works: the page inside a frame of a page of the same server.
  const host = await browser.newPage({ viewport: { width: 900, height: 600 } });
  await host.goto(`${origin}/www/embed-example.html`);
  const frame = host.frameLocator('iframe');
  await frame.locator('#grid').waitFor({ state: 'visible', timeout: 30000 });
  // The embedded page hides its header once its script has started.
  for (const started = Date.now(); await frame.locator('header').isVisible();) {
    assert.ok(Date.now() - started < 30000, 'the embedded page still shows its header');
    await host.waitForTimeout(100);
  }
  assert.deepEqual(problems.errors, []);
  await host.close();
  await page.close();
});
