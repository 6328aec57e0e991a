// The module a page imports: the wasm API (`Playground`, `lossValue`, …) plus `ready()`, which
// starts the wasm and loads the neural teacher's weights (fetched beside the wasm, in parallel).
import init, { loadTeacher, teacherLoaded } from './pkg/distill_playground.js';

export * from './pkg/distill_playground.js';

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

async function start({ wasm = new URL('./pkg/distill_playground_bg.wasm', import.meta.url), teacher = new URL('./pkg/teacher.safetensors', import.meta.url) }) {
  const [exports, teacherBytes] = await Promise.all([init({ module_or_path: wasm }), bytesOf(teacher, 'teacher weights')]);
  if (!teacherLoaded()) loadTeacher(teacherBytes);
  return exports;
}

async function bytesOf(source, what) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const response = await fetch(source);
  if (!response.ok) throw new Error(`could not load the ${what} from ${source}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
