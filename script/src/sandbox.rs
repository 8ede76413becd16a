//! The sandbox: a Rhai engine configured for learner code, and learner errors in plain words.
//!
//! The engine starts raw (no packages, no module resolver, no `print` to the console) and gets
//! only the few functions exercises need (see [`crate::library`]).
//! Rhai cannot reach the page, storage, the network or the clock: it only sees the values the
//! checker passes in. Limits stop runaway code; the page's wall-clock timeout is the last resort.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rhai::{CallFnOptions, Dynamic, Engine, EvalAltResult, ParseError, ParseErrorType, Position, Scope, AST};

use crate::library;
use crate::report::{ErrorKind, ScriptError};

/// Operations one call into learner code may take. The reference `balances` over 10,000 events
/// takes about 390,000; `loop {}` reaches the limit in about 10 ms natively.
pub const MAX_OPERATIONS: u64 = 2_000_000;
/// Nested function calls allowed: far more than any exercise needs, few enough for the wasm stack.
pub const MAX_CALL_LEVELS: usize = 24;
/// Longest string learner code may build, in bytes.
pub const MAX_STRING_SIZE: usize = 10_000;
/// Largest array learner code may build (a case passes up to 10,000 events).
pub const MAX_ARRAY_SIZE: usize = 50_000;
/// Largest map learner code may build.
pub const MAX_MAP_SIZE: usize = 10_000;
/// Lines of `print` output kept per run.
pub const MAX_OUTPUT_LINES: usize = 50;

/// Learner code, compiled and ready to be called by the checker.
pub struct Program {
    engine: Engine,
    ast: AST,
    output: Rc<RefCell<Vec<String>>>,
    max_operations: u64,
}

impl Program {
    /// Compiles learner code, or says in plain words where and why it does not parse.
    pub fn compile(source: &str) -> Result<Program, ScriptError> {
        Program::compile_with_operations(source, MAX_OPERATIONS)
    }

    /// Like [`compile`](Program::compile) with another operation budget per call: for the
    /// benchmark, which runs the transfer solution over ten times the events of any case.
    pub fn compile_with_operations(source: &str, max_operations: u64) -> Result<Program, ScriptError> {
        let output = Rc::new(RefCell::new(Vec::new()));
        let engine = engine(&output, max_operations);
        let ast = engine.compile(source).map_err(|error| parse_error(&error, source))?;
        Ok(Program { engine, ast, output, max_operations })
    }

    /// Checks that the learner defined `name` with exactly `params` parameters.
    pub fn require(&self, name: &str, params: &[&str]) -> Result<(), ScriptError> {
        let signature = format!("fn {name}({})", params.join(", "));
        let found: Vec<usize> =
            self.ast.iter_functions().filter(|f| f.name == name).map(|f| f.params.len()).collect();
        if found.contains(&params.len()) {
            return Ok(());
        }
        let message = match found.first() {
            Some(count) => format!(
                "`{name}` takes {count} parameter{} here, but the checker calls `{signature}`: \
                 give it exactly these parameters",
                if *count == 1 { "" } else { "s" }
            ),
            None => format!(
                "the checker calls `{signature}`, but there is no function `{name}`: define it \
                 (check the spelling)"
            ),
        };
        Err(ScriptError::new(ErrorKind::MissingFunction, message))
    }

    /// Runs the code outside functions once (it may `print`, or fail), before any case.
    pub fn run_top_level(&self) -> Result<(), ScriptError> {
        self.engine.run_ast(&self.ast).map_err(|error| runtime_error(&error))
    }

    /// Calls one of the learner's functions with a fresh operation budget.
    pub fn call(&self, name: &str, args: Vec<Dynamic>) -> Result<Dynamic, ScriptError> {
        let replay = args.clone();
        call(&self.engine, &self.ast, name, args).map_err(|error| {
            let mut found = runtime_error(&error);
            if found.line.is_none() && is_limit(&error) {
                (found.line, found.column) = self.locate(name, replay);
            }
            found
        })
    }

    /// Where a call that hit a limit was when it stopped. Rhai reports limits without a
    /// position, so the same call runs again, as deterministic as the first time, in an engine
    /// whose debugger remembers the last place it stepped through. Only done after a failure,
    /// so correct code never pays for the stepping.
    #[allow(deprecated)] // `register_debugger` is marked volatile, not deprecated.
    fn locate(&self, name: &str, args: Vec<Dynamic>) -> (Option<u32>, Option<u32>) {
        let mut engine = engine(&Rc::new(RefCell::new(Vec::new())), self.max_operations);
        let last = Rc::new(Cell::new(Position::NONE));
        let seen = Rc::clone(&last);
        engine.register_debugger(
            |_, debugger| debugger,
            move |_, event, _, _, position| {
                // Exits report the closing brace; only steps say where the code was.
                if matches!(event, rhai::debugger::DebuggerEvent::Step) && !position.is_none() {
                    seen.set(position);
                }
                Ok(rhai::debugger::DebuggerCommand::StepInto)
            },
        );
        let _ = call(&engine, &self.ast, name, args);
        (line(last.get()), column(last.get()))
    }

