//! Where a claim holds: one lesson run over a grid of its key variables (`distill map`), every grid
//! point a whole lesson run (same seeds, paired arms, its own verdict), so the effect can be read
//! against, say, the label budget and the slip. Every (point, arm, seed) is an independent job.
//! A point runs only the arms its rule names, and its settings win over the arms' own (a map over
//! `hidden` sets every arm's width), so the report names each point by what it set.

use super::jobs::{parse_value, Job, RunSpec};
use crate::training::scenarios::merged;
use super::{verdict, ArmRow, Lesson};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One variable of the grid: a setting and the values it takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Axis {
    pub field: String,
    pub values: Vec<String>,
}

impl Axis {
    /// Reads `field=v1,v2,...`.
    pub fn parse(text: &str) -> Result<Axis, String> {
        let (field, values) = text.split_once('=').ok_or_else(|| format!("--vary {text:?}: expected field=v1,v2,..."))?;
        let values: Vec<String> = values.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect();
        if field.trim().is_empty() || values.is_empty() {
            return Err(format!("--vary {text:?}: expected field=v1,v2,..."));
        }
        Ok(Axis { field: field.trim().into(), values })
    }
}

/// A grid over one lesson: the run every point shares, and the axes (their product is the grid).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapSpec {
    pub run: RunSpec,
    pub axes: Vec<Axis>,
}

/// Each lesson's map: the key variables the claim depends on in its paper, fixed before the map is
/// run (`scripts/maps.sh` runs every one at 10 seeds; `distill map --only ID` without `--vary`).
pub fn catalogued_axes(lesson: &str) -> Option<Vec<Axis>> {
    let axes: &[&str] = match lesson {
        "compression" => &["trainMaps=64,1024", "hidden=8,16,32,64"],
        "data-over-architecture" => &["labelBudget=2000,20000,0"],
        "trajectories" => &["hidden=8,32", "labelBudget=2000,20000"],
        "compounding" => &["slip=0,0.2,0.4", "labelBudget=100,400,1600"],
        "compounding-heldout" => &["labelBudget=1000,3000,10000"],
        "dark-knowledge" => &["temperature=1,2,4,10"],
        "temperature" => &["hidden=4,8,16", "labelBudget=500,2000,20000"],
        "rl-finetune" => &["teacherNoise=0.2,0.4,0.6", "labelBudget=30,100"],
        "mixing" => &["hidden=8,32", "mixWeight=0.25,0.5,0.75"],
        "scarce-labels" => &["labelBudget=250,500,1000,2000,8000,20000"],
        "plan" => &["hidden=8,32", "labelBudget=250,500,1000,2000,8000"],
        "co-distillation" => &["labelBudget=500,2000,8000"],
        "rl-weak-teacher" => &["teacherGaps=0.05,0.1,0.2", "labelBudget=30,100"],
        "mixing-complementary" => &["teacherGaps=0.25,0.5", "gapOverlap=0,0.5,1"],
        "strongest-teacher" => &["hidden=4,8,32,128", "labelBudget=2000,0"],
        _ => return None,
    };
    Some(axes.iter().map(|a| Axis::parse(a).expect("catalogued axes are well formed")).collect())
}

/// The lesson as a point of its map runs it: only the arms its rule names, the point's settings
/// (`{field: value}`) in its base and over each arm's own; an error names a setting no arm can take.
pub fn at_point(lesson: &Lesson, point: &Value) -> Result<Lesson, String> {
    let fields = point.as_object().ok_or("a map point is an object of settings, e.g. {\"labelBudget\": 400}")?;
    let named = lesson.named_arms();
    let mut at = lesson.clone();
    at.arms.retain(|arm| named.contains(&arm.id));
    for (field, value) in fields {
        at.base[field] = value.clone();
    }
    for arm in &mut at.arms {
        for (field, value) in fields {
            arm.settings[field] = value.clone();
        }
        crate::training::Session::new(&merged(&at.base, &arm.settings)).map_err(|e| format!("{} / {}: {e}", at.id, arm.label))?;
    }
    Ok(at)
}

