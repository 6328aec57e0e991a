//! Every setting declared once: its name, what values it takes, what a change to it makes the
//! session rebuild, its words' catalogue key, and how the page and the web component offer it.
//! `Settings::apply` checks values against it; the link (`io::link`), the command line's `--set`,
//! the page's controls and the component's attributes read it (the page through `settingsSchema()`).
//! A new setting is one entry here, one field of `Settings` and one line of `apply`.

use crate::env::maps::BUILTIN_MAPS;
use crate::student::loss::LossKind;
use crate::student::{CURVE_WIDTHS, STUDENT_WIDTHS};
use crate::teacher::targets::TeacherKind;
use crate::training::data::{DataSource, LeaveOut};
use crate::NamedChoice;
use serde::Serialize;
use serde_json::{json, Value};

use super::{Phase, RlStarts, Settings, MAX_TRAINING_MAPS};

/// Longest map text a setting takes, in bytes.
pub const MAX_MAP_TEXT_BYTES: usize = 1024;

/// What values a setting takes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Kind {
    /// A number in `min..=max`.
    Number { min: f64, max: f64 },
    /// A whole number in `min..=max`.
    Integer { min: f64, max: f64 },
    /// One of these whole numbers; the page offers those in `offered`.
    #[serde(rename = "integerChoice")]
    IntegerChoice { options: Vec<u64>, offered: Vec<u64> },
    /// One of these names; `unknown` is the catalogue key of the error for any other.
    Choice {
        options: Vec<&'static str>,
        #[serde(skip)]
        unknown: &'static str,
    },
    /// Text of at most `max_bytes` bytes.
    Text {
        #[serde(rename = "maxBytes")]
        max_bytes: usize,
    },
    /// Which maps to train on: one of `names`, or a count of maps in `1..=max`.
    Maps { names: Vec<&'static str>, max: usize },
}

/// What a change of a setting makes the session rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Resets {
    /// A new student (and everything below).
    Student,
    /// A new student when the value turns from zero to non-zero or back (a peer comes or goes).
    StudentWhenSwitched,
    /// The teacher's targets.
    Teacher,
    /// The tempered targets.
    Temperature,
    /// The data buffer.
    Data,
    /// Nothing: the next step uses the new value.
    Nothing,
}

/// How the page's slider shows a number: `min..=max` in steps of `step`, of log₁₀ of the value when
/// `log`; the value is written with `digits` decimals.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Slider {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub log: bool,
    pub digits: u8,
}

/// One setting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setting {
    /// Its name in a config, a link and `--set` (camelCase).
    pub name: &'static str,
    #[serde(flatten)]
    pub kind: Kind,
    pub resets: Resets,
    /// The catalogue key of its words on the page (`None`: the page names it nowhere).
    pub label: Option<&'static str>,
    /// Whether the page has a control for it (element id: the name in kebab-case).
    #[serde(rename = "pageControl")]
    pub page_control: bool,
    /// The page's slider for it, when it is a number shown as one.
    pub slider: Option<Slider>,
    /// The web component's attribute for it (`None`: the component does not offer it).
    pub attribute: Option<&'static str>,
}

fn widths(list: &[usize]) -> Vec<u64> {
    list.iter().map(|&w| w as u64).collect()
}

fn names<T: NamedChoice>() -> Vec<&'static str> {
    T::ALL.iter().map(|c| c.name()).collect()
}

const fn slider(min: f64, max: f64, step: f64, digits: u8) -> Option<Slider> {
    Some(Slider { min, max, step, log: false, digits })
}

const fn log_slider(min: f64, max: f64, step: f64, digits: u8) -> Option<Slider> {
    Some(Slider { min, max, step, log: true, digits })
}

/// A setting that has a page control and a component attribute of its own name in kebab-case.
fn offered(name: &'static str, kind: Kind, resets: Resets, label: &'static str, slider: Option<Slider>, attribute: &'static str) -> Setting {
    Setting { name, kind, resets, label: Some(label), page_control: true, slider, attribute: Some(attribute) }
}

/// A setting only the API, links and the command line take.
fn plain(name: &'static str, kind: Kind, resets: Resets) -> Setting {
    Setting { name, kind, resets, label: None, page_control: false, slider: None, attribute: None }
}

fn number(min: f64, max: f64) -> Kind {
    Kind::Number { min, max }
}

fn integer(min: f64, max: f64) -> Kind {
    Kind::Integer { min, max }
}

fn choice<T: NamedChoice>(unknown: &'static str) -> Kind {
    Kind::Choice { options: names::<T>(), unknown }
}

