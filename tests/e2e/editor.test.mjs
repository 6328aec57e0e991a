// End-to-end tests (editor): the map editor.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage, pauseAfterTraining } from './harness.mjs';

e2eTest('map editor paints, resizes, undoes and redoes without resetting the student', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  const step = await pauseAfterTraining(page);
  const before = await page.evaluate(() => window.playground.mapText());
  await page.check('input[name=tool][value=lava]');
  // Choosing the tool may have scrolled the palette into view; the grid comes back into view to paint.
  await page.evaluate(() => document.getElementById('grid').scrollIntoView({ block: 'start' }));
  const box = await page.locator('#grid').boundingBox();
  const n = await page.evaluate(() => window.playground.size());
  const at = (x, y) => [box.x + ((x + 0.5) * box.width) / n, box.y + ((y + 0.5) * box.height) / n];
  await page.mouse.move(...at(2, 2));
  await page.mouse.down();
  await page.mouse.move(...at(3, 2), { steps: 4 });
  await page.mouse.up();
  const painted = await page.evaluate(() => window.playground.mapText().split('\n'));
  assert.equal(painted[2][2], 'L');
  assert.equal(painted[2][3], 'L');
  assert.equal(await page.evaluate(() => window.playground.train(0).step), step, 'the student keeps training on the edit');
  const teacherOnLava = await page.evaluate(() => Array.from(window.playground.probs('teacher', 2, 1)));
  assert.ok(teacherOnLava[1] < 0.2, `the teacher no longer steps down into the lava: ${teacherOnLava}`);
  await page.click('#undo');
  await page.click('#undo');
  assert.equal((await page.evaluate(() => window.playground.mapText())).trim(), before.trim());
  await page.click('#redo');
  assert.equal((await page.evaluate(() => window.playground.mapText().split('\n')))[2][2], 'L');
  await page.locator('#size').fill('7');
  await page.locator('#size').dispatchEvent('change');
  assert.equal(await page.evaluate(() => window.playground.size()), 7);
  assert.match(await page.evaluate(() => location.hash), /mapText=/, 'the edited map is in the link');
  await page.locator('#grid').focus();
  await page.keyboard.press('?');
  assert.equal(await page.isHidden('#help'), false);
  await page.keyboard.press('Escape');
  assert.equal(await page.isHidden('#help'), true);
  await page.locator('#grid').focus();
  await page.keyboard.press(' ');
  assert.equal(await page.textContent('#play'), 'Pause');
  await page.close();
});
