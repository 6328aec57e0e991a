//! One seeded training run, natively and in every browser: the same figures.
//!
//! [`run`] trains a session with fixed settings ([`SETTINGS`], 300 steps) and collects its
//! figures: the loss and agreement at steps 100, 200 and 300, the student's and teacher's
//! probabilities at three cells, the student's greedy action on every decision cell, the ledger's
//! KL, success and return on the map shown and on the 200 held-out maps, and each weight tensor's
//! L1 norm. They are committed in `crate/tests/fixtures/seeded-run.json`; [`check`] compares a run
//! with them. The native test (`checks::seeded_run::tests`) and the wasm-bindgen test
//! (`tests/web.rs`, in Chromium, Firefox and WebKit) both call it, so the run people start in a
//! browser is shown to give the figures the native build gives.
//!
//! # What must match: every bit
//!
//! Every figure, the continuous ones (losses, probabilities, KL, returns, weight norms) as well as
//! the counts, must equal the fixture's bits. Why that can be asked:
//! - Everything on the training path is plain Rust f32 arithmetic in a fixed order: the fused step's
//!   sums use explicit four-lane partial sums (`student::lanes::F4`: simd128 in the browser, arrays
//!   natively) in the same order on both targets, and LLVM may not reorder them, since it is not
//!   allowed to reassociate float additions. IEEE 754 makes +, −, ×, ÷ and √ correctly rounded on
//!   both targets (wasm has no fused multiply-add unless asked for, and Rust never contracts a·b + c
//!   into one), so those give the same bits natively and in every browser. The RNG (ChaCha, integer
//!   draws through `env::pick`'s u32) gives the same stream on 64-bit hosts and 32-bit wasm.
//! - The transcendental functions (`exp` and `ln` in softmax, the losses and the teacher's targets;
//!   `powf` in the schedules) are the `libm` crate's on both targets (`crate::math`). The standard
//!   library's would call glibc natively and a libm port in wasm; those are both accurate to an ulp
//!   but do not always round alike, and one bit at one step moves a whole run. Before `math`, this
//!   check needed a tolerance of 1e-4 relative, and a lesson's student on the page ended up to 0.035
//!   (0.17 under REINFORCE) from the command line's on the same seed.
//! - So a run in a browser that differs from the native one in any bit has a cause worth finding;
//!   the comparison still reports how far each figure moved, to tell a last-bit slip from a change.
//!
//! Measured (Debian 12; Chromium 156, Firefox ESR 153, WebKitGTK under Xvfb): the same digest as the
//! native run in every browser.
//!
//! Regenerate the fixture after a change that is meant to move the figures: [`REGENERATE`].

use crate::env::NUM_ACTIONS;
use crate::student::loss::argmax;
use crate::training::session::Session;
use serde::{Deserialize, Serialize};

/// The run's settings (as the JS API and links take them): the JSD loss at τ = 2 (every exp and ln
/// of the closed-form gradients), the plan head, slip, and the β-mix data source, whose walkers
/// follow the student's greedy action (so the data itself depends on the student's floats).
pub const SETTINGS: &str = r#"{"map":"four-rooms","seed":3,"hidden":16,"loss":"jsd","temperature":2,"planWeight":0.5,"slip":0.1,"data":"mix"}"#;
/// Steps at which the loss and agreement are recorded; the run ends at the last.
pub const CHECKPOINTS: [u64; 3] = [100, 200, 300];
/// The committed figures of a native run.
pub const FIXTURE: &str = include_str!("../../tests/fixtures/seeded-run.json");
/// The fixture's path, from the crate's directory (`crate/`).
pub const FIXTURE_PATH: &str = "tests/fixtures/seeded-run.json";
/// How to rewrite the fixture from a native run (from the repository's root).
pub const REGENERATE: &str = "DISTILL_UPDATE_FIXTURES=1 cargo test --release -p distill-playground --lib a_seeded_run_gives_the_committed_figures";

/// The figures of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub settings: serde_json::Value,
    pub steps: Vec<u64>,
    /// Loss of the last batch, at each checkpoint.
    pub loss: Vec<f32>,
    /// Agreement on the map shown, at each checkpoint (exact: a count over a count).
    pub agreement: Vec<f32>,
    /// Three decision cells (first, middle, last), and the probabilities there: the student's at
    /// τ = 1, the teacher's at the run's τ.
    pub probe_cells: Vec<usize>,
    pub student_probs: Vec<[f32; NUM_ACTIONS]>,
    pub teacher_probs: Vec<[f32; NUM_ACTIONS]>,
    /// The student's greedy action on every decision cell, one letter each (u d l r s; exact).
    pub policy: String,
    pub mean_kl: f32,
    pub mean_kl_at_tau: f32,
    /// Greedy episodes from every decision cell of the map shown (success exact).
    pub student_success: f32,
    pub student_return: f32,
    pub teacher_success: f32,
    /// One episode from the start of each of the 200 held-out maps (success exact).
    pub student_heldout_success: f32,
    pub student_heldout_return: f32,
    pub teacher_heldout_success: f32,
    /// Σ|w| of each weight tensor, in the student file's order (summed in f64, kept as f32: every
    /// figure is an f32, which JSON round-trips exactly; serde_json may misround an f64's last bit).
    pub weight_l1: Vec<f32>,
}

