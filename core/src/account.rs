//! The bank-account decider: commands, events, rejections, the account state, `decide` and `evolve`.
//!
//! One account is one stream. `decide(&Command, &Account)` turns a request into facts or refuses it
//! with a [`Rejection`] named for the rule it enforces; `evolve(Account, &Event)` applies one fact.
//! Both are plain functions: no I/O, no clock, no `self`. `evolve` never fails: an event is a fact,
//! and a fact cannot be refused.
//!
//! Transfers span two accounts but no event touches both: [`Command::TransferMoney`] decides against
//! the source alone (money transferred out); the transfer process (see [`crate::bank`]) then sends
//! [`Command::CreditTransfer`] to the destination and, if the destination refuses, sends
//! [`Command::RefundTransfer`] back to the source.
//!
//! # JSON shape
//!
//! Events serialize as `{"type": "<kebab-case name>", "data": {...}}`; amounts are integer cents.
//! In the store, `type` becomes the envelope's `event_type` and `data` its `data` (`null` for
//! `account-closed`), next to the schema version of that shape:
//!
//! ```text
//! type                    schema  data
//! account-opened          1       {"owner": "Alice"}            (owner optional)
//! money-deposited         2       {"amount": 1250}              (schema 1: {"amount": "12.50"})
//! money-withdrawn         1       {"amount": 500}
//! money-transferred-out   1       {"transfer": "T1", "to": "bob", "amount": 1000}
//! money-transferred-in    1       {"transfer": "T1", "from": "alice", "amount": 1000}
//! transfer-refunded       1       {"transfer": "T1", "amount": 1000, "reason": "destination-closed"}
//! deposit-reversed        1       {"deposit": 3, "amount": 1250, "reason": "typed twice"}
//! account-closed          1       null
//! ```
//!
//! Commands use the same shape (`{"type": "deposit-money", "data": {"amount": 1250}}`).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fold::fold;
use crate::id::{AccountId, EventId, TransferId};
use crate::money::{AmountError, Balance, Cents, Money};
use crate::store::{NewEvent, RecordedEvent};
use crate::upcast::Upcasters;

