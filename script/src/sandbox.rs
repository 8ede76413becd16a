//! The sandbox: a Rhai engine configured for learner code, and learner errors in plain words.
//!
//! The engine starts raw (no packages, no module resolver, no `print` to the console) and gets
//! only the few functions exercises need (see [`crate::library`]).
//! Rhai cannot reach the page, storage, the network or the clock: it only sees the values the
//! checker passes in. Limits stop runaway code; the page's wall-clock timeout is the last resort.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rhai::{CallFnOptions, Dynamic, Engine, EvalAltResult, LexError, ParseError, ParseErrorType, Position, Scope, AST, INT};

use crate::check::code_list;
use crate::library;
use crate::memory;
use crate::report::{ErrorKind, ScriptError};

/// Operations one call into learner code may take. The reference `balances` over 10,000 events
/// takes about 390,000; `loop {}` reaches the limit in about 10 ms natively.
pub const MAX_OPERATIONS: u64 = 2_000_000;
/// Nested function calls allowed: enough for any exercise written with loops, few enough for the
/// wasm stack. Rhai recurses on the stack, and in the worker an overflow traps ("memory access out
/// of bounds") instead of failing cleanly. Measured on the release worker (in node): a call made
/// inside a 10-deep expression overflowed its 1 MB stack between 40 and 50 nested calls (a plain
/// call between 200 and 400), so 24 keeps about half of it free, and 64 would trap.
pub const MAX_CALL_LEVELS: usize = 24;
/// Most bytes one call into learner code may take beyond what it was given, counted by the
/// allocator (see [`crate::memory`]). Rhai's own size limits are not set: with any of them, Rhai
/// walks the whole of a value after every method call on it, so a correct `while i <
/// events.len()` over the longest case's 10,000 events took 4 to 5 s natively and ran out of
/// time. The longest case's events take about 5 MB; `s += s` in a loop reaches this in 26 steps.
pub const MAX_MEMORY: usize = 64 << 20;
/// Most bytes a value may take written out in full, every string as often as it is held: by
/// `print`, `debug`, `+` with a string, `==` and `contains` (which copy it in one step, before the
/// memory count can look), and by the checker on what a function returns (which goes into the
/// report the page shows). A thousand times more than any right answer returns.
pub const MAX_WRITTEN: usize = 1 << 20;
/// Most items `push` and `+` let an array reach (see [`array_room`]): the longest case's events
/// twice over.
pub const MAX_ARRAY_SIZE: usize = 20_000;
/// Items `push` and `+` let an array reach, at the least, in any call (see [`array_room`]): far
/// more than a case of a few dozen events needs, and reached in milliseconds by a runaway loop.
pub const MIN_ARRAY_ROOM: usize = 1_000;
/// Most functions learner code may define: far more than any exercise needs.
pub const MAX_FUNCTIONS: usize = 100;
/// Most variables in scope at once.
pub const MAX_VARIABLES: usize = 1_000;
/// Lines of `print` output kept from the code outside functions, and from each case.
pub const MAX_OUTPUT_LINES: usize = 20;
/// Characters kept of one printed line: a whole history printed at once still fits the screen.
pub const MAX_LINE_CHARS: usize = 500;
/// Characters of printed output kept over a whole run, however many cases print.
pub const MAX_OUTPUT_CHARS: usize = 20_000;

/// Learner code, compiled and ready to be called by the checker.
pub struct Program {
    engine: Engine,
    ast: AST,
    /// The learner's code, to name what an error is about (`state` in `state.balance`).
    source: String,
    output: Rc<RefCell<Printed>>,
    max_operations: u64,
}

/// What learner code printed since it was last taken, within the limits.
#[derive(Debug, Default)]
pub(crate) struct Printed {
    lines: Vec<String>,
    /// Lines printed past the limits, not kept.
    omitted: usize,
    /// Characters kept over the whole run, taken or not.
    kept: usize,
}

impl Program {
    /// Compiles learner code, or says in plain words where and why it does not parse.
    pub fn compile(source: &str) -> Result<Program, ScriptError> {
        Program::compile_with_operations(source, MAX_OPERATIONS)
    }

    /// Like [`compile`](Program::compile) with another operation budget per call: for the
    /// benchmark, which runs the transfer solution over ten times the events of any case.
    pub fn compile_with_operations(source: &str, max_operations: u64) -> Result<Program, ScriptError> {
        let output = Rc::new(RefCell::new(Printed::default()));
        let engine = engine(&output, max_operations);
        let ast = engine.compile(source).map_err(|error| parse_error(&error, source))?;
        Ok(Program { engine, ast, source: source.to_owned(), output, max_operations })
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
        Err(ScriptError::new(ErrorKind::MissingFunction, capitalised(&message)))
    }

    /// Runs the code outside functions once (it may `print`, or fail), before any case.
    pub fn run_top_level(&self) -> Result<(), ScriptError> {
        count_memory_from_now();
        self.engine.run_ast(&self.ast).map_err(|error| runtime_error(&error, None, &self.source))
    }

