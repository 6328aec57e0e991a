//! The one process-wide copy of the bundled teacher: compiled in (`embedded-teacher`) or installed
//! from its weights file by the page. With the memos of labelled maps (`training::memo`, caches of
//! pure functions), the crate's only global state.

use super::network::NeuralTeacher;
use std::sync::OnceLock;

static TEACHER: OnceLock<NeuralTeacher> = OnceLock::new();

/// The bundled teacher, decoded once per process: the compiled-in file (`embedded-teacher`), or the
/// one given to `install_teacher`. Callers check `teacher_available` first where it may be missing.
pub fn bundled_teacher() -> &'static NeuralTeacher {
    TEACHER.get_or_init(|| {
        #[cfg(feature = "embedded-teacher")]
        return NeuralTeacher::bundled().expect("the bundled teacher decodes (checked by a native test)");
        #[cfg(not(feature = "embedded-teacher"))]
        panic!("the teacher's weights are not loaded (checked before every use by teacher_available)");
    })
}

/// Installs the teacher from its weights file (the page fetches it beside the wasm). The first
/// good file wins; a broken one is refused with the reason and changes nothing.
pub fn install_teacher(bytes: &[u8]) -> Result<(), String> {
    if TEACHER.get().is_none() {
        let teacher = NeuralTeacher::from_bytes(bytes).map_err(|e| format!("the teacher file was refused: {e}"))?;
        let _ = TEACHER.set(teacher);
    }
    Ok(())
}

/// Whether `bundled_teacher` can answer: compiled in, or installed.
pub fn teacher_available() -> bool {
    cfg!(feature = "embedded-teacher") || TEACHER.get().is_some()
}
