//! Record data in presentation form → wire form, one function per type.
//!
//! The wire bytes are then decoded by hickory-proto into its typed `RData`
//! (see `reader.rs`), so hickory stays the one representation of DNS data
//! while this module owns the exact, line-precise reading of the text.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, Ipv6Addr};

use data_encoding::{BASE32HEX_NOPAD, BASE64, HEXLOWER_PERMISSIVE};

use super::diag::Code;
use super::lexer::Token;
use super::text::{Fault, Res, lossy, parse_name, parse_sig_time, parse_ttl, parse_uint, unescape};
use super::types::{algorithm_code, type_code, type_name};

/// A cursor over the record-data tokens of one record.
pub(crate) struct Fields<'a> {
    src: &'a [u8],
    toks: &'a [Token],
    pos: usize,
    origin: Option<&'a [u8]>,
    /// What the type's fields are, for "missing field" messages.
    usage: &'static str,
    rtype: u16,
    /// Token to blame for the last fault; `None` means "after the last token".
    blame: Option<usize>,
    pub out: Vec<u8>,
}

impl<'a> Fields<'a> {
    pub fn new(src: &'a [u8], toks: &'a [Token], origin: Option<&'a [u8]>, rtype: u16) -> Self {
        Fields {
            src,
            toks,
            pos: 0,
            origin,
            usage: usage(rtype),
            rtype,
            blame: None,
            out: Vec::with_capacity(64),
        }
    }

    /// The index of the token the last fault is about (`None`: the fault is
    /// that a field is missing, after the last token).
    pub fn blamed(&self) -> Option<usize> {
        self.blame
    }

    fn missing(&mut self, what: &str) -> Fault {
        self.blame = None;
        let usage = if self.usage.is_empty() {
            String::new()
        } else {
            format!("; {} takes: {}", type_name(self.rtype), self.usage)
        };
        Fault::new(Code::MissingRdata, format!("missing {what}{usage}"))
    }

