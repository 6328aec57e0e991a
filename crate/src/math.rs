//! exp, ln and powf that give the same bits natively and in wasm.
//!
//! `f32::exp` and friends call the platform's maths library: glibc natively, a port of musl's libm
//! in wasm. The two round differently in the last bit for some arguments, and a training run that
//! differs in one bit at one step ends up elsewhere: the page's students would not be the command
//! line's. Every exp, ln and pow on a path that trains, labels or scores (losses and their
//! gradients, teacher targets, sampling, schedules) calls these instead, which are the `libm`
//! crate's (the same Rust code on every target). Arithmetic (+ − × ÷ √) is IEEE 754 everywhere and
//! needs nothing.

/// eˣ for f32 (`libm::expf`).
#[inline]
pub fn exp(x: f32) -> f32 {
    libm::expf(x)
}

/// ln x for f32 (`libm::logf`).
#[inline]
pub fn ln(x: f32) -> f32 {
    libm::logf(x)
}

/// xʸ for f32 (`libm::powf`).
#[inline]
pub fn powf(x: f32, y: f32) -> f32 {
    libm::powf(x, y)
}

/// eˣ for f64 (`libm::exp`).
#[inline]
pub fn exp64(x: f64) -> f64 {
    libm::exp(x)
}

/// ln x for f64 (`libm::log`).
#[inline]
pub fn ln64(x: f64) -> f64 {
    libm::log(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_the_standard_library_to_an_ulp() {
        // The platform's functions are the independent computation: within one unit in the last
        // place of theirs over a sweep of arguments (they may round the other way, never further).
        let ulp = |a: f32, b: f32| (a.to_bits() as i64 - b.to_bits() as i64).abs();
        for k in -2000..2000 {
            let x = k as f32 * 0.01 + 0.003;
            assert!(ulp(exp(x), x.exp()) <= 1, "exp({x})");
            if x > 0.0 {
                assert!(ulp(ln(x), x.ln()) <= 1, "ln({x})");
                assert!(ulp(powf(x, 0.37), x.powf(0.37)) <= 1, "powf({x})");
            }
            let y = x as f64;
            assert!((exp64(y) - y.exp()).abs() <= 2.0 * f64::EPSILON * y.exp());
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(ln(0.0), f32::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
    }
}
