//! Exercises: learner code edited on the page and checked in the sandbox worker.

use leptos::prelude::*;

/// The view of an exercise block.
pub fn view(id: &'static str) -> AnyView {
    view! { <div class="exercise card"><p>{id}</p></div> }.into_any()
}
