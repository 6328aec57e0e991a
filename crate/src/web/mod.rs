//! The JavaScript API (`Playground`, `lossValue`): the only code that touches wasm-bindgen.
//! It converts JS values with serde-wasm-bindgen, calls the session, and turns errors into `Error`s.

pub mod bench;
mod error;
mod lessons;
mod render;

use crate::student::loss::{LossKind, LossSpec};
use crate::teacher::bundled::{install_teacher, teacher_available};
use crate::training::session::{Session, Who};
use crate::training::settings::Settings;
use crate::teacher::targets::TeacherKind;
use crate::NamedChoice;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
pub use error::WebError;

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Panics are logged to the console (with the Rust message) and kept for `lastPanic()`, so the page
/// can show a readable message instead of "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
    }));
}

/// The message of the last Rust panic, if one happened (then this module instance is unusable:
/// reload the page).
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|last| last.borrow().clone())
}

/// Panics on purpose: lets the tests check that a panic reaches the page as a readable message.
#[wasm_bindgen(js_name = panicForTesting)]
pub fn panic_for_testing() {
    panic!("panic requested by panicForTesting()");
}

/// Aborts on purpose (a WebAssembly trap that is not a panic, as running out of memory would be):
/// lets the tests check that the page reports the first cause and keeps it.
#[wasm_bindgen(js_name = abortForTesting)]
pub fn abort_for_testing() {
    std::process::abort();
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// Reads a JS value (object or undefined) as JSON, naming the argument on failure.
fn json_from_js(value: JsValue, what: &str) -> Result<serde_json::Value, WebError> {
    if value.is_undefined() || value.is_null() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| WebError::plain(&format!("{what}: {e}")))
}

