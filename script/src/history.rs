//! Case data made by the core: histories of several accounts built by deciding commands, and
//! the values learner code sees for them.
//!
//! Every event in a case is one the core's own `decide` produced (but for a fact recorded under
//! rules no longer in force, [`History::overdraw`]), and every expected state or balance is the
//! core's own `evolve` folded over the same events: no hand-written numbers.

use std::collections::BTreeMap;

use foldlab_core::account::{RefundReason, Rejection};
use foldlab_core::generate::SplitMix64;
use foldlab_core::{
    decide, evolve, fold, states, Account, AccountId, Cents, Command, Event, Money, TransferId,
};
use serde_json::{json, Map, Value};

/// Event data fields the learner's event maps leave out (ids of the process, not of the lesson).
const HIDDEN_FIELDS: &[&str] = &["transfer", "owner", "reason", "deposit"];

/// A mixed list of events of several accounts, in the order they happened.
#[derive(Debug, Clone, Default)]
pub struct History {
    events: Vec<(AccountId, Event)>,
    states: BTreeMap<AccountId, Account>,
    transfers: u64,
}

impl History {
    /// Opens `account`.
    pub fn open(self, account: &str) -> Self {
        self.command(account, Command::OpenAccount { owner: None })
    }

    /// Deposits `cents` into `account`.
    pub fn deposit(self, account: &str, cents: i64) -> Self {
        self.command(account, Command::DepositMoney { amount: Cents(cents) })
    }

    /// Withdraws `cents` from `account`.
    pub fn withdraw(self, account: &str, cents: i64) -> Self {
        self.command(account, Command::WithdrawMoney { amount: Cents(cents) })
    }

    /// Closes `account` (its balance must be zero).
    pub fn close(self, account: &str) -> Self {
        self.command(account, Command::CloseAccount)
    }

    /// Both halves of a transfer: transferred-out on `from`, then transferred-in on `to`.
    pub fn transfer(self, from: &str, to: &str, cents: i64) -> Self {
        let (history, transfer) = self.send(from, to, cents);
        let amount = money(cents);
        history.command(to, Command::CreditTransfer { transfer, from: account_id(from), amount })
    }

    /// Only the first half of a transfer: transferred-out on `from`, nothing on `to`.
    pub fn send_only(self, from: &str, to: &str, cents: i64) -> Self {
        self.send(from, to, cents).0
    }

    /// A transfer that bounced: transferred-out on `from`, refused by `to` (closed, or never
    /// opened), then transfer-refunded on `from`, as the core's transfer process does it.
    pub fn bounce(self, from: &str, to: &str, cents: i64) -> Self {
        let (history, transfer) = self.send(from, to, cents);
        let amount = money(cents);
        let credit = Command::CreditTransfer { transfer: transfer.clone(), from: account_id(from), amount };
        let reason = match decide(&credit, &history.state(to)) {
            Err(Rejection::AccountClosed) => RefundReason::DestinationClosed,
            Err(_) => RefundReason::DestinationNotOpen,
            Ok(_) => panic!("case data: {to} would take transfer {transfer}, so it cannot bounce"),
        };
        history.command(from, Command::RefundTransfer { transfer, amount, reason })
    }

    /// A withdrawal of `cents` from `account` recorded under an overdraft the bank once allowed:
    /// today's `decide` would refuse it, but it is in the log, so `evolve` applies it like any
    /// other fact and the balance may go below zero.
    pub fn overdraw(mut self, account: &str, cents: i64) -> Self {
        let id = account_id(account);
        let event = Event::MoneyWithdrawn { amount: money(cents) };
        let state = evolve(self.states.get(&id).copied().unwrap_or_default(), &event);
        self.states.insert(id, state);
        self.events.push((id, event));
        self
    }

    /// How many events there are.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events as the learner's code sees them.
    pub fn values(&self) -> Vec<Value> {
        self.events.iter().map(|(account, event)| event_value(account, event)).collect()
    }

    /// The events of one account, in order.
    pub fn stream(&self, account: &str) -> Vec<&Event> {
        let id = account_id(account);
        self.events.iter().filter(|(owner, _)| *owner == id).map(|(_, event)| event).collect()
    }

    /// The learner-visible events of one account's stream.
    pub fn stream_values(&self, account: &str) -> Vec<Value> {
        let id = account_id(account);
        self.stream(account).into_iter().map(|event| event_value(&id, event)).collect()
    }

