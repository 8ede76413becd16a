//! The page `/log`: the learner's own event log, every event with its data, replayable, exportable.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::set_title;
use crate::learner::use_journal;
use crate::widget::log_replay::LogReplay;

/// "Your event log".
#[component]
pub fn LogPage() -> impl IntoView {
    set_title(|| "Your event log".to_string());
    let events = use_journal().events();
    let filter = RwSignal::new(String::new());
    let types = move || {
        let mut names: Vec<&'static str> = events.with(|e| e.iter().map(|e| e.type_name()).collect());
        names.sort_unstable();
        names.dedup();
        names
    };
    let export = move |_| {
        let json = events.with(|e| serde_json::to_string_pretty(e).unwrap_or_default());
        download("foldlab-log.json", &json);
    };
    view! {
        <div class="page">
            <h1>"Your event log"</h1>
            <p class="pitch">"This course keeps what you do as events in your browser, and everything it shows about your progress is a fold over them. Here they all are."</p>
            <LogReplay/>
            <div class="row">
                <label class="field">"Show"
                    <select on:change=move |ev| filter.set(event_target_value(&ev))>
                        <option value="">"every type"</option>
                        {move || types().into_iter().map(|t| view! { <option value=t>{t}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" class="button" on:click=export>"Export as JSON"</button>
            </div>
            <table class="log-table">
                <caption class="visually-hidden">"Your events, oldest first"</caption>
                <thead><tr><th scope="col">"#"</th><th scope="col">"Type"</th><th scope="col">"Data"</th></tr></thead>
                <tbody>
                    {move || events.get().into_iter().enumerate()
                        .filter(|(_, e)| { let f = filter.get(); f.is_empty() || e.type_name() == f })
                        .map(|(i, e)| {
                            let data = serde_json::to_value(&e).ok().and_then(|v| v.get("data").cloned()).map(|d| d.to_string()).unwrap_or_default();
                            view! { <tr><td>{i + 1}</td><td><code>{e.type_name()}</code></td><td><code class="log-data">{data}</code></td></tr> }
                        }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Offers `text` as a file download.
fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(link) = document().create_element("a") {
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", name);
        if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