/// Milliseconds from the page's (or worker's) high-resolution clock.
fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Settings that use the neural teacher need its weights: compiled in (`embedded-teacher`, as in
/// the tests) or given to `loadTeacher` (the page's wasm; `ready()` in www/playground.js does it).
fn refuse_without_teacher(settings: &Settings) -> Result<(), WebError> {
    if settings.teacher == TeacherKind::Oracle || teacher_available() {
        return Ok(());
    }
    Err(WebError::plain("teacher: the neural teacher's weights are not loaded yet: call loadTeacher(bytes) first (ready() does), or use teacher: 'oracle'"))
}

/// Installs the neural teacher from its weights file (`teacher.safetensors`, served beside the
/// wasm). A file that is not a valid teacher is refused with the reason.
#[wasm_bindgen(js_name = loadTeacher)]
pub fn load_teacher(bytes: &[u8]) -> Result<(), WebError> {
    install_teacher(bytes).map_err(|e| WebError::plain(&e))
}

/// Whether the neural teacher can be used (compiled in, or loaded with `loadTeacher`).
#[wasm_bindgen(js_name = teacherLoaded)]
pub fn teacher_loaded() -> bool {
    teacher_available()
}

/// A training session in the browser: a map, its teacher and a student learning from it.
#[wasm_bindgen]
pub struct Playground {
    session: Session,
}

/// Most steps one `train` call takes: about 3 minutes of the fused step at width 32 on one core.
pub const MAX_TRAIN_CALL: f64 = 1_000_000.0;

/// `checkTrainSteps(n)`: `n` if it is a step count `train` takes (a whole number in
/// 0..=1,000,000), else throws the Error `train` would, naming the argument.
#[wasm_bindgen(js_name = checkTrainSteps)]
pub fn check_train_steps(steps: f64) -> Result<f64, WebError> {
    whole("train: steps", steps, 0.0, MAX_TRAIN_CALL)
}

#[wasm_bindgen]
impl Playground {
    /// `new Playground(config)`: every field optional; a bad field throws an Error naming it.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Playground, WebError> {
        let update = json_from_js(config, "config")?;
        let mut settings = Settings::default();
        settings.apply(&update).map_err(WebError::config)?;
        refuse_without_teacher(&settings)?;
        Ok(Playground { session: Session::from_settings(settings) })
    }

    /// Training steps so far: cheap to read every frame (`train(0)` also measures agreement).
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.session.step_count() as f64
    }

    /// Runs `steps` gradient steps (a whole number in 0..=`MAX_TRAIN_CALL`; anything else throws
    /// an Error naming it and trains nothing); returns `{step, loss, agreement}`. The page's live
    /// `playground.train(n)` sends long requests to its worker, which trains them in slices.
    pub fn train(&mut self, steps: f64) -> Result<JsValue, WebError> {
        let steps = check_train_steps(steps)? as u32;
        Ok(to_js(&self.session.train(steps)))
    }

    /// Where training stands, without training: `{step, loss, agreement, diverged}` (as `train` returns).
    pub fn report(&self) -> JsValue {
        to_js(&self.session.report())
    }

    /// This session's training progress (weights, step, loss, counts) as bytes: what the page's
    /// training worker posts to the drawing thread after each slice of steps.
    pub fn snapshot(&self) -> Vec<u8> {
        crate::io::snapshot::encode(&self.session.progress())
    }

    /// Takes on a snapshot of a session with the same settings that trained elsewhere, so this
    /// one draws and answers for it; a snapshot of other settings throws and changes nothing.
    pub fn adopt(&mut self, snapshot: &[u8]) -> Result<(), WebError> {
        let progress = crate::io::snapshot::decode(snapshot).map_err(|e| WebError::plain(&e))?;
        self.session.adopt(progress).map_err(|e| WebError::plain(&e))
    }

    /// Applies a partial config: temperature, loss, lr, batch live; map, seed, hidden reset.
    pub fn set(&mut self, partial: JsValue) -> Result<(), WebError> {
        let update = json_from_js(partial, "config")?;
        let mut trial = self.session.settings().clone();
        trial.apply(&update).map_err(WebError::config)?;
        refuse_without_teacher(&trial)?;
        self.session.set(&update).map_err(WebError::config)
    }

    /// The full current config as a plain object.
    pub fn config(&self) -> JsValue {
        to_js(self.session.settings())
    }

    /// Five probabilities (up, down, left, right, stay) at column x, row y. `who` is
    /// `"teacher"` (at the current temperature, or `temperature` if given) or `"student"`.
    pub fn probs(&self, who: &str, x: f64, y: f64, temperature: Option<f64>) -> Result<Vec<f32>, WebError> {
        let who = match who {
            "teacher" => Who::Teacher,
            "student" => Who::Student,
            other => return Err(WebError::plain(&format!("probs: who must be \"teacher\" or \"student\", got {other:?}"))),
        };
        if x.fract() != 0.0 || y.fract() != 0.0 || !x.is_finite() || !y.is_finite() {
            return Err(WebError::plain(&format!("probs: x and y must be whole numbers, got ({x}, {y})")));
        }
        let tau = match temperature {
            Some(t) if !(0.1..=10.0).contains(&t) => {
                return Err(WebError::plain(&format!("probs: temperature {t} is out of range 0.1..=10")))
            }
            other => other.map(|t| t as f32),
        };
        let p = self.session.probs(who, x as i64, y as i64, tau).map_err(|e| WebError::plain(&format!("probs: {e}")))?;
        Ok(p.to_vec())
    }

    /// You are the teacher: logs a person's move `action` (0 up, 1 down, 2 left, 3 right, 4 stay) at
    /// column x, row y of the map shown as a labelled state (`data: "human"`); returns `[x, y]` of the
    /// cell the move leads to. A bad argument throws an Error naming it and logs nothing.
    pub fn demonstrate(&mut self, x: f64, y: f64, action: f64) -> Result<Vec<u32>, WebError> {
        let x = whole("demonstrate: x", x, -1e9, 1e9)? as i64;
        let y = whole("demonstrate: y", y, -1e9, 1e9)? as i64;
        let action = whole("demonstrate: action", action, 0.0, 4.0)? as usize;
        let to = self.session.demonstrate(x, y, action).map_err(|e| WebError::message("demonstrate: ", None, &e))?;
        Ok(vec![to[0] as u32, to[1] as u32])
    }

    /// DAgger with a person: `{at: [x, y], after, studentMove}`, the first state on the student's own
    /// greedy path from the start that no one has demonstrated, or null when its whole path was.
    pub fn question(&self) -> JsValue {
        match self.session.question() {
            Some(question) => to_js(&question),
            None => JsValue::NULL,
        }
    }

    /// Distinct states a person has demonstrated (You are the teacher).
    #[wasm_bindgen(getter)]
    pub fn demonstrated(&self) -> f64 {
        self.session.demonstrated() as f64
    }

    /// One episode of `who` (`"teacher"` or `"student"`, acting greedily) from column x, row y of
    /// the map shown, with the session's slip drawn from `seed` (a whole number): `{start, steps:
    /// [{to: [x, y], chosen, taken, reward}], outcome: "goal" | "lava" | "outOfTime", return, slips}`.
    pub fn episode(&self, who: &str, x: f64, y: f64, seed: f64) -> Result<JsValue, WebError> {
        let who = match who {
            "teacher" => Who::Teacher,
            "student" => Who::Student,
            other => return Err(WebError::plain(&format!("episode: who must be \"teacher\" or \"student\", got {other:?}"))),
        };
        if [x, y].iter().any(|v| !v.is_finite() || v.fract() != 0.0) {
            return Err(WebError::plain(&format!("episode: x and y must be whole numbers, got ({x}, {y})")));
        }
        if !seed.is_finite() || seed.fract() != 0.0 || !(0.0..=9_007_199_254_740_991.0).contains(&seed) {
            return Err(WebError::plain(&format!("episode: seed must be a whole number from 0, got {seed}")));
        }
        let episode = self.session.episode(who, x as i64, y as i64, seed as u64).map_err(|e| WebError::plain(&format!("episode: {e}")))?;
        Ok(to_js(&episode))
    }

    /// The ledger: `{agreement, meanKl, teacherSuccess, studentSuccess, teacherParams,
    /// studentParams, retained, computeUsed, ...}` (see `ledger::Ledger`), latency measured here.
    pub fn evaluate(&mut self) -> JsValue {
        let clock = now_ms;
        to_js(&self.session.ledger(Some(&clock)))
    }

    /// Pipeline counts: `{logged, held, consumed, beta}` (see `data::PipelineCounts`).
    pub fn pipeline(&self) -> JsValue {
        to_js(&self.session.pipeline())
    }

    /// `{teacher: [4 actions], student: [4 actions]}` from column x, row y: the teacher's plan (its
    /// next 4 greedy actions) and the student's plan head's prediction (action indices 0–4).
    pub fn plans(&self, x: f64, y: f64) -> Result<JsValue, WebError> {
        let (teacher, student) = self.session.plans(x as i64, y as i64).map_err(|e| WebError::plain(&format!("plans: {e}")))?;
        #[derive(Serialize)]
        struct Plans {
            teacher: Vec<usize>,
            student: Vec<usize>,
        }
        Ok(to_js(&Plans { teacher: teacher.to_vec(), student: student.to_vec() }))
    }

    /// Replaces the map with an edited one (text form, any N in 5..=16) without resetting the
    /// student: the teacher follows the edit at once. A bad map throws and changes nothing.
    #[wasm_bindgen(js_name = editMap)]
    pub fn edit_map(&mut self, text: &str) -> Result<(), WebError> {
        self.session.edit_map(text).map_err(WebError::config)
    }

    /// The student as a file: `format` = "safetensors" (default) or "json"; returns its bytes.
    #[wasm_bindgen(js_name = saveStudent)]
    pub fn save_student(&self, format: Option<String>) -> Result<Vec<u8>, WebError> {
        use crate::io::student_file::{save, StudentFormat};
        let format = match format.as_deref() {
            None => StudentFormat::Safetensors,
            Some(name) => StudentFormat::parse(name)
                .ok_or_else(|| WebError::plain(&format!("saveStudent: unknown format {name:?}: choose safetensors or json")))?,
        };
        Ok(save(&self.session, format))
    }

    /// Loads a student saved by `saveStudent` (safetensors bytes or JSON text as bytes). A bad file
    /// throws an Error saying what is wrong and leaves the current student and settings as they were.
    #[wasm_bindgen(js_name = loadStudent)]
    pub fn load_student(&mut self, bytes: &[u8]) -> Result<(), WebError> {
        crate::io::student_file::load_into(&mut self.session, bytes).map_err(|e| WebError::message("loadStudent: ", None, &e))
    }

    /// The distillation dataset (the replay buffer's records with observation, teacher p^τ and
    /// plan): `format` = "csv" (default) or "npy"; returns the file's bytes.
    #[wasm_bindgen(js_name = exportDataset)]
    pub fn export_dataset(&self, format: Option<String>) -> Result<Vec<u8>, WebError> {
        match format.as_deref().unwrap_or("csv") {
            "csv" => Ok(crate::io::dataset::to_csv(&self.session).into_bytes()),
            "npy" => Ok(crate::io::dataset::to_npy(&self.session)),
            other => Err(WebError::plain(&format!("exportDataset: unknown format {other:?}: choose csv or npy"))),
        }
    }

    /// Records logged per cell (row-major), for the visitation heatmap.
    pub fn visits(&self) -> Vec<u32> {
        self.session.visits().to_vec()
    }

    /// The grid side N.
    pub fn size(&self) -> usize {
        self.session.map().size()
    }

    /// The map's start cell, `[x, y]` (where episodes begin unless a cell is chosen).
    #[wasm_bindgen(js_name = startCell)]
    pub fn start_cell(&self) -> Vec<u32> {
        let (x, y) = self.session.map().start();
        vec![x as u32, y as u32]
    }

    /// The current map in its text form.
    #[wasm_bindgen(js_name = mapText)]
    pub fn map_text(&self) -> String {
        self.session.settings().map_text.clone()
    }

    /// Draws the map and the student's arrows; `view` = `{showTeacher?, selected?: [x, y]}`.
    pub fn render(&self, canvas: &web_sys::HtmlCanvasElement, view: JsValue) -> Result<(), WebError> {
        let view: render::View = if view.is_undefined() || view.is_null() {
            render::View::default()
        } else {
            serde_wasm_bindgen::from_value(view).map_err(|e| WebError::plain(&format!("render view: {e}")))?
        };
        render::draw(&self.session, canvas, &view).map_err(|e| WebError::plain(&format!("render: {e}")))
    }
}

