//! The event store: streams with versions, one global order, conditional and idempotent appends, all
//! on a pluggable [`Backend`] (in memory here; localStorage in the app).
//!
//! Every stored event has an envelope ([`RecordedEvent`]): id, stream, version within the stream
//! (1, 2, 3, …), position in the global order across streams (1, 2, 3, …), type, schema version, data
//! and the time the caller says it was recorded. The store knows nothing about bank accounts: data is
//! plain JSON.
//!
//! The store keeps every event in memory, indexed by id and by stream, so an append costs the same
//! on a stream of ten events as on one of a million. Before each append it catches up with its backend
//! (another tab may have written), and its writes are conditional on the backend's head, so two
//! writers never both write the same position.
//!
//! A backend shared by browser tabs keeps that promise only as far as each tab's view of it is
//! current: Chromium gives every tab its own copy of localStorage and passes other tabs' writes on
//! a few tens of milliseconds later, so two tabs appending within that window can both write the
//! same position, and the last write wins. [`EventStore::reconcile`], run whenever another tab
//! writes, finds such a write over this store's latest events and makes its own appends again,
//! under the condition each was first made under.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::calendar::Timestamp;
use crate::id::{EventId, StreamId};

/// An event to append: what the caller decides; the store adds stream, version, position and time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    /// The event's identity: appending the same id again with the same content stores nothing.
    pub id: EventId,
    /// The type, e.g. `"money-deposited"`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The schema version of `data`'s shape.
    pub schema: u32,
    /// The payload.
    #[serde(default)]
    pub data: Value,
}

/// A stored event with its envelope. Its JSON form (for backends and export) uses these field names,
/// with `event_type` written as `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// The event's identity.
    pub id: EventId,
    /// The stream it belongs to.
    pub stream: StreamId,
    /// Its place in the stream, from 1.
    pub version: u64,
    /// Its place in the global order across all streams, from 1.
    pub position: u64,
    /// The type, e.g. `"money-deposited"`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The schema version of `data`'s shape.
    pub schema: u32,
    /// The payload.
    #[serde(default)]
    pub data: Value,
    /// When it was recorded, as the appender said.
    pub recorded_at: Timestamp,
}

/// What the appender believes about the stream: the append goes ahead only if it is still true.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// Append whatever the stream holds.
    Any,
    /// The stream must not exist yet (same as `Exact(0)`).
    NoStream,
    /// The stream must be at exactly this version (its number of events).
    Exact(u64),
}

/// A stale expected version: someone appended to the stream since the appender looked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The stream.
    pub stream: StreamId,
    /// What the appender expected.
    pub expected: ExpectedVersion,
    /// The stream's version when the append was tried.
    pub actual: u64,
}

/// Why an append stored nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppendError {
    /// The expected version is stale: read the stream again, decide again, retry.
    Conflict(Conflict),
    /// An event id is already stored with other content (or in another stream).
    IdReused {
        /// The id.
        id: EventId,
    },
    /// [`EventStore::append_if_head`] found other events appended since the given head.
    LogMoved {
        /// The head the appender decided on.
        expected: u64,
        /// The head when the append was tried.
        actual: u64,
    },
    /// The backend failed (full, unreadable, unavailable).
    Backend(BackendError),
}

/// What an append did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    /// The newly stored events, in order (empty for an idempotent retry).
    pub events: Vec<RecordedEvent>,
    /// How many of the given events were already stored with the same content and so were skipped.
    pub duplicates: usize,
    /// The stream's version after the append.
    pub stream_version: u64,
    /// The global position of the last stored event after the append.
    pub head: u64,
}

