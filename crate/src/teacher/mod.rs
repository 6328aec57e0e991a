//! The teacher: the bundled neural policy (weights from bytes, one process-wide copy), how it was
//! trained, and its targets as a student sees them on a map. Uses `env`, `student` and `measure`.

pub mod bundled;
pub mod gaps;
pub mod network;
pub mod targets;
pub mod training;

pub use network::{NeuralTeacher, TeacherMember, TEACHER_MEMBERS, TEACHER_ROLE};
