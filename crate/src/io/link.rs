//! Settings in a link: every setting, the map and the seed as a URL fragment (`#loss=kl&seed=3…`),
//! and back. Decoding accepts field by field: a bad field falls back to its default and is named.

use crate::messages::Message;
use crate::training::settings::{schema::setting_names, Settings};
use serde_json::{json, Value};

/// Longest fragment accepted at all (a map of 16×16 and every setting fit in well under this).
pub const MAX_LINK_LEN: usize = 4096;

/// The settings as a fragment, without the `#`. Map text rows are joined by `/`.
pub fn encode(settings: &Settings) -> String {
    let value = serde_json::to_value(settings).expect("settings serialise");
    // A built-in map is fully named by `map` and `seed`; an edited one by `mapText` alone (which
    // sets `map` to custom when read back).
    let implied = if settings.map == crate::env::maps::MapName::Custom { "map" } else { "mapText" };
    let mut parts = Vec::new();
    for field in setting_names() {
        let Some(v) = value.get(field) else { continue };
        if field == implied {
            continue;
        }
        let text = match (field, v) {
            ("mapText", Value::String(text)) => text.trim_end().replace('\n', "/"),
            (_, Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        };
        parts.push(format!("{field}={}", percent_encode(&text)));
    }
    parts.join("&")
}

/// A field the link could not set, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Rejected {
    pub field: String,
    pub reason: Message,
}

/// Reads a fragment (with or without `#`): returns the settings it gives (defaults where a field
/// was missing or rejected) and the rejected fields. Nothing in it is ever executed.
pub fn decode(fragment: &str) -> (Settings, Vec<Rejected>) {
    let mut settings = Settings::default();
    let mut rejected = Vec::new();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return (settings, rejected);
    }
    if fragment.len() > MAX_LINK_LEN {
        rejected.push(Rejected { field: "(link)".into(), reason: Message::new("error.link.tooLong").with("length", fragment.len()).with("max", MAX_LINK_LEN) });
        return (settings, rejected);
    }
    // `map` before `mapText` before the rest, so a custom map is not overwritten by its name.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key).unwrap_or_default();
        match percent_decode(raw) {
            Some(text) => pairs.push((key, text)),
            None => rejected.push(Rejected { field: shown(&key), reason: Message::new("error.link.percentEncoding") }),
        }
    }
    pairs.sort_by_key(|(k, _)| match k.as_str() {
        "seed" => 0,
        "map" => 1,
        "mapText" => 2,
        _ => 3,
    });
    for (key, text) in pairs {
        if !setting_names().contains(&key.as_str()) {
            rejected.push(Rejected { field: shown(&key), reason: Message::new("error.link.notSetting") });
            continue;
        }
        let value = if key == "mapText" {
            Value::String(text.replace('/', "\n"))
        } else {
            serde_json::from_str::<Value>(&text).ok().filter(Value::is_number).unwrap_or(Value::String(text))
        };
        if let Err(e) = settings.apply(&json!({ key.clone(): value })) {
            rejected.push(Rejected { field: shown(&key), reason: e.message });
        }
    }
    (settings, rejected)
}

fn shown(text: &str) -> String {
    text.chars().take(40).collect()
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/#".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_round_trips() {
        let mut settings = Settings::default();
        settings
            .apply(&json!({"loss": "jsd", "temperature": 2.5, "seed": 77, "hidden": 64, "slip": 0.15, "teacher": "mix",
                "mixWeight": 0.3, "data": "student", "planWeight": 1, "mapText": "S....\n.#...\n..L..\n.....\n....G"}))
            .unwrap();
        let link = encode(&settings);
        let (back, rejected) = decode(&format!("#{link}"));
        assert_eq!(rejected, vec![]);
        assert_eq!(back, settings);
        let mut random = Settings::default();
        random.apply(&json!({"map": "random", "seed": 12})).unwrap();
        assert_eq!(decode(&encode(&random)).0, random);
    }

    #[test]
    fn hostile_links_are_refused_field_by_field() {
        let (settings, rejected) = decode("#temperature=hot&loss=%3Cscript%3Ealert(1)%3C%2Fscript%3E&hidden=999999&seed=5&bogus=1&mapText=%3Cimg%20src%3Dx%3E&lr=0.01");
        let fields: Vec<&str> = rejected.iter().map(|r| r.field.as_str()).collect();
        assert_eq!(fields, vec!["mapText", "temperature", "loss", "hidden", "bogus"]);
        assert_eq!(settings.seed, 5, "good fields still apply");
        assert_eq!(settings.lr, 0.01);
        assert_eq!(settings.temperature, Settings::default().temperature);
        let (_, rejected) = decode(&format!("#seed={}", "9".repeat(5000)));
        assert_eq!(rejected[0].field, "(link)");
        let (_, rejected) = decode("#loss=%ZZ");
        assert_eq!(rejected[0].reason.to_string(), "not valid percent-encoding");
    }
}
