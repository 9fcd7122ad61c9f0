//! Record type and class mnemonics.

/// Record types whose presentation form this reader understands, by code.
/// Every other type can still be written in RFC 3597 generic form.
pub(crate) const SUPPORTED: &[(u16, &str)] = &[
    (1, "A"),
    (2, "NS"),
    (5, "CNAME"),
    (6, "SOA"),
    (12, "PTR"),
    (13, "HINFO"),
    (15, "MX"),
    (16, "TXT"),
    (17, "RP"),
    (18, "AFSDB"),
    (28, "AAAA"),
    (29, "LOC"),
    (33, "SRV"),
    (35, "NAPTR"),
    (39, "DNAME"),
    (43, "DS"),
    (44, "SSHFP"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (50, "NSEC3"),
    (51, "NSEC3PARAM"),
    (52, "TLSA"),
    (53, "SMIMEA"),
    (59, "CDS"),
    (60, "CDNSKEY"),
    (61, "OPENPGPKEY"),
    (63, "ZONEMD"),
    (64, "SVCB"),
    (65, "HTTPS"),
    (99, "SPF"),
    (256, "URI"),
    (257, "CAA"),
];

/// Other registered mnemonics: accepted in NSEC/NSEC3 type bitmaps and
/// RRSIG "type covered", refused as a record's type unless written in
/// generic form.
const OTHER: &[(u16, &str)] = &[
    (3, "MD"),
    (4, "MF"),
    (7, "MB"),
    (8, "MG"),
    (9, "MR"),
    (10, "NULL"),
    (11, "WKS"),
    (14, "MINFO"),
    (19, "X25"),
    (20, "ISDN"),
    (21, "RT"),
    (22, "NSAP"),
    (23, "NSAP-PTR"),
    (24, "SIG"),
    (25, "KEY"),
    (26, "PX"),
    (27, "GPOS"),
    (30, "NXT"),
    (31, "EID"),
    (32, "NIMLOC"),
    (34, "ATMA"),
    (36, "KX"),
    (37, "CERT"),
    (38, "A6"),
    (40, "SINK"),
    (42, "APL"),
    (45, "IPSECKEY"),
    (49, "DHCID"),
    (55, "HIP"),
    (62, "CSYNC"),
    (104, "NID"),
    (105, "L32"),
    (106, "L64"),
    (107, "LP"),
    (108, "EUI48"),
    (109, "EUI64"),
    (249, "TKEY"),
    (250, "TSIG"),
    (251, "IXFR"),
    (252, "AXFR"),
    (253, "MAILB"),
    (254, "MAILA"),
    (255, "ANY"),
    (41, "OPT"),
];

/// Types that exist only in queries or messages and never in a zone: as in
/// BIND, 0, OPT (41) and the whole meta range 128-255 (TKEY, TSIG, IXFR,
/// AXFR, MAILB, MAILA, ANY and the unassigned 128-248).
pub(crate) fn is_meta(code: u16) -> bool {
    matches!(code, 0 | 41 | 128..=255)
}

/// MD and MF (RFC 1035 §3.3.4-5), obsolete: RFC 1123 forbids loading them
/// from a master file, and BIND refuses them.
pub(crate) fn is_obsolete(code: u16) -> bool {
    matches!(code, 3 | 4)
}

/// Looks up a type mnemonic (case-insensitive) or `TYPEnnn`.
pub(crate) fn type_code(text: &[u8]) -> Option<u16> {
    if text.len() > 4 && text[..4].eq_ignore_ascii_case(b"TYPE") {
        let digits = &text[4..];
        if digits.len() <= 5 && digits.iter().all(u8::is_ascii_digit) && digits[0] != b'0'
            || digits == b"0"
        {
            let v = digits
                .iter()
                .fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
            return u16::try_from(v).ok();
        }
        return None;
    }
    SUPPORTED
        .iter()
        .chain(OTHER)
        .find(|(_, name)| name.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(code, _)| code)
}

/// Whether the reader has a presentation-form parser for `code`.
pub(crate) fn is_supported(code: u16) -> bool {
    SUPPORTED.iter().any(|&(c, _)| c == code)
}

/// The mnemonic of a type, or `TYPEnnn`.
pub fn type_name(code: u16) -> String {
    SUPPORTED
        .iter()
        .chain(OTHER)
        .find(|&&(c, _)| c == code)
        .map_or_else(|| format!("TYPE{code}"), |&(_, n)| n.to_string())
}

/// Looks up a class mnemonic or `CLASSnnn`; `None` when `text` is not a class.
pub(crate) fn class_code(text: &[u8]) -> Option<u16> {
    if text.len() > 5 && text[..5].eq_ignore_ascii_case(b"CLASS") {
        let digits = &text[5..];
        if digits.len() <= 5 && digits.iter().all(u8::is_ascii_digit) {
            let v = digits
                .iter()
                .fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
            return u16::try_from(v).ok();
        }
        return None;
    }
    [
        (1u16, "IN"),
        (3, "CH"),
        (3, "CHAOS"),
        (4, "HS"),
        (4, "HESIOD"),
        (2, "CS"),
    ]
    .iter()
    .find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(text))
    .map(|&(c, _)| c)
}

/// The mnemonic of a class.
pub fn class_name(code: u16) -> String {
    match code {
        1 => "IN".into(),
        2 => "CS".into(),
        3 => "CH".into(),
        4 => "HS".into(),
        _ => format!("CLASS{code}"),
    }
}

/// DNSSEC algorithm mnemonics (RFC 4034 App. A.1 and later registrations).
const ALGORITHMS: &[(u8, &str)] = &[
    (1, "RSAMD5"),
    (2, "DH"),
    (3, "DSA"),
    (5, "RSASHA1"),
    (6, "DSA-NSEC3-SHA1"),
    (7, "RSASHA1-NSEC3-SHA1"),
    (8, "RSASHA256"),
    (10, "RSASHA512"),
    (12, "ECC-GOST"),
    (13, "ECDSAP256SHA256"),
    (14, "ECDSAP384SHA384"),
    (15, "ED25519"),
    (16, "ED448"),
    (252, "INDIRECT"),
    (253, "PRIVATEDNS"),
    (254, "PRIVATEOID"),
];

/// The code of a DNSSEC algorithm mnemonic (case-insensitive).
pub(crate) fn algorithm_code(text: &[u8]) -> Option<u8> {
    ALGORITHMS
        .iter()
        .find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(c, _)| c)
}

/// The mnemonic of DNSSEC algorithm `code` (`13` → `ECDSAP256SHA256`).
pub fn algorithm_name(code: u8) -> Option<&'static str> {
    ALGORITHMS
        .iter()
        .find(|&&(c, _)| c == code)
        .map(|&(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mnemonics() {
        assert_eq!(type_code(b"a"), Some(1));
        assert_eq!(type_code(b"TYPE65280"), Some(65280));
        assert_eq!(type_code(b"TYPE65536"), None);
        assert_eq!(type_code(b"TYPE01"), None);
        assert_eq!(type_code(b"nsec3param"), Some(51));
        assert_eq!(type_name(46), "RRSIG");
        assert_eq!(type_name(4000), "TYPE4000");
        assert_eq!(class_code(b"in"), Some(1));
        assert_eq!(class_code(b"CLASS255"), Some(255));
        assert_eq!(class_code(b"A"), None);
        assert_eq!(algorithm_code(b"ecdsap256sha256"), Some(13));
    }
}
