// Exits 0 when node_modules/ holds every package package-lock.json lists, at the locked version, and
// 1 (naming the first missing one) otherwise — e.g. after an interrupted `npm ci`, which leaves some
// packages behind. scripts/toolchain.sh then runs `npm ci` again. Optional packages (platform-only)
// may be absent. `node scripts/node-modules-complete.mjs [project root]` (default: this project).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
for (const [where, entry] of Object.entries(lock.packages ?? {})) {
  if (!where.startsWith('node_modules/') || entry.optional || entry.link) continue;
  const manifest = path.join(root, where, 'package.json');
  if (!existsSync(manifest)) {
    console.log(`${where} is missing`);
    process.exit(1);
  }
  let version;
  try {
    ({ version } = JSON.parse(readFileSync(manifest, 'utf8')));
  } catch {
    console.log(`${where}/package.json cannot be read`);
    process.exit(1);
  }
  if (entry.version && version !== entry.version) {
    console.log(`${where} is ${version}, the lock asks for ${entry.version}`);
    process.exit(1);
  }
}
