//! The concurrency race (lesson concurrency): two clerks read account A, each decides a €80
//! withdrawal on what it read, and both write to one shared store. Naive writes (no version check)
//! overdraw the account; appends with an expected version make the second one fail with the store's
//! conflict, and a retry on fresh state is refused by the decider. A deposit's append sent twice (its
//! answer lost) with the same event id is stored once.

use foldlab_core::account::{decide, evolve, Account, Command, Event};
use foldlab_core::store::{AppendError, EventStore};
use foldlab_core::{AccountId, Balance, Cents, EventId, ExpectedVersion, Money, NewEvent};
use leptos::prelude::*;

use crate::clock::now;
use crate::storage::Place;

use super::chip::{chip, event_chip};
use super::focus_soon;

const A: AccountId = AccountId::constant("A");
/// What each clerk is asked to withdraw, in cents.
const WITHDRAWAL: i64 = 8_000;
/// What the retried deposit is worth, in cents.
const DEPOSIT: i64 = 1_000;
/// How many steps the timeline shows; older ones are counted.
const SHOWN: usize = 12;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Naive,
    Expected,
}

/// What a clerk read: the stream version and the state folded from it.
#[derive(Clone, Copy)]
struct Seen {
    version: u64,
    state: Account,
}

/// One clerk: its own view of the shared store (as a second browser tab has), what it last read,
/// and what it would compute for a CRUD row.
struct Clerk {
    store: EventStore<Place>,
    seen: Option<Seen>,
    /// The append was refused with a conflict: the clerk may retry on fresh state.
    may_retry: bool,
    /// Asked to withdraw before reading.
    unread: bool,
}

/// One step of the race, for the timeline.
#[derive(Clone)]
struct Step {
    actor: String,
    /// The command chip, if the step sent one.
    command: Option<String>,
    /// How the command was written or what was read, in small print.
    how: String,
    outcome: Outcome,
}

#[derive(Clone)]
enum Outcome {
    Read { version: u64, balance: Balance },
    Appended(Vec<(u64, Event)>),
    Conflict { expected: u64, actual: u64, sentence: String },
    Rejected(String),
    StoredOnce { id: String, length: usize },
    Failed(String),
}

/// Both clerks and the bank's append code on one shared log.
struct Race {
    mode: Mode,
    clerks: [Clerk; 2],
    /// A third view of the same log, for showing it and for the append code.
    log: EventStore<Place>,
    steps: Vec<Step>,
    next_id: u32,
    deposits: u32,
    /// What each clerk would have written on a CRUD row, in order (last write wins): the balance it
    /// read minus €80.
    row_writes: Vec<(usize, Balance)>,
    /// Writes decided on a version the stream had already left: (clerk, decided on, found).
    stale: Vec<(usize, u64, u64)>,
    /// Cents the clerks' appended withdrawals paid out.
    paid_out: i64,
    conflicts: usize,
}

impl Race {
    fn new(mode: Mode) -> Result<Race, String> {
        let shared = Place::memory();
        let open = |b: &Place| EventStore::open(b.clone()).map_err(|e| e.to_string());
        let mut log = open(&shared)?;
        // The starting history comes from the decider: opened, then €100 deposited.
        let mut state = Account::default();
        let mut setup = Vec::new();
        for command in [Command::OpenAccount { owner: None }, Command::DepositMoney { amount: Cents(10_000) }] {
            for event in decide(&command, &state).map_err(|e| e.to_string())? {
                state = evolve(state, &event);
                let id = EventId::new(&format!("setup-{}", setup.len() + 1)).map_err(|e| e.to_string())?;
                setup.push(event.to_new_event(id));
            }
        }
        log.append(&A.stream(), ExpectedVersion::NoStream, setup, now()).map_err(|e| e.to_string())?;
        let clerk = || -> Result<Clerk, String> { Ok(Clerk { store: open(&shared)?, seen: None, may_retry: false, unread: false }) };
        Ok(Race {
            mode,
            clerks: [clerk()?, clerk()?],
            log,
            steps: Vec::new(),
            next_id: 0,
            deposits: 0,
            row_writes: Vec::new(),
            stale: Vec::new(),
            paid_out: 0,
            conflicts: 0,
        })
    }

    fn history(store: &EventStore<Place>) -> Vec<(u64, Event)> {
        store.read_stream(&A.stream(), 1).filter_map(|r| Some((r.version, Event::from_recorded(r).ok()?))).collect()
    }

    fn balance(&self) -> Balance {
        Race::history(&self.log).iter().fold(Account::default(), |s, (_, e)| evolve(s, e)).balance()
    }

