//! Building zones and submissions by hand, for checker tests on the host.
//!
//! ```
//! use grader_checker_sdk::prelude::*;
//! use grader_checker_sdk::testing;
//!
//! let zone = testing::zone("example.", &[
//!     ("example.", "SOA", "ns1.example. hostmaster.example. 1 7200 3600 1209600 3600"),
//!     ("example.", "NS", "ns1.example."),
//! ]);
//! let s = testing::submission(zone);
//! assert_eq!(s.zone.records[1].line, 2);
//! assert_eq!(s.zone.records[1].rtype_code, 2);
//! assert!(!s.zone.dnssec.signed);
//! ```
//!
//! Zones built here carry an unsigned DNSSEC report ([`unsigned_report`]).
//! For a signed zone, [`signed_zone`] makes a report in which every RRset is
//! secure, and [`ReportBuilder`] makes any report, RRset by RRset; the
//! report's fields are public, so a test may also change one afterwards.
//!
//! For server and resolver labs, [`query`], [`MessageBuilder`],
//! [`answered`], [`unanswered`] and [`probed_submission`] build the
//! responses to an exercise's probes, and [`judge_odd_responses`] runs a
//! checker on responses that are odd in many ways.

mod responses;

pub use responses::{
    MessageBuilder, TARGET, answered, handed_in, judge_odd_responses, odd_responses,
    probed_submission, query, rr, unanswered, unanswered_handed_in,
};

use crate::names::{self, names_equal};
use crate::types::{
    CheckResult, Denial, Diagnostic, Dnskey, DnssecReport, DsStatus, NamedZone, Nsec3Params,
    RrsetStatus, Security, Severity, Status, Submission, Zone, ZoneRecord,
};

/// The numeric code of a type mnemonic (case-insensitive), for the common
/// types and the `TYPEnnn` form.
///
/// ```
/// use grader_checker_sdk::testing::type_code;
/// assert_eq!(type_code("aaaa"), Some(28));
/// assert_eq!(type_code("TYPE65280"), Some(65280));
/// assert_eq!(type_code("NOPE"), None);
/// ```
pub fn type_code(mnemonic: &str) -> Option<u16> {
    use crate::rdata::TYPES;
    if let Some(&(_, code)) = TYPES.iter().find(|(m, _)| m.eq_ignore_ascii_case(mnemonic)) {
        return Some(code);
    }
    let digits = mnemonic
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("TYPE"))
        .map(|_| &mnemonic[4..])?;
    digits.parse().ok()
}

/// A record of class `IN`, TTL 3600, at `line`; the type code comes from
/// [`type_code`] (0 when unknown) and the type mnemonic is uppercased.
pub fn record(line: u32, owner: &str, rtype: &str, rdata: &str) -> ZoneRecord {
    ZoneRecord {
        owner: owner.to_string(),
        rtype: rtype.to_ascii_uppercase(),
        rtype_code: type_code(rtype).unwrap_or(0),
        class: "IN".to_string(),
        ttl: 3600,
        rdata: rdata.to_string(),
        line,
    }
}

/// A zone with `origin` and the records `(owner, rtype, rdata)` on lines
/// 1, 2, 3…; no diagnostics, and an unsigned DNSSEC report
/// ([`unsigned_report`]) whatever the records.
pub fn zone(origin: &str, records: &[(&str, &str, &str)]) -> Zone {
    Zone {
        origin: origin.to_string(),
        records: records
            .iter()
            .zip(1..)
            .map(|(&(owner, rtype, rdata), line)| record(line, owner, rtype, rdata))
            .collect(),
        diagnostics: Vec::new(),
        dnssec: unsigned_report(),
    }
}

/// The DNSSEC report of a zone without a DNSKEY set: not signed, not valid,
/// no keys, RRsets, diagnostics or DS statuses, denial none.
pub fn unsigned_report() -> DnssecReport {
    DnssecReport {
        signed: false,
        valid: false,
        keys: Vec::new(),
        denial: Denial::None,
        rrsets: Vec::new(),
        diagnostics: Vec::new(),
        ds: Vec::new(),
    }
}

