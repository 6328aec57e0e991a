//! Every distillation loss, as dfdx tensor ops (autodiff gives the gradient training uses).
//! Each one is documented with its formula and reference; `reference` recomputes them in f64.
//!
//! Notation: s = student logits, t = teacher logits, p^τ = softmax(z/τ), all per sample over the
//! five actions. Values are per-sample losses averaged over the batch.

use crate::env::NUM_ACTIONS;
use dfdx::prelude::*;

/// Which distillation loss to train with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossKind {
    /// Behaviour cloning: −log softmax(s)[argmax t] (τ is not used). Pomerleau 1989; Rusu et al. 2016 (NLL).
    Hard,
    /// τ²·KL(p_T^τ ‖ p_S^τ): Hinton et al. 2015, "Distilling the Knowledge in a Neural Network", §2,
    /// soft targets with the τ² factor that keeps gradient magnitudes comparable across τ.
    Kl,
    /// τ²·KL(p_S^τ ‖ p_T^τ): the mode-seeking direction (Agarwal et al. 2024 discuss both directions).
    ReverseKl,
    /// mean over the 5 actions of (s − t)²: logit regression, Rusu et al. 2016 (Policy Distillation), eq. 3 (MSE).
    Mse,
}

pub const LOSS_NAMES: [&str; 4] = ["hard", "kl", "reverse_kl", "mse"];

impl LossKind {
    pub fn parse(name: &str) -> Option<LossKind> {
        match name {
            "hard" => Some(LossKind::Hard),
            "kl" => Some(LossKind::Kl),
            "reverse_kl" => Some(LossKind::ReverseKl),
            "mse" => Some(LossKind::Mse),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            LossKind::Hard => "hard",
            LossKind::Kl => "kl",
            LossKind::ReverseKl => "reverse_kl",
            LossKind::Mse => "mse",
        }
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
        self.logits.extend_from_slice(logits);
        self.log_probs.extend_from_slice(log_probs);
        let mut neg_entropy = 0.0;
        for &lp in log_probs {
            let p = lp.exp();
            self.probs.push(p);
            if p > 0.0 {
                neg_entropy += p * lp;
            }
        }
        for a in 0..NUM_ACTIONS {
            self.demonstrated.push(if a == demonstrated { 1.0 } else { 0.0 });
        }
        self.neg_entropy.push(neg_entropy);
    }
}

/// log softmax(z/τ), stable for any finite z.
pub fn log_softmax(logits: &[f32; NUM_ACTIONS], temperature: f32) -> [f32; NUM_ACTIONS] {
    let scaled = logits.map(|z| z / temperature);
    let max = scaled.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let log_sum: f32 = scaled.iter().map(|z| (z - max).exp()).sum::<f32>().ln() + max;
    scaled.map(|z| z - log_sum)
}

