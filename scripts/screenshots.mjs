// The screenshot gallery, taken from the real page in headless Chromium: docs/screenshots/*.png
// (projector 1366×768, presenter mode at 1366×768 and 1920×1080, phone 360 px, dark, an embed 820×520, the page in Chinese, You are the teacher,
// a lesson's verdict at 1366 px and on a phone, a lesson's map of where its claim holds, an episode being played, every lesson as a slide at 1366×768 and 1920×1080). Run it whenever the page changes: `node scripts/screenshots.mjs` (about a minute).
import { mkdirSync } from 'node:fs';
import { launch, openPage } from '../tests/e2e/browser.mjs';

const out = new URL('../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const context = await launch();
const shot = async (page, name, fullPage = false) => {
  await page.screenshot({ path: `${out}${name}.png`, fullPage });
  console.log(`wrote docs/screenshots/${name}.png`);
};
/** Waits until the page's run has reached its budget (the default 3,000 steps at 300 steps/s: about 10 s). */
const untilBudget = (page) => page.waitForFunction(() => document.getElementById('play').textContent === 'Keep training', null, { timeout: 60000 });

try {
  // Projector: the first screen a lecturer shows, after the default run has finished.
  {
    const { page } = await openPage(context.browser, context.origin, '/', { width: 1366, height: 768 });
    await untilBudget(page);
    await page.waitForTimeout(1600); // the last evaluation lands in the ledger
    await shot(page, 'projector');
    // An episode being played: teacher and student race from the start, caught mid-way.
    await page.click('#episode-race');
    await page.waitForTimeout(1200);
    await shot(page, 'episode');
    // Presenter mode on the same projector, and on a 1920×1080 one.
    await page.click('#presenter');
    await page.waitForTimeout(600);
    await shot(page, 'presenter');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(600);
    await shot(page, 'presenter-1080');
    await page.close();
  }
  // After four seconds of training: a phone 360 px wide, the system's dark scheme, and an embed at
  // the iframe size a course page gives it.
  for (const [name, path, viewport, colorScheme] of [
    ['phone', '/', { width: 360, height: 740 }, 'light'],
    ['dark', '/', { width: 1366, height: 768 }, 'dark'],
    ['embed', '/?embed=1#map=maze&loss=kl&temperature=2', { width: 820, height: 520 }, 'light'],
    ['zh-CN', '/?lang=zh-CN', { width: 1366, height: 768 }, 'light'],
    ['zh-CN-phone', '/?lang=zh-CN', { width: 360, height: 740 }, 'dark'],
  ]) {
    const page = await context.browser.newPage({ viewport, colorScheme });
    await page.goto(context.origin + path);
    await page.waitForFunction(() => window.playground && window.__test?.frames > 2, null, { timeout: 30000 });
    await page.waitForTimeout(4000);
    await shot(page, name);
    await page.close();
  }
  // You are the teacher: a few moves demonstrated, the student's question, the comparison in the ledger.
  {
    const { page } = await openPage(context.browser, context.origin, '/#map=open&trainMaps=current&seed=3', { width: 1366, height: 768 });
    await page.evaluate(() => document.getElementById('teach-start').click());
    await page.waitForFunction(() => window.playground.config().data === 'human', null, { timeout: 10000 });
    await page.evaluate(() => document.getElementById('grid').focus());
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowDown']) await page.keyboard.press(key);
    await page.waitForFunction(() => window.__test?.evaluations > 1 && window.playground.step > 300, null, { timeout: 30000 });
    await page.evaluate(() => document.getElementById('teach-compare').click());
    await page.waitForFunction(() => !document.getElementById('human-ledger').hidden, null, { timeout: 60000 });
    await page.evaluate(() => document.getElementById('teach-ask').click());
    await page.waitForTimeout(300);
    await shot(page, 'teach');
    await page.evaluate(() => document.getElementById('ledger-panel').scrollIntoView());
    await shot(page, 'teach-ledger');
    await page.close();
  }
  // Where a claim holds: the complementary teachers' map (blind share × overlap) with a point chosen, on a
  // projector; RL past a weak teacher in the dark scheme; the temperature lesson's on a phone.
  for (const [name, lesson, viewport, colorScheme, cell] of [
    ['lesson-map', 'mixing-complementary', { width: 1366, height: 768 }, 'light', 1],
    ['lesson-map-dark', 'rl-weak-teacher', { width: 1920, height: 1080 }, 'dark', 4],
    ['lesson-map-phone', 'temperature', { width: 360, height: 740 }, 'light', 0],
  ]) {
    const page = await context.browser.newPage({ viewport, colorScheme });
    await page.goto(`${context.origin}/#lessons`);
    await page.waitForFunction(() => document.getElementById('lesson').options.length > 0, null, { timeout: 60000 });
    await page.selectOption('#lesson', lesson);
    await page.waitForFunction(() => document.querySelectorAll('#lesson-map-table .map-point').length > 2, null, { timeout: 30000 });
    await page.locator('#lesson-map-table .map-point').nth(cell).click();
    await page.locator('#lesson-map').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('lesson-map').scrollIntoView({ block: 'start' }));
    await shot(page, name);
    await page.close();
  }
  // A lesson's verdict: the compression lesson at the page's scale (10 seeds, about 40 s on two cores).
  {
    const { page } = await openPage(context.browser, context.origin, '/#lessons', { width: 1366, height: 768 });
    await page.check('input[name="lesson-expect"][value="reproduced"]');
    await page.click('#lesson-run');
    await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 300000 });
    await page.locator('#lesson-verdict').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, 'lesson-verdict');
    await page.close();
  }
  // Every lesson as a slide (?lesson=ID&present=1) at both projector sizes, after a quick look (2 seeds,
  // a few seconds: the curves, this run's verdict beside the command line's): slides/ID-WIDTH.png.
  mkdirSync(`${out}slides`, { recursive: true });
  for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    const { page } = await openPage(context.browser, context.origin, '/?lesson=compression&present=1', viewport);
    const ids = await page.evaluate(() => Array.from(document.getElementById('lesson').options).map((o) => o.value));
    for (const id of ids) {
      await page.selectOption('#lesson', id);
      await page.waitForFunction(() => !document.getElementById('lesson-figure').hidden, null, { timeout: 30000 });
      await page.evaluate(() => { document.getElementById('lesson-quick').checked = true; });
      await page.click('#lesson-run');
      await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 300000 });
      await page.waitForTimeout(300);
      await shot(page, `slides/${id}-${viewport.width}`);
    }
    await page.close();
  }
  // On a phone: a lesson of two parts (temperature), its verdict, the command line's and why.
  {
    const { page } = await openPage(context.browser, context.origin, '/#lessons', { width: 360, height: 740 });
    await page.selectOption('#lesson', 'temperature');
    await page.click('#lesson-run');
    await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 300000 });
    await page.locator('#lesson-verdict').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, 'lesson-verdict-phone');
    await page.close();
  }
} finally {
  await context.close();
}