/// What [`EventStore::reconcile`] found when it compared the latest events with the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reconciled {
    /// The backend holds what this store holds, and perhaps more: `arrived` events were read.
    CaughtUp {
        /// How many events other writers had appended.
        arrived: usize,
    },
    /// Another writer wrote over some of the latest events before it had seen them (two tabs
    /// appending within moments of each other). The store now holds the backend's log. This
    /// store's own appends that were written over were made again where their condition still
    /// holds (`remade`); `lost` holds the others, in no log now: an append conditional on a
    /// stream version that the events written over had moved (its own or another writer's), or on
    /// the whole log, or one the backend refused (`failure`). A write of several events that two
    /// tabs' writes tore (applied key by key) can be partly held: its held events stay, in the log
    /// and among this store's own, and only the rest is made again (after them) or lost. Every
    /// command of the bank appends one event; a learner write is several only when it carries
    /// events a full storage refused before, and it is an `Any` append, made again, not lost: so
    /// a loss here reaches only conditional multi-event appends, which the app does not make.
    Raced {
        /// This store's events written again, as stored now.
        remade: Vec<RecordedEvent>,
        /// This store's events written over and not written again, as they were stored before.
        lost: Vec<RecordedEvent>,
        /// Why the backend refused to store some of `lost` again, if it did (a full storage).
        failure: Option<AppendError>,
    },
    /// The backend's log no longer continues this store's: it is shorter than where this store's
    /// latest events begin, or differs at an event older than any write over them could be (see
    /// [`EventStore::reconcile`]). Another writer started over or replaced the log; the store now
    /// holds the backend's log and makes none of its own appends again.
    Replaced,
}

/// A failure of the storage under the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendError {
    /// No room left (e.g. the localStorage quota is exceeded).
    Full,
    /// Stored data does not read back as a consistent log.
    Corrupt(String),
    /// The storage cannot be used (e.g. disabled by the browser).
    Unavailable(String),
}

/// Why a backend did not write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The stored head is no longer the one the write was conditional on: another writer came first.
    HeadMoved {
        /// The stored head now.
        actual: u64,
    },
    /// The write failed; nothing was stored.
    Failed(BackendError),
}

/// Where a store keeps its events: a log of [`RecordedEvent`]s in global order.
///
/// The contract, written for a localStorage backend shared by several tabs:
/// - Calls are synchronous. The store keeps its own copy of the log in memory; the backend is read
///   only to catch up and written only to append.
/// - [`read_after`](Backend::read_after) returns every stored event with a position greater than
///   `after`, in order: all of them on start (`after = 0`), and the ones other writers added since
///   when catching up. Positions are contiguous from 1; a gap or a log shorter than `after` is
///   [`BackendError::Corrupt`].
/// - [`write_after`](Backend::write_after) stores `events` (positions `head + 1`, `head + 2`, …)
///   only if the stored head (the position of the last stored event, 0 when empty) is still `head`;
///   otherwise it stores nothing and answers [`WriteError::HeadMoved`]. It is all or nothing: a
///   failure such as a full quota stores nothing and answers [`WriteError::Failed`].
/// - The backend never reorders, changes or deletes stored events, except to
///   [`mend`](Backend::mend) what two writers' interleaved writes left inconsistent.
pub trait Backend {
    /// Every stored event with a position greater than `after`, in order.
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError>;

    /// Stores `events` after `head`, if and only if `head` is still the stored head.
    fn write_after(&mut self, head: u64, events: &[RecordedEvent]) -> Result<(), WriteError>;

    /// Where one write is several (localStorage: segments, then the meta record) and another
    /// writer's write was applied in between, part by part, the stored log no longer reads as a
    /// log: keeps the consistent events before that and sets the rest aside (never deletes it),
    /// at `now`. Returns whether there was anything to mend. A backend whose writes are single,
    /// as [`MemoryBackend`]'s, never has. (No default: a wrapper that forgot to pass it on would
    /// leave a torn log unreadable.)
    fn mend(&mut self, now: Timestamp) -> Result<bool, BackendError>;
}

/// A backend in memory. Clones share the same log, as two tabs share one localStorage: open two
/// stores on clones to see conflicts between writers.
#[derive(Clone, Debug, Default)]
pub struct MemoryBackend {
    shared: Rc<RefCell<Memory>>,
}

#[derive(Debug, Default)]
struct Memory {
    events: Vec<RecordedEvent>,
    quota: Option<usize>,
}

/// An event store on a backend. See the module documentation.
#[derive(Debug)]
pub struct EventStore<B> {
    backend: B,
    /// Every event in global order: `events[p - 1]` has position `p`.
    events: Vec<RecordedEvent>,
    /// The positions of each stream's events, in stream order.
    streams: HashMap<StreamId, Vec<u64>>,
    /// The position of each event id.
    ids: HashMap<EventId, u64>,
    /// This store's own appends among the latest positions, oldest first.
    written: VecDeque<Written>,
}

