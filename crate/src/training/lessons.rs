//! The lesson catalogue: each claim of agent distillation as a faithful experiment with a metric, an
//! expected direction and a verdict computed by a rule written beside it. The page and `distill
//! lessons` run the same definitions; `run_arm` is one student on one seed, `verdict` reads the rows.

use crate::env::NUM_ACTIONS;
use crate::measure::evaluation::{evaluation_maps, success_from_starts, EVALUATION_SEED_BASE};
use crate::measure::metrics::{greedy_rollouts, noisy_rollouts};
use crate::messages::english;
use crate::measure::stats::{summarise, Summary};
use crate::student::loss::argmax;
use crate::teacher::bundled::bundled_teacher;
use crate::training::scenarios::merged;
use crate::training::settings::ConfigError;
use crate::training::Session;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One arm of a lesson: settings applied over the lesson's base.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Arm {
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
    /// run seed): the task RL fine-tunes on. The reference is the teacher actually used, acting as
    /// it demonstrates (a random move with probability ε, the teacher noise).
    TrainingMap,
}

/// How a lesson turns its per-seed rows into a verdict. Either way the rule looks at one number per
/// seed and its 95% interval over seeds (`measure::stats`): reproduced when the whole interval is on
/// the claim's side of the threshold, not reproduced when it is wholly on the other, else inconclusive.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Rule {
    /// The arm's ability retained (student ÷ teacher success on the evaluation maps) is at least
    /// `at_least`, and its compute is at most `max_compute` of the teacher's (fixed by the width).
    Retains { arm: &'static str, at_least: f64, max_compute: f64 },
    /// Σ weight·(held-out success of the arm) > 0: the claim's arms beat the others.
    Beats { weights: Vec<(&'static str, f64)> },
    /// min over `others` of (success of `arm` − success of the other) > 0: the arm beats each one;
    /// with `and_teacher`, the teacher it learned from (on the same episodes) is one of the others.
    BeatsEach { arm: &'static str, others: Vec<&'static str>, and_teacher: bool },
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lesson {
    pub id: &'static str,
    pub title: &'static str,
    /// The claim in the words of the seed or the paper.
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

/// Seeds and evaluation maps of a lesson run in the page (the command line's defaults: 10 and 1,000).
pub const PAGE_SEEDS: u64 = 2;
pub const PAGE_EVALUATION_MAPS: usize = 200;
/// Most evaluation maps and steps one arm may ask for (the page's API checks against these).
pub const MAX_ARM_MAPS: usize = 5_000;
pub const MAX_ARM_STEPS: u32 = 200_000;

impl Lesson {
    /// The lesson with `steps` distillation steps per arm and each arm's RL steps scaled by the
    /// same factor (the page's scale and its quick look), so the arms stay comparable.
    pub fn at_steps(&self, steps: u32) -> Lesson {
        let factor = steps as f64 / self.steps.max(1) as f64;
        let arms = self.arms.iter().map(|a| Arm { rl_steps: (a.rl_steps as f64 * factor).round() as u32, ..a.clone() }).collect();
        Lesson { steps, arms, ..self.clone() }
    }
}

/// The lesson called `id`, or an error that lists the ids.
pub fn lesson(id: &str) -> Result<Lesson, String> {
    let all = lessons();
    let ids: Vec<&str> = all.iter().map(|l| l.id).collect();
    let listed = ids.join(", ");
    all.into_iter().find(|l| l.id == id).ok_or_else(|| format!("unknown lesson {id:?}: choose one of {listed}"))
}

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
            rule: Rule::Beats { weights: vec![("1,024 maps, width 8", 1.0), ("16 maps, width 64", -1.0)] },
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
            rule: Rule::Beats { weights: vec![("teacher trajectories", 1.0), ("uniform states", -1.0)] },
        },
        Lesson {
            id: "compounding",
            title: english("lesson.compounding.title"),
            claim: english("lesson.compounding.claim"),
            reference: english("lesson.compounding.reference"),
            experiment: english("lesson.compounding.experiment"),
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "hard", "labelBudget": 3000, "bufferCapacity": 65536}),
            arms: vec![
                arm("behaviour cloning", json!({"data": "teacher"})),
                arm("DAgger", json!({"data": "mix", "dataBeta": 1, "betaDecay": 0.5})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.compounding.published")),
            published_value: None,
            rule: Rule::Beats { weights: vec![("DAgger", 1.0), ("behaviour cloning", -1.0)] },
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
            rule: Rule::Beats { weights: vec![("soft labels, up left out", 1.0), ("hard labels, up left out", -1.0)] },
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
                arm("width 64, τ = 1", json!({"hidden": 64, "temperature": 1})),
                arm("width 64, τ = 4", json!({"hidden": 64, "temperature": 4})),
            ],
            steps: 20_000,
            evaluation: Evaluation::HeldOut,
            episodes: 1,
            page_steps: 6_000,
            published: Some(english("lesson.temperature.published")),
            published_value: None,
            rule: Rule::Beats { weights: vec![("width 4, τ = 4", 1.0), ("width 4, τ = 1", -1.0)] },
        },
        Lesson {
            id: "rl-finetune",
            title: english("lesson.rl-finetune.title"),
            claim: english("lesson.rl-finetune.claim"),
            reference: english("lesson.rl-finetune.reference"),
            experiment: english("lesson.rl-finetune.experiment"),
            base: json!({"map": "random", "slip": 0.1, "teacher": "neural", "teacherNoise": 0.4, "loss": "hard", "hidden": 32, "labelBudget": 30, "kickstart": 0.5, "kickstartDecay": 0.8}),
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
            rule: Rule::BeatsEach { arm: "distillation, then RL", others: vec!["distillation only", "RL only"], and_teacher: true },
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
            rule: Rule::BeatsEach { arm: "mixture of both", others: vec!["network teacher", "planner teacher"], and_teacher: false },
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
            rule: Rule::Beats { weights: vec![("soft labels, τ = 2", 1.0), ("hard labels", -1.0)] },
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
            rule: Rule::Beats { weights: vec![("answer and plan", 1.0), ("answer only", -1.0)] },
        },
    ]
}

