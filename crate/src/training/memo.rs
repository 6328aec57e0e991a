//! The process-wide memos: maps labelled by the teacher, shared by every session in the process
//! that needs the same ones (the students side by side on a page, a worker's sweep or lesson arms).
//! Each memo caches a pure function of its key — the same key always gives the same maps and labels
//! — so it changes how fast a session starts and evaluates, never what it measures. With the bundled
//! teacher (`teacher::bundled`) these are the crate's only global state.

use crate::measure::evaluation::evaluation_maps;
use crate::measure::heldout::LEDGER_HELDOUT_MAPS;
use crate::teacher::targets::TeacherKind;
use crate::training::map_data::MapData;
use crate::training::settings::Settings;
use std::sync::{Arc, Mutex};

/// What a map's teacher targets depend on besides the map: the teacher and the rules (f32s as bits).
#[derive(Clone, Copy, PartialEq, Eq)]
struct TeacherKey {
    teacher: TeacherKind,
    mix_weight: u32,
    slip: u32,
    step_cost: u32,
    gamma: u32,
    gaps: (u32, u32),
}

impl TeacherKey {
    fn of(settings: &Settings) -> TeacherKey {
        TeacherKey {
            teacher: settings.teacher,
            mix_weight: settings.mix_weight.to_bits(),
            slip: settings.slip.to_bits(),
            step_cost: settings.step_cost.to_bits(),
            gamma: settings.gamma.to_bits(),
            gaps: (settings.teacher_gaps.to_bits(), settings.gap_overlap.to_bits()),
        }
    }
}

/// Most entries each memo keeps (the oldest goes first): enough for a page's students or a worker's
/// jobs, few enough that memory stays bounded.
const ENTRIES: usize = 2;

fn locked<T>(memo: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    memo.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The ledger's held-out maps of the run seed with the teacher targets of `settings`: each map's
/// cells are labelled by the network as the teacher's episodes reach them (an episode from the
/// start visits a few dozen of a map's cells), and kept for the next evaluation.
pub fn heldout_maps(settings: &Settings) -> Arc<Vec<HeldOutMap>> {
    static MEMO: Mutex<Vec<((u64, TeacherKey), Arc<Vec<HeldOutMap>>)>> = Mutex::new(Vec::new());
    let key = (settings.seed, TeacherKey::of(settings));
    let mut memo = locked(&MEMO);
    if let Some((_, data)) = memo.iter().find(|(k, _)| *k == key) {
        return data.clone();
    }
    let maps = evaluation_maps(settings.seed, LEDGER_HELDOUT_MAPS);
    let data = Arc::new(maps.into_iter().map(|m| HeldOutMap::new(m, settings)).collect::<Vec<_>>());
    if memo.len() >= 2 * ENTRIES {
        memo.remove(0);
    }
    memo.push((key, data.clone()));
    data
}

/// What fixes the bundled teacher's greedy success on a seed's evaluation maps: the seed, how many of
/// its maps, the rules (slip, step cost and γ as bits) and the episodes from each start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeacherScoreKey {
    pub seed: u64,
    pub maps: usize,
    pub rules: (u32, u32, u32),
    pub episodes: usize,
}

/// The bundled teacher's success for `key`, computed once by `score` and kept: every arm of a lesson
/// on one seed is measured against the same teacher on the same maps and episodes.
pub fn teacher_success(key: TeacherScoreKey, score: impl FnOnce() -> f64) -> f64 {
    static MEMO: Mutex<Vec<(TeacherScoreKey, f64)>> = Mutex::new(Vec::new());
    const KEPT: usize = 256;
    if let Some((_, success)) = locked(&MEMO).iter().find(|(k, _)| *k == key) {
        return *success;
    }
    // Scored outside the lock (another thread may score the same key: the same figure either way).
    let success = score();
    let mut memo = locked(&MEMO);
    if memo.len() >= KEPT {
        memo.drain(..KEPT / 2);
    }
    memo.push((key, success));
    success
}

/// A held-out map as the ledger keeps it: the map and the teacher's targets, labelled cell by cell
/// as its episodes ask (`map_data::lazy_teacher_table`), without the observations of every cell (200
/// maps of those would hold about 20 MB for every seed).
pub struct HeldOutMap {
    pub map: crate::env::GridMap,
    table: crate::teacher::targets::TeacherTable,
}

