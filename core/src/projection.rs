//! Projections: read models folded from the global order of account events, rebuildable from scratch.
//!
//! A [`Projection`] is a view (balances, a monthly statement, fraud flags, counts) that knows how to
//! apply one account event. A [`Projector`] feeds it: it remembers the global position of the last
//! event applied, so catching up reads only what is new, an event seen twice is applied once, and
//! `rebuild` starts again from position zero. Events of streams that are not accounts are passed over.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use crate::account::{DecodeError, Event, Status};
use crate::calendar::{Timestamp, YearMonth};
use crate::id::AccountId;
use crate::money::{Balance, Money};
use crate::store::{Backend, EventStore, RecordedEvent};

/// A read model built from account events in global order.
pub trait Projection {
    /// Applies one event of `account`'s stream; `recorded` is its envelope.
    fn apply(&mut self, account: AccountId, event: &Event, recorded: &RecordedEvent);
}

/// Feeds a projection from the store and remembers how far it got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Projector<P> {
    view: P,
    position: u64,
}

/// Why a projection stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProjectionError {
    /// The stored event at `position` is not a readable account event.
    Decode {
        /// Its global position.
        position: u64,
        /// What is wrong with it.
        error: DecodeError,
    },
    /// Events were fed with a hole in the global order.
    Gap {
        /// The position the projection needed next.
        expected: u64,
        /// The position it was given.
        found: u64,
    },
}

/// The balance and status of every account, and the money in flight between them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    accounts: BTreeMap<AccountId, AccountLine>,
    in_flight: i64,
}

/// One account in [`Balances`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountLine {
    /// The balance.
    pub balance: Balance,
    /// Open or closed.
    pub status: Status,
    /// How many events the account's stream has.
    pub events: u64,
}

/// Monthly statements of every account: opening and closing balance, money in and out, and a line
/// per event, by the month (UTC) each event was recorded in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthlyStatement {
    statements: BTreeMap<(AccountId, YearMonth), Statement>,
    running: BTreeMap<AccountId, Balance>,
}

/// One account's statement for one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The balance before the month's first event.
    pub opening: Balance,
    /// The balance after its last event.
    pub closing: Balance,
    /// Cents that came in.
    pub money_in: u64,
    /// Cents that went out.
    pub money_out: u64,
    /// The events, in order.
    pub lines: Vec<StatementLine>,
}

/// One event on a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    /// Its global position.
    pub position: u64,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// What happened, in words.
    pub description: String,
    /// The change to the balance, in cents.
    pub change: i64,
    /// The balance after it.
    pub balance: Balance,
}

/// Flags on money leaving an account in large amounts: withdrawals and transfers out at or above a
/// threshold (€1,000.00 unless set).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LargeWithdrawals {
    threshold: Money,
    flags: Vec<Flag>,
}

/// A flagged event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// Its global position.
    pub position: u64,
    /// The account the money left.
    pub account: AccountId,
    /// How much.
    pub amount: Money,
    /// `money-withdrawn` or `money-transferred-out`.
    pub event_type: &'static str,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

/// How many events of each type the accounts have seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeCounts {
    counts: BTreeMap<&'static str, u64>,
}

impl<P: Projection> Projector<P> {
    /// A projector for `view`, which has seen nothing yet.
    pub fn new(view: P) -> Projector<P> {
        Projector { view, position: 0 }
    }

    /// A fresh view built from every event in the store.
    pub fn rebuild<B: Backend>(store: &EventStore<B>) -> Result<Projector<P>, ProjectionError>
    where
        P: Default,
    {
        let mut projector = Projector::new(P::default());
        projector.catch_up(store)?;
        Ok(projector)
    }

    /// Applies the store's events after the last one seen; returns how many were read.
    pub fn catch_up<B: Backend>(&mut self, store: &EventStore<B>) -> Result<usize, ProjectionError> {
        self.feed(store.read_all(self.position + 1))
    }

    /// Applies events given in global order; events already seen are passed over (a consumer may
    /// receive an event twice and must not count it twice). Returns how many were new.
    pub fn feed<'e>(&mut self, events: impl IntoIterator<Item = &'e RecordedEvent>) -> Result<usize, ProjectionError> {
        let mut fed = 0;
        for recorded in events {
            if recorded.position <= self.position {
                continue;
            }
            if recorded.position != self.position + 1 {
                return Err(ProjectionError::Gap { expected: self.position + 1, found: recorded.position });
            }
            if let Some(account) = AccountId::from_stream(&recorded.stream) {
                let event = Event::from_recorded(recorded)
                    .map_err(|error| ProjectionError::Decode { position: recorded.position, error })?;
                self.view.apply(account, &event, recorded);
            }
            self.position = recorded.position;
            fed += 1;
        }
        Ok(fed)
    }

    /// The global position of the last event applied (0 for none).
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The view.
    pub fn view(&self) -> &P {
        &self.view
    }
}

impl<P> Deref for Projector<P> {
    type Target = P;

    fn deref(&self) -> &P {
        &self.view
    }
}

