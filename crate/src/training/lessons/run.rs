//! One arm of a lesson on one seed: trained in slices (so a page can draw its learning curve),
//! then measured with the bundled teacher on the same maps and episodes, as one row.

use super::{Arm, Evaluation, Lesson};
use crate::env::NUM_ACTIONS;
use crate::measure::evaluation::{evaluation_maps, success_from_starts, EVALUATION_SEED_BASE};
use crate::measure::metrics::greedy_rollouts;
use crate::student::loss::argmax;
use crate::teacher::bundled::bundled_teacher;
use crate::training::scenarios::merged;
use crate::training::memo::{teacher_success, TeacherScoreKey};
use crate::training::settings::ConfigError;
use crate::training::Session;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The result of one arm on one seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmRow {
    pub lesson: String,
    pub arm: String,
    pub seed: u64,
    pub student_success: f64,
    /// The bundled neural teacher's success on the same maps and episodes, acting greedily as the
    /// student does (the reference for `retained`, whichever teacher labelled the student's data).
    pub teacher_success: f64,
    /// Student success ÷ teacher success on the same maps and episodes.
    pub retained: Option<f64>,
    /// Student multiply-adds per decision ÷ the teacher's.
    pub compute_used: f64,
    pub evaluation_maps: usize,
    /// Distinct states the teacher was asked about for this student: its labels and, with a plan
    /// head, the states along the plans (the x axis of Ross et al. 2011).
    #[serde(default)]
    pub labelled: u64,
    /// The step at which the divergence guard stopped this arm: then it did not train to the end,
    /// and the verdict leaves its seed out (`verdict::StoppedArm`).
    #[serde(default)]
    pub stopped_at: Option<u64>,
}

/// Evaluation maps a running arm's learning curve is measured on (the first of the seed's
/// evaluation maps; the final row uses all of them).
pub const PROBE_MAPS: usize = 50;

/// One arm of a lesson on one seed, trained in slices so a page can draw its learning curve:
/// `advance` trains, `probe` measures the student now, `finish` gives the row.
pub struct ArmRun {
    lesson: Lesson,
    arm: Arm,
    seed: u64,
    maps: usize,
    pub(super) session: Session,
    labelled: u64,
    done: u32,
    stopped_at: Option<u64>,
}

/// A point of an arm's learning curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    pub step: u32,
    pub total: u32,
    /// Success now on the probe (`PROBE_MAPS` evaluation maps, or the training maps' starts or cells).
    pub success: f64,
}

impl ArmRun {
    pub fn new(lesson: &Lesson, arm: &Arm, seed: u64, maps: usize) -> Result<ArmRun, ConfigError> {
        let mut settings = merged(&lesson.base, &arm.settings);
        settings["seed"] = json!(seed);
        let session = Session::new(&settings)?;
        Ok(ArmRun { lesson: lesson.clone(), arm: arm.clone(), seed, maps, session, labelled: 0, done: 0, stopped_at: None })
    }

    /// Takes over a student trained on this arm's data elsewhere (a cohort's member) after `done`
    /// steps (the session's step `step`), the teacher having been asked about `labelled` states.
    pub(super) fn adopt(&mut self, student: crate::student::Student, step: u64, done: u32, labelled: u64) {
        self.session.replace_student(student, step);
        self.done = done;
        self.labelled = labelled;
    }

    /// Steps trained so far.
    pub fn done(&self) -> u32 {
        self.done
    }

    /// Distillation steps, then the arm's RL steps.
    pub fn total_steps(&self) -> u32 {
        self.lesson.steps + self.arm.rl_steps
    }

