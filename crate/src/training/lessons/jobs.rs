//! A lessons run as independent jobs: every (lesson, arm, seed) is one deterministic job, so a run
//! can be cut into shards (`distill lessons --shard i/n`, one per machine or array task) and the
//! shards' rows joined (`distill merge`) into exactly the report the whole run prints.

use super::{lessons, verdict, ArmRow, Lesson};
use crate::measure::stats::summarise;
use crate::training::scenarios::merged;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// What a run was asked for: enough to rebuild its lessons and check shards belong together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunSpec {
    /// Only this lesson (else every one).
    pub only: Option<String>,
    /// `field=value` overrides of every lesson's base, in the order given.
    pub set: Vec<String>,
    /// Distillation steps of every arm (else each lesson's own).
    pub steps: Option<u32>,
    pub first_seed: u64,
    pub seeds: u64,
    /// Evaluation maps per seed.
    pub maps: usize,
}

/// One job: arm `arm` of the spec's lesson number `lesson` on `seed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    pub lesson: usize,
    pub arm: usize,
    pub seed: u64,
}

/// Shard `index` of `count` (1-based): the jobs at positions ≡ index − 1 (mod count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Reads `i/n` (1 ≤ i ≤ n).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("--shard {text:?}: expected i/n with 1 ≤ i ≤ n, e.g. 2/8");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count) = (i.trim().parse::<usize>().map_err(|_| bad())?, n.trim().parse::<usize>().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// A `field=value` value: a number or boolean as JSON, anything else as a string.
pub fn parse_value(text: &str) -> Value {
    serde_json::from_str::<Value>(text).ok().filter(|v| v.is_number() || v.is_boolean()).unwrap_or_else(|| Value::String(text.to_string()))
}

impl RunSpec {
    /// The lessons the spec runs, with its overrides and steps applied; an error names a bad `--set`
    /// or an unknown lesson.
    pub fn lessons(&self) -> Result<Vec<Lesson>, String> {
        if self.seeds == 0 || self.maps == 0 {
            return Err("--seeds and --maps must be at least 1".into());
        }
        let mut overrides = json!({});
        for pair in &self.set {
            let (field, value) = pair.split_once('=').ok_or_else(|| format!("--set {pair:?}: expected field=value"))?;
            overrides[field] = parse_value(value);
        }
        let all = lessons();
        let chosen: Vec<Lesson> = match &self.only {
            Some(id) => vec![all.iter().find(|l| l.id == id).cloned().ok_or_else(|| {
                format!("unknown lesson {id:?}: choose one of {}", all.iter().map(|l| l.id).collect::<Vec<_>>().join(", "))
            })?],
            None => all,
        };
        chosen
            .into_iter()
            .map(|lesson| {
                let mut lesson = match self.steps {
                    Some(steps) => lesson.at_steps(steps),
                    None => lesson,
                };
                lesson.base = merged(&lesson.base, &overrides);
                for arm in &lesson.arms {
                    crate::training::Session::new(&merged(&lesson.base, &arm.settings)).map_err(|e| format!("{} / {}: {e}", lesson.id, arm.label))?;
                }
                Ok(lesson)
            })
            .collect()
    }

    /// Every job, in a fixed order: lesson, then arm, then seed.
    pub fn jobs(&self, lessons: &[Lesson]) -> Vec<Job> {
        let seeds = self.first_seed..self.first_seed + self.seeds;
        lessons
            .iter()
            .enumerate()
            .flat_map(|(l, lesson)| (0..lesson.arms.len()).flat_map({ let seeds = seeds.clone(); move |arm| seeds.clone().map(move |seed| Job { lesson: l, arm, seed }) }))
            .collect()
    }
}

/// The jobs of `shard` (all of them for `None`).
pub fn shard_jobs(jobs: &[Job], shard: Option<Shard>) -> Vec<Job> {
    match shard {
        None => jobs.to_vec(),
        Some(s) => jobs.iter().enumerate().filter(|(i, _)| i % s.count == s.index - 1).map(|(_, j)| *j).collect(),
    }
}

