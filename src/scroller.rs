//! Boxes of a lesson that scroll sideways on a narrow screen (a wide code listing, a wide table):
//! a keyboard can scroll one only if it can focus it, so each is named and focusable while its
//! content is wider than it is, and nothing at all while it fits (a lesson has a dozen).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Keeps the boxes that `find` returns, each with its name, focusable while they scroll: measured
/// once drawn, and again whenever one changes size. A `ResizeObserver` rather than the window's
/// `resize`: enlarging only the text (a browser's text zoom, a late stylesheet) makes a listing
/// wider than its box without resizing the window.
pub fn focusable_while_scrolling(find: impl Fn() -> Vec<(web_sys::Element, String)> + Clone + 'static) {
    let boxes = find.clone();
    let measure = Closure::<dyn Fn()>::new(move || {
        for (element, name) in find() {
            fit(&element, &name);
        }
    });
    let Ok(observer) = web_sys::ResizeObserver::new(measure.as_ref().unchecked_ref()) else { return };
    let watching = StoredValue::new_local((observer, measure));
    // Observing reports each box's size once to begin with, so this also measures it once drawn.
    Effect::new(move |_| {
        let boxes = boxes.clone();
        // `try_`: the boxes may be gone by the next frame (the learner moved on at once).
        request_animation_frame(move || {
            watching.try_with_value(|(observer, _)| boxes().iter().for_each(|(element, _)| observer.observe(element)));
        })
    });
    on_cleanup(move || {
        watching.try_with_value(|(observer, _)| observer.disconnect());
    });
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
    // A table keeps its own role (a screen reader's table navigation and column headings); a
    // listing becomes a named group, not a region: a dozen landmarks of one name on a phone
    // would crowd the page's landmarks out.
    let table = element.tag_name() == "TABLE";
    if element.scroll_width() > element.client_width() {
        let _ = element.set_attribute("tabindex", "0");
        if !table {
            let _ = element.set_attribute("role", "group");
        }
        let _ = element.set_attribute("aria-label", name);
    } else {
        let _ = element.remove_attribute("tabindex");
        if !table {
            let _ = element.remove_attribute("role");
        }
        let _ = element.remove_attribute("aria-label");
    }
}
