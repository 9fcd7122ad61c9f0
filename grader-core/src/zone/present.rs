//! Record data in presentation form, from its wire form: what checkers see.
//!
//! Common types get their usual text (`10 mail.example.`, quoted TXT
//! strings with escapes, upper-case hex for DS); every other type, and any
//! data that does not parse, gets the RFC 3597 form `\# len hex`, which is
//! always exact.

use data_encoding::{BASE32HEX_NOPAD, BASE64, HEXUPPER};

use super::rdata::SVC_KEYS;
use super::text::name_to_string;
use super::types::type_name;

struct Cursor<'a> {
    wire: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.wire.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// An uncompressed name.
    fn name(&mut self) -> Option<String> {
        let start = self.pos;
        loop {
            let len = self.u8()? as usize;
            if len == 0 {
                break;
            }
            if len > 63 {
                return None;
            }
            self.take(len)?;
        }
        Some(name_to_string(&self.wire[start..self.pos]))
    }
    fn charstr(&mut self) -> Option<String> {
        let len = self.u8()? as usize;
        Some(quote(self.take(len)?))
    }
    fn rest(&mut self) -> &'a [u8] {
        let r = &self.wire[self.pos.min(self.wire.len())..];
        self.pos = self.wire.len();
        r
    }
    fn done(&self) -> bool {
        self.pos == self.wire.len()
    }
}

/// A quoted character-string, escaping `"` and `\` and non-printable bytes.
pub(crate) fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out.push('"');
    out
}

/// The RFC 3597 generic form.
pub fn generic(wire: &[u8]) -> String {
    if wire.is_empty() {
        "\\# 0".to_string()
    } else {
        format!(
            "\\# {} {}",
            wire.len(),
            HEXUPPER.encode(wire).to_lowercase()
        )
    }
}

/// Presentation form of `wire`, the data of a record of type `rtype`.
///
/// The DNSSEC types RRSIG, NSEC, NSEC3 and NSEC3PARAM are given in their
/// presentation form too (RRSIG times as seconds since 1970); data that
/// does not split into the type's fields is given in RFC 3597 form.
pub fn rdata_text(rtype: u16, wire: &[u8]) -> String {
    known(rtype, wire)
        .or_else(|| {
            matches!(rtype, 46 | 47 | 50 | 51)
                .then(|| full_text(rtype, wire))
                .flatten()
        })
        .unwrap_or_else(|| generic(wire))
}

fn known(rtype: u16, wire: &[u8]) -> Option<String> {
    let mut c = Cursor { wire, pos: 0 };
    let text = match rtype {
        1 => std::net::Ipv4Addr::from(<[u8; 4]>::try_from(c.take(4)?).ok()?).to_string(),
        28 => std::net::Ipv6Addr::from(<[u8; 16]>::try_from(c.take(16)?).ok()?).to_string(),
        2 | 5 | 12 | 39 => c.name()?,
        6 => {
            let (m, r) = (c.name()?, c.name()?);
            let v: Vec<String> = (0..5)
                .map(|_| c.u32().map(|x| x.to_string()))
                .collect::<Option<_>>()?;
            format!("{m} {r} {}", v.join(" "))
        }
        13 => format!("{} {}", c.charstr()?, c.charstr()?),
        15 => format!("{} {}", c.u16()?, c.name()?),
        16 | 99 => {
            let mut parts = Vec::new();
            while !c.done() {
                parts.push(c.charstr()?);
            }
            if parts.is_empty() {
                return None;
            }
            parts.join(" ")
        }
        33 => format!("{} {} {} {}", c.u16()?, c.u16()?, c.u16()?, c.name()?),
        35 => format!(
            "{} {} {} {} {} {}",
            c.u16()?,
            c.u16()?,
            c.charstr()?,
            c.charstr()?,
            c.charstr()?,
            c.name()?
        ),
        43 | 59 => format!(
            "{} {} {} {}",
            c.u16()?,
            c.u8()?,
            c.u8()?,
            hex_or_dash(c.rest())
        ),
        44 => format!("{} {} {}", c.u8()?, c.u8()?, hex_or_dash(c.rest())),
        48 | 60 => format!(
            "{} {} {} {}",
            c.u16()?,
            c.u8()?,
            c.u8()?,
            BASE64.encode(c.rest())
        ),
        52 | 53 => format!(
            "{} {} {} {}",
            c.u8()?,
            c.u8()?,
            c.u8()?,
            hex_or_dash(c.rest())
        ),
        257 => {
            let flags = c.u8()?;
            let tag_len = c.u8()? as usize;
            let tag = c.take(tag_len)?;
            if tag.is_empty() || !tag.iter().all(u8::is_ascii_alphanumeric) {
                return None;
            }
            format!(
                "{flags} {} {}",
                String::from_utf8_lossy(tag),
                quote(c.rest())
            )
        }
        256 => format!("{} {} {}", c.u16()?, c.u16()?, quote(c.rest())),
        _ => return None,
    };
    c.done().then_some(text)
}

