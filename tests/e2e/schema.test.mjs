// End-to-end tests (settings schema): every setting is declared once, in the Rust core, and the
// page's controls, the web component's attributes and the link take their names and ranges from it
// (`settingsSchema()`). The command line's flags and `--set` are checked natively
// (crate/src/bin/distill/settings_args.rs, crate/src/training/settings/tests.rs).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

e2eTest('the page, the component and the link take every setting\'s name and range from the schema', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  const found = await page.evaluate(async () => {
    const { settingsSchema, configFromLink, linkFromConfig } = await import('./www/playground.js');
    const schema = settingsSchema();
    const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    // The page: each setting with a page control has its element, with the schema's range.
    const controls = schema.filter((s) => s.pageControl).map((s) => {
      const element = document.getElementById(kebab(s.name));
      if (!element) return { name: s.name, missing: true };
      const options = element.tagName === 'SELECT' ? [...element.options].map((o) => o.value) : null;
      return { name: s.name, kind: s.kind, slider: s.slider, want: { min: s.min, max: s.max, options: s.options, offered: s.offered, names: s.names },
        min: element.min, max: element.max, step: element.step, options };
    });
    // The component: its observed attributes are the schema's attributes (and its own four).
    await import('./www/distill-playground.js');
    const observed = customElements.get('distill-playground').observedAttributes;
    const attributes = schema.filter((s) => s.attribute).map((s) => s.attribute);
    // The link: a link naming every setting at its default gives back every default, refusing none.
    const defaults = Object.fromEntries(schema.map((s) => [s.name, s.default]));
    const link = linkFromConfig(defaults);
    const back = configFromLink(link);
    return { count: schema.length, controls, observed, attributes, link, rejected: back.rejected, config: back.config, defaults,
      names: schema.map((s) => s.name), configNames: Object.keys(window.playground.config()) };
  });
  assert.ok(found.count >= 30, `the schema lists every setting: ${found.count}`);
  assert.deepEqual([...found.names].sort(), [...found.configNames].sort(), 'the schema names exactly the settings a config has');
  for (const c of found.controls) {
    assert.ok(!c.missing, `the page has a control for ${c.name}`);
    if (c.slider) {
      assert.deepEqual([Number(c.min), Number(c.max), Number(c.step)], [c.slider.min, c.slider.max, c.slider.step], `${c.name}: the slider's range is the schema's`);
      const [low, high] = c.slider.log ? [10 ** c.slider.min, 10 ** c.slider.max] : [c.slider.min, c.slider.max];
      assert.ok(low >= c.want.min - 1e-9 && high <= c.want.max + 1e-9, `${c.name}: the slider offers only what the setting takes`);
    } else if (c.kind === 'integer') {
      assert.deepEqual([Number(c.min), Number(c.max)], [c.want.min, c.want.max], `${c.name}: the number box's range is the schema's`);
    } else if (c.kind === 'choice') {
      assert.deepEqual(c.options, c.want.options, `${c.name}: the list offers the schema's options`);
    } else if (c.kind === 'integerChoice') {
      assert.deepEqual(c.options.map(Number), c.want.offered, `${c.name}: the list offers the schema's widths`);
    } else if (c.kind === 'maps') {
      for (const option of c.options) assert.ok(c.want.names.includes(option) || (Number(option) >= 1 && Number(option) <= 4096), `${c.name}: ${option}`);
    }
  }
  for (const attribute of found.attributes) assert.ok(found.observed.includes(attribute), `the component observes ${attribute}`);
  assert.deepEqual(found.observed.filter((a) => !found.attributes.includes(a)).sort(), ['budget', 'hide', 'lang', 'speed'], 'and only its own besides');
  assert.deepEqual(found.rejected, [], 'a link of every default is taken whole');
  assert.equal(found.config.temperature, found.defaults.temperature);
  assert.equal(found.config.hidden, found.defaults.hidden);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});
