//! What a run of learner code produced: a report the worker sends to the page as JSON.
//!
//! The report carries everything the page may show; the page decides what to show. Hidden cases
//! carry their input, expected and actual values and what they printed too, so the page can
//! reveal them once every case passes or the learner asked for the solution (see
//! [`CaseResult::shows_detail`]); until then a failed hidden case shows its name and its
//! [`CaseResult::note`], which names no value.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The result of checking one piece of learner code against one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The exercise id, e.g. `transfers`.
    pub exercise: String,
    /// Either the checked cases, or the error that stopped the code before any case could run.
    pub outcome: Outcome,
    /// Lines the code outside functions printed with `print` or `debug`, in order (capped;
    /// each case keeps what it printed itself, see [`CaseResult::output`]).
    pub output: Vec<String>,
    /// How many more lines it printed than `output` kept.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub output_omitted: usize,
}

/// How a run ended. Sent externally tagged (`{"checked": {…}}`): an internally tagged enum is
/// read by buffering the whole report first, which took ~8 KB of the page's wasm to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The code compiled and the cases ran (each may still have failed, and after one that ran
    /// out of operations the rest are [not run](CaseResult::not_run)).
    Checked {
        /// One result per case, visible cases first, in the exercise's order.
        cases: Vec<CaseResult>,
    },
    /// The code could not run at all: a syntax error, a missing function, or a top-level error.
    Failed {
        /// What went wrong and where.
        error: ScriptError,
    },
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// A short name that says what the case checks, e.g. "an account that only ever receives".
    pub name: String,
    /// Hidden cases show only their name, result and `note` until all pass or the solution was
    /// revealed.
    pub hidden: bool,
    /// Whether the learner's value equals the expected one.
    pub passed: bool,
    /// Whether the case was skipped because an earlier one ran into a limit that costs time
    /// (operations, sizes): running the rest could only take longer, and the page stops a run
    /// after a few seconds. A case not run has not passed; its `message` says why it did not run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_run: bool,
    /// The arguments the learner's function was given.
    pub input: Vec<Argument>,
    /// The value the core computed for the same input.
    pub expected: Value,
    /// The value the learner's code returned, or `None` when it stopped with an error.
    pub actual: Option<Value>,
    /// Where expected and actual differ (empty when the case passes or the code stopped).
    pub differences: Vec<Difference>,
    /// A sentence for a failed case: what differs and what to look at; empty when passed.
    pub message: String,
    /// `message` without the case's values ("`balance` is wrong" rather than "should be 3000
    /// but is 7000"), so that a hidden case says what went wrong while its data stays hidden;
    /// empty when passed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The error that stopped the learner's code in this case, if any.
    pub error: Option<ScriptError>,
    /// How long the case took in the worker, in milliseconds, when it was timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub millis: Option<f64>,
    /// Lines learner code printed while this case ran, in order (capped, long lines cut). A
    /// hidden case's lines can show its data, so they are shown with its details (see
    /// [`CaseResult::output_shown`]), as what it threw is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<String>,
    /// How many more lines it printed than `output` kept.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub output_omitted: usize,
}

/// One named argument given to the learner's function, shown with a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Argument {
    /// The parameter name, e.g. `events`.
    pub name: String,
    /// The value (long event lists are cut, see `omitted`).
    pub value: Value,
    /// How many array items were left out of `value` to keep the report small.
    pub omitted: usize,
}

/// A place where the actual value differs from the expected one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Where, as a Rhai access path from the returned value: `balance`, `B`, `[0].amount`; empty
    /// for the whole value.
    pub path: String,
    /// The expected value there, in Rhai syntax; `None` when the learner's value has something
    /// the expected one has not.
    pub expected: Option<String>,
    /// The learner's value there, in Rhai syntax; `None` when it is missing.
    pub actual: Option<String>,
}

/// An error in learner code, in plain words, with its place in the source when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptError {
    /// What kind of problem it is.
    pub kind: ErrorKind,
    /// A sentence a learner understands, ending with what to try.
    pub message: String,
    /// The interpreter's own wording, for the curious.
    pub detail: String,
    /// 1-based line in the learner's source.
    pub line: Option<u32>,
    /// 1-based column in the learner's source.
    pub column: Option<u32>,
}

/// The kinds of error learner code can run into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The code does not parse.
    Syntax,
    /// A function the exercise calls is not defined (or has the wrong number of parameters).
    MissingFunction,
    /// The operation budget ran out: most likely a loop that never ends.
    TooManyOperations,
    /// Calls nested too deep: most likely a function that calls itself forever.
    TooDeep,
    /// A value grew past what the sandbox allows: the memory a call takes, an array past the
    /// call's room, or a returned value too large to check.
    TooLarge,
    /// Any other error while running.
    Runtime,
    /// The code did not answer in time and the page stopped it (set by the page, never by the
    /// sandbox).
    Timeout,
}

impl Report {
    /// A report for code that could not run at all.
    pub fn failed(exercise: &str, error: ScriptError, output: Vec<String>) -> Self {
        Report { exercise: exercise.to_owned(), outcome: Outcome::Failed { error }, output, output_omitted: 0 }
    }