/// Whether `at` (a point of `lesson`'s map) is the lesson's own set-up: every arm's settings, with
/// the defaults filled in, are what the lesson gives that arm. Behaviour cloning (`hard`) does not
/// read τ (its target is the teacher's argmax, its loss the student's plain log-softmax), so an arm
/// with that loss is the same run at any τ: the dark-knowledge map, which varies τ over every arm,
/// has its own point at the soft arms' τ.
fn is_own_point(lesson: &Lesson, at: &Lesson) -> bool {
    use crate::student::loss::LossKind;
    let effective = |l: &Lesson, label: &str| {
        let arm = l.arms.iter().find(|a| a.label == label)?;
        let mut settings = crate::training::settings::Settings::default();
        settings.apply(&merged(&l.base, &arm.settings)).ok()?;
        if settings.loss == LossKind::Hard {
            settings.temperature = crate::training::settings::Settings::default().temperature;
        }
        Some(settings)
    };
    at.arms.iter().all(|arm| {
        let own = effective(lesson, arm.label);
        own.is_some() && own == effective(at, arm.label)
    })
}

/// A point's job: the point's index and the job within its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapJob {
    pub point: usize,
    pub job: Job,
}

impl MapSpec {
    /// The grid's points, the first axis slowest: each the shared run with `field=value` added.
    pub fn points(&self) -> Result<Vec<RunSpec>, String> {
        if self.run.only.is_none() {
            return Err("a map is of one lesson: give --only ID".into());
        }
        if self.axes.is_empty() {
            return Err("give at least one --vary field=v1,v2,...".into());
        }
        let mut points = vec![self.run.clone()];
        for axis in &self.axes {
            points = points
                .into_iter()
                .flat_map(|p| axis.values.iter().map(move |v| RunSpec { set: [p.set.clone(), vec![format!("{}={v}", axis.field)]].concat(), ..p.clone() }))
                .collect();
        }
        Ok(points)
    }

    /// The lesson of every point (each with its settings applied, and checked) and every job.
    pub fn jobs(&self) -> Result<(Vec<Lesson>, Vec<MapJob>), String> {
        let mut lessons = Vec::new();
        let mut jobs = Vec::new();
        let base = self.run.lessons()?.remove(0);
        for (point, spec) in self.points()?.iter().enumerate() {
            let mut settings = json!({});
            for pair in &spec.set[self.run.set.len()..] {
                let (field, value) = pair.split_once('=').expect("points are field=value");
                settings[field] = parse_value(value);
            }
            let lesson = at_point(&base, &settings)?;
            jobs.extend(self.run.jobs(std::slice::from_ref(&lesson)).into_iter().map(|job| MapJob { point, job }));
            lessons.push(lesson);
        }
        Ok((lessons, jobs))
    }
}

