//! Every lesson: the claim, its reference, the experiment's set-up (fixed before its results were
//! run), its arms and the rule its verdict follows. Students learn from the bundled neural teacher
//! unless an arm says otherwise.

use super::{beats, Arm, Contrast, Evaluation, Lesson, Rule};
use crate::messages::english;
use serde_json::{json, Value};

fn arm(label: &'static str, settings: Value) -> Arm {
    Arm { label, settings, rl_steps: 0 }
}

/// Every lesson. Students learn from the bundled neural teacher unless an arm says otherwise.
pub fn lessons() -> Vec<Lesson> {
    vec![
        Lesson {
            id: "compression",
            title: english("lesson.compression.title"),
            claim: english("lesson.compression.claim"),
            reference: english("lesson.compression.reference"),
            experiment: english("lesson.compression.experiment"),
            base: json!({"trainMaps": 1024, "loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: [4, 8, 16, 32, 64, 128].iter().map(|&w| arm(WIDTH_LABELS[WIDTHS.iter().position(|x| *x == w).expect("listed")], json!({"hidden": w}))).collect(),
            steps: 30_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.compression.published")),
            published_value: Some(0.84),
            rule: Rule::Retains { arm: "width 64", at_least: 0.70, max_compute: 0.05 },
        },
        Lesson {
            id: "data-over-architecture",
            title: english("lesson.data-over-architecture.title"),
            claim: english("lesson.data-over-architecture.claim"),
            reference: english("lesson.data-over-architecture.reference"),
            experiment: english("lesson.data-over-architecture.experiment"),
            base: json!({"loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: vec![
                arm("16 maps, width 8", json!({"trainMaps": 16, "hidden": 8})),
                arm("16 maps, width 64", json!({"trainMaps": 16, "hidden": 64})),
                arm("1,024 maps, width 8", json!({"trainMaps": 1024, "hidden": 8})),
                arm("1,024 maps, width 64", json!({"trainMaps": 1024, "hidden": 64})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: None,
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("1,024 maps, width 8", "16 maps, width 64")] },
        },
        Lesson {
            id: "trajectories",
            title: english("lesson.trajectories.title"),
            claim: english("lesson.trajectories.claim"),
            reference: english("lesson.trajectories.reference"),
            experiment: english("lesson.trajectories.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "labelBudget": 20000}),
            arms: vec![arm("uniform states", json!({"data": "uniform"})), arm("teacher trajectories", json!({"data": "teacher"}))],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: None,
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("teacher trajectories", "uniform states")] },
        },
        Lesson {
            id: "compounding",
            title: english("lesson.compounding.title"),
            claim: english("lesson.compounding.claim"),
            reference: english("lesson.compounding.reference"),
            experiment: english("lesson.compounding.experiment"),
            base: json!({"trainMaps": 16, "slip": 0.2, "hidden": 32, "loss": "hard", "labelBudget": 400, "bufferCapacity": 65536}),
            arms: vec![
                arm("behaviour cloning", json!({"data": "teacher"})),
                arm("DAgger", json!({"data": "mix", "dataBeta": 1, "betaDecay": 0.5, "labelRounds": 10, "roundSteps": 2000})),
            ],
            steps: 20_000,
            evaluation: Evaluation::TrainingStarts,
            episodes: 50,
            page_steps: 6_000,
            published: Some(english("lesson.compounding.published")),
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("DAgger", "behaviour cloning")] },
        },
        Lesson {
            id: "compounding-heldout",
            title: english("lesson.compounding-heldout.title"),
            claim: english("lesson.compounding-heldout.claim"),
            reference: english("lesson.compounding-heldout.reference"),
            experiment: english("lesson.compounding-heldout.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "hard", "labelBudget": 3000, "bufferCapacity": 65536}),
            arms: vec![
                arm("behaviour cloning", json!({"data": "teacher"})),
                arm("DAgger", json!({"data": "mix", "dataBeta": 1, "betaDecay": 0.5, "labelRounds": 10, "roundSteps": 2000})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: None,
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("DAgger", "behaviour cloning")] },
        },
        Lesson {
            id: "dark-knowledge",
            title: english("lesson.dark-knowledge.title"),
            claim: english("lesson.dark-knowledge.claim"),
            reference: english("lesson.dark-knowledge.reference"),
            experiment: english("lesson.dark-knowledge.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "data": "uniform"}),
            arms: vec![
                arm("hard labels, up left out", json!({"loss": "hard", "leaveOut": "up"})),
                arm("soft labels, up left out", json!({"loss": "kl", "temperature": 4, "leaveOut": "up"})),
                arm("soft labels, nothing left out", json!({"loss": "kl", "temperature": 4})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.dark-knowledge.published")),
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("soft labels, up left out", "hard labels, up left out")] },
        },
        Lesson {
            id: "temperature",
            title: english("lesson.temperature.title"),
            claim: english("lesson.temperature.claim"),
            reference: english("lesson.temperature.reference"),
            experiment: english("lesson.temperature.experiment"),
            base: json!({"trainMaps": 1024, "loss": "kl", "data": "uniform", "labelBudget": 2000}),
            arms: vec![
                arm("width 4, τ = 1", json!({"hidden": 4, "temperature": 1})),
                arm("width 4, τ = 4", json!({"hidden": 4, "temperature": 4})),
                arm("width 4, τ = 10", json!({"hidden": 4, "temperature": 10})),
                arm("width 64, τ = 1", json!({"hidden": 64, "temperature": 1})),
                arm("width 64, τ = 4", json!({"hidden": 64, "temperature": 4})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.temperature.published")),
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("width 4, τ = 4", "width 4, τ = 1"), beats("width 4, τ = 4", "width 4, τ = 10")] },
        },
        Lesson {
            id: "rl-finetune",
            title: english("lesson.rl-finetune.title"),
            claim: english("lesson.rl-finetune.claim"),
            reference: english("lesson.rl-finetune.reference"),
            experiment: english("lesson.rl-finetune.experiment"),
            base: json!({"map": "random", "slip": 0.1, "teacher": "neural", "teacherNoise": 0.4, "loss": "hard", "hidden": 32, "labelBudget": 30, "kickstart": 0.5, "kickstartDecay": 0.8, "rlStarts": "anywhere"}),
            arms: vec![
                arm("distillation only", json!({})),
                Arm { label: "distillation, then RL", settings: json!({}), rl_steps: 6_000 },
                Arm { label: "RL only", settings: json!({"phase": "finetune", "kickstart": 0}), rl_steps: 6_000 },
            ],
            steps: 3_000,
            evaluation: Evaluation::TrainingMap,
            episodes: 4,
            page_steps: 3_000,
            published: Some(english("lesson.rl-finetune.published")),
            published_value: None,
            rule: Rule::Contrasts {
                parts: vec![
                    beats("distillation, then RL", "distillation only"),
                    beats("distillation, then RL", "RL only"),
                    Contrast { weights: vec![("distillation, then RL", 1.0)], teacher: -1.0 },
                ],
            },
        },
        Lesson {
            id: "mixing",
            title: english("lesson.mixing.title"),
            claim: english("lesson.mixing.claim"),
            reference: english("lesson.mixing.reference"),
            experiment: english("lesson.mixing.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: vec![
                arm("network teacher", json!({"teacher": "neural"})),
                arm("planner teacher", json!({"teacher": "oracle"})),
                arm("mixture of both", json!({"teacher": "mix", "mixWeight": 0.5})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: None,
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("mixture of both", "network teacher"), beats("mixture of both", "planner teacher")] },
        },
        Lesson {
            id: "scarce-labels",
            title: english("lesson.scarce-labels.title"),
            claim: english("lesson.scarce-labels.claim"),
            reference: english("lesson.scarce-labels.reference"),
            experiment: english("lesson.scarce-labels.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "data": "uniform", "labelBudget": 2000}),
            arms: vec![arm("hard labels", json!({"loss": "hard"})), arm("soft labels, τ = 2", json!({"loss": "kl", "temperature": 2}))],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.scarce-labels.published")),
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("soft labels, τ = 2", "hard labels")] },
        },
        Lesson {
            id: "plan",
            title: english("lesson.plan.title"),
            claim: english("lesson.plan.claim"),
            reference: english("lesson.plan.reference"),
            experiment: english("lesson.plan.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "data": "uniform", "labelBudget": 2000}),
            arms: vec![arm("answer only", json!({"planWeight": 0})), arm("answer and plan", json!({"planWeight": 1}))],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.plan.published")),
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("answer and plan", "answer only")] },
        },
        Lesson {
            id: "co-distillation",
            title: english("lesson.co-distillation.title"),
            claim: english("lesson.co-distillation.claim"),
            reference: english("lesson.co-distillation.reference"),
            experiment: english("lesson.co-distillation.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "data": "uniform", "labelBudget": 2000, "temperature": 1}),
            arms: vec![
                arm("alone, hard labels", json!({"loss": "hard"})),
                arm("two peers, hard labels", json!({"loss": "kl", "softWeight": 0.5, "peerWeight": 1})),
                arm("alone, soft labels", json!({"loss": "kl"})),
                arm("two peers, soft labels", json!({"loss": "kl", "peerWeight": 0.5})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.co-distillation.published")),
            published_value: None,
            rule: Rule::Contrasts { parts: vec![beats("two peers, hard labels", "alone, hard labels"), beats("two peers, soft labels", "alone, soft labels")] },
        },
    ]
}

const WIDTHS: [usize; 6] = [4, 8, 16, 32, 64, 128];
const WIDTH_LABELS: [&str; 6] = ["width 4", "width 8", "width 16", "width 32", "width 64", "width 128"];

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
            assert!(lesson.named_arms().iter().all(|n| lesson.arms.iter().any(|a| a.label == *n)), "{}", lesson.id);
            let labels: std::collections::HashSet<_> = lesson.arms.iter().map(|a| a.label).collect();
            assert_eq!(labels.len(), lesson.arms.len(), "{}: arm labels are the arms' ids", lesson.id);
        }
        let ids: std::collections::HashSet<_> = all.iter().map(|l| l.id).collect();
        assert_eq!(ids.len(), all.len());
    }
}
