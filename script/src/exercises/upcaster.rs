//! Exercise `upcaster` (lesson "Storage, growth and schema evolution"): turn version-1 deposits
//! into version 2 while reading.

use super::{Exercise, Function};

/// The exercise as the page shows it.
pub const EXERCISE: Exercise = Exercise {
    id: "upcaster",
    title: "Upcast an old event",
    functions: &[Function { name: "upcast", params: &["event"], returns: "the event", rules: &[] }],
    starter: include_str!("../../exercises/upcaster/starter.rhai"),
    solution: include_str!("../../exercises/upcaster/solution.rhai"),
    hints: &[
        "Only a `money-deposited` event with `schema: 1` changes. Return anything else exactly \
         as it came in: `if event.type != \"money-deposited\" || event.schema != 1 { return \
         event; }`.",
        "Split the euros from the cents: `let parts = event.amount.split(\".\");` gives \
         `[\"12\", \"50\"]` for `\"12.50\"`, and `parse_int(parts[0])` gives 12. Not every amount \
         has a point: `\"100\"` is a hundred euros.",
        "Careful with one decimal: `\"7.5\"` is 7 euros and 50 cents, so a one-digit fraction \
         needs a `0` after it before it counts as cents (`fraction += \"0\";`).",
        "Nearly there:\n```\nlet cents = parse_int(parts[0]) * 100;\nif parts.len() > 1 {\n    \
         ...\n    cents += parse_int(fraction);\n}\nevent.amount = cents;\nevent.schema = 2;\nevent\n```",
    ],
    takeaway: "Stored events never change, so old shapes live forever. An upcaster converts an old \
               version into the current one while reading, so `evolve` and every projection only \
               ever see the newest shape. The log stays as it was written; only the reading \
               grows a step.",
    checks_own_events: true,
};

#[cfg(feature = "sandbox")]
pub(crate) use sandboxed::{cases, own_cases};

#[cfg(feature = "sandbox")]
mod sandboxed {
    use foldlab_core::upcast::Upcasters;
    use serde_json::{json, Value};

    use crate::check::{Advice, Call, Case};

    /// The cases: old and current events, upcast by the core's own upcaster chain.
    pub fn cases() -> Vec<Case> {
        vec![
            deposit("euros and cents", false, "12.50", &[("amount", "Is \"12.50\" turned into 1250 cents?"), SCHEMA]),
            case(
                "a version-2 deposit passes through",
                false,
                json!({ "type": "money-deposited", "schema": 2, "account": "A", "amount": 1250 }),
                "A version-2 event is already current: is it returned unchanged?",
            ),
            case(
                "a withdrawal passes through",
                false,
                json!({ "type": "money-withdrawn", "schema": 1, "account": "A", "amount": 2000 }),
                "Only deposits have a version 2: is every other event returned unchanged?",
            ),
            // A hidden case's question is shown while its values are not, so it names none of them.
            deposit(
                "whole euros",
                true,
                "100",
                &[("amount", "An amount with no decimal point is whole euros: is it still turned into cents?"), SCHEMA],
            ),
            deposit(
                "one decimal",
                true,
                "7.5",
                &[("amount", "One digit after the point counts tens of cents: is a one-digit fraction padded with a 0?"), SCHEMA],
            ),
            deposit(
                "cents only",
                true,
                "0.05",
                &[("amount", "Less than a euro is cents only: is a fraction with a leading 0 still read as cents?"), SCHEMA],
            ),
            deposit("a large amount", true, "987654.32", &[("amount", "Is every digit kept in cents?"), SCHEMA]),
            case(
                "an account opening passes through",
                true,
                json!({ "type": "account-opened", "schema": 1, "account": "B" }),
                "Events without an amount pass through unchanged too.",
            ),
            case(
                "the account stays",
                true,
                json!({ "type": "money-deposited", "schema": 1, "account": "savings", "amount": "3.00" }),
                "Only `amount` (into cents) and `schema` (to 2) change: are both changed as in the examples, and the other fields kept?",
            ),
        ]
    }

    /// Cases from the learner's own sandbox deposits, as version 1 wrote them (the page sends
    /// them): the newest [`MOST_OWN_EVENTS`](crate::exercises::MOST_OWN_EVENTS). Anything that is
    /// not a version-1 deposit the core can read is left out rather than trusted.
    pub fn own_cases(events: &[Value]) -> Vec<Case> {
        let readable = events.iter().rev().filter_map(|event| {
            let fields = event.as_object()?;
            if fields.get("type")?.as_str()? != "money-deposited" || fields.get("schema")?.as_u64()? != 1 {
                return None;
            }
            let (account, euros) = (fields.get("account")?.as_str()?, fields.get("amount")?.as_str()?);
            let expected = upcast_by_core(event).ok()?;
            Some(Case {
                name: format!("your own deposit of €{euros} into {account}").into(),
                hidden: false,
                expected,
                call: Call::Once { function: "upcast", args: vec![("event", event.clone())] },
                extra_keys_allowed: false,
                advice: Advice::Fallback(
                    "This is a deposit you made in the sandbox bank, written as version 1 would \
                     have stored it: is it upcast like the examples?",
                ),
            })
        });
        readable.take(crate::exercises::MOST_OWN_EVENTS).collect()
    }

    /// The question about the field every upcast deposit must change besides its amount.
    const SCHEMA: (&str, &str) = ("schema", "Is `schema` set to 2?");

    /// A version-1 deposit of `euros` into A, asking about each field that comes out wrong (only
    /// the amount's question when `schema` is right).
    fn deposit(name: &'static str, hidden: bool, euros: &str, questions: &'static [(&'static str, &'static str)]) -> Case {
        let event = json!({ "type": "money-deposited", "schema": 1, "account": "A", "amount": euros });
        Case { advice: Advice::Fields(questions), ..case(name, hidden, event, "") }
    }

    fn case(name: &'static str, hidden: bool, event: Value, advice: &'static str) -> Case {
        let expected = upcast_by_core(&event).unwrap_or_else(|error| panic!("case data: {event}: {error}"));
        Case {
            name: name.into(),
            hidden,
            expected,
            call: Call::Once { function: "upcast", args: vec![("event", event)] },
            extra_keys_allowed: false,
            advice: Advice::Fallback(advice),
        }
    }

    /// What the core's upcaster chain makes of an event with this shape: the data (the fields
    /// other than `type`, `schema` and `account`) is upcast from its version to the current one.
    fn upcast_by_core(event: &Value) -> Result<Value, String> {
        let Value::Object(fields) = event else { return Ok(event.clone()) };
        let event_type = fields.get("type").and_then(Value::as_str).unwrap_or_default();
        // A number too big for a schema is a version newer than any: left as it is, not wrapped.
        let version = fields.get("schema").and_then(Value::as_u64).map_or(1, |v| u32::try_from(v).unwrap_or(u32::MAX));
        let current = foldlab_core::Event::current_schema(event_type);
        if version >= current {
            return Ok(event.clone());
        }
        let data: serde_json::Map<String, Value> = fields
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), "type" | "schema" | "account"))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        let upcast = Upcasters::standard()
            .upcast(event_type, version, Value::Object(data), current)
            .map_err(|error| error.to_string())?;
        let mut result = fields.clone();
        if let Value::Object(data) = upcast {
            result.extend(data);
        }
        result.insert("schema".into(), Value::from(current));
        Ok(Value::Object(result))
    }
}