/// A request to an account. It may be refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "kebab-case")]
pub enum Command {
    /// Open the account, optionally naming its owner.
    OpenAccount {
        /// The owner's name, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// Put money into the account.
    DepositMoney {
        /// The amount asked for (the decider refuses zero or less).
        amount: Cents,
    },
    /// Take money out of the account.
    WithdrawMoney {
        /// The amount asked for.
        amount: Cents,
    },
    /// Send money from this account (`from`) to another one.
    TransferMoney {
        /// The transfer's id, unique for the source account.
        transfer: TransferId,
        /// The account the money leaves: the stream this command is sent to.
        from: AccountId,
        /// The account the money goes to.
        to: AccountId,
        /// The amount asked for.
        amount: Cents,
    },
    /// Correct a mistaken deposit with a compensating event (the deposit itself stays in history).
    ReverseDeposit {
        /// The stream version of the deposit event to reverse.
        deposit: u64,
        /// Why, for the audit trail.
        #[serde(default)]
        reason: String,
    },
    /// Close the account; its balance must be zero.
    CloseAccount,
    /// Process only: credit the destination of a transfer.
    CreditTransfer {
        /// The transfer being completed.
        transfer: TransferId,
        /// The account the money came from.
        from: AccountId,
        /// The amount transferred.
        amount: Money,
    },
    /// Process only: give a failed transfer's money back to its source.
    RefundTransfer {
        /// The transfer that failed.
        transfer: TransferId,
        /// The amount transferred out.
        amount: Money,
        /// Why the destination refused it.
        reason: RefundReason,
    },
}

/// A fact about an account, in the past tense. Never refused, never changed. Serialized by
/// serde's derive; read back by [`Event::from_stored`] (see `from_data` for why not derived).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case", content = "data")]
pub enum Event {
    /// The account was opened.
    AccountOpened {
        /// The owner's name, if one was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// Money was paid in. Its stream version identifies it for a later reversal.
    MoneyDeposited {
        /// How much.
        amount: Money,
    },
    /// Money was paid out.
    MoneyWithdrawn {
        /// How much.
        amount: Money,
    },
    /// Money left for another account; the transfer process will credit or refund it.
    MoneyTransferredOut {
        /// The transfer.
        transfer: TransferId,
        /// The destination account.
        to: AccountId,
        /// How much.
        amount: Money,
    },
    /// Money arrived from another account.
    MoneyTransferredIn {
        /// The transfer.
        transfer: TransferId,
        /// The source account.
        from: AccountId,
        /// How much.
        amount: Money,
    },
    /// A transfer out failed at the destination and its money came back.
    TransferRefunded {
        /// The transfer.
        transfer: TransferId,
        /// How much came back.
        amount: Money,
        /// Why the destination refused it.
        reason: RefundReason,
    },
    /// An earlier deposit was corrected by taking its amount back out.
    DepositReversed {
        /// The stream version of the deposit.
        deposit: u64,
        /// How much was taken back (the deposit's amount).
        amount: Money,
        /// Why.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    /// The account was closed.
    AccountClosed,
}

/// Why the destination of a transfer refused the money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefundReason {
    /// The destination account was never opened.
    DestinationNotOpen,
    /// The destination account is closed.
    DestinationClosed,
}

/// Why a command was refused: each variant is named for the rule it enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Amounts must be more than zero.
    AmountNotPositive,
    /// Amounts must be at most [`Money::MAX`].
    AmountTooLarge,
    /// The balance must cover what leaves the account.
    InsufficientFunds {
        /// The balance when the command was decided.
        balance: Balance,
        /// What the command asked for.
        requested: Money,
    },
    /// Only an open account accepts money commands.
    AccountNotOpen,
    /// An account is opened once.
    AccountAlreadyOpen,
    /// A closed account accepts no more commands.
    AccountClosed,
    /// A transfer needs two different accounts.
    TransferToSameAccount,
    /// Only the latest deposit can be reversed, and only once.
    UnknownDeposit {
        /// The stream version that was asked for.
        deposit: u64,
    },
    /// Only an empty account can be closed.
    BalanceNotZero {
        /// The balance left in the account.
        balance: Balance,
    },
}

/// The state of one account: everything `decide` needs, nothing more. Small and `Copy`, so folding
/// it allocates nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    status: Status,
    balance: Balance,
    version: u64,
    /// The latest deposit, while it can still be reversed.
    last_deposit: Option<RecentDeposit>,
}

/// Where an account is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// No account-opened event yet (the initial state).
    #[default]
    NotOpened,
    /// Open for business.
    Open,
    /// Closed for good.
    Closed,
}

/// The deposit that can still be reversed: the latest one, until it is reversed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentDeposit {
    /// The stream version of the deposit event.
    pub version: u64,
    /// Its amount.
    pub amount: Money,
}

/// Why a stored event could not be read as an account [`Event`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The type is not one of [`Event::TYPES`].
    UnknownType {
        /// The stored type.
        event_type: String,
    },
    /// The schema version is newer than this code knows, or no upcaster leads from it.
    UnknownSchema {
        /// The stored type.
        event_type: String,
        /// The stored schema version.
        schema: u32,
    },
    /// The data does not have the shape of its type and schema (missing field, negative amount, ...).
    Invalid {
        /// The stored type.
        event_type: String,
        /// The stored schema version.
        schema: u32,
        /// What is wrong, as serde or the upcaster said it.
        reason: String,
    },
}

