// Read-only views next to the grid: the selected cell's bars and table, the stats line,
// the teacher-vs-student ledger and the pipeline strip. Text goes in with textContent only.
import { formatNumber, t } from '../i18n.js';

/** The five moves' catalogue keys, in the order of the action indices. */
export const ACTION_KEYS = ['action.up', 'action.down', 'action.left', 'action.right', 'action.stay'];
const SERIES = [
  { name: () => t('cell.series.teacherTau'), colour: '#e69f00' },
  { name: () => t('cell.series.teacherOne'), colour: '#cc79a7' },
  { name: () => t('common.student'), colour: '#0072b2' },
];

/** Draws three groups of five bars (teacher at τ, teacher at 1, student) into the #bars canvas. */
export function drawBars(canvas, groups) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  const ink = dark ? '#ececec' : '#1b1b1b';
  context.clearRect(0, 0, width, height);
  const top = 22;
  const bottom = height - 20;
  const slot = width / ACTION_KEYS.length;
  const barWidth = (slot - 10) / SERIES.length;
  context.font = '11px system-ui, sans-serif';
  SERIES.forEach((series, s) => {
    context.fillStyle = series.colour;
    context.fillRect(6 + s * 110, 4, 10, 10);
    context.fillStyle = ink;
    context.fillText(series.name(), 20 + s * 110, 13);
  });
  ACTION_KEYS.forEach((action, a) => {
    groups.forEach((probs, s) => {
      const h = (bottom - top) * Math.max(0, Math.min(1, probs[a]));
      context.fillStyle = SERIES[s].colour;
      context.fillRect(a * slot + 5 + s * barWidth, bottom - h, barWidth - 1, h);
    });
    context.fillStyle = ink;
    context.fillText(t(action), a * slot + slot / 2 - 10, height - 5);
  });
  context.strokeStyle = ink;
  context.beginPath();
  context.moveTo(0, bottom + 0.5);
  context.lineTo(width, bottom + 0.5);
  context.stroke();
}

/** Writes `text` into `element` only when it differs: the page redraws every frame, and writing the
 * same text again still makes the browser lay out and paint it again. */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/** Replaces `table`'s body with `rows`, each [row heading, ...cell texts]. */
export function fillRows(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const [label, ...cells] of rows) {
    const row = body.insertRow();
    const head = document.createElement('th');
    head.scope = 'row';
    head.textContent = label;
    row.appendChild(head);
    for (const text of cells) row.insertCell().textContent = text;
  }
}

/** Fills the screen-reader table of the selected cell's probabilities. */
export function fillCellTable(table, groups) {
  fillRows(table, groups.map((probs, s) => [SERIES[s].name(), ...Array.from(probs, (p) => p.toFixed(3))]));
}

/** `x.toFixed(digits)` without a minus sign on a figure that rounds to zero ("-0.0000" reads as a
 * failure; it is rounding of a tiny negative, e.g. a KL of −1e-9 from float sums). */
export function fixed(x, digits) {
  const text = Number(x).toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}
/** A share as a percentage with one decimal ("n/a" when there is none). */
export function percent(x) {
  return x === null || x === undefined ? t('common.na') : `${fixed(100 * x, 1)}%`;
}
function number(x, digits = 3) {
  return x === null || x === undefined ? t('common.na') : fixed(x, digits);
}
function count(x) {
  return x === null || x === undefined ? t('ledger.naPlanner') : formatNumber(x);
}
function micros(ms) {
  return ms === null || ms === undefined ? t('common.na') : `${(ms * 1000).toFixed(1)} µs`;
}

/** Fills the #ledger table from `evaluate()`'s result, and says in `note` what the held-out rows
 *  can show for a student that learned from `trainMaps` ("current", "stream" or a number of maps). */
/** The key figures in the header strip: the measures every lesson is about, from the newest ledger
 * (null: a new run is being measured). */
export function showKeyFigures(ledger, trainMaps = 'current') {
  const strip = document.getElementById('key-figures');
  strip.dataset.state = ledger ? 'measured' : 'measuring';
  const pair = (student, teacher) => t('figure.pair', { student: percent(student), teacher: percent(teacher) });
  const values = ledger ? {
    'kf-here': pair(ledger.studentSuccess, ledger.teacherSuccess),
    'kf-heldout': pair(ledger.studentHeldoutSuccess, ledger.teacherHeldoutSuccess),
    'kf-retained': percent(ledger.retained),
    'kf-compute': ledger.computeUsed === null || ledger.computeUsed === undefined ? t('figure.naPlannerTeacher') : percent(ledger.computeUsed),
    'kf-kl': formatLoss(ledger.meanKl), // small values as 3.5e-5, not 0.0000
  } : {};
  // Each figure is as wide as the widest text it can show (style.css draws these two hidden under
  // it), so the figures wrap alike while measuring and measured and the page below never moves.
  const widest = {
    'kf-here': pair(1, 1),
    'kf-heldout': pair(1, 1),
    'kf-retained': percent(1),
    'kf-compute': percent(1), // "n/a (planner teacher)", wider, only with the planner as teacher
    'kf-kl': formatLoss(0.5), // four decimals (a KL of 10 or more, wider, is rare)
  };
  for (const id of Object.keys(widest)) {
    const figure = document.getElementById(id);
    setText(figure, values[id] ?? t('common.measuring'));
    // Written only when they change: this runs every frame, and a changed attribute restyles.
    if (figure.dataset.measuring !== t('common.measuring')) figure.dataset.measuring = t('common.measuring');
    if (figure.dataset.widest !== widest[id]) figure.dataset.widest = widest[id];
  }
  // When the figures were measured, and what they can show for the data this student had.
  const note = document.getElementById('kf-note');
  const step = formatNumber(ledger?.step ?? 0);
  // While measuring, the note already has its words (the step to come as "…"), and the step has a
  // line of its own, so the note's lines do not change when the figures arrive or the step grows.
  const when = document.createElement('span');
  when.textContent = t('figure.measuredAt', { step: ledger ? step : '…' });
  note.replaceChildren(when);
  if (trainMaps === 'current') {
    const why = document.createElement('span');
    why.className = 'why';
    why.textContent = t('figure.mapShownOnly');
    note.append(' ', why);
  }
}

