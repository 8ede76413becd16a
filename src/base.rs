//! Where the app is hosted: the path of `<base href>` that index.html computes before anything loads.

thread_local! {
    /// Read once: the base never changes while the page lives.
    static BASE: String = web_sys_base_path().unwrap_or_default().trim_end_matches('/').to_string();
}

/// The router's base: the app's root path without its trailing slash (`""` at the site root,
/// `"/foldlab"` under a sub-path), read from the document's base URL.
pub fn router_base() -> String {
    BASE.with(String::clone)
}

fn web_sys_base_path() -> Option<String> {
    let uri = leptos::prelude::document().base_uri().ok()??;
    let url = web_sys::Url::new(&uri).ok()?;
    Some(url.pathname())
}

/// An address inside the app (`"lessons/fold"`, `""` for home) as an absolute path under the base.
pub fn href(path: &str) -> String {
    format!("{}/{}", router_base(), path.trim_start_matches('/'))
}
