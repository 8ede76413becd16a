//! Export and import of stored events in the CloudEvents 1.0 JSON format.
//!
//! Each [`RecordedEvent`] becomes a CloudEvent: `id` is the event id, `source` names the log it came
//! from (the caller chooses, e.g. `/foldlab/sandbox-bank`), `type` is the event type
//! (`money-deposited`), `subject` the stream, `time` the recorded time in RFC 3339, `data` the
//! payload. The envelope fields CloudEvents has no name for travel as extension attributes:
//! `schemaversion`, `streamversion` and `position`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calendar::Timestamp;
use crate::id::{EventId, StreamId};
use crate::store::RecordedEvent;

/// The CloudEvents version written and accepted.
pub const SPEC_VERSION: &str = "1.0";

/// A stored event in CloudEvents field names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudEvent {
    /// Always `"1.0"`.
    pub specversion: String,
    /// The event id.
    pub id: String,
    /// The log it came from.
    pub source: String,
    /// The event type, e.g. `"money-deposited"`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The stream, e.g. `"account-alice"`.
    pub subject: String,
    /// When it was recorded, RFC 3339 in UTC.
    pub time: String,
    /// Always `"application/json"`.
    pub datacontenttype: String,
    /// Extension: the schema version of `data`.
    pub schemaversion: u32,
    /// Extension: the event's version within its stream.
    pub streamversion: u64,
    /// Extension: the event's position in the global order.
    pub position: u64,
    /// The payload.
    #[serde(default)]
    pub data: Value,
}

/// Why a CloudEvent cannot be imported as a stored event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The id of the offending event, if it got that far.
    pub id: Option<String>,
    /// The line it is on, in NDJSON (counting from 1).
    pub line: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

/// The CloudEvent for one stored event, from `source`.
pub fn export(recorded: &RecordedEvent, source: &str) -> CloudEvent {
    CloudEvent {
        specversion: SPEC_VERSION.to_owned(),
        id: recorded.id.to_string(),
        source: source.to_owned(),
        event_type: recorded.event_type.clone(),
        subject: recorded.stream.to_string(),
        time: recorded.recorded_at.to_string(),
        datacontenttype: "application/json".to_owned(),
        schemaversion: recorded.schema,
        streamversion: recorded.version,
        position: recorded.position,
        data: recorded.data.clone(),
    }
}

/// Every event as a JSON array of CloudEvents (what the "download my log" button saves).
pub fn export_json(events: &[RecordedEvent], source: &str) -> String {
    let exported: Vec<CloudEvent> = events.iter().map(|recorded| export(recorded, source)).collect();
    // A Vec of plain structs with string keys always serializes.
    serde_json::to_string_pretty(&exported).unwrap_or_default()
}

/// The stored event a CloudEvent describes.
pub fn import(event: &CloudEvent) -> Result<RecordedEvent, ImportError> {
    let error = |reason: String| ImportError { id: Some(event.id.clone()), line: None, reason };
    if event.specversion != SPEC_VERSION {
        return Err(error(format!("specversion is \"{}\", expected \"{SPEC_VERSION}\"", event.specversion)));
    }
    Ok(RecordedEvent {
        id: EventId::new(&event.id).map_err(|e| error(e.to_string()))?,
        stream: StreamId::new(&event.subject).map_err(|e| error(e.to_string()))?,
        version: event.streamversion,
        position: event.position,
        event_type: event.event_type.clone(),
        schema: event.schemaversion,
        data: event.data.clone(),
        recorded_at: Timestamp::parse_rfc3339(&event.time).map_err(|e| error(e.to_string()))?,
    })
}

/// The stored events in a JSON array of CloudEvents.
pub fn import_json(json: &str) -> Result<Vec<RecordedEvent>, ImportError> {
    let events: Vec<CloudEvent> =
        serde_json::from_str(json).map_err(|e| ImportError { id: None, line: None, reason: e.to_string() })?;
    events.iter().map(import).collect()
}

