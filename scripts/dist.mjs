// `node scripts/dist.mjs` (the last step of `npm run build`): assembles dist/, the playground as a
// static site — everything a static host needs and nothing else, with relative URLs only, so it
// works from any sub-path (`https://example.edu/courses/ml/playground/`).
//
// What goes in is what the page and the web component reach: index.html's scripts and stylesheets,
// then every module they import (statically, dynamically, or as `new URL('./x', import.meta.url)`:
// workers, the wasm, the teacher's weights, the catalogues), followed to the end. So the benchmark
// pages, TF.js, the tests and the type declarations stay out without a list of exclusions.
// index.html gets a <meta http-equiv="Content-Security-Policy"> equal to the dev server's header
// (scripts/serve.mjs), so the page keeps its policy on a host that sends none.
// Fails (exit 1) when dist/ exceeds SIZE_BUDGET bytes, when a file names an absolute URL, or when
// something the page reaches is missing (www/pkg/ not built).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECURITY_HEADERS } from './serve.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** The whole of dist/ may be at most this large: the wasm (about 1.6 MB), the teacher's weights
 * (0.95 MB) and the page's modules, charts and catalogues (about 0.4 MB), with room to grow. */
export const SIZE_BUDGET = 3.5 * 1024 * 1024;
/** Entry points besides index.html: the web component's module, and an example for each way to
 * embed the playground (docs/embedding.md): a course page that frames it, one with two web
 * components, and a Jupyter notebook whose cell frames it with IPython.display. */
const ENTRIES = ['www/distill-playground.js', 'www/embed-example.html', 'www/embed-component-example.html', 'www/embed-notebook-example.ipynb'];
/** Files reached through a computed name (`./i18n/${lang}.json`): every catalogue. */
const COMPUTED = ['www/i18n/en.json', 'www/i18n/zh-CN.json'];

const fail = (message) => {
  console.error(`dist: ${message}`);
  process.exit(1);
};

/** The relative paths (from ROOT) a file refers to. */
function references(file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found = [];
  const add = (spec, from = dirname(file)) => {
    if (/^(?:[a-z]+:|\/\/|#|data:)/i.test(spec)) return; // another scheme, a fragment: not a file of ours
    if (spec.startsWith('/')) fail(`${file} names the absolute path ${spec}: dist/ must work from any sub-path`);
    found.push(normalize(join(from, spec.split(/[?#]/)[0])));
  };
  if (file.endsWith('.html')) {
    for (const m of text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)) add(m[1]);
  } else if (file.endsWith('.js')) {
    const code = text.replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of code.matchAll(/(?:\bimport|\bexport)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) add(m[1]);
    for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]);
    for (const m of code.matchAll(/\bimport\s+['"]([^'"]+)['"]/g)) add(m[1]);
    for (const m of code.matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) add(m[1]);
  } else if (file.endsWith('.css')) {
    for (const m of text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)) add(m[1]);
  }
  return found;
}

const reached = new Set();
const queue = ['index.html', ...ENTRIES, ...COMPUTED];
while (queue.length > 0) {
  const file = queue.shift();
  if (reached.has(file)) continue;
  if (!existsSync(join(ROOT, file))) fail(`${file} is reached by the page but missing (run \`npm run build\`, which builds www/pkg/ first)`);
  reached.add(file);
  queue.push(...references(file));
}

rmSync(DIST, { recursive: true, force: true });
for (const file of reached) {
  mkdirSync(dirname(join(DIST, file)), { recursive: true });
  cpSync(join(ROOT, file), join(DIST, file));
}
// The page's own policy travels with it.
const policy = SECURITY_HEADERS['Content-Security-Policy'];
const index = readFileSync(join(DIST, 'index.html'), 'utf8');
if (!index.includes('<meta charset="utf-8">')) fail('index.html lost its <meta charset>: the policy goes right after it');
writeFileSync(join(DIST, 'index.html'), index.replace('<meta charset="utf-8">',
  `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy.replace(/"/g, '&quot;')}">`));

const sizes = [...reached].map((file) => [file, statSync(join(DIST, file)).size]).sort((a, b) => b[1] - a[1]);
const total = sizes.reduce((sum, [, size]) => sum + size, 0);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(2);
writeFileSync(join(DIST, 'MANIFEST.txt'), `${sizes.map(([file, size]) => `${String(size).padStart(9)}  ${file}`).join('\n')}\n${String(total).padStart(9)}  total (budget ${SIZE_BUDGET})\n`);
console.log(`dist: ${reached.size} files, ${mib(total)} MiB of a ${mib(SIZE_BUDGET)} MiB budget → ${relative(process.cwd(), DIST) || '.'}/ (list: dist/MANIFEST.txt)`);
if (total > SIZE_BUDGET) fail(`dist/ is ${mib(total)} MiB, over its ${mib(SIZE_BUDGET)} MiB budget; largest: ${sizes.slice(0, 3).map(([f, s]) => `${f} ${mib(s)} MiB`).join(', ')}`);
