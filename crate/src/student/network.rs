//! The student: an MLP 245 → hidden → 5 with ReLU (plus a training-only plan head hidden → 4×5),
//! trained with Adam by one of two engines behind a small trait: dfdx (the reference, whose
//! autodiff defines every gradient) or the fused step (`fused`, the default: the same gradients,
//! checked against dfdx's in tests, several times faster). Both start from dfdx's seeded init.

use crate::env::observation::OBS_LEN;
use crate::env::NUM_ACTIONS;
use super::fused::FusedMlp;
use super::loss::{distill_loss, LossSpec};
use super::objective::{Objective, PLAN_STEPS};
use super::sparse_rows::SparseRows;
use super::weights::NamedTensor;
use dfdx::nn::modules::{Linear, ReLU};
use dfdx::optim::Adam;
use dfdx::prelude::*;

/// Hidden widths a student can have (the page offers 8–128; sweeps and benches use the rest).
pub const STUDENT_WIDTHS: [usize; 8] = [4, 8, 16, 32, 64, 128, 256, 512];
/// The widths of the compression curve (the sweep, the compression lesson, the bench's cohort), and
/// the ones the page and the web component offer.
pub const CURVE_WIDTHS: [usize; 6] = [4, 8, 16, 32, 64, 128];

const PLAN_OUTPUTS: usize = PLAN_STEPS * NUM_ACTIONS;

/// (trunk, policy head, plan head). Only trunk + policy head act; the plan head is trained
/// (chain-of-thought / plan distillation) and drawn, never used for decisions.
type Mlp<const H: usize> = ((Linear<OBS_LEN, H, f32, Cpu>, ReLU), Linear<H, NUM_ACTIONS, f32, Cpu>, Linear<H, PLAN_OUTPUTS, f32, Cpu>);
type MlpArch<const H: usize> = (
    (dfdx::nn::builders::Linear<OBS_LEN, H>, dfdx::nn::builders::ReLU),
    dfdx::nn::builders::Linear<H, NUM_ACTIONS>,
    dfdx::nn::builders::Linear<H, PLAN_OUTPUTS>,
);

/// What the rest of the crate needs from a student of any width.
trait Network {
    fn forward(&self, observations: &[f32], batch: usize) -> Vec<f32>;
    fn plan_logits(&self, observations: &[f32], batch: usize) -> Vec<f32>;
    fn train_step(&mut self, rows: &SparseRows, objective: &Objective) -> f32;
    /// The policy logits (batch × 5) of a batch about to be trained on, keeping what the forward
    /// pass computed (with the plan head's, if `plan`) so `train_step_after_forward` on the same
    /// rows need not compute it again. By default a plain forward pass.
    fn forward_for_step(&mut self, rows: &SparseRows, _plan: bool) -> Vec<f32> {
        self.forward(&rows.to_dense(), rows.len())
    }
    /// `train_step` on the rows `forward_for_step` just saw, with the weights unchanged since. By
    /// default the whole step again.
    fn train_step_after_forward(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        self.train_step(rows, objective)
    }
    fn set_learning_rate(&mut self, lr: f32);
    fn tensors(&self) -> Vec<NamedTensor>;
    /// Whether every weight is finite: each tensor's sum is (NaN and ±∞ carry through a sum), so
    /// no copy of the weights is made — this runs after every training step.
    fn weights_finite(&self) -> bool;
    /// `check_finite` false only in tests that poison a weight on purpose.
    fn load_tensors(&mut self, tensors: &[NamedTensor], check_finite: bool) -> Result<(), String>;
    /// The loss and every parameter's gradient for one batch, named as `tensors` (no step taken).
    fn gradients(&mut self, rows: &SparseRows, objective: &Objective) -> (f32, Vec<NamedTensor>);
}

crate::named_choice! {
    /// Which code trains the student.
    pub enum Engine {
        /// dfdx's modules, autodiff and Adam.
        Dfdx = "dfdx",
        /// The hand-fused step of `fused` (sparse first layer, no allocation per step).
        Fused = "fused",
    }
}


