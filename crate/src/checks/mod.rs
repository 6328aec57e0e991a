//! Checks of the crate's numbers that run in both places the crate runs: natively, as the
//! `#[test]`s of the modules they check, and in the browser, as `#[wasm_bindgen_test]`s in
//! `tests/web.rs` (Chromium, Firefox and WebKit) — one body each, so the wasm simd128 build that
//! people use is held to the same references as the native build. Each check panics with what
//! differs. Not part of the API (hidden from the docs); nothing in the page calls it, so the
//! linker leaves it out of the page's wasm.
//!
//! - [`fused_gradients_match_dfdx`]: every objective's gradient of the fused step against dfdx's
//!   autodiff (every loss, the hard/soft mix, the plan head, REINFORCE with and without kickstart);
//!   [`fused_adam_steps_match_dfdx`]: their Adam steps stay together.
//! - [`closed_form_gradients_match_dfdx`], [`plan_cross_entropy_matches_dfdx`]: `loss_grad`'s values
//!   and closed-form gradients against dfdx's autodiff, on random batches over τ, β, α and spread.
//! - [`teacher_sparse_inference_matches_dfdx`]: the bundled teacher's sparse inference against the
//!   same weights run densely through dfdx.
//! - [`losses_match_hand_worked_values`], [`losses_match_the_f64_reference`],
//!   [`loss_gradients_match_finite_differences`], [`kl_gradient_has_its_closed_form`],
//!   [`zero_teacher_probability_stays_finite`]: the dfdx losses against hand-worked values, the f64
//!   reference (`student::loss::reference`) and its central differences.
//! - [`dfdx_matmul_accumulates`]: dfdx's CPU matmul regression guard (its `cpu` feature).
//! - [`bench_rates_count_past_32_bits`]: the bench's rates count past 2³² units of work.
//! - [`seeded_run`]: one seeded training run's figures against the committed fixture, with the
//!   cross-platform tolerance and why it is what it is.

pub mod seeded_run;

use crate::env::NUM_ACTIONS;
use crate::student::loss::{argmax, distill_loss, log_softmax, loss_gradient, loss_value, reference, softmax, LossKind, LossSpec, TeacherTargets};
use crate::student::loss_grad::{add_distill, add_plan};
use crate::student::{Engine, Objective, SparseRows, Student, PLAN_STEPS};
use crate::NamedChoice;
use dfdx::prelude::*;
use rand::{rngs::StdRng, Rng, SeedableRng};

const A: usize = NUM_ACTIONS;

// ---------------------------------------------------------------------------------------------
// The fused step against dfdx.

/// A batch of real observations (sparse one-hot cells) from a built-in map, with random teacher
/// targets (τ = 2), advantage-weighted actions (τ = 1) and one-hot plans.
pub fn batch_from_map(batch: usize, seed: u64) -> (Vec<f32>, TeacherTargets, TeacherTargets, Vec<f32>) {
    let map = crate::env::maps::builtin(crate::env::maps::MapName::FourRooms, 1).unwrap();
    let cells = map.decision_cells();
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut observations, mut plans) = (Vec::new(), Vec::new());
    let (mut teacher, mut weighted) = (TeacherTargets::with_capacity(batch), TeacherTargets::with_capacity(batch));
    for _ in 0..batch {
        let cell = cells[crate::env::pick(&mut rng, cells.len())];
        observations.extend(crate::env::observation::encode(&map, cell));
        let logits: [f32; A] = std::array::from_fn(|_| rng.gen_range(-4.0..4.0));
        let action = crate::env::pick(&mut rng, A);
        teacher.push(&logits, &log_softmax(&logits, 2.0), argmax(&logits));
        weighted.push_weighted(&logits, &log_softmax(&logits, 1.0), action, rng.gen_range(-1.5..1.5));
        for _ in 0..PLAN_STEPS {
            let pick = crate::env::pick(&mut rng, A);
            plans.extend((0..A).map(|a| if a == pick { 1.0f32 } else { 0.0 }));
        }
    }
    (observations, teacher, weighted, plans)
}

