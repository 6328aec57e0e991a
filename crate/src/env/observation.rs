//! The observation both networks see, independent of the map size N: 245 floats.
//! An egocentric 9×9 window in three channels, then the goal's offset divided by N.
//!
//! Layout (index → meaning), with the agent at the window's centre (row 4, column 4):
//! - `c·81 + (r·9 + k)` for channel c ∈ {0: wall or outside the map, 1: lava, 2: goal},
//!   window row r = dy + 4 and column k = dx + 4 for offsets dx, dy ∈ −4..=4 (y grows downwards);
//!   each entry is 1.0 if that cell has the property, else 0.0;
//! - `243`: (goal_x − x) / N, `244`: (goal_y − y) / N.
//!
//! Issue 2 specified a 7×7 window (149 floats). Measured: teachers trained on it reached 79.5–88.5%
//! of the oracle's held-out success in five configurations (README, "The observation"); their
//! greedy failures were loops. Short of the 90% gate, the window grew to 9×9 for both networks.

use super::{Cell, GridMap};

pub const WINDOW: usize = 9;
pub const RADIUS: i32 = (WINDOW / 2) as i32;
pub const CHANNELS: usize = 3;
/// Length of one observation vector.
pub const OBS_LEN: usize = CHANNELS * WINDOW * WINDOW + 2;
/// Written into weight files so a network trained on another encoding is refused.
pub const OBS_VERSION: &str = "egocentric-9x9x3+goal-offset/v2";

/// Writes the observation of cell `index` into `out` (length `OBS_LEN`).
pub fn encode_into(map: &GridMap, index: usize, out: &mut [f32]) {
    debug_assert_eq!(out.len(), OBS_LEN);
    out.fill(0.0);
    let (x, y) = map.position(index);
    let plane = WINDOW * WINDOW;
    for dy in -RADIUS..=RADIUS {
        for dx in -RADIUS..=RADIUS {
            let offset = ((dy + RADIUS) as usize) * WINDOW + (dx + RADIUS) as usize;
            let channel = match map.cell(x as i32 + dx, y as i32 + dy) {
                Cell::Wall => 0,
                Cell::Lava => 1,
                Cell::Goal => 2,
                Cell::Floor => continue,
            };
            out[channel * plane + offset] = 1.0;
        }
    }
    let (gx, gy) = map.goal();
    let n = map.size() as f32;
    out[CHANNELS * plane] = (gx as f32 - x as f32) / n;
    out[CHANNELS * plane + 1] = (gy as f32 - y as f32) / n;
}

/// The observation of cell `index` as a new vector.
pub fn encode(map: &GridMap, index: usize) -> Vec<f32> {
    let mut out = vec![0.0; OBS_LEN];
    encode_into(map, index, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_checked_observation() {
        let map = GridMap::from_text("S....\n.#...\n..L..\n.....\n....G").unwrap();
        let obs = encode(&map, map.index(0, 0));
        assert_eq!(obs.len(), 245);
        let (w, r) = (WINDOW, RADIUS as usize);
        let plane = w * w;
        let at = |dx: usize, dy: usize| (r + dy) * w + (r + dx);
        // Agent at (0,0): the cell up-left (dx=-1, dy=-1) is outside → wall channel.
        assert_eq!(obs[(r - 1) * w + (r - 1)], 1.0);
        // Wall at (1,1).
        assert_eq!(obs[at(1, 1)], 1.0);
        // Lava at (2,2): channel 1.
        assert_eq!(obs[plane + at(2, 2)], 1.0);
        // Goal at (4,4): inside the 9×9 window, channel 2, and nowhere else in that channel.
        assert_eq!(obs[2 * plane + at(4, 4)], 1.0);
        assert_eq!(obs[2 * plane..3 * plane].iter().sum::<f32>(), 1.0);
        assert_eq!(obs[3 * plane], 4.0 / 5.0);
        assert_eq!(obs[3 * plane + 1], 4.0 / 5.0);
        // The agent's own cell is floor in every channel.
        assert_eq!(obs[at(0, 0)], 0.0);
        // Outside cells: all 81 window cells but the 25 of the 5×5 map, plus the one wall.
        assert_eq!(obs[..plane].iter().sum::<f32>(), 56.0 + 1.0);
    }
}
