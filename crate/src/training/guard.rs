//! The divergence guard: after every step, a non-finite loss or weight (or a collapsed network)
//! brings back the last good weights, stops training and says what to change.

use crate::messages::Message;
use crate::student::Student;
use crate::training::map_data::MapData;
use crate::training::session::Session;
use serde::{Deserialize, Serialize};

/// Why the guard stopped training, kept as data (it crosses from the page's training worker to the
/// page in a progress snapshot), and said as a catalogue message (`message`) in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Divergence {
    /// The step at which the guard found it.
    pub step: u64,
    /// The step whose weights are back.
    pub restored_step: u64,
    pub cause: DivergenceCause,
    /// The settings the message suggests changing, as they were.
    pub lr: f32,
    pub temperature: f32,
}

/// What the guard found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DivergenceCause {
    /// A non-finite loss, as written ("NaN", "inf").
    Loss { loss: String },
    /// A non-finite weight.
    Weight,
    /// Every hidden unit died: the same answer in every state.
    Collapsed,
}

impl Divergence {
    /// What happened and what to change, as a catalogue message (`guard.diverged…`).
    pub fn message(&self) -> Message {
        let key = match self.cause {
            DivergenceCause::Loss { .. } => "guard.divergedLoss",
            DivergenceCause::Weight => "guard.divergedWeight",
            DivergenceCause::Collapsed => "guard.divergedCollapsed",
        };
        let message = Message::new(key).with("step", self.step).with("restored", self.restored_step).with("lr", self.lr).with("temperature", self.temperature);
        match &self.cause {
            DivergenceCause::Loss { loss } => message.with("loss", loss),
            _ => message,
        }
    }
}

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
        let cause = if loss_bad {
            DivergenceCause::Loss { loss: self.last_loss.to_string() }
        } else if weights_bad {
            DivergenceCause::Weight
        } else {
            DivergenceCause::Collapsed
        };
        self.diverged = Some(Divergence { step: self.step, restored_step, cause, lr: settings.lr, temperature: settings.temperature });
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
            let message = report.diverged.clone().unwrap_or_else(|| panic!("{settings}: never diverged; loss {}", report.loss)).to_string();
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
        assert_eq!(message.key, "guard.divergedWeight");
        assert_eq!(
            message.to_string(),
            "Training diverged at step 31 (a weight became non-finite). The weights from step 25 are back and training has stopped. \
             Lower the learning rate (now 0.003) or raise the temperature (now 1); mse and reverse_kl at low τ are the most fragile."
        );
        assert_eq!(report.step, 25, "the last good check was at step 25");
        assert!(session.student().tensors().iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
    }
}
