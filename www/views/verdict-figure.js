// A lesson's verdict as a figure: on one axis, the rule's threshold (dashed), the published figure
// (diamond) where it is in the same unit, and a row per measurement — the command line's committed
// run (10 seeds × 1,000 maps) and, once run, this page's — each its 95% interval (bar) and mean (dot),
// coloured by its verdict. The axis spans all of them and its ticks are round numbers drawn where
// their labels say.
import { t } from '../i18n.js';

/** The colour of a verdict (Okabe–Ito: green, vermilion, orange). */
const VERDICT_COLOURS = { reproduced: '#009e73', 'not-reproduced': '#d55e00', inconclusive: '#e69f00' };

/** Round tick values across [low, high]: the widest step of 1, 2 or 5 × 10^k that still gives at
 * least `least` ticks. */
export function niceTicks(low, high, least = 4) {
  if (!(high > low)) return [low];
  const power = 10 ** Math.floor(Math.log10((high - low) / least));
  const ticksOf = (step) => {
    const ticks = [];
    for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k += 1) ticks.push(Number((k * step).toPrecision(12)));
    return ticks;
  };
  const steps = [1, 2, 5, 10].map((m) => m * power);
  const widest = steps.filter((step) => ticksOf(step).length >= least).at(-1) ?? steps[0];
  return ticksOf(widest).map((v) => (Object.is(v, -0) ? 0 : v));
}

/**
 * Draws on `canvas`: `threshold`, `published` (or null), and `rows`: [{label, verdict, mean, ci95,
 * clip?}] (the committed run first, then this page's; `clip`: its interval may be cut at the axis). `format` writes a value as the lesson does.
 * `offscreen` ({cssWidth, ratio, px}) draws a canvas not on the page (an export) at that size.
 */
export function drawVerdictFigure(canvas, { threshold, published, rows }, format, offscreen = null) {
  canvas.hidden = rows.length === 0;
  if (!rows.length) return;
  // On the page: as wide as its column at the screen's pixels; `offscreen` ({cssWidth, ratio, px}): an export's.
  const ratio = offscreen?.ratio ?? Math.min(window.devicePixelRatio || 1, 3);
  if (!offscreen) canvas.style.width = '100%'; // its pixels follow its column (the width attribute never sets it)
  const cssWidth = offscreen?.cssWidth ?? Math.round(canvas.clientWidth || 520);
  // Type as large as the view's (it grows with the screen on a slide), never under 13 px.
  const px = offscreen?.px ?? Math.max(13, Math.round(0.8 * parseFloat(getComputedStyle(canvas).fontSize || '16')));
  const rowHeight = 3 * px;
  const top = 2.3 * px;
  const axisY = top + rows.length * rowHeight;
  const cssHeight = axisY + 3.5 * px;
  canvas.width = cssWidth * ratio;
  canvas.height = cssHeight * ratio;
  if (!offscreen) canvas.style.height = `${cssHeight}px`;
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, cssWidth, cssHeight);
  const colour = (!offscreen && getComputedStyle(canvas).color) || '#222';
  // The axis spans the threshold, the published figure, every mean and the intervals of rows not
  // marked `clip` (a 2-seed preview's interval can be wide enough to make the 10-seed one a dot:
  // it is cut at the axis's ends, with an arrowhead where it goes on).
  const values = [threshold, ...rows.flatMap((r) => (r.clip ? [r.mean] : [r.mean, r.ci95[0], r.ci95[1]]))];
  if (published != null) values.push(published);
  const spread = Math.max(...values) - Math.min(...values);
  const pad = Math.max(spread * 0.08, 0.01);
  const low = Math.min(...values) - pad;
  const high = Math.max(...values) + pad;
  const left = 16;
  const right = cssWidth - 16;
  const x = (v) => left + ((v - low) / (high - low)) * (right - left);
  context.font = `${px}px system-ui, sans-serif`;
  context.fillStyle = colour;
  context.strokeStyle = colour;
  context.lineWidth = 1;
  context.textAlign = 'center';
  context.beginPath();
  context.moveTo(left, axisY);
  context.lineTo(right, axisY);
  for (const tick of niceTicks(low, high)) {
    context.moveTo(x(tick), axisY);
    context.lineTo(x(tick), axisY + 5);
  }
  context.stroke();
  for (const tick of niceTicks(low, high)) {
    // A label near either end is kept whole inside the figure.
    const half = context.measureText(format(tick)).width / 2;
    context.fillText(format(tick), Math.min(Math.max(x(tick), half + 2), cssWidth - half - 2), axisY + 1.4 * px);
  }
  // The threshold, labelled at its top.
  context.setLineDash([4, 3]);
  context.beginPath();
  context.moveTo(x(threshold), top - 8);
  context.lineTo(x(threshold), axisY);
  context.stroke();
  context.setLineDash([]);
  context.textAlign = x(threshold) > cssWidth / 2 ? 'right' : 'left';
  context.fillText(t('lessons.figure.threshold', { value: format(threshold) }), x(threshold) + (context.textAlign === 'left' ? 4 : -4), top - 12);
  rows.forEach((row, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const hue = VERDICT_COLOURS[row.verdict] ?? colour;
    context.strokeStyle = hue;
    context.fillStyle = hue;
    context.lineWidth = 4;
    const [from, to] = [Math.max(row.ci95[0], low), Math.min(row.ci95[1], high)];
    context.beginPath();
    context.moveTo(x(from), y);
    context.lineTo(x(to), y);
    context.stroke();
    for (const [end, cut, way] of [[from, row.ci95[0] < low, -1], [to, row.ci95[1] > high, 1]]) {
      if (!cut) continue;
      context.beginPath();
      context.moveTo(x(end) + way * 8, y);
      context.lineTo(x(end), y - 6);
      context.lineTo(x(end), y + 6);
      context.closePath();
      context.fill();
    }
    context.beginPath();
    context.arc(x(row.mean), y, 6, 0, 2 * Math.PI);
    context.fill();
    // The row's name and mean above its bar, from the bar's start, kept inside the figure.
    const text = `${row.label}: ${format(row.mean)}`;
    context.textAlign = 'left';
    context.fillText(text, Math.max(left, Math.min(x(from), right - context.measureText(text).width)), y - 8);
  });
  if (published != null) {
    const dx = x(published);
    const py = axisY - 8;
    context.fillStyle = colour;
    context.beginPath();
    context.moveTo(dx, py - 8);
    context.lineTo(dx + 7, py);
    context.lineTo(dx, py + 8);
    context.lineTo(dx - 7, py);
    context.closePath();
    context.fill();
    context.textAlign = 'center';
    context.fillText(t('lessons.figure.published', { value: format(published) }), Math.min(Math.max(dx, 80), cssWidth - 80), axisY + 2.8 * px);
  }
  context.textAlign = 'left';
}
