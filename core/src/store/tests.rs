//! Specifications of the event store: versions, positions, conflicts, idempotency and backends.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::fixture::{new_event, stream};

fn open(backend: &MemoryBackend) -> EventStore<MemoryBackend> {
    EventStore::open(backend.clone()).expect("a memory backend reads back")
}

const AT: Timestamp = Timestamp(1_700_000_000_000);

#[track_caller]
fn append_ok(store: &mut EventStore<MemoryBackend>, to: &str, expected: ExpectedVersion, events: Vec<NewEvent>) -> Appended {
    match store.append(&stream(to), expected, events, AT) {
        Ok(appended) => appended,
        Err(error) => panic!("append to {to} failed: {error}"),
    }
}

#[test]
fn a_store_opened_on_a_long_log_has_room_to_append() {
    // The first append after opening must not copy the whole log into a bigger vector (the
    // append budget: a 10,000-event log costs no more to append to than a 10-event one).
    let backend = MemoryBackend::default();
    let mut writer = open(&backend);
    for i in 0..1_000 {
        append_ok(&mut writer, "a", ExpectedVersion::Any, vec![new_event(&format!("e{i}"), 1)]);
    }
    let store = open(&backend);
    assert_eq!(store.head(), 1_000);
    assert!(store.events.capacity() > store.events.len(), "no headroom: {}", store.events.capacity());
    assert!(store.ids.capacity() > store.ids.len(), "no headroom in the id index: {}", store.ids.capacity());
}

#[test]
fn streams_have_versions_and_the_log_has_positions() {
    let mut store = open(&MemoryBackend::default());
    let first = append_ok(&mut store, "a", ExpectedVersion::NoStream, vec![new_event("1", 10), new_event("2", 20)]);
    let second = append_ok(&mut store, "b", ExpectedVersion::Any, vec![new_event("3", 30)]);
    let third = append_ok(&mut store, "a", ExpectedVersion::Exact(2), vec![new_event("4", 40)]);
    assert_eq!((first.stream_version, first.head), (2, 2));
    assert_eq!((second.stream_version, second.head), (1, 3));
    assert_eq!((third.stream_version, third.head), (3, 4));
    let envelope = |e: &RecordedEvent| (e.id.to_string(), e.stream.to_string(), e.version, e.position);
    let a: Vec<_> = store.read_stream(&stream("a"), 2).map(envelope).collect();
    assert_eq!(a, [("2".into(), "a".into(), 2, 2), ("4".into(), "a".into(), 3, 4)]);
    let all: Vec<_> = store.read_all(3).iter().map(envelope).collect();
    assert_eq!(all, [("3".into(), "b".into(), 1, 3), ("4".into(), "a".into(), 3, 4)]);
    assert_eq!(store.read_all(0).len(), 4);
    assert_eq!(store.read_all(99).len(), 0);
    assert_eq!(store.read_stream(&stream("missing"), 1).count(), 0);
    assert_eq!(third.events[0].recorded_at, AT);
}

#[test]
fn a_stale_version_is_a_conflict_carrying_both_versions() {
    let mut store = open(&MemoryBackend::default());
    append_ok(&mut store, "a", ExpectedVersion::Any, vec![new_event("1", 10)]);
    for expected in [ExpectedVersion::NoStream, ExpectedVersion::Exact(0), ExpectedVersion::Exact(2)] {
        let result = store.append(&stream("a"), expected, vec![new_event("2", 20)], AT);
        assert_eq!(result, Err(AppendError::Conflict(Conflict { stream: stream("a"), expected, actual: 1 })));
    }
    assert_eq!(store.head(), 1);
}

