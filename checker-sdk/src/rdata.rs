//! Parsers for the record data of common types, from the presentation form
//! the grader hands over (`ZoneRecord::rdata`).
//!
//! Each typed parser first checks the record's type (by mnemonic or numeric
//! code) and returns `None` for another type or for data it cannot read, such
//! as the RFC 3597 form `\# 4 c0000201`. The parsers are tolerant: fields are
//! split on any whitespace, and names may be quoted.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::types::{Rr, ZoneRecord};

/// A reference to a record the parsers here read: a [`ZoneRecord`] of a
/// zone or an [`Rr`] of a DNS response, or a reference to either (as
/// iterators over `Vec<&ZoneRecord>` yield them). What a parser borrows
/// from the record lives as long as the record itself.
pub(crate) trait RecordData<'a>: Copy {
    /// The type mnemonic (`A`, `TYPE65280`).
    fn rtype(self) -> &'a str;
    /// The numeric type code.
    fn rtype_code(self) -> u16;
    /// The record data in presentation form.
    fn rdata(self) -> &'a str;
}

impl<'a> RecordData<'a> for &'a ZoneRecord {
    fn rtype(self) -> &'a str {
        &self.rtype
    }
    fn rtype_code(self) -> u16 {
        self.rtype_code
    }
    fn rdata(self) -> &'a str {
        &self.rdata
    }
}

impl<'a> RecordData<'a> for &'a Rr {
    fn rtype(self) -> &'a str {
        &self.rtype
    }
    fn rtype_code(self) -> u16 {
        self.rtype_code
    }
    fn rdata(self) -> &'a str {
        &self.rdata
    }
}

impl<'a, T: ?Sized> RecordData<'a> for &&'a T
where
    &'a T: RecordData<'a>,
{
    fn rtype(self) -> &'a str {
        (*self).rtype()
    }
    fn rtype_code(self) -> u16 {
        (*self).rtype_code()
    }
    fn rdata(self) -> &'a str {
        (*self).rdata()
    }
}

/// Whether `record` has the type `mnemonic` (case-insensitive) or `code`.
pub(crate) fn is_type<'a>(record: impl RecordData<'a>, mnemonic: &str, code: u16) -> bool {
    record.rtype_code() == code || record.rtype().eq_ignore_ascii_case(mnemonic)
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
    a_of(record)
}

/// [`a`] for a zone or response record.
pub(crate) fn a_of<'a>(record: impl RecordData<'a>) -> Option<Ipv4Addr> {
    if !is_type(record, "A", 1) {
        return None;
    }
    let [addr] = exactly::<1>(record.rdata())?;
    addr.parse().ok()
}

/// The address of an `AAAA` record.
pub fn aaaa(record: &ZoneRecord) -> Option<Ipv6Addr> {
    aaaa_of(record)
}

/// [`aaaa`] for a zone or response record.
pub(crate) fn aaaa_of<'a>(record: impl RecordData<'a>) -> Option<Ipv6Addr> {
    if !is_type(record, "AAAA", 28) {
        return None;
    }
    let [addr] = exactly::<1>(record.rdata())?;
    addr.parse().ok()
}

/// The address of an `A` or `AAAA` record.
pub fn ip(record: &ZoneRecord) -> Option<IpAddr> {
    ip_of(record)
}

/// [`ip`] for a zone or response record.
pub(crate) fn ip_of<'a>(record: impl RecordData<'a>) -> Option<IpAddr> {
    a_of(record)
        .map(IpAddr::V4)
        .or_else(|| aaaa_of(record).map(IpAddr::V6))
}

/// The one name of an `NS`, `CNAME`, `PTR` or `DNAME` record.
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(3, "www.example.", "CNAME", "web.example.");
/// assert_eq!(rdata::target(&r), Some("web.example."));
/// ```
pub fn target(record: &ZoneRecord) -> Option<&str> {
    target_of(record)
}

/// [`target`] for a zone or response record.
pub(crate) fn target_of<'a>(record: impl RecordData<'a>) -> Option<&'a str> {
    let single_name = is_type(record, "NS", 2)
        || is_type(record, "CNAME", 5)
        || is_type(record, "PTR", 12)
        || is_type(record, "DNAME", 39);
    if !single_name {
        return None;
    }
    let [name] = exactly::<1>(record.rdata())?;
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
    mx_of(record)
}

/// [`mx`] for a zone or response record.
pub(crate) fn mx_of<'a>(record: impl RecordData<'a>) -> Option<(u16, &'a str)> {
    if !is_type(record, "MX", 15) {
        return None;
    }
    let [pref, exchange] = exactly::<2>(record.rdata())?;
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
    soa_of(record)
}

