//! The learner's log as a file: exported as CloudEvents (a JSON array, or NDJSON with one event per
//! line), and read back with every event checked before anything is written.

use std::collections::{HashMap, HashSet};

use foldlab_core::cloudevents;
use foldlab_core::{Event, RecordedEvent, StreamId};

use super::event::{decode, upcasters};
use super::journal::STREAM;

/// The CloudEvents `source` of an exported log.
pub const SOURCE: &str = "urn:foldlab:browser-log";

/// The log as a pretty-printed JSON array of CloudEvents.
pub fn to_json(records: &[RecordedEvent]) -> String {
    cloudevents::export_json(records, SOURCE)
}

/// The log as NDJSON: one CloudEvent per line.
pub fn to_ndjson(records: &[RecordedEvent]) -> String {
    cloudevents::export_ndjson(records, SOURCE)
}

/// Reads an exported log (either format) and checks it whole: every event must read as a CloudEvent
/// of a type this app knows, ids must be unique, positions must rise, and each stream's versions
/// must count up from 1. The error says precisely what is wrong and where.
pub fn read(text: &str) -> Result<Vec<RecordedEvent>, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err("the file is empty".to_owned());
    }
    let records = if trimmed.starts_with('[') { cloudevents::import_json(trimmed) } else { cloudevents::import_ndjson(trimmed) };
    let records = records.map_err(|e| e.to_string())?;
    check(&records)?;
    Ok(records)
}

/// The checks of [`read`] on decoded events. Not the store's `first_break`: a file's positions
/// only order its events (a merge gives them positions of this log), so they must rise, not count
/// from 1 without a gap, and what is wrong is said of the file's events, for the learner who chose it.
fn check(records: &[RecordedEvent]) -> Result<(), String> {
    if records.is_empty() {
        return Err("the file holds no events".to_owned());
    }
    let chain = upcasters();
    let mut ids = HashSet::new();
    let mut versions: HashMap<&StreamId, u64> = HashMap::new();
    let mut last_position = 0;
    for record in records {
        let which = format!("event {} ({})", record.position, record.id);
        if !ids.insert(&record.id) {
            return Err(format!("{which} appears twice"));
        }
        if record.position <= last_position {
            return Err(format!("{which} comes after event {last_position}: the events are out of order"));
        }
        last_position = record.position;
        let version = versions.entry(&record.stream).or_insert(0);
        *version += 1;
        if record.version != *version {
            return Err(format!("{which} is version {} of {}, where version {} was expected", record.version, record.stream, version));
        }
        let readable = if record.stream.as_str() == STREAM {
            decode(&chain, record).is_some()
        } else {
            Event::from_recorded(record).is_ok()
        };
        if !readable {
            return Err(format!("{which} is a {} this version of foldlab cannot read", record.event_type));
        }
    }
    Ok(())
}