/// The fixture file: the figures and how to rewrite them.
#[derive(Debug, Serialize, Deserialize)]
pub struct Fixture {
    pub regenerate: String,
    pub figures: Figures,
}

/// Trains the seeded run and collects its figures.
pub fn run() -> Figures {
    let settings: serde_json::Value = serde_json::from_str(SETTINGS).expect("SETTINGS is JSON");
    let mut session = Session::new(&settings).unwrap_or_else(|e| panic!("the seeded run's settings are refused: {}", e.message));
    let (mut loss, mut agreement, mut done) = (Vec::new(), Vec::new(), 0);
    for at in CHECKPOINTS {
        let report = session.train((at - done) as u32);
        done = at;
        assert_eq!(report.step, at, "the seeded run stopped early: {:?}", report.diverged);
        loss.push(report.loss);
        agreement.push(report.agreement);
    }
    let cells = session.decision_cells().to_vec();
    let probe_cells = vec![cells[0], cells[cells.len() / 2], cells[cells.len() - 1]];
    let (student, teacher) = (session.student_probs_all(), session.teacher_probs_all());
    let logits = session.student_logits(session.current());
    let policy = cells.iter().map(|&c| ['u', 'd', 'l', 'r', 's'][argmax(&logits[c])]).collect();
    let weight_l1 = session.student().tensors().iter().map(|(_, _, w)| w.iter().map(|v| v.abs() as f64).sum::<f64>() as f32).collect();
    let ledger = session.ledger(None);
    Figures {
        settings,
        steps: CHECKPOINTS.to_vec(),
        loss,
        agreement,
        student_probs: probe_cells.iter().map(|&c| student[c]).collect(),
        teacher_probs: probe_cells.iter().map(|&c| teacher[c]).collect(),
        probe_cells,
        policy,
        mean_kl: ledger.mean_kl,
        mean_kl_at_tau: ledger.mean_kl_at_tau,
        student_success: ledger.student_success,
        student_return: ledger.student_return,
        teacher_success: ledger.teacher_success,
        student_heldout_success: ledger.student_heldout_success,
        student_heldout_return: ledger.student_heldout_return,
        teacher_heldout_success: ledger.teacher_heldout_success,
        weight_l1,
    }
}

/// The fixture as JSON (what `REGENERATE` writes).
pub fn fixture_text(figures: &Figures) -> String {
    serde_json::to_string_pretty(&Fixture { regenerate: REGENERATE.into(), figures: figures.clone() }).expect("figures serialise") + "\n"
}

/// A 64-bit FNV-1a digest of the figures' every bit (of their JSON, which round-trips f32s
/// exactly), for the logs: equal digests are bit-identical runs.
pub fn digest(figures: &Figures) -> String {
    let text = serde_json::to_string(figures).expect("figures serialise");
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// How a run compares with the fixture.
#[derive(Debug, Default)]
pub struct Comparison {
    /// Every figure that differs from the fixture's, with how far.
    pub mismatches: Vec<String>,
    /// The largest relative deviation |got − want| / |want| of a continuous figure, and which.
    pub worst_figure: String,
    pub worst_relative: f64,
    /// How many continuous figures were bit-identical to the fixture, of how many.
    pub identical: usize,
    pub continuous: usize,
}

impl Comparison {
    fn new() -> Comparison {
        Comparison { worst_figure: "none".into(), ..Comparison::default() }
    }

    fn exact<T: PartialEq + std::fmt::Debug>(&mut self, name: &str, got: &T, want: &T) {
        if got != want {
            self.mismatches.push(format!("{name}: {got:?}, the fixture has {want:?} (must be equal)"));
        }
    }

    fn close(&mut self, name: &str, got: f64, want: f64) {
        let gap = (got - want).abs();
        self.continuous += 1;
        if got.to_bits() == want.to_bits() {
            self.identical += 1;
            return;
        }
        let relative = if want != 0.0 { gap / want.abs() } else { f64::INFINITY };
        if !(relative <= self.worst_relative) {
            self.worst_relative = relative;
            self.worst_figure = name.to_string();
        }
        self.mismatches.push(format!("{name}: {got}, the fixture has {want} (differs by {gap:.3e}, relative {relative:.2e})"));
    }

    fn close_all(&mut self, name: &str, got: &[f64], want: &[f64]) {
        if got.len() != want.len() {
            self.mismatches.push(format!("{name}: {} values, the fixture has {}", got.len(), want.len()));
            return;
        }
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            self.close(&format!("{name}[{i}]"), *g, *w);
        }
    }

    /// One line for the test logs.
    pub fn summary(&self) -> String {
        format!(
            "{} of {} continuous figures bit-identical to the fixture; worst relative deviation {:.2e} ({})",
            self.identical, self.continuous, self.worst_relative, self.worst_figure
        )
    }
}

