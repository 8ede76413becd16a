//! The command console (lesson commands-and-events): send commands to account A and see what the
//! core's decider made of each: new events appended to the stream and folded into the balances read
//! model, or a rejection with its reason, which appends nothing.

use foldlab_core::account::{Command, Event};
use foldlab_core::projection::{Balances, Projector};
use foldlab_core::{AccountId, Bank, BankError, Cents};
use leptos::prelude::*;

use super::chip::{chip, event_chip};
use super::command_form::CommandForm;
use crate::storage::Place;

const A: AccountId = AccountId::constant("A");
/// How many commands the history shows; older ones are counted.
const SHOWN: usize = 10;

/// One command and what came of it.
#[derive(Clone)]
struct Line {
    /// `WithdrawMoney`.
    name: &'static str,
    /// `€80.00`, for commands with an amount.
    amount: Option<Cents>,
    /// The stream version and balance the decider decided on.
    decided_on: String,
    outcome: Result<Vec<(u64, Event)>, Refused>,
}

#[derive(Clone)]
struct Refused {
    /// The rule (`insufficient-funds`), or `error` for a failure that is not a domain rule.
    rule: &'static str,
    sentence: String,
    version: u64,
}

/// The console's own bank on an in-memory store, and the balances read model fed from that store.
struct Console {
    bank: Bank<Place>,
    balances: Projector<Balances>,
    lines: Vec<Line>,
}

impl Console {
    fn new() -> Result<Console, String> {
        let bank = Bank::open(Place::memory()).map_err(|e| e.to_string())?;
        Ok(Console { bank, balances: Projector::new(Balances::default()), lines: Vec::new() })
    }

    /// Loads A's state, decides, appends with the version it decided on, then updates the read model.
    /// Returns the sentence for the live region.
    fn send(&mut self, name: &'static str, amount: Option<Cents>, command: Command) -> String {
        let state = self.bank.account(&A);
        let version = state.version();
        let decided_on = format!("on version {version}: {}, {}", state.balance(), state.status());
        let at = crate::clock::now();
        let asked = match amount { Some(a) => format!("{name} {a}"), None => name.to_owned() };
        let (outcome, said) = match self.bank.execute(&A, command, at) {
            Ok(recorded) => {
                let events: Vec<(u64, Event)> =
                    recorded.iter().filter_map(|r| Some((r.version, Event::from_recorded(r).ok()?))).collect();
                let names: Vec<String> = events.iter().map(|(v, e)| format!("{} as version {v}", e.type_name())).collect();
                let projected = match self.balances.catch_up(self.bank.store()) {
                    Ok(_) => String::new(),
                    Err(error) => format!(" The read model could not follow: {error:?}."),
                };
                let said = format!("{asked}: accepted. Appended {}.{projected}", names.join(", "));
                (Ok(events), said)
            }
            Err(error) => {
                let rule = match &error { BankError::Rejected(r) => r.rule(), _ => "error" };
                let sentence = match &error { BankError::Rejected(r) => r.to_string(), other => other.to_string() };
                let said = format!("{asked}: rejected. {sentence} Nothing was appended: the stream stays at version {version}.");
                (Err(Refused { rule, sentence, version }), said)
            }
        };
        self.lines.push(Line { name, amount, decided_on, outcome });
        said
    }

    fn stream(&self) -> Vec<(u64, Event)> {
        self.bank
            .store()
            .read_stream(&A.stream(), 1)
            .filter_map(|r| Some((r.version, Event::from_recorded(r).ok()?)))
            .collect()
    }
}

