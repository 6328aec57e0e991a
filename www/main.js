// The page: loads the wasm module, keeps a mirror of each student (window.playground is the main
// one) that adopts the training worker's progress every frame, and draws. Controls change the main student.
// This module makes the page's shared state and its parts, wires them together, and runs the frame
// loop; each part lives in a module of its own (see ARCHITECTURE.md, "To change X, open Y").
import { configFromLink, lastPanic, lessons, linkFromConfig, noteTrap, ready, scenarios, settingsSchema, shareable } from './playground.js';
import { applySchema, pageControls, watchControls, writeControl } from './controls/controls.js';
import { clearLedger, drawBars, fillCellTable, fillLedger, setText, showKeyFigures, showPipeline, showStats } from './views/panels.js';
import { measureCompression } from './views/compression.js';
import { initLessons } from './lessons.js';
import { initLessonSlide } from './views/lesson-slide.js';
import { FIRST_VIEW } from './app/first-view.js';
import { SHOW_NAMES, applyEmbed, scrollOwnPageTo } from './app/embed.js';
import { readPageParams, writePageParams } from './app/page-params.js';
import { Curves } from './views/curves.js';
import { Students } from './run/students.js';
import { Trainer, takeEarlyWorker } from './trainer.js';
import { Episodes } from './views/episodes.js';
import { explainControls } from './views/explanations.js';
import { Tour } from './controls/tour.js';
import { createPageState } from './app/page-state.js';
import { StepChange } from './views/step-change.js';
import { RunControls } from './run/run-controls.js';
import { FinetuneControls } from './run/finetune-controls.js';
import { ScenarioView } from './views/scenario-view.js';
import { initFileActions } from './controls/file-actions.js';
import { initGridTools } from './controls/grid-tools.js';
import { initPageHelp } from './controls/page-help.js';
import { TimeTravel, drawComparison } from './views/time-travel.js';
import { Teach } from './controls/teach.js';
import { cellAt } from './controls/editor.js';
import { tellHost } from './app/host-messages.js';
import { testHooks } from './app/test-hooks.js';
import { RunLoop } from './run/run-loop.js';
import { LANGUAGES, chooseLanguage, errorText, formatNumber, language, messageText, pageError, t, translatePage, useLanguage } from './i18n.js';

const CURVE_EVERY_MS = 250;
/** While a lesson runs, how often the paused page redraws without input (redrawing every frame
 * took a fifth of the cores from the lesson's workers on a 2-core machine). */
const LESSON_REDRAW_EVERY_MS = 500;


const state = createPageState();
if (testHooks) Object.assign(testHooks, { frames: 0, evaluations: 0, firstTrainedFrameMs: null });
// The page's parts, made in main() once the wasm module is ready (the trainer before it).
/** The settings' controls, from the core's schema (www/controls/controls.js). */
let controls = [];
let students;
let curves;
let episodes;
let trainer;
/** Outlines what a Step changed (www/views/step-change.js). */
let stepChange;
/** Play, Step, Reset, the budget and the pace (www/run/run-controls.js). */
let run;
/** The RL fine-tuning button and note (www/run/finetune-controls.js). */
let finetune;
/** The scenario menu, its measure and verdict (www/views/scenario-view.js). */
let scenarioView;
/** You are the teacher (www/controls/teach.js). */
let teach = null;
/** The grid's tools: a click selects a cell or paints (www/controls/grid-tools.js). */
let gridTools = null;

const $ = (id) => document.getElementById(id);
/** The main student's mirror as the page's modules use it (forwarding changes to the worker:
 * `trainer.live`), replaced by `useStudents` with every new run, its only writer. The modules get
 * `mainPlayground`, never a global; `window.playground` is the same object, for the console. */
let mainMirror = null;
const mainPlayground = () => mainMirror;
/** The main student's past weights, for time travel (www/views/time-travel.js). */
const travel = new TimeTravel();
if (testHooks) testHooks.travel = travel;
travel.onRestart = () => { $('travel').hidden = true; };

