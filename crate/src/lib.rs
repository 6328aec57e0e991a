//! distill-playground: a tiny student network learns a gridworld teacher's policy by knowledge
//! distillation. The core below is pure Rust and tests natively; `web` is the only wasm layer.
//!
//! Folders, each using only those above it in this list (see ARCHITECTURE.md for the data flow):
//! - `env`: gridworld rules, built-in and random maps, the text form, the observation, the planner
//! - `student`: the student network, every loss and its closed-form gradient, the fused step that
//!   trains (dfdx is the reference it is checked against), weight files
//! - `measure`: agreement, KL, greedy success and return, the held-out maps
//! - `teacher`: the bundled neural teacher, its training, its targets on a map
//! - `training`: settings, one training session (data, distillation, fine-tuning, guard), the ledger,
//!   the scenarios
//! - `math`: exp, ln and pow with the same bits natively and in wasm (the `libm` crate's)
//! - `io`: student files, the dataset export, progress snapshots, links
//! - `bench`: timed workloads, the dense yardstick, the soak schedule
//! - `web` (wasm only): the JS API and canvas drawing; `bin/distill.rs`: the command line
//!
//! Which code computes the training gradients: `student::fused` with `student::loss_grad`'s
//! closed-form gradients. dfdx (`student::loss`, `student::network`'s dfdx engine) defines the
//! reference networks, trains the teacher, and checks every gradient in the tests.

/// A setting with a fixed set of named values (a loss, a teacher, a data source…): parsed once at
/// the boundary (settings, links, the command line, the JS API); the core compares variants.
pub trait NamedChoice: Copy + PartialEq + 'static {
    /// Every value, in the order the page and the error messages list them.
    const ALL: &'static [Self];
    /// The name used in settings, links and files.
    fn name(self) -> &'static str;
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|choice| choice.name() == text)
    }
    /// "a, b, c": for error messages.
    fn listed() -> String {
        Self::ALL.iter().map(|choice| choice.name()).collect::<Vec<_>>().join(", ")
    }
}

/// Declares an enum whose variants have names (`Variant = "name"`), with `NamedChoice`, `Display`
/// and `Serialize` (as its name).
macro_rules! named_choice {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name { $($(#[$vmeta])* $variant,)+ }
        impl $crate::NamedChoice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::NamedChoice::name(*self))
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::NamedChoice::name(*self))
            }
        }
    };
}
pub(crate) use named_choice;

pub mod bench;
/// The checks both test suites run (native `#[test]`s and the browser's wasm-bindgen tests).
#[doc(hidden)]
pub mod checks;
pub mod env;
pub mod io;
pub mod math;
pub mod measure;
pub mod messages;
pub mod student;
pub mod teacher;
pub mod training;

#[cfg(target_arch = "wasm32")]
pub mod web;
