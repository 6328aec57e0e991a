// A module worker of the sweep pool (sweep-pool.js): trains one student per message — width
// `hidden`, across `trainMaps` random maps, or one arm of a lesson (`lesson`, `arm`), or a student of
// any `settings` (You are the teacher's comparison) — measures it on held-out maps and posts the row. A message with `share: {from, to}` instead labels that share of
// the pool of `trainMaps` maps of `seed` and posts the teacher's logits as the row, which later jobs
// bring back in `labels` ([{from, to, logits}]) so each pool map is labelled by one worker only. A lesson's arm (at `mapPoint` of
// its map, if given) trains to each step of `curveSteps` (doubling from the first steps) and posts a
// point of its learning curve at each (`{type: 'point', id, point: {step, total, success}}`). With `arms` (an array, a group
// of `lessonCohorts`) those arms train together on the seed; each point names its arm
// (`point.arm`) and the row is the arms' rows, in the order of `arms`.
import { LessonCohort, LessonRun, Playground, importPoolLabels, poolLabels, ready } from './playground.js';
import { curveSteps } from './run/curve-steps.js';

/** Trains `run` (a LessonCohort or LessonRun that has done no steps) to each of `curveSteps(total)`,
 * calling `post` after each; `advance(n)` trains n more steps. */
function trainSampled(run, total, post) {
  let done = 0;
  for (const step of curveSteps(total)) {
    run.advance(step - done);
    done = step;
    post();
  }
}

self.onmessage = async (event) => {
  const { id, hidden, steps = 3000, seed = 1, loss = 'kl', temperature = 1, shared, lesson, arm, arms, maps, trainMaps = 'random', share, labels = [], settings, mapPoint } = event.data ?? {};
  try {
    await ready(shared); // the page's compiled module and teacher bytes (sweep-pool.js)
    if (share !== undefined) {
      const logits = poolLabels(trainMaps, seed, share.from, share.to);
      self.postMessage({ type: 'row', id, row: { ...share, logits } }, [logits.buffer]);
      return;
    }
    for (const part of labels) importPoolLabels(trainMaps, seed, part.from, part.to, part.logits);
    if (lesson !== undefined && arms !== undefined) {
      const run = new LessonCohort(lesson, arms, seed, maps, steps, mapPoint);
      const post = () => run.probe().forEach((point, i) => self.postMessage({ type: 'point', id, point: { ...point, arm: arms[i] } }));
      post();
      trainSampled(run, run.probe()[0].total, post);
      const row = run.finish();
      run.free();
      self.postMessage({ type: 'row', id, row });
      return;
    }
    if (lesson !== undefined) {
      const run = new LessonRun(lesson, arm, seed, maps, steps, mapPoint); // mapPoint: a point of the lesson's map, or undefined
      const first = run.probe();
      self.postMessage({ type: 'point', id, point: first });
      trainSampled(run, first.total, () => self.postMessage({ type: 'point', id, point: run.probe() }));
      const row = run.finish();
      run.free();
      self.postMessage({ type: 'row', id, row });
      return;
    }
    const playground = new Playground(settings ?? { trainMaps, hidden, seed, loss, temperature });
    for (let done = 0; done < steps; done += 500) playground.train(Math.min(500, steps - done));
    const ledger = playground.evaluate();
    const labelled = playground.pipeline().labelled;
    playground.free();
    const row = { hidden, computeUsed: ledger.computeUsed, retained: ledger.retained, studentParams: ledger.studentParams,
      teacherParams: ledger.teacherParams, studentHeldoutSuccess: ledger.studentHeldoutSuccess,
      teacherHeldoutSuccess: ledger.teacherHeldoutSuccess, studentSuccess: ledger.studentSuccess, labelled, step: ledger.step };
    self.postMessage({ type: 'row', id, row });
  } catch (error) {
    self.postMessage({ type: 'error', id, message: String(error?.message ?? error), key: error?.key, args: error?.args, field: error?.field });
  }
};
