//! A checker built for `grader:checker@1.1.0` (before `target` and
//! `responses`): the same judgement as `good` — `soa` when the apex has a
//! SOA, `ns` when it has at least two NS records — with the 1.1.0 bindings,
//! and it reads `zone.dnssec`, which 1.1.0 added.

wit_bindgen::generate!({
    path: "../../../schemas/wit/1.1.0/checker.wit",
    world: "checker",
});

use grader::checker::types::Status;

struct Old;

fn result(id: &str, ok: bool, feedback: String) -> CheckResult {
    CheckResult {
        id: id.into(),
        status: if ok { Status::Passed } else { Status::Failed },
        feedback,
        lines: Vec::new(),
    }
}

impl Guest for Old {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let at_apex = |t: &str| {
            s.zone
                .records
                .iter()
                .filter(|r| r.rtype == t && r.owner.eq_ignore_ascii_case(&s.zone.origin))
                .count()
        };
        let ns = at_apex("NS");
        let signed = if s.zone.dnssec.signed { "signed" } else { "unsigned" };
        Ok(vec![
            result("soa", at_apex("SOA") == 1, String::new()),
            result("ns", ns >= 2, format!("{ns} NS records, {signed}")),
        ])
    }
}

export!(Old);
