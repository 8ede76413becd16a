//! The fold stepper (lesson fold): one account's events, editable but always a history that could
//! have happened, folded one step at a time by the core's `evolve`, with a slider for "the state as
//! of event k". The learner's own list is kept in their log (`example-edited`), so it is still
//! there after a reload, and a list kept in another tab shows here too (unless an edit here is not
//! kept yet: the newer wins).

use foldlab_core::account::{decide, evolve, Account, Command, Event, Rejection};
use foldlab_core::fold::{states, try_fold, StepFailed};
use foldlab_core::upcast::Upcasters;
use foldlab_core::{Cents, Money};
use leptos::prelude::*;
use serde_json::{json, Value};

use super::focus_soon;
use crate::learner::{use_journal, Journal, LearnerEvent};

/// The widget's name in `example-edited` events.
const WIDGET: &str = "fold-stepper";

/// Enough for any story worth stepping through, short enough to read at a glance.
const MAX_EVENTS: usize = 16;
/// How long the clicks must pause before the learner's list is kept in their log.
const KEEP_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

/// The command a person would have sent to get `event` recorded.
fn command_for(event: &Event) -> Option<Command> {
    match event {
        Event::AccountOpened { owner } => Some(Command::OpenAccount { owner: owner.clone() }),
        Event::MoneyDeposited { amount } => Some(Command::DepositMoney { amount: Cents::from(*amount) }),
        Event::MoneyWithdrawn { amount } => Some(Command::WithdrawMoney { amount: Cents::from(*amount) }),
        _ => None,
    }
}

/// Folds `events`, asking the core's decider at every step whether that event could have been
/// recorded in the state before it: a log only holds what could have happened.
fn could_have_happened(events: &[Event]) -> Result<Account, StepFailed<Rejection>> {
    try_fold(Account::default(), events, |state, event: &Event| {
        if let Some(command) = command_for(event) {
            decide(&command, &state)?;
        }
        Ok(evolve(state, event))
    })
}

/// The lesson's running example, produced by the decider: opened, €50 in, €20 out, €5 in.
fn starting_events() -> Vec<Event> {
    let commands = [
        Command::OpenAccount { owner: None },
        Command::DepositMoney { amount: Cents(5_000) },
        Command::WithdrawMoney { amount: Cents(2_000) },
        Command::DepositMoney { amount: Cents(500) },
    ];
    let mut events = Vec::new();
    let mut state = Account::default();
    for command in commands {
        for event in decide(&command, &state).unwrap_or_default() {
            state = evolve(state, &event);
            events.push(event);
        }
    }
    events
}

/// The list as an `example-edited` event stores it: each event's type, schema and data, as the
/// log stores account events, so an older shape is upcast when it is read back.
fn stored(events: &[Event]) -> Vec<Value> {
    events.iter().map(|e| json!({ "type": e.type_name(), "schema": e.schema(), "data": e.data() })).collect()
}

/// A kept list read back. It comes from storage, which a hand-edited or imported log can fill with
/// anything: it must hold something, fit, read, hold only what the stepper can add, and could have
/// happened. Why not, as a sentence for the learner.
fn read_back(list: &[Value]) -> Result<Vec<Event>, String> {
    if list.is_empty() {
        return Err("It holds no events, not even account-opened.".to_owned());
    }
    if list.len() > MAX_EVENTS {
        return Err(format!("It holds {} events, more than the {MAX_EVENTS} the stepper holds.", list.len()));
    }
    let chain = Upcasters::standard();
    let mut events = Vec::new();
    for (n, item) in (1..).zip(list) {
        let Some(event_type) = item.get("type").and_then(Value::as_str) else {
            return Err(format!("Event {n} has no type."));
        };
        let schema = item.get("schema").and_then(Value::as_u64).and_then(|s| u32::try_from(s).ok()).unwrap_or(0);
        let event = Event::from_stored(event_type, schema, item.get("data").unwrap_or(&Value::Null), &chain)
            .map_err(|e| format!("Event {n} does not read: {}.", e.to_string().trim_end_matches('.')))?;
        if command_for(&event).is_none() {
            return Err(format!("Event {n} is {}, which the stepper does not hold.", event.type_name()));
        }
        events.push(event);
    }
    could_have_happened(&events).map_err(|StepFailed { index, error }| {
        format!("Event {} ({}) could never have been recorded. The account's rules say: “{error}”", index + 1, label(&events[index]))
    })?;
    Ok(events)
}