    /// Trains up to `steps` more steps (switching to RL fine-tuning after the distillation steps);
    /// true while steps remain. An arm the divergence guard stops ends there, marked stopped.
    pub fn advance(&mut self, steps: u32) -> Result<bool, ConfigError> {
        let mut left = steps.min(self.total_steps() - self.done);
        while left > 0 && self.stopped_at.is_none() {
            let distill_left = self.lesson.steps.saturating_sub(self.done);
            let slice = if distill_left > 0 { left.min(distill_left) } else { left };
            self.session.train(slice);
            if let Some(step) = self.session.diverged_at() {
                self.stopped_at = Some(step);
                self.labelled = self.session.pipeline().asked;
                self.done = self.total_steps();
                break;
            }
            self.done += slice;
            left -= slice;
            if self.done == self.lesson.steps {
                self.labelled = self.session.pipeline().asked;
                if self.arm.rl_steps > 0 {
                    self.session.set(&json!({"phase": "finetune"}))?;
                }
            }
        }
        Ok(self.done < self.total_steps())
    }

    /// The student's success now, greedy, and (`with_teacher`) the bundled teacher's, greedy, on
    /// the same maps, starts and episodes; with the number of maps.
    fn success(&self, maps: usize, with_teacher: bool) -> (f64, f64, usize) {
        let rules = self.session.rules().clone();
        let teacher = bundled_teacher();
        let episodes = self.lesson.episodes;
        let student = self.session.student();
        match self.lesson.evaluation {
            Evaluation::HeldOut | Evaluation::TrainingStarts => {
                let (evaluation, rollout_seed) = match self.lesson.evaluation {
                    Evaluation::HeldOut => (evaluation_maps(self.seed, maps), self.seed),
                    _ => (self.session.training_grid_maps(), EVALUATION_SEED_BASE + self.seed),
                };
                let teacher_success = if with_teacher {
                    let score = || success_from_starts(&evaluation, &rules, episodes, rollout_seed, |_, _, o| argmax(&teacher.logits(o, 1)));
                    match self.lesson.evaluation {
                        // The same for every arm of the seed: scored once.
                        Evaluation::HeldOut => {
                            let key = TeacherScoreKey { seed: self.seed, maps, rules: (rules.slip.to_bits(), rules.step_cost.to_bits(), rules.gamma.to_bits()), episodes };
                            teacher_success(key, score)
                        }
                        _ => score(),
                    }
                } else {
                    f64::NAN
                };
                let student_success = success_from_starts(&evaluation, &rules, episodes, rollout_seed, |_, _, o| argmax(&student.logits(o, 1)));
                (student_success, teacher_success, evaluation.len())
            }
            Evaluation::TrainingMap => {
                let current = self.session.current();
                let starts: Vec<usize> = current.decision_cells.iter().flat_map(|&c| std::iter::repeat(c).take(episodes.max(1))).collect();
                let student_policy: Vec<usize> =
                    student.logits(&current.observations(), current.map.cells().len()).chunks_exact(NUM_ACTIONS).map(argmax).collect();
                let rollout_seed = EVALUATION_SEED_BASE + self.seed;
                let student_success = greedy_rollouts(&current.map, &rules, &student_policy, &starts, rollout_seed).success as f64;
                let teacher_success = greedy_rollouts(&current.map, &rules, current.teacher_policy(), &starts, rollout_seed).success as f64;
                (student_success, teacher_success, 1)
            }
        }
    }

    /// The learning curve's point now.
    pub fn probe(&self) -> CurvePoint {
        CurvePoint { step: self.done, total: self.total_steps(), success: self.success(PROBE_MAPS.min(self.maps), false).0 }
    }

    /// Trains whatever is left, then measures the student and the teacher on every evaluation map.
    pub fn finish(mut self) -> Result<ArmRow, ConfigError> {
        self.advance(u32::MAX)?;
        let (student_success, teacher_success, evaluation_maps) = self.success(self.maps, true);
        let compute_used = self.session.student().multiply_adds() as f64 / bundled_teacher().multiply_adds() as f64;
        Ok(ArmRow {
            lesson: self.lesson.id.into(),
            arm: self.arm.label.into(),
            seed: self.seed,
            student_success,
            teacher_success,
            retained: (teacher_success > 0.0).then(|| student_success / teacher_success),
            compute_used,
            evaluation_maps,
            labelled: self.labelled,
            stopped_at: self.stopped_at,
        })
    }
}