/// How many times an append catches up and tries again when other writers keep moving the head.
const WRITE_ATTEMPTS: usize = 16;

/// How many of the latest positions [`EventStore::reconcile`] compares with the backend. Another
/// writer can write only over events it has not seen yet, and tabs see each other's writes within
/// a tenth of a second: far fewer events than this, except for a merge, a single write of any size,
/// whose own events are compared whatever their number.
const RECENT: u64 = 100;

/// One of this store's own writes among the latest positions, kept with what it was, so that it
/// can be made again if another writer wrote over it.
#[derive(Clone, Debug)]
struct Written {
    made: Made,
    /// As stored (what is held of a write made again may be out of order); never empty.
    events: Vec<RecordedEvent>,
}

/// How a [`Written`] was made, and so how it is made again.
#[derive(Clone, Debug)]
enum Made {
    /// [`EventStore::append`] or [`EventStore::append_if_head`]: again under the same condition.
    Append {
        /// The global head it was conditional on, if any.
        head: Option<u64>,
        stream: StreamId,
        expected: ExpectedVersion,
    },
    /// [`EventStore::merge`]: again as one merge of whatever is missing.
    Merge,
}

impl<B: Backend> EventStore<B> {
    /// Opens a store on `backend`, reading and checking everything it holds.
    pub fn open(backend: B) -> Result<EventStore<B>, BackendError> {
        let mut store =
            EventStore { backend, events: Vec::new(), streams: HashMap::new(), ids: HashMap::new(), written: VecDeque::new() };
        store.catch_up()?;
        Ok(store)
    }

    /// Opens a store on `backend` with the events up to the first that breaks the log's sequence
    /// (see [`out_of_sequence`]), and that event's position and what is wrong with it, if one does:
    /// for a caller that can set the rest aside (the app's localStorage layout, with
    /// `SegmentedBackend::set_aside_after`) rather than not open at all. Until it has, appending
    /// fails, since the backend still holds the rest. The check is the one every read makes, so
    /// opening costs no more than [`open`](EventStore::open).
    pub fn open_prefix(backend: B) -> Result<(EventStore<B>, Option<Break>), BackendError> {
        let mut store =
            EventStore { backend, events: Vec::new(), streams: HashMap::new(), ids: HashMap::new(), written: VecDeque::new() };
        let arrived = store.backend.read_after(0)?;
        store.events.reserve(arrived.len().next_power_of_two());
        store.ids.reserve(arrived.len().next_power_of_two());
        for event in arrived {
            let known = store.ids.contains_key(&event.id);
            if let Some(reason) = out_of_sequence(&event, store.head(), store.stream_version(&event.stream), known) {
                return Ok((store, Some(Break { position: event.position, reason })));
            }
            store.index(event);
        }
        Ok((store, None))
    }

    /// Reads what other writers appended to the backend since this store last looked; returns how
    /// many events arrived.
    pub fn catch_up(&mut self) -> Result<usize, BackendError> {
        let arrived = self.backend.read_after(self.head())?;
        let count = arrived.len();
        // Room for what arrived, with the headroom growth by doubling would leave: reserving the
        // exact count made the first append after opening a long log copy all of it.
        let room = count.next_power_of_two();
        self.events.reserve(room);
        self.ids.reserve(room);
        for event in arrived {
            self.check_next(&event)?;
            self.index(event);
        }
        Ok(count)
    }

    /// Compares the latest events with the backend, as [`catch_up`](EventStore::catch_up) would not:
    /// it reads only past the head, so it cannot see another writer that wrote over events this
    /// store already holds (two tabs appending at once, each with a stale copy of localStorage).
    /// Run it whenever another writer may have written. When the log was written over, this store
    /// reads it afresh and makes again those of its own latest appends that are missing (see
    /// [`Reconciled::Raced`]). On an error the store holds what it could read, as after
    /// [`catch_up`](EventStore::catch_up).
    ///
    /// When the writes interleaved part by part, so that what is stored does not read as a log,
    /// the backend [mends](Backend::mend) it first, at `now`, and each writer makes its own
    /// writes again as after any race.
    pub fn reconcile(&mut self, now: Timestamp) -> Result<Reconciled, BackendError> {
        match self.compare_latest() {
            Err(BackendError::Corrupt(_)) if self.backend.mend(now)? => self.compare_latest(),
            outcome => outcome,
        }
    }