/// Every objective's loss and gradient of the fused step equal dfdx's autodiff on the same weights
/// (widths 4, 8 and 64; every loss at τ = 2, a JSD/hard mix with the plan head, REINFORCE with and
/// without kickstart), and both engines give the same logits. Tolerance: 1e-5 absolute plus 1e-4 of
/// the tensor's largest gradient (the two sum the batch in different orders).
pub fn fused_gradients_match_dfdx() {
    for hidden in [4, 8, 64] {
        let (observations, teacher, weighted, plans) = batch_from_map(19, hidden as u64);
        let rows = SparseRows::from_dense(&observations);
        let mut objectives: Vec<(String, Objective)> = Vec::new();
        for &kind in LossKind::ALL {
            let spec = LossSpec::new(kind, 2.0);
            objectives.push((kind.to_string(), Objective::Distill { spec, teacher: &teacher, plan: None }));
        }
        let mixed = LossSpec { alpha: 0.4, beta: 0.3, ..LossSpec::new(LossKind::Jsd, 2.0) };
        objectives.push(("jsd α 0.4 β 0.3 + plan".into(), Objective::Distill { spec: mixed, teacher: &teacher, plan: Some((&plans, 0.7)) }));
        objectives.push(("reinforce + kickstart".into(), Objective::PolicyGradient { weighted_actions: &weighted, teacher: &teacher, kickstart: 0.5 }));
        objectives.push(("reinforce".into(), Objective::PolicyGradient { weighted_actions: &weighted, teacher: &teacher, kickstart: 0.0 }));
        for (what, objective) in &objectives {
            let mut reference = Student::with_engine(hidden, 7, 1e-3, Engine::Dfdx).unwrap();
            let mut fused = Student::with_engine(hidden, 7, 1e-3, Engine::Fused).unwrap();
            assert_eq!(reference.tensors(), fused.tensors(), "both engines start from dfdx's init");
            // A few steps first, so every unit and head is in play, then compare on the same weights.
            for _ in 0..3 {
                reference.train_step(&rows, objective);
            }
            fused.load_tensors(&reference.tensors()).unwrap();
            let (want_loss, want) = reference.gradients(&rows, objective);
            let (loss, got) = fused.gradients(&rows, objective);
            assert!((loss - want_loss).abs() <= 1e-5 * (1.0 + want_loss.abs()), "H={hidden} {what}: loss {loss} vs dfdx {want_loss}");
            assert_eq!(got.len(), want.len(), "H={hidden} {what}: tensors");
            for ((name, shape, g), (want_name, want_shape, w)) in got.iter().zip(&want) {
                assert_eq!((name, shape), (want_name, want_shape), "H={hidden} {what}: the engines name their tensors alike");
                let scale = w.iter().fold(0.0f32, |m, v| m.max(v.abs()));
                for (i, (a, b)) in g.iter().zip(w).enumerate() {
                    assert!((a - b).abs() <= 1e-5 + 1e-4 * scale, "H={hidden} {what}: {name}[{i}] fused {a} vs dfdx {b}");
                }
            }
            // And the logits the two engines act on agree.
            let (a, b) = (reference.logits(&observations, 19), fused.logits(&observations, 19));
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-4), "H={hidden}: logits differ");
            let (a, b) = (reference.plan_logits(&observations, 19), fused.plan_logits(&observations, 19));
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-4), "H={hidden}: plan logits differ");
        }
    }
}

/// Twenty Adam steps from the same weights on the same batch: the engines' losses and weights stay
/// together (float sums run in another order, so equal to a tolerance, not bit for bit).
pub fn fused_adam_steps_match_dfdx() {
    let (observations, teacher, _, _) = batch_from_map(32, 2);
    let rows = SparseRows::from_dense(&observations);
    let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 1.0), teacher: &teacher, plan: None };
    let mut reference = Student::with_engine(16, 3, 1e-3, Engine::Dfdx).unwrap();
    let mut fused = Student::with_engine(16, 3, 1e-3, Engine::Fused).unwrap();
    for step in 0..20 {
        let (a, b) = (reference.train_step(&rows, &objective), fused.train_step(&rows, &objective));
        assert!((a - b).abs() < 1e-4 * (1.0 + a.abs()), "step {step}: loss {a} vs {b}");
    }
    let start = Student::new(16, 3, 1e-3).unwrap().tensors();
    let moved: f32 = reference.tensors()[0].2.iter().zip(&start[0].2).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    assert!(moved > 5e-3, "training moved the weights ({moved})");
    for ((name, _, a), (_, _, b)) in reference.tensors().iter().zip(&fused.tensors()) {
        let worst = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
        assert!(worst < 2e-4, "{name}: weights drifted apart by {worst}");
    }
}

