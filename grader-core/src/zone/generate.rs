//! `$GENERATE` (BIND syntax): `$GENERATE start-stop[/step] lhs [ttl] [class] type rhs`.
//!
//! In `lhs` and `rhs`, `$` is the iterator, `${offset[,width[,base]]}` adds
//! an offset and formats it (base `d`, `o`, `x`, `X`, or `n`/`N` for reversed
//! nibbles as in ip6.arpa names), `$$` is a literal `$`, and a backslash
//! protects the next character. The arithmetic is BIND's: the iterator and
//! the offset are 32-bit signed numbers, the sum may not pass 2147483647, and
//! a negative value printed in octal, hexadecimal or nibbles is printed as
//! its 32-bit two's complement (`${-5,0,x}` at 1 is `fffffffc`).

use super::diag::Code;
use super::text::{Fault, Res, lossy, parse_uint};

/// The largest range bound, step or iterator value (BIND reads them as C `int`).
pub(crate) const MAX_VALUE: u32 = i32::MAX as u32;

/// A parsed `start-stop/step` range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Range {
    pub start: u32,
    pub stop: u32,
    pub step: u32,
}

impl Range {
    pub fn count(&self) -> u64 {
        u64::from((self.stop - self.start) / self.step) + 1
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> {
        (self.start..=self.stop).step_by(self.step as usize)
    }
}

pub(crate) fn parse_range(text: &[u8]) -> Res<Range> {
    let bad = || {
        Fault::new(
            Code::BadGenerate,
            format!(
                "`{}` is not a range: write start-stop or start-stop/step with numbers from 0 to {MAX_VALUE}, such as 1-100",
                lossy(text)
            ),
        )
    };
    let (range, step) = match text.iter().position(|&b| b == b'/') {
        Some(p) => (&text[..p], Some(&text[p + 1..])),
        None => (text, None),
    };
    let dash = range.iter().position(|&b| b == b'-').ok_or_else(bad)?;
    let max = u64::from(MAX_VALUE);
    let start = parse_uint(&range[..dash], max, "a range start").map_err(|_| bad())? as u32;
    let stop = parse_uint(&range[dash + 1..], max, "a range stop").map_err(|_| bad())? as u32;
    let step = match step {
        Some(s) => parse_uint(s, max, "a step").map_err(|_| bad())? as u32,
        None => 1,
    };
    if start > stop || step == 0 {
        return Err(Fault::new(
            Code::BadGenerate,
            format!(
                "`{}`: the start must not be above the stop, and the step must be at least 1",
                lossy(text)
            ),
        ));
    }
    Ok(Range { start, stop, step })
}

/// One `$` of a template: the value `iterator + delta`, formatted.
#[derive(Clone, Copy, Debug)]
struct Value {
    delta: i32,
    width: u32,
    /// `d`, `o`, `x`, `X`, `n` or `N`.
    base: u8,
}

/// BIND prints each value into a 128-byte buffer: 128 characters or more
/// is "ran out of space".
const MAX_FIELD: usize = 127;

impl Value {
    fn value(&self, it: u32) -> Res<i32> {
        let v = i64::from(it) + i64::from(self.delta);
        i32::try_from(v).map_err(|_| {
            Fault::new(
                Code::BadGenerate,
                format!(
                    "the iterator {it} plus the offset {} is {v}, above {MAX_VALUE} (out of range)",
                    self.delta
                ),
            )
        })
    }

    fn render(&self, it: u32, out: &mut Vec<u8>) -> Res<()> {
        let v = self.value(it)?;
        let w = self.width as usize;
        let u = v as u32; // C's `%o`/`%x` of an `int`: its 32-bit pattern
        match self.base {
            b'o' => out.extend_from_slice(format!("{u:0w$o}").as_bytes()),
            b'x' => out.extend_from_slice(format!("{u:0w$x}").as_bytes()),
            b'X' => out.extend_from_slice(format!("{u:0w$X}").as_bytes()),
            b'n' | b'N' => nibbles(u, self.width, self.base == b'N', out),
            _ => out.extend_from_slice(format!("{v:0w$}").as_bytes()),
        }
        Ok(())
    }

