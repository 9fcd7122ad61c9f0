//! DMARC record syntax (RFC 7489 §6.3, §6.4).
//!
//! ```
//! use grader_checker_sdk::mail::dmarc::{self, Part};
//!
//! let policies = ["none".to_string(), "quarantine".into(), "reject".into()];
//! let report = dmarc::check("v=DMARC1; p=block; rua=d@example.net", &policies, true);
//! assert!(report.has(Part::Policy) && report.has(Part::Rua));
//! assert!(!report.has(Part::Version));
//! ```

use super::{Found, several};
use crate::index::ZoneIndex;
use crate::names::{absolute, missing_dot_advice, names_equal, short};
use crate::rdata;
use crate::results::Feedback;
use crate::types::ZoneRecord;

/// Looks for the zone's DMARC record: the TXT record at `_dmarc` under the
/// zone's origin whose text [`looks_like_dmarc`], read with [`check`]
/// (`policies` and `require_rua` as there).
///
/// When there is none, the feedback names what stands in its place: other
/// TXT records at `_dmarc`, a CNAME there, and DMARC records at other names
/// (with [`missing_dot_advice`]).
///
/// ```
/// use grader_checker_sdk::mail::{Found, dmarc};
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing;
///
/// let policies = ["none".to_string(), "reject".into()];
/// let zone = testing::zone("example.", &[
///     ("_dmarc.example.", "TXT", r#""v=DMARC1; p=reject""#),
/// ]);
/// let Found::One(record, report) = dmarc::lookup(&zone.index(), &policies, false) else {
///     panic!()
/// };
/// assert_eq!((record.line, report.policy.as_deref()), (1, Some("reject")));
///
/// let zone = testing::zone("example.", &[("example.", "TXT", r#""v=DMARC1; p=none""#)]);
/// let Found::Missing(fb) = dmarc::lookup(&zone.index(), &policies, false) else { panic!() };
/// assert!(fb.to_string().contains("receivers look for it only at `_dmarc.example.`"));
/// ```
pub fn lookup<'a>(ix: &ZoneIndex<'a>, policies: &[String], require_rua: bool) -> Found<'a, Report> {
    let z = ix.zone();
    let origin = &z.origin;
    let name = absolute("_dmarc", origin);
    let at_name = ix.rrset(&name, "TXT");
    let found: Vec<(&ZoneRecord, String)> = at_name
        .iter()
        .map(|r| (*r, rdata::txt_text(r)))
        .filter(|(_, t)| looks_like_dmarc(t))
        .collect();
    match found.as_slice() {
        [] => {
            let mut fb = Feedback::new();
            for r in &at_name {
                fb.push_record(
                    r,
                    "this TXT record at `_dmarc` does not start with `v=DMARC1`",
                );
            }
            for c in ix.rrset(&name, "CNAME") {
                fb.push_record(
                    c,
                    "`_dmarc` is a CNAME: publish your own DMARC TXT record there",
                );
            }
            for r in ix.records_of_type("TXT") {
                if names_equal(&r.owner, &name) || !looks_like_dmarc(&rdata::txt_text(r)) {
                    continue;
                }
                let msg = match missing_dot_advice(&r.owner, origin) {
                    Some(advice) => format!("this DMARC record is at the wrong name: {advice}"),
                    None => format!(
                        "this DMARC record is at `{}`; receivers look for it only at `_dmarc.{origin}` (RFC 7489 §6.1): put it at `_dmarc`",
                        short(&r.owner, origin)
                    ),
                };
                fb.push_record(r, msg);
            }
            Found::Missing(fb)
        }
        [(r, text)] => Found::One(r, check(text, policies, require_rua)),
        many => Found::Many(several(
            many,
            "a DMARC record",
            "more than one DMARC record at `_dmarc`: receivers then ignore DMARC (RFC 7489 §6.6.3); keep one".into(),
        )),
    }
}

