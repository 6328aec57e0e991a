//! Training the neural teacher natively (two members in parallel, one core each): seeded random maps (N = 6–16) plus the built-ins, the
//! oracle's soft targets softmax(Q*/τ₀), and DAgger-style relabelling of the teacher's own rollouts.

use crate::env::maps::{builtin, random_map, MapName, RandomMapSpec};
use crate::env::observation::OBS_LEN;
use crate::env::{pick, Action, GridMap, Rules, NUM_ACTIONS};
use crate::measure::heldout;
use crate::student::loss::{argmax, distill_loss, log_softmax, LossKind, LossSpec, TeacherTargets};
use crate::env::planner;
use crate::teacher::{NeuralTeacher, TeacherMember, TEACHER_MEMBERS};
use dfdx::optim::Adam;
use dfdx::prelude::*;
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::collections::HashMap;


#[derive(Clone, Debug)]
pub struct TeacherTrainingConfig {
    pub seed: u64,
    pub steps: usize,
    pub batch: usize,
    /// Maps held in the training pool at once (fresh ones replace old ones as training goes).
    pub pool: usize,
    pub lr: f64,
    /// Every this many steps: new maps enter the pool and the teacher's rollouts are relabelled.
    pub refresh_every: usize,
    pub refresh_maps: usize,
    /// Share of the random training maps drawn with the held-out maps' settings (N = 10, wall
    /// density 0.2, lava 0.03; never their seeds); the rest have N = 6–16 and varied densities.
    pub focus_share: f32,
    /// Share of each batch drawn from states the teacher's own rollouts visited (DAgger relabelling).
    pub on_policy_share: f32,
    /// The KL targets are softmax(Q*/(τ₀·τ)) at this τ (below 1: sharper than the oracle's own).
    pub target_temperature: f32,
}

impl Default for TeacherTrainingConfig {
    fn default() -> Self {
        TeacherTrainingConfig { seed: 7, steps: 60_000, batch: 256, pool: 512, lr: 1e-3, refresh_every: 50, refresh_maps: 24, focus_share: 0.5, on_policy_share: 0.7, target_temperature: 0.5 }
    }
}

/// One map in the pool: its decision cells' observations and oracle logits, and the cells
/// the teacher's own rollouts visited (indices into `cells`).
struct PoolMap {
    map: GridMap,
    cells: Vec<usize>,
    observations: Vec<f32>,
    logits: Vec<[f32; NUM_ACTIONS]>,
    visited: Vec<usize>,
}

impl PoolMap {
    fn new(map: GridMap, rules: &Rules) -> PoolMap {
        let table = planner::solve(&map, rules);
        let cells = map.decision_cells();
        let all = heldout::all_observations(&map);
        let observations = cells.iter().flat_map(|&c| all[c * OBS_LEN..(c + 1) * OBS_LEN].to_vec()).collect();
        let logits = cells.iter().map(|&c| table.logits(c)).collect();
        PoolMap { map, cells, observations, logits, visited: Vec::new() }
    }
}

fn training_map(rng: &mut StdRng, focus_share: f32) -> GridMap {
    let spec = if rng.gen::<f32>() < focus_share { heldout::heldout_spec() } else { RandomMapSpec {
        size: 6 + pick(rng, 11),
        wall_density: rng.gen_range(0.05..0.3),
        lava_density: rng.gen_range(0.0..0.05),
    } };
    // Seeds ≥ 2^62 never collide with the held-out seeds (1,000,000 + i).
    random_map(spec, rng.gen::<u64>() | (1 << 62)).expect("spec in range")
}

/// What training reports.
pub struct TeacherTrainingSummary {
    pub steps: usize,
    pub seconds: f64,
    pub heldout_success: f32,
    pub oracle_success: f32,
    pub metadata: HashMap<String, String>,
}

