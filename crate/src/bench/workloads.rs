//! Timed workloads shared by `distill bench` (native) and `npm run bench` (the same code in wasm):
//! the student's training step per engine, on real (sparse) and on dense inputs, the dense
//! yardstick, the useful multiply-adds of the real step, teacher labelling, and batched greedy
//! decisions. The caller passes its clock (milliseconds), so the core stays free of platform timers.
//!
//! How multiply-adds are counted (one multiply and one add of one f32, whatever the instructions):
//! per sample of a 245 → H → 5 step, the first layer's forward pass and its weight gradient each
//! take H per non-zero input (2·nnz·H), the policy layer's forward pass, its weight gradient and the
//! hidden units' gradient take 5·H each (15·H). Biases, ReLU, the loss, Adam and the input gradient
//! (never computed) are not counted. On dense inputs nnz = 245.

use crate::env::maps::builtin;
use crate::env::observation::{encode, OBS_LEN};
use crate::env::NUM_ACTIONS;
use crate::student::loss::{argmax, log_softmax, LossKind, LossSpec, TeacherTargets};
use crate::student::{Engine, Objective, SparseRows, Student};
use crate::bench::yardstick::{DensePool, Yardstick};
use crate::student::fused::FusedMlp;

/// Runs `work` (which does `chunk` units) repeatedly for about `seconds`, three times, and
/// returns the median rate in units per second. The units are counted in a `u64`: a `usize` is 32
/// bits in wasm, and a stretch of the peak's kernels does more than 2³² multiply-adds on a fast
/// machine (it wrapped silently in release builds, and the peak read a sixth of its rate).
pub fn median_rate(seconds: f64, chunk: usize, now: &dyn Fn() -> f64, mut work: impl FnMut()) -> f64 {
    work();
    let mut rates: Vec<f64> = (0..3)
        .map(|_| {
            let started = now();
            let mut done: u64 = 0;
            while now() - started < seconds * 1000.0 / 3.0 || done == 0 {
                work();
                done += chunk as u64;
            }
            done as f64 / ((now() - started) / 1000.0)
        })
        .collect();
    rates.sort_by(|a, b| a.total_cmp(b));
    rates[1]
}

/// `batch` observations of the four-rooms map's decision cells (cycled), and soft targets for them.
fn four_rooms_batch(batch: usize) -> (Vec<f32>, TeacherTargets) {
    let map = builtin(crate::env::maps::MapName::FourRooms, 1).expect("a built-in map");
    let cells = map.decision_cells();
    let mut observations = Vec::with_capacity(batch * OBS_LEN);
    let mut targets = TeacherTargets::with_capacity(batch);
    for i in 0..batch {
        let cell = cells[(i * 7) % cells.len()];
        observations.extend(encode(&map, cell));
        let logits: [f32; NUM_ACTIONS] = std::array::from_fn(|a| ((cell * 31 + a * 17) % 11) as f32 * 0.4 - 2.0);
        targets.push(&logits, &log_softmax(&logits, 1.0), argmax(&logits));
    }
    (observations, targets)
}

/// Training steps per second of a 245 → `hidden` → 5 student with `engine` on real observations
/// (kl loss, Adam), without the session around it.
pub fn student_steps_per_second(engine: Engine, hidden: usize, batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<f64, String> {
    if batch == 0 {
        return Err("batch must be at least 1".into());
    }
    let mut student = Student::with_engine(hidden, 1, 1e-3, engine)?;
    let (observations, targets) = four_rooms_batch(batch);
    // The session's batches hold each sample's non-zero inputs, listed once per cell when its map's
    // data is made (`MapData::inputs`), so the step is given them listed.
    let rows = SparseRows::from_dense(&observations);
    let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 1.0), teacher: &targets, plan: None };
    Ok(median_rate(seconds, 10, now, || {
        for _ in 0..10 {
            student.train_step(&rows, &objective);
        }
    }))
}

/// Multiply-adds of one training step of a 245 → `hidden` → 5 network on `observations` (rows of
/// 245), as counted above: Σ over samples of 2·nnz·H + 15·H.
pub fn step_multiply_adds(observations: &[f32], hidden: usize) -> usize {
    observations.chunks_exact(OBS_LEN).map(|row| 2 * row.iter().filter(|&&x| x != 0.0).count() * hidden + 3 * NUM_ACTIONS * hidden).sum()
}

