//! The test layers: native cargo tests, wasm tests in headless Chromium, the release build with its
//! size budgets, and Playwright against that one build. Each reports what passed and failed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::install::{command, root};
use crate::sizes;

/// Chromium's flags on these machines (no sandbox as root, no GPU, no background networking, whose
/// connections the closed network refuses), shared with the Playwright config.
const CHROMIUM_FLAGS: &str = "tests/chromium-flags.json";

/// What one layer found.
pub struct Layer {
    /// Short name for the summary.
    pub name: &'static str,
    /// Tests (or checks) that passed.
    pub passed: usize,
    /// Tests (or checks) that failed.
    pub failed: usize,
    /// Why the layer could not run to the end, if it could not.
    pub broken: Option<String>,
}

impl Layer {
    /// One line: counts, and what broke.
    pub fn summary(&self) -> String {
        let verdict = if self.failed == 0 && self.broken.is_none() { "ok" } else { "FAILED" };
        let mut line = format!("{verdict}: {} passed, {} failed", self.passed, self.failed);
        if let Some(reason) = &self.broken {
            line.push_str(&format!(" ({reason})"));
        }
        line
    }
}

/// `cargo test` for every crate but the app, which is wasm-only and tested in the browser.
pub fn native() -> Layer {
    banner("native: cargo test --workspace --exclude foldlab");
    let mut cargo = command("cargo");
    cargo.args(["test", "--workspace", "--exclude", "foldlab"]);
    cargo_layer("native", cargo)
}

/// The app's `wasm-bindgen-test`s in headless Chromium through Debian's chromedriver.
pub fn wasm() -> Layer {
    banner("wasm: cargo test --target wasm32-unknown-unknown (headless Chromium)");
    let config = root().join("target/webdriver.json");
    let written = std::fs::read_to_string(root().join(CHROMIUM_FLAGS)).and_then(|args| {
        std::fs::create_dir_all(root().join("target"))?;
        std::fs::write(&config, format!("{{\"goog:chromeOptions\": {{\"args\": {}}}}}", args.trim()))
    });
    if let Err(e) = written {
        return Layer { name: "wasm", passed: 0, failed: 0, broken: Some(format!("cannot write webdriver.json: {e}")) };
    }
    let mut cargo = command("cargo");
    cargo
        .args(["test", "-p", "foldlab", "--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
        .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "60")
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &config);
    cargo_layer("wasm", cargo)
}

/// One `trunk build --release`, shared with the end-to-end layer, then the size budgets.
pub fn release_build_and_sizes() -> Layer {
    banner("build: trunk build --release, then the size budgets");
    let status = command("trunk").args(["build", "--release", "--offline"]).status();
    if !status.is_ok_and(|s| s.success()) {
        return Layer { name: "size", passed: 0, failed: 0, broken: Some("trunk build --release failed".into()) };
    }
    match sizes::check() {
        Ok((passed, failed)) => Layer { name: "size", passed, failed, broken: None },
        Err(reason) => Layer { name: "size", passed: 0, failed: 0, broken: Some(reason) },
    }
}

/// Playwright against the release build, served on 127.0.0.1.
pub fn end_to_end() -> Layer {
    banner("e2e: Playwright against dist/ on 127.0.0.1 (headless Chromium)");
    if !root().join("dist/index.html").exists() {
        return Layer { name: "e2e", passed: 0, failed: 0, broken: Some("no release build to test".into()) };
    }
    let mut npx = command("npx");
    npx.args(["playwright", "test", "-c", "tests/e2e", "--reporter=list"]);
    let (success, lines) = run_capturing(npx);
    let count = |word: &str| {
        lines
            .iter()
            .filter_map(|l| {
                let l = l.trim();
                let (n, rest) = l.split_once(' ')?;
                rest.starts_with(word).then(|| n.parse::<usize>().ok()).flatten()
            })
            .sum::<usize>()
    };
    let (passed, failed) = (count("passed"), count("failed"));
    let broken = (!success && failed == 0).then(|| "Playwright did not finish".to_string());
    Layer { name: "e2e", passed, failed, broken }
}

/// Runs a `cargo test` and sums its "test result:" lines.
fn cargo_layer(name: &'static str, cargo: Command) -> Layer {
    let (success, lines) = run_capturing(cargo);
    let (mut passed, mut failed) = (0, 0);
    for line in &lines {
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            passed += number_before(rest, " passed");
            failed += number_before(rest, " failed");
        }
    }
    let broken = (!success && failed == 0).then(|| "did not compile or the runner failed".to_string());
    Layer { name, passed, failed, broken }
}

/// The number just before `word` in a line like "ok. 12 passed; 0 failed".
fn number_before(text: &str, word: &str) -> usize {
    text.find(word)
        .and_then(|end| text[..end].rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .unwrap_or(0)
}

/// Runs a command, echoing its standard output while keeping the lines to read counts from.
fn run_capturing(mut command: Command) -> (bool, Vec<String>) {
    let Ok(mut child) = command.stdout(Stdio::piped()).spawn() else {
        return (false, Vec::new());
    };
    let mut lines = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            lines.push(line);
        }
    }
    let success = child.wait().is_ok_and(|s| s.success());
    (success, lines)
}

fn banner(text: &str) {
    println!("\n==== {text} ====");
}

#[cfg(test)]
mod tests {
    use super::number_before;

    #[test]
    fn reads_counts_from_a_test_result_line() {
        let line = "ok. 12 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.5s";
        assert_eq!(number_before(line, " passed"), 12);
        assert_eq!(number_before(line, " failed"), 3);
        assert_eq!(number_before("nothing here", " passed"), 0);
    }
}
