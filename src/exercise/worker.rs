//! The client of the exercise worker: the sandbox is started the first time an exercise runs,
//! and stopped and replaced when a run takes longer than the wall-clock limit.
//!
//! Runs are queued and sent one at a time. The worker posts `{"ready":true}` once its wasm is
//! loaded (messages sent earlier would be lost), then answers each `{"id","exercise","source"}`
//! with `{"id","report"}`. Every run ends with exactly one report: the worker's, or one made here
//! for a timeout or a sandbox that failed to load.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use foldlab_script::{ErrorKind, Outcome, Report, ScriptError};
use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker};

/// Wall-clock limit of one run, after which the worker is terminated. A backstop for what the
/// sandbox's own limits cannot stop: a loop runs out of operations in one case and is then run
/// again to find its line, about a second in all on a quiet machine, and that message with its
/// line must reach the learner first on a slow or busy one (at 2 s it did not, under load).
pub const TIME_LIMIT: Duration = Duration::from_secs(4);
/// How long the worker may take to download and start its wasm.
pub const LOAD_LIMIT: Duration = Duration::from_secs(30);
/// The worker's loader (`worker/foldlab-worker_loader.js`, copied unhashed beside the worker's
/// unhashed script and wasm), relative to the document's base URL, so a build hosted under a
/// sub-path finds it too.
pub const WORKER_SCRIPT: &str = "foldlab-worker_loader.js";

/// Checks `source` against `exercise` in the worker, with cases made from the learner's `own`
/// events too (see [`super::own`]), and calls `done` with the report. Starts the worker if there
/// is none; queues the run if another one is under way.
pub fn run(exercise: &str, source: &str, own: Vec<serde_json::Value>, done: impl FnOnce(Report) + 'static) -> RunId {
    let id = STATE.with(|state| {
        let mut state = state.borrow_mut();
        state.next_id += 1;
        let job = Job { id: state.next_id, exercise: exercise.to_owned(), source: source.to_owned(), own, done: Box::new(done) };
        state.queue.push_back(job);
        state.next_id
    });
    pump();
    RunId(id)
}

/// One run asked for with [`run`], to [`cancel`] it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunId(u64);

/// Drops a run nobody waits for any more (its code was changed or reset): its report is never
/// delivered. A queued run leaves the queue. The run under way is stopped with its worker, since
/// learner code may loop until the time limit, and a fresh worker starts loading at once. A run
/// that has already reported is left alone.
pub fn cancel(run: RunId) {
    let stopped = STATE.with(|state| {
        let mut state = state.borrow_mut();
        state.queue.retain(|job| job.id != run.0);
        match state.running.take() {
            Some(running) if running.id == run.0 => {
                if let Some(timer) = running.timer {
                    timer.clear();
                }
                true
            }
            other => {
                state.running = other;
                false
            }
        }
    });
    if stopped {
        stop_worker();
        warm_up();
        pump();
    }
}

/// Whether the sandbox has been started (for tests and the status line).
pub fn is_started() -> bool {
    STATE.with(|state| state.borrow().worker.is_some())
}

/// Which worker answers now: a new number each time one is stopped (for tests).
pub fn generation() -> u64 {
    STATE.with(|state| state.borrow().generation)
}

type Done = Box<dyn FnOnce(Report)>;

struct Job {
    id: u64,
    exercise: String,
    source: String,
    own: Vec<serde_json::Value>,
    done: Done,
}

/// The run the worker is busy with.
struct Running {
    id: u64,
    exercise: String,
    done: Done,
    timer: Option<TimeoutHandle>,
}

/// A started worker and the handlers that must live as long as it does.
struct Live {
    worker: Worker,
    ready: bool,
    load_timer: Option<TimeoutHandle>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

#[derive(Default)]
struct State {
    worker: Option<Live>,
    queue: VecDeque<Job>,
    running: Option<Running>,
    next_id: u64,
    /// Bumped each time a worker is started, so late events of a replaced worker are ignored.
    generation: u64,
}

thread_local! {
    static STATE: Rc<RefCell<State>> = Rc::default();
}

#[derive(Serialize)]
struct Request<'a> {
    id: u64,
    exercise: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    own: &'a [serde_json::Value],
}

/// What the worker answers: `{"ready": true}` once, then `{"id": …, "report": …}` per run. Read
/// as one struct, not an untagged enum: serde buffers a whole message to try an untagged enum's
/// variants, and the code for that was ~11 KB of the first page's wasm.
#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    ready: bool,
    id: Option<u64>,
    report: Option<Report>,
}

/// Sends the next queued run if the worker is free, starting the worker if needed.
fn pump() {
    let failed = STATE.with(|state| {
        let mut state = state.borrow_mut();
        if state.running.is_some() || state.queue.is_empty() {
            return None;
        }
        if state.worker.is_none() {
            match start(&mut state) {
                Ok(live) => state.worker = Some(live),
                Err(message) => return Some(message),
            }
        }
        let ready = state.worker.as_ref().is_some_and(|live| live.ready);
        if !ready {
            return None;
        }
        let job = state.queue.pop_front()?;
        let request = Request { id: job.id, exercise: &job.exercise, source: &job.source, own: &job.own };
        let text = serde_json::to_string(&request).unwrap_or_default();
        if let Some(live) = &state.worker {
            if let Err(error) = live.worker.post_message(&JsValue::from_str(&text)) {
                state.queue.push_front(job);
                return Some(format!("Could not reach the sandbox ({error:?})"));
            }
        }
        let id = job.id;
        let timer = set_timeout_with_handle(move || timed_out(id), TIME_LIMIT).ok();
        state.running = Some(Running { id, exercise: job.exercise, done: job.done, timer });
        None
    });
    if let Some(message) = failed {
        stop_worker();
        fail_all(&message);
    }
}

