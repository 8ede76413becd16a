//! The learner's progress: a projection folded from their log.

use std::collections::{BTreeMap, BTreeSet};

use foldlab_core::Timestamp;

use super::event::Dated;
use super::LearnerEvent;

/// Where a learner stands with one lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Never opened.
    NotStarted,
    /// Opened, not yet completed.
    InProgress,
    /// Every question answered right and every exercise passed.
    Done,
}

impl Status {
    /// The words shown next to a lesson.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::InProgress => "In progress",
            Status::Done => "Done",
        }
    }
}

/// Everything the UI shows about the learner, derived from their events. A merged file's events
/// come after the log's own whatever their age: a draft, a widget's list and the theme are the
/// newest by recorded time; quiz answers count by place in the log (a question once right stays
/// right, so a merge can only add to what is settled).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Lessons opened at least once.
    pub opened: BTreeSet<String>,
    /// Lessons completed.
    pub completed: BTreeSet<String>,
    /// The latest checked answer per question: (choice, correct).
    pub answers: BTreeMap<String, (usize, bool)>,
    /// Questions answered right at least once.
    pub answered_right: BTreeSet<String>,
    /// Every choice checked per question, right or wrong: each keeps its explanation shown.
    pub tried: BTreeMap<String, BTreeSet<usize>>,
    /// Questions whose right answer the learner asked to see.
    pub answers_shown: BTreeSet<String>,
    /// Whether the first checked answer per question was right: the quiz's score (a learner who
    /// reads the explanations always finds the right answer on a later try).
    pub first_tries: BTreeMap<String, bool>,
    /// Exercises whose cases all passed at least once.
    pub passed: BTreeSet<String>,
    /// The latest draft per exercise (by time, as the theme and the examples).
    pub drafts: BTreeMap<String, String>,
    /// Exercises whose solution was shown.
    pub revealed: BTreeSet<String>,
    /// How many hints of each exercise were shown: they stay shown after a reload.
    pub hints: BTreeMap<String, usize>,
    /// The latest theme choice, if any.
    pub theme: Option<String>,
    /// The newest list (by recorded time) per widget whose example the learner edited, as stored
    /// (the widget reads it).
    pub examples: BTreeMap<String, Vec<serde_json::Value>>,
    /// When each draft shown was recorded: an older one merged from a file later does not
    /// replace it. The same for each widget's list and for the theme.
    drafts_at: BTreeMap<String, Timestamp>,
    /// When each widget's list shown was recorded.
    examples_at: BTreeMap<String, Timestamp>,
    /// When the theme shown was chosen.
    theme_at: Option<Timestamp>,
    /// The newest time of any event folded.
    newest_at: Timestamp,
}

impl Progress {
    /// Folds a whole log.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Dated>) -> Progress {
        events.into_iter().fold(Progress::default(), Progress::apply)
    }

    /// The evolve function of this projection: the progress after one more event.
    pub fn apply(mut self, Dated { at, event }: &Dated) -> Progress {
        let at = *at;
        self.newest_at = self.newest_at.max(at);
        match event {
            LearnerEvent::LessonOpened { lesson } => {
                self.opened.insert(lesson.clone());
            }
            LearnerEvent::LessonCompleted { lesson } => {
                self.completed.insert(lesson.clone());
            }
            LearnerEvent::QuizAnswered { question, choice, correct } => {
                self.answers.insert(question.clone(), (*choice, *correct));
                self.tried.entry(question.clone()).or_default().insert(*choice);
                self.first_tries.entry(question.clone()).or_insert(*correct);
                if *correct {
                    self.answered_right.insert(question.clone());
                }
            }
            LearnerEvent::ExerciseRun { .. } => {}
            LearnerEvent::ExercisePassed { exercise } => {
                self.passed.insert(exercise.clone());
            }
            LearnerEvent::DraftSaved { exercise, source } => {
                if newest(&mut self.drafts_at, exercise, at) {
                    self.drafts.insert(exercise.clone(), source.clone());
                }
            }
            LearnerEvent::SolutionRevealed { exercise } => {
                self.revealed.insert(exercise.clone());
            }
            LearnerEvent::ThemeChosen { theme } => {
                if self.theme_at.is_none_or(|shown| at >= shown) {
                    self.theme_at = Some(at);
                    self.theme = Some(theme.clone());
                }
            }
            LearnerEvent::AnswerShown { question } => {
                self.answers_shown.insert(question.clone());
            }
            LearnerEvent::HintShown { exercise, hint } => {
                let shown = self.hints.entry(exercise.clone()).or_default();
                *shown = (*shown).max(*hint);
            }
            LearnerEvent::ExampleEdited { widget, events } => {
                if newest(&mut self.examples_at, widget, at) {
                    self.examples.insert(widget.clone(), events.clone());
                }
            }
        }
        self
    }

    /// The newest time of any event folded: the journal never dates a new event before it.
    pub fn newest_at(&self) -> Timestamp {
        self.newest_at
    }

    /// What is left to complete a lesson that asks these questions and exercises.
    pub fn left(&self, questions: &[&str], exercises: &[&str]) -> Left {
        Left {
            questions: questions.iter().filter(|q| !self.answered_right.contains(**q)).count(),
            exercises: exercises.iter().filter(|e| !self.passed.contains(**e)).count(),
        }
    }

    /// Where the learner stands with a lesson.
    pub fn status(&self, lesson: &str) -> Status {
        if self.completed.contains(lesson) {
            Status::Done
        } else if self.opened.contains(lesson) {
            Status::InProgress
        } else {
            Status::NotStarted
        }
    }
}

/// Whether a choice recorded `at` is the newest for its `key` so far (a tie goes to the later in
/// the log), and if so remembers its time. Looked up before anything is allocated: a cold start
/// folds every event of the log through here.
fn newest(times: &mut BTreeMap<String, Timestamp>, key: &str, at: Timestamp) -> bool {
    match times.get_mut(key) {
        Some(shown) if *shown > at => false,
        Some(shown) => {
            *shown = at;
            true
        }
        None => {
            times.insert(key.to_owned(), at);
            true
        }
    }
}

/// What is left to complete a lesson: its questions not yet answered right, its exercises not yet
/// passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    /// Questions not yet answered right.
    pub questions: usize,
    /// Exercises not yet passed.
    pub exercises: usize,
}

impl Left {
    /// Nothing left: the lesson is complete once this holds.
    pub fn is_nothing(self) -> bool {
        self.questions == 0 && self.exercises == 0
    }

    /// `1 exercise and 2 quiz questions`; empty when nothing is left.
    pub fn describe(self) -> String {
        let mut parts = Vec::new();
        if self.exercises > 0 {
            parts.push(crate::plural::count(self.exercises, "exercise"));
        }
        if self.questions > 0 {
            parts.push(crate::plural::count(self.questions, "quiz question"));
        }
        parts.join(" and ")
    }
}
