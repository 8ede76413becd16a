//! The fold stepper in a real browser: stepping and time travel show the core's state after event
//! k, bad amounts and impossible histories change nothing, possible edits refold the list and are
//! kept in the learner's log.

use foldlab::learner::{self, LearnerEvent};
use foldlab::widget::fold_stepper::FoldStepper;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::support::{button, clear_storage, click, find, input, mount, pause, text};

/// A stepper on a fresh page: its own journal over what localStorage holds.
fn stepper() -> HtmlElement {
    mount(|| {
        learner::provide();
        view! { <FoldStepper/> }
    })
}

/// A stepper on an empty localStorage, as a learner's first visit.
fn first_stepper() -> HtmlElement {
    clear_storage();
    stepper()
}

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
    let root = first_stepper();
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
    let root = first_stepper();
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
    let root = first_stepper();
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

#[wasm_bindgen_test]
async fn the_learners_own_list_is_kept_once_the_clicks_pause_and_is_there_on_the_next_visit() {
    let root = first_stepper();
    add(&root, "withdraw", "5").await;
    click(&root, "Move event 5 up").await;
    let list = text(&find(&root, ".stepper-list"));
    // Not on every click: a visit opened straight away still finds the example.
    assert_eq!(count(&stepper(), ".stepper-item"), 4, "nothing is kept before the clicks pause");
    pause(1_300).await;
    // The next visit (a reload) opens the log afresh and shows the list as it was left, all folded.
    let again = stepper();
    assert_eq!(text(&find(&again, ".stepper-list")), list);
    assert_eq!(count(&again, ".stepper-item"), 5);
    assert!(state(&again).contains("€30.00") && state(&again).contains("5 of 5 events folded"), "{}", state(&again));
    assert!(again.query_selector("#fold-stepper-unread").ok().flatten().is_none(), "a list that reads needs no word");
}

/// Keeps `events` as the stepper's list in a fresh log, as a hand-edited or imported log may hold
/// it, and opens a stepper on it.
fn stepper_on(events: Vec<serde_json::Value>) -> HtmlElement {
    clear_storage();
    let owner = Owner::new();
    owner.with(|| learner::provide().record(LearnerEvent::ExampleEdited { widget: "fold-stepper".into(), events }));
    stepper()
}

#[wasm_bindgen_test]
async fn a_kept_list_that_cannot_be_shown_is_said_above_the_example_until_the_first_edit() {
    let opened = json!({ "type": "account-opened", "schema": 1, "data": {} });
    let deposit = json!({ "type": "money-deposited", "schema": 2, "data": { "amount": 500 } });
    let cases = [
        // A hand-edited log: a withdrawal from an account never opened.
        (vec![json!({ "type": "money-withdrawn", "schema": 1, "data": { "amount": 500 } })], "Event 1 (money-withdrawn €5.00) could never have been recorded."),
        (vec![], "It holds no events, not even account-opened."),
        (std::iter::once(opened.clone()).chain(std::iter::repeat_n(deposit.clone(), 16)).collect(), "It holds 17 events, more than the 16 the stepper holds."),
        (vec![opened.clone(), json!({ "type": "money-transferred-out", "schema": 1, "data": { "transfer": "t1", "to": "B", "amount": 500 } })], "Event 2 is money-transferred-out, which the stepper does not hold."),
        (vec![opened.clone(), json!({ "type": "money-deposited", "schema": 9, "data": { "amount": 500 } })], "Event 2 does not read"),
        (vec![opened.clone(), json!({ "data": {} })], "Event 2 has no type."),
    ];
    for (events, says) in cases {
        let root = stepper_on(events);
        let shown = text(&find(&root, "#fold-stepper-unread"));
        assert!(shown.starts_with("Your own list could not be read back, so the example is shown.") && shown.contains(says), "{shown}");
        assert_eq!(count(&root, ".stepper-item"), 4);
        assert!(state(&root).contains("€35.00"), "{}", state(&root));
    }
    // Stepping through the example leaves the word up; the first edit takes it down, and is kept
    // over the list that could not be read.
    let root = stepper_on(vec![]);
    click(&root, "Back to the start").await;
    assert!(root.query_selector("#fold-stepper-unread").ok().flatten().is_some());
    click(&root, "Remove event 4").await;
    assert!(root.query_selector("#fold-stepper-unread").ok().flatten().is_none());
    pause(1_300).await;
    let again = stepper();
    assert!(again.query_selector("#fold-stepper-unread").ok().flatten().is_none());
    assert_eq!(count(&again, ".stepper-item"), 3);
}
