//! The transfer board: accounts side by side, each its own stream. A transfer lands on the source
//! first; the transfer process then credits the destination or refunds the source. The money in the
//! system never changes.

use foldlab_core::account::{Command, Event};
use foldlab_core::bank::{Bank, Outcome};
use foldlab_core::{AccountId, Balance, Cents, RecordedEvent};
use leptos::prelude::*;

use crate::clock::now;
use crate::storage::Place;

use super::{Said, StatusLine};

const A: AccountId = AccountId::constant("A");
const B: AccountId = AccountId::constant("B");
const C: AccountId = AccountId::constant("C");
/// Shown as a destination only: it was never opened, so money sent there comes back.
const D: AccountId = AccountId::constant("D");
const SHOWN: [AccountId; 3] = [A, B, C];

/// A, B and C opened; A and B with money.
fn opening_bank() -> Result<Bank<Place>, String> {
    let mut bank = Bank::open(Place::memory()).map_err(|e| e.to_string())?;
    let setup = [
        (A, Command::OpenAccount { owner: None }),
        (A, Command::DepositMoney { amount: Cents(10_000) }),
        (B, Command::OpenAccount { owner: None }),
        (B, Command::DepositMoney { amount: Cents(5_000) }),
        (C, Command::OpenAccount { owner: None }),
    ];
    for (account, command) in setup {
        bank.execute(&account, command, now()).map_err(|e| e.to_string())?;
    }
    Ok(bank)
}

