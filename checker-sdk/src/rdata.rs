//! Parsers for the record data of common types, from the presentation form
//! the grader hands over (`ZoneRecord::rdata`).
//!
//! Each typed parser first checks the record's type (by mnemonic or numeric
//! code) and returns `None` for another type or for data it cannot read, such
//! as the RFC 3597 form `\# 4 c0000201`. The parsers are tolerant: fields are
//! split on any whitespace, and names may be quoted.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::types::ZoneRecord;

/// Whether `record` has the type `mnemonic` (case-insensitive) or `code`.
fn is_type(record: &ZoneRecord, mnemonic: &str, code: u16) -> bool {
    record.rtype_code == code || record.rtype.eq_ignore_ascii_case(mnemonic)
}

/// The whitespace-separated fields of `rdata`, with surrounding quotes removed.
fn fields(rdata: &str) -> impl Iterator<Item = &str> {
    rdata.split_ascii_whitespace().map(strip_quotes)
}

fn strip_quotes(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(s)
}

/// Fields of `rdata` when there are exactly `N` of them.
fn exactly<const N: usize>(rdata: &str) -> Option<[&str; N]> {
    let mut it = fields(rdata);
    let mut out = [""; N];
    for slot in &mut out {
        *slot = it.next()?;
    }
    it.next().is_none().then_some(out)
}

/// The address of an `A` record.
pub fn a(record: &ZoneRecord) -> Option<Ipv4Addr> {
    if !is_type(record, "A", 1) {
        return None;
    }
    let [addr] = exactly::<1>(&record.rdata)?;
    addr.parse().ok()
}

/// The address of an `AAAA` record.
pub fn aaaa(record: &ZoneRecord) -> Option<Ipv6Addr> {
    if !is_type(record, "AAAA", 28) {
        return None;
    }
    let [addr] = exactly::<1>(&record.rdata)?;
    addr.parse().ok()
}

/// The address of an `A` or `AAAA` record.
pub fn ip(record: &ZoneRecord) -> Option<IpAddr> {
    a(record)
        .map(IpAddr::V4)
        .or_else(|| aaaa(record).map(IpAddr::V6))
}

/// The one name of an `NS`, `CNAME`, `PTR` or `DNAME` record.
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(3, "www.example.", "CNAME", "web.example.");
/// assert_eq!(rdata::target(&r), Some("web.example."));
/// ```
pub fn target(record: &ZoneRecord) -> Option<&str> {
    let single_name = is_type(record, "NS", 2)
        || is_type(record, "CNAME", 5)
        || is_type(record, "PTR", 12)
        || is_type(record, "DNAME", 39);
    if !single_name {
        return None;
    }
    let [name] = exactly::<1>(&record.rdata)?;
    Some(name)
}

/// Preference and exchange of an `MX` record (`10 mail.example.`).
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(4, "example.", "MX", "10 mail.example.");
/// assert_eq!(rdata::mx(&r), Some((10, "mail.example.")));
/// ```
pub fn mx(record: &ZoneRecord) -> Option<(u16, &str)> {
    if !is_type(record, "MX", 15) {
        return None;
    }
    let [pref, exchange] = exactly::<2>(&record.rdata)?;
    Some((pref.parse().ok()?, exchange))
}

/// The fields of an `SOA` record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Soa<'a> {
    /// The primary name server.
    pub mname: &'a str,
    /// The responsible mailbox, as a name (`hostmaster.example.`).
    pub rname: &'a str,
    pub serial: u32,
    pub refresh: u32,
    pub retry: u32,
    pub expire: u32,
    /// The negative-caching TTL (RFC 2308).
    pub minimum: u32,
}

