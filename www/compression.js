// The page's compression curve: runs the sweep on background workers (one per core), shows progress, and plots
// ability retained against compute used with uPlot, beside the published anchors.
import uPlot from './vendor/uPlot.esm.js';
import { runSweep } from './sweep-pool.js';

const WIDTHS = [4, 8, 16, 32, 64, 128];

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

/** The compression sweep: one student per width, trained across random maps on every core
 * (sweep-pool.js), largest first so the cores finish together. A crashed worker is reported and
 * replaced (`restarts` times); `workerUrl` exists so a test can start a worker that crashes. */
export function measureCompression({ button, progress, status, chart, table }, { restarts = 1, workerUrl } = {}) {
  const rows = [];
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  progress.max = WIDTHS.length;
  table.tBodies[0].replaceChildren();
  const showRows = () => {
    const sorted = [...rows].sort((a, b) => a.hidden - b.hidden);
    table.tBodies[0].replaceChildren();
    for (const row of sorted) {
      const line = table.tBodies[0].insertRow();
      for (const value of [row.hidden, row.studentParams.toLocaleString('en-US'), `${(100 * row.computeUsed).toFixed(2)}%`,
        `${(100 * row.studentHeldoutSuccess).toFixed(0)}%`, `${(100 * row.retained).toFixed(0)}%`]) line.insertCell().textContent = value;
    }
    draw(chart, rows);
  };
  const jobs = [...WIDTHS].reverse().map((hidden) => ({ hidden, steps: 3000, seed: 1 }));
  const running = new Set();
  let crashNote = '';
  const sweep = runSweep(jobs, {
    restarts,
    workerUrl,
    onStart: (job, done) => {
      running.add(job.hidden);
      status.textContent = `${crashNote}training the width-${job.hidden} student across random maps (${done} of ${jobs.length} done, ${running.size} at once)…`;
    },
    onRow: (row, done) => {
      running.delete(row.hidden);
      rows.push(row);
      progress.value = done;
      showRows();
    },
    onCrash: (reason, job) => {
      if (job) running.delete(job.hidden);
      crashNote = `a background worker crashed (${reason}) and was restarted; `;
      status.textContent = `${crashNote}restarting it…`;
    },
  });
  sweep.then(
    () => { status.textContent = 'done: the curve above was measured just now, in this browser.'; },
    (error) => { status.textContent = `failed: ${error.message}. Press the button to try again.`; },
  ).finally(() => {
    progress.hidden = true;
    button.disabled = false;
  });
  return sweep;
}
