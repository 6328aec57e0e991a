//! wasm-bindgen-test suite, run in headless browsers: the JS API as a page uses it, the real
//! wasm, a real canvas. (Run by `npm test`; compiled only for wasm32.)
#![cfg(target_arch = "wasm32")]

use distill_playground::web::{loss_value, scenarios, Playground};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn config(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

fn field(object: &JsValue, name: &str) -> f64 {
    Reflect::get(object, &JsValue::from_str(name)).unwrap().as_f64().unwrap_or_else(|| panic!("field {name} is not a number"))
}

fn error_text<E: Into<JsValue>>(result: Result<impl Sized, E>) -> String {
    let error: JsValue = result.err().expect("expected an error").into();
    let error: js_sys::Error = error.dyn_into().expect("a JS Error");
    String::from(error.message())
}

#[wasm_bindgen_test]
fn trains_and_agreement_rises() {
    let mut playground = Playground::new(config(&[("map", "four-rooms".into()), ("seed", 3.into())])).unwrap();
    let start = playground.train(0.0).unwrap();
    assert_eq!(field(&start, "step"), 0.0);
    let early = field(&start, "agreement");
    let mut report = start;
    for _ in 0..20 {
        report = playground.train(100.0).unwrap();
        if field(&report, "agreement") >= 0.95 {
            break;
        }
    }
    assert!(field(&report, "agreement") >= 0.95, "agreement {} → {}", early, field(&report, "agreement"));
    assert!(field(&report, "loss").is_finite());
    let evaluation = playground.evaluate();
    assert_eq!(field(&evaluation, "teacherSuccess"), 1.0);
    assert!(field(&evaluation, "studentSuccess") >= 0.9);
    assert!(field(&evaluation, "meanKl") >= 0.0);
}

#[wasm_bindgen_test]
fn same_seed_gives_the_same_run_in_the_browser() {
    let run = || {
        let mut playground = Playground::new(config(&[("map", "maze".into()), ("seed", 5.into()), ("hidden", 16.into())])).unwrap();
        playground.train(30.0).unwrap();
        field(&playground.train(30.0).unwrap(), "loss")
    };
    assert_eq!(run(), run());
}

#[wasm_bindgen_test]
fn temperature_flattens_the_teacher_without_reset() {
    let mut playground = Playground::new(JsValue::UNDEFINED).unwrap();
    playground.train(10.0).unwrap();
    let entropy = |p: Vec<f32>| -> f32 { -p.iter().filter(|v| **v > 0.0).map(|v| v * v.ln()).sum::<f32>() };
    let cold = entropy(playground.probs("teacher", 1.0, 1.0, None).unwrap());
    playground.set(config(&[("temperature", 6.0.into())])).unwrap();
    let hot = entropy(playground.probs("teacher", 1.0, 1.0, None).unwrap());
    assert!(hot > cold + 0.1, "entropy {cold} → {hot}");
    let student = playground.probs("student", 1.0, 1.0, None).unwrap();
    assert_eq!(student.len(), 5);
    assert!((student.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    assert_eq!(field(&playground.train(0.0).unwrap(), "step"), 10.0, "temperature must apply live");
    playground.set(config(&[("hidden", 8.into())])).unwrap();
    assert_eq!(field(&playground.train(0.0).unwrap(), "step"), 0.0, "a new width resets");
}

#[wasm_bindgen_test]
fn bad_input_throws_errors_that_name_the_field() {
    let message = error_text(Playground::new(config(&[("temperature", "hot".into())])));
    assert!(message.contains("temperature"), "{message}");
    let message = error_text(Playground::new(config(&[("bogus", 1.into())])));
    assert!(message.contains("bogus"), "{message}");
    let mut playground = Playground::new(JsValue::UNDEFINED).unwrap();
    let before = playground.config();
    let message = error_text(playground.set(config(&[("lr", 0.01.into()), ("loss", "l3".into())])));
    assert!(message.contains("loss"), "{message}");
    assert_eq!(field(&playground.config(), "lr"), field(&before, "lr"), "a rejected update changed lr");
    let message = error_text(playground.probs("student", 11.0, 0.0, None));
    assert!(message.contains("outside"), "{message}");
    let message = error_text(playground.probs("critic", 0.0, 0.0, None));
    assert!(message.contains("teacher"), "{message}");
}

#[wasm_bindgen_test]
fn loss_value_matches_a_hand_computation() {
    // Uniform student: hard loss is log 5. mse of (1..5) against 0 is 11.
    let hard = loss_value("hard", 1.0, vec![3.0, 0.0, 0.0, 0.0, 0.0], vec![0.0; 5], None, None).unwrap();
    assert!((hard - 5f32.ln()).abs() < 1e-6);
    let mse = loss_value("mse", 1.0, vec![1.0, 2.0, 3.0, 4.0, 5.0], vec![0.0; 5], None, None).unwrap();
    assert!((mse - 11.0).abs() < 1e-5);
    assert!(error_text(loss_value("kl", 1.0, vec![0.0; 4], vec![0.0; 5], None, None)).contains("5 entries"));
}

#[wasm_bindgen_test]
fn render_draws_into_a_real_canvas() {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(220);
    canvas.set_height(220);
    let mut playground = Playground::new(config(&[("map", "cliff".into())])).unwrap();
    playground.train(20.0).unwrap();
    playground.render(&canvas, config(&[("showTeacher", true.into())])).unwrap();
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let pixels = context.get_image_data(0.0, 0.0, 220.0, 220.0).unwrap().data().0;
    let mut colours = std::collections::HashSet::new();
    for rgba in pixels.chunks_exact(4) {
        colours.insert((rgba[0], rgba[1], rgba[2], rgba[3]));
    }
    assert!(colours.len() > 5, "only {} distinct colours: the canvas is blank", colours.len());
    // Lava's colour (#d55e00) appears: the cliff's bottom row was drawn.
    assert!(colours.contains(&(0xd5, 0x5e, 0x00, 0xff)), "no lava pixels");
}

#[wasm_bindgen_test]
fn plan_head_data_sources_and_scenarios_work_in_the_browser() {
    let mut playground = Playground::new(config(&[("data", "student".into()), ("planWeight", 1.0.into()), ("teacher", "oracle".into())])).unwrap();
    playground.train(100.0).unwrap();
    let pipeline = playground.pipeline();
    assert_eq!(field(&pipeline, "logged"), 800.0);
    assert_eq!(field(&pipeline, "consumed"), 6400.0);
    let plans = playground.plans(1.0, 1.0).unwrap();
    let teacher = js_sys::Array::from(&Reflect::get(&plans, &"teacher".into()).unwrap());
    assert_eq!(teacher.length(), 4);
    let visits = playground.visits();
    assert_eq!(visits.iter().map(|v| *v as f64).sum::<f64>(), 800.0);
    let all = js_sys::Array::from(&scenarios());
    assert!(all.length() >= 6);
    playground.set(config(&[("phase", "finetune".into()), ("kickstart", 1.0.into())])).unwrap();
    let report = playground.train(3.0).unwrap();
    assert_eq!(field(&report, "step"), 103.0);
    assert!(field(&report, "loss").is_finite());
    let jsd = loss_value("jsd", 1.0, vec![60.0, 0.0, 0.0, 0.0, 0.0], vec![0.0, 60.0, 0.0, 0.0, 0.0], Some(0.5), None).unwrap();
    assert!((jsd - 2f32.ln()).abs() < 1e-4);
}

/// Soak: settings change every 1,000 steps (loss, τ, map edits, width); no panic, finite reports,
/// and wasm memory flat after two warm-up cycles (every width and map allocated, the allocator
/// settled). `npm test` runs 4 cycles (32,000 steps); `bash scripts/soak.sh` builds this test with
/// SOAK_CHANGES=200 (200,000 steps).
#[wasm_bindgen_test]
fn soak_keeps_memory_flat_and_reports_finite() {
    use distill_playground::training::session::Session;
    use distill_playground::bench::soak::{self, CHANGES_PER_CYCLE};
    const WARM_UP_CYCLES: u64 = 2;
    let changes: u64 = option_env!("SOAK_CHANGES").and_then(|v| v.parse().ok()).unwrap_or(4 * CHANGES_PER_CYCLE);
    assert!(changes > WARM_UP_CYCLES * CHANGES_PER_CYCLE, "the soak must run past its warm-up");
    let memory_bytes = || {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().dyn_into().unwrap();
        memory.buffer().dyn_into::<js_sys::ArrayBuffer>().unwrap().byte_length() as f64
    };
    let mut session = Session::new(&serde_json::json!({"map": "four-rooms"})).unwrap();
    let mut at_cycle_ends = Vec::new();
    let report = soak::run(&mut session, changes, |round, _| {
        if (round + 1) % CHANGES_PER_CYCLE == 0 {
            at_cycle_ends.push(memory_bytes());
        }
    })
    .unwrap();
    let after_warm_up = at_cycle_ends[WARM_UP_CYCLES as usize - 1];
    let growth = memory_bytes() - after_warm_up;
    web_sys::console::log_1(&format!("soak: {} steps, {} changes, {} divergences, memory at cycle ends {at_cycle_ends:?}", report.steps, report.changes, report.divergences).into());
    assert_eq!(report.divergences, 0);
    assert_eq!(growth, 0.0, "wasm memory grew by {growth} bytes after the warm-up ({at_cycle_ends:?})");
}

#[wasm_bindgen_test]
fn a_pools_labels_cross_between_workers_and_bad_shares_are_refused() {
    use distill_playground::web::{import_pool_labels, pool_labels};
    // Labels of maps 3..5 of the 16-map pool of seed 9, imported back: accepted as they are.
    let share = pool_labels(16.0, 9.0, 3.0, 5.0).unwrap();
    assert!(!share.is_empty() && share.len() % 5 == 0 && share.iter().all(|x| x.is_finite()));
    import_pool_labels(16.0, 9.0, 3.0, 5.0, &share).unwrap();
    // The same labels for another share (a different number of cells) or cut short: refused, named.
    assert!(error_text(import_pool_labels(16.0, 9.0, 3.0, 5.0, &share[1..])).contains("logits"));
    assert!(error_text(pool_labels(16.0, 9.0, 5.0, 3.0)).contains("to must be a whole number"));
    assert!(error_text(pool_labels(16.0, 9.0, -1.0, 3.0)).contains("from must be a whole number"));
    assert!(error_text(pool_labels(1.0, 9.0, 0.0, 1.0)).contains("maps must be a whole number in 2..=4096"));
    assert!(error_text(pool_labels(16.0, 0.5, 0.0, 1.0)).contains("seed"));
}

#[wasm_bindgen_test]
fn every_numeric_argument_is_checked_by_name() {
    use distill_playground::web::bench::{bench_decisions, bench_student, bench_yardstick};
    use distill_playground::web::check_train_steps;
    let mut playground = Playground::new(config(&[])).unwrap();
    for steps in [-5.0, 1.5, f64::NAN, 1e12, f64::INFINITY] {
        assert!(error_text(playground.train(steps)).starts_with("train: steps must be a whole number in 0..=1000000"), "{steps}");
        assert!(check_train_steps(steps).is_err());
    }
    assert_eq!(field(&playground.train(0.0).unwrap(), "step"), 0.0, "a refused request trained nothing");
    assert!(error_text(bench_student("fused", -5.0, 64.0, 0.1)).contains("benchStudent: hidden must be a whole number"));
    assert!(error_text(bench_student("fused", 8.0, 0.5, 0.1)).contains("benchStudent: batch"));
    assert!(error_text(bench_yardstick(-1.0, 8.0, 8.0, 0.1)).contains("benchYardstick: inputs"));
    assert!(error_text(bench_decisions(8.0, 8.0, f64::NAN)).contains("benchDecisions: seconds must be a number of seconds"));
}

// The crate's own numbers, checked in the browser by the same code the native tests run
// (`distill_playground::checks`): the fused step against dfdx, the teacher's sparse inference
// against dfdx, the losses against the f64 reference, and one seeded run against the native figures.

#[wasm_bindgen_test]
fn the_fused_step_has_dfdx_gradients_for_every_objective() {
    distill_playground::checks::fused_gradients_match_dfdx();
    distill_playground::checks::fused_adam_steps_match_dfdx();
}

#[wasm_bindgen_test]
fn every_closed_form_loss_gradient_matches_dfdx() {
    distill_playground::checks::closed_form_gradients_match_dfdx();
    distill_playground::checks::plan_cross_entropy_matches_dfdx();
    distill_playground::checks::dfdx_matmul_accumulates();
}

#[wasm_bindgen_test]
fn the_teachers_sparse_inference_matches_dfdx() {
    distill_playground::checks::teacher_sparse_inference_matches_dfdx();
}

#[wasm_bindgen_test]
fn losses_match_the_f64_reference_and_its_finite_differences() {
    use distill_playground::checks;
    checks::losses_match_hand_worked_values();
    checks::losses_match_the_f64_reference();
    checks::loss_gradients_match_finite_differences();
    checks::kl_gradient_has_its_closed_form();
    checks::zero_teacher_probability_stays_finite();
}

/// The seeded run of `checks::seeded_run` gives the figures a native run committed, every bit (why
/// that can be asked, in that module).
#[wasm_bindgen_test]
fn a_seeded_run_gives_the_native_figures() {
    let outcome = distill_playground::checks::seeded_run::check();
    web_sys::console::log_1(&format!("seeded run in this browser: {outcome}").into());
}

/// The bench's rates count past 2³² units of work, where a `usize` is 32 bits (a wrapped count made
/// the simd128 peak read a sixth of its rate in Chromium).
#[wasm_bindgen_test]
fn bench_rates_count_past_32_bits() {
    distill_playground::checks::bench_rates_count_past_32_bits();
}
