// The module a page imports: the wasm API (`Playground`, `lossValue`, …) plus `ready()`, which
// starts the wasm and loads the neural teacher's weights (fetched beside the wasm, in parallel).
import init, { loadTeacher, teacherLoaded } from './pkg/distill_playground.js';

export * from './pkg/distill_playground.js';

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
  sharing ??= Promise.all([WebAssembly.compileStreaming(fetch(wasm)), bytesOf(teacher, 'teacher weights')])
    .then(([module, bytes]) => ({ wasm: module, teacher: bytes }));
  return sharing;
}

async function bytesOf(source, what) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const response = await fetch(source);
  if (!response.ok) throw new Error(`could not load the ${what} from ${source}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
