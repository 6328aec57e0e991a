//! Weight files: named tensors plus string metadata in the safetensors format, read from bytes.
//! Reading accepts F32 and F16 tensors and refuses anything malformed with a readable reason.

use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::HashMap;

/// One named weight tensor: (name, shape, row-major values).
pub type NamedTensor = (String, Vec<usize>, Vec<f32>);

/// How tensors are stored in a written file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    F32,
    /// Half precision: half the bytes; the values are converted back to f32 on load.
    F16,
}

/// Encodes tensors and metadata as a safetensors file.
pub fn encode(tensors: &[NamedTensor], metadata: &HashMap<String, String>, storage: Storage) -> Vec<u8> {
    let bytes: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, _, values)| match storage {
            Storage::F32 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
            Storage::F16 => values.iter().flat_map(|v| half::f16::from_f32(*v).to_le_bytes()).collect(),
        })
        .collect();
    let dtype = match storage {
        Storage::F32 => Dtype::F32,
        Storage::F16 => Dtype::F16,
    };
    let views: Vec<(String, TensorView)> = tensors
        .iter()
        .zip(&bytes)
        .map(|((name, shape, _), data)| (name.clone(), TensorView::new(dtype, shape.clone(), data).expect("sizes match by construction")))
        .collect();
    safetensors::serialize(views, &Some(metadata.clone())).expect("serialising in-memory tensors")
}

/// Decodes a safetensors file into tensors (as f32) and its metadata.
pub fn decode(bytes: &[u8]) -> Result<(Vec<NamedTensor>, HashMap<String, String>), String> {
    let file = SafeTensors::deserialize(bytes).map_err(|e| format!("not a valid safetensors file ({e:?})"))?;
    let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| format!("unreadable safetensors header ({e:?})"))?;
    let metadata = header.metadata().clone().unwrap_or_default();
    let mut tensors = Vec::new();
    for (name, view) in file.tensors() {
        let data = view.data();
        let values: Vec<f32> = match view.dtype() {
            Dtype::F32 => data.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(),
            Dtype::F16 => data.chunks_exact(2).map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32()).collect(),
            other => return Err(format!("tensor '{name}' has dtype {other:?}; only F32 and F16 are supported")),
        };
        tensors.push((name, view.shape().to_vec(), values));
    }
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((tensors, metadata))
}

/// Finds a tensor by name and checks its shape and that every value is finite.
pub fn take<'a>(tensors: &'a [NamedTensor], name: &str, shape: &[usize]) -> Result<&'a [f32], String> {
    let (_, found_shape, values) =
        tensors.iter().find(|(n, _, _)| n == name).ok_or_else(|| format!("the file has no tensor '{name}'"))?;
    if found_shape != shape {
        return Err(format!("tensor '{name}' has shape {found_shape:?}, expected {shape:?}"));
    }
    if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
        return Err(format!("tensor '{name}' holds a non-finite value ({bad})"));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_in_both_storages() {
        let tensors = vec![("a".to_string(), vec![2, 2], vec![1.0, -2.5, 0.125, 3.0]), ("b".to_string(), vec![1], vec![7.0])];
        let metadata = HashMap::from([("kind".to_string(), "test".to_string())]);
        for storage in [Storage::F32, Storage::F16] {
            let (back, meta) = decode(&encode(&tensors, &metadata, storage)).unwrap();
            assert_eq!(back, tensors, "{storage:?}");
            assert_eq!(meta, metadata);
        }
    }

    #[test]
    fn malformed_files_are_refused() {
        let tensors = vec![("a".to_string(), vec![2], vec![1.0, f32::INFINITY])];
        let bytes = encode(&tensors, &HashMap::new(), Storage::F32);
        assert!(decode(&bytes[..bytes.len() - 3]).unwrap_err().contains("not a valid safetensors"));
        assert!(decode(b"hello").is_err());
        let (back, _) = decode(&bytes).unwrap();
        assert!(take(&back, "a", &[2]).unwrap_err().contains("non-finite"));
        assert!(take(&back, "a", &[3]).unwrap_err().contains("shape"));
        assert!(take(&back, "z", &[2]).unwrap_err().contains("no tensor 'z'"));
    }
}