// ---------------------------------------------------------------------------------------------
// The closed-form loss gradients against dfdx.

/// A random batch of student logits and teacher targets (at τ, logits in ±`spread`, advantages in ±2).
pub fn random_batch(rng: &mut StdRng, batch: usize, tau: f32, spread: f32) -> (Vec<f32>, TeacherTargets) {
    let mut teacher = TeacherTargets::with_capacity(batch);
    let mut student = Vec::new();
    for _ in 0..batch {
        let t: [f32; A] = std::array::from_fn(|_| rng.gen_range(-spread..spread));
        let action = crate::env::pick(rng, A);
        teacher.push_weighted(&t, &log_softmax(&t, tau), action, rng.gen_range(-2.0..2.0));
        student.extend((0..A).map(|_| rng.gen_range(-3.0f32..3.0)));
    }
    (student, teacher)
}

/// dfdx's value and gradient of `loss::distill_loss` for a batch of logits.
fn dfdx_value_and_grad(spec: &LossSpec, logits: &[f32], teacher: &TeacherTargets) -> (f32, Vec<f32>) {
    let dev = Cpu::default();
    let s = dev.tensor_from_vec(logits.to_vec(), (teacher.len(), Const::<A>));
    let loss = distill_loss(&dev, spec, s.leaky_trace(), teacher);
    let value = loss.array();
    (value, loss.backward().get(&s).as_vec())
}

/// Equal to 2e-5 absolute plus 2e-4 relative: f32 values and gradients computed in another order.
pub fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 2e-5 + 2e-4 * b.abs().max(a.abs())
}

/// Every loss's value and closed-form gradient (`loss_grad::add_distill`) equal dfdx's autodiff,
/// over τ ∈ {0.1 … 10}, JSD β ∈ {0.1, 0.5, 0.9}, a hard/soft mix α = 0.3, and logits spread ±0.5,
/// ±6 and ±200 (saturated softmaxes).
pub fn closed_form_gradients_match_dfdx() {
    let mut rng = StdRng::seed_from_u64(11);
    for &kind in LossKind::ALL {
        for tau in [0.1f32, 0.5, 1.0, 3.0, 10.0] {
            for (beta, alpha) in [(0.5, 1.0), (0.1, 1.0), (0.9, 1.0), (0.5, 0.3)] {
                for spread in [0.5f32, 6.0, 200.0] {
                    let spec = LossSpec { beta, alpha, ..LossSpec::new(kind, tau) };
                    let (logits, teacher) = random_batch(&mut rng, 17, tau, spread);
                    let (want_value, want_grad) = dfdx_value_and_grad(&spec, &logits, &teacher);
                    let mut grad = vec![0.0; logits.len()];
                    let value = add_distill(&spec, &logits, &teacher, 1.0, &mut grad);
                    let what = format!("{kind} τ={tau} β={beta} α={alpha} spread={spread}");
                    assert!(close(value, want_value), "{what}: value {value} vs dfdx {want_value}");
                    for (i, (g, w)) in grad.iter().zip(&want_grad).enumerate() {
                        assert!(close(*g, *w), "{what}: gradient [{i}] {g} vs dfdx {w}");
                    }
                }
            }
        }
    }
}

