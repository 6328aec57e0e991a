//! Property tests (proptest) on every parser that takes user input: map text, config objects and
//! weight files. Whatever the input, the result is a value or an error, never a panic, and a
//! rejected input changes nothing. `scripts/fuzz.sh` runs them with many more cases.

use distill_playground::env::GridMap;
use distill_playground::training::session::Session;
use distill_playground::training::settings::Settings;
use distill_playground::teacher::NeuralTeacher;
use distill_playground::student::weights;
use distill_playground::io::{link, student_file};
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        any::<i64>().prop_map(|i| json!(i)),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(vec!["kl", "hard", "maze", "random", "neural", "mix", "student", "finetune", "<script>alert(1)</script>"])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| prop::collection::vec(inner, 0..4).prop_map(Value::Array))
}

fn any_config() -> impl Strategy<Value = Value> {
    let field = prop::sample::select(distill_playground::training::settings::schema::setting_names()).prop_map(String::from);
    let key = prop_oneof![field, ".{0,12}"];
    prop::collection::btree_map(key, any_json(), 0..5).prop_map(|m| Value::Object(m.into_iter().collect()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn map_text_never_panics(text in "[.#LGS\\n x]{0,300}") {
        if let Ok(map) = GridMap::from_text(&text) {
            prop_assert_eq!(GridMap::from_text(&map.to_text()).unwrap(), map);
        }
    }

    #[test]
    fn arbitrary_map_text_never_panics(text in ".{0,400}") {
        let _ = GridMap::from_text(&text);
    }

    #[test]
    fn settings_accept_or_reject_without_side_effects(update in any_config()) {
        let mut settings = Settings::default();
        let before = settings.clone();
        if settings.apply(&update).is_err() {
            prop_assert_eq!(settings, before);
        }
    }

    #[test]
    fn weight_files_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = weights::decode(&bytes);
        let _ = NeuralTeacher::from_bytes(&bytes);
    }

    /// URL state: any fragment decodes to valid settings plus named rejections, never a panic,
    /// and whatever it accepted encodes and decodes back to the same settings.
    #[test]
    fn link_fragments_never_panic(fragment in "#?([a-zA-Z%0-9=&<>/\\.\\-]{0,12}[=&]?){0,12}", raw in ".{0,200}") {
        for text in [fragment.as_str(), raw.as_str()] {
            let (settings, _) = link::decode(text);
            let (again, rejected) = link::decode(&link::encode(&settings));
            prop_assert!(rejected.is_empty(), "{:?}", rejected);
            prop_assert_eq!(again, settings);
        }
    }

    /// Student files: arbitrary bytes, and a real file corrupted at one byte or cut short, load only
    /// when every tensor is whole and finite.
    #[test]
    fn student_files_are_refused_or_loaded_finite(bytes in prop::collection::vec(any::<u8>(), 0..400), position in 0usize..100_000, byte in any::<u8>(), cut in 0usize..64, json in any::<bool>()) {
        let _ = student_file::load(&bytes);
        let session = Session::new(&json!({"hidden": 8})).unwrap();
        let mut file = student_file::save(&session, if json { student_file::StudentFormat::Json } else { student_file::StudentFormat::Safetensors });
        let at = position % file.len();
        file[at] = byte;
        file.truncate(file.len() - cut.min(file.len()));
        if let Ok(loaded) = student_file::load(&file) {
            prop_assert!(loaded.tensors.iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
        }
    }

    #[test]
    fn corrupted_teacher_files_are_refused_or_loaded_finite(position in 0usize..4096, byte in any::<u8>(), cut in 0usize..64) {
        let mut bytes = distill_playground::teacher::network::BUNDLED_TEACHER.to_vec();
        let at = position % bytes.len();
        bytes[at] = byte;
        bytes.truncate(bytes.len() - cut);
        if let Ok(teacher) = NeuralTeacher::from_bytes(&bytes) {
            prop_assert!(teacher.tensors().iter().all(|(_, _, v)| v.iter().all(|x| x.is_finite())));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: (cases() / 16).max(8), ..ProptestConfig::default() })]

    /// A session survives any sequence of updates: bad ones are refused, good ones applied,
    /// and training keeps producing finite numbers.
    #[test]
    fn sessions_survive_any_updates(updates in prop::collection::vec(any_config(), 1..4)) {
        let mut session = Session::new(&json!({"map": "open", "hidden": 8, "teacher": "oracle"})).unwrap();
        for update in &updates {
            let before = session.settings().clone();
            if session.set(update).is_err() {
                prop_assert_eq!(session.settings(), &before);
            }
            let report = session.train(3);
            prop_assert!(report.agreement.is_finite());
        }
    }
}

/// A reader that stops early (`distill settings --json | head -c 100`) ends the command quietly:
/// no panic, no message, the pipe's signal as on any Unix tool. The pipe is made one page long
/// before the command starts, so the schema (about 6 KB) cannot fit in it: the command is still
/// writing when the reader goes. (Shrunk after the start, the command could already have filled
/// more than a page of the default pipe on a busy machine, and the kernel refuses to shrink it.)
#[cfg(unix)]
#[test]
fn the_command_line_ends_quietly_when_its_reader_goes() {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    // SAFETY: F_SETPIPE_SZ on the empty pipe we own; the kernel rounds 4096 up to one page at least.
    let size = unsafe { libc::fcntl(writer.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
    assert!(size > 0 && size < 10_000, "the pipe is {size} bytes");
    let child = Command::new(env!("CARGO_BIN_EXE_distill")).args(["settings", "--json"]).stdout(Stdio::from(writer)).stderr(Stdio::piped()).spawn().expect("distill starts");
    let mut first = [0u8; 100];
    reader.read_exact(&mut first).expect("the first 100 bytes");
    assert!(first.starts_with(b"[{"), "{}", String::from_utf8_lossy(&first));
    drop(reader); // the reader goes while the command has more to write
    let output = child.wait_with_output().expect("distill ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && stderr.is_empty(), "{stderr}");
    assert_eq!(output.status.signal(), Some(libc::SIGPIPE), "{:?}", output.status);
}
