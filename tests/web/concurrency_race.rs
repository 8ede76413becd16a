//! The concurrency race in a real browser: naive writes overdraw, expected-version appends conflict
//! and the retry is refused, and a retried deposit is stored once.

use foldlab::widget::concurrency_race::ConcurrencyRace;
use leptos::prelude::*;
use wasm_bindgen_test::*;

use super::support::{button, mount, text};

async fn click(root: &web_sys::HtmlElement, name: &str) {
    button(root, name).click();
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn expected_versions_turn_a_lost_update_into_a_conflict() {
    let root = mount(|| view! { <ConcurrencyRace/> });
    click(&root, "Clerk 1: read account").await;
    click(&root, "Clerk 2: read account").await;
    click(&root, "Clerk 1: withdraw €80").await;
    click(&root, "Clerk 2: withdraw €80").await;
    assert!(text(&root).contains("append was refused"), "{}", text(&root));
    click(&root, "Clerk 2: read account").await;
    click(&root, "Clerk 2: withdraw €80").await;
    assert!(text(&root).contains("rejected"), "{}", text(&root));
    click(&root, "Send the same deposit twice").await;
    assert!(text(&root).contains("the retry stored 0"), "{}", text(&root));
}
