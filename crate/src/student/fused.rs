//! The student's hot path: one hand-fused training step (forward, loss gradient, backward, Adam)
//! for the MLP 245 → H → 5 (+ plan head H → 20); tests check it gradient for gradient against dfdx.
//!
//! Why it is fast: the observation is one-hot cells (a few dozen of 245 inputs are non-zero), so
//! the first layer reads and writes only the rows of the non-zero inputs; the rest are short dense
//! loops over H that the compiler vectorises (simd128 on wasm), with no allocation per step.
//! Layout: the first layer's weight is kept transposed (input-major, 245 × H) so a row is contiguous;
//! `tensors` and `load_tensors` speak dfdx's layout (out × in), as student files do.

use crate::env::observation::OBS_LEN;
use crate::env::NUM_ACTIONS;
use super::loss::{LossKind, LossSpec};
use super::loss_grad;
use super::objective::{Objective, PLAN_STEPS};
use super::weights::NamedTensor;

const PLAN_OUTPUTS: usize = PLAN_STEPS * NUM_ACTIONS;
/// Adam's defaults, as dfdx's `AdamConfig::default()`.
const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const EPSILON: f32 = 1e-8;

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
    params: Vec<f32>,
    grads: Vec<f32>,
    moment1: Vec<f32>,
    moment2: Vec<f32>,
    /// Adam's step counter t (bias correction).
    adam_steps: i32,
    lr: f32,
    // Scratch, reused by every step.
    /// Per sample, the (input index, value) pairs of its non-zero inputs, and where each sample starts.
    active: Vec<(u32, f32)>,
    active_start: Vec<usize>,
    activations: Vec<f32>,
    logits: Vec<f32>,
    plan_logits: Vec<f32>,
    logit_grads: Vec<f32>,
    plan_grads: Vec<f32>,
    hidden_grad: Vec<f32>,
}

/// Σ a·b with eight independent partial sums, so the compiler can vectorise it.
#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = a.len() / 8 * 8;
    for (x, y) in a[..chunks].chunks_exact(8).zip(b[..chunks].chunks_exact(8)) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    let mut sum = lanes.iter().sum::<f32>();
    for (x, y) in a[chunks..].iter().zip(&b[chunks..]) {
        sum += x * y;
    }
    sum
}

/// y += α·x.
#[inline]
pub(crate) fn axpy(y: &mut [f32], alpha: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += alpha * x;
    }
}

/// A row-major `rows` × `columns` matrix transposed (so input-major weights and dfdx's layout meet).
pub(crate) fn transpose(values: &[f32], rows: usize, columns: usize) -> Vec<f32> {
    let mut out = vec![0.0; values.len()];
    for r in 0..rows {
        for c in 0..columns {
            out[c * rows + r] = values[r * columns + c];
        }
    }
    out
}

/// Σ x with eight partial sums (NaN and ±∞ carry through).
fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = values.len() / 8 * 8;
    for x in values[..chunks].chunks_exact(8) {
        for k in 0..8 {
            lanes[k] += x[k];
        }
    }
    lanes.iter().sum::<f32>() + values[chunks..].iter().sum::<f32>()
}

/// One sample through the network: `hidden` gets the ReLU activations, `logits` the policy's,
/// `plan_logits` (empty to skip the plan head) the plan's; `on_active` sees each non-zero input.
#[inline]
fn forward_one(p: &[f32], l: Layout, observation: &[f32], hidden: &mut [f32], logits: &mut [f32], plan_logits: &mut [f32], mut on_active: impl FnMut(u32, f32)) {
    let h = l.hidden;
    hidden.copy_from_slice(&p[l.b1..l.b1 + h]);
    for (i, &x) in observation.iter().enumerate() {
        if x != 0.0 {
            on_active(i as u32, x);
            axpy(hidden, x, &p[l.w1t + i * h..l.w1t + (i + 1) * h]);
        }
    }
    for value in hidden.iter_mut() {
        *value = value.max(0.0);
    }
    for (a, logit) in logits.iter_mut().enumerate() {
        *logit = p[l.b2 + a] + dot(&p[l.w2 + a * h..l.w2 + (a + 1) * h], hidden);
    }
    for (k, logit) in plan_logits.iter_mut().enumerate() {
        *logit = p[l.b3 + k] + dot(&p[l.w3 + k * h..l.w3 + (k + 1) * h], hidden);
    }
}

