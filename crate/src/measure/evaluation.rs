//! Held-out evaluation for experiments: maps that no training pool, quality gate or selection ever
//! used, a different set for every run seed, and episodes from each map's start (the task's start
//! distribution), several per map when slip makes them differ.

use crate::env::maps::random_map;
use crate::env::observation::{encode_into, OBS_LEN};
use crate::env::{Action, GridMap, Rules};
use crate::measure::heldout::heldout_spec;
use rand::{rngs::StdRng, SeedableRng};

/// Evaluation maps have seeds 10,000,000 + 100,000·run seed + i: disjoint from the held-out maps
/// (1,000,000 + i), the validation maps (2,000,000 + i) and training pools (≥ 2^62).
pub const EVALUATION_SEED_BASE: u64 = 10_000_000;
/// Most evaluation maps one run seed has.
pub const MAX_EVALUATION_MAPS: usize = 100_000;

/// The `count` evaluation maps of run seed `seed` (10×10, wall density 0.2, as the held-out maps).
pub fn evaluation_maps(seed: u64, count: usize) -> Vec<GridMap> {
    let count = count.min(MAX_EVALUATION_MAPS);
    let base = EVALUATION_SEED_BASE + (seed % 1_000_000) * MAX_EVALUATION_MAPS as u64;
    (0..count as u64).map(|i| random_map(heldout_spec(), base + i).expect("held-out spec is valid")).collect()
}

/// Share of episodes that reach the goal from each map's start, `episodes` per map (1 is enough
/// without slip: greedy episodes are then deterministic), acting by `act(map index, cell,
/// observation)` → action.
/// Slip draws come from an RNG seeded by `seed` and the map's index.
pub fn success_from_starts(maps: &[GridMap], rules: &Rules, episodes: usize, seed: u64, mut act: impl FnMut(usize, usize, &[f32]) -> usize) -> f64 {
    let mut observation = vec![0.0; OBS_LEN];
    let (mut successes, mut total) = (0usize, 0usize);
    for (i, map) in maps.iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ i as u64);
        let (sx, sy) = map.start();
        for _ in 0..episodes.max(1) {
            let mut at = map.index(sx, sy);
            total += 1;
            for _ in 0..map.max_steps() {
                encode_into(map, at, &mut observation);
                let step = map.step(at, Action::from_index(act(i, at, &observation)), rules, &mut rng);
                at = step.to;
                if step.done {
                    successes += usize::from(step.reward > 0.0);
                    break;
                }
            }
        }
    }
    if total == 0 {
        return 0.0;
    }
    successes as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::heldout::{greedy_on_maps, heldout_maps};
    use crate::student::loss::argmax;

    #[test]
    fn evaluation_maps_differ_by_seed_and_from_the_held_out_maps() {
        let (a, b) = (evaluation_maps(1, 20), evaluation_maps(2, 20));
        assert_eq!(a, evaluation_maps(1, 20), "seeded");
        assert!(a.iter().zip(&b).all(|(x, y)| x != y));
        let heldout = heldout_maps(200);
        assert!(a.iter().all(|m| !heldout.contains(m)));
    }

    #[test]
    fn acting_cell_by_cell_matches_the_whole_map_evaluation() {
        // The bundled teacher acting from one observation at a time succeeds exactly where the
        // table-based evaluation (its logits on every cell, then greedy rollouts) says it does.
        let teacher = crate::teacher::bundled::bundled_teacher();
        let maps = evaluation_maps(3, 40);
        let rules = Rules::default();
        let want = greedy_on_maps(&maps, &rules, |observations, cells| teacher.logits(observations, cells)).success as f64;
        let got = success_from_starts(&maps, &rules, 1, 0, |_, _, observation| argmax(&teacher.logits(observation, 1)));
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        assert!(got > 0.5, "the teacher solves most maps: {got}");
        // A policy that always stays never succeeds.
        assert_eq!(success_from_starts(&maps, &rules, 1, 0, |_, _, _| Action::Stay.index()), 0.0);
        // With slip, several episodes per map differ, and the seed makes them reproducible.
        let slippery = Rules { slip: 0.3, ..rules };
        let noisy = |seed| success_from_starts(&maps, &slippery, 4, seed, |_, _, observation| argmax(&teacher.logits(observation, 1)));
        assert_eq!(noisy(5), noisy(5));
        assert!(noisy(5) < got + 1e-9);
    }

    /// The quality gate on maps no selection ever looked at: the teacher runs were compared on the
    /// validation maps and the gate's 200 held-out maps; these 1,000 are neither.
    #[test]
    fn quality_gate_the_teacher_reaches_90_percent_of_the_oracle_on_1000_fresh_maps() {
        let teacher = crate::teacher::bundled::bundled_teacher();
        let maps = evaluation_maps(999, 1000);
        let rules = Rules::default();
        let tables: Vec<_> = maps.iter().map(|m| crate::env::planner::solve(m, &rules)).collect();
        let oracle = success_from_starts(&maps, &rules, 1, 0, |map, cell, _| argmax(&tables[map].logits(cell)));
        let network = success_from_starts(&maps, &rules, 1, 0, |_, _, observation| argmax(&teacher.logits(observation, 1)));
        assert!(oracle > 0.9, "the oracle solves most maps: {oracle}");
        let ratio = network / oracle;
        eprintln!("quality gate on 1,000 fresh maps: teacher {network:.3}, oracle {oracle:.3}, ratio {ratio:.3}");
        assert!(ratio >= 0.9, "the teacher reaches {:.1}% of the oracle on 1,000 fresh maps (< 90%)", 100.0 * ratio);
    }
}
