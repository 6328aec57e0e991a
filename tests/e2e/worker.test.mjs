// End-to-end tests (worker): work off the main thread: the training worker, the speed control, the compression sweep, a crashed worker.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, fullSpeed, openPage, recordFrames } from './harness.mjs';

e2eTest('training runs in a module worker: the page keeps drawing while it trains at full speed', async ({ browser, origin }) => {
  const { page, problems, requests } = await openPage(browser, origin, '/#trainMaps=current');
  await fullSpeed(page);
  await page.waitForFunction(() => window.__test?.evaluations > 0, null, { timeout: 30000 });
  const workers = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('/trainer-worker.js')));
  assert.equal(workers.length, 1, 'the training worker was loaded');
  // The page downloads and compiles the wasm and the teacher once, and hands them to the worker
  // (www/wasm-source.js), which asks for neither.
  for (const file of ['distill_playground_bg.wasm', 'teacher.safetensors']) {
    assert.equal(requests.filter((url) => url.endsWith(`/www/pkg/${file}`)).length, 1, `${file} requested once: ${requests.filter((url) => url.includes(file)).join(', ')}`);
  }
  const run = await recordFrames(page, 2000);
  // Loose floors (a slow CI machine passes them); npm run bench measures the real figures.
  assert.ok(run.stepsPerS >= 1000, `${run.stepsPerS.toFixed(0)} steps/s`);
  // Training at full speed does not slow the drawing: the frame rate stays near the paused page's
  // (WebKitGTK under Xvfb draws only ~13–25 frames a second even when idle, so no fixed rate is
  // asked), and the longest gap stays short. WebKitGTK paints in software on the worker's cores: a
  // frame that draws takes ~100 ms there, so the page spaces its draws by two drawn frames' length
  // (measured 10 frames a second while training before, 20–35 after, against 21–25 paused).
  await page.click('#play');
  await page.waitForFunction(() => window.__test.trainerSettled(), null, { timeout: 10000 });
  const idle = await recordFrames(page, 1000);
  await page.click('#play');
  assert.ok(run.frames / 2 >= 0.6 * idle.frames && run.worst < Math.max(250, 3 * idle.worst),
    `${run.frames} frames in 2 s while training (longest gap ${run.worst.toFixed(0)} ms) against ${idle.frames} in 1 s paused (${idle.worst.toFixed(0)} ms)`);
  // Keyboard: s steps once (and pauses), r resets the student, space plays again.
  await page.locator('#grid').focus();
  await page.keyboard.press('s');
  await page.waitForFunction(() => window.__test.trainerSettled(), null, { timeout: 10000 });
  assert.equal(await page.textContent('#play'), 'Play');
  const stepped = await page.evaluate(() => window.playground.report().step);
  await page.keyboard.press('s');
  await page.waitForFunction((n) => window.playground.report().step === n + 1, stepped, { timeout: 10000 });
  await page.keyboard.press('r');
  await page.waitForFunction(() => window.__test.trainerSettled(), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.playground.report().step), 0, 'r resets the student');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => window.playground.report().step > 0, null, { timeout: 10000 });
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('the speed control sets the pace in steps per second; the page opens at a pace you can watch', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin, '/#trainMaps=current');
  assert.equal(await page.textContent('#speed-value'), '300 steps/s');
  // After the worker's first evaluation (slow once: the teacher's held-out rollouts), so nothing stalls it.
  await page.waitForFunction(() => window.playground.report().step > 0 && window.__test?.evaluations > 0, null, { timeout: 30000 });
  await page.locator('#speed').fill('0');
  await page.waitForTimeout(150); // the steps in flight land first
  assert.equal(await page.textContent('#speed-value'), '30 steps/s');
  const [steps, time] = await page.evaluate(() => [window.playground.report().step, performance.now()]);
  await page.waitForTimeout(1500);
  const [stepsLater, timeLater] = await page.evaluate(() => [window.playground.report().step, performance.now()]);
  const seconds = (timeLater - time) / 1000;
  // 30 a second, give or take the steps in flight between the worker and the page.
  assert.ok(stepsLater - steps <= 30 * seconds + 10, `${stepsLater - steps} steps in ${seconds.toFixed(2)} s at 30 steps/s`);
  assert.ok(stepsLater - steps >= 0.4 * 30 * seconds, `${stepsLater - steps} steps in ${seconds.toFixed(2)} s: it still trains at the pace`);
  await page.locator('#speed').fill('5');
  assert.equal(await page.textContent('#speed-value'), 'full');
  await page.close();
});

