//! Every user-facing setting of a training session, its range, and the checked parsing of a
//! partial update (from the JS API, the command line or a link): one error names the bad field.

use crate::env::maps::{builtin, MapName};
use crate::env::GridMap;
use crate::messages::Message;
use crate::student::loss::{LossKind, LossSpec};
use crate::teacher::targets::TeacherKind;
use crate::training::data::{DataSource, LeaveOut};
use crate::NamedChoice;
use serde::Serialize;
use serde_json::{Map, Value};
use schema::{Kind, Resets, Setting};

/// Most distinct training maps a pool may have.
pub const MAX_TRAINING_MAPS: usize = 4096;
/// The pool size `trainMaps: "random"` means (what it meant before the count could be chosen).
pub const DEFAULT_POOL_MAPS: usize = 64;

/// Which maps a session trains on: `"current"` (the map shown), a number N of seeded random maps
/// from the teacher's own training distribution (`"random"` = 64; the map shown is still evaluated),
/// or `"stream"`: fresh seeded maps for ever (a new one every training step; the newest
/// `map_pool::STREAM_MAPS` are kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainMaps {
    Current,
    Pool(usize),
    Stream,
}

impl serde::Serialize for TrainMaps {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            TrainMaps::Current => serializer.serialize_str("current"),
            TrainMaps::Pool(count) => serializer.serialize_u64(*count as u64),
            TrainMaps::Stream => serializer.serialize_str("stream"),
        }
    }
}

impl TrainMaps {
    fn from_value(field: &str, value: &Value) -> Result<TrainMaps, ConfigError> {
        match value {
            Value::String(name) if name == "current" => Ok(TrainMaps::Current),
            Value::String(name) if name == "random" => Ok(TrainMaps::Pool(DEFAULT_POOL_MAPS)),
            Value::String(name) if name == "stream" => Ok(TrainMaps::Stream),
            Value::String(name) => Err(error(field, Message::new("error.config.trainMaps").with("name", quoted(name)).with("max", MAX_TRAINING_MAPS))),
            _ => match integer(field, value, 1.0, MAX_TRAINING_MAPS as f64)? {
                1 => Ok(TrainMaps::Current),
                count => Ok(TrainMaps::Pool(count as usize)),
            },
        }
    }
}

crate::named_choice! {
    /// Where RL fine-tuning's episodes start (`rlStarts` setting).
    pub enum RlStarts {
        /// Each training map's start cell (the task's start distribution).
        Start = "start",
        /// A decision cell drawn uniformly (exploring starts): every state the ledger scores from.
        Anywhere = "anywhere",
    }
}

crate::named_choice! {
    /// What training optimises.
    pub enum Phase {
        /// Learn from the teacher (a distillation loss).
        Distill = "distill",
        /// REINFORCE on the reward plus a decaying pull towards the teacher (kickstarting).
        Finetune = "finetune",
    }
}

