//! One training job run by the real (sparse) student step and, in the page, by TF.js: the same
//! states, the same teacher labels, the same initial weights, the same batches in the same order,
//! the same loss (`kl`, τ = 1, mean over the batch) and the same Adam; each trains until its greedy
//! action agrees with the teacher's on `target` of the job's states, and the times to that same
//! agreement are compared. Agreement is checked every `check_every` steps, outside the timed work.
//!
//! The states: every decision cell of the first `maps` validation maps (10 × 10, 20% walls),
//! labelled by the bundled teacher. The batches: a fresh seeded shuffle of the states each epoch.

use crate::env::observation::OBS_LEN;
use crate::env::NUM_ACTIONS;
use crate::student::loss::{argmax, log_softmax, LossKind, LossSpec, TeacherTargets};
use crate::student::{NamedTensor, Objective, SparseRows, Student};
use rand::{rngs::StdRng, seq::SliceRandom, SeedableRng};

#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct JobSpec {
    pub maps: usize,
    pub hidden: usize,
    pub batch: usize,
    pub lr: f32,
    pub seed: u64,
    /// Agreement to reach, a share of the job's states.
    pub target: f64,
    pub check_every: usize,
    pub max_steps: usize,
}

impl Default for JobSpec {
    /// The page's defaults (width 64, batch 64, Adam at 3e-3) on 32 maps (2,348 states), to 85% agreement (about 1,200 steps).
    fn default() -> JobSpec {
        JobSpec { maps: 32, hidden: 64, batch: 64, lr: 3e-3, seed: 1, target: 0.85, check_every: 25, max_steps: 20_000 }
    }
}

pub struct DistillJob {
    pub spec: JobSpec,
    /// states × 245.
    pub observations: Vec<f32>,
    /// Every state's targets (p_T, log p_T at τ = 1).
    pub targets: TeacherTargets,
    /// The teacher's greedy action per state.
    pub best: Vec<usize>,
    /// The states of batch k are `order[k·batch..(k + 1)·batch]`, for `max_steps` batches.
    pub order: Vec<u32>,
}

/// How a run of the job went.
#[derive(Clone, Debug, serde::Serialize)]
pub struct JobRun {
    /// Steps taken when the agreement was first seen at or above the target (or `max_steps`).
    pub steps: usize,
    /// Milliseconds spent in those steps (batch assembly and training steps; checks excluded).
    pub train_ms: f64,
    pub agreement: f64,
    pub reached: bool,
    /// The mean batch loss over the last `check_every` steps.
    pub loss: f64,
}

impl DistillJob {
    /// The job; `teacher(observations, n)` gives the teacher's logits (n × 5).
    pub fn new(spec: JobSpec, teacher: impl Fn(&[f32], usize) -> Vec<f32>) -> Result<DistillJob, String> {
        if spec.maps == 0 || spec.batch == 0 || spec.check_every == 0 || spec.max_steps == 0 || !(0.0..=1.0).contains(&spec.target) {
            return Err(format!("a bench job needs maps, batch, check_every and max_steps ≥ 1 and a target in [0, 1]: {spec:?}"));
        }
        let mut observations = Vec::new();
        for map in crate::measure::heldout::validation_maps(spec.maps) {
            for cell in map.decision_cells() {
                observations.extend(crate::env::observation::encode(&map, cell));
            }
        }
        let states = observations.len() / OBS_LEN;
        let logits = teacher(&observations, states);
        let mut targets = TeacherTargets::with_capacity(states);
        let mut best = Vec::with_capacity(states);
        for row in logits.chunks_exact(NUM_ACTIONS) {
            let logits: [f32; NUM_ACTIONS] = std::array::from_fn(|a| row[a]);
            targets.push(&logits, &log_softmax(&logits, 1.0), argmax(&logits));
            best.push(argmax(&logits));
        }
        let mut rng = StdRng::seed_from_u64(spec.seed);
        let mut order = Vec::with_capacity(spec.max_steps * spec.batch);
        let mut epoch: Vec<u32> = (0..states as u32).collect();
        while order.len() < spec.max_steps * spec.batch {
            epoch.shuffle(&mut rng);
            order.extend_from_slice(&epoch);
        }
        order.truncate(spec.max_steps * spec.batch);
        Ok(DistillJob { spec, observations, targets, best, order })
    }

    pub fn states(&self) -> usize {
        self.best.len()
    }

    /// The student every run starts from (and its weights, which TF.js starts from too).
    pub fn student(&self) -> Result<Student, String> {
        Student::new(self.spec.hidden, self.spec.seed, self.spec.lr)
    }

