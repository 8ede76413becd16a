//! One lesson file to a checked [`Lesson`]: the file name, the front matter, then the body cut into
//! prose and placed blocks at its top-level fences.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::diagnostic::Errors;
use crate::front_matter;
use crate::markdown::{self, Sink};
use crate::model::{Block, Lesson, CODE_LANGUAGES, EXERCISES, WIDGETS};
use crate::quiz;

/// Parses and checks one lesson. `file` is its path (the name must be `NN-slug.md`) and is quoted in
/// every error; `text` is its content. Links to other lessons are checked by [`crate::course`].
pub fn parse(file: &str, text: &str) -> Result<Lesson, Errors> {
    let (lesson, errors) = read(file, text);
    errors.or_ok(lesson)
}

/// Parses one lesson as far as it goes: the lesson and every problem found, so that the course can
/// still check the links of a lesson that has other problems.
pub(crate) fn read(file: &str, text: &str) -> (Lesson, Errors) {
    let mut errors = Errors::default();
    let (number, slug) = file_name(file).unwrap_or_else(|| {
        errors.in_file(
            file,
            "a lesson file is named `NN-slug.md`: two digits for its place in the course, a dash, then lower-case words joined by dashes (`01-fold.md`)",
        );
        (0, String::new())
    });
    let text = text.replace("\r\n", "\n");
    let front = front_matter::split(file, &text, &mut errors);
    let mut links = Vec::new();
    let mut sink = Sink { file, errors: &mut errors, links: &mut links };
    let blocks = body(&mut sink, &slug, front.body, front.body_line);
    // Quiz text is rendered question by question, options first: keep the links in reading order.
    links.sort_by_key(|link| link.line);
    (Lesson { number, slug, title: front.title, summary: front.summary, blocks, links }, errors)
}

/// `01-fold.md` (in any folder) → `(1, "fold")`.
pub fn file_name(path: &str) -> Option<(u32, String)> {
    let name = path.rsplit(['/', '\\']).next()?;
    let stem = name.strip_suffix(".md")?;
    let (number, slug) = stem.split_once('-')?;
    let number_ok = number.len() == 2 && number.bytes().all(|b| b.is_ascii_digit());
    let slug_ok = slug.split('-').all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if !(number_ok && slug_ok) {
        return None;
    }
    Some((number.parse().ok()?, slug.to_string()))
}

/// A fenced (or indented) block being read.
struct Fence {
    /// The info string; `None` for an indented code block.
    info: Option<String>,
    /// The line of the opening fence.
    line: usize,
    /// Whether it sits inside a list, a quote or a table rather than at the top level.
    nested: bool,
    body: String,
}

/// Cuts the body into blocks: prose between top-level fences, each fence placed as a block.
fn body(sink: &mut Sink<'_>, slug: &str, body: &str, body_line: usize) -> Vec<Block> {
    let line_of = line_finder(body, body_line);
    let mut blocks = Vec::new();
    let mut prose = Vec::new();
    let mut depth = 0usize;
    let mut fence: Option<Fence> = None;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        let line = line_of(range.start);
        if let Some(open) = fence.as_mut() {
            match event {
                Event::Text(text) => open.body.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(block) = fence.take().and_then(|closed| place(sink, slug, closed, &blocks)) {
                        blocks.push(block);
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info.to_string()),
                    CodeBlockKind::Indented => None,
                };
                fence = Some(Fence { info, line, nested: depth > 0, body: String::new() });
                if depth == 0 {
                    flush(&mut prose, &mut blocks);
                }
            }
            Event::Start(_) => {
                depth += 1;
                prose.push(markdown::check(sink, event, line));
            }
            Event::End(_) => {
                depth -= 1;
                prose.push(event);
            }
            other => prose.push(markdown::check(sink, other, line)),
        }
    }
    flush(&mut prose, &mut blocks);
    blocks
}

/// The line of the file at a byte offset of `text`, whose first line is the file's `first_line`.
fn line_finder(text: &str, first_line: usize) -> impl Fn(usize) -> usize {
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    move |offset| first_line + line_starts.partition_point(|&start| start <= offset) - 1
}

/// Ends a stretch of prose: renders it as one HTML block, if it has anything to show.
fn flush(prose: &mut Vec<Event<'_>>, blocks: &mut Vec<Block>) {
    if !prose.is_empty() {
        blocks.push(Block::Html(markdown::render(prose.drain(..))));
    }
}

