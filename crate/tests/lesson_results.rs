//! The committed lesson results are the code's: the catalogue in `docs/results/lessons.txt` is
//! today's, and one seed of every arm, re-computed now at the committed scale, gives the committed
//! rows exactly. And a run cut into shards and merged prints what the whole run prints.

use distill_playground::training::lessons::{lessons, run_arm, ArmRow};
use rayon::prelude::*;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn committed() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/results/lessons.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let last = text.lines().rev().find(|l| l.starts_with('{')).expect("lessons.txt ends with the run's JSON line");
    serde_json::from_str(last).expect("the JSON line parses")
}

const REGENERATE: &str = "regenerate it on this code: bash scripts/results.sh --lessons-only (about 15 minutes on 2 cores)";

#[test]
fn the_committed_lessons_are_todays_catalogue() {
    let committed = committed();
    assert_eq!((committed["seeds"].as_u64(), committed["firstSeed"].as_u64(), committed["evaluationMaps"].as_u64()), (Some(10), Some(1), Some(1000)));
    assert_eq!(committed["spec"]["set"], serde_json::json!([]), "the committed results use no overrides");
    let definitions: Vec<&Value> = committed["lessons"].as_array().expect("lessons").iter().map(|l| &l["lesson"]).collect();
    let today: Vec<Value> = lessons().iter().map(|l| serde_json::to_value(l).expect("plain values")).collect();
    assert_eq!(definitions.len(), today.len(), "docs/results/lessons.txt has another number of lessons: {REGENERATE}");
    for (old, new) in definitions.iter().zip(&today) {
        assert_eq!(*old, new, "lesson {} differs from docs/results/lessons.txt: {REGENERATE}", new["id"]);
    }
}

#[test]
fn one_seed_of_every_arm_gives_the_committed_rows_exactly() {
    let committed = committed();
    let maps = committed["evaluationMaps"].as_u64().expect("maps") as usize;
    let seed = 1;
    let expected: Vec<ArmRow> = committed["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .flat_map(|l| l["rows"].as_array().expect("rows").iter())
        .map(|r| serde_json::from_value::<ArmRow>(r.clone()).expect("a row"))
        .filter(|r| r.seed == seed)
        .collect();
    let catalogue = lessons();
    let jobs: Vec<(usize, usize)> = catalogue.iter().enumerate().flat_map(|(l, lesson)| (0..lesson.arms.len()).map(move |a| (l, a))).collect();
    let rows: Vec<ArmRow> = jobs.par_iter().map(|&(l, a)| run_arm(&catalogue[l], &catalogue[l].arms[a], seed, maps).expect("valid settings")).collect();
    assert_eq!(rows.len(), expected.len(), "{REGENERATE}");
    for row in &rows {
        let old = expected.iter().find(|e| e.lesson == row.lesson && e.arm == row.arm).unwrap_or_else(|| panic!("{} / {} is not committed: {REGENERATE}", row.lesson, row.arm));
        assert_eq!(row, old, "{} / {} / seed {seed} now differs from docs/results/lessons.txt: {REGENERATE}", row.lesson, row.arm);
    }
}

fn distill(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_distill")).args(args).output().expect("the distill binary runs");
    assert!(out.status.success(), "distill {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn shards_merged_print_what_the_whole_run_prints() {
    let run = ["lessons", "--steps", "60", "--seeds", "2", "--first-seed", "1001", "--maps", "4", "--json"];
    let whole = distill(&run);
    let dir = std::env::temp_dir().join(format!("distill-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let mut files = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let mut args = run.to_vec();
        args.extend(["--shard", &shard, "--threads", "1"]);
        let path = dir.join(format!("shard-{i}.json"));
        std::fs::write(&path, distill(&args)).expect("written");
        files.push(path.to_string_lossy().into_owned());
    }
    files.reverse(); // the order of the files does not matter
    let mut merge_args = vec!["merge", "--json"];
    merge_args.extend(files.iter().map(String::as_str));
    let merged = distill(&merge_args);
    assert!(whole.contains("\"lessons\"") && whole.lines().count() > lessons().len(), "{whole}");
    assert_eq!(merged, whole, "merged shards differ from the whole run");
    // A missing shard is named.
    let out = Command::new(env!("CARGO_BIN_EXE_distill")).args(["merge", &files[0], &files[1]]).output().expect("runs");
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("is missing"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).ok();
}
