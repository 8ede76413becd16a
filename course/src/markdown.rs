//! Lesson text to HTML: CommonMark with tables and strikethrough, no raw HTML, and links made relative
//! to the app's `<base href>` so one build works at the site root and under a sub-path.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Errors;
use crate::model::{InternalLink, PAGES};

/// Where checked text reports its problems and the internal links it makes.
pub struct Sink<'a> {
    /// The file being parsed, for error messages.
    pub file: &'a str,
    /// Problems found so far.
    pub errors: &'a mut Errors,
    /// Internal links found so far, checked against the course's slugs later.
    pub links: &'a mut Vec<InternalLink>,
}

/// How the lines of an inline text are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Each line shows on its own line (`<br />` between them): question prompts.
    Kept,
    /// The lines flow together as one paragraph: explanations.
    Flowing,
}

/// The Markdown extensions lesson text may use, beyond CommonMark.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders checked events to HTML.
pub fn render<'e>(events: impl IntoIterator<Item = Event<'e>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// Checks one event of lesson prose: refuses raw HTML and page-level headings, records internal links
/// and makes their addresses base-relative. Returns the event to render.
pub fn check<'e>(sink: &mut Sink<'_>, event: Event<'e>, line: usize) -> Event<'e> {
    match event {
        Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => {
            sink.errors.at(
                sink.file,
                line,
                "raw HTML is not allowed in lessons: write Markdown instead, put code in backticks, or escape a literal `<` as `\\<`",
            );
            event
        }
        Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => {
            sink.errors.at(sink.file, line, "a `#` heading: the title is the page's only top-level heading, so sections start at `##`");
            event
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest_url = match link_type {
                // An e-mail autolink's address gets its `mailto:` from the renderer.
                LinkType::Email => dest_url,
                _ => address(sink, dest_url, line, true),
            };
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let dest_url = address(sink, dest_url, line, false);
            Event::Start(Tag::Image { link_type, dest_url, title, id })
        }
        other => other,
    }
}

/// Renders a few lines of quiz text (a question, an option, an explanation) as inline HTML, without the
/// paragraph around it. `lines` pairs each line of the file with its number.
pub fn inline(sink: &mut Sink<'_>, lines: &[(usize, &str)], join: Lines) -> String {
    let Some(&(first_line, _)) = lines.first() else { return String::new() };
    // Each line is read as the inside of one paragraph: a leading `1.`, `-` or `#` is text, not a list
    // or a heading, so `1. opened, 2. deposited` stays what the writer typed.
    let source = lines.iter().map(|(_, text)| escape_block_start(text.trim())).collect::<Vec<_>>().join("\n");
    let mut events = Vec::new();
    let (mut paragraphs, mut inside, mut stray) = (0, false, false);
    for (event, range) in Parser::new_ext(&source, options()).into_offset_iter() {
        let line = lines.get(source[..range.start].matches('\n').count()).map_or(first_line, |(n, _)| *n);
        match event {
            Event::Start(Tag::Paragraph) if !inside => {
                (paragraphs, inside) = (paragraphs + 1, true);
                continue;
            }
            Event::End(TagEnd::Paragraph) if inside => {
                inside = false;
                continue;
            }
            _ if !inside => stray = true,
            _ => {}
        }
        let event = match event {
            Event::SoftBreak if join == Lines::Kept => Event::HardBreak,
            other => other,
        };
        events.push(check(sink, event, line));
    }
    if paragraphs != 1 || stray {
        sink.errors.at(
            sink.file,
            first_line,
            "this quiz text does not read as one piece of inline Markdown (text, `code`, *emphasis*, links): keep it to plain lines",
        );
    }
    render(events).trim_end().to_string()
}

/// Checks a link or image address and rewrites a root-relative one (`/log`, `/lessons/fold`) to be
/// relative to `<base href>` (`log`, `lessons/fold`).
fn address<'e>(sink: &mut Sink<'_>, dest: CowStr<'e>, line: usize, is_link: bool) -> CowStr<'e> {
    let problem = match dest.as_ref() {
        "" => Some("a link with no address: write one between the parentheses, like [your event log](/log)".to_string()),
        d if d.starts_with("//") => Some(format!("`{d}` leaves out the scheme: write the full https:// address")),
        d if d.starts_with('/') => {
            let path = crate::model::page_path(d);
            if is_link {
                if PAGES.contains(&path) || path.strip_prefix("/lessons/").is_some_and(|slug| !slug.is_empty() && !slug.contains('/')) {
                    sink.links.push(InternalLink { target: d.to_string(), line });
                } else {
                    sink.errors.at(sink.file, line, format!("link to `{d}`: there is no such page; link to /, /log, /sandbox or /lessons/<slug>"));
                }
            }
            let relative = &d[1..];
            return if relative.is_empty() || relative.starts_with(['#', '?']) { format!("./{relative}") } else { relative.to_string() }.into();
        }
        d if d.starts_with('#') => Some(format!(
            "`{d}` would resolve against the site's base address, not this page, and lessons have no heading anchors: link to a page instead, like /lessons/fold"
        )),
        d => match scheme(d) {
            Some("https" | "http" | "mailto") => None,
            Some(other) => Some(format!("`{d}`: links may use https://, http:// or mailto:, not {other}:")),
            None => Some(format!(
                "`{d}` is relative to wherever the reader is: write addresses inside the course from the site root, like /lessons/fold or /log"
            )),
        },
    };
    if let Some(problem) = problem {
        sink.errors.at(sink.file, line, problem);
    }
    dest
}

/// The scheme of an absolute URL (`https` in `https://…`).
fn scheme(address: &str) -> Option<&str> {
    let (scheme, _) = address.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Escapes what would make a line start a block (list item, heading, quote, fence, rule) rather than
/// continue a paragraph. Anything else is left as written.
fn escape_block_start(line: &str) -> String {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let after = |n: usize| line[n..].chars().next();
    let marker_ends = |n: usize| after(n).is_none_or(char::is_whitespace);
    let only = |c: char| line.chars().all(|x| x == c || x == ' ' || x == '\t');
    let first = line.chars().next();
    if (1..=9).contains(&digits) && matches!(after(digits), Some('.' | ')')) && marker_ends(digits + 1) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    let escape_first = match first {
        Some('#' | '>') => true,
        Some(c @ ('-' | '+' | '*')) => marker_ends(1) || only(c),
        Some(c @ ('_' | '=')) => only(c),
        Some(c @ ('`' | '~')) => line.starts_with(&c.to_string().repeat(3)),
        _ => false,
    };
    if escape_first {
        format!("\\{line}")
    } else {
        line.to_string()
    }
}
