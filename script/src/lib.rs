//! foldlab's exercises and the sandbox that checks learner code against the event-sourcing core.
//!
//! Learner code is Rhai. With the `sandbox` feature (the default, used by the worker), [`check`]
//! compiles it in a locked-down engine, calls the learner's functions from the core's own fold,
//! and compares every case with what the core's decider, evolve and upcasters compute. Without
//! it (the app), only the exercise metadata, the report types and value rendering are compiled,
//! so Rhai never reaches the main wasm bundle.

pub mod exercises;
pub mod report;
pub mod value;

#[cfg(feature = "sandbox")]
pub mod check;
#[cfg(feature = "sandbox")]
pub mod convert;
#[cfg(feature = "sandbox")]
pub mod history;
#[cfg(feature = "sandbox")]
pub mod library;
#[cfg(feature = "sandbox")]
pub mod memory;
#[cfg(feature = "sandbox")]
pub mod sandbox;

#[cfg(feature = "sandbox")]
pub use check::{check, check_timed};
pub use exercises::{find, Exercise, EXERCISES};
pub use report::{CaseResult, ErrorKind, Outcome, Report, ScriptError};

#[cfg(all(test, feature = "sandbox"))]
mod tests;