/// The map's report: a line per point (its settings, each arm's mean success, each part's effect and
/// the verdict), then one JSON line with every point's judgement and raw rows.
pub fn map_report(spec: &MapSpec, lessons: &[Lesson], rows: &[(usize, ArmRow)]) -> Result<String, String> {
    let points = spec.points()?;
    let own = spec.run.lessons()?.remove(0);
    let mut text = String::new();
    let mut out = Vec::new();
    for (index, (point, lesson)) in points.iter().zip(lessons).enumerate() {
        let of_point: Vec<ArmRow> = rows.iter().filter(|(p, _)| *p == index).map(|(_, r)| r.clone()).collect();
        let judged = verdict(lesson, &of_point).ok_or_else(|| format!("point {}: the rows are incomplete", index + 1))?;
        let assignment = &point.set[spec.run.set.len()..];
        let arms: Vec<Value> = lesson
            .arms
            .iter()
            .map(|arm| {
                let of_arm: Vec<&ArmRow> = of_point.iter().filter(|r| r.arm == arm.label).collect();
                let mean = of_arm.iter().map(|r| r.student_success).sum::<f64>() / of_arm.len().max(1) as f64;
                let labelled = of_arm.iter().map(|r| r.labelled as f64).sum::<f64>() / of_arm.len().max(1) as f64;
                json!({"arm": arm.label, "success": mean, "labelled": labelled})
            })
            .collect();
        let parts: Vec<String> = judged.parts.iter().map(|p| format!("{:.3} [{:.3}, {:.3}] {:?}", p.effect.mean, p.effect.ci95[0], p.effect.ci95[1], p.verdict)).collect();
        let is_own = is_own_point(&own, lesson);
        let mark = if is_own { " (the lesson's own set-up)" } else { "" };
        text.push_str(&format!("  {:<32} {:?}: {}{mark}\n", assignment.join(", "), judged.verdict, parts.join("; ")));
        let teacher = of_point.iter().map(|r| r.teacher_success).sum::<f64>() / of_point.len().max(1) as f64;
        out.push(json!({"set": assignment, "teacher": teacher, "own": is_own, "arms": arms, "judgement": judged, "rows": of_point}));
    }
    let header = format!("== {} over {}\n", lessons[0].id, spec.axes.iter().map(|a| a.field.as_str()).collect::<Vec<_>>().join(" × "));
    let json_line = json!({"lesson": lessons[0].id, "spec": spec, "points": out});
    Ok(format!("{header}{text}{json_line}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_the_product_of_the_axes() {
        let run = RunSpec { only: Some("compounding".into()), set: vec!["hidden=16".into()], steps: Some(40), first_seed: 1001, seeds: 2, maps: 3 };
        let spec = MapSpec { run, axes: vec![Axis::parse("labelBudget=100,400").unwrap(), Axis::parse("slip=0.1, 0.2,0.4").unwrap()] };
        let points = spec.points().unwrap();
        assert_eq!(points.len(), 6);
        assert_eq!(points[1].set, vec!["hidden=16", "labelBudget=100", "slip=0.2"]);
        let (lessons, jobs) = spec.jobs().unwrap();
        assert_eq!((lessons.len(), jobs.len()), (6, 6 * 2 * 2));
        assert_eq!(lessons[5].base["slip"], 0.4);
        assert!(Axis::parse("slip").is_err() && Axis::parse("slip=").is_err());
        let bad = MapSpec { axes: vec![Axis::parse("slip=0.9").unwrap()], ..spec.clone() };
        assert!(bad.jobs().unwrap_err().contains("slip"), "a bad value is named before anything runs");
        let any = MapSpec { run: RunSpec { only: None, ..spec.run.clone() }, ..spec };
        assert!(any.points().unwrap_err().contains("--only"));
    }

    #[test]
    fn a_point_runs_the_rules_arms_with_its_settings_over_theirs() {
        let run = RunSpec { only: Some("temperature".into()), set: vec![], steps: Some(40), first_seed: 1, seeds: 2, maps: 3 };
        let spec = MapSpec { run, axes: vec![Axis::parse("hidden=16").unwrap()] };
        let (lessons, jobs) = spec.jobs().unwrap();
        let labels: Vec<&str> = lessons[0].arms.iter().map(|a| a.label).collect();
        assert_eq!(labels, ["width 4, τ = 1", "width 4, τ = 4", "width 4, τ = 10"], "the width-64 arms are not in the rule");
        assert!(lessons[0].arms.iter().all(|a| a.settings["hidden"] == 16), "the point's width wins over the arms'");
        assert_eq!(lessons[0].arms[1].settings["temperature"], 4, "what the point does not set stays the arm's");
        assert_eq!(jobs.len(), 3 * 2);
        assert!(!is_own_point(&super::super::lesson("temperature").unwrap(), &lessons[0]));
        let own = MapSpec { axes: vec![Axis::parse("labelBudget=2000,500").unwrap()], ..spec };
        let (points, _) = own.jobs().unwrap();
        let lesson = super::super::lesson("temperature").unwrap();
        assert_eq!((is_own_point(&lesson, &points[0]), is_own_point(&lesson, &points[1])), (true, false), "2,000 labels is the lesson's own budget");
    }

    #[test]
    fn behaviour_cloning_is_the_same_run_at_any_temperature_so_the_dark_knowledge_map_has_its_own_point() {
        let trained = |tau: f64| {
            let settings = serde_json::json!({"trainMaps": 16, "hidden": 8, "loss": "hard", "temperature": tau, "seed": 5});
            let mut session = crate::training::Session::new(&settings).unwrap();
            session.train(300);
            session.student().tensors()
        };
        assert!(trained(1.0) == trained(4.0), "τ changed a behaviour-cloning run");
        let run = RunSpec { only: Some("dark-knowledge".into()), set: vec![], steps: None, first_seed: 1, seeds: 10, maps: 1000 };
        let (points, _) = MapSpec { run, axes: catalogued_axes("dark-knowledge").unwrap() }.jobs().unwrap();
        let lesson = super::super::lesson("dark-knowledge").unwrap();
        let own: Vec<bool> = points.iter().map(|point| is_own_point(&lesson, point)).collect();
        assert_eq!(own, [false, false, true, false], "τ = 1, 2, 4, 10: the soft arms' τ is 4");
    }

    #[test]
    fn every_lesson_has_a_map_that_runs() {
        for lesson in super::super::lessons() {
            let axes = catalogued_axes(lesson.id).unwrap_or_else(|| panic!("{} has no map", lesson.id));
            let run = RunSpec { only: Some(lesson.id.into()), set: vec![], steps: None, first_seed: 1, seeds: 10, maps: 1000 };
            let (points, _) = MapSpec { run, axes }.jobs().unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            assert!(points.len() >= 3, "{}: a map of {} points", lesson.id, points.len());
        }
    }
}