/// Every setting, in the order a link lists them.
pub fn settings() -> Vec<Setting> {
    use Resets::*;
    let maps = Kind::Choice { options: BUILTIN_MAPS.iter().map(|m| m.name()).collect(), unknown: "error.config.unknownMap" };
    let page_only = |mut s: Setting| {
        s.attribute = None;
        s
    };
    vec![
        offered("map", maps, Student, "world.map", None, "map"),
        plain("mapText", Kind::Text { max_bytes: MAX_MAP_TEXT_BYTES }, Student),
        offered("seed", integer(0.0, 4_294_967_295.0), Student, "world.seed", None, "seed"),
        offered("loss", choice::<LossKind>("error.config.unknownLoss"), Nothing, "control.loss", None, "loss"),
        offered("temperature", number(0.1, 10.0), Temperature, "control.temperature", log_slider(-1.0, 1.0, 0.01, 2), "temperature"),
        offered("lr", number(1e-5, 10.0), Nothing, "control.lr", log_slider(-4.0, -1.0, 0.05, 4), "lr"),
        offered("hidden", Kind::IntegerChoice { options: widths(&STUDENT_WIDTHS), offered: widths(&CURVE_WIDTHS) }, Student, "control.hidden", None, "width"),
        Setting { attribute: Some("batch"), ..plain("batch", integer(1.0, 1024.0), Nothing) },
        offered("slip", number(0.0, 0.5), Teacher, "world.slip", slider(0.0, 0.5, 0.05, 2), "slip"),
        plain("stepCost", number(-1.0, 0.0), Teacher),
        plain("gamma", number(0.5, 0.999), Teacher),
        offered("teacher", choice::<TeacherKind>("error.config.unknownTeacher"), Teacher, "control.teacher", None, "teacher"),
        offered("mixWeight", number(0.0, 1.0), Teacher, "control.mixWeight", slider(0.0, 1.0, 0.05, 2), "mix-weight"),
        offered("teacherNoise", number(0.0, 1.0), Teacher, "control.teacherNoise", slider(0.0, 0.5, 0.05, 2), "teacher-noise"),
        offered("trainMaps", Kind::Maps { names: vec!["current", "random", "stream"], max: MAX_TRAINING_MAPS }, Student, "control.trainMaps", None, "train-maps"),
        offered("jsdBeta", number(0.05, 0.95), Nothing, "control.jsdBeta", slider(0.05, 0.95, 0.05, 2), "jsd-beta"),
        offered("softWeight", number(0.0, 1.0), Nothing, "control.softWeight", slider(0.0, 1.0, 0.05, 2), "soft-weight"),
        offered("data", choice::<DataSource>("error.config.unknownDataSource"), Data, "control.data", None, "data"),
        offered("dataBeta", number(0.0, 1.0), Nothing, "control.dataBeta", slider(0.0, 1.0, 0.05, 2), "data-beta"),
        plain("betaDecay", number(0.5, 1.0), Nothing),
        plain("bufferCapacity", integer(64.0, 65536.0), Data),
        offered("planWeight", number(0.0, 5.0), Nothing, "control.planWeight", slider(0.0, 2.0, 0.1, 2), "plan-weight"),
        plain("phase", choice::<Phase>("error.config.unknownPhase"), Nothing),
        page_only(offered("kickstart", number(0.0, 5.0), Nothing, "finetune.kickstart", slider(0.0, 5.0, 0.1, 2), "kickstart")),
        page_only(offered("kickstartDecay", number(0.5, 1.0), Nothing, "finetune.decay", slider(0.5, 1.0, 0.01, 2), "kickstart-decay")),
        offered("labelBudget", integer(0.0, 10_000_000.0), Data, "control.labelBudget", None, "label-budget"),
        plain("leaveOut", choice::<LeaveOut>("error.config.unknownLeaveOut"), Data),
        plain("labelRounds", integer(1.0, 100.0), Data),
        plain("roundSteps", integer(1.0, 1_000_000.0), Data),
        plain("rlStarts", choice::<RlStarts>("error.config.unknownRlStarts"), Nothing),
        plain("peerWeight", number(0.0, 1.0), StudentWhenSwitched),
        plain("teacherGaps", number(0.0, 0.9), Teacher),
        plain("gapOverlap", number(0.0, 1.0), Teacher),
    ]
}

/// Every setting's name, in order.
pub fn setting_names() -> Vec<&'static str> {
    settings().iter().map(|s| s.name).collect()
}

/// The schema as the page reads it: every setting with its default value.
pub fn schema_json() -> Value {
    let defaults = serde_json::to_value(Settings::default()).unwrap_or(Value::Null);
    let entries: Vec<Value> = settings()
        .into_iter()
        .map(|s| {
            let mut entry = serde_json::to_value(&s).unwrap_or(Value::Null);
            entry["default"] = defaults.get(s.name).cloned().unwrap_or(Value::Null);
            entry
        })
        .collect();
    json!(entries)
}
