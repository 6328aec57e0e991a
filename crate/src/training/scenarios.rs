//! Preset experiments, each set up to show one lesson of agent distillation; the page's
//! `#scenario` menu and `distill compare --scenario` run the same definitions.

use serde::Serialize;
use serde_json::{json, Value};

/// One arm of a scenario: settings applied over the base, and optionally a second phase.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Variant {
    pub label: String,
    pub settings: Value,
    /// After this many steps, apply `then` (e.g. switch to RL fine-tuning) and train `then_steps`.
    pub then: Option<Value>,
    pub then_steps: u32,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// One paragraph for the page: what to look at and why.
    pub explanation: &'static str,
    pub base: Value,
    pub variants: Vec<Variant>,
    pub steps: u32,
    /// The ledger field that carries the lesson.
    pub metric: &'static str,
    /// The lesson of the catalogue (`lessons::lessons`) that measures this scenario's claim with
    /// several seeds and a verdict.
    pub lesson: &'static str,
}

fn variant(label: &str, settings: Value) -> Variant {
    Variant { label: label.into(), settings, then: None, then_steps: 0 }
}

pub fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            id: "temperature",
            title: "Temperature: what soft labels carry",
            explanation: "At τ = 0.3 the teacher's targets are almost one-hot: the student learns only the best move. At τ = 1 and τ = 5 the targets also rank the other moves (the 'dark knowledge' of Hinton et al. 2015), so the student's whole distribution comes to match the teacher's. The measure is each arm's mean KL between the teacher's and the student's acting policies (τ = 1): one scale for all three arms, where the whole-distribution match shows (the ledger also gives each arm's KL at its own τ, the divergence its loss minimises). The bars of a selected cell show the teacher's p^1 beside the student's probabilities.",
            base: json!({"map": "four-rooms", "loss": "kl", "teacher": "oracle", "hidden": 32}),
            variants: vec![variant("τ = 0.3", json!({"temperature": 0.3})), variant("τ = 1", json!({"temperature": 1})), variant("τ = 5", json!({"temperature": 5}))],
            steps: 1500,
            metric: "meanKl",
            lesson: "temperature",
        },
        Scenario {
            id: "compounding",
            title: "Compounding error: teacher-only data against on-policy data",
            explanation: "With slip 0.2 the agent is pushed off the teacher's path. A student trained only on states the teacher visits (behaviour cloning) has never seen where its own mistakes lead; a student trained on states its own rollouts visit, labelled by the teacher (DAgger, Ross et al. 2011), has. Does that make it better from every cell? One seed here can go either way: the line below gives the answer of 10 seeds.",
            base: json!({"map": "maze", "slip": 0.2, "loss": "hard", "teacher": "oracle", "hidden": 32}),
            variants: vec![variant("teacher data", json!({"data": "teacher"})), variant("student data (DAgger)", json!({"data": "student"})), variant("mix β = 0.5", json!({"data": "mix", "dataBeta": 0.5}))],
            steps: 1500,
            metric: "studentSuccess",
            lesson: "compounding",
        },
        Scenario {
            id: "synthetic",
            title: "Synthetic states against real trajectories",
            explanation: "Uniform states cover the map evenly but include places an agent never goes; trajectories concentrate the data where the agent actually acts. Trained across many random maps, which generalises better to held-out maps? One seed here can differ from the 10-seed answer in the line below.",
            base: json!({"trainMaps": "random", "loss": "kl", "hidden": 32, "slip": 0.1}),
            variants: vec![variant("uniform (synthetic)", json!({"data": "uniform"})), variant("teacher trajectories", json!({"data": "teacher"})), variant("student trajectories", json!({"data": "student"}))],
            steps: 3000,
            metric: "studentHeldoutSuccess",
            lesson: "trajectories",
        },
        Scenario {
            id: "mixing",
            title: "Mixing teachers",
            explanation: "The neural teacher generalises but errs; the planner is exact on every map. A student can learn from either or from a mixture of the two distributions. Compare held-out success.",
            base: json!({"trainMaps": "random", "loss": "kl", "hidden": 32}),
            variants: vec![variant("neural", json!({"teacher": "neural"})), variant("oracle", json!({"teacher": "oracle"})), variant("mix w = 0.5", json!({"teacher": "mix", "mixWeight": 0.5}))],
            steps: 3000,
            metric: "studentHeldoutSuccess",
            lesson: "mixing",
        },
        Scenario {
            id: "finetune",
            title: "RL fine-tuning past a noisy teacher",
            explanation: "The teacher here demonstrates a random move 40% of the time, and acts that way too (on four-rooms it still reaches the goal, only more slowly). Distillation alone copies what it is shown; REINFORCE on the environment's reward afterwards, with a decaying pull towards the teacher (kickstarting, Schmitt et al. 2018), can end up above the teacher that demonstrated. Compare the two arms' success on this map.",
            base: json!({"map": "four-rooms", "teacherNoise": 0.4, "loss": "hard", "teacher": "oracle", "hidden": 32, "lr": 0.003}),
            variants: vec![
                variant("distill only", json!({})),
                Variant { label: "distill, then RL".into(), settings: json!({}), then: Some(json!({"phase": "finetune", "kickstart": 0.5, "kickstartDecay": 0.8})), then_steps: 300 },
            ],
            steps: 1500,
            metric: "studentSuccess",
            lesson: "rl-finetune",
        },
        Scenario {
            id: "plan",
            title: "Plan distillation (chain of thought in a gridworld)",
            explanation: "The teacher's reasoning trace is its plan: its next four moves. A student with an auxiliary head trained to predict that plan (λ_plan = 1) shapes its hidden layer around where the path goes, not only the next move. Select a cell to see both plans drawn; compare held-out success with the plan head on and off.",
            base: json!({"trainMaps": "random", "loss": "kl", "hidden": 16, "teacher": "oracle"}),
            variants: vec![variant("plan head off", json!({"planWeight": 0})), variant("plan head on (λ = 1)", json!({"planWeight": 1}))],
            steps: 3000,
            metric: "studentHeldoutSuccess",
            lesson: "plan",
        },
        Scenario {
            id: "compression",
            title: "The compression curve",
            explanation: "How much of the teacher's ability survives in a much smaller network? Students of widths 8, 16, 32 and 128 learn across random maps; the ledger's 'ability retained' (held-out success over the teacher's) against 'compute used' (multiply-adds over the teacher's) is the curve every distillation paper prints — measured here, not asserted.",
            base: json!({"trainMaps": "random", "loss": "kl"}),
            variants: vec![variant("width 8", json!({"hidden": 8})), variant("width 16", json!({"hidden": 16})), variant("width 32", json!({"hidden": 32})), variant("width 128", json!({"hidden": 128}))],
            steps: 3000,
            metric: "retained",
            lesson: "compression",
        },
    ]
}

/// The settings of one variant: base, then the variant's own fields.
pub fn merged(base: &Value, over: &Value) -> Value {
    let mut out = base.clone();
    if let (Some(out), Some(over)) = (out.as_object_mut(), over.as_object()) {
        for (k, v) in over {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::settings::Settings;

    #[test]
    fn every_scenario_names_a_lesson_of_the_catalogue() {
        for scenario in scenarios() {
            assert!(crate::training::lessons::lesson(scenario.lesson).is_ok(), "{} names {}", scenario.id, scenario.lesson);
        }
    }

    #[test]
    fn every_scenario_has_valid_settings() {
        let all = scenarios();
        assert!(all.len() >= 6);
        for scenario in &all {
            assert!(scenario.variants.len() >= 2, "{}", scenario.id);
            for v in &scenario.variants {
                let mut settings = Settings::default();
                settings.apply(&merged(&scenario.base, &v.settings)).unwrap_or_else(|e| panic!("{} / {}: {e}", scenario.id, v.label));
                if let Some(then) = &v.then {
                    settings.apply(then).unwrap_or_else(|e| panic!("{} / {} then: {e}", scenario.id, v.label));
                }
            }
        }
    }
}
