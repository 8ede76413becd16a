//! The snapshot lab: generate a long account stream in the browser, load it with and without
//! snapshots, time both for real, and damage a snapshot to watch loading fall back.

use foldlab_core::account::{evolve, Account, Event};
use foldlab_core::generate::{account_history, OWNER};
use foldlab_core::snapshot::{self, Loaded, SkipReason, Snapshot, SnapshotPolicy};
use leptos::prelude::*;

use crate::duration::{fixed, millis};

/// Stream lengths the learner can pick.
const LENGTHS: [usize; 3] = [1_000, 10_000, 100_000];
/// Snapshot intervals the learner can pick.
const INTERVALS: [u64; 3] = [10, 100, 1_000];
/// Snapshots kept per stream (the core's default policy keeps three).
const KEEP: usize = 3;
/// Events the "Add events" button writes after the stream, so the newest snapshot has a tail.
const MORE: usize = 25;
/// A load is repeated until this much time has passed, so the browser's coarse clock can time it.
const TIMING_WINDOW_MS: f64 = 25.0;
/// What a button that needs a stream says before there is one (they stay focusable).
const NO_STREAM: &str = "Generate a stream first: there is nothing to load, add to or damage yet.";

/// The generated stream and the snapshots taken along it.
#[derive(Clone)]
struct Stream {
    events: std::sync::Arc<Vec<Event>>,
    snapshots: Vec<Snapshot>,
    every: u64,
    generated_in_ms: f64,
}

/// One measured load.
#[derive(Clone)]
struct Measured {
    how: &'static str,
    /// How many events the stream held: adding events keeps the earlier loads to compare with.
    of: usize,
    loaded: Loaded<Account>,
    per_load_ms: f64,
    runs: u32,
}

/// The lab's signals, shared by its parts: `Copy`, so each handler and part of the view takes its own.
#[derive(Clone, Copy)]
struct Lab {
    /// The length picked for the next stream.
    length: RwSignal<usize>,
    /// The snapshot interval picked.
    every: RwSignal<u64>,
    stream: RwSignal<Option<Stream>>,
    results: RwSignal<Vec<Measured>>,
    /// Generating or loading: the buttons wait.
    busy: RwSignal<bool>,
    /// What the status line says.
    note: RwSignal<String>,
}

/// The widget.
#[component]
pub fn SnapshotLab() -> impl IntoView {
    let lab = Lab::default();
    view! {
        <section class="card widget snapshot-lab" aria-labelledby="snapshot-lab-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="snapshot-lab-title">"Snapshot lab"</h3>
            {stream_choice(lab)}
            {stream_actions(lab)}
            <p class="live-note" role="status" aria-busy=move || lab.busy.get().to_string()>{super::aloud(lab.note.into())}</p>
            <Show when=move || lab.has_stream()>
                <div class="lab-stream" aria-label="Snapshots along the stream">
                    {move || lab.stream.get().map(|stream| view! { <SnapshotStrip stream/> })}
                </div>
            </Show>
            <Show when=move || lab.results.with(|r| !r.is_empty())>
                {load_results(lab)}
            </Show>
        </section>
    }
}

