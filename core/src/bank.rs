//! The bank: many account streams on one event store, and the transfer process between them.
//!
//! [`Bank::execute`] runs a person's command against one account: it catches up with the store,
//! decides against the account's current state and appends the result conditionally on the version
//! it decided against; if someone else wrote to that account meanwhile, it decides again. A writer
//! that learns only later that its events were written over (two browser tabs, each deciding on its
//! own copy of localStorage) decides again then: [`Bank::reconcile`].
//!
//! A transfer touches two accounts but no event touches both. Transferring appends
//! `money-transferred-out` to the source only; the money is then *in flight*. The transfer process
//! ([`Bank::react_next`], [`Bank::settle`]) reacts to each pending transfer: it credits the
//! destination (`money-transferred-in`) or, if the destination is closed or was never opened,
//! refunds the source (`transfer-refunded`). A reaction reads several streams, so its append is
//! conditional on the whole log being as it was read: two tabs can never both settle one transfer.
//! Money is conserved: the balances plus the money in flight change only through deposits,
//! withdrawals and reversals.
//!
//! Event ids: a command's events get `<origin>/<account>/<version>`, so every writer (every browser
//! tab) needs its own origin ([`Bank::with_origin`]); a reaction's event gets the transferred-out
//! event's id plus `/in` or `/refund`, the same whichever tab reacts, so a retried reaction is
//! stored once.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;

use crate::account::{decide, evolve, Account, Command, DecodeError, Event, RefundReason, Rejection};
use crate::calendar::Timestamp;
use crate::id::{AccountId, EventId, IdError, StreamId, TransferId};
use crate::money::Money;
use crate::snapshot::{load_with, Loaded, Snapshot};
use crate::store::{AppendError, Backend, BackendError, EventStore, ExpectedVersion, RecordedEvent, Reconciled};

/// Many accounts on one store, with the transfer process.
#[derive(Debug)]
pub struct Bank<B> {
    store: EventStore<B>,
    origin: String,
    /// Every account's state, folded up to `position`.
    accounts: BTreeMap<AccountId, Account>,
    /// The transfers made and those still pending, as of `position`.
    transfers: TransferBook,
    /// The global position of the last event folded into the caches above.
    position: u64,
    /// Account events that could not be read, passed over.
    unreadable: Vec<Unreadable>,
    /// This writer's latest commands and the events each appended, oldest first: a command whose
    /// events another tab wrote over is decided again (see [`Bank::reconcile`]).
    issued: VecDeque<Issued>,
}

/// A command this writer carried out, and the ids of the events it appended.
#[derive(Clone, Debug)]
struct Issued {
    account: AccountId,
    command: Command,
    events: Vec<EventId>,
}

/// How many of its latest commands a bank remembers, to decide them again after a race; the
/// store makes again only its latest hundred positions' appends, so more would never be asked for.
const ISSUED: usize = 100;

/// What [`Bank::reconcile`] did after another writer wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// What the store found.
    pub log: Reconciled,
    /// This writer's commands whose events another tab wrote over, decided again on the log as
    /// it is now, in the order they were first carried out.
    pub decided_again: Vec<DecidedAgain>,
}

/// A command decided again after a race, and how it came out this time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecidedAgain {
    /// The account it was sent to.
    pub account: AccountId,
    /// The command (a transfer's id may have changed, if the other tab took it).
    pub command: Command,
    /// The events stored this time, or why there are none.
    pub outcome: Result<Vec<RecordedEvent>, BankError>,
}

/// A stored account event this bank could not read (hand-edited, or written by a newer version),
/// passed over: its account then takes no commands, since a decision on the rest of its history
/// could break a rule the unread event records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The account whose stream holds it.
    pub account: AccountId,
    /// Its global position.
    pub position: u64,
    /// Why it cannot be read.
    pub error: DecodeError,
}

