//! SPF record syntax (RFC 7208 §4.5, §5, §6, §12).
//!
//! ```
//! use grader_checker_sdk::mail::spf;
//!
//! let report = spf::check("v=spf1 ipv4:192.0.2.25 mx-all");
//! assert_eq!(report.errors.len(), 3);
//! assert!(report.errors[0].contains("(the mechanism is `ip4:`)"));
//! assert!(report.errors[1].contains("a space missing before `all`?"));
//! ```

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Found, several};
use crate::index::ZoneIndex;
use crate::names::{missing_dot_advice, names_equal, short};
use crate::rdata;
use crate::results::Feedback;
use crate::types::ZoneRecord;

/// Looks for the zone's SPF record: the TXT record at the apex whose text
/// [`is_spf`], read with [`check`].
///
/// When there is none, the feedback names what stands in its place: TXT
/// records at the apex that [`looks_like_spf`], records of the obsolete
/// SPF type, SPF records at other names (with [`missing_dot_advice`]), and
/// TXT records the zone reader dropped for a string over 255 characters;
/// then how to add one.
///
/// ```
/// use grader_checker_sdk::mail::{Found, spf};
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing;
///
/// let zone = testing::zone("example.", &[
///     ("example.", "TXT", r#""v=spf1 mx -all""#),
///     ("www.example.", "TXT", r#""v=spf1 -all""#),
/// ]);
/// match spf::lookup(&zone.index()) {
///     Found::One(record, report) => {
///         assert_eq!(record.line, 1);
///         assert!(report.errors.is_empty());
///     }
///     other => panic!("{other:?}"),
/// }
///
/// let zone = testing::zone("example.", &[("www.example.", "TXT", r#""v=spf1 -all""#)]);
/// let Found::Missing(fb) = spf::lookup(&zone.index()) else { panic!() };
/// assert_eq!(fb.to_string(), "line 1: this SPF record is at `www`; mail receivers look for \
///     it at the apex (`@`)\nthere is no SPF record at the apex: add `@ TXT \"v=spf1 mx -all\"`");
/// ```
pub fn lookup<'a>(ix: &ZoneIndex<'a>) -> Found<'a, Report> {
    let z = ix.zone();
    let origin = &z.origin;
    let txt = ix.apex_rrset("TXT");
    let found: Vec<(&ZoneRecord, String)> = txt
        .iter()
        .map(|r| (*r, rdata::txt_text(r)))
        .filter(|(_, t)| is_spf(t))
        .collect();
    match found.as_slice() {
        [] => {
            let mut fb = Feedback::new();
            for r in &txt {
                if looks_like_spf(&rdata::txt_text(r)) {
                    fb.push_record(
                        r,
                        "this TXT record looks like SPF but does not start with `v=spf1 ` exactly",
                    );
                }
            }
            for r in ix.apex_rrset("SPF") {
                fb.push_record(r, "the SPF record type is obsolete (RFC 7208 §3.1): publish the policy as a TXT record");
            }
            for r in ix.records_of_type("TXT") {
                if !names_equal(&r.owner, origin) && is_spf(&rdata::txt_text(r)) {
                    let msg = match missing_dot_advice(&r.owner, origin) {
                        Some(advice) => format!("this SPF record is not at the apex: {advice}"),
                        None => format!(
                            "this SPF record is at `{}`; mail receivers look for it at the apex (`@`)",
                            short(&r.owner, origin)
                        ),
                    };
                    fb.push_record(r, msg);
                }
            }
            for d in z.diagnostics.iter().filter(|d| d.code == "string-too-long") {
                fb.push_line(
                    d.line,
                    "this TXT record was dropped: one string holds at most 255 characters, so split a long \
                     SPF record into several quoted strings (\"v=spf1 ... \" \"... -all\")",
                );
            }
            fb.push_note("there is no SPF record at the apex: add `@ TXT \"v=spf1 mx -all\"`");
            Found::Missing(fb)
        }
        [(r, text)] => Found::One(r, check(text)),
        many => Found::Many(several(
            many,
            "an SPF record",
            format!(
                "there are {} SPF records at the apex: receivers then fail SPF with a permanent error (RFC 7208 §4.5); merge them into one",
                many.len()
            ),
        )),
    }
}

