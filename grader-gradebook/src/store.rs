//! Results and submissions in SQLite or PostgreSQL.
//!
//! One schema serves both (`sqlx`'s `Any` driver, the same SQL):
//!
//! - `submissions`: the submission message of each `submission_id`, as the
//!   worker received it, so that a regrade can grade it again.
//! - `results`: every result, unique on (`submission_id`,
//!   `checker_sha256`, `exercise_version`). Recording the same result
//!   twice does nothing: the broker's at-least-once delivery and reruns of
//!   `grader results record` are harmless. A regrade with another checker
//!   (or another version of the exercise) adds a row; the newest row
//!   (`seq`) of a submission is its *current* result.
//! - Views, for instructors with `sqlite3` or `psql` as much as for this
//!   code: `current_results` (one row per submission), `latest_attempts`
//!   and `best_attempts` (one row per course, exercise and learner, with
//!   the number of attempts). The best attempt is the highest graded
//!   score as a fraction of its maximum (the maximum changes when a
//!   rubric does), then in points, the latest among equals; without a
//!   graded attempt it is the latest.
//!
//! Results without a course are stored with course `''`.

use std::str::FromStr;

use grader_core::grade::parse_rfc3339;
use grader_core::message::{ResultBody, SubmissionMessage};
use sha2::{Digest, Sha256};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

/// The schema version this code reads and writes.
pub const SCHEMA_VERSION: &str = "1";

/// What went wrong with the gradebook.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The location is neither a PostgreSQL URL nor a usable file path.
    #[error("gradebook `{location}`: {why}")]
    Location {
        /// The location as given (passwords hidden).
        location: String,
        /// Why it cannot be used.
        why: String,
    },
    /// The database could not be reached or refused a statement.
    #[error("gradebook {location}: {source}")]
    Database {
        /// The location (passwords hidden).
        location: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// The gradebook was made by another version of the grader.
    #[error(
        "gradebook {location} has schema version {found}; this grader reads version {SCHEMA_VERSION}"
    )]
    Schema {
        /// The location (passwords hidden).
        location: String,
        /// The version found.
        found: String,
    },
    /// A result (or submission) that cannot be recorded.
    #[error("{what}: {why}")]
    Invalid {
        /// Which result (`result of submission s-1`, `line 4`).
        what: String,
        /// What is wrong with it.
        why: String,
    },
}

/// Which database a gradebook is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (or memory).
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// A gradebook: a pool of connections to its database.
#[derive(Clone, Debug)]
pub struct Gradebook {
    pool: AnyPool,
    backend: Backend,
    shown: String,
}

/// One thing to record: a result message, and the submission message it
/// grades when known (the worker knows it; a results queue does not).
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// The result message (`schemas/result.schema.json`), JSON.
    pub result: &'a str,
    /// The submission message (`schemas/submission.schema.json`), JSON.
    pub submission: Option<&'a str>,
    /// Whether the result still has to be published (a regrade's result,
    /// until the broker confirms it).
    pub pending_publish: bool,
}

/// What recording one result did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A new result.
    New,
    /// The same result was already there.
    AlreadyRecorded,
    /// A result for the same submission, checker and exercise version was
    /// already there, and differs, or the submission id is already another
    /// learner's, course's or exercise's: the first one is kept. (The
    /// grading is deterministic, so this means two different submissions
    /// were sent with one id, or a live server answered otherwise.)
    Conflict,
    /// Not a result the gradebook keeps (a `rejected` result: the message
    /// could not be graded, there is no checker and no score).
    Skipped(String),
}

/// Counts of what a batch of recordings did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// New results.
    pub new: u64,
    /// Results already recorded.
    pub already: u64,
    /// Results that differ from the one recorded under their key.
    pub conflicts: u64,
    /// Results not kept (rejected).
    pub skipped: u64,
}

impl Tally {
    /// Adds one recording.
    pub fn add(&mut self, r: &Recorded) {
        match r {
            Recorded::New => self.new += 1,
            Recorded::AlreadyRecorded => self.already += 1,
            Recorded::Conflict => self.conflicts += 1,
            Recorded::Skipped(_) => self.skipped += 1,
        }
    }
}

/// Which results a query reads.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this exercise.
    pub exercise: Option<String>,
    /// Only this course (`Some("")` is the results without a course).
    pub course: Option<String>,
    /// Only this learner.
    pub learner: Option<String>,
}

