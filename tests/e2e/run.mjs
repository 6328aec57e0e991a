// End-to-end tests: the real page, served by the real server, in headless Chromium.
// Run by `npm test` (after the wasm is built); exits non-zero if any test fails.
import assert from 'node:assert/strict';
import http from 'node:http';
import { launch, openPage } from './browser.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

function rawGet(origin, rawPath) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end();
  });
}

const entropy = (p) => -Array.from(p).reduce((sum, v) => (v > 0 ? sum + v * Math.log(v) : sum), 0);

test('page loads, trains and agreement rises, with no errors and no foreign requests', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  const early = await page.evaluate(() => window.playground.train(0));
  await page.waitForTimeout(6000);
  const later = await page.evaluate(() => window.playground.train(0));
  assert.ok(later.step > early.step + 100, `steps ${early.step} → ${later.step}`);
  assert.ok(later.agreement > early.agreement, `agreement ${early.agreement} → ${later.agreement}`);
  assert.ok(later.agreement >= 0.7, `agreement after 6 s: ${later.agreement}`);
  const stats = await page.textContent('#stats');
  assert.match(stats, /step \d+ · loss [\d.]+ · agreement [\d.]+%/);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

test('moving #temperature to the top flattens the teacher distribution', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  const cell = [1, 1];
  const before = await page.evaluate(([x, y]) => Array.from(window.playground.probs('teacher', x, y)), cell);
  const slider = page.locator('#temperature');
  await slider.focus();
  await slider.press('End');
  await page.waitForFunction(() => window.playground.config().temperature > 9);
  const after = await page.evaluate(([x, y]) => Array.from(window.playground.probs('teacher', x, y)), cell);
  assert.ok(entropy(after) > entropy(before) + 0.2, `entropy ${entropy(before)} → ${entropy(after)}`);
  assert.equal((await page.textContent('#temperature-value')).trim(), '10.00');
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

test('loss and lr apply live; a new map resets the step counter', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  await page.click('#play'); // pause so step counts are stable
  const step = await page.evaluate(() => window.playground.train(0).step);
  assert.ok(step > 0);
  await page.selectOption('#loss', 'mse');
  await page.locator('#lr').fill('-3');
  const config = await page.evaluate(() => window.playground.config());
  assert.equal(config.loss, 'mse');
  assert.equal(config.lr, 0.001);
  assert.equal(await page.evaluate(() => window.playground.train(0).step), step);
  await page.selectOption('#map', 'maze');
  assert.equal(await page.evaluate(() => window.playground.train(0).step), 0);
  assert.equal(await page.evaluate(() => window.playground.size()), 9);
  await page.close();
});

test('clicking a cell fills the bars table with three distributions', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  const box = await page.locator('#grid').boundingBox();
  const n = await page.evaluate(() => window.playground.size());
  await page.mouse.click(box.x + (1.5 * box.width) / n, box.y + (1.5 * box.height) / n);
  const rows = await page.$$eval('#cell-probs tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => Number(td.textContent))));
  assert.equal(rows.length, 3);
  for (const row of rows) {
    assert.equal(row.length, 5);
    const sum = row.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 0.01, `row sums to ${sum}`);
  }
  assert.match(await page.textContent('#cell-name'), /column 1, row 1/);
  await page.close();
});

test('the grid canvas is drawn (not blank)', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  const colours = await page.evaluate(() => {
    const canvas = document.getElementById('grid');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
  assert.ok(colours > 10, `only ${colours} colours`);
  await page.close();
});

test('the ledger shows numbers, not placeholders, after training', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  await page.waitForTimeout(3000);
  const cells = await page.$$eval('#ledger tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
  assert.ok(cells.length >= 10, `${cells.length} ledger rows`);
  const params = cells.find((row) => row[0] === 'parameters');
  assert.equal(params[1], '207,365');
  assert.match(params[2], /^\d[\d,]*$/);
  const retained = cells.find((row) => row[0].startsWith('ability retained'));
  assert.match(retained[2], /^\d+(\.\d)?%$/);
  const latency = cells.find((row) => row[0].startsWith('time per decision'));
  assert.match(latency[1], /µs$/);
  assert.match(latency[2], /µs$/);
  const ledger = await page.evaluate(() => window.playground.evaluate());
  for (const field of ['teacherParams', 'studentParams', 'retained', 'computeUsed', 'agreement', 'meanKl', 'teacherSuccess', 'studentSuccess']) {
    assert.equal(typeof ledger[field], 'number', `${field} is ${ledger[field]}`);
  }
  await page.close();
});

test('bad config throws errors that name the field', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  const messages = await page.evaluate(async () => {
    const { Playground } = await import('./www/pkg/distill_playground.js');
    const attempt = (config) => { try { new Playground(config); return 'no error'; } catch (e) { return e.message; } };
    return [attempt({ temperature: 'hot' }), attempt({ bogus: 1 }), attempt({ hidden: 48 })];
  });
  assert.match(messages[0], /temperature/);
  assert.match(messages[1], /bogus/);
  assert.match(messages[2], /hidden/);
  await page.close();
});

