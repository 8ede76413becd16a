//! Recorded times as the caller supplies them, and the calendar arithmetic statements need.
//!
//! The core never reads a clock: every time in it was handed in by the caller. This module only turns
//! milliseconds since the Unix epoch into calendar dates (UTC) and RFC 3339 text and back.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A moment in UTC: milliseconds since 1970-01-01T00:00:00Z, supplied by the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

/// A calendar month, for monthly statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    /// The year, e.g. 2024.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
}

/// Why a text is not an RFC 3339 time such as `2024-05-01T12:30:00.000Z`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeError {
    /// The text that was given.
    pub text: String,
}

const MS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    /// The moment `millis` milliseconds after the Unix epoch.
    pub fn from_millis(millis: i64) -> Timestamp {
        Timestamp(millis)
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Midnight UTC at the start of the given date, if the date exists.
    pub fn from_date(year: i32, month: u8, day: u8) -> Option<Timestamp> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Timestamp(days_from_civil(year, month, day) * MS_PER_DAY))
    }

    /// The calendar month (UTC) this moment falls in.
    pub fn year_month(self) -> YearMonth {
        let (year, month, _) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        YearMonth { year, month }
    }

    /// The day (UTC) as a short date, the way a statement line shows it: "3 Feb".
    pub fn day_month(self) -> String {
        const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let (_, month, day) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        let name = NAMES.get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("?");
        format!("{day} {name}")
    }

    /// Parses RFC 3339 as CloudEvents writes it: `2024-05-01T12:30:00Z`, with optional fraction of a
    /// second (kept to the millisecond) and `Z` or a `+02:00` style offset.
    pub fn parse_rfc3339(text: &str) -> Result<Timestamp, TimeError> {
        parse(text.as_bytes()).ok_or_else(|| TimeError { text: text.to_owned() })
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with milliseconds: `2024-05-01T12:30:00.000Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        let in_day = self.0.rem_euclid(MS_PER_DAY);
        let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
        let (second, milli) = (in_day / 1000 % 60, in_day % 1000);
        write!(f, "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z")
    }
}

impl YearMonth {
    /// The month as a statement heads it: "May 2024".
    pub fn long(&self) -> String {
        const NAMES: [&str; 12] =
            ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        let name = NAMES.get(usize::from(self.month).wrapping_sub(1)).copied().unwrap_or("Month");
        format!("{name} {}", self.year)
    }
}

impl fmt::Display for YearMonth {
    /// `2024-05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" is not a time like 2024-05-01T12:30:00Z.", self.text)
    }
}

impl std::error::Error for TimeError {}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a number of days since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Years beyond i32 are clamped: only reachable from absurd timestamps.
    let year = year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    (year, month as u8, day as u8)
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`.
fn parse(text: &[u8]) -> Option<Timestamp> {
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let separator = |at: usize, allowed: &[u8]| text.get(at).is_some_and(|c| allowed.contains(c));
    let separators = [(4, b"-"), (7, b"-"), (13, b":"), (16, b":")];
    if !separators.iter().all(|(at, allowed)| separator(*at, *allowed)) || !separator(10, b"Tt ") {
        return None;
    }
    let year = i32::try_from(number(0..4)?).ok()?;
    let month = u8::try_from(number(5..7)?).ok()?;
    let day = u8::try_from(number(8..10)?).ok()?;
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let date = Timestamp::from_date(year, month, day)?;
    let mut at = 19;
    let mut millis = 0;
    if text.get(at) == Some(&b'.') {
        let start = at + 1;
        let end = start + text[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        if end == start || end - start > 9 {
            return None;
        }
        // Keep milliseconds: pad or cut the fraction to three digits.
        millis = text[start..end.min(start + 3)]
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(3)
            .fold(0, |n, d| n * 10 + i64::from(d - b'0'));
        at = end;
    }
    let offset_minutes = match text.get(at..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hours = number(at + 1..at + 3)?;
            let minutes = number(at + 4..at + 6)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 60 + minutes;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    let local = date.0 + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    Some(Timestamp(local - offset_minutes * 60_000))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[track_caller]
    fn check_parse(text: &str, expected: Option<&str>) {
        let parsed = Timestamp::parse_rfc3339(text).ok().map(|t| t.to_string());
        assert_eq!(parsed.as_deref(), expected, "parsing {text:?}");
    }

    #[test]
    fn formats_and_parses_rfc3339() {
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59.999Z");
        check_parse("2024-02-29T23:59:59Z", Some("2024-02-29T23:59:59.000Z"));
        check_parse("2024-05-01T12:30:00.1234567+02:00", Some("2024-05-01T10:30:00.123Z"));
        check_parse("2024-05-01t12:30:00.5-01:30", Some("2024-05-01T14:00:00.500Z"));
        check_parse("2024-05-01T12:30:00.5-01:30", Some("2024-05-01T14:00:00.500Z"));
        check_parse("2023-02-29T00:00:00Z", None);
        check_parse("2024-13-01T00:00:00Z", None);
        check_parse("2024-05-01T24:00:00Z", None);
        check_parse("2024-05-01T12:30:00", None);
        check_parse("2024-05-01", None);
        check_parse("", None);
        check_parse("2024-05-01T12:30:00.Z", None);
    }

    #[test]
    fn months_follow_the_calendar() {
        let month = |text: &str| Timestamp::parse_rfc3339(text).map(|t| t.year_month().to_string());
        assert_eq!(month("2024-01-31T23:59:59.999Z"), Ok("2024-01".to_owned()));
        assert_eq!(month("2024-02-01T00:00:00Z"), Ok("2024-02".to_owned()));
        assert_eq!(Timestamp(-1).year_month(), YearMonth { year: 1969, month: 12 });
        assert_eq!(Timestamp(-1).year_month().long(), "December 1969");
        assert_eq!(YearMonth { year: 2026, month: 2 }.long(), "February 2026");
        assert_eq!(Timestamp::from_date(2026, 2, 3).map(Timestamp::day_month), Some("3 Feb".to_owned()));
        assert_eq!(Timestamp(-1).day_month(), "31 Dec");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn display_parses_back(millis in -62_135_596_800_000i64..253_402_300_799_999) {
            let at = Timestamp(millis);
            prop_assert_eq!(Timestamp::parse_rfc3339(&at.to_string()), Ok(at));
        }

        #[test]
        fn any_text_parses_or_errs_without_panicking(text in "\\PC{0,40}") {
            let _ = Timestamp::parse_rfc3339(&text);
        }
    }
}