/// The presentation form of `wire` for every type the reader has a text
/// form for, written so that the reader reads it back to exactly `wire`
/// when `wire` is valid: absolute names, quoted strings, numbers for
/// numeric fields. `None` when the data cannot even be split into the
/// type's fields (truncated, a compression pointer, a missing field).
///
/// Used to validate RFC 3597 `\#` data of known types: the data is valid
/// when this text reads back to the same bytes.
pub(crate) fn full_text(rtype: u16, wire: &[u8]) -> Option<String> {
    if matches!(
        rtype,
        1 | 2 | 5 | 6 | 12 | 13 | 15 | 16 | 28 | 33 | 35 | 39 | 99 | 257
    ) {
        return known(rtype, wire);
    }
    let mut c = Cursor { wire, pos: 0 };
    let text = match rtype {
        17 => format!("{} {}", c.name()?, c.name()?),
        18 => format!("{} {}", c.u16()?, c.name()?),
        29 => loc(&mut c)?,
        43 | 59 | 44 | 52 | 53 => {
            let head = match rtype {
                43 | 59 => format!("{} {} {}", c.u16()?, c.u8()?, c.u8()?),
                44 => format!("{} {}", c.u8()?, c.u8()?),
                _ => format!("{} {} {}", c.u8()?, c.u8()?, c.u8()?),
            };
            format!("{head} {}", nonempty(c.rest()).map(|b| HEXUPPER.encode(b))?)
        }
        46 => format!(
            "{} {} {} {} {} {} {} {} {}",
            type_name(c.u16()?),
            c.u8()?,
            c.u8()?,
            c.u32()?,
            c.u32()?,
            c.u32()?,
            c.u16()?,
            c.name()?,
            nonempty(c.rest()).map(|b| BASE64.encode(b))?
        ),
        47 => format!("{}{}", c.name()?, type_list(c.rest())?),
        48 | 60 => format!(
            "{} {} {} {}",
            c.u16()?,
            c.u8()?,
            c.u8()?,
            nonempty(c.rest()).map(|b| BASE64.encode(b))?
        ),
        50 | 51 => {
            let head = format!("{} {} {} {}", c.u8()?, c.u8()?, c.u16()?, salt(&mut c)?);
            if rtype == 51 {
                head
            } else {
                let len = c.u8()? as usize;
                let hash = BASE32HEX_NOPAD.encode(nonempty(c.take(len)?)?);
                format!("{head} {hash}{}", type_list(c.rest())?)
            }
        }
        61 => nonempty(c.rest()).map(|b| BASE64.encode(b))?,
        63 => format!(
            "{} {} {} {}",
            c.u32()?,
            c.u8()?,
            c.u8()?,
            nonempty(c.rest()).map(|b| HEXUPPER.encode(b))?
        ),
        64 | 65 => svcb(&mut c)?,
        256 => format!("{} {} {}", c.u16()?, c.u16()?, quote(c.rest())),
        _ => return None,
    };
    c.done().then_some(text)
}

fn nonempty(bytes: &[u8]) -> Option<&[u8]> {
    (!bytes.is_empty()).then_some(bytes)
}

fn salt(c: &mut Cursor<'_>) -> Option<String> {
    let len = c.u8()? as usize;
    let salt = c.take(len)?;
    Some(if salt.is_empty() {
        "-".to_string()
    } else {
        HEXUPPER.encode(salt)
    })
}

/// An RFC 4034 §4.1.2 type bitmap as ` TYPE TYPE...` (the reader encodes
/// the list again; a bitmap that is not in canonical form reads back to
/// other bytes).
fn type_list(mut bitmap: &[u8]) -> Option<String> {
    let mut out = String::new();
    while !bitmap.is_empty() {
        let (&window, rest) = bitmap.split_first()?;
        let (&len, rest) = rest.split_first()?;
        let bits = rest.get(..len as usize)?;
        for (i, &byte) in bits.iter().enumerate() {
            for bit in 0..8 {
                if byte & (0x80 >> bit) != 0 {
                    let code = u16::from(window) << 8 | (i * 8 + bit) as u16;
                    out.push(' ');
                    out.push_str(&type_name(code));
                }
            }
        }
        bitmap = &rest[len as usize..];
    }
    Some(out)
}

