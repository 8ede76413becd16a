//! The live widgets placed in lessons, each driven by the real event-sourcing core.

use leptos::prelude::*;

use crate::lesson::Widget;

/// The view of a widget block.
pub fn view(kind: Widget) -> AnyView {
    let name = format!("{kind:?}");
    view! { <div class="widget card"><p>{name}</p></div> }.into_any()
}
