//! The correction ledger: fix a mistaken deposit with a compensating event and undo a transfer with
//! a transfer back, while a CRUD row beside the log shows what an UPDATE would have kept.

use foldlab_core::account::{Command, Event};
use foldlab_core::bank::Bank;
use foldlab_core::{AccountId, Cents};
use leptos::prelude::*;

use crate::clock::now;
use crate::storage::Place;

use super::{Said, StatusLine};

const A: AccountId = AccountId::constant("A");
const B: AccountId = AccountId::constant("B");

/// A and B opened, A with €100.00.
fn opening_bank() -> Result<Bank<Place>, String> {
    let mut bank = Bank::open(Place::memory()).map_err(|e| e.to_string())?;
    for (account, command) in [
        (A, Command::OpenAccount { owner: None }),
        (A, Command::DepositMoney { amount: Cents(10_000) }),
        (B, Command::OpenAccount { owner: None }),
    ] {
        bank.execute(&account, command, now()).map_err(|e| e.to_string())?;
    }
    Ok(bank)
}

/// The widget.
#[component]
pub fn CorrectionLedger() -> impl IntoView {
    let bank = RwSignal::new_local(opening_bank());
    let amount = RwSignal::new(String::from("500"));
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(Said::Done("Meant to deposit €50 but typed €500? Deposit it, then correct it.".into()));
    // How many times the CRUD row was overwritten: all an UPDATE-based table could ever tell.
    let updates = RwSignal::new(0u32);

    let run = move |account: AccountId, command: Command, done: &str| {
        bank.update(|bank| {
            let Ok(bank) = bank else { return };
            let result = bank.execute(&account, command, now()).and_then(|mut events| {
                for reaction in bank.settle(now())? {
                    events.extend(reaction.events);
                }
                Ok(events)
            });
            note.set(match result {
                Ok(events) => {
                    updates.update(|n| *n += events.len() as u32);
                    let names: Vec<_> = events.iter().map(|e| e.event_type.clone()).collect();
                    Said::Done(format!("{done} Appended {}; nothing was edited or deleted.", names.join(" and ")))
                }
                // Named: the balance in the reason is that account's, and the learner has two.
                Err(reason) => Said::Refused(format!("Refused by account {account}. {reason} Nothing was appended.")),
            });
        });
    };
    // The amount goes back to €500 too: the lesson's steps start from it.
    let reset = move |_| {
        bank.set(opening_bank());
        updates.set(0);
        amount.set(String::from("500"));
        error.set(None);
        note.set(Said::Done("Back to the start.".into()));
    };
    let deposit = move || match Cents::parse_euros(amount.get_untracked().trim()) {
        Ok(cents) => {
            error.set(None);
            run(A, Command::DepositMoney { amount: cents }, "Deposited.");
        }
        Err(reason) => {
            // The status line says it too, so it never goes on showing an older command's outcome.
            note.set(Said::Refused(format!("Nothing was deposited: {reason}")));
            error.set(Some(reason.to_string()));
        }
    };
    let reversible = move || bank.with(|b| b.as_ref().ok().and_then(|b| b.account(&A).reversible_deposit()));
    let reverse = move |_| match untrack(reversible) {
        Some(recent) => run(
            A,
            Command::ReverseDeposit { deposit: recent.version, reason: "deposited by mistake".into() },
            &format!("Reversed the {} deposit at version {} with a compensating event.", recent.amount, recent.version),
        ),
        None => note.set(Said::Refused("No deposit is left to reverse: the latest one already has its compensating event.".into())),
    };
    let transfer = move |back: bool| {
        let id = bank.with_untracked(|b| b.as_ref().ok().map(|b| b.next_transfer_id()));
        if let Some(id) = id {
            if back {
                run(B, Command::TransferMoney { transfer: id, from: B, to: A, amount: Cents(2_000) }, "Transferred €20.00 back from B to A: a new transfer, not an undo.");
            } else {
                run(A, Command::TransferMoney { transfer: id, from: A, to: B, amount: Cents(2_000) }, "Transferred €20.00 from A to B.");
            }
        }
    };

    view! {
        <section class="card widget correction-ledger" aria-labelledby="correction-ledger-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="correction-ledger-title">"Correction ledger"</h3>
            <div class="row ledger-actions">
                // A form, so Enter in the amount deposits it; `display: contents` keeps the row's layout.
                <form class="ledger-deposit" on:submit=move |ev| { ev.prevent_default(); deposit(); }>
                    <label class="field">"Amount (€)"
                        <input type="text" inputmode="decimal" aria-invalid=move || error.get().is_some().to_string() aria-describedby="correction-ledger-error"
                            prop:value=move || amount.get() on:input=move |ev| { amount.set(event_target_value(&ev)); error.set(None); }/>
                    </label>
                    <button type="submit" class="button primary">"Deposit into A"</button>
                </form>
                <button type="button" class="button" on:click=reverse aria-disabled=move || reversible().is_none().then_some("true")>
                    {move || match reversible() {
                        Some(recent) => format!("Reverse the deposit of {}", recent.amount),
                        None => "Reverse the latest deposit".to_string(),
                    }}
                </button>
                <button type="button" class="button" on:click=move |_| transfer(false)>"Transfer €20 from A to B"</button>
                <button type="button" class="button" on:click=move |_| transfer(true)>"Transfer €20 back from B to A"</button>
                <button type="button" class="button" on:click=reset>"Reset"</button>
            </div>
            <p id="correction-ledger-error" class="inline-error" hidden=move || error.get().is_none()>{move || error.get()}</p>
            <StatusLine said=note/>
            {move || bank.with(|bank| match bank {
                Err(reason) => view! { <p class="inline-error">{format!("The ledger could not start: {reason}")}</p> }.into_any(),
                Ok(bank) => {
                    // In the order they were recorded across both accounts, as the log keeps them: a
                    // transfer's money leaves A before it reaches B.
                    let rows: Vec<(u64, String, Event)> = bank
                        .store()
                        .read_all(1)
                        .iter()
                        .filter_map(|r| {
                            let account = AccountId::from_stream(&r.stream)?;
                            Some((r.version, account.as_str().to_string(), Event::from_recorded(r).ok()?))
                        })
                        .collect();
                    view! {
                        <div class="ledger-grid">
                            <section class="ledger-crud" aria-label="What a CRUD table keeps">
                                <h4>"A CRUD table: one row per account"</h4>
                                <table class="board-table">
                                    <thead><tr><th scope="col">"id"</th><th scope="col">"balance"</th></tr></thead>
                                    <tbody>
                                        <tr><td>"A"</td><td class="money">{bank.account(&A).balance().to_string()}</td></tr>
                                        <tr><td>"B"</td><td class="money">{bank.account(&B).balance().to_string()}</td></tr>
                                    </tbody>
                                </table>
                                <p class="board-sub">{move || format!("Overwritten {}. Which change was a mistake, and who fixed it? The row cannot say.", crate::plural::count(updates.get() as usize, "time"))}</p>
                            </section>
                            <section class="ledger-log" aria-label="What the event log keeps">
                                <h4>"The event log: every fact, the mistake and its fix"</h4>
                                <ol class="stream ledger-stream" aria-label="Events of accounts A and B">
                                    {rows.into_iter().map(|(version, account, e)| {
                                        let class = if matches!(e, Event::DepositReversed { .. }) { "chip chip-event correction" } else { "chip chip-event" };
                                        view! {
                                            <li class=class>
                                                <span class="chip-kind">{format!("account {account} · version {version}")}</span>
                                                <span class="chip-name">{e.type_name()}</span>
                                                <span>{e.describe()}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </section>
                        </div>
                    }.into_any()
                }
            })}
        </section>
    }
}
