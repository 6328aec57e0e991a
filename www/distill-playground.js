// <distill-playground>: the playground as a web component, for a course page that would rather not
// use an iframe. One module; its files (wasm, teacher, worker, catalogues, stylesheet) are found
// beside it, so it works from any folder of any static host:
//
//   <script type="module" src="playground/www/distill-playground.js"></script>
//   <distill-playground map="maze" loss="kl" temperature="2" hide="hidden,map" lang="zh-CN"></distill-playground>
//
// Each element has its own shadow DOM, its own training worker and its own student, so several on
// one page train independently. Attributes set the experiment and reflect it (a change made in the
// element's own controls is written back): every setting of the JS API, in kebab-case (`map`, `seed`,
// `loss`, `temperature`, `lr`, `slip`, `teacher`, `data`, `train-maps` (1,024 unless set, as the page's
// first view: app/first-view.js), `label-budget`, …) — except the
// student's width, `hidden` in the API, which is `width` here (`hidden` is every element's attribute
// for "not shown"), —
// plus `speed` (steps per second, or `full`), `budget` (steps; 0: none), `hide` (parts: figures,
// legend, buttons, settings, stats, or a setting: map, hidden (or width), loss, temperature) and `lang` (en, zh-CN).
// Events (CustomEvent, `detail`): `progress` {step, loss, agreement} (at most 4 a second), `evaluation`
// (the ledger, as `Playground.evaluate()` gives it), `error` {message, key, args, field}.
// `element.playground` is its student's live playground (the JS API).
import { Pacer } from './run/pace.js';
import { Playground, lastPanic, ready, settingsSchema, shareable } from './playground.js';
import { RunLoop } from './run/run-loop.js';
import { FIRST_VIEW } from './app/first-view.js';
import { Trainer } from './trainer.js';
import { chooseLanguage, fill, matchLanguage, translator } from './i18n.js';

// The settings come from the core's schema (`settingsSchema()`), so the element is defined once the
// wasm is compiled (once per page, shared with every element and its worker).
/** The schema's settings that have an attribute, by attribute (the JS API's field names in kebab-case;
 * the width is `width`). */
let SCHEMA = new Map();
/** Why the wasm (and with it the schema) could not be had: each element says so instead of starting. */
let unavailable = null;
try {
  await ready(await shareable());
  SCHEMA = new Map(settingsSchema().filter((setting) => setting.attribute).map((setting) => [setting.attribute, setting]));
} catch (error) {
  unavailable = error;
}
/** Settings an attribute may set. */
const SETTINGS = [...SCHEMA.keys()];
/** The API's field for attribute `name`. */
const camel = (name) => SCHEMA.get(name).name;
/** The setting behind the element's control for `field`. */
const settingOf = (field) => [...SCHEMA.values()].find((setting) => setting.name === field);
/** What `hide=` can name: a part of the element, or one of its settings. */
const PARTS = ['figures', 'legend', 'buttons', 'settings', 'stats', 'map', 'hidden', 'loss', 'temperature'];
const DEFAULTS = { speed: 300, budget: 3000 };
const PROGRESS_EVERY_MS = 250;
const STYLESHEET = new URL('./distill-playground.css', import.meta.url);

/** An attribute's text as a setting's value: numbers as numbers, the rest as text. */
function settingValue(text) {
  const number = Number(text);
  return text.trim() !== '' && Number.isFinite(number) ? number : text;
}

const percent = (v) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);

