//! Where training states come from: uniform synthetic states, the teacher's rollouts, the
//! student's own rollouts (DAgger), or a β-mixture; a replay buffer and the pipeline's counters.

use crate::env::{pick, Action, NUM_ACTIONS};
use rand::{rngs::StdRng, Rng};
use serde::Serialize;

crate::named_choice! {
    /// The data source (`data` setting).
    pub enum DataSource {
        /// Reachable states drawn uniformly: synthetic data, no trajectories.
        Uniform = "uniform",
        /// States the teacher's own rollouts visit: behaviour-cloning data (teacher-driven).
        Teacher = "teacher",
        /// States the student's rollouts visit, labelled by the teacher: on-policy data, DAgger
        /// (Ross et al. 2011) / student-driven distillation (Czarnecki et al. 2019).
        Student = "student",
        /// Each rollout step follows the teacher with probability β, else the student (DAgger's β).
        Mix = "mix",
        /// States a person demonstrated on the map shown, labelled with the person's moves
        /// (behaviour cloning from a human); nothing is logged by itself (`Session::demonstrate`).
        Human = "human",
    }
}



crate::named_choice! {
    /// States left out of the transfer set (`leaveOut` setting): every state whose teacher's best
    /// action is this one is never logged, so the student never sees it labelled (Hinton et al. 2015
    /// §3 left the digit 3 out of MNIST's transfer set).
    pub enum LeaveOut {
        /// Nothing left out.
        Nothing = "none",
        Up = "up",
        Down = "down",
        Left = "left",
        Right = "right",
        Stay = "stay",
    }
}

impl LeaveOut {
    /// The action index whose states are left out, if any.
    pub fn action(self) -> Option<usize> {
        match self {
            LeaveOut::Nothing => None,
            LeaveOut::Up => Some(Action::Up.index()),
            LeaveOut::Down => Some(Action::Down.index()),
            LeaveOut::Left => Some(Action::Left.index()),
            LeaveOut::Right => Some(Action::Right.index()),
            LeaveOut::Stay => Some(Action::Stay.index()),
        }
    }
}

/// The distinct states labelled so far: one bit per (training map, cell), sized once per data
/// restart, so it never allocates while training (the soak test holds memory flat).
#[derive(Clone, Debug, Default)]
pub struct LabelledStates {
    bits: Vec<u64>,
    count: usize,
}

/// Cells of the largest map: each training map gets this many bits.
const CELLS_PER_MAP: usize = crate::env::MAX_SIZE * crate::env::MAX_SIZE;

impl LabelledStates {
    /// Empty, with room for `maps` training maps.
    pub fn reset(&mut self, maps: usize) {
        self.bits.clear();
        self.bits.resize((maps * CELLS_PER_MAP).div_ceil(64), 0);
        self.count = 0;
    }
    fn position(record: Record) -> (usize, u64) {
        let bit = record.map as usize * CELLS_PER_MAP + record.cell as usize;
        (bit / 64, 1 << (bit % 64))
    }
    pub fn contains(&self, record: Record) -> bool {
        let (word, mask) = Self::position(record);
        self.bits[word] & mask != 0
    }
    /// Marks `record` labelled.
    pub fn insert(&mut self, record: Record) {
        let (word, mask) = Self::position(record);
        if self.bits[word] & mask == 0 {
            self.bits[word] |= mask;
            self.count += 1;
        }
    }
    pub fn len(&self) -> usize {
        self.count
    }
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
    /// Forgets which states of training map `map` were labelled (a stream put a fresh map in its
    /// slot); the count of distinct labelled states keeps them.
    pub fn forget_map(&mut self, map: u32) {
        let first = map as usize * CELLS_PER_MAP;
        for bit in first..first + CELLS_PER_MAP {
            self.bits[bit / 64] &= !(1 << (bit % 64));
        }
    }
}

/// One logged state: which training map (index) and which cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    pub map: u32,
    pub cell: u32,
}

/// A ring buffer of records: the newest `capacity` are kept.
#[derive(Clone, Debug)]
pub struct ReplayBuffer {
    records: Vec<Record>,
    capacity: usize,
    next: usize,
}

impl ReplayBuffer {
    pub fn new(capacity: usize) -> ReplayBuffer {
        ReplayBuffer { records: Vec::with_capacity(capacity.min(1 << 16)), capacity: capacity.max(1), next: 0 }
    }
    pub fn push(&mut self, record: Record) {
        if self.records.len() < self.capacity {
            self.records.push(record);
        } else {
            self.records[self.next] = record;
        }
        self.next = (self.next + 1) % self.capacity;
    }
    pub fn len(&self) -> usize {
        self.records.len()
    }
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
    pub fn sample(&self, rng: &mut StdRng) -> Record {
        self.records[pick(rng, self.records.len())]
    }
    pub fn records(&self) -> &[Record] {
        &self.records
    }
    pub fn clear(&mut self) {
        self.records.clear();
        self.next = 0;
    }
    /// Drops every record of training map `map` (it left a stream); the rest keep their order.
    pub fn drop_map(&mut self, map: u32) {
        self.records.retain(|r| r.map != map);
        self.next = self.records.len() % self.capacity;
    }
}

/// Counts shown in the page's pipeline strip (teacher → behaviour log → dataset → student).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineCounts {
    /// Distinct states the teacher has labelled so far (what a label budget limits).
    pub labelled: u64,
    /// Distinct states the teacher was asked about so far: the labelled ones and the states along
    /// the plans the plan head learns (`planWeight` > 0), which the budget does not limit.
    pub asked: u64,
    /// States logged by rollouts (or drawn uniformly) so far.
    pub logged: u64,
    /// Records held in the replay buffer now.
    pub held: usize,
    /// Samples drawn from the buffer by training so far.
    pub consumed: u64,
    /// The rollout's current β (share of steps following the teacher), after decay.
    pub beta: f32,
}

/// One agent walking a map to produce trajectory data.
#[derive(Clone, Copy, Debug)]
pub struct Walker {
    pub map: usize,
    pub cell: usize,
    pub steps: usize,
}

/// Number of walkers advanced once per training step.
pub const WALKERS: usize = 8;

/// Picks each walker's next action: teacher's greedy action with probability `beta`, else the
/// student's (given as greedy actions per walker).
pub fn choose_actions(beta: f32, teacher: &[usize], student: &[usize], rng: &mut StdRng) -> Vec<Action> {
    teacher
        .iter()
        .zip(student)
        .map(|(&t, &s)| Action::from_index(if rng.gen::<f32>() < beta { t } else { s } % NUM_ACTIONS))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn ring_buffer_keeps_the_newest() {
        let mut buffer = ReplayBuffer::new(3);
        for i in 0..5 {
            buffer.push(Record { map: 0, cell: i });
        }
        let mut cells: Vec<u32> = buffer.records().iter().map(|r| r.cell).collect();
        cells.sort();
        assert_eq!(cells, vec![2, 3, 4]);
    }

    #[test]
    fn beta_sets_the_share_of_teacher_actions() {
        let mut rng = StdRng::seed_from_u64(3);
        let teacher = vec![0; 10_000];
        let student = vec![1; 10_000];
        let actions = choose_actions(0.3, &teacher, &student, &mut rng);
        let share = actions.iter().filter(|a| **a == Action::Up).count() as f32 / 10_000.0;
        assert!((share - 0.3).abs() < 0.02, "{share}");
    }
}
