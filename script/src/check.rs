//! The checker: runs learner code on an exercise's cases and compares with what the core computed.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use foldlab_core::fold::{try_fold, StepFailed};
use rhai::Dynamic;
use serde_json::Value;

use crate::convert::{to_dynamic, to_value};
use crate::exercises::{self, Exercise};
use crate::report::{Argument, CaseResult, ErrorKind, Outcome, Report, ScriptError};
use crate::sandbox::Program;
use crate::value::{describe, differences, render};

/// Longest event list shown with a case; the rest are counted in [`Argument::omitted`].
const SHOWN_ITEMS: usize = 40;

/// One case of an exercise: how to call the learner's code, and what the core says it should give.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the case checks, in a few words.
    pub name: Cow<'static, str>,
    /// Whether the case hides its details until all cases pass.
    pub hidden: bool,
    /// How the learner's code is called.
    pub call: Call,
    /// The value the core computed.
    pub expected: Value,
    /// Whether maps in the learner's value may carry keys of their own.
    pub extra_keys_allowed: bool,
    /// A question pointing at the likely mistake when the case fails.
    pub advice: &'static str,
}

/// How a case calls learner code.
#[derive(Debug, Clone)]
pub enum Call {
    /// Fold `events` through the learner's `evolve(state, event)` from `initial` with the core's
    /// `try_fold`; `states` are the core's states after each event, to point at the first wrong one.
    Fold {
        /// The initial state.
        initial: Value,
        /// The events of one stream.
        events: Vec<Value>,
        /// The core's state after each event.
        states: Vec<Value>,
    },
    /// Call one function once with these named arguments.
    Once {
        /// The learner's function.
        function: &'static str,
        /// Parameter names and values, in order.
        args: Vec<(&'static str, Value)>,
    },
}

/// Checks learner code against one exercise: compiles it, makes sure the functions the exercise
/// calls exist, runs every case and reports. Never panics on learner input.
pub fn check(exercise: &str, source: &str) -> Report {
    check_timed(exercise, source, None, &[])
}

/// [`check`], with each case timed by `clock` (milliseconds, e.g. `performance.now()` in the
/// worker; the crate itself knows no clock), and with cases made from the learner's `own` events
/// after the exercise's own (see [`exercises::own_cases`]).
pub fn check_timed(exercise: &str, source: &str, clock: Option<&dyn Fn() -> f64>, own: &[Value]) -> Report {
    let Some(found) = exercises::find(exercise) else {
        let error = ScriptError::new(ErrorKind::Runtime, format!("there is no exercise `{exercise}`"));
        return Report::failed(exercise, error, Vec::new());
    };
    let program = match Program::compile(source) {
        Ok(program) => program,
        Err(error) => return Report::failed(exercise, error, Vec::new()),
    };
    if let Err(error) = prepare(&program, found) {
        return Report::failed(exercise, error, program.output());
    }
    let own: Vec<Prepared> =
        exercises::own_cases(found.id, own).into_iter().map(|case| Prepared { case, args: OnceCell::new() }).collect();
    let cached = cached_cases(found.id);
    let prepared: Vec<&Prepared> = cached.iter().chain(&own).collect();
    let mut cases: Vec<CaseResult> = prepared
        .iter()
        .map(|prepared| {
            let started = clock.map(|now| now());
            let mut result = run(&program, prepared);
            if let (Some(now), Some(started)) = (clock, started) {
                result.millis = Some((now() - started).max(0.0));
            }
            result
        })
        .collect();
    point_at_evolve_first(&prepared, &mut cases);
    Report { exercise: exercise.to_owned(), outcome: Outcome::Checked { cases }, output: program.output() }
}

/// When a fold of the learner's `evolve` fails, another function's failures (`balances`, which
/// folds every account through `evolve`) most likely follow from it: their advice says to fix
/// `evolve` first instead of asking the case's own question.
fn point_at_evolve_first(prepared: &[&Prepared], results: &mut [CaseResult]) {
    let evolve_fails = prepared.iter().zip(results.iter()).any(|(p, r)| matches!(p.case.call, Call::Fold { .. }) && !r.passed);
    if !evolve_fails {
        return;
    }
    for (p, result) in prepared.iter().zip(results.iter_mut()) {
        let Call::Once { function, .. } = &p.case.call else { continue };
        if result.passed || result.error.is_some() || *function == "evolve" {
            continue;
        }
        if let Some(what) = result.message.strip_suffix(p.case.advice) {
            result.message = format!(
                "{what}The `evolve` cases fail too, and `{function}` folds events through `evolve`: make those pass first."
            );
        }
    }
}

/// A case and, once it has run, its arguments as Rhai values (copying those is cheaper than
/// converting 10,000 events again).
struct Prepared {
    case: Case,
    args: OnceCell<Vec<Dynamic>>,
}

/// The cases of an exercise, built once per thread: the long transfer case alone takes the
/// core a noticeable moment to decide, and a learner runs the same exercise many times.
fn cached_cases(id: &'static str) -> Rc<Vec<Prepared>> {
    thread_local! {
        static CASES: RefCell<HashMap<&'static str, Rc<Vec<Prepared>>>> = RefCell::new(HashMap::new());
    }
    let build = || {
        let cases = exercises::cases(id);
        Rc::new(cases.into_iter().map(|case| Prepared { case, args: OnceCell::new() }).collect())
    };
    CASES.with(|cache| Rc::clone(cache.borrow_mut().entry(id).or_insert_with(build)))
}

fn prepare(program: &Program, exercise: &Exercise) -> Result<(), ScriptError> {
    for function in exercise.functions {
        program.require(function.name, function.params)?;
    }
    program.run_top_level()
}

fn run(program: &Program, prepared: &Prepared) -> CaseResult {
    let case = &prepared.case;
    let (input, actual) = match &case.call {
        Call::Fold { initial, events, states } => {
            let input = vec![
                argument("initial state", initial),
                list("events", events),
            ];
            (input, fold_through(program, initial, events, states))
        }
        Call::Once { function, args } => {
            let input = args.iter().map(|(name, value)| argument(name, value)).collect();
            let values = prepared.args.get_or_init(|| args.iter().map(|(_, value)| to_dynamic(value)).collect()).clone();
            let result = program.call(function, values).map(|value| (to_value(&value), None)).map_err(|e| (e, None));
            (input, result)
        }
    };
    let mut result = CaseResult {
        name: case.name.to_string(),
        hidden: case.hidden,
        passed: false,
        input,
        expected: case.expected.clone(),
        actual: None,
        differences: Vec::new(),
        message: String::new(),
        error: None,
        millis: None,
    };
    match actual {
        Ok((actual, first_wrong_step)) => {
            result.differences = differences(&case.expected, &actual, case.extra_keys_allowed);
            result.passed = result.differences.is_empty();
            if !result.passed {
                // A fold that went wrong at one event asks about that event's type; otherwise the
                // case's own question.
                let (what, advice) = match first_wrong_step {
                    Some(FirstWrong { sentence, event_type }) => {
                        (sentence, question_about(&event_type).unwrap_or(case.advice))
                    }
                    None => (describe(&result.differences).unwrap_or_else(|| "the result differs".to_owned()), case.advice),
                };
                result.message = format!("{}. {advice}", capitalised(&what));
            }
            result.actual = Some(actual);
        }
        Err((error, event)) => {
            // "Line 2, column 19, while applying event 1: …"
            let mut context: Vec<String> = Vec::new();
            if !error.place().is_empty() {
                context.push(error.place());
            }
            if let Some(index) = event {
                context.push(format!("while applying event {}", index + 1));
            }
            result.message = match context.is_empty() {
                true => error.message.clone(),
                false => format!("{}: {}", capitalised(&context.join(", ")), lowercase_first(&error.message)),
            };
            result.error = Some(error);
        }
    }
    result
}

/// The first event after which the learner's state differs from the core's.
struct FirstWrong {
    /// "after event 2 (money-deposited), balance should be 5000 but is 0".
    sentence: String,
    /// The event's type.
    event_type: String,
}

/// The question to ask when the state first goes wrong at an event of this type: every fold
/// exercise evolves the same account state (`open`, `closed`, `balance`).
fn question_about(event_type: &str) -> Option<&'static str> {
    Some(match event_type {
        "account-opened" => "Does `account-opened` set `open` to true?",
        "money-deposited" => "Does `money-deposited` add its `amount` to the balance?",
        "money-withdrawn" => "Does `money-withdrawn` take its `amount` off the balance?",
        "money-transferred-out" => "Does `money-transferred-out` take its `amount` off, like a withdrawal?",
        "money-transferred-in" => "Does `money-transferred-in` add its `amount`, like a deposit?",
        "account-closed" => "Does `account-closed` set `open` to false and `closed` to true?",
        _ => return None,
    })
}

