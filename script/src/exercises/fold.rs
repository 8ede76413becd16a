//! Exercise `fold` (lesson "The log is the source of truth"): write `evolve` for one account.

use super::{Exercise, Function};

/// The exercise as the page shows it.
pub const EXERCISE: Exercise = Exercise {
    id: "fold",
    title: "Fold events into a balance",
    functions: &[Function { name: "evolve", params: &["state", "event"], returns: "`state`", rules: &[] }],
    starter: include_str!("../../exercises/fold/starter.rhai"),
    solution: include_str!("../../exercises/fold/solution.rhai"),
    hints: &[
        "`evolve` looks at one event at a time. Check `event.type`, change the matching field \
         of `state`, and return `state` at the end.",
        "Change a field of a map with an assignment, `state.open = true;`, and compare strings \
         with `==`: `if event.type == \"money-deposited\" { ... }`.",
        "A deposit adds its amount to the balance, `state.balance += event.amount;`, and a \
         withdrawal subtracts it.",
        "Nearly there:\n```\nif event.type == \"account-opened\" {\n    state.open = true;\n\
         } else if event.type == \"money-deposited\" {\n    state.balance += event.amount;\n\
         } else if event.type == \"money-withdrawn\" {\n    state.balance -= event.amount;\n}\n\
         ```\nthen `state` as the last line.",
    ],
    takeaway: "The balance is never the truth, only a result: it is `fold(evolve, initial, events)`. \
               Because `evolve` only looks at the state so far and one event, replaying the same \
               events gives the same state on any machine, and stopping after event k gives the \
               state as it was back then.",
    checks_own_events: false,
};

#[cfg(feature = "sandbox")]
pub(crate) use sandboxed::cases;

#[cfg(feature = "sandbox")]
mod sandboxed {
    use crate::check::{Advice, Case};
    use crate::history::History;

    /// The cases: each folds one account's events through the learner's `evolve`.
    pub fn cases() -> Vec<Case> {
        let a = || History::default().open("A");
        let mut long = a();
        for step in 0..60_i64 {
            long = long.deposit("A", 1_000 + step * 37);
            if step % 3 == 2 {
                long = long.withdraw("A", 2_500);
            }
        }
        vec![
            case("opening an account", false, a(), "Does `account-opened` set `open` to true?"),
            case(
                "a deposit",
                false,
                a().deposit("A", 5_000),
                "Does `money-deposited` add its `amount` to the balance?",
            ),
            case(
                "a deposit, then a withdrawal",
                false,
                a().deposit("A", 5_000).withdraw("A", 2_000),
                "Does `money-withdrawn` subtract its `amount` from the balance?",
            ),
            case(
                "several deposits add up",
                true,
                a().deposit("A", 1_250).deposit("A", 99).deposit("A", 10_000),
                "Is every deposit added to what is already there?",
            ),
            case(
                "withdrawing everything",
                true,
                a().deposit("A", 5_000).withdraw("A", 5_000),
                "A withdrawal of the whole balance leaves 0: is the amount subtracted exactly once?",
            ),
            case(
                "a deposit of one cent",
                true,
                a().deposit("A", 1),
                "Amounts are whole cents: is the amount added as it is?",
            ),
            case(
                "a long history",
                true,
                long,
                "Each event changes the state by its own amount only: is an event skipped or applied twice?",
            ),
            // Going wrong at the overdraft, by a `throw` or by leaving the balance as it was,
            // evolve is checking what it should only apply.
            super::super::fold_case(
                "an overdraft the bank once allowed",
                true,
                &a().deposit("A", 2_000).overdraw("A", 5_000),
                "A",
                Advice::LastEvent(
                    "This withdrawal is larger than the balance, but it was recorded (under an \
                     overdraft the bank once allowed), so it happened and the balance goes below 0. \
                     `evolve` applies facts and never refuses them: is it checking the balance?",
                ),
            ),
        ]
    }

    fn case(name: &'static str, hidden: bool, history: History, advice: &'static str) -> Case {
        super::super::fold_case(name, hidden, &history, "A", Advice::Fallback(advice))
    }
}
