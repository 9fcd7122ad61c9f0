//! `grader export`: a result in another platform's format.
//!
//! Exit status: 0 written, 1 written for a submission that was not graded
//! (an invalid submission: score 0 and the message) or not written (a
//! checker or internal error, a rejected message: no score to give), 2 the
//! result cannot be read or the output written.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use grader_core::message::ResultBody;
use grader_gradebook::gradescope;

use crate::commands::fail;

/// `grader export` subcommands.
#[derive(clap::Subcommand)]
pub enum ExportCommand {
    /// Gradescope's `results.json`: one test per rubric check, with score,
    /// max_score, status, name, output and visibility.
    Gradescope(GradescopeArgs),
}

/// Arguments of `grader export gradescope`.
#[derive(clap::Args)]
pub struct GradescopeArgs {
    /// A result (`grader grade --format json` output with a submission id,
    /// or a message from `grader.results`); `-` reads standard input.
    result: PathBuf,
    /// Where to write (Gradescope reads /autograder/results/results.json);
    /// default standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `grader export`.
pub fn run(cmd: &ExportCommand) -> ExitCode {
    match cmd {
        ExportCommand::Gradescope(args) => gradescope_export(args),
    }
}

fn gradescope_export(args: &GradescopeArgs) -> ExitCode {
    let (label, bytes) = match crate::read_input(&args.result) {
        Ok(v) => v,
        Err(e) => return fail(format!("cannot read {}: {e}", args.result.display())),
    };
    let result: ResultBody = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => return fail(format!("{label}: not a grader result: {e}")),
    };
    let out = match gradescope::results(&result) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("grader: {e}");
            return ExitCode::from(1);
        }
    };
    // Plain data always serializes.
    let mut json = serde_json::to_vec_pretty(&out).unwrap_or_default();
    json.push(b'\n');
    let written = match &args.output {
        Some(path) => {
            std::fs::write(path, &json).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::stdout()
            .write_all(&json)
            .map_err(|e| format!("cannot write the output: {e}")),
    };
    if let Err(e) = written {
        return fail(e);
    }
    if result.is_graded() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "grader: the submission was not graded ({}): exported with score 0 and the message",
            result.outcome
        );
        ExitCode::from(1)
    }
}
