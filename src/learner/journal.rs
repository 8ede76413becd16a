//! The running app's handle on the learner's log: append an event to the store, then the progress
//! it adds up to follows. The store lives in localStorage, or in memory when the browser refuses.

use foldlab_core::store::{Backend, BackendError, EventStore, NewEvent, RecordedEvent, WriteError};
use foldlab_core::{EventId, ExpectedVersion, MemoryBackend, StreamId, Timestamp};
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use super::{LearnerEvent, Progress};
use crate::storage::{LocalStorageBackend, META_KEY};

/// The stream holding the learner's own events.
const STREAM: &str = "learner";

/// Where the log is kept.
#[derive(Clone)]
enum Place {
    Local(LocalStorageBackend),
    Memory(MemoryBackend),
}

impl Backend for Place {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        match self {
            Place::Local(b) => b.read_after(after),
            Place::Memory(b) => b.read_after(after),
        }
    }

    fn write_after(&mut self, head: u64, events: &[RecordedEvent]) -> Result<(), WriteError> {
        match self {
            Place::Local(b) => b.write_after(head, events),
            Place::Memory(b) => b.write_after(head, events),
        }
    }
}

/// The learner's log as the UI sees it.
#[derive(Clone, Copy)]
pub struct Journal {
    store: StoredValue<EventStore<Place>, LocalStorage>,
    events: RwSignal<Vec<LearnerEvent>>,
    progress: Memo<Progress>,
    notice: RwSignal<Option<String>>,
    /// This tab's prefix for event ids, so two tabs never mint the same id.
    origin: StoredValue<(String, u64), LocalStorage>,
}

impl Journal {
    /// Appends an event; the progress follows only once the write succeeded.
    pub fn record(&self, event: LearnerEvent) {
        let Ok(value) = serde_json::to_value(&event) else { return };
        let data = value.get("data").cloned().unwrap_or_default();
        let id = self.origin.try_update_value(|(prefix, n)| {
            *n += 1;
            format!("{prefix}-{n}")
        });
        let Some(Ok(id)) = id.map(|id| EventId::new(&id)) else { return };
        let new = NewEvent { id, event_type: event.type_name().to_string(), schema: 1, data };
        let at = Timestamp::from_millis(js_sys::Date::now() as i64);
        let stream = StreamId::new(STREAM);
        let result = self.store.try_update_value(|store| match stream {
            Ok(stream) => store.append(&stream, ExpectedVersion::Any, vec![new], at).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        });
        match result {
            Some(Ok(_)) => self.refresh(),
            failed => {
                if let Some(Err(reason)) = failed {
                    self.notice.set(Some(format!(
                        "Your progress could not be saved: {reason} It is still shown, but it will be lost on reload."
                    )));
                }
                // The page keeps working: the event still counts for this visit.
                self.events.update(|events| events.push(event));
            }
        }
    }

    /// The learner's events, oldest first.
    pub fn events(&self) -> ReadSignal<Vec<LearnerEvent>> {
        self.events.read_only()
    }

    /// The progress folded from the whole log.
    pub fn progress(&self) -> Memo<Progress> {
        self.progress
    }

    /// A message about storage the learner should see, if any.
    pub fn notice(&self) -> ReadSignal<Option<String>> {
        self.notice.read_only()
    }

    /// Reads what other tabs appended and refolds.
    fn refresh(&self) {
        let caught_up = self.store.try_update_value(|store| store.catch_up().map_err(|e| e.to_string()));
        if let Some(Err(reason)) = caught_up {
            self.notice.set(Some(format!("Another tab's progress could not be read: {reason}")));
        }
        let events = self.store.with_value(|store| learner_events(store));
        self.events.set(events);
    }
}

fn learner_events(store: &EventStore<Place>) -> Vec<LearnerEvent> {
    let Ok(stream) = StreamId::new(STREAM) else { return Vec::new() };
    store
        .read_stream(&stream, 1)
        .filter_map(|r| serde_json::from_value(serde_json::json!({ "type": r.event_type, "data": r.data })).ok())
        .collect()
}

/// Opens the log (localStorage if possible), provides the journal and follows other tabs.
pub fn provide() -> Journal {
    let (store, notice) = match LocalStorageBackend::open().and_then(|b| EventStore::open(Place::Local(b))) {
        Ok(store) => (store, None),
        Err(reason) => {
            let why = match reason {
                BackendError::Full => "the browser's storage is full".to_string(),
                BackendError::Corrupt(why) | BackendError::Unavailable(why) => why,
            };
            let store = EventStore::open(Place::Memory(MemoryBackend::default()));
            let Ok(store) = store else { unreachable_memory() };
            (store, Some(format!("Your progress will not be kept after this visit: {why}.")))
        }
    };
    let events = RwSignal::new(learner_events(&store));
    let progress = Memo::new(move |_| events.with(|events| Progress::from_events(events.iter())));
    let prefix = format!("t{:x}{:04x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 65536.0) as u32);
    let journal = Journal {
        store: StoredValue::new_local(store),
        events,
        progress,
        notice: RwSignal::new(notice),
        origin: StoredValue::new_local((prefix, 0)),
    };
    provide_context(journal);
    // Another tab wrote: catch up, so its progress shows here within a moment.
    let on_storage = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
        if event.key().as_deref() == Some(META_KEY) {
            journal.refresh();
        }
    });
    let _ = window().add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
    journal
}

/// An empty in-memory store always opens; this is never reached.
fn unreachable_memory() -> ! {
    panic!("an empty in-memory event store failed to open")
}

/// The journal provided by the app.
pub fn use_journal() -> Journal {
    expect_context::<Journal>()
}
