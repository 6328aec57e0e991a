//! The divergence guard: after every step, a non-finite loss or weight (or a collapsed network)
//! brings back the last good weights, stops training and says what to change.

use crate::student::Student;
use crate::training::map_data::MapData;
use crate::training::session::Session;

/// Steps between the guard's full checks (the collapse check and the snapshot of good weights); a
/// non-finite loss or weight is caught at every step.
pub(crate) const GUARD_EVERY: u64 = 25;

/// True when `logits` (per cell of `current`) are the same in every decision cell: the network has
/// collapsed.
pub(crate) fn ignores_the_state(current: &MapData, logits: &[[f32; crate::env::NUM_ACTIONS]]) -> bool {
    let Some(first) = logits.first() else { return false };
    current.decision_cells.len() > 1 && current.decision_cells.iter().all(|&c| logits[c].iter().zip(first).all(|(a, b)| (a - b).abs() <= 1e-6 * (1.0 + b.abs())))
}

impl Session {
    /// After a step: a non-finite loss or weight means training diverged; so does a collapsed
    /// network (every hidden unit dead, so the policy no longer depends on the state — what a very
    /// high learning rate does to Adam, which rarely reaches infinity). Then the weights of the last
    /// good check come back (with a fresh optimiser), training stops, and the report says why.
    /// The loss and the weights are checked every step; collapse every `GUARD_EVERY` steps, when the
    /// weights that pass are kept as the new last good ones.
    pub(super) fn guard(&mut self) -> bool {
        let loss_bad = !self.last_loss.is_finite();
        let weights_bad = !self.student.weights_finite();
        if !loss_bad && !weights_bad && self.step % GUARD_EVERY != 0 {
            return true;
        }
        let collapsed = !loss_bad && !weights_bad && self.student_ignores_the_state();
        if !loss_bad && !weights_bad && !collapsed {
            self.last_good = Some((self.step, self.student.tensors()));
            return true;
        }
        let settings = &self.settings;
        let mut student = Student::new(settings.hidden, settings.seed, settings.lr).expect("width validated");
        let restored_step = match &self.last_good {
            Some((step, good)) => {
                student.load_tensors(good).expect("the last good weights were finite");
                *step
            }
            None => 0,
        };
        let what = if loss_bad {
            format!("the loss became {}", self.last_loss)
        } else if weights_bad {
            "a weight became non-finite".to_string()
        } else {
            "the network collapsed: every hidden unit died, so it gives the same answer in every state".to_string()
        };
        self.diverged = Some(format!(
            "Training diverged at step {} ({what}). The weights from step {restored_step} are back and training has stopped. \
             Lower the learning rate (now {}) or raise the temperature (now {}); mse and reverse_kl at low τ are the most fragile.",
            self.step, settings.lr, settings.temperature
        ));
        self.diverged_at = Some(self.step);
        self.student = student;
        self.step = restored_step;
        self.last_loss = f32::NAN;
        false
    }

    /// True when the student's logits are the same in every cell of the map shown.
    fn student_ignores_the_state(&self) -> bool {
        ignores_the_state(&self.current, &self.student_logits(&self.current))
    }

    /// Test hook: poisons one weight, as a numerical accident would.
    #[cfg(test)]
    fn poison_a_weight(&mut self) {
        let mut tensors = self.student.tensors();
        tensors[0].2[0] = f32::NAN;
        self.student.load_tensors_unchecked(&tensors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn divergence_is_caught_within_a_step_and_the_last_good_weights_return() {
        for settings in [json!({"lr": 10.0, "loss": "mse", "temperature": 0.1, "hidden": 128}), json!({"lr": 10.0, "loss": "kl", "temperature": 0.1})] {
            let mut session = Session::new(&settings).unwrap();
            let mut report = session.train(0);
            for _ in 0..200 {
                report = session.train(10);
                if report.diverged.is_some() {
                    break;
                }
            }
            let message = report.diverged.clone().unwrap_or_else(|| panic!("{settings}: never diverged; loss {}", report.loss));
            assert!(report.step < 200, "{settings}: caught late, at step {}", report.step);
            assert!(message.contains("Lower the learning rate"), "{message}");
            assert!(session.student().tensors().iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
            assert!(session.student_probs_all().iter().flatten().all(|p| p.is_finite()), "no NaN arrows");
            assert_eq!(session.train(5).step, report.step, "stopped until a setting changes");
            session.set(&json!({"lr": 0.001})).unwrap();
            let resumed = session.train(5);
            assert!(resumed.diverged.is_none() && resumed.step == report.step + 5 && resumed.loss.is_finite());
        }
    }

    #[test]
    fn a_non_finite_weight_is_caught_on_the_next_step() {
        let mut session = Session::new(&json!({})).unwrap();
        session.train(30);
        session.poison_a_weight();
        let report = session.train(1);
        let message = report.diverged.expect("a NaN weight must stop training");
        assert!(message.contains("at step 31"), "{message}");
        assert_eq!(report.step, 25, "the last good check was at step 25");
        assert!(session.student().tensors().iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
    }
}
