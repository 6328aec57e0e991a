//! The lesson catalogue: each claim of agent distillation as a faithful experiment with a metric, an
//! expected direction and a verdict computed by a rule written beside it. The page and `distill
//! lessons` run the same definitions; `run_arm` is one student on one seed, `verdict` reads the rows.

use crate::measure::evaluation::{evaluation_maps, success_from_starts};
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
pub struct Arm {
    pub label: &'static str,
    pub settings: Value,
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
    /// min over `others` of (success of `arm` − success of the other) > 0: the arm beats each one.
    BeatsEach { arm: &'static str, others: Vec<&'static str> },
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
    /// Training steps of each arm when the page runs the lesson (`PAGE_SEEDS` seeds on
    /// `PAGE_EVALUATION_MAPS` maps, so a lesson ends within a minute on two cores).
    pub page_steps: u32,
    /// The published figure the page draws beside the measured one, if the claim has one.
    pub published: Option<&'static str>,
    pub rule: Rule,
}

/// Seeds and evaluation maps of a lesson run in the page (the command line's defaults: 10 and 1,000).
pub const PAGE_SEEDS: u64 = 2;
pub const PAGE_EVALUATION_MAPS: usize = 200;
/// Most evaluation maps and steps one arm may ask for (the page's API checks against these).
pub const MAX_ARM_MAPS: usize = 5_000;
pub const MAX_ARM_STEPS: u32 = 200_000;

/// The lesson called `id`, or an error that lists the ids.
pub fn lesson(id: &str) -> Result<Lesson, String> {
    let all = lessons();
    let ids: Vec<&str> = all.iter().map(|l| l.id).collect();
    let listed = ids.join(", ");
    all.into_iter().find(|l| l.id == id).ok_or_else(|| format!("unknown lesson {id:?}: choose one of {listed}"))
}

fn arm(label: &'static str, settings: Value) -> Arm {
    Arm { label, settings }
}

