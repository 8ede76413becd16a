//! The `---` block at the top of a lesson file: `title` and `summary`, nothing else.

use crate::diagnostic::Errors;

/// The front matter's values, and where the Markdown body starts.
#[derive(Debug)]
pub struct FrontMatter<'a> {
    /// `title:`, empty when missing (an error is recorded).
    pub title: String,
    /// `summary:`, empty when missing (an error is recorded).
    pub summary: String,
    /// Everything after the closing `---`.
    pub body: &'a str,
    /// The 1-based line of the file on which `body` starts.
    pub body_line: usize,
}

const SHAPE: &str = "a lesson file starts with front matter: a `---` line, `title: …`, `summary: …`, and a closing `---` line";

/// Splits the front matter from the body, recording every problem in `errors`.
pub fn split<'a>(file: &str, text: &'a str, errors: &mut Errors) -> FrontMatter<'a> {
    let mut front = FrontMatter { title: String::new(), summary: String::new(), body: text, body_line: 1 };
    if text.lines().next().map(str::trim_end) != Some("---") {
        errors.at(file, 1, format!("no front matter: {SHAPE}"));
        return front;
    }
    let mut offset = text.find('\n').map_or(text.len(), |n| n + 1);
    if !text[offset..].lines().any(|line| line.trim_end() == "---") {
        errors.at(file, 1, format!("the front matter is never closed: {SHAPE}"));
        front.body = "";
        return front;
    }
    let mut seen_title = false;
    let mut seen_summary = false;
    for (index, raw) in text[offset..].split_inclusive('\n').enumerate() {
        let line = index + 2;
        offset += raw.len();
        let content = raw.trim_end();
        if content == "---" {
            front.body = &text[offset..];
            front.body_line = line + 1;
            if !seen_title {
                errors.at(file, line, "the front matter has no `title:`; add `title: <the page title>` above this line");
            }
            if !seen_summary {
                errors.at(file, line, "the front matter has no `summary:`; add `summary: <one line for the home page>` above this line");
            }
            break;
        }
        if content.is_empty() {
            continue;
        }
        let Some((key, value)) = content.split_once(':') else {
            errors.at(file, line, format!("expected `title: …` or `summary: …` in the front matter, found `{content}`"));
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        let (seen, slot) = match key {
            "title" => (&mut seen_title, &mut front.title),
            "summary" => (&mut seen_summary, &mut front.summary),
            other => {
                errors.at(file, line, format!("unknown front matter key `{other}`: only `title` and `summary` are allowed"));
                continue;
            }
        };
        if *seen {
            errors.at(file, line, format!("`{key}` is given twice in the front matter; keep one"));
        } else if value.is_empty() {
            errors.at(file, line, format!("`{key}` is empty; write it on the same line, after the colon"));
        }
        *seen = true;
        *slot = value.to_string();
    }
    front
}
