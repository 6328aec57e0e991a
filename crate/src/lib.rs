//! distill-playground: a tiny student network learns a gridworld teacher's policy by knowledge
//! distillation. The core below is pure Rust and tests natively; `web` is the only wasm layer.
//!
//! - `env`: gridworld rules, built-in and random maps, the text form, the 149-float observation
//! - `planner`: exact value iteration, the oracle teacher
//! - `loss`: every distillation loss as dfdx ops, each with its formula and reference
//! - `student`: the dfdx MLP student and its Adam optimiser
//! - `metrics`: agreement, KL, greedy success and return
//! - `settings`: every setting, its range, and checked parsing of updates
//! - `session`: one training session tying the above together
//! - `web` (wasm only): the JS API and canvas drawing

pub mod env;
pub mod loss;
pub mod metrics;
pub mod planner;
pub mod session;
pub mod settings;
pub mod student;

#[cfg(target_arch = "wasm32")]
pub mod web;
