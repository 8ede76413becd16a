//! The page `/sandbox`: a free-play bank whose account events are kept in the learner's own log in
//! localStorage, with its balances read model and its latest events beside the commands.

use foldlab_core::account::{Command, Event, Rejection};
use foldlab_core::bank::{Bank, DecidedAgain};
use foldlab_core::store::{BackendError, Reconciled, RecordedEvent};
use foldlab_core::{AccountId, BankError, Cents, EventId, TransferId};
use leptos::prelude::*;

use super::set_title;
use crate::route::Link;
use crate::storage::{self, LogChange, Place};
use crate::widget::command_form::CommandForm;
use crate::widget::{Said, StatusLine};

/// How many of the bank's events the page lists; all of them are on the log page.
const SHOWN: usize = 8;

/// The sandbox bank, on the learner's log, or in memory when the browser refuses localStorage.
struct Vault {
    bank: Bank<Place>,
    /// Why the bank is in memory, when the learner's log could not be opened.
    unkept: Option<String>,
}

/// One of the latest events: where it was stored and what it says.
#[derive(Clone)]
struct LatestEvent {
    stream: String,
    version: u64,
    event_type: String,
    detail: String,
}

impl Vault {
    fn open() -> Result<Vault, String> {
        let origin = fresh_origin();
        let (place, unkept) = match storage::open() {
            Ok((backend, _)) => (Place::Local(backend), None),
            Err(error) => (Place::memory(), Some(storage::why_not_kept(error))),
        };
        let mut bank = Bank::open(place).map_err(|e| e.to_string())?.with_origin(&origin).map_err(|e| e.to_string())?;
        // A transfer left in flight (storage was full when the process ran, or the page closed in
        // between) is settled now, as a process does when it starts again. If it still cannot be,
        // the balances say what is in flight.
        let _ = bank.settle(crate::clock::now());
        Ok(Vault { bank, unkept })
    }

    /// Runs a command (a transfer gets the bank's next transfer id), then the transfer process; a
    /// sentence for the learner either way, naming the command as [`asked`] does.
    fn run(&mut self, account: &AccountId, command: impl Fn(&dyn Fn() -> TransferId) -> Command) -> Said {
        let at = crate::clock::now();
        // The stored log no longer continues ours (another tab started over while this page missed
        // it): read it afresh first, as the journal does, rather than refuse every command.
        if let Err(BankError::Backend(BackendError::Corrupt(_))) = self.bank.refresh() {
            if let Err(reason) = self.reopen() {
                return Said::Refused(format!("The log could not be read again: {reason}"));
            }
        }
        // Another tab may take the same transfer id between our look and our append: take the next one.
        let mut attempts = 0;
        let (outcome, named) = loop {
            attempts += 1;
            let _ = self.bank.refresh();
            let command = command(&|| self.bank.next_transfer_id());
            let named = asked(&command, account);
            let outcome = self.bank.execute(account, command, at);
            if attempts == 3 || !matches!(outcome, Err(BankError::DuplicateTransfer { .. })) {
                break (outcome, named);
            }
        };
        let appended = match outcome {
            Ok(events) => events,
            Err(BankError::Rejected(rejection)) => {
                // `a` for `A`: ids are taken as typed, and the learner meant the account they see.
                let other = (rejection == Rejection::AccountNotOpen)
                    .then(|| self.bank.accounts().map(|(id, _)| id).find(|id| *id != account && id.as_str().eq_ignore_ascii_case(account.as_str())).cloned())
                    .flatten();
                let meant = other.map(|id| format!(" Account ids are taken as typed: did you mean {}?", id.as_str())).unwrap_or_default();
                return Said::Refused(format!("{named}: rejected. {rejection}{meant} Nothing was appended."));
            }
            Err(other) => return Said::Refused(format!("{named}: not stored. {other} Nothing was appended.")),
        };
        let mut said = format!("{named}: accepted. Appended {}.", where_appended(&appended));
        match self.bank.settle(at) {
            Ok(reactions) if reactions.is_empty() => {}
            Ok(reactions) => {
                let events: Vec<RecordedEvent> = reactions.into_iter().flat_map(|r| r.events).collect();
                said.push_str(&format!(" The transfer process then appended {}.", where_appended(&events)));
            }
            Err(error) => said.push_str(&format!(" The transfer process could not run yet: {error}")),
        }
        Said::Done(said)
    }

