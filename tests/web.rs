//! Browser tests of the app (wasm-bindgen-test in headless Chromium): components are mounted into a
//! real page, clicked, and checked. `cargo xtask test` runs them; the modules under `web/` hold
//! one widget or subsystem each.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/support.rs"]
mod support;

#[path = "web/command_console.rs"]
mod command_console;

#[path = "web/concurrency_race.rs"]
mod concurrency_race;

#[path = "web/editor.rs"]
mod editor;

#[path = "web/fold_stepper.rs"]
mod fold_stepper;

#[path = "web/projection_board.rs"]
mod projection_board;

#[path = "web/journal.rs"]
mod journal;

#[path = "web/route.rs"]
mod route;

#[path = "web/storage.rs"]
mod storage;

#[path = "web/worker.rs"]
mod worker;

use support::{button, mount};

#[wasm_bindgen_test]
async fn theme_toggle_switches_the_document_theme_and_says_so() {
    let root = mount(|| {
        foldlab::theme::provide();
        view! { <foldlab::theme::ThemeToggle/> }
    });
    let toggle = button(&root, "Dark theme");
    let before = toggle.get_attribute("aria-pressed");
    toggle.click();
    leptos::task::tick().await;
    let after = toggle.get_attribute("aria-pressed");
    assert_ne!(before, after, "pressing the toggle flips aria-pressed");
    let theme = document().document_element().and_then(|e| e.get_attribute("data-theme"));
    let expected = if after.as_deref() == Some("true") { "dark" } else { "light" };
    assert_eq!(theme.as_deref(), Some(expected));
}

#[wasm_bindgen_test]
fn highlighter_tokens_rebuild_the_source_exactly() {
    let source = "fn evolve(state, event) {\n  // a comment\n  state.balance += event.amount; \"€12.50\"\n}";
    let tokens = foldlab::highlight::tokens("rhai", source);
    let joined: String = tokens.iter().map(|(_, text)| *text).collect();
    assert_eq!(joined, source);
    assert!(tokens.iter().any(|(k, t)| *k == foldlab::highlight::Kind::Keyword && *t == "fn"));
    assert!(tokens.iter().any(|(k, t)| *k == foldlab::highlight::Kind::Comment && t.contains("a comment")));
}

#[wasm_bindgen_test]
fn durations_round_to_a_precision_that_suits_them() {
    use foldlab::duration::{fixed, millis};
    assert_eq!(fixed(1234.5678, 2), "1234.57");
    assert_eq!(fixed(12.345, 1), "12.3");
    assert_eq!(fixed(0.004, 2), "0.00");
    assert_eq!(fixed(-1.5, 0), "-2");
    assert_eq!(millis(41.6), "42 ms");
    assert_eq!(millis(1.361), "1.36 ms");
    assert_eq!(millis(0.0049), "4.9 µs");
}
