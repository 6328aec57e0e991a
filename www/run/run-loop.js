// The frame loop of a running student, one for the page (www/main.js) and the web component
// (www/distill-playground.js). Each animation frame it has the worker train what a limited pace
// owes (the host's `Pacer`, www/run/pace.js), then takes the worker's newest progress and hands it to
// the host to draw. At full speed the worker trains on its own and every draw costs the page a
// frame, so progress is taken and drawn at most every DRAW_PROGRESS_EVERY_MS, or every two drawn
// frames where drawing is slow; a host with nothing new to show may ask for a slower cadence.

/** At full speed, the least time between two draws of the worker's progress (ms). */
export const DRAW_PROGRESS_EVERY_MS = 50;
/** A gap between frames longer than this is a hidden tab or a pause, not drawing (ms). */
const DRAWN_FRAME_CAP_MS = 250;

export class RunLoop {
  /**
   * `trainer`: the training worker (www/trainer.js: `frame(steps)`, `take()`);
   * `owedSteps(now)`: steps the limited pace owes at this frame (0 at full speed);
   * `fullSpeed()`: playing with no pace limit (the worker trains on its own);
   * `throttled()`: whether full speed may skip frames now (false while something must move every
   *   frame, e.g. an episode, or before the first trained frame is drawn);
   * `quietEvery()`: ms between draws while the host has nothing new to show (0: no such wait);
   * `draw(progress, now)`: takes the progress (null when the worker sent none) and draws;
   * `stopped()`: true ends the loop (the module panicked); `onStopped()`: it ended so at the start
   *   of a frame (a panic from elsewhere: a control, the console), for the host to say so;
   * `onError(error)`: a draw threw; `afterFrame()`: after every frame, drawn or not.
   */
  constructor({ trainer, owedSteps, fullSpeed, throttled = () => true, quietEvery = () => 0, draw, stopped = () => false, onStopped = () => {}, onError, afterFrame = () => {} }) {
    Object.assign(this, { trainer, owedSteps, fullSpeed, throttled, quietEvery, draw, stopped, onStopped, onError, afterFrame });
    this.request = null;
    /** When progress was last taken and drawn. */
    this.lastDrawAt = -Infinity;
    /** Whether the last frame drew, and when it began; a drawn frame's length so far (ms, smoothed):
     * the gap from a frame that drew to the next one, which includes the browser's style, layout and
     * paint after the script. */
    this.lastFrame = { drew: false, at: 0 };
    this.drawnFrameMs = 0;
  }

  /** Asks for the next frame (once, however often it is called). */
  start() {
    if (this.request === null) this.request = requestAnimationFrame(() => this.frame());
  }

  stop() {
    if (this.request !== null) cancelAnimationFrame(this.request);
    this.request = null;
  }

  /** Draws at the next frame, whatever the cadence (after input). */
  drawSoon() {
    this.lastDrawAt = -Infinity;
  }

  frame() {
    this.request = null;
    if (this.stopped()) {
      this.onStopped();
      return;
    }
    try {
      const now = performance.now();
      if (this.lastFrame.drew) this.drawnFrameMs = 0.7 * this.drawnFrameMs + 0.3 * Math.min(now - this.lastFrame.at, DRAWN_FRAME_CAP_MS);
      this.lastFrame = { drew: false, at: now };
      const steps = this.owedSteps(now);
      if (steps > 0) this.trainer.frame(steps);
      const quiet = this.quietEvery();
      const flatOut = this.fullSpeed() && this.throttled();
      const drawEvery = quiet > 0 ? quiet : flatOut ? Math.max(DRAW_PROGRESS_EVERY_MS, 2 * this.drawnFrameMs) : 0;
      if (now - this.lastDrawAt >= drawEvery) {
        this.lastFrame.drew = true;
        this.lastDrawAt = now;
        this.draw(this.trainer.take(), now);
      }
      this.afterFrame();
    } catch (error) {
      this.onError(error);
      if (this.stopped()) return; // the module is unusable after a panic: the loop ends, the message stays
    }
    this.start();
  }
}