/// Parses an `SOA` record
/// (`ns1.example. hostmaster.example. 2026112901 14400 3600 604800 3600`).
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(2, "example.", "SOA",
///     "ns1.example. hostmaster.example. 2026112901 14400 3600 604800 3600");
/// let soa = rdata::soa(&r).unwrap();
/// assert_eq!((soa.mname, soa.serial, soa.minimum), ("ns1.example.", 2026112901, 3600));
/// ```
pub fn soa(record: &ZoneRecord) -> Option<Soa<'_>> {
    if !is_type(record, "SOA", 6) {
        return None;
    }
    let [mname, rname, serial, refresh, retry, expire, minimum] = exactly::<7>(&record.rdata)?;
    Some(Soa {
        mname,
        rname,
        serial: serial.parse().ok()?,
        refresh: refresh.parse().ok()?,
        retry: retry.parse().ok()?,
        expire: expire.parse().ok()?,
        minimum: minimum.parse().ok()?,
    })
}

/// The fields of an `SRV` record (RFC 2782).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Srv<'a> {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: &'a str,
}

/// Parses an `SRV` record (`10 5 5060 sip.example.`).
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(9, "_sip._udp.example.", "SRV", "10 5 5060 sip.example.");
/// assert_eq!(rdata::srv(&r).map(|s| (s.port, s.target)), Some((5060, "sip.example.")));
/// ```
pub fn srv(record: &ZoneRecord) -> Option<Srv<'_>> {
    if !is_type(record, "SRV", 33) {
        return None;
    }
    let [priority, weight, port, target] = exactly::<4>(&record.rdata)?;
    Some(Srv {
        priority: priority.parse().ok()?,
        weight: weight.parse().ok()?,
        port: port.parse().ok()?,
        target,
    })
}

