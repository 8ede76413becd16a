//! Snapshots: a state saved as of a stream version, so loading replays only the tail.
//!
//! A snapshot is not an event: delete every snapshot and the state can still be rebuilt by replaying
//! the stream (slowly). So a snapshot that fails its checksum, has another schema or does not decode
//! is skipped, reported, and the next older one is tried, down to a full replay. [`Loaded`] says what
//! loading did, for the snapshot widget.
//!
//! The checksum is 64-bit FNV-1a over the stream, version, schema and the state's JSON text, so a
//! snapshot whose version or stream was damaged is caught like one whose state was: enough to
//! catch damage, not an attacker.

use std::collections::HashMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::id::StreamId;

/// A state saved as of `version` of `stream`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The stream whose state this is.
    pub stream: StreamId,
    /// The stream version the state reflects (how many events were folded into it).
    pub version: u64,
    /// The schema version of the state's shape (e.g. [`crate::Account::SNAPSHOT_SCHEMA`]).
    pub schema: u32,
    /// The state as JSON text.
    pub state: String,
    /// FNV-1a of the fields above (see [`Snapshot::seal`]), written when the snapshot was taken.
    pub checksum: u64,
}

/// When to take snapshots and how many to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotPolicy {
    /// Take one every this many events (at versions `every`, `2 * every`, …); 0 never takes one.
    pub every: u64,
    /// Keep this many of the newest per stream (at least one).
    pub keep: usize,
}

/// Snapshots of many streams, newest last in each, trimmed by the policy.
#[derive(Clone, Debug, Default)]
pub struct Snapshots {
    by_stream: HashMap<StreamId, Vec<Snapshot>>,
}

/// What loading did: the state, which snapshot it started from, how many events it replayed, and
/// which snapshots it skipped and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded<S> {
    /// The state now.
    pub state: S,
    /// The version of the snapshot used, or `None` for a full replay.
    pub snapshot_version: Option<u64>,
    /// How many events were replayed on top of it.
    pub replayed: usize,
    /// The newer snapshots that could not be used, newest first.
    pub skipped: Vec<SkippedSnapshot>,
}

/// A snapshot that loading could not use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedSnapshot {
    /// Its version.
    pub version: u64,
    /// Why.
    pub reason: SkipReason,
}

/// Why a snapshot was skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The state's bytes no longer match the checksum: the snapshot is damaged.
    ChecksumMismatch {
        /// The checksum stored with the snapshot.
        stored: u64,
        /// The checksum of the state as it is now.
        computed: u64,
    },
    /// The state was saved in another shape than the code reads.
    SchemaMismatch {
        /// The snapshot's schema.
        found: u32,
        /// The schema the code reads.
        expected: u32,
    },
    /// The state's JSON does not decode.
    Undecodable(String),
    /// The snapshot is of another stream than the one being loaded.
    OtherStream {
        /// The stream it names.
        found: StreamId,
    },
    /// The snapshot claims more events than the stream has.
    BeyondStream {
        /// The stream's version.
        stream_version: u64,
    },
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte into a 64-bit FNV-1a hash.
fn fnv_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// 64-bit FNV-1a of `bytes`.
pub fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().copied().fold(FNV_OFFSET, fnv_step)
}

impl Snapshot {
    /// Saves `state` as of `version` of `stream`.
    pub fn take<S: Serialize>(stream: &StreamId, version: u64, schema: u32, state: &S) -> Result<Snapshot, String> {
        let state = serde_json::to_string(state).map_err(|error| error.to_string())?;
        let mut snapshot = Snapshot { stream: stream.clone(), version, schema, checksum: 0, state };
        snapshot.checksum = snapshot.seal();
        Ok(snapshot)
    }

    /// The checksum of the snapshot as it is now: FNV-1a over the stream, the version, the schema
    /// and the state, each followed by a newline (which no stream name holds).
    pub fn seal(&self) -> u64 {
        let (version, schema) = (self.version.to_string(), self.schema.to_string());
        [self.stream.as_str(), &version, &schema, &self.state]
            .iter()
            .flat_map(|part| part.bytes().chain(std::iter::once(b'\n')))
            .fold(FNV_OFFSET, fnv_step)
    }