/// Trains the committee: member i with seed `config.seed + i`, each on its own thread (one core
/// each), then measures the averaged teacher. `log` receives progress lines.
pub fn train_teacher(config: &TeacherTrainingConfig, log: impl Fn(&str) + Sync) -> (NeuralTeacher, TeacherTrainingSummary) {
    let started = std::time::Instant::now();
    let rules = Rules::default();
    let members: Vec<TeacherMember> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..TEACHER_MEMBERS as u64)
            .map(|i| {
                let log = &log;
                scope.spawn(move || train_member(config.seed + i, config, |line| log(&format!("member {i}: {line}"))))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a member's training thread panicked")).collect()
    });
    let mut teacher = NeuralTeacher::committee(members);
    let validation_maps = heldout::validation_maps(heldout::GATE_HELDOUT_MAPS);
    let validation = heldout::greedy_on_maps(&validation_maps, &rules, |obs, n| teacher.logits(obs, n)).success
        / heldout::oracle_on_maps(&validation_maps, &rules).success;
    log(&format!("validation maps: teacher reaches {:.1}% of the oracle's success", 100.0 * validation));
    let maps = heldout::heldout_maps(heldout::GATE_HELDOUT_MAPS);
    let teacher_stats = heldout::greedy_on_maps(&maps, &rules, |obs, n| teacher.logits(obs, n));
    let oracle_stats = heldout::oracle_on_maps(&maps, &rules);
    let seconds = started.elapsed().as_secs_f64();
    log(&format!(
        "held-out success: teacher {:.3}, oracle {:.3} (ratio {:.3}) after {:.0} s",
        teacher_stats.success,
        oracle_stats.success,
        teacher_stats.success / oracle_stats.success,
        seconds
    ));
    let metadata = HashMap::from([
        ("seed".to_string(), config.seed.to_string()),
        ("members".to_string(), format!("{TEACHER_MEMBERS}, seeds {}..={}", config.seed, config.seed + TEACHER_MEMBERS as u64 - 1)),
        ("steps".to_string(), config.steps.to_string()),
        ("focus_share".to_string(), config.focus_share.to_string()),
        ("batch".to_string(), config.batch.to_string()),
        ("lr".to_string(), config.lr.to_string()),
        ("heldout_maps".to_string(), maps.len().to_string()),
        ("validation_ratio".to_string(), format!("{validation:.4}")),
        ("heldout_success".to_string(), format!("{:.4}", teacher_stats.success)),
        ("oracle_success".to_string(), format!("{:.4}", oracle_stats.success)),
        ("train_seconds".to_string(), format!("{seconds:.0}")),
        ("targets".to_string(), format!("tau^2 KL(softmax(Q*/0.01/{t}) || softmax(z/{t})), DAgger relabelling {d}", t = config.target_temperature, d = config.on_policy_share)),
    ]);
    teacher.metadata = metadata.clone();
    let summary = TeacherTrainingSummary {
        steps: config.steps,
        seconds,
        heldout_success: teacher_stats.success,
        oracle_success: oracle_stats.success,
        metadata,
    };
    (teacher, summary)
}

