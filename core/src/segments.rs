//! An event log laid out over a key-value store (the browser's localStorage in the app): a meta
//! record as the commit point plus bounded segments, with recovery that keeps every valid event
//! and moves damaged data aside instead of deleting it.
//!
//! Layout (layout schema [`LAYOUT`]):
//! - `foldlab/v1/meta`: `{"schema": 1, "head": N}`, the number of committed events. An append
//!   writes it last, so it is the commit point (a recovery, which only shortens the log, writes it
//!   first): events in segments beyond the head were never committed. One
//!   unfinished append (one stream's events, recorded at one time, right after the head) may be
//!   stored there; anything more past the head is damage and is set aside like any other.
//! - `foldlab/v1/seg/<i>`: a JSON array of at most [`SEGMENT`] recorded events, positions
//!   `i * SEGMENT + 1 ..= (i + 1) * SEGMENT`. An append rewrites only the segments it touches, so it
//!   writes a bounded amount however long the log is.
//! - `foldlab/quarantine/<millis>`: damaged data found on opening (or by
//!   [`mend`](crate::store::Backend::mend), after another tab's write), moved here verbatim
//!   (`{"reason": …, "keys": {key: raw text}}`), kept until the learner deletes it.
//!
//! The key-value store is behind [`KeyValue`], so this logic is plain Rust, tested natively against
//! the in-memory store, and the browser edge stays a few lines.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calendar::Timestamp;
use crate::store::{first_break, Backend, BackendError, RecordedEvent, WriteError};

/// Events per segment.
pub const SEGMENT: u64 = 50;
/// The layout version this build reads and writes.
pub const LAYOUT: u32 = 1;
/// The meta record's key; other tabs watch it to learn that the log grew.
pub const META_KEY: &str = "foldlab/v1/meta";
/// The prefix of every segment key.
pub const SEGMENT_PREFIX: &str = "foldlab/v1/seg/";
/// The prefix of quarantined data.
pub const QUARANTINE_PREFIX: &str = "foldlab/quarantine/";

/// The key of segment `index`.
pub fn segment_key(index: u64) -> String {
    format!("{SEGMENT_PREFIX}{index}")
}

/// A string key-value store with the semantics of localStorage: synchronous, a write may be
/// refused when the store is full ([`BackendError::Full`]).
pub trait KeyValue {
    /// The value under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>, BackendError>;
    /// Stores `value` under `key`, or fails and stores nothing.
    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError>;
    /// Removes `key` (nothing happens if it is absent).
    fn remove(&mut self, key: &str) -> Result<(), BackendError>;
    /// Every key in the store.
    fn keys(&self) -> Result<Vec<String>, BackendError>;
}

/// A key-value store in memory with an optional quota in bytes (keys plus values, as UTF-16 code
/// units like localStorage counts them). Clones share one map, as two tabs share localStorage.
#[derive(Clone, Debug, Default)]
pub struct MemoryKeyValue {
    shared: Rc<RefCell<Shelf>>,
}

/// What a [`MemoryKeyValue`] holds: the entries and the quota.
#[derive(Debug, Default)]
struct Shelf {
    map: BTreeMap<String, String>,
    quota: Option<usize>,
}

impl MemoryKeyValue {
    /// Limits the stored size; a write that would pass it fails with [`BackendError::Full`].
    pub fn set_quota(&self, units: Option<usize>) {
        self.shared.borrow_mut().quota = units;
    }

    /// A copy of everything stored, to compare byte for byte.
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.shared.borrow().map.clone()
    }

    fn size(map: &BTreeMap<String, String>) -> usize {
        map.iter().map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count()).sum()
    }
}

