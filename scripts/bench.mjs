// `npm run bench [-- --json]`: training steps per second for the reference workload in headless
// Chromium (the real wasm, the real server) and natively. A benchmark: it reports, it never fails on speed.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { launch } from '../tests/e2e/browser.mjs';

const json = process.argv.includes('--json');
const root = new URL('..', import.meta.url).pathname;

const context = await launch();
const page = await context.browser.newPage();
await page.goto(`${context.origin}/www/bench.html`);
await page.waitForFunction(() => window.benchResult, null, { timeout: 120000 });
const browser = await page.evaluate(() => window.benchResult);
await context.close();
if (browser.error) {
  console.error(`browser bench failed: ${browser.error}`);
  process.exit(1);
}

let native;
try {
  const output = execFileSync('cargo', ['run', '--release', '-q', '-p', 'distill-playground', '--bin', 'distill', '--', 'bench', '--json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  native = JSON.parse(output.trim().split('\n').pop());
} catch (error) {
  console.error(`native bench failed: ${error.message}`);
  process.exit(1);
}

const result = {
  wasm_steps_per_s: browser.wasm_steps_per_s,
  native_steps_per_s: native.native_steps_per_s,
  workload: 'student 245-64-5, batch 64, Adam, kl loss, four-rooms, uniform data',
  browser: browser.userAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? browser.userAgent,
  date: new Date().toISOString().slice(0, 10),
  machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
};
console.log('Training speed, reference workload (student 245→64→5, batch 64, Adam, kl):');
console.log(`  wasm in headless Chromium  ${String(result.wasm_steps_per_s).padStart(8)} steps/s`);
console.log(`  native                     ${String(result.native_steps_per_s).padStart(8)} steps/s`);
console.log(`  ${result.date}, ${result.machine}`);
if (json) console.log(JSON.stringify(result));