/// Whether the text of a TXT record is meant as a DMARC record (it starts
/// with `v=DMARC`, in any case, spaces allowed around `=`).
///
/// ```
/// use grader_checker_sdk::mail::dmarc::looks_like_dmarc;
/// assert!(looks_like_dmarc("v = dmarc1; p=none"));
/// assert!(!looks_like_dmarc("v=spf1 -all"));
/// ```
pub fn looks_like_dmarc(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    t.to_ascii_lowercase().starts_with("v=dmarc")
}

/// Which part of the record a problem is about, for partial credit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// `v=DMARC1` missing, misspelled or not first.
    Version,
    /// `p=` missing or with a value not allowed.
    Policy,
    /// `rua=` missing or not `mailto:` URIs.
    Rua,
    /// Anything else (bad tag syntax, bad values of optional tags).
    Other,
}

/// The problems of a DMARC record, each with the part it is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// What is wrong, in the order found, each with the part it is about.
    pub problems: Vec<(Part, String)>,
    /// The `p=` value, when there is one.
    pub policy: Option<String>,
}

impl Report {
    /// Whether a problem is about `part`.
    pub fn has(&self, part: Part) -> bool {
        self.problems.iter().any(|(p, _)| *p == part)
    }

    /// The problems, as feedback on `record`'s line; when the version is
    /// wrong, a note that receivers then ignore the record.
    pub fn feedback(&self, record: &ZoneRecord) -> Feedback {
        let mut fb = Feedback::new();
        for (_, p) in &self.problems {
            fb.push_record(record, p);
        }
        if self.has(Part::Version) {
            fb.push_note("receivers ignore a TXT record at `_dmarc` that does not start with exactly `v=DMARC1`");
        }
        fb
    }
}

/// The note for a zone without a DMARC record: where it belongs, and a
/// record to add there, with `policy` (one the exercise accepts) and
/// reports to `dmarc@` the zone.
///
/// ```
/// use grader_checker_sdk::mail::dmarc::missing_note;
/// assert_eq!(missing_note("grp7.lab.example.", "none"),
///     "there is no DMARC record at `_dmarc.grp7.lab.example.`: add \
///      `_dmarc TXT \"v=DMARC1; p=none; rua=mailto:dmarc@grp7.lab.example\"`");
/// ```
pub fn missing_note(origin: &str, policy: &str) -> String {
    format!(
        "there is no DMARC record at `{}`: add `_dmarc TXT \"v=DMARC1; p={policy}; rua=mailto:dmarc@{}\"`",
        absolute("_dmarc", origin),
        origin.trim_end_matches('.')
    )
}

