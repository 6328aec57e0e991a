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

use crate::env::observation::OBS_LEN;
use crate::env::NUM_ACTIONS;
use super::loss::{LossKind, LossSpec};
use super::loss_grad;
use super::objective::{Objective, PLAN_STEPS};
use super::sparse_rows::SparseRows;
use super::weights::NamedTensor;
use super::adam::AdamStep;
use super::kernels::{dot_rows, for_blocks, gather_bits_block, gather_block, load_block, sparse_layer, sparse_layer_many, store_block, sum_rows_block, transpose};
use super::lanes::{compact_nonzero, sum, LineAligned, F4};

const PLAN_OUTPUTS: usize = PLAN_STEPS * NUM_ACTIONS;

/// Where each tensor lives in the one flat parameter vector (so Adam is one loop over all of it).
#[derive(Clone, Copy)]
struct Layout {
    hidden: usize,
    /// First-layer weight, transposed: row i (input i) holds H values.
    w1t: usize,
    b1: usize,
    w2: usize,
    b2: usize,
    w3: usize,
    b3: usize,
    len: usize,
}

impl Layout {
    fn new(hidden: usize) -> Layout {
        let w1t = 0;
        let b1 = w1t + OBS_LEN * hidden;
        let w2 = b1 + hidden;
        let b2 = w2 + NUM_ACTIONS * hidden;
        let w3 = b2 + NUM_ACTIONS;
        let b3 = w3 + PLAN_OUTPUTS * hidden;
        Layout { hidden, w1t, b1, w2, b2, w3, b3, len: b3 + PLAN_OUTPUTS }
    }
}

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
    activations: LineAligned,
    logits: Vec<f32>,
    plan_logits: Vec<f32>,
    logit_grads: Vec<f32>,
    plan_grads: Vec<f32>,
}

/// Whether `objective` trains the plan head (a plan target with a positive weight).
pub(crate) fn plans(objective: &Objective) -> bool {
    matches!(objective, Objective::Distill { plan: Some((_, weight)), .. } if *weight > 0.0)
}

/// Parameters Adam skips together while none of them has had a gradient (`FusedMlp::adam`).
const ADAM_RUN: usize = 32;

/// One sample through the network: `hidden` gets the ReLU activations, `logits` the policy's,
/// `plan_logits` (empty to skip the plan head) the plan's; the sample's non-zero inputs are written
/// to the front of `active` (room for 245), and their number is returned.
#[inline]
fn forward_one(p: &[f32], l: Layout, observation: &[f32], hidden: &mut [f32], logits: &mut [f32], plan_logits: &mut [f32], active: &mut [(u32, f32)]) -> usize {
    let h = l.hidden;
    let count = compact_nonzero(observation, active);
    sparse_layer(hidden, &p[l.b1..l.b1 + h], &active[..count], &p[l.w1t..l.b1], h);
    heads_one(p, l, hidden, logits, plan_logits);
    count
}

/// The heads of one sample from its hidden activations: `logits` the policy's, `plan_logits`
/// (empty to skip the plan head) the plan's.
#[inline]
fn heads_one(p: &[f32], l: Layout, hidden: &[f32], logits: &mut [f32], plan_logits: &mut [f32]) {
    let h = l.hidden;
    let sums = dot_rows::<NUM_ACTIONS>(&p[l.w2..l.b2], h, hidden);
    for ((logit, sum), bias) in logits.iter_mut().zip(sums).zip(&p[l.b2..l.w3]) {
        *logit = bias + sum;
    }
    for (k, logits) in plan_logits.chunks_exact_mut(NUM_ACTIONS).enumerate() {
        let rows = l.w3 + k * NUM_ACTIONS * h;
        let sums = dot_rows::<NUM_ACTIONS>(&p[rows..rows + NUM_ACTIONS * h], h, hidden);
        for (j, (logit, sum)) in logits.iter_mut().zip(sums).enumerate() {
            *logit = p[l.b3 + k * NUM_ACTIONS + j] + sum;
        }
    }
}

