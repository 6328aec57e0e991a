//! One training session: the map shown, the maps trained on, the teacher's targets, the student
//! and the RNG. It ties env, planner, teacher, loss, student and metrics together; no web types.

use crate::data::{choose_actions, DataSource, PipelineCounts, Record, ReplayBuffer, Walker, WALKERS};
use crate::env::maps::{random_map, RandomMapSpec};
use crate::env::observation::OBS_LEN;
use crate::env::{pick, Action, GridMap, Rules, NUM_ACTIONS};
use crate::heldout::all_observations;
use crate::loss::{argmax, log_softmax, softmax, TeacherTargets};
use crate::metrics;
use crate::planner;
use crate::settings::{ConfigError, Settings};
use crate::student::{Objective, Student, PLAN_STEPS};
use crate::targets::{noisy_logits, TeacherTable};
use crate::snapshot::Progress;
use crate::teacher::NeuralTeacher;
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::Serialize;
use std::sync::OnceLock;

/// Number of seeded random maps a `trainMaps: "random"` session trains across.
pub const RANDOM_TRAINING_MAPS: usize = 64;

/// What `train` reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainReport {
    pub step: u64,
    /// Loss of the last batch trained (0 before any step).
    pub loss: f32,
    /// Agreement on the map shown (see `metrics::agreement`).
    pub agreement: f32,
    /// Set when training diverged (a non-finite loss or weight): what happened and what to change.
    /// Training stopped and the last good weights are back; it resumes after a setting changes.
    pub diverged: Option<String>,
}

/// Whose probabilities `probs` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Teacher,
    Student,
}

static TEACHER: OnceLock<NeuralTeacher> = OnceLock::new();

/// The bundled teacher, decoded once per process: the compiled-in file (`embedded-teacher`), or the
/// one given to `install_teacher`. Callers check `teacher_available` first where it may be missing.
pub fn bundled_teacher() -> &'static NeuralTeacher {
    TEACHER.get_or_init(|| {
        #[cfg(feature = "embedded-teacher")]
        return NeuralTeacher::bundled().expect("the bundled teacher decodes (checked by a native test)");
        #[cfg(not(feature = "embedded-teacher"))]
        panic!("the teacher's weights are not loaded (checked before every use by teacher_available)");
    })
}

/// Installs the teacher from its weights file (the page fetches it beside the wasm). The first
/// good file wins; a broken one is refused with the reason and changes nothing.
pub fn install_teacher(bytes: &[u8]) -> Result<(), String> {
    if TEACHER.get().is_none() {
        let teacher = NeuralTeacher::from_bytes(bytes).map_err(|e| format!("the teacher file was refused: {e}"))?;
        let _ = TEACHER.set(teacher);
    }
    Ok(())
}

/// Whether `bundled_teacher` can answer: compiled in, or installed.
pub fn teacher_available() -> bool {
    cfg!(feature = "embedded-teacher") || TEACHER.get().is_some()
}

