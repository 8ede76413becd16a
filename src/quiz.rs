//! A lesson's quiz: radio-button questions, a Check step, an explanation for every option, a score.

use leptos::prelude::*;

use crate::learner::{use_journal, LearnerEvent};
use crate::lesson::Question;

/// All questions of a lesson, with the score at the end.
#[component]
pub fn Quiz(lesson: &'static str, questions: &'static [Question]) -> impl IntoView {
    let progress = use_journal().progress();
    let right = move || {
        progress.with(|p| questions.iter().filter(|q| matches!(p.answers.get(q.id), Some((_, true)))).count())
    };
    let answered = move || progress.with(|p| questions.iter().filter(|q| p.answers.contains_key(q.id)).count());
    view! {
        <section class="quiz" aria-labelledby=format!("{lesson}-quiz")>
            <h2 id=format!("{lesson}-quiz")>"Check your understanding"</h2>
            <ol class="quiz-questions">
                {questions.iter().enumerate().map(|(n, q)| view! { <li><QuestionView number=n + 1 question=q/></li> }).collect_view()}
            </ol>
            <p class="quiz-score" role="status">
                {move || match answered() {
                    0 => format!("Score: none of {} questions answered yet.", questions.len()),
                    a if a < questions.len() => format!("Score: {} of {} right so far ({} answered).", right(), questions.len(), a),
                    _ if right() == questions.len() => format!("Score: {} of {} right. Well done: every answer holds.", right(), questions.len()),
                    _ => format!("Score: {} of {} right. Read the explanations and try the others again.", right(), questions.len()),
                }}
            </p>
        </section>
    }
}

#[component]
fn QuestionView(number: usize, question: &'static Question) -> impl IntoView {
    let journal = use_journal();
    // Answers come back from the log, so a returning learner sees what they chose.
    let saved = journal.progress().with_untracked(|p| p.answers.get(question.id).map(|(choice, _)| *choice));
    let selected = RwSignal::new(saved);
    let checked = RwSignal::new(saved);
    let hint = RwSignal::new(None::<&'static str>);
    let prompt_id = format!("{}-prompt", question.id);
    let labelled_by = prompt_id.clone();
    let check = move |_| match selected.get() {
        None => hint.set(Some("Pick an answer first, then check it.")),
        Some(choice) => {
            hint.set(None);
            checked.set(Some(choice));
            let correct = question.choices.get(choice).is_some_and(|c| c.correct);
            journal.record(LearnerEvent::QuizAnswered { question: question.id.to_string(), choice, correct });
        }
    };
    let verdict = move || {
        checked.get().map(|choice| {
            if question.choices.get(choice).is_some_and(|c| c.correct) {
                ("right", "Right.".to_string())
            } else {
                ("wrong", "Not quite. The right answer is marked below, and each option's explanation says why. Pick another and check again.".to_string())
            }
        })
    };
    view! {
        <fieldset class="question" role="radiogroup" aria-labelledby=labelled_by>
            <legend id=prompt_id class="question-prompt">
                <span class="question-number">{format!("Question {number}. ")}</span>
                <span inner_html=question.prompt_html></span>
            </legend>
            <ul class="choices">
                {question.choices.iter().enumerate().map(|(i, choice)| {
                    let id = format!("{}-{}", question.id, i + 1);
                    let is_checked = move || checked.get() == Some(i);
                    let state = move || match checked.get() {
                        None => "",
                        Some(_) if choice.correct => "correct",
                        Some(c) if c == i => "chosen-wrong",
                        Some(_) => "other",
                    };
                    view! {
                        <li class="choice" data-state=state>
                            <input
                                type="radio"
                                id=id.clone()
                                name=question.id
                                prop:checked=move || selected.get() == Some(i)
                                on:change=move |_| selected.set(Some(i))
                            />
                            <label for=id>
                                <span inner_html=choice.html></span>
                            </label>
                            <Show when=move || checked.get().is_some()>
                                <div class="explanation">
                                    <span class="mark">
                                        {move || match (choice.correct, is_checked()) {
                                            (true, true) => "✓ Your answer, and the right one",
                                            (true, false) => "✓ The right answer",
                                            (false, true) => "✗ Your answer",
                                            (false, false) => "✗ Not this one",
                                        }}
                                    </span>
                                    <div inner_html=choice.explanation_html></div>
                                </div>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="question-actions">
                <button type="button" class="button" on:click=check>"Check"</button>
                <p class="feedback" role="status" aria-live="polite" data-verdict=move || verdict().map(|v| v.0)>
                    {move || hint.get().map(str::to_string).or_else(|| verdict().map(|v| v.1))}
                </p>
            </div>
        </fieldset>
    }
}
