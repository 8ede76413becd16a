//! The sandbox and the exercises, as specifications: one data-driven `check` helper over learner
//! sources and what the checker must say about them.

use crate::exercises::{cases, EXERCISES};
use crate::report::{ErrorKind, Outcome, Report};

/// What the checker must report for a source.
#[derive(Debug)]
enum Expect<'a> {
    /// Every case passes.
    Pass,
    /// The code runs, the named case fails, and every failed case says why, a hidden one without
    /// giving away an amount of its own.
    Fails(&'a str),
    /// The code stops with an error of this kind, at this line, whose message contains the text.
    Error(ErrorKind, Option<u32>, &'a str),
}

#[track_caller]
fn check(exercise: &str, source: &str, expected: Expect<'_>) -> Report {
    let report = crate::check(exercise, source);
    let failures: Vec<String> = report
        .cases()
        .iter()
        .filter(|case| !case.passed)
        .map(|case| format!("{}: {}", case.name, case.message))
        .collect();
    match expected {
        Expect::Pass => assert!(
            report.all_passed(),
            "{exercise}: expected every case to pass, got {}:\n{}\n{:?}",
            report.summary(),
            failures.join("\n"),
            report.outcome
        ),
        Expect::Fails(name) => {
            let case = report.cases().iter().find(|case| case.name == name);
            let case = case.unwrap_or_else(|| panic!("{exercise}: no case {name:?} in {:?}", report.outcome));
            assert!(
                !case.passed,
                "{exercise}: expected {name:?} to fail; failures:\n{}",
                failures.join("\n")
            );
            for case in report.cases().iter().filter(|case| !case.passed) {
                assert!(
                    case.message.len() > 20 && case.note.len() > 20,
                    "{exercise}: {:?} fails without a helpful message",
                    case.name
                );
                let amounts = case.differences.iter().filter_map(|d| d.expected.as_deref()?.parse::<i64>().ok());
                for amount in amounts.filter(|amount| case.hidden && amount.abs() >= 100) {
                    assert!(!case.note.contains(&amount.to_string()), "{exercise}: {:?} gives away {amount}", case.note);
                }
            }
        }
        Expect::Error(kind, line, text) => {
            let error = match &report.outcome {
                Outcome::Failed { error } => error.clone(),
                Outcome::Checked { cases } => cases
                    .iter()
                    .find_map(|case| case.error.clone())
                    .unwrap_or_else(|| panic!("{exercise}: expected an error, got {}", report.summary())),
            };
            assert_eq!(error.kind, kind, "{exercise}: {error:?}");
            assert_eq!(error.line, line, "{exercise}: {error:?}");
            assert!(
                error.message.contains(text),
                "{exercise}: {:?} does not contain {text:?}",
                error.message
            );
        }
    }
    report
}

/// The message of the case named `name` ("" when there is no such case, which the caller's
/// assertion on the text then reports).
fn message_of<'r>(report: &'r Report, name: &str) -> &'r str {
    report.cases().iter().find(|case| case.name == name).map_or("", |case| case.message.as_str())
}

/// Every wrong solution in `script/exercises/*/wrong/`, with a case it must fail.
const WRONG: &[(&str, &str, &str, &str)] = &[
    (
        "fold",
        "withdrawal_adds",
        include_str!("../exercises/fold/wrong/withdrawal_adds.rhai"),
        "a deposit, then a withdrawal",
    ),
    ("fold", "never_opens", include_str!("../exercises/fold/wrong/never_opens.rhai"), "opening an account"),
    ("fold", "misspelt_field", include_str!("../exercises/fold/wrong/misspelt_field.rhai"), "a deposit"),
    (
        "fold",
        "new_map_drops_fields",
        include_str!("../exercises/fold/wrong/new_map_drops_fields.rhai"),
        "a deposit",
    ),
    (
        "fold",
        "deposit_counts_once",
        include_str!("../exercises/fold/wrong/deposit_counts_once.rhai"),
        "several deposits add up",
    ),
    (
        "fold",
        "refuses_overdraft",
        include_str!("../exercises/fold/wrong/refuses_overdraft.rhai"),
        "an overdraft the bank once allowed",
    ),
    (
        "fold",
        "skips_overdraft",
        include_str!("../exercises/fold/wrong/skips_overdraft.rhai"),
        "an overdraft the bank once allowed",
    ),
    (
        "decide-withdrawal",
        "no_overdraft_check",
        include_str!("../exercises/decide-withdrawal/wrong/no_overdraft_check.rhai"),
        "more than the balance",
    ),
    (
        "decide-withdrawal",
        "zero_allowed",
        include_str!("../exercises/decide-withdrawal/wrong/zero_allowed.rhai"),
        "an amount of zero",
    ),
    (
        "decide-withdrawal",
        "open_before_closed",
        include_str!("../exercises/decide-withdrawal/wrong/open_before_closed.rhai"),
        "a closed account",
    ),
    (
        "decide-withdrawal",
        "funds_before_status",
        include_str!("../exercises/decide-withdrawal/wrong/funds_before_status.rhai"),
        "a closed account",
    ),
    (
        "decide-withdrawal",
        "whole_balance_refused",
        include_str!("../exercises/decide-withdrawal/wrong/whole_balance_refused.rhai"),
        "exactly the whole balance",
    ),
    (
        "decide-withdrawal",
        "event_not_in_array",
        include_str!("../exercises/decide-withdrawal/wrong/event_not_in_array.rhai"),
        "a withdrawal the balance covers",
    ),
    (
        "decide-withdrawal",
        "command_as_event",
        include_str!("../exercises/decide-withdrawal/wrong/command_as_event.rhai"),
        "a withdrawal the balance covers",
    ),
    (
        "transfers",
        "transfer_out_as_deposit",
        include_str!("../exercises/transfers/wrong/transfer_out_as_deposit.rhai"),
        "a transfer out is not a deposit",
    ),
    (
        "transfers",
        "transfer_in_ignored",
        include_str!("../exercises/transfers/wrong/transfer_in_ignored.rhai"),
        "an account that only ever receives",
    ),
    (
        "transfers",
        "credits_the_sender",
        include_str!("../exercises/transfers/wrong/credits_the_sender.rhai"),
        "a transfer in is credited to its own account",
    ),
    (
        "transfers",
        "credits_destination_on_out",
        include_str!("../exercises/transfers/wrong/credits_destination_on_out.rhai"),
        "a transfer to an account that appears nowhere else",
    ),
    (
        "transfers",
        "starts_at_first_deposit",
        include_str!("../exercises/transfers/wrong/starts_at_first_deposit.rhai"),
        "an account that only ever receives",
    ),
    (
        "transfers",
        "one_state_for_all",
        include_str!("../exercises/transfers/wrong/one_state_for_all.rhai"),
        "interleaved accounts",
    ),
    (
        "transfers",
        "only_a_and_b",
        include_str!("../exercises/transfers/wrong/only_a_and_b.rhai"),
        "no events at all",
    ),
    (
        "transfers",
        "refund_ignored",
        include_str!("../exercises/transfers/wrong/refund_ignored.rhai"),
        "a bounced transfer comes back",
    ),
    (
        "transfers",
        "replays_from_start",
        include_str!("../exercises/transfers/wrong/replays_from_start.rhai"),
        "10,000 events of four accounts",
    ),
    (
        "projection",
        "sum_of_deposits",
        include_str!("../exercises/projection/wrong/sum_of_deposits.rhai"),
        "the larger of two deposits",
    ),
    (
        "projection",
        "last_deposit",
        include_str!("../exercises/projection/wrong/last_deposit.rhai"),
        "the largest comes first",
    ),
    (
        "projection",
        "any_money_in",
        include_str!("../exercises/projection/wrong/any_money_in.rhai"),
        "money received by transfer is not a deposit",
    ),
    (
        "projection",
        "any_amount",
        include_str!("../exercises/projection/wrong/any_amount.rhai"),
        "a withdrawal is not a deposit",
    ),
    (
        "projection",
        "nothing_when_empty",
        include_str!("../exercises/projection/wrong/nothing_when_empty.rhai"),
        "no events at all",
    ),
    (
        "upcaster",
        "schema_unchanged",
        include_str!("../exercises/upcaster/wrong/schema_unchanged.rhai"),
        "euros and cents",
    ),
    (
        "upcaster",
        "one_decimal_as_cents",
        include_str!("../exercises/upcaster/wrong/one_decimal_as_cents.rhai"),
        "one decimal",
    ),
    (
        "upcaster",
        "needs_a_point",
        include_str!("../exercises/upcaster/wrong/needs_a_point.rhai"),
        "whole euros",
    ),
    (
        "upcaster",
        "every_deposit",
        include_str!("../exercises/upcaster/wrong/every_deposit.rhai"),
        "a version-2 deposit passes through",
    ),
    (
        "upcaster",
        "new_map_without_account",
        include_str!("../exercises/upcaster/wrong/new_map_without_account.rhai"),
        "the account stays",
    ),
];

#[test]
fn reference_solutions_pass_every_case() {
    for exercise in EXERCISES {
        check(exercise.id, exercise.solution, Expect::Pass);
    }
}

#[test]
fn the_exercises_lessons_may_name_are_these_and_each_has_cases() {
    // The course compiler refuses a lesson naming an exercise outside its list; the page would
    // show "There is no exercise called …" for one in the list but not here.
    let ids: Vec<&str> = EXERCISES.iter().map(|exercise| exercise.id).collect();
    assert_eq!(ids, foldlab_course::model::EXERCISES);
    for exercise in EXERCISES {
        assert!(!cases(exercise.id).is_empty(), "{}: no cases", exercise.id);
    }
}

#[test]
fn starters_compile_and_fail_with_a_helpful_message() {
    for exercise in EXERCISES {
        let report = crate::check(exercise.id, exercise.starter);
        let failing = report.cases().iter().find(|case| !case.hidden && !case.passed);
        let failing =
            failing.unwrap_or_else(|| panic!("{}: the starter passes every visible case", exercise.id));
        check(exercise.id, exercise.starter, Expect::Fails(&failing.name));
    }
}

