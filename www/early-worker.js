// The first script the page runs: a classic script in <head>, so it runs as soon as it arrives,
// while the page is still being read, and not after it (as modules do). It starts the downloads of
// the wasm and the teacher's weights (www/wasm-source.js compiles and hands them, once, to the page
// and its workers) and the training worker: the first trained frame waits for these. www/trainer.js
// hands the worker to the page (`takeEarlyWorker`) with the events it posted before the page listened.
(() => {
  if (location.protocol === 'file:') return; // boot.js says why the page cannot run from a file
  const base = document.currentScript.src;
  // Responses, not yet read: wasm-source.js compiles the wasm as it streams in. (The same files as
  // its DEFAULT_WASM and DEFAULT_TEACHER: a classic script cannot import them before it runs.)
  window.distillEarlyDownloads = {
    wasm: fetch(new URL('pkg/distill_playground_bg.wasm', base)),
    teacher: fetch(new URL('pkg/teacher.safetensors', base)),
  };
  try {
    const worker = new Worker(new URL('trainer-worker.js', base), { type: 'module' });
    const held = [];
    const hold = (event) => held.push(event);
    worker.addEventListener('message', hold);
    worker.addEventListener('error', hold);
    import(new URL('wasm-source.js', base).href).then(({ sendShared }) => sendShared(worker), () => worker.postMessage({ type: 'start', shared: null }));
    window.distillEarlyWorker = {
      worker,
      held,
      stopHolding() {
        worker.removeEventListener('message', hold);
        worker.removeEventListener('error', hold);
      },
    };
  } catch {
    // The page starts its own worker later (and says why if that fails too).
  }
})();
