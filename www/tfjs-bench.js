// The TensorFlow.js half of the benchmark: times TF.js 4.22 (wasm or cpu backend) on the reference
// distillation training workload, so the bench can report our wasm's speed as a ratio to it.
//
//   import { loadTfjs, tfjsStepsPerSecond } from './tfjs-bench.js';
//   await loadTfjs();                                   // once per page
//   const r = await tfjsStepsPerSecond({ backend: 'wasm', seconds: 2, runs: 3 });
//   // r = { backend, steps_per_s, runs: [...], tfjs_version, wasm_build, ... }
//
// The workload: an MLP 245 → 64 (ReLU) → 5 (dense, with bias, float32) trained by Adam (lr 1e-3,
// β1 0.9, β2 0.999, ε 1e-8) on loss = τ²·mean over the batch of KL(p_T ‖ softmax(logits/τ)), τ = 1,
// one optimiser step per batch of 64 rows taken in turn from a fixed pool of 1024 synthetic
// observations (243 entries 0/1 with about 20% ones, then 2 floats in [-1, 1]; mulberry32, seed 1)
// whose teacher targets are softmax(random logits in [-3, 3]). The 16 batches are uploaded once,
// before any timing. TF.js comes from www/vendor/tfjs/ (scripts/tfjs-vendor.sh copies it there from
// node_modules): the UMD bundles are loaded by classic <script src> tags (no eval, so they work under
// the server's CSP) and the wasm backend fetches its .wasm from the same folder — nothing leaves the
// page's origin.

const VENDOR = new URL('./vendor/tfjs/', import.meta.url);
const SCRIPTS = ['tf.es2017.min.js', 'tf-backend-wasm.es2017.min.js'];

export const WORKLOAD = Object.freeze({
  inputs: 245, hidden: 64, actions: 5, pool: 1024, batch: 64, tau: 1,
  lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, seed: 1, ones: 0.2, logitRange: 3,
});

const WARMUP_STEPS = 50;
const CHUNK_STEPS = 25;
// The first time a backend trains on a page, V8 is still compiling TF.js's JavaScript and tiering the
// backend's wasm up (measured: the first 0.5 s runs ran ~20-35% slower); warm up this long once more.
const FIRST_WARMUP_MS = 500;
const warmedUp = new Set();

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = false;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

/** Loads TF.js and its wasm backend (classic scripts, in order) unless already there; returns `tf`. */
export async function loadTfjs() {
  if (!globalThis.tf) await loadScript(new URL(SCRIPTS[0], VENDOR).href);
  if (!globalThis.tf?.wasm?.setWasmPaths) await loadScript(new URL(SCRIPTS[1], VENDOR).href);
  const tf = globalThis.tf;
  if (!tf?.wasm?.setWasmPaths) throw new Error('TF.js or its wasm backend did not load');
  if (!loadTfjs.configured) {
    // Both must happen before the wasm backend initialises (the first setBackend('wasm')).
    tf.wasm.setWasmPaths(VENDOR.href);
    // Single-threaded, like our own wasm. (Without cross-origin isolation, which our server does not
    // give, TF.js would pick the single-thread SIMD build anyway; with it, the threaded build would
    // start its workers from blob: URLs, which the CSP's worker-src 'self' refuses.)
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    loadTfjs.configured = true;
  }
  return tf;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The pool: observations (pool × inputs), teacher p_T and log p_T (pool × actions), all Float32Array. */
function makePool(w = WORKLOAD) {
  const rand = mulberry32(w.seed);
  const obs = new Float32Array(w.pool * w.inputs);
  const probs = new Float32Array(w.pool * w.actions);
  const logProbs = new Float32Array(w.pool * w.actions);
  const binary = w.inputs - 2;
  for (let i = 0; i < w.pool; i++) {
    const row = i * w.inputs;
    for (let j = 0; j < binary; j++) obs[row + j] = rand() < w.ones ? 1 : 0;
    obs[row + binary] = rand() * 2 - 1;
    obs[row + binary + 1] = rand() * 2 - 1;
  }
  const logits = new Float64Array(w.actions);
  for (let i = 0; i < w.pool; i++) {
    let max = -Infinity;
    for (let a = 0; a < w.actions; a++) {
      logits[a] = ((rand() * 2 - 1) * w.logitRange) / w.tau;
      max = Math.max(max, logits[a]);
    }
    let sum = 0;
    for (let a = 0; a < w.actions; a++) sum += Math.exp(logits[a] - max);
    const logSum = Math.log(sum) + max;
    for (let a = 0; a < w.actions; a++) {
      logProbs[i * w.actions + a] = logits[a] - logSum;
      probs[i * w.actions + a] = Math.exp(logits[a] - logSum);
    }
  }
  return { obs, probs, logProbs };
}

/** Glorot-uniform weights and zero biases, seeded. */
function makeParams(tf, w = WORKLOAD) {
  const rand = mulberry32(w.seed + 1);
  const glorot = (fanIn, fanOut) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < values.length; i++) values[i] = (rand() * 2 - 1) * limit;
    return tf.tensor2d(values, [fanIn, fanOut], 'float32');
  };
  // tf.variable keeps its initial tensor alive as a separate tensor: dispose it.
  const variable = (initial) => {
    const v = tf.variable(initial, true);
    initial.dispose();
    return v;
  };
  return {
    w1: variable(glorot(w.inputs, w.hidden)),
    b1: variable(tf.zeros([w.hidden], 'float32')),
    w2: variable(glorot(w.hidden, w.actions)),
    b2: variable(tf.zeros([w.actions], 'float32')),
  };
}

