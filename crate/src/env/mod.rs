//! The gridworld: cells, rules (rewards, slip, episode end) and the shared RNG helpers.
//! Pure Rust with no ML and no web types; `maps`, `text` and `observation` build on it.

pub mod maps;
pub mod observation;
pub mod planner;
pub mod text;

use rand::{rngs::StdRng, Rng};

/// A uniform index in 0..n, drawn through u32 so the same seed gives the same value on
/// 64-bit hosts and in 32-bit wasm (rand samples `usize` ranges differently by width).
pub fn pick(rng: &mut StdRng, n: usize) -> usize {
    rng.gen_range(0..n as u32) as usize
}

/// Smallest and largest allowed grid side N.
pub const MIN_SIZE: usize = 5;
pub const MAX_SIZE: usize = 16;

/// The five actions, in the order every probability vector in this crate uses.
pub const ACTIONS: [Action; 5] = [Action::Up, Action::Down, Action::Left, Action::Right, Action::Stay];
pub const NUM_ACTIONS: usize = 5;
pub const ACTION_NAMES: [&str; NUM_ACTIONS] = ["up", "down", "left", "right", "stay"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    Stay,
}

impl Action {
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn from_index(index: usize) -> Action {
        ACTIONS[index % NUM_ACTIONS]
    }
    /// Column and row change; y grows downwards (row 0 is the top).
    pub fn delta(self) -> (i32, i32) {
        match self {
            Action::Up => (0, -1),
            Action::Down => (0, 1),
            Action::Left => (-1, 0),
            Action::Right => (1, 0),
            Action::Stay => (0, 0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Floor,
    Wall,
    Lava,
    Goal,
}

impl Cell {
    /// Lava and goal end the episode when entered.
    pub fn is_terminal(self) -> bool {
        matches!(self, Cell::Lava | Cell::Goal)
    }
}

/// Reward and dynamics settings shared by every map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rules {
    /// Reward added on every step that does not end on lava or goal (default −0.01).
    pub step_cost: f32,
    /// Probability that the chosen action is replaced by a uniformly random one (0–0.5).
    pub slip: f32,
    /// Discount γ used by the planner and by reported returns (default 0.97).
    pub gamma: f32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { step_cost: -0.01, slip: 0.0, gamma: 0.97 }
    }
}

pub const LAVA_REWARD: f32 = -1.0;
pub const GOAL_REWARD: f32 = 1.0;

/// An N×N map: row-major cells (index = y·N + x) and a start cell.
#[derive(Clone, Debug, PartialEq)]
pub struct GridMap {
    size: usize,
    cells: Vec<Cell>,
    start: (usize, usize),
}

/// Why a map could not be built.
#[derive(Clone, Debug, PartialEq)]
pub struct MapError(pub crate::messages::Message);

impl std::fmt::Display for MapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A map error from its catalogue key (`crate::messages`).
fn map_error(key: &'static str) -> crate::messages::Message {
    crate::messages::Message::new(key)
}
impl std::error::Error for MapError {}

impl GridMap {
    /// Builds a map after checking the size, that a goal exists and that the start is floor.
    pub fn new(size: usize, cells: Vec<Cell>, start: (usize, usize)) -> Result<GridMap, MapError> {
        if !(MIN_SIZE..=MAX_SIZE).contains(&size) {
            return Err(MapError(map_error("error.map.size").with("size", size).with("min", MIN_SIZE).with("max", MAX_SIZE)));
        }
        if cells.len() != size * size {
            return Err(MapError(map_error("error.map.cells").with("cells", cells.len()).with("expected", size * size)));
        }
        if !cells.contains(&Cell::Goal) {
            return Err(MapError(map_error("error.map.noGoalCell")));
        }
        if start.0 >= size || start.1 >= size || cells[start.1 * size + start.0] != Cell::Floor {
            return Err(MapError(map_error("error.map.startNotFloor").with("x", start.0).with("y", start.1)));
        }
        Ok(GridMap { size, cells, start })
    }

    pub fn size(&self) -> usize {
        self.size
    }
    pub fn start(&self) -> (usize, usize) {
        self.start
    }
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
    pub fn index(&self, x: usize, y: usize) -> usize {
        y * self.size + x
    }
    pub fn position(&self, index: usize) -> (usize, usize) {
        (index % self.size, index / self.size)
    }
    /// The cell at (x, y); anything outside the grid reads as wall.
    pub fn cell(&self, x: i32, y: i32) -> Cell {
        if x < 0 || y < 0 || x >= self.size as i32 || y >= self.size as i32 {
            Cell::Wall
        } else {
            self.cells[y as usize * self.size + x as usize]
        }
    }
    /// The goal cell nearest the top-left (maps normally have one).
    pub fn goal(&self) -> (usize, usize) {
        let index = self.cells.iter().position(|c| *c == Cell::Goal).expect("validated: a goal exists");
        self.position(index)
    }
    /// Maximum episode length, 4N steps.
    pub fn max_steps(&self) -> usize {
        4 * self.size
    }

