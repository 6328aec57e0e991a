//! The lessons in JavaScript: the catalogue, one arm of a lesson on one seed (`LessonRun`, trained
//! in slices for its learning curve), and the verdict of the rows; each optionally at a point of the
//! lesson's map (`point`: `{field: value}`, the rule's arms with those settings, as `distill map`).

use super::{refuse_without_teacher, to_js, whole, WebError};
use crate::training::lessons::{lesson, regimes::at_point, ArmRun, CohortRun, Lesson, MAX_ARM_MAPS, MAX_ARM_STEPS};
use crate::training::settings::Settings;
use wasm_bindgen::prelude::*;

/// The lesson catalogue (`training::lessons`): id, title, claim, reference, experiment, arms, the
/// verdict's rule, and the page's scale (`pageSteps`; `pageSeeds` and `pageMaps` on every lesson).
#[wasm_bindgen]
pub fn lessons() -> JsValue {
    use crate::training::lessons::{lessons, PAGE_EVALUATION_MAPS, PAGE_SEEDS};
    let with_scale: Vec<serde_json::Value> = lessons()
        .iter()
        .map(|l| {
            let mut value = serde_json::to_value(l).expect("plain values");
            value["pageSeeds"] = serde_json::json!(PAGE_SEEDS);
            value["pageMaps"] = serde_json::json!(PAGE_EVALUATION_MAPS);
            value
        })
        .collect();
    to_js(&with_scale)
}

/// Lesson `id`, or at `point` of its map when `point` is an object (`undefined` or `null`: the
/// lesson itself); errors prefixed with `what`.
fn lesson_at(what: &str, id: &str, point: &JsValue) -> Result<Lesson, WebError> {
    let found = lesson(id).map_err(|e| WebError::plain(&format!("{what}: {e}")))?;
    if point.is_undefined() || point.is_null() {
        return Ok(found);
    }
    let settings = super::json_from_js(point.clone(), &format!("{what}: point"))?;
    at_point(&found, &settings).map_err(|e| WebError::plain(&format!("{what}: point: {e}")))
}

/// `lessonAtPoint(id, point)`: the lesson as a point of its map runs it (the arms its rule names,
/// each with the point's settings), in the catalogue's form; a bad setting is refused by name.
#[wasm_bindgen(js_name = lessonAtPoint)]
pub fn lesson_at_point(id: &str, point: JsValue) -> Result<JsValue, WebError> {
    Ok(to_js(&lesson_at("lessonAtPoint", id, &point)?))
}

/// A lesson run's arguments, checked: lesson `id` (at `point`, if given) scaled to `steps`
/// distillation steps (its RL steps alike), the arm numbers `arms`, the seed and the number of
/// evaluation maps; errors prefixed with `what` (the JS name that was called).
fn checked_run(what: &str, id: &str, arms: &[f64], seed: f64, maps: f64, steps: f64, point: &JsValue) -> Result<(Lesson, Vec<usize>, u64, usize), WebError> {
    let found = lesson_at(what, id, point)?;
    let arms = arms.iter().map(|&a| whole(&format!("{what}: arm"), a, 0.0, found.arms.len() as f64 - 1.0).map(|a| a as usize)).collect::<Result<Vec<_>, _>>()?;
    let seed = whole(&format!("{what}: seed"), seed, 0.0, 4_294_967_295.0)? as u64;
    let maps = whole(&format!("{what}: maps"), maps, 1.0, MAX_ARM_MAPS as f64)? as usize;
    let steps = whole(&format!("{what}: steps"), steps, 1.0, MAX_ARM_STEPS as f64)? as u32;
    refuse_without_teacher(&Settings::default())?;
    Ok((found.at_steps(steps), arms, seed, maps))
}

/// Arm `arm` of lesson `id` (at `point`, if given) on `seed`, ready to train `steps` distillation
/// steps and to measure on `maps` evaluation maps (`checked_run`'s checks).
fn checked_arm_run(what: &str, id: &str, arm: f64, seed: f64, maps: f64, steps: f64, point: &JsValue) -> Result<ArmRun, WebError> {
    let (scaled, arms, seed, maps) = checked_run(what, id, &[arm], seed, maps, steps, point)?;
    ArmRun::new(&scaled, &scaled.arms[arms[0]], seed, maps).map_err(|e| WebError::plain(&format!("{what}: {e}")))
}

/// `runLessonArm(id, arm, seed, maps, steps, point?)`: trains arm number `arm` of lesson `id` on
/// `seed` for `steps` steps and measures it and the teacher on the seed's `maps` evaluation maps
/// (one row of `distill lessons`, or of `distill map` at `point`).
#[wasm_bindgen(js_name = runLessonArm)]
pub fn run_lesson_arm(id: &str, arm: f64, seed: f64, maps: f64, steps: f64, point: JsValue) -> Result<JsValue, WebError> {
    let row = checked_arm_run("runLessonArm", id, arm, seed, maps, steps, &point)?.finish().map_err(|e| WebError::plain(&format!("runLessonArm: {e}")))?;
    Ok(to_js(&row))
}

/// One arm of a lesson on one seed, trained in slices so the page can draw its learning curve:
/// `new LessonRun(id, arm, seed, maps, steps, point?)` (arguments checked as `runLessonArm`'s),
/// `advance(n)` → true while steps remain, `probe()` → `{step, total, success}` on the first 50
/// evaluation maps, `finish()` → the row (and the run is spent).
#[wasm_bindgen]
pub struct LessonRun {
    run: Option<ArmRun>,
}

