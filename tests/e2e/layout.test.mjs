// End-to-end tests (layout): one screen that teaches: at 1366×768 the grid, play and the key figures
// are in the first viewport; the key figures say how each is measured; presenter mode.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

e2eTest('at 1366×768 the grid, play, the budget and the key figures are in the first viewport; presenter mode enlarges them', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/', { width: 1366, height: 768 });
  const inView = () => page.evaluate(() => Object.fromEntries(['grid', 'play', 'budget-progress', 'key-figures', 'stats'].map((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return [id, { top: r.top, bottom: r.bottom, height: r.height, fits: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 }];
  })));
  const before = await inView();
  for (const [id, box] of Object.entries(before)) assert.ok(box.fits, `#${id} is in the first viewport: ${JSON.stringify(box)}`);
  // The key figures fill in from the first evaluation, each with how it is measured.
  await page.waitForFunction(() => document.getElementById('key-figures').dataset.state === 'measured', null, { timeout: 30000 });
  const figures = await page.$$eval('#key-figures > div', (items) => items.map((d) => ({ name: d.querySelector('dt').textContent, value: d.querySelector('dd').textContent, title: d.title })));
  assert.deepEqual(figures.map((f) => f.name), ['success, this map', 'success, held-out maps', 'ability retained', 'compute used', 'mean KL (τ\u00a0=\u00a01)']);
  assert.match(figures[0].value, /^student \d+\.\d% · teacher \d+\.\d%$/);
  assert.match(figures[1].value, /^student \d+\.\d% · teacher \d+\.\d%$/);
  assert.match(figures[2].value, /^\d+\.\d%$/);
  for (const f of figures) assert.ok(f.title.length > 60, `"${f.name}" says how it is measured`);
  // No number renders as "-0.0000": nowhere on the page, and not from the formatting itself.
  const negativeZeros = await page.evaluate(() => document.body.innerText.match(/-0\.0+(?![0-9])/g) ?? []);
  assert.deepEqual(negativeZeros, [], 'negative zeros on the page');
  const formatted = await page.evaluate(async () => {
    const { fixed, formatLoss } = await import('./www/views/panels.js');
    return [fixed(-1e-9, 4), fixed(-0.00004, 3), formatLoss(-1e-13), fixed(-0.25, 2)];
  });
  assert.deepEqual(formatted, ['0.0000', '0.000', '0', '-0.25']);
  // The arrows' temperature is stated under the grid: the moves each makes (τ = 1) whatever the
  // training τ, and the training τ's softened targets when asked.
  await page.evaluate(() => {
    const t = document.getElementById('temperature');
    t.value = t.max;
    t.dispatchEvent(new Event('input', { bubbles: true }));
    t.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForFunction(() => window.playground.config().temperature === 10, null, { timeout: 5000 });
  await page.waitForFunction(() => /τ\s=\s1\.00 \(teacher and student alike\)/.test(document.getElementById('arrow-legend').textContent), null, { timeout: 5000 });
  await page.check('#soft-arrows');
  await page.waitForFunction(() => /τ\s=\s10\.00 \(teacher and student alike/.test(document.getElementById('arrow-legend').textContent), null, { timeout: 5000 });
  await page.click('#soft-arrows'); // unchecked again: the moves each makes
  // Every setting says what it is, its formula and its reference: on hover (its label's title) and,
  // for touch and keyboard, in the explanation line when it is focused.
  const untitled = await page.evaluate(() => Array.from(document.querySelectorAll('#controls-panel input, #controls-panel select'))
    .filter((e) => e.type !== 'file' && !Array.from(e.labels ?? []).some((l) => l.title.length > 40)).map((e) => e.id));
  assert.deepEqual(untitled, [], 'controls without an explanation');
  await page.locator('#temperature').focus();
  assert.match(await page.textContent('#explain'), /p\^τ = softmax\(z \/ τ\).*Hinton, Vinyals & Dean 2015/);
  await page.locator('#loss').focus();
  assert.match(await page.textContent('#explain'), /behaviour cloning.*KL/);
  // Presenter mode: larger type and a larger grid, the explanation folded away, play still in view.
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const normal = await size();
  await page.click('#presenter');
  assert.equal(await page.evaluate(() => document.body.classList.contains('presenter')), true);
  assert.ok(await size() > normal * 1.2, 'larger type');
  assert.equal(await page.isVisible('#first-view'), false);
  const presenting = await inView();
  assert.ok(presenting.grid.height > before.grid.height, `a larger grid: ${presenting.grid.height} vs ${before.grid.height}`);
  assert.ok(presenting.play.fits && presenting['key-figures'].fits, 'play and the key figures stay in view');
  // One 16:9 screen holds what a lecture needs: the whole grid, τ and the loss, a live curve and the
  // episode buttons, in type of at least 20 px.
  await page.waitForFunction(() => document.querySelector('#curves .curve canvas'), null, { timeout: 30000 });
  const slide = await page.evaluate(() => {
    const parts = { grid: '#grid', temperature: '#temperature', loss: '#loss', curve: '#curves .curve', race: '#episode-race', stats: '#stats' };
    return Object.fromEntries(Object.entries(parts).map(([name, selector]) => {
      const r = document.querySelector(selector).getBoundingClientRect();
      return [name, r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth + 1];
    }));
  });
  assert.deepEqual(slide, { grid: true, temperature: true, loss: true, curve: true, race: true, stats: true }, 'presenter mode fits one screen');
  assert.ok(await size() >= 20, `type of ${await size()} px`);
  await page.click('#presenter');
  assert.equal(await page.evaluate(() => document.body.classList.contains('presenter')), false);
  assert.equal(await size(), normal);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('a first visit can take a one-minute tour that outlines each part of the page in turn', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/', { width: 1366, height: 768 });
  // The tour scrolls smoothly to each part; WebKit's driver refuses a click on a button while the
  // page is moving under it, so the tour's own buttons are pressed from inside the page.
  const press = (id) => page.evaluate((which) => document.getElementById(which).click(), id);
  assert.equal(await page.isVisible('#tour'), false, 'the tour never opens by itself');
  await press('tour-start');
  const seen = [];
  for (let i = 0; i < 10 && await page.isVisible('#tour'); i++) {
    seen.push(await page.evaluate(() => ({ text: document.getElementById('tour-text').textContent, target: document.querySelector('.tour-target')?.id })));
    await press('tour-next');
  }
  assert.deepEqual(seen.map((s) => s.target), ['grid', 'play', 'key-figures', 'stages', 'scenario', 'episode-race', 'lessons']);
  seen.forEach((s, i) => assert.match(s.text, new RegExp(`^${i + 1} of 7\\. `)));
  assert.match(seen[0].text, /arrows/);
  assert.equal(await page.evaluate(() => document.querySelector('.tour-target')), null, 'Done removes the outline');
  // Back and Close.
  await press('tour-start');
  await press('tour-next');
  await press('tour-back');
  assert.equal(await page.evaluate(() => document.querySelector('.tour-target')?.id), 'grid');
  await press('tour-close');
  assert.equal(await page.isVisible('#tour'), false);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});

e2eTest('the settings sit stage by stage along the pipeline, left to right in the first viewport, each counting what flowed through it', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin, '/', { width: 1366, height: 768 });
  await page.waitForFunction(() => Number(document.getElementById('pipe-consumed').textContent.replace(/,/g, '')) > 0, null, { timeout: 30000 });
  const stages = await page.evaluate(() => ['stage-teacher', 'stage-log', 'stage-dataset', 'stage-student'].map((id) => {
    const element = document.getElementById(id);
    const box = element.getBoundingClientRect();
    return { id, left: box.left, top: box.top, bottom: box.bottom, legend: element.querySelector('legend').textContent.replace(/\s+/g, ' ').trim(),
      controls: Array.from(element.querySelectorAll('select, input')).map((c) => c.id) };
  }));
  for (let i = 1; i < stages.length; i++) {
    assert.ok(stages[i].left > stages[i - 1].left && Math.abs(stages[i].top - stages[0].top) < 40, `left to right in one row: ${JSON.stringify(stages)}`);
  }
  for (const stage of stages) assert.ok(stage.bottom <= 768, `${stage.id} is in the first viewport (bottom ${stage.bottom})`);
  assert.deepEqual(stages.map((s) => s.legend.split(' ')[0]), ['Teacher', 'Behaviour', 'Dataset', 'Student']);
  for (const stage of stages) assert.match(stage.legend, /\d/, `${stage.id} counts what flowed through it: ${stage.legend}`);
  assert.ok(stages[0].controls.includes('teacher') && stages[1].controls.includes('data') && stages[2].controls.includes('train-maps')
    && ['hidden', 'loss', 'temperature', 'lr'].every((id) => stages[3].controls.includes(id)), JSON.stringify(stages.map((s) => s.controls)));
  // The folded settings open by themselves when a link or scenario changes one of them.
  assert.equal(await page.evaluate(() => document.getElementById('more-student').open), false);
  // The selected-cell panel is never empty: before any click it shows the start cell.
  assert.match(await page.textContent('#cell-name'), /start cell, column \d+, row \d+/);
  assert.equal(await page.evaluate(() => document.querySelectorAll('#cell-probs tbody tr').length), 3);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
  const linked = await openPage(browser, origin, '/#planWeight=0.5', { width: 1366, height: 768 });
  await linked.page.waitForFunction(() => window.playground?.config?.().planWeight === 0.5, null, { timeout: 30000 });
  assert.equal(await linked.page.evaluate(() => document.getElementById('more-student').open), true, 'a changed folded setting is in sight');
  await linked.page.close();
});

e2eTest('on a phone the grid stays where it is when a run\'s first figures replace "measuring…"', async ({ browser, origin }) => {
  // The first view (1,024 maps) and the map shown alone, whose note is three lines long on a phone.
  for (const path of ['/', '/#map=open&trainMaps=current']) {
    for (const width of [360, 400]) {
      const { page, problems } = await openPage(browser, origin, path, { width, height: 800 });
      const where = () => ({ top: Math.round(document.getElementById('grid').getBoundingClientRect().top), state: document.getElementById('key-figures').dataset.state });
      await page.waitForFunction(() => document.getElementById('key-figures').dataset.state === 'measured', null, { timeout: 60000 });
      const measured = await page.evaluate(where);
      // Reset starts a new run: the figures say "measuring…" until its first evaluation (read in
      // the same task as the click, before any evaluation can arrive).
      const measuring = await page.evaluate(() => {
        document.getElementById('reset').click();
        return { top: Math.round(document.getElementById('grid').getBoundingClientRect().top), state: document.getElementById('key-figures').dataset.state };
      });
      assert.equal(measuring.state, 'measuring', `${path} at ${width} px`);
      await page.waitForFunction(() => document.getElementById('key-figures').dataset.state === 'measured', null, { timeout: 60000 });
      const again = await page.evaluate(where);
      // And once the step has four digits (the note's step is on a line of its own).
      await page.waitForFunction(() => /step \d,\d{3}/.test(document.getElementById('kf-note').textContent), null, { timeout: 60000 });
      const later = await page.evaluate(where);
      assert.deepEqual([measuring.top, again.top, later.top], [measured.top, measured.top, measured.top], `${path} at ${width} px: the grid's top while measured, measuring, measured again, measured past step 1,000`);
      assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
      await page.close();
    }
  }
});

e2eTest('on a desktop the charts, the ledger and the lessons keep their places while the first figures arrive and after Reset', async ({ browser, origin }) => {
  // The charts are made one per frame and the ledger fills at the first evaluation; their places are
  // kept from the first frame, so a reader's click on a lesson or on the sweep lands where it aimed.
  const ids = ['curves', 'ledger-panel', 'sweep', 'lessons', 'lesson-run'];
  for (const [path, viewport] of [['/', { width: 1366, height: 768 }], ['/#lessons', { width: 1200, height: 900 }]]) {
    const { page, problems } = await openPage(browser, origin, path, viewport);
    const where = (names) => names.map((id) => {
      const box = document.getElementById(id).getBoundingClientRect();
      return `${id} ${Math.round(box.top + scrollY)}`;
    });
    const first = await page.evaluate(where, ids);
    await page.waitForFunction(() => document.getElementById('ledger').dataset.state === 'measured' && document.querySelectorAll('#curves .u-wrap').length === 3, null, { timeout: 60000 });
    const measured = await page.evaluate(where, ids);
    // Reset: new charts and "…" in the ledger, read in the same task as the click.
    const measuring = await page.evaluate((names) => {
      document.getElementById('reset').click();
      return names.map((id) => `${id} ${Math.round(document.getElementById(id).getBoundingClientRect().top + scrollY)}`);
    }, ids);
    await page.waitForFunction(() => document.getElementById('ledger').dataset.state === 'measured' && document.querySelectorAll('#curves .u-wrap').length === 3, null, { timeout: 60000 });
    const again = await page.evaluate(where, ids);
    for (const [moment, places] of [['measured', measured], ['just after Reset', measuring], ['measured again', again]]) {
      assert.deepEqual(places, first, `${path} at ${viewport.width} px: places at the first frame and ${moment}`);
    }
    assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
    await page.close();
  }
});
