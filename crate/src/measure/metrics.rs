//! Behavioural metrics comparing teacher and student: argmax agreement, mean KL, greedy success.
//! Each is a plain function of per-cell policies so the page, the CLI and the tests share them.

use crate::env::{pick, Action, GridMap, Rules, NUM_ACTIONS};
use rand::{rngs::StdRng, SeedableRng};

/// Share of cells where the student's argmax is one of the teacher's best actions
/// (the teacher's argmax; a set only where equally good actions tie exactly).
pub fn agreement(student_choice: &[usize], teacher_best: &[Vec<usize>]) -> f32 {
    if student_choice.is_empty() {
        return 0.0;
    }
    let matches = student_choice.iter().zip(teacher_best).filter(|(s, best)| best.contains(s)).count();
    matches as f32 / student_choice.len() as f32
}

/// Mean over cells of KL(p_T ‖ p_S) = Σ_a p_T (log p_T − log p_S), from log-probabilities
/// (Kullback & Leibler 1951), with 0·log 0 = 0.
pub fn mean_kl(teacher_log_probs: &[[f32; NUM_ACTIONS]], student_log_probs: &[[f32; NUM_ACTIONS]]) -> f32 {
    if teacher_log_probs.is_empty() {
        return 0.0;
    }
    let total: f64 = teacher_log_probs
        .iter()
        .zip(student_log_probs)
        .map(|(t, s)| {
            (0..NUM_ACTIONS)
                .map(|a| {
                    let p = crate::math::exp64(t[a] as f64);
                    if p == 0.0 {
                        0.0
                    } else {
                        p * (t[a] as f64 - s[a] as f64)
                    }
                })
                .sum::<f64>()
        })
        .sum();
    (total / teacher_log_probs.len() as f64) as f32
}

/// Outcome of greedy episodes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RolloutStats {
    /// Share of episodes that reached the goal within 4N steps.
    pub success: f32,
    /// Mean discounted return Σ_k γ^k r_k.
    pub mean_return: f32,
    pub episodes: usize,
}

/// One greedy episode from every cell in `starts`, following `policy[cell]` (an action index per
/// cell), with the map's slip drawn from an RNG seeded by `seed` so results are reproducible.
pub fn greedy_rollouts(map: &GridMap, rules: &Rules, policy: &[usize], starts: &[usize], seed: u64) -> RolloutStats {
    noisy_rollouts(map, rules, policy, starts, seed, 0.0)
}

/// As `greedy_rollouts`, but with probability `epsilon` each action is uniformly random instead
/// (how a noisy teacher behaves).
pub fn noisy_rollouts(map: &GridMap, rules: &Rules, policy: &[usize], starts: &[usize], seed: u64, epsilon: f32) -> RolloutStats {
    noisy_rollouts_by(map, rules, |cell| policy[cell], starts, seed, epsilon)
}

/// `noisy_rollouts` with the policy asked cell by cell (a teacher labelled as its episodes go).
pub fn noisy_rollouts_by(map: &GridMap, rules: &Rules, policy: impl Fn(usize) -> usize, starts: &[usize], seed: u64, epsilon: f32) -> RolloutStats {
    use rand::Rng;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut successes = 0usize;
    let mut total_return = 0.0f64;
    for &start in starts {
        let mut at = start;
        let mut discount = 1.0f64;
        for _ in 0..map.max_steps() {
            let choice = if epsilon > 0.0 && rng.gen::<f32>() < epsilon { pick(&mut rng, NUM_ACTIONS) } else { policy(at) };
            let step = map.step(at, Action::from_index(choice), rules, &mut rng);
            total_return += discount * step.reward as f64;
            discount *= rules.gamma as f64;
            at = step.to;
            if step.done {
                if step.reward > 0.0 {
                    successes += 1;
                }
                break;
            }
        }
    }
    let episodes = starts.len();
    if episodes == 0 {
        return RolloutStats::default();
    }
    RolloutStats { success: successes as f32 / episodes as f32, mean_return: (total_return / episodes as f64) as f32, episodes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_metrics() {
        assert_eq!(agreement(&[0, 1, 2, 3], &[vec![0], vec![1, 2], vec![1], vec![3]]), 0.75);
        // KL between identical distributions is 0; between (1,0,…) and uniform it is log 5.
        let uniform = [(0.2f32).ln(); 5];
        assert!(mean_kl(&[uniform], &[uniform]).abs() < 1e-7);
        let one_hot = [0.0, f32::NEG_INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY];
        assert!((mean_kl(&[one_hot], &[uniform]) - 5f32.ln()).abs() < 1e-6);
    }

    #[test]
    fn greedy_rollouts_count_success_and_return() {
        let map = GridMap::from_text("#####\n#####\nS..LG\n#####\n#####").unwrap();
        let rules = Rules { step_cost: -0.01, slip: 0.0, gamma: 0.9 };
        // Always right: from x=0,1,2 the agent walks into lava at x=3; nobody reaches the goal.
        let right = vec![3; 25];
        let starts = [map.index(0, 2), map.index(2, 2)];
        let stats = greedy_rollouts(&map, &rules, &right, &starts, 1);
        assert_eq!(stats.success, 0.0);
        // From x=0: −0.01, −0.01·0.9, then lava −1·0.81. From x=2: −1.
        let expected = ((-0.01 - 0.009 - 0.81) + -1.0) / 2.0;
        assert!((stats.mean_return - expected).abs() < 1e-6);
        // Staying forever never succeeds and lasts 4N steps.
        let stay = vec![4; 25];
        assert_eq!(greedy_rollouts(&map, &rules, &stay, &starts, 1).success, 0.0);
    }
}
