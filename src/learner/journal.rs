//! The running app's handle on the learner's log: append an event to the store, then the progress
//! it adds up to follows. The store lives in localStorage, or in memory when the browser refuses;
//! damaged data found on opening is set aside (see `foldlab_core::segments`) and the learner told.

use std::collections::HashSet;

use foldlab_core::segments::Opened;
use foldlab_core::store::{AppendError, BackendError, Break, EventStore, NewEvent, Reconciled, RecordedEvent};
use foldlab_core::upcast::Upcasters;
use foldlab_core::{EventId, ExpectedVersion, StreamId, Timestamp};
use leptos::prelude::*;

use super::event::{decode, decode_new, schema, upcasters, Dated};
use super::{LearnerEvent, Progress};
use crate::storage::{self, LogChange, Place};

/// The stream holding the learner's own events.
pub const STREAM: &str = "learner";

/// Something about storage the learner should know, shown in a banner on every page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// What happened and what it means for their progress.
    pub text: String,
    /// Whether "Your event log" has something to offer (damaged data to download, an export).
    pub see_log: bool,
}

#[derive(Clone, Copy)]
struct Views {
    events: ReadSignal<Vec<Dated>>,
    progress: ReadSignal<Progress>,
    notice: ReadSignal<Option<Notice>>,
}

/// The learner's log as the UI sees it.
#[derive(Clone, Copy)]
pub struct Journal {
    store: StoredValue<EventStore<Place>, LocalStorage>,
    chain: StoredValue<Upcasters, LocalStorage>,
    /// Bumped whenever the log changed, for views that read it through [`Journal::with_records`]
    /// (the store already holds every event; a second copy cost a fifth of a cold start).
    changed: RwSignal<u64>,
    /// The head of the log that `events` and `progress` have folded.
    folded: StoredValue<u64>,
    events: RwSignal<Vec<Dated>>,
    progress: RwSignal<Progress>,
    notice: RwSignal<Option<Notice>>,
    /// Read-only views, made once under the app's owner: `read_only()` allocates a signal owned by
    /// its caller, which would die with a component while a callback (a finished run) still holds it.
    views: Views,
    /// This tab's prefix for event ids, so two tabs never mint the same id.
    origin: StoredValue<(String, u64), LocalStorage>,
    /// Events the storage refused (it was full), oldest first: shown for this visit and written
    /// before the next event, so making room and going on loses nothing.
    unsaved: StoredValue<Vec<(NewEvent, Timestamp)>, LocalStorage>,
    /// The events this tab's last start over deleted, for a moment after it: another tab that
    /// appended on its copy of the old log, before it heard of the start over, writes them back.
    erased: StoredValue<Option<Erased>, LocalStorage>,
    /// Why the stored log is too damaged to open and could not be set aside, if it is: this visit
    /// runs in memory, and a start over deletes the stored log so that the course saves again.
    stranded: StoredValue<Option<String>>,
    /// The notice that another tab's write could not be read, while it is up: taken down once the
    /// log reads again (that tab, or this one, may have mended it meanwhile).
    unread: StoredValue<Option<String>>,
}

/// The ids a start over deleted, and until when (wall-clock milliseconds) their return means a
/// stale tab wrote them back rather than an import.
struct Erased {
    ids: HashSet<EventId>,
    until: f64,
}

/// How long after a start over this tab undoes another tab's stale write of the old log: other
/// tabs hear of the start over within a tenth of a second.
const ERASED_FOR_MS: f64 = 2_000.0;

impl Erased {
    /// Whether the start over was a moment ago.
    fn active(&self) -> bool {
        js_sys::Date::now() < self.until
    }
}

