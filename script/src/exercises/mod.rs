//! The exercises: what the learner writes, with starter code, hints, a solution and a takeaway
//! (always compiled, for the page), and their cases (with the `sandbox` feature, for the worker).
//!
//! The Rhai sources live in `script/exercises/<id>/` next to this crate's `src/`: `starter.rhai`,
//! `solution.rhai`, and `wrong/*.rhai` (wrong solutions, used only by the tests).

mod decide;
mod fold;
mod projection;
mod transfers;
mod upcaster;

#[cfg(feature = "sandbox")]
use crate::check::{Advice, Call, Case};
#[cfg(feature = "sandbox")]
use crate::history::{state_value, History};

/// One exercise, as the page shows it.
#[derive(Debug)]
pub struct Exercise {
    /// The id used in lesson files: ```` ```exercise transfers ````.
    pub id: &'static str,
    /// A short title: "Transfers between accounts".
    pub title: &'static str,
    /// The functions the learner writes, which the checker calls.
    pub functions: &'static [Function],
    /// The code in the editor at first and after Reset: it compiles and fails the cases with
    /// helpful messages.
    pub starter: &'static str,
    /// A solution that passes every case.
    pub solution: &'static str,
    /// Progressive hints, from a nudge to nearly the answer. Text with `code` in backticks.
    pub hints: &'static [&'static str],
    /// What to take away, shown once every case passes. Text with `code` in backticks.
    pub takeaway: &'static str,
    /// Whether the learner's own events are tried too (the page sends them; [`own_cases`] makes
    /// the cases).
    pub checks_own_events: bool,
}

/// A function the learner writes.
#[derive(Debug)]
pub struct Function {
    /// Its name: `evolve`.
    pub name: &'static str,
    /// Its parameter names, in order: `["state", "event"]`.
    pub params: &'static [&'static str],
    /// What its last line should give back, as advice names it: "`state`".
    pub returns: &'static str,
    /// The rules a rejection it returns may name, spelt as the lesson lists them; empty for a
    /// function that never rejects.
    pub rules: &'static [&'static str],
}

/// Every exercise, in course order.
pub static EXERCISES: &[Exercise] =
    &[fold::EXERCISE, projection::EXERCISE, decide::EXERCISE, transfers::EXERCISE, upcaster::EXERCISE];

/// The exercise with this id.
pub fn find(id: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|exercise| exercise.id == id)
}

impl Function {
    /// The signature as written in Rhai: `fn evolve(state, event)`.
    pub fn signature(&self) -> String {
        format!("fn {}({})", self.name, self.params.join(", "))
    }
}

/// The cases of an exercise, visible ones first; empty for an unknown id.
#[cfg(feature = "sandbox")]
pub fn cases(id: &str) -> Vec<Case> {
    let mut cases = match id {
        "fold" => fold::cases(),
        "projection" => projection::cases(),
        "decide-withdrawal" => decide::cases(),
        "transfers" => transfers::cases(),
        "upcaster" => upcaster::cases(),
        _ => Vec::new(),
    };
    cases.sort_by_key(|case| case.hidden);
    cases
}

/// Most of the learner's own events one run is checked on, the newest: a learner with a busy
/// sandbox still gets a short report.
pub const MOST_OWN_EVENTS: usize = 10;

/// Cases made from the learner's own events, which the page sends along (the upcaster checks the
/// learner's sandbox deposits, written as version 1 wrote them); none for other exercises.
#[cfg(feature = "sandbox")]
pub fn own_cases(id: &str, events: &[serde_json::Value]) -> Vec<Case> {
    match id {
        "upcaster" => upcaster::own_cases(events),
        _ => Vec::new(),
    }
}

/// A case that folds one account's stream of `history` through the learner's `evolve`, from the
/// initial state, expecting the core's final state (extra fields of the learner's own allowed).
#[cfg(feature = "sandbox")]
fn fold_case(name: &'static str, hidden: bool, history: &History, account: &str, advice: Advice) -> Case {
    let states = history.states(account);
    let initial = state_value(&foldlab_core::Account::default());
    Case {
        name: name.into(),
        hidden,
        expected: states.last().cloned().unwrap_or_else(|| initial.clone()),
        call: Call::Fold { initial, events: history.stream_values(account), states },
        extra_keys_allowed: true,
        advice,
    }
}
