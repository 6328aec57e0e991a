// What every *.test.mjs file of the end-to-end suite shares: e2eTest() registers a node:test test
// that gets { engine, origin, browser, server } of the engine E2E_BROWSER names. The engine (real
// server and browser) is launched once per file, by the first test that runs and takes it, and
// closed after the file; a file whose tests are all skipped, filtered out or browserless launches
// none. Helpers the tests share are here too. Run the files with `node tests/e2e/run.mjs`.
import http from 'node:http';
import { after, test } from 'node:test';
import { ENGINE, launchEngine } from './engines.mjs';

export { ENGINE };
export { fullSpeed, openPage, pauseAfterTraining, recordFrames } from './browser.mjs';

let launched = null;
after(async () => {
  const context = await launched?.catch(() => null); // a failed launch has failed its test already
  await context?.close();
});

/** `chromiumOnly`: why a test runs only once, in Chromium; `notIn`: {engine: why} for engines where it
 * cannot run. Either becomes node:test's skip, with its reason. E2E_ONLY=text keeps only the tests
 * whose names contain the text (for working on one test; --test-name-pattern works as well). */
export function e2eTest(name, fn, { chromiumOnly = null, notIn = {} } = {}) {
  const only = process.env.E2E_ONLY;
  if (only && !name.includes(only)) return;
  const why = notIn[ENGINE] ?? (ENGINE !== 'chromium' && chromiumOnly ? `Chromium only: ${chromiumOnly}` : null);
  test(name, { skip: why ? `[${ENGINE}] ${why}` : false }, async () => {
    if (!fn.length) return fn(); // a test that takes no context needs no browser
    launched ??= launchEngine(ENGINE);
    const context = await launched;
    try {
      await fn(context);
    } catch (error) {
      // An engine crash, not a failed check: WebKitGTK's web process now and then crashes or hangs
      // under Xvfb, and its driver then deletes the session. The test runs once more on a new
      // session, said in the output; a second crash, or any failed assertion, fails it.
      if (!(await context.recoverFrom?.(error))) throw error;
      console.log(`[${ENGINE}] the browser's page crashed or hung in "${name}" (${error.message.split('\n')[0]}); new session, running it once more`);
      await fn(context);
    } finally {
      await context.afterEach();
    }
  });
}

/** A GET of `rawPath` exactly as written (no normalising of `..` or `%2e`, as fetch would do). */
export function rawGet(origin, rawPath, headers = {}) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: rawPath, method: 'GET', headers }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end();
  });
}

export const entropy = (p) => -Array.from(p).reduce((sum, v) => (v > 0 ? sum + v * Math.log(v) : sum), 0);

/** Runs in the page: how many distinct colours the canvas `selector` names holds (a blank one has one). */
export function canvasColours(selector) {
  const canvas = document.querySelector(selector);
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
}
