//! The concurrency race: two clerks read account A, both decide a withdrawal on what they read, and
//! both write. Naive writes overdraw the account; expected-version appends catch the conflict, and a
//! retry on fresh state is refused. A retried deposit with the same event id is stored once.

use foldlab_core::account::{decide, evolve, Account, Command, Event};
use foldlab_core::store::{AppendError, EventStore};
use foldlab_core::{AccountId, Cents, EventId, ExpectedVersion, MemoryBackend, Timestamp};
use leptos::prelude::*;

const A: AccountId = AccountId::constant("A");

fn now() -> Timestamp {
    Timestamp::from_millis(js_sys::Date::now() as i64)
}

/// One clerk: their own view of the store (as a second browser tab has) and what they last read.
struct Clerk {
    store: EventStore<MemoryBackend>,
    seen: Option<(u64, Account)>,
}

/// Both clerks on one shared log.
struct Race {
    clerks: [Clerk; 2],
    /// A third view of the same log, for showing it.
    log: EventStore<MemoryBackend>,
    next_id: u32,
}

impl Race {
    fn new() -> Result<Race, String> {
        let shared = MemoryBackend::default();
        let open = |b: &MemoryBackend| EventStore::open(b.clone()).map_err(|e| e.to_string());
        let mut log = open(&shared)?;
        let setup = [Event::AccountOpened { owner: None }, Event::MoneyDeposited { amount: foldlab_core::Money::from_cents(10_000).map_err(|e| e.to_string())? }];
        let events = setup.iter().enumerate().filter_map(|(i, e)| Some(e.to_new_event(EventId::new(&format!("setup-{i}")).ok()?))).collect();
        log.append(&A.stream(), ExpectedVersion::NoStream, events, now()).map_err(|e| e.to_string())?;
        let clerks = [Clerk { store: open(&shared)?, seen: None }, Clerk { store: open(&shared)?, seen: None }];
        Ok(Race { clerks, log, next_id: 0 })
    }

    fn history(store: &EventStore<MemoryBackend>) -> Vec<Event> {
        store.read_stream(&A.stream(), 1).filter_map(|r| Event::from_recorded(r).ok()).collect()
    }

    fn read(&mut self, clerk: usize) -> String {
        let me = &mut self.clerks[clerk];
        if let Err(error) = me.store.catch_up() {
            return format!("Clerk {} could not read: {error}", clerk + 1);
        }
        let events = Race::history(&me.store);
        let state = events.iter().fold(Account::default(), evolve);
        me.seen = Some((events.len() as u64, state));
        format!("Clerk {} read account A at version {}: balance {}.", clerk + 1, events.len(), state.balance())
    }

    fn withdraw(&mut self, clerk: usize, checked: bool) -> String {
        self.next_id += 1;
        let id = format!("clerk{}-{}", clerk + 1, self.next_id);
        let me = &mut self.clerks[clerk];
        let Some((version, state)) = me.seen else {
            return format!("Clerk {} has not read the account yet.", clerk + 1);
        };
        let who = clerk + 1;
        let events = match decide(&Command::WithdrawMoney { amount: Cents(8_000) }, &state) {
            Ok(events) => events,
            Err(rejection) => return format!("Clerk {who}'s withdrawal was rejected: {rejection}"),
        };
        let new = events.iter().filter_map(|e| Some(e.to_new_event(EventId::new(&id).ok()?))).collect();
        let expected = if checked { ExpectedVersion::Exact(version) } else { ExpectedVersion::Any };
        let result = me.store.append(&A.stream(), expected, new, now());
        let _ = self.log.catch_up();
        me.seen = None;
        match result {
            Ok(_) => {
                let balance = Race::history(&self.log).iter().fold(Account::default(), evolve).balance();
                if balance.cents() < 0 {
                    format!("Clerk {who} wrote a withdrawal of €80.00 decided on version {version}. Account A is now overdrawn at {balance}: both clerks spent the same €100.00.")
                } else {
                    format!("Clerk {who} withdrew €80.00 (decided on version {version}). Balance {balance}.")
                }
            }
            Err(AppendError::Conflict(conflict)) => {
                format!("Clerk {who}'s append was refused: {conflict} Read again and retry on fresh state.")
            }
            Err(other) => format!("Clerk {who}'s append failed: {other}"),
        }
    }

