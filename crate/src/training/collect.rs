//! Data collection: the pool of training maps, the walkers whose rollouts log states (uniform,
//! teacher, student or a β-mixture), the replay buffer, the pipeline's counts and the heatmap.

use crate::env::observation::OBS_LEN;
use crate::env::{pick, NUM_ACTIONS};
use crate::student::loss::argmax;
use crate::training::data::{choose_actions, DataSource, PipelineCounts, Record, ReplayBuffer, Walker, WALKERS};
use crate::training::map_data::MapData;
use crate::training::session::Session;

impl Session {
    /// The number of distinct training maps (1 when training on the map shown).
    pub fn training_map_count(&self) -> usize {
        self.pool.len()
    }

    /// Training map `index` (labelled: see `choose_map`).
    pub(super) fn training_map(&self, index: usize) -> &MapData {
        self.pool.get(&self.current, index)
    }

    /// A training map drawn uniformly, labelled by the teacher now if it was not yet.
    pub(super) fn choose_map(&mut self) -> usize {
        let index = pick(&mut self.rng, self.pool.len());
        self.pool.ensure(index, &self.settings);
        index
    }

    /// With a stream of training maps: a fresh map takes the oldest one's place; that map's
    /// records leave the buffer and its walkers start again on the fresh map.
    pub(super) fn refresh_stream(&mut self) {
        let Some(slot) = self.pool.refresh() else { return };
        self.buffer.drop_map(slot as u32);
        self.labelled.forget_map(slot as u32);
        self.asked.forget_map(slot as u32);
        self.counts.held = self.buffer.len();
        if self.walkers.iter().any(|w| w.map == slot) {
            let start = self.start_of(slot);
            for walker in self.walkers.iter_mut().filter(|w| w.map == slot) {
                *walker = Walker { map: slot, cell: start, steps: 0 };
            }
        }
    }

    /// The training maps themselves (the map shown when training on it alone), unlabelled.
    pub fn training_grid_maps(&self) -> Vec<crate::env::GridMap> {
        (0..self.pool.len()).map(|i| self.pool.grid_map(&self.current, i)).collect()
    }

    /// Distinct training maps so far (every map a stream has held).
    pub fn distinct_training_maps(&self) -> u64 {
        self.pool.distinct_maps()
    }

    /// Empties the buffer and puts every walker at the start of a training map.
    pub(super) fn restart_data(&mut self) {
        self.buffer = ReplayBuffer::new(self.settings.buffer_capacity);
        self.visits = vec![0; self.current.map.cells().len()];
        self.human = vec![None; self.current.map.cells().len()];
        self.counts = PipelineCounts::default();
        self.labelled.reset(self.pool.len());
        self.asked.reset(self.pool.len());
        self.collect_round = 0;
        self.restart_walkers();
    }

    /// Every walker at the start of a training map drawn now. The maps are labelled by the first
    /// step that moves them (`collect`), so a new student is made at once: a student that never
    /// trains (the page's mirror of the worker's) labels nothing.
    fn restart_walkers(&mut self) {
        self.walkers = (0..WALKERS)
            .map(|_| {
                let map = pick(&mut self.rng, self.pool.len());
                Walker { map, cell: self.start_of(map), steps: 0 }
            })
            .collect();
    }

    /// Counts `record` among the states the teacher was asked about (answers and plans).
    pub(super) fn note_asked(&mut self, record: Record) {
        self.asked.insert(record);
        self.counts.asked = self.asked.len() as u64;
    }

    /// The start cell of training map `map`, labelled or not.
    pub(super) fn start_of(&self, map: usize) -> usize {
        self.pool.start_cell(&self.current, map)
    }

    /// β after decay: β·decay^(steps/100); with collection rounds, β_i = β·decay^i in round i.
    fn current_beta(&self) -> f32 {
        let exponent = if self.settings.label_rounds > 1 { self.collection_round() as f32 } else { self.step as f32 / 100.0 };
        self.settings.data_beta * crate::math::powf(self.settings.beta_decay, exponent)
    }

