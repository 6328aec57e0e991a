// The page: loads the wasm module, keeps the live students (window.playground is the main one),
// trains a bounded amount per animation frame, and draws. Controls change the main student's config.
import { configFromLink, lastPanic, linkFromConfig, ready, scenarios } from './playground.js';
import { CONTROLS, watchControls, writeControl } from './controls.js';
import { drawBars, fillCellTable, fillLedger, showPipeline, showStats } from './panels.js';
import { measureCompression } from './compression.js';
import { applyEmbed } from './embed.js';
import { Curves, download } from './curves.js';
import { Students } from './students.js';
import { cellAt, Editor } from './editor.js';

const FRAME_BUDGET_MS = 8;
const MAX_STEPS_PER_FRAME = 400;
const LEDGER_EVERY_MS = 1500;
const CURVE_EVERY_MS = 250;
const HELDOUT_EVERY_MS = 2500;

const state = {
  playing: true,
  stepsPerFrame: 4,
  selected: null,
  lastLedger: 0,
  lastCurve: 0,
  lastHeldout: 0,
  heldout: [],
  lastReport: null,
  scenarios: [],
};
window.__frames = 0;
let students;
let curves;

const $ = (id) => document.getElementById(id);

function showError(error) {
  const panic = error ? lastPanic() : null;
  const text = panic
    ? `The playground hit an internal error and stopped: ${panic}. Reload the page to start again (your settings are in the controls).`
    : error ? String(error.message ?? error) : '';
  $('error').textContent = text;
  $('error').hidden = !error;
  if (panic) {
    console.error(`distill-playground stopped after a Rust panic: ${panic}`);
    document.body.classList.add('crashed');
  }
}

/** Keeps the address bar's fragment equal to the main student's settings (shareable). */
function updateLink() {
  const fragment = linkFromConfig(window.playground.config());
  if (location.hash.slice(1) !== fragment) history.replaceState(null, '', `#${fragment}`);
}

function syncControls() {
  const config = window.playground.config();
  for (const control of CONTROLS) writeControl(control, config[control.field]);
  updateLink();
  const tuning = config.phase === 'finetune';
  $('finetune').textContent = tuning ? 'Back to distillation' : 'Start RL fine-tuning';
  $('finetune').setAttribute('aria-pressed', String(tuning));
}

function resetCurves() {
  curves.reset(students.list.map((s) => s.label));
  state.heldout = students.list.map(() => null);
}

function applySetting(field, value) {
  try {
    window.playground.set({ [field]: value });
    showError(null);
    if (field === 'map' || field === 'seed' || field === 'hidden') state.selected = null;
    updateLink();
    refresh(true);
  } catch (error) {
    showError(error);
    syncControls();
  }
}

/** The speed control's levels: at most this many steps per frame (the last: as many as fit). */
const SPEEDS = [1, 5, 25, 100, MAX_STEPS_PER_FRAME];

function trainFrame() {
  const started = performance.now();
  const cap = SPEEDS[Number($('speed').value)] ?? MAX_STEPS_PER_FRAME;
  const reports = students.train(Math.min(cap, state.stepsPerFrame));
  const elapsed = performance.now() - started;
  // Keep a frame's training within budget: grow or shrink the step count towards it.
  if (elapsed < FRAME_BUDGET_MS * 0.7) state.stepsPerFrame = Math.min(MAX_STEPS_PER_FRAME, Math.ceil(state.stepsPerFrame * 1.25));
  else if (elapsed > FRAME_BUDGET_MS) state.stepsPerFrame = Math.max(1, Math.floor(state.stepsPerFrame * 0.7));
  return reports;
}

function drawSelected() {
  if (!state.selected) return;
  const [x, y] = state.selected;
  const pg = window.playground;
  const groups = [pg.probs('teacher', x, y), pg.probs('teacher', x, y, 1), pg.probs('student', x, y)];
  drawBars($('bars'), groups);
  fillCellTable($('cell-probs'), groups);
  $('cell-name').textContent = `(column ${x}, row ${y})`;
}