/// The full settings of a session. Serialised (camelCase) for `Playground.config()`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// A built-in map, or `custom` when the map came from `mapText`.
    pub map: MapName,
    /// The current map in its text form (see `env::text`).
    pub map_text: String,
    pub seed: u64,
    pub loss: LossKind,
    /// Softmax temperature τ of the distillation targets, 0.1–10.
    #[serde(serialize_with = "shortest_f32")]
    pub temperature: f32,
    /// Adam's learning rate, 1e-5–10 (above 0.1 training usually diverges: the session catches it).
    #[serde(serialize_with = "shortest_f32")]
    pub lr: f32,
    pub hidden: usize,
    /// States per gradient step, 1–1024.
    pub batch: usize,
    /// Probability that an action is replaced by a random one, 0–0.5.
    #[serde(serialize_with = "shortest_f32")]
    pub slip: f32,
    /// Reward of an ordinary step, −1–0.
    #[serde(serialize_with = "shortest_f32")]
    pub step_cost: f32,
    /// Discount γ, 0.5–0.999.
    #[serde(serialize_with = "shortest_f32")]
    pub gamma: f32,
    /// Who labels the data: `neural` (the bundled network), `oracle` (the planner) or `mix`.
    pub teacher: TeacherKind,
    /// Weight of the neural teacher in `mix`, 0–1.
    #[serde(serialize_with = "shortest_f32")]
    pub mix_weight: f32,
    /// Teacher noise ε, 0–1: with this probability a demonstration is a uniformly random action.
    #[serde(serialize_with = "shortest_f32")]
    pub teacher_noise: f32,
    /// g: the share of states on which each teacher is blind (`teacher::gaps`), 0–0.9.
    #[serde(serialize_with = "shortest_f32")]
    pub teacher_gaps: f32,
    /// ρ: how far the network's and the planner's blind states coincide (their correlation), 0–1.
    #[serde(serialize_with = "shortest_f32")]
    pub gap_overlap: f32,
    /// Where training states come from: `current` (the map shown) or `random` (many seeded random
    /// maps from the teacher's own training distribution; the map shown is still evaluated).
    pub train_maps: TrainMaps,
    /// β of the `jsd` loss, 0.05–0.95.
    #[serde(serialize_with = "shortest_f32")]
    pub jsd_beta: f32,
    /// α: train on α·(soft loss) + (1−α)·hard, 0–1 (1 = the soft loss alone).
    #[serde(serialize_with = "shortest_f32")]
    pub soft_weight: f32,
    /// Where training states come from: uniform, teacher, student or mix (see `data`).
    pub data: DataSource,
    /// β of the `mix` data source: probability that a rollout step follows the teacher, 0–1.
    #[serde(serialize_with = "shortest_f32")]
    pub data_beta: f32,
    /// β is multiplied by this every 100 training steps, 0.5–1 (1 = no decay).
    #[serde(serialize_with = "shortest_f32")]
    pub beta_decay: f32,
    /// Replay buffer capacity in records, 64–65536.
    pub buffer_capacity: usize,
    /// Label budget: at most this many distinct states are labelled by the teacher (0 = no limit);
    /// once spent, training goes on with the states already labelled.
    pub label_budget: usize,
    /// States left out of the transfer set: those whose teacher's best action is this (`none`).
    pub leave_out: LeaveOut,
    /// Collection rounds, 1–100 (DAgger's iterations, Ross et al. 2011 Algorithm 3.1): with K > 1
    /// the label budget is released in K equal parts, part i at step i·`round_steps`; each round's
    /// walkers start afresh and act with β_i = `data_beta`·`beta_decay`^i, and between rounds the
    /// student trains on everything labelled so far. 1 = collect as training goes (β decays per 100 steps).
    pub label_rounds: usize,
    /// Training steps between the starts of two collection rounds, 1–1,000,000.
    pub round_steps: u64,
    /// Where RL fine-tuning's episodes start: `start` (each training map's start) or `anywhere`
    /// (a decision cell drawn uniformly: exploring starts, the states a ledger scores from).
    pub rl_starts: RlStarts,
    /// ψ, 0–1: with ψ > 0 a peer student (same width, its own seed) learns beside this one on the same
    /// batches, and each one's soft target is (1 − ψ)·the teacher's + ψ·the other's current policy at τ
    /// (co-distillation, Anil et al. 2018; deep mutual learning, Zhang et al. 2018). 0 = no peer.
    #[serde(serialize_with = "shortest_f32")]
    pub peer_weight: f32,
    /// λ_plan: weight of the plan head's loss (predicting the teacher's next 4 actions), 0–5; 0 = off.
    #[serde(serialize_with = "shortest_f32")]
    pub plan_weight: f32,
    /// `distill` (learn from the teacher) or `finetune` (REINFORCE on the reward plus a decaying
    /// λ_k·KL towards the teacher: kickstarting).
    pub phase: Phase,
    /// λ_k at the start of fine-tuning, 0–5.
    #[serde(serialize_with = "shortest_f32")]
    pub kickstart: f32,
    /// λ_k is multiplied by this every 100 fine-tuning steps, 0.5–1.
    #[serde(serialize_with = "shortest_f32")]
    pub kickstart_decay: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            map: MapName::FourRooms,
            map_text: builtin(MapName::FourRooms, 0).expect("built-in map").to_text(),
            seed: 1,
            loss: LossKind::Kl,
            temperature: 1.0,
            lr: 3e-3,
            hidden: 32,
            batch: 64,
            slip: 0.0,
            step_cost: -0.01,
            gamma: 0.97,
            teacher: TeacherKind::Neural,
            mix_weight: 0.5,
            teacher_noise: 0.0,
            teacher_gaps: 0.0,
            gap_overlap: 0.0,
            train_maps: TrainMaps::Current,
            jsd_beta: 0.5,
            soft_weight: 1.0,
            data: DataSource::Uniform,
            data_beta: 0.5,
            beta_decay: 1.0,
            buffer_capacity: 4096,
            label_budget: 0,
            leave_out: LeaveOut::Nothing,
            label_rounds: 1,
            round_steps: 1000,
            rl_starts: RlStarts::Start,
            peer_weight: 0.0,
            plan_weight: 0.0,
            phase: Phase::Distill,
            kickstart: 1.0,
            kickstart_decay: 0.9,
        }
    }
}