    /// The collection round now (0 without rounds): round i starts at step i·`roundSteps`.
    fn collection_round(&self) -> usize {
        let rounds = self.settings.label_rounds.max(1);
        ((self.step / self.settings.round_steps.max(1)) as usize).min(rounds - 1)
    }

    /// Distinct states the teacher may have labelled by now (0: no limit): the label budget, or with
    /// K collection rounds its first (i + 1)/K in round i (Ross et al. 2011 Algorithm 3.1: each
    /// iteration adds the states of that iteration's policy; the budget is split equally).
    fn label_quota(&self) -> usize {
        let rounds = self.settings.label_rounds.max(1);
        self.settings.label_budget * (self.collection_round() + 1) / rounds
    }

    /// Logs a state for the teacher to label, unless the label budget is spent and this state was
    /// never labelled (then the walker moves on and nothing is logged).
    pub(super) fn log(&mut self, record: Record) {
        if let Some(left_out) = self.settings.leave_out.action() {
            if self.training_map(record.map as usize).teacher_action(record.cell as usize) == left_out {
                return;
            }
        }
        let quota = self.label_quota();
        if quota > 0 && self.labelled.len() >= quota && !self.labelled.contains(record) {
            return;
        }
        self.labelled.insert(record);
        self.counts.labelled = self.labelled.len() as u64;
        self.note_asked(record);
        self.buffer.push(record);
        self.counts.logged += 1;
        self.counts.held = self.buffer.len();
        if self.pool.is_current_map() {
            self.visits[record.cell as usize] += 1;
        }
    }

