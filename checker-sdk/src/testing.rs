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

use crate::types::{Diagnostic, Severity, Submission, Zone, ZoneRecord};

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
/// `learner`, params `{}`, grading time 2026-01-01T00:00:00Z, no DS records.
pub fn submission(zone: Zone) -> Submission {
    Submission {
        exercise_id: "test".to_string(),
        exercise_version: "1.0.0".to_string(),
        learner: "learner".to_string(),
        grading_time: 1_767_225_600,
        params: "{}".to_string(),
        zone,
        ds: Vec::new(),
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
