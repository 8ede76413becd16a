//! The page `/log`: the learner's own event log, every event with its data, replayable, exportable,
//! importable, and the way to start over or to download damaged data that was set aside.

use foldlab_core::RecordedEvent;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::set_title;
use crate::learner::{exchange, use_journal};
use crate::plural::count;
use crate::widget::focus_soon;
use crate::widget::log_replay::LogReplay;

/// What the import or start-over area is asking or saying.
#[derive(Clone)]
enum Step {
    Idle,
    /// A file was read and checked: merge it or replace the log with it?
    Import { name: String, events: Vec<RecordedEvent> },
    /// "Start over" was pressed: export first, or confirm.
    StartOver,
    /// The outcome of the last action; `ok` is false for a refusal.
    Said { ok: bool, text: String },
}

/// Characters of an event's data shown in full; longer data is folded behind its beginning.
const LONG_DATA: usize = 160;
/// Ids of the controls that open a confirmation panel, where focus returns when it closes.
const IMPORT: &str = "log-import";
const START_OVER: &str = "log-start-over";

/// "Your event log".
#[component]
pub fn LogPage() -> impl IntoView {
    set_title(|| "Your event log".to_string());
    let journal = use_journal();
    // The sandbox bank writes to the same log: read what it added.
    journal.refresh();
    // A stored log this visit could neither open nor set aside: offered for download before a
    // start over deletes it.
    let stranded = RwSignal::new(journal.stranded());
    view! {
        <div class="page">
            <h1>"Your event log"</h1>
            <p class="pitch">"This course keeps what you do as events in your browser, and everything it shows about your progress is a fold over them. Here they all are."</p>
            <LogReplay top_level=true/>
            <SetAside/>
            {move || stranded.get().map(|(why, text)| view! {
                <section class="card log-damaged" aria-labelledby="log-stranded-title">
                    <h2 id="log-stranded-title">"Damaged data, not set aside"</h2>
                    <p>{format!(
                        "Your saved log is damaged ({}), so this visit is not kept. Download the saved log as it is if you may \
                         want it, then start over below: that deletes it, and the course saves your progress again.",
                        why.trim_end_matches('.')
                    )}</p>
                    <div class="row">
                        <button type="button" class="button" on:click=move |_| download("foldlab-damaged-log.json", "application/json", &text)>
                            "Download the damaged log"
                        </button>
                    </div>
                </section>
            })}
            <KeepMoveOrClear stranded/>
            <EveryEvent/>
        </div>
    }
}

