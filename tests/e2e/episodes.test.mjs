// End-to-end tests (episodes): watch the teacher and the student act, as an animated agent.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

e2eTest('an episode of the teacher and the student plays on the grid and reaches an end, as the API says', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  // Let the default run reach its budget at full speed, so the student has learned something.
  await page.locator('#speed').fill('5');
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Keep training', null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.getElementById('episode-text').dataset.state), 'idle');
  await page.click('#episode-race');
  assert.equal(await page.evaluate(() => document.getElementById('episode-text').dataset.state), 'playing');
  // The agents move at a pace you can follow: still playing a moment later (no episode here is one step).
  const expected = await page.evaluate(() => {
    const start = Array.from(window.playground.startCell());
    return ['teacher', 'student'].map((who) => ({ start, ...window.playground.episode(who, start[0], start[1], 1) }));
  });
  assert.ok(expected.every((e) => e.steps.length >= 2), 'episodes of at least two steps');
  await page.waitForFunction(() => document.getElementById('episode-text').dataset.state === 'ended', null, { timeout: 60000 });
  const text = await page.textContent('#episode-text');
  const endings = { goal: 'reached the goal', lava: 'fell into lava', outOfTime: 'ran out of time' };
  for (const [i, who] of ['teacher', 'student'].entries()) {
    const e = expected[i];
    const name = { teacher: 'teacher (orange disc)', student: 'student (blue disc)' }[who];
    assert.ok(text.includes(`${name}: ${endings[e.outcome]} after ${e.steps.length} step`), `"${text}" reports the ${who}'s episode (${e.outcome}, ${e.steps.length} steps)`);
  }
  // The teacher's agent is drawn where its episode ended (its disc sits up and left of the cell's centre in a race).
  const pixel = await page.evaluate(([x, y]) => {
    const canvas = document.getElementById('grid');
    const cell = Math.min(canvas.width, canvas.height) / window.playground.size();
    const px = Math.round((x + 0.5 - 0.12 - 0.18) * cell);
    const py = Math.round((y + 0.5 - 0.12) * cell);
    return Array.from(canvas.getContext('2d').getImageData(px, py, 1, 1).data.slice(0, 3));
  }, expected[0].steps.at(-1).to);
  assert.ok(Math.abs(pixel[0] - 0xd9) < 40 && Math.abs(pixel[1] - 0x48) < 40 && Math.abs(pixel[2] - 0x0f) < 40, `teacher's agent colour at its last cell: ${pixel}`);
  // Bad requests are refused by name.
  const refused = await page.evaluate(() => {
    const attempt = (f) => { try { f(); return null; } catch (e) { return String(e.message ?? e); } };
    const pg = window.playground;
    return [attempt(() => pg.episode('nobody', 1, 1, 1)), attempt(() => pg.episode('teacher', -1, 0, 1)),
      attempt(() => pg.episode('teacher', 1.5, 0, 1)), attempt(() => pg.episode('teacher', 1, 1, -2))];
  });
  assert.match(refused[0], /who must be "teacher" or "student"/);
  assert.match(refused[1], /outside the \d+×\d+ grid/);
  assert.match(refused[2], /whole numbers/);
  assert.match(refused[3], /seed must be a whole number/);
  // From a wall, the page says so and plays from the start instead.
  const wall = await page.evaluate(() => {
    const rows = window.playground.mapText().trim().split('\n');
    for (let y = 0; y < rows.length; y++) { const x = rows[y].indexOf('#'); if (x >= 0) return [x, y]; }
    return null;
  });
  assert.ok(wall, 'the map has a wall');
  const box = await page.locator('#grid').boundingBox();
  const n = await page.evaluate(() => window.playground.size());
  await page.mouse.click(box.x + ((wall[0] + 0.5) * box.width) / n, box.y + ((wall[1] + 0.5) * box.height) / n);
  await page.click('#episode-student');
  assert.match(await page.textContent('#episode-text'), /is a wall.*playing from the map's start instead/);
  await page.waitForFunction(() => document.getElementById('episode-text').dataset.state === 'ended', null, { timeout: 60000 });
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('you are the teacher: demonstrate with the keyboard, the student learns it, asks where it needs you, and takes the answer', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#map=open&trainMaps=current&seed=3');
  await page.click('#teach-start');
  await page.waitForFunction(() => window.playground.config().data === 'human', null, { timeout: 10000 });
  const n = await page.evaluate(() => window.playground.size());
  // Right along the top row: n − 1 demonstrations.
  await page.evaluate(() => document.getElementById('grid').focus());
  for (let i = 0; i < n - 1; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => window.playground.demonstrated), n - 1);
  assert.match(await page.textContent('#teach-text'), new RegExp(`${n - 1} states demonstrated`));
  // The worker trains on them: the student's best move at the start becomes "right".
  await page.waitForFunction(() => {
    const p = Array.from(window.playground.probs('student', 0, 0));
    return window.playground.step > 50 && p.indexOf(Math.max(...p)) === 3;
  }, null, { timeout: 30000 });
  assert.equal(Number((await page.textContent('#pipe-logged')).replace(/,/g, '')), n - 1, 'the pipeline counts the demonstrations');
  // DAgger: the student asks about a state it reached on its own that no one demonstrated.
  await page.click('#teach-ask');
  const asked = await page.textContent('#teach-text');
  const [, qx, qy] = asked.match(/which way from \((\d+), (\d+)\)/) ?? [];
  assert.ok(qx !== undefined, asked);
  const question = await page.evaluate(() => window.playground.question());
  assert.deepEqual(question.at, [Number(qx), Number(qy)]);
  // The answer is logged at that state.
  await page.evaluate(() => document.getElementById('grid').focus());
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent('#teach-text'), new RegExp(`Answered: ↓ down at \\(${qx}, ${qy}\\)`));
  assert.equal(await page.evaluate(() => window.playground.demonstrated), n);
  // The ledger compares your student with a student of the bundled teacher's labels, as many of them,
  // once there is a ledger of this run: an evaluation that arrives after the answer (the count is
  // the page's whole, and a ledger from before teaching began is dropped with its run).
  const seen = await page.evaluate(() => window.__test.evaluations);
  await page.waitForFunction((n) => window.__test.evaluations > n && window.playground.step > 0, seen, { timeout: 60000 });
  await page.click('#teach-compare');
  // The comparison trains a student as long as yours in a background worker: slow on a loaded machine.
  await page.waitForFunction(() => !document.getElementById('human-ledger').hidden, null, { timeout: 240000 });
  const compared = await page.evaluate(() => window.__test?.humanComparison);
  assert.equal(compared.count, n);
  assert.ok(compared.theirs.labelled > 0 && compared.theirs.labelled <= n, `the teacher's student had at most as many labels: ${compared.theirs.labelled}`);
  assert.ok(compared.theirs.step === compared.yours.step && compared.yours.step > 0, 'as many training steps');
  for (const figure of [compared.yours.studentSuccess, compared.theirs.studentSuccess, compared.theirs.studentHeldoutSuccess]) assert.ok(figure >= 0 && figure <= 1, String(figure));
  const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#human-ledger tbody tr'), (r) => Array.from(r.cells, (c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['labelled states', 'success, this map', 'success, 200 held-out maps']);
  assert.equal(rows[0][1], String(n));
  assert.match(await page.textContent('#human-caption'), new RegExp(`${n} labelled states each`));
  // Stop teaching: the settings from before come back.
  await page.click('#teach-start');
  await page.waitForFunction(() => window.playground.config().data === 'uniform', null, { timeout: 10000 });
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('you are the teacher by touch and pen: a swipe and a tap on a neighbouring cell demonstrate (pointer events)', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#map=open&trainMaps=current&seed=3');
  await page.evaluate(() => document.getElementById('teach-start').click());
  await page.waitForFunction(() => window.playground.config().data === 'human', null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('grid')).touchAction), 'none', 'a swipe on the grid is a move, not a scroll');
  // Pointer events as a finger and a pen make them (the page reads pointerdown/pointerup, whatever the pointer).
  const gesture = (pointerType, from, to) => page.evaluate(([type, [fx, fy], [tx, ty]]) => {
    const grid = document.getElementById('grid');
    const box = grid.getBoundingClientRect();
    const n = window.playground.size();
    const at = (cx, cy) => ({ clientX: box.left + ((cx + 0.5) * box.width) / n, clientY: box.top + ((cy + 0.5) * box.height) / n });
    const event = (name, point) => grid.dispatchEvent(new PointerEvent(name, { ...point, pointerType: type, pointerId: 7, isPrimary: true, bubbles: true, cancelable: true }));
    event('pointerdown', at(fx, fy));
    event('pointermove', at((fx + tx) / 2, (fy + ty) / 2));
    event('pointerup', at(tx, ty));
    return window.playground.demonstrated;
  }, [pointerType, from, to]);
  // A finger swipes right from the start cell (0, 0) across two cells: one move right.
  assert.equal(await gesture('touch', [0, 0], [2, 0]), 1);
  // A pen taps the neighbouring cell below the agent, now at (1, 0): one move down.
  assert.equal(await gesture('pen', [1, 1], [1, 1]), 2);
  assert.match(await page.textContent('#teach-text'), /2 states demonstrated/);
  // A tap two cells away is not a move.
  assert.equal(await gesture('touch', [3, 3], [3, 3]), 2);
  assert.deepEqual(problems.errors, []);
  await page.close();
});
