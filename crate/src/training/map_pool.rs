//! The maps a session trains on: the map shown alone, a pool of N seeded random maps from the
//! teacher's own training distribution, or a stream of fresh ones. A pool's maps are drawn up front
//! (cheap) and labelled by the teacher only when first used, so training starts at once even with
//! thousands of maps; the labelled maps are shared with other sessions on the same pool (`memo`).
//! A stream keeps `STREAM_MAPS` slots and puts a fresh map in the oldest one every training step.

use crate::env::maps::{random_map, RandomMapSpec};
use crate::env::{pick, GridMap};
use crate::training::map_data::MapData;
use crate::env::NUM_ACTIONS;
use crate::measure::heldout::all_observations;
use crate::teacher::bundled::bundled_teacher;
use crate::training::memo;
use std::sync::Arc;
use crate::training::settings::{Settings, TrainMaps};
use rand::{rngs::StdRng, Rng, SeedableRng};

/// Maps a stream keeps at once (the newest).
pub const STREAM_MAPS: usize = 256;

pub struct MapPool {
    /// How each pool map is made (spec, seed); empty when training on the map shown.
    recipes: Vec<(RandomMapSpec, u64)>,
    /// The pool maps labelled so far (index as in `recipes`), shared through `memo`.
    built: Vec<Option<Arc<MapData>>>,
    /// The seed the recipes came from: with the teacher settings, what the memo knows a pool by.
    seed: u64,
    built_count: usize,
    /// A stream: where the next fresh map's recipe comes from, and the slot it replaces.
    stream: Option<(StdRng, usize)>,
    /// Fresh maps a stream has put in so far (beyond its first `STREAM_MAPS`).
    refreshed: u64,
}

fn recipe(rng: &mut StdRng) -> (RandomMapSpec, u64) {
    let spec = RandomMapSpec { size: 6 + pick(rng, 11), wall_density: rng.gen_range(0.0..0.35), lava_density: rng.gen_range(0.0..0.06) };
    // Seeds ≥ 2^62: disjoint from the held-out and evaluation maps' seeds.
    (spec, rng.gen::<u64>() | (1 << 62))
}

/// The bundled network's logits on the cells of the training map made from `map_seed`: from the
/// memo, else computed and kept there.
fn network_logits_of(map_seed: u64, observations: &[f32], cells: usize) -> Arc<Vec<f32>> {
    if let Some(logits) = memo::network_logits(map_seed) {
        return logits;
    }
    let logits = Arc::new(bundled_teacher().logits(observations, cells));
    memo::keep_network_logits(map_seed, logits.clone());
    logits
}

impl MapPool {
    /// The pool `train_maps` asks for. Map i is the same for every pool size (a pool of 64 is the
    /// first 64 maps of a pool of 1,024), so only the number of distinct maps differs.
    pub fn new(train_maps: TrainMaps, seed: u64) -> MapPool {
        let count = match train_maps {
            TrainMaps::Current => 0,
            TrainMaps::Pool(count) => count,
            TrainMaps::Stream => STREAM_MAPS,
        };
        let mut rng = StdRng::seed_from_u64(seed ^ 0x706f_6f6c);
        let recipes = (0..count).map(|_| recipe(&mut rng)).collect();
        let stream = (train_maps == TrainMaps::Stream).then_some((rng, 0));
        MapPool { recipes, built: (0..count).map(|_| None).collect(), seed, built_count: 0, stream, refreshed: 0 }
    }

    /// A stream: puts a fresh map in the oldest slot (labelled when first used) and returns that
    /// slot, whose old map has left; `None` for a fixed pool.
    pub fn refresh(&mut self) -> Option<usize> {
        let (rng, next) = self.stream.as_mut()?;
        let slot = *next;
        *next = (slot + 1) % self.recipes.len();
        self.recipes[slot] = recipe(rng);
        if self.built[slot].take().is_some() {
            self.built_count -= 1;
        }
        self.refreshed += 1;
        Some(slot)
    }

    /// Distinct training maps so far: the pool's size, or every map a stream has held.
    pub fn distinct_maps(&self) -> u64 {
        self.recipes.len().max(1) as u64 + self.refreshed
    }

    /// True when the session trains on the map shown alone.
    pub fn is_current_map(&self) -> bool {
        self.recipes.is_empty()
    }

