// Writes the README's generated tables from the committed results in docs/results/, so no figure in
// them is typed by hand. `node scripts/readme-tables.mjs` rewrites each table between its markers;
// `--check` (run by `npm test`) fails if the README differs from what the results give.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const readmePath = `${root}README.md`;

/** The JSON line of a results file (scripts/results.sh writes a readable table, then one JSON line). */
function resultsJson(name) {
  const lines = readFileSync(`${root}docs/results/${name}.txt`, 'utf8').trim().split('\n');
  const json = lines.reverse().find((line) => line.startsWith('{'));
  if (!json) throw new Error(`docs/results/${name}.txt has no JSON line`);
  return JSON.parse(json);
}

const percent = (v) => `${(100 * v).toFixed(1)}%`;
const interval = ([low, high], format) => `[${format(low)}, ${format(high)}]`;
const VERDICT = { reproduced: 'reproduced', 'not-reproduced': '**not reproduced**', inconclusive: 'inconclusive' };

/** The lesson table: one row per lesson, its arms' held-out success, the rule's effect and verdict. */
function lessonsTable() {
  const results = resultsJson('lessons');
  const all = results.lessons.filter((l) => l.lesson.evaluation === 'held-out').flatMap((l) => l.rows);
  const teacher = all.reduce((sum, r) => sum + r.teacherSuccess, 0) / all.length;
  const rows = [
    `Measured by \`distill lessons --seeds ${results.seeds} --maps ${results.evaluationMaps} --json\` (\`docs/results/lessons.txt\`, every seed's row kept): ` +
      `${results.seeds} seeds, ${results.evaluationMaps.toLocaleString('en-US')} evaluation maps per seed that no training pool, quality gate or selection used, ` +
      `one greedy episode from each map's start (no slip) unless the lesson says otherwise (the RL lesson measures on its own training map, from every cell, 4 episodes each, slip 0.1). ` +
      `Intervals are 95% t-intervals over seeds. ` +
      `The bundled teacher's success on the held-out maps: ${teacher.toFixed(3)} (the reference for "retained").`,
    '',
    '| lesson | claim | arms: student success (mean over seeds) | measure | effect [95% interval] | verdict |',
    '|---|---|---|---|---|---|',
  ];
  for (const { lesson, judgement, rows: perSeed } of results.lessons) {
    const arms = lesson.arms.map((arm) => {
      const of = perSeed.filter((r) => r.arm === arm.label);
      const mean = of.reduce((sum, r) => sum + r.studentSuccess, 0) / of.length;
      const compute = of[0].computeUsed;
      return `${arm.label}: ${mean.toFixed(3)}${lesson.rule.kind === 'retains' ? ` (${percent(compute)} compute)` : ''}`;
    }).join('; ');
    const format = lesson.rule.kind === 'retains' ? percent : (v) => v.toFixed(3);
    rows.push(`| ${lesson.title} | ${lesson.claim} (${lesson.reference}) | ${arms} | ${judgement.measure} | ` +
      `${format(judgement.effect.mean)} ${interval(judgement.effect.ci95, format)} | ${VERDICT[judgement.verdict]} |`);
  }
  return rows.join('\n');
}

/** The regimes tried (docs/results/lesson-regimes.txt: a `== distill lessons …` line, a table, a
 * JSON line per run): one row per run with what it changed and what it measured. */
function regimesTable() {
  const lines = readFileSync(`${root}docs/results/lesson-regimes.txt`, 'utf8').split('\n');
  const rows = [
    'Regimes tried (`bash scripts/explore-lessons.sh` → `docs/results/lesson-regimes.txt`; seeds 1001–1003, which the results above never use, 300 evaluation maps each):',
    '',
    '| lesson | settings changed from the lesson | arms: success (mean of 3 seeds) | effect [95% interval] | verdict |',
    '|---|---|---|---|---|',
  ];
  let command = null;
  for (const line of lines) {
    if (line.startsWith('== distill lessons')) command = line;
    if (!line.startsWith('{') || !command) continue;
    const { lessons: [{ lesson, judgement, rows: perSeed }] } = JSON.parse(line);
    const changed = [...command.matchAll(/--set (\S+)/g)].map((m) => `\`${m[1]}\``).join(', ') || 'none (as committed)';
    const arms = lesson.arms.map((arm) => {
      const of = perSeed.filter((r) => r.arm === arm.label);
      return `${arm.label}: ${(of.reduce((sum, r) => sum + r.studentSuccess, 0) / of.length).toFixed(3)}`;
    }).join('; ');
    const format = lesson.rule.kind === 'retains' ? percent : (v) => v.toFixed(3);
    rows.push(`| ${lesson.id} | ${changed} | ${arms} | ${format(judgement.effect.mean)} ${interval(judgement.effect.ci95, format)} | ${VERDICT[judgement.verdict]} |`);
    command = null;
  }
  return rows.join('\n');
}

