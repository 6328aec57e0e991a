//! Summaries of a measure over seeds: the mean, the sample standard deviation and a 95% confidence
//! interval for the mean from Student's t distribution (as in any statistics text, e.g. Wasserman,
//! "All of Statistics", 2004, §10.4), so a figure states how far it can be trusted.

use serde::Serialize;

/// Mean, sample SD and the 95% t-interval of a set of per-seed values (`n` of them).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation s = √(Σ(x − x̄)² / (n − 1)); 0 for one value.
    pub sd: f64,
    /// x̄ ± t(0.975, n − 1)·s/√n; both ends equal the mean for one value.
    pub ci95: [f64; 2],
}

/// t(0.975, df) for df = 1..=30 (two-sided 95%); beyond 30 the normal's 1.96 is within 2%.
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
    2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/// The 0.975 quantile of Student's t with `df` degrees of freedom (df ≥ 1).
pub fn t_975(df: usize) -> f64 {
    match df {
        0 => f64::NAN,
        1..=30 => T_975[df - 1],
        31..=60 => 2.042 - (2.042 - 2.000) * (df - 30) as f64 / 30.0,
        61..=120 => 2.000 - (2.000 - 1.980) * (df - 60) as f64 / 60.0,
        _ => 1.960,
    }
}

/// Summarises per-seed values; `None` for no values.
pub fn summarise(values: &[f64]) -> Option<Summary> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Some(Summary { n, mean, sd: 0.0, ci95: [mean, mean] });
    }
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let half = t_975(n - 1) * sd / (n as f64).sqrt();
    Some(Summary { n, mean, sd, ci95: [mean - half, mean + half] })
}

/// `summarise`, with the interval kept inside the range the measure can take, [`low`, `high`]
/// (`high` `None`: unbounded). The mean of values in the range is in the range, so the clipped
/// interval covers it whenever the t-interval does: the clip changes no coverage, only what a reader
/// could misread (a success rate "between −2.4 and 2.1"). The mean and SD are unchanged.
pub fn summarise_within(values: &[f64], low: f64, high: Option<f64>) -> Option<Summary> {
    let mut summary = summarise(values)?;
    let clip = |v: f64| high.map_or(v, |h| v.min(h)).max(low);
    summary.ci95 = [clip(summary.ci95[0]), clip(summary.ci95[1])];
    Some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_stays_inside_the_measures_range() {
        // Two seeds: t(0.975, 1) = 12.706 makes the raw interval far wider than [−1, 1].
        let raw = summarise(&[-0.2, 0.3]).unwrap();
        assert!(raw.ci95[0] < -1.0 && raw.ci95[1] > 1.0, "{raw:?}");
        let clipped = summarise_within(&[-0.2, 0.3], -1.0, Some(1.0)).unwrap();
        assert_eq!((clipped.mean, clipped.sd, clipped.ci95), (raw.mean, raw.sd, [-1.0, 1.0]));
        // Unbounded above: only the lower end moves.
        let ratio = summarise_within(&[0.1, 1.4], 0.0, None).unwrap();
        assert_eq!(ratio.ci95[0], 0.0);
        assert_eq!(ratio.ci95[1], summarise(&[0.1, 1.4]).unwrap().ci95[1]);
        // An interval already inside is unchanged.
        let inside = summarise(&[0.4, 0.5, 0.45, 0.42]).unwrap();
        assert_eq!(summarise_within(&[0.4, 0.5, 0.45, 0.42], 0.0, Some(1.0)).unwrap(), inside);
    }

    #[test]
    fn matches_a_hand_computation() {
        // 1..=5: mean 3, Σ(x − x̄)² = 10, s = √(10/4) = 1.58114, t(0.975, 4) = 2.776,
        // half-width 2.776 · 1.58114 / √5 = 1.96294.
        let s = summarise(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(s.n, 5);
        assert!((s.mean - 3.0).abs() < 1e-12);
        assert!((s.sd - 1.581_138_8).abs() < 1e-6);
        assert!((s.ci95[0] - (3.0 - 1.962_94)).abs() < 1e-4 && (s.ci95[1] - (3.0 + 1.962_94)).abs() < 1e-4, "{s:?}");
        // Order does not matter; one value has no spread; none has no summary.
        assert_eq!(summarise(&[5.0, 1.0, 4.0, 2.0, 3.0]).unwrap().sd, s.sd);
        assert_eq!(summarise(&[0.7]).unwrap(), Summary { n: 1, mean: 0.7, sd: 0.0, ci95: [0.7, 0.7] });
        assert!(summarise(&[]).is_none());
    }

    #[test]
    fn the_interval_narrows_with_more_seeds_and_tends_to_the_normal() {
        assert!((t_975(1) - 12.706).abs() < 1e-9 && (t_975(9) - 2.262).abs() < 1e-9);
        assert!((1..200).all(|df| t_975(df) >= t_975(df + 1)), "t(0.975, df) never grows with df");
        assert!((t_975(10_000) - 1.96).abs() < 1e-9);
        let values: Vec<f64> = (0..40).map(|i| (i % 4) as f64).collect();
        let few = summarise(&values[..4]).unwrap();
        let many = summarise(&values).unwrap();
        assert!(many.ci95[1] - many.ci95[0] < few.ci95[1] - few.ci95[0]);
    }
}
