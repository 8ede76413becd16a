//! foldlab: an interactive course on event sourcing, as a Leptos app that runs in the browser.

pub mod base;
pub mod clock;
pub mod code;
pub mod duration;
pub mod exercise;
pub mod highlight;
pub mod learner;
pub mod lesson;
pub mod page;
pub mod plural;
pub mod quiz;
pub mod route;
pub mod scroller;
pub mod shell;
pub mod storage;
pub mod theme;
pub mod widget;

use leptos::prelude::*;

use route::Route;

/// The whole app: the shell around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    theme::provide();
    let journal = learner::provide();
    theme::follow(&journal);
    let location = route::provide();
    view! {
        <shell::Header/>
        <main id="main" tabindex="-1">
            {move || match location.route() {
                Route::Home => page::home::Home().into_any(),
                Route::Lesson(slug) => view! { <page::lesson::LessonPage slug/> }.into_any(),
                Route::Log => page::log::LogPage().into_any(),
                Route::Sandbox => page::sandbox::SandboxPage().into_any(),
                Route::NotFound => page::not_found::NotFound().into_any(),
            }}
        </main>
        <shell::Footer/>
    }
}