    /// The next field, quoted or not.
    fn next_string(&mut self, what: &str) -> Res<&'a [u8]> {
        let Some(tok) = self.toks.get(self.pos) else {
            return Err(self.missing(what));
        };
        self.blame = Some(self.pos);
        self.pos += 1;
        Ok(tok.text(self.src))
    }

    /// The next field, which must be a bare word: BIND refuses a quoted
    /// number, name, type, hex or base64 field.
    fn next(&mut self, what: &str) -> Res<&'a [u8]> {
        let quoted = self.toks.get(self.pos).is_some_and(|t| t.quoted);
        let t = self.next_string(what)?;
        if quoted {
            return Err(quoted_field(t, what));
        }
        Ok(t)
    }

    /// The next field, which must be quoted (the URI target).
    fn next_quoted(&mut self, what: &str) -> Res<&'a [u8]> {
        let quoted = self.toks.get(self.pos).is_some_and(|t| t.quoted);
        let t = self.next_string(what)?;
        if !quoted {
            return Err(Fault::new(
                Code::BadQuoting,
                format!("{what} must be in double quotes: write \"{}\"", lossy(t)),
            ));
        }
        Ok(t)
    }

    fn next_token(&mut self, what: &str) -> Res<Token> {
        self.next(what)?;
        Ok(self.toks[self.pos - 1])
    }

    fn peek(&self) -> Option<&'a [u8]> {
        self.toks.get(self.pos).map(|t| t.text(self.src))
    }

    fn has_more(&self) -> bool {
        self.pos < self.toks.len()
    }

    fn uint(&mut self, max: u64, what: &str) -> Res<u64> {
        let t = self.next(what)?;
        parse_uint(t, max, what)
    }

    fn u8(&mut self, what: &str) -> Res<()> {
        let v = self.uint(255, what)?;
        self.out.push(v as u8);
        Ok(())
    }

    fn u16(&mut self, what: &str) -> Res<u16> {
        let v = self.uint(65535, what)? as u16;
        self.out.extend_from_slice(&v.to_be_bytes());
        Ok(v)
    }

    fn u32(&mut self, what: &str) -> Res<()> {
        let v = self.uint(u64::from(u32::MAX), what)? as u32;
        self.out.extend_from_slice(&v.to_be_bytes());
        Ok(())
    }

    /// A 32-bit time interval that may use TTL units (SOA timers).
    fn interval(&mut self, what: &str) -> Res<u32> {
        let t = self.next(what)?;
        let v = if t.iter().all(u8::is_ascii_digit) {
            parse_uint(t, u64::from(u32::MAX), what)? as u32
        } else {
            parse_ttl(t).map_err(|_| {
                Fault::new(
                    Code::BadNumber,
                    format!(
                        "expected {what} in seconds (or with units such as `1h`), found `{}`",
                        lossy(t)
                    ),
                )
            })?
        };
        self.out.extend_from_slice(&v.to_be_bytes());
        Ok(v)
    }

    fn name(&mut self, what: &str) -> Res<()> {
        let t = self.next(what)?;
        let wire = parse_name(t, self.origin)?;
        self.out.extend_from_slice(&wire);
        Ok(())
    }

    /// A length-prefixed character-string (quoted or not).
    fn charstr(&mut self, what: &str) -> Res<()> {
        let t = self.next_string(what)?;
        let v = unescape(t)?;
        push_charstr(&mut self.out, &v)
    }

    fn algorithm(&mut self) -> Res<u8> {
        let t = self.next("algorithm")?;
        let v = if t.first().is_some_and(u8::is_ascii_digit) {
            parse_uint(t, 255, "an algorithm number")? as u8
        } else {
            algorithm_code(t).ok_or_else(|| {
                Fault::new(
                    Code::BadAlgorithm,
                    format!(
                        "unknown DNSSEC algorithm `{}`: use its number, such as 13",
                        lossy(t)
                    ),
                )
            })?
        };
        self.out.push(v);
        Ok(v)
    }

    /// Concatenates all remaining tokens (blanks may split hex and base64).
    fn rest(&mut self, what: &str) -> Res<Vec<u8>> {
        if !self.has_more() {
            return Err(self.missing(what));
        }
        let first = self.pos;
        let mut all = Vec::new();
        while let Some(tok) = self.toks.get(self.pos) {
            self.blame = Some(self.pos);
            let t = tok.text(self.src);
            if tok.quoted {
                return Err(quoted_field(t, what));
            }
            all.extend_from_slice(t);
            self.pos += 1;
        }
        self.blame = Some(first);
        Ok(all)
    }

    fn rest_hex(&mut self, what: &str) -> Res<Vec<u8>> {
        let text = self.rest(what)?;
        decode_hex(&text, what)
    }

    fn rest_base64(&mut self, what: &str) -> Res<Vec<u8>> {
        let text = self.rest(what)?;
        BASE64.decode(&text).map_err(|e| {
            Fault::new(
                Code::BadBase64,
                format!(
                    "{what} is not valid base64 ({e}); copy it again from the key or signature file"
                ),
            )
        })
    }

    /// Remaining tokens as a type bitmap (NSEC, NSEC3, CSYNC).
    fn bitmap(&mut self) -> Res<()> {
        let mut types = BTreeSet::new();
        while let Some(tok) = self.toks.get(self.pos) {
            self.blame = Some(self.pos);
            let t = tok.text(self.src);
            if tok.quoted {
                return Err(quoted_field(t, "a type in the type list"));
            }
            let code = type_code(t).ok_or_else(|| {
                Fault::new(
                    Code::UnknownType,
                    format!("`{}` in the type list is not a record type", lossy(t)),
                )
            })?;
            types.insert(code);
            self.pos += 1;
        }
        encode_bitmap(&types, &mut self.out);
        Ok(())
    }

    /// Fails when tokens are left over.
    pub fn end(&mut self) -> Res<()> {
        if self.has_more() {
            self.blame = Some(self.pos);
            let extra = self.toks.len() - self.pos;
            return Err(Fault::new(
                Code::ExtraRdata,
                format!(
                    "{extra} field{} too many for {}{}",
                    if extra == 1 { "" } else { "s" },
                    type_name(self.rtype),
                    if self.usage.is_empty() {
                        String::new()
                    } else {
                        format!(", which takes: {}", self.usage)
                    }
                ),
            ));
        }
        Ok(())
    }
}

/// A quoted token where a bare word is needed.
fn quoted_field(t: &[u8], what: &str) -> Fault {
    Fault::new(
        Code::BadQuoting,
        format!(
            "\"{}\" is quoted, but {what} is written without quotes",
            lossy(t)
        ),
    )
}