    fn step(&mut self, actor: String, command: Option<String>, how: String, outcome: Outcome) {
        self.steps.push(Step { actor, command, how, outcome });
    }

    /// The clerk catches up with the shared log and folds A's stream.
    fn read(&mut self, clerk: usize) -> String {
        let who = format!("Clerk {}", clerk + 1);
        let me = &mut self.clerks[clerk];
        if let Err(error) = me.store.catch_up() {
            let said = format!("{who} could not read: {error}");
            self.step(who, None, String::new(), Outcome::Failed(error.to_string()));
            return said;
        }
        let events = Race::history(&me.store);
        let state = events.iter().fold(Account::default(), |s, (_, e)| evolve(s, e));
        let version = events.len() as u64;
        me.seen = Some(Seen { version, state });
        me.may_retry = false;
        me.unread = false;
        self.step(who.clone(), None, "read account A".to_owned(), Outcome::Read { version, balance: state.balance() });
        format!("{who} read account A at version {version}: balance {}.", state.balance())
    }

    /// The clerk decides a €80 withdrawal on what it read and writes it: unconditionally in naive
    /// mode, with the version it read as the expected version otherwise.
    fn withdraw(&mut self, clerk: usize) -> String {
        let who = format!("Clerk {}", clerk + 1);
        let Some(seen) = self.clerks[clerk].seen else {
            self.clerks[clerk].unread = true;
            return format!("{who} has not read the account yet: a clerk decides on what it has read, so read first.");
        };
        let command = Command::WithdrawMoney { amount: Cents(WITHDRAWAL) };
        let asked = format!("WithdrawMoney {}", Cents(WITHDRAWAL));
        let events = match decide(&command, &seen.state) {
            Ok(events) => events,
            Err(rejection) => {
                self.clerks[clerk].seen = None;
                let how = format!("decided on version {} ({})", seen.version, seen.state.balance());
                self.step(who.clone(), Some(asked), how, Outcome::Rejected(rejection.to_string()));
                return format!("{who}'s withdrawal was rejected by the decider: {rejection} Nothing was appended.");
            }
        };
        self.next_id += 1;
        let new: Vec<NewEvent> = events
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some(e.to_new_event(EventId::new(&format!("clerk{}-{}-{i}", clerk + 1, self.next_id)).ok()?)))
            .collect();
        let (expected, how) = match self.mode {
            Mode::Naive => (ExpectedVersion::Any, format!("decided on version {} ({}), appends with no version check", seen.version, seen.state.balance())),
            Mode::Expected => (
                ExpectedVersion::Exact(seen.version),
                format!("decided on version {} ({}), appends expecting version {}", seen.version, seen.state.balance(), seen.version),
            ),
        };
        let result = self.clerks[clerk].store.append(&A.stream(), expected, new, now());
        let _ = self.log.catch_up();
        self.clerks[clerk].seen = None;
        match result {
            Ok(appended) => {
                let stored: Vec<(u64, Event)> =
                    appended.events.iter().filter_map(|r| Some((r.version, Event::from_recorded(r).ok()?))).collect();
                self.paid_out += WITHDRAWAL;
                let found = appended.stream_version.saturating_sub(stored.len() as u64);
                if found > seen.version {
                    self.stale.push((clerk, seen.version, found));
                }
                // What this clerk would have written on a CRUD row: the balance it read minus €80.
                let computed = Balance::from_cents(seen.state.balance().cents() - WITHDRAWAL);
                self.row_writes.push((clerk, computed));
                self.step(who.clone(), Some(asked), how, Outcome::Appended(stored));
                let balance = self.balance();
                if balance.cents() < 0 {
                    format!("{who}'s withdrawal landed as version {}. Account A is now overdrawn at {balance}.", appended.stream_version)
                } else {
                    format!("{who}'s withdrawal landed as version {}. Balance {balance}.", appended.stream_version)
                }
            }
            Err(AppendError::Conflict(conflict)) => {
                self.conflicts += 1;
                self.clerks[clerk].may_retry = true;
                let expected = match conflict.expected { ExpectedVersion::Exact(v) => v, _ => seen.version };
                let said = format!("{who}'s append failed. {conflict}");
                self.step(who, Some(asked), how, Outcome::Conflict { expected, actual: conflict.actual, sentence: conflict.to_string() });
                said
            }
            Err(other) => {
                self.step(who.clone(), Some(asked), how, Outcome::Failed(other.to_string()));
                format!("{who}'s append failed: {other}")
            }
        }
    }

    /// After a conflict: read fresh state, and decide again on it.
    fn retry(&mut self, clerk: usize) -> String {
        let read = self.read(clerk);
        let decided = self.withdraw(clerk);
        format!("{read} {decided}")
    }

    /// The bank's append code sends a deposit's append, loses the store's answer, and sends the
    /// same append again: the same event id.
    fn deposit_twice(&mut self) -> String {
        self.deposits += 1;
        let id = format!("dep-{}", self.deposits);
        let (Ok(amount), Ok(event_id)) = (Money::from_cents(DEPOSIT), EventId::new(&id)) else {
            return "The deposit could not be made.".to_owned();
        };
        if let Err(error) = self.log.catch_up() {
            return format!("The append code could not read: {error}");
        }
        let before = Race::history(&self.log).len();
        let expected = match self.mode {
            Mode::Naive => ExpectedVersion::Any,
            Mode::Expected => ExpectedVersion::Exact(before as u64),
        };
        let how_first = format!("appends a deposit with event id {id}");
        let how_again = format!("lost the store's answer, so sends the same append (event id {id}) again");
        let asked = format!("DepositMoney {amount}");
        let mut lengths = vec![before];
        for attempt in 0..2 {
            let event = Event::MoneyDeposited { amount }.to_new_event(event_id.clone());
            let how = if attempt == 0 { how_first.clone() } else { how_again.clone() };
            match self.log.append(&A.stream(), expected, vec![event], now()) {
                Ok(appended) => {
                    let length = Race::history(&self.log).len();
                    lengths.push(length);
                    let outcome = if appended.events.is_empty() {
                        Outcome::StoredOnce { id: id.clone(), length }
                    } else {
                        Outcome::Appended(appended.events.iter().filter_map(|r| Some((r.version, Event::from_recorded(r).ok()?))).collect())
                    };
                    self.step("Append code".to_owned(), Some(asked.clone()), how, outcome);
                }
                Err(error) => {
                    self.step("Append code".to_owned(), Some(asked.clone()), how, Outcome::Failed(error.to_string()));
                    return format!("The deposit failed: {error}");
                }
            }
        }
        format!(
            "Sent the same {amount} deposit (event id {id}) twice. Stream length: {} events before, {} after the first send, {} after the second: stored once.",
            lengths[0], lengths[1], lengths[2]
        )
    }
}

