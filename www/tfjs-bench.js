// The TensorFlow.js half of the benchmark: TF.js 4.22 (wasm or cpu backend) on the same work as our
// wasm, with data the wasm hands over (so both sides compute on the very same numbers):
//
//   import { loadTfjs, tfjsStepsPerSecond, tfjsJob } from './tfjs-bench.js';
//   await loadTfjs();                                                          // once per page
//   const dense = await tfjsStepsPerSecond({ backend: 'wasm', data: benchRun('dense-data'), seconds: 2, runs: 3 });
//   const job = await tfjsJob(benchRun('job-data'));                           // time to the job's agreement
//
// Both train an MLP 245 → H (ReLU) → 5 (dense, with bias, float32) by Adam (β1 0.9, β2 0.999,
// ε 1e-8) on loss = mean over the batch of KL(p_T ‖ softmax(logits)) (τ = 1), one optimiser step per
// batch of rows:
// - `tfjsStepsPerSecond`: the dense pool (1,024 rows of 245 inputs, none zero, from the wasm's
//   `DensePool`), aligned batches taken in turn as the yardstick and the fused student take them,
//   lr 1e-3, Glorot-uniform weights (seeded); the batches are uploaded once, before any timing.
// - `tfjsJob`: the wasm's training job (`bench/job.rs`): its states and teacher targets, its initial
//   weights, its batch order (a gather from the uploaded states each step, timed, as the wasm copies
//   the rows of each batch), its learning rate; it trains until its greedy actions agree with the
//   teacher's on the job's target share of the states, checked every `check_every` steps, the checks
//   not timed.
// TF.js comes from www/vendor/tfjs/ (scripts/tfjs-vendor.sh copies it there from node_modules): the
// UMD bundles are loaded by classic <script src> tags (no eval, so they work under the server's CSP)
// and the wasm backend fetches its .wasm from the same folder — nothing leaves the page's origin.

const VENDOR = new URL('./vendor/tfjs/', import.meta.url);
const SCRIPTS = ['tf.es2017.min.js', 'tf-backend-wasm.es2017.min.js'];

export const WORKLOAD = Object.freeze({ hidden: 64, actions: 5, lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, seed: 1 });

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

/** Glorot-uniform weights and zero biases, seeded. */
function makeParams(tf, inputs, w = WORKLOAD) {
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
    w1: variable(glorot(inputs, w.hidden)),
    b1: variable(tf.zeros([w.hidden], 'float32')),
    w2: variable(glorot(w.hidden, w.actions)),
    b2: variable(tf.zeros([w.actions], 'float32')),
  };
}

/** The dense pool's aligned batches as tensors: x (batch × inputs), p_T and log p_T (batch × 5). */
function makeBatches(tf, data) {
  const { inputs, batch, pool } = data;
  const actions = WORKLOAD.actions;
  const observations = Float32Array.from(data.observations);
  const probs = Float32Array.from(data.probs);
  const logProbs = Float32Array.from(data.logProbs);
  const batches = [];
  for (let lo = 0; lo + batch <= pool; lo += batch) {
    const hi = lo + batch;
    batches.push({
      x: tf.tensor2d(observations.subarray(lo * inputs, hi * inputs), [batch, inputs], 'float32'),
      p: tf.tensor2d(probs.subarray(lo * actions, hi * actions), [batch, actions], 'float32'),
      logP: tf.tensor2d(logProbs.subarray(lo * actions, hi * actions), [batch, actions], 'float32'),
    });
  }
  return batches;
}

/** The policy logits of an MLP in → H (ReLU) → 5. */
function logitsOf(tf, params, x) {
  const hidden = tf.relu(tf.add(tf.matMul(x, params.w1), params.b1));
  return tf.add(tf.matMul(hidden, params.w2), params.b2);
}

/** mean over the batch of Σ_a p_T,a (log p_T,a − log_softmax(logits)_a): KL at τ = 1. */
function lossFn(tf, params, batch) {
  const logQ = tf.logSoftmax(logitsOf(tf, params, batch.x));
  return tf.mean(tf.sum(tf.mul(batch.p, tf.sub(batch.logP, logQ)), 1));
}

