//! A lesson page: the lesson's blocks in reading order, the table of contents, previous and next.

use leptos::prelude::*;
use crate::route::Link;

use super::{not_found::NotFound, set_title};
use crate::learner::{use_journal, LearnerEvent, Status};
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
                {next.is_none().then(|| view! { <CourseEnd last=lesson/> })}
                <nav aria-label="Previous and next" class="pager">
                    {previous.map(|l| view! {
                        <Link href=format!("/lessons/{}", l.slug)>
                            <span class="pager-label">{format!("Previous: {}", l.title)}</span>
                        </Link>
                    })}
                    {next.map(|l| view! {
                        <div class="pager-next">
                            <Link href=format!("/lessons/{}", l.slug)>
                                <span class="pager-label">{format!("Next: {}", l.title)}</span>
                            </Link>
                        </div>
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

/// Appends `lesson-completed` once every question was answered right and every exercise passed.
fn watch_completion(lesson: &'static Lesson) {
    let journal = use_journal();
    let (questions, exercises) = lesson.requirements();
    Effect::new(move |_| {
        let done = journal.progress().with(|p| !p.completed.contains(lesson.slug) && p.left(&questions, &exercises).is_nothing());
        if done {
            journal.record(LearnerEvent::LessonCompleted { lesson: lesson.slug.to_string() });
        }
    });
}

/// The line at the end of a lesson that says what is left to finish it, or that it is complete.
#[component]
fn Completion(lesson: &'static Lesson) -> impl IntoView {
    let progress = use_journal().progress();
    let (questions, exercises) = lesson.requirements();
    let complete = move || progress.with(|p| p.completed.contains(lesson.slug));
    let text = move || {
        if complete() {
            return if exercises.is_empty() {
                "✓ Lesson complete: every question answered.".to_string()
            } else {
                "✓ Lesson complete: every question answered and every exercise passed.".to_string()
            };
        }
        format!("To complete this lesson: {} left.", progress.with(|p| p.left(&questions, &exercises)).describe())
    };
    // Read out only when the lesson becomes complete: the count changes with every checked answer,
    // and the question's own feedback already says what happened.
    view! {
        <p class="completion" data-complete=move || complete().then_some("")>{text}</p>
        <p class="visually-hidden" role="status">{move || complete().then_some("Lesson complete.")}</p>
    }
}

/// At the end of the last lesson: the end of the course, and what other lessons still ask (this
/// one's is said just above it).
#[component]
fn CourseEnd(last: &'static Lesson) -> impl IntoView {
    let progress = use_journal().progress();
    let others = move || {
        progress.with(|p| {
            LESSONS
                .iter()
                .enumerate()
                .filter(|(_, l)| l.slug != last.slug && p.status(l.slug) != Status::Done)
                .map(|(i, l)| (i, l, l.left(p).describe(), l.resume_href(p)))
                .collect::<Vec<_>>()
        })
    };
    let this_done = move || progress.with(|p| p.status(last.slug) == Status::Done);
    view! {
        <section class="course-end" aria-labelledby="course-end-title">
            <h2 id="course-end-title">"The end of the course"</h2>
            {move || {
                let others = others();
                match (others.is_empty(), this_done()) {
                    (true, true) => view! {
                        <p>"Every lesson is complete: you have folded, projected, decided, corrected, transferred, snapshotted, raced and upcast your way through event sourcing. Well done."</p>
                    }.into_any(),
                    (true, false) => view! { <p>"Finish this lesson and the whole course is complete."</p> }.into_any(),
                    (false, _) => view! {
                        <p>{format!("To complete the course, {} still {} something left:", count(others.len(), "other lesson"), if others.len() == 1 { "has" } else { "have" })}</p>
                        <ul>
                            {others.into_iter().map(|(i, l, left, href)| view! {
                                <li>
                                    <Link href=href>{format!("Lesson {}: {}", i + 1, l.title)}</Link>
                                    {(!left.is_empty()).then(|| format!(": {left} left"))}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            }}
            <p>
                "Keep playing with the core in the " <Link href="/sandbox">"sandbox bank"</Link>
                ", look back over " <Link href="/log">"your own event log"</Link>
                ", or go back to " <Link href="/">"all lessons"</Link> "."
            </p>
        </section>
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