e2eTest('a run stops at its budget with a progress bar; Keep training goes on for another budget', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#trainMaps=current');
  assert.equal(await page.inputValue('#budget'), '3000');
  assert.match(await page.textContent('#budget-text'), /^step [\d,]+ of 3,000$/);
  await page.locator('#budget').fill('400');
  await page.locator('#budget').dispatchEvent('change');
  // A new student (Reset keeps playing or paused as it was; if the 400 steps had passed, it was paused).
  await page.click('#reset');
  // The new student is in place once the step is below the budget and the button no longer offers
  // to keep training the old one (under load that can come after the click: in CI, Firefox once
  // read the old button, did not press Play, and never trained).
  await page.waitForFunction(() => window.playground.report().step < 400 && document.getElementById('play').textContent !== 'Keep training', null, { timeout: 30000 });
  await page.evaluate(() => { if (document.getElementById('play').textContent === 'Play') document.getElementById('play').click(); });
  await page.locator('#speed').fill('5');
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Keep training', null, { timeout: 30000 });
  const stopped = await page.evaluate(() => ({
    step: window.playground.report().step,
    bar: [document.getElementById('budget-progress').value, document.getElementById('budget-progress').max],
    text: document.getElementById('budget-text').textContent,
  }));
  assert.equal(stopped.step, 400, 'it stops exactly at the budget');
  assert.deepEqual(stopped.bar, [400, 400]);
  assert.equal(stopped.text, 'step 400 of 400 · budget reached');
  // The run ends on measured figures: the last evaluation is of the final step, not of an earlier one.
  await page.waitForFunction(() => /^measured at step 400\b/.test(document.getElementById('kf-note').textContent), null, { timeout: 20000 });
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.playground.report().step), 400, 'and stays stopped');
  // Step still takes one step past the budget.
  await page.click('#step');
  await page.waitForFunction(() => window.playground.report().step === 401, null, { timeout: 10000 });
  // Step shows what it changed: the cells whose probabilities moved, outlined and counted.
  await page.waitForFunction(() => !document.getElementById('step-text').hidden, null, { timeout: 10000 });
  assert.match(await page.textContent('#step-text'), /^Step 401: one Adam step on a batch of 64 states changed the student's move probabilities in [1-9]\d* of 121 cells by at least 0\.001 \(outlined\); the largest change, 0\.\d{3}, is at column \d+, row \d+\.$/);
  // Clicked and read in one go: at full speed the next 400 steps can be done before a second call.
  assert.equal(await page.evaluate(() => { document.getElementById('play').click(); return document.getElementById('play').textContent; }), 'Pause');
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Keep training', null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.playground.report().step), 800, 'Keep training adds another budget');
  assert.equal(await page.textContent('#budget-text'), 'step 800 of 800 · budget reached');
  // A scenario's budget is its own length.
  await page.selectOption('#scenario', 'temperature');
  assert.equal(await page.inputValue('#budget'), '1500');
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('Reset just as the run reaches its budget: the new student trains, as the Pause button says', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#trainMaps=current');
  await page.locator('#speed').fill('5');
  await page.waitForFunction(() => window.playground.report().step > 1, null, { timeout: 30000 });
  // In one task of a busy page: a budget the run has passed (the worker stops itself at it and says
  // so), then Reset before the page has read that; the page still shows Pause. In CI, Firefox once
  // came here by chance and the new student never trained, under a Pause button.
  await page.evaluate(() => {
    document.getElementById('budget').value = '1';
    document.getElementById('budget').dispatchEvent(new Event('change'));
    const until = performance.now() + 500;
    while (performance.now() < until) { /* the worker reaches the budget meanwhile */ }
    document.getElementById('reset').click();
  });
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Keep training', null, { timeout: 10000 })
    .catch(async () => assert.fail(`the new student is at step ${await page.evaluate(() => window.playground.report().step)} under "${await page.textContent('#play')}"`));
  assert.equal(await page.evaluate(() => window.playground.report().step), 1, 'it trained to its budget');
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('the compression curve is measured in a background worker with progress', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  // After the main student's first evaluation, so the sweep's workers start beside a trained page.
  await page.waitForFunction(() => window.__test?.evaluations > 0, null, { timeout: 30000 });
  const [frames0, time0] = await page.evaluate(() => [window.__test?.frames, performance.now()]);
  await page.click('#sweep');
  const started = await page.evaluate(() => ({ disabled: document.getElementById('sweep').disabled, status: document.getElementById('sweep-status').textContent }));
  assert.equal(started.disabled, true, `the button is disabled while the sweep runs (status: "${started.status}")`);
  await page.waitForFunction(() => document.querySelectorAll('#compression-table tbody tr').length === 6, null, { timeout: 240000 });
  const rows = await page.$$eval('#compression-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['4', '8', '16', '32', '64', '128']);
  for (const row of rows) assert.match(row[4], /^\d+%$/);
  // The teacher labelled the 1,024 training maps once, in shares (the status says how long), and
  // with that data a student at ≤ 5% of the teacher's compute keeps ≥ 75% of its held-out success
  // (the starved 64-map pool this page once used gave 62–69% at every width).
  assert.match(await page.textContent('#sweep-status'), /labelling the maps: \d+\.\d s/);
  const width32 = rows.find((r) => r[0] === '32');
  assert.ok(parseFloat(width32[2]) <= 5 && parseInt(width32[4], 10) >= 75, `width 32: ${width32.join(' | ')}`);
  assert.ok((await page.$$('#compression-chart canvas')).length > 0, 'the curve is drawn');
  // The claim's region is shaded on the chart, and the published point marked.
  const claim = await page.evaluate(() => {
    const chart = document.getElementById('compression-chart');
    const [left, top, right, bottom] = (chart.dataset.claimRegion ?? '').split(',').map(Number);
    const canvas = chart.querySelector('canvas');
    const pixel = Array.from(canvas.getContext('2d').getImageData(Math.round((left + right) / 2), Math.round((top + bottom) / 2), 1, 1).data);
    return { width: right - left, height: bottom - top, pixel, label: chart.getAttribute('aria-label') };
  });
  assert.ok(claim.width > 5 && claim.height > 5, `the claim's region has a size: ${JSON.stringify(claim)}`);
  assert.ok(claim.pixel[3] > 0 && claim.pixel[1] > claim.pixel[0], `the region is shaded green: ${claim.pixel}`);
  assert.match(claim.label, /Rusu et al\. 2016/);
  // Frames kept coming while the workers trained: at least one a second. A page blocked by the sweep
  // would draw none; WebKitGTK under Xvfb draws about 13 a second even when idle, and 3.5 while the
  // sweep shared a loaded 2-core machine with other jobs (a CI run), so no higher floor is safe.
  const [frames1, time1] = await page.evaluate(() => [window.__test?.frames, performance.now()]);
  assert.ok(frames1 - frames0 >= (time1 - time0) / 1000, `${frames1 - frames0} frames in ${((time1 - time0) / 1000).toFixed(1)} s`);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('a crashed background worker is reported and restarted', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  await page.evaluate(async () => {
    const [{ measureCompression }, { useLanguage }] = await Promise.all([import('./www/views/compression.js'), import('./www/i18n.js')]);
    // These are the source modules, not the page's bundle (scripts/bundle.mjs): their catalogue is loaded here.
    await useLanguage('en');
    const $ = (id) => document.getElementById(id);
    // A worker script that does not exist: the worker fails to start, as a crash would.
    measureCompression({ button: $('sweep'), progress: $('sweep-progress'), status: $('sweep-status'), chart: $('compression-chart'), table: $('compression-table') },
      { workerUrl: new URL('./www/no-such-worker.js', location.href) }).catch(() => {});
  });
  await page.waitForFunction(() => /crashed/.test(document.getElementById('sweep-status').textContent), null, { timeout: 20000 });
  // The fresh worker reports progress.
  await page.waitForFunction(() => /training the width-\d+ student/.test(document.getElementById('sweep-status').textContent), null, { timeout: 30000 });
  await page.close();
});

e2eTest('the console API checks every step count by name, and a long request trains in the worker while the page keeps drawing', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/#trainMaps=current');
  await page.click('#play'); // paused: only the call below trains
  await page.waitForFunction(() => window.__test.trainerSettled(), null, { timeout: 10000 });
  const refused = await page.evaluate(() => [-5, 1.5, NaN, 1e12, Infinity].map((n) => {
    const before = window.playground.step;
    try {
      window.playground.train(n);
      return `${n}: accepted`;
    } catch (error) {
      return `${n}: ${error.message} (step ${window.playground.step === before ? 'unchanged' : 'changed'})`;
    }
  }));
  for (const line of refused) assert.match(line, /: train: steps must be a whole number in 0\.\.=1000000, got .* \(step unchanged\)$/, line);
  const from = await page.evaluate(() => window.playground.step);
  const frames0 = await page.evaluate(() => window.__test?.frames);
  const report = await page.evaluate(async () => {
    const pending = window.playground.train(20000);
    const isPromise = pending instanceof Promise;
    const result = await pending;
    return { isPromise, step: result.step, agreement: result.agreement };
  });
  const frames1 = await page.evaluate(() => window.__test?.frames);
  assert.equal(report.isPromise, true, 'a long request answers with a promise');
  assert.ok(report.step >= from + 20000, `trained to ${report.step} from ${from}`);
  assert.ok(frames1 - frames0 >= 4, `the page kept drawing: ${frames1 - frames0} frames`);
  // A short request still answers at once, as before.
  assert.equal(await page.evaluate(() => typeof window.playground.train(10).step), 'number');
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('a fast pace on a fresh pool of 1,024 maps never stalls the student: progress reaches the page every fraction of a second', async ({ browser, origin }) => {
  // At 3,000 steps/s a frame owes ~50 steps; a new student's first steps label a fresh training map
  // nearly every step (slow before the wasm is optimised), so a frame could keep the worker busy for
  // seconds while the student showed step 1. The worker trains at most FRAME_WORK_MS of a frame's
  // steps, then posts, and drops the rest (www/trainer-worker.js).
  // No budget: at this pace the page's default budget (3,000 steps) is reached in about a second
  // now that the first steps label a state at a time, and a finished run's step rightly stands still.
  const { page, problems } = await openPage(browser, origin, '/?speed=3000&budget=0');
  await page.waitForFunction(() => window.playground.report().step > 0, null, { timeout: 30000 });
  // The longest the student's step stands still, except while the worker measures the student
  // (its first evaluation, the teacher's held-out rollouts, is slow once: that is not a frame's work).
  const longest = await page.evaluate(() => new Promise((resolve) => {
    let [last, evaluations] = [window.playground.report().step, window.__test?.evaluations];
    let changedAt = performance.now();
    let worst = 0;
    const until = changedAt + 3000;
    const watch = (now) => {
      const step = window.playground.report().step;
      if (step !== last) {
        if (window.__test?.evaluations === evaluations) worst = Math.max(worst, now - changedAt);
        [last, evaluations, changedAt] = [step, window.__test?.evaluations, now];
      }
      if (now < until) requestAnimationFrame(watch);
      else resolve({ worst: Math.max(worst, now - changedAt), step });
    };
    requestAnimationFrame(watch);
  }));
  assert.ok(longest.step > 10, `the student trained: step ${longest.step}`);
  assert.ok(longest.worst < 1000, `the student's step stood still for ${longest.worst.toFixed(0)} ms (at step ${longest.step})`);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});
