//! The teacher-versus-student ledger: size, compute, measured latency, success and return on the
//! map shown and on held-out maps, agreement, KL, and the derived ability retained / compute used.

use crate::env::NUM_ACTIONS;
use crate::student::loss::{argmax, log_softmax};
use crate::measure::metrics::{self, noisy_rollouts, RolloutStats};
use crate::teacher::bundled::bundled_teacher;
use crate::env::GridMap;
use crate::measure::heldout::all_observations;
use crate::training::memo::HeldOutMap;
use crate::training::session::Session;
use crate::teacher::targets::TeacherKind;
use serde::Serialize;

/// Everything `evaluate()` returns. Fields that do not apply (a planner has no parameters) are null.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ledger {
    pub teacher: TeacherKind,
    pub step: u64,
    pub teacher_params: Option<usize>,
    pub student_params: usize,
    pub teacher_multiply_adds: Option<usize>,
    pub student_multiply_adds: usize,
    /// Median time of one decision (one observation through the network), in milliseconds.
    pub teacher_ms_per_decision: Option<f64>,
    pub student_ms_per_decision: Option<f64>,
    /// Argmax agreement on the map shown (decision cells).
    pub agreement: f32,
    /// Mean KL(p_T ‖ p_S) at τ = 1 over the map shown's decision cells.
    pub mean_kl: f32,
    /// The same mean KL with both distributions softened by the training temperature τ,
    /// KL(p_T^τ ‖ p_S^τ): what a `kl` loss at τ drives down (equal to `mean_kl` at τ = 1).
    pub mean_kl_at_tau: f32,
    /// Greedy episodes from every decision cell of the map shown.
    pub teacher_success: f32,
    pub student_success: f32,
    pub teacher_return: f32,
    pub student_return: f32,
    /// One episode from the start of each of the run seed's 200 held-out maps (greedy; the teacher
    /// with its noise ε).
    pub teacher_heldout_success: f32,
    pub student_heldout_success: f32,
    pub teacher_heldout_return: f32,
    pub student_heldout_return: f32,
    /// Student held-out success / teacher held-out success.
    pub retained: Option<f32>,
    /// Student multiply-adds / teacher multiply-adds per decision.
    pub compute_used: Option<f32>,
}

/// Evaluation episodes use their own seeded RNG so they never disturb training.
const EVAL_SEED: u64 = 0xe7a1;

fn teacher_rollouts(map: &GridMap, teacher_policy: &[usize], session: &Session, starts: &[usize], seed: u64) -> RolloutStats {
    noisy_rollouts(map, session.rules(), teacher_policy, starts, seed, session.settings().teacher_noise)
}

fn student_rollouts(map: &GridMap, observations: &[f32], session: &Session, starts: &[usize], seed: u64) -> RolloutStats {
    let policy: Vec<usize> = session.student().logits(observations, map.cells().len()).chunks_exact(NUM_ACTIONS).map(argmax).collect();
    metrics::greedy_rollouts(map, session.rules(), &policy, starts, seed)
}

fn start_cell(map: &GridMap) -> usize {
    let (x, y) = map.start();
    map.index(x, y)
}

impl Session {
    /// The held-out maps prepared for the current teacher settings (built once, then cached).
    fn heldout_data(&mut self) -> &[HeldOutMap] {
        if self.heldout.is_none() {
            self.heldout = Some(crate::training::memo::heldout_maps(self.settings()));
        }
        self.heldout.as_deref().expect("just built")
    }

