// End-to-end tests (RL fine-tuning): a budget of its own, kickstarting on the page, success before and after.
// Run with the others by `node tests/e2e/run.mjs` (E2E_BROWSER=firefox|webkit for the other engines).
import assert from 'node:assert/strict';
import { e2eTest, openPage } from './harness.mjs';

e2eTest('RL fine-tuning runs a budget of its own with kickstarting set on the page, and reports success before and after', async ({ browser, origin }) => {
  const { page, problems } = await openPage(browser, origin);
  await page.locator('#speed').fill('5');
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Keep training', null, { timeout: 60000 });
  // The distilled student's success on this map is measured before fine-tuning starts.
  await page.waitForFunction(() => document.getElementById('ledger').dataset.state === 'measured', null, { timeout: 30000 });
  await page.waitForTimeout(1700); // an evaluation at the final step
  await page.evaluate(() => { document.getElementById('rl').open = true; });
  await page.locator('#kickstart').fill('2');
  await page.locator('#kickstart').dispatchEvent('change');
  await page.locator('#kickstart-decay').fill('0.95');
  await page.locator('#kickstart-decay').dispatchEvent('change');
  const config = await page.evaluate(() => window.playground.config());
  assert.equal(config.kickstart, 2);
  assert.equal(config.kickstartDecay, 0.95);
  assert.match(await page.evaluate(() => location.hash), /kickstart=2/, 'the link carries the kickstarting weight');
  await page.click('#finetune');
  assert.equal(await page.evaluate(() => window.playground.config().phase), 'finetune');
  assert.equal(await page.textContent('#play'), 'Pause', 'fine-tuning starts at once');
  assert.match(await page.textContent('#budget-text'), /of 6,000$/, 'a budget of its own: 3,000 more steps');
  await page.waitForFunction(() => /→ \d+\.\d%/.test(document.getElementById('rl-note').textContent), null, { timeout: 60000 });
  const note = await page.textContent('#rl-note');
  assert.match(note, /^RL fine-tuning since step 3,000: success on this map \d+\.\d% → \d+\.\d% \(teacher \d+\.\d%\); pull towards the teacher λ_k = \d\.\d{3}\./);
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Keep training', null, { timeout: 120000 });
  assert.equal(await page.evaluate(() => window.playground.report().step), 6000, 'fine-tuning stops at its budget');
  // The warning, from the same function the page uses: a drop is said at once, with what to change.
  const notes = await page.evaluate(async () => {
    const [{ finetuneNote }, { useLanguage }] = await Promise.all([import('./www/views/finetune-note.js'), import('./www/i18n.js')]);
    // These are the source modules, not the page's bundle (scripts/bundle.mjs): their catalogue is loaded here.
    await useLanguage('en');
    return [finetuneNote({ startStep: 3000, before: 0.836, now: 0.274, teacher: 0.93, lambda: 0.1 }),
      finetuneNote({ startStep: 3000, before: 0.836, now: 0.82, teacher: 0.93, lambda: 0.5 })];
  });
  assert.equal(notes[0].dropped, true);
  assert.match(notes[0].text, /83\.6% → 27\.4% \(teacher 93\.0%\).*dropped by 56\.2 points.*raise the kickstarting weight/);
  assert.equal(notes[1].dropped, false, 'a change within 5 points is not a drop');
  // Back to distillation clears the note.
  await page.click('#finetune');
  assert.equal(await page.isHidden('#rl-note'), true);
  assert.deepEqual(problems, { console: [], errors: [], foreign: [] });
  await page.close();
});