async function oneRun(tf, batches, inputs, seconds, warmupMs, w = WORKLOAD) {
  const params = makeParams(tf, inputs, w);
  const vars = [params.w1, params.b1, params.w2, params.b2];
  const optimizer = tf.train.adam(w.lr, w.beta1, w.beta2, w.epsilon);
  let step = 0;
  const trainStep = (wantLoss) => {
    const batch = batches[step % batches.length];
    step += 1;
    return optimizer.minimize(() => lossFn(tf, params, batch), wantLoss, vars);
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

async function useBackend(backend) {
  const tf = await loadTfjs();
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend) throw new Error(`TF.js could not switch to the ${backend} backend`);
  return tf;
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
 * Steps per second of TF.js training on the dense pool `data` (the wasm's `benchRun('dense-data')`)
 * on `backend` ('wasm' or 'cpu'):
 * `runs` runs of about `seconds` each, each after a 50-step warm-up (plus 0.5 s more the first time a
 * backend is used on the page), each with fresh weights and a fresh Adam; reports the median.
 * The loss is read back (dataSync) at the end of every 25-step chunk, so all the timed work is done.
 */
export async function tfjsStepsPerSecond({ backend = 'wasm', data, seconds = 2, runs = 3 } = {}) {
  const tf = await useBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const batches = makeBatches(tf, data);
  const results = [];
  try {
    for (let r = 0; r < Math.max(1, runs); r++) {
      const warmupMs = warmedUp.has(backend) ? 0 : FIRST_WARMUP_MS;
      results.push(await oneRun(tf, batches, data.inputs, seconds, warmupMs));
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

/**
 * TF.js (wasm backend) on the wasm's training job `job` (`benchRun('job-data')`): from the job's
 * initial weights, batch k being the states `job.order[k·batch ..]`, until the greedy actions agree
 * with the teacher's on `job.spec.target` of the states (checked every `check_every` steps, untimed)
 * or `max_steps`. Returns { steps, train_ms, agreement, reached, loss } as the wasm's `job-fused` does.
 */
export async function tfjsJob(job, { backend = 'wasm' } = {}) {
  const tf = await useBackend(backend);
  const { spec, states } = job;
  const inputs = job.observations.length / states;
  const actions = WORKLOAD.actions;
  const tensorsBefore = tf.memory().numTensors;
  const all = {
    x: tf.tensor2d(Float32Array.from(job.observations), [states, inputs], 'float32'),
    p: tf.tensor2d(Float32Array.from(job.probs), [states, actions], 'float32'),
    logP: tf.tensor2d(Float32Array.from(job.logProbs), [states, actions], 'float32'),
  };
  const variable = (initial) => {
    const v = tf.variable(initial, true);
    initial.dispose();
    return v;
  };
  const params = {
    w1: variable(tf.tensor2d(Float32Array.from(job.w1), [inputs, spec.hidden], 'float32')),
    b1: variable(tf.tensor1d(Float32Array.from(job.b1), 'float32')),
    w2: variable(tf.tensor2d(Float32Array.from(job.w2), [spec.hidden, actions], 'float32')),
    b2: variable(tf.tensor1d(Float32Array.from(job.b2), 'float32')),
  };
  const vars = [params.w1, params.b1, params.w2, params.b2];
  const optimizer = tf.train.adam(spec.lr, WORKLOAD.beta1, WORKLOAD.beta2, WORKLOAD.epsilon);
  const order = Int32Array.from(job.order);
  const best = job.best;
  const agreement = () => tf.tidy(() => {
    const chosen = tf.argMax(logitsOf(tf, params, all.x), 1).dataSync();
    let agree = 0;
    for (let i = 0; i < states; i++) if (chosen[i] === best[i]) agree += 1;
    return agree / states;
  });
  let steps = 0;
  let trainMs = 0;
  let reached = false;
  let now = 0;
  let loss = NaN;
  try {
    while (steps < spec.max_steps) {
      const started = performance.now();
      const n = Math.min(spec.check_every, spec.max_steps - steps);
      let lossSum = 0;
      for (let i = 0; i < n; i++) {
        const rows = order.subarray(steps * spec.batch, (steps + 1) * spec.batch);
        const value = tf.tidy(() => {
          const idx = tf.tensor1d(rows, 'int32');
          const batch = { x: tf.gather(all.x, idx), p: tf.gather(all.p, idx), logP: tf.gather(all.logP, idx) };
          return optimizer.minimize(() => lossFn(tf, params, batch), true, vars);
        });
        lossSum += value.dataSync()[0];
        value.dispose();
        steps += 1;
      }
      trainMs += performance.now() - started;
      loss = lossSum / n;
      now = agreement();
      if (now >= spec.target) {
        reached = true;
        break;
      }
    }
  } finally {
    optimizer.dispose();
    tf.dispose([...vars, all.x, all.p, all.logP]);
  }
  return { steps, train_ms: trainMs, agreement: now, reached, loss, leaked_tensors: tf.memory().numTensors - tensorsBefore };
}