    /// The full ledger. `clock` returns milliseconds (performance.now() in the browser,
    /// a monotonic clock natively); pass `None` to skip the latency measurement.
    pub fn ledger(&mut self, clock: Option<&dyn Fn() -> f64>) -> Ledger {
        let heldout_len = self.heldout_data().len();
        let (mut teacher_success, mut teacher_return, mut student_success, mut student_return) = (0.0, 0.0, 0.0, 0.0);
        let heldout = self.heldout.clone().expect("built above");
        for (i, held) in heldout.iter().enumerate() {
            let start = [start_cell(&held.map)];
            let t = metrics::noisy_rollouts_by(&held.map, self.rules(), |cell| held.teacher_action(cell), &start, EVAL_SEED + i as u64, self.settings().teacher_noise);
            let s = student_rollouts(&held.map, &all_observations(&held.map), self, &start, EVAL_SEED + i as u64);
            teacher_success += t.success / heldout_len as f32;
            teacher_return += t.mean_return / heldout_len as f32;
            student_success += s.success / heldout_len as f32;
            student_return += s.mean_return / heldout_len as f32;
        }
        let current = self.current();
        let cells = &current.decision_cells;
        let student_logits = self.student_logits(current);
        let choices: Vec<usize> = cells.iter().map(|&c| argmax(&student_logits[c])).collect();
        let best: Vec<Vec<usize>> = cells.iter().map(|&c| current.table.best(c)).collect();
        let teacher_log_probs: Vec<[f32; NUM_ACTIONS]> = cells.iter().map(|&c| current.table.log_probs(c, 1.0)).collect();
        let student_log_probs: Vec<[f32; NUM_ACTIONS]> = cells.iter().map(|&c| log_softmax(&student_logits[c], 1.0)).collect();
        let teacher_here = teacher_rollouts(&current.map, current.teacher_policy(), self, cells, EVAL_SEED);
        let student_here = student_rollouts(&current.map, &current.observations(), self, cells, EVAL_SEED);

        let uses_network = self.settings().teacher != TeacherKind::Oracle;
        let network = uses_network.then(bundled_teacher);
        let teacher_params = network.map(|n| n.param_count());
        let teacher_multiply_adds = network.map(|n| n.multiply_adds());
        let student = self.student();
        let (teacher_ms, student_ms) = match clock {
            Some(clock) => {
                let observation = current.observation(cells.first().copied().unwrap_or(0));
                let teacher_ms = network.map(|network| median_ms(clock, || drop(network.logits(&observation, 1))));
                (teacher_ms, Some(median_ms(clock, || drop(student.logits(&observation, 1)))))
            }
            None => (None, None),
        };
        Ledger {
            teacher: self.settings().teacher,
            step: self.step_count(),
            teacher_params,
            student_params: student.param_count(),
            teacher_multiply_adds,
            student_multiply_adds: student.multiply_adds(),
            teacher_ms_per_decision: teacher_ms,
            student_ms_per_decision: student_ms,
            agreement: metrics::agreement(&choices, &best),
            mean_kl: metrics::mean_kl(&teacher_log_probs, &student_log_probs),
            mean_kl_at_tau: {
                let tau = self.settings().temperature;
                let teacher: Vec<[f32; NUM_ACTIONS]> = cells.iter().map(|&c| current.table.log_probs(c, tau)).collect();
                let student: Vec<[f32; NUM_ACTIONS]> = cells.iter().map(|&c| log_softmax(&student_logits[c], tau)).collect();
                metrics::mean_kl(&teacher, &student)
            },
            teacher_success: teacher_here.success,
            student_success: student_here.success,
            teacher_return: teacher_here.mean_return,
            student_return: student_here.mean_return,
            teacher_heldout_success: teacher_success,
            student_heldout_success: student_success,
            teacher_heldout_return: teacher_return,
            student_heldout_return: student_return,
            retained: (teacher_success > 0.0).then(|| student_success / teacher_success),
            compute_used: teacher_multiply_adds.map(|t| student.multiply_adds() as f32 / t as f32),
        }
    }
}

