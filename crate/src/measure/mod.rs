//! What is measured and how: agreement, KL, greedy success and return, the held-out maps.
//! Pure functions of policies and maps; uses `env` and `student`'s probability helpers only.

pub mod heldout;
pub mod metrics;
