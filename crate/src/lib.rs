//! distill-playground: a tiny student network learns a gridworld teacher's policy by knowledge
//! distillation. The core below is pure Rust and tests natively; `web` is the only wasm layer.
//!
//! - `env`: gridworld rules, built-in and random maps, the text form, the 245-float observation
//! - `planner`: exact value iteration, the oracle teacher
//! - `teacher`: the bundled neural teacher (weights from bytes); `teacher_training` makes it
//! - `targets`: the teacher as the student sees it on a map (oracle, neural, mix, noise, τ)
//! - `loss`: every distillation loss as dfdx ops, each with its formula and reference
//! - `student`: the MLP student and its Adam optimiser, trained by dfdx or by the fused step
//! - `fused`, `loss_grad`: the fused training step and each loss's closed-form gradient (checked against dfdx)
//! - `metrics`, `heldout`: agreement, KL, greedy success and return; the held-out maps
//! - `settings`: every setting, its range, and checked parsing of updates
//! - `soak`: the long-run schedule of setting changes used by the soak tests
//! - `session`: one training session tying the above together; `ledger`: teacher vs student
//! - `weights`: safetensors files from and to bytes; `student_file`, `dataset`: what the page saves
//! - `benchmark`, `yardstick`: timed workloads for the benches and the dense loop they compare against
//! - `web` (wasm only): the JS API and canvas drawing

pub mod benchmark;
pub mod data;
pub mod dataset;
pub mod env;
pub mod fused;
pub mod heldout;
pub mod ledger;
pub mod link;
pub mod loss;
pub mod loss_grad;
pub mod metrics;
pub mod planner;
pub mod scenarios;
pub mod session;
pub mod settings;
pub mod snapshot;
pub mod soak;
pub mod student;
pub mod student_file;
pub mod targets;
pub mod teacher;
pub mod teacher_training;
pub mod weights;
pub mod yardstick;

#[cfg(target_arch = "wasm32")]
pub mod web;