impl FusedMlp {
    /// A student with the given weights (dfdx layout, as `tensors` returns them) and a fresh Adam state.
    pub fn from_tensors(hidden: usize, tensors: &[NamedTensor], lr: f32) -> Result<FusedMlp, String> {
        let layout = Layout::new(hidden);
        let mut mlp = FusedMlp {
            layout,
            params: LineAligned::zeros(layout.len),
            grads: LineAligned::zeros(layout.len),
            moment1: LineAligned::zeros(layout.len),
            moment2: LineAligned::zeros(layout.len),
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
        };
        mlp.load_tensors(tensors, true)?;
        Ok(mlp)
    }

    pub fn set_learning_rate(&mut self, lr: f32) {
        self.lr = lr;
    }

    /// Whether every weight is finite (one vectorised sum over all of them).
    pub fn weights_finite(&self) -> bool {
        sum(&self.params).is_finite()
    }

    /// The weights in dfdx's layout and names.
    pub fn tensors(&self) -> Vec<NamedTensor> {
        let l = self.layout;
        let h = l.hidden;
        let p = &self.params;
        vec![
            ("hidden.weight".into(), vec![h, OBS_LEN], transpose(&p[l.w1t..l.b1], OBS_LEN, h)),
            ("hidden.bias".into(), vec![h], p[l.b1..l.b1 + h].to_vec()),
            ("policy.weight".into(), vec![NUM_ACTIONS, h], p[l.w2..l.b2].to_vec()),
            ("policy.bias".into(), vec![NUM_ACTIONS], p[l.b2..l.w3].to_vec()),
            ("plan.weight".into(), vec![PLAN_OUTPUTS, h], p[l.w3..l.b3].to_vec()),
            ("plan.bias".into(), vec![PLAN_OUTPUTS], p[l.b3..l.len].to_vec()),
        ]
    }

