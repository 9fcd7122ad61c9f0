//! A message in wire form, written in base64 or hex → one message.
//!
//! Blanks and line breaks may stand anywhere; hex may separate octets with
//! `:`; base64 may use the URL-safe alphabet (`-`, `_`, as in DoH's `dns=`
//! parameter) and may leave out its `=` padding. When the first two octets
//! are the length of the rest (the framing of DNS over TCP, RFC 1035
//! §4.2.2) and the rest is a whole message, those two octets are skipped
//! and the message's transport is TCP.

use data_encoding::{BASE64_NOPAD, BASE64URL_NOPAD};
use hickory_proto::op::Message;
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};

use super::diag::{Code, Sink};
use super::text::{canonical, char_count, guess, wrong_format};
use super::{Format, ReadMessage, Transport};

/// Where byte `offset` of the input is: line and column.
fn position(input: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(input.len());
    let before = &input[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(char_count(&input[start..offset]) + 1).unwrap_or(u32::MAX),
    )
}

/// The input's significant characters with their offsets, without blanks
/// (and `:` when `colons`).
fn significant(input: &[u8], colons: bool) -> Vec<(u8, usize)> {
    input
        .iter()
        .enumerate()
        .filter(|(_, b)| !(b.is_ascii_whitespace() || colons && **b == b':'))
        .map(|(i, &b)| (b, i))
        .collect()
}

fn bad_char(input: &[u8], sink: &mut Sink, code: Code, offset: usize, what: &str) {
    let given = if code == Code::WireBadHex {
        Format::Hex
    } else {
        Format::Base64
    };
    if let Some(looks) = guess(input).filter(|&f| f != given) {
        sink.at(Code::WrongFormat, 1, 1, "", wrong_format(given, looks));
        return;
    }
    let (line, column) = position(input, offset);
    let end = (offset + 1..=input.len().min(offset + 4))
        .find(|&e| std::str::from_utf8(&input[offset..e]).is_ok())
        .unwrap_or(offset + 1)
        .min(input.len());
    let text = String::from_utf8_lossy(&input[offset..end]).into_owned();
    sink.at(code, line, column, text, what.to_string());
}

/// Reads base64.
pub(crate) fn read_base64(input: &[u8], sink: &mut Sink) -> Vec<ReadMessage> {
    let chars = significant(input, false);
    let bad = |sink: &mut Sink, offset: usize, what: &str| {
        bad_char(input, sink, Code::WireBadBase64, offset, what);
    };
    let url = chars.iter().any(|(b, _)| matches!(b, b'-' | b'_'));
    let standard = chars.iter().any(|(b, _)| matches!(b, b'+' | b'/'));
    let mut padding = 0;
    for (i, &(b, at)) in chars.iter().enumerate() {
        let ok = b.is_ascii_alphanumeric()
            || (!url && matches!(b, b'+' | b'/'))
            || (!standard && matches!(b, b'-' | b'_'));
        if b == b'=' {
            padding += 1;
            if chars[i..].iter().any(|(c, _)| *c != b'=') || padding > 2 {
                bad(
                    sink,
                    at,
                    "`=` is padding: it may only end the base64 text, at most twice",
                );
                return Vec::new();
            }
        } else if !ok {
            let what = if url || standard {
                "this is not a base64 character (and the text mixes the standard `+/` and URL-safe `-_` alphabets)"
            } else {
                "this is not a base64 character: base64 uses A-Z, a-z, 0-9, `+` and `/` (or `-` and `_`)"
            };
            bad(sink, at, what);
            return Vec::new();
        }
    }
    let digits: Vec<u8> = chars
        .iter()
        .map(|(b, _)| *b)
        .filter(|&b| b != b'=')
        .collect();
    if digits.is_empty() {
        sink.at(
            Code::WireEmpty,
            1,
            1,
            "",
            "there is no base64 text here: paste the message in base64",
        );
        return Vec::new();
    }
    let spec = if url { &BASE64URL_NOPAD } else { &BASE64_NOPAD };
    let bytes = match spec.decode(&digits) {
        Ok(b) => b,
        Err(e) => {
            let at = chars
                .iter()
                .filter(|(b, _)| *b != b'=')
                .nth(e.position)
                .map_or(input.len(), |(_, at)| *at);
            let what = match e.kind {
                data_encoding::DecodeKind::Length => {
                    "the base64 text has a wrong length: is a character missing, or was it cut off?"
                }
                _ => {
                    "the base64 text is malformed here (its last character has bits left over): was it cut off or edited?"
                }
            };
            bad(sink, at, what);
            return Vec::new();
        }
    };
    // Hex digits are base64 characters too.
    if guess(input) == Some(Format::Hex)
        && decode(&bytes).is_err()
        && super::text::hex(input).is_some_and(|h| decode(&h).is_ok())
    {
        sink.at(
            Code::WrongFormat,
            1,
            1,
            "",
            wrong_format(Format::Base64, Format::Hex),
        );
        return Vec::new();
    }
    message(&bytes, sink)
}

/// Reads hex.
pub(crate) fn read_hex(input: &[u8], sink: &mut Sink) -> Vec<ReadMessage> {
    let chars = significant(input, true);
    if let Some(&(_, at)) = chars.iter().find(|(b, _)| !b.is_ascii_hexdigit()) {
        bad_char(
            input,
            sink,
            Code::WireBadHex,
            at,
            "this is not a hex digit: write the message as hex digits (0-9, a-f), two per octet",
        );
        return Vec::new();
    }
    if chars.is_empty() {
        sink.at(
            Code::WireEmpty,
            1,
            1,
            "",
            "there are no hex digits here: paste the message in hex",
        );
        return Vec::new();
    }
    if !chars.len().is_multiple_of(2) {
        let at = chars.last().map_or(0, |(_, at)| *at);
        bad_char(
            input,
            sink,
            Code::WireBadHex,
            at,
            "an odd number of hex digits: every octet is two digits; one is missing",
        );
        return Vec::new();
    }
    let bytes: Vec<u8> = chars
        .chunks(2)
        .map(|p| {
            let d = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            d(p[0].0) * 16 + d(p[1].0)
        })
        .collect();
    message(&bytes, sink)
}

