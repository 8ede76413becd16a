//! The fold stepper in a real browser: stepping and time travel show the core's state after event
//! k, bad amounts and impossible histories change nothing, possible edits refold the list.

use foldlab::widget::fold_stepper::FoldStepper;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::support::{button, click, find, input, mount, text};

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).map(|l| l.length()).unwrap_or(0)
}

fn state(root: &HtmlElement) -> String {
    text(&find(root, "[aria-label='Account state']"))
}

fn status(root: &HtmlElement) -> String {
    text(&find(root, "[role=status]"))
}

async fn add(root: &HtmlElement, kind: &str, amount: &str) {
    let select: HtmlSelectElement = input(root, "Kind").unchecked_into();
    select.set_value(kind);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    let field = input(root, "Amount (€)");
    field.set_value(amount);
    field.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    leptos::task::tick().await;
    click(root, "Add event").await;
}

async fn slide(root: &HtmlElement, k: u32) {
    let slider: HtmlInputElement = find(root, "input[type=range]").unchecked_into();
    slider.set_value(&k.to_string());
    slider.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn steps_one_event_at_a_time_and_travels_in_time() {
    let root = mount(|| view! { <FoldStepper/> });
    assert!(state(&root).contains("€35.00"), "the whole example folds to €35: {}", state(&root));
    click(&root, "Back to the start").await;
    assert!(state(&root).contains("€0.00") && state(&root).contains("not opened"), "{}", state(&root));
    assert!(status(&root).contains("Before any event"), "{}", status(&root));
    assert_eq!(count(&root, ".chip.future"), 4, "before any event, every event is in the future");
    for _ in 0..3 {
        click(&root, "Next").await;
    }
    assert!(status(&root).contains("After event 3 (money-withdrawn €20.00): balance €30.00"), "{}", status(&root));
    assert!(text(&find(&root, ".chip.current")).contains("money-withdrawn"));
    assert_eq!(count(&root, ".chip.future"), 1);
    assert!(state(&root).contains("€50.00 → €30.00"), "the card shows the step: {}", state(&root));
    click(&root, "Previous").await;
    assert!(state(&root).contains("€50.00"), "{}", state(&root));
    slide(&root, 1).await;
    assert!(state(&root).contains("€0.00") && state(&root).contains("account open"), "{}", state(&root));
    assert!(text(&find(&root, ".chip.current")).contains("account-opened"));
    assert_eq!(count(&root, ".chip.future"), 3);
}

#[wasm_bindgen_test]
async fn bad_amounts_get_an_inline_message_and_change_nothing() {
    let root = mount(|| view! { <FoldStepper/> });
    for (bad, says) in [("", "Enter an amount"), ("0", "more than zero"), ("-5", "more than zero"), ("ten", "is not an amount"), ("99999999999", "too large"), ("1.234", "is not an amount")] {
        add(&root, "deposit", bad).await;
        let error = find(&root, "#fold-stepper-add-error");
        assert!(!error.hidden(), "{bad:?} shows a message");
        assert!(text(&error).contains(says), "{bad:?}: {}", text(&error));
        assert_eq!(input(&root, "Amount (€)").get_attribute("aria-invalid").as_deref(), Some("true"));
        assert_eq!(count(&root, ".stepper-item"), 4, "{bad:?} added nothing");
        assert!(state(&root).contains("€35.00"));
    }
    add(&root, "deposit", "12.50").await;
    assert!(find(&root, "#fold-stepper-add-error").hidden());
    assert_eq!(count(&root, ".stepper-item"), 5);
    assert!(state(&root).contains("€47.50"), "{}", state(&root));
    assert!(status(&root).contains("Added event 5 (money-deposited €12.50)"), "{}", status(&root));
}

#[wasm_bindgen_test]
async fn impossible_histories_are_refused_with_the_deciders_reason() {
    let root = mount(|| view! { <FoldStepper/> });
    add(&root, "withdraw", "100").await;
    let refusal = text(&find(&root, "#fold-stepper-add-error"));
    assert!(refusal.contains("Insufficient funds: the balance is €35.00, less than the €100.00 asked for."), "{refusal}");
    assert!(refusal.contains("the new event (money-withdrawn €100.00)"), "{refusal}");
    assert_eq!(count(&root, ".stepper-item"), 4);

    click(&root, "Move event 3 up").await;
    let refusal = text(&find(&root, "#fold-stepper-list-error"));
    // Named by the number it has on the screen (3), not in the refused list (where it would be 2).
    assert!(refusal.contains("event 3 (money-withdrawn €20.00) could never have been recorded"), "{refusal}");
    assert!(status(&root).starts_with("Refused"), "the refusal is announced: {}", status(&root));
    click(&root, "Remove event 2").await;
    let refusal = text(&find(&root, "#fold-stepper-list-error"));
    assert!(refusal.contains("Insufficient funds"), "{refusal}");
    assert!(refusal.contains("event 3 (money-withdrawn €20.00)"), "the withdrawal keeps its number on the screen: {refusal}");
    // Marked unavailable (event 1 is always first), yet focusable, and a press still says why.
    assert_eq!(button(&root, "Move event 2 up").get_attribute("aria-disabled").as_deref(), Some("true"));
    click(&root, "Move event 2 up").await;
    assert!(text(&find(&root, "#fold-stepper-list-error")).contains("has not been opened yet"));
    let list = text(&find(&root, ".stepper-list"));
    let (deposited, withdrawn) = (list.find("money-deposited").expect("a deposit"), list.find("money-withdrawn").expect("a withdrawal"));
    assert!(deposited < withdrawn, "{list}");
    let last = count(&root, ".stepper-item");
    let down = format!("Move event {last} down");
    assert_eq!(button(&root, &down).get_attribute("aria-disabled").as_deref(), Some("true"));
    click(&root, &down).await;
    assert!(text(&find(&root, "#fold-stepper-list-error")).contains("already the last one"));
    assert_eq!(text(&find(&root, ".stepper-list")), list, "nothing moved");

    // A possible reorder goes through: the end state is the same, the steps along the way change.
    click(&root, "Move event 4 up").await;
    assert!(find(&root, "#fold-stepper-list-error").hidden());
    let items: Vec<String> = (0..4).map(|i| text(&find(&root, &format!(".stepper-item:nth-child({})", i + 1)))).collect();
    assert!(items[2].contains("deposited €5.00") && items[3].contains("withdrew €20.00"), "{items:?}");
    assert!(state(&root).contains("€35.00"));
    slide(&root, 3).await;
    assert!(state(&root).contains("€55.00"), "{}", state(&root));
    click(&root, "Remove event 4").await;
    assert_eq!(count(&root, ".stepper-item"), 3);
    assert!(state(&root).contains("€55.00"), "{}", state(&root));
}
