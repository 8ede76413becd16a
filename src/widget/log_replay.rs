//! The log replay: the learner's own event log from this course, replayed up to any event, and (in
//! lesson 8) an old-shaped stored event upcast by the core as it is read.

use foldlab_core::upcast::{deposit_v1_data, Upcasters};
use foldlab_core::Money;
use leptos::prelude::*;

use crate::learner::{use_journal, LearnerEvent, Progress};

/// The widget.
#[component]
pub fn LogReplay(
    /// On a page of its own (the log page) its title is a second-level heading; in a lesson, a
    /// third-level one under the lesson's sections.
    #[prop(optional)]
    top_level: bool,
) -> impl IntoView {
    let events = use_journal().events();
    let len = move || events.with(Vec::len);
    // None follows the newest event; Some(k) is where the learner put the slider.
    let chosen = RwSignal::new(None::<usize>);
    let k = move || chosen.get().unwrap_or_else(len).min(len());
    let progress = move || events.with(|e| Progress::from_events(e[..k().min(e.len())].iter()));
    let shown = move || window(k(), len());

    view! {
        <section class="card widget log-replay" aria-labelledby="log-replay-title">
            <p class="card-kicker">"Try it"</p>
            {if top_level {
                view! { <h2 id="log-replay-title">"Your own log, replayed"</h2> }.into_any()
            } else {
                view! { <h3 id="log-replay-title">"Your own log, replayed"</h3> }.into_any()
            }}
            <p class="widget-intro">"Your way through the lessons so far, as events on the learner stream (the sandbox bank's accounts are streams of their own, not replayed here). Move the slider to fold only the first events: the progress below is what the app knew at that point."</p>
            <label class="field replay-slider">
                {move || format!("Replay up to event {} of {}", k(), len())}
                <input type="range" min="0" max=move || len().to_string() prop:value=move || k().to_string()
                    aria-label="Replay up to event"
                    aria-valuetext=move || {
                        let p = progress();
                        format!("event {} of {}: {} opened, {} right", k(), len(), crate::plural::count(p.opened.len(), "lesson"), crate::plural::count(p.answered_right.len(), "answer"))
                    }
                    on:input=move |ev| chosen.set(event_target_value(&ev).parse().ok())/>
            </label>
            <div class="replay-grid">
                <ol class="replay-log" aria-label="Your events around the replay point, oldest first">
                    {move || (len() == 0).then(|| view! {
                        <li class="console-empty">"Nothing to replay yet: open a lesson or answer a question, and its event appears here."</li>
                    })}
                    {move || {
                        let range = shown();
                        let start = range.start;
                        events.with(|e| e[range].to_vec()).into_iter().enumerate().map(move |(at, e)| {
                        let i = start + at;
                        let future = move || i >= k();
                        let current = move || i + 1 == k();
                        view! {
                            <li class="chip chip-event" class:future=future class:current=current
                                aria-current=move || current().then_some("step")>
                                // Counted on the learner stream, not the log's positions (the
                                // table on /log numbers the sandbox's events too).
                                <span class="chip-kind">{format!("learner event {}", i + 1)}</span>
                                <span class="chip-name">{e.event.type_name()}</span>
                                <span>{summary(&e.event)}</span>
                            </li>
                        }
                    }).collect_view()
                    }}
                    // Room kept for the cards still to come, so the list is one height from the
                    // first event on: growing, it moved what is below it (lesson 8's exercise) as
                    // the learner's draft was saved, under a mouse on its way to Run. Drawn as
                    // hatched room, the first one saying what it is for, so it reads as waiting
                    // rather than as a gap. (An empty log is only ever seen on the log
                    // page, with nothing below to move.)
                    {move || (0..if len() == 0 { 0 } else { SHOWN - shown().len() }).map(|spare| view! {
                        <li class="chip replay-spare" aria-hidden="true">
                            <span class="chip-kind">{if spare == 0 { "your next events appear here" } else { "\u{a0}" }}</span>
                            <span class="chip-name">"\u{a0}"</span><span>"\u{a0}"</span>
                        </li>
                    }).collect_view()}
                </ol>
                // Not a live region: the log grows with every answer on the page, and the
                // slider's value text already reads out what the card shows as it moves.
                <div class="state-card" role="group" aria-label="Progress at this point">
                    <span class="chip-kind">"read model: progress"</span>
                    {move || {
                        let p = progress();
                        view! {
                            <span class="meta">{format!("lessons opened: {}", p.opened.len())}</span>
                            <span class="meta">{format!("lessons completed: {}", p.completed.len())}</span>
                            <span class="meta">{format!("questions answered right: {}", p.answered_right.len())}</span>
                            <span class="meta">{format!("exercises passed: {}", p.passed.len())}</span>
                        }
                    }}
                </div>
            </div>
            // Lesson 8's subject, beside the replay there; on the log page it would come out of nowhere.
            {(!top_level).then(|| view! {
                <h4 class="board-heading">"An old event, read with today's code"</h4>
                <UpcastDemo/>
            })}
        </section>
    }
}

