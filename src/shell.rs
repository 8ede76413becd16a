//! The frame around every page: skip link, header with navigation and theme toggle, footer.

use leptos::prelude::*;
use crate::route::Link;

use crate::theme::ThemeToggle;

/// The slim header: course name, main navigation and the theme toggle.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <Link href="/">
                <span class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "foldlab"
                </span>
            </Link>
            <nav aria-label="Main" class="site-nav">
                <Link href="/" lessons=true>"Lessons"</Link>
                <Link href="/sandbox">"Sandbox"</Link>
                <Link href="/log">"Your log"</Link>
            </nav>
            <ThemeToggle/>
        </header>
        <StorageNotice/>
    }
}

/// A quiet footer saying what the app keeps and where.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "foldlab runs entirely in your browser: the lessons, the widgets and your code. "
                "Nothing you do leaves this device."
            </p>
        </footer>
    }
}

/// A banner when the learner's log cannot be kept (storage full, blocked or damaged).
#[component]
fn StorageNotice() -> impl IntoView {
    let notice = crate::learner::use_journal().notice();
    move || {
        notice.get().map(|notice| {
            let more = notice.see_log.then(|| view! { " " <Link href="/log">"Open your event log"</Link> });
            view! { <p class="storage-notice" role="alert">{notice.text}{more}</p> }
        })
    }
}
