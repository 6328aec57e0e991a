//! The student's hot path: one hand-fused training step (forward, loss gradient, backward, Adam)
//! for the MLP 245 → H → 5 (+ plan head H → 20); tests check it gradient for gradient against dfdx.
//!
//! Why it is fast: the observation is one-hot cells (a few dozen of 245 inputs are non-zero), so
//! the first layer reads, and sums gradients for, only the rows of the non-zero inputs (found four
//! lanes at a time). Every product is summed a block of up to 32 columns at a time in eight four-lane
//! accumulators (`lanes::F4`: simd128 on wasm; the kernels are `kernels`, the update `adam`) while the rows stream by — the forward pass over a sample's
//! non-zero inputs, each weight gradient over the samples of the batch — so no sum goes through
//! memory row by row; and nothing is allocated per step. Sums run in a fixed order, the same
//! natively and in wasm.
//! Layout: the first layer's weight is kept transposed (input-major, 245 × H) so a row is contiguous;
//! `tensors` and `load_tensors` speak dfdx's layout (out × in), as student files do.
//!
//! A cohort (`members`): several students of any widths that train in lockstep on the same batches
//! (a lesson's arms that differ only in width) are one network whose first layer is their first
//! layers side by side (member m's hidden units are columns `offset..offset + width` of it), each
//! with its own heads. Every column's sums run in the same order as in the member alone, so each
//! member trains exactly as it would alone, while the batch is indexed once and the first layer runs
//! as one wide layer (narrow students use the full 32-column blocks).

mod members;

use crate::env::observation::OBS_LEN;
use crate::env::NUM_ACTIONS;
use super::loss::{LossKind, LossSpec};
use super::loss_grad;
use super::objective::{Objective, PLAN_STEPS};
use super::sparse_rows::SparseRows;
use super::weights::NamedTensor;
use super::adam::AdamStep;
use super::kernels::{dot_rows, for_blocks, gather_bits_block, gather_block, load_block, sparse_layer, sparse_layer_many, store_block, sum_rows_block};
use super::lanes::{compact_nonzero, sum, LineAligned, F4};
use members::{Layout, Member};

const PLAN_OUTPUTS: usize = PLAN_STEPS * NUM_ACTIONS;

/// An MLP student trained by the fused step, with its Adam state and scratch space.
pub struct FusedMlp {
    layout: Layout,
    params: LineAligned,
    grads: LineAligned,
    moment1: LineAligned,
    moment2: LineAligned,
    /// Adam's step counter t (bias correction).
    adam_steps: i32,
    /// Per run of `ADAM_RUN` parameters, whether any of them has had a non-zero gradient (see `adam`).
    adam_touched: Vec<bool>,
    lr: f32,
    // Scratch, reused by every step.
    /// Per input, the samples where it is non-zero, as bits: input i's are the set bits of
    /// `input_samples[i·words .. (i + 1)·words]`, bit b of word w for sample 64w + b
    /// (`words` = ⌈batch / 64⌉), and sample b's value of input i is `input_values[i·batch + b]`
    /// (written only where the bit is set).
    input_samples: Vec<u64>,
    input_values: Vec<f32>,
    /// Per input, whether its first-layer gradient row in `grads` holds zeros (rows of inputs that
    /// no sample of the batch has are zero; writing them again every step is skipped).
    grad_row_zero: Vec<bool>,
    /// Per sample, the hidden units' gradient δ (batch × H).
    hidden_grads: LineAligned,
    /// Per output of a head, its samples' non-zero upstream gradients as (sample, gradient).
    head_rows: Vec<(u32, f32)>,
    /// Per sample, every member's hidden activations (batch × H, H the members' widths summed).
    activations: LineAligned,
    /// The heads' outputs and their gradients, member by member: member m's sample b is at
    /// `(m·batch + b)·5` (`·20` for the plan).
    logits: Vec<f32>,
    plan_logits: Vec<f32>,
    logit_grads: Vec<f32>,
    plan_grads: Vec<f32>,
    /// Each member's batch loss in the last step.
    losses: Vec<f32>,
}

/// Whether `objective` trains the plan head (a plan target with a positive weight).
pub(crate) fn plans(objective: &Objective) -> bool {
    matches!(objective, Objective::Distill { plan: Some((_, weight)), .. } if *weight > 0.0)
}