/// [`soa`] for a zone or response record.
pub(crate) fn soa_of<'a>(record: impl RecordData<'a>) -> Option<Soa<'a>> {
    if !is_type(record, "SOA", 6) {
        return None;
    }
    let [mname, rname, serial, refresh, retry, expire, minimum] = exactly::<7>(record.rdata())?;
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
    srv_of(record)
}

/// [`srv`] for a zone or response record.
pub(crate) fn srv_of<'a>(record: impl RecordData<'a>) -> Option<Srv<'a>> {
    if !is_type(record, "SRV", 33) {
        return None;
    }
    let [priority, weight, port, target] = exactly::<4>(record.rdata())?;
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
    txt_strings_of(record)
}

/// [`txt_strings`] for a zone or response record.
pub(crate) fn txt_strings_of<'a>(record: impl RecordData<'a>) -> Vec<String> {
    if !(is_type(record, "TXT", 16) || is_type(record, "SPF", 99)) {
        return Vec::new();
    }
    character_strings(record.rdata())
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
    txt_text_of(record)
}

/// [`txt_text`] for a zone or response record.
pub(crate) fn txt_text_of<'a>(record: impl RecordData<'a>) -> String {
    txt_strings_of(record).concat()
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
    caa_of(record)
}

/// [`caa`] for a zone or response record.
pub(crate) fn caa_of<'a>(record: impl RecordData<'a>) -> Option<(u8, &'a str, String)> {
    if !is_type(record, "CAA", 257) {
        return None;
    }
    let rest = record.rdata().trim_start();
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
    rfc3597_of(record)
}

/// [`rfc3597`] for a zone or response record.
pub(crate) fn rfc3597_of<'a>(record: impl RecordData<'a>) -> Option<Vec<u8>> {
    let mut it = record.rdata().split_ascii_whitespace();
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

/// The fields of an `RRSIG` record (RFC 4034 §3), the signature left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rrsig {
    /// The type of the RRset it signs, as a mnemonic (`A`, `TYPE65280`).
    pub type_covered: String,
    pub algorithm: u8,
    pub labels: u8,
    pub original_ttl: u32,
    /// Seconds since 1970 (see [`dnssec_time`]).
    pub expiration: i64,
    /// Seconds since 1970.
    pub inception: i64,
    pub key_tag: u16,
    /// The signer's name, absolute (`example.`).
    pub signer: String,
}

/// Parses an `RRSIG` record, in presentation form
/// (`A 13 3 3600 20261231000000 20261124000000 12345 example. <signature>`,
/// signing times as `YYYYMMDDHHmmSS` or seconds) or in RFC 3597 form
/// (`\# 100 0001...`), as the grader may hand it over.
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let r = testing::record(7, "www.example.", "RRSIG",
///     "A 13 2 3600 20261231000000 20261124000000 12345 example. c2lnbmF0dXJl");
/// let sig = rdata::rrsig(&r).unwrap();
/// assert_eq!((sig.type_covered.as_str(), sig.key_tag), ("A", 12345));
/// assert_eq!(sig.signer, "example.");
/// assert_eq!(sig.expiration, 1_798_675_200); // 2026-12-31T00:00:00Z
/// ```
pub fn rrsig(record: &ZoneRecord) -> Option<Rrsig> {
    rrsig_of(record)
}

/// [`rrsig`] for a zone or response record.
pub(crate) fn rrsig_of<'a>(record: impl RecordData<'a>) -> Option<Rrsig> {
    if !is_type(record, "RRSIG", 46) {
        return None;
    }
    if let Some(wire) = rfc3597_of(record) {
        return rrsig_wire(&wire);
    }
    let mut f = fields(record.rdata());
    Some(Rrsig {
        type_covered: f.next()?.to_ascii_uppercase(),
        algorithm: f.next()?.parse().ok()?,
        labels: f.next()?.parse().ok()?,
        original_ttl: f.next()?.parse().ok()?,
        expiration: dnssec_time(f.next()?)?,
        inception: dnssec_time(f.next()?)?,
        key_tag: f.next()?.parse().ok()?,
        signer: f.next()?.to_string(),
    })
}

/// The fields of RRSIG data in wire form.
fn rrsig_wire(w: &[u8]) -> Option<Rrsig> {
    let u16_at = |i: usize| Some(u16::from_be_bytes([*w.get(i)?, *w.get(i + 1)?]));
    let u32_at = |i: usize| {
        Some(u32::from_be_bytes([
            *w.get(i)?,
            *w.get(i + 1)?,
            *w.get(i + 2)?,
            *w.get(i + 3)?,
        ]))
    };
    Some(Rrsig {
        type_covered: type_name(u16_at(0)?),
        algorithm: *w.get(2)?,
        labels: *w.get(3)?,
        original_ttl: u32_at(4)?,
        expiration: i64::from(u32_at(8)?),
        inception: i64::from(u32_at(12)?),
        key_tag: u16_at(16)?,
        signer: wire_name(w.get(18..)?)?,
    })
}