test('a scenario sets up side-by-side students with curves on shared axes', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  await page.selectOption('#scenario', 'compounding');
  await page.waitForFunction(() => document.querySelectorAll('#companions canvas').length === 2);
  assert.match(await page.textContent('#scenario-text'), /DAgger/);
  const config = await page.evaluate(() => window.playground.config());
  assert.equal(config.data, 'teacher');
  assert.equal(config.slip, 0.2);
  await page.waitForTimeout(3000);
  // Three series (one per student) on each of the three charts.
  const legends = await page.$$eval('#curves .curve', (charts) => charts.map((c) => c.querySelectorAll('.u-series').length));
  assert.deepEqual(legends, [4, 4, 4]);
  const download = page.waitForEvent('download');
  await page.click('#export-csv');
  const file = await download;
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString());
  assert.match(text.split('\n')[0], /^student,step,loss,agreement,heldout_success$/);
  assert.ok(text.includes('"student data (DAgger)"'), 'the CSV has every student');
  const pngs = [];
  page.on('download', (d) => pngs.push(d.suggestedFilename()));
  await page.click('#export-png');
  await page.waitForTimeout(500);
  assert.deepEqual(pngs.sort(), ['curve-agreement.png', 'curve-heldout.png', 'curve-loss.png']);
  const colours = await page.evaluate(() => {
    const canvas = document.querySelector('#companions canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
  assert.ok(colours > 5, 'the companion grid is drawn');
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

test('plans are drawn from the selected cell and RL fine-tuning switches phase', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  const plans = await page.evaluate(() => window.playground.plans(1, 1));
  assert.equal(plans.teacher.length, 4);
  assert.equal(plans.student.length, 4);
  await page.click('#finetune');
  assert.equal(await page.evaluate(() => window.playground.config().phase), 'finetune');
  assert.equal(await page.textContent('#finetune'), 'Back to distillation');
  const before = await page.evaluate(() => window.playground.train(0).step);
  await page.waitForTimeout(1000);
  assert.ok((await page.evaluate(() => window.playground.train(0).step)) > before, 'fine-tuning trains');
  await page.close();
});

test('data source, heatmap and pipeline counts', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  await page.selectOption('#data', 'teacher');
  await page.check('#heatmap');
  await page.waitForTimeout(1500);
  const pipeline = await page.evaluate(() => window.playground.pipeline());
  assert.ok(pipeline.logged > 0 && pipeline.consumed > pipeline.logged, JSON.stringify(pipeline));
  assert.equal(Number((await page.textContent('#pipe-held')).replace(/,/g, '')) > 0, true);
  const visits = await page.evaluate(() => Array.from(window.playground.visits()));
  const visited = visits.filter((v) => v > 0).length;
  const cells = await page.evaluate(() => window.playground.size() ** 2);
  assert.ok(visited > 0 && visited < cells / 2, `teacher data visits ${visited} of ${cells} cells`);
  await page.close();
});

test('the compression curve is measured in a background worker with progress', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  await page.click('#sweep');
  assert.equal(await page.isDisabled('#sweep'), true);
  await page.waitForFunction(() => document.querySelectorAll('#compression-table tbody tr').length === 6, null, { timeout: 240000 });
  const rows = await page.$$eval('#compression-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['4', '8', '16', '32', '64', '128']);
  for (const row of rows) assert.match(row[4], /^\d+%$/);
  assert.ok((await page.$$('#compression-chart canvas')).length > 0, 'the curve is drawn');
  // Frames kept coming while the worker trained.
  assert.ok(await page.evaluate(() => window.__frames) > 100);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

test('server: wasm type, security headers, no traversal, only public files', async ({ origin }) => {
  const wasm = await rawGet(origin, '/www/pkg/distill_playground_bg.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  const index = await rawGet(origin, '/');
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  assert.match(index.headers['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(index.headers['content-security-policy'], /'unsafe-inline'|'unsafe-eval'/);
  for (const attack of ['/../Cargo.toml', '/www/../Cargo.toml', '/www/%2e%2e/Cargo.toml', '/www/..%2fCargo.toml',
    '/%2e%2e/%2e%2e/etc/passwd', '/www/..\\Cargo.toml', '/www/%5c..%5cCargo.toml', '/www/%00.js', '/Cargo.toml',
    '/.git/config', '/crate/src/lib.rs', '/package.json', '/www/.hidden']) {
    const response = await rawGet(origin, attack);
    assert.notEqual(response.status, 200, `${attack} was served`);
    assert.doesNotMatch(response.body, /\[workspace\]|root:x:|distill-playground/, `${attack} leaked content`);
  }
  assert.ok(origin.startsWith('http://127.0.0.1:'));
});

const context = await launch();
let failed = 0;
for (const { name, fn } of tests) {
  const started = Date.now();
  try {
    await fn(context);
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${String(error.stack || error).split('\n').slice(0, 6).join('\n     ')}`);
  }
}
await context.close();
console.log(`${tests.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
