//! One training session: the map shown, the maps trained on, the teacher's targets, the student
//! and the RNG, and the settings that change them. Its work is split by concern over this folder:
//! `collect` (data), `distill` and `finetune` (the steps), `guard` (divergence), `queries`
//! (what the page draws), `progress` (the worker's snapshots), `ledger` (teacher vs student).

use crate::env::{GridMap, Rules};
use crate::env::maps::MapName;
use crate::student::loss::TeacherTargets;
use crate::student::{NamedTensor, SparseRows, Student};
use crate::messages::Message;
use crate::training::guard::Divergence;
use crate::training::data::{LabelledStates, PipelineCounts, ReplayBuffer, Walker};
use crate::training::map_data::MapData;
use crate::training::map_pool::MapPool;
use crate::training::settings::{ConfigError, Phase, Settings};
use rand::{rngs::StdRng, SeedableRng};
use serde::Serialize;

/// What `train` reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainReport {
    pub step: u64,
    /// Loss of the last batch trained (0 before any step).
    pub loss: f32,
    /// Agreement on the map shown (see `metrics::agreement`).
    pub agreement: f32,
    /// Set when training diverged (a non-finite loss or weight): what happened and what to change
    /// (`{key, args, text}` in JavaScript, so the page says it in its language). Training stopped
    /// and the last good weights are back; it resumes after a setting changes.
    pub diverged: Option<Message>,
}

/// Whose probabilities `probs` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Teacher,
    Student,
}

pub struct Session {
    pub(super) settings: Settings,
    pub(super) rules: Rules,
    /// The map shown (and trained on, when `trainMaps` is `current`).
    pub(super) current: MapData,
    /// The training maps: the map shown, or a pool of random maps labelled as they are first used.
    pub(super) pool: MapPool,
    /// Every distinct state the teacher has labelled since the data restarted (the label budget).
    pub(super) labelled: LabelledStates,
    /// Every distinct state the teacher was asked about: the labelled ones and the plans' states.
    pub(super) asked: LabelledStates,
    /// The collection round the walkers belong to (`labelRounds`; see `collect`).
    pub(super) collect_round: usize,
    /// The step at which the divergence guard stopped training, if it did.
    pub(super) diverged_at: Option<u64>,
    pub(super) student: Student,
    /// A peer student that learns beside this one (`peerWeight` > 0; see `peer`).
    pub(super) peer: Option<Student>,
    pub(super) rng: StdRng,
    pub(super) step: u64,
    pub(super) last_loss: f32,
    /// The batch being trained on: each sample's non-zero inputs, copied from its map's `MapData::inputs`.
    pub(super) batch_inputs: SparseRows,
    pub(super) batch_targets: TeacherTargets,
    pub(super) batch_plans: Vec<f32>,
    /// `draw_batch`'s working lists: each sample's record and given action (a person's or a
    /// noisy one), and the teacher's targets of the others.
    pub(super) drawn: Vec<(crate::training::data::Record, Option<u8>)>,
    pub(super) drawn_targets: Vec<crate::student::loss::SampleTarget>,
    /// Fine-tuning: second targets (the teacher's, for kickstarting), steps so far, baseline.
    pub(super) kickstart_targets: TeacherTargets,
    pub(super) finetune_steps: u64,
    pub(super) return_baseline: Option<f32>,
    /// The student's weights at the last check that found them finite (see `guard`).
    pub(super) last_good: Option<(u64, Vec<NamedTensor>)>,
    pub(super) diverged: Option<Divergence>,
    pub(super) buffer: ReplayBuffer,
    pub(super) walkers: Vec<Walker>,
    pub(super) counts: PipelineCounts,
    /// Records logged per cell of the map shown (the visitation heatmap).
    pub(super) visits: Vec<u32>,
    /// The move a person demonstrated at each cell of the map shown (`data: human`; the latest wins).
    pub(super) human: Vec<Option<usize>>,
    /// The held-out maps with this session's teacher targets, built on first use (see `ledger`).
    pub(super) heldout: Option<std::sync::Arc<Vec<crate::training::memo::HeldOutMap>>>,
}