/// A LOC record (RFC 1876) in the reader's text form.
fn loc(c: &mut Cursor<'_>) -> Option<String> {
    if c.u8()? != 0 {
        return None;
    }
    let mut prec = Vec::new();
    for _ in 0..3 {
        let b = c.u8()?;
        let (m, e) = (u64::from(b >> 4), u32::from(b & 0xf));
        if m > 9 || e > 9 {
            return None;
        }
        prec.push(metres(i64::try_from(m * 10u64.pow(e)).ok()?));
    }
    let coord = |v: u32, max_deg: i64, pos: char, neg: char| -> Option<String> {
        let v = i64::from(v) - (1 << 31);
        if v.abs() > max_deg * 3_600_000 {
            return None;
        }
        let a = v.abs();
        Some(format!(
            "{} {} {}.{:03} {}",
            a / 3_600_000,
            a / 60_000 % 60,
            a / 1000 % 60,
            a % 1000,
            if v < 0 { neg } else { pos }
        ))
    };
    let lat = coord(c.u32()?, 90, 'N', 'S')?;
    let lon = coord(c.u32()?, 180, 'E', 'W')?;
    let alt = i64::from(c.u32()?) - 10_000_000;
    Some(format!("{lat} {lon} {} {}", metres(alt), prec.join(" ")))
}

/// Centimetres as metres with two decimals and a unit: `-2.50m`.
fn metres(cm: i64) -> String {
    let sign = if cm < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}m", cm.abs() / 100, cm.abs() % 100)
}

/// SVCB/HTTPS data (RFC 9460) in the reader's text form.
fn svcb(c: &mut Cursor<'_>) -> Option<String> {
    let mut out = format!("{} {}", c.u16()?, c.name()?);
    while !c.done() {
        let key = c.u16()?;
        let len = c.u16()? as usize;
        let value = c.take(len)?;
        let name = SVC_KEYS
            .get(key as usize)
            .map_or_else(|| format!("key{key}"), |k| (*k).to_string());
        out.push(' ');
        out.push_str(&name);
        let text = match key {
            0 => {
                if value.is_empty() || value.len() % 2 != 0 {
                    return None;
                }
                let keys: Vec<String> = value
                    .chunks(2)
                    .map(|k| {
                        let k = u16::from_be_bytes([k[0], k[1]]);
                        SVC_KEYS
                            .get(k as usize)
                            .map_or_else(|| format!("key{k}"), |n| (*n).to_string())
                    })
                    .collect();
                keys.join(",")
            }
            1 => {
                let mut items = Vec::new();
                let mut v = Cursor {
                    wire: value,
                    pos: 0,
                };
                while !v.done() {
                    let len = v.u8()? as usize;
                    let mut item = Vec::new();
                    for &b in v.take(len)? {
                        // The value-list level escapes `,` and `\`.
                        if b == b',' || b == b'\\' {
                            item.push(b'\\');
                        }
                        item.push(b);
                    }
                    items.push(bare(&item));
                }
                if items.is_empty() {
                    return None;
                }
                items.join(",")
            }
            2 | 8 if value.is_empty() => continue,
            3 => u16::from_be_bytes(value.try_into().ok()?).to_string(),
            4 | 6 => {
                let size = if key == 4 { 4 } else { 16 };
                if value.is_empty() || value.len() % size != 0 {
                    return None;
                }
                let addrs: Vec<String> = value
                    .chunks(size)
                    .map(|a| match <[u8; 4]>::try_from(a) {
                        Ok(v4) => std::net::Ipv4Addr::from(v4).to_string(),
                        Err(_) => <[u8; 16]>::try_from(a)
                            .map(|v6| std::net::Ipv6Addr::from(v6).to_string())
                            .unwrap_or_default(),
                    })
                    .collect();
                addrs.join(",")
            }
            5 => BASE64.encode(nonempty(value)?),
            _ if value.is_empty() => continue,
            _ => bare(value),
        };
        out.push('=');
        out.push_str(&text);
    }
    Some(out)
}

/// Bytes as one unquoted field: printable characters as they are, `\` as
/// `\\`, and everything that would end or split the field as `\DDD`.
fn bare(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' | b';' | b'(' | b')' => out.push_str(&format!("\\{b:03}")),
            0x21..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out
}

fn hex_or_dash(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "-".to_string()
    } else {
        HEXUPPER.encode(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_types() {
        assert_eq!(rdata_text(1, &[192, 0, 2, 1]), "192.0.2.1");
        assert_eq!(
            rdata_text(15, b"\x00\x0a\x04mail\x07example\x00"),
            "10 mail.example."
        );
        assert_eq!(rdata_text(16, b"\x05a \"b\\\x01c"), "\"a \\\"b\\\\\" \"c\"");
        assert_eq!(
            rdata_text(257, b"\x00\x05issueca.example"),
            "0 issue \"ca.example\""
        );
        assert_eq!(rdata_text(65280, &[0xab, 0xcd]), "\\# 2 abcd");
        // Truncated data falls back to the generic form.
        assert_eq!(rdata_text(15, &[0, 10, 4, b'm']), "\\# 4 000a046d");
    }
}