    /// [`reconcile`](EventStore::reconcile) on a log that reads as one. On an error the store
    /// still holds its own latest writes, to make again once the log is mended.
    fn compare_latest(&mut self) -> Result<Reconciled, BackendError> {
        let head = self.head();
        self.forget_written_before(head.saturating_sub(RECENT));
        // The event at `anchor` is older than any write over the latest events could be, and it
        // comes before this store's own remembered writes (a merge may be longer than `RECENT`):
        // if it differs too, or the log no longer reaches it, the log was replaced, not raced. A
        // log with nothing that old (a short one) has no anchor: a start over must be told apart
        // by whoever hears of it (the app: localStorage's meta record removed).
        // The earliest of them: what is held of a write made again may be stored out of order.
        let own = self.written.iter().flat_map(|batch| &batch.events).map(|event| event.position - 1).min().unwrap_or(head);
        let anchor = head.saturating_sub(RECENT).min(own);
        let stored = match self.backend.read_after(anchor.saturating_sub(1)) {
            Ok(stored) => stored,
            // Shorter than the anchor: replaced (or damaged, which reading afresh reports).
            Err(BackendError::Corrupt(_)) => return self.replaced(),
            Err(error) => return Err(error),
        };
        let stored_head = stored.last().map_or(anchor.saturating_sub(1), |event| event.position);
        let differs = stored.iter().find(|event| self.at(event.position).is_some_and(|held| held.id != event.id));
        let fork = differs.map(|event| event.position).or((stored_head < head).then_some(stored_head + 1));
        match fork {
            None => {
                let arrived: Vec<RecordedEvent> = stored.into_iter().filter(|event| event.position > head).collect();
                let count = arrived.len();
                for event in arrived {
                    self.check_next(&event)?;
                    self.index(event);
                }
                // Another writer appended after all of ours, on a log that holds them: it had seen
                // them. A third writer, staler still (a tab busy redrawing), may not have, and can
                // write over both: so our appends stay to compare while they are among the latest.
                // Only a write longer than that window (an import) is let go here, as comparing it
                // again on every write of another tab would cost a read of all of it.
                if count > 0 {
                    self.written.retain(|batch| batch.events.len() as u64 <= RECENT);
                }
                Ok(Reconciled::CaughtUp { arrived: count })
            }
            Some(fork) if anchor > 0 && fork <= anchor => self.replaced(),
            Some(fork) => {
                let held: Vec<(EventId, StreamId)> = self.read_all(fork).iter().map(|e| (e.id.clone(), e.stream.clone())).collect();
                self.reload()?;
                // Another writer's events written over moved their streams' versions too: an
                // append of ours decided on them no longer holds, whatever the version says now.
                let own: HashSet<&EventId> = self.written.iter().flat_map(|batch| &batch.events).map(|event| &event.id).collect();
                let moved: HashSet<StreamId> = held
                    .into_iter()
                    .filter(|(id, _)| !own.contains(id) && !self.ids.contains_key(id))
                    .map(|(_, stream)| stream)
                    .collect();
                Ok(self.remake(moved))
            }
        }
    }

    /// Follows a log that another writer replaced: its own appends are not made again.
    fn replaced(&mut self) -> Result<Reconciled, BackendError> {
        self.reload()?;
        self.written.clear();
        Ok(Reconciled::Replaced)
    }

    /// Reads the whole log afresh, or leaves the store as it was if it cannot.
    fn reload(&mut self) -> Result<(), BackendError> {
        let old = (std::mem::take(&mut self.events), std::mem::take(&mut self.streams), std::mem::take(&mut self.ids));
        match self.catch_up() {
            Ok(_) => Ok(()),
            Err(error) => {
                (self.events, self.streams, self.ids) = old;
                Err(error)
            }
        }
    }

