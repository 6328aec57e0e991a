// The page's compression curve: runs the sweep on background workers (one per core), shows progress, and plots
// ability retained against compute used with uPlot, beside the published anchors.
import uPlot from './vendor/uPlot.esm.js';
import { runSweep } from './sweep-pool.js';

const WIDTHS = [4, 8, 16, 32, 64, 128];

let plot = null;

/** The claim the curve tests: 70–90% of the ability at about 5% of the compute or less (the seed),
 * shaded; Rusu et al. 2016's published point (84% at 3.7% of the parameters) as a diamond. */
const CLAIM = { computeMax: 5, retainedMin: 70, retainedMax: 90 };
const PUBLISHED = { compute: 3.7, retained: 84 };

function drawClaim(u, container) {
  const { ctx } = u;
  const left = u.bbox.left;
  const right = u.valToPos(CLAIM.computeMax, 'x', true);
  const top = u.valToPos(CLAIM.retainedMax, 'y', true);
  const bottom = u.valToPos(CLAIM.retainedMin, 'y', true);
  ctx.save();
  ctx.fillStyle = 'rgba(0, 158, 115, 0.18)';
  ctx.fillRect(left, top, Math.max(0, right - left), bottom - top);
  ctx.fillStyle = '#009e73';
  ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText('claim: 70–90% at ≤ 5%', left + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
  const px = u.valToPos(PUBLISHED.compute, 'x', true);
  const py = u.valToPos(PUBLISHED.retained, 'y', true);
  const r = 6 * devicePixelRatio;
  ctx.fillStyle = '#111111';
  ctx.beginPath();
  ctx.moveTo(px, py - r);
  ctx.lineTo(px + r, py);
  ctx.lineTo(px, py + r);
  ctx.lineTo(px - r, py);
  ctx.closePath();
  ctx.fill();
  ctx.textAlign = 'right';
  ctx.fillText('Rusu et al. 2016: 84% at 3.7%', px - r - 3 * devicePixelRatio, py - 4 * devicePixelRatio);
  ctx.restore();
  // For tests and screen readers: where the claim's region is (canvas pixels) and what it marks.
  container.dataset.claimRegion = [left, top, right, bottom].map(Math.round).join(',');
  container.setAttribute('aria-label', 'Compression curve: ability retained against compute used, with the claim (70–90% at ≤ 5% of the compute) shaded and Rusu et al. 2016 (84% at 3.7%) marked');
}

function draw(container, rows) {
  const sorted = [...rows].sort((a, b) => a.computeUsed - b.computeUsed);
  const data = [sorted.map((r) => 100 * r.computeUsed), sorted.map((r) => 100 * r.retained)];
  const options = {
    width: Math.min(container.clientWidth || 360, 520),
    height: 220,
    scales: { x: { time: false, distr: 3 }, y: { range: [0, 110] } },
    legend: { live: false },
    axes: [
      { label: 'compute used, % of the teacher (log scale)', stroke: 'currentColor' },
      { label: 'ability retained, %', stroke: 'currentColor' },
    ],
    series: [{}, { label: 'student (held-out success ÷ teacher’s)', stroke: '#0072b2', width: 2, points: { size: 7 } }],
    hooks: { draw: [(u) => drawClaim(u, container)] },
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
