//! Where each tensor lives in the fused network's one flat parameter vector (so Adam is one loop
//! over all of it), and the members of a cohort: students that share the step's first layer side by
//! side, each with its own heads, read and written in dfdx's layout one member at a time.

use super::{heads_one, FusedMlp, PLAN_OUTPUTS};
use crate::student::kernels::sparse_layer;
use crate::student::lanes::compact_nonzero;
use crate::env::observation::OBS_LEN;
use crate::env::NUM_ACTIONS;
use crate::student::objective::Objective;
use crate::student::sparse_rows::SparseRows;
use crate::student::weights::NamedTensor;

/// One member's place: its hidden units are columns `offset..offset + hidden` of the shared first
/// layer, and its heads' weights and biases start at `w2`, `b2`, `w3`, `b3`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Member {
    pub(super) offset: usize,
    pub(super) hidden: usize,
    pub(super) w2: usize,
    pub(super) b2: usize,
    pub(super) w3: usize,
    pub(super) b3: usize,
}

/// The flat vector: the first layer's weight, transposed (row i, input i, holds every member's H
/// values), its bias, then each member's policy and plan heads.
#[derive(Clone, Debug)]
pub(super) struct Layout {
    /// Every member's hidden units (the width of the shared first layer).
    pub(super) hidden: usize,
    pub(super) w1t: usize,
    pub(super) b1: usize,
    pub(super) members: Vec<Member>,
    pub(super) len: usize,
}

impl Layout {
    /// Members of these widths; one member is the plain student 245 → H → 5 (+ 20).
    pub(super) fn new(widths: &[usize]) -> Layout {
        let hidden = widths.iter().sum();
        let (w1t, b1) = (0, OBS_LEN * hidden);
        let mut at = b1 + hidden;
        let mut offset = 0;
        let members = widths
            .iter()
            .map(|&h| {
                let w2 = at;
                let b2 = w2 + NUM_ACTIONS * h;
                let w3 = b2 + NUM_ACTIONS;
                let b3 = w3 + PLAN_OUTPUTS * h;
                at = b3 + PLAN_OUTPUTS;
                let member = Member { offset, hidden: h, w2, b2, w3, b3 };
                offset += h;
                member
            })
            .collect();
        Layout { hidden, w1t, b1, members, len: at }
    }
}

impl FusedMlp {
    /// A cohort: students of the given widths and weights (dfdx layout), trained together on the
    /// same batches by `train_cohort_step`, each exactly as it would train alone; one Adam state.
    pub fn cohort(members: &[(usize, &[NamedTensor])], lr: f32) -> Result<FusedMlp, String> {
        if members.is_empty() {
            return Err("a cohort needs at least one member".into());
        }
        let widths: Vec<usize> = members.iter().map(|(h, _)| *h).collect();
        if let Some(bad) = widths.iter().find(|&&h| h == 0 || h % 4 != 0) {
            return Err(format!("width {bad}: a width is a positive multiple of 4"));
        }
        let mut mlp = FusedMlp::with_layout(Layout::new(&widths), lr);
        for (index, (_, tensors)) in members.iter().enumerate() {
            mlp.load_member(index, tensors, true).map_err(|e| if members.len() > 1 { format!("member {index}: {e}") } else { e })?;
        }
        Ok(mlp)
    }

    /// How many students train together here (1 outside a cohort).
    pub fn members(&self) -> usize {
        self.layout.members.len()
    }

    /// Member `index`'s width (hidden units).
    pub fn member_width(&self, index: usize) -> usize {
        self.layout.members[index].hidden
    }

    /// One Adam step of every member on one batch; returns each member's batch loss before the step.
    pub fn train_cohort_step(&mut self, rows: &SparseRows, objective: &Objective) -> &[f32] {
        self.train_step(rows, objective);
        &self.losses
    }

    /// Member `index`'s weights in dfdx's layout and names.
    pub fn member_tensors(&self, index: usize) -> Vec<NamedTensor> {
        let l = &self.layout;
        let m = l.members[index];
        let (h, stride, p) = (m.hidden, l.hidden, &self.params);
        let hidden_weight: Vec<f32> = (0..h).flat_map(|j| (0..OBS_LEN).map(move |i| p[l.w1t + i * stride + m.offset + j])).collect();
        vec![
            ("hidden.weight".into(), vec![h, OBS_LEN], hidden_weight),
            ("hidden.bias".into(), vec![h], p[l.b1 + m.offset..l.b1 + m.offset + h].to_vec()),
            ("policy.weight".into(), vec![NUM_ACTIONS, h], p[m.w2..m.b2].to_vec()),
            ("policy.bias".into(), vec![NUM_ACTIONS], p[m.b2..m.w3].to_vec()),
            ("plan.weight".into(), vec![PLAN_OUTPUTS, h], p[m.w3..m.b3].to_vec()),
            ("plan.bias".into(), vec![PLAN_OUTPUTS], p[m.b3..m.b3 + PLAN_OUTPUTS].to_vec()),
        ]
    }