    /// Makes again, in order, this store's latest writes that the log no longer holds, each as it
    /// was made. An append conditional on the version of a stream in `moved` is lost, and so is
    /// every later one on a stream where one was lost: they were decided on a state that no longer
    /// holds. What the log still holds of a write stays among this store's own, to compare.
    fn remake(&mut self, mut moved: HashSet<StreamId>) -> Reconciled {
        let (mut remade, mut lost, mut failure) = (Vec::new(), Vec::new(), None);
        for batch in std::mem::take(&mut self.written) {
            // Part of one write can be held and part not (a write over two segments, half written
            // over): the held part can still be written over, and must then be made again too.
            let (mut held, mut missing) = (Vec::new(), Vec::new());
            for event in &batch.events {
                match self.ids.get(&event.id).and_then(|&at| self.at(at)) {
                    Some(stored) => held.push(stored.clone()),
                    None => missing.push(event.clone()),
                }
            }
            if !held.is_empty() {
                self.written.push_back(Written { made: batch.made.clone(), events: held });
            }
            if missing.is_empty() {
                continue;
            }
            let again = match &batch.made {
                Made::Merge => Some(self.merge(&batch.events)),
                // Conditional on the whole log, which the other writer moved: decide again or not at all.
                Made::Append { head: Some(_), .. } => None,
                Made::Append { stream, expected, .. } if *expected != ExpectedVersion::Any && moved.contains(stream) => None,
                Made::Append { stream, expected, .. } => {
                    let events: Vec<NewEvent> = batch.events.iter().map(NewEvent::from).collect();
                    let (stream, expected) = (stream.clone(), *expected);
                    Some(self.append_checked(None, &stream, expected, &events, batch.events[0].recorded_at).map(|appended| appended.events))
                }
            };
            match again {
                Some(Ok(events)) => remade.extend(events),
                refused => {
                    if let Made::Append { stream, .. } = &batch.made {
                        moved.insert(stream.clone());
                    }
                    if let Some(Err(error)) = refused {
                        failure.get_or_insert(error);
                    }
                    lost.extend(missing);
                }
            }
        }
        Reconciled::Raced { remade, lost, failure }
    }

    fn forget_written_before(&mut self, anchor: u64) {
        while self.written.front().is_some_and(|batch| batch.events.iter().all(|event| event.position <= anchor)) {
            self.written.pop_front();
        }
    }

    /// Appends `events` to `stream` if the stream is at the `expected` version, recording them at
    /// `at`. Events whose id is already stored with the same content are skipped (an idempotent
    /// retry); if all are, nothing is stored and the version is not checked.
    pub fn append(
        &mut self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        at: Timestamp,
    ) -> Result<Appended, AppendError> {
        self.append_checked(None, stream, expected, &events, at)
    }

    /// Appends events recorded in another log (an import), after this log's events, in their
    /// order: each on its own stream at that stream's next version, with its own recorded time, in
    /// one write, so all are stored or none. An event whose id is stored with the same content is
    /// skipped; an id stored (or repeated in `events`) with other content refuses the whole merge
    /// before anything is written. Returns the events stored. Written over by another writer, it is
    /// made again as one merge of what is missing ([`reconcile`](EventStore::reconcile)).
    pub fn merge(&mut self, events: &[RecordedEvent]) -> Result<Vec<RecordedEvent>, AppendError> {
        for _ in 0..WRITE_ATTEMPTS {
            self.catch_up().map_err(AppendError::Backend)?;
            let mut versions: HashMap<&StreamId, u64> = HashMap::new();
            let mut in_batch: HashMap<&EventId, &RecordedEvent> = HashMap::new();
            let mut records: Vec<RecordedEvent> = Vec::new();
            for event in events {
                let held = self.event(&event.id).or_else(|| in_batch.get(&event.id).copied());
                if let Some(held) = held {
                    if !same_content(held, &event.stream, &NewEvent::from(event)) {
                        return Err(AppendError::IdReused { id: event.id.clone() });
                    }
                    continue;
                }
                in_batch.insert(&event.id, event);
                let version = versions.entry(&event.stream).or_insert_with(|| self.stream_version(&event.stream));
                *version += 1;
                let position = self.head() + records.len() as u64 + 1;
                records.push(RecordedEvent { version: *version, position, ..event.clone() });
            }
            if records.is_empty() {
                return Ok(records);
            }
            match self.backend.write_after(self.head(), &records) {
                Ok(()) => {
                    for record in &records {
                        self.index(record.clone());
                    }
                    self.written.push_back(Written { made: Made::Merge, events: records.clone() });
                    self.forget_written_before(self.head().saturating_sub(RECENT));
                    return Ok(records);
                }
                Err(WriteError::HeadMoved { .. }) => continue,
                Err(WriteError::Failed(error)) => return Err(AppendError::Backend(error)),
            }
        }
        Err(AppendError::Backend(BackendError::Unavailable("other writers kept appending; try again".to_owned())))
    }

