//! Amounts of money as integer cents: requested amounts, validated money and balances. Never floats.
//!
//! Three types, three promises:
//! - [`Cents`]: any whole number of cents, as a command asks for it (zero or negative included: a
//!   command is a request and may be wrong, the decider says so).
//! - [`Money`]: a positive amount, at most [`Money::MAX`]. Events carry `Money`, so a stored fact can
//!   never hold a zero, negative or fractional amount; decoding one from JSON is an error.
//! - [`Balance`]: what an account holds. Signed, because `evolve` accepts any history (a hand-edited
//!   list may withdraw more than was deposited) and shows it as it is; the decider keeps decided
//!   histories at zero or above.

use std::fmt;
use std::num::NonZeroU64;

use serde::{Deserialize, Serialize};

/// A positive amount of money in cents, between one cent and [`Money::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u64")]
pub struct Money(NonZeroU64);

/// A whole number of cents as requested: may be zero or negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

/// The money an account holds, in cents (negative only for histories the decider would not produce).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Balance(i64);

/// Why a number or a text is not an amount of [`Money`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Zero or less.
    NotPositive,
    /// More than [`Money::MAX`].
    TooLarge,
    /// Text that is not a number of euros with at most two decimals.
    Malformed(String),
}

impl Money {
    /// The largest amount one event may carry: one billion euros. Small enough that adding up
    /// millions of amounts never overflows 64 bits.
    pub const MAX: Money = match NonZeroU64::new(100_000_000_000) {
        Some(max) => Money(max),
        None => panic!("MAX is not zero"),
    };

    /// Validates a number of cents from outside data.
    pub fn from_cents(cents: i64) -> Result<Money, AmountError> {
        if cents <= 0 {
            return Err(AmountError::NotPositive);
        }
        match NonZeroU64::new(cents.unsigned_abs()) {
            Some(cents) if cents <= Money::MAX.0 => Ok(Money(cents)),
            Some(_) => Err(AmountError::TooLarge),
            None => Err(AmountError::NotPositive),
        }
    }

    /// Parses a number of euros written by a person: `"12"`, `"12.5"`, `"12.50"`, `"€12.50"`.
    pub fn parse_euros(text: &str) -> Result<Money, AmountError> {
        Money::try_from(Cents::parse_euros(text)?)
    }

    /// The amount in cents.
    pub fn cents(self) -> u64 {
        self.0.get()
    }

    /// The amount as a signed number of cents (always positive).
    #[inline]
    pub fn signed(self) -> i64 {
        // MAX fits in an i64, so this never wraps.
        self.0.get() as i64
    }

    /// The amount in euros without the currency sign, as version 1 of `money-deposited` stored it:
    /// `"12.50"`.
    pub fn to_decimal_string(self) -> String {
        decimal(self.signed())
    }
}

impl Cents {
    /// Parses a signed number of euros: `"-5"`, `"0"`, `"12.50"`, `"€12.50"`, `"-€3.20"`, with
    /// the thousands grouped as the app shows them, `"€1,500.00"`, and with a decimal comma where
    /// it cannot be a thousands separator, `"12,50"`.
    pub fn parse_euros(text: &str) -> Result<Cents, AmountError> {
        let malformed = || AmountError::Malformed(text.to_owned());
        let trimmed = text.trim();
        let (negative, rest) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        let rest = rest.strip_prefix('€').unwrap_or(rest).trim_start();
        // One comma with one or two digits after it, and no point, is a decimal comma (as much of
        // Europe writes euros); three digits after a comma are a thousands group.
        let decimal_comma = rest.split_once(',').filter(|(_, after)| {
            !rest.contains('.') && (1..=2).contains(&after.len()) && after.bytes().all(|b| b.is_ascii_digit())
        });
        let (whole, fraction) = match decimal_comma.or_else(|| rest.split_once('.')) {
            Some((whole, fraction)) => (whole, fraction),
            None => (rest, ""),
        };
        let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        let whole = ungrouped(whole).ok_or_else(malformed)?;
        let whole = whole.as_str();
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return Err(malformed());
        }
        if rest.ends_with('.') {
            return Err(malformed());
        }
        // Anything longer than 12 digits of euros is past Money::MAX; refuse before it overflows.
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(AmountError::TooLarge);
        }
        let euros: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| malformed())? };
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| malformed())? * 10,
            _ => fraction.parse().map_err(|_| malformed())?,
        };
        let total = euros * 100 + cents;
        Ok(Cents(if negative { -total } else { total }))
    }
}

