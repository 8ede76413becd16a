//! The projection board in a real browser: an event reaches every read model, and a rebuild from
//! scratch gives the same read models.

use foldlab::widget::projection_board::ProjectionBoard;
use leptos::prelude::*;
use wasm_bindgen_test::*;

use super::support::{button, mount, text};

#[wasm_bindgen_test]
async fn a_large_withdrawal_is_flagged_and_a_rebuild_matches() {
    let root = mount(|| view! { <ProjectionBoard/> });
    assert!(text(&root).contains("No money has left an account in one go"));
    button(&root, "Withdraw €1,500 from B").click();
    leptos::task::tick().await;
    let shown = text(&root);
    assert!(shown.contains("appended money-withdrawn"), "{shown}");
    assert!(shown.contains("account B: €1,500.00"), "the flag names the account and amount: {shown}");
    button(&root, "Rebuild from scratch").click();
    leptos::task::tick().await;
    assert!(text(&root).contains("they came out identical"));
}

#[wasm_bindgen_test]
async fn a_refused_command_appends_nothing() {
    let root = mount(|| view! { <ProjectionBoard/> });
    for _ in 0..3 {
        button(&root, "Withdraw €1,500 from B").click();
        leptos::task::tick().await;
    }
    let shown = text(&root);
    assert!(shown.contains("refused"), "{shown}");
    assert!(shown.contains("Nothing was appended"), "{shown}");
}
