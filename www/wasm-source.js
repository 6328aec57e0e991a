// Where the page's WebAssembly and the teacher's weights come from: fetched and compiled once per
// page, as soon as the page starts (www/boot.js asks first), and handed to every worker, which then
// neither fetches nor compiles (and all run the one compiled module, optimised once). Free of the
// rest of the page, so boot.js can start it before the page's other modules have loaded.

export const DEFAULT_WASM = new URL('./pkg/distill_playground_bg.wasm', import.meta.url);
export const DEFAULT_TEACHER = new URL('./pkg/teacher.safetensors', import.meta.url);

let sharing = null;

/**
 * The compiled wasm and the teacher's weights, `{wasm: WebAssembly.Module, teacher: Uint8Array}`,
 * fetched and compiled once per page (the first call's sources win): what `ready(shared)` takes.
 */
export function shareable({ wasm = DEFAULT_WASM, teacher = DEFAULT_TEACHER } = {}) {
  sharing ??= Promise.all([compiled(wasm), bytesOf(teacher, 'teacher weights')])
    .then(([module, bytes]) => ({ wasm: module, teacher: bytes }));
  return sharing;
}

/** Posts `{type: 'start', shared}` to a training worker (www/trainer-worker.js) once `shareable` is
 * ready; `shared: null` if the page could not load them (the worker then tries, and says why). */
export function sendShared(worker) {
  shareable().then((shared) => worker.postMessage({ type: 'start', shared }), () => worker.postMessage({ type: 'start', shared: null }));
}

/** The wasm compiled while it downloads, or from its bytes when the server sends it with another
 * type than application/wasm (as some learning platforms do). */
async function compiled(wasm) {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (typeof wasm === 'string' || wasm instanceof URL) {
    try {
      return await WebAssembly.compileStreaming(fetch(wasm));
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
  }
  return WebAssembly.compile(await bytesOf(wasm, 'WebAssembly module'));
}

/** The bytes of `source` (a URL, or bytes already); a failed download is an Error with the
 * catalogue `key` and `args` the page says it with (www/i18n.js). */
export async function bytesOf(source, what) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const response = await fetch(source);
  if (!response.ok) {
    // `key` and `args`: the page says it in its language (www/i18n.js); this module stays free of the page.
    const args = { source: String(source), status: response.status };
    const key = what === 'teacher weights' ? 'load.teacherFailed' : 'load.wasmFailed';
    throw Object.assign(new Error(`could not load the ${what} from ${source}: HTTP ${response.status}`), { key, args });
  }
  return new Uint8Array(await response.arrayBuffer());
}
