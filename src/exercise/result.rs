//! The result of a run, read like a good test runner: the summary first (announced politely),
//! then each case with a pass or fail mark, and for a failure the expected and the actual value
//! side by side with the differing lines marked.

use foldlab_script::report::{Argument, CaseResult, Difference, ScriptError};
use foldlab_script::value::{line_differs, lines, lines_expanded};
use foldlab_script::{Outcome, Report};
use leptos::prelude::*;
use serde_json::Value;

/// Inputs with at most this many items are shown open; longer ones start folded.
const OPEN_ITEMS: usize = 8;

/// The summary line: a polite live region that exists before the first run, so screen readers
/// announce every new summary. Named "Result", so it can be found among the page's other statuses.
/// `id` lets a run bring it into view.
#[component]
pub fn Summary(report: Signal<Option<Report>>, running: Signal<bool>, id: String) -> impl IntoView {
    let text = move || {
        if running.get() {
            return "Running your code…".to_owned();
        }
        report.with(|report| report.as_ref().map(Report::summary).unwrap_or_default())
    };
    let class = move || {
        report.with(|report| match report {
            Some(report) if !running.get() && report.all_passed() => "result-summary passed",
            Some(_) if !running.get() => "result-summary failed",
            _ => "result-summary",
        })
    };
    view! { <p class=class id=id role="status" aria-live="polite" aria-label="Result">{text}</p> }
}

/// The details of a report: the stopping error, or every case.
#[component]
pub fn Details(report: Report, solution_revealed: Signal<bool>) -> impl IntoView {
    let all_passed = report.all_passed();
    let output = report.output.clone();
    let output_omitted = report.output_omitted;
    let body = match report.outcome {
        Outcome::Failed { error } => view! { <ErrorBox error/> }.into_any(),
        Outcome::Checked { cases } => {
            // Why the cases after a runaway one did not run is said once, above them, not in each.
            let why_not_run = cases.iter().find(|case| case.not_run).map(|case| case.message.clone());
            // So is a message every failing case shares (one mistake breaks them all): read eight
            // times over, it hid the values that differ from case to case.
            // What they show depends on whether the solution is shown (a hidden case then shows its
            // message rather than its note): both are worked out now.
            let failing: Vec<&CaseResult> = cases.iter().filter(|case| !case.passed && !case.not_run).collect();
            let (while_hidden, once_shown) = (shared_message(&failing, all_passed, false), shared_message(&failing, all_passed, true));
            // Which of a case's sentences are said above instead, while hidden and once shown: the
            // first ones, as it shows them there, and what it goes on with, when that is said too.
            // Worded with values where the shared part has none, a case keeps its first sentences
            // unless its values show beside them anyway (an error leaves no result to show).
            let said = |case: &CaseResult, shared: &Option<Shared>, revealed: bool| {
                let Some(shared) = shared else { return Said::default() };
                let shown = case.note_while_hidden(all_passed, revealed).unwrap_or(&case.message);
                let same_start = first_sentences(shown, shared.sentences) == shared.text || case.actual.is_some();
                let same_rest = shared.then.as_ref().is_some_and(|(rest, _)| after_sentences(shown, shared.sentences) == rest);
                Said { first: if same_start { shared.sentences } else { 0 }, rest: same_rest.then_some(shared.sentences) }
            };
            let said_above: Vec<(Said, Said)> =
                cases.iter().map(|case| (said(case, &while_hidden, false), said(case, &once_shown, true))).collect();
            let (failing_count, every) = (failing.len(), failing.len() == cases.len());
            let said_once = move || {
                let shared = if solution_revealed.get() { once_shown.clone() } else { while_hidden.clone() };
                shared.map(|shared| {
                    let how = if shared.whole { "failed the same way" } else { "went wrong the same way first" };
                    let lead = if every { format!("Every case {how}:") } else { format!("The {failing_count} failing cases {how}:") };
                    let then = shared.then.map(|(rest, stopped)| {
                        let cases = if every { "case" } else { "failing case" };
                        let quoted: Vec<String> = stopped.iter().map(|name| format!("“{name}”")).collect();
                        let lead = match quoted.len() {
                            0 => "Then, in every one:".to_owned(),
                            1 | 2 => format!("Then, in every {cases} but {}:", quoted.join(" and ")),
                            n => format!("Then, in {} of them:", failing_count - n),
                        };
                        view! { <p>{lead}</p><p class="case-message">{inline_code(&rest)}</p> }
                    });
                    view! { <div class="cases-shared"><p>{lead}</p><p class="case-message">{inline_code(&shared.text)}</p>{then}</div> }
                })
            };
            // Why a hidden case shows only its verdict and a note is said once, above the list.
            let withheld: Vec<bool> = cases.iter().map(|c| !c.not_run && c.hidden && !c.shows_detail(all_passed, false)).collect();
            let withheld_now = move || !solution_revealed.get() && withheld.iter().any(|w| *w);
            view! {
                {why_not_run.map(|why| view! { <p class="cases-not-run">{inline_code(&why)}</p> })}
                {said_once}
                {move || withheld_now().then(|| view! {
                    <p class="cases-hidden-note">"Hidden cases keep their values (and anything they printed) to themselves until every case passes or you show the solution; a failing one still says what went wrong."</p>
                })}
                <ol class="cases">
                    {cases
                        .into_iter()
                        .zip(said_above)
                        .map(|(case, said_above)| view! { <CaseView case all_passed solution_revealed said_above/> })
                        .collect_view()}
                </ol>
            }
            .into_any()
        }
    };
    view! {
        {body}
        {printed("Printed outside functions", &output, output_omitted)}
    }
}

