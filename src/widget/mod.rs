//! The live widgets placed in lessons, each driven by the real event-sourcing core.

pub mod chip;
pub mod command_console;
pub mod command_form;
pub mod concurrency_race;
pub mod correction_ledger;
pub mod fold_stepper;
pub mod log_replay;
pub mod projection_board;
pub mod snapshot_lab;
pub mod transfer_board;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::lesson::Widget;

/// What a widget's status line says after an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Said {
    /// What happened.
    Done(String),
    /// Why the core (or the form) refused: shown in the rejection colour.
    Refused(String),
}

impl Said {
    fn text(&self) -> &str {
        match self {
            Said::Done(text) | Said::Refused(text) => text,
        }
    }
}

/// A status line that reads out what happened and shows refusals as refusals.
#[component]
pub fn StatusLine(said: RwSignal<Said>) -> impl IntoView {
    view! {
        <p class="live-note" class:refused=move || said.with(|s| matches!(s, Said::Refused(_))) role="status">
            {aloud(Signal::derive(move || said.with(|s| s.text().to_owned())))}
        </p>
    }
}

/// The text of a live region: `said`, hidden from assistive technology for a frame when the same
/// sentence is said again (the same refusal after a second press: a signal set again to the same
/// value). A screen reader reads a live region when what it holds changes, so the second press
/// would otherwise go unanswered; the text stays on screen, so nothing moves. (Text only, and not
/// generic over a closure: each instance of an effect is code in the download.)
pub fn aloud(said: Signal<String>) -> impl IntoView {
    let hidden = RwSignal::new(false);
    let last = StoredValue::new(said.get_untracked());
    Effect::new(move |first: Option<()>| {
        let next = said.get();
        let again = first.is_some() && last.with_value(|last| *last == next);
        if again {
            // The widget may be gone by the next frame.
            request_animation_frame(move || {
                let _ = hidden.try_set(false);
            });
        }
        // Something new is never held back by the pause of the sentence before it.
        if again || hidden.get_untracked() {
            hidden.set(again);
        }
        last.set_value(next);
    });
    view! { <span aria-hidden=move || hidden.get().then_some("true")>{said}</span> }
}

/// Scrolls the element with `id` into view once the view has been redrawn, only as far as it takes
/// (not at all when it is in view already): a verdict that appears out of sight of the button
/// pressed reads as no answer at all.
pub fn show_soon(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id) {
            let place = web_sys::ScrollIntoViewOptions::new();
            place.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&place);
        }
    });
}

/// Focuses the element with `id` once the view has been redrawn, so keyboard users keep their
/// place when the control they pressed is replaced or goes away (focus would fall to the page).
pub fn focus_soon(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}

/// The view of a widget block.
pub fn view(kind: Widget) -> AnyView {
    match kind {
        Widget::FoldStepper => view! { <fold_stepper::FoldStepper/> }.into_any(),
        Widget::ProjectionBoard => view! { <projection_board::ProjectionBoard/> }.into_any(),
        Widget::CommandConsole => view! { <command_console::CommandConsole/> }.into_any(),
        Widget::CorrectionLedger => view! { <correction_ledger::CorrectionLedger/> }.into_any(),
        Widget::TransferBoard => view! { <transfer_board::TransferBoard/> }.into_any(),
        Widget::SnapshotLab => view! { <snapshot_lab::SnapshotLab/> }.into_any(),
        Widget::ConcurrencyRace => view! { <concurrency_race::ConcurrencyRace/> }.into_any(),
        Widget::LogReplay => view! { <log_replay::LogReplay/> }.into_any(),
    }
}
