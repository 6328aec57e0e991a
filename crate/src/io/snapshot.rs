//! A session's training progress as bytes: what the page's training worker posts after each slice
//! of steps and the drawing thread's mirror session adopts (safetensors: weights + metadata).

use crate::training::data::PipelineCounts;
pub use crate::training::progress::Progress;
use crate::student::weights::{self, Storage};
use std::collections::HashMap;

/// Marks a file as a progress snapshot, so a student or teacher file is not taken for one.
const ROLE: &str = "progress-snapshot";

/// Encodes progress as a safetensors file: the weights in f32 (exact), the rest as metadata.
pub fn encode(progress: &Progress) -> Vec<u8> {
    let counts = &progress.counts;
    let metadata: HashMap<String, String> = [
        ("role", ROLE.to_string()),
        ("step", progress.step.to_string()),
        // Bit-exact, NaN included (the loss is NaN right after a divergence).
        ("loss_bits", progress.loss.to_bits().to_string()),
        // The guard's finding as JSON ("" when training did not diverge).
        ("diverged", progress.diverged.as_ref().map(|d| serde_json::to_string(d).expect("a divergence serialises")).unwrap_or_default()),
        ("labelled", counts.labelled.to_string()),
        ("asked", counts.asked.to_string()),
        ("logged", counts.logged.to_string()),
        ("held", counts.held.to_string()),
        ("consumed", counts.consumed.to_string()),
        ("visits", progress.visits.iter().map(u32::to_string).collect::<Vec<_>>().join(",")),
        ("finetune_steps", progress.finetune_steps.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    weights::encode(&progress.tensors, &metadata, Storage::F32)
}

/// Decodes `encode`'s bytes; anything else is refused with the reason.
pub fn decode(bytes: &[u8]) -> Result<Progress, String> {
    let (tensors, metadata) = weights::decode(bytes)?;
    let field = |key: &str| metadata.get(key).map(String::as_str).ok_or_else(|| format!("the snapshot lacks '{key}'"));
    if field("role")? != ROLE {
        return Err("not a progress snapshot".to_string());
    }
    let number = |key: &str| field(key)?.parse::<u64>().map_err(|_| format!("the snapshot's '{key}' is not a whole number"));
    let visits = match field("visits")? {
        "" => Vec::new(),
        text => text.split(',').map(|v| v.parse::<u32>().map_err(|_| "the snapshot's visits are not whole numbers".to_string())).collect::<Result<_, _>>()?,
    };
    let diverged = match field("diverged")? {
        "" => None,
        text => Some(serde_json::from_str(text).map_err(|e| format!("the snapshot's 'diverged' is not a divergence: {e}"))?),
    };
    Ok(Progress {
        step: number("step")?,
        loss: f32::from_bits(number("loss_bits")? as u32),
        diverged,
        counts: PipelineCounts { labelled: number("labelled")?, asked: number("asked")?, logged: number("logged")?, held: number("held")? as usize, consumed: number("consumed")?, beta: 0.0 },
        visits,
        finetune_steps: number("finetune_steps")?,
        tensors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::guard::{Divergence, DivergenceCause};

    #[test]
    fn progress_round_trips_exactly_and_other_files_are_refused() {
        let progress = Progress {
            step: 1234,
            loss: f32::NAN,
            diverged: Some(Divergence { step: 1234, restored_step: 1225, cause: DivergenceCause::Loss { loss: "NaN".into() }, lr: 10.0, temperature: 0.1 }),
            counts: PipelineCounts { labelled: 70, asked: 75, logged: 99, held: 64, consumed: 640, beta: 0.0 },
            visits: vec![0, 3, 7],
            finetune_steps: 5,
            tensors: vec![("hidden.weight".into(), vec![2, 2], vec![0.1, -0.2, f32::MIN_POSITIVE, 3.5])],
        };
        let back = decode(&encode(&progress)).unwrap();
        assert!(back.loss.is_nan());
        assert_eq!(Progress { loss: 0.0, ..back }, Progress { loss: 0.0, ..progress.clone() });
        let plain = Progress { loss: 0.25, diverged: None, visits: vec![], ..progress };
        assert_eq!(decode(&encode(&plain)).unwrap(), plain);
        let student = weights::encode(&plain.tensors, &HashMap::from([("role".to_string(), "student".to_string())]), Storage::F32);
        assert_eq!(decode(&student).unwrap_err(), "not a progress snapshot");
        assert!(decode(b"nonsense").is_err());
    }
}
