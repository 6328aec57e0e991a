//! Every distillation loss as dfdx tensor ops: the reference. Training (page, CLI) does not run it: the
//! fused step computes the same values and closed-form gradients (`loss_grad`), and the tests check
//! them against this module's autodiff; the dfdx engine (benches, tests) and the teacher's training use it. Each loss is
//! documented with its formula and reference; `reference` recomputes them in f64.
//!
//! Notation: s = student logits, t = teacher logits, p^τ = softmax(z/τ), all per sample over the
//! five actions. Values are per-sample losses averaged over the batch.

use crate::env::NUM_ACTIONS;
use dfdx::prelude::*;

crate::named_choice! {
    /// Which distillation loss to train with.
    pub enum LossKind {
        /// Behaviour cloning: −log softmax(s)[argmax t] (τ is not used). Pomerleau 1989; Rusu et al. 2016 (NLL).
        Hard = "hard",
        /// τ²·KL(p_T^τ ‖ p_S^τ): Hinton et al. 2015, "Distilling the Knowledge in a Neural Network", §2,
        /// soft targets with the τ² factor that keeps gradient magnitudes comparable across τ.
        Kl = "kl",
        /// τ²·KL(p_S^τ ‖ p_T^τ): the mode-seeking direction (Agarwal et al. 2024 discuss both directions).
        ReverseKl = "reverse_kl",
        /// mean over the 5 actions of (s − t)²: logit regression, Rusu et al. 2016 (Policy Distillation), eq. 3 (MSE).
        Mse = "mse",
        /// Generalized Jensen–Shannon divergence (Agarwal et al. 2024, "On-Policy Distillation of Language
        /// Models", eq. 2): τ²·[β·KL(p_T^τ ‖ M) + (1−β)·KL(p_S^τ ‖ M)] with M = β·p_T^τ + (1−β)·p_S^τ.
        Jsd = "jsd",
    }
}


/// A loss with its parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossSpec {
    pub kind: LossKind,
    /// τ: both distributions are softened as softmax(z/τ) (not used by `hard` and `mse`).
    pub temperature: f32,
    /// β of `jsd` (default 0.5).
    pub beta: f32,
    /// α: the trained loss is α·(soft loss) + (1−α)·hard (Hinton et al. 2015, §2.1); 1 = pure soft.
    /// Ignored when `kind` is `hard`.
    pub alpha: f32,
}

impl LossSpec {
    pub fn new(kind: LossKind, temperature: f32) -> LossSpec {
        LossSpec { kind, temperature, beta: 0.5, alpha: 1.0 }
    }
}


/// One sample's row of `TeacherTargets`: what `TeacherTargets::push` appends, worked out once so
/// that a state drawn again and again is not worked out again (`MapData::targets_at`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleTarget {
    pub logits: [f32; NUM_ACTIONS],
    pub log_probs: [f32; NUM_ACTIONS],
    /// exp(log p_T^τ).
    pub probs: [f32; NUM_ACTIONS],
    /// Σ_a p_T^τ log p_T^τ, with 0·log 0 = 0.
    pub neg_entropy: f32,
    pub demonstrated: u8,
}

impl SampleTarget {
    pub fn new(logits: &[f32; NUM_ACTIONS], log_probs: &[f32; NUM_ACTIONS], demonstrated: usize) -> SampleTarget {
        let probs = log_probs.map(crate::math::exp);
        let mut neg_entropy = 0.0;
        for (&p, &lp) in probs.iter().zip(log_probs) {
            if p > 0.0 {
                neg_entropy += p * lp;
            }
        }
        SampleTarget { logits: *logits, log_probs: *log_probs, probs, neg_entropy, demonstrated: demonstrated as u8 }
    }
}