/// `money-withdrawn €20.00`, `account-opened`.
fn label(event: &Event) -> String {
    match event {
        Event::MoneyDeposited { amount } | Event::MoneyWithdrawn { amount } => format!("{} {amount}", event.type_name()),
        _ => event.type_name().to_owned(),
    }
}

/// Where a refusal is shown: under the list (moves, removals) or under the add form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    List,
    Add,
}

/// The stepper's state, shared by its parts: the list, how much of it is folded, the add form and
/// what to say. Every change goes through its methods. One `Copy` handle rather than a prop per
/// signal: the parts are small views of the same state, and each reads only what it shows.
#[derive(Clone, Copy)]
struct Stepper {
    events: RwSignal<Vec<Event>>,
    /// How many events are folded: 0 is the initial state, `len` is the whole list.
    k: RwSignal<usize>,
    kind: RwSignal<String>,
    amount: RwSignal<String>,
    error: RwSignal<Option<(Place, String)>>,
    /// Why the list kept from an earlier visit could not be shown, until the learner edits.
    unread: RwSignal<Option<String>>,
    note: RwSignal<String>,
    /// The list as last recorded in the learner's log (empty when none could be read).
    kept: StoredValue<Vec<Event>>,
    len: Memo<usize>,
    /// The state after each event, from the core's `states`: entry i is the state after event i + 1.
    after: Memo<Vec<Account>>,
    /// Whether the list is the learner's own rather than the lesson's example.
    own: Memo<bool>,
    journal: Journal,
}

impl Stepper {
    /// The learner's own list from an earlier visit, else the example; one that does not read is
    /// said above the list, and the example shown. Each change is kept in the learner's log once
    /// the clicks pause (or the page is left), not on every click.
    fn new(journal: Journal) -> Stepper {
        let kept = journal.progress().with_untracked(|p| p.examples.get(WIDGET).map(|list| read_back(list)));
        let (first, kept, unread) = match kept {
            Some(Ok(list)) => (list.clone(), list, None),
            // Kept as nothing, so that the next list is recorded over the one that does not read.
            Some(Err(why)) => (starting_events(), Vec::new(), Some(why)),
            None => (starting_events(), starting_events(), None),
        };
        let k = RwSignal::new(first.len());
        let events = RwSignal::new(first);
        let stepper = Stepper {
            events,
            k,
            kind: RwSignal::new(String::from("deposit")),
            amount: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            unread: RwSignal::new(unread),
            note: RwSignal::new(String::new()),
            kept: StoredValue::new(kept),
            len: Memo::new(move |_| events.with(Vec::len)),
            after: Memo::new(move |_| events.with(|e| states(Account::default(), e.iter(), evolve))),
            own: Memo::new(move |_| events.with(|e| *e != starting_events())),
            journal,
        };
        crate::clock::after_a_pause(move || events.track(), KEEP_PAUSE, move || stepper.record_list());
        stepper.follow_the_log();
        stepper
    }

    /// Records the list in the learner's log (`example-edited`) unless it is the one last recorded.
    fn record_list(self) {
        // Also called while the widget is being torn down, when its signals may be gone.
        let Some(list) = self.events.try_get_untracked() else { return };
        if self.kept.try_with_value(|kept| *kept != list).unwrap_or(false) {
            // Kept first: recording folds the list into the progress, which `follow_the_log` reads.
            let events = stored(&list);
            let _ = self.kept.try_set_value(list);
            self.journal.record(LearnerEvent::ExampleEdited { widget: WIDGET.to_owned(), events });
        }
    }