/// A zone like [`zone`] whose report says it is signed and valid: its keys
/// are `keys`, `(key tag, algorithm, flags)` (flags 257 for a KSK or CSK,
/// 256 for a ZSK), on the lines of the apex DNSKEY records in order (0 past
/// them); every RRset of `records` (RRSIG records excluded) is secure until
/// `expires`. The DNSKEY set is signed by the keys with the SEP flag, the
/// other RRsets by the keys without it; a kind that is missing is replaced
/// by the other (a single SEP key is a CSK). Denial is NSEC3 when the zone
/// has an NSEC3PARAM at its apex (its parameters read from it, opt-out
/// off), else NSEC when it has NSEC records, else none.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing;
/// let zone = testing::signed_zone(
///     "example.",
///     &[
///         ("example.", "SOA", "ns1.example. h.example. 1 7200 3600 1209600 3600"),
///         ("example.", "DNSKEY", "257 3 15 AAAA"),
///         ("example.", "NSEC3PARAM", "1 0 0 -"),
///     ],
///     &[(4242, 15, 257)],
///     2_000_000_000,
/// );
/// let r = &zone.dnssec;
/// assert_eq!(r.keys[0].line, 2);
/// assert_eq!(r.keys_with_role(KeyRole::Csk).len(), 1);
/// assert_eq!(r.rrsets.len(), 3);
/// assert_eq!(r.denial.name(), "NSEC3");
/// ```
pub fn signed_zone(
    origin: &str,
    records: &[(&str, &str, &str)],
    keys: &[(u16, u8, u16)],
    expires: i64,
) -> Zone {
    let mut z = zone(origin, records);
    let dnskey_lines: Vec<u32> = z
        .records
        .iter()
        .filter(|r| r.rtype == "DNSKEY" && names_equal(&r.owner, origin))
        .map(|r| r.line)
        .collect();
    let mut b = ReportBuilder::new();
    for (i, &(tag, algorithm, flags)) in keys.iter().enumerate() {
        b = b.key(
            dnskey_lines.get(i).copied().unwrap_or(0),
            tag,
            algorithm,
            flags,
        );
    }
    let tags = |sep: bool| -> Vec<u16> {
        keys.iter()
            .filter(|k| (k.2 & 1 == 1) == sep)
            .map(|k| k.0)
            .collect()
    };
    let (sep, other) = (tags(true), tags(false));
    let key_signers = if sep.is_empty() { &other } else { &sep };
    let data_signers = if other.is_empty() { &sep } else { &other };
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for r in &z.records {
        if r.rtype == "RRSIG"
            || seen
                .iter()
                .any(|(o, t)| *t == r.rtype && names_equal(o, &r.owner))
        {
            continue;
        }
        seen.push((&r.owner, &r.rtype));
        let signers = if r.rtype == "DNSKEY" {
            key_signers
        } else {
            data_signers
        };
        b = b.secure(r.line, &r.owner, &r.rtype, signers, expires);
    }
    let nsec3param = z
        .records
        .iter()
        .find(|r| r.rtype == "NSEC3PARAM" && names_equal(&r.owner, origin));
    let denial = match nsec3param {
        Some(r) => {
            let f: Vec<&str> = r.rdata.split_ascii_whitespace().collect();
            Denial::Nsec3(Nsec3Params {
                hash_algorithm: f.first().and_then(|v| v.parse().ok()).unwrap_or(1),
                iterations: f.get(2).and_then(|v| v.parse().ok()).unwrap_or(0),
                salt: f.get(3).map_or("-", |v| v).to_ascii_lowercase(),
                opt_out: false,
            })
        }
        None if z.records.iter().any(|r| r.rtype == "NSEC") => Denial::Nsec,
        None => Denial::None,
    };
    z.dnssec = b.denial(denial).build();
    z
}

