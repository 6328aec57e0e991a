// What each control and figure is, its formula and its reference: shown on hover (a title) and, for
// touch screens and keyboards, in the explanation line under the controls when the control gets focus.

import { t } from '../i18n.js';

/** Control id → its explanation (read when the page starts: the catalogue loads after this module). */
export const explanations = () => ({
  scenario: t('explain.scenario'),
  temperature: t('explain.temperature'),
  loss: t('explain.loss'),
  lr: t('explain.lr'),
  hidden: t('explain.hidden'),
  map: t('explain.map'),
  seed: t('explain.seed'),
  teacher: t('explain.teacher'),
  'mix-weight': t('explain.mixWeight'),
  'teacher-noise': t('explain.teacherNoise'),
  data: t('explain.data'),
  'train-maps': t('explain.trainMaps'),
  'label-budget': t('explain.labelBudget'),
  'data-beta': t('explain.dataBeta'),
  slip: t('explain.slip'),
  'plan-weight': t('explain.planWeight'),
  'jsd-beta': t('explain.jsdBeta'),
  'soft-weight': t('explain.softWeight'),
  kickstart: t('explain.kickstart'),
  'kickstart-decay': t('explain.kickstartDecay'),
  speed: t('explain.speed'),
  budget: t('explain.budget'),
});

/** Puts each explanation on its control's label (hover) and shows it in `line` when the control is
 * focused (a tap on a touch screen, the keyboard). */
export function explainControls(line) {
  for (const [id, text] of Object.entries(explanations())) {
    const control = document.getElementById(id);
    if (!control) continue;
    for (const label of control.labels ?? []) label.title = text;
    control.addEventListener('focus', () => {
      line.textContent = text;
      line.hidden = false;
    });
  }
}
