//! The oracle teacher: exact value iteration on the current map gives Q*(s, a).
//! Its logits are Q*/τ₀ (τ₀ = `ORACLE_LOGIT_SCALE`), so its policy at temperature τ is softmax(Q*/(τ₀·τ)).

use crate::env::{GridMap, Rules, ACTIONS, NUM_ACTIONS};

/// τ₀: Q* is divided by this to make logits. Q* gaps between neighbouring actions are a few
/// hundredths on the built-in maps, so τ₀ = 0.01 makes the τ = 1 policy clearly prefer the best
/// action while τ = 5 is visibly flat and τ = 0.3 almost one-hot.
pub const ORACLE_LOGIT_SCALE: f32 = 0.01;

/// Two Q* values closer than this are the same (an exact tie between equally good actions).
pub const TIE_TOLERANCE: f64 = 1e-9;

/// Optimal action values of one map under one set of rules.
#[derive(Clone, Debug)]
pub struct QTable {
    /// Q*(cell, action) for every cell; terminal and wall cells hold zeros.
    pub q: Vec<[f64; NUM_ACTIONS]>,
    /// V*(cell) = max_a Q*(cell, a); zero for terminal and wall cells.
    pub v: Vec<f64>,
    /// Sweeps until the largest change fell below 1e-10.
    pub sweeps: usize,
}

/// Value iteration (Sutton & Barto 2018, §4.4) on the infinite-horizon discounted MDP:
/// Q(s,a) = Σ_a' P(a'|a) [r(s,a') + γ·(1 − done(s,a'))·V(s')], with P(a'|a) = (1−slip)·[a'=a] + slip/5,
/// entering lava gives −1 and goal +1 (both end the episode), any other step gives the step cost.
/// The 4N step limit is not part of the planner's model.
pub fn solve(map: &GridMap, rules: &Rules) -> QTable {
    let cells = map.cells().len();
    let gamma = rules.gamma as f64;
    let slip = rules.slip as f64;
    let mut v = vec![0.0f64; cells];
    let mut q = vec![[0.0f64; NUM_ACTIONS]; cells];
    let decision: Vec<bool> = map.cells().iter().map(|c| *c == crate::env::Cell::Floor).collect();
    // Outcome of each executed action from each cell: (next cell, reward, done).
    let outcomes: Vec<[(usize, f64, bool); NUM_ACTIONS]> = (0..cells)
        .map(|from| {
            ACTIONS.map(|action| {
                let to = map.move_from(from, action);
                let (reward, done) = map.arrival(to, rules);
                (to, reward as f64, done)
            })
        })
        .collect();
    let mut sweeps = 0;
    loop {
        sweeps += 1;
        let mut largest_change = 0.0f64;
        for cell in 0..cells {
            if !decision[cell] {
                continue;
            }
            let executed: [f64; NUM_ACTIONS] = outcomes[cell].map(|(to, reward, done)| reward + if done { 0.0 } else { gamma * v[to] });
            let mean_executed = executed.iter().sum::<f64>() / NUM_ACTIONS as f64;
            let mut best = f64::NEG_INFINITY;
            for a in 0..NUM_ACTIONS {
                let value = (1.0 - slip) * executed[a] + slip * mean_executed;
                q[cell][a] = value;
                best = best.max(value);
            }
            largest_change = largest_change.max((best - v[cell]).abs());
            v[cell] = best;
        }
        if largest_change < 1e-10 || sweeps >= 100_000 {
            break;
        }
    }
    QTable { q, v, sweeps }
}

impl QTable {
    /// The oracle's logits at a cell: Q*/τ₀.
    pub fn logits(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        self.q[cell].map(|value| (value / ORACLE_LOGIT_SCALE as f64) as f32)
    }
    /// Actions whose Q* equals the maximum (more than one where equally good moves tie).
    pub fn best_actions(&self, cell: usize) -> Vec<usize> {
        let best = self.v[cell];
        (0..NUM_ACTIONS).filter(|&a| best - self.q[cell][a] <= TIE_TOLERANCE).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_on_a_corridor_match_hand_computation() {
        // A 5×5 map whose only open row is a corridor S . . . G: walls elsewhere.
        let map = GridMap::from_text("#####\n#####\nS...G\n#####\n#####").unwrap();
        let rules = Rules { step_cost: -0.01, slip: 0.0, gamma: 0.9 };
        let table = solve(&map, &rules);
        // One step from the goal: Q(right) = +1. Two steps: −0.01 + 0.9·1 = 0.89.
        // Three: −0.01 + 0.9·0.89 = 0.791. Four (the start): −0.01 + 0.9·0.791 = 0.7019.
        let expected = [0.7019, 0.791, 0.89, 1.0];
        for (x, want) in expected.iter().enumerate() {
            let v = table.v[map.index(x, 2)];
            assert!((v - want).abs() < 1e-6, "V at x={x}: {v}, expected {want}");
        }
        let start = map.index(0, 2);
        assert_eq!(table.best_actions(start), vec![3], "right is best");
        // Staying at the start: −0.01 + 0.9·V(start).
        assert!((table.q[start][4] - (-0.01 + 0.9 * 0.7019)).abs() < 1e-6);
    }

    #[test]
    fn slip_lowers_values_by_the_expected_mixture() {
        let map = GridMap::from_text("#####\n#####\n...SG\n#####\n#####").unwrap();
        let rules = Rules { step_cost: 0.0, slip: 0.5, gamma: 0.9 };
        let table = solve(&map, &rules);
        let s = map.index(3, 2);
        // (γ = 0.9 is stored as f32, so compare with f32 precision.)
        // From S: right reaches the goal (+1). Check the fixed point Q(right) = 0.5·1 + 0.5·mean(executed).
        let v = table.v.clone();
        let left = map.index(2, 2);
        let g = rules.gamma as f64;
        let executed = [g * v[s], g * v[s], g * v[left], 1.0, g * v[s]];
        let mean: f64 = executed.iter().sum::<f64>() / 5.0;
        assert!((table.q[s][3] - (0.5 * 1.0 + 0.5 * mean)).abs() < 1e-9);
        assert!(table.q[s][3] < 1.0 && table.q[s][3] > 0.5);
    }

    #[test]
    fn lava_is_avoided() {
        let map = crate::env::maps::builtin(crate::env::maps::MapName::Cliff, 0).unwrap();
        let table = solve(&map, &Rules::default());
        let start = map.index(map.start().0, map.start().1);
        assert_eq!(table.best_actions(start), vec![0], "from the cliff start the only good move is up");
    }
}
