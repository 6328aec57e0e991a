// Where the page's WebAssembly and the teacher's weights come from: fetched and compiled once per
// page (from the downloads www/early-worker.js began as the page was read, where it did), and
// handed to every worker, which then neither fetches nor compiles (and all run the one compiled
// module, optimised once). Free of the rest of the page, so it loads before the page's other modules.

export const DEFAULT_WASM = new URL('./pkg/distill_playground_bg.wasm', import.meta.url);
export const DEFAULT_TEACHER = new URL('./pkg/teacher.safetensors', import.meta.url);

let sharing = null;

/**
 * The compiled wasm and the teacher's weights, `{wasm: WebAssembly.Module, teacher: Uint8Array}`,
 * fetched and compiled once per page (the first call's sources win): what `ready(shared)` takes.
 */
export function shareable({ wasm, teacher } = {}) {
  if (!sharing) {
    // The downloads www/early-worker.js began (a page's first call, with the default files), else ours.
    const early = wasm === undefined && teacher === undefined ? globalThis.distillEarlyDownloads : undefined;
    sharing = Promise.all([
      compiled(wasm ?? DEFAULT_WASM, early?.wasm),
      bytesOf(teacher ?? DEFAULT_TEACHER, 'teacher weights', early?.teacher),
    ]).then(([module, bytes]) => ({ wasm: module, teacher: bytes }));
  }
  return sharing;
}

/** Posts `{type: 'start', shared}` to a training worker (www/trainer-worker.js) once `shareable` is
 * ready; `shared: null` if the page could not load them (the worker then tries, and says why). */
export function sendShared(worker) {
  shareable().then((shared) => worker.postMessage({ type: 'start', shared }), () => worker.postMessage({ type: 'start', shared: null }));
}

/** The wasm compiled while it downloads, or from its bytes when the server sends it with another
 * type than application/wasm (as some learning platforms do). `started`: the download of `wasm`
 * already under way (a promise of its Response), if any. */
async function compiled(wasm, started) {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (typeof wasm === 'string' || wasm instanceof URL) {
    const response = await downloaded(wasm, 'WebAssembly module', started);
    // Compiled as it streams in where the server says what it is (compileStreaming requires it).
    if (response.headers.get('Content-Type')?.split(';')[0].trim() === 'application/wasm') return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(await bytesOf(wasm, 'WebAssembly module'));
}

/** The bytes of `source` (a URL, or bytes already; `started`: its download already under way); a
 * failed download is an Error with the catalogue `key` and `args` the page says it with (www/i18n.js). */
export async function bytesOf(source, what, started) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return new Uint8Array(await (await downloaded(source, what, started)).arrayBuffer());
}

/** The response for `source` (`started`: its download already under way), or an Error saying
 * which file failed and how. */
async function downloaded(source, what, started) {
  const response = await (started ?? fetch(source));
  if (!response.ok) {
    // `key` and `args`: the page says it in its language (www/i18n.js); this module stays free of the page.
    const args = { source: String(source), status: response.status };
    const key = what === 'teacher weights' ? 'load.teacherFailed' : 'load.wasmFailed';
    throw Object.assign(new Error(`could not load the ${what} from ${source}: HTTP ${response.status}`), { key, args });
  }
  return response;
}
