//! What the learner did, as facts in the past tense.

use serde::{Deserialize, Serialize};

/// One thing the learner did that the course remembers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "kebab-case")]
pub enum LearnerEvent {
    /// A lesson page was opened.
    LessonOpened { lesson: String },
    /// Every quiz question and exercise of a lesson has been answered or passed.
    LessonCompleted { lesson: String },
    /// A quiz answer was checked.
    QuizAnswered { question: String, choice: usize, correct: bool },
    /// Learner code ran against an exercise's cases.
    ExerciseRun { exercise: String, passed: usize, total: usize },
    /// Every case of an exercise passed.
    ExercisePassed { exercise: String },
    /// The editor's content was kept (throttled; the latest wins).
    DraftSaved { exercise: String, source: String },
    /// The learner asked to see an exercise's solution.
    SolutionRevealed { exercise: String },
    /// The learner picked a colour theme.
    ThemeChosen { theme: String },
}

impl LearnerEvent {
    /// The event's type name as stored (`"quiz-answered"`).
    pub fn type_name(&self) -> &'static str {
        match self {
            LearnerEvent::LessonOpened { .. } => "lesson-opened",
            LearnerEvent::LessonCompleted { .. } => "lesson-completed",
            LearnerEvent::QuizAnswered { .. } => "quiz-answered",
            LearnerEvent::ExerciseRun { .. } => "exercise-run",
            LearnerEvent::ExercisePassed { .. } => "exercise-passed",
            LearnerEvent::DraftSaved { .. } => "draft-saved",
            LearnerEvent::SolutionRevealed { .. } => "solution-revealed",
            LearnerEvent::ThemeChosen { .. } => "theme-chosen",
        }
    }
}
