// End-to-end tests (server): the real server (headers, traversal) and the page modules' source (no markup from text).
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, rawGet } from './harness.mjs';

e2eTest('server: wasm type, security headers, no traversal, only public files', async ({ origin }) => {
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
}, { chromiumOnly: 'tests the server, not the browser (run once)' });

e2eTest('no page module can insert markup: no innerHTML, insertAdjacentHTML, outerHTML, eval or Function', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../www/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => [f, readFileSync(new URL(f, dir), 'utf8')]);
  files.push(['index.html', readFileSync(new URL('../../index.html', import.meta.url), 'utf8')]);
  assert.ok(files.length > 5);
  for (const [name, text] of files) {
    assert.doesNotMatch(text, /innerHTML|insertAdjacentHTML|outerHTML|\beval\(|new Function\(/, `${name} can turn text into markup or code`);
  }
});