/// Which sentences of a case's message are said above the list instead: its `first` ones, and
/// every one after the first `rest` (what it goes on with), if that is said too.
#[derive(Clone, Copy, Default)]
struct Said {
    first: usize,
    rest: Option<usize>,
}

impl Said {
    /// What `text` says that is not said above.
    fn left_of(self, text: &str) -> &str {
        let start = text.len() - after_sentences(text, self.first).len();
        let end = self.rest.map_or(text.len(), |kept| first_sentences(text, kept).len());
        text.get(start..end).map_or("", str::trim)
    }
}

/// What every failing case says alike, said once above them.
#[derive(Clone)]
struct Shared {
    text: String,
    /// How many of each case's sentences it stands for.
    sentences: usize,
    /// Whether it is all that every case says.
    whole: bool,
    /// What the cases that go on say next, when at least two do and all say the same (where a
    /// fold then stopped), and the names of the failing cases that stop before it: said once too.
    then: Option<(String, Vec<String>)>,
}

/// The sentences every failing case begins with alike, when there are at least two: first as
/// each shows them (a hidden case its note while its details are hidden, the others their
/// message), else as their notes word them (what went wrong without the values), whose sentences
/// a message repeats with the values in. So a starter that fails every case one way says it once,
/// not once worded with values and once without, and a mistake that breaks every case before its
/// own error (a state built anew) is said once, each case going on with where it then stopped; a
/// visible case's values still show in its own expected-and-actual.
fn shared_message(failing: &[&CaseResult], all_passed: bool, solution_revealed: bool) -> Option<Shared> {
    let shown: Vec<String> =
        failing.iter().map(|case| case.note_while_hidden(all_passed, solution_revealed).unwrap_or(&case.message).to_owned()).collect();
    let alike = |texts: &[String]| {
        let (first, rest) = texts.split_first()?;
        if rest.is_empty() || first.is_empty() {
            return None;
        }
        let most = texts.iter().map(|text| sentence_starts(text).len() + 1).min().unwrap_or(0);
        let sentences = (1..=most).take_while(|&k| rest.iter().all(|text| first_sentences(text, k) == first_sentences(first, k))).last()?;
        Some((first_sentences(first, sentences).to_owned(), sentences))
    };
    let notes: Vec<String> = failing.iter().map(|case| case.note.clone()).collect();
    let (text, sentences) = alike(&shown).or_else(|| alike(&notes))?;
    let rests: Vec<&str> = shown.iter().map(|text| after_sentences(text, sentences)).filter(|rest| !rest.is_empty()).collect();
    let then = match rests.split_first() {
        Some((first, others)) if !others.is_empty() && others.iter().all(|rest| rest == first) => {
            let stopped = failing.iter().zip(&shown).filter(|(_, text)| after_sentences(text, sentences).is_empty());
            Some((first.to_string(), stopped.map(|(case, _)| case.name.clone()).collect()))
        }
        _ => None,
    };
    Some(Shared { text, sentences, whole: rests.is_empty(), then })
}