    /// Shows a list kept from elsewhere (another tab, a merged file) or the example after a start
    /// over, as the quiz shows answers given elsewhere; an edit here not yet kept is the newer, and
    /// stays. A kept list that does not read changes nothing here.
    fn follow_the_log(self) {
        let progress = self.journal.progress();
        let in_log = Memo::new(move |_| progress.with(|p| p.examples.get(WIDGET).cloned()));
        Effect::new(move |first: Option<()>| {
            let in_log = in_log.get();
            // The first run only subscribes: `new` has just read the same list.
            if first.is_none() {
                return;
            }
            let list = match in_log {
                Some(list) => match read_back(&list) {
                    Ok(list) => list,
                    Err(_) => return,
                },
                None => starting_events(),
            };
            let pending = self.events.with_untracked(|now| self.kept.with_value(|kept| now != kept));
            if pending || self.kept.with_value(|kept| *kept == list) {
                return;
            }
            self.kept.set_value(list.clone());
            self.k.set(list.len());
            self.events.set(list);
            self.unread.set(None);
            self.error.set(None);
        });
    }

    fn state_as_of(self, k: usize) -> Account {
        if k == 0 { Account::default() } else { self.after.with(|s| s.get(k - 1).copied().unwrap_or_default()) }
    }

    fn current(self) -> Account {
        self.state_as_of(self.k.get())
    }

    /// Event `k` (from 1), if there is one.
    fn event(self, k: usize) -> Option<Event> {
        k.checked_sub(1).and_then(|i| self.events.with(|e| e.get(i).cloned()))
    }

    /// The state as of event `k`, in words, for the status line.
    fn describe(self, k: usize) -> String {
        let state = self.state_as_of(k);
        match untrack(|| self.event(k)) {
            Some(event) => format!("After event {k} ({}): balance {}, account {}.", label(&event), state.balance(), state.status()),
            None => format!("Before any event (the initial state): balance {}, account {}.", state.balance(), state.status()),
        }
    }

    /// What the step into event k did, for the state card.
    fn step_line(self) -> String {
        let k = self.k.get();
        let Some(event) = self.event(k) else {
            return "Nothing has happened yet: this is the initial state.".to_owned();
        };
        let (before, now) = (self.state_as_of(k - 1), self.state_as_of(k));
        if before.status() != now.status() {
            format!("Event {k} {}: {} → {}.", event.describe(), before.status(), now.status())
        } else {
            format!("Event {k} {}: {} → {}.", event.describe(), before.balance(), now.balance())
        }
    }

    /// The slider's value text: the event reached and the balance.
    fn value_text(self) -> String {
        let (k, len, balance) = (self.k.get(), self.len.get(), self.current().balance());
        match self.event(k) {
            Some(event) => format!("event {k} of {len}: {}, balance {balance}", label(&event)),
            None => format!("no events yet, of {len}, balance {balance}"),
        }
    }

    fn go(self, to: usize) {
        let to = to.min(self.len.get_untracked());
        self.k.set(to);
        self.error.set(None);
        self.note.set(self.describe(to));
    }

    fn error_at(self, place: Place) -> Option<String> {
        self.error.with(|e| e.as_ref().filter(|(p, _)| *p == place).map(|(_, m)| m.clone()))
    }

    /// Says why a change was refused, where the learner made it, and aloud.
    fn refuse(self, place: Place, reason: String) {
        self.note.set(reason.clone());
        self.error.set(Some((place, reason)));
        // Below a long list, on a phone, the refusal would land out of sight of the button.
        if place == Place::List {
            super::show_soon("fold-stepper-list-error".to_owned());
        }
    }

