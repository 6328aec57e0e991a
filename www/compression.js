// The page's compression curve: runs sweep-worker.js in the background, shows progress, and plots
// ability retained against compute used with uPlot, beside the published anchors.
import uPlot from './vendor/uPlot.esm.js';

let plot = null;

function draw(container, rows) {
  const sorted = [...rows].sort((a, b) => a.computeUsed - b.computeUsed);
  const data = [sorted.map((r) => 100 * r.computeUsed), sorted.map((r) => 100 * r.retained)];
  const options = {
    width: Math.min(container.clientWidth || 360, 520),
    height: 220,
    scales: { x: { time: false, distr: 3 }, y: { range: [0, 110] } },
    axes: [
      { label: 'compute used, % of the teacher (log scale)', stroke: 'currentColor' },
      { label: 'ability retained, %', stroke: 'currentColor' },
    ],
    series: [{}, { label: 'student (held-out success ÷ teacher’s)', stroke: '#0072b2', width: 2, points: { size: 7 } }],
  };
  if (plot) plot.destroy();
  plot = new uPlot(options, data, container);
}

/** Starts a sweep in a module worker and reports into the page. If the worker crashes (an
 * uncaught error or a failed load), the page says so and starts a fresh worker, up to `restarts`
 * times. `workerUrl` exists so a test can start a worker that crashes. Returns the worker. */
export function measureCompression({ button, progress, status, chart, table }, { restarts = 1, workerUrl } = {}) {
  const worker = new Worker(workerUrl ?? new URL('./sweep-worker.js', import.meta.url), { type: 'module' });
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    const reason = event.message || 'the worker could not start';
    if (restarts > 0) {
      status.textContent = `the background worker crashed (${reason}); restarting it…`;
      measureCompression({ button, progress, status, chart, table }, { restarts: restarts - 1 });
    } else {
      progress.hidden = true;
      button.disabled = false;
      status.textContent = `failed: the background worker crashed (${reason}). Press the button to try again.`;
    }
  };
  const rows = [];
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  worker.onmessage = ({ data }) => {
    if (data.type === 'progress') {
      progress.max = data.total;
      progress.value = data.done;
      status.textContent = `training the width-${data.hidden} student across random maps (${data.done + 1} of ${data.total})…`;
    } else if (data.type === 'row') {
      rows.push(data.row);
      const line = table.tBodies[0].insertRow();
      for (const value of [data.row.hidden, data.row.studentParams.toLocaleString('en-US'),
        `${(100 * data.row.computeUsed).toFixed(2)}%`, `${(100 * data.row.studentHeldoutSuccess).toFixed(0)}%`,
        `${(100 * data.row.retained).toFixed(0)}%`]) line.insertCell().textContent = value;
      draw(chart, rows);
    } else if (data.type === 'done' || data.type === 'error') {
      progress.value = progress.max;
      progress.hidden = true;
      button.disabled = false;
      status.textContent = data.type === 'done' ? 'done: the curve above was measured just now, in this browser.' : `failed: ${data.message}`;
      worker.terminate();
    }
  };
  table.tBodies[0].replaceChildren();
  worker.postMessage({ steps: 3000, seed: 1 });
  return worker;
}