    fn len(&self, it: u32) -> usize {
        let mut out = Vec::new();
        match self.render(it, &mut out) {
            Ok(()) => out.len(),
            Err(_) => 0,
        }
    }
}

/// Reversed nibbles separated by dots, as BIND prints them: `width` counts
/// the characters, dots included.
fn nibbles(mut value: u32, mut width: u32, upper: bool, out: &mut Vec<u8>) {
    const LOWER: &[u8; 16] = b"0123456789abcdef";
    const UPPER: &[u8; 16] = b"0123456789ABCDEF";
    let digits = if upper { UPPER } else { LOWER };
    loop {
        out.push(digits[(value & 0xf) as usize]);
        value >>= 4;
        width = width.saturating_sub(1);
        if width > 0 || value != 0 {
            out.push(b'.');
            width = width.saturating_sub(1);
        }
        if value == 0 && width == 0 {
            break;
        }
    }
}

#[derive(Clone, Debug)]
enum Piece {
    Text(Vec<u8>),
    Value(Value),
}

/// A parsed `lhs` or `rhs` template.
#[derive(Clone, Debug)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
    /// Most bytes one expansion may have (BIND's buffer sizes).
    max: usize,
}

impl Template {
    /// Parses `text`; an expansion longer than `max` bytes is refused.
    pub fn parse(text: &[u8], max: usize) -> Res<Template> {
        let mut pieces = Vec::new();
        let mut lit = Vec::new();
        let mut i = 0;
        while i < text.len() {
            match text[i] {
                b'\\' => {
                    // The backslash and the byte it protects are both kept:
                    // the name or record-data reader decodes them.
                    lit.push(b'\\');
                    if let Some(&c) = text.get(i + 1) {
                        lit.push(c);
                    }
                    i += 2;
                }
                b'$' if text.get(i + 1) == Some(&b'$') => {
                    lit.push(b'$');
                    i += 2;
                }
                b'$' => {
                    if !lit.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut lit)));
                    }
                    let (value, used) = if text.get(i + 1) == Some(&b'{') {
                        modifier(&text[i + 1..])?
                    } else {
                        (
                            Value {
                                delta: 0,
                                width: 0,
                                base: b'd',
                            },
                            0,
                        )
                    };
                    pieces.push(Piece::Value(value));
                    i += 1 + used;
                }
                c => {
                    lit.push(c);
                    i += 1;
                }
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Text(lit));
        }
        Ok(Template { pieces, max })
    }

    /// Fails when some iterator value up to `stop` would overflow.
    pub fn check_range(&self, stop: u32) -> Res<()> {
        for p in &self.pieces {
            if let Piece::Value(v) = p {
                v.value(stop)?;
            }
        }
        Ok(())
    }

    /// The most bytes one expansion can have for an iterator in
    /// `start..=stop`: each value is longest at one end of the range (its
    /// length grows with its distance from zero, and every negative value
    /// has the same length in octal, hexadecimal and nibbles).
    pub fn max_len(&self, start: u32, stop: u32) -> u64 {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.len() as u64,
                Piece::Value(v) => v.len(start).max(v.len(stop)) as u64,
            })
            .sum()
    }

    /// Expands the template for iterator value `it`, appending to `out`.
    pub fn expand(&self, it: u32, out: &mut Vec<u8>) -> Res<()> {
        let before = out.len();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.extend_from_slice(t),
                Piece::Value(v) => v.render(it, out)?,
            }
        }
        if out.len() - before > self.max {
            return Err(Fault::new(
                Code::BadGenerate,
                format!(
                    "the text generated for {it} is {} bytes long, more than {} (ran out of space)",
                    out.len() - before,
                    self.max
                ),
            ));
        }
        Ok(())
    }
}