/// The presentation form of the uncompressed wire-form name at the start of
/// `w` (`\.`, `\\` and bytes outside printable ASCII escaped).
fn wire_name(w: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut i = 0;
    loop {
        let len = *w.get(i)? as usize;
        if len == 0 {
            break;
        }
        if len > 63 {
            return None;
        }
        for &b in w.get(i + 1..i + 1 + len)? {
            match b {
                b'.' | b'\\' => {
                    out.push('\\');
                    out.push(b as char);
                }
                0x21..=0x7e => out.push(b as char),
                _ => out.push_str(&format!("\\{b:03}")),
            }
        }
        out.push('.');
        i += 1 + len;
    }
    if out.is_empty() {
        out.push('.');
    }
    Some(out)
}

/// The fields of a `DNSKEY` (or `CDNSKEY`) record (RFC 4034 §2), the
/// public key decoded. Two records hold the same key when their
/// `DnskeyRdata` are equal, however their base64 is split into words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DnskeyRdata {
    /// 256 for a ZSK, 257 for a KSK or CSK (the SEP bit), +128 when revoked.
    pub flags: u16,
    /// Always 3.
    pub protocol: u8,
    pub algorithm: u8,
    /// The public key, decoded from base64.
    pub public_key: Vec<u8>,
}

impl DnskeyRdata {
    /// The SEP flag (a KSK or CSK).
    pub fn sep(&self) -> bool {
        self.flags & 1 == 1
    }

    /// The REVOKE flag (RFC 5011).
    pub fn revoked(&self) -> bool {
        self.flags & 0x80 != 0
    }

    /// The key tag (RFC 4034 appendix B), as DS and RRSIG records name the
    /// key.
    ///
    /// ```
    /// use grader_checker_sdk::{rdata, testing};
    /// // The root zone's KSK-2017.
    /// let r = testing::record(1, ".", "DNSKEY", "257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=");
    /// assert_eq!(rdata::dnskey(&r).unwrap().key_tag(), 20326);
    /// ```
    pub fn key_tag(&self) -> u16 {
        if self.algorithm == 1 {
            // RSA/MD5: the third-to-last and second-to-last bytes of the key.
            let k = &self.public_key;
            return match k.len() {
                n if n >= 3 => u16::from_be_bytes([k[n - 3], k[n - 2]]),
                _ => 0,
            };
        }
        let mut wire = Vec::with_capacity(4 + self.public_key.len());
        wire.extend_from_slice(&self.flags.to_be_bytes());
        wire.push(self.protocol);
        wire.push(self.algorithm);
        wire.extend_from_slice(&self.public_key);
        let mut ac: u32 = 0;
        for (i, b) in wire.iter().enumerate() {
            ac += if i % 2 == 0 {
                u32::from(*b) << 8
            } else {
                u32::from(*b)
            };
        }
        ac += (ac >> 16) & 0xffff;
        (ac & 0xffff) as u16
    }

    /// `key 20326 (flags 257, algorithm 8)`, for feedback.
    pub fn describe(&self) -> String {
        format!(
            "key {} (flags {}, algorithm {})",
            self.key_tag(),
            self.flags,
            self.algorithm
        )
    }
}

/// Parses a `DNSKEY` or `CDNSKEY` record (`257 3 13 mdsswUyr3DPW...`, the key
/// possibly split into several words), or its RFC 3597 form; for a record
/// of a response, [`Rr::dnskey`](crate::Rr::dnskey).
///
/// ```
/// use grader_checker_sdk::{rdata, testing};
/// let a = testing::record(3, "example.", "DNSKEY", "256 3 13 AAEC AwQ=");
/// let b = testing::rr("example.", "DNSKEY", "256 3 13 AAECAwQ=");
/// let key = rdata::dnskey(&a).unwrap();
/// assert_eq!((key.flags, key.algorithm, key.public_key.len()), (256, 13, 5));
/// assert_eq!(b.dnskey(), Some(key)); // the same key, served
/// ```
pub fn dnskey(record: &ZoneRecord) -> Option<DnskeyRdata> {
    dnskey_of(record)
}

/// [`dnskey`] for a zone or response record.
pub(crate) fn dnskey_of<'a>(record: impl RecordData<'a>) -> Option<DnskeyRdata> {
    if !(is_type(record, "DNSKEY", 48) || is_type(record, "CDNSKEY", 60)) {
        return None;
    }
    if let Some(w) = rfc3597_of(record) {
        return Some(DnskeyRdata {
            flags: u16::from_be_bytes([*w.first()?, *w.get(1)?]),
            protocol: *w.get(2)?,
            algorithm: *w.get(3)?,
            public_key: w.get(4..)?.to_vec(),
        });
    }
    let mut f = record.rdata().split_ascii_whitespace();
    let flags = f.next()?.parse().ok()?;
    let protocol = f.next()?.parse().ok()?;
    let algorithm = f.next()?.parse().ok()?;
    let key: String = f.collect();
    Some(DnskeyRdata {
        flags,
        protocol,
        algorithm,
        public_key: base64(&key)?,
    })
}