#[test]
fn each_wrong_solution_fails_its_case() {
    for (exercise, name, source, case) in WRONG {
        let report = check(exercise, source, Expect::Fails(case));
        assert!(!report.all_passed(), "{exercise}/{name} passes every case");
    }
}

#[test]
fn every_wrong_solution_file_is_listed() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/exercises");
    for exercise in EXERCISES {
        let dir = format!("{root}/{}/wrong", exercise.id);
        let files = std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{dir}: {error}"));
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().trim_end_matches(".rhai").to_owned();
            assert!(
                WRONG.iter().any(|(id, listed, _, _)| *id == exercise.id && *listed == name),
                "{dir}/{name}.rhai is not in WRONG"
            );
        }
    }
}

#[test]
fn every_exercise_has_hidden_cases_hints_and_a_takeaway() {
    for exercise in EXERCISES {
        let all = cases(exercise.id);
        assert!(all.iter().any(|case| !case.hidden), "{}: no visible case", exercise.id);
        assert!(all.iter().any(|case| case.hidden), "{}: no hidden case", exercise.id);
        assert!(exercise.hints.len() >= 3, "{}: fewer than 3 hints", exercise.id);
        assert!(!exercise.takeaway.is_empty());
        let mut names: Vec<&str> = all.iter().map(|case| case.name.as_ref()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "{}: two cases share a name", exercise.id);
    }
}

#[test]
fn an_upcast_deposit_is_asked_about_the_fields_that_came_out_wrong_only() {
    let note_of = |source: &str, case: &str| {
        let report = crate::check::check("upcaster", source);
        let Outcome::Checked { cases } = report.outcome else { panic!("{report:?}") };
        let found = cases.into_iter().find(|c| c.name == case).unwrap_or_else(|| panic!("no case {case}"));
        (found.message, found.note)
    };
    // The schema is right, the amount is not: no question about the schema.
    let (_, note) = note_of(include_str!("../exercises/upcaster/wrong/one_decimal_as_cents.rhai"), "one decimal");
    assert!(note.contains("padded with a 0?") && !note.contains("schema"), "{note}");
    // The amount is right, the schema is not: only the schema's question.
    let (message, _) = note_of(include_str!("../exercises/upcaster/wrong/schema_unchanged.rhai"), "euros and cents");
    assert!(message.ends_with("Is `schema` set to 2?") && !message.contains("1250 cents?"), "{message}");
}

#[test]
fn a_hint_s_listings_are_closed_and_on_lines_of_their_own() {
    for exercise in EXERCISES {
        for hint in exercise.hints {
            // The app shows what is between a pair of ``` lines as a code block.
            assert_eq!(hint.matches("```").count() % 2, 0, "{}: a listing is not closed in {hint:?}", exercise.id);
            for (at, _) in hint.match_indices("```") {
                let alone = (at == 0 || hint[..at].ends_with('\n')) && (hint[at + 3..].is_empty() || hint[at + 3..].starts_with('\n'));
                assert!(alone, "{}: ``` is not on a line of its own in {hint:?}", exercise.id);
            }
        }
    }
}

#[test]
fn an_infinite_loop_is_stopped_with_its_message() {
    let source = "fn evolve(state, event) {\n    loop {}\n    state\n}\n";
    check(
        "fold",
        source,
        Expect::Error(ErrorKind::TooManyOperations, Some(2), "is there a loop that never ends?"),
    );
    let source = "fn evolve(state, event) { state }\nfn balances(events) {\n    let n = 0;\n    while true { n += 1; }\n}\n";
    check("transfers", source, Expect::Error(ErrorKind::TooManyOperations, Some(4), "Stopped after"));
}

#[test]
fn an_infinite_loop_at_the_top_level_is_stopped_too() {
    let source = "fn evolve(state, event) { state }\nloop { }\n";
    check("fold", source, Expect::Error(ErrorKind::TooManyOperations, Some(2), "never ends"));
}

#[test]
fn deep_recursion_is_stopped_with_its_own_message() {
    let source = "fn evolve(state, event) {\n    evolve(state, event)\n}\n";
    check("fold", source, Expect::Error(ErrorKind::TooDeep, Some(2), "call itself"));
}

#[test]
fn a_recursion_over_a_long_history_is_told_the_call_limit_first() {
    // It stops, one call per event, but the hidden case has 31 events: the limit is the reason.
    let source = "fn largest_from(events, i) {\n    if i >= events.len() { return 0; }\n    let rest = largest_from(events, i + 1);\n    let amount = if events[i].type == \"money-deposited\" { events[i].amount } else { 0 };\n    if amount > rest { amount } else { rest }\n}\nfn project(events) { largest_from(events, 0) }\n";
    let report = crate::check("projection", source);
    let case = case_of(&report, "thirty deposits").unwrap_or_else(|| panic!("{report:?}"));
    let error = case.error.clone().unwrap_or_else(|| panic!("{case:?}"));
    assert_eq!(error.kind, ErrorKind::TooDeep, "{error:?}");
    let limit = format!("Stopped after {} nested function calls, the most this sandbox allows", crate::sandbox::MAX_CALL_LEVELS);
    assert!(error.message.starts_with(&limit), "{}", error.message);
    assert!(error.message.contains("a `for` loop instead"), "{}", error.message);
    assert!(report.cases().iter().filter(|c| c.name != "thirty deposits").all(|c| c.passed), "{}", report.summary());
}

#[test]
fn a_syntax_error_reports_its_line_and_column() {
    let source = "fn evolve(state, event) {\n    let x = 1\n    state.balance += x;\n    state\n}\n";
    let report = check("fold", source, Expect::Error(ErrorKind::Syntax, Some(2), "`;` is missing"));
    assert_eq!(report.error_line(), Some(2));
    // The `}` on line 6 closes the `if`, so Rhai only notices at the end, on line 7; the block
    // left open is the one whose `}` lines up with the function's.
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" {\n        state.open = true;\n\n    state\n}\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(2), "The `{` opened on line 2 is never closed"));
}

#[test]
fn a_decimal_amount_is_explained() {
    let source = "fn evolve(state, event) {\n    state.balance += 12.50;\n    state\n}\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(2), "whole numbers of cents"));
}

#[test]
fn a_runtime_error_points_inside_the_learners_function() {
    let source = "fn evolve(state, event) {\n    state.balance += event.amont;\n    state\n}\n";
    let report = check("fold", source, Expect::Error(ErrorKind::Runtime, Some(2), "spelling of the field"));
    assert_eq!(report.error_line(), Some(2));
}

#[test]
fn a_misspelt_field_in_a_condition_is_named_with_what_a_missing_field_reads_as() {
    let decide = |condition: &str| format!("fn decide(command, state) {{\n    if command.amount <= 0 {{\n        return #{{ rejected: \"amount-not-positive\" }};\n    }}\n    if {condition} {{\n        return #{{ rejected: \"account-closed\" }};\n    }}\n    []\n}}\n");
    let runtime = |condition: &str, says: &str| {
        let report = check("decide-withdrawal", &decide(condition), Expect::Error(ErrorKind::Runtime, Some(5), says));
        let error = report.cases().iter().find_map(|case| case.error.clone()).unwrap_or_else(|| panic!("{report:?}"));
        assert!(!error.message.contains("bool") && !error.message.contains("i64"), "Rhai's type names: {}", error.message);
        error.message
    };
    let message = runtime("state.closd", "`state.closd` is `()` (nothing) here, where a condition needs `true` or `false`");
    assert!(message.contains("check the spelling of `closd`"), "{message}");
    assert!(message.contains("`\"closd\" in state` tells whether it has that field"), "{message}");
    runtime("true && state[\"closd\"]", "`state.closd` is `()` (nothing)");
    runtime("command.amount", "A condition needs `true` or `false`, but this value is a number");
    // Not read from a map where it stopped: the advice still says what gives `()`.
    let source = "fn decide(command, state) {\n    let closed = state.closd;\n    if closed { return #{ rejected: \"account-closed\" }; }\n    []\n}\n";
    check("decide-withdrawal", source, Expect::Error(ErrorKind::Runtime, Some(3), "A `()` is what a map gives for a field it does not have"));
}

#[test]
fn a_missing_or_misnamed_function_is_named() {
    check(
        "fold",
        "fn evolv(state, event) { state }",
        Expect::Error(ErrorKind::MissingFunction, None, "fn evolve(state, event)"),
    );
    check(
        "fold",
        "fn evolve(state) { state }",
        Expect::Error(ErrorKind::MissingFunction, None, "takes 1 parameter"),
    );
    check(
        "transfers",
        include_str!("../exercises/fold/solution.rhai"),
        Expect::Error(ErrorKind::MissingFunction, None, "no function `balances`"),
    );
}

#[test]
fn a_function_rhai_has_but_the_course_left_out_is_not_called_a_typo() {
    let project = |line: &str| format!("fn project(events) {{\n    {line}\n    0\n}}\n");
    let runtime = |line: &str, says: &str| {
        check("projection", &project(line), Expect::Error(ErrorKind::Runtime, Some(2), says));
    };
    let filter = "let deposits = events.filter(|e| e.type == \"money-deposited\");";
    runtime(filter, "no function `filter` in this course's Rhai: its library is small, and for an array it has only `len`, `is_empty`, `contains`, `push`, `pop`, `remove` and `+`. Write a `for` loop instead");
    runtime("let a = [3, 1]; a.sort();", "no function `sort` in this course's Rhai");
    runtime("let name = \" A \".trim();", "for a string it has only `len`");
    runtime("let total = sum(events);", "lesson 1's \"Rhai in a minute\" lists what it has");
    // A name that is no function at all, or the learner's own called wrongly, is still a typo.
    runtime("let n = events.lenn();", "There is no function `lenn` for an array: check the name");
    let own = "fn sum(a, b) { a + b }\nfn project(events) {\n    sum(1)\n}\n";
    check("projection", own, Expect::Error(ErrorKind::Runtime, Some(3), "no function `sum` for a number: check the name, the number of arguments"));
}

