//! Exercise `projection` (lesson "Why keep every event"): write a new read model, the largest
//! single deposit.

use super::{Exercise, Function};

/// The exercise as the page shows it.
pub const EXERCISE: Exercise = Exercise {
    id: "projection",
    title: "A projection of your own",
    functions: &[Function {
        name: "project",
        params: &["events"],
        returns: "the number it works out (`largest` in the starter)",
        rules: &[],
    }],
    starter: include_str!("../../exercises/projection/starter.rhai"),
    solution: include_str!("../../exercises/projection/solution.rhai"),
    hints: &[
        "A projection is a fold too: walk through the events in order and keep one value up to \
         date, here the largest deposit seen so far.",
        "Only `money-deposited` events count. A withdrawal or a transfer also has an `amount`, \
         but it is not a deposit.",
        "Compare, then replace: `if event.amount > largest { largest = event.amount; }`. Start \
         from 0, which is also the answer when there is no deposit at all.",
        "Nearly there. The whole loop body is:\n```\nif event.type == \"money-deposited\" && \
         event.amount > largest {\n    largest = event.amount;\n}\n```",
    ],
    takeaway: "A new question about the past needs no new data: it is a new fold over the events \
               you already keep. That is how one stream feeds many read models (a balance, a \
               monthly statement, a fraud flag), each built and rebuilt from the same facts.",
    checks_own_events: false,
};

#[cfg(feature = "sandbox")]
pub(crate) use sandboxed::cases;

#[cfg(feature = "sandbox")]
mod sandboxed {
    use foldlab_core::{fold, Event};
    use serde_json::Value;

    use crate::check::{Advice, Call, Case};
    use crate::history::History;

    /// The cases: the events of account A, and the largest deposit by the core's fold.
    pub fn cases() -> Vec<Case> {
        let a = || History::default().open("A");
        let mut many = a();
        for step in 1..=30_i64 {
            many = many.deposit("A", (step * 7_919) % 5_000 + 1);
        }
        vec![
            case(
                "one deposit",
                false,
                a().deposit("A", 5_000),
                "Is the amount of a `money-deposited` event kept?",
            ),
            case(
                "the larger of two deposits",
                false,
                a().deposit("A", 1_200).deposit("A", 4_000),
                "Is the larger amount kept?",
            ),
            case(
                "a withdrawal is not a deposit",
                false,
                a().deposit("A", 3_000).deposit("A", 3_000).withdraw("A", 6_000),
                "Only `money-deposited` events count: is the event type checked?",
            ),
            case(
                "no events at all",
                true,
                History::default(),
                "With no deposits the answer is 0: does `project` return 0, not `()`?",
            ),
            case("an account with no deposits", true, a(), "With no deposits the answer is 0."),
            case(
                "the largest comes first",
                true,
                a().deposit("A", 9_000).deposit("A", 100).deposit("A", 2_500),
                "Is a later, smaller deposit replacing a larger one?",
            ),
            case(
                "money received by transfer is not a deposit",
                true,
                History::default()
                    .open("A")
                    .deposit("A", 1_000)
                    .open("B")
                    .deposit("B", 20_000)
                    .transfer("B", "A", 15_000),
                "A transfer in adds money but is not a deposit: is it left out?",
            ),
            case("thirty deposits", true, many, "Is it the largest single deposit, not the total?"),
        ]
    }

    fn case(name: &'static str, hidden: bool, history: History, advice: &'static str) -> Case {
        let largest = fold(0, history.stream("A"), |largest: u64, event: &Event| match event {
            Event::MoneyDeposited { amount } => largest.max(amount.cents()),
            _ => largest,
        });
        Case {
            name: name.into(),
            hidden,
            call: Call::Once {
                function: "project",
                args: vec![("events", Value::Array(history.stream_values("A")))],
            },
            expected: Value::from(largest),
            extra_keys_allowed: false,
            advice: Advice::Fallback(advice),
        }
    }
}