/// The maps training samples from: the pool of random maps, or the map shown when there is none.
/// (A function of the two fields, so loops can borrow them beside the batch buffers they fill.)
fn training_maps_of<'a>(pool: &'a [MapData], current: &'a MapData) -> &'a [MapData] {
    if pool.is_empty() {
        std::slice::from_ref(current)
    } else {
        pool
    }
}

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
    pub fn new(map: GridMap, settings: &Settings) -> MapData {
        let rules = settings.rules();
        let q_table = planner::solve(&map, &rules);
        let observations = all_observations(&map);
        let table = TeacherTable::new(settings.teacher_kind(), settings.mix_weight, &q_table, bundled_teacher, &map, &observations);
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

pub struct Session {
    settings: Settings,
    rules: Rules,
    /// The map shown (and trained on, when `trainMaps` is `current`).
    current: MapData,
    /// Training maps when `trainMaps` is `random`.
    pool: Vec<MapData>,
    student: Student,
    rng: StdRng,
    step: u64,
    last_loss: f32,
    batch_observations: Vec<f32>,
    batch_targets: TeacherTargets,
    batch_plans: Vec<f32>,
    /// Fine-tuning: second targets (the teacher's, for kickstarting), steps so far, baseline.
    kickstart_targets: TeacherTargets,
    finetune_steps: u64,
    return_baseline: Option<f32>,
    /// The student's weights at the last check that found them finite (see `guard`).
    last_good: Option<(u64, Vec<crate::student::NamedTensor>)>,
    diverged: Option<String>,
    buffer: ReplayBuffer,
    walkers: Vec<Walker>,
    counts: PipelineCounts,
    /// Records logged per cell of the map shown (the visitation heatmap).
    visits: Vec<u32>,
    /// The held-out maps with this session's teacher targets, built on first use (see `ledger`).
    pub(crate) heldout: Option<std::sync::Arc<Vec<MapData>>>,
}

impl Session {
    /// A session with default settings changed by `update` (a JSON object; may be empty).
    pub fn new(update: &serde_json::Value) -> Result<Session, ConfigError> {
        let mut settings = Settings::default();
        settings.apply(update)?;
        Ok(Session::from_settings(settings))
    }

    pub fn from_settings(settings: Settings) -> Session {
        let student = Student::new(settings.hidden, settings.seed, settings.lr).expect("width validated in settings");
        let mut session = Session {
            rules: settings.rules(),
            current: MapData::new(settings.grid_map(), &settings),
            pool: Vec::new(),
            rng: StdRng::seed_from_u64(settings.seed),
            student,
            step: 0,
            last_loss: 0.0,
            batch_observations: Vec::new(),
            batch_targets: TeacherTargets::default(),
            batch_plans: Vec::new(),
            kickstart_targets: TeacherTargets::default(),
            finetune_steps: 0,
            return_baseline: None,
            last_good: None,
            diverged: None,
            heldout: None,
            buffer: ReplayBuffer::new(settings.buffer_capacity),
            walkers: Vec::new(),
            counts: PipelineCounts::default(),
            visits: Vec::new(),
            settings,
        };
        session.build_pool();
        session.restart_data();
        session
    }

    fn build_pool(&mut self) {
        self.pool.clear();
        if self.settings.train_maps != "random" {
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

    fn training_maps(&self) -> &[MapData] {
        training_maps_of(&self.pool, &self.current)
    }

    /// Empties the buffer and puts every walker at the start of a training map.
    fn restart_data(&mut self) {
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

    fn start_of(&self, map: usize) -> usize {
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
    fn collect(&mut self) {
        let source = self.settings.data_source();
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

    /// What training has changed since the last reset: posted by the page's training worker.
    pub fn progress(&self) -> Progress {
        Progress {
            step: self.step,
            loss: self.last_loss,
            diverged: self.diverged.clone(),
            counts: self.counts,
            visits: self.visits.clone(),
            finetune_steps: self.finetune_steps,
            tensors: self.student.tensors(),
        }
    }

    /// Takes on the progress of a session with the same settings that trained elsewhere (the
    /// page's training worker), so this one can draw and answer for it. Progress from other
    /// settings (another width, another map) is refused and nothing changes.
    pub fn adopt(&mut self, progress: Progress) -> Result<(), String> {
        if progress.visits.len() != self.visits.len() {
            return Err(format!("the progress is for a map of {} cells, not this one's {}", progress.visits.len(), self.visits.len()));
        }
        self.student.load_tensors(&progress.tensors)?;
        self.step = progress.step;
        self.last_loss = progress.loss;
        self.diverged = progress.diverged;
        self.counts = progress.counts;
        self.visits = progress.visits;
        self.finetune_steps = progress.finetune_steps;
        Ok(())
    }

    /// Records logged per cell of the map shown (empty counts when training on random maps).
    pub fn visits(&self) -> &[u32] {
        &self.visits
    }

    /// Applies a partial update: temperature, loss, lr and batch act live; map, seed, width and
    /// training maps start a new student; teacher settings relabel. On error nothing changes.
    pub fn set(&mut self, update: &serde_json::Value) -> Result<(), ConfigError> {
        let phase_before = self.settings.phase.clone();
        let changed = self.settings.apply(update)?;
        if self.settings.phase != phase_before {
            self.finetune_steps = 0;
            self.return_baseline = None;
        }
        // Any accepted change is the user's answer to a divergence: training may resume.
        self.diverged = None;
        if changed.reset {
            *self = Session::from_settings(self.settings.clone());
            return Ok(());
        }
        self.student.set_learning_rate(self.settings.lr);
        if changed.teacher {
            self.rules = self.settings.rules();
            self.current = MapData::new(self.current.map.clone(), &self.settings);
            self.build_pool();
            self.heldout = None;
            self.restart_data();
        } else if changed.data {
            self.restart_data();
        }
        Ok(())
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn rules(&self) -> &Rules {
        &self.rules
    }
    pub fn map(&self) -> &GridMap {
        &self.current.map
    }
    pub fn current(&self) -> &MapData {
        &self.current
    }
    pub fn step_count(&self) -> u64 {
        self.step
    }
    pub fn student(&self) -> &Student {
        &self.student
    }
    pub fn decision_cells(&self) -> &[usize] {
        &self.current.decision_cells
    }

    /// Runs `steps` Adam steps, each on a batch of decision cells drawn uniformly with
    /// replacement (from the map shown or the random training maps) and labelled by the teacher.
    /// With probability ε (teacher noise) a sample's demonstration is a uniformly random action.
    /// `train(0)` only reports.
    pub fn train(&mut self, steps: u32) -> TrainReport {
        let spec = self.settings.loss_spec();
        let tau = spec.temperature;
        let batch = self.settings.batch;
        let noise = self.settings.teacher_noise;
        if self.diverged.is_some() {
            return self.report();
        }
        if self.settings.phase == "finetune" {
            for _ in 0..steps {
                self.finetune_step();
                if !self.guard() {
                    break;
                }
            }
            return self.report();
        }
        let plan_weight = self.settings.plan_weight;
        for _ in 0..steps {
            self.collect();
            if self.buffer.is_empty() {
                break;
            }
            self.batch_observations.clear();
            self.batch_targets.clear();
            self.batch_plans.clear();
            for _ in 0..batch {
                let record = self.buffer.sample(&mut self.rng);
                let data = &training_maps_of(&self.pool, &self.current)[record.map as usize];
                let cell = record.cell as usize;
                self.batch_observations.extend_from_slice(data.observation(cell));
                if noise > 0.0 && self.rng.gen::<f32>() < noise {
                    let action = pick(&mut self.rng, NUM_ACTIONS);
                    let logits = noisy_logits(action);
                    self.batch_targets.push(&logits, &log_softmax(&logits, tau), action);
                } else {
                    let logits = data.table.logits(cell);
                    self.batch_targets.push(&logits, &data.table.log_probs(cell, tau), argmax(&logits));
                }
                if plan_weight > 0.0 {
                    for action in data.teacher_plans[cell] {
                        self.batch_plans.extend((0..NUM_ACTIONS).map(|a| if a == action { 1.0 } else { 0.0 }));
                    }
                }
            }
            self.counts.consumed += batch as u64;
            let plan = (plan_weight > 0.0).then_some((self.batch_plans.as_slice(), plan_weight));
            self.last_loss = self.student.train_step(&self.batch_observations, &Objective::Distill { spec, teacher: &self.batch_targets, plan });
            self.step += 1;
            if !self.guard() {
                break;
            }
        }
        self.report()
    }

    fn report(&self) -> TrainReport {
        TrainReport { step: self.step, loss: self.last_loss, agreement: self.agreement(), diverged: self.diverged.clone() }
    }

    /// After a step: a non-finite loss or weight means training diverged; so does a collapsed
    /// network (every hidden unit dead, so the policy no longer depends on the state — what a very
    /// high learning rate does to Adam, which rarely reaches infinity). Then the weights of the last
    /// good check come back (with a fresh optimiser), training stops, and the report says why.
    /// The loss and the weights are checked every step; collapse every `GUARD_EVERY` steps, when the
    /// weights that pass are kept as the new last good ones.
    fn guard(&mut self) -> bool {
        const GUARD_EVERY: u64 = 25;
        let loss_bad = !self.last_loss.is_finite();
        let weights_bad = !self.student.weights_finite();
        if !loss_bad && !weights_bad && self.step % GUARD_EVERY != 0 {
            return true;
        }
        let collapsed = !loss_bad && !weights_bad && self.student_ignores_the_state();
        if !loss_bad && !weights_bad && !collapsed {
            self.last_good = Some((self.step, self.student.tensors()));
            return true;
        }
        let settings = &self.settings;
        let mut student = Student::new(settings.hidden, settings.seed, settings.lr).expect("width validated");
        let restored_step = match &self.last_good {
            Some((step, good)) => {
                student.load_tensors(good).expect("the last good weights were finite");
                *step
            }
            None => 0,
        };
        let what = if loss_bad {
            format!("the loss became {}", self.last_loss)
        } else if weights_bad {
            "a weight became non-finite".to_string()
        } else {
            "the network collapsed: every hidden unit died, so it gives the same answer in every state".to_string()
        };
        self.diverged = Some(format!(
            "Training diverged at step {} ({what}). The weights from step {restored_step} are back and training has stopped. \
             Lower the learning rate (now {}) or raise the temperature (now {}); mse and reverse_kl at low τ are the most fragile.",
            self.step, settings.lr, settings.temperature
        ));
        self.student = student;
        self.step = restored_step;
        self.last_loss = f32::NAN;
        false
    }

    /// True when the student's logits are the same in every cell of the map shown.
    fn student_ignores_the_state(&self) -> bool {
        let logits = self.student_logits(&self.current);
        let Some(first) = logits.first() else { return false };
        self.current.decision_cells.len() > 1
            && self.current.decision_cells.iter().all(|&c| logits[c].iter().zip(first).all(|(a, b)| (a - b).abs() <= 1e-6 * (1.0 + b.abs())))
    }

    /// Test hook: poisons one weight, as a numerical accident would.
    #[cfg(test)]
    fn poison_a_weight(&mut self) {
        let mut tensors = self.student.tensors();
        tensors[0].2[0] = f32::NAN;
        self.student.load_tensors_unchecked(&tensors);
    }

    /// Replaces the map shown by an edited one (any size N): the teacher follows at once, the
    /// student keeps its weights and trains on. On a bad map nothing changes.
    pub fn edit_map(&mut self, text: &str) -> Result<(), ConfigError> {
        let map = GridMap::from_text(text).map_err(|e| ConfigError { field: "mapText".into(), message: e.0 })?;
        self.settings.map = "custom".into();
        self.settings.map_text = map.to_text();
        self.current = MapData::new(map, &self.settings);
        self.diverged = None;
        self.restart_data();
        Ok(())
    }

    /// The student as a file: `safetensors` or `json` (see `student_file`).
    pub fn save_student(&self, format: &str) -> Result<Vec<u8>, String> {
        match format {
            "safetensors" => Ok(crate::student_file::to_safetensors(&self.student, self.step)),
            "json" => Ok(crate::student_file::to_json(&self.student, self.step).into_bytes()),
            other => Err(format!("unknown format {other:?}: choose safetensors or json")),
        }
    }

    /// Replaces the student with a saved one (its width comes with it; every other setting stays).
    /// The file is checked completely first: on error nothing changes.
    pub fn load_student(&mut self, bytes: &[u8]) -> Result<(), String> {
        let loaded = crate::student_file::load(bytes)?;
        let mut student = Student::new(loaded.hidden, self.settings.seed, self.settings.lr)?;
        student.load_tensors(&loaded.tensors)?;
        self.settings.hidden = loaded.hidden;
        self.student = student;
        self.step = loaded.step;
        self.last_loss = 0.0;
        self.last_good = None;
        self.diverged = None;
        Ok(())
    }

    /// Every record in the replay buffer as (training map index, its map data, cell); map 0 is the
    /// map shown when training on it alone.
    pub fn buffered(&self) -> impl Iterator<Item = (usize, &MapData, usize)> + '_ {
        self.buffer.records().iter().map(|record| {
            let data = &self.training_maps()[record.map as usize];
            (record.map as usize, data, record.cell as usize)
        })
    }


    /// λ_k now: kickstart · decay^(fine-tuning steps / 100).
    pub fn kickstart_weight(&self) -> f32 {
        self.settings.kickstart * self.settings.kickstart_decay.powf(self.finetune_steps as f32 / 100.0)
    }

    /// One REINFORCE update: `WALKERS` episodes sampled from the student's policy (τ = 1) on the
    /// training maps, returns-to-go G_t, advantage G_t − b with b a running mean of returns, plus
    /// the decaying kickstarting term towards the teacher on the visited states.
    fn finetune_step(&mut self) {
        let gamma = self.rules.gamma;
        self.batch_observations.clear();
        self.batch_targets.clear();
        self.kickstart_targets.clear();
        let maps = self.training_maps().len();
        let mut transitions: Vec<(usize, usize, usize, f32)> = Vec::new(); // (map, cell, action, reward)
        let mut episode_ends = Vec::new();
        for _ in 0..WALKERS {
            let map = pick(&mut self.rng, maps);
            let mut at = self.start_of(map);
            let max_steps = self.training_maps()[map].map.max_steps();
            for _ in 0..max_steps {
                let data = &training_maps_of(&self.pool, &self.current)[map];
                let logits = self.student.logits(data.observation(at), 1);
                let probs = softmax(&[logits[0], logits[1], logits[2], logits[3], logits[4]], 1.0);
                let mut draw = self.rng.gen::<f32>();
                let mut action = NUM_ACTIONS - 1;
                for (a, p) in probs.iter().enumerate() {
                    if draw < *p {
                        action = a;
                        break;
                    }
                    draw -= p;
                }
                let step = data.map.step(at, Action::from_index(action), &self.rules, &mut self.rng);
                transitions.push((map, at, action, step.reward));
                at = step.to;
                if step.done {
                    break;
                }
            }
            episode_ends.push(transitions.len());
        }
        // Returns-to-go, episode by episode, from the end.
        let mut returns = vec![0.0f32; transitions.len()];
        let mut begin = 0;
        for &end in &episode_ends {
            let mut running = 0.0;
            for i in (begin..end).rev() {
                running = transitions[i].3 + gamma * running;
                returns[i] = running;
            }
            begin = end;
        }
        let mean_return = returns.iter().sum::<f32>() / returns.len().max(1) as f32;
        let baseline = self.return_baseline.unwrap_or(mean_return);
        let kickstart = self.kickstart_weight();
        for (i, &(map, cell, action, _)) in transitions.iter().enumerate() {
            let data = &training_maps_of(&self.pool, &self.current)[map];
            self.batch_observations.extend_from_slice(data.observation(cell));
            let logits = data.table.logits(cell);
            let log_probs = data.table.log_probs(cell, 1.0);
            self.batch_targets.push_weighted(&logits, &log_probs, action, returns[i] - baseline);
            self.kickstart_targets.push(&logits, &log_probs, argmax(&logits));
        }
        self.return_baseline = Some(0.9 * baseline + 0.1 * mean_return);
        let objective = Objective::PolicyGradient { weighted_actions: &self.batch_targets, teacher: &self.kickstart_targets, kickstart };
        self.last_loss = self.student.train_step(&self.batch_observations, &objective);
        self.counts.consumed += transitions.len() as u64;
        self.finetune_steps += 1;
        self.step += 1;
    }

    /// The teacher's plan and the student's predicted plan (4 actions each) from column x, row y.
    pub fn plans(&self, x: i64, y: i64) -> Result<([usize; PLAN_STEPS], [usize; PLAN_STEPS]), String> {
        let n = self.current.map.size() as i64;
        if x < 0 || y < 0 || x >= n || y >= n {
            return Err(format!("cell ({x}, {y}) is outside the {n}×{n} grid"));
        }
        let cell = self.current.map.index(x as usize, y as usize);
        let logits = self.student.plan_logits(self.current.observation(cell), 1);
        let mut student = [0; PLAN_STEPS];
        for (k, slot) in student.iter_mut().enumerate() {
            *slot = argmax(&logits[k * NUM_ACTIONS..(k + 1) * NUM_ACTIONS]);
        }
        Ok((self.current.teacher_plans[cell], student))
    }

    /// Student logits for every cell of a map.
    pub fn student_logits(&self, data: &MapData) -> Vec<[f32; NUM_ACTIONS]> {
        let cells = data.map.cells().len();
        let flat = self.student.logits(&data.observations, cells);
        flat.chunks_exact(NUM_ACTIONS).map(|c| [c[0], c[1], c[2], c[3], c[4]]).collect()
    }

    /// Share of decision cells of the map shown where the student's argmax is a best teacher action.
    pub fn agreement(&self) -> f32 {
        let student = self.student_logits(&self.current);
        let cells = &self.current.decision_cells;
        let choices: Vec<usize> = cells.iter().map(|&c| argmax(&student[c])).collect();
        let best: Vec<Vec<usize>> = cells.iter().map(|&c| self.current.table.best(c)).collect();
        metrics::agreement(&choices, &best)
    }

    /// The teacher's (at temperature `tau`, default the current one) or the student's (τ = 1)
    /// action probabilities at column x, row y. Errors for cells outside the grid.
    pub fn probs(&self, who: Who, x: i64, y: i64, tau: Option<f32>) -> Result<[f32; NUM_ACTIONS], String> {
        let n = self.current.map.size() as i64;
        if x < 0 || y < 0 || x >= n || y >= n {
            return Err(format!("cell ({x}, {y}) is outside the {n}×{n} grid (x and y run 0..={})", n - 1));
        }
        let cell = self.current.map.index(x as usize, y as usize);
        Ok(match who {
            Who::Teacher => self.current.table.log_probs(cell, tau.unwrap_or(self.settings.temperature)).map(f32::exp),
            Who::Student => {
                let logits = self.student.logits(self.current.observation(cell), 1);
                softmax(&[logits[0], logits[1], logits[2], logits[3], logits[4]], 1.0)
            }
        })
    }

    /// Student probabilities (τ = 1) for every cell of the map shown: for drawing.
    pub fn student_probs_all(&self) -> Vec<[f32; NUM_ACTIONS]> {
        self.student_logits(&self.current).iter().map(|l| softmax(l, 1.0)).collect()
    }

    /// Teacher probabilities at the current τ for every cell of the map shown: for drawing.
    pub fn teacher_probs_all(&self) -> Vec<[f32; NUM_ACTIONS]> {
        let tau = self.settings.temperature;
        (0..self.current.map.cells().len()).map(|c| self.current.table.log_probs(c, tau).map(f32::exp)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn student_learns_four_rooms_from_the_oracle_to_95_percent_agreement() {
        let mut session = Session::new(&json!({"map": "four-rooms", "seed": 1, "teacher": "oracle"})).unwrap();
        let mut report = session.train(0);
        // Many four-rooms cells have two best moves (down and right), so chance agreement is high.
        assert!(report.agreement < 0.8, "an untrained student should not already agree: {}", report.agreement);
        for _ in 0..30 {
            report = session.train(100);
            if report.agreement >= 0.95 {
                break;
            }
        }
        assert!(report.agreement >= 0.95, "agreement {} after {} steps", report.agreement, report.step);
        assert!(report.step <= 3000);
    }

    #[test]
    fn a_mirror_adopting_progress_answers_like_the_trained_session() {
        let settings = json!({"map": "maze", "hidden": 16, "seed": 5, "data": "mix"});
        let mut trained = Session::new(&settings).unwrap();
        trained.train(120);
        let mut mirror = Session::new(&settings).unwrap();
        let bytes = crate::snapshot::encode(&trained.progress());
        mirror.adopt(crate::snapshot::decode(&bytes).unwrap()).unwrap();
        assert_eq!(mirror.report(), trained.report());
        assert_eq!(mirror.pipeline(), trained.pipeline());
        assert_eq!(mirror.visits(), trained.visits());
        assert_eq!(mirror.student_probs_all(), trained.student_probs_all());
        // Progress of another map is refused and changes nothing.
        let mut other = Session::new(&json!({"map": "open", "hidden": 16})).unwrap();
        let before = other.report();
        assert!(other.adopt(trained.progress()).unwrap_err().contains("cells"));
        assert_eq!(other.report(), before);
    }

    #[test]
    fn same_seed_same_run() {
        let run = || {
            let mut s = Session::new(&json!({"map": "maze", "seed": 9, "hidden": 16, "teacherNoise": 0.1})).unwrap();
            s.train(50);
            s.set(&json!({"temperature": 3, "loss": "reverse_kl"})).unwrap();
            (s.train(50), s.student.tensors())
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn temperature_flattens_the_teacher_live() {
        let mut session = Session::new(&json!({})).unwrap();
        session.train(20);
        let entropy = |p: [f32; 5]| -p.iter().filter(|v| **v > 0.0).map(|v| v * v.ln()).sum::<f32>();
        let (x, y) = session.map().position(session.decision_cells()[0]);
        let cold = entropy(session.probs(Who::Teacher, x as i64, y as i64, None).unwrap());
        session.set(&json!({"temperature": 8})).unwrap();
        let hot = entropy(session.probs(Who::Teacher, x as i64, y as i64, None).unwrap());
        assert!(hot > cold + 0.1, "entropy {cold} → {hot}");
        assert_eq!(session.step_count(), 20, "temperature must not reset training");
        session.set(&json!({"map": "open"})).unwrap();
        assert_eq!(session.step_count(), 0, "a new map resets training");
        assert!(session.probs(Who::Student, 8, 0, None).unwrap_err().contains("outside"));
    }

    #[test]
    fn mixture_probabilities_sum_to_one_and_mix_the_two_teachers() {
        let make = |teacher: &str| Session::new(&json!({"teacher": teacher, "mixWeight": 0.3, "map": "maze"})).unwrap();
        let (neural, oracle, mix) = (make("neural"), make("oracle"), make("mix"));
        for tau in [0.1f32, 1.0, 7.0] {
            for &cell in mix.decision_cells() {
                let (x, y) = mix.map().position(cell);
                let p = |s: &Session| s.probs(Who::Teacher, x as i64, y as i64, Some(tau)).unwrap();
                let (pn, po, pm) = (p(&neural), p(&oracle), p(&mix));
                assert!((pm.iter().sum::<f32>() - 1.0).abs() < 1e-5, "τ={tau}: {pm:?}");
                for a in 0..5 {
                    let want = 0.3 * pn[a] + 0.7 * po[a];
                    assert!((pm[a] - want).abs() < 1e-5 + 1e-4 * want, "τ={tau} action {a}: {} vs {want}", pm[a]);
                }
            }
        }
    }

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
    fn plans_follow_the_teacher_and_the_plan_head_learns_them() {
        let map = GridMap::from_text("#####\n#####\nS..LG\n#####\n#####").unwrap();
        let right = vec![3; 25];
        assert_eq!(plan_from(&map, &right, map.index(0, 2)), [3, 3, 3, 4], "stops after entering lava");
        let mut session = Session::new(&json!({"map": "four-rooms", "teacher": "oracle", "planWeight": 1.0, "seed": 2})).unwrap();
        session.train(2500);
        let cells = session.decision_cells().to_vec();
        let mut first_step = 0;
        for &cell in &cells {
            let (x, y) = session.map().position(cell);
            let (teacher, student) = session.plans(x as i64, y as i64).unwrap();
            let best = session.current().table.best(cell);
            if best.contains(&student[0]) || student[0] == teacher[0] {
                first_step += 1;
            }
        }
        let share = first_step as f32 / cells.len() as f32;
        assert!(share > 0.8, "the plan head's first step matches on {share}");
        let untrained = Session::new(&json!({"map": "four-rooms", "teacher": "oracle", "seed": 2})).unwrap();
        let (x, y) = untrained.map().position(cells[0]);
        assert!(untrained.plans(x as i64, y as i64).is_ok());
    }

    #[test]
    fn finetuning_with_reinforce_improves_the_return() {
        // Pure REINFORCE (no pull towards the teacher) on a map where random moves find the goal.
        let map = "S.G..\n.....\n.....\n.....\n.....";
        let mut session = Session::new(&json!({"mapText": map, "teacher": "oracle", "phase": "finetune", "kickstart": 0.0, "lr": 0.01, "seed": 4})).unwrap();
        let before = crate::ledger::tests_support::return_from_start(&session);
        session.train(200);
        let after = crate::ledger::tests_support::return_from_start(&session);
        assert!(after > 0.9 && after > before, "greedy return from the start {before} → {after}");
        assert!(session.kickstart_weight() == 0.0);
        session.set(&json!({"kickstart": 2.0, "kickstartDecay": 0.5})).unwrap();
        assert!((session.kickstart_weight() - 2.0 * 0.5f32.powf(2.0)).abs() < 1e-5, "200 steps: two halvings");
    }

    #[test]
    fn divergence_is_caught_within_a_step_and_the_last_good_weights_return() {
        for settings in [json!({"lr": 10.0, "loss": "mse", "temperature": 0.1, "hidden": 128}), json!({"lr": 10.0, "loss": "kl", "temperature": 0.1})] {
            let mut session = Session::new(&settings).unwrap();
            let mut report = session.train(0);
            for _ in 0..200 {
                report = session.train(10);
                if report.diverged.is_some() {
                    break;
                }
            }
            let message = report.diverged.clone().unwrap_or_else(|| panic!("{settings}: never diverged; loss {}", report.loss));
            assert!(report.step < 200, "{settings}: caught late, at step {}", report.step);
            assert!(message.contains("Lower the learning rate"), "{message}");
            assert!(session.student().tensors().iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
            assert!(session.student_probs_all().iter().flatten().all(|p| p.is_finite()), "no NaN arrows");
            assert_eq!(session.train(5).step, report.step, "stopped until a setting changes");
            session.set(&json!({"lr": 0.001})).unwrap();
            let resumed = session.train(5);
            assert!(resumed.diverged.is_none() && resumed.step == report.step + 5 && resumed.loss.is_finite());
        }
    }

    #[test]
    fn a_non_finite_weight_is_caught_on_the_next_step() {
        let mut session = Session::new(&json!({})).unwrap();
        session.train(30);
        session.poison_a_weight();
        let report = session.train(1);
        let message = report.diverged.expect("a NaN weight must stop training");
        assert!(message.contains("at step 31"), "{message}");
        assert_eq!(report.step, 25, "the last good check was at step 25");
        assert!(session.student().tensors().iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
    }

    #[test]
    fn the_neural_teacher_is_the_default_and_solves_the_builtin_maps() {
        let session = Session::new(&json!({})).unwrap();
        assert_eq!(session.settings().teacher, "neural");
        for name in ["open", "four-rooms", "maze", "cliff"] {
            let session = Session::new(&json!({"map": name})).unwrap();
            let data = session.current();
            let policy = data.table.greedy_policy();
            let (sx, sy) = data.map.start();
            let stats = metrics::greedy_rollouts(&data.map, session.rules(), &policy, &[data.map.index(sx, sy)], 0);
            assert_eq!(stats.success, 1.0, "the neural teacher fails {name} from its start");
        }
    }
}
