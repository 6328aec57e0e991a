//! Built-in maps (`open`, `four-rooms`, `maze`, `cliff`) and seeded random maps.
//! Random maps always have a goal reachable from the start.

use super::{pick, Cell, GridMap, MapError, MAX_SIZE, MIN_SIZE};
use crate::messages::Message;
use rand::{rngs::StdRng, Rng, SeedableRng};

crate::named_choice! {
    /// A map by name: a built-in layout, a seeded random map, or `custom` (an edited map, which is
    /// known by its text alone).
    pub enum MapName {
        Open = "open",
        FourRooms = "four-rooms",
        Maze = "maze",
        Cliff = "cliff",
        Random = "random",
        Custom = "custom",
    }
}

/// The maps `builtin` can make from a name alone.
pub const BUILTIN_MAPS: [MapName; 5] = [MapName::Open, MapName::FourRooms, MapName::Maze, MapName::Cliff, MapName::Random];

const OPEN: &str = "\
S.......
........
........
........
........
........
........
.......G";

const FOUR_ROOMS: &str = "\
.....#.....
.S...#.....
...........
.....#.....
.....#.....
##.###.....
.....####.#
.....#.....
.....#.....
...........
.....#...G.";

const MAZE: &str = "\
S.#......
..#.####.
..#.#....
..#.#.###
....#....
####.###.
.....#...
.###.#.#.
...#...#G";

const CLIFF: &str = "\
........
........
........
........
........
........
........
SLLLLLLG";

/// Settings of a seeded random map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RandomMapSpec {
    pub size: usize,
    /// Probability that a cell is a wall.
    pub wall_density: f32,
    /// Probability that a non-wall cell is lava.
    pub lava_density: f32,
}

impl Default for RandomMapSpec {
    fn default() -> Self {
        RandomMapSpec { size: 10, wall_density: 0.2, lava_density: 0.03 }
    }
}

/// A built-in map by name; `random` uses the default random spec with `seed`. A `custom` map has
/// no layout of its own (its text is the map).
pub fn builtin(name: MapName, seed: u64) -> Result<GridMap, MapError> {
    let text = match name {
        MapName::Open => OPEN,
        MapName::FourRooms => FOUR_ROOMS,
        MapName::Maze => MAZE,
        MapName::Cliff => CLIFF,
        MapName::Random => return random_map(RandomMapSpec::default(), seed),
        MapName::Custom => return Err(MapError(Message::new("error.map.customHasNoLayout"))),
    };
    GridMap::from_text(text)
}

/// A seeded random map: walls and lava scattered independently, start and goal on distinct
/// floor cells at least N/2 apart (Manhattan), the goal reachable from the start.
pub fn random_map(spec: RandomMapSpec, seed: u64) -> Result<GridMap, MapError> {
    let n = spec.size;
    if !(MIN_SIZE..=MAX_SIZE).contains(&n) {
        return Err(MapError(Message::new("error.map.randomSize").with("size", n).with("min", MIN_SIZE).with("max", MAX_SIZE)));
    }
    if !(0.0..=0.6).contains(&spec.wall_density) || !(0.0..=0.3).contains(&spec.lava_density) {
        return Err(MapError(Message::new("error.map.randomDensities").with("wall", spec.wall_density).with("lava", spec.lava_density)));
    }
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6d61_7073);
    for _attempt in 0..10_000 {
        let mut cells: Vec<Cell> = (0..n * n)
            .map(|_| {
                if rng.gen::<f32>() < spec.wall_density {
                    Cell::Wall
                } else if rng.gen::<f32>() < spec.lava_density {
                    Cell::Lava
                } else {
                    Cell::Floor
                }
            })
            .collect();
        let floor: Vec<usize> = (0..n * n).filter(|&i| cells[i] == Cell::Floor).collect();
        if floor.len() < 2 {
            continue;
        }
        let start = floor[pick(&mut rng, floor.len())];
        let goal = floor[pick(&mut rng, floor.len())];
        let distance = (start % n).abs_diff(goal % n) + (start / n).abs_diff(goal / n);
        if distance < n / 2 {
            continue;
        }
        cells[goal] = Cell::Goal;
        let map = GridMap::new(n, cells, (start % n, start / n))?;
        if map.reachable()[goal] {
            return Ok(map);
        }
    }
    Err(MapError(Message::new("error.map.noReachableGoal").with("wall", spec.wall_density)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_have_reachable_goals() {
        for name in BUILTIN_MAPS {
            let map = builtin(name, 11).unwrap();
            let (gx, gy) = map.goal();
            assert!(map.reachable()[map.index(gx, gy)], "{name}: goal unreachable");
        }
    }

    #[test]
    fn random_maps_are_seeded() {
        let spec = RandomMapSpec::default();
        assert_eq!(random_map(spec, 5).unwrap(), random_map(spec, 5).unwrap());
        assert_ne!(random_map(spec, 5).unwrap(), random_map(spec, 6).unwrap());
        for seed in 0..50 {
            for size in [5, 9, 16] {
                let map = random_map(RandomMapSpec { size, ..spec }, seed).unwrap();
                assert_eq!(map.size(), size);
            }
        }
        assert!(random_map(RandomMapSpec { size: 4, ..spec }, 1).is_err());
        assert!(builtin(MapName::Custom, 1).unwrap_err().to_string().contains("mapText"));
    }
}
