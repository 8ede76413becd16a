//! What browser tests share: mount a view into a fresh element, find controls by their names, press them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

/// Mounts `view` into a new `<div>` at the end of the body and returns that element. The view stays
/// mounted for the rest of the test run (tests are independent pages of one document).
pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> HtmlElement {
    let root: HtmlElement = document().create_element("div").expect("a div").unchecked_into();
    document().body().expect("a body").append_child(&root).expect("appended");
    let handle = leptos::mount::mount_to(root.clone(), view);
    handle.forget();
    root
}

/// The button under `root` whose text (or aria-label) is `name`.
pub fn button(root: &HtmlElement, name: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| accessible_name(b) == name)
        .unwrap_or_else(|| panic!("no button named {name:?} in {}", root.inner_html()))
}

/// The form control under `root` labelled `label` (a wrapping or `for` label, or aria-label).
pub fn input(root: &HtmlElement, label: &str) -> HtmlInputElement {
    for control in all(root, "input, select, textarea") {
        let by_aria = control.get_attribute("aria-label").is_some_and(|a| a == label);
        let by_label = control
            .closest("label")
            .ok()
            .flatten()
            .map(|l| l.text_content().unwrap_or_default())
            .is_some_and(|t| t.trim().starts_with(label));
        if by_aria || by_label {
            return control.unchecked_into();
        }
    }
    panic!("no control labelled {label:?}")
}

/// Presses the button named `name` and lets the view redraw.
pub async fn click(root: &HtmlElement, name: &str) {
    button(root, name).click();
    leptos::task::tick().await;
}

/// The first element under `root` matching `selector`.
pub fn find(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("no {selector}"))
}

/// How many events the stream view of account A shows.
pub fn stream_len(root: &HtmlElement) -> u32 {
    root.query_selector_all("[aria-label='Events of account A'] > li").map(|l| l.length()).unwrap_or(0)
}

/// The visible text under `root`.
pub fn text(root: &HtmlElement) -> String {
    root.text_content().unwrap_or_default()
}

fn all(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
}

/// The name a screen reader would announce: aria-label, else the text minus aria-hidden parts.
fn accessible_name(element: &HtmlElement) -> String {
    if let Some(label) = element.get_attribute("aria-label") {
        return label.trim().to_string();
    }
    let mut name = element.text_content().unwrap_or_default();
    for hidden in all(element, "[aria-hidden=true]") {
        name = name.replacen(&hidden.text_content().unwrap_or_default(), "", 1);
    }
    name.trim().to_string()
}

/// The progress a log of `events` folds to, recorded in that order a millisecond apart.
pub fn progress_of(events: &[foldlab::learner::LearnerEvent]) -> foldlab::learner::Progress {
    let dated: Vec<_> = events
        .iter()
        .zip(1..)
        .map(|(event, at)| foldlab::learner::Dated { at: foldlab_core::Timestamp(at), event: event.clone() })
        .collect();
    foldlab::learner::Progress::from_events(&dated)
}

/// Lets `millis` of timers run.
pub async fn pause(millis: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Empties localStorage, as a learner's first visit finds it.
pub fn clear_storage() {
    window().local_storage().ok().flatten().expect("localStorage").clear().expect("cleared");
}