    /// Like [`append`](EventStore::append), and only if the global head is still `head`: no event
    /// was appended anywhere since the caller decided. For decisions that read several streams
    /// (the transfer process).
    pub fn append_if_head(
        &mut self,
        head: u64,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        at: Timestamp,
    ) -> Result<Appended, AppendError> {
        self.append_checked(Some(head), stream, expected, &events, at)
    }

    /// The events of `stream` from version `from_version` on (versions count from 1; 0 and 1 both
    /// mean from the start).
    pub fn read_stream(&self, stream: &StreamId, from_version: u64) -> impl Iterator<Item = &RecordedEvent> + '_ {
        let positions = self.streams.get(stream).map(Vec::as_slice).unwrap_or_default();
        let skip = usize::try_from(from_version.saturating_sub(1)).unwrap_or(usize::MAX);
        positions.iter().skip(skip).filter_map(|&position| self.at(position))
    }

    /// Every event from global position `from_position` on, in global order (positions count from
    /// 1; 0 and 1 both mean from the start). Projections catch up with this.
    pub fn read_all(&self, from_position: u64) -> &[RecordedEvent] {
        let skip = usize::try_from(from_position.saturating_sub(1)).unwrap_or(usize::MAX);
        self.events.get(skip..).unwrap_or_default()
    }

    /// The event with this id, if stored.
    pub fn event(&self, id: &EventId) -> Option<&RecordedEvent> {
        self.ids.get(id).and_then(|&position| self.at(position))
    }

    /// The number of events in `stream` (0 if it does not exist).
    pub fn stream_version(&self, stream: &StreamId) -> u64 {
        self.streams.get(stream).map_or(0, |positions| positions.len() as u64)
    }

    /// Every stream with its version, in no particular order.
    pub fn streams(&self) -> impl Iterator<Item = (&StreamId, u64)> + '_ {
        self.streams.iter().map(|(stream, positions)| (stream, positions.len() as u64))
    }

    /// The global position of the last event this store has seen (0 when empty).
    pub fn head(&self) -> u64 {
        self.events.len() as u64
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    fn at(&self, position: u64) -> Option<&RecordedEvent> {
        self.events.get(usize::try_from(position).ok()?.checked_sub(1)?)
    }

    fn append_checked(
        &mut self,
        head: Option<u64>,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: &[NewEvent],
        at: Timestamp,
    ) -> Result<Appended, AppendError> {
        for _ in 0..WRITE_ATTEMPTS {
            self.catch_up().map_err(AppendError::Backend)?;
            if let Some(expected) = head {
                if self.head() != expected {
                    return Err(AppendError::LogMoved { expected, actual: self.head() });
                }
            }
            let fresh = self.fresh_events(stream, events)?;
            let actual = self.stream_version(stream);
            if fresh.is_empty() && !events.is_empty() {
                return Ok(Appended {
                    events: Vec::new(),
                    duplicates: events.len(),
                    stream_version: actual,
                    head: self.head(),
                });
            }
            let matches = match expected {
                ExpectedVersion::Any => true,
                ExpectedVersion::NoStream => actual == 0,
                ExpectedVersion::Exact(version) => actual == version,
            };
            if !matches {
                return Err(AppendError::Conflict(Conflict { stream: stream.clone(), expected, actual }));
            }
            let records: Vec<RecordedEvent> = (1u64..)
                .zip(&fresh)
                .map(|(offset, event)| RecordedEvent {
                    id: event.id.clone(),
                    stream: stream.clone(),
                    version: actual + offset,
                    position: self.head() + offset,
                    event_type: event.event_type.clone(),
                    schema: event.schema,
                    data: event.data.clone(),
                    recorded_at: at,
                })
                .collect();
            if records.is_empty() {
                // Nothing to store: no write, so other tabs are not woken by a meta record rewritten
                // unchanged.
                return Ok(Appended { events: records, duplicates: 0, stream_version: actual, head: self.head() });
            }
            match self.backend.write_after(self.head(), &records) {
                Ok(()) => {
                    for record in &records {
                        self.index(record.clone());
                    }
                    self.written.push_back(Written { made: Made::Append { head, stream: stream.clone(), expected }, events: records.clone() });
                    self.forget_written_before(self.head().saturating_sub(RECENT));
                    return Ok(Appended {
                        duplicates: events.len() - records.len(),
                        events: records,
                        stream_version: self.stream_version(stream),
                        head: self.head(),
                    });
                }
                // Another writer came first: catch up and decide again whether this append holds.
                Err(WriteError::HeadMoved { .. }) => continue,
                Err(WriteError::Failed(error)) => return Err(AppendError::Backend(error)),
            }
        }
        Err(AppendError::Backend(BackendError::Unavailable(
            "other writers kept appending; try again".to_owned(),
        )))
    }

    /// The events not yet stored; errors if an id is stored (or repeated in the batch) with other content.
    fn fresh_events<'e>(&self, stream: &StreamId, events: &'e [NewEvent]) -> Result<Vec<&'e NewEvent>, AppendError> {
        let mut fresh: Vec<&NewEvent> = Vec::with_capacity(events.len());
        let mut in_batch: HashMap<&EventId, &NewEvent> = HashMap::new();
        for event in events {
            if let Some(stored) = self.event(&event.id) {
                if !same_content(stored, stream, event) {
                    return Err(AppendError::IdReused { id: event.id.clone() });
                }
            } else if let Some(earlier) = in_batch.get(&event.id) {
                if *earlier != event {
                    return Err(AppendError::IdReused { id: event.id.clone() });
                }
            } else {
                in_batch.insert(&event.id, event);
                fresh.push(event);
            }
        }
        Ok(fresh)
    }

    /// Checks that an event read from the backend continues the log consistently.
    fn check_next(&self, event: &RecordedEvent) -> Result<(), BackendError> {
        let known = self.ids.contains_key(&event.id);
        match out_of_sequence(event, self.head(), self.stream_version(&event.stream), known) {
            Some(what) => Err(BackendError::Corrupt(what)),
            None => Ok(()),
        }
    }

    fn index(&mut self, event: RecordedEvent) {
        self.ids.insert(event.id.clone(), event.position);
        match self.streams.get_mut(&event.stream) {
            Some(positions) => positions.push(event.position),
            None => {
                self.streams.insert(event.stream.clone(), vec![event.position]);
            }
        }
        self.events.push(event);
    }
}