impl Network for FusedMlp {
    fn forward(&self, observations: &[f32], _batch: usize) -> Vec<f32> {
        self.infer(observations, false)
    }
    fn plan_logits(&self, observations: &[f32], _batch: usize) -> Vec<f32> {
        self.infer(observations, true)
    }
    fn train_step(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        FusedMlp::train_step(self, rows, objective)
    }
    fn forward_for_step(&mut self, rows: &SparseRows, plan: bool) -> Vec<f32> {
        FusedMlp::forward_for_step(self, rows, plan)
    }
    fn train_step_after_forward(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        FusedMlp::train_step_after_forward(self, rows, objective)
    }
    fn set_learning_rate(&mut self, lr: f32) {
        FusedMlp::set_learning_rate(self, lr)
    }
    fn tensors(&self) -> Vec<NamedTensor> {
        FusedMlp::tensors(self)
    }
    fn weights_finite(&self) -> bool {
        FusedMlp::weights_finite(self)
    }
    fn load_tensors(&mut self, tensors: &[NamedTensor], check_finite: bool) -> Result<(), String> {
        FusedMlp::load_tensors(self, tensors, check_finite)
    }
    fn gradients(&mut self, rows: &SparseRows, objective: &Objective) -> (f32, Vec<NamedTensor>) {
        FusedMlp::gradients(self, rows, objective)
    }
}

struct FixedWidth<const H: usize> {
    dev: Cpu,
    model: Mlp<H>,
    optimizer: Adam<Mlp<H>, f32, Cpu>,
    grads: Option<Gradients<f32, Cpu>>,
}

impl<const H: usize> FixedWidth<H> {
    fn new(seed: u64, lr: f32) -> Self {
        let dev = Cpu::seed_from_u64(seed);
        let model = dev.build_module::<MlpArch<H>, f32>();
        let optimizer = Adam::new(&model, AdamConfig { lr: lr as f64, ..Default::default() });
        let grads = Some(model.alloc_grads());
        FixedWidth { dev, model, optimizer, grads }
    }
}

impl<const H: usize> FixedWidth<H> {
    /// The loss of one batch and dfdx's gradients of it (the model is not changed).
    fn loss_and_gradients(&mut self, rows: &SparseRows, objective: &Objective) -> (f32, Gradients<f32, Cpu>) {
        let batch = rows.len();
        let grads = self.grads.take().unwrap_or_else(|| self.model.alloc_grads());
        let x = self.dev.tensor_from_vec(rows.to_dense(), (batch, Const::<OBS_LEN>)).traced(grads);
        let hidden = self.model.0.forward_mut(x);
        let loss = match objective {
            Objective::Distill { spec, teacher, plan } => match plan {
                Some((plan_targets, weight)) if *weight > 0.0 => {
                    let plan_logits = self.model.2.forward_mut(hidden.retaped::<OwnedTape<f32, Cpu>>());
                    let logits = self.model.1.forward_mut(hidden);
                    let distill = distill_loss(&self.dev, spec, logits, teacher);
                    // Cross-entropy of each of the 4 predicted steps, averaged over steps and batch.
                    let log_p = plan_logits.reshape_like(&(batch, Const::<PLAN_STEPS>, Const::<NUM_ACTIONS>)).log_softmax::<Axis<2>>();
                    let targets = self.dev.tensor_from_vec(plan_targets.to_vec(), (batch, Const::<PLAN_STEPS>, Const::<NUM_ACTIONS>));
                    let plan_loss = (log_p * targets).sum::<(usize, Const<PLAN_STEPS>), _>().mean().negate();
                    distill + plan_loss * *weight
                }
                _ => distill_loss(&self.dev, spec, self.model.1.forward_mut(hidden), teacher),
            },
            Objective::PolicyGradient { weighted_actions, teacher, kickstart } => {
                let logits = self.model.1.forward_mut(hidden);
                let hard = LossSpec::new(crate::student::loss::LossKind::Hard, 1.0);
                if *kickstart > 0.0 {
                    let kl = LossSpec::new(crate::student::loss::LossKind::Kl, 1.0);
                    let guide = distill_loss(&self.dev, &kl, logits.retaped::<OwnedTape<f32, Cpu>>(), teacher);
                    distill_loss(&self.dev, &hard, logits, weighted_actions) + guide * *kickstart
                } else {
                    distill_loss(&self.dev, &hard, logits, weighted_actions)
                }
            }
        };
        let value = loss.array();
        (value, loss.backward())
    }
}

