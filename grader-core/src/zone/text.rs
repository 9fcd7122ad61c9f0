//! Decoding of the small pieces of presentation format: names, strings,
//! numbers, TTLs and signature times.

use super::diag::Code;

/// A problem with one token; the caller knows which token and adds the
/// position.
#[derive(Debug)]
pub(crate) struct Fault {
    pub code: Code,
    pub message: String,
}

impl Fault {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Fault {
            code,
            message: message.into(),
        }
    }
}

pub(crate) type Res<T> = Result<T, Fault>;

/// Lossy, shortened text of a token for messages.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    super::sink::shown(bytes)
}

/// Decodes one backslash escape at `text[i]` (which is `\`). Returns the
/// byte and the number of input bytes used.
fn escape(text: &[u8], i: usize) -> Res<(u8, usize)> {
    match text.get(i + 1) {
        None => Err(Fault::new(
            Code::BadEscape,
            "a backslash at the end of a word escapes nothing: remove it or write `\\\\`",
        )),
        Some(d) if d.is_ascii_digit() => {
            let digits = text
                .get(i + 1..i + 4)
                .filter(|d| d.iter().all(u8::is_ascii_digit));
            let Some(digits) = digits else {
                return Err(Fault::new(
                    Code::BadEscape,
                    "a `\\DDD` escape needs exactly three decimal digits, such as `\\032`",
                ));
            };
            let v = digits
                .iter()
                .fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
            if v > 255 {
                return Err(Fault::new(
                    Code::BadEscape,
                    format!(
                        "`\\{}` is not a byte: a `\\DDD` escape must be 255 or less",
                        lossy(digits)
                    ),
                ));
            }
            Ok((v as u8, 4))
        }
        Some(&c) => Ok((c, 2)),
    }
}

/// Decodes the escapes of a character-string or other text field.
pub(crate) fn unescape(text: &[u8]) -> Res<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\\' {
            let (b, n) = escape(text, i)?;
            out.push(b);
            i += n;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// The wire form of the root name.
pub(crate) const ROOT: &[u8] = &[0];

/// Parses a domain name in presentation form into wire form (uncompressed,
/// case kept, ending with the root label). `@` is the origin; a name without
/// a trailing dot is relative to the origin.
pub(crate) fn parse_name(text: &[u8], origin: Option<&[u8]>) -> Res<Vec<u8>> {
    if text == b"@" {
        return origin.map(<[u8]>::to_vec).ok_or_else(no_origin);
    }
    if text == b"." {
        return Ok(ROOT.to_vec());
    }
    if text.is_empty() {
        return Err(Fault::new(Code::EmptyLabel, "a name cannot be empty"));
    }
    let mut wire = Vec::with_capacity(text.len() + 2 + origin.map_or(0, <[u8]>::len));
    let mut label_start = 0;
    wire.push(0);
    let mut i = 0;
    let mut absolute = false;
    while i < text.len() {
        match text[i] {
            b'.' => {
                let len = wire.len() - label_start - 1;
                if len == 0 {
                    return Err(Fault::new(
                        Code::EmptyLabel,
                        "empty label: a name cannot start with a dot or have two dots in a row",
                    ));
                }
                close_label(&mut wire, label_start, len)?;
                if i + 1 == text.len() {
                    absolute = true;
                } else {
                    label_start = wire.len();
                    wire.push(0);
                }
                i += 1;
            }
            b'\\' => {
                let (b, n) = escape(text, i)?;
                wire.push(b);
                i += n;
            }
            b => {
                wire.push(b);
                i += 1;
            }
        }
    }
    if !absolute {
        let len = wire.len() - label_start - 1;
        close_label(&mut wire, label_start, len)?;
        let origin = origin.ok_or_else(no_origin)?;
        wire.extend_from_slice(origin);
    } else {
        wire.push(0);
    }
    if wire.len() > 255 {
        return Err(Fault::new(
            Code::NameTooLong,
            format!(
                "this name is {} octets long in wire form; the limit is 255",
                wire.len()
            ),
        ));
    }
    Ok(wire)
}

fn close_label(wire: &mut [u8], label_start: usize, len: usize) -> Res<()> {
    if len > 63 {
        return Err(Fault::new(
            Code::LabelTooLong,
            format!("a label is {len} octets long; the limit is 63 per label"),
        ));
    }
    wire[label_start] = len as u8;
    Ok(())
}