#[test]
fn lesson_one_lists_the_library_there_is() {
    let lesson = include_str!("../../lessons/01-fold.md");
    let section = lesson.split("## Rhai in a minute").nth(1).and_then(|rest| rest.split("\n## ").next()).unwrap_or_default();
    let library = [crate::library::ON_ARRAYS, crate::library::ON_MAPS, crate::library::ON_STRINGS, crate::library::ON_NUMBERS];
    for name in library.concat() {
        assert!(section.contains(&format!("`{name}`")), "\"Rhai in a minute\" does not name `{name}`");
    }
}

#[test]
fn strings_and_arrays_cannot_grow_without_limit() {
    let source = "fn project(events) {\n    let s = \"x\";\n    loop { s += s; }\n}\n";
    check("projection", source, Expect::Error(ErrorKind::TooLarge, Some(3), "too large"));
}

#[test]
fn an_array_grown_in_a_runaway_loop_stops_at_its_line() {
    // Rhai walks the whole array after every `push` to check its size, so a loop that never ends
    // slowed down as it went and the page timed out before the limit, without a line.
    let grown = "a value grew too large: this array would hold more than 1,000 items";
    let source = "fn project(events) {\n    let amounts = [];\n    let i = 0;\n    while i < events.len() {\n        amounts.push(events[i].amount);\n    }\n    0\n}\n";
    check("projection", source, Expect::Error(ErrorKind::TooLarge, Some(5), grown));
    let fold = |line: &str| format!("fn evolve(state, event) {{\n    let a = [];\n    {line}\n    state\n}}\n");
    check("fold", &fold("for i in 0..1000000 { a.push(i); }"), Expect::Error(ErrorKind::TooLarge, Some(3), grown));
    check("fold", &fold("loop { a.push(event); }"), Expect::Error(ErrorKind::TooLarge, Some(3), grown));
    check("fold", &fold("loop { a = a + [1]; }"), Expect::Error(ErrorKind::TooLarge, Some(3), grown));
    // `+=` is Rhai's own, out of the library's reach: a step at a time, the operation budget
    // stops it; doubling, the memory count does.
    check("fold", &fold("loop { a += [1]; }"), Expect::Error(ErrorKind::TooManyOperations, Some(3), "Stopped after 2,000,000 operations"));
    // Maps, a copy of the event each time: the memory count stops it first (it took 13 s when
    // Rhai's size limit walked the array at every step).
    check("fold", &fold("loop { a += [event]; }"), Expect::Error(ErrorKind::TooLarge, Some(3), "64 MB of memory"));
    let memory = "together, its values would take more than 64 MB of memory";
    check("fold", &fold("a = [event];\n    loop { a += a; }"), Expect::Error(ErrorKind::TooLarge, Some(4), memory));
    check("fold", "fn evolve(state, event) { state }\nlet a = [];\nloop { a.push(1); }\n", Expect::Error(ErrorKind::TooLarge, Some(3), grown));

    let solution = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let runaway = solution.replace("    let result = #{};\n", "    let seen = [];\n    let i = 0;\n    while i < events.len() { seen.push(events[i].account); }\n    let result = #{};\n");
    check("transfers", &runaway, Expect::Error(ErrorKind::TooLarge, Some(27), grown));
}

#[test]
fn a_value_written_out_in_one_step_is_held_to_the_memory_limit_too() {
    // One shared 1 MB string held 64 times is counted once between operations, but writing the
    // array out, comparing it or returning it copies it every time, in one step.
    let grown = |line: &str| {
        format!("fn project(events) {{\n    let s = \"x\";\n    for i in 0..20 {{ s += s; }}\n    let a = [];\n    for i in 0..64 {{ a.push(s); }}\n    {line}\n    0\n}}\n")
    };
    let memory = "its values would take more than 64 MB of memory";
    for line in ["let t = \"\" + a;", "print(a);", "debug(a);", "let same = a == a;", "let found = \"y\" in a;"] {
        check("projection", &grown(line), Expect::Error(ErrorKind::TooLarge, Some(6), memory));
    }
    let split = "fn project(events) {\n    let s = \"x\";\n    for i in 0..20 { s += s; }\n    let parts = s.split(\"\");\n    0\n}\n";
    check("projection", split, Expect::Error(ErrorKind::TooLarge, Some(4), "this array would hold more than"));
    // Returned, it would go into the report whole.
    let returned = grown("").replace("    \n    0\n}", "    a\n}");
    check("projection", &returned, Expect::Error(ErrorKind::TooLarge, None, "`project` returned a value too large to check"));
}

#[test]
fn an_index_loop_over_the_longest_case_is_a_right_answer() {
    // With Rhai's own size limits, every `events.len()` walked all 10,000 events: this took 4 to 5 s
    // natively, and ran out of time in the browser. The memory count does not walk anything.
    let solution = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let indexed = solution.replace("    for event in events {\n", "    let i = 0;\n    while i < events.len() {\n        let event = events[i];\n        i += 1;\n");
    assert_ne!(indexed, solution, "the solution loops with `for event in events`");
    let report = crate::check("transfers", &indexed);
    assert!(report.all_passed(), "{}: {:?}", report.summary(), report.cases().iter().find(|c| !c.passed));
    let engine = crate::sandbox::engine(&Default::default(), crate::sandbox::MAX_OPERATIONS);
    assert_eq!((engine.max_string_size(), engine.max_array_size(), engine.max_map_size()), (0, 0, 0), "Rhai's own size limits walk values");
}

#[test]
fn an_array_may_grow_to_twice_the_events_it_was_given() {
    // The 10,000 events of the longest case, copied and copied again, are not refused.
    let solution = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let copies = solution.replace("    let result = #{};\n", "    let accounts = [];\n    for event in events { accounts.push(event.account); }\n    accounts = accounts + accounts;\n    let result = #{};\n");
    check("transfers", &copies, Expect::Pass);
    assert_eq!(crate::sandbox::array_room(&[]), crate::sandbox::MIN_ARRAY_ROOM);
    let events: rhai::Array = vec![rhai::Dynamic::UNIT; 100_000];
    assert_eq!(crate::sandbox::array_room(&[events.into()]), crate::sandbox::MAX_ARRAY_SIZE, "the benchmark's 100,000 events");
}

#[test]
fn learner_code_cannot_reach_outside() {
    // Each is refused for what it is, not merely because its answer is wrong.
    check("projection", "fn project(events) { eval(\"1\") }", Expect::Error(ErrorKind::Syntax, Some(1), "'eval' is disabled"));
    check("projection", "import \"x\" as y; fn project(events) { 0 }", Expect::Error(ErrorKind::Syntax, Some(1), "`import` is a reserved word"));
    check("projection", "fn project(events) { timestamp() }", Expect::Error(ErrorKind::Runtime, Some(1), "timestamp"));
}

#[test]
fn printed_lines_come_back_with_the_case_that_printed_them() {
    let source = "print(\"hello\");\nfn project(events) { debug(events.len()); 0 }\n";
    let report = crate::check("projection", source);
    assert_eq!(report.output, ["hello"], "the code outside functions");
    let case = report.cases().first().unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(case.output, ["2"], "{case:?}");
}

#[test]
fn printed_output_is_capped_and_says_so() {
    // Every event prints a 512 KB line, and the last case prints as much as the first.
    let source = "fn evolve(state, event) {\n    let s = \"ab\";\n    for i in 0..18 { s += s; }\n    print(s);\n    for i in 0..30 { print(i); }\n    switch event.type {\n        \"account-opened\" => { state.open = true; }\n        \"money-deposited\" => { state.balance += event.amount; }\n        \"money-withdrawn\" => { state.balance -= event.amount; }\n    }\n    state\n}\n";
    let report = check("fold", source, Expect::Pass);
    let size = serde_json::to_string(&report).map_or(0, |json| json.len());
    assert!(size < 100_000, "{size} bytes of report");
    let first = report.cases().first().unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(first.output.len(), crate::sandbox::MAX_OUTPUT_LINES);
    assert_eq!(first.output_omitted, 31 - crate::sandbox::MAX_OUTPUT_LINES, "the count is of lines printed, no marker among them");
    assert!(first.output[0].ends_with("… (cut: 524,288 characters in all)"), "{}", &first.output[0][480..]);
    assert!(first.output[0].chars().count() < crate::sandbox::MAX_LINE_CHARS + 40);
    let last = report.cases().last().unwrap_or_else(|| panic!("{report:?}"));
    assert!(!last.output.is_empty() || last.output_omitted > 0, "the last case printed too: {last:?}");

    // A hidden case's output is shown with its details, as what it threw is: once every case passes.
    let report = crate::check("upcaster", "fn upcast(event) {\n    print(event);\n    event\n}\n");
    let hidden = report.cases().iter().find(|case| case.hidden).unwrap_or_else(|| panic!("{report:?}"));
    assert!(!hidden.output.is_empty() && report.output.is_empty());
    assert_eq!(hidden.output_shown(false, false), &[] as &[String]);
    assert_eq!(hidden.output_shown(true, false), hidden.output.as_slice());
    assert_eq!(hidden.output_shown(false, true), hidden.output.as_slice());
}

#[test]
fn printed_output_is_capped_in_characters_not_bytes() {
    // 20 lines a case of some 530 characters, two bytes each: 10,700 characters, 21,400 bytes.
    // Counted in bytes, the first case used up the run's 20,000 and the second kept nothing.
    let source = "fn evolve(state, event) {\n    let s = \"é\";\n    for i in 0..9 { s += s; }\n    for i in 0..20 { print(s); }\n    state\n}\n";
    let report = crate::check("fold", source);
    let second = report.cases().get(1).unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(second.output.len(), 18, "up to the run's 20,000 characters: {:?}", second.output_omitted);
}

