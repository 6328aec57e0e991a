//! The bench in JavaScript (`npm run bench`): each workload of `crate::bench` timed in the browser
//! with `performance.now()`, its arguments checked.

use super::{json_from_js, now_ms, to_js, whole, WebError};
use crate::NamedChoice;
use wasm_bindgen::prelude::*;

/// `npm run bench`: training steps per second of a 245 → `hidden` → 5 student with the `engine`
/// ("fused" or "dfdx") on real observations, timed for about `seconds`.
#[wasm_bindgen(js_name = benchStudent)]
pub fn bench_student(engine: &str, hidden: f64, batch: f64, seconds: f64) -> Result<f64, WebError> {
    let (hidden, batch, seconds) = bench_arguments("benchStudent", hidden, batch, seconds)?;
    let engine = crate::student::Engine::parse(engine)
        .ok_or_else(|| WebError::plain(&format!("unknown engine '{engine}': choose dfdx or fused")))?;
    crate::bench::workloads::student_steps_per_second(engine, hidden, batch, seconds, &now_ms).map_err(|e| WebError::plain(&e))
}

/// `npm run bench`: training steps per second of the dense simd128 yardstick `inputs` → `hidden` → 5.
#[wasm_bindgen(js_name = benchYardstick)]
pub fn bench_yardstick(inputs: f64, hidden: f64, batch: f64, seconds: f64) -> Result<f64, WebError> {
    let inputs = whole("benchYardstick: inputs", inputs, 1.0, 4096.0)? as usize;
    let (hidden, batch, seconds) = bench_arguments("benchYardstick", hidden, batch, seconds)?;
    crate::bench::workloads::yardstick_steps_per_second(inputs, hidden, batch, seconds, &now_ms).map_err(|e| WebError::plain(&e))
}

/// `npm run bench`: greedy student decisions per second, `batch` observations at a time.
#[wasm_bindgen(js_name = benchDecisions)]
pub fn bench_decisions(hidden: f64, batch: f64, seconds: f64) -> Result<f64, WebError> {
    let (hidden, batch, seconds) = bench_arguments("benchDecisions", hidden, batch, seconds)?;
    crate::bench::workloads::decisions_per_second(hidden, batch, seconds, &now_ms).map_err(|e| WebError::plain(&e))
}

/// `npm run bench`: the scaling table, `{batches, widths, steps_per_s: [[…] per batch]}`.
#[wasm_bindgen(js_name = benchScaling)]
pub fn bench_scaling(seconds_per_cell: f64) -> Result<JsValue, WebError> {
    let seconds_per_cell = seconds_in("benchScaling: secondsPerCell", seconds_per_cell)?;
    use crate::bench::workloads::{scaling_table, SCALING_BATCHES, SCALING_WIDTHS};
    let table = scaling_table(seconds_per_cell, &now_ms);
    Ok(to_js(&serde_json::json!({"batches": SCALING_BATCHES, "widths": SCALING_WIDTHS, "steps_per_s": table})))
}

/// `npm run bench`: one of the bench's named runs (`crate::bench::run`: peak, useful-work,
/// dense-fused, dense-yardstick, dense-data, labelling, job-data, job-fused), its figures as an object.
#[wasm_bindgen(js_name = benchRun)]
pub fn bench_run(name: &str, options: JsValue) -> Result<JsValue, WebError> {
    let options = json_from_js(options, "options")?;
    crate::bench::run(name, &options, &now_ms).map(|figures| to_js(&figures)).map_err(|e| WebError::plain(&e))
}

/// A bench's timing in seconds: a finite number in (0, 600].
fn seconds_in(what: &str, seconds: f64) -> Result<f64, WebError> {
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 600.0 {
        return Err(WebError::plain(&format!("{what} must be a number of seconds in (0, 600], got {seconds}")));
    }
    Ok(seconds)
}

/// A bench's width, batch and seconds, checked: width 1..=1024, batch 1..=4096.
fn bench_arguments(what: &str, hidden: f64, batch: f64, seconds: f64) -> Result<(usize, usize, f64), WebError> {
    Ok((
        whole(&format!("{what}: hidden"), hidden, 1.0, 1024.0)? as usize,
        whole(&format!("{what}: batch"), batch, 1.0, 4096.0)? as usize,
        seconds_in(&format!("{what}: seconds"), seconds)?,
    ))
}
