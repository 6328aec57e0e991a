//! `distill lessons` (the catalogue's jobs on every core, or one shard of them), `distill merge`
//! (shards joined into the report the whole run prints, byte for byte) and `distill map` (one lesson
//! over a grid of its key variables).

use distill_playground::training::lessons::jobs::{merge, report, shard_jobs, RunSpec, Shard, ShardOutput};
use distill_playground::training::lessons::regimes::{map_report, MapSpec};
use distill_playground::training::lessons::{run_arm, ArmRow};
use crate::pool;
use rayon::prelude::*;
use std::time::Instant;

/// Runs the spec's jobs (or those of `shard`) with `threads` threads (0: one per core) and prints
/// the report (a shard prints its rows as one JSON object, for `distill merge`).
pub fn lessons(spec: RunSpec, shard: Option<String>, threads: usize, json_out: bool) -> Result<(), String> {
    let shard = shard.as_deref().map(Shard::parse).transpose()?;
    let lessons = spec.lessons()?;
    let jobs = shard_jobs(&spec.jobs(&lessons), shard);
    let started = Instant::now();
    // Each job is deterministic and independent; rayon keeps the results in job order.
    let rows: Vec<ArmRow> = pool(threads)?.install(|| {
        jobs.par_iter()
            .map(|job| {
                let lesson = &lessons[job.lesson];
                let row = run_arm(lesson, &lesson.arms[job.arm], job.seed, spec.maps).map_err(|e| e.to_string())?;
                eprintln!(
                    "[{:>5.0} s] {} / {} / seed {}: success {:.3} (teacher {:.3}){}",
                    started.elapsed().as_secs_f64(), row.lesson, row.arm, row.seed, row.student_success, row.teacher_success,
                    row.stopped_at.map(|s| format!(", stopped by the guard at step {s}")).unwrap_or_default()
                );
                Ok(row)
            })
            .collect::<Result<_, String>>()
    })?;
    match shard {
        Some(shard) => println!("{}", serde_json::to_string(&ShardOutput { spec, shard, rows }).expect("plain values")),
        None => print!("{}", report(&spec, &lessons, &rows, json_out)?),
    }
    Ok(())
}

/// Reads the shards' files (each the output of `distill lessons --shard i/n`) and prints the report.
pub fn merge_files(files: &[std::path::PathBuf], json_out: bool) -> Result<(), String> {
    let shards: Vec<ShardOutput> = files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(text.trim()).map_err(|e| format!("{} is not the output of `distill lessons --shard i/n`: {e}", path.display()))
        })
        .collect::<Result<_, String>>()?;
    let (spec, rows) = merge(&shards)?;
    let lessons = spec.lessons()?;
    print!("{}", report(&spec, &lessons, &rows, json_out)?);
    Ok(())
}

/// Runs every point of the map (every arm and seed of each) on `threads` threads and prints its report.
pub fn map(spec: MapSpec, threads: usize) -> Result<(), String> {
    let (lessons, jobs) = spec.jobs()?;
    let started = Instant::now();
    let rows: Vec<(usize, ArmRow)> = pool(threads)?.install(|| {
        jobs.par_iter()
            .map(|j| {
                let lesson = &lessons[j.point];
                let row = run_arm(lesson, &lesson.arms[j.job.arm], j.job.seed, spec.run.maps).map_err(|e| e.to_string())?;
                eprintln!("[{:>5.0} s] point {} / {} / seed {}: success {:.3}", started.elapsed().as_secs_f64(), j.point + 1, row.arm, row.seed, row.student_success);
                Ok((j.point, row))
            })
            .collect::<Result<_, String>>()
    })?;
    print!("{}", map_report(&spec, &lessons, &rows)?);
    Ok(())
}
