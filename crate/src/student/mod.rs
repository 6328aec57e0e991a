//! The student network, every distillation loss with its closed-form gradient, and the fused step
//! that trains it (dfdx is the reference every gradient is checked against). Uses `env` only.
//!
//! What runs when a student trains: `fused` (forward, `loss_grad`'s closed-form gradient, backward
//! and Adam in one pass), built on `kernels` (the sparse first layer), `adam` (the update) and
//! `lanes` (four-lane arithmetic in the same order natively and in wasm). `loss` writes each loss in dfdx ops: it defines the reference values and
//! gradients the tests check `loss_grad` and `fused` against, and it trains the teacher.

mod adam;
pub mod fused;
pub(crate) mod kernels;
pub(crate) mod lanes;
pub mod loss;
pub mod loss_grad;
pub mod network;
pub mod objective;
pub mod sparse_rows;
pub mod weights;

pub use network::{mlp_multiply_adds, mlp_params, Engine, Student, CURVE_WIDTHS, STUDENT_WIDTHS};
pub use objective::{Objective, PLAN_STEPS};
pub use sparse_rows::SparseRows;
pub use weights::NamedTensor;
