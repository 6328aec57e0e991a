// End-to-end tests (files): files in and out: saving and loading a student, the dataset export, the npm package.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { e2eTest, openPage, pauseAfterTraining } from './harness.mjs';

e2eTest('save and load a student (safetensors and JSON); a bad file changes nothing', async ({ browser, origin }) => {
  const { page } = await openPage(browser, origin);
  await pauseAfterTraining(page);
  await page.click('#files > summary'); // the file actions sit in one menu
  const download = page.waitForEvent('download');
  await page.click('#save-safetensors');
  const saved = await download;
  const path = await saved.path();
  const before = await page.evaluate(() => Array.from(window.playground.probs('student', 1, 1)));
  await page.selectOption('#hidden', '8'); // a different student
  await page.setInputFiles('#load-student', path);
  // The page reads the file asynchronously: wait until the loaded (width-32) student is in place.
  await page.waitForFunction(() => window.playground.config().hidden === 32, null, { timeout: 10000 });
  const after = await page.evaluate(() => Array.from(window.playground.probs('student', 1, 1)));
  assert.deepEqual(after, before);
  assert.equal(await page.evaluate(() => window.playground.config().hidden), 32);
  const result = await page.evaluate(() => {
    const pg = window.playground;
    const json = new TextDecoder().decode(pg.saveStudent('json'));
    const config = JSON.stringify(pg.config());
    const probs = Array.from(pg.probs('student', 2, 2));
    let message = '';
    try { pg.loadStudent(new TextEncoder().encode(json.replace('"role":"student"', '"role":"teacher"'))); } catch (e) { message = e.message; }
    let truncated = '';
    try { pg.loadStudent(pg.saveStudent('safetensors').slice(0, 100)); } catch (e) { truncated = e.message; }
    return { message, truncated, unchanged: JSON.stringify(pg.config()) === config && JSON.stringify(Array.from(pg.probs('student', 2, 2))) === JSON.stringify(probs), roundTrip: (() => { pg.loadStudent(new TextEncoder().encode(json)); return JSON.stringify(Array.from(pg.probs('student', 2, 2))) === JSON.stringify(probs); })() };
  });
  assert.match(result.message, /teacher file/);
  assert.match(result.truncated, /safetensors/);
  assert.ok(result.unchanged, 'a failed load changed the student or settings');
  assert.ok(result.roundTrip, 'the JSON file loads back to the same student');
  await page.close();
});

e2eTest('the distillation dataset downloads as CSV and as .npy', async ({ browser, origin }) => {
  const { readFileSync } = await import('node:fs');
  const { page } = await openPage(browser, origin, '/#data=teacher&bufferCapacity=256');
  // The buffer is full (8 walkers log 8 records a step) before training pauses.
  await page.waitForFunction(() => window.playground.pipeline().held >= 256, null, { timeout: 30000 });
  await pauseAfterTraining(page);
  const columns = 3 + 245 + 5 + 4;
  await page.click('#files > summary');
  const csvDownload = page.waitForEvent('download');
  await page.click('#export-dataset-csv');
  const csv = readFileSync(await (await csvDownload).path(), 'utf8').trim().split('\n');
  assert.match(csv[0], /^map,x,y,obs_0,.*,p_up,p_down,p_left,p_right,p_stay,plan_0,plan_1,plan_2,plan_3$/);
  assert.equal(csv.length, 1 + 256, 'a full buffer of 256 records');
  const row = csv[1].split(',').map(Number);
  assert.equal(row.length, columns);
  assert.ok(Math.abs(row.slice(248, 253).reduce((a, b) => a + b, 0) - 1) < 1e-5, 'teacher probabilities sum to 1');
  const npyDownload = page.waitForEvent('download');
  await page.click('#export-dataset-npy');
  const npy = readFileSync(await (await npyDownload).path());
  assert.equal(npy.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  const headerLength = npy.readUInt16LE(8);
  assert.match(npy.subarray(10, 10 + headerLength).toString('latin1'), new RegExp(`'shape': \\(256, ${columns}\\)`));
  assert.equal(npy.length, 10 + headerLength + 256 * columns * 4);
  assert.equal(npy.readFloatLE(10 + headerLength + 3 * 4), row[3], 'the .npy holds the same first observation');
  await page.close();
});

e2eTest('npm pack gives a module a course page can import: wasm, JS API and TypeScript types', async () => {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const root = new URL('../..', import.meta.url).pathname;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'distill-pack-'));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }))[0];
    execFileSync('tar', ['-xzf', path.join(dir, packed.filename), '-C', dir]);
    const pkg = path.join(dir, 'package');
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    const types = readFileSync(path.join(pkg, manifest.types), 'utf8');
    assert.match(types, /export function ready/);
    assert.match(types, /export \* from '\.\/pkg\/distill_playground\.js'/);
    const apiTypes = readFileSync(path.join(pkg, 'www/pkg/distill_playground.d.ts'), 'utf8');
    for (const name of ['class Playground', 'train(', 'probs(', 'evaluate(', 'render(', 'export function lossValue']) assert.ok(apiTypes.includes(name), `types lack ${name}`);
    // The packed module itself: load its wasm from the package and train a student with it.
    const module = await import(path.join(pkg, manifest.exports['.'].default));
    await module.ready({
      wasm: readFileSync(path.join(pkg, 'www/pkg/distill_playground_bg.wasm')),
      teacher: readFileSync(path.join(pkg, 'www/pkg/teacher.safetensors')),
    });
    const playground = new module.Playground({ map: 'open', hidden: 8 });
    const report = playground.train(20);
    assert.equal(report.step, 20);
    assert.ok(Number.isFinite(report.loss));
    assert.equal(playground.probs('student', 0, 0).length, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { chromiumOnly: 'uses no browser features that differ (run once)' });
