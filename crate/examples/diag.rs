//! Scores teacher files on the validation maps (and, for the record, the gate's held-out maps).
//!   cargo run --release --example diag -- a.safetensors b.safetensors
use distill_playground::env::Rules;
use distill_playground::measure::heldout::{greedy_on_maps, heldout_maps, oracle_on_maps, validation_maps};
use distill_playground::teacher::NeuralTeacher;
fn main() {
    let rules = Rules::default();
    let (validation, heldout) = (validation_maps(200), heldout_maps(200));
    let (oracle_v, oracle_h) = (oracle_on_maps(&validation, &rules).success, oracle_on_maps(&heldout, &rules).success);
    for path in std::env::args().skip(1) {
        let teacher = NeuralTeacher::from_bytes(&std::fs::read(&path).unwrap()).unwrap();
        let v = greedy_on_maps(&validation, &rules, |o, n| teacher.logits(o, n)).success / oracle_v;
        let h = greedy_on_maps(&heldout, &rules, |o, n| teacher.logits(o, n)).success / oracle_h;
        println!("{path}: validation {:.1}%, held-out {:.1}%", 100.0 * v, 100.0 * h);
    }
}