/** The 16 batches as tensors: x (64 × 245), p_T and log p_T (64 × 5). Built once, before timing. */
function makeBatches(tf, pool, w = WORKLOAD) {
  const count = w.pool / w.batch;
  const batches = [];
  for (let b = 0; b < count; b++) {
    const lo = b * w.batch;
    const hi = lo + w.batch;
    batches.push({
      x: tf.tensor2d(pool.obs.subarray(lo * w.inputs, hi * w.inputs), [w.batch, w.inputs], 'float32'),
      p: tf.tensor2d(pool.probs.subarray(lo * w.actions, hi * w.actions), [w.batch, w.actions], 'float32'),
      logP: tf.tensor2d(pool.logProbs.subarray(lo * w.actions, hi * w.actions), [w.batch, w.actions], 'float32'),
    });
  }
  return batches;
}

/** τ²·mean_batch Σ_a p_T,a (log p_T,a − log_softmax(logits/τ)_a), for an MLP 245→64 ReLU→5. */
function lossFn(tf, params, batch, tau) {
  const hidden = tf.relu(tf.add(tf.matMul(batch.x, params.w1), params.b1));
  let logits = tf.add(tf.matMul(hidden, params.w2), params.b2);
  if (tau !== 1) logits = tf.div(logits, tau);
  const logQ = tf.logSoftmax(logits);
  const kl = tf.sum(tf.mul(batch.p, tf.sub(batch.logP, logQ)), 1);
  const loss = tf.mean(kl);
  return tau !== 1 ? tf.mul(loss, tau * tau) : loss;
}

async function oneRun(tf, batches, seconds, warmupMs, w = WORKLOAD) {
  const params = makeParams(tf, w);
  const vars = [params.w1, params.b1, params.w2, params.b2];
  const optimizer = tf.train.adam(w.lr, w.beta1, w.beta2, w.epsilon);
  let step = 0;
  const trainStep = (wantLoss) => {
    const batch = batches[step % batches.length];
    step += 1;
    return optimizer.minimize(() => lossFn(tf, params, batch, w.tau), wantLoss, vars);
  };
  // Runs `n` steps and waits until the last one's loss is computed (dataSync), so nothing lazy is left.
  const chunk = (n) => {
    for (let i = 0; i < n - 1; i++) trainStep(false);
    const loss = trainStep(true);
    const value = loss.dataSync()[0];
    loss.dispose();
    if (!Number.isFinite(value)) throw new Error(`TF.js loss is ${value}`);
    return value;
  };
  const warmupLoss = chunk(WARMUP_STEPS);
  for (const warmStart = performance.now(); performance.now() - warmStart < warmupMs; ) chunk(CHUNK_STEPS);
  const budget = seconds * 1000;
  let steps = 0;
  let lastLoss = warmupLoss;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budget) {
    lastLoss = chunk(CHUNK_STEPS);
    steps += CHUNK_STEPS;
    elapsed = performance.now() - start;
  }
  optimizer.dispose();
  for (const v of vars) v.dispose();
  // Let the page breathe between runs (and between backends).
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { steps_per_s: (steps * 1000) / elapsed, steps, ms: elapsed, warmup_loss: warmupLoss, last_loss: lastLoss };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Which of the three wasm binaries the wasm backend picked (the same rule as TF.js's own). */
async function wasmBuild(tf) {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const file = simd && threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  let threadCount = 1; // threads are switched off in loadTfjs
  try {
    threadCount = tf.wasm.getThreadsCount();
  } catch {
    // Only meaningful once the backend is up; keep 1.
  }
  return { file, simd: Boolean(simd), threads: Boolean(threads), thread_count: threadCount, cross_origin_isolated: Boolean(globalThis.crossOriginIsolated) };
}

/**
 * Steps per second of TF.js training the reference workload on `backend` ('wasm' or 'cpu'):
 * `runs` runs of about `seconds` each, each after a 50-step warm-up (plus 0.5 s more the first time a
 * backend is used on the page), each with fresh weights and a fresh Adam; reports the median.
 * The loss is read back (dataSync) at the end of every 25-step chunk, so all the timed work is done.
 */
export async function tfjsStepsPerSecond({ backend = 'wasm', seconds = 2, runs = 3 } = {}) {
  const tf = await loadTfjs();
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend) throw new Error(`TF.js could not switch to the ${backend} backend`);
  const tensorsBefore = tf.memory().numTensors;
  const batches = makeBatches(tf, makePool());
  const results = [];
  try {
    for (let r = 0; r < Math.max(1, runs); r++) {
      const warmupMs = warmedUp.has(backend) ? 0 : FIRST_WARMUP_MS;
      results.push(await oneRun(tf, batches, seconds, warmupMs));
      warmedUp.add(backend);
    }
  } finally {
    for (const b of batches) tf.dispose([b.x, b.p, b.logP]);
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  const result = {
    backend,
    steps_per_s: median(results.map((r) => r.steps_per_s)),
    runs: results.map((r) => r.steps_per_s),
    tfjs_version: tf.version?.tfjs ?? tf.version_core,
    details: results,
    leaked_tensors: leaked,
  };
  if (backend === 'wasm') {
    result.wasm_version = tf.wasm.version_wasm;
    result.wasm_build = await wasmBuild(tf);
  }
  return result;
}