function showError(error) {
  if (document.body.classList.contains('crashed')) return; // the first cause stays on screen
  if (error) noteTrap(error);
  const panic = error ? lastPanic() : null;
  const text = panic ? t('page.panic', { panic }) : error ? errorText(error) : '';
  $('error').textContent = text;
  $('error').hidden = !error;
  if (error) tellHost('error', { message: text, key: error.key, args: error.args, field: error.field });
  if (panic) {
    console.error(`distill-playground stopped after a Rust panic: ${panic}`);
    document.body.classList.add('crashed');
  }
}

/** Keeps the address bar's fragment equal to the main student's settings (shareable). */
function updateLink() {
  const fragment = linkFromConfig(mainMirror.config());
  if (location.hash.slice(1) !== fragment) history.replaceState(null, '', `#${fragment}`);
}

/** The address bar as a complete link: the settings in its fragment and, in its query, the
 * scenario, speed and budget (with any embed parameters it had): what Copy link copies. */
function updateFullLink() {
  const query = writePageParams(location.search, { scenario: $('scenario').value, speed: Number($('speed').value), budget: state.stopAt });
  history.replaceState(null, '', `${location.pathname}${query}#${linkFromConfig(mainMirror.config())}`);
}

/** The notice for a link's settings that could not be used (`[{field, reason}]`). */
function refusedSettings(rejected) {
  return t('link.refusedSettings', { list: refusedList(rejected) });
}

/** `[{field, reason}]` (reason: a catalogue message) as "field (reason); …". */
function refusedList(rejected) {
  return rejected.map((r) => t('link.refusedItem', { field: r.field, reason: messageText(r.reason) })).join(t('common.clauseSeparator'));
}

/** Shows `notices` (sentences) in the notice bar, or hides it when there are none. */
function showNotice(notices) {
  $('notice').textContent = notices.join(t('common.sentenceSeparator'));
  $('notice').hidden = notices.length === 0;
}

/** A fragment edited in the address bar after the page loaded: applied as a link is on load (the
 * same checks, the same notice for what could not be used); `#lessons` only scrolls. */
function applyLinkFragment() {
  if (location.hash === '#lessons' || location.hash.slice(1) === linkFromConfig(mainMirror.config())) return;
  const fromLink = configFromLink(location.hash);
  showNotice(fromLink.rejected.length > 0 ? [refusedSettings(fromLink.rejected)] : []);
  $('scenario').value = '';
  scenarioView.choose('');
  useStudents([{ label: t('common.student'), settings: fromLink.config }]);
}

function syncControls() {
  const config = mainMirror.config();
  for (const control of controls) writeControl(control, config[control.field]);
  unfoldChanged(config);
  teach?.forget();
  updateLink();
  finetune.showButton(config);
}

/** Opens a folded group of settings when one of them is not at its default (e.g. a scenario or a
 * link set it), so no setting that shapes the run is out of sight. */
let defaultConfig = null;
function unfoldChanged(config) {
  defaultConfig ??= configFromLink('').config;
  for (const fold of document.querySelectorAll('#stages details.more')) {
    const changed = controls.some((c) => fold.querySelector(`#${c.id}`) && config[c.field] !== defaultConfig[c.field]);
    if (changed) fold.open = true;
  }
}

function resetCurves() {
  curves.reset(students.list.map((s) => s.label));
  state.heldout = students.list.map(() => null);
  state.evaluations = students.list.map(() => null);
}

function applySetting(field, value) {
  try {
    mainMirror.set({ [field]: value });
    showError(null);
    if (field === 'map' || field === 'seed' || field === 'hidden') gridTools?.clearSelection();
    updateLink();
    refresh();
  } catch (error) {
    showError(error);
    syncControls();
  }
}

/** Every student's mirror takes on the worker's newest progress; returns their reports. */
function adoptProgress(progress) {
  if (progress.students.length !== students.list.length) return null;
  return students.list.map((student, i) => {
    const { snapshot, evaluation } = progress.students[i];
    student.playground.adopt(snapshot);
    if (i === 0) travel.record(student.playground.step, snapshot);
    if (evaluation) {
      state.evaluations[i] = evaluation;
      state.latestEvaluations[i] = evaluation;
      if (testHooks) testHooks.evaluations += 1;
    }
    return student.playground.report();
  });
}

