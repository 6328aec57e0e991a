// The Lessons view (#lessons): pick a lesson, read its claim, say what you expect, run it on the
// background workers (sweep-pool.js) at the page's scale, and see each arm's result and the verdict
// that the lesson's own rule computes (the same Rust code as `distill lessons`), beside the
// published figure. Text goes in with textContent only.
import { fixed } from './views/panels.js';
import uPlot from './vendor/uPlot.esm.js';
import { lessonAtPoint, lessonCohorts, lessonVerdict, lessons } from './playground.js';
import { drawLessonMap, mapSummary, pointText } from './views/lesson-map.js';
import { runSweep } from './sweep-pool.js';
import { errorText, formatNumber, has, t } from './i18n.js';
import { testHooks } from './app/test-hooks.js';

/** Okabe–Ito colours (distinguishable with colour-blindness), one per arm. */
const ARM_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];
/** The quick look: a preview of each arm's shape in a few seconds (2 seeds), not the measurement. */
const QUICK = { steps: 500, maps: 50, seeds: 2 };

/** A verdict ('reproduced', 'not-reproduced', 'inconclusive') in the page's language. */
export const verdictWord = (verdict) => t(`lessons.verdict.${verdict}`);
/** Arm `label` of `lesson` as the page names it (rows name an arm by its English label). */
export function armName(lesson, label) {
  const index = lesson.arms.findIndex((arm) => arm.label === label);
  return index < 0 ? label : t(`lesson.${lesson.id}.arm.${index}`);
}
/** The arm with id `id` (as the lesson's rule names it) as the page names it. */
const armNameById = (lesson, id) => armName(lesson, lesson.arms.find((arm) => arm.id === id)?.label ?? id);
/** What part `part` of the lesson's rule measures, in words (the core's `measure`, in the page's
 * language); by default the part the verdict rests on, or the first. */
export function measureText(lesson, part = 0) {
  const rule = lesson.rule;
  const name = (id) => armNameById(lesson, id);
  if (rule.kind === 'retains') return t('lessons.measure.retains', { arm: name(rule.arm), compute: fixed(100 * rule.max_compute, 0) });
  const contrast = rule.parts[part] ?? rule.parts[0];
  const terms = contrast.weights.map(([arm, w]) => `${w > 0 ? '+' : '−'}${name(arm)}`);
  if (contrast.teacher) terms.push(`${contrast.teacher > 0 ? '+' : '−'}${t('lessons.measure.teacher')}`);
  return t('lessons.measure.beats', { terms: terms.join(' ') });
}
/** A part's figures for a template: its mean, interval, seeds and threshold (a part judged in the
 * page carries them in `effect`; the command line's, in www/measured-lessons.json, flat). */
function figures(part, format) {
  const effect = part.effect ?? part;
  return { mean: format(effect.mean), low: format(effect.ci95[0]), high: format(effect.ci95[1]), n: effect.n, threshold: format(part.threshold ?? 0) };
}

/** A verdict in sentences: a rule of one part in one sentence (`single(part)`); of several, a short
 * headline (`headline(count)`) and then each part with its own verdict and interval. */
function verdictSentences(lesson, verdict, parts, format, single, headline) {
  if (parts.length === 1) return [single(parts[0])];
  return [headline(parts.length), ...parts.map((part, i) => t('lessons.partLine', { part: i + 1, verdict: verdictWord(part.verdict), measure: measureText(lesson, i), ...figures(part, format) }))];
}

/** The catalogue's verdicts measured on the command line (www/measured-lessons.json, generated from
 * docs/results/lessons.txt by scripts/readme-tables.mjs), fetched once; null where it is missing. */
let measuredLessons = null;
export async function measuredVerdicts() {
  measuredLessons ??= fetch(new URL('./measured-lessons.json', import.meta.url)).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  return measuredLessons;
}

/** The command line's verdict of `lesson` (every seed, every evaluation map) in words, with each
 * part's effect when the rule has several; '' when it is not at hand. */
