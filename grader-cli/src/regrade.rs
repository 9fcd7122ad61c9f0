//! `grader regrade`. (Being written.)
use std::process::ExitCode;

/// Arguments of `grader regrade`.
#[derive(clap::Args)]
pub struct RegradeArgs {}

pub fn regrade(_args: &RegradeArgs) -> ExitCode {
    crate::commands::fail("not written yet")
}
