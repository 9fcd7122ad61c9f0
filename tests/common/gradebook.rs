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