export function measuredText(lesson, measured) {
  const result = measured?.lessons?.[lesson.id];
  if (!result) return '';
  const format = (v) => (result.percent ? percent(v) : fixed(v, 3));
  const where = { seeds: measured.seeds, maps: formatNumber(measured.evaluationMaps) };
  const sentences = verdictSentences(lesson, result.verdict, result.parts, format,
    (part) => t('lessons.measured', { ...where, verdict: verdictWord(result.verdict), measure: measureText(lesson, result.decidingPart), ...figures(part, format) }),
    (count) => t('lessons.measuredParts', { ...where, verdict: verdictWord(result.verdict), count }));
  // A verdict that is not "reproduced" is explained: the paper's set-up against this one, what else
  // was tried, and the measured reason (the catalogue's lesson.ID.explanation).
  const explanation = `lesson.${lesson.id}.explanation`;
  if (result.verdict !== 'reproduced' && has(explanation)) sentences.push(`${t('lessons.explanationHeading')} ${t(explanation)}`);
  // What was tried: the lesson's map, in one generated sentence (drawn below the verdict).
  const map = measured?.maps?.[lesson.id];
  if (result.verdict !== 'reproduced' && map) sentences.push(t('lessons.map.tried', { summary: mapSummary(map) }));
  return sentences.join(' ');
}

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
const percent = (v) => `${fixed(100 * v, 1)}%`;
/** How a lesson's effect is written: a share retained as a percentage, a difference of success rates to 3 places. */
const effectFormat = (lesson) => (lesson.rule.kind === 'retains' ? percent : (v) => fixed(v, 3));

/** The page's lesson catalogue; `elements` are the view's controls and outputs (see index.html);
 * `catalogue`: the lessons, if the page has them already (building them in the wasm takes a while). */
