// Writes the generated tables of the README and docs/ (lessons, performance) from the committed
// results in docs/results/, so no figure in them is typed by hand. `node scripts/readme-tables.mjs`
// rewrites each table between its markers; `--check` (run by `npm test`) fails if a document differs
// from what the results give.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { lessonMaps, mapResults, mapsTable } from './lesson-maps.mjs';

const root = new URL('..', import.meta.url).pathname;

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

/** A judgement's parts as table cells: each part's measure, and its effect [interval] and verdict
 * (a lesson of several parts is reproduced when every part is). */
function partsCells(lesson, judgement) {
  const format = lesson.rule.kind === 'retains' ? percent : (v) => v.toFixed(3);
  const several = judgement.parts.length > 1;
  const label = (i) => (several ? `(${i + 1}) ` : '');
  const measures = judgement.parts.map((p, i) => `${label(i)}${p.measure}`).join('<br>');
  const effects = judgement.parts.map((p, i) => `${label(i)}${format(p.effect.mean)} ${interval(p.effect.ci95, format)}${several ? ` ${VERDICT[p.verdict]}` : ''}`).join('<br>');
  const stopped = judgement.stopped.length
    ? `<br>left out (stopped by the divergence guard): ${judgement.stopped.map((x) => `${x.arm}, seed ${x.seed}, step ${x.step}`).join('; ')}` : '';
  return { measures, effects: effects + stopped };
}

/** The lesson table: one row per lesson, its arms' success, the rule's parts and the verdict. */
function lessonsTable() {
  const results = resultsJson('lessons');
  const all = results.lessons.filter((l) => l.lesson.evaluation === 'held-out').flatMap((l) => l.rows);
  const teacher = all.reduce((sum, r) => sum + r.teacherSuccess, 0) / all.length;
  const rows = [
    `Measured by \`distill lessons --seeds ${results.seeds} --maps ${results.evaluationMaps} --json\` (\`docs/results/lessons.txt\`, every seed's row kept): ` +
      `${results.seeds} seeds, ${results.evaluationMaps.toLocaleString('en-US')} evaluation maps per seed that no training pool, quality gate or selection used, ` +
      'one greedy episode from each map\'s start (no slip), unless the lesson says otherwise (the compounding lesson measures on its own 16 training maps from their starts, 50 episodes each, slip 0.2; ' +
      'the RL lesson on its own training map from every cell, 4 episodes each, slip 0.1; the teacher always acts greedily, as the students do). ' +
      'Paired design: every arm of a seed shares its maps and episodes, and each part\'s effect is the mean over seeds of a per-seed difference. ' +
      'Intervals are 95% Student-t intervals of the mean over seeds, clipped to the range the measure can take. ' +
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
    const { measures, effects } = partsCells(lesson, judgement);
    rows.push(`| ${lesson.title} | ${lesson.claim} (${lesson.reference}) | ${arms} | ${measures} | ${effects} | ${VERDICT[judgement.verdict]} |`);
  }
  return rows.join('\n');
}

/** The regimes tried (docs/results/lesson-regimes.txt: a `== distill lessons …` line, a table, a
 * JSON line per run): one row per run with what it changed and what it measured. */