/// Damaged data the log set aside (quarantine), each piece to download or delete.
#[component]
fn SetAside() -> impl IntoView {
    let journal = use_journal();
    let damaged = RwSignal::new(journal.quarantined());
    move || (!damaged.with(Vec::is_empty)).then(|| view! {
        <section class="card log-damaged" aria-labelledby="log-damaged-title">
            <h2 id="log-damaged-title">"Damaged data, set aside"</h2>
            <p>"When this browser's copy of your log was found damaged, the events before the damage were kept and the rest was moved here instead of being deleted."</p>
            <ul>
                {move || damaged.get().into_iter().map(|(key, text)| {
                    let reason = serde_json::from_str::<serde_json::Value>(&text).ok()
                        .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_owned))
                        .unwrap_or_else(|| "no reason recorded".to_owned());
                    let when = key.rsplit('/').next().and_then(|m| m.split('-').next()?.parse::<i64>().ok()).map(|m| local_time(m as f64)).unwrap_or_default();
                    let file = format!("foldlab-damaged-{}.json", key.rsplit('/').next().unwrap_or("data"));
                    let forget = key.clone();
                    view! {
                        <li>
                            <p>{format!("Set aside {when}: {}.", reason.trim_end_matches('.'))}</p>
                            <div class="row">
                                <button type="button" class="button" on:click=move |_| download(&file, "application/json", &text)>"Download the damaged data"</button>
                                <button type="button" class="button" on:click=move |_| {
                                    if window().confirm_with_message("Delete the damaged data for good?").unwrap_or(false) {
                                        let _ = journal.discard_quarantined(&forget);
                                        damaged.set(journal.quarantined());
                                    }
                                }>"Delete it"</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

/// Export, import (merge or replace) and start over, each answered in a confirmation panel or a
/// status line. A start over also clears `stranded`, the damaged log it deletes.
#[component]
fn KeepMoveOrClear(stranded: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let journal = use_journal();
    let step = RwSignal::new(Step::Idle);
    let export_json = move || journal.with_records(|r| download("foldlab-log.json", "application/json", &exchange::to_json(r)));
    let export_ndjson = move || journal.with_records(|r| download("foldlab-log.ndjson", "application/x-ndjson", &exchange::to_ndjson(r)));
    let said = move |result: Result<String, String>| {
        step.set(match result {
            Ok(text) => Step::Said { ok: true, text },
            Err(text) => Step::Said { ok: false, text },
        })
    };
    // A confirmation panel goes away once answered: the keyboard goes back to what opened it.
    let close = move |opener: &str| {
        if matches!(step.get_untracked(), Step::Import { .. } | Step::StartOver) {
            step.set(Step::Idle);
        }
        focus_soon(opener.to_owned());
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        let name = file.name();
        read_text(&file, move |text| {
            match text.and_then(|text| exchange::read(&text)) {
                Ok(events) => {
                    step.set(Step::Import { name, events });
                    // The question is in the panel: take the keyboard there.
                    focus_soon("log-confirm-first".to_owned());
                }
                Err(reason) => step.set(Step::Said { ok: false, text: format!("{name} was not imported: {}. Nothing changed. A foldlab export, as the buttons above write it, is a JSON array of CloudEvents or one CloudEvent per line.", reason.trim_end_matches('.')) }),
            }
        });
    };
    let merge = move |events: &[RecordedEvent]| {
        said(journal
            .merge(events)
            .map(|n| match n {
                0 => "Merged: nothing to add, every event in the file was already in your log.".to_owned(),
                n => format!("Merged: {} added to your log.", count(n, "new event")),
            })
            .map_err(|reason| format!("Nothing was merged: {reason}")));
        close(IMPORT);
    };
    let replace = move |events: &[RecordedEvent]| {
        let current = untrack(|| journal.with_records(<[RecordedEvent]>::len));
        let question = format!(
            "Replace your {} with the {} from the file? Export first if you may want them back.",
            count(current, "event"),
            events.len()
        );
        // An empty log loses nothing: the panel's choice was question enough.
        if current == 0 || window().confirm_with_message(&question).unwrap_or(false) {
            said(journal.replace(events).map(|n| format!("Replaced: your log now holds the file's {}.", count(n, "event")))
                .map_err(|reason| format!("Nothing was replaced: {reason}")));
            close(IMPORT);
        }
    };
    let start_over = move || {
        said(journal.start_over().map(|()| "Your log is empty: you start over as a new learner.".to_owned()));
        stranded.set(journal.stranded());
        close(START_OVER);
    };

    view! {
        <section class="log-actions" aria-labelledby="log-actions-title">
            <h2 id="log-actions-title">"Keep, move or clear your log"</h2>
            <div class="row">
                <button type="button" class="button" on:click=move |_| export_json()>"Export as JSON"</button>
                <button type="button" class="button" on:click=move |_| export_ndjson()>"Export as NDJSON"</button>
                <label class="button file-button">"Import a file"
                    <input type="file" id=IMPORT class="visually-hidden" accept=".json,.ndjson,application/json,application/x-ndjson" on:change=import/>
                </label>
                <button type="button" class="button" id=START_OVER aria-controls="log-confirm"
                    aria-expanded=move || matches!(step.get(), Step::StartOver).to_string()
                    on:click=move |_| {
                        step.set(Step::StartOver);
                        focus_soon("log-confirm-first".to_owned());
                    }>"Start over"</button>
            </div>
            <p class="field-hint">"Exports are CloudEvents: a JSON array, or one event per line. Import either into this or another browser."</p>
            // Always on the page, so a screen reader hears each outcome as its text changes (a
            // live region born with its text is often not read).
            <p class="live-note" role="status">
                {move || match step.get() { Step::Said { ok: true, text } => text, _ => String::new() }}
            </p>
            {move || match step.get() {
                Step::Idle | Step::Said { ok: true, .. } => ().into_any(),
                Step::Said { ok: false, text } => view! { <p class="inline-error" role="alert">{text}</p> }.into_any(),
                Step::Import { name, events } => {
                    let held = count(events.len(), "valid event");
                    let (for_merge, for_replace) = (events.clone(), events);
                    view! {
                        <div class="confirm-panel" role="group" aria-label="Import" id="log-confirm"
                            on:keydown=move |ev| if ev.key() == "Escape" { close(IMPORT) }>
                            <p>{format!("{name} holds {}. Merge them into your log (events you already have are skipped), or replace your log with them?", held)}</p>
                            <div class="row">
                                <button type="button" class="button primary" id="log-confirm-first" on:click=move |_| merge(&for_merge)>"Merge into my log"</button>
                                <button type="button" class="button" on:click=move |_| replace(&for_replace)>"Replace my log"</button>
                                <button type="button" class="button" on:click=move |_| close(IMPORT)>"Cancel"</button>
                            </div>
                        </div>
                    }.into_any()
                }
                Step::StartOver => view! {
                    <div class="confirm-panel" role="group" aria-label="Start over" id="log-confirm"
                        on:keydown=move |ev| if ev.key() == "Escape" { close(START_OVER) }>
                        <p>{move || format!("Starting over deletes {} from this browser: your progress, drafts, quiz answers and sandbox bank. Export them first if you may want them back. The page keeps its theme.", journal.with_records(|r| count(r.len(), "event")))}</p>
                        <div class="row">
                            <button type="button" class="button" id="log-confirm-first" on:click=move |_| export_json()>"Export first"</button>
                            <button type="button" class="button danger" on:click=move |_| start_over()>"Delete everything and start over"</button>
                            <button type="button" class="button" on:click=move |_| close(START_OVER)>"Cancel"</button>
                        </div>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// Every event of the log in a table, filtered by type.
#[component]
fn EveryEvent() -> impl IntoView {
    let journal = use_journal();
    let filter = RwSignal::new(String::new());
    let types = move || {
        let mut names: Vec<String> = journal.with_records(|r| r.iter().map(|e| e.event_type.clone()).collect());
        names.sort_unstable();
        names.dedup();
        names
    };
    view! {
        <h2>"Every event"</h2>
        <label class="field">"Show"
            <select on:change=move |ev| filter.set(event_target_value(&ev))>
                <option value="">"every type"</option>
                {move || types().into_iter().map(|t| { let label = t.clone(); view! { <option value=t>{label}</option> } }).collect_view()}
            </select>
        </label>
        {move || journal.with_records(<[RecordedEvent]>::is_empty).then(|| view! {
            <p class="log-empty">"No events yet. Open a lesson, answer a question or run an exercise, and it appears here."</p>
        })}
        // Long data scrolls inside its own box instead of widening the page; on a phone each
        // event is a block of labelled lines (style/main.css).
        <div class="log-table-wrap" role="region" aria-label="Events table" tabindex="0"
            hidden=move || journal.with_records(<[RecordedEvent]>::is_empty)>
        <table class="log-table stacked-table">
            <caption class="visually-hidden">"Your events, oldest first"</caption>
            <thead><tr><th scope="col">"Position"</th><th scope="col">"Time"</th><th scope="col">"Stream · version"</th><th scope="col">"Type"</th><th scope="col">"Data"</th></tr></thead>
            <tbody>
                {move || {
                    let f = filter.get();
                    journal.with_records(|r| r.iter().filter(|e| f.is_empty() || e.event_type == f).map(|e| view! {
                        <tr>
                            <td data-label="Position">{e.position}</td>
                            <td data-label="Time" class="log-time">{local_time(e.recorded_at.millis() as f64)}</td>
                            <td data-label="Stream"><code>{format!("{} · v{}", e.stream, e.version)}</code></td>
                            <td data-label="Type"><code>{e.event_type.clone()}</code></td>
                            <td data-label="Data">{data_cell(e.data.to_string())}</td>
                        </tr>
                    }).collect_view())
                }}
            </tbody>
        </table>
        </div>
    }
}

/// An event's data, folded behind its beginning when long (a saved draft holds a whole program,
/// which would make its row a page tall): the table stays one to scan, and the export keeps it all.
fn data_cell(json: String) -> impl IntoView {
    if json.chars().count() <= LONG_DATA {
        return view! { <code class="log-data">{json_lines(&json)}</code> }.into_any();
    }
    let start: String = json.chars().take(LONG_DATA / 2).collect();
    view! {
        <details class="log-data-long">
            <summary><code class="log-data">{format!("{start}…")}</code></summary>
            <code class="log-data">{json_lines(&json)}</code>
        </details>
    }
    .into_any()
}

/// A recorded time as the learner reads it, in their time zone: "2 Dec 2026, 12:14:39", which no
/// reader takes for the 12th of February.
fn local_time(millis: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("dateStyle"), &JsValue::from_str("medium"));
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("timeStyle"), &JsValue::from_str("medium"));
    String::from(date.to_locale_string("en-GB", &options))
}

/// Reads a chosen file as text and calls `done` with it, or with why it could not be read.
fn read_text(file: &web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_error = done.clone();
    let ok = Closure::once(move |text: JsValue| {
        if let Some(done) = done.borrow_mut().take() {
            done(text.as_string().ok_or_else(|| "the file is not text".to_owned()));
        }
    });
    let failed = Closure::once(move |_: JsValue| {
        if let Some(done) = on_error.borrow_mut().take() {
            done(Err("the browser could not read the file".to_owned()));
        }
    });
    let _ = file.text().then2(&ok, &failed);
    // The promise owns the callbacks until it settles.
    ok.forget();
    failed.forget();
}

/// Offers `text` as a file download.
fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
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

/// Compact JSON with a place to break after each comma (`<wbr>`, which copying leaves out), so a
/// narrow column wraps between fields rather than inside a word.
fn json_lines(json: &str) -> impl IntoView {
    json.split_inclusive(',').map(|part| view! { {part.to_owned()}<wbr/> }).collect_view()
}