/// How the transfer process would settle one pending transfer now.
struct Settlement {
    /// The account the reaction appends to: the destination, or the source for a refund.
    account: AccountId,
    state: Account,
    events: Vec<Event>,
    outcome: Outcome,
    /// Appended to the transferred-out event's id to make the reaction's.
    suffix: &'static str,
}

/// What the transfer process tracks: every transfer made, and which are still pending.
#[derive(Debug, Default)]
struct TransferBook {
    /// Transfers out not yet credited or refunded, by the global position of their transfer-out.
    pending: BTreeMap<u64, PendingTransfer>,
    /// Every transfer ever made, by source and id, with the position of its transfer-out.
    made: HashMap<(AccountId, TransferId), u64>,
}

/// A transfer whose money has left the source and not yet arrived or come back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingTransfer {
    /// The transfer.
    pub transfer: TransferId,
    /// The source account.
    pub from: AccountId,
    /// The destination account.
    pub to: AccountId,
    /// How much is in flight.
    pub amount: Money,
    /// The id of the `money-transferred-out` event.
    pub event: EventId,
    /// Its global position.
    pub position: u64,
}

/// One step of the transfer process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reaction {
    /// The transfer it settled.
    pub transfer: PendingTransfer,
    /// What happened to it.
    pub outcome: Outcome,
    /// The event appended (to the destination when credited, to the source when refunded).
    pub events: Vec<RecordedEvent>,
}

/// How a transfer was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The destination received the money.
    Credited,
    /// The destination refused it and the source got it back.
    Refunded(RefundReason),
}

/// Why the bank did not carry out a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BankError {
    /// The account refused the command (a domain rule).
    Rejected(Rejection),
    /// The store refused the append (e.g. a conflict that persisted after retries).
    Store(AppendError),
    /// The backend failed while catching up.
    Backend(BackendError),
    /// A stored account event cannot be read (where a caller asked for it by name: a history).
    Decode {
        /// Its global position.
        position: u64,
        /// What is wrong with it.
        error: DecodeError,
    },
    /// The account's stream holds an event this bank cannot read (see [`Unreadable`]).
    PartlyUnreadable {
        /// The account.
        account: AccountId,
        /// The global position of its first unreadable event.
        position: u64,
    },
    /// Crediting and refunding transfers is the process's job, not a person's.
    ProcessOnly,
    /// A transfer command was sent to another account than its source.
    WrongAccount {
        /// The account the command was sent to.
        stream: AccountId,
        /// The source the transfer names.
        from: AccountId,
    },
    /// An event id would be too long (an origin or a stored id of unusual length).
    InvalidId(IdError),
    /// This source account already made a transfer with this id.
    DuplicateTransfer {
        /// The source account.
        from: AccountId,
        /// The reused id.
        transfer: TransferId,
    },
}

/// How many times a command is decided again when another writer keeps appending to its account.
const ATTEMPTS: usize = 8;

impl<B: Backend> Bank<B> {
    /// Opens a bank on `backend`, reading everything it holds.
    pub fn open(backend: B) -> Result<Bank<B>, BankError> {
        Bank::new(EventStore::open(backend).map_err(BankError::Backend)?)
    }

    /// A bank on an already opened store.
    pub fn new(store: EventStore<B>) -> Result<Bank<B>, BankError> {
        let mut bank = Bank {
            store,
            origin: "bank".to_owned(),
            accounts: BTreeMap::new(),
            transfers: TransferBook::default(),
            position: 0,
            unreadable: Vec::new(),
            issued: VecDeque::new(),
        };
        bank.refresh()?;
        Ok(bank)
    }

