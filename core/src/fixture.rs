//! Fixtures shared by the specifications of the store and of the segmented log.

use serde_json::json;

use crate::id::{EventId, StreamId};
use crate::store::NewEvent;

/// A stream by name; fixture names are valid.
pub fn stream(name: &str) -> StreamId {
    StreamId::new(name).expect("fixture streams are valid")
}

/// A deposit of `amount` cents with the id `id`.
pub fn new_event(id: &str, amount: u64) -> NewEvent {
    NewEvent {
        id: EventId::new(id).expect("fixture ids are valid"),
        event_type: "money-deposited".to_owned(),
        schema: 2,
        data: json!({ "amount": amount }),
    }
}
