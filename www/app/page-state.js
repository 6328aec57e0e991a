// The page's shared state: what more than one part of the page reads or changes (is the run playing,
// where it stops, the newest evaluations, the selected cell). main.js makes the one the page uses and
// hands it to the modules that need it; what only one module needs stays in that module.

/** The run's budget when the page opens (steps); a scenario's budget is its own length. */
export const DEFAULT_BUDGET = 3000;

/** A fresh state for the page (main.js makes one, when the page opens). */
export function createPageState() {
  return {
    /** Whether the run trains (Play) or is paused; set through the run controls (`setPlaying`). */
    playing: true,
    /** The run stops when every student reaches this step (null: no budget); "Keep training" adds
     * the budget field's steps to it. */
    stopAt: DEFAULT_BUDGET,
    /** The main student's newest ledger (kept after it is drawn). */
    lastLedger: null,
    /** The cell clicked on the grid ([x, y]), or null: the map's start cell stands in. */
    selected: null,
    /** performance.now() when the curves last took a point. */
    lastCurve: 0,
    /** Each student's newest evaluation (ledger, held-out success) from the worker, not yet drawn. */
    evaluations: [],
    /** Each student's newest evaluation, kept after it is drawn (the scenario's measure reads it). */
    latestEvaluations: [],
    /** Each student's last held-out success drawn on the curves (null: not measured yet). */
    heldout: [],
    /** The temperature the arrow legend under the grid was last written for. */
    legendTau: undefined,
    /** What the selected cell's panel last showed (it is drawn again only when that changes). */
    selectedShown: null,
    /** Whether a lesson runs on the background workers (the Lessons view): then the paused page
     * redraws only after input, or every LESSON_REDRAW_EVERY_MS, so the workers get the cores. */
    lessonRunning: false,
    /** Whether the reader has clicked, typed or changed a control since the page last drew. */
    inputSinceDraw: false,
    /** Whether a frame after training began has been drawn (until then, progress is drawn at once). */
    trainedFrameDrawn: false,
  };
}