    /// Follows another writer's write (another tab's), as [`refresh`](Bank::refresh) does, and
    /// also when it wrote over this writer's latest events before it had seen them
    /// ([`EventStore::reconcile`]): the store makes again what still holds, and a command whose
    /// events are lost is decided again on the log as it is now, the way a command meeting a
    /// conflict is. Then the transfer process runs, since a reaction may have been lost too.
    pub fn reconcile(&mut self, at: Timestamp) -> Result<Reconciliation, BankError> {
        let log = self.store.reconcile(at).map_err(BankError::Backend)?;
        let lost: HashSet<EventId> = match &log {
            Reconciled::CaughtUp { .. } => {
                self.fold_arrived();
                return Ok(Reconciliation { log, decided_again: Vec::new() });
            }
            Reconciled::Replaced => HashSet::new(),
            Reconciled::Raced { lost, .. } => lost.iter().map(|event| event.id.clone()).collect(),
        };
        // The events folded so far may no longer be the log's: fold it afresh.
        self.accounts.clear();
        self.transfers = TransferBook::default();
        self.position = 0;
        self.unreadable.clear();
        self.fold_arrived();
        let issued = std::mem::take(&mut self.issued);
        let mut decided_again = Vec::new();
        if matches!(log, Reconciled::Raced { .. }) {
            // A reaction lost in the race (a credit) is made again first: a command decided
            // again may need its money. What cannot settle now settles with the next command.
            let _ = self.settle(at);
            for Issued { account, command, events } in issued {
                if events.iter().any(|id| lost.contains(id)) {
                    let (command, outcome) = self.decide_again(&account, command, at);
                    decided_again.push(DecidedAgain { account, command, outcome });
                } else {
                    self.issued.push_back(Issued { account, command, events });
                }
            }
            let _ = self.settle(at);
        }
        Ok(Reconciliation { log, decided_again })
    }

    /// Carries out `command` again; a transfer whose id the other writer took meanwhile gets the
    /// next one, as it would have had it been sent now.
    fn decide_again(&mut self, account: &AccountId, mut command: Command, at: Timestamp) -> (Command, Result<Vec<RecordedEvent>, BankError>) {
        let mut outcome = self.execute(account, command.clone(), at);
        if let (Err(BankError::DuplicateTransfer { .. }), Command::TransferMoney { transfer, .. }) = (&outcome, &mut command) {
            *transfer = self.next_transfer_id();
            outcome = self.execute(account, command.clone(), at);
        }
        (command, outcome)
    }

    /// Names this writer in the ids of the events its commands produce. Every writer sharing a
    /// backend (every tab, every clerk in a test) needs its own origin; the default is `bank`.
    /// At most 64 characters, no control characters.
    pub fn with_origin(mut self, origin: &str) -> Result<Bank<B>, IdError> {
        self.origin = StreamId::new(origin)?.to_string();
        Ok(self)
    }

    /// What this writer's command event ids start with (see [`with_origin`](Bank::with_origin)).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Catches up with the store (another tab may have written) and folds the new events into the
    /// bank's view; returns how many arrived. An account event that cannot be read is passed over
    /// (see [`unreadable`](Bank::unreadable)) rather than stopping the bank for good.
    pub fn refresh(&mut self) -> Result<usize, BankError> {
        self.store.catch_up().map_err(BankError::Backend)?;
        Ok(self.fold_arrived())
    }

    /// Folds the events the store holds past the bank's position into its view; how many.
    fn fold_arrived(&mut self) -> usize {
        let arrived = self.store.read_all(self.position + 1);
        for recorded in arrived {
            if let Some(account) = AccountId::from_stream(&recorded.stream) {
                let state = self.accounts.entry(account).or_default();
                match Event::from_recorded(recorded) {
                    Ok(event) => {
                        *state = evolve(*state, &event);
                        self.transfers.follow(account, &event, recorded);
                    }
                    Err(error) => {
                        *state = state.passed_over();
                        self.unreadable.push(Unreadable { account, position: recorded.position, error });
                    }
                }
            }
            self.position = recorded.position;
        }
        arrived.len()
    }

    /// The account events this bank could not read and passed over, in global order: the
    /// balances leave them out, so whoever shows the balances should say so.
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// Why nothing may be decided on `account`, if its stream holds an event this bank could not
    /// read: the error naming the first such event.
    fn partly_unreadable(&self, account: &AccountId) -> Option<BankError> {
        let first = self.unreadable.iter().find(|u| u.account == *account)?;
        Some(BankError::PartlyUnreadable { account: *account, position: first.position })
    }

