//! The learner's log in localStorage: the only code that knows the key layout and its schema.
//!
//! Layout (schema 1):
//! - `foldlab/v1/meta`: `{"schema": 1, "head": N}`, the number of committed events. Written last, so
//!   it is the commit point: events in segments beyond the head were never committed.
//! - `foldlab/v1/seg/<i>`: a JSON array of at most [`SEGMENT`] recorded events, positions
//!   `i * SEGMENT + 1 ..= (i + 1) * SEGMENT`. An append rewrites only the last segment, so it writes a
//!   bounded amount however long the log is.

use foldlab_core::store::{Backend, BackendError, RecordedEvent, WriteError};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

/// Events per segment.
pub const SEGMENT: u64 = 50;
/// The layout version this build reads and writes.
pub const SCHEMA: u32 = 1;
/// The meta record's key; other tabs watch it through the `storage` event.
pub const META_KEY: &str = "foldlab/v1/meta";

#[derive(Serialize, Deserialize)]
struct Meta {
    schema: u32,
    head: u64,
}

fn segment_key(index: u64) -> String {
    format!("foldlab/v1/seg/{index}")
}

/// A backend on the browser's localStorage.
#[derive(Clone)]
pub struct LocalStorageBackend {
    storage: web_sys::Storage,
}

impl LocalStorageBackend {
    /// The backend on this page's localStorage, if the browser lets us use it.
    pub fn open() -> Result<LocalStorageBackend, BackendError> {
        let unavailable = |why: &str| BackendError::Unavailable(why.to_string());
        let storage = web_sys::window()
            .ok_or_else(|| unavailable("no window"))?
            .local_storage()
            .map_err(|_| unavailable("the browser blocks localStorage"))?
            .ok_or_else(|| unavailable("this browser has no localStorage"))?;
        let backend = LocalStorageBackend { storage };
        // Refuse a log written by a newer version rather than overwrite it.
        backend.meta()?;
        Ok(backend)
    }

    fn get(&self, key: &str) -> Result<Option<String>, BackendError> {
        self.storage.get_item(key).map_err(|_| BackendError::Unavailable("localStorage cannot be read".into()))
    }

    fn set(&self, key: &str, value: &str) -> Result<(), BackendError> {
        self.storage.set_item(key, value).map_err(|error| {
            let name = error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_default();
            if name == "QuotaExceededError" || error.as_string().is_some_and(|s| s.contains("quota")) {
                BackendError::Full
            } else {
                BackendError::Unavailable(format!("localStorage refused the write ({name})"))
            }
        })
    }

    fn meta(&self) -> Result<Meta, BackendError> {
        let Some(text) = self.get(META_KEY)? else {
            return Ok(Meta { schema: SCHEMA, head: 0 });
        };
        let meta: Meta = serde_json::from_str(&text).map_err(|e| BackendError::Corrupt(format!("the log's meta record is damaged: {e}")))?;
        if meta.schema > SCHEMA {
            return Err(BackendError::Unavailable(format!(
                "this log was written by a newer version of foldlab (layout {}); it is left untouched",
                meta.schema
            )));
        }
        Ok(meta)
    }

    fn segment(&self, index: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        match self.get(&segment_key(index))? {
            None => Ok(Vec::new()),
            Some(text) => serde_json::from_str(&text).map_err(|e| BackendError::Corrupt(format!("segment {index} is damaged: {e}"))),
        }
    }
}

impl Backend for LocalStorageBackend {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        let head = self.meta()?.head;
        let mut events = Vec::new();
        if head <= after {
            return Ok(events);
        }
        for index in after / SEGMENT..=(head - 1) / SEGMENT {
            events.extend(self.segment(index)?.into_iter().filter(|e| e.position > after && e.position <= head));
        }
        if events.len() as u64 != head - after {
            return Err(BackendError::Corrupt(format!("expected {} events after position {after}, found {}", head - after, events.len())));
        }
        Ok(events)
    }

    fn write_after(&mut self, head: u64, events: &[RecordedEvent]) -> Result<(), WriteError> {
        let stored = self.meta().map_err(WriteError::Failed)?.head;
        if stored != head {
            return Err(WriteError::HeadMoved { actual: stored });
        }
        // Write the touched segments, remembering what they held, so a refused write leaves the
        // stored bytes exactly as they were.
        let mut written: Vec<(String, Option<String>)> = Vec::new();
        let result = (|| {
            let mut pending = events.iter().peekable();
            while let Some(first) = pending.peek() {
                let index = (first.position - 1) / SEGMENT;
                let key = segment_key(index);
                let before = self.get(&key)?;
                let mut segment: Vec<RecordedEvent> = self.segment(index)?.into_iter().filter(|e| e.position <= head).collect();
                while let Some(event) = pending.next_if(|e| (e.position - 1) / SEGMENT == index) {
                    segment.push(event.clone());
                }
                let text = serde_json::to_string(&segment).map_err(|e| BackendError::Corrupt(e.to_string()))?;
                written.push((key.clone(), before));
                self.set(&key, &text)?;
            }
            let meta = Meta { schema: SCHEMA, head: head + events.len() as u64 };
            let text = serde_json::to_string(&meta).map_err(|e| BackendError::Corrupt(e.to_string()))?;
            self.set(META_KEY, &text)
        })();
        if let Err(error) = result {
            for (key, before) in written.into_iter().rev() {
                let _ = match before {
                    Some(text) => self.storage.set_item(&key, &text),
                    None => self.storage.remove_item(&key),
                };
            }
            return Err(WriteError::Failed(error));
        }
        Ok(())
    }
}