    /// Every edit is checked by folding the new list through the decider; a refused edit changes
    /// nothing and says why. `done` says what happened, `new_k` where the slider goes; `on_screen`
    /// gives an index of the edited list as the index the learner sees now (None for a new event),
    /// so a refusal names events by the numbers on the screen, not those of a list never shown.
    fn edit(
        self,
        place: Place,
        change: &dyn Fn(&mut Vec<Event>),
        done: String,
        new_k: &dyn Fn(usize, usize) -> usize,
        on_screen: &dyn Fn(usize) -> Option<usize>,
    ) -> bool {
        let mut next = self.events.get_untracked();
        change(&mut next);
        if let Err(StepFailed { index, error: rejection }) = could_have_happened(&next) {
            let which = match on_screen(index) {
                Some(shown) => format!("event {}", shown + 1),
                None => "the new event".to_owned(),
            };
            let reason = format!(
                "Refused: after that change, {which} ({}) could never have been recorded. The account's rules say: “{rejection}” The list is unchanged.",
                next.get(index).map(label).unwrap_or_default(),
            );
            self.refuse(place, reason);
            return false;
        }
        let (old_k, new_len) = (self.k.get_untracked(), next.len());
        self.events.set(next);
        self.unread.set(None);
        let to = new_k(old_k, new_len).min(new_len);
        self.k.set(to);
        self.error.set(None);
        self.note.set(format!("{done} {}", self.describe(to)));
        true
    }

    /// Adds the form's event at the end of the list.
    fn add(self) {
        let text = self.amount.get_untracked();
        let len = self.len.get_untracked();
        let money = match Money::parse_euros(&text).map_err(|e| e.to_string()) {
            Ok(_) if len >= MAX_EVENTS => Err(format!("The stepper holds up to {MAX_EVENTS} events: remove one before adding another.")),
            other => other,
        };
        let money = match money {
            Ok(money) => money,
            Err(reason) => {
                self.note.set(format!("Not added. {reason}"));
                self.error.set(Some((Place::Add, reason)));
                return;
            }
        };
        let event = if self.kind.get_untracked() == "withdraw" {
            Event::MoneyWithdrawn { amount: money }
        } else {
            Event::MoneyDeposited { amount: money }
        };
        let done = format!("Added event {} ({}).", len + 1, label(&event));
        let on_screen = move |x: usize| (x < len).then_some(x);
        if self.edit(Place::Add, &move |list: &mut Vec<Event>| list.push(event.clone()), done, &|_, len| len, &on_screen) {
            self.amount.set(String::new());
        }
    }

    /// The lesson's four events again, all folded, whatever the learner added, moved or removed.
    fn restore(self) {
        let example = starting_events();
        let all = example.len();
        // The learner's own list is work: ask before dropping it (the exercise's Reset asks too).
        let current = self.events.with_untracked(|now| (!now.is_empty() && *now != example).then_some(now.len()));
        if let Some(now) = current {
            let question = format!("Put the example's {all} events back? Your list of {} will be dropped.", crate::plural::count(now, "event"));
            if !window().confirm_with_message(&question).unwrap_or(false) {
                return;
            }
        }
        self.events.set(example);
        self.unread.set(None);
        self.k.set(all);
        self.error.set(None);
        self.amount.set(String::new());
        self.note.set(format!("Restored the example. {}", self.describe(all)));
    }

    /// Moves event `i` (from 0) one place; like removals, it keeps k where it was, so the learner
    /// sees how the steps along the way change.
    fn move_event(self, i: usize, up: bool) {
        // The last event's Down is unavailable but focusable: a press says why, and moves nothing.
        if !up && i + 1 >= self.len.get_untracked() {
            self.refuse(Place::List, format!("Event {} is already the last one: there is nowhere further down to move it.", i + 1));
            return;
        }
        let j = if up { i - 1 } else { i + 1 };
        let moved = self.events.with_untracked(|e| e.get(i).map(label)).unwrap_or_default();
        let done = format!("Moved {moved} {} to event {}.", if up { "up" } else { "down" }, j + 1);
        let on_screen = move |x: usize| Some(if x == i { j } else if x == j { i } else { x });
        if self.edit(Place::List, &move |l: &mut Vec<Event>| l.swap(i, j), done, &|k, _| k, &on_screen) {
            let direction = if up || j + 1 == self.len.get_untracked() { "up" } else { "down" };
            focus_soon(format!("fold-stepper-{direction}-{j}"));
        }
    }

