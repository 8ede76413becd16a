//! Identifiers: accounts, streams, events and transfers, each validated where it enters from outside.
//!
//! [`AccountId`] is small and `Copy` (at most 16 bytes, stored inline) so account state and events stay
//! cheap to move. Every other id is a short string. All serialize as plain JSON strings and validate
//! when deserialized.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An account: 1 to 16 characters from `A-Z a-z 0-9 _ -` and space, not starting or ending with space.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId {
    // Unused tail bytes are zero, which no allowed character is.
    bytes: [u8; AccountId::MAX_LEN],
}

/// A stream in the event store: non-empty, at most 64 characters, no control characters.
/// Account streams are named `account-<id>` (see [`AccountId::stream`]).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamId(Box<str>);

/// An event's identity: the same id means the same fact (appending it again stores nothing).
/// Non-empty, at most 128 characters, no control characters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventId(Box<str>);

/// A transfer between two accounts, chosen by whoever asks for it, unique per source account.
/// Non-empty, at most 64 characters, no control characters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TransferId(Box<str>);

/// Why a text is not a valid identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdError {
    /// The text is empty.
    Empty {
        /// Which kind of id: "account", "stream", "event" or "transfer".
        kind: &'static str,
    },
    /// The text is longer than allowed.
    TooLong {
        /// Which kind of id.
        kind: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// The text holds a character the id does not allow.
    BadCharacter {
        /// Which kind of id.
        kind: &'static str,
        /// The first offending character.
        found: char,
    },
}

impl AccountId {
    /// The most characters an account id may have.
    pub const MAX_LEN: usize = 16;

    /// The rule an account id follows, in a learner's words (where a form asks for one).
    pub fn rule() -> String {
        format!(
            "An account id is 1 to {} of the letters A to Z (or a to z), digits, spaces, - or _, not starting or ending with a space.",
            Self::MAX_LEN
        )
    }

    /// The stream category of accounts: account `alice` lives in stream `account-alice`.
    pub const STREAM_PREFIX: &'static str = "account-";

    /// Validates an account id.
    pub fn new(text: &str) -> Result<AccountId, IdError> {
        const KIND: &str = "account";
        if text.is_empty() {
            return Err(IdError::Empty { kind: KIND });
        }
        if let Some(found) =
            text.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ')))
        {
            return Err(IdError::BadCharacter { kind: KIND, found });
        }
        if text.len() > Self::MAX_LEN {
            return Err(IdError::TooLong { kind: KIND, max: Self::MAX_LEN });
        }
        if text.starts_with(' ') || text.ends_with(' ') {
            return Err(IdError::BadCharacter { kind: KIND, found: ' ' });
        }
        let mut bytes = [0; Self::MAX_LEN];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Ok(AccountId { bytes })
    }

    /// An account id known when compiling, e.g. `const ALICE: AccountId = AccountId::constant("alice");`.
    /// An invalid text fails the build when used in a `const`, as it should: it is a typo in the code,
    /// not bad outside data (use [`AccountId::new`] for that).
    pub const fn constant(text: &'static str) -> AccountId {
        let text = text.as_bytes();
        assert!(!text.is_empty() && text.len() <= Self::MAX_LEN, "account ids have 1 to 16 characters");
        assert!(text[0] != b' ' && text[text.len() - 1] != b' ', "account ids do not start or end with a space");
        let mut bytes = [0; Self::MAX_LEN];
        let mut i = 0;
        while i < text.len() {
            let c = text[i];
            assert!(
                c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b' ',
                "account ids use A-Z a-z 0-9 _ - and space"
            );
            bytes[i] = c;
            i += 1;
        }
        AccountId { bytes }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        let len = self.bytes.iter().position(|&b| b == 0).unwrap_or(Self::MAX_LEN);
        // Only ASCII was ever copied in, so any prefix is valid UTF-8.
        std::str::from_utf8(&self.bytes[..len]).unwrap_or_default()
    }

    /// The stream holding this account's events: `account-<id>`.
    pub fn stream(&self) -> StreamId {
        StreamId(format!("{}{}", Self::STREAM_PREFIX, self.as_str()).into_boxed_str())
    }

