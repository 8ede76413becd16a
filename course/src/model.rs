//! The course as typed data: what one lesson file means once parsed and checked.

/// One lesson, parsed from `lessons/NN-slug.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The `NN` of the file name: the lesson's place in the course.
    pub number: u32,
    /// The address segment (`/lessons/<slug>`), from the file name.
    pub slug: String,
    /// Page title and heading, from the front matter.
    pub title: String,
    /// The one line under the lesson's name on the home page, from the front matter.
    pub summary: String,
    /// The body in reading order.
    pub blocks: Vec<Block>,
    /// Every link inside the app that the lesson's text makes, checked once all slugs are known.
    pub links: Vec<InternalLink>,
}

/// A piece of a lesson body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Rendered prose, with links already made relative to the app's base.
    Html(String),
    /// A code listing.
    Code {
        /// One of [`CODE_LANGUAGES`].
        lang: String,
        /// The code as written, without the fence's last newline.
        source: String,
    },
    /// A live widget, by its name in [`WIDGETS`].
    Widget(String),
    /// An exercise id, one of [`EXERCISES`].
    Exercise(String),
    /// The lesson's quiz.
    Quiz(Vec<Question>),
}

/// One multiple-choice question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// `<slug>/q<n>`, numbered from 1 in the order written.
    pub id: String,
    /// The question as inline HTML (its lines kept apart by `<br />`).
    pub prompt_html: String,
    /// The options in the order written.
    pub choices: Vec<Choice>,
}

/// One answer option and why it is right or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The option as inline HTML.
    pub html: String,
    /// Whether this option is the right one.
    pub correct: bool,
    /// Why, as inline HTML.
    pub explanation_html: String,
}

/// A link from lesson text to a page of the app, as written (`/lessons/fold#replay`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// The root-relative address as written in the file.
    pub target: String,
    /// The 1-based line of the file where the link's text starts.
    pub line: usize,
}

impl InternalLink {
    /// The slug this link points at, if it is a lesson link (`/lessons/<slug>`).
    pub fn lesson_slug(&self) -> Option<&str> {
        page_path(&self.target).strip_prefix("/lessons/")
    }
}

/// The address without its query or fragment: `/lessons/fold#replay` → `/lessons/fold`.
pub fn page_path(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or(target)
}

/// The pages of the app other than lessons that lesson text may link to (a test checks that the
/// router and index.html's pattern of pages know the same).
pub const PAGES: &[&str] = &["/", "/log", "/sandbox"];

/// The fence names shown as code listings.
pub const CODE_LANGUAGES: &[&str] = &["rhai", "rust", "json", "text"];

/// The exercise ids of the `foldlab-script` crate (a test there checks they agree).
pub const EXERCISES: &[&str] = &["fold", "projection", "decide-withdrawal", "transfers", "upcaster"];

/// The names a `widget` block may give. The app's `lesson::Widget` has one variant per name, the name
/// in upper camel case (`fold-stepper` → `FoldStepper`); [`widget_variant`] makes that name.
pub const WIDGETS: &[&str] = &[
    "fold-stepper",
    "projection-board",
    "command-console",
    "correction-ledger",
    "transfer-board",
    "snapshot-lab",
    "concurrency-race",
    "log-replay",
];

/// The app's `lesson::Widget` variant for a widget name: `fold-stepper` → `FoldStepper`.
pub fn widget_variant(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

impl Lesson {
    /// The questions of the lesson's quiz (none when it has no quiz).
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.blocks.iter().flat_map(|block| match block {
            Block::Quiz(questions) => questions.as_slice(),
            _ => &[],
        })
    }

    /// The widgets the lesson places, in reading order.
    pub fn widgets(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Widget(name) => Some(name.as_str()),
            _ => None,
        })
    }
}