/// Decides what happens when `command` reaches an account in `state`: the new facts, or the rule
/// that refuses it.
pub fn decide(command: &Command, state: &Account) -> Result<Vec<Event>, Rejection> {
    match command {
        Command::OpenAccount { owner } => match state.status {
            Status::NotOpened => Ok(vec![Event::AccountOpened { owner: owner.clone() }]),
            Status::Open => Err(Rejection::AccountAlreadyOpen),
            Status::Closed => Err(Rejection::AccountClosed),
        },
        Command::DepositMoney { amount } => {
            let amount = valid_amount(*amount)?;
            state.require_open()?;
            Ok(vec![Event::MoneyDeposited { amount }])
        }
        Command::WithdrawMoney { amount } => {
            let amount = valid_amount(*amount)?;
            state.require_open()?;
            state.require_funds(amount)?;
            Ok(vec![Event::MoneyWithdrawn { amount }])
        }
        Command::TransferMoney { transfer, from, to, amount } => {
            let amount = valid_amount(*amount)?;
            if from == to {
                return Err(Rejection::TransferToSameAccount);
            }
            state.require_open()?;
            state.require_funds(amount)?;
            Ok(vec![Event::MoneyTransferredOut { transfer: transfer.clone(), to: *to, amount }])
        }
        Command::ReverseDeposit { deposit, reason } => {
            state.require_open()?;
            let recent = (state.last_deposit)
                .filter(|last| last.version == *deposit)
                .ok_or(Rejection::UnknownDeposit { deposit: *deposit })?;
            state.require_funds(recent.amount)?;
            Ok(vec![Event::DepositReversed { deposit: *deposit, amount: recent.amount, reason: reason.clone() }])
        }
        Command::CloseAccount => {
            state.require_open()?;
            if !state.balance.is_zero() {
                return Err(Rejection::BalanceNotZero { balance: state.balance });
            }
            Ok(vec![Event::AccountClosed])
        }
        Command::CreditTransfer { transfer, from, amount } => {
            state.require_open()?;
            Ok(vec![Event::MoneyTransferredIn { transfer: transfer.clone(), from: *from, amount: *amount }])
        }
        // A refund compensates a fact that already happened: the source takes its money back even
        // if it was closed in the meantime, or the money would vanish.
        Command::RefundTransfer { transfer, amount, reason } => match state.status {
            Status::NotOpened => Err(Rejection::AccountNotOpen),
            Status::Open | Status::Closed => {
                Ok(vec![Event::TransferRefunded { transfer: transfer.clone(), amount: *amount, reason: *reason }])
            }
        },
    }
}

/// Applies one fact to the state. Total and allocation-free: any event in any order gives a state
/// (a history the decider would not have produced may show a negative balance).
#[inline(always)]
pub fn evolve(mut state: Account, event: &Event) -> Account {
    state.version += 1;
    match event {
        Event::MoneyDeposited { amount } => {
            state.balance = state.balance.plus(*amount);
            state.last_deposit = Some(RecentDeposit { version: state.version, amount: *amount });
        }
        Event::MoneyWithdrawn { amount } | Event::MoneyTransferredOut { amount, .. } => {
            state.balance = state.balance.minus(*amount);
        }
        Event::MoneyTransferredIn { amount, .. } | Event::TransferRefunded { amount, .. } => {
            state.balance = state.balance.plus(*amount);
        }
        Event::DepositReversed { deposit, amount, .. } => {
            state.balance = state.balance.minus(*amount);
            if state.last_deposit.is_some_and(|last| last.version == *deposit) {
                state.last_deposit = None;
            }
        }
        Event::AccountOpened { .. } => {
            if state.status == Status::NotOpened {
                state.status = Status::Open;
            }
        }
        Event::AccountClosed => state.status = Status::Closed,
    }
    state
}

/// The state after `events`, folded from the initial state: `fold(Account::default(), events, evolve)`.
pub fn replay(events: &[Event]) -> Account {
    fold(Account::default(), events, evolve)
}

impl Account {
    /// The schema version of the account state's JSON shape, for snapshots. Bump it when the fields
    /// change: older snapshots are then skipped and the state is rebuilt by replay.
    pub const SNAPSHOT_SCHEMA: u32 = 1;

    /// The money in the account.
    pub fn balance(&self) -> Balance {
        self.balance
    }

    /// Where the account is in its life.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Whether the account is open.
    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }

    /// Whether the account is closed.
    pub fn is_closed(&self) -> bool {
        self.status == Status::Closed
    }

    /// How many events have been applied: the stream version this state reflects.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The state after a stored event this code cannot read (hand-edited, or written by a newer
    /// version): it changes nothing but still counts towards the stream's version, so commands
    /// decided on this state append after it instead of conflicting with it forever.
    pub fn passed_over(mut self) -> Account {
        self.version += 1;
        self
    }

    /// The deposit that can still be reversed, if any: the latest, unless it was reversed.
    pub fn reversible_deposit(&self) -> Option<RecentDeposit> {
        self.last_deposit
    }

    fn require_open(&self) -> Result<(), Rejection> {
        match self.status {
            Status::Open => Ok(()),
            Status::NotOpened => Err(Rejection::AccountNotOpen),
            Status::Closed => Err(Rejection::AccountClosed),
        }
    }

    fn require_funds(&self, amount: Money) -> Result<(), Rejection> {
        if self.balance.covers(amount) {
            Ok(())
        } else {
            Err(Rejection::InsufficientFunds { balance: self.balance, requested: amount })
        }
    }
}

