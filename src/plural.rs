//! Counts in words, as a learner reads them: "1 event", "3 events".

/// `n` and `noun`, with an `s` unless `n` is one (every noun the app counts takes a plain `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