impl<const H: usize> Network for FixedWidth<H> {
    fn forward(&self, observations: &[f32], batch: usize) -> Vec<f32> {
        let x = self.dev.tensor_from_vec(observations.to_vec(), (batch, Const::<OBS_LEN>));
        self.model.1.forward(self.model.0.forward(x)).as_vec()
    }

    fn plan_logits(&self, observations: &[f32], batch: usize) -> Vec<f32> {
        let x = self.dev.tensor_from_vec(observations.to_vec(), (batch, Const::<OBS_LEN>));
        self.model.2.forward(self.model.0.forward(x)).as_vec()
    }

    fn train_step(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        let (value, mut grads) = self.loss_and_gradients(rows, objective);
        // Adam's update cannot fail on the CPU device for tensors the model itself owns.
        self.optimizer.update(&mut self.model, &grads).expect("Adam update on the model's own tensors");
        self.model.zero_grads(&mut grads);
        self.grads = Some(grads);
        value
    }

    fn gradients(&mut self, rows: &SparseRows, objective: &Objective) -> (f32, Vec<NamedTensor>) {
        let (value, mut grads) = self.loss_and_gradients(rows, objective);
        let m = &self.model;
        let named = self
            .tensors()
            .into_iter()
            .zip([
                grads.get(&m.0 .0.weight).as_vec(),
                grads.get(&m.0 .0.bias).as_vec(),
                grads.get(&m.1.weight).as_vec(),
                grads.get(&m.1.bias).as_vec(),
                grads.get(&m.2.weight).as_vec(),
                grads.get(&m.2.bias).as_vec(),
            ])
            .map(|((name, shape, _), grad)| (name, shape, grad))
            .collect();
        self.model.zero_grads(&mut grads);
        self.grads = Some(grads);
        (value, named)
    }

    fn set_learning_rate(&mut self, lr: f32) {
        self.optimizer.cfg.lr = lr as f64;
    }

    fn weights_finite(&self) -> bool {
        let m = &self.model;
        [
            m.0 .0.weight.clone().sum::<Rank0, _>().array(),
            m.0 .0.bias.clone().sum::<Rank0, _>().array(),
            m.1.weight.clone().sum::<Rank0, _>().array(),
            m.1.bias.clone().sum::<Rank0, _>().array(),
            m.2.weight.clone().sum::<Rank0, _>().array(),
            m.2.bias.clone().sum::<Rank0, _>().array(),
        ]
        .iter()
        .all(|sum| sum.is_finite())
    }

    fn tensors(&self) -> Vec<NamedTensor> {
        vec![
            ("hidden.weight".into(), vec![H, OBS_LEN], self.model.0 .0.weight.as_vec()),
            ("hidden.bias".into(), vec![H], self.model.0 .0.bias.as_vec()),
            ("policy.weight".into(), vec![NUM_ACTIONS, H], self.model.1.weight.as_vec()),
            ("policy.bias".into(), vec![NUM_ACTIONS], self.model.1.bias.as_vec()),
            ("plan.weight".into(), vec![PLAN_OUTPUTS, H], self.model.2.weight.as_vec()),
            ("plan.bias".into(), vec![PLAN_OUTPUTS], self.model.2.bias.as_vec()),
        ]
    }

