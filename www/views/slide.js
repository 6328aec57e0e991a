// Slide-ready images: a canvas (a chart, the grid) framed with a title, a legend and a line of the
// settings it was made with, on a white background at twice the size, so a PNG pasted into slides
// says what it shows without the page around it.
import { formatNumber, t } from '../i18n.js';

const SCALE = 2;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
/** Han, kana, CJK punctuation and full-width forms: text that breaks between characters, not at spaces. */
const CJK = '\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef';
/** The pieces a line may break between: a run of spaces, one CJK character (with the closing
 * punctuation that may not start a line), or a word of other text. */
const PIECES = new RegExp(`\\s+|[${CJK}][、。，．：；！？）」』】〕〉》”’]*|[^\\s${CJK}]+`, 'gu');

/** `source`: the canvas; `title`; `legend`: [{label, colour}] (may be empty); `note`: a line under
 * the legend (e.g. what the arrows mean); `settings`: the settings line. Resolves to a PNG Blob. */
export function slidePng({ source, title, legend = [], note = '', settings }) {
  const pad = 16;
  const width = Math.max(source.width, 480) + 2 * pad;
  const measure = document.createElement('canvas').getContext('2d');
  /** `text` in lines no wider than the image, in `font`: broken at spaces, and between the
   * characters of Chinese (which has none). */
  const wrap = (text, font) => {
    measure.font = font;
    const lines = [];
    let space = false;
    for (const piece of text.match(PIECES) ?? []) {
      if (/^\s/.test(piece)) { space = true; continue; }
      const last = lines[lines.length - 1];
      const joined = last === undefined ? undefined : `${last}${space ? ' ' : ''}${piece}`;
      if (joined !== undefined && measure.measureText(joined).width <= width - 2 * pad) lines[lines.length - 1] = joined;
      else lines.push(piece);
      space = false;
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
  const maps = config.trainMaps === 'current' ? t('slide.maps.current')
    : config.trainMaps === 'stream' ? t('slide.maps.stream') : t('slide.maps.count', { count: config.trainMaps });
  // The settings' values as a link writes them (map=four-rooms, loss=kl, …), so they can be typed back.
  return t('slide.settings', {
    map: config.map, teacher: config.teacher, loss: config.loss, temperature: config.temperature, hidden: config.hidden,
    lr: config.lr, data: config.data, maps, seed: config.seed, step: formatNumber(step),
  });
}