fn widen(values: &[f32]) -> Vec<f64> {
    values.iter().map(|v| *v as f64).collect()
}

/// Compares a run's figures with the fixture's, every one to the bit.
pub fn compare(got: &Figures, want: &Figures) -> Comparison {
    let mut c = Comparison::new();
    c.exact("settings", &got.settings, &want.settings);
    c.exact("steps", &got.steps, &want.steps);
    c.exact("agreement", &got.agreement, &want.agreement);
    c.exact("probe_cells", &got.probe_cells, &want.probe_cells);
    c.exact("policy", &got.policy, &want.policy);
    c.exact("student_success", &got.student_success, &want.student_success);
    c.exact("teacher_success", &got.teacher_success, &want.teacher_success);
    c.exact("student_heldout_success", &got.student_heldout_success, &want.student_heldout_success);
    c.exact("teacher_heldout_success", &got.teacher_heldout_success, &want.teacher_heldout_success);
    c.close_all("loss", &widen(&got.loss), &widen(&want.loss));
    let flat = |p: &[[f32; NUM_ACTIONS]]| widen(&p.concat());
    c.close_all("student_probs", &flat(&got.student_probs), &flat(&want.student_probs));
    c.close_all("teacher_probs", &flat(&got.teacher_probs), &flat(&want.teacher_probs));
    c.close("mean_kl", got.mean_kl as f64, want.mean_kl as f64);
    c.close("mean_kl_at_tau", got.mean_kl_at_tau as f64, want.mean_kl_at_tau as f64);
    c.close("student_return", got.student_return as f64, want.student_return as f64);
    c.close("student_heldout_return", got.student_heldout_return as f64, want.student_heldout_return as f64);
    c.close_all("weight_l1", &widen(&got.weight_l1), &widen(&want.weight_l1));
    c
}

/// The committed fixture's figures.
pub fn committed() -> Figures {
    let fixture: Fixture = serde_json::from_str(FIXTURE).unwrap_or_else(|e| panic!("crate/{FIXTURE_PATH} does not parse ({e}); rewrite it with: {REGENERATE}"));
    fixture.figures
}

/// Runs the seeded run and checks it against the committed fixture; panics listing every figure
/// that differs. Returns a line for the logs: the comparison and the run's digest.
pub fn check() -> String {
    let figures = run();
    let comparison = check_figures(&figures);
    format!("{}; digest {} (the fixture's {})", comparison.summary(), digest(&figures), digest(&committed()))
}

/// Checks given figures against the committed fixture (see `check`).
pub fn check_figures(figures: &Figures) -> Comparison {
    let comparison = compare(figures, &committed());
    assert!(
        comparison.mismatches.is_empty(),
        "the seeded run's figures differ from crate/{FIXTURE_PATH}:\n  {}\n({})\nIf the change is meant to move them, rewrite the fixture with: {REGENERATE}",
        comparison.mismatches.join("\n  "),
        comparison.summary()
    );
    comparison
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The native run against the committed figures; with `DISTILL_UPDATE_FIXTURES=1` it rewrites
    /// them instead. A fixture left stale by a change to training fails here (and in the browsers).
    #[test]
    fn a_seeded_run_gives_the_committed_figures() {
        let figures = run();
        if std::env::var_os("DISTILL_UPDATE_FIXTURES").is_some() {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE_PATH);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, fixture_text(&figures)).unwrap();
            eprintln!("wrote {}", path.display());
            return;
        }
        let comparison = check_figures(&figures);
        eprintln!("seeded run, native: {}; digest {} (the fixture's {})", comparison.summary(), digest(&figures), digest(&committed()));
    }

    #[test]
    fn the_comparison_catches_a_moved_figure() {
        let want = committed();
        let mut got = want.clone();
        assert!(compare(&got, &want).mismatches.is_empty());
        got.loss[1] = f32::from_bits(got.loss[1].to_bits() + 1); // one ulp
        got.policy.replace_range(0..1, if want.policy.starts_with('u') { "d" } else { "u" });
        let mismatches = compare(&got, &want).mismatches;
        assert_eq!(mismatches.len(), 2, "{mismatches:?}");
        assert!(mismatches[0].starts_with("policy") && mismatches[1].starts_with("loss[1]"), "{mismatches:?}");
    }
}
