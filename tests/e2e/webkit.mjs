// Debian's WebKitGTK for the end-to-end suite (`E2E_BROWSER=webkit node tests/e2e/run.mjs`): its
// WebDriver (WebKitWebDriver, under Xvfb) speaks only classic W3C WebDriver, so this file holds a
// small client for it and puts it behind the subset of Playwright's page API that the tests use.
// Hand-written because the npm client (webdriver) pulls in installers that download browsers.
// Classic WebDriver has no events: page errors, console errors and requests are collected in the
// page (an injected recorder, read back with every script call), and so are downloads.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { startServer } from '../../scripts/serve.mjs';
import { captureDownloads, downloadOf, fillValue, isShownBySelector } from './in-page.mjs';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const KEYS = { Escape: '\uE00C', End: '\uE010', Home: '\uE011', Enter: '\uE007', Tab: '\uE004', ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015', PageUp: '\uE00E', PageDown: '\uE00F' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One W3C WebDriver session: `command(method, path, body)` → the response's value. */
class Session {
  constructor(base) {
    this.base = base;
    this.id = null;
  }
  async command(method, route, body) {
    const url = `${this.base}${this.id ? `/session/${this.id}` : ''}${route}`;
    const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${route}: ${value?.error}: ${value?.message}`);
    return value;
  }
  async start() {
    this.id = null;
    const { sessionId } = await this.command('POST', '/session', { capabilities: { alwaysMatch: {} } });
    this.id = sessionId;
  }
}

/** Installed in the page before every script call: records errors, console errors and resource
 * URLs in window.__e2e (downloads: `captureDownloads`). */
function installRecorder() {
  if (window.__e2e) return;
  const record = { errors: [], console: [], reported: { errors: 0, console: 0, resources: 0 } };
  window.__e2e = record;
  window.addEventListener('error', (event) => record.errors.push(String(event.error ?? event.message)));
  window.addEventListener('unhandledrejection', (event) => record.errors.push(String(event.reason)));
  const consoleError = console.error;
  console.error = (...args) => {
    record.console.push(args.map(String).join(' '));
    consoleError.apply(console, args);
  };
}

/** The script that runs `source` (a function's text) on the script's first argument in the page,
 * after the recorder is in place, and brings back its value (undefined kept apart from null) and
 * what the recorder saw since the last call. Built as text here: the page's CSP forbids eval. */
function runner(source) {
  return `
  const arg = arguments[0];
  const done = arguments[arguments.length - 1];
  (${installRecorder})();
  (${captureDownloads})();
  const record = window.__e2e;
  const news = () => {
    const resources = performance.getEntriesByType('resource').map((entry) => entry.name);
    const out = { errors: record.errors.slice(record.reported.errors), console: record.console.slice(record.reported.console), resources: resources.slice(record.reported.resources) };
    record.reported = { errors: record.errors.length, console: record.console.length, resources: resources.length };
    return out;
  };
  Promise.resolve()
    .then(() => (${source})(arg))
    .then((value) => done({ value: value === undefined ? null : value, undefined: value === undefined, news: news() }),
          (error) => done({ error: String(error && error.message || error), news: news() }));`;
}

/** One top-level window of the session, behind the Playwright calls the tests make. */
class WebKitPage {
  constructor(context, handle) {
    this.context = context;
    this.session = context.session;
    this.handle = handle;
    this.handlers = { console: [], pageerror: [], request: [], download: [] };
    this.downloadsTaken = 0;
    const actions = (list) => this.act(list);
    this.mouse = {
      move: async (x, y, { steps = 1 } = {}) => {
        const moves = [];
        const from = this.pointer ?? { x, y };
        for (let i = 1; i <= steps; i++) moves.push({ type: 'pointerMove', duration: 0, origin: 'viewport', x: Math.round(from.x + ((x - from.x) * i) / steps), y: Math.round(from.y + ((y - from.y) * i) / steps) });
        this.pointer = { x, y };
        await actions([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: moves }]);
      },
      down: () => actions([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerDown', button: 0 }] }]),
      up: () => actions([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerUp', button: 0 }] }]),
      click: async (x, y) => {
        await this.mouse.move(x, y);
        await this.mouse.down();
        await this.mouse.up();
      },
    };
    this.keyboard = {
      press: (key) => {
        const value = KEYS[key] ?? key;
        return actions([{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value }, { type: 'keyUp', value }] }]);
      },
    };
  }
  async use() {
    if (this.context.current !== this.handle) {
      await this.session.command('POST', '/window', { handle: this.handle });
      this.context.current = this.handle;
    }
  }
  async act(list) {
    await this.use();
    await this.session.command('POST', '/actions', { actions: list });
  }
  on(event, handler) {
    this.handlers[event]?.push(handler);
  }
  async goto(url) {
    await this.use();
    await this.session.command('POST', '/url', { url });
  }
  async evaluate(fn, arg) {
    await this.use();
    const result = await this.session.command('POST', '/execute/async', { script: runner(String(fn)), args: [arg === undefined ? null : arg] });
    const { news } = result;
    for (const text of news.errors) this.handlers.pageerror.forEach((h) => h(text));
    for (const text of news.console) this.handlers.console.forEach((h) => h({ type: () => 'error', text: () => text }));
    for (const url of news.resources) this.handlers.request.forEach((h) => h({ url: () => url }));
    if (result.error !== undefined) throw new Error(`in the page: ${result.error}`);
    if (this.handlers.download.length) await this.deliverDownloads();
    return result.undefined ? undefined : result.value;
  }
  async waitForFunction(fn, arg, options = {}) {
    const timeout = options?.timeout ?? 30000;
    const started = Date.now();
    for (;;) {
      let value;
      try {
        value = await this.evaluate(fn, arg === null ? undefined : arg);
      } catch (error) {
        // WebKitWebDriver once answered a poll "unknown error: Could not parse script result" (the
        // lessons test in a clean-clone CI run, load about 4; the test passed alone with the same
        // build): a poll its driver could not read is polled again, until the timeout.
        if (!/Could not parse script result/.test(error.message) || Date.now() - started > timeout) throw error;
      }
      if (value) return value;
      if (Date.now() - started > timeout) throw new Error(`waitForFunction timed out after ${timeout} ms: ${String(fn).slice(0, 80)}`);
      await sleep(100);
    }
  }
  /** Waits; downloads that landed meanwhile reach the page's 'download' handlers at the end. */
  async waitForTimeout(ms) {
    await sleep(ms);
    if (this.handlers.download.length) await this.deliverDownloads();
  }
  async element(selector) {
    const started = Date.now();
    for (;;) {
      await this.use();
      try {
        const found = await this.session.command('POST', '/element', { using: 'css selector', value: selector });
        return found[ELEMENT];
      } catch (error) {
        if (Date.now() - started > 30000) throw error;
        await sleep(100);
      }
    }
  }
  locator(selector) {
    const page = this;
    return {
      fill: (value) => page.evaluate(`(a) => (${fillValue})(document.querySelector(a[0]), a[1])`, [selector, String(value)]),
      focus: () => page.evaluate((s) => document.querySelector(s).focus(), selector),
      press: async (key) => {
        await page.evaluate((s) => document.querySelector(s).focus(), selector);
        await page.keyboard.press(key);
      },
      dispatchEvent: (type) => page.evaluate(([s, t]) => document.querySelector(s).dispatchEvent(new Event(t, { bubbles: true })), [selector, type]),
      boundingBox: () => page.evaluate((s) => {
        const element = document.querySelector(s);
        element.scrollIntoView({ block: 'nearest' });
        const { x, y, width, height } = element.getBoundingClientRect();
        return { x, y, width, height };
      }, selector),
      count: () => page.evaluate((s) => document.querySelectorAll(s).length, selector),
      isVisible: () => page.evaluate(isShownBySelector, selector),
    };
  }
  async textContent(selector) {
    await this.element(selector);
    return this.evaluate((s) => document.querySelector(s).textContent, selector);
  }
  async click(selector) {
    const id = await this.element(selector);
    await this.session.command('POST', `/element/${id}/click`, {});
  }
  selectOption(selector, value) {
    return this.locator(selector).fill(value);
  }
  /** Like Playwright's: clicks an unchecked box and fails if the click did not check it (as when
   * the page moved under the pointer). */
  async check(selector) {
    const checked = () => this.evaluate((s) => document.querySelector(s).checked, selector);
    if (await checked()) return;
    await this.click(selector);
    if (!(await checked())) throw new Error(`clicking ${selector} did not check it`);
  }
  isVisible(selector) {
    return this.evaluate(isShownBySelector, selector);
  }
  async isHidden(selector) {
    return !(await this.isVisible(selector));
  }
  isDisabled(selector) {
    return this.evaluate((s) => document.querySelector(s).disabled, selector);
  }
  async inputValue(selector) {
    await this.element(selector);
    return this.evaluate((s) => document.querySelector(s).value, selector);
  }
  $$eval(selector, fn, arg) {
    return this.evaluate(`(a) => (${fn})(Array.from(document.querySelectorAll(${JSON.stringify(selector)})), a)`, arg);
  }
  async $$(selector) {
    return new Array(await this.evaluate((s) => document.querySelectorAll(s).length, selector)).fill(null);
  }
  async setInputFiles(selector, file) {
    const id = await this.element(selector);
    await this.session.command('POST', `/element/${id}/value`, { text: file });
  }
  emulateMedia() {
    throw new Error('classic WebDriver cannot emulate the colour scheme');
  }
  /** The next download not yet handed out, once its bytes are read. */
  async nextDownload(timeout = 30000) {
    const index = this.downloadsTaken++;
    const started = Date.now();
    for (;;) {
      const entry = await this.evaluate((i) => window.__downloads[i] ?? null, index);
      if (entry?.base64) return downloadOf(entry);
      if (Date.now() - started > timeout) throw new Error(`no download within ${timeout} ms`);
      await sleep(50);
    }
  }
  waitForEvent(event) {
    if (event !== 'download') throw new Error(`the WebKit adapter waits only for downloads, not '${event}'`);
    return this.nextDownload();
  }
  async deliverDownloads() {
    if (this.delivering) return;
    this.delivering = true;
    try {
      await this.use();
      const ready = await this.session.command('POST', '/execute/sync', { script: 'return window.__downloads ? window.__downloads.filter((d) => d.base64).length : 0', args: [] });
      while (this.downloadsTaken < ready) {
        const download = await this.nextDownload();
        this.handlers.download.forEach((h) => h(download));
      }
    } finally {
      this.delivering = false;
    }
  }
  frameLocator(selector) {
    const page = this;
    const inFrame = async (work) => {
      const id = await page.element(selector);
      await page.session.command('POST', '/frame', { id: { [ELEMENT]: id } });
      try {
        return await work();
      } finally {
        await page.session.command('POST', '/frame/parent', {});
      }
    };
    const shownInFrame = (inner) => inFrame(() => page.session.command('POST', '/execute/sync', { script: `return (${isShownBySelector})(arguments[0])`, args: [inner] }));
    return {
      locator: (inner) => ({
        waitFor: async ({ timeout = 30000 } = {}) => {
          for (const started = Date.now(); !(await shownInFrame(inner));) {
            if (Date.now() - started > timeout) throw new Error(`${inner} did not show in the frame`);
            await sleep(100);
          }
        },
        isVisible: () => shownInFrame(inner),
      }),
    };
  }
  async close() {
    const handles = await this.session.command('GET', '/window/handles');
    await this.use();
    if (handles.length > 1) {
      const left = await this.session.command('DELETE', '/window');
      // WebDriver needs a current window for its next command (opening another among them).
      await this.session.command('POST', '/window', { handle: left[0] });
      this.context.current = left[0];
    } else {
      await this.session.command('POST', '/url', { url: 'about:blank' }); // the session's last window stays
    }
    this.context.pages.delete(this);
  }
}

/** The real server and Debian's WebKitGTK under Xvfb, shaped as browser.mjs's launch() for Chromium. */
export async function launchWebKit() {
  const server = await startServer({ port: 0 });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const port = await freePort();
  // LANG: under a C locale WebKitGTK reports navigator.language "c", on which uPlot throws.
  const driver = spawn('xvfb-run', ['-a', process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver', `--port=${port}`], {
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' },
    stdio: 'ignore',
    detached: true,
  });
  const session = new Session(`http://127.0.0.1:${port}`);
  for (let tries = 0; ; tries++) {
    try {
      await session.start();
      break;
    } catch (error) {
      if (tries > 100) throw new Error(`WebKitWebDriver did not start: ${error.message}`);
      await sleep(100);
    }
  }
  await session.command('POST', '/timeouts', { script: 120000 });
  const context = { session, current: null, pages: new Set(), firstWindow: await session.command('GET', '/window') };
  context.current = context.firstWindow;
  /** A new session on the same driver, after WebKit's web process crashed or hung (the driver then
   * deletes the session, and every later command of the file would fail). */
  const restart = async () => {
    await session.command('DELETE', '').catch(() => {});
    await session.start();
    await session.command('POST', '/timeouts', { script: 120000 });
    context.pages.clear();
    context.firstWindow = await session.command('GET', '/window');
    context.current = context.firstWindow;
  };
  const browser = {
    async newPage({ viewport = { width: 1200, height: 900 } } = {}) {
      const handles = await session.command('GET', '/window/handles');
      const free = handles.find((h) => ![...context.pages].some((p) => p.handle === h));
      const handle = free ?? (await session.command('POST', '/window/new', { type: 'window' })).handle;
      const page = new WebKitPage(context, handle);
      context.pages.add(page);
      await page.use();
      await session.command('POST', '/window/rect', { width: viewport.width, height: viewport.height });
      return page;
    },
  };
  return {
    engine: 'webkit',
    origin,
    browser,
    server,
    /** Closes what a test left open (a failed test does not reach its close): a page opened later
     * in a new tab would be in the background, where WebKit runs no animation frames. */
    async afterEach() {
      for (const page of [...context.pages]) await page.close().catch(() => context.pages.delete(page));
    },
    /** Whether `error` says the page's web process crashed or hung (WebKitGTK under Xvfb, now and
     * then); if so the session is restarted, so the test can run once more and later tests run. */
    async recoverFrom(error) {
      if (!/invalid session id/.test(String(error?.message))) return false;
      await restart();
      return true;
    },
    async close() {
      await session.command('DELETE', '').catch(() => {});
      try {
        process.kill(-driver.pid);
      } catch {
        // already gone
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
