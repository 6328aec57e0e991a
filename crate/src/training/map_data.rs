//! One map with everything training and evaluation need on it: observations of every cell, the
//! teacher's targets, the decision cells, the teacher's greedy policy and plans.

use crate::env::observation::OBS_LEN;
use crate::env::{Action, GridMap};
use crate::measure::heldout::all_observations;
use crate::env::planner;
use crate::student::PLAN_STEPS;
use crate::teacher::bundled::bundled_teacher;
use crate::teacher::targets::TeacherTable;
use crate::training::settings::Settings;

/// One map with everything training and evaluation need on it.
pub struct MapData {
    pub map: GridMap,
    /// Observations of every cell (cells × 245).
    pub observations: Vec<f32>,
    pub table: TeacherTable,
    /// Reachable floor cells: where the agent acts and where training samples.
    pub decision_cells: Vec<usize>,
    /// The teacher's greedy action per cell (what its rollouts do).
    pub teacher_policy: Vec<usize>,
    /// The teacher's plan from each cell: its next 4 greedy actions without slip (stay once done).
    pub teacher_plans: Vec<[usize; PLAN_STEPS]>,
}

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
        let table = TeacherTable::new(settings.teacher, settings.mix_weight, &q_table, network, &map, &observations);
        let decision_cells = map.decision_cells();
        let teacher_policy = table.greedy_policy();
        let teacher_plans = (0..map.cells().len()).map(|cell| plan_from(&map, &teacher_policy, cell)).collect();
        MapData { map, observations, table, decision_cells, teacher_policy, teacher_plans }
    }

    pub fn observation(&self, cell: usize) -> &[f32] {
        &self.observations[cell * OBS_LEN..(cell + 1) * OBS_LEN]
    }
}

/// Follows `policy` for `PLAN_STEPS` moves from `cell` without slip; after lava or the goal the
/// plan stays put.
pub fn plan_from(map: &GridMap, policy: &[usize], cell: usize) -> [usize; PLAN_STEPS] {
    let mut plan = [Action::Stay.index(); PLAN_STEPS];
    let mut at = cell;
    for slot in plan.iter_mut() {
        if map.cells()[at].is_terminal() {
            break;
        }
        *slot = policy[at];
        at = map.move_from(at, Action::from_index(policy[at]));
    }
    plan
}
