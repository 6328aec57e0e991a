// Where a lesson's learning curve is sampled: from the first steps on, each point twice as far in as
// the one before (total/1024, total/512, …, total), so the rise in the first few hundred steps is on
// the curve and not hidden before its first point; the Lessons view draws steps on a log axis.

/** The steps (ascending, distinct, each ≥ 1) at which a run of `total` steps is probed. */
export function curveSteps(total) {
  const steps = [];
  for (let halvings = 10; halvings >= 0; halvings -= 1) {
    const step = Math.max(1, Math.round(total / 2 ** halvings));
    if (step <= total && !steps.includes(step)) steps.push(step);
  }
  return steps;
}