impl KeyValue for MemoryKeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, BackendError> {
        Ok(self.shared.borrow().map.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError> {
        let mut shared = self.shared.borrow_mut();
        let Shelf { map, quota } = &mut *shared;
        if let Some(quota) = *quota {
            let old = map.get(key).map_or(0, |v| key.encode_utf16().count() + v.encode_utf16().count());
            let new = key.encode_utf16().count() + value.encode_utf16().count();
            if MemoryKeyValue::size(map) - old + new > quota {
                return Err(BackendError::Full);
            }
        }
        map.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), BackendError> {
        self.shared.borrow_mut().map.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, BackendError> {
        Ok(self.shared.borrow().map.keys().cloned().collect())
    }
}

#[derive(Serialize, Deserialize)]
struct Meta {
    schema: u32,
    head: u64,
}

/// What opening found, besides the events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    /// A consistent log (possibly empty).
    Intact,
    /// Damage was found: the valid events before it were kept, and the damaged data was moved to
    /// `quarantine`.
    Recovered {
        /// How many events were kept.
        kept: u64,
        /// What was wrong, in a sentence.
        reason: String,
        /// The key the damaged data now lives under.
        quarantine: String,
    },
    /// Written by a newer version of this app: readable as far as this version understands it,
    /// never written to.
    Newer {
        /// The layout version found.
        layout: u32,
    },
}

/// The log on a key-value store. See the module documentation.
#[derive(Clone, Debug)]
pub struct SegmentedBackend<K> {
    kv: K,
    read_only: bool,
    /// The events read while opening, handed to the store's first read instead of parsing every
    /// segment twice (a cold start is dominated by JSON parsing).
    opened: RefCell<Option<Vec<RecordedEvent>>>,
}

impl<K: KeyValue> SegmentedBackend<K> {
    /// Opens the log on `kv`. Damaged data is moved to a quarantine key and the valid events before
    /// it are kept (`now` names the quarantine key); a log of a newer layout opens read only.
    /// Fails only when the store cannot be read, or when damage was found but could not be moved
    /// aside (then nothing was changed, and the error is `Corrupt`; [`erase_log`] is the way out).
    pub fn open(kv: K, now: Timestamp) -> Result<(SegmentedBackend<K>, Opened), BackendError> {
        let mut backend = SegmentedBackend { kv, read_only: false, opened: RefCell::new(None) };
        let scan = backend.scan()?;
        if let Some(layout) = scan.newer {
            backend.read_only = true;
            // What this version could read of it, up to the first thing it could not: the store's
            // first read shows that rather than failing on a head it cannot reach.
            backend.opened.replace(Some(scan.events));
            return Ok((backend, Opened::Newer { layout }));
        }
        let Some(reason) = scan.damage else {
            backend.opened.replace(Some(scan.events));
            return Ok((backend, Opened::Intact));
        };
        let quarantine = backend.set_aside_after(&scan.events, &reason, now).map_err(|error| match error {
            BackendError::Full => BackendError::Corrupt(format!("{reason}, and there is no room to set the damaged part aside")),
            other => other,
        })?;
        let kept = scan.events.len() as u64;
        backend.opened.replace(Some(scan.events));
        Ok((backend, Opened::Recovered { kept, reason, quarantine }))
    }

    /// Sets aside everything after `kept`, the valid events before some damage: every log key the
    /// rewrite as `kept` changes or removes is copied to quarantine, then the log is rewritten,
    /// leaving the keys that already hold what they should. Opening does it with damage it finds
    /// itself, and the app with a break the store finds as it opens
    /// ([`EventStore::open_prefix`](crate::store::EventStore::open_prefix)). Returns the quarantine
    /// key. When the copy does not fit, the log is left as it was; the rewrite that follows needs
    /// less room than the log had.
    pub fn set_aside_after(&mut self, kept: &[RecordedEvent], reason: &str, now: Timestamp) -> Result<String, BackendError> {
        if self.read_only {
            return Err(newer_refused());
        }
        let mut texts = BTreeMap::new();
        for (index, chunk) in kept.chunks(SEGMENT as usize).enumerate() {
            let text = serde_json::to_string(chunk).map_err(|e| BackendError::Corrupt(e.to_string()))?;
            texts.insert(segment_key(index as u64), text);
        }
        let quarantine = self.quarantine(&texts, reason, now)?;
        self.rewrite(&texts, kept.len() as u64)?;
        Ok(quarantine)
    }