#[test]
fn a_failed_fold_case_names_the_first_wrong_event() {
    let report = crate::check("fold", include_str!("../exercises/fold/wrong/withdrawal_adds.rhai"));
    let message = message_of(&report, "a deposit, then a withdrawal");
    assert!(
        message.starts_with("After event 3 (\"money-withdrawn\"), `balance` should be 3000 but is 7000."),
        "{message}"
    );
    assert!(message.ends_with("Does `money-withdrawn` take its `amount` off the balance?"), "asks about that event: {message}");
}

#[test]
fn the_summary_names_the_line_a_case_stopped_at() {
    let report = crate::check("fold", "fn evolve(state, event) {\n    state.balance + event.amount\n}\n");
    let line = report.error_line();
    assert_eq!(line, Some(2), "{}", report.summary());
    assert!(report.summary().ends_with(", with an error on line 2"), "{}", report.summary());
}

#[test]
fn the_summary_counts_cases() {
    let report = crate::check("projection", include_str!("../exercises/projection/wrong/last_deposit.rhai"));
    let total = report.cases().len();
    assert_eq!(report.summary(), format!("{} of {total} cases pass", report.passed()));
    assert_eq!(
        crate::check("projection", crate::find("projection").map(|e| e.solution).unwrap_or_default())
            .summary(),
        format!("All {total} cases pass")
    );
}

#[test]
fn reports_survive_json() {
    let report = crate::check("transfers", crate::find("transfers").map(|e| e.starter).unwrap_or_default());
    let json = serde_json::to_string(&report).unwrap_or_default();
    let back: Report = serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(back, report);
}

#[test]
fn ten_thousand_events_leave_room_in_the_operation_budget() {
    use std::cell::Cell;
    use std::rc::Rc;

    let mut engine = rhai::Engine::new_raw();
    crate::library::register(&mut engine);
    let used = Rc::new(Cell::new(0));
    let counter = Rc::clone(&used);
    engine.on_progress(move |operations| {
        counter.set(operations);
        None
    });
    let solution = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let ast = engine.compile(solution).unwrap_or_else(|error| panic!("{error}"));
    let events = crate::history::busy_history(6, 10_000).values();
    let events = crate::convert::to_dynamic(&serde_json::Value::Array(events));
    let result = engine.call_fn::<rhai::Dynamic>(&mut rhai::Scope::new(), &ast, "balances", (events,));
    assert!(result.is_ok(), "{result:?}");
    // A learner's solution may well be a few times slower than ours and must still pass.
    assert!(used.get() * 4 < crate::sandbox::MAX_OPERATIONS, "{} operations", used.get());
}

#[test]
fn the_upcaster_is_also_checked_on_the_learners_own_deposits() {
    let own = [
        serde_json::json!({ "type": "money-deposited", "schema": 1, "account": "savings", "amount": "12.34" }),
        // Not version-1 deposits, or not readable: left out, never trusted.
        serde_json::json!({ "type": "money-withdrawn", "schema": 1, "account": "savings", "amount": "1.00" }),
        serde_json::json!({ "type": "money-deposited", "schema": 1, "account": "savings", "amount": "lots" }),
        serde_json::json!("not an event"),
    ];
    let solution = crate::exercises::find("upcaster").map(|e| e.solution).unwrap_or_default();
    let report = crate::check_timed("upcaster", solution, None, &own);
    let mine: Vec<_> = report.cases().iter().filter(|case| case.name.starts_with("your own")).collect();
    assert_eq!(mine.len(), 1, "one case per readable version-1 deposit: {:?}", report.cases());
    assert_eq!(mine[0].name, "your own deposit of €12.34 into savings");
    assert!(report.all_passed(), "{}", report.summary());

    let starter = crate::exercises::find("upcaster").map(|e| e.starter).unwrap_or_default();
    let report = crate::check_timed("upcaster", starter, None, &own);
    let mine = report.cases().iter().find(|case| case.name.starts_with("your own")).map(|case| case.passed);
    assert_eq!(mine, Some(false), "the starter returns the old shape, so the learner's own deposit fails");
}

#[test]
fn when_evolve_fails_a_balances_case_says_to_fix_evolve_first() {
    let report = crate::check("transfers", include_str!("../exercises/transfers/wrong/transfer_in_ignored.rhai"));
    let message = message_of(&report, "two accounts, one transfer");
    assert!(
        message.ends_with("The `evolve` cases fail too, and `balances` folds events through `evolve`: make those pass first."),
        "{message}"
    );

    // With `evolve` right, a `balances` mistake keeps its own question.
    let report = crate::check("transfers", include_str!("../exercises/transfers/wrong/one_state_for_all.rhai"));
    let failed: Vec<_> = report.cases().iter().filter(|case| !case.passed).collect();
    assert!(!failed.is_empty());
    assert!(failed.iter().all(|case| !case.message.contains("make those pass first")), "{failed:?}");
}

#[test]
fn a_field_under_a_misspelt_name_is_asked_about_by_both_names() {
    let solution = include_str!("../exercises/fold/solution.rhai");
    let source = solution.replace("state.open = true", "state.opne = true");
    assert_ne!(source, solution, "the solution sets `state.open`");
    let report = crate::check("fold", &source);
    let case = case_of(&report, "opening an account").unwrap_or_else(|| panic!("{report:?}"));
    assert!(
        case.message.ends_with("Is `opne` meant to be `open`? A field under another name is a field of its own, so `open` itself keeps its old value."),
        "{}",
        case.message
    );

    // In an event: the field is missing, and the misspelt one is there instead.
    let solution = include_str!("../exercises/decide-withdrawal/solution.rhai");
    let source = solution.replace("account: command.account", "acount: command.account");
    let report = crate::check("decide-withdrawal", &source);
    let failed: Vec<_> = report.cases().iter().filter(|case| !case.passed).collect();
    assert!(!failed.is_empty(), "a withdrawal's event lacks `account`");
    for case in failed {
        assert!(case.note.contains("Is `acount` meant to be `account`? A field under another name is a field of its own, so `account` itself is not set."), "{}", case.note);
    }

    // Account ids are too short to be told from a misspelling: a wrong one keeps its question.
    let source = "fn evolve(state, event) { state }\nfn balances(events) { #{ Q: 0 } }\n";
    let report = crate::check("transfers", source);
    assert!(report.cases().iter().all(|case| !case.message.contains("meant to be")), "{report:?}");
}

#[test]
fn a_number_written_as_text_is_told_apart_from_a_wrong_number() {
    let solution = include_str!("../exercises/decide-withdrawal/solution.rhai");
    let source = solution.replace("amount: command.amount", "amount: \"\" + command.amount");
    let report = crate::check("decide-withdrawal", &source);
    let failed: Vec<_> = report.cases().iter().filter(|case| !case.passed).collect();
    assert!(!failed.is_empty(), "the event's amount is text");
    for case in failed {
        assert!(
            case.note.ends_with(
                "`[0].amount` holds text where a number belongs: text joined with `+` stays text, and `parse_int` turns text into a number."
            ),
            "{}",
            case.note
        );
    }
}

#[test]
fn a_withdrawal_event_carries_only_the_fields_of_its_type() {
    let solution = include_str!("../exercises/decide-withdrawal/solution.rhai");
    let source = solution.replace("amount: command.amount }", "amount: command.amount, note: \"cash machine\" }");
    let report = crate::check("decide-withdrawal", &source);
    let failed: Vec<_> = report.cases().iter().filter(|case| !case.passed).collect();
    assert!(!failed.is_empty(), "an event with a field of its own passed");
    assert!(failed[0].note.contains("An event carries only the fields of its type"), "{}", failed[0].note);

    // A rejection may say more than its rule, as the core's own do.
    let detailed = solution.replace("return #{ rejected: \"insufficient-funds\" };", "return #{ rejected: \"insufficient-funds\", balance: state.balance };");
    assert_ne!(detailed, solution);
    let report = crate::check("decide-withdrawal", &detailed);
    assert!(report.all_passed(), "{}", report.summary());
}

#[test]
fn an_exercise_makes_cases_of_the_learners_own_events_exactly_when_it_says_it_does() {
    let deposits = [serde_json::json!({ "type": "money-deposited", "schema": 1, "account": "A", "amount": "12.50" })];
    for exercise in EXERCISES {
        let own = crate::exercises::own_cases(exercise.id, &deposits);
        assert_eq!(!own.is_empty(), exercise.checks_own_events, "{}", exercise.id);
    }
}

/// The case named `name`.
fn case_of<'r>(report: &'r Report, name: &str) -> Option<&'r crate::CaseResult> {
    report.cases().iter().find(|case| case.name == name)
}

#[test]
fn a_function_that_returns_nothing_is_told_to_end_with_its_value() {
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" {\n        state.open = true;\n    }\n}\n";
    let report = crate::check("fold", source);
    assert_eq!(
        message_of(&report, "opening an account"),
        "After event 1 (\"account-opened\"), `evolve` returned nothing (`()`). A Rhai function returns \
         the value of its last line, so end `evolve` with `state`."
    );
    assert!(report.cases().iter().all(|case| !case.message.contains("Does `")), "no case question: {report:?}");

    let source = "fn project(events) {\n    let largest = 0;\n    for event in events { }\n}\n";
    let report = crate::check("projection", source);
    assert_eq!(
        message_of(&report, "one deposit"),
        "`project` returned nothing (`()`). A Rhai function returns the value of its last line, so end \
         `project` with the number it works out (`largest` in the starter)."
    );
    let source = "fn decide(command, state) {\n    if command.amount <= 0 { return #{ rejected: \"amount-not-positive\" }; }\n}\n";
    let report = crate::check("decide-withdrawal", source);
    assert!(message_of(&report, "a withdrawal the balance covers").starts_with("`decide` returned nothing (`()`)."));
}