impl HeldOutMap {
    fn new(map: crate::env::GridMap, settings: &Settings) -> HeldOutMap {
        let table = crate::training::map_data::lazy_teacher_table(&map, settings);
        HeldOutMap { map, table }
    }

    /// The teacher's greedy action at `cell`.
    pub fn teacher_action(&self, cell: usize) -> usize {
        self.table.greedy(cell)
    }
}

/// Training pools labelled so far, by (pool seed, teacher settings): map i of a pool is the same
/// map for every pool size, so one entry serves every size.
type PoolMaps = Vec<Option<Arc<MapData>>>;

/// Map `index` of the training pool of `seed`, labelled for `settings`: from the memo, or made by
/// `make` and kept for the next session that trains on the same pool.
pub fn pool_map(seed: u64, index: usize, settings: &Settings, make: impl FnOnce() -> MapData) -> Arc<MapData> {
    static MEMO: Mutex<Vec<((u64, TeacherKey), PoolMaps)>> = Mutex::new(Vec::new());
    let key = (seed, TeacherKey::of(settings));
    {
        let memo = locked(&MEMO);
        if let Some(found) = memo.iter().find(|(k, _)| *k == key).and_then(|(_, maps)| maps.get(index).cloned().flatten()) {
            return found;
        }
    }
    // Labelled outside the lock, so threads labelling other maps are not held up.
    let data = Arc::new(make());
    let mut memo = locked(&MEMO);
    let position = match memo.iter().position(|(k, _)| *k == key) {
        Some(position) => position,
        None => {
            if memo.len() >= ENTRIES {
                memo.remove(0);
            }
            memo.push((key, Vec::new()));
            memo.len() - 1
        }
    };
    let maps = &mut memo[position].1;
    if maps.len() <= index {
        maps.resize(index + 1, None);
    }
    maps[index].get_or_insert_with(|| data.clone()).clone()
}

/// Most maps whose network logits `network_logits` keeps (a 4,096-map pool twice over; about 25 MB
/// at the largest map size, 5 MB on average); when full, the oldest half goes.
const NETWORK_LOGIT_MAPS: usize = 8192;

type LogitMemo = Vec<(u64, Arc<Vec<f32>>)>;

fn network_logit_memo() -> &'static Mutex<LogitMemo> {
    static MEMO: Mutex<LogitMemo> = Mutex::new(Vec::new());
    &MEMO
}

/// The bundled network's logits on every cell of the random training map made from `map_seed`
/// (cells × 5), if this process has them: labelled here before, or labelled by another worker and
/// imported (`keep_network_logits`). They depend on the map alone (the network sees only the
/// observation), so one entry serves every rule and teacher setting.
pub fn network_logits(map_seed: u64) -> Option<Arc<Vec<f32>>> {
    locked(network_logit_memo()).iter().rev().find(|(seed, _)| *seed == map_seed).map(|(_, logits)| logits.clone())
}

/// Keeps the network's logits of the training map made from `map_seed`.
pub fn keep_network_logits(map_seed: u64, logits: Arc<Vec<f32>>) {
    let mut memo = locked(network_logit_memo());
    if memo.iter().any(|(seed, _)| *seed == map_seed) {
        return;
    }
    if memo.len() >= NETWORK_LOGIT_MAPS {
        memo.drain(..NETWORK_LOGIT_MAPS / 2);
    }
    memo.push((map_seed, logits));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_out_maps_label_only_the_cells_episodes_reach_and_act_as_the_fully_labelled_teacher() {
        let settings = Settings { seed: 4_242, ..Settings::default() };
        let heldout = heldout_maps(&settings);
        assert_eq!(heldout.len(), LEDGER_HELDOUT_MAPS);
        assert!(heldout.iter().all(|held| held.table.network_labelled() == 0), "nothing is labelled before an episode asks");
        for held in heldout.iter().take(5) {
            let full = MapData::new(held.map.clone(), &settings);
            for cell in 0..held.map.cells().len() {
                assert_eq!(held.teacher_action(cell), full.teacher_policy()[cell], "cell {cell}");
            }
        }
    }
}
