//! Adam's update of four parameters at a time (Kingma & Ba 2015, Algorithm 1, with dfdx's
//! defaults), as the fused step (`FusedMlp::adam`) runs it over every parameter.

use super::lanes::F4;

/// Adam's defaults, as dfdx's `AdamConfig::default()`.
const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const EPSILON: f32 = 1e-8;

/// One Adam step's constants, four lanes each (Kingma & Ba 2015, Algorithm 1, with dfdx's defaults).
pub(crate) struct AdamStep {
    beta1: F4,
    one_minus_beta1: F4,
    beta2: F4,
    one_minus_beta2: F4,
    /// The bias corrections 1/(1 − β₁ᵗ) and 1/(1 − β₂ᵗ).
    correct1: F4,
    correct2: F4,
    lr: F4,
    epsilon: F4,
}

impl AdamStep {
    pub(crate) fn new(t: i32, lr: f32) -> AdamStep {
        AdamStep {
            beta1: F4::splat(BETA1),
            one_minus_beta1: F4::splat(1.0 - BETA1),
            beta2: F4::splat(BETA2),
            one_minus_beta2: F4::splat(1.0 - BETA2),
            correct1: F4::splat((1.0 - BETA1.powi(t)).recip()),
            correct2: F4::splat((1.0 - BETA2.powi(t)).recip()),
            lr: F4::splat(lr),
            epsilon: F4::splat(EPSILON),
        }
    }

    /// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − lr·m̂/(√v̂ + ε) for four parameters.
    ///
    /// A moment that has become subnormal (|m| or v below 2⁻¹²⁶ ≈ 1.2e-38) is stored as 0. Without
    /// that, the moments of a parameter that no longer gets a gradient (a dead hidden unit's, a rare
    /// input's) shrink by β each step into the subnormal range and stay there: β₁·m rounds back to m
    /// once m is a few units of 2⁻¹⁴⁹. Arithmetic on subnormals takes a slow path on x86 (natively,
    /// and in the browsers, whose wasm engines have no flush-to-zero), and in a long run over many
    /// maps most of the step's time went there (width 128, 30,000 steps). The weights do not see the
    /// difference: such an m moves p by at most lr·10·2⁻¹²⁶/ε ≈ 4e-32, and such a v leaves √v̂ + ε
    /// equal to ε in f32.
    #[inline(always)]
    pub(crate) fn update(&self, p: &mut [f32], m: &mut [f32], v: &mut [f32], g: F4) {
        let mk = F4::load(m).mul(self.beta1).add(g.mul(self.one_minus_beta1)).flush_subnormal();
        let vk = F4::load(v).mul(self.beta2).add(g.mul(g).mul(self.one_minus_beta2)).flush_subnormal();
        mk.store(m);
        vk.store(v);
        let m_hat = mk.mul(self.correct1);
        let v_hat = vk.mul(self.correct2);
        F4::load(p).sub(self.lr.mul(m_hat).div(v_hat.sqrt().add(self.epsilon))).store(p);
    }

    /// `update` for one parameter (the same operations, one lane).
    pub(crate) fn update_one(&self, p: &mut f32, m: &mut f32, v: &mut f32, g: f32) {
        let mut lanes = [[*p, 0.0, 0.0, 0.0], [*m, 0.0, 0.0, 0.0], [*v, 0.0, 0.0, 0.0]];
        let [lp, lm, lv] = &mut lanes;
        self.update(lp, lm, lv, F4::splat(g));
        (*p, *m, *v) = (lanes[0][0], lanes[1][0], lanes[2][0]);
    }
}
