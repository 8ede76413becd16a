//! The journal, the app's handle on the learner's log: progress follows each append, another tab's
//! events arrive on refresh, and the views it hands out outlive the component that asked for them.

use foldlab::learner::{self, LearnerEvent};
use foldlab::storage;
use foldlab_core::store::{EventStore, NewEvent};
use foldlab_core::{EventId, ExpectedVersion, StreamId, Timestamp};
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn progress_follows_appends_here_and_in_another_tab_and_outlives_its_reader() {
    window().local_storage().ok().flatten().expect("localStorage").clear().expect("cleared");
    let app = Owner::new();
    app.set();
    let journal = learner::provide();
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
    let count = journal.records().with_untracked(Vec::len);
    window().local_storage().ok().flatten().expect("localStorage").clear().expect("cleared");
    assert_eq!(seen, (true, true));
    assert_eq!(count, 2);
}
