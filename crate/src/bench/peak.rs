//! The machine's multiply-add peak for four f32 lanes: what the bench divides the sparse training
//! step's useful work by (`npm run bench`, "peak ratio").
//!
//! simd128 has no fused multiply-add, so one multiply-add of four lanes is an `f32x4.mul` and an
//! `f32x4.add` — as in every loop of the crate. Each kernel runs independent accumulator chains, so
//! neither instruction's latency limits it and only the machine's throughput does:
//! - `chain` (N chains): a ← a·b + c, every operand in registers, nothing loaded;
//! - `stream` (N chains): a_k ← a_k + x_{j,k}·w_j, x streamed from a 4 KB block that stays in L1
//!   and w_j splatted from memory, as in a matrix kernel.
//! The peak is the fastest kernel; each kernel's rate is reported too. On wasm the kernels are
//! written with `core::arch::wasm32` intrinsics and compiled with the crate (same flags as the page);
//! natively they are plain arrays that the compiler vectorises (not a goal there).

/// Four f32 lanes: the training step's own (`student::lanes::F4`), so the peak is measured with
/// the very instructions the step uses.
use crate::student::lanes::F4 as V;

/// `N` chains a ← c + a·b for `rounds` rounds: N·rounds four-lane multiply-adds, all in registers.
/// b < 1, so every chain converges to c/(1 − b) and stays a normal number.
#[inline(never)]
fn chain<const N: usize>(rounds: usize, seed: f32) -> f32 {
    let b = V::splat(0.999_9 - seed * 1e-9);
    let c = V::splat(seed * 1e-3);
    let mut acc: [V; N] = std::array::from_fn(|k| V::splat(seed + k as f32));
    for _ in 0..rounds {
        for a in acc.iter_mut() {
            *a = c.mul_add(*a, b);
        }
    }
    acc.iter().map(|a| a.sum()).sum()
}

/// Floats in the streamed block: 4 KB, well inside L1.
const BLOCK: usize = 1024;

/// `N` chains a_k ← a_k + x·w_j over a 4 KB block `x` (rows of N·4 floats, one per j), `passes` times:
/// N·(BLOCK / 4N)·passes four-lane multiply-adds, one operand loaded and one splatted per row.
#[inline(never)]
fn stream<const N: usize>(passes: usize, x: &[[f32; 4]], w: &[f32], seed: f32) -> f32 {
    let mut acc = [V::splat(seed); N];
    for _ in 0..passes {
        for (row, &wj) in x.chunks_exact(N).zip(w) {
            let s = V::splat(wj);
            for (a, xk) in acc.iter_mut().zip(row) {
                *a = a.mul_add(V::load(xk), s);
            }
        }
    }
    acc.iter().map(|a| a.sum()).sum()
}

/// One kernel's measured rate.
#[derive(Clone, Debug, serde::Serialize)]
pub struct KernelRate {
    pub kernel: String,
    /// Multiply-adds (single f32 lanes) per second: four per f32x4 multiply-add.
    pub multiply_adds_per_s: f64,
}

/// The peak and every kernel's rate.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Peak {
    pub multiply_adds_per_s: f64,
    pub kernel: String,
    pub kernels: Vec<KernelRate>,
}

/// Times every kernel for about `seconds` each (median of three stretches, as every bench here)
/// and returns the fastest as the peak.
pub fn measure(seconds: f64, now: &dyn Fn() -> f64) -> Peak {
    use super::workloads::median_rate;
    let x: Vec<[f32; 4]> = (0..BLOCK / 4).map(|i| std::array::from_fn(|k| 1e-3 * ((i * 4 + k) % 97) as f32)).collect();
    let w: Vec<f32> = (0..BLOCK / 4).map(|j| 1e-3 * (j % 89) as f32).collect();
    let mut sink = 0.0f32;
    const ROUNDS: usize = 4096;
    let mut kernels = Vec::new();
    macro_rules! chain_kernel {
        ($n:literal) => {{
            let rate = median_rate(seconds, $n * ROUNDS * 4, now, || sink += chain::<$n>(ROUNDS, sink.min(1.0).max(0.0)));
            kernels.push(KernelRate { kernel: format!("chain, {} accumulators", $n), multiply_adds_per_s: rate });
        }};
    }
    macro_rules! stream_kernel {
        ($n:literal) => {{
            const PASSES: usize = 64;
            let per_call = (BLOCK / 4 / $n) * $n * 4 * PASSES;
            let rate = median_rate(seconds, per_call, now, || sink += stream::<$n>(PASSES, std::hint::black_box(&x), std::hint::black_box(&w), sink.min(1.0).max(0.0)));
            kernels.push(KernelRate { kernel: format!("stream, {} accumulators", $n), multiply_adds_per_s: rate });
        }};
    }
    chain_kernel!(8);
    chain_kernel!(12);
    chain_kernel!(14);
    stream_kernel!(4);
    stream_kernel!(8);
    stream_kernel!(12);
    std::hint::black_box(sink);
    let best = kernels.iter().max_by(|a, b| a.multiply_adds_per_s.total_cmp(&b.multiply_adds_per_s)).expect("kernels ran").clone();
    Peak { multiply_adds_per_s: best.multiply_adds_per_s, kernel: best.kernel, kernels }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_compute_what_they_claim() {
        // chain: a ← c + a·b converges to c / (1 − b).
        let seed = 0.5;
        let limit = (seed * 1e-3) / (1.0 - (0.999_9 - seed * 1e-9));
        let got = chain::<2>(200_000, seed) / 8.0;
        assert!((got - limit).abs() < 1e-2 * limit, "{got} vs {limit}");
        // stream: Σ_j x_{j,k} w_j per lane, against a plain loop.
        let x: Vec<[f32; 4]> = (0..16).map(|i| [i as f32, 1.0, 2.0, -1.0]).collect();
        let w: Vec<f32> = (0..4).map(|j| j as f32 + 1.0).collect();
        let expected: f32 = x.chunks_exact(4).zip(&w).map(|(row, wj)| row.iter().map(|v| v.iter().sum::<f32>() * wj).sum::<f32>()).sum();
        assert_eq!(stream::<4>(1, &x, &w, 0.0), expected);
        let clock = std::time::Instant::now();
        let now = move || clock.elapsed().as_secs_f64() * 1000.0;
        let peak = measure(0.01, &now);
        assert!(peak.multiply_adds_per_s > 0.0 && peak.kernels.len() == 6);
    }
}
