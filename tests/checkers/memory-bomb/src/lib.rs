//! Allocates without end.
use grader_checker_sdk::prelude::*;

struct Bomb;

impl Checker for Bomb {
    fn check(_: Submission) -> Result<Vec<CheckResult>, String> {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            hoard.push(std::hint::black_box(vec![1u8; 1 << 20]));
            if hoard.len() == usize::MAX {
                break;
            }
        }
        Ok(vec![CheckResult::passed("soa"), CheckResult::passed("ns")])
    }
}

grader_checker_sdk::export_checker!(Bomb);