/// The widget.
#[component]
pub fn CommandConsole() -> impl IntoView {
    let console = RwSignal::new_local(Console::new());
    let note = RwSignal::new(String::new());
    let send = move |name: &'static str, amount: Option<Cents>, command: Command| {
        console.update(|c| match c {
            Ok(c) => note.set(c.send(name, amount, command)),
            Err(reason) => note.set(format!("The console could not start: {reason}")),
        });
    };
    let open = Callback::new(move |_: Option<Cents>| send("OpenAccount", None, Command::OpenAccount { owner: None }));
    let deposit = Callback::new(move |a: Option<Cents>| {
        let amount = a.unwrap_or(Cents(0));
        send("DepositMoney", Some(amount), Command::DepositMoney { amount })
    });
    let withdraw = Callback::new(move |a: Option<Cents>| {
        let amount = a.unwrap_or(Cents(0));
        send("WithdrawMoney", Some(amount), Command::WithdrawMoney { amount })
    });
    let close = Callback::new(move |_: Option<Cents>| send("CloseAccount", None, Command::CloseAccount));
    let refuse = Callback::new(move |reason: String| note.set(reason));
    // Bumped by Reset: the forms start over too, so no amount or error from before stays.
    let round = RwSignal::new(0u32);
    let reset = move |_| {
        round.update(|n| *n += 1);
        console.set(Console::new());
        note.set("Started over: account A has no events, and the read model has no line for it.".to_owned());
    };

    let stream = move || console.with(|c| c.as_ref().map(Console::stream).unwrap_or_default());
    let fresh = move || {
        console.with(|c| {
            c.as_ref().ok().and_then(|c| c.lines.last()).and_then(|l| l.outcome.as_ref().ok()).map(|e| e.iter().map(|(v, _)| *v).collect::<Vec<_>>())
        })
        .unwrap_or_default()
    };

    view! {
        <section class="card widget command-console" aria-labelledby="command-console-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="command-console-title">"Command console"</h3>
            <p class="widget-intro">"Commands for account A. The decider judges each one against the state folded from A's stream."</p>
            <div class="console-commands">
                <CommandForm scope="command-console" name="OpenAccount" button="Open account" send=open refuse=refuse/>
                <CommandForm scope="command-console" name="DepositMoney" button="Deposit" amount_label="Amount to deposit (€)" initial="50" send=deposit refuse=refuse restart=round/>
                <CommandForm scope="command-console" name="WithdrawMoney" button="Withdraw" amount_label="Amount to withdraw (€)" initial="30" send=withdraw refuse=refuse restart=round/>
                <CommandForm scope="command-console" name="CloseAccount" button="Close account" send=close refuse=refuse/>
            </div>
            <p class="live-note visually-hidden" role="status">{super::aloud(note.into())}</p>
            <div class="console-grid">
                <div class="console-said">
                    <div class="console-said-head">
                        <h4 class="board-heading" id="command-console-history">"What the decider said"</h4>
                        <button type="button" class="button small" on:click=reset>"Reset"</button>
                    </div>
                    {move || console.with(|c| {
                        let lines = c.as_ref().map(|c| c.lines.clone()).unwrap_or_default();
                        if lines.is_empty() {
                            return view! { <p class="console-empty">"No commands yet. Try a deposit before opening the account."</p> }.into_any();
                        }
                        let hidden = lines.len().saturating_sub(SHOWN);
                        let last = lines.len() - 1;
                        view! {
                            <ol class="console-history" aria-labelledby="command-console-history">
                                {lines.into_iter().enumerate().rev().take(SHOWN).map(|(i, line)| {
                                    let result = match line.outcome {
                                        Ok(events) => events.into_iter().map(|(v, e)| event_chip(format!("event · v{v}"), &e)).collect_view().into_any(),
                                        Err(refused) => view! {
                                            <span class="chip chip-reject console-reject">
                                                <span class="chip-kind">{format!("rejected · {}", refused.rule)}</span>
                                                <span class="chip-detail">{refused.sentence}</span>
                                                <span class="chip-detail console-nothing">{format!("Nothing appended: the stream stays at version {}.", refused.version)}</span>
                                            </span>
                                        }.into_any(),
                                    };
                                    view! {
                                        <li class="console-line" class:latest=i == last>
                                            <div class="console-asked">
                                                {chip("chip chip-command", "command".into(), line.name.into(), line.amount.map(|a| a.to_string()).unwrap_or_default())}
                                                <span class="console-decided">{format!("decided {}", line.decided_on)}</span>
                                            </div>
                                            <span class="console-arrow" aria-hidden="true">"→"</span>
                                            <div class="console-result">{result}</div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            {(hidden > 0).then(|| view! { <p class="console-empty">{format!("and {} earlier", crate::plural::count(hidden, "command"))}</p> })}
                        }.into_any()
                    })}
                </div>
                <div class="console-side">
                    <h4 class="board-heading" id="command-console-stream">
                        {chip("chip chip-stream console-stream-chip", "stream".into(), "account-A".into(), String::new())}
                    </h4>
                    {move || {
                        let events = stream();
                        if events.is_empty() {
                            return view! { <p class="console-empty">"No events yet: the stream is empty."</p> }.into_any();
                        }
                        let fresh = fresh();
                        view! {
                            <ol class="stream console-stream" aria-label="Events of account A">
                                {events.into_iter().map(|(v, e)| view! {
                                    <li class="chip chip-event" class:new=fresh.contains(&v)>
                                        <span class="chip-kind">{format!("v{v}")}</span>
                                        <span class="chip-name">{e.type_name()}</span>
                                        <span class="chip-detail">{e.describe()}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    <div class="state-card console-model" role="group" aria-label="Balance read model">
                        <span class="chip-kind">"read model · balances"</span>
                        {move || console.with(|c| {
                            let line = c.as_ref().ok().and_then(|c| c.balances.accounts().find(|(id, _)| **id == A).map(|(_, l)| *l));
                            let position = c.as_ref().map(|c| c.balances.position()).unwrap_or(0);
                            match line {
                                Some(line) => view! {
                                    <span class="balance">{line.balance.to_string()}</span>
                                    <span class="meta">{format!("account A {} · {} · up to position {position}", line.status, crate::plural::count(line.events as usize, "event"))}</span>
                                }.into_any(),
                                None => view! {
                                    <span class="balance">"—"</span>
                                    <span class="meta">"no line for account A yet"</span>
                                }.into_any(),
                            }
                        })}
                    </div>
                </div>
            </div>
        </section>
    }
}
