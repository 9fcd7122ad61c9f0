//! Returns far more feedback than any exercise allows (8 MiB), past the
//! SDK's builders (which cut one message at 6 KiB): the grader's own limit
//! must stop it.
use grader_checker_sdk::prelude::*;

struct Huge;

impl Checker for Huge {
    fn check(_: Submission) -> Result<Vec<CheckResult>, String> {
        let mut soa = CheckResult::failed("soa", "");
        soa.feedback = "x".repeat(8 << 20);
        Ok(vec![soa, CheckResult::passed("ns")])
    }
}

grader_checker_sdk::export_checker!(Huge);
