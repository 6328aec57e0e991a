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
mod cli {
    use clap::{Args, Parser, Subcommand};
    use distill_playground::session::Session;
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
            #[arg(long, default_value_t = 30_000)]
            steps: usize,
            #[arg(long, default_value_t = 256)]
            batch: usize,
            #[arg(long, default_value = "crate/assets/teacher.safetensors")]
            out: std::path::PathBuf,
        },
        /// Time the reference workload: student 149→64→5, batch 64, Adam, `kl` loss.
        Bench {
            /// Seconds to time (after a warm-up).
            #[arg(long, default_value_t = 3.0)]
            seconds: f64,
            #[arg(long)]
            json: bool,
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
        /// Train on the map given (`current`) or across seeded random maps (`random`).
        #[arg(long, default_value = "current")]
        train_maps: String,
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
            Command::Bench { seconds, json } => bench(seconds, json),
            Command::TrainTeacher { seed, steps, batch, out } => train_teacher(seed, steps, batch, &out),
        }
    }

    fn run(args: RunArgs) -> Result<(), String> {
        let settings = json!({
            "map": args.map, "loss": args.loss, "temperature": args.temperature, "hidden": args.hidden,
            "seed": args.seed, "lr": args.lr, "batch": args.batch, "slip": args.slip, "teacher": args.teacher,
            "mixWeight": args.mix_weight, "teacherNoise": args.teacher_noise, "trainMaps": args.train_maps,
        });
        let mut session = Session::new(&settings).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let report = session.train(args.steps);
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

    fn train_teacher(seed: u64, steps: usize, batch: usize, out: &std::path::Path) -> Result<(), String> {
        use distill_playground::teacher_training::{train_teacher, TeacherTrainingConfig};
        if steps == 0 || batch == 0 {
            return Err("--steps and --batch must be positive".into());
        }
        let config = TeacherTrainingConfig { seed, steps, batch, ..TeacherTrainingConfig::default() };
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

    fn bench(seconds: f64, json: bool) -> Result<(), String> {
        let settings = json!({"map": "four-rooms", "hidden": 64, "batch": 64, "loss": "kl", "seed": 1});
        let mut session = Session::new(&settings).map_err(|e| e.to_string())?;
        session.train(200);
        let mut runs = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let mut steps = 0u64;
            while started.elapsed().as_secs_f64() < seconds / 3.0 {
                session.train(50);
                steps += 50;
            }
            runs.push(steps as f64 / started.elapsed().as_secs_f64());
        }
        runs.sort_by(|a, b| a.total_cmp(b));
        let median = runs[1];
        if json {
            println!("{}", json!({"native_steps_per_s": median.round(), "workload": "149-64-5 batch 64 Adam kl"}));
        } else {
            println!("native training: {median:.0} steps/s (149→64→5, batch 64, Adam, kl; median of 3)");
        }
        Ok(())
    }
}