/// The widget's signals: the race, how clerks write, and what the status line says. `Copy`, so
/// each handler and part of the view takes its own.
#[derive(Clone, Copy)]
struct Desk {
    race: RwSignal<Result<Race, String>, LocalStorage>,
    mode: RwSignal<Mode>,
    note: RwSignal<String>,
}

/// The widget.
#[component]
pub fn ConcurrencyRace() -> impl IntoView {
    let desk = Desk::default();
    view! {
        <section class="card widget concurrency-race" aria-labelledby="concurrency-race-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="concurrency-race-title">"Two clerks, one account"</h3>
            <p class="widget-intro">"Account A starts at version 2 with €100.00. Each clerk is asked to withdraw €80."</p>
            {mode_choice(desk)}
            <div class="race-clerks">{clerk(desk, 0)}{clerk(desk, 1)}</div>
            <div class="row race-actions">
                <button type="button" class="button" on:click=move |_| desk.act(&|r: &mut Race| r.deposit_twice())>"Send the same deposit twice"</button>
                <button type="button" class="button" on:click=move |_| desk.restart(desk.mode.get_untracked())>"Reset"</button>
            </div>
            <p class="live-note visually-hidden" role="status">{super::aloud(desk.note.into())}</p>
            <div class="race-grid">
                <div>
                    <h4 class="board-heading">"What happened, in order"</h4>
                    {move || desk.with_race(&timeline)}
                </div>
                <div>
                    <h4 class="board-heading race-stream-chip">{chip("chip chip-stream", "stream".into(), "account-A".into(), String::new())}</h4>
                    {move || desk.with_race(&account_stream)}
                </div>
            </div>
            {move || desk.with_race(&verdict)}
        </section>
    }
}

/// The choice between naive writes and expected versions; choosing starts the race again.
fn mode_choice(desk: Desk) -> impl IntoView {
    view! {
        <fieldset class="race-mode">
            <legend>"How clerks write"</legend>
            <label><input type="radio" name="race-mode" prop:checked=move || desk.mode.get() == Mode::Naive on:change=move |_| desk.restart(Mode::Naive)/>" Naive: no version check"</label>
            <label><input type="radio" name="race-mode" prop:checked=move || desk.mode.get() == Mode::Expected on:change=move |_| desk.restart(Mode::Expected)/>" Expected version"</label>
            <span class="race-mode-hint">"Changing this starts the race again."</span>
        </fieldset>
    }
}