fn no_origin() -> Fault {
    Fault::new(
        Code::RelativeNameWithoutOrigin,
        "this name is relative (no trailing dot) but no origin is known: add `$ORIGIN`, give the origin, or end the name with a dot",
    )
}

/// Presentation form of a wire name, for messages and output.
pub(crate) fn name_to_string(wire: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while let Some(&len) = wire.get(i) {
        if len == 0 {
            break;
        }
        let label = &wire[i + 1..(i + 1 + len as usize).min(wire.len())];
        for &b in label {
            match b {
                b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' => {
                    out.push('\\');
                    out.push(b as char);
                }
                0x21..=0x7e => out.push(b as char),
                _ => out.push_str(&format!("\\{b:03}")),
            }
        }
        out.push('.');
        i += 1 + len as usize;
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Displays a hickory name in presentation form with RFC 1035 decimal
/// escapes (`\032`), as the student wrote it.
pub struct Shown<'a>(pub &'a hickory_proto::rr::Name);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut wire = Vec::with_capacity(self.0.len() + 1);
        for label in self.0.iter() {
            wire.push(label.len() as u8);
            wire.extend_from_slice(label);
        }
        wire.push(0);
        f.write_str(&name_to_string(&wire))
    }
}

/// Parses an unsigned decimal number no larger than `max`.
pub(crate) fn parse_uint(text: &[u8], max: u64, what: &str) -> Res<u64> {
    let bad = || {
        Fault::new(
            Code::BadNumber,
            format!(
                "expected {what} (a whole number from 0 to {max}), found `{}`",
                lossy(text)
            ),
        )
    };
    if text.is_empty() || text.len() > 20 || !text.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let v = text.iter().try_fold(0u64, |a, d| {
        a.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    });
    v.filter(|&v| v <= max).ok_or_else(bad)
}

/// The largest TTL RFC 2181 §8 allows; larger values are read as 0.
pub(crate) const MAX_TTL: u32 = 0x7fff_ffff;

/// Parses a TTL: seconds, or a number with units (`1h30m`, `2d`, `1W`), up
/// to 2^32-1 (the caller applies [`MAX_TTL`]). As in BIND, once units are
/// used every number needs one: `1h30` is refused.
pub(crate) fn parse_ttl(text: &[u8]) -> Res<u32> {
    let bad = |why: &str| {
        Fault::new(
            Code::BadTtl,
            format!(
                "`{}` is not a TTL{why}: write seconds (`3600`) or units such as `1h30m`",
                lossy(text)
            ),
        )
    };
    if text.is_empty() || !text[0].is_ascii_digit() {
        return Err(bad(""));
    }
    let mut total: u64 = 0;
    let mut num: Option<u64> = None;
    let mut units = false;
    for &c in text {
        if c.is_ascii_digit() {
            let n = num
                .unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(u64::from(c - b'0'));
            num = Some(n.min(u64::from(u32::MAX) * 10));
            continue;
        }
        let mult = match c.to_ascii_lowercase() {
            b's' => 1,
            b'm' => 60,
            b'h' => 3600,
            b'd' => 86_400,
            b'w' => 604_800,
            _ => return Err(bad("")),
        };
        let Some(n) = num.take() else {
            return Err(bad(""));
        };
        total = total.saturating_add(n.saturating_mul(mult));
        units = true;
    }
    if let Some(n) = num {
        if units {
            // `1h30`: BIND refuses a number without a unit after units.
            return Err(Fault::new(
                Code::BadTtl,
                format!(
                    "`{}` is not a TTL: once units are used every number needs one (write `{}s`, or seconds only)",
                    lossy(text),
                    lossy(text)
                ),
            ));
        }
        total = n;
    }
    u32::try_from(total).map_err(|_| {
        Fault::new(
            Code::BadTtl,
            format!("TTL `{}` does not fit in 32 bits", lossy(text)),
        )
    })
}