function regimesTable() {
  const lines = readFileSync(`${root}docs/results/lesson-regimes.txt`, 'utf8').split('\n');
  const rows = [
    'Regimes tried (`bash scripts/explore-lessons.sh` → `docs/results/lesson-regimes.txt`; seeds 1001–1003, which the results above never use, 300 evaluation maps each; a search, not a result):',
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
    const { effects } = partsCells(lesson, judgement);
    rows.push(`| ${lesson.id} | ${changed} | ${arms} | ${effects} | ${VERDICT[judgement.verdict]} |`);
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

/** How long each lesson takes in the page at `scale` (docs/results/lesson-SCALE-times.json, written by
 * `node scripts/lesson-times.mjs --scale SCALE`): the page's scale, or the command line's (then with
 * the largest per-seed difference from the committed figures). */
/** How long each lesson took to its verdict in Chromium at `scale`, for the page's scale choice. */
function lessonSeconds(scale) {
  const times = JSON.parse(readFileSync(`${root}docs/results/lesson-${scale}-times.json`, 'utf8'));
  return { date: times.date, cores: times.machine.cores, limitSeconds: times.limitSeconds, seconds: Object.fromEntries(times.lessons.map((r) => [r.lesson, r.seconds])) };
}

function lessonTimesTable(scale) {
  const times = JSON.parse(readFileSync(`${root}docs/results/lesson-${scale}-times.json`, 'utf8'));
  const full = scale === 'full';
  const within = times.lessons.filter((r) => r.withinLimit).length;
  const rows = [
    `${times.machine.browser}, ${times.machine.cores} cores (${times.machine.cpu}), ${times.date}; limit ${times.limitSeconds} s: ${within} of ${times.lessons.length} lessons within it.`,
    '',
    `| lesson | seconds | arms | seeds | steps per arm | evaluation maps | verdict in the page |${full ? ' largest per-seed difference from the command line |' : ''}`,
    `|---|---|---|---|---|---|---|${full ? '---|' : ''}`,
  ];
  // Where each lesson measures (held-out maps, or its own training map) is in its definition.
  const evaluation = new Map(resultsJson('lessons').lessons.map(({ lesson }) => [lesson.id, lesson.evaluation]));
  for (const r of times.lessons) {
    const where = { 'held-out': String(r.evaluationMaps), 'training-map': 'its training map, every cell', 'training-starts': 'its training maps, from their starts' };
    const maps = where[evaluation.get(r.lesson)] ?? String(r.evaluationMaps);
    const gap = full ? ` ${r.largestGap == null ? '—' : r.largestGap.toFixed(3)} |` : '';
    rows.push(`| ${r.lesson} | ${r.seconds.toFixed(1)} | ${r.arms} | ${r.pageSeeds} | ${r.stepsPerArm.toLocaleString('en-US')} | ${maps} | ${r.verdict} |${gap}`);
  }
  return rows.join('\n');
}

/** The performance tables, from `npm run bench`'s raw result (docs/results/bench-latest.json,
 * written by scripts/bench.mjs). */
function benchResults() {
  return JSON.parse(readFileSync(`${root}docs/results/bench-latest.json`, 'utf8'));
}
const whole = (v) => Math.round(v).toLocaleString('en-US');
const times = (v, digits = 1) => `${v.toFixed(digits)}×`;

/** Each goal with its floor and the measured figure (the goal list is scripts/bench.mjs's). */
function performanceTable() {
  const r = benchResults();
  const loads = r.load.map((l) => `${l.part} ${l.load[0].toFixed(2)}`).join(', ');
  const figure = ({ key, measured }) => {
    if (key.endsWith('peak_ratio')) return `${(100 * measured).toFixed(1)}%`;
    if (key === 'job_ratio_to_tfjs') return times(measured);
    if (key.endsWith('_ratio_to_yardstick')) return measured.toFixed(2);
    if (key.endsWith('_speedup')) return times(measured, 2);
    return Number.isInteger(measured) ? whole(measured) : String(measured);
  };
  const rows = [
    `Measured by \`npm run bench\` on ${r.date}: ${r.machine}; ${r.browsers.chromium_binary ?? r.browsers.chromium}, ${r.browsers.firefox_binary ?? r.browsers.firefox} (\`docs/results/bench-latest.json\`). ` +
      `The machine is shared: its 1-minute load average as each part began was ${loads}. ` +
      `Each rate is the median of three timed stretches or runs; the ratio to the yardstick is the median of three rounds, each timing both sides back to back; the ratio to the peak divides the fastest of three rounds' step by the highest of their peak readings (each side at its least disturbed); the ratios to TF.js divide the two medians.`,
    '',
    '| goal | floor | measured | met |',
    '|---|---|---|---|',
  ];
  for (const g of r.goals) rows.push(`| ${g.goal} (\`${g.key}\`) | ${g.floor} | ${figure(g)} | ${g.met ? 'yes' : '**no**'} |`);
  return rows.join('\n');
}

/** What each comparison computes and what it measured. */
function performanceWorkTable() {
  const r = benchResults();
  const mads = (v) => `${whole(v)} multiply-adds`;
  const job = r.job;
  const rows = [
    '| comparison | the work, per step | ours | theirs | ratio |',
    '|---|---|---|---|---|',
    `| fused step on dense inputs vs the dense simd128 yardstick (Chromium; median of 3 rounds) | 245 → 64 → 5, batch 64, ${mads(r.dense_multiply_adds_per_step)}, Adam over every weight; the same dense pool in the same order | ${whole(r.dense_fused_steps_per_s)} steps/s | ${whole(r.dense_yardstick_steps_per_s)} steps/s | ${r.dense_ratio_to_yardstick.toFixed(2)} |`,
    `| the same in Firefox | the same | ${whole(r.firefox_dense_fused_steps_per_s)} steps/s | ${whole(r.firefox_dense_yardstick_steps_per_s)} steps/s | ${r.firefox_dense_ratio_to_yardstick.toFixed(2)} |`,
    `| fused step on dense inputs vs TF.js ${r.tfjs_version}, wasm backend (${r.tfjs_wasm_build}, one thread; median of 3 runs) | the same, on the very numbers the wasm hands over | ${whole(r.dense_fused_steps_per_s)} steps/s | ${whole(r.tfjs_wasm_dense_steps_per_s)} steps/s (cpu backend ${whole(r.tfjs_cpu_dense_steps_per_s)}) | ${times(r.dense_ratio_to_tfjs_wasm)} |`,
    `| the same training job, real (sparse) step vs TF.js wasm backend: time to ${(100 * job.target).toFixed(0)}% agreement (median of 3 runs each) | ${whole(job.states)} states of ${job.maps} maps labelled by the teacher, 245 → ${job.hidden} → 5, batch ${job.batch}, Adam at ${Number(job.lr.toPrecision(6))}, the same initial weights and batches; TF.js multiplies every input, the sparse step only the non-zero ones | ${whole(r.job_wasm.train_ms)} ms, ${whole(r.job_wasm.steps)} steps (agreement ${r.job_wasm.agreement.toFixed(3)}) | ${whole(r.job_tfjs.train_ms)} ms, ${whole(r.job_tfjs.steps)} steps (agreement ${r.job_tfjs.agreement.toFixed(3)}) | ${times(r.job_ratio_to_tfjs)} |`,
    `| useful work of the real (sparse) step vs this machine's simd128 peak (Chromium; the fastest of 3 rounds' step against the highest of their peaks) | four-rooms observations, ${r.nonzero_inputs_per_sample.toFixed(1)} non-zero inputs per sample: ${mads(r.sparse_multiply_adds_per_step)} | ${whole(r.sparse_steps_per_s)} steps/s = ${(r.useful_multiply_adds_per_s / 1e9).toFixed(2)} G multiply-adds/s | peak ${(r.peak_multiply_adds_per_s / 1e9).toFixed(2)} G multiply-adds/s (${r.peak_kernel}); Firefox ${(r.firefox_useful_multiply_adds_per_s / 1e9).toFixed(2)} of ${(r.firefox_peak_multiply_adds_per_s / 1e9).toFixed(2)} | ${(100 * r.peak_ratio).toFixed(1)}% (Firefox ${(100 * r.firefox_peak_ratio).toFixed(1)}%) |`,
    ...(r.cohort_peak_ratio == null ? [] : [`| useful work of the lessons' batched step vs the same peak (Chromium; the fastest of 3 rounds) | widths ${r.cohort_widths.join(', ')} as one network (their first layers side by side, each its own heads), the same batch: ${mads(r.cohort_multiply_adds_per_step)} | ${whole(r.cohort_steps_per_s)} steps/s = ${(r.cohort_steps_per_s * r.cohort_multiply_adds_per_step / 1e9).toFixed(2)} G multiply-adds/s | peak ${(r.peak_multiply_adds_per_s / 1e9).toFixed(2)} G multiply-adds/s | ${(100 * r.cohort_peak_ratio).toFixed(1)}% |`]),
    `| teacher labelling (Chromium) | ${whole(r.labelling_states_per_pass)} states of ${r.labelling_maps} random maps, each map one batch | ${whole(r.labelling_states_per_s)} states/s (Firefox ${whole(r.firefox_labelling_states_per_s)}) | — | — |`,
  ];
  return rows.join('\n');
}

/** Where the sparse step's time goes in Chromium (the peak ratio's fastest round), part by part. */
function performanceStepPartsTable() {
  const r = benchResults();
  const p = r.step_parts_us;
  // The reference workload is 245 → 64 → 5 at batch 64 (`workload`); nnz: non-zero inputs per sample.
  const [hidden, batch, nnz] = [64, 64, r.nonzero_inputs_per_sample];
  const parts = [
    ['inputs', "marks each input's samples as bits, with their values (from the non-zero inputs each sample brings listed from its map)", '—', 0, p.index_us],
    ['forward', "the first layer (the non-zero inputs' rows) and the policy head", 'nnz·H + 5·H', nnz * hidden + 5 * hidden, p.forward_us],
    ['loss', 'the loss and its gradient for the logits (an `exp` per logit, an `ln` per sample)', '—', 0, p.loss_us],
    ['backward, heads', "the hidden units' gradient, the policy head's and the first layer's bias's gradients", '10·H', 10 * hidden, p.backward_us],
    ['backward, first layer', "the first layer's weight gradient (each input's samples)", 'nnz·H', nnz * hidden, p.first_layer_us],
    ['Adam', 'updates every weight that has had a gradient (a division and a square root each)', '—', 0, p.adam_us],
  ];
  const total = parts.reduce((sum, part) => sum + part[4], 0);
  const rate = (perSample, us) => (perSample === 0 ? '—' : `${(100 * (batch * perSample) / (us * 1e-6) / r.peak_multiply_adds_per_s).toFixed(0)}%`);
  const rows = [
    `Each part of the reference step timed alone in Chromium (ten calls per clock reading), in the round whose step was fastest (\`step_parts_us\`): together ${total.toFixed(1)} µs, against ${(1e6 / r.sparse_steps_per_s).toFixed(1)} µs for the whole step in the same round. ` +
      `A part's counted multiply-adds per second against the peak is its own share of the peak. The fastest streaming kernel of the peak measurement (one operand loaded per multiply-add, as in every loop of the step), at its best round, reached ${(100 * r.stream_peak_ratio).toFixed(1)}% of the peak (\`stream_peak_ratio\`).`,
    '',
    '| part | what it does | counted multiply-adds per sample | µs | share of the step | its counted work / peak |',
    '|---|---|---|---|---|---|',
    ...parts.map(([part, what, counted, perSample, us]) => `| ${part} | ${what} | ${counted} | ${us.toFixed(1)} | ${(100 * us / total).toFixed(0)}% | ${rate(perSample, us)} |`),
  ];
  return rows.join('\n');
}

/** Steps per second of the fused student in Chromium, batch × width (the bench's scaling table). */
function performanceScalingTable() {
  const { batches, widths, steps_per_s: rates } = benchResults().scaling_wasm;
  const rows = [`| batch | ${widths.join(' | ')} |`, `|---|${'---|'.repeat(widths.length)}`];
  batches.forEach((batch, i) => rows.push(`| ${whole(batch)} | ${rates[i].map(whole).join(' | ')} |`));
  return rows.join('\n');
}

/** Every bench run kept in docs/results/ (bench-latest.json and each bench-*.json kept beside it),
 * oldest first: the load it began under and the figures that move most from run to run. */
function performanceRunsTable() {
  const files = readdirSync(`${root}docs/results`).filter((f) => /^bench-.*\.json$/.test(f));
  const runs = files.map((file) => ({ file, r: JSON.parse(readFileSync(`${root}docs/results/${file}`, 'utf8')) }))
    .map(({ file, r }) => ({ file, r, start: r.load.find((l) => l.part === 'start') }))
    .sort((a, b) => a.start.at.localeCompare(b.start.at));
  const rows = [
    '| file | began (UTC) | processor (family, model) | 1-min load then | sparse step (µs) | simd128 peak (G multiply-adds/s) | peak ratio | first trained frame (ms) | goals missed |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { file, r, start } of runs) {
    const cpu = r.cpu ? `${r.cpu.family}, ${r.cpu.model}` : 'not recorded';
    const missed = r.goals.filter((g) => !g.met).map((g) => `\`${g.key}\``).join(', ') || 'none';
    rows.push(`| \`${file}\` | ${start.at.slice(0, 16).replace('T', ' ')} | ${cpu} | ${start.load[0].toFixed(2)} | ${(1e6 / r.sparse_steps_per_s).toFixed(1)} | ` +
      `${(r.peak_multiply_adds_per_s / 1e9).toFixed(2)} (${r.peak_kernel}) | ${percent(r.peak_ratio)} | ${whole(r.first_frame_ms)} | ${missed} |`);
  }
  return rows.join('\n');
}

const TABLES = {
  'lesson-times': () => lessonTimesTable('page'), 'lesson-full-times': () => lessonTimesTable('full'),
  lessons: lessonsTable, 'lesson-maps': mapsTable, 'lesson-regimes': regimesTable, losses: lossesTable, data: dataTable, plan: planTable,
  finetune: finetuneTable, compression: compressionTable,
  performance: performanceTable, 'performance-work': performanceWorkTable, 'performance-step-parts': performanceStepPartsTable, 'performance-scaling': performanceScalingTable,
  'performance-runs': performanceRunsTable,
};

// The documents the tables live in (each table's markers in exactly one of them).
const DOCUMENTS = ['README.md', 'docs/lessons.md', 'docs/performance.md', 'docs/reference.md'];
const texts = Object.fromEntries(DOCUMENTS.map((name) => [name, readFileSync(`${root}${name}`, 'utf8')]));
const written = { ...texts };
for (const [name, make] of Object.entries(TABLES)) {
  const begin = `<!-- ${name}:begin (generated by scripts/readme-tables.mjs from docs/results/) -->`;
  const end = `<!-- ${name}:end -->`;
  const homes = DOCUMENTS.filter((doc) => written[doc].includes(begin));
  if (homes.length !== 1) throw new Error(`the ${name} table's markers are in ${homes.length} documents (${homes.join(', ') || 'none'}): it needs exactly one`);
  const doc = homes[0];
  const from = written[doc].indexOf(begin);
  const to = written[doc].indexOf(end);
  if (to < from) throw new Error(`${doc}: the ${name} table has no end marker`);
  written[doc] = `${written[doc].slice(0, from + begin.length)}\n${make()}\n${written[doc].slice(to)}`;
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
    mean: judgement.effect.mean, ci95: judgement.effect.ci95, decidingPart: judgement.decidingPart,
    parts: judgement.parts.map((p) => ({ verdict: p.verdict, measure: p.measure, mean: p.effect.mean, ci95: p.effect.ci95, n: p.effect.n })),
    stopped: judgement.stopped,
  }])),
  maps: lessonMaps(),
  times: { page: lessonSeconds('page'), full: lessonSeconds('full') },
}, null, 1)}\n`;

/** Every map's point at its lesson's own set-up must repeat the lesson's committed rows (the same
 * seeds, maps and code): a map left stale by a change to training fails here. */
function staleMaps() {
  const committed = new Map(lessonResults.lessons.map(({ lesson, rows }) => [lesson.id, rows]));
  const stale = [];
  for (const [id, map] of Object.entries(mapResults())) {
    const own = map.points.find((point) => point.own);
    const rows = committed.get(id) ?? [];
    const same = (r) => rows.some((c) => c.arm === r.arm && c.seed === r.seed && JSON.stringify(c) === JSON.stringify(r));
    if (own && !own.rows.every(same)) stale.push(id);
  }
  return stale;
}

if (process.argv.includes('--check')) {
  const staleMapIds = staleMaps();
  if (staleMapIds.length) {
    console.error(`docs/results/maps/: the own point of ${staleMapIds.join(', ')} differs from docs/results/lessons.txt: run bash scripts/maps.sh ${staleMapIds.join(' ')}`);
    process.exit(1);
  }
  if (!existsSync(measuredPath) || readFileSync(measuredPath, 'utf8') !== measured) {
    console.error('www/measured-lessons.json differs from docs/results/lessons.txt: run node scripts/readme-tables.mjs');
    process.exit(1);
  }
  const stale = DOCUMENTS.filter((doc) => written[doc] !== texts[doc]);
  if (stale.length) {
    console.error(`${stale.join(', ')}: the generated tables differ from docs/results/: run node scripts/readme-tables.mjs`);
    process.exit(1);
  }
  console.log('the generated tables of README.md and docs/ match docs/results/');
} else {
  for (const doc of DOCUMENTS) writeFileSync(`${root}${doc}`, written[doc]);
  writeFileSync(measuredPath, measured);
  console.log('the tables of README.md and docs/, and www/measured-lessons.json: rewritten from docs/results/');
}
