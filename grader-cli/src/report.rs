//! `grader report`. (Being written.)
use std::process::ExitCode;

/// Arguments of `grader report`.
#[derive(clap::Args)]
pub struct ReportArgs {}

pub fn report(_args: &ReportArgs) -> ExitCode {
    crate::commands::fail("not written yet")
}
