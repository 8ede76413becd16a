//! The browser's localStorage as the key-value store under the learner's log. The key layout, its
//! recovery and quarantine live in the core (`foldlab_core::segments`); this is only the edge.

use std::cell::Cell;
use std::rc::Rc;

use foldlab_core::segments::{KeyValue, Opened, SegmentedBackend, SEGMENT_PREFIX};
use foldlab_core::store::{Backend, BackendError, RecordedEvent, WriteError};
use foldlab_core::MemoryBackend;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

pub use foldlab_core::segments::META_KEY;

/// The learner's log in this page's localStorage.
pub type LocalStorageBackend = SegmentedBackend<LocalStore>;

/// Where a log is kept: the learner's in localStorage, or in memory (the widgets' logs, and the
/// learner's when the browser refuses localStorage). Every store and bank in the app is on this one
/// type, so the core's generic store and bank are compiled into the wasm once rather than once per
/// backend: a second copy of each cost kilobytes of the first page's download.
#[derive(Clone, Debug)]
pub enum Place {
    /// The learner's log in this page's localStorage.
    Local(LocalStorageBackend),
    /// A log in memory; clones share it, as tabs share localStorage.
    Memory(MemoryBackend),
}

impl Place {
    /// A new, empty log in memory.
    pub fn memory() -> Place {
        Place::Memory(MemoryBackend::default())
    }
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

    fn mend(&mut self, now: foldlab_core::store::Timestamp) -> Result<bool, BackendError> {
        match self {
            Place::Local(b) => b.mend(now),
            Place::Memory(b) => b.mend(now),
        }
    }
}

/// This page's localStorage.
#[derive(Clone, Debug)]
pub struct LocalStore {
    storage: web_sys::Storage,
}

/// What another tab's write to localStorage means for this tab's copy of the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogChange {
    /// It wrote to the log: this tab reconciles (`EventStore::reconcile`), which catches up, and
    /// also finds a write over this tab's latest events, made from a copy that had not seen them.
    Written,
    /// It deleted the log (started over, or cleared the storage): only reading it afresh follows
    /// it, and this tab's latest events are not written again.
    Erased,
}

/// Reads a `storage` event from another tab; `None` when it is not about the log.
pub fn log_change(event: &web_sys::StorageEvent) -> Option<LogChange> {
    match event.key().as_deref() {
        Some(META_KEY) if event.new_value().is_none() => Some(LogChange::Erased),
        Some(key) if key == META_KEY || key.starts_with(SEGMENT_PREFIX) => Some(LogChange::Written),
        // `localStorage.clear()`.
        None => Some(LogChange::Erased),
        Some(_) => None,
    }
}