impl FusedMlp {
    /// A student with the given weights (dfdx layout, as `tensors` returns them) and a fresh Adam state.
    pub fn from_tensors(hidden: usize, tensors: &[NamedTensor], lr: f32) -> Result<FusedMlp, String> {
        let layout = Layout::new(hidden);
        let mut mlp = FusedMlp {
            layout,
            params: vec![0.0; layout.len],
            grads: vec![0.0; layout.len],
            moment1: vec![0.0; layout.len],
            moment2: vec![0.0; layout.len],
            adam_steps: 0,
            lr,
            active: Vec::new(),
            active_start: Vec::new(),
            activations: Vec::new(),
            logits: Vec::new(),
            plan_logits: Vec::new(),
            logit_grads: Vec::new(),
            plan_grads: Vec::new(),
            hidden_grad: vec![0.0; hidden],
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
    /// each sample's non-zero inputs for the backward pass.
    fn forward_batch(&mut self, observations: &[f32], plan: bool) {
        let l = self.layout;
        let h = l.hidden;
        let batch = observations.len() / OBS_LEN;
        let plan_width = if plan { PLAN_OUTPUTS } else { 0 };
        self.active.clear();
        self.active_start.clear();
        self.activations.resize(batch * h, 0.0);
        self.logits.resize(batch * NUM_ACTIONS, 0.0);
        self.plan_logits.resize(batch * plan_width, 0.0);
        for (b, observation) in observations.chunks_exact(OBS_LEN).enumerate() {
            self.active_start.push(self.active.len());
            let active = &mut self.active;
            forward_one(
                &self.params,
                l,
                observation,
                &mut self.activations[b * h..(b + 1) * h],
                &mut self.logits[b * NUM_ACTIONS..(b + 1) * NUM_ACTIONS],
                &mut self.plan_logits[b * plan_width..(b + 1) * plan_width],
                |i, x| active.push((i, x)),
            );
        }
        self.active_start.push(self.active.len());
    }

    /// Policy logits (batch × 5) for rows of 245 floats, or with `plan` the plan head's (batch × 4 × 5).
    pub fn infer(&self, observations: &[f32], plan: bool) -> Vec<f32> {
        let l = self.layout;
        let outputs = if plan { PLAN_OUTPUTS } else { NUM_ACTIONS };
        let batch = observations.len() / OBS_LEN;
        let mut out = vec![0.0; batch * outputs];
        let mut hidden = vec![0.0; l.hidden];
        let mut logits = [0.0; NUM_ACTIONS];
        for (observation, row) in observations.chunks_exact(OBS_LEN).zip(out.chunks_exact_mut(outputs)) {
            if plan {
                forward_one(&self.params, l, observation, &mut hidden, &mut logits, row, |_, _| {});
            } else {
                forward_one(&self.params, l, observation, &mut hidden, row, &mut [], |_, _| {});
            }
        }
        out
    }

    /// The batch loss and its gradient for every parameter (left in `self.grads`).
    fn loss_and_gradients(&mut self, observations: &[f32], objective: &Objective) -> f32 {
        let plan = match objective {
            Objective::Distill { plan: Some((targets, weight)), .. } if *weight > 0.0 => Some((*targets, *weight)),
            _ => None,
        };
        self.forward_batch(observations, plan.is_some());
        let batch = observations.len() / OBS_LEN;
        self.logit_grads.clear();
        self.logit_grads.resize(batch * NUM_ACTIONS, 0.0);
        self.plan_grads.clear();
        self.plan_grads.resize(self.plan_logits.len(), 0.0);
        let loss = match objective {
            Objective::Distill { spec, teacher, .. } => {
                let mut loss = loss_grad::add_distill(spec, &self.logits, teacher, 1.0, &mut self.logit_grads);
                if let Some((targets, weight)) = plan {
                    loss += loss_grad::add_plan(&self.plan_logits, targets, weight, &mut self.plan_grads);
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
        };
        self.backward(batch);
        loss
    }

    /// Back-propagates `logit_grads` (and `plan_grads`) through the network into `grads`.
    fn backward(&mut self, batch: usize) {
        let l = self.layout;
        let h = l.hidden;
        let plan = !self.plan_grads.is_empty();
        self.grads.fill(0.0);
        let (p, g) = (&self.params, &mut self.grads);
        let dh = &mut self.hidden_grad;
        for b in 0..batch {
            let hidden = &self.activations[b * h..(b + 1) * h];
            dh.fill(0.0);
            let heads = [(l.w2, l.b2, NUM_ACTIONS, &self.logit_grads), (l.w3, l.b3, PLAN_OUTPUTS, &self.plan_grads)];
            for (weight, bias, outputs, upstream) in heads.into_iter().take(if plan { 2 } else { 1 }) {
                for k in 0..outputs {
                    let d = upstream[b * outputs + k];
                    if d == 0.0 {
                        continue;
                    }
                    g[bias + k] += d;
                    axpy(&mut g[weight + k * h..weight + (k + 1) * h], d, hidden);
                    axpy(dh, d, &p[weight + k * h..weight + (k + 1) * h]);
                }
            }
            // ReLU: no gradient where the unit was off (dfdx's convention at exactly 0 too).
            for (d, &a) in dh.iter_mut().zip(hidden) {
                if a <= 0.0 {
                    *d = 0.0;
                }
            }
            axpy(&mut g[l.b1..l.b1 + h], 1.0, dh);
            for &(i, x) in &self.active[self.active_start[b]..self.active_start[b + 1]] {
                let row = l.w1t + i as usize * h;
                axpy(&mut g[row..row + h], x, dh);
            }
        }
    }

    /// Adam (Kingma & Ba 2015, Algorithm 1) over every parameter, as dfdx's CPU kernel computes it.
    fn adam(&mut self) {
        self.adam_steps += 1;
        let t = self.adam_steps;
        let correct1 = (1.0 - BETA1.powi(t)).recip();
        let correct2 = (1.0 - BETA2.powi(t)).recip();
        let lr = self.lr;
        for ((p, g), (m, v)) in self.params.iter_mut().zip(&self.grads).zip(self.moment1.iter_mut().zip(self.moment2.iter_mut())) {
            *m = *m * BETA1 + g * (1.0 - BETA1);
            *v = *v * BETA2 + g * g * (1.0 - BETA2);
            let m_hat = *m * correct1;
            let v_hat = *v * correct2;
            *p -= lr * m_hat / (v_hat.sqrt() + EPSILON);
        }
    }

    /// One Adam step on one batch; returns the batch loss before the step.
    pub fn train_step(&mut self, observations: &[f32], objective: &Objective) -> f32 {
        let loss = self.loss_and_gradients(observations, objective);
        self.adam();
        loss
    }

    /// The gradient of every parameter for one batch, in dfdx's layout and names (no step taken).
    pub fn gradients(&mut self, observations: &[f32], objective: &Objective) -> (f32, Vec<NamedTensor>) {
        let loss = self.loss_and_gradients(observations, objective);
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

    #[test]
    fn dot_and_sum_handle_every_length() {
        for n in [0, 1, 7, 8, 9, 23] {
            let a: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
            let b: Vec<f32> = (0..n).map(|i| 2.0 - i as f32).collect();
            let want: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - want).abs() < 1e-4);
            assert!((sum(&a) - a.iter().sum::<f32>()).abs() < 1e-4);
        }
        assert!(!sum(&[1.0, f32::NAN, 2.0]).is_finite());
    }
}