    fn remove(self, i: usize) {
        let removed = self.events.with_untracked(|e| e.get(i).map(label)).unwrap_or_default();
        let done = format!("Removed event {} ({removed}).", i + 1);
        let on_screen = move |x: usize| Some(if x >= i { x + 1 } else { x });
        if self.edit(Place::List, &move |l: &mut Vec<Event>| { l.remove(i); }, done, &|k, len| k.min(len), &on_screen) {
            let next = if i < self.len.get_untracked() { i } else { i - 1 };
            focus_soon(if next == 0 { "fold-stepper-amount".to_owned() } else { format!("fold-stepper-remove-{next}") });
        }
    }
}

/// The widget.
#[component]
pub fn FoldStepper() -> impl IntoView {
    let stepper = Stepper::new(use_journal());
    view! {
        <section class="card widget fold-stepper" aria-labelledby="fold-stepper-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="fold-stepper-title">"Fold stepper"</h3>
            <p class="widget-intro">"A what-if history: a real log is never edited, but here you may add, move and remove events to see how each history folds."</p>
            <div class="stepper-layout">
                <EventList stepper/>
                <StateAsOf stepper/>
                <AddForm stepper/>
                <div class="row">
                    <button type="button" class="button" on:click=move |_| stepper.restore()>"Restore the example"</button>
                </div>
            </div>
        </section>
    }
}

