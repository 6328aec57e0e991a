use distill_playground::env::{Action, Rules, NUM_ACTIONS};
use distill_playground::heldout::{all_observations, validation_maps};
use distill_playground::loss::argmax;
use distill_playground::planner;
use distill_playground::teacher::NeuralTeacher;
use rand::SeedableRng;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let teacher = NeuralTeacher::from_bytes(&std::fs::read(path).unwrap()).unwrap();
    let rules = Rules::default();
    let mut shown = 0;
    for map in validation_maps(200) {
        let cells = map.cells().len();
        let logits = teacher.logits(&all_observations(&map), cells);
        let policy: Vec<usize> = logits.chunks_exact(NUM_ACTIONS).map(argmax).collect();
        let table = planner::solve(&map, &rules);
        let (sx, sy) = map.start();
        let mut at = map.index(sx, sy);
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        let mut path = vec![];
        let mut ok = false;
        for _ in 0..map.max_steps() {
            path.push(at);
            let s = map.step(at, Action::from_index(policy[at]), &rules, &mut rng);
            if s.done { ok = s.reward > 0.0; break; }
            at = s.to;
        }
        if ok { continue; }
        shown += 1;
        if shown > 4 { continue; }
        let text = map.to_text();
        let mut grid: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
        let arrows = ['^', 'v', '<', '>', 'o'];
        for &c in &path { let (x, y) = map.position(c); if grid[y][x] == '.' { grid[y][x] = arrows[policy[c]]; } }
        for row in &grid { println!("{}", row.iter().collect::<String>()); }
        let wrong: Vec<String> = path.iter().filter(|&&c| !table.best_actions(c).contains(&policy[c])).map(|&c| format!("{:?} net {} oracle {:?}", map.position(c), arrows[policy[c]], table.best_actions(c).iter().map(|&a| arrows[a]).collect::<String>())).collect();
        println!("errors on path: {:?}\n", wrong);
    }
    println!("failures: {shown}");
}