/// Where each sentence after the first begins: after ". " and at a capital letter (so "e.g. `x`"
/// does not end one).
fn sentence_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    (2..bytes.len()).filter(|&i| bytes[i - 2] == b'.' && bytes[i - 1] == b' ' && bytes[i].is_ascii_uppercase()).collect()
}

/// The first `count` sentences of `text`.
fn first_sentences(text: &str, count: usize) -> &str {
    match count.checked_sub(1).and_then(|k| sentence_starts(text).get(k).copied()) {
        Some(end) => text[..end].trim_end(),
        None if count == 0 => "",
        None => text,
    }
}

/// What `text` says after its first `count` sentences.
fn after_sentences(text: &str, count: usize) -> &str {
    match count.checked_sub(1).map(|k| sentence_starts(text).get(k).copied()) {
        None => text,
        Some(Some(start)) => &text[start..],
        Some(None) => "",
    }
}

/// Lines learner code printed, folded under `title`, with a count that says when some were not
/// kept (the sandbox caps them).
fn printed(title: &str, lines: &[String], omitted: usize) -> Option<impl IntoView> {
    if lines.is_empty() && omitted == 0 {
        return None;
    }
    let total = crate::plural::count(lines.len() + omitted, "line");
    let summary = match omitted {
        0 => format!("{title} ({total})"),
        _ => format!("{title} ({total}, the first {} shown)", lines.len()),
    };
    let more = (omitted > 0).then(|| format!("\n… {omitted} more not shown"));
    Some(view! {
        <details class="printed">
            <summary>{summary}</summary>
            <pre>{lines.join("\n")}{more}</pre>
        </details>
    })
}

/// An error that stopped learner code: where, what, and Rhai's own words for the curious.
#[component]
fn ErrorBox(error: ScriptError) -> impl IntoView {
    let heading = error.heading();
    view! {
        <div class="script-error">
            <p class="script-error-title">{heading}</p>
            <p>{inline_code(&error.message)}</p>
            {(!error.detail.is_empty()).then(|| view! {
                <details><summary>"The interpreter's words"</summary><p><code>{error.detail.clone()}</code></p></details>
            })}
        </div>
    }
}

/// One case: its name and verdict, then (unless it did not run) what went wrong, but for the
/// sentences said once above the list for every failing case (`said_above`: which, while
/// hidden cases' details are hidden, and once they are shown), and its values.
#[component]
fn CaseView(case: CaseResult, all_passed: bool, solution_revealed: Signal<bool>, said_above: (Said, Said)) -> impl IntoView {
    let said_above = move || if solution_revealed.get() { said_above.1 } else { said_above.0 };
    let (mark, verdict, class) = match (case.passed, case.not_run) {
        (true, _) => ("✓", "passed", "case pass"),
        // Skipped after an earlier case ran into a limit: neither passed nor failed.
        (false, true) => ("–", "not run", "case not-run"),
        (false, false) => ("✗", "failed", "case fail"),
    };
    let hidden = case.hidden;
    let millis = case.millis.map(|ms| if ms < 1.0 { "under 1 ms".to_owned() } else { format!("{} ms", crate::duration::fixed(ms, 0)) });
    let not_run = case.not_run;
    let case = StoredValue::new(case);
    let detail = move || {
        // Nothing to show but its name: the reason stands once above the list.
        if not_run {
            return ().into_any();
        }
        let show = case.with_value(|c| c.shows_detail(all_passed, solution_revealed.get()));
        if !show {
            // What went wrong, without the case's values, so a failing hidden case still gives
            // the learner something to go on.
            let note = case.with_value(|c| c.note_while_hidden(all_passed, solution_revealed.get()).map(str::to_owned));
            let note = note.map(|note| said_above().left_of(&note).to_owned()).filter(|note| !note.is_empty());
            return view! {
                {note.map(|note| view! { <p class="case-message">{inline_code(&note)}</p> })}
            }
            .into_any();
        }
        // A hidden case's printed lines can show its data: they come with its details.
        let output = case.with_value(|c| {
            let lines = c.output_shown(all_passed, solution_revealed.get()).to_vec();
            printed("Printed while this case ran", &lines, c.output_omitted)
        });
        let said_above = said_above();
        view! { {case.with_value(|c| case_detail(c, said_above))} {output} }.into_any()
    };
    view! {
        <li class=class>
            <p class="case-head">
                <span class="case-mark" aria-hidden="true">{mark}</span>
                <span class="case-name">{case.with_value(|c| c.name.clone())}</span>
                <span class="case-verdict">{verdict}</span>
                {hidden.then(|| view! { <span class="case-badge">"hidden"</span> })}
                {millis.map(|text| view! { <span class="case-time">{text}</span> })}
            </p>
            {detail}
        </li>
    }
}