/// What the loss needs to know about the teacher, for a batch of B samples (row-major B×5).
#[derive(Clone, Debug, Default)]
pub struct TeacherTargets {
    /// Teacher logits t (used by `mse`).
    pub logits: Vec<f32>,
    /// log p_T^τ, computed by a stable log-softmax so it is finite even where p_T^τ rounds to 0.
    pub log_probs: Vec<f32>,
    /// p_T^τ.
    pub probs: Vec<f32>,
    /// One-hot of the demonstrated action (argmax t, or a noisy choice) for `hard`.
    pub demonstrated: Vec<f32>,
    /// Σ_a p_T^τ log p_T^τ per sample, with 0·log 0 = 0 (the constant part of the forward KL).
    pub neg_entropy: Vec<f32>,
}

impl TeacherTargets {
    pub fn with_capacity(batch: usize) -> TeacherTargets {
        let n = batch * NUM_ACTIONS;
        TeacherTargets {
            logits: Vec::with_capacity(n),
            log_probs: Vec::with_capacity(n),
            probs: Vec::with_capacity(n),
            demonstrated: Vec::with_capacity(n),
            neg_entropy: Vec::with_capacity(batch),
        }
    }
    pub fn clear(&mut self) {
        self.logits.clear();
        self.log_probs.clear();
        self.probs.clear();
        self.demonstrated.clear();
        self.neg_entropy.clear();
    }
    pub fn len(&self) -> usize {
        self.neg_entropy.len()
    }
    pub fn is_empty(&self) -> bool {
        self.neg_entropy.is_empty()
    }
    /// Appends one sample from its logits at temperature τ; `demonstrated` is the action for `hard`.
    pub fn push(&mut self, logits: &[f32; NUM_ACTIONS], log_probs: &[f32; NUM_ACTIONS], demonstrated: usize) {
        self.push_target(&SampleTarget::new(logits, log_probs, demonstrated));
    }

    /// Appends one sample's target, worked out earlier (`SampleTarget::new`; the same as `push`).
    pub fn push_target(&mut self, target: &SampleTarget) {
        self.logits.extend_from_slice(&target.logits);
        self.log_probs.extend_from_slice(&target.log_probs);
        self.probs.extend_from_slice(&target.probs);
        for a in 0..NUM_ACTIONS {
            self.demonstrated.push(if a == target.demonstrated as usize { 1.0 } else { 0.0 });
        }
        self.neg_entropy.push(target.neg_entropy);
    }

    /// As `push`, with the demonstrated one-hot scaled by `weight` (a policy-gradient advantage).
    pub fn push_weighted(&mut self, logits: &[f32; NUM_ACTIONS], log_probs: &[f32; NUM_ACTIONS], action: usize, weight: f32) {
        self.push(logits, log_probs, action);
        let start = self.demonstrated.len() - NUM_ACTIONS;
        self.demonstrated[start + action] = weight;
    }
}

/// log softmax(z/τ), stable for any finite z.
pub fn log_softmax(logits: &[f32; NUM_ACTIONS], temperature: f32) -> [f32; NUM_ACTIONS] {
    let scaled = logits.map(|z| z / temperature);
    let max = scaled.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let log_sum: f32 = crate::math::ln(scaled.iter().map(|&z| crate::math::exp(z - max)).sum::<f32>()) + max;
    scaled.map(|z| z - log_sum)
}

/// softmax(z/τ).
pub fn softmax(logits: &[f32; NUM_ACTIONS], temperature: f32) -> [f32; NUM_ACTIONS] {
    log_softmax(logits, temperature).map(crate::math::exp)
}

/// Index of the largest entry (the first one on ties).
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

type Batch5<T> = Tensor<(usize, Const<NUM_ACTIONS>), f32, Cpu, T>;

/// The batch loss for `spec`, as a dfdx scalar whose backward pass gives the training gradient.
/// Training, `lossValue` in the browser and the tests all call this.
pub fn distill_loss<T: Tape<f32, Cpu>>(dev: &Cpu, spec: &LossSpec, student_logits: Batch5<T>, teacher: &TeacherTargets) -> Tensor<Rank0, f32, Cpu, T> {
    if spec.kind == LossKind::Hard || spec.alpha >= 1.0 {
        return single_loss(dev, spec, student_logits, teacher);
    }
    let hard = single_loss(dev, &LossSpec { kind: LossKind::Hard, ..*spec }, student_logits.retaped::<T>(), teacher);
    let soft = single_loss(dev, spec, student_logits, teacher);
    soft * spec.alpha + hard * (1.0 - spec.alpha)
}

