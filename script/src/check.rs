//! The checker: runs learner code on an exercise's cases and compares with what the core computed.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use foldlab_core::fold::{try_fold, StepFailed};
use rhai::Dynamic;
use serde_json::Value;

use crate::convert::{opaque, to_dynamic, to_value, written_within};
use crate::exercises::{self, Exercise, Function};
use crate::report::{Argument, CaseResult, Difference, ErrorKind, Outcome, Report, ScriptError};
use crate::sandbox::{capitalised, Program, MAX_WRITTEN};
use crate::value::{
    describe, describe_places, differences, join_key, key_differences, kind, misspelt_keys, render, render_key, same_kind,
};

/// Longest event list shown with a case; the rest are counted in [`Argument::omitted`].
const SHOWN_ITEMS: usize = 40;
/// Longest wrong value quoted in a sentence about its kind ("returned a number, 5000, where ...").
const QUOTED_WIDTH: usize = 32;

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
    /// A question pointing at the likely mistake when the case fails, and when it is asked. A
    /// hidden case shows it while its values stay hidden, so it names none of them.
    pub advice: Advice,
}

/// A case's question, and when it is asked. Never after a function returned nothing, nor after
/// `evolve` returned something other than a state: that mistake comes first, whatever the case.
#[derive(Debug, Clone, Copy)]
pub enum Advice {
    /// Asked when the value is wrong; in a fold, only when the first wrong event's type has no
    /// question of its own (see `question_about`), since that event is the better clue.
    Fallback(&'static str),
    /// For a fold about its last event (an overdraft `evolve` must apply, since it happened):
    /// asked when the fold first goes wrong at that event, after the event's own question, or
    /// stops there with a `throw` (no other error refuses anything). Wrong earlier, the fold asks
    /// about that event.
    LastEvent(&'static str),
    /// One question per field of the map the function returns (`("amount", "…")`): asked for
    /// the fields that differ, in this order, so a case does not ask about a field that is right;
    /// the first is the case's question when the value is wrong some other way.
    Fields(&'static [(&'static str, &'static str)]),
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

impl Advice {
    /// The question.
    pub fn text(self) -> &'static str {
        match self {
            Advice::Fallback(text) | Advice::LastEvent(text) => text,
            Advice::Fields(questions) => questions.first().map_or("", |(_, text)| text),
        }
    }

    /// The question for a value that differs from the expected one in `found`: for
    /// [`Advice::Fields`], the questions about the fields that differ.
    fn about(self, found: &[Difference]) -> Cow<'static, str> {
        let Advice::Fields(questions) = self else { return Cow::Borrowed(self.text()) };
        let asked: Vec<&str> =
            questions.iter().filter(|(field, _)| found.iter().any(|d| d.path == *field)).map(|(_, text)| *text).collect();
        match asked.is_empty() {
            true => Cow::Borrowed(self.text()),
            false => Cow::Owned(asked.join(" ")),
        }
    }
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
    let prepared = prepare(&program, found);
    // What the code outside functions printed; each case takes its own lines.
    let (output, output_omitted) = program.take_output();
    if let Err(error) = prepared {
        return Report { output_omitted, ..Report::failed(exercise, error, output) };
    }
    let own: Vec<Prepared> =
        exercises::own_cases(found.id, own).into_iter().map(|case| Prepared { case, args: OnceCell::new() }).collect();
    let cached = cached_cases(found.id);
    let prepared: Vec<&Prepared> = cached.iter().chain(&own).collect();
    let mut cases: Vec<CaseResult> = Vec::with_capacity(prepared.len());
    // A case stopped by the operation budget took its whole budget, and finding its line ran it
    // a second time: doing the same for every case took longer than the page waits (4 s, and 2 s then), so
    // the learner got a bare timeout instead of the line. One such case says it all.
    let mut stopped_by: Option<ErrorKind> = None;
    for prepared in &prepared {
        if let Some(limit) = stopped_by {
            cases.push(not_run(&prepared.case, limit));
            continue;
        }
        let started = clock.map(|now| now());
        let mut result = run(&program, found.functions, prepared);
        if let (Some(now), Some(started)) = (clock, started) {
            result.millis = Some((now() - started).max(0.0));
        }
        (result.output, result.output_omitted) = program.take_output();
        stopped_by = result.error.as_ref().map(|error| error.kind).filter(|kind| costs_time(*kind));
        cases.push(result);
    }
    point_at_evolve_first(&prepared, &mut cases);
    Report { exercise: exercise.to_owned(), outcome: Outcome::Checked { cases }, output, output_omitted }
}

/// When a fold of the learner's `evolve` fails, another function's failures (`balances`, which
/// folds every account through `evolve`) most likely follow from it: their advice says to fix
/// `evolve` first instead of asking the case's own question, and an error about `evolve` says
/// so after its own sentence.
fn point_at_evolve_first(prepared: &[&Prepared], results: &mut [CaseResult]) {
    let evolve_fails = prepared.iter().zip(results.iter()).any(|(p, r)| matches!(p.case.call, Call::Fold { .. }) && !r.passed);
    if !evolve_fails {
        return;
    }
    for (p, result) in prepared.iter().zip(results.iter_mut()) {
        let Call::Once { function, .. } = &p.case.call else { continue };
        if result.passed || result.not_run || *function == "evolve" {
            continue;
        }
        let instead = format!(
            "The `evolve` cases fail too, and `{function}` folds events through `evolve`: make those pass first."
        );
        // An error about `evolve` (inside it, or a state passed to it) keeps its sentence, which
        // says where; the `evolve` cases say why.
        if let Some(error) = &result.error {
            if error.message.contains("`evolve`") {
                for text in [&mut result.message, &mut result.note] {
                    *text = format!("{} {instead}", text.trim_end());
                }
            }
            continue;
        }
        let advice = p.case.advice.text();
        for text in [&mut result.message, &mut result.note] {
            if let Some(what) = text.strip_suffix(advice) {
                *text = format!("{what}{instead}");
            }
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

fn run(program: &Program, functions: &[Function], prepared: &Prepared) -> CaseResult {
    let case = &prepared.case;
    let (ran, function) = match &case.call {
        Call::Fold { initial, events, states } => (fold_through(program, initial, events, states), "evolve"),
        Call::Once { function, args } => {
            let values = prepared.args.get_or_init(|| args.iter().map(|(_, value)| to_dynamic(value)).collect()).clone();
            let ran = match program.call(function, values) {
                Ok(value) if !written_within(&value, MAX_WRITTEN) => Ran::Error(too_large_to_check(function), None, None),
                Ok(value) => Ran::Value(to_value(&value), opaque_kind(&value), None),
                Err(error) => Ran::Error(error, None, None),
            };
            (ran, *function)
        }
    };
    let mut result = unsettled(case);
    match ran {
        Ran::Value(actual, opaque, first_wrong) => {
            result.differences = differences(&case.expected, &actual, case.extra_keys_allowed);
            result.passed = result.differences.is_empty();
            if !result.passed {
                let about = functions.iter().find(|f| f.name == function);
                let verdict = match (first_wrong, &case.call) {
                    (Some(wrong), Call::Fold { events, .. }) => wrong_step(&wrong, events.len(), case.advice),
                    _ => wrong_value(case, about, function, Returned { value: &actual, opaque }, &result.differences),
                };
                (result.message, result.note) = (verdict.message, verdict.note);
            }
            result.actual = Some(actual);
        }
        Ran::Error(error, event, Some(wrong)) => {
            // An earlier event already left a wrong state, which most likely caused the error
            // (a field gone missing): that comes first, then where the fold stopped.
            let events = match &case.call {
                Call::Fold { events, .. } => events.len(),
                Call::Once { .. } => 0,
            };
            let verdict = wrong_step(&wrong, events, case.advice);
            let place = if error.place().is_empty() { String::new() } else { format!(", {}", error.place()) };
            let stopped = format!(
                "Most likely because of that, the fold then stopped at event {}{place}: ",
                event.map_or(0, |index| index + 1)
            );
            let message = lowercase_first(&error.message);
            result.note = format!("{} {stopped}{}", verdict.note, without_data(&message));
            result.message = format!("{} {stopped}{message}", verdict.message);
            result.error = Some(error);
        }
        Ran::Error(error, event, None) => {
            // "Line 2, column 19, while applying event 1: …"
            let mut context: Vec<String> = Vec::new();
            if !error.place().is_empty() {
                context.push(error.place());
            }
            if let Some(index) = event {
                context.push(format!("while applying event {}", index + 1));
            }
            let what = match context.is_empty() {
                true => error.message.clone(),
                false => format!("{}: {}", capitalised(&context.join(", ")), lowercase_first(&error.message)),
            };
            let last = match &case.call {
                Call::Fold { events, .. } => events.len().checked_sub(1),
                Call::Once { .. } => None,
            };
            // Only a `throw` refuses the event; any other error there says nothing about the rule.
            let threw = lowercase_first(&error.message).contains(crate::sandbox::THROWN);
            let advice = match case.advice {
                Advice::LastEvent(advice) if threw && event.is_some() && event == last => Some(advice),
                _ => None,
            };
            let with_advice = |what: String| match advice {
                Some(advice) => sentences(&what, Some(advice)),
                None => what,
            };
            result.note = with_advice(without_data(&what));
            result.message = with_advice(what);
            result.error = Some(error);
        }
    }
    result
}

/// Whether running into this limit took long: the operation budget spent, or a value grown
/// large step by step. Calls nested too deep stop within a few steps.
fn costs_time(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::TooManyOperations | ErrorKind::TooLarge)
}

/// A case skipped after an earlier one ran into `limit` (see [`costs_time`]).
fn not_run(case: &Case, limit: ErrorKind) -> CaseResult {
    let what = match limit {
        ErrorKind::TooLarge => "grew a value too large",
        _ => "ran out of operations",
    };
    // Said once above the cases on the page, so it speaks of all the cases not run.
    let message = format!(
        "The cases after the one that {what} were not run: they would only take longer. Fix that \
         case first, and they all run again next time."
    );
    CaseResult { not_run: true, note: message.clone(), message, ..unsettled(case) }
}

/// A case's result before anything is known of it: its name, inputs and expected value, not
/// passed, with no value, message or output yet.
fn unsettled(case: &Case) -> CaseResult {
    CaseResult {
        name: case.name.to_string(),
        hidden: case.hidden,
        passed: false,
        not_run: false,
        input: inputs(&case.call),
        expected: case.expected.clone(),
        actual: None,
        differences: Vec::new(),
        message: String::new(),
        note: String::new(),
        error: None,
        millis: None,
        output: Vec::new(),
        output_omitted: 0,
    }
}

/// An error's sentence without what learner code threw or handed to `parse_int`, or the
/// numbers a calculation failed on, which can be a case's own data: what a hidden case shows.
fn without_data(message: &str) -> String {
    // A message without a place starts with a capital: "Your code threw …".
    let find = |marker: &str| message.find(marker).or_else(|| message.find(&capitalised(marker)));
    if let Some(at) = find(crate::sandbox::THROWN) {
        return capitalised(&format!(
            "{}your code threw an error (what it threw shows once every case passes, or after you show the solution)",
            &message[..at]
        ));
    }
    if let Some(at) = find(crate::sandbox::LIBRARY_REFUSAL) {
        return capitalised(&format!("{}parse_int was given text that is not a whole number", &message[..at]));
    }
    // The numbers a calculation failed on: `x / 0` would read any hidden amount.
    let (open, close) = crate::sandbox::NUMBERS;
    if let Some(start) = message.find(open) {
        if let Some(length) = message[start + open.len()..].find(close) {
            let end = start + open.len() + length + close.len();
            return format!("{}{}", &message[..start], &message[end..]);
        }
    }
    message.to_owned()
}

/// What running a case's call gave.
enum Ran {
    /// The learner's value, what it is when JSON cannot say (see [`opaque_kind`]) and, when a
    /// fold went wrong along the way, where it first did.
    Value(Value, Option<&'static str>, Option<FirstWrong>),
    /// An error in the learner's code; in a fold, the index of the event it happened on, and
    /// where the fold first went wrong if an earlier event already left a wrong state.
    Error(ScriptError, Option<usize>, Option<FirstWrong>),
}

/// A failed case in words: `message` with the values, for the case's details; `note` without
/// them, for a hidden case whose details stay hidden.
struct Verdict {
    message: String,
    note: String,
}

/// Why a fold of `events` events went wrong at its first wrong event.
fn wrong_step(wrong: &FirstWrong, events: usize, advice: Advice) -> Verdict {
    let at = format!("after event {} ({})", wrong.index + 1, render(&Value::String(wrong.event_type.clone())));
    if !same_kind(&wrong.expected, &wrong.actual) {
        // Not a state at all: the event's question would be beside the point.
        let at = capitalised(&at);
        let actual = Returned { value: &wrong.actual, opaque: wrong.opaque };
        let sentence = |quoted: bool| match &wrong.actual {
            Value::Null => format!("{at}, {}", returned_nothing("evolve", "`state`")),
            Value::Bool(_) | Value::Number(_) | Value::String(_) if wrong.opaque.is_none() => format!(
                "{at}, {}. `evolve` must return the whole state map, not one of its fields: change the \
                 field in `state`, then end `evolve` with `state`.",
                returned_instead("evolve", &wrong.expected, actual, quoted)
            ),
            _ => format!(
                "{at}, {}. `evolve` must return the whole state map: end it with `state`.",
                returned_instead("evolve", &wrong.expected, actual, quoted)
            ),
        };
        return Verdict { message: sentence(true), note: sentence(false) };
    }
    let question = question_about(&wrong.event_type);
    // A slip of the hand, or fields left out of the state: asking whether the event changes its
    // field right would send the learner after a value that is right. `true` as in
    // `fold_through`'s own comparison.
    let advice = a_slip(&wrong.expected, &wrong.actual, &wrong.differences)
        .or_else(|| about_keys("evolve", &wrong.expected, &wrong.actual, true, &[]))
        .unwrap_or_else(|| match advice {
            // The case was made for its last event, refused or skipped there: its own advice says
            // what the event type's general question would get wrong (an overdraft is still
            // subtracted). A state changed the wrong way there gets the general question.
            Advice::LastEvent(advice) if wrong.index + 1 == events && wrong.unchanged => advice.to_owned(),
            other => question.unwrap_or(other.text()).to_owned(),
        });
    let what = describe(&wrong.differences).unwrap_or_else(|| "the state differs".to_owned());
    let plain = describe_places(&wrong.differences).unwrap_or_else(|| "the state is wrong".to_owned());
    Verdict {
        message: sentences(&format!("{at}, {what}"), Some(&advice)),
        note: sentences(&format!("{at}, {plain}"), Some(&advice)),
    }
}

/// Why a case's value is wrong: of the wrong kind, a rejection under another rule, or wrong in
/// some places.
fn wrong_value(
    case: &Case,
    about: Option<&Function>,
    function: &str,
    returned: Returned<'_>,
    found: &[Difference],
) -> Verdict {
    let advice = case.advice.text();
    let actual = returned.value;
    if actual.is_null() && !case.expected.is_null() {
        let returns = about.map_or("the value it works out", |f| f.returns);
        let message = returned_nothing(function, returns);
        return Verdict { note: message.clone(), message };
    }
    if returned.opaque.is_some() || !same_kind(&case.expected, actual) {
        // Events where a rejection was expected (or the reverse) is what the case's own question is
        // about; anything else of the wrong kind (a number where a map belongs, one event where
        // the array of events belongs) is answered by what the function should return, since the
        // case's question assumes the right kind of value.
        let outcome_swapped =
            (rule(&case.expected).is_some() && actual.is_array()) || (case.expected.is_array() && rule(actual).is_some());
        // Where a rejection was expected, what a function returns in general (the array of new
        // events) would send the learner the wrong way: show how a rejection is written.
        let (then, then_plain, advice) = match (outcome_swapped, rule(&case.expected)) {
            (true, _) => (String::new(), String::new(), Some(advice)),
            (false, Some(rule)) => (
                format!(
                    " A rejection is a map that names its rule: return `#{{ rejected: {} }}`.",
                    render(&Value::String(rule.to_owned()))
                ),
                " A rejection is a map that names its rule, as the lesson lists it: return `#{ rejected: \"...\" }`."
                    .to_owned(),
                None,
            ),
            (false, None) => {
                let then = about.map(|f| format!(" `{function}` should return {}.", f.returns)).unwrap_or_default();
                (then.clone(), then, None)
            }
        };
        return Verdict {
            message: sentences(&format!("{}.{then}", returned_instead(function, &case.expected, returned, true)), advice),
            note: sentences(&format!("{}.{then_plain}", returned_instead(function, &case.expected, returned, false)), advice),
        };
    }
    // `#{ reject: "…" }`: a rejection whose key is misspelt reads as a map of the wrong shape.
    if let (Some(_), Some(map)) = (rule(&case.expected), actual.as_object()) {
        if rule(actual).is_none() && map.len() == 1 && map.values().all(Value::is_string) {
            let key = map.keys().next().map(String::as_str).unwrap_or_default();
            let said = format!(
                "This case expects a rejection, a map with the key `rejected`; the map returned has the key `{key}` instead."
            );
            return Verdict { message: said.clone(), note: said };
        }
    }
    if let (Some(expected), Some(rejected)) = (rule(&case.expected), rule(actual)) {
        if expected != rejected {
            let rules = about.map_or(&[][..], |f| f.rules);
            let named = format!("Rejected with {}", render(&Value::String(rejected.to_owned())));
            // A name the lesson does not list is a misspelling: the case's question, about which
            // rule applies, would send the learner after the wrong thing.
            let (then, advice) = match rules.contains(&rejected) || rules.is_empty() {
                true => (String::new(), Some(advice)),
                false => (format!(" {}", not_a_rule(rejected, rules)), None),
            };
            let quoted = render(&Value::String(expected.to_owned()));
            return Verdict {
                message: sentences(&format!("{named}, but this case expects {quoted}.{then}"), advice),
                note: sentences(&format!("{named}, but this case expects another rule.{then}"), advice),
            };
        }
    }
    let args = match &case.call {
        Call::Once { args, .. } => args.as_slice(),
        Call::Fold { .. } => &[],
    };
    // Fields left out (or added): the case's question is about values, which are right.
    let advice = a_slip(&case.expected, actual, found)
        .or_else(|| about_keys(function, &case.expected, actual, case.extra_keys_allowed, args))
        .map_or_else(|| case.advice.about(found), Cow::Owned);
    let what = describe(found).unwrap_or_else(|| "the result differs".to_owned());
    let plain = describe_places(found).unwrap_or_else(|| "the result is wrong".to_owned());
    Verdict { message: sentences(&what, Some(&advice)), note: sentences(&plain, Some(&advice)) }
}

/// The advice for a slip of the hand that the case's question would miss: a field written under
/// a misspelt name (`state.opne = true`), or a number written as text (`"" + command.amount`).
/// Names keys, never values, so a hidden case may show it.
fn a_slip(expected: &Value, actual: &Value, found: &[Difference]) -> Option<String> {
    let misspelt = misspelt_keys(expected, actual);
    if !misspelt.is_empty() {
        let typos: Vec<&str> = misspelt.iter().map(|(typo, _, _)| typo.as_str()).collect();
        let meant: Vec<&str> = misspelt.iter().map(|(_, meant, _)| meant.as_str()).collect();
        // A state still holds the field meant, as it was; an event built anew has none.
        let held = misspelt.iter().all(|(_, _, held)| *held);
        let (typos, meant_list) = (code_list(&typos), code_list(&meant));
        return Some(match (misspelt.len(), held) {
            (1, true) => format!("Is {typos} meant to be {meant_list}? A field under another name is a field of its own, so {meant_list} itself keeps its old value."),
            (1, false) => format!("Is {typos} meant to be {meant_list}? A field under another name is a field of its own, so {meant_list} itself is not set."),
            (_, true) => format!("Are {typos} meant to be {meant_list}? Fields under other names are fields of their own, so {meant_list} themselves keep their old values."),
            (_, false) => format!("Are {typos} meant to be {meant_list}? Fields under other names are fields of their own, so {meant_list} themselves are not set."),
        });
    }
    // The rendered values: a whole number (amounts are cents), and the same digits in quotes. By
    // hand, not `str::parse::<f64>`, whose float parsing would cost the worker ~15 KB.
    let whole = |text: &str| {
        let digits = text.strip_prefix('-').unwrap_or(text);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let text = found.iter().find(|d| match (&d.expected, &d.actual) {
        (Some(number), Some(text)) => {
            whole(number) && text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) == Some(number.as_str())
        }
        _ => false,
    })?;
    let place = if text.path.is_empty() { "The result".to_owned() } else { format!("`{}`", text.path) };
    Some(format!(
        "{place} holds text where a number belongs: text joined with `+` stays text, and \
         `parse_int` turns text into a number."
    ))
}

/// The advice for a state or events that differ from the expected ones only by fields their maps
/// lack (or carry too many), which is what a map built anew instead of changed tends to give:
/// `evolve` is told to return the whole state, a function returning events to copy the fields
/// an event needs from its arguments (`account: command.account`). `None` when a value differs
/// too, or for any other kind of value (the accounts `balances` leaves out are its case's
/// question). Names keys and parameters, never values, so a hidden case may show it.
fn about_keys(
    function: &str,
    expected: &Value,
    actual: &Value,
    extra_keys_allowed: bool,
    args: &[(&'static str, Value)],
) -> Option<String> {
    let found = key_differences(expected, actual, extra_keys_allowed)?;
    // Every event of an array may lack the same field: each key is named once.
    let mut missing: Vec<(&str, &Difference)> = Vec::new();
    let mut extra: Vec<&str> = Vec::new();
    for (key, difference) in &found {
        match difference.actual {
            None if !missing.iter().any(|(seen, _)| seen == key) => missing.push((key, difference)),
            Some(_) if !extra.contains(&key.as_str()) => extra.push(key),
            _ => {}
        }
    }
    let them = |count: usize| if count == 1 { "it" } else { "them" };
    if function == "evolve" {
        // Keys of its own are allowed in a state: only missing ones come here.
        let keys: Vec<&str> = missing.iter().map(|(key, _)| *key).collect();
        return (!keys.is_empty()).then(|| {
            format!(
                "The state `evolve` returned lacks {}: `evolve` must return the whole state, so \
                 change the fields of `state` the event touches and end `evolve` with `state`, \
                 rather than building a new map.",
                code_list(&keys)
            )
        });
    }
    let which = match (kind(expected), expected.as_array().map(Vec::len)) {
        ("an event map", _) | ("an array of events", Some(1)) => format!("the event `{function}` returned"),
        ("an array of events", _) => format!("an event `{function}` returned"),
        _ => return None,
    };
    // Where a missing field can be copied from: a map argument holding the very value expected
    // there (the command's `account` for the event `decide` returns).
    let mut copied: Vec<(&str, &str)> = Vec::new();
    let mut added: Vec<&str> = Vec::new();
    for (key, difference) in &missing {
        let source = args.iter().find_map(|(name, value)| {
            let held = value.as_object()?.get(*key)?;
            (Some(render(held)) == difference.expected).then_some(*name)
        });
        match source {
            Some(name) => copied.push((key, name)),
            None => added.push(key),
        }
    }
    let mut said = String::new();
    if !missing.is_empty() {
        let keys: Vec<&str> = missing.iter().map(|(key, _)| *key).collect();
        said = format!("An event carries every field of its type, and {which} lacks {}", code_list(&keys));
    }
    if !copied.is_empty() {
        let mut sources: Vec<&str> = Vec::new();
        for (_, name) in &copied {
            if !sources.contains(name) {
                sources.push(name);
            }
        }
        let writes: Vec<String> =
            copied.iter().map(|(key, name)| format!("{}: {}", render_key(key), join_key(name, key))).collect();
        let what = match added.is_empty() {
            true => them(copied.len()).to_owned(),
            false => code_list(&copied.iter().map(|(key, _)| *key).collect::<Vec<_>>()),
        };
        said.push_str(&format!(
            ": copy {what} from {}, writing `{}` in the event's map",
            code_list(&sources),
            writes.join(", ")
        ));
    }
    if !added.is_empty() {
        said.push_str(&match copied.is_empty() {
            true => format!(": add {} to the event's map", them(added.len())),
            false => format!(", and add {}", code_list(&added)),
        });
    }
    if !extra.is_empty() {
        said.push_str(&match said.is_empty() {
            true => format!("An event carries only the fields of its type, and {which} has {} too", code_list(&extra)),
            false => format!(". It also has {}, which its type does not carry", code_list(&extra)),
        });
        said.push_str(&format!(": leave {} out", them(extra.len())));
    }
    Some(format!("{said}."))
}

/// Names as code in a list: "`account`", "`type` and `account`".
pub(crate) fn code_list(names: &[&str]) -> String {
    listed(&names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>(), "and")
}

/// `a`, `a and b`, `a, b and c`, with `or` or `and` as `conjunction`.
fn listed(items: &[String], conjunction: &str) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "`evolve` returned nothing (`()`). A Rhai function returns …, so end `evolve` with `state`."
fn returned_nothing(function: &str, returns: &str) -> String {
    format!(
        "`{function}` returned nothing (`()`). A Rhai function returns the value of its last line, \
         so end `{function}` with {returns}."
    )
}

/// "`evolve` returned a number, 5000, where a state map was expected"; the value is quoted only
/// when `quoted` and short.
fn returned_instead(function: &str, expected: &Value, actual: Returned<'_>, quoted: bool) -> String {
    // A range or a function pointer is carried as the text Rhai writes for it, shown unquoted.
    let (what, shown) = match (actual.opaque, actual.value) {
        (Some(what), Value::String(text)) => (what, text.clone()),
        (what, value) => (what.unwrap_or_else(|| kind(value)), render(value)),
    };
    let shown = match quoted && shown.chars().count() <= QUOTED_WIDTH {
        true => format!(", {shown},"),
        false => String::new(),
    };
    format!("`{function}` returned {what}{shown} where {} was expected", kind(expected))
}

/// A value learner code returned, and what it is when JSON cannot say (see [`opaque_kind`]).
#[derive(Clone, Copy)]
struct Returned<'a> {
    value: &'a Value,
    opaque: Option<&'static str>,
}

/// What a value with no JSON form is ("a range", "a function pointer"): it reaches the report
/// as the text Rhai writes for it, which alone would read as a string.
fn opaque_kind(value: &Dynamic) -> Option<&'static str> {
    opaque(value).map(|(what, _)| what)
}

/// The rule a rejection names: `#{ rejected: "insufficient-funds" }` gives `insufficient-funds`.
fn rule(value: &Value) -> Option<&str> {
    value.as_object()?.get("rejected")?.as_str()
}

/// `"insufficient-fund" is not one of the rules …`, listing them as the lesson does.
fn not_a_rule(rejected: &str, rules: &[&str]) -> String {
    let quoted: Vec<String> = rules.iter().map(|rule| render(&Value::String((*rule).to_owned()))).collect();
    format!(
        "{} is not one of the rule names the lesson lists: a rejection names its rule exactly as \
         written there, one of {}.",
        render(&Value::String(rejected.to_owned())),
        listed(&quoted, "or")
    )
}

/// `what` as a sentence, then the advice: "After event 3 (…), `balance` should be …. Does …?"
fn sentences(what: &str, advice: Option<&str>) -> String {
    let what = capitalised(what);
    let what = match what.ends_with(['.', '?', '!']) {
        true => what,
        false => format!("{what}."),
    };
    match advice {
        Some(advice) => format!("{what} {advice}"),
        None => what,
    }
}

/// The first event after which the learner's state differs from the core's.
struct FirstWrong {
    /// The event's index in the stream, from 0.
    index: usize,
    /// The event's type.
    event_type: String,
    /// The core's state after it.
    expected: Value,
    /// What the learner's `evolve` returned for it.
    actual: Value,
    /// What that is when JSON cannot say (see [`opaque_kind`]).
    opaque: Option<&'static str>,
    /// Where the two differ.
    differences: Vec<Difference>,
    /// Whether `evolve` returned the state as it was before the event (it refused or skipped it).
    unchanged: bool,
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
        "transfer-refunded" => "Does `transfer-refunded` add its `amount` back, like a deposit?",
        "account-closed" => "Does `account-closed` set `open` to false and `closed` to true?",
        _ => return None,
    })
}

/// Folds the events through the learner's `evolve` with the core's `try_fold`: the final state
/// and, if some state along the way differs from the core's, the first that did; or the error,
/// the index of the event it happened on and the first wrong state before it, if any. A value of another kind than the state (nothing,
/// a number) ends the fold there: passed on, it would only fail at the next event in Rhai's words.
fn fold_through(program: &Program, initial: &Value, events: &[Value], expected_states: &[Value]) -> Ran {
    let mut first_wrong: Option<FirstWrong> = None;
    let mut step = 0;
    let evolve = |state: Dynamic, event: &Value| -> Result<Dynamic, Stop> {
        let next = program.call("evolve", vec![state, to_dynamic(event)]).map_err(Stop::Error)?;
        if !written_within(&next, MAX_WRITTEN) {
            return Err(Stop::Error(too_large_to_check("evolve")));
        }
        let index = step;
        step += 1;
        let Some(expected) = expected_states.get(index) else { return Ok(next) };
        let wrong_kind = !kind_matches(expected, &next);
        if first_wrong.is_some() && !wrong_kind {
            return Ok(next);
        }
        let actual = to_value(&next);
        let what = opaque_kind(&next);
        if first_wrong.is_none() {
            let found = differences(expected, &actual, true);
            if !found.is_empty() {
                let event_type = event.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
                // The first wrong state: the one before it was right, the core's.
                let before = index.checked_sub(1).and_then(|i| expected_states.get(i)).unwrap_or(initial);
                first_wrong = Some(FirstWrong {
                    index,
                    event_type,
                    expected: expected.clone(),
                    unchanged: actual == *before,
                    actual: actual.clone(),
                    opaque: what,
                    differences: found,
                });
            }
        }
        match wrong_kind {
            true => Err(Stop::WrongKind(actual, what)),
            false => Ok(next),
        }
    };
    match try_fold(to_dynamic(initial), events, evolve) {
        Ok(last) => Ran::Value(to_value(&last), opaque_kind(&last), first_wrong),
        Err(StepFailed { error: Stop::WrongKind(actual, opaque), .. }) => Ran::Value(actual, opaque, first_wrong),
        Err(StepFailed { index, error: Stop::Error(error) }) => Ran::Error(error, Some(index), first_wrong),
    }
}

/// What a function returned is too large to write into the report (which the page shows) or
/// compare: no right answer comes near.
fn too_large_to_check(function: &str) -> ScriptError {
    ScriptError::new(
        ErrorKind::TooLarge,
        format!(
            "`{function}` returned a value too large to check: written out, it would take more than {} MB. \
             Is something added to it in a loop?",
            MAX_WRITTEN >> 20
        ),
    )
}

/// Why a fold of the learner's `evolve` stopped early.
enum Stop {
    /// The learner's code failed.
    Error(ScriptError),
    /// `evolve` returned something that is not a state, and what it is when JSON cannot say.
    WrongKind(Value, Option<&'static str>),
}

/// Whether a Rhai value is of the same kind as a JSON one, without converting it.
fn kind_matches(expected: &Value, actual: &Dynamic) -> bool {
    match expected {
        Value::Null => actual.is_unit(),
        Value::Bool(_) => actual.is_bool(),
        Value::Number(_) => actual.is_int(),
        Value::String(_) => actual.is_string(),
        Value::Array(_) => actual.is_array(),
        Value::Object(_) => actual.is_map(),
    }
}

/// A case's arguments as shown with it.
fn inputs(call: &Call) -> Vec<Argument> {
    match call {
        Call::Fold { initial, events, .. } => vec![argument("initial state", initial), list("events", events)],
        Call::Once { args, .. } => args.iter().map(|(name, value)| argument(name, value)).collect(),
    }
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

/// `text` with a capital first letter made small ("`evolve` …" and other code stay as written);
/// ASCII only, as [`capitalised`].
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_lowercase()).chain(chars).collect(),
        None => String::new(),
    }
}
