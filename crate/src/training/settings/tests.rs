//! The settings' checks: bad fields are named and change nothing, what resets, round trips.

use super::*;
use serde_json::json;

#[test]
fn bad_fields_are_named_and_change_nothing() {
    let mut settings = Settings::default();
    let before = settings.clone();
    let cases = [
        (json!({"temperature": "hot"}), "temperature", "expected a number"),
        (json!({"temperature": 0.01}), "temperature", "out of range"),
        (json!({"lr": 1, "bogus": 1}), "bogus", "unknown setting"),
        (json!({"hidden": 48}), "hidden", "not offered"),
        (json!({"loss": "l2"}), "loss", "unknown loss"),
        (json!({"map": "moon"}), "map", "unknown map"),
        (json!({"mapText": "S..\n..G\n..."}), "mapText", "3 rows"),
        (json!({"seed": -1}), "seed", "out of range"),
        (json!({"batch": 2.5}), "batch", "whole number"),
        (json!([1, 2]), "(config)", "expected an object"),
    ];
    for (update, field, words) in cases {
        let err = settings.apply(&update).unwrap_err();
        assert_eq!(err.field, field, "{update}");
        assert!(err.to_string().contains(words) && err.to_string().contains(field), "{err}");
        assert_eq!(settings, before, "a rejected update changed the settings");
    }
}

#[test]
fn a_config_with_an_edited_map_round_trips() {
    let mut edited = Settings::default();
    edited.apply(&serde_json::json!({"mapText": "S....\n.#...\n..L..\n.....\n....G", "loss": "jsd"})).unwrap();
    assert_eq!(edited.map, MapName::Custom);
    let config = serde_json::to_value(&edited).unwrap();
    let mut again = Settings::default();
    again.apply(&config).unwrap();
    assert_eq!(again, edited);
    let error = Settings::default().apply(&serde_json::json!({"map": "custom"})).unwrap_err();
    assert!(error.message.contains("needs mapText"), "{error}");
}

#[test]
fn what_changes_decides_what_resets() {
    let mut settings = Settings::default();
    let changed = settings.apply(&json!({"temperature": 2, "lr": 0.01, "loss": "mse"})).unwrap();
    assert!(!changed.reset && changed.temperature && !changed.teacher);
    assert_eq!(settings.temperature, 2.0);
    let changed = settings.apply(&json!({"map": "maze"})).unwrap();
    assert!(changed.reset && changed.teacher);
    assert!(settings.map_text.starts_with("S.#"));
    assert!(settings.apply(&json!({"slip": 0.2})).unwrap().teacher);
    assert!(settings.apply(&json!({"hidden": 8})).unwrap().reset);
    let changed = settings.apply(&json!({"mapText": "S....\n.....\n.....\n.....\n....G"})).unwrap();
    assert!(changed.reset);
    assert_eq!(settings.map, MapName::Custom);
}

#[test]
fn training_maps_are_the_map_shown_or_a_number_of_random_maps() {
    let mut settings = Settings::default();
    assert_eq!(settings.train_maps, TrainMaps::Current);
    settings.apply(&json!({"trainMaps": "random"})).unwrap();
    assert_eq!(settings.train_maps, TrainMaps::Pool(64));
    let changed = settings.apply(&json!({"trainMaps": 1024})).unwrap();
    assert!(changed.reset, "other training maps: a new student");
    assert_eq!(serde_json::to_value(&settings).unwrap()["trainMaps"], json!(1024));
    settings.apply(&json!({"trainMaps": 1})).unwrap();
    assert_eq!(settings.train_maps, TrainMaps::Current);
    for (bad, words) in [(json!(5000), "out of range"), (json!(0), "out of range"), (json!(2.5), "whole number"), (json!("many"), "unknown value")] {
        let err = settings.apply(&json!({ "trainMaps": bad })).unwrap_err();
        assert!(err.field == "trainMaps" && err.message.contains(words), "{err}");
    }
    assert!(settings.apply(&json!({"labelBudget": 500})).unwrap().data);
    assert!(settings.apply(&json!({"labelBudget": -1})).is_err());
}

#[test]
fn teacher_gaps_are_checked_and_relabel_the_teacher() {
    let mut settings = Settings::default();
    assert!(settings.apply(&json!({"teacherGaps": 0.5, "gapOverlap": 0.25})).unwrap().teacher);
    assert_eq!(settings.teacher_gaps(), crate::teacher::gaps::TeacherGaps { share: 0.5, overlap: 0.25 });
    let before = settings.clone();
    for (field, bad) in [("teacherGaps", 0.95), ("gapOverlap", 1.5), ("teacherGaps", -0.1)] {
        let err = settings.apply(&json!({ field: bad })).unwrap_err();
        assert!(err.field == field && err.message.contains("out of range"), "{err}");
    }
    assert_eq!(settings, before);
}