#[wasm_bindgen]
impl LessonRun {
    #[wasm_bindgen(constructor)]
    pub fn new(id: &str, arm: f64, seed: f64, maps: f64, steps: f64, point: JsValue) -> Result<LessonRun, WebError> {
        Ok(LessonRun { run: Some(checked_arm_run("LessonRun", id, arm, seed, maps, steps, &point)?) })
    }

    fn run(&mut self) -> Result<&mut ArmRun, WebError> {
        self.run.as_mut().ok_or_else(|| WebError::plain("LessonRun: this run has finished"))
    }

    /// Trains up to `steps` more steps (1..=200,000); true while steps remain.
    pub fn advance(&mut self, steps: f64) -> Result<bool, WebError> {
        let steps = whole("LessonRun.advance: steps", steps, 1.0, MAX_ARM_STEPS as f64)? as u32;
        self.run()?.advance(steps).map_err(|e| WebError::plain(&format!("LessonRun: {e}")))
    }

    /// The learning curve's point now: `{step, total, success}`.
    pub fn probe(&mut self) -> Result<JsValue, WebError> {
        Ok(to_js(&self.run()?.probe()))
    }

    /// Measures on every evaluation map and returns the row (as `runLessonArm`'s).
    pub fn finish(&mut self) -> Result<JsValue, WebError> {
        let run = self.run.take().ok_or_else(|| WebError::plain("LessonRun: this run has finished"))?;
        Ok(to_js(&run.finish().map_err(|e| WebError::plain(&format!("LessonRun: {e}")))?))
    }
}

/// `lessonCohorts(id, point?)`: the lesson's arms (at `point`, if given) grouped as they can train
/// together on one seed (`LessonCohort`): arms that differ only in width share a group.
#[wasm_bindgen(js_name = lessonCohorts)]
pub fn lesson_cohorts(id: &str, point: JsValue) -> Result<JsValue, WebError> {
    Ok(to_js(&crate::training::lessons::cohorts(&lesson_at("lessonCohorts", id, &point)?)))
}

/// Arms of a lesson on one seed trained together, as `lessonCohorts` groups them (each arm's row
/// is the one `LessonRun` gives): `new LessonCohort(id, arms, seed, maps, steps, point?)` (`arms` an
/// array of arm numbers; the rest as `LessonRun`'s), `advance(n)` → true while steps remain,
/// `probe()` → each arm's `{step, total, success}`, `finish()` → each arm's row (the run is spent).
#[wasm_bindgen]
pub struct LessonCohort {
    run: Option<CohortRun>,
}

#[wasm_bindgen]
impl LessonCohort {
    #[wasm_bindgen(constructor)]
    pub fn new(id: &str, arms: Vec<f64>, seed: f64, maps: f64, steps: f64, point: JsValue) -> Result<LessonCohort, WebError> {
        const WHAT: &str = "LessonCohort";
        if arms.is_empty() {
            return Err(WebError::plain("LessonCohort: arms must name at least one arm"));
        }
        let (scaled, arms, seed, maps) = checked_run(WHAT, id, &arms, seed, maps, steps, &point)?;
        let run = CohortRun::new(&scaled, &arms, seed, maps).map_err(|e| WebError::plain(&format!("{WHAT}: {e}")))?;
        Ok(LessonCohort { run: Some(run) })
    }

    fn run(&mut self) -> Result<&mut CohortRun, WebError> {
        self.run.as_mut().ok_or_else(|| WebError::plain("LessonCohort: this run has finished"))
    }

    /// Trains every arm up to `steps` more steps (1..=200,000); true while steps remain.
    pub fn advance(&mut self, steps: f64) -> Result<bool, WebError> {
        let steps = whole("LessonCohort.advance: steps", steps, 1.0, MAX_ARM_STEPS as f64)? as u32;
        self.run()?.advance(steps).map_err(|e| WebError::plain(&format!("LessonCohort: {e}")))
    }

    /// Each arm's learning-curve point now: `[{step, total, success}]`, in the order of `arms`.
    pub fn probe(&mut self) -> Result<JsValue, WebError> {
        Ok(to_js(&self.run()?.probe()))
    }

    /// Measures every arm on every evaluation map and returns their rows, in the order of `arms`.
    pub fn finish(&mut self) -> Result<JsValue, WebError> {
        let run = self.run.take().ok_or_else(|| WebError::plain("LessonCohort: this run has finished"))?;
        Ok(to_js(&run.finish().map_err(|e| WebError::plain(&format!("LessonCohort: {e}")))?))
    }
}

/// `lessonVerdict(id, rows, point?)`: the lesson's rule (at `point`, if given) applied to its rows
/// (every arm on the same seeds), by the same code as `distill lessons`.
#[wasm_bindgen(js_name = lessonVerdict)]
pub fn lesson_verdict(id: &str, rows: JsValue, point: JsValue) -> Result<JsValue, WebError> {
    use crate::training::lessons::{verdict, ArmRow};
    let found = lesson_at("lessonVerdict", id, &point)?;
    let rows: Vec<ArmRow> = serde_json::from_value(super::json_from_js(rows, "rows")?).map_err(|e| WebError::plain(&format!("lessonVerdict: rows: {e}")))?;
    let judged = verdict(&found, &rows).ok_or_else(|| WebError::plain("lessonVerdict: every arm needs a row on every seed"))?;
    Ok(to_js(&judged))
}
