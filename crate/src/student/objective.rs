//! What one training step optimises (a distillation loss, optionally with the plan head, or
//! REINFORCE with kickstarting): the one type every engine and gradient module shares.

use super::loss::{LossSpec, TeacherTargets};

/// Steps in a plan: the plan head predicts the teacher's next `PLAN_STEPS` greedy actions.
pub const PLAN_STEPS: usize = 4;

/// What one training step optimises.
pub enum Objective<'a> {
    /// A distillation loss, optionally plus λ_plan × the plan head's cross-entropy against the
    /// teacher's plan (one-hot, batch × 4 × 5).
    Distill { spec: LossSpec, teacher: &'a TeacherTargets, plan: Option<(&'a [f32], f32)> },
    /// REINFORCE with a baseline (Williams 1992): −mean A·log π(a|s), the advantage-weighted
    /// one-hot actions given in `weighted_actions.demonstrated`; plus λ_k·KL(p_T ‖ p_S) at τ = 1
    /// towards `teacher` (kickstarting, Schmitt et al. 2018) when λ_k > 0.
    PolicyGradient { weighted_actions: &'a TeacherTargets, teacher: &'a TeacherTargets, kickstart: f32 },
}
