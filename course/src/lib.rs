//! foldlab-course: the lesson compiler. It parses `lessons/NN-slug.md` into typed lessons, checks them
//! (front matter, known widgets and exercises, quizzes, links, no raw HTML), renders their Markdown to
//! HTML and writes the Rust source of the app's `LESSONS`. It runs at build time only, from the app's
//! `build.rs`, so no Markdown parser ships in the wasm.
//!
//! ```no_run
//! let lessons = foldlab_course::load(std::path::Path::new("lessons")).unwrap_or_else(|errors| panic!("{errors}"));
//! let source = foldlab_course::rust_source(&lessons);
//! # let _ = source;
//! ```

pub mod codegen;
pub mod course;
pub mod diagnostic;
pub mod lesson;
pub mod model;

mod front_matter;
mod markdown;
mod quiz;

pub use codegen::rust_source;
pub use course::{load, parse_all};
pub use diagnostic::{Error, Errors};
pub use lesson::parse;
pub use model::{Block, Choice, InternalLink, Lesson, Question};

#[cfg(test)]
mod tests;
