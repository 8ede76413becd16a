//! Compiles the course: parses and checks `lessons/*.md` with `foldlab-course` and writes
//! `$OUT_DIR/lessons.rs`, which `src/lesson.rs` includes. A bad lesson fails the build with the file,
//! the line and what to fix, never a blank spot on a page. The Markdown parser stays here, in the build:
//! only the rendered HTML reaches the wasm.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=lessons");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let lessons = match foldlab_course::load(&Path::new(&root).join("lessons")) {
        Ok(lessons) => lessons,
        Err(errors) => {
            eprintln!("{} problem(s) in the lessons:\n{errors}", errors.0.len());
            return ExitCode::FAILURE;
        }
    };
    let path = Path::new(&out).join("lessons.rs");
    if let Err(error) = std::fs::write(&path, foldlab_course::rust_source(&lessons)) {
        eprintln!("cannot write {}: {error}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
