//! The app's pure rules as the browser runs them: which page an address is, what is left of a
//! lesson, and where a learner picks it up again.

use foldlab::learner::{LearnerEvent, Progress};
use foldlab::lesson::{self, LESSONS};
use foldlab::route::Route;
use wasm_bindgen_test::*;

use super::support::progress_of;

#[wasm_bindgen_test]
fn an_address_is_the_page_it_names_and_anything_else_is_not_found() {
    let lesson = |slug: &str| Route::Lesson(slug.to_owned());
    let cases = [
        ("", Route::Home),
        ("/", Route::Home),
        ("/index.html", Route::Home),
        ("/log", Route::Log),
        ("/log/", Route::Log),
        ("/sandbox", Route::Sandbox),
        ("/lessons/fold", lesson("fold")),
        ("/lessons/fold/", lesson("fold")),
        // A fragment is a place on the page, not another page.
        ("/lessons/fold#fold/q2-prompt", lesson("fold")),
        // A slug no lesson has is still a lesson page: the page says there is no such lesson.
        ("/lessons/nope", lesson("nope")),
        ("/lessons/", Route::NotFound),
        ("/lessons/fold/extra", Route::NotFound),
        ("/logs", Route::NotFound),
        ("/nowhere", Route::NotFound),
    ];
    for (address, page) in cases {
        assert_eq!(Route::parse(address), page, "{address:?}");
    }
}

#[wasm_bindgen_test]
fn what_is_left_of_a_lesson_counts_its_questions_not_answered_right_and_its_exercises_not_passed() {
    let (_, fold) = lesson::find("fold").expect("the fold lesson");
    let (questions, exercises) = fold.requirements();
    assert!(!questions.is_empty() && exercises == ["fold"], "{questions:?} {exercises:?}");
    let fresh = Progress::default().left(&questions, &exercises);
    assert_eq!((fresh.questions, fresh.exercises), (questions.len(), 1));
    assert_eq!(fresh.describe(), format!("1 exercise and {} quiz questions", questions.len()));

    // A wrong answer leaves its question open; a right one, even after it, closes it.
    let answer = |correct| LearnerEvent::QuizAnswered { question: questions[0].to_owned(), choice: 0, correct };
    let events = [answer(false), answer(true), LearnerEvent::ExercisePassed { exercise: "fold".into() }];
    let left = progress_of(&events).left(&questions, &exercises);
    assert_eq!((left.questions, left.exercises), (questions.len() - 1, 0));
    assert!(!left.is_nothing());

    let all: Vec<LearnerEvent> = questions
        .iter()
        .map(|q| LearnerEvent::QuizAnswered { question: (*q).to_owned(), choice: 0, correct: true })
        .chain([LearnerEvent::ExercisePassed { exercise: "fold".into() }])
        .collect();
    let done = progress_of(&all).left(&questions, &exercises);
    assert!(done.is_nothing() && done.describe().is_empty());
    // Every lesson asks something of the learner.
    assert!(LESSONS.iter().all(|l| l.requirements().0.len() + l.requirements().1.len() > 0));
}

#[wasm_bindgen_test]
fn a_lesson_is_picked_up_again_at_the_first_exercise_or_question_left_once_some_of_it_is_done() {
    let (_, fold) = lesson::find("fold").expect("the fold lesson");
    let (questions, _) = fold.requirements();
    let right = |question: &str| LearnerEvent::QuizAnswered { question: question.to_owned(), choice: 0, correct: true };
    let passed = LearnerEvent::ExercisePassed { exercise: "fold".into() };
    // Nothing done yet: the top, where the text starts.
    assert_eq!(fold.resume_href(&Progress::default()), "/lessons/fold");
    // The first question answered: the exercise, which comes before the quiz on the page.
    assert_eq!(fold.resume_href(&progress_of(&[right(questions[0])])), "/lessons/fold#exercise-fold");
    // The exercise passed too: the first question still left.
    let progress = progress_of(&[right(questions[0]), passed.clone()]);
    assert_eq!(fold.resume_href(&progress), format!("/lessons/fold#{}-prompt", questions[1]));
    // All done: the top again.
    let all: Vec<_> = questions.iter().map(|q| right(q)).chain([passed]).collect();
    assert_eq!(fold.resume_href(&progress_of(&all)), "/lessons/fold");
}