function recordCurves(reports, now) {
  if (now - state.lastCurve < CURVE_EVERY_MS) return;
  state.lastCurve = now;
  const measureHeldout = now - state.lastHeldout > HELDOUT_EVERY_MS;
  if (measureHeldout) state.lastHeldout = now;
  students.list.forEach((student, i) => {
    const report = reports?.[i] ?? student.playground.train(0);
    if (measureHeldout) state.heldout[i] = student.playground.evaluate().studentHeldoutSuccess;
    curves.add(i, { step: report.step, loss: Math.max(report.loss, 1e-6), agreement: report.agreement, heldout: measureHeldout ? state.heldout[i] : null });
    if (student.stats) {
      const heldout = state.heldout[i] === null ? '' : ` · held-out success ${(100 * state.heldout[i]).toFixed(0)}%`;
      student.stats.textContent = `step ${report.step} · agreement ${(100 * report.agreement).toFixed(0)}%${heldout}`;
    }
  });
  curves.draw();
}

function refresh(forceLedger = false, reports = null) {
  const pg = window.playground;
  const report = reports?.[0] ?? (state.lastReport && !forceLedger ? state.lastReport : pg.train(0));
  showStats($('stats'), report);
  const view = {
    showTeacher: $('show-teacher').checked,
    heatmap: $('heatmap').checked,
    plans: $('show-plans').checked,
    selected: state.selected ?? undefined,
  };
  pg.render($('grid'), view);
  for (const student of students.list.slice(1)) student.playground.render(student.canvas, { selected: state.selected ?? undefined });
  drawSelected();
  showPipeline(pg.pipeline());
  const now = performance.now();
  if (forceLedger || now - state.lastLedger > LEDGER_EVERY_MS) {
    state.lastLedger = now;
    fillLedger($('ledger'), pg.evaluate());
  }
  recordCurves(reports, now);
}

function frame() {
  if (lastPanic()) {
    // A panic anywhere (a call from the console, a control) stops the page with its message.
    setPlaying(false);
    showError(new Error('panic'));
    return;
  }
  try {
    let reports = null;
    if (state.playing) {
      reports = trainFrame();
      state.lastReport = reports[0];
      const diverged = reports.find((r) => r.diverged);
      if (diverged) {
        setPlaying(false);
        showError(diverged.diverged);
      }
    }
    refresh(false, reports);
    window.__frames += 1;
  } catch (error) {
    setPlaying(false);
    showError(error);
    if (lastPanic()) return; // the module is unusable after a panic: stop the loop, keep the message
  }
  requestAnimationFrame(frame);
}

function selectCell(event) {
  const n = window.playground.size();
  const [x, y] = cellAt(event.currentTarget, event, n);
  if (x >= 0 && y >= 0 && x < n && y < n) {
    state.selected = [x, y];
    refresh();
  }
}

function setPlaying(playing) {
  state.playing = playing;
  $('play').textContent = playing ? 'Pause' : 'Play';
}

function useStudents(arms) {
  students.replaceAll(arms);
  window.playground = students.main.playground;
  state.lastReport = null;
  state.selected = null;
  resetCurves();
  syncControls();
  refresh(true);
}

function chooseScenario(id) {
  const scenario = state.scenarios.find((s) => s.id === id);
  $('scenario-text').textContent = scenario ? scenario.explanation : '';
  if (!scenario) return;
  useStudents(scenario.variants.map((v) => ({
    label: v.label,
    settings: { ...scenario.base, ...v.settings },
    then: v.then,
    steps: scenario.steps,
  })));
}

