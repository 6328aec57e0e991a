// What a link carries besides the settings (which are in its fragment, `#loss=kl&…`): the scenario or
// lesson it opens, the training speed and the run's budget, in its query (`?scenario=temperature&
// speed=300&budget=1500`, beside `embed=1`, `hide=` and `show=`). Read and written here, checked
// field by field: a bad value is named in the page's notice and the page's own default is kept.

/** Training speeds the page offers, in steps per second (null: as fast as the machine goes). */
export const SPEEDS = [30, 100, 300, 1000, 3000, null];
/** The most steps a link's budget may ask for (0 means no budget). */
export const MAX_BUDGET = 10_000_000;

/**
 * Reads `scenario`, `speed` and `budget` from `search` (a URLSearchParams). `scenarioIds` and
 * `lessonIds` are the catalogue's. Returns `{scenario, lesson, present, speed, budget, rejected}` (`present`: true for `present=1`): each
 * field undefined when absent or refused; `speed` is an index into SPEEDS; `rejected` lists
 * `{field, reason}` for the notice, `reason` a catalogue message `{key, args}` (www/i18n.js; values are
 * quoted as text, never used as markup).
 */
export function readPageParams(search, { scenarioIds, lessonIds }) {
  const out = { rejected: [] };
  const refuse = (field, value, key, args = {}) => out.rejected.push({ field, reason: { key, args: { value: JSON.stringify(String(value).slice(0, 40)), ...args } } });
  const scenario = search.get('scenario');
  if (scenario !== null) {
    if (scenarioIds.includes(scenario)) out.scenario = scenario;
    else refuse('scenario', scenario, 'link.notScenario', { options: scenarioIds.join(', ') });
  }
  const lesson = search.get('lesson');
  if (lesson !== null) {
    if (lessonIds.includes(lesson)) out.lesson = lesson;
    else refuse('lesson', lesson, 'link.notLesson', { options: lessonIds.join(', ') });
  }
  const present = search.get('present');
  if (present !== null) {
    if (present === '1') out.present = true;
    else refuse('present', present, 'link.notPresent');
  }
  const speed = search.get('speed');
  if (speed !== null) {
    const index = SPEEDS.findIndex((s) => (s === null ? speed === 'full' : String(s) === speed));
    if (index >= 0) out.speed = index;
    else refuse('speed', speed, 'link.notSpeed', { options: SPEEDS.map((s) => s ?? 'full').join(', ') });
  }
  const budget = search.get('budget');
  if (budget !== null) {
    const steps = Number(budget);
    if (budget.trim() !== '' && Number.isInteger(steps) && steps >= 0 && steps <= MAX_BUDGET) out.budget = steps;
    else refuse('budget', budget, 'link.badBudget', { max: MAX_BUDGET.toLocaleString('en-US') });
  }
  return out;
}

/**
 * The page's query for a link: `search`'s own parameters (embed, hide, show…) with `scenario`
 * (a scenario id or '' for free play), `speed` (an index into SPEEDS) and `budget` (steps, or null
 * for none) written over them. Returns the query string with its `?` ('' when empty).
 */
export function writePageParams(search, { scenario, speed, budget }) {
  const params = new URLSearchParams(search);
  params.delete('lesson');
  params.delete('present');
  if (scenario) params.set('scenario', scenario);
  else params.delete('scenario');
  params.set('speed', String(SPEEDS[speed] ?? 'full'));
  params.set('budget', String(budget ?? 0));
  const text = params.toString();
  return text ? `?${text}` : '';
}
