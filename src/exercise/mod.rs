//! Exercises: learner code edited on the page and checked in the sandbox worker.
//!
//! The exercise's text (starter, hints, solution, takeaway) comes from `foldlab-script` without
//! its sandbox, so Rhai never enters this bundle; runs go to the worker ([`worker`]).

pub mod card;
pub mod editor;
pub mod own;
pub mod result;
pub mod worker;

use leptos::prelude::*;

/// The view of an exercise block.
pub fn view(id: &'static str) -> AnyView {
    match foldlab_script::find(id) {
        Some(exercise) => view! { <card::ExerciseCard exercise/> }.into_any(),
        None => view! {
            <div class="exercise card"><p>{format!("There is no exercise called {id}.")}</p></div>
        }
        .into_any(),
    }
}
