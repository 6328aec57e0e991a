//! One training session: the map, the teacher's per-cell targets, the student and the RNG.
//! It ties env, planner, loss, student and metrics together; it has no web types.

use crate::env::observation::{encode_into, OBS_LEN};
use crate::env::{GridMap, Rules, NUM_ACTIONS};
use crate::loss::{argmax, log_softmax, softmax, TeacherTargets};
use crate::metrics::{self, RolloutStats};
use crate::planner::{self, QTable};
use crate::settings::{ConfigError, Settings};
use crate::student::Student;
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::Serialize;

/// What `train` reports.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrainReport {
    pub step: u64,
    /// Loss of the last batch trained (0 before any step).
    pub loss: f32,
    pub agreement: f32,
}

/// What `evaluate` reports.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// Share of decision cells where the argmaxes match (see `metrics::agreement`).
    pub agreement: f32,
    /// Mean over decision cells of KL(p_T ‖ p_S) at τ = 1 (the policies as they act).
    pub mean_kl: f32,
    pub teacher_success: f32,
    pub student_success: f32,
    pub teacher_return: f32,
    pub student_return: f32,
}

/// Whose probabilities `probs` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Teacher,
    Student,
}

pub struct Session {
    settings: Settings,
    map: GridMap,
    rules: Rules,
    q_table: QTable,
    /// Cells where the agent acts (reachable floor), the states training samples from.
    decision_cells: Vec<usize>,
    /// Observation of every cell, row-major (cells × 149).
    observations: Vec<f32>,
    /// Teacher logits per cell.
    teacher_logits: Vec<[f32; NUM_ACTIONS]>,
    /// log p_T^τ per cell at the current temperature.
    teacher_log_probs: Vec<[f32; NUM_ACTIONS]>,
    student: Student,
    rng: StdRng,
    step: u64,
    last_loss: f32,
    batch_observations: Vec<f32>,
    batch_targets: TeacherTargets,
}

impl Session {
    /// A session with default settings changed by `update` (a JSON object; may be empty).
    pub fn new(update: &serde_json::Value) -> Result<Session, ConfigError> {
        let mut settings = Settings::default();
        settings.apply(update)?;
        Ok(Session::from_settings(settings))
    }

    pub fn from_settings(settings: Settings) -> Session {
        let map = settings.grid_map();
        let student = Student::new(settings.hidden, settings.seed, settings.lr).expect("width validated in settings");
        let mut session = Session {
            rules: settings.rules(),
            q_table: QTable { q: Vec::new(), v: Vec::new(), sweeps: 0 },
            decision_cells: Vec::new(),
            observations: Vec::new(),
            teacher_logits: Vec::new(),
            teacher_log_probs: Vec::new(),
            rng: StdRng::seed_from_u64(settings.seed),
            student,
            step: 0,
            last_loss: 0.0,
            batch_observations: Vec::new(),
            batch_targets: TeacherTargets::default(),
            map,
            settings,
        };
        session.rebuild_teacher();
        session
    }

    /// Applies a partial update: temperature, loss, lr and batch act live; map, seed and width
    /// start a new student. On error nothing changes.
    pub fn set(&mut self, update: &serde_json::Value) -> Result<(), ConfigError> {
        let changed = self.settings.apply(update)?;
        if changed.reset {
            *self = Session::from_settings(self.settings.clone());
            return Ok(());
        }
        self.student.set_learning_rate(self.settings.lr);
        if changed.teacher {
            self.rules = self.settings.rules();
            self.rebuild_teacher();
        } else if changed.temperature {
            self.retemper();
        }
        Ok(())
    }

    fn rebuild_teacher(&mut self) {
        self.q_table = planner::solve(&self.map, &self.rules);
        self.decision_cells = self.map.decision_cells();
        let cells = self.map.cells().len();
        self.observations = vec![0.0; cells * OBS_LEN];
        for cell in 0..cells {
            encode_into(&self.map, cell, &mut self.observations[cell * OBS_LEN..(cell + 1) * OBS_LEN]);
        }
        self.teacher_logits = (0..cells).map(|cell| self.q_table.logits(cell)).collect();
        self.retemper();
    }