/// What a shard writes: its spec, which shard it is, and its rows (in job order).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardOutput {
    pub spec: RunSpec,
    pub shard: Shard,
    pub rows: Vec<ArmRow>,
}

/// Joins shards: every shard of one spec exactly once; the rows in job order. An error names what
/// does not fit (another spec, a shard missing or given twice, rows that are not the shard's jobs).
pub fn merge(shards: &[ShardOutput]) -> Result<(RunSpec, Vec<ArmRow>), String> {
    let first = shards.first().ok_or("no shard files given")?;
    let count = first.shard.count;
    for s in shards {
        if s.spec != first.spec {
            return Err(format!("shard {}/{} was run with other settings than shard {}/{}", s.shard.index, s.shard.count, first.shard.index, count));
        }
        if s.shard.count != count {
            return Err(format!("shard {}/{} does not belong to a run of {count} shards", s.shard.index, s.shard.count));
        }
    }
    for index in 1..=count {
        match shards.iter().filter(|s| s.shard.index == index).count() {
            0 => return Err(format!("shard {index}/{count} is missing")),
            1 => {}
            n => return Err(format!("shard {index}/{count} is given {n} times")),
        }
    }
    let lessons = first.spec.lessons()?;
    let jobs = first.spec.jobs(&lessons);
    let mut rows = Vec::with_capacity(jobs.len());
    let mut taken = vec![0usize; count + 1];
    for (position, job) in jobs.iter().enumerate() {
        let index = position % count + 1;
        let shard = shards.iter().find(|s| s.shard.index == index).expect("checked above");
        let row = shard.rows.get(taken[index]).ok_or_else(|| format!("shard {index}/{count} has too few rows"))?;
        let lesson = &lessons[job.lesson];
        if row.lesson != lesson.id || row.arm != lesson.arms[job.arm].label || row.seed != job.seed {
            return Err(format!("shard {index}/{count}: row {} is {} / {} / seed {}, expected {} / {} / seed {}", taken[index] + 1, row.lesson, row.arm, row.seed, lesson.id, lesson.arms[job.arm].label, job.seed));
        }
        taken[index] += 1;
        rows.push(row.clone());
    }
    if let Some(s) = shards.iter().find(|s| s.rows.len() != taken[s.shard.index]) {
        return Err(format!("shard {}/{count} has {} rows, expected {}", s.shard.index, s.rows.len(), taken[s.shard.index]));
    }
    Ok((first.spec.clone(), rows))
}

