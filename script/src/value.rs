//! Values as the learner sees them: rendering JSON values in Rhai syntax and finding where two
//! values differ.
//!
//! Events, states and results travel between the sandbox and the page as `serde_json::Value`;
//! this module shows them the way the learner writes them in code (`#{ type: "money-deposited",
//! account: "A", amount: 5000 }`), so the page never has to know Rhai.

use serde_json::Value;

use crate::report::Difference;

/// The keys of an event or state shown first, in this order; others follow alphabetically.
const KEY_ORDER: &[&str] =
    &["type", "version", "account", "from", "to", "amount", "open", "closed", "balance", "rejected"];

/// Widest map or array that stays on one line in [`lines`].
const INLINE_WIDTH: usize = 64;

/// One line of a rendered value, with the access path of the part it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text of the line, indented.
    pub text: String,
    /// The path of the value on this line (`""` for the whole value, `B`, `[3]`), or `None` for a
    /// bracket line.
    pub path: Option<String>,
}

/// Renders a value on one line in Rhai syntax.
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    write_inline(value, &mut out);
    out
}

/// Renders a value as lines: an array or a wide map gets one item or entry per line, so the
/// page can put expected and actual side by side and mark the lines that differ.
pub fn lines(value: &Value) -> Vec<Line> {
    layout(value, false)
}

/// Like [`lines`], but a non-empty map or array always gets one entry per line, so a
/// difference marks just the entry that differs (`balance`), not the whole state.
pub fn lines_expanded(value: &Value) -> Vec<Line> {
    layout(value, true)
}

fn layout(value: &Value, expand: bool) -> Vec<Line> {
    let inline = render(value);
    let fits = !expand && inline.len() <= INLINE_WIDTH;
    match value {
        Value::Array(items) if !items.is_empty() && !fits => {
            let mut out = vec![Line { text: "[".into(), path: None }];
            for (index, item) in items.iter().enumerate() {
                out.push(Line { text: format!("    {},", render(item)), path: Some(format!("[{index}]")) });
            }
            out.push(Line { text: "]".into(), path: None });
            out
        }
        Value::Object(map) if !map.is_empty() && !fits => {
            let mut out = vec![Line { text: "#{".into(), path: None }];
            for key in ordered_keys(map) {
                out.push(Line {
                    text: format!("    {}: {},", render_key(key), render(&map[key])),
                    path: Some(join_key("", key)),
                });
            }
            out.push(Line { text: "}".into(), path: None });
            out
        }
        _ => vec![Line { text: inline, path: Some(String::new()) }],
    }
}

/// Whether a rendered line shows a part of the value that one of `differences` points into.
pub fn line_differs(line: &Line, differences: &[Difference]) -> bool {
    let Some(path) = &line.path else { return false };
    differences.iter().any(|difference| {
        let other = &difference.path;
        path.is_empty()
            || other.is_empty()
            || other == path
            || other.strip_prefix(path.as_str()).is_some_and(|rest| rest.starts_with(['.', '[']))
    })
}

/// Where `actual` differs from `expected`. With `extra_keys_allowed`, a map in `actual` may
/// carry keys that `expected` has not (a learner's state with a field of their own still
/// passes); without it they count as differences.
pub fn differences(expected: &Value, actual: &Value, extra_keys_allowed: bool) -> Vec<Difference> {
    let mut out = Vec::new();
    diff_into(expected, actual, extra_keys_allowed, String::new(), &mut out);
    out.into_iter().map(|found| found.difference).collect()
}

/// When every difference [`differences`] finds is a key a map in `actual` lacks or has too
/// many, those keys with their differences (`expected` is `None` for a key too many, `actual`
/// for a key missing); `None` when a value differs, an array item is missing, or nothing differs.
/// A map built anew with some fields left out is a different mistake from a wrong value.
pub fn key_differences(expected: &Value, actual: &Value, extra_keys_allowed: bool) -> Option<Vec<(String, Difference)>> {
    let mut out = Vec::new();
    diff_into(expected, actual, extra_keys_allowed, String::new(), &mut out);
    if out.is_empty() {
        return None;
    }
    out.into_iter().map(|found| Some((found.key?, found.difference))).collect()
}

