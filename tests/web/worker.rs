//! The exercise worker's round trip in a real browser: the page's client starts the worker that
//! Trunk built into `dist/`, sends learner code, and gets the sandbox's report back.
//!
//! The test runner serves its working directory (the repository) beside its own files, so the
//! release build's worker is reachable under `/dist/`. `cargo xtask test` builds it before this
//! layer runs; on its own, run `trunk build --release` first.

use std::cell::RefCell;
use std::rc::Rc;

use foldlab::exercise::worker;
use foldlab_script::{ErrorKind, Report};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

/// Points the document's base URL at the release build, where the client looks for the worker, and
/// gives back the browser's own `Worker`: the test runner wraps it to forward workers' console
/// output, and its wrapper starts workers from a blob URL, against which the worker's loader cannot
/// resolve `./foldlab-worker.js`.
fn serve_worker_from_dist() {
    // The wrapper keeps the browser's prototype, whose constructor is the browser's `Worker`.
    let _ = js_sys::eval("globalThis.Worker = Worker.prototype.constructor;");
    let head = document().head().expect("a head");
    if head.query_selector("base").ok().flatten().is_none() {
        let base = document().create_element("base").expect("a base element");
        base.set_attribute("href", "/dist/").expect("an href");
        head.prepend_with_node_1(&base).expect("prepended");
    }
}

/// Runs `source` against `exercise` in the worker and waits for its report.
async fn check(exercise: &'static str, source: &'static str) -> Report {
    serve_worker_from_dist();
    let report: Rc<RefCell<Option<Report>>> = Rc::default();
    let slot = report.clone();
    let promise = js_sys::Promise::new(&mut move |resolve, _| {
        let slot = slot.clone();
        worker::run(exercise, source, Vec::new(), move |finished| {
            *slot.borrow_mut() = Some(finished);
            let _ = resolve.call0(&JsValue::NULL);
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    let finished = report.borrow_mut().take();
    finished.expect("the worker answered")
}

#[wasm_bindgen_test]
async fn the_transfer_solution_passes_every_case_through_the_worker() {
    let report = check("transfers", include_str!("../../script/exercises/transfers/solution.rhai")).await;
    assert!(report.cases().len() >= 7, "visible and hidden cases came back: {report:?}");
    assert!(report.all_passed(), "the reference solution passes: {}", report.summary());
    assert!(worker::is_started(), "the worker stays up for the next run");
}

#[wasm_bindgen_test]
async fn the_starter_fails_and_a_syntax_error_names_its_line() {
    let starter = check("transfers", include_str!("../../script/exercises/transfers/starter.rhai")).await;
    assert!(!starter.all_passed(), "the starter code is not already a solution");

    let broken = check("fold", "fn evolve(state, event) {\n    let x = 1\n    state.balance += x;\n    state\n}\n").await;
    assert!(broken.cases().is_empty(), "code that does not parse runs no case");
    // The `;` is missing at the end of line 2: the error points there, not at the next statement.
    assert_eq!(broken.error_line(), Some(2), "the error points at the line: {}", broken.summary());
}

#[wasm_bindgen_test]
async fn a_loop_that_never_ends_is_stopped_and_the_worker_answers_the_next_run() {
    let endless = check("fold", "fn evolve(state, event) {\n  loop { }\n}\n").await;
    assert!(!endless.cases().is_empty() && !endless.all_passed(), "{}", endless.summary());
    // The first case is stopped by the operation limit; the rest are not run, so the learner hears
    // of the loop and its line well within the page's time limit.
    let (first, rest) = endless.cases().split_first().expect("cases came back");
    assert_eq!(first.error.as_ref().map(|error| error.kind), Some(ErrorKind::TooManyOperations), "{}", endless.summary());
    assert!(rest.iter().all(|case| case.not_run), "the other cases were not run: {}", endless.summary());
    assert_eq!(endless.error_line(), Some(2), "the loop's line: {}", endless.summary());

    let next = check("transfers", include_str!("../../script/exercises/transfers/solution.rhai")).await;
    assert!(next.all_passed(), "a later run still works: {}", next.summary());
}

#[wasm_bindgen_test]
async fn a_value_grown_to_the_memory_limit_is_stopped_and_a_fresh_worker_takes_over() {
    let before = worker::generation();
    let grown = check("fold", "fn evolve(state, event) {\n  let s = \"x\";\n  loop { s += s; }\n}\n").await;
    let stopped = grown.cases().first().and_then(|case| case.error.clone());
    assert_eq!(stopped.as_ref().map(|error| error.kind), Some(ErrorKind::TooLarge), "{}", grown.summary());
    assert_eq!(grown.error_line(), Some(3), "the loop's line: {}", grown.summary());
    // Its memory stays grown in that worker: it is stopped, and a fresh one is already starting.
    assert!(worker::generation() > before, "the worker was replaced");
    assert!(worker::is_started(), "a fresh worker is warming up");
    let next = check("fold", include_str!("../../script/exercises/fold/solution.rhai")).await;
    assert!(next.all_passed(), "the fresh worker answers: {}", next.summary());
}


#[wasm_bindgen_test]
async fn a_cancelled_run_never_reports_and_the_run_after_it_does() {
    // A worker that is up takes the next run at once, so the cancel below stops a run under way.
    let warm = check("fold", include_str!("../../script/exercises/fold/solution.rhai")).await;
    assert!(warm.all_passed(), "{}", warm.summary());
    let cancelled_reported = Rc::new(RefCell::new(false));
    let flag = cancelled_reported.clone();
    let endless = worker::run("fold", "fn evolve(state, event) {\n  loop { }\n}\n", Vec::new(), move |_| *flag.borrow_mut() = true);
    worker::cancel(endless);
    let next = check("transfers", include_str!("../../script/exercises/transfers/solution.rhai")).await;
    assert!(next.all_passed(), "the run after the cancelled one is checked: {}", next.summary());
    assert!(!*cancelled_reported.borrow(), "the cancelled run's report was dropped");
}
