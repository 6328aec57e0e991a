//! One map with everything training and evaluation need on it: observations of every cell (kept as
//! their non-zero inputs: a third of the memory of 245 floats, and what the training step reads), the
//! teacher's targets, the decision cells, the teacher's greedy policy and plans. A training map of
//! a pool or stream is labelled lazily: the network labels a cell when training first draws it.

use crate::env::observation::{encode, OBS_LEN};
use crate::env::{Action, GridMap};
use crate::measure::heldout::all_observations;
use crate::env::planner;
use crate::student::loss::{argmax, SampleTarget};
use crate::student::{SparseRows, PLAN_STEPS};
use crate::teacher::bundled::bundled_teacher;
use crate::teacher::targets::{CellLabeller, TeacherTable};
use crate::env::NUM_ACTIONS;
use std::sync::{Arc, OnceLock};
use crate::training::settings::Settings;

/// One map with everything training and evaluation need on it.
pub struct MapData {
    pub map: GridMap,
    /// The observation of every cell as the training step reads it: its non-zero inputs (row c is
    /// cell c), listed once here so that no step lists them again for each sample it draws.
    /// `observation` and `observations` give them as 245 floats.
    pub inputs: SparseRows,
    pub table: TeacherTable,
    /// Reachable floor cells: where the agent acts and where training samples.
    pub decision_cells: Vec<usize>,
    /// The teacher's greedy action per cell (what its rollouts do), once every cell is labelled.
    teacher_policy: OnceLock<Vec<usize>>,
    /// The teacher's training target per cell at up to `TARGET_TEMPERATURES` temperatures (the
    /// bits of τ, then one slot per cell), each worked out when a batch first draws the cell
    /// (`target`).
    targets: [OnceLock<(u32, Box<[OnceLock<SampleTarget>]>)>; TARGET_TEMPERATURES],
}

/// Temperatures whose targets a map keeps (the arms of a lesson that share a map ask for a few).
const TARGET_TEMPERATURES: usize = 4;

impl MapData {
    /// Labels `map` with the bundled teacher.
    pub fn new(map: GridMap, settings: &Settings) -> MapData {
        MapData::with_network_logits(map, settings, |observations, cells| bundled_teacher().logits(observations, cells))
    }

    /// Labels `map` with the network's logits from `network` (cells × 5 for the given
    /// observations): the bundled teacher, or its labels computed earlier (`memo::network_logits`).
    pub fn with_network_logits(map: GridMap, settings: &Settings, network: impl FnOnce(&[f32], usize) -> Vec<f32>) -> MapData {
        let rules = settings.rules();
        let q_table = planner::solve(&map, &rules);
        let observations = all_observations(&map);
        let table = TeacherTable::new(settings.teacher, settings.mix_weight, settings.teacher_gaps(), &q_table, network, &map, &observations);
        let decision_cells = map.decision_cells();
        let teacher_policy = OnceLock::from(table.greedy_policy());
        let inputs = SparseRows::from_dense(&observations);
        MapData { map, inputs, table, decision_cells, teacher_policy, targets: Default::default() }
    }

    /// `map` labelled by the bundled teacher's network one cell at a time, when training first asks
    /// for a cell (the planner solves the map only if its labels are asked for). The labels are the ones
    /// `new` gives, cell for cell.
    pub fn labelled_lazily(map: GridMap, settings: &Settings) -> MapData {
        let table = lazy_teacher_table(&map, settings);
        let inputs = SparseRows::from_dense(&all_observations(&map));
        let decision_cells = map.decision_cells();
        MapData { map, inputs, table, decision_cells, teacher_policy: OnceLock::new(), targets: Default::default() }
    }

    /// The teacher's target at `cell` at temperature `tau`, as a training batch takes it (the one
    /// `TeacherTargets::push` makes from the table's logits and log-probabilities and their argmax):
    /// worked out the first time, then kept, so the exp and ln of a state drawn again are not
    /// done again. A fifth temperature is worked out each time.
    pub fn target(&self, cell: usize, tau: f32) -> SampleTarget {
        let work = || {
            let logits = self.table.logits(cell);
            SampleTarget::new(&logits, &self.table.log_probs(cell, tau), argmax(&logits))
        };
        let bits = tau.to_bits();
        for slot in &self.targets {
            let (slot_bits, cells) = slot.get_or_init(|| (bits, (0..self.map.cells().len()).map(|_| OnceLock::new()).collect()));
            if *slot_bits == bits {
                return *cells[cell].get_or_init(work);
            }
        }
        work()
    }

