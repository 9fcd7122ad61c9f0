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
//! ```

use crate::types::{CheckResult, Diagnostic, Severity, Status, Submission, Zone, ZoneRecord};

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
    const TYPES: &[(&str, u16)] = &[
        ("A", 1),
        ("NS", 2),
        ("CNAME", 5),
        ("SOA", 6),
        ("PTR", 12),
        ("HINFO", 13),
        ("MX", 15),
        ("TXT", 16),
        ("RP", 17),
        ("AAAA", 28),
        ("LOC", 29),
        ("SRV", 33),
        ("NAPTR", 35),
        ("CERT", 37),
        ("DNAME", 39),
        ("OPT", 41),
        ("DS", 43),
        ("SSHFP", 44),
        ("RRSIG", 46),
        ("NSEC", 47),
        ("DNSKEY", 48),
        ("NSEC3", 50),
        ("NSEC3PARAM", 51),
        ("TLSA", 52),
        ("SMIMEA", 53),
        ("CDS", 59),
        ("CDNSKEY", 60),
        ("OPENPGPKEY", 61),
        ("CSYNC", 62),
        ("ZONEMD", 63),
        ("SVCB", 64),
        ("HTTPS", 65),
        ("SPF", 99),
        ("CAA", 257),
    ];
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
/// 1, 2, 3…; no diagnostics.
pub fn zone(origin: &str, records: &[(&str, &str, &str)]) -> Zone {
    Zone {
        origin: origin.to_string(),
        records: records
            .iter()
            .zip(1..)
            .map(|(&(owner, rtype, rdata), line)| record(line, owner, rtype, rdata))
            .collect(),
        diagnostics: Vec::new(),
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
/// `learner`, params `{}`, grading time 2026-01-01T00:00:00Z, no DS records
/// and no extra zones.
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

/// Runs `check` with `params` on each of [`odd_zones`] (under
/// [`ODD_ORIGIN`]), on a zone of the root, and on a zone graded at the
/// earliest and latest times there are, and asserts that it judges each:
/// `Ok`, with [`assert_well_formed`] results for `ids`.
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
    let judge = |zone: Zone, time: i64| {
        let mut s = submission(zone);
        s.params = params.to_string();
        s.grading_time = time;
        let desc = format!("{:?} at {time}", s.zone.records);
        match check(s) {
            Ok(results) => assert_well_formed(&results, ids),
            Err(e) => panic!("the checker refused {desc}: {e}"),
        }
    };
    let now = submission(zone(".", &[])).grading_time;
    for z in odd_zones(ODD_ORIGIN) {
        judge(z, now);
    }
    let root = zone(
        ".",
        &[
            (".", "SOA", "a. b. 1 2 3 4 5"),
            (".", "NS", "a."),
            (".", "MX", "0 ."),
        ],
    );
    judge(root, 0);
    for time in [i64::MIN, i64::MAX] {
        let soa = zone(
            ODD_ORIGIN,
            &[(ODD_ORIGIN, "SOA", "a. b. 2026112901 2 3 4 5")],
        );
        judge(soa, time);
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
}