/** The selected cell's distributions; before any click, those of the map's start cell (so the panel
 * is never empty). */
function drawSelected() {
  const pg = mainMirror;
  const [x, y] = state.selected ?? Array.from(pg.startCell());
  const groups = [pg.probs('teacher', x, y), pg.probs('teacher', x, y, 1), pg.probs('student', x, y)];
  // Drawn again only when what it shows changed (the table's three decimals, the cell, the theme).
  const shown = `${x},${y},${Boolean(state.selected)},${matchMedia('(prefers-color-scheme: dark)').matches},${groups.map((probs) => Array.from(probs, (p) => p.toFixed(3)).join(' ')).join('|')}`;
  if (shown === state.selectedShown) return;
  state.selectedShown = shown;
  drawBars($('bars'), groups);
  fillCellTable($('cell-probs'), groups);
  setText($('cell-name'), t(state.selected ? 'cell.name' : 'cell.nameStart', { x, y }));
}

function recordCurves(reports, now) {
  const measured = state.evaluations.map((e) => e?.studentHeldoutSuccess ?? null);
  if (now - state.lastCurve < CURVE_EVERY_MS && measured.every((m) => m === null)) return;
  state.lastCurve = now;
  students.list.forEach((student, i) => {
    const report = reports?.[i] ?? student.playground.report();
    if (measured[i] !== null) state.heldout[i] = measured[i];
    // No loss before the first step (the report's 0 there is a placeholder, not a measurement).
    curves.add(i, { step: report.step, loss: report.step > 0 ? report.loss : NaN, agreement: report.agreement, heldout: measured[i] });
    if (student.stats) {
      // The scenario's own measure first, beside this arm's grid; then the step and the common figures.
      const parts = [scenarioView.armMetric(i), t('side.armStats', { step: report.step, agreement: `${(100 * report.agreement).toFixed(0)}%` })];
      if (state.heldout[i] !== null) parts.push(t('side.armHeldout', { success: `${(100 * state.heldout[i]).toFixed(0)}%` }));
      student.stats.textContent = parts.filter(Boolean).join(' · ');
    }
  });
  curves.draw();
}

/** Redraws everything from the students' mirrors (`reports`: this frame's, if progress came). */
/** Draws the grid's policy (or time travel's past one) on `canvas` at its size, as the toggles under
 * the grid ask: the page's grid each frame, and a larger canvas for the slide export. */
function renderGrid(canvas) {
  const toggle = (id) => $(id).checked;
  (travel.viewer ?? mainMirror).render(canvas, { showTeacher: toggle('show-teacher'), softened: toggle('soft-arrows'), heatmap: toggle('heatmap'),
    values: toggle('values'), plans: toggle('show-plans'), selected: state.selected ?? undefined });
}

function refresh(reports = null) {
  const pg = mainMirror;
  const report = reports?.[0] ?? pg.report();
  showStats($('stats'), report);
  if (reports) tellHost('progress', { step: report.step, loss: report.loss, agreement: report.agreement });
  run.showBudget();
  // Time travel: the policy at the chosen step instead of now, compared with now if asked.
  renderGrid($('grid'));
  if (travel.viewer) {
    $('travel-text').textContent = t('travel.showing', { step: formatNumber(travel.step), now: formatNumber(pg.step) });
    if ($('travel-compare').checked) drawComparison($('grid'), travel.compare(pg));
  }
  stepChange.show(pg);
  stepChange.draw($('grid'), state.playing);
  episodes.draw($('grid'));
  teach?.draw($('grid'));
  $('key-teacher').hidden = !$('show-teacher').checked;
  // The arrows show the moves each makes (τ = 1), or on request the softened targets at τ.
  const tau = $('soft-arrows').checked ? pg.config().temperature : 1;
  if (tau !== state.legendTau) {
    state.legendTau = tau;
    $('arrow-legend').textContent = t(tau === 1 ? 'grid.legend' : 'grid.legendTempered', { tau: tau.toFixed(2) });
  }
  for (const student of students.list.slice(1)) student.playground.render(student.canvas, { selected: state.selected ?? undefined });
  drawSelected();
  showPipeline(pg.pipeline());
  if (state.evaluations[0]) {
    fillLedger($('ledger'), state.evaluations[0], pg.config().trainMaps, $('ledger-note'), pg.config().temperature);
    state.lastLedger = state.evaluations[0];
    tellHost('evaluation', state.lastLedger);
    showKeyFigures(state.lastLedger, pg.config().trainMaps);
    finetune.show();
  }
  recordCurves(reports, performance.now());
  scenarioView.showMetric();
  state.evaluations = state.evaluations.map(() => null);
}