/// Builds a [`DnssecReport`] by hand, key by key and RRset by RRset.
///
/// [`ReportBuilder::build`] then derives what the grader would: each key's
/// `signs-keys` and `signs-data` from the secure RRsets' `signed-by`, each
/// DS status's `matches-sep` from the key it matches, the RRsets in
/// canonical order (owner, then type code), the diagnostics by line, and
/// `valid` (signed, and no diagnostic of severity error). `signed` is true
/// when there is a key. A bogus RRset adds an error diagnostic with its code.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing::ReportBuilder;
///
/// let r = ReportBuilder::new()
///     .key(4, 1001, 13, 257)
///     .key(5, 2002, 13, 256)
///     .secure(4, "example.", "DNSKEY", &[1001], 2_000_000_000)
///     .secure(1, "example.", "SOA", &[2002], 2_000_000_000)
///     .bogus(9, "www.example.", "A", "rrsig-bad-signature")
///     .ds(1, 1001, 13, 2, true)
///     .build();
/// assert!(r.signed && !r.valid);
/// assert_eq!(r.key(1001).unwrap().role(), KeyRole::Ksk);
/// assert!(r.key(2002).unwrap().signs_data);
/// assert_eq!(r.bogus()[0].reason_code(), Some("rrsig-bad-signature"));
/// assert!(r.ds[0].matches_sep);
/// ```
#[derive(Clone, Debug)]
pub struct ReportBuilder {
    report: DnssecReport,
}

impl Default for ReportBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ReportBuilder {
    /// An empty report; denial NSEC.
    pub fn new() -> Self {
        ReportBuilder {
            report: DnssecReport {
                denial: Denial::Nsec,
                ..unsigned_report()
            },
        }
    }

    /// A DNSKEY on `line`: SEP from bit 0 of `flags`, revoked from bit 7
    /// (`flags` 385 = 257 + 128).
    pub fn key(mut self, line: u32, key_tag: u16, algorithm: u8, flags: u16) -> Self {
        self.report.keys.push(Dnskey {
            key_tag,
            algorithm,
            key_flags: flags,
            sep: flags & 1 == 1,
            revoked: flags & 0x80 != 0,
            signs_keys: false,
            signs_data: false,
            line,
        });
        self
    }

    fn rrset(
        mut self,
        line: u32,
        owner: &str,
        rtype: &str,
        security: Security,
        reason: Option<Diagnostic>,
    ) -> Self {
        self.report.rrsets.push(RrsetStatus {
            owner: owner.to_string(),
            rtype: rtype.to_ascii_uppercase(),
            rtype_code: type_code(rtype).unwrap_or(0),
            security,
            reason,
            line,
            signed_by: Vec::new(),
            expires: None,
        });
        self
    }

    /// A secure RRset whose first record is on `line`, signed by the keys
    /// `signed_by` (sorted here) until `expires`.
    pub fn secure(
        self,
        line: u32,
        owner: &str,
        rtype: &str,
        signed_by: &[u16],
        expires: i64,
    ) -> Self {
        let mut b = self.rrset(line, owner, rtype, Security::Secure, None);
        if let Some(r) = b.report.rrsets.last_mut() {
            r.signed_by = signed_by.to_vec();
            r.signed_by.sort_unstable();
            r.signed_by.dedup();
            r.expires = Some(expires);
        }
        b
    }

    /// A bogus RRset on `line`, for the reason `code` (such as
    /// `rrsig-expired`): also an error diagnostic with that code on `line`.
    pub fn bogus(self, line: u32, owner: &str, rtype: &str, code: &str) -> Self {
        let d = diagnostic(
            code,
            Severity::Error,
            line,
            &format!("{owner} {rtype}: {code}"),
        );
        self.rrset(line, owner, rtype, Security::Bogus, Some(d.clone()))
            .diagnostic(d)
    }

    /// An unsigned RRset on `line` (a delegation's NS set, glue).
    pub fn unsigned(self, line: u32, owner: &str, rtype: &str) -> Self {
        self.rrset(line, owner, rtype, Security::Unsigned, None)
    }