/// Folds the events through the learner's `evolve` with the core's `try_fold`. Returns the final
/// state and, if some state along the way differs from the core's, what the first was;
/// or the error and the index of the event it happened on.
fn fold_through(
    program: &Program,
    initial: &Value,
    events: &[Value],
    expected_states: &[Value],
) -> Result<(Value, Option<FirstWrong>), (ScriptError, Option<usize>)> {
    let mut first_wrong: Option<FirstWrong> = None;
    let mut step = 0;
    let evolve = |state: Dynamic, event: &Value| -> Result<Dynamic, ScriptError> {
        let next = program.call("evolve", vec![state, to_dynamic(event)])?;
        if first_wrong.is_none() {
            if let Some(expected) = expected_states.get(step) {
                let found = differences(expected, &to_value(&next), true);
                if let Some(what) = describe(&found) {
                    let kind = event.get("type").map(render).unwrap_or_default();
                    let event_type = event.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
                    first_wrong = Some(FirstWrong { sentence: format!("after event {} ({kind}), {what}", step + 1), event_type });
                }
            }
        }
        step += 1;
        Ok(next)
    };
    let last = try_fold(to_dynamic(initial), events, evolve)
        .map_err(|StepFailed { index, error }: StepFailed<ScriptError>| (error, Some(index)))?;
    Ok((to_value(&last), first_wrong))
}

/// An argument as shown with a case.
fn argument(name: &str, value: &Value) -> Argument {
    match value {
        Value::Array(items) => list(name, items),
        value => Argument { name: name.to_owned(), value: value.clone(), omitted: 0 },
    }
}

/// A list argument: a long list keeps its first items and counts the rest.
fn list(name: &str, items: &[Value]) -> Argument {
    let shown = items.len().min(SHOWN_ITEMS);
    Argument { name: name.to_owned(), value: Value::Array(items[..shown].to_vec()), omitted: items.len() - shown }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // Keep "`evolve` …" and other code as written.
        Some(first) if first.is_uppercase() => first.to_lowercase().chain(chars).collect(),
        Some(first) => std::iter::once(first).chain(chars).collect(),
        None => String::new(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
