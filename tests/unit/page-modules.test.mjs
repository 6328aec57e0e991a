// The page's pure modules, without a browser (`node --test tests/unit/`, run by `npm test` first):
// the pace turned into steps per frame, the link's query, the map editor's painting, number and
// language helpers. Each expected value is worked out by hand in the test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FRAME_GAP_MS, Pacer } from '../../www/run/pace.js';
import { MAX_BUDGET, SPEEDS, readPageParams, writePageParams } from '../../www/app/page-params.js';
import { curveSteps } from '../../www/run/curve-steps.js';
import { niceTicks } from '../../www/views/verdict-figure.js';
import { createPageState, DEFAULT_BUDGET } from '../../www/app/page-state.js';
import { paint, resize } from '../../www/controls/editor.js';
import { fixed, formatLoss } from '../../www/views/panels.js';
import { chooseLanguage, fill, matchLanguage } from '../../www/i18n.js';
import { kebab, pageControls } from '../../www/controls/controls.js';

test('a pace becomes whole steps per frame, fractions carried, a stall capped', () => {
  const pacer = new Pacer();
  assert.equal(pacer.stepsAt(1000, 30, true), 0, 'the first frame owes nothing: no time has passed');
  // 30 steps/s over 50 ms frames: 1.5 steps a frame, so 1, 2, 1, 2 as the half carries over.
  assert.deepEqual([1050, 1100, 1150, 1200].map((now) => pacer.stepsAt(now, 30, true)), [1, 2, 1, 2]);
  // A tab hidden for 10 s makes up for MAX_FRAME_GAP_MS only: 30 × 0.25 = 7.5 → 7, 0.5 left over.
  assert.equal(pacer.stepsAt(11200, 30, true), Math.floor((30 * MAX_FRAME_GAP_MS) / 1000));
  assert.equal(pacer.stepsAt(11300, 30, false), 0, 'paused: nothing owed');
  assert.equal(pacer.stepsAt(11400, null, true), 0, 'full speed: the worker trains on its own');
  pacer.reset();
  assert.equal(pacer.stepsAt(11500, 10, true), 1, 'after a reset only this frame counts: 10 × 0.1 s');
});

test("a link's query is read field by field, and a bad value is refused by name with the default kept", () => {
  const catalogue = { scenarioIds: ['temperature', 'compounding'], lessonIds: ['compression'] };
  const good = readPageParams(new URLSearchParams('scenario=temperature&lesson=compression&present=1&speed=full&budget=1500'), catalogue);
  assert.deepEqual(good, { rejected: [], scenario: 'temperature', lesson: 'compression', present: true, speed: SPEEDS.indexOf(null), budget: 1500 });
  const bad = readPageParams(new URLSearchParams('scenario=nope&present=yes&speed=7&budget=-1'), catalogue);
  assert.equal(bad.present, undefined);
  assert.equal(bad.scenario, undefined);
  assert.equal(bad.speed, undefined);
  assert.equal(bad.budget, undefined);
  assert.deepEqual(bad.rejected.map((r) => [r.field, r.reason.key]), [['scenario', 'link.notScenario'], ['present', 'link.notPresent'], ['speed', 'link.notSpeed'], ['budget', 'link.badBudget']]);
  assert.equal(bad.rejected[0].reason.args.options, 'temperature, compounding');
  const tooBig = readPageParams(new URLSearchParams(`budget=${MAX_BUDGET + 1}`), catalogue);
  assert.equal(tooBig.rejected[0].field, 'budget');
  // Written over the page's own parameters; a lesson (or its slide) is not carried into a free-play link.
  const query = writePageParams(new URLSearchParams('embed=1&lesson=compression&present=1'), { scenario: 'compounding', speed: SPEEDS.indexOf(300), budget: null });
  assert.equal(query, '?embed=1&scenario=compounding&speed=300&budget=0');
  assert.deepEqual(readPageParams(new URLSearchParams(query), catalogue), { rejected: [], scenario: 'compounding', speed: SPEEDS.indexOf(300), budget: 0 });
});

test('the page state starts playing, at the default budget, with no lesson running', () => {
  const state = createPageState();
  assert.equal(state.playing, true);
  assert.equal(state.stopAt, DEFAULT_BUDGET);
  assert.equal(state.lessonRunning, false);
  assert.notEqual(createPageState().evaluations, state.evaluations, 'each page has its own state');
});

