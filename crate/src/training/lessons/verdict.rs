//! A lesson's verdict from its per-seed rows: each part of the rule is one number per seed (paired:
//! every arm of a seed shares its maps and episodes), summarised with a 95% t-interval over seeds
//! that is kept inside the range the number can take; the parts' verdicts make the lesson's.

use super::{ArmRow, Contrast, Lesson, Rule};
use crate::measure::stats::{summarise_within, Summary};
use serde::Serialize;

/// What the rule decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Reproduced,
    NotReproduced,
    Inconclusive,
}

/// Seeds fewer than this decide nothing: one seed has no spread, so no interval; two seeds whose
/// effects agree give an interval of width 0 (success rates on a few maps tie often), which would
/// decide on nothing but the tie — the page's 2-seed quick look is a preview, never a verdict.
pub const MIN_SEEDS_TO_DECIDE: usize = 3;

/// One part of a lesson's rule, judged: its per-seed number, the summary and the part's verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartJudgement {
    pub verdict: Verdict,
    /// What the per-seed number is, in words (English; the page builds its own from the rule).
    pub measure: String,
    pub threshold: f64,
    /// The range the per-seed number can take (`None`: unbounded above); the interval is kept in it.
    pub range: (f64, Option<f64>),
    pub effect: Summary,
    pub per_seed: Vec<(u64, f64)>,
}

/// An arm the divergence guard stopped: never scored as if it had trained; its seed leaves the verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoppedArm {
    pub arm: String,
    pub seed: u64,
    pub step: u64,
}

/// A lesson's verdict: the parts' verdicts combined (reproduced when every part is, not reproduced
/// when any part is, else inconclusive). `measure`, `threshold`, `effect` and `per_seed` repeat the
/// part the verdict rests on (the first part that is not reproduced, else the one with the least
/// margin), for a reader who wants one number.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Judgement {
    pub verdict: Verdict,
    pub measure: String,
    pub threshold: f64,
    pub effect: Summary,
    pub per_seed: Vec<(u64, f64)>,
    /// The index in `parts` of the part above.
    pub deciding_part: usize,
    pub parts: Vec<PartJudgement>,
    /// Arms the guard stopped (their seeds are left out of every part).
    pub stopped: Vec<StoppedArm>,
    /// The interval every summary gives, in words.
    pub interval: &'static str,
}

/// What `Judgement::interval` says.
pub const INTERVAL_NAME: &str = "95% Student-t interval of the mean over seeds, clipped to the measure's range";

/// Where the claim's side of the threshold starts: "retains at least 70%" takes 70% itself; "a beats
/// b" does not take a tie (an interval of exactly [0, 0], both arms equal on every seed — at the
/// ceiling, say — is not a win, and not a loss either).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    AtLeast,
    Above,
}

fn decide(effect: &Summary, threshold: f64, side: Side, also_required: bool) -> Verdict {
    let on_claims_side = match side {
        Side::AtLeast => effect.ci95[0] >= threshold,
        Side::Above => effect.ci95[0] > threshold,
    };
    if effect.n < MIN_SEEDS_TO_DECIDE {
        Verdict::Inconclusive
    } else if !also_required || effect.ci95[1] < threshold {
        Verdict::NotReproduced
    } else if on_claims_side {
        Verdict::Reproduced
    } else {
        Verdict::Inconclusive
    }
}

/// Applies the lesson's rule to its rows. `None` when a seed lacks an arm the rule names, or when
/// no seed is left once the stopped arms' seeds are taken out.
pub fn verdict(lesson: &Lesson, rows: &[ArmRow]) -> Option<Judgement> {
    let mut seeds: Vec<u64> = rows.iter().map(|r| r.seed).collect();
    seeds.sort_unstable();
    seeds.dedup();
    let row = |arm: &str, seed: u64| rows.iter().find(|r| r.arm == arm && r.seed == seed);
    let mut stopped: Vec<StoppedArm> =
        rows.iter().filter_map(|r| r.stopped_at.map(|step| StoppedArm { arm: r.arm.clone(), seed: r.seed, step })).collect();
    stopped.sort_by(|a, b| (a.seed, &a.arm).cmp(&(b.seed, &b.arm)));
    let kept: Vec<u64> = seeds.iter().copied().filter(|s| !stopped.iter().any(|x| x.seed == *s)).collect();
    // Rows name arms by label; the rule, by id.
    let parts: Vec<PartJudgement> = match &lesson.rule_by_label() {
        Rule::Retains { arm, at_least, max_compute } => {
            let per_seed: Vec<(u64, f64)> = kept.iter().map(|&s| row(arm, s).and_then(|r| r.retained).map(|v| (s, v))).collect::<Option<_>>()?;
            let compute_ok = rows.iter().filter(|r| r.arm == *arm).all(|r| r.compute_used <= *max_compute);
            let range = (0.0, None);
            let effect = summarise_within(&values(&per_seed), range.0, range.1)?;
            let measure = format!("ability retained by {arm} (compute ≤ {:.0}% of the teacher's)", 100.0 * max_compute);
            vec![PartJudgement { verdict: decide(&effect, *at_least, Side::AtLeast, compute_ok), measure, threshold: *at_least, range, effect, per_seed }]
        }
        Rule::Contrasts { parts } => parts.iter().map(|part| judge_contrast(part, &kept, &row)).collect::<Option<_>>()?,
    };
    let verdict = if parts.iter().any(|p| p.verdict == Verdict::NotReproduced) {
        Verdict::NotReproduced
    } else if parts.iter().all(|p| p.verdict == Verdict::Reproduced) {
        Verdict::Reproduced
    } else {
        Verdict::Inconclusive
    };
    let deciding_part = parts
        .iter()
        .position(|p| p.verdict == verdict && verdict != Verdict::Reproduced)
        .unwrap_or_else(|| {
            let margin = |p: &PartJudgement| p.effect.ci95[0] - p.threshold;
            (0..parts.len()).min_by(|&a, &b| margin(&parts[a]).total_cmp(&margin(&parts[b]))).unwrap_or(0)
        });
    let decisive = parts[deciding_part].clone();
    Some(Judgement {
        verdict,
        measure: decisive.measure,
        threshold: decisive.threshold,
        effect: decisive.effect,
        per_seed: decisive.per_seed,
        deciding_part,
        parts,
        stopped,
        interval: INTERVAL_NAME,
    })
}