    /// The lines printed so far.
    pub fn output(&self) -> Vec<String> {
        self.output.borrow().clone()
    }
}

fn call(engine: &Engine, ast: &AST, name: &str, args: Vec<Dynamic>) -> Result<Dynamic, Box<EvalAltResult>> {
    let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
    engine.call_fn_with_options::<Dynamic>(options, &mut Scope::new(), ast, name, args)
}

/// Whether an error is one of the limits, which Rhai reports without a position.
fn is_limit(error: &EvalAltResult) -> bool {
    matches!(
        error,
        EvalAltResult::ErrorTooManyOperations(_)
            | EvalAltResult::ErrorStackOverflow(_)
            | EvalAltResult::ErrorDataTooLarge(..)
    )
}

/// The engine: raw, with only the packages learner code needs, and limits on everything.
fn engine(output: &Rc<RefCell<Vec<String>>>, max_operations: u64) -> Engine {
    let mut engine = Engine::new_raw();
    library::register(&mut engine);

    engine
        .set_max_operations(max_operations)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(64, 32)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_ARRAY_SIZE)
        .set_max_map_size(MAX_MAP_SIZE)
        .set_max_variables(1_000)
        .set_max_functions(100);
    // `eval` would only reach this same sandbox, but it hides code from the error positions.
    engine.disable_symbol("eval");

    let printed = Rc::clone(output);
    engine.on_print(move |text| keep_line(&printed, text));
    let debugged = Rc::clone(output);
    engine.on_debug(move |text, _, _| keep_line(&debugged, text));
    engine
}

fn keep_line(output: &RefCell<Vec<String>>, text: &str) {
    let mut lines = output.borrow_mut();
    if lines.len() < MAX_OUTPUT_LINES {
        lines.push(text.to_owned());
    } else if lines.len() == MAX_OUTPUT_LINES {
        lines.push("… (more output not shown)".to_owned());
    }
}

/// A parse error in plain words, at its line and column (`source` is the learner's code).
fn parse_error(error: &ParseError, source: &str) -> ScriptError {
    let ParseError(kind, position) = error;
    let detail = kind.to_string();
    // Without floats, `12.50` reads as the property `50` of the number 12: what comes just before
    // the error is then a number and a dot.
    let after_number_and_dot = || {
        let (Some(line), Some(column)) = (position.line(), position.position()) else { return false };
        let before: String = source.lines().nth(line - 1).unwrap_or_default().chars().take(column - 1).collect();
        before.strip_suffix('.').is_some_and(|number| number.ends_with(|c: char| c.is_ascii_digit()))
    };
    let advice = match kind.as_ref() {
        ParseErrorType::UnexpectedEOF => {
            "the code ends too early: is a `{`, `(` or `[` left open, or a string not closed?".to_owned()
        }
        ParseErrorType::MissingToken(token, _) if token == ";" => {
            "a `;` is missing at the end of the statement before this point".to_owned()
        }
        ParseErrorType::MissingToken(token, _) => {
            let opening = match token.as_str() {
                "}" => "{",
                ")" => "(",
                "]" => "[",
                _ => "",
            };
            if opening.is_empty() {
                format!("a `{token}` is missing here")
            } else {
                format!("a `{token}` is missing here: is a `{opening}` above left open?")
            }
        }
        ParseErrorType::VariableUndefined(name) => format!(
            "`{name}` is not defined here: functions only see their own parameters and the \
             variables they declare with `let`"
        ),
        ParseErrorType::FnMissingParams(name) => {
            format!("`fn {name}` needs its parameters in brackets, e.g. `fn {name}(state, event)`")
        }
        ParseErrorType::Reserved(word) => {
            format!("`{word}` is a reserved word in Rhai: choose another name")
        }
        ParseErrorType::BadInput(_) if detail.contains('.') || detail.contains("float") => decimal_advice(),
        ParseErrorType::PropertyExpected if after_number_and_dot() => decimal_advice(),
        _ => format!("{detail}: check the code just before this point"),
    };
    let mut message = advice;
    if let Some(first) = message.get(..1) {
        message = first.to_uppercase() + &message[1..];
    }
    ScriptError { kind: ErrorKind::Syntax, message, detail, line: line(*position), column: column(*position) }
}

fn decimal_advice() -> String {
    "amounts are whole numbers of cents here, so there are no decimal numbers: write 1250, not 12.50".to_owned()
}

