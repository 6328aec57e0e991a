// What the page says while RL fine-tuning runs: success on the map before it started and now, beside
// the teacher's, and a warning the moment success has dropped (REINFORCE can undo what distillation
// taught once the kickstarting pull towards the teacher has faded; Schmitt et al. 2018 keep it).

/** A drop of more than this (absolute success) is reported at once. */
export const DROP = 0.05;

/** `before`: the student's success on this map when fine-tuning started; `now`, `teacher`: the
 * latest measurement (fractions, or null before the first); `lambda`: the kickstarting weight now.
 * Returns `{ text, dropped }`. */
export function finetuneNote({ startStep, before, now, teacher, lambda }) {
  const percent = (v) => (v === null || v === undefined ? 'not measured yet' : `${(100 * v).toFixed(1)}%`);
  const head = `RL fine-tuning since step ${startStep.toLocaleString('en-US')}: success on this map ${percent(before)} → ${percent(now)}` +
    ` (teacher ${percent(teacher)}); pull towards the teacher λ_k = ${lambda.toFixed(3)}.`;
  const dropped = before !== null && before !== undefined && now !== null && now !== undefined && now < before - DROP;
  if (!dropped) {
    // A student already as good as its teacher has nothing to gain here: say where the lesson is.
    const room = before !== null && before !== undefined && teacher !== null && teacher !== undefined && before >= teacher && before >= 0.99
      ? ' There is no room above the teacher on this map; the scenario "RL fine-tuning past a noisy teacher" sets up a teacher with headroom.' : '';
    return { text: head + room, dropped: false };
  }
  return {
    text: `${head} Success has dropped by ${(100 * (before - now)).toFixed(1)} points: REINFORCE is undoing what distillation taught. ` +
      'Pause, then raise the kickstarting weight or its decay (so the pull fades more slowly), or lower the learning rate.',
    dropped: true,
  };
}