impl Session {
    /// A session with default settings changed by `update` (a JSON object; may be empty).
    pub fn new(update: &serde_json::Value) -> Result<Session, ConfigError> {
        let mut settings = Settings::default();
        settings.apply(update)?;
        Ok(Session::from_settings(settings))
    }

    pub fn from_settings(settings: Settings) -> Session {
        let student = Student::new(settings.hidden, settings.seed, settings.lr).expect("width validated in settings");
        let mut session = Session {
            rules: settings.rules(),
            current: MapData::new(settings.grid_map(), &settings),
            pool: MapPool::new(settings.train_maps, settings.seed),
            labelled: LabelledStates::default(),
            asked: LabelledStates::default(),
            collect_round: 0,
            diverged_at: None,
            rng: StdRng::seed_from_u64(settings.seed),
            peer: crate::training::peer::new_peer(settings.hidden, settings.seed, settings.lr, settings.peer_weight),
            student,
            step: 0,
            last_loss: 0.0,
            batch_inputs: SparseRows::new(),
            batch_targets: TeacherTargets::default(),
            batch_plans: Vec::new(),
            drawn: Vec::new(),
            drawn_targets: Vec::new(),
            kickstart_targets: TeacherTargets::default(),
            finetune_steps: 0,
            return_baseline: None,
            last_good: None,
            diverged: None,
            heldout: None,
            buffer: ReplayBuffer::new(settings.buffer_capacity),
            walkers: Vec::new(),
            counts: PipelineCounts::default(),
            visits: Vec::new(),
            human: Vec::new(),
            settings,
        };
        session.restart_data();
        session
    }

