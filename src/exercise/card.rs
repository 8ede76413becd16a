//! One exercise as a card: the task, the editor, the buttons, hints, the result and the takeaway.
//!
//! What the learner does is recorded in their journal: runs, passes, drafts (after a pause in
//! typing, on leaving the editor and on every run) and revealed solutions.

use std::time::Duration;

use foldlab_script::exercises::MOST_OWN_EVENTS;
use foldlab_script::{Exercise, Report};
use leptos::prelude::*;

use super::editor::{go_to_line, Editor};
use super::own;
use super::result::{inline_code, Details, Summary};
use super::worker;
use crate::code::CodeBlock;
use crate::learner::{use_journal, LearnerEvent};
use crate::route::Link;
use crate::widget::{focus_soon, show_soon};

/// How long typing must pause before the draft is kept.
const DRAFT_PAUSE: Duration = Duration::from_secs(2);

/// One exercise: the task, the editor, the buttons, hints, the result and the takeaway.
#[component]
pub fn ExerciseCard(exercise: &'static Exercise) -> impl IntoView {
    let journal = use_journal();
    let progress = journal.progress();
    let id = exercise.id;
    let source = RwSignal::new(progress.with_untracked(|p| p.drafts.get(id).cloned()).unwrap_or_else(|| exercise.starter.to_owned()));
    let keep_draft = keep_drafts(id, source);
    let report = RwSignal::new(None::<Report>);
    // The code the report is about: once the learner edits it, its line numbers may point elsewhere.
    let reported_code = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let current_run = StoredValue::new(None::<worker::RunId>);
    // Hints asked for stay shown after a reload, like a revealed solution: both come from the log.
    let hints_shown = RwSignal::new(progress.with_untracked(|p| p.hints.get(id).copied().unwrap_or(0)).min(exercise.hints.len()));
    let revealed = Memo::new(move |_| progress.with(|p| p.revealed.contains(id)));
    let passed = Memo::new(move |_| progress.with(|p| p.passed.contains(id)));

    // Below the hints a learner opened, the result can land out of sight of Run: each report
    // brings it into view, as far as it takes (not as the run starts: with Ctrl+Enter the learner
    // is still looking at the line they typed).
    let summary_id = StoredValue::new(format!("exercise-{id}-result"));
    let run = move || {
        // Run again during a run: the learner changed the code or gave up waiting on a loop. The
        // earlier run's report would describe code no longer in the editor, so it is dropped.
        if let Some(previous) = current_run.get_value() {
            worker::cancel(previous);
        }
        keep_draft();
        running.set(true);
        // The sandbox bank writes to the log beside the journal: read what it added.
        journal.refresh();
        let own = untrack(|| journal.with_records(|records| own::events(exercise, records)));
        let code = source.get_untracked();
        let sent = code.clone();
        let started = worker::run(id, &code, own, move |finished: Report| {
            let _ = current_run.try_set_value(None);
            let _ = reported_code.try_set(Some(sent));
            let total = finished.cases().len();
            journal.record(LearnerEvent::ExerciseRun { exercise: id.to_owned(), passed: finished.passed(), total });
            let passed_before = progress.with_untracked(|p| p.passed.contains(id));
            if finished.all_passed() && !passed_before {
                journal.record(LearnerEvent::ExercisePassed { exercise: id.to_owned() });
            }
            // The learner may have left the page while the code ran.
            let _ = running.try_set(false);
            let _ = report.try_set(Some(finished));
            if let Some(summary) = summary_id.try_get_value() {
                show_soon(summary);
            }
        });
        // Unless it has already reported (a sandbox that could not start answers at once).
        if running.get_untracked() {
            current_run.set_value(Some(started));
        }
    };
    // The editor's textarea, as the editor names it from the id it is given below.
    let code_id = format!("exercise-{id}-code");
    let editor_id = StoredValue::new(code_id.clone());
    // Puts `code` in the editor (asking first when that loses changes of the learner's), stops a
    // run under way and keeps the new draft. The keyboard goes to the editor, where the change is.
    let replace_code = move |code: &'static str, question: &str| {
        let loses_changes = source.with_untracked(|now| now != exercise.starter && now != code);
        if !loses_changes || confirm(question) {
            if let Some(under_way) = current_run.get_value() {
                worker::cancel(under_way);
                current_run.set_value(None);
                running.set(false);
            }
            source.set(code.to_owned());
            report.set(None);
            keep_draft();
            focus_soon(editor_id.get_value());
        }
    };
    let reset = move |_| replace_code(exercise.starter, "Replace your code with the starter code? Your changes will be lost.");
    let use_solution = Callback::new(move |()| replace_code(exercise.solution, "Replace your code with this solution? Your changes will be lost."));
    let solution_target = solution_id(id);
    let show_solution = move |_| {
        let shown = revealed.get_untracked() || confirm("Show the solution? Trying a hint first often teaches more.");
        if shown && !revealed.get_untracked() {
            journal.record(LearnerEvent::SolutionRevealed { exercise: id.to_owned() });
        }
        if shown {
            // It appears at the end of the card: take the reader (and the keyboard) there.
            focus_soon(solution_target.clone());
        }
    };
    let no_more_hints = move || hints_shown.get() == exercise.hints.len();
    // Whether the editor holds the code the report is about: its line is marked only then, and
    // a verdict on code since changed says so.
    let current = Memo::new(move |_| reported_code.with(|reported| source.with(|code| reported.as_deref() == Some(code.as_str()))));
    let error_line = Signal::derive(move || report.with(|r| r.as_ref().and_then(Report::error_line)).filter(|_| current.get()));
    let stale = move || !current.get() && !running.get() && report.with(Option::is_some);
    let all_passed = move || report.with(|r| r.as_ref().is_some_and(Report::all_passed));
    let functions = exercise.functions.iter().map(|f| f.signature()).collect::<Vec<_>>().join(" and ");
    let heading_id = heading_id(id);
    let editor_id = heading_id.clone();
    let labelled_by = heading_id.clone();

    view! {
        <section class="exercise card" aria-labelledby=labelled_by>
            <p class="card-kicker">
                "Exercise"
                // A later run that fails does not undo the pass, but says it is from before.
                {move || passed.get().then(|| if report.with(|r| r.as_ref().is_some_and(|r| !r.all_passed())) { " · passed before" } else { " · passed" })}
            </p>
            <h3 id=heading_id>{exercise.title}</h3>
            <p class="exercise-task">"Write " <code>{functions}</code> " so that every case passes."</p>
            {exercise.checks_own_events.then(|| view! { <OwnEvents exercise/> })}
            <Editor
                source
                error_line
                on_run=Callback::new(move |()| run())
                on_blur=Callback::new(move |()| keep_draft())
                id=editor_id
            />
            <div class="exercise-actions">
                // Ctrl+Enter runs from the editor only, which announces it (aria-keyshortcuts there).
                <button type="button" class="button primary" on:click=move |_| run()>
                    "Run"
                </button>
                <button
                    type="button"
                    class="button"
                    aria-disabled=move || no_more_hints().then_some("true")
                    on:click=move |_| {
                        let shown = hints_shown.get_untracked();
                        if shown < exercise.hints.len() {
                            hints_shown.set(shown + 1);
                            journal.record(LearnerEvent::HintShown { exercise: id.to_owned(), hint: shown + 1 });
                        }
                    }
                >
                    {move || match hints_shown.get() {
                        0 => format!("Hint (1 of {})", exercise.hints.len()),
                        n if n < exercise.hints.len() => format!("Next hint ({} of {})", n + 1, exercise.hints.len()),
                        _ => "No more hints".to_owned(),
                    }}
                </button>
                <button type="button" class="button" on:click=show_solution>
                    {move || if revealed.get() { "Go to the solution" } else { "Show solution" }}
                </button>
                <button type="button" class="button" on:click=reset>"Reset"</button>
            </div>
            <ol class="hints" aria-label="Hints" aria-live="polite">
                {move || {
                    exercise.hints[..hints_shown.get()]
                        .iter()
                        .map(|hint| view! { <li>{hint_text(hint)}</li> })
                        .collect_view()
                }}
            </ol>
            <Summary report=report.into() running=running.into() id=summary_id.get_value()/>
            {move || stale().then(|| view! {
                <p class="result-stale">"You have changed the code since this run: Run it again to check what the editor holds now."</p>
            })}
            {move || error_line.get().filter(|_| !running.get()).map(|line| {
                let code = code_id.clone();
                view! {
                    <button type="button" class="button go-to-line" on:click=move |_| go_to_line(&code, line)>
                        {format!("Go to line {line}")}
                    </button>
                }
            })}
            {move || report.get().map(|report| view! { <Details report solution_revealed=revealed.into()/> })}
            {move || all_passed().then(|| view! {
                <div class="takeaway">
                    <p class="takeaway-title">"What to take away"</p>
                    <p>{inline_code(exercise.takeaway)}</p>
                </div>
            })}
            {move || revealed.get().then(|| view! { <Solution exercise use_solution/> })}
        </section>
    }
}