impl Balances {
    /// The balance of `account`, if it has any event.
    pub fn balance(&self, account: &AccountId) -> Option<Balance> {
        self.accounts.get(account).map(|line| line.balance)
    }

    /// Every account, by id.
    pub fn accounts(&self) -> impl Iterator<Item = (&AccountId, &AccountLine)> + '_ {
        self.accounts.iter()
    }

    /// Cents transferred out and not yet credited or refunded.
    pub fn in_flight(&self) -> i64 {
        self.in_flight
    }

    /// All the money in the bank, in cents: every balance plus the money in flight. Transfers never
    /// change it; only deposits, withdrawals and reversals do.
    pub fn total(&self) -> i64 {
        self.accounts.values().map(|line| line.balance.cents()).sum::<i64>() + self.in_flight
    }
}

impl Projection for Balances {
    fn apply(&mut self, account: AccountId, event: &Event, _recorded: &RecordedEvent) {
        let line = self.accounts.entry(account).or_default();
        line.events += 1;
        line.balance = Balance::from_cents(line.balance.cents().saturating_add(event.balance_change()));
        match event {
            Event::AccountOpened { .. } => line.status = Status::Open,
            Event::AccountClosed => line.status = Status::Closed,
            Event::MoneyTransferredOut { amount, .. } => self.in_flight += amount.signed(),
            Event::MoneyTransferredIn { amount, .. } | Event::TransferRefunded { amount, .. } => {
                self.in_flight -= amount.signed();
            }
            _ => {}
        }
    }
}

impl MonthlyStatement {
    /// `account`'s statement for `month`, if anything happened then.
    pub fn statement(&self, account: &AccountId, month: YearMonth) -> Option<&Statement> {
        self.statements.get(&(*account, month))
    }

    /// The months with a statement for `account`, in order.
    pub fn months(&self, account: &AccountId) -> Vec<YearMonth> {
        self.statements.keys().filter(|(owner, _)| owner == account).map(|(_, month)| *month).collect()
    }
}

impl Projection for MonthlyStatement {
    fn apply(&mut self, account: AccountId, event: &Event, recorded: &RecordedEvent) {
        let running = self.running.entry(account).or_default();
        let change = event.balance_change();
        let opening = *running;
        *running = Balance::from_cents(running.cents().saturating_add(change));
        let statement = self.statements.entry((account, recorded.recorded_at.year_month())).or_insert(Statement {
            opening,
            closing: opening,
            money_in: 0,
            money_out: 0,
            lines: Vec::new(),
        });
        statement.closing = *running;
        if change >= 0 {
            statement.money_in += change.unsigned_abs();
        } else {
            statement.money_out += change.unsigned_abs();
        }
        statement.lines.push(StatementLine {
            position: recorded.position,
            recorded_at: recorded.recorded_at,
            description: event.describe(),
            change,
            balance: *running,
        });
    }
}

impl LargeWithdrawals {
    /// Flags money leaving at or above `threshold`.
    pub fn with_threshold(threshold: Money) -> LargeWithdrawals {
        LargeWithdrawals { threshold, flags: Vec::new() }
    }

    /// The threshold.
    pub fn threshold(&self) -> Money {
        self.threshold
    }

    /// The flagged events, in global order.
    pub fn flags(&self) -> &[Flag] {
        &self.flags
    }
}

impl Default for LargeWithdrawals {
    fn default() -> LargeWithdrawals {
        LargeWithdrawals::with_threshold(Money::from_cents(100_000).unwrap_or(Money::MAX))
    }
}

impl Projection for LargeWithdrawals {
    fn apply(&mut self, account: AccountId, event: &Event, recorded: &RecordedEvent) {
        if let Event::MoneyWithdrawn { amount } | Event::MoneyTransferredOut { amount, .. } = event {
            if *amount >= self.threshold {
                self.flags.push(Flag {
                    position: recorded.position,
                    account,
                    amount: *amount,
                    event_type: event.type_name(),
                    recorded_at: recorded.recorded_at,
                });
            }
        }
    }
}

impl TypeCounts {
    /// How many events of `event_type` were seen.
    pub fn count(&self, event_type: &str) -> u64 {
        self.counts.get(event_type).copied().unwrap_or(0)
    }

    /// Every type seen with its count, by type name.
    pub fn counts(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.counts.iter().map(|(event_type, count)| (*event_type, *count))
    }

    /// How many events were seen in all.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

impl Projection for TypeCounts {
    fn apply(&mut self, _account: AccountId, event: &Event, _recorded: &RecordedEvent) {
        *self.counts.entry(event.type_name()).or_default() += 1;
    }
}

impl fmt::Display for ProjectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectionError::Decode { position, error } => write!(f, "Event at position {position}: {error}"),
            ProjectionError::Gap { expected, found } => {
                write!(f, "Events must arrive in order: expected position {expected}, got {found}.")
            }
        }
    }
}

impl std::error::Error for ProjectionError {}

#[cfg(test)]
mod tests;
