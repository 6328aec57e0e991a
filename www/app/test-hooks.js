// The page's hooks for its tests and its bench, all on one object, `window.__test`, present only
// when the browser is driven by automation (`navigator.webdriver`: Playwright, puppeteer and
// WebDriver set it; the end-to-end suite and `npm run bench` run so). A reader's browser never has
// it, and nothing the page does depends on it: the page writes to it, only tests read it.
// What it holds: `frames` (frames drawn), `evaluations` (ledgers received from the worker),
// `firstTrainedFrameMs` (performance.now() of the first frame after training began), `travel` (time
// travel's past weights), `trainerSettled()` (the worker has handled every command and the page has
// drawn its answer), `lessonArms(id)`, `lessonCurveSteps` (the steps of the Lessons view's last curves), `humanComparison` (you-as-teacher's last comparison),
// `cspViolations` (set by boot.js) and `i18nMissing` (catalogue keys asked for and missing).
export const testHooks = globalThis.navigator?.webdriver === true ? (globalThis.__test ??= {}) : null;
