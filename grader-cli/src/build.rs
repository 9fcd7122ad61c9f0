//! Building an exercise's checker: `cargo build` of its Rust crate for
//! `wasm32-unknown-unknown` (cargo does nothing when it is up to date), then
//! loading the module into the sandbox, which wraps it into a component.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use grader_core::exercise::Exercise;
use grader_core::sandbox::{LoadedChecker, Sandbox};

/// The target checkers are built for: no WASI, so no imports.
pub const TARGET: &str = "wasm32-unknown-unknown";

/// Builds the checker crate of `exercise` and returns the path of the module.
pub fn build_checker(exercise: &Exercise) -> Result<PathBuf, String> {
    let manifest = exercise
        .dir
        .join(&exercise.def.checker.source)
        .join("Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "--message-format=json-render-diagnostics",
            "--target",
            TARGET,
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo to build {}: {e}", manifest.display()))?;
    if !output.status.success() {
        return Err(format!(
            "building the checker {} failed: see cargo's messages above (a missing target is \
             installed with `rustup target add {TARGET}`, which scripts/test.sh does)",
            manifest.display()
        ));
    }
    // The last wasm artifact cargo reports is the checker itself.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let wasm = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["reason"] == "compiler-artifact")
        .flat_map(|v| {
            v["filenames"]
                .as_array()
                .map(|f| {
                    f.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .rfind(|f| f.ends_with(".wasm"));
    wasm.map(PathBuf::from).ok_or_else(|| {
        format!(
            "cargo built {} but reported no .wasm file",
            manifest.display()
        )
    })
}

/// Builds and loads the checker of `exercise`.
pub fn load_checker(sandbox: &Sandbox, exercise: &Exercise) -> Result<LoadedChecker, String> {
    let path = build_checker(exercise)?;
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    sandbox
        .load(&bytes)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Where compiled checkers are cached: `$GRADER_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/grader`, else `~/.cache/grader`.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("GRADER_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(Path::new(&d).join("grader"));
    }
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache").join("grader"))
}
