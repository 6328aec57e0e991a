//! Four f32 lanes (`F4`: simd128 in wasm, a plain array natively) and the sums every kernel of the
//! crate builds on, each in a fixed order of operations that is the same on both targets: a run in
//! the browser computes the native run's bits (`checks::seeded_run`).

/// Σ a·b with eight independent partial sums, so the compiler can vectorise it.
#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = a.len() / 8 * 8;
    for (x, y) in a[..chunks].chunks_exact(8).zip(b[..chunks].chunks_exact(8)) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    let mut sum = lanes.iter().sum::<f32>();
    for (x, y) in a[chunks..].iter().zip(&b[chunks..]) {
        sum += x * y;
    }
    sum
}

/// Four f32 lanes: a wasm simd128 `v128` on wasm, a plain array elsewhere (which the compiler
/// vectorises with the host's SIMD). The kernels below are written with it.
#[derive(Clone, Copy)]
pub(crate) struct F4(#[cfg(target_arch = "wasm32")] core::arch::wasm32::v128, #[cfg(not(target_arch = "wasm32"))] [f32; 4]);

#[cfg(target_arch = "wasm32")]
impl F4 {
    #[inline(always)]
    pub(crate) fn load(from: &[f32]) -> F4 {
        assert!(from.len() >= 4);
        // SAFETY: the assert keeps the unaligned 16-byte read inside the slice.
        F4(unsafe { core::arch::wasm32::v128_load(from.as_ptr() as *const core::arch::wasm32::v128) })
    }
    #[inline(always)]
    pub(crate) fn store(self, to: &mut [f32]) {
        assert!(to.len() >= 4);
        // SAFETY: as in `load`.
        unsafe { core::arch::wasm32::v128_store(to.as_mut_ptr() as *mut core::arch::wasm32::v128, self.0) }
    }
    #[inline(always)]
    pub(crate) fn splat(value: f32) -> F4 {
        F4(core::arch::wasm32::f32x4_splat(value))
    }
    /// self + a·b (an f32x4.mul then an f32x4.add: simd128 has no fused multiply-add).
    #[inline(always)]
    pub(crate) fn mul_add(self, a: F4, b: F4) -> F4 {
        use core::arch::wasm32::{f32x4_add, f32x4_mul};
        F4(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
    }
    #[inline(always)]
    pub(crate) fn add(self, other: F4) -> F4 {
        F4(core::arch::wasm32::f32x4_add(self.0, other.0))
    }
    #[inline(always)]
    pub(crate) fn sub(self, other: F4) -> F4 {
        F4(core::arch::wasm32::f32x4_sub(self.0, other.0))
    }
    #[inline(always)]
    pub(crate) fn mul(self, other: F4) -> F4 {
        F4(core::arch::wasm32::f32x4_mul(self.0, other.0))
    }
    #[inline(always)]
    pub(crate) fn div(self, other: F4) -> F4 {
        F4(core::arch::wasm32::f32x4_div(self.0, other.0))
    }
    #[inline(always)]
    pub(crate) fn sqrt(self) -> F4 {
        F4(core::arch::wasm32::f32x4_sqrt(self.0))
    }
    /// max(self, 0) per lane (NaN becomes 0, as with `f32::max(x, 0.0)`).
    #[inline(always)]
    pub(crate) fn relu(self) -> F4 {
        use core::arch::wasm32::{f32x4_gt, f32x4_splat, v128_and};
        F4(v128_and(self.0, f32x4_gt(self.0, f32x4_splat(0.0))))
    }
    /// self where `gate` > 0, else 0.
    #[inline(always)]
    pub(crate) fn where_positive(self, gate: F4) -> F4 {
        use core::arch::wasm32::{f32x4_gt, f32x4_splat, v128_and};
        F4(v128_and(self.0, f32x4_gt(gate.0, f32x4_splat(0.0))))
    }
    /// 0 in the lanes that hold a subnormal number (|x| < `f32::MIN_POSITIVE`), the rest as they are
    /// (NaN and infinities too).
    #[inline(always)]
    pub(crate) fn flush_subnormal(self) -> F4 {
        use core::arch::wasm32::{f32x4_abs, f32x4_lt, f32x4_splat, v128_andnot};
        F4(v128_andnot(self.0, f32x4_lt(f32x4_abs(self.0), f32x4_splat(f32::MIN_POSITIVE))))
    }
    /// Whether any bit of any lane is set (so −0.0 counts as set).
    #[inline(always)]
    pub(crate) fn any_bits(self) -> bool {
        core::arch::wasm32::v128_any_true(self.0)
    }
    #[inline(always)]
    pub(crate) fn or_bits(self, other: F4) -> F4 {
        F4(core::arch::wasm32::v128_or(self.0, other.0))
    }
    /// Bit k set where lane k is not 0.0 (nor −0.0).
    #[inline(always)]
    pub(crate) fn nonzero_mask(self) -> u32 {
        use core::arch::wasm32::{f32x4_ne, f32x4_splat, i32x4_bitmask};
        i32x4_bitmask(f32x4_ne(self.0, f32x4_splat(0.0))) as u32
    }
    /// (lane 0 + lane 1) + (lane 2 + lane 3).
    #[inline(always)]
    pub(crate) fn sum(self) -> f32 {
        use core::arch::wasm32::f32x4_extract_lane;
        (f32x4_extract_lane::<0>(self.0) + f32x4_extract_lane::<1>(self.0)) + (f32x4_extract_lane::<2>(self.0) + f32x4_extract_lane::<3>(self.0))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl F4 {
    #[inline(always)]
    pub(crate) fn load(from: &[f32]) -> F4 {
        F4([from[0], from[1], from[2], from[3]])
    }
    #[inline(always)]
    pub(crate) fn store(self, to: &mut [f32]) {
        to[..4].copy_from_slice(&self.0);
    }
    #[inline(always)]
    pub(crate) fn splat(value: f32) -> F4 {
        F4([value; 4])
    }
    #[inline(always)]
    pub(crate) fn mul_add(self, a: F4, b: F4) -> F4 {
        F4(std::array::from_fn(|k| self.0[k] + a.0[k] * b.0[k]))
    }
    #[inline(always)]
    pub(crate) fn add(self, other: F4) -> F4 {
        F4(std::array::from_fn(|k| self.0[k] + other.0[k]))
    }
    #[inline(always)]
    pub(crate) fn sub(self, other: F4) -> F4 {
        F4(std::array::from_fn(|k| self.0[k] - other.0[k]))
    }
    #[inline(always)]
    pub(crate) fn mul(self, other: F4) -> F4 {
        F4(std::array::from_fn(|k| self.0[k] * other.0[k]))
    }
    #[inline(always)]
    pub(crate) fn div(self, other: F4) -> F4 {
        F4(std::array::from_fn(|k| self.0[k] / other.0[k]))
    }
    #[inline(always)]
    pub(crate) fn sqrt(self) -> F4 {
        F4(self.0.map(f32::sqrt))
    }
    #[inline(always)]
    pub(crate) fn relu(self) -> F4 {
        F4(self.0.map(|v| if v > 0.0 { v } else { 0.0 }))
    }
    #[inline(always)]
    pub(crate) fn where_positive(self, gate: F4) -> F4 {
        F4(std::array::from_fn(|k| if gate.0[k] > 0.0 { self.0[k] } else { 0.0 }))
    }
    #[inline(always)]
    pub(crate) fn flush_subnormal(self) -> F4 {
        F4(self.0.map(|v| if v.abs() < f32::MIN_POSITIVE { 0.0 } else { v }))
    }
    #[inline(always)]
    pub(crate) fn any_bits(self) -> bool {
        self.0.iter().any(|v| v.to_bits() != 0)
    }
    #[inline(always)]
    pub(crate) fn or_bits(self, other: F4) -> F4 {
        F4(std::array::from_fn(|k| f32::from_bits(self.0[k].to_bits() | other.0[k].to_bits())))
    }
    #[inline(always)]
    pub(crate) fn nonzero_mask(self) -> u32 {
        (0..4).filter(|&k| self.0[k] != 0.0).map(|k| 1 << k).sum()
    }
    #[inline(always)]
    pub(crate) fn sum(self) -> f32 {
        (self.0[0] + self.0[1]) + (self.0[2] + self.0[3])
    }
}

/// Writes (i, x) for every non-zero `x = values[i]`, in order, to the front of `out` (as long as
/// `values`) and returns how many: four lanes compared at a time, and a lane-of-four with a non-zero
/// writes all four pairs without a branch, each at the next free place, which only a non-zero takes
/// (a write lands at most at the index of its own value, so it stays inside `out`).
#[inline(always)]
pub(crate) fn compact_nonzero(values: &[f32], out: &mut [(u32, f32)]) -> usize {
    assert!(out.len() >= values.len(), "compact_nonzero needs room for every value");
    let mut n = 0;
    let chunks = values.len() / 4 * 4;
    for start in (0..chunks).step_by(4) {
        let lanes = &values[start..start + 4];
        let mask = F4::load(lanes).nonzero_mask();
        if mask != 0 {
            for (k, &x) in lanes.iter().enumerate() {
                out[n] = ((start + k) as u32, x);
                n += (mask >> k & 1) as usize;
            }
        }
    }
    for (i, &x) in values.iter().enumerate().skip(chunks) {
        if x != 0.0 {
            out[n] = (i as u32, x);
            n += 1;
        }
    }
    n
}

/// Σ x with eight partial sums (NaN and ±∞ carry through).
pub(crate) fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = values.len() / 8 * 8;
    for x in values[..chunks].chunks_exact(8) {
        for k in 0..8 {
            lanes[k] += x[k];
        }
    }
    lanes.iter().sum::<f32>() + values[chunks..].iter().sum::<f32>()
}

/// Floats whose first one sits on a 64-byte boundary (a cache line). A `Vec<f32>` is only sure
/// to be 4-byte aligned (8 in wasm's allocator), so a four-lane load of a weight row could straddle
/// two cache lines; every row here is a multiple of 16 bytes long, so from an aligned start none does.
pub(crate) struct LineAligned {
    buffer: Vec<f32>,
    start: usize,
    len: usize,
}

impl LineAligned {
    const LINE_FLOATS: usize = 16;

    pub(crate) fn zeros(len: usize) -> LineAligned {
        let mut aligned = LineAligned { buffer: Vec::new(), start: 0, len: 0 };
        aligned.resize(len);
        aligned
    }

    /// `len` floats, the old ones kept and new ones 0.
    pub(crate) fn resize(&mut self, len: usize) {
        if self.start + len > self.buffer.len() {
            let old = self[..].to_vec();
            self.buffer = vec![0.0; len + Self::LINE_FLOATS];
            let misalignment = (self.buffer.as_ptr() as usize / std::mem::size_of::<f32>()) % Self::LINE_FLOATS;
            self.start = (Self::LINE_FLOATS - misalignment) % Self::LINE_FLOATS;
            self.buffer[self.start..self.start + old.len()].copy_from_slice(&old);
        } else if len > self.len {
            self.buffer[self.start + self.len..self.start + len].fill(0.0);
        }
        self.len = len;
    }
}

impl std::ops::Deref for LineAligned {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        &self.buffer[self.start..self.start + self.len]
    }
}

impl std::ops::DerefMut for LineAligned {
    fn deref_mut(&mut self) -> &mut [f32] {
        &mut self.buffer[self.start..self.start + self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_and_sum_handle_every_length() {
        for n in [0, 1, 7, 8, 9, 23] {
            let a: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
            let b: Vec<f32> = (0..n).map(|i| 2.0 - i as f32).collect();
            let want: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - want).abs() < 1e-4);
            assert!((sum(&a) - a.iter().sum::<f32>()).abs() < 1e-4);
        }
        assert!(!sum(&[1.0, f32::NAN, 2.0]).is_finite());
    }

    #[test]
    fn compact_nonzero_lists_every_non_zero_in_order() {
        // Every length (the four-lane part and the tail), −0.0 counts as zero, NaN as non-zero.
        for n in 0..14 {
            let values: Vec<f32> = (0..n).map(|i| [0.0, 1.5, -0.0, f32::NAN, -2.0][i % 5]).collect();
            let mut out = vec![(0u32, 0.0f32); n];
            let count = compact_nonzero(&values, &mut out);
            let want: Vec<usize> = (0..n).filter(|&i| values[i] != 0.0).collect();
            assert_eq!(out[..count].iter().map(|&(i, _)| i as usize).collect::<Vec<_>>(), want, "n = {n}");
            assert!(out[..count].iter().all(|&(i, x)| x.to_bits() == values[i as usize].to_bits()));
        }
    }

    #[test]
    fn a_subnormal_lane_is_flushed_and_the_rest_kept() {
        let lanes = F4::load(&[1e-40, -1e-39, f32::MIN_POSITIVE, f32::NAN]).flush_subnormal();
        let mut out = [0.0f32; 4];
        lanes.store(&mut out);
        assert_eq!(out[..3], [0.0, 0.0, f32::MIN_POSITIVE]);
        assert!(out[3].is_nan());
    }
}
