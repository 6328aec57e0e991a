// Slide-ready images: a canvas (a chart, the grid, a lesson's figure) on a 16:9 slide with a title, a
// legend and a line of the settings it was made with, on a white background at twice the pixels, so
// a PNG pasted into slides says what it shows without the page around it.
import { formatNumber, t } from '../i18n.js';

const SCALE = 2;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
/** Han, kana, CJK punctuation and full-width forms: text that breaks between characters, not at spaces. */
const CJK = '\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef';
/** The pieces a line may break between: a run of spaces, one CJK character (with the closing
 * punctuation that may not start a line), or a word of other text. */
const PIECES = new RegExp(`\\s+|[${CJK}][、。，．：；！？）」』】〕〉》”’]*|[^\\s${CJK}]+`, 'gu');

/** A slide's size in CSS pixels (16:9), and how many device pixels each is drawn with. */
export const SLIDE = { width: 1280, height: 720, scale: 2 };

/** `text` in lines no wider than `width` in `font` (measured on `context`): broken at spaces, and
 * between the characters of Chinese (which has none). */
function wrap(context, text, font, width) {
  context.font = font;
  const lines = [];
  let space = false;
  for (const piece of text.match(PIECES) ?? []) {
    if (/^\s/.test(piece)) { space = true; continue; }
    const last = lines[lines.length - 1];
    const joined = last === undefined ? undefined : `${last}${space ? ' ' : ''}${piece}`;
    if (joined !== undefined && context.measureText(joined).width <= width) lines[lines.length - 1] = joined;
    else lines.push(piece);
    space = false;
  }
  return lines;
}

/**
 * A 16:9 slide (SLIDE: 1280×720, drawn at twice the pixels) on a white background: `title` at the
 * top, the `source` canvas as large as fits — on the left with the words beside it when it is about
 * square (the grid), across the slide with the words under it when it is wide (a chart) — and the
 * `legend` ([{label, colour}]), a `note` (e.g. what the arrows mean) and the `settings` line, so a
 * PNG pasted into slides says what it shows. Draw `source` at about the size it takes here times
 * SLIDE.scale for a crisp image. Resolves to a PNG Blob.
 */
export function slidePng({ source, title, legend = [], note = '', settings }) {
  const { width, height, scale } = SLIDE;
  const pad = 36;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d');
  context.scale(scale, scale);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.textBaseline = 'top';
  const titleFont = `600 30px ${FONT}`;
  const titleLines = wrap(context, title, titleFont, width - 2 * pad).slice(0, 2);
  context.fillStyle = '#111111';
  context.font = titleFont;
  titleLines.forEach((line, i) => context.fillText(line, pad, pad + i * 38));
  const top = pad + titleLines.length * 38 + 14;
  const aspect = source.width / source.height;
  const beside = aspect < 1.4;
  // The words' column: beside a squarish image, or under a wide one.
  const wordsWidth = beside ? width - 2 * pad - Math.min(height - top - pad, (width - 2 * pad) * 0.55) - 32 : width - 2 * pad;
  const noteFont = `19px ${FONT}`;
  const settingsFont = `15px ${FONT}`;
  const noteLines = note ? wrap(context, note, noteFont, wordsWidth) : [];
  const settingsLines = wrap(context, settings, settingsFont, wordsWidth);
  const legendRows = beside ? legend.length : legend.length ? 1 : 0;
  const wordsHeight = legendRows * 30 + (legendRows ? 10 : 0) + noteLines.length * 26 + (noteLines.length ? 10 : 0) + settingsLines.length * 21;
  // The image, as large as its place allows, its proportions kept.
  const box = beside ? { x: pad, y: top, w: width - 2 * pad - wordsWidth - 32, h: height - top - pad }
    : { x: pad, y: top, w: width - 2 * pad, h: height - top - pad - wordsHeight - 16 };
  const fit = Math.min(box.w / source.width, box.h / source.height);
  const drawn = { w: source.width * fit, h: source.height * fit };
  const imageX = beside ? box.x : box.x + (box.w - drawn.w) / 2;
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, imageX, box.y, drawn.w, drawn.h);
  // The words.
  let x = beside ? imageX + drawn.w + 32 : pad;
  let y = beside ? top : box.y + drawn.h + 16;
  const startX = x;
  context.font = `19px ${FONT}`;
  for (const { label, colour } of legend) {
    context.fillStyle = colour;
    context.fillRect(x, y + 6, 24, 12);
    context.fillStyle = '#111111';
    context.fillText(label, x + 32, y + 2);
    if (beside) y += 30;
    else x += 32 + context.measureText(label).width + 28;
  }
  x = startX;
  if (legend.length) y += (beside ? 0 : 30) + 10;
  for (const [lines, font, colour, lineHeight] of [[noteLines, noteFont, '#333333', 26], [settingsLines, settingsFont, '#555555', 21]]) {
    context.font = font;
    context.fillStyle = colour;
    for (const line of lines) {
      context.fillText(line, x, y);
      y += lineHeight;
    }
    if (lines.length) y += 10;
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
