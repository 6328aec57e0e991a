//! The benchmark's yardstick: the plainest fast training loop for an MLP in → H → 5 (ReLU, KL
//! loss at τ = 1, Adam) with no framework, dense, hand-vectorised with simd128 on wasm.
//! `npm run bench` times it beside the fused student on the same dense data (`DensePool`: no input
//! is zero, so both do every multiply-add), so that ratio compares the same work.
//! It shares no code with `fused` on purpose: it is what "the speed of the hardware" means here.

/// Four f32 lanes: a wasm simd128 `v128` on wasm, a plain array elsewhere (which the compiler
/// vectorises with the host's SIMD).
#[derive(Clone, Copy)]
struct Lanes(#[cfg(target_arch = "wasm32")] core::arch::wasm32::v128, #[cfg(not(target_arch = "wasm32"))] [f32; 4]);

#[cfg(target_arch = "wasm32")]
impl Lanes {
    #[inline(always)]
    fn load(from: &[f32]) -> Lanes {
        assert!(from.len() >= 4);
        // SAFETY: the assert above keeps the unaligned 16-byte read inside the slice.
        Lanes(unsafe { core::arch::wasm32::v128_load(from.as_ptr() as *const core::arch::wasm32::v128) })
    }
    #[inline(always)]
    fn store(self, to: &mut [f32]) {
        assert!(to.len() >= 4);
        // SAFETY: as in `load`.
        unsafe { core::arch::wasm32::v128_store(to.as_mut_ptr() as *mut core::arch::wasm32::v128, self.0) }
    }
    #[inline(always)]
    fn splat(value: f32) -> Lanes {
        Lanes(core::arch::wasm32::f32x4_splat(value))
    }
    #[inline(always)]
    fn mul_add(self, a: Lanes, b: Lanes) -> Lanes {
        use core::arch::wasm32::{f32x4_add, f32x4_mul};
        Lanes(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
    }
    #[inline(always)]
    fn sum(self) -> f32 {
        use core::arch::wasm32::f32x4_extract_lane;
        f32x4_extract_lane::<0>(self.0) + f32x4_extract_lane::<1>(self.0) + f32x4_extract_lane::<2>(self.0) + f32x4_extract_lane::<3>(self.0)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Lanes {
    #[inline(always)]
    fn load(from: &[f32]) -> Lanes {
        Lanes([from[0], from[1], from[2], from[3]])
    }
    #[inline(always)]
    fn store(self, to: &mut [f32]) {
        to[..4].copy_from_slice(&self.0);
    }
    #[inline(always)]
    fn splat(value: f32) -> Lanes {
        Lanes([value; 4])
    }
    #[inline(always)]
    fn mul_add(self, a: Lanes, b: Lanes) -> Lanes {
        Lanes(std::array::from_fn(|k| self.0[k] + a.0[k] * b.0[k]))
    }
    #[inline(always)]
    fn sum(self) -> f32 {
        self.0.iter().sum()
    }
}

/// y += α·x over a multiple of 4 floats.
#[inline(always)]
fn axpy4(y: &mut [f32], alpha: f32, x: &[f32]) {
    let a = Lanes::splat(alpha);
    for (y, x) in y.chunks_exact_mut(4).zip(x.chunks_exact(4)) {
        Lanes::load(y).mul_add(a, Lanes::load(x)).store(y);
    }
}

/// Σ a·b over a multiple of 4 floats.
#[inline(always)]
fn dot4(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = Lanes::splat(0.0);
    for (a, b) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        acc = acc.mul_add(Lanes::load(a), Lanes::load(b));
    }
    acc.sum()
}

/// The data of the same-work comparisons: `POOL` rows of `inputs` floats, none of them zero (uniform
/// in ±[0.05, 1]), so the fused student — which skips zero inputs — multiplies every input as the
/// yardstick and TF.js do; and soft teacher targets, softmax of logits uniform in [−3, 3].
/// The yardstick, the fused student on dense inputs (`workloads`) and TF.js (the page gets these
/// very numbers) train on it in the same order: aligned batches 0, 1, …, POOL/batch − 1, again.
pub struct DensePool {
    pub inputs: usize,
    /// POOL × inputs.
    pub observations: Vec<f32>,
    /// POOL × 5 teacher logits (τ = 1).
    pub logits: Vec<f32>,
}

impl DensePool {
    pub fn new(inputs: usize) -> DensePool {
        let mut seed = 1u64;
        let observations = (0..POOL * inputs)
            .map(|_| {
                let magnitude = 0.05 + 0.95 * splitmix(&mut seed);
                if splitmix(&mut seed) < 0.5 { -magnitude } else { magnitude }
            })
            .collect();
        let logits = (0..POOL * OUT).map(|_| splitmix(&mut seed) * 6.0 - 3.0).collect();
        DensePool { inputs, observations, logits }
    }

    /// Where batch `k` of `batch` rows starts (aligned batches, cycling through the pool).
    pub fn batch_start(k: usize, batch: usize) -> usize {
        (k % (POOL / batch)) * batch
    }
}

/// A dense MLP in → H → 5 with Adam, trained on a `DensePool`.
pub struct Yardstick {
    inputs: usize,
    hidden: usize,
    batch: usize,
    /// [w1t (in × H), b1 (H), w2 (5 × H), b2 (5)], then Adam's moments and the gradient.
    params: Vec<f32>,
    grads: Vec<f32>,
    moment1: Vec<f32>,
    moment2: Vec<f32>,
    t: i32,
    pool: Vec<f32>,
    targets: Vec<f32>,
    activations: Vec<f32>,
    hidden_grad: Vec<f32>,
    steps: usize,
}

/// Rows of the data pool.
pub const POOL: usize = 1024;
const OUT: usize = 5;

/// A tiny deterministic generator (SplitMix64), so the yardstick needs no RNG crate and is the
/// same natively and in the browser.
fn splitmix(state: &mut u64) -> f32 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
}

impl Yardstick {
    /// `hidden` must be a multiple of 4 (every width the bench uses is).
    pub fn new(inputs: usize, hidden: usize, batch: usize) -> Result<Yardstick, String> {
        if hidden % 4 != 0 || hidden == 0 || inputs == 0 || batch == 0 || batch > POOL {
            return Err(format!("yardstick needs hidden a multiple of 4 and 1 ≤ batch ≤ {POOL} (got {inputs}→{hidden}, batch {batch})"));
        }
        let mut seed = 7u64;
        let len = inputs * hidden + hidden + OUT * hidden + OUT;
        let scale1 = 1.0 / (inputs as f32).sqrt();
        let scale2 = 1.0 / (hidden as f32).sqrt();
        let params = (0..len)
            .map(|i| (splitmix(&mut seed) * 2.0 - 1.0) * if i < inputs * hidden + hidden { scale1 } else { scale2 })
            .collect();
        let DensePool { observations: pool, logits, .. } = DensePool::new(inputs);
        let mut targets = Vec::with_capacity(POOL * OUT);
        for logits in logits.chunks_exact(OUT) {
            let total: f32 = logits.iter().map(|z| z.exp()).sum();
            targets.extend(logits.iter().map(|z| z.exp() / total));
        }
        Ok(Yardstick {
            inputs,
            hidden,
            batch,
            params,
            grads: vec![0.0; len],
            moment1: vec![0.0; len],
            moment2: vec![0.0; len],
            t: 0,
            pool,
            targets,
            activations: vec![0.0; batch * hidden],
            hidden_grad: vec![0.0; hidden],
            steps: 0,
        })
    }

    /// One dense training step (forward, KL gradient, backward, Adam); returns the batch loss.
    pub fn step(&mut self) -> f32 {
        let (n, h, batch) = (self.inputs, self.hidden, self.batch);
        let (w1t, b1, w2, b2) = (0, n * h, n * h + h, n * h + h + OUT * h);
        let start = DensePool::batch_start(self.steps, batch);
        self.steps += 1;
        self.grads.fill(0.0);
        let mut loss = 0.0;
        for s in 0..batch {
            let x = &self.pool[(start + s) * n..(start + s + 1) * n];
            let q = &self.targets[(start + s) * OUT..(start + s + 1) * OUT];
            let hidden = &mut self.activations[s * h..(s + 1) * h];
            hidden.copy_from_slice(&self.params[b1..b1 + h]);
            for (i, &xi) in x.iter().enumerate() {
                axpy4(hidden, xi, &self.params[w1t + i * h..w1t + (i + 1) * h]);
            }
            for v in hidden.iter_mut() {
                *v = v.max(0.0);
            }
            let logits: [f32; OUT] = std::array::from_fn(|a| self.params[b2 + a] + dot4(&self.params[w2 + a * h..w2 + (a + 1) * h], hidden));
            let max = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            let log_sum = logits.iter().map(|z| (z - max).exp()).sum::<f32>().ln() + max;
            let dh = &mut self.hidden_grad;
            dh.fill(0.0);
            for a in 0..OUT {
                let log_p = logits[a] - log_sum;
                loss += q[a] * (q[a].ln() - log_p);
                let d = (log_p.exp() - q[a]) / batch as f32;
                self.grads[b2 + a] += d;
                axpy4(&mut self.grads[w2 + a * h..w2 + (a + 1) * h], d, hidden);
                axpy4(dh, d, &self.params[w2 + a * h..w2 + (a + 1) * h]);
            }
            for (d, &v) in dh.iter_mut().zip(hidden.iter()) {
                if v <= 0.0 {
                    *d = 0.0;
                }
            }
            axpy4(&mut self.grads[b1..b1 + h], 1.0, dh);
            for (i, &xi) in x.iter().enumerate() {
                axpy4(&mut self.grads[w1t + i * h..w1t + (i + 1) * h], xi, dh);
            }
        }
        self.t += 1;
        let (c1, c2) = ((1.0 - 0.9f32.powi(self.t)).recip(), (1.0 - 0.999f32.powi(self.t)).recip());
        for ((p, g), (m, v)) in self.params.iter_mut().zip(&self.grads).zip(self.moment1.iter_mut().zip(self.moment2.iter_mut())) {
            *m = 0.9 * *m + 0.1 * g;
            *v = 0.999 * *v + 0.001 * g * g;
            *p -= 1e-3 * (*m * c1) / ((*v * c2).sqrt() + 1e-8);
        }
        loss / batch as f32
    }

    /// Multiply-adds of one step, as `workloads::dense_multiply_adds_per_step` counts them.
    pub fn multiply_adds_per_step(&self) -> usize {
        super::workloads::dense_multiply_adds_per_step(self.inputs, self.hidden, self.batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_yardstick_really_trains() {
        let mut yardstick = Yardstick::new(245, 64, 64).unwrap();
        let first: f32 = (0..16).map(|_| yardstick.step()).sum::<f32>() / 16.0;
        for _ in 0..400 {
            yardstick.step();
        }
        let last: f32 = (0..16).map(|_| yardstick.step()).sum::<f32>() / 16.0;
        assert!(last < 0.8 * first, "KL went from {first} to {last}");
        assert!(Yardstick::new(245, 6, 64).is_err());
    }
}