/// Starts a worker; its handlers report back through [`STATE`].
fn start(state: &mut State) -> Result<Live, String> {
    state.generation += 1;
    let generation = state.generation;
    let url = script_url().ok_or("The page has no base URL to find the sandbox's script")?;
    let worker = Worker::new(&url).map_err(|error| format!("The sandbox could not start ({error:?})"))?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        received(generation, &text);
    });
    let on_error = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        event.prevent_default();
        // An `ErrorEvent` for a script error, a plain event when the script failed to load.
        let message = js_sys::Reflect::get(&event, &JsValue::from_str("message"))
            .ok()
            .and_then(|message| message.as_string())
            .unwrap_or_else(|| "its script did not load".to_owned());
        crashed(generation, &message);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let load_timer = set_timeout_with_handle(move || load_timed_out(generation), LOAD_LIMIT).ok();
    Ok(Live { worker, ready: false, load_timer, _on_message: on_message, _on_error: on_error })
}

/// The worker's script, resolved against `document.baseURI`.
fn script_url() -> Option<String> {
    let base = leptos::prelude::document().base_uri().ok()??;
    web_sys::Url::new_with_base(WORKER_SCRIPT, &base).ok().map(|url| url.href())
}

fn received(generation: u64, text: &str) {
    let finished = STATE.with(|state| {
        let mut state = state.borrow_mut();
        if state.generation != generation {
            return None;
        }
        match serde_json::from_str::<Response>(text) {
            Ok(Response { ready: true, .. }) => {
                if let Some(live) = state.worker.as_mut() {
                    live.ready = true;
                    if let Some(timer) = live.load_timer.take() {
                        timer.clear();
                    }
                }
                None
            }
            Ok(Response { id: Some(id), report: Some(report), .. }) => match state.running.take() {
                Some(running) if running.id == id => {
                    if let Some(timer) = running.timer {
                        timer.clear();
                    }
                    Some((running.done, report))
                }
                other => {
                    state.running = other;
                    None
                }
            },
            // Not a message of this app's worker (or a benchmark's answer): nothing to do.
            Ok(_) | Err(_) => None,
        }
    });
    if let Some((done, report)) = finished {
        let grown = stopped_for_size(&report);
        done(report);
        // A wasm memory never shrinks: a worker that let a value grow to the memory limit would
        // keep that much (about 160 MB at its peak) for the rest of the visit. A fresh one starts.
        if grown {
            stop_worker();
            warm_up();
        }
    }
    pump();
}

/// Whether a run was stopped because a value grew too large.
fn stopped_for_size(report: &Report) -> bool {
    let too_large = |error: &ScriptError| error.kind == ErrorKind::TooLarge;
    match &report.outcome {
        Outcome::Failed { error } => too_large(error),
        Outcome::Checked { cases } => cases.iter().any(|case| case.error.as_ref().is_some_and(too_large)),
    }
}

/// A run went past [`TIME_LIMIT`]: stop the worker, say so, and start a fresh one.
fn timed_out(id: u64) {
    let running = STATE.with(|state| {
        let mut state = state.borrow_mut();
        match state.running.take() {
            Some(running) if running.id == id => Some(running),
            other => {
                state.running = other;
                None
            }
        }
    });
    let Some(running) = running else { return };
    stop_worker();
    let seconds = u32::try_from(TIME_LIMIT.as_secs()).unwrap_or(4);
    (running.done)(Report::failed(&running.exercise, ScriptError::timeout(seconds), Vec::new()));
    warm_up();
    pump();
}

/// Starts a replacement for a stopped worker now, so the next run does not wait for the wasm.
fn warm_up() {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        if state.worker.is_none() {
            if let Ok(live) = start(&mut state) {
                state.worker = Some(live);
            }
        }
    });
}

fn load_timed_out(generation: u64) {
    let current = STATE.with(|state| {
        let state = state.borrow();
        state.generation == generation && state.worker.as_ref().is_some_and(|live| !live.ready)
    });
    if current {
        stop_worker();
        fail_all("The sandbox took too long to load: check your connection, then run again");
    }
}

fn crashed(generation: u64, message: &str) {
    let current = STATE.with(|state| state.borrow().generation == generation);
    if current {
        stop_worker();
        fail_all(&format!("The sandbox stopped unexpectedly ({message}): run again to restart it"));
    }
}

/// Terminates the worker, if any; a new one starts with the next run.
fn stop_worker() {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        state.generation += 1;
        if let Some(live) = state.worker.take() {
            live.worker.set_onmessage(None);
            live.worker.set_onerror(None);
            live.worker.terminate();
            if let Some(timer) = live.load_timer {
                timer.clear();
            }
        }
    });
}

/// Ends the running and every queued run with the same error.
fn fail_all(message: &str) {
    let jobs: Vec<(String, Done)> = STATE.with(|state| {
        let mut state = state.borrow_mut();
        let mut jobs: Vec<(String, Done)> = Vec::new();
        if let Some(running) = state.running.take() {
            if let Some(timer) = running.timer {
                timer.clear();
            }
            jobs.push((running.exercise, running.done));
        }
        jobs.extend(state.queue.drain(..).map(|job| (job.exercise, job.done)));
        jobs
    });
    for (exercise, done) in jobs {
        done(Report::failed(&exercise, ScriptError::new(ErrorKind::Runtime, message), Vec::new()));
    }
}