/// The plan head's cross-entropy: a hand-worked case, and value and gradient against dfdx's autodiff.
pub fn plan_cross_entropy_matches_dfdx() {
    // Hand-worked: uniform logits, so each step's cross-entropy is log 5 whatever the target.
    let targets: Vec<f32> = (0..PLAN_STEPS * A).map(|i| if i % A == i / A % A { 1.0 } else { 0.0 }).collect();
    let mut grad = vec![0.0; targets.len()];
    let value = add_plan(&vec![0.0; targets.len()], &targets, 1.0, &mut grad);
    assert!((value - 5f32.ln()).abs() < 1e-6);
    // ∂/∂s = (0.2 − y)/4 for the one sample of 4 steps.
    assert!((grad[0] - (0.2 - 1.0) / 4.0).abs() < 1e-6 && (grad[1] - 0.2 / 4.0).abs() < 1e-6);
    // Against dfdx's autodiff on random logits, as the dfdx student computes it.
    let mut rng = StdRng::seed_from_u64(5);
    let batch = 6;
    let logits: Vec<f32> = (0..batch * PLAN_STEPS * A).map(|_| rng.gen_range(-4.0..4.0)).collect();
    let targets: Vec<f32> = (0..batch * PLAN_STEPS)
        .flat_map(|_| {
            let pick = crate::env::pick(&mut rng, A);
            (0..A).map(move |a| if a == pick { 1.0 } else { 0.0 })
        })
        .collect();
    let dev = Cpu::default();
    let s = dev.tensor_from_vec(logits.clone(), (batch, Const::<PLAN_STEPS>, Const::<A>));
    let y = dev.tensor_from_vec(targets.clone(), (batch, Const::<PLAN_STEPS>, Const::<A>));
    let loss = (s.leaky_trace().log_softmax::<Axis<2>>() * y).sum::<(usize, Const<PLAN_STEPS>), _>().mean().negate() * 0.7;
    let want = loss.array();
    let want_grad = loss.backward().get(&s).as_vec();
    let mut grad = vec![0.0; logits.len()];
    let value = add_plan(&logits, &targets, 0.7, &mut grad);
    assert!(close(value, want), "{value} vs {want}");
    for (i, (a, b)) in grad.iter().zip(&want_grad).enumerate() {
        assert!(close(*a, *b), "plan gradient [{i}] {a} vs dfdx {b}");
    }
}

// ---------------------------------------------------------------------------------------------
// The teacher's sparse inference against dfdx.