    /// Number of distinct training maps (1 for the map shown).
    pub fn len(&self) -> usize {
        self.recipes.len().max(1)
    }

    /// Pool maps made ready for training so far (0 for the map shown).
    pub fn built(&self) -> usize {
        self.built_count
    }

    /// Makes map `index` ready for training if it is not yet (the planner on every cell; the network
    /// labels each cell when it is first drawn).
    pub fn ensure(&mut self, index: usize, settings: &Settings) {
        if self.recipes.is_empty() || self.built[index].is_some() {
            return;
        }
        let (spec, map_seed) = self.recipes[index];
        let map = || random_map(spec, map_seed).expect("spec in range");
        // The network labels a map's cells as training draws them (`MapData::labelled_lazily`),
        // unless another worker's labels of the whole map are at hand. A stream's maps are seen
        // once: neither they nor their labels are kept for other sessions.
        self.built[index] = Some(if self.stream.is_some() {
            Arc::new(MapData::labelled_lazily(map(), settings))
        } else {
            memo::pool_map(self.seed, index, settings, || match memo::network_logits(map_seed) {
                Some(logits) => MapData::with_network_logits(map(), settings, |_, _| logits.to_vec()),
                None => MapData::labelled_lazily(map(), settings),
            })
        });
        self.built_count += 1;
    }

    /// Whether pool map `index` has been made ready for training (`ensure`).
    pub fn is_ready(&self, index: usize) -> bool {
        self.built.get(index).is_some_and(Option::is_some)
    }

    /// The start cell of training map `index` (`current` when training on the map shown), without
    /// labelling it: an unlabelled pool map is made again from its recipe (cheap; labelling is not).
    pub fn start_cell(&self, current: &MapData, index: usize) -> usize {
        let start_of = |map: &GridMap| {
            let (x, y) = map.start();
            map.index(x, y)
        };
        if self.recipes.is_empty() {
            return start_of(&current.map);
        }
        match &self.built[index] {
            Some(data) => start_of(&data.map),
            None => {
                let (spec, map_seed) = self.recipes[index];
                start_of(&random_map(spec, map_seed).expect("spec in range"))
            }
        }
    }

    /// Training map `index` itself (`current`'s map when training on the map shown), without
    /// labelling it.
    pub fn grid_map(&self, current: &MapData, index: usize) -> GridMap {
        if self.recipes.is_empty() {
            return current.map.clone();
        }
        match &self.built[index] {
            Some(data) => data.map.clone(),
            None => {
                let (spec, map_seed) = self.recipes[index];
                random_map(spec, map_seed).expect("spec in range")
            }
        }
    }

    /// The bundled network's logits on every cell of pool maps `range` (each map's cells × 5, one
    /// map after another), labelling those not yet labelled in this process: a share of a pool's
    /// labelling that another worker can `import_network_logits` instead of labelling it again.
    pub fn network_logits(&self, range: std::ops::Range<usize>) -> Result<Vec<f32>, String> {
        let recipes = self.recipes_in(&range)?;
        let mut out = Vec::new();
        for &(spec, map_seed) in recipes {
            let map = random_map(spec, map_seed).expect("spec in range");
            out.extend_from_slice(&network_logits_of(map_seed, &all_observations(&map), map.cells().len()));
        }
        Ok(out)
    }

    /// Takes pool maps `range`'s network logits from another worker (as `network_logits` gives
    /// them), so labelling those maps here runs only the planner. Checks that `logits` holds exactly
    /// those maps' cells; on an error nothing is kept.
    pub fn import_network_logits(&self, range: std::ops::Range<usize>, logits: &[f32]) -> Result<(), String> {
        let recipes = self.recipes_in(&range)?;
        let maps: Vec<(u64, usize)> = recipes.iter().map(|&(spec, map_seed)| (map_seed, random_map(spec, map_seed).expect("spec in range").cells().len())).collect();
        let expected: usize = maps.iter().map(|(_, cells)| cells * NUM_ACTIONS).sum();
        if logits.len() != expected {
            return Err(format!("maps {}–{} of this pool have {expected} logits; {} were given", range.start, range.end, logits.len()));
        }
        if let Some(bad) = logits.iter().find(|x| !x.is_finite()) {
            return Err(format!("the logits must be finite numbers; {bad} was given"));
        }
        let mut at = 0;
        for (map_seed, cells) in maps {
            memo::keep_network_logits(map_seed, Arc::new(logits[at..at + cells * NUM_ACTIONS].to_vec()));
            at += cells * NUM_ACTIONS;
        }
        Ok(())
    }

