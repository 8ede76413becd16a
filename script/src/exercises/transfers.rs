//! Exercise `transfers` (lesson "Transfers between accounts", the centrepiece): extend `evolve`
//! with both halves of a transfer and the refund of one that bounced, then compute every
//! account's balance from one mixed list.

use super::{Exercise, Function};

/// The exercise as the page shows it.
pub const EXERCISE: Exercise = Exercise {
    id: "transfers",
    title: "Balances of many accounts",
    functions: &[
        Function { name: "evolve", params: &["state", "event"], returns: "`state`", rules: &[] },
        Function {
            name: "balances",
            params: &["events"],
            returns: "the map of balances (`result` in the starter)",
            rules: &[],
        },
    ],
    starter: include_str!("../../exercises/transfers/starter.rhai"),
    solution: include_str!("../../exercises/transfers/solution.rhai"),
    hints: &[
        "A transfer is two facts on two streams: `money-transferred-out` on the sender's account \
         and `money-transferred-in` on the receiver's. Each event changes only the account named \
         in its own `account` field; `to` and `from` say where the money went or came from (the \
         transfer process reads `to` to know whom to credit), but never change that account here.",
        "In `evolve`, a transfer out subtracts `event.amount` like a withdrawal, and a transfer \
         in adds it like a deposit. A `transfer-refunded` is the money of a transfer that \
         bounced coming back to its sender: it adds `event.amount` too.",
        "In `balances`, keep one state per account in a map: `states[event.account]`. `if \
         event.account in states { ... }` tells whether you have seen that account before; if \
         not, start from `#{ open: false, closed: false, balance: 0 }`. An account with no \
         events of its own does not belong in the result.",
        "Nearly there. Inside the loop:\n```\nlet state = if event.account in states {\n    \
         states[event.account]\n} else {\n    #{ open: false, closed: false, balance: 0 }\n};\n\
         states[event.account] = evolve(state, event);\n```\nAfter the loop:\n```\n\
         for account in states.keys() {\n    result[account] = states[account].balance;\n}\n```",
    ],
    takeaway: "Evolve never looks at two accounts at once. A transfer is two facts in two \
               streams, and each account's balance is a fold of its own events only. Partition \
               the events by account id, fold each partition, and the way accounts interleave \
               in the list stops mattering, as long as each account's own events stay in order.",
    checks_own_events: false,
};

#[cfg(feature = "sandbox")]
pub(crate) use sandboxed::cases;

#[cfg(feature = "sandbox")]
mod sandboxed {
    use crate::check::{Advice, Call, Case};
    use crate::history::{busy_history, History};

    /// Events in the long case, which must fit the operation budget.
    pub const LONG_CASE_EVENTS: usize = 10_000;

    /// The cases: `evolve` on single streams, then `balances` on mixed lists.
    pub fn cases() -> Vec<Case> {
        let two = || History::default().open("A").deposit("A", 5_000).open("B").transfer("A", "B", 1_500);
        let interleaved = History::default()
            .open("A")
            .open("B")
            .deposit("B", 2_000)
            .deposit("A", 7_000)
            .open("C")
            .transfer("B", "A", 500)
            .withdraw("A", 1_200)
            .transfer("A", "C", 3_000)
            .deposit("C", 150)
            .transfer("C", "B", 1_000)
            .withdraw("B", 2_500)
            .deposit("A", 40);
        vec![
            fold(
                "a transfer out lowers the balance",
                two(),
                "A",
                "Does `money-transferred-out` subtract its amount, like a withdrawal?",
            ),
            fold(
                "a transfer in raises the balance",
                two(),
                "B",
                "Does `money-transferred-in` add its amount, like a deposit?",
            ),
            fold(
                "a bounced transfer comes back",
                // A transfer that lands as well, so code that ignores transfers altogether does
                // not pass by the refund cancelling the bounced transfer out.
                History::default()
                    .open("A")
                    .deposit("A", 5_000)
                    .open("C")
                    .transfer("A", "C", 500)
                    .open("B")
                    .close("B")
                    .bounce("A", "B", 1_500)
                    .withdraw("A", 1_000),
                "A",
                "B is closed, so the money came back: does `transfer-refunded` add its amount back to A?",
            ),
            balances(
                "two accounts, one transfer",
                false,
                two(),
                "Does each event go to the state of the account in its `account` field?",
            ),
            balances(
                "an account that only ever receives",
                true,
                History::default()
                    .open("A")
                    .deposit("A", 10_000)
                    .open("C")
                    .transfer("A", "C", 2_000)
                    .transfer("A", "C", 500),
                "Account C never deposits: does it still get a state of its own, and does each transfer in add to it?",
            ),
            balances(
                "interleaved accounts",
                true,
                interleaved,
                "Does every account keep its own state, whatever order the events of different accounts come in?",
            ),
            balances(
                "a transfer to an account that appears nowhere else",
                true,
                History::default().open("A").deposit("A", 5_000).send_only("A", "Z", 1_000),
                "Z has no events of its own, so it has no balance here: is a transfer out applied only to its own `account`?",
            ),
            balances(
                "no events at all",
                true,
                History::default(),
                "With no events there are no accounts: is the result an empty map, `#{}`?",
            ),
            balances(
                "a transfer in is credited to its own account",
                true,
                History::default().open("A").open("B").deposit("B", 3_000).transfer("B", "A", 1_200),
                "A transfer in raises its own `account`, not `from`: does every account keep a state of its \
                 own, found by `event.account`?",
            ),
            balances(
                "a transfer out is not a deposit",
                true,
                History::default()
                    .open("A")
                    .deposit("A", 8_000)
                    .open("B")
                    .transfer("A", "B", 3_000)
                    .withdraw("A", 1_000),
                "Money leaving A lowers A's balance and no other: does each event change only the state \
                 of its own `account`, not `to`?",
            ),
            balances(
                "bounced transfers go back to their senders",
                true,
                History::default()
                    .open("A")
                    .deposit("A", 6_000)
                    .open("B")
                    .open("C")
                    .close("C")
                    .bounce("A", "C", 2_000)
                    .transfer("A", "B", 1_000)
                    .bounce("B", "D", 400)
                    .withdraw("B", 100),
                "C is closed and D was never opened, so both transfers came back: does each \
                 `transfer-refunded` go to the state of its own `account`, the sender, and add its \
                 amount there?",
            ),
            balances(
                "10,000 events of four accounts",
                true,
                busy_history(6, LONG_CASE_EVENTS),
                // Too slow a `balances` stops on the operation budget, which says so: this question
                // is only asked of a wrong result.
                "Across many events of four accounts, does each event change only the state of the \
                 account in its `account` field, once?",
            ),
        ]
    }

    fn fold(name: &'static str, history: History, account: &str, advice: &'static str) -> Case {
        super::super::fold_case(name, false, &history, account, Advice::Fallback(advice))
    }

    fn balances(name: &'static str, hidden: bool, history: History, advice: &'static str) -> Case {
        Case {
            name: name.into(),
            hidden,
            expected: history.balances(),
            call: Call::Once {
                function: "balances",
                args: vec![("events", serde_json::Value::Array(history.values()))],
            },
            extra_keys_allowed: false,
            advice: Advice::Fallback(advice),
        }
    }
}