    /// Runs a person's command against `account` and returns the events stored. Does not run the
    /// transfer process: call [`settle`](Bank::settle) (or [`react_next`](Bank::react_next)) for that.
    pub fn execute(&mut self, account: &AccountId, command: Command, at: Timestamp) -> Result<Vec<RecordedEvent>, BankError> {
        if command.is_process_only() {
            return Err(BankError::ProcessOnly);
        }
        if let Command::TransferMoney { from, .. } = &command {
            if from != account {
                return Err(BankError::WrongAccount { stream: *account, from: *from });
            }
        }
        let mut last_error = None;
        for _ in 0..ATTEMPTS {
            self.refresh()?;
            if let Some(refused) = self.partly_unreadable(account) {
                return Err(refused);
            }
            if let Command::TransferMoney { transfer, from, .. } = &command {
                if self.transfers.made.contains_key(&(*from, transfer.clone())) {
                    return Err(BankError::DuplicateTransfer { from: *from, transfer: transfer.clone() });
                }
            }
            let state = self.account(account);
            let events = decide(&command, &state).map_err(BankError::Rejected)?;
            let new_events = (state.version() + 1..)
                .zip(&events)
                .map(|(version, event)| Ok(event.to_new_event(self.event_id(account, version)?)))
                .collect::<Result<Vec<_>, BankError>>()?;
            let expected = ExpectedVersion::Exact(state.version());
            match self.store.append(&account.stream(), expected, new_events, at) {
                Ok(appended) => {
                    let events = appended.events.iter().map(|event| event.id.clone()).collect();
                    self.issued.push_back(Issued { account: *account, command, events });
                    if self.issued.len() > ISSUED {
                        self.issued.pop_front();
                    }
                    self.refresh()?;
                    return Ok(appended.events);
                }
                // Someone else wrote to this account since we looked: decide again on its new state.
                Err(conflict @ AppendError::Conflict(_)) => last_error = Some(conflict),
                Err(error) => return Err(BankError::Store(error)),
            }
        }
        Err(BankError::Store(last_error.unwrap_or(AppendError::Backend(BackendError::Unavailable(
            "the account kept changing".to_owned(),
        )))))
    }

    /// Settles the oldest pending transfer that can be settled: credits its destination, or
    /// refunds its source if the destination refuses. `None` when nothing is pending, or when no
    /// pending transfer can be settled (see [`settlement`](Bank::settlement)).
    pub fn react_next(&mut self, at: Timestamp) -> Result<Option<Reaction>, BankError> {
        let mut last_error = None;
        for _ in 0..ATTEMPTS {
            self.refresh()?;
            let found = self.transfers.pending.values().find_map(|pending| Some((pending.clone(), self.settlement(pending)?)));
            let Some((pending, Settlement { account, state, events, outcome, suffix })) = found else {
                return Ok(None);
            };
            let head = self.store.head();
            let id = EventId::new(&format!("{}/{suffix}", pending.event)).map_err(BankError::InvalidId)?;
            let new_events = events.iter().map(|event| event.to_new_event(id.clone())).collect();
            let expected = ExpectedVersion::Exact(state.version());
            match self.store.append_if_head(head, &account.stream(), expected, new_events, at) {
                Ok(appended) => {
                    self.refresh()?;
                    return Ok(Some(Reaction { transfer: pending, outcome, events: appended.events }));
                }
                // The log moved since we read it: another tab may have settled this very transfer.
                Err(moved @ (AppendError::LogMoved { .. } | AppendError::Conflict(_))) => last_error = Some(moved),
                Err(error) => return Err(BankError::Store(error)),
            }
        }
        Err(BankError::Store(last_error.unwrap_or(AppendError::Backend(BackendError::Unavailable(
            "the log kept changing".to_owned(),
        )))))
    }