/// Turns a finished fence into its block, or records why it cannot be one.
fn place(sink: &mut Sink<'_>, slug: &str, fence: Fence, before: &[Block]) -> Option<Block> {
    let line = fence.line;
    let Some(info) = fence.info else {
        sink.errors.at(
            sink.file,
            line,
            "text indented by four spaces is read as code: remove the indentation, or make it a fenced block with a language (```text)",
        );
        return None;
    };
    if fence.nested {
        sink.errors.at(sink.file, line, "a fenced block inside a list, quote or table: move it out, to the start of a line of its own");
        return None;
    }
    let words: Vec<&str> = info.split_whitespace().collect();
    let empty_body = |sink: &mut Sink<'_>, what: &str| {
        if !fence.body.trim().is_empty() {
            sink.errors.at(sink.file, line + 1, format!("a `{what}` block has an empty body: remove the lines between its fences"));
        }
    };
    match words.as_slice() {
        [] => sink.errors.at(sink.file, line, format!("a code fence with no name: {FENCE_NAMES}")),
        [lang] if CODE_LANGUAGES.contains(lang) => {
            let source = fence.body.strip_suffix('\n').unwrap_or(&fence.body);
            if source.trim().is_empty() {
                sink.errors.at(sink.file, line, "an empty code block: add the code or remove the fences");
            }
            return Some(Block::Code { lang: lang.to_string(), source: source.to_string() });
        }
        [lang, ..] if CODE_LANGUAGES.contains(lang) => {
            sink.errors.at(sink.file, line, format!("write just ```{lang}: nothing may follow the language"))
        }
        ["widget", name] => {
            empty_body(sink, "widget");
            if WIDGETS.contains(name) {
                return Some(Block::Widget(name.to_string()));
            }
            sink.errors.at(sink.file, line, format!("unknown widget `{name}`; the widgets are {}", WIDGETS.join(", ")));
        }
        ["exercise", id] => {
            empty_body(sink, "exercise");
            if EXERCISES.contains(id) {
                return Some(Block::Exercise(id.to_string()));
            }
            sink.errors.at(sink.file, line, format!("unknown exercise `{id}`; the exercises are {}", EXERCISES.join(", ")));
        }
        [kind @ ("widget" | "exercise")] => sink.errors.at(sink.file, line, format!("name the {kind}: ```{kind} <name>")),
        [kind @ ("widget" | "exercise"), ..] => sink.errors.at(sink.file, line, format!("one name per block: ```{kind} <name>")),
        ["quiz"] => {
            if before.iter().any(|block| matches!(block, Block::Quiz(_))) {
                sink.errors.at(sink.file, line, "a second quiz: a lesson has one quiz, so move these questions into the first");
            }
            return Some(Block::Quiz(quiz::parse(sink, slug, &fence.body, line + 1, line)));
        }
        ["quiz", ..] => sink.errors.at(sink.file, line, "write just ```quiz: a quiz block takes no name"),
        ["aside"] => sink.errors.at(sink.file, line, "give the aside its title: ```aside Under the hood"),
        ["aside", title @ ..] => return Some(Block::Html(aside(sink, &title.join(" "), &fence.body, line + 1))),
        [other, ..] => sink.errors.at(sink.file, line, format!("unknown fence name `{other}`: {FENCE_NAMES}")),
    }
    None
}

const FENCE_NAMES: &str = "code fences are ```rhai, ```rust, ```json or ```text, and placed blocks are ```widget <name>, \
     ```exercise <id>, ```quiz or ```aside <title>";

/// An aside: prose a learner may skip (how the course's own code does something), folded under
/// its title until opened. Its body is lesson prose, checked as such; code belongs outside it.
fn aside(sink: &mut Sink<'_>, title: &str, body: &str, first_line: usize) -> String {
    let line_of = line_finder(body, first_line);
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        let line = line_of(range.start);
        if let Event::Start(Tag::CodeBlock(_)) = event {
            sink.errors.at(sink.file, line, "code inside an aside: keep asides to prose, and put the code before or after it");
        }
        events.push(markdown::check(sink, event, line));
    }
    if events.is_empty() {
        sink.errors.at(sink.file, first_line - 1, "an empty aside: write its text between the fences, or remove it");
    }
    let title = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!("<details class=\"aside\"><summary>{title}</summary>{}</details>", markdown::render(events))
}
