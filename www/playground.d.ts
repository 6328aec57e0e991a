// Types of www/playground.js: the wasm API's own types plus `ready()`.
export * from './pkg/distill_playground.js';

/** Where to find the wasm and the teacher's weights: a URL, or the bytes. Defaults: beside the module. */
export interface ReadyOptions {
  wasm?: string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module;
  teacher?: string | URL | Uint8Array | ArrayBuffer;
}

/** Starts the wasm and loads the neural teacher (once); resolves to the wasm's exports. */
export function ready(options?: ReadyOptions): Promise<{ memory: WebAssembly.Memory }>;

/** The compiled wasm and the teacher's weights (fetched and compiled once), to pass to `ready()` in workers. */
export function shareable(options?: ReadyOptions): Promise<{ wasm: WebAssembly.Module; teacher: Uint8Array }>;

/** What stopped this thread's module, or null: the Rust panic's message, or a WebAssembly trap
 * recorded by `noteTrap` (takes precedence over the wasm module's own `lastPanic`). */
export function lastPanic(): string | null;

/** Records `error` if it is a WebAssembly trap (an abort that is not a panic); returns whether it was one. */
export function noteTrap(error: unknown): boolean;
