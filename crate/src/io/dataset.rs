//! The distillation dataset as files: every record in the replay buffer with its observation, the
//! teacher's probabilities at the current τ and the teacher's 4-step plan, as CSV or as .npy.
//!
//! Columns, in both files: `map` (training map index; 0 is the map shown), `x`, `y`, `obs_0` …
//! `obs_244` (see `env::observation`), `p_up`, `p_down`, `p_left`, `p_right`, `p_stay`, `plan_0` …
//! `plan_3` (actions 0–4 in the same order). For a person's demonstrations (`data: human`) the
//! probabilities are one-hot on the demonstrated move and the plan follows the person's moves (stay
//! where none was demonstrated). The .npy holds one float32 matrix of these columns
//! (NumPy format 1.0, written here: a header and little-endian floats; a test reads it back with
//! the `npyz` crate).

use crate::env::observation::OBS_LEN;
use crate::env::NUM_ACTIONS;
use crate::training::session::Session;
use crate::student::PLAN_STEPS;

/// Column names, in order.
pub fn columns() -> Vec<String> {
    let mut names: Vec<String> = vec!["map".into(), "x".into(), "y".into()];
    names.extend((0..OBS_LEN).map(|i| format!("obs_{i}")));
    names.extend(["p_up", "p_down", "p_left", "p_right", "p_stay"].map(String::from));
    names.extend((0..PLAN_STEPS).map(|i| format!("plan_{i}")));
    names
}

/// The dataset's rows (one per buffered record), each `columns().len()` floats.
pub fn rows(session: &Session) -> Vec<Vec<f32>> {
    let tau = session.settings().temperature;
    session
        .buffered()
        .map(|(map_index, data, cell)| {
            let (x, y) = data.map.position(cell);
            let mut row = Vec::with_capacity(3 + OBS_LEN + NUM_ACTIONS + PLAN_STEPS);
            row.extend([map_index as f32, x as f32, y as f32]);
            row.extend_from_slice(&data.observation(cell));
            match session.demonstration_at(x, y).filter(|_| session.settings().data == crate::training::data::DataSource::Human) {
                Some(action) => {
                    row.extend((0..NUM_ACTIONS).map(|a| if a == action { 1.0 } else { 0.0 }));
                    row.extend(human_plan(session, cell).map(|a| a as f32));
                }
                None => {
                    row.extend(data.table.log_probs(cell, tau).map(crate::math::exp));
                    row.extend(data.teacher_plan(cell).map(|a| a as f32));
                }
            }
            row
        })
        .collect()
}

/// The person's next `PLAN_STEPS` demonstrated moves from `cell` (no slip; stay where none).
fn human_plan(session: &Session, cell: usize) -> [usize; PLAN_STEPS] {
    let map = session.map();
    let mut plan = [crate::env::Action::Stay.index(); PLAN_STEPS];
    let mut at = cell;
    for slot in plan.iter_mut() {
        let (x, y) = map.position(at);
        let Some(action) = session.demonstration_at(x, y) else { break };
        *slot = action;
        at = map.move_from(at, crate::env::Action::from_index(action));
    }
    plan
}

/// The dataset as CSV text with a header line.
pub fn to_csv(session: &Session) -> String {
    let mut out = columns().join(",");
    out.push('\n');
    for row in rows(session) {
        let fields: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// The dataset as a NumPy .npy file: one float32 matrix, rows × columns.
pub fn to_npy(session: &Session) -> Vec<u8> {
    let rows = rows(session);
    let width = columns().len();
    let mut header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {width}), }}", rows.len());
    // Magic (6) + version (2) + header length (2) + header, padded with spaces and ended by a
    // newline so the data starts on a 64-byte boundary.
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + rows.len() * width * 4);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for row in &rows {
        for value in row {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_and_npy_hold_the_buffer_with_observations_probabilities_and_plans() {
        let mut session = Session::new(&json!({"map": "maze", "data": "teacher", "temperature": 2.0, "bufferCapacity": 64})).unwrap();
        session.train(20);
        let rows = rows(&session);
        assert_eq!(rows.len(), 64, "a full buffer of 64 records");
        let width = columns().len();
        assert_eq!(width, 3 + OBS_LEN + 5 + 4);
        for row in &rows {
            assert_eq!(row.len(), width);
            let probs = &row[3 + OBS_LEN..3 + OBS_LEN + 5];
            assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
            let (x, y) = (row[1] as usize, row[2] as usize);
            let cell = session.map().index(x, y);
            assert_eq!(&row[3..3 + OBS_LEN], &session.current().observation(cell)[..]);
            let expected = session.teacher_probs_all()[cell];
            assert!(probs.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-6), "p^τ at the current τ");
        }
        let csv = to_csv(&session);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 65);
        assert!(lines[0].starts_with("map,x,y,obs_0,") && lines[0].ends_with("p_stay,plan_0,plan_1,plan_2,plan_3"));
        assert_eq!(lines[1].split(',').count(), width);
        let first: Vec<f32> = lines[1].split(',').map(|v| v.parse().unwrap()).collect();
        assert_eq!(first, rows[0]);

        // An independent reader (the npyz crate) gets the same matrix back.
        let bytes = to_npy(&session);
        let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
        assert_eq!(npy.shape(), &[64, width as u64]);
        let values: Vec<f32> = npy.into_vec().unwrap();
        assert_eq!(values, rows.concat());
    }
}
