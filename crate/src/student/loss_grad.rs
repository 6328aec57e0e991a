//! Every training objective's value and its gradient with respect to the student's logits, in
//! closed form, for the fused training step; tests check each against dfdx's autodiff (`loss`).
//!
//! Notation as in `loss`: s = student logits, z = s/τ, p = softmax(z) (the student), q = p_T^τ (the
//! teacher), B = batch. Each `add_*` adds `scale`·∂L/∂s into `grad` (B×5) and returns `scale`·L.
//! The derivations, per sample (softmax Jacobian ∂p_a/∂z_j = p_a(δ_aj − p_j)):
//! - hard, −Σ_a d_a log p_a (d: one-hot, or advantage-weighted): ∂/∂s_j = p_j·Σd − d_j.
//! - kl, τ²·Σ q (log q − log p): ∂/∂s_j = τ·(p_j·Σq − q_j) (Hinton et al. 2015, §2.1).
//! - reverse_kl, τ²·Σ p·g with g = log p − log q: ∂/∂s_j = τ·p_j·(g_j − Σ_a p_a g_a).
//! - mse, mean over 5 of (s − t)²: ∂/∂s_j = 2(s_j − t_j)/5.
//! - jsd, τ²·[β·KL(q‖M) + (1−β)·KL(p‖M)], M = βq + (1−β)p + 1e-30: with
//!   h_a = ∂L/∂p_a / τ² = (1−β)·(log p_a − log M_a + 1 − (βq_a + (1−β)p_a)/M_a),
//!   ∂/∂s_j = τ·p_j·(h_j − Σ_a p_a h_a) (Agarwal et al. 2024, eq. 2).
//! The batch loss is the mean over samples, so every per-sample gradient is divided by B.

use crate::env::NUM_ACTIONS;
use super::loss::{LossKind, LossSpec, TeacherTargets};
use super::objective::PLAN_STEPS;

const A: usize = NUM_ACTIONS;

/// log softmax(z/τ) of one row into `log_p`, and softmax(z/τ) into `p`, stable for any finite z:
/// with e_a = exp(z_a − max z), p_a = e_a / Σe and log p_a = z_a − max z − ln Σe, so each row costs
/// five exp and one ln (the training step's loss is dominated by them).
#[inline]
fn softmax_row(logits: &[f32], tau: f32, log_p: &mut [f32; A], p: &mut [f32; A]) {
    let mut max = f32::NEG_INFINITY;
    for a in 0..A {
        log_p[a] = logits[a] / tau;
        max = max.max(log_p[a]);
    }
    for a in 0..A {
        log_p[a] -= max;
        p[a] = crate::math::exp(log_p[a]);
    }
    let sum: f32 = p.iter().sum();
    let (log_sum, inverse) = (crate::math::ln(sum), sum.recip());
    for a in 0..A {
        log_p[a] -= log_sum;
        p[a] *= inverse;
    }
}

/// The distillation loss of `spec` (α·soft + (1−α)·hard when mixed), as `loss::distill_loss`.
pub fn add_distill(spec: &LossSpec, logits: &[f32], teacher: &TeacherTargets, scale: f32, grad: &mut [f32]) -> f32 {
    if spec.kind == LossKind::Hard || spec.alpha >= 1.0 {
        return add_single(spec, logits, teacher, scale, grad);
    }
    let hard = LossSpec { kind: LossKind::Hard, ..*spec };
    add_single(spec, logits, teacher, scale * spec.alpha, grad) + add_single(&hard, logits, teacher, scale * (1.0 - spec.alpha), grad)
}