/// Keys of a map in `actual` that look like a misspelling of a key `expected` holds there, with
/// the key meant and whether the map holds that one too: `(found, meant, held)`, each once, for a
/// map or an array of maps (events). A key counts only where the one meant is missing or wrong: a
/// field written under another name is a field of its own, and the one meant keeps its old value,
/// or has none.
pub fn misspelt_keys(expected: &Value, actual: &Value) -> Vec<(String, String, bool)> {
    let mut found = Vec::new();
    misspelt_into(expected, actual, &mut found);
    found
}

fn misspelt_into(expected: &Value, actual: &Value, out: &mut Vec<(String, String, bool)>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for typo in got.keys().filter(|key| !want.contains_key(*key)) {
                let meant = want.iter().find(|(key, value)| got.get(*key) != Some(value) && looks_like(typo, key));
                if let Some((meant, _)) = meant {
                    let found = (typo.clone(), meant.clone(), got.contains_key(meant));
                    if !out.contains(&found) {
                        out.push(found);
                    }
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            for (w, g) in want.iter().zip(got) {
                misspelt_into(w, g, out);
            }
        }
        _ => {}
    }
}

/// Whether `typo` reads as `meant` misspelt: the same but for case, or one edit away (two for a
/// name of more than four letters), an edit being a letter added, dropped, changed or two letters
/// swapped. Names of one or two letters (account ids, `to`) are too short to tell.
fn looks_like(typo: &str, meant: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (typo.chars().collect(), meant.chars().collect());
    if a.len() < 3 || b.len() < 3 {
        return false;
    }
    if typo.eq_ignore_ascii_case(meant) {
        return true;
    }
    let allowed = if b.len() > 4 { 2 } else { 1 };
    if a.len().abs_diff(b.len()) > allowed {
        return false;
    }
    // Edit distance with adjacent swaps (optimal string alignment), row by row.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1).min(row[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, row);
    }
    previous[b.len()] <= allowed
}

/// A sentence about the first difference: "`balance` should be 3000 but is 7000".
pub fn describe(differences: &[Difference]) -> Option<String> {
    let (first, place, more) = first_place(differences)?;
    Some(match (&first.expected, &first.actual) {
        (Some(expected), Some(actual)) => format!("{place} should be {expected} but is {actual}{more}"),
        (Some(expected), None) => format!("{place} is missing: it should be {expected}{more}"),
        (None, Some(actual)) => format!("{place} should not be there, but is {actual}{more}"),
        (None, None) => format!("{place} differs{more}"),
    })
}

/// Like [`describe`], without any value, for a case whose values stay hidden: "`balance` is
/// wrong", "`Z` should not be there".
pub fn describe_places(differences: &[Difference]) -> Option<String> {
    let (first, place, more) = first_place(differences)?;
    Some(match (&first.expected, &first.actual) {
        (Some(_), Some(_)) | (None, None) => format!("{place} is wrong{more}"),
        (Some(_), None) => format!("{place} is missing{more}"),
        (None, Some(_)) => format!("{place} should not be there{more}"),
    })
}

/// The first difference, where it is ("`balance`", or "the result"), and how many more follow.
fn first_place(differences: &[Difference]) -> Option<(&Difference, String, String)> {
    let first = differences.first()?;
    let place = if first.path.is_empty() { "the result".to_owned() } else { format!("`{}`", first.path) };
    let more = match differences.len() {
        1 => String::new(),
        2 => " (and 1 more difference)".to_owned(),
        n => format!(" (and {} more differences)", n - 1),
    };
    Some((first, place, more))
}

/// Whether two values are of the same kind: both nothing, booleans, numbers, strings, arrays or
/// maps. A value of another kind than expected is a different mistake from a wrong value.
pub fn same_kind(expected: &Value, actual: &Value) -> bool {
    std::mem::discriminant(expected) == std::mem::discriminant(actual)
}