    pub fn initial_tensors(&self) -> Result<Vec<NamedTensor>, String> {
        Ok(self.student()?.tensors())
    }

    /// The share of states where `logits` (states × 5) has the teacher's greedy action.
    pub fn agreement(&self, logits: &[f32]) -> f64 {
        let agree = logits.chunks_exact(NUM_ACTIONS).zip(&self.best).filter(|(row, &best)| argmax(row) == best).count();
        agree as f64 / self.states() as f64
    }

    /// Trains the fused student on the job until the target agreement (or `max_steps`).
    pub fn run_fused(&self, now: &dyn Fn() -> f64) -> Result<JobRun, String> {
        let spec = self.spec;
        let mut student = self.student()?;
        // Each step lists its samples' non-zero inputs from the dense rows, as TF.js is given them.
        let mut batch_rows = SparseRows::new();
        let mut batch_targets = TeacherTargets::with_capacity(spec.batch);
        let loss_spec = LossSpec::new(LossKind::Kl, 1.0);
        let (mut steps, mut train_ms) = (0usize, 0.0f64);
        loop {
            let started = now();
            let mut loss_sum = 0.0;
            for _ in 0..spec.check_every.min(spec.max_steps - steps) {
                let rows = &self.order[steps * spec.batch..(steps + 1) * spec.batch];
                batch_targets.clear();
                batch_rows.clear();
                for &row in rows {
                    let row = row as usize;
                    batch_rows.push_dense(&self.observations[row * OBS_LEN..(row + 1) * OBS_LEN]);
                    let range = row * NUM_ACTIONS..(row + 1) * NUM_ACTIONS;
                    let logits: [f32; NUM_ACTIONS] = std::array::from_fn(|a| self.targets.logits[range.start + a]);
                    let log_probs: [f32; NUM_ACTIONS] = std::array::from_fn(|a| self.targets.log_probs[range.start + a]);
                    batch_targets.push(&logits, &log_probs, self.best[row]);
                }
                let objective = Objective::Distill { spec: loss_spec, teacher: &batch_targets, plan: None };
                loss_sum += student.train_step(&batch_rows, &objective) as f64;
                steps += 1;
            }
            train_ms += now() - started;
            let agreement = self.agreement(&student.logits(&self.observations, self.states()));
            if agreement >= spec.target || steps >= spec.max_steps {
                return Ok(JobRun { steps, train_ms, agreement, reached: agreement >= spec.target, loss: loss_sum / spec.check_every as f64 });
            }
        }
    }

    /// The job as TF.js gets it: states, targets, teacher actions, batch order, initial weights.
    pub fn data(&self) -> Result<serde_json::Value, String> {
        let tensors = self.initial_tensors()?;
        let get = |name: &str| tensors.iter().find(|(n, _, _)| n == name).map(|(_, _, v)| v.clone()).expect("a student has its tensors");
        let h = self.spec.hidden;
        Ok(serde_json::json!({
            "spec": self.spec,
            "states": self.states(),
            "observations": self.observations,
            "probs": self.targets.probs,
            "logProbs": self.targets.log_probs,
            "best": self.best,
            "order": self.order,
            // TF.js's layout: w1 is 245 × H (input-major), w2 is H × 5.
            "w1": crate::student::kernels::transpose(&get("hidden.weight"), h, OBS_LEN),
            "b1": get("hidden.bias"),
            "w2": crate::student::kernels::transpose(&get("policy.weight"), NUM_ACTIONS, h),
            "b2": get("policy.bias"),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_is_learnable_and_its_data_is_consistent() {
        let teacher = crate::teacher::bundled::bundled_teacher();
        let spec = JobSpec { maps: 4, target: 0.8, max_steps: 3000, ..JobSpec::default() };
        let job = DistillJob::new(spec, |obs, n| teacher.logits(obs, n)).unwrap();
        assert!(job.states() > 100);
        let clock = std::time::Instant::now();
        let now = move || clock.elapsed().as_secs_f64() * 1000.0;
        let run = job.run_fused(&now).unwrap();
        assert!(run.reached, "{run:?}");
        assert_eq!(run.steps % spec.check_every, 0);
        let data = job.data().unwrap();
        assert_eq!(data["order"].as_array().unwrap().len(), spec.max_steps * spec.batch);
        assert_eq!(data["w1"].as_array().unwrap().len(), OBS_LEN * spec.hidden);
    }
}
