//! The command console in a real browser: the lesson's tour, where every accepted command appends
//! the decider's events and updates the balances read model, and every refused one appends nothing.

use foldlab::widget::command_console::CommandConsole;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use super::support::{click, find, input, mount, stream_len, text};

async fn send(root: &HtmlElement, field: &str, amount: &str, name: &str) {
    let input = input(root, field);
    input.set_value(amount);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    leptos::task::tick().await;
    click(root, name).await;
}

/// The newest line of the history.
fn latest(root: &HtmlElement) -> String {
    text(&find(root, ".console-line.latest"))
}

#[wasm_bindgen_test]
async fn accepted_commands_append_and_refused_ones_append_nothing() {
    let root = mount(|| view! { <CommandConsole/> });
    send(&root, "Amount to deposit", "10", "Deposit").await;
    assert!(latest(&root).contains("account-not-open"), "{}", latest(&root));
    assert!(latest(&root).contains("Nothing appended: the stream stays at version 0."));
    assert_eq!(stream_len(&root), 0);
    assert!(text(&find(&root, "[role=status]")).contains("Nothing was appended"));

    click(&root, "Open account").await;
    send(&root, "Amount to deposit", "50", "Deposit").await;
    assert_eq!(stream_len(&root), 2);
    assert!(latest(&root).contains("money-deposited"), "{}", latest(&root));
    let model = text(&find(&root, "[aria-label='Balance read model']"));
    assert!(model.contains("€50.00") && model.contains("2 events"), "{model}");

    send(&root, "Amount to withdraw", "0", "Withdraw").await;
    assert!(latest(&root).contains("amount-not-positive") && latest(&root).contains("The amount must be more than zero."));
    send(&root, "Amount to withdraw", "80", "Withdraw").await;
    assert!(latest(&root).contains("Insufficient funds: the balance is €50.00, less than the €80.00 asked for."), "{}", latest(&root));
    click(&root, "Close account").await;
    assert!(latest(&root).contains("balance-not-zero"), "{}", latest(&root));
    send(&root, "Amount to withdraw", "-5", "Withdraw").await;
    assert!(latest(&root).contains("amount-not-positive"));
    send(&root, "Amount to deposit", "99999999999", "Deposit").await;
    assert!(latest(&root).contains("amount-too-large"), "{}", latest(&root));
    assert_eq!(stream_len(&root), 2, "five refusals appended nothing");
    assert!(text(&find(&root, "[aria-label='Balance read model']")).contains("€50.00"));

    send(&root, "Amount to withdraw", "50", "Withdraw").await;
    click(&root, "Close account").await;
    assert_eq!(stream_len(&root), 4);
    assert!(text(&find(&root, "[aria-label='Balance read model']")).contains("account A closed"));
    send(&root, "Amount to deposit", "5", "Deposit").await;
    assert!(latest(&root).contains("account-closed"), "{}", latest(&root));
    assert_eq!(stream_len(&root), 4);

    click(&root, "Reset").await;
    assert_eq!(stream_len(&root), 0);
    assert!(text(&root).contains("No commands yet"));
}

#[wasm_bindgen_test]
async fn text_that_is_not_an_amount_is_not_sent() {
    let root = mount(|| view! { <CommandConsole/> });
    click(&root, "Open account").await;
    for bad in ["", "ten", "12.345", "1234567890123456"] {
        send(&root, "Amount to deposit", bad, "Deposit").await;
        let error = find(&root, "#command-console-depositmoney-error");
        assert!(!error.hidden(), "{bad:?} gets a message");
        assert_eq!(input(&root, "Amount to deposit").get_attribute("aria-invalid").as_deref(), Some("true"));
        assert_eq!(root.query_selector_all(".console-line").unwrap().length(), 1, "{bad:?} was not sent");
    }
    send(&root, "Amount to deposit", "12.5", "Deposit").await;
    assert!(find(&root, "#command-console-depositmoney-error").hidden());
    assert!(latest(&root).contains("deposited €12.50"), "{}", latest(&root));

    // Reset starts the forms over too: no refused amount or its message stays behind.
    send(&root, "Amount to deposit", "ten", "Deposit").await;
    assert!(!find(&root, "#command-console-depositmoney-error").hidden());
    click(&root, "Reset").await;
    // The form hears of the reset in an effect, and the field follows in the next.
    leptos::task::tick().await;
    assert!(find(&root, "#command-console-depositmoney-error").hidden());
    assert_eq!(input(&root, "Amount to deposit").value(), "50");
    assert_eq!(input(&root, "Amount to deposit").get_attribute("aria-invalid").as_deref(), Some("false"));
}