/// Serialises an f32 as the shortest decimal that reads back as it (0.97, not 0.9700000286).
fn shortest_f32<S: serde::Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(value.to_string().parse::<f64>().unwrap_or(*value as f64))
}

/// A setting that could not be applied, naming the field.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub field: String,
    /// Why, for a person: English by `Display`, any language on the page (`crate::messages`).
    pub message: Message,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "config field `{}`: {}", self.field, self.message)
    }
}
impl std::error::Error for ConfigError {}

/// What an accepted update changed, so the session knows what to rebuild.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Changed {
    /// Map, seed or hidden width changed: a new student.
    pub reset: bool,
    /// Rules, map or teacher settings changed: the teacher's targets must be recomputed.
    pub teacher: bool,
    /// The temperature changed: the tempered targets must be recomputed.
    pub temperature: bool,
    /// The data source or buffer size changed: the buffer starts again.
    pub data: bool,
}

fn error(field: &str, message: Message) -> ConfigError {
    ConfigError { field: field.into(), message }
}

/// A user's text as an error quotes it: at most 40 characters, in quotes, escaped.
fn quoted(text: &str) -> String {
    format!("{:?}", text.chars().take(40).collect::<String>())
}

/// A value as an error shows it, in any language: a quoted string, null, true, 3, […] or {…}.
fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => quoted(s),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) => "[…]".into(),
        Value::Object(_) => "{…}".into(),
    }
}

fn number(field: &str, value: &Value, low: f64, high: f64) -> Result<f64, ConfigError> {
    let n = value.as_f64().ok_or_else(|| error(field, Message::new("error.config.expectedNumber").with("got", describe(value))))?;
    if !n.is_finite() || n < low || n > high {
        return Err(error(field, Message::new("error.config.outOfRange").with("value", n).with("low", low).with("high", high)));
    }
    Ok(n)
}

fn integer(field: &str, value: &Value, low: f64, high: f64) -> Result<u64, ConfigError> {
    let n = number(field, value, low, high)?;
    if n.fract() != 0.0 {
        return Err(error(field, Message::new("error.config.expectedWhole").with("value", n)));
    }
    Ok(n as u64)
}

fn text<'a>(field: &str, value: &'a Value) -> Result<&'a str, ConfigError> {
    value.as_str().ok_or_else(|| error(field, Message::new("error.config.expectedString").with("got", describe(value))))
}

/// "a, b, c": a choice's options, for an error message.
fn names_of(setting: &Setting) -> String {
    match &setting.kind {
        Kind::Choice { options, .. } => options.join(", "),
        _ => String::new(),
    }
}

/// What going from `before` to `after` makes the session rebuild: each setting whose value
/// differs asks for what its schema entry `resets` (a new student also needs new targets).
fn changes(before: &Settings, after: &Settings) -> Changed {
    let (old, new) = (serde_json::to_value(before).unwrap_or(Value::Null), serde_json::to_value(after).unwrap_or(Value::Null));
    let mut changed = Changed::default();
    for setting in schema::settings() {
        let (was, is) = (old.get(setting.name), new.get(setting.name));
        if was == is {
            continue;
        }
        let switched = |v: Option<&Value>| v.and_then(Value::as_f64).is_some_and(|x| x > 0.0);
        match setting.resets {
            Resets::Student => changed.reset = true,
            Resets::StudentWhenSwitched => changed.reset |= switched(was) != switched(is),
            Resets::Teacher => changed.teacher = true,
            Resets::Temperature => changed.temperature = true,
            Resets::Data => changed.data = true,
            Resets::Nothing => {}
        }
    }
    changed.teacher |= changed.reset;
    changed
}

