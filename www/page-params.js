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
 * `lessonIds` are the catalogue's. Returns `{scenario, lesson, speed, budget, rejected}`: each
 * field undefined when absent or refused; `speed` is an index into SPEEDS; `rejected` lists
 * `{field, reason}` for the notice (values are quoted as text, never used as markup).
 */
export function readPageParams(search, { scenarioIds, lessonIds }) {
  const out = { rejected: [] };
  const refuse = (field, value, reason) => out.rejected.push({ field, reason: `${JSON.stringify(String(value).slice(0, 40))}: ${reason}` });
  const scenario = search.get('scenario');
  if (scenario !== null) {
    if (scenarioIds.includes(scenario)) out.scenario = scenario;
    else refuse('scenario', scenario, `not a scenario (choose one of ${scenarioIds.join(', ')})`);
  }
  const lesson = search.get('lesson');
  if (lesson !== null) {
    if (lessonIds.includes(lesson)) out.lesson = lesson;
    else refuse('lesson', lesson, `not a lesson (choose one of ${lessonIds.join(', ')})`);
  }
  const speed = search.get('speed');
  if (speed !== null) {
    const index = SPEEDS.findIndex((s) => (s === null ? speed === 'full' : String(s) === speed));
    if (index >= 0) out.speed = index;
    else refuse('speed', speed, `not a speed of the page (${SPEEDS.map((s) => s ?? 'full').join(', ')} steps/s)`);
  }
  const budget = search.get('budget');
  if (budget !== null) {
    const steps = Number(budget);
    if (budget.trim() !== '' && Number.isInteger(steps) && steps >= 0 && steps <= MAX_BUDGET) out.budget = steps;
    else refuse('budget', budget, `must be a whole number of steps in 0..=${MAX_BUDGET.toLocaleString('en-US')} (0: no budget)`);
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
  if (scenario) params.set('scenario', scenario);
  else params.delete('scenario');
  params.set('speed', String(SPEEDS[speed] ?? 'full'));
  params.set('budget', String(budget ?? 0));
  const text = params.toString();
  return text ? `?${text}` : '';
}
