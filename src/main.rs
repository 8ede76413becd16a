//! The browser entry point: install the panic hook and mount the app.

fn main() {
    console_error_panic_hook::set_once();
    // index.html says "Loading the course…" until now.
    if let Some(starting) = leptos::prelude::document().get_element_by_id("starting") {
        starting.remove();
    }
    leptos::mount::mount_to_body(foldlab::App);
}
