// The page's own scripts: every .js file under www/, in its folders, except wasm-bindgen's glue
// (www/pkg/), the vendored libraries (www/vendor/) and the bundle made from the rest
// (www/main.bundle.js). Read by the bundler (is the bundle stale?), the catalogue check (which keys
// does the page name?) and the test that no module can insert markup.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const NOT_OURS = new Set(['pkg', 'vendor', 'i18n', 'main.bundle.js']);

/** Absolute paths of the page's scripts under the folder `www` (a path), sorted. */
export function pageScripts(www) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (NOT_OURS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) found.push(path);
    }
  };
  walk(www);
  return found.sort();
}