#[test]
fn a_result_of_the_wrong_kind_says_what_was_expected_and_what_came_back() {
    // `evolve` returns the balance: the fold stops there instead of failing at the next event
    // with "unknown property 'balance' - a getter is not registered for type 'i64'".
    let source = r#"fn evolve(state, event) {
    if event.type == "money-deposited" {
        return state.balance + event.amount;
    }
    if event.type == "account-opened" { state.open = true; }
    state
}
"#;
    let report = crate::check("fold", source);
    assert_eq!(
        message_of(&report, "a deposit, then a withdrawal"),
        "After event 2 (\"money-deposited\"), `evolve` returned a number, 5000, where a state map was \
         expected. `evolve` must return the whole state map, not one of its fields: change the field \
         in `state`, then end `evolve` with `state`."
    );
    assert!(report.cases().iter().all(|case| case.error.is_none()), "{report:?}");

    // A function of another exercise: the kind, then what the function should return (the case's
    // own question assumes a number and would point elsewhere).
    let report = crate::check("projection", "fn project(events) { \"5000\" }");
    assert_eq!(
        message_of(&report, "one deposit"),
        "`project` returned a string, \"5000\", where a number was expected. `project` should return \
         the number it works out (`largest` in the starter)."
    );

    // Events where a rejection was expected: the case's own question is the clue.
    let report = crate::check("decide-withdrawal", "fn decide(command, state) { [] }");
    let message = message_of(&report, "more than the balance");
    assert!(message.starts_with("`decide` returned an array"), "{message}");
    assert!(!message.contains("should return"), "{message}");

    // One event where the array of events belongs: told what `decide` returns, not the case's question.
    let report = crate::check(
        "decide-withdrawal",
        "fn decide(command, state) { #{ type: \"money-withdrawn\", account: command.account, amount: command.amount } }",
    );
    let message = message_of(&report, "exactly the whole balance");
    assert!(message.contains("where an array of events was expected. `decide` should return the array"), "{message}");
    assert!(!message.contains("comparison"), "{message}");

    // A misspelt rejection key is named.
    let report = crate::check("decide-withdrawal", "fn decide(command, state) { #{ reject: \"insufficient-funds\" } }");
    assert_eq!(
        message_of(&report, "more than the balance"),
        "This case expects a rejection, a map with the key `rejected`; the map returned has the key `reject` instead."
    );
}

#[test]
fn a_field_read_from_a_number_is_explained_in_plain_words() {
    // `balances` stores what `evolve` returned and hands it back for the account's next event.
    let source = r#"fn evolve(state, event) {
    state.balance
}
fn balances(events) {
    let states = #{};
    for event in events {
        let state = if event.account in states { states[event.account] } else { #{ open: false, closed: false, balance: 0 } };
        states[event.account] = evolve(state, event);
    }
    states
}
"#;
    let report = check(
        "transfers",
        source,
        Expect::Error(ErrorKind::Runtime, Some(2), "`state` is a number here, not a map, so it has no field `balance` to read"),
    );
    let message = message_of(&report, "two accounts, one transfer");
    assert!(message.contains("it must return the whole state map (end it with `state`)"), "{message}");
    assert!(!message.contains("getter"), "Rhai's words stay in the detail: {message}");

    let source = "fn project(events) {\n    let largest = 0;\n    largest.amount = 1;\n    largest\n}\n";
    check(
        "projection",
        source,
        Expect::Error(ErrorKind::Runtime, Some(3), "`largest` is a number here, not a map, so it has no field `amount` to set"),
    );
}

#[test]
fn a_rejection_under_another_name_is_told_the_names_of_the_lesson() {
    let solution = crate::find("decide-withdrawal").map(|e| e.solution).unwrap_or_default();
    let misspelt = solution.replace("\"insufficient-funds\"", "\"insufficient-fund\"");
    let report = crate::check("decide-withdrawal", &misspelt);
    assert_eq!(
        message_of(&report, "more than the balance"),
        "Rejected with \"insufficient-fund\", but this case expects \"insufficient-funds\". \
         \"insufficient-fund\" is not one of the rule names the lesson lists: a rejection names its \
         rule exactly as written there, one of \"amount-not-positive\", \"account-closed\", \
         \"account-not-open\" or \"insufficient-funds\"."
    );

    // Another rule of the lesson: which rule applies is the case's question.
    let report = crate::check("decide-withdrawal", include_str!("../exercises/decide-withdrawal/wrong/open_before_closed.rhai"));
    let message = message_of(&report, "a closed account");
    assert!(message.starts_with("Rejected with \"account-not-open\", but this case expects \"account-closed\". A closed account is not open either"), "{message}");

    // Events where a rejection was expected: the kind of outcome is wrong, so the case's question.
    let report = crate::check("decide-withdrawal", include_str!("../exercises/decide-withdrawal/wrong/no_overdraft_check.rhai"));
    let message = message_of(&report, "more than the balance");
    assert!(message.starts_with("`decide` returned an array of events"), "{message}");
    assert!(message.ends_with("Is the amount compared with `state.balance`?"), "{message}");
}

#[test]
fn the_rules_named_in_advice_are_the_cores_and_the_lessons() {
    use foldlab_core::account::Rejection;

    let core = [Rejection::AmountNotPositive, Rejection::AccountClosed, Rejection::AccountNotOpen];
    let mut names: Vec<&str> = core.iter().map(Rejection::rule).collect();
    names.push("insufficient-funds");
    let decide = crate::find("decide-withdrawal").and_then(|e| e.functions.first());
    assert_eq!(decide.map(|f| f.rules), Some(names.as_slice()));
    let lesson = include_str!("../../lessons/03-commands-and-events.md");
    for name in names {
        assert!(lesson.contains(&format!("`\"{name}\"`")), "lesson 3 lists {name}");
    }
}

#[test]
fn unbalanced_brackets_are_named_where_they_were_opened() {
    // The final `}` left out: Rhai says "a `;` is missing", at the end.
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" { state.open = true; }\n    state\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(1), "The `{` opened on line 1 is never closed: add the matching `}`"));
    // Brackets in strings and comments do not count.
    let source = "fn evolve(state, event) {\n    let note = \"{ (\"; // [\n    /* } */\n    state\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(1), "The `{` opened on line 1 is never closed"));
    let source = "fn evolve(state, event) {\n    let amounts = [1, 2);\n    state\n}\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(2), "The `[` opened on line 2 is closed by a `)` on line 2"));
    let source = "fn evolve(state, event) {\n    state\n}\n}\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(4), "The `}` on line 4 closes nothing"));
    // An inner block left open is named, not the function around it.
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" {\n        state.open = true;\n    state\n}\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(2), "The `{` opened on line 2 is never closed"));
    // A block closed by a brace written too far left is still closed: the one left open is named.
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" {\n        state.open = true;\n}\n    if event.type == \"money-deposited\" {\n        state.balance += event.amount;\n    state\n}\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(5), "The `{` opened on line 5 is never closed"));
    // Balanced brackets keep the parser's own advice.
    let source = "fn evolve(state, event) {\n    let x = \"}\"\n    state\n}\n";
    check("fold", source, Expect::Error(ErrorKind::Syntax, Some(2), "`;` is missing"));
}

#[test]
fn a_failed_hidden_case_says_what_went_wrong_without_its_values() {
    let report = crate::check("fold", include_str!("../exercises/fold/wrong/withdrawal_adds.rhai"));
    let case = case_of(&report, "withdrawing everything");
    let case = case.unwrap_or_else(|| panic!("{report:?}"));
    assert!(case.hidden && !case.passed);
    assert_eq!(
        case.note,
        "After event 3 (\"money-withdrawn\"), `balance` is wrong. Does `money-withdrawn` take its \
         `amount` off the balance?"
    );
    assert_eq!(case.note_while_hidden(false, false), Some(case.note.as_str()), "shown while the details are hidden");
    assert_eq!(case.note_while_hidden(false, true), None, "the details say it all once the solution is shown");
    assert!(case.message.contains("should be 0 but is 10000"), "the details keep the values: {}", case.message);

    // What learner code throws, or hands to `parse_int`, can be the case's data: the note says
    // only that it stopped there.
    let parses = "fn upcast(event) {\n    if event.type == \"money-deposited\" && event.schema == 1 {\n        event.amount = parse_int(event.amount) * 100;\n        event.schema = 2;\n    }\n    event\n}\n";
    let report = crate::check("upcaster", parses);
    let stopped: Vec<_> = report.cases().iter().filter(|c| c.error.is_some()).collect();
    assert!(!stopped.is_empty(), "{report:?}");
    for case in stopped {
        assert!(case.message.contains("parse_int was given \""), "the details name the text: {}", case.message);
        assert!(case.note.contains("parse_int was given text that is not a whole number"), "{}", case.note);
        assert!(!case.note.contains("given \""), "no quoted input in the note: {}", case.note);
    }
    let throws = crate::check("fold", "fn evolve(state, event) { throw event; }");
    let case = throws.cases().first().unwrap_or_else(|| panic!("{throws:?}"));
    assert!(case.message.contains("your code threw #{"), "{}", case.message);
    assert!(case.note.contains("your code threw an error (what it threw shows once"), "{}", case.note);
    assert!(!case.note.contains("#{"), "{}", case.note);
    // Every wrong solution's hidden failures are checked the same way in `check`.
}

