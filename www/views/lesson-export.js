// A lesson as one slide-ready PNG (Export the slide, in the Lessons view): its title, the live
// curves of its arms and the verdict figure side by side, drawn again at twice their size so they are
// crisp, then the arms' legend, the verdict in words and the lesson's reference and scale, on a 16:9
// slide (views/slide.js).
import uPlot from '../vendor/uPlot.esm.js';
import { slidePng } from './slide.js';
import { drawVerdictFigure } from './verdict-figure.js';

const SCALE = 2;

/** The curves' chart drawn off screen from `options(scale)` and `data`: its canvas (call `done()` after). */
async function drawnChart({ options, data }) {
  const holder = document.createElement('div');
  holder.style.cssText = 'position: fixed; left: -10000px; top: 0;';
  document.body.appendChild(holder);
  const chart = new uPlot(options(SCALE), data, holder);
  await new Promise((resolve) => setTimeout(resolve)); // uPlot draws in a task of its own
  return { canvas: chart.ctx.canvas, done: () => { chart.destroy(); holder.remove(); } };
}

/**
 * `title`; `curves`: {options(scale), data} of the lesson's chart, or null before a run; `figure`:
 * [contents, format] of the verdict figure (views/verdict-figure.js), or null; `legend`:
 * [{label, colour}] of the arms; `note`: the verdict in words; `settings`: the reference and scale.
 * Resolves to a PNG Blob.
 */
export async function lessonSlidePng({ title, curves, figure, legend, note, settings }) {
  const chart = curves ? await drawnChart(curves) : null;
  try {
    let figureCanvas = null;
    if (figure) {
      figureCanvas = document.createElement('canvas');
      drawVerdictFigure(figureCanvas, figure[0], figure[1], { cssWidth: 560, ratio: SCALE, px: 16 });
    }
    const parts = [chart?.canvas, figureCanvas].filter(Boolean);
    const gap = 40 * SCALE;
    const source = document.createElement('canvas');
    source.width = Math.max(1, parts.reduce((sum, part) => sum + part.width, 0) + gap * (parts.length - 1));
    source.height = Math.max(1, ...parts.map((part) => part.height));
    const context = source.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, source.width, source.height);
    let x = 0;
    for (const part of parts) {
      context.drawImage(part, x, (source.height - part.height) / 2);
      x += part.width + gap;
    }
    return await slidePng({ source, title, legend, note, settings });
  } finally {
    chart?.done();
  }
}