    /// Sets the signatures of the last RRset added (a bogus RRset may still
    /// have valid signatures by some keys).
    pub fn signed_by(mut self, signed_by: &[u16], expires: Option<i64>) -> Self {
        if let Some(r) = self.report.rrsets.last_mut() {
            r.signed_by = signed_by.to_vec();
            r.signed_by.sort_unstable();
            r.signed_by.dedup();
            r.expires = expires;
        }
        self
    }

    /// How the zone denies existence.
    pub fn denial(mut self, denial: Denial) -> Self {
        self.report.denial = denial;
        self
    }

    /// A DNSSEC diagnostic (see [`diagnostic`]).
    pub fn diagnostic(mut self, d: Diagnostic) -> Self {
        self.report.diagnostics.push(d);
        self
    }

    /// A DS record handed in, on `line` of the DS file; `matches` says
    /// whether a key of the zone gives it (its `matches-sep` comes from the
    /// first key with `key_tag`).
    pub fn ds(
        mut self,
        line: u32,
        key_tag: u16,
        algorithm: u8,
        digest_type: u8,
        matches: bool,
    ) -> Self {
        self.report.ds.push(DsStatus {
            line,
            key_tag,
            algorithm,
            digest_type,
            matches,
            matches_sep: false,
        });
        self
    }

    /// The report, with what is derived from its parts (see
    /// [`ReportBuilder`]).
    pub fn build(self) -> DnssecReport {
        let mut r = self.report;
        for k in &mut r.keys {
            let signs = |key_set: bool| {
                r.rrsets.iter().any(|s| {
                    (s.rtype == "DNSKEY") == key_set
                        && s.security != Security::Unsigned
                        && s.signed_by.contains(&k.key_tag)
                })
            };
            k.signs_keys = signs(true);
            k.signs_data = signs(false);
        }
        for d in &mut r.ds {
            d.matches_sep = d.matches
                && r.keys
                    .iter()
                    .find(|k| k.key_tag == d.key_tag && k.algorithm == d.algorithm)
                    .is_some_and(|k| k.sep);
        }
        r.rrsets.sort_by(|a, b| {
            names::canonical_cmp(&a.owner, &b.owner).then(a.rtype_code.cmp(&b.rtype_code))
        });
        r.diagnostics.sort_by_key(|d| d.line);
        r.signed = !r.keys.is_empty();
        r.valid = r.signed && r.diagnostics.iter().all(|d| d.severity != Severity::Error);
        r
    }
}

/// A diagnostic at column 1 of `line`.
pub fn diagnostic(code: &str, severity: Severity, line: u32, message: &str) -> Diagnostic {
    Diagnostic {
        code: code.to_string(),
        severity,
        line,
        column: 1,
        message: message.to_string(),
    }
}

/// A submission of `zone` for exercise `test` version `1.0.0`, learner
/// `learner`, params `{}`, grading time 2026-01-01T00:00:00Z, no DS records,
/// no extra zones, no target and no responses (see [`probed_submission`]
/// for a server lab's).
pub fn submission(zone: Zone) -> Submission {
    Submission {
        exercise_id: "test".to_string(),
        exercise_version: "1.0.0".to_string(),
        learner: "learner".to_string(),
        grading_time: 1_767_225_600,
        params: "{}".to_string(),
        zone,
        ds: Vec::new(),
        extra_zones: Vec::new(),
        target: None,
        responses: Vec::new(),
    }
}

/// The origin of [`odd_zones`] in [`judge_odd_zones`].
pub const ODD_ORIGIN: &str = "grp7.lab.example.";

