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
