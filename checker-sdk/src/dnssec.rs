//! Reading the grader's DNSSEC validation of a zone (`zone.dnssec`, a
//! [`DnssecReport`]; interface 1.1.0).
//!
//! The grader validates every zone it hands to a checker at the grading
//! time: it verifies each signature, follows the NSEC or NSEC3 chain and
//! matches the DS records handed in against the zone's keys. A checker for a
//! signing lab so does no cryptography: it reads the verdicts and turns them
//! into a rubric's checks and feedback.
//!
//! The helpers here are inherent methods on the report's types:
//! [`Dnskey::role`], [`DnssecReport::keys_with_role`], [`DnssecReport::bogus`],
//! [`DnssecReport::rrsets_of_type`], [`DnssecReport::earliest_expiring`], …,
//! plus [`format_time`] for feedback that names a date.
//!
//! ```
//! use grader_checker_sdk::prelude::*;
//! use grader_checker_sdk::testing;
//!
//! let at = 1_796_119_200; // 2026-12-01T10:00:00Z
//! let zone = testing::signed_zone(
//!     "example.",
//!     &[
//!         ("example.", "SOA", "ns1.example. h.example. 1 7200 3600 1209600 3600"),
//!         ("example.", "NS", "ns1.example."),
//!         ("example.", "DNSKEY", "257 3 13 AAAA"),
//!         ("example.", "DNSKEY", "256 3 13 BBBB"),
//!         ("ns1.example.", "A", "192.0.2.1"),
//!     ],
//!     &[(11111, 13, 257), (22222, 13, 256)],
//!     at + 20 * DAY,
//! );
//! let report = &zone.dnssec;
//! assert!(report.valid);
//! assert_eq!(report.keys_with_role(KeyRole::Ksk)[0].key_tag, 11111);
//! assert_eq!(report.rrset("example.", "DNSKEY").unwrap().signed_by, [11111]);
//! assert_eq!(report.rrsets_of_type("A")[0].signed_by, [22222]);
//! assert!(report.bogus().is_empty());
//! assert_eq!(report.min_expiry(), Some(at + 20 * DAY));
//! assert_eq!(format_time(at), "2026-12-01 10:00:00 UTC");
//! ```

use std::fmt;

use crate::names::names_equal;
use crate::types::{
    Denial, Diagnostic, Dnskey, DnssecReport, DsStatus, RrsetStatus, Security, Severity,
};

/// Seconds in a day, for validity periods (`expires - grading_time >= 14 * DAY`).
pub const DAY: i64 = 86_400;

/// What a DNSKEY is for, from its SEP flag and what it signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyRole {
    /// Key-signing key: the SEP flag (flags 257), and it signs no RRset but
    /// (at most) the DNSKEY set.
    Ksk,
    /// Zone-signing key: no SEP flag (flags 256).
    Zsk,
    /// Combined signing key: the SEP flag, and it signs other RRsets too.
    Csk,
}

impl KeyRole {
    /// `KSK`, `ZSK` or `CSK`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Ksk => "KSK",
            KeyRole::Zsk => "ZSK",
            KeyRole::Csk => "CSK",
        }
    }
}

impl fmt::Display for KeyRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Dnskey {
    /// The key's role: [`KeyRole::Zsk`] without the SEP flag; with it,
    /// [`KeyRole::Csk`] when it signs data (an RRset other than the DNSKEY
    /// set) with a valid signature, else [`KeyRole::Ksk`] (also a SEP key
    /// that signs nothing yet). A revoked key keeps its role; see
    /// [`Dnskey::revoked`].
    pub fn role(&self) -> KeyRole {
        match (self.sep, self.signs_data) {
            (false, _) => KeyRole::Zsk,
            (true, true) => KeyRole::Csk,
            (true, false) => KeyRole::Ksk,
        }
    }

    /// `key 12345 (KSK, algorithm 13, line 7)`, for feedback.
    pub fn describe(&self) -> String {
        let revoked = if self.revoked { ", revoked" } else { "" };
        format!(
            "key {} ({}{revoked}, algorithm {}, line {})",
            self.key_tag,
            self.role(),
            self.algorithm,
            self.line
        )
    }
}

impl Security {
    /// `secure`, `bogus` or `unsigned`.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Secure => "secure",
            Security::Bogus => "bogus",
            Security::Unsigned => "unsigned",
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Denial {
    /// `none`, `NSEC` or `NSEC3`.
    pub fn name(&self) -> &'static str {
        match self {
            Denial::None => "none",
            Denial::Nsec => "NSEC",
            Denial::Nsec3(_) => "NSEC3",
        }
    }
}

impl fmt::Display for Denial {
    /// The name; NSEC3 with its parameters
    /// (`NSEC3 (hash 1, 0 iterations, salt -)`, `, opt-out` when set).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denial::Nsec3(p) => write!(
                f,
                "NSEC3 (hash {}, {} iterations, salt {}{})",
                p.hash_algorithm,
                p.iterations,
                p.salt,
                if p.opt_out { ", opt-out" } else { "" }
            ),
            other => f.write_str(other.name()),
        }
    }
}

