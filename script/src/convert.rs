//! Crossing the sandbox boundary: JSON values to Rhai values and back.
//!
//! Learner code only ever receives plain data (maps, arrays, strings, integers, booleans) built
//! here, and only plain data comes back out.

use std::collections::HashMap;
use std::ops::{Range, RangeInclusive};

use rhai::{Array, Dynamic, ImmutableString, Map, INT};
use serde_json::Value;

/// A JSON value as a Rhai value: objects become object maps, numbers integers.
pub fn to_dynamic(value: &Value) -> Dynamic {
    to_dynamic_with(value, &mut HashMap::new())
}

/// Converts with equal strings shared: 10,000 events carry a handful of distinct strings
/// (types, account ids), so sharing them saves most of the conversion's allocations.
fn to_dynamic_with(value: &Value, strings: &mut HashMap<String, ImmutableString>) -> Dynamic {
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            // Integers past i64 and fractions never occur in exercise data; keep them readable.
            None => Dynamic::from(n.to_string()),
        },
        Value::String(s) => match strings.get(s) {
            Some(shared) => Dynamic::from(shared.clone()),
            None => {
                let shared = ImmutableString::from(s.as_str());
                strings.insert(s.clone(), shared.clone());
                Dynamic::from(shared)
            }
        },
        Value::Array(items) => {
            Dynamic::from_array(items.iter().map(|item| to_dynamic_with(item, strings)).collect::<Array>())
        }
        Value::Object(fields) => Dynamic::from_map(
            fields
                .iter()
                .map(|(key, value)| (key.as_str().into(), to_dynamic_with(value, strings)))
                .collect::<Map>(),
        ),
    }
}

/// What a Rhai value with no JSON form is, as a learner reads it ("a range", "a function
/// pointer"), and how it reads in Rhai (`0..3`, `Fn(evolve)`); `None` for plain data.
pub fn opaque(value: &Dynamic) -> Option<(&'static str, String)> {
    let plain = value.is_unit() || value.is_bool() || value.is_int() || value.is_string() || value.is_char();
    if plain || value.is_array() || value.is_map() {
        return None;
    }
    if value.is::<Range<INT>>() || value.is::<RangeInclusive<INT>>() {
        return Some(("a range", value.to_string()));
    }
    if value.is_fnptr() {
        return Some(("a function pointer", value.to_string()));
    }
    // Rhai's name for any other type is a Rust path: keep only its last word.
    let name = value.type_name().rsplit("::").next().unwrap_or_default().trim_end_matches('>');
    Some(("a value of another kind", format!("<{name}>")))
}

/// A Rhai value returned by learner code as JSON. Values with no JSON form (functions, ranges)
/// become a string as Rhai writes them (see [`opaque`]), so a comparison fails readably instead
/// of crashing; characters become one-character strings.
pub fn to_value(value: &Dynamic) -> Value {
    if value.is_unit() {
        return Value::Null;
    }
    if let Ok(b) = value.as_bool() {
        return Value::Bool(b);
    }
    if let Ok(i) = value.as_int() {
        return Value::from(i);
    }
    if value.is_string() {
        return Value::String(value.to_string());
    }
    if let Ok(c) = value.as_char() {
        return Value::String(c.to_string());
    }
    if let Ok(items) = value.as_array_ref() {
        return Value::Array(items.iter().map(to_value).collect());
    }
    if let Ok(fields) = value.as_map_ref() {
        return Value::Object(fields.iter().map(|(key, value)| (key.to_string(), to_value(value))).collect());
    }
    Value::String(opaque(value).map(|(_, text)| text).unwrap_or_default())
}

/// Whether `value`, written out in full, takes at most `budget` bytes: every string counted as
/// often as it is held (an array may hold one string many times, shared, which writing it out or
/// comparing it copies each time), a few bytes for anything else. Stops counting once past.
pub fn written_within(value: &Dynamic, budget: usize) -> bool {
    fn spend(value: &Dynamic, left: &mut usize) -> bool {
        let cost = match value.as_immutable_string_ref() {
            Ok(text) => text.len() + 2,
            Err(_) => 8,
        };
        let Some(rest) = left.checked_sub(cost) else { return false };
        *left = rest;
        if let Ok(items) = value.as_array_ref() {
            return items.iter().all(|item| spend(item, left));
        }
        if let Ok(fields) = value.as_map_ref() {
            for (key, item) in fields.iter() {
                let Some(rest) = left.checked_sub(key.len()) else { return false };
                *left = rest;
                if !spend(item, left) {
                    return false;
                }
            }
        }
        true
    }
    let mut left = budget;
    spend(value, &mut left)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn plain_data_survives_the_round_trip() {
        let value =
            json!({ "type": "money-deposited", "account": "A", "amount": 5000, "tags": [true, null] });
        assert_eq!(to_value(&to_dynamic(&value)), value);
    }

    #[test]
    fn a_string_held_many_times_counts_each_time_it_is_written() {
        let text = Dynamic::from("x".repeat(1_000));
        let many: Array = std::iter::repeat_n(text, 100).collect();
        let many = Dynamic::from_array(many);
        assert!(written_within(&many, 110_000));
        assert!(!written_within(&many, 90_000), "a hundred copies of a thousand bytes");
        assert!(written_within(&to_dynamic(&json!({ "a": [1, 2, "b"] })), 100));
    }
}
