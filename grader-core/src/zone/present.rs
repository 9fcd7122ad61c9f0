//! Record data in presentation form, from its wire form: what checkers see.
//!
//! Common types get their usual text (`10 mail.example.`, quoted TXT
//! strings with escapes, upper-case hex for DS); every other type, and any
//! data that does not parse, gets the RFC 3597 form `\# len hex`, which is
//! always exact.

use data_encoding::{BASE64, HEXUPPER};

use super::text::name_to_string;

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
fn quote(bytes: &[u8]) -> String {
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
pub fn rdata_text(rtype: u16, wire: &[u8]) -> String {
    known(rtype, wire).unwrap_or_else(|| generic(wire))
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