impl RrsetStatus {
    /// Whether the RRset is [`Security::Secure`].
    pub fn is_secure(&self) -> bool {
        self.security == Security::Secure
    }

    /// The code of the fault that makes it bogus (`rrsig-expired`, …).
    pub fn reason_code(&self) -> Option<&str> {
        self.reason.as_ref().map(|d| d.code.as_str())
    }

    /// `www.example. A`, for feedback.
    pub fn describe(&self) -> String {
        format!("{} {}", self.owner, self.rtype)
    }
}

impl DnssecReport {
    /// The keys with `role` (see [`Dnskey::role`]), revoked ones included,
    /// in file order.
    pub fn keys_with_role(&self, role: KeyRole) -> Vec<&Dnskey> {
        self.keys.iter().filter(|k| k.role() == role).collect()
    }

    /// The keys with key tag `tag`, in file order (two keys may share a tag).
    pub fn keys_with_tag(&self, tag: u16) -> Vec<&Dnskey> {
        self.keys.iter().filter(|k| k.key_tag == tag).collect()
    }

    /// The first key with key tag `tag`.
    pub fn key(&self, tag: u16) -> Option<&Dnskey> {
        self.keys.iter().find(|k| k.key_tag == tag)
    }

    /// The key tags of the keys, in file order.
    pub fn key_tags(&self) -> Vec<u16> {
        self.keys.iter().map(|k| k.key_tag).collect()
    }

    /// The algorithms of the keys that are not revoked, ascending, each once.
    pub fn algorithms(&self) -> Vec<u8> {
        let mut a: Vec<u8> = self
            .keys
            .iter()
            .filter(|k| !k.revoked)
            .map(|k| k.algorithm)
            .collect();
        a.sort_unstable();
        a.dedup();
        a
    }

    /// The status of the RRset `owner`/`rtype` (names compare with
    /// [`names_equal`], types case-insensitively).
    pub fn rrset(&self, owner: &str, rtype: &str) -> Option<&RrsetStatus> {
        self.rrsets
            .iter()
            .find(|r| r.rtype.eq_ignore_ascii_case(rtype) && names_equal(&r.owner, owner))
    }

    /// The RRsets of type `rtype`, in the report's order.
    pub fn rrsets_of_type(&self, rtype: &str) -> Vec<&RrsetStatus> {
        self.rrsets
            .iter()
            .filter(|r| r.rtype.eq_ignore_ascii_case(rtype))
            .collect()
    }

    /// The RRsets with security `security`, in the report's order.
    pub fn rrsets_with(&self, security: Security) -> Vec<&RrsetStatus> {
        self.rrsets
            .iter()
            .filter(|r| r.security == security)
            .collect()
    }

    /// The bogus RRsets, in the report's order.
    pub fn bogus(&self) -> Vec<&RrsetStatus> {
        self.rrsets_with(Security::Bogus)
    }

    /// The RRsets that key `tag` signs with a valid signature.
    pub fn signed_by(&self, tag: u16) -> Vec<&RrsetStatus> {
        self.rrsets
            .iter()
            .filter(|r| r.signed_by.contains(&tag))
            .collect()
    }

    /// The secure RRset that stops being secure first (the earliest
    /// [`RrsetStatus::expires`]; the first in the report's order on a tie).
    pub fn earliest_expiring(&self) -> Option<&RrsetStatus> {
        self.rrsets
            .iter()
            .filter(|r| r.is_secure())
            .filter_map(|r| r.expires.map(|e| (e, r)))
            .min_by_key(|(e, _)| *e)
            .map(|(_, r)| r)
    }

    /// When the first secure RRset stops being secure unless re-signed
    /// (seconds since 1970); `None` when no RRset is secure.
    pub fn min_expiry(&self) -> Option<i64> {
        self.earliest_expiring().and_then(|r| r.expires)
    }

    /// The DNSSEC diagnostics of severity error.
    pub fn errors(&self) -> Vec<&Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    /// The DNSSEC diagnostics of severity warning.
    pub fn warnings(&self) -> Vec<&Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect()
    }

    /// The DNSSEC diagnostics with `code` (such as `rrsig-expired`).
    pub fn diagnostics_with_code(&self, code: &str) -> Vec<&Diagnostic> {
        self.diagnostics.iter().filter(|d| d.code == code).collect()
    }

    /// Whether any DNSSEC diagnostic has `code`.
    pub fn has_code(&self, code: &str) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }

    /// The DS records handed in that match a SEP key of the zone (a KSK or
    /// CSK): the ones that make a secure delegation.
    pub fn matching_ds(&self) -> Vec<&DsStatus> {
        self.ds
            .iter()
            .filter(|d| d.matches && d.matches_sep)
            .collect()
    }
}