/// Whether the text of a TXT record is an SPF record: `v=spf1` alone or
/// followed by a space (RFC 7208 §4.5; compared case-insensitively).
///
/// ```
/// use grader_checker_sdk::mail::spf::is_spf;
/// assert!(is_spf("V=SPF1 -all"));
/// assert!(!is_spf("v=spf1mx -all"));
/// ```
pub fn is_spf(text: &str) -> bool {
    let t = text.as_bytes();
    t.len() >= 6
        && t.get(..6)
            .is_some_and(|v| v.eq_ignore_ascii_case(b"v=spf1"))
        && t.get(6).is_none_or(|&b| b == b' ')
}

/// Whether the text looks like an attempt at an SPF record that
/// [`is_spf`] does not accept (`v=spf 1`, `spf1 ...`, `v=spf2 ...`).
///
/// ```
/// use grader_checker_sdk::mail::spf::looks_like_spf;
/// assert!(looks_like_spf("v=spf 1 mx -all"));
/// assert!(!looks_like_spf("v=spf1 mx -all"));
/// assert!(!looks_like_spf("google-site-verification=abc"));
/// ```
pub fn looks_like_spf(text: &str) -> bool {
    let t = text.trim_start().to_ascii_lowercase();
    !is_spf(text) && (t.starts_with("v=spf") || t.starts_with("spf") || t.starts_with("v =spf"))
}

/// What is wrong with an SPF record (errors) and what is worth knowing
/// (notes, which do not cost points).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Syntax errors and policies that defeat the record's purpose.
    pub errors: Vec<String>,
    /// Remarks that cost no points (`?all`, `ptr`, unknown modifiers).
    pub notes: Vec<String>,
}

impl Report {
    /// The errors, then the notes, as feedback on `record`'s line.
    pub fn feedback(&self, record: &ZoneRecord) -> Feedback {
        let mut fb = Feedback::new();
        for e in self.errors.iter().chain(&self.notes) {
            fb.push_record(record, e);
        }
        fb
    }
}

