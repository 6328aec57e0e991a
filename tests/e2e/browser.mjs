// Shared by the end-to-end tests and the bench: start the real server and Debian's Chromium.
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-default-apps',
];

export async function launch() {
  const server = await startServer({ port: 0 });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    origin,
    browser,
    server,
    /** Closes what a test left open (a test that fails before its own close would leave a page
     * training for the rest of the file, slowing every later test). */
    async afterEach() {
      for (const context of browser.contexts()) for (const page of context.pages()) await page.close().catch(() => {});
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A page that records console errors, page errors and requests to anything but `origin`, and
 * (`requests`) every URL it and its workers asked for. */
export async function openPage(browser, origin, path = '/', viewport = { width: 1200, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = { console: [], errors: [], foreign: [] };
  /** Every URL the page and its workers asked for, in order. */
  const requests = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.console.push(message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    requests.push(url);
    if (!url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:')) problems.foreign.push(url);
  });
  await page.goto(origin + path);
  // A minute: WebKit on a loaded two-core machine has taken over 30 s to compile and start.
  await page.waitForFunction(() => window.playground && window.__test?.frames > 2, null, { timeout: 60000 });
  return { page, problems, requests };
}

/** Training runs in a worker: waits until the page's student has trained `minSteps`, pauses, and
 * waits until the worker has handled the pause and the page has taken its last progress. Returns the step. */
export async function pauseAfterTraining(page, minSteps = 1) {
  await page.waitForFunction((n) => window.playground.report().step >= n, minSteps, { timeout: 30000 });
  // In one page task, so the run cannot reach its budget (when Play would mean "keep training") in between.
  await page.evaluate(() => { if (document.getElementById('play').textContent === 'Pause') document.getElementById('play').click(); });
  await page.waitForFunction(() => window.__test.trainerSettled(), null, { timeout: 30000 });
  return page.evaluate(() => window.playground.report().step);
}

/** Sets the page to train as fast as it can with no budget (the page opens at a watchable pace
 * with a 3,000-step budget): for tests and benchmarks that measure throughput or need many steps. */
export async function fullSpeed(page) {
  await page.evaluate(() => {
    const speed = document.getElementById('speed');
    speed.value = speed.max;
    speed.dispatchEvent(new Event('input', { bubbles: true }));
    const budget = document.getElementById('budget');
    budget.value = '0';
    budget.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/** Records the page's frames for `milliseconds` while it runs as it is: the number of frames, the
 * p95 and longest gap between them (ms), and the main student's training steps per second meanwhile. */
export function recordFrames(page, milliseconds) {
  return page.evaluate((span) => new Promise((resolve) => {
    const times = [];
    const step0 = window.playground.report().step;
    const tick = (time) => {
      times.push(time);
      if (time - times[0] < span) return requestAnimationFrame(tick);
      const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
      const seconds = (times[times.length - 1] - times[0]) / 1000;
      resolve({ frames: gaps.length, p95: gaps[Math.floor(0.95 * (gaps.length - 1))], worst: gaps[gaps.length - 1], stepsPerS: (window.playground.report().step - step0) / seconds });
    };
    requestAnimationFrame(tick);
  }), milliseconds);
}
