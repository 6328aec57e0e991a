//! The maps a session trains on: the map shown alone, a pool of N seeded random maps from the
//! teacher's own training distribution, or a stream of fresh ones. A pool's maps are drawn up front
//! (cheap) and labelled by the teacher only when first used, so training starts at once even with
//! thousands of maps; the labelled maps are shared with other sessions on the same pool (`memo`).
//! A stream keeps `STREAM_MAPS` slots and puts a fresh map in the oldest one every training step.

use crate::env::maps::{random_map, RandomMapSpec};
use crate::env::pick;
use crate::training::map_data::MapData;
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

    /// Pool maps labelled by the teacher so far (0 for the map shown).
    pub fn built(&self) -> usize {
        self.built_count
    }

    /// Labels map `index` if it is not yet (the teacher on every cell, the planner).
    pub fn ensure(&mut self, index: usize, settings: &Settings) {
        if self.recipes.is_empty() || self.built[index].is_some() {
            return;
        }
        let (spec, map_seed) = self.recipes[index];
        let make = || MapData::new(random_map(spec, map_seed).expect("spec in range"), settings);
        // A stream's maps are seen once: not kept for other sessions.
        self.built[index] = Some(if self.stream.is_some() { Arc::new(make()) } else { memo::pool_map(self.seed, index, settings, make) });
        self.built_count += 1;
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
