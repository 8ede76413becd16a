//! A highlighted, read-only code listing in a lesson.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::highlight;

/// Renders highlighted code tokens as spans.
pub fn spans(lang: &str, source: &str) -> impl IntoView {
    highlight::tokens(lang, source)
        .into_iter()
        .map(|(kind, text)| {
            let text = text.to_string();
            match kind.class() {
                Some(class) => view! { <span class=class>{text}</span> }.into_any(),
                None => text.into_any(),
            }
        })
        .collect_view()
}

/// A code block with the editor's colours.
#[component]
pub fn CodeBlock(lang: &'static str, source: &'static str) -> impl IntoView {
    let block = NodeRef::<leptos::html::Pre>::new();
    crate::scroller::focusable_while_scrolling(move || {
        block.try_get_untracked().flatten().map(|pre| vec![(pre.unchecked_into(), name(lang))]).unwrap_or_default()
    });
    view! {
        <pre class="code-block" data-lang=lang node_ref=block>
            <code>{spans(lang, source)}</code>
        </pre>
    }
}

/// What a listing is called where it needs a name: "Rhai code", or "Code" for plain text.
fn name(lang: &str) -> String {
    match lang {
        "rhai" => "Rhai code".to_owned(),
        "rust" => "Rust code".to_owned(),
        "json" => "JSON".to_owned(),
        _ => "Code".to_owned(),
    }
}
