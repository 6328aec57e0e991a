// The static server behind `npm start`: serves only the page's public files (index.html, www/),
// on 127.0.0.1 unless HOST says otherwise, with a strict CSP, nosniff and no path traversal.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE, bundleIfStale } from './bundle.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PUBLIC_DIRS = ['www'];
const PUBLIC_FILES = ['index.html'];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.safetensors': 'application/octet-stream',
};

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** Maps a request path to a public file, or null. Decodes once; refuses anything odd. */
export function resolvePublic(rawPath) {
  const pathOnly = rawPath.split('?')[0].split('#')[0];
  let decoded;
  try {
    decoded = decodeURIComponent(pathOnly);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
  if (segments.length === 0) return path.join(ROOT, 'index.html');
  const relative = segments.join('/');
  const allowed = PUBLIC_FILES.includes(relative) || PUBLIC_DIRS.some((dir) => segments[0] === dir && segments.length > 1);
  if (!allowed) return null;
  const full = path.resolve(ROOT, relative);
  if (!full.startsWith(ROOT + path.sep)) return null;
  return full;
}

/** `file` (from `resolvePublic`) with every symlink resolved, if it is still a public file inside the
 * project; null for a link that leads anywhere else (the path check alone would follow it). */
let realRoot = null;
export async function realPublic(file) {
  let real;
  let root;
  try {
    realRoot ??= fs.realpath(ROOT);
    [real, root] = await Promise.all([fs.realpath(file), realRoot]);
  } catch {
    return null;
  }
  if (!real.startsWith(root + path.sep)) return null;
  const relative = path.relative(root, real).split(path.sep).join('/');
  return resolvePublic(`/${relative}`) ? real : null;
}

function send(response, status, body, type = 'text/plain; charset=utf-8') {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type });
  response.end(body);
}

export function createServer() {
  return http.createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed\n');
    const named = resolvePublic(request.url || '/');
    if (!named) return send(response, 404, 'not found\n');
    try {
      // The page's bundle is made again first if a module of www/ changed (scripts/bundle.mjs); a
      // module that does not parse is said here and in the answer, with esbuild's file and line.
      if (named === BUNDLE) {
        const failed = await bundleIfStale().then(() => null, (error) => error);
        if (failed) {
          console.error(`serve: could not bundle the page's modules: ${failed.message}`);
          return send(response, 500, `could not bundle the page's modules: ${failed.message}\n`);
        }
      }
      const file = await realPublic(named);
      if (!file) return send(response, 404, 'not found\n');
      const stat = await fs.stat(file);
      if (!stat.isFile()) return send(response, 404, 'not found\n');
      const type = CONTENT_TYPES[path.extname(file)] || 'application/octet-stream';
      // Validators, as static hosts send them: with `no-cache` the browser asks again each time, and
      // an unchanged file is answered 304, so a reload downloads only what changed.
      const validators = { ETag: `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`, 'Last-Modified': stat.mtime.toUTCString() };
      if (request.headers['if-none-match'] === validators.ETag) {
        response.writeHead(304, { ...SECURITY_HEADERS, ...validators });
        return response.end();
      }
      const body = await fs.readFile(file);
      response.writeHead(200, { ...SECURITY_HEADERS, ...validators, 'Content-Type': type, 'Content-Length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      send(response, 404, 'not found\n');
    }
  });
}

/** Starts the server; resolves once it listens. `port: 0` picks a free port. */
export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 8080);
  const host = process.env.HOST || '127.0.0.1';
  startServer({ port, host })
    .then((server) => {
      const address = server.address();
      console.log(`Serving distill-playground at http://${host}:${address.port}/`);
    })
    .catch((error) => {
      console.error(`could not start the server on ${host}:${port}: ${error.message}`);
      process.exit(1);
    });
}
