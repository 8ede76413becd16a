//! The wall clock and timers, at the edge: the core never reads a clock, so every time it records
//! (events, quarantine keys) is handed in from here.

use std::time::Duration;

use foldlab_core::Timestamp;
use leptos::prelude::*;

/// Now, in the milliseconds the core's timestamps count.
pub fn now() -> Timestamp {
    Timestamp::from_millis(js_sys::Date::now() as i64)
}

/// Runs `keep` once `changes` (a reactive read) has been quiet for `pause`, and at once when the
/// page is hidden or the caller's owner is cleaned up while a change is still waiting: what the
/// learner types or edits is kept without a write to the log on every key or click.
pub fn after_a_pause(changes: impl Fn() + 'static, pause: Duration, keep: impl Fn() + Copy + Send + Sync + 'static) {
    let waiting = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        changes();
        // The first run only subscribes: nothing has changed yet.
        if first.is_some() {
            if let Some(handle) = waiting.get_value() {
                handle.clear();
            }
            let kept = move || {
                let _ = waiting.try_set_value(None);
                keep();
            };
            waiting.set_value(set_timeout_with_handle(kept, pause).ok());
        }
    });
    let flush = move || {
        if let Some(handle) = waiting.try_get_value().flatten() {
            handle.clear();
            let _ = waiting.try_set_value(None);
            keep();
        }
    };
    let leaving = window_event_listener(leptos::ev::pagehide, move |_| flush());
    on_cleanup(move || {
        flush();
        leaving.remove();
    });
}
