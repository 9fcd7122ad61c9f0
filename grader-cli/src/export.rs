//! `grader export`: a result in another platform's format. (Being written.)
use std::process::ExitCode;

/// `grader export` subcommands.
#[derive(clap::Subcommand)]
pub enum ExportCommand {
    /// Gradescope's `results.json`.
    Gradescope,
}

pub fn run(_cmd: &ExportCommand) -> ExitCode {
    crate::commands::fail("not written yet")
}
