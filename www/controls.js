// The page's controls: one table mapping each element id to a config field and its scale,
// so reading a control, writing it from a config, and adding a new one are all one place.

/** kind: 'log' = range holding log10 of the value; 'linear' = range holding the value;
 *  'select' = string option; 'int' = whole number (select or number input);
 *  'maps' = "current", "stream" or a number of maps (select). */
export const CONTROLS = [
  { id: 'temperature', field: 'temperature', kind: 'log', digits: 2 },
  { id: 'loss', field: 'loss', kind: 'select' },
  { id: 'lr', field: 'lr', kind: 'log', digits: 4 },
  { id: 'hidden', field: 'hidden', kind: 'int' },
  { id: 'map', field: 'map', kind: 'select' },
  { id: 'seed', field: 'seed', kind: 'int' },
  { id: 'teacher', field: 'teacher', kind: 'select' },
  { id: 'mix-weight', field: 'mixWeight', kind: 'linear', digits: 2 },
  { id: 'teacher-noise', field: 'teacherNoise', kind: 'linear', digits: 2 },
  { id: 'data', field: 'data', kind: 'select' },
  { id: 'train-maps', field: 'trainMaps', kind: 'maps' },
  { id: 'label-budget', field: 'labelBudget', kind: 'int' },
  { id: 'data-beta', field: 'dataBeta', kind: 'linear', digits: 2 },
  { id: 'slip', field: 'slip', kind: 'linear', digits: 2 },
  { id: 'plan-weight', field: 'planWeight', kind: 'linear', digits: 2 },
  { id: 'jsd-beta', field: 'jsdBeta', kind: 'linear', digits: 2 },
  { id: 'soft-weight', field: 'softWeight', kind: 'linear', digits: 2 },
  { id: 'kickstart', field: 'kickstart', kind: 'linear', digits: 2 },
  { id: 'kickstart-decay', field: 'kickstartDecay', kind: 'linear', digits: 2 },
];

/** The config value a control currently shows. */
export function readControl(control) {
  const element = document.getElementById(control.id);
  switch (control.kind) {
    case 'log': return Number((10 ** Number(element.value)).toPrecision(3));
    case 'linear': return Number(element.value);
    case 'int': return Math.round(Number(element.value));
    case 'maps': return element.value === 'current' || element.value === 'stream' ? element.value : Number(element.value);
    default: return element.value;
  }
}

/** Shows `value` in a control (and in its <output>, if it has one). */
export function writeControl(control, value) {
  const element = document.getElementById(control.id);
  if (!element || value === undefined) return;
  if (control.kind === 'log') element.value = String(Math.log10(value));
  else if (element.tagName === 'SELECT' && control.field === 'map' && value === 'custom') {
    // A custom map has no entry in the list of built-in maps.
  } else element.value = String(value);
  showValue(control, value);
}

export function showValue(control, value) {
  const output = document.getElementById(`${control.id}-value`);
  if (output && typeof value === 'number') output.textContent = value.toFixed(control.digits ?? 2);
}

/** Calls `onChange(field, value)` whenever the user changes a control. */
export function watchControls(onChange) {
  for (const control of CONTROLS) {
    const element = document.getElementById(control.id);
    const live = control.kind === 'log' || control.kind === 'linear';
    element.addEventListener(live ? 'input' : 'change', () => {
      const value = readControl(control);
      showValue(control, value);
      onChange(control.field, value);
    });
  }
}