/// Parses `{offset[,width[,base]]}` at the start of `text` as BIND does
/// (`sscanf("{%d%1[,}]%u%1[,}]%1[doxXnN]%1[}]")`). Returns the value and the
/// number of bytes read.
fn modifier(text: &[u8]) -> Res<(Value, usize)> {
    let close = text.iter().position(|&b| b == b'}');
    let shown = &text[..close.map_or(text.len(), |c| c + 1)];
    let bad = || {
        Fault::new(
            Code::BadGenerate,
            format!(
                "`${}` is not a modifier: write ${{offset}}, ${{offset,width}} or ${{offset,width,base}} with base d, o, x, X, n or N (syntax error)",
                lossy(shown)
            ),
        )
    };
    let mut i = 1; // after `{`
    let delta = scan_int(text, &mut i).ok_or_else(bad)?;
    let mut value = Value {
        delta: delta as i32, // C stores `%d` into an `int`
        width: 0,
        base: b'd',
    };
    match text.get(i) {
        Some(b'}') => return Ok((value, i + 1)),
        Some(b',') => i += 1,
        _ => return Err(bad()),
    }
    value.width = scan_uint(text, &mut i).ok_or_else(bad)? as u32; // `%u` into `unsigned int`
    match text.get(i) {
        Some(b'}') => {}
        Some(b',') => {
            i += 1;
            match text.get(i) {
                Some(&b) if b"doxXnN".contains(&b) => value.base = b,
                _ => return Err(bad()),
            }
            i += 1;
            if text.get(i) != Some(&b'}') {
                return Err(bad());
            }
        }
        _ => return Err(bad()),
    }
    if value.width as usize > MAX_FIELD {
        return Err(Fault::new(
            Code::BadGenerate,
            format!(
                "`${}`: a width above {MAX_FIELD} does not fit (ran out of space)",
                lossy(shown)
            ),
        ));
    }
    Ok((value, i + 1))
}

fn skip_space(text: &[u8], i: &mut usize) {
    while text.get(*i).is_some_and(u8::is_ascii_whitespace) {
        *i += 1;
    }
}

/// The digits of a C `strtol`/`strtoul` number at `text[*i]`: blanks, a
/// sign, then at least one digit. Returns (negative, magnitude, clamped).
fn scan_digits(text: &[u8], i: &mut usize) -> Option<(bool, u64, bool)> {
    skip_space(text, i);
    let neg = match text.get(*i) {
        Some(b'-') => {
            *i += 1;
            true
        }
        Some(b'+') => {
            *i += 1;
            false
        }
        _ => false,
    };
    let first = *i;
    let mut v: u64 = 0;
    let mut overflow = false;
    while let Some(d) = text.get(*i).filter(|d| d.is_ascii_digit()) {
        match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
        {
            Some(n) => v = n,
            None => overflow = true,
        }
        *i += 1;
    }
    (*i > first).then_some((neg, v, overflow))
}