/// The bundled teacher's sparse inference (what labels every map) gives dfdx's dense logits on
/// every cell of two maps, within 1e-3 (hidden sums of 384 terms taken in another order; the
/// logits reach ±10). Needs the bundled teacher compiled in (`embedded-teacher`, on by default).
#[cfg(feature = "embedded-teacher")]
pub fn teacher_sparse_inference_matches_dfdx() {
    let teacher = crate::teacher::network::NeuralTeacher::bundled().unwrap();
    for (name, variant) in [(crate::env::maps::MapName::FourRooms, 1), (crate::env::maps::MapName::Maze, 2)] {
        let map = crate::env::maps::builtin(name, variant).unwrap();
        let observations = crate::measure::heldout::all_observations(&map);
        let cells = map.cells().len();
        assert_eq!(observations.len(), cells * crate::env::observation::OBS_LEN);
        let sparse = teacher.logits(&observations, cells);
        let dense = teacher.dense_logits(&observations, cells);
        assert_eq!(sparse.len(), dense.len());
        let worst = sparse.iter().zip(&dense).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst < 1e-3, "{name}: sparse and dfdx teacher logits differ by {worst}");
        assert!(dense.iter().any(|v| v.abs() > 1.0), "{name}: a trained teacher's logits are not all near 0");
        // The same greedy action wherever the teacher's top two logits are not within the tolerance.
        for (cell, (s, d)) in sparse.chunks_exact(A).zip(dense.chunks_exact(A)).enumerate() {
            let mut sorted = d.to_vec();
            sorted.sort_by(|a, b| b.total_cmp(a));
            if sorted[0] - sorted[1] > 2e-3 {
                assert_eq!(argmax(s), argmax(d), "{name} cell {cell}: greedy actions differ");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The losses against hand-worked values and the f64 reference.

/// (teacher, student) logits the loss checks use.
pub const LOSS_CASES: [([f32; 5], [f32; 5]); 4] = [
    ([2.0, -1.0, 0.5, 0.0, 1.0], [0.3, 0.1, -0.2, 0.8, -0.5]),
    ([10.0, 9.5, -3.0, 0.0, 4.0], [-1.0, 2.0, 0.0, 0.5, 1.5]),
    ([0.0; 5], [1.0, -1.0, 2.0, -2.0, 0.0]),
    ([-0.5, 3.0, 3.0, -2.0, 1.0], [0.0, 0.4, 0.1, -0.3, 0.2]),
];
pub const LOSS_TEMPERATURES: [f32; 4] = [0.3, 1.0, 2.5, 5.0];
/// (β, α) pairs: plain losses, other JSD weights, and hard/soft mixes.
pub const LOSS_VARIANTS: [(f32, f32); 4] = [(0.5, 1.0), (0.1, 1.0), (0.9, 1.0), (0.5, 0.3)];

fn as_f64(v: &[f32; 5]) -> Vec<f64> {
    v.iter().map(|x| *x as f64).collect()
}

fn spec(kind: LossKind, tau: f32) -> LossSpec {
    LossSpec::new(kind, tau)
}

/// Values worked by hand: log 5, zeros on identical logits, 11, a KL in closed form, log 2, a mix.
pub fn losses_match_hand_worked_values() {
    // Uniform student (all logits 0): hard = log 5 whatever the teacher.
    let hard = loss_value(&spec(LossKind::Hard, 1.0), &[3.0, 0.0, 0.0, 0.0, 0.0], &[0.0; 5]);
    assert!((hard - 5f32.ln()).abs() < 1e-6);
    // Identical logits: KL in both directions and JSD are 0.
    let z = [1.0, 2.0, 3.0, 4.0, 5.0];
    assert!(loss_value(&spec(LossKind::Kl, 2.0), &z, &z).abs() < 1e-6);
    assert!(loss_value(&spec(LossKind::ReverseKl, 0.5), &z, &z).abs() < 1e-6);
    assert!(loss_value(&spec(LossKind::Jsd, 1.5), &z, &z).abs() < 1e-6);
    // mse: student 0, teacher (1,2,3,4,5): (1+4+9+16+25)/5 = 11.
    assert!((loss_value(&spec(LossKind::Mse, 1.0), &z, &[0.0; 5]) - 11.0).abs() < 1e-5);
    // KL from a uniform teacher to a student with p = (e,1,1,1,1)/(e+4) at τ = 1:
    // Σ 0.2·(log 0.2 − log p_a) = log 0.2 + log(e+4) − 0.2.
    let want = (0.2f64).ln() + (std::f64::consts::E + 4.0).ln() - 0.2;
    let got = loss_value(&spec(LossKind::Kl, 1.0), &[0.0; 5], &[1.0, 0.0, 0.0, 0.0, 0.0]);
    assert!((got as f64 - want).abs() < 1e-5, "{got} vs {want}");
    // JSD (β = ½) between two disjoint-ish one-hots approaches log 2 (scaled by τ² = 1).
    let far = loss_value(&spec(LossKind::Jsd, 1.0), &[60.0, 0.0, 0.0, 0.0, 0.0], &[0.0, 60.0, 0.0, 0.0, 0.0]);
    assert!((far - 2f32.ln()).abs() < 1e-4, "{far}");
    // α = 0.25 of kl plus 0.75 of hard.
    let mixed = LossSpec { alpha: 0.25, ..spec(LossKind::Kl, 2.0) };
    let (t, s) = LOSS_CASES[0];
    let want = 0.25 * loss_value(&spec(LossKind::Kl, 2.0), &t, &s) + 0.75 * loss_value(&spec(LossKind::Hard, 2.0), &t, &s);
    assert!((loss_value(&mixed, &t, &s) - want).abs() < 1e-5);
}

/// Every loss (dfdx, f32) equals the f64 reference within 1e-4 relative, over τ, β, α and cases.
pub fn losses_match_the_f64_reference() {
    for &kind in LossKind::ALL {
        for tau in LOSS_TEMPERATURES {
            for (beta, alpha) in LOSS_VARIANTS {
                for (teacher, student) in LOSS_CASES {
                    let spec = LossSpec { beta, alpha, ..spec(kind, tau) };
                    let got = loss_value(&spec, &teacher, &student) as f64;
                    let want = reference::loss(kind, tau as f64, beta as f64, alpha as f64, &as_f64(&teacher), &as_f64(&student));
                    assert!((got - want).abs() < 1e-4 * (1.0 + want.abs()), "{kind} τ={tau} β={beta} α={alpha}: {got} vs {want}");
                }
            }
        }
    }
}

/// dfdx's autodiff gradient of every loss equals central differences of the f64 reference (an
/// independent computation of the gradient), within 1e-3 relative.
pub fn loss_gradients_match_finite_differences() {
    let h = 1e-5;
    for &kind in LossKind::ALL {
        for tau in LOSS_TEMPERATURES {
            for (beta, alpha) in LOSS_VARIANTS {
                for (teacher, student) in LOSS_CASES {
                    let spec = LossSpec { beta, alpha, ..spec(kind, tau) };
                    let grad = loss_gradient(&spec, &teacher, &student);
                    let t = as_f64(&teacher);
                    let f = |s: &[f64]| reference::loss(kind, tau as f64, beta as f64, alpha as f64, &t, s);
                    for a in 0..5 {
                        let mut up = as_f64(&student);
                        let mut down = up.clone();
                        up[a] += h;
                        down[a] -= h;
                        let numeric = (f(&up) - f(&down)) / (2.0 * h);
                        assert!(
                            (grad[a] as f64 - numeric).abs() < 1e-3 * (1.0 + numeric.abs()),
                            "{kind} τ={tau} β={beta} α={alpha} action {a}: autodiff {} vs finite difference {numeric}",
                            grad[a]
                        );
                    }
                }
            }
        }
    }
}

/// d/ds τ²·KL(p_T^τ ‖ p_S^τ) = τ·(p_S^τ − p_T^τ) (Hinton et al. 2015, §2.1).
pub fn kl_gradient_has_its_closed_form() {
    let (teacher, student) = LOSS_CASES[0];
    let tau = 2.5;
    let grad = loss_gradient(&spec(LossKind::Kl, tau), &teacher, &student);
    let (ps, pt) = (softmax(&student, tau), softmax(&teacher, tau));
    for a in 0..5 {
        assert!((grad[a] - tau * (ps[a] - pt[a])).abs() < 1e-5, "action {a}: {} vs {}", grad[a], tau * (ps[a] - pt[a]));
    }
}

/// Teacher logits so far apart that p_T^τ underflows to exactly 0 in f32 for four actions: every
/// loss's value and gradient stay finite.
pub fn zero_teacher_probability_stays_finite() {
    let teacher = [0.0, -1.0e4, -1.0e4, -1.0e4, -1.0e4];
    assert_eq!(softmax(&teacher, 0.1)[1], 0.0);
    let student = [0.5, 0.1, -0.2, 0.3, 0.0];
    for &kind in LossKind::ALL {
        let spec = spec(kind, 0.1);
        let value = loss_value(&spec, &teacher, &student);
        let grad = loss_gradient(&spec, &teacher, &student);
        assert!(value.is_finite() && grad.iter().all(|g| g.is_finite()), "{kind}: {value} {grad:?}");
    }
}

/// Regression guard: without dfdx's `cpu` feature the CPU matmul overwrites instead of
/// accumulating and gives wrong products.
pub fn dfdx_matmul_accumulates() {
    let dev = Cpu::default();
    let a = dev.tensor([[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    let b = dev.tensor([[1.0f32, 0.5], [-1.0, 2.0], [0.0, 1.0]]);
    assert_eq!(a.matmul(b).array(), [[-1.0, 7.5], [-1.0, 18.0]]);
}

// ---------------------------------------------------------------------------------------------
// The bench's own arithmetic.

/// `bench::workloads::median_rate` counts work past 2³² units (a `usize` is 32 bits in wasm): on a
/// clock that advances 1 ms per reading, each stretch calls the work twice in 4 ms, so the rate is
/// exactly 2·chunk / 4 ms, with 2·chunk > 2³².
pub fn bench_rates_count_past_32_bits() {
    let clock = std::cell::Cell::new(0.0f64);
    let now = || {
        clock.set(clock.get() + 1.0);
        clock.get()
    };
    let chunk: usize = 3 << 30;
    let rate = crate::bench::workloads::median_rate(0.009, chunk, &now, || {});
    let want = 2.0 * chunk as f64 / 0.004;
    assert!((rate - want).abs() <= 1e-9 * want, "median_rate gave {rate}, not {want}: the count wrapped");
}