fn push_charstr(out: &mut Vec<u8>, v: &[u8]) -> Res<()> {
    if v.len() > 255 {
        return Err(Fault::new(
            Code::StringTooLong,
            format!(
                "this string is {} octets long; one string holds at most 255: split it into several quoted strings, such as \"first part\" \"second part\"",
                v.len()
            ),
        ));
    }
    out.push(v.len() as u8);
    out.extend_from_slice(v);
    Ok(())
}

fn decode_hex(text: &[u8], what: &str) -> Res<Vec<u8>> {
    if text.len() % 2 == 1 {
        return Err(Fault::new(
            Code::BadHex,
            format!(
                "{what} has an odd number of hex digits ({}); a byte is two digits",
                text.len()
            ),
        ));
    }
    HEXLOWER_PERMISSIVE.decode(text).map_err(|e| {
        Fault::new(
            Code::BadHex,
            format!(
                "{what} is not hexadecimal: `{}` at position {}",
                lossy(&text[e.position..(e.position + 1).min(text.len())]),
                e.position + 1
            ),
        )
    })
}

/// Encodes a set of types as RFC 4034 §4.1.2 windowed bitmaps.
pub(crate) fn encode_bitmap(types: &BTreeSet<u16>, out: &mut Vec<u8>) {
    let mut window: Option<(u8, [u8; 32], usize)> = None;
    let flush = |w: &(u8, [u8; 32], usize), out: &mut Vec<u8>| {
        out.push(w.0);
        out.push(w.2 as u8);
        out.extend_from_slice(&w.1[..w.2]);
    };
    for &t in types {
        let (win, bit) = ((t >> 8) as u8, (t & 0xff) as usize);
        match &mut window {
            Some(w) if w.0 == win => {}
            _ => {
                if let Some(w) = &window {
                    flush(w, out);
                }
                window = Some((win, [0; 32], 0));
            }
        }
        if let Some(w) = &mut window {
            w.1[bit / 8] |= 0x80 >> (bit % 8);
            w.2 = w.2.max(bit / 8 + 1);
        }
    }
    if let Some(w) = &window {
        flush(w, out);
    }
}

/// The field list of a type, for messages.
fn usage(rtype: u16) -> &'static str {
    match rtype {
        1 => "an IPv4 address",
        28 => "an IPv6 address",
        2 | 5 | 12 | 39 => "a domain name",
        6 => "primary-server mailbox serial refresh retry expire minimum",
        13 => "\"cpu\" \"os\"",
        15 => "preference exchange",
        16 | 99 => "one or more \"strings\"",
        17 => "mailbox txt-name",
        18 => "subtype hostname",
        29 => "latitude N|S longitude E|W altitude [size [hprec [vprec]]]",
        33 => "priority weight port target",
        35 => "order preference \"flags\" \"services\" \"regexp\" replacement",
        43 | 59 => "key-tag algorithm digest-type digest",
        44 => "algorithm fp-type fingerprint",
        46 => {
            "type-covered algorithm labels original-ttl expiration inception key-tag signer signature"
        }
        47 => "next-name [types...]",
        48 | 60 => "flags protocol algorithm public-key",
        50 => "hash-algorithm flags iterations salt next-hashed-owner [types...]",
        51 => "hash-algorithm flags iterations salt",
        52 | 53 => "usage selector matching-type data",
        61 => "public-key",
        63 => "serial scheme hash-algorithm digest",
        64 | 65 => "priority target [key=value...]",
        256 => "priority weight \"target\"",
        257 => "flags tag \"value\"",
        _ => "",
    }
}

