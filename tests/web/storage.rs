//! The learner's log against the browser's real localStorage: a quota filled on purpose, keys
//! damaged on purpose, a newer layout, an older event schema, two stores sharing one storage, and a
//! retried append, and how another tab's `storage` events are read and coalesced. Each test that
//! writes starts from an empty localStorage and leaves it empty.

use foldlab::learner::event::{decode, upcasters};
use foldlab::learner::LearnerEvent;
use foldlab::storage::{self, LocalStorageBackend};
use foldlab_core::segments::{segment_key, Opened, META_KEY, QUARANTINE_PREFIX, SEGMENT};
use foldlab_core::store::{AppendError, BackendError, EventStore, NewEvent};
use foldlab_core::{EventId, ExpectedVersion, RecordedEvent, StreamId, Timestamp};
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::support::pause;

const AT: Timestamp = Timestamp(1_700_000_000_000);

fn local() -> web_sys::Storage {
    window().local_storage().ok().flatten().expect("localStorage in Chromium")
}

fn clear() {
    local().clear().expect("cleared");
}

fn all_keys() -> Vec<(String, String)> {
    let store = local();
    let mut pairs: Vec<(String, String)> = (0..store.length().unwrap_or(0))
        .filter_map(|i| store.key(i).ok().flatten())
        .filter_map(|k| Some((k.clone(), store.get_item(&k).ok().flatten()?)))
        .collect();
    pairs.sort();
    pairs
}

fn open() -> (EventStore<LocalStorageBackend>, Opened) {
    let (backend, opened) = storage::open().expect("localStorage opens");
    (EventStore::open(backend).expect("the log reads back"), opened)
}

fn event(id: &str) -> NewEvent {
    NewEvent { id: EventId::new(id).expect("id"), event_type: "theme-chosen".into(), schema: 1, data: json!({ "theme": "dark" }) }
}

fn learner() -> StreamId {
    StreamId::new("learner").expect("stream")
}

/// A log of `n` events written through the real backend.
fn filled(n: usize) -> Vec<RecordedEvent> {
    clear();
    let (mut store, _) = open();
    for i in 0..n {
        store.append(&learner(), ExpectedVersion::Any, vec![event(&format!("e{i}"))], AT).expect("appended");
    }
    store.read_all(1).to_vec()
}

#[wasm_bindgen_test]
fn a_full_storage_refuses_the_append_and_changes_no_byte() {
    let events = filled(3);
    let (mut store, _) = open();
    let filler = "x".repeat(64 * 1024);
    let mut i = 0;
    while local().set_item(&format!("filler/{i}"), &filler).is_ok() {
        i += 1;
    }
    for size in [1024, 16, 1] {
        while local().set_item(&format!("filler/{i}"), &"x".repeat(size)).is_ok() {
            i += 1;
        }
    }
    let before = all_keys();
    let refused = store.append(&learner(), ExpectedVersion::Any, vec![event("one-too-many")], AT);
    let after = all_keys();
    clear();
    assert_eq!(refused.err(), Some(AppendError::Backend(BackendError::Full)));
    assert!(after == before, "the stored bytes are exactly as they were");
    assert_eq!(store.read_all(1), &events[..], "the store's own view did not advance either");
}

