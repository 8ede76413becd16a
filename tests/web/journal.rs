//! The journal, the app's handle on the learner's log: progress follows each append, another tab's
//! events arrive on refresh, and the views it hands out outlive the component that asked for them.

use foldlab::learner::{self, LearnerEvent, Progress};
use foldlab::storage;
use foldlab_core::store::{EventStore, NewEvent};
use foldlab_core::{EventId, ExpectedVersion, RecordedEvent, StreamId, Timestamp};
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::*;

use super::support::{clear_storage, progress_of};

/// A journal on an empty localStorage, under an owner of its own (the app's, in these tests).
fn fresh_journal() -> (Owner, learner::Journal) {
    clear_storage();
    let app = Owner::new();
    app.set();
    (app.clone(), learner::provide())
}


#[wasm_bindgen_test]
fn progress_follows_appends_here_and_in_another_tab_and_outlives_its_reader() {
    let (app, journal) = fresh_journal();
    journal.record(LearnerEvent::LessonOpened { lesson: "fold".into() });

    // A component asks for the progress, then goes away; a callback it left behind (a finished
    // exercise run) still reads it.
    let component = app.child();
    let progress = component.with(|| journal.progress());
    component.cleanup();
    drop(component);
    assert!(progress.with_untracked(|p| p.opened.contains("fold")));

    // Another tab appends to the same localStorage; a refresh folds in just that event.
    let (backend, _) = storage::open().expect("opens");
    let mut other = EventStore::open(backend).expect("reads");
    let opened = NewEvent { id: EventId::new("other-tab-1").expect("id"), event_type: "lesson-opened".into(), schema: 2, data: json!({ "lesson": "snapshots" }) };
    other.append(&StreamId::new("learner").expect("stream"), ExpectedVersion::Any, vec![opened], Timestamp(1)).expect("appended");
    journal.refresh();
    let seen = progress.with_untracked(|p| (p.opened.contains("fold"), p.opened.contains("snapshots")));
    let count = untrack(|| journal.with_records(<[foldlab_core::RecordedEvent]>::len));
    clear_storage();
    assert_eq!(seen, (true, true));
    assert_eq!(count, 2);
}

#[wasm_bindgen_test]
fn every_learner_event_reads_back_from_its_stored_data() {
    let all = [
        LearnerEvent::LessonOpened { lesson: "fold".into() },
        LearnerEvent::LessonCompleted { lesson: "fold".into() },
        LearnerEvent::QuizAnswered { question: "fold/q1".into(), choice: 2, correct: true },
        LearnerEvent::ExerciseRun { exercise: "transfers".into(), passed: 5, total: 7 },
        LearnerEvent::ExercisePassed { exercise: "transfers".into() },
        LearnerEvent::DraftSaved { exercise: "fold".into(), source: "fn evolve(s, e) { s }\n".into() },
        LearnerEvent::SolutionRevealed { exercise: "fold".into() },
        LearnerEvent::ThemeChosen { theme: "dark".into() },
        LearnerEvent::HintShown { exercise: "fold".into(), hint: 2 },
        LearnerEvent::AnswerShown { question: "fold/q1".into() },
        LearnerEvent::ExampleEdited { widget: "fold-stepper".into(), events: vec![json!({ "type": "account-opened", "schema": 1, "data": {} })] },
    ];
    for event in all {
        assert_eq!(LearnerEvent::from_data(event.type_name(), &event.data()), Some(event.clone()), "{event:?}");
    }
    assert_eq!(LearnerEvent::from_data("quiz-answered", &json!({ "question": "q", "choice": -1, "correct": true })), None);
    assert_eq!(LearnerEvent::from_data("no-such-event", &json!({})), None);
}

#[wasm_bindgen_test]
fn progress_remembers_every_choice_tried_answers_shown_and_the_most_hints_shown() {
    let answered = |choice, correct| LearnerEvent::QuizAnswered { question: "fold/q1".into(), choice, correct };
    let hint = |hint| LearnerEvent::HintShown { exercise: "fold".into(), hint };
    let progress = progress_of(&[
        answered(2, false),
        answered(0, false),
        answered(2, false),
        LearnerEvent::AnswerShown { question: "fold/q1".into() },
        hint(2),
        hint(1),
    ]);
    assert_eq!(progress.tried.get("fold/q1").map(|t| t.iter().copied().collect::<Vec<_>>()), Some(vec![0, 2]), "each choice once");
    assert!(progress.answers_shown.contains("fold/q1"));
    assert!(!progress.answered_right.contains("fold/q1"), "showing the answer is not answering it");
    assert_eq!(progress.first_tries.get("fold/q1"), Some(&false));
    assert_eq!(progress.hints.get("fold"), Some(&2), "a lower hint number never hides hints already shown");
}