/// Parameters Adam skips together while none of them has had a gradient (`FusedMlp::adam`).
const ADAM_RUN: usize = 32;

/// One sample through a one-member network: `hidden` gets the ReLU activations, `logits` the
/// policy's, `plan_logits` (empty to skip the plan head) the plan's; the sample's non-zero inputs
/// are written to the front of `active` (room for 245), and their number is returned.
#[inline]
fn forward_one(p: &[f32], l: &Layout, observation: &[f32], hidden: &mut [f32], logits: &mut [f32], plan_logits: &mut [f32], active: &mut [(u32, f32)]) -> usize {
    let h = l.hidden;
    let count = compact_nonzero(observation, active);
    sparse_layer(hidden, &p[l.b1..l.b1 + h], &active[..count], &p[l.w1t..l.b1], h);
    heads_one(p, l.members[0], hidden, logits, plan_logits);
    count
}

/// The heads of one member on one sample from its hidden activations: `logits` the policy's,
/// `plan_logits` (empty to skip the plan head) the plan's.
#[inline]
fn heads_one(p: &[f32], m: Member, hidden: &[f32], logits: &mut [f32], plan_logits: &mut [f32]) {
    let h = m.hidden;
    let sums = dot_rows::<NUM_ACTIONS>(&p[m.w2..m.b2], h, hidden);
    for ((logit, sum), bias) in logits.iter_mut().zip(sums).zip(&p[m.b2..m.b2 + NUM_ACTIONS]) {
        *logit = bias + sum;
    }
    for (k, logits) in plan_logits.chunks_exact_mut(NUM_ACTIONS).enumerate() {
        let rows = m.w3 + k * NUM_ACTIONS * h;
        let sums = dot_rows::<NUM_ACTIONS>(&p[rows..rows + NUM_ACTIONS * h], h, hidden);
        for (j, (logit, sum)) in logits.iter_mut().zip(sums).enumerate() {
            *logit = p[m.b3 + k * NUM_ACTIONS + j] + sum;
        }
    }
}

impl FusedMlp {
    /// A student with the given weights (dfdx layout, as `tensors` returns them) and a fresh Adam state.
    pub fn from_tensors(hidden: usize, tensors: &[NamedTensor], lr: f32) -> Result<FusedMlp, String> {
        FusedMlp::cohort(&[(hidden, tensors)], lr)
    }

    /// Zero weights and a fresh Adam state in `layout`.
    fn with_layout(layout: Layout, lr: f32) -> FusedMlp {
        let len = layout.len;
        FusedMlp {
            layout,
            params: LineAligned::zeros(len),
            grads: LineAligned::zeros(len),
            moment1: LineAligned::zeros(len),
            moment2: LineAligned::zeros(len),
            adam_steps: 0,
            adam_touched: Vec::new(),
            lr,
            input_samples: Vec::new(),
            input_values: Vec::new(),
            grad_row_zero: vec![false; OBS_LEN],
            hidden_grads: LineAligned::zeros(0),
            head_rows: Vec::new(),
            activations: LineAligned::zeros(0),
            logits: Vec::new(),
            plan_logits: Vec::new(),
            logit_grads: Vec::new(),
            plan_grads: Vec::new(),
            losses: Vec::new(),
        }
    }

    pub fn set_learning_rate(&mut self, lr: f32) {
        self.lr = lr;
    }

    /// Whether every weight is finite (one vectorised sum over all of them).
    pub fn weights_finite(&self) -> bool {
        sum(&self.params).is_finite()
    }

    /// The weights in dfdx's layout and names (of the first member, the only one outside a cohort).
    pub fn tensors(&self) -> Vec<NamedTensor> {
        self.member_tensors(0)
    }

    /// Replaces the weights (names and shapes checked, and finiteness unless `check_finite` is
    /// false); on error nothing changes. Adam's state is kept, as dfdx keeps it on `copy_from`.
    pub fn load_tensors(&mut self, tensors: &[NamedTensor], check_finite: bool) -> Result<(), String> {
        self.load_member(0, tensors, check_finite)
    }

