//! Returns far more feedback than any exercise allows (8 MiB).
use grader_checker_sdk::prelude::*;

struct Huge;

impl Checker for Huge {
    fn check(_: Submission) -> Result<Vec<CheckResult>, String> {
        let text = "x".repeat(8 << 20);
        Ok(vec![CheckResult::failed("soa", text), CheckResult::passed("ns")])
    }
}

grader_checker_sdk::export_checker!(Huge);
