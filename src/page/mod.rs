//! The routed pages, one module per page.

pub mod home;
pub mod lesson;
pub mod log;
pub mod not_found;
pub mod sandbox;

use leptos::prelude::*;

/// Sets the document title to "`<name>` · foldlab" while the calling page is shown.
pub fn set_title(name: impl Fn() -> String + 'static) {
    Effect::new(move |_| document().set_title(&format!("{} · foldlab", name())));
}