const WIDTHS: [usize; 6] = [4, 8, 16, 32, 64, 128];
const WIDTH_LABELS: [&str; 6] = ["width 4", "width 8", "width 16", "width 32", "width 64", "width 128"];

/// The result of one arm on one seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmRow {
    pub lesson: String,
    pub arm: String,
    pub seed: u64,
    pub student_success: f64,
    /// The bundled neural teacher's success on the same maps and episodes (the reference for
    /// `retained`, whichever teacher labelled the student's data).
    pub teacher_success: f64,
    /// Student success ÷ teacher success on the same maps and episodes.
    pub retained: Option<f64>,
    /// Student multiply-adds per decision ÷ the teacher's.
    pub compute_used: f64,
    pub evaluation_maps: usize,
    /// Distinct states the teacher labelled for this student (the x axis of Ross et al. 2011).
    #[serde(default)]
    pub labelled: u64,
}

/// Evaluation maps a running arm's learning curve is measured on (the first of the seed's
/// evaluation maps; the final row uses all of them).
pub const PROBE_MAPS: usize = 50;

/// One arm of a lesson on one seed, trained in slices so a page can draw its learning curve:
/// `advance` trains, `probe` measures the student now, `finish` gives the row.
pub struct ArmRun {
    lesson: Lesson,
    arm: Arm,
    seed: u64,
    maps: usize,
    session: Session,
    labelled: u64,
    done: u32,
}

/// A point of an arm's learning curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    pub step: u32,
    pub total: u32,
    /// Success now on the probe (`PROBE_MAPS` evaluation maps, or the training map's cells).
    pub success: f64,
}

impl ArmRun {
    pub fn new(lesson: &Lesson, arm: &Arm, seed: u64, maps: usize) -> Result<ArmRun, ConfigError> {
        let mut settings = merged(&lesson.base, &arm.settings);
        settings["seed"] = json!(seed);
        let session = Session::new(&settings)?;
        Ok(ArmRun { lesson: lesson.clone(), arm: arm.clone(), seed, maps, session, labelled: 0, done: 0 })
    }

    /// Distillation steps, then the arm's RL steps.
    pub fn total_steps(&self) -> u32 {
        self.lesson.steps + self.arm.rl_steps
    }