    /// How `pending` would be settled now: a credit to its destination, else a refund to its
    /// source. `None` when the source refuses the refund too, which only a history no decider
    /// made can bring about (a transfer out of an account never opened, in an imported or
    /// hand-edited log), or when either account's history is partly unreadable: that transfer
    /// stays in flight, and the ones after it are still settled.
    fn settlement(&self, pending: &PendingTransfer) -> Option<Settlement> {
        // Neither account can be decided on while part of its history is unread.
        if self.partly_unreadable(&pending.to).is_some() || self.partly_unreadable(&pending.from).is_some() {
            return None;
        }
        let destination = self.account(&pending.to);
        let credit = Command::CreditTransfer { transfer: pending.transfer.clone(), from: pending.from, amount: pending.amount };
        let reason = match decide(&credit, &destination) {
            Ok(events) => {
                return Some(Settlement { account: pending.to, state: destination, events, outcome: Outcome::Credited, suffix: "in" })
            }
            Err(Rejection::AccountClosed) => RefundReason::DestinationClosed,
            Err(Rejection::AccountNotOpen) => RefundReason::DestinationNotOpen,
            // Crediting checks only that the destination is open; no other refusal has a refund reason.
            Err(_) => return None,
        };
        let source = self.account(&pending.from);
        let refund = Command::RefundTransfer { transfer: pending.transfer.clone(), amount: pending.amount, reason };
        let events = decide(&refund, &source).ok()?;
        Some(Settlement { account: pending.from, state: source, events, outcome: Outcome::Refunded(reason), suffix: "refund" })
    }

    /// Runs the transfer process until no transfer is pending; returns what it did, in order.
    pub fn settle(&mut self, at: Timestamp) -> Result<Vec<Reaction>, BankError> {
        let mut reactions = Vec::new();
        while let Some(reaction) = self.react_next(at)? {
            // A reaction already in the log is stored as nothing (appends are idempotent by id);
            // whatever made the process pick it again, picking it once more would never end.
            if reaction.events.is_empty() {
                break;
            }
            reactions.push(reaction);
        }
        Ok(reactions)
    }

    /// The state of `account` as of the last refresh (the initial state if it has no events).
    pub fn account(&self, account: &AccountId) -> Account {
        self.accounts.get(account).copied().unwrap_or_default()
    }

    /// Every account with at least one event, by id.
    pub fn accounts(&self) -> impl Iterator<Item = (&AccountId, &Account)> + '_ {
        self.accounts.iter()
    }

    /// Transfers waiting for the process, oldest first.
    pub fn pending_transfers(&self) -> impl Iterator<Item = &PendingTransfer> + '_ {
        self.transfers.pending.values()
    }

    /// All the money in the bank, in cents: every balance plus the money in flight.
    pub fn total_money(&self) -> i64 {
        let balances: i64 = self.accounts.values().map(|account| account.balance().cents()).sum();
        balances + self.transfers.pending.values().map(|pending| pending.amount.signed()).sum::<i64>()
    }

    /// A transfer id no account has used yet: `T1`, `T2`, … The process only needs an id to be
    /// unique per source, but one id per transfer across the bank keeps a log unambiguous to read
    /// (A's `T1` and B's `T1` would otherwise look like the same transfer).
    pub fn next_transfer_id(&self) -> TransferId {
        let mut n = self.transfers.made.len() + 1;
        loop {
            if let Ok(id) = TransferId::new(&format!("T{n}")) {
                if !self.transfers.made.keys().any(|(_, used)| *used == id) {
                    return id;
                }
            }
            n += 1;
        }
    }

    /// The events of `account`'s stream, decoded, in order.
    pub fn history(&self, account: &AccountId) -> Result<Vec<Event>, BankError> {
        self.store
            .read_stream(&account.stream(), 1)
            .map(|recorded| {
                Event::from_recorded(recorded)
                    .map_err(|error| BankError::Decode { position: recorded.position, error })
            })
            .collect()
    }

    /// Loads `account` from the store the way a bank without a cache would: the newest usable
    /// snapshot in `snapshots`, then the stream's events after it, decoded from JSON.
    pub fn load_account(&self, account: &AccountId, snapshots: &[Snapshot]) -> Result<Loaded<Account>, BankError> {
        let stream = account.stream();
        let stream_version = self.store.stream_version(&stream);
        load_with(&stream, snapshots, Account::SNAPSHOT_SCHEMA, stream_version, Account::default(), |state, from| {
            let mut state = state;
            let mut replayed = 0;
            for recorded in self.store.read_stream(&stream, from + 1) {
                let event = Event::from_recorded(recorded)
                    .map_err(|error| BankError::Decode { position: recorded.position, error })?;
                state = evolve(state, &event);
                replayed += 1;
            }
            Ok((state, replayed))
        })
    }

    /// A snapshot of `account` as the bank sees it now (an `Err` would mean the state no longer
    /// serializes, a bug).
    pub fn snapshot(&self, account: &AccountId) -> Result<Snapshot, String> {
        let state = self.account(account);
        Snapshot::take(&account.stream(), state.version(), Account::SNAPSHOT_SCHEMA, &state)
    }

    /// The store underneath.
    pub fn store(&self) -> &EventStore<B> {
        &self.store
    }

    fn event_id(&self, account: &AccountId, version: u64) -> Result<EventId, BankError> {
        EventId::new(&format!("{}/{account}/{version}", self.origin)).map_err(BankError::InvalidId)
    }
}

