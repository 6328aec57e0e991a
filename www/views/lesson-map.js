// "Where this holds here": a lesson's map (www/measured-lessons.json's `maps`, generated from
// docs/results/maps/ID.txt by scripts/readme-tables.mjs) drawn as a table of its points — one axis
// across, the other down — each point a button showing its verdict (mark and colour) and effect.
// Choosing a point says its figures and offers to measure it live (lessons.js runs it). Text goes in
// with textContent only.
import { fixed } from './panels.js';
import { formatNumber, has, setMarkedText, t } from '../i18n.js';

const MARK = { reproduced: '✓', 'not-reproduced': '✗', inconclusive: '?' };

/** A setting's short name for the map (`lessons.map.field.F`), else the field itself. */
const fieldName = (field) => (has(`lessons.map.field.${field}`) ? t(`lessons.map.field.${field}`) : field);
/** A point's value of `field` in words (a label budget of 0 is "no limit"). */
function valueText(field, value) {
  if (field === 'labelBudget' && value === 0) return t('lessons.map.noLimit');
  return typeof value === 'number' ? formatNumber(value) : String(value);
}
/** A point's settings in words: "labels 2,000, slip 0.2". */
export const pointText = (point) => Object.entries(point.set).map(([field, value]) => `${fieldName(field)} ${valueText(field, value)}`).join(t('common.listSeparator'));

/** A part's effect as text: mean [low, high]. */
const effectText = (part, format) => `${format(part.mean)} [${format(part.ci95[0])}, ${format(part.ci95[1])}]`;

/** The map's summary in one sentence: at how many points the claim is reproduced, not, or unsettled,
 * and where it holds (the generated part of a lesson's explanation). */
export function mapSummary(map) {
  const count = (verdict) => map.points.filter((p) => p.verdict === verdict).length;
  const holds = map.points.filter((p) => p.verdict === 'reproduced').map(pointText);
  const sentence = t('lessons.map.summary', { points: map.points.length, reproduced: count('reproduced'), notReproduced: count('not-reproduced'), inconclusive: count('inconclusive') });
  return holds.length ? `${sentence} ${t('lessons.map.holdsAt', { where: holds.join(t('lessons.map.pointSeparator')) })}` : `${sentence} ${t('lessons.map.holdsNowhere')}`;
}

/** Draws `map` of `lesson` into `elements` ({table, caption, summary, detail, measure}); `format` formats an
 * effect; `describePart(i)` names part i of the rule, `nameArm(label)` an arm. Choosing a point shows its figures in
 * `detail` and enables `measure`; `selected()` is the chosen point (null before a choice). */
export function drawLessonMap(elements, map, { format, describePart, nameArm }) {
  const { table, caption, summary, detail, measure } = elements;
  let chosen = null;
  table.replaceChildren();
  caption.textContent = '';
  detail.textContent = '';
  measure.hidden = true;
  if (!map) {
    summary.textContent = t('lessons.map.none');
    return { selected: () => null };
  }
  setMarkedText(summary, `${mapSummary(map)} ${t('lessons.map.source', { command: map.command, seeds: map.seeds.length, maps: formatNumber(map.evaluationMaps) })}`);
  const [rowsAxis, columnsAxis] = map.axes.length > 1 ? map.axes : [null, map.axes[0]];
  caption.textContent = rowsAxis ? t('lessons.map.caption2', { rows: fieldName(rowsAxis.field), columns: fieldName(columnsAxis.field) }) : t('lessons.map.caption1', { columns: fieldName(columnsAxis.field) });
  const head = table.createTHead().insertRow();
  head.appendChild(document.createElement('th')).textContent = rowsAxis ? `${fieldName(rowsAxis.field)} ↓ · ${fieldName(columnsAxis.field)} →` : fieldName(columnsAxis.field);
  for (const value of columnsAxis.values) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = valueText(columnsAxis.field, value);
    head.appendChild(th);
  }
  const body = table.createTBody();
  const buttons = [];
  for (const rowValue of rowsAxis ? rowsAxis.values : [null]) {
    const line = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = rowsAxis ? valueText(rowsAxis.field, rowValue) : t('lessons.map.effect');
    line.appendChild(th);
    for (const columnValue of columnsAxis.values) {
      const point = map.points.find((p) => p.set[columnsAxis.field] === columnValue && (!rowsAxis || p.set[rowsAxis.field] === rowValue));
      const cell = line.insertCell();
      if (!point) continue;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'map-point';
      button.dataset.verdict = point.verdict;
      if (point.own) button.dataset.own = '';
      const deciding = point.parts[point.decidingPart] ?? point.parts[0];
      button.textContent = `${MARK[point.verdict]} ${format(deciding.mean)}`;
      button.setAttribute('aria-pressed', 'false');
      button.title = `${pointText(point)}: ${t(`lessons.verdict.${point.verdict}`)}`;
      button.addEventListener('click', () => {
        chosen = point;
        for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
        const parts = point.parts.map((part, i) => `${point.parts.length > 1 ? `(${i + 1}) ` : ''}${describePart(i)}: ${effectText(part, format)} ${t(`lessons.verdict.${part.verdict}`)}`);
        const arms = point.arms.map((arm) => `${nameArm(arm.arm)}: ${fixed(arm.perSeed.reduce((s, v) => s + v, 0) / arm.perSeed.length, 3)}`);
        detail.textContent = [
          t('lessons.map.pointHeading', { point: pointText(point), verdict: t(`lessons.verdict.${point.verdict}`) }) + (point.own ? ` ${t('lessons.map.own')}` : ''),
          `${parts.join('; ')}.`,
          t('lessons.map.arms', { arms: arms.join(t('common.listSeparator')), teacher: fixed(point.teacher, 3) }),
        ].join(' ');
        measure.hidden = false;
      });
      buttons.push(button);
      cell.appendChild(button);
    }
  }
  return { selected: () => chosen };
}