/// Decodes `bytes`; the number of octets read, or hickory's reason.
fn decode(bytes: &[u8]) -> Result<(Message, usize), String> {
    let mut d = BinDecoder::new(bytes);
    let m = Message::read(&mut d).map_err(|e| e.to_string())?;
    Ok((m, bytes.len() - d.len()))
}

/// The message in `bytes` (which may start with a TCP length prefix).
fn message(bytes: &[u8], sink: &mut Sink) -> Vec<ReadMessage> {
    let mut transport = None;
    let mut found = None;
    if bytes.len() >= 14
        && usize::from(u16::from_be_bytes([bytes[0], bytes[1]])) == bytes.len() - 2
        && let Ok((m, used)) = decode(&bytes[2..])
        && used == bytes.len() - 2
    {
        transport = Some(Transport::Tcp);
        found = Some(m);
    }
    let m = match found {
        Some(m) => m,
        None => match decode(bytes) {
            Ok((m, used)) => {
                if used < bytes.len() {
                    sink.at(
                        Code::WireTrailingBytes,
                        1,
                        1,
                        "",
                        format!(
                            "the message ends after {used} octets; the {} octets after it are ignored",
                            bytes.len() - used
                        ),
                    );
                }
                m
            }
            Err(why) => {
                let hint = if bytes.len() < 12 {
                    format!(
                        " (a message has at least 12 octets; this has {})",
                        bytes.len()
                    )
                } else {
                    String::new()
                };
                sink.at(
                    Code::WireMalformed,
                    1,
                    1,
                    "",
                    format!(
                        "these {} octets are not a DNS message: {why}{hint}",
                        bytes.len()
                    ),
                );
                return Vec::new();
            }
        },
    };
    match canonical(&m) {
        Ok(message) => vec![ReadMessage {
            message,
            line: 1,
            transport,
            server: None,
        }],
        Err(why) => {
            sink.at(
                Code::MessageNotEncodable,
                1,
                1,
                "",
                format!("this message cannot be kept: {why}"),
            );
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY_HEX: &str = "abcd01000001000000000000076578616d706c6503636f6d0000010001";

    fn read(
        f: fn(&[u8], &mut Sink) -> Vec<ReadMessage>,
        text: &str,
    ) -> (Vec<ReadMessage>, Vec<String>) {
        let mut sink = Sink::new();
        let m = f(text.as_bytes(), &mut sink);
        let d = sink
            .list
            .iter()
            .map(|d| format!("{}:{}:{}", d.code, d.line, d.column))
            .collect();
        (m, d)
    }

    #[test]
    fn hex_with_blanks_and_colons() {
        let (m, d) = read(
            read_hex,
            "abcd 0100\n00:01:00:00:00:00:00:00\n076578616d706c6503636f6d0000010001\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].message.id, 0xabcd);
        assert_eq!(m[0].message.queries[0].name().to_ascii(), "example.com.");
        assert_eq!(m[0].transport, None);
    }

    #[test]
    fn tcp_length_prefix_is_skipped() {
        let (m, d) = read(read_hex, &format!("001d{QUERY_HEX}"));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m[0].transport, Some(Transport::Tcp));
        assert_eq!(m[0].message.id, 0xabcd);
    }

    #[test]
    fn base64_in_both_alphabets() {
        let bytes = super::super::text::hex(QUERY_HEX.as_bytes()).expect("hex");
        let std = data_encoding::BASE64.encode(&bytes);
        let url = data_encoding::BASE64URL_NOPAD.encode(&bytes);
        for text in [std.clone(), url, format!("{}\n{}", &std[..10], &std[10..])] {
            let (m, d) = read(read_base64, &text);
            assert!(d.is_empty(), "{text}: {d:?}");
            assert_eq!(m[0].message.id, 0xabcd);
        }
    }

    #[test]
    fn errors_point_at_the_character() {
        assert_eq!(read(read_hex, "abcd\n01x0").1, ["wire-bad-hex:2:3"]);
        assert_eq!(read(read_hex, "abc").1, ["wire-bad-hex:1:3"]);
        assert_eq!(read(read_hex, " \n ").1, ["wire-empty:1:1"]);
        assert_eq!(read(read_base64, "AAAA\nAA*A").1, ["wire-bad-base64:2:3"]);
        assert_eq!(read(read_base64, "AA=A").1, ["wire-bad-base64:1:3"]);
        assert_eq!(read(read_hex, "abcd0100").1, ["wire-malformed:1:1"]);
        assert_eq!(read(read_base64, QUERY_HEX).1, ["wrong-format:1:1"]);
        assert_eq!(
            read(read_hex, "; <<>> DiG 9.18 <<>> x\n").1,
            ["wrong-format:1:1"]
        );
        assert_eq!(read(read_base64, "{\"ID\": 1}").1, ["wrong-format:1:1"]);
        let b64 = data_encoding::BASE64
            .encode(&super::super::text::hex(QUERY_HEX.as_bytes()).expect("hex"));
        assert_eq!(read(read_hex, &b64).1, ["wrong-format:1:1"]);
        let (m, d) = read(read_hex, &format!("{QUERY_HEX}00"));
        assert_eq!(
            (m.len(), d.as_slice()),
            (1, &["wire-trailing-bytes:1:1".to_string()][..])
        );
    }
}
