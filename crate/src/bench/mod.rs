//! Timed workloads for `npm run bench` and `distill bench`, the dense yardstick they are compared
//! against, the simd128 peak, the training job shared with TF.js, and the soak schedule of the
//! long-run tests. Uses everything; nothing uses it.

pub mod job;
pub mod peak;
pub mod soak;
pub mod workloads;
pub mod yardstick;

use serde_json::{json, Value};

/// The batched step the bench measures by default: the compression lesson's six widths as one
/// cohort (`FusedMlp::cohort`), as the Lessons view trains them.
pub const COHORT_WIDTHS: [usize; 6] = crate::student::CURVE_WIDTHS;

/// The bench's named runs (the page calls them through `benchRun(name, options)`; `distill bench`
/// calls the same functions): each reads its options from `options` (defaults: the reference
/// workload, 245 → 64 → 5, batch 64; a cohort's `widths`, `COHORT_WIDTHS`) and returns its figures as JSON.
pub fn run(name: &str, options: &Value, now: &dyn Fn() -> f64) -> Result<Value, String> {
    let number = |key: &str, default: f64, low: f64, high: f64| -> Result<f64, String> {
        match options.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(value) => value
                .as_f64()
                .filter(|v| v.is_finite() && (low..=high).contains(v))
                .ok_or_else(|| format!("bench {name}: {key} must be a number in {low}..={high}, got {value}")),
        }
    };
    let seconds = number("seconds", 1.5, 0.001, 600.0)?;
    let hidden = number("hidden", 64.0, 1.0, 1024.0)? as usize;
    let batch = number("batch", 64.0, 1.0, 1024.0)? as usize;
    let teacher = || {
        if crate::teacher::bundled::teacher_available() {
            Ok(crate::teacher::bundled::bundled_teacher())
        } else {
            Err(format!("bench {name} needs the teacher's weights, which are not loaded"))
        }
    };
    Ok(match name {
        "peak" => json!(peak::measure(seconds, now)),
        "useful-work" => json!(workloads::useful_work(hidden, batch, seconds, now)?),
        "step-parts" => json!(workloads::step_parts(hidden, batch, seconds, now)?),
        "cohort-work" | "cohort-parts" => {
            let widths: Vec<usize> = match options.get("widths") {
                None | Some(Value::Null) => COHORT_WIDTHS.to_vec(),
                Some(value) => serde_json::from_value(value.clone())
                    .ok()
                    .filter(|w: &Vec<usize>| !w.is_empty() && w.len() <= 16 && w.iter().all(|&h| (1..=1024).contains(&h)))
                    .ok_or_else(|| format!("bench {name}: widths must be 1 to 16 whole numbers in 1..=1024, got {value}"))?,
            };
            if name == "cohort-work" {
                let mut figures = json!(workloads::cohort_useful_work(&widths, batch, seconds, now)?);
                figures["widths"] = json!(widths);
                figures
            } else {
                json!(workloads::cohort_step_parts(&widths, batch, seconds, now)?)
            }
        }
        "dense-fused" => json!({"steps_per_s": workloads::fused_dense_steps_per_second(hidden, batch, seconds, now)?,
            "multiply_adds_per_step": workloads::dense_multiply_adds_per_step(crate::env::observation::OBS_LEN, hidden, batch)}),
        "dense-yardstick" => {
            let inputs = number("inputs", crate::env::observation::OBS_LEN as f64, 1.0, 4096.0)? as usize;
            json!({"steps_per_s": workloads::yardstick_steps_per_second(inputs, hidden, batch, seconds, now)?,
                "multiply_adds_per_step": workloads::dense_multiply_adds_per_step(inputs, hidden, batch)})
        }
        "dense-data" => workloads::dense_data(crate::env::observation::OBS_LEN, batch),
        "labelling" => json!(workloads::labelling_rate(teacher()?, number("maps", 256.0, 1.0, 4096.0)? as usize, seconds, now)?),
        "job-data" | "job-fused" => {
            let spec: job::JobSpec = match options.get("job") {
                Some(value) => serde_json::from_value(value.clone()).map_err(|e| format!("bench {name}: job: {e}"))?,
                None => job::JobSpec::default(),
            };
            let teacher = teacher()?;
            let job = job::DistillJob::new(spec, |obs, n| teacher.logits(obs, n))?;
            if name == "job-data" {
                job.data()?
            } else {
                json!(job.run_fused(now)?)
            }
        }
        other => return Err(format!("unknown bench '{other}': peak, useful-work, step-parts, cohort-work, cohort-parts, dense-fused, dense-yardstick, dense-data, labelling, job-data or job-fused")),
    })
}
