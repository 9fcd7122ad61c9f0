//! Never returns.
use grader_checker_sdk::prelude::*;

struct Spin;

impl Checker for Spin {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let mut x = s.grading_time as u64;
        loop {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            if x == 42 {
                break;
            }
        }
        Ok(vec![CheckResult::passed("soa"), CheckResult::passed("ns")])
    }
}

grader_checker_sdk::export_checker!(Spin);