    /// The checked cases, or an empty slice when the code could not run.
    pub fn cases(&self) -> &[CaseResult] {
        match &self.outcome {
            Outcome::Checked { cases } => cases,
            Outcome::Failed { .. } => &[],
        }
    }

    /// How many cases passed.
    pub fn passed(&self) -> usize {
        self.cases().iter().filter(|case| case.passed).count()
    }

    /// How many cases were not run (see [`CaseResult::not_run`]).
    pub fn not_run(&self) -> usize {
        self.cases().iter().filter(|case| case.not_run).count()
    }

    /// Whether there were cases and every one passed: the exercise is done.
    pub fn all_passed(&self) -> bool {
        !self.cases().is_empty() && self.cases().iter().all(|case| case.passed)
    }

    /// The line to announce: "5 of 7 cases pass", "0 of 8 cases pass (7 not run), with an error
    /// on line 2", "All 7 cases pass", or the error in short
    /// ("The code does not parse (line 3)"); the error's own message says the rest.
    pub fn summary(&self) -> String {
        match &self.outcome {
            Outcome::Checked { cases } if self.all_passed() => {
                format!("All {} cases pass", cases.len())
            }
            Outcome::Checked { cases } => {
                let noun = if cases.len() == 1 { "case" } else { "cases" };
                let verb = if self.passed() == 1 { "passes" } else { "pass" };
                // The line a case's error points at is marked in the editor, which a screen reader
                // does not see: the summary names it.
                let line = self.error_line().map(|line| format!(", with an error on line {line}")).unwrap_or_default();
                let skipped = match self.not_run() {
                    0 => String::new(),
                    n => format!(" ({n} not run)"),
                };
                format!("{} of {} {noun} {verb}{skipped}{line}", self.passed(), cases.len())
            }
            Outcome::Failed { error } => {
                let what = match error.kind {
                    ErrorKind::Syntax => "The code does not parse",
                    ErrorKind::MissingFunction => "A function the exercise calls is missing",
                    ErrorKind::TooManyOperations => "Stopped: too many operations",
                    ErrorKind::TooDeep => "Stopped: calls nested too deep",
                    ErrorKind::TooLarge => "Stopped: a value grew too large",
                    ErrorKind::Runtime => "Stopped by an error",
                    ErrorKind::Timeout => "Stopped: the code ran too long",
                };
                match error.line {
                    Some(line) => format!("{what} (line {line})"),
                    None => what.to_owned(),
                }
            }
        }
    }

    /// The first error with a line in the source, for the editor to mark.
    pub fn error_line(&self) -> Option<u32> {
        match &self.outcome {
            Outcome::Failed { error } => error.line,
            Outcome::Checked { cases } => {
                cases.iter().filter_map(|case| case.error.as_ref()).find_map(|error| error.line)
            }
        }
    }
}

impl CaseResult {
    /// Whether the page should show this case's input, expected and actual values: always for
    /// visible cases; for hidden ones once every case passes or the learner revealed the solution.
    pub fn shows_detail(&self, all_passed: bool, solution_revealed: bool) -> bool {
        !self.hidden || all_passed || solution_revealed
    }

    /// The lines this case printed that the page may show: all of them when its details are
    /// shown, none while they are hidden.
    pub fn output_shown(&self, all_passed: bool, solution_revealed: bool) -> &[String] {
        match self.shows_detail(all_passed, solution_revealed) {
            true => &self.output,
            false => &[],
        }
    }

    /// What the page shows of a failed case in place of the details it hides: its `note`;
    /// `None` when the case passed or its details are shown.
    pub fn note_while_hidden(&self, all_passed: bool, solution_revealed: bool) -> Option<&str> {
        let hides = !self.passed && !self.shows_detail(all_passed, solution_revealed);
        hides.then_some(self.note.as_str()).filter(|note| !note.is_empty())
    }
}

impl ScriptError {
    /// An error with no place in the source.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ScriptError { kind, message: message.into(), detail: String::new(), line: None, column: None }
    }

    /// The error the page reports when it had to stop the worker after `seconds` of wall clock.
    pub fn timeout(seconds: u32) -> Self {
        ScriptError::new(
            ErrorKind::Timeout,
            format!(
                "Your code ran for more than {seconds} seconds, so it was stopped: is there a loop \
                 that never ends, or a very slow one?"
            ),
        )
    }

    /// The heading the page shows above the message: code that does not parse never started,
    /// and a missing function is found before anything runs.
    pub fn heading(&self) -> String {
        let place = self.place();
        match (self.kind, place.is_empty()) {
            (ErrorKind::Syntax, true) => "Your code does not parse".to_owned(),
            (ErrorKind::Syntax, false) => format!("Your code does not parse: {place}"),
            (ErrorKind::MissingFunction, _) => "A function the exercise calls is missing".to_owned(),
            (_, true) => "Your code stopped".to_owned(),
            (_, false) => format!("Your code stopped at {place}"),
        }
    }

    /// "line 3, column 7", "line 3" or an empty string.
    pub fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("line {line}, column {column}"),
            (Some(line), None) => format!("line {line}"),
            _ => String::new(),
        }
    }
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}