/** The ledger's rows: a label, the teacher's figure (empty where only the student has one) and the
 * student's, each computed from an evaluation. */
const LEDGER_ROWS = [
  ['ledger.params', (l) => count(l.teacherParams), (l) => count(l.studentParams)],
  ['ledger.multiplyAdds', (l) => count(l.teacherMultiplyAdds), (l) => count(l.studentMultiplyAdds)],
  ['ledger.time', (l) => micros(l.teacherMsPerDecision), (l) => micros(l.studentMsPerDecision)],
  ['ledger.successHere', (l) => percent(l.teacherSuccess), (l) => percent(l.studentSuccess)],
  ['ledger.returnHere', (l) => number(l.teacherReturn), (l) => number(l.studentReturn)],
  ['ledger.successHeldout', (l) => percent(l.teacherHeldoutSuccess), (l) => percent(l.studentHeldoutSuccess)],
  ['ledger.returnHeldout', (l) => number(l.teacherHeldoutReturn), (l) => number(l.studentHeldoutReturn)],
  ['ledger.agreement', null, (l) => percent(l.agreement)],
  ['ledger.kl', null, (l) => formatLoss(l.meanKl)],
  ['ledger.klAtTau', null, (l) => formatLoss(l.meanKlAtTau)],
  ['ledger.retained', null, (l) => percent(l.retained)],
  ['ledger.compute', null, (l) => percent(l.computeUsed)],
];

/** The ledger's rows for `ledger`, or with "…" for every figure while it is measured (null): the
 * table has its full height from the start, so the panels below it do not move when it fills. */
function ledgerRows(ledger, temperature) {
  const figure = (of) => (of === null ? '' : ledger ? of(ledger) : '…');
  return LEDGER_ROWS.map(([key, teacher, student]) => [t(key, { tau: fixed(temperature, 2) }), figure(teacher), figure(student)]);
}

/** Empties the ledger while a new run's first figures are measured, so it never shows the last run's. */
export function clearLedger(table, note, temperature = 1) {
  fillRows(table, ledgerRows(null, temperature));
  table.dataset.state = 'measuring';
  note.textContent = t('ledger.measuringNew');
}

export function fillLedger(table, ledger, trainMaps, note, temperature = 1) {
  table.dataset.state = 'measured';
  // Measured at one step (every 1.5 s while training; the stats line above the controls is live).
  const step = formatNumber(ledger.step);
  note.textContent = trainMaps === 'current' ? t('ledger.note.mapShown', { step })
    : trainMaps === 'stream' ? t('ledger.note.stream', { step })
      : t('ledger.note.pool', { step, maps: formatNumber(trainMaps) });
  fillRows(table, ledgerRows(ledger, temperature));
}

/** A loss for reading: 4 decimals, or 2 significant digits when smaller than 0.001 (never "-0.0000"). */
export function formatLoss(loss) {
  if (!Number.isFinite(loss)) return '–';
  const magnitude = Math.abs(loss);
  // A distillation loss (KL, cross-entropy, MSE) is never below 0: a value a hair under it (f32
  // rounding in a sum of terms near 1e-2, e.g. −3.7e-9) reads as 0, not as a negative loss.
  if (magnitude < 5e-13 || (loss < 0 && loss > -1e-6)) return '0';
  return magnitude < 1e-3 ? loss.toExponential(1) : fixed(loss, 4);
}

export function showStats(element, report) {
  const loss = report.step > 0 ? formatLoss(report.loss) : '–';
  setText(element, t('run.stats', { step: report.step, loss, agreement: `${(100 * report.agreement).toFixed(1)}%` }));
}

export function showPipeline(counts) {
  setText(document.getElementById('pipe-labelled'), formatNumber(counts.labelled));
  setText(document.getElementById('pipe-logged'), formatNumber(counts.logged));
  setText(document.getElementById('pipe-held'), formatNumber(counts.held));
  setText(document.getElementById('pipe-consumed'), formatNumber(counts.consumed));
}
