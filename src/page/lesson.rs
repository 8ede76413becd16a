//! A lesson page: the lesson's blocks in reading order, the table of contents, previous and next.

use leptos::prelude::*;
use crate::route::Link;

use super::{not_found::NotFound, set_title};
use crate::learner::{use_journal, LearnerEvent};
use crate::lesson::{self, Block, Lesson, LESSONS};
use crate::plural::count;
use crate::{code::CodeBlock, quiz::Quiz, widget};

/// The page at `/lessons/<slug>`; an unknown slug shows the not-found page.
#[component]
pub fn LessonPage(slug: String) -> impl IntoView {
    match lesson::find(&slug) {
        Some((index, lesson)) => view! { <LessonView index lesson/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}

#[component]
fn LessonView(index: usize, lesson: &'static Lesson) -> impl IntoView {
    set_title(move || lesson.title.to_string());
    let journal = use_journal();
    if !journal.progress().with_untracked(|p| p.opened.contains(lesson.slug)) {
        journal.record(LearnerEvent::LessonOpened { lesson: lesson.slug.to_string() });
    }
    watch_completion(lesson);
    let previous = index.checked_sub(1).map(|i| &LESSONS[i]);
    let next = LESSONS.get(index + 1);
    view! {
        <div class="lesson-layout">
            <nav aria-label="All lessons" class="toc">
                // Beside the lesson on a wide screen; folded on a narrow one, where it would push the
                // lesson below the first screen.
                <details class="toc-details" open=wide_screen()>
                    <summary>"All lessons"</summary>
                    <ol>
                        {LESSONS
                            .iter()
                            .map(|l| {
                                let status = move || journal.progress().with(|p| p.status(l.slug).label());
                                view! {
                                    <li data-status=status>
                                        <span class="status-dot" aria-hidden="true"></span>
                                        <Link href=format!("/lessons/{}", l.slug)>{l.title}</Link>
                                        <span class="visually-hidden">{move || format!(" ({})", status().to_ascii_lowercase())}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                </details>
            </nav>
            <article class="lesson" aria-labelledby="lesson-title">
                <p class="eyebrow" id="lesson-number">{format!("Lesson {} of {}", index + 1, LESSONS.len())}</p>
                // Focus lands on the title (after a link, or the skip link), past the line above it.
                <h1 id="lesson-title" aria-describedby="lesson-number">{lesson.title}</h1>
                {lesson.blocks.iter().map(|block| render(lesson, block)).collect_view()}
                <Completion lesson/>
                <nav aria-label="Previous and next" class="pager">
                    {previous.map(|l| view! {
                        <Link href=format!("/lessons/{}", l.slug)>
                            <span class="pager-label">{format!("Previous: {}", l.title)}</span>
                        </Link>
                    })}
                    {next.map(|l| view! {
                        <Link href=format!("/lessons/{}", l.slug)>
                            <span class="pager-label">{format!("Next: {}", l.title)}</span>
                        </Link>
                    })}
                </nav>
            </article>
        </div>
    }
}

fn render(lesson: &'static Lesson, block: &'static Block) -> AnyView {
    match block {
        Block::Html(html) if html.contains("<table") => {
            let prose = NodeRef::<leptos::html::Div>::new();
            crate::scroller::focusable_while_scrolling(move || prose.try_get_untracked().flatten().map(|div| crate::scroller::tables(&div)).unwrap_or_default());
            view! { <div class="prose" inner_html=*html node_ref=prose></div> }.into_any()
        }
        Block::Html(html) => view! { <div class="prose" inner_html=*html></div> }.into_any(),
        Block::Code { lang, source } => view! { <CodeBlock lang=*lang source=*source/> }.into_any(),
        Block::Widget(kind) => widget::view(*kind),
        Block::Exercise(id) => crate::exercise::view(id),
        Block::Quiz(questions) => view! { <Quiz lesson=lesson.slug questions=*questions/> }.into_any(),
    }
}

/// What a lesson asks of the learner: its question ids and exercise ids.
fn requirements(lesson: &'static Lesson) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut questions = Vec::new();
    let mut exercises = Vec::new();
    for block in lesson.blocks {
        match block {
            Block::Quiz(qs) => questions.extend(qs.iter().map(|q| q.id)),
            Block::Exercise(id) => exercises.push(*id),
            _ => {}
        }
    }
    (questions, exercises)
}

/// Appends `lesson-completed` once every question was answered right and every exercise passed.
fn watch_completion(lesson: &'static Lesson) {
    let journal = use_journal();
    let (questions, exercises) = requirements(lesson);
    Effect::new(move |_| {
        let done = journal.progress().with(|p| {
            !p.completed.contains(lesson.slug)
                && questions.iter().all(|q| p.answered_right.contains(*q))
                && exercises.iter().all(|e| p.passed.contains(*e))
        });
        if done {
            journal.record(LearnerEvent::LessonCompleted { lesson: lesson.slug.to_string() });
        }
    });
}

/// The line at the end of a lesson that says what is left to finish it.
#[component]
fn Completion(lesson: &'static Lesson) -> impl IntoView {
    let progress = use_journal().progress();
    let (questions, exercises) = requirements(lesson);
    let complete = move || progress.with(|p| p.completed.contains(lesson.slug));
    let text = move || {
        progress.with(|p| {
            if p.completed.contains(lesson.slug) {
                return if exercises.is_empty() {
                    "Lesson complete: every question answered.".to_string()
                } else {
                    "Lesson complete: every question answered and every exercise passed.".to_string()
                };
            }
            let open_questions = questions.iter().filter(|q| !p.answered_right.contains(**q)).count();
            let open_exercises = exercises.iter().filter(|e| !p.passed.contains(**e)).count();
            let mut left = Vec::new();
            if open_exercises > 0 {
                left.push(count(open_exercises, "exercise"));
            }
            if open_questions > 0 {
                left.push(count(open_questions, "quiz question"));
            }
            format!("To complete this lesson: {} left.", left.join(" and "))
        })
    };
    // Read out only when the lesson becomes complete: the count changes with every checked answer,
    // and the question's own feedback already says what happened.
    view! {
        <p class="completion">{text}</p>
        <p class="visually-hidden" role="status">{move || complete().then_some("Lesson complete.")}</p>
    }
}

/// Whether the lesson list fits beside the lesson: the container query in main.css, which
/// measures `main` (the page's width, less a scroll bar) in the root's rem, above 56rem. Not a
/// media query: its rem ignores the root's font size, so text enlarged through it (200%, say)
/// would stack the layout while the list still opened as if beside it.
fn wide_screen() -> bool {
    let Some(root) = document().document_element() else { return true };
    let rem = window()
        .get_computed_style(&root)
        .ok()
        .flatten()
        .and_then(|style| style.get_property_value("font-size").ok())
        .map(|size| js_sys::parse_float(&size))
        .filter(|px| *px > 0.0)
        .unwrap_or(16.0);
    f64::from(root.client_width()) / rem > 56.0
}
