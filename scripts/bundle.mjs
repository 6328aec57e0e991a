// `node scripts/bundle.mjs` (a step of `npm run build`): the page's modules in one file,
// www/main.bundle.js, which www/boot.js loads. Unbundled, main.js and the 32 modules it imports
// arrive one level of imports at a time (six requests at once over HTTP/1.1): main.js ran 0.74–0.97 s
// after navigation in traces, 0.50–0.62 s bundled. Made by esbuild (the well-kept bundler; no code of ours decides what
// goes in), beside the sources, so every `new URL('./x', import.meta.url)` still names the same file.
//
// Two modules stay outside it, loaded as themselves:
// - www/wasm-source.js: www/early-worker.js imports it before the page's modules run, and it keeps the
//   page's one download and compile of the wasm; a second copy inside the bundle would read the early
//   downloads a second time;
// - www/pkg/distill_playground.js (wasm-bindgen's glue): its default wasm path is relative to pkg/.
// Not minified: a stack trace names the functions, and each module's code follows a comment with its
// path (`// www/x.js`). (Minified it would be 176 KB rather than 256; gzipped 55 rather than 68.)
// The dev server (scripts/serve.mjs) makes it again when a source is newer (`bundleIfStale`), so an
// edited module shows on the next reload.
import { readdirSync, statSync } from 'node:fs';
import { pageScripts } from './page-scripts.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'www', 'main.bundle.js');
const ENTRY = join(ROOT, 'www', 'main.js');
/** Imported as themselves (see above), by the path every module of www/ names them with. */
const OUTSIDE = ['./wasm-source.js', './pkg/distill_playground.js'];

/** Makes www/main.bundle.js; resolves to its size in bytes. Throws esbuild's error (file, line and
 * what is wrong) when a module does not parse or an import is missing. */
export async function bundle() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    external: OUTSIDE,
    legalComments: 'eof',
    logLevel: 'silent',
    metafile: true,
  });
  return result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes;
}

/** The newest modification time (ms) of the page's scripts: www/ with its folders, and vendor/. */
function newestSource() {
  const vendor = join(ROOT, 'www', 'vendor');
  const scripts = [...pageScripts(join(ROOT, 'www')), ...readdirSync(vendor).filter((name) => name.endsWith('.js')).map((name) => join(vendor, name))];
  return Math.max(0, ...scripts.map((path) => statSync(path).mtimeMs));
}

let making = null;

/** Makes the bundle again if it is missing or older than a script of www/ (requests that come
 * meanwhile wait for the same build); resolves to true if it did. */
export function bundleIfStale() {
  making ??= (async () => {
    let built = 0;
    try {
      built = statSync(BUNDLE).mtimeMs;
    } catch {
      // missing: made below
    }
    if (built >= newestSource()) return false;
    await bundle();
    return true;
  })().finally(() => {
    making = null;
  });
  return making;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  bundle()
    .then((bytes) => console.log(`bundle: www/main.bundle.js, ${(bytes / 1024).toFixed(0)} KB`))
    .catch((error) => {
      console.error(`bundle: ${error.message}`);
      process.exit(1);
    });
}
