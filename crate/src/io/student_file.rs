//! Saving and loading a student: safetensors (readable by PyTorch's `safetensors` package) or JSON.
//! Loading checks everything on a fresh network first, so a failed load changes nothing.

use crate::env::observation::{OBS_LEN, OBS_VERSION};
use crate::messages::Message;
use crate::student::{NamedTensor, Student, STUDENT_WIDTHS};
use crate::student::weights::{self, Storage};
use crate::training::Session;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const STUDENT_ROLE: &str = "student";

fn architecture(hidden: usize) -> String {
    format!("mlp {OBS_LEN}-{hidden}-5 relu, plan head {hidden}-20")
}

/// The student as a safetensors file (f32), with role, architecture, observation version and step.
pub fn to_safetensors(student: &Student, step: u64) -> Vec<u8> {
    let metadata = HashMap::from([
        ("role".to_string(), STUDENT_ROLE.to_string()),
        ("architecture".to_string(), architecture(student.hidden())),
        ("observation".to_string(), OBS_VERSION.to_string()),
        ("hidden".to_string(), student.hidden().to_string()),
        ("step".to_string(), step.to_string()),
    ]);
    weights::encode(&student.tensors(), &metadata, Storage::F32)
}

/// The student as JSON: `{role, architecture, observation, hidden, step, tensors: {name: {shape, values}}}`.
pub fn to_json(student: &Student, step: u64) -> String {
    let tensors: serde_json::Map<String, Value> =
        student.tensors().into_iter().map(|(name, shape, values)| (name, json!({"shape": shape, "values": values}))).collect();
    json!({
        "role": STUDENT_ROLE, "architecture": architecture(student.hidden()), "observation": OBS_VERSION,
        "hidden": student.hidden(), "step": step, "tensors": tensors,
    })
    .to_string()
}

/// A loaded student file: its width, its step and its tensors, checked.
pub struct LoadedStudent {
    pub hidden: usize,
    pub step: u64,
    pub tensors: Vec<NamedTensor>,
}

fn check(role: &str, observation: &str, hidden: Option<usize>) -> Result<usize, Message> {
    if role == crate::teacher::TEACHER_ROLE {
        return Err(Message::new("error.student.teacherFile"));
    }
    if role != STUDENT_ROLE {
        return Err(Message::new("error.student.role").with("role", role).with("expected", STUDENT_ROLE));
    }
    if observation != OBS_VERSION {
        return Err(Message::new("error.student.observation").with("version", observation).with("expected", OBS_VERSION));
    }
    let hidden = hidden.ok_or(Message::new("error.student.noWidth"))?;
    if !STUDENT_WIDTHS.contains(&hidden) {
        return Err(Message::new("error.student.width").with("width", hidden).with("options", format!("{STUDENT_WIDTHS:?}")));
    }
    Ok(hidden)
}

/// A refusal from below this module (the safetensors reader, the network's shape checks): its
/// words are technical and stay as they are, inside a sentence of the reader's language.
fn unreadable(detail: impl ToString) -> Message {
    Message::new("error.student.unreadable").with("detail", detail.to_string())
}

/// The array `key` of the JSON tensor `name`, each entry converted by `convert`; an entry it
/// refuses gives the error "tensor '{name}': {what}".
fn json_array<T>(tensor: &Value, name: &str, key: &str, what: &'static str, convert: impl Fn(&Value) -> Option<T>) -> Result<Vec<T>, Message> {
    let entries = tensor.get(key).and_then(Value::as_array).ok_or_else(|| Message::new("error.student.tensorLacks").with("name", name).with("key", key))?;
    entries.iter().map(|entry| convert(entry).ok_or_else(|| Message::new(what).with("name", name))).collect()
}

