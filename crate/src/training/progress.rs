//! A session's training progress: what the page's training worker posts after each slice of
//! steps and the drawing thread's mirror session adopts (`io::snapshot` turns it into bytes).

use crate::student::NamedTensor;
use crate::training::data::PipelineCounts;
use crate::training::guard::Divergence;
use crate::training::session::Session;

/// Everything the drawing side shows of a training session that training changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub step: u64,
    pub loss: f32,
    pub diverged: Option<Divergence>,
    pub counts: PipelineCounts,
    /// Records logged per cell of the map shown (the heatmap).
    pub visits: Vec<u32>,
    pub finetune_steps: u64,
    /// The student's weights, named as in student files.
    pub tensors: Vec<NamedTensor>,
}

impl Session {
    /// What training has changed since the last reset: posted by the page's training worker.
    pub fn progress(&self) -> Progress {
        Progress {
            step: self.step,
            loss: self.last_loss,
            diverged: self.diverged.clone(),
            counts: self.counts,
            visits: self.visits.clone(),
            finetune_steps: self.finetune_steps,
            tensors: self.student.tensors(),
        }
    }

    /// Takes on the progress of a session with the same settings that trained elsewhere (the
    /// page's training worker), so this one can draw and answer for it. Progress from other
    /// settings (another width, another map) is refused and nothing changes.
    pub fn adopt(&mut self, progress: Progress) -> Result<(), String> {
        if progress.visits.len() != self.visits.len() {
            return Err(format!("the progress is for a map of {} cells, not this one's {}", progress.visits.len(), self.visits.len()));
        }
        self.student.load_tensors(&progress.tensors)?;
        self.step = progress.step;
        self.last_loss = progress.loss;
        self.diverged = progress.diverged;
        self.counts = progress.counts;
        self.visits = progress.visits;
        self.finetune_steps = progress.finetune_steps;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_mirror_adopting_progress_answers_like_the_trained_session() {
        let settings = json!({"map": "maze", "hidden": 16, "seed": 5, "data": "mix"});
        let mut trained = Session::new(&settings).unwrap();
        trained.train(120);
        let mut mirror = Session::new(&settings).unwrap();
        let bytes = crate::io::snapshot::encode(&trained.progress());
        mirror.adopt(crate::io::snapshot::decode(&bytes).unwrap()).unwrap();
        assert_eq!(mirror.report(), trained.report());
        assert_eq!(mirror.pipeline(), trained.pipeline());
        assert_eq!(mirror.visits(), trained.visits());
        assert_eq!(mirror.student_probs_all(), trained.student_probs_all());
        // Progress of another map is refused and changes nothing.
        let mut other = Session::new(&json!({"map": "open", "hidden": 16})).unwrap();
        let before = other.report();
        assert!(other.adopt(trained.progress()).unwrap_err().contains("cells"));
        assert_eq!(other.report(), before);
    }
}
