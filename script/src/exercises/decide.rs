//! Exercise `decide-withdrawal` (lesson "Commands versus events"): write `decide` for withdrawals.

use super::{Exercise, Function};

/// The rules `decide` enforces, in the order it checks them, named as the lesson lists them.
pub const RULES: &[&str] = &["amount-not-positive", "account-closed", "account-not-open", "insufficient-funds"];

/// The exercise as the page shows it.
pub const EXERCISE: Exercise = Exercise {
    id: "decide-withdrawal",
    title: "Decide a withdrawal",
    functions: &[Function {
        name: "decide",
        params: &["command", "state"],
        returns: "the array of new events (each rejection leaves earlier, with `return`)",
        rules: RULES,
    }],
    starter: include_str!("../../exercises/decide-withdrawal/starter.rhai"),
    solution: include_str!("../../exercises/decide-withdrawal/solution.rhai"),
    hints: &[
        "A command can be refused; an event cannot. So all the checking happens in `decide`, \
         before any event exists: each rule that is broken returns its rejection, and only a \
         command that passes every rule returns `[ ...the new event... ]`.",
        "There are four rules: the amount must be more than 0 (`amount-not-positive`), the \
         account must not be closed (`account-closed`), it must be open (`account-not-open`), \
         and the balance must cover the amount (`insufficient-funds`). Check them in that order: \
         a closed account is not open either, so test `state.closed` before `state.open`.",
        "Leave a function early with `return`: `if command.amount <= 0 { return #{ rejected: \
         \"amount-not-positive\" }; }`. Withdrawing exactly the whole balance is allowed.",
        "Nearly there. The last of the four checks:\n```\nif command.amount > state.balance {\n    \
         return #{ rejected: \"insufficient-funds\" };\n}\n```\nAfter them, the answer is an array \
         with one event:\n```\n[#{ type: \"money-withdrawn\", account: command.account, amount: command.amount }]\n```",
    ],
    takeaway: "`decide` is where the rules live: it looks at a command and the current state and \
               returns facts (events) or a reason to refuse. It never changes the state itself; \
               `evolve` does that later, from the events. That is why a rejected command leaves \
               no trace in the log, and why every event in the log is one that was allowed.",
    checks_own_events: false,
};

#[cfg(feature = "sandbox")]
pub(crate) use sandboxed::cases;

#[cfg(feature = "sandbox")]
mod sandboxed {
    use foldlab_core::{decide, Cents, Command};
    use serde_json::{json, Value};

    use crate::check::{Advice, Call, Case};
    use crate::history::{account_id, event_value, rejection_value, state_value, History};

    /// The cases: a history of account A, a withdrawal, and what the core's `decide` says.
    pub fn cases() -> Vec<Case> {
        let funded = || History::default().open("A").deposit("A", 5_000);
        vec![
            case("a withdrawal the balance covers", false, funded(), 2_000, "Does a valid withdrawal return an array with one `money-withdrawn` event?"),
            case("more than the balance", false, funded(), 8_000, "Is the amount compared with `state.balance`?"),
            case("an amount of zero", false, funded(), 0, "Is an amount of 0 refused? Only amounts above 0 make sense."),
            case("a negative amount", true, funded(), -500, "Is a negative amount refused too?"),
            case("exactly the whole balance", true, funded(), 5_000, "Withdrawing everything is allowed: is the comparison `>` rather than `>=`?"),
            case("one cent more than the balance", true, funded(), 5_001, "Is one cent too many refused?"),
            case("an account that was never opened", true, History::default(), 100, "Is `state.open` checked?"),
            case(
                "a closed account",
                true,
                History::default().open("A").close("A"),
                100,
                "A closed account is not open either: is `state.closed` checked before `state.open`, and before the balance?",
            ),
            case(
                "a closed account and a zero amount",
                true,
                History::default().open("A").close("A"),
                0,
                "The amount is checked first, before the account: is your first check the amount?",
            ),
            case(
                "the whole of a balance built up over time",
                true,
                funded().deposit("A", 250).withdraw("A", 1_000).deposit("A", 3_000),
                7_250,
                // Fails for `>=` as well as for a balance written into the code.
                "The whole balance of a state built up by several deposits and a withdrawal is asked for, \
                 which is allowed: is the amount compared with the `state.balance` your function \
                 is given, using `>`?",
            ),
        ]
    }

    fn case(name: &'static str, hidden: bool, given: History, amount: i64, advice: &'static str) -> Case {
        let state = given.state("A");
        let expected = match decide(&Command::WithdrawMoney { amount: Cents(amount) }, &state) {
            Ok(events) => {
                let a = account_id("A");
                Value::Array(events.iter().map(|event| event_value(&a, event)).collect())
            }
            Err(rejection) => rejection_value(&rejection),
        };
        let command = json!({ "type": "withdraw-money", "account": "A", "amount": amount });
        // An event carries only its type's fields; a rejection may say more than its rule (the
        // core's own rejections carry the balance and the amount asked for).
        let extra_keys_allowed = expected.get("rejected").is_some();
        Case {
            name: name.into(),
            hidden,
            call: Call::Once {
                function: "decide",
                args: vec![("command", command), ("state", state_value(&state))],
            },
            expected,
            extra_keys_allowed,
            advice: Advice::Fallback(advice),
        }
    }
}