const pm = (summary, digits = 3) => `${summary.mean.toFixed(digits)} ± ${summary.sd.toFixed(digits)}`;

/** A scenario's table from `distill compare … --json`: one row per arm, the columns named, and the
 * comment on each arm against the literature (written for the measured values; re-read them when
 * the results change). */
function compareTable(name, columns, comments) {
  const results = resultsJson(name);
  const rows = [`| ${columns.map((c) => c.title).join(' | ')} | against the literature |`, `|${'---|'.repeat(columns.length + 1)}`];
  for (const row of results.rows) {
    if (!(row.label in comments)) throw new Error(`docs/results/${name}.txt has an arm the README does not comment on: ${row.label}`);
    const [label, comment] = comments[row.label];
    rows.push(`| ${[label, ...columns.slice(1).map((c) => c.value(row))].join(' | ')} | ${comment} |`);
  }
  return rows.join('\n');
}

const LOSS_COMMENTS = {
  'loss=hard': ['`hard`', 'matches only the argmax: its KL to the teacher is several times the soft losses\''],
  'loss=kl': ['`kl`', 'the closest match of the whole distribution among the losses that are not symmetric'],
  'loss=reverse_kl': ['`reverse_kl`', 'the mode-seeking direction (Agarwal et al. 2024 discuss both)'],
  'loss=jsd': ['`jsd` (β = 0.5)', 'Agarwal et al. 2024 report it at least as good as forward KL'],
  'loss=mse': ['`mse`', 'Rusu et al. 2016 found MSE on logits worse than KL'],
};

function lossesTable() {
  return compareTable('losses', [
    { title: 'loss' },
    { title: 'held-out success', value: (r) => pm(r.studentHeldoutSuccess) },
    { title: 'success on four-rooms', value: (r) => pm(r.studentSuccess) },
    { title: 'agreement', value: (r) => pm(r.agreement) },
    { title: 'mean KL(p_T ‖ p_S)', value: (r) => pm(r.meanKl) },
  ], LOSS_COMMENTS);
}

function dataTable() {
  return compareTable('data', [
    { title: 'data' },
    { title: 'success from every cell', value: (r) => `${pm(r.studentSuccess)} (teacher ${r.teacherSuccess.mean.toFixed(3)})` },
    { title: 'agreement', value: (r) => pm(r.agreement) },
  ], {
    'data=uniform': ['`uniform` (every reachable state)', 'on one small map, uniform states cover everything, so it is the ceiling'],
    'data=teacher': ['`teacher` (behaviour cloning)', 'compounding error, as Ross et al. 2011 describe'],
    'data=student': ['`student` (DAgger)', '**disagrees**: DAgger did not beat behaviour cloning here; the student\'s rollouts start from the start cell, so (like the teacher\'s) they never visit most of the maze, and success is measured from every cell (the `compounding` lesson sets DAgger up as Ross et al. did)'],
  });
}

function planTable() {
  return compareTable('plan', [
    { title: 'plan head' },
    { title: 'held-out success', value: (r) => pm(r.studentHeldoutSuccess) },
    { title: 'success on four-rooms', value: (r) => pm(r.studentSuccess) },
    { title: 'agreement', value: (r) => pm(r.agreement) },
  ], {
    'plan head off': ['off', ''],
    'plan head on (λ = 1)': ['on (λ_plan = 1)', 'Hsieh et al. 2023 report a gain from the rationale; compare the two rows (the `plan` lesson judges it with 10 seeds)'],
  });
}

function finetuneTable() {
  return compareTable('finetune', [
    { title: 'arm' },
    { title: 'student success', value: (r) => pm(r.studentSuccess) },
    { title: 'teacher success (noisy)', value: (r) => r.teacherSuccess.mean.toFixed(3) },
    { title: 'mean KL to the clean teacher', value: (r) => pm(r.meanKl) },
  ], {
    'distill only': ['distill only', 'the student already beats its noisy teacher: `hard` labels take the teacher\'s argmax, which is the noise-free move, so the noise averages out'],
    'distill, then RL': ['distill, then RL', 'nothing left to gain on this map; the kickstarting term pulls towards the noisy teacher actually used, (1 − ε)·p_T + ε/5, so the KL to the clean teacher falls'],
  });
}