#[wasm_bindgen_test]
fn damaged_keys_keep_the_events_before_the_damage_and_are_quarantined() {
    let damage: [(&str, &dyn Fn()); 4] = [
        ("invalid JSON", &|| local().set_item(&segment_key(1), "{ not json").expect("set")),
        ("a truncated segment", &|| {
            let text = local().get_item(&segment_key(1)).ok().flatten().expect("segment 1");
            local().set_item(&segment_key(1), &text[..text.len() - 7]).expect("set");
        }),
        ("wrong types", &|| local().set_item(&segment_key(1), r#"[{"id": 5, "stream": true}]"#).expect("set")),
        ("a missing segment", &|| local().remove_item(&segment_key(1)).expect("removed")),
    ];
    for (what, damage) in damage {
        let events = filled(SEGMENT as usize + 5);
        damage();
        let damaged = local().get_item(&segment_key(1)).ok().flatten();
        let (store, opened) = open();
        let quarantined: Vec<(String, String)> = all_keys().into_iter().filter(|(k, _)| k.starts_with(QUARANTINE_PREFIX)).collect();
        let reopened = open();
        clear();
        assert!(matches!(opened, Opened::Recovered { kept, .. } if kept == SEGMENT), "{what}: {opened:?}");
        assert_eq!(store.read_all(1), &events[..SEGMENT as usize], "{what}: the first segment's events are kept");
        assert_eq!(quarantined.len(), 1, "{what}: one quarantine record");
        let record: serde_json::Value = serde_json::from_str(&quarantined[0].1).expect("the record is JSON");
        assert_eq!(record["keys"][segment_key(1)].as_str(), damaged.as_deref(), "{what}: the damaged text, verbatim");
        assert_eq!(reopened.1, Opened::Intact, "{what}: the recovered log opens intact");
    }
}

#[wasm_bindgen_test]
fn a_log_of_a_newer_layout_is_shown_and_never_overwritten() {
    let events = filled(2);
    local().set_item(META_KEY, r#"{"schema":2,"head":2}"#).expect("set");
    let before = all_keys();
    let (mut store, opened) = open();
    let refused = store.append(&learner(), ExpectedVersion::Any, vec![event("new")], AT);
    let after = all_keys();
    clear();
    assert_eq!(opened, Opened::Newer { layout: 2 });
    assert_eq!(store.read_all(1), &events[..]);
    assert!(refused.is_err());
    assert!(after == before, "nothing was written");
}

#[wasm_bindgen_test]
fn an_older_event_schema_is_upcast_as_it_loads_and_stays_stored_as_it_was() {
    clear();
    let (mut store, _) = open();
    let old = NewEvent { id: EventId::new("old").expect("id"), event_type: "lesson-opened".into(), schema: 1, data: json!({ "lesson": "01-fold" }) };
    store.append(&learner(), ExpectedVersion::Any, vec![old], AT).expect("appended");
    let (store, _) = open();
    let stored = store.read_all(1)[0].clone();
    clear();
    assert_eq!(decode(&upcasters(), &stored).map(|dated| dated.event), Some(LearnerEvent::LessonOpened { lesson: "fold".into() }));
    assert_eq!((stored.schema, stored.data), (1, json!({ "lesson": "01-fold" })), "the stored event is untouched");
}

#[wasm_bindgen_test]
fn two_stores_sharing_localstorage_lose_and_duplicate_nothing() {
    clear();
    let (mut left, _) = open();
    let (mut right, _) = open();
    for i in 0..30 {
        let (writer, other) = if i % 3 == 0 { (&mut left, "l") } else { (&mut right, "r") };
        writer.append(&learner(), ExpectedVersion::Any, vec![event(&format!("{other}{i}"))], AT).expect("appended");
        // A retry of the same event, as after a lost answer, is stored once.
        writer.append(&learner(), ExpectedVersion::Any, vec![event(&format!("{other}{i}"))], AT).expect("a retry succeeds");
    }
    left.catch_up().expect("reads");
    right.catch_up().expect("reads");
    let (fresh, _) = open();
    clear();
    assert_eq!(fresh.head(), 30);
    assert_eq!(left.read_all(1), right.read_all(1));
    assert_eq!(left.read_all(1), fresh.read_all(1));
    let mut ids: Vec<String> = fresh.read_all(1).iter().map(|e| e.id.to_string()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30);
}

#[wasm_bindgen_test]
fn text_beyond_ascii_reads_back_as_written() {
    clear();
    let (mut store, _) = open();
    // Drafts hold the learner's code, which may hold any text: accents, a euro sign, an emoji.
    let text = "let note = \"café: 5 € 😀\"; // naïve";
    let draft = NewEvent { data: json!({ "text": text }), ..event("draft") };
    store.append(&learner(), ExpectedVersion::Any, vec![draft], AT).expect("appended");
    let (store, _) = open();
    let stored = store.read_all(1).to_vec();
    // A lone surrogate is valid in a JS string but not in UTF-8: it reads as U+FFFD, not as an error.
    js_sys::eval("localStorage.setItem('foldlab-probe', 'a\\uD800b')").expect("set");
    let probe = {
        use foldlab_core::segments::KeyValue;
        storage::LocalStore::new().expect("localStorage").get("foldlab-probe").expect("readable")
    };
    clear();
    assert_eq!(stored[0].data, json!({ "text": text }));
    assert_eq!(probe.as_deref(), Some("a\u{FFFD}b"));
}

/// A `storage` event as another tab's write fires it, from a JavaScript init dictionary.
fn storage_event(init: &str) -> web_sys::StorageEvent {
    let made = js_sys::eval(&format!("new StorageEvent('storage', {init})")).expect("a StorageEvent is made");
    made.dyn_into().expect("a StorageEvent")
}

#[wasm_bindgen_test]
fn another_tabs_write_is_told_apart_by_its_key() {
    use storage::LogChange::{Erased, Written};
    let cases = [
        ("{key: 'foldlab/v1/meta', newValue: '{\"schema\":1,\"head\":3}'}", Some(Written)),
        ("{key: 'foldlab/v1/seg/0', newValue: '[]'}", Some(Written)),
        ("{key: 'foldlab/v1/seg/0', newValue: null}", Some(Written)),
        // A start over removes the meta record first; `clear()` names no key.
        ("{key: 'foldlab/v1/meta', newValue: null}", Some(Erased)),
        ("{key: null}", Some(Erased)),
        ("{key: 'foldlab/quarantine/1700000000000', newValue: '{}'}", None),
        ("{key: 'foldlab.theme', newValue: 'dark'}", None),
    ];
    for (init, expected) in cases {
        assert_eq!(storage::log_change(&storage_event(init)), expected, "{init}");
    }
}

#[wasm_bindgen_test]
async fn a_burst_of_other_tabs_writes_is_followed_once_with_the_strongest_change() {
    let heard: std::rc::Rc<std::cell::RefCell<Vec<storage::LogChange>>> = Default::default();
    let follow = storage::coalesced({
        let heard = heard.clone();
        move |change| heard.borrow_mut().push(change)
    });
    for change in [storage::LogChange::Written, storage::LogChange::Erased, storage::LogChange::Written] {
        follow(change);
    }
    assert!(heard.borrow().is_empty(), "followed after the burst, not during it");
    pause(20).await;
    assert_eq!(*heard.borrow(), [storage::LogChange::Erased]);
    follow(storage::LogChange::Written);
    pause(20).await;
    assert_eq!(*heard.borrow(), [storage::LogChange::Erased, storage::LogChange::Written], "a later burst is followed again");
}