/// `lossValue(kind, temperature, teacherLogits, studentLogits, beta?, softWeight?)`: one sample's
/// loss (β for `jsd`, α for the hard/soft mix), computed by the dfdx reference (`student::loss`).
/// Training computes the same value and its closed-form gradient in `student::loss_grad` (the fused
/// step); the native and browser tests check the two against each other.
#[wasm_bindgen(js_name = lossValue)]
pub fn loss_value(
    kind: &str,
    temperature: f64,
    teacher_logits: Vec<f32>,
    student_logits: Vec<f32>,
    beta: Option<f64>,
    soft_weight: Option<f64>,
) -> Result<f32, WebError> {
    let kind = LossKind::parse(kind)
        .ok_or_else(|| WebError::plain(&format!("lossValue: unknown loss {kind:?}: choose one of {}", LossKind::listed())))?;
    if !(0.1..=10.0).contains(&temperature) {
        return Err(WebError::plain(&format!("lossValue: temperature {temperature} is out of range 0.1..=10")));
    }
    let five = |v: Vec<f32>, name: &str| -> Result<[f32; 5], WebError> {
        if v.iter().any(|x| !x.is_finite()) {
            return Err(WebError::plain(&format!("lossValue: {name} must be finite numbers")));
        }
        v.try_into().map_err(|v: Vec<f32>| WebError::plain(&format!("lossValue: {name} must have 5 entries, got {}", v.len())))
    };
    let teacher = five(teacher_logits, "teacherLogits")?;
    let student = five(student_logits, "studentLogits")?;
    let beta = beta.unwrap_or(0.5);
    if !(0.0..=1.0).contains(&beta) {
        return Err(WebError::plain(&format!("lossValue: beta {beta} is out of range 0..=1")));
    }
    let alpha = soft_weight.unwrap_or(1.0);
    if !(0.0..=1.0).contains(&alpha) {
        return Err(WebError::plain(&format!("lossValue: softWeight {alpha} is out of range 0..=1")));
    }
    let spec = LossSpec { kind, temperature: temperature as f32, beta: beta as f32, alpha: alpha as f32 };
    Ok(crate::student::loss::loss_value(&spec, &teacher, &student))
}