impl Journal {
    /// Appends an event (with any the storage refused earlier, in one write) and folds it into the
    /// progress; when the storage refuses it, it still counts for this visit and is kept to save
    /// with the next one.
    pub fn record(&self, event: LearnerEvent) {
        let data = event.data();
        let id = event.once_id().or_else(|| {
            self.origin.try_update_value(|(prefix, n)| {
                *n += 1;
                format!("{prefix}-{n}")
            })
        });
        let Some(Ok(id)) = id.map(|id| EventId::new(&id)) else { return };
        let new = NewEvent { id, event_type: event.type_name().to_string(), schema: schema(event.type_name()), data };
        // Refused earlier events go first, in one append with this one: all are stored or none.
        let batch: Vec<NewEvent> = self
            .unsaved
            .try_with_value(|unsaved| unsaved.iter().map(|(new, _)| new.clone()).chain([new.clone()]).collect())
            .unwrap_or_else(|| vec![new.clone()]);
        let at = self.clock();
        let retrying = batch.len() > 1;
        let result = measured("foldlab:append", || {
            let append = || {
                let stream = StreamId::new(STREAM).map_err(|e| e.to_string())?;
                let appended = self.store.try_update_value(|store| {
                    store.append(&stream, ExpectedVersion::Any, batch.clone(), at)
                });
                appended.ok_or_else(|| "the log is gone".to_owned())
            };
            let mut result = append();
            if let Ok(Err(AppendError::Backend(BackendError::Corrupt(_)))) = &result {
                // The stored log no longer continues the one this page read: another tab started
                // over while this page missed it (it was in the back-forward cache). Read it afresh
                // and append to that.
                self.follow(true);
                result = append();
            }
            let result = result.and_then(|appended| appended.map_err(|e| e.to_string()));
            if result.is_ok() && !retrying {
                // The store caught up with other tabs before it wrote: fold, no second read.
                self.follow(false);
            }
            result
        });
        match result {
            Ok(_) if retrying => {
                // The refused events already count in the progress shown: fold the log afresh
                // rather than apply them twice.
                let _ = self.unsaved.try_update_value(Vec::clear);
                self.rebuild();
                self.notice.set(Some(Notice {
                    text: "Saved after all: what could not be saved earlier is now in your log.".to_owned(),
                    see_log: false,
                }));
            }
            Ok(_) => {}
            Err(reason) => self.keep_unsaved(vec![new], &reason),
        }
    }

    /// The time this tab records an event at: now, or the newest time the learner's log already
    /// holds if that is later (a file from a device whose clock runs ahead, or this clock set
    /// back), so that what the learner does now is always their newest choice.
    fn clock(&self) -> Timestamp {
        crate::clock::now().max(self.progress.with_untracked(Progress::newest_at))
    }

    /// Keeps events the storage refused for this visit and for the next append, and says so. They
    /// are dated once, as they were refused, so a later rebuild folds them as it did then.
    fn keep_unsaved(&self, refused: Vec<NewEvent>, reason: &str) {
        let at = self.clock();
        let events: Vec<Dated> =
            refused.iter().filter_map(|new| self.chain.with_value(|chain| decode_new(chain, new)).map(|event| Dated { at, event })).collect();
        let _ = self.unsaved.try_update_value(|unsaved| unsaved.extend(refused.into_iter().map(|new| (new, at))));
        self.notice.set(Some(Notice {
            text: format!(
                "Your progress could not be saved: {reason} It is still shown, and the course saves it with your \
                 next step once there is room; a reload before that loses it. To make room, clear other \
                 sites' data in your browser's settings."
            ),
            see_log: true,
        }));
        // The page keeps working: the events still count for this visit.
        self.progress.update(|progress| *progress = events.iter().fold(std::mem::take(progress), Progress::apply));
        self.events.update(|all| all.extend(events));
    }

    /// The learner's events, in the log's order.
    pub fn events(&self) -> ReadSignal<Vec<Dated>> {
        self.views.events
    }

    /// Reads every stored event of the log (the learner's and the sandbox bank's), in global order,
    /// as this journal last read them; a reactive read, run again when the log changes. The
    /// sandbox bank on this page writes through a store of its own, and other tabs' writes arrive
    /// a moment later: call [`Journal::refresh`] first to include them.
    pub fn with_records<T>(&self, read: impl FnOnce(&[RecordedEvent]) -> T) -> T {
        self.changed.track();
        self.store.with_value(|store| read(store.read_all(1)))
    }

    /// The progress folded from the whole log (kept up to date event by event).
    pub fn progress(&self) -> ReadSignal<Progress> {
        self.views.progress
    }

    /// A message about storage the learner should see, if any.
    pub fn notice(&self) -> ReadSignal<Option<Notice>> {
        self.views.notice
    }

