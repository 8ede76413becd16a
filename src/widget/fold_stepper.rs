//! The fold stepper: one account's events, editable, folded one step at a time by the core's
//! `evolve`, with a slider for "the state as of event k".

use foldlab_core::account::{decide, evolve, Account, Command, Event};
use foldlab_core::fold::states;
use foldlab_core::{Cents, Money};
use leptos::prelude::*;

/// The lesson's running example: opened, €50 in, €20 out, €5 in.
fn starting_events() -> Vec<Event> {
    let mut events = Vec::new();
    let mut state = Account::default();
    let commands = [
        Command::OpenAccount { owner: None },
        Command::DepositMoney { amount: Cents(5_000) },
        Command::WithdrawMoney { amount: Cents(2_000) },
        Command::DepositMoney { amount: Cents(500) },
    ];
    for command in commands {
        // The decider produced these facts, so the example is a history that could have happened.
        for event in decide(&command, &state).unwrap_or_default() {
            state = evolve(state, &event);
            events.push(event);
        }
    }
    events
}

/// Why a list of events could not have happened, if it could not: it must start with the opening,
/// and no withdrawal may take more than the balance at that point.
fn impossible(events: &[Event]) -> Option<String> {
    if !matches!(events.first(), Some(Event::AccountOpened { .. })) {
        return Some("The account must be opened before anything else can happen to it.".into());
    }
    let mut state = Account::default();
    for (i, event) in events.iter().enumerate() {
        if let Event::MoneyWithdrawn { amount } = event {
            if state.balance().cents() < amount.cents() as i64 {
                return Some(format!(
                    "Event {} would withdraw {amount} when the balance is {}: a decider would never have recorded it.",
                    i + 1,
                    state.balance()
                ));
            }
        }
        state = evolve(state, event);
    }
    None
}

