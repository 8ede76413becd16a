//! The whole course: every lesson file of a folder in `NN` order, and the rules that span files
//! (unique numbers and slugs, links that land on a lesson).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Errors;
use crate::lesson;
use crate::model::Lesson;

/// Reads and checks every `*.md` file of `dir` except `README.md` (and hidden files), in `NN` order.
pub fn load(dir: &Path) -> Result<Vec<Lesson>, Errors> {
    let mut errors = Errors::default();
    let shown = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.in_file(&shown, format!("cannot read the lessons folder: {error}"));
            return errors.or_ok(Vec::new());
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.ends_with(".md") && name != "README.md" && !name.starts_with('.')
        })
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push((shown, text)),
            Err(error) => errors.in_file(&shown, format!("cannot read this lesson: {error}")),
        }
    }
    match parse_all(&files) {
        Ok(lessons) => errors.or_ok(lessons),
        Err(more) => {
            errors.extend(more);
            errors.or_ok(Vec::new())
        }
    }
}

/// Parses and checks lessons given as `(path, text)` pairs; returns them in `NN` order.
pub fn parse_all(files: &[(String, String)]) -> Result<Vec<Lesson>, Errors> {
    let mut errors = Errors::default();
    let mut numbers: BTreeMap<u32, &str> = BTreeMap::new();
    let mut slugs: BTreeMap<String, &str> = BTreeMap::new();
    for (file, _) in files {
        let Some((number, slug)) = lesson::file_name(file) else { continue };
        if let Some(other) = numbers.insert(number, file) {
            errors.in_file(file, format!("lesson number {number:02} is also used by {other}: give each lesson its own `NN`"));
        }
        if let Some(other) = slugs.insert(slug.clone(), file) {
            errors.in_file(file, format!("the slug `{slug}` is also used by {other}: give each lesson its own address"));
        }
    }
    let mut lessons = Vec::new();
    for (file, text) in files {
        let (lesson, more) = lesson::read(file, text);
        errors.extend(more);
        lessons.push((file, lesson));
    }
    let known = slugs.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
    for (file, lesson) in &lessons {
        for link in &lesson.links {
            if let Some(slug) = link.lesson_slug().filter(|slug| !slugs.contains_key(*slug)) {
                errors.at(file, link.line, format!("link to `{}`: no lesson has the slug `{slug}`; the lessons are {known}", link.target));
            }
        }
    }
    let mut lessons: Vec<Lesson> = lessons.into_iter().map(|(_, lesson)| lesson).collect();
    lessons.sort_by_key(|lesson| lesson.number);
    errors.or_ok(lessons)
}
