//! What the release build ships, gzip'd and brotli'd, against the budgets. Sizes are deterministic,
//! so these are checks, not benchmarks.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::install::root;

/// `gzip -9` size of the peer: scittle 0.8.33 `dist/scittle.js`, the in-browser Clojure runtime the
/// original lesson loaded.
pub const PEER_GZIP: u64 = 195_526;
/// Issue 8's budget for the first lesson page, gzip: half the peer.
pub const PAGE_BUDGET: u64 = PEER_GZIP / 2;
/// Issue 8's budget for the first page and the exercise worker together, gzip: 1.6 times the peer.
pub const PAGE_AND_WORKER_BUDGET: u64 = PEER_GZIP * 16 / 10;

/// A size limit and whether exceeding it fails the test command.
struct Budget {
    what: &'static str,
    limit: u64,
    /// Enforced limits fail the run; the others are goals reported as met or missed.
    enforced: bool,
}

/// The shipped files of one kind, with their sizes.
#[derive(Default)]
struct Part {
    files: Vec<(String, u64, u64, u64)>,
}

impl Part {
    fn gzip(&self) -> u64 {
        self.files.iter().map(|f| f.2).sum()
    }
    fn brotli(&self) -> u64 {
        self.files.iter().map(|f| f.3).sum()
    }
}

/// Prints the size table and checks the budgets; returns (budgets held, budgets broken).
pub fn check() -> Result<(usize, usize), String> {
    let (page, worker) = measure(&root().join("dist"))?;
    print_table(&page, &worker);
    let worker_wasm: u64 = worker.files.iter().filter(|f| f.0.ends_with(".wasm")).map(|f| f.2).sum();
    let checks = [
        (Budget { what: "exercise worker wasm, gzip (the sandbox's budget)", limit: 250_000, enforced: true }, worker_wasm),
        // A regression guard at the size of the day (498 KB at the end of 2026-12-02: the shell,
        // eight widgets, the lesson text, the log's recovery, import and export, following other
        // tabs' writes, the course's next steps, the learner's own stepper list, and a second
        // learner's walk-through) plus a margin, so an accidental heavy dependency
        // fails the run; raised and lowered on purpose, as BENCHMARKS.md lists. The budgets
        // below (against the peer, scittle) are not met; BENCHMARKS.md says why and what it
        // would take.
        (Budget { what: "first page, gzip (regression ceiling)", limit: 501_000, enforced: true }, page.gzip()),
        (Budget { what: "first page, gzip: 0.5x scittle (the peer budget)", limit: PAGE_BUDGET, enforced: false }, page.gzip()),
        (
            Budget { what: "first page + worker, gzip: 1.6x scittle (the peer budget)", limit: PAGE_AND_WORKER_BUDGET, enforced: false },
            page.gzip() + worker.gzip(),
        ),
    ];
    let (mut held, mut broken) = (0, 0);
    for (budget, size) in &checks {
        let ok = size <= &budget.limit;
        let verdict = match (ok, budget.enforced) {
            (true, _) => "ok",
            (false, true) => "OVER BUDGET",
            (false, false) => "goal missed (see BENCHMARKS.md)",
        };
        println!("{:<58} {:>9} / {:>9}  {verdict}", budget.what, kb(*size), kb(budget.limit));
        if budget.enforced {
            if ok { held += 1 } else { broken += 1 }
        }
    }
    write_json(&page, &worker);
    Ok((held, broken))
}

/// `cargo xtask sizes`: the table of an existing dist/ without building.
pub fn report_only() -> Result<bool, String> {
    let (page, worker) = measure(&root().join("dist"))?;
    print_table(&page, &worker);
    Ok(true)
}

fn measure(dist: &Path) -> Result<(Part, Part), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let (mut page, mut worker) = (Part::default(), Part::default());
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let shipped = [".html", ".js", ".wasm", ".css"].iter().any(|ext| name.ends_with(ext)) && name != "404.html";
        if !shipped {
            continue;
        }
        let raw = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let sizes = (name.clone(), raw, compressed("gzip", &["-9", "-c"], &path)?, compressed("brotli", &["-c", "-q", "11"], &path)?);
        if name.contains("worker") { worker.files.push(sizes) } else { page.files.push(sizes) }
    }
    Ok((page, worker))
}

fn compressed(tool: &str, args: &[&str], path: &Path) -> Result<u64, String> {
    let out = Command::new(tool)
        .args(args)
        .arg(path)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {tool}: {e}"))?;
    // A compressor that failed wrote nothing, and nothing would pass every budget.
    if !out.status.success() || out.stdout.is_empty() {
        return Err(format!("{tool} failed on {} ({})", path.display(), out.status));
    }
    Ok(out.stdout.len() as u64)
}

fn print_table(page: &Part, worker: &Part) {
    println!("{:<44} {:>10} {:>10} {:>10}", "file", "raw", "gzip -9", "brotli");
    for (label, part) in [("first page", page), ("exercise worker (loaded on first run)", worker)] {
        for (name, raw, gzip, brotli) in &part.files {
            println!("{:<44} {:>10} {:>10} {:>10}", name, kb(*raw), kb(*gzip), kb(*brotli));
        }
        println!("{:<44} {:>10} {:>10} {:>10}", format!("= {label}"), "", kb(part.gzip()), kb(part.brotli()));
    }
}

fn write_json(page: &Part, worker: &Part) {
    let json = format!(
        "{{\"page_gzip\": {}, \"page_brotli\": {}, \"worker_gzip\": {}, \"worker_brotli\": {}}}\n",
        page.gzip(),
        page.brotli(),
        worker.gzip(),
        worker.brotli()
    );
    // Read by the benchmark command; losing it only means the benchmark measures again.
    let _ = std::fs::write(root().join("target/sizes.json"), json);
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
