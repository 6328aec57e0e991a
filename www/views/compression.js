// The page's compression curve: runs the sweep on background workers (one per core), shows progress, and plots
// ability retained against compute used with uPlot, beside the published anchors.
import { errorText, formatNumber, t } from '../i18n.js';
import uPlot from '../vendor/uPlot.esm.js';
import { runSweep } from '../sweep-pool.js';
import { settingsSchema } from '../playground.js';

/** The curve's widths: those the schema offers for the student's width (the compression lesson's). */
const curveWidths = () => settingsSchema().find((setting) => setting.name === 'hidden').offered;
/** The data of the compression lesson at the page's scale (crate/src/training/lessons.rs):
 * 1,024 random training maps, 6,000 steps, run seed 1. */
const TRAIN_MAPS = 1024;
const STEPS = 6000;
const SEED = 1;

let plot = null;

/** The claim the curve tests: 70–90% of the ability at about 5% of the compute or less (the practitioners' article),
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
  ctx.fillText(t('compression.chart.claim'), left + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
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
  ctx.fillText(t('compression.chart.published'), px - r - 3 * devicePixelRatio, py - 4 * devicePixelRatio);
  ctx.restore();
  // For tests and screen readers: where the claim's region is (canvas pixels) and what it marks.
  container.dataset.claimRegion = [left, top, right, bottom].map(Math.round).join(',');
  container.setAttribute('aria-label', t('compression.chart.label'));
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
      { label: t('compression.chart.x'), stroke: 'currentColor' },
      { label: t('compression.chart.y'), stroke: 'currentColor' },
    ],
    series: [{}, { label: t('compression.chart.series'), stroke: '#0072b2', width: 2, points: { size: 7 } }],
    hooks: { draw: [(u) => drawClaim(u, container)] },
  };
  if (plot) plot.destroy();
  plot = new uPlot(options, data, container);
}

/** The compression sweep: one student per width, trained across the same 1,024 random maps on every
 * core (sweep-pool.js), largest first so the cores finish together. The teacher labels the pool
 * once, each worker a share of its maps, and every student's worker imports the shares
 * (`poolLabels`/`importPoolLabels`) instead of labelling the pool again. A crashed worker is
 * reported and replaced (`restarts` times); `workerUrl` exists so a test can start a worker that crashes. */
export async function measureCompression({ button, progress, status, chart, table }, { restarts = 1, workerUrl, workers = navigator.hardwareConcurrency || 2 } = {}) {
  const rows = [];
  button.disabled = true;
  progress.hidden = false;
  progress.removeAttribute('value'); // indeterminate while the teacher labels the pool
  progress.max = curveWidths().length;
  table.tBodies[0].replaceChildren();
  const showRows = () => {
    const sorted = [...rows].sort((a, b) => a.hidden - b.hidden);
    table.tBodies[0].replaceChildren();
    for (const row of sorted) {
      const line = table.tBodies[0].insertRow();
      for (const value of [row.hidden, formatNumber(row.studentParams), `${(100 * row.computeUsed).toFixed(2)}%`,
        `${(100 * row.studentHeldoutSuccess).toFixed(0)}%`, `${(100 * row.retained).toFixed(0)}%`]) line.insertCell().textContent = value;
    }
    draw(chart, rows);
  };
  /** Why a worker last crashed (said before the status while the sweep goes on), or null. */
  let crashed = null;
  const say = (text) => { status.textContent = crashed === null ? text : t('compression.crashed', { reason: crashed, next: text }); };
  const onCrash = (reason) => {
    crashed = reason;
    say(t('compression.restarting'));
  };
  const started = performance.now();
  try {
    // The teacher labels the pool: one share of its maps per worker.
    const count = Math.max(1, workers);
    const shares = Array.from({ length: count }, (_, i) => ({
      trainMaps: TRAIN_MAPS, seed: SEED, share: { from: Math.floor((i * TRAIN_MAPS) / count), to: Math.floor(((i + 1) * TRAIN_MAPS) / count) },
    }));
    say(t('compression.labelling', { maps: formatNumber(TRAIN_MAPS), workers: count }));
    const labels = await runSweep(shares, { restarts, workerUrl, workers: count, onCrash });
    const labelSeconds = (performance.now() - started) / 1000;
    progress.value = 0;
    const jobs = [...curveWidths()].reverse().map((hidden) => ({ hidden, steps: STEPS, seed: SEED, trainMaps: TRAIN_MAPS, labels }));
    const running = new Set();
    await runSweep(jobs, {
      restarts,
      workerUrl,
      workers,
      onStart: (job, done) => {
        running.add(job.hidden);
        say(t('compression.training', { width: job.hidden, maps: formatNumber(TRAIN_MAPS), done, jobs: jobs.length, running: running.size }));
      },
      onRow: (row, done) => {
        running.delete(row.hidden);
        rows.push(row);
        progress.value = done;
        showRows();
      },
      onCrash: (reason, job) => {
        if (job) running.delete(job.hidden);
        onCrash(reason);
      },
    });
    status.dataset.labelSeconds = labelSeconds.toFixed(2);
    status.textContent = t('compression.done', { seconds: Math.round((performance.now() - started) / 1000), labelling: labelSeconds.toFixed(1) });
    return rows;
  } catch (error) {
    status.textContent = t('compression.failed', { reason: errorText(error) });
    throw error;
  } finally {
    progress.hidden = true;
    button.disabled = false;
  }
}
