//! You are the teacher: a person demonstrates moves on the map shown (`data: human`), each one logged
//! as a labelled state the student trains on, and the student asks where it needs a demonstration —
//! DAgger with a human expert (Ross et al. 2011 also had a person label the learner's states).

use crate::env::{Action, NUM_ACTIONS};
use crate::messages::Message;
use crate::student::loss::argmax;
use crate::training::data::{DataSource, Record};
use crate::training::session::Session;
use serde::Serialize;

/// A question the student asks: the first state on its own greedy path from the start that no one
/// has demonstrated yet.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// Column and row of the state.
    pub at: [usize; 2],
    /// Moves the student took from the start to get there (greedy, no slip).
    pub after: usize,
    /// The student's own move there (what it would do without an answer).
    pub student_move: usize,
}

impl Session {
    /// Logs the person's `action` at column x, row y of the map shown: a labelled state in the
    /// replay buffer (the latest demonstration at a state is its label). Returns the cell the move
    /// leads to (no slip), so a person can keep driving. Needs `data: human` and the map shown as
    /// training data; refuses (changing nothing) a cell off the grid, a wall, lava or the goal, or
    /// an action outside 0..=4.
    pub fn demonstrate(&mut self, x: i64, y: i64, action: usize) -> Result<[usize; 2], Message> {
        if self.settings.data != DataSource::Human {
            return Err(Message::new("error.human.needsHumanData"));
        }
        if !self.pool.is_current_map() {
            return Err(Message::new("error.human.needsMapShown"));
        }
        if action >= NUM_ACTIONS {
            return Err(Message::new("error.human.action").with("action", action));
        }
        let map = &self.current.map;
        let n = map.size() as i64;
        if !(0..n).contains(&x) || !(0..n).contains(&y) {
            return Err(Message::new("error.human.outside").with("x", x).with("y", y).with("n", n));
        }
        let cell = map.index(x as usize, y as usize);
        if !self.current.decision_cells.contains(&cell) {
            return Err(Message::new("error.human.notDecisionCell").with("x", x).with("y", y));
        }
        let to = map.move_from(cell, Action::from_index(action));
        let side = map.size();
        self.human[cell] = Some(action);
        self.log(Record { map: 0, cell: cell as u32 });
        Ok([to % side, to / side])
    }

    /// Distinct states demonstrated so far.
    pub fn demonstrated(&self) -> usize {
        self.human.iter().filter(|a| a.is_some()).count()
    }

    /// The move demonstrated at column x, row y, if any.
    pub fn demonstration_at(&self, x: usize, y: usize) -> Option<usize> {
        let map = &self.current.map;
        (x < map.size() && y < map.size()).then(|| self.human[map.index(x, y)]).flatten()
    }

    /// DAgger's query: the student acts greedily from the start of the map shown (no slip); the first
    /// state on its path no one demonstrated is the question. None when its whole path (to the goal,
    /// lava, a loop or the step limit) was demonstrated.
    pub fn question(&self) -> Option<Question> {
        let map = &self.current.map;
        let (sx, sy) = map.start();
        let mut cell = map.index(sx, sy);
        let logits = self.student_logits(&self.current);
        let mut seen = vec![false; map.cells().len()];
        for after in 0..map.cells().len() {
            if map.cells()[cell].is_terminal() || seen[cell] {
                return None;
            }
            seen[cell] = true;
            let student_move = argmax(&logits[cell]);
            if self.human[cell].is_none() {
                return Some(Question { at: [cell % map.size(), cell / map.size()], after, student_move });
            }
            cell = map.move_from(cell, Action::from_index(student_move));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn human_session() -> Session {
        Session::new(&json!({"map": "open", "data": "human", "seed": 2})).unwrap()
    }

    #[test]
    fn demonstrations_are_the_only_data_and_the_student_learns_them() {
        let mut session = human_session();
        // Nothing is logged by itself: no demonstration, no training.
        session.train(20);
        assert_eq!(session.step_count(), 0);
        assert_eq!(session.pipeline().logged, 0);
        // Demonstrate "right" on the top row, then "down" on the last column: a path to the goal.
        let n = session.map().size() as i64;
        let mut at = [0usize, 0usize];
        for _ in 0..n - 1 {
            at = session.demonstrate(at[0] as i64, at[1] as i64, 3).unwrap();
        }
        assert_eq!(at, [(n - 1) as usize, 0]);
        assert_eq!(session.demonstrated(), (n - 1) as usize);
        session.train(300);
        assert!(session.step_count() > 0);
        // The student's best move at each demonstrated state is the demonstrated one.
        let logits = session.student_logits(session.current());
        for x in 0..(n - 1) as usize {
            let cell = session.map().index(x, 0);
            assert_eq!(argmax(&logits[cell]), 3, "cell ({x}, 0)");
        }
        assert_eq!(session.pipeline().logged as i64, n - 1);
        // The exported dataset carries the person's moves, one-hot, and their plan.
        let rows = crate::io::dataset::rows(&session);
        let p = 3 + crate::env::observation::OBS_LEN;
        assert!(rows.iter().all(|row| row[p..p + NUM_ACTIONS] == [0.0, 0.0, 0.0, 1.0, 0.0]));
        let first = rows.iter().find(|row| row[1] == 0.0 && row[2] == 0.0).unwrap();
        assert_eq!(first[p + NUM_ACTIONS..p + NUM_ACTIONS + 4], [3.0, 3.0, 3.0, 3.0]);
    }

    #[test]
    fn the_student_asks_where_its_own_path_leaves_the_demonstrations() {
        let mut session = human_session();
        let first = session.question().expect("nothing demonstrated: the start is the question");
        assert_eq!((first.at, first.after), ([0, 0], 0));
        session.demonstrate(0, 0, 3).unwrap();
        session.train(200);
        // Having learnt "right" at the start, its path leads to (1, 0), which no one demonstrated.
        let next = session.question().unwrap();
        assert_eq!((next.at, next.after), ([1, 0], 1));
        // A later answer at a state replaces the earlier one.
        session.demonstrate(0, 0, 1).unwrap();
        assert_eq!(session.demonstration_at(0, 0), Some(1));
    }

    #[test]
    fn bad_demonstrations_are_refused_by_name_and_change_nothing() {
        let mut session = human_session();
        assert!(session.demonstrate(-1, 0, 0).unwrap_err().contains("outside"));
        assert!(session.demonstrate(0, 0, 5).unwrap_err().contains("action must be"));
        let goal = session.map().cells().iter().position(|c| c.is_terminal()).unwrap();
        let n = session.map().size();
        assert!(session.demonstrate((goal % n) as i64, (goal / n) as i64, 0).unwrap_err().contains("never acts"));
        assert_eq!((session.demonstrated(), session.pipeline().logged), (0, 0));
        let mut other = Session::new(&json!({"map": "open"})).unwrap();
        assert!(other.demonstrate(0, 0, 0).unwrap_err().contains("'human'"));
        let mut pool = Session::new(&json!({"data": "human", "trainMaps": 16})).unwrap();
        assert!(pool.demonstrate(0, 0, 0).unwrap_err().contains("map shown"));
    }
}
