//! The native command line: `distill run` trains one student and prints its results,
//! `distill bench` times the reference training workload. Same core as the browser.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // Rust ignores SIGPIPE, so printing to a closed pipe (`distill settings | head`) would panic;
    // with the default action the command ends quietly when its reader has gone, as Unix tools do.
    #[cfg(unix)]
    // SAFETY: called first, before any thread exists; SIG_DFL is a valid action for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    if let Err(message) = cli::main() {
        eprintln!("error: {message}");
        std::process::exit(2);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod compare;
#[cfg(not(target_arch = "wasm32"))]
mod lessons;
#[cfg(not(target_arch = "wasm32"))]
mod settings_args;
#[cfg(not(target_arch = "wasm32"))]
mod sweep;

/// A pool of `threads` worker threads (0: one per core) for a command's independent jobs.
#[cfg(not(target_arch = "wasm32"))]
fn pool(threads: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| format!("cannot start the worker threads: {e}"))
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use super::{compare::compare, lessons, settings_args, sweep::sweep};
    use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
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
        /// Every setting is a flag (`distill settings` lists them).
        Run(RunArgs),
        /// Every setting: its name, default, what a change resets and the values it takes (the
        /// schema the page, links, `--set` and `distill run`'s flags read); `--json` as the page reads it.
        Settings {
            #[arg(long)]
            json: bool,
        },
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
            /// field=v1,v2,...: an axis of the grid (repeat for a product; the first varies slowest);
            /// none: the lesson's own map (its key variables, fixed in the catalogue).
            #[arg(long)]
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

    /// `distill run`'s own flags; every setting is a flag too (`settings_args`, from the schema).
    #[derive(Args)]
    struct RunArgs {
        /// Distillation steps.
        #[arg(long, default_value_t = 2000)]
        steps: u32,
        /// After --steps of distillation, this many steps of RL fine-tuning (REINFORCE + kickstarting).
        #[arg(long, default_value_t = 0)]
        finetune_steps: u32,
        #[arg(long)]
        json: bool,
    }

    pub fn main() -> Result<(), String> {
        let matches = Cli::command().mut_subcommand("run", |run| run.args(settings_args::setting_flags())).get_matches();
        let cli = Cli::from_arg_matches(&matches).map_err(|e| e.to_string())?;
        match cli.command {
            Command::Run(args) => run(args, settings_args::settings_from(matches.subcommand_matches("run").expect("the run command"))),
            Command::Settings { json } => {
                settings_args::print_settings(json);
                Ok(())
            }
            Command::Bench { seconds, json, scaling } => bench(seconds, json, scaling),
            Command::Sweep { steps, seeds, loss, temperature, maps, threads, json } => sweep(steps, seeds, &loss, temperature, maps, threads, json),
            Command::Compare { scenario, vary, set, seeds, first_seed, steps, threads, json } => compare(scenario, &vary, &set, first_seed..first_seed + seeds, steps, threads, json),
            Command::Lessons { only, seeds, maps, threads, json, set, steps, first_seed, shard } => {
                let spec = distill_playground::training::lessons::jobs::RunSpec { only, set, steps, first_seed, seeds, maps };
                lessons::lessons(spec, shard, threads, json)
            }
            Command::Merge { files, json } => lessons::merge_files(&files, json),
            Command::Map { only, vary, set, seeds, first_seed, maps, steps, threads } => {
                use distill_playground::training::lessons::regimes::{self, Axis, MapSpec};
                let axes = match vary.is_empty() {
                    true => regimes::catalogued_axes(&only).ok_or_else(|| format!("lesson {only:?} has no map: give --vary field=v1,v2,..."))?,
                    false => vary.iter().map(|a| Axis::parse(a)).collect::<Result<Vec<_>, _>>()?,
                };
                let run = distill_playground::training::lessons::jobs::RunSpec { only: Some(only), set, steps, first_seed, seeds, maps };
                lessons::map(MapSpec { run, axes }, threads)
            }
            Command::TrainTeacher { seed, steps, batch, focus_share, pool, refresh_every, on_policy_share, target_temperature, out } => {
                let config = distill_playground::teacher::training::TeacherTrainingConfig { seed, steps, batch, focus_share, pool, refresh_every, on_policy_share, target_temperature, ..Default::default() };
                train_teacher(config, &out)
            },
        }
    }

    fn run(args: RunArgs, settings: Value) -> Result<(), String> {
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
