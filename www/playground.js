// The module a page imports: the wasm API (`Playground`, `lossValue`, …) plus `ready()`, which
// starts the wasm and loads the neural teacher's weights (fetched beside the wasm, in parallel).
import init, { lastPanic as rustPanic, loadTeacher, teacherLoaded } from './pkg/distill_playground.js';
import { DEFAULT_TEACHER, DEFAULT_WASM, bytesOf } from './wasm-source.js';

export * from './pkg/distill_playground.js';
/** The compiled wasm and the teacher's bytes, once per page, for `ready(shared)` here and in workers. */
export { shareable } from './wasm-source.js';

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