/// Keeps the editor's code as a draft in the learner's journal: after a pause in typing, and when
/// the learner leaves the lesson or the page; returns the call that keeps it now (on a run, on
/// leaving the editor), which records nothing when the code is as last kept.
fn keep_drafts(id: &'static str, source: RwSignal<String>) -> impl Fn() + Copy + 'static {
    let journal = use_journal();
    let kept = StoredValue::new(source.get_untracked());
    let keep_draft = move || {
        // Also called while the card is being torn down, when its signals may be gone.
        let Some(current) = source.try_get_untracked() else { return };
        if kept.try_with_value(|k| *k != current).unwrap_or(false) {
            let _ = kept.try_set_value(current.clone());
            journal.record(LearnerEvent::DraftSaved { exercise: id.to_owned(), source: current });
        }
    };
    crate::clock::after_a_pause(move || source.track(), DRAFT_PAUSE, keep_draft);
    keep_draft
}

/// The id of an exercise's shown solution, where "Show solution" takes the keyboard.
fn solution_id(exercise: &str) -> String {
    format!("exercise-{exercise}-solution")
}

/// A shown solution, with the button that puts it in the editor.
#[component]
fn Solution(exercise: &'static Exercise, use_solution: Callback<()>) -> impl IntoView {
    let id = solution_id(exercise.id);
    // Focus lands on the solution: a group named by its title says where it landed.
    let title = format!("{id}-title");
    let labelled_by = title.clone();
    view! {
        <div class="solution" id=id tabindex="-1" role="group" aria-labelledby=labelled_by>
            <p class="solution-title" id=title>"A solution"</p>
            <CodeBlock lang="rhai" source=exercise.solution/>
            <div class="row">
                <button type="button" class="button" on:click=move |_| use_solution.run(())>"Put this solution in the editor"</button>
            </div>
        </div>
    }
}

/// Asks the learner to confirm, with the browser's own dialog (keyboard and screen-reader ready).
fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// Says which of the learner's own events the checker also tries, and where to make some.
#[component]
fn OwnEvents(exercise: &'static Exercise) -> impl IntoView {
    let journal = use_journal();
    journal.refresh();
    let found = Memo::new(move |_| journal.with_records(|records| own::events(exercise, records).len()));
    view! {
        <p class="exercise-own">
            {move || match found.get() {
                0 => view! {
                    "Your own events are checked too: make a deposit or two in the "
                    <Link href="/sandbox">"sandbox bank"</Link>
                    ", come back and run again."
                }.into_any(),
                n if n <= MOST_OWN_EVENTS => format!(
                    "Also checked: your {} from the sandbox bank, written as version 1 stored {}.",
                    crate::plural::count(n, "deposit"),
                    if n == 1 { "it" } else { "them" },
                ).into_any(),
                n => format!(
                    "Also checked: the newest {MOST_OWN_EVENTS} of your {n} deposits from the sandbox bank, written as version 1 stored them.",
                ).into_any(),
            }}
        </p>
    }
}

/// The id of an exercise's heading on its lesson page, where a learner coming back to it lands.
pub fn heading_id(exercise: &str) -> String {
    format!("exercise-{exercise}")
}

/// A hint: text with `code` in backticks, and listings between lines of three backticks as code
/// blocks (an exercise's last hint is nearly the answer, too long to read as one line of text).
fn hint_text(hint: &'static str) -> impl IntoView {
    hint.split("```")
        .enumerate()
        .filter(|(_, piece)| !piece.trim().is_empty())
        .map(|(index, piece)| {
            if index % 2 == 1 {
                view! { <CodeBlock lang="rhai" source=piece.trim_matches('\n')/> }.into_any()
            } else {
                view! { <span class="hint-text">{inline_code(piece.trim())}</span> }.into_any()
            }
        })
        .collect_view()
}
