//! Look-ups in a submitted zone.

use std::fmt;

use crate::index::ZoneIndex;
use crate::names::names_equal;
use crate::rdata;
use crate::types::{Diagnostic, Severity, Zone, ZoneRecord};

/// The longest CNAME chain [`ZoneExt::resolve_cname`] follows (RFC 1034 does
/// not fix one; resolvers stop at about 8–16).
pub const MAX_CNAME_CHAIN: usize = 16;

/// Why a CNAME chain could not be followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CnameError {
    /// The chain comes back to a name it passed: `chain` lists the names from
    /// the start to the repeated one, `lines` the CNAME records followed.
    Loop { chain: Vec<String>, lines: Vec<u32> },
    /// The chain is longer than [`MAX_CNAME_CHAIN`] records.
    TooLong { chain: Vec<String>, lines: Vec<u32> },
    /// A name of the chain has more than one CNAME record (RFC 2181 §10.1).
    Multiple { owner: String, lines: Vec<u32> },
    /// A CNAME record whose data is not one name.
    Malformed { owner: String, line: u32 },
}

impl CnameError {
    /// The zone-file lines of the records involved, for [`crate::Feedback`].
    pub fn lines(&self) -> Vec<u32> {
        match self {
            CnameError::Loop { lines, .. }
            | CnameError::TooLong { lines, .. }
            | CnameError::Multiple { lines, .. } => lines.clone(),
            CnameError::Malformed { line, .. } => vec![*line],
        }
    }
}

impl fmt::Display for CnameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CnameError::Loop { chain, .. } => {
                write!(f, "CNAME loop: {}", chain.join(" -> "))
            }
            CnameError::TooLong { chain, .. } => write!(
                f,
                "CNAME chain longer than {MAX_CNAME_CHAIN} records, starting {} -> {}",
                chain.first().map_or("", String::as_str),
                chain.get(1).map_or("", String::as_str),
            ),
            CnameError::Multiple { owner, .. } => {
                write!(f, "{owner} has more than one CNAME record")
            }
            CnameError::Malformed { owner, .. } => {
                write!(f, "the CNAME record of {owner} does not hold one name")
            }
        }
    }
}

impl std::error::Error for CnameError {}

/// Look-ups on a [`Zone`]. Names compare with [`names_equal`]
/// (case-insensitive, trailing dot optional), types by mnemonic,
/// case-insensitively. Records come back in file order.
///
/// Each call **scans the whole zone** (O(n) in its records; a CNAME chain
/// scans once per link). That is fine for a few look-ups per check, but a
/// look-up per record or per name in a loop is quadratic: a zone of a few
/// thousand records then runs the checker out of fuel. For those, build a
/// [`ZoneIndex`] once with [`ZoneExt::index`] and ask it instead: it
/// answers the same questions in O(1) plus the records found.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing;
///
/// let zone = testing::zone("example.", &[
///     ("example.", "MX", "10 mail.example."),
///     ("example.", "MX", "20 mx2.example."),
///     ("mail.example.", "A", "192.0.2.25"),
/// ]);
/// // One scan: fine.
/// let mx = zone.apex_rrset("MX");
/// // One look-up per MX record: use an index.
/// let ix = zone.index();
/// let without_address: Vec<&str> = mx
///     .iter()
///     .filter_map(|r| rdata::mx(r).map(|(_, target)| target))
///     .filter(|target| ix.addresses(target).is_empty())
///     .collect();
/// assert_eq!(without_address, ["mx2.example."]);
/// ```
pub trait ZoneExt {
    /// Indexes the zone's records by owner name, once (O(n)), for many
    /// look-ups: see [`ZoneIndex`].
    fn index(&self) -> ZoneIndex<'_>;
    /// The records of type `rtype` owned by `name`. Scans the zone.
    fn rrset(&self, name: &str, rtype: &str) -> Vec<&ZoneRecord>;
    /// Whether `name` owns at least one record of type `rtype`. Scans the
    /// zone.
    fn has(&self, name: &str, rtype: &str) -> bool;
    /// Every record owned by `name`. Scans the zone.
    fn records_at(&self, name: &str) -> Vec<&ZoneRecord>;
    /// Every record of type `rtype`. Scans the zone (a [`ZoneIndex`] does
    /// too: this look-up has no index).
    fn records_of_type(&self, rtype: &str) -> Vec<&ZoneRecord>;
    /// The `A` and `AAAA` records of `name` (not following CNAMEs: use
    /// [`ZoneExt::resolve_cname`] first for that). Scans the zone.
    fn addresses(&self, name: &str) -> Vec<&ZoneRecord>;
    /// The records of type `rtype` at the zone's apex (its origin). Scans
    /// the zone.
    fn apex_rrset(&self, rtype: &str) -> Vec<&ZoneRecord>;
    /// The (first) SOA record at the apex. Scans the zone up to it.
    fn apex_soa(&self) -> Option<&ZoneRecord>;
    /// The CNAME records followed from `name`, in order; empty when `name`
    /// owns no CNAME. Scans the zone once per link.
    fn cname_chain(&self, name: &str) -> Result<Vec<&ZoneRecord>, CnameError>;
    /// The name `name` stands for after following the CNAME chain inside the
    /// zone: `name` itself when it owns no CNAME, otherwise the last target
    /// (which may lie outside the zone; see [`crate::is_subdomain`]). Scans
    /// the zone once per link.
    fn resolve_cname(&self, name: &str) -> Result<String, CnameError>;
    /// The reader's diagnostics of severity error.
    fn errors(&self) -> Vec<&Diagnostic>;
    /// The reader's diagnostics of severity warning.
    fn warnings(&self) -> Vec<&Diagnostic>;
}