/// Which attempt of a learner counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pick {
    /// The one submitted last.
    #[default]
    Latest,
    /// The best graded score (the latest among equals).
    Best,
}

/// A submission with its current result.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    /// The recording order of the result (higher is newer).
    pub seq: i64,
    /// The submission.
    pub submission_id: String,
    /// The exercise id.
    pub exercise: String,
    /// The exercise version that graded it.
    pub exercise_version: String,
    /// The checker that graded it.
    pub checker_sha256: String,
    /// The learner.
    pub learner: String,
    /// The course (`None` without one).
    pub course: Option<String>,
    /// `graded`, `invalid_submission`, `checker_error` or
    /// `internal_error`.
    pub outcome: String,
    /// Points given and possible, when graded.
    pub score: Option<(f64, f64)>,
    /// When it was submitted (RFC 3339, UTC).
    pub submitted_at: String,
    /// The same, in seconds since 1970.
    pub submitted_unix: i64,
    /// The learner's number of submissions of this exercise in this course
    /// (in [`Gradebook::attempts`]; 1 in [`Gradebook::history`]).
    pub attempts: i64,
    /// The result message, JSON.
    pub result: String,
    /// Whether this result is a regrade still to be published.
    pub pending_publish: bool,
}

impl Attempt {
    /// The result message, read.
    pub fn body(&self) -> Result<ResultBody, serde_json::Error> {
        serde_json::from_str(&self.result)
    }
}

const COLUMNS: &str = "seq, submission_id, checker_sha256, exercise, exercise_version, learner, \
     course, outcome, score_given, score_maximum, submitted_at, submitted_unix, \
     pending_publish, body";

/// The tables; `{seq}` is the type of the recording order, which the two
/// databases spell differently.
const TABLES: &str = "
CREATE TABLE IF NOT EXISTS gradebook_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    submission_id TEXT PRIMARY KEY,
    exercise TEXT NOT NULL,
    learner TEXT NOT NULL,
    course TEXT NOT NULL,
    submitted_unix BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    seq {seq},
    submission_id TEXT NOT NULL,
    checker_sha256 TEXT NOT NULL,
    exercise TEXT NOT NULL,
    exercise_version TEXT NOT NULL,
    learner TEXT NOT NULL,
    course TEXT NOT NULL,
    outcome TEXT NOT NULL,
    score_given DOUBLE PRECISION,
    score_maximum DOUBLE PRECISION,
    submitted_at TEXT NOT NULL,
    submitted_unix BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    regrade_of TEXT,
    pending_publish BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    UNIQUE (submission_id, checker_sha256, exercise_version)
);
";

/// The indexes and views: the same SQL on both databases.
const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS results_by_submission ON results (submission_id, seq);
CREATE INDEX IF NOT EXISTS results_by_learner ON results (exercise, course, learner);
CREATE INDEX IF NOT EXISTS results_pending ON results (pending_publish);
";

