//! Timed workloads shared by `distill bench` (native) and `npm run bench` (the same code in wasm):
//! the student's training step per engine, the dense yardstick, and batched greedy decisions.
//! The caller passes its clock (milliseconds), so the core stays free of platform timers.

use crate::env::maps::builtin;
use crate::env::observation::{encode, OBS_LEN};
use crate::env::NUM_ACTIONS;
use crate::student::loss::{argmax, log_softmax, LossKind, LossSpec, TeacherTargets};
use crate::student::{Engine, Objective, Student};
use crate::bench::yardstick::Yardstick;

/// Runs `work` (which does `chunk` units) repeatedly for about `seconds`, three times, and
/// returns the median rate in units per second.
pub fn median_rate(seconds: f64, chunk: usize, now: &dyn Fn() -> f64, mut work: impl FnMut()) -> f64 {
    work();
    let mut rates: Vec<f64> = (0..3)
        .map(|_| {
            let started = now();
            let mut done = 0usize;
            while now() - started < seconds * 1000.0 / 3.0 || done == 0 {
                work();
                done += chunk;
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
    let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 1.0), teacher: &targets, plan: None };
    Ok(median_rate(seconds, 10, now, || {
        for _ in 0..10 {
            student.train_step(&observations, &objective);
        }
    }))
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
    fn rates_are_positive_and_a_bad_request_is_refused() {
        let clock = std::time::Instant::now();
        let now = move || clock.elapsed().as_secs_f64() * 1000.0;
        assert!(student_steps_per_second(Engine::Fused, 8, 4, 0.03, &now).unwrap() > 0.0);
        assert!(student_steps_per_second(Engine::Dfdx, 8, 4, 0.03, &now).unwrap() > 0.0);
        assert!(yardstick_steps_per_second(245, 8, 4, 0.03, &now).unwrap() > 0.0);
        assert!(decisions_per_second(8, 16, 0.03, &now).unwrap() > 0.0);
        assert!(student_steps_per_second(Engine::Fused, 48, 4, 0.03, &now).is_err());
        assert!(student_steps_per_second(Engine::Fused, 8, 0, 0.03, &now).is_err());
    }
}