export function initLessons(elements, { onRun = () => {}, onDone = () => {}, catalogue = lessons() } = {}) {
  const { select, claim, experiment, published, measured, run, progress, status, table, verdict, prediction, quick, pageScale, full, pageTime, fullTime, scaleChoice, curves, figure, map } = elements;
  // Until the lecturer picks a scale, each lesson opens at the command line's scale when that was
  // measured to reach its verdict within the limit (60 s in Chromium on 2 cores), else at the page's.
  let scalePicked = false;
  scaleChoice.addEventListener('change', () => { scalePicked = true; });
  let plot = null;
  let drawnMap = { selected: () => null };
  for (const lesson of catalogue) {
    const option = document.createElement('option');
    option.value = lesson.id;
    option.textContent = t(`lesson.${lesson.id}.title`);
    select.appendChild(option);
  }
  const chosen = () => catalogue.find((l) => l.id === select.value);
  const show = () => {
    const lesson = chosen();
    const text = (part) => t(`lesson.${lesson.id}.${part}`);
    // The reference is a citation: its title stays as published, in a <cite> of its own.
    const cite = document.createElement('cite');
    cite.textContent = text('reference');
    claim.replaceChildren(text('claim'), t('lessons.citationSeparator'), cite);
    experiment.textContent = t('lessons.experiment', { experiment: text('experiment'), seeds: lesson.pageSeeds, maps: formatNumber(lesson.pageMaps),
      steps: formatNumber(lesson.pageSteps), cliSteps: formatNumber(lesson.steps) });
    published.textContent = lesson.published ? t('lessons.published', { published: text('published') }) : '';
    measured.textContent = '';
    drawnMap = drawLessonMap(map, null, {});
    measuredVerdicts().then((results) => {
      if (chosen() !== lesson) return;
      measured.textContent = measuredText(lesson, results);
      showScaleTimes(lesson, results?.times);
      drawnMap = drawLessonMap(map, results?.maps?.[lesson.id] ?? null, { format: effectFormat(lesson), describePart: (i) => measureText(lesson, i), nameArm: (label) => armName(lesson, label) });
    });
    table.tBodies[0].replaceChildren();
    verdict.textContent = '';
    delete verdict.dataset.verdict;
    status.textContent = '';
    figure.hidden = true;
    if (plot) plot.destroy();
    plot = null;
  };
  /** Beside each scale, how long the lesson took there when measured (docs/results/lesson-*-times.json);
   * and the default scale, if the lecturer has not picked one. */
  const showScaleTimes = (lesson, times) => {
    const seconds = (scale) => times?.[scale]?.seconds?.[lesson.id];
    const label = (scale) => (seconds(scale) == null ? '' : t('lessons.scale.time', { seconds: Math.round(seconds(scale)), cores: times[scale].cores }));
    pageTime.textContent = label('page');
    fullTime.textContent = label('full');
    if (scalePicked || scaleChoice.disabled) return;
    const fast = seconds('full') != null && seconds('full') <= times.full.limitSeconds;
    (fast ? full : pageScale).checked = true;
  };
  select.addEventListener('change', show);
  show();
  /** For tests: the number of arms of lesson `id`. */
  if (testHooks) testHooks.lessonArms = (id) => catalogue.find((l) => l.id === id)?.arms.length;

  /** Runs the lesson (or `point` of its map, at the map's full scale, set beside its committed
   * per-seed figures) on the background workers and shows the arms, curves and verdict. */
  const measure = async ({ point = null } = {}) => {
    const lesson = chosen();
    const expected = point ? null : prediction.querySelector('input:checked')?.value ?? null;
    const quickLook = !point && quick.checked;
    const fullScale = !point && full.checked;
    let ran;
    try {
      ran = point ? lessonAtPoint(lesson.id, point.set) : lesson;
    } catch (error) {
      status.textContent = t('lessons.stopped', { reason: errorText(error) });
      return;
    }
    // A map point, or the lesson at the command line's scale: the committed run's seeds and maps,
    // compared seed by seed with its committed figures (the map's point at the lesson's own set-up).
    const committed = point || fullScale ? await measuredVerdicts() : null;
    const mapResults = committed?.maps?.[lesson.id] ?? null;
    if ((point || fullScale) && !mapResults) {
      status.textContent = t('lessons.stopped', { reason: t('lessons.noCommitted') });
      return;
    }
    const comparedPoint = point ?? (fullScale ? mapResults.points.find((p) => p.own) ?? null : null);
    const seeds = point || fullScale ? mapResults.seeds : Array.from({ length: quickLook ? QUICK.seeds : lesson.pageSeeds }, (_, i) => i + 1);
    const scale = point || fullScale ? { steps: fullScale ? lesson.steps : mapResults.steps ?? lesson.steps, maps: mapResults.evaluationMaps }
      : quickLook ? QUICK : { steps: lesson.pageSteps, maps: lesson.pageMaps };
    // One job per seed and group of arms that train together (`lessonCohorts`: arms that differ only
    // in width train as one network, the batch drawn once). Widest (slowest) jobs first, so both
    // cores finish together; one seed's jobs share its pool (the job's `pool` key: a worker keeps to
    // one seed, so each seed's maps are labelled once).
    const width = (arm) => ran.arms[arm].settings.hidden ?? ran.base.hidden ?? 32;
    const groups = lessonCohorts(lesson.id, point?.set);
    const jobs = seeds.flatMap((seed) => groups.map((arms) => ({ lesson: lesson.id, arms, seed, maps: scale.maps, steps: scale.steps,
      width: arms.reduce((sum, arm) => sum + width(arm), 0), pool: seed, mapPoint: point?.set })))
      .sort((a, b) => a.seed - b.seed || b.width - a.width);
    onRun(); // the page pauses its own training: the lesson's workers get the cores
    run.disabled = true;
    map.measure.disabled = true;
    select.disabled = true;
    scaleChoice.disabled = true;
    progress.hidden = false;
    progress.max = jobs.length;
    progress.value = 0;
    verdict.textContent = '';
    delete verdict.dataset.verdict;
    figure.hidden = true;
    table.tBodies[0].replaceChildren();
    const rows = [];
    /** points[arm][seed] = [{step, success}] as the workers report them. */
    const points = ran.arms.map(() => new Map());
    const started = performance.now();
    const showRows = () => {
      table.tBodies[0].replaceChildren();
      for (const arm of ran.arms) {
        const of = rows.filter((r) => r.arm === arm.label);
        if (!of.length) continue;
        const line = table.tBodies[0].insertRow();
        for (const value of [armName(lesson, arm.label), mean(of.map((r) => r.studentSuccess)).toFixed(3), percent(mean(of.map((r) => r.retained ?? 0))),
          percent(of[0].computeUsed), formatNumber(Math.round(mean(of.map((r) => r.labelled)))), t('lessons.seedsOf', { done: of.length, all: seeds.length })]) line.insertCell().textContent = value;
      }
    };
    let drawnThisRun = false;
    let drawQueued = false;
    const drawCurves = () => {
      const steps = [...new Set(points.flatMap((bySeed) => [...bySeed.values()].flatMap((list) => list.map((p) => p.step))))].sort((a, b) => a - b);
      const series = points.map((bySeed) => steps.map((step) => {
        const at = [...bySeed.values()].map((list) => list.find((p) => p.step === step)).filter(Boolean);
        return at.length ? mean(at.map((p) => p.success)) : null;
      }));
      const options = {
        width: Math.min(curves.clientWidth || 360, 640),
        height: 220,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        legend: { live: false }, // the arms' names and colours, not "--" values under a cursor
        axes: [{ label: t('lessons.axis.step'), stroke: 'currentColor' }, { label: t('lessons.axis.success'), stroke: 'currentColor' }],
        series: [{}, ...ran.arms.map((arm, i) => ({ label: armName(lesson, arm.label), stroke: ARM_COLOURS[i % ARM_COLOURS.length], width: 2, spanGaps: true }))],
      };
      if (plot && drawnThisRun) {
        plot.setData([steps, ...series]); // the same chart, new points: no rebuild per point
        return;
      }
      if (plot) plot.destroy();
      plot = new uPlot(options, [steps, ...series], curves);
      drawnThisRun = true;
    };
    /** At most one redraw a frame: points arrive from every worker, and the page's thread shares the
     * cores with them. */
    const queueCurves = () => {
      if (drawQueued) return;
      drawQueued = true;
      requestAnimationFrame(() => {
        drawQueued = false;
        drawCurves();
      });
    };
    try {
      await runSweep(jobs, {
        onStart: (job, done) => {
          const counts = { arms: ran.arms.length, seed: job.seed, done, jobs: jobs.length };
          const list = job.arms.map((arm) => arm + 1).join(t('common.listSeparator'));
          if (job.arms.length === 1) status.textContent = t('lessons.running', { arm: job.arms[0] + 1, ...counts });
          else if (job.arms.length === ran.arms.length) status.textContent = t('lessons.runningAll', counts);
          else status.textContent = t('lessons.runningTogether', { list, ...counts });
        },
        onPoint: (job, point) => {
          const bySeed = points[point.arm];
          if (!bySeed.has(job.seed)) bySeed.set(job.seed, []);
          const list = bySeed.get(job.seed);
          if (!list.some((p) => p.step === point.step)) list.push(point);
          queueCurves();
        },
        onRow: (jobRows, done) => {
          rows.push(...jobRows);
          progress.value = done;
          showRows();
        },
      });
      drawCurves(); // every point in, whether or not a frame came since the last one
      const judged = lessonVerdict(lesson.id, rows, point?.set);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      const format = effectFormat(lesson);
      verdict.dataset.verdict = judged.verdict;
      const sentences = [];
      if (quickLook) sentences.push(t('lessons.quickPreview', { steps: QUICK.steps, maps: QUICK.maps }));
      if (point) sentences.push(t('lessons.map.liveHeading', { point: pointText(point), seeds: seeds.length, maps: formatNumber(scale.maps), steps: formatNumber(scale.steps) }));
      if (fullScale) sentences.push(t('lessons.fullHeading', { seeds: seeds.length, maps: formatNumber(scale.maps), steps: formatNumber(scale.steps) }));
      sentences.push(...verdictSentences(lesson, judged.verdict, judged.parts, format,
        (part) => t('lessons.verdictLine', { verdict: verdictWord(judged.verdict), measure: measureText(lesson, judged.decidingPart), ...figures(part, format) }),
        (count) => t('lessons.verdictParts', { verdict: verdictWord(judged.verdict), count })));
      if (judged.stopped.length) {
        const list = judged.stopped.map((s) => t('lessons.stoppedArm', { arm: armName(lesson, s.arm), seed: s.seed, step: formatNumber(s.step) }));
        sentences.push(t('lessons.stoppedArms', { list: list.join(t('common.listSeparator')) }));
      }
      sentences.push(t('lessons.intervalNote'));
      if (expected) {
        const key = expected === judged.verdict ? 'lessons.expectedAsMeasured' : judged.verdict === 'inconclusive' ? 'lessons.expectedUnsettled' : 'lessons.expectedOtherwise';
        sentences.push(t(key, { expected: verdictWord(expected) }));
      }
      const gap = comparedPoint ? largestGap(comparedPoint, rows, seeds) : null;
      if (comparedPoint) sentences.push(t('lessons.map.compared', { gap: fixed(gap, 3), seeds: seeds.length }));
      verdict.textContent = sentences.join(' ');
      verdict.dataset.largestGap = comparedPoint ? String(gap) : '';
      drawFigure(figure, lesson, judged, format);
      status.textContent = t(quickLook ? 'lessons.quickDone' : 'lessons.done', { seconds });
    } catch (error) {
      status.textContent = t('lessons.stopped', { reason: errorText(error) });
    } finally {
      onDone();
      run.disabled = false;
      map.measure.disabled = false;
      select.disabled = false;
      scaleChoice.disabled = false;
      progress.hidden = true;
    }
  };
  run.addEventListener('click', () => measure());
  map.measure.addEventListener('click', () => {
    const point = drawnMap.selected();
    if (point) measure({ point });
  });
}