fn single_loss<T: Tape<f32, Cpu>>(dev: &Cpu, spec: &LossSpec, student_logits: Batch5<T>, teacher: &TeacherTargets) -> Tensor<Rank0, f32, Cpu, T> {
    let batch = teacher.len();
    let shape = (batch, Const::<NUM_ACTIONS>);
    let per_batch = |v: &Vec<f32>| dev.tensor_from_vec(v.clone(), shape);
    let tau = spec.temperature;
    match spec.kind {
        LossKind::Hard => {
            let log_p = student_logits.log_softmax::<Axis<1>>();
            let picked = (log_p * per_batch(&teacher.demonstrated)).sum::<(usize,), _>();
            picked.mean().negate()
        }
        LossKind::Kl => {
            // τ²·Σ p_T (log p_T − log p_S) = τ²·(Σ p_T log p_T − Σ p_T log p_S).
            let log_p_student = (student_logits / tau).log_softmax::<Axis<1>>();
            let cross = (log_p_student * per_batch(&teacher.probs)).sum::<(usize,), _>();
            let neg_entropy = dev.tensor_from_vec(teacher.neg_entropy.clone(), (batch,));
            ((cross.negate() + neg_entropy).mean()) * (tau * tau)
        }
        LossKind::ReverseKl => {
            // τ²·Σ p_S (log p_S − log p_T).
            let log_p_student = (student_logits / tau).log_softmax::<Axis<1>>();
            let p_student = log_p_student.retaped::<T>().exp();
            let gap = log_p_student - per_batch(&teacher.log_probs);
            (p_student * gap).sum::<(usize,), _>().mean() * (tau * tau)
        }
        LossKind::Mse => (student_logits - per_batch(&teacher.logits)).square().mean(),
        LossKind::Jsd => {
            let beta = spec.beta;
            let log_p_student = (student_logits / tau).log_softmax::<Axis<1>>();
            let p_student = log_p_student.retaped::<T>().exp();
            // M > 0 wherever p_S > 0; the 1e-30 keeps log M finite if both round to 0.
            let mixture = p_student.retaped::<T>() * (1.0 - beta) + per_batch(&teacher.probs) * beta + 1e-30;
            let log_mixture = mixture.ln();
            // β·KL(p_T ‖ M) = β·(Σ p_T log p_T − Σ p_T log M).
            let teacher_cross = (log_mixture.retaped::<T>() * per_batch(&teacher.probs)).sum::<(usize,), _>();
            let neg_entropy = dev.tensor_from_vec(teacher.neg_entropy.clone(), (batch,));
            let teacher_term = (teacher_cross.negate() + neg_entropy) * beta;
            // (1−β)·KL(p_S ‖ M) = (1−β)·Σ p_S (log p_S − log M).
            let student_term = (p_student * (log_p_student - log_mixture)).sum::<(usize,), _>() * (1.0 - beta);
            (teacher_term + student_term).mean() * (tau * tau)
        }
    }
}

fn one_sample(teacher_logits: &[f32; NUM_ACTIONS], temperature: f32) -> TeacherTargets {
    let mut teacher = TeacherTargets::with_capacity(1);
    teacher.push(teacher_logits, &log_softmax(teacher_logits, temperature), argmax(teacher_logits));
    teacher
}

/// The loss of one sample, computed by `distill_loss` (the training code) on a batch of one.
pub fn loss_value(spec: &LossSpec, teacher_logits: &[f32; NUM_ACTIONS], student_logits: &[f32; NUM_ACTIONS]) -> f32 {
    let dev = Cpu::default();
    let student = dev.tensor_from_vec(student_logits.to_vec(), (1usize, Const::<NUM_ACTIONS>));
    distill_loss(&dev, spec, student, &one_sample(teacher_logits, spec.temperature)).array()
}

