//! Preset experiments, each set up to show one lesson of agent distillation; the page's
//! `#scenario` menu and `distill compare --scenario` run the same definitions.

use crate::messages::english;
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
            title: english("scenario.temperature.title"),
            explanation: english("scenario.temperature.explanation"),
            base: json!({"map": "four-rooms", "loss": "kl", "teacher": "oracle", "hidden": 32}),
            variants: vec![variant(english("scenario.temperature.variant.0"), json!({"temperature": 0.3})), variant(english("scenario.temperature.variant.1"), json!({"temperature": 1})), variant(english("scenario.temperature.variant.2"), json!({"temperature": 5}))],
            steps: 1500,
            metric: "meanKl",
            lesson: "temperature",
        },
        Scenario {
            id: "compounding",
            title: english("scenario.compounding.title"),
            explanation: english("scenario.compounding.explanation"),
            base: json!({"map": "maze", "slip": 0.2, "loss": "hard", "teacher": "oracle", "hidden": 32}),
            variants: vec![variant(english("scenario.compounding.variant.0"), json!({"data": "teacher"})), variant(english("scenario.compounding.variant.1"), json!({"data": "student"})), variant(english("scenario.compounding.variant.2"), json!({"data": "mix", "dataBeta": 0.5}))],
            steps: 1500,
            metric: "studentSuccess",
            lesson: "compounding",
        },
        Scenario {
            id: "synthetic",
            title: english("scenario.synthetic.title"),
            explanation: english("scenario.synthetic.explanation"),
            base: json!({"trainMaps": "random", "loss": "kl", "hidden": 32, "slip": 0.1}),
            variants: vec![variant(english("scenario.synthetic.variant.0"), json!({"data": "uniform"})), variant(english("scenario.synthetic.variant.1"), json!({"data": "teacher"})), variant(english("scenario.synthetic.variant.2"), json!({"data": "student"}))],
            steps: 3000,
            metric: "studentHeldoutSuccess",
            lesson: "trajectories",
        },
        Scenario {
            id: "mixing",
            title: english("scenario.mixing.title"),
            explanation: english("scenario.mixing.explanation"),
            base: json!({"trainMaps": "random", "loss": "kl", "hidden": 32}),
            variants: vec![variant(english("scenario.mixing.variant.0"), json!({"teacher": "neural"})), variant(english("scenario.mixing.variant.1"), json!({"teacher": "oracle"})), variant(english("scenario.mixing.variant.2"), json!({"teacher": "mix", "mixWeight": 0.5}))],
            steps: 3000,
            metric: "studentHeldoutSuccess",
            lesson: "mixing",
        },
        Scenario {
            id: "finetune",
            title: english("scenario.finetune.title"),
            explanation: english("scenario.finetune.explanation"),
            base: json!({"map": "four-rooms", "teacherNoise": 0.4, "loss": "hard", "teacher": "oracle", "hidden": 32, "lr": 0.003}),
            variants: vec![
                variant(english("scenario.finetune.variant.0"), json!({})),
                Variant { label: english("scenario.finetune.variant.1").into(), settings: json!({}), then: Some(json!({"phase": "finetune", "kickstart": 0.5, "kickstartDecay": 0.8})), then_steps: 300 },
            ],
            steps: 1500,
            metric: "studentSuccess",
            lesson: "rl-finetune",
        },
        Scenario {
            id: "plan",
            title: english("scenario.plan.title"),
            explanation: english("scenario.plan.explanation"),
            base: json!({"trainMaps": "random", "loss": "kl", "hidden": 16, "teacher": "oracle"}),
            variants: vec![variant(english("scenario.plan.variant.0"), json!({"planWeight": 0})), variant(english("scenario.plan.variant.1"), json!({"planWeight": 1}))],
            steps: 3000,
            metric: "studentHeldoutSuccess",
            lesson: "plan",
        },
        Scenario {
            id: "compression",
            title: english("scenario.compression.title"),
            explanation: english("scenario.compression.explanation"),
            base: json!({"trainMaps": "random", "loss": "kl"}),
            variants: vec![variant(english("scenario.compression.variant.0"), json!({"hidden": 8})), variant(english("scenario.compression.variant.1"), json!({"hidden": 16})), variant(english("scenario.compression.variant.2"), json!({"hidden": 32})), variant(english("scenario.compression.variant.3"), json!({"hidden": 128}))],
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

    /// Every text of every scenario and lesson comes from the catalogue (`english` gives back the key
    /// itself when the catalogue lacks it).
    #[test]
    fn every_scenario_and_lesson_text_is_in_the_catalogue() {
        for scenario in scenarios() {
            let texts = [scenario.title, scenario.explanation].into_iter().chain(scenario.variants.iter().map(|v| v.label.as_str()));
            for text in texts {
                assert!(!text.starts_with("scenario."), "{}: {text} is missing from www/i18n/en.json", scenario.id);
            }
        }
        for lesson in crate::training::lessons::lessons() {
            let texts = [lesson.title, lesson.claim, lesson.reference, lesson.experiment].into_iter().chain(lesson.published);
            for text in texts {
                assert!(!text.starts_with("lesson."), "{}: {text} is missing from www/i18n/en.json", lesson.id);
            }
            for index in 0..lesson.arms.len() {
                let key = format!("lesson.{}.arm.{index}", lesson.id);
                assert_ne!(english(&key), key, "the page names arm {index} of {} by {key}", lesson.id);
            }
        }
    }

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