impl Balance {
    /// An empty balance.
    pub const ZERO: Balance = Balance(0);

    /// A balance of this many cents.
    pub fn from_cents(cents: i64) -> Balance {
        Balance(cents)
    }

    /// The balance in cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// Whether the balance is exactly zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whether the balance covers `amount`.
    pub fn covers(self, amount: Money) -> bool {
        self.0 >= amount.signed()
    }

    /// The balance plus `amount`.
    #[inline]
    pub fn plus(self, amount: Money) -> Balance {
        Balance(self.0.saturating_add(amount.signed()))
    }

    /// The balance minus `amount` (may go below zero: `evolve` shows facts as they are).
    #[inline]
    pub fn minus(self, amount: Money) -> Balance {
        Balance(self.0.saturating_sub(amount.signed()))
    }
}

impl TryFrom<i64> for Money {
    type Error = AmountError;

    fn try_from(cents: i64) -> Result<Money, AmountError> {
        Money::from_cents(cents)
    }
}

impl TryFrom<Cents> for Money {
    type Error = AmountError;

    fn try_from(cents: Cents) -> Result<Money, AmountError> {
        Money::from_cents(cents.0)
    }
}

impl From<Money> for u64 {
    fn from(money: Money) -> u64 {
        money.cents()
    }
}

impl From<Money> for Cents {
    fn from(money: Money) -> Cents {
        Cents(money.signed())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_euros(f, self.signed())
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_euros(f, self.0)
    }
}

impl fmt::Display for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_euros(f, self.0)
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::NotPositive => f.write_str("The amount must be more than zero."),
            AmountError::TooLarge => write!(f, "The amount is too large: at most {} is accepted.", Money::MAX),
            AmountError::Malformed(text) if text.trim().is_empty() => {
                f.write_str("Enter an amount of euros, like 12, 12.5 or 12.50.")
            }
            AmountError::Malformed(text) => write!(
                f,
                "\"{text}\" is not an amount of euros: write it like 12, 12.5 or 12.50."
            ),
        }
    }
}

impl std::error::Error for AmountError {}

/// Writes cents as `€12.50` or `-€3.20`.
fn write_euros(f: &mut fmt::Formatter<'_>, cents: i64) -> fmt::Result {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    write!(f, "{sign}€{}.{:02}", grouped(cents / 100), cents % 100)
}

