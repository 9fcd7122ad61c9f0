//! Gradebooks for tests: an SQLite file in a temporary directory, or a
//! fresh PostgreSQL database on 127.0.0.1:5432, dropped afterwards.

use std::path::PathBuf;
use std::process::Command;

/// The PostgreSQL server the tests use (trust authentication).
pub const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

/// A gradebook location that is removed when dropped.
pub struct Scratch {
    /// What `--gradebook` takes: a file path or a PostgreSQL URL.
    pub location: String,
    database: Option<String>,
    dir: Option<PathBuf>,
}

impl Scratch {
    /// An SQLite gradebook file (not yet created) in a new temporary
    /// directory.
    pub fn sqlite(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "grader-gradebook-{tag}-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        Scratch {
            location: dir.join("gradebook.db").display().to_string(),
            database: None,
            dir: Some(dir),
        }
    }

    /// A new, empty PostgreSQL database. Fails the test, saying how to get
    /// one, when PostgreSQL is not running.
    pub fn postgres(tag: &str) -> Scratch {
        let name = format!("grader_{tag}_{}", uuid::Uuid::new_v4().simple());
        psql(&format!("CREATE DATABASE {name}"));
        Scratch {
            location: format!("{POSTGRES}/{name}"),
            database: Some(name),
            dir: None,
        }
    }

    /// Both kinds, for tests that must behave the same on each.
    pub fn both(tag: &str) -> [Scratch; 2] {
        [Scratch::sqlite(tag), Scratch::postgres(tag)]
    }

    /// `sqlite` or `postgres`, for messages.
    pub fn kind(&self) -> &'static str {
        if self.database.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(db) = &self.database {
            let _ = Command::new("psql")
                .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"])
                .arg(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .output();
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs one SQL statement as `postgres` on the server's `postgres`
/// database.
pub fn psql(sql: &str) {
    let psql = crate::on_path("psql").unwrap_or_else(|| {
        panic!(
            "psql is not installed: the gradebook tests need PostgreSQL on 127.0.0.1:5432 \
             (Debian packages postgresql and postgresql-client; scripts/test.sh starts the server)"
        )
    });
    let out = crate::run(
        Command::new(psql)
            .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"])
            .arg(sql),
    );
    assert!(
        out.status.success(),
        "PostgreSQL on 127.0.0.1:5432 refused `{sql}`: {}\nIs it running? \
         `bash scripts/test.sh` starts it (pg_ctlcluster ... main start).",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A copy of `exercises/zone-basics` in `dir` (its `exercise.toml`, with
/// `edit` applied, and its statement; the checker by absolute path, so it
/// is the same build), for tests that change an exercise and regrade.
pub fn zone_basics_copy(dir: &std::path::Path, edit: impl Fn(String) -> String) {
    let src = crate::root().join("exercises/zone-basics");
    std::fs::create_dir_all(dir).expect("create the exercise directory");
    let toml = std::fs::read_to_string(src.join("exercise.toml")).expect("read exercise.toml");
    let checker = src.join("checker");
    let toml = toml.replace(
        "source = \"checker\"",
        &format!("source = \"{}\"", checker.display()),
    );
    std::fs::write(dir.join("exercise.toml"), edit(toml)).expect("write exercise.toml");
    std::fs::copy(src.join("statement.md"), dir.join("statement.md")).expect("copy the statement");
}

/// The worker's grading of the exercises in `dirs` (checkers built and
/// loaded as the worker does).
pub fn grading(dirs: &[PathBuf]) -> grader_worker::intake::Grading {
    let sandbox = grader_core::sandbox::Sandbox::new(2, grader_core::catalog::cache_dir())
        .expect("a sandbox");
    let catalog = grader_core::catalog::Catalog::load(dirs, &sandbox)
        .unwrap_or_else(|e| panic!("loading {dirs:?}: {e}"));
    grader_worker::intake::Grading {
        catalog,
        sandbox,
        max_message_bytes: 1 << 20,
        delivery_limit: 20,
        allowlist: grader_core::probe::Allowlist::or_default(&[]),
    }
}

/// A `zone-basics` submission message: the sample `sample` (a file of
/// `exercises/zone-basics/examples/`, written for learner `grp7`) handed in
/// by `learner`.
pub fn zone_basics_submission(
    id: &str,
    learner: &str,
    course: Option<&str>,
    submitted_at: &str,
    sample: &str,
) -> String {
    let path = crate::root()
        .join("exercises/zone-basics/examples")
        .join(sample);
    let zone = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("grp7", learner);
    let mut sub = serde_json::json!({
        "submission_id": id,
        "exercise": {"id": "zone-basics"},
        "learner": learner,
        "submitted_at": submitted_at,
        "artifacts": {"zone": {"text": zone}},
    });
    if let Some(c) = course {
        sub["course"] = c.into();
    }
    sub.to_string()
}

/// Grades a submission message as the worker does; its result message.
pub fn grade(grading: &grader_worker::intake::Grading, submission: &str) -> String {
    let d = grading.process(&grader_worker::intake::Input {
        body: submission.as_bytes(),
        ..Default::default()
    });
    let result = d
        .result
        .unwrap_or_else(|| panic!("no result for {submission}"));
    String::from_utf8(result.body).expect("a result is UTF-8")
}