    /// Where `action` leads from `from` without slip: walls and the border block movement.
    pub fn move_from(&self, from: usize, action: Action) -> usize {
        let (x, y) = self.position(from);
        let (dx, dy) = action.delta();
        let (nx, ny) = (x as i32 + dx, y as i32 + dy);
        if self.cell(nx, ny) == Cell::Wall {
            from
        } else {
            self.index(nx as usize, ny as usize)
        }
    }

    /// Reward for arriving in cell `to`, and whether the episode ends there.
    pub fn arrival(&self, to: usize, rules: &Rules) -> (f32, bool) {
        match self.cells[to] {
            Cell::Lava => (LAVA_REWARD, true),
            Cell::Goal => (GOAL_REWARD, true),
            _ => (rules.step_cost, false),
        }
    }

    /// One environment step: with probability `slip` the action is replaced by a uniform one.
    pub fn step(&self, from: usize, action: Action, rules: &Rules, rng: &mut StdRng) -> Transition {
        let taken = if rules.slip > 0.0 && rng.gen::<f32>() < rules.slip {
            Action::from_index(pick(rng, NUM_ACTIONS))
        } else {
            action
        };
        let to = self.move_from(from, taken);
        let (reward, done) = self.arrival(to, rules);
        Transition { to, reward, done, taken }
    }

    /// Cells reachable from the start by moves (walls block; lava and goal end the path).
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.cells.len()];
        let start = self.index(self.start.0, self.start.1);
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(at) = stack.pop() {
            if self.cells[at].is_terminal() {
                continue;
            }
            for action in &ACTIONS[..4] {
                let next = self.move_from(at, *action);
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        seen
    }

    /// Reachable cells where the agent can stand and act (not wall, lava or goal).
    pub fn decision_cells(&self) -> Vec<usize> {
        let reachable = self.reachable();
        (0..self.cells.len()).filter(|&i| reachable[i] && self.cells[i] == Cell::Floor).collect()
    }

    /// Replaces one cell (used by the map editor). The start must stay floor, a goal must remain.
    pub fn with_cell(&self, x: usize, y: usize, cell: Cell) -> Result<GridMap, MapError> {
        if x >= self.size || y >= self.size {
            return Err(MapError(map_error("error.map.outside").with("x", x).with("y", y).with("n", self.size)));
        }
        let mut cells = self.cells.clone();
        cells[y * self.size + x] = cell;
        GridMap::new(self.size, cells, self.start)
    }
}

/// The result of one step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    pub to: usize,
    pub reward: f32,
    pub done: bool,
    /// The action actually executed (differs from the chosen one after a slip).
    pub taken: Action,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn corridor() -> GridMap {
        GridMap::from_text("#####\n#S.G#\n#.L.#\n#...#\n#####").unwrap()
    }

    #[test]
    fn walls_block_and_terminals_reward() {
        let map = corridor();
        let rules = Rules::default();
        let start = map.index(1, 1);
        assert_eq!(map.move_from(start, Action::Up), start, "wall above blocks");
        assert_eq!(map.move_from(start, Action::Left), start, "wall left blocks");
        let right = map.move_from(start, Action::Right);
        assert_eq!(map.position(right), (2, 1));
        assert_eq!(map.arrival(right, &rules), (-0.01, false));
        assert_eq!(map.arrival(map.index(3, 1), &rules), (1.0, true));
        assert_eq!(map.arrival(map.index(2, 2), &rules), (-1.0, true));
        assert_eq!(map.max_steps(), 20);
    }

    #[test]
    fn slip_replaces_action_at_the_stated_rate() {
        // With slip s, the executed action differs from the chosen one with probability s·4/5.
        let map = GridMap::from_text(".....\n.....\n..S..\n.....\n....G").unwrap();
        let rules = Rules { slip: 0.3, ..Rules::default() };
        let mut rng = StdRng::seed_from_u64(7);
        let from = map.index(2, 2);
        let trials = 40_000;
        let mut changed = 0;
        let mut counts = [0usize; 5];
        for _ in 0..trials {
            let t = map.step(from, Action::Up, &rules, &mut rng);
            counts[t.taken.index()] += 1;
            if t.taken != Action::Up {
                changed += 1;
            }
        }
        let rate = changed as f64 / trials as f64;
        assert!((rate - 0.24).abs() < 0.01, "changed-action rate {rate}, expected 0.24");
        for (a, &c) in counts.iter().enumerate().skip(1) {
            let share = c as f64 / trials as f64;
            assert!((share - 0.06).abs() < 0.006, "action {a} share {share}, expected 0.06");
        }
        let no_slip = Rules::default();
        for _ in 0..100 {
            assert_eq!(map.step(from, Action::Left, &no_slip, &mut rng).taken, Action::Left);
        }
    }

    #[test]
    fn reachability_stops_at_walls() {
        let map = GridMap::from_text("S.#..\n..#.G\n###..\n.....\n.....").unwrap();
        let reach = map.reachable();
        assert!(reach[map.index(1, 1)]);
        assert!(!reach[map.index(4, 1)], "goal is walled off");
        assert_eq!(map.decision_cells().len(), 4);
    }
}
