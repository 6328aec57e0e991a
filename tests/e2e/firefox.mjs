// Debian's Firefox ESR for the end-to-end suite: puppeteer-core drives it over WebDriver BiDi
// (Playwright cannot drive Debian's Firefox), wrapped in the subset of Playwright's page API that
// the tests use, so the same tests run in both browsers (`E2E_BROWSER=firefox node tests/e2e/run.mjs`).
import puppeteer from 'puppeteer-core';
import { captureDownloads, downloadOf, fillValue, isShownBySelector } from './in-page.mjs';
import { startServer } from '../../scripts/serve.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Locator {
  constructor(page, selector) {
    this.page = page;
    this.selector = selector;
  }
  async handle() {
    const handle = await this.page.waitForSelector(this.selector, { timeout: 30000 });
    if (!handle) throw new Error(`no element matches ${this.selector}`);
    return handle;
  }
  async fill(value) {
    await this.page.$eval(this.selector, fillValue, String(value));
  }
  async focus() {
    await this.page.focus(this.selector);
  }
  async press(key) {
    await this.page.focus(this.selector);
    await this.page.keyboard.press(key);
  }
  async dispatchEvent(type) {
    await this.page.$eval(this.selector, (element, eventType) => element.dispatchEvent(new Event(eventType, { bubbles: true })), type);
  }
  /** The box in viewport coordinates, scrolled into view first (the mouse can only reach the viewport). */
  async boundingBox() {
    const handle = await this.handle();
    await handle.evaluate((element) => element.scrollIntoView({ block: 'nearest' }));
    return handle.boundingBox();
  }
  async count() {
    return this.page.$$eval(this.selector, (elements) => elements.length);
  }
  async isVisible() {
    return this.page.evaluate(isShownBySelector, this.selector);
  }
}

/** A puppeteer page behind the Playwright calls the tests make. */
class FirefoxPage {
  constructor(page) {
    this.raw = page;
    this.mouse = page.mouse;
    this.keyboard = page.keyboard;
    this.downloadsTaken = 0;
    this.downloadHandlers = [];
  }
  on(event, handler) {
    if (event !== 'download') return this.raw.on(event, handler);
    this.downloadHandlers.push(handler);
    this.watchDownloads();
  }
  /** The next download not yet handed out, once its bytes are read. */
  async nextDownload(timeout = 30000) {
    const index = this.downloadsTaken++;
    const started = Date.now();
    for (;;) {
      const entry = await this.raw.evaluate((i) => window.__downloads[i] ?? null, index);
      if (entry?.base64 !== null && entry?.base64 !== undefined) return downloadOf(entry);
      if (Date.now() - started > timeout) throw new Error(`no download within ${timeout} ms`);
      await sleep(50);
    }
  }
  waitForEvent(event) {
    if (event !== 'download') throw new Error(`the Firefox adapter waits only for downloads, not '${event}'`);
    return this.nextDownload();
  }
  watchDownloads() {
    if (this.watching) return;
    this.watching = setInterval(async () => {
      try {
        const count = await this.raw.evaluate(() => window.__downloads.filter((d) => d.base64 !== null).length);
        while (this.downloadsTaken < count) {
          const download = await this.nextDownload();
          for (const handler of this.downloadHandlers) handler(download);
        }
      } catch {
        clearInterval(this.watching); // the page closed
      }
    }, 50);
  }
  async setInputFiles(selector, file) {
    const input = await this.raw.waitForSelector(selector, { timeout: 30000 });
    await input.uploadFile(file);
  }
  emulateMedia({ colorScheme }) {
    return this.raw.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: colorScheme }]);
  }
  /** The first iframe's document, with `locator(selector).waitFor()` and `.isVisible()`. */
  frameLocator(selector) {
    const frame = async () => {
      const element = await this.raw.waitForSelector(selector, { timeout: 30000 });
      return element.contentFrame();
    };
    return {
      locator: (inner) => ({
        waitFor: async ({ timeout = 30000 } = {}) => (await frame()).waitForSelector(inner, { visible: true, timeout }),
        isVisible: async () => (await frame()).evaluate(isShownBySelector, inner),
      }),
    };
  }
  goto(url) {
    return this.raw.goto(url);
  }
  evaluate(fn, arg) {
    return arg === undefined ? this.raw.evaluate(fn) : this.raw.evaluate(fn, arg);
  }
  async waitForFunction(fn, arg, options = {}) {
    const wait = { timeout: options?.timeout ?? 30000, polling: 100 };
    return arg === undefined || arg === null ? this.raw.waitForFunction(fn, wait) : this.raw.waitForFunction(fn, wait, arg);
  }
  waitForTimeout(ms) {
    return sleep(ms);
  }
  locator(selector) {
    return new Locator(this.raw, selector);
  }
  async textContent(selector) {
    await this.raw.waitForSelector(selector, { timeout: 30000 });
    return this.raw.$eval(selector, (element) => element.textContent);
  }
  async click(selector) {
    await this.raw.waitForSelector(selector, { timeout: 30000 });
    await this.raw.$eval(selector, (element) => element.scrollIntoView({ block: 'center' }));
    await this.raw.click(selector);
  }
  async selectOption(selector, value) {
    await this.raw.select(selector, value);
  }
  /** Like Playwright's: clicks an unchecked box and fails if the click did not check it (as when
   * the page moved under the pointer). */
  async check(selector) {
    const checked = () => this.raw.$eval(selector, (element) => element.checked);
    if (await checked()) return;
    await this.click(selector);
    if (!(await checked())) throw new Error(`clicking ${selector} did not check it`);
  }
  isVisible(selector) {
    return this.raw.evaluate(isShownBySelector, selector);
  }
  async isHidden(selector) {
    return !(await this.isVisible(selector));
  }
  isDisabled(selector) {
    return this.raw.$eval(selector, (element) => element.disabled);
  }
  async inputValue(selector) {
    await this.raw.waitForSelector(selector, { timeout: 30000 });
    return this.raw.$eval(selector, (element) => element.value);
  }
  $$eval(selector, fn, arg) {
    return arg === undefined ? this.raw.$$eval(selector, fn) : this.raw.$$eval(selector, fn, arg);
  }
  $$(selector) {
    return this.raw.$$(selector);
  }
  close() {
    clearInterval(this.watching);
    return this.raw.close();
  }
}

/** The real server and Debian's Firefox, shaped as browser.mjs's launch() for Chromium. */
export async function launchFirefox() {
  const server = await startServer({ port: 0 });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
  });
  const browser = {
    async newPage({ viewport = { width: 1200, height: 900 } } = {}) {
      const page = await firefox.newPage();
      await page.setViewport(viewport);
      await page.evaluateOnNewDocument(captureDownloads);
      return new FirefoxPage(page);
    },
  };
  return {
    engine: 'firefox',
    origin,
    browser,
    server,
    async close() {
      await firefox.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
