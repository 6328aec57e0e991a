//! `distill compare`: a grid of settings (a scenario, or `--vary`) over several seeds, with means,
//! sample SDs and t-intervals over seeds and every seed's value kept.

use crate::pool;
use distill_playground::training::lessons::jobs::parse_value;
use distill_playground::training::session::Session;
use rayon::prelude::*;
use serde_json::{json, Value};

pub fn compare(scenario: Option<String>, vary: &[String], set: &[String], seeds: std::ops::Range<u64>, steps: Option<u32>, threads: usize, json_out: bool) -> Result<(), String> {
    use distill_playground::training::scenarios::{merged, scenarios, Variant};
    if seeds.is_empty() {
        return Err("--seeds must be at least 1".into());
    }
    let mut base = json!({});
    for pair in set {
        let (field, value) = pair.split_once('=').ok_or_else(|| format!("--set {pair:?}: expected field=value"))?;
        base[field] = parse_value(value);
    }
    let (title, metric, mut variants, default_steps) = match &scenario {
        Some(id) => {
            let all = scenarios();
            let found = all.into_iter().find(|s| s.id == id).ok_or_else(|| {
                format!("unknown scenario {id:?}: choose one of {}", scenarios().iter().map(|s| s.id).collect::<Vec<_>>().join(", "))
            })?;
            base = merged(&found.base, &base);
            (found.title.to_string(), found.metric.to_string(), found.variants, found.steps)
        }
        None => ("custom comparison".to_string(), "studentSuccess".to_string(), vec![Variant { label: "base".into(), settings: json!({}), then: None, then_steps: 0 }], 2000),
    };
    for axis in vary {
        let (field, values) = axis.split_once('=').ok_or_else(|| format!("--vary {axis:?}: expected field=v1,v2,..."))?;
        let mut next = Vec::new();
        for v in &variants {
            for value in values.split(',') {
                let label = if v.label == "base" { format!("{field}={value}") } else { format!("{}, {field}={value}", v.label) };
                let settings = merged(&v.settings, &json!({ field: parse_value(value) }));
                next.push(Variant { label, settings, then: v.then.clone(), then_steps: v.then_steps });
            }
        }
        variants = next;
    }
    let steps = steps.unwrap_or(default_steps);
    // Check every arm's settings before spending any time.
    for v in &variants {
        Session::new(&merged(&base, &v.settings)).map_err(|e| format!("{}: {e}", v.label))?;
    }
    let jobs: Vec<(usize, u64)> = (0..variants.len()).flat_map(|i| seeds.clone().map(move |s| (i, s))).collect();
    // rayon keeps the results in job order (arm, then seed).
    let results: Vec<(usize, u64, Value)> = pool(threads)?.install(|| {
        jobs.par_iter()
            .map(|&(arm, seed)| {
                let variant = &variants[arm];
                let settings = merged(&merged(&base, &variant.settings), &json!({"seed": seed}));
                let mut session = Session::new(&settings).expect("checked above");
                session.train(steps);
                if let Some(then) = &variant.then {
                    session.set(then).expect("scenario settings are valid (tested)");
                    session.train(variant.then_steps);
                }
                let ledger = serde_json::to_value(session.ledger(None)).expect("plain numbers");
                eprintln!("{} seed {seed}: {metric} {}", variant.label, ledger[metric.as_str()]);
                (arm, seed, ledger)
            })
            .collect()
    });
    const FIELDS: [&str; 7] = ["studentSuccess", "studentHeldoutSuccess", "agreement", "meanKl", "teacherSuccess", "teacherHeldoutSuccess", "retained"];
    let mut rows = Vec::new();
    for (arm, variant) in variants.iter().enumerate() {
        let mut of_arm: Vec<&(usize, u64, Value)> = results.iter().filter(|(a, _, _)| *a == arm).collect();
        of_arm.sort_by_key(|(_, seed, _)| *seed);
        let ledgers: Vec<&Value> = of_arm.iter().map(|(_, _, l)| l).collect();
        let mut row = json!({"label": variant.label, "settings": merged(&base, &variant.settings), "seeds": ledgers.len()});
        for field in FIELDS {
            let values: Vec<f64> = ledgers.iter().filter_map(|l| l[field].as_f64()).collect();
            // Sample SD and the 95% t-interval over seeds (`measure::stats`); every seed's value kept.
            row[field] = match distill_playground::measure::stats::summarise(&values) {
                Some(s) => json!({"mean": s.mean, "sd": s.sd, "ci95": s.ci95, "perSeed": values}),
                None => json!({"mean": null, "sd": null, "perSeed": values}),
            };
        }
        rows.push(row);
    }
    println!("{title} — seeds {}–{}, {steps} steps (mean ± sample sd)", seeds.start, seeds.end - 1);
    println!("{:<28} {:>15} {:>15} {:>15} {:>15} {:>15}", "arm", "student success", "held-out", "agreement", "teacher success", "mean KL");
    for row in &rows {
        let cell = |f: &str| format!("{:.3} ± {:.3}", row[f]["mean"].as_f64().unwrap_or(0.0), row[f]["sd"].as_f64().unwrap_or(0.0));
        println!(
            "{:<28} {:>15} {:>15} {:>15} {:>15} {:>15}",
            row["label"].as_str().unwrap_or(""),
            cell("studentSuccess"),
            cell("studentHeldoutSuccess"),
            cell("agreement"),
            cell("teacherSuccess"),
            cell("meanKl")
        );
    }
    if json_out {
        println!("{}", json!({"title": title, "metric": metric, "seeds": seeds.end - seeds.start, "firstSeed": seeds.start, "steps": steps, "rows": rows}));
    }
    Ok(())
}