    /// Trains up to `steps` more steps (switching to RL fine-tuning after the distillation steps);
    /// true while steps remain.
    pub fn advance(&mut self, steps: u32) -> Result<bool, ConfigError> {
        let mut left = steps.min(self.total_steps() - self.done);
        while left > 0 {
            let distill_left = self.lesson.steps.saturating_sub(self.done);
            let slice = if distill_left > 0 { left.min(distill_left) } else { left };
            self.session.train(slice);
            self.done += slice;
            left -= slice;
            if self.done == self.lesson.steps {
                self.labelled = self.session.pipeline().labelled;
                if self.arm.rl_steps > 0 {
                    self.session.set(&json!({"phase": "finetune"}))?;
                }
            }
        }
        Ok(self.done < self.total_steps())
    }

    /// The student's success now, greedy, and (`with_teacher`) the reference teacher's, on `maps`
    /// evaluation maps (or the training map's cells); with the number of maps.
    fn success(&self, maps: usize, with_teacher: bool) -> (f64, f64, usize) {
        let rules = self.session.rules().clone();
        let teacher = bundled_teacher();
        let episodes = self.lesson.episodes;
        let student = self.session.student();
        match self.lesson.evaluation {
            Evaluation::HeldOut => {
                let evaluation = evaluation_maps(self.seed, maps);
                let teacher_success =
                    if with_teacher { success_from_starts(&evaluation, &rules, episodes, self.seed, |_, _, o| argmax(&teacher.logits(o, 1))) } else { f64::NAN };
                let student_success = success_from_starts(&evaluation, &rules, episodes, self.seed, |_, _, o| argmax(&student.logits(o, 1)));
                (student_success, teacher_success, evaluation.len())
            }
            Evaluation::TrainingMap => {
                let current = self.session.current();
                let starts: Vec<usize> = current.decision_cells.iter().flat_map(|&c| std::iter::repeat(c).take(episodes.max(1))).collect();
                let student_policy: Vec<usize> =
                    student.logits(&current.observations(), current.map.cells().len()).chunks_exact(NUM_ACTIONS).map(argmax).collect();
                let rollout_seed = EVALUATION_SEED_BASE + self.seed;
                let student_success = greedy_rollouts(&current.map, &rules, &student_policy, &starts, rollout_seed).success as f64;
                let noise = self.session.settings().teacher_noise;
                let teacher_success = noisy_rollouts(&current.map, &rules, current.teacher_policy(), &starts, rollout_seed, noise).success as f64;
                (student_success, teacher_success, 1)
            }
        }
    }

    /// The learning curve's point now.
    pub fn probe(&self) -> CurvePoint {
        CurvePoint { step: self.done, total: self.total_steps(), success: self.success(PROBE_MAPS.min(self.maps), false).0 }
    }

    /// Trains whatever is left, then measures the student and the teacher on every evaluation map.
    pub fn finish(mut self) -> Result<ArmRow, ConfigError> {
        self.advance(u32::MAX)?;
        let (student_success, teacher_success, evaluation_maps) = self.success(self.maps, true);
        let compute_used = self.session.student().multiply_adds() as f64 / bundled_teacher().multiply_adds() as f64;
        Ok(ArmRow {
            lesson: self.lesson.id.into(),
            arm: self.arm.label.into(),
            seed: self.seed,
            student_success,
            teacher_success,
            retained: (teacher_success > 0.0).then(|| student_success / teacher_success),
            compute_used,
            evaluation_maps,
            labelled: self.labelled,
        })
    }
}

/// Trains the arm's student on `seed` for the lesson's steps (then its RL steps) and measures it and
/// the teacher on the seed's evaluation maps (`evaluation_maps`, the lesson's episodes per start).
pub fn run_arm(lesson: &Lesson, arm: &Arm, seed: u64, maps: usize) -> Result<ArmRow, ConfigError> {
    ArmRun::new(lesson, arm, seed, maps)?.finish()
}

/// What the rule decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Reproduced,
    NotReproduced,
    Inconclusive,
}

/// A lesson's verdict with the number it rests on (one value per seed, summarised).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Judgement {
    pub verdict: Verdict,
    /// What the per-seed number is, in words.
    pub measure: String,
    pub threshold: f64,
    pub effect: Summary,
    pub per_seed: Vec<(u64, f64)>,
}

