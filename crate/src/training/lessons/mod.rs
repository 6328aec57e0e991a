//! The lesson catalogue: each claim of agent distillation as a faithful experiment with a metric, an
//! expected direction and a verdict computed by a rule written beside it. The page and `distill
//! lessons` run the same definitions: `catalogue` lists them, `run` trains one arm on one seed into
//! a row, `verdict` reads the rows, `jobs` splits a run into independent jobs (shards) and joins them,
//! `regimes` runs a lesson over a grid of its key variables (where the claim holds).

mod catalogue;
mod cohort;
pub mod jobs;
pub mod regimes;
mod run;
mod verdict;

pub use catalogue::lessons;
pub use cohort::{cohorts, CohortRun};
pub use run::{run_arm, ArmRow, ArmRun, CurvePoint, PROBE_MAPS};
pub use verdict::{verdict, Judgement, PartJudgement, StoppedArm, Verdict, INTERVAL_NAME, MIN_SEEDS_TO_DECIDE};

use serde::Serialize;
use serde_json::Value;

/// One arm of a lesson: settings applied over the lesson's base.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Arm {
    /// The arm's name in its lesson's rule (a short kebab-case id).
    pub id: &'static str,
    /// The arm's name in rows and reports, in English (the page shows `lesson.ID.arm.N` from its catalogue).
    pub label: &'static str,
    pub settings: Value,
    /// REINFORCE fine-tuning steps after the lesson's distillation steps (0 = none).
    pub rl_steps: u32,
}

/// Where a lesson measures success.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evaluation {
    /// From the start of fresh evaluation maps of each run seed (`measure::evaluation`), greedy;
    /// the reference is the bundled network teacher on the same maps.
    HeldOut,
    /// From every reachable cell of the map the student trained on (`map: random` gives one map per
    /// run seed), `episodes` each: the task RL fine-tunes on. The reference is the teacher on the
    /// same starts and episodes, acting greedily as the student does.
    TrainingMap,
    /// From the start of each training map, `episodes` each: the task the expert demonstrated (its
    /// maps and starts), as Ross et al. 2011 test; the reference is the teacher on the same episodes.
    TrainingStarts,
}

/// One part of a rule (arms named by id): Σ weight·(success of the arm) + `teacher`·(the bundled teacher's success on
/// the same episodes), one number per seed; the part holds when its interval is above 0.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contrast {
    pub weights: Vec<(&'static str, f64)>,
    pub teacher: f64,
}

/// How a lesson turns its per-seed rows into a verdict (`verdict`): each part looks at one number
/// per seed and its 95% interval over seeds: reproduced when the whole interval is on the claim's
/// side of the threshold, not reproduced when it is wholly on the other, else inconclusive.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Rule {
    /// The arm's ability retained (student ÷ teacher success on the evaluation maps) is at least
    /// `at_least`, and its compute is at most `max_compute` of the teacher's (fixed by the width).
    Retains { arm: &'static str, at_least: f64, max_compute: f64 },
    /// Every part holds (each with its own verdict: a claim of several parts is reproduced when all
    /// are, not reproduced when any is not).
    Contrasts { parts: Vec<Contrast> },
}