#[wasm_bindgen_test]
fn a_draft_theme_or_list_merged_from_an_older_file_does_not_replace_a_newer_one() {
    use foldlab::learner::Dated;
    use foldlab_core::Timestamp;
    let at = |ms, event| Dated { at: Timestamp(ms), event };
    let draft = |source: &str| LearnerEvent::DraftSaved { exercise: "fold".into(), source: source.into() };
    let theme = |theme: &str| LearnerEvent::ThemeChosen { theme: theme.into() };
    let list = |n| LearnerEvent::ExampleEdited { widget: "fold-stepper".into(), events: vec![json!(n)] };
    // The learner's own log, then a file's events merged after it: older, but later in the log.
    let progress = Progress::from_events(&[
        at(20, draft("mine")),
        at(20, theme("dark")),
        at(20, list(2)),
        at(10, draft("the file's")),
        at(10, theme("light")),
        at(10, list(1)),
        // A draft from the very same moment counts as the later one.
        at(20, LearnerEvent::DraftSaved { exercise: "transfers".into(), source: "first".into() }),
        at(20, LearnerEvent::DraftSaved { exercise: "transfers".into(), source: "second".into() }),
    ]);
    assert_eq!(progress.drafts.get("fold").map(String::as_str), Some("mine"));
    assert_eq!(progress.theme.as_deref(), Some("dark"));
    assert_eq!(progress.examples.get("fold-stepper"), Some(&vec![json!(2)]));
    assert_eq!(progress.drafts.get("transfers").map(String::as_str), Some("second"));
    // A newer one in the file does replace them.
    let progress = progress.apply(&at(30, draft("the file's newer")));
    assert_eq!(progress.drafts.get("fold").map(String::as_str), Some("the file's newer"));
}

/// One event of another browser's export, recorded `at`.
fn exported(id: &str, event: &LearnerEvent, at: Timestamp) -> RecordedEvent {
    RecordedEvent {
        id: EventId::new(id).expect("id"),
        stream: StreamId::new("learner").expect("stream"),
        version: 1,
        position: 1,
        event_type: event.type_name().into(),
        schema: 1,
        data: event.data(),
        recorded_at: at,
    }
}

#[wasm_bindgen_test]
fn a_merged_file_neither_replaces_a_newer_draft_nor_outlives_the_learners_next_choice() {
    let (_app, journal) = fresh_journal();
    let progress = journal.progress();
    let draft = |source: &str| LearnerEvent::DraftSaved { exercise: "fold".into(), source: source.into() };
    let theme = |theme: &str| LearnerEvent::ThemeChosen { theme: theme.into() };
    journal.record(draft("mine"));
    let now = foldlab::clock::now().millis();
    // Another browser's draft from a minute ago comes after the learner's in the log.
    journal.merge(&[exported("older-draft", &draft("the file's"), Timestamp::from_millis(now - 60_000))]).expect("merged");
    let kept = progress.with_untracked(|p| p.drafts.get("fold").cloned());
    // A theme chosen on a device whose clock runs an hour ahead...
    journal.merge(&[exported("ahead-theme", &theme("dark"), Timestamp::from_millis(now + 3_600_000))]).expect("merged");
    let merged = progress.with_untracked(|p| p.theme.clone());
    // ...does not outlive the learner's next choice here, nor their next draft.
    journal.record(theme("light"));
    journal.record(draft("mine, later"));
    let (chosen, latest) = progress.with_untracked(|p| (p.theme.clone(), p.drafts.get("fold").cloned()));
    clear_storage();
    assert_eq!(kept.as_deref(), Some("mine"), "an older draft merged later does not replace the newer one");
    assert_eq!(merged.as_deref(), Some("dark"), "a newer choice from the file does show");
    assert_eq!(chosen.as_deref(), Some("light"), "what the learner does now is their newest choice");
    assert_eq!(latest.as_deref(), Some("mine, later"));
}

#[wasm_bindgen_test]
fn a_lesson_completed_in_two_tabs_is_stored_once() {
    let (_app, journal) = fresh_journal();
    // Another tab finished the lesson first, with the same fact's id; then this one records it.
    let (backend, _) = storage::open().expect("opens");
    let mut other = EventStore::open(backend).expect("reads");
    let completed = LearnerEvent::LessonCompleted { lesson: "fold".into() };
    let id = EventId::new(&completed.once_id().expect("a fact once for all")).expect("id");
    let theirs = NewEvent { id, event_type: completed.type_name().into(), schema: 2, data: completed.data() };
    other.append(&StreamId::new("learner").expect("stream"), ExpectedVersion::Any, vec![theirs], Timestamp(1)).expect("appended");
    journal.record(completed.clone());
    journal.record(completed);
    let stored = untrack(|| journal.with_records(|records| records.iter().filter(|r| r.event_type == "lesson-completed").count()));
    let done = journal.progress().with_untracked(|p| p.completed.contains("fold"));
    clear_storage();
    assert_eq!((stored, done), (1, true));
}
