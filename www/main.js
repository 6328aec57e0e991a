// The page: loads the wasm module, keeps one live Playground (window.playground), trains a
// bounded amount per animation frame, and draws. Controls change the config through set().
import init, { Playground } from './pkg/distill_playground.js';
import { CONTROLS, watchControls, writeControl } from './controls.js';
import { drawBars, fillCellTable, fillLedger, showPipeline, showStats } from './panels.js';

const FRAME_BUDGET_MS = 8;
const MAX_STEPS_PER_FRAME = 400;
const LEDGER_EVERY_MS = 1500;

const state = {
  playing: true,
  stepsPerFrame: 4,
  selected: null,
  lastLedger: 0,
  lastReport: null,
};
window.__frames = 0;

function showError(error) {
  const box = document.getElementById('error');
  box.textContent = error ? String(error.message ?? error) : '';
  box.hidden = !error;
}

function syncControls() {
  const config = window.playground.config();
  for (const control of CONTROLS) writeControl(control, config[control.field]);
}

function applySetting(field, value) {
  try {
    window.playground.set({ [field]: value });
    showError(null);
    if (field === 'map' || field === 'seed' || field === 'hidden') state.selected = null;
    refresh(true);
  } catch (error) {
    showError(error);
    syncControls();
  }
}

function trainFrame() {
  const started = performance.now();
  const report = window.playground.train(state.stepsPerFrame);
  const elapsed = performance.now() - started;
  // Keep a frame's training within budget: grow or shrink the step count towards it.
  if (elapsed < FRAME_BUDGET_MS * 0.7) state.stepsPerFrame = Math.min(MAX_STEPS_PER_FRAME, Math.ceil(state.stepsPerFrame * 1.25));
  else if (elapsed > FRAME_BUDGET_MS) state.stepsPerFrame = Math.max(1, Math.floor(state.stepsPerFrame * 0.7));
  return report;
}

function drawSelected() {
  if (!state.selected) return;
  const [x, y] = state.selected;
  const pg = window.playground;
  const groups = [pg.probs('teacher', x, y), pg.probs('teacher', x, y, 1), pg.probs('student', x, y)];
  drawBars(document.getElementById('bars'), groups);
  fillCellTable(document.getElementById('cell-probs'), groups);
  document.getElementById('cell-name').textContent = `(column ${x}, row ${y})`;
}

function refresh(forceLedger = false) {
  const pg = window.playground;
  const report = state.lastReport && !forceLedger ? state.lastReport : pg.train(0);
  showStats(document.getElementById('stats'), report);
  pg.render(document.getElementById('grid'), {
    showTeacher: document.getElementById('show-teacher').checked,
    heatmap: document.getElementById('heatmap').checked,
    selected: state.selected ?? undefined,
  });
  drawSelected();
  showPipeline(pg.pipeline());
  const now = performance.now();
  if (forceLedger || now - state.lastLedger > LEDGER_EVERY_MS) {
    state.lastLedger = now;
    fillLedger(document.getElementById('ledger'), pg.evaluate());
  }
}

function frame() {
  try {
    if (state.playing) state.lastReport = trainFrame();
    refresh();
    window.__frames += 1;
  } catch (error) {
    state.playing = false;
    showError(error);
  }
  requestAnimationFrame(frame);
}

function selectCell(event) {
  const canvas = event.currentTarget;
  const rect = canvas.getBoundingClientRect();
  const n = window.playground.size();
  const side = Math.min(rect.width, rect.height);
  const x = Math.floor(((event.clientX - rect.left) / side) * n);
  const y = Math.floor(((event.clientY - rect.top) / side) * n);
  if (x >= 0 && y >= 0 && x < n && y < n) {
    state.selected = [x, y];
    refresh();
  }
}

function setPlaying(playing) {
  state.playing = playing;
  document.getElementById('play').textContent = playing ? 'Pause' : 'Play';
}

async function main() {
  await init();
  window.playground = new Playground({});
  syncControls();
  watchControls(applySetting);
  document.getElementById('play').addEventListener('click', () => setPlaying(!state.playing));
  document.getElementById('step').addEventListener('click', () => {
    setPlaying(false);
    state.lastReport = window.playground.train(1);
    refresh(true);
  });
  document.getElementById('reset').addEventListener('click', () => {
    const config = window.playground.config();
    window.playground.free();
    window.playground = new Playground(config);
    state.lastReport = null;
    refresh(true);
  });
  document.getElementById('grid').addEventListener('click', selectCell);
  for (const id of ['show-teacher', 'heatmap']) document.getElementById(id).addEventListener('change', () => refresh());
  requestAnimationFrame(frame);
}

main().catch((error) => showError(error));