/// Every event as NDJSON: one CloudEvent per line.
pub fn export_ndjson(events: &[RecordedEvent], source: &str) -> String {
    let mut out = String::new();
    for recorded in events {
        // A plain struct with string keys always serializes.
        out.push_str(&serde_json::to_string(&export(recorded, source)).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The stored events in NDJSON, one CloudEvent per line (blank lines are skipped); an error names
/// its line.
pub fn import_ndjson(text: &str) -> Result<Vec<RecordedEvent>, ImportError> {
    let mut events = Vec::new();
    for (line, text) in (1..).zip(text.lines()) {
        if text.trim().is_empty() {
            continue;
        }
        let event: CloudEvent = serde_json::from_str(text)
            .map_err(|e| ImportError { id: None, line: Some(line), reason: format!("not a CloudEvent ({e})") })?;
        events.push(import(&event).map_err(|e| ImportError { line: Some(line), ..e })?);
    }
    Ok(events)
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        match (&self.id, self.line) {
            (Some(id), _) => write!(f, "Cannot import event {id}: {}", self.reason),
            (None, Some(_)) => f.write_str(&self.reason),
            (None, None) => write!(f, "Cannot import the events: {}", self.reason),
        }
    }
}

impl std::error::Error for ImportError {}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn recorded() -> RecordedEvent {
        RecordedEvent {
            id: EventId::new("tab-1/alice/2").expect("a valid id"),
            stream: StreamId::new("account-alice").expect("a valid stream"),
            version: 2,
            position: 7,
            event_type: "money-deposited".to_owned(),
            schema: 2,
            data: json!({"amount": 1250}),
            recorded_at: Timestamp::parse_rfc3339("2024-05-01T12:30:00Z").expect("a valid time"),
        }
    }

    #[test]
    fn exports_cloudevents_field_names() {
        let exported = serde_json::to_value(export(&recorded(), "/foldlab/bank")).ok();
        assert_eq!(
            exported,
            Some(json!({
                "specversion": "1.0",
                "id": "tab-1/alice/2",
                "source": "/foldlab/bank",
                "type": "money-deposited",
                "subject": "account-alice",
                "time": "2024-05-01T12:30:00.000Z",
                "datacontenttype": "application/json",
                "schemaversion": 2,
                "streamversion": 2,
                "position": 7,
                "data": {"amount": 1250}
            }))
        );
    }

    #[test]
    fn export_then_import_gives_the_events_back() {
        let events = vec![recorded()];
        assert_eq!(import_json(&export_json(&events, "/foldlab/bank")), Ok(events));
    }

    #[test]
    fn ndjson_round_trips_and_names_the_line_at_fault() {
        let events = vec![recorded()];
        let text = export_ndjson(&events, "s");
        assert_eq!(text.lines().count(), 1);
        assert_eq!(import_ndjson(&format!("\n{text}\n")), Ok(events));
        let said = |text: &str| import_ndjson(text).map_err(|e| e.to_string());
        assert!(said("\n{\"specversion\": \"1.0\"}").is_err_and(|e| e.starts_with("line 2: not a CloudEvent (missing field")));
        let old = text.replace("\"1.0\"", "\"0.3\"");
        assert_eq!(said(&old), Err("line 1: Cannot import event tab-1/alice/2: specversion is \"0.3\", expected \"1.0\"".to_owned()));
    }

    #[test]
    fn bad_cloudevents_are_error_values() {
        let reason = |json: &str| import_json(json).map_err(|e| e.to_string());
        assert!(reason("{").is_err());
        assert!(reason(r#"[{"specversion": "1.0", "id": "x"}]"#).is_err_and(|e| e.contains("missing field")));
        let base = export(&recorded(), "s");
        let with = |change: fn(&mut CloudEvent)| {
            let mut event = base.clone();
            change(&mut event);
            import(&event).map_err(|e| e.to_string())
        };
        assert_eq!(
            with(|e| e.specversion = "0.3".to_owned()),
            Err("Cannot import event tab-1/alice/2: specversion is \"0.3\", expected \"1.0\"".to_owned())
        );
        assert!(with(|e| e.time = "yesterday".to_owned()).is_err());
        assert!(with(|e| e.subject = String::new()).is_err());
    }
}
