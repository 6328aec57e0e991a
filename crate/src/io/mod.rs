//! What leaves and enters a session as bytes or text: student files, the dataset export, the
//! worker's progress snapshots and links. Uses `training` and below; nothing below uses it.

pub mod dataset;
pub mod link;
pub mod snapshot;
pub mod student_file;