#[test]
fn evolve_applies_an_overdraft_and_never_refuses_it() {
    let name = "an overdraft the bank once allowed";
    let reference = crate::check("fold", crate::find("fold").map(|e| e.solution).unwrap_or_default());
    let case = case_of(&reference, name).unwrap_or_else(|| panic!("no case {name:?}"));
    assert!(case.hidden && case.passed);
    assert_eq!(case.expected["balance"], -3000, "the balance goes below zero");

    let throws = crate::check("fold", include_str!("../exercises/fold/wrong/refuses_overdraft.rhai"));
    let failed: Vec<&str> = throws.cases().iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
    assert_eq!(failed, [name], "only the overdraft catches a `throw`");
    let message = message_of(&throws, name);
    assert!(message.starts_with("Line 8, column 17, while applying event 3: your code threw \"insufficient funds\""), "{message}");
    assert!(message.ends_with("`evolve` applies facts and never refuses them: is it checking the balance?"), "{message}");

    let skips = crate::check("fold", include_str!("../exercises/fold/wrong/skips_overdraft.rhai"));
    let message = message_of(&skips, name);
    assert!(message.starts_with("After event 3 (\"money-withdrawn\"), `balance` should be -3000 but is 2000."), "{message}");
    assert!(message.contains("never refuses them"), "{message}");

    // Applied, but the wrong way (added): not a refusal, so the case asks the withdrawal's question.
    let adds = crate::check("fold", include_str!("../exercises/fold/wrong/withdrawal_adds.rhai"));
    let message = message_of(&adds, name);
    assert!(message.contains("Does `money-withdrawn` take its `amount` off the balance?"), "{message}");
    assert!(!message.contains("never refuses"), "{message}");

    // Wrong before the overdraft, the case asks about the event that went wrong.
    let report = crate::check("fold", include_str!("../exercises/fold/wrong/misspelt_field.rhai"));
    assert!(!message_of(&report, name).contains("never refuses"), "{}", message_of(&report, name));
}

#[test]
fn a_bounced_transfer_is_refunded_to_its_sender() {
    let name = "a bounced transfer comes back";
    let reference = crate::check("transfers", crate::find("transfers").map(|e| e.solution).unwrap_or_default());
    let case = case_of(&reference, name).unwrap_or_else(|| panic!("no case {name:?}"));
    assert!(!case.hidden && case.passed, "a visible case");
    let refund = serde_json::json!({ "type": "transfer-refunded", "account": "A", "amount": 1500 });
    assert!(case.input.iter().any(|a| a.value.as_array().is_some_and(|events| events.contains(&refund))), "{case:?}");

    let report = crate::check("transfers", include_str!("../exercises/transfers/wrong/refund_ignored.rhai"));
    assert_eq!(
        message_of(&report, name),
        "After event 5 (\"transfer-refunded\"), `balance` should be 4500 but is 3000. Does \
         `transfer-refunded` add its `amount` back, like a deposit?"
    );
    let hidden = case_of(&report, "bounced transfers go back to their senders").unwrap_or_else(|| panic!("{report:?}"));
    assert!(!hidden.passed);

    // The untouched starter ignores every transfer event: the refund must not cancel out into a pass.
    let starter = crate::check("transfers", crate::find("transfers").map(|e| e.starter).unwrap_or_default());
    let bounced = case_of(&starter, name).unwrap_or_else(|| panic!("{starter:?}"));
    assert!(!bounced.passed, "the starter fails the bounced transfer");
}

#[test]
fn the_transfer_lesson_and_starter_name_every_event_type_of_the_cases() {
    let lesson = include_str!("../../lessons/05-transfers.md");
    let starter = crate::find("transfers").map(|e| e.starter).unwrap_or_default();
    let mut types: Vec<String> = Vec::new();
    for case in cases("transfers") {
        let events = match &case.call {
            crate::check::Call::Fold { events, .. } => events.clone(),
            crate::check::Call::Once { args, .. } => {
                args.iter().filter_map(|(_, value)| value.as_array().cloned()).flatten().collect()
            }
        };
        types.extend(events.iter().filter_map(|event| event["type"].as_str().map(str::to_owned)));
    }
    types.sort_unstable();
    types.dedup();
    assert!(types.len() >= 6, "{types:?}");
    for event_type in &types {
        assert!(lesson.contains(&format!("#{{ type: \"{event_type}\", account: ")), "lesson 5 shows {event_type}");
        assert!(starter.contains(&format!("\"{event_type}\"")) || event_type == "account-closed", "the starter names {event_type}");
    }
}

#[test]
fn an_index_loop_over_ten_thousand_events_fits_the_limits() {
    // Indexing makes Rhai check the size of the whole `events` array, strings and maps included.
    let source = r#"fn evolve(state, event) {
    switch event.type {
        "account-opened" => { state.open = true; }
        "money-deposited" | "money-transferred-in" | "transfer-refunded" => { state.balance += event.amount; }
        "money-withdrawn" | "money-transferred-out" => { state.balance -= event.amount; }
    }
    state
}
fn balances(events) {
    let states = #{};
    for i in 0..events.len() {
        let account = events[i].account;
        let state = if account in states { states[account] } else { #{ open: false, closed: false, balance: 0 } };
        states[account] = evolve(state, events[i]);
    }
    let result = #{};
    for account in states.keys() { result[account] = states[account].balance; }
    result
}
"#;
    check("transfers", source, Expect::Pass);
}

#[test]
fn after_a_case_runs_out_of_operations_the_rest_are_not_run() {
    // Every case would spend its whole budget, and locating the line runs it again: together
    // they took longer than the page waits, so the learner saw a timeout without a line.
    let source = "fn evolve(state, event) {\n    while state.balance >= 0 { state.balance += 1; }\n    state\n}\n";
    let report = check("fold", source, Expect::Error(ErrorKind::TooManyOperations, Some(2), "never ends"));
    let (first, rest) = report.cases().split_first().unwrap_or_else(|| panic!("{report:?}"));
    assert!(first.error.is_some() && !first.not_run, "{first:?}");
    assert!(!rest.is_empty());
    for case in rest {
        assert!(case.not_run && !case.passed && case.error.is_none(), "{case:?}");
        assert!(case.message.starts_with("The cases after the one that ran out of operations were not run"), "{}", case.message);
        assert_eq!(case.note, case.message, "names no value, so a hidden case shows it as it is");
    }
    assert_eq!(report.summary(), format!("0 of {} cases pass ({} not run), with an error on line 2", rest.len() + 1, rest.len()));

    // A loop that only some cases reach: the cases before it still pass.
    let solution = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let looping = solution.replace("    let result = #{};\n", "    let result = #{};\n    let i = 0;\n    while i < events.len() { result[events[i].account] = 0; }\n");
    let report = crate::check("transfers", &looping);
    let ran: Vec<(&str, bool)> = report.cases().iter().map(|c| (c.name.as_str(), c.not_run)).collect();
    assert!(report.cases()[..3].iter().all(|c| c.passed), "the `evolve` cases pass: {ran:?}");
    assert_eq!(report.cases().iter().filter(|c| c.error.is_some()).count(), 1, "{ran:?}");
    assert!(report.cases().last().is_some_and(|c| c.not_run), "the 10,000 events are not run: {ran:?}");
}

#[test]
fn operators_of_other_languages_are_named_and_only_a_decimal_gets_the_decimal_advice() {
    let fold = |line: &str| format!("fn evolve(state, event) {{\n    {line}\n    state\n}}\n");
    for (line, says) in [
        ("if event.type === \"account-opened\" { state.open = true; }", "Rhai compares with `==`, not `===`"),
        ("if event.type !== \"account-opened\" { state.open = true; }", "Rhai compares with `!=`, not `!==`"),
        ("switch event.type { \"account-opened\" -> { state.open = true; } }", "a `switch` branch is written"),
        ("let x := 1;", "Rhai assigns with `=`, not `:=`"),
        ("let x = # { open: true };", "A map starts with `#{`, with no space"),
    ] {
        let report = check("fold", &fold(line), Expect::Error(ErrorKind::Syntax, Some(2), says));
        let Outcome::Failed { error } = &report.outcome else { panic!("{report:?}") };
        assert!(!error.message.contains("decimal"), "{line}: {}", error.message);
    }
    check("fold", &fold("state.balance += .5;"), Expect::Error(ErrorKind::Syntax, Some(2), "no decimal numbers"));
}

#[test]
fn a_missing_semicolon_is_marked_at_the_end_of_its_statement() {
    // Rhai notices only at the next statement; the learner should be sent to the line that lacks it.
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" {\n        state.open = true;\n    } else if event.type == \"money-deposited\" {\n        state.balance += event.amount;\n    }\n    state.balance += event.amount // no `;` here\n\n    /* nor here */\n    state.balance = state.balance;\n    state\n}\n";
    let report = check("fold", source, Expect::Error(ErrorKind::Syntax, Some(7), "`;` is missing at the end of this statement"));
    let Outcome::Failed { error } = &report.outcome else { panic!("{report:?}") };
    assert_eq!(error.column, Some(34), "just after `event.amount`");
    assert_eq!(report.summary(), "The code does not parse (line 7)");

    let source = "fn project(events) {\n    let largest = 0;\n    for event in events {\n        let a = event.amount\n        if event.type == \"money-deposited\" && a > largest { largest = a; }\n    }\n    largest\n}\n";
    check("projection", source, Expect::Error(ErrorKind::Syntax, Some(4), "`;` is missing"));
}

#[test]
fn habits_from_other_languages_get_plain_advice() {
    let fold = |lines: &str| format!("fn evolve(state, event) {{\n{lines}\n    state\n}}\n");
    let syntax = |exercise: &str, source: &str, line: u32, says: &str| {
        check(exercise, source, Expect::Error(ErrorKind::Syntax, Some(line), says));
    };
    syntax("fold", &fold("    let n = 0;\n    n++;"), 3, "Rhai has no `++`: write `n += 1`");
    syntax(
        "fold",
        &fold("    if event.type == \"account-opened\" { state.open = true; }\n    elif event.type == \"money-deposited\" { state.balance += event.amount; }"),
        3,
        "Rhai writes `else if`, not `elif`",
    );
    syntax("fold", &fold("    let größe = 1;"), 2, "Names in Rhai are made of the letters a to z, digits and `_`");
    syntax("fold", &fold("    if event.type = \"account-opened\" { state.open = true; }"), 2, "To compare, write `==`");
    syntax("fold", &fold("    let note = \"unfinished;"), 2, "This string is not closed");
    let decide = "fn decide(command, state) {\n    if state.closed {\n        return { rejected: \"account-closed\" };\n    }\n    []\n}\n";
    syntax("decide-withdrawal", decide, 3, "A map is written `#{ ... }` in Rhai");
    let decide = "fn decide(command, state) {\n    if state.closed {\n        return {\n            rejected: \"account-closed\"\n        };\n    }\n    []\n}\n";
    syntax("decide-withdrawal", decide, 3, "with a `#` before the `{`");

    let report = check("fold", "fn evolv(state, event) { state }", Expect::Error(ErrorKind::MissingFunction, None, "The checker calls"));
    let Outcome::Failed { error } = &report.outcome else { panic!("{report:?}") };
    assert_eq!(error.heading(), "A function the exercise calls is missing");
    let report = crate::check("fold", &fold("    let x = 1\n    state.open = true;"));
    let Outcome::Failed { error } = &report.outcome else { panic!("{report:?}") };
    assert_eq!(error.heading(), "Your code does not parse: line 2, column 14", "code that does not parse never started");
    check("fold", &fold("    loop {}"), Expect::Error(ErrorKind::TooManyOperations, Some(2), "Stopped after 2,000,000 operations"));
}