test('the map editor paints a cell, moves the start and goal, and resizes keeping one of each', () => {
  const map = 'S..\n.#.\n..G';
  assert.equal(paint(map, 1, 0, 'wall'), 'S#.\n.#.\n..G');
  assert.equal(paint(map, 0, 0, 'wall'), map, 'the start is moved by painting it elsewhere, not painted over');
  assert.equal(paint(map, 2, 0, 'start'), '..S\n.#.\n..G', 'one start: the old one becomes floor');
  assert.equal(paint(map, 9, 9, 'wall'), map, 'outside the map: unchanged');
  assert.equal(resize(map, 2), 'S.\n.G', 'cropped: the goal is put back, in the far corner (over the wall)');
  assert.equal(resize(map, 4), 'S...\n.#..\n..G.\n....');
});

test('figures: no minus sign on a value that rounds to zero; languages matched by tag; templates filled', () => {
  assert.equal(fixed(-1e-9, 4), '0.0000');
  assert.equal(fixed(-0.5, 1), '-0.5');
  assert.equal(fixed(2 / 3, 3), '0.667');
  assert.equal(matchLanguage('zh-TW'), 'zh-CN');
  assert.equal(matchLanguage('en-GB'), 'en');
  assert.equal(matchLanguage('fr'), undefined);
  assert.deepEqual(chooseLanguage(new URLSearchParams('lang=zh'), ['en-US']), { lang: 'zh-CN', refused: undefined });
  assert.deepEqual(chooseLanguage(new URLSearchParams('lang=xx'), ['fr', 'en-US']), { lang: 'en', refused: 'xx' });
  assert.equal(fill('{a} of {b}', { a: 1, b: 'two' }), '1 of two');
});

test("the page's controls come from the settings schema: which settings, their ids and kinds", () => {
  // Entries shaped as `settingsSchema()` gives them (crate/src/training/settings/schema.rs).
  const schema = [
    { name: 'temperature', kind: 'number', min: 0.1, max: 10, pageControl: true, slider: { min: -1, max: 1, step: 0.01, log: true, digits: 2 } },
    { name: 'mixWeight', kind: 'number', min: 0, max: 1, pageControl: true, slider: { min: 0, max: 1, step: 0.05, log: false, digits: 2 } },
    { name: 'stepCost', kind: 'number', min: -1, max: 0, pageControl: false, slider: null },
    { name: 'loss', kind: 'choice', options: ['hard', 'kl'], pageControl: true, slider: null },
    { name: 'hidden', kind: 'integerChoice', options: [4, 8], offered: [4], pageControl: true, slider: null },
    { name: 'trainMaps', kind: 'maps', names: ['current'], max: 4096, pageControl: true, slider: null },
  ];
  const controls = pageControls(schema);
  assert.deepEqual(controls.map((c) => [c.id, c.field, c.kind]), [
    ['temperature', 'temperature', 'log'], ['mix-weight', 'mixWeight', 'linear'], ['loss', 'loss', 'select'],
    ['hidden', 'hidden', 'int'], ['train-maps', 'trainMaps', 'maps'],
  ], 'a setting without a page control has none');
  assert.equal(kebab('kickstartDecay'), 'kickstart-decay');
});

test('a loss is written with four decimals, small ones as powers of ten, and rounding under 0 as 0', () => {
  assert.equal(formatLoss(0.10064), '0.1006');
  assert.equal(formatLoss(3.5e-5), '3.5e-5');
  assert.equal(formatLoss(-3.7e-9), '0', 'f32 rounding just under 0 is not a negative loss');
  assert.equal(formatLoss(-0.25), '-0.2500', 'a policy-gradient loss can be negative: it is shown');
  assert.equal(formatLoss(Number.NaN), '–');
});

test("a lesson's curve is sampled from its first steps, each point twice as far in as the last", () => {
  assert.deepEqual(curveSteps(30000), [29, 59, 117, 234, 469, 938, 1875, 3750, 7500, 15000, 30000]);
  assert.deepEqual(curveSteps(500), [1, 2, 4, 8, 16, 31, 63, 125, 250, 500]);
  assert.deepEqual(curveSteps(1), [1]);
});

test("the verdict figure's ticks are round numbers across its axis, drawn where their labels say", () => {
  assert.deepEqual(niceTicks(0.7, 0.9), [0.7, 0.75, 0.8, 0.85, 0.9]);
  assert.deepEqual(niceTicks(-0.016, 0.012), [-0.015, -0.01, -0.005, 0, 0.005, 0.01]);
  assert.deepEqual(niceTicks(0.5, 0.5), [0.5]);
});
