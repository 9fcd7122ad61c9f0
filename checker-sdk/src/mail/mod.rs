//! The syntax of the mail-policy records a zone publishes in TXT records:
//! [`spf`] (RFC 7208) and [`dmarc`] (RFC 7489).
//!
//! The parsers take the record's text as receivers read it: the
//! character-strings of one TXT record joined without separator
//! ([`rdata::txt_text`](crate::rdata::txt_text)). They never fail: they
//! return what is wrong, in words for the student.
//!
//! [`spf::lookup`] and [`dmarc::lookup`] find the record in a zone and
//! explain what is wrong when there is none, or several.
//!
//! ```
//! use grader_checker_sdk::mail::{dmarc, spf};
//!
//! assert!(spf::is_spf("v=spf1 mx -all"));
//! assert!(spf::check("v=spf1 mx -all").errors.is_empty());
//! assert!(spf::check("v=spf1 mx +all").errors[0].contains("every host"));
//!
//! let policies = ["none".to_string(), "quarantine".into(), "reject".into()];
//! let report = dmarc::check("v=DMARC1; p=reject", &policies, true);
//! assert!(report.has(dmarc::Part::Rua));
//! assert_eq!(report.policy.as_deref(), Some("reject"));
//! ```

use crate::results::Feedback;
use crate::types::ZoneRecord;

pub mod dmarc;
pub mod spf;

/// What [`spf::lookup`] or [`dmarc::lookup`] found where a zone's policy
/// belongs.
#[derive(Clone, Debug, PartialEq)]
pub enum Found<'a, R> {
    /// No policy record: feedback on what stands in its place (records at
    /// the wrong name, lookalikes, …), if anything (for SPF, then how to
    /// add one; a DMARC record's policy is the exercise's to suggest).
    Missing(Feedback),
    /// Exactly one: the record and the report on its text.
    One(&'a ZoneRecord, R),
    /// More than one, which receivers treat as an error (SPF) or as none
    /// (DMARC): feedback naming each, and why to keep one.
    Many(Feedback),
}

/// Feedback naming each of `records` as `what`, and a closing `note`.
fn several(records: &[(&ZoneRecord, String)], what: &str, note: String) -> Feedback {
    let mut fb = Feedback::new();
    for (r, _) in records {
        fb.push_record(r, what);
    }
    fb.push_note(note);
    fb
}
