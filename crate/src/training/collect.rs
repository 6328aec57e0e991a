//! Data collection: the pool of training maps, the walkers whose rollouts log states (uniform,
//! teacher, student or a β-mixture), the replay buffer, the pipeline's counts and the heatmap.

use crate::env::maps::{random_map, RandomMapSpec};
use crate::env::observation::OBS_LEN;
use crate::env::{pick, NUM_ACTIONS};
use crate::student::loss::argmax;
use crate::training::data::{choose_actions, DataSource, PipelineCounts, Record, ReplayBuffer, Walker, WALKERS};
use crate::training::map_data::{training_maps_of, MapData};
use crate::training::session::Session;
use crate::training::settings::TrainMaps;
use rand::{rngs::StdRng, Rng, SeedableRng};

/// Number of seeded random maps a `trainMaps: "random"` session trains across.
pub const RANDOM_TRAINING_MAPS: usize = 64;

impl Session {
    pub(super) fn build_pool(&mut self) {
        self.pool.clear();
        if self.settings.train_maps != TrainMaps::Random {
            return;
        }
        let mut rng = StdRng::seed_from_u64(self.settings.seed ^ 0x706f_6f6c);
        for _ in 0..RANDOM_TRAINING_MAPS {
            let spec = RandomMapSpec {
                size: 6 + pick(&mut rng, 11),
                wall_density: rng.gen_range(0.0..0.35),
                lava_density: rng.gen_range(0.0..0.06),
            };
            // Seeds ≥ 2^62: disjoint from the held-out maps' seeds.
            let map = random_map(spec, rng.gen::<u64>() | (1 << 62)).expect("spec in range");
            self.pool.push(MapData::new(map, &self.settings));
        }
    }

    pub(super) fn training_maps(&self) -> &[MapData] {
        training_maps_of(&self.pool, &self.current)
    }

    /// Empties the buffer and puts every walker at the start of a training map.
    pub(super) fn restart_data(&mut self) {
        self.buffer = ReplayBuffer::new(self.settings.buffer_capacity);
        self.visits = vec![0; self.current.map.cells().len()];
        self.counts = PipelineCounts::default();
        let maps = self.training_maps().len();
        self.walkers = (0..WALKERS)
            .map(|_| {
                let map = pick(&mut self.rng, maps);
                Walker { map, cell: self.start_of(map), steps: 0 }
            })
            .collect();
    }

    pub(super) fn start_of(&self, map: usize) -> usize {
        let data = &self.training_maps()[map];
        let (x, y) = data.map.start();
        data.map.index(x, y)
    }

    /// β after decay: β·decay^(steps/100).
    fn current_beta(&self) -> f32 {
        self.settings.data_beta * self.settings.beta_decay.powf(self.step as f32 / 100.0)
    }

    fn log(&mut self, record: Record) {
        self.buffer.push(record);
        self.counts.logged += 1;
        self.counts.held = self.buffer.len();
        if self.pool.is_empty() {
            self.visits[record.cell as usize] += 1;
        }
    }

    /// Adds `WALKERS` records: uniform draws, or one rollout step of every walker.
    pub(super) fn collect(&mut self) {
        let source = self.settings.data;
        let maps = self.training_maps().len();
        if source == DataSource::Uniform {
            for _ in 0..WALKERS {
                let map = pick(&mut self.rng, maps);
                let count = self.training_maps()[map].decision_cells.len();
                if count == 0 {
                    continue;
                }
                let chosen = pick(&mut self.rng, count);
                let cell = self.training_maps()[map].decision_cells[chosen];
                self.log(Record { map: map as u32, cell: cell as u32 });
            }
            return;
        }
        let beta = match source {
            DataSource::Teacher => 1.0,
            DataSource::Student => 0.0,
            _ => self.current_beta(),
        };
        let walkers = self.walkers.clone();
        let teacher: Vec<usize> = walkers.iter().map(|w| self.training_maps()[w.map].teacher_policy[w.cell]).collect();
        let student: Vec<usize> = if beta < 1.0 {
            let mut observations = Vec::with_capacity(walkers.len() * OBS_LEN);
            for w in &walkers {
                observations.extend_from_slice(self.training_maps()[w.map].observation(w.cell));
            }
            self.student.logits(&observations, walkers.len()).chunks_exact(NUM_ACTIONS).map(argmax).collect()
        } else {
            teacher.clone()
        };
        let actions = choose_actions(beta, &teacher, &student, &mut self.rng);
        for (i, walker) in walkers.iter().enumerate() {
            self.log(Record { map: walker.map as u32, cell: walker.cell as u32 });
            let data = &training_maps_of(&self.pool, &self.current)[walker.map];
            let step = data.map.step(walker.cell, actions[i], &self.rules, &mut self.rng);
            let max_steps = data.map.max_steps();
            self.walkers[i] = if step.done || walker.steps + 1 >= max_steps {
                let map = pick(&mut self.rng, maps);
                Walker { map, cell: self.start_of(map), steps: 0 }
            } else {
                Walker { map: walker.map, cell: step.to, steps: walker.steps + 1 }
            };
        }
    }

    /// The pipeline strip's counts.
    pub fn pipeline(&self) -> PipelineCounts {
        PipelineCounts { beta: self.current_beta(), ..self.counts }
    }

    /// Records logged per cell of the map shown (empty counts when training on random maps).
    pub fn visits(&self) -> &[u32] {
        &self.visits
    }

    /// Every record in the replay buffer as (training map index, its map data, cell); map 0 is the
    /// map shown when training on it alone.
    pub fn buffered(&self) -> impl Iterator<Item = (usize, &MapData, usize)> + '_ {
        self.buffer.records().iter().map(|record| {
            let data = &self.training_maps()[record.map as usize];
            (record.map as usize, data, record.cell as usize)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_data_source_logs_where_its_policy_walks() {
        let mut uniform = Session::new(&json!({"map": "cliff", "data": "uniform"})).unwrap();
        let mut teacher = Session::new(&json!({"map": "cliff", "data": "teacher"})).unwrap();
        uniform.train(200);
        teacher.train(200);
        let pipeline = teacher.pipeline();
        assert_eq!(pipeline.logged, 200 * WALKERS as u64);
        assert_eq!(pipeline.consumed, 200 * 64);
        assert_eq!(pipeline.held, 1600);
        // The teacher walks the safe path: it visits few distinct cells; uniform data covers all.
        let distinct = |s: &Session| s.visits().iter().filter(|v| **v > 0).count();
        assert_eq!(distinct(&uniform), uniform.decision_cells().len());
        assert!(distinct(&teacher) < distinct(&uniform) / 2, "{} vs {}", distinct(&teacher), distinct(&uniform));
        // A small buffer holds only its capacity.
        let mut small = Session::new(&json!({"data": "student", "bufferCapacity": 64})).unwrap();
        small.train(50);
        assert_eq!(small.pipeline().held, 64);
        // β decays.
        let mut mix = Session::new(&json!({"data": "mix", "dataBeta": 0.8, "betaDecay": 0.5})).unwrap();
        mix.train(200);
        assert!((mix.pipeline().beta - 0.2).abs() < 1e-6);
    }
}