/// Trains the arm's student on `seed` for the lesson's steps (then its RL steps) and measures it and
/// the teacher on the seed's evaluation maps (`evaluation_maps`, the lesson's episodes per start).
pub fn run_arm(lesson: &Lesson, arm: &Arm, seed: u64, maps: usize) -> Result<ArmRow, ConfigError> {
    ArmRun::new(lesson, arm, seed, maps)?.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::lessons::lesson;

    #[test]
    fn an_arm_runs_and_measures_student_and_teacher_on_the_same_maps() {
        let lesson = Lesson { steps: 300, ..lesson("trajectories").unwrap() };
        assert!(super::super::lesson("nope").unwrap_err().contains("compression"));
        let row = run_arm(&lesson, &lesson.arms[1], 2, 30).unwrap();
        assert_eq!(row.evaluation_maps, 30);
        assert!(row.teacher_success > 0.5, "{row:?}");
        assert!((row.retained.unwrap() - row.student_success / row.teacher_success).abs() < 1e-12);
        assert_eq!(run_arm(&lesson, &lesson.arms[1], 2, 30).unwrap(), row, "seeded");
        assert!(row.labelled > 0 && row.labelled <= 20_000 && row.stopped_at.is_none(), "{row:?}");
        // In slices, with a learning curve: the same row as in one go.
        let mut run = ArmRun::new(&lesson, &lesson.arms[1], 2, 30).unwrap();
        let first = run.probe();
        assert_eq!((first.step, first.total), (0, 300));
        while run.advance(100).unwrap() {}
        let last = run.probe();
        assert_eq!(last.step, 300);
        assert!(last.success >= 0.0 && last.success <= 1.0);
        assert_eq!(run.finish().unwrap(), row, "slices change nothing");
        // At another scale, RL steps and collection rounds scale with the distillation steps.
        let rl = super::super::lesson("rl-finetune").unwrap();
        let quick = rl.at_steps(rl.steps / 6);
        assert_eq!((quick.steps, quick.arms[1].rl_steps, quick.arms[0].rl_steps), (rl.steps / 6, rl.arms[1].rl_steps / 6, 0));
        let dagger = super::super::lesson("compounding").unwrap().at_steps(2_000);
        assert_eq!(dagger.arms[1].settings["roundSteps"], 200);
        // RL steps follow the distillation steps.
        let rl = Lesson { steps: 50, ..super::super::lesson("rl-finetune").unwrap() };
        let arm = Arm { rl_steps: 20, ..rl.arms[1].clone() };
        let mut run = ArmRun::new(&rl, &arm, 1, 1).unwrap();
        assert_eq!(run.total_steps(), 70);
        assert!(run.advance(60).unwrap());
        assert_eq!(run.session.settings().phase, crate::training::settings::Phase::Finetune);
        assert!(!run.advance(60).unwrap());
        let row = run.finish().unwrap();
        assert!(row.labelled > 0 && row.teacher_success > 0.0, "{row:?}");
    }

    #[test]
    fn an_arm_the_guard_stops_is_reported_stopped() {
        // A learning rate of 10 diverges within a few steps (the guard's own test).
        let base = lesson("trajectories").unwrap();
        let lesson = Lesson { steps: 400, base: serde_json::json!({"trainMaps": 64, "hidden": 128, "loss": "mse", "temperature": 0.1, "lr": 10.0}), ..base };
        let row = run_arm(&lesson, &lesson.arms[0], 1, 5).unwrap();
        let step = row.stopped_at.expect("the guard stops this arm");
        assert!(step < 400, "{row:?}");
    }

    #[test]
    fn plan_states_count_as_asked() {
        let plan = Lesson { steps: 200, ..lesson("plan").unwrap() };
        let without = run_arm(&plan, &plan.arms[0], 1, 5).unwrap();
        let with = run_arm(&plan, &plan.arms[1], 1, 5).unwrap();
        assert!(with.labelled > without.labelled, "the plan's states are asked too: {} vs {}", with.labelled, without.labelled);
    }
}
