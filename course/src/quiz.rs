//! The body of a `quiz` block: `? question` lines, `- [ ]`/`- [x]` options, `  > explanation` lines.

use crate::markdown::{self, Lines, Sink};
use crate::model::{Choice, Question};

/// The fewest questions a quiz may have.
pub const MIN_QUESTIONS: usize = 3;

/// Parses a quiz body whose first line is line `first_line` of the file, for the lesson `slug`.
/// The block's fence is on `fence_line`. Problems go to `sink`; the questions found are returned.
pub fn parse(sink: &mut Sink<'_>, slug: &str, body: &str, first_line: usize, fence_line: usize) -> Vec<Question> {
    let mut drafts: Vec<Draft<'_>> = Vec::new();
    for (index, raw) in body.lines().enumerate() {
        let line = first_line + index;
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let current = drafts.last_mut();
        if let Some(prompt) = text.strip_prefix('?') {
            if !prompt.is_empty() && !prompt.starts_with(' ') {
                sink.errors.at(sink.file, line, "a question starts with `? ` (a question mark and a space)");
            }
            drafts.push(Draft { line, prompt: vec![(line, prompt.trim())], options: Vec::new() });
        } else if let Some((correct, option)) = option(text) {
            match current {
                Some(draft) => draft.options.push(DraftOption { line, correct, text: option.trim(), explanation: Vec::new() }),
                None => sink.errors.at(sink.file, line, "an option before any question: a quiz starts with a `? question` line"),
            }
        } else if let Some(explanation) = text.strip_prefix('>') {
            match current.and_then(|draft| draft.options.last_mut()) {
                Some(option) => option.explanation.push((line, explanation.trim())),
                None => sink.errors.at(sink.file, line, "an explanation (`  > …`) belongs under the option it explains"),
            }
        } else if text.starts_with(['-', '*', '+']) {
            sink.errors.at(sink.file, line, format!("`{text}` is not an option: write `- [ ] text` for a wrong option or `- [x] text` for the right one"));
        } else {
            match current {
                Some(draft) if draft.options.is_empty() => draft.prompt.push((line, text)),
                Some(_) => sink.errors.at(
                    sink.file,
                    line,
                    format!("`{text}` after an option: an explanation line starts with `  > `, a new question with `? `"),
                ),
                None => sink.errors.at(sink.file, line, "a quiz starts with a question: a line `? <the question>`"),
            }
        }
    }
    if drafts.len() < MIN_QUESTIONS {
        sink.errors.at(
            sink.file,
            fence_line,
            format!("the quiz has {} question(s); a quiz needs at least {MIN_QUESTIONS}", drafts.len()),
        );
    }
    drafts.into_iter().enumerate().map(|(n, draft)| draft.finish(sink, format!("{slug}/q{}", n + 1))).collect()
}

struct Draft<'a> {
    line: usize,
    prompt: Vec<(usize, &'a str)>,
    options: Vec<DraftOption<'a>>,
}

struct DraftOption<'a> {
    line: usize,
    correct: bool,
    text: &'a str,
    explanation: Vec<(usize, &'a str)>,
}

impl Draft<'_> {
    /// Checks the question and renders its text.
    fn finish(self, sink: &mut Sink<'_>, id: String) -> Question {
        if self.prompt.iter().all(|(_, text)| text.is_empty()) {
            sink.errors.at(sink.file, self.line, "a question with no text: write it after the `? `");
        }
        let prompt: Vec<_> = self.prompt.into_iter().filter(|(_, text)| !text.is_empty()).collect();
        let right: Vec<_> = self.options.iter().filter(|o| o.correct).map(|o| o.line.to_string()).collect();
        if self.options.len() < 2 {
            sink.errors.at(sink.file, self.line, format!("question {id} has {} option(s); give it at least two", self.options.len()));
        } else if right.is_empty() {
            sink.errors.at(sink.file, self.line, format!("question {id} has no right option: mark exactly one with `- [x]`"));
        } else if right.len() > 1 {
            sink.errors.at(
                sink.file,
                self.line,
                format!("question {id} has {} right options (lines {}): mark exactly one with `- [x]`", right.len(), right.join(", ")),
            );
        }
        let choices = self.options.into_iter().map(|option| option.finish(sink)).collect();
        Question { id, prompt_html: prompt_html(sink, &prompt), choices }
    }
}

/// A question's text, its lines kept as written, except that two or more last lines numbered `1.`,
/// `2.`, … in order become a numbered list (the events a question asks about), so that on a narrow
/// screen an event that wraps stays indented under its number.
fn prompt_html(sink: &mut Sink<'_>, prompt: &[(usize, &str)]) -> String {
    fn item(n: usize, text: &str) -> Option<&str> {
        text.trim().strip_prefix(&format!("{n}. ")).map(str::trim)
    }
    let is_list = |lines: &[(usize, &str)]| lines.len() >= 2 && lines.iter().zip(1..).all(|((_, text), n)| item(n, text).is_some());
    let Some(start) = (1..prompt.len()).find(|&start| is_list(&prompt[start..])) else {
        return markdown::inline(sink, prompt, Lines::Kept);
    };
    let question = markdown::inline(sink, &prompt[..start], Lines::Kept);
    let items: String = prompt[start..]
        .iter()
        .zip(1..)
        .filter_map(|(&(line, text), n)| Some(format!("<li>{}</li>", markdown::inline(sink, &[(line, item(n, text)?)], Lines::Flowing))))
        .collect();
    format!("{question}<ol class=\"prompt-list\">{items}</ol>")
}

impl DraftOption<'_> {
    fn finish(self, sink: &mut Sink<'_>) -> Choice {
        let html = if self.text.is_empty() {
            sink.errors.at(sink.file, self.line, "an option with no text: write it after `- [ ] ` or `- [x] `");
            String::new()
        } else {
            markdown::inline(sink, &[(self.line, self.text)], Lines::Flowing)
        };
        let explanation: Vec<_> = self.explanation.into_iter().filter(|(_, text)| !text.is_empty()).collect();
        if explanation.is_empty() {
            sink.errors.at(sink.file, self.line, "this option has no explanation: add a line `  > why it is right or wrong` under it");
        }
        Choice {
            html,
            correct: self.correct,
            explanation_html: markdown::inline(sink, &explanation, Lines::Flowing),
        }
    }
}

/// `- [ ] text` → `(false, "text")`, `- [x] text` → `(true, "text")`.
fn option(line: &str) -> Option<(bool, &str)> {
    let rest = line.strip_prefix("- [")?;
    let (mark, text) = rest.split_at_checked(1)?;
    let text = text.strip_prefix(']')?;
    if !(text.is_empty() || text.starts_with(' ')) {
        return None;
    }
    match mark {
        " " => Some((false, text)),
        "x" | "X" => Some((true, text)),
        _ => None,
    }
}