    /// Hidden activations (ReLU), policy logits and, with `plan`, plan logits for a batch, noting
    /// each input's samples for the backward pass.
    fn forward_batch(&mut self, rows: &SparseRows, plan: bool) {
        self.index_inputs(rows);
        self.forward_indexed(rows, plan);
    }

    /// Notes each input's samples (`input_samples`) and their values (`input_values`): one bit and
    /// one value per non-zero input of the batch.
    pub(crate) fn index_inputs(&mut self, rows: &SparseRows) {
        let batch = rows.len();
        let words = batch.div_ceil(64);
        self.input_samples.clear();
        self.input_samples.resize(OBS_LEN * words, 0);
        // Read only where a bit is set, so what a longer batch left there is never seen.
        self.input_values.resize(OBS_LEN * batch, 0.0);
        for b in 0..batch {
            let (word, bit) = (b / 64, 1u64 << (b % 64));
            for &(i, x) in rows.row(b) {
                self.input_samples[i as usize * words + word] |= bit;
                self.input_values[i as usize * batch + b] = x;
            }
        }
    }

    /// `forward_batch` once `index_inputs` has run: the first layer (every member's, side by side) a
    /// block of columns at a time for the whole batch (`sparse_layer_many`: the block's weights stay
    /// in cache), then each member's heads.
    pub(crate) fn forward_indexed(&mut self, rows: &SparseRows, plan: bool) {
        let l = &self.layout;
        let h = l.hidden;
        let batch = rows.len();
        let plan_width = if plan { PLAN_OUTPUTS } else { 0 };
        let members = l.members.len();
        self.activations.resize(batch * h);
        self.logits.resize(members * batch * NUM_ACTIONS, 0.0);
        self.plan_logits.resize(members * batch * plan_width, 0.0);
        let p = &self.params;
        sparse_layer_many(&mut self.activations[..batch * h], &p[l.b1..l.b1 + h], rows.pairs(), rows.starts(), &p[l.w1t..l.b1], h);
        for (index, &m) in l.members.iter().enumerate() {
            for b in 0..batch {
                let at = index * batch + b;
                heads_one(
                    p,
                    m,
                    &self.activations[b * h + m.offset..b * h + m.offset + m.hidden],
                    &mut self.logits[at * NUM_ACTIONS..(at + 1) * NUM_ACTIONS],
                    &mut self.plan_logits[at * plan_width..(at + 1) * plan_width],
                );
            }
        }
    }

    /// Policy logits (batch × 5) for rows of 245 floats, or with `plan` the plan head's (batch × 4 × 5).
    pub fn infer(&self, observations: &[f32], plan: bool) -> Vec<f32> {
        assert_eq!(self.layout.members.len(), 1, "a cohort infers member by member (`member`)");
        let l = &self.layout;
        let outputs = if plan { PLAN_OUTPUTS } else { NUM_ACTIONS };
        let batch = observations.len() / OBS_LEN;
        let mut out = vec![0.0; batch * outputs];
        let mut hidden = vec![0.0; l.hidden];
        let mut logits = [0.0; NUM_ACTIONS];
        let mut active = [(0u32, 0.0f32); OBS_LEN];
        for (observation, row) in observations.chunks_exact(OBS_LEN).zip(out.chunks_exact_mut(outputs)) {
            if plan {
                forward_one(&self.params, l, observation, &mut hidden, &mut logits, row, &mut active);
            } else {
                forward_one(&self.params, l, observation, &mut hidden, row, &mut [], &mut active);
            }
        }
        out
    }

    /// The first half of a training step: the batch's forward pass (kept for the second half,
    /// `train_step_after_forward`); returns the policy logits (batch × 5), equal to `infer`'s bit
    /// for bit (the same sums in the same order, a block of columns at a time).
    pub fn forward_for_step(&mut self, rows: &SparseRows, plan: bool) -> Vec<f32> {
        assert_eq!(self.layout.members.len(), 1, "one network's step");
        self.forward_batch(rows, plan);
        self.logits.clone()
    }

    /// The rest of a step `forward_for_step` began on the same rows (with the plan head's logits
    /// if the objective has a plan): the loss, the gradients and Adam, as `train_step` does.
    pub fn train_step_after_forward(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        debug_assert_eq!(self.logits.len(), rows.len() * NUM_ACTIONS, "forward_for_step saw these rows");
        let loss = self.output_gradients(objective);
        self.backward(rows.len());
        self.adam();
        loss
    }

