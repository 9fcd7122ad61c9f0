//! The gradebook: every result the grader gave, with the submission it
//! graded, in SQLite (one file, the default) or PostgreSQL (for several
//! workers), and what instructors and LMSs read from it.
//!
//! - [`store`]: recording (idempotent on the submission id, the checker's
//!   SHA-256 and the exercise version), the latest and the best attempt of
//!   each learner, the submissions a regrade needs, the outbox of regrade
//!   results still to publish.
//! - [`report`]: learners × exercises as a terminal table, CSV, or a
//!   self-contained HTML report with charts and item analysis.
//! - [`diff`]: what a regrade changes, per learner and per check.
//! - [`gradescope`]: a result as Gradescope's `results.json`.

pub mod diff;
pub mod gradescope;
pub mod report;
pub mod store;

pub use store::{Attempt, Entry, Error, Filter, Gradebook, Pick, Recorded, Tally};