impl ZoneExt for Zone {
    fn index(&self) -> ZoneIndex<'_> {
        ZoneIndex::new(self)
    }

    fn rrset(&self, name: &str, rtype: &str) -> Vec<&ZoneRecord> {
        self.records
            .iter()
            .filter(|r| r.rtype.eq_ignore_ascii_case(rtype) && names_equal(&r.owner, name))
            .collect()
    }

    fn has(&self, name: &str, rtype: &str) -> bool {
        self.records
            .iter()
            .any(|r| r.rtype.eq_ignore_ascii_case(rtype) && names_equal(&r.owner, name))
    }

    fn records_at(&self, name: &str) -> Vec<&ZoneRecord> {
        self.records
            .iter()
            .filter(|r| names_equal(&r.owner, name))
            .collect()
    }

    fn records_of_type(&self, rtype: &str) -> Vec<&ZoneRecord> {
        self.records
            .iter()
            .filter(|r| r.rtype.eq_ignore_ascii_case(rtype))
            .collect()
    }

    fn addresses(&self, name: &str) -> Vec<&ZoneRecord> {
        self.records
            .iter()
            .filter(|r| {
                (r.rtype.eq_ignore_ascii_case("A") || r.rtype.eq_ignore_ascii_case("AAAA"))
                    && names_equal(&r.owner, name)
            })
            .collect()
    }

    fn apex_rrset(&self, rtype: &str) -> Vec<&ZoneRecord> {
        self.rrset(&self.origin, rtype)
    }

    fn apex_soa(&self) -> Option<&ZoneRecord> {
        self.records
            .iter()
            .find(|r| r.rtype.eq_ignore_ascii_case("SOA") && names_equal(&r.owner, &self.origin))
    }

    fn cname_chain(&self, name: &str) -> Result<Vec<&ZoneRecord>, CnameError> {
        follow_cnames(name, |n| self.rrset(n, "CNAME"))
    }

    fn resolve_cname(&self, name: &str) -> Result<String, CnameError> {
        Ok(chain_end(name, &self.cname_chain(name)?))
    }

    fn errors(&self) -> Vec<&Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    fn warnings(&self) -> Vec<&Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect()
    }
}

/// Follows the CNAME chain from `name`, with `cnames(n)` giving the CNAME
/// records of `n` (a scan of the zone, or an index look-up).
pub(crate) fn follow_cnames<'z>(
    name: &str,
    cnames: impl Fn(&str) -> Vec<&'z ZoneRecord>,
) -> Result<Vec<&'z ZoneRecord>, CnameError> {
    let mut chain: Vec<&ZoneRecord> = Vec::new();
    let mut names = vec![name.to_string()];
    let mut current = name;
    loop {
        let found = cnames(current);
        let record = match found.as_slice() {
            [] => return Ok(chain),
            [one] => *one,
            many => {
                return Err(CnameError::Multiple {
                    owner: current.to_string(),
                    lines: many.iter().map(|r| r.line).collect(),
                });
            }
        };
        let target = rdata::target(record).ok_or_else(|| CnameError::Malformed {
            owner: record.owner.clone(),
            line: record.line,
        })?;
        chain.push(record);
        let seen = names.iter().any(|n| names_equal(n, target));
        names.push(target.to_string());
        if seen {
            return Err(CnameError::Loop {
                chain: names,
                lines: chain.iter().map(|r| r.line).collect(),
            });
        }
        if chain.len() > MAX_CNAME_CHAIN {
            return Err(CnameError::TooLong {
                chain: names,
                lines: chain.iter().map(|r| r.line).collect(),
            });
        }
        current = target;
    }
}