/// The same count on dense inputs: every one of `inputs` is multiplied.
pub fn dense_multiply_adds_per_step(inputs: usize, hidden: usize, batch: usize) -> usize {
    batch * (2 * inputs * hidden + 3 * NUM_ACTIONS * hidden)
}

/// The useful work of the real (sparse) training step: the reference workload (the fused student,
/// `kl`, Adam, four-rooms observations), its rate, and the multiply-adds it must do.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UsefulWork {
    pub steps_per_s: f64,
    pub multiply_adds_per_step: usize,
    pub nonzero_inputs_per_sample: f64,
    pub multiply_adds_per_s: f64,
}

pub fn useful_work(hidden: usize, batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<UsefulWork, String> {
    let steps_per_s = student_steps_per_second(Engine::Fused, hidden, batch, seconds, now)?;
    let (observations, _) = four_rooms_batch(batch);
    let multiply_adds_per_step = step_multiply_adds(&observations, hidden);
    let nonzero = observations.iter().filter(|&&x| x != 0.0).count();
    Ok(UsefulWork {
        steps_per_s,
        multiply_adds_per_step,
        nonzero_inputs_per_sample: nonzero as f64 / batch as f64,
        multiply_adds_per_s: steps_per_s * multiply_adds_per_step as f64,
    })
}

/// Where one training step's time goes, in µs per part (`step_parts`).
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct StepParts {
    /// Each input's samples, as bits, and their values (from each sample's listed non-zero inputs).
    pub index_us: f64,
    /// The first layer and the heads.
    pub forward_us: f64,
    /// The loss and its gradient with respect to the logits.
    pub loss_us: f64,
    /// The hidden units' gradients and the gradients of the heads and of the first layer's bias.
    pub backward_us: f64,
    /// The first layer's weight gradient.
    pub first_layer_us: f64,
    /// Adam over every parameter.
    pub adam_us: f64,
}

/// Where the reference workload's step (as `useful_work` times it) spends its time: the median
/// time in µs of each part of the fused step, each part timed alone (ten calls per clock reading),
/// for about `seconds` in all.
pub fn step_parts(hidden: usize, batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<StepParts, String> {
    cohort_step_parts(&[hidden], batch, seconds, now)
}

/// `step_parts` of a cohort: students of `widths` trained as one network (`FusedMlp::cohort`, the
/// lessons' batched step); one width is the single student's step.
pub fn cohort_step_parts(widths: &[usize], batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<StepParts, String> {
    use crate::student::fused::plans;
    let (mut mlp, rows, targets) = cohort_workload(widths, batch)?;
    let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 1.0), teacher: &targets, plan: None };
    let plan = plans(&objective);
    mlp.train_step(&rows, &objective);
    let mut time = |part: &mut dyn FnMut(&mut FusedMlp)| -> f64 {
        median_rate(seconds / 6.0, 10, now, || (0..10).for_each(|_| part(&mut mlp))).recip() * 1e6
    };
    Ok(StepParts {
        index_us: time(&mut |m| m.index_inputs(&rows)),
        forward_us: time(&mut |m| m.forward_indexed(&rows, plan)),
        loss_us: time(&mut |m| {
            m.output_gradients(&objective);
        }),
        backward_us: time(&mut |m| m.backward_heads(batch)),
        first_layer_us: time(&mut |m| m.first_layer_gradient()),
        adam_us: time(&mut |m| m.adam()),
    })
}

/// The useful work of a cohort's step (students of `widths` as one network, the lessons' batched
/// step) on the reference batch: its rate and the multiply-adds its members must do (the sum of
/// each member's count above).
pub fn cohort_useful_work(widths: &[usize], batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<UsefulWork, String> {
    let (mut mlp, rows, targets) = cohort_workload(widths, batch)?;
    let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 1.0), teacher: &targets, plan: None };
    let steps_per_s = median_rate(seconds, 10, now, || {
        for _ in 0..10 {
            mlp.train_cohort_step(&rows, &objective);
        }
    });
    let (observations, _) = four_rooms_batch(batch);
    let multiply_adds_per_step = widths.iter().map(|&h| step_multiply_adds(&observations, h)).sum();
    Ok(UsefulWork {
        steps_per_s,
        multiply_adds_per_step,
        nonzero_inputs_per_sample: observations.iter().filter(|&&x| x != 0.0).count() as f64 / batch as f64,
        multiply_adds_per_s: steps_per_s * multiply_adds_per_step as f64,
    })
}