    /// Calls one of the learner's functions with a fresh operation budget.
    pub fn call(&self, name: &str, args: Vec<Dynamic>) -> Result<Dynamic, ScriptError> {
        let replay = args.clone();
        call(&self.engine, &self.ast, name, args).map_err(|error| {
            let mut found = runtime_error(&error, Some(name), &self.source);
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
        let mut engine = engine(&Rc::new(RefCell::new(Printed::default())), self.max_operations);
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

    /// The lines printed since the last call (at most [`MAX_OUTPUT_LINES`], each cut to
    /// [`MAX_LINE_CHARS`]) and how many more were printed but not kept. The checker takes them
    /// after the code outside functions and after each case, so each case's lines stay its own.
    pub fn take_output(&self) -> (Vec<String>, usize) {
        let mut printed = self.output.borrow_mut();
        let omitted = std::mem::take(&mut printed.omitted);
        (std::mem::take(&mut printed.lines), omitted)
    }
}

/// What [`ErrorTerminated`](EvalAltResult::ErrorTerminated) carries when learner code took more
/// than [`MAX_MEMORY`], or would in one step (see [`MAX_WRITTEN`]).
pub(crate) const OUT_OF_MEMORY: &str = "took too much memory";

thread_local! {
    /// The bytes this thread held when the running call began: what learner code takes is
    /// counted from there, so the host's own data (the events it was given) does not count.
    static CALL_STARTED_HOLDING: Cell<isize> = const { Cell::new(0) };
}

/// Counts the memory learner code takes from now on.
fn count_memory_from_now() {
    CALL_STARTED_HOLDING.with(|held| held.set(memory::held()));
}

fn call(engine: &Engine, ast: &AST, name: &str, args: Vec<Dynamic>) -> Result<Dynamic, Box<EvalAltResult>> {
    count_memory_from_now();
    // The library's `push` and `+` read the room as the run's tag (see `library::fits`).
    let room = INT::try_from(array_room(&args)).unwrap_or(INT::MAX);
    let options = CallFnOptions::new().eval_ast(false).rewind_scope(true).with_tag(room);
    engine.call_fn_with_options::<Dynamic>(options, &mut Scope::new(), ast, name, args)
}

/// How many items `push` and `+` let an array reach in a call given `args`: twice the items of
/// the arrays passed in (room for a copy of the events and more), at least [`MIN_ARRAY_ROOM`] and
/// at most [`MAX_ARRAY_SIZE`]. A runaway `push` used to run into Rhai's own limit, slower at every
/// push (see [`MAX_ARRAY_SIZE`]), and Rhai reports a limit without its line, which
/// `Program::locate` found by running the call again, ten times slower with a `push` in it: the
/// page gave up first. Refused by the `push` itself, the loop stops within milliseconds in a case
/// of a few events, with the line of the `push`.
pub(crate) fn array_room(args: &[Dynamic]) -> usize {
    let given: usize = args.iter().filter_map(|arg| arg.as_array_ref().ok().map(|items| items.len())).sum();
    given.saturating_mul(2).clamp(MIN_ARRAY_ROOM, MAX_ARRAY_SIZE)
}

/// Whether an error is one of the limits, which Rhai reports without a position.
fn is_limit(error: &EvalAltResult) -> bool {
    matches!(
        error,
        EvalAltResult::ErrorTooManyOperations(_)
            | EvalAltResult::ErrorStackOverflow(_)
            | EvalAltResult::ErrorTerminated(..)
    )
}

/// The engine: raw, with only the packages learner code needs, and limits on everything.
pub(crate) fn engine(output: &Rc<RefCell<Printed>>, max_operations: u64) -> Engine {
    let mut engine = Engine::new_raw();
    library::register(&mut engine);

    engine
        .set_max_operations(max_operations)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(64, 32)
        .set_max_variables(MAX_VARIABLES)
        .set_max_functions(MAX_FUNCTIONS);
    // Checked at every operation, in constant time: an addition per allocation is all it costs.
    engine.on_progress(|_| (memory::held().saturating_sub(CALL_STARTED_HOLDING.with(Cell::get)) > MAX_MEMORY as isize).then(|| Dynamic::from(OUT_OF_MEMORY)));
    // `eval` would only reach this same sandbox, but it hides code from the error positions.
    engine.disable_symbol("eval");

    let printed = Rc::clone(output);
    engine.on_print(move |text| keep_line(&printed, text));
    let debugged = Rc::clone(output);
    engine.on_debug(move |text, _, _| keep_line(&debugged, text));
    engine
}

/// Keeps a printed line within the limits, or counts it as not kept. A 512 KB line printed at
/// every event once made a 26 MB report that stalled the page.
fn keep_line(output: &RefCell<Printed>, text: &str) {
    let mut printed = output.borrow_mut();
    if printed.lines.len() >= MAX_OUTPUT_LINES || printed.kept >= MAX_OUTPUT_CHARS {
        printed.omitted += 1;
        return;
    }
    let line = match text.char_indices().nth(MAX_LINE_CHARS) {
        Some((cut, _)) => format!("{}… (cut: {} characters in all)", &text[..cut], thousands(text.chars().count() as u64)),
        None => text.to_owned(),
    };
    printed.kept += line.chars().count();
    printed.lines.push(line);
}

/// A parse error in plain words, at its line and column (`source` is the learner's code). When
/// the brackets do not pair up, that is said first, at the bracket: the parser only notices much
/// later, and names what it expected there ("a `;` is missing" for a final `}` left out).
fn parse_error(error: &ParseError, source: &str) -> ScriptError {
    let ParseError(kind, position) = error;
    let detail = kind.to_string();
    if let Some(found) = unbalanced(source) {
        let (message, at) = found.describe();
        return ScriptError {
            kind: ErrorKind::Syntax,
            message,
            detail,
            line: u32::try_from(at.line).ok(),
            column: u32::try_from(at.column).ok(),
        };
    }
    // Most errors are marked where Rhai noticed them; `at` moves the mark to where the mistake is.
    let mut at: Option<(usize, usize)> = None;
    let advice = match kind.as_ref() {
        // `elif` reads as a name, so what follows is a call (`elif !x` a macro-like `elif!`, whose
        // `(` is missing) or a statement without its `;`: said as what it is, at the `elif`.
        ParseErrorType::MissingToken(..) if elif_at(source, *position).is_some() => {
            at = elif_at(source, *position);
            "Rhai writes `else if`, not `elif`".to_owned()
        }
        // `a and b` reads as `a` followed by a name where a `{`, `;` or `)` should come.
        ParseErrorType::MissingToken(..)
            if word_at(source, *position).is_some_and(|w| w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or")) =>
        {
            let word = word_at(source, *position).unwrap_or_default();
            let operator = if word.eq_ignore_ascii_case("and") { "&&" } else { "||" };
            let (left, right) = operands(source, *position, &word).unwrap_or_else(|| ("a".into(), "b".into()));
            format!("Rhai writes `{operator}`, not `{word}`: `{left} {operator} {right}`")
        }
        ParseErrorType::MissingToken(..) if word_before(source, *position).is_some_and(|(w, _)| w.eq_ignore_ascii_case("not")) => {
            at = word_before(source, *position).map(|(_, start)| start);
            let negated = path_at(source, *position).unwrap_or_else(|| "state.open".to_owned());
            format!("Rhai writes `!`, not `not`: `!{negated}`")
        }
        ParseErrorType::UnexpectedEOF => {
            "the code ends too early: is a `{`, `(` or `[` left open, or a string not closed?".to_owned()
        }
        ParseErrorType::MissingToken(token, _) if token == ";" => {
            if let Some(brace) = map_without_hash(source, *position) {
                // `{ rejected: "..." }` reads as a block whose first statement lacks its `;`.
                at = Some(brace);
                "a map is written `#{ ... }` in Rhai, with a `#` before the `{`: `#{ rejected: \"...\" }`"
                    .to_owned()
            } else {
                // Rhai notices at the start of the next statement, often lines further down past
                // blank lines and comments: the statement that lacks it ends at the last code before.
                at = end_of_code_before(source, *position);
                "a `;` is missing at the end of this statement".to_owned()
            }
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
        // `n++` is an unknown operator to Rhai, `++n` a reserved symbol.
        ParseErrorType::UnknownOperator(operator) | ParseErrorType::Reserved(operator)
            if operator == "++" || operator == "--" =>
        {
            let sign = &operator[..1];
            match word_before(source, *position) {
                Some((name, _)) => format!("Rhai has no `{operator}`: write `{name} {sign}= 1` instead"),
                None => format!("Rhai has no `{operator}`: write `{sign}= 1` instead, as in `n {sign}= 1`"),
            }
        }
        // `x != null` is a test for a missing field, not a name.
        ParseErrorType::Reserved(word) if word == "null" || word == "nil" => {
            let (map, field) = compared_field(source, *position).unwrap_or_else(|| ("state".into(), "closed".into()));
            format!(
                "Rhai has no `{word}`: a field a map does not have reads as `()`, and `\"{field}\" in {map}` \
                 tells whether `{map}` has `{field}`"
            )
        }
        ParseErrorType::Reserved(word) => {
            format!("`{word}` is a reserved word in Rhai: choose another name")
        }
        ParseErrorType::BadInput(_) | ParseErrorType::PropertyExpected if decimal_at(source, *position) => {
            decimal_advice()
        }
        ParseErrorType::BadInput(LexError::ImproperSymbol(symbol, rhai_advice)) => {
            improper_symbol(symbol).map_or_else(|| rhai_advice.clone(), str::to_owned)
        }
        ParseErrorType::BadInput(LexError::UnexpectedInput(text)) if !text.is_ascii() => format!(
            "names in Rhai are made of the letters a to z, digits and `_`, without accents or other \
             alphabets, so `{text}` cannot be part of one (text in quotes may hold any character)"
        ),
        ParseErrorType::BadInput(LexError::UnterminatedString) => {
            "this string is not closed: end it with `\"` on the same line".to_owned()
        }
        ParseErrorType::TooManyFunctions => format!(
            "this code defines more than {MAX_FUNCTIONS} functions, the most a program may have: \
             are some of them the same function written twice?"
        ),
        ParseErrorType::ExprTooDeep => "this expression nests too deeply (brackets, or `if`s inside \
             `if`s): split it into steps, each kept in a variable with `let`"
            .to_owned(),
        _ => format!("{detail}: check the code just before this point"),
    };
    let message = capitalised(&advice);
    let (at_line, at_column) = match at {
        Some((line, column)) => (u32::try_from(line).ok(), u32::try_from(column).ok()),
        None => (line(*position), column(*position)),
    };
    ScriptError { kind: ErrorKind::Syntax, message, detail, line: at_line, column: at_column }
}

/// The name just before `position` on its line, spaces between allowed, with its line and
/// column: `elif` before `event.type`, `n` before `++`.
fn word_before(source: &str, position: Position) -> Option<(String, (usize, usize))> {
    let (line, column) = (position.line()?, position.position()?);
    let text: Vec<char> = source.lines().nth(line.checked_sub(1)?)?.chars().take(column.saturating_sub(1)).collect();
    let end = text.iter().rposition(|c| !c.is_whitespace())? + 1;
    let start = text[..end].iter().rposition(|c| !(c.is_alphanumeric() || *c == '_')).map_or(0, |i| i + 1);
    let word: String = text[start..end].iter().collect();
    word.starts_with(|c: char| c.is_alphabetic() || c == '_').then_some((word, (line, start + 1)))
}

/// The line `position` is on, as characters, and where in it `position` is (from 0).
fn line_at(source: &str, position: Position) -> Option<(Vec<char>, usize)> {
    let text = source.lines().nth(position.line()?.checked_sub(1)?)?;
    Some((text.chars().collect(), position.position()?.checked_sub(1)?))
}

/// Whether `c` may stand in a name with fields, as in `state.open`.
fn in_path(c: &char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.')
}

/// The name, perhaps with fields, that `text` starts with.
fn path_starting(text: &str) -> String {
    text.chars().take_while(in_path).collect()
}

/// The name, perhaps with fields, that `text` ends with, before any spaces.
fn path_ending(text: &str) -> String {
    let mut path: Vec<char> = text.trim_end().chars().rev().take_while(in_path).collect();
    path.reverse();
    path.into_iter().collect()
}

/// The word that starts at `position` (letters, digits and `_`), if one does.
fn word_at(source: &str, position: Position) -> Option<String> {
    let (text, at) = line_at(source, position)?;
    let word: String = text.iter().skip(at).take_while(|c| c.is_alphanumeric() || **c == '_').collect();
    word.starts_with(|c: char| c.is_alphabetic() || c == '_').then_some(word)
}

/// The name, perhaps with fields (`state.open`), that starts at `position`.
fn path_at(source: &str, position: Position) -> Option<String> {
    let (text, at) = line_at(source, position)?;
    let path = path_starting(&text.get(at..)?.iter().collect::<String>());
    let path = path.trim_end_matches('.');
    path.starts_with(|c: char| c.is_alphabetic() || c == '_').then(|| path.to_owned())
}

/// The names, perhaps with fields, on each side of `word` at `position`: `state.closed` and
/// `true` in `state.closed and true`.
fn operands(source: &str, position: Position, word: &str) -> Option<(String, String)> {
    let (text, at) = line_at(source, position)?;
    let left = path_ending(&text.get(..at)?.iter().collect::<String>());
    let after: String = text.get(at + word.chars().count()..)?.iter().collect();
    let right = path_starting(after.trim_start());
    (!left.is_empty() && !right.is_empty()).then_some((left, right))
}

/// Where the `elif` is, when the statement the parse error at `position` is in starts with one
/// (`elif x {`, or `} elif x {` after an `if`'s block).
fn elif_at(source: &str, position: Position) -> Option<(usize, usize)> {
    let line = position.line()?;
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let before: String = text.chars().take(position.position().unwrap_or(usize::MAX).saturating_sub(1)).collect();
    let statement = before.trim_start().strip_prefix('}').unwrap_or(before.trim_start()).trim_start();
    let rest = statement.strip_prefix("elif")?;
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let column = before.chars().count() - statement.chars().count() + 1;
    Some((line, column))
}

/// The map and the field compared with the word at `position` (`null` in `state.closed != null`
/// or `null == state.closed`), when it is a field of a named map.
fn compared_field(source: &str, position: Position) -> Option<(String, String)> {
    let (text, at) = line_at(source, position)?;
    let before: String = text.get(..at)?.iter().collect();
    let before = before.trim_end();
    let left = before.strip_suffix("==").or_else(|| before.strip_suffix("!="));
    let path: String = match left {
        Some(left) => path_ending(left),
        // `null == state.closed`: the path is on the right.
        None => {
            let after: String = text.get(at..)?.iter().skip_while(|c| c.is_alphanumeric()).collect();
            let after = after.trim_start();
            let right = after.strip_prefix("==").or_else(|| after.strip_prefix("!="))?;
            path_starting(right.trim_start())
        }
    };
    let (map, field) = path.rsplit_once('.')?;
    let named = |name: &str| name.starts_with(|c: char| c.is_alphabetic() || c == '_');
    (named(map) && named(field)).then(|| (map.to_owned(), field.to_owned()))
}

/// Where a map written without its `#` opens, when the parse error at `position` is the `:` of
/// its first entry: `{ rejected: "account-closed" }`, perhaps over several lines.
fn map_without_hash(source: &str, position: Position) -> Option<(usize, usize)> {
    let stop = (position.line()?, position.position()?);
    let before: Vec<(usize, usize, char)> = positions(source).take_while(|(l, c, _)| (*l, *c) <= stop).collect();
    let (colon, before) = before.split_last()?;
    if colon.2 != ':' {
        return None;
    }
    let mut rest = before.iter().rev().skip_while(|(_, _, c)| c.is_whitespace()).peekable();
    let mut key = 0;
    while rest.next_if(|(_, _, c)| c.is_alphanumeric() || *c == '_').is_some() {
        key += 1;
    }
    let (line, column, brace) = rest.find(|(_, _, c)| !c.is_whitespace())?;
    (key > 0 && *brace == '{').then_some((*line, *column))
}

/// The line and column just after the last character of code before `position`, outside
/// comments and blank space; `None` when there is none.
fn end_of_code_before(source: &str, position: Position) -> Option<(usize, usize)> {
    let stop = (position.line()?, position.position().unwrap_or(1));
    let mut last = None;
    let mut chars = positions(source).peekable();
    while let Some((line, column, c)) = chars.next() {
        if (line, column) >= stop {
            break;
        }
        if c == '/' && skip_comment(&mut chars)? {
            continue;
        }
        match c {
            // A string is code up to its closing quote, whatever it holds.
            '"' | '\'' | '`' => {
                last = Some((line, column + 1));
                while let Some((end_line, end_column, inside)) = chars.next() {
                    if inside == '\\' {
                        chars.next();
                    } else if inside == c {
                        last = Some((end_line, end_column + 1));
                        break;
                    }
                }
            }
            c if c.is_whitespace() => {}
            _ => last = Some((line, column + 1)),
        }
    }
    last
}

/// Brackets that do not pair up, found by matching them outside strings and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unbalanced {
    /// An opening bracket that is never closed.
    Unclosed(Bracket),
    /// A closing bracket of another kind than the one open.
    Mismatched {
        /// The bracket open there.
        open: Bracket,
        /// The bracket that closes it.
        close: Bracket,
    },
    /// A closing bracket with nothing open.
    Unopened(Bracket),
    /// A closing bracket with nothing open, after an earlier one closed a block while the lines
    /// after it were still indented inside: that earlier one is likely too many.
    ClosedEarly {
        /// The bracket the earlier one closed.
        open: Bracket,
        /// The earlier closing bracket.
        close: Bracket,
    },
}

/// A bracket and its place in the source, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bracket {
    symbol: char,
    line: usize,
    column: usize,
}

impl Unbalanced {
    /// The sentence for the learner, and the bracket the editor should mark.
    fn describe(self) -> (String, Bracket) {
        match self {
            Unbalanced::Unclosed(open) => (
                format!(
                    "The `{}` opened on line {} is never closed: add the matching `{}` where {} ends.",
                    open.symbol,
                    open.line,
                    closing(open.symbol),
                    if open.symbol == '{' { "its block" } else { "what it holds" }
                ),
                open,
            ),
            Unbalanced::Mismatched { open, close } => (
                format!(
                    "The `{}` opened on line {} is closed by a `{}` on line {}: close it with `{}`, or \
                     is a bracket missing in between?",
                    open.symbol,
                    open.line,
                    close.symbol,
                    close.line,
                    closing(open.symbol)
                ),
                close,
            ),
            Unbalanced::ClosedEarly { open, close } => (
                format!(
                    "The `{}` on line {} closes the `{}` opened on line {}, but the lines after it are still \
                     indented inside that block: is this `{}` one too many?",
                    close.symbol, close.line, open.symbol, open.line, close.symbol
                ),
                close,
            ),
            Unbalanced::Unopened(close) => (
                format!(
                    "The `{}` on line {} closes nothing, since no `{}` is open there: is it one too many?",
                    close.symbol,
                    close.line,
                    opening(close.symbol)
                ),
                close,
            ),
        }
    }
}

/// The first brackets in `source` that do not pair up, ignoring those in strings and comments;
/// `None` when they all do, or when a string or comment is never closed (the parser says that
/// well enough). Of several blocks left open, the one whose `}` seems to have been taken by an
/// outer block is named: the first closed by a `}` that starts its line no further right than
/// the enclosing block's line, but left of the line that opened the block it closes (unless
/// the code after it goes on deeper: that `}` is only written too far left). A `}` that closes
/// nothing is blamed on an earlier one that closed a block the lines after it are still
/// indented inside, if there is one.
fn unbalanced(source: &str) -> Option<Unbalanced> {
    /// What is open where the scan is.
    enum Open {
        /// A bracket, with the indentation of its line; `interpolation` for the `${` of a
        /// template string, whose `}` goes back into the string.
        Bracket { bracket: Bracket, indent: usize, interpolation: bool },
        /// A template string (`` `…` ``): text, not code, until `${` or its closing backtick.
        Template,
    }
    let lines: Vec<&str> = source.lines().collect();
    let indent = |line: usize| lines.get(line - 1).map_or(0, |text| text.len() - text.trim_start().len());
    let starts_line = |line: usize, column: usize| {
        lines.get(line - 1).is_some_and(|text| text.chars().take(column - 1).all(char::is_whitespace))
    };
    // The indentation of the next line with code after `line`, if any.
    let next_indent = |line: usize| {
        lines.iter().skip(line).find(|text| !text.trim().is_empty()).map(|text| text.len() - text.trim_start().len())
    };
    // Whether the `}` at `column` is the last code on its line (not `} else {`, not `}}`).
    let ends_line = |line: usize, column: usize| {
        lines.get(line - 1).is_some_and(|text| {
            let rest: String = text.chars().skip(column).collect();
            let rest = rest.trim();
            rest.is_empty() || rest == ";" || rest.starts_with("//")
        })
    };
    let mut open: Vec<Open> = Vec::new();
    let mut suspect: Option<Bracket> = None;
    // A `}` that closed a block while the lines after it are still indented inside it: the
    // likely extra `}` when a later one closes nothing.
    let mut early: Option<(Bracket, Bracket)> = None;
    let mut chars = positions(source).peekable();
    while let Some((line, column, c)) = chars.next() {
        if let Some(Open::Template) = open.last() {
            match c {
                '`' => {
                    open.pop();
                }
                '\\' => {
                    chars.next();
                }
                '$' if chars.next_if(|(_, _, next)| *next == '{').is_some() => {
                    let bracket = Bracket { symbol: '{', line, column: column + 1 };
                    open.push(Open::Bracket { bracket, indent: indent(line), interpolation: true });
                }
                _ => {}
            }
            continue;
        }
        if c == '/' && skip_comment(&mut chars)? {
            continue;
        }
        match c {
            '"' | '\'' => loop {
                // A string or character ends on its line; a `\` at the end of a line continues it.
                match chars.next()? {
                    (_, _, '\\') => {
                        chars.next();
                    }
                    (_, _, '\n') => return None,
                    (_, _, quote) if quote == c => break,
                    _ => {}
                }
            },
            '`' => open.push(Open::Template),
            '(' | '[' | '{' => {
                let bracket = Bracket { symbol: c, line, column };
                open.push(Open::Bracket { bracket, indent: indent(line), interpolation: false });
            }
            ')' | ']' | '}' => {
                let close = Bracket { symbol: c, line, column };
                match open.pop() {
                    Some(Open::Bracket { bracket, indent: opened, interpolation }) if closing(bracket.symbol) == c => {
                        let outer = open.iter().rev().find_map(|o| match o {
                            Open::Bracket { indent, .. } => Some(*indent),
                            Open::Template => None,
                        });
                        let lines_up_outside =
                            starts_line(line, column) && indent(line) < opened && indent(line) <= outer.unwrap_or(0);
                        let deeper_after = next_indent(line).is_some_and(|next| next > indent(line));
                        // A missing `}` shifts every later one a level out, so the first block
                        // closed that way is the one left open; unless the code after the `}`
                        // goes on deeper, which is a `}` merely written too far left.
                        let too_far_left = deeper_after && ends_line(line, column);
                        if !interpolation && lines_up_outside && !too_far_left && suspect.is_none() {
                            suspect = Some(bracket);
                        }
                        let still_inside = next_indent(line).is_some_and(|next| next > opened);
                        if !interpolation && c == '}' && still_inside && ends_line(line, column) && early.is_none() {
                            early = Some((bracket, close));
                        }
                    }
                    Some(Open::Bracket { bracket, .. }) => return Some(Unbalanced::Mismatched { open: bracket, close }),
                    Some(Open::Template) | None => {
                        return Some(match early {
                            Some((open, close)) if close.symbol == c => Unbalanced::ClosedEarly { open, close },
                            _ => Unbalanced::Unopened(close),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let mut innermost = None;
    for o in &open {
        match o {
            Open::Bracket { bracket, .. } => innermost = Some(*bracket),
            Open::Template => return None,
        }
    }
    innermost.map(|bracket| Unbalanced::Unclosed(suspect.unwrap_or(bracket)))
}

/// Every character of `source` with its 1-based line and column.
/// After a `/` taken from `chars`: skips the comment it starts, if it starts one (a `//` comment up
/// to its line's end, a `/* */` one, nested as Rhai nests them, past its close). Whether it did;
/// `None` when the code ends inside a block comment.
fn skip_comment(chars: &mut std::iter::Peekable<impl Iterator<Item = (usize, usize, char)>>) -> Option<bool> {
    if chars.next_if(|(_, _, next)| *next == '/').is_some() {
        while chars.next_if(|(_, _, next)| *next != '\n').is_some() {}
        return Some(true);
    }
    if chars.next_if(|(_, _, next)| *next == '*').is_none() {
        return Some(false);
    }
    let mut depth = 1;
    while depth > 0 {
        let (_, _, c) = chars.next()?;
        if c == '/' && chars.next_if(|(_, _, next)| *next == '*').is_some() {
            depth += 1;
        } else if c == '*' && chars.next_if(|(_, _, next)| *next == '/').is_some() {
            depth -= 1;
        }
    }
    Some(true)
}

fn positions(source: &str) -> impl Iterator<Item = (usize, usize, char)> + '_ {
    source.lines().enumerate().flat_map(|(index, text)| {
        let end = (index + 1, text.chars().count() + 1, '\n');
        text.chars().enumerate().map(move |(column, c)| (index + 1, column + 1, c)).chain([end])
    })
}

fn closing(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

fn opening(close: char) -> char {
    match close {
        ')' => '(',
        ']' => '[',
        _ => '{',
    }
}

/// Whether the parse error at `position` is about a decimal number. Without floats, `12.50`
/// reads as the property `50` of the number 12 (a number and a dot come just before the error),
/// and `.5` as a stray dot before a digit.
fn decimal_at(source: &str, position: Position) -> bool {
    let (Some(line), Some(column)) = (position.line(), position.position()) else { return false };
    let text: Vec<char> = source.lines().nth(line.saturating_sub(1)).unwrap_or_default().chars().collect();
    let at = column - 1;
    let digit = |index: Option<usize>| index.and_then(|i| text.get(i)).is_some_and(char::is_ascii_digit);
    let after_number_and_dot = at >= 2 && text.get(at - 1) == Some(&'.') && digit(at.checked_sub(2));
    let dot_before_digit = text.get(at) == Some(&'.') && digit(Some(at + 1));
    after_number_and_dot || dot_before_digit
}

/// What to write instead of an operator or symbol from another language, which Rhai reserves
/// to say so ("'===' is not a valid operator. This is not JavaScript!"); `None` keeps Rhai's
/// own advice.
fn improper_symbol(symbol: &str) -> Option<&'static str> {
    Some(match symbol {
        "=" => "to compare, write `==`: a single `=` gives a variable a new value",
        "===" => "Rhai compares with `==`, not `===`",
        "!==" => "Rhai compares with `!=`, not `!==`",
        "->" => "Rhai has no `->`: a `switch` branch is written `\"value\" => { ... }`, with `=>`",
        "<-" => "Rhai has no `<-`: is it `<=`, less than or equal?",
        ":=" => "Rhai assigns with `=`, not `:=` (and a new variable is `let x = ...;`)",
        "# {" => "a map starts with `#{`, with no space between `#` and `{`",
        "(*" | "*)" => "comments in Rhai are written `// ...` or `/* ... */`",
        _ => return None,
    })
}

fn decimal_advice() -> String {
    "amounts are whole numbers of cents here, so there are no decimal numbers: write 1250, not 12.50".to_owned()
}

/// A runtime error in plain words, at the line and column where it happened (inside the
/// learner's functions, not where the checker called them). `called` is the function the checker
/// called, if any, and `source` the learner's code.
pub(crate) fn runtime_error(error: &EvalAltResult, called: Option<&str>, source: &str) -> ScriptError {
    let mut innermost = error;
    let mut outer_position = error.position();
    // The learner's functions the error happened in, outermost first, each with the place it
    // was called from (Rhai wraps the error once per call; the checker's own call is not wrapped).
    let mut calls: Vec<(&str, Position)> = Vec::new();
    while let EvalAltResult::ErrorInFunctionCall(name, _, inner, position) = innermost {
        if !position.is_none() {
            outer_position = *position;
        }
        calls.push((name.as_str(), *position));
        innermost = inner;
    }
    let mut function = calls.last().map(|(name, _)| *name);
    let caller = match calls.len() {
        0 => None,
        1 => called,
        n => Some(calls[n - 2].0),
    };
    let mut position = if innermost.position().is_none() { outer_position } else { innermost.position() };
    let (kind, message) = match innermost {
        EvalAltResult::ErrorDotExpr(text, _) => {
            match not_a_map(text, function.or(called), caller, receiver(source, position)) {
                Some(NotAMap::Here(message)) => (ErrorKind::Runtime, message),
                // Said where the caller passed the value, which is where it should be fixed.
                Some(NotAMap::PassedIn(message)) => {
                    if let Some((_, called_at)) = calls.last().filter(|(_, at)| !at.is_none()) {
                        position = *called_at;
                    }
                    function = caller;
                    (ErrorKind::Runtime, message)
                }
                None => describe_runtime(innermost),
            }
        }
        EvalAltResult::ErrorFunctionNotFound(signature, _) => (ErrorKind::Runtime, not_found(signature, source)),
        EvalAltResult::ErrorMismatchDataType(expected, actual, _) => {
            (ErrorKind::Runtime, mismatch(expected, actual, field_at(source, position)))
        }
        _ => describe_runtime(innermost),
    };
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

/// How the message for a learner's `throw` goes on, before what was thrown.
pub(crate) const THROWN: &str = "your code threw ";

/// How `parse_int`'s refusal begins (see `library.rs`), so it is told apart from a learner's `throw`.
pub(crate) const LIBRARY_REFUSAL: &str = "parse_int was given ";

fn describe_runtime(error: &EvalAltResult) -> (ErrorKind, String) {
    use EvalAltResult as E;
    let runtime = |message: String| (ErrorKind::Runtime, message);
    match error {
        E::ErrorTooManyOperations(_) => (
            ErrorKind::TooManyOperations,
            format!(
                "stopped after {} operations: is there a loop that never ends? (A loop inside a \
                 loop over many events can also take too long.)",
                thousands(MAX_OPERATIONS)
            ),
        ),
        // A recursion that does stop, one call per event, also gets here on a long history:
        // the limit is said first, so the learner does not hunt for a bug that is not there.
        E::ErrorStackOverflow(_) => (
            ErrorKind::TooDeep,
            format!(
                "stopped after {MAX_CALL_LEVELS} nested function calls, the most this sandbox \
                 allows: a function that calls itself once for each event goes too deep for a \
                 long history, so walk the events with a `for` loop instead. Or does a function \
                 call itself without ever stopping? Each step then needs a case that returns \
                 without calling again."
            ),
        ),
        E::ErrorTerminated(token, _) if token.clone().into_immutable_string().is_ok_and(|t| t == OUT_OF_MEMORY) => (
            ErrorKind::TooLarge,
            too_large(&format!("together, its values would take more than {} MB of memory", MAX_MEMORY >> 20)),
        ),
        // Before the other `throw`s: the library's refusal to grow an array past the call's room.
        E::ErrorRuntime(value, _) if value.is::<library::ArrayFull>() => {
            let room = value.clone().try_cast::<library::ArrayFull>().map_or(MIN_ARRAY_ROOM, |full| full.room);
            (
                ErrorKind::TooLarge,
                too_large(&format!(
                    "this array would hold more than {} items, far more than any case needs",
                    thousands(room as u64)
                )),
            )
        }
        E::ErrorVariableNotFound(name, _) => runtime(format!(
            "`{name}` is not defined here: functions only see their own parameters and the \
             variables they declare with `let`. Pass it in, or check the spelling."
        )),
        E::ErrorFunctionNotFound(signature, _) => runtime(not_found(signature, "")),
        E::ErrorMismatchDataType(expected, actual, _) => runtime(mismatch(expected, actual, None)),
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
        // Only arrays and ranges have an iterator (see `library.rs`); a map's keys are an array.
        E::ErrorFor(_) => runtime(
            "`for` can loop over an array or a range (`0..n`), not this value. To walk a map, loop \
             over its keys: `for key in map.keys()`."
                .into(),
        ),
        E::ErrorArithmetic(what, _) => runtime(arithmetic(what)),
        // A library function's own refusal reads as itself, not as something the learner threw.
        E::ErrorRuntime(value, _) if value.to_string().starts_with(LIBRARY_REFUSAL) => runtime(value.to_string()),
        // Quoted when it is text, so `throw "insufficient funds"` reads as what was thrown.
        E::ErrorRuntime(value, _) if value.is_string() => runtime(format!("{THROWN}\"{value}\"")),
        E::ErrorRuntime(value, _) => runtime(format!("{THROWN}{value}")),
        E::ErrorTooManyVariables(_) => runtime(format!(
            "more than {} variables at once, the most a program may have: can some be reused, or \
             kept together in a map or an array?",
            thousands(MAX_VARIABLES as u64)
        )),
        E::ErrorAssignmentToConstant(name, _) => {
            runtime(format!("`{name}` is a constant: use `let` for a value that changes"))
        }
        E::ErrorParsing(kind, _) => (ErrorKind::Syntax, kind.to_string()),
        other => runtime(other.to_string()),
    }
}

/// A value grown past a limit in plain words; `what` says which limit.
fn too_large(what: &str) -> String {
    format!(
        "stopped because a value grew too large: {what}. Is something added to it in a loop that \
         never ends, such as a `while` whose counter is never moved on (`i += 1`)?"
    )
}

/// How the numbers a calculation failed on are given in a message: ` (in `5000 / 0`)`. They can
/// be a hidden case's data, so the checker leaves this part out of a case's note.
pub(crate) const NUMBERS: (&str, &str) = (" (in `", "`)");

/// A failed calculation in plain words. Rhai says "Multiplication overflow: 2000 * 9223372036854775807"
/// or "Division by zero: 2000 / 0"; the numbers go in [`NUMBERS`].
fn arithmetic(what: &str) -> String {
    let (problem, numbers) = what.split_once(": ").unwrap_or((what, ""));
    let (open, close) = NUMBERS;
    let shown = if numbers.is_empty() { String::new() } else { format!("{open}{numbers}{close}") };
    // `%` reports a zero divisor and an overflow alike ("Modulo division by zero or overflow").
    let by_zero = problem.contains("by zero") && (!problem.contains("overflow") || numbers.ends_with(" 0"));
    if by_zero {
        let operator = if numbers.contains('%') { "%" } else { "/" };
        format!(
            "a division by zero{shown}: the number after `{operator}` is 0 here. Is it the value you \
             meant, or should a 0 be checked for first?"
        )
    } else if problem.contains("overflow") {
        format!(
            "a number grew past the largest whole number there is, 9,223,372,036,854,775,807{shown}: \
             is something multiplied, or added up, more than it should be?"
        )
    } else {
        format!("a calculation failed{shown}: {problem}")
    }
}

/// A sentence about a field of a value that is not a map, and where it belongs.
enum NotAMap {
    /// About the code where it happened.
    Here(String),
    /// About the function that called the one where it happened, with what it passed in.
    PassedIn(String),
}

/// A field read from or set on a value that is not a map, in plain words: Rhai says "Unknown
/// property 'balance' - a getter is not registered for type 'i64'". `function` is where it
/// happened, `caller` the learner's function that called it (if any), `receiver` the variable
/// before the dot. `None` for any other wording.
fn not_a_map(text: &str, function: Option<&str>, caller: Option<&str>, receiver: Option<String>) -> Option<NotAMap> {
    let quoted = |text: &str| -> Option<(String, String)> {
        let (_, rest) = text.split_once('\'')?;
        let (field, rest) = rest.split_once('\'')?;
        let (_, rest) = rest.split_once("for type '")?;
        let (type_name, _) = rest.split_once('\'')?;
        Some((field.to_owned(), type_name.to_owned()))
    };
    let (field, type_name, verb) = if text.starts_with("Unknown property") && text.contains("getter") {
        let (field, type_name) = quoted(text)?;
        (field, type_name, "read")
    } else if text.starts_with("No writable property") && text.contains("setter") {
        let (field, type_name) = quoted(text)?;
        (field, type_name, "set")
    } else {
        return None;
    };
    let state_of_evolve = function == Some("evolve") && receiver.as_deref() == Some("state");
    // `balances` hands `evolve` each account's state from a map, which gives `()` for an account
    // not stored yet: the mistake is in the caller, which should have started it from the
    // initial state. (The checker's own fold stops at a value that is not a state, and when
    // `evolve` returned nothing for the account's event before, its own cases say so.)
    if let Some(caller) = caller.filter(|caller| state_of_evolve && type_name == "()" && *caller != "evolve") {
        return Some(NotAMap::PassedIn(format!(
            "`evolve` was given `()` (nothing) as `state`, so it had no field `{field}` to {verb}. A map \
             gives `()` for a key it does not have yet: does `{caller}` start an account it sees for \
             the first time from the initial state, `#{{ open: false, closed: false, balance: 0 }}`?"
        )));
    }
    let what = match &receiver {
        Some(name) => format!("`{name}`"),
        None => format!("the value before `.{field}`"),
    };
    let mut message = format!(
        "{what} is {} here, not a map, so it has no field `{field}` to {verb}",
        kind_of(&type_name)
    );
    // The state `evolve` is given is what it returned for the event before (the checker's
    // fold stops at a value that is not a state; `balances` may pass one on).
    if state_of_evolve {
        message.push_str(if type_name == "()" {
            ". `evolve` gets as `state` what it returned for the account's event before, and that \
             was nothing: a Rhai function returns the value of its last line, so end `evolve` with \
             `state`."
        } else {
            ". `evolve` gets as `state` what it returned for the account's event before: it must \
             return the whole state map (end it with `state`), not one of its fields."
        });
    }
    Some(NotAMap::Here(message))
}

/// A value of the wrong type in plain words: Rhai says "expected bool, but the value is ()".
/// `field` is the map and the field the value was read from, when the code there reads one
/// (`state` and `closd` in `if state.closd {`): a misspelt field reads as `()`.
fn mismatch(expected: &str, actual: &str, field: Option<(String, String)>) -> String {
    let nothing = actual == "()";
    let mut message = match (&field, expected) {
        (Some((map, name)), "bool") if nothing => {
            format!("`{map}.{name}` is `()` (nothing) here, where a condition needs `true` or `false`")
        }
        (Some((map, name)), _) if nothing => {
            format!("`{map}.{name}` is `()` (nothing) here, where {} is needed", kind_of(expected))
        }
        (_, "bool") => format!("a condition needs `true` or `false`, but this value is {}", kind_of(actual)),
        _ => format!("expected {} here, but the value is {}", kind_of(expected), kind_of(actual)),
    };
    if !nothing {
        if expected == "bool" {
            message.push_str(": compare it to something, as in `command.amount > 0`");
        }
        return message;
    }
    // The same two reasons as in `not_found`; swapped parameters (`fn decide(state, command)`)
    // give the other map under the name.
    match field {
        Some((map, name)) => message.push_str(&format!(
            ". A map gives `()` for a field it does not have: check the spelling of `{name}`, and that \
             `{map}` is the map you mean (`\"{name}\" in {map}` tells whether it has that field)"
        )),
        None => message.push_str(
            ". A `()` is what a map gives for a field it does not have: check the spelling of the \
             field, and that the map is the one you mean (`\"closed\" in state` tells whether \
             `state` has `closed`)",
        ),
    }
    message
}

/// The map and the field read at `position`, where Rhai marks a value read from a map: the `.`
/// of `state.closd` (`state` and `closd`), or the `[` of `state["closd"]`.
fn field_at(source: &str, position: Position) -> Option<(String, String)> {
    let (text, at) = line_at(source, position)?;
    let is_name = |c: &char| c.is_ascii_alphanumeric() || *c == '_';
    let after: String = text.get(at + 1..)?.iter().collect();
    let field: String = match text.get(at)? {
        '.' => after.trim_start().chars().take_while(is_name).collect(),
        '[' => after.trim_start().strip_prefix('"')?.split('"').next()?.to_owned(),
        _ => return None,
    };
    // The map: a name, perhaps with fields and indexes of its own (`events[i]`).
    let before: String = text[..at].iter().collect();
    let before = before.trim_end();
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name(c) || matches!(c, '.' | '[' | ']'))
        .last()
        .map(|(index, _)| index)?;
    let map = &before[start..];
    let named = map.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    (named && !field.is_empty() && field.chars().all(|c| is_name(&c))).then(|| (map.to_owned(), field))
}

/// The variable just before the `.field` at `position`: `state` in `state.balance`.
fn receiver(source: &str, position: Position) -> Option<String> {
    let (line, column) = (position.line()?, position.position()?);
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let before: String = text.chars().take(column.saturating_sub(1)).collect();
    let before = before.trim_end().strip_suffix('.')?.trim_end();
    let mut name: Vec<char> = before.chars().rev().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    name.reverse();
    let name: String = name.into_iter().collect();
    name.starts_with(|c: char| c.is_alphabetic() || c == '_').then_some(name)
}

/// A missing function or operator in plain words. Rhai names it with its argument types:
/// `+ (i64, ())`, `push (map, i64)`, `balances (array, array)`. `source` is the learner's code.
fn not_found(signature: &str, source: &str) -> String {
    let (name, types) = signature.split_once(" (").unwrap_or((signature, ""));
    let types: Vec<&str> = types.strip_suffix(')').unwrap_or(types).split(", ").filter(|t| !t.is_empty()).collect();
    let kinds: Vec<String> = types.iter().map(|t| kind_of(t)).collect();
    let operator = !name.chars().any(|c| c.is_alphanumeric() || c == '_');
    // Rhai's own `filter` or `sort`, unless the learner wrote one of that name (and called it
    // with the wrong arguments).
    if library::LEFT_OUT.contains(&name) && !defines(source, name) {
        return left_out(name, types.first().copied());
    }
    if name == "not" && !defines(source, name) {
        return "Rhai writes `!`, not `not`: `!(state.open)`, or `!state.open`".to_owned();
    }
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
    // Only the types are known here, not which field gave the `()`: both likely reasons are
    // named, the second of which is the one a learner adding `event.amount` for every event
    // meets at the first `account-opened`.
    if types.contains(&"()") {
        message.push_str(
            ". A `()` is what a map gives for a key it does not have: check the spelling of the \
             field (e.g. `event.amount`), and whether every map that reaches this line has that \
             field at all (an `account-opened` event has no `amount`)",
        );
    }
    message
}

/// A function of Rhai's standard library that the course's library leaves out, in plain words,
/// with what the library has for the value it was called on (`receiver`, Rhai's type name).
fn left_out(name: &str, receiver: Option<&str>) -> String {
    let has = match receiver {
        Some("array") => Some(("an array", library::ON_ARRAYS, true)),
        Some("map") => Some(("a map", library::ON_MAPS, true)),
        Some("i64") => Some(("a number", library::ON_NUMBERS, false)),
        Some(t) if t.contains("String") || t.contains("str") => Some(("a string", library::ON_STRINGS, false)),
        _ => None,
    };
    let lesson = "lesson 1's \"Rhai in a minute\" lists what it has";
    match has {
        Some((kind, names, walk)) => format!(
            "there is no function `{name}` in this course's Rhai: its library is small, and for {kind} \
             it has only {}{} ({lesson})",
            code_list(names),
            if walk { ". Write a `for` loop instead" } else { "" }
        ),
        None => format!(
            "there is no function `{name}` in this course's Rhai: its library is small ({lesson}), \
             and a `for` loop does the work of `filter`, `map` or `sum`"
        ),
    }
}

/// Whether `source` defines a function `name`: a line that starts `fn name(`.
fn defines(source: &str, name: &str) -> bool {
    source.lines().any(|line| {
        line.trim_start()
            .strip_prefix("fn ")
            .and_then(|rest| rest.trim_start().strip_prefix(name))
            .is_some_and(|rest| rest.trim_start().starts_with('('))
    })
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
        "Fn" => "a function pointer".to_owned(),
        t if t.contains("String") || t.contains("str") => "a string".to_owned(),
        other => format!("`{other}`"),
    }
}

/// A number with commas between thousands, as the course writes them: 2,000,000.
fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `text` with its first letter a capital. ASCII only: messages start with an English word or
/// code, and Unicode's case tables would add kilobytes to the worker.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase()).chain(chars).collect(),
        None => String::new(),
    }
}

fn line(position: Position) -> Option<u32> {
    position.line().and_then(|line| u32::try_from(line).ok())
}

fn column(position: Position) -> Option<u32> {
    position.position().and_then(|column| u32::try_from(column).ok())
}
