//! A well-behaved checker: passes `soa` when the apex has a SOA, `ns` when
//! it has at least two NS records.
use grader_checker_sdk::prelude::*;

struct Good;

impl Checker for Good {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let soa = if s.zone.apex_soa().is_some() { CheckResult::passed("soa") } else { CheckResult::failed("soa", "no SOA") };
        let n = s.zone.apex_rrset("NS").len();
        let ns = if n >= 2 { CheckResult::passed("ns") } else { CheckResult::failed("ns", format!("{n} NS records")) };
        Ok(vec![soa, ns])
    }
}

grader_checker_sdk::export_checker!(Good);