    /// Replaces the weights (names and shapes checked, and finiteness unless `check_finite` is
    /// false); on error nothing changes. Adam's state is kept, as dfdx keeps it on `copy_from`.
    pub fn load_tensors(&mut self, tensors: &[NamedTensor], check_finite: bool) -> Result<(), String> {
        let l = self.layout;
        let h = l.hidden;
        let expected: [(&str, Vec<usize>); 6] = [
            ("hidden.weight", vec![h, OBS_LEN]),
            ("hidden.bias", vec![h]),
            ("policy.weight", vec![NUM_ACTIONS, h]),
            ("policy.bias", vec![NUM_ACTIONS]),
            ("plan.weight", vec![PLAN_OUTPUTS, h]),
            ("plan.bias", vec![PLAN_OUTPUTS]),
        ];
        let mut found = Vec::with_capacity(expected.len());
        for (name, shape) in &expected {
            let tensor = tensors.iter().find(|(n, _, _)| n == name).ok_or_else(|| format!("missing tensor '{name}'"))?;
            if &tensor.1 != shape || tensor.2.len() != shape.iter().product::<usize>() {
                return Err(format!("tensor '{name}' has shape {:?}, expected {shape:?}", tensor.1));
            }
            if let Some(bad) = tensor.2.iter().find(|v| check_finite && !v.is_finite()) {
                return Err(format!("tensor '{name}' holds a non-finite value ({bad})"));
            }
            found.push(&tensor.2);
        }
        let p = &mut self.params;
        p[l.w1t..l.b1].copy_from_slice(&transpose(found[0], h, OBS_LEN));
        p[l.b1..l.b1 + h].copy_from_slice(found[1]);
        p[l.w2..l.b2].copy_from_slice(found[2]);
        p[l.b2..l.w3].copy_from_slice(found[3]);
        p[l.w3..l.b3].copy_from_slice(found[4]);
        p[l.b3..l.len].copy_from_slice(found[5]);
        Ok(())
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

    /// `forward_batch` once `index_inputs` has run: the first layer a block of columns at a time
    /// for the whole batch (`sparse_layer_many`: the block's weights stay in cache), then the heads.
    pub(crate) fn forward_indexed(&mut self, rows: &SparseRows, plan: bool) {
        let l = self.layout;
        let h = l.hidden;
        let batch = rows.len();
        let plan_width = if plan { PLAN_OUTPUTS } else { 0 };
        self.activations.resize(batch * h);
        self.logits.resize(batch * NUM_ACTIONS, 0.0);
        self.plan_logits.resize(batch * plan_width, 0.0);
        let p = &self.params;
        sparse_layer_many(&mut self.activations[..batch * h], &p[l.b1..l.b1 + h], rows.pairs(), rows.starts(), &p[l.w1t..l.b1], h);
        for b in 0..batch {
            heads_one(
                p,
                l,
                &self.activations[b * h..(b + 1) * h],
                &mut self.logits[b * NUM_ACTIONS..(b + 1) * NUM_ACTIONS],
                &mut self.plan_logits[b * plan_width..(b + 1) * plan_width],
            );
        }
    }

    /// Policy logits (batch × 5) for rows of 245 floats, or with `plan` the plan head's (batch × 4 × 5).
    pub fn infer(&self, observations: &[f32], plan: bool) -> Vec<f32> {
        let l = self.layout;
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

    /// The batch loss and its gradient for every parameter (left in `self.grads`).
    fn loss_and_gradients(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        self.forward_batch(rows, plans(objective));
        let loss = self.output_gradients(objective);
        self.backward(rows.len());
        loss
    }

    /// The loss of the last `forward_batch` and its gradient with respect to the logits (left in
    /// `logit_grads` and `plan_grads`).
    pub(crate) fn output_gradients(&mut self, objective: &Objective) -> f32 {
        let batch = self.logits.len() / NUM_ACTIONS;
        self.logit_grads.clear();
        self.logit_grads.resize(batch * NUM_ACTIONS, 0.0);
        self.plan_grads.clear();
        self.plan_grads.resize(self.plan_logits.len(), 0.0);
        match objective {
            Objective::Distill { spec, teacher, plan } => {
                let mut loss = loss_grad::add_distill(spec, &self.logits, teacher, 1.0, &mut self.logit_grads);
                if let (Some((targets, weight)), true) = (plan, plans(objective)) {
                    loss += loss_grad::add_plan(&self.plan_logits, targets, *weight, &mut self.plan_grads);
                }
                loss
            }
            Objective::PolicyGradient { weighted_actions, teacher, kickstart } => {
                let hard = LossSpec::new(LossKind::Hard, 1.0);
                let mut loss = loss_grad::add_distill(&hard, &self.logits, weighted_actions, 1.0, &mut self.logit_grads);
                if *kickstart > 0.0 {
                    let kl = LossSpec::new(LossKind::Kl, 1.0);
                    loss += loss_grad::add_distill(&kl, &self.logits, teacher, *kickstart, &mut self.logit_grads);
                }
                loss
            }
        }
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
        let l = self.layout;
        let h = l.hidden;
        let plan = !self.plan_grads.is_empty();
        let outputs = if plan { NUM_ACTIONS + PLAN_OUTPUTS } else { NUM_ACTIONS };
        self.grads[l.b1..].fill(0.0);
        self.hidden_grads.resize(batch * h);
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
            for (head, (upstream, width, bias)) in [(&self.logit_grads, NUM_ACTIONS, l.b2), (&self.plan_grads, PLAN_OUTPUTS, l.b3)].into_iter().enumerate().take(if plan { 2 } else { 1 }) {
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
            let hidden = &self.activations[b * h..(b + 1) * h];
            let delta = &mut self.hidden_grads[b * h..(b + 1) * h];
            for_blocks!(h, |col, B| {
                let mut dh = gather_block::<B>([F4::splat(0.0); B], &policy_rows[..rows[0]], &p[l.w2..l.b2], h, col);
                if rows[1] > 0 {
                    dh = gather_block::<B>(dh, &plan_rows[..rows[1]], &p[l.w3..l.b3], h, col);
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
            let row = if output < NUM_ACTIONS { l.w2 + output * h } else { l.w3 + (output - NUM_ACTIONS) * h };
            for_blocks!(h, |col, B| {
                let acc = gather_block::<B>([F4::splat(0.0); B], rows, &self.activations, h, col);
                store_block::<B>(acc, &mut g[row + col..]);
            });
        }
        // The first layer's bias: Σ_b δ_b.
        for_blocks!(h, |col, B| {
            store_block::<B>(sum_rows_block::<B>(&self.hidden_grads, batch, h, col), &mut g[l.b1 + col..]);
        });
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
        let loss = self.output_gradients(objective);
        self.backward(rows.len());
        self.adam();
        loss
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