/// The list of events, each with its move and remove buttons.
#[component]
fn EventList(stepper: Stepper) -> impl IntoView {
    let Stepper { events, k, len, .. } = stepper;
    view! {
        <div class="stepper-events">
            <h4 class="stepper-heading" id="fold-stepper-list-title">"Events of account A"</h4>
            // Stays up while the learner steps through the example: it goes with their first edit.
            {move || stepper.unread.get().map(|why| view! {
                <p class="inline-error" id="fold-stepper-unread">{format!("Your own list could not be read back, so the example is shown. {why}")}</p>
            })}
            // A learner back on the lesson finds the list they left, not the one the lesson's
            // steps describe: say whose it is and how to get the lesson's back.
            {move || stepper.own.get().then(|| view! {
                <p class="stepper-own">"Your own list, kept in your log. " <strong>"Restore the example"</strong> " brings back the lesson's four events."</p>
            })}
            // A refused move or removal is shown under the list; as the list's description it is
            // also heard on the way back into the list, not only once by the status line.
            <ol class="stepper-list" aria-labelledby="fold-stepper-list-title" aria-describedby="fold-stepper-list-error">
                {move || events.get().into_iter().enumerate().map(|(i, event)| {
                    let n = i + 1;
                    let class = move || {
                        let k = k.get();
                        if n == k { "chip chip-event current" } else if n > k { "chip chip-event future" } else { "chip chip-event" }
                    };
                    let last = i + 1 == len.get_untracked();
                    let tools = if i == 0 {
                        view! { <span class="stepper-fixed">"always first"</span> }.into_any()
                    } else {
                        view! {
                            <span class="stepper-tools">
                                // Event 1 is always first, so event 2 cannot go up; still focusable, so
                                // focus can land here after a move, and a press says why.
                                <button type="button" class="button small" id=format!("fold-stepper-up-{i}")
                                    aria-disabled=(i == 1).then_some("true")
                                    aria-label=format!("Move event {n} up")
                                    on:click=move |_| stepper.move_event(i, true)>
                                    <span aria-hidden="true">"↑"</span>
                                </button>
                                <button type="button" class="button small" id=format!("fold-stepper-down-{i}") aria-disabled=last.then_some("true")
                                    aria-label=format!("Move event {n} down")
                                    on:click=move |_| stepper.move_event(i, false)>
                                    <span aria-hidden="true">"↓"</span>
                                </button>
                                <button type="button" class="button small" id=format!("fold-stepper-remove-{i}")
                                    aria-label=format!("Remove event {n}")
                                    on:click=move |_| stepper.remove(i)>
                                    <span aria-hidden="true">"✕"</span>
                                </button>
                            </span>
                        }.into_any()
                    };
                    view! {
                        <li class="stepper-item" aria-current=move || (k.get() == n).then_some("step")>
                            <span class=class>
                                <span class="chip-kind">{format!("event {n}")}</span>
                                <span class="chip-name">{event.type_name()}</span>
                                <span class="chip-detail">{event.describe()}</span>
                            </span>
                            {tools}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p class="inline-error" id="fold-stepper-list-error" hidden=move || stepper.error_at(Place::List).is_none()>
                {move || stepper.error_at(Place::List)}
            </p>
        </div>
    }
}

/// Stepping, the slider and the state card: the state as of event k.
#[component]
fn StateAsOf(stepper: Stepper) -> impl IntoView {
    let Stepper { k, len, note, .. } = stepper;
    // The slider's max and value are set together, in that order, so a longer list never clamps k.
    let slider = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let (len, k) = (len.get(), k.get());
        if let Some(input) = slider.get() {
            input.set_max(&len.to_string());
            input.set_value(&k.to_string());
        }
    });
    view! {
        <div class="stepper-state">
            <div class="row" role="group" aria-label="Step through the fold">
                <button type="button" class="button" aria-disabled=move || (k.get() == 0).then_some("true")
                    on:click=move |_| stepper.go(0)>"Back to the start"</button>
                <button type="button" class="button" aria-disabled=move || (k.get() == 0).then_some("true")
                    on:click=move |_| stepper.go(k.get_untracked().saturating_sub(1))>"Previous"</button>
                <button type="button" class="button primary" aria-disabled=move || (k.get() >= len.get()).then_some("true")
                    on:click=move |_| stepper.go(k.get_untracked() + 1)>"Next"</button>
            </div>
            <div class="field stepper-slider">
                <label for="fold-stepper-k">"State as of event"</label>
                <div class="stepper-slider-row">
                    <input type="range" id="fold-stepper-k" min="0" step="1" node_ref=slider
                        aria-valuetext=move || stepper.value_text()
                        on:input=move |ev| {
                            stepper.go(event_target_value(&ev).parse().unwrap_or(0));
                            // The slider's value text already says it: once is enough.
                            note.set(String::new());
                        }
                    />
                    <span class="stepper-k" aria-hidden="true">{move || format!("{} of {}", k.get(), len.get())}</span>
                </div>
            </div>
            <div class="state-card stepper-card" role="group" aria-label="Account state">
                <span class="chip-kind">{move || match k.get() { 0 => "state: initial".to_owned(), k => format!("state after event {k}") }}</span>
                <span class="balance">{move || stepper.current().balance().to_string()}</span>
                <span class="meta">{move || {
                    format!("account {} · {} of {} events folded", stepper.current().status(), k.get(), len.get())
                }}</span>
                <span class="stepper-step">{move || stepper.step_line()}</span>
            </div>
            <p class="live-note visually-hidden" role="status">{super::aloud(note.into())}</p>
        </div>
    }
}

/// The form that adds a deposit or a withdrawal at the end of the list.
#[component]
fn AddForm(stepper: Stepper) -> impl IntoView {
    let Stepper { kind, amount, .. } = stepper;
    view! {
        <form class="stepper-add" aria-label="Add an event"
            on:submit=move |ev| { ev.prevent_default(); stepper.add(); }>
            <div class="row">
                <label class="field">
                    "Kind"
                    <select on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                        <option value="deposit">"Deposit"</option>
                        <option value="withdraw">"Withdrawal"</option>
                    </select>
                </label>
                <label class="field">
                    "Amount (€)"
                    <input type="text" inputmode="decimal" placeholder="e.g. 12.50" id="fold-stepper-amount" autocomplete="off"
                        aria-invalid=move || stepper.error_at(Place::Add).is_some().to_string()
                        aria-describedby="fold-stepper-add-error"
                        prop:value=move || amount.get()
                        on:input=move |ev| amount.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="button">"Add event"</button>
            </div>
            <p class="inline-error" id="fold-stepper-add-error" hidden=move || stepper.error_at(Place::Add).is_none()>
                {move || stepper.error_at(Place::Add)}
            </p>
        </form>
    }
}
