//! Reports a check the rubric does not have and forgets one it has.
use grader_checker_sdk::prelude::*;

struct Wrong;

impl Checker for Wrong {
    fn check(_: Submission) -> Result<Vec<CheckResult>, String> {
        Ok(vec![CheckResult::passed("soa"), CheckResult::passed("bonus-points")])
    }
}

grader_checker_sdk::export_checker!(Wrong);
