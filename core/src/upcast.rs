//! Upcasters: old stored shapes of an event become the current shape while reading.
//!
//! Events live forever, so their stored JSON never changes; when a shape changes, its schema version
//! goes up and an upcaster from the old version to the next is added to the chain. Reading applies
//! the chain step by step until the data reaches the schema the code writes today, then decodes it.
//!
//! The real example: `money-deposited` version 1 stored the amount as a decimal string of euros
//! (`{"amount": "12.50"}`); version 2 stores integer cents (`{"amount": 1250}`).

use std::fmt;

use serde_json::Value;

use crate::account::DecodeError;
use crate::money::Money;

/// One step of the chain: turns `event_type` data of schema `from_schema` into `from_schema + 1`.
pub struct Upcaster {
    /// The event type it applies to.
    pub event_type: String,
    /// The schema version it reads; it writes the next one.
    pub from_schema: u32,
    step: Box<dyn Fn(Value) -> Result<Value, String>>,
}

/// A chain of upcasters, applied on read. [`Upcasters::standard`] (also the `Default`) holds the
/// core's own; the sandbox can build one holding a learner's upcaster instead.
pub struct Upcasters {
    steps: Vec<Upcaster>,
}

impl Upcaster {
    /// An upcaster from `from_schema` to `from_schema + 1` for `event_type`; `step` returns the new
    /// data or says in a sentence why the old data cannot be converted.
    pub fn new(
        event_type: &str,
        from_schema: u32,
        step: impl Fn(Value) -> Result<Value, String> + 'static,
    ) -> Upcaster {
        Upcaster { event_type: event_type.to_owned(), from_schema, step: Box::new(step) }
    }

    /// Applies this one step.
    pub fn apply(&self, data: Value) -> Result<Value, String> {
        (self.step)(data)
    }
}

impl Upcasters {
    /// A chain with no steps: only current shapes can be read.
    pub fn empty() -> Upcasters {
        Upcasters { steps: Vec::new() }
    }

    /// The core's chain: `money-deposited` 1 → 2.
    pub fn standard() -> Upcasters {
        let mut chain = Upcasters::empty();
        chain.push(Upcaster::new("money-deposited", 1, deposit_v1_to_v2));
        chain
    }

    /// Adds a step (replacing any step for the same type and version).
    pub fn push(&mut self, upcaster: Upcaster) {
        self.steps.retain(|step| {
            !(step.event_type == upcaster.event_type && step.from_schema == upcaster.from_schema)
        });
        self.steps.push(upcaster);
    }

    /// Brings `data` of `event_type` from `schema` up to `target`, one step at a time.
    pub fn upcast(&self, event_type: &str, schema: u32, data: Value, target: u32) -> Result<Value, DecodeError> {
        if schema == 0 || schema > target {
            return Err(DecodeError::UnknownSchema { event_type: event_type.to_owned(), schema });
        }
        let mut data = data;
        for version in schema..target {
            let step = self
                .steps
                .iter()
                .find(|step| step.event_type == event_type && step.from_schema == version)
                .ok_or_else(|| DecodeError::UnknownSchema { event_type: event_type.to_owned(), schema })?;
            data = step.apply(data).map_err(|reason| DecodeError::Invalid {
                event_type: event_type.to_owned(),
                schema: version,
                reason,
            })?;
        }
        Ok(data)
    }
}

impl Default for Upcasters {
    fn default() -> Upcasters {
        Upcasters::standard()
    }
}

impl fmt::Debug for Upcaster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Upcaster({} {} -> {})", self.event_type, self.from_schema, self.from_schema + 1)
    }
}

impl fmt::Debug for Upcasters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.steps).finish()
    }
}

/// `money-deposited` version 1 → 2: `{"amount": "12.50"}` becomes `{"amount": 1250}`; other fields
/// are kept as they are.
pub fn deposit_v1_to_v2(data: Value) -> Result<Value, String> {
    let Value::Object(mut fields) = data else {
        return Err("the data is not an object".to_owned());
    };
    let amount = match fields.get("amount") {
        Some(Value::String(euros)) => Money::parse_euros(euros).map_err(|error| error.to_string())?,
        Some(other) => return Err(format!("version 1 amounts are decimal strings, not {other}")),
        None => return Err("missing field `amount`".to_owned()),
    };
    fields.insert("amount".to_owned(), Value::from(amount.cents()));
    Ok(Value::Object(fields))
}

/// What version 1 of `money-deposited` wrote for a deposit of `amount`: `{"amount": "12.50"}`.
/// For tests, the upcaster exercise and the schema lesson's sample data.
pub fn deposit_v1_data(amount: Money) -> Value {
    serde_json::json!({ "amount": amount.to_decimal_string() })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::account::Event;

    #[track_caller]
    fn check(schema: u32, data: Value, expected: Result<Event, &str>) {
        let decoded = Event::from_stored("money-deposited", schema, &data, &Upcasters::standard());
        assert_eq!(decoded.map_err(|error| error.to_string()), expected.map_err(str::to_owned));
    }

    fn deposit(cents: i64) -> Event {
        Event::MoneyDeposited { amount: Money::from_cents(cents).unwrap_or(Money::MAX) }
    }

    #[test]
    fn reads_both_versions_of_a_deposit() {
        check(1, json!({"amount": "12.50"}), Ok(deposit(1250)));
        check(1, json!({"amount": "3"}), Ok(deposit(300)));
        check(2, json!({"amount": 1250}), Ok(deposit(1250)));
        check(
            1,
            json!({"amount": 1250}),
            Err("This \"money-deposited\" event (schema 1) is malformed: version 1 amounts are decimal strings, not 1250."),
        );
        check(
            1,
            json!({"amount": "-5"}),
            Err("This \"money-deposited\" event (schema 1) is malformed: The amount must be more than zero."),
        );
        check(3, json!({"amount": 1250}), Err("Version 3 of \"money-deposited\" cannot be read by this version of the app."));
        check(0, json!({"amount": 1250}), Err("Version 0 of \"money-deposited\" cannot be read by this version of the app."));
    }

    #[test]
    fn a_chain_without_the_step_cannot_read_old_shapes() {
        let decoded = Event::from_stored("money-deposited", 1, &json!({"amount": "1"}), &Upcasters::empty());
        assert_eq!(
            decoded,
            Err(DecodeError::UnknownSchema { event_type: "money-deposited".to_owned(), schema: 1 })
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn upcast_v1_equals_what_v2_would_have_written(cents in 1i64..=100_000_000_000) {
            let amount = Money::from_cents(cents).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let v2 = Event::MoneyDeposited { amount };
            let upcast = Upcasters::standard().upcast("money-deposited", 1, deposit_v1_data(amount), 2);
            prop_assert_eq!(upcast, Ok(v2.data()));
            prop_assert_eq!(
                Event::from_stored("money-deposited", 1, &deposit_v1_data(amount), &Upcasters::standard()),
                Ok(v2)
            );
        }
    }
}
