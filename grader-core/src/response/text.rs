//! What the readers share: records and names read by the zone-file reader
//! ([`crate::zone::read`]), type and class mnemonics, positions in the
//! input, and the final check that a message survives hickory-proto's wire
//! form.

use hickory_proto::op::Message;
use hickory_proto::rr::{DNSClass, Name, Record};

use crate::zone::{self, Severity};

/// Number of characters in `bytes` as displayed, as the zone reader
/// counts them.
pub(crate) use crate::zone::char_count;

/// The 1-based column of byte `offset` of `line`.
pub(crate) fn column(line: &[u8], offset: usize) -> u32 {
    let end = offset.min(line.len());
    u32::try_from(char_count(&line[..end]) + 1).unwrap_or(u32::MAX)
}

/// A piece of input text for a diagnostic: lossy UTF-8, shortened.
pub(crate) fn shown(bytes: &[u8]) -> String {
    const MAX: usize = 80;
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX * 4)]);
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .take(MAX)
        .collect();
    if s.chars().count() > MAX || bytes.len() > MAX * 4 {
        out.push('…');
    }
    out
}

/// One line of the input: its number, where it starts and its text
/// without the line ending (`\n` or `\r\n`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    pub number: u32,
    pub text: &'a [u8],
}

/// Splits the input into lines.
pub(crate) fn lines(input: &[u8]) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut number = 1u32;
    while start <= input.len() {
        let end = input[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(input.len(), |p| start + p);
        let mut text = &input[start..end];
        if let Some(t) = text.strip_suffix(b"\r") {
            text = t;
        }
        out.push(Line { number, text });
        if end == input.len() {
            break;
        }
        start = end + 1;
        number = number.saturating_add(1);
    }
    out
}

/// The format `input` looks like, when it clearly looks like one.
pub(crate) fn guess(input: &[u8]) -> Option<super::Format> {
    use super::Format;
    let t = input.trim_ascii();
    if t.starts_with(b"{") || t.starts_with(b"[") {
        return Some(Format::Json);
    }
    let dig = |l: &[u8]| {
        let l = l.trim_ascii_start();
        l.starts_with(b";; ->>HEADER<<-")
            || (l.starts_with(b"; <<>> ") && l.windows(4).any(|w| w.eq_ignore_ascii_case(b"<<>>")))
    };
    if t.split(|&b| b == b'\n').any(dig) {
        return Some(Format::Dig);
    }
    // Wire form: at least a header's worth of digits. Hex is written in
    // pairs (`ab cd`, `ab:cd`, `abcd`); base64 lines have no blanks (dig
    // +short output of a DS or DNSKEY is neither).
    let words: Vec<&[u8]> = t
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().map(|w| w.len()).sum::<usize>() < 24 {
        return None;
    }
    let hex_word = |w: &&[u8]| {
        w.split(|&b| b == b':')
            .all(|p| p.len() % 2 == 0 && p.iter().all(u8::is_ascii_hexdigit))
    };
    if words.iter().all(hex_word) {
        return Some(Format::Hex);
    }
    let base64_line = |l: &[u8]| {
        let l = l.trim_ascii();
        !l.contains(&b' ')
            && !l.contains(&b'\t')
            && l.iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
    };
    if t.split(|&b| b == b'\n').all(base64_line) {
        return Some(Format::Base64);
    }
    None
}

/// The advice for text handed in as `given` that looks like `looks`.
pub(crate) fn wrong_format(given: super::Format, looks: super::Format) -> String {
    let what = match looks {
        super::Format::Dig => "dig output",
        super::Format::Json => "JSON",
        super::Format::Base64 => "base64",
        super::Format::Hex => "hex",
    };
    format!("this text looks like {what}, but it was handed in as {given}: hand it in as `{looks}`")
}

