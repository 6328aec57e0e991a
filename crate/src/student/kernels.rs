//! The first layer's sparse kernels: sums of weight rows a block of up to 32 columns at a time in
//! eight four-lane accumulators (`F4`), over a sample's non-zero inputs (the forward pass) or over
//! the samples that have an input (its weight gradient), so no sum goes through memory row by row.

use super::lanes::F4;

/// Σ of `rows` rows of `m` (h columns each), over columns `col..col + 4B`.
#[inline(always)]
pub(crate) fn sum_rows_block<const B: usize>(m: &[f32], rows: usize, h: usize, col: usize) -> [F4; B] {
    let mut acc = [F4::splat(0.0); B];
    for r in 0..rows {
        let row = &m[r * h + col..r * h + col + 4 * B];
        for (k, a) in acc.iter_mut().enumerate() {
            *a = a.add(F4::load(&row[4 * k..4 * k + 4]));
        }
    }
    acc
}

/// `B` lanes-of-four of columns `col..col + 4B` of `base + Σ_(i, x) x·w[i·stride ..]`, kept in
/// registers while the rows stream by: the sparse first layer's forward pass, and the backward
/// pass's sums over a head's outputs.
#[inline(always)]
pub(crate) fn gather_block<const B: usize>(base: [F4; B], rows: &[(u32, f32)], w: &[f32], stride: usize, col: usize) -> [F4; B] {
    let mut acc = base;
    for &(i, x) in rows {
        let start = i as usize * stride + col;
        add_scaled_row(&mut acc, &w[start..start + 4 * B], x);
    }
    acc
}

/// acc += x·row (4B floats), the accumulators in registers: the step of every gather.
#[inline(always)]
pub(crate) fn add_scaled_row<const B: usize>(acc: &mut [F4; B], row: &[f32], x: f32) {
    let x = F4::splat(x);
    for (k, a) in acc.iter_mut().enumerate() {
        *a = a.mul_add(F4::load(&row[4 * k..4 * k + 4]), x);
    }
}

/// `gather_block` over the samples whose bits are set in `words` (sample 64w + b for bit b of word
/// w), in sample order, each scaled by its value `values[sample]`: columns `col..col + 4B` of
/// Σ x_s·m[s·stride ..], kept in registers.
#[inline(always)]
pub(crate) fn gather_bits_block<const B: usize>(words: &[u64], values: &[f32], m: &[f32], stride: usize, col: usize) -> [F4; B] {
    let mut acc = [F4::splat(0.0); B];
    for (w, &word) in words.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let s = w * 64 + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let start = s * stride + col;
            add_scaled_row(&mut acc, &m[start..start + 4 * B], values[s]);
        }
    }
    acc
}

/// Σ_c w[r·h + c]·x[c] for the `R` rows r of `w` (h columns, a multiple of 4) at once: x is read once.
#[inline(always)]
pub(crate) fn dot_rows<const R: usize>(w: &[f32], h: usize, x: &[f32]) -> [f32; R] {
    let rows: [&[f32]; R] = std::array::from_fn(|r| &w[r * h..(r + 1) * h]);
    let mut acc = [F4::splat(0.0); R];
    for (c, x) in x[..h].chunks_exact(4).enumerate() {
        let x = F4::load(x);
        for (a, row) in acc.iter_mut().zip(&rows) {
            *a = a.mul_add(F4::load(&row[4 * c..4 * c + 4]), x);
        }
    }
    acc.map(F4::sum)
}

#[inline(always)]
pub(crate) fn load_block<const B: usize>(from: &[f32]) -> [F4; B] {
    let from = &from[..4 * B];
    std::array::from_fn(|k| F4::load(&from[4 * k..4 * k + 4]))
}

#[inline(always)]
pub(crate) fn store_block<const B: usize>(block: [F4; B], to: &mut [f32]) {
    let to = &mut to[..4 * B];
    for (k, v) in block.iter().enumerate() {
        v.store(&mut to[4 * k..4 * k + 4]);
    }
}

