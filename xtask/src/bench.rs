//! `cargo xtask bench`: measures, in one run on this machine, the figures that have a harness, each
//! beside its peer or its budget, and rewrites the generated part of BENCHMARKS.md (between its
//! markers; the prose around it is kept). Benchmarks are never part of the test command.

use std::process::Stdio;

use crate::install::{command, root};
use crate::sizes;

/// Where the generated section starts and ends in BENCHMARKS.md.
const BEGIN: &str = "<!-- cargo xtask bench: begin -->";
const END: &str = "<!-- cargo xtask bench: end -->";

/// One row of the table.
struct Row {
    figure: String,
    ours: String,
    peer: String,
    ratio: String,
    budget: String,
    verdict: &'static str,
}

/// Builds, measures every figure and rewrites BENCHMARKS.md; true when every budget held.
pub fn run() -> Result<bool, String> {
    let built = command("trunk").args(["build", "--release", "--offline"]).status();
    if !built.is_ok_and(|s| s.success()) {
        return Err("trunk build --release failed".into());
    }
    sizes::check()?;
    let sizes = read_json(&root().join("target/sizes.json"))?;
    let mut rows = size_rows(&sizes);

    println!("\n==== native: cargo bench -p foldlab-core (criterion, then the ratios) ====");
    let native = output(command("cargo").args(["bench", "-p", "foldlab-core", "--bench", "core"]))?;
    let native_lines: Vec<String> = native
        .lines()
        .skip_while(|line| !line.starts_with("Budgets, measured side by side"))
        .skip(1)
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();

    println!("\n==== browser: node bench/browser.mjs (headless Chromium, release build) ====");
    let browser = output(command("node").arg("bench/browser.mjs"))?;
    let figures = read_json_text(browser.lines().last().unwrap_or_default())?;
    rows.extend(fold_rows(&figures, &native_lines));
    rows.extend(browser_rows(&figures));

    let held = rows.iter().all(|row| row.verdict != "missed");
    write_markdown(&rows, &native_lines)?;
    for row in &rows {
        println!("{:<62} {:>14}  {:<10} {}", row.figure, row.ours, row.budget, row.verdict);
    }
    Ok(held)
}

/// A fold timed as wasm in Chromium beside the same fold natively: the budget is 1.5x.
fn wasm_against_native(figure: &str, wasm_ms: f64, native_ms: f64) -> Row {
    Row {
        figure: figure.into(),
        ours: format!("{wasm_ms:.2} ms"),
        peer: format!("{native_ms:.2} ms native"),
        ratio: format!("{:.2}×", wasm_ms / native_ms),
        budget: "≤ 1.5×".into(),
        verdict: verdict(wasm_ms / native_ms <= 1.5),
    }
}

fn size_rows(sizes: &[(String, f64)]) -> Vec<Row> {
    let (page, worker) = (field(sizes, "page_gzip"), field(sizes, "worker_gzip"));
    let kb = |bytes: f64| format!("{:.1} KB", bytes / 1000.0);
    let peer = sizes::PEER_GZIP as f64;
    vec![
        Row {
            figure: "first lesson page, gzip (HTML, JS, wasm, CSS)".into(),
            ours: kb(page),
            peer: kb(peer),
            ratio: format!("{:.2}×", page / peer),
            budget: "≤ 0.5×".into(),
            verdict: verdict(page <= sizes::PAGE_BUDGET as f64),
        },
        Row {
            figure: "first page + exercise worker, gzip".into(),
            ours: kb(page + worker),
            peer: kb(peer),
            ratio: format!("{:.2}×", (page + worker) / peer),
            budget: "≤ 1.6×".into(),
            verdict: verdict(page + worker <= sizes::PAGE_AND_WORKER_BUDGET as f64),
        },
    ]
}

/// A measured figure by name; NaN when the harness did not report it, so no budget holds on it.
fn field(figures: &[(String, f64)], key: &str) -> f64 {
    figures.iter().find(|(k, _)| k == key).map_or(f64::NAN, |(_, v)| *v)
}

/// The verdict column.
fn verdict(held: bool) -> &'static str {
    if held { "holds" } else { "missed" }
}