/// Zones under `origin` that are wrong in many ways at once, for testing
/// that a checker judges anything without panicking: no records at all, an
/// unreadable SOA, SOA fields at their limits, two SOA records, record data
/// that cannot be read (NS, MX, TXT with SPF and DMARC, CAA, A), a CNAME
/// loop, a name with two CNAMEs, a null MX, addresses written as names, and
/// names that end with the origin twice.
///
/// ```
/// use grader_checker_sdk::testing::odd_zones;
/// let zones = odd_zones("grp7.lab.example.");
/// assert!(zones[0].records.is_empty());
/// assert!(zones.iter().all(|z| z.origin == "grp7.lab.example."));
/// ```
pub fn odd_zones(origin: &str) -> Vec<Zone> {
    let o = origin;
    let at = |label: &str| crate::names::absolute(label, o);
    let (dmarc, www, lp, two) = (at("_dmarc"), at("www"), at("loop"), at("two"));
    let doubled = at(o.strip_suffix('.').unwrap_or(o));
    let (a, b, addr) = (at("a"), at("b"), at("192.0.2.1"));
    let mx = |pref: u32, target: &str| format!("{pref} {target}");
    let owned: Vec<Vec<(String, &str, String)>> = vec![
        vec![],
        vec![(o.into(), "SOA", String::new())],
        vec![(o.into(), "SOA", "a. b. x y z w v".into())],
        vec![(o.into(), "SOA", "a. b. 4294967295 0 0 0 4294967295".into())],
        vec![
            (
                o.into(),
                "SOA",
                "a. b. 0 4294967295 4294967295 4294967295 0".into(),
            ),
            (o.into(), "SOA", "a. b. 1 2 3 4 5".into()),
        ],
        vec![
            (o.into(), "NS", String::new()),
            (o.into(), "NS", "a b".into()),
            (o.into(), "MX", "garbage".into()),
            (o.into(), "MX", "99999 x.".into()),
            (o.into(), "TXT", "\"v=spf1".into()),
            (
                o.into(),
                "TXT",
                "\"v=spf1 ip4:\u{e9} ip6:/ a:/ mx:/// include: ~all -all +all\"".into(),
            ),
            (o.into(), "TXT", "\"v=spf1 \\".into()),
            (
                dmarc.clone(),
                "TXT",
                "\"v=DMARC1;;=;p;rua=;rua=mailto:;pct=x\"".into(),
            ),
            (dmarc, "CNAME", String::new()),
            (o.into(), "CAA", "0".into()),
            (o.into(), "CAA", "0 issue \"\"".into()),
            (o.into(), "CAA", "300 iodef \"mailto:\"".into()),
            (o.into(), "CAA", "0 iodef \"https:\"".into()),
            (o.into(), "A", "not an address".into()),
            (www.clone(), "CNAME", www),
        ],
        vec![
            (o.into(), "MX", "10 .".into()),
            (o.into(), "MX", mx(10, &lp)),
            (o.into(), "MX", mx(20, &two)),
            (o.into(), "MX", mx(30, &addr)),
            (o.into(), "MX", "40 2001:db8::1.".into()),
            (lp.clone(), "CNAME", lp),
            (two.clone(), "CNAME", a),
            (two, "CNAME", b),
            (o.into(), "NS", doubled.clone()),
            (o.into(), "SOA", format!("{doubled} @\\@. 99999999 1 1 1 1")),
        ],
    ];
    owned
        .iter()
        .map(|records| {
            let borrowed: Vec<(&str, &str, &str)> = records
                .iter()
                .map(|(owner, rtype, rdata)| (owner.as_str(), *rtype, rdata.as_str()))
                .collect();
            zone(o, &borrowed)
        })
        .collect()
}

/// Asserts that `results` are a well-formed answer for the rubric `ids`:
/// one result per id, in that order, and every partial fraction at most 1
/// with a denominator above 0 (otherwise the grader reports a checker
/// error).
pub fn assert_well_formed(results: &[CheckResult], ids: &[&str]) {
    let got: Vec<&str> = results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(got, ids, "the ids of the results");
    for r in results {
        if let Status::Partial(f) = r.status {
            assert!(
                f.denominator > 0 && f.numerator <= f.denominator,
                "bad fraction: {r:?}"
            );
        }
    }
}

