// End-to-end tests (lessons): the Lessons view runs a lesson on the background workers at the page's
// scale and shows each arm and the verdict its rule computes (the same code as `distill lessons`).
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { ENGINE, e2eTest, openPage } from './harness.mjs';

e2eTest('the Lessons view runs the compression lesson to its verdict', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#lessons');
  assert.equal(await page.inputValue('#lesson'), 'compression');
  assert.match(await page.textContent('#lesson-claim'), /70–90%/);
  assert.match(await page.textContent('#lesson-published'), /84%/);
  // The charts and the ledger keep their places from the start (layout.test checks that nothing
  // moves), so the first click need not wait for the first evaluation.
  await page.check('input[name="lesson-expect"][value="reproduced"]');
  const started = Date.now();
  await page.click('#lesson-run');
  assert.notEqual(await page.textContent('#play'), 'Pause', 'the page pauses its own training while a lesson runs');
  // Arms land as they finish; then the verdict.
  await page.waitForFunction(() => document.querySelectorAll('#lesson-table tbody tr').length > 0, null, { timeout: 240000 });
  await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 400000 });
  const seconds = (Date.now() - started) / 1000;
  const verdict = await page.textContent('#lesson-verdict');
  assert.match(verdict, /^Verdict: (reproduced|not reproduced|inconclusive) — ability retained by width 64/);
  assert.match(verdict, /95% interval \[\d+\.\d%, \d+\.\d%\] over 10 seeds/);
  assert.match(verdict, /You expected: reproduced — (as measured|the measurement says otherwise|not settled by this run)/);
  assert.match(verdict, /Intervals: the 95% Student-t interval of the mean over seeds, clipped to the range the measure can take\./);
  // Beside the live verdict, the command line's (10 seeds × 1,000 maps, from docs/results/).
  await page.waitForFunction(() => document.getElementById('lesson-measured').textContent.length > 0);
  assert.match(await page.textContent('#lesson-measured'), /^On the command line, with 10 seeds × 1,000 evaluation maps: (reproduced|not reproduced|inconclusive) — ability retained by width 64/);
  const rows = await page.$$eval('#lesson-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
  assert.equal(rows.length, 6, 'one row per width');
  for (const row of rows) {
    assert.match(row[4], /^\d{1,3}(,\d{3})*$/, 'labelled states, counted');
    assert.equal(row[5], '10 of 10');
  }
  // How long it takes is the bench's to say (scripts/lesson-times.mjs, limit 60 s in Chromium), not a test's.
  console.log(`  (the compression lesson took ${seconds.toFixed(0)} s in ${ENGINE})`);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('every lesson runs in the Lessons view (quick look): each arm learns on a live curve, then a verdict and its figure', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#lessons');
  const catalogue = await page.evaluate(() => Array.from(document.getElementById('lesson').options).map((o) => o.value));
  assert.ok(catalogue.length >= 15, `${catalogue.length} lessons`);
  for (const id of ['compression', 'data-over-architecture', 'trajectories', 'compounding', 'compounding-heldout', 'dark-knowledge', 'temperature', 'mixing',
    'scarce-labels', 'rl-finetune', 'plan', 'co-distillation', 'rl-weak-teacher', 'mixing-complementary', 'strongest-teacher']) {
    assert.ok(catalogue.includes(id), `the catalogue has ${id}`);
  }
  // The API behind it refuses bad arguments by name and never freezes on them.
  const refused = await page.evaluate(async () => {
    const { LessonRun } = await import('./www/playground.js');
    const attempt = (f) => { try { f(); return null; } catch (e) { return String(e.message ?? e); } };
    const run = new LessonRun('dark-knowledge', 0, 1, 5, 20);
    const answers = [attempt(() => new LessonRun('nope', 0, 1, 5, 20)), attempt(() => new LessonRun('compression', 9, 1, 5, 20)),
      attempt(() => run.advance(-5)), attempt(() => run.advance(1.5))];
    const point = run.probe();
    while (run.advance(10));
    const row = run.finish();
    answers.push(attempt(() => run.finish()));
    run.free();
    // Arms that differ only in width train together, each to the row it gives alone.
    const { LessonCohort, lessonCohorts } = await import('./www/playground.js');
    const groups = lessonCohorts('compression');
    answers.push(attempt(() => new LessonCohort('compression', [], 1, 5, 20)), attempt(() => new LessonCohort('compression', [0, 7], 1, 5, 20)));
    const together = new LessonCohort('compression', [1, 4], 1, 5, 40);
    const cohortPoints = together.probe();
    while (together.advance(15));
    const cohortRows = together.finish();
    answers.push(attempt(() => together.finish()));
    together.free();
    const alone = [1, 4].map((arm) => {
      const single = new LessonRun('compression', arm, 1, 5, 40);
      const armRow = single.finish();
      single.free();
      return armRow;
    });
    return { answers, point, row, groups, cohortPoints, cohortRows, alone };
  });
  assert.deepEqual(refused.groups, [[0, 1, 2, 3, 4, 5]], 'the compression arms differ only in width: one group');
  assert.match(refused.answers[5], /LessonCohort: arms must name at least one arm/);
  assert.match(refused.answers[6], /LessonCohort: arm must be a whole number in 0\.\.=5, got 7/);
  assert.match(refused.answers[7], /LessonCohort: this run has finished/);
  assert.deepEqual(refused.cohortPoints.map((p) => [p.step, p.total]), [[0, 40], [0, 40]]);
  assert.deepEqual(refused.cohortRows, refused.alone, 'each arm of a cohort gives the row it gives alone');
  assert.match(refused.answers[0], /unknown lesson "nope": choose one of compression/);
  assert.match(refused.answers[1], /LessonRun: arm must be a whole number in 0\.\.=5, got 9/);
  assert.match(refused.answers[2], /advance: steps must be a whole number/);
  assert.match(refused.answers[3], /advance: steps must be a whole number/);
  assert.match(refused.answers[4], /this run has finished/);
  assert.deepEqual([refused.point.step, refused.point.total], [0, 20]);
  assert.equal(refused.row.arm, 'hard labels, up left out');
  assert.equal(refused.row.evaluationMaps, 5);
  await page.check('#lesson-quick');
  const committed = await page.evaluate(async () => (await fetch('./www/measured-lessons.json')).json());
  for (const id of catalogue) {
    await page.selectOption('#lesson', id);
    assert.equal(await page.textContent('#lesson-verdict'), '', `${id}: no verdict left from the previous lesson`);
    // The command line's verdict stands beside the live one; one that is not "reproduced" is explained.
    await page.waitForFunction(() => document.getElementById('lesson-measured').textContent.startsWith('On the command line'));
    const measured = await page.textContent('#lesson-measured');
    if (committed.lessons[id].verdict !== 'reproduced') assert.match(measured, / Why: .{80,}/, `${id}: ${measured}`);
    else assert.doesNotMatch(measured, /Why:/, id);
    const arms = await page.evaluate((lessonId) => window.__test.lessonArms?.(lessonId), id);
    await page.click('#lesson-run');
    // The curve is drawn while the arms learn, before any verdict.
    await page.waitForFunction(() => document.querySelectorAll('#lesson-curves canvas').length > 0, null, { timeout: 120000 });
    await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 240000 });
    const verdict = await page.textContent('#lesson-verdict');
    assert.match(verdict, /^Quick look \(500 steps, 50 maps: a preview, not the measurement\)\. Verdict: (reproduced|not reproduced|inconclusive)(\.| —) .+ 95% interval \[.+\] over 2 seeds/, `${id}: ${verdict}`);
    const rows = await page.$$eval('#lesson-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
    assert.equal(rows.length, arms, `${id}: one row per arm`);
    for (const row of rows) {
      assert.match(row[1], /^(0|1)\.\d{3}$/, `${id}: success ${row[1]}`);
      assert.equal(row[5], '2 of 2', `${id}: both seeds`);
    }
    assert.equal(await page.isHidden('#lesson-figure'), false, `${id}: the verdict's figure is shown`);
    // A rule of several parts shows each part with its own verdict and interval.
    const parts = await page.evaluate(async (lessonId) => (await import('./www/playground.js')).lessons().find((l) => l.id === lessonId).rule.parts?.length ?? 1, id);
    if (parts > 1) {
      for (let part = 1; part <= parts; part += 1) assert.match(verdict, new RegExp(`Part ${part}: (reproduced|not reproduced|inconclusive) — `), `${id}: part ${part}`);
    }
    // No interval leaves the range of its measure (a difference of success rates: [−1, 1]).
    for (const [, low, high] of verdict.matchAll(/interval \[(-?[\d.]+)%?, (-?[\d.]+)%?\]/g)) {
      if (!verdict.includes('ability retained')) assert.ok(Number(low) >= -1 && Number(high) <= 1, `${id}: [${low}, ${high}]`);
    }
    assert.match(await page.textContent('#lesson-status'), /quick look done/);
  }
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('every lesson draws its map of where the claim holds, and a point measured live equals the command line seed by seed', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#lessons');
  const committed = await page.evaluate(async () => (await fetch('./www/measured-lessons.json')).json());
  const ids = await page.evaluate(() => Array.from(document.getElementById('lesson').options).map((o) => o.value));
  for (const id of ids) {
    const map = committed.maps[id];
    assert.ok(map && map.seeds.length >= 10, `${id}: a committed map of at least 10 seeds`);
    await page.selectOption('#lesson', id);
    await page.waitForFunction((n) => document.querySelectorAll('#lesson-map-table .map-point').length === n, map.points.length, { timeout: 30000 });
    const cells = await page.$$eval('#lesson-map-table .map-point', (buttons) => buttons.map((b) => ({ verdict: b.dataset.verdict, own: 'own' in b.dataset })));
    assert.deepEqual(cells.map((c) => c.verdict).sort(), map.points.map((p) => p.verdict).sort(), `${id}: every point with its verdict`);
    assert.equal(cells.filter((c) => c.own).length, map.points.filter((p) => p.own).length, `${id}: the lesson's own set-up is marked`);
    assert.match(await page.textContent('#lesson-map-summary'), new RegExp(`^Across the ${map.points.length} points of its map: reproduced at \\d+`));
    // A lesson that is not reproduced cites its map in its explanation.
    if (committed.lessons[id].verdict !== 'reproduced') {
      await page.waitForFunction(() => document.getElementById('lesson-measured').textContent.includes('What was tried: Across the'));
    }
  }
  // One point of the scarce-labels lesson's map (250 labels: 2 arms × 10 seeds at 20,000 steps, each
  // measured on 1,000 held-out maps), measured live at the command line's scale: the same seeds, maps
  // and figures.
  await page.selectOption('#lesson', 'scarce-labels');
  await page.waitForFunction(() => document.querySelectorAll('#lesson-map-table .map-point').length > 0);
  await page.click('#lesson-map-table .map-point'); // the first point
  assert.match(await page.textContent('#lesson-map-detail'), /^At labels 250: /);
  await page.click('#lesson-map-measure');
  await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 900000 });
  const verdict = await page.textContent('#lesson-verdict');
  assert.match(verdict, /Measured live at labels 250: 10 seeds, 1,000 evaluation maps, 20,000 steps per arm/);
  const rows = await page.$$eval('#lesson-table tbody tr', (trs) => trs.map((tr) => tr.cells[5].textContent));
  assert.deepEqual(rows, ['10 of 10', '10 of 10']);
  // The page trains with the native build's arithmetic to the bit (crate::math, checks::seeded_run):
  // every per-seed figure is the committed one.
  const gap = Number(await page.evaluate(() => document.getElementById('lesson-verdict').dataset.largestGap));
  assert.equal(gap, 0, `the largest per-seed difference from the command line is ${gap}`);
  console.log(`  (a map point live in ${ENGINE}: largest per-seed difference from the command line ${gap.toFixed(3)})`);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('a lesson at the command line\'s scale runs the committed seeds, steps and maps, and matches the committed figures seed by seed', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#lessons');
  // Trajectories: 2 arms × 10 seeds × 20,000 steps, each measured on 1,000 held-out maps.
  await page.selectOption('#lesson', 'trajectories');
  await page.check('#lesson-full-scale');
  await page.click('#lesson-run');
  await page.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 900000 });
  const verdict = await page.textContent('#lesson-verdict');
  assert.match(verdict, /At the command line's scale: 10 seeds, 1,000 evaluation maps, 20,000 steps per arm/);
  const rows = await page.$$eval('#lesson-table tbody tr', (trs) => trs.map((tr) => tr.cells[5].textContent));
  assert.deepEqual(rows, ['10 of 10', '10 of 10']);
  // Compared with the committed map's point at the lesson's own set-up (its per-seed rows): the same
  // code, the same order of operations and the same exp and ln (the libm crate's on both targets,
  // crate::math), so every seed's figures are the command line's exactly. Before exp and ln were
  // shared, the students drifted apart over 20,000 steps: 0.033 in Chromium.
  const gap = Number(await page.evaluate(() => document.getElementById('lesson-verdict').dataset.largestGap));
  assert.equal(gap, 0, `the largest per-seed difference from the command line is ${gap}`);
  console.log(`  (a lesson at the command line's scale in ${ENGINE}: largest per-seed difference ${gap.toFixed(3)})`);
  // The scale choice is back once the run is done.
  assert.equal(await page.evaluate(() => document.getElementById('lesson-scale').disabled), false);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});
