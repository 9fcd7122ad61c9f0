//! `grader results`. (Being written.)
use std::process::ExitCode;

/// `grader results` subcommands.
#[derive(clap::Subcommand)]
pub enum ResultsCommand {
    /// Record results into the gradebook.
    Record,
}

pub fn run(_cmd: &ResultsCommand) -> ExitCode {
    crate::commands::fail("not written yet")
}
