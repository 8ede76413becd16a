//! foldlab's event-sourcing core: a bank-account decider, an event store, snapshots, projections and
//! upcasters, with no browser, web or clock dependency.
//!
//! Reading order: [`money`], [`id`] and [`calendar`] (the values), [`account`] (decide and evolve for
//! one account), [`fold`](mod@fold) (state from events), [`store`] (streams on a backend), [`bank`]
//! (many accounts and the transfer process), then [`snapshot`], [`projection`], [`upcast`],
//! [`segments`] (the log on a key-value store), [`cloudevents`] and [`generate`].
//!
//! Every time in the core is handed in by the caller ([`Timestamp`]); every id is chosen by the caller
//! or derived from stored data. Replaying the same events gives the same result anywhere.

pub mod account;
pub mod bank;
pub mod calendar;
pub mod cloudevents;
pub mod fold;
pub mod generate;
pub mod id;
pub mod money;
pub mod projection;
pub mod segments;
pub mod snapshot;
pub mod store;
pub mod upcast;

#[cfg(test)]
mod spec;
#[cfg(test)]
mod fixture;

pub use account::{decide, evolve, Account, Command, Event, Rejection};
pub use bank::{Bank, BankError};
pub use calendar::Timestamp;
pub use fold::{fold, state_at, states, try_fold};
pub use id::{AccountId, EventId, StreamId, TransferId};
pub use money::{Balance, Cents, Money};
pub use store::{EventStore, ExpectedVersion, MemoryBackend, NewEvent, RecordedEvent};