    /// Adds `WALKERS` records: uniform draws, or one rollout step of every walker.
    pub(super) fn collect(&mut self) {
        let source = self.settings.data;
        if source == DataSource::Human {
            return; // only what the person demonstrates (`demonstrate`)
        }
        if self.settings.label_rounds > 1 {
            let round = self.collection_round();
            if round != self.collect_round {
                // A new round: fresh rollouts of this round's policy from the training maps' starts.
                self.collect_round = round;
                self.restart_walkers();
            }
            let quota = self.label_quota();
            if quota > 0 && self.labelled.len() >= quota {
                return; // this round's labels are in: train on the aggregate until the next round
            }
        }
        if source == DataSource::Uniform {
            for _ in 0..WALKERS {
                let map = self.choose_map();
                let count = self.training_map(map).decision_cells.len();
                if count == 0 {
                    continue;
                }
                let chosen = pick(&mut self.rng, count);
                let cell = self.training_map(map).decision_cells[chosen];
                self.log(Record { map: map as u32, cell: cell as u32 });
            }
            return;
        }
        let beta = match source {
            DataSource::Teacher => 1.0,
            DataSource::Student => 0.0,
            _ => self.current_beta(),
        };
        for walker in &self.walkers {
            self.pool.ensure(walker.map, &self.settings);
        }
        let walkers = self.walkers.clone();
        let teacher: Vec<usize> = walkers.iter().map(|w| self.training_map(w.map).teacher_action(w.cell)).collect();
        let student: Vec<usize> = if beta < 1.0 {
            let mut observations = vec![0.0; walkers.len() * OBS_LEN];
            for (w, row) in walkers.iter().zip(observations.chunks_exact_mut(OBS_LEN)) {
                self.training_map(w.map).inputs.write_dense_row(w.cell, row);
            }
            self.student.logits(&observations, walkers.len()).chunks_exact(NUM_ACTIONS).map(argmax).collect()
        } else {
            teacher.clone()
        };
        let actions = choose_actions(beta, &teacher, &student, &mut self.rng);
        for (i, walker) in walkers.iter().enumerate() {
            self.log(Record { map: walker.map as u32, cell: walker.cell as u32 });
            let data = self.pool.get(&self.current, walker.map);
            let step = data.map.step(walker.cell, actions[i], &self.rules, &mut self.rng);
            let max_steps = data.map.max_steps();
            self.walkers[i] = if step.done || walker.steps + 1 >= max_steps {
                let map = self.choose_map();
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
            let data = self.training_map(record.map as usize);
            (record.map as usize, data, record.cell as usize)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashSet;

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

    #[test]
    fn a_pool_of_maps_is_labelled_as_it_is_used_and_nests_in_larger_pools() {
        let mut large = Session::new(&json!({"trainMaps": 1024, "data": "teacher", "seed": 3, "hidden": 8})).unwrap();
        assert_eq!(large.training_map_count(), 1024);
        assert_eq!(large.pool.built(), 0, "no map is labelled before the first step");
        large.train(1);
        assert!(large.pool.built() <= WALKERS, "the first step labels the walkers' maps only: {}", large.pool.built());
        large.train(200);
        let built = large.pool.built();
        assert!(built > WALKERS && built < 1024, "maps are labelled as episodes reach them: {built}");
        // Map i is the same map whatever the pool size: 64 maps are the first 64 of 1,024.
        let mut small = Session::new(&json!({"trainMaps": "random", "seed": 3, "hidden": 8})).unwrap();
        assert_eq!(small.settings().train_maps, crate::training::settings::TrainMaps::Pool(64));
        for index in [0, 17, 63] {
            small.pool.ensure(index, &small.settings.clone());
            large.pool.ensure(index, &large.settings.clone());
            assert_eq!(small.training_map(index).map, large.training_map(index).map);
        }
        // The network labels only the states drawn: after one uniform step on 1,024 maps, at most
        // the step's WALKERS states of the maps made ready (not every cell of those maps).
        let mut uniform = Session::new(&json!({"trainMaps": 1024, "data": "uniform", "seed": 11, "hidden": 8})).unwrap();
        uniform.train(1);
        let ready: Vec<usize> = (0..1024).filter(|&i| uniform.pool.is_ready(i)).collect();
        let labelled: usize = ready.iter().map(|&i| uniform.training_map(i).table.network_labelled()).sum();
        let cells: usize = ready.iter().map(|&i| uniform.training_map(i).map.cells().len()).sum();
        assert!(!ready.is_empty() && labelled >= 1 && labelled <= WALKERS, "{labelled} cells labelled of {cells} on {} maps", ready.len());
        // One map is the map shown.
        let shown = Session::new(&json!({"trainMaps": 1})).unwrap();
        assert!(shown.pool.is_current_map() && shown.training_map_count() == 1);
    }

    #[test]
    fn a_left_out_action_never_reaches_the_transfer_set() {
        for data in ["uniform", "teacher"] {
            let mut session = Session::new(&json!({"trainMaps": 64, "data": data, "leaveOut": "up", "hidden": 8})).unwrap();
            session.train(200);
            let up = crate::env::Action::Up.index();
            let records: Vec<(usize, usize)> = session.buffered().map(|(map, _, cell)| (map, cell)).collect();
            assert!(records.len() > 500, "{data}: {}", records.len());
            assert!(session.buffered().all(|(_, data, cell)| data.teacher_action(cell) != up), "{data}: an up state was logged");
        }
        // Without it, up states are common.
        let mut all = Session::new(&json!({"trainMaps": 64, "data": "uniform", "hidden": 8})).unwrap();
        all.train(200);
        let up = crate::env::Action::Up.index();
        assert!(all.buffered().filter(|(_, data, cell)| data.teacher_action(*cell) == up).count() > 100);
        assert!(Session::new(&json!({"leaveOut": "north"})).err().expect("refused").to_string().contains("unknown action to leave out \"north\""));
    }

    #[test]
    fn a_stream_brings_a_fresh_map_every_step_and_drops_the_old_ones_records() {
        let mut session = Session::new(&json!({"trainMaps": "stream", "data": "teacher", "hidden": 8, "seed": 5})).unwrap();
        assert_eq!(session.settings().train_maps, crate::training::settings::TrainMaps::Stream);
        session.train(600);
        assert_eq!(session.distinct_training_maps(), 256 + 600);
        // Every record points at a map the stream still holds, labelled for that map.
        for (_, data, cell) in session.buffered() {
            assert!(cell < data.map.cells().len() && data.decision_cells.contains(&cell));
        }
        let held = session.pipeline().held;
        assert!(held > 0 && held <= 4096, "{held}");
        assert_eq!(session.step_count(), 600);
        // Seeded: the same stream again.
        let mut again = Session::new(&json!({"trainMaps": "stream", "data": "teacher", "hidden": 8, "seed": 5})).unwrap();
        again.train(600);
        assert_eq!(again.student().logits(&session.current().observation(0), 1), session.student().logits(&session.current().observation(0), 1));
        assert!(Session::new(&json!({"trainMaps": "streams"})).err().expect("refused").to_string().contains("current, random, stream"));
    }

    #[test]
    fn collection_rounds_release_the_budget_in_parts_with_beta_per_round() {
        // DAgger's iterations (Ross et al. 2011 Algorithm 3.1): 4 rounds of 25 labels, one every 50 steps.
        let settings = json!({"trainMaps": 64, "data": "mix", "dataBeta": 1, "betaDecay": 0.5, "labelBudget": 100, "labelRounds": 4, "roundSteps": 50, "hidden": 8});
        let mut session = Session::new(&settings).unwrap();
        session.train(49);
        assert_eq!((session.pipeline().labelled, session.pipeline().beta), (25, 1.0), "round 1: the teacher's rollouts, a quarter of the budget");
        session.train(50);
        assert_eq!(session.pipeline().labelled, 50);
        assert!((session.pipeline().beta - 0.5).abs() < 1e-6, "β_2 = 0.5");
        let logged = session.pipeline().logged;
        session.train(1);
        assert_eq!(session.pipeline().logged, logged, "between rounds nothing is collected: the student trains on the aggregate");
        session.train(200);
        assert_eq!((session.pipeline().labelled, session.step_count()), (100, 300));
        assert!((session.pipeline().beta - 0.125).abs() < 1e-6, "the last round's β_4 = 0.5³");
        // Without rounds, β decays per 100 steps as before.
        let mut plain = Session::new(&json!({"trainMaps": 64, "data": "mix", "dataBeta": 1, "betaDecay": 0.5, "labelBudget": 100, "hidden": 8})).unwrap();
        plain.train(200);
        assert!((plain.pipeline().beta - 0.25).abs() < 1e-6);
        assert!(Session::new(&json!({"labelRounds": 0})).is_err() && Session::new(&json!({"rlStarts": "middle"})).is_err());
    }

    #[test]
    fn a_label_budget_caps_the_distinct_states_the_teacher_labels() {
        for data in ["uniform", "teacher", "student"] {
            let mut session = Session::new(&json!({"trainMaps": 256, "data": data, "labelBudget": 40, "hidden": 8})).unwrap();
            session.train(300);
            let pipeline = session.pipeline();
            assert_eq!(pipeline.labelled, 40, "{data}: {pipeline:?}");
            assert_eq!(session.step_count(), 300, "{data}: training goes on with the states it has");
            let distinct: HashSet<(usize, usize)> = session.buffered().map(|(map, _, cell)| (map, cell)).collect();
            assert!(distinct.len() <= 40, "{data}: {} distinct states in the buffer", distinct.len());
        }
        let mut unlimited = Session::new(&json!({"trainMaps": 256, "data": "uniform", "hidden": 8})).unwrap();
        unlimited.train(300);
        assert!(unlimited.pipeline().labelled > 1000, "{:?}", unlimited.pipeline());
    }
}
