// End-to-end tests (the static bundle): dist/ as a course author publishes it — copied under a
// sub-path of a site served by an unrelated static server (`python3 -m http.server`), with no
// headers of ours — opened (a) as the page, (b) in an iframe of a page of another origin, and (c) as
// the web component, twice on one page. Each trains, with no error, no Content Security Policy
// violation and no request outside its origin (the page's policy, carried by dist/index.html's
// <meta>, refuses any; the host pages here carry a strict one of their own).
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { e2eTest } from './harness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SUB_PATH = '/courses/ml/playground/';

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `python3 -m http.server` over `directory`; resolves to {origin, log, stop} once it answers.
 * `wasmType`: the type it sends .wasm files with (a misconfigured server: not application/wasm). */
async function pythonServer(directory, { wasmType = null } = {}) {
  const port = await freePort();
  const args = wasmType === null
    ? ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', directory]
    : ['-c', `import functools, http.server as s; h = s.SimpleHTTPRequestHandler; h.extensions_map['.wasm'] = '${wasmType}'; s.test(HandlerClass=functools.partial(h, directory=${JSON.stringify(directory)}), port=${port}, bind='127.0.0.1')`];
  const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => log.push(...String(chunk).split('\n').filter(Boolean)));
  const origin = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      await fetch(`${origin}/`);
      break;
    } catch (error) {
      if (tries > 100 || child.exitCode !== null) throw new Error(`python3 -m http.server did not start: ${log.join(' ')} ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { origin, log, stop: () => child.kill() };
}

/** What a host page needs to record, in the page itself (every engine's driver can read it back):
 * CSP violations, errors, and the playground's messages and events. */
const RECORDER = `window.__record = { violations: [], errors: [], messages: [], events: [] };
document.addEventListener('securitypolicyviolation', (e) => window.__record.violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.addEventListener('error', (e) => window.__record.errors.push(String(e.message)));
window.addEventListener('message', (e) => { if (e.data && e.data.source === 'distill-playground') window.__record.messages.push({ origin: e.origin, type: e.data.type, detail: e.data.detail }); });
for (const element of document.querySelectorAll('distill-playground')) {
  for (const type of ['progress', 'evaluation', 'error']) element.addEventListener(type, (e) => window.__record.events.push({ id: element.id, type, step: e.detail && e.detail.step, detail: type === 'error' ? e.detail : null }));
}
`;
const hostPolicy = (extra = '') => `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'${extra}`;

let site = null;
/** The course site (dist/ under SUB_PATH, and a page using the component) and another origin's
 * page that frames it, each on its own python3 http.server; made once per file. */
async function sites() {
  if (site) return site;
  const dist = join(ROOT, 'dist');
  assert.ok(existsSync(join(dist, 'index.html')), 'dist/ is built by `npm run build` (scripts/build.sh, which `npm test` runs first)');
  const course = mkdtempSync(join(tmpdir(), 'course-site-'));
  cpSync(dist, join(course, SUB_PATH), { recursive: true });
  // (c) the component twice on one page of the course site, under a strict policy of its own.
  writeFileSync(join(course, 'courses/ml/recorder.js'), RECORDER);
  writeFileSync(join(course, 'courses/ml/two-students.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${hostPolicy()}">
<title>Two students</title><link rel="icon" href="data:,">
<script type="module" src="playground/www/distill-playground.js"></script>
<script type="module" src="recorder.js"></script></head>
<body><h1>Soft labels against hard ones</h1>
<distill-playground id="soft" map="maze" loss="kl" temperature="2" hide="hidden,map" lang="zh-CN" speed="full" budget="800"></distill-playground>
<distill-playground id="hard" map="maze" loss="hard" speed="full" budget="600"></distill-playground>
</body></html>`);
  // (d) a long course page whose iframe opens a lesson: the page must not move.
  writeFileSync(join(course, 'courses/ml/lesson-frame.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A lesson, framed</title><link rel="icon" href="data:,"></head>
<body><h1>Compression</h1><p style="height: 900px">Read this first.</p>
<iframe src="playground/index.html?lesson=compression" title="distill-playground" width="820" height="520"></iframe>
<p style="height: 2000px">After the frame.</p></body></html>`);
  const courseServer = await pythonServer(course);
  // (b) a page of another origin that frames the playground.
  const other = mkdtempSync(join(tmpdir(), 'other-site-'));
  mkdirSync(join(other, 'notes'), { recursive: true });
  writeFileSync(join(other, 'notes/recorder.js'), RECORDER);
  writeFileSync(join(other, 'notes/lesson.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${hostPolicy(`; frame-src ${courseServer.origin}`)}">
<title>Lesson 3</title><link rel="icon" href="data:,"><script type="module" src="recorder.js"></script></head>
<body><h1>Lesson 3: soft targets</h1>
<iframe src="${courseServer.origin}${SUB_PATH}index.html?embed=1&amp;lang=zh-CN&amp;speed=full&amp;budget=0#map=maze&amp;loss=kl&amp;temperature=2" title="distill-playground" width="820" height="520"></iframe>
</body></html>`);
  const otherServer = await pythonServer(other);
  // The same course site on a server that sends .wasm as application/octet-stream.
  const misconfigured = await pythonServer(course, { wasmType: 'application/octet-stream' });
  site = { course: courseServer, other: otherServer, misconfigured, dirs: [course, other] };
  return site;
}
after(() => {
  if (!site) return;
  for (const server of [site.course, site.other, site.misconfigured]) server.stop();
  for (const dir of site.dirs) rmSync(dir, { recursive: true, force: true });
});

/** The course server's answers that were not 200 or 304 (a missing file, a wrong path). */
const failures = (server) => server.log.filter((line) => /" [45]\d\d /.test(line));

e2eTest('dist/ from a sub-path of a static server: the page trains, with its own policy, no violation and nothing from elsewhere', async ({ browser }) => {
  const { course } = await sites();
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = { errors: [], foreign: [] };
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  page.on('request', (request) => { if (!request.url().startsWith(`${course.origin}/`) && !/^(data|blob):/.test(request.url())) problems.foreign.push(request.url()); });
  await page.goto(`${course.origin}${SUB_PATH}index.html?lang=zh-CN`);
  await page.waitForFunction(() => window.playground && window.__test?.evaluations > 0, null, { timeout: 60000 });
  const step = await page.evaluate(() => window.playground.step);
  await page.waitForFunction((s) => window.playground.step > s, step, { timeout: 30000 });
  const inPage = await page.evaluate(() => ({
    violations: window.__test?.cspViolations,
    policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null,
    missing: [...(globalThis.__test?.i18nMissing ?? [])],
    lang: document.documentElement.lang,
  }));
  assert.deepEqual(inPage.violations, []);
  assert.match(inPage.policy, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'/);
  assert.equal(inPage.lang, 'zh-CN');
  assert.deepEqual(inPage.missing, []);
  assert.deepEqual(problems, { errors: [], foreign: [] });
  assert.deepEqual(failures(course), [], 'every file the page asked for was there');
  // Every request went under the sub-path: the bundle's URLs are relative.
  const paths = course.log.map((line) => line.match(/"GET (\S+) /)?.[1]).filter((path) => path && path !== '/');
  assert.ok(paths.length > 10, `the server saw the page's requests: ${paths.length}`);
  assert.deepEqual(paths.filter((path) => !path.startsWith('/courses/ml/')), []);
  await page.close();
});

e2eTest('dist/ framed by a page of another origin: it trains and tells its host (progress, evaluation), with no error or violation on either side', async ({ browser }) => {
  const { course, other } = await sites();
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(`${other.origin}/notes/lesson.html`);
  await page.waitForFunction(() => {
    const messages = window.__record?.messages ?? [];
    return messages.filter((m) => m.type === 'evaluation').length >= 2 && messages.filter((m) => m.type === 'progress').length >= 3;
  }, null, { timeout: 60000 });
  const record = await page.evaluate(() => window.__record);
  const steps = record.messages.filter((m) => m.type === 'progress').map((m) => m.detail.step);
  assert.ok(steps.at(-1) > steps[0], `the framed page trains: steps ${steps.join(', ')}`);
  assert.ok(record.messages.every((m) => m.origin === course.origin), 'the messages come from the course site');
  // The newest evaluation is a real one: the teacher succeeds on the held-out maps. (Once, in WebKit
  // under CI, a first evaluation came with every held-out figure and both latencies 0; not seen again
  // in 9 runs of this file. An earlier evaluation unlike that is reported, with all of them.)
  const evaluations = record.messages.filter((m) => m.type === 'evaluation').map((m) => m.detail);
  const odd = evaluations.filter((e) => !(e.teacherHeldoutSuccess > 0.5));
  if (odd.length) console.warn(`framed page: ${odd.length} of ${evaluations.length} evaluations without the teacher's held-out success:`, JSON.stringify(evaluations));
  assert.ok(evaluations.at(-1).teacherHeldoutSuccess > 0.5, JSON.stringify(evaluations));
  assert.deepEqual(record.messages.filter((m) => m.type === 'error'), [], 'no error and no violation inside the frame');
  assert.deepEqual(record.violations, []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(failures(course), []);
  await page.close();
});

e2eTest('dist/ holds the example of a course page that frames the playground, and the playground in it trains', async ({ browser }) => {
  const { course } = await sites();
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(`${course.origin}${SUB_PATH}www/embed-example.html`);
  // The frame is of the same origin here, so the example page can read its playground.
  await page.waitForFunction(() => (document.querySelector('iframe')?.contentWindow?.playground?.step ?? 0) > 0, null, { timeout: 60000 });
  const framed = await page.evaluate(() => {
    const { playground } = document.querySelector('iframe').contentWindow;
    return { map: playground.config().map, temperature: playground.config().temperature };
  });
  assert.deepEqual(framed, { map: 'maze', temperature: 2 }, 'the settings of the snippet reach the framed page');
  assert.deepEqual(failures(course), []);
  await page.close();
});

e2eTest('dist/ holds a course page with two web components and a notebook whose cell frames a lesson; each works, and nothing moves its host', async ({ browser }) => {
  const { course } = await sites();
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(`${course.origin}${SUB_PATH}www/embed-component-example.html`);
  await page.waitForFunction(() => ['soft', 'hard'].every((id) => (document.getElementById(id)?.playground?.step ?? 0) > 0), null, { timeout: 60000 });
  const students = await page.evaluate(() => ['soft', 'hard'].map((id) => {
    const config = document.getElementById(id).playground.config();
    return [config.loss, config.trainMaps];
  }));
  assert.deepEqual(students, [['kl', 1024], ['hard', 1024]], 'each element its own student, across 1,024 maps');
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'two components do not scroll their page');
  // The notebook: nbformat 4, its code cell frames the playground with IPython.display; the address
  // it frames (under where dist/ is served) opens the lesson as a slide, Run and the verdict in view.
  const notebook = JSON.parse(readFileSync(join(ROOT, 'dist/www/embed-notebook-example.ipynb'), 'utf8'));
  assert.equal(notebook.nbformat, 4);
  const code = notebook.cells.find((cell) => cell.cell_type === 'code').source.join('');
  assert.match(code, /from IPython\.display import IFrame/);
  const [, framed, width, height] = code.match(/IFrame\(PLAYGROUND \+ "([^"]+)", width=(\d+), height=(\d+)\)/);
  const frame = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
  await frame.goto(`${course.origin}${SUB_PATH}${framed}`);
  await frame.waitForFunction(() => document.body.classList.contains('lesson-slide') && document.getElementById('lesson').value === 'dark-knowledge', null, { timeout: 60000 });
  await frame.evaluate(() => { document.getElementById('lesson-quick').checked = true; });
  await frame.click('#lesson-run');
  await frame.waitForFunction(() => document.getElementById('lesson-verdict').dataset.verdict, null, { timeout: 120000 });
  const inView = await frame.evaluate(() => ['lesson-run', 'lesson-verdict'].map((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.top < window.innerHeight;
  }));
  assert.deepEqual(inView, [true, true], `Run and the verdict in a ${width}×${height} frame`);
  assert.deepEqual(failures(course), []);
  await frame.close();
  await page.close();
});

e2eTest('an iframe that opens a lesson does not scroll the course page that frames it', async ({ browser }) => {
  const { course } = await sites();
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(`${course.origin}/courses/ml/lesson-frame.html`);
  // The framed page has opened the lesson: it scrolls to it, if at all, in the same task. (Not a
  // count of frames: WebKit all but stops the frames of an iframe out of view.)
  await page.waitForFunction(() => document.querySelector('iframe')?.contentWindow?.document?.getElementById('lesson')?.value === 'compression', null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'the course page stays where its reader left it');
  await page.close();
});

e2eTest('the web component twice on one page: two students train independently, with events, reflected attributes and no violation', async ({ browser }) => {
  const { course } = await sites();
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const problems = { errors: [], foreign: [] };
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  page.on('request', (request) => { if (!request.url().startsWith(`${course.origin}/`) && !/^(data|blob):/.test(request.url())) problems.foreign.push(request.url()); });
  await page.goto(`${course.origin}/courses/ml/two-students.html`);
  // Both reach their own budgets (800 and 600 steps) and are measured.
  await page.waitForFunction(() => {
    const events = window.__record?.events ?? [];
    const done = (id, budget) => document.getElementById(id).playground?.step === budget && events.some((e) => e.id === id && e.type === 'evaluation');
    return done('soft', 800) && done('hard', 600);
  }, null, { timeout: 90000 });
  const state = await page.evaluate(() => {
    const element = (id) => document.getElementById(id);
    const configOf = (id) => element(id).playground.config();
    const part = (id, name) => element(id).shadowRoot.querySelector(`[data-part="${name}"]`);
    return {
      soft: { loss: configOf('soft').loss, temperature: configOf('soft').temperature, width: element('soft').getAttribute('width'), trainMaps: configOf('soft').trainMaps },
      hard: { loss: configOf('hard').loss, temperature: configOf('hard').temperature, trainMaps: configOf('hard').trainMaps },
      hidden: ['hidden', 'map', 'loss'].map((name) => part('soft', name).hidden),
      language: [part('soft', 'play').textContent, part('hard', 'play').textContent],
      legends: [part('soft', 'legend').textContent, part('hard', 'legend').textContent],
      shadow: !!element('soft').shadowRoot.querySelector('canvas[data-part=grid]') && document.querySelectorAll('canvas').length === 0,
      progress: ['soft', 'hard'].map((id) => window.__record.events.filter((e) => e.id === id && e.type === 'progress').length),
      errors: window.__record.events.filter((e) => e.type === 'error'),
      violations: window.__record.violations,
    };
  });
  // Without train-maps, each learns across 1,024 maps, as the page's first view does (app/first-view.js).
  assert.deepEqual(state.soft, { loss: 'kl', temperature: 2, width: '32', trainMaps: 1024 }, 'the attributes set the settings and reflect the width');
  assert.deepEqual(state.hard, { loss: 'hard', temperature: 1, trainMaps: 1024 });
  assert.deepEqual(state.hidden, [true, true, false], 'hide=hidden,map hides those settings only');
  assert.ok(/[\u3400-\u9fff]/.test(state.language[0]) && /^(Play|Pause)$/.test(state.language[1]), `lang per element: ${state.language}`);
  assert.ok(state.shadow, 'the elements draw inside their shadow roots');
  // Each says what its arrows show, at its own τ and in its own language.
  assert.ok(/[\u3400-\u9fff]/.test(state.legends[0]) && state.legends[0].includes('2.00'), `the soft student's legend: ${state.legends[0]}`);
  assert.ok(state.legends[1].startsWith('Arrows:') && state.legends[1].includes('1.00'), `the hard student's legend: ${state.legends[1]}`);
  assert.ok(state.progress.every((n) => n >= 1), `progress events: ${state.progress}`);
  assert.deepEqual(state.errors, []);
  assert.deepEqual(state.violations, []);
  // A change of attribute applies to that element's student only; a bad one is refused by name.
  await page.evaluate(() => document.getElementById('hard').setAttribute('temperature', '4'));
  await page.evaluate(() => document.getElementById('hard').setAttribute('loss', 'nope'));
  const after = await page.evaluate(() => ({
    hard: document.getElementById('hard').playground.config(),
    soft: document.getElementById('soft').playground.config(),
    loss: document.getElementById('hard').getAttribute('loss'),
    refused: window.__record.events.filter((e) => e.type === 'error').map((e) => e.detail.field),
  }));
  assert.equal(after.hard.temperature, 4);
  assert.equal(after.soft.temperature, 2);
  assert.equal(after.hard.loss, 'hard', 'a refused value changes nothing');
  assert.equal(after.loss, 'hard', 'and the attribute goes back to what the student has');
  assert.deepEqual(after.refused, ['loss']);
  assert.deepEqual(problems, { errors: [], foreign: [] });
  assert.deepEqual(failures(course), []);
  await page.close();
});

e2eTest('dist/ on a server that sends .wasm with the wrong type still trains (compiled from the bytes)', async ({ browser }) => {
  const { misconfigured } = await sites();
  const type = (await fetch(`${misconfigured.origin}${SUB_PATH}www/pkg/distill_playground_bg.wasm`)).headers.get('content-type');
  assert.equal(type, 'application/octet-stream', 'the server is misconfigured as meant');
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${misconfigured.origin}${SUB_PATH}index.html`);
  await page.waitForFunction(() => window.playground && window.playground.step > 0, null, { timeout: 60000 });
  // The background workers (lessons, the compression curve) take the page's compiled module, which
  // www/playground.js `shareable()` compiles from the bytes when streaming refuses the type.
  const shared = await page.evaluate(async () => {
    const { shareable } = await import('./www/playground.js');
    const { wasm, teacher } = await shareable();
    return { module: wasm instanceof WebAssembly.Module, exports: WebAssembly.Module.exports(wasm).length, teacher: teacher.length };
  });
  assert.ok(shared.module && shared.exports > 20 && shared.teacher > 100000, JSON.stringify(shared));
  assert.equal(await page.evaluate(() => document.getElementById('error').hidden), true, await page.evaluate(() => document.getElementById('error').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});