/// Encodes the record data of `rtype` from its presentation form.
pub(crate) fn encode(rtype: u16, f: &mut Fields<'_>) -> Res<()> {
    if f.peek() == Some(b"\\#") && !f.toks[f.pos].quoted {
        return generic(f);
    }
    match rtype {
        1 => {
            let t = f.next("an IPv4 address")?;
            let a = std::str::from_utf8(t)
                .ok()
                .and_then(|s| s.parse::<Ipv4Addr>().ok())
                .ok_or_else(|| {
                    Fault::new(
                        Code::BadIpv4,
                        format!(
                            "expected an IPv4 address such as 192.0.2.1, found `{}`",
                            lossy(t)
                        ),
                    )
                })?;
            f.out.extend_from_slice(&a.octets());
        }
        28 => {
            let t = f.next("an IPv6 address")?;
            let a = std::str::from_utf8(t)
                .ok()
                .and_then(|s| s.parse::<Ipv6Addr>().ok())
                .ok_or_else(|| {
                    Fault::new(
                        Code::BadIpv6,
                        format!(
                            "expected an IPv6 address such as 2001:db8::1, found `{}`",
                            lossy(t)
                        ),
                    )
                })?;
            f.out.extend_from_slice(&a.octets());
        }
        2 | 5 | 12 | 39 => f.name("a domain name")?,
        6 => {
            f.name("the primary server name (MNAME)")?;
            f.name("the responsible mailbox (RNAME)")?;
            f.u32("the serial number")?;
            f.interval("refresh")?;
            f.interval("retry")?;
            f.interval("expire")?;
            f.interval("minimum")?;
        }
        13 => {
            f.charstr("the CPU string")?;
            f.charstr("the OS string")?;
        }
        15 => {
            f.u16("the preference")?;
            f.name("the mail exchange name")?;
        }
        16 | 99 => {
            f.charstr("a string")?;
            while f.has_more() {
                f.charstr("a string")?;
            }
        }
        17 => {
            f.name("the mailbox name")?;
            f.name("the TXT name")?;
        }
        18 => {
            f.u16("the subtype")?;
            f.name("the host name")?;
        }
        29 => loc(f)?,
        33 => {
            f.u16("the priority")?;
            f.u16("the weight")?;
            f.u16("the port")?;
            f.name("the target name")?;
        }
        35 => {
            f.u16("the order")?;
            f.u16("the preference")?;
            f.charstr("the flags string")?;
            f.charstr("the services string")?;
            f.charstr("the regexp string")?;
            f.name("the replacement name")?;
        }
        43 | 59 => {
            f.u16("the key tag")?;
            f.algorithm()?;
            let dt = f.uint(255, "the digest type")? as u8;
            f.out.push(dt);
            let digest = f.rest_hex("the digest")?;
            let want = match dt {
                1 => Some((20, "SHA-1")),
                2 => Some((32, "SHA-256")),
                3 => Some((32, "GOST")),
                4 => Some((48, "SHA-384")),
                _ => None,
            };
            if let Some((n, alg)) = want
                && digest.len() != n
            {
                return Err(Fault::new(
                    Code::BadDigestLength,
                    format!(
                        "a digest of type {dt} ({alg}) is {n} octets ({} hex digits), this one is {} octets",
                        n * 2,
                        digest.len()
                    ),
                ));
            }
            f.out.extend_from_slice(&digest);
        }
        44 => {
            f.u8("the algorithm")?;
            let fp_type = f.uint(255, "the fingerprint type")? as u8;
            f.out.push(fp_type);
            let fp = f.rest_hex("the fingerprint")?;
            // BIND checks the two fingerprint types it knows.
            let want = match fp_type {
                1 => Some((20, "SHA-1")),
                2 => Some((32, "SHA-256")),
                _ => None,
            };
            if let Some((n, alg)) = want
                && fp.len() != n
            {
                return Err(Fault::new(
                    Code::BadDigestLength,
                    format!(
                        "a fingerprint of type {fp_type} ({alg}) is {n} octets ({} hex digits), this one is {} octets",
                        n * 2,
                        fp.len()
                    ),
                ));
            }
            f.out.extend_from_slice(&fp);
        }
        46 => {
            let t = f.next("the type covered")?;
            let covered = type_code(t).ok_or_else(|| {
                Fault::new(
                    Code::UnknownType,
                    format!("`{}` is not a record type", lossy(t)),
                )
            })?;
            f.out.extend_from_slice(&covered.to_be_bytes());
            f.algorithm()?;
            f.u8("the label count")?;
            // A plain number: BIND refuses TTL units here.
            f.u32("the original TTL")?;
            for what in ["the expiration time", "the inception time"] {
                let t = f.next(what)?;
                let v = parse_sig_time(t)?;
                f.out.extend_from_slice(&v.to_be_bytes());
            }
            f.u16("the key tag")?;
            f.name("the signer name")?;
            let sig = f.rest_base64("the signature")?;
            f.out.extend_from_slice(&sig);
        }
        47 => {
            f.name("the next owner name")?;
            if !f.has_more() {
                // BIND: an NSEC lists at least its own NSEC (and RRSIG).
                return Err(f.missing("the type list (at least NSEC)"));
            }
            f.bitmap()?;
        }
        48 | 60 => {
            f.u16("the flags")?;
            f.u8("the protocol")?;
            f.algorithm()?;
            let key = f.rest_base64("the public key")?;
            f.out.extend_from_slice(&key);
        }
        50 | 51 => {
            let hash_alg = f.uint(255, "the hash algorithm")? as u8;
            f.out.push(hash_alg);
            f.u8("the flags")?;
            f.u16("the iterations")?;
            let t = f.next("the salt (hex, or - for none)")?;
            let salt = if t == b"-" {
                Vec::new()
            } else {
                decode_hex(t, "the salt")?
            };
            if salt.len() > 255 {
                return Err(Fault::new(
                    Code::BadHex,
                    "the salt is longer than 255 octets",
                ));
            }
            f.out.push(salt.len() as u8);
            f.out.extend_from_slice(&salt);
            if rtype == 50 {
                let t = f.next("the next hashed owner name")?;
                let upper = t.to_ascii_uppercase();
                let hash = BASE32HEX_NOPAD.decode(&upper).map_err(|_| {
                    Fault::new(
                        Code::BadBase32,
                        format!(
                            "`{}` is not a base32hex hash (letters a-v and digits, no padding)",
                            lossy(t)
                        ),
                    )
                })?;
                if hash.is_empty() || hash.len() > 255 {
                    return Err(Fault::new(
                        Code::BadBase32,
                        "the next hashed owner name must be 1 to 255 octets",
                    ));
                }
                if hash_alg == 1 && hash.len() != 20 {
                    // BIND: "out of range".
                    return Err(Fault::new(
                        Code::BadBase32,
                        format!(
                            "with hash algorithm 1 (SHA-1) the next hashed owner name is 20 octets (32 base32hex characters), this one is {}",
                            hash.len()
                        ),
                    ));
                }
                f.out.push(hash.len() as u8);
                f.out.extend_from_slice(&hash);
                f.bitmap()?;
            }
        }
        52 | 53 => {
            f.u8("the certificate usage")?;
            f.u8("the selector")?;
            f.u8("the matching type")?;
            let data = f.rest_hex("the certificate association data")?;
            f.out.extend_from_slice(&data);
        }
        61 => {
            let key = f.rest_base64("the public key")?;
            f.out.extend_from_slice(&key);
        }
        63 => {
            f.u32("the serial")?;
            f.u8("the scheme")?;
            let alg = f.uint(255, "the hash algorithm")? as u8;
            f.out.push(alg);
            let digest = f.rest_hex("the digest")?;
            let want = match alg {
                1 => Some(48),
                2 => Some(64),
                _ => None,
            };
            if digest.len() < 12 || want.is_some_and(|n| n != digest.len()) {
                return Err(Fault::new(
                    Code::BadDigestLength,
                    format!(
                        "a ZONEMD digest of hash algorithm {alg} must be {} octets, this one is {}",
                        want.map_or_else(|| "at least 12".to_string(), |n| n.to_string()),
                        digest.len()
                    ),
                ));
            }
            f.out.extend_from_slice(&digest);
        }
        64 | 65 => svcb(f)?,
        256 => {
            f.u16("the priority")?;
            f.u16("the weight")?;
            let t = f.next_quoted("the target URI")?;
            let v = unescape(t)?;
            if v.is_empty() {
                return Err(Fault::new(
                    Code::MissingRdata,
                    "the URI target cannot be empty",
                ));
            }
            f.out.extend_from_slice(&v);
        }
        257 => {
            f.u8("the flags")?;
            let t = f.next("the tag")?;
            let tag = unescape(t)?;
            if tag.is_empty() || tag.len() > 255 || !tag.iter().all(u8::is_ascii_alphanumeric) {
                return Err(Fault::new(
                    Code::BadCaaTag,
                    format!(
                        "`{}` is not a CAA tag: use issue, issuewild, iodef or another letters-and-digits tag",
                        lossy(t)
                    ),
                ));
            }
            f.out.push(tag.len() as u8);
            f.out.extend_from_slice(&tag);
            let t = f.next_string("the value")?;
            let v = unescape(t)?;
            f.out.extend_from_slice(&v);
        }
        _ => unreachable!("encode is only called for supported types"),
    }
    f.end()
}