/// The kind of a value as a learner reads it, in the course's words where the shape says what it
/// is: "a state map", "a rejection map", "an array of events", "a number", "nothing (`()`)".
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (`()`)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(items) if !items.is_empty() && items.iter().all(|item| item.get("type").is_some()) => {
            "an array of events"
        }
        Value::Array(_) => "an array",
        Value::Object(map) if map.contains_key("rejected") => "a rejection map",
        Value::Object(map) if map.contains_key("type") => "an event map",
        Value::Object(map) if map.contains_key("balance") => "a state map",
        Value::Object(_) => "a map",
    }
}

/// A difference, and the map key it is about when a map lacks the key or has it too many: the
/// path alone cannot tell a missing key from a missing array item (`["1"]`, `[1]`) without
/// parsing it back.
struct Found {
    difference: Difference,
    key: Option<String>,
}

fn diff_into(expected: &Value, actual: &Value, extra_keys_allowed: bool, path: String, out: &mut Vec<Found>) {
    let plain = |difference: Difference| Found { difference, key: None };
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for key in ordered_keys(want) {
                let inner = join_key(&path, key);
                match got.get(key) {
                    Some(value) => diff_into(&want[key], value, extra_keys_allowed, inner, out),
                    None => out.push(Found {
                        difference: Difference { path: inner, expected: Some(render(&want[key])), actual: None },
                        key: Some(key.to_owned()),
                    }),
                }
            }
            if !extra_keys_allowed {
                for key in ordered_keys(got).into_iter().filter(|key| !want.contains_key(*key)) {
                    out.push(Found {
                        difference: Difference {
                            path: join_key(&path, key),
                            expected: None,
                            actual: Some(render(&got[key])),
                        },
                        key: Some(key.to_owned()),
                    });
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            for index in 0..want.len().max(got.len()) {
                let inner = format!("{path}[{index}]");
                match (want.get(index), got.get(index)) {
                    (Some(w), Some(g)) => diff_into(w, g, extra_keys_allowed, inner, out),
                    (w, g) => out.push(plain(Difference { path: inner, expected: w.map(render), actual: g.map(render) })),
                }
            }
        }
        _ if expected == actual => {}
        _ => out.push(plain(Difference { path, expected: Some(render(expected)), actual: Some(render(actual)) })),
    }
}

fn write_inline(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("()"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_inline(item, out);
            }
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("#{}"),
        Value::Object(map) => {
            out.push_str("#{ ");
            for (index, key) in ordered_keys(map).into_iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&render_key(key));
                out.push_str(": ");
                write_inline(&map[key], out);
            }
            out.push_str(" }");
        }
    }
}

