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
import { drawVerdictFigure } from './views/verdict-figure.js';
import { lessonSlidePng } from './views/lesson-export.js';
import { download } from './views/curves.js';

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
 * part's effect when the rule has several: [{text, kind}] ('verdict', 'why' — the explanation of a
 * verdict that is not "reproduced" — and 'tried', the map's summary); [] when it is not at hand. */
export function measuredSentences(lesson, measured) {
  const result = measured?.lessons?.[lesson.id];
  if (!result) return [];
  const format = (v) => (result.percent ? percent(v) : fixed(v, 3));
  const where = { seeds: measured.seeds, maps: formatNumber(measured.evaluationMaps) };
  const sentences = verdictSentences(lesson, result.verdict, result.parts, format,
    (part) => t('lessons.measured', { ...where, verdict: verdictWord(result.verdict), measure: measureText(lesson, result.decidingPart), ...figures(part, format) }),
    (count) => t('lessons.measuredParts', { ...where, verdict: verdictWord(result.verdict), count })).map((text) => ({ text, kind: 'verdict' }));
  // A verdict that is not "reproduced" is explained: the paper's set-up against this one, what else
  // was tried, and the measured reason (the catalogue's lesson.ID.explanation).
  const explanation = `lesson.${lesson.id}.explanation`;
  if (result.verdict !== 'reproduced' && has(explanation)) sentences.push({ text: `${t('lessons.explanationHeading')} ${t(explanation)}`, kind: 'why' });
  // What was tried: the lesson's map, in one generated sentence (drawn below the verdict).
  const map = measured?.maps?.[lesson.id];
  if (result.verdict !== 'reproduced' && map) sentences.push({ text: t('lessons.map.tried', { summary: mapSummary(map) }), kind: 'tried' });
  return sentences;
}

/** `sentences` ([{text, kind}]) into `element`, each a span of class `kind`, a space between. */
function showSentences(element, sentences) {
  element.replaceChildren(...sentences.flatMap(({ text, kind }, i) => {
    const span = document.createElement('span');
    span.textContent = text;
    if (kind) span.className = kind;
    return i ? [' ', span] : [span];
  }));
}

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
const percent = (v) => `${fixed(100 * v, 1)}%`;
/** How a lesson's effect is written: a share retained as a percentage, a difference of success rates to 3 places. */
const effectFormat = (lesson) => (lesson.rule.kind === 'retains' ? percent : (v) => fixed(v, 3));

/** The rule's threshold: the share retained it asks for, or 0 for a contrast (one arm beats another). */
const thresholdOf = (lesson) => (lesson.rule.kind === 'retains' ? lesson.rule.at_least : 0);
/** The command line's committed verdict of `lesson` as a row of the verdict figure, or null: its
 * part `part` (by default the part its verdict rests on), named when the rule has several. */
function committedRow(lesson, measured, part = null) {
  const result = measured?.lessons?.[lesson.id];
  const at = part ?? result?.decidingPart;
  const judged = result?.parts?.[at];
  if (!judged) return null;
  return { label: partLabel(lesson, at, t('lessons.figure.committed', { seeds: measured.seeds })), verdict: judged.verdict, mean: judged.mean, ci95: judged.ci95, part: at };
}
/** A figure row's `label`, with the part it shows when the rule has several ("…, part 2"). */
const partLabel = (lesson, part, label) => (lesson.rule.kind === 'contrasts' && lesson.rule.parts.length > 1 ? t('lessons.figure.part', { label, part: part + 1 }) : label);

/** The page's lesson catalogue; `elements` are the view's controls and outputs (see index.html);
 * `catalogue`: the lessons, if the page has them already (building them in the wasm takes a while). */
