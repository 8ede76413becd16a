//! The course as data: lessons parsed from `lessons/*.md` at build time and compiled into the app.

/// One lesson page, in course order.
#[derive(Debug)]
pub struct Lesson {
    /// Address segment: `/lessons/<slug>`.
    pub slug: &'static str,
    /// Page title and heading.
    pub title: &'static str,
    /// One line for the home page.
    pub summary: &'static str,
    /// The lesson body, in reading order.
    pub blocks: &'static [Block],
}

impl Lesson {
    /// What the lesson asks of the learner to complete it: its question ids and its exercise ids.
    pub fn requirements(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let mut questions = Vec::new();
        let mut exercises = Vec::new();
        for block in self.blocks {
            match block {
                Block::Quiz(qs) => questions.extend(qs.iter().map(|q| q.id)),
                Block::Exercise(id) => exercises.push(*id),
                _ => {}
            }
        }
        (questions, exercises)
    }

    /// What is left of this lesson for a learner with this progress.
    pub fn left(&self, progress: &crate::learner::Progress) -> crate::learner::Left {
        let (questions, exercises) = self.requirements();
        progress.left(&questions, &exercises)
    }

    /// The address of this lesson where a learner picks it up again: at the first exercise or
    /// question still left (by the id of its heading or prompt) once some of the lesson is done;
    /// at the top while none is (the text comes first) or once all is.
    pub fn resume_href(&self, progress: &crate::learner::Progress) -> String {
        let (questions, exercises) = self.requirements();
        let begun = questions.iter().any(|q| progress.answered_right.contains(*q)) || exercises.iter().any(|e| progress.passed.contains(*e));
        let next = self.blocks.iter().find_map(|block| match block {
            Block::Exercise(id) if !progress.passed.contains(*id) => Some(crate::exercise::card::heading_id(id)),
            Block::Quiz(questions) => questions.iter().find(|q| !progress.answered_right.contains(q.id)).map(|q| crate::quiz::prompt_id(q.id)),
            _ => None,
        });
        match next.filter(|_| begun) {
            Some(id) => format!("/lessons/{}#{id}", self.slug),
            None => format!("/lessons/{}", self.slug),
        }
    }
}

/// A piece of a lesson body.
#[derive(Debug)]
pub enum Block {
    /// Rendered Markdown prose (trusted: produced by our own build from our own files, raw HTML refused).
    Html(&'static str),
    /// A code listing, highlighted in the browser with the editor's colours.
    Code {
        /// `rhai`, `rust`, `json` or `text`.
        lang: &'static str,
        /// The code as written.
        source: &'static str,
    },
    /// A live widget driven by the core.
    Widget(Widget),
    /// An exercise id of the `foldlab-script` crate.
    Exercise(&'static str),
    /// The lesson's quiz.
    Quiz(&'static [Question]),
}

/// One multiple-choice question.
#[derive(Debug)]
pub struct Question {
    /// Stable id stored in the learner's log: `<slug>/q<n>`.
    pub id: &'static str,
    /// The question, as inline HTML.
    pub prompt_html: &'static str,
    /// The options in the order written; exactly one is correct.
    pub choices: &'static [Choice],
}

/// One answer option and why it is right or wrong.
#[derive(Debug)]
pub struct Choice {
    /// The option text, as inline HTML.
    pub html: &'static str,
    /// Whether this is the right answer.
    pub correct: bool,
    /// Why, shown after the learner checks an answer (HTML).
    pub explanation_html: &'static str,
}

// `pub static LESSONS: &[Lesson]` and `pub enum Widget` (the widgets a lesson can place), written
// by build.rs (foldlab-course) from lessons/*.md and the course's list of widgets.
include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// The lesson with this slug, if there is one.
pub fn find(slug: &str) -> Option<(usize, &'static Lesson)> {
    LESSONS.iter().enumerate().find(|(_, l)| l.slug == slug)
}
