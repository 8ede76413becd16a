//! The real course: every file in `../lessons` parses, and together they follow the course-wide rules.

use std::path::Path;

use foldlab_course::{Block, Lesson};

/// The course's lessons, in order.
const SLUGS: [&str; 8] =
    ["fold", "projections", "commands-and-events", "corrections", "transfers", "snapshots", "concurrency", "storage-and-schema"];

/// The lessons the rest of the course leans on: each has a longer quiz.
const CORE: [&str; 4] = ["fold", "commands-and-events", "transfers", "snapshots"];

#[test]
fn every_lesson_parses_and_the_course_is_complete() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let mut problems = Vec::new();
    let lessons = match foldlab_course::load(&dir) {
        Ok(lessons) => lessons,
        Err(errors) => {
            problems.extend(errors.0.iter().map(ToString::to_string));
            Vec::new()
        }
    };
    let slugs: Vec<&str> = lessons.iter().map(|l| l.slug.as_str()).collect();
    if !lessons.is_empty() && slugs != SLUGS {
        problems.push(format!("the course has the lessons {slugs:?}, expected {SLUGS:?} in that order"));
    }
    for lesson in &lessons {
        problems.extend(lesson_problems(lesson));
    }
    assert!(problems.is_empty(), "{} problem(s) in the lessons:\n{}", problems.len(), problems.join("\n"));
}

/// The course-wide rules one lesson must follow, as messages naming the lesson.
fn lesson_problems(lesson: &Lesson) -> Vec<String> {
    let mut problems = Vec::new();
    let slug = &lesson.slug;
    if lesson.widgets().next().is_none() {
        problems.push(format!("{slug}: no widget block; every lesson places at least one"));
    }
    let quizzes = lesson.blocks.iter().filter(|b| matches!(b, Block::Quiz(_))).count();
    let questions: Vec<_> = lesson.questions().collect();
    let least = if CORE.contains(&slug.as_str()) { 4 } else { 3 };
    if quizzes != 1 || questions.len() < least {
        problems.push(format!("{slug}: {quizzes} quiz block(s) with {} question(s); expected one quiz with at least {least}", questions.len()));
    }
    for question in questions {
        let right = question.choices.iter().filter(|c| c.correct).count();
        if right != 1 {
            problems.push(format!("{}: {right} right options; exactly one is right", question.id));
        }
        if question.choices.iter().any(|c| c.explanation_html.is_empty()) {
            problems.push(format!("{}: an option without an explanation", question.id));
        }
    }
    problems
}

#[test]
fn the_pages_lessons_may_link_to_are_the_ones_index_html_and_the_router_know() {
    // Three lists of the app's addresses that must agree: `PAGES` (what lesson links are checked
    // against), the router, and the pattern index.html finds the app's root with under a
    // sub-path (a page missing there breaks deep links to it on such a host).
    let read = |file: &str| std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let (index, router) = (read("../index.html"), read("../src/route.rs"));
    let pattern = index.split_once(r"(lessons\/[^\/]*|").and_then(|(_, rest)| rest.split_once(')')).map(|(pages, _)| pages);
    let in_index: Vec<&str> = pattern.expect("index.html's pattern of the app's pages").split('|').collect();
    let pages: Vec<&str> = foldlab_course::model::PAGES.iter().filter(|page| **page != "/").map(|page| &page[1..]).collect();
    assert_eq!(in_index, pages, "index.html's pattern and foldlab-course's PAGES disagree");
    for page in pages {
        assert!(router.contains(&format!("\"/{page}\" => Route::")), "src/route.rs does not route /{page}");
    }
}
