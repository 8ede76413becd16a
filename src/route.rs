//! Client-side routing in a few lines: the current address as a signal, links that push history,
//! and the back button. (leptos_router cost 48 KB gzip of async routing machinery we do not use.)

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::base;

/// A page of the app, parsed from its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`
    Home,
    /// `/lessons/<slug>` (the slug may name no lesson: the page says so).
    Lesson(String),
    /// `/log`
    Log,
    /// `/sandbox`
    Sandbox,
    /// Anything else.
    NotFound,
}

impl Route {
    /// Parses an address relative to the app's root (`"/lessons/fold"`).
    pub fn parse(path: &str) -> Route {
        // `#fragment` names a place on the page, not a page.
        let path = path.split_once('#').map_or(path, |(page, _)| page).trim_end_matches('/');
        match path {
            "" | "/index.html" => Route::Home,
            "/log" => Route::Log,
            "/sandbox" => Route::Sandbox,
            _ => match path.strip_prefix("/lessons/") {
                Some(slug) if !slug.is_empty() && !slug.contains('/') => Route::Lesson(slug.to_string()),
                _ => Route::NotFound,
            },
        }
    }
}

/// The current address, relative to the app's root, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Location(RwSignal<String>);

impl Location {
    /// The current page.
    pub fn route(&self) -> Route {
        Route::parse(&self.0.get())
    }

    /// The current address relative to the app's root.
    pub fn path(&self) -> String {
        self.0.get()
    }
}

/// Provides the location and keeps it in step with the browser: link clicks and back/forward.
pub fn provide() -> Location {
    let location = Location(RwSignal::new(current_path()));
    provide_context(location);
    let on_pop = Closure::<dyn Fn()>::new(move || {
        location.0.set(current_path());
        let left_from = window().history().ok().and_then(|history| history.state().ok()).and_then(|state| state.as_string());
        let focus = Closure::once_into_js(move || focus_left_from(left_from.as_deref()));
        // The page is redrawn after the location changes, in a later task.
        let _ = window().set_timeout_with_callback(focus.unchecked_ref());
    });
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    // The app lives as long as the page, and so do its listeners.
    on_pop.forget();
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
        match clicked_link(&event) {
            Some(Click::Page(path)) => {
                event.prevent_default();
                navigate(location, &path);
            }
            Some(Click::Jump(id)) => {
                event.prevent_default();
                jump_to(&id);
            }
            None => {}
        }
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    // An address opened with a `#fragment` (a link opened in a new tab, a bookmark): the browser
    // looked for the place before the app had drawn it. Not on a reload, Back or Forward, where
    // the browser puts the page back where the learner had scrolled it.
    let fragment = window().location().hash().ok().and_then(|hash| Some(hash.strip_prefix('#')?.to_owned())).filter(|id| !id.is_empty());
    if let Some(id) = fragment.filter(|_| opened_afresh()) {
        let land = Closure::once_into_js(move || jump_to(&decode(&id)));
        let _ = window().set_timeout_with_callback(land.unchecked_ref());
    }
    location
}

/// Whether this page was opened by following an address, not by a reload, Back or Forward (the
/// Navigation Timing entry's `type`).
fn opened_afresh() -> bool {
    let Some(performance) = window().performance() else { return true };
    let entry = performance.get_entries_by_type("navigation").get(0);
    js_sys::Reflect::get(&entry, &"type".into()).ok().and_then(|kind| kind.as_string()).is_none_or(|kind| kind == "navigate")
}

/// A fragment as the id it names (`location.hash` keeps it percent-encoded).
fn decode(fragment: &str) -> String {
    js_sys::decode_uri_component(fragment).ok().and_then(|id| id.as_string()).unwrap_or_else(|| fragment.to_owned())
}

/// The location provided by the app.
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// Goes to an address inside the app (`"/lessons/fold"`), as a link click would.
pub fn navigate(location: Location, address: &str) {
    let (path, fragment) = address.split_once('#').map_or((address, None), |(p, f)| (p, Some(f)));
    if let Ok(history) = window().history() {
        // The entry being left remembers what had focus (the link followed, usually), so that
        // Back returns focus there, beside the place the browser scrolls back to.
        let mark = focus_mark().map_or(wasm_bindgen::JsValue::NULL, |mark| wasm_bindgen::JsValue::from_str(&mark));
        let _ = history.replace_state(&mark, "");
        // With its fragment, so that a reload or a copied address keeps the place (the route ignores it).
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&base::href(address)));
    }
    location.0.set(path.to_string());
    window().scroll_to_with_x_and_y(0.0, 0.0);
    // Once the new page is drawn (in a later task), keyboard and screen-reader users start at the
    // place the address names, or else at its title: not at the link they left, which is gone,
    // nor at the lesson list.
    let fragment = fragment.map(decode);
    let land = Closure::once_into_js(move || match fragment {
        Some(id) => jump_to(&id),
        None => focus_title(),
    });
    let _ = window().set_timeout_with_callback(land.unchecked_ref());
}

/// What has focus, as something to find again on a redrawn page: `#id`, or a link as its `href`
/// and which of the page's links to that address it is (a lesson's "Next" link and the lesson
/// list both lead to the next lesson).
fn focus_mark() -> Option<String> {
    let active = document().active_element()?;
    if !active.id().is_empty() {
        return Some(format!("#{}", active.id()));
    }
    let href = active.get_attribute("href").filter(|_| active.tag_name() == "A")?;
    let nth = links_to(&href).iter().position(|link| *link == active)?;
    Some(format!("link {nth} {href}"))
}

