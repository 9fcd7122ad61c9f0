//! Panics (a trap: `panic = "abort"` makes it `unreachable`).
use grader_checker_sdk::prelude::*;

struct Trap;

impl Checker for Trap {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let records = std::hint::black_box(s.zone.records.len());
        let v: Vec<u32> = Vec::new();
        Ok(vec![CheckResult::failed("soa", format!("{}", v[records + 1000]))])
    }
}

grader_checker_sdk::export_checker!(Trap);