    /// The batch loss and its gradient for every parameter (left in `self.grads`).
    fn loss_and_gradients(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        self.forward_batch(rows, plans(objective));
        let loss = self.output_gradients(objective);
        self.backward(rows.len());
        loss
    }

    /// The loss of the last `forward_batch` and its gradient with respect to the logits (left in
    /// `logit_grads` and `plan_grads`), for each member (in `losses`); returns the first member's.
    pub(crate) fn output_gradients(&mut self, objective: &Objective) -> f32 {
        self.logit_grads.clear();
        self.logit_grads.resize(self.logits.len(), 0.0);
        self.plan_grads.clear();
        self.plan_grads.resize(self.plan_logits.len(), 0.0);
        let members = self.layout.members.len();
        let (policy, plan) = (self.logits.len() / members, self.plan_logits.len() / members);
        self.losses.clear();
        for m in 0..members {
            let logits = &self.logits[m * policy..(m + 1) * policy];
            let grads = &mut self.logit_grads[m * policy..(m + 1) * policy];
            let loss = match objective {
                Objective::Distill { spec, teacher, plan: plan_target } => {
                    let mut loss = loss_grad::add_distill(spec, logits, teacher, 1.0, grads);
                    if let (Some((targets, weight)), true) = (plan_target, plans(objective)) {
                        loss += loss_grad::add_plan(&self.plan_logits[m * plan..(m + 1) * plan], targets, *weight, &mut self.plan_grads[m * plan..(m + 1) * plan]);
                    }
                    loss
                }
                Objective::PolicyGradient { weighted_actions, teacher, kickstart } => {
                    let hard = LossSpec::new(LossKind::Hard, 1.0);
                    let mut loss = loss_grad::add_distill(&hard, logits, weighted_actions, 1.0, grads);
                    if *kickstart > 0.0 {
                        let kl = LossSpec::new(LossKind::Kl, 1.0);
                        loss += loss_grad::add_distill(&kl, logits, teacher, *kickstart, grads);
                    }
                    loss
                }
            };
            self.losses.push(loss);
        }
        self.losses[0]
    }

    /// Back-propagates `logit_grads` (and `plan_grads`) through the network into `grads`: the heads
    /// and the hidden units' gradients (`backward_heads`), then the first layer's weights.
    fn backward(&mut self, batch: usize) {
        self.backward_heads(batch);
        self.first_layer_gradient();
    }

    /// The hidden units' gradients and the gradients of the heads and of the first layer's bias. Every
    /// weight gradient is a sum over the batch, formed in registers a block of columns at a time:
    /// a head's row k is Σ_b d_bk·a_b over the samples.
    pub(crate) fn backward_heads(&mut self, batch: usize) {
        let h = self.layout.hidden;
        self.grads[self.layout.b1..].fill(0.0);
        self.hidden_grads.resize(batch * h);
        for index in 0..self.layout.members.len() {
            self.backward_member(index, batch);
        }
        // The first layer's bias: Σ_b δ_b.
        let b1 = self.layout.b1;
        for_blocks!(h, |col, B| {
            store_block::<B>(sum_rows_block::<B>(&self.hidden_grads, batch, h, col), &mut self.grads[b1 + col..]);
        });
    }

