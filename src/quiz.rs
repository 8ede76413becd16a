//! A lesson's quiz: radio-button questions, a Check step, an explanation for every option, a score.

use foldlab_core::generate::SplitMix64;
use leptos::prelude::*;

use crate::learner::{use_journal, LearnerEvent, Progress};
use crate::lesson::Question;

/// All questions of a lesson, with the score at the end.
#[component]
pub fn Quiz(lesson: &'static str, questions: &'static [Question]) -> impl IntoView {
    let progress = use_journal().progress();
    let first_right =
        move || progress.with(|p| questions.iter().filter(|q| p.first_tries.get(q.id) == Some(&true)).count());
    let right_now = move || progress.with(|p| questions.iter().filter(|q| p.answered_right.contains(q.id)).count());
    let answered = move || progress.with(|p| questions.iter().filter(|q| p.answers.contains_key(q.id)).count());
    let total = questions.len();
    view! {
        <section class="quiz" aria-labelledby=format!("{lesson}-quiz")>
            <h2 id=format!("{lesson}-quiz")>"Check your understanding"</h2>
            <ol class="quiz-questions">
                {questions.iter().enumerate().map(|(n, q)| view! { <li><QuestionView number=n + 1 question=q/></li> }).collect_view()}
            </ol>
            // Not a live region: each check already announces its verdict.
            <p class="quiz-score">
                // The score counts first tries: after a wrong one the learner can ask for the answer.
                {move || match (answered(), first_right(), right_now()) {
                    (0, _, _) => format!("Score: none of {total} questions answered yet."),
                    (a, first, _) if a < total => format!("Score: {first} of {total} right at the first try so far ({a} answered)."),
                    (_, first, _) if first == total => format!("Score: {first} of {total} right at the first try. Well done: every answer holds."),
                    (_, first, now) if now == total => format!("Score: {first} of {total} right at the first try, and you have found the others since."),
                    (_, first, _) => format!("Score: {first} of {total} right at the first try. Read the explanations and try the others again."),
                }}
            </p>
        </section>
    }
}

/// The order a question's choices are shown in: shuffled by the question's id, so it is the same
/// on every visit but the right answer's place in the lesson file gives nothing away. Indices stay
/// those of the file, which is what the log records.
fn display_order(id: &str, len: usize) -> Vec<usize> {
    // The id's FNV-1a hash (the core's snapshot checksum) seeds the core's generator for a
    // Fisher-Yates shuffle.
    let mut rng = SplitMix64::new(foldlab_core::snapshot::checksum(id.as_bytes()));
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    order
}

/// Where the learner stands with one question, shared by the question and its options.
#[derive(Clone, Copy)]
struct Answering {
    question: &'static Question,
    /// The option picked, checked or not.
    selected: RwSignal<Option<usize>>,
    /// The option last checked.
    checked: RwSignal<Option<usize>>,
    /// Every option checked so far: each keeps its explanation shown.
    tried: RwSignal<Vec<usize>>,
    /// Whether every option's explanation shows: answered right, or the answer asked for.
    revealed: RwSignal<bool>,
}

impl Answering {
    fn is_right(self, choice: usize) -> bool {
        self.question.choices.get(choice).is_some_and(|c| c.correct)
    }

    /// Answered right, a question is settled: its options stay to read, every explanation shown,
    /// and no later choice can take the right answer back.
    fn settled(self) -> bool {
        self.checked.get().is_some_and(|c| self.is_right(c))
    }
}

