//! The browser's localStorage as the key-value store under the learner's log. The key layout, its
//! recovery and quarantine live in the core (`foldlab_core::segments`); this is only the edge.

use foldlab_core::segments::{KeyValue, Opened, SegmentedBackend};
use foldlab_core::store::BackendError;
use foldlab_core::Timestamp;
use wasm_bindgen::JsCast;

pub use foldlab_core::segments::META_KEY;

/// The learner's log in this page's localStorage.
pub type LocalStorageBackend = SegmentedBackend<LocalStore>;

/// This page's localStorage.
#[derive(Clone, Debug)]
pub struct LocalStore {
    storage: web_sys::Storage,
}

/// Opens the learner's log in localStorage, recovering from damage (see [`Opened`]). Fails when
/// the browser refuses localStorage, or when damaged data could not be moved aside.
pub fn open() -> Result<(LocalStorageBackend, Opened), BackendError> {
    let unavailable = |why: &str| BackendError::Unavailable(why.to_string());
    let storage = web_sys::window()
        .ok_or_else(|| unavailable("no window"))?
        .local_storage()
        .map_err(|_| unavailable("the browser blocks localStorage"))?
        .ok_or_else(|| unavailable("this browser has no localStorage"))?;
    SegmentedBackend::open(LocalStore { storage }, now())
}

/// The clock at the edge: quarantine keys and recorded times are stamped with it.
pub fn now() -> Timestamp {
    Timestamp::from_millis(js_sys::Date::now() as i64)
}

impl KeyValue for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, BackendError> {
        self.storage.get_item(key).map_err(|_| BackendError::Unavailable("localStorage cannot be read".into()))
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