impl Setting {
    /// A number within the setting's range (`Kind::Number`).
    fn number(&self, value: &Value) -> Result<f64, ConfigError> {
        match self.kind {
            Kind::Number { min, max } => number(self.name, value, min, max),
            _ => Err(self.not_kind("a number")),
        }
    }

    /// A whole number within the setting's range (`Kind::Integer`) or among its options (`Kind::IntegerChoice`).
    fn integer(&self, value: &Value) -> Result<u64, ConfigError> {
        match &self.kind {
            Kind::Integer { min, max } => integer(self.name, value, *min, *max),
            Kind::IntegerChoice { options, .. } => {
                let (low, high) = (options.iter().min().copied().unwrap_or(0), options.iter().max().copied().unwrap_or(0));
                let n = integer(self.name, value, low as f64, high as f64)?;
                if !options.contains(&n) {
                    return Err(error(self.name, Message::new("error.config.widthNotOffered").with("width", n).with("options", format!("{options:?}"))));
                }
                Ok(n)
            }
            _ => Err(self.not_kind("a whole number")),
        }
    }

    /// Text of at most the setting's length (`Kind::Text`), or any text (the other kinds).
    fn text<'a>(&self, value: &'a Value) -> Result<&'a str, ConfigError> {
        let text = text(self.name, value)?;
        if let Kind::Text { max_bytes } = self.kind {
            if text.len() > max_bytes {
                return Err(error(self.name, Message::new("error.config.mapTextTooLong").with("bytes", text.len()).with("max", max_bytes)));
            }
        }
        Ok(text)
    }

    /// One of the setting's named options (`Kind::Choice`), as its type.
    fn choice<T: NamedChoice>(&self, value: &Value) -> Result<T, ConfigError> {
        let name = text(self.name, value)?;
        let Kind::Choice { options, unknown } = &self.kind else { return Err(self.not_kind("a name")) };
        options
            .contains(&name)
            .then(|| T::parse(name))
            .flatten()
            .ok_or_else(|| error(self.name, Message::new(unknown).with("name", quoted(name)).with("options", options.join(", "))))
    }

    /// A setting read as a kind the schema does not give it (a mistake in `apply`, never the user's).
    fn not_kind(&self, wanted: &str) -> ConfigError {
        error(self.name, Message::new("error.config.unknownSetting").with("options", format!("{} (not {wanted})", schema::setting_names().join(", "))))
    }
}