    /// Reads the state back, checking checksum and schema first.
    pub fn decode<S: DeserializeOwned>(&self, schema: u32) -> Result<S, SkipReason> {
        let computed = self.seal();
        if computed != self.checksum {
            return Err(SkipReason::ChecksumMismatch { stored: self.checksum, computed });
        }
        if self.schema != schema {
            return Err(SkipReason::SchemaMismatch { found: self.schema, expected: schema });
        }
        serde_json::from_str(&self.state).map_err(|error| SkipReason::Undecodable(error.to_string()))
    }

    /// Damages the snapshot as a bad disk would: one digit of the state changes, the checksum stays.
    /// For the snapshot widget's "corrupt the latest snapshot" button.
    pub fn corrupt(&mut self) {
        let mut bytes = std::mem::take(&mut self.state).into_bytes();
        // Flip a digit if there is one (the JSON still parses, only the checksum notices), otherwise
        // the last byte's case.
        match bytes.iter().rposition(u8::is_ascii_digit) {
            Some(at) => bytes[at] = if bytes[at] == b'9' { b'0' } else { bytes[at] + 1 },
            None => {
                if let Some(last) = bytes.last_mut() {
                    *last ^= 0x20;
                }
            }
        }
        self.state = String::from_utf8_lossy(&bytes).into_owned();
    }
}

impl SnapshotPolicy {
    /// Whether a snapshot is due after the event with this version.
    pub fn due(&self, version: u64) -> bool {
        self.every > 0 && version > 0 && version.is_multiple_of(self.every)
    }
}

impl Default for SnapshotPolicy {
    /// Every 100 events, keeping the last 3.
    fn default() -> SnapshotPolicy {
        SnapshotPolicy { every: 100, keep: 3 }
    }
}

impl Snapshots {
    /// Adds a snapshot, then drops the oldest of its stream beyond `policy.keep`.
    pub fn record(&mut self, snapshot: Snapshot, policy: &SnapshotPolicy) {
        let kept = self.by_stream.entry(snapshot.stream.clone()).or_default();
        kept.retain(|old| old.version != snapshot.version);
        kept.push(snapshot);
        kept.sort_by_key(|snapshot| snapshot.version);
        let excess = kept.len().saturating_sub(policy.keep.max(1));
        kept.drain(..excess);
    }

    /// The snapshots kept for `stream`, oldest first.
    pub fn for_stream(&self, stream: &StreamId) -> &[Snapshot] {
        self.by_stream.get(stream).map(Vec::as_slice).unwrap_or_default()
    }

    /// Damages the newest snapshot of `stream` (see [`Snapshot::corrupt`]); false if there is none.
    pub fn corrupt_newest(&mut self, stream: &StreamId) -> bool {
        match self.by_stream.get_mut(stream).and_then(|kept| kept.last_mut()) {
            Some(newest) => {
                newest.corrupt();
                true
            }
            None => false,
        }
    }
}

/// Folds a whole stream once, taking snapshots along the way as `policy` says; returns the final
/// state and the snapshots kept (oldest first). How the snapshot lab prepares its stream.
pub fn build<S: Serialize, E>(
    stream: &StreamId,
    schema: u32,
    initial: S,
    events: &[E],
    mut evolve: impl FnMut(S, &E) -> S,
    policy: &SnapshotPolicy,
) -> Result<(S, Vec<Snapshot>), String> {
    let mut snapshots = Snapshots::default();
    let mut state = initial;
    for (version, event) in (1u64..).zip(events) {
        state = evolve(state, event);
        if policy.due(version) {
            snapshots.record(Snapshot::take(stream, version, schema, &state)?, policy);
        }
    }
    let kept = snapshots.by_stream.remove(stream).unwrap_or_default();
    Ok((state, kept))
}

/// Loads `stream`, held in memory: the newest usable snapshot (by version, ignoring order in
/// `snapshots`), then the events after it. `events[i]` is the event with version `i + 1`.
pub fn load<S: DeserializeOwned, E>(
    stream: &StreamId,
    snapshots: &[Snapshot],
    schema: u32,
    initial: S,
    events: &[E],
    mut evolve: impl FnMut(S, &E) -> S,
) -> Loaded<S> {
    let replayed = load_with(stream, snapshots, schema, events.len() as u64, initial, |state, from| {
        let tail = events.get(usize::try_from(from).unwrap_or(usize::MAX)..).unwrap_or_default();
        Ok::<_, std::convert::Infallible>((tail.iter().fold(state, &mut evolve), tail.len()))
    });
    match replayed {
        Ok(loaded) => loaded,
        Err(never) => match never {},
    }
}

