// What each control and figure is, its formula and its reference: shown on hover (a title) and, for
// touch screens and keyboards, in the explanation line under the controls when the control gets focus.

export const EXPLANATIONS = {
  scenario: 'A preset experiment: its students train side by side for the scenario\'s budget, with curves on shared axes; its text says what to look for. The Lessons view runs the same claims with several seeds and a verdict.',
  temperature: 'Temperature τ softens both distributions: p^τ = softmax(z / τ). The kl loss is τ²·KL(p_T^τ ‖ p_S^τ), so a higher τ shows the student how the teacher ranks its non-best moves (Hinton, Vinyals & Dean 2015, "Distilling the knowledge in a neural network").',
  loss: 'hard: cross-entropy with the teacher\'s best move (behaviour cloning). kl: τ²·KL(p_T^τ ‖ p_S^τ) (Hinton et al. 2015). reverse_kl: τ²·KL(p_S^τ ‖ p_T^τ), mode-seeking. mse: mean squared error between logits (Ba & Caruana 2014). jsd: the generalized Jensen–Shannon divergence with weight β (Agarwal et al. 2024, GKD).',
  lr: 'Learning rate of Adam (Kingma & Ba 2015) for the student. Too high and training diverges: the page then restores the last good weights and says so.',
  hidden: 'Student width: units in each of the student\'s two hidden layers (245 → w → w → 5, ReLU). Its compute per decision, against the teacher\'s, is the "compute used" figure.',
  map: 'The map shown (and trained on when Training maps is "the map shown"): built-in layouts or a seeded random map.',
  seed: 'Seeds the student\'s initial weights, the sampling of states and the random maps: the same settings and seed give the same run, natively and in the browser.',
  teacher: 'neural: the bundled teacher network (trained on random maps). oracle: the exact planner\'s soft-Q policy. mix: a weighted mixture of the two (the seed\'s "mixing teachers").',
  'mix-weight': 'With the mix teacher: the neural teacher\'s weight w; p = w·p_neural + (1 − w)·p_oracle.',
  'teacher-noise': 'Teacher noise ε: the teacher actually used acts as (1 − ε)·p_T + ε/5, a noisier demonstrator (its labels and its rollouts).',
  data: 'Where the training states come from: uniform (synthetic states, every reachable cell alike), teacher (the teacher\'s own trajectories), student (the student\'s trajectories labelled by the teacher: DAgger, Ross et al. 2011), mix (β of the steps from the teacher).',
  'train-maps': 'How many distinct maps the student learns from: the map shown, a pool of seeded random maps (the teacher\'s own distribution), or a stream of fresh maps. Held-out success is measured on maps no pool contains.',
  'label-budget': 'At most this many distinct states are labelled by the teacher (0: no limit): how much the teacher is asked, the budget in which data-efficiency lessons are measured.',
  'data-beta': 'β: with the mix data source, the share of steps whose state comes from the teacher\'s rollouts rather than the student\'s (DAgger\'s β_i, Ross et al. 2011).',
  slip: 'Slip: the probability that the floor replaces the chosen move by a uniformly random one. With slip, episodes from the same start differ, and states off the teacher\'s path appear.',
  'plan-weight': 'Plan head weight λ_plan: weight of a second head that predicts the teacher\'s next 4 moves (trajectory or "chain-of-thought" distillation; Hsieh et al. 2023, "Distilling step-by-step"). 0: no plan head is trained.',
  'jsd-beta': 'JSD β: the weight of the generalized Jensen–Shannon divergence, JSD_β(p_T ‖ p_S) = β·KL(p_T ‖ m) + (1 − β)·KL(p_S ‖ m), m = β·p_T + (1 − β)·p_S (Agarwal et al. 2024).',
  'soft-weight': 'Soft weight α: the loss is α·(soft loss) + (1 − α)·(hard cross-entropy with the teacher\'s best move), as Hinton et al. 2015 combine them.',
  kickstart: 'λ_k: during RL fine-tuning, REINFORCE on the reward (Williams 1992) plus λ_k·KL towards the teacher actually used (kickstarting, Schmitt et al. 2018).',
  'kickstart-decay': 'λ_k is multiplied by this every 100 fine-tuning steps: the pull towards the teacher fades and the reward takes over.',
  speed: 'Training steps per second (each step: one Adam step on a batch of 64 states). Full: as fast as the training worker goes.',
  budget: 'Each run trains this many steps and stops, so lessons that depend on a budget show; Keep training adds as many again. 0: no budget.',
};

/** Puts each explanation on its control's label (hover) and shows it in `line` when the control is
 * focused (a tap on a touch screen, the keyboard). */
export function explainControls(line) {
  for (const [id, text] of Object.entries(EXPLANATIONS)) {
    const control = document.getElementById(id);
    if (!control) continue;
    for (const label of control.labels ?? []) label.title = text;
    control.addEventListener('focus', () => {
      line.textContent = text;
      line.hidden = false;
    });
  }
}