/// The widget.
#[component]
pub fn FoldStepper() -> impl IntoView {
    let events = RwSignal::new(starting_events());
    // How many events are folded: 0 is the initial state, `len` is the whole list.
    let k = RwSignal::new(events.with_untracked(Vec::len));
    let kind = RwSignal::new(String::from("deposit"));
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());

    let after = Memo::new(move |_| events.with(|e| states(Account::default(), e.iter(), evolve)));
    let current = move || {
        let k = k.get();
        if k == 0 { Account::default() } else { after.with(|s| s.get(k - 1).copied().unwrap_or_default()) }
    };
    let describe_step = move |k: usize| -> String {
        let state = if k == 0 { Account::default() } else { after.with_untracked(|s| s.get(k - 1).copied().unwrap_or_default()) };
        match events.with_untracked(|e| e.get(k.wrapping_sub(1)).cloned()) {
            Some(event) if k > 0 => format!(
                "After event {k} ({}: {}): balance {}, account {}.",
                event.type_name(), event.describe(), state.balance(), state.status()
            ),
            _ => format!("Before any event: the initial state, balance {}, account {}.", state.balance(), state.status()),
        }
    };
    let go = move |to: usize| {
        let to = to.min(events.with_untracked(Vec::len));
        k.set(to);
        note.set(describe_step(to));
    };
    // Edits keep the history possible, or change nothing and say why.
    let edit = move |change: &dyn Fn(&mut Vec<Event>)| {
        let mut next = events.get_untracked();
        change(&mut next);
        match impossible(&next) {
            Some(reason) => error.set(Some(reason)),
            None => {
                error.set(None);
                let len = next.len();
                events.set(next);
                go(len);
            }
        }
    };
    let add = move || {
        let text = amount.get_untracked();
        let parsed = if text.trim().is_empty() { Err("Enter an amount in euros first, like 12.50.".to_string()) } else { Money::parse_euros(text.trim()).map_err(|e| e.to_string()) };
        match parsed {
            Err(reason) => error.set(Some(reason)),
            Ok(money) => {
                let event = if kind.get_untracked() == "withdraw" { Event::MoneyWithdrawn { amount: money } } else { Event::MoneyDeposited { amount: money } };
                edit(&move |list: &mut Vec<Event>| list.push(event.clone()));
                if error.get_untracked().is_none() {
                    amount.set(String::new());
                }
            }
        }
    };

    view! {
        <section class="card widget fold-stepper" aria-labelledby="fold-stepper-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="fold-stepper-title">"Fold stepper"</h3>
            <div class="stepper-layout">
                <div class="stepper-events">
                    <ol class="stepper-list" aria-label="Events of account A">
                        {move || events.get().into_iter().enumerate().map(|(i, event)| {
                            let n = i + 1;
                            let class = move || {
                                let k = k.get();
                                if n == k { "chip chip-event current" } else if n > k { "chip chip-event future" } else { "chip chip-event" }
                            };
                            let opening = i == 0;
                            let last = events.with_untracked(Vec::len) == n;
                            view! {
                                <li class="stepper-item">
                                    <span class=class>
                                        <span class="chip-kind">{format!("event {n}")}</span>
                                        <span class="chip-name">{event.type_name()}</span>
                                        <span>{event.describe()}</span>
                                    </span>
                                    <span class="stepper-tools">
                                        <button type="button" class="button small" disabled=opening || i == 1
                                            aria-label=format!("Move event {n} up")
                                            on:click=move |_| edit(&move |l: &mut Vec<Event>| l.swap(i.saturating_sub(1), i))>"↑"</button>
                                        <button type="button" class="button small" disabled=opening || last
                                            aria-label=format!("Move event {n} down")
                                            on:click=move |_| edit(&move |l: &mut Vec<Event>| l.swap(i, i + 1))>"↓"</button>
                                        <button type="button" class="button small" disabled=opening
                                            aria-label=format!("Remove event {n}")
                                            on:click=move |_| edit(&move |l: &mut Vec<Event>| { l.remove(i); })>"✕"</button>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <div class="row stepper-add">
                        <label class="field">
                            "Kind"
                            <select on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                                <option value="deposit">"Deposit"</option>
                                <option value="withdraw">"Withdrawal"</option>
                            </select>
                        </label>
                        <label class="field">
                            "Amount (€)"
                            <input type="text" inputmode="decimal" placeholder="12.50"
                                aria-invalid=move || error.get().is_some().to_string()
                                aria-describedby="fold-stepper-error"
                                prop:value=move || amount.get()
                                on:input=move |ev| amount.set(event_target_value(&ev))
                                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { add() }
                            />
                        </label>
                        <button type="button" class="button" on:click=move |_| add()>"Add event"</button>
                    </div>
                    <p id="fold-stepper-error" class="inline-error" hidden=move || error.get().is_none()>{move || error.get()}</p>
                </div>
                <div class="stepper-state">
                    <div class="row">
                        <button type="button" class="button" on:click=move |_| go(0)>"Reset"</button>
                        <button type="button" class="button" disabled=move || k.get() == 0 on:click=move |_| go(k.get_untracked().saturating_sub(1))>"Previous"</button>
                        <button type="button" class="button primary" disabled=move || { k.get() >= events.with(Vec::len) } on:click=move |_| go(k.get_untracked() + 1)>"Next"</button>
                    </div>
                    <label class="field stepper-slider">
                        {move || format!("State as of event {}", k.get())}
                        <input type="range" min="0" max=move || events.with(Vec::len).to_string()
                            prop:value=move || k.get().to_string()
                            aria-label="State as of event"
                            on:input=move |ev| go(event_target_value(&ev).parse().unwrap_or(0))
                        />
                    </label>
                    <div class="state-card" aria-label="Account state">
                        <span class="chip-kind">"state"</span>
                        <span class="balance">{move || current().balance().to_string()}</span>
                        <span class="meta">{move || format!("account {} · {} events folded", current().status(), k.get())}</span>
                    </div>
                    <p class="live-note" role="status">{move || note.get()}</p>
                </div>
            </div>
        </section>
    }
}