/// Clerk `n`'s part: what it read, and its buttons.
fn clerk(desk: Desk, n: usize) -> impl IntoView {
    let who = format!("Clerk {}", n + 1);
    let hidden = format!("{who}: ");
    // The next step stands out: reading while the clerk has nothing fresh, then withdrawing.
    let has_read = move || desk.clerk_is(n, |c| c.seen.is_some());
    view! {
        <section class="race-clerk" aria-labelledby=format!("race-clerk-{n}")>
            <h4 id=format!("race-clerk-{n}")>{who}</h4>
            {move || desk.with_race(&|r: &Race| match r.clerks[n].seen {
                Some(seen) => view! {
                    <p class="race-seen">{chip("chip chip-model", "what this clerk read".into(), format!("version {} · {}", seen.version, seen.state.balance()), String::new())}</p>
                }.into_any(),
                // Refused by the version check, the clerk's read is stale; Retry is the way on.
                None if r.clerks[n].may_retry => view! {
                    <p class="race-unread">"Conflict: what this clerk read is out of date. Retry with fresh state reads it again and decides again."</p>
                }.into_any(),
                None => view! { <p class="race-unread">"No fresh read: read the account before deciding."</p> }.into_any(),
            })}
            <div class="row">
                <button type="button" class="button" class:primary=move || !has_read() on:click=move |_| desk.act(&move |r: &mut Race| r.read(n))>
                    <span class="visually-hidden">{hidden.clone()}</span>"Read account"
                </button>
                <button type="button" class="button" class:primary=has_read id=format!("race-withdraw-{n}") on:click=move |_| desk.act(&move |r: &mut Race| r.withdraw(n))>
                    <span class="visually-hidden">{hidden.clone()}</span>"Withdraw €80"
                </button>
                {move || {
                    let hidden = hidden.clone();
                    desk.clerk_is(n, |c| c.may_retry).then(|| view! {
                        <button type="button" class="button" on:click=move |_| {
                            desk.act(&move |r: &mut Race| r.retry(n));
                            // This button goes away with the retry: keep the keyboard in the clerk's row.
                            focus_soon(format!("race-withdraw-{n}"));
                        }>
                            <span class="visually-hidden">{hidden.clone()}</span>"Retry with fresh state"
                        </button>
                    })
                }}
            </div>
            {move || desk.clerk_is(n, |c| c.unread).then(|| view! {
                <p class="inline-error">"Read the account first: a clerk decides on what it has read."</p>
            })}
        </section>
    }
}

/// The race's steps, newest last; only the last [`SHOWN`], the older ones counted.
fn timeline(r: &Race) -> AnyView {
    if r.steps.is_empty() {
        return view! { <p class="race-empty">"Nothing has happened yet. Let both clerks read, then both withdraw."</p> }.into_any();
    }
    let skipped = r.steps.len().saturating_sub(SHOWN);
    view! {
        <ol class="race-timeline" start=skipped + 1 aria-label="What happened, in order">
            {r.steps.iter().skip(skipped).cloned().map(race_step).collect_view()}
        </ol>
        {(skipped > 0).then(|| view! { <p class="race-empty">{format!("{skipped} earlier steps are not shown.")}</p> })}
    }.into_any()
}

/// One step: who acted and how, the command it sent, and what came of it.
fn race_step(step: Step) -> impl IntoView {
    let outcome = match step.outcome {
        Outcome::Read { version, balance } => chip("chip chip-model", "read".into(), format!("version {version} · {balance}"), String::new()),
        Outcome::Appended(events) => events.iter().map(|(v, e)| event_chip(format!("appended · v{v}"), e)).collect_view().into_any(),
        Outcome::Conflict { expected, actual, sentence } => {
            chip("chip chip-reject", "conflict · nothing appended".into(), format!("expected version {expected}, found {actual}"), sentence)
        }
        Outcome::Rejected(sentence) => chip("chip chip-reject", "rejected by the decider · nothing appended".into(), String::new(), sentence),
        Outcome::StoredOnce { id, length } => chip(
            "chip chip-stream",
            "idempotent · nothing appended".into(),
            format!("{id} is already stored"),
            format!("The stream still has {length} events."),
        ),
        Outcome::Failed(sentence) => chip("chip chip-reject", "failed".into(), String::new(), sentence),
    };
    let has_command = step.command.is_some();
    view! {
        <li class="race-step">
            <p class="race-step-head"><span class="race-actor">{step.actor}</span>" "<span class="race-how">{step.how}</span></p>
            <div class="race-step-body">
                {step.command.map(|c| chip("chip chip-command", "command".into(), c, String::new()))}
                {has_command.then(|| view! { <span class="race-arrow" aria-hidden="true">"→"</span> })}
                {outcome}
            </div>
        </li>
    }
}