/// The widget.
#[component]
pub fn TransferBoard() -> impl IntoView {
    let bank = RwSignal::new_local(opening_bank());
    let from = RwSignal::new(A);
    let to = RwSignal::new(B);
    let amount = RwSignal::new(String::from("30"));
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(Said::Done("Pick two accounts and an amount, then transfer.".into()));
    // The newest global position, to mark events that just landed.
    let fresh_after = RwSignal::new(u64::MAX);

    let pending = move || bank.with(|b| b.as_ref().map(|b| b.pending_transfers().count()).unwrap_or(0));
    let transfer = move || {
        let cents = match Cents::parse_euros(amount.get_untracked().trim()) {
            Ok(cents) => cents,
            Err(reason) => {
                // Said in the status line too, where the last step's news would otherwise stay.
                note.set(Said::Refused(format!("Transfer not sent: {reason}")));
                return error.set(Some(reason.to_string()));
            }
        };
        error.set(None);
        let (source, destination) = (from.get_untracked(), to.get_untracked());
        bank.update(|bank| {
            let Ok(bank) = bank else { return };
            fresh_after.set(bank.store().head());
            let command = Command::TransferMoney { transfer: bank.next_transfer_id(), from: source, to: destination, amount: cents };
            note.set(match bank.execute(&source, command, now()) {
                Ok(_) => Said::Done(format!(
                    "Step 1: money-transferred-out landed on {source}'s stream. Only {source} was asked; {destination} has not heard of it yet. Run the process for step 2."
                )),
                Err(reason) => Said::Refused(format!("Transfer refused. {reason} Nothing was appended.")),
            });
        });
    };
    let react = move |_| {
        bank.update(|bank| {
            let Ok(bank) = bank else { return };
            fresh_after.set(bank.store().head());
            note.set(match bank.react_next(now()) {
                Ok(Some(reaction)) => Said::Done({
                    let t = &reaction.transfer;
                    match reaction.outcome {
                        Outcome::Credited => format!("Step 2: the process credited {}: money-transferred-in landed on {}'s stream.", t.to, t.to),
                        Outcome::Refunded(why) => format!(
                            "Step 2: {} could not take the money ({why}), so the process appended transfer-refunded to {}'s stream: the money is back.",
                            t.to, t.from
                        ),
                    }
                }),
                Ok(None) => Said::Done("No transfer is waiting for the process.".into()),
                Err(reason) => Said::Refused(format!("The process failed: {reason}")),
            });
        });
    };
    let close_c = move |_| {
        bank.update(|bank| {
            let Ok(bank) = bank else { return };
            fresh_after.set(bank.store().head());
            note.set(match bank.execute(&C, Command::CloseAccount, now()) {
                Ok(_) => Said::Done("Account C is closed. Money sent to C from now on will be refunded.".into()),
                Err(reason) => Said::Refused(format!("Closing C refused. {reason} Nothing was appended.")),
            });
        });
    };
    // The form starts over too, so no amount or error from before stays beside the opening bank.
    let reset = move |_| {
        bank.set(opening_bank());
        fresh_after.set(u64::MAX);
        from.set(A);
        to.set(B);
        amount.set(String::from("30"));
        error.set(None);
        note.set(Said::Done("Back to the start: A has €100.00, B €50.00, C €0.00.".into()));
    };
    let options = move |selected: RwSignal<AccountId>, with_d: bool| {
        SHOWN.iter().chain(with_d.then_some(&D)).map(move |id| {
            let label = if *id == D { "D (never opened)".to_string() } else { id.as_str().to_string() };
            // A property, not the attribute: once the learner has chosen, only the property moves the choice (Reset).
            view! { <option value=id.as_str() prop:selected=move || selected.get() == *id>{label}</option> }
        }).collect_view()
    };
    let parse = |text: String| AccountId::new(&text).unwrap_or(A);

    view! {
        <section class="card widget transfer-board" aria-labelledby="transfer-board-title">
            <p class="card-kicker">"Try it"</p>
            <h3 id="transfer-board-title">"Transfer board"</h3>
            // A form, so Enter in the amount transfers, as in every other widget.
            <form class="row transfer-form" on:submit=move |ev| { ev.prevent_default(); transfer(); }>
                <label class="field">"From" <select on:change=move |ev| from.set(parse(event_target_value(&ev)))>{options(from, false)}</select></label>
                <label class="field">"To" <select on:change=move |ev| to.set(parse(event_target_value(&ev)))>{options(to, true)}</select></label>
                <label class="field">"Amount (€)"
                    <input type="text" inputmode="decimal" aria-invalid=move || error.get().is_some().to_string() aria-describedby="transfer-board-error"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="button primary">"Transfer"</button>
                <button type="button" class="button" on:click=react>
                    {move || match pending() { 0 => "Run the process".to_owned(), n => format!("Run the process ({n} waiting)") }}
                </button>
                <button type="button" class="button" on:click=close_c>"Close C"</button>
                <button type="button" class="button" on:click=reset>"Reset"</button>
            </form>
            <p id="transfer-board-error" class="inline-error" hidden=move || error.get().is_none()>{move || error.get()}</p>
            <StatusLine said=note/>
            {move || bank.with(|bank| match bank {
                Err(reason) => view! { <p class="inline-error">{format!("The board could not start: {reason}")}</p> }.into_any(),
                Ok(bank) => {
                    let fresh = fresh_after.get();
                    let total = Balance::from_cents(bank.total_money());
                    let in_flight: Vec<_> = bank.pending_transfers().cloned().collect();
                    view! {
                        <p class="transfer-total">
                            // The money in flight is part of the read model's figure: inside its chip.
                            <span class="chip chip-model"><span class="chip-kind">"read model"</span>
                                <span>{format!("Money in the system: {total}")}</span>
                                {(!in_flight.is_empty()).then(|| view! {
                                    <span class="transfer-flight">{format!(
                                        "({} in flight)",
                                        Balance::from_cents(in_flight.iter().map(|p| p.amount.signed()).sum())
                                    )}</span>
                                })}
                            </span>
                        </p>
                        {(!in_flight.is_empty()).then(|| view! {
                            <ul class="transfer-pending" aria-label="Waiting for the transfer process">
                                {in_flight.iter().map(|p| view! {
                                    <li class="chip chip-policy"><span class="chip-kind">"process: pending"</span>
                                        <span>{format!("{}: credit {} with {} from {}", p.transfer.as_str(), p.to, p.amount, p.from)}</span></li>
                                }).collect_view()}
                            </ul>
                        })}
                        <div class="transfer-streams">
                            {SHOWN.iter().map(|id| {
                                let account = bank.account(id);
                                let events: Vec<RecordedEvent> = bank.store().read_stream(&id.stream(), 1).cloned().collect();
                                view! {
                                    <section class="transfer-account" aria-label=format!("Account {}", id.as_str())>
                                        <p class="chip chip-stream"><span class="chip-kind">"stream"</span>
                                            <span class="chip-name">{format!("account {}", id.as_str())}</span>
                                            <span>{format!("{} · {}", account.balance(), account.status())}</span></p>
                                        <ol class="stream transfer-stream" aria-label=format!("Events of account {}", id.as_str())>
                                            {events.iter().map(|r| {
                                                let event = Event::from_recorded(r).ok();
                                                let is_new = r.position > fresh;
                                                view! {
                                                    <li class="chip chip-event" class:new=is_new>
                                                        <span class="chip-kind">{format!("v{} · #{}", r.version, r.position)}</span>
                                                        <span class="chip-name">{r.event_type.clone()}</span>
                                                        <span>{event.map(|e| e.describe()).unwrap_or_default()}</span>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ol>
                                    </section>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any()
                }
            })}
        </section>
    }
}