    fn retemper(&mut self) {
        let tau = self.settings.temperature;
        self.teacher_log_probs = self.teacher_logits.iter().map(|logits| log_softmax(logits, tau)).collect();
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn map(&self) -> &GridMap {
        &self.map
    }
    pub fn step_count(&self) -> u64 {
        self.step
    }
    pub fn student(&self) -> &Student {
        &self.student
    }
    pub fn decision_cells(&self) -> &[usize] {
        &self.decision_cells
    }

    /// Runs `steps` Adam steps, each on a batch of decision cells drawn uniformly with
    /// replacement and labelled by the teacher; `train(0)` only reports.
    pub fn train(&mut self, steps: u32) -> TrainReport {
        let kind = self.settings.loss_kind();
        let tau = self.settings.temperature;
        let batch = self.settings.batch;
        for _ in 0..steps {
            if self.decision_cells.is_empty() {
                break;
            }
            self.batch_observations.clear();
            self.batch_targets.clear();
            for _ in 0..batch {
                let cell = self.decision_cells[self.rng.gen_range(0..self.decision_cells.len())];
                self.batch_observations.extend_from_slice(&self.observations[cell * OBS_LEN..(cell + 1) * OBS_LEN]);
                let logits = &self.teacher_logits[cell];
                self.batch_targets.push(logits, &self.teacher_log_probs[cell], argmax(logits));
            }
            self.last_loss = self.student.train_step(&self.batch_observations, &self.batch_targets, kind, tau);
            self.step += 1;
        }
        TrainReport { step: self.step, loss: self.last_loss, agreement: self.agreement() }
    }

    /// Student logits for every cell of the map (cells × 5, row-major by cell).
    fn student_logits_all(&self) -> Vec<[f32; NUM_ACTIONS]> {
        let cells = self.map.cells().len();
        let flat = self.student.logits(&self.observations, cells);
        flat.chunks_exact(NUM_ACTIONS).map(|c| [c[0], c[1], c[2], c[3], c[4]]).collect()
    }

    fn teacher_best(&self, cell: usize) -> Vec<usize> {
        self.q_table.best_actions(cell)
    }

    /// Share of decision cells where the student's argmax is a best teacher action.
    pub fn agreement(&self) -> f32 {
        let student = self.student_logits_all();
        let choices: Vec<usize> = self.decision_cells.iter().map(|&c| argmax(&student[c])).collect();
        let best: Vec<Vec<usize>> = self.decision_cells.iter().map(|&c| self.teacher_best(c)).collect();
        metrics::agreement(&choices, &best)
    }

    /// The teacher's (at temperature `tau`) or the student's (at τ = 1) action probabilities
    /// at column x, row y. Errors for cells outside the grid.
    pub fn probs(&self, who: Who, x: i64, y: i64, tau: Option<f32>) -> Result<[f32; NUM_ACTIONS], String> {
        let n = self.map.size() as i64;
        if x < 0 || y < 0 || x >= n || y >= n {
            return Err(format!("cell ({x}, {y}) is outside the {n}×{n} grid (x and y run 0..={})", n - 1));
        }
        let cell = self.map.index(x as usize, y as usize);
        Ok(match who {
            Who::Teacher => softmax(&self.teacher_logits[cell], tau.unwrap_or(self.settings.temperature)),
            Who::Student => {
                let logits = self.student.logits(&self.observations[cell * OBS_LEN..(cell + 1) * OBS_LEN], 1);
                softmax(&[logits[0], logits[1], logits[2], logits[3], logits[4]], 1.0)
            }
        })
    }

    /// Student probabilities (τ = 1) for every cell, row-major by cell: for drawing.
    pub fn student_probs_all(&self) -> Vec<[f32; NUM_ACTIONS]> {
        self.student_logits_all().iter().map(|l| softmax(l, 1.0)).collect()
    }

    /// Teacher probabilities at the current τ for every cell: for drawing.
    pub fn teacher_probs_all(&self) -> Vec<[f32; NUM_ACTIONS]> {
        self.teacher_log_probs.iter().map(|l| l.map(f32::exp)).collect()
    }

    /// Agreement, mean KL at τ = 1, and greedy success / return of both policies from every
    /// decision cell (slip drawn from an RNG seeded by the session seed).
    pub fn evaluate(&self) -> Evaluation {
        let student = self.student_logits_all();
        let cells = &self.decision_cells;
        let choices: Vec<usize> = cells.iter().map(|&c| argmax(&student[c])).collect();
        let best: Vec<Vec<usize>> = cells.iter().map(|&c| self.teacher_best(c)).collect();
        let teacher_log_probs: Vec<_> = cells.iter().map(|&c| log_softmax(&self.teacher_logits[c], 1.0)).collect();
        let student_log_probs: Vec<_> = cells.iter().map(|&c| log_softmax(&student[c], 1.0)).collect();
        let student_policy: Vec<usize> = student.iter().map(|l| argmax(l)).collect();
        let teacher_policy: Vec<usize> = self.teacher_logits.iter().map(|l| argmax(l)).collect();
        let seed = self.settings.seed ^ 0xe7a1;
        let teacher: RolloutStats = metrics::greedy_rollouts(&self.map, &self.rules, &teacher_policy, cells, seed);
        let student_stats = metrics::greedy_rollouts(&self.map, &self.rules, &student_policy, cells, seed);
        Evaluation {
            agreement: metrics::agreement(&choices, &best),
            mean_kl: metrics::mean_kl(&teacher_log_probs, &student_log_probs),
            teacher_success: teacher.success,
            student_success: student_stats.success,
            teacher_return: teacher.mean_return,
            student_return: student_stats.mean_return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn student_learns_four_rooms_to_95_percent_agreement() {
        let mut session = Session::new(&json!({"map": "four-rooms", "seed": 1})).unwrap();
        let mut report = session.train(0);
        assert!(report.agreement < 0.6, "an untrained student should not already agree: {}", report.agreement);
        for _ in 0..30 {
            report = session.train(100);
            if report.agreement >= 0.95 {
                break;
            }
        }
        assert!(report.agreement >= 0.95, "agreement {} after {} steps", report.agreement, report.step);
        let eval = session.evaluate();
        assert_eq!(eval.teacher_success, 1.0);
        assert!(eval.student_success >= 0.9, "{eval:?}");
    }

    #[test]
    fn same_seed_same_run() {
        let run = || {
            let mut s = Session::new(&json!({"map": "maze", "seed": 9, "hidden": 16})).unwrap();
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
}