/// A version-1 deposit (amount as a decimal string) beside what the core's upcaster makes of it.
#[component]
fn UpcastDemo() -> impl IntoView {
    let v1 = Money::from_cents(1_250).map(deposit_v1_data).map_err(|e| e.to_string());
    let shown = v1.and_then(|data| {
        let before = serde_json::to_string_pretty(&data).map_err(|e| e.to_string())?;
        let after = Upcasters::standard().upcast("money-deposited", 1, data, 2).map_err(|e| e.to_string())?;
        Ok((before, serde_json::to_string_pretty(&after).map_err(|e| e.to_string())?))
    });
    match shown {
        Ok((before, after)) => view! {
            <div class="upcast-pair">
                <figure><figcaption>"Stored as version 1"</figcaption><pre class="code-block">{before}</pre></figure>
                <span class="upcast-arrow" aria-hidden="true">"→"</span>
                <figure><figcaption>"Read as version 2 (upcast)"</figcaption><pre class="code-block">{after}</pre></figure>
            </div>
        }
        .into_any(),
        Err(reason) => view! { <p class="inline-error">{format!("The upcaster failed: {reason}")}</p> }.into_any(),
    }
}

/// How many events the replay lists at once: the list shows them all, whole, and moves its window
/// with the slider (a scroll box of a longer list opened on half a card and read as broken).
const SHOWN: usize = 5;

/// The events listed when the first `k` of `len` are folded: a window that keeps the last folded
/// event in it with a few of the events still to come after it, so moving the slider back to the
/// start of a long log shows the start of the log.
fn window(k: usize, len: usize) -> std::ops::Range<usize> {
    let end = (k.saturating_sub(SHOWN - SHOWN / 3) + SHOWN).min(len);
    end.saturating_sub(SHOWN)..end
}

/// A one-line description of a learner event beside its type.
fn summary(event: &LearnerEvent) -> String {
    match event {
        LearnerEvent::LessonOpened { lesson } | LearnerEvent::LessonCompleted { lesson } => lesson.clone(),
        LearnerEvent::QuizAnswered { question, correct, .. } => format!("{question}: {}", if *correct { "right" } else { "not yet" }),
        LearnerEvent::ExerciseRun { exercise, passed, total } => format!("{exercise}: {passed} of {total}"),
        LearnerEvent::ExercisePassed { exercise } | LearnerEvent::SolutionRevealed { exercise } => exercise.clone(),
        LearnerEvent::DraftSaved { exercise, source } => format!("{exercise}: {} lines", source.lines().count()),
        LearnerEvent::ThemeChosen { theme } => theme.clone(),
        LearnerEvent::HintShown { exercise, hint } => format!("{exercise}: hint {hint}"),
        LearnerEvent::AnswerShown { question } => question.clone(),
        LearnerEvent::ExampleEdited { widget, events } => format!("{widget}: {}", crate::plural::count(events.len(), "event")),
    }
}