/// The stream to generate: its length, its snapshot interval, and the button that generates it.
fn stream_choice(lab: Lab) -> impl IntoView {
    view! {
        <div class="row">
            <label class="field">
                "Events in the stream"
                <select
                    on:change=move |ev| lab.length.set(event_target_value(&ev).parse().unwrap_or(LENGTHS[2]))
                    prop:value=move || lab.length.get().to_string()
                >
                    {LENGTHS.iter().map(|n| view! { <option value=n.to_string()>{thousands(*n)}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                "Snapshot every"
                <select
                    on:change=move |ev| lab.change_interval(event_target_value(&ev).parse().unwrap_or(INTERVALS[1]))
                    prop:value=move || lab.every.get().to_string()
                >
                    {INTERVALS.iter().map(|n| view! { <option value=n.to_string()>{format!("{} events", thousands(*n as usize))}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" class="button primary" on:click=move |_| lab.generate() aria-disabled=move || lab.busy.get().then_some("true")>"Generate stream"</button>
        </div>
    }
}

/// What the learner does with a stream: load it both ways, add to it, damage or delete its snapshots.
fn stream_actions(lab: Lab) -> impl IntoView {
    let without_stream = move || (lab.busy.get() || !lab.has_stream()).then_some("true");
    let without_snapshots = move || (lab.busy.get() || !lab.has_snapshots()).then_some("true");
    view! {
        <div class="row lab-actions">
            <button type="button" class="button" on:click=move |_| lab.measure(false) aria-disabled=without_stream>"Load by full replay"</button>
            <button type="button" class="button" on:click=move |_| lab.measure(true) aria-disabled=without_stream>"Load with snapshots"</button>
            <button type="button" class="button" on:click=move |_| lab.add_events() aria-disabled=without_stream>{format!("Add {MORE} events")}</button>
            <button type="button" class="button" on:click=move |_| lab.corrupt() aria-disabled=without_snapshots>"Corrupt the newest snapshot"</button>
            <button type="button" class="button" on:click=move |_| lab.delete_all() aria-disabled=without_snapshots>"Delete all snapshots"</button>
        </div>
    }
}

/// The loads measured so far, newest first, and what starting from a snapshot saved.
fn load_results(lab: Lab) -> impl IntoView {
    view! {
        <div class="lab-results">
            <table class="stacked-table">
                <caption>"Loads measured in this browser, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"How"</th>
                        <th scope="col">"Started from"</th>
                        <th scope="col">"Events replayed"</th>
                        <th scope="col">"Time per load"</th>
                        <th scope="col">"Balance"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || lab.results.get().into_iter().rev().map(|m| view! {
                        <tr>
                            <td data-label="How">{m.how}</td>
                            <td data-label="Started from">{started_from(&m.loaded)}</td>
                            <td data-label="Replayed" class="money">{format!("{} of {}", thousands(m.loaded.replayed), thousands(m.of))}</td>
                            <td data-label="Time per load" class="money">{format!("{} ({} runs)", millis(m.per_load_ms), m.runs)}</td>
                            <td data-label="Balance" class="money">{m.loaded.state.balance().to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {move || lab.speedup().map(|(x, full, snap)| view! {
                <p class="lab-speedup">{format!(
                    "Starting from a snapshot took {} instead of {} for the full replay ({}× faster), and both reach the same balance. Is {} too slow for the page that loads it? That is the question to answer before adding snapshots.",
                    millis(snap), millis(full), fixed(x, 0), millis(full),
                )}</p>
            })}
        </div>
    }
}

/// The stream as a bar with the kept snapshots marked along it.
#[component]
fn SnapshotStrip(stream: Stream) -> impl IntoView {
    let total = stream.events.len().max(1) as f64;
    let label = format!(
        "The stream: {} events; snapshot policy: every {} events, keep the newest {}",
        thousands(stream.events.len()), thousands(stream.every as usize), KEEP
    );
    view! {
        <p class="lab-strip-label">{label}</p>
        <div class="lab-strip" role="img" aria-label="The stream from its first to its last event, with the snapshots kept">
            {stream.snapshots.iter().map(|s| {
                let left = format!("left: {}%", fixed(s.version as f64 / total * 100.0, 2));
                let damaged = !readable(s);
                view! {
                    <span class="lab-snapshot" class:damaged=damaged style=left title=format!("snapshot at version {}", thousands(s.version as usize))></span>
                }
            }).collect_view()}
        </div>
        {end_of_stream(&stream).map(|end| {
            let width = (end.last - end.first).max(1) as f64;
            let at = move |version: u64| fixed(version.saturating_sub(end.first) as f64 / width * 100.0, 2);
            let enlarged = format!("Its last {} events, enlarged", thousands((end.last - end.first) as usize));
            let said = match end.readable {
                Some(version) => format!(
                    "{enlarged}: a load starts from the newest readable snapshot and replays the {} after it",
                    thousands((end.last - version) as usize)
                ),
                None => format!("{enlarged}: no snapshot can be read, so a load replays all {} events", thousands(end.last as usize)),
            };
            let from = end.readable.unwrap_or(end.first);
            view! {
                <p class="lab-strip-label">{said.clone()}</p>
                <div class="lab-strip lab-strip-end" role="img" aria-label=said>
                    <span class="lab-tail" style=format!("left: {}%; right: 0", at(from))></span>
                    {stream.snapshots.iter().map(|s| {
                        let damaged = !readable(s);
                        view! { <span class="lab-snapshot" class:damaged=damaged style=format!("left: {}%", at(s.version))></span> }
                    }).collect_view()}
                </div>
            }
        })}
        <ul class="lab-snapshot-list">
            {stream.snapshots.iter().map(|s| {
                let damaged = !readable(s);
                view! {
                    <li class="chip chip-model" class:chip-reject=damaged>
                        <span class="chip-kind">{if damaged { "snapshot (damaged)" } else { "snapshot" }}</span>
                        <span class="chip-name">{format!("up to event {}", thousands(s.version as usize))}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

impl Default for Lab {
    fn default() -> Lab {
        Lab {
            length: RwSignal::new(LENGTHS[2]),
            every: RwSignal::new(INTERVALS[1]),
            stream: RwSignal::new(None),
            results: RwSignal::new(Vec::new()),
            busy: RwSignal::new(false),
            note: RwSignal::new(String::from("Generate a stream to begin.")),
        }
    }
}

impl Lab {
    fn has_stream(self) -> bool {
        self.stream.with(Option::is_some)
    }

    fn has_snapshots(self) -> bool {
        self.stream.with(|s| s.as_ref().is_some_and(|s| !s.snapshots.is_empty()))
    }

    /// Generates `n` events (the same seed, so a longer stream extends a shorter one's story) and
    /// snapshots them; `said` says what happened once it is done. The loads measured so far stay
    /// when the stream is `extended` (they are what the longer stream's loads compare with).
    fn make(self, n: usize, every: u64, extended: bool, said: fn(&Stream) -> String) {
        // The buttons stay focusable while the lab works (aria-disabled), so a press can come now.
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.note.set(format!("Generating {} events and a snapshot every {} events…", thousands(n), thousands(every as usize)));
        // Hand the browser a frame to paint the progress message before the work starts.
        after_paint(move || {
            let started = now();
            let events = account_history(7, n);
            match take_snapshots(&events, every) {
                Ok(snapshots) => {
                    let made = Stream { events: std::sync::Arc::new(events), snapshots, every, generated_in_ms: now() - started };
                    self.note.set(said(&made));
                    self.stream.set(Some(made));
                    if !extended {
                        self.results.set(Vec::new());
                    }
                }
                Err(error) => self.note.set(error),
            }
            self.busy.set(false);
        });
    }

    fn generate(self) {
        self.make(self.length.get_untracked(), self.every.get_untracked(), false, |made| {
            format!(
                "Generated {} events in {} ms. Snapshots kept: {}.",
                thousands(made.events.len()), fixed(made.generated_in_ms, 0), kept_versions(&made.snapshots)
            )
        })
    }

    fn add_events(self) {
        let Some((n, every)) = self.stream.with_untracked(|s| s.as_ref().map(|s| (s.events.len(), s.every))) else {
            self.note.set(NO_STREAM.into());
            return;
        };
        self.make(n + MORE, every, true, |made| {
            let newest = made.snapshots.last().map_or(0, |s| s.version as usize);
            format!(
                "Added {MORE} events: the stream holds {} now, and {} came after the newest snapshot (at {}). Load with snapshots to replay only those.",
                thousands(made.events.len()), thousands(made.events.len() - newest), thousands(newest)
            )
        })
    }

    /// A new interval takes the stream's snapshots again, as a changed policy would on the next write.
    fn change_interval(self, interval: u64) {
        self.every.set(interval);
        let retaken = self.stream.with_untracked(|s| s.as_ref().map(|s| take_snapshots(&s.events, interval)));
        match retaken {
            Some(Ok(snapshots)) => {
                self.note.set(format!(
                    "Took the snapshots again, every {} events. Kept: {}.",
                    thousands(interval as usize), kept_versions(&snapshots)
                ));
                self.stream.update(|s| {
                    if let Some(s) = s {
                        s.snapshots = snapshots;
                        s.every = interval;
                    }
                });
            }
            Some(Err(error)) => self.note.set(error),
            None => {}
        }
    }

    /// Loads the stream by full replay, or from its newest readable snapshot, and times the load.
    fn measure(self, with_snapshots: bool) {
        let Some(current) = self.stream.get_untracked() else {
            self.note.set(NO_STREAM.into());
            return;
        };
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.note.set("Loading…".into());
        after_paint(move || {
            let kept: &[Snapshot] = if with_snapshots { &current.snapshots } else { &[] };
            let load = || snapshot::load(&OWNER.stream(), kept, Account::SNAPSHOT_SCHEMA, Account::default(), &current.events, evolve);
            let (loaded, per_load_ms, runs) = timed(load);
            let how = match (with_snapshots, loaded.snapshot_version.is_some()) {
                (true, true) => "Newest snapshot + tail",
                (true, false) => "Full replay (no snapshot to start from)",
                (false, _) => "Full replay",
            };
            self.note.set(describe(how, &loaded, per_load_ms));
            let of = current.events.len();
            self.results.update(|r| r.push(Measured { how, of, loaded, per_load_ms, runs }));
            self.busy.set(false);
        });
    }

    fn corrupt(self) {
        if self.busy.get_untracked() {
            return;
        }
        self.stream.update(|stream| {
            let Some(stream) = stream else {
                self.note.set(NO_STREAM.into());
                return;
            };
            match stream.snapshots.last_mut() {
                Some(newest) => {
                    newest.corrupt();
                    self.note.set(format!(
                        "Damaged the snapshot at version {}: one digit of its state changed, its checksum did not. Load with snapshots to see what happens.",
                        thousands(newest.version as usize)
                    ));
                }
                None => self.note.set("There is no snapshot left to damage.".into()),
            }
        })
    }

    fn delete_all(self) {
        if self.busy.get_untracked() {
            return;
        }
        let deleted = self.stream.try_update(|s| s.as_mut().map(|s| std::mem::take(&mut s.snapshots).len())).flatten();
        self.note.set(match deleted {
            Some(1..) => "Deleted every snapshot. The events are all still there, so loading can always rebuild the state. \
                          To take snapshots again, pick another interval or generate the stream again."
                .into(),
            _ => "There are no snapshots to delete.".into(),
        });
    }

    /// (times faster, full replay ms, snapshot ms) from the latest load of each kind, in whichever
    /// order they were made, of the stream as long as it is now (both reach the same balance),
    /// and only while snapshots exist: once they are deleted, an older row's speed-up
    /// would describe snapshots that are gone.
    fn speedup(self) -> Option<(f64, f64, f64)> {
        if !self.has_snapshots() {
            return None;
        }
        self.results.with(|r| {
            // Of the stream as it is now: after Add 25 events, the earlier loads stay to compare
            // with, but they are no measure of this one.
            let of = self.stream.with(|s| s.as_ref().map(|s| s.events.len()))?;
            let snap = r.iter().rev().find(|m| m.of == of && m.loaded.snapshot_version.is_some())?;
            let full = r.iter().rev().find(|m| m.of == of && m.loaded.snapshot_version.is_none())?;
            (snap.per_load_ms > 0.0).then(|| (full.per_load_ms / snap.per_load_ms, full.per_load_ms, snap.per_load_ms))
        })
    }
}

/// The end of a stream, enlarged under the whole of it: at a hundred thousand events to the bar,
/// the kept snapshots share its last pixel, and the events a load replays after them cannot be seen.
#[derive(Clone, Copy)]
struct EndOfStream {
    /// The version the enlarged bar starts at: half a snapshot interval before the oldest kept.
    first: u64,
    /// The stream's last version.
    last: u64,
    /// The newest snapshot that reads, where a load starts.
    readable: Option<u64>,
}

/// Where to enlarge the stream; none without snapshots (the whole bar is then what a load replays).
fn end_of_stream(stream: &Stream) -> Option<EndOfStream> {
    let oldest = stream.snapshots.iter().map(|s| s.version).min()?;
    let readable = stream.snapshots.iter().filter(|s| readable(s)).map(|s| s.version).max();
    Some(EndOfStream { first: oldest.saturating_sub(stream.every / 2), last: stream.events.len() as u64, readable })
}

/// Whether a snapshot reads as this build's account state: a load starts only from one that does.
fn readable(snapshot: &Snapshot) -> bool {
    snapshot.decode::<Account>(Account::SNAPSHOT_SCHEMA).is_ok()
}

/// The snapshots of `events`, one every `every` events, the newest [`KEEP`] kept.
fn take_snapshots(events: &[Event], every: u64) -> Result<Vec<Snapshot>, String> {
    let policy = SnapshotPolicy { every, keep: KEEP };
    snapshot::build(&OWNER.stream(), Account::SNAPSHOT_SCHEMA, Account::default(), events, evolve, &policy)
        .map(|(_, snapshots)| snapshots)
        .map_err(|error| format!("Could not take a snapshot: {error}"))
}

/// "3 (at versions 99,800, 99,900, 100,000)", or "none".
fn kept_versions(snapshots: &[Snapshot]) -> String {
    if snapshots.is_empty() {
        return "none".into();
    }
    let versions = snapshots.iter().map(|s| thousands(s.version as usize)).collect::<Vec<_>>().join(", ");
    let at = if snapshots.len() == 1 { "version" } else { "versions" };
    format!("{} (at {at} {versions})", snapshots.len())
}

fn started_from(loaded: &Loaded<Account>) -> String {
    let base = match loaded.snapshot_version {
        Some(version) => format!("snapshot at {}", thousands(version as usize)),
        None => "the first event".to_string(),
    };
    if loaded.skipped.is_empty() {
        base
    } else {
        let skipped = loaded
            .skipped
            .iter()
            // The status line says why in full (checksums and all); a cell names the reason.
            .map(|s| {
                let why = match s.reason {
                    SkipReason::ChecksumMismatch { .. } | SkipReason::Undecodable(_) => "damaged",
                    SkipReason::SchemaMismatch { .. } => "an older shape",
                    SkipReason::OtherStream { .. } => "another stream's",
                    SkipReason::BeyondStream { .. } => "past the stream's end",
                };
                format!("the one at {} skipped: {why}", thousands(s.version as usize))
            })
            .collect::<Vec<_>>()
            .join("; ");
        format!("{base} ({skipped})")
    }
}

fn describe(how: &str, loaded: &Loaded<Account>, per_load_ms: f64) -> String {
    let skipped = loaded.skipped.iter().map(|s| format!(" {s}")).collect::<String>();
    match loaded.snapshot_version {
        Some(version) => format!(
            "{how}: started from the snapshot at event {}, replayed {} events in {}. Balance {}.{skipped}",
            thousands(version as usize), thousands(loaded.replayed), millis(per_load_ms), loaded.state.balance()
        ),
        None => format!(
            "{how}: replayed all {} events from the first one in {}. Balance {}.{skipped}",
            thousands(loaded.replayed), millis(per_load_ms), loaded.state.balance()
        ),
    }
}

/// Runs `load` repeatedly for at least [`TIMING_WINDOW_MS`] and returns the last result, the mean
/// time per load and the number of runs: the browser's clock is too coarse to time one fast load.
fn timed<T>(mut load: impl FnMut() -> T) -> (T, f64, u32) {
    let started = now();
    let mut runs = 1;
    let mut result = load();
    while now() - started < TIMING_WINDOW_MS && runs < 100_000 {
        result = load();
        runs += 1;
    }
    (result, (now() - started) / f64::from(runs), runs)
}

fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Runs `work` after the browser has painted, so a progress message shows first.
fn after_paint(work: impl FnOnce() + 'static) {
    set_timeout(work, std::time::Duration::from_millis(20));
}

/// `100000` as "100,000", grouped as the core groups euros.
fn thousands(n: usize) -> String {
    foldlab_core::money::grouped(n as u64)
}