/// The page's links whose `href` is `href`, in document order.
fn links_to(href: &str) -> Vec<web_sys::Element> {
    let Ok(links) = document().query_selector_all("a[href]") else { return Vec::new() };
    (0..links.length())
        .filter_map(|i| links.get(i)?.dyn_into::<web_sys::Element>().ok())
        .filter(|a| a.get_attribute("href").as_deref() == Some(href))
        .collect()
}

/// After Back or Forward, focuses what had focus when the learner left this page, if it is
/// there again (`focus_mark`), without scrolling from where the browser put the page back; the
/// page's title otherwise.
fn focus_left_from(mark: Option<&str>) {
    let element = mark.and_then(|mark| match mark.strip_prefix('#') {
        Some(id) => document().get_element_by_id(id),
        None => {
            let (nth, href) = mark.strip_prefix("link ")?.split_once(' ')?;
            links_to(href).into_iter().nth(nth.parse().ok()?)
        }
    });
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = element.focus_with_options(&options);
        // A hidden element takes the call without the focus.
        if document().active_element().is_some_and(|active| &active == element.unchecked_ref::<web_sys::Element>()) {
            return;
        }
    }
    focus_title();
}

/// Moves focus to the page's title now; to the main region when a page has no title.
fn focus_title() {
    let heading = document().query_selector("main h1").ok().flatten().and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    let target = heading.or_else(|| document().get_element_by_id("main").and_then(|m| m.dyn_into().ok()));
    if let Some(target) = target {
        // Focusable from script only: it is not a control, so Tab never stops on it.
        if !target.has_attribute("tabindex") {
            let _ = target.set_attribute("tabindex", "-1");
        }
        // Without scrolling: a new page is already at its top, and back/forward keeps the
        // place the browser restores.
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = target.focus_with_options(&options);
    }
}

/// Jumps to the element `id` on this page and moves focus there, as the skip link promises (to
/// the page's title when there is no such element). The browser cannot do it alone: against the
/// page's `<base>`, `#main` is an address of the home page.
fn jump_to(id: &str) {
    // The skip link's jump to the main region lands on the page's title: on a lesson, the lesson
    // list comes first inside it, and skipping means skipping that too.
    if id == "main" {
        window().scroll_to_with_x_and_y(0.0, 0.0);
        focus_title();
        return;
    }
    let Some(target) = document().get_element_by_id(id).and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return focus_title();
    };
    // A heading or a prompt takes the focus from script only, like the page's title.
    if target.tab_index() < 0 && !target.has_attribute("tabindex") {
        let _ = target.set_attribute("tabindex", "-1");
    }
    target.scroll_into_view();
    let _ = target.focus();
}

/// A link inside the app; `aria-current="page"` when it points at the current page.
#[component]
pub fn Link(
    /// The address relative to the app's root, e.g. `"/lessons/fold"`.
    #[prop(into)]
    href: String,
    /// Also current (`aria-current="true"`, the section) on every lesson page: the main
    /// navigation's "Lessons", whose pages the lessons are.
    #[prop(optional)]
    lessons: bool,
    /// The link's content.
    children: Children,
) -> impl IntoView {
    let location = use_location();
    let target = Route::parse(&href);
    let current = move || match location.route() {
        route if route == target => Some("page"),
        Route::Lesson(slug) if lessons && crate::lesson::find(&slug).is_some() => Some("true"),
        _ => None,
    };
    view! { <a href=base::href(&href) aria-current=current>{children()}</a> }
}

fn current_path() -> String {
    let pathname = window().location().pathname().unwrap_or_default();
    let root = base::router_base();
    pathname.strip_prefix(root.as_str()).unwrap_or(&pathname).to_string()
}

/// What a plain left click on a link inside the app asks for.
enum Click {
    /// Another page of the app, by its path relative to the app's root (with any `#fragment`).
    Page(String),
    /// An element of this page, by id: the link is written `href="#id"`.
    Jump(String),
}

/// What a click means, if it is a plain left click on an internal link.
fn clicked_link(event: &web_sys::MouseEvent) -> Option<Click> {
    if event.default_prevented() || event.button() != 0 || event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key() {
        return None;
    }
    let element: web_sys::Element = event.target()?.dyn_into().ok()?;
    let anchor: web_sys::HtmlAnchorElement = element.closest("a[href]").ok()??.dyn_into().ok()?;
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return None;
    }
    if let Some(id) = anchor.get_attribute("href").and_then(|href| href.strip_prefix('#').map(str::to_owned)) {
        return Some(Click::Jump(id));
    }
    let here = window().location();
    if anchor.origin() != here.origin().ok()? {
        return None;
    }
    let root = base::router_base();
    let path = anchor.pathname().strip_prefix(root.as_str())?.to_string();
    let path = if path.is_empty() { "/".to_string() } else { path };
    // A link to a file the app does not route (a download, the worker) is left to the browser.
    if path.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        return None;
    }
    let hash = anchor.hash();
    Some(Click::Page(format!("{path}{hash}")))
}
