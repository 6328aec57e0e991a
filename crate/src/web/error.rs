//! The one error type that crosses to JavaScript: every export that can fail throws a JS `Error`
//! whose message is the English; an error a person may read in another language also carries the
//! catalogue `key` and `args` (and the setting's `field`, if one), so the page can say it in the
//! reader's language (`crate::messages`, www/i18n.js).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A JS `Error`, ready to be thrown (wasm-bindgen throws the `Err` of a returned `Result`).
pub struct WebError(JsValue);

impl WebError {
    /// An `Error` with this message only.
    pub fn plain(message: &str) -> WebError {
        WebError(js_sys::Error::new(message).into())
    }

    /// An `Error` for a person: `context` then the message's English, with its catalogue key, args
    /// and (if given) the setting it is about.
    pub fn message(context: &str, field: Option<&str>, message: &crate::messages::Message) -> WebError {
        let error = js_sys::Error::new(&format!("{context}{message}"));
        let set = |name: &str, value: JsValue| {
            let _ = js_sys::Reflect::set(&error, &JsValue::from_str(name), &value);
        };
        set("key", JsValue::from_str(message.key));
        set("args", super::to_js(&message.args));
        if let Some(field) = field {
            set("field", JsValue::from_str(field));
        }
        WebError(error.into())
    }

    /// A setting that could not be applied.
    pub fn config(error: crate::training::settings::ConfigError) -> WebError {
        WebError::message(&format!("config field `{}`: ", error.field), Some(&error.field), &error.message)
    }
}

impl From<WebError> for JsValue {
    fn from(error: WebError) -> JsValue {
        error.0
    }
}

impl std::fmt::Debug for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self.0.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()));
        write!(f, "WebError({})", message.unwrap_or_else(|| format!("{:?}", self.0)))
    }
}
