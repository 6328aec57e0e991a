//! The teacher as the student sees it on one map: per-cell logits of the oracle and of the neural
//! network, mixed by weight (multi-teacher distillation), tempered by τ, with optional label noise
//! and blind spots (`gaps`).

use super::gaps::{layout_key, Blind, TeacherGaps};
use crate::env::{GridMap, NUM_ACTIONS};
use crate::student::loss::{argmax, log_softmax};
use crate::env::planner::{solve, QTable};
use crate::env::Rules;
use std::sync::{Arc, OnceLock};

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

/// Labels the network's logits for one cell when first asked: the bundled network on that cell's
/// observation (`TeacherTable::lazy`). Shared by every session that uses the same labelled map.
pub type CellLabeller = Arc<dyn Fn(usize) -> [f32; NUM_ACTIONS] + Send + Sync>;

/// The network's logits per cell, each computed at most once: all at once up front (`new`), or
/// cell by cell as training first asks for them (`lazy`). A cell's logits are the same either way:
/// the network labels each state on its own, whatever the states labelled with it.
#[derive(Clone)]
struct NeuralLabels {
    cells: Vec<OnceLock<[f32; NUM_ACTIONS]>>,
    labeller: Option<CellLabeller>,
}

impl NeuralLabels {
    fn get(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        *self.cells[cell].get_or_init(|| match &self.labeller {
            Some(label) => label(cell),
            // Only the oracle's tables have neither (and never read the network's logits).
            None => [0.0; NUM_ACTIONS],
        })
    }

    fn labelled(&self) -> usize {
        self.cells.iter().filter(|c| c.get().is_some()).count()
    }
}

impl std::fmt::Debug for NeuralLabels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NeuralLabels({} of {} cells labelled)", self.labelled(), self.cells.len())
    }
}

/// The planner's logits Q*/τ₀ and best actions per cell.
#[derive(Clone, Debug)]
struct PlannerLabels {
    logits: Vec<[f32; NUM_ACTIONS]>,
    best: Vec<Vec<usize>>,
}

impl PlannerLabels {
    fn of(q_table: &QTable, cells: usize) -> PlannerLabels {
        PlannerLabels { logits: (0..cells).map(|c| q_table.logits(c)).collect(), best: (0..cells).map(|c| q_table.best_actions(c)).collect() }
    }
}

/// The planner's labels of one map: solved up front (`TeacherTable::new`), or when first needed
/// (`TeacherTable::lazy`: a training map the network labels alone never needs the planner).
#[derive(Clone, Debug)]
struct Planner {
    solved: OnceLock<PlannerLabels>,
    to_solve: Option<(GridMap, Rules)>,
}

impl Planner {
    fn get(&self) -> &PlannerLabels {
        self.solved.get_or_init(|| {
            let (map, rules) = self.to_solve.as_ref().expect("a planner is solved up front or knows its map");
            PlannerLabels::of(&solve(map, rules), map.cells().len())
        })
    }
}

/// Per-cell teacher logits for one map, and how they combine.
#[derive(Clone, Debug)]
pub struct TeacherTable {
    pub kind: TeacherKind,
    /// Weight w of the neural teacher in `Mix`.
    pub mix_weight: f32,
    planner: Planner,
    neural: NeuralLabels,
    /// Where each teacher is blind (`TeacherGaps`): empty when neither ever is.
    blind: Vec<Blind>,
}

impl TeacherTable {
    /// Evaluates both teachers on every cell of `map` (observations row-major, cells × 245).
    /// `neural` gives the network's logits on those observations (cells × 5), e.g.
    /// `|obs, cells| teacher.logits(obs, cells)` or labels computed elsewhere; it is only called
    /// when the network is needed (not for the oracle alone).
    pub fn new(
        kind: TeacherKind,
        mix_weight: f32,
        gaps: TeacherGaps,
        q_table: &QTable,
        neural: impl FnOnce(&[f32], usize) -> Vec<f32>,
        map: &GridMap,
        observations: &[f32],
    ) -> TeacherTable {
        let cells = map.cells().len();
        let neural = if kind == TeacherKind::Oracle {
            NeuralLabels { cells: (0..cells).map(|_| OnceLock::new()).collect(), labeller: None }
        } else {
            let logits = neural(observations, cells);
            NeuralLabels { cells: logits.chunks_exact(NUM_ACTIONS).map(|c| OnceLock::from([c[0], c[1], c[2], c[3], c[4]])).collect(), labeller: None }
        };
        let planner = Planner { solved: OnceLock::from(PlannerLabels::of(q_table, cells)), to_solve: None };
        TeacherTable::with_neural(kind, mix_weight, gaps.cells(layout_key(map), cells), planner, neural)
    }

