//! A set of exercises with their checkers built and loaded: what a worker
//! grades with. Also where compiled checkers are cached, and the checkers'
//! rustup target, which is added when missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::exercise::{CHECKER_TARGET, DefinitionErrors, Exercise};
use crate::sandbox::{LoadedChecker, Sandbox};

/// Why a catalog could not be loaded; each names the exercise.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A path that is neither an exercise nor a directory of exercises.
    #[error("{}: not an exercise directory (no exercise.toml) nor a directory of them", path.display())]
    NotExercises {
        /// The path.
        path: PathBuf,
    },
    /// A directory that cannot be listed.
    #[error("{}: cannot list: {source}", path.display())]
    Io {
        /// The directory.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// An invalid definition.
    #[error("invalid exercise in {}:\n{errors}", dir.display())]
    Definition {
        /// The exercise directory.
        dir: PathBuf,
        /// Every problem of its definition.
        errors: DefinitionErrors,
    },
    /// A checker that does not build or load.
    #[error("exercise `{id}` ({}): {message}", dir.display())]
    Checker {
        /// The exercise id.
        id: String,
        /// The exercise directory.
        dir: PathBuf,
        /// What failed.
        message: String,
    },
    /// Two exercises with one id.
    #[error("exercise `{id}` is defined twice: in {} and in {}", first.display(), second.display())]
    Duplicate {
        /// The exercise id.
        id: String,
        /// The first directory.
        first: PathBuf,
        /// The second directory.
        second: PathBuf,
    },
    /// Nothing to grade with.
    #[error("no exercises found in {paths}")]
    Empty {
        /// The paths searched.
        paths: String,
    },
}

/// An exercise with its loaded checker.
pub struct Loaded {
    /// The exercise.
    pub exercise: Exercise,
    /// Its checker, compiled.
    pub checker: LoadedChecker,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("exercise", &self.exercise.def.id)
            .field("checker_sha256", &self.checker.sha256)
            .finish()
    }
}

/// Exercises by id.
#[derive(Debug, Default)]
pub struct Catalog {
    by_id: BTreeMap<String, Arc<Loaded>>,
}

impl Catalog {
    /// Loads every exercise in `paths`: each path is an exercise directory
    /// (with `exercise.toml`) or a directory of them. Every checker is built
    /// (`cargo build`, a no-op when up to date) and compiled; the first
    /// failure is returned, naming the exercise.
    pub fn load(paths: &[PathBuf], sandbox: &Sandbox) -> Result<Catalog, CatalogError> {
        let mut dirs = Vec::new();
        for path in paths {
            if path.join("exercise.toml").is_file() {
                dirs.push(path.clone());
                continue;
            }
            let entries = std::fs::read_dir(path).map_err(|e| CatalogError::Io {
                path: path.clone(),
                source: e,
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("exercise.toml").is_file())
                .collect();
            if found.is_empty() {
                return Err(CatalogError::NotExercises { path: path.clone() });
            }
            found.sort();
            dirs.extend(found);
        }
        let mut catalog = Catalog::default();
        for dir in dirs {
            let exercise = Exercise::load(&dir).map_err(|e| CatalogError::Definition {
                dir: dir.clone(),
                errors: e,
            })?;
            let id = exercise.def.id.clone();
            if let Some(other) = catalog.by_id.get(&id) {
                return Err(CatalogError::Duplicate {
                    id,
                    first: other.exercise.dir.clone(),
                    second: dir,
                });
            }
            let checker = load_checker(sandbox, &exercise).map_err(|e| CatalogError::Checker {
                id: id.clone(),
                dir: dir.clone(),
                message: e,
            })?;
            catalog
                .by_id
                .insert(id, Arc::new(Loaded { exercise, checker }));
        }
        if catalog.by_id.is_empty() {
            let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            return Err(CatalogError::Empty {
                paths: shown.join(", "),
            });
        }
        Ok(catalog)
    }

    /// The exercise with `id`.
    pub fn get(&self, id: &str) -> Option<&Arc<Loaded>> {
        self.by_id.get(id)
    }

    /// Every exercise, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Loaded>> {
        self.by_id.values()
    }

    /// How many exercises.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Makes sure rustup has the target checkers are built for, adding it when
/// it is missing (as `scripts/test.sh` does), so that grading works on a
/// fresh machine. Without rustup, cargo's own error says what is missing.
pub fn ensure_target() {
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