/// A cohort of fresh students of `widths` (seeds 1, 2, …), the reference batch and its targets.
fn cohort_workload(widths: &[usize], batch: usize) -> Result<(FusedMlp, SparseRows, TeacherTargets), String> {
    if batch == 0 {
        return Err("batch must be at least 1".into());
    }
    let students = widths.iter().zip(1..).map(|(&h, seed)| Ok((h, Student::new(h, seed, 1e-3)?.tensors()))).collect::<Result<Vec<_>, String>>()?;
    let members: Vec<(usize, &[_])> = students.iter().map(|(h, t)| (*h, t.as_slice())).collect();
    let mlp = FusedMlp::cohort(&members, 1e-3)?;
    let (observations, targets) = four_rooms_batch(batch);
    Ok((mlp, SparseRows::from_dense(&observations), targets))
}

/// Soft targets (τ = 1) of a dense pool's rows `start..start + batch`.
fn dense_targets(pool: &DensePool, start: usize, batch: usize) -> TeacherTargets {
    let mut targets = TeacherTargets::with_capacity(batch);
    for row in pool.logits[start * NUM_ACTIONS..(start + batch) * NUM_ACTIONS].chunks_exact(NUM_ACTIONS) {
        let logits: [f32; NUM_ACTIONS] = std::array::from_fn(|a| row[a]);
        targets.push(&logits, &log_softmax(&logits, 1.0), argmax(&logits));
    }
    targets
}

/// The dense pool as TF.js gets it: observations, p_T and log p_T (τ = 1), row-major, and how its
/// batches are taken (`DensePool::batch_start`).
pub fn dense_data(inputs: usize, batch: usize) -> serde_json::Value {
    let pool = DensePool::new(inputs);
    let targets = dense_targets(&pool, 0, crate::bench::yardstick::POOL);
    serde_json::json!({
        "inputs": inputs, "pool": crate::bench::yardstick::POOL, "batch": batch,
        "observations": pool.observations, "probs": targets.probs, "logProbs": targets.log_probs,
    })
}

/// Training steps per second of the fused student 245 → `hidden` → 5 on dense inputs (`DensePool`,
/// no input zero), batches taken in turn as the yardstick takes them: the same work as the yardstick.
pub fn fused_dense_steps_per_second(hidden: usize, batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<f64, String> {
    if batch == 0 || batch > crate::bench::yardstick::POOL {
        return Err(format!("batch must be 1..={}", crate::bench::yardstick::POOL));
    }
    let mut student = Student::with_engine(hidden, 1, 1e-3, Engine::Fused)?;
    let pool = DensePool::new(OBS_LEN);
    let batches: Vec<(usize, TeacherTargets)> = (0..crate::bench::yardstick::POOL / batch)
        .map(|k| {
            let start = DensePool::batch_start(k, batch);
            (start, dense_targets(&pool, start, batch))
        })
        .collect();
    let mut k = 0;
    let mut rows = SparseRows::new();
    Ok(median_rate(seconds, 10, now, || {
        for _ in 0..10 {
            let (start, targets) = &batches[k % batches.len()];
            k += 1;
            let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 1.0), teacher: targets, plan: None };
            // Dense rows, as the yardstick takes them: the step lists their non-zero inputs (all 245).
            rows.clear();
            for observation in pool.observations[start * OBS_LEN..(start + batch) * OBS_LEN].chunks_exact(OBS_LEN) {
                rows.push_dense(observation);
            }
            student.train_step(&rows, &objective);
        }
    }))
}

/// Teacher labelling: the bundled network's logits on every cell of `maps` random maps drawn as the
/// training pool draws its maps (side 6–16, walls 0–35%, lava 0–6%), map by map (each map one batch
/// of all its cells, observations encoded on the way) as a pool is labelled. States per second.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Labelling {
    pub states_per_s: f64,
    pub states_per_pass: usize,
    pub maps: usize,
}