/// A runtime error in plain words, at the line and column where it happened (inside the
/// learner's functions, not where the checker called them).
pub(crate) fn runtime_error(error: &EvalAltResult) -> ScriptError {
    let mut innermost = error;
    let mut outer_position = error.position();
    let mut function = None;
    while let EvalAltResult::ErrorInFunctionCall(name, _, inner, position) = innermost {
        if !position.is_none() {
            outer_position = *position;
        }
        function = Some(name.as_str());
        innermost = inner;
    }
    let position = if innermost.position().is_none() { outer_position } else { innermost.position() };
    let (kind, message) = describe_runtime(innermost);
    let message = match function {
        Some(name) if kind == ErrorKind::Runtime => format!("In `{name}`: {message}"),
        _ => capitalised(&message),
    };
    ScriptError {
        kind,
        message,
        detail: innermost.to_string(),
        line: line(position),
        column: column(position),
    }
}

fn describe_runtime(error: &EvalAltResult) -> (ErrorKind, String) {
    use EvalAltResult as E;
    let runtime = |message: String| (ErrorKind::Runtime, message);
    match error {
        E::ErrorTooManyOperations(_) => (
            ErrorKind::TooManyOperations,
            format!(
                "stopped after {MAX_OPERATIONS} operations: is there a loop that never ends? (A \
                 loop inside a loop over many events can also take too long.)"
            ),
        ),
        E::ErrorStackOverflow(_) => (
            ErrorKind::TooDeep,
            format!(
                "stopped after {MAX_CALL_LEVELS} nested function calls: does a function call \
                 itself without ever stopping? Each step needs a case that returns without \
                 calling again."
            ),
        ),
        E::ErrorDataTooLarge(what, _) => (
            ErrorKind::TooLarge,
            format!(
                "stopped because a value grew too large ({what}): is something added to in a loop \
                 that never ends?"
            ),
        ),
        E::ErrorVariableNotFound(name, _) => runtime(format!(
            "`{name}` is not defined here: functions only see their own parameters and the \
             variables they declare with `let`. Pass it in, or check the spelling."
        )),
        E::ErrorFunctionNotFound(signature, _) => runtime(not_found(signature)),
        E::ErrorMismatchDataType(expected, actual, _) => {
            runtime(format!("expected {expected} here, but the value is {actual}"))
        }
        E::ErrorIndexingType(kind, _) => {
            runtime(format!("a value of type {kind} cannot be indexed with `[...]` or `.field`"))
        }
        E::ErrorArrayBounds(len, index, _) => runtime(format!(
            "index {index} is outside the array, which has {len} item{}",
            if *len == 1 { "" } else { "s" }
        )),
        E::ErrorStringBounds(len, index, _) => {
            runtime(format!("index {index} is outside the string, which has {len} characters"))
        }
        E::ErrorFor(_) => {
            runtime("`for` can loop over an array, a range (`0..n`) or a string, not this value".into())
        }
        E::ErrorArithmetic(what, _) => {
            runtime(format!("arithmetic failed ({what}): check for a division by zero"))
        }
        E::ErrorRuntime(value, _) => runtime(format!("your code threw {value}")),
        E::ErrorAssignmentToConstant(name, _) => {
            runtime(format!("`{name}` is a constant: use `let` for a value that changes"))
        }
        E::ErrorParsing(kind, _) => (ErrorKind::Syntax, kind.to_string()),
        other => runtime(other.to_string()),
    }
}

/// A missing function or operator in plain words. Rhai names it with its argument types:
/// `+ (i64, ())`, `push (map, i64)`, `balances (array, array)`.
fn not_found(signature: &str) -> String {
    let (name, types) = signature.split_once(" (").unwrap_or((signature, ""));
    let types: Vec<&str> = types.strip_suffix(')').unwrap_or(types).split(", ").filter(|t| !t.is_empty()).collect();
    let kinds: Vec<String> = types.iter().map(|t| kind_of(t)).collect();
    let operator = !name.chars().any(|c| c.is_alphanumeric() || c == '_');
    let mut message = if operator {
        format!("`{name}` cannot be used on {}", kinds.join(" and "))
    } else if kinds.is_empty() {
        format!("there is no function `{name}` without arguments: check the name")
    } else {
        format!(
            "there is no function `{name}` for {}: check the name, the number of arguments and their types",
            kinds.join(", ")
        )
    };
    if types.contains(&"()") {
        message.push_str(
            ". A `()` is what a map gives for a key it does not have: check the spelling of the \
             field (e.g. `event.amount`)",
        );
    }
    message
}

/// A Rhai type name as a learner reads it.
fn kind_of(type_name: &str) -> String {
    match type_name {
        "i64" => "a number".to_owned(),
        "()" => "`()` (nothing)".to_owned(),
        "bool" => "a boolean".to_owned(),
        "char" => "a character".to_owned(),
        "map" => "a map".to_owned(),
        "array" => "an array".to_owned(),
        t if t.contains("String") || t.contains("str") => "a string".to_owned(),
        other => format!("`{other}`"),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn line(position: Position) -> Option<u32> {
    position.line().and_then(|line| u32::try_from(line).ok())
}

fn column(position: Position) -> Option<u32> {
    position.position().and_then(|column| u32::try_from(column).ok())
}