#[test]
fn the_schema_names_every_setting_and_apply_reads_every_entry() {
    // The schema and `Settings` name the same fields, in the same order as a config lists them.
    let config = serde_json::to_value(Settings::default()).unwrap();
    let fields: Vec<&str> = config.as_object().unwrap().keys().map(String::as_str).collect();
    let mut names = schema::setting_names();
    let mut sorted_fields = fields.clone();
    names.sort_unstable();
    sorted_fields.sort_unstable();
    assert_eq!(names, sorted_fields);
    for setting in schema::settings() {
        // Every entry is read by `apply` (its default goes back in unchanged) …
        let mut settings = Settings::default();
        let default = config[setting.name].clone();
        let update = if setting.name == "map" { json!({"map": "open"}) } else { json!({ setting.name: default }) };
        settings.apply(&update).unwrap_or_else(|e| panic!("{}: {e}", setting.name));
        // … and its range is the schema's: the ends accepted, just past them refused, by name.
        if let Kind::Number { min, max } | Kind::Integer { min, max } = setting.kind {
            for ok in [min, max] {
                Settings::default().apply(&json!({ setting.name: ok })).unwrap_or_else(|e| panic!("{} at {ok}: {e}", setting.name));
            }
            let step = if matches!(setting.kind, Kind::Integer { .. }) { 1.0 } else { (max - min) * 1e-3 };
            for bad in [min - step, max + step] {
                let err = Settings::default().apply(&json!({ setting.name: bad })).unwrap_err();
                assert_eq!(err.field, setting.name);
                assert!(err.to_string().contains("out of range"), "{err}");
            }
        }
        if let Kind::Choice { options, .. } = &setting.kind {
            for option in options {
                Settings::default().apply(&json!({ setting.name: option })).unwrap_or_else(|e| panic!("{} = {option}: {e}", setting.name));
            }
            let err = Settings::default().apply(&json!({ setting.name: "no-such-option" })).unwrap_err();
            assert!(err.to_string().contains(&options.join(", ")), "{err}");
        }
        if let Kind::IntegerChoice { options, offered } = &setting.kind {
            assert_eq!(options, &crate::student::STUDENT_WIDTHS.iter().map(|&w| w as u64).collect::<Vec<_>>());
            assert!(offered.iter().all(|w| options.contains(w)), "{}: offers what it refuses", setting.name);
        }
        // A slider never offers a value the setting refuses.
        if let (Some(slider), Kind::Number { min, max }) = (setting.slider, &setting.kind) {
            let (low, high) = if slider.log { (10f64.powf(slider.min), 10f64.powf(slider.max)) } else { (slider.min, slider.max) };
            assert!(low >= *min - 1e-12 && high <= *max + 1e-12, "{}: slider {low}..{high} outside {min}..{max}", setting.name);
        }
    }
    // The exported schema carries each default.
    let exported = schema::schema_json();
    assert_eq!(exported.as_array().unwrap().len(), fields.len());
    assert_eq!(exported[4]["name"], "temperature");
    assert_eq!(exported[4]["default"], config["temperature"]);
    assert_eq!(exported[4]["kind"], "number");
}

#[test]
fn what_a_change_resets_is_the_schemas() {
    let cases = [
        (json!({"temperature": 3}), Changed { temperature: true, ..Changed::default() }),
        (json!({"lr": 0.01}), Changed::default()),
        (json!({"seed": 9}), Changed { reset: true, teacher: true, ..Changed::default() }),
        (json!({"hidden": 64}), Changed { reset: true, teacher: true, ..Changed::default() }),
        (json!({"slip": 0.1}), Changed { teacher: true, ..Changed::default() }),
        (json!({"teacherGaps": 0.2}), Changed { teacher: true, ..Changed::default() }),
        (json!({"labelBudget": 500}), Changed { data: true, ..Changed::default() }),
        (json!({"peerWeight": 0.5}), Changed { reset: true, teacher: true, ..Changed::default() }),
    ];
    for (update, want) in cases {
        assert_eq!(Settings::default().apply(&update).unwrap(), want, "{update}");
    }
    // A peer's weight moved while it stays on: the same student goes on.
    let mut with_peer = Settings::default();
    with_peer.apply(&json!({"peerWeight": 0.3})).unwrap();
    assert_eq!(with_peer.apply(&json!({"peerWeight": 0.5})).unwrap(), Changed::default());
    // The same value again changes nothing.
    assert_eq!(with_peer.apply(&json!({"peerWeight": 0.5})).unwrap(), Changed::default());
}