    /// The key-value store underneath.
    pub fn key_value(&self) -> &K {
        &self.kv
    }

    /// Deletes the whole log (not the quarantine): the learner starts over.
    pub fn erase(&mut self) -> Result<(), BackendError> {
        if self.read_only {
            return Err(newer_refused());
        }
        erase_log(&mut self.kv)
    }

    /// Every quarantined record: its key and raw text, each text once.
    pub fn quarantined(&self) -> Result<Vec<(String, String)>, BackendError> {
        let mut found = self.quarantine_records()?;
        // Two tabs that read the same torn log both mend it, before either hears of the other's
        // copy: the same record twice, under two keys. The learner is shown it once.
        let mut seen = HashSet::new();
        found.retain(|(_, text)| seen.insert(text.clone()));
        Ok(found)
    }

    /// Deletes a quarantined record, once the learner has it or does not want it, with any copy
    /// of it that another tab made under another key.
    pub fn discard_quarantined(&mut self, key: &str) -> Result<(), BackendError> {
        if !key.starts_with(QUARANTINE_PREFIX) {
            return Ok(());
        }
        let Some(text) = self.kv.get(key)? else { return Ok(()) };
        for (copy, _) in self.quarantine_records()?.into_iter().filter(|(_, other)| *other == text) {
            self.kv.remove(&copy)?;
        }
        Ok(())
    }

    /// Every quarantine key and its text, in key order (the oldest first).
    fn quarantine_records(&self) -> Result<Vec<(String, String)>, BackendError> {
        let mut found = Vec::new();
        for key in self.kv.keys()? {
            if key.starts_with(QUARANTINE_PREFIX) {
                if let Some(text) = self.kv.get(&key)? {
                    found.push((key, text));
                }
            }
        }
        found.sort();
        Ok(found)
    }

    fn meta(&self) -> Result<Meta, BackendError> {
        let Some(text) = self.kv.get(META_KEY)? else { return Ok(Meta { schema: LAYOUT, head: 0 }) };
        serde_json::from_str(&text).map_err(|e| BackendError::Corrupt(format!("the log's meta record is damaged: {e}")))
    }

    /// The events of segment `index`, or `None` when no such segment is stored.
    fn segment(&self, index: u64) -> Result<Option<Vec<RecordedEvent>>, BackendError> {
        let Some(text) = self.kv.get(&segment_key(index))? else { return Ok(None) };
        serde_json::from_str(&text).map(Some).map_err(|e| BackendError::Corrupt(format!("segment {index} is damaged: {e}")))
    }

    /// Reads everything, stopping at the first damage.
    fn scan(&self) -> Result<Scan, BackendError> {
        let mut scan = Scan::default();
        // No meta record means nothing was ever committed (the segments of a first append that
        // never committed are ignored; more than that is damage, found past the head below). A
        // damaged one means the head is unknown: keep whatever the segments hold, up to the first gap.
        let (head, head_known) = match self.kv.get(META_KEY)? {
            None => (0, true),
            Some(text) => match serde_json::from_str::<Meta>(&text) {
                Ok(meta) => {
                    if meta.schema > LAYOUT {
                        scan.newer = Some(meta.schema);
                    }
                    (meta.head, true)
                }
                Err(e) => {
                    scan.damage = Some(format!("the log's meta record is damaged ({e})"));
                    (u64::MAX, false)
                }
            },
        };
        let mut index = 0;
        while (scan.events.len() as u64) < head {
            let Some(text) = self.kv.get(&segment_key(index))? else {
                if head_known {
                    scan.damage = Some(format!("segment {index} is missing"));
                }
                break;
            };
            if let Err(reason) = scan.take_segment(index, &text, head) {
                scan.damage.get_or_insert(reason);
                break;
            }
            index += 1;
        }
        if head_known && scan.damage.is_none() && scan.newer.is_none() {
            scan.damage = self.past_head(head)?;
        }
        Ok(scan)
    }

