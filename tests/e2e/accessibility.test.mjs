// End-to-end tests (accessibility): accessibility: names, a narrow screen, dark and light.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { ENGINE, e2eTest, openPage } from './harness.mjs';

e2eTest('accessibility: every control has a name, the layout fits 360 px, dark and light follow the system', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin, '/', { width: 360, height: 740 });
  const unnamed = await page.evaluate(() => Array.from(document.querySelectorAll('input, select, button, canvas[tabindex]'))
    .filter((e) => !e.closest('[hidden]'))
    .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' && e.textContent.trim())))
    .map((e) => e.id || e.outerHTML.slice(0, 60)));
  assert.deepEqual(unnamed, [], 'controls without an accessible name');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 360 px screen`);
  const grid = await page.locator('#grid').boundingBox();
  assert.ok(grid.width > 300 && grid.width <= 360, `the grid uses the width: ${grid.width}`);
  // On a phone the grid comes first, then play, the budget and the key figures (before the toggles
  // and the other controls), in page coordinates.
  const top = (id) => page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top + window.scrollY, id);
  const [gridTop, play, budget, stats, toggles, temperature] = [await top('grid'), await top('play'), await top('budget-progress'), await top('stats'), await top('show-teacher'), await top('temperature')];
  assert.ok(gridTop < play && play < budget && budget < stats, `grid ${gridTop}, play ${play}, budget ${budget}, figures ${stats}`);
  assert.ok(stats < toggles && stats < temperature, `the key figures (${stats}) come before the toggles (${toggles}) and the other controls (${temperature})`);
  assert.ok(play - (gridTop + grid.height) < 120, `play is right under the grid (${(play - gridTop - grid.height).toFixed(0)} px below it)`);
  // The grid is reachable by keyboard and the selected cell has a text table for screen readers.
  await page.locator('#grid').focus();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'grid');
  // Dark and light follow the system: Chromium only (puppeteer cannot emulate the colour scheme in Firefox).
  if (ENGINE === 'chromium') {
    const background = async (scheme) => {
      await page.emulateMedia({ colorScheme: scheme });
      return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    };
    assert.notEqual(await background('dark'), await background('light'), 'dark and light differ');
  }
  await page.close();
}, { notIn: { webkit: 'a MiniBrowser window is at least 447 px wide, so the 360 px layout cannot be checked' } });

e2eTest('on a phone every tap target is at least 44 × 44 px: buttons, menus, fields, sliders and the labels of checkboxes and radios', async ({ browser, origin }) => {
  for (const path of ['/', '/#lessons']) {
    const { page, problems } = await openPage(browser, origin, path, { width: 360, height: 740 });
    await page.waitForFunction(() => document.getElementById('lesson').options.length > 0, null, { timeout: 30000 });
    const small = await page.evaluate(() => {
      const shown = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden';
      const target = (element) => (['checkbox', 'radio'].includes(element.type) ? element.closest('label') ?? document.querySelector(`label[for="${element.id}"]`) ?? element : element);
      return [...document.querySelectorAll('button, select, input')].filter(shown).map(target).filter((element) => {
        const r = element.getBoundingClientRect();
        return r.height < 43.5 || r.width < 43.5;
      }).map((element) => `${element.tagName.toLowerCase()}#${element.id || element.textContent.trim().slice(0, 30)} ${Math.round(element.getBoundingClientRect().width)}×${Math.round(element.getBoundingClientRect().height)}`);
    });
    assert.deepEqual(small, [], `${path}: tap targets under 44 px`);
    assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
    await page.close();
  }
});
