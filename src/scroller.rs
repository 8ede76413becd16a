//! Boxes of a lesson that scroll sideways on a narrow screen (a wide code listing, a wide table):
//! a keyboard can scroll one only if it can focus it, so each is a named, focusable region while
//! its content is wider than it is, and nothing at all while it fits (a lesson has a dozen).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Keeps the boxes that `find` returns, each with its name, focusable while they scroll: measured
/// once drawn, and again whenever the window is resized (a phone turned, the text zoomed).
pub fn focusable_while_scrolling(find: impl Fn() -> Vec<(web_sys::Element, String)> + Clone + 'static) {
    let measure = move || {
        for (element, name) in find() {
            fit(&element, &name);
        }
    };
    let drawn = measure.clone();
    Effect::new(move |_| request_animation_frame(drawn.clone()));
    let resized = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resized.remove());
}

/// The tables inside `root`, each named by its column headings ("Table: given, when, then").
pub fn tables(root: &web_sys::Element) -> Vec<(web_sys::Element, String)> {
    let Ok(found) = root.query_selector_all("table") else { return Vec::new() };
    (0..found.length())
        .filter_map(|i| found.get(i)?.dyn_into::<web_sys::Element>().ok())
        .map(|table| {
            let headings = table.query_selector_all("th").ok();
            let names: Vec<String> = headings
                .map(|h| (0..h.length()).filter_map(|i| h.get(i)?.text_content()).collect())
                .unwrap_or_default();
            let name = if names.is_empty() { "Table".to_owned() } else { format!("Table: {}", names.join(", ")) };
            (table, name)
        })
        .collect()
}

fn fit(element: &web_sys::Element, name: &str) {
    if element.scroll_width() > element.client_width() {
        let _ = element.set_attribute("tabindex", "0");
        let _ = element.set_attribute("role", "region");
        let _ = element.set_attribute("aria-label", name);
    } else {
        let _ = element.remove_attribute("tabindex");
        let _ = element.remove_attribute("role");
        let _ = element.remove_attribute("aria-label");
    }
}