    /// Why what is stored past the committed `head` is more than one unfinished append leaves, if
    /// it is. An append writes its segments, then the meta record, so a tab closed in between
    /// leaves one append's events past the head: of one stream, recorded at one time
    /// ([`EventStore::append`](crate::store::EventStore::append)), at positions `head + 1, head +
    /// 2, …` in their own segments. Those were never committed, and the next append writes over
    /// them. Anything else there (a rewound or lost meta record, a stray copy) is damage, to be set
    /// aside before an append writes over it.
    ///
    /// Only the segments from the head's onward, up to the first missing one, are read: listing
    /// every key instead cost the cold start a read of each of them, and a stray key beyond a gap
    /// is replaced, not extended, if an append ever reaches it (see `write_after`).
    fn past_head(&self, head: u64) -> Result<Option<String>, BackendError> {
        let mut batch: Vec<RecordedEvent> = Vec::new();
        for index in head / SEGMENT.. {
            let Some(text) = self.kv.get(&segment_key(index))? else { break };
            let events: Vec<RecordedEvent> = match serde_json::from_str(&text) {
                Ok(events) => events,
                Err(e) => return Ok(Some(format!("segment {index}, past the last committed event ({head}), is not a list of events ({e})"))),
            };
            // Saturating: the index comes from a stored key name, which may be anything.
            let own = index.saturating_mul(SEGMENT).saturating_add(1)..=index.saturating_add(1).saturating_mul(SEGMENT);
            for event in events {
                // The segment holding the head also holds committed events, which the scan read.
                if event.position <= head && own.contains(&event.position) {
                    continue;
                }
                let next = head + batch.len() as u64 + 1;
                if event.position != next || !own.contains(&event.position) {
                    return Ok(Some(format!(
                        "segment {index}, past the last committed event ({head}), holds event {} where event {next} belongs",
                        event.position
                    )));
                }
                batch.push(event);
            }
        }
        let Some(earliest) = batch.first() else { return Ok(None) };
        if batch.iter().any(|e| e.stream != earliest.stream || e.recorded_at != earliest.recorded_at) {
            return Ok(Some(format!(
                "{} events are stored past the last committed event ({head}), more than one unfinished append leaves",
                batch.len()
            )));
        }
        Ok(None)
    }

    /// Copies the meta record, and every segment key that will not hold `texts`' text for it
    /// (removed, or rewritten), as it is, to a new quarantine key. The others already hold kept
    /// events as they will be written and stay as they are: leaving them out is what lets a log of
    /// more than half the quota be set aside.
    fn quarantine(&mut self, texts: &BTreeMap<String, String>, reason: &str, now: Timestamp) -> Result<String, BackendError> {
        let keys: BTreeMap<String, String> =
            log_keys(&self.kv)?.into_iter().filter(|(key, text)| key == META_KEY || texts.get(key) != Some(text)).collect();
        let record = serde_json::json!({ "reason": reason, "keys": keys });
        let mut key = format!("{QUARANTINE_PREFIX}{}", now.millis());
        let mut n = 1;
        while self.kv.get(&key)?.is_some() {
            n += 1;
            key = format!("{QUARANTINE_PREFIX}{}-{n}", now.millis());
        }
        self.kv.set(&key, &record.to_string())?;
        Ok(key)
    }

    /// Writes the segment `texts` of a log of `head` events as the whole log (after recovery: its
    /// events were read from it, so they fit), leaving alone the keys that already hold theirs.
    fn rewrite(&mut self, texts: &BTreeMap<String, String>, head: u64) -> Result<(), BackendError> {
        // The meta record goes first: bounded by it, whatever is left past the kept events is never
        // read as events, and another tab reading in the middle of this reads the kept log (a
        // removed meta record would read as no log at all: a start over). Then the segment the
        // kept events end in, then the ones past it from the nearest on, so that a look past the
        // head (`past_head`, by a tab opening meanwhile, or after a crash here) soon meets a gap.
        self.set_meta(head)?;
        for (key, text) in texts {
            if self.kv.get(key)?.as_ref() != Some(text) {
                self.kv.set(key, text)?;
            }
        }
        let mut extra: Vec<String> =
            self.kv.keys()?.into_iter().filter(|key| key.starts_with(SEGMENT_PREFIX) && !texts.contains_key(key)).collect();
        // `texts` holds segments 0, 1, …: the next one on, while they run, then any stray.
        let mut index = texts.len() as u64;
        while let Some(at) = extra.iter().position(|key| *key == segment_key(index)) {
            self.kv.remove(&extra.swap_remove(at))?;
            index += 1;
        }
        for key in extra {
            self.kv.remove(&key)?;
        }
        Ok(())
    }

