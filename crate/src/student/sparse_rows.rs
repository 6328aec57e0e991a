//! Observations as the student's training step reads them: each row's non-zero inputs, as
//! (input index, value) pairs in input order.
//!
//! An observation is 243 one-hot window entries and two goal offsets (`env::observation`): about
//! 44 of its 245 inputs are non-zero on a typical map. The step's first layer only reads the rows
//! of the non-zero inputs, so it needs them listed. A map's observations are listed once, when the
//! map's data is made (`training::map_data::MapData::inputs`), and every batch drawn from the map
//! copies its rows from there, instead of finding the non-zero inputs of each sample at every step.

use super::lanes::compact_nonzero;
use crate::env::observation::OBS_LEN;

/// One input that is not zero: (input index, value).
pub type NonZero = (u32, f32);

/// Rows of 245 inputs, each kept as its non-zero inputs in input order.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseRows {
    pairs: Vec<NonZero>,
    /// Row r is `pairs[starts[r]..starts[r + 1]]`; `starts[0]` is 0.
    starts: Vec<usize>,
}

impl Default for SparseRows {
    fn default() -> SparseRows {
        SparseRows::new()
    }
}

impl SparseRows {
    /// No rows.
    pub fn new() -> SparseRows {
        SparseRows { pairs: Vec::new(), starts: vec![0] }
    }

    /// The rows of `observations` (rows of 245 floats, as `env::observation::encode` writes them).
    pub fn from_dense(observations: &[f32]) -> SparseRows {
        let mut rows = SparseRows::new();
        for observation in observations.chunks_exact(OBS_LEN) {
            rows.push_dense(observation);
        }
        rows
    }

    /// Forgets every row, keeping the memory.
    pub fn clear(&mut self) {
        self.pairs.clear();
        self.starts.truncate(1);
    }

    /// Appends one observation of 245 floats (−0.0 counts as zero, NaN as non-zero).
    pub fn push_dense(&mut self, observation: &[f32]) {
        assert_eq!(observation.len(), OBS_LEN, "an observation has {OBS_LEN} inputs");
        let used = self.pairs.len();
        self.pairs.resize(used + OBS_LEN, (0, 0.0));
        let count = compact_nonzero(observation, &mut self.pairs[used..]);
        self.pairs.truncate(used + count);
        self.starts.push(self.pairs.len());
    }

    /// Appends a row another `SparseRows` holds (`row`), as it is.
    pub fn push_row(&mut self, row: &[NonZero]) {
        debug_assert!(row.windows(2).all(|w| w[0].0 < w[1].0) && row.iter().all(|&(i, x)| (i as usize) < OBS_LEN && x != 0.0));
        self.pairs.extend_from_slice(row);
        self.starts.push(self.pairs.len());
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `r`'s non-zero inputs.
    pub fn row(&self, r: usize) -> &[NonZero] {
        &self.pairs[self.starts[r]..self.starts[r + 1]]
    }

    /// Every row's pairs, one row after another.
    pub fn pairs(&self) -> &[NonZero] {
        &self.pairs
    }

    /// Where each row starts in `pairs`, and where the last ends (`len() + 1` entries).
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// The rows as 245 floats each again.
    pub fn to_dense(&self) -> Vec<f32> {
        let mut out = vec![0.0; self.len() * OBS_LEN];
        for (r, row) in out.chunks_exact_mut(OBS_LEN).enumerate() {
            self.write_dense_row(r, row);
        }
        out
    }

    /// Row `r` as 245 floats into `out`.
    pub fn write_dense_row(&self, r: usize, out: &mut [f32]) {
        out[..OBS_LEN].fill(0.0);
        for &(i, x) in self.row(r) {
            out[i as usize] = x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_list_the_non_zero_inputs_in_order_and_give_the_observations_back() {
        let mut dense = vec![0.0f32; 3 * OBS_LEN];
        dense[0] = 1.0;
        dense[81 + 7] = 1.0;
        dense[243] = -0.25;
        dense[OBS_LEN + 244] = 0.5;
        dense[OBS_LEN + 5] = -0.0; // −0.0 is zero
        let rows = SparseRows::from_dense(&dense);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.row(0), &[(0, 1.0), (88, 1.0), (243, -0.25)]);
        assert_eq!(rows.row(1), &[(244, 0.5)]);
        assert!(rows.row(2).is_empty());
        let back = rows.to_dense();
        assert!(back.iter().zip(&dense).all(|(a, b)| a == b));
        // Rows copied one by one make the same rows; `clear` empties.
        let mut copied = SparseRows::new();
        for r in [0, 1, 2] {
            copied.push_row(rows.row(r));
        }
        assert_eq!(copied, rows);
        copied.clear();
        assert!(copied.is_empty() && copied.pairs().is_empty() && copied.starts() == [0]);
    }
}