/** The compression sweep (`distill sweep --json`): one row per width. */
function compressionTable() {
  const results = resultsJson('compression');
  const rows = [
    `\`distill sweep --seeds ${results.seeds}\` (\`docs/results/compression.txt\`): students of widths 4–128 trained for ${results.steps.toLocaleString('en-US')} steps with \`${results.loss}\` at τ = ${results.temperature} ` +
      `across 64 of the teacher's random maps, then measured on the ledger's held-out maps (200 per seed, one greedy episode from each start). ` +
      `The bundled teacher (${results.rows[0].teacherParams.toLocaleString('en-US')} parameters, as many multiply-adds per decision) succeeds on ${percent(results.rows[0].teacherHeldoutSuccess)} of them (mean over the seeds).`,
    '',
    '| width | parameters | compute used (multiply-adds, % of the teacher) | held-out success | ability retained [95% interval over seeds] |',
    '|---|---|---|---|---|',
  ];
  for (const r of results.rows) {
    rows.push(`| ${r.hidden} | ${r.studentParams.toLocaleString('en-US')} | ${(100 * r.computeUsed).toFixed(2)}% | ${r.studentHeldoutSuccess.toFixed(3)} | ` +
      `${percent(r.retainedSummary.mean)} ${interval(r.retainedSummary.ci95, percent)} |`);
  }
  return rows.join('\n');
}

/** How long each lesson takes in the page (docs/results/lesson-page-times.json, scripts/lesson-times.mjs). */
function lessonTimesTable() {
  const times = JSON.parse(readFileSync(`${root}docs/results/lesson-page-times.json`, 'utf8'));
  const rows = [
    `${times.machine.browser}, ${times.machine.cores} cores (${times.machine.cpu}), ${times.date}; limit ${times.limitSeconds} s.`,
    '',
    '| lesson | seconds | arms | seeds | steps per arm | evaluation maps | verdict in the page |',
    '|---|---|---|---|---|---|---|',
  ];
  // Where each lesson measures (held-out maps, or its own training map) is in its definition.
  const evaluation = new Map(resultsJson('lessons').lessons.map(({ lesson }) => [lesson.id, lesson.evaluation]));
  for (const r of times.lessons) {
    const maps = evaluation.get(r.lesson) === 'held-out' ? String(r.evaluationMaps) : 'its training map, every cell';
    rows.push(`| ${r.lesson} | ${r.seconds.toFixed(1)} | ${r.arms} | ${r.pageSeeds} | ${r.stepsPerArm.toLocaleString('en-US')} | ${maps} | ${r.verdict} |`);
  }
  return rows.join('\n');
}

const TABLES = {
  'lesson-times': lessonTimesTable,
  lessons: lessonsTable, 'lesson-regimes': regimesTable, losses: lossesTable, data: dataTable, plan: planTable,
  finetune: finetuneTable, compression: compressionTable,
};

let readme = readFileSync(readmePath, 'utf8');
for (const [name, make] of Object.entries(TABLES)) {
  const begin = `<!-- ${name}:begin (generated by scripts/readme-tables.mjs from docs/results/) -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${name} markers`);
  readme = `${readme.slice(0, from + begin.length)}\n${make()}\n${readme.slice(to)}`;
}
// The page shows each scenario's measured verdict beside its text: the same results, as a file the
// page can fetch (www/measured-lessons.json), written and checked here with the README.
const measuredPath = `${root}www/measured-lessons.json`;
const lessonResults = resultsJson('lessons');
const measured = `${JSON.stringify({
  command: `distill lessons --seeds ${lessonResults.seeds} --maps ${lessonResults.evaluationMaps} --json`,
  source: 'docs/results/lessons.txt',
  seeds: lessonResults.seeds,
  evaluationMaps: lessonResults.evaluationMaps,
  lessons: Object.fromEntries(lessonResults.lessons.map(({ lesson, judgement }) => [lesson.id, {
    verdict: judgement.verdict, measure: judgement.measure, percent: lesson.rule.kind === 'retains',
    mean: judgement.effect.mean, ci95: judgement.effect.ci95,
  }])),
}, null, 2)}\n`;

if (process.argv.includes('--check')) {
  if (!existsSync(measuredPath) || readFileSync(measuredPath, 'utf8') !== measured) {
    console.error('www/measured-lessons.json differs from docs/results/lessons.txt: run node scripts/readme-tables.mjs');
    process.exit(1);
  }
  if (readme !== readFileSync(readmePath, 'utf8')) {
    console.error('README.md\'s generated tables differ from docs/results/: run node scripts/readme-tables.mjs');
    process.exit(1);
  }
  console.log('README.md\'s generated tables match docs/results/');
} else {
  writeFileSync(readmePath, readme);
  writeFileSync(measuredPath, measured);
  console.log('README.md and www/measured-lessons.json: rewritten from docs/results/');
}