#[test]
fn words_of_other_languages_in_conditions_are_named_not_taken_for_missing_brackets() {
    let decide = |condition: &str| format!("fn decide(command, state) {{\n    if {condition} {{\n        return #{{ rejected: \"account-closed\" }};\n    }}\n    []\n}}\n");
    let syntax = |source: &str, line: u32, says: &str| {
        check("decide-withdrawal", source, Expect::Error(ErrorKind::Syntax, Some(line), says));
    };
    // `elif !x` reads as a call of `elif!` whose `(` is missing.
    let elif = "fn decide(command, state) {\n    if state.closed {\n        return #{ rejected: \"account-closed\" };\n    } elif !state.open {\n        return #{ rejected: \"account-not-open\" };\n    }\n    []\n}\n";
    syntax(elif, 4, "Rhai writes `else if`, not `elif`");
    syntax(&elif.replace("elif !state.open", "elif (state.open)"), 4, "Rhai writes `else if`, not `elif`");
    syntax(&decide("state.closed and true"), 2, "Rhai writes `&&`, not `and`: `state.closed && true`");
    syntax(&decide("(state.closed or !state.open)"), 2, "Rhai writes `||`, not `or`");
    syntax(&decide("not state.open"), 2, "Rhai writes `!`, not `not`: `!state.open`");
    let null = "Rhai has no `null`: a field a map does not have reads as `()`, and `\"closed\" in state` tells whether `state` has `closed`";
    syntax(&decide("state.closed != null"), 2, null);
    syntax(&decide("null == state.closed"), 2, null);
    check("decide-withdrawal", &decide("not(state.open)"), Expect::Error(ErrorKind::Runtime, Some(2), "Rhai writes `!`, not `not`"));
    // A name that is reserved for another reason is still one to change.
    check("projection", "fn project(events) { let null_count = 0; let var = 1; 0 }", Expect::Error(ErrorKind::Syntax, Some(1), "`var` is a reserved word in Rhai"));
}

#[test]
fn arithmetic_errors_say_what_happened_without_a_hidden_cases_numbers() {
    let fold = |withdraw: &str| {
        format!(
            "fn evolve(state, event) {{\n    switch event.type {{\n        \"account-opened\" => {{ state.open = true; }}\n        \"money-deposited\" => {{ state.balance += event.amount; }}\n        \"money-withdrawn\" => {{ {withdraw} }}\n    }}\n    state\n}}\n"
        )
    };
    let report = check(
        "fold",
        &fold("state.balance -= event.amount * 9223372036854775807;"),
        Expect::Error(ErrorKind::Runtime, Some(5), "grew past the largest whole number there is, 9,223,372,036,854,775,807"),
    );
    let visible = message_of(&report, "a deposit, then a withdrawal");
    assert!(visible.contains("(in `2000 * 9223372036854775807`)"), "a visible case shows its numbers: {visible}");
    assert!(!visible.contains("division"), "{visible}");
    let hidden = case_of(&report, "withdrawing everything").unwrap_or_else(|| panic!("{report:?}"));
    assert!(hidden.hidden && hidden.message.contains("5000 *"), "{}", hidden.message);
    assert!(!hidden.note.contains("5000") && hidden.note.contains("grew past the largest whole number"), "{}", hidden.note);

    let report = check(
        "fold",
        &fold("state.balance -= event.amount / 0;"),
        Expect::Error(ErrorKind::Runtime, Some(5), "division by zero (in `2000 / 0`): the number after `/` is 0 here"),
    );
    let visible = message_of(&report, "a deposit, then a withdrawal");
    assert_eq!(visible.matches("zero").count(), 1, "said once: {visible}");
    let hidden = case_of(&report, "withdrawing everything").unwrap_or_else(|| panic!("{report:?}"));
    assert!(!hidden.note.contains("5000") && hidden.note.contains("a division by zero: the number"), "{}", hidden.note);
}

#[test]
fn only_a_throw_at_the_overdraft_is_asked_whether_evolve_checks_the_balance() {
    let name = "an overdraft the bank once allowed";
    // The same error at every withdrawal: nothing is being refused.
    let source = "fn evolve(state, event) {\n    switch event.type {\n        \"account-opened\" => { state.open = true; }\n        \"money-deposited\" => { state.balance += event.amount; }\n        \"money-withdrawn\" => { state.balance = subtract(state.balance, event.amount); }\n    }\n    state\n}\n";
    let report = crate::check("fold", source);
    let case = case_of(&report, name).unwrap_or_else(|| panic!("{report:?}"));
    assert!(case.error.is_some(), "{case:?}");
    assert!(!case.message.contains("never refuses") && !case.note.contains("never refuses"), "{}", case.message);
    // A `throw` there keeps the question (see `evolve_applies_an_overdraft_and_never_refuses_it`).
}

#[test]
fn a_wrong_state_is_named_before_the_error_it_leads_to() {
    // `account-opened` drops `balance`, so the next deposit fails on a line that is right.
    let source = "fn evolve(state, event) {\n    switch event.type {\n        \"account-opened\" => { state = #{ open: true }; }\n        \"money-deposited\" => { state.balance += event.amount; }\n        \"money-withdrawn\" => { state.balance -= event.amount; }\n    }\n    state\n}\n";
    let report = crate::check("fold", source);
    let case = case_of(&report, "a deposit").unwrap_or_else(|| panic!("{report:?}"));
    assert!(
        case.message.starts_with("After event 1 (\"account-opened\"), `closed` is missing: it should be false (and 1 more difference)."),
        "{}",
        case.message
    );
    assert!(case.message.contains(" Most likely because of that, the fold then stopped at event 2, line 4, column 46: `+` cannot be used on `()`"), "{}", case.message);
    assert!(case.error.is_some(), "the error is still there, with its line");
    let hidden = case_of(&report, "withdrawing everything").unwrap_or_else(|| panic!("{report:?}"));
    assert!(hidden.note.starts_with("After event 1 (\"account-opened\"), `closed` is missing (and 1 more difference)."), "{}", hidden.note);
}

#[test]
fn nothing_passed_to_evolve_is_blamed_on_the_function_that_passed_it() {
    let solution = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let evolve = solution.split("\nfn balances").next().unwrap_or_default();
    // A new account's state is `states[event.account]`, which is `()` until it has been stored.
    let source = format!(
        "{evolve}\nfn balances(events) {{\n    let states = #{{}};\n    for event in events {{\n        states[event.account] = evolve(states[event.account], event);\n    }}\n    let result = #{{}};\n    for account in states.keys() {{ result[account] = states[account].balance; }}\n    result\n}}\n"
    );
    let call_line = u32::try_from(source.lines().position(|line| line.contains("= evolve(")).unwrap_or_default() + 1).unwrap_or_default();
    let report = check(
        "transfers",
        &source,
        Expect::Error(ErrorKind::Runtime, Some(call_line), "In `balances`: `evolve` was given `()` (nothing) as `state`"),
    );
    let message = message_of(&report, "two accounts, one transfer");
    assert!(message.contains("does `balances` start an account it sees for the first time from the initial state"), "{message}");
    assert!(!message.contains("end `evolve` with `state`"), "`evolve` is right: {message}");

    // When `evolve` itself returns nothing, its own cases say so, and `balances` points at them.
    let source = solution.replacen("    }\n    state\n}", "    }\n}", 1);
    let report = crate::check("transfers", &source);
    assert!(message_of(&report, "a transfer out lowers the balance").contains("`evolve` returned nothing"), "{report:?}");
    let message = message_of(&report, "two accounts, one transfer");
    assert!(message.ends_with("The `evolve` cases fail too, and `balances` folds events through `evolve`: make those pass first."), "{message}");
}

#[test]
fn a_rejection_of_the_wrong_kind_is_shown_how_a_rejection_is_written() {
    let solution = crate::find("decide-withdrawal").map(|e| e.solution).unwrap_or_default();
    let source = solution.replace("return #{ rejected: \"insufficient-funds\" };", "return \"insufficient-funds\";");
    let report = crate::check("decide-withdrawal", &source);
    assert_eq!(
        message_of(&report, "more than the balance"),
        "`decide` returned a string, \"insufficient-funds\", where a rejection map was expected. A rejection \
         is a map that names its rule: return `#{ rejected: \"insufficient-funds\" }`."
    );
    let hidden = case_of(&report, "one cent more than the balance").unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(
        hidden.note,
        "`decide` returned a string where a rejection map was expected. A rejection is a map that names \
         its rule, as the lesson lists it: return `#{ rejected: \"...\" }`."
    );
}

#[test]
fn a_range_or_a_function_pointer_is_called_what_it_is() {
    let report = crate::check("fold", "fn evolve(state, event) {\n    0..3\n}\n");
    assert_eq!(
        message_of(&report, "opening an account"),
        "After event 1 (\"account-opened\"), `evolve` returned a range, 0..3, where a state map was expected. \
         `evolve` must return the whole state map: end it with `state`."
    );
    let report = crate::check("fold", "fn evolve(state, event) {\n    Fn(\"evolve\")\n}\n");
    let message = message_of(&report, "opening an account");
    assert!(message.contains("`evolve` returned a function pointer, Fn(evolve), where a state map was expected."), "{message}");
    let report = crate::check("projection", "fn project(events) { 0..=3 }");
    let message = message_of(&report, "one deposit");
    assert!(message.starts_with("`project` returned a range, 0..=3, where a number was expected."), "{message}");
    assert!(!message.contains("core::"), "{message}");
}