/// Loads `stream` from wherever its events live: picks the newest usable snapshot of it with a
/// version at most `stream_version`, then calls `replay(state, version)` to fold the events after
/// `version` (0 for a full replay), which returns the state and how many events it folded.
pub fn load_with<S: DeserializeOwned, X>(
    stream: &StreamId,
    snapshots: &[Snapshot],
    schema: u32,
    stream_version: u64,
    initial: S,
    replay: impl FnOnce(S, u64) -> Result<(S, usize), X>,
) -> Result<Loaded<S>, X> {
    let mut newest_first: Vec<&Snapshot> = snapshots.iter().collect();
    newest_first.sort_by_key(|snapshot| std::cmp::Reverse(snapshot.version));
    let mut skipped = Vec::new();
    for snapshot in newest_first {
        let decoded = if snapshot.stream != *stream {
            Err(SkipReason::OtherStream { found: snapshot.stream.clone() })
        } else if snapshot.version > stream_version {
            Err(SkipReason::BeyondStream { stream_version })
        } else {
            snapshot.decode(schema)
        };
        match decoded {
            Ok(state) => {
                let (state, replayed) = replay(state, snapshot.version)?;
                return Ok(Loaded { state, snapshot_version: Some(snapshot.version), replayed, skipped });
            }
            Err(reason) => skipped.push(SkippedSnapshot { version: snapshot.version, reason }),
        }
    }
    let (state, replayed) = replay(initial, 0)?;
    Ok(Loaded { state, snapshot_version: None, replayed, skipped })
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::ChecksumMismatch { stored, computed } => write!(
                f,
                "its checksum does not match (stored {stored:016x}, computed {computed:016x}): it is damaged"
            ),
            SkipReason::SchemaMismatch { found, expected } => {
                write!(f, "it was saved with state schema {found}, but this code reads schema {expected}")
            }
            SkipReason::Undecodable(why) => write!(f, "its state does not decode: {why}"),
            SkipReason::OtherStream { found } => write!(f, "it is a snapshot of {found}, another stream"),
            SkipReason::BeyondStream { stream_version } => {
                write!(f, "it is newer than the stream, which has only {stream_version} events")
            }
        }
    }
}