/// Reads a student from safetensors bytes or JSON text (detected by the first non-space byte `{`).
pub fn load(bytes: &[u8]) -> Result<LoadedStudent, Message> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let (hidden, step, tensors) = if first == Some(&b'{') {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| Message::new("error.student.json").with("detail", e))?;
        let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or("(missing)").to_string();
        let hidden = check(&text("role"), &text("observation"), value.get("hidden").and_then(Value::as_u64).map(|h| h as usize))?;
        let step = value.get("step").and_then(Value::as_u64).unwrap_or(0);
        let map = value.get("tensors").and_then(Value::as_object).ok_or(Message::new("error.student.noTensors"))?;
        let mut tensors = Vec::new();
        for (name, tensor) in map {
            let shape: Vec<usize> = json_array(tensor, name, "shape", "error.student.shapeNotWhole", |d| d.as_u64().map(|d| d as usize))?;
            let values: Vec<f32> =
                json_array(tensor, name, "values", "error.student.valuesNotNumbers", |v| v.as_f64().map(|v| v as f32))?;
            if values.len() != shape.iter().product::<usize>() {
                return Err(Message::new("error.student.valuesForShape").with("name", name).with("values", values.len()).with("shape", format!("{shape:?}")));
            }
            tensors.push((name.clone(), shape, values));
        }
        (hidden, step, tensors)
    } else {
        let (tensors, metadata) = weights::decode(bytes).map_err(unreadable)?;
        let text = |key: &str| metadata.get(key).cloned().unwrap_or_else(|| "(missing)".into());
        let hidden = check(&text("role"), &text("observation"), metadata.get("hidden").and_then(|h| h.parse().ok()))?;
        let step = metadata.get("step").and_then(|s| s.parse().ok()).unwrap_or(0);
        (hidden, step, tensors)
    };
    // Shapes and finiteness are checked by loading into a scratch network.
    let mut scratch = Student::new(hidden, 0, 1e-3).map_err(unreadable)?;
    scratch.load_tensors(&tensors).map_err(unreadable)?;
    Ok(LoadedStudent { hidden, step, tensors })
}

crate::named_choice! {
    /// The two forms a student file takes.
    pub enum StudentFormat {
        /// safetensors, f32 (the default).
        Safetensors = "safetensors",
        /// JSON text: every tensor as nested arrays, readable anywhere.
        Json = "json",
    }
}

/// The session's student as a file in `format`.
pub fn save(session: &Session, format: StudentFormat) -> Vec<u8> {
    match format {
        StudentFormat::Safetensors => to_safetensors(session.student(), session.step_count()),
        StudentFormat::Json => to_json(session.student(), session.step_count()).into_bytes(),
    }
}

/// Replaces the session's student with a saved one (its width comes with it; every other setting
/// stays). The file is checked completely first: on error nothing changes.
pub fn load_into(session: &mut Session, bytes: &[u8]) -> Result<(), Message> {
    let loaded = load(bytes)?;
    let settings = session.settings();
    let mut student = Student::new(loaded.hidden, settings.seed, settings.lr).map_err(unreadable)?;
    student.load_tensors(&loaded.tensors).map_err(unreadable)?;
    session.replace_student(student, loaded.step);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refusals() {
        let student = Student::new(16, 3, 1e-3).unwrap();
        for bytes in [to_safetensors(&student, 42), to_json(&student, 42).into_bytes()] {
            let loaded = load(&bytes).unwrap();
            assert_eq!((loaded.hidden, loaded.step), (16, 42));
            assert_eq!(loaded.tensors.len(), 6);
            let mut back = Student::new(16, 9, 1e-3).unwrap();
            back.load_tensors(&loaded.tensors).unwrap();
            assert_eq!(back.tensors(), student.tensors());
        }
        let teacher = crate::teacher::NeuralTeacher::new_random(1).to_bytes(&HashMap::new());
        assert!(load(&teacher).err().unwrap().contains("teacher file"));
        let good = to_safetensors(&student, 1);
        assert!(load(&good[..good.len() - 10]).err().unwrap().contains("not a valid safetensors"));
        let json_text = to_json(&student, 1).replace("\"hidden\":16", "\"hidden\":32");
        assert!(load(json_text.as_bytes()).err().unwrap().contains("shape"));
        assert!(load(b"{\"role\":\"student\"").err().unwrap().contains("not valid JSON"));
        let nan = to_json(&student, 1).replacen("\"values\":[", "\"values\":[null,", 1);
        assert!(load(nan.as_bytes()).is_err());
    }
}