/// The preset scenarios (`scenarios::scenarios`): id, title, explanation, base settings, variants.
#[wasm_bindgen]
pub fn scenarios() -> JsValue {
    to_js(&crate::training::scenarios::scenarios())
}

/// A whole number in `low..=high`, or an error naming `what` (NaN, fractions and the wrapped
/// negative numbers wasm-bindgen would make of them are refused).
fn whole(what: &str, value: f64, low: f64, high: f64) -> Result<f64, WebError> {
    if !value.is_finite() || value.fract() != 0.0 || value < low || value > high {
        return Err(WebError::plain(&format!("{what} must be a whole number in {low}..={high}, got {value}")));
    }
    Ok(value)
}

/// The pool of `maps` random training maps of run seed `seed`, for sharing its labels.
fn shared_pool(what: &str, maps: f64, seed: f64) -> Result<crate::training::map_pool::MapPool, WebError> {
    use crate::training::settings::{TrainMaps, MAX_TRAINING_MAPS};
    let maps = whole(&format!("{what}: maps"), maps, 2.0, MAX_TRAINING_MAPS as f64)? as usize;
    let seed = whole(&format!("{what}: seed"), seed, 0.0, 4_294_967_295.0)? as u64;
    refuse_without_teacher(&Settings::default())?;
    Ok(crate::training::map_pool::MapPool::new(TrainMaps::Pool(maps), seed))
}