    fn set_meta(&mut self, head: u64) -> Result<(), BackendError> {
        let text = serde_json::to_string(&Meta { schema: LAYOUT, head }).map_err(|e| BackendError::Corrupt(e.to_string()))?;
        self.kv.set(META_KEY, &text)
    }
}

/// What a scan read: the valid events in order, and the first damage or a newer layout.
#[derive(Default)]
struct Scan {
    events: Vec<RecordedEvent>,
    damage: Option<String>,
    newer: Option<u32>,
}

impl Scan {
    /// Takes the events of one segment that continue the log, up to `head`.
    fn take_segment(&mut self, index: u64, text: &str, head: u64) -> Result<(), String> {
        // The usual case, a whole segment in order, in one parse; damage is located value by value.
        if let Ok(events) = serde_json::from_str::<Vec<RecordedEvent>>(text) {
            let first = self.events.len() as u64 + 1;
            let in_order = events.iter().zip(first..).all(|(event, position)| event.position == position);
            let full = events.len() as u64 == SEGMENT;
            if in_order && (full || first - 1 + events.len() as u64 >= head || head == u64::MAX) {
                let room = usize::try_from(head.saturating_sub(first - 1)).unwrap_or(usize::MAX);
                self.events.extend(events.into_iter().take(room));
                return Ok(());
            }
        }
        let values: Vec<Value> = serde_json::from_str(text).map_err(|e| format!("segment {index} is not a list of events ({e})"))?;
        let full = values.len() as u64 == SEGMENT;
        for value in values {
            let position = self.events.len() as u64 + 1;
            if position > head {
                return Ok(());
            }
            let event: RecordedEvent =
                serde_json::from_value(value).map_err(|e| format!("event {position} in segment {index} is damaged ({e})"))?;
            if event.position != position {
                return Err(format!("segment {index} holds event {} where event {position} belongs", event.position));
            }
            self.events.push(event);
        }
        // Only the last segment may be short (without a meta record, a short one is where the log ends).
        if !full && (self.events.len() as u64) < head && head != u64::MAX {
            return Err(format!("segment {index} ends early, at event {}", self.events.len()));
        }
        Ok(())
    }
}

fn newer_refused() -> BackendError {
    BackendError::Unavailable("this log was written by a newer version of foldlab; this version only reads it".to_owned())
}

impl<K: KeyValue> Backend for SegmentedBackend<K> {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        let head = self.meta()?.head;
        if let Some(mut events) = self.opened.borrow_mut().take() {
            let known = events.len() as u64;
            if after == 0 && known <= head {
                // Another writer may have appended since opening: read just what it added. A newer
                // layout is shown as far as this version could read it when opening, short or not.
                if head > known && !self.read_only {
                    events.extend(self.read_after(known)?);
                }
                return Ok(events);
            }
        }
        let mut events = Vec::new();
        if head < after {
            // Another writer started the log over (or replaced it) since this reader last looked.
            return Err(BackendError::Corrupt(format!("asked for events after {after} but only {head} are stored")));
        }
        if head == after {
            return Ok(events);
        }
        for index in after / SEGMENT..=(head - 1) / SEGMENT {
            // The first missing segment ends what is stored: a head far past the segments (damage,
            // a hand edit) costs one read more than the log holds, not one per segment it names.
            // The count below reports the shortfall.
            let Some(segment) = self.segment(index)? else { break };
            events.extend(segment.into_iter().filter(|e| e.position > after && e.position <= head));
        }
        if events.len() as u64 != head - after {
            return Err(BackendError::Corrupt(format!("expected {} events after position {after}, found {}", head - after, events.len())));
        }
        Ok(events)
    }