/// softmax(z/τ).
pub fn softmax(logits: &[f32; NUM_ACTIONS], temperature: f32) -> [f32; NUM_ACTIONS] {
    log_softmax(logits, temperature).map(f32::exp)
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

/// The batch loss for `kind` at temperature τ, as a dfdx scalar whose backward pass gives the
/// training gradient. Training, `lossValue` in the browser and the tests all call this.
pub fn distill_loss<T: Tape<f32, Cpu>>(
    dev: &Cpu,
    kind: LossKind,
    temperature: f32,
    student_logits: Batch5<T>,
    teacher: &TeacherTargets,
) -> Tensor<Rank0, f32, Cpu, T> {
    let batch = teacher.len();
    let shape = (batch, Const::<NUM_ACTIONS>);
    let per_batch = |v: &Vec<f32>| dev.tensor_from_vec(v.clone(), shape);
    let tau = temperature;
    match kind {
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
    }
}

/// The loss of one sample, computed by `distill_loss` (the training code) on a batch of one.
pub fn loss_value(kind: LossKind, temperature: f32, teacher_logits: &[f32; NUM_ACTIONS], student_logits: &[f32; NUM_ACTIONS]) -> f32 {
    let dev = Cpu::default();
    let mut teacher = TeacherTargets::with_capacity(1);
    teacher.push(teacher_logits, &log_softmax(teacher_logits, temperature), argmax(teacher_logits));
    let student = dev.tensor_from_vec(student_logits.to_vec(), (1usize, Const::<NUM_ACTIONS>));
    distill_loss(&dev, kind, temperature, student, &teacher).array()
}

/// The gradient of `loss_value` with respect to the student's logits, by dfdx's autodiff.
pub fn loss_gradient(kind: LossKind, temperature: f32, teacher_logits: &[f32; NUM_ACTIONS], student_logits: &[f32; NUM_ACTIONS]) -> [f32; NUM_ACTIONS] {
    let dev = Cpu::default();
    let mut teacher = TeacherTargets::with_capacity(1);
    teacher.push(teacher_logits, &log_softmax(teacher_logits, temperature), argmax(teacher_logits));
    let student = dev.tensor_from_vec(student_logits.to_vec(), (1usize, Const::<NUM_ACTIONS>));
    let loss = distill_loss(&dev, kind, temperature, student.leaky_trace(), &teacher);
    let grads = loss.backward();
    let g = grads.get(&student).as_vec();
    [g[0], g[1], g[2], g[3], g[4]]
}

/// Independent f64 recomputation of each loss from its formula, for tests and for checking.
pub mod reference {
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
    pub fn loss(kind: &str, tau: f64, teacher: &[f64], student: &[f64]) -> f64 {
        match kind {
            "hard" => {
                let best = (0..teacher.len()).fold(0, |b, i| if teacher[i] > teacher[b] { i } else { b });
                -log_softmax(student, 1.0)[best]
            }
            "kl" => tau * tau * kl(&log_softmax(teacher, tau), &log_softmax(student, tau)),
            "reverse_kl" => tau * tau * kl(&log_softmax(student, tau), &log_softmax(teacher, tau)),
            "mse" => teacher.iter().zip(student).map(|(t, s)| (s - t) * (s - t)).sum::<f64>() / teacher.len() as f64,
            other => panic!("no reference for {other}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: [([f32; 5], [f32; 5]); 4] = [
        ([2.0, -1.0, 0.5, 0.0, 1.0], [0.3, 0.1, -0.2, 0.8, -0.5]),
        ([10.0, 9.5, -3.0, 0.0, 4.0], [-1.0, 2.0, 0.0, 0.5, 1.5]),
        ([0.0; 5], [1.0, -1.0, 2.0, -2.0, 0.0]),
        ([-0.5, 3.0, 3.0, -2.0, 1.0], [0.0, 0.4, 0.1, -0.3, 0.2]),
    ];
    const TEMPERATURES: [f32; 4] = [0.3, 1.0, 2.5, 5.0];

    fn as_f64(v: &[f32; 5]) -> Vec<f64> {
        v.iter().map(|x| *x as f64).collect()
    }

    #[test]
    fn hand_worked_values() {
        // Uniform student (all logits 0): hard = log 5 whatever the teacher.
        let hard = loss_value(LossKind::Hard, 1.0, &[3.0, 0.0, 0.0, 0.0, 0.0], &[0.0; 5]);
        assert!((hard - 5f32.ln()).abs() < 1e-6);
        // Identical logits: KL in both directions is 0.
        let z = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!(loss_value(LossKind::Kl, 2.0, &z, &z).abs() < 1e-6);
        assert!(loss_value(LossKind::ReverseKl, 0.5, &z, &z).abs() < 1e-6);
        // mse: student 0, teacher (1,2,3,4,5): (1+4+9+16+25)/5 = 11.
        assert!((loss_value(LossKind::Mse, 1.0, &z, &[0.0; 5]) - 11.0).abs() < 1e-5);
        // KL from a uniform teacher to a student with p = (e,1,1,1,1)/(e+4) at τ = 1:
        // Σ 0.2·(log 0.2 − log p_a) = log 0.2 + log(e+4) − 0.2.
        let want = (0.2f64).ln() + (std::f64::consts::E + 4.0).ln() - 0.2;
        let got = loss_value(LossKind::Kl, 1.0, &[0.0; 5], &[1.0, 0.0, 0.0, 0.0, 0.0]);
        assert!((got as f64 - want).abs() < 1e-5, "{got} vs {want}");
    }

    #[test]
    fn values_match_the_f64_reference() {
        for kind in LOSS_NAMES {
            for tau in TEMPERATURES {
                for (teacher, student) in CASES {
                    let got = loss_value(LossKind::parse(kind).unwrap(), tau, &teacher, &student) as f64;
                    let want = reference::loss(kind, tau as f64, &as_f64(&teacher), &as_f64(&student));
                    assert!((got - want).abs() < 1e-4 * (1.0 + want.abs()), "{kind} τ={tau}: {got} vs {want}");
                }
            }
        }
    }

    #[test]
    fn autodiff_gradients_match_finite_differences() {
        // Central differences of the f64 reference: an independent computation of the gradient.
        let h = 1e-5;
        for kind in LOSS_NAMES {
            for tau in TEMPERATURES {
                for (teacher, student) in CASES {
                    let grad = loss_gradient(LossKind::parse(kind).unwrap(), tau, &teacher, &student);
                    for a in 0..5 {
                        let mut up = as_f64(&student);
                        let mut down = up.clone();
                        up[a] += h;
                        down[a] -= h;
                        let t = as_f64(&teacher);
                        let numeric = (reference::loss(kind, tau as f64, &t, &up) - reference::loss(kind, tau as f64, &t, &down)) / (2.0 * h);
                        assert!(
                            (grad[a] as f64 - numeric).abs() < 1e-3 * (1.0 + numeric.abs()),
                            "{kind} τ={tau} action {a}: autodiff {} vs finite difference {numeric}",
                            grad[a]
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn closed_form_kl_gradient() {
        // d/ds τ²·KL(p_T^τ ‖ p_S^τ) = τ·(p_S^τ − p_T^τ) (Hinton et al. 2015, eq. 2 before the τ² rescale).
        let (teacher, student) = CASES[0];
        let tau = 2.5;
        let grad = loss_gradient(LossKind::Kl, tau, &teacher, &student);
        let (ps, pt) = (softmax(&student, tau), softmax(&teacher, tau));
        for a in 0..5 {
            assert!((grad[a] - tau * (ps[a] - pt[a])).abs() < 1e-5);
        }
    }

    #[test]
    fn zero_teacher_probability_is_finite() {
        // Teacher logits so far apart that p_T^τ underflows to exactly 0 in f32 for four actions.
        let teacher = [0.0, -1.0e4, -1.0e4, -1.0e4, -1.0e4];
        assert_eq!(softmax(&teacher, 0.1)[1], 0.0);
        let student = [0.5, 0.1, -0.2, 0.3, 0.0];
        for kind in LOSS_NAMES {
            let kind = LossKind::parse(kind).unwrap();
            let value = loss_value(kind, 0.1, &teacher, &student);
            let grad = loss_gradient(kind, 0.1, &teacher, &student);
            assert!(value.is_finite() && grad.iter().all(|g| g.is_finite()), "{kind:?}: {value} {grad:?}");
        }
    }
}