/// The report of a whole run (the same from one process or from merged shards): a readable table
/// per lesson, then one JSON line with every definition, per-seed row and verdict.
pub fn report(spec: &RunSpec, lessons: &[Lesson], rows: &[ArmRow], json_out: bool) -> Result<String, String> {
    let mut text = String::new();
    let mut results = Vec::new();
    for lesson in lessons {
        let of_lesson: Vec<ArmRow> = rows.iter().filter(|r| r.lesson == lesson.id).cloned().collect();
        let judged = verdict(lesson, &of_lesson).ok_or_else(|| format!("{}: the rows are incomplete", lesson.id))?;
        text.push_str(&format!("== {}: {}\n", lesson.id, lesson.title));
        for arm in &lesson.arms {
            let of_arm: Vec<&ArmRow> = of_lesson.iter().filter(|r| r.arm == arm.label).collect();
            let summary = |f: &dyn Fn(&ArmRow) -> f64| summarise(&of_arm.iter().map(|r| f(r)).collect::<Vec<_>>()).ok_or("an arm has no rows");
            let (s, t, retained) = (summary(&|r| r.student_success)?, summary(&|r| r.teacher_success)?, summary(&|r| r.retained.unwrap_or(0.0))?);
            let labelled = of_arm.iter().map(|r| r.labelled as f64).sum::<f64>() / of_arm.len() as f64;
            let stopped = of_arm.iter().filter(|r| r.stopped_at.is_some()).count();
            text.push_str(&format!(
                "  {:<30} success {:.3} [{:.3}, {:.3}]  teacher {:.3}  retained {:.1}%  compute {:.2}%  labelled {:.0}{}\n",
                arm.label, s.mean, s.ci95[0], s.ci95[1], t.mean, 100.0 * retained.mean, 100.0 * of_arm[0].compute_used, labelled,
                if stopped > 0 { format!("  (stopped by the guard on {stopped} seeds)") } else { String::new() }
            ));
        }
        for part in &judged.parts {
            text.push_str(&format!(
                "  part: {:?} — {} = {:.3}, 95% interval [{:.3}, {:.3}] over {} seeds (threshold {})\n",
                part.verdict, part.measure, part.effect.mean, part.effect.ci95[0], part.effect.ci95[1], part.effect.n, part.threshold
            ));
        }
        for stop in &judged.stopped {
            text.push_str(&format!("  stopped: {} on seed {} at step {} (seed left out of the verdict)\n", stop.arm, stop.seed, stop.step));
        }
        text.push_str(&format!("  verdict: {:?}\n", judged.verdict));
        results.push(json!({"lesson": lesson, "judgement": judged, "rows": of_lesson}));
    }
    if json_out {
        let out = json!({"seeds": spec.seeds, "firstSeed": spec.first_seed, "evaluationMaps": spec.maps, "spec": spec, "lessons": results});
        text.push_str(&out.to_string());
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RunSpec {
        RunSpec { only: None, set: vec![], steps: Some(40), first_seed: 1001, seeds: 3, maps: 5 }
    }

    #[test]
    fn shards_cover_every_job_once() {
        let spec = spec();
        let lessons = spec.lessons().unwrap();
        let jobs = spec.jobs(&lessons);
        let arms: usize = lessons.iter().map(|l| l.arms.len()).sum();
        assert_eq!(jobs.len(), arms * 3);
        let mut seen: Vec<Job> = (1..=4).flat_map(|i| shard_jobs(&jobs, Some(Shard { index: i, count: 4 }))).collect();
        assert_eq!(seen.len(), jobs.len());
        seen.sort_by_key(|j| (j.lesson, j.arm, j.seed));
        assert_eq!(seen, jobs);
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(Shard::parse(bad).unwrap_err().contains("i/n"), "{bad}");
        }
        assert_eq!(Shard::parse("2/8").unwrap(), Shard { index: 2, count: 8 });
    }

    #[test]
    fn a_merge_refuses_shards_that_do_not_fit() {
        let spec = RunSpec { only: Some("trajectories".into()), ..spec() };
        let lessons = spec.lessons().unwrap();
        let jobs = spec.jobs(&lessons);
        let row = |j: &Job| ArmRow {
            lesson: lessons[j.lesson].id.into(), arm: lessons[j.lesson].arms[j.arm].label.into(), seed: j.seed, student_success: 0.5,
            teacher_success: 0.9, retained: Some(0.5 / 0.9), compute_used: 0.01, evaluation_maps: 5, labelled: 10, stopped_at: None,
        };
        let shard = |i: usize| ShardOutput { spec: spec.clone(), shard: Shard { index: i, count: 2 }, rows: shard_jobs(&jobs, Some(Shard { index: i, count: 2 })).iter().map(row).collect() };
        let (merged_spec, rows) = merge(&[shard(2), shard(1)]).unwrap();
        assert_eq!(merged_spec, spec);
        assert_eq!(rows, jobs.iter().map(row).collect::<Vec<_>>(), "job order, whatever the files' order");
        assert!(merge(&[shard(1)]).unwrap_err().contains("shard 2/2 is missing"));
        assert!(merge(&[shard(1), shard(1), shard(2)]).unwrap_err().contains("given 2 times"));
        let mut other = shard(2);
        other.spec.maps = 6;
        assert!(merge(&[shard(1), other]).unwrap_err().contains("other settings"));
        let mut short = shard(2);
        short.rows.pop();
        assert!(merge(&[shard(1), short]).unwrap_err().contains("too few rows"));
        let mut swapped = shard(1);
        swapped.rows.swap(0, 1);
        assert!(merge(&[swapped, shard(2)]).unwrap_err().contains("expected"));
    }
}