fn values(per_seed: &[(u64, f64)]) -> Vec<f64> {
    per_seed.iter().map(|(_, v)| *v).collect()
}

/// One contrast: Σ weight·(success of the arm) + teacher·(the reference teacher's success on the same
/// episodes), per seed; it can take values from Σ of the negative weights to Σ of the positive ones.
fn judge_contrast<'a>(part: &Contrast, seeds: &[u64], row: &impl Fn(&str, u64) -> Option<&'a ArmRow>) -> Option<PartJudgement> {
    let per_seed: Vec<(u64, f64)> = seeds
        .iter()
        .map(|&s| {
            let arms: f64 = part.weights.iter().map(|(arm, w)| row(arm, s).map(|r| w * r.student_success)).sum::<Option<f64>>()?;
            let teacher = row(part.weights[0].0, s)?.teacher_success;
            Some((s, arms + part.teacher * teacher))
        })
        .collect::<Option<_>>()?;
    let all_weights = part.weights.iter().map(|(_, w)| *w).chain(std::iter::once(part.teacher));
    let (low, high) = all_weights.fold((0.0, 0.0), |(lo, hi), w| if w < 0.0 { (lo + w, hi) } else { (lo, hi + w) });
    let effect = summarise_within(&values(&per_seed), low, Some(high))?;
    let mut terms: Vec<String> = part.weights.iter().map(|(arm, w)| format!("{}{arm}", if *w > 0.0 { "+" } else { "−" })).collect();
    if part.teacher != 0.0 {
        terms.push(format!("{}the teacher", if part.teacher > 0.0 { "+" } else { "−" }));
    }
    let measure = format!("success: {}", terms.join(" "));
    Some(PartJudgement { verdict: decide(&effect, 0.0, Side::Above, true), measure, threshold: 0.0, range: (low, Some(high)), effect, per_seed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::lessons::lesson;

    fn row(lesson: &str, arm: &str, seed: u64, student: f64, compute: f64) -> ArmRow {
        ArmRow {
            lesson: lesson.into(), arm: arm.into(), seed, student_success: student, teacher_success: 0.9, retained: Some(student / 0.9),
            compute_used: compute, evaluation_maps: 10, labelled: 0, stopped_at: None,
        }
    }

    #[test]
    fn the_rule_reads_the_interval() {
        let compression = lesson("compression").unwrap();
        // Retained 0.86–0.89 on three seeds: the whole interval is above 0.70.
        let high: Vec<ArmRow> = [0.77, 0.79, 0.80].iter().enumerate().map(|(i, s)| row("compression", "width 64", i as u64, *s, 0.033)).collect();
        let judged = verdict(&compression, &high).unwrap();
        assert_eq!(judged.verdict, Verdict::Reproduced, "{judged:?}");
        assert_eq!(judged.per_seed.len(), 3);
        // Far below: not reproduced; straddling: inconclusive; too much compute: not reproduced.
        let low: Vec<ArmRow> = [0.3, 0.32, 0.31].iter().enumerate().map(|(i, s)| row("compression", "width 64", i as u64, *s, 0.033)).collect();
        assert_eq!(verdict(&compression, &low).unwrap().verdict, Verdict::NotReproduced);
        let wide: Vec<ArmRow> = [0.4, 0.9, 0.6].iter().enumerate().map(|(i, s)| row("compression", "width 64", i as u64, *s, 0.033)).collect();
        assert_eq!(verdict(&compression, &wide).unwrap().verdict, Verdict::Inconclusive);
        let heavy: Vec<ArmRow> = high.iter().map(|r| ArmRow { compute_used: 0.2, ..r.clone() }).collect();
        assert_eq!(verdict(&compression, &heavy).unwrap().verdict, Verdict::NotReproduced);
        // One seed decides nothing, either way.
        assert_eq!(verdict(&compression, &low[..1]).unwrap().verdict, Verdict::Inconclusive);
        // A contrast: teacher trajectories minus uniform states, per seed.
        let trajectories = lesson("trajectories").unwrap();
        let rows: Vec<ArmRow> = (0..4)
            .flat_map(|s| [row("trajectories", "teacher trajectories", s, 0.6 + 0.01 * s as f64, 0.01), row("trajectories", "uniform states", s, 0.4, 0.01)])
            .collect();
        let judged = verdict(&trajectories, &rows).unwrap();
        assert_eq!(judged.verdict, Verdict::Reproduced);
        assert!((judged.effect.mean - 0.215).abs() < 1e-9, "{judged:?}");
        assert_eq!(judged.parts[0].range, (-1.0, Some(1.0)));
        // A missing arm gives no verdict.
        assert!(verdict(&trajectories, &rows[..3]).is_none());
        // Both arms equal on every seed (at the ceiling): a tie is not a win, and not a loss.
        let tied: Vec<ArmRow> = rows.iter().map(|r| ArmRow { student_success: 1.0, ..r.clone() }).collect();
        let judged = verdict(&trajectories, &tied).unwrap();
        assert_eq!((judged.effect.ci95, judged.verdict), ([0.0, 0.0], Verdict::Inconclusive));
    }

    #[test]
    fn each_part_has_its_own_interval_and_all_must_hold() {
        // The mixture beats the network teacher clearly and the planner on one seed of three:
        // a minimum of margins per seed would have summarised min(...) and biased the effect down;
        // here each comparison has its interval, and the second is inconclusive.
        let mixing = lesson("mixing").unwrap();
        let mut rows = Vec::new();
        for (s, planner) in [(1, 0.70), (2, 0.74), (3, 0.69)] {
            rows.push(row("mixing", "mixture of both", s, 0.72, 0.01));
            rows.push(row("mixing", "network teacher", s, 0.60 + 0.01 * s as f64, 0.01));
            rows.push(row("mixing", "planner teacher", s, planner, 0.01));
        }
        let judged = verdict(&mixing, &rows).unwrap();
        assert_eq!(judged.parts.len(), 2);
        assert_eq!(judged.parts[0].verdict, Verdict::Reproduced);
        assert_eq!(judged.parts[1].verdict, Verdict::Inconclusive);
        assert!((judged.parts[1].effect.mean - (0.72 - (0.70 + 0.74 + 0.69) / 3.0)).abs() < 1e-12);
        assert_eq!((judged.verdict, judged.deciding_part), (Verdict::Inconclusive, 1));
        // The interval never leaves [−1, 1], whatever t(0.975, 1) makes of two seeds.
        let two: Vec<ArmRow> = rows.iter().filter(|r| r.seed <= 2).map(|r| ArmRow { student_success: if r.seed == 1 { 0.0 } else { r.student_success }, ..r.clone() }).collect();
        let judged = verdict(&mixing, &two).unwrap();
        assert!(judged.parts.iter().all(|p| p.effect.ci95[0] >= -1.0 && p.effect.ci95[1] <= 1.0), "{judged:?}");
        // The RL lesson's third part is against the teacher on the same episodes.
        let rl = lesson("rl-finetune").unwrap();
        let rows: Vec<ArmRow> = (1..=3)
            .flat_map(|s| [row("rl-finetune", "distillation, then RL", s, 0.95, 0.01), row("rl-finetune", "distillation only", s, 0.7, 0.01), row("rl-finetune", "RL only", s, 0.5, 0.01)])
            .collect();
        let judged = verdict(&rl, &rows).unwrap();
        assert!((judged.parts[2].effect.mean - 0.05).abs() < 1e-12, "0.95 − the teacher's 0.9");
    }

    #[test]
    fn a_stopped_arm_is_never_scored_as_trained() {
        let trajectories = lesson("trajectories").unwrap();
        let mut rows: Vec<ArmRow> = (1..=4)
            .flat_map(|s| [row("trajectories", "teacher trajectories", s, 0.6, 0.01), row("trajectories", "uniform states", s, 0.4 + 0.01 * s as f64, 0.01)])
            .collect();
        rows[1] = ArmRow { student_success: 0.008, stopped_at: Some(25), ..rows[1].clone() };
        let judged = verdict(&trajectories, &rows).unwrap();
        assert_eq!(judged.stopped, vec![StoppedArm { arm: "uniform states".into(), seed: 1, step: 25 }]);
        assert_eq!(judged.effect.n, 3, "seed 1 is left out");
        assert!(judged.per_seed.iter().all(|(s, _)| *s != 1));
    }
}