/// The gradient of `loss_value` with respect to the student's logits, by dfdx's autodiff.
pub fn loss_gradient(spec: &LossSpec, teacher_logits: &[f32; NUM_ACTIONS], student_logits: &[f32; NUM_ACTIONS]) -> [f32; NUM_ACTIONS] {
    let dev = Cpu::default();
    let student = dev.tensor_from_vec(student_logits.to_vec(), (1usize, Const::<NUM_ACTIONS>));
    let loss = distill_loss(&dev, spec, student.leaky_trace(), &one_sample(teacher_logits, spec.temperature));
    let grads = loss.backward();
    let g = grads.get(&student).as_vec();
    [g[0], g[1], g[2], g[3], g[4]]
}

/// Independent f64 recomputation of each loss from its formula, for tests and for checking.
pub mod reference {
    use super::LossKind;

    fn log_softmax(z: &[f64], tau: f64) -> Vec<f64> {
        let scaled: Vec<f64> = z.iter().map(|v| v / tau).collect();
        let max = scaled.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let log_sum = scaled.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max;
        scaled.iter().map(|v| v - log_sum).collect()
    }
    /// KL(p ‖ q) = Σ p (log p − log q) from log-probabilities, with 0·log 0 = 0.
    pub fn kl(log_p: &[f64], log_q: &[f64]) -> f64 {
        log_p.iter().zip(log_q).map(|(lp, lq)| if lp.exp() == 0.0 { 0.0 } else { lp.exp() * (lp - lq) }).sum()
    }
    /// The loss `kind` with JSD weight `beta` and soft weight `alpha` (α·soft + (1−α)·hard).
    pub fn loss(kind: LossKind, tau: f64, beta: f64, alpha: f64, teacher: &[f64], student: &[f64]) -> f64 {
        if kind == LossKind::Hard || alpha >= 1.0 {
            return single(kind, tau, beta, teacher, student);
        }
        alpha * single(kind, tau, beta, teacher, student) + (1.0 - alpha) * single(LossKind::Hard, tau, beta, teacher, student)
    }

    fn single(kind: LossKind, tau: f64, beta: f64, teacher: &[f64], student: &[f64]) -> f64 {
        match kind {
            LossKind::Hard => {
                let best = (0..teacher.len()).fold(0, |b, i| if teacher[i] > teacher[b] { i } else { b });
                -log_softmax(student, 1.0)[best]
            }
            LossKind::Kl => tau * tau * kl(&log_softmax(teacher, tau), &log_softmax(student, tau)),
            LossKind::ReverseKl => tau * tau * kl(&log_softmax(student, tau), &log_softmax(teacher, tau)),
            LossKind::Mse => teacher.iter().zip(student).map(|(t, s)| (s - t) * (s - t)).sum::<f64>() / teacher.len() as f64,
            LossKind::Jsd => {
                let (lt, ls) = (log_softmax(teacher, tau), log_softmax(student, tau));
                let log_m: Vec<f64> = lt.iter().zip(&ls).map(|(a, b)| (beta * a.exp() + (1.0 - beta) * b.exp()).ln()).collect();
                tau * tau * (beta * kl(&lt, &log_m) + (1.0 - beta) * kl(&ls, &log_m))
            }
        }
    }
}

// The checks of the losses run natively here and in the browser (tests/web.rs): one body, in `checks`.
#[cfg(test)]
mod tests {
    #[test]
    fn hand_worked_values() {
        crate::checks::losses_match_hand_worked_values();
    }

    #[test]
    fn values_match_the_f64_reference() {
        crate::checks::losses_match_the_f64_reference();
    }

    #[test]
    fn autodiff_gradients_match_finite_differences() {
        crate::checks::loss_gradients_match_finite_differences();
    }

    #[test]
    fn closed_form_kl_gradient() {
        crate::checks::kl_gradient_has_its_closed_form();
    }

    #[test]
    fn zero_teacher_probability_is_finite() {
        crate::checks::zero_teacher_probability_stays_finite();
    }
}
