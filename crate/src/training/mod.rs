//! One training session and everything it runs: settings, data collection and replay, the
//! distillation step (with a peer student: `peer`), RL fine-tuning, the divergence guard, the ledger, the scenarios and lessons.
//! Uses `env`, `student`, `teacher` and `measure`; `io`, `bench`, `web` and `bin` use it.

mod collect;
pub mod data;
mod distill;
pub mod episode;
mod finetune;
pub mod guard;
pub mod human;
pub mod ledger;
pub mod lessons;
pub mod map_data;
pub mod map_pool;
pub mod memo;
mod peer;
pub mod progress;
mod queries;
pub mod scenarios;
pub mod session;
pub mod settings;

pub use session::Session;
