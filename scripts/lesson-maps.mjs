// Where each claim holds, from docs/results/maps/ID.txt (`bash scripts/maps.sh`: a line per point,
// then one JSON line with every point's judgement and per-seed rows): the compact form the page
// draws (www/measured-lessons.json's `maps`) and the table of docs/lessons.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const folder = `${root}docs/results/maps`;

/** Every committed map's JSON line, by lesson id. */
export function mapResults() {
  if (!existsSync(folder)) return {};
  const results = {};
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.txt')).sort()) {
    const lines = readFileSync(`${folder}/${name}`, 'utf8').trim().split('\n');
    const json = lines.reverse().find((line) => line.startsWith('{'));
    if (!json) throw new Error(`docs/results/maps/${name} has no JSON line`);
    const map = JSON.parse(json);
    results[map.lesson] = map;
  }
  return results;
}

/** A value as the catalogue writes it, typed (`400` → 400, `random` stays a string). */
const typed = (text) => (text !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
/** A point's settings as an object of typed values (`labelBudget=400` → {labelBudget: 400}). */
const settingsOf = (pairs) => Object.fromEntries(pairs.map((pair) => {
  const [field, text] = pair.split(/=(.*)/s);
  return [field, typed(text)];
}));

/** The page's form of every map: its axes, and for each point its settings, verdict, each part's
 * effect and interval, each arm's per-seed success (values typed, as the points' settings are) (for a live re-measure to set beside). */
export function lessonMaps() {
  return Object.fromEntries(Object.entries(mapResults()).map(([id, map]) => {
    const { run, axes } = map.spec;
    return [id, {
      command: `distill map --only ${id} --seeds ${run.seeds} --maps ${run.maps}`,
      source: `docs/results/maps/${id}.txt`,
      seeds: Array.from({ length: run.seeds }, (_, i) => run.firstSeed + i),
      evaluationMaps: run.maps,
      steps: run.steps,
      axes: axes.map(({ field, values }) => ({ field, values: values.map(typed) })),
      points: map.points.map((point) => ({
        set: settingsOf(point.set),
        own: point.own,
        verdict: point.judgement.verdict,
        decidingPart: point.judgement.decidingPart,
        parts: point.judgement.parts.map((p) => ({ verdict: p.verdict, mean: p.effect.mean, ci95: p.effect.ci95, n: p.effect.n })),
        stopped: point.judgement.stopped.length,
        teacher: point.teacher,
        arms: point.arms.map(({ arm }) => ({
          arm,
          perSeed: point.rows.filter((r) => r.arm === arm).sort((a, b) => a.seed - b.seed).map((r) => r.studentSuccess),
        })),
      })),
    }];
  }));
}

const MARK = { reproduced: '✓', 'not-reproduced': '✗', inconclusive: '?' };

/** The table of docs/lessons.md: per lesson, its axes and every point's effect [interval] and verdict. */
export function mapsTable() {
  const maps = mapResults();
  const rows = [
    'Where each claim holds (`bash scripts/maps.sh` → `docs/results/maps/ID.txt`; `distill map --only ID --seeds 10 --maps 1000`, the axes fixed in the catalogue before the run): ' +
      'every point is a whole paired run of the arms the lesson\'s rule names, with the point\'s settings over the arms\' own, on seeds 1–10 and the lessons\' evaluation maps. ' +
      'Each cell: the effect of each part of the rule, mean [95% interval], and ✓ reproduced, ✗ not reproduced, ? not settled; **bold**: the lesson\'s own set-up.',
    '',
    '| lesson | varied | points: effect [95% interval] verdict |',
    '|---|---|---|',
  ];
  for (const [id, map] of Object.entries(maps)) {
    const cells = map.points.map((point) => {
      const effects = point.judgement.parts.map((p) => `${p.effect.mean.toFixed(3)} [${p.effect.ci95[0].toFixed(3)}, ${p.effect.ci95[1].toFixed(3)}] ${MARK[p.verdict]}`).join('; ');
      const name = `\`${point.set.join(', ')}\``;
      return point.own ? `**${name}: ${effects}**` : `${name}: ${effects}`;
    });
    rows.push(`| ${id} | ${map.spec.axes.map((a) => `\`${a.field}\``).join(' × ')} | ${cells.join('<br>')} |`);
  }
  return rows.join('\n');
}
