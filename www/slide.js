// Slide-ready images: a canvas (a chart, the grid) framed with a title, a legend and a line of the
// settings it was made with, on a white background at twice the size, so a PNG pasted into slides
// says what it shows without the page around it.

const SCALE = 2;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

/** `source`: the canvas; `title`; `legend`: [{label, colour}] (may be empty); `note`: a line under
 * the legend (e.g. what the arrows mean); `settings`: the settings line. Resolves to a PNG Blob. */
export function slidePng({ source, title, legend = [], note = '', settings }) {
  const pad = 16;
  const width = Math.max(source.width, 480) + 2 * pad;
  const measure = document.createElement('canvas').getContext('2d');
  /** Words of `text` in lines no wider than the image, in `font`. */
  const wrap = (text, font) => {
    measure.font = font;
    const lines = [];
    for (const word of text.split(' ').filter(Boolean)) {
      const last = lines[lines.length - 1];
      if (last !== undefined && measure.measureText(`${last} ${word}`).width <= width - 2 * pad) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    return lines;
  };
  const noteFont = `13px ${FONT}`;
  const settingsFont = `12px ${FONT}`;
  const noteLines = note ? wrap(note, noteFont) : [];
  const settingsLines = wrap(settings, settingsFont);
  const titleHeight = 34;
  const legendHeight = legend.length ? 24 : 0;
  const lineHeight = 18;
  const height = titleHeight + source.height + legendHeight + (noteLines.length + settingsLines.length) * lineHeight + 2 * pad + 4;
  const canvas = document.createElement('canvas');
  canvas.width = width * SCALE;
  canvas.height = height * SCALE;
  const context = canvas.getContext('2d');
  context.scale(SCALE, SCALE);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#111111';
  context.textBaseline = 'middle';
  context.font = `600 18px ${FONT}`;
  context.fillText(title, pad, pad + titleHeight / 2 - 4);
  let y = pad + titleHeight;
  context.drawImage(source, pad, y);
  y += source.height;
  context.font = `13px ${FONT}`;
  let x = pad;
  for (const { label, colour } of legend) {
    context.fillStyle = colour;
    context.fillRect(x, y + legendHeight / 2 - 5, 18, 10);
    context.fillStyle = '#111111';
    context.fillText(label, x + 24, y + legendHeight / 2);
    x += 24 + context.measureText(label).width + 18;
  }
  y += legendHeight + 4;
  for (const [lines, font, colour] of [[noteLines, noteFont, '#333333'], [settingsLines, settingsFont, '#555555']]) {
    context.font = font;
    context.fillStyle = colour;
    for (const line of lines) {
      context.fillText(line, pad, y + lineHeight / 2);
      y += lineHeight;
    }
  }
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

/** The settings line of a config: what a reader of the slide needs to reproduce it. */
export function settingsLine(config, step) {
  const maps = config.trainMaps === 'current' ? 'the map shown' : config.trainMaps === 'stream' ? 'a stream of maps' : `${config.trainMaps} maps`;
  return `distill-playground · map ${config.map} · teacher ${config.teacher} · loss ${config.loss} · τ ${config.temperature} · ` +
    `width ${config.hidden} · lr ${config.lr} · data ${config.data} · trained on ${maps} · seed ${config.seed} · step ${step.toLocaleString('en-US')}`;
}