/// The number just before `unit` after `label` in the first of the native bench's lines starting
/// with `line_start` that has one: `full replay 1023.4 µs`.
fn native_figure(lines: &[String], line_start: &str, label: &str, unit: &str) -> f64 {
    lines
        .iter()
        .filter(|line| line.starts_with(line_start))
        .find_map(|line| {
            let (_, rest) = line.split_once(label)?;
            let (number, _) = rest.trim_start().split_once(unit)?;
            number.trim().parse::<f64>().ok()
        })
        .unwrap_or(f64::NAN)
}

/// The core's fold as wasm in the page against the same fold natively, and snapshots both ways.
fn fold_rows(figures: &[(String, f64)], native: &[String]) -> Vec<Row> {
    let get = |key: &str| field(figures, key);
    let (wasm_replay, wasm_snapshot) = (get("replay_100k_ms"), get("snapshot_100k_ms"));
    let typed = "load 100,000 typed events";
    let native_replay = native_figure(native, typed, "full replay", "µs") / 1000.0;
    let native_snapshot = native_figure(native, typed, "snapshot + tail", "µs") / 1000.0;
    let wasm_million = get("fold_1m_ms");
    // The native bench prints throughput in millions of events a second: 1,000,000 events take
    // 1,000 / rate milliseconds.
    let native_million = 1000.0 / native_figure(native, "fold", "1000000 events:", "million");
    vec![
        wasm_against_native(
            "fold 1,000,000 generated events (the core's replay): wasm in the worker in Chromium vs native",
            wasm_million,
            native_million,
        ),
        wasm_against_native(
            "fold 100,000 events (full replay in the snapshot lab): wasm in Chromium vs native",
            wasm_replay,
            native_replay,
        ),
        Row {
            figure: "load 100,000 events, snapshot every 100: newest snapshot vs full replay, in Chromium".into(),
            ours: format!("{:.1} µs", wasm_snapshot * 1000.0),
            peer: format!("{wasm_replay:.2} ms replay"),
            ratio: format!("{:.0}× faster", wasm_replay / wasm_snapshot),
            budget: "≥ 100×".into(),
            verdict: verdict(wasm_replay / wasm_snapshot >= 100.0),
        },
        Row {
            figure: "same, native".into(),
            ours: format!("{:.2} µs", native_snapshot * 1000.0),
            peer: format!("{native_replay:.2} ms replay"),
            ratio: format!("{:.0}× faster", native_replay / native_snapshot),
            budget: "≥ 100×".into(),
            verdict: verdict(native_replay / native_snapshot >= 100.0),
        },
    ]
}

fn browser_rows(figures: &[(String, f64)]) -> Vec<Row> {
    let get = |key: &str| field(figures, key);
    let (tti, cold, a10, a10k) = (get("tti_ms"), get("cold_start_10k_ms"), get("append_10_ms"), get("append_10k_ms"));
    let transfer = get("transfer_case_10k_ms");
    let versus = |n: &str, rhai: f64, nbb: f64| Row {
        figure: format!("transfer solution's per-account reduce over {n} events: Rhai in the worker vs Clojure on nbb"),
        ours: format!("{rhai:.1} ms"),
        peer: format!("{nbb:.1} ms nbb"),
        ratio: format!("{:.2}×", rhai / nbb),
        budget: "≤ 1× (goal)".into(),
        verdict: verdict(rhai <= nbb),
    };
    vec![
        versus("10,000", get("rhai_10k_ms"), get("nbb_10k_ms")),
        versus("100,000", get("rhai_100k_ms"), get("nbb_100k_ms")),
        Row {
            figure: "transfer exercise, reference solution: the 10,000-event case in the Rhai worker".into(),
            ours: format!("{transfer:.0} ms"),
            peer: "—".into(),
            ratio: "—".into(),
            budget: "< 100 ms".into(),
            verdict: verdict(transfer < 100.0),
        },
        Row {
            figure: "time to interactive: cold load of /lessons/fold until the fold stepper answers a click".into(),
            ours: format!("{tti:.0} ms"),
            peer: "—".into(),
            ratio: "—".into(),
            budget: "< 1,000 ms".into(),
            verdict: verdict(tti < 1000.0),
        },
        Row {
            figure: "cold start: open and fold a 10,000-event log in localStorage".into(),
            ours: format!("{cold:.1} ms"),
            peer: "—".into(),
            ratio: "—".into(),
            budget: "< 100 ms".into(),
            verdict: verdict(cold < 100.0),
        },
        Row {
            figure: "append one event to the log in localStorage: at 10,000 events vs at 10".into(),
            ours: format!("{a10k:.2} ms vs {a10:.2} ms"),
            peer: "—".into(),
            ratio: format!("{:.2}×", a10k / a10),
            budget: "≤ 1.5×".into(),
            verdict: verdict(a10k / a10 <= 1.5),
        },
    ]
}