/// A case's message (but for the sentences `said_above`, once for every failing case), inputs,
/// and expected and actual values.
fn case_detail(case: &CaseResult, said_above: Said) -> impl IntoView {
    let message = said_above.left_of(&case.message);
    let message = (!case.passed && !message.is_empty()).then(|| view! { <p class="case-message">{inline_code(message)}</p> });
    // A passed case keeps its input folded; a failed one shows it.
    let inputs = case.input.iter().map(|argument| input_view(argument, !case.passed)).collect_view();
    // A case that did not run has no result to set beside the expected one.
    let compare = (!case.passed && !case.not_run).then(|| compare(&case.expected, case.actual.as_ref(), &case.differences));
    view! { {message} <div class="case-inputs">{inputs}</div> {compare} }
}

fn input_view(argument: &Argument, unfold: bool) -> impl IntoView {
    let count = match &argument.value {
        Value::Array(items) => Some(items.len() + argument.omitted),
        _ => None,
    };
    let label = match count {
        Some(1) => format!("{}: 1 item", argument.name),
        Some(n) => format!("{}: {n} items", argument.name),
        None => argument.name.clone(),
    };
    let text: Vec<String> = lines(&argument.value).into_iter().map(|line| line.text).collect();
    let more = (argument.omitted > 0).then(|| format!("\n    … and {} more", argument.omitted));
    let open = unfold && count.is_none_or(|n| n <= OPEN_ITEMS);
    view! {
        <details class="case-input" open=open>
            <summary>{label}</summary>
            <pre class="value">{text.join("\n")}{more}</pre>
        </details>
    }
}

/// Expected and actual side by side; a line that differs starts with `≠` and is highlighted.
fn compare(expected: &Value, actual: Option<&Value>, differences: &[Difference]) -> impl IntoView {
    let column = |title: &'static str, value: Option<&Value>| {
        let body = match value {
            Some(value) => lines_expanded(value)
                .into_iter()
                .map(|line| {
                    let differs = line_differs(&line, differences);
                    view! {
                        <span class="value-line" class:differs=differs>
                            <span class="value-mark">{if differs { "≠ " } else { "  " }}</span>
                            {line.text}
                        </span>
                    }
                })
                .collect_view()
                .into_any(),
            None => view! { <span class="value-line">"(nothing)"</span> }.into_any(),
        };
        view! {
            <figure class="compare-side">
                <figcaption>{title}</figcaption>
                <pre class="value">{body}</pre>
            </figure>
        }
    };
    view! {
        <div class="compare">
            {column("Expected", Some(expected))}
            {column("Your result", actual)}
        </div>
    }
}

/// Text with `code` in backticks, as hints, takeaways and case messages are written.
pub fn inline_code(text: &str) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(|(index, piece)| {
            let piece = piece.to_owned();
            if index % 2 == 1 { view! { <code>{piece}</code> }.into_any() } else { piece.into_any() }
        })
        .collect_view()
}