/// RFC 3597 generic form: `\# length hex...`.
fn generic(f: &mut Fields<'_>) -> Res<()> {
    f.next("\\#")?;
    let len = f.uint(65535, "the data length")? as usize;
    let data = if len == 0 && !f.has_more() {
        Vec::new()
    } else {
        f.rest_hex("the data")?
    };
    if data.len() != len {
        return Err(Fault::new(
            Code::BadGenericRdata,
            format!(
                "`\\#` says {len} octets but the hex data holds {}",
                data.len()
            ),
        ));
    }
    f.out.extend_from_slice(&data);
    Ok(())
}

/// LOC (RFC 1876 §3).
fn loc(f: &mut Fields<'_>) -> Res<()> {
    let lat = coordinate(f, b'N', b'S', 90)?;
    let lon = coordinate(f, b'E', b'W', 180)?;
    let t = f.next("the altitude")?;
    let alt = centimetres(t, true)?;
    if !(-10_000_000..=4_284_967_295).contains(&alt) {
        return Err(Fault::new(
            Code::BadLoc,
            "the altitude must be between -100000m and 42849672.95m",
        ));
    }
    let mut prec = [0x12u8, 0x16, 0x13]; // 1m, 10000m, 10m
    for (i, what) in [
        "the size",
        "the horizontal precision",
        "the vertical precision",
    ]
    .iter()
    .enumerate()
    {
        if !f.has_more() {
            break;
        }
        let t = f.next(what)?;
        prec[i] = precsize(centimetres(t, false)? as u64)?;
    }
    f.out.push(0);
    f.out.extend_from_slice(&prec);
    f.out.extend_from_slice(&lat.to_be_bytes());
    f.out.extend_from_slice(&lon.to_be_bytes());
    f.out
        .extend_from_slice(&((alt + 10_000_000) as u32).to_be_bytes());
    Ok(())
}

