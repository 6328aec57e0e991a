//! RL fine-tuning: REINFORCE on the reward with a running-mean baseline, plus a decaying
//! kickstarting pull towards the teacher (Schmitt et al. 2018).

use crate::env::{Action, NUM_ACTIONS};
use crate::student::loss::{argmax, softmax};
use crate::student::Objective;
use crate::env::pick;
use crate::training::data::WALKERS;
use crate::training::settings::RlStarts;
use crate::training::session::Session;
use rand::Rng;

impl Session {

    /// λ_k now: kickstart · decay^(fine-tuning steps / 100).
    pub fn kickstart_weight(&self) -> f32 {
        self.settings.kickstart * crate::math::powf(self.settings.kickstart_decay, self.finetune_steps as f32 / 100.0)
    }

    /// One REINFORCE update: `WALKERS` episodes sampled from the student's policy (τ = 1) on the
    /// training maps (from each map's start, or with `rlStarts: anywhere` from a decision cell drawn
    /// uniformly), returns-to-go G_t, advantage G_t − b with b a running mean of returns, plus
    /// the decaying kickstarting term towards the teacher on the visited states.
    pub(super) fn finetune_step(&mut self) {
        let gamma = self.rules.gamma;
        self.batch_inputs.clear();
        self.batch_targets.clear();
        self.kickstart_targets.clear();
        let mut transitions: Vec<(usize, usize, usize, f32)> = Vec::new(); // (map, cell, action, reward)
        let mut episode_ends = Vec::new();
        for _ in 0..WALKERS {
            let map = self.choose_map();
            let mut at = match self.settings.rl_starts {
                RlStarts::Start => self.start_of(map),
                RlStarts::Anywhere => {
                    let count = self.training_map(map).decision_cells.len();
                    if count == 0 {
                        self.start_of(map)
                    } else {
                        let chosen = pick(&mut self.rng, count);
                        self.training_map(map).decision_cells[chosen]
                    }
                }
            };
            let max_steps = self.training_map(map).map.max_steps();
            for _ in 0..max_steps {
                let data = self.pool.get(&self.current, map);
                let logits = self.student.logits(&data.observation(at), 1);
                let probs = softmax(&[logits[0], logits[1], logits[2], logits[3], logits[4]], 1.0);
                let mut draw = self.rng.gen::<f32>();
                let mut action = NUM_ACTIONS - 1;
                for (a, p) in probs.iter().enumerate() {
                    if draw < *p {
                        action = a;
                        break;
                    }
                    draw -= p;
                }
                let step = data.map.step(at, Action::from_index(action), &self.rules, &mut self.rng);
                transitions.push((map, at, action, step.reward));
                at = step.to;
                if step.done {
                    break;
                }
            }
            episode_ends.push(transitions.len());
        }
        // Returns-to-go, episode by episode, from the end.
        let mut returns = vec![0.0f32; transitions.len()];
        let mut begin = 0;
        for &end in &episode_ends {
            let mut running = 0.0;
            for i in (begin..end).rev() {
                running = transitions[i].3 + gamma * running;
                returns[i] = running;
            }
            begin = end;
        }
        let mean_return = returns.iter().sum::<f32>() / returns.len().max(1) as f32;
        let baseline = self.return_baseline.unwrap_or(mean_return);
        let kickstart = self.kickstart_weight();
        let noise = self.settings.teacher_noise;
        for (i, &(map, cell, action, _)) in transitions.iter().enumerate() {
            let data = self.pool.get(&self.current, map);
            self.batch_inputs.push_row(data.inputs.row(cell));
            let logits = data.table.logits(cell);
            let log_probs = teacher_used_log_probs(&data.table.log_probs(cell, 1.0), noise);
            self.batch_targets.push_weighted(&logits, &log_probs, action, returns[i] - baseline);
            self.kickstart_targets.push(&logits, &log_probs, argmax(&logits));
        }
        self.return_baseline = Some(0.9 * baseline + 0.1 * mean_return);
        let objective = Objective::PolicyGradient { weighted_actions: &self.batch_targets, teacher: &self.kickstart_targets, kickstart };
        self.last_loss = self.student.train_step(&self.batch_inputs, &objective);
        self.counts.consumed += transitions.len() as u64;
        self.finetune_steps += 1;
        self.step += 1;
    }
}

/// The policy of the teacher actually used, as log-probabilities: with teacher noise ε it acts
/// uniformly at random with probability ε, so p = (1 − ε)·p_teacher + ε/|A| (the distribution its
/// demonstrations were drawn from; kickstarting pulls towards this, Schmitt et al. 2018 §3).
pub fn teacher_used_log_probs(clean: &[f32; NUM_ACTIONS], noise: f32) -> [f32; NUM_ACTIONS] {
    if noise <= 0.0 {
        return *clean;
    }
    clean.map(|lp| crate::math::ln((1.0 - noise) * crate::math::exp(lp) + noise / NUM_ACTIONS as f32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kickstarting_pulls_towards_the_noisy_teacher_actually_used() {
        let clean = crate::student::loss::log_softmax(&[3.0, 0.0, -1.0, 0.5, -2.0], 1.0);
        assert_eq!(teacher_used_log_probs(&clean, 0.0), clean);
        let noisy = teacher_used_log_probs(&clean, 0.4);
        // Computed by hand: 0.6·p + 0.08 for each action, and the result sums to 1.
        for a in 0..NUM_ACTIONS {
            let expected = (0.6 * (clean[a] as f64).exp() + 0.08).ln();
            assert!((noisy[a] as f64 - expected).abs() < 1e-6, "{a}: {} vs {expected}", noisy[a]);
        }
        assert!((noisy.iter().map(|lp| (*lp as f64).exp()).sum::<f64>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn finetuning_with_reinforce_improves_the_return() {
        // Pure REINFORCE (no pull towards the teacher) on a map where random moves find the goal.
        let map = "S.G..\n.....\n.....\n.....\n.....";
        let mut session = Session::new(&json!({"mapText": map, "teacher": "oracle", "phase": "finetune", "kickstart": 0.0, "lr": 0.01, "seed": 4})).unwrap();
        let before = crate::training::ledger::tests_support::return_from_start(&session);
        session.train(200);
        let after = crate::training::ledger::tests_support::return_from_start(&session);
        assert!(after > 0.9 && after > before, "greedy return from the start {before} → {after}");
        assert!(session.kickstart_weight() == 0.0);
        session.set(&json!({"kickstart": 2.0, "kickstartDecay": 0.5})).unwrap();
        assert!((session.kickstart_weight() - 2.0 * 0.5f32.powf(2.0)).abs() < 1e-5, "200 steps: two halvings");
    }
}
