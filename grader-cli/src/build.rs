//! Building and loading an exercise's checker (see
//! [`Exercise::build_checker`]; the rustup target is added when missing),
//! and where compiled code is cached.

use std::path::{Path, PathBuf};
use std::process::Command;

use grader_core::exercise::{CHECKER_TARGET, Exercise};
use grader_core::sandbox::{LoadedChecker, Sandbox};

/// Makes sure rustup has the target checkers are built for, adding it when
/// it is missing (as `scripts/test.sh` does), so that grading works on a
/// fresh machine. Without rustup, cargo's own error says what is missing.
fn ensure_target() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let Ok(installed) = installed else { return };
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|t| t.trim() == CHECKER_TARGET)
    {
        return;
    }
    eprintln!("grader: adding the Rust target {CHECKER_TARGET} (checkers are built for it)");
    let added = Command::new("rustup")
        .args(["target", "add", CHECKER_TARGET])
        .status();
    if !added.is_ok_and(|s| s.success()) {
        eprintln!(
            "grader: `rustup target add {CHECKER_TARGET}` failed; building the checker will fail too"
        );
    }
}

/// Builds and loads the checker of `exercise`.
pub fn load_checker(sandbox: &Sandbox, exercise: &Exercise) -> Result<LoadedChecker, String> {
    ensure_target();
    let path = exercise.build_checker()?;
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
