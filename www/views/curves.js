// Training curves: loss, agreement and held-out success against steps for every student on the
// page, drawn with uPlot on shared axes; exportable as PNG (a chart per file, on a 16:9 slide) and CSV
// (all series).
import uPlot from '../vendor/uPlot.esm.js';
import { slidePng } from './slide.js';
import { t } from '../i18n.js';

const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7'];
/** The charts: each a metric of the points, its title (read when drawn: the catalogue loads after
 * this module) and whether its axis is logarithmic. */
const METRICS = [
  { key: 'loss', label: () => t('curves.loss'), log: true },
  { key: 'agreement', label: () => t('curves.agreement') },
  { key: 'heldout', label: () => t('curves.heldout') },
];

/** A log axis's tick: plain from 0.01 up, powers of ten below. */
export function logTick(value) {
  if (value === null || value === undefined) return '';
  return value >= 0.01 ? String(Number(value.toPrecision(2))) : value.toExponential(0);
}

export class Curves {
  /** `onPick(step)`: a point of a curve was clicked (time travel). */
  constructor(container, { onPick = () => {} } = {}) {
    this.container = container;
    this.onPick = onPick;
    this.series = []; // [{label, points: [{step, loss, agreement, heldout}]}]
    this.plots = new Map();
    /** Each chart's place, made before its chart (see `holderFor`). */
    this.holders = new Map();
    this.dirty = false;
  }

  /** New students: the charts are made again; their places stay, so nothing below them moves. */
  reset(labels) {
    this.series = labels.map((label) => ({ label, points: [] }));
    for (const plot of this.plots.values()) plot.destroy();
    this.plots.clear();
    this.dirty = true;
  }

  /** The place of `metric`'s chart. All three places are made at once, as wide as a chart and as
   * tall as one (`.curve` in style.css), before any chart is drawn in them: the charts are made one
   * per frame, and without the places the panels below would move down by a chart each time, under
   * a reader's pointer. */
  holderFor(metric, width) {
    if (this.holders.size === 0) {
      for (const { key } of METRICS) {
        const holder = document.createElement('div');
        holder.className = 'curve';
        holder.dataset.metric = key;
        this.container.appendChild(holder);
        this.holders.set(key, holder);
      }
    }
    for (const holder of this.holders.values()) holder.style.width = `${width}px`;
    return this.holders.get(metric.key);
  }

  add(index, point) {
    const series = this.series[index];
    if (!series) return;
    const last = series.points[series.points.length - 1];
    if (last && point.step < last.step) series.points.length = 0; // that student was reset
    if (last && point.step === last.step) {
      // No training since (paused): one row per step; a held-out figure measured meanwhile is kept.
      if (point.heldout !== null && point.heldout !== undefined) last.heldout = point.heldout;
    } else {
      series.points.push(point);
    }
    this.dirty = true;
  }