/// Parses an RRSIG time as BIND does: 14 digits are a date
/// `YYYYMMDDHHMMSS` (UTC, years 0000-9999, second 60 allowed), at most 10
/// digits are seconds since 1970 (up to 2^32-1), any other length is
/// refused. Returns the 32-bit serial-arithmetic value (RFC 4034 §3.1.5):
/// dates outside 1970-2106 wrap modulo 2^32.
pub(crate) fn parse_sig_time(text: &[u8]) -> Res<u32> {
    let bad = || {
        Fault::new(
            Code::BadTime,
            format!(
                "expected a time as YYYYMMDDHHMMSS (UTC), such as 20261231235959, or seconds since 1970, found `{}`",
                lossy(text)
            ),
        )
    };
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    if text.len() <= 10 {
        return parse_uint(text, u64::from(u32::MAX), "a time")
            .map(|v| v as u32)
            .map_err(|_| bad());
    }
    if text.len() != 14 {
        return Err(bad());
    }
    let n = |a: usize, b: usize| {
        text[a..b]
            .iter()
            .fold(0i64, |v, d| v * 10 + i64::from(d - b'0'))
    };
    let (y, mo, d, h, mi, s) = (n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mdays = [
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
    if !(1..=12).contains(&mo)
        || d < 1
        || d > mdays[(mo - 1) as usize]
        || h > 23
        || mi > 59
        || s > 60
    {
        return Err(bad());
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
    Ok((secs as u64 & 0xffff_ffff) as u32)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let origin = parse_name(b"example.", None).unwrap();
        assert_eq!(origin, b"\x07example\x00");
        assert_eq!(
            parse_name(b"www", Some(&origin)).unwrap(),
            b"\x03www\x07example\x00"
        );
        assert_eq!(parse_name(b"a\\.b.", None).unwrap(), b"\x03a.b\x00");
        assert_eq!(parse_name(b"\\065.", None).unwrap(), b"\x01A\x00");
        assert_eq!(parse_name(b"@", Some(&origin)).unwrap(), origin);
        assert_eq!(
            parse_name(b"a..b.", None).unwrap_err().code,
            Code::EmptyLabel
        );
        assert_eq!(
            parse_name(b"\\256.", None).unwrap_err().code,
            Code::BadEscape
        );
        assert_eq!(parse_name(b"a\\", None).unwrap_err().code, Code::BadEscape);
        assert_eq!(
            parse_name(b"www", None).unwrap_err().code,
            Code::RelativeNameWithoutOrigin
        );
        let long = [b'a'; 64];
        assert_eq!(
            parse_name(&long, Some(&origin)).unwrap_err().code,
            Code::LabelTooLong
        );
        assert_eq!(name_to_string(b"\x03a.b\x07example\x00"), "a\\.b.example.");
    }

    #[test]
    fn ttls() {
        assert_eq!(parse_ttl(b"3600").unwrap(), 3600);
        assert_eq!(parse_ttl(b"1h30m").unwrap(), 5400);
        assert_eq!(parse_ttl(b"1W2D").unwrap(), 604_800 + 2 * 86_400);
        assert_eq!(parse_ttl(b"2147483647").unwrap(), 2_147_483_647);
        assert_eq!(parse_ttl(b"4294967295").unwrap(), u32::MAX);
        assert_eq!(parse_ttl(b"4294967296").unwrap_err().code, Code::BadTtl);
        assert!(parse_ttl(b"1x").is_err());
        assert!(parse_ttl(b"h").is_err());
        // BIND: a number without a unit after units is refused.
        assert_eq!(parse_ttl(b"1h30").unwrap_err().code, Code::BadTtl);
        assert_eq!(parse_ttl(b"1h30s").unwrap(), 3630);
    }

    #[test]
    fn times() {
        assert_eq!(parse_sig_time(b"20040409183619").unwrap(), 1_081_535_779);
        assert_eq!(parse_sig_time(b"1081535779").unwrap(), 1_081_535_779);
        assert!(parse_sig_time(b"20041309183619").is_err());
        // BIND: dates before 1970 wrap, second 60 is allowed, and 11 to 13
        // or more than 14 digits are refused.
        assert_eq!(
            parse_sig_time(b"19691231235959").unwrap(),
            u32::MAX,
            "one second before 1970"
        );
        assert_eq!(
            parse_sig_time(b"20300101235960").unwrap(),
            parse_sig_time(b"20300102000000").unwrap()
        );
        assert!(parse_sig_time(b"12345678901").is_err());
        assert!(parse_sig_time(b"123456789012345").is_err());
        assert!(parse_sig_time(b"4294967296").is_err());
    }
}