/// The class mnemonics dig prints, and `CLASSnnn`: those of zone files,
/// and the query classes NONE and ANY.
pub(crate) fn class_code(text: &[u8]) -> Option<u16> {
    zone::class_code(text).or_else(|| {
        [(254u16, "NONE"), (255, "ANY")]
            .iter()
            .find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(text))
            .map(|&(c, _)| c)
    })
}

/// A type mnemonic (any case) or `TYPEnnn`.
pub(crate) fn type_code(text: &[u8]) -> Option<u16> {
    zone::parse_type(std::str::from_utf8(text).ok()?)
}

/// Parses a decimal number no larger than `max`.
pub(crate) fn number(text: &[u8], max: u64) -> Option<u64> {
    if text.is_empty() || text.len() > 20 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v: u64 = std::str::from_utf8(text).ok()?.parse().ok()?;
    (v <= max).then_some(v)
}

/// Decodes hex digits, ignoring blanks; `None` on any other character or
/// an odd number of digits.
pub(crate) fn hex(text: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| {
            let hi = (p[0] as char).to_digit(16)?;
            let lo = (p[1] as char).to_digit(16)?;
            Some((hi * 16 + lo) as u8)
        })
        .collect()
}

/// A problem the zone-file reader found in text given to it, placed in
/// the original input.
#[derive(Debug)]
pub(crate) struct ZoneProblem {
    pub severity: Severity,
    /// The zone reader's code (`bad-ipv4`).
    pub code: zone::Code,
    pub line: u32,
    pub column: u32,
    pub text: String,
    pub message: String,
}

impl ZoneProblem {
    /// The message with the zone reader's code, for a response diagnostic.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.message, self.code)
    }
}

/// Where a line of a [`Batch`] comes from.
#[derive(Clone, Copy, Debug)]
struct Origin {
    line: u32,
    /// Characters of the original line before the batch's copy starts.
    shift: u32,
    /// The class and TTL written on the line, when it starts a record.
    class: Option<u16>,
    ttl: Option<u32>,
}

/// Record text handed to the zone-file reader, line by line, remembering
/// where each line came from, so its records and diagnostics are placed in
/// the original input.
///
/// The zone reader reads every zone as class IN: a record of another class
/// (CH, HS, NONE, ANY) has its class word replaced by `IN` padded with
/// blanks (columns do not move), and gets its class back afterwards. TTLs
/// are given back exactly (the zone reader reads a TTL above 2^31-1 as 0).
#[derive(Default)]
pub(crate) struct Batch {
    text: Vec<u8>,
    origins: Vec<Origin>,
}

/// A record read from a batch.
pub(crate) struct Placed {
    pub record: Record,
}

impl Batch {
    /// Adds one line. `shift` is the number of characters of the original
    /// line left out before `text`. When `starts_record`, the line's owner,
    /// TTL and class are looked at (see the type's description).
    pub fn push(&mut self, text: &[u8], line: u32, shift: u32, starts_record: bool) {
        let mut origin = Origin {
            line,
            shift,
            class: None,
            ttl: None,
        };
        let at = self.text.len();
        self.text.extend_from_slice(text);
        self.text.push(b'\n');
        if starts_record {
            let toks = head_tokens(text);
            // owner [ttl] [class] type: the TTL and class in either order.
            for &(s, e) in toks.iter().skip(1).take(2) {
                let t = &text[s..e];
                if origin.ttl.is_none() && t.iter().all(u8::is_ascii_digit) {
                    match number(t, u64::from(u32::MAX)) {
                        Some(v) => origin.ttl = Some(v as u32),
                        None => break,
                    }
                } else if origin.class.is_none()
                    && let Some(c) = class_code(t)
                {
                    origin.class = Some(c);
                    if c != 1 && t.len() >= 2 {
                        let dst = &mut self.text[at + s..at + e];
                        dst.fill(b' ');
                        dst[..2].copy_from_slice(b"IN");
                    }
                } else {
                    break;
                }
            }
        }
        self.origins.push(origin);
    }

