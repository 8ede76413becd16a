//! What the learner did, as facts in the past tense.

use foldlab_core::upcast::{Upcaster, Upcasters};
use foldlab_core::{NewEvent, RecordedEvent, Timestamp};
use serde_json::{json, Value};

/// One thing the learner did that the course remembers. Stored as its type name plus `data`, a JSON
/// object with the variant's fields (`quiz-answered`: `{"question", "choice", "correct"}`), read and
/// written by hand below: serde's derive for this shape cost 26 KB of wasm and most of a cold start.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The learner asked for an exercise's next hint: `hint` is its number, from 1.
    HintShown { exercise: String, hint: usize },
    /// The learner asked to see a quiz question's right answer.
    AnswerShown { question: String },
    /// The learner picked a colour theme.
    ThemeChosen { theme: String },
    /// The learner changed a widget's own example (the fold stepper's list of account events):
    /// `events` is the whole list as it now stands, each as `{"type", "schema", "data"}`.
    ExampleEdited { widget: String, events: Vec<Value> },
}

/// A learner event and when it was recorded: a merged file's events come after the log's own
/// whatever their age, so "the latest" of a choice is the latest by time, not by place in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    /// When it was recorded (the file's own time, for an imported event).
    pub at: Timestamp,
    /// What the learner did.
    pub event: LearnerEvent,
}

impl LearnerEvent {
    /// The event's `data` as stored.
    pub fn data(&self) -> Value {
        match self {
            LearnerEvent::LessonOpened { lesson } | LearnerEvent::LessonCompleted { lesson } => json!({ "lesson": lesson }),
            LearnerEvent::QuizAnswered { question, choice, correct } => json!({ "question": question, "choice": choice, "correct": correct }),
            LearnerEvent::ExerciseRun { exercise, passed, total } => json!({ "exercise": exercise, "passed": passed, "total": total }),
            LearnerEvent::ExercisePassed { exercise } | LearnerEvent::SolutionRevealed { exercise } => json!({ "exercise": exercise }),
            LearnerEvent::DraftSaved { exercise, source } => json!({ "exercise": exercise, "source": source }),
            LearnerEvent::ThemeChosen { theme } => json!({ "theme": theme }),
            LearnerEvent::HintShown { exercise, hint } => json!({ "exercise": exercise, "hint": hint }),
            LearnerEvent::AnswerShown { question } => json!({ "question": question }),
            LearnerEvent::ExampleEdited { widget, events } => json!({ "widget": widget, "events": events }),
        }
    }

    /// The event of `type_name` with today's shape of `data`; `None` for an unknown type or data
    /// that does not fit it.
    pub fn from_data(type_name: &str, data: &Value) -> Option<LearnerEvent> {
        let text = |field: &str| data.get(field)?.as_str().map(str::to_owned);
        let count = |field: &str| data.get(field)?.as_u64().and_then(|n| usize::try_from(n).ok());
        Some(match type_name {
            "lesson-opened" => LearnerEvent::LessonOpened { lesson: text("lesson")? },
            "lesson-completed" => LearnerEvent::LessonCompleted { lesson: text("lesson")? },
            "quiz-answered" => LearnerEvent::QuizAnswered {
                question: text("question")?,
                choice: count("choice")?,
                correct: data.get("correct")?.as_bool()?,
            },
            "exercise-run" => LearnerEvent::ExerciseRun { exercise: text("exercise")?, passed: count("passed")?, total: count("total")? },
            "exercise-passed" => LearnerEvent::ExercisePassed { exercise: text("exercise")? },
            "draft-saved" => LearnerEvent::DraftSaved { exercise: text("exercise")?, source: text("source")? },
            "solution-revealed" => LearnerEvent::SolutionRevealed { exercise: text("exercise")? },
            "theme-chosen" => LearnerEvent::ThemeChosen { theme: text("theme")? },
            "hint-shown" => LearnerEvent::HintShown { exercise: text("exercise")?, hint: count("hint")? },
            "answer-shown" => LearnerEvent::AnswerShown { question: text("question")? },
            "example-edited" => LearnerEvent::ExampleEdited { widget: text("widget")?, events: data.get("events")?.as_array()?.clone() },
            _ => return None,
        })
    }

    /// The id of an event that records a fact once for all (a lesson completed): every tab and
    /// every visit that records it gives it this id, so the store keeps it once however many
    /// record it (an idempotent append, lesson 7). None for the others, which happen again.
    pub fn once_id(&self) -> Option<String> {
        match self {
            LearnerEvent::LessonCompleted { lesson } => Some(format!("completed-{lesson}")),
            _ => None,
        }
    }

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
            LearnerEvent::HintShown { .. } => "hint-shown",
            LearnerEvent::AnswerShown { .. } => "answer-shown",
            LearnerEvent::ExampleEdited { .. } => "example-edited",
        }
    }
}

/// The schema version this build writes for an event type. `lesson-opened` and `lesson-completed`
/// went to 2 when lessons came to be named by slug (`fold`) rather than file stem (`01-fold`).
pub fn schema(type_name: &str) -> u32 {
    match type_name {
        "lesson-opened" | "lesson-completed" => 2,
        _ => 1,
    }
}

/// The chain that brings older stored shapes of learner events up to today's, applied on read: a
/// log written by an older build is migrated as it loads, and never rewritten.
pub fn upcasters() -> Upcasters {
    let mut chain = Upcasters::empty();
    for event_type in ["lesson-opened", "lesson-completed"] {
        chain.push(Upcaster::new(event_type, 1, lesson_by_slug));
    }
    chain
}

/// Schema 1 → 2: `{"lesson": "01-fold"}` becomes `{"lesson": "fold"}`.
fn lesson_by_slug(mut data: Value) -> Result<Value, String> {
    let stem = data.get("lesson").and_then(Value::as_str).ok_or("it has no lesson name")?;
    let slug = match stem.split_once('-') {
        Some((number, slug)) if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => slug,
        _ => stem,
    };
    data["lesson"] = Value::String(slug.to_owned());
    Ok(data)
}

/// Reads a stored learner event in today's shape, upcasting an older one; `None` for a type this
/// build does not know or data that does not fit.
pub fn decode(chain: &Upcasters, recorded: &RecordedEvent) -> Option<Dated> {
    let event = decode_data(chain, &recorded.event_type, recorded.schema, &recorded.data)?;
    Some(Dated { at: recorded.recorded_at, event })
}

/// [`decode`] for an event not stored (yet).
pub fn decode_new(chain: &Upcasters, event: &NewEvent) -> Option<LearnerEvent> {
    decode_data(chain, &event.event_type, event.schema, &event.data)
}

fn decode_data(chain: &Upcasters, event_type: &str, stored: u32, data: &Value) -> Option<LearnerEvent> {
    let target = schema(event_type);
    if stored == target {
        return LearnerEvent::from_data(event_type, data);
    }
    let data = chain.upcast(event_type, stored, data.clone(), target).ok()?;
    LearnerEvent::from_data(event_type, &data)
}