/// One question: its prompt, its options, Check, and the verdict.
#[component]
fn QuestionView(number: usize, question: &'static Question) -> impl IntoView {
    let journal = use_journal();
    // Answers come back from the log, so a returning learner sees what they chose; once answered
    // right, the right answer, even if a later answer (merged from another browser's log) was not.
    let right = question.choices.iter().position(|c| c.correct);
    let from_log = move |p: &Progress| {
        (
            if p.answered_right.contains(question.id) { right } else { p.answers.get(question.id).map(|(choice, _)| *choice) },
            p.tried.get(question.id).map(|t| t.iter().copied().collect::<Vec<usize>>()).unwrap_or_default(),
            p.answered_right.contains(question.id) || p.answers_shown.contains(question.id),
        )
    };
    let (saved, tried_before, revealed_before) = journal.progress().with_untracked(from_log);
    // A wrong answer explains only the options tried, so trying again still means thinking again;
    // every explanation shows once the right answer is checked, or when the learner asks for it.
    // All three come back from the log after a reload.
    let answering = Answering {
        question,
        selected: RwSignal::new(saved),
        checked: RwSignal::new(saved),
        tried: RwSignal::new(tried_before),
        revealed: RwSignal::new(revealed_before),
    };
    let Answering { selected, checked, tried, revealed, .. } = answering;
    let is_right = move |choice: usize| answering.is_right(choice);
    let hint = RwSignal::new(None::<&'static str>);
    // So does an answer given in another tab (or its start over) while this page is open.
    Effect::new(move |_| {
        let (saved, tried_now, revealed_now) = journal.progress().with(from_log);
        if checked.get_untracked() != saved {
            // Settled by another tab while the keyboard was on one of the options, which are
            // disabled now: the keyboard goes to Check rather than to the page.
            let on_an_option = document()
                .active_element()
                .is_some_and(|e| e.get_attribute("name").as_deref() == Some(question.id));
            checked.set(saved);
            selected.set(saved);
            if on_an_option && saved.is_some_and(is_right) {
                crate::widget::focus_soon(format!("{}-check", question.id));
            }
        }
        if tried.with_untracked(|t| t.len() != tried_now.len() || !tried_now.iter().all(|i| t.contains(i))) {
            tried.set(tried_now);
        }
        if revealed.get_untracked() != revealed_now {
            revealed.set(revealed_now);
        }
    });
    let prompt_id = prompt_id(question.id);
    let labelled_by = prompt_id.clone();
    let check = move |_| match selected.get() {
        _ if answering.settled() => hint.set(Some("Already answered right: every option's explanation is shown above.")),
        None => hint.set(Some("Pick an answer first, then check it.")),
        Some(choice) => {
            hint.set(None);
            checked.set(Some(choice));
            tried.update(|t| if !t.contains(&choice) { t.push(choice) });
            let correct = is_right(choice);
            if correct {
                revealed.set(true);
            }
            journal.record(LearnerEvent::QuizAnswered { question: question.id.to_string(), choice, correct });
        }
    };
    // A memo, so moving between the options (which changes `selected`) does not say the verdict
    // again: only choosing or leaving the right answer changes it.
    let chosen_right = Memo::new(move |_| selected.get().is_some_and(is_right));
    let verdict = move || {
        checked.get().map(|choice| match (is_right(choice), revealed.get()) {
            (true, _) => ("right", "Right.".to_string()),
            (false, false) => ("wrong", "Not quite: the explanation under your answer says why. Pick another and check again.".to_string()),
            // Shown on request: help, not another verdict.
            (false, true) if chosen_right.get() => (
                "shown",
                "The right answer is marked above and chosen, and each option's explanation says why: check it to complete this question.".to_string(),
            ),
            (false, true) => (
                "shown",
                "The right answer is marked above, and each option's explanation says why: choose it and check it to complete this question.".to_string(),
            ),
        })
    };
    // The button goes away once pressed: the keyboard moves to the right answer, whose radio then
    // reads out its explanation.
    let show_answer = move |_| {
        revealed.set(true);
        journal.record(LearnerEvent::AnswerShown { question: question.id.to_string() });
        // Chosen as well as focused: focus alone does not choose a radio button, and Check would
        // then say the wrong answer again.
        if let Some(right) = right {
            selected.set(Some(right));
            crate::widget::focus_soon(format!("{}-{}", question.id, right + 1));
        }
    };
    view! {
        // The question, named by its prompt, holds the options and then the buttons and verdict;
        // the radio group holds the options alone, and is named for what it is rather than by the
        // prompt again (a screen reader would read the prompt twice).
        <div class="question" role="group" aria-labelledby=labelled_by>
            <div id=prompt_id class="question-prompt">
                <span class="question-number">{format!("Question {number}. ")}</span>
                // A div shown inline: the text may end in a list of events.
                <div class="question-text" inner_html=question.prompt_html></div>
            </div>
            <div class="question-choices" role="radiogroup" aria-label=format!("Answers to question {number}")>
                <ul class="choices">
                    {display_order(question.id, question.choices.len()).into_iter().map(|i| view! { <AnswerOption answering i/> }).collect_view()}
                </ul>
            </div>
            <div class="question-actions">
                <button type="button" class="button" id=format!("{}-check", question.id) on:click=check>"Check"</button>
                <Show when=move || checked.get().is_some_and(|c| !is_right(c)) && !revealed.get()>
                    <button type="button" class="button" on:click=show_answer>"Show the answer"</button>
                </Show>
                <p class="feedback" role="status" aria-live="polite" data-verdict=move || verdict().map(|v| v.0)>
                    // Said again on every Check, even when a second wrong answer gets the same words.
                    {crate::widget::aloud(Signal::derive(move || hint.get().map(str::to_string).or_else(|| verdict().map(|v| v.1)).unwrap_or_default()))}
                </p>
            </div>
        </div>
    }
}

/// Option `i` of a question: its radio and label, and once checked, its verdict and why.
#[component]
fn AnswerOption(answering: Answering, i: usize) -> impl IntoView {
    let Answering { question, selected, checked, tried, revealed } = answering;
    let choice = &question.choices[i];
    let id = format!("{}-{}", question.id, i + 1);
    let explanation_id = format!("{id}-why");
    let explanation_for = explanation_id.clone();
    let is_checked = move || checked.get() == Some(i);
    let explained = move || checked.get().is_some() && (revealed.get() || tried.with(|t| t.contains(&i)));
    let state = move || match checked.get() {
        None => "",
        Some(_) if revealed.get() && choice.correct => "correct",
        Some(c) if c == i => "chosen-wrong",
        Some(_) if revealed.get() => "other",
        Some(_) if tried.with(|t| t.contains(&i)) => "tried",
        Some(_) => "",
    };
    view! {
        <li class="choice" data-state=state>
            <input
                type="radio"
                id=id.clone()
                name=question.id
                // Once checked, a screen reader reads each option's verdict and why with it.
                aria-describedby=move || explained().then(|| explanation_id.clone())
                prop:checked=move || selected.get() == Some(i)
                prop:disabled=move || answering.settled()
                on:change=move |_| selected.set(Some(i))
            />
            <label for=id>
                <span inner_html=choice.html></span>
            </label>
            <Show when=explained>
                <div class="explanation" id=explanation_for.clone()>
                    <span class="mark">
                        {move || match (choice.correct, is_checked()) {
                            (true, true) => "✓ Your answer, and the right one",
                            (true, false) => "✓ The right answer",
                            (false, true) => "✗ Your answer",
                            (false, false) if revealed.get() => "✗ Not this one",
                            (false, false) => "✗ Tried before",
                        }}
                    </span>
                    // "Right." speaks to a learner who chose it; shown to one who did not,
                    // the explanation starts with its reason.
                    <div inner_html=move || match is_checked() {
                        false => ["Right. ", "Right: "]
                            .iter()
                            .find_map(|said| choice.explanation_html.strip_prefix(said))
                            .unwrap_or(choice.explanation_html),
                        true => choice.explanation_html,
                    }></div>
                </div>
            </Show>
        </li>
    }
}

/// The id of a question's prompt on its lesson page, where a learner coming back to it lands.
pub fn prompt_id(question: &str) -> String {
    format!("{question}-prompt")
}
