//! The plain-text form of a map, one character per cell, and its parser with located errors.
//! `.` floor, `#` wall, `L` lava, `G` goal (exactly one), `S` start (exactly one, on floor).

use super::{Cell, GridMap, MapError, MAX_SIZE, MIN_SIZE};
use crate::messages::Message;

pub const FLOOR: char = '.';
pub const WALL: char = '#';
pub const LAVA: char = 'L';
pub const GOAL: char = 'G';
pub const START: char = 'S';

impl GridMap {
    /// Parses the text form. Errors name the 1-based line and column of the problem.
    pub fn from_text(text: &str) -> Result<GridMap, MapError> {
        let lines: Vec<&str> = text.trim_end_matches(['\n', '\r', ' ']).lines().map(|l| l.trim_end_matches('\r')).collect();
        let size = lines.len();
        if !(MIN_SIZE..=MAX_SIZE).contains(&size) {
            return Err(MapError(Message::new("error.map.rows").with("size", size).with("min", MIN_SIZE).with("max", MAX_SIZE)));
        }
        let mut cells = Vec::with_capacity(size * size);
        let mut start = None;
        let mut goal = None;
        for (row, line) in lines.iter().enumerate() {
            let width = line.chars().count();
            if width != size {
                return Err(MapError(Message::new("error.map.ragged").with("line", row + 1).with("width", width).with("size", size)));
            }
            for (column, ch) in line.chars().enumerate() {
                let at = |key: &'static str| Message::new(key).with("line", row + 1).with("column", column + 1);
                let cell = match ch {
                    FLOOR => Cell::Floor,
                    WALL => Cell::Wall,
                    LAVA => Cell::Lava,
                    GOAL => {
                        if goal.is_some() {
                            return Err(MapError(at("error.map.secondGoal")));
                        }
                        goal = Some(());
                        Cell::Goal
                    }
                    START => {
                        if start.is_some() {
                            return Err(MapError(at("error.map.secondStart")));
                        }
                        start = Some((column, row));
                        Cell::Floor
                    }
                    other => {
                        let shown: String = other.escape_debug().collect();
                        return Err(MapError(at("error.map.unknownCharacter").with("character", shown)));
                    }
                };
                cells.push(cell);
            }
        }
        if goal.is_none() {
            return Err(MapError(Message::new("error.map.noGoal")));
        }
        let Some(start) = start else {
            return Err(MapError(Message::new("error.map.noStart")));
        };
        GridMap::new(size, cells, start)
    }

    /// The text form: N lines of N characters, each line ending in a newline.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.size() * (self.size() + 1));
        for y in 0..self.size() {
            for x in 0..self.size() {
                let ch = if (x, y) == self.start() {
                    START
                } else {
                    match self.cells()[self.index(x, y)] {
                        Cell::Floor => FLOOR,
                        Cell::Wall => WALL,
                        Cell::Lava => LAVA,
                        Cell::Goal => GOAL,
                    }
                };
                out.push(ch);
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::maps::{builtin, BUILTIN_MAPS};

    #[test]
    fn every_builtin_round_trips() {
        for name in BUILTIN_MAPS {
            let map = builtin(name, 3).unwrap();
            let again = GridMap::from_text(&map.to_text()).unwrap();
            assert_eq!(map, again, "{name} did not round-trip");
        }
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = GridMap::from_text("S....\n.....\n..x..\n.....\n....G").unwrap_err().to_string();
        assert!(err.contains("line 3, column 3") && err.contains("'x'"), "{err}");
        let err = GridMap::from_text("S....\n.....\n....\n.....\n....G").unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("ragged"), "{err}");
        let err = GridMap::from_text("S....\n.....\n.....\n.....\n.....").unwrap_err().to_string();
        assert!(err.contains("no goal"), "{err}");
        let err = GridMap::from_text("S..\n..G\n...").unwrap_err().to_string();
        assert!(err.contains("3 rows") && err.contains("5..=16"), "{err}");
        let big = format!("S{}\n{}", ".".repeat(16), format!("{}\n", ".".repeat(17)).repeat(16));
        let err = GridMap::from_text(&big).unwrap_err().to_string();
        assert!(err.contains("17 rows"), "{err}");
        let err = GridMap::from_text("S...G\n.....\n..S..\n.....\n.....").unwrap_err().to_string();
        assert!(err.contains("line 3, column 3") && err.contains("second start"), "{err}");
    }

    #[test]
    fn accepts_windows_line_endings() {
        let map = GridMap::from_text("S....\r\n.....\r\n..L..\r\n.....\r\n....G\r\n").unwrap();
        assert_eq!(map.size(), 5);
        assert_eq!(map.goal(), (4, 4));
    }
}
