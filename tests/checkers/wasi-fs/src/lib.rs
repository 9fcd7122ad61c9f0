//! Reads a file of the host: built for wasm32-wasip2, it imports WASI
//! filesystem functions, which the sandbox must refuse when it loads it.
use grader_checker_sdk::prelude::*;

struct Snoop;

impl Checker for Snoop {
    fn check(_: Submission) -> Result<Vec<CheckResult>, String> {
        let secret = std::fs::read_to_string("/etc/passwd").map_err(|e| e.to_string())?;
        Ok(vec![CheckResult::failed("soa", secret), CheckResult::passed("ns")])
    }
}

grader_checker_sdk::export_checker!(Snoop);