fn coordinate(f: &mut Fields<'_>, pos: u8, neg: u8, max_deg: u64) -> Res<u32> {
    let hemis = |t: &[u8]| {
        t.len() == 1 && (t[0].eq_ignore_ascii_case(&pos) || t[0].eq_ignore_ascii_case(&neg))
    };
    let what = if pos == b'N' {
        "the latitude"
    } else {
        "the longitude"
    };
    let deg = parse_uint(f.next(what)?, max_deg, "degrees")?;
    let mut min = 0;
    let mut msec = 0;
    let mut t = f.next(what)?;
    if !hemis(t) {
        min = parse_uint(t, 59, "minutes")?;
        t = f.next(what)?;
        if !hemis(t) {
            msec = thousandths(t)?;
            t = f.next(what)?;
        }
    }
    if !hemis(t) {
        return Err(Fault::new(
            Code::BadLoc,
            format!(
                "expected {} or {} after {what}, found `{}`",
                pos as char,
                neg as char,
                lossy(t)
            ),
        ));
    }
    let v = ((deg * 60 + min) * 60) * 1000 + msec;
    if v > max_deg * 3_600_000 {
        return Err(Fault::new(
            Code::BadLoc,
            format!("{what} is more than {max_deg} degrees"),
        ));
    }
    let v = v as i64;
    let signed = if t[0].eq_ignore_ascii_case(&pos) {
        v
    } else {
        -v
    };
    Ok((0x8000_0000i64 + signed) as u32)
}

/// Seconds with up to three decimals, below 60, in thousandths.
fn thousandths(t: &[u8]) -> Res<u64> {
    let bad = || {
        Fault::new(
            Code::BadLoc,
            format!("expected seconds such as 23.500, found `{}`", lossy(t)),
        )
    };
    let (int, frac) = split_decimal(t).ok_or_else(bad)?;
    if int >= 60 || frac.1 > 3 {
        return Err(bad());
    }
    Ok(int * 1000 + frac.0 * 10u64.pow(3 - frac.1))
}

/// Splits `12.34` into (12, (34, 2 digits)).
fn split_decimal(t: &[u8]) -> Option<(u64, (u64, u32))> {
    let (int, frac) = match t.iter().position(|&b| b == b'.') {
        Some(p) => (&t[..p], &t[p + 1..]),
        None => (t, &b""[..]),
    };
    if int.is_empty() || int.len() > 12 || frac.len() > 6 {
        return None;
    }
    if !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let n = |d: &[u8]| d.iter().fold(0u64, |a, c| a * 10 + u64::from(c - b'0'));
    Some((n(int), (n(frac), frac.len() as u32)))
}