    /// The account whose stream this is, if it is an account stream.
    pub fn from_stream(stream: &StreamId) -> Option<AccountId> {
        let id = stream.as_str().strip_prefix(Self::STREAM_PREFIX)?;
        AccountId::new(id).ok()
    }
}

/// Validates a free-form id: non-empty, not too long, no control characters.
fn check_text(text: &str, kind: &'static str, max: usize) -> Result<Box<str>, IdError> {
    if text.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if text.chars().count() > max {
        return Err(IdError::TooLong { kind, max });
    }
    if let Some(found) = text.chars().find(|c| c.is_control()) {
        return Err(IdError::BadCharacter { kind, found });
    }
    Ok(text.into())
}

/// The shared surface of the string ids: construction, access, conversions and formatting.
macro_rules! text_id {
    ($name:ident, $kind:literal, $max:literal) => {
        impl $name {
            /// Validates an id.
            pub fn new(text: &str) -> Result<$name, IdError> {
                check_text(text, $kind, $max).map($name)
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(text: String) -> Result<$name, IdError> {
                $name::new(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.into()
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(text: &str) -> Result<$name, IdError> {
                $name::new(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", self.as_str())
            }
        }
    };
}

text_id!(StreamId, "stream", 64);
text_id!(EventId, "event", 128);
text_id!(TransferId, "transfer", 64);

impl TryFrom<String> for AccountId {
    type Error = IdError;

    fn try_from(text: String) -> Result<AccountId, IdError> {
        AccountId::new(&text)
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> String {
        id.as_str().to_owned()
    }
}

impl std::str::FromStr for AccountId {
    type Err = IdError;

    fn from_str(text: &str) -> Result<AccountId, IdError> {
        AccountId::new(text)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl From<AccountId> for StreamId {
    fn from(account: AccountId) -> StreamId {
        account.stream()
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Empty { kind } => write!(f, "{} id cannot be empty.", with_article(kind)),
            IdError::TooLong { kind, max } => {
                write!(f, "{} id has at most {max} characters.", with_article(kind))
            }
            // Not `{found:?}`: Rust's escaping brings Unicode tables into the app's download.
            IdError::BadCharacter { kind, found } if found.is_control() => {
                write!(f, "{} id cannot contain the control character U+{:04X}.", with_article(kind), u32::from(*found))
            }
            IdError::BadCharacter { kind, found } => write!(f, "{} id cannot contain '{found}'.", with_article(kind)),
        }
    }
}

impl std::error::Error for IdError {}

/// "account" -> "An account", "stream" -> "A stream".
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "An" } else { "A" };
    format!("{article} {kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_short_and_plain() {
        assert_eq!(AccountId::new("alice").map(|id| id.to_string()), Ok("alice".to_owned()));
        assert_eq!(AccountId::new("Savings 2024_b-1").map(|id| id.as_str().len()), Ok(16));
        assert_eq!(AccountId::new(""), Err(IdError::Empty { kind: "account" }));
        assert_eq!(
            AccountId::new("a-very-long-account-name"),
            Err(IdError::TooLong { kind: "account", max: 16 })
        );
        assert_eq!(AccountId::new("a/b"), Err(IdError::BadCharacter { kind: "account", found: '/' }));
        assert_eq!(AccountId::new(" a"), Err(IdError::BadCharacter { kind: "account", found: ' ' }));
        assert!(AccountId::new("é").is_err());
    }

    #[test]
    fn account_streams_round_trip() {
        let alice = AccountId::new("alice").ok();
        let stream = alice.map(|id| id.stream());
        assert_eq!(stream.as_ref().map(StreamId::as_str), Some("account-alice"));
        assert_eq!(stream.as_ref().and_then(AccountId::from_stream), alice);
        assert_eq!(StreamId::new("progress").ok().as_ref().and_then(AccountId::from_stream), None);
    }

    #[test]
    fn ids_deserialize_with_validation() {
        assert!(serde_json::from_str::<AccountId>("\"bob\"").is_ok());
        assert!(serde_json::from_str::<AccountId>("\"\"").is_err());
        assert!(serde_json::from_str::<EventId>("\"\"").is_err());
        assert!(serde_json::from_str::<TransferId>("\"a\\nb\"").is_err());
        assert!(serde_json::from_str::<TransferId>("17").is_err());
    }
}