impl TransferBook {
    /// Keeps the transfers up to date with one event of `account`'s stream.
    fn follow(&mut self, account: AccountId, event: &Event, recorded: &RecordedEvent) {
        match event {
            Event::MoneyTransferredOut { transfer, to, amount } => {
                self.made.insert((account, transfer.clone()), recorded.position);
                self.pending.insert(recorded.position, PendingTransfer {
                    transfer: transfer.clone(),
                    from: account,
                    to: *to,
                    amount: *amount,
                    event: recorded.id.clone(),
                    position: recorded.position,
                });
            }
            Event::MoneyTransferredIn { transfer, from, .. } => self.settled(*from, transfer),
            Event::TransferRefunded { transfer, .. } => self.settled(account, transfer),
            _ => {}
        }
    }

    /// A credit or refund of `transfer` from `source` arrived: the oldest transfer out still
    /// pending under that id is settled. The bank never reuses an id, but an imported log may, and
    /// settling the newest would leave the older one pending for good.
    fn settled(&mut self, source: AccountId, transfer: &TransferId) {
        let oldest = self.pending.iter().find(|(_, pending)| pending.from == source && pending.transfer == *transfer);
        if let Some(position) = oldest.map(|(position, _)| *position) {
            self.pending.remove(&position);
        }
    }
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::Rejected(rejection) => rejection.fmt(f),
            BankError::Store(error) => error.fmt(f),
            BankError::Backend(error) => error.fmt(f),
            BankError::Decode { position, error } => write!(f, "Event at position {position}: {error}"),
            BankError::InvalidId(error) => error.fmt(f),
            BankError::PartlyUnreadable { account, position } => write!(
                f,
                "Account {account} has an event this version of the course cannot read (at position {position}). \
                 A decision on the rest of its history could break a rule that event records, so {account} takes no commands."
            ),
            BankError::ProcessOnly => {
                f.write_str("Only the transfer process credits or refunds transfers: send a transfer instead.")
            }
            BankError::WrongAccount { stream, from } => {
                write!(f, "A transfer from {from} must be sent to account {from}, not to {stream}.")
            }
            BankError::DuplicateTransfer { from, transfer } => {
                write!(f, "Account {from} already made transfer {transfer}: use a new transfer id.")
            }
        }
    }
}

impl std::error::Error for BankError {}

impl From<Rejection> for BankError {
    fn from(rejection: Rejection) -> BankError {
        BankError::Rejected(rejection)
    }
}

#[cfg(test)]
mod tests;
