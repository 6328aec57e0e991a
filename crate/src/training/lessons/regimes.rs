//! Where a claim holds: one lesson run over a grid of its key variables (`distill map`), every grid
//! point a whole lesson run (same seeds, paired arms, its own verdict), so the effect can be read
//! against, say, the label budget and the slip. Every (point, arm, seed) is an independent job.

use super::jobs::{Job, RunSpec};
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
        for (point, spec) in self.points()?.iter().enumerate() {
            let lesson = spec.lessons()?.remove(0);
            jobs.extend(spec.jobs(std::slice::from_ref(&lesson)).into_iter().map(|job| MapJob { point, job }));
            lessons.push(lesson);
        }
        Ok((lessons, jobs))
    }
}

/// The map's report: a line per point (its settings, each arm's mean success, each part's effect and
/// the verdict), then one JSON line with every point's judgement and raw rows.
pub fn map_report(spec: &MapSpec, lessons: &[Lesson], rows: &[(usize, ArmRow)]) -> Result<String, String> {
    let points = spec.points()?;
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
        text.push_str(&format!("  {:<32} {:?}: {}\n", assignment.join(", "), judged.verdict, parts.join("; ")));
        out.push(json!({"set": assignment, "arms": arms, "judgement": judged, "rows": of_point}));
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
}
