//! Given-when-then specifications for the account decider: `given(events).when(command).then(events)`.

use crate::account::{decide, evolve, Account, Command, Event, Rejection};
use crate::fold::fold;

/// A history of facts the account has seen.
pub(crate) struct Given {
    state: Account,
}

/// A command sent to the account after its history.
pub(crate) struct When {
    decided: Result<Vec<Event>, Rejection>,
}

/// Starts a specification from these past events.
pub(crate) fn given(events: impl IntoIterator<Item = Event>) -> Given {
    Given { state: fold(Account::default(), &events.into_iter().collect::<Vec<_>>(), evolve) }
}

impl Given {
    /// The command under test.
    pub(crate) fn when(self, command: Command) -> When {
        When { decided: decide(&command, &self.state) }
    }
}

impl When {
    /// The command must be accepted and produce exactly these events.
    #[track_caller]
    pub(crate) fn then(self, expected: impl IntoIterator<Item = Event>) {
        let expected: Vec<Event> = expected.into_iter().collect();
        assert_eq!(self.decided, Ok(expected), "the command should produce these events");
    }

    /// The command must be refused for this rule, and its message must read as a sentence.
    #[track_caller]
    pub(crate) fn then_rejected(self, expected: Rejection) {
        assert_eq!(self.decided, Err(expected), "the command should be refused");
        let message = expected.to_string();
        assert!(
            message.starts_with(char::is_uppercase) && message.ends_with('.'),
            "rejection messages are sentences: {message:?}"
        );
    }
}
