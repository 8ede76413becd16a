//! The concurrency race in a real browser: naive writes overdraw the account and the UI says what
//! went wrong; expected-version appends conflict and the retry on fresh state is refused; a deposit
//! sent twice with one event id is stored once.

use foldlab::widget::concurrency_race::ConcurrencyRace;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

use super::support::{click, find, mount, stream_len, text};

fn balance(root: &HtmlElement) -> String {
    text(&find(root, "[aria-label='Balance of account A']"))
}

async fn both_read_then_both_withdraw(root: &HtmlElement) {
    click(root, "Clerk 1: Read account").await;
    click(root, "Clerk 2: Read account").await;
    assert!(text(root).contains("version 2 · €100.00"));
    click(root, "Clerk 1: Withdraw €80").await;
    click(root, "Clerk 2: Withdraw €80").await;
}

#[wasm_bindgen_test]
async fn naive_writes_overdraw_the_account_and_say_what_went_wrong() {
    let root = mount(|| view! { <ConcurrencyRace/> });
    both_read_then_both_withdraw(&root).await;
    assert_eq!(stream_len(&root), 4, "both withdrawals landed");
    assert!(balance(&root).contains("-€60.00") && balance(&root).contains("overdrawn"), "{}", balance(&root));
    let verdict = text(&find(&root, ".race-verdict"));
    assert!(verdict.contains("Clerk 2 decided on version 2, but when it wrote, the stream was already at version 3"), "{verdict}");
    assert!(verdict.contains("Clerk 1 writes €20.00, then Clerk 2 writes €20.00"), "the CRUD row loses an update: {verdict}");
}

#[wasm_bindgen_test]
async fn expected_versions_turn_the_race_into_a_conflict_and_a_refused_retry() {
    let root = mount(|| view! { <ConcurrencyRace/> });
    let radio: HtmlInputElement = root
        .query_selector_all("input[type=radio]")
        .unwrap()
        .item(1)
        .and_then(|n| n.dyn_into().ok())
        .expect("the expected-version radio");
    radio.click();
    leptos::task::tick().await;
    assert!(text(&find(&root, "[role=status]")).contains("Expected-version mode"));
    both_read_then_both_withdraw(&root).await;
    let shown = text(&root);
    assert!(shown.contains("expected version 2, found 3"), "{shown}");
    assert!(shown.contains("Conflict on account-A: expected version 2 but it is at version 3."), "the core's sentence: {shown}");
    assert_eq!(stream_len(&root), 3, "the conflicting append stored nothing");
    click(&root, "Clerk 2: Retry with fresh state").await;
    let shown = text(&root);
    assert!(shown.contains("version 3 · €20.00"), "the retry read fresh state: {shown}");
    assert!(shown.contains("Insufficient funds: the balance is €20.00, less than the €80.00 asked for."), "{shown}");
    assert_eq!(stream_len(&root), 3);
    assert!(balance(&root).contains("€20.00") && !balance(&root).contains("overdrawn"));
    assert!(text(&find(&root, ".race-verdict")).contains("only valid withdrawals were kept"));
}

#[wasm_bindgen_test]
async fn the_same_deposit_sent_twice_is_stored_once() {
    let root = mount(|| view! { <ConcurrencyRace/> });
    assert_eq!(stream_len(&root), 2);
    click(&root, "Send the same deposit twice").await;
    assert_eq!(stream_len(&root), 3);
    let said = text(&find(&root, "[role=status]"));
    assert!(said.contains("2 events before, 3 after the first send, 3 after the second"), "{said}");
    assert!(text(&root).contains("dep-1 is already stored"));
    assert!(balance(&root).contains("€110.00"));
}