export function initLessons(elements, { onRun = () => {}, onDone = () => {}, catalogue = lessons() } = {}) {
  const { select, claim, experiment, published, measured, run, progress, status, table, verdict, prediction, quick, pageScale, full, pageTime, fullTime, scaleChoice, curves, figure, map, exportButton } = elements;
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
  /** On a slide, makes the curves as tall as the run's column allows: their full height, less what the
   * column then holds beyond the screen (its table grows as rows arrive, and type differs between
   * browsers), so the column never needs its scroll bar and no band is left empty. */
  const fitCurves = () => {
    const column = curves.closest('.lesson-column');
    if (!plot || !document.body.classList.contains('lesson-slide') || !column?.lastElementChild) return;
    // The room under the column's last part (negative: how far it reaches past the column's end).
    const room = column.getBoundingClientRect().bottom - column.lastElementChild.getBoundingClientRect().bottom - 6;
    const height = Math.round(Math.min(curveSize().height, Math.max(120, plot.height + room)));
    if (Math.abs(height - plot.height) > 2) plot.setSize({ width: plot.width, height });
  };
  /** Draws the last run's curves again from scratch (set by each run; nothing before the first). */
  let redrawCurves = () => {};
  /** The last run's chart options (`(size, axis, scale)` → uPlot options) and its arms' legend; null before a run. */
  let curveOptions = null;
  let curveLegend = [];
  /** The last run's scale ({seeds, maps, steps}, as text) for an export's settings line; null before a run. */
  let lastScale = null;
  /** The curves' axis type in an export drawn `scale` times the size. */
  const exportAxis = (scale) => ({ font: `${13 * scale}px system-ui, sans-serif`, labelFont: `bold ${13 * scale}px system-ui, sans-serif`, size: 48 * scale, labelSize: 22 * scale,
    space: 30 * scale, ticks: { width: scale }, grid: { width: scale } });
  /** The curves' axis type at the view's size (larger on a slide, where the view's type grows with the screen). */
  const axisType = () => {
    const px = Math.round(0.8 * parseFloat(getComputedStyle(curves).fontSize || '16'));
    return { font: `${px}px system-ui, sans-serif`, labelFont: `bold ${px}px system-ui, sans-serif`, size: Math.round(3.2 * px), labelSize: Math.round(1.6 * px) };
  };
  /** The learning curves' size: the column's width, and on a slide (body.lesson-slide) at most a third of the screen's height (`fitCurves` keeps it to its column). */
  const curveSize = () => {
    const slide = document.body.classList.contains('lesson-slide');
    return { width: Math.min(curves.clientWidth || 360, slide ? 1200 : 640), height: slide ? Math.max(150, Math.round(innerHeight * 0.34)) : 220 };
  };
  /** The verdict figure's last contents and format (drawn again when the layout changes). */
  let figureDrawn = null;
  const showFigure = (contents, format) => {
    figureDrawn = [contents, format];
    drawVerdictFigure(figure, contents, format);
  };
  /** The verdict figure with the committed run's row, and `live` (this page's judgement) if given. */
  const drawCommitted = (lesson, results, live = null) => {
    // Both rows show the same part: this run's deciding one, else the command line's.
    const rows = [committedRow(lesson, results, live?.part ?? null), live].filter(Boolean);
    showFigure({ threshold: live?.threshold ?? thresholdOf(lesson), published: lesson.publishedValue ?? null, rows }, effectFormat(lesson));
  };
  const show = () => {
    const lesson = chosen();
    const text = (part) => t(`lesson.${lesson.id}.${part}`);
    // The reference is a citation: its title stays as published, in a <cite> of its own.
    const cite = document.createElement('cite');
    cite.textContent = text('reference');
    claim.replaceChildren(text('claim'), t('lessons.citationSeparator'), cite);
    experiment.textContent = t('lessons.experiment', { experiment: text('experiment'), seeds: lesson.pageSeeds, maps: formatNumber(lesson.pageMaps),
      steps: formatNumber(lesson.pageSteps), cliSteps: formatNumber(lesson.steps) });
    // RL arms go on past the distillation steps (scaled with them, as the core's `at_steps` does): their curves run that far.
    const rlSteps = Math.max(0, ...lesson.arms.map((arm) => arm.rlSteps ?? 0));
    if (rlSteps > 0) experiment.textContent += ` ${t('lessons.experimentRl', { steps: formatNumber(Math.round(rlSteps * lesson.pageSteps / lesson.steps)), cliSteps: formatNumber(rlSteps) })}`;
    published.textContent = lesson.published ? t('lessons.published', { published: text('published') }) : '';
    measured.textContent = '';
    drawnMap = drawLessonMap(map, null, {});
    measuredVerdicts().then((results) => {
      if (chosen() !== lesson) return;
      showSentences(measured, measuredSentences(lesson, results));
      drawCommitted(lesson, results);
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
    redrawCurves = () => {}; // another lesson: the last run's curves are not its
    curveOptions = null;
    curveLegend = [];
    lastScale = null;
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
    if (point) figure.hidden = true; // a lesson keeps its committed verdict's figure while it runs
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
    /** The curves' chart at `size`, its axes' type `axis` and its lines `scale` times as thick (an export
     * draws at twice the size). */
    curveOptions = (size, axis, scale = 1) => ({
      ...size,
      // Steps on a log axis: the curves are sampled from the first steps on, doubling (run/curve-steps.js).
      scales: { x: { time: false, distr: 3, log: 10, range: (u, low, high) => [low, high] }, y: { range: [0, 1] } },
      legend: { show: scale === 1, live: false }, // the arms' names and colours, not "--" values under a cursor
      axes: [{ label: t('lessons.axis.step'), stroke: scale === 1 ? 'currentColor' : '#111111', ...axis }, { label: t('lessons.axis.success'), stroke: scale === 1 ? 'currentColor' : '#111111', ...axis }],
      series: [{}, ...ran.arms.map((arm, i) => ({ label: armName(lesson, arm.label), stroke: ARM_COLOURS[i % ARM_COLOURS.length], width: 2 * scale, spanGaps: true }))],
    });
    lastScale = { seeds: seeds.length, maps: formatNumber(scale.maps), steps: formatNumber(scale.steps) };
    curveLegend = ran.arms.map((arm, i) => ({ label: armName(lesson, arm.label), colour: ARM_COLOURS[i % ARM_COLOURS.length] }));
    let drawnThisRun = false;
    let drawQueued = false;
    redrawCurves = () => {
      drawnThisRun = false;
      drawCurves();
    };
    const drawCurves = () => {
      // Step 0 (before training) is not on the log axis: the first point is a few steps in.
      const steps = [...new Set(points.flatMap((bySeed) => [...bySeed.values()].flatMap((list) => list.map((p) => p.step))))].filter((step) => step > 0).sort((a, b) => a - b);
      if (testHooks) testHooks.lessonCurveSteps = steps;
      const series = points.map((bySeed) => steps.map((step) => {
        const at = [...bySeed.values()].map((list) => list.find((p) => p.step === step)).filter(Boolean);
        return at.length ? mean(at.map((p) => p.success)) : null;
      }));
      if (plot && drawnThisRun) {
        plot.setData([steps, ...series]); // the same chart, new points: no rebuild per point
        return;
      }
      if (plot) plot.destroy();
      plot = new uPlot(curveOptions(curveSize(), axisType()), [steps, ...series], curves);
      fitCurves();
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
          fitCurves();
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
      /** Sentences a slide leaves out (body.lesson-slide hides .detail): how the interval is computed, the seed-by-seed comparison. */
      const details = new Set([t('lessons.intervalNote')]);
      sentences.push(t('lessons.intervalNote'));
      if (expected) {
        const key = expected === judged.verdict ? 'lessons.expectedAsMeasured' : judged.verdict === 'inconclusive' ? 'lessons.expectedUnsettled' : 'lessons.expectedOtherwise';
        sentences.push(t(key, { expected: verdictWord(expected) }));
      }
      const gap = comparedPoint ? largestGap(comparedPoint, rows, seeds) : null;
      if (comparedPoint) {
        sentences.push(t('lessons.map.compared', { gap: fixed(gap, 3), seeds: seeds.length }));
        details.add(sentences.at(-1));
      }
      showSentences(verdict, sentences.map((text) => ({ text, kind: details.has(text) ? 'detail' : '' })));
      verdict.dataset.largestGap = comparedPoint ? String(gap) : '';
      const live = { label: partLabel(lesson, judged.decidingPart, t('lessons.figure.live', { seeds: seeds.length })), verdict: judged.verdict, mean: judged.effect.mean,
        ci95: judged.effect.ci95, threshold: judged.threshold, part: judged.decidingPart, clip: true };
      if (point) showFigure({ threshold: judged.threshold, published: null, rows: [live] }, format);
      else drawCommitted(lesson, await measuredVerdicts(), live);
      status.textContent = t(quickLook ? 'lessons.quickDone' : 'lessons.done', { seconds });
    } catch (error) {
      status.textContent = t('lessons.stopped', { reason: errorText(error) });
    } finally {
      run.disabled = false;
      map.measure.disabled = false;
      select.disabled = false;
      scaleChoice.disabled = false;
      progress.hidden = true;
      onDone(); // after the menu is back: the slide's Previous and Next follow it
    }
  };
  run.addEventListener('click', () => measure());
  map.measure.addEventListener('click', () => {
    const point = drawnMap.selected();
    if (point) measure({ point });
  });
  exportButton.addEventListener('click', async () => {
    const lesson = chosen();
    // What the slide says: this run's verdict without its details, else the command line's verdict.
    const said = verdict.textContent ? [...verdict.children].filter((span) => !span.classList.contains('detail')).map((span) => span.textContent).join(' ') : measured.textContent;
    const blob = await lessonSlidePng({
      title: t(`lesson.${lesson.id}.title`),
      curves: plot && curveOptions ? { options: (scale) => curveOptions({ width: 620 * scale, height: 380 * scale }, exportAxis(scale), scale), data: plot.data } : null,
      figure: figureDrawn,
      legend: curveOptions ? curveLegend : [],
      note: said,
      settings: [t(`lesson.${lesson.id}.reference`), lastScale ? t('lessons.export.scale', lastScale) : ''].filter(Boolean).join(' · '),
    });
    download(`lesson-${lesson.id}.png`, blob);
  });
  return {
    /** Fits the curves and the figure to the view's layout again (on entering or leaving the slide). */
    relayout: () => {
      redrawCurves(); // made again at the new size, its axes' type with it
      if (figureDrawn && !figure.hidden) drawVerdictFigure(figure, ...figureDrawn);
    },
  };
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
