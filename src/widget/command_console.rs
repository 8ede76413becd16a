//! The command console: send commands to account A and see what the decider made of each: new
//! events appended to the stream and the balance read model, or a rejection that appends nothing.

use foldlab_core::account::{decide, evolve, Account, Command, Event};
use foldlab_core::Cents;
use leptos::prelude::*;

/// One line of the console's history: the command sent and what came of it.
#[derive(Clone)]
struct Outcome {
    command: String,
    result: Result<Vec<Event>, String>,
}

/// The widget.
#[component]
pub fn CommandConsole() -> impl IntoView {
    let events = RwSignal::new(Vec::<Event>::new());
    let history = RwSignal::new(Vec::<Outcome>::new());
    let amount = RwSignal::new(String::from("50"));
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::from("The account does not exist yet. Send it a command."));
    let state = Memo::new(move |_| events.with(|e| e.iter().fold(Account::default(), evolve)));

    let send = move |label: String, command: Command| {
        let result = decide(&command, &state.get_untracked());
        note.set(match &result {
            Ok(new) => {
                let names: Vec<_> = new.iter().map(Event::type_name).collect();
                format!("{label}: accepted. Appended {}.", names.join(", "))
            }
            Err(rejection) => format!("{label}: rejected. {rejection} Nothing was appended."),
        });
        if let Ok(new) = &result {
            events.update(|e| e.extend(new.iter().cloned()));
        }
        history.update(|h| h.push(Outcome { command: label, result: result.map_err(|r| r.to_string()) }));
    };
    // Amounts are parsed as whole cents, and anything a person can type reaches the decider, which
    // is where "not positive" is refused; only text that is not a number at all stops here.
    let with_amount = move |verb: &'static str, make: fn(Cents) -> Command| {
        let text = amount.get_untracked();
        match Cents::parse_euros(text.trim()) {
            Ok(cents) => {
                error.set(None);
                send(format!("{verb} {}", cents), make(cents));
            }
            Err(reason) => error.set(Some(reason.to_string())),
        }
    };

    view! {
        <section class="card widget command-console" aria-labelledby="command-console-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="command-console-title">"Command console"</h3>
            <div class="console-commands" role="group" aria-label="Commands for account A">
                <button type="button" class="button" on:click=move |_| send("OpenAccount".into(), Command::OpenAccount { owner: None })>"Open account"</button>
                <label class="field console-amount">
                    "Amount (€)"
                    <input type="text" inputmode="decimal"
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby="command-console-error"
                        prop:value=move || amount.get()
                        on:input=move |ev| amount.set(event_target_value(&ev))
                    />
                </label>
                <button type="button" class="button" on:click=move |_| with_amount("DepositMoney", |amount| Command::DepositMoney { amount })>"Deposit"</button>
                <button type="button" class="button" on:click=move |_| with_amount("WithdrawMoney", |amount| Command::WithdrawMoney { amount })>"Withdraw"</button>
                <button type="button" class="button" on:click=move |_| send("CloseAccount".into(), Command::CloseAccount)>"Close account"</button>
                <button type="button" class="button" on:click=move |_| { events.set(Vec::new()); history.set(Vec::new()); note.set("Started over: account A does not exist yet.".into()); }>"Reset"</button>
            </div>
            <p id="command-console-error" class="inline-error" hidden=move || error.get().is_none()>{move || error.get()}</p>
            <p class="live-note" role="status">{move || note.get()}</p>
            <div class="console-grid">
                <div>
                    <h4 class="board-heading">"What the decider said"</h4>
                    <ol class="console-history" aria-label="Commands and their outcome">
                        {move || history.get().into_iter().rev().take(6).map(|o| view! {
                            <li class="console-line">
                                <span class="chip chip-command"><span class="chip-kind">"command"</span><span class="chip-name">{o.command}</span></span>
                                <span aria-hidden="true">"→"</span>
                                {match o.result {
                                    Ok(new) => new.iter().map(|e| view! {
                                        <span class="chip chip-event"><span class="chip-kind">"event"</span><span class="chip-name">{e.type_name()}</span><span>{e.describe()}</span></span>
                                    }).collect_view().into_any(),
                                    Err(reason) => view! {
                                        <span class="chip chip-reject"><span class="chip-kind">"rejected: nothing appended"</span><span>{reason}</span></span>
                                    }.into_any(),
                                }}
                            </li>
                        }).collect_view()}
                    </ol>
                </div>
                <div>
                    <h4 class="board-heading">"Stream of account A"</h4>
                    <ol class="stream console-stream" aria-label="Events of account A">
                        {move || events.get().into_iter().enumerate().map(|(i, e)| view! {
                            <li class="chip chip-event"><span class="chip-kind">{format!("v{}", i + 1)}</span><span class="chip-name">{e.type_name()}</span><span>{e.describe()}</span></li>
                        }).collect_view()}
                    </ol>
                    <div class="state-card" aria-label="Balance read model">
                        <span class="chip-kind">"read model: balance"</span>
                        <span class="balance">{move || state.get().balance().to_string()}</span>
                        <span class="meta">{move || format!("account {} · version {}", state.get().status(), state.get().version())}</span>
                    </div>
                </div>
            </div>
        </section>
    }
}
