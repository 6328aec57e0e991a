//! Students teaching students: a peer student learns beside the session's own on the same batches,
//! and each takes the other's current policy as part of its soft target — co-distillation (Anil et
//! al. 2018, "Large scale distributed neural network training through online distillation", §2) and
//! deep mutual learning (Zhang et al. 2018, "Deep Mutual Learning", eq. 1–4, where the peer term is
//! KL(p_peer ‖ p_self)). Here the soft target of each is q = (1 − ψ)·p_T^τ + ψ·p_peer^τ: with loss
//! `kl` and soft weight α the objective is α·τ²·KL(q ‖ p^τ) + (1 − α)·CE(teacher's action), so
//! ψ = 1, α = ½ is DML's CE + KL(p_peer ‖ p) (halved), and ψ = ½, α = 1 co-distils with the teacher.

use crate::env::NUM_ACTIONS;
use crate::student::loss::{log_softmax, TeacherTargets};
use crate::student::{Objective, Student};
use crate::training::session::Session;

/// The peer's seed: the session's, moved far from any run seed (so it starts from other weights).
pub const PEER_SEED_OFFSET: u64 = 0x5EED_0000_0000;

/// The peer for these settings (width and learning rate of the session's student), if ψ > 0.
pub fn new_peer(hidden: usize, seed: u64, lr: f32, peer_weight: f32) -> Option<Student> {
    (peer_weight > 0.0).then(|| Student::new(hidden, seed.wrapping_add(PEER_SEED_OFFSET), lr).expect("width validated in settings"))
}

/// The targets of one student: the teacher's soft targets mixed with the other student's policy at
/// τ, weight ψ; the demonstrated action stays the teacher's.
fn mixed_targets(teacher: &TeacherTargets, other_logits: &[f32], tau: f32, psi: f32) -> TeacherTargets {
    let mut out = TeacherTargets::with_capacity(teacher.len());
    for i in 0..teacher.len() {
        let range = i * NUM_ACTIONS..(i + 1) * NUM_ACTIONS;
        let other: [f32; NUM_ACTIONS] = other_logits[range.clone()].try_into().expect("five logits");
        let other_log = log_softmax(&other, tau);
        let mut log_q = [0.0f32; NUM_ACTIONS];
        for a in 0..NUM_ACTIONS {
            let q = (1.0 - psi) * teacher.probs[range.start + a] + psi * crate::math::exp(other_log[a]);
            log_q[a] = crate::math::ln(q.max(f32::MIN_POSITIVE));
        }
        let logits: [f32; NUM_ACTIONS] = teacher.logits[range.clone()].try_into().expect("five logits");
        let demonstrated = (0..NUM_ACTIONS).find(|&a| teacher.demonstrated[range.start + a] > 0.0).unwrap_or(0);
        out.push(&logits, &log_q, demonstrated);
    }
    out
}

impl Session {
    /// One step of both students on the batch in `batch_inputs`/`batch_targets` (the teacher's
    /// labels): each learns towards the other's policy before either moves. Returns the session
    /// student's loss.
    pub(super) fn mutual_step(&mut self, plan: Option<(&[f32], f32)>) -> f32 {
        let spec = self.settings.loss_spec();
        let psi = self.settings.peer_weight;
        let peer = self.peer.as_mut().expect("a peer when ψ > 0");
        // Each network's forward pass on the batch serves twice: its logits make the other's
        // targets, and its own step continues from it (neither's weights change in between).
        let own_logits = self.student.forward_for_step(&self.batch_inputs, plan.is_some_and(|(_, weight)| weight > 0.0));
        let peer_logits = peer.forward_for_step(&self.batch_inputs, false);
        let own_targets = mixed_targets(&self.batch_targets, &peer_logits, spec.temperature, psi);
        let peer_targets = mixed_targets(&self.batch_targets, &own_logits, spec.temperature, psi);
        peer.train_step_after_forward(&self.batch_inputs, &Objective::Distill { spec, teacher: &peer_targets, plan: None });
        self.student.train_step_after_forward(&self.batch_inputs, &Objective::Distill { spec, teacher: &own_targets, plan })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_mixed_target_is_the_weighted_mixture_of_teacher_and_peer() {
        let mut teacher = TeacherTargets::default();
        let t_logits = [2.0, 0.5, -1.0, 0.0, 1.0];
        teacher.push(&t_logits, &log_softmax(&t_logits, 2.0), 0);
        let peer = [0.0, 3.0, 0.0, -2.0, 0.5];
        let mixed = mixed_targets(&teacher, &peer, 2.0, 0.25);
        // By hand, in f64: q = 0.75·softmax(t/2) + 0.25·softmax(peer/2).
        let softmax = |z: &[f32; 5]| {
            let e: Vec<f64> = z.iter().map(|v| (*v as f64 / 2.0).exp()).collect();
            let sum: f64 = e.iter().sum();
            e.into_iter().map(|v| v / sum).collect::<Vec<_>>()
        };
        let (pt, pp) = (softmax(&t_logits), softmax(&peer));
        for a in 0..5 {
            let q = 0.75 * pt[a] + 0.25 * pp[a];
            assert!((mixed.probs[a] as f64 - q).abs() < 1e-6, "{a}: {} vs {q}", mixed.probs[a]);
        }
        assert_eq!(mixed.demonstrated, teacher.demonstrated, "the demonstrated action stays the teacher's");
        // ψ = 0 is the teacher's own target.
        let same = mixed_targets(&teacher, &peer, 2.0, 0.0);
        assert!(same.probs.iter().zip(&teacher.probs).all(|(a, b)| (a - b).abs() < 1e-6));
    }

    #[test]
    fn two_peers_learn_and_the_run_is_seeded() {
        let settings = json!({"map": "four-rooms", "loss": "kl", "softWeight": 0.5, "peerWeight": 1, "seed": 3});
        let mut session = Session::new(&settings).unwrap();
        let before = session.agreement();
        session.train(400);
        assert!(session.agreement() > before + 0.2, "{before} → {}", session.agreement());
        let mut again = Session::new(&settings).unwrap();
        again.train(400);
        assert_eq!(again.agreement(), session.agreement());
        // Without a peer, the same settings train another student.
        let mut alone = Session::new(&json!({"map": "four-rooms", "loss": "kl", "softWeight": 0.5, "seed": 3})).unwrap();
        alone.train(400);
        assert_ne!(alone.student().logits(&session.current().observation(0), 1), session.student().logits(&session.current().observation(0), 1));
    }
}