fn views() -> [(&'static str, String); 3] {
    let cols = COLUMNS;
    [
        (
            "current_results",
            format!(
                "SELECT {cols} FROM (SELECT r.*, ROW_NUMBER() OVER \
                 (PARTITION BY submission_id ORDER BY seq DESC) AS rn FROM results r) t \
                 WHERE rn = 1"
            ),
        ),
        (
            "latest_attempts",
            format!(
                "SELECT {cols}, attempts FROM (SELECT c.*, ROW_NUMBER() OVER \
                 (PARTITION BY exercise, course, learner \
                  ORDER BY submitted_unix DESC, submission_id DESC) AS rn, \
                 COUNT(*) OVER (PARTITION BY exercise, course, learner) AS attempts \
                 FROM current_results c) t WHERE rn = 1"
            ),
        ),
        (
            "best_attempts",
            format!(
                "SELECT {cols}, attempts FROM (SELECT c.*, ROW_NUMBER() OVER \
                 (PARTITION BY exercise, course, learner \
                  ORDER BY CASE WHEN outcome = 'graded' THEN 0 ELSE 1 END, \
                  score_given / NULLIF(score_maximum, 0) DESC, score_given DESC, \
                  submitted_unix DESC, submission_id DESC) AS rn, \
                 COUNT(*) OVER (PARTITION BY exercise, course, learner) AS attempts \
                 FROM current_results c) t WHERE rn = 1"
            ),
        ),
    ]
}

/// A location for messages: a URL with its password hidden, or a path.
fn redact(location: &str) -> String {
    grader_core::redact_url(location).unwrap_or_else(|| location.to_string())
}

impl Gradebook {
    /// Opens (creating if needed) the gradebook at `location`: a
    /// PostgreSQL URL (`postgres://user@host:5432/db`), or the path of an
    /// SQLite file (`sqlite://PATH` is accepted too). The tables and views
    /// are created when missing.
    pub async fn open(location: &str) -> Result<Gradebook, Error> {
        let book = Self::connect(location, true).await?;
        book.migrate().await?;
        Ok(book)
    }

    /// Opens an existing gradebook to read it: nothing is created (a
    /// mistyped path is an error, not an empty gradebook), an SQLite file
    /// is opened read-only, and a PostgreSQL role needs only `SELECT`.
    pub async fn open_existing(location: &str) -> Result<Gradebook, Error> {
        let book = Self::connect(location, false).await?;
        let found: Option<String> =
            sqlx::query_scalar("SELECT value FROM gradebook_meta WHERE key = 'schema_version'")
                .fetch_optional(&book.pool)
                .await
                .map_err(|e| Error::Location {
                    location: book.shown.clone(),
                    why: format!("not a gradebook ({e})"),
                })?;
        match found {
            Some(v) if v == SCHEMA_VERSION => Ok(book),
            found => Err(Error::Schema {
                location: book.shown.clone(),
                found: found.unwrap_or_else(|| "(none)".into()),
            }),
        }
    }

    async fn connect(location: &str, write: bool) -> Result<Gradebook, Error> {
        let shown = redact(location);
        let bad = |why: String| Error::Location {
            location: shown.clone(),
            why,
        };
        let (url, backend) = if location.starts_with("postgres://")
            || location.starts_with("postgresql://")
        {
            (location.to_string(), Backend::Postgres)
        } else {
            let path = location.strip_prefix("sqlite://").unwrap_or(location);
            if path.is_empty() {
                return Err(bad("an empty path".into()));
            }
            if location.contains("://") && !location.starts_with("sqlite://") {
                return Err(bad(
                    "not a gradebook location: give a PostgreSQL URL (postgres://...) \
                     or the path of an SQLite file"
                        .into(),
                ));
            }
            if path.contains(['?', '#']) {
                return Err(bad(
                    "an SQLite path must not contain `?` or `#`; rename or move the file".into(),
                ));
            }
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
                && !dir.is_dir()
            {
                return Err(bad(format!(
                    "the directory {} does not exist",
                    dir.display()
                )));
            }
            if !write && !std::path::Path::new(path).is_file() {
                return Err(bad(
                    "no such gradebook: give the path of an existing SQLite gradebook or a \
                     PostgreSQL URL (postgres://...)"
                        .into(),
                ));
            }
            let mode = if write { "rwc" } else { "ro" };
            (format!("sqlite://{path}?mode={mode}"), Backend::Sqlite)
        };
        let pool = Self::pool(&url, backend, false)
            .await
            .map_err(|source| Error::Database {
                location: shown.clone(),
                source,
            })?;
        Ok(Gradebook {
            pool,
            backend,
            shown,
        })
    }

    /// A gradebook in memory (SQLite), gone when dropped: what `grader
    /// report` reads a JSON-lines file of results into.
    pub async fn in_memory() -> Result<Gradebook, Error> {
        let shown = "(in memory)".to_string();
        let pool = Self::pool("sqlite::memory:", Backend::Sqlite, true)
            .await
            .map_err(|source| Error::Database {
                location: shown.clone(),
                source,
            })?;
        let book = Gradebook {
            pool,
            backend: Backend::Sqlite,
            shown,
        };
        book.migrate().await?;
        Ok(book)
    }

    async fn pool(url: &str, backend: Backend, memory: bool) -> Result<AnyPool, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url)?;
        // One connection first, so that an unreachable server or a refused
        // login is said at once, not after the pool's retries.
        {
            use sqlx::Connection as _;
            let conn = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                sqlx::AnyConnection::connect_with(&options),
            )
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)??;
            if !memory {
                conn.close().await?;
            }
        }
        let mut pool = AnyPoolOptions::new().acquire_timeout(std::time::Duration::from_secs(30));
        if memory {
            // Each connection to `:memory:` is a database of its own: keep
            // exactly one, for ever.
            pool = pool
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        } else if backend == Backend::Sqlite {
            pool = pool.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    // Writers wait for each other instead of failing.
                    sqlx::query("PRAGMA busy_timeout = 10000")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            });
        } else {
            pool = pool.max_connections(8);
        }
        pool.connect_with(options).await
    }

    /// Where the gradebook is (passwords hidden).
    pub fn location(&self) -> &str {
        &self.shown
    }

    /// Which database it is in.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn db(&self) -> impl Fn(sqlx::Error) -> Error + '_ {
        |source| Error::Database {
            location: self.shown.clone(),
            source,
        }
    }

    async fn migrate(&self) -> Result<(), Error> {
        let db = self.db();
        if self.backend == Backend::Sqlite {
            // WAL lets readers (a report) run while a worker writes; it
            // cannot be set inside a transaction, and stays with the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&self.pool)
                .await
                .map_err(&db)?;
        }
        let mut tx = self.pool.begin().await.map_err(&db)?;
        let tables = TABLES.replace(
            "{seq}",
            match self.backend {
                Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
                Backend::Postgres => "BIGSERIAL PRIMARY KEY",
            },
        );
        if self.backend == Backend::Postgres {
            // Several workers may start at once.
            sqlx::query("SELECT pg_advisory_xact_lock(7261770)")
                .execute(&mut *tx)
                .await
                .map_err(&db)?;
        }
        for statement in tables.split(';').chain(INDEXES.split(';')) {
            if !statement.trim().is_empty() {
                sqlx::query(statement)
                    .execute(&mut *tx)
                    .await
                    .map_err(&db)?;
            }
        }
        for (name, select) in views() {
            // The views follow this code: replaced at every opening.
            if self.backend == Backend::Sqlite {
                sqlx::query(&format!("DROP VIEW IF EXISTS {name}"))
                    .execute(&mut *tx)
                    .await
                    .map_err(&db)?;
            }
            let create = match self.backend {
                Backend::Sqlite => format!("CREATE VIEW {name} AS {select}"),
                Backend::Postgres => format!("CREATE OR REPLACE VIEW {name} AS {select}"),
            };
            sqlx::query(&create).execute(&mut *tx).await.map_err(&db)?;
        }
        let found: Option<String> =
            sqlx::query_scalar("SELECT value FROM gradebook_meta WHERE key = 'schema_version'")
                .fetch_optional(&mut *tx)
                .await
                .map_err(&db)?;
        match found {
            None => {
                sqlx::query(
                    "INSERT INTO gradebook_meta (key, value) VALUES ('schema_version', $1)",
                )
                .bind(SCHEMA_VERSION)
                .execute(&mut *tx)
                .await
                .map_err(&db)?;
            }
            Some(v) if v == SCHEMA_VERSION => {}
            Some(found) => {
                return Err(Error::Schema {
                    location: self.shown.clone(),
                    found,
                });
            }
        }
        tx.commit().await.map_err(&db)?;
        Ok(())
    }

    /// Records one result (and its submission), idempotently.
    pub async fn record(&self, entry: &Entry<'_>) -> Result<Recorded, Error> {
        let mut tally = Vec::with_capacity(1);
        self.record_batch(std::slice::from_ref(entry), &mut tally)
            .await?;
        tally.pop().ok_or_else(|| Error::Invalid {
            what: "a result".into(),
            why: "nothing recorded".into(),
        })
    }

    /// Records several results in one transaction; `out` receives what
    /// happened to each, in order. An invalid result fails the whole batch,
    /// naming it; nothing of the batch is then recorded.
    pub async fn record_batch(
        &self,
        entries: &[Entry<'_>],
        out: &mut Vec<Recorded>,
    ) -> Result<(), Error> {
        let db = self.db();
        let mut rows = Vec::with_capacity(entries.len());
        for e in entries {
            rows.push(Checked::of(e)?);
        }
        let mut tx = self.pool.begin().await.map_err(&db)?;
        let mut done = Vec::with_capacity(rows.len());
        for row in &rows {
            let Checked::Keep(r) = row else {
                if let Checked::Skip(why) = row {
                    done.push(Recorded::Skipped(why.clone()));
                }
                continue;
            };
            if let Some(sub) = &r.submission {
                sqlx::query(
                    "INSERT INTO submissions (submission_id, exercise, learner, course, \
                     submitted_unix, body) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (submission_id) DO NOTHING",
                )
                .bind(&r.submission_id)
                .bind(&r.exercise)
                .bind(&r.learner)
                .bind(&r.course)
                .bind(r.submitted_unix)
                .bind(*sub)
                .execute(&mut *tx)
                .await
                .map_err(&db)?;
            }
            // One submission id is one learner's submission of one
            // exercise: another learner, course or exercise under the same
            // id is a conflict, not a new result.
            let owner: Option<(String, String, String)> = sqlx::query_as(
                "SELECT learner, course, exercise FROM results WHERE submission_id = $1 LIMIT 1",
            )
            .bind(&r.submission_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(&db)?;
            if owner.is_some_and(|o| o != (r.learner.clone(), r.course.clone(), r.exercise.clone()))
            {
                done.push(Recorded::Conflict);
                continue;
            }
            let inserted = insert(r)
                .execute(&mut *tx)
                .await
                .map_err(&db)?
                .rows_affected();
            if inserted == 1 {
                done.push(Recorded::New);
                continue;
            }
            let existing: Option<String> = sqlx::query_scalar(
                "SELECT fingerprint FROM results WHERE submission_id = $1 \
                 AND checker_sha256 = $2 AND exercise_version = $3",
            )
            .bind(&r.submission_id)
            .bind(&r.checker)
            .bind(&r.version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(&db)?;
            done.push(if existing.as_deref() == Some(r.fingerprint.as_str()) {
                Recorded::AlreadyRecorded
            } else {
                Recorded::Conflict
            });
        }
        tx.commit().await.map_err(&db)?;
        out.extend(done);
        Ok(())
    }

    /// Records a regrade's results in one transaction, in order, each
    /// becoming its submission's current result: a row with the same key
    /// (a submission graded again by a checker it was graded by before) is
    /// replaced. Nothing is recorded if one of them is invalid.
    pub async fn record_regrade(&self, entries: &[Entry<'_>]) -> Result<(), Error> {
        let db = self.db();
        let mut rows = Vec::with_capacity(entries.len());
        for e in entries {
            match Checked::of(e)? {
                Checked::Keep(r) => rows.push(r),
                Checked::Skip(why) => {
                    return Err(Error::Invalid {
                        what: "a regrade result".into(),
                        why,
                    });
                }
            }
        }
        let mut tx = self.pool.begin().await.map_err(&db)?;
        for r in &rows {
            sqlx::query(
                "DELETE FROM results WHERE submission_id = $1 AND checker_sha256 = $2 \
                 AND exercise_version = $3",
            )
            .bind(&r.submission_id)
            .bind(&r.checker)
            .bind(&r.version)
            .execute(&mut *tx)
            .await
            .map_err(&db)?;
            insert(r).execute(&mut *tx).await.map_err(&db)?;
        }
        tx.commit().await.map_err(&db)?;
        Ok(())
    }
}

/// The insertion of a result row (nothing when its key is there).
///
/// An ungraded result's score columns are written as the literal `NULL`,
/// never as a bound null: sqlx 0.8's `Any` driver declares a null `f64` to
/// PostgreSQL as `float4`, and a connection that prepared the statement
/// with that type then refuses the next graded result's `float8`
/// ("incorrect binary data format"). Two statements keep the types fixed.
fn insert<'q>(r: &'q Fields<'q>) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    const GRADED: &str = "INSERT INTO results (submission_id, checker_sha256, exercise, \
         exercise_version, learner, course, outcome, submitted_at, submitted_unix, fingerprint, \
         regrade_of, pending_publish, body, score_given, score_maximum) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (submission_id, checker_sha256, exercise_version) DO NOTHING";
    const UNGRADED: &str = "INSERT INTO results (submission_id, checker_sha256, exercise, \
         exercise_version, learner, course, outcome, submitted_at, submitted_unix, fingerprint, \
         regrade_of, pending_publish, body, score_given, score_maximum) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, NULL) \
         ON CONFLICT (submission_id, checker_sha256, exercise_version) DO NOTHING";
    let q = sqlx::query(if r.score.is_some() { GRADED } else { UNGRADED })
        .bind(&r.submission_id)
        .bind(&r.checker)
        .bind(&r.exercise)
        .bind(&r.version)
        .bind(&r.learner)
        .bind(&r.course)
        .bind(&r.outcome)
        .bind(&r.submitted_at)
        .bind(r.submitted_unix)
        .bind(&r.fingerprint)
        .bind(r.regrade_of.as_deref())
        .bind(i64::from(r.pending_publish))
        .bind(r.body);
    match r.score {
        Some((given, maximum)) => q.bind(given).bind(maximum),
        None => q,
    }
}

impl Gradebook {
    /// One attempt per course, exercise and learner: the latest or the
    /// best (the `latest_attempts` and `best_attempts` views), ordered by
    /// course, exercise and learner.
    pub async fn attempts(&self, pick: Pick, filter: &Filter) -> Result<Vec<Attempt>, Error> {
        let view = match pick {
            Pick::Latest => "latest_attempts",
            Pick::Best => "best_attempts",
        };
        self.select(view, "attempts", filter, "course, exercise, learner")
            .await
    }

    /// Every submission with its current result, oldest first (by
    /// submission time, then id): what a regrade goes through.
    pub async fn history(&self, filter: &Filter) -> Result<Vec<Attempt>, Error> {
        self.select(
            "current_results",
            "1 AS attempts",
            filter,
            "submitted_unix, submission_id",
        )
        .await
    }

    /// Every result recorded for a submission, oldest first.
    pub async fn results_of(&self, submission_id: &str) -> Result<Vec<Attempt>, Error> {
        let sql = format!(
            "SELECT {COLUMNS}, 1 AS attempts FROM results WHERE submission_id = $1 ORDER BY seq"
        );
        let rows = sqlx::query(&sql)
            .bind(submission_id)
            .fetch_all(&self.pool)
            .await
            .map_err(self.db())?;
        rows.iter().map(attempt).collect()
    }

    /// Regrade results recorded but not yet confirmed by the broker, in
    /// the order they were recorded.
    pub async fn pending(&self, filter: &Filter) -> Result<Vec<Attempt>, Error> {
        let mut f = filter.clone();
        f.learner = None;
        let (clauses, binds) = where_clause(&f, 1);
        let extra = if clauses.is_empty() {
            " WHERE pending_publish = 1".to_string()
        } else {
            format!("{clauses} AND pending_publish = 1")
        };
        let sql = format!("SELECT {COLUMNS}, 1 AS attempts FROM results{extra} ORDER BY seq");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(self.db())?;
        rows.iter().map(attempt).collect()
    }

    /// The result recorded under the same key (submission, checker,
    /// exercise version) as `result`, if any: after a [`Recorded::Conflict`],
    /// the one the gradebook kept.
    pub async fn kept(&self, result: &str) -> Result<Option<String>, Error> {
        let entry = Entry {
            result,
            submission: None,
            pending_publish: false,
        };
        let Checked::Keep(r) = Checked::of(&entry)? else {
            return Ok(None);
        };
        // Only the same learner's: another learner's result is never the
        // answer to this one's submission.
        sqlx::query_scalar(
            "SELECT body FROM results WHERE submission_id = $1 AND checker_sha256 = $2 \
             AND exercise_version = $3 AND learner = $4 AND course = $5 AND exercise = $6",
        )
        .bind(&r.submission_id)
        .bind(&r.checker)
        .bind(&r.version)
        .bind(&r.learner)
        .bind(&r.course)
        .bind(&r.exercise)
        .fetch_optional(&self.pool)
        .await
        .map_err(self.db())
    }

    /// Marks a regrade result as published (confirmed by the broker).
    pub async fn mark_published(&self, seq: i64) -> Result<(), Error> {
        sqlx::query("UPDATE results SET pending_publish = 0 WHERE seq = $1")
            .bind(seq)
            .execute(&self.pool)
            .await
            .map_err(self.db())?;
        Ok(())
    }

    /// The submission message stored for `submission_id`, if any.
    pub async fn submission(&self, submission_id: &str) -> Result<Option<String>, Error> {
        sqlx::query_scalar("SELECT body FROM submissions WHERE submission_id = $1")
            .bind(submission_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(self.db())
    }

    async fn select(
        &self,
        view: &str,
        attempts: &str,
        filter: &Filter,
        order: &str,
    ) -> Result<Vec<Attempt>, Error> {
        let (clauses, binds) = where_clause(filter, 1);
        let sql = format!("SELECT {COLUMNS}, {attempts} FROM {view}{clauses} ORDER BY {order}");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(self.db())?;
        rows.iter().map(attempt).collect()
    }

    /// Checks that the gradebook can be written now: an update that is
    /// rolled back. What a worker waits for after recording failed.
    pub async fn ping(&self) -> Result<(), Error> {
        let db = self.db();
        let mut tx = self.pool.begin().await.map_err(&db)?;
        sqlx::query("UPDATE gradebook_meta SET value = value WHERE key = 'schema_version'")
            .execute(&mut *tx)
            .await
            .map_err(&db)?;
        tx.rollback().await.map_err(&db)?;
        Ok(())
    }

    /// Closes the connections.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// ` WHERE ...` for a filter, with its values, numbered from `first`.
fn where_clause(filter: &Filter, first: usize) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    for (column, value) in [
        ("exercise", &filter.exercise),
        ("course", &filter.course),
        ("learner", &filter.learner),
    ] {
        if let Some(v) = value {
            clauses.push(format!("{column} = ${}", first + binds.len()));
            binds.push(v.clone());
        }
    }
    if clauses.is_empty() {
        (String::new(), binds)
    } else {
        (format!(" WHERE {}", clauses.join(" AND ")), binds)
    }
}

fn attempt(row: &AnyRow) -> Result<Attempt, Error> {
    let get = || -> Result<Attempt, sqlx::Error> {
        let given: Option<f64> = row.try_get("score_given")?;
        let maximum: Option<f64> = row.try_get("score_maximum")?;
        let course: String = row.try_get("course")?;
        Ok(Attempt {
            seq: row.try_get("seq")?,
            submission_id: row.try_get("submission_id")?,
            exercise: row.try_get("exercise")?,
            exercise_version: row.try_get("exercise_version")?,
            checker_sha256: row.try_get("checker_sha256")?,
            learner: row.try_get("learner")?,
            course: (!course.is_empty()).then_some(course),
            outcome: row.try_get("outcome")?,
            score: given.zip(maximum),
            submitted_at: row.try_get("submitted_at")?,
            submitted_unix: row.try_get("submitted_unix")?,
            attempts: row.try_get("attempts")?,
            result: row.try_get("body")?,
            pending_publish: row.try_get::<i64, _>("pending_publish")? != 0,
        })
    };
    get().map_err(|e| Error::Invalid {
        what: "a gradebook row".into(),
        why: e.to_string(),
    })
}

/// A result read and checked, ready to insert.
enum Checked<'a> {
    Keep(Box<Fields<'a>>),
    Skip(String),
}

struct Fields<'a> {
    submission_id: String,
    checker: String,
    exercise: String,
    version: String,
    learner: String,
    course: String,
    outcome: String,
    score: Option<(f64, f64)>,
    submitted_at: String,
    submitted_unix: i64,
    fingerprint: String,
    regrade_of: Option<String>,
    pending_publish: bool,
    body: &'a str,
    submission: Option<&'a str>,
}

impl<'a> Checked<'a> {
    fn of(e: &Entry<'a>) -> Result<Checked<'a>, Error> {
        let value: serde_json::Value =
            serde_json::from_str(e.result).map_err(|err| Error::Invalid {
                what: "a result".into(),
                why: format!("not JSON: {err}"),
            })?;
        // Read from the parsed value in place (it is fingerprinted next).
        let r = <ResultBody as serde::Deserialize>::deserialize(&value).map_err(|err| {
            Error::Invalid {
                what: "a result".into(),
                why: format!("not a grader result: {err}"),
            }
        })?;
        let what = || format!("the result of submission `{}`", r.submission_id);
        let invalid = |why: &str| Error::Invalid {
            what: what(),
            why: why.to_string(),
        };
        if !grader_core::message::valid_id_text(&r.submission_id) {
            return Err(Error::Invalid {
                what: "a result".into(),
                why: "it has no submission_id (a result of `grader grade` grades no \
                      submission message; the gradebook keeps results of submissions)"
                    .into(),
            });
        }
        if r.outcome == "rejected" {
            return Ok(Checked::Skip(format!(
                "submission `{}` was rejected ({}): nothing was graded",
                r.submission_id,
                r.reason.as_deref().unwrap_or("no reason given")
            )));
        }
        if ![
            "graded",
            "invalid_submission",
            "checker_error",
            "internal_error",
        ]
        .contains(&r.outcome.as_str())
        {
            return Err(invalid(&format!("unknown outcome `{}`", r.outcome)));
        }
        let exercise = r
            .exercise
            .clone()
            .ok_or_else(|| invalid("it names no exercise"))?;
        let version = exercise
            .version
            .clone()
            .ok_or_else(|| invalid("it names no exercise version"))?;
        let checker = r
            .checker_sha256
            .clone()
            .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| invalid("it has no checker_sha256 (64 hexadecimal digits)"))?;
        let learner = r
            .learner
            .clone()
            .ok_or_else(|| invalid("it has no learner"))?;
        // What the worker would have refused in a submission is refused
        // here too (a NUL byte, which PostgreSQL cannot store, among them).
        let id_rule = "must be 1 to 200 bytes without control characters";
        if !grader_core::message::valid_id_text(&learner) {
            return Err(invalid(&format!("its learner {id_rule}")));
        }
        if let Some(c) = &r.course
            && !grader_core::message::valid_id_text(c)
        {
            return Err(invalid(&format!("its course {id_rule}")));
        }
        if !grader_core::exercise::is_id(&exercise.id) {
            return Err(invalid("its exercise id is not an exercise id"));
        }
        if !grader_core::message::valid_id_text(&version) {
            return Err(invalid(&format!("its exercise version {id_rule}")));
        }
        let at = r
            .graded_at
            .clone()
            .ok_or_else(|| invalid("it has no graded_at"))?;
        let unix = parse_rfc3339(&at).map_err(|why| invalid(&format!("graded_at: {why}")))?;
        let score = match (&r.score, r.outcome.as_str()) {
            (Some(s), "graded") => Some((s.given, s.maximum)),
            (None, "graded") => return Err(invalid("it is graded but has no score")),
            _ => None,
        };
        if let Some(sub) = e.submission {
            let s: SubmissionMessage = serde_json::from_str(sub).map_err(|err| Error::Invalid {
                what: format!("the submission `{}`", r.submission_id),
                why: err.to_string(),
            })?;
            if s.submission_id != r.submission_id {
                return Err(invalid(&format!(
                    "it was stored with submission `{}`",
                    s.submission_id
                )));
            }
        }
        Ok(Checked::Keep(Box::new(Fields {
            fingerprint: fingerprint(value),
            submission_id: r.submission_id.clone(),
            checker,
            exercise: exercise.id,
            version,
            learner,
            course: r.course.clone().unwrap_or_default(),
            outcome: r.outcome.clone(),
            score,
            submitted_at: at,
            submitted_unix: unix,
            regrade_of: r.regrade_of.as_ref().map(|g| g.checker_sha256.clone()),
            pending_publish: e.pending_publish,
            body: e.result,
            submission: e.submission,
        })))
    }
}

/// The SHA-256 of what a result says about the submission: everything but
/// the timing, the AGS score (its timestamp changes with a regrade) and
/// `regrade_of`. Keys are sorted, so the order of fields does not matter.
fn fingerprint(mut value: serde_json::Value) -> String {
    if let Some(map) = value.as_object_mut() {
        for key in ["timing", "lti_score", "regrade_of"] {
            map.remove(key);
        }
    }
    // serde_json's map is ordered by key.
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://u:secret@db:5432/g"),
            "postgres://u:***@db:5432/g"
        );
        assert_eq!(redact("/var/lib/grader.db"), "/var/lib/grader.db");
    }

    #[test]
    fn fingerprints_ignore_timing_and_order() {
        let a = serde_json::json!({"a": 1, "timing": {"checker_us": 5}, "b": [1, 2]});
        let b = serde_json::json!({"b": [1, 2], "a": 1, "timing": {"checker_us": 9}});
        assert_eq!(fingerprint(a), fingerprint(b.clone()));
        assert_ne!(fingerprint(b), fingerprint(serde_json::json!({"a": 2})));
    }
}

#[cfg(test)]
mod smoke {
    use super::*;

    #[tokio::test]
    async fn smoke() {
        let body = std::fs::read_to_string("../schemas/examples/result-graded.json").unwrap();
        for loc in ["MEM", "postgres://postgres@127.0.0.1:5432/test"] {
            let book = if loc == "MEM" {
                Gradebook::in_memory().await.unwrap()
            } else {
                Gradebook::open(loc).await.unwrap()
            };
            let e = Entry {
                result: &body,
                submission: None,
                pending_publish: false,
            };
            let r1 = book.record(&e).await.unwrap();
            let r2 = book.record(&e).await.unwrap();
            println!("{loc}: {r1:?} {r2:?}");
            let a = book.attempts(Pick::Best, &Filter::default()).await.unwrap();
            println!(
                "{:?}",
                a.iter()
                    .map(|a| (&a.learner, a.score, a.attempts))
                    .collect::<Vec<_>>()
            );
            let a = book
                .attempts(
                    Pick::Latest,
                    &Filter {
                        exercise: Some("zone-basics".into()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            println!("{}", a.len());
        }
    }
}