/// Wraps `follow` so that a burst of other tabs' writes (an import elsewhere writes one key per
/// segment, an append two keys) is followed once, after the burst's `storage` events have been
/// handed over, with the strongest change among them: each call used to read the log again and
/// redraw, and a tab frozen that way took minutes to follow an import.
pub fn coalesced(follow: impl Fn(LogChange) + Clone + 'static) -> impl Fn(LogChange) + Clone + 'static {
    let pending: Rc<Cell<Option<LogChange>>> = Rc::default();
    move |change| {
        let strongest = match (pending.get(), change) {
            (Some(LogChange::Erased), _) | (_, LogChange::Erased) => LogChange::Erased,
            _ => LogChange::Written,
        };
        if pending.replace(Some(strongest)).is_none() {
            let (pending, follow) = (pending.clone(), follow.clone());
            leptos::prelude::set_timeout(
                move || {
                    if let Some(change) = pending.take() {
                        follow(change);
                    }
                },
                std::time::Duration::ZERO,
            );
        }
    }
}

/// Follows other tabs for as long as the returned handle is not stopped: `follow` hears their
/// writes to the log (a burst at once, see [`coalesced`]); `returned` is called when this page
/// comes back from the back-forward cache, having missed every write while it was away. The
/// journal and the sandbox page both follow, and a fix to one way of following is a fix to both.
pub fn follow_other_tabs(follow: impl Fn(LogChange) + Clone + 'static, returned: impl Fn() + 'static) -> Following {
    let follow = coalesced(follow);
    let writes = leptos::prelude::window_event_listener(leptos::ev::storage, move |event| {
        if let Some(change) = log_change(&event) {
            follow(change);
        }
    });
    let returns = leptos::prelude::window_event_listener(leptos::ev::pageshow, move |event| {
        if event.persisted() {
            returned();
        }
    });
    Following(writes, returns)
}

/// Following other tabs (see [`follow_other_tabs`]); dropped, it goes on for the page's life.
#[must_use = "stop it when its page goes, or say why it lasts the page's life"]
pub struct Following(leptos::prelude::WindowListenerHandle, leptos::prelude::WindowListenerHandle);

impl Following {
    /// Stops following: the page that followed is gone.
    pub fn stop(self) {
        self.0.remove();
        self.1.remove();
    }
}

/// Opens the learner's log in localStorage, recovering from damage (see [`Opened`]). Fails when
/// the browser refuses localStorage, or when damaged data could not be moved aside.
pub fn open() -> Result<(LocalStorageBackend, Opened), BackendError> {
    SegmentedBackend::open(LocalStore::new()?, crate::clock::now())
}

/// Why the learner's log could not be opened, as the rest of a sentence ("…: the browser's storage
/// is full"): what the pages say when they fall back to memory.
pub fn why_not_kept(error: BackendError) -> String {
    match error {
        BackendError::Full => "the browser's storage is full".to_owned(),
        BackendError::Corrupt(why) => format!("your saved log is damaged ({})", why.trim_end_matches('.')),
        BackendError::Unavailable(why) => why,
    }
}

/// The learner's log as localStorage holds it, key and raw text, whatever it holds: to download
/// a log that cannot be opened.
pub fn log_keys() -> Result<Vec<(String, String)>, BackendError> {
    foldlab_core::segments::log_keys(&LocalStore::new()?)
}

/// Deletes the learner's log from localStorage whatever it holds (not the quarantine): the way
/// out of a log too damaged to open (`SegmentedBackend::open` answers `Corrupt`).
pub fn erase() -> Result<(), BackendError> {
    foldlab_core::segments::erase_log(&mut LocalStore::new()?)
}

impl LocalStore {
    /// This page's localStorage, or why the browser refuses it.
    pub fn new() -> Result<LocalStore, BackendError> {
        let unavailable = |why: &str| BackendError::Unavailable(why.to_string());
        let storage = web_sys::window()
            .ok_or_else(|| unavailable("no window"))?
            .local_storage()
            .map_err(|_| unavailable("the browser blocks localStorage"))?
            .ok_or_else(|| unavailable("this browser has no localStorage"))?;
        Ok(LocalStore { storage })
    }
}

impl KeyValue for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, BackendError> {
        let unreadable = || BackendError::Unavailable("localStorage cannot be read".into());
        let storage: &JsStorage = self.storage.unchecked_ref();
        let Some(text) = storage.get_item(key).map_err(|_| unreadable())? else { return Ok(None) };
        // The browser's encoder turns the JS string into UTF-8 in native code; wasm-bindgen's own
        // conversion walks it character by character in JavaScript, which is not yet optimised at
        // a cold start, when every segment of the log is read (BENCHMARKS.md, "Cold start").
        let bytes = ENCODER.with(|encoder| encoder.encode(&text).to_vec());
        // The encoder writes unpaired surrogates as U+FFFD, so its output is always UTF-8.
        String::from_utf8(bytes).map(Some).map_err(|_| unreadable())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError> {
        self.storage.set_item(key, value).map_err(|error| {
            let name = error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_default();
            if name == "QuotaExceededError" || error.as_string().is_some_and(|s| s.contains("quota")) {
                BackendError::Full
            } else {
                BackendError::Unavailable(format!("localStorage refused the write ({name})"))
            }
        })
    }

    fn remove(&mut self, key: &str) -> Result<(), BackendError> {
        self.storage.remove_item(key).map_err(|_| BackendError::Unavailable("localStorage refused a removal".into()))
    }

    fn keys(&self) -> Result<Vec<String>, BackendError> {
        let count = self.storage.length().map_err(|_| BackendError::Unavailable("localStorage cannot be read".into()))?;
        Ok((0..count).filter_map(|i| self.storage.key(i).ok().flatten()).collect())
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Storage`, bound here to read an item as a JS string (web-sys converts it to a `String`).
    #[wasm_bindgen(js_name = Storage)]
    type JsStorage;

    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item(this: &JsStorage, key: &str) -> Result<Option<js_sys::JsString>, JsValue>;

    /// The browser's `TextEncoder` (UTF-8), taking a JS string rather than a Rust one.
    type TextEncoder;

    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;

    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &js_sys::JsString) -> js_sys::Uint8Array;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}