impl fmt::Display for SkippedSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Skipped the snapshot at version {}: {}.", crate::money::grouped(self.version), self.reason)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::account::{evolve, Account};
    use crate::fold::fold;
    use crate::generate::{account_history, OWNER};

    fn lab(n: usize, policy: &SnapshotPolicy) -> (Vec<crate::Event>, Account, Vec<Snapshot>) {
        let events = account_history(3, n);
        let built = build(&OWNER.stream(), Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve, policy);
        let (state, snapshots) = built.unwrap_or_else(|error| panic!("accounts serialize: {error}"));
        (events, state, snapshots)
    }

    #[test]
    fn keeps_the_last_snapshots_and_loads_from_the_newest() {
        let (events, state, snapshots) = lab(1050, &SnapshotPolicy::default());
        assert_eq!(snapshots.iter().map(|s| s.version).collect::<Vec<_>>(), [800, 900, 1000]);
        let loaded = load(&OWNER.stream(), &snapshots, Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
        assert_eq!(loaded, Loaded { state, snapshot_version: Some(1000), replayed: 50, skipped: vec![] });
    }

    #[test]
    fn a_corrupt_snapshot_is_skipped_for_an_older_one() {
        let (events, state, snapshots) = lab(1050, &SnapshotPolicy::default());
        let mut kept = Snapshots::default();
        for snapshot in snapshots {
            kept.record(snapshot, &SnapshotPolicy::default());
        }
        assert!(kept.corrupt_newest(&OWNER.stream()));
        let loaded = load(&OWNER.stream(), kept.for_stream(&OWNER.stream()), Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
        assert_eq!((loaded.state, loaded.snapshot_version, loaded.replayed), (state, Some(900), 150));
        assert_eq!(loaded.skipped.len(), 1);
        assert!(matches!(loaded.skipped[0].reason, SkipReason::ChecksumMismatch { .. }));
        assert!(loaded.skipped[0].to_string().starts_with("Skipped the snapshot at version 1,000: its checksum"));
    }

    #[test]
    fn with_every_snapshot_unusable_it_replays_everything() {
        let (events, state, mut snapshots) = lab(350, &SnapshotPolicy { every: 100, keep: 3 });
        snapshots[2].corrupt();
        snapshots[1].schema = 99;
        snapshots[1].checksum = snapshots[1].seal();
        snapshots[0].state = "{\"not\": \"an account\"}".to_owned();
        snapshots[0].checksum = snapshots[0].seal();
        let beyond = Snapshot { version: 400, ..snapshots[2].clone() };
        snapshots.push(beyond);
        let loaded = load(&OWNER.stream(), &snapshots, Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
        assert_eq!((loaded.state, loaded.snapshot_version, loaded.replayed), (state, None, 350));
        let reasons: Vec<String> = loaded.skipped.iter().map(|s| format!("{} {}", s.version, s.reason)).collect();
        assert_eq!(reasons.len(), 4);
        assert!(reasons[0].starts_with("400 it is newer than the stream"));
        assert!(reasons[1].starts_with("300 its checksum does not match"));
        assert_eq!(reasons[2], "200 it was saved with state schema 99, but this code reads schema 1");
        assert!(reasons[3].starts_with("100 its state does not decode: missing field"));
    }

    #[test]
    fn a_snapshot_whose_version_or_stream_was_damaged_is_skipped() {
        let (events, state, mut snapshots) = lab(250, &SnapshotPolicy { every: 100, keep: 3 });
        // The newest claims to be 50 events older than it is: replaying from there would fold
        // those 50 events twice.
        snapshots[1].version = 150;
        let loaded = load(&OWNER.stream(), &snapshots, Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
        assert_eq!((&loaded.state, loaded.snapshot_version), (&state, Some(100)));
        assert!(matches!(loaded.skipped[0].reason, SkipReason::ChecksumMismatch { .. }));

        // Whole and sealed, but another stream's: never used for this one.
        let other = crate::id::StreamId::new("account-other").expect("a valid stream");
        let theirs = Snapshot::take(&other, 200, Account::SNAPSHOT_SCHEMA, &Account::default()).expect("serializes");
        let loaded = load(&OWNER.stream(), &[snapshots[0].clone(), theirs], Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
        assert_eq!((&loaded.state, loaded.snapshot_version), (&state, Some(100)));
        assert_eq!(loaded.skipped[0].to_string(), "Skipped the snapshot at version 200: it is a snapshot of account-other, another stream.");
    }

    #[test]
    fn checksum_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(checksum(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(checksum(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(checksum(b"foobar"), 0x8594_4171_f739_67e8);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn snapshot_plus_tail_equals_full_fold(
            seed in any::<u64>(),
            n in 0usize..600,
            k in 0usize..600,
            every in 1u64..80,
            keep in 1usize..4,
        ) {
            let events = account_history(seed, n);
            let policy = SnapshotPolicy { every, keep };
            let stream = OWNER.stream();
            let built = build(&stream, Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve, &policy);
            let (state, snapshots) = built.map_err(TestCaseError::fail)?;
            let full = fold(Account::default(), &events, evolve);
            prop_assert_eq!(state, full);
            let loaded = load(&OWNER.stream(), &snapshots, Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
            prop_assert_eq!(loaded.state, full);
            prop_assert_eq!(loaded.replayed as u64, n as u64 - loaded.snapshot_version.unwrap_or(0));
            // From any single snapshot, too.
            for snapshot in &snapshots {
                let loaded = load(&OWNER.stream(), std::slice::from_ref(snapshot), Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
                prop_assert_eq!(loaded.state, full);
                prop_assert_eq!(loaded.snapshot_version, Some(snapshot.version));
            }
            // And from a snapshot taken after any prefix of k events.
            let k = k.min(n);
            let past = crate::fold::state_at(Account::default(), &events, k, evolve);
            let at_k = Snapshot::take(&stream, k as u64, Account::SNAPSHOT_SCHEMA, &past).map_err(TestCaseError::fail)?;
            let loaded = load(&OWNER.stream(), &[at_k], Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve);
            prop_assert_eq!((loaded.state, loaded.replayed), (full, n - k));
        }
    }
}