    /// Where the bank has read the log to: the last event's global position and id (a log
    /// started over elsewhere may reach the same position with other events).
    fn head(&self) -> (u64, Option<EventId>) {
        let store = self.bank.store();
        (store.head(), store.read_all(0).last().map(|newest| newest.id.clone()))
    }

    /// Reads the log afresh (as the journal does, without the repairs of a first opening): another
    /// tab deleted it, or this page missed its writes while in the back-forward cache. Under a new
    /// origin: on a log started over, the old one would give new events the ids of deleted ones,
    /// which the tab that started over takes for its old log coming back.
    fn reopen(&mut self) -> Result<(), String> {
        let reopened = Bank::open(self.bank.store().backend().clone()).map_err(|e| e.to_string())?;
        self.bank = reopened.with_origin(&fresh_origin()).map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Follows another tab's write; when it was made over this page's latest events (two tabs at
    /// once), the bank decides those commands again. What the learner should hear of it, if anything.
    fn reconcile(&mut self) -> Result<Option<Said>, String> {
        let reconciled = self.bank.reconcile(crate::clock::now()).map_err(|e| e.to_string())?;
        Ok(match reconciled.log {
            Reconciled::CaughtUp { .. } => None,
            Reconciled::Replaced => Some(Said::Done(REPLACED.to_owned())),
            Reconciled::Raced { .. } if reconciled.decided_again.is_empty() => None,
            Reconciled::Raced { .. } => Some(raced(&reconciled.decided_again)),
        })
    }

    fn balances(&self) -> Vec<(String, String, String)> {
        self.bank.accounts().map(|(id, a)| (id.as_str().to_string(), a.balance().to_string(), a.status().to_string())).collect()
    }

    /// Each transfer whose money has left its source and not yet arrived or come back.
    fn in_flight(&self) -> Vec<String> {
        self.bank.pending_transfers().map(|t| format!("{} from {} to {} (transfer {})", t.amount, t.from, t.to, t.transfer)).collect()
    }

    /// A sentence about stored account events the bank could not read and left out of the
    /// balances (written by hand or by a newer version of the app), if there are any.
    fn unreadable(&self) -> Option<String> {
        let unreadable = self.bank.unreadable();
        let first = unreadable.first()?;
        Some(format!(
            "Left out of these balances: {} this version of the course cannot read, and the accounts they belong to take no commands. \
             The first is at position {} of your log, on account {}: {}",
            crate::plural::count(unreadable.len(), "event"),
            first.position,
            first.account,
            first.error
        ))
    }

    /// The newest [`SHOWN`] events of the bank's account streams, newest last as the log keeps them,
    /// and how many there are.
    fn latest(&self) -> (Vec<LatestEvent>, usize) {
        let accounts: Vec<&RecordedEvent> =
            self.bank.store().read_all(1).iter().filter(|r| AccountId::from_stream(&r.stream).is_some()).collect();
        let shown = accounts[accounts.len().saturating_sub(SHOWN)..].iter().map(|r| LatestEvent {
            stream: r.stream.to_string(),
            version: r.version,
            event_type: r.event_type.clone(),
            detail: Event::from_recorded(r).map(|e| e.describe()).unwrap_or_else(|e| format!("unreadable: {e}")),
        });
        (shown.collect(), accounts.len())
    }
}

/// A name for this page's bank in its events' ids, its own among every tab's and every visit's.
fn fresh_origin() -> String {
    format!("sandbox{:x}", (js_sys::Math::random() * 1e12) as u64)
}

/// What a tab that was told another tab started the log over or replaced it says.
const REPLACED: &str = "Another tab started the log over or replaced it: this bank now shows what the log holds.";

/// What the learner is told when another tab wrote over this page's latest events: each command
/// was decided again on the log as it is now, as an expected-version conflict asks (lesson 7);
/// said as a refusal when one of them did not go through this time.
fn raced(decided: &[DecidedAgain]) -> Said {
    let each: Vec<String> = decided
        .iter()
        .map(|again| {
            let asked = asked(&again.command, &again.account);
            match &again.outcome {
                Ok(events) => format!("{asked} was accepted again: appended {}.", where_appended(events)),
                Err(BankError::Rejected(rejection)) => format!("{asked} was rejected this time. {rejection} Nothing was appended."),
                Err(other) => format!("{asked} was not stored. {other} Nothing was appended."),
            }
        })
        .collect();
    let text = format!(
        "Another tab wrote to the log at the same moment as this one, from a copy that had not yet seen this tab's \
         latest events, and the browser kept that tab's write. So this tab decided {} again, on the log as it is now. {}",
        if decided.len() == 1 { "its command".to_owned() } else { format!("its {} commands", decided.len()) },
        each.join(" ")
    );
    if decided.iter().all(|again| again.outcome.is_ok()) {
        Said::Done(text)
    } else {
        Said::Refused(text)
    }
}

/// A command as the status line names it: `DepositMoney €1.00 on A`.
fn asked(command: &Command, account: &AccountId) -> String {
    match command {
        Command::OpenAccount { .. } => format!("OpenAccount on {account}"),
        Command::DepositMoney { amount } => format!("DepositMoney {amount} on {account}"),
        Command::WithdrawMoney { amount } => format!("WithdrawMoney {amount} on {account}"),
        Command::TransferMoney { from, to, amount, .. } => format!("TransferMoney {amount} from {from} to {to}"),
        Command::CloseAccount => format!("CloseAccount on {account}"),
        // Not sent from this page; named all the same.
        Command::ReverseDeposit { .. } => format!("ReverseDeposit on {account}"),
        Command::CreditTransfer { .. } => format!("CreditTransfer on {account}"),
        Command::RefundTransfer { .. } => format!("RefundTransfer on {account}"),
    }
}

/// `money-deposited to account-A as version 2`, for each event.
fn where_appended(events: &[RecordedEvent]) -> String {
    let each: Vec<String> = events.iter().map(|r| format!("{} to {} as version {}", r.event_type, r.stream, r.version)).collect();
    each.join(", ")
}

/// The free-play bank.
#[component]
pub fn SandboxPage() -> impl IntoView {
    set_title(|| "Sandbox bank".to_string());
    let vault = RwSignal::new_local(Vault::open());
    let account = RwSignal::new(String::from("A"));
    let account_error = RwSignal::new(None::<String>);
    let to = RwSignal::new(String::from("B"));
    let to_error = RwSignal::new(None::<String>);
    let note = RwSignal::new(Said::Done(String::new()));
    // Why the bank lasts only this visit, if it does.
    let unkept = vault.with_untracked(|v| match v {
        Ok(v) => v.unkept.clone(),
        Err(reason) => Some(reason.clone()),
    });
    let kept = unkept.is_none();

    // Another tab wrote to the log: follow it, so its accounts show here without a command first.
    // What the status line last said may be about events gone now: say what changed, if anything.
    let follow = move |change: LogChange| {
        let followed = vault.try_update(|v| {
            let v = v.as_mut().map_err(|e| e.clone())?;
            match change {
                LogChange::Written => v.reconcile(),
                LogChange::Erased => v.reopen().map(|()| Some(Said::Done(REPLACED.to_owned()))),
            }
        });
        match followed {
            Some(Err(reason)) => note.set(Said::Refused(format!("Another tab's events could not be read: {reason}"))),
            Some(Ok(Some(news))) => note.set(news),
            _ => {}
        }
    };
    let head = move || vault.with_untracked(|v| v.as_ref().ok().map(Vault::head));
    // Back from the back-forward cache, the page missed other tabs' writes: read the log afresh.
    let returned = move || {
        let before = head();
        let reopened = vault.try_update(|v| v.as_mut().map_err(|e| e.clone()).and_then(Vault::reopen));
        match reopened {
            Some(Err(reason)) => note.set(Said::Refused(format!("Another tab's events could not be read: {reason}"))),
            _ if head() != before => {
                note.set(Said::Done("The log changed in another tab while you were away: this bank now shows what it holds.".into()))
            }
            _ => {}
        }
    };
    let following = storage::follow_other_tabs(follow, returned);
    on_cleanup(move || following.stop());

    /// Reads an id field, marking it invalid when it is not an account id; the error says why.
    fn account_in(field: RwSignal<String>, error: RwSignal<Option<String>>) -> Result<AccountId, String> {
        let typed = field.get_untracked();
        match AccountId::new(typed.trim()) {
            Ok(id) => {
                error.set(None);
                Ok(id)
            }
            Err(_) => {
                error.set(Some(AccountId::rule()));
                Err(if typed.trim().is_empty() { "is empty: enter an account id".to_owned() } else { format!("holds “{}”, which is not an account id", typed.trim()) })
            }
        }
    }
    /// Makes a command from the account, the To account (for a transfer) and the bank's next
    /// transfer id.
    type Make<'a> = &'a dyn Fn(AccountId, Option<AccountId>, &dyn Fn() -> TransferId) -> Command;
    // Sends a command to the account in the Account field; `to_field` when it also needs the To
    // account field (both are read first, so both are marked when both are wrong).
    let act = move |name: &'static str, to_field: bool, command: Make| {
        let (from, destination) = (account_in(account, account_error), to_field.then(|| account_in(to, to_error)));
        let (id, destination) = match (from, destination.transpose()) {
            (Ok(id), Ok(destination)) => (id, destination),
            (Err(why), _) => return note.set(Said::Refused(format!("{name} was not sent: the Account field {why}."))),
            (_, Err(why)) => return note.set(Said::Refused(format!("{name} was not sent: the To account field {why}."))),
        };
        vault.update(|v| match v {
            Ok(v) => note.set(v.run(&id, |next| command(id, destination, next))),
            Err(reason) => note.set(Said::Refused(format!("The bank could not open: {reason}"))),
        });
    };
    let open = Callback::new(move |_: Option<Cents>| act("OpenAccount", false, &|_, _, _| Command::OpenAccount { owner: None }));
    let deposit = Callback::new(move |a: Option<Cents>| {
        let amount = a.unwrap_or(Cents(0));
        act("DepositMoney", false, &|_, _, _| Command::DepositMoney { amount })
    });
    let withdraw = Callback::new(move |a: Option<Cents>| {
        let amount = a.unwrap_or(Cents(0));
        act("WithdrawMoney", false, &|_, _, _| Command::WithdrawMoney { amount })
    });
    let transfer = Callback::new(move |a: Option<Cents>| {
        let amount = a.unwrap_or(Cents(0));
        act("TransferMoney", true, &|from, to, next| match to {
            Some(to) => Command::TransferMoney { transfer: next(), from, to, amount },
            // `act` reads the To account field for this command, so it is always there.
            None => Command::TransferMoney { transfer: next(), from, to: from, amount },
        })
    });
    let close = Callback::new(move |_: Option<Cents>| act("CloseAccount", false, &|_, _, _| Command::CloseAccount));
    let refuse = Callback::new(move |reason: String| note.set(Said::Refused(reason)));

    let id_field = move |label: &'static str, id: &'static str, value: RwSignal<String>, error: RwSignal<Option<String>>| {
        let error_id = format!("{id}-error");
        view! {
            <div class="id-field">
                <label class="field">
                    {label}
                    <input type="text" autocomplete="off" id=id spellcheck="false"
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby=error_id.clone()
                        prop:value=move || value.get()
                        on:input=move |ev| { value.set(event_target_value(&ev)); error.set(None); }/>
                </label>
                <p class="inline-error" id=error_id hidden=move || error.get().is_none()>{move || error.get()}</p>
            </div>
        }
    };

    view! {
        <div class="page narrow sandbox">
            <h1>"Sandbox bank"</h1>
            <p class="pitch">
                {match unkept {
                    None => "A bank of your own on the real core. Its events go into your event log beside your progress, so your accounts are still here after a reload.".to_owned(),
                    Some(why) => format!(
                        "A bank of your own on the real core. It is not kept, so it lasts only until you leave the page: {}.",
                        why.trim_end_matches('.')
                    ),
                }}
            </p>
            <section class="card sandbox-commands" aria-labelledby="sandbox-commands-title">
                <h2 id="sandbox-commands-title">"Send a command"</h2>
                <p class="widget-intro">"Each command goes to the account named here (Enter in this field opens it), and the decider judges it against that account's own stream. After a transfer, the transfer process credits the other account, or refunds yours if it cannot."</p>
                // Enter here opens the account named: the first thing a new id needs.
                <form class="sandbox-account" on:submit=move |ev| { ev.prevent_default(); open.run(None); }>
                    {id_field("Account", "sandbox-account", account, account_error)}
                </form>
                <div class="console-commands">
                    <CommandForm scope="sandbox" name="OpenAccount" button="Open account" send=open refuse=refuse/>
                    <CommandForm scope="sandbox" name="DepositMoney" button="Deposit" amount_label="Amount to deposit (€)" initial="10" send=deposit refuse=refuse/>
                    <CommandForm scope="sandbox" name="WithdrawMoney" button="Withdraw" amount_label="Amount to withdraw (€)" initial="10" send=withdraw refuse=refuse/>
                    <CommandForm scope="sandbox" name="TransferMoney" button="Transfer" amount_label="Amount to transfer (€)" initial="10" send=transfer refuse=refuse>
                        {id_field("To account", "sandbox-to", to, to_error)}
                    </CommandForm>
                    <CommandForm scope="sandbox" name="CloseAccount" button="Close account" send=close refuse=refuse/>
                </div>
                <StatusLine said=note/>
            </section>
            <div class="sandbox-views">
                <section aria-labelledby="sandbox-balances-title">
                    <h2 id="sandbox-balances-title">"Balances"</h2>
                    <p class="widget-intro">"A read model: each account's events folded."</p>
                    {move || vault.with(|v| v.as_ref().ok().and_then(Vault::unreadable)).map(|text| view! { <p class="inline-error">{text}</p> })}
                    {move || {
                        let rows = vault.with(|v| v.as_ref().map(Vault::balances).unwrap_or_default());
                        if rows.is_empty() {
                            return view! { <p class="console-empty">"No accounts yet. Open account A to start."</p> }.into_any();
                        }
                        view! {
                            <table class="log-table">
                                <caption class="visually-hidden">"Balance and status of each account"</caption>
                                <thead><tr><th scope="col">"Account"</th><th scope="col">"Balance"</th><th scope="col">"Status"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|(id, balance, status)| view! {
                                        <tr><td>{id}</td><td class="money">{balance}</td><td>{status}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    {move || {
                        let moving = vault.with(|v| v.as_ref().map(Vault::in_flight).unwrap_or_default());
                        (!moving.is_empty()).then(|| view! {
                            <p class="widget-intro">"In flight, not yet credited or refunded: " {moving.join("; ")} "."</p>
                        })
                    }}
                </section>
                <section aria-labelledby="sandbox-events-title">
                    <h2 id="sandbox-events-title">"Latest events"</h2>
                    <p class="widget-intro">"Newest last, in the order they were appended."</p>
                    {move || {
                        let (lines, total) = vault.with(|v| v.as_ref().map(Vault::latest).unwrap_or_default());
                        if lines.is_empty() {
                            return view! { <p class="console-empty">"Nothing appended yet."</p> }.into_any();
                        }
                        let more = (total > lines.len()).then(|| format!("The newest {} of {total}. ", lines.len()));
                        view! {
                            <ol class="sandbox-events" aria-labelledby="sandbox-events-title">
                                {lines.into_iter().map(|line| view! {
                                    <li class="chip chip-event">
                                        <span class="chip-kind">{format!("{} · version {}", line.stream, line.version)}</span>
                                        <span class="chip-name">{line.event_type}</span>
                                        <span class="chip-detail">{line.detail}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <p class="widget-intro">{more}{kept.then(|| view! { "Every event, with your progress's own, is on " <Link href="/log">"Your log"</Link> "." })}</p>
                        }.into_any()
                    }}
                </section>
            </div>
        </div>
    }
}
