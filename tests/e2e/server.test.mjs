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
  // A symlink among the public files that leads out of them is not followed: to a private file of
  // the project, and out of the project.
  const { symlinkSync, rmSync } = await import('node:fs');
  const www = new URL('../../www/', import.meta.url);
  const links = { 'link-to-cargo.txt': '../Cargo.toml', 'link-to-passwd.txt': '/etc/passwd' };
  try {
    for (const [name, target] of Object.entries(links)) symlinkSync(target, new URL(name, www));
    for (const name of Object.keys(links)) {
      const response = await rawGet(origin, `/www/${name}`);
      assert.equal(response.status, 404, `/www/${name} was served`);
      assert.doesNotMatch(response.body, /\[workspace\]|root:x:/);
    }
  } finally {
    for (const name of Object.keys(links)) rmSync(new URL(name, www), { force: true });
  }
  // A symlink that stays among the public files is served.
  try {
    symlinkSync('style.css', new URL('link-to-style.css', www));
    assert.equal((await rawGet(origin, '/www/link-to-style.css')).status, 200);
  } finally {
    rmSync(new URL('link-to-style.css', www), { force: true });
  }
}, { chromiumOnly: 'tests the server, not the browser (run once)' });

e2eTest('no page module can insert markup: no innerHTML, insertAdjacentHTML, outerHTML, eval or Function', async () => {
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { pageScripts } = await import('../../scripts/page-scripts.mjs');
  // The page's modules in every folder of www/, and the bundle made of them.
  const www = fileURLToPath(new URL('../../www/', import.meta.url));
  const files = [...pageScripts(www), `${www}main.bundle.js`].map((f) => [f, readFileSync(f, 'utf8')]);
  files.push(['index.html', readFileSync(new URL('../../index.html', import.meta.url), 'utf8')]);
  assert.ok(files.length > 5);
  for (const [name, text] of files) {
    assert.doesNotMatch(text, /innerHTML|insertAdjacentHTML|outerHTML|\beval\(|new Function\(/, `${name} can turn text into markup or code`);
  }
});

e2eTest('npm start and npm test see an incomplete node_modules/ (any locked package missing or at another version)', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  const os = await import('node:os');
  const check = new URL('../../scripts/node-modules-complete.mjs', import.meta.url).pathname;
  const dir = mkdtempSync(`${os.tmpdir()}/modules-`);
  const write = (where, version) => {
    mkdirSync(`${dir}/${where}`, { recursive: true });
    writeFileSync(`${dir}/${where}/package.json`, JSON.stringify({ version }));
  };
  const run = () => spawnSync(process.execPath, [check, dir], { encoding: 'utf8' });
  try {
    writeFileSync(`${dir}/package-lock.json`, JSON.stringify({ packages: {
      '': {}, 'node_modules/a': { version: '1.0.0' }, 'node_modules/a/node_modules/b': { version: '2.0.0' },
      'node_modules/only-on-mac': { version: '1.0.0', optional: true } } }));
    write('node_modules/a', '1.0.0');
    let result = run();
    assert.equal(result.status, 1);
    assert.match(result.stdout, /node_modules\/a\/node_modules\/b is missing/);
    write('node_modules/a/node_modules/b', '1.9.0');
    result = run();
    assert.equal(result.status, 1);
    assert.match(result.stdout, /is 1\.9\.0, the lock asks for 2\.0\.0/);
    write('node_modules/a/node_modules/b', '2.0.0');
    assert.equal(run().status, 0, 'complete (an optional package may be absent)');
    // And this project's own node_modules/ is complete now.
    assert.equal(spawnSync(process.execPath, [check], { encoding: 'utf8' }).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { chromiumOnly: 'tests a script, not the browser (run once)' });

e2eTest('the server sends validators: an unchanged file is answered 304, a changed one 200', async ({ origin }) => {
  const first = await rawGet(origin, '/www/style.css');
  assert.equal(first.status, 200);
  assert.match(first.headers.etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.ok(first.headers['last-modified'], 'Last-Modified');
  assert.equal(first.headers['cache-control'], 'no-cache', 'the browser still asks each time');
  const again = await rawGet(origin, '/www/style.css', { 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body, '');
  assert.match(again.headers['content-security-policy'], /script-src 'self'/);
  // Another file's validator, or one from before a change, gets the file.
  assert.equal((await rawGet(origin, '/www/boot.js', { 'If-None-Match': first.headers.etag })).status, 200);
  const { utimesSync, statSync } = await import('node:fs');
  const css = new URL('../../www/style.css', import.meta.url);
  const { atime, mtime } = statSync(css);
  try {
    utimesSync(css, atime, new Date(mtime.getTime() + 5000));
    const changed = await rawGet(origin, '/www/style.css', { 'If-None-Match': first.headers.etag });
    assert.equal(changed.status, 200);
    assert.equal(changed.body, first.body);
  } finally {
    utimesSync(css, atime, mtime);
  }
});

e2eTest('the dev server makes the page bundle again when a module of www/ is newer, and says why it cannot', async ({ origin }) => {
  const { statSync, utimesSync, writeFileSync, rmSync } = await import('node:fs');
  const bundle = new URL('../../www/main.bundle.js', import.meta.url);
  // An hour older than every module: stale, so the next request makes it again (scripts/bundle.mjs).
  const hourAgo = new Date(Date.now() - 3600 * 1000);
  utimesSync(bundle, hourAgo, hourAgo);
  const response = await rawGet(origin, '/www/main.bundle.js');
  assert.equal(response.status, 200);
  assert.match(response.headers['content-type'], /^text\/javascript/);
  assert.match(response.body, /\/\/ www\/main\.js/, 'the bundle holds main.js');
  assert.ok(statSync(bundle).mtimeMs > hourAgo.getTime() + 1000, 'the bundle was made again');
  // A module that does not parse: the answer and the server's log name the file and what is wrong,
  // and the bundle on disk is left as it was.
  const before = statSync(bundle).mtimeMs;
  const broken = new URL('../../www/zz-broken-for-test.js', import.meta.url);
  const main = new URL('../../www/main.js', import.meta.url);
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(main, 'utf8');
  try {
    writeFileSync(broken, 'export const x = (;\n');
    writeFileSync(main, `import './zz-broken-for-test.js';\n${source}`);
    const failed = await rawGet(origin, '/www/main.bundle.js');
    assert.equal(failed.status, 500);
    assert.match(failed.body, /could not bundle the page's modules: .*zz-broken-for-test\.js:1/s);
    assert.equal(statSync(bundle).mtimeMs, before, 'the bundle was left as it was');
  } finally {
    writeFileSync(main, source);
    rmSync(broken, { force: true });
  }
  assert.equal((await rawGet(origin, '/www/main.bundle.js')).status, 200, 'mended, it is made again');
});