/// Checks a DMARC record: `v=DMARC1` first, `p=` one of `policies`, and,
/// when `require_rua`, `rua=` with `mailto:` URIs; also the syntax of the
/// optional tags (`sp`, `adkim`, `aspf`, `pct`, `ruf`) and repeated tags.
///
/// ```
/// use grader_checker_sdk::mail::dmarc;
/// let policies = ["quarantine".to_string(), "reject".into()];
/// let r = dmarc::check("v=DMARC1; p=none", &policies, false);
/// assert_eq!(r.problems[0].1, "`p=none` is not a policy: use one of quarantine, reject");
/// ```
pub fn check(text: &str, policies: &[String], require_rua: bool) -> Report {
    let mut r = Report::default();
    let mut tags: Vec<(String, String)> = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((k, v)) => tags.push((k.trim().to_ascii_lowercase(), v.trim().to_string())),
            None => r.problems.push((
                Part::Other,
                format!("`{part}` is not a `tag=value` pair; tags are separated by `;`"),
            )),
        }
    }
    match tags.first() {
        Some((k, v)) if k == "v" && v == "DMARC1" => {}
        Some((k, v)) if k == "v" => r.problems.push((
            Part::Version,
            format!("the version is `v={v}`; it must be exactly `v=DMARC1` (upper case)"),
        )),
        _ => r.problems.push((
            Part::Version,
            "a DMARC record must start with `v=DMARC1;`".into(),
        )),
    }
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in &tags {
        if seen.contains(&k.as_str()) {
            r.problems
                .push((Part::Other, format!("the tag `{k}` appears twice")));
        }
        seen.push(k);
    }
    let allowed = policies.join(", ");
    match tags.iter().find(|(k, _)| k == "p") {
        None => r.problems.push((
            Part::Policy,
            format!("there is no policy tag `p=` (one of {allowed}); without it receivers ignore the record"),
        )),
        Some((_, v)) => {
            if policies.iter().any(|p| p.eq_ignore_ascii_case(v)) {
                r.policy = Some(v.to_ascii_lowercase());
            } else {
                r.problems.push((Part::Policy, format!("`p={v}` is not a policy: use one of {allowed}")));
            }
        }
    }
    if let Some((_, v)) = tags.iter().find(|(k, _)| k == "sp")
        && !["none", "quarantine", "reject"]
            .iter()
            .any(|p| p.eq_ignore_ascii_case(v))
    {
        r.problems.push((
            Part::Other,
            format!("`sp={v}`: use none, quarantine or reject"),
        ));
    }
    for align in ["adkim", "aspf"] {
        if let Some((_, v)) = tags.iter().find(|(k, _)| k == align)
            && !(v.eq_ignore_ascii_case("r") || v.eq_ignore_ascii_case("s"))
        {
            r.problems.push((
                Part::Other,
                format!("`{align}={v}`: use `r` (relaxed) or `s` (strict)"),
            ));
        }
    }
    if let Some((_, v)) = tags.iter().find(|(k, _)| k == "pct")
        && v.parse::<u8>().map_or(true, |n| n > 100)
    {
        r.problems.push((
            Part::Other,
            format!("`pct={v}`: a percentage from 0 to 100"),
        ));
    }
    for uri_tag in ["rua", "ruf"] {
        let Some((_, v)) = tags.iter().find(|(k, _)| k == uri_tag) else {
            if uri_tag == "rua" && require_rua {
                r.problems.push((
                    Part::Rua,
                    "there is no `rua=` tag: add `rua=mailto:dmarc-reports@<your zone>` to receive aggregate reports".into(),
                ));
            }
            continue;
        };
        let part = if uri_tag == "rua" {
            Part::Rua
        } else {
            Part::Other
        };
        for uri in v.split(',').map(str::trim) {
            let lower = uri.to_ascii_lowercase();
            match lower.strip_prefix("mailto:") {
                Some(addr) => {
                    let addr = addr.split('!').next().unwrap_or("");
                    let ok = addr
                        .split_once('@')
                        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
                    if !ok {
                        r.problems.push((part, format!("`{uri_tag}={uri}`: `{addr}` is not a mail address")));
                    }
                }
                None if uri.contains('@') => r.problems.push((
                    part,
                    format!("`{uri_tag}={uri}`: report addresses are URIs: write `mailto:{uri}`"),
                )),
                None => r.problems.push((
                    part,
                    format!("`{uri_tag}={uri}`: use a `mailto:` URI (`{uri_tag}=mailto:dmarc@example.net`)"),
                )),
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pol() -> Vec<String> {
        vec!["none".into(), "quarantine".into(), "reject".into()]
    }

    #[test]
    fn good() {
        let r = check(
            "v=DMARC1; p=reject; rua=mailto:d@grp7.lab.example",
            &pol(),
            true,
        );
        assert_eq!(r.problems, vec![]);
        assert_eq!(r.policy.as_deref(), Some("reject"));
        let r = check("v=DMARC1;p=none;", &pol(), false);
        assert_eq!(r.problems, vec![]);
    }

    #[test]
    fn bad() {
        assert!(check("p=reject; v=DMARC1", &pol(), false).has(Part::Version));
        assert!(check("v=dmarc1; p=reject", &pol(), false).has(Part::Version));
        assert!(check("v=DMARC1; p=block", &pol(), false).has(Part::Policy));
        assert!(check("v=DMARC1", &pol(), false).has(Part::Policy));
        assert!(check("v=DMARC1; p=none", &pol(), true).has(Part::Rua));
        assert!(check("v=DMARC1; p=none; rua=d@x.example", &pol(), true).has(Part::Rua));
        assert!(check("v=DMARC1; p=none; pct=150", &pol(), false).has(Part::Other));
        assert!(looks_like_dmarc("v = DMARC1; p=none"));
    }
}