pub fn labelling_rate(teacher: &crate::teacher::NeuralTeacher, maps: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<Labelling, String> {
    use crate::env::maps::{random_map, RandomMapSpec};
    use crate::measure::heldout::all_observations;
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(15);
    let maps: Vec<_> = (0..maps.max(1))
        .map(|_| {
            let spec = RandomMapSpec { size: 6 + crate::env::pick(&mut rng, 11), wall_density: rng.gen_range(0.0..0.35), lava_density: rng.gen_range(0.0..0.06) };
            random_map(spec, rng.gen::<u64>() | (1 << 62)).map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    let states: usize = maps.iter().map(|m| m.cells().len()).sum();
    let states_per_s = median_rate(seconds, states, now, || {
        for map in &maps {
            let cells = map.cells().len();
            std::hint::black_box(teacher.logits(&all_observations(map), cells));
        }
    });
    Ok(Labelling { states_per_s, states_per_pass: states, maps: maps.len() })
}

/// Training steps per second of the dense yardstick `inputs` → `hidden` → 5.
pub fn yardstick_steps_per_second(inputs: usize, hidden: usize, batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<f64, String> {
    let mut yardstick = Yardstick::new(inputs, hidden, batch)?;
    Ok(median_rate(seconds, 10, now, || {
        for _ in 0..10 {
            yardstick.step();
        }
    }))
}

/// Greedy decisions per second of a 245 → `hidden` → 5 student, `batch` observations at a time.
pub fn decisions_per_second(hidden: usize, batch: usize, seconds: f64, now: &dyn Fn() -> f64) -> Result<f64, String> {
    let student = Student::new(hidden, 1, 1e-3)?;
    let (observations, _) = four_rooms_batch(batch);
    let mut actions = vec![0u8; batch];
    Ok(median_rate(seconds, batch, now, || {
        for (action, logits) in actions.iter_mut().zip(student.logits(&observations, batch).chunks_exact(NUM_ACTIONS)) {
            *action = argmax(logits) as u8;
        }
        std::hint::black_box(&actions);
    }))
}

/// The batch sizes and widths of the scaling table.
pub const SCALING_BATCHES: [usize; 6] = [1, 4, 16, 64, 256, 1024];
pub const SCALING_WIDTHS: [usize; 7] = [8, 16, 32, 64, 128, 256, 512];

/// Steps per second of the fused student for every (batch, width) of the scaling table, row by
/// row (one row per batch size), each cell timed for `seconds`.
pub fn scaling_table(seconds: f64, now: &dyn Fn() -> f64) -> Vec<Vec<f64>> {
    SCALING_BATCHES
        .iter()
        .map(|&batch| {
            SCALING_WIDTHS
                .iter()
                .map(|&hidden| student_steps_per_second(Engine::Fused, hidden, batch, seconds, now).expect("widths and batches of the table are valid"))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_count_past_32_bits() {
        crate::checks::bench_rates_count_past_32_bits();
    }

    #[test]
    fn rates_are_positive_and_a_bad_request_is_refused() {
        let clock = std::time::Instant::now();
        let now = move || clock.elapsed().as_secs_f64() * 1000.0;
        assert!(student_steps_per_second(Engine::Fused, 8, 4, 0.03, &now).unwrap() > 0.0);
        assert!(student_steps_per_second(Engine::Dfdx, 8, 4, 0.03, &now).unwrap() > 0.0);
        assert!(yardstick_steps_per_second(245, 8, 4, 0.03, &now).unwrap() > 0.0);
        assert!(decisions_per_second(8, 16, 0.03, &now).unwrap() > 0.0);
        assert!(student_steps_per_second(Engine::Fused, 48, 4, 0.03, &now).is_err());
        assert!(student_steps_per_second(Engine::Fused, 8, 0, 0.03, &now).is_err());
        // Every part of the step is timed, through the bench's named run too.
        let parts = crate::bench::run("step-parts", &serde_json::json!({"seconds": 0.06, "hidden": 8, "batch": 4}), &now).unwrap();
        for key in ["index_us", "forward_us", "loss_us", "backward_us", "first_layer_us", "adam_us"] {
            let us = parts[key].as_f64().unwrap_or(f64::NAN);
            assert!(us.is_finite() && us > 0.0, "{key}: {us}");
        }
        assert!(step_parts(8, 0, 0.03, &now).is_err());
    }
}