    fn deposit_twice(&mut self) -> String {
        let before = Race::history(&self.log).len();
        let Ok(amount) = foldlab_core::Money::from_cents(1_000) else { return String::new() };
        let Ok(id) = EventId::new("retried-deposit") else { return String::new() };
        let mut stored = Vec::new();
        for _ in 0..2 {
            let event = Event::MoneyDeposited { amount }.to_new_event(id.clone());
            match self.log.append(&A.stream(), ExpectedVersion::Any, vec![event], now()) {
                Ok(appended) => stored.push(appended.events.len()),
                Err(error) => return format!("The deposit failed: {error}"),
            }
        }
        let after = Race::history(&self.log).len();
        format!(
            "Sent the same €10.00 deposit (event id retried-deposit) twice: the first append stored {}, the retry stored {}. The stream went from {before} to {after} events.",
            stored[0], stored[1]
        )
    }
}

/// The widget.
#[component]
pub fn ConcurrencyRace() -> impl IntoView {
    let race = RwSignal::new_local(Race::new());
    let checked = RwSignal::new(true);
    let note = RwSignal::new(String::from("Both clerks: read the account first, then withdraw."));
    let act = move |f: &dyn Fn(&mut Race) -> String| {
        race.update(|race| match race {
            Ok(race) => note.set(f(race)),
            Err(reason) => note.set(format!("The race could not start: {reason}")),
        })
    };
    let clerk = move |n: usize| {
        view! {
            <section class="race-clerk" aria-label=format!("Clerk {}", n + 1)>
                <h4>{format!("Clerk {}", n + 1)}</h4>
                <p class="board-sub">{move || race.with(|r| match r.as_ref().ok().and_then(|r| r.clerks[n].seen) {
                    Some((v, s)) => format!("Saw version {v}, balance {}", s.balance()),
                    None => "Has not read the account".to_string(),
                })}</p>
                <div class="row">
                    <button type="button" class="button" on:click=move |_| act(&move |r: &mut Race| r.read(n))>{format!("Clerk {}: read account", n + 1)}</button>
                    <button type="button" class="button primary" on:click=move |_| { let c = checked.get_untracked(); act(&move |r: &mut Race| r.withdraw(n, c)) }>{format!("Clerk {}: withdraw €80", n + 1)}</button>
                </div>
            </section>
        }
    };
    view! {
        <section class="card widget concurrency-race" aria-labelledby="concurrency-race-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="concurrency-race-title">"Two clerks, one account"</h3>
            <fieldset class="race-mode">
                <legend>"How clerks write"</legend>
                <label><input type="radio" name="race-mode" prop:checked=move || !checked.get() on:change=move |_| checked.set(false)/>" Naive: last write wins"</label>
                <label><input type="radio" name="race-mode" prop:checked=move || checked.get() on:change=move |_| checked.set(true)/>" Expected version"</label>
            </fieldset>
            <div class="race-clerks">{clerk(0)}{clerk(1)}</div>
            <div class="row">
                <button type="button" class="button" on:click=move |_| act(&|r: &mut Race| r.deposit_twice())>"Send the same deposit twice"</button>
                <button type="button" class="button" on:click=move |_| { race.set(Race::new()); note.set("Back to the start: account A holds €100.00.".into()); }>"Reset"</button>
            </div>
            <p class="live-note" role="status">{move || note.get()}</p>
            {move || race.with(|r| r.as_ref().ok().map(|r| {
                let events = Race::history(&r.log);
                let balance = events.iter().fold(Account::default(), evolve).balance();
                view! {
                    <ol class="stream" aria-label="Events of account A">
                        {events.iter().enumerate().map(|(i, e)| view! {
                            <li class="chip chip-event"><span class="chip-kind">{format!("v{}", i + 1)}</span><span class="chip-name">{e.type_name()}</span><span>{e.describe()}</span></li>
                        }).collect_view()}
                    </ol>
                    <p class="state-card race-balance" class:overdrawn=balance.cents() < 0 aria-label="Balance of account A">
                        <span class="chip-kind">"read model: balance"</span>
                        <span class="balance">{balance.to_string()}</span>
                    </p>
                }
            }))}
        </section>
    }
}
