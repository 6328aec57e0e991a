// The three browsers of the end-to-end suite behind one call: launchEngine(name) starts the real
// server and the browser and returns { engine, origin, browser, server, close(), afterEach() },
// whichever the engine (browser.mjs: Chromium via playwright-core; firefox.mjs: puppeteer-core;
// webkit.mjs: classic WebDriver). Each adapter is loaded only when its engine is launched.
export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** The engine E2E_BROWSER names (chromium, firefox or webkit); Chromium when it names none of them. */
export const ENGINE = ENGINES.includes(process.env.E2E_BROWSER) ? process.env.E2E_BROWSER : 'chromium';

const LAUNCH = {
  chromium: async () => (await import('./browser.mjs')).launch(),
  firefox: async () => (await import('./firefox.mjs')).launchFirefox(),
  webkit: async () => (await import('./webkit.mjs')).launchWebKit(),
};

export async function launchEngine(name = ENGINE) {
  if (!LAUNCH[name]) throw new Error(`no end-to-end engine '${name}' (one of ${ENGINES.join(', ')})`);
  const context = await LAUNCH[name]();
  // afterEach: what a test left open is closed after it (Chromium and WebKit; a no-op elsewhere).
  return { engine: name, afterEach: async () => {}, ...context };
}