fn valid_amount(amount: Cents) -> Result<Money, Rejection> {
    Money::try_from(amount).map_err(|error| match error {
        AmountError::TooLarge => Rejection::AmountTooLarge,
        AmountError::NotPositive | AmountError::Malformed(_) => Rejection::AmountNotPositive,
    })
}

impl Command {
    /// Whether only the transfer process may send this command (a person sending it would create
    /// or move money without a matching transfer).
    pub fn is_process_only(&self) -> bool {
        matches!(self, Command::CreditTransfer { .. } | Command::RefundTransfer { .. })
    }
}

impl Event {
    /// Every event type, as stored.
    pub const TYPES: [&'static str; 8] = [
        "account-opened",
        "money-deposited",
        "money-withdrawn",
        "money-transferred-out",
        "money-transferred-in",
        "transfer-refunded",
        "deposit-reversed",
        "account-closed",
    ];

    /// The stored type name, e.g. `"money-deposited"`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::AccountOpened { .. } => "account-opened",
            Event::MoneyDeposited { .. } => "money-deposited",
            Event::MoneyWithdrawn { .. } => "money-withdrawn",
            Event::MoneyTransferredOut { .. } => "money-transferred-out",
            Event::MoneyTransferredIn { .. } => "money-transferred-in",
            Event::TransferRefunded { .. } => "transfer-refunded",
            Event::DepositReversed { .. } => "deposit-reversed",
            Event::AccountClosed => "account-closed",
        }
    }

    /// The schema version this code writes for an event type (0 for a type it does not know).
    pub fn current_schema(event_type: &str) -> u32 {
        match event_type {
            // Version 1 stored the amount as a decimal string of euros; see `crate::upcast`.
            "money-deposited" => 2,
            other if Event::TYPES.contains(&other) => 1,
            _ => 0,
        }
    }

    /// The schema version this event is written with.
    pub fn schema(&self) -> u32 {
        Event::current_schema(self.type_name())
    }

    /// What the event does to the balance, in cents (negative when money leaves).
    #[inline(always)]
    pub fn balance_change(&self) -> i64 {
        match self {
            Event::MoneyDeposited { amount }
            | Event::MoneyTransferredIn { amount, .. }
            | Event::TransferRefunded { amount, .. } => amount.signed(),
            Event::MoneyWithdrawn { amount }
            | Event::MoneyTransferredOut { amount, .. }
            | Event::DepositReversed { amount, .. } => -amount.signed(),
            Event::AccountOpened { .. } | Event::AccountClosed => 0,
        }
    }

    /// A short line a learner reads in an event list: `"deposited €12.50"`.
    pub fn describe(&self) -> String {
        match self {
            Event::AccountOpened { owner: Some(owner) } => format!("opened the account for {owner}"),
            Event::AccountOpened { owner: None } => "opened the account".to_owned(),
            Event::MoneyDeposited { amount } => format!("deposited {amount}"),
            Event::MoneyWithdrawn { amount } => format!("withdrew {amount}"),
            Event::MoneyTransferredOut { transfer, to, amount } => {
                format!("sent {amount} to {to} (transfer {transfer})")
            }
            Event::MoneyTransferredIn { transfer, from, amount } => {
                format!("received {amount} from {from} (transfer {transfer})")
            }
            Event::TransferRefunded { transfer, amount, reason } => {
                format!("got {amount} back: transfer {transfer} failed because {reason}")
            }
            Event::DepositReversed { deposit, amount, reason } if reason.is_empty() => {
                format!("reversed the {amount} deposit at version {deposit}")
            }
            Event::DepositReversed { deposit, amount, reason } => {
                format!("reversed the {amount} deposit at version {deposit} ({reason})")
            }
            Event::AccountClosed => "closed the account".to_owned(),
        }
    }

    /// The event's `data` part as stored (`null` for `account-closed`).
    pub fn data(&self) -> Value {
        // Serializing these plain enums cannot fail: no maps with non-string keys, no custom
        // serializers that refuse.
        match serde_json::to_value(self) {
            Ok(Value::Object(mut tagged)) => tagged.remove("data").unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// The event ready to append under `id`, with its type and current schema version.
    pub fn to_new_event(&self, id: EventId) -> NewEvent {
        NewEvent { id, event_type: self.type_name().to_owned(), schema: self.schema(), data: self.data() }
    }

    /// Reads a stored event, upcasting old schema versions with the standard [`Upcasters`].
    pub fn from_recorded(recorded: &RecordedEvent) -> Result<Event, DecodeError> {
        // Only an old shape needs the chain: building it for every event cost an allocation each.
        let current = recorded.schema == Event::current_schema(&recorded.event_type);
        let chain = if current { Upcasters::empty() } else { Upcasters::standard() };
        Event::from_stored(&recorded.event_type, recorded.schema, &recorded.data, &chain)
    }

    /// Reads an event from its stored parts, upcasting through `upcasters` to the current schema.
    pub fn from_stored(
        event_type: &str,
        schema: u32,
        data: &Value,
        upcasters: &Upcasters,
    ) -> Result<Event, DecodeError> {
        let current = Event::current_schema(event_type);
        if current == 0 {
            return Err(DecodeError::UnknownType { event_type: event_type.to_owned() });
        }
        let data = upcasters.upcast(event_type, schema, data.clone(), current)?;
        Event::from_data(event_type, &data).map_err(|error| DecodeError::Invalid {
            event_type: event_type.to_owned(),
            schema,
            reason: error.to_string(),
        })
    }

    /// Reads the `data` of a known `event_type` in its current shape, field by field, with serde's
    /// words for what is wrong. Written out rather than derived: serde's adjacently tagged derive
    /// first copies the data into a buffer of its own, code that weighed ~25 KB of the app's wasm.
    fn from_data(event_type: &str, data: &Value) -> Result<Event, serde_json::Error> {
        use serde::de::Error as _;
        type Fields = serde_json::Map<String, Value>;
        fn field<'a, T: Deserialize<'a>>(fields: &'a Fields, key: &'static str) -> Result<T, serde_json::Error> {
            fields.get(key).map_or(Err(serde_json::Error::missing_field(key)), T::deserialize)
        }
        fn optional<'a, T: Deserialize<'a> + Default>(fields: &'a Fields, key: &'static str) -> Result<T, serde_json::Error> {
            fields.get(key).map_or(Ok(T::default()), T::deserialize)
        }
        let fields = |variant: &'static str| match data {
            Value::Object(fields) => Ok(fields),
            other => Err(serde_json::Error::invalid_type(unexpected(other), &variant)),
        };
        Ok(match event_type {
            "account-opened" => {
                let f = fields("struct variant Event::AccountOpened")?;
                Event::AccountOpened { owner: optional(f, "owner")? }
            }
            "money-deposited" => Event::MoneyDeposited { amount: field(fields("struct variant Event::MoneyDeposited")?, "amount")? },
            "money-withdrawn" => Event::MoneyWithdrawn { amount: field(fields("struct variant Event::MoneyWithdrawn")?, "amount")? },
            "money-transferred-out" => {
                let f = fields("struct variant Event::MoneyTransferredOut")?;
                Event::MoneyTransferredOut { transfer: field(f, "transfer")?, to: field(f, "to")?, amount: field(f, "amount")? }
            }
            "money-transferred-in" => {
                let f = fields("struct variant Event::MoneyTransferredIn")?;
                Event::MoneyTransferredIn { transfer: field(f, "transfer")?, from: field(f, "from")?, amount: field(f, "amount")? }
            }
            "transfer-refunded" => {
                let f = fields("struct variant Event::TransferRefunded")?;
                Event::TransferRefunded { transfer: field(f, "transfer")?, amount: field(f, "amount")?, reason: field(f, "reason")? }
            }
            "deposit-reversed" => {
                let f = fields("struct variant Event::DepositReversed")?;
                Event::DepositReversed { deposit: field(f, "deposit")?, amount: field(f, "amount")?, reason: optional(f, "reason")? }
            }
            "account-closed" if data.is_null() => Event::AccountClosed,
            "account-closed" => return Err(serde_json::Error::invalid_type(unexpected(data), &"unit variant Event::AccountClosed")),
            other => return Err(serde_json::Error::unknown_variant(other, &[])),
        })
    }

    /// Reads an event from its JSON form, `{"type": "...", "data": {...}}`, in the current schema.
    pub fn from_json(json: &str) -> Result<Event, DecodeError> {
        let value: Value = serde_json::from_str(json).map_err(|error| DecodeError::Invalid {
            event_type: String::new(),
            schema: 0,
            reason: error.to_string(),
        })?;
        let event_type = value.get("type").and_then(Value::as_str).unwrap_or_default();
        let data = value.get("data").unwrap_or(&Value::Null);
        Event::from_stored(event_type, Event::current_schema(event_type), data, &Upcasters::default())
    }
}