    /// Every member's policy logits for rows of 245 floats (member m's batch × 5 in `out[m]`), bit
    /// for bit what each member alone computes (`member(m)`'s `infer`): every column of the wide
    /// first layer sums the same rows in the same order as the member's own, then each member's
    /// head reads its columns. One pass, where extracting each member would copy its weights.
    pub fn infer_members(&self, observations: &[f32]) -> Vec<Vec<f32>> {
        let l = &self.layout;
        let batch = observations.len() / OBS_LEN;
        let mut out = vec![vec![0.0; batch * NUM_ACTIONS]; l.members.len()];
        let mut hidden = vec![0.0; l.hidden];
        let mut active = [(0u32, 0.0f32); OBS_LEN];
        for (b, observation) in observations.chunks_exact(OBS_LEN).enumerate() {
            let count = compact_nonzero(observation, &mut active);
            sparse_layer(&mut hidden, &self.params[l.b1..l.b1 + l.hidden], &active[..count], &self.params[l.w1t..l.b1], l.hidden);
            for (logits, &m) in out.iter_mut().zip(&l.members) {
                heads_one(&self.params, m, &hidden[m.offset..m.offset + m.hidden], &mut logits[b * NUM_ACTIONS..(b + 1) * NUM_ACTIONS], &mut []);
            }
        }
        out
    }

    /// Member `index` alone, as a student of its width with its weights now (a fresh Adam state).
    pub fn member(&self, index: usize) -> FusedMlp {
        FusedMlp::from_tensors(self.layout.members[index].hidden, &self.member_tensors(index), self.lr).expect("a member's own tensors fit its width")
    }