#[test]
fn appending_a_stored_event_again_stores_nothing() {
    let mut store = open(&MemoryBackend::default());
    append_ok(&mut store, "a", ExpectedVersion::NoStream, vec![new_event("1", 10)]);
    // A retry with the same expected version: the first attempt did get through.
    let retry = append_ok(&mut store, "a", ExpectedVersion::NoStream, vec![new_event("1", 10)]);
    assert_eq!((retry.events.len(), retry.duplicates, retry.stream_version), (0, 1, 1));
    // A batch mixing a stored event and a new one stores the new one only.
    let mixed = append_ok(&mut store, "a", ExpectedVersion::Exact(1), vec![new_event("1", 10), new_event("2", 20)]);
    assert_eq!((mixed.events.len(), mixed.duplicates), (1, 1));
    // The same id twice in one batch is stored once.
    let twice = append_ok(&mut store, "a", ExpectedVersion::Any, vec![new_event("3", 30), new_event("3", 30)]);
    assert_eq!((twice.events.len(), twice.duplicates), (1, 1));
    assert_eq!(store.head(), 3);
}

/// A backend that refuses every write, to show that an append wrote nothing.
struct NoWrites(MemoryBackend);

impl Backend for NoWrites {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        self.0.read_after(after)
    }
    fn write_after(&mut self, _: u64, _: &[RecordedEvent]) -> Result<(), WriteError> {
        Err(WriteError::Failed(BackendError::Unavailable("no writes expected".to_owned())))
    }
    fn mend(&mut self, _now: Timestamp) -> Result<bool, BackendError> {
        Ok(false)
    }
}

#[test]
fn appending_no_events_writes_nothing_but_still_checks_the_version() {
    let backend = MemoryBackend::default();
    append_ok(&mut open(&backend), "s", ExpectedVersion::NoStream, vec![new_event("e1", 100)]);
    let mut store = EventStore::open(NoWrites(backend)).expect("reads back");
    let appended = store.append(&stream("s"), ExpectedVersion::Exact(1), Vec::new(), AT);
    assert_eq!(appended.map(|a| (a.events.len(), a.stream_version, a.head)), Ok((0, 1, 1)));
    let stale = store.append(&stream("s"), ExpectedVersion::Exact(0), Vec::new(), AT);
    assert!(matches!(stale, Err(AppendError::Conflict(_))), "{stale:?}");
}

#[test]
fn reusing_an_id_for_other_content_is_an_error() {
    let mut store = open(&MemoryBackend::default());
    append_ok(&mut store, "a", ExpectedVersion::Any, vec![new_event("1", 10)]);
    let id = EventId::new("1").ok();
    let reused = |result: Result<Appended, AppendError>| match result {
        Err(AppendError::IdReused { id }) => Some(id),
        _ => None,
    };
    assert_eq!(reused(store.append(&stream("a"), ExpectedVersion::Any, vec![new_event("1", 11)], AT)), id);
    assert_eq!(reused(store.append(&stream("b"), ExpectedVersion::Any, vec![new_event("1", 10)], AT)), id);
    let batch = vec![new_event("2", 1), new_event("2", 2)];
    assert_eq!(reused(store.append(&stream("a"), ExpectedVersion::Any, batch, AT)), EventId::new("2").ok());
    assert_eq!(store.head(), 1);
}

#[test]
fn a_store_catches_up_with_other_writers_before_appending() {
    let shared = MemoryBackend::default();
    let (mut tab1, mut tab2) = (open(&shared), open(&shared));
    append_ok(&mut tab1, "a", ExpectedVersion::NoStream, vec![new_event("1", 10)]);
    // tab2 has not looked since; its append to another stream lands after tab1's event.
    let appended = append_ok(&mut tab2, "b", ExpectedVersion::NoStream, vec![new_event("2", 20)]);
    assert_eq!(appended.events[0].position, 2);
    // And its stale belief about stream a is caught.
    let stale = tab2.append(&stream("a"), ExpectedVersion::NoStream, vec![new_event("3", 30)], AT);
    assert!(matches!(stale, Err(AppendError::Conflict(Conflict { actual: 1, .. }))));
    assert_eq!(tab1.catch_up(), Ok(1));
    assert_eq!(tab1.read_all(0), tab2.read_all(0));
}

/// A backend where another tab writes just before our first write lands: the worst moment.
struct Interloper {
    backend: MemoryBackend,
    other: Option<(EventStore<MemoryBackend>, &'static str, NewEvent)>,
}

impl Backend for Interloper {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        self.backend.read_after(after)
    }

