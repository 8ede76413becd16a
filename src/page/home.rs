//! The home page: what the course is, and the lessons in order with the learner's progress.

use leptos::prelude::*;
use crate::route::Link;

use super::set_title;
use crate::learner::{use_journal, Progress, Status};
use crate::lesson::LESSONS;

/// Course title, pitch, progress bar and the list of lessons.
#[component]
pub fn Home() -> impl IntoView {
    set_title(|| "Learn event sourcing".to_string());
    let progress = use_journal().progress();
    let done = move || progress.with(|p| LESSONS.iter().filter(|l| p.status(l.slug) == Status::Done).count());
    view! {
        <div class="page home">
            <section class="hero" aria-labelledby="course-title">
                <h1 id="course-title">"foldlab"</h1>
                <p class="tagline">"Learn event sourcing by folding a bank account."</p>
                {move || match next_step(&progress.get()) {
                    Some((href, label, left)) => view! {
                        <p class="next-step">
                            <Link href=href>{label}</Link>
                            {left.map(|left| view! { <span class="next-left">{format!("{left} left")}</span> })}
                        </p>
                    }.into_any(),
                    None => view! { <p class="next-step course-done">"✓ Course complete: every lesson done."</p> }.into_any(),
                }}
                <p class="pitch">
                    "Most systems overwrite a row and forget what happened. Event-sourced systems write down "
                    "every fact and work out the present from the past. In eight short lessons you will fold "
                    "events into balances, turn commands into facts, move money between accounts without "
                    "losing a cent, and keep long histories fast. Every idea comes with a live widget running a "
                    "real event store in your browser, code you write and run against hidden test cases, and a "
                    "quiz that explains every answer. Your progress is itself an event log, kept on this device."
                </p>
                <div class="course-progress">
                    <progress max=LESSONS.len() value=done aria-label="Lessons done"></progress>
                    <span>{move || format!("{} of {} lessons done", done(), LESSONS.len())}</span>
                </div>
            </section>
            <section aria-labelledby="lessons-heading">
                <h2 id="lessons-heading">"Lessons"</h2>
                <ol class="lesson-list">
                    {LESSONS
                        .iter()
                        .enumerate()
                        .map(|(index, lesson)| {
                            let status = move || progress.with(|p| p.status(lesson.slug));
                            view! {
                                <li class="lesson-item" data-status=move || status().label()>
                                    <span class="lesson-number" aria-hidden="true">{index + 1}</span>
                                    <div class="lesson-text">
                                        <Link href=format!("/lessons/{}", lesson.slug)>{lesson.title}</Link>
                                        <p class="lesson-summary">{lesson.summary}</p>
                                    </div>
                                    <span class="status-marker">
                                        <span class="status-dot" aria-hidden="true"></span>
                                        {move || status().label()}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        </div>
    }
}

/// Where to go on: the first lesson in course order not yet complete, "Start lesson 2: …" when it
/// was never opened, "Continue with lesson 3: …" with what is left of it when it was; nothing
/// once every lesson is complete.
fn next_step(progress: &Progress) -> Option<(String, String, Option<String>)> {
    let (index, lesson) = LESSONS.iter().enumerate().find(|(_, l)| progress.status(l.slug) != Status::Done)?;
    let href = lesson.resume_href(progress);
    if progress.status(lesson.slug) == Status::NotStarted {
        return Some((href, format!("Start lesson {}: {}", index + 1, lesson.title), None));
    }
    let left = lesson.left(progress).describe();
    Some((href, format!("Continue with lesson {}: {}", index + 1, lesson.title), (!left.is_empty()).then_some(left)))
}
