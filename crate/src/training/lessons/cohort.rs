//! A lesson's arms that differ only in the student's width, on one seed, trained in lockstep: the
//! arms draw the same batches (the data and its random draws do not depend on the student), so the
//! batch is drawn and labelled once per step and the students train as one cohort network
//! (`FusedMlp::cohort`: their first layers side by side, each its own heads). Each member trains bit
//! for bit as its arm alone would, so the rows are `run_arm`'s (tested); only the time differs.
//!
//! The divergence guard is kept to the letter: each member's loss at every step, the weights at
//! every step, and each member's collapse check every `GUARD_EVERY` steps. Should any member trip
//! it, the cohort is dropped and its arms are run again one by one from the start (deterministic,
//! so the rows are the same as if they had never been together).

use super::run::{ArmRow, ArmRun, CurvePoint};
use super::Lesson;
use crate::env::NUM_ACTIONS;
use crate::student::fused::FusedMlp;
use crate::student::Student;
use crate::training::data::DataSource;
use crate::training::guard::{ignores_the_state, GUARD_EVERY};
use crate::training::scenarios::merged;
use crate::training::settings::{ConfigError, Phase, Settings};

/// The lesson's arms grouped into cohorts: arms whose settings are the same but for `hidden`, that
/// only distil (no RL steps, no peer) from data the student does not steer (uniform states or the
/// teacher's trajectories). Every arm is in exactly one group, in arm order; an arm that cannot
/// join another is a group of one.
pub fn cohorts(lesson: &Lesson) -> Vec<Vec<usize>> {
    let key = |arm: usize| -> Option<serde_json::Value> {
        let a = &lesson.arms[arm];
        let mut settings = merged(&lesson.base, &a.settings);
        let mut parsed = Settings::default();
        parsed.apply(&settings).ok()?;
        let steerable = matches!(parsed.data, DataSource::Uniform | DataSource::Teacher);
        if a.rl_steps > 0 || parsed.phase != Phase::Distill || parsed.peer_weight > 0.0 || !steerable {
            return None;
        }
        settings.as_object_mut()?.remove("hidden");
        Some(settings)
    };
    let mut groups: Vec<(Option<serde_json::Value>, Vec<usize>)> = Vec::new();
    for arm in 0..lesson.arms.len() {
        let k = key(arm);
        match groups.iter_mut().find(|(g, _)| k.is_some() && *g == k) {
            Some((_, members)) => members.push(arm),
            None => groups.push((k, vec![arm])),
        }
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

/// Arms `arms` of a lesson on one seed, trained together (`cohorts` says which arms may be): trained
/// in slices like `ArmRun` (`advance`, `probe`), then measured arm by arm (`finish`).
pub struct CohortRun {
    lesson: Lesson,
    arms: Vec<usize>,
    seed: u64,
    maps: usize,
    /// One run per arm; the first one's session draws every batch.
    runs: Vec<ArmRun>,
    /// The students, while they train in lockstep (`None` once they are back in their runs).
    network: Option<FusedMlp>,
    done: u32,
}

impl CohortRun {
    pub fn new(lesson: &Lesson, arms: &[usize], seed: u64, maps: usize) -> Result<CohortRun, ConfigError> {
        let runs = arms.iter().map(|&a| ArmRun::new(lesson, &lesson.arms[a], seed, maps)).collect::<Result<Vec<_>, _>>()?;
        let together = arms.len() > 1 && cohorts(lesson).iter().any(|group| arms.iter().all(|a| group.contains(a)));
        let network = if together {
            let tensors: Vec<(usize, Vec<_>)> = runs.iter().map(|r| (r.session.student().hidden(), r.session.student().tensors())).collect();
            let members: Vec<(usize, &[_])> = tensors.iter().map(|(h, t)| (*h, t.as_slice())).collect();
            let lr = runs[0].session.settings().lr;
            Some(FusedMlp::cohort(&members, lr).expect("each arm's own student fits its width"))
        } else {
            None
        };
        Ok(CohortRun { lesson: lesson.clone(), arms: arms.to_vec(), seed, maps, runs, network, done: 0 })
    }

    /// Whether the arms are still training in lockstep (false for arms that cannot, and after the
    /// guard stopped one of them).
    pub fn in_lockstep(&self) -> bool {
        self.network.is_some()
    }

    /// Trains up to `steps` more steps of every arm; true while steps remain.
    pub fn advance(&mut self, steps: u32) -> Result<bool, ConfigError> {
        let total = self.lesson.steps;
        let Some(network) = self.network.as_mut() else {
            let mut more = false;
            for run in &mut self.runs {
                more |= run.advance(steps)?;
            }
            return Ok(more);
        };
        let target = self.done.saturating_add(steps).min(total);
        let lead = &mut self.runs[0].session;
        let mut tripped = false;
        while self.done < target && !tripped {
            lead.refresh_stream();
            if !lead.draw_batch() {
                // No data: as `Session::train`, the rest of this slice is not trained.
                break;
            }
            let (rows, objective) = lead.drawn_batch();
            let losses = network.train_cohort_step(rows, &objective);
            // Every member's weights summed at once: a member's non-finite weight makes it so. (Alone, a
            // member's sum could overflow where this one does not only with weights near f32's limit.)
            tripped = losses.iter().any(|l| !l.is_finite()) || !network.weights_finite();
            lead.step += 1;
            if !tripped && lead.step % GUARD_EVERY == 0 {
                // Each member's logits on the map shown, as `Session::student_logits` reads them alone.
                tripped = network.infer_members(&lead.current().observations()).iter().any(|flat| {
                    let logits: Vec<[f32; NUM_ACTIONS]> = flat.chunks_exact(NUM_ACTIONS).map(|c| [c[0], c[1], c[2], c[3], c[4]]).collect();
                    ignores_the_state(lead.current(), &logits)
                });
            }
            self.done += 1;
        }
        if tripped {
            // A member would have stopped here alone: every arm runs again by itself, to this slice's end.
            self.network = None;
            self.runs = self.arms.iter().map(|&a| ArmRun::new(&self.lesson, &self.lesson.arms[a], self.seed, self.maps)).collect::<Result<Vec<_>, _>>()?;
            for run in &mut self.runs {
                run.advance(target)?;
            }
            self.done = target;
            return Ok(self.runs.iter().any(|r| r.done() < r.total_steps()));
        }
        self.done = target;
        self.hand_back();
        Ok(self.done < total)
    }

    /// Puts each member's weights now into its arm's run (so `probe` and `finish` measure it); at
    /// the end of training the cohort is dropped.
    fn hand_back(&mut self) {
        let Some(network) = &self.network else { return };
        let lead = &self.runs[0].session;
        let (step, asked) = (lead.step, lead.pipeline().asked);
        let students: Vec<Student> = (0..network.members()).map(|m| Student::from_fused(network.member(m))).collect();
        for (run, student) in self.runs.iter_mut().zip(students) {
            run.adopt(student, step, self.done, asked);
        }
        if self.done == self.lesson.steps {
            self.network = None;
        }
    }

    /// Each arm's learning-curve point now, in the order of `arms`.
    pub fn probe(&self) -> Vec<CurvePoint> {
        self.runs.iter().map(ArmRun::probe).collect()
    }

    /// Trains whatever is left, then measures every arm: their rows, in the order of `arms`.
    pub fn finish(mut self) -> Result<Vec<ArmRow>, ConfigError> {
        while self.advance(u32::MAX)? {}
        self.runs.into_iter().map(ArmRun::finish).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::lessons::{lesson, run_arm};

    #[test]
    fn arms_that_differ_only_in_width_are_grouped() {
        assert_eq!(cohorts(&lesson("compression").unwrap()), vec![vec![0, 1, 2, 3, 4, 5]]);
        assert_eq!(cohorts(&lesson("data-over-architecture").unwrap()), vec![vec![0, 1], vec![2, 3]]);
        // Different data, an RL arm, a student-steered source: every arm alone.
        assert_eq!(cohorts(&lesson("trajectories").unwrap()), vec![vec![0], vec![1]]);
        assert_eq!(cohorts(&lesson("rl-finetune").unwrap()).len(), 3);
        assert_eq!(cohorts(&lesson("compounding").unwrap()), vec![vec![0], vec![1]]);
    }

    #[test]
    fn a_cohort_gives_each_arm_the_row_it_gives_alone() {
        let compression = Lesson { steps: 400, ..lesson("compression").unwrap() };
        let arms = [0, 2, 5];
        let alone: Vec<ArmRow> = arms.iter().map(|&a| run_arm(&compression, &compression.arms[a], 3, 20).unwrap()).collect();
        let together = CohortRun::new(&compression, &arms, 3, 20).unwrap();
        assert!(together.in_lockstep());
        assert_eq!(together.finish().unwrap(), alone);
        // In slices, with curve points, as the page runs it.
        let mut sliced = CohortRun::new(&compression, &arms, 3, 20).unwrap();
        assert!(sliced.probe().iter().all(|p| p.step == 0 && p.total == 400));
        while sliced.advance(90).unwrap() {
            assert!(sliced.probe().iter().all(|p| p.step % 90 == 0 && p.step > 0));
        }
        assert_eq!(sliced.finish().unwrap(), alone, "slices change nothing");
    }

    #[test]
    fn when_the_guard_stops_a_member_every_arm_runs_alone_and_the_rows_are_theirs() {
        // A learning rate of 10 diverges within a few steps (the guard's own test), at some widths.
        let base = lesson("compression").unwrap();
        let wild = Lesson { steps: 300, base: serde_json::json!({"trainMaps": 64, "loss": "mse", "temperature": 0.1, "lr": 10.0, "data": "uniform"}), ..base };
        let arms = [0, 5];
        let alone: Vec<ArmRow> = arms.iter().map(|&a| run_arm(&wild, &wild.arms[a], 1, 5).unwrap()).collect();
        assert!(alone.iter().any(|r| r.stopped_at.is_some()), "{alone:?}");
        let mut together = CohortRun::new(&wild, &arms, 1, 5).unwrap();
        together.advance(100).unwrap();
        assert!(!together.in_lockstep(), "the guard's stop ends the lockstep");
        assert_eq!(together.finish().unwrap(), alone);
    }
}