export class DistillPlaygroundElement extends HTMLElement {
  static get observedAttributes() {
    return [...SETTINGS, 'speed', 'budget', 'hide', 'lang'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.trainer = null;
    this.mirror = null;
    this.live = null;
    this.playing = true;
    this.pacer = new Pacer();
    this.lastProgressEvent = 0;
    this.writingBack = false;
    this.t = (key, args) => (args ? fill(key, args) : key);
  }

  /** The element's student as the JS API (`train`, `probs`, `config`, …), once it has started. */
  get playground() {
    return this.live;
  }

  connectedCallback() {
    if (this.started) return;
    this.started = this.start().catch((error) => this.fail(error));
  }

  disconnectedCallback() {
    this.loop?.stop();
    this.loop = null;
    this.trainer?.worker.terminate();
    this.mirror?.free();
    this.trainer = null;
    this.mirror = null;
    this.live = null;
    this.started = null;
  }

  attributeChangedCallback(name, old, value) {
    if (!this.live || this.writingBack || old === value) return;
    if (name === 'hide') this.applyHide();
    else if (name === 'speed') this.sendSpeed();
    else if (name === 'budget') this.restart();
    else if (name === 'lang') this.restartLanguage();
    else if (value === null && FIRST_VIEW[camel(name)] !== undefined) this.applySetting(camel(name), FIRST_VIEW[camel(name)]); // back to the first view's
    else this.applySetting(camel(name), value === null ? undefined : settingValue(value));
  }

  /** The settings the attributes give, over the playground's first view (FIRST_VIEW: across 1,024 maps). */
  settingsFromAttributes() {
    const settings = { ...FIRST_VIEW };
    for (const name of SETTINGS) if (this.hasAttribute(name)) settings[camel(name)] = settingValue(this.getAttribute(name));
    return settings;
  }

  speed() {
    const text = this.getAttribute('speed');
    if (text === 'full') return null;
    const pace = Number(text ?? DEFAULTS.speed);
    return Number.isFinite(pace) && pace > 0 ? pace : DEFAULTS.speed;
  }

  budget() {
    const steps = Number(this.getAttribute('budget') ?? DEFAULTS.budget);
    return Number.isInteger(steps) && steps > 0 ? steps : null;
  }

  language() {
    return matchLanguage(this.getAttribute('lang')) ?? matchLanguage(document.documentElement.lang) ?? chooseLanguage(new URLSearchParams()).lang;
  }

  async start() {
    if (unavailable) {
      const line = Object.assign(document.createElement('p'), { role: 'alert', textContent: `distill-playground could not start: ${unavailable?.message ?? unavailable}` });
      this.shadowRoot.replaceChildren(line);
      this.dispatchEvent(new CustomEvent('error', { detail: { message: String(unavailable?.message ?? unavailable) } }));
      return;
    }
    this.build();
    this.t = await translator(this.language());
    this.translate();
    await ready(await shareable()); // compiled once per page, for every component and its worker
    this.trainer = new Trainer({
      onError: (error, panic) => this.fail(panic ? Object.assign(new Error(`${error.message} (${panic})`), error) : error),
      onApplied: (index, update) => this.mirror?.set(update),
    });
    this.restart();
    // The page's frame loop (www/run/run-loop.js): the pace's steps each frame, progress drawn as it comes
    // (at full speed at most every 50 ms, or every two drawn frames where drawing is slow).
    this.loop = new RunLoop({
      trainer: this.trainer,
      owedSteps: (now) => this.pacer.stepsAt(now, this.speed(), this.playing),
      fullSpeed: () => this.playing && this.speed() === null,
      draw: (progress, now) => this.drawProgress(progress, now),
      stopped: () => !this.trainer || Boolean(lastPanic()),
      onError: (error) => this.fail(error),
    });
    this.loop.start();
  }

  /** A new student from the attributes (a bad attribute is reported and the defaults used instead). */
  restart() {
    let settings = this.settingsFromAttributes();
    let mirror;
    try {
      mirror = new Playground(settings);
    } catch (error) {
      this.fail(error);
      settings = { ...FIRST_VIEW };
      mirror = new Playground(settings);
    }
    this.mirror?.free();
    this.mirror = mirror;
    this.trainer.send('students', { arms: [{ label: 'student', settings }], playing: true });
    this.live = this.trainer.live(0, mirror);
    this.trainer.send('budget', { stopAt: this.budget() });
    this.sendSpeed();
    this.setPlaying(true);
    this.showFigures(null);
    this.syncControls();
    this.applyHide();
  }

  async restartLanguage() {
    this.t = await translator(this.language());
    this.translate();
    this.showFigures(this.lastLedger ?? null);
  }

  applySetting(field, value) {
    try {
      this.live.set({ [field]: value });
      this.say('');
      this.syncControls();
    } catch (error) {
      this.fail(error);
      this.syncControls(); // the element's controls and attributes go back to what the student has
    }
  }

  sendSpeed() {
    this.pacer.reset();
    this.trainer?.send('speed', { limited: this.speed() !== null });
  }

  setPlaying(playing) {
    this.playing = playing;
    this.trainer.send('play', { playing });
    this.part('play').textContent = this.t(playing ? 'run.pause' : 'run.play');
  }

  /** Takes the worker's progress (null: none new): the student's figures, events and grid. */
  drawProgress(progress, now) {
    if (progress?.students.length === 1) {
      const { snapshot, evaluation } = progress.students[0];
      this.mirror.adopt(snapshot);
      const report = this.mirror.report();
      // The core's message ({key, args, text}): said in the page's language by the error's key.
      if (report.diverged) this.fail(Object.assign(new Error(report.diverged.text), { key: report.diverged.key, args: report.diverged.args }));
      if (this.playing && this.budget() !== null && report.step >= this.budget()) this.setPlaying(false);
      if (evaluation) {
        this.lastLedger = evaluation;
        this.showFigures(evaluation);
        this.dispatchEvent(new CustomEvent('evaluation', { detail: evaluation }));
      }
      if (now - this.lastProgressEvent >= PROGRESS_EVERY_MS || evaluation) {
        this.lastProgressEvent = now;
        this.dispatchEvent(new CustomEvent('progress', { detail: { step: report.step, loss: report.loss, agreement: report.agreement } }));
      }
    }
    this.draw();
  }

  draw() {
    const report = this.mirror.report();
    this.mirror.render(this.part('grid'), {});
    // What the arrows show, as under the page's grid (written again when τ or the language changes).
    const tau = this.mirror.config().temperature;
    if (tau !== this.legendTau) {
      this.legendTau = tau;
      this.part('legend').textContent = this.t(tau === 1 ? 'grid.legend' : 'grid.legendTempered', { tau: tau.toFixed(2) });
    }
    const loss = report.step > 0 && Number.isFinite(report.loss) ? report.loss.toFixed(4) : '–';
    this.part('stats').textContent = this.t('run.stats', { step: report.step, loss, agreement: `${(100 * report.agreement).toFixed(1)}%` });
  }

  showFigures(ledger) {
    const pair = (student, teacher) => this.t('figure.pair', { student: percent(student), teacher: percent(teacher) });
    const measuring = this.t('common.measuring');
    this.part('kf-here').textContent = ledger ? pair(ledger.studentSuccess, ledger.teacherSuccess) : measuring;
    this.part('kf-heldout').textContent = ledger ? pair(ledger.studentHeldoutSuccess, ledger.teacherHeldoutSuccess) : measuring;
    this.part('kf-retained').textContent = ledger ? percent(ledger.retained) : measuring;
    this.part('kf-compute').textContent = ledger ? percent(ledger.computeUsed) : measuring;
  }

  /** Errors go to the element's error line and to an `error` event; nothing else changes. */
  fail(error) {
    const detail = { message: String(error?.message ?? error), key: error?.key, args: error?.args, field: error?.field };
    this.say(this.describe(error));
    this.dispatchEvent(new CustomEvent('error', { detail }));
  }

  describe(error) {
    if (error?.key) return `${error.field ? `${error.field}: ` : ''}${this.t(error.key, error.args ?? {})}`;
    return String(error?.message ?? error);
  }

  say(text) {
    const line = this.part('error');
    line.textContent = text;
    line.hidden = text === '';
  }

  part(name) {
    return this.shadowRoot.querySelector(`[data-part="${name}"]`);
  }

  /** The element's shadow DOM: the grid, the key figures, Play/Step/Reset, four settings, the stats line. */
  build() {
    const root = this.shadowRoot;
    root.replaceChildren();
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLESHEET.href;
    const frame = document.createElement('div');
    frame.className = 'frame';
    const element = (tag, attributes = {}, children = []) => {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      node.append(...children);
      return node;
    };
    const figure = (name, key) => element('div', { 'data-part': `figure-${name}` }, [element('dt', { 'data-key': key }), element('dd', { 'data-part': `kf-${name}` })]);
    const slider = settingOf('temperature').slider;
    const select = (field, options) => element('label', { 'data-part': field }, [
      element('span', { 'data-key': settingOf(field).label }),
      element('select', { 'data-field': field }, options.map(([value, key]) => element('option', { value, ...(key ? { 'data-key': key } : {}) }, key ? [] : [String(value)]))),
    ]);
    frame.append(
      element('canvas', { 'data-part': 'grid', width: '480', height: '480', tabindex: '0', 'data-key-aria-label': 'grid.label' }),
      element('p', { 'data-part': 'legend' }),
      element('dl', { 'data-part': 'figures' }, [figure('here', 'figure.here'), figure('heldout', 'figure.heldout'), figure('retained', 'figure.retained'), figure('compute', 'figure.compute')]),
      element('div', { 'data-part': 'buttons' }, [
        element('button', { type: 'button', 'data-part': 'play' }),
        element('button', { type: 'button', 'data-part': 'step', 'data-key': 'run.step' }),
        element('button', { type: 'button', 'data-part': 'reset', 'data-key': 'run.reset' }),
      ]),
      element('div', { 'data-part': 'settings' }, [
        select('map', settingOf('map').options.map((m) => [m, `map.${m}`])),
        select('hidden', settingOf('hidden').offered.map((w) => [w, null])),
        select('loss', settingOf('loss').options.map((l) => [l, `loss.${l}`])),
        element('label', { 'data-part': 'temperature' }, [element('span', { 'data-key': settingOf('temperature').label }), element('output', { 'data-part': 'temperature-value' }),
          element('input', { type: 'range', min: String(slider.min), max: String(slider.max), step: String(slider.step), 'data-field': 'temperature' })]),
      ]),
      element('p', { 'data-part': 'stats', 'aria-live': 'off' }),
      element('p', { 'data-part': 'error', role: 'alert', hidden: '' }),
    );
    root.append(link, frame);
    this.part('play').addEventListener('click', () => this.setPlaying(!this.playing || this.atBudget()));
    this.part('step').addEventListener('click', () => { this.setPlaying(false); this.trainer.send('step'); });
    this.part('reset').addEventListener('click', () => this.restart());
    for (const control of root.querySelectorAll('[data-field]')) {
      const live = control.type === 'range';
      control.addEventListener(live ? 'input' : 'change', () => {
        const field = control.dataset.field;
        const value = field === 'temperature' ? Number((10 ** Number(control.value)).toPrecision(3)) : settingValue(control.value);
        this.applySetting(field, value);
      });
    }
  }

  atBudget() {
    return this.budget() !== null && this.mirror.step >= this.budget();
  }

  /** The element's words in its language. */
  translate() {
    const root = this.shadowRoot;
    for (const node of root.querySelectorAll('[data-key]')) node.textContent = this.t(node.dataset.key);
    for (const node of root.querySelectorAll('[data-key-aria-label]')) node.setAttribute('aria-label', this.t(node.dataset.keyAriaLabel));
    if (this.trainer) this.part('play').textContent = this.t(this.playing ? 'run.pause' : 'run.play');
    this.part('grid').closest('.frame').lang = this.language();
    this.legendTau = undefined; // the legend is written again in this language at the next draw
  }

  /** The controls and the attributes say what the student has (a change the student refused is undone). */
  syncControls() {
    const config = this.mirror.config();
    for (const control of this.shadowRoot.querySelectorAll('[data-field]')) {
      const value = config[control.dataset.field];
      control.value = control.dataset.field === 'temperature' ? String(Math.log10(value)) : String(value);
    }
    this.part('temperature-value').textContent = ` ${config.temperature.toFixed(2)}`;
    this.writingBack = true;
    try {
      for (const name of SETTINGS) {
        if (!this.hasAttribute(name) && !['map', 'width', 'loss', 'temperature'].includes(name)) continue;
        const value = config[camel(name)];
        if (value !== undefined && value !== null && this.getAttribute(name) !== String(value)) this.setAttribute(name, String(value));
      }
    } finally {
      this.writingBack = false;
    }
  }

  applyHide() {
    const hidden = new Set((this.getAttribute('hide') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    for (const name of PARTS) {
      const part = this.part(name);
      if (part) part.hidden = hidden.has(name) || (name === 'hidden' && hidden.has('width'));
    }
    const unknown = [...hidden].filter((name) => !PARTS.includes(name) && name !== 'width');
    if (unknown.length > 0) this.fail(Object.assign(new Error(`hide= names no part of this element: ${unknown.join(', ')}`), { key: 'component.unknownHidden', args: { names: unknown.join(', '), options: PARTS.join(', ') } }));
  }
}

if (!customElements.get('distill-playground')) customElements.define('distill-playground', DistillPlaygroundElement);