    /// The teacher's greedy action at every cell (labelling every cell not labelled yet).
    pub fn teacher_policy(&self) -> &[usize] {
        self.teacher_policy.get_or_init(|| self.table.greedy_policy())
    }

    /// The teacher's greedy action at `cell` (labelling that cell only, if need be).
    pub fn teacher_action(&self, cell: usize) -> usize {
        match self.teacher_policy.get() {
            Some(policy) => policy[cell],
            None => self.table.greedy(cell),
        }
    }

    /// The teacher's plan from `cell`: its next 4 greedy actions without slip (stay once done).
    pub fn teacher_plan(&self, cell: usize) -> [usize; PLAN_STEPS] {
        self.teacher_plan_asking(cell, |_| {})
    }

    /// `teacher_plan`, telling `asked` each state the teacher is asked about along the plan.
    pub fn teacher_plan_asking(&self, cell: usize, mut asked: impl FnMut(usize)) -> [usize; PLAN_STEPS] {
        plan_along(
            &self.map,
            |at| {
                asked(at);
                self.teacher_action(at)
            },
            cell,
        )
    }

    /// The observation of `cell` (245 floats).
    pub fn observation(&self, cell: usize) -> Vec<f32> {
        let mut out = vec![0.0; OBS_LEN];
        self.inputs.write_dense_row(cell, &mut out);
        out
    }

    /// The observations of every cell (cells × 245).
    pub fn observations(&self) -> Vec<f32> {
        self.inputs.to_dense()
    }
}

/// The teacher's targets on `map`, the network labelling a cell when it is first asked for (the
/// planner solves the map when first needed): `MapData::labelled_lazily`'s table, and the held-out maps'.
pub fn lazy_teacher_table(map: &GridMap, settings: &Settings) -> TeacherTable {
    let encoded = map.clone();
    let label: CellLabeller = Arc::new(move |cell| {
        let logits = bundled_teacher().logits(&encode(&encoded, cell), 1);
        std::array::from_fn::<f32, NUM_ACTIONS, _>(|a| logits[a])
    });
    TeacherTable::lazy(settings.teacher, settings.mix_weight, settings.teacher_gaps(), map, settings.rules(), label)
}

/// Follows `policy` for `PLAN_STEPS` moves from `cell` without slip; after lava or the goal the
/// plan stays put.
pub fn plan_from(map: &GridMap, policy: &[usize], cell: usize) -> [usize; PLAN_STEPS] {
    plan_along(map, |at| policy[at], cell)
}

