//! The learner's own events an exercise is also checked on, read from their log: the upcaster is
//! tried on the deposits they made in the sandbox bank, written the way version 1 stored them.

use foldlab_core::account::Event;
use foldlab_core::upcast::deposit_v1_data;
use foldlab_core::{AccountId, RecordedEvent};
use foldlab_script::Exercise;
use serde_json::{json, Value};

/// The learner's own events for `exercise`, oldest first, in the shape its learner code reads:
/// every sandbox deposit as a version-1 `money-deposited` (amount in euros, as text). None for an
/// exercise that is not checked on them.
pub fn events(exercise: &Exercise, records: &[RecordedEvent]) -> Vec<Value> {
    if !exercise.checks_own_events {
        return Vec::new();
    }
    records
        .iter()
        .filter_map(|record| {
            let account = AccountId::from_stream(&record.stream)?;
            let Ok(Event::MoneyDeposited { amount }) = Event::from_recorded(record) else { return None };
            let mut event = json!({ "type": "money-deposited", "schema": 1, "account": account.as_str() });
            if let (Value::Object(fields), Value::Object(data)) = (&mut event, deposit_v1_data(amount)) {
                fields.extend(data);
            }
            Some(event)
        })
        .collect()
}
