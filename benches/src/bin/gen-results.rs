//! `gen-results`: realistic result messages for the report benchmark
//! (`benches/report.sh`), as JSON lines and/or recorded in a gradebook.
//!
//! Every sample submission of five exercises (`exercises/*/examples/`) is
//! graded once, for real, with the exercises' checkers; the results are
//! then handed to synthetic learners in several courses, each with their
//! own submission ids and times, 1 to 3 attempts per exercise, two in five
//! ending on the exercise's most common mistake, one in 37 on a checker
//! fault (see `grader_tests::report::class`). The feedback names each
//! learner's own zone, so the same failing line recurs across learners
//! with their names in it.
//!
//! ```text
//! gen-results [--results N] [--learners L] [--courses C]
//!             [--jsonl FILE] [--gradebook LOCATION]
//! ```
//!
//! `--results` (default 10000) is the number written: the first N of the
//! classes' results. `--learners` defaults to about N/10, spread over `--courses`
//! (default 2). Deterministic: the same arguments give the same results.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use grader_tests::report::{ClassPlan, STUCK, Templates, class, record, write_lines};

#[derive(Parser)]
#[command(about = "Writes realistic grader results for the report benchmark")]
struct Args {
    /// How many results.
    #[arg(long, default_value_t = 10_000)]
    results: usize,
    /// How many learners (default: about results / 10).
    #[arg(long)]
    learners: Option<usize>,
    /// How many courses the learners are spread over.
    #[arg(long, default_value_t = 2)]
    courses: usize,
    /// Write the results here, one JSON message per line.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// Record the results in this gradebook (SQLite path or PostgreSQL
    /// URL; created when missing).
    #[arg(long, value_name = "LOCATION")]
    gradebook: Option<String>,
}

/// 2026-09-07T08:00:00Z, the first submission.
const START: i64 = 1_788_768_000;

fn learner_id(i: usize) -> String {
    if i % 50 == 49 {
        // Some platforms' ids are long: the table cuts them.
        format!("learner-with-a-rather-long-platform-id-{i:05}")
    } else {
        format!("s{i:05}")
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.jsonl.is_none() && args.gradebook.is_none() {
        eprintln!("gen-results: give --jsonl FILE and/or --gradebook LOCATION");
        return ExitCode::from(2);
    }
    if args.results == 0 || args.courses == 0 {
        eprintln!("gen-results: --results and --courses must be positive");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let exercises: Vec<&str> = STUCK.iter().map(|(e, _)| *e).collect();
    let templates = match Templates::grade(&exercises) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("gen-results: grading the samples: {e}");
            return ExitCode::from(2);
        }
    };
    let graded = templates
        .all
        .iter()
        .filter(|t| t.outcome == "graded")
        .count();
    eprintln!(
        "gen-results: graded {} samples of {} exercises ({graded} graded) in {:.1} s",
        templates.all.len(),
        exercises.len(),
        started.elapsed().as_secs_f64()
    );
    let learners = args
        .learners
        .unwrap_or(args.results * 10 / 99 + args.courses)
        .max(1);
    let ids: Vec<String> = (0..learners).map(learner_id).collect();
    let per_course = learners.div_ceil(args.courses);
    let mut results = Vec::with_capacity(args.results + 64);
    for (c, group) in ids.chunks(per_course).enumerate() {
        let course = format!("dns-2026-{}", (b'a' + (c % 26) as u8) as char);
        results.extend(class(
            &templates,
            &ClassPlan {
                learners: group,
                course: Some(&course),
                start: START,
                checker_errors: true,
            },
        ));
    }
    if results.len() < args.results {
        eprintln!(
            "gen-results: {learners} learners make only {} results; give more --learners",
            results.len()
        );
        return ExitCode::from(2);
    }
    results.truncate(args.results);
    if let Some(path) = &args.jsonl
        && let Err(e) = write_lines(path, &results)
    {
        eprintln!("gen-results: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    if let Some(location) = &args.gradebook {
        match record(location, &results) {
            Ok(new) => eprintln!("gen-results: recorded {new} new results in {location}"),
            Err(e) => {
                eprintln!("gen-results: {location}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    eprintln!(
        "gen-results: {} results of {learners} learners in {} courses",
        results.len(),
        ids.chunks(per_course).count()
    );
    ExitCode::SUCCESS
}
