//! Building and loading an exercise's checker (see
//! [`Exercise::build_checker`]), and where compiled code is cached.

use std::path::{Path, PathBuf};

use grader_core::exercise::Exercise;
use grader_core::sandbox::{LoadedChecker, Sandbox};

/// Builds and loads the checker of `exercise`.
pub fn load_checker(sandbox: &Sandbox, exercise: &Exercise) -> Result<LoadedChecker, String> {
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
