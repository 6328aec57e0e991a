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
  assert.equal(await page.evaluate(() => window.playground.report().step), step, 'the student keeps training on the edit');
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

e2eTest('touch: a tap inspects a cell, and with a tool a finger paints along its drag', async ({ browser, origin }) => {
  const page = await browser.newPage({ viewport: { width: 400, height: 800 }, hasTouch: true, isMobile: true });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${origin}/#map=open&trainMaps=current`);
  await page.waitForFunction(() => window.playground && window.__test?.frames > 2, null, { timeout: 30000 });
  await page.click('#play');
  const cell = async (x, y) => page.evaluate(([cx, cy]) => {
    const grid = document.getElementById('grid');
    const box = grid.getBoundingClientRect();
    const n = window.playground.size();
    return { x: box.left + ((cx + 0.5) * box.width) / n, y: box.top + ((cy + 0.5) * box.height) / n };
  }, [x, y]);
  await page.locator('#grid').scrollIntoViewIfNeeded();
  // A tap selects the cell under the finger.
  const tap = await cell(3, 2);
  await page.touchscreen.tap(tap.x, tap.y);
  await page.waitForFunction(() => /column 3, row 2/.test(document.getElementById('cell-name').textContent), null, { timeout: 5000 });
  // With the wall tool, a drag across row 4 from column 2 to column 5 paints walls all along it.
  await page.check('input[name=tool][value=wall]');
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('grid')).touchAction), 'none', 'a finger paints instead of scrolling');
  await page.evaluate(() => document.getElementById('grid').scrollIntoView({ block: 'center' }));
  const cdp = await page.context().newCDPSession(page);
  const points = [];
  for (let x = 2; x <= 5; x++) points.push(await cell(x, 4));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: points[0].x, y: points[0].y }] });
  for (const p of points.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: p.x, y: p.y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const row = await page.evaluate(() => window.playground.mapText().trim().split('\n')[4]);
  assert.equal(row.slice(2, 6), '####', `row 4 after the drag: ${row}`);
  assert.deepEqual(errors, []);
  await page.close();
}, { chromiumOnly: 'touch is emulated through Chromium\'s DevTools protocol; the Firefox and WebKit drivers used here have no touch input' });

e2eTest('pen and finger: the editor paints from any pointer\'s events, and a tap inspects (every engine)', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#map=open&trainMaps=current');
  await page.evaluate(() => { document.querySelector('input[name=tool][value=wall]').click(); });
  // Pointer events as a pen makes them, dragged along row 3 from column 1 to column 4.
  const row = await page.evaluate(() => {
    const grid = document.getElementById('grid');
    const box = grid.getBoundingClientRect();
    const n = window.playground.size();
    const at = (cx, cy) => ({ clientX: box.left + ((cx + 0.5) * box.width) / n, clientY: box.top + ((cy + 0.5) * box.height) / n });
    const send = (target, name, point) => target.dispatchEvent(new PointerEvent(name, { ...point, pointerType: 'pen', pointerId: 3, isPrimary: true, pressure: 0.5, bubbles: true, cancelable: true }));
    send(grid, 'pointerdown', at(1, 3));
    for (const x of [2, 3, 4]) send(grid, 'pointermove', at(x, 3));
    send(window, 'pointerup', at(4, 3));
    return window.playground.mapText().trim().split('\n')[3];
  });
  assert.equal(row.slice(1, 5), '####', `row 3 after the pen's stroke: ${row}`);
  // Inspecting: a tap is a click on the cell; the panel names it.
  await page.evaluate(() => { document.querySelector('input[name=tool][value=""]').click(); });
  await page.evaluate(() => {
    const grid = document.getElementById('grid');
    const box = grid.getBoundingClientRect();
    const n = window.playground.size();
    const point = { clientX: box.left + (2.5 * box.width) / n, clientY: box.top + (5.5 * box.height) / n, bubbles: true };
    grid.dispatchEvent(new PointerEvent('pointerdown', { ...point, pointerType: 'touch' }));
    grid.dispatchEvent(new PointerEvent('pointerup', { ...point, pointerType: 'touch' }));
    grid.dispatchEvent(new MouseEvent('click', point));
  });
  await page.waitForFunction(() => /column 2, row 5/.test(document.getElementById('cell-name').textContent), null, { timeout: 5000 });
  assert.deepEqual(problems.errors, []);
  await page.close();
});
