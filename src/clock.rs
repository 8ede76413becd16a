//! The wall clock, at the edge: the core never reads one, so every time it records (events,
//! quarantine keys) is handed in from here.

use foldlab_core::Timestamp;

/// Now, in the milliseconds the core's timestamps count.
pub fn now() -> Timestamp {
    Timestamp::from_millis(js_sys::Date::now() as i64)
}