/// Whether `stored` is `event` on `stream`: appending it again is a retry, stored once.
fn same_content(stored: &RecordedEvent, stream: &StreamId, event: &NewEvent) -> bool {
    stored.stream == *stream && stored.event_type == event.event_type && stored.schema == event.schema && stored.data == event.data
}

/// Where a stored log stops being consistent, found by [`EventStore::open_prefix`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The position of the first event that does not follow from the ones before it.
    pub position: u64,
    /// What is wrong with it.
    pub reason: String,
}

/// Why `event` cannot come next in a log whose head is `head`, where its stream stands at
/// `version` and its id is `known` or not: the rule of a consistent log. The store checks it on
/// everything it reads; the localStorage layout checks it when opening, so a log that breaks it
/// keeps the events before the break instead of not opening at all.
pub fn out_of_sequence(event: &RecordedEvent, head: u64, version: u64, known: bool) -> Option<String> {
    if event.position != head + 1 {
        return Some(format!("expected position {}, found {}", head + 1, event.position));
    }
    if event.version != version + 1 {
        return Some(format!(
            "event {} is version {} of {} but the stream expects version {}",
            event.id,
            event.version,
            event.stream,
            version + 1
        ));
    }
    if known {
        return Some(format!("event id {} is stored twice", event.id));
    }
    None
}