    /// `backward_heads` for one member: its heads' gradients, and its hidden units' gradients (its
    /// columns of `hidden_grads`).
    fn backward_member(&mut self, index: usize, batch: usize) {
        let m = self.layout.members[index];
        let (stride, h, offset) = (self.layout.hidden, m.hidden, m.offset);
        let plan = !self.plan_grads.is_empty();
        let outputs = if plan { NUM_ACTIONS + PLAN_OUTPUTS } else { NUM_ACTIONS };
        let (policy_grads, plan_grads) = (&self.logit_grads[index * batch * NUM_ACTIONS..], if plan { &self.plan_grads[index * batch * PLAN_OUTPUTS..] } else { &[][..] });
        // Each output's samples with a non-zero upstream gradient: head_rows[k·batch ..][..head_count[k]].
        self.head_rows.resize(outputs * batch, (0, 0.0));
        let mut head_count = [0usize; NUM_ACTIONS + PLAN_OUTPUTS];
        let (p, g) = (&self.params, &mut self.grads);
        // The hidden units' gradient δ_b = relu'(a_b) ⊙ Σ_k d_bk·w_k, sample by sample (dfdx's
        // convention at exactly 0: no gradient).
        let mut policy_rows = [(0u32, 0.0f32); NUM_ACTIONS];
        let mut plan_rows = [(0u32, 0.0f32); PLAN_OUTPUTS];
        for b in 0..batch {
            let mut rows = [0usize; 2];
            for (head, (upstream, width, bias)) in [(policy_grads, NUM_ACTIONS, m.b2), (plan_grads, PLAN_OUTPUTS, m.b3)].into_iter().enumerate().take(if plan { 2 } else { 1 }) {
                for (k, &d) in upstream[b * width..(b + 1) * width].iter().enumerate() {
                    if d != 0.0 {
                        if head == 0 {
                            policy_rows[rows[0]] = (k as u32, d);
                        } else {
                            plan_rows[rows[1]] = (k as u32, d);
                        }
                        rows[head] += 1;
                        g[bias + k] += d;
                        let output = head * NUM_ACTIONS + k;
                        self.head_rows[output * batch + head_count[output]] = (b as u32, d);
                        head_count[output] += 1;
                    }
                }
            }
            let hidden = &self.activations[b * stride + offset..b * stride + offset + h];
            let delta = &mut self.hidden_grads[b * stride + offset..b * stride + offset + h];
            for_blocks!(h, |col, B| {
                let mut dh = gather_block::<B>([F4::splat(0.0); B], &policy_rows[..rows[0]], &p[m.w2..m.b2], h, col);
                if rows[1] > 0 {
                    dh = gather_block::<B>(dh, &plan_rows[..rows[1]], &p[m.w3..m.b3], h, col);
                }
                let a = load_block::<B>(&hidden[col..]);
                for (d, a) in dh.iter_mut().zip(&a) {
                    *d = d.where_positive(*a);
                }
                store_block::<B>(dh, &mut delta[col..]);
            });
        }
        // The heads' weight gradients: row k = Σ_b d_bk·a_b.
        for (output, &count) in head_count.iter().enumerate().take(outputs) {
            if count == 0 {
                continue;
            }
            let rows = &self.head_rows[output * batch..output * batch + count];
            let row = if output < NUM_ACTIONS { m.w2 + output * h } else { m.w3 + (output - NUM_ACTIONS) * h };
            for_blocks!(h, |col, B| {
                let acc = gather_block::<B>([F4::splat(0.0); B], rows, &self.activations, stride, offset + col);
                store_block::<B>(acc, &mut g[row + col..]);
            });
        }
    }

    /// The first layer's weight gradient into `grads`, every row: row i = Σ_b x_bi·δ_b over the
    /// samples where input i is non-zero, in sample order (zero for an input no sample has; a row
    /// already zero is not written again).
    pub(crate) fn first_layer_gradient(&mut self) {
        let h = self.layout.hidden;
        let batch = self.hidden_grads.len() / h;
        let words = batch.div_ceil(64);
        for i in 0..OBS_LEN {
            let samples = &self.input_samples[i * words..(i + 1) * words];
            let row = &mut self.grads[self.layout.w1t + i * h..self.layout.w1t + (i + 1) * h];
            if samples.iter().all(|&word| word == 0) {
                if !self.grad_row_zero[i] {
                    row.fill(0.0);
                    self.grad_row_zero[i] = true;
                }
                continue;
            }
            self.grad_row_zero[i] = false;
            let values = &self.input_values[i * batch..(i + 1) * batch];
            for_blocks!(h, |col, B| {
                store_block::<B>(gather_bits_block::<B>(samples, values, &self.hidden_grads, h, col), &mut row[col..]);
            });
        }
    }