/// `poolLabels(maps, seed, from, to)`: the teacher network's logits on every cell of maps
/// `from..to` of the training pool (`trainMaps: maps`, run seed `seed`), as a Float32Array: one
/// worker's share of labelling a pool that several sweep workers train on (`importPoolLabels`).
#[wasm_bindgen(js_name = poolLabels)]
pub fn pool_labels(maps: f64, seed: f64, from: f64, to: f64) -> Result<Vec<f32>, WebError> {
    let pool = shared_pool("poolLabels", maps, seed)?;
    let from = whole("poolLabels: from", from, 0.0, maps - 1.0)? as usize;
    let to = whole("poolLabels: to", to, from as f64 + 1.0, maps)? as usize;
    pool.network_logits(from..to).map_err(|e| WebError::plain(&format!("poolLabels: {e}")))
}

/// `importPoolLabels(maps, seed, from, to, logits)`: takes another worker's `poolLabels` share, so
/// this worker's sessions on that pool do not run the network on those maps again. Refuses (and
/// keeps nothing) when `logits` is not exactly those maps' labels in size, or not finite.
#[wasm_bindgen(js_name = importPoolLabels)]
pub fn import_pool_labels(maps: f64, seed: f64, from: f64, to: f64, logits: &[f32]) -> Result<(), WebError> {
    let pool = shared_pool("importPoolLabels", maps, seed)?;
    let from = whole("importPoolLabels: from", from, 0.0, maps - 1.0)? as usize;
    let to = whole("importPoolLabels: to", to, from as f64 + 1.0, maps)? as usize;
    pool.import_network_logits(from..to, logits).map_err(|e| WebError::plain(&format!("importPoolLabels: {e}")))
}

/// `settingsSchema()` → every setting, declared once in the core (`training::settings::schema`):
/// `[{name, kind, min?, max?, options?, resets, label, pageControl, slider, attribute, default}]`.
#[wasm_bindgen(js_name = settingsSchema)]
pub fn settings_schema() -> JsValue {
    to_js(&crate::training::settings::schema::schema_json())
}

/// `linkFromConfig(config)`: the URL fragment (without `#`) for a full config object.
#[wasm_bindgen(js_name = linkFromConfig)]
pub fn link_from_config(config: JsValue) -> Result<String, WebError> {
    let update = json_from_js(config, "config")?;
    let mut settings = crate::training::settings::Settings::default();
    settings.apply(&update).map_err(WebError::config)?;
    Ok(crate::io::link::encode(&settings))
}

/// `configFromLink(fragment)` → `{config, rejected: [{field, reason}]}`: the settings a link gives,
/// with every field it could not use named (those fall back to their defaults); `reason` is
/// `{key, args, text}` (`crate::messages::Message`: `text` is the English).
#[wasm_bindgen(js_name = configFromLink)]
pub fn config_from_link(fragment: &str) -> JsValue {
    let (settings, rejected) = crate::io::link::decode(fragment);
    #[derive(Serialize)]
    struct Decoded {
        config: crate::training::settings::Settings,
        rejected: Vec<crate::io::link::Rejected>,
    }
    to_js(&Decoded { config: settings, rejected })
}
