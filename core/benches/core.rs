//! Benchmarks of the core's three budgets: fold throughput, append cost against stream length, and
//! snapshot load against full replay. Criterion measures each; a closing section measures the ratios
//! again side by side in one run and prints them against the budgets.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use foldlab_core::account::{evolve, replay, Account, Event};
use foldlab_core::bank::Bank;
use foldlab_core::generate::{account_history, OWNER};
use foldlab_core::snapshot::{self, Snapshot, SnapshotPolicy};
use foldlab_core::store::{EventStore, ExpectedVersion, MemoryBackend, NewEvent, Timestamp};
use foldlab_core::{EventId, Money, StreamId};

const AT: Timestamp = Timestamp(1_714_566_600_000);
const SEED: u64 = 42;

fn fold_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("fold");
    for n in [1_000, 100_000, 1_000_000] {
        let events = account_history(SEED, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &events, |b, events| {
            b.iter(|| replay(black_box(events.as_slice())))
        });
    }
    group.finish();
}

/// A backend holding one account stream of `n` generated events, stored as JSON, appended one by
/// one as an app would.
fn stored_stream(n: usize) -> MemoryBackend {
    let backend = MemoryBackend::default();
    let mut store = EventStore::open(backend.clone()).unwrap_or_else(|e| panic!("{e}"));
    for (i, event) in account_history(SEED, n).iter().enumerate() {
        let new = vec![event.to_new_event(event_id("old", i))];
        store.append(&OWNER.stream(), ExpectedVersion::Exact(i as u64), new, AT).unwrap_or_else(|e| panic!("{e}"));
    }
    backend
}

fn event_id(prefix: &str, i: usize) -> EventId {
    EventId::new(&format!("{prefix}-{i}")).unwrap_or_else(|e| panic!("{e}"))
}

/// Appends `count` one-event batches to a fresh copy of `base` and returns the time spent appending
/// (copying the store and preparing the events are not timed). The stream grows by `count` during
/// the run, so `count` stays small against the stream's length.
fn time_appends(base: &MemoryBackend, count: usize) -> Duration {
    let mut store = EventStore::open(base.fork()).unwrap_or_else(|e| panic!("{e}"));
    let stream = OWNER.stream();
    let amount = Money::from_cents(1250).unwrap_or(Money::MAX);
    let batches: Vec<Vec<NewEvent>> =
        (0..count).map(|i| vec![Event::MoneyDeposited { amount }.to_new_event(event_id("new", i))]).collect();
    let start = Instant::now();
    for batch in batches {
        let expected = ExpectedVersion::Exact(store.stream_version(&stream));
        black_box(store.append(&stream, expected, batch, AT)).unwrap_or_else(|e| panic!("{e}"));
    }
    start.elapsed()
}

/// Appends per fresh copy: 10 on the short stream (it stays at 10 to 20 events), 100 on the long one.
fn appends_per_copy(length: usize) -> usize {
    if length < 1000 {
        10
    } else {
        100
    }
}

fn append_cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("append one event");
    group.measurement_time(Duration::from_secs(1)).warm_up_time(Duration::from_millis(300));
    for length in [10, 10_000] {
        let base = stored_stream(length);
        let per_copy = appends_per_copy(length);
        group.bench_function(BenchmarkId::new("stream of", length), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    let count = per_copy.min((iters - done) as usize);
                    total += time_appends(&base, count);
                    done += count as u64;
                }
                total
            })
        });
    }
    group.finish();
}

/// The snapshot lab's setup: 100,000 events, snapshots every 100, the last 3 kept.
fn snapshot_lab() -> (Vec<Event>, Vec<Snapshot>) {
    let events = account_history(SEED, 100_000);
    let policy = SnapshotPolicy { every: 100, keep: 3 };
    let stream: StreamId = OWNER.stream();
    let (_, snapshots) = snapshot::build(&stream, Account::SNAPSHOT_SCHEMA, Account::default(), &events, evolve, &policy)
        .unwrap_or_else(|e| panic!("{e}"));
    (events, snapshots)
}

/// The snapshots with the newest damaged, so loading falls back to the one 100 events older.
fn with_newest_corrupted(snapshots: &[Snapshot]) -> Vec<Snapshot> {
    let mut damaged = snapshots.to_vec();
    if let Some(newest) = damaged.last_mut() {
        newest.corrupt();
    }
    damaged
}

fn load_typed(events: &[Event], snapshots: &[Snapshot]) -> Account {
    snapshot::load(&OWNER.stream(), snapshots, Account::SNAPSHOT_SCHEMA, Account::default(), events, evolve).state
}