/// Applies the lesson's rule to its rows (every arm on the same seeds). `None` when a seed lacks an arm.
pub fn verdict(lesson: &Lesson, rows: &[ArmRow]) -> Option<Judgement> {
    let mut seeds: Vec<u64> = rows.iter().map(|r| r.seed).collect();
    seeds.sort_unstable();
    seeds.dedup();
    let row = |arm: &str, seed: u64| rows.iter().find(|r| r.arm == arm && r.seed == seed);
    let (measure, threshold, per_seed, compute_ok) = match &lesson.rule {
        Rule::Retains { arm, at_least, max_compute } => {
            let values: Option<Vec<(u64, f64)>> = seeds.iter().map(|&s| row(arm, s).and_then(|r| r.retained).map(|v| (s, v))).collect();
            let compute_ok = rows.iter().filter(|r| r.arm == *arm).all(|r| r.compute_used <= *max_compute);
            (format!("ability retained by {arm} (compute ≤ {:.0}% of the teacher's)", 100.0 * max_compute), *at_least, values?, compute_ok)
        }
        Rule::Beats { weights } => {
            let values: Option<Vec<(u64, f64)>> = seeds
                .iter()
                .map(|&s| weights.iter().map(|(arm, w)| row(arm, s).map(|r| w * r.student_success)).sum::<Option<f64>>().map(|v| (s, v)))
                .collect();
            let named: Vec<String> = weights.iter().map(|(arm, w)| format!("{}{arm}", if *w > 0.0 { "+" } else { "−" })).collect();
            (format!("success: {}", named.join(" ")), 0.0, values?, true)
        }
        Rule::BeatsEach { arm, others, and_teacher } => {
            let values: Option<Vec<(u64, f64)>> = seeds
                .iter()
                .map(|&s| {
                    let own = row(arm, s)?;
                    let mut margins: Vec<f64> = others.iter().map(|o| row(o, s).map(|r| own.student_success - r.student_success)).collect::<Option<_>>()?;
                    if *and_teacher {
                        margins.push(own.student_success - own.teacher_success);
                    }
                    Some((s, margins.into_iter().fold(f64::INFINITY, f64::min)))
                })
                .collect();
            let mut named = others.join(", ");
            if *and_teacher {
                named.push_str(" and the teacher");
            }
            (format!("success: {arm} − the best of {named}"), 0.0, values?, true)
        }
    };
    let effect = summarise(&per_seed.iter().map(|(_, v)| *v).collect::<Vec<_>>())?;
    let verdict = if !compute_ok || effect.ci95[1] < threshold {
        Verdict::NotReproduced
    } else if effect.ci95[0] >= threshold && effect.n >= 2 {
        Verdict::Reproduced
    } else {
        Verdict::Inconclusive
    };
    Some(Judgement { verdict, measure, threshold, effect, per_seed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lesson: &str, arm: &str, seed: u64, student: f64, compute: f64) -> ArmRow {
        ArmRow { lesson: lesson.into(), arm: arm.into(), seed, student_success: student, teacher_success: 0.9, retained: Some(student / 0.9), compute_used: compute, evaluation_maps: 10, labelled: 0 }
    }

    #[test]
    fn every_lesson_has_valid_settings_and_its_rule_names_its_arms() {
        for lesson in lessons() {
            for arm in &lesson.arms {
                Session::new(&merged(&lesson.base, &arm.settings)).unwrap_or_else(|e| panic!("{} / {}: {e}", lesson.id, arm.label));
            }
            let named: Vec<&str> = match &lesson.rule {
                Rule::Retains { arm, .. } => vec![arm],
                Rule::Beats { weights } => weights.iter().map(|(a, _)| *a).collect(),
                Rule::BeatsEach { arm, others, .. } => std::iter::once(*arm).chain(others.iter().copied()).collect(),
            };
            assert!(named.iter().all(|n| lesson.arms.iter().any(|a| a.label == *n)), "{}", lesson.id);
        }
    }

    #[test]
    fn the_rule_reads_the_interval() {
        let all = lessons();
        let compression = all.iter().find(|l| l.id == "compression").unwrap();
        // Retained 0.85–0.89 on three seeds: the whole interval is above 0.70.
        let high: Vec<ArmRow> = [0.77, 0.79, 0.80].iter().enumerate().map(|(i, s)| row("compression", "width 64", i as u64, *s, 0.033)).collect();
        let judged = verdict(compression, &high).unwrap();
        assert_eq!(judged.verdict, Verdict::Reproduced, "{judged:?}");
        assert_eq!(judged.per_seed.len(), 3);
        // Far below: not reproduced; straddling: inconclusive; too much compute: not reproduced.
        let low: Vec<ArmRow> = [0.3, 0.32, 0.31].iter().enumerate().map(|(i, s)| row("compression", "width 64", i as u64, *s, 0.033)).collect();
        assert_eq!(verdict(compression, &low).unwrap().verdict, Verdict::NotReproduced);
        let wide: Vec<ArmRow> = [0.4, 0.9, 0.6].iter().enumerate().map(|(i, s)| row("compression", "width 64", i as u64, *s, 0.033)).collect();
        assert_eq!(verdict(compression, &wide).unwrap().verdict, Verdict::Inconclusive);
        let heavy: Vec<ArmRow> = high.iter().map(|r| ArmRow { compute_used: 0.2, ..r.clone() }).collect();
        assert_eq!(verdict(compression, &heavy).unwrap().verdict, Verdict::NotReproduced);
        // A contrast: teacher trajectories minus uniform states, per seed.
        let trajectories = all.iter().find(|l| l.id == "trajectories").unwrap();
        let rows: Vec<ArmRow> = (0..4)
            .flat_map(|s| [row("trajectories", "teacher trajectories", s, 0.6 + 0.01 * s as f64, 0.01), row("trajectories", "uniform states", s, 0.4, 0.01)])
            .collect();
        let judged = verdict(trajectories, &rows).unwrap();
        assert_eq!(judged.verdict, Verdict::Reproduced);
        assert!((judged.effect.mean - 0.215).abs() < 1e-9, "{judged:?}");
        // A missing arm gives no verdict.
        assert!(verdict(trajectories, &rows[..3]).is_none());
    }

    #[test]
    fn an_arm_runs_and_measures_student_and_teacher_on_the_same_maps() {
        let lesson = Lesson { steps: 300, ..lesson("trajectories").unwrap() };
        assert!(super::lesson("nope").unwrap_err().contains("compression"));
        let row = run_arm(&lesson, &lesson.arms[1], 2, 30).unwrap();
        assert_eq!(row.evaluation_maps, 30);
        assert!(row.teacher_success > 0.5, "{row:?}");
        assert!((row.retained.unwrap() - row.student_success / row.teacher_success).abs() < 1e-12);
        assert_eq!(run_arm(&lesson, &lesson.arms[1], 2, 30).unwrap(), row, "seeded");
        assert!(row.labelled > 0 && row.labelled <= 20_000, "{row:?}");
        // In slices, with a learning curve: the same row as in one go.
        let mut run = ArmRun::new(&lesson, &lesson.arms[1], 2, 30).unwrap();
        let first = run.probe();
        assert_eq!((first.step, first.total), (0, 300));
        while run.advance(100).unwrap() {}
        let last = run.probe();
        assert_eq!(last.step, 300);
        assert!(last.success >= 0.0 && last.success <= 1.0);
        assert_eq!(run.finish().unwrap(), row, "slices change nothing");
        // At another scale, RL steps scale with the distillation steps.
        let rl = super::lesson("rl-finetune").unwrap();
        let quick = rl.at_steps(rl.steps / 6);
        assert_eq!((quick.steps, quick.arms[1].rl_steps, quick.arms[0].rl_steps), (rl.steps / 6, rl.arms[1].rl_steps / 6, 0));
        // RL steps follow the distillation steps.
        let rl = Lesson { steps: 50, ..super::lesson("rl-finetune").unwrap() };
        let arm = Arm { rl_steps: 20, ..rl.arms[1].clone() };
        let mut run = ArmRun::new(&rl, &arm, 1, 1).unwrap();
        assert_eq!(run.total_steps(), 70);
        assert!(run.advance(60).unwrap());
        assert_eq!(run.session.settings().phase, crate::training::settings::Phase::Finetune);
        assert!(!run.advance(60).unwrap());
        let row = run.finish().unwrap();
        assert!(row.labelled > 0 && row.teacher_success > 0.0, "{row:?}");
    }
}