/// Where `events`, read from position 1, stop being one consistent log (see [`out_of_sequence`]):
/// the index of the first event that does not follow from the ones before it, and why. `None`
/// when they all do.
pub fn first_break(events: &[RecordedEvent]) -> Option<(usize, String)> {
    let mut versions: HashMap<&StreamId, u64> = HashMap::new();
    let mut ids: HashSet<&EventId> = HashSet::new();
    for (at, event) in events.iter().enumerate() {
        let version = versions.get(&event.stream).copied().unwrap_or(0);
        if let Some(reason) = out_of_sequence(event, at as u64, version, ids.contains(&event.id)) {
            return Some((at, reason));
        }
        versions.insert(&event.stream, event.version);
        ids.insert(&event.id);
    }
    None
}

impl MemoryBackend {
    /// An independent copy of this backend's log (not shared with it).
    pub fn fork(&self) -> MemoryBackend {
        let memory = self.shared.borrow();
        // Keep the spare capacity too: a copy should grow like the original, not reallocate on
        // its first write.
        let mut events = Vec::with_capacity(memory.events.capacity());
        events.extend_from_slice(&memory.events);
        MemoryBackend { shared: Rc::new(RefCell::new(Memory { events, quota: memory.quota })) }
    }

    /// Limits the log to `max_events` (a write that would pass it fails with [`BackendError::Full`]),
    /// like a localStorage quota; `None` lifts the limit.
    pub fn set_quota(&self, max_events: Option<usize>) {
        self.shared.borrow_mut().quota = max_events;
    }

    /// How many events are stored.
    pub fn len(&self) -> usize {
        self.shared.borrow().events.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Backend for MemoryBackend {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        let memory = self.shared.borrow();
        let start = usize::try_from(after).unwrap_or(usize::MAX);
        match memory.events.get(start..) {
            Some(events) => Ok(events.to_vec()),
            None => Err(BackendError::Corrupt(format!(
                "asked for events after {after} but only {} are stored",
                memory.events.len()
            ))),
        }
    }

    fn write_after(&mut self, head: u64, events: &[RecordedEvent]) -> Result<(), WriteError> {
        let mut memory = self.shared.borrow_mut();
        let stored = memory.events.len() as u64;
        if stored != head {
            return Err(WriteError::HeadMoved { actual: stored });
        }
        if memory.quota.is_some_and(|quota| memory.events.len() + events.len() > quota) {
            return Err(WriteError::Failed(BackendError::Full));
        }
        memory.events.extend_from_slice(events);
        Ok(())
    }

    fn mend(&mut self, _now: Timestamp) -> Result<bool, BackendError> {
        Ok(false)
    }
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedVersion::Any => f.write_str("any version"),
            ExpectedVersion::NoStream => f.write_str("no stream yet"),
            ExpectedVersion::Exact(version) => write!(f, "version {version}"),
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Conflict on {}: expected {} but it is at version {}. Someone else wrote first: read again and retry.",
            self.stream, self.expected, self.actual
        )
    }
}

impl fmt::Display for AppendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppendError::Conflict(conflict) => conflict.fmt(f),
            AppendError::IdReused { id } => {
                write!(f, "Event id {id} is already stored with other content: ids must not be reused.")
            }
            AppendError::LogMoved { expected, actual } => write!(
                f,
                "The log moved from position {expected} to {actual} while deciding: read again and retry."
            ),
            AppendError::Backend(error) => error.fmt(f),
        }
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendError::Full => f.write_str("The storage is full: nothing was saved."),
            BackendError::Corrupt(what) => write!(f, "The stored log is damaged: {what}."),
            BackendError::Unavailable(why) => write!(f, "The storage cannot be used: {why}."),
        }
    }
}

impl std::error::Error for AppendError {}
impl std::error::Error for BackendError {}

impl From<&RecordedEvent> for NewEvent {
    fn from(event: &RecordedEvent) -> NewEvent {
        NewEvent { id: event.id.clone(), event_type: event.event_type.clone(), schema: event.schema, data: event.data.clone() }
    }
}

impl From<Conflict> for AppendError {
    fn from(conflict: Conflict) -> AppendError {
        AppendError::Conflict(conflict)
    }
}

#[cfg(test)]
mod tests;