  /** A chart's options: `metric` at `width` × `height` CSS px, its type and lines `scale` times the page's
   * (an export draws at twice the size, so the chart is crisp on a slide). */
  options(metric, width, height, scale = 1) {
    const font = (size, weight = '') => `${weight}${Math.round(size * scale)}px system-ui, sans-serif`;
    const axis = scale === 1 ? { stroke: 'currentColor' }
      : { stroke: '#111111', font: font(12), labelFont: font(12, 'bold '), size: 50 * scale, labelSize: 20 * scale, ticks: { width: scale }, grid: { width: scale } };
    return {
      width, height, title: scale === 1 ? metric.label() : undefined, // an export's title is the slide's
      legend: { show: scale === 1, live: false }, // the students' names and colours, not "--" values under a cursor
      scales: { x: { time: false }, y: metric.log ? { distr: 3 } : { range: [0, 1.02] } },
      // A log axis's ticks in a form that stays distinct (1e-3, 1e-4, … rather than "0.001, 0, 0").
      // An export: room for the last tick's label, and the ticks as far apart as on the page.
      ...(scale === 1 ? {} : { padding: [8 * scale, 24 * scale, 0, 0] }),
      axes: [{ ...axis, ...(scale === 1 ? {} : { space: 50 * scale }), label: t('curves.step') },
        { ...axis, ...(scale === 1 ? {} : { space: 30 * scale }), ...(metric.log ? { values: (u, ticks) => ticks.map(logTick) } : {}) }],
      series: [{ label: t('curves.step') }, ...this.series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % 4], width: 2 * scale, spanGaps: true, ...(scale === 1 ? {} : { points: { size: 5 * scale } }) }))],
    };
  }

  /** A chart's data: the table of its metric; a log axis cannot show 0 or the loss before the first
   * step, so those points are left out of the chart (the CSV keeps the raw values). */
  chartData(metric) {
    const data = this.table(metric.key);
    if (metric.log) for (const column of data.slice(1)) column.forEach((v, i) => { if (!(v > 0)) column[i] = null; });
    return data;
  }

  /** Rows of a table aligned on the union of steps (null where a student has no point). */
  table(metric) {
    const steps = [...new Set(this.series.flatMap((s) => s.points.map((p) => p.step)))].sort((a, b) => a - b);
    const columns = this.series.map((s) => {
      const byStep = new Map(s.points.map((p) => [p.step, p[metric]]));
      return steps.map((step) => (byStep.has(step) ? byStep.get(step) : null));
    });
    return [steps, ...columns];
  }

  /** Draws the charts' newest data. A chart still to be made (at the start, after a reset) is made
   * one per call, so no single frame makes all three (about 100 ms on a two-core machine: the page's
   * first frames, while the worker takes the first step); the others follow on the next calls. */
  draw() {
    if (!this.dirty || this.series.length === 0) return;
    this.dirty = false;
    const width = Math.max(260, Math.min(this.container.clientWidth || 480, 640));
    let made = false;
    for (const metric of METRICS) {
      const data = this.chartData(metric);
      let plot = this.plots.get(metric.key);
      if (!plot || plot.series.length !== this.series.length + 1) {
        if (made) {
          this.dirty = true; // the next call makes it
          continue;
        }
        made = true;
        if (plot) plot.destroy();
        const holder = this.holderFor(metric, width);
        plot = new uPlot(this.options(metric, width, 170), data, holder);
        const chart = plot;
        chart.over.style.cursor = 'pointer';
        chart.over.addEventListener('click', () => {
          if (chart.cursor.left >= 0) this.onPick(Math.round(chart.posToVal(chart.cursor.left, 'x')));
        });
        this.plots.set(metric.key, plot);
      } else {
        plot.setData(data);
      }
    }
  }

  csv() {
    const lines = ['student,step,loss,agreement,heldout_success'];
    for (const s of this.series) {
      for (const p of s.points) {
        lines.push([JSON.stringify(s.label), p.step, Number.isFinite(p.loss) ? p.loss : '', p.agreement, p.heldout ?? ''].join(','));
      }
    }
    return lines.join('\n') + '\n';
  }

  /** The charts an export can make: [{key, label}]. */
  static charts() {
    return METRICS.map((metric) => ({ key: metric.key, label: metric.label() }));
  }

  /** A slide-ready PNG of chart `key` (views/slide.js): the chart drawn again at twice its size for
   * a crisp image, titled, with a legend of the students and `settings` (a line). */
  async png(key, settings) {
    const metric = METRICS.find((m) => m.key === key);
    const holder = document.createElement('div');
    holder.style.cssText = 'position: fixed; left: -10000px; top: 0;';
    document.body.appendChild(holder);
    const chart = new uPlot(this.options(metric, 2 * 600, 2 * 330, 2), this.chartData(metric), holder);
    try {
      await new Promise((resolve) => setTimeout(resolve)); // uPlot draws in a task of its own
      const legend = this.series.map((s, i) => ({ label: s.label, colour: COLOURS[i % 4] }));
      return await slidePng({ source: chart.ctx.canvas, title: t('curves.pngTitle', { metric: metric.label() }), legend, settings });
    } finally {
      chart.destroy();
      holder.remove();
    }
  }
}

export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