    /// Applies a partial update: temperature, loss, lr and batch act live; map, seed, width and
    /// training maps start a new student; teacher settings relabel. On error nothing changes.
    pub fn set(&mut self, update: &serde_json::Value) -> Result<(), ConfigError> {
        let phase_before = self.settings.phase;
        let changed = self.settings.apply(update)?;
        if self.settings.phase != phase_before {
            self.finetune_steps = 0;
            self.return_baseline = None;
        }
        // Any accepted change is the user's answer to a divergence: training may resume.
        self.diverged = None;
        self.diverged_at = None;
        if changed.reset {
            *self = Session::from_settings(self.settings.clone());
            return Ok(());
        }
        self.student.set_learning_rate(self.settings.lr);
        if let Some(peer) = self.peer.as_mut() {
            peer.set_learning_rate(self.settings.lr);
        }
        if changed.teacher {
            self.rules = self.settings.rules();
            self.current = MapData::new(self.current.map.clone(), &self.settings);
            self.pool = MapPool::new(self.settings.train_maps, self.settings.seed);
            self.heldout = None;
            self.restart_data();
        } else if changed.data {
            self.restart_data();
        }
        Ok(())
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn rules(&self) -> &Rules {
        &self.rules
    }
    pub fn map(&self) -> &GridMap {
        &self.current.map
    }
    pub fn current(&self) -> &MapData {
        &self.current
    }
    pub fn step_count(&self) -> u64 {
        self.step
    }
    /// The step at which the divergence guard stopped training (until a setting changes), if it did.
    pub fn diverged_at(&self) -> Option<u64> {
        self.diverged_at
    }
    pub fn student(&self) -> &Student {
        &self.student
    }
    pub fn decision_cells(&self) -> &[usize] {
        &self.current.decision_cells
    }

    /// Runs `steps` training steps — distillation (see `distill`) or RL fine-tuning (see
    /// `finetune`), by the phase — each followed by the divergence guard (see `guard`).
    /// `train(0)` only reports.
    pub fn train(&mut self, steps: u32) -> TrainReport {
        if self.diverged.is_some() {
            return self.report();
        }
        for _ in 0..steps {
            self.refresh_stream();
            let stepped = match self.settings.phase {
                Phase::Distill => self.distill_step(),
                Phase::Finetune => {
                    self.finetune_step();
                    true
                }
            };
            if !stepped || !self.guard() {
                break;
            }
        }
        self.report()
    }

    /// Where training stands now (`train` returns the same after its steps).
    pub fn report(&self) -> TrainReport {
        TrainReport { step: self.step, loss: self.last_loss, agreement: self.agreement(), diverged: self.diverged.as_ref().map(Divergence::message) }
    }

    /// Replaces the map shown by an edited one (any size N): the teacher follows at once, the
    /// student keeps its weights and trains on. On a bad map nothing changes.
    pub fn edit_map(&mut self, text: &str) -> Result<(), ConfigError> {
        let map = GridMap::from_text(text).map_err(|e| ConfigError { field: "mapText".into(), message: e.0 })?;
        self.settings.map = MapName::Custom;
        self.settings.map_text = map.to_text();
        self.current = MapData::new(map, &self.settings);
        self.diverged = None;
        self.restart_data();
        Ok(())
    }

    /// Replaces the student by another (a loaded file's: its width comes with it; every other
    /// setting stays) that has trained `step` steps.
    pub fn replace_student(&mut self, student: Student, step: u64) {
        self.settings.hidden = student.hidden();
        self.student = student;
        self.step = step;
        self.last_loss = 0.0;
        self.last_good = None;
        self.diverged = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::metrics;
    use serde_json::json;

    #[test]
    fn student_learns_four_rooms_from_the_oracle_to_95_percent_agreement() {
        let mut session = Session::new(&json!({"map": "four-rooms", "seed": 1, "teacher": "oracle"})).unwrap();
        let mut report = session.train(0);
        // Many four-rooms cells have two best moves (down and right), so chance agreement is high.
        assert!(report.agreement < 0.8, "an untrained student should not already agree: {}", report.agreement);
        for _ in 0..30 {
            report = session.train(100);
            if report.agreement >= 0.95 {
                break;
            }
        }
        assert!(report.agreement >= 0.95, "agreement {} after {} steps", report.agreement, report.step);
        assert!(report.step <= 3000);
    }

    #[test]
    fn same_seed_same_run() {
        let run = || {
            let mut s = Session::new(&json!({"map": "maze", "seed": 9, "hidden": 16, "teacherNoise": 0.1})).unwrap();
            s.train(50);
            s.set(&json!({"temperature": 3, "loss": "reverse_kl"})).unwrap();
            (s.train(50), s.student.tensors())
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn temperature_flattens_the_teacher_live() {
        let mut session = Session::new(&json!({})).unwrap();
        session.train(20);
        let entropy = |p: [f32; 5]| -p.iter().filter(|v| **v > 0.0).map(|v| v * v.ln()).sum::<f32>();
        let (x, y) = session.map().position(session.decision_cells()[0]);
        let cold = entropy(session.probs(Who::Teacher, x as i64, y as i64, None).unwrap());
        session.set(&json!({"temperature": 8})).unwrap();
        let hot = entropy(session.probs(Who::Teacher, x as i64, y as i64, None).unwrap());
        assert!(hot > cold + 0.1, "entropy {cold} → {hot}");
        assert_eq!(session.step_count(), 20, "temperature must not reset training");
        session.set(&json!({"map": "open"})).unwrap();
        assert_eq!(session.step_count(), 0, "a new map resets training");
        assert!(session.probs(Who::Student, 8, 0, None).unwrap_err().contains("outside"));
    }

    #[test]
    fn the_neural_teacher_is_the_default_and_solves_the_builtin_maps() {
        let session = Session::new(&json!({})).unwrap();
        assert_eq!(session.settings().teacher, crate::teacher::targets::TeacherKind::Neural);
        for name in ["open", "four-rooms", "maze", "cliff"] {
            let session = Session::new(&json!({"map": name})).unwrap();
            let data = session.current();
            let policy = data.table.greedy_policy();
            let (sx, sy) = data.map.start();
            let stats = metrics::greedy_rollouts(&data.map, session.rules(), &policy, &[data.map.index(sx, sy)], 0);
            assert_eq!(stats.success, 1.0, "the neural teacher fails {name} from its start");
        }
    }
}