/// Account A's events as the shared log holds them, and the balance folded from them.
fn account_stream(r: &Race) -> AnyView {
    let events = Race::history(&r.log);
    let balance = r.balance();
    let overdrawn = balance.cents() < 0;
    view! {
        <ol class="stream race-stream" aria-label="Events of account A">
            {events.iter().map(|(v, e)| view! { <li>{event_chip(format!("v{v}"), e)}</li> }).collect_view()}
        </ol>
        <p class="state-card race-balance" class:overdrawn=overdrawn role="group" aria-label="Balance of account A">
            <span class="chip-kind">"balance (fold of the stream)"</span>
            <span class="balance">{balance.to_string()}</span>
            <span class="meta">{format!("stream at version {}{}", events.len(), if overdrawn { " · overdrawn" } else { "" })}</span>
        </p>
    }.into_any()
}

/// What the race shows, in words: what went wrong, or what the version check saved.
fn verdict(r: &Race) -> AnyView {
    let balance = r.balance();
    let paid = Balance::from_cents(r.paid_out);
    if let Some((clerk, decided, found)) = r.stale.last().copied() {
        let now = if balance.cents() < 0 { format!("overdrawn at {balance}") } else { format!("at {balance}") };
        let writes: Vec<String> = r.row_writes.iter().map(|(c, b)| format!("Clerk {} writes {b}", c + 1)).collect();
        let row = r.row_writes.last().map(|(_, b)| *b).unwrap_or(balance);
        return view! {
            <div class="race-verdict bad" role="note">
                <p><strong>"What went wrong: "</strong>{format!(
                    "Clerk {} decided on version {decided}, but when it wrote, the stream was already at version {found}. \
                     Nothing checked, so its withdrawal landed anyway: the clerks paid out {paid}, and account A is {now}.",
                    clerk + 1
                )}</p>
                {(writes.len() > 1).then(|| view! {
                    <p>{format!(
                        "On a CRUD row, last write wins instead: {}. The row says {row} after {paid} was paid out: \
                         an update was lost, and the money it paid out vanished from the books.",
                        writes.join(", then ")
                    )}</p>
                })}
            </div>
        }.into_any();
    }
    if r.conflicts > 0 {
        return view! {
            <div class="race-verdict good" role="note">
                <p><strong>"What the version check did: "</strong>{format!(
                    "the store refused {} stale {} with a conflict, so nothing decided on old state was written. \
                     A refused clerk reads fresh state and decides again (Retry with fresh state). So far the clerks \
                     paid out {paid} and the balance is {balance}: only valid withdrawals were kept.",
                    r.conflicts, if r.conflicts == 1 { "append" } else { "appends" }
                )}</p>
            </div>
        }.into_any();
    }
    ().into_any()
}

impl Default for Desk {
    fn default() -> Desk {
        Desk {
            race: RwSignal::new_local(Race::new(Mode::Naive)),
            mode: RwSignal::new(Mode::Naive),
            note: RwSignal::new(String::new()),
        }
    }
}

impl Desk {
    /// Runs `f` on the race and says what it did.
    fn act(self, f: &dyn Fn(&mut Race) -> String) {
        self.race.update(|race| match race {
            Ok(race) => self.note.set(f(race)),
            Err(reason) => self.note.set(format!("The race could not start: {reason}")),
        })
    }

    /// Starts the race again, writing the `mode` way.
    fn restart(self, mode: Mode) {
        self.mode.set(mode);
        self.race.set(Race::new(mode));
        let how = match mode { Mode::Naive => "Naive mode", Mode::Expected => "Expected-version mode" };
        self.note.set(format!("{how}: the race starts again. Account A is at version 2 with €100.00."));
    }

    /// The view `f` makes of the race, or why the race could not start.
    fn with_race(self, f: &dyn Fn(&Race) -> AnyView) -> AnyView {
        self.race.with(|r| match r {
            Ok(r) => f(r),
            Err(reason) => view! { <p class="inline-error">{format!("The race could not start: {reason}")}</p> }.into_any(),
        })
    }

    /// Whether clerk `n` is as `is` asks (tracked); never, if the race could not start.
    fn clerk_is(self, n: usize, is: fn(&Clerk) -> bool) -> bool {
        self.race.with(|r| r.as_ref().is_ok_and(|r| is(&r.clerks[n])))
    }
}