    /// Damaged data set aside when the log was opened: key and raw text.
    pub fn quarantined(&self) -> Vec<(String, String)> {
        self.store.with_value(|store| match store.backend() {
            Place::Local(backend) => backend.quarantined().unwrap_or_default(),
            Place::Memory(_) => Vec::new(),
        })
    }

    /// The stored log this visit could not open nor set aside (see [`Journal::start_over`]): why,
    /// and its keys as they are stored, as a JSON record like a quarantined one, to download
    /// before a start over deletes them.
    pub fn stranded(&self) -> Option<(String, String)> {
        let why = self.stranded.get_value()?;
        // Written out by hand: a JSON map built of `serde_json::Value`s cost 2.4 KB of wasm gzip.
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        let keys: Vec<String> = storage::log_keys().unwrap_or_default().iter().map(|(key, text)| format!("{}:{}", quoted(key), quoted(text))).collect();
        let record = format!("{{\"reason\":{},\"keys\":{{{}}}}}", quoted(&why), keys.join(","));
        Some((why, record))
    }

    /// Deletes one record of damaged data.
    pub fn discard_quarantined(&self, key: &str) -> Result<(), String> {
        self.store.with_value(|store| match store.backend().clone() {
            Place::Local(mut backend) => backend.discard_quarantined(key).map_err(|e| e.to_string()),
            Place::Memory(_) => Ok(()),
        })
    }

    /// Adds `events` (read from an export) to the log, in order, in one write: all of them or none.
    /// Events already in the log are skipped, as retried appends are. Returns how many were new.
    pub fn merge(&self, events: &[RecordedEvent]) -> Result<usize, String> {
        let merged = self.store.try_update_value(|store| store.merge(events).map_err(|e| merge_refused(&e)));
        // Brought back on purpose, so not to be undone as another tab's stale write.
        self.erased.update_value(|erased| {
            if let Some(erased) = erased {
                for event in events {
                    erased.ids.remove(&event.id);
                }
            }
        });
        self.follow(false);
        merged.unwrap_or_else(|| Err("the log is gone".to_owned())).map(|added| added.len())
    }

    /// Replaces the whole log with `events`; on failure the old log is written back.
    pub fn replace(&self, events: &[RecordedEvent]) -> Result<usize, String> {
        let old = self.store.with_value(|store| store.read_all(1).to_vec());
        self.start_over()?;
        match self.merge(events) {
            Ok(added) => Ok(added),
            Err(reason) => {
                let restored = self.start_over().and_then(|()| self.merge(&old));
                Err(match restored {
                    Ok(_) => format!("{}. Your log was put back as it was.", reason.trim_end_matches('.')),
                    Err(again) => format!("{}. Putting your log back failed too ({again}): export it from another tab if one is open.", reason.trim_end_matches('.')),
                })
            }
        }
    }

    /// Deletes the log from this browser (damaged data set aside stays until deleted on its own).
    pub fn start_over(&self) -> Result<(), String> {
        let ids: HashSet<EventId> = self.store.with_value(|store| store.read_all(1).iter().map(|event| event.id.clone()).collect());
        let stranded = self.stranded.with_value(Option::is_some);
        let erased = self.store.with_value(|store| match store.backend().clone() {
            Place::Local(mut backend) => backend.erase().map(|()| Place::Local(backend)),
            // The stored log could not be opened: delete it, and save to localStorage again.
            Place::Memory(_) if stranded => storage::erase().and_then(|()| storage::open()).map(|(backend, _)| Place::Local(backend)),
            Place::Memory(_) => Ok(Place::memory()),
        });
        let place = erased.map_err(|e| e.to_string())?;
        if stranded {
            self.stranded.set_value(None);
            self.notice.set(None);
        }
        let store = EventStore::open(place).map_err(|e| e.to_string())?;
        self.store.set_value(store);
        // A start over just after another keeps the first one's ids too: the old log may come back
        // in more than one write.
        let mut ids = ids;
        if let Some(earlier) = self.erased.try_update_value(Option::take).flatten().filter(Erased::active) {
            ids.extend(earlier.ids);
        }
        self.erased.set_value(Some(Erased { ids, until: js_sys::Date::now() + ERASED_FOR_MS }));
        self.follow(false);
        Ok(())
    }