const MECHANISMS: &[&str] = &["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

/// Checks the syntax of an SPF record and that it ends with one `-all` or
/// `~all` (`?all` is accepted with a note; `+all` is an error). Also counts
/// the DNS look-ups the record needs (at most 10, RFC 7208 §4.6.4).
///
/// ```
/// use grader_checker_sdk::mail::spf;
/// assert_eq!(spf::check("v=spf1 mx ip6:2001:db8::/32 -all"), spf::Report::default());
/// let r = spf::check("v=spf1 ptr ?all");
/// assert!(r.errors.is_empty());
/// assert_eq!(r.notes.len(), 2);
/// ```
pub fn check(text: &str) -> Report {
    let mut r = Report::default();
    if !is_spf(text) {
        r.errors
            .push("an SPF record starts with exactly `v=spf1` followed by a space".into());
        return r;
    }
    if text.contains(['\t', '\n', '\r']) {
        r.errors
            .push("terms must be separated by spaces only (no tabs or line breaks)".into());
    }
    let terms: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).skip(1).collect();
    let mut all_at: Option<usize> = None;
    let mut lookups = 0usize;
    let mut redirect = 0usize;
    let mut exp = 0usize;
    let mut after_all: Vec<&str> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        if let Some((name, value)) = modifier(term) {
            let lname = name.to_ascii_lowercase();
            match lname.as_str() {
                "redirect" => {
                    redirect += 1;
                    lookups += 1;
                    check_domain(term, value, &mut r);
                }
                "exp" => {
                    exp += 1;
                    check_domain(term, value, &mut r);
                }
                "v" => r.errors.push(format!(
                    "`{term}` a second version inside the record: a zone has one SPF record, so merge \
                     the two into one"
                )),
                m if MECHANISMS.contains(&m) => r.errors.push(format!(
                    "`{term}`: mechanisms take a colon, not `=` (write `{name}:{value}`)"
                )),
                _ => r.notes.push(format!(
                    "`{term}` is an unknown modifier; receivers ignore it (RFC 7208 §6)"
                )),
            }
            continue;
        }
        let (qualifier, rest) = match term.as_bytes().first() {
            Some(q @ (b'+' | b'-' | b'~' | b'?')) => {
                (Some(*q as char), term.get(1..).unwrap_or(""))
            }
            _ => (None, *term),
        };
        let split = rest.find([':', '/']).unwrap_or(rest.len());
        let name = rest.get(..split).unwrap_or(rest).to_ascii_lowercase();
        let args = rest.get(split..).unwrap_or("");
        if all_at.is_some() && name != "all" {
            after_all.push(term);
        }
        match name.as_str() {
            "all" => {
                if all_at.is_some() {
                    r.errors.push(format!(
                        "`{term}`: `all` appears twice; keep only one, at the end"
                    ));
                }
                all_at = Some(i);
                if !args.is_empty() {
                    r.errors.push(format!("`{term}`: `all` takes no argument"));
                }
                match qualifier {
                    None | Some('+') => r.errors.push(format!(
                        "`{term}` allows every host on the Internet to send mail as your domain; \
                         end with `-all` (or `~all` while testing)"
                    )),
                    Some('?') => r.notes.push(format!(
                        "`{term}` is neutral: receivers learn nothing; prefer `-all` or `~all`"
                    )),
                    _ => {}
                }
            }
            "include" | "exists" => {
                lookups += 1;
                match args.strip_prefix(':') {
                    Some(domain) => check_domain(term, domain, &mut r),
                    None => r.errors.push(format!(
                        "`{term}`: `{name}` needs a domain (`{name}:example.net`)"
                    )),
                }
            }
            "a" | "mx" => {
                lookups += 1;
                let (domain, cidr) = match args.strip_prefix(':') {
                    Some(d) => match d.find('/') {
                        Some(p) => (d.get(..p), d.get(p..).unwrap_or("")),
                        None => (Some(d), ""),
                    },
                    None => (None, args),
                };
                if let Some(d) = domain {
                    check_domain(term, d, &mut r);
                }
                if !cidr.is_empty() && !dual_cidr_ok(cidr) {
                    r.errors.push(format!(
                        "`{term}`: the prefix length must be `/0`..`/32` for IPv4, then optionally `//0`..`//128` for IPv6"
                    ));
                }
            }
            "ptr" => {
                lookups += 1;
                if let Some(d) = args.strip_prefix(':') {
                    check_domain(term, d, &mut r);
                } else if !args.is_empty() {
                    r.errors
                        .push(format!("`{term}`: `ptr` takes only an optional `:domain`"));
                }
                r.notes.push(format!(
                    "`{term}`: `ptr` is slow and unreliable; RFC 7208 §5.5 says do not use it"
                ));
            }
            "ip4" => match args.strip_prefix(':') {
                Some(spec) => {
                    let (addr, len) = split_prefix(spec);
                    if addr.parse::<Ipv4Addr>().is_err() {
                        r.errors
                            .push(format!("`{term}`: `{addr}` is not an IPv4 address"));
                    }
                    if len.is_some_and(|l| l.parse::<u8>().map_or(true, |n| n > 32)) {
                        r.errors
                            .push(format!("`{term}`: an IPv4 prefix length is 0 to 32"));
                    }
                }
                None => r.errors.push(format!(
                    "`{term}`: write `ip4:` followed by an address (`ip4:192.0.2.25`)"
                )),
            },
            "ip6" => match args.strip_prefix(':') {
                Some(spec) => {
                    let (addr, len) = split_prefix(spec);
                    if addr.parse::<Ipv6Addr>().is_err() {
                        r.errors
                            .push(format!("`{term}`: `{addr}` is not an IPv6 address"));
                    }
                    if len.is_some_and(|l| l.parse::<u8>().map_or(true, |n| n > 128)) {
                        r.errors
                            .push(format!("`{term}`: an IPv6 prefix length is 0 to 128"));
                    }
                }
                None => r.errors.push(format!(
                    "`{term}`: write `ip6:` followed by an address (`ip6:2001:db8::25`)"
                )),
            },
            other => {
                let hint = if other == "ipv4" || other == "ip" {
                    " (the mechanism is `ip4:`)".to_string()
                } else if other == "ipv6" {
                    " (the mechanism is `ip6:`)".to_string()
                } else if other.ends_with("all") && other.len() > 3 {
                    " (a space missing before `all`? Strings of one TXT record are joined without \
                     spaces, so end a string with a space when you split a record)"
                        .to_string()
                } else {
                    String::new()
                };
                r.errors.push(format!(
                    "`{term}` is not an SPF mechanism{hint}; the mechanisms are all, include, a, mx, ptr, ip4, ip6 and exists"
                ));
            }
        }
    }
    if !after_all.is_empty() {
        r.errors.push(format!(
            "{} after `all` {} never evaluated: `all` must be the last mechanism",
            after_all
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if after_all.len() == 1 { "is" } else { "are" }
        ));
    }
    if all_at.is_none() {
        r.errors.push(
            "the record does not end with an `all` mechanism: add `-all` (or `~all`) at the end"
                .into(),
        );
    }
    if redirect > 1 || exp > 1 {
        r.errors
            .push("`redirect=` and `exp=` may each appear only once".into());
    }
    if redirect > 0 && all_at.is_some() {
        r.notes
            .push("`redirect=` is ignored when the record has an `all` mechanism".into());
    }
    if lookups > 10 {
        r.errors.push(format!(
            "the record needs {lookups} DNS lookups (include, a, mx, ptr, exists, redirect); the limit is 10 (RFC 7208 §4.6.4)"
        ));
    }
    r
}

