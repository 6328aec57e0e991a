//! The native command line: `distill run` trains one student and prints its results,
//! `distill bench` times the reference training workload. Same core as the browser.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = cli::main() {
        eprintln!("error: {message}");
        std::process::exit(2);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod lessons;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use super::lessons;
    use clap::{Args, Parser, Subcommand};
    use distill_playground::training::session::Session;
    use serde_json::{json, Value};
    use std::time::Instant;

    #[derive(Parser)]
    #[command(name = "distill", about = "Knowledge distillation of a gridworld teacher into a tiny student")]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Train one student and print its results (one JSON object on the last line with --json).
        Run(RunArgs),
        /// Train the neural teacher on random maps from the oracle's targets and write its weights.
        TrainTeacher {
            #[arg(long, default_value_t = 7)]
            seed: u64,
            #[arg(long, default_value_t = 60_000)]
            steps: usize,
            #[arg(long, default_value_t = 256)]
            batch: usize,
            /// Share of training maps drawn with the held-out maps' settings (never their seeds).
            #[arg(long, default_value_t = 0.5)]
            focus_share: f32,
            /// Maps in the training pool; with --refresh-every 0 the pool is fixed.
            #[arg(long, default_value_t = 512)]
            pool: usize,
            #[arg(long, default_value_t = 50)]
            refresh_every: usize,
            #[arg(long, default_value_t = 0.7)]
            on_policy_share: f32,
            #[arg(long, default_value_t = 0.5)]
            target_temperature: f32,
            #[arg(long, default_value = "crate/assets/teacher.safetensors")]
            out: std::path::PathBuf,
        },
        /// The compression curve: students of widths 4–128 trained across random maps, measured on
        /// the held-out maps as ability retained against compute used.
        Sweep {
            #[arg(long, default_value_t = 6000)]
            steps: u32,
            /// Seeds 1..=N for every width.
            #[arg(long, default_value_t = 3)]
            seeds: u64,
            #[arg(long, default_value = "kl")]
            loss: String,
            #[arg(long, default_value_t = 1.0)]
            temperature: f64,
            /// Distinct random training maps each student learns from (1–4096).
            #[arg(long, default_value_t = 64)]
            maps: u32,
            /// Worker threads (0: one per core).
            #[arg(long, default_value_t = 0)]
            threads: usize,
            #[arg(long)]
            json: bool,
        },
        /// Run the lesson catalogue (every claim as an experiment with a verdict) on every core.
        Lessons {
            /// Only the lesson with this id.
            #[arg(long)]
            only: Option<String>,
            /// Seeds 1..=N for every arm.
            #[arg(long, default_value_t = 10)]
            seeds: u64,
            /// Evaluation maps per seed (held-out, never used for training or selection).
            #[arg(long, default_value_t = 1000)]
            maps: usize,
            /// Worker threads (0: one per core).
            #[arg(long, default_value_t = 0)]
            threads: usize,
            /// Print the definitions, every per-seed row and the verdicts as one JSON object.
            #[arg(long)]
            json: bool,
            /// field=value applied over the lesson's base settings (to try another regime; the
            /// committed results use none).
            #[arg(long)]
            set: Vec<String>,
            /// Distillation steps of every arm (default: the lesson's).
            #[arg(long)]
            steps: Option<u32>,
            /// The first seed (seeds K..K+N−1): a search for a lesson's regime uses seeds the
            /// committed results (1..=10) never use, so their evaluation maps stay unseen.
            #[arg(long, default_value_t = 1)]
            first_seed: u64,
            /// Run only shard i of n (1-based: the jobs at positions i−1, i−1+n, …) and print its
            /// rows as one JSON object; `distill merge` joins the n shards' files.
            #[arg(long)]
            shard: Option<String>,
        },
        /// Where a claim holds: one lesson over a grid of settings (`--vary field=v1,v2`, repeat for a
        /// product), every point a whole run with its own verdict; a table, then one JSON line.
        Map {
            /// The lesson.
            #[arg(long)]
            only: String,
            /// field=v1,v2,...: an axis of the grid (repeat for a product; the first varies slowest).
            #[arg(long, required = true)]
            vary: Vec<String>,
            /// field=value applied at every point.
            #[arg(long)]
            set: Vec<String>,
            #[arg(long, default_value_t = 10)]
            seeds: u64,
            #[arg(long, default_value_t = 1)]
            first_seed: u64,
            #[arg(long, default_value_t = 1000)]
            maps: usize,
            #[arg(long)]
            steps: Option<u32>,
            /// Worker threads (0: one per core).
            #[arg(long, default_value_t = 0)]
            threads: usize,
        },
        /// Join the files of `distill lessons --shard i/n` (every i of one n) into the report the
        /// whole run prints (the same bytes).
        Merge {
            files: Vec<std::path::PathBuf>,
            #[arg(long)]
            json: bool,
        },
        /// Run a grid of settings over several seeds; print means and spread (JSON with --json).
        /// Either a preset (`--scenario temperature`) or your own (`--vary loss=hard,kl --set map=maze`).
        Compare {
            #[arg(long)]
            scenario: Option<String>,
            /// field=v1,v2,...: one arm per value (repeat for a cartesian product).
            #[arg(long)]
            vary: Vec<String>,
            /// field=value applied to every arm.
            #[arg(long)]
            set: Vec<String>,
            #[arg(long, default_value_t = 5)]
            seeds: u64,
            /// The first seed (seeds K..K+N−1). By default an exploration range that the committed
            /// lesson results (seeds 1..=10) never use, so a comparison never selects on their maps.
            #[arg(long, default_value_t = distill_playground::training::lessons::EXPLORATION_FIRST_SEED)]
            first_seed: u64,
            /// Training steps per arm (default: the scenario's, else 2000).
            #[arg(long)]
            steps: Option<u32>,
            /// Worker threads (0: one per core).
            #[arg(long, default_value_t = 0)]
            threads: usize,
            #[arg(long)]
            json: bool,
        },
        /// Time the reference workload (student 245→64→5, batch 64, Adam, `kl` loss) through the
        /// session, each engine alone, the dense yardstick and batched decisions.
        Bench {
            /// Seconds to time each workload (after a warm-up).
            #[arg(long, default_value_t = 3.0)]
            seconds: f64,
            #[arg(long)]
            json: bool,
            /// Also print the table of steps/s against batch (1…1024) and width (8…512).
            #[arg(long)]
            scaling: bool,
        },
    }

    #[derive(Args)]
    struct RunArgs {
        #[arg(long, default_value = "four-rooms")]
        map: String,
        /// Teacher: neural (the bundled network), oracle (the planner) or mix.
        #[arg(long, default_value = "neural")]
        teacher: String,
        /// Weight of the neural teacher when --teacher mix.
        #[arg(long, default_value_t = 0.5)]
        mix_weight: f64,
        /// Teacher noise ε: probability that a demonstration is a random action.
        #[arg(long, default_value_t = 0.0)]
        teacher_noise: f64,
        /// Data source: uniform, teacher, student or mix.
        #[arg(long, default_value = "uniform")]
        data: String,
        /// β of the mix data source.
        #[arg(long, default_value_t = 0.5)]
        data_beta: f64,
        /// Loss of the plan head (λ_plan; 0 = off).
        #[arg(long, default_value_t = 0.0)]
        plan_weight: f64,
        /// After --steps of distillation, this many steps of RL fine-tuning (REINFORCE + kickstarting).
        #[arg(long, default_value_t = 0)]
        finetune_steps: u32,
        /// β of the jsd loss; α of the hard/soft mix.
        #[arg(long, default_value_t = 0.5)]
        jsd_beta: f64,
        #[arg(long, default_value_t = 1.0)]
        soft_weight: f64,
        /// Train on the map given (`current`), across 64 seeded random maps (`random`), across N, or on
        /// a `stream` of fresh random maps (a new one every step).
        #[arg(long, default_value = "current")]
        train_maps: String,
        /// At most this many distinct states labelled by the teacher (0: no limit).
        #[arg(long, default_value_t = 0)]
        label_budget: u64,
        #[arg(long, default_value = "kl")]
        loss: String,
        #[arg(long, default_value_t = 1.0)]
        temperature: f64,
        #[arg(long, default_value_t = 32)]
        hidden: u32,
        #[arg(long, default_value_t = 2000)]
        steps: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 0.003)]
        lr: f64,
        #[arg(long, default_value_t = 64)]
        batch: u32,
        #[arg(long, default_value_t = 0.0)]
        slip: f64,
        #[arg(long)]
        json: bool,
    }

    pub fn main() -> Result<(), String> {
        match Cli::parse().command {
            Command::Run(args) => run(args),
            Command::Bench { seconds, json, scaling } => bench(seconds, json, scaling),
            Command::Sweep { steps, seeds, loss, temperature, maps, threads, json } => sweep(steps, seeds, &loss, temperature, maps, threads, json),
            Command::Compare { scenario, vary, set, seeds, first_seed, steps, threads, json } => compare(scenario, &vary, &set, first_seed..first_seed + seeds, steps, threads, json),
            Command::Lessons { only, seeds, maps, threads, json, set, steps, first_seed, shard } => {
                let spec = distill_playground::training::lessons::jobs::RunSpec { only, set, steps, first_seed, seeds, maps };
                lessons::lessons(spec, shard, threads, json)
            }
            Command::Merge { files, json } => lessons::merge_files(&files, json),
            Command::Map { only, vary, set, seeds, first_seed, maps, steps, threads } => {
                use distill_playground::training::lessons::regimes::{Axis, MapSpec};
                let axes = vary.iter().map(|a| Axis::parse(a)).collect::<Result<Vec<_>, _>>()?;
                let run = distill_playground::training::lessons::jobs::RunSpec { only: Some(only), set, steps, first_seed, seeds, maps };
                lessons::map(MapSpec { run, axes }, threads)
            }
            Command::TrainTeacher { seed, steps, batch, focus_share, pool, refresh_every, on_policy_share, target_temperature, out } => {
                let config = distill_playground::teacher::training::TeacherTrainingConfig { seed, steps, batch, focus_share, pool, refresh_every, on_policy_share, target_temperature, ..Default::default() };
                train_teacher(config, &out)
            },
        }
    }

    fn run(args: RunArgs) -> Result<(), String> {
        let settings = json!({
            "map": args.map, "loss": args.loss, "temperature": args.temperature, "hidden": args.hidden,
            "seed": args.seed, "lr": args.lr, "batch": args.batch, "slip": args.slip, "teacher": args.teacher,
            "mixWeight": args.mix_weight, "teacherNoise": args.teacher_noise, "trainMaps": parse_value(&args.train_maps), "labelBudget": args.label_budget,
            "data": args.data, "dataBeta": args.data_beta, "planWeight": args.plan_weight, "jsdBeta": args.jsd_beta,
            "softWeight": args.soft_weight,
        });
        let mut session = Session::new(&settings).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let mut report = session.train(args.steps);
        if args.finetune_steps > 0 {
            session.set(&json!({"phase": "finetune"})).map_err(|e| e.to_string())?;
            report = session.train(args.finetune_steps);
        }
        let seconds = started.elapsed().as_secs_f64();
        let clock_start = Instant::now();
        let clock = move || clock_start.elapsed().as_secs_f64() * 1000.0;
        let ledger = session.ledger(Some(&clock));
        let mut out = serde_json::to_value(ledger).expect("plain numbers");
        let fields = out.as_object_mut().expect("an object");
        fields.insert("loss".into(), json!(report.loss));
        fields.insert("trainSeconds".into(), json!(seconds));
        fields.insert("settings".into(), serde_json::to_value(session.settings()).expect("plain values"));
        if args.json {
            println!("{}", Value::Object(fields.clone()));
        } else {
            for (key, value) in fields.iter().filter(|(k, _)| *k != "settings") {
                println!("{key:>16}  {value}");
            }
        }
        Ok(())
    }

    fn train_teacher(config: distill_playground::teacher::training::TeacherTrainingConfig, out: &std::path::Path) -> Result<(), String> {
        use distill_playground::teacher::training::train_teacher;
        if config.steps == 0 || config.batch == 0 || config.pool < 8 {
            return Err("--steps and --batch must be positive and --pool at least 8".into());
        }
        for (name, value) in [("--focus-share", config.focus_share), ("--on-policy-share", config.on_policy_share)] {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("{name} must be between 0 and 1, got {value}"));
            }
        }
        if !(config.target_temperature > 0.0 && config.target_temperature <= 10.0) {
            return Err(format!("--target-temperature must be in (0, 10], got {}", config.target_temperature));
        }
        let (teacher, summary) = train_teacher(&config, |line| eprintln!("{line}"));
        std::fs::write(out, teacher.to_bytes(&summary.metadata)).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        println!(
            "wrote {} ({} parameters): held-out success {:.3} vs oracle {:.3} = {:.1}% of the oracle, {:.0} s",
            out.display(),
            teacher.param_count(),
            summary.heldout_success,
            summary.oracle_success,
            100.0 * summary.heldout_success / summary.oracle_success,
            summary.seconds
        );
        Ok(())
    }

    /// Threads for `jobs` jobs: `asked`, or one per core when 0; never more than the jobs.
    fn worker_threads(asked: usize, jobs: usize) -> usize {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        (if asked == 0 { cores } else { asked }).clamp(1, jobs.max(1))
    }

    fn sweep(steps: u32, seeds: u64, loss: &str, temperature: f64, maps: u32, threads: usize, json: bool) -> Result<(), String> {
        const WIDTHS: [u32; 6] = [4, 8, 16, 32, 64, 128];
        if seeds == 0 {
            return Err("--seeds must be at least 1".into());
        }
        let jobs: Vec<(u32, u64)> = WIDTHS.iter().flat_map(|&w| (1..=seeds).map(move |s| (w, s))).collect();
        // Every core: jobs are shared out over one thread per core.
        let threads = worker_threads(threads, jobs.len());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results = std::sync::Mutex::new(Vec::new());
        let failure = std::sync::Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(&(width, seed)) = jobs.get(i) else { break };
                    let settings = json!({"trainMaps": maps, "hidden": width, "seed": seed, "loss": loss, "temperature": temperature});
                    match Session::new(&settings) {
                        Ok(mut session) => {
                            session.train(steps);
                            let ledger = session.ledger(None);
                            eprintln!("width {width:>3} seed {seed}: held-out success {:.3}", ledger.student_heldout_success);
                            results.lock().unwrap().push((width, seed, ledger));
                        }
                        Err(e) => *failure.lock().unwrap() = Some(e.to_string()),
                    }
                });
            }
        });
        if let Some(e) = failure.into_inner().unwrap() {
            return Err(e);
        }
        let results = results.into_inner().unwrap();
        let mut rows = Vec::new();
        for width in WIDTHS {
            let of_width: Vec<_> = results.iter().filter(|(w, _, _)| *w == width).map(|(_, _, l)| l).collect();
            let n = of_width.len() as f32;
            let mean = |f: &dyn Fn(&&distill_playground::training::ledger::Ledger) -> f32| of_width.iter().map(f).sum::<f32>() / n;
            let retained: Vec<f32> = of_width.iter().map(|l| l.retained.unwrap_or(0.0)).collect();
            let mean_retained = retained.iter().sum::<f32>() / n;
            let spread = (retained.iter().map(|r| (r - mean_retained).powi(2)).sum::<f32>() / n).sqrt();
            let first = of_width[0];
            // Every seed's row is kept, and the summary over seeds uses the sample SD and a t-interval.
            let mut per_seed: Vec<_> = results.iter().filter(|(w, _, _)| *w == width).collect();
            per_seed.sort_by_key(|(_, seed, _)| *seed);
            let seed_rows: Vec<Value> = per_seed.iter().map(|(_, seed, l)| json!({
                "seed": seed, "studentHeldoutSuccess": l.student_heldout_success,
                "teacherHeldoutSuccess": l.teacher_heldout_success, "retained": l.retained,
            })).collect();
            let retained_summary = distill_playground::measure::stats::summarise(&retained.iter().map(|r| *r as f64).collect::<Vec<_>>());
            rows.push(json!({
                "hidden": width,
                "studentParams": first.student_params,
                "teacherParams": first.teacher_params,
                "computeUsed": first.compute_used,
                "paramsUsed": first.teacher_params.map(|t| first.student_params as f64 / t as f64),
                "studentHeldoutSuccess": mean(&|l| l.student_heldout_success),
                "teacherHeldoutSuccess": mean(&|l| l.teacher_heldout_success),
                "retained": mean_retained,
                "retainedStd": spread,
                "retainedSummary": retained_summary,
                "perSeed": seed_rows,
                "seeds": of_width.len(),
            }));
        }
        println!("{:>6} {:>8} {:>9} {:>9} {:>9} {:>12}", "hidden", "params", "params %", "compute %", "success", "retained");
        for row in &rows {
            println!(
                "{:>6} {:>8} {:>8.2}% {:>8.2}% {:>9.3} {:>7.1}% ±{:.1}",
                row["hidden"], row["studentParams"],
                100.0 * row["paramsUsed"].as_f64().unwrap_or(0.0),
                100.0 * row["computeUsed"].as_f64().unwrap_or(0.0),
                row["studentHeldoutSuccess"].as_f64().unwrap_or(0.0),
                100.0 * row["retained"].as_f64().unwrap_or(0.0),
                100.0 * row["retainedStd"].as_f64().unwrap_or(0.0),
            );
        }
        if json {
            println!("{}", json!({"steps": steps, "seeds": seeds, "loss": loss, "temperature": temperature, "rows": rows}));
        }
        Ok(())
    }

    use distill_playground::training::lessons::jobs::parse_value;

    fn compare(scenario: Option<String>, vary: &[String], set: &[String], seeds: std::ops::Range<u64>, steps: Option<u32>, threads: usize, json_out: bool) -> Result<(), String> {
        use distill_playground::training::scenarios::{merged, scenarios, Variant};
        if seeds.is_empty() {
            return Err("--seeds must be at least 1".into());
        }
        let mut base = json!({});
        for pair in set {
            let (field, value) = pair.split_once('=').ok_or_else(|| format!("--set {pair:?}: expected field=value"))?;
            base[field] = parse_value(value);
        }
        let (title, metric, mut variants, default_steps) = match &scenario {
            Some(id) => {
                let all = scenarios();
                let found = all.into_iter().find(|s| s.id == id).ok_or_else(|| {
                    format!("unknown scenario {id:?}: choose one of {}", scenarios().iter().map(|s| s.id).collect::<Vec<_>>().join(", "))
                })?;
                base = merged(&found.base, &base);
                (found.title.to_string(), found.metric.to_string(), found.variants, found.steps)
            }
            None => ("custom comparison".to_string(), "studentSuccess".to_string(), vec![Variant { label: "base".into(), settings: json!({}), then: None, then_steps: 0 }], 2000),
        };
        for axis in vary {
            let (field, values) = axis.split_once('=').ok_or_else(|| format!("--vary {axis:?}: expected field=v1,v2,..."))?;
            let mut next = Vec::new();
            for v in &variants {
                for value in values.split(',') {
                    let label = if v.label == "base" { format!("{field}={value}") } else { format!("{}, {field}={value}", v.label) };
                    let settings = merged(&v.settings, &json!({ field: parse_value(value) }));
                    next.push(Variant { label, settings, then: v.then.clone(), then_steps: v.then_steps });
                }
            }
            variants = next;
        }
        let steps = steps.unwrap_or(default_steps);
        // Check every arm's settings before spending any time.
        for v in &variants {
            Session::new(&merged(&base, &v.settings)).map_err(|e| format!("{}: {e}", v.label))?;
        }
        let jobs: Vec<(usize, u64)> = (0..variants.len()).flat_map(|i| seeds.clone().map(move |s| (i, s))).collect();
        let threads = worker_threads(threads, jobs.len());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(&(arm, seed)) = jobs.get(i) else { break };
                    let variant = &variants[arm];
                    let settings = merged(&merged(&base, &variant.settings), &json!({"seed": seed}));
                    let mut session = Session::new(&settings).expect("checked above");
                    session.train(steps);
                    if let Some(then) = &variant.then {
                        session.set(then).expect("scenario settings are valid (tested)");
                        session.train(variant.then_steps);
                    }
                    let ledger = serde_json::to_value(session.ledger(None)).expect("plain numbers");
                    eprintln!("{} seed {seed}: {metric} {}", variant.label, ledger[metric.as_str()]);
                    results.lock().unwrap().push((arm, seed, ledger));
                });
            }
        });
        let results = results.into_inner().unwrap();
        const FIELDS: [&str; 7] = ["studentSuccess", "studentHeldoutSuccess", "agreement", "meanKl", "teacherSuccess", "teacherHeldoutSuccess", "retained"];
        let mut rows = Vec::new();
        for (arm, variant) in variants.iter().enumerate() {
            let mut of_arm: Vec<&(usize, u64, Value)> = results.iter().filter(|(a, _, _)| *a == arm).collect();
            of_arm.sort_by_key(|(_, seed, _)| *seed);
            let ledgers: Vec<&Value> = of_arm.iter().map(|(_, _, l)| l).collect();
            let mut row = json!({"label": variant.label, "settings": merged(&base, &variant.settings), "seeds": ledgers.len()});
            for field in FIELDS {
                let values: Vec<f64> = ledgers.iter().filter_map(|l| l[field].as_f64()).collect();
                // Sample SD and the 95% t-interval over seeds (`measure::stats`); every seed's value kept.
                row[field] = match distill_playground::measure::stats::summarise(&values) {
                    Some(s) => json!({"mean": s.mean, "sd": s.sd, "ci95": s.ci95, "perSeed": values}),
                    None => json!({"mean": null, "sd": null, "perSeed": values}),
                };
            }
            rows.push(row);
        }
        println!("{title} — seeds {}–{}, {steps} steps (mean ± sample sd)", seeds.start, seeds.end - 1);
        println!("{:<28} {:>15} {:>15} {:>15} {:>15} {:>15}", "arm", "student success", "held-out", "agreement", "teacher success", "mean KL");
        for row in &rows {
            let cell = |f: &str| format!("{:.3} ± {:.3}", row[f]["mean"].as_f64().unwrap_or(0.0), row[f]["sd"].as_f64().unwrap_or(0.0));
            println!(
                "{:<28} {:>15} {:>15} {:>15} {:>15} {:>15}",
                row["label"].as_str().unwrap_or(""),
                cell("studentSuccess"),
                cell("studentHeldoutSuccess"),
                cell("agreement"),
                cell("teacherSuccess"),
                cell("meanKl")
            );
        }
        if json_out {
            println!("{}", json!({"title": title, "metric": metric, "seeds": seeds.end - seeds.start, "firstSeed": seeds.start, "steps": steps, "rows": rows}));
        }
        Ok(())
    }

    fn bench(seconds: f64, json: bool, scaling: bool) -> Result<(), String> {
        use distill_playground::bench::workloads::{decisions_per_second, scaling_table, student_steps_per_second, yardstick_steps_per_second, SCALING_BATCHES, SCALING_WIDTHS};
        use distill_playground::student::Engine;
        let clock = Instant::now();
        let now = move || clock.elapsed().as_secs_f64() * 1000.0;
        let settings = json!({"map": "four-rooms", "hidden": 64, "batch": 64, "loss": "kl", "seed": 1});
        let mut session = Session::new(&settings).map_err(|e| e.to_string())?;
        session.train(200);
        let session_rate = distill_playground::bench::workloads::median_rate(seconds, 50, &now, || {
            session.train(50);
        });
        let fused = student_steps_per_second(Engine::Fused, 64, 64, seconds, &now)?;
        let dfdx = student_steps_per_second(Engine::Dfdx, 64, 64, seconds, &now)?;
        let yardstick = yardstick_steps_per_second(245, 64, 64, seconds, &now)?;
        let decisions = decisions_per_second(64, 1024, seconds, &now)?;
        let parts = distill_playground::bench::workloads::step_parts(64, 64, seconds, &now)?;
        let table = if scaling { Some(scaling_table(seconds / 6.0, &now)) } else { None };
        let mut result = json!({
            "native_steps_per_s": session_rate.round(),
            "native_fused_student_steps_per_s": fused.round(),
            "native_dfdx_student_steps_per_s": dfdx.round(),
            "native_yardstick_steps_per_s": yardstick.round(),
            "native_decisions_per_s": decisions.round(),
            "native_step_parts_us": parts,
            "workload": "245-64-5 batch 64 Adam kl",
        });
        if let Some(table) = &table {
            result["native_scaling"] = json!({"batches": SCALING_BATCHES, "widths": SCALING_WIDTHS, "steps_per_s": table.iter().map(|row| row.iter().map(|v| v.round()).collect::<Vec<_>>()).collect::<Vec<_>>()});
        }
        if json {
            println!("{result}");
            return Ok(());
        }
        println!("native, 245→64→5, batch 64, Adam, kl (median of 3):");
        println!("  session (what the page trains)  {session_rate:>9.0} steps/s");
        println!("  fused student step alone        {fused:>9.0} steps/s");
        println!("  dfdx student step alone         {dfdx:>9.0} steps/s");
        println!("  dense simd yardstick            {yardstick:>9.0} steps/s");
        println!("  greedy decisions, batch 1024    {decisions:>9.0} per s");
        println!(
            "  fused step by part (µs)         inputs {:.1}, forward {:.1}, loss {:.1}, backward: heads {:.1}, first layer {:.1}; Adam {:.1}",
            parts.index_us,
            parts.forward_us, parts.loss_us, parts.backward_us, parts.first_layer_us, parts.adam_us
        );
        if let Some(table) = table {
            println!("\nsteps/s of the fused student by batch (rows) and width (columns):");
            println!("{:>6} {}", "batch", SCALING_WIDTHS.iter().map(|w| format!("{w:>8}")).collect::<String>());
            for (batch, row) in SCALING_BATCHES.iter().zip(&table) {
                println!("{batch:>6} {}", row.iter().map(|v| format!("{v:>8.0}")).collect::<String>());
            }
        }
        Ok(())
    }
}