/// The name a followed chain leads to: its last target, or `name`.
pub(crate) fn chain_end(name: &str, chain: &[&ZoneRecord]) -> String {
    match chain.last() {
        // `follow_cnames` checked that every record holds one name.
        Some(last) => rdata::target(last).unwrap_or_default().to_string(),
        None => name.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testing::{diagnostic, zone};

    /// A zone for look-ups: names in mixed case, a chain, a loop, a name
    /// with two CNAMEs and an unreadable one (lines 1 to 15).
    pub(crate) fn sample() -> Zone {
        zone(
            "example.",
            &[
                (
                    "example.",
                    "SOA",
                    "ns1.example. hostmaster.example. 1 7200 3600 1209600 3600",
                ),
                ("example.", "NS", "ns1.example."),
                ("Example", "NS", "ns2.example.net."),
                ("ns1.example.", "A", "192.0.2.1"),
                ("ns1.example.", "AAAA", "2001:db8::1"),
                ("www.example.", "CNAME", "web.example."),
                ("web.example.", "CNAME", "host.example."),
                ("host.example.", "A", "192.0.2.80"),
                ("ext.example.", "CNAME", "www.example.net."),
                ("loop1.example.", "CNAME", "loop2.example."),
                ("loop2.example.", "CNAME", "LOOP1.example."),
                ("self.example.", "CNAME", "self.example."),
                ("two.example.", "CNAME", "a.example."),
                ("two.example.", "CNAME", "b.example."),
                ("bad.example.", "CNAME", ""),
            ],
        )
    }

    #[test]
    fn lookups() {
        let z = sample();
        assert_eq!(z.rrset("EXAMPLE", "ns").len(), 2);
        assert!(z.has("ns1.example.", "AAAA"));
        assert!(!z.has("ns2.example.", "A"));
        assert_eq!(z.records_of_type("CNAME").len(), 9);
        assert_eq!(z.records_at("ns1.example.").len(), 2);
        let addrs: Vec<u32> = z.addresses("ns1.example").iter().map(|r| r.line).collect();
        assert_eq!(addrs, [4, 5]);
        assert_eq!(z.apex_rrset("NS").len(), 2);
        assert_eq!(z.apex_soa().map(|r| r.line), Some(1));
        assert!(
            zone("other.", &[("example.", "SOA", "a. b. 1 2 3 4 5")])
                .apex_soa()
                .is_none()
        );
    }

    #[test]
    fn cname_resolution() {
        let z = sample();
        assert_eq!(z.resolve_cname("www.example.").unwrap(), "host.example.");
        assert_eq!(z.cname_chain("www.example.").unwrap().len(), 2);
        assert_eq!(z.resolve_cname("host.example.").unwrap(), "host.example.");
        assert_eq!(
            z.resolve_cname("nothere.example.").unwrap(),
            "nothere.example."
        );
        assert_eq!(z.resolve_cname("ext.example.").unwrap(), "www.example.net.");
        match z.resolve_cname("loop1.example.") {
            Err(e @ CnameError::Loop { .. }) => {
                assert_eq!(e.lines(), [10, 11]);
                assert!(
                    e.to_string()
                        .contains("loop1.example. -> loop2.example. -> LOOP1.example.")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            z.resolve_cname("self.example."),
            Err(CnameError::Loop { .. })
        ));
        assert_eq!(
            z.resolve_cname("two.example."),
            Err(CnameError::Multiple {
                owner: "two.example.".into(),
                lines: vec![13, 14]
            })
        );
        assert_eq!(
            z.resolve_cname("bad.example."),
            Err(CnameError::Malformed {
                owner: "bad.example.".into(),
                line: 15
            })
        );
    }

    #[test]
    fn long_chain_is_cut() {
        let owners: Vec<String> = (0..=MAX_CNAME_CHAIN + 1)
            .map(|i| format!("c{i}.example."))
            .collect();
        let records: Vec<(&str, &str, &str)> = owners
            .windows(2)
            .map(|w| (w[0].as_str(), "CNAME", w[1].as_str()))
            .collect();
        let z = zone("example.", &records);
        // Exactly MAX_CNAME_CHAIN records is fine.
        assert_eq!(z.cname_chain("c1.example.").unwrap().len(), MAX_CNAME_CHAIN);
        let err = z.resolve_cname("c0.example.").unwrap_err();
        assert!(matches!(err, CnameError::TooLong { .. }), "{err:?}");
        assert_eq!(err.lines().len(), MAX_CNAME_CHAIN + 1);
    }

    #[test]
    fn diagnostics_by_severity() {
        let mut z = sample();
        z.diagnostics = vec![
            diagnostic("bad-ipv4", Severity::Error, 3, "not an IPv4 address"),
            diagnostic("single-ns", Severity::Warning, 2, "only one NS"),
        ];
        assert_eq!(z.errors().len(), 1);
        assert_eq!(z.errors()[0].code, "bad-ipv4");
        assert_eq!(z.warnings()[0].code, "single-ns");
    }
}
