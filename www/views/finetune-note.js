// What the page says while RL fine-tuning runs: success on the map before it started and now, beside
// the teacher's, and a warning the moment success has dropped (REINFORCE can undo what distillation
// taught once the kickstarting pull towards the teacher has faded; Schmitt et al. 2018 keep it).
import { formatNumber, t } from '../i18n.js';

/** A drop of more than this (absolute success) is reported at once. */
export const DROP = 0.05;

/** `before`: the student's success on this map when fine-tuning started; `now`, `teacher`: the
 * latest measurement (fractions, or null before the first); `lambda`: the kickstarting weight now.
 * Returns `{ text, dropped }`. */
export function finetuneNote({ startStep, before, now, teacher, lambda }) {
  const percent = (v) => (v === null || v === undefined ? t('finetune.notMeasured') : `${(100 * v).toFixed(1)}%`);
  const status = t('finetune.status', {
    step: formatNumber(startStep), before: percent(before), now: percent(now), teacher: percent(teacher), lambda: lambda.toFixed(3),
  });
  const dropped = before !== null && before !== undefined && now !== null && now !== undefined && now < before - DROP;
  if (!dropped) {
    // A student already as good as its teacher has nothing to gain here: say where the lesson is.
    const noRoom = before !== null && before !== undefined && teacher !== null && teacher !== undefined && before >= teacher && before >= 0.99;
    return { text: noRoom ? t('finetune.noRoom', { status, scenario: t('scenario.finetune.title') }) : status, dropped: false };
  }
  return {
    text: t('finetune.dropped', { status, points: (100 * (before - now)).toFixed(1) }),
    dropped: true,
  };
}
