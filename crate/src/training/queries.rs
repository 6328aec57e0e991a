//! What the page and the ledger ask of a session: probabilities per cell, plans, the student's
//! logits on any map, agreement on the map shown.

use crate::env::NUM_ACTIONS;
use crate::measure::metrics;
use crate::student::loss::{argmax, softmax};
use crate::student::PLAN_STEPS;
use crate::training::map_data::MapData;
use crate::training::session::{Session, Who};

impl Session {
    /// The teacher's plan and the student's predicted plan (4 actions each) from column x, row y.
    pub fn plans(&self, x: i64, y: i64) -> Result<([usize; PLAN_STEPS], [usize; PLAN_STEPS]), String> {
        let n = self.current.map.size() as i64;
        if x < 0 || y < 0 || x >= n || y >= n {
            return Err(format!("cell ({x}, {y}) is outside the {n}×{n} grid"));
        }
        let cell = self.current.map.index(x as usize, y as usize);
        let logits = self.student.plan_logits(&self.current.observation(cell), 1);
        let mut student = [0; PLAN_STEPS];
        for (k, slot) in student.iter_mut().enumerate() {
            *slot = argmax(&logits[k * NUM_ACTIONS..(k + 1) * NUM_ACTIONS]);
        }
        Ok((self.current.teacher_plan(cell), student))
    }

    /// Student logits for every cell of a map.
    pub fn student_logits(&self, data: &MapData) -> Vec<[f32; NUM_ACTIONS]> {
        let cells = data.map.cells().len();
        let flat = self.student.logits(&data.observations(), cells);
        flat.chunks_exact(NUM_ACTIONS).map(|c| [c[0], c[1], c[2], c[3], c[4]]).collect()
    }

    /// Share of decision cells of the map shown where the student's argmax is a best teacher action.
    pub fn agreement(&self) -> f32 {
        let student = self.student_logits(&self.current);
        let cells = &self.current.decision_cells;
        let choices: Vec<usize> = cells.iter().map(|&c| argmax(&student[c])).collect();
        let best: Vec<Vec<usize>> = cells.iter().map(|&c| self.current.table.best(c)).collect();
        metrics::agreement(&choices, &best)
    }

    /// The teacher's (at temperature `tau`, default the current one) or the student's (τ = 1)
    /// action probabilities at column x, row y. Errors for cells outside the grid.
    pub fn probs(&self, who: Who, x: i64, y: i64, tau: Option<f32>) -> Result<[f32; NUM_ACTIONS], String> {
        let n = self.current.map.size() as i64;
        if x < 0 || y < 0 || x >= n || y >= n {
            return Err(format!("cell ({x}, {y}) is outside the {n}×{n} grid (x and y run 0..={})", n - 1));
        }
        let cell = self.current.map.index(x as usize, y as usize);
        Ok(match who {
            Who::Teacher => self.current.table.log_probs(cell, tau.unwrap_or(self.settings.temperature)).map(crate::math::exp),
            Who::Student => {
                let logits = self.student.logits(&self.current.observation(cell), 1);
                softmax(&[logits[0], logits[1], logits[2], logits[3], logits[4]], 1.0)
            }
        })
    }

    /// Student probabilities (τ = 1) for every cell of the map shown: for drawing.
    pub fn student_probs_all(&self) -> Vec<[f32; NUM_ACTIONS]> {
        self.student_logits(&self.current).iter().map(|l| softmax(l, 1.0)).collect()
    }

    /// Student probabilities at temperature `tau` (softmax of logits ÷ τ) for every cell of the map
    /// shown: for drawing (τ = 1: the moves it makes; the distillation's τ: what the loss compares).
    pub fn student_probs_all_at(&self, tau: f32) -> Vec<[f32; NUM_ACTIONS]> {
        self.student_logits(&self.current).iter().map(|l| softmax(l, tau)).collect()
    }

    /// Teacher probabilities at the current τ for every cell of the map shown.
    pub fn teacher_probs_all(&self) -> Vec<[f32; NUM_ACTIONS]> {
        self.teacher_probs_all_at(self.settings.temperature)
    }

    /// Teacher probabilities p^τ at temperature `tau` for every cell of the map shown: for drawing.
    pub fn teacher_probs_all_at(&self, tau: f32) -> Vec<[f32; NUM_ACTIONS]> {
        (0..self.current.map.cells().len()).map(|c| self.current.table.log_probs(c, tau).map(crate::math::exp)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mixture_probabilities_sum_to_one_and_mix_the_two_teachers() {
        let make = |teacher: &str| Session::new(&json!({"teacher": teacher, "mixWeight": 0.3, "map": "maze"})).unwrap();
        let (neural, oracle, mix) = (make("neural"), make("oracle"), make("mix"));
        for tau in [0.1f32, 1.0, 7.0] {
            for &cell in mix.decision_cells() {
                let (x, y) = mix.map().position(cell);
                let p = |s: &Session| s.probs(Who::Teacher, x as i64, y as i64, Some(tau)).unwrap();
                let (pn, po, pm) = (p(&neural), p(&oracle), p(&mix));
                assert!((pm.iter().sum::<f32>() - 1.0).abs() < 1e-5, "τ={tau}: {pm:?}");
                for a in 0..5 {
                    let want = 0.3 * pn[a] + 0.7 * po[a];
                    assert!((pm[a] - want).abs() < 1e-5 + 1e-4 * want, "τ={tau} action {a}: {} vs {want}", pm[a]);
                }
            }
        }
    }
}