fn add_single(spec: &LossSpec, logits: &[f32], teacher: &TeacherTargets, scale: f32, grad: &mut [f32]) -> f32 {
    if spec.kind == LossKind::Hard {
        return add_cross_entropy(logits, &teacher.demonstrated, scale, grad);
    }
    let batch = teacher.len();
    let tau = spec.temperature;
    let per_sample = scale / batch as f32;
    let mut total = 0.0f32;
    let (mut log_p, mut p) = ([0.0f32; A], [0.0f32; A]);
    for b in 0..batch {
        let row = b * A..(b + 1) * A;
        let (s, g) = (&logits[row.clone()], &mut grad[row.clone()]);
        match spec.kind {
            LossKind::Hard => unreachable!("hard is the cross-entropy, handled above"),
            LossKind::Kl => {
                let q = &teacher.probs[row];
                softmax_row(s, tau, &mut log_p, &mut p);
                let mass: f32 = q.iter().sum();
                let mut cross = 0.0;
                for a in 0..A {
                    cross += log_p[a] * q[a];
                    g[a] += per_sample * tau * (p[a] * mass - q[a]);
                }
                total += tau * tau * (teacher.neg_entropy[b] - cross);
            }
            LossKind::ReverseKl => {
                let log_q = &teacher.log_probs[row];
                softmax_row(s, tau, &mut log_p, &mut p);
                let gap: [f32; A] = std::array::from_fn(|a| log_p[a] - log_q[a]);
                let mean_gap: f32 = (0..A).map(|a| p[a] * gap[a]).sum();
                for a in 0..A {
                    g[a] += per_sample * tau * p[a] * (gap[a] - mean_gap);
                }
                total += tau * tau * mean_gap;
            }
            LossKind::Mse => {
                let t = &teacher.logits[row];
                for a in 0..A {
                    let diff = s[a] - t[a];
                    total += diff * diff / A as f32;
                    g[a] += per_sample * 2.0 * diff / A as f32;
                }
            }
            LossKind::Jsd => {
                let beta = spec.beta;
                let q = &teacher.probs[row];
                softmax_row(s, tau, &mut log_p, &mut p);
                let (mut teacher_cross, mut student_term) = (0.0, 0.0);
                let mut h = [0.0f32; A];
                for a in 0..A {
                    let blend = p[a] * (1.0 - beta) + q[a] * beta;
                    let mixture = blend + 1e-30;
                    let log_m = crate::math::ln(mixture);
                    teacher_cross += log_m * q[a];
                    student_term += p[a] * (log_p[a] - log_m);
                    h[a] = (1.0 - beta) * (log_p[a] - log_m + 1.0 - blend / mixture);
                }
                let mean_h: f32 = (0..A).map(|a| p[a] * h[a]).sum();
                for a in 0..A {
                    g[a] += per_sample * tau * p[a] * (h[a] - mean_h);
                }
                total += tau * tau * (beta * (teacher.neg_entropy[b] - teacher_cross) + (1.0 - beta) * student_term);
            }
        }
    }
    scale * total / batch as f32
}

/// Mean over rows of 5 of −Σ_a y_a log softmax(s)_a against `targets` y (one-hot, or weighted):
/// the `hard` loss (rows = samples) and the plan head's (rows = samples × steps);
/// ∂/∂s_j = p_j·Σy − y_j per row.
fn add_cross_entropy(logits: &[f32], targets: &[f32], scale: f32, grad: &mut [f32]) -> f32 {
    let rows = targets.len() / A;
    let per_row = scale / rows as f32;
    let mut total = 0.0f32;
    let (mut log_p, mut p) = ([0.0f32; A], [0.0f32; A]);
    for r in 0..rows {
        let range = r * A..(r + 1) * A;
        let (y, g) = (&targets[range.clone()], &mut grad[range.clone()]);
        softmax_row(&logits[range], 1.0, &mut log_p, &mut p);
        let weight: f32 = y.iter().sum();
        for a in 0..A {
            total -= y[a] * log_p[a];
            g[a] += per_row * (p[a] * weight - y[a]);
        }
    }
    scale * total / rows as f32
}

/// The plan head's loss: cross-entropy of each of the `PLAN_STEPS` predicted actions against the
/// teacher's (one-hot `targets`, B×4×5), averaged over steps and batch.
pub fn add_plan(plan_logits: &[f32], targets: &[f32], scale: f32, grad: &mut [f32]) -> f32 {
    debug_assert_eq!((targets.len() / A) % PLAN_STEPS, 0);
    add_cross_entropy(plan_logits, targets, scale, grad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{close, random_batch};
    use rand::{rngs::StdRng, SeedableRng};

    // The checks against dfdx also run in the browser (tests/web.rs): one body, in `checks`.
    #[test]
    fn every_loss_matches_dfdx_autodiff_value_and_gradient() {
        crate::checks::closed_form_gradients_match_dfdx();
    }

    #[test]
    fn plan_cross_entropy_matches_dfdx_and_a_hand_worked_case() {
        crate::checks::plan_cross_entropy_matches_dfdx();
    }

    #[test]
    fn the_scale_multiplies_value_and_gradient_and_gradients_accumulate() {
        let mut rng = StdRng::seed_from_u64(3);
        let (logits, teacher) = random_batch(&mut rng, 4, 2.0, 3.0);
        let spec = LossSpec::new(LossKind::Jsd, 2.0);
        let mut once = vec![0.0; logits.len()];
        let value = add_distill(&spec, &logits, &teacher, 1.0, &mut once);
        let mut twice = vec![0.0; logits.len()];
        let scaled = add_distill(&spec, &logits, &teacher, 0.5, &mut twice) + add_distill(&spec, &logits, &teacher, 1.5, &mut twice);
        assert!(close(scaled, 2.0 * value));
        assert!(once.iter().zip(&twice).all(|(a, b)| close(2.0 * a, *b)));
    }
}