    /// Reads the batch with the zone reader (origin `.`): the records in
    /// order with their lines, and the problems found.
    pub fn read(self) -> (Vec<Placed>, Vec<ZoneProblem>) {
        if self.origins.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let options = zone::Options {
            origin: Some(Name::root()),
            limits: zone::Limits {
                max_input_bytes: usize::MAX,
                max_diagnostics: super::MAX_DIAGNOSTICS,
                // Belt and braces: the dig reader refuses directives.
                max_records: super::MAX_RECORDS_PER_SECTION + 1,
                max_generate: 0,
                ..zone::Limits::default()
            },
        };
        let read = zone::read(&self.text, &options);
        let origin = |sub: u32| -> Option<&Origin> {
            self.origins.get(usize::try_from(sub.checked_sub(1)?).ok()?)
        };
        let mut problems = Vec::new();
        for d in read.diagnostics {
            let o = origin(d.line).copied().unwrap_or(Origin {
                line: self.origins.last().map_or(1, |o| o.line),
                shift: 0,
                class: None,
                ttl: None,
            });
            // The exact TTL is given back below.
            if d.code == zone::Code::TtlTooLarge && o.ttl.is_some() {
                continue;
            }
            problems.push(ZoneProblem {
                severity: d.severity,
                code: d.code,
                line: o.line,
                column: d.column.saturating_add(o.shift),
                text: d.text,
                message: d.message,
            });
        }
        let records = read
            .records
            .into_iter()
            .map(|r| {
                let o = origin(r.line);
                let mut record = r.record;
                if let Some(o) = o {
                    if let Some(c) = o.class {
                        record.dns_class = DNSClass::from(c);
                    }
                    if let Some(t) = o.ttl {
                        record.ttl = t;
                    }
                }
                Placed { record }
            })
            .collect();
        (records, problems)
    }
}

/// The byte ranges of the first words of a record line (before any `;`,
/// `(` or quote), with backslash escapes kept inside words.
fn head_tokens(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() && out.len() < 4 {
        let b = text[i];
        if b == b' ' || b == b'\t' {
            i += 1;
            continue;
        }
        if matches!(b, b';' | b'(' | b')' | b'"') {
            break;
        }
        let start = i;
        while i < text.len() && !matches!(text[i], b' ' | b'\t' | b';' | b'(' | b')' | b'"') {
            i += if text[i] == b'\\' { 2 } else { 1 };
        }
        i = i.min(text.len());
        out.push((start, i));
    }
    out
}

/// Reads one domain name in presentation form (RFC 1035 escapes; relative
/// names are taken as absolute) with the zone-file reader.
pub(crate) fn parse_name(text: &[u8]) -> Result<Name, String> {
    if text.is_empty() {
        return Err("the name is empty: write `.` for the root".into());
    }
    let mut escaped = false;
    for &b in text {
        if !escaped && (b.is_ascii_whitespace() || matches!(b, b';' | b'(' | b')' | b'"')) {
            return Err(format!(
                "`{}` is not one domain name: a blank, `;`, `(`, `)` or `\"` in a name must be escaped with `\\`",
                shown(text)
            ));
        }
        if b < 0x20 || b == 0x7f {
            return Err(format!(
                "`{}` holds a control character: write it as a `\\DDD` escape",
                shown(text)
            ));
        }
        escaped = !escaped && b == b'\\';
    }
    if text[0] == b'$' {
        return Err(format!(
            "`{}` is not a domain name: write a leading `$` as `\\$`",
            shown(text)
        ));
    }
    let mut line = Vec::with_capacity(text.len() + 12);
    line.extend_from_slice(text);
    line.extend_from_slice(b" 0 IN TXT \"\"\n");
    let mut batch = Batch::default();
    batch.push(&line, 1, 0, false);
    let (records, problems) = batch.read();
    if let Some(p) = problems.iter().find(|p| p.severity == Severity::Error) {
        return Err(p.describe());
    }
    records
        .into_iter()
        .next()
        .map(|p| p.record.name.clone())
        .ok_or_else(|| format!("`{}` is not a domain name", shown(text)))
}

