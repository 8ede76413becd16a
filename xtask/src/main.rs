//! The project's tasks: `cargo xtask serve`, `test`, `bench` and `sizes` (see README.md). Each first
//! installs what is missing (wasm target, Trunk, the wasm-bindgen CLI matching Cargo.lock, Debian's
//! Chromium, chromedriver and brotli, the npm tools: wasm-opt, Playwright and nbb), then works offline.

mod bench;
mod install;
mod layers;
mod sizes;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("sizes") => sizes::report_only(),
        Some("bench") => bench(),
        _ => {
            eprintln!("usage: cargo xtask serve | test | sizes | bench");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Installs what benchmarking needs, then measures and rewrites BENCHMARKS.md.
fn bench() -> Result<bool, String> {
    install::build_tools()?;
    install::browser_tools()?;
    install::node_packages()?;
    bench::run()
}

/// Installs what serving needs, then runs `trunk serve` on 127.0.0.1.
fn serve() -> Result<bool, String> {
    install::build_tools()?;
    let (host, port) = ("127.0.0.1", "8080");
    println!("\nServing foldlab at http://{host}:{port}/ (Ctrl-C stops it)\n");
    let status = install::command("trunk")
        .args(["serve", "--offline", "--address", host, "--port", port])
        .status()
        .map_err(|e| format!("could not start trunk: {e}"))?;
    Ok(status.success())
}

/// Installs what testing needs, then runs every layer and prints one summary line per layer.
fn test() -> Result<bool, String> {
    install::build_tools()?;
    install::browser_tools()?;
    install::node_packages()?;
    // The release build comes before the wasm layer: its worker test loads the worker from dist/.
    let results = [layers::native(), layers::release_build_and_sizes(), layers::wasm(), layers::end_to_end()];
    println!("\n==== foldlab test summary ====");
    let (mut passed, mut failed) = (0, 0);
    for layer in &results {
        println!("{:<8} {}", layer.name, layer.summary());
        passed += layer.passed;
        failed += layer.failed + usize::from(layer.broken.is_some() && layer.failed == 0);
    }
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}