/// `1234567` -> `"1,234,567"`: the way the lessons write euros and counts, so widgets and text agree.
pub fn grouped(euros: u64) -> String {
    let digits = euros.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The whole euros with their thousands separators removed, when every group after the first has
/// three digits (`"1,500"` -> `"1500"`); `None` for commas anywhere else (`"1,5"` is not 1.5 here).
fn ungrouped(whole: &str) -> Option<String> {
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let mut out = first.to_owned();
    for group in groups {
        if first.is_empty() || first.len() > 3 || group.len() != 3 {
            return None;
        }
        out.push_str(group);
    }
    Some(out)
}

/// `1250` -> `"12.50"`, for non-negative cents.
fn decimal(cents: i64) -> String {
    let cents = cents.unsigned_abs();
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[track_caller]
    fn check_parse(text: &str, expected: Result<i64, AmountError>) {
        assert_eq!(Money::parse_euros(text).map(Money::signed), expected, "parsing {text:?}");
    }

    #[test]
    fn parses_euros_written_by_people() {
        check_parse("12", Ok(1200));
        check_parse("12.5", Ok(1250));
        check_parse("12.50", Ok(1250));
        check_parse(" €0.01 ", Ok(1));
        check_parse("1000000000", Ok(100_000_000_000));
        check_parse("0", Err(AmountError::NotPositive));
        check_parse("0.00", Err(AmountError::NotPositive));
        check_parse("-5", Err(AmountError::NotPositive));
        check_parse("1000000000.01", Err(AmountError::TooLarge));
        check_parse("99999999999999999999999", Err(AmountError::TooLarge));
        for bad in ["", "abc", "1.234", "1.", ".5", "€", "1e3", "--1", "١٢"] {
            check_parse(bad, Err(AmountError::Malformed(bad.to_owned())));
        }
    }

    #[test]
    fn a_refused_amount_says_what_to_write() {
        let said = |text: &str| Money::parse_euros(text).map(|m| m.to_string()).map_err(|e| e.to_string());
        assert_eq!(said(""), Err("Enter an amount of euros, like 12, 12.5 or 12.50.".to_owned()));
        assert_eq!(said("  "), said(""), "blank is empty");
        assert_eq!(said("ten"), Err("\"ten\" is not an amount of euros: write it like 12, 12.5 or 12.50.".to_owned()));
        assert_eq!(said("0"), Err("The amount must be more than zero.".to_owned()));
    }

    #[test]
    fn displays_euros_and_cents() {
        let money = |cents| Money::from_cents(cents).map(|m| m.to_string());
        assert_eq!(money(1250), Ok("€12.50".to_owned()));
        assert_eq!(money(7), Ok("€0.07".to_owned()));
        assert_eq!(Cents(-320).to_string(), "-€3.20");
        assert_eq!(Balance::from_cents(3000).to_string(), "€30.00");
        assert_eq!(money(150_000), Ok("€1,500.00".to_owned()));
        assert_eq!(Balance::from_cents(-123_456_789).to_string(), "-€1,234,567.89");
        assert_eq!(money(99_999), Ok("€999.99".to_owned()));
    }

    #[test]
    fn thousands_separators_are_read_only_where_they_belong() {
        assert_eq!(Cents::parse_euros("€1,500.00"), Ok(Cents(150_000)));
        assert_eq!(Cents::parse_euros("12,345,678"), Ok(Cents(1_234_567_800)));
        // A comma with one or two digits after it cannot be a thousands group: it is decimal.
        assert_eq!(Cents::parse_euros("1,5"), Ok(Cents(150)));
        assert_eq!(Cents::parse_euros("€12,50"), Ok(Cents(1250)));
        assert_eq!(Cents::parse_euros("1,500"), Ok(Cents(150_000)));
        for text in ["1,5000", ",500", "1234,567", "1,,500", "1,500,", "1,500,50", "1,50.5", ",50"] {
            assert_eq!(Cents::parse_euros(text), Err(AmountError::Malformed(text.to_owned())), "{text}");
        }
    }

    #[test]
    fn json_amounts_are_validated() {
        let parse = |json: &str| serde_json::from_str::<Money>(json).map_err(|e| e.to_string());
        assert_eq!(parse("1250").map(Money::cents), Ok(1250));
        assert!(parse("0").is_err());
        assert!(parse("-5").is_err());
        assert!(parse("12.5").is_err());
        assert!(parse("\"12.50\"").is_err());
        assert!(parse("100000000001").is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn display_parses_back(cents in 1i64..=100_000_000_000) {
            let money = Money::from_cents(cents).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(Money::parse_euros(&money.to_string()), Ok(money));
        }

        #[test]
        fn any_text_parses_or_errs_without_panicking(text in "\\PC{0,16}") {
            let _ = Money::parse_euros(&text);
        }
    }
}