    /// Undoes another tab's write of events this tab's start over had just deleted: that tab
    /// appended on its copy of the old log before it heard of the start over, so its write holds
    /// the old log too (or, past its first segment, a log that does not even read: `unreadable`).
    /// The log is started over again with only what is new in it: the learner's events, and the
    /// sandbox's on accounts with nothing from the old log (an account's new event decided on its
    /// deleted history would stand alone).
    fn keep_erased(&self, unreadable: bool) {
        let back = self.erased.with_value(|erased| {
            let erased = erased.as_ref().filter(|erased| erased.active())?;
            let all = self.store.with_value(|store| store.read_all(1).to_vec());
            let old: HashSet<&StreamId> = all.iter().filter(|event| erased.ids.contains(&event.id)).map(|event| &event.stream).collect();
            (unreadable || !old.is_empty()).then(|| {
                all.iter()
                    .filter(|event| !erased.ids.contains(&event.id) && (event.stream.as_str() == STREAM || !old.contains(&event.stream)))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        });
        let Some(new) = back else { return };
        if self.start_over().is_ok() {
            let _ = self.merge(&new);
        }
    }

    /// Reads what other tabs (or the sandbox) appended and folds only that into the progress, so
    /// an append costs the same on a long log as on a short one.
    pub fn refresh(&self) {
        let caught_up = self.store.try_update_value(|store| store.catch_up().map_err(|e| e.to_string()));
        let reopen = matches!(caught_up, Some(Err(_)));
        self.follow(reopen);
    }

    /// Follows another tab's write to the log, including one made over this tab's latest events
    /// from a copy of localStorage that had not seen them yet (two tabs acting at once): the store
    /// writes this tab's events again (`EventStore::reconcile`) and the progress is folded afresh.
    pub fn reconcile(&self) {
        let reconciled = self.store.try_update_value(|store| store.reconcile(crate::clock::now()));
        if matches!(reconciled, Some(Ok(_))) {
            self.read_again();
        }
        match reconciled {
            Some(Ok(Reconciled::CaughtUp { .. })) => self.follow(false),
            Some(Ok(Reconciled::Replaced)) => self.rebuild(),
            Some(Ok(Reconciled::Raced { lost, failure, .. })) => {
                self.rebuild();
                // Learner events are appended whatever the log holds, so only a refused write
                // (a full storage) loses one here: keep it as a refused append is kept.
                let (learner, imported): (Vec<RecordedEvent>, Vec<RecordedEvent>) =
                    lost.into_iter().partition(|event| event.stream.as_str() == STREAM);
                if !learner.is_empty() {
                    let reason = failure.map_or_else(|| "it could not be written again.".to_owned(), |error| error.to_string());
                    self.keep_unsaved(learner.iter().map(NewEvent::from).collect(), &reason);
                }
                if !imported.is_empty() {
                    self.notice.set(Some(Notice {
                        text: format!(
                            "{} from an import could not be saved again after another tab wrote at the same moment: \
                             import the file again.",
                            crate::plural::count(imported.len(), "event")
                        ),
                        see_log: true,
                    }));
                }
            }
            Some(Err(_)) if self.erased.with_value(|erased| erased.as_ref().is_some_and(Erased::active)) => self.keep_erased(true),
            Some(Err(_)) => self.follow(true),
            None => {}
        }
        self.keep_erased(false);
    }

    /// Folds what the store holds beyond what was folded; `reopen` first reads the stored log afresh,
    /// for when it no longer continues ours (another tab started over or replaced it).
    fn follow(&self, reopen: bool) {
        let known = self.folded.get_value();
        let mut rebuild = false;
        if reopen {
            let reopened = self.store.with_value(|store| EventStore::open(store.backend().clone()));
            match reopened {
                Ok(store) => {
                    self.store.set_value(store);
                    self.read_again();
                    rebuild = true;
                }
                Err(reason) => {
                    let text = format!("Another tab's progress could not be read: {reason}");
                    self.unread.set_value(Some(text.clone()));
                    self.notice.set(Some(Notice { text, see_log: false }));
                }
            }
        }
        let head = self.store.with_value(EventStore::head);
        if rebuild || head < known {
            self.rebuild();
        } else if head > known {
            let events = self.store.with_value(|store| self.chain.with_value(|chain| learner_events(chain, store.read_all(known + 1))));
            self.progress.update(|progress| *progress = events.iter().fold(std::mem::take(progress), Progress::apply));
            self.events.update(|all| all.extend(events));
            self.folded.set_value(head);
            self.changed.update(|n| *n += 1);
        }
    }

    /// Takes down the notice that another tab's write could not be read, if it is still up: the
    /// log reads again.
    fn read_again(&self) {
        let Some(text) = self.unread.try_update_value(Option::take).flatten() else { return };
        if self.notice.with_untracked(|notice| notice.as_ref().is_some_and(|notice| notice.text == text)) {
            self.notice.set(None);
        }
    }

    /// Folds the events and the progress afresh from every stored event.
    fn rebuild(&self) {
        let head = self.store.with_value(EventStore::head);
        let mut events = self.store.with_value(|store| self.chain.with_value(|chain| learner_events(chain, store.read_all(1))));
        // What the storage refused still counts for this visit, as when it was refused.
        self.unsaved.with_value(|unsaved| {
            self.chain.with_value(|chain| {
                events.extend(unsaved.iter().filter_map(|(new, at)| decode_new(chain, new).map(|event| Dated { at: *at, event })))
            });
        });
        self.progress.set(Progress::from_events(events.iter()));
        self.events.set(events);
        self.folded.set_value(head);
        self.changed.update(|n| *n += 1);
    }
}

/// Why a merge stored nothing, in the learner's words.
fn merge_refused(error: &AppendError) -> String {
    match error {
        AppendError::IdReused { id } => format!("the file's event {id} has the id of a different event in your log."),
        other => other.to_string(),
    }
}

/// Runs `work` between two performance marks and records the span as the measure `name`, so the
/// benchmark (and a curious learner's performance panel) can read how long opening and appending took.
fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let Some(clock) = window().performance() else { return work() };
    let (start, end) = (format!("{name}:start"), format!("{name}:end"));
    let _ = clock.mark(&start);
    let result = work();
    let _ = clock.mark(&end);
    let _ = clock.measure_with_start_mark_and_end_mark(name, &start, &end);
    clock.clear_marks_with_mark_name(&start);
    clock.clear_marks_with_mark_name(&end);
    result
}

fn learner_events(chain: &Upcasters, records: &[RecordedEvent]) -> Vec<Dated> {
    records.iter().filter(|r| r.stream.as_str() == STREAM).filter_map(|r| decode(chain, r)).collect()
}

/// Opens the log (localStorage if possible), provides the journal and follows other tabs.
pub fn provide() -> Journal {
    let (store, notice, events, progress, stranded) = measured("foldlab:open-log", open_log);
    let head = store.head();
    let prefix = format!("t{:x}{:04x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 65536.0) as u32);
    let (events, progress, notice) = (RwSignal::new(events), RwSignal::new(progress), RwSignal::new(notice));
    let views = Views { events: events.read_only(), progress: progress.read_only(), notice: notice.read_only() };
    let journal = Journal {
        store: StoredValue::new_local(store),
        chain: StoredValue::new_local(upcasters()),
        changed: RwSignal::new(0),
        folded: StoredValue::new(head),
        events,
        progress,
        notice,
        views,
        origin: StoredValue::new_local((prefix, 0)),
        unsaved: StoredValue::new_local(Vec::new()),
        erased: StoredValue::new_local(None),
        stranded: StoredValue::new(stranded),
        unread: StoredValue::new(None),
    };
    provide_context(journal);
    // Another tab wrote: follow it, so its progress shows here within a moment. Back from the
    // back-forward cache, read the log afresh, as after a start over (it may have been replaced).
    // The journal lasts the page's life, and so does its following: the handle is dropped.
    let _lasts_the_page = storage::follow_other_tabs(
        move |change| match change {
            LogChange::Written => journal.reconcile(),
            LogChange::Erased => {
                // What this tab could not save yet was made before the learner deleted everything.
                journal.unsaved.update_value(Vec::clear);
                journal.follow(true);
            }
        },
        move || journal.follow(true),
    );
    journal
}

/// Opens the log and folds it: what a cold start costs (measured as `foldlab:open-log`).
// Never inlined, so profiles show it as one frame (bench/profile-cold-start.mjs looks for it).
#[inline(never)]
fn open_log() -> (EventStore<Place>, Option<Notice>, Vec<Dated>, Progress, Option<String>) {
    let mut stranded = None;
    let (place, notice) = match storage::open() {
        Ok((backend, opened)) => (Place::Local(backend), opening_notice(&opened)),
        Err(BackendError::Corrupt(why)) => {
            let notice = stranded_notice(&why);
            stranded = Some(why);
            (Place::memory(), Some(notice))
        }
        Err(reason) => {
            let text = format!("Your progress will not be kept after this visit: {}.", storage::why_not_kept(reason).trim_end_matches('.'));
            (Place::memory(), Some(Notice { text, see_log: false }))
        }
    };
    let (store, notice) = match EventStore::open_prefix(place) {
        Ok((store, None)) => (store, notice),
        Ok((store, Some(broken))) => match set_aside(store, &broken) {
            Ok(recovered) => recovered,
            Err(why) => {
                let notice = stranded_notice(&why);
                stranded = Some(why);
                (memory_store(), Some(notice))
            }
        },
        Err(reason) => {
            let text = format!("Your progress will not be kept after this visit: {}.", reason.to_string().trim_end_matches('.'));
            (memory_store(), Some(Notice { text, see_log: false }))
        }
    };
    let chain = upcasters();
    let events = learner_events(&chain, store.read_all(1));
    let progress = Progress::from_events(events.iter());
    (store, notice, events, progress, stranded)
}

/// What the learner is told about a stored log too damaged to open and to set aside.
fn stranded_notice(why: &str) -> Notice {
    Notice {
        text: format!(
            "Your saved progress is damaged ({}), so this visit is not kept. Your event log offers the saved log for \
             download; Start over there deletes it, damaged part included, and the course saves your progress again.",
            why.trim_end_matches('.')
        ),
        see_log: true,
    }
}

/// The store after setting aside what follows a break it found on opening (an event out of step
/// with its stream, an id stored twice: damage the layout cannot see), as opening sets aside
/// damage it finds itself; in memory, with a notice, when the log is a newer version's; why not,
/// when there is no room to set it aside.
fn set_aside(store: EventStore<Place>, broken: &Break) -> Result<(EventStore<Place>, Option<Notice>), String> {
    let quarantine = match store.backend() {
        Place::Local(backend) => backend.clone().set_aside_after(store.read_all(1), &broken.reason, crate::clock::now()),
        Place::Memory(_) => Err(BackendError::Corrupt(broken.reason.clone())),
    };
    match quarantine {
        Ok(quarantine) => {
            let opened = Opened::Recovered { kept: store.head(), reason: broken.reason.clone(), quarantine };
            let notice = opening_notice(&opened);
            Ok((store, notice))
        }
        Err(BackendError::Full) => Err(format!("{}, and there is no room to set the damaged part aside", broken.reason)),
        Err(_) => {
            let text = format!("Your progress will not be kept after this visit: {}.", broken.reason);
            Ok((memory_store(), Some(Notice { text, see_log: false })))
        }
    }
}

/// What the learner is told about a log that opened but not as expected.
fn opening_notice(opened: &Opened) -> Option<Notice> {
    match opened {
        Opened::Intact => None,
        Opened::Recovered { kept, reason, .. } => Some(Notice {
            text: format!(
                "Part of your saved progress was damaged ({reason}). {} and the damaged data was set aside, \
                 not deleted: you can download it from your event log.",
                match kept {
                    0 => "No event before the damage could be kept,".to_owned(),
                    1 => "The one event before the damage was kept,".to_owned(),
                    n => format!("The {n} events before the damage were kept,"),
                }
            ),
            see_log: true,
        }),
        Opened::Newer { .. } => Some(Notice {
            text: "Your progress was saved by a newer version of foldlab. This version shows it but will not change it: \
                   what you do now is not kept."
                .to_owned(),
            see_log: false,
        }),
    }
}

fn memory_store() -> EventStore<Place> {
    match EventStore::open(Place::memory()) {
        Ok(store) => store,
        // An empty in-memory store reads back nothing and cannot fail.
        Err(reason) => panic!("an empty in-memory event store failed to open: {reason}"),
    }
}

/// The journal provided by the app.
pub fn use_journal() -> Journal {
    expect_context::<Journal>()
}