    fn load_tensors(&mut self, tensors: &[NamedTensor], check_finite: bool) -> Result<(), String> {
        let expected = self.tensors();
        for (name, shape, _) in &expected {
            let found = tensors.iter().find(|(n, _, _)| n == name).ok_or_else(|| format!("missing tensor '{name}'"))?;
            if &found.1 != shape {
                return Err(format!("tensor '{name}' has shape {:?}, expected {shape:?}", found.1));
            }
            if let Some(bad) = found.2.iter().find(|v| check_finite && !v.is_finite()) {
                return Err(format!("tensor '{name}' holds a non-finite value ({bad})"));
            }
        }
        let get = |name: &str| &tensors.iter().find(|(n, _, _)| n == name).expect("checked above").2;
        self.model.0 .0.weight.copy_from(get("hidden.weight"));
        self.model.0 .0.bias.copy_from(get("hidden.bias"));
        self.model.1.weight.copy_from(get("policy.weight"));
        self.model.1.bias.copy_from(get("policy.bias"));
        self.model.2.weight.copy_from(get("plan.weight"));
        self.model.2.bias.copy_from(get("plan.bias"));
        Ok(())
    }
}

/// A student network of a width chosen at run time, with its Adam state.
pub struct Student {
    hidden: usize,
    network: Box<dyn Network>,
}

impl Student {
    /// A freshly initialised student (dfdx's default init, seeded) trained by the fused engine.
    /// `hidden` must be in `STUDENT_WIDTHS`.
    pub fn new(hidden: usize, seed: u64, lr: f32) -> Result<Student, String> {
        Student::with_engine(hidden, seed, lr, Engine::Fused)
    }

    /// As `new`, trained by the chosen engine; both engines start from the same weights.
    pub fn with_engine(hidden: usize, seed: u64, lr: f32, engine: Engine) -> Result<Student, String> {
        let dfdx = Student::dfdx(hidden, seed, lr)?;
        let network: Box<dyn Network> = match engine {
            Engine::Dfdx => dfdx,
            Engine::Fused => Box::new(FusedMlp::from_tensors(hidden, &dfdx.tensors(), lr)?),
        };
        Ok(Student { hidden, network })
    }

    /// A student trained by the fused engine from here on: one member taken out of a cohort
    /// (`FusedMlp::member`).
    pub fn from_fused(network: FusedMlp) -> Student {
        assert_eq!(network.members(), 1, "a student is one network: take a cohort's members one at a time");
        Student { hidden: network.member_width(0), network: Box::new(network) }
    }

    fn dfdx(hidden: usize, seed: u64, lr: f32) -> Result<Box<dyn Network>, String> {
        Ok(match hidden {
            4 => Box::new(FixedWidth::<4>::new(seed, lr)),
            8 => Box::new(FixedWidth::<8>::new(seed, lr)),
            16 => Box::new(FixedWidth::<16>::new(seed, lr)),
            32 => Box::new(FixedWidth::<32>::new(seed, lr)),
            64 => Box::new(FixedWidth::<64>::new(seed, lr)),
            128 => Box::new(FixedWidth::<128>::new(seed, lr)),
            256 => Box::new(FixedWidth::<256>::new(seed, lr)),
            512 => Box::new(FixedWidth::<512>::new(seed, lr)),
            other => return Err(format!("hidden width {other} is not supported: choose one of {STUDENT_WIDTHS:?}")),
        })
    }

    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// Parameters of the acting network, (245 + 1)·H + (H + 1)·5 (the plan head, used only in
    /// training, is not counted).
    pub fn param_count(&self) -> usize {
        mlp_params(&[OBS_LEN, self.hidden, NUM_ACTIONS])
    }

    /// Multiply-adds for one decision: 245·H + H·5.
    pub fn multiply_adds(&self) -> usize {
        mlp_multiply_adds(&[OBS_LEN, self.hidden, NUM_ACTIONS])
    }

    /// Logits for `batch` observations laid out row-major (batch × 245); returns batch × 5.
    pub fn logits(&self, observations: &[f32], batch: usize) -> Vec<f32> {
        if batch == 0 {
            return Vec::new();
        }
        self.network.forward(observations, batch)
    }

    /// One Adam step on one batch (each sample's non-zero inputs); returns the batch loss before the step.
    pub fn train_step(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        self.network.train_step(rows, objective)
    }

    /// The policy logits (batch × 5) of the batch the next `train_step_after_forward` trains on: a
    /// step split in two, so another network's targets can be made from these logits between the
    /// halves (mutual learning) without a second forward pass. The logits are `logits`' to the bit.
    pub fn forward_for_step(&mut self, rows: &SparseRows, plan: bool) -> Vec<f32> {
        self.network.forward_for_step(rows, plan)
    }