/// Calls `block(col, B)` over the columns 0..h in the widest blocks that fit (32, 16, 8, then 4
/// columns); `h` is a multiple of 4 (every student width is).
macro_rules! for_blocks {
    ($h:expr, |$col:ident, $b:ident| $body:block) => {{
        let h = $h;
        debug_assert!(h % 4 == 0);
        let mut $col = 0;
        while $col + 32 <= h {
            { const $b: usize = 8; $body }
            $col += 32;
        }
        if $col + 16 <= h {
            { const $b: usize = 4; $body }
            $col += 16;
        }
        if $col + 8 <= h {
            { const $b: usize = 2; $body }
            $col += 8;
        }
        if $col + 4 <= h {
            { const $b: usize = 1; $body }
        }
    }};
}

/// `sparse_layer` for several samples: sample s's output is `outs[s·h..(s + 1)·h]` and its rows
/// `rows[starts[s]..starts[s + 1]]`. A block of columns is done for every sample before the next
/// block, so the weights' columns of that block (rows × 32 floats) stay in cache meanwhile.
#[inline]
pub(crate) fn sparse_layer_many(outs: &mut [f32], bias: &[f32], rows: &[(u32, f32)], starts: &[usize], w: &[f32], h: usize) {
    for_blocks!(h, |col, B| {
        let base = load_block::<B>(&bias[col..]);
        for (s, range) in starts.windows(2).enumerate() {
            let acc = gather_block::<B>(base, &rows[range[0]..range[1]], w, h, col);
            store_block::<B>(acc.map(F4::relu), &mut outs[s * h + col..]);
        }
    });
}

/// `out` = max(0, `bias` + Σ_(i, x) x·w[i·h ..]) over h columns: a sparse layer's forward pass.
#[inline]
pub(crate) fn sparse_layer(out: &mut [f32], bias: &[f32], rows: &[(u32, f32)], w: &[f32], h: usize) {
    for_blocks!(h, |col, B| {
        let acc = gather_block::<B>(load_block::<B>(&bias[col..]), rows, w, h, col);
        store_block::<B>(acc.map(F4::relu), &mut out[col..]);
    });
}

/// A row-major `rows` × `columns` matrix transposed (so input-major weights and dfdx's layout meet).
pub(crate) fn transpose(values: &[f32], rows: usize, columns: usize) -> Vec<f32> {
    let mut out = vec![0.0; values.len()];
    for r in 0..rows {
        for c in 0..columns {
            out[c * rows + r] = values[r * columns + c];
        }
    }
    out
}
pub(crate) use for_blocks;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sparse_kernels_match_plain_loops_at_every_block_width() {
        // sparse_layer and sparse_layer_many against a plain loop, for widths that use every block (32, 16, 8, 4).
        for h in [4, 8, 12, 16, 20, 36, 64, 100] {
            let inputs = 9;
            let w: Vec<f32> = (0..inputs * h).map(|k| ((k * 37 % 23) as f32 - 11.0) * 0.1).collect();
            let bias: Vec<f32> = (0..h).map(|j| (j % 5) as f32 * 0.2 - 0.4).collect();
            let samples = [vec![(0u32, 1.0f32), (3, 1.0), (8, -0.5)], vec![], vec![(2, 2.0), (3, 1.0)]];
            let want = |rows: &[(u32, f32)]| -> Vec<f32> {
                (0..h).map(|j| rows.iter().fold(bias[j], |acc, &(i, x)| acc + x * w[i as usize * h + j]).max(0.0)).collect()
            };
            let mut out = vec![0.0; h];
            for rows in &samples {
                sparse_layer(&mut out, &bias, rows, &w, h);
                assert!(out.iter().zip(want(rows)).all(|(a, b)| (a - b).abs() < 1e-5), "h = {h}");
            }
            let all: Vec<(u32, f32)> = samples.concat();
            let starts = [0, 3, 3, 5];
            let mut outs = vec![0.0; 3 * h];
            sparse_layer_many(&mut outs, &bias, &all, &starts, &w, h);
            for (s, rows) in samples.iter().enumerate() {
                assert!(outs[s * h..(s + 1) * h].iter().zip(want(rows)).all(|(a, b)| (a - b).abs() < 1e-5), "h = {h}, sample {s}");
            }
        }
    }
}
