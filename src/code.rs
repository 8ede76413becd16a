//! A highlighted, read-only code listing in a lesson.

use leptos::prelude::*;

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
    view! {
        <pre class="code-block" data-lang=lang tabindex="0" aria-label=format!("{lang} code")>
            <code>{spans(lang, source)}</code>
        </pre>
    }
}