/// Trains one member from `seed` (the same seed gives the same member).
fn train_member(seed: u64, config: &TeacherTrainingConfig, log: impl Fn(&str)) -> TeacherMember {
    let started = std::time::Instant::now();
    let rules = Rules::default();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut member = TeacherMember::new_random(seed);
    let mut optimizer = Adam::new(&member.model, AdamConfig { lr: config.lr, ..Default::default() });
    let mut pool: Vec<PoolMap> = [MapName::Open, MapName::FourRooms, MapName::Maze, MapName::Cliff]
        .into_iter()
        .map(|name| PoolMap::new(builtin(name, 0).expect("built-in"), &rules))
        .collect();
    let builtins = pool.len();
    while pool.len() < config.pool {
        pool.push(PoolMap::new(training_map(&mut rng, config.focus_share), &rules));
    }
    let mut grads = member.model.alloc_grads();
    let mut observations = Vec::with_capacity(config.batch * OBS_LEN);
    let mut targets = TeacherTargets::with_capacity(config.batch);
    let mut recent_loss = 0.0f64;
    for step in 0..config.steps {
        // Cosine decay of the learning rate to a tenth.
        let progress = step as f64 / config.steps as f64;
        optimizer.cfg.lr = config.lr * (0.1 + 0.9 * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos()));
        if step > 0 && config.refresh_every > 0 && step % config.refresh_every == 0 {
            for _ in 0..config.refresh_maps {
                let slot = builtins + pick(&mut rng, pool.len() - builtins);
                pool[slot] = PoolMap::new(training_map(&mut rng, config.focus_share), &rules);
            }
            for _ in 0..config.refresh_maps {
                let slot = pick(&mut rng, pool.len());
                relabel_rollouts(&member, &mut pool[slot], &rules, &mut rng);
            }
        }
        observations.clear();
        targets.clear();
        for _ in 0..config.batch {
            let entry = &pool[pick(&mut rng, pool.len())];
            if entry.cells.is_empty() {
                continue;
            }
            let i = if !entry.visited.is_empty() && rng.gen::<f32>() < config.on_policy_share {
                entry.visited[pick(&mut rng, entry.visited.len())]
            } else {
                pick(&mut rng, entry.cells.len())
            };
            observations.extend_from_slice(&entry.observations[i * OBS_LEN..(i + 1) * OBS_LEN]);
            let logits = &entry.logits[i];
            targets.push(logits, &log_softmax(logits, config.target_temperature), argmax(logits));
        }
        let batch = targets.len();
        let x = member.dev.tensor_from_vec(observations.clone(), (batch, Const::<OBS_LEN>)).traced(grads);
        let out = member.model.forward_mut(x);
        let loss = distill_loss(&member.dev, &LossSpec::new(LossKind::Kl, config.target_temperature), out, &targets);
        recent_loss = 0.98 * recent_loss + 0.02 * loss.array() as f64;
        grads = loss.backward();
        optimizer.update(&mut member.model, &grads).expect("Adam update on the teacher's own tensors");
        member.model.zero_grads(&mut grads);
        if (step + 1) % 1000 == 0 {
            log(&format!("step {:>6}  loss {:.4}  lr {:.5}  {:.0} s", step + 1, recent_loss, optimizer.cfg.lr, started.elapsed().as_secs_f64()));
        }
    }
    member
}

/// Rolls the current member out greedily (5% random actions, for coverage) from the start and
/// from three random cells, and records the decision cells it visits for relabelling.
fn relabel_rollouts(teacher: &TeacherMember, entry: &mut PoolMap, rules: &Rules, rng: &mut StdRng) {
    if entry.cells.is_empty() {
        return;
    }
    let logits = teacher.logits(&entry.observations, entry.cells.len());
    let mut position_of = vec![usize::MAX; entry.map.cells().len()];
    for (i, &c) in entry.cells.iter().enumerate() {
        position_of[c] = i;
    }
    let (sx, sy) = entry.map.start();
    let mut starts = vec![entry.map.index(sx, sy)];
    for _ in 0..3 {
        starts.push(entry.cells[pick(rng, entry.cells.len())]);
    }
    for start in starts {
        let mut at = start;
        for _ in 0..entry.map.max_steps() {
            let i = position_of[at];
            if i == usize::MAX {
                break;
            }
            if entry.visited.len() < 2_000 {
                entry.visited.push(i);
            }
            let action = if rng.gen::<f32>() < 0.05 {
                pick(rng, NUM_ACTIONS)
            } else {
                argmax(&logits[i * NUM_ACTIONS..(i + 1) * NUM_ACTIONS])
            };
            let step = entry.map.step(at, Action::from_index(action), rules, rng);
            if step.done {
                break;
            }
            at = step.to;
        }
    }
}
