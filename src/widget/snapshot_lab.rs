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

/// The generated stream and the snapshots taken along it.
#[derive(Clone)]
struct Lab {
    events: std::sync::Arc<Vec<Event>>,
    snapshots: Vec<Snapshot>,
    every: u64,
    generated_in_ms: f64,
}

/// One measured load.
#[derive(Clone)]
struct Measured {
    how: &'static str,
    loaded: Loaded<Account>,
    per_load_ms: f64,
    runs: u32,
}

/// The widget.
#[component]
pub fn SnapshotLab() -> impl IntoView {
    let length = RwSignal::new(LENGTHS[2]);
    let every = RwSignal::new(INTERVALS[1]);
    // What a button that needs a stream says before there is one (they stay focusable).
    const NO_STREAM: &str = "Generate a stream first: there is nothing to load, add to or damage yet.";
    let lab = RwSignal::new(None::<Lab>);
    let results = RwSignal::new(Vec::<Measured>::new());
    let busy = RwSignal::new(false);
    let note = RwSignal::new(String::from("Generate a stream to begin."));

    // Generates `n` events (the same seed, so a longer stream extends a shorter one's story) and
    // snapshots them; `said` says what happened once it is done.
    let make = move |n: usize, every: u64, said: fn(&Lab) -> String| {
        // The buttons stay focusable while the lab works (aria-disabled), so a press can come now.
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        note.set(format!("Generating {} events and a snapshot every {} events…", thousands(n), thousands(every as usize)));
        // Hand the browser a frame to paint the progress message before the work starts.
        after_paint(move || {
            let started = now();
            let events = account_history(7, n);
            match take_snapshots(&events, every) {
                Ok(snapshots) => {
                    let made = Lab { events: std::sync::Arc::new(events), snapshots, every, generated_in_ms: now() - started };
                    note.set(said(&made));
                    lab.set(Some(made));
                    results.set(Vec::new());
                }
                Err(error) => note.set(error),
            }
            busy.set(false);
        });
    };
    let generate = move |_| {
        make(length.get_untracked(), every.get_untracked(), |made| {
            format!(
                "Generated {} events in {} ms. Snapshots kept: {}.",
                thousands(made.events.len()), fixed(made.generated_in_ms, 0), kept_versions(&made.snapshots)
            )
        })
    };
    let add_events = move |_| {
        let Some((n, every)) = lab.with_untracked(|l| l.as_ref().map(|l| (l.events.len(), l.every))) else {
            note.set(NO_STREAM.into());
            return;
        };
        make(n + MORE, every, |made| {
            let newest = made.snapshots.last().map_or(0, |s| s.version as usize);
            format!(
                "Added {MORE} events: the stream holds {} now, and {} came after the newest snapshot (at {}). Load with snapshots to replay only those.",
                thousands(made.events.len()), thousands(made.events.len() - newest), thousands(newest)
            )
        })
    };
    // A new interval takes the stream's snapshots again, as a changed policy would on the next write.
    let change_interval = move |interval: u64| {
        every.set(interval);
        let retaken = lab.with_untracked(|l| l.as_ref().map(|l| take_snapshots(&l.events, interval)));
        match retaken {
            Some(Ok(snapshots)) => {
                note.set(format!(
                    "Took the snapshots again, every {} events. Kept: {}.",
                    thousands(interval as usize), kept_versions(&snapshots)
                ));
                lab.update(|l| {
                    if let Some(l) = l {
                        l.snapshots = snapshots;
                        l.every = interval;
                    }
                });
            }
            Some(Err(error)) => note.set(error),
            None => {}
        }
    };

    let run = move |with_snapshots: bool| {
        let Some(current) = lab.get_untracked() else {
            note.set(NO_STREAM.into());
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        note.set("Loading…".into());
        after_paint(move || {
            let kept: &[Snapshot] = if with_snapshots { &current.snapshots } else { &[] };
            let load = || snapshot::load(&OWNER.stream(), kept, Account::SNAPSHOT_SCHEMA, Account::default(), &current.events, evolve);
            let (loaded, per_load_ms, runs) = timed(load);
            let how = match (with_snapshots, loaded.snapshot_version.is_some()) {
                (true, true) => "Newest snapshot + tail",
                (true, false) => "Full replay (no snapshot to start from)",
                (false, _) => "Full replay",
            };
            note.set(describe(how, &loaded, per_load_ms));
            results.update(|r| r.push(Measured { how, loaded, per_load_ms, runs }));
            busy.set(false);
        });
    };

    let corrupt = move |_| {
        if busy.get_untracked() {
            return;
        }
        lab.update(|lab| {
            let Some(lab) = lab else {
                note.set(NO_STREAM.into());
                return;
            };
            match lab.snapshots.last_mut() {
                Some(newest) => {
                    newest.corrupt();
                    note.set(format!(
                        "Damaged the snapshot at version {}: one digit of its state changed, its checksum did not. Load with snapshots to see what happens.",
                        thousands(newest.version as usize)
                    ));
                }
                None => note.set("There is no snapshot left to damage.".into()),
            }
        })
    };
    let delete_all = move |_| {
        if busy.get_untracked() {
            return;
        }
        let deleted = lab.try_update(|lab| lab.as_mut().map(|lab| std::mem::take(&mut lab.snapshots).len())).flatten();
        note.set(match deleted {
            Some(1..) => "Deleted every snapshot. The events are all still there, so loading can always rebuild the state.".into(),
            _ => "There are no snapshots to delete.".into(),
        });
    };

    let has_lab = move || lab.with(Option::is_some);
    let has_snapshots = move || lab.with(|l| l.as_ref().is_some_and(|l| !l.snapshots.is_empty()));
    // The latest load of each kind, in whichever order they were made, and only while snapshots
    // exist: once they are deleted, an older row's speed-up would describe snapshots that are gone.
    let speedup = move || {
        if !has_snapshots() {
            return None;
        }
        results.with(|r| {
            let snap = r.iter().rev().find(|m| m.loaded.snapshot_version.is_some())?;
            let full = r.iter().rev().find(|m| m.loaded.snapshot_version.is_none())?;
            (snap.per_load_ms > 0.0).then(|| (full.per_load_ms / snap.per_load_ms, full.per_load_ms, snap.per_load_ms))
        })
    };

    view! {
        <section class="card widget snapshot-lab" aria-labelledby="snapshot-lab-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="snapshot-lab-title">"Snapshot lab"</h3>
            <div class="row">
                <label class="field">
                    "Events in the stream"
                    <select
                        on:change=move |ev| length.set(event_target_value(&ev).parse().unwrap_or(LENGTHS[2]))
                        prop:value=move || length.get().to_string()
                    >
                        {LENGTHS.iter().map(|n| view! { <option value=n.to_string()>{thousands(*n)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    "Snapshot every"
                    <select
                        on:change=move |ev| change_interval(event_target_value(&ev).parse().unwrap_or(INTERVALS[1]))
                        prop:value=move || every.get().to_string()
                    >
                        {INTERVALS.iter().map(|n| view! { <option value=n.to_string()>{format!("{} events", thousands(*n as usize))}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" class="button primary" on:click=generate aria-disabled=move || busy.get().then_some("true")>"Generate stream"</button>
            </div>
            <div class="row lab-actions">
                <button type="button" class="button" on:click=move |_| run(false) aria-disabled=move || (busy.get() || !has_lab()).then_some("true")>"Load by full replay"</button>
                <button type="button" class="button" on:click=move |_| run(true) aria-disabled=move || (busy.get() || !has_lab()).then_some("true")>"Load with snapshots"</button>
                <button type="button" class="button" on:click=add_events aria-disabled=move || (busy.get() || !has_lab()).then_some("true")>{format!("Add {MORE} events")}</button>
                <button type="button" class="button" on:click=corrupt aria-disabled=move || (busy.get() || !has_snapshots()).then_some("true")>"Corrupt the newest snapshot"</button>
                <button type="button" class="button" on:click=delete_all aria-disabled=move || (busy.get() || !has_snapshots()).then_some("true")>"Delete all snapshots"</button>
            </div>
            <p class="live-note" role="status" aria-busy=move || busy.get().to_string()>{super::aloud(note.into())}</p>
            <Show when=has_lab>
                <div class="lab-stream" aria-label="Snapshots along the stream">
                    {move || lab.get().map(|lab| view! { <SnapshotStrip lab/> })}
                </div>
            </Show>
            <Show when=move || results.with(|r| !r.is_empty())>
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
                            {move || results.get().into_iter().rev().map(|m| view! {
                                <tr>
                                    <td data-label="How">{m.how}</td>
                                    <td data-label="Started from">{started_from(&m.loaded)}</td>
                                    <td data-label="Replayed" class="money">{thousands(m.loaded.replayed)}</td>
                                    <td data-label="Time per load" class="money">{format!("{} ({} runs)", millis(m.per_load_ms), m.runs)}</td>
                                    <td data-label="Balance" class="money">{m.loaded.state.balance().to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {move || speedup().map(|(x, full, snap)| view! {
                        <p class="lab-speedup">{format!(
                            "Starting from a snapshot took {} instead of {} for the full replay ({}× faster), and both reach the same balance. Is {} too slow for the page that loads it? That is the question to answer before adding snapshots.",
                            millis(snap), millis(full), fixed(x, 0), millis(full),
                        )}</p>
                    })}
                </div>
            </Show>
        </section>
    }
}

/// The stream as a bar with the kept snapshots marked along it.
#[component]
fn SnapshotStrip(lab: Lab) -> impl IntoView {
    let total = lab.events.len().max(1) as f64;
    let label = format!(
        "The stream: {} events; snapshot policy: every {} events, keep the newest {}",
        thousands(lab.events.len()), thousands(lab.every as usize), KEEP
    );
    view! {
        <p class="lab-strip-label">{label}</p>
        <div class="lab-strip" role="img" aria-label="The stream from its first to its last event, with the snapshots kept">
            {lab.snapshots.iter().map(|s| {
                let left = format!("left: {}%", fixed(s.version as f64 / total * 100.0, 2));
                let damaged = !readable(s);
                view! {
                    <span class="lab-snapshot" class:damaged=damaged style=left title=format!("snapshot at version {}", thousands(s.version as usize))></span>
                }
            }).collect_view()}
        </div>
        {end_of_stream(&lab).map(|end| {
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
                    {lab.snapshots.iter().map(|s| {
                        let damaged = !readable(s);
                        view! { <span class="lab-snapshot" class:damaged=damaged style=format!("left: {}%", at(s.version))></span> }
                    }).collect_view()}
                </div>
            }
        })}
        <ul class="lab-snapshot-list">
            {lab.snapshots.iter().map(|s| {
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
fn end_of_stream(lab: &Lab) -> Option<EndOfStream> {
    let oldest = lab.snapshots.iter().map(|s| s.version).min()?;
    let readable = lab.snapshots.iter().filter(|s| readable(s)).map(|s| s.version).max();
    Some(EndOfStream { first: oldest.saturating_sub(lab.every / 2), last: lab.events.len() as u64, readable })
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

