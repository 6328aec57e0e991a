// End-to-end tests in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi; Playwright cannot
// drive Debian's Firefox): the real page and the real server, the core of what run.mjs checks in
// Chromium. Run by `npm test`; exits non-zero if any test fails.
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { startServer } from '../../scripts/serve.mjs';

const server = await startServer({ port: 0 });
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
  headless: true,
});

async function openPage(path = '/') {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  const problems = { console: [], errors: [], foreign: [] };
  page.on('console', (message) => { if (message.type() === 'error') problems.console.push(message.text()); });
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:')) problems.foreign.push(url);
  });
  await page.goto(origin + path);
  await page.waitForFunction(() => window.playground && window.__frames > 2, { timeout: 60000 });
  return { page, problems };
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const entropy = (p) => -p.reduce((sum, v) => (v > 0 ? sum + v * Math.log(v) : sum), 0);

test('page loads, trains and agreement rises, with no errors and no foreign requests', async () => {
  const { page, problems } = await openPage();
  const first = await page.evaluate(() => window.playground.train(0));
  await page.waitForFunction(() => window.playground.train(0).agreement >= 0.9, { timeout: 60000 });
  const later = await page.evaluate(() => window.playground.train(0));
  assert.ok(later.step > first.step && later.agreement >= 0.9, JSON.stringify({ first, later }));
  assert.match(await page.$eval('#stats', (e) => e.textContent), /step \d+/);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

test('moving #temperature to the top flattens the teacher distribution', async () => {
  const { page } = await openPage();
  const before = await page.evaluate(() => Array.from(window.playground.probs('teacher', 1, 1)));
  await page.$eval('#temperature', (input) => { input.value = input.max; input.dispatchEvent(new Event('input', { bubbles: true })); input.dispatchEvent(new Event('change', { bubbles: true })); });
  await page.waitForFunction(() => window.playground.config().temperature > 9, { timeout: 10000 });
  const after = await page.evaluate(() => Array.from(window.playground.probs('teacher', 1, 1)));
  assert.ok(entropy(after) > entropy(before) + 0.1, `entropy ${entropy(before)} → ${entropy(after)}`);
  await page.close();
});

test('the grid canvas is drawn and the ledger shows numbers', async () => {
  const { page } = await openPage();
  const inked = await page.evaluate(() => {
    const canvas = document.getElementById('grid');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let distinct = new Set();
    for (let i = 0; i < pixels.length; i += 4 * 97) distinct.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
    return distinct.size;
  });
  assert.ok(inked > 3, `the canvas has ${inked} colours`);
  await page.waitForFunction(() => /\d/.test(document.querySelector('#ledger tbody')?.textContent ?? ''), { timeout: 30000 });
  await page.close();
});

test('a hostile link is refused field by field and never runs', async () => {
  const { page, problems } = await openPage('/#loss=%3Cimg%20src%3Dx%20onerror%3Dwindow.__owned%3D1%3E&seed=9');
  assert.equal(await page.evaluate(() => window.__owned), undefined);
  assert.equal(await page.evaluate(() => window.playground.config().seed), 9);
  assert.match(await page.$eval('#notice', (e) => e.textContent), /loss/);
  assert.equal(await page.$$eval('#notice img', (images) => images.length), 0);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

let failed = 0;
for (const { name, fn } of tests) {
  const started = Date.now();
  try {
    await fn();
    console.log(`PASS [firefox] ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL [firefox] ${name}\n     ${String(error.stack || error).split('\n').slice(0, 6).join('\n     ')}`);
  }
}
await browser.close();
await new Promise((resolve) => server.close(resolve));
console.log(`${tests.length - failed} passed, ${failed} failed (Firefox)`);
process.exit(failed ? 1 : 0);
