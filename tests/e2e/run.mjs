// The end-to-end suite: the real page, served by the real server, in headless Chromium (Playwright)
// or, with E2E_BROWSER=firefox or webkit, in Debian's Firefox ESR or WebKitGTK (engines.mjs). Runs
// every tests/e2e/*.test.mjs on node:test, one file after another (several tests measure timing),
// with the spec reporter; exits non-zero if any test fails. Options go to node's runner, e.g.
// `node tests/e2e/run.mjs --test-name-pattern=embed`; E2E_ONLY=text also keeps only the tests whose
// names contain the text.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENGINE } from './engines.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.env.E2E_ONLY; // the harness picks the tests; here only the files with a test of that name
/** The names of the tests a file declares (`e2eTest('name', …)`). */
const testNames = (file) => [...readFileSync(file, 'utf8').matchAll(/e2eTest\((['"`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2].replace(/\\(.)/g, '$1'));
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => dir + f)
  .filter((file) => !only || testNames(file).some((name) => name.includes(only)));
console.log(`end-to-end suite in ${ENGINE}: ${files.length} files${only ? ` (E2E_ONLY=${only})` : ''}`);
if (!files.length) process.exit(0); // node --test without files would look for tests everywhere
const args = ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-force-exit',
  ...process.argv.slice(2), ...files];
const { status, error } = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (error) throw error;
process.exit(status ?? 1);