/// DNSSEC reports that are odd in many ways, for the zones of
/// [`odd_zones`] under `origin`: signed without keys or RRsets and NSEC3
/// with extreme parameters; keys with one tag twice, unknown algorithms,
/// every flag, revoked; RRsets secure without signers or expiry, expiring
/// at the extremes of time, bogus without a reason, owned by the root, by
/// an empty name or outside the zone, of no type, at line 0; signers and
/// DS statuses naming keys that are not there; diagnostics with unknown
/// codes; and a report where every RRset is bogus for another reason.
pub fn odd_reports(origin: &str) -> Vec<DnssecReport> {
    let o = origin;
    let www = names::absolute("www", o);
    let empty = ReportBuilder::new()
        .denial(Denial::Nsec3(Nsec3Params {
            hash_algorithm: 255,
            iterations: u16::MAX,
            salt: String::new(),
            opt_out: true,
        }))
        .build();
    let mut empty = empty;
    empty.signed = true;
    empty.valid = true;
    let messy = ReportBuilder::new()
        .key(1, 7, 13, 257)
        .key(2, 7, 13, 256)
        .key(0, 0, 0, 0)
        .key(u32::MAX, u16::MAX, u8::MAX, u16::MAX)
        .key(3, 9, 8, 385)
        .secure(1, o, "DNSKEY", &[7, 9, 12345], i64::MAX)
        .secure(2, o, "SOA", &[], i64::MIN)
        .secure(0, "", "", &[u16::MAX, 0], 0)
        .signed_by(&[], None)
        .secure(4, ".", "TYPE65535", &[7], 1)
        .secure(5, "outside.invalid.", "A", &[7], -1)
        .bogus(6, &www, "A", "")
        .unsigned(7, o, "DNSKEY")
        .unsigned(u32::MAX, &www, "NS")
        .diagnostic(diagnostic("no-such-code", Severity::Warning, 0, ""))
        .diagnostic(diagnostic("ksk-missing", Severity::Error, u32::MAX, "x"))
        .ds(0, 7, 13, 2, true)
        .ds(1, 42, 13, 2, true)
        .ds(u32::MAX, 0, 0, 0, false)
        .build();
    let mut messy = messy;
    if let Some(r) = messy
        .rrsets
        .iter_mut()
        .find(|r| r.security == Security::Bogus)
    {
        r.reason = None;
    }
    let codes = [
        "rrsig-expired",
        "rrsig-not-yet-valid",
        "rrsig-missing",
        "rrsig-bad-signature",
        "rrsig-no-key",
        "ksk-missing",
        "nsec-chain-broken",
        "nsec3-missing",
    ];
    let mut all_bogus = ReportBuilder::new().key(1, 1, 13, 257).key(2, 2, 15, 256);
    for (code, line) in codes.iter().zip(1..) {
        let owner = names::absolute(&format!("n{line}"), o);
        all_bogus = all_bogus.bogus(line, &owner, "A", code);
    }
    all_bogus =
        all_bogus
            .bogus(20, o, "DNSKEY", "rrsig-expired")
            .bogus(21, o, "SOA", "rrsig-missing");
    vec![empty, messy, all_bogus.build()]
}

/// Runs `check` with `params` on each of [`odd_zones`] (under
/// [`ODD_ORIGIN`]), on a zone of the root, and on a zone graded at the
/// earliest and latest times there are, and asserts that it judges each:
/// `Ok`, with [`assert_well_formed`] results for `ids`. Each odd zone is
/// also judged with each of [`odd_reports`] and odd DS records (see
/// [`judge_odd_submissions`], which this calls with no extra zones).
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing;
///
/// struct Soa;
/// impl Checker for Soa {
///     fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
///         let soa = s.zone.apex_soa().and_then(|r| rdata::soa(r));
///         Ok(vec![match soa {
///             Some(soa) if soa.retry < soa.refresh => CheckResult::passed("soa"),
///             Some(_) => CheckResult::partial("soa", 1, 2, "retry is not below refresh"),
///             None => CheckResult::failed("soa", "no readable SOA record"),
///         }])
///     }
/// }
/// testing::judge_odd_zones(Soa::check, "{}", &["soa"]);
/// ```
pub fn judge_odd_zones(
    check: impl Fn(Submission) -> Result<Vec<CheckResult>, String>,
    params: &str,
    ids: &[&str],
) {
    judge_odd_submissions(check, params, ids, &[]);
}

