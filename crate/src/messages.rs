//! What the core says to people, looked up by key in the page's English catalogue,
//! `www/i18n/en.json`. The page has one catalogue per language (`www/i18n/<lang>.json`, the same
//! keys in each); the core reads the English one, so the command line and the page say the same
//! thing, and an error the page shows in another language carries its key and arguments
//! (`Message`) rather than English words.
//!
//! Templates name their arguments in braces: `"{value} is out of range {low}..={high}"`.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// The English catalogue, read once: key → template.
static ENGLISH: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../www/i18n/en.json")).expect("www/i18n/en.json is a JSON object of strings (tested)")
});

/// The English template for `key`; the key itself if the catalogue lacks it (a test checks that
/// every key the core uses is in every catalogue).
pub fn english(key: &str) -> &'static str {
    match ENGLISH.get(key) {
        Some(text) => text.as_str(),
        None => Box::leak(key.to_string().into_boxed_str()),
    }
}

/// Fills a template's `{name}` places from `args`; a place without an argument stays as it is.
pub fn fill(template: &str, args: &BTreeMap<&'static str, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if args.contains_key(name) => {
                out.push_str(&args[name]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A sentence for a person: a catalogue key and its arguments. `Display` gives the English; the
/// page turns `key` and `args` into the reader's language with its own catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub key: &'static str,
    pub args: BTreeMap<&'static str, String>,
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message { key, args: BTreeMap::new() }
    }

    /// The message with one more argument.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.insert(name, value.to_string());
        self
    }

    /// Whether the English text contains `words` (for tests and callers that branch on a reason).
    pub fn contains(&self, words: &str) -> bool {
        self.to_string().contains(words)
    }
}

/// As JSON (for the page and the JS API): `{key, args, text}`, `text` being the English.
impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = serializer.serialize_struct("Message", 3)?;
        fields.serialize_field("key", self.key)?;
        fields.serialize_field("args", &self.args)?;
        fields.serialize_field("text", &self.to_string())?;
        fields.end()
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&fill(english(self.key), &self.args))
    }
}

impl From<Message> for String {
    fn from(message: Message) -> String {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_places_and_keeps_the_rest() {
        let args = BTreeMap::from([("n", "3".to_string()), ("what", "maps".to_string())]);
        assert_eq!(fill("{n} {what}, {missing} and {", &args), "3 maps, {missing} and {");
        assert_eq!(fill("no places", &args), "no places");
    }

    /// Every catalogue has the same keys as the English one, each template names the same
    /// arguments, and every key the core's sources name (`"error.…"`, `english("…")`) is
    /// in it. The page's own keys are checked by `tests/e2e/i18n.test.mjs` and `scripts/i18n-check.mjs`.
    #[test]
    fn catalogues_are_complete_and_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let english: HashMap<String, String> = serde_json::from_str(include_str!("../../www/i18n/en.json")).unwrap();
        let places = |t: &str| -> Vec<String> {
            let mut names: Vec<String> = t.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).collect();
            names.sort();
            names.dedup();
            names
        };
        for lang in ["zh-CN"] {
            let path = root.join(format!("www/i18n/{lang}.json"));
            let other: HashMap<String, String> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for (key, text) in &english {
                let translated = other.get(key).unwrap_or_else(|| panic!("{lang} lacks {key:?}"));
                assert_eq!(places(text), places(translated), "{lang} {key:?}: the arguments differ");
            }
            for key in other.keys() {
                assert!(english.contains_key(key), "{lang} has {key:?}, which en lacks");
            }
        }
        let mut used = Vec::new();
        let mut stack = vec![root.join("crate/src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for opening in ["english(\"", "\"error."] {
                        for piece in source.split(opening).skip(1) {
                            let rest = piece.split('"').next().unwrap();
                            let key = if opening.starts_with('"') { format!("error.{rest}") } else { rest.to_string() };
                            if !rest.is_empty() && !rest.contains(['…', '{', ' ']) {
                                used.push((path.clone(), key));
                            }
                        }
                    }
                }
            }
        }
        assert!(used.len() > 20, "the scan finds the core's keys ({} found)", used.len());
        for (path, key) in used {
            assert!(english.contains_key(&key), "{} uses {key:?}, which www/i18n/en.json lacks", path.display());
        }
    }
}
