//! The fixed held-out random maps (N = 10, wall density 0.2) and greedy evaluation on them.
//! Their seeds (1,000,000 + i) are never used for training maps, which use seeds ≥ 2^62; validation
//! maps (2,000,000 + i) choose among teacher runs.

use crate::env::maps::{random_map, RandomMapSpec};
use crate::env::observation::{encode_into, OBS_LEN};
use crate::env::{GridMap, Rules, NUM_ACTIONS};
use crate::student::loss::argmax;
use crate::measure::metrics::{noisy_rollouts, RolloutStats};
use crate::env::planner;

pub const HELDOUT_SEED_BASE: u64 = 1_000_000;
/// Size of the quality gate's set.
pub const GATE_HELDOUT_MAPS: usize = 200;
/// Held-out maps of the ledger: the first of the run seed's evaluation maps (`measure::evaluation`),
/// so they vary with the seed and no training pool, gate or selection ever used them.
pub const LEDGER_HELDOUT_MAPS: usize = 200;

pub fn heldout_spec() -> RandomMapSpec {
    RandomMapSpec { size: 10, wall_density: 0.2, ..RandomMapSpec::default() }
}

/// Seeds of the validation maps: the held-out maps' settings, other seeds. Teacher runs are
/// compared on these, so choosing among them never looks at the gate's maps.
pub const VALIDATION_SEED_BASE: u64 = 2_000_000;

/// `count` validation maps (same settings as the held-out maps, disjoint seeds).
pub fn validation_maps(count: usize) -> Vec<GridMap> {
    maps_from_seed(VALIDATION_SEED_BASE, count)
}

/// The first `count` held-out maps.
pub fn heldout_maps(count: usize) -> Vec<GridMap> {
    maps_from_seed(HELDOUT_SEED_BASE, count)
}

fn maps_from_seed(base: u64, count: usize) -> Vec<GridMap> {
    (0..count as u64).map(|i| random_map(heldout_spec(), base + i).expect("held-out spec is valid")).collect()
}

/// Observations of every cell of a map, row-major (cells × 245).
pub fn all_observations(map: &GridMap) -> Vec<f32> {
    let cells = map.cells().len();
    let mut out = vec![0.0; cells * OBS_LEN];
    for cell in 0..cells {
        encode_into(map, cell, &mut out[cell * OBS_LEN..(cell + 1) * OBS_LEN]);
    }
    out
}

/// One greedy episode from each map's start, the policy being the argmax of `logits_of(observations, cells)`.
/// Returns success rate and mean discounted return over the maps.
pub fn greedy_on_maps(maps: &[GridMap], rules: &Rules, logits_of: impl FnMut(&[f32], usize) -> Vec<f32>) -> RolloutStats {
    noisy_on_maps(maps, rules, logits_of, 0.0)
}

/// As `greedy_on_maps`, acting uniformly at random with probability `epsilon` (a noisy teacher).
pub fn noisy_on_maps(maps: &[GridMap], rules: &Rules, mut logits_of: impl FnMut(&[f32], usize) -> Vec<f32>, epsilon: f32) -> RolloutStats {
    let mut successes = 0.0;
    let mut total_return = 0.0;
    for (i, map) in maps.iter().enumerate() {
        let cells = map.cells().len();
        let logits = logits_of(&all_observations(map), cells);
        let policy: Vec<usize> = logits.chunks_exact(NUM_ACTIONS).map(argmax).collect();
        let (sx, sy) = map.start();
        let stats = noisy_rollouts(map, rules, &policy, &[map.index(sx, sy)], i as u64, epsilon);
        successes += stats.success;
        total_return += stats.mean_return;
    }
    let n = maps.len().max(1) as f32;
    RolloutStats { success: successes / n, mean_return: total_return / n, episodes: maps.len() }
}

/// The oracle's greedy result on the same maps (its logits are Q*/τ₀).
pub fn oracle_on_maps(maps: &[GridMap], rules: &Rules) -> RolloutStats {
    let mut tables = maps.iter().map(|m| planner::solve(m, rules));
    greedy_on_maps(maps, rules, |_, cells| {
        let table = tables.next().expect("one table per map");
        (0..cells).flat_map(|c| table.logits(c)).collect()
    })
}