#[test]
fn the_brace_guess_follows_where_the_indentation_shifts() {
    // The inner `if`'s `}` is missing: every `}` after it lines up one level out, and the first
    // that does is where the shift starts.
    let source = "fn project(events) {\n    let largest = 0;\n    for event in events {\n        if event.type == \"money-deposited\" {\n            if event.amount > largest {\n                largest = event.amount;\n        }\n    }\n    largest\n}\n";
    check("projection", source, Expect::Error(ErrorKind::Syntax, Some(5), "The `{` opened on line 5 is never closed"));
    // A second `}` after another on line 7 closes the function there, though the lines after it
    // are still indented inside it: that one is too many, not the last line's.
    let source = "fn decide(command, state) {\n    if command.amount <= 0 {\n        return #{ rejected: \"amount-not-positive\" };\n    }\n    if state.closed {\n        return #{ rejected: \"account-closed\" };\n    }}\n    if !state.open {\n        return #{ rejected: \"account-not-open\" };\n    }\n    []\n}\n";
    let report = check(
        "decide-withdrawal",
        source,
        Expect::Error(ErrorKind::Syntax, Some(7), "The `}` on line 7 closes the `{` opened on line 1, but the lines after it are still indented inside"),
    );
    let Outcome::Failed { error } = &report.outcome else { panic!("{report:?}") };
    assert_eq!(error.column, Some(6), "the second `}}`");
}

#[test]
fn a_cases_question_holds_for_whatever_made_it_fail() {
    // `schema` left at 1: the amount cases do not only ask about cents.
    let report = crate::check("upcaster", include_str!("../exercises/upcaster/wrong/schema_unchanged.rhai"));
    for name in ["whole euros", "one decimal", "cents only", "a large amount", "the account stays"] {
        let case = case_of(&report, name).unwrap_or_else(|| panic!("{report:?}"));
        assert!(case.note.starts_with("`schema` is wrong.") && case.note.contains("`schema`") && case.note.matches("`schema`").count() == 2, "{name}: {}", case.note);
    }
    // Tens instead of hundreds of cents: the account case asks about the amount too.
    let solution = crate::find("upcaster").map(|e| e.solution).unwrap_or_default();
    let report = crate::check("upcaster", &solution.replace("* 100;", "* 10;"));
    let note = &case_of(&report, "the account stays").unwrap_or_else(|| panic!("{report:?}")).note;
    assert!(note.starts_with("`amount` is wrong.") && note.contains("into cents"), "{note}");

    // Withdrawing the whole balance refused: not a question about earlier events.
    let report = crate::check("decide-withdrawal", include_str!("../exercises/decide-withdrawal/wrong/whole_balance_refused.rhai"));
    let message = message_of(&report, "the whole of a balance built up over time");
    assert!(message.contains("`>`") && !message.contains("include every earlier event"), "{message}");

    // Transfers filed under `to`: a wrong value, not a slow one.
    let transfers = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let report = crate::check("transfers", &transfers.replace("let account = event.account;", "let account = if \"to\" in event { event.to } else { event.account };"));
    let note = &case_of(&report, "10,000 events of four accounts").unwrap_or_else(|| panic!("{report:?}")).note;
    assert!(!note.is_empty() && !note.contains("fast"), "{note}");
}

#[test]
fn a_state_built_anew_without_some_fields_is_told_to_return_the_whole_state() {
    // The deposit is added right; `open` and `closed` are what went missing.
    let report = crate::check("fold", include_str!("../exercises/fold/wrong/new_map_drops_fields.rhai"));
    let whole_state = "The state `evolve` returned lacks `open` and `closed`: `evolve` must return the whole \
                       state, so change the fields of `state` the event touches and end `evolve` with `state`, \
                       rather than building a new map.";
    assert_eq!(
        message_of(&report, "a deposit"),
        format!("After event 2 (\"money-deposited\"), `open` is missing: it should be true (and 1 more difference). {whole_state}")
    );
    let hidden = case_of(&report, "several deposits add up").unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(hidden.note, format!("After event 2 (\"money-deposited\"), `open` is missing (and 1 more difference). {whole_state}"));
    // Not the overdraft's own question either: the fold went wrong long before, and not on a value.
    let overdraft = message_of(&report, "an overdraft the bank once allowed");
    assert!(overdraft.ends_with(whole_state) && !overdraft.contains("never refuses"), "{overdraft}");
    assert!(report.cases().iter().all(|case| !case.message.contains("Does `")), "no case question: {report:?}");

    // A field left out, then the error it leads to: the field comes first, then where it stopped.
    let source = "fn evolve(state, event) {\n    switch event.type {\n        \"account-opened\" => { state = #{ open: true }; }\n        \"money-deposited\" => { state.balance += event.amount; }\n    }\n    state\n}\n";
    let message = message_of(&crate::check("fold", source), "a deposit").to_owned();
    assert!(message.contains("(and 1 more difference). The state `evolve` returned lacks `closed` and `balance`: `evolve` must return the whole state"), "{message}");
    assert!(message.contains("rather than building a new map. Most likely because of that, the fold then stopped at event 2"), "{message}");

    // A wrong value keeps the event's question, even with a field missing as well.
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" { state.open = true; }\n    if event.type == \"money-deposited\" { return #{ open: true, balance: state.balance + 1 }; }\n    state\n}\n";
    let message = message_of(&crate::check("fold", source), "a deposit").to_owned();
    assert!(message.ends_with("Does `money-deposited` add its `amount` to the balance?"), "{message}");
}

#[test]
fn an_event_without_a_field_is_told_where_to_copy_it_from() {
    let solution = crate::find("decide-withdrawal").map(|e| e.solution).unwrap_or_default();
    let report = crate::check("decide-withdrawal", &solution.replace("account: command.account, ", ""));
    let copy = "An event carries every field of its type, and the event `decide` returned lacks `account`: \
                copy it from `command`, writing `account: command.account` in the event's map.";
    // Not "is the comparison `>` rather than `>=`?": the comparison is right.
    let hidden = case_of(&report, "exactly the whole balance").unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(hidden.message, format!("`[0].account` is missing: it should be \"A\". {copy}"));
    assert_eq!(hidden.note, format!("`[0].account` is missing. {copy}"));
    // A field that no argument holds is only named.
    let report = crate::check("decide-withdrawal", &solution.replace("type: \"money-withdrawn\", account: command.account, ", ""));
    assert!(
        message_of(&report, "a withdrawal the balance covers").ends_with(
            "the event `decide` returned lacks `type` and `account`: copy `account` from `command`, writing \
             `account: command.account` in the event's map, and add `type`."
        ),
        "{report:?}"
    );

    // The upcaster's event, built anew: copied from the old event, for every case, not only the
    // one that asks about the account.
    let report = crate::check("upcaster", include_str!("../exercises/upcaster/wrong/new_map_without_account.rhai"));
    let message = message_of(&report, "euros and cents");
    assert!(message.ends_with("lacks `account`: copy it from `event`, writing `account: event.account` in the event's map."), "{message}");
    assert!(!message.contains("1250 cents"), "{message}");
    // A field too many, where an event's fields are compared exactly.
    let upcaster = crate::find("upcaster").map(|e| e.solution).unwrap_or_default();
    let report = crate::check("upcaster", &upcaster.replace("event.schema = 2;", "event.schema = 2;\n    event.euros = 1;"));
    assert!(
        message_of(&report, "euros and cents").ends_with(
            "An event carries only the fields of its type, and the event `upcast` returned has `euros` too: leave it out."
        ),
        "{report:?}"
    );

    // Accounts `balances` leaves out are not fields of an event: the case keeps its question.
    let report = crate::check("transfers", include_str!("../exercises/transfers/wrong/only_a_and_b.rhai"));
    let failed: Vec<_> = report.cases().iter().filter(|case| !case.passed).collect();
    assert!(!failed.is_empty() && failed.iter().all(|case| !case.message.contains("An event carries")), "{failed:?}");
}

#[test]
fn a_field_an_event_does_not_carry_is_named_as_a_cause_of_nothing() {
    // `event.amount` added for every event: `account-opened` has none, and the spelling is right.
    let source = "fn evolve(state, event) {\n    if event.type == \"account-opened\" { state.open = true; }\n    state.balance += event.amount;\n    state\n}\n";
    check(
        "fold",
        source,
        Expect::Error(
            ErrorKind::Runtime,
            Some(3),
            "`+` cannot be used on a number and `()` (nothing). A `()` is what a map gives for a key it does \
             not have: check the spelling of the field (e.g. `event.amount`), and whether every map that \
             reaches this line has that field at all (an `account-opened` event has no `amount`)",
        ),
    );
}

#[test]
fn a_for_loop_over_a_map_is_shown_how_to_loop_over_its_keys() {
    let solution = crate::find("transfers").map(|e| e.solution).unwrap_or_default();
    let source = solution.replace("for account in states.keys()", "for account in states");
    let line = u32::try_from(source.lines().position(|line| line.contains("for account in states")).unwrap_or_default() + 1).unwrap_or_default();
    check(
        "transfers",
        &source,
        Expect::Error(
            ErrorKind::Runtime,
            Some(line),
            "`for` can loop over an array or a range (`0..n`), not this value. To walk a map, loop over its \
             keys: `for key in map.keys()`.",
        ),
    );
    // The loop the message shows runs in the sandbox (the reference solution uses it), and a
    // string, which the message no longer offers, does not.
    assert!(solution.contains("in states.keys()"));
    check("projection", "fn project(events) {\n    for c in \"abc\" { }\n    0\n}\n", Expect::Error(ErrorKind::Runtime, Some(2), "not this value"));
}