    fn recipes_in(&self, range: &std::ops::Range<usize>) -> Result<&[(RandomMapSpec, u64)], String> {
        if self.stream.is_some() || self.recipes.is_empty() {
            return Err("only a fixed pool of random maps can share its labels".into());
        }
        if range.start >= range.end || range.end > self.recipes.len() {
            return Err(format!("maps {}–{} are not a range of this pool's {} maps", range.start, range.end, self.recipes.len()));
        }
        Ok(&self.recipes[range.clone()])
    }

    /// Training map `index` (`current` when training on the map shown). It must have been
    /// `ensure`d: every index comes from a walker or a record that did.
    pub fn get<'a>(&'a self, current: &'a MapData, index: usize) -> &'a MapData {
        if self.recipes.is_empty() {
            return current;
        }
        self.built[index].as_deref().expect("a training map is labelled before it is used")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The network on every cell of a map, computed here directly.
    fn direct_logits(map: &crate::env::GridMap) -> Vec<f32> {
        bundled_teacher().logits(&all_observations(map), map.cells().len())
    }

    #[test]
    fn a_share_of_the_labels_is_the_networks_logits_on_those_maps_in_order() {
        let pool = MapPool::new(TrainMaps::Pool(6), 70_001);
        let share = pool.network_logits(2..5).unwrap();
        let expected: Vec<f32> = pool.recipes[2..5].iter().flat_map(|&(spec, seed)| direct_logits(&random_map(spec, seed).unwrap())).collect();
        assert_eq!(share, expected);
    }

    #[test]
    fn imported_labels_are_the_ones_training_uses() {
        let pool_seed = 70_002;
        let mut pool = MapPool::new(TrainMaps::Pool(3), pool_seed);
        let (spec, map_seed) = pool.recipes[1];
        let cells = random_map(spec, map_seed).unwrap().cells().len();
        // Logits no network would give (a ramp restarting on each map), so the table shows where its labels came from.
        let mut given = Vec::new();
        for map in &pool.recipes {
            let n = random_map(map.0, map.1).unwrap().cells().len();
            given.extend((0..n * NUM_ACTIONS).map(|i| (i % 7) as f32 * 0.25));
        }
        pool.import_network_logits(0..3, &given).unwrap();
        let settings = Settings { train_maps: TrainMaps::Pool(3), seed: pool_seed, ..Settings::default() };
        pool.ensure(1, &settings);
        let current = MapData::new(settings.grid_map(), &settings);
        let table = &pool.get(&current, 1).table;
        for cell in 0..cells {
            let expected: Vec<f32> = (0..NUM_ACTIONS).map(|a| ((cell * NUM_ACTIONS + a) % 7) as f32 * 0.25).collect();
            assert_eq!(table.logits(cell).to_vec(), expected, "cell {cell}");
        }
    }

    #[test]
    fn labels_of_the_wrong_size_or_range_are_refused_and_nothing_is_kept() {
        let pool = MapPool::new(TrainMaps::Pool(4), 70_003);
        let (spec, seed) = pool.recipes[0];
        let cells = random_map(spec, seed).unwrap().cells().len();
        let error = pool.import_network_logits(0..1, &vec![0.0; cells * NUM_ACTIONS - 1]).unwrap_err();
        assert!(error.contains(&format!("{} logits", cells * NUM_ACTIONS)), "{error}");
        let mut bad = vec![0.0; cells * NUM_ACTIONS];
        bad[3] = f32::NAN;
        assert!(pool.import_network_logits(0..1, &bad).unwrap_err().contains("finite"));
        assert!(memo::network_logits(seed).is_none(), "a refused import keeps nothing");
        assert!(pool.network_logits(3..5).unwrap_err().contains("not a range"));
        assert!(pool.network_logits(2..2).is_err());
        assert!(MapPool::new(TrainMaps::Current, 1).network_logits(0..1).unwrap_err().contains("fixed pool"));
        assert!(MapPool::new(TrainMaps::Stream, 1).network_logits(0..1).unwrap_err().contains("fixed pool"));
    }
}
