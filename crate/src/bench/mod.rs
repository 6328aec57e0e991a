//! Timed workloads for `npm run bench` and `distill bench`, the dense yardstick they are compared
//! against, and the soak schedule of the long-run tests. Uses everything; nothing uses it.

pub mod soak;
pub mod workloads;
pub mod yardstick;
