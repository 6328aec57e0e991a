// A limited pace (training steps per second) turned into whole steps per animation frame, shared by
// the page's run controls and the web component: each frame owes the pace's share of the time since
// the previous frame (at most a quarter second's worth after a stall, so a tab that comes back does
// not train a burst), and fractions carry over between frames.

/** The most time one frame makes up for (ms). */
export const MAX_FRAME_GAP_MS = 250;

export class Pacer {
  constructor() {
    this.owed = 0;
    this.lastFrameAt = null;
  }

  /** Forgets what was owed (the pace changed). */
  reset() {
    this.owed = 0;
  }

  /** Steps to train at this frame (`now` in ms) when playing at `pace` steps/s (null: full speed,
   * where the worker trains on its own and the page owes nothing). */
  stepsAt(now, pace, playing) {
    let steps = 0;
    if (playing && pace !== null) {
      const covered = Math.min(MAX_FRAME_GAP_MS, now - (this.lastFrameAt ?? now));
      this.owed += (pace * covered) / 1000;
      steps = Math.floor(this.owed);
      this.owed -= steps;
    }
    this.lastFrameAt = now;
    return steps;
  }
}
