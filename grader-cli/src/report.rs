//! `grader report`: learners × exercises from the gradebook, or from a
//! JSON-lines file of results (read into a gradebook in memory, so that
//! both go through the same queries): a table for the terminal, CSV for
//! spreadsheets and LMS imports, or a self-contained HTML report.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use grader_gradebook::report::{self, Report, Scope};
use grader_gradebook::{Entry, Filter, Gradebook, Pick, Recorded, Tally};

use crate::commands::fail;
use crate::progress::Progress;

/// Results recorded per transaction when reading a JSON-lines file.
const BATCH: usize = 500;

/// Below this many items no progress is shown.
const QUIET_BELOW: u64 = 2000;

/// Arguments of `grader report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// The gradebook: the path of an SQLite file, or a PostgreSQL URL
    /// (postgres://user@host:5432/db).
    #[arg(
        long,
        value_name = "LOCATION",
        env = "GRADER_GRADEBOOK",
        hide_env_values = true
    )]
    gradebook: Option<String>,
    /// Read results from this file instead of a gradebook: result messages
    /// as JSON lines (one per line; `-` reads standard input).
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    /// Only this course.
    #[arg(long, value_name = "COURSE")]
    course: Option<String>,
    /// Only this exercise.
    #[arg(long, value_name = "ID")]
    exercise: Option<String>,
    /// Which attempt of each learner counts.
    #[arg(long, value_enum, default_value_t = PickArg::Latest)]
    pick: PickArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Write the report to this file instead of standard output (`-`:
    /// standard output).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Which attempt of each learner counts.
#[derive(Clone, Copy, ValueEnum)]
enum PickArg {
    /// The last one submitted.
    Latest,
    /// The highest graded score (the latest among equals).
    Best,
}

/// What `grader report` writes.
#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// A table for the terminal.
    Table,
    /// CSV: one row per learner, a column per exercise, and the total.
    Csv,
    /// One HTML page: charts per exercise, every learner's feedback.
    Html,
}

/// `grader report`.
pub fn report(args: &ReportArgs) -> ExitCode {
    stay_on_this_core();
    crate::commands::block_on(async {
        match run(args).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        }
    })
}

async fn run(args: &ReportArgs) -> Result<(), String> {
    let mut notes = Vec::new();
    let book = match (&args.results, &args.gradebook) {
        (Some(file), gradebook) => {
            // --results wins over GRADER_GRADEBOOK, not over --gradebook.
            let flag = std::env::args_os()
                .any(|a| a == "--gradebook" || a.to_string_lossy().starts_with("--gradebook="));
            if gradebook.is_some() && flag {
                return Err("give --gradebook or --results, not both".into());
            }
            load(file, &mut notes).await?
        }
        (None, Some(location)) => open(location).await?,
        (None, None) => {
            return Err("no results to report: give --gradebook LOCATION (or set \
                        GRADER_GRADEBOOK), or --results FILE (JSON lines of result messages)"
                .into());
        }
    };
    let filter = Filter {
        exercise: args.exercise.clone(),
        course: args.course.clone(),
        learner: None,
    };
    let pick = match args.pick {
        PickArg::Latest => Pick::Latest,
        PickArg::Best => Pick::Best,
    };
    let attempts = book
        .attempts(pick, &filter)
        .await
        .map_err(|e| e.to_string())?;
    let source = match &args.results {
        Some(file) if file.as_os_str() == "-" => "standard input".to_string(),
        Some(file) => file.display().to_string(),
        None => book.location().to_string(),
    };
    book.close().await;
    if attempts.is_empty() {
        let mut scope = Vec::new();
        if let Some(c) = &args.course {
            scope.push(format!("course `{c}`"));
        }
        if let Some(e) = &args.exercise {
            scope.push(format!("exercise `{e}`"));
        }
        eprintln!(
            "grader: no results in {source}{}",
            if scope.is_empty() {
                String::new()
            } else {
                format!(" for {}", scope.join(" and "))
            }
        );
    }
    let scope = Scope {
        source,
        course: args.course.clone(),
        exercise: args.exercise.clone(),
        pick,
        notes,
    };
    let mut progress = Progress::new("reported", attempts.len() as u64, QUIET_BELOW);
    let report = Report::build(scope, attempts, &mut || progress.inc());
    progress.finish();
    let report = report.map_err(|e| e.to_string())?;
    let bytes = match args.format {
        ReportFormat::Table => report::table(&report).into_bytes(),
        ReportFormat::Csv => report::csv(&report).map_err(|e| format!("writing CSV: {e}"))?,
        ReportFormat::Html => {
            let mut progress = Progress::new("written", report.learners.len() as u64, QUIET_BELOW);
            let html = report::html(&report, &mut || progress.inc());
            progress.finish();
            html.into_bytes()
        }
    };
    write(args.output.as_deref(), &bytes)
}