impl Settings {
    /// Applies a partial update given as a JSON object. All fields are checked before anything
    /// changes: on error `self` is untouched and the error names the first bad field.
    pub fn apply(&mut self, update: &Value) -> Result<Changed, ConfigError> {
        let fields: &Map<String, Value> = update
            .as_object()
            .ok_or_else(|| error("(config)", Message::new("error.config.expectedObject").with("got", describe(update))))?;
        let mut next = self.clone();
        let schema = schema::settings();
        for (field, value) in fields {
            let Some(setting) = schema.iter().find(|s| s.name == field) else {
                let shown: String = field.chars().take(40).collect();
                return Err(error(&shown, Message::new("error.config.unknownSetting").with("options", schema::setting_names().join(", "))));
            };
            let s = setting;
            match s.name {
                "map" => {
                    let name = s.text(value)?;
                    // `custom` is what config() reports for an edited map: valid with its mapText.
                    if name == MapName::Custom.name() && fields.contains_key("mapText") {
                        continue;
                    }
                    if name == MapName::Custom.name() {
                        return Err(error(field, Message::new("error.config.customMapNeedsText").with("name", quoted(name)).with("options", names_of(s))));
                    }
                    next.map = s.choice::<MapName>(value)?;
                }
                "mapText" => {
                    let map = GridMap::from_text(s.text(value)?).map_err(|e| error(field, e.0))?;
                    next.map = MapName::Custom;
                    next.map_text = map.to_text();
                }
                "seed" => next.seed = s.integer(value)?,
                "loss" => next.loss = s.choice(value)?,
                "temperature" => next.temperature = s.number(value)? as f32,
                "lr" => next.lr = s.number(value)? as f32,
                "hidden" => next.hidden = s.integer(value)? as usize,
                "batch" => next.batch = s.integer(value)? as usize,
                "slip" => next.slip = s.number(value)? as f32,
                "stepCost" => next.step_cost = s.number(value)? as f32,
                "gamma" => next.gamma = s.number(value)? as f32,
                "teacher" => next.teacher = s.choice(value)?,
                "data" => next.data = s.choice(value)?,
                "dataBeta" => next.data_beta = s.number(value)? as f32,
                "betaDecay" => next.beta_decay = s.number(value)? as f32,
                "bufferCapacity" => next.buffer_capacity = s.integer(value)? as usize,
                "planWeight" => next.plan_weight = s.number(value)? as f32,
                "phase" => next.phase = s.choice(value)?,
                "kickstart" => next.kickstart = s.number(value)? as f32,
                "kickstartDecay" => next.kickstart_decay = s.number(value)? as f32,
                "jsdBeta" => next.jsd_beta = s.number(value)? as f32,
                "softWeight" => next.soft_weight = s.number(value)? as f32,
                "mixWeight" => next.mix_weight = s.number(value)? as f32,
                "teacherNoise" => next.teacher_noise = s.number(value)? as f32,
                "teacherGaps" => next.teacher_gaps = s.number(value)? as f32,
                "gapOverlap" => next.gap_overlap = s.number(value)? as f32,
                "trainMaps" => next.train_maps = TrainMaps::from_value(field, value)?,
                "leaveOut" => next.leave_out = s.choice(value)?,
                "labelBudget" => next.label_budget = s.integer(value)? as usize,
                "labelRounds" => next.label_rounds = s.integer(value)? as usize,
                "roundSteps" => next.round_steps = s.integer(value)?,
                "rlStarts" => next.rl_starts = s.choice(value)?,
                "peerWeight" => next.peer_weight = s.number(value)? as f32,
                // A schema entry without a line here: refused by name rather than ignored (a test
                // applies every entry, so this is never reached).
                _ => return Err(s.not_kind("a setting `apply` reads")),
            }
        }
        // A map given both by name and as text (a saved config) keeps its name if the text is the
        // built-in's own; a named built-in map (re)generates its text; `random` depends on the seed.
        let named = fields.get("map").and_then(Value::as_str).and_then(MapName::parse).filter(|map| *map != MapName::Custom);
        if let (Some(name), true) = (named, fields.contains_key("mapText")) {
            if builtin(name, next.seed).map(|m| m.to_text()).ok().as_deref() == Some(next.map_text.as_str()) {
                next.map = name;
            }
        }
        let map_named = named.is_some() && !fields.contains_key("mapText");
        if map_named || (next.map == MapName::Random && next.seed != self.seed) {
            next.map_text = builtin(next.map, next.seed).map_err(|e| error("map", e.0))?.to_text();
        }
        let changed = changes(self, &next);
        *self = next;
        Ok(changed)
    }

    /// The teachers' blind spots.
    pub fn teacher_gaps(&self) -> crate::teacher::gaps::TeacherGaps {
        crate::teacher::gaps::TeacherGaps { share: self.teacher_gaps, overlap: self.gap_overlap }
    }

    pub fn loss_spec(&self) -> LossSpec {
        LossSpec { kind: self.loss, temperature: self.temperature, beta: self.jsd_beta, alpha: self.soft_weight }
    }

    pub fn rules(&self) -> crate::env::Rules {
        crate::env::Rules { step_cost: self.step_cost, slip: self.slip, gamma: self.gamma }
    }

    pub fn grid_map(&self) -> GridMap {
        GridMap::from_text(&self.map_text).expect("validated when set")
    }
}

pub mod schema;
#[cfg(test)]
mod tests;
