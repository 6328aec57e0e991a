//! What is measured and how: agreement, KL, greedy success and return, the held-out maps, and the
//! summaries over seeds (mean, sample SD, 95% interval).
//! Pure functions of policies and maps; uses `env` and `student`'s probability helpers only.

pub mod evaluation;
pub mod heldout;
pub mod metrics;
pub mod stats;