/** Takes the worker's progress (null: none new) and draws the page. */
function drawProgress(progress) {
  state.inputSinceDraw = false;
  const reports = progress ? adoptProgress(progress) : null;
  const diverged = reports?.find((r) => r.diverged);
  if (diverged && state.playing) {
    run.setPlaying(false);
    showError(diverged.diverged);
  } else if (reports && state.playing && run.atBudget()) {
    run.setPlaying(false);
  }
  refresh(reports);
  if (!state.trainedFrameDrawn && reports?.[0]?.step > 0) {
    state.trainedFrameDrawn = true;
    if (testHooks) testHooks.firstTrainedFrameMs = performance.now();
  }
}

/** The page's frame loop (www/run/run-loop.js, shared with the web component). */
function startFrameLoop() {
  new RunLoop({
    trainer,
    owedSteps: (now) => run.owedSteps(now),
    fullSpeed: () => state.playing && run.stepsPerSecond() === null,
    // Until the first trained frame is drawn, and while an episode plays, every frame draws.
    throttled: () => !episodes.playing && state.trainedFrameDrawn,
    // While a lesson's workers run, the paused page has nothing new to draw but what input changed.
    quietEvery: () => (state.lessonRunning && !state.playing && !episodes.playing && !state.inputSinceDraw ? LESSON_REDRAW_EVERY_MS : 0),
    draw: drawProgress,
    stopped: () => Boolean(lastPanic()),
    // A panic anywhere (a call from the console, a control) stops the page with its message.
    onStopped: () => {
      run.setPlaying(false);
      showError(pageError('page.stopped'));
    },
    onError: (error) => {
      run.setPlaying(false);
      showError(error);
    },
    afterFrame: () => {
      if (testHooks) testHooks.frames += 1;
    },
  }).start();
}

/** Replaces every student (in the page and in the worker). Throws, changing nothing, on bad settings.
 * `draw`: false where the next frame draws them anyway (the page's start, where this frame's draw
 * would only delay the first trained one). */
function useStudents(arms, budget = run.budgetSteps(), { draw = true } = {}) {
  travel.reset();
  $('travel').hidden = true;
  students.replaceAll(arms);
  trainer.send('students', { arms, playing: state.playing });
  mainMirror = trainer.live(0, students.main.playground);
  window.playground = mainMirror;
  episodes.clear();
  stepChange.clear();
  clearLedger($('ledger'), $('ledger-note'), students.main.playground.config().temperature);
  state.lastLedger = null;
  state.latestEvaluations = [];
  showKeyFigures(null, students.main.playground.config().trainMaps);
  finetune.reset();
  run.showBudgetField(budget);
  run.setStopAt(budget);
  gridTools?.clearSelection();
  resetCurves();
  syncControls();
  if (draw) refresh();
}