/// A LOC distance (`10m`, `-2.5`) in centimetres.
fn centimetres(t: &[u8], signed: bool) -> Res<i64> {
    let bad = || {
        Fault::new(
            Code::BadLoc,
            format!(
                "expected a distance in metres such as 10m or 2.50m, found `{}`",
                lossy(t)
            ),
        )
    };
    let mut body = t
        .strip_suffix(b"m")
        .or_else(|| t.strip_suffix(b"M"))
        .unwrap_or(t);
    let neg = signed && body.first() == Some(&b'-');
    if neg {
        body = &body[1..];
    }
    let (int, (frac, digits)) = split_decimal(body).ok_or_else(bad)?;
    if digits > 2 {
        return Err(bad());
    }
    let cm = (int * 100 + frac * 10u64.pow(2 - digits)) as i64;
    Ok(if neg { -cm } else { cm })
}

/// RFC 1876 size/precision encoding: mantissa and power of ten, in cm.
fn precsize(cm: u64) -> Res<u8> {
    let mut exp = 0u8;
    let mut m = cm;
    while m >= 10 {
        m /= 10;
        exp += 1;
    }
    if exp > 9 {
        return Err(Fault::new(
            Code::BadLoc,
            "a LOC size or precision must be at most 90000000m",
        ));
    }
    Ok(((m as u8) << 4) | exp)
}

pub(crate) const SVC_KEYS: &[&str] = &[
    "mandatory",
    "alpn",
    "no-default-alpn",
    "port",
    "ipv4hint",
    "ech",
    "ipv6hint",
    "dohpath",
    "ohttp",
];

fn svc_key(name: &[u8]) -> Option<u16> {
    if let Some(pos) = SVC_KEYS.iter().position(|k| k.as_bytes() == name) {
        return Some(pos as u16);
    }
    let digits = name.strip_prefix(b"key")?;
    let v = parse_uint(digits, 65534, "a key number").ok()?;
    Some(v as u16)
}

/// Splits an RFC 9460 value-list on unescaped commas, decoding `\,` and `\\`.
fn value_list(v: &[u8]) -> Vec<Vec<u8>> {
    let mut items = vec![Vec::new()];
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b'\\' if i + 1 < v.len() => {
                if let Some(it) = items.last_mut() {
                    it.push(v[i + 1]);
                }
                i += 2;
            }
            b',' => {
                items.push(Vec::new());
                i += 1;
            }
            b => {
                if let Some(it) = items.last_mut() {
                    it.push(b);
                }
                i += 1;
            }
        }
    }
    items
}

/// Most parameters one SVCB/HTTPS record can hold: each takes at least
/// four octets of the 65,535.
const MAX_SVC_PARAMS: usize = 65535 / 4;