    /// Adam (Kingma & Ba 2015, Algorithm 1) over every parameter, as dfdx's CPU kernel computes it.
    /// A run of `ADAM_RUN` parameters that has never had a non-zero gradient is left as it is: its
    /// moments are still 0, and Adam would write back the same zeros and move the weights by
    /// lr·0/(0 + ε) = 0 (inputs never seen, such as lava on a map without lava, and the plan head
    /// while it is not trained). `adam_touched` remembers the runs that have had one.
    pub(crate) fn adam(&mut self) {
        self.adam_steps += 1;
        let step = AdamStep::new(self.adam_steps, self.lr);
        let whole = self.params.len() / ADAM_RUN * ADAM_RUN;
        self.adam_touched.resize(whole / ADAM_RUN, false);
        let runs = self.params[..whole]
            .chunks_exact_mut(ADAM_RUN)
            .zip(self.grads[..whole].chunks_exact(ADAM_RUN))
            .zip(self.moment1[..whole].chunks_exact_mut(ADAM_RUN).zip(self.moment2[..whole].chunks_exact_mut(ADAM_RUN)))
            .zip(self.adam_touched.iter_mut());
        for (((p, g), (m, v)), touched) in runs {
            if !*touched {
                // Never a gradient yet: both moments are 0 and so is the step; the run is left alone
                // until its first non-zero gradient (after which it is updated every step).
                let mut any = F4::splat(0.0);
                for g in g.chunks_exact(4) {
                    any = any.or_bits(F4::load(g));
                }
                if !any.any_bits() {
                    continue;
                }
                *touched = true;
            }
            for (((p, g), m), v) in p.chunks_exact_mut(4).zip(g.chunks_exact(4)).zip(m.chunks_exact_mut(4)).zip(v.chunks_exact_mut(4)) {
                step.update(p, m, v, F4::load(g));
            }
        }
        for i in whole..self.params.len() {
            step.update_one(&mut self.params[i], &mut self.moment1[i], &mut self.moment2[i], self.grads[i]);
        }
    }

    /// One Adam step on one batch (each sample's non-zero inputs); returns the batch loss before the step.
    pub fn train_step(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        self.forward_batch(rows, plans(objective));
        self.train_step_after_forward(rows, objective)
    }

    /// The gradient of every parameter for one batch, in dfdx's layout and names (no step taken).
    pub fn gradients(&mut self, rows: &SparseRows, objective: &Objective) -> (f32, Vec<NamedTensor>) {
        let loss = self.loss_and_gradients(rows, objective);
        std::mem::swap(&mut self.params, &mut self.grads);
        let tensors = self.tensors();
        std::mem::swap(&mut self.params, &mut self.grads);
        (loss, tensors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_matches_a_hand_worked_update() {
        // One parameter with gradient g = 0.5 twice, lr 0.1: m₁ = 0.05, v₁ = 0.00025, m̂₁ = 0.5,
        // v̂₁ = 0.25, step 0.1·0.5/(0.5 + 1e-8); m₂ = 0.095, v₂ = 0.00049975, m̂₂ = 0.5, v̂₂ = 0.25.
        let student = crate::student::Student::new(4, 1, 0.1).unwrap();
        let mut mlp = FusedMlp::from_tensors(4, &student.tensors(), 0.1).unwrap();
        let before = mlp.params[0];
        mlp.grads.fill(0.0);
        mlp.grads[0] = 0.5;
        mlp.adam();
        let first = 0.1 * 0.5 / (0.5 + 1e-8);
        assert!((mlp.params[0] - (before - first)).abs() < 1e-6);
        mlp.adam();
        assert!((mlp.params[0] - (before - 2.0 * first)).abs() < 1e-6);
        // A parameter that never had a gradient has not moved.
        assert_eq!(mlp.params[1], FusedMlp::from_tensors(4, &student.tensors(), 0.1).unwrap().params[1]);
    }

    #[test]
    fn tensors_round_trip_through_the_transposed_layout() {
        let student = crate::student::Student::new(8, 4, 1e-3).unwrap();
        let mlp = FusedMlp::from_tensors(8, &student.tensors(), 1e-3).unwrap();
        assert_eq!(mlp.tensors(), student.tensors());
        let mut bad = student.tensors();
        bad[2].1 = vec![8, 5];
        assert!(FusedMlp::from_tensors(8, &bad, 1e-3).err().unwrap().contains("policy.weight"));
    }
}
