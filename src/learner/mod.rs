//! The learner's own event log: everything that matters is appended as an event, and everything the
//! app shows about progress is a fold over that log.

pub mod event;
pub mod exchange;
pub mod journal;
pub mod progress;

pub use event::{Dated, LearnerEvent};
pub use journal::{provide, use_journal, Journal, Notice};
pub use progress::{Left, Progress, Status};
