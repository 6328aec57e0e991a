//! One episode of the teacher or the student acting on the map shown, from a chosen start, for the
//! page to play back: the cells visited, the move chosen and the move taken at each step (they
//! differ when the floor slips), and how it ended. Both act greedily, as every evaluation does; the
//! slip draws come from the episode's seed, so the same seed gives the teacher and the student the
//! same luck (a fair race) and the same episode every time.

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::Serialize;

use crate::env::{Action, Cell};
use crate::student::loss::argmax;
use crate::training::session::{Session, Who};

/// How an episode ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// It reached the goal.
    Goal,
    /// It stepped into lava.
    Lava,
    /// It used the map's step limit without ending (a loop, or a wall it keeps walking into).
    OutOfTime,
}

/// One step of an episode: where the agent moved to, what it chose and what the floor did.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EpisodeStep {
    /// Column and row after the step.
    pub to: [usize; 2],
    /// The action the policy chose (0 up, 1 down, 2 left, 3 right, 4 stay).
    pub chosen: usize,
    /// The action the environment carried out: the chosen one, unless the floor slipped.
    pub taken: usize,
    pub reward: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Episode {
    pub start: [usize; 2],
    pub steps: Vec<EpisodeStep>,
    pub outcome: Outcome,
    /// Sum of the rewards (step costs, then the goal's or the lava's reward).
    #[serde(rename = "return")]
    pub total_reward: f32,
    /// Steps at which the floor slipped (taken ≠ chosen).
    pub slips: usize,
}

impl Session {
    /// The teacher (its greedy action: the teacher actually used, with its noise and mixture) or the
    /// student (its argmax) acting from column x, row y of the map shown until the episode ends or
    /// the map's step limit passes, with the session's slip drawn from `seed`. Errors name a start
    /// outside the grid or on a wall, lava or the goal.
    pub fn episode(&self, who: Who, x: i64, y: i64, seed: u64) -> Result<Episode, String> {
        let map = &self.current.map;
        let n = map.size() as i64;
        if x < 0 || y < 0 || x >= n || y >= n {
            return Err(format!("cell ({x}, {y}) is outside the {n}×{n} grid (x and y run 0..={})", n - 1));
        }
        let (x, y) = (x as usize, y as usize);
        let start = map.index(x, y);
        match map.cells()[start] {
            Cell::Floor => {}
            Cell::Wall => return Err(format!("cell ({x}, {y}) is a wall: an episode starts on a floor cell")),
            Cell::Lava | Cell::Goal => {
                return Err(format!("cell ({x}, {y}) ends an episode (lava or the goal): an episode starts on a floor cell"))
            }
        }
        let student = match who {
            Who::Student => Some(self.student_logits(&self.current)),
            Who::Teacher => None,
        };
        let mut rng = StdRng::seed_from_u64(seed);
        let mut at = start;
        let (mut steps, mut total_reward, mut slips) = (Vec::new(), 0.0, 0);
        let mut outcome = Outcome::OutOfTime;
        for _ in 0..map.max_steps() {
            let chosen = match &student {
                Some(logits) => argmax(&logits[at]),
                None => self.current.teacher_action(at),
            };
            let step = map.step(at, Action::from_index(chosen), &self.rules, &mut rng);
            let taken = step.taken.index();
            slips += usize::from(taken != chosen);
            total_reward += step.reward;
            at = step.to;
            let (tx, ty) = map.position(at);
            steps.push(EpisodeStep { to: [tx, ty], chosen, taken, reward: step.reward });
            if step.done {
                outcome = if map.cells()[at] == Cell::Goal { Outcome::Goal } else { Outcome::Lava };
                break;
            }
        }
        Ok(Episode { start: [x, y], steps, outcome, total_reward, slips })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_oracle_walks_the_maze_to_its_goal_along_a_shortest_path() {
        let session = Session::new(&json!({"map": "maze", "teacher": "oracle", "slip": 0.0})).unwrap();
        let map = &session.current.map;
        let (sx, sy) = map.start();
        let episode = session.episode(Who::Teacher, sx as i64, sy as i64, 1).unwrap();
        assert_eq!(episode.outcome, Outcome::Goal);
        assert_eq!(episode.slips, 0);
        assert_eq!(*episode.steps.last().map(|s| &s.to).unwrap(), [map.goal().0, map.goal().1]);
        // Independently: the breadth-first distance from the start to the goal through floor cells.
        let n = map.size();
        let mut distance = vec![usize::MAX; n * n];
        let mut queue = std::collections::VecDeque::from([map.index(sx, sy)]);
        distance[map.index(sx, sy)] = 0;
        while let Some(c) = queue.pop_front() {
            if map.cells()[c].is_terminal() {
                continue;
            }
            let (x, y) = map.position(c);
            for (dx, dy) in [(0i64, -1i64), (0, 1), (-1, 0), (1, 0)] {
                let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                if nx < 0 || ny < 0 || nx >= n as i64 || ny >= n as i64 {
                    continue;
                }
                let next = map.index(nx as usize, ny as usize);
                if map.cells()[next] != Cell::Wall && map.cells()[next] != Cell::Lava && distance[next] == usize::MAX {
                    distance[next] = distance[c] + 1;
                    queue.push_back(next);
                }
            }
        }
        let goal = map.index(map.goal().0, map.goal().1);
        assert_eq!(episode.steps.len(), distance[goal]);
        // Every move is to a neighbour (or stays), never through a wall.
        let mut from = [sx, sy];
        for step in &episode.steps {
            let d = from[0].abs_diff(step.to[0]) + from[1].abs_diff(step.to[1]);
            assert!(d <= 1, "{from:?} → {:?}", step.to);
            assert_ne!(map.cells()[map.index(step.to[0], step.to[1])], Cell::Wall);
            from = step.to;
        }
        let cost = session.rules().step_cost * (episode.steps.len() - 1) as f32;
        assert!((episode.total_reward - (cost + crate::env::GOAL_REWARD)).abs() < 1e-4, "{}", episode.total_reward);
    }

    #[test]
    fn the_same_seed_gives_the_same_episode_and_slips_are_counted() {
        let session = Session::new(&json!({"map": "maze", "slip": 0.3})).unwrap();
        let (sx, sy) = session.current.map.start();
        let a = session.episode(Who::Student, sx as i64, sy as i64, 7).unwrap();
        assert_eq!(a, session.episode(Who::Student, sx as i64, sy as i64, 7).unwrap());
        assert_eq!(a.slips, a.steps.iter().filter(|s| s.taken != s.chosen).count());
        let slipped: usize = (0..20).map(|seed| session.episode(Who::Teacher, sx as i64, sy as i64, seed).unwrap().slips).sum();
        assert!(slipped > 0, "at slip 0.3 some of 20 episodes slip");
    }

    #[test]
    fn bad_starts_are_refused_by_name() {
        let session = Session::new(&json!({"map": "maze"})).unwrap();
        assert!(session.episode(Who::Teacher, -1, 0, 1).unwrap_err().contains("outside the"));
        let map = &session.current.map;
        let wall = (0..map.cells().len()).find(|&c| map.cells()[c] == Cell::Wall).unwrap();
        let (wx, wy) = map.position(wall);
        assert!(session.episode(Who::Student, wx as i64, wy as i64, 1).unwrap_err().contains("is a wall"));
        let (gx, gy) = map.goal();
        assert!(session.episode(Who::Student, gx as i64, gy as i64, 1).unwrap_err().contains("ends an episode"));
    }
}