/// Every lesson. Students learn from the bundled neural teacher unless an arm says otherwise.
pub fn lessons() -> Vec<Lesson> {
    vec![
        Lesson {
            id: "compression",
            title: "Compression: most of the ability for a small share of the compute",
            claim: "A student keeps 70–90% of the teacher's ability for about 5% of its compute (the seed); Rusu et al. 2016 report 84% at 3.7%.",
            reference: "Rusu et al. 2016, Policy Distillation (ICLR), Table 2",
            experiment: "Students of widths 4–128 learn by soft-label distillation (KL, τ = 1) from the teacher's labels on 1,024 random training maps, 30,000 steps; success from the start of held-out maps, divided by the teacher's on the same maps. The rule looks at width 64 (3.3% of the teacher's multiply-adds), chosen before the run.",
            base: json!({"trainMaps": 1024, "loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: [4, 8, 16, 32, 64, 128].iter().map(|&w| arm(WIDTH_LABELS[WIDTHS.iter().position(|x| *x == w).expect("listed")], json!({"hidden": w}))).collect(),
            steps: 30_000,
            page_steps: 6_000,
            published: Some("Rusu et al. 2016: 84% of the teacher's score at 3.7% of its parameters"),
            rule: Rule::Retains { arm: "width 64", at_least: 0.70, max_compute: 0.05 },
        },
        Lesson {
            id: "data-over-architecture",
            title: "Data matters more than the architecture",
            claim: "The data matters more than the architecture (the seed): more distinct training maps help a student more than a wider network does.",
            reference: "the seed's claim; compare Hinton et al. 2015 §3 on transfer sets",
            experiment: "Widths 8 and 64 × 16 and 1,024 training maps, 20,000 steps each. The data effect minus the architecture effect, averaged over the other factor, is success(1,024 maps, width 8) − success(16 maps, width 64); it must be above 0.",
            base: json!({"loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: vec![
                arm("16 maps, width 8", json!({"trainMaps": 16, "hidden": 8})),
                arm("16 maps, width 64", json!({"trainMaps": 16, "hidden": 64})),
                arm("1,024 maps, width 8", json!({"trainMaps": 1024, "hidden": 8})),
                arm("1,024 maps, width 64", json!({"trainMaps": 1024, "hidden": 64})),
            ],
            steps: 20_000,
            page_steps: 6_000,
            published: None,
            rule: Rule::Beats { weights: vec![("1,024 maps, width 8", 1.0), ("16 maps, width 64", -1.0)] },
        },
        Lesson {
            id: "trajectories",
            title: "Real trajectories beat synthetic states",
            claim: "Real trajectories beat synthetic states (the seed): states the teacher actually visits teach more than states drawn uniformly.",
            reference: "the seed's claim; Ross et al. 2011 §2 on the state distribution a policy induces",
            experiment: "Width 32, 1,024 training maps, 20,000 steps, the same label budget of 20,000 distinct states: the teacher's own rollouts against uniform reachable states. Held-out success from the start; teacher minus uniform must be above 0.",
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "labelBudget": 20000}),
            arms: vec![arm("uniform states", json!({"data": "uniform"})), arm("teacher trajectories", json!({"data": "teacher"}))],
            steps: 20_000,
            page_steps: 6_000,
            published: None,
            rule: Rule::Beats { weights: vec![("teacher trajectories", 1.0), ("uniform states", -1.0)] },
        },
        Lesson {
            id: "mixing",
            title: "Mixing teachers beats one",
            claim: "Mixing teachers beats one (the seed: a student of mixed strategies beats a student of any single one).",
            reference: "the seed's claim; multi-teacher distillation as in Rusu et al. 2016 §4.3",
            experiment: "Width 32, 1,024 training maps, 20,000 steps, KL at τ = 1: labels from the bundled network, from the exact planner, or from their mixture p = ½·p_network + ½·p_planner. The mixture's student minus the better single-teacher student must be above 0.",
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "data": "uniform"}),
            arms: vec![
                arm("network teacher", json!({"teacher": "neural"})),
                arm("planner teacher", json!({"teacher": "oracle"})),
                arm("mixture of both", json!({"teacher": "mix", "mixWeight": 0.5})),
            ],
            steps: 20_000,
            page_steps: 6_000,
            published: None,
            rule: Rule::BeatsEach { arm: "mixture of both", others: vec!["network teacher", "planner teacher"] },
        },
        Lesson {
            id: "scarce-labels",
            title: "Soft labels teach more when labels are scarce",
            claim: "Soft targets carry much more information per training case than hard targets, so a student learns well from far fewer examples.",
            reference: "Hinton, Vinyals & Dean 2015, Distilling the Knowledge in a Neural Network, §3 and §6",
            experiment: "Width 32, 1,024 training maps, a budget of 2,000 labelled states, 20,000 steps: hard labels (the teacher's argmax) against soft labels (KL at τ = 2). Soft minus hard must be above 0.",
            base: json!({"trainMaps": 1024, "hidden": 32, "data": "uniform", "labelBudget": 2000}),
            arms: vec![arm("hard labels", json!({"loss": "hard"})), arm("soft labels, τ = 2", json!({"loss": "kl", "temperature": 2}))],
            steps: 20_000,
            page_steps: 6_000,
            published: Some("Hinton et al. 2015: soft targets on 3% of the data kept most of the gain of the full set"),
            rule: Rule::Beats { weights: vec![("soft labels, τ = 2", 1.0), ("hard labels", -1.0)] },
        },
        Lesson {
            id: "plan",
            title: "Distilling the plan helps when data is scarce",
            claim: "Training a small model to produce the teacher's rationale as well as its answer outperforms plain distillation with less training data.",
            reference: "Hsieh et al. 2023, Distilling Step-by-Step (Findings of ACL), §4",
            experiment: "Width 32, 1,024 training maps, a budget of 2,000 labelled states, 20,000 steps, KL at τ = 1: without and with the plan head (λ_plan = 1: the teacher's next four moves as an auxiliary target). With minus without must be above 0.",
            base: json!({"trainMaps": 1024, "hidden": 32, "loss": "kl", "temperature": 1, "data": "uniform", "labelBudget": 2000}),
            arms: vec![arm("answer only", json!({"planWeight": 0})), arm("answer and plan", json!({"planWeight": 1}))],
            steps: 20_000,
            page_steps: 6_000,
            published: Some("Hsieh et al. 2023: a 770M model distilled step by step beat a 540B model with 80% of the data"),
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
}

/// Trains the arm's student on `seed` for the lesson's steps and measures it and the teacher on the
/// seed's evaluation maps (`evaluation_maps`, `episodes` per start).
pub fn run_arm(lesson: &Lesson, arm: &Arm, seed: u64, maps: usize, episodes: usize) -> Result<ArmRow, ConfigError> {
    let mut settings = merged(&lesson.base, &arm.settings);
    settings["seed"] = json!(seed);
    let mut session = Session::new(&settings)?;
    session.train(lesson.steps);
    let evaluation = evaluation_maps(seed, maps);
    let rules = session.rules().clone();
    let teacher = bundled_teacher();
    let teacher_success = success_from_starts(&evaluation, &rules, episodes, seed, |_, _, o| argmax(&teacher.logits(o, 1)));
    let student = session.student();
    let student_success = success_from_starts(&evaluation, &rules, episodes, seed, |_, _, o| argmax(&student.logits(o, 1)));
    Ok(ArmRow {
        lesson: lesson.id.into(),
        arm: arm.label.into(),
        seed,
        student_success,
        teacher_success,
        retained: (teacher_success > 0.0).then(|| student_success / teacher_success),
        compute_used: student.multiply_adds() as f64 / teacher.multiply_adds() as f64,
        evaluation_maps: evaluation.len(),
    })
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
            (format!("held-out success: {}", named.join(" ")), 0.0, values?, true)
        }
        Rule::BeatsEach { arm, others } => {
            let values: Option<Vec<(u64, f64)>> = seeds
                .iter()
                .map(|&s| {
                    let own = row(arm, s)?.student_success;
                    let margins: Option<Vec<f64>> = others.iter().map(|o| row(o, s).map(|r| own - r.student_success)).collect();
                    margins.map(|m| (s, m.into_iter().fold(f64::INFINITY, f64::min)))
                })
                .collect();
            (format!("held-out success: {arm} − the best of {}", others.join(", ")), 0.0, values?, true)
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
        ArmRow { lesson: lesson.into(), arm: arm.into(), seed, student_success: student, teacher_success: 0.9, retained: Some(student / 0.9), compute_used: compute, evaluation_maps: 10 }
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
                Rule::BeatsEach { arm, others } => std::iter::once(*arm).chain(others.iter().copied()).collect(),
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
        let row = run_arm(&lesson, &lesson.arms[1], 2, 30, 1).unwrap();
        assert_eq!(row.evaluation_maps, 30);
        assert!(row.teacher_success > 0.5, "{row:?}");
        assert!((row.retained.unwrap() - row.student_success / row.teacher_success).abs() < 1e-12);
        assert_eq!(run_arm(&lesson, &lesson.arms[1], 2, 30, 1).unwrap(), row, "seeded");
    }
}