    /// The state after each event of one account's stream, by the core's `evolve`.
    pub fn states(&self, account: &str) -> Vec<Value> {
        states(Account::default(), self.stream(account), evolve).iter().map(state_value).collect()
    }

    /// The final balance of every account that has events, by folding each stream with the
    /// core's `evolve`: `#{ A: 3500, B: 1500 }`.
    pub fn balances(&self) -> Value {
        let accounts: Vec<&AccountId> = self.states.keys().collect();
        let balances: Map<String, Value> = accounts
            .into_iter()
            .map(|account| {
                let stream = self.events.iter().filter(|(owner, _)| owner == account).map(|(_, e)| e);
                let state = fold(Account::default(), stream, evolve);
                (account.as_str().to_owned(), Value::from(state.balance().cents()))
            })
            .collect();
        Value::Object(balances)
    }

    /// The state of `account` now, by the core.
    pub fn state(&self, account: &str) -> Account {
        self.states.get(&account_id(account)).copied().unwrap_or_default()
    }

    /// Runs a command through the core's `decide` and appends what it decided. Case data is
    /// ours, so a rejection here is a mistake in a case, caught by the tests.
    fn command(mut self, account: &str, command: Command) -> Self {
        let id = account_id(account);
        let state = self.states.get(&id).copied().unwrap_or_default();
        let events = decide(&command, &state)
            .unwrap_or_else(|rejection| panic!("case data: {account} {command:?}: {rejection}"));
        let state = events.iter().fold(state, evolve);
        self.states.insert(id, state);
        self.events.extend(events.into_iter().map(|event| (id, event)));
        self
    }

    fn send(mut self, from: &str, to: &str, cents: i64) -> (Self, TransferId) {
        self.transfers += 1;
        let transfer = TransferId::new(&format!("t{}", self.transfers))
            .unwrap_or_else(|error| panic!("case data: transfer id: {error}"));
        let command = Command::TransferMoney {
            transfer: transfer.clone(),
            from: account_id(from),
            to: account_id(to),
            amount: Cents(cents),
        };
        (self.command(from, command), transfer)
    }
}

/// An event as learner code sees it: `#{ type: "money-deposited", account: "A", amount: 5000 }`.
pub fn event_value(account: &AccountId, event: &Event) -> Value {
    let mut fields = Map::new();
    fields.insert("type".into(), event.type_name().into());
    fields.insert("account".into(), account.as_str().into());
    if let Value::Object(data) = event.data() {
        for (key, value) in data {
            if !HIDDEN_FIELDS.contains(&key.as_str()) {
                fields.insert(key, value);
            }
        }
    }
    Value::Object(fields)
}

/// The state of one account as learner code sees it: `#{ open: true, closed: false, balance: 0 }`.
pub fn state_value(state: &Account) -> Value {
    json!({ "open": state.is_open(), "closed": state.is_closed(), "balance": state.balance().cents() })
}

/// A rejection as learner code returns it: `#{ rejected: "insufficient-funds" }`.
pub fn rejection_value(rejection: &Rejection) -> Value {
    json!({ "rejected": rejection.rule() })
}

/// An account id of case data.
pub fn account_id(text: &str) -> AccountId {
    AccountId::new(text).unwrap_or_else(|error| panic!("case data: account id {text:?}: {error}"))
}

fn money(cents: i64) -> Money {
    Money::from_cents(cents).unwrap_or_else(|error| panic!("case data: amount {cents}: {error}"))
}

/// A long, plausible history of four accounts (deposits, withdrawals, transfers both ways),
/// deterministic for a seed, with exactly `n` events.
pub fn busy_history(seed: u64, n: usize) -> History {
    const ACCOUNTS: [&str; 4] = ["A", "B", "C", "D"];
    let mut rng = SplitMix64::new(seed);
    let mut next = move |below: u64| rng.below(below);
    let mut history = ACCOUNTS.iter().fold(History::default(), |history, account| history.open(account));
    while history.len() < n {
        let account = ACCOUNTS[next(4) as usize];
        let balance = history.state(account).balance().cents();
        let amount = 100 + 100 * next(50) as i64;
        history = match next(10) {
            0..=3 => history.deposit(account, amount),
            4..=5 if balance >= amount => history.withdraw(account, amount),
            6..=9 if balance >= amount && history.len() + 2 <= n => {
                let others: Vec<&str> = ACCOUNTS.iter().copied().filter(|other| *other != account).collect();
                history.transfer(account, others[next(3) as usize], amount)
            }
            _ => history.deposit(account, amount),
        };
    }
    history
}
