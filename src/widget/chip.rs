//! The chip: the small labelled box every widget shows a command, an event, a stream or a
//! refusal in. One view for all of them, so it is compiled once (the first page's size is tight).

use foldlab_core::account::Event;
use leptos::prelude::*;

/// A chip: its kind in small capitals, then a name and a detail (either may be empty).
pub fn chip(class: &'static str, kind: String, name: String, detail: String) -> AnyView {
    let name = (!name.is_empty()).then(|| view! { <span class="chip-name">{name}</span> });
    let detail = (!detail.is_empty()).then(|| view! { <span class="chip-detail">{detail}</span> });
    view! { <span class=class><span class="chip-kind">{kind}</span>{name}{detail}</span> }.into_any()
}

/// A chip for an event with a label (`v3`, `event 2`): its type and what it did.
pub fn event_chip(kind: String, event: &Event) -> AnyView {
    chip("chip chip-event", kind, event.type_name().to_owned(), event.describe())
}
