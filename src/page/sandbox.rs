//! The page `/sandbox`: a free-play bank whose account events are kept in the learner's own log in
//! localStorage, with its own balances read model.

use foldlab_core::account::Command;
use foldlab_core::bank::Bank;
use foldlab_core::{AccountId, Cents, MemoryBackend, Timestamp};
use leptos::prelude::*;

use super::set_title;
use crate::widget::{Said, StatusLine};
use crate::storage::{self, LocalStorageBackend};

/// The bank's storage: the learner's log, or memory when the browser refuses localStorage.
enum Vault {
    Kept(Bank<LocalStorageBackend>),
    Lost(Bank<MemoryBackend>),
}

impl Vault {
    fn open() -> Result<Vault, String> {
        let origin = format!("sandbox{:x}", (js_sys::Math::random() * 1e12) as u64);
        match storage::open() {
            Ok((backend, _)) => Ok(Vault::Kept(Bank::open(backend).map_err(|e| e.to_string())?.with_origin(&origin).map_err(|e| e.to_string())?)),
            Err(_) => Ok(Vault::Lost(Bank::open(MemoryBackend::default()).map_err(|e| e.to_string())?)),
        }
    }

    /// Runs a command and then the transfer process; a sentence for the learner either way.
    fn run(&mut self, account: &AccountId, command: Command) -> Said {
        let at = crate::clock::now();
        fn go<B: foldlab_core::store::Backend>(bank: &mut Bank<B>, account: &AccountId, command: Command, at: Timestamp) -> Said {
            let _ = bank.refresh();
            match bank.execute(account, command, at).and_then(|mut events| {
                for reaction in bank.settle(at)? {
                    events.extend(reaction.events);
                }
                Ok(events)
            }) {
                Ok(events) => {
                    let names: Vec<_> = events.iter().map(|e| e.event_type.clone()).collect();
                    Said::Done(format!("Appended {} to the log.", names.join(", ")))
                }
                Err(reason) => Said::Refused(format!("Refused: {reason} Nothing was appended.")),
            }
        }
        match self {
            Vault::Kept(bank) => go(bank, account, command, at),
            Vault::Lost(bank) => go(bank, account, command, at),
        }
    }

    fn balances(&self) -> Vec<(String, String, String)> {
        fn rows<B: foldlab_core::store::Backend>(bank: &Bank<B>) -> Vec<(String, String, String)> {
            bank.accounts().map(|(id, a)| (id.as_str().to_string(), a.balance().to_string(), a.status().to_string())).collect()
        }
        match self {
            Vault::Kept(bank) => rows(bank),
            Vault::Lost(bank) => rows(bank),
        }
    }
}

/// The free-play bank.
#[component]
pub fn SandboxPage() -> impl IntoView {
    set_title(|| "Sandbox bank".to_string());
    let vault = RwSignal::new_local(Vault::open());
    let account = RwSignal::new(String::from("A"));
    let to = RwSignal::new(String::from("B"));
    let amount = RwSignal::new(String::from("10"));
    let note = RwSignal::new(Said::Done("Open an account to start. Everything here is kept in your event log.".into()));
    let act = move |make: &dyn Fn(AccountId, Cents) -> Option<Command>| {
        let Ok(id) = AccountId::new(account.get_untracked().trim()) else {
            return note.set(Said::Refused("An account id is 1 to 16 letters, digits, spaces, - or _.".into()));
        };
        let cents = Cents::parse_euros(amount.get_untracked().trim());
        let Some(command) = make(id, cents.as_ref().copied().unwrap_or(Cents(0))) else {
            return note.set(Said::Refused("The other account's id is 1 to 16 letters, digits, spaces, - or _.".into()));
        };
        if let Err(reason) = cents {
            if !matches!(command, Command::OpenAccount { .. } | Command::CloseAccount) {
                return note.set(Said::Refused(reason.to_string()));
            }
        }
        vault.update(|v| match v {
            Ok(v) => note.set(v.run(&id, command)),
            Err(reason) => note.set(Said::Refused(reason.clone())),
        });
    };
    view! {
        <div class="page narrow sandbox">
            <h1>"Sandbox bank"</h1>
            <p class="pitch">"A bank of your own on the real core. Its events go into your event log beside your progress, so your accounts are still here after a reload."</p>
            <div class="row">
                <label class="field">"Account" <input type="text" prop:value=move || account.get() on:input=move |ev| account.set(event_target_value(&ev))/></label>
                <label class="field">"Amount (€)" <input type="text" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/></label>
                <label class="field">"Transfer to" <input type="text" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></label>
            </div>
            <div class="row" role="group" aria-label="Commands">
                <button type="button" class="button" on:click=move |_| act(&|_, _| Some(Command::OpenAccount { owner: None }))>"Open account"</button>
                <button type="button" class="button" on:click=move |_| act(&|_, amount| Some(Command::DepositMoney { amount }))>"Deposit"</button>
                <button type="button" class="button" on:click=move |_| act(&|_, amount| Some(Command::WithdrawMoney { amount }))>"Withdraw"</button>
                <button type="button" class="button" on:click=move |_| act(&|from, amount| {
                    let destination = AccountId::new(to.get_untracked().trim()).ok()?;
                    let transfer = foldlab_core::TransferId::new(&format!("S{:x}", js_sys::Date::now() as u64)).ok()?;
                    Some(Command::TransferMoney { transfer, from, to: destination, amount })
                })>"Transfer"</button>
                <button type="button" class="button" on:click=move |_| act(&|_, _| Some(Command::CloseAccount))>"Close account"</button>
            </div>
            <StatusLine said=note/>
            <table class="log-table">
                <caption>"Balances (a read model of your bank's events)"</caption>
                <thead><tr><th scope="col">"Account"</th><th scope="col">"Balance"</th><th scope="col">"Status"</th></tr></thead>
                <tbody>
                    {move || vault.with(|v| v.as_ref().map(Vault::balances).unwrap_or_default()).into_iter().map(|(id, balance, status)| view! {
                        <tr><td>{id}</td><td class="money">{balance}</td><td>{status}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