async function main() {
  await ready();
  students = new Students($('companions'));
  curves = new Curves($('curves'));
  state.scenarios = scenarios();
  for (const scenario of state.scenarios) {
    const option = document.createElement('option');
    option.value = scenario.id;
    option.textContent = scenario.title;
    $('scenario').appendChild(option);
  }
  const fromLink = configFromLink(location.hash);
  const notices = [];
  if (fromLink.rejected.length > 0) {
    notices.push('This link had settings that could not be used, so they are back at their defaults: ' +
      fromLink.rejected.map((r) => `${r.field} (${r.reason})`).join('; '));
  }
  const unknownHidden = applyEmbed(new URLSearchParams(location.search));
  if (unknownHidden.length > 0) notices.push(`hide= names no control of this page: ${unknownHidden.join(', ')}`);
  if (notices.length > 0) {
    $('notice').textContent = notices.join('. ');
    $('notice').hidden = false;
  }
  useStudents([{ label: 'main', settings: fromLink.config }]);
  $('copy-link').addEventListener('click', async () => {
    updateLink();
    try {
      await navigator.clipboard.writeText(location.href);
      $('copy-link').textContent = 'Link copied';
    } catch {
      $('copy-link').textContent = 'Copy the address bar';
    }
    setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 2000);
  });
  watchControls(applySetting);
  const showSpeed = () => {
    const level = Number($('speed').value);
    $('speed-value').textContent = level === SPEEDS.length - 1 ? 'full' : `${SPEEDS[level]} steps/frame`;
  };
  $('speed').addEventListener('input', showSpeed);
  showSpeed();
  $('scenario').addEventListener('change', (event) => chooseScenario(event.target.value));
  $('play').addEventListener('click', () => setPlaying(!state.playing));
  $('step').addEventListener('click', () => {
    setPlaying(false);
    const reports = students.train(1);
    state.lastReport = reports[0];
    refresh(true, reports);
  });
  $('reset').addEventListener('click', () => {
    useStudents(students.list.map((s) => ({ label: s.label, settings: s.playground.config() })));
  });
  $('finetune').addEventListener('click', () => {
    const tuning = window.playground.config().phase === 'finetune';
    applySetting('phase', tuning ? 'distill' : 'finetune');
    syncControls();
  });
  $('add-student').addEventListener('click', () => {
    try {
      const config = window.playground.config();
      students.add({ label: `student ${students.list.length + 1} (${config.loss}, τ ${config.temperature}, ${config.data})`, settings: config });
      resetCurves();
      showError(null);
    } catch (error) {
      showError(error);
    }
  });
  $('clear-students').addEventListener('click', () => {
    students.clearCompanions();
    resetCurves();
  });
  $('export-csv').addEventListener('click', () => download('curves.csv', new Blob([curves.csv()], { type: 'text/csv' })));
  $('export-png').addEventListener('click', async () => {
    for (const { name, blob } of await curves.pngs()) download(name, blob);
  });
  // Buttons that download a file the main student's playground writes: id → [name, bytes, type].
  const files = {
    'save-safetensors': ['student.safetensors', (pg) => pg.saveStudent('safetensors'), 'application/octet-stream'],
    'save-json': ['student.json', (pg) => pg.saveStudent('json'), 'application/json'],
    'export-dataset-csv': ['dataset.csv', (pg) => pg.exportDataset('csv'), 'text/csv'],
    'export-dataset-npy': ['dataset.npy', (pg) => pg.exportDataset('npy'), 'application/octet-stream'],
  };
  for (const [id, [name, bytes, type]] of Object.entries(files)) {
    $(id).addEventListener('click', () => download(name, new Blob([bytes(window.playground)], { type })));
  }
  $('load-student').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      window.playground.loadStudent(new Uint8Array(await file.arrayBuffer()));
      showError(null);
      syncControls();
      refresh(true);
    } catch (error) {
      showError(error);
    }
    event.target.value = '';
  });
  const editor = new Editor({
    canvas: $('grid'),
    getPlayground: () => window.playground,
    onChange: () => { showError(null); syncControls(); $('size').value = String(window.playground.size()); refresh(true); },
    onError: showError,
  });
  for (const radio of document.querySelectorAll('input[name=tool]')) {
    radio.addEventListener('change', () => { editor.tool = radio.value || null; });
  }
  $('undo').addEventListener('click', () => editor.undo());
  $('redo').addEventListener('click', () => editor.redo());
  $('size').addEventListener('change', () => {
    const n = Number($('size').value);
    if (Number.isInteger(n) && n >= 5 && n <= 16) editor.resize(n);
    else showError(new Error('Size N must be a whole number from 5 to 16'));
  });
  $('new-random').addEventListener('click', () => applySetting('map', 'random'));
  const toggleHelp = (open) => { $('help').hidden = !open; if (open) $('help-close').focus(); else $('grid').focus(); };
  $('help-open').addEventListener('click', () => toggleHelp(true));
  $('help-close').addEventListener('click', () => toggleHelp(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('help').hidden) return toggleHelp(false);
    if (event.target.closest('input, select, textarea, button') || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === ' ') { event.preventDefault(); setPlaying(!state.playing); }
    else if (event.key === 's') $('step').click();
    else if (event.key === 'r') $('reset').click();
    else if (event.key === '?') toggleHelp($('help').hidden);
  });
  $('grid').addEventListener('click', (event) => { if (!editor.tool) selectCell(event); });
  $('sweep').addEventListener('click', () =>
    measureCompression({ button: $('sweep'), progress: $('sweep-progress'), status: $('sweep-status'), chart: $('compression-chart'), table: $('compression-table') }));
  for (const id of ['show-teacher', 'heatmap', 'show-plans']) $(id).addEventListener('change', () => refresh());
  requestAnimationFrame(frame);
}

main().catch((error) => showError(error));