    fn write_after(&mut self, head: u64, events: &[RecordedEvent]) -> Result<(), WriteError> {
        if self.read_only {
            return Err(WriteError::Failed(newer_refused()));
        }
        let meta = self.meta().map_err(WriteError::Failed)?;
        if meta.schema > LAYOUT {
            // A newer version of the app rewrote the log while this one was open: never write an
            // older meta record over it.
            self.read_only = true;
            return Err(WriteError::Failed(newer_refused()));
        }
        let stored = meta.head;
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
                let before = self.kv.get(&key)?;
                // Keep the committed events that belong here: a stray key past the head (a copy
                // of another segment, say) holds positions of other segments, which would then
                // read as events out of place; events past the head were never committed.
                let own = index * SEGMENT + 1..=head;
                let mut segment: Vec<RecordedEvent> =
                    self.segment(index)?.unwrap_or_default().into_iter().filter(|e| own.contains(&e.position)).collect();
                while let Some(event) = pending.next_if(|e| (e.position - 1) / SEGMENT == index) {
                    segment.push(event.clone());
                }
                let text = serde_json::to_string(&segment).map_err(|e| BackendError::Corrupt(e.to_string()))?;
                written.push((key.clone(), before));
                self.kv.set(&key, &text)?;
            }
            self.set_meta(head + events.len() as u64)
        })();
        if let Err(error) = result {
            for (key, before) in written.into_iter().rev() {
                let _ = match before {
                    Some(text) => self.kv.set(&key, &text),
                    None => self.kv.remove(&key),
                };
            }
            return Err(WriteError::Failed(error));
        }
        Ok(())
    }

    fn mend(&mut self, now: Timestamp) -> Result<bool, BackendError> {
        if self.read_only {
            return Ok(false);
        }
        let scan = self.scan()?;
        if scan.newer.is_some() {
            return Ok(false);
        }
        // A segment of one write and one of another can each read well and still not follow one
        // another as a log: the store's rule finds where.
        let (consistent, broken) = match first_break(&scan.events) {
            Some((at, reason)) => (at, Some(reason)),
            None => (scan.events.len(), None),
        };
        let Some(reason) = scan.damage.or(broken) else { return Ok(false) };
        let reason = format!(
            "the log no longer read as one when another tab wrote (two tabs writing at the same moment mix their writes), \
             so the events before that were kept; each tab then writes its own events again, and this copy is kept in \
             case one could not: {reason}"
        );
        self.set_aside_after(&scan.events[..consistent], &reason, now)?;
        self.opened.replace(None);
        Ok(true)
    }
}

/// The log's keys in `kv` (the meta record and the segments, not the quarantine) and their raw
/// text, whatever they hold, in key order: what a recovery copies aside, and what a learner may
/// download of a log too damaged to open.
pub fn log_keys(kv: &impl KeyValue) -> Result<Vec<(String, String)>, BackendError> {
    let mut found = Vec::new();
    for key in kv.keys()? {
        if key == META_KEY || key.starts_with(SEGMENT_PREFIX) {
            if let Some(text) = kv.get(&key)? {
                found.push((key, text));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Deletes the log's keys from `kv` (not the quarantine), whatever they hold: the learner's start
/// over, also when the log is too damaged to open.
pub fn erase_log(kv: &mut impl KeyValue) -> Result<(), BackendError> {
    // A newer version's log is never written, even by a tab that opened before it was; a meta
    // record that does not read at all is damage, and goes.
    let newer = kv.get(META_KEY)?.and_then(|text| serde_json::from_str::<Meta>(&text).ok()).is_some_and(|meta| meta.schema > LAYOUT);
    if newer {
        return Err(newer_refused());
    }
    // The meta goes first: without it, leftover segments are never read as events.
    kv.remove(META_KEY)?;
    for key in kv.keys()? {
        if key.starts_with(SEGMENT_PREFIX) {
            kv.remove(&key)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