    /// Replaces member `index`'s weights (names and shapes checked, and finiteness unless
    /// `check_finite` is false); on error nothing changes. Adam's state is kept.
    pub(super) fn load_member(&mut self, index: usize, tensors: &[NamedTensor], check_finite: bool) -> Result<(), String> {
        let l = self.layout.clone();
        let m = l.members[index];
        let h = m.hidden;
        let expected: [(&str, Vec<usize>); 6] = [
            ("hidden.weight", vec![h, OBS_LEN]),
            ("hidden.bias", vec![h]),
            ("policy.weight", vec![NUM_ACTIONS, h]),
            ("policy.bias", vec![NUM_ACTIONS]),
            ("plan.weight", vec![PLAN_OUTPUTS, h]),
            ("plan.bias", vec![PLAN_OUTPUTS]),
        ];
        let mut found = Vec::with_capacity(expected.len());
        for (name, shape) in &expected {
            let tensor = tensors.iter().find(|(n, _, _)| n == name).ok_or_else(|| format!("missing tensor '{name}'"))?;
            if &tensor.1 != shape || tensor.2.len() != shape.iter().product::<usize>() {
                return Err(format!("tensor '{name}' has shape {:?}, expected {shape:?}", tensor.1));
            }
            if let Some(bad) = tensor.2.iter().find(|v| check_finite && !v.is_finite()) {
                return Err(format!("tensor '{name}' holds a non-finite value ({bad})"));
            }
            found.push(&tensor.2);
        }
        let p = &mut self.params;
        for (j, row) in found[0].chunks_exact(OBS_LEN).enumerate() {
            for (i, &w) in row.iter().enumerate() {
                p[l.w1t + i * l.hidden + m.offset + j] = w;
            }
        }
        p[l.b1 + m.offset..l.b1 + m.offset + h].copy_from_slice(found[1]);
        p[m.w2..m.b2].copy_from_slice(found[2]);
        p[m.b2..m.w3].copy_from_slice(found[3]);
        p[m.w3..m.b3].copy_from_slice(found[4]);
        p[m.b3..m.b3 + PLAN_OUTPUTS].copy_from_slice(found[5]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::maps::{builtin, MapName};
    use crate::env::observation::encode;
    use crate::student::loss::{argmax, log_softmax, LossKind, LossSpec, TeacherTargets};
    use crate::student::Student;

    /// Batches of four-rooms cells with made-up teacher logits and plan targets, varying by step.
    fn batch(step: usize, size: usize) -> (SparseRows, TeacherTargets, Vec<f32>) {
        let map = builtin(MapName::FourRooms, 1).expect("a built-in map");
        let cells = map.decision_cells();
        let (mut rows, mut targets, mut plans) = (SparseRows::new(), TeacherTargets::with_capacity(size), Vec::new());
        for i in 0..size {
            let cell = cells[(i * 7 + step * 13) % cells.len()];
            rows.push_dense(&encode(&map, cell));
            let logits: [f32; NUM_ACTIONS] = std::array::from_fn(|a| ((cell * 31 + a * 17 + step) % 11) as f32 * 0.4 - 2.0);
            targets.push(&logits, &log_softmax(&logits, 2.0), argmax(&logits));
            plans.extend((0..PLAN_OUTPUTS).map(|k| if k % NUM_ACTIONS == (cell + k / NUM_ACTIONS) % NUM_ACTIONS { 1.0 } else { 0.0 }));
        }
        (rows, targets, plans)
    }

    #[test]
    fn every_member_of_a_cohort_trains_bit_for_bit_as_it_would_alone() {
        let widths = [4, 8, 64, 16];
        let students: Vec<Student> = widths.iter().enumerate().map(|(k, &h)| Student::new(h, 10 + k as u64, 3e-3).unwrap()).collect();
        let tensors: Vec<Vec<NamedTensor>> = students.iter().map(|s| s.tensors()).collect();
        let members: Vec<(usize, &[NamedTensor])> = widths.iter().zip(&tensors).map(|(&h, t)| (h, t.as_slice())).collect();
        let mut cohort = FusedMlp::cohort(&members, 3e-3).unwrap();
        let mut alone: Vec<FusedMlp> = widths.iter().zip(&tensors).map(|(&h, t)| FusedMlp::from_tensors(h, t, 3e-3).unwrap()).collect();
        for (index, &h) in widths.iter().enumerate() {
            assert_eq!(cohort.member_tensors(index), tensors[index], "width {h} reads back as loaded");
        }
        for step in 0..60 {
            let (rows, targets, plans) = batch(step, 48);
            // The plan head trains on every other step, so both kinds of step are checked.
            let plan = (step % 2 == 1).then_some((plans.as_slice(), 0.5));
            let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 2.0), teacher: &targets, plan };
            let losses = cohort.train_cohort_step(&rows, &objective).to_vec();
            for (index, mlp) in alone.iter_mut().enumerate() {
                let loss = mlp.train_step(&rows, &objective);
                assert_eq!(losses[index].to_bits(), loss.to_bits(), "member {index}, step {step}");
            }
        }
        for (index, mlp) in alone.iter().enumerate() {
            assert_eq!(cohort.member_tensors(index), mlp.tensors(), "member {index} (width {})", widths[index]);
            assert_eq!(cohort.member(index).tensors(), mlp.tensors());
        }
        // Every member's logits in one pass, bit for bit each member's own.
        let map = crate::env::maps::builtin(crate::env::maps::MapName::FourRooms, 1).unwrap();
        let observations: Vec<f32> = map.decision_cells().iter().flat_map(|&c| crate::env::observation::encode(&map, c)).collect();
        let together = cohort.infer_members(&observations);
        for (index, mlp) in alone.iter().enumerate() {
            let own = mlp.infer(&observations, false);
            assert!(own.iter().any(|&x| x != 0.0));
            assert_eq!(together[index].iter().map(|x| x.to_bits()).collect::<Vec<_>>(), own.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "member {index}");
        }
        assert_eq!(cohort.members(), 4);
        assert!(FusedMlp::cohort(&[], 1e-3).is_err());
        let wrong = [(8, tensors[0].as_slice())];
        assert!(FusedMlp::cohort(&wrong, 1e-3).err().expect("a width-4 tensor is not width 8").contains("hidden.weight"));
    }

    #[test]
    fn a_step_split_at_its_forward_pass_is_the_whole_step_bit_for_bit() {
        // Mutual learning reads each network's logits between the halves of its step.
        for h in [8, 128] {
            let tensors = Student::new(h, 5, 3e-3).unwrap().tensors();
            let (mut split, mut whole) = (FusedMlp::from_tensors(h, &tensors, 3e-3).unwrap(), FusedMlp::from_tensors(h, &tensors, 3e-3).unwrap());
            for step in 0..20 {
                let (rows, targets, plans) = batch(step, 40);
                let plan = (step % 2 == 1).then_some((plans.as_slice(), 0.5));
                let objective = Objective::Distill { spec: LossSpec::new(LossKind::Kl, 2.0), teacher: &targets, plan };
                let logits = split.forward_for_step(&rows, plan.is_some());
                let inferred = whole.infer(&rows.to_dense(), false);
                assert_eq!(logits.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), inferred.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "width {h}, step {step}");
                let (a, b) = (split.train_step_after_forward(&rows, &objective), whole.train_step(&rows, &objective));
                assert_eq!(a.to_bits(), b.to_bits(), "width {h}, step {step}");
            }
            assert_eq!(split.tensors(), whole.tensors(), "width {h}");
        }
    }
}
