// The page's languages: every string a person reads comes from one catalogue per language,
// www/i18n/<lang>.json (flat: key → template, the same keys in each; the Rust core reads en.json
// too, so its errors and the scenario and lesson texts are the page's). `t(key, args)` fills a
// template's `{name}` places; elements of index.html name their text with data-i18n attributes.
//
// The language: `?lang=` if it names one of LANGUAGES, else the browser's first preferred language
// that does (any `zh…` is zh-CN), else English. `scripts/i18n-check.mjs` and tests/e2e/i18n.test.mjs
// check that both catalogues are complete and that the page shows no string of the other language.
import { testHooks } from './app/test-hooks.js';

/** The languages the page speaks, with their names in themselves (for the switch). */
export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' };
export const DEFAULT_LANGUAGE = 'en';

let current = DEFAULT_LANGUAGE;
let strings = {};
let english = {};
/** Keys asked for that the current catalogue lacks (the e2e test fails on any). */
const missing = new Set();
if (testHooks) testHooks.i18nMissing = missing;

/** The language a page with `search` (a URLSearchParams) opens in, and the `?lang=` value it
 * refused (undefined if none). */
export function chooseLanguage(search, preferred = navigator.languages ?? [navigator.language]) {
  const asked = search.get('lang');
  if (asked !== null) {
    const found = matchLanguage(asked);
    if (found) return { lang: found, refused: undefined };
  }
  for (const tag of preferred) {
    const found = matchLanguage(tag);
    if (found) return { lang: found, refused: asked ?? undefined };
  }
  return { lang: DEFAULT_LANGUAGE, refused: asked ?? undefined };
}

/** `tag` as one of LANGUAGES (case-insensitive; zh, zh-Hans, zh-CN, zh-SG → zh-CN; en-GB → en). */
export function matchLanguage(tag) {
  const lower = String(tag ?? '').toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/** Each language's catalogue, fetched once per page (the page and every web component share them). */
const catalogues = new Map();
function catalogueOf(lang) {
  if (!catalogues.has(lang)) {
    catalogues.set(lang, fetch(new URL(`./i18n/${lang}.json`, import.meta.url)).then((response) => {
      if (!response.ok) throw new Error(`could not load the ${lang} catalogue: HTTP ${response.status}`);
      return response.json();
    }));
  }
  return catalogues.get(lang);
}

/** Loads `lang`'s catalogue (and the English one, for a key it might lack) as the page's language. */
export async function useLanguage(lang) {
  const [en, chosen] = await Promise.all([catalogueOf('en'), catalogueOf(lang)]);
  english = en;
  strings = chosen;
  current = lang;
  document.documentElement.lang = lang;
}

/** A `t` of its own for `lang` (a web component may speak another language than its page). */
export async function translator(lang) {
  const [en, chosen] = await Promise.all([catalogueOf('en'), catalogueOf(lang)]);
  return (key, args) => {
    let template = chosen[key];
    if (template === undefined) {
      missing.add(key);
      template = en[key] ?? key;
    }
    return args ? fill(template, args) : template;
  };
}

/** The page's language now. */
export const language = () => current;

/** Fills `{name}` places of `template` from `args`. */
export function fill(template, args = {}) {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (place, name) => (name in args ? String(args[name]) : place));
}

/** The text of `key` in the page's language, its places filled from `args`. A key the catalogue
 * lacks falls back to English (and is recorded for tests in `i18nMissing`, www/app/test-hooks.js). */
export function t(key, args) {
  let template = strings[key];
  if (template === undefined) {
    missing.add(key);
    template = english[key] ?? key;
  }
  return args ? fill(template, args) : template;
}

/** Whether the catalogue has `key` (for texts that exist only for some ids). */
export const has = (key) => key in strings;

/** Number formats by language and options: building one is costly and the page writes numbers
 * every frame. */
const numberFormats = new Map();

/** A number as the page writes it (grouping as the language does). */
export function formatNumber(value, options) {
  const key = `${current} ${options ? JSON.stringify(options) : ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(current, options);
    numberFormats.set(key, format);
  }
  return format.format(Number(value));
}

/** An error as a sentence in the page's language: errors from the Rust core carry their catalogue
 * `key`, `args` and the setting's `field` (crate/src/messages.rs); the page's own errors carry a
 * `key` too; anything else (a browser's own message) is shown as it is. */
export function errorText(error) {
  if (error?.key) return `${error.field ? `${error.field}: ` : ''}${t(error.key, error.args ?? {})}`;
  return String(error?.message ?? error);
}

/** An Error whose message is in the page's language and that keeps its key and args (so it can
 * cross to a worker and back, or be said again in another language). */
export function pageError(key, args = {}) {
  const error = new Error(t(key, args));
  error.key = key;
  error.args = args;
  return error;
}

/** A core message (`{key, args, text}`, as links' refusals carry) in the page's language. */
export const messageText = (message) => (message?.key ? t(message.key, message.args ?? {}) : String(message ?? ''));

/** The tags a catalogue's text may carry: <b>, <kbd>, <code>, and <a> to a place on this page. */
const MARKUP = /(<\/?(?:b|kbd|code)>|<a href="#[a-z-]+">|<\/a>)/;

/** Puts `text` into `element` as nodes, its MARKUP tags as elements and everything else as text:
 * nothing in a catalogue is ever parsed as HTML. */
export function setMarkedText(element, text) {
  const stack = [element];
  element.replaceChildren();
  // split() with a captured separator: the tags are the odd pieces.
  for (const [index, piece] of text.split(MARKUP).entries()) {
    if (index % 2 === 0) {
      if (piece) stack.at(-1).append(piece);
    } else if (piece.startsWith('</')) {
      if (stack.length > 1) stack.pop();
    } else {
      const tag = piece.slice(1).split(/[ >]/)[0];
      const child = document.createElement(tag);
      if (tag === 'a') child.setAttribute('href', piece.match(/href="([^"]+)"/)[1]);
      stack.at(-1).append(child);
      stack.push(child);
    }
  }
}

/** Fills the document's marked elements from the catalogue: `data-i18n` (text), `data-i18n-html`
 * (text with the MARKUP tags: <b>, <a href="#…">, <code>, <kbd>), and `data-i18n-<attribute>` for
 * title, aria-label, placeholder and alt. */
export function translatePage(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-html]')) setMarkedText(element, t(element.dataset.i18nHtml));
  for (const attribute of ['title', 'aria-label', 'placeholder', 'alt']) {
    const data = `i18n${attribute.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`;
    for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`)) element.setAttribute(attribute, t(element.dataset[data]));
  }
}
