//! `distill sweep`: the compression curve, students of widths 4–128 across random maps, measured on
//! the held-out maps as ability retained against compute used.

use crate::pool;
use distill_playground::student::CURVE_WIDTHS;
use distill_playground::training::ledger::Ledger;
use distill_playground::training::session::Session;
use rayon::prelude::*;
use serde_json::{json, Value};

pub fn sweep(steps: u32, seeds: u64, loss: &str, temperature: f64, maps: u32, threads: usize, json: bool) -> Result<(), String> {
    if seeds == 0 {
        return Err("--seeds must be at least 1".into());
    }
    let jobs: Vec<(u32, u64)> = CURVE_WIDTHS.iter().flat_map(|&w| (1..=seeds).map(move |s| (w as u32, s))).collect();
    // Every core: rayon shares the jobs out and keeps the results in job order (width, then seed).
    let results: Vec<(u32, u64, Ledger)> = pool(threads)?.install(|| {
        jobs.par_iter()
            .map(|&(width, seed)| {
                let settings = json!({"trainMaps": maps, "hidden": width, "seed": seed, "loss": loss, "temperature": temperature});
                let mut session = Session::new(&settings).map_err(|e| e.to_string())?;
                session.train(steps);
                let ledger = session.ledger(None);
                eprintln!("width {width:>3} seed {seed}: held-out success {:.3}", ledger.student_heldout_success);
                Ok((width, seed, ledger))
            })
            .collect::<Result<_, String>>()
    })?;
    let mut rows = Vec::new();
    for width in CURVE_WIDTHS.map(|w| w as u32) {
        let of_width: Vec<_> = results.iter().filter(|(w, _, _)| *w == width).map(|(_, _, l)| l).collect();
        let n = of_width.len() as f32;
        let mean = |f: &dyn Fn(&&Ledger) -> f32| of_width.iter().map(f).sum::<f32>() / n;
        let retained: Vec<f32> = of_width.iter().map(|l| l.retained.unwrap_or(0.0)).collect();
        let mean_retained = retained.iter().sum::<f32>() / n;
        let spread = (retained.iter().map(|r| (r - mean_retained).powi(2)).sum::<f32>() / n).sqrt();
        let first = of_width[0];
        // Every seed's row is kept, and the summary over seeds uses the sample SD and a t-interval.
        let mut per_seed: Vec<_> = results.iter().filter(|(w, _, _)| *w == width).collect();
        per_seed.sort_by_key(|(_, seed, _)| *seed);
        let seed_rows: Vec<Value> = per_seed.iter().map(|(_, seed, l)| json!({
            "seed": seed, "studentHeldoutSuccess": l.student_heldout_success,
            "teacherHeldoutSuccess": l.teacher_heldout_success, "retained": l.retained,
        })).collect();
        let retained_summary = distill_playground::measure::stats::summarise(&retained.iter().map(|r| *r as f64).collect::<Vec<_>>());
        rows.push(json!({
            "hidden": width,
            "studentParams": first.student_params,
            "teacherParams": first.teacher_params,
            "computeUsed": first.compute_used,
            "paramsUsed": first.teacher_params.map(|t| first.student_params as f64 / t as f64),
            "studentHeldoutSuccess": mean(&|l| l.student_heldout_success),
            "teacherHeldoutSuccess": mean(&|l| l.teacher_heldout_success),
            "retained": mean_retained,
            "retainedStd": spread,
            "retainedSummary": retained_summary,
            "perSeed": seed_rows,
            "seeds": of_width.len(),
        }));
    }
    println!("{:>6} {:>8} {:>9} {:>9} {:>9} {:>12}", "hidden", "params", "params %", "compute %", "success", "retained");
    for row in &rows {
        println!(
            "{:>6} {:>8} {:>8.2}% {:>8.2}% {:>9.3} {:>7.1}% ±{:.1}",
            row["hidden"], row["studentParams"],
            100.0 * row["paramsUsed"].as_f64().unwrap_or(0.0),
            100.0 * row["computeUsed"].as_f64().unwrap_or(0.0),
            row["studentHeldoutSuccess"].as_f64().unwrap_or(0.0),
            100.0 * row["retained"].as_f64().unwrap_or(0.0),
            100.0 * row["retainedStd"].as_f64().unwrap_or(0.0),
        );
    }
    if json {
        println!("{}", json!({"steps": steps, "seeds": seeds, "loss": loss, "temperature": temperature, "rows": rows}));
    }
    Ok(())
}

