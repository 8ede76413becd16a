//! The code editor in a real browser: an error's line is marked in the highlighted copy and said
//! to assistive technology (the textarea's description and `aria-invalid`), and both go together.

use foldlab::exercise::editor::Editor;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use super::support::{find, mount, text};

/// The textarea's description as its `aria-describedby` puts it together, in order.
fn description(root: &HtmlElement) -> String {
    let ids = find(root, "textarea").get_attribute("aria-describedby").unwrap_or_default();
    let parts: Vec<String> = ids.split_whitespace().map(|id| text(&find(root, &format!("[id='{id}']"))).trim().to_owned()).collect();
    parts.into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

#[wasm_bindgen_test]
async fn an_error_line_is_marked_and_said_and_both_go_together() {
    let error_line = RwSignal::new(Some(2u32));
    let root = mount(move || {
        let source = RwSignal::new("fn evolve(state, event) {\n    state.balance += event.amont;\n    state\n}\n".to_owned());
        view! { <Editor source error_line=error_line on_run=Callback::new(|()| ()) on_blur=Callback::new(|()| ()) id="editor-test".to_owned()/> }
    });
    leptos::task::tick().await;
    let marked = root.query_selector_all(".editor-line.error-line").map(|l| l.length()).unwrap_or(0);
    assert_eq!(marked, 1, "one line is marked");
    assert_eq!(find(&root, ".editor-line.error-line").get_attribute("data-line").as_deref(), Some("2"));
    assert_eq!(find(&root, "textarea").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(description(&root).starts_with("The last run found an error on line 2. Tab indents"), "{}", description(&root));

    error_line.set(None);
    leptos::task::tick().await;
    assert!(root.query_selector(".editor-line.error-line").ok().flatten().is_none(), "no line is marked");
    assert_eq!(find(&root, "textarea").get_attribute("aria-invalid").as_deref(), Some("false"));
    assert!(description(&root).starts_with("Tab indents"), "{}", description(&root));
}

#[wasm_bindgen_test]
async fn the_highlighted_copy_shows_the_code_as_text_a_line_each_whatever_it_holds() {
    let code = "let a = \"<b>\" + \"&amp;\";\n\n// x < y && y > z\n";
    let source = RwSignal::new(code.to_owned());
    let root = mount(move || {
        view! { <Editor source error_line=Signal::derive(|| None) on_run=Callback::new(|()| ()) on_blur=Callback::new(|()| ()) id="editor-text".to_owned()/> }
    });
    leptos::task::tick().await;
    let layer = find(&root, ".editor-layer");
    assert!(layer.query_selector("b").ok().flatten().is_none(), "markup in the code stays text");
    let lines = layer.query_selector_all(".editor-line").map(|l| l.length()).unwrap_or(0);
    assert_eq!(lines, 4, "a line each, the empty ones too");
    let shown: Vec<String> = (0..lines)
        .filter_map(|i| layer.query_selector_all(".editor-line").ok()?.get(i))
        .map(|line| line.text_content().unwrap_or_default())
        .collect();
    assert_eq!(shown, ["let a = \"<b>\" + \"&amp;\";", " ", "// x < y && y > z", " "]);
    // A key later, the copy follows.
    source.set("fn f() {}".to_owned());
    leptos::task::tick().await;
    assert_eq!(text(&find(&root, ".editor-line")), "fn f() {}");
}
