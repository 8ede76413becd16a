//! The exercise worker: receives learner code from the page, checks it, posts the report back.
//!
//! Thin glue over `foldlab_script::check_timed`, timing each case with `performance.now()`. The
//! protocol is JSON text both ways (see [`Request`] and [`Response`]); the worker first posts
//! `{"ready":true}`, because messages sent before the wasm has loaded would be dropped. The page may terminate the worker at any
//! time (a run over its wall-clock limit) and start a fresh one.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, WorkerGlobalScope};

use foldlab_script::{ErrorKind, Report, ScriptError};

/// What the page asks: check `source` against `exercise`.
#[derive(Debug, Deserialize)]
struct Request {
    /// Echoed in the response, so the page can ignore answers to runs it gave up on.
    id: u64,
    /// The exercise id, e.g. `transfers`.
    #[serde(default)]
    exercise: String,
    /// The learner's code.
    #[serde(default)]
    source: String,
    /// The learner's own events for the exercise's own cases (the upcaster's: sandbox deposits
    /// as version 1 wrote them).
    #[serde(default)]
    own: Vec<serde_json::Value>,
    /// Set by the benchmark (`bench/browser.mjs`): time `balances` over a generated history
    /// instead of checking the exercise's cases.
    #[serde(default)]
    bench: Option<Bench>,
    /// Set by the benchmark: time the core's bank-account fold (no learner code) over `events`
    /// generated events of one account, to compare the same fold as wasm and natively.
    #[serde(default)]
    fold: Option<Bench>,
}

/// A benchmark run over `events` generated events, `runs` times: the transfer exercise's
/// `balances` (four accounts, the generator of its long case) or the core's fold (one account, the
/// generator of the native criterion bench).
#[derive(Debug, Deserialize)]
struct Bench {
    events: usize,
    seed: u64,
    runs: usize,
}

/// What a benchmark run measured: each run's time, the balances, and the events (so a peer can
/// fold exactly the same ones).
#[derive(Debug, Serialize)]
struct Timed {
    millis: Vec<f64>,
    result: serde_json::Value,
    events: Vec<serde_json::Value>,
}

/// What the worker answers.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Response {
    /// Sent once, when the worker can take requests.
    Ready { ready: bool },
    /// The report for request `id`.
    Checked { id: u64, report: Report },
    /// A benchmark's measurements for request `id`, or why it could not run.
    Benched { id: u64, bench: Result<Timed, String> },
    /// The core's fold timed for request `id`.
    Folded { id: u64, fold: Folded },
}

/// What a fold benchmark measured: each run's time and the state it reached (its version is the
/// number of events folded, so the harness can check that every event was).
#[derive(Debug, Serialize)]
struct Folded {
    millis: Vec<f64>,
    version: u64,
    balance_cents: i64,
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let response = match serde_json::from_str::<Request>(&text) {
            Ok(Request { id, source, bench: Some(bench), .. }) => Response::Benched { id, bench: timed(&source, &bench) },
            Ok(Request { id, fold: Some(fold), .. }) => Response::Folded { id, fold: folded(&fold) },
            Ok(request) => Response::Checked {
                id: request.id,
                report: foldlab_script::check_timed(&request.exercise, &request.source, Some(&now), &request.own),
            },
            Err(error) => {
                let error = ScriptError::new(
                    ErrorKind::Runtime,
                    format!("the worker got a request it cannot read: {error}"),
                );
                Response::Checked { id: 0, report: Report::failed("", error, Vec::new()) }
            }
        };
        post(&reply_to, &response);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Response::Ready { ready: true });
}

/// Runs `balances` of `source` over a generated history, with no operation budget to speak of (the
/// benchmark's 100,000 events need more than any case allows). The events become Rhai values
/// before each run's clock starts.
fn timed(source: &str, bench: &Bench) -> Result<Timed, String> {
    let events = foldlab_script::history::busy_history(bench.seed, bench.events).values();
    let program = foldlab_script::sandbox::Program::compile_with_operations(source, u64::MAX).map_err(|e| e.message)?;
    let events_value = serde_json::Value::Array(events.clone());
    let mut millis = Vec::with_capacity(bench.runs);
    let mut result = serde_json::Value::Null;
    for _ in 0..bench.runs.max(1) {
        // Only the reduce is timed: nbb's side times it after turning its JSON into Clojure data.
        let argument = foldlab_script::convert::to_dynamic(&events_value);
        let start = now();
        let balances = program.call("balances", vec![argument]).map_err(|e| e.message)?;
        millis.push(now() - start);
        result = foldlab_script::convert::to_value(&balances);
    }
    Ok(Timed { millis, result, events })
}

/// Times `replay`, the core's fold of one account, over a generated history (generating it is not
/// timed): the figure `cargo bench -p foldlab-core` measures natively.
fn folded(bench: &Bench) -> Folded {
    let events = foldlab_core::generate::account_history(bench.seed, bench.events);
    let mut millis = Vec::with_capacity(bench.runs);
    let mut state = foldlab_core::account::Account::default();
    for _ in 0..bench.runs.max(1) {
        let start = now();
        state = foldlab_core::account::replay(std::hint::black_box(&events));
        millis.push(now() - start);
    }
    Folded { millis, version: state.version(), balance_cents: state.balance().cents() }
}

/// Milliseconds from the worker's clock, for timing each case.
fn now() -> f64 {
    js_sys::global().unchecked_into::<WorkerGlobalScope>().performance().map_or(0.0, |clock| clock.now())
}

fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
    if let Ok(text) = serde_json::to_string(response) {
        // Posting a string cannot fail to clone; if the page is gone there is no one to tell.
        let _ = scope.post_message(&JsValue::from_str(&text));
    }
}