/// [`judge_odd_zones`] for an exercise with extra zones named
/// `extra_zones`: each odd submission is judged without them, with each of
/// them an odd zone (with an odd report), and with each of them a copy of
/// the main zone. Graded at the earliest and latest times, the odd
/// reports' expiry times sit at the extremes too, so a checker must not
/// overflow when it subtracts times (use `saturating_sub`).
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing;
///
/// struct Stages;
/// impl Checker for Stages {
///     fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
///         let Some(other) = s.extra_zones.iter().find(|z| z.name == "later") else {
///             return Ok(vec![CheckResult::skipped("keys", "no later stage handed in")]);
///         };
///         let same = other.zone.dnssec.key_tags() == s.zone.dnssec.key_tags();
///         Ok(vec![if same {
///             CheckResult::passed("keys")
///         } else {
///             CheckResult::failed("keys", "the key sets differ")
///         }])
///     }
/// }
/// testing::judge_odd_submissions(Stages::check, "{}", &["keys"], &["later"]);
/// ```
pub fn judge_odd_submissions(
    check: impl Fn(Submission) -> Result<Vec<CheckResult>, String>,
    params: &str,
    ids: &[&str],
    extra_zones: &[&str],
) {
    let judge = |s: Submission| {
        let desc = format!(
            "{:?} with {:?} at {}",
            s.zone.records, s.zone.dnssec, s.grading_time
        );
        match check(s) {
            Ok(results) => assert_well_formed(&results, ids),
            Err(e) => panic!("the checker refused {desc}: {e}"),
        }
    };
    let base = |zone: Zone, time: i64| {
        let mut s = submission(zone);
        s.params = params.to_string();
        s.grading_time = time;
        s
    };
    let now = submission(zone(".", &[])).grading_time;
    let reports = odd_reports(ODD_ORIGIN);
    let odd_ds = zone(
        ODD_ORIGIN,
        &[
            (ODD_ORIGIN, "DS", ""),
            (ODD_ORIGIN, "DS", "65535 255 255 zz"),
            (ODD_ORIGIN, "DNSKEY", "257 3 13 AAAA"),
            ("other.example.", "DS", "1 13 2 00"),
        ],
    )
    .records;
    let zones = odd_zones(ODD_ORIGIN);
    for (i, z) in zones.iter().enumerate() {
        judge(base(z.clone(), now));
        for (j, report) in reports.iter().enumerate() {
            let mut zone = z.clone();
            zone.dnssec = report.clone();
            let mut s = base(zone, now);
            if j == 1 {
                s.ds = odd_ds.clone();
            }
            if extra_zones.is_empty() {
                judge(s);
                continue;
            }
            judge(s.clone());
            let mut other = zones[(i + 1) % zones.len()].clone();
            other.dnssec = reports[(j + 1) % reports.len()].clone();
            for copy in [other, s.zone.clone()] {
                let mut t = s.clone();
                t.extra_zones = extra_zones
                    .iter()
                    .map(|name| NamedZone {
                        name: name.to_string(),
                        zone: copy.clone(),
                    })
                    .collect();
                judge(t);
            }
        }
    }
    let root = zone(
        ".",
        &[
            (".", "SOA", "a. b. 1 2 3 4 5"),
            (".", "NS", "a."),
            (".", "MX", "0 ."),
        ],
    );
    judge(base(root, 0));
    for time in [i64::MIN, i64::MAX] {
        let records = [(ODD_ORIGIN, "SOA", "a. b. 2026112901 2 3 4 5")];
        judge(base(zone(ODD_ORIGIN, &records), time));
        for report in &reports {
            let mut z = zone(ODD_ORIGIN, &records);
            z.dnssec = report.clone();
            let mut s = base(z.clone(), time);
            s.extra_zones = extra_zones
                .iter()
                .map(|name| NamedZone {
                    name: name.to_string(),
                    zone: z.clone(),
                })
                .collect();
            judge(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_codes() {
        assert_eq!(type_code("caa"), Some(257));
        assert_eq!(type_code("type1"), Some(1));
        assert_eq!(type_code("TYPE70000"), None);
        assert_eq!(type_code("TY"), None);
        assert_eq!(type_code("ÄÄ"), None);
        assert_eq!(record(1, "a.", "mx", "0 .").rtype, "MX");
    }

    #[test]
    fn zones_are_unsigned() {
        let z = zone("example.", &[("example.", "DNSKEY", "257 3 13 AAAA")]);
        assert_eq!(z.dnssec, unsigned_report());
        assert_eq!(submission(z).zone.dnssec.denial, Denial::None);
    }

    #[test]
    fn signed_zone_signs_every_rrset() {
        let z = signed_zone(
            "example.",
            &[
                ("example.", "SOA", "a. b. 1 2 3 4 5"),
                ("example.", "DNSKEY", "257 3 13 AAAA"),
                ("www.example.", "A", "192.0.2.1"),
                ("example.", "DNSKEY", "256 3 13 BBBB"),
                ("www.example.", "RRSIG", "A 13 2 3600 1 2 3 example. AAAA"),
                ("WWW.example.", "A", "192.0.2.2"),
                ("a.example.", "NSEC", "www.example. A RRSIG NSEC"),
            ],
            &[(1, 13, 257), (2, 13, 256), (3, 13, 256)],
            99,
        );
        let r = &z.dnssec;
        assert!(r.signed && r.valid);
        let lines: Vec<u32> = r.keys.iter().map(|k| k.line).collect();
        assert_eq!(lines, [2, 4, 0]);
        // Canonical order: the apex, then a., then www.; types by code.
        let order: Vec<(&str, &str)> = r
            .rrsets
            .iter()
            .map(|s| (s.owner.as_str(), s.rtype.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("example.", "SOA"),
                ("example.", "DNSKEY"),
                ("a.example.", "NSEC"),
                ("www.example.", "A")
            ]
        );
        assert_eq!(r.rrset("example.", "DNSKEY").unwrap().signed_by, [1]);
        assert_eq!(r.rrset("www.example.", "A").unwrap().signed_by, [2, 3]);
        assert!(r.keys[0].signs_keys && !r.keys[0].signs_data);
        assert!(!r.keys[1].signs_keys && r.keys[1].signs_data);
        assert_eq!(r.denial, Denial::Nsec);
        assert_eq!(r.min_expiry(), Some(99));
    }

    #[test]
    fn builder_derives_validity() {
        let ok = ReportBuilder::new()
            .key(1, 5, 13, 257)
            .secure(1, "x.", "DNSKEY", &[5, 5], 1)
            .diagnostic(diagnostic(
                "rrsig-expires-soon",
                Severity::Warning,
                1,
                "soon",
            ))
            .build();
        assert!(ok.valid);
        assert_eq!(ok.rrsets[0].signed_by, [5]);
        assert!(!ReportBuilder::new().build().signed);
        let bogus = ReportBuilder::new()
            .key(1, 5, 13, 257)
            .bogus(2, "x.", "SOA", "rrsig-no-key")
            .signed_by(&[5], Some(7))
            .build();
        assert!(!bogus.valid);
        assert_eq!(bogus.rrsets[0].expires, Some(7));
        // A bogus RRset's valid signatures still count as signing.
        assert!(bogus.keys[0].signs_data);
    }

    #[test]
    fn odd_reports_are_odd() {
        let reports = odd_reports(ODD_ORIGIN);
        assert!(reports[0].signed && reports[0].keys.is_empty());
        assert!(
            reports[1]
                .rrsets
                .iter()
                .any(|r| r.security == Security::Bogus && r.reason.is_none())
        );
        assert!(
            reports[2]
                .rrsets
                .iter()
                .all(|r| r.security == Security::Bogus)
        );
    }
}
