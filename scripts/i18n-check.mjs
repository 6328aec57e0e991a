// `node scripts/i18n-check.mjs`: the page's catalogues (www/i18n/<lang>.json) are complete and each is
// in its own language. Fails (exit 1, naming each problem) when:
// - a catalogue lacks a key another has, or a template's {places} or <tags> differ between them;
// - a key the page names (t('…'), pageError('…') and `key: '…'` in www/*.js, data-i18n* in index.html,
//   and computed families such as lesson.<id>.arm.<n>) is in no catalogue;
// - an English text contains Chinese, or a Chinese text is left in English: after removing places,
//   tags, code and the terms both languages write the same way (TERMS), no Latin word may remain.
// Runs first in `npm test`; the e2e test tests/e2e/i18n.test.mjs checks the rendered page itself.
import { readFileSync } from 'node:fs';
import { pageScripts } from './page-scripts.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAN, foreignWords } from './i18n-words.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LANGS = ['en', 'zh-CN'];
const catalogue = Object.fromEntries(LANGS.map((lang) => [lang, JSON.parse(readFileSync(join(ROOT, 'www/i18n', `${lang}.json`), 'utf8'))]));

const places = (text) => [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort().join(',');
const tags = (text) => [...text.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((m) => m[0].replace(/>.*/, '>')).join('');

const problems = [];
const [en, zh] = [catalogue.en, catalogue['zh-CN']];
for (const [lang, other] of [['en', 'zh-CN'], ['zh-CN', 'en']]) {
  for (const key of Object.keys(catalogue[lang])) if (!(key in catalogue[other])) problems.push(`${other} lacks ${key} (${lang} has it)`);
}
for (const [key, text] of Object.entries(en)) {
  if (typeof text !== 'string') problems.push(`en ${key} is not a string`);
  if (HAN.test(text)) problems.push(`en ${key} contains Chinese: ${text}`);
  const translated = zh[key];
  if (translated === undefined) continue;
  if (places(text) !== places(translated)) problems.push(`zh-CN ${key}: places {${places(translated)}} differ from en {${places(text)}}`);
  if (tags(text) !== tags(translated)) problems.push(`zh-CN ${key}: tags differ from en`);
  // www/i18n.js `setMarkedText` makes elements of these only; any other tag would show as text.
  for (const tag of text.match(/<[^>]*>/g) ?? []) if (!/^(<\/?(?:b|kbd|code)>|<a href="#[a-z-]+">|<\/a>)$/.test(tag)) problems.push(`en ${key}: the tag ${tag} is not one a catalogue may carry`);
  // A reference is a citation: its title stays as published (it must still be written in Chinese around it).
  const words = key.endsWith('.reference') ? [] : foreignWords(translated);
  if (translated === text && foreignWords(text).length > 0) problems.push(`zh-CN ${key} is not translated: ${translated}`);
  else if (words.length > 0) problems.push(`zh-CN ${key} keeps English words (${words.join(', ')}): ${translated}`);
  else if (key.endsWith('.reference') && !HAN.test(translated)) problems.push(`zh-CN ${key} has no Chinese around its citation: ${translated}`);
}

// Every key the page names is in the catalogues.
const named = new Set();
for (const file of pageScripts(join(ROOT, 'www'))) {
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/\b(?:t|pageError)\('([^'$]+)'/g)) named.add(m[1]);
  for (const m of source.matchAll(/\bt\(([a-z.]+) \? '([^']+)' : '([^']+)'/g)) { named.add(m[2]); named.add(m[3]); }
  for (const m of source.matchAll(/\bkey: '([a-zA-Z]+\.[^']+)'/g)) named.add(m[1]);
}
for (const m of readFileSync(join(ROOT, 'index.html'), 'utf8').matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) named.add(m[1]);
for (const key of named) if (!(key in en)) problems.push(`the page names ${key}, which www/i18n/en.json lacks`);
// Families the page computes: every scenario and lesson named in the catalogue has its texts.
const ids = (prefix) => [...new Set(Object.keys(en).filter((k) => k.startsWith(prefix)).map((k) => k.split('.')[1]))];
for (const id of ids('scenario.')) {
  if (['label', 'freePlay', 'lessonGroup', 'metricValue', 'metricLine', 'metricLineBudget', 'measured', 'metric'].includes(id)) continue;
  for (const part of ['title', 'explanation', 'variant.0', 'variant.1']) if (!(`scenario.${id}.${part}` in en)) problems.push(`en lacks scenario.${id}.${part}`);
}
for (const verdict of ['reproduced', 'not-reproduced', 'inconclusive']) if (!(`lessons.verdict.${verdict}` in en)) problems.push(`en lacks lessons.verdict.${verdict}`);

if (problems.length > 0) {
  console.error(`i18n-check: ${problems.length} problem(s) in www/i18n/:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`i18n-check: ${Object.keys(en).length} keys in ${LANGS.join(' and ')}; ${named.size} named by the page; each catalogue in its own language`);