fn write_markdown(rows: &[Row], native: &[String]) -> Result<(), String> {
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut section = format!(
        "{BEGIN}\n## Generated by `cargo xtask bench` on {} ({})\n\n| figure | ours | peer | ratio | budget | verdict |\n|---|---|---|---|---|---|\n",
        today(),
        machine()
    );
    for row in rows {
        section.push_str(&format!("| {} | {} | {} | {} | {} | {} |\n", row.figure, row.ours, row.peer, row.ratio, row.budget, row.verdict));
    }
    section.push_str("\nNative core, as the criterion bench prints its budgets (medians within this run):\n\n");
    for line in native {
        section.push_str(&format!("- {line}\n"));
    }
    section.push_str(&format!("{END}\n"));
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(start), Some(end)) if start < end => format!("{}{section}{}", &old[..start], &old[end + END.len()..].trim_start_matches('\n')),
        _ => format!("{section}\n{old}"),
    };
    std::fs::write(&path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs a command, echoing its output, and returns its stdout.
fn output(cmd: &mut std::process::Command) -> Result<String, String> {
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{text}");
    if !out.status.success() {
        return Err(format!("{cmd:?} failed"));
    }
    Ok(text)
}

fn read_json(path: &std::path::Path) -> Result<Vec<(String, f64)>, String> {
    read_json_text(&std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?)
}

/// The number fields of a flat JSON object (xtask is std only, and these objects are ours).
fn read_json_text(text: &str) -> Result<Vec<(String, f64)>, String> {
    let body = text.trim().strip_prefix('{').and_then(|t| t.strip_suffix('}')).ok_or_else(|| format!("not a JSON object: {text}"))?;
    body.split(',')
        .map(|pair| {
            let (key, value) = pair.split_once(':').ok_or_else(|| format!("not a field: {pair}"))?;
            let value = value.trim().parse::<f64>().map_err(|e| format!("{pair}: {e}"))?;
            Ok((key.trim().trim_matches('"').to_owned(), value))
        })
        .collect()
}

fn today() -> String {
    let out = std::process::Command::new("date").arg("+%Y-%m-%d").output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_else(|_| "today".into())
}

/// The CPU model and core count, from /proc/cpuinfo.
fn machine() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info.lines().find_map(|l| l.strip_prefix("model name")).map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned());
    let cores = info.lines().filter(|l| l.starts_with("processor")).count();
    format!("{}, {cores} cores", model.unwrap_or_else(|| "unknown CPU".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_figure_from_the_native_bench_lines() {
        let lines = vec!["load 100,000 typed events: full replay 1023.4 µs, snapshot + tail 0.41 µs: 2496x faster".to_owned()];
        assert_eq!(native_figure(&lines, "load 100,000 typed", "full replay", "µs"), 1023.4);
        assert_eq!(native_figure(&lines, "load 100,000 typed", "snapshot + tail", "µs"), 0.41);
        assert!(native_figure(&lines, "fold", "x", "µs").is_nan());
        let folds = vec![
            "fold      1000 events:    193 million events/s (budget: at least 100)".to_owned(),
            "fold   1000000 events:    168 million events/s (budget: at least 100)".to_owned(),
        ];
        assert_eq!(native_figure(&folds, "fold", "1000000 events:", "million"), 168.0);
    }

    #[test]
    fn reads_the_flat_json_the_harnesses_print() {
        let fields = read_json_text(r#"{"tti_ms": 412.5, "runs": 10}"#).expect("parses");
        assert_eq!(fields, vec![("tti_ms".to_owned(), 412.5), ("runs".to_owned(), 10.0)]);
        assert!(read_json_text("[1]").is_err());
    }
}