/// The character-strings of a `TXT` (or `SPF`) record, unquoted and unescaped.
///
/// Reads the zone-file form: quoted strings (`"v=spf1 -all"`) with the
/// escapes `\"`, `\\`, `\X` and `\DDD`, and unquoted whitespace-separated
/// strings. Returns an empty list for other types.
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(5, "example.", "TXT", r#""v=spf1 " "-all" "say \"hi\"""#);
/// assert_eq!(rdata::txt_strings(&r), ["v=spf1 ", "-all", "say \"hi\""]);
/// ```
pub fn txt_strings(record: &ZoneRecord) -> Vec<String> {
    if !(is_type(record, "TXT", 16) || is_type(record, "SPF", 99)) {
        return Vec::new();
    }
    character_strings(&record.rdata)
}

/// The strings of a `TXT` record joined without separator, as SPF (RFC 7208
/// §3.3) and DKIM read them.
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(5, "example.", "TXT", r#""v=spf1 ip4:192.0.2.0/24 " "-all""#);
/// assert_eq!(rdata::txt_text(&r), "v=spf1 ip4:192.0.2.0/24 -all");
/// ```
pub fn txt_text(record: &ZoneRecord) -> String {
    txt_strings(record).concat()
}

/// Flags, tag and value of a `CAA` record (`0 issue "ca.example.net"`); the
/// value is unquoted and unescaped, the tag is as written.
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(6, "example.", "CAA", r#"0 issue "ca.example.net; account=42""#);
/// assert_eq!(rdata::caa(&r), Some((0, "issue", "ca.example.net; account=42".to_string())));
/// ```
pub fn caa(record: &ZoneRecord) -> Option<(u8, &str, String)> {
    if !is_type(record, "CAA", 257) {
        return None;
    }
    let rest = record.rdata.trim_start();
    let (flags, rest) = rest.split_once(|c: char| c.is_ascii_whitespace())?;
    let rest = rest.trim_start();
    let (tag, value) = match rest.split_once(|c: char| c.is_ascii_whitespace()) {
        Some((tag, value)) => (tag, value.trim()),
        None => (rest, ""),
    };
    if tag.is_empty() {
        return None;
    }
    // The value is one string, quoted or not; spaces inside it are kept.
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => unescape(inner),
        None => unescape(value),
    };
    Some((flags.parse().ok()?, tag, value))
}

/// The data of a record in RFC 3597 form (`\# 3 abcdef`), decoded; `None` when
/// the data is not in that form or does not match its length.
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(7, "example.", "TYPE65280", r"\# 3 ab cd ef");
/// assert_eq!(rdata::rfc3597(&r), Some(vec![0xab, 0xcd, 0xef]));
/// ```
pub fn rfc3597(record: &ZoneRecord) -> Option<Vec<u8>> {
    let mut it = record.rdata.split_ascii_whitespace();
    if it.next()? != "\\#" {
        return None;
    }
    let len: usize = it.next()?.parse().ok()?;
    let hex: String = it.collect();
    if hex.len() != 2 * len {
        return None;
    }
    (0..len)
        .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// Splits presentation text into character-strings: quoted strings (which may
/// hold spaces) and unquoted whitespace-separated words, each unescaped
/// (`\"`, `\\`, `\X`, `\DDD`). An unterminated quote runs to the end.
///
/// ```
/// use grader_checker_sdk::rdata::character_strings;
/// assert_eq!(character_strings(r#""a b" c "\065\\""#), ["a b", "c", "A\\"]);
/// assert_eq!(character_strings(r#""""#), [""]);
/// ```
pub fn character_strings(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let quoted = bytes[i] == b'"';
        if quoted {
            i += 1;
        }
        let mut cur = Vec::new();
        while i < bytes.len() {
            let b = bytes[i];
            if quoted && b == b'"' {
                i += 1;
                break;
            }
            if !quoted && b.is_ascii_whitespace() {
                break;
            }
            if b == b'\\' && i + 1 < bytes.len() {
                i += 1 + push_escape(&bytes[i + 1..], &mut cur);
                continue;
            }
            cur.push(b);
            i += 1;
        }
        out.push(String::from_utf8_lossy(&cur).into_owned());
    }
    out
}

/// Decodes the escape after a backslash into `out`; returns the bytes used.
fn push_escape(rest: &[u8], out: &mut Vec<u8>) -> usize {
    if rest.len() >= 3 && rest[..3].iter().all(u8::is_ascii_digit) {
        let v =
            (rest[0] - b'0') as u32 * 100 + (rest[1] - b'0') as u32 * 10 + (rest[2] - b'0') as u32;
        if v <= 255 {
            out.push(v as u8);
            return 3;
        }
    }
    out.push(rest[0]);
    1
}

/// Removes presentation escapes (`\"`, `\\`, `\X`, `\DDD`) from `s`.
fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            i += 1 + push_escape(&bytes[i + 1..], &mut out);
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::record;

    #[test]
    fn addresses() {
        assert_eq!(
            a(&record(1, "a.", "A", "192.0.2.1")),
            Some(Ipv4Addr::new(192, 0, 2, 1))
        );
        assert_eq!(a(&record(1, "a.", "A", "192.0.2.256")), None);
        assert_eq!(a(&record(1, "a.", "AAAA", "2001:db8::1")), None);
        assert_eq!(
            aaaa(&record(1, "a.", "AAAA", " 2001:db8::1 ")),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            ip(&record(1, "a.", "AAAA", "2001:db8::1")),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(ip(&record(1, "a.", "A", "\\# 4 c0000201")), None);
    }

    #[test]
    fn mx_tolerant_and_strict() {
        assert_eq!(
            mx(&record(1, "a.", "mx", "  10\tmail.a. ")),
            Some((10, "mail.a."))
        );
        assert_eq!(
            mx(&record(1, "a.", "MX", r#"10 "mail.a.""#)),
            Some((10, "mail.a."))
        );
        assert_eq!(mx(&record(1, "a.", "MX", "10")), None);
        assert_eq!(mx(&record(1, "a.", "MX", "70000 mail.a.")), None);
        assert_eq!(mx(&record(1, "a.", "MX", "10 mail.a. extra")), None);
        assert_eq!(mx(&record(1, "a.", "NS", "10 mail.a.")), None);
        // Matched by numeric code when the mnemonic is unusual.
        let mut r = record(1, "a.", "MX", "0 .");
        r.rtype = "TYPE15".into();
        assert_eq!(mx(&r), Some((0, ".")));
    }

    #[test]
    fn soa_fields() {
        let r = record(1, "a.", "SOA", "ns1.a. hostmaster.a. 4294967295 1 2 3 4");
        assert_eq!(
            soa(&r),
            Some(Soa {
                mname: "ns1.a.",
                rname: "hostmaster.a.",
                serial: u32::MAX,
                refresh: 1,
                retry: 2,
                expire: 3,
                minimum: 4
            })
        );
        assert_eq!(
            soa(&record(1, "a.", "SOA", "ns1.a. hostmaster.a. 1 2 3 4")),
            None
        );
        assert_eq!(
            soa(&record(1, "a.", "SOA", "ns1.a. hostmaster.a. x 1 2 3 4")),
            None
        );
    }

    #[test]
    fn srv_and_target() {
        let r = record(1, "_x._tcp.a.", "SRV", "0 0 443 .");
        let s = srv(&r).unwrap();
        assert_eq!((s.priority, s.weight, s.port, s.target), (0, 0, 443, "."));
        assert_eq!(target(&record(1, "a.", "NS", "ns1.a.")), Some("ns1.a."));
        assert_eq!(target(&record(1, "a.", "DNAME", "b.")), Some("b."));
        assert_eq!(target(&record(1, "a.", "A", "192.0.2.1")), None);
        assert_eq!(target(&record(1, "a.", "NS", "")), None);
    }

    #[test]
    fn txt_forms() {
        let t = |s: &str| txt_strings(&record(1, "a.", "TXT", s));
        assert_eq!(t(r#""v=spf1 -all""#), ["v=spf1 -all"]);
        assert_eq!(t(r#""a" "b""#), ["a", "b"]);
        assert_eq!(t(r#""a""b""#), ["a", "b"]);
        assert_eq!(
            t(r#""quote \" and backslash \\""#),
            [r#"quote " and backslash \"#]
        );
        assert_eq!(t(r#""\226\130\172 euro""#), ["€ euro"]);
        assert_eq!(t("plain words"), ["plain", "words"]);
        assert_eq!(t(r#""unterminated"#), ["unterminated"]);
        assert_eq!(t(""), Vec::<String>::new());
        assert_eq!(t(r#""""#), [""]);
        assert!(txt_strings(&record(1, "a.", "MX", r#""x""#)).is_empty());
        assert_eq!(txt_text(&record(1, "a.", "TXT", r#""ab" "cd""#)), "abcd");
    }

    #[test]
    fn caa_forms() {
        let c = |s: &str| caa(&record(1, "a.", "CAA", s)).map(|(f, t, v)| (f, t.to_string(), v));
        assert_eq!(
            c(r#"0 issue "ca.example.net""#),
            Some((0, "issue".into(), "ca.example.net".into()))
        );
        assert_eq!(
            c(r#"128 iodef "mailto:sec@a.example""#),
            Some((128, "iodef".into(), "mailto:sec@a.example".into()))
        );
        assert_eq!(c(r#"0 issue ";""#), Some((0, "issue".into(), ";".into())));
        assert_eq!(c(r#"0 issue """#), Some((0, "issue".into(), "".into())));
        assert_eq!(
            c("0 issuewild ca.example.net"),
            Some((0, "issuewild".into(), "ca.example.net".into()))
        );
        assert_eq!(
            c(r#"0 tbs "a \"b\"""#),
            Some((0, "tbs".into(), "a \"b\"".into()))
        );
        assert_eq!(c("0"), None);
        assert_eq!(c("256 issue \"x\""), None);
    }

    #[test]
    fn rfc3597_form() {
        let u = |s: &str| rfc3597(&record(1, "a.", "TYPE65280", s));
        assert_eq!(u(r"\# 0"), Some(vec![]));
        assert_eq!(u(r"\# 2 0A0b"), Some(vec![10, 11]));
        assert_eq!(u(r"\# 2 0a"), None);
        assert_eq!(u(r"\# 1 zz"), None);
        assert_eq!(u("10 mail."), None);
    }
}
