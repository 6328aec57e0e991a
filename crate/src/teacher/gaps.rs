//! Teachers with blind spots (`teacherGaps`, `gapOverlap`): on a share of the states a teacher has
//! no preference (its distribution is uniform; acting greedily it takes the first action, up). The
//! network's and the planner's blind states are drawn separately for every cell of a map, from the
//! map's layout, so two teachers can know different parts of the state space (complementary
//! teachers) or the same parts (one dominates), and a weak teacher leaves room above it.
//!
//! Per cell c of a map with layout key k, with u_i = splitmix64(k, c, i) / 2^64 uniform on [0, 1)
//! (Steele, Lea & Flood 2014, the SplitMix64 finaliser):
//!   network blind ⇔ u_0 < g;  planner blind ⇔ (u_2 < ρ ? network blind : u_1 < g)
//! so each teacher is blind on a share g of the states and the two indicators have correlation ρ
//! (P(both) = ρ·g + (1 − ρ)·g²).

use crate::env::GridMap;

/// How much each teacher does not know, and how far the two teachers' blind states coincide.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TeacherGaps {
    /// g: the share of states on which each teacher is blind, 0–0.9.
    pub share: f32,
    /// ρ: the correlation of the network's and the planner's blind states, 0–1.
    pub overlap: f32,
}

/// Which of the two teachers is blind at one cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blind {
    pub network: bool,
    pub planner: bool,
}

impl TeacherGaps {
    /// Whether the network and the planner are blind at `cell` of the map with layout key `map_key`.
    pub fn at(&self, map_key: u64, cell: usize) -> Blind {
        if self.share <= 0.0 {
            return Blind::default();
        }
        let share = self.share as f64;
        let network = uniform(map_key, cell, 0) < share;
        let planner = if uniform(map_key, cell, 2) < self.overlap as f64 { network } else { uniform(map_key, cell, 1) < share };
        Blind { network, planner }
    }

    /// Both teachers' blindness on every cell of a map with `cells` cells.
    pub fn cells(&self, map_key: u64, cells: usize) -> Vec<Blind> {
        (0..cells).map(|cell| self.at(map_key, cell)).collect()
    }
}

/// A key of `map`'s layout (size, cells, start): FNV-1a over them, so the same map has the same
/// blind states however it was made.
pub fn layout_key(map: &GridMap) -> u64 {
    let (x, y) = map.start();
    let bytes = [map.size() as u64, x as u64, y as u64].into_iter().chain(map.cells().iter().map(|&c| c as u64));
    bytes.fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b).wrapping_mul(0x0100_0000_01b3))
}

/// A uniform number in [0, 1) for (key, cell, stream): the SplitMix64 finaliser of their mix.
fn uniform(key: u64, cell: usize, stream: u64) -> f64 {
    let mut z = key ^ (cell as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_teacher_is_blind_on_its_share_and_the_overlap_is_the_correlation() {
        let cells = 200_000;
        for (share, overlap) in [(0.25f32, 0.0f32), (0.5, 0.0), (0.5, 0.5), (0.3, 1.0)] {
            let blind = TeacherGaps { share, overlap }.cells(7, cells);
            let n = cells as f64;
            let network = blind.iter().filter(|b| b.network).count() as f64 / n;
            let planner = blind.iter().filter(|b| b.planner).count() as f64 / n;
            let both = blind.iter().filter(|b| b.network && b.planner).count() as f64 / n;
            let g = share as f64;
            // Independently: the correlation of two Bernoulli(g) indicators from their joint share.
            let correlation = (both - network * planner) / (network * (1.0 - network) * planner * (1.0 - planner)).sqrt();
            assert!((network - g).abs() < 0.005 && (planner - g).abs() < 0.005, "{share} {overlap}: {network} {planner}");
            assert!((correlation - overlap as f64).abs() < 0.01, "{share} {overlap}: correlation {correlation}");
        }
        assert!(TeacherGaps::default().cells(7, 1000).iter().all(|b| *b == Blind::default()), "no gaps, no blindness");
    }

    #[test]
    fn the_same_layout_has_the_same_blind_states_and_another_has_others() {
        use crate::env::maps::{builtin, MapName};
        let gaps = TeacherGaps { share: 0.5, overlap: 0.0 };
        let maze = builtin(MapName::Maze, 1).unwrap();
        let again = builtin(MapName::Maze, 1).unwrap();
        let rooms = builtin(MapName::FourRooms, 1).unwrap();
        assert_eq!(layout_key(&maze), layout_key(&again));
        assert_ne!(layout_key(&maze), layout_key(&rooms));
        let cells = maze.cells().len();
        assert_eq!(gaps.cells(layout_key(&maze), cells), gaps.cells(layout_key(&again), cells));
        assert_ne!(gaps.cells(layout_key(&maze), cells), gaps.cells(layout_key(&rooms), cells));
    }
}
