//! `$GENERATE` (BIND syntax): `$GENERATE start-stop[/step] lhs [ttl] [class] type rhs`.
//!
//! In `lhs` and `rhs`, `$` is the iterator, `${offset[,width[,base]]}` adds
//! an offset and formats it (base `d`, `o`, `x`, `X`, or `n`/`N` for reversed
//! nibbles as in ip6.arpa names), `$$` is a literal `$`, and a backslash
//! protects the next character.

use super::diag::Code;
use super::text::{Fault, Res, lossy, parse_uint};

/// A parsed `start-stop/step` range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Range {
    pub start: u64,
    pub stop: u64,
    pub step: u64,
}

impl Range {
    pub fn count(&self) -> u64 {
        (self.stop - self.start) / self.step + 1
    }

    pub fn iter(&self) -> impl Iterator<Item = u64> {
        (self.start..=self.stop).step_by(self.step as usize)
    }
}

pub(crate) fn parse_range(text: &[u8]) -> Res<Range> {
    let bad = || {
        Fault::new(
            Code::BadGenerate,
            format!(
                "`{}` is not a range: write start-stop or start-stop/step, such as 1-100",
                lossy(text)
            ),
        )
    };
    let (range, step) = match text.iter().position(|&b| b == b'/') {
        Some(p) => (&text[..p], Some(&text[p + 1..])),
        None => (text, None),
    };
    let dash = range.iter().position(|&b| b == b'-').ok_or_else(bad)?;
    let max = u64::from(u32::MAX);
    let start = parse_uint(&range[..dash], max, "a range start").map_err(|_| bad())?;
    let stop = parse_uint(&range[dash + 1..], max, "a range stop").map_err(|_| bad())?;
    let step = match step {
        Some(s) => parse_uint(s, max, "a step").map_err(|_| bad())?,
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

/// Expands one template for iterator value `it`.
pub(crate) fn expand(template: &[u8], it: u64) -> Res<Vec<u8>> {
    let mut out = Vec::with_capacity(template.len() + 8);
    let mut i = 0;
    while i < template.len() {
        match template[i] {
            b'\\' => {
                out.push(b'\\');
                if let Some(&c) = template.get(i + 1) {
                    out.push(c);
                }
                i += 2;
            }
            b'$' if template.get(i + 1) == Some(&b'$') => {
                out.push(b'$');
                i += 2;
            }
            b'$' if template.get(i + 1) == Some(&b'{') => {
                let close = template[i..]
                    .iter()
                    .position(|&b| b == b'}')
                    .ok_or_else(|| {
                        Fault::new(
                            Code::BadGenerate,
                            "`${` is not closed: write ${offset,width,base}",
                        )
                    })?;
                let spec = &template[i + 2..i + close];
                format_modifier(spec, it, &mut out)?;
                i += close + 1;
            }
            b'$' => {
                out.extend_from_slice(it.to_string().as_bytes());
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn format_modifier(spec: &[u8], it: u64, out: &mut Vec<u8>) -> Res<()> {
    let bad = || {
        Fault::new(
            Code::BadGenerate,
            format!(
                "`${{{}}}` is not a modifier: write ${{offset,width,base}} with base d, o, x, X, n or N",
                lossy(spec)
            ),
        )
    };
    let parts: Vec<&[u8]> = spec.split(|&b| b == b',').collect();
    if parts.len() > 3 {
        return Err(bad());
    }
    let offset = match parts.first().filter(|p| !p.is_empty()) {
        Some(p) => {
            let (neg, digits) = match p.strip_prefix(b"-") {
                Some(d) => (true, d),
                None => (false, p.strip_prefix(b"+").unwrap_or(p)),
            };
            let v = parse_uint(digits, u64::from(u32::MAX), "an offset").map_err(|_| bad())? as i64;
            if neg { -v } else { v }
        }
        None => 0,
    };
    let width = match parts.get(1) {
        Some(p) => parse_uint(p, 255, "a width").map_err(|_| bad())? as usize,
        None => 0,
    };
    let base = match parts.get(2) {
        Some(&[b]) => *b,
        Some(_) => return Err(bad()),
        None => b'd',
    };
    let value = it as i64 + offset;
    let text = match base {
        b'd' => format!("{value:0width$}"),
        b'o' => format!("{value:0width$o}"),
        b'x' => format!("{value:0width$x}"),
        b'X' => format!("{value:0width$X}"),
        b'n' | b'N' => nibbles(value as u64, width, base == b'N'),
        _ => return Err(bad()),
    };
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

/// Reversed nibbles separated by dots, as BIND prints them: `width` counts
/// the characters, dots included.
fn nibbles(mut value: u64, mut width: usize, upper: bool) -> String {
    let mut out = String::new();
    loop {
        let digit = (value & 0xf) as u32;
        let c = std::char::from_digit(digit, 16).unwrap_or('0');
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        value >>= 4;
        width = width.saturating_sub(1);
        if width > 0 || value != 0 {
            out.push('.');
            width = width.saturating_sub(1);
        }
        if value == 0 && width == 0 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(expand(b"host$", 7).unwrap(), b"host7");
        assert_eq!(expand(b"host${10,3,d}", 7).unwrap(), b"host017");
        assert_eq!(expand(b"h${0,2,x}", 255).unwrap(), b"hff");
        assert_eq!(expand(b"$$x\\$", 1).unwrap(), b"$x\\$");
        assert_eq!(expand(b"${-1}", 1).unwrap(), b"0");
        assert_eq!(expand(b"${0,3,n}", 0x12).unwrap(), b"2.1");
        assert_eq!(expand(b"${0,7,N}", 0xab).unwrap(), b"B.A.0.0");
        assert!(expand(b"${0,1,q}", 1).is_err());
        assert!(expand(b"${0", 1).is_err());
    }

    #[test]
    fn ranges() {
        let r = parse_range(b"1-10/3").unwrap();
        assert_eq!(r.iter().collect::<Vec<_>>(), vec![1, 4, 7, 10]);
        assert_eq!(r.count(), 4);
        assert!(parse_range(b"10-1").is_err());
        assert!(parse_range(b"1-10/0").is_err());
        assert!(parse_range(b"x").is_err());
    }
}
