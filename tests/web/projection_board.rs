//! The projection board in a real browser: an event reaches the read models (the flags, the count
//! of events), a refused command reaches none, and a rebuild from scratch gives the same read models.

use foldlab::widget::projection_board::ProjectionBoard;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use super::support::{button, find, mount, text};

#[wasm_bindgen_test]
async fn a_large_withdrawal_is_flagged_and_a_rebuild_matches() {
    let root = mount(|| view! { <ProjectionBoard/> });
    assert!(text(&root).contains("No withdrawal or transfer out of €1,000.00 or more yet"));
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
    let events = |root| find(root, "[aria-label='Events in global order']").child_element_count();
    // The count read model's last row, "All events" and its number.
    let total = |root: &HtmlElement| {
        let rows = root.query_selector_all("tr.total").expect("a valid selector");
        (0..rows.length())
            .filter_map(|i| rows.item(i)?.text_content())
            .find(|row| row.starts_with("All events"))
            .unwrap_or_else(|| panic!("no All events row"))
    };
    let mut refused = false;
    // B's money runs out after a withdrawal or two: from then on the decider refuses.
    for _ in 0..5 {
        let (events_before, total_before) = (events(&root), total(&root));
        button(&root, "Withdraw €1,500 from B").click();
        leptos::task::tick().await;
        let said = text(&find(&root, "[role=status]"));
        if said.contains("refused") {
            assert!(said.contains("Nothing was appended"), "{said}");
            assert_eq!(events(&root), events_before, "the stream is unchanged");
            assert_eq!(total(&root), total_before, "the count read model is unchanged");
            refused = true;
            break;
        }
        assert_eq!(events(&root), events_before + 1, "an accepted withdrawal is one more event: {said}");
    }
    assert!(refused, "B could not keep paying €1,500");
}