/// Median over 9 rounds of the time per call, each round timing enough calls to last ~1 ms
/// (so coarse browser clocks still resolve it).
fn median_ms(clock: &dyn Fn() -> f64, mut call: impl FnMut()) -> f64 {
    call();
    let mut calls_per_round = 1usize;
    loop {
        let started = clock();
        for _ in 0..calls_per_round {
            call();
        }
        if clock() - started >= 1.0 || calls_per_round >= 1 << 16 {
            break;
        }
        calls_per_round *= 2;
    }
    let mut rounds: Vec<f64> = (0..9)
        .map(|_| {
            let started = clock();
            for _ in 0..calls_per_round {
                call();
            }
            (clock() - started) / calls_per_round as f64
        })
        .collect();
    rounds.sort_by(|a, b| a.total_cmp(b));
    rounds[4]
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    /// The student's greedy return from the start of the map shown.
    pub fn return_from_start(session: &Session) -> f32 {
        let data = session.current();
        student_rollouts(&data.map, &data.observations(), session, &[start_cell(&data.map)], 1).mean_return
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ledger_compares_teacher_and_student() {
        let mut session = Session::new(&json!({"map": "four-rooms", "hidden": 16})).unwrap();
        session.train(1500);
        let started = std::time::Instant::now();
        let clock = move || started.elapsed().as_secs_f64() * 1000.0;
        let ledger = session.ledger(Some(&clock));
        assert_eq!(ledger.teacher_params, Some(488_458));
        assert_eq!(ledger.student_params, 246 * 16 + 17 * 5);
        let compute = ledger.compute_used.unwrap();
        assert!((compute - (245.0 * 16.0 + 16.0 * 5.0) / (2.0 * (245.0 * 384.0 + 384.0 * 384.0 + 384.0 * 5.0))).abs() < 1e-6);
        assert!(ledger.teacher_ms_per_decision.unwrap() > ledger.student_ms_per_decision.unwrap());
        assert!(ledger.agreement > 0.8, "{ledger:?}");
        assert_eq!(ledger.teacher_success, 1.0);
        assert!(ledger.teacher_heldout_success > 0.8, "{ledger:?}");
        let retained = ledger.retained.unwrap();
        assert!((retained - ledger.student_heldout_success / ledger.teacher_heldout_success).abs() < 1e-6);
        let oracle = Session::new(&json!({"teacher": "oracle"})).unwrap().ledger(None);
        assert_eq!(oracle.teacher_params, None);
        assert_eq!(oracle.compute_used, None);
    }

    #[test]
    fn kl_at_the_training_temperature_matches_a_direct_computation() {
        // At τ = 1 the two are one measure.
        let mut one = Session::new(&json!({"map": "maze", "hidden": 8})).unwrap();
        one.train(200);
        let ledger = one.ledger(None);
        assert_eq!(ledger.mean_kl, ledger.mean_kl_at_tau);
        // At τ = 4: Σ_a p_T^τ(a) (ln p_T^τ(a) − ln p_S^τ(a)), averaged over decision cells, in f64
        // from the raw logits (softmax of logits/τ), independently of `log_softmax`/`mean_kl`.
        let mut hot = Session::new(&json!({"map": "maze", "hidden": 8, "temperature": 4.0})).unwrap();
        hot.train(200);
        let ledger = hot.ledger(None);
        let current = hot.current();
        let student = hot.student_logits(current);
        let softmax = |logits: &[f32; NUM_ACTIONS]| -> Vec<f64> {
            let z: Vec<f64> = logits.iter().map(|&l| l as f64 / 4.0).collect();
            let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
            z.iter().map(|v| (v - max).exp() / sum).collect()
        };
        let cells = &current.decision_cells;
        let expected: f64 = cells.iter().map(|&c| {
            let (p, q) = (softmax(&current.table.logits(c)), softmax(&student[c]));
            p.iter().zip(&q).map(|(p, q)| if *p > 0.0 { p * (p.ln() - q.ln()) } else { 0.0 }).sum::<f64>()
        }).sum::<f64>() / cells.len() as f64;
        assert!((ledger.mean_kl_at_tau as f64 - expected).abs() < 1e-4 * expected.max(1e-3), "{} vs {expected}", ledger.mean_kl_at_tau);
        assert!(ledger.mean_kl_at_tau < ledger.mean_kl, "softening brings the distributions together");
    }

    #[test]
    fn a_noisy_teacher_does_worse_and_the_ledger_shows_it() {
        let clean = Session::new(&json!({"map": "maze"})).unwrap().ledger(None);
        let noisy = Session::new(&json!({"map": "maze", "teacherNoise": 0.5})).unwrap().ledger(None);
        assert!(noisy.teacher_return < clean.teacher_return, "{} vs {}", noisy.teacher_return, clean.teacher_return);
    }
}