/// Decodes standard base64 (RFC 4648, padding optional); `None` on any
/// other character.
fn base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Type mnemonics by code, for [`type_name`] and [`crate::testing::type_code`].
pub(crate) const TYPES: &[(&str, u16)] = &[
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

/// The mnemonic of a type code (`TYPEnnn` for the types not in the SDK's
/// table, as the grader names unknown types).
///
/// ```
/// use grader_checker_sdk::rdata::type_name;
/// assert_eq!(type_name(48), "DNSKEY");
/// assert_eq!(type_name(65280), "TYPE65280");
/// ```
pub fn type_name(code: u16) -> String {
    TYPES
        .iter()
        .find(|(_, c)| *c == code)
        .map_or_else(|| format!("TYPE{code}"), |(m, _)| m.to_string())
}

/// A signing time of an RRSIG record in seconds since 1970: the
/// `YYYYMMDDHHmmSS` form (UTC), or a number of seconds (at most 10 digits).
///
/// ```
/// use grader_checker_sdk::rdata::dnssec_time;
/// assert_eq!(dnssec_time("20261201100000"), Some(1_796_119_200));
/// assert_eq!(dnssec_time("1796119200"), Some(1_796_119_200));
/// assert_eq!(dnssec_time("20261301000000"), None);
/// ```
pub fn dnssec_time(text: &str) -> Option<i64> {
    if !text.bytes().all(|b| b.is_ascii_digit()) || text.is_empty() {
        return None;
    }
    if text.len() <= 10 {
        return text.parse().ok();
    }
    if text.len() != 14 {
        return None;
    }
    let n = |r: std::ops::Range<usize>| text[r].parse::<i64>().ok();
    let (y, mo, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (h, mi, s) = (n(8..10)?, n(10..12)?, n(12..14)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo) || d < 1 || d > month_days[(mo - 1) as usize] {
        return None;
    }
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
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

    #[test]
    fn rrsigs() {
        let r = record(
            3,
            "example.",
            "RRSIG",
            "DNSKEY 15 1 3600 1796119200 20261124000000 65535 example. AAAA",
        );
        let sig = rrsig(&r).unwrap();
        assert_eq!(sig.type_covered, "DNSKEY");
        assert_eq!((sig.algorithm, sig.labels, sig.original_ttl), (15, 1, 3600));
        assert_eq!(sig.expiration, 1_796_119_200);
        assert_eq!(sig.inception, 1_795_478_400);
        assert_eq!(sig.key_tag, 65535);
        for bad in [
            "",
            "A 13 2 3600 x 20261124000000 1 example.",
            "A 13 2 3600 1 2 70000 x.",
        ] {
            assert_eq!(rrsig(&record(1, "a.", "RRSIG", bad)), None, "{bad}");
        }
        assert_eq!(rrsig(&record(1, "a.", "A", "192.0.2.1")), None);
        // The RFC 3597 form, as the grader hands over RRSIG data.
        let wire =
            r"\# 38 00020d0300000e106af8f6006abda28007df0467727037036c6162076578616d706c6500 aabb";
        let sig = rrsig(&record(1, "grp7.lab.example.", "RRSIG", wire)).unwrap();
        assert_eq!(sig.type_covered, "NS");
        assert_eq!((sig.algorithm, sig.labels, sig.original_ttl), (13, 3, 3600));
        assert_eq!(sig.expiration, 1_794_700_800); // 2026-11-15
        assert_eq!(sig.key_tag, 2015);
        assert_eq!(sig.signer, "grp7.lab.example.");
        let short = r"\# 4 00020d03";
        assert_eq!(rrsig(&record(1, "a.", "RRSIG", short)), None);
        assert_eq!(
            wire_name(&[1, b'.', 2, b'a', 0x07, 0]).as_deref(),
            Some(r"\..a\007.")
        );
        assert_eq!(wire_name(&[0]).as_deref(), Some("."));
        assert_eq!(wire_name(&[64]), None);
        assert_eq!(type_name(46), "RRSIG");
        assert_eq!(dnssec_time("19700101000000"), Some(0));
        assert_eq!(dnssec_time("20240229235960"), Some(1_709_251_200));
        assert_eq!(dnssec_time("20230229000000"), None);
        assert_eq!(dnssec_time("2026120110000"), None);
        assert_eq!(dnssec_time("+1"), None);
        assert_eq!(dnssec_time("99991231235959"), Some(253_402_300_799));
    }
}
