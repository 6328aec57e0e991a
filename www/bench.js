// The in-browser half of `npm run bench` (scripts/bench.mjs opens this page in each browser):
// times the real wasm — the page's training through the session, each engine alone, the dense
// simd128 yardstick, batched decisions, memory over 100k steps, the scaling table, the sweep on
// one worker against every core, and TF.js on the same workload — and publishes window.benchResult.
// `?suite=quick` runs only the training rates (for the second browser).
import { Playground, ready, benchDecisions, benchScaling, benchStudent, benchYardstick } from './playground.js';
import { runSweep } from './sweep-pool.js';

const query = new URLSearchParams(location.search);
const QUICK = query.get('suite') === 'quick';
const SECONDS = Number(query.get('seconds') ?? 1.5);
const REFERENCE = { map: 'four-rooms', hidden: 64, batch: 64, loss: 'kl', seed: 1 };
const status = document.getElementById('status');

function say(text) {
  status.textContent = text;
}

/** Median steps/s of `playground.train` over three timed stretches. */
function sessionStepsPerSecond(playground, seconds) {
  const rates = [0, 1, 2].map(() => {
    const started = performance.now();
    let steps = 0;
    while (performance.now() - started < (seconds * 1000) / 3) {
      playground.train(50);
      steps += 50;
    }
    return steps / ((performance.now() - started) / 1000);
  });
  return rates.sort((a, b) => a - b)[1];
}

/** Wasm memory after a warm-up and after 100k more training steps (it should not grow). */
function memoryOver(exports, steps) {
  const playground = new Playground(REFERENCE);
  playground.train(20000);
  const before = exports.memory.buffer.byteLength;
  for (let done = 0; done < steps; done += 1000) playground.train(1000);
  const after = exports.memory.buffer.byteLength;
  playground.free();
  return { memory_bytes: after, memory_growth_bytes: after - before, memory_steps: steps };
}

/** Seconds the same sweep jobs take on `workers` workers: the faster of two runs (a busy neighbour
 * on a shared machine only slows runs down). */
async function sweepSeconds(workers) {
  const jobs = [1, 2, 3, 4].map((seed) => ({ hidden: 32, steps: 3000, seed }));
  const times = [];
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    await runSweep(jobs, { workers });
    times.push((performance.now() - started) / 1000);
  }
  return Math.min(...times);
}

async function run() {
  const exports = await ready();
  const result = { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
  say('training through the session…');
  const playground = new Playground(REFERENCE);
  playground.train(500);
  result.wasm_steps_per_s = Math.round(sessionStepsPerSecond(playground, 3 * SECONDS));
  playground.free();
  say('each engine alone, and the yardstick…');
  result.fused_student_steps_per_s = Math.round(benchStudent('fused', 64, 64, SECONDS));
  result.dfdx_student_steps_per_s = Math.round(benchStudent('dfdx', 64, 64, SECONDS));
  result.fused_ref_steps_per_s = Math.round(benchYardstick(245, 64, 64, SECONDS));
  result.fused_ref_149_steps_per_s = Math.round(benchYardstick(149, 64, 64, SECONDS));
  say('decisions…');
  result.inference_per_s = Math.round(benchDecisions(64, 1024, SECONDS));
  if (!QUICK) {
    say('memory over 100k steps…');
    Object.assign(result, memoryOver(exports, 100000));
    say('the scaling table…');
    result.scaling = benchScaling(0.2);
    say('the sweep on one worker, then on every core…');
    const one = await sweepSeconds(1);
    const all = await sweepSeconds(navigator.hardwareConcurrency || 2);
    result.sweep = { one_worker_s: one, all_workers_s: all, workers: navigator.hardwareConcurrency || 2, speedup: one / all };
    say('TF.js on the same workload…');
    const { loadTfjs, tfjsStepsPerSecond } = await import('./tfjs-bench.js');
    await loadTfjs();
    const wasm = await tfjsStepsPerSecond({ backend: 'wasm', seconds: 2, runs: 3 });
    const cpu = await tfjsStepsPerSecond({ backend: 'cpu', seconds: 2, runs: 1 });
    result.tfjs_wasm_steps_per_s = Math.round(wasm.steps_per_s);
    result.tfjs_cpu_steps_per_s = Math.round(cpu.steps_per_s);
    result.tfjs_version = wasm.tfjs_version;
    result.tfjs_wasm_build = wasm.wasm_build?.file ?? null;
  }
  say('done');
  document.getElementById('result').textContent = JSON.stringify(result, null, 2);
  window.benchResult = result;
}

run().catch((error) => {
  say('failed');
  window.benchResult = { error: String(error?.stack ?? error) };
});
