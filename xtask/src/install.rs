//! Installs only what is missing, from the package registries this project may use (crates.io,
//! Debian, npm); nothing is downloaded from anywhere else, so the builds after it run offline.
//! wasm-opt comes from npm's `binaryen` (Debian's binaryen 108 breaks modules with reference types).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian packages the tests need, and a command each provides.
const DEBIAN: [(&str, &str); 3] = [("chromium", "chromium"), ("chromium-driver", "chromedriver"), ("brotli", "brotli")];

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// A command run from the repository root, with cargo's bin folder and the npm tools
/// (node_modules/.bin: wasm-opt, playwright) on PATH so freshly installed tools are found.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", path_with_cargo_bin());
    command
}

fn path_with_cargo_bin() -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    format!("{}:{}:{path}", home.join("bin").display(), root().join("node_modules/.bin").display())
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let mut cmd = command(program);
    cmd.args(args);
    run_command(cmd, &format!("{program} {}", args.join(" ")))
}

fn run_command(mut cmd: Command, what: &str) -> Result<(), String> {
    println!("xtask: {what}");
    let status = cmd.status().map_err(|e| format!("could not run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// The wasm target, Trunk 0.21 and the wasm-bindgen CLI of exactly Cargo.lock's version (Trunk.toml
/// pins it and wasm-opt so Trunk never downloads them).
pub fn build_tools() -> Result<(), String> {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    if !output("trunk", &["--version"]).is_some_and(|v| v.starts_with("trunk 0.21")) {
        // The newest Trunk needs a newer rustc than this project's; ~0.21 builds with --locked.
        run("cargo", &["install", "trunk", "--version", "~0.21", "--locked"])?;
    }
    let wanted = wasm_bindgen_version()?;
    if output("wasm-bindgen", &["--version"]).as_deref() != Some(&format!("wasm-bindgen {wanted}")) {
        // `--locked` fails on a dependency yanked from the registry; unlocked, it builds.
        run("cargo", &["install", "wasm-bindgen-cli", "--version", &wanted])?;
    }
    Ok(())
}

/// Chromium, chromedriver and brotli for the browser tests and size report.
pub fn browser_tools() -> Result<(), String> {
    debian_packages(&DEBIAN)
}

fn debian_packages(wanted: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<&str> =
        wanted.iter().filter(|(_, cmd)| output("which", &[cmd]).is_none()).map(|(package, _)| *package).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if output("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!(
            "missing Debian packages: {0}. Install them with: sudo apt-get update && sudo apt-get install -y {0}",
            missing.join(" ")
        ));
    }
    run("apt-get", &["update", "-qq"])?;
    let mut apt = command("apt-get");
    apt.args(["install", "-y", "-qq", "--no-install-recommends"]).args(&missing).env("DEBIAN_FRONTEND", "noninteractive");
    run_command(apt, &format!("apt-get install {}", missing.join(" ")))
}

/// The npm tools (wasm-opt, Playwright) from the committed lockfile, when node_modules is missing or
/// older than the lockfile.
pub fn node_packages() -> Result<(), String> {
    let dir = root();
    let installed = dir.join("node_modules/.package-lock.json");
    let fresh = modified(&installed).zip(modified(&dir.join("package-lock.json"))).is_some_and(|(i, l)| i >= l);
    if fresh {
        return Ok(());
    }
    let mut npm = command("npm");
    npm.args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    run_command(npm, "npm ci")
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The wasm-bindgen version Cargo.lock resolved.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    locked_version(&lock, "wasm-bindgen").ok_or_else(|| "Cargo.lock has no wasm-bindgen package".into())
}

/// The version of package `name` in a Cargo.lock text.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_toml_pins_the_wasm_bindgen_of_cargo_lock() {
        let trunk = std::fs::read_to_string(root().join("Trunk.toml")).expect("Trunk.toml is committed");
        let pinned = trunk
            .lines()
            .find_map(|l| l.trim().strip_prefix("wasm_bindgen = \"")?.strip_suffix('"').map(str::to_string));
        assert_eq!(pinned, Some(wasm_bindgen_version().expect("Cargo.lock is committed")));
    }

    #[test]
    fn trunk_toml_pins_the_wasm_opt_package_json_installs() {
        let trunk = std::fs::read_to_string(root().join("Trunk.toml")).expect("Trunk.toml is committed");
        let package = std::fs::read_to_string(root().join("package.json")).expect("package.json is committed");
        let pinned = trunk.lines().find_map(|l| l.trim().strip_prefix("wasm_opt = \"version_")?.strip_suffix('"').map(str::to_string));
        let installed = package.lines().find_map(|l| l.trim().strip_prefix("\"binaryen\": \"")?.split('.').next().map(str::to_string));
        assert_eq!(pinned, installed, "Trunk.toml's wasm_opt and package.json's binaryen");
    }

    #[test]
    fn locked_version_reads_the_line_after_the_name() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "serde"), None);
    }
}
