//! The soak schedule: a long run whose settings change every 1,000 steps (loss, τ, map edits,
//! width), cycling through the same changes so memory can be compared cycle to cycle.

use crate::env::Cell;
use crate::training::session::Session;
use serde_json::json;

/// Steps between two changes.
pub const STEPS_PER_CHANGE: u32 = 1_000;
/// Changes in one cycle: after one cycle every width and map the soak uses has been allocated.
pub const CHANGES_PER_CYCLE: u64 = 8;

/// What a soak run saw: steps trained, changes made, and whether every report stayed finite.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SoakReport {
    pub steps: u64,
    pub changes: u64,
    pub divergences: u64,
}

/// Applies change number `round` (0, 1, 2, …) to the session. Every change is a valid update, so
/// an error here is a bug and is returned as one.
pub fn apply_change(session: &mut Session, round: u64) -> Result<(), String> {
    let update = match round % CHANGES_PER_CYCLE {
        0 => json!({"loss": "kl", "temperature": 2.0, "hidden": 32}),
        1 => json!({"loss": "jsd", "temperature": 0.5, "jsdBeta": 0.3}),
        2 => json!({"hidden": 128, "loss": "reverse_kl", "temperature": 1.0}),
        3 => return toggle_a_wall(session, round),
        4 => json!({"loss": "mse", "data": "student", "temperature": 5.0}),
        5 => json!({"hidden": 8, "loss": "hard", "data": "mix", "planWeight": 1.0}),
        6 => return toggle_a_wall(session, round),
        _ => json!({"loss": "kl", "softWeight": 0.5, "data": "uniform", "planWeight": 0.0, "temperature": 0.3}),
    };
    session.set(&update).map_err(|e| e.to_string())
}

/// A map edit: the first floor cell (from a round-dependent offset) becomes a wall, or back.
fn toggle_a_wall(session: &mut Session, round: u64) -> Result<(), String> {
    let map = session.map().clone();
    let size = map.size();
    let start = map.start();
    for offset in 0..size * size {
        let index = (offset + round as usize * 7) % (size * size);
        let (x, y) = (index % size, index / size);
        if (x, y) == start {
            continue;
        }
        let next = match map.cell(x as i32, y as i32) {
            Cell::Floor => Cell::Wall,
            Cell::Wall => Cell::Floor,
            _ => continue,
        };
        if let Ok(edited) = map.with_cell(x, y, next) {
            return session.edit_map(&edited.to_text()).map_err(|e| e.to_string());
        }
    }
    Err("no cell of the map could be edited".into())
}

/// Trains `changes` rounds of `STEPS_PER_CHANGE` steps, changing the settings before each round
/// and calling `after_round` after it. Fails on a non-finite report that the guard did not catch.
pub fn run(session: &mut Session, changes: u64, mut after_round: impl FnMut(u64, &Session)) -> Result<SoakReport, String> {
    let mut report = SoakReport::default();
    for round in 0..changes {
        apply_change(session, round)?;
        let train = session.train(STEPS_PER_CHANGE);
        if train.diverged.is_some() {
            report.divergences += 1;
        } else if !train.loss.is_finite() || !train.agreement.is_finite() {
            return Err(format!("round {round}: non-finite report {train:?}"));
        }
        if session.student_probs_all().iter().flatten().any(|p| !p.is_finite()) {
            return Err(format!("round {round}: non-finite probabilities"));
        }
        report.steps += STEPS_PER_CHANGE as u64;
        report.changes += 1;
        after_round(round, session);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reduced_soak_stays_finite_through_every_kind_of_change() {
        let mut session = Session::new(&json!({"map": "maze"})).unwrap();
        let report = run(&mut session, 2 * CHANGES_PER_CYCLE, |_, _| {}).unwrap();
        assert_eq!(report.steps, 16_000);
        assert_eq!(report.divergences, 0, "none of the soak's settings should diverge");
        assert_eq!(session.settings().map, crate::env::maps::MapName::Custom, "map edits happened");
        let ledger = session.ledger(None);
        assert!(ledger.agreement.is_finite() && ledger.mean_kl.is_finite());
    }
}