async function main() {
  // The worker started first (www/early-worker.js), on the wasm this page compiles once for both.
  trainer = new Trainer({
    early: takeEarlyWorker(),
    onError: (error, panic) => {
      run?.setPlaying(false); // the worker can fail before the page has built its run controls
      showError(panic ? pageError('page.workerPanic', { reason: errorText(error), panic }) : error);
    },
    onApplied: (index, update) => {
      students.list[index]?.playground.set(update);
      if (index === 0) syncControls();
    },
  });
  if (testHooks) testHooks.trainerSettled = () => trainer.settled();
  const search = new URLSearchParams(location.search);
  const chosenLanguage = chooseLanguage(search);
  const starting = shareable().then(ready); // the wasm early-worker.js began compiling (also the worker's), while the catalogue loads
  starting.catch(() => {}); // its failure is thrown below, where it is awaited
  await useLanguage(chosenLanguage.lang);
  translatePage();
  initLanguageSwitch();
  await starting;
  controls = pageControls(settingsSchema());
  applySchema(controls);
  students = new Students($('companions'));
  episodes = new Episodes({ text: $('episode-text') });
  curves = new Curves($('curves'), { onPick: (step) => {
    try {
      travel.open(step, mainMirror.config());
      $('travel').hidden = false;
      showError(null);
      refresh();
    } catch (error) {
      showError(error);
    }
  } });
  $('travel-close').addEventListener('click', () => {
    travel.close();
    $('travel').hidden = true;
    refresh();
  });
  $('travel-compare').addEventListener('change', () => refresh());
  stepChange = new StepChange({ text: $('step-text') });
  run = new RunControls({ state, trainer, students, stepChange, playground: mainPlayground, useStudents, showError });
  finetune = new FinetuneControls({ state, playground: mainPlayground, applySetting, syncControls, run });
  // The catalogues, built once (each is a few ms of the wasm's work and of copying to JS).
  const catalogue = { scenarios: scenarios(), lessons: lessons() };
  scenarioView = new ScenarioView({ ...catalogue, state, students, run, useStudents, playground: mainPlayground });
  // `#lessons` opens the Lessons view; any other fragment is a link of settings.
  const lessonsView = location.hash === '#lessons';
  const fromLink = configFromLink(lessonsView ? '' : location.hash);
  // The link's query: embed parts, and the scenario or lesson, speed and budget it opens with.
  const page = readPageParams(search, { scenarioIds: catalogue.scenarios.map((s) => s.id), lessonIds: catalogue.lessons.map((l) => l.id) });
  const { unknownHidden, unknownShown } = applyEmbed(search);
  const notices = [];
  if (fromLink.rejected.length > 0) notices.push(refusedSettings(fromLink.rejected));
  if (page.rejected.length > 0) notices.push(t('link.refusedPage', { list: refusedList(page.rejected) }));
  if (chosenLanguage.refused !== undefined) {
    notices.push(t('link.refusedLanguage', { value: JSON.stringify(chosenLanguage.refused.slice(0, 40)), options: Object.keys(LANGUAGES).join(', ') }));
  }
  if (unknownHidden.length > 0) notices.push(t('link.unknownHidden', { names: unknownHidden.join(', ') }));
  if (unknownShown.length > 0) notices.push(t('link.unknownShown', { names: unknownShown.join(', '), options: SHOW_NAMES.join(', ') }));
  showNotice(notices);
  if (page.speed !== undefined) $('speed').value = String(page.speed);
  run.showSpeed(); // the worker hears the pace before its first students, so it never trains them flat out first
  // Without a link the page opens on its first view: the default settings with the student learning
  // across the teacher's own map distribution, so the figures on the first screen show distillation
  // working (about 80% of the teacher's held-out success at 1.6% of its compute), not a student that
  // only ever saw one map. A link (or the CLI) without `trainMaps` still means the map shown.
  const firstView = location.hash === '' || location.hash === '#' || lessonsView; // #lessons, ?lesson= and ?embed=1 too
  useStudents([{ label: t('common.student'), settings: firstView ? { ...fromLink.config, ...FIRST_VIEW } : fromLink.config }], undefined, { draw: false });
  if (page.scenario !== undefined) {
    $('scenario').value = page.scenario;
    $('scenario').dispatchEvent(new Event('change'));
  }
  // The link's budget wins over a scenario's own.
  if (page.budget !== undefined) run.useBudget(page.budget || null);
  window.addEventListener('hashchange', () => applyLinkFragment());
  initFileActions({ playground: mainPlayground, trainer, curves, renderGrid, updateLink: updateFullLink, showError, onLoaded: () => { syncControls(); refresh(); } });
  watchControls(controls, applySetting);
  explainControls($('explain'));
  initPageHelp({ tour: new Tour({ bar: $('tour'), text: $('tour-text'), back: $('tour-back'), next: $('tour-next'), close: $('tour-close') }),
    togglePlaying: () => run.togglePlaying() });
  $('add-student').addEventListener('click', () => {
    try {
      const config = mainMirror.config();
      const arm = { label: t('side.armLabel', { n: students.list.length + 1, loss: config.loss, tau: config.temperature, data: t(`data.${config.data}`) }), settings: config };
      students.add(arm);
      trainer.send('add', { arm });
      resetCurves();
      showError(null);
    } catch (error) {
      showError(error);
    }
  });
  $('clear-students').addEventListener('click', () => {
    students.clearCompanions();
    trainer.send('clearCompanions');
    resetCurves();
  });
  teach = new Teach({ playground: mainPlayground, useSettings: (settings) => useStudents([{ label: t('common.student'), settings }]), refresh, showError,
    cellAt: (event) => cellAt($('grid'), event, mainMirror.size()), latestEvaluation: () => state.lastLedger });
  gridTools = initGridTools({ state, playground: mainPlayground, episodes, applySetting, syncControls, refresh, showError });
  $('sweep').addEventListener('click', () =>
    measureCompression({ button: $('sweep'), progress: $('sweep-progress'), status: $('sweep-status'), chart: $('compression-chart'), table: $('compression-table') })
      .catch(() => {})); // the status line says what failed
  const lessonsViewControls = initLessons({ select: $('lesson'), claim: $('lesson-claim'), experiment: $('lesson-experiment'), published: $('lesson-published'), measured: $('lesson-measured'),
    prediction: $('lesson-prediction'), run: $('lesson-run'), progress: $('lesson-progress'), status: $('lesson-status'), table: $('lesson-table'), verdict: $('lesson-verdict'),
    quick: $('lesson-quick'), pageScale: $('lesson-page-scale'), full: $('lesson-full-scale'), pageTime: $('lesson-page-time'), fullTime: $('lesson-full-time'), scaleChoice: $('lesson-scale'), curves: $('lesson-curves'), figure: $('lesson-figure'), exportButton: $('lesson-export'),
    map: { table: $('lesson-map-table'), caption: $('lesson-map-caption'), summary: $('lesson-map-summary'), detail: $('lesson-map-detail'), measure: $('lesson-map-measure') } },
  {
    onRun: () => {
      if (state.playing) run.setPlaying(false);
      state.lessonRunning = true;
      slide.update();
    },
    onDone: () => {
      state.lessonRunning = false;
      slide.update();
    },
    catalogue: catalogue.lessons,
  });
  const slide = initLessonSlide({ select: $('lesson'), toggle: $('lesson-slide'), previous: $('lesson-previous'), next: $('lesson-next'), position: $('lesson-position'),
    map: $('lesson-map'), left: $('lesson-live'), mapHome: $('lesson-published'), relayout: lessonsViewControls.relayout });
  for (const type of ['pointerdown', 'keydown', 'input', 'change']) document.addEventListener(type, () => { state.inputSinceDraw = true; }, { capture: true, passive: true });
  if (page.lesson !== undefined) {
    $('lesson').value = page.lesson;
    $('lesson').dispatchEvent(new Event('change'));
  }
  // `present=1` opens the lesson as a slide (or, without a lesson, the page in presenter mode); so does
  // a lesson in an embed, where the slide's columns put Run and the verdict in the frame's first view.
  if ((page.present || document.body.classList.contains('embed')) && page.lesson !== undefined) slide.setSlide(true);
  else if (page.present) $('presenter').click();
  else if (lessonsView || page.lesson !== undefined) scrollOwnPageTo($('lessons'));
  for (const id of ['show-teacher', 'soft-arrows', 'heatmap', 'values', 'show-plans']) $(id).addEventListener('change', () => refresh());
  startFrameLoop();
}

/** The language menu in the header: choosing one reloads the page in it, with the same link (its
 * settings, scenario, speed and budget), so every string is said again from the new catalogue. */
function initLanguageSwitch() {
  const select = $('language');
  for (const [code, name] of Object.entries(LANGUAGES)) {
    const option = document.createElement('option');
    option.value = code;
    option.textContent = name;
    option.lang = code;
    select.appendChild(option);
  }
  select.value = language();
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('lang', select.value);
    location.assign(url.href);
  });
}

main().catch((error) => showError(error));