/// The message as hickory-proto reads it back from its own wire form, so
/// that encoding and decoding it again gives an equal message, and a
/// message read from text equals the same message read from the wire.
pub(crate) fn canonical(message: &Message) -> Result<Message, String> {
    let wire = message
        .to_vec()
        .map_err(|e| format!("it cannot be put in wire form: {e}"))?;
    let back =
        Message::from_vec(&wire).map_err(|e| format!("its wire form cannot be read back: {e}"))?;
    // hickory-proto leaves out what does not fit in 65535 octets.
    let counts = |m: &Message| {
        (
            m.queries.len(),
            m.answers.len(),
            m.authorities.len(),
            m.additionals.len(),
            m.edns.is_some(),
            m.truncation,
        )
    };
    if counts(&back) != counts(message) {
        return Err(format!(
            "it is longer than a DNS message can be (65535 octets in wire form; {} octets were written)",
            wire.len()
        ));
    }
    Ok(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_as_the_zone_reader_reads_them() {
        let n = parse_name(b"a\\032b.Example.").expect("a name");
        let labels: Vec<&[u8]> = n.iter().collect();
        assert_eq!(labels, [&b"a b"[..], b"Example"]);
        assert_eq!(
            parse_name(b"www.example").expect("relative").to_ascii(),
            "www.example."
        );
        assert_eq!(parse_name(b".").expect("root"), Name::root());
        assert!(parse_name(b"a..b.").is_err());
        assert!(parse_name(b"a b.").is_err());
        assert!(parse_name(b"\\256.").is_err());
        assert!(parse_name(b"").is_err());
        assert!(parse_name(b"$ORIGIN").is_err());
    }

    #[test]
    fn batch_keeps_other_classes_and_large_ttls() {
        let mut b = Batch::default();
        b.push(b"version.bind.\t0\tCH\tTXT\t\"9.18\"", 7, 0, true);
        b.push(b"x.example. 4294967295 IN A 192.0.2.1", 9, 4, true);
        b.push(b"y.example. 300 IN A 192.0.2.300", 12, 0, true);
        let (records, problems) = b.read();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].record.dns_class, DNSClass::CH);
        assert_eq!(records[1].record.ttl, u32::MAX);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (12, 21));
        assert_eq!(problems[0].code.as_str(), "bad-ipv4");
    }

    #[test]
    fn formats_are_guessed_only_when_clear() {
        use super::super::Format;
        assert_eq!(guess(b"  {\"ID\": 1}"), Some(Format::Json));
        assert_eq!(guess(b"\n; <<>> DiG 9.18 <<>> x\n"), Some(Format::Dig));
        assert_eq!(guess(b"abcd0100 00010000 00000000 0765"), Some(Format::Hex));
        assert_eq!(
            guess(b"ab:cd:01:00:00:01:00:00:00:00:00:00:07"),
            Some(Format::Hex)
        );
        assert_eq!(
            guess(b"q80BAAABAAAAAAAAB2V4YW1wbGUDY29tAAABAAE="),
            Some(Format::Base64)
        );
        // dig +short output of a DS and of a DNSKEY.
        assert_eq!(
            guess(b"60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"),
            None
        );
        assert_eq!(
            guess(b"257 3 13 kXKkvWU3vGYfTJGl3qBd4qhiWp5aRs7YtkCJxD2d+t7KXqwa"),
            None
        );
        assert_eq!(guess(b"192.0.2.1"), None);
    }

    #[test]
    fn lines_split_on_newlines() {
        let l = lines(b"a\r\nb\n\nc");
        let t: Vec<&[u8]> = l.iter().map(|l| l.text).collect();
        assert_eq!(t, [&b"a"[..], b"b", b"", b"c"]);
        assert_eq!(l[3].number, 4);
        assert_eq!(lines(b"").len(), 1);
    }
}
