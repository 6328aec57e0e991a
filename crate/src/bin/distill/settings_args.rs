//! The settings on the command line, from the core's schema (`training::settings::schema`): `distill
//! run` takes one flag per setting (`--hidden 64`, `--train-maps 1024`), and `distill settings` prints
//! the schema. A new setting in the schema is a new flag here with nothing written.

use clap::{Arg, ArgMatches};
use distill_playground::training::lessons::jobs::parse_value;
use distill_playground::training::settings::schema::{settings, Kind, Setting};
use distill_playground::training::settings::Settings;
use serde_json::{Map, Value};

/// A setting's name as a flag: `trainMaps` → `train-maps`.
pub fn flag(name: &str) -> String {
    name.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['-', c.to_ascii_lowercase()] } else { vec![c] }).collect()
}

/// What values a setting takes, in words.
fn values(setting: &Setting) -> String {
    match &setting.kind {
        Kind::Number { min, max } => format!("a number from {min} to {max}"),
        Kind::Integer { min, max } => format!("a whole number from {min} to {max}"),
        Kind::IntegerChoice { options, .. } => format!("one of {}", options.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")),
        Kind::Choice { options, .. } => format!("one of {}", options.join(", ")),
        Kind::Text { max_bytes } => format!("a map as text, rows on lines, at most {max_bytes} bytes"),
        Kind::Maps { names, max } => format!("{}, or a number of maps from 1 to {max}", names.join(", ")),
    }
}

/// Each setting's default, as a config shows it.
fn defaults() -> Value {
    serde_json::to_value(Settings::default()).unwrap_or(Value::Null)
}

/// One flag per setting, its help saying the values it takes and its default.
pub fn setting_flags() -> Vec<Arg> {
    let defaults = defaults();
    settings()
        .into_iter()
        .map(|s| {
            let default = match defaults.get(s.name) {
                Some(Value::String(text)) if s.name == "mapText" => format!("the map's own ({} bytes)", text.len()),
                Some(Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
                None => "none".into(),
            };
            Arg::new(s.name).long(flag(s.name)).value_name("VALUE").help(format!("{} (default {default})", values(&s)))
        })
        .collect()
}

/// The settings the flags in `matches` give, as an update for `Settings::apply` (numbers as numbers).
pub fn settings_from(matches: &ArgMatches) -> Value {
    let mut update = Map::new();
    for s in settings() {
        if let Some(text) = matches.get_one::<String>(s.name) {
            update.insert(s.name.into(), if s.name == "mapText" { Value::String(text.clone()) } else { parse_value(text) });
        }
    }
    Value::Object(update)
}

/// `distill settings`: the schema, as a table or (with `json`) as the page reads it.
pub fn print_settings(json: bool) {
    if json {
        println!("{}", distill_playground::training::settings::schema::schema_json());
        return;
    }
    let defaults = defaults();
    for s in settings() {
        let default = if s.name == "mapText" { "(the map's)".to_string() } else { defaults.get(s.name).map(Value::to_string).unwrap_or_default() };
        println!("{:<16} {:<12} {:<22} {}", s.name, default, format!("resets: {:?}", s.resets).to_lowercase(), values(&s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_a_flag_that_reaches_the_settings() {
        let command = clap::Command::new("run").no_binary_name(true).args(setting_flags());
        let matches = command.try_get_matches_from(["--hidden", "64", "--train-maps", "1024", "--loss", "hard", "--mix-weight", "0.25"]).unwrap();
        let update = settings_from(&matches);
        assert_eq!(update, serde_json::json!({"hidden": 64, "trainMaps": 1024, "loss": "hard", "mixWeight": 0.25}));
        let mut applied = Settings::default();
        applied.apply(&update).unwrap();
        assert_eq!((applied.hidden, applied.mix_weight), (64, 0.25));
        assert_eq!(setting_flags().len(), settings().len());
        assert_eq!(flag("kickstartDecay"), "kickstart-decay");
        // Out of the schema's range: refused by the settings, naming the field.
        let matches = clap::Command::new("run").no_binary_name(true).args(setting_flags()).try_get_matches_from(["--temperature", "99"]).unwrap();
        let err = Settings::default().apply(&settings_from(&matches)).unwrap_err();
        assert_eq!(err.field, "temperature");
    }
}
