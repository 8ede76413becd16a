//! Syntax colouring for code: one tokenizer for lesson code blocks and the exercise editor,
//! so both share one palette per theme.

/// The kind of a token, which picks its colour (`tok-<kind>` in the stylesheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text and punctuation.
    Plain,
    /// A keyword of the language.
    Keyword,
    /// A string or character literal.
    String,
    /// A number.
    Number,
    /// A comment.
    Comment,
    /// A function name at a call or definition.
    Function,
    /// A map key or property (`amount:`, `.balance`).
    Property,
}

impl Kind {
    /// The CSS class for this kind, or none for plain text.
    pub fn class(self) -> Option<&'static str> {
        match self {
            Kind::Plain => None,
            Kind::Keyword => Some("tok-keyword"),
            Kind::String => Some("tok-string"),
            Kind::Number => Some("tok-number"),
            Kind::Comment => Some("tok-comment"),
            Kind::Function => Some("tok-function"),
            Kind::Property => Some("tok-property"),
        }
    }
}

const RHAI_KEYWORDS: &[&str] = &[
    "fn", "let", "const", "if", "else", "for", "in", "while", "loop", "do", "until", "break",
    "continue", "return", "throw", "try", "catch", "switch", "true", "false", "this", "is_def_var",
    "type_of", "print", "debug",
];
const RUST_KEYWORDS: &[&str] = &[
    "fn", "let", "mut", "const", "if", "else", "for", "in", "while", "loop", "match", "break",
    "continue", "return", "pub", "struct", "enum", "impl", "trait", "use", "mod", "self", "Self",
    "true", "false", "where", "as", "ref", "move", "dyn", "type", "crate", "Some", "None", "Ok",
    "Err",
];

/// Splits `source` into coloured tokens for the language `lang` (`rhai`, `rust`, `json`, other: plain).
/// The tokens concatenate back to exactly `source`.
pub fn tokens<'a>(lang: &str, source: &'a str) -> Vec<(Kind, &'a str)> {
    let keywords: &[&str] = match lang {
        "rhai" => RHAI_KEYWORDS,
        "rust" => RUST_KEYWORDS,
        "json" => &["true", "false", "null"],
        _ => return vec![(Kind::Plain, source)],
    };
    let bytes = source.as_bytes();
    let mut spans: Vec<(Kind, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let kind = if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            i = find_from(bytes, i, b'\n');
            Kind::Comment
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = source[i + 2..].find("*/").map_or(bytes.len(), |end| i + 2 + end + 2);
            Kind::Comment
        } else if c == b'"' || c == b'`' {
            i = end_of_string(bytes, i, c);
            if lang == "json" && next_non_space(bytes, i) == Some(b':') {
                Kind::Property
            } else {
                Kind::String
            }
        } else if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            Kind::Number
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &source[start..i];
            let after = next_non_space(bytes, i);
            let before = source[..start].trim_end().as_bytes().last().copied();
            if keywords.contains(&word) {
                Kind::Keyword
            } else if after == Some(b'(') {
                Kind::Function
            } else if before == Some(b'.') || (after == Some(b':') && bytes.get(i + 1) != Some(&b':')) {
                Kind::Property
            } else {
                Kind::Plain
            }
        } else {
            // Advance by a whole character so multi-byte text (€) is never split.
            i += source[i..].chars().next().map_or(1, char::len_utf8);
            Kind::Plain
        };
        match spans.last_mut() {
            // Runs of plain characters merge into one token, so the view makes fewer nodes.
            Some((Kind::Plain, _, end)) if kind == Kind::Plain => *end = i,
            _ => spans.push((kind, start, i)),
        }
    }
    spans.into_iter().map(|(kind, start, end)| (kind, &source[start..end])).collect()
}

fn find_from(bytes: &[u8], from: usize, byte: u8) -> usize {
    bytes[from..].iter().position(|&b| b == byte).map_or(bytes.len(), |p| from + p)
}

fn end_of_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' if quote == b'"' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn next_non_space(bytes: &[u8], from: usize) -> Option<u8> {
    bytes[from.min(bytes.len())..].iter().copied().find(|b| *b != b' ' && *b != b'\t')
}
