// End-to-end tests (languages): the page entirely in Simplified Chinese and entirely in English — no
// visible string of the other language, no catalogue key missing — in every state a lesson reaches:
// the first figures, a scenario side by side, a lesson's text, the tour, teaching, a refused link.
// A citation (<cite>) keeps the title it was published under.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';
import { HAN, TERMS, foreignWords } from '../../scripts/i18n-words.mjs';

/** Runs in the page: every string a person can read now — the text of visible elements (not code,
 * keyboard keys or citations, nor text marked as another language with `lang`), the options of visible menus, and
 * the titles and labels of visible elements — each with a CSS path for the message. */
function visibleStrings() {
  const pageLang = document.documentElement.lang;
  const shown = (element) => {
    if (!element.isConnected || element.closest('[hidden], .embed-hidden, code, kbd, cite, script, style')) return false;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    return element.getClientRects().length > 0 || element.tagName === 'OPTION' || element.tagName === 'OPTGROUP';
  };
  const foreignLang = (element) => {
    const marked = element.closest('[lang]');
    return marked && marked !== document.documentElement && marked.lang !== pageLang;
  };
  const where = (element) => {
    const parts = [];
    for (let e = element; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(e.id ? `#${e.id}` : e.tagName.toLowerCase());
    return parts.join(' > ');
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || foreignLang(parent)) continue;
    const select = parent.closest('select');
    if (select ? shown(select) : shown(parent)) out.push({ where: where(parent), text });
  }
  for (const element of document.body.querySelectorAll('[title], [aria-label], [placeholder], optgroup[label]')) {
    if (!shown(element) || foreignLang(element)) continue;
    for (const attribute of ['title', 'aria-label', 'placeholder', 'label']) {
      const text = element.getAttribute(attribute)?.trim();
      if (text && !(attribute === 'label' && element.tagName !== 'OPTGROUP')) out.push({ where: `${where(element)}[${attribute}]`, text });
    }
  }
  out.push({ where: 'title', text: document.title });
  return out;
}

/** What the page shows in `lang` that belongs to the other language (`allowed`: extra words, such as
 * the field names of a link the test wrote). */
async function strangers(page, lang, allowed = []) {
  const strings = await page.evaluate(visibleStrings);
  assert.ok(strings.length > 100, `the walk finds the page's strings (${strings.length})`);
  const extra = new Set(allowed);
  return strings.filter(({ text }) => (lang === 'en' ? HAN.test(text) : foreignWords(text).some((w) => !extra.has(w))))
    .map(({ where, text }) => `${where}: ${text.slice(0, 160)}`);
}

async function missingKeys(page) {
  return page.evaluate(() => [...(globalThis.__test?.i18nMissing ?? [])]);
}

/** Takes the page through the states a lesson shows: figures measured, a scenario side by side, a
 * lesson's texts, the tour, teaching; calls `check(state)` at each. */
async function walkThrough(page, check) {
  await page.waitForFunction(() => window.__test?.evaluations > 0, null, { timeout: 60000 });
  await check('first figures measured');
  await page.selectOption('#scenario', 'temperature');
  await page.waitForFunction(() => !document.getElementById('scenario-metric').hidden && !document.getElementById('scenario-verdict').hidden, null, { timeout: 60000 });
  await check('a scenario side by side');
  await page.selectOption('#lesson', 'compounding');
  await check('a lesson');
  await page.evaluate(() => document.getElementById('tour-start').click());
  await page.evaluate(() => document.getElementById('tour-next').click());
  await check('the tour');
  await page.evaluate(() => document.getElementById('tour-close').click());
  await page.selectOption('#scenario', '');
  await page.evaluate(() => document.getElementById('teach-start').click());
  await page.waitForFunction(() => document.getElementById('teach-text').textContent.length > 0, null, { timeout: 30000 });
  await check('teaching');
}

e2eTest('the page in zh-CN: every visible string Chinese (technical terms aside), the core\'s errors too; none missing', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/?lang=zh-CN#temperature=99&bogus=1&seed=4');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await page.inputValue('#language'), 'zh-CN');
  // A refused link is explained in Chinese, the core's reasons included (crate/src/messages.rs).
  const notice = await page.textContent('#notice');
  assert.match(notice, /temperature/);
  assert.ok(HAN.test(notice) && foreignWords(notice).every((w) => ['temperature', 'bogus'].includes(w)), notice);
  await walkThrough(page, async (state) => {
    assert.deepEqual(await strangers(page, 'zh-CN', ['temperature', 'bogus']), [], `English left in zh-CN (${state})`);
  });
  assert.deepEqual(await missingKeys(page), []);
  // A bad map from the editor's core check comes back in Chinese as well.
  const refusal = await page.evaluate(() => {
    try {
      window.playground.editMap('S....\n.....\n..x..\n.....\n....G');
      return null;
    } catch (error) {
      return { key: error.key, field: error.field };
    }
  });
  assert.deepEqual(refusal, { key: 'error.map.unknownCharacter', field: 'mapText' });
  assert.deepEqual(problems.errors, []);
  await page.close();
});

e2eTest('the page in en: no Chinese visible in any state; the language menu switches and keeps the link', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/?lang=en#seed=7&loss=hard');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await walkThrough(page, async (state) => {
    assert.deepEqual(await strangers(page, 'en'), [], `Chinese in en (${state})`);
  });
  assert.deepEqual(await missingKeys(page), []);
  assert.deepEqual(problems.errors, []);
  await page.close();
  // The menu reloads the page in the other language with the same settings.
  const other = await openPage(browser, origin, '/#seed=7&loss=hard');
  await other.page.selectOption('#language', 'zh-CN');
  await other.page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && window.playground && window.__test?.frames > 2, null, { timeout: 30000 });
  assert.match(await other.page.evaluate(() => location.search), /[?&]lang=zh-CN/);
  assert.deepEqual(await other.page.evaluate(() => [window.playground.config().seed, window.playground.config().loss]), [7, 'hard']);
  assert.ok(HAN.test(await other.page.textContent('#play')), 'the buttons speak Chinese');
  await other.page.close();
  // An unknown ?lang= is named in the notice; the page opens in the browser's language.
  const unknown = await openPage(browser, origin, '/?lang=xx');
  assert.match(await unknown.page.textContent('#notice'), /lang="xx" is not a language of this page/);
  await unknown.page.close();
});

e2eTest('every term a Chinese text may keep is a term, not an English word of the page', async () => {
  // The allowance for technical terms must not hide untranslated prose: no TERM is an ordinary word.
  for (const word of ['the', 'and', 'of', 'student', 'teacher', 'step', 'success', 'map', 'Pause', 'Play']) assert.ok(!TERMS.includes(word), word);
  assert.deepEqual(foreignWords('学生 {name} 在 <code>npm start</code> 之后 KL(p_T ‖ p_S)'), []);
  assert.deepEqual(foreignWords('学生 trained on 地图'), ['trained', 'on']);
});