/// A modifier `name=value`: the name is a letter followed by letters,
/// digits, `-`, `_` or `.` (RFC 7208 §12).
fn modifier(term: &str) -> Option<(&str, &str)> {
    let (name, value) = term.split_once('=')?;
    let mut bytes = name.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    (first_ok && rest_ok).then_some((name, value))
}

fn split_prefix(spec: &str) -> (&str, Option<&str>) {
    match spec.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (spec, None),
    }
}

/// `/n`, `//m` or `/n//m`.
fn dual_cidr_ok(cidr: &str) -> bool {
    let (v4, v6) = match cidr.find("//") {
        Some(p) => (cidr.get(..p).unwrap_or(""), cidr.get(p + 2..)),
        None => (cidr, None),
    };
    let v4_ok = v4.is_empty()
        || v4
            .strip_prefix('/')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| n <= 32);
    let v6_ok = v6.is_none_or(|n| n.parse::<u8>().ok().is_some_and(|n| n <= 128));
    v4_ok && v6_ok
}

/// A domain-spec: labels of letters, digits, `-`, `_`, or macros (`%{i}`).
fn check_domain(term: &str, domain: &str, r: &mut Report) {
    let ok = !domain.is_empty()
        && !domain.starts_with('.')
        && !domain.contains("..")
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.%{}+=,/".contains(&b));
    if !ok {
        r.errors
            .push(format!("`{term}`: `{domain}` is not a domain name"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_records() {
        for t in [
            "v=spf1 -all",
            "v=spf1 mx -all",
            "V=SPF1 a mx ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all",
            "v=spf1 include:_spf.example.net a:mail.example.net/28 mx//64 -all",
            "v=spf1  mx   -all exp=explain.example.net",
        ] {
            assert_eq!(check(t).errors, Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn bad_records() {
        let e = |t: &str| check(t).errors;
        assert!(!is_spf("v=spf1mx -all"));
        assert!(looks_like_spf("v=spf 1 mx -all"));
        assert_eq!(e("v=spf1 mx").len(), 1);
        assert_eq!(e("v=spf1 mx +all").len(), 1);
        assert_eq!(e("v=spf1 -all mx").len(), 1);
        assert!(e("v=spf1 mx-all")[0].contains("space missing"));
        assert!(e("v=spf1 ipv4:192.0.2.1 -all")[0].contains("ip4"));
        assert!(e("v=spf1 ip4:192.0.2.0/33 -all")[0].contains("0 to 32"));
        assert!(e("v=spf1 ip4:192.0.2.300 -all")[0].contains("not an IPv4"));
        assert!(e("v=spf1 ip4=192.0.2.1 -all")[0].contains("colon"));
        assert!(e("v=spf1 mx -all v=spf1 a -all").len() >= 2);
        assert!(e("v=spf1 include -all")[0].contains("needs a domain"));
        assert_eq!(e("v=spf1 mx/33 -all").len(), 1);
    }
}