fn ordered_keys(map: &serde_json::Map<String, Value>) -> Vec<&str> {
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_by_key(|key| (KEY_ORDER.iter().position(|k| k == key).unwrap_or(KEY_ORDER.len()), *key));
    keys
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A map key as written in a Rhai map literal: `balance`, or `"a b"` when it is no identifier.
pub(crate) fn render_key(key: &str) -> String {
    if is_identifier(key) {
        key.to_owned()
    } else {
        Value::String(key.to_owned()).to_string()
    }
}

/// The access path to `key` in the map at `path`: `state.balance`, `[0].account`, `result["a b"]`.
pub(crate) fn join_key(path: &str, key: &str) -> String {
    match (path.is_empty(), is_identifier(key)) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn renders_events_in_rhai_syntax_with_type_first() {
        let event = json!({ "amount": 5000, "account": "A", "type": "money-deposited" });
        assert_eq!(render(&event), r#"#{ type: "money-deposited", account: "A", amount: 5000 }"#);
        assert_eq!(render(&json!({})), "#{}");
        assert_eq!(render(&json!({ "a b": null })), r#"#{ "a b": () }"#);
    }

    #[test]
    fn lenient_comparison_ignores_extra_keys_only_when_asked() {
        let expected = json!({ "balance": 3000, "open": true });
        let actual = json!({ "balance": 7000, "open": true, "note": "mine" });
        let strict = differences(&expected, &actual, false);
        let lenient = differences(&expected, &actual, true);
        assert_eq!(lenient.len(), 1);
        assert_eq!(strict.len(), 2);
        assert_eq!(describe(&lenient).as_deref(), Some("`balance` should be 3000 but is 7000"));
        assert_eq!(strict[1].path, "note");
    }

    #[test]
    fn places_are_described_without_values() {
        let found = differences(&json!({ "A": 3500, "B": 1500 }), &json!({ "A": 1, "Z": 2 }), false);
        assert_eq!(describe_places(&found).as_deref(), Some("`A` is wrong (and 2 more differences)"));
        let found = differences(&json!({ "A": 3500 }), &json!({ "A": 3500, "Z": 2 }), false);
        assert_eq!(describe_places(&found).as_deref(), Some("`Z` should not be there"));
    }

    #[test]
    fn kinds_are_named_as_the_course_names_them() {
        assert_eq!(kind(&json!({ "open": true, "closed": false, "balance": 0 })), "a state map");
        assert_eq!(kind(&json!({ "rejected": "insufficient-funds" })), "a rejection map");
        assert_eq!(kind(&json!([{ "type": "money-withdrawn", "account": "A", "amount": 1 }])), "an array of events");
        assert_eq!(kind(&json!([])), "an array");
        assert_eq!(kind(&json!(5000)), "a number");
        assert_eq!(kind(&Value::Null), "nothing (`()`)");
        assert!(same_kind(&json!(1), &json!(2)) && !same_kind(&json!(1), &json!("1")));
    }

    #[test]
    fn only_keys_missing_or_too_many_are_told_apart_from_wrong_values() {
        let state = json!({ "open": true, "closed": false, "balance": 5000 });
        let keys = key_differences(&state, &json!({ "balance": 5000 }), true);
        let names: Vec<&str> = keys.iter().flatten().map(|(key, _)| key.as_str()).collect();
        assert_eq!(names, ["open", "closed"]);
        let extra = key_differences(&json!({ "A": 1 }), &json!({ "A": 1, "x y": 2 }), false);
        assert_eq!(extra.map(|found| found[0].clone()), Some(("x y".to_owned(), Difference { path: r#"["x y"]"#.to_owned(), expected: None, actual: Some("2".to_owned()) })));
        // A wrong value, or an array item missing, is not a key: no answer at all.
        assert_eq!(key_differences(&state, &json!({ "balance": 1 }), true), None);
        assert_eq!(key_differences(&json!([{ "a": 1 }, { "a": 2 }]), &json!([{ "a": 1 }]), true), None);
        assert_eq!(key_differences(&state, &state, true), None);
        let events = key_differences(&json!([{ "type": "t", "account": "A" }]), &json!([{ "type": "t" }]), true);
        assert_eq!(events.map(|found| found[0].1.path.clone()).as_deref(), Some("[0].account"));
    }

    #[test]
    fn array_differences_point_at_items() {
        let expected = json!([{ "amount": 1 }, { "amount": 2 }]);
        let actual = json!([{ "amount": 1 }]);
        let found = differences(&expected, &actual, true);
        assert_eq!(found[0].path, "[1]");
        assert_eq!(found[0].actual, None);
    }

    #[test]
    fn lines_mark_the_entries_that_differ() {
        let expected =
            json!({ "A": 3500, "B": 1500, "Carol": 0, "Dave": 12, "Eve": 1, "Frank": 99999999, "Gina": 5 });
        let actual =
            json!({ "A": 3500, "B": 0, "Carol": 0, "Dave": 12, "Eve": 1, "Frank": 99999999, "Gina": 5 });
        let found = differences(&expected, &actual, false);
        let marked: Vec<String> =
            lines(&actual).into_iter().filter(|l| line_differs(l, &found)).map(|l| l.text).collect();
        assert_eq!(marked, vec!["    B: 0,".to_owned()]);
        let state = json!({ "open": true, "closed": false, "balance": 7000 });
        let found = differences(&json!({ "open": true, "closed": false, "balance": 3000 }), &state, true);
        let marked: Vec<String> =
            lines_expanded(&state).into_iter().filter(|l| line_differs(l, &found)).map(|l| l.text).collect();
        assert_eq!(marked, vec!["    balance: 7000,".to_owned()]);
    }
}
