//! The teacher as the student sees it on one map: per-cell logits of the oracle and of the neural
//! network, mixed by weight (multi-teacher distillation), tempered by τ, with optional label noise.

use crate::env::{GridMap, NUM_ACTIONS};
use crate::student::loss::{argmax, log_softmax};
use crate::env::planner::QTable;

crate::named_choice! {
    /// Which teacher labels the data.
    pub enum TeacherKind {
        /// The bundled network (`teacher::NeuralTeacher`).
        Neural = "neural",
        /// Exact value iteration (`planner`).
        Oracle = "oracle",
        /// p^τ = w·p_neural^τ + (1 − w)·p_oracle^τ (a mixture of the two policies).
        Mix = "mix",
    }
}



/// Smallest log-probability kept, so a probability that underflows stays finite (e^−100 ≈ 4e−44).
const LOG_FLOOR: f32 = -100.0;

/// Per-cell teacher logits for one map, and how they combine.
#[derive(Clone, Debug)]
pub struct TeacherTable {
    pub kind: TeacherKind,
    /// Weight w of the neural teacher in `Mix`.
    pub mix_weight: f32,
    oracle: Vec<[f32; NUM_ACTIONS]>,
    neural: Vec<[f32; NUM_ACTIONS]>,
    oracle_best: Vec<Vec<usize>>,
}

impl TeacherTable {
    /// Evaluates both teachers on every cell of `map` (observations row-major, cells × 245).
    /// `neural` gives the network's logits on those observations (cells × 5), e.g.
    /// `|obs, cells| teacher.logits(obs, cells)` or labels computed elsewhere; it is only called
    /// when the network is needed (not for the oracle alone).
    pub fn new(kind: TeacherKind, mix_weight: f32, q_table: &QTable, neural: impl FnOnce(&[f32], usize) -> Vec<f32>, map: &GridMap, observations: &[f32]) -> TeacherTable {
        let cells = map.cells().len();
        let oracle = (0..cells).map(|c| q_table.logits(c)).collect();
        let oracle_best = (0..cells).map(|c| q_table.best_actions(c)).collect();
        let neural = if kind == TeacherKind::Oracle {
            vec![[0.0; NUM_ACTIONS]; cells]
        } else {
            neural(observations, cells).chunks_exact(NUM_ACTIONS).map(|c| [c[0], c[1], c[2], c[3], c[4]]).collect()
        };
        TeacherTable { kind, mix_weight, oracle, neural, oracle_best }
    }

    /// The planner's state value at every cell in logit units, V*(s)/τ₀ = max_a Q*(s, a)/τ₀ (the
    /// optimal value under the map's rules, whichever teacher is used): for the page's value shading.
    pub fn oracle_values(&self) -> Vec<f32> {
        self.oracle.iter().map(|q| q.iter().copied().fold(f32::NEG_INFINITY, f32::max)).collect()
    }

    /// log p_T^τ at a cell, finite everywhere.
    pub fn log_probs(&self, cell: usize, tau: f32) -> [f32; NUM_ACTIONS] {
        match self.kind {
            TeacherKind::Oracle => log_softmax(&self.oracle[cell], tau),
            TeacherKind::Neural => log_softmax(&self.neural[cell], tau),
            TeacherKind::Mix => {
                let (n, o) = (log_softmax(&self.neural[cell], tau), log_softmax(&self.oracle[cell], tau));
                let w = self.mix_weight;
                let mut out = [0.0; NUM_ACTIONS];
                for a in 0..NUM_ACTIONS {
                    out[a] = (w * n[a].exp() + (1.0 - w) * o[a].exp()).ln().max(LOG_FLOOR);
                }
                out
            }
        }
    }

    /// The teacher's logits: the network's or Q*/τ₀; for the mixture, log of the τ = 1 mixture.
    pub fn logits(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        match self.kind {
            TeacherKind::Oracle => self.oracle[cell],
            TeacherKind::Neural => self.neural[cell],
            TeacherKind::Mix => self.log_probs(cell, 1.0),
        }
    }

    /// The teacher's best actions: its argmax (several only where the oracle's Q* ties exactly).
    pub fn best(&self, cell: usize) -> Vec<usize> {
        match self.kind {
            TeacherKind::Oracle => self.oracle_best[cell].clone(),
            _ => vec![argmax(&self.logits(cell))],
        }
    }

    /// The greedy action at every cell.
    pub fn greedy_policy(&self) -> Vec<usize> {
        (0..self.oracle.len()).map(|c| argmax(&self.logits(c))).collect()
    }
}

/// The logits a noisy demonstration carries: almost all mass on the random action `action`
/// (0.96, the rest shared), so every loss sees the same mistaken label.
pub fn noisy_logits(action: usize) -> [f32; NUM_ACTIONS] {
    let mut logits = [(0.01f32).ln(); NUM_ACTIONS];
    logits[action] = (0.96f32).ln();
    logits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::maps::{builtin, MapName};
    use crate::env::observation::encode;
    use crate::env::planner::{solve, ORACLE_LOGIT_SCALE};
    use crate::training::settings::Settings;

    #[test]
    fn oracle_values_are_the_planners_state_values_in_logit_units() {
        let settings = Settings::default();
        let map = builtin(MapName::Maze, 1).unwrap();
        let rules = settings.rules();
        let q = solve(&map, &rules);
        let observations: Vec<f32> = (0..map.cells().len()).flat_map(|c| encode(&map, c)).collect();
        let table = TeacherTable::new(TeacherKind::Oracle, 0.5, &q, |_, _| unreachable!("the oracle alone needs no network"), &map, &observations);
        let values = table.oracle_values();
        for cell in map.decision_cells() {
            // Independently: the planner's own V*(s), in the same logit units.
            let expected = (q.v[cell] / ORACLE_LOGIT_SCALE as f64) as f32;
            assert!((values[cell] - expected).abs() < 1e-4 * (1.0 + expected.abs()), "{} vs {expected}", values[cell]);
        }
        // Closer to the goal is worth more: a goal neighbour beats the start.
        let (gx, gy) = map.goal();
        let (sx, sy) = map.start();
        let neighbour = map.decision_cells().into_iter().find(|&c| {
            let (x, y) = map.position(c);
            x.abs_diff(gx) + y.abs_diff(gy) == 1
        }).unwrap();
        assert!(values[neighbour] > values[map.index(sx, sy)]);
    }
}