/// `%d`: `strtol` (clamped to the 64-bit `long` range), later truncated to
/// an `int` by the caller.
fn scan_int(text: &[u8], i: &mut usize) -> Option<i64> {
    let (neg, v, overflow) = scan_digits(text, i)?;
    let v = if overflow { u64::MAX } else { v };
    let signed = if neg { -i128::from(v) } else { i128::from(v) };
    Some(signed.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

/// `%u`: `strtoul` (clamped to 2^64-1, a minus sign negates modulo 2^64).
fn scan_uint(text: &[u8], i: &mut usize) -> Option<u64> {
    let (neg, v, overflow) = scan_digits(text, i)?;
    let v = if overflow { u64::MAX } else { v };
    Some(if neg && !overflow {
        v.wrapping_neg()
    } else {
        v
    })
}

/// BIND's quoted-string reading, for a quoted rhs: `\"` stands for `"`;
/// every other escape is kept as written (the rhs is read a second time).
pub(crate) fn unquote(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\' {
            match raw.get(i + 1) {
                Some(b'"') => out.push(b'"'),
                Some(&c) => {
                    out.push(b'\\');
                    out.push(c);
                }
                None => out.push(b'\\'),
            }
            i += 2;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(template: &[u8], it: u32) -> Res<Vec<u8>> {
        let t = Template::parse(template, 65535)?;
        let mut out = Vec::new();
        t.expand(it, &mut out)?;
        Ok(out)
    }

    #[test]
    fn templates() {
        assert_eq!(expand(b"host$", 7).unwrap(), b"host7");
        assert_eq!(expand(b"host${10,3,d}", 7).unwrap(), b"host017");
        assert_eq!(expand(b"h${0,2,x}", 255).unwrap(), b"hff");
        assert_eq!(expand(b"$$x\\$", 1).unwrap(), b"$x\\$");
        assert_eq!(expand(b"${-1}", 1).unwrap(), b"0");
        assert_eq!(expand(b"${0,3,n}", 0x12).unwrap(), b"2.1");
        assert_eq!(expand(b"${0,7,N}", 0xab).unwrap(), b"B.A.0.0");
        assert_eq!(expand(b"${0,3}", 1).unwrap(), b"001");
        assert_eq!(expand(b"${+1}", 1).unwrap(), b"2");
        assert!(expand(b"${0,1,q}", 1).is_err());
        assert!(expand(b"${0", 1).is_err());
    }

    #[test]
    fn bind_modifier_syntax() {
        // Refused by BIND: an empty offset, an empty width, junk, a fourth part.
        for bad in [
            &b"${}"[..],
            b"${,3}",
            b"${0,,x}",
            b"${0,3x}",
            b"${0,3,x,y}",
            b"${0,3,D}",
        ] {
            assert!(expand(bad, 1).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert!(expand(b"${0,128}", 1).is_err(), "ran out of space");
        assert_eq!(expand(b"${0,127}", 1).unwrap().len(), 127);
    }

    #[test]
    fn negative_values_are_32_bit() {
        assert_eq!(expand(b"${-5,0,x}", 1).unwrap(), b"fffffffc");
        assert_eq!(expand(b"${-5,0,o}", 1).unwrap(), b"37777777774");
        assert_eq!(expand(b"${-5,3,d}", 1).unwrap(), b"-04");
        assert_eq!(expand(b"${-5,0,n}", 1).unwrap(), b"c.f.f.f.f.f.f.f");
        // C's `%d` keeps the low 32 bits of a larger offset.
        assert_eq!(expand(b"${4294967295}", 1).unwrap(), b"0");
        assert!(expand(b"${1}", MAX_VALUE).is_err(), "out of range");
    }

    #[test]
    fn ranges() {
        let r = parse_range(b"1-10/3").unwrap();
        assert_eq!(r.iter().collect::<Vec<_>>(), vec![1, 4, 7, 10]);
        assert_eq!(r.count(), 4);
        assert!(parse_range(b"10-1").is_err());
        assert!(parse_range(b"1-10/0").is_err());
        assert!(parse_range(b"x").is_err());
        assert!(parse_range(b"0-2147483647").is_ok());
        assert!(parse_range(b"0-2147483648").is_err());
        assert!(parse_range(b"0-1/2147483648").is_err());
    }

    #[test]
    fn lengths_bound_every_expansion() {
        let t = Template::parse(b"a${-10}b${0,0,x}", 65535).unwrap();
        let max = t.max_len(0, 20);
        for it in 0..=20 {
            let mut out = Vec::new();
            t.expand(it, &mut out).unwrap();
            assert!(out.len() as u64 <= max, "{it}");
        }
        assert_eq!(unquote(br#"a\"b\\c\010"#), br#"a"b\\c\010"#);
    }
}