/// `plan_from` with the policy asked cell by cell.
fn plan_along(map: &GridMap, mut policy: impl FnMut(usize) -> usize, cell: usize) -> [usize; PLAN_STEPS] {
    let mut plan = [Action::Stay.index(); PLAN_STEPS];
    let mut at = cell;
    for slot in plan.iter_mut() {
        if map.cells()[at].is_terminal() {
            break;
        }
        *slot = policy(at);
        at = map.move_from(at, Action::from_index(*slot));
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::maps::{random_map, RandomMapSpec};
    use crate::teacher::targets::TeacherKind;

    #[test]
    fn a_kept_target_is_the_one_worked_out_at_every_temperature() {
        use crate::student::loss::TeacherTargets;
        let map = random_map(RandomMapSpec { size: 10, wall_density: 0.2, lava_density: 0.05 }, 23 | (1 << 62)).unwrap();
        let settings = Settings { teacher: TeacherKind::Mix, teacher_gaps: 0.2, ..Settings::default() };
        for data in [MapData::new(map.clone(), &settings), MapData::labelled_lazily(map.clone(), &settings)] {
            // Five temperatures: four are kept, the fifth worked out each time; each asked twice.
            for tau in [1.0, 0.5, 2.0, 4.0, 10.0, 1.0, 10.0] {
                for &cell in &data.decision_cells {
                    let logits = data.table.logits(cell);
                    let (mut worked, mut kept) = (TeacherTargets::default(), TeacherTargets::default());
                    worked.push(&logits, &data.table.log_probs(cell, tau), argmax(&logits));
                    kept.push_target(&data.target(cell, tau));
                    let bits = |t: &TeacherTargets| [&t.logits, &t.log_probs, &t.probs, &t.demonstrated, &t.neg_entropy].map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
                    assert_eq!(bits(&kept), bits(&worked), "cell {cell}, τ {tau}");
                }
            }
        }
    }

    #[test]
    fn a_lazily_labelled_map_gives_the_eager_labels_cell_for_cell_and_labels_only_what_is_asked() {
        let map = random_map(RandomMapSpec { size: 12, wall_density: 0.25, lava_density: 0.05 }, 91 | (1 << 62)).unwrap();
        for teacher in [TeacherKind::Neural, TeacherKind::Mix, TeacherKind::Oracle] {
            let settings = Settings { teacher, ..Settings::default() };
            // Eager: the network on every cell in groups (`NeuralTeacher::logits`); lazy: one cell at a time.
            let eager = MapData::new(map.clone(), &settings);
            let lazy = MapData::labelled_lazily(map.clone(), &settings);
            assert_eq!(lazy.table.network_labelled(), 0, "{teacher:?}: nothing is labelled up front");
            let cell = lazy.decision_cells[lazy.decision_cells.len() / 2];
            assert_eq!(lazy.table.log_probs(cell, 2.0).map(f32::to_bits), eager.table.log_probs(cell, 2.0).map(f32::to_bits), "{teacher:?}");
            assert_eq!(lazy.teacher_action(cell), eager.teacher_action(cell));
            let expected = if teacher == TeacherKind::Oracle { 0 } else { 1 };
            assert_eq!(lazy.table.network_labelled(), expected, "{teacher:?}: one cell asked, one labelled");
            // A plan asks for the cells along it only.
            assert_eq!(lazy.teacher_plan(cell), eager.teacher_plan(cell));
            assert!(lazy.table.network_labelled() <= expected * (1 + PLAN_STEPS));
            // The whole policy labels every cell, with the eager labels bit for bit.
            assert_eq!(lazy.teacher_policy(), eager.teacher_policy());
            for c in 0..map.cells().len() {
                assert_eq!(lazy.table.logits(c).map(f32::to_bits), eager.table.logits(c).map(f32::to_bits), "{teacher:?}, cell {c}");
                assert_eq!(lazy.teacher_plan(c), plan_from(&map, eager.teacher_policy(), c));
            }
        }
    }

    #[test]
    fn a_blind_teacher_has_no_preference_and_the_mixture_follows_the_one_that_sees() {
        use crate::teacher::gaps::layout_key;
        let map = random_map(RandomMapSpec { size: 12, wall_density: 0.25, lava_density: 0.05 }, 17 | (1 << 62)).unwrap();
        let clean = MapData::new(map.clone(), &Settings { teacher: TeacherKind::Mix, ..Settings::default() });
        let uniform = (0.2f32).ln();
        for teacher in [TeacherKind::Neural, TeacherKind::Oracle, TeacherKind::Mix] {
            let settings = Settings { teacher, teacher_gaps: 0.5, gap_overlap: 0.0, ..Settings::default() };
            let clean_one = MapData::new(map.clone(), &Settings { teacher, ..Settings::default() });
            let gapped = MapData::new(map.clone(), &settings);
            let (mut blind, mut seen) = (0, 0);
            for &cell in &gapped.decision_cells {
                let at = settings.teacher_gaps().at(layout_key(&map), cell);
                let own = match teacher { TeacherKind::Neural => at.network, TeacherKind::Oracle => at.planner, TeacherKind::Mix => at.network && at.planner };
                let probs = gapped.table.log_probs(cell, 1.0);
                if own {
                    blind += 1;
                    assert!(probs.iter().all(|p| (p - uniform).abs() < 1e-6), "{teacher:?} cell {cell}: {probs:?}");
                    assert_eq!(gapped.teacher_action(cell), 0, "no preference: the first action");
                } else if !at.network && !at.planner {
                    seen += 1;
                    assert_eq!(probs.map(f32::to_bits), clean_one.table.log_probs(cell, 1.0).map(f32::to_bits), "{teacher:?} cell {cell}");
                }
                if teacher == TeacherKind::Mix && at.network != at.planner {
                    // Independently: ½·uniform + ½·(the sighted teacher's softmax).
                    let sighted = if at.network { clean_one.table.oracle_logits_for_test(cell) } else { clean.table.network_logits_for_test(cell) };
                    let top = sighted.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
                    let z: f64 = sighted.iter().map(|&l| (l as f64 - top).exp()).sum();
                    for a in 0..NUM_ACTIONS {
                        let expected = ((0.5 * 0.2 + 0.5 * (sighted[a] as f64 - top).exp() / z).ln()) as f32;
                        assert!((probs[a] - expected).abs() < 1e-5, "cell {cell} action {a}: {} vs {expected}", probs[a]);
                    }
                }
            }
            assert!(blind > 5 && seen > 5, "{teacher:?}: {blind} blind, {seen} seen");
        }
    }
}