/// SVCB and HTTPS (RFC 9460 §2.1).
fn svcb(f: &mut Fields<'_>) -> Res<()> {
    f.u16("the priority")?;
    // BIND accepts the target name quoted.
    let t = f.next_string("the target name")?;
    let wire = parse_name(t, f.origin)?;
    f.out.extend_from_slice(&wire);
    let mut params: BTreeMap<u16, Vec<u8>> = BTreeMap::new();
    let mut mandatory: Vec<u16> = Vec::new();
    while f.has_more() {
        if params.len() == MAX_SVC_PARAMS {
            f.next_token("a parameter")?;
            return Err(Fault::new(
                Code::BadSvcParam,
                format!("more than {MAX_SVC_PARAMS} parameters cannot fit in one record"),
            ));
        }
        let tok = f.next_token("a parameter")?;
        let text = tok.text(f.src);
        let (key_text, mut raw) = match text.iter().position(|&b| b == b'=') {
            Some(p) => (&text[..p], Some(text[p + 1..].to_vec())),
            None => (text, None),
        };
        // `key="value"`: the quoted value is its own token right after `key=`.
        if raw.as_ref().is_some_and(Vec::is_empty)
            && let Some(next) = f.toks.get(f.pos)
            && next.quoted
            && next.start == tok.end + 1
        {
            raw = Some(next.text(f.src).to_vec());
            f.pos += 1;
        }
        let bad = |msg: String| Fault::new(Code::BadSvcParam, msg);
        let key = svc_key(key_text).ok_or_else(|| {
            bad(format!(
                "`{}` is not a service parameter key: use mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint, dohpath, ohttp or keyNNNNN",
                lossy(key_text)
            ))
        })?;
        let value = match &raw {
            Some(r) => Some(unescape(r)?),
            None => None,
        };
        let need = |v: Option<Vec<u8>>| {
            v.filter(|v| !v.is_empty()).ok_or_else(|| {
                bad(format!(
                    "`{}` needs a value: {}=...",
                    lossy(key_text),
                    lossy(key_text)
                ))
            })
        };
        let wire = match key {
            0 => {
                let mut keys = Vec::new();
                for item in value_list(&need(value)?) {
                    let k = svc_key(&item).ok_or_else(|| {
                        bad(format!("`{}` in mandatory is not a key", lossy(&item)))
                    })?;
                    if k == 0 {
                        return Err(bad("mandatory cannot list itself".into()));
                    }
                    keys.push(k);
                }
                keys.sort_unstable();
                if keys.windows(2).any(|w| w[0] == w[1]) {
                    return Err(bad("mandatory lists a key twice".into()));
                }
                mandatory = keys.clone();
                keys.iter().flat_map(|k| k.to_be_bytes()).collect()
            }
            1 => {
                let mut out = Vec::new();
                for item in value_list(&need(value)?) {
                    if item.is_empty() {
                        return Err(bad("alpn has an empty protocol id".into()));
                    }
                    push_charstr(&mut out, &item)?;
                }
                out
            }
            2 | 8 if raw.is_none() => Vec::new(),
            2 | 8 => return Err(bad(format!("`{}` takes no value", lossy(key_text)))),
            3 => {
                let v = need(value)?;
                let port = parse_uint(&v, 65535, "a port")? as u16;
                port.to_be_bytes().to_vec()
            }
            4 | 6 => {
                let mut out = Vec::new();
                for item in value_list(&need(value)?) {
                    let s = std::str::from_utf8(&item).unwrap_or("");
                    if key == 4 {
                        let a: Ipv4Addr = s.parse().map_err(|_| {
                            bad(format!("`{}` is not an IPv4 address", lossy(&item)))
                        })?;
                        out.extend_from_slice(&a.octets());
                    } else {
                        let a: Ipv6Addr = s.parse().map_err(|_| {
                            bad(format!("`{}` is not an IPv6 address", lossy(&item)))
                        })?;
                        out.extend_from_slice(&a.octets());
                    }
                }
                out
            }
            5 => BASE64
                .decode(&need(value)?)
                .map_err(|_| Fault::new(Code::BadBase64, "the ech value is not valid base64"))?,
            7 => need(value)?,
            _ => value.unwrap_or_default(),
        };
        if wire.len() > 65535 {
            return Err(bad("a parameter value is longer than 65535 octets".into()));
        }
        if params.insert(key, wire).is_some() {
            return Err(bad(format!("the key `{}` appears twice", lossy(key_text))));
        }
    }
    for k in &mandatory {
        if !params.contains_key(k) {
            return Err(bad_missing_mandatory(*k));
        }
    }
    for (k, v) in params {
        f.out.extend_from_slice(&k.to_be_bytes());
        f.out.extend_from_slice(&(v.len() as u16).to_be_bytes());
        f.out.extend_from_slice(&v);
    }
    Ok(())
}

fn bad_missing_mandatory(k: u16) -> Fault {
    let name = SVC_KEYS
        .get(k as usize)
        .map_or_else(|| format!("key{k}"), |s| s.to_string());
    Fault::new(
        Code::BadSvcParam,
        format!("mandatory lists `{name}` but the record has no `{name}` parameter"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmaps() {
        let mut out = Vec::new();
        encode_bitmap(&[1u16, 15, 46, 47, 1234].into_iter().collect(), &mut out);
        let mut want = vec![0, 6, 0x40, 0x01, 0, 0, 0, 0x03, 4, 27];
        want.extend([0; 26]);
        want.push(0x20);
        assert_eq!(out, want);
    }

    #[test]
    fn precision() {
        assert_eq!(precsize(100).unwrap(), 0x12);
        assert_eq!(precsize(1_000_000).unwrap(), 0x16);
        assert_eq!(precsize(0).unwrap(), 0x00);
    }
}
