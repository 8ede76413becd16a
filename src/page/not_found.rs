//! The page for an address the course does not have.

use leptos::prelude::*;
use crate::route::Link;

use super::set_title;

/// "Page not found", with the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    set_title(|| "Page not found".to_string());
    view! {
        <div class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link has a typo."</p>
            <p><Link href="/">"Back to the course"</Link></p>
        </div>
    }
}