/// Keeps this thread, and the threads it starts from now on, on the core
/// it runs on. The report's work is sequential, but reading SQLite through
/// sqlx is a ping-pong between this thread and the driver's worker thread
/// (started when the gradebook is opened, so it inherits this), one round
/// trip per statement and per row; across two cores each round trip waits
/// for the other core to wake up. Measured on the project's 2-core machine,
/// the HTML report of 10,000 results from JSON lines took 1.9 to 2.3 s
/// unpinned and 0.9 to 1.2 s pinned (`taskset -c 0`).
#[cfg(target_os = "linux")]
fn stay_on_this_core() {
    // SAFETY: `sched_getcpu` takes nothing; `cpu_set_t` is plain data, for
    // which all zeroes is the empty set; `sched_setaffinity` reads the set
    // for the calling thread (0) and fails harmlessly.
    unsafe {
        let cpu = libc::sched_getcpu();
        if cpu < 0 || cpu as usize >= libc::CPU_SETSIZE as usize {
            return;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu as usize, &mut set);
        let _ = libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

#[cfg(not(target_os = "linux"))]
fn stay_on_this_core() {}

/// Opens an existing gradebook to read (a report never creates one: a
/// mistyped path is an error, not an empty report; a read-only role will
/// do).
async fn open(location: &str) -> Result<Gradebook, String> {
    Gradebook::open_existing(location)
        .await
        .map_err(|e| e.to_string())
}

/// Reads a JSON-lines file of results into a gradebook in memory, in
/// batches; what recording skipped is said on stderr and in `notes`.
async fn load(file: &PathBuf, notes: &mut Vec<String>) -> Result<Gradebook, String> {
    let (label, bytes) =
        crate::read_input(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{label}: not UTF-8 text (at byte {}); results are JSON lines",
            e.utf8_error().valid_up_to()
        )
    })?;
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let book = Gradebook::in_memory().await.map_err(|e| e.to_string())?;
    let mut progress = Progress::new("read", lines.len() as u64, QUIET_BELOW);
    let mut tally = Tally::default();
    let mut done = Vec::with_capacity(BATCH);
    let mut skipped_example = None;
    for chunk in lines.chunks(BATCH) {
        let entries: Vec<Entry> = chunk
            .iter()
            .map(|(_, l)| Entry {
                result: l,
                submission: None,
                pending_publish: false,
            })
            .collect();
        done.clear();
        if let Err(e) = book.record_batch(&entries, &mut done).await {
            // Nothing of the batch was recorded: find the line at fault.
            for ((n, _), entry) in chunk.iter().zip(&entries) {
                if let Err(e) = book.record(entry).await {
                    return Err(format!("{label}, line {n}: {e}"));
                }
            }
            return Err(format!("{label}: {e}"));
        }
        for (r, (n, _)) in done.iter().zip(chunk) {
            tally.add(r);
            if let Recorded::Skipped(why) = r {
                skipped_example.get_or_insert_with(|| format!("line {n}: {why}"));
            }
            progress.inc();
        }
    }
    progress.finish();
    if tally.skipped > 0 {
        let note = format!(
            "{} rejected result{} skipped: nothing was graded (first: {})",
            tally.skipped,
            if tally.skipped == 1 { "" } else { "s" },
            skipped_example.unwrap_or_default()
        );
        eprintln!("grader: {label}: {note}");
        notes.push(note);
    }
    if tally.already > 0 {
        let note = format!(
            "{} result{} given twice (counted once)",
            tally.already,
            if tally.already == 1 { " was" } else { "s were" }
        );
        eprintln!("grader: {label}: {note}");
        notes.push(note);
    }
    if tally.conflicts > 0 {
        let note = format!(
            "{} result{} differ from an earlier result of the same submission, checker and \
             exercise version: the first is counted",
            tally.conflicts,
            if tally.conflicts == 1 { "" } else { "s" }
        );
        eprintln!("grader: {label}: {note}");
        notes.push(note);
    }
    Ok(book)
}

fn write(output: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .or_else(|e| {
                    // A closed pipe (`| head`) is not an error.
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| format!("cannot write the report: {e}"))
        }
    }
}
