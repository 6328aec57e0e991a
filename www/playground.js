// The module a page imports: the wasm API (`Playground`, `lossValue`, …) plus `ready()`, which
// starts the wasm and loads the neural teacher's weights (fetched beside the wasm, in parallel).
import init, { lastPanic as rustPanic, loadTeacher, teacherLoaded } from './pkg/distill_playground.js';

export * from './pkg/distill_playground.js';

let trap = null;

/**
 * What stopped this thread's module, or null: the Rust panic's message, or a WebAssembly trap
 * recorded by `noteTrap` (an abort that is not a panic, e.g. memory that could not grow). After
 * either the module's state is unknown (a call that was running still holds its object), so every
 * later call would fail with a confusing message of its own; the first cause is the one to show.
 * (This local export takes precedence over the wasm module's `lastPanic` re-exported above.)
 */
export function lastPanic() {
  return rustPanic() ?? trap;
}

/** Records `error` if it is a WebAssembly trap (see `lastPanic`); returns whether it was one. */
export function noteTrap(error) {
  if (!(error instanceof WebAssembly.RuntimeError)) return false;
  trap ??= `WebAssembly stopped: ${error.message}`;
  return true;
}

let starting = null;
let sharing = null;
const DEFAULT_WASM = new URL('./pkg/distill_playground_bg.wasm', import.meta.url);
const DEFAULT_TEACHER = new URL('./pkg/teacher.safetensors', import.meta.url);

/**
 * Starts the module once: compiles the wasm and loads the teacher's weights, in parallel.
 * `options.wasm` / `options.teacher`: where to find them (a URL, or the bytes); by default the
 * files beside this module. Resolves to the wasm's exports (`memory` among them).
 */
export function ready(options = {}) {
  starting ??= start(options);
  return starting;
}

async function start({ wasm = DEFAULT_WASM, teacher = DEFAULT_TEACHER }) {
  const [exports, teacherBytes] = await Promise.all([init({ module_or_path: wasm }), bytesOf(teacher, 'teacher weights')]);
  if (!teacherLoaded()) loadTeacher(teacherBytes);
  return exports;
}

/**
 * The compiled wasm and the teacher's weights, fetched and compiled once per page, to hand to
 * workers: a worker that calls `ready(shared)` neither fetches nor compiles, and every worker runs
 * the one compiled module (so they do not all compete to optimise their own copy).
 */
export function shareable({ wasm = DEFAULT_WASM, teacher = DEFAULT_TEACHER } = {}) {
  sharing ??= Promise.all([compiled(wasm), bytesOf(teacher, 'teacher weights')])
    .then(([module, bytes]) => ({ wasm: module, teacher: bytes }));
  return sharing;
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

async function bytesOf(source, what) {
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