    fn write_after(&mut self, head: u64, events: &[RecordedEvent]) -> Result<(), WriteError> {
        if let Some((mut other, to, event)) = self.other.take() {
            append_ok(&mut other, to, ExpectedVersion::Any, vec![event]);
        }
        self.backend.write_after(head, events)
    }

    fn mend(&mut self, now: Timestamp) -> Result<bool, BackendError> {
        self.backend.mend(now)
    }
}

/// Our append to stream `a` while another tab appends to `theirs` just before our write lands.
fn race_against(theirs: &'static str) -> (Result<(u64, u64), AppendError>, usize) {
    let shared = MemoryBackend::default();
    let other = (open(&shared), theirs, new_event("theirs", 1));
    let mut store = EventStore::open(Interloper { backend: shared.clone(), other: Some(other) })
        .expect("a memory backend reads back");
    let appended = store.append(&stream("a"), ExpectedVersion::NoStream, vec![new_event("mine", 2)], AT);
    (appended.map(|a| (a.events[0].position, a.stream_version)), shared.len())
}

#[test]
fn a_write_that_loses_the_race_for_the_head_catches_up_and_retries() {
    assert_eq!(race_against("b"), (Ok((2, 1)), 2));
}

#[test]
fn a_write_that_loses_the_race_for_its_stream_is_a_conflict() {
    let conflict = Conflict { stream: stream("a"), expected: ExpectedVersion::NoStream, actual: 1 };
    assert_eq!(race_against("a"), (Err(AppendError::Conflict(conflict)), 1));
}

#[test]
fn append_if_head_refuses_when_anything_moved() {
    let shared = MemoryBackend::default();
    let (mut tab1, mut tab2) = (open(&shared), open(&shared));
    append_ok(&mut tab1, "a", ExpectedVersion::Any, vec![new_event("1", 10)]);
    let moved = tab2.append_if_head(0, &stream("b"), ExpectedVersion::Any, vec![new_event("2", 20)], AT);
    assert_eq!(moved, Err(AppendError::LogMoved { expected: 0, actual: 1 }));
    let landed = tab2.append_if_head(1, &stream("b"), ExpectedVersion::Any, vec![new_event("2", 20)], AT);
    assert_eq!(landed.map(|a| a.head), Ok(2));
}

#[test]
fn a_full_backend_stores_nothing_and_says_so() {
    let backend = MemoryBackend::default();
    backend.set_quota(Some(2));
    let mut store = open(&backend);
    append_ok(&mut store, "a", ExpectedVersion::Any, vec![new_event("1", 10)]);
    let full = store.append(&stream("a"), ExpectedVersion::Any, vec![new_event("2", 20), new_event("3", 30)], AT);
    assert_eq!(full, Err(AppendError::Backend(BackendError::Full)));
    assert_eq!((store.head(), backend.len()), (1, 1));
    assert_eq!(full.map_err(|e| e.to_string()), Err("The storage is full: nothing was saved.".to_owned()));
}

/// A backend whose stored log is damaged in a given way.
struct Damaged(Vec<RecordedEvent>);

impl Backend for Damaged {
    fn read_after(&self, after: u64) -> Result<Vec<RecordedEvent>, BackendError> {
        Ok(self.0.iter().skip(after as usize).cloned().collect())
    }

    fn write_after(&mut self, _head: u64, _events: &[RecordedEvent]) -> Result<(), WriteError> {
        Err(WriteError::Failed(BackendError::Unavailable("read only".to_owned())))
    }

    fn mend(&mut self, _now: Timestamp) -> Result<bool, BackendError> {
        Ok(false)
    }
}

