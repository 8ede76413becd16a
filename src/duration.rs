//! Times and ratios as the learner reads them: rounded to a precision that suits their size.

/// A duration in milliseconds, with precision that suits its size.
pub fn millis(ms: f64) -> String {
    if ms >= 10.0 {
        format!("{} ms", fixed(ms, 0))
    } else if ms >= 0.1 {
        format!("{} ms", fixed(ms, 2))
    } else {
        format!("{} µs", fixed(ms * 1000.0, 1))
    }
}

/// `value` rounded to `places` decimals, formatted with integer arithmetic: Rust's float formatting
/// costs ~10 KB of wasm for a few timings.
pub fn fixed(value: f64, places: u32) -> String {
    let scale = 10_i64.pow(places);
    let scaled = (value * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let (whole, fraction) = (scaled.unsigned_abs() / scale as u64, scaled.unsigned_abs() % scale as u64);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = places as usize)
    }
}