fn snapshot_load(c: &mut Criterion) {
    let (events, snapshots) = snapshot_lab();
    let mut group = c.benchmark_group("load 100k-event stream, typed events");
    group.bench_function("full replay", |b| b.iter(|| load_typed(black_box(&events), &[])));
    group.bench_function("newest snapshot + tail", |b| b.iter(|| load_typed(black_box(&events), &snapshots)));
    let damaged = with_newest_corrupted(&snapshots);
    group.bench_function("newest corrupt, older snapshot + 100", |b| {
        b.iter(|| load_typed(black_box(&events), &damaged))
    });
    group.finish();

    let bank = Bank::open(stored_stream(100_000)).unwrap_or_else(|e| panic!("{e}"));
    let mut group = c.benchmark_group("load 100k-event stream, stored JSON");
    group.sample_size(10).measurement_time(Duration::from_secs(3));
    group.bench_function("full replay", |b| b.iter(|| bank.load_account(&OWNER, &[])));
    group.bench_function("newest snapshot + tail", |b| b.iter(|| bank.load_account(&OWNER, black_box(&snapshots))));
    let damaged = with_newest_corrupted(&snapshots);
    group.bench_function("newest corrupt, older snapshot + 100", |b| {
        b.iter(|| bank.load_account(&OWNER, black_box(&damaged)))
    });
    group.finish();
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times[runs / 2]
}

fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

/// Measures each budget again as a ratio within this one run and prints it.
fn ratios() {
    println!("\nBudgets, measured side by side (medians):");
    for n in [1_000, 100_000, 1_000_000] {
        let events = account_history(SEED, n);
        let repeat = (10_000_000 / n).max(1);
        let time = median(9, || {
            timed(|| {
                for _ in 0..repeat {
                    black_box(replay(black_box(&events)));
                }
            })
        });
        let per_second = (n * repeat) as f64 / time.as_secs_f64();
        println!("  fold {n:>9} events: {:>6.0} million events/s (budget: at least 100)", per_second / 1e6);
    }
    let (short, long) = (stored_stream(10), stored_stream(10_000));
    let per_append = |base: &MemoryBackend, length: usize| {
        let count = appends_per_copy(length);
        median(201, || time_appends(base, count)).as_secs_f64() / count as f64
    };
    let (short, long) = (per_append(&short, 10), per_append(&long, 10_000));
    println!(
        "  append: {:.2} µs on a 10-event stream, {:.2} µs on a 10,000-event stream: ratio {:.2} (budget: at most 1.5)",
        short * 1e6,
        long * 1e6,
        long / short
    );
    let (events, snapshots) = snapshot_lab();
    let full = median(21, || timed(|| load_typed(&events, &[])));
    let from_snapshot = median(201, || timed(|| load_typed(&events, &snapshots)));
    println!(
        "  load 100,000 typed events: full replay {:.1} µs, snapshot + tail {:.2} µs: {:.0}x faster (budget: at least 100x)",
        full.as_secs_f64() * 1e6,
        from_snapshot.as_secs_f64() * 1e6,
        full.as_secs_f64() / from_snapshot.as_secs_f64()
    );
    let damaged = with_newest_corrupted(&snapshots);
    let fallback = median(201, || timed(|| load_typed(&events, &damaged)));
    println!(
        "  same, newest snapshot corrupt: older snapshot + 100 events {:.2} µs: {:.0}x faster than full replay",
        fallback.as_secs_f64() * 1e6,
        full.as_secs_f64() / fallback.as_secs_f64()
    );
    let bank = Bank::open(stored_stream(100_000)).unwrap_or_else(|e| panic!("{e}"));
    let full = median(5, || timed(|| bank.load_account(&OWNER, &[])));
    let from_snapshot = median(101, || timed(|| bank.load_account(&OWNER, &snapshots)));
    let fallback = median(101, || timed(|| bank.load_account(&OWNER, &damaged)));
    println!(
        "  load 100,000 stored JSON events: full replay {:.1} ms, snapshot + tail {:.1} µs ({:.0}x faster), \
         newest corrupt {:.1} µs ({:.0}x faster)",
        full.as_secs_f64() * 1e3,
        from_snapshot.as_secs_f64() * 1e6,
        full.as_secs_f64() / from_snapshot.as_secs_f64(),
        fallback.as_secs_f64() * 1e6,
        full.as_secs_f64() / fallback.as_secs_f64()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));
    targets = fold_throughput, append_cost, snapshot_load
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs this binary in test mode: the ratios are for real runs only.
    if !std::env::args().any(|arg| arg == "--test") {
        ratios();
    }
}
