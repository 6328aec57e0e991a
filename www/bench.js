// The in-browser half of `npm run bench`: times the reference training workload
// (student 245→64→5, batch 64, Adam, kl) through the real wasm API and publishes window.benchResult.
import { Playground, ready } from './playground.js';

function stepsPerSecond(playground, seconds) {
  const started = performance.now();
  let steps = 0;
  while (performance.now() - started < seconds * 1000) {
    playground.train(50);
    steps += 50;
  }
  return steps / ((performance.now() - started) / 1000);
}

async function run() {
  await ready();
  const playground = new Playground({ map: 'four-rooms', hidden: 64, batch: 64, loss: 'kl', seed: 1 });
  playground.train(200);
  const runs = [0, 1, 2].map(() => stepsPerSecond(playground, 1));
  runs.sort((a, b) => a - b);
  const result = { wasm_steps_per_s: Math.round(runs[1]), runs: runs.map(Math.round), userAgent: navigator.userAgent };
  document.getElementById('result').textContent = JSON.stringify(result, null, 2);
  window.benchResult = result;
}

run().catch((error) => {
  window.benchResult = { error: String(error) };
});
