// End-to-end tests (links): shareable links: every setting carried, hostile links refused.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

e2eTest('links carry every setting; hostile links are refused field by field and never run', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  await page.selectOption('#loss', 'reverse_kl');
  await page.selectOption('#map', 'cliff');
  await page.locator('#seed').fill('9');
  await page.locator('#seed').dispatchEvent('change');
  const link = await page.evaluate(() => location.href);
  assert.match(link, /#.*loss=reverse_kl/);
  const expected = await page.evaluate(() => window.playground.config());
  const second = await openPage(browser, origin, link.slice(origin.length));
  const restored = await second.page.evaluate(() => window.playground.config());
  assert.deepEqual(restored, expected);
  await second.page.close();
  const hostile = '/#loss=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E&temperature=1e9&hidden=3&mapText=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&seed=4&bogus=%3Cb%3Ex%3C%2Fb%3E';
  const third = await openPage(browser, origin, hostile);
  const notice = await third.page.textContent('#notice');
  for (const field of ['loss', 'temperature', 'hidden', 'mapText', 'bogus']) assert.ok(notice.includes(field), `notice names ${field}: ${notice}`);
  assert.equal(await third.page.evaluate(() => window.__pwned), undefined, 'nothing from the link ran');
  assert.equal(await third.page.evaluate(() => document.querySelectorAll('#notice *, body img, body script:not([src])').length), 0, 'no markup from the link');
  const config = await third.page.evaluate(() => window.playground.config());
  assert.equal(config.seed, 4);
  assert.equal(config.loss, 'kl');
  assert.equal(config.temperature, 1);
  await third.page.close();
  await page.close();
});

e2eTest('a link edited in the address bar after load applies at once, checked as on load; #lessons only scrolls', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#temperature=2&map=maze');
  await page.waitForFunction(() => window.playground?.config?.().temperature === 2, null, { timeout: 30000 });
  await page.evaluate(() => { location.hash = '#temperature=3&map=open&hidden=16'; });
  await page.waitForFunction(() => window.playground.config().temperature === 3, null, { timeout: 10000 });
  assert.deepEqual(await page.evaluate(() => [window.playground.config().map, window.playground.config().hidden]), ['open', 16]);
  assert.equal(await page.inputValue('#hidden'), '16', 'the controls follow the new link');
  await page.evaluate(() => { location.hash = '#temperature=abc&map=cliff'; });
  await page.waitForFunction(() => /temperature/.test(document.getElementById('notice').textContent), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.playground.config().map), 'cliff', 'the good fields of a partly bad link apply');
  const temperature = await page.evaluate(() => window.playground.config().temperature);
  await page.evaluate(() => { location.hash = '#lessons'; });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.playground.config().temperature), temperature, '#lessons changes no setting');
  assert.deepEqual(problems.errors, []);
  await page.close();
});

e2eTest('every door into the page trains as its first view does: across 1,024 maps, so no figure contradicts the lesson beside it', async ({ browser, origin }) => {
  // The first view, the Lessons view, a lesson's link, a lesson as a slide, an embed, and the framed
  // example page's own iframe (its link names trainMaps, as docs/reference.md's snippet does).
  for (const path of ['/', '/#lessons', '/?lesson=dark-knowledge', '/?lesson=compression&present=1', '/?embed=1', '/?embed=1&hide=hidden,map#map=maze&loss=kl&temperature=2&trainMaps=1024']) {
    const { page, problems } = await openPage(browser, origin, path);
    assert.equal(await page.evaluate(() => window.playground.config().trainMaps), 1024, `${path} trains across 1,024 maps`);
    assert.deepEqual(problems, { console: [], errors: [], foreign: [] }, path);
    await page.close();
  }
  // A link that names other settings but not trainMaps still means the map shown.
  const { page } = await openPage(browser, origin, '/#loss=hard');
  assert.equal(await page.evaluate(() => window.playground.config().trainMaps), 'current');
  await page.close();
});
