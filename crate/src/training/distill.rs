//! The distillation step: a batch from the replay buffer, labelled by the teacher, one step of
//! the fused trainer on the chosen loss (plus the plan head's loss when λ_plan > 0).

use crate::env::{pick, NUM_ACTIONS};
use crate::student::loss::log_softmax;
use crate::student::{Objective, SparseRows};
use crate::teacher::targets::noisy_logits;
use crate::training::data::DataSource;
use crate::student::PLAN_STEPS;
use crate::training::session::Session;
use rand::Rng;

impl Session {
    /// One distillation step: collect a record per walker, then one Adam step on a batch drawn
    /// uniformly with replacement from the replay buffer (from the map shown or the random training
    /// maps), labelled by the teacher at τ; with probability ε (teacher noise) a sample's
    /// demonstration is a uniformly random action; with λ_plan > 0 the plan head learns the
    /// teacher's next actions too. False when there is no data to train on.
    pub(super) fn distill_step(&mut self) -> bool {
        if !self.draw_batch() {
            return false;
        }
        let plan_weight = self.settings.plan_weight;
        self.last_loss = if self.peer.is_some() {
            let plans = std::mem::take(&mut self.batch_plans);
            let loss = self.mutual_step((plan_weight > 0.0).then_some((plans.as_slice(), plan_weight)));
            self.batch_plans = plans;
            loss
        } else {
            let plan = (plan_weight > 0.0).then_some((self.batch_plans.as_slice(), plan_weight));
            let objective = Objective::Distill { spec: self.settings.loss_spec(), teacher: &self.batch_targets, plan };
            self.student.train_step(&self.batch_inputs, &objective)
        };
        self.step += 1;
        true
    }

    /// The batch drawn last (`draw_batch`) and what a student learns from it: the loss at τ against
    /// the teacher's targets, and the plan head's loss when λ_plan > 0.
    pub(crate) fn drawn_batch(&self) -> (&SparseRows, Objective<'_>) {
        let plan_weight = self.settings.plan_weight;
        let plan = (plan_weight > 0.0).then_some((self.batch_plans.as_slice(), plan_weight));
        (&self.batch_inputs, Objective::Distill { spec: self.settings.loss_spec(), teacher: &self.batch_targets, plan })
    }

    /// The data half of `distill_step`: collect a record per walker, then draw the batch and label it
    /// (left in `batch_inputs`, `batch_targets` and `batch_plans`). False when there is no data.
    ///
    /// In three passes over the batch, with the random draws in the order of one pass (each sample:
    /// its record, then, unless a person demonstrated it, the teacher-noise draw): the draws; then
    /// each sample's map, input row and teacher target looked up (lookups independent of each other,
    /// so the processor overlaps their cache misses — the samples come from up to 1,024 maps); then
    /// the batch written out.
    pub(crate) fn draw_batch(&mut self) -> bool {
        let spec = self.settings.loss_spec();
        let tau = spec.temperature;
        let batch = self.settings.batch;
        let noise = self.settings.teacher_noise;
        let plan_weight = self.settings.plan_weight;
        self.collect();
        if self.buffer.is_empty() {
            return false;
        }
        // 1. The draws: each sample's record and, for a demonstrated or noisy sample, its action.
        self.drawn.clear();
        let from_people = self.settings.data == DataSource::Human;
        for _ in 0..batch {
            let record = self.buffer.sample(&mut self.rng);
            let given = match self.human.get(record.cell as usize).copied().flatten().filter(|_| from_people) {
                // A person's demonstration: the move they chose, as a hard target.
                Some(action) => Some(action),
                None if noise > 0.0 && self.rng.gen::<f32>() < noise => Some(pick(&mut self.rng, NUM_ACTIONS)),
                None => None,
            };
            self.drawn.push((record, given.map(|a| a as u8)));
        }
        // 2. The teacher's targets, and each input row's first pair read (brought into cache).
        self.drawn_targets.clear();
        let mut touched = 0u32;
        for &(record, given) in &self.drawn {
            let data = self.pool.get(&self.current, record.map as usize);
            let cell = record.cell as usize;
            touched ^= data.inputs.row(cell).first().map_or(0, |&(i, _)| i);
            if given.is_none() {
                self.drawn_targets.push(data.target(cell, tau));
            }
        }
        std::hint::black_box(touched);
        // 3. The batch: inputs, targets and plans, in the order drawn.
        self.batch_inputs.clear();
        self.batch_targets.clear();
        self.batch_plans.clear();
        let mut next_target = 0;
        for k in 0..self.drawn.len() {
            let (record, given) = self.drawn[k];
            let data = self.pool.get(&self.current, record.map as usize);
            let cell = record.cell as usize;
            self.batch_inputs.push_row(data.inputs.row(cell));
            match given {
                Some(action) => {
                    let logits = noisy_logits(action as usize);
                    self.batch_targets.push(&logits, &log_softmax(&logits, tau), action as usize);
                }
                None => {
                    self.batch_targets.push_target(&self.drawn_targets[next_target]);
                    next_target += 1;
                }
            }
            if plan_weight > 0.0 {
                // The plan asks the teacher about the states along it: they count as asked.
                let (mut along, mut count) = ([0usize; PLAN_STEPS], 0);
                let plan = data.teacher_plan_asking(cell, |at| {
                    along[count] = at;
                    count += 1;
                });
                for action in plan {
                    self.batch_plans.extend((0..NUM_ACTIONS).map(|a| if a == action { 1.0 } else { 0.0 }));
                }
                for &state in &along[..count] {
                    self.note_asked(crate::training::data::Record { map: record.map, cell: state as u32 });
                }
            }
        }
        self.counts.consumed += batch as u64;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::GridMap;
    use crate::training::map_data::plan_from;
    use serde_json::json;

    #[test]
    fn plans_follow_the_teacher_and_the_plan_head_learns_them() {
        let map = GridMap::from_text("#####\n#####\nS..LG\n#####\n#####").unwrap();
        let right = vec![3; 25];
        assert_eq!(plan_from(&map, &right, map.index(0, 2)), [3, 3, 3, 4], "stops after entering lava");
        let mut session = Session::new(&json!({"map": "four-rooms", "teacher": "oracle", "planWeight": 1.0, "seed": 2})).unwrap();
        session.train(2500);
        let cells = session.decision_cells().to_vec();
        let mut first_step = 0;
        for &cell in &cells {
            let (x, y) = session.map().position(cell);
            let (teacher, student) = session.plans(x as i64, y as i64).unwrap();
            let best = session.current().table.best(cell);
            if best.contains(&student[0]) || student[0] == teacher[0] {
                first_step += 1;
            }
        }
        let share = first_step as f32 / cells.len() as f32;
        assert!(share > 0.8, "the plan head's first step matches on {share}");
        let untrained = Session::new(&json!({"map": "four-rooms", "teacher": "oracle", "seed": 2})).unwrap();
        let (x, y) = untrained.map().position(cells[0]);
        assert!(untrained.plans(x as i64, y as i64).is_ok());
    }
}
