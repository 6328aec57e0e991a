//! Every lesson: the claim, its reference, the experiment's set-up (fixed before its results were
//! run), its arms and the rule its verdict follows. Students learn from the bundled neural teacher
//! unless an arm says otherwise.

use super::{beats, Arm, Contrast, Evaluation, Lesson, Rule};
use crate::messages::english;
use crate::student::CURVE_WIDTHS;
use serde_json::{json, Value};

/// A lesson's texts from the page's English catalogue (`lesson.ID.title`, `.claim`, `.reference`,
/// `.experiment` and, where it has one, `.published`), with the common set-up: 20,000 steps (6,000
/// in the page), one greedy episode from the start of each held-out evaluation map.
fn described(id: &'static str, published: bool) -> Lesson {
    let text = |part: &str| english(&format!("lesson.{id}.{part}"));
    Lesson {
        id,
        title: text("title"),
        claim: text("claim"),
        reference: text("reference"),
        experiment: text("experiment"),
        base: json!({}),
        arms: Vec::new(),
        steps: 20_000,
        evaluation: Evaluation::HeldOut,
        episodes: 1,
        page_steps: 6_000,
        published: published.then(|| text("published")),
        published_value: None,
        rule: Rule::Contrasts { parts: Vec::new() },
    }
}

fn arm(id: &'static str, label: &'static str, settings: Value) -> Arm {
    Arm { id, label, settings, rl_steps: 0 }
}

/// Behaviour cloning (the teacher's rollouts) against DAgger in 10 rounds, one every 2,000 steps,
/// with β_i = 0.5^(i−1) (Ross et al. 2011 Algorithm 3.1): both compounding lessons' arms.
fn dagger_against_behaviour_cloning() -> Vec<Arm> {
    vec![
        arm("bc", "behaviour cloning", json!({"data": "teacher"})),
        arm("dagger", "DAgger", json!({"data": "mix", "dataBeta": 1, "betaDecay": 0.5, "labelRounds": 10, "roundSteps": 2000})),
    ]
}

/// The network's labels, the planner's, and their even mixture: both mixing lessons' arms.
fn network_planner_and_mixture() -> Vec<Arm> {
    vec![
        arm("network", "network teacher", json!({"teacher": "neural"})),
        arm("planner", "planner teacher", json!({"teacher": "oracle"})),
        arm("mixture", "mixture of both", json!({"teacher": "mix", "mixWeight": 0.5})),
    ]
}

/// Distillation from a noisy teacher on one random map, then REINFORCE with kickstarting, against
/// each alone and the teacher (Schmitt et al. 2018): the RL lessons, whose teacher is blind on a
/// share `teacher_gaps` of the states (0: the full network).
fn distillation_then_rl(id: &'static str, teacher_gaps: f64) -> Lesson {
    let mut base = json!({"map": "random", "slip": 0.1, "teacher": "neural", "teacherNoise": 0.4, "loss": "hard", "hidden": 32, "labelBudget": 30, "kickstart": 0.5, "kickstartDecay": 0.8, "rlStarts": "anywhere"});
    if teacher_gaps > 0.0 {
        base["teacherGaps"] = json!(teacher_gaps);
    }
    Lesson {
        base,
        arms: vec![
            arm("distill", "distillation only", json!({})),
            Arm { id: "distill-then-rl", label: "distillation, then RL", settings: json!({}), rl_steps: 6_000 },
            Arm { id: "rl", label: "RL only", settings: json!({"phase": "finetune", "kickstart": 0}), rl_steps: 6_000 },
        ],
        steps: 3_000,
        evaluation: Evaluation::TrainingMap,
        episodes: 4,
        page_steps: 3_000,
        rule: Rule::Contrasts {
            parts: vec![
                beats("distill-then-rl", "distill"),
                beats("distill-then-rl", "rl"),
                Contrast { weights: vec![("distill-then-rl", 1.0)], teacher: -1.0 },
            ],
        },
        ..described(id, true)
    }
}

