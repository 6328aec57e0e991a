// The page's controls, made from the settings schema the core declares once (`settingsSchema()`:
// each setting's name, range, and the slider that shows it): which settings have a control, each
// control's range, reading a control, and writing it from a config. A setting added to the schema
// with a page control needs only its element in index.html (id: the name in kebab-case).

/** A setting's name in kebab-case: its element id on the page, its attribute on the web component. */
export const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The control kind for a schema entry: 'log' = range holding log10 of the value; 'linear' = range
 * holding the value; 'select' = a named option; 'int' = a whole number (select or number input);
 * 'maps' = "current", "stream" or a number of maps (select). */
function kindOf(setting) {
  if (setting.slider) return setting.slider.log ? 'log' : 'linear';
  if (setting.kind === 'choice') return 'select';
  if (setting.kind === 'maps') return 'maps';
  return 'int';
}

/** The page's controls: one per setting the schema gives a page control, in the schema's order. */
export function pageControls(schema) {
  return schema.filter((setting) => setting.pageControl).map((setting) => ({
    id: kebab(setting.name),
    field: setting.name,
    kind: kindOf(setting),
    digits: setting.slider?.digits ?? 2,
    setting,
  }));
}

/** Gives each control its range from the schema: a slider's min, max and step; a number box's
 * min and max; the width list the widths offered. */
export function applySchema(controls) {
  for (const { id, setting } of controls) {
    const element = document.getElementById(id);
    if (setting.slider) {
      for (const key of ['min', 'max', 'step']) element[key] = String(setting.slider[key]);
    } else if (setting.kind === 'integer') {
      element.min = String(setting.min);
      element.max = String(setting.max);
    } else if (setting.kind === 'integerChoice') {
      element.replaceChildren(...setting.offered.map((value) => new Option(String(value), String(value))));
    }
  }
}

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

/** Calls `onChange(field, value)` whenever the user changes one of `controls`. */
export function watchControls(controls, onChange) {
  for (const control of controls) {
    const element = document.getElementById(control.id);
    const live = control.kind === 'log' || control.kind === 'linear';
    element.addEventListener(live ? 'input' : 'change', () => {
      const value = readControl(control);
      showValue(control, value);
      onChange(control.field, value);
    });
  }
}