/// What serde calls a JSON value of the wrong kind in its error messages ("string \"lots\"").
/// A fraction is only "a number": its digits would bring float formatting into the download.
fn unexpected(value: &Value) -> serde::de::Unexpected<'_> {
    use serde::de::Unexpected;
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) => Unexpected::Other("a number with a fraction"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl Rejection {
    /// The rule's name in kebab case, as learner code and the lessons spell it: `insufficient-funds`.
    pub fn rule(&self) -> &'static str {
        match self {
            Rejection::AmountNotPositive => "amount-not-positive",
            Rejection::AmountTooLarge => "amount-too-large",
            Rejection::InsufficientFunds { .. } => "insufficient-funds",
            Rejection::AccountNotOpen => "account-not-open",
            Rejection::AccountAlreadyOpen => "account-already-open",
            Rejection::AccountClosed => "account-closed",
            Rejection::TransferToSameAccount => "transfer-to-same-account",
            Rejection::UnknownDeposit { .. } => "unknown-deposit",
            Rejection::BalanceNotZero { .. } => "balance-not-zero",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::AmountNotPositive => f.write_str("The amount must be more than zero."),
            Rejection::AmountTooLarge => {
                write!(f, "The amount is too large: at most {} per operation.", Money::MAX)
            }
            Rejection::InsufficientFunds { balance, requested } => write!(
                f,
                "Insufficient funds: the balance is {balance}, less than the {requested} asked for."
            ),
            Rejection::AccountNotOpen => f.write_str("This account has not been opened yet: open it first."),
            Rejection::AccountAlreadyOpen => f.write_str("This account is already open."),
            Rejection::AccountClosed => f.write_str("This account is closed: it accepts no more commands."),
            Rejection::TransferToSameAccount => {
                f.write_str("A transfer needs two different accounts: this one would send money to itself.")
            }
            Rejection::UnknownDeposit { deposit } => write!(
                f,
                "Deposit #{deposit} cannot be reversed: only the latest deposit can be, and only once."
            ),
            Rejection::BalanceNotZero { balance } => write!(
                f,
                "The account still holds {balance}: withdraw or transfer it before closing the account."
            ),
        }
    }
}

impl std::error::Error for Rejection {}

impl fmt::Display for RefundReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RefundReason::DestinationNotOpen => "the destination account was never opened",
            RefundReason::DestinationClosed => "the destination account is closed",
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::NotOpened => "not opened",
            Status::Open => "open",
            Status::Closed => "closed",
        })
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownType { event_type } => write!(f, "\"{event_type}\" is not a known event type."),
            DecodeError::UnknownSchema { event_type, schema } => {
                write!(f, "Version {schema} of \"{event_type}\" cannot be read by this version of the app.")
            }
            DecodeError::Invalid { event_type, reason, .. } if event_type.is_empty() => {
                write!(f, "This is not an event: {}.", reason.trim_end_matches('.'))
            }
            DecodeError::Invalid { event_type, schema, reason } => {
                let reason = reason.trim_end_matches('.');
                write!(f, "This \"{event_type}\" event (schema {schema}) is malformed: {reason}.")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests;