/// A time (seconds since 1970) as `2026-12-01 10:00:00 UTC`, for feedback.
/// Any `i64` works (years before 1 or after 9999 get a sign or more digits).
///
/// ```
/// use grader_checker_sdk::dnssec::format_time;
/// assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
/// assert_eq!(format_time(1_796_119_200), "2026-12-01 10:00:00 UTC");
/// assert_eq!(format_time(-1), "1969-12-31 23:59:59 UTC");
/// ```
pub fn format_time(secs: i64) -> String {
    let secs = i128::from(secs);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A span of seconds in days, rounded down, for feedback (`9 days`,
/// `1 day`, `less than a day`; negative spans as `-2 days`).
///
/// ```
/// use grader_checker_sdk::dnssec::{DAY, format_days};
/// assert_eq!(format_days(9 * DAY + 5), "9 days");
/// assert_eq!(format_days(DAY), "1 day");
/// assert_eq!(format_days(3600), "less than a day");
/// assert_eq!(format_days(-2 * DAY), "-2 days");
/// ```
pub fn format_days(secs: i64) -> String {
    match secs / DAY {
        0 => "less than a day".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ReportBuilder, unsigned_report};
    use crate::types::Nsec3Params;

    fn report() -> DnssecReport {
        ReportBuilder::new()
            .key(3, 1001, 13, 257)
            .key(4, 2002, 13, 256)
            .key(5, 3003, 15, 257)
            .key(6, 4004, 13, 385)
            .secure(3, "example.", "DNSKEY", &[1001, 3003], 500)
            .secure(1, "example.", "SOA", &[2002, 3003], 400)
            .secure(7, "www.example.", "A", &[2002, 3003], 300)
            .bogus(8, "mail.example.", "A", "rrsig-expired")
            .unsigned(9, "sub.example.", "NS")
            .ds(1, 1001, 13, 2, true)
            .ds(2, 2002, 13, 2, true)
            .ds(3, 9999, 13, 2, false)
            .build()
    }

    #[test]
    fn roles() {
        let r = report();
        let tags = |role| {
            r.keys_with_role(role)
                .iter()
                .map(|k| k.key_tag)
                .collect::<Vec<_>>()
        };
        assert_eq!(tags(KeyRole::Ksk), [1001, 4004]);
        assert_eq!(tags(KeyRole::Zsk), [2002]);
        assert_eq!(tags(KeyRole::Csk), [3003]);
        assert!(r.key(4004).unwrap().revoked);
        assert_eq!(r.algorithms(), [13, 15]);
        assert_eq!(r.key_tags(), [1001, 2002, 3003, 4004]);
        assert_eq!(
            r.key(1001).unwrap().describe(),
            "key 1001 (KSK, algorithm 13, line 3)"
        );
        assert!(r.key(4004).unwrap().describe().contains("revoked"));
        assert!(r.keys_with_tag(7).is_empty());
    }

    #[test]
    fn rrsets() {
        let r = report();
        assert!(!r.valid);
        assert_eq!(r.rrset("WWW.example", "a").unwrap().line, 7);
        assert_eq!(r.rrsets_of_type("A").len(), 2);
        let bogus = r.bogus();
        assert_eq!(bogus.len(), 1);
        assert_eq!(bogus[0].reason_code(), Some("rrsig-expired"));
        assert_eq!(bogus[0].describe(), "mail.example. A");
        assert_eq!(r.rrsets_with(Security::Unsigned).len(), 1);
        assert_eq!(r.signed_by(2002).len(), 2);
        assert_eq!(r.earliest_expiring().unwrap().line, 7);
        assert_eq!(r.min_expiry(), Some(300));
        assert!(r.has_code("rrsig-expired"));
        assert_eq!(r.errors().len(), 1);
        assert!(r.warnings().is_empty());
        assert_eq!(r.diagnostics_with_code("rrsig-expired")[0].line, 8);
        let ds: Vec<u32> = r.matching_ds().iter().map(|d| d.line).collect();
        assert_eq!(ds, [1]);
    }

    #[test]
    fn unsigned() {
        let r = unsigned_report();
        assert!(!r.signed && !r.valid);
        assert_eq!(r.min_expiry(), None);
        assert!(r.keys_with_role(KeyRole::Ksk).is_empty());
        assert_eq!(r.denial.to_string(), "none");
    }

    #[test]
    fn names() {
        assert_eq!(Security::Bogus.to_string(), "bogus");
        assert_eq!(KeyRole::Csk.to_string(), "CSK");
        assert_eq!(Denial::Nsec.to_string(), "NSEC");
        let d = Denial::Nsec3(Nsec3Params {
            hash_algorithm: 1,
            iterations: 0,
            salt: "-".into(),
            opt_out: true,
        });
        assert_eq!(d.name(), "NSEC3");
        assert_eq!(
            d.to_string(),
            "NSEC3 (hash 1, 0 iterations, salt -, opt-out)"
        );
    }

    #[test]
    fn times() {
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_time(253_402_300_799), "9999-12-31 23:59:59 UTC");
        // The extremes do not overflow.
        assert!(format_time(i64::MIN).ends_with("UTC"));
        assert!(format_time(i64::MAX).ends_with("UTC"));
        assert_eq!(format_days(-5), "less than a day");
        assert_eq!(format_days(i64::MIN).chars().next(), Some('-'));
    }
}