    /// The rest of the step `forward_for_step` began (the weights unchanged since): the same
    /// result as `train_step` on the same rows.
    pub fn train_step_after_forward(&mut self, rows: &SparseRows, objective: &Objective) -> f32 {
        self.network.train_step_after_forward(rows, objective)
    }

    /// The plan head's logits (batch × 4 × 5): its guess of the teacher's next 4 actions.
    pub fn plan_logits(&self, observations: &[f32], batch: usize) -> Vec<f32> {
        if batch == 0 {
            return Vec::new();
        }
        self.network.plan_logits(observations, batch)
    }

    pub fn set_learning_rate(&mut self, lr: f32) {
        self.network.set_learning_rate(lr);
    }

    /// The weights, named as in the exported files.
    pub fn tensors(&self) -> Vec<NamedTensor> {
        self.network.tensors()
    }

    /// Whether every weight is finite (cheap: no copy of the weights).
    pub fn weights_finite(&self) -> bool {
        self.network.weights_finite()
    }

    /// Replaces the weights after checking names, shapes and finiteness; on error nothing changes.
    pub fn load_tensors(&mut self, tensors: &[NamedTensor]) -> Result<(), String> {
        self.network.load_tensors(tensors, true)
    }

    /// The loss and every parameter's gradient for one batch (no step taken): how tests compare engines.
    pub fn gradients(&mut self, rows: &SparseRows, objective: &Objective) -> (f32, Vec<NamedTensor>) {
        self.network.gradients(rows, objective)
    }

    /// As `load_tensors` but lets non-finite values in: for tests of the divergence guard only.
    #[cfg(test)]
    pub(crate) fn load_tensors_unchecked(&mut self, tensors: &[NamedTensor]) {
        self.network.load_tensors(tensors, false).expect("names and shapes are the student's own");
    }
}

/// Parameter count of a fully connected network with the given layer sizes (weights + biases).
pub fn mlp_params(layers: &[usize]) -> usize {
    layers.windows(2).map(|w| (w[0] + 1) * w[1]).sum()
}

/// Multiply-adds per decision of a fully connected network with the given layer sizes.
pub fn mlp_multiply_adds(layers: &[usize]) -> usize {
    layers.windows(2).map(|w| w[0] * w[1]).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matmul_accumulates_correctly() {
        crate::checks::dfdx_matmul_accumulates();
    }

    #[test]
    fn counts_and_seeding() {
        let student = Student::new(64, 3, 1e-3).unwrap();
        assert_eq!(student.param_count(), (OBS_LEN + 1) * 64 + 65 * 5);
        assert_eq!(student.multiply_adds(), OBS_LEN * 64 + 64 * 5);
        let again = Student::new(64, 3, 1e-3).unwrap();
        assert_eq!(student.tensors(), again.tensors());
        assert_ne!(student.tensors(), Student::new(64, 4, 1e-3).unwrap().tensors());
        assert!(Student::new(48, 1, 1e-3).err().unwrap().contains("48"));
    }

    // Both also run in the browser (tests/web.rs): one body, in `checks`.
    #[test]
    fn the_fused_engine_has_dfdx_gradients_for_every_objective() {
        crate::checks::fused_gradients_match_dfdx();
    }

    #[test]
    fn both_engines_take_the_same_adam_steps() {
        crate::checks::fused_adam_steps_match_dfdx();
    }

    #[test]
    fn load_refuses_wrong_shapes_and_changes_nothing() {
        let mut student = Student::new(8, 1, 1e-3).unwrap();
        let before = student.tensors();
        let mut other = Student::new(16, 2, 1e-3).unwrap().tensors();
        assert!(student.load_tensors(&other).err().unwrap().contains("shape"));
        other = Student::new(8, 2, 1e-3).unwrap().tensors();
        other[1].2[0] = f32::NAN;
        assert!(student.load_tensors(&other).err().unwrap().contains("non-finite"));
        assert_eq!(student.tensors(), before);
    }
}