/// `a` beats `b`: one part, a − b.
fn beats(a: &'static str, b: &'static str) -> Contrast {
    Contrast { weights: vec![(a, 1.0), (b, -1.0)], teacher: 0.0 }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lesson {
    pub id: &'static str,
    pub title: &'static str,
    /// The claim in the words of the article or the paper.
    pub claim: &'static str,
    pub reference: &'static str,
    /// What the experiment does, for a reader.
    pub experiment: &'static str,
    pub base: Value,
    pub arms: Vec<Arm>,
    pub steps: u32,
    pub evaluation: Evaluation,
    /// Episodes per start (more than 1 only where slip makes them differ).
    pub episodes: usize,
    /// Training steps of each arm when the page runs the lesson (`PAGE_SEEDS` seeds on
    /// `PAGE_EVALUATION_MAPS` maps, so a lesson ends within a minute on two cores).
    pub page_steps: u32,
    /// The published figure the page draws beside the measured one, if the claim has one.
    pub published: Option<&'static str>,
    /// The published figure in the unit of the rule's measure, where it has one (drawn beside the
    /// measured effect).
    pub published_value: Option<f64>,
    pub rule: Rule,
}

/// Seeds and evaluation maps of a lesson run in the page: the command line's seeds 1–10 and the first
/// 200 of each seed's 1,000 evaluation maps (the command line: 1,000), at `Lesson::page_steps`.
pub const PAGE_SEEDS: u64 = 10;
pub const PAGE_EVALUATION_MAPS: usize = 200;
/// Most evaluation maps and steps one arm may ask for (the page's API checks against these).
pub const MAX_ARM_MAPS: usize = 5_000;
pub const MAX_ARM_STEPS: u32 = 200_000;
/// The seeds of the committed results are 1..=`RESULT_SEEDS`; a search for a regime (`distill
/// compare`, `scripts/explore-lessons.sh`) starts at `EXPLORATION_FIRST_SEED`, so no selection ever
/// sees the results' training or evaluation maps.
pub const RESULT_SEEDS: u64 = 10;
pub const EXPLORATION_FIRST_SEED: u64 = 1001;

impl Lesson {
    /// The lesson with `steps` distillation steps per arm, and each arm's RL steps and collection
    /// rounds' length (`roundSteps`) scaled by the same factor (the page's scale, its quick look and
    /// `distill lessons --steps`), so the arms stay comparable and keep their shape.
    pub fn at_steps(&self, steps: u32) -> Lesson {
        let factor = steps as f64 / self.steps.max(1) as f64;
        let scale = |v: u64| ((v as f64 * factor).round() as u64).max(1);
        let scale_rounds = |settings: &Value| {
            let mut settings = settings.clone();
            if let Some(round) = settings.get("roundSteps").and_then(Value::as_u64) {
                settings["roundSteps"] = scale(round).into();
            }
            settings
        };
        let arms = self.arms.iter().map(|a| Arm { rl_steps: (a.rl_steps as f64 * factor).round() as u32, settings: scale_rounds(&a.settings), ..a.clone() }).collect();
        Lesson { steps, arms, base: scale_rounds(&self.base), ..self.clone() }
    }

    /// The arm whose id is `id`.
    pub fn arm(&self, id: &str) -> Option<&Arm> {
        self.arms.iter().find(|arm| arm.id == id)
    }

    /// The rule with each arm named by its label (as rows name arms) instead of its id.
    pub fn rule_by_label(&self) -> Rule {
        let label = |id: &'static str| self.arm(id).map_or(id, |arm| arm.label);
        match &self.rule {
            Rule::Retains { arm, at_least, max_compute } => Rule::Retains { arm: label(arm), at_least: *at_least, max_compute: *max_compute },
            Rule::Contrasts { parts } => Rule::Contrasts {
                parts: parts.iter().map(|p| Contrast { weights: p.weights.iter().map(|(a, w)| (label(a), *w)).collect(), teacher: p.teacher }).collect(),
            },
        }
    }

    /// The ids of the arms the rule names.
    pub fn named_arms(&self) -> Vec<&'static str> {
        match &self.rule {
            Rule::Retains { arm, .. } => vec![arm],
            Rule::Contrasts { parts } => parts.iter().flat_map(|p| p.weights.iter().map(|(a, _)| *a)).collect(),
        }
    }
}

/// The lesson called `id`, or an error that lists the ids.
pub fn lesson(id: &str) -> Result<Lesson, String> {
    let all = lessons();
    let ids: Vec<&str> = all.iter().map(|l| l.id).collect();
    let listed = ids.join(", ");
    all.into_iter().find(|l| l.id == id).ok_or_else(|| format!("unknown lesson {id:?}: choose one of {listed}"))
}