/// Every lesson. Students learn from the bundled neural teacher unless an arm says otherwise.
pub fn lessons() -> Vec<Lesson> {
    vec![
        Lesson {
            base: json!({"trainMaps": 1024, "loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: CURVE_WIDTHS.iter().zip(WIDTH_ARMS).map(|(&w, (id, label))| arm(id, label, json!({"hidden": w}))).collect(),
            steps: 30_000,
            published_value: Some(0.84),
            rule: Rule::Retains { arm: "w64", at_least: 0.70, max_compute: 0.05 },
            ..described("compression", true)
        },
        Lesson {
            base: json!({"loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: vec![
                arm("maps16-w8", "16 maps, width 8", json!({"trainMaps": 16, "hidden": 8})),
                arm("maps16-w64", "16 maps, width 64", json!({"trainMaps": 16, "hidden": 64})),
                arm("maps1024-w8", "1,024 maps, width 8", json!({"trainMaps": 1024, "hidden": 8})),
                arm("maps1024-w64", "1,024 maps, width 64", json!({"trainMaps": 1024, "hidden": 64})),
            ],
            rule: Rule::Contrasts { parts: vec![beats("maps1024-w8", "maps16-w64")] },
            ..described("data-over-architecture", false)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "labelBudget": 20000}),
            arms: vec![arm("uniform", "uniform states", json!({"data": "uniform"})), arm("trajectories", "teacher trajectories", json!({"data": "teacher"}))],
            rule: Rule::Contrasts { parts: vec![beats("trajectories", "uniform")] },
            ..described("trajectories", false)
        },
        Lesson {
            base: json!({"trainMaps": 16, "slip": 0.2, "hidden": 32, "loss": "hard", "labelBudget": 400, "bufferCapacity": 65536}),
            arms: dagger_against_behaviour_cloning(),
            evaluation: Evaluation::TrainingStarts,
            episodes: 50,
            rule: Rule::Contrasts { parts: vec![beats("dagger", "bc")] },
            ..described("compounding", true)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "hard", "labelBudget": 3000, "bufferCapacity": 65536}),
            arms: dagger_against_behaviour_cloning(),
            rule: Rule::Contrasts { parts: vec![beats("dagger", "bc")] },
            ..described("compounding-heldout", false)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "data": "uniform"}),
            arms: vec![
                arm("hard-up-out", "hard labels, up left out", json!({"loss": "hard", "leaveOut": "up"})),
                arm("soft-up-out", "soft labels, up left out", json!({"loss": "kl", "temperature": 4, "leaveOut": "up"})),
                arm("soft-all", "soft labels, nothing left out", json!({"loss": "kl", "temperature": 4})),
            ],
            rule: Rule::Contrasts { parts: vec![beats("soft-up-out", "hard-up-out")] },
            ..described("dark-knowledge", true)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "loss": "kl", "data": "uniform", "labelBudget": 2000}),
            arms: vec![
                arm("w4-t1", "width 4, τ = 1", json!({"hidden": 4, "temperature": 1})),
                arm("w4-t4", "width 4, τ = 4", json!({"hidden": 4, "temperature": 4})),
                arm("w4-t10", "width 4, τ = 10", json!({"hidden": 4, "temperature": 10})),
                arm("w64-t1", "width 64, τ = 1", json!({"hidden": 64, "temperature": 1})),
                arm("w64-t4", "width 64, τ = 4", json!({"hidden": 64, "temperature": 4})),
            ],
            rule: Rule::Contrasts { parts: vec![beats("w4-t4", "w4-t1"), beats("w4-t4", "w4-t10")] },
            ..described("temperature", true)
        },
        distillation_then_rl("rl-finetune", 0.0),
        distillation_then_rl("rl-weak-teacher", 0.1),
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: network_planner_and_mixture(),
            rule: Rule::Contrasts { parts: vec![beats("mixture", "network"), beats("mixture", "planner")] },
            ..described("mixing", false)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "data": "uniform", "teacherGaps": 0.5, "gapOverlap": 0}),
            arms: network_planner_and_mixture(),
            rule: Rule::Contrasts { parts: vec![beats("mixture", "network"), beats("mixture", "planner")] },
            ..described("mixing-complementary", false)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 8, "loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: vec![arm("planner", "planner teacher", json!({"teacher": "oracle"})), arm("network", "network teacher", json!({"teacher": "neural"}))],
            rule: Rule::Contrasts { parts: vec![beats("network", "planner")] },
            ..described("strongest-teacher", true)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "data": "uniform", "labelBudget": 2000}),
            arms: vec![arm("hard", "hard labels", json!({"loss": "hard"})), arm("soft-t2", "soft labels, τ = 2", json!({"loss": "kl", "temperature": 2}))],
            rule: Rule::Contrasts { parts: vec![beats("soft-t2", "hard")] },
            ..described("scarce-labels", true)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "data": "uniform", "labelBudget": 2000}),
            arms: vec![arm("answer", "answer only", json!({"planWeight": 0})), arm("answer-plan", "answer and plan", json!({"planWeight": 1}))],
            rule: Rule::Contrasts { parts: vec![beats("answer-plan", "answer")] },
            ..described("plan", true)
        },
        Lesson {
            base: json!({"trainMaps": 1024, "hidden": 32, "data": "uniform", "labelBudget": 2000, "temperature": 1}),
            arms: vec![
                arm("alone-hard", "alone, hard labels", json!({"loss": "hard"})),
                arm("peers-hard", "two peers, hard labels", json!({"loss": "kl", "softWeight": 0.5, "peerWeight": 1})),
                arm("alone-soft", "alone, soft labels", json!({"loss": "kl"})),
                arm("peers-soft", "two peers, soft labels", json!({"loss": "kl", "peerWeight": 0.5})),
            ],
            rule: Rule::Contrasts { parts: vec![beats("peers-hard", "alone-hard"), beats("peers-soft", "alone-soft")] },
            ..described("co-distillation", true)
        },
    ]
}

/// The compression lesson's arms, one per width of `CURVE_WIDTHS`.
const WIDTH_ARMS: [(&str, &str); 6] = [("w4", "width 4"), ("w8", "width 8"), ("w16", "width 16"), ("w32", "width 32"), ("w64", "width 64"), ("w128", "width 128")];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::scenarios::merged;
    use crate::training::Session;

    #[test]
    fn every_lesson_has_valid_settings_and_its_rule_names_its_arms() {
        let all = lessons();
        assert!(all.len() >= 12, "{}", all.len());
        for lesson in &all {
            for arm in &lesson.arms {
                Session::new(&merged(&lesson.base, &arm.settings)).unwrap_or_else(|e| panic!("{} / {}: {e}", lesson.id, arm.label));
            }
            assert!(lesson.named_arms().iter().all(|n| lesson.arms.iter().any(|a| a.id == *n)), "{}: its rule names its arms by id", lesson.id);
            // Ids and labels are each one arm's: rules name arms by id, rows (and their files) by label.
            for key in [|a: &Arm| a.id, |a: &Arm| a.label] {
                let distinct: std::collections::HashSet<_> = lesson.arms.iter().map(key).collect();
                assert_eq!(distinct.len(), lesson.arms.len(), "{}", lesson.id);
            }
        }
        let ids: std::collections::HashSet<_> = all.iter().map(|l| l.id).collect();
        assert_eq!(ids.len(), all.len());
    }
}
