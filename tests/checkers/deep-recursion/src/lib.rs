//! Recurses without end (scalar arguments only, so the WebAssembly stack
//! itself overflows, not Rust's shadow stack in linear memory).
use grader_checker_sdk::prelude::*;

struct Deep;

#[inline(never)]
fn down(n: u64) -> u64 {
    if n == u64::MAX { 0 } else { std::hint::black_box(down(std::hint::black_box(n + 1))).wrapping_add(n) }
}

impl Checker for Deep {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let v = down(s.grading_time as u64);
        Err(format!("unreachable {v}"))
    }
}

grader_checker_sdk::export_checker!(Deep);