    /// As `new`, but the network labels a cell only when it is first asked for (`label(cell)`): a
    /// training map from which a few states are drawn costs a few states' labelling, not the map's;
    /// the planner solves the map under `rules` when first needed (never, for the network alone).
    pub fn lazy(kind: TeacherKind, mix_weight: f32, gaps: TeacherGaps, map: &GridMap, rules: Rules, label: CellLabeller) -> TeacherTable {
        let labeller = (kind != TeacherKind::Oracle).then_some(label);
        let cells = map.cells().len();
        let neural = NeuralLabels { cells: (0..cells).map(|_| OnceLock::new()).collect(), labeller };
        let planner = Planner { solved: OnceLock::new(), to_solve: Some((map.clone(), rules)) };
        TeacherTable::with_neural(kind, mix_weight, gaps.cells(layout_key(map), cells), planner, neural)
    }

    fn with_neural(kind: TeacherKind, mix_weight: f32, blind: Vec<Blind>, planner: Planner, neural: NeuralLabels) -> TeacherTable {
        let blind = if blind.iter().any(|b| b.network || b.planner) { blind } else { Vec::new() };
        TeacherTable { kind, mix_weight, planner, neural, blind }
    }

    fn blind_at(&self, cell: usize) -> Blind {
        self.blind.get(cell).copied().unwrap_or_default()
    }

    /// The network's logits at `cell`: zeros (no preference) where it is blind.
    fn network_logits(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        if self.blind_at(cell).network { [0.0; NUM_ACTIONS] } else { self.neural.get(cell) }
    }

    /// The planner's logits Q*/τ₀ at `cell`: zeros (no preference) where it is blind.
    fn planner_logits(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        if self.blind_at(cell).planner { [0.0; NUM_ACTIONS] } else { self.planner.get().logits[cell] }
    }

    /// Cells whose network logits have been computed so far (all of them for a table made by `new`
    /// with the network).
    pub fn network_labelled(&self) -> usize {
        self.neural.labelled()
    }

    /// The planner's state value at every cell in logit units, V*(s)/τ₀ = max_a Q*(s, a)/τ₀ (the
    /// optimal value under the map's rules, whichever teacher is used): for the page's value shading.
    pub fn oracle_values(&self) -> Vec<f32> {
        self.planner.get().logits.iter().map(|q| q.iter().copied().fold(f32::NEG_INFINITY, f32::max)).collect()
    }

    /// The network's logits at `cell` without blind spots (for tests that check the mixture).
    #[cfg(test)]
    pub fn network_logits_for_test(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        self.neural.get(cell)
    }

    /// The planner's logits at `cell` without blind spots (for tests that check the mixture).
    #[cfg(test)]
    pub fn oracle_logits_for_test(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        self.planner.get().logits[cell]
    }

    /// log p_T^τ at a cell, finite everywhere.
    pub fn log_probs(&self, cell: usize, tau: f32) -> [f32; NUM_ACTIONS] {
        match self.kind {
            TeacherKind::Oracle => log_softmax(&self.planner_logits(cell), tau),
            TeacherKind::Neural => log_softmax(&self.network_logits(cell), tau),
            TeacherKind::Mix => {
                let (n, o) = (log_softmax(&self.network_logits(cell), tau), log_softmax(&self.planner_logits(cell), tau));
                let w = self.mix_weight;
                let mut out = [0.0; NUM_ACTIONS];
                for a in 0..NUM_ACTIONS {
                    out[a] = crate::math::ln(w * crate::math::exp(n[a]) + (1.0 - w) * crate::math::exp(o[a])).max(LOG_FLOOR);
                }
                out
            }
        }
    }

    /// The teacher's logits: the network's or Q*/τ₀; for the mixture, log of the τ = 1 mixture.
    pub fn logits(&self, cell: usize) -> [f32; NUM_ACTIONS] {
        match self.kind {
            TeacherKind::Oracle => self.planner_logits(cell),
            TeacherKind::Neural => self.network_logits(cell),
            TeacherKind::Mix => self.log_probs(cell, 1.0),
        }
    }

    /// The teacher's best actions: its argmax (several only where the oracle's Q* ties exactly).
    pub fn best(&self, cell: usize) -> Vec<usize> {
        match self.kind {
            TeacherKind::Oracle if !self.blind_at(cell).planner => self.planner.get().best[cell].clone(),
            _ => vec![argmax(&self.logits(cell))],
        }
    }

    /// The greedy action at every cell.
    pub fn greedy_policy(&self) -> Vec<usize> {
        (0..self.neural.cells.len()).map(|c| self.greedy(c)).collect()
    }

    /// The greedy action at one cell.
    pub fn greedy(&self, cell: usize) -> usize {
        argmax(&self.logits(cell))
    }
}

/// The logits a noisy demonstration carries: almost all mass on the random action `action`
/// (0.96, the rest shared), so every loss sees the same mistaken label.
pub fn noisy_logits(action: usize) -> [f32; NUM_ACTIONS] {
    let mut logits = [crate::math::ln(0.01); NUM_ACTIONS];
    logits[action] = crate::math::ln(0.96);
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
        let table = TeacherTable::new(TeacherKind::Oracle, 0.5, TeacherGaps::default(), &q, |_, _| unreachable!("the oracle alone needs no network"), &map, &observations);
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