#[test]
fn a_damaged_log_is_refused_on_open() {
    let mut store = open(&MemoryBackend::default());
    append_ok(&mut store, "a", ExpectedVersion::Any, vec![new_event("1", 10), new_event("2", 20)]);
    let good = store.read_all(0).to_vec();
    let damages: [fn(&mut Vec<RecordedEvent>); 3] = [
        |log| log[1].position = 5,
        |log| log[1].version = 1,
        |log| log[1].id = log[0].id.clone(),
    ];
    for damage in damages {
        let mut log = good.clone();
        damage(&mut log);
        assert!(matches!(EventStore::open(Damaged(log)).map(|_| ()), Err(BackendError::Corrupt(_))));
    }
    assert!(EventStore::open(Damaged(good)).is_ok());
}

#[test]
fn recorded_events_have_a_stable_json_form() {
    let mut store = open(&MemoryBackend::default());
    let appended = append_ok(&mut store, "account-alice", ExpectedVersion::Any, vec![new_event("e1", 1250)]);
    let json = serde_json::to_value(&appended.events[0]).ok();
    assert_eq!(
        json,
        Some(json!({
            "id": "e1", "stream": "account-alice", "version": 1, "position": 1,
            "type": "money-deposited", "schema": 2, "data": {"amount": 1250}, "recorded_at": 1_700_000_000_000i64
        }))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_log_the_store_wrote_reads_as_one_and_a_missing_or_repeated_event_is_where_it_breaks(
        streams in proptest::collection::vec(0u8..3, 2..30),
        pick in any::<proptest::sample::Index>(),
    ) {
        let mut store = open(&MemoryBackend::default());
        for (i, s) in streams.iter().enumerate() {
            append_ok(&mut store, &format!("s{s}"), ExpectedVersion::Any, vec![new_event(&format!("e{i}"), i as u64)]);
        }
        let events = store.read_all(1).to_vec();
        prop_assert_eq!(first_break(&events), None);
        let at = pick.index(events.len() - 1);
        // An event gone: the one after it is the break (its position skips one).
        let mut gap = events.clone();
        gap.remove(at);
        prop_assert_eq!(first_break(&gap).map(|(i, _)| i), Some(at));
        // An event written again right after itself: the copy is the break.
        let mut twice = events.clone();
        twice.insert(at + 1, events[at].clone());
        prop_assert_eq!(first_break(&twice).map(|(i, _)| i), Some(at + 1));
    }

    #[test]
    fn appending_the_same_event_twice_never_stores_it_twice(
        ids in proptest::collection::vec(0u8..12, 1..40),
        streams in proptest::collection::vec(0u8..3, 40),
    ) {
        let mut store = open(&MemoryBackend::default());
        for (i, id) in ids.iter().enumerate() {
            // The content is a function of the id, so repeats are genuine retries.
            let event = new_event(&format!("e{id}"), u64::from(*id));
            let to = format!("s{}", streams[i]);
            let first_stream = store.event(&event.id).map(|stored| stored.stream.to_string());
            let result = store.append(&stream(&to), ExpectedVersion::Any, vec![event], AT);
            match first_stream {
                Some(first) if first != to => {
                    let reused = matches!(result, Err(AppendError::IdReused { .. }));
                    prop_assert!(reused, "reusing an id in another stream is refused");
                }
                _ => prop_assert!(result.is_ok()),
            }
        }
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        prop_assert_eq!(store.head() as usize, distinct.len());
        prop_assert_eq!(store.backend().len(), distinct.len());
    }

    #[test]
    fn two_racing_appends_with_the_same_expected_version_exactly_one_wins(
        before in 0usize..5,
        use_no_stream in any::<bool>(),
        first_wins in any::<bool>(),
    ) {
        let shared = MemoryBackend::default();
        let mut setup = open(&shared);
        for i in 0..before {
            append_ok(&mut setup, "a", ExpectedVersion::Any, vec![new_event(&format!("old{i}"), 1)]);
        }
        // Both clerks read the stream at the same version, then both append.
        let (mut clerk1, mut clerk2) = (open(&shared), open(&shared));
        let version = clerk1.stream_version(&stream("a"));
        let expected = if use_no_stream && version == 0 { ExpectedVersion::NoStream } else { ExpectedVersion::Exact(version) };
        let attempt = |clerk: &mut EventStore<MemoryBackend>, id: &str| {
            clerk.append(&stream("a"), expected, vec![new_event(id, 5)], AT)
        };
        let (r1, r2) = if first_wins {
            let r1 = attempt(&mut clerk1, "clerk1");
            (r1, attempt(&mut clerk2, "clerk2"))
        } else {
            let r2 = attempt(&mut clerk2, "clerk2");
            (attempt(&mut clerk1, "clerk1"), r2)
        };
        prop_assert_eq!(r1.is_ok() as u8 + r2.is_ok() as u8, 1);
        let loser = if first_wins { r2 } else { r1 };
        prop_assert_eq!(
            loser,
            Err(AppendError::Conflict(Conflict { stream: stream("a"), expected, actual: version + 1 }))
        );
        prop_assert_eq!(shared.len(), before + 1);
    }
}

/// What an export of `store` holds: its events as recorded, times included.
fn exported(store: &EventStore<MemoryBackend>) -> Vec<RecordedEvent> {
    store.read_all(1).to_vec()
}

/// A log of three streams with recorded times 1 ms apart.
fn elsewhere() -> Vec<RecordedEvent> {
    let mut other = open(&MemoryBackend::default());
    for (i, to) in ["a", "b", "a", "c"].iter().enumerate() {
        other.append(&stream(to), ExpectedVersion::Any, vec![new_event(&format!("x{i}"), i as u64)], Timestamp(AT.0 + i as i64)).expect("appended");
    }
    exported(&other)
}

#[test]
fn a_merge_appends_an_imported_log_after_this_one_keeping_streams_order_and_times() {
    let mut store = open(&MemoryBackend::default());
    append_ok(&mut store, "a", ExpectedVersion::Any, vec![new_event("mine", 1)]);
    let merged = store.merge(&elsewhere()).expect("merged");
    let envelope = |e: &RecordedEvent| (e.id.to_string(), e.stream.to_string(), e.version, e.position, e.recorded_at.0 - AT.0);
    assert_eq!(
        merged.iter().map(envelope).collect::<Vec<_>>(),
        [("x0".into(), "a".into(), 2, 2, 0), ("x1".into(), "b".into(), 1, 3, 1), ("x2".into(), "a".into(), 3, 4, 2), ("x3".into(), "c".into(), 1, 5, 3)]
    );
    assert_eq!(exported(&open(store.backend())), exported(&store), "stored as held");
}

#[test]
fn a_merge_skips_what_the_log_holds_and_a_second_merge_adds_nothing() {
    let mut store = open(&MemoryBackend::default());
    let file = elsewhere();
    store.merge(&file[..2]).expect("merged");
    assert_eq!(store.merge(&file).expect("merged").len(), 2);
    assert_eq!(store.merge(&file).expect("merged").len(), 0);
    assert_eq!(store.head(), 4);
}

#[test]
fn a_merge_with_an_id_the_log_holds_for_another_event_writes_nothing() {
    let backend = MemoryBackend::default();
    let mut store = open(&backend);
    append_ok(&mut store, "a", ExpectedVersion::Any, vec![new_event("x2", 999)]);
    assert_eq!(store.merge(&elsewhere()), Err(AppendError::IdReused { id: EventId::new("x2").expect("id") }));
    assert_eq!(backend.len(), 1, "not even the events before the clash");
    // An id the file itself gives to two different events.
    let mut twice = elsewhere();
    twice[3].id = twice[0].id.clone();
    let mut empty = open(&MemoryBackend::default());
    assert_eq!(empty.merge(&twice), Err(AppendError::IdReused { id: EventId::new("x0").expect("id") }));
    assert_eq!(empty.head(), 0);
}

#[test]
fn a_merge_the_backend_refuses_stores_nothing() {
    let backend = MemoryBackend::default();
    backend.set_quota(Some(3));
    let mut store = open(&backend);
    assert!(matches!(store.merge(&elsewhere()), Err(AppendError::Backend(BackendError::Full))));
    assert_eq!((backend.len(), store.head()), (0, 0));
}