/** The largest difference, over seeds and arms, between the success measured here and the committed
 * map's figure for the same seed: 0 when the page computes what the command line did (the same code
 * and arithmetic natively and in wasm, crate::math). */
function largestGap(point, rows, seeds) {
  let largest = 0;
  for (const arm of point.arms) {
    seeds.forEach((seed, i) => {
      const row = rows.find((r) => r.arm === arm.arm && r.seed === seed);
      if (row) largest = Math.max(largest, Math.abs(row.studentSuccess - arm.perSeed[i]));
    });
  }
  return largest;
}

/** The verdict as a figure: the measured effect's 95% interval (bar) and mean (dot) against the
 * rule's threshold (dashed), and the published figure (diamond) where it is in the same unit. */
function drawFigure(canvas, lesson, judged, format) {
  canvas.hidden = false;
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  const colour = getComputedStyle(canvas).color || '#222';
  context.clearRect(0, 0, width, height);
  const values = [judged.threshold, judged.effect.ci95[0], judged.effect.ci95[1], judged.effect.mean];
  if (lesson.publishedValue != null) values.push(lesson.publishedValue);
  let low = Math.min(...values);
  let high = Math.max(...values);
  const pad = Math.max((high - low) * 0.15, 0.02);
  low -= pad;
  high += pad;
  const x = (v) => 20 + ((v - low) / (high - low)) * (width - 40);
  const axisY = 70;
  context.font = '13px system-ui, sans-serif';
  context.fillStyle = colour;
  context.strokeStyle = colour;
  context.lineWidth = 1;
  context.beginPath();
  context.moveTo(20, axisY);
  context.lineTo(width - 20, axisY);
  context.stroke();
  for (const tick of [low + pad, (low + high) / 2, high - pad]) {
    context.fillText(format(tick), x(tick) - 14, axisY + 18);
  }
  // The threshold.
  context.setLineDash([4, 3]);
  context.beginPath();
  context.moveTo(x(judged.threshold), 8);
  context.lineTo(x(judged.threshold), axisY);
  context.stroke();
  context.setLineDash([]);
  context.fillText(t('lessons.figure.threshold', { value: format(judged.threshold) }), Math.min(x(judged.threshold) + 4, width - 110), 18);
  // The measured interval and mean.
  const measured = judged.verdict === 'reproduced' ? '#009e73' : judged.verdict === 'not-reproduced' ? '#d55e00' : '#e69f00';
  context.strokeStyle = measured;
  context.fillStyle = measured;
  context.lineWidth = 4;
  context.beginPath();
  context.moveTo(x(judged.effect.ci95[0]), 45);
  context.lineTo(x(judged.effect.ci95[1]), 45);
  context.stroke();
  context.beginPath();
  context.arc(x(judged.effect.mean), 45, 6, 0, 2 * Math.PI);
  context.fill();
  context.fillText(t('lessons.figure.measured', { value: format(judged.effect.mean) }), 20, height - 6);
  if (lesson.publishedValue != null) {
    const px = x(lesson.publishedValue);
    context.fillStyle = colour;
    context.beginPath();
    context.moveTo(px, 30);
    context.lineTo(px + 7, 38);
    context.lineTo(px, 46);
    context.lineTo(px - 7, 38);
    context.closePath();
    context.fill();
    context.fillText(t('lessons.figure.published', { value: format(lesson.publishedValue) }), width / 2, height - 6);
  }
}
