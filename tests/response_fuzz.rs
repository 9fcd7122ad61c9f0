//! Property tests of the DNS message readers (`grader_core::response`):
//! on arbitrary bytes and on realistic dig output, RFC 8427 JSON and wire
//! form (base64, hex) damaged by deleting, duplicating and swapping lines
//! and changing characters, every reader
//!
//! - never panics;
//! - gives diagnostics on lines (and columns) that exist in the input, with
//!   their code's severity, sorted, the error count exact;
//! - is deterministic (the same input gives the same result);
//! - gives messages that survive hickory-proto's wire form (encoding and
//!   decoding one gives it back), in input order.

use std::sync::OnceLock;

use grader_core::response::{Code, Format, Read, read};
use grader_core::zone::Severity;
use hickory_proto::op::Message;
use proptest::prelude::*;
use proptest::sample::Index;

/// Real dig 9.18 output (the unit tests' captures), an answer with a record
/// of every type, and hand-written output in the formats of dig 9.16 and
/// 9.20.
const DIG: &[&str] = &[
    include_str!("../grader-core/src/response/testdata/bind918-soa.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-www-dnssec-multi.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-dnskey-tcp.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-nxdomain.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-refused-qr.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-badvers.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-chaos.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-mx.dig"),
    include_str!("../grader-core/src/response/testdata/bind918-txt.dig"),
    include_str!("../grader-core/src/response/testdata/handmade-all-types.dig"),
    "\
; <<>> DiG 9.16.23-RH <<>> @127.0.0.1 -p 5300 lab.example SOA +norec +tcp
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 31981
;; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: 32f3f09d6c8bdd80010000006908538136d3674d0328bc50 (good)
;; QUESTION SECTION:
;lab.example.\t\tIN\tSOA

;; ANSWER SECTION:
lab.example.\t3600\tIN\tSOA\tns1.lab.example. hostmaster.lab.example. 1 14400 3600 1209600 3600

;; Query time: 0 msec
;; SERVER: 127.0.0.1#5300(127.0.0.1)
;; MSG SIZE  rcvd: 83
",
    "\
; <<>> DiG 9.20.4 <<>> @127.0.0.1 -p 5353 bogus.lab.example A +dnssec
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 28442
;; flags: qr rd ra; MBZ: 0x4; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags: do co; MBZ: 0x0070, udp: 1232
; EDE: 6 (DNSSEC Bogus): (validation failure <bogus.lab.example. A IN>)
; NSID: 6e 73 31 (\"ns1\")
; CLIENT-SUBNET: 192.0.2.0/24/0
; KEY-TAG: 1, 2
; EXPIRE: 1200 (20 minutes)
; TCP-KEEPALIVE: 30.0 secs
; OPT=65001: 41 42 00 43 (\"AB.C\")
;; QUESTION SECTION:
;bogus.lab.example.\tIN\tA

;; Query time: 4 msec
;; SERVER: 127.0.0.1#5353(127.0.0.1) (TCP)
;; MSG SIZE  rcvd: 190
",
];

/// `kdig +json` output and the RFC 8427 examples.
const JSON: &[&str] = &[
    include_str!("../grader-core/src/response/testdata/kdig-soa.json"),
    include_str!("../grader-core/src/response/testdata/kdig-www-dnssec.json"),
    include_str!("../grader-core/src/response/testdata/kdig-nxdomain.json"),
    include_str!("../grader-core/src/response/testdata/kdig-txt.json"),
    r#"{ "ID": 19678, "QR": 0, "Opcode": 0,
  "AA": 0, "TC": 0, "RD": 0, "RA": 0, "AD": 0, "CD": 0, "RCODE": 0,
  "QDCOUNT": 1, "ANCOUNT": 0, "NSCOUNT": 0, "ARCOUNT": 0,
  "QNAME": "example.com", "QTYPE": 1, "QCLASS": 1
}"#,
    r#"[{
  "queryMessage": { "ID": 32784, "QR": 0, "QNAME": "example.com.", "QTYPE": 1, "QCLASS": 1 },
  "responseMessage": { "ID": 32784, "QR": 1, "AA": 1, "RCODE": 0,
                      "QDCOUNT": 1, "ANCOUNT": 1, "NSCOUNT": 1, "ARCOUNT": 1,
                      "QNAME": "example.com.", "QTYPE": 1, "QCLASS": 1,
                      "answerRRs": [ { "NAME": "example.com.", "TYPE": 1, "CLASS": 1,
                                       "TTL": 3600, "RDATAHEX": "C0000201" },
                                     { "NAME": "example.com.", "TYPEname": "MX", "CLASS": 1,
                                       "TTL": 3600, "rrSet": [{"rdataMX": "10 mail.example.com."}] } ],
                      "authorityRRs": [ { "NAME": "ns.example.com.", "TYPE": 1, "CLASS": 1,
                                          "TTL": 28800, "rdataA": "203.0.113.129" } ],
                      "additionalRRs": [ { "NAME": ".", "TYPE": 41, "CLASS": 1232,
                                           "TTL": 32768, "RDATAHEX": "000300036E7331" } ] }
}]"#,
];

/// The JSON seeds' messages in wire form.
fn wires() -> &'static [Vec<u8>] {
    static WIRES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    WIRES.get_or_init(|| {
        JSON.iter()
            .flat_map(|j| read(Format::Json, j.as_bytes()).messages)
            .map(|m| m.message.to_vec().expect("the seeds encode"))
            .collect()
    })
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Characters worth putting anywhere in these formats.
const SPICE: &[u8] = b"();\"\\\n\r\t .:,{}[]=#0123456789aAfFzZ-+/\x00\x7f\xc3\xa9\xff";

/// One damage to a text.
#[derive(Clone, Debug)]
enum Damage {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    Change(Index, u8),
    Insert(Index, u8),
    Truncate(Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    let byte = prop_oneof![3 => prop::sample::select(SPICE), 1 => any::<u8>()];
    prop_oneof![
        3 => any::<Index>().prop_map(Damage::DeleteLine),
        2 => any::<Index>().prop_map(Damage::DuplicateLine),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Damage::SwapLines(a, b)),
        4 => (any::<Index>(), byte.clone()).prop_map(|(a, b)| Damage::Change(a, b)),
        2 => (any::<Index>(), byte).prop_map(|(a, b)| Damage::Insert(a, b)),
        1 => any::<Index>().prop_map(Damage::Truncate),
    ]
}

fn apply(text: &[u8], damages: &[Damage]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let mut bytes;
    for d in damages {
        match d {
            Damage::DeleteLine(i) if lines.len() > 1 => {
                lines.remove(i.index(lines.len()));
            }
            Damage::DuplicateLine(i) => {
                let i = i.index(lines.len());
                lines.insert(i, lines[i].clone());
            }
            Damage::SwapLines(a, b) => {
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(a, b);
            }
            Damage::Change(i, b) | Damage::Insert(i, b) => {
                bytes = lines.join(&b'\n');
                if bytes.is_empty() {
                    bytes.push(*b);
                } else {
                    let at = i.index(bytes.len());
                    if matches!(d, Damage::Change(..)) {
                        bytes[at] = *b;
                    } else {
                        bytes.insert(at, *b);
                    }
                }
                lines = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            }
            Damage::Truncate(i) => {
                bytes = lines.join(&b'\n');
                let at = i.index(bytes.len() + 1);
                bytes.truncate(at);
                lines = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            }
            Damage::DeleteLine(_) => {}
        }
    }
    lines.join(&b'\n')
}

/// A seed of `format`, pasted up to three times, then damaged.
fn damaged(format: Format) -> impl Strategy<Value = (Format, Vec<u8>)> {
    (
        prop::collection::vec(any::<Index>(), 1..4),
        any::<bool>(),
        prop::collection::vec(damage(), 0..6),
    )
        .prop_map(move |(picks, in_base64, damages)| {
            let text: Vec<u8> = match format {
                Format::Dig => picks
                    .iter()
                    .map(|i| *i.get(DIG))
                    .collect::<String>()
                    .into_bytes(),
                Format::Json => picks
                    .iter()
                    .map(|i| *i.get(JSON))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes(),
                Format::Base64 | Format::Hex => {
                    let wire = picks[0].get(wires());
                    if in_base64 {
                        let b = base64(wire);
                        // Lines of 64 characters, as base64 tools write it.
                        b.as_bytes().chunks(64).collect::<Vec<_>>().join(&b'\n')
                    } else {
                        hex(wire)
                            .as_bytes()
                            .chunks(32)
                            .collect::<Vec<_>>()
                            .join(&b'\n')
                    }
                }
            };
            let format = match format {
                Format::Base64 | Format::Hex if in_base64 => Format::Base64,
                Format::Base64 | Format::Hex => Format::Hex,
                f => f,
            };
            (format, apply(&text, &damages))
        })
}

/// Wire messages with octets changed, in hex: hickory-proto's decoder on
/// damaged messages.
fn damaged_wire() -> impl Strategy<Value = (Format, Vec<u8>)> {
    (
        any::<Index>(),
        prop::collection::vec((any::<Index>(), any::<u8>()), 1..6),
        any::<Index>(),
    )
        .prop_map(|(pick, changes, cut)| {
            let mut wire = pick.get(wires()).clone();
            for (at, b) in changes {
                let i = at.index(wire.len());
                wire[i] = b;
            }
            wire.truncate(cut.index(wire.len() + 1).max(wire.len() / 2));
            (Format::Hex, hex(&wire).into_bytes())
        })
}

fn any_format() -> impl Strategy<Value = Format> {
    prop::sample::select(&[Format::Dig, Format::Json, Format::Base64, Format::Hex][..])
}

/// Any input: arbitrary bytes in any format, or a damaged seed.
fn any_input() -> impl Strategy<Value = (Format, Vec<u8>)> {
    prop_oneof![
        2 => (any_format(), prop::collection::vec(any::<u8>(), 0..2048)),
        4 => damaged(Format::Dig),
        3 => damaged(Format::Json),
        2 => damaged(Format::Hex),
        2 => damaged_wire(),
    ]
}

/// The lines of the input, as the readers count them.
fn lines(text: &[u8]) -> Vec<&[u8]> {
    text.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}

/// Characters of a line, counted as the readers count columns.
fn chars(line: &[u8]) -> usize {
    line.utf8_chunks()
        .map(|c| c.valid().chars().count() + usize::from(!c.invalid().is_empty()))
        .sum()
}

fn check(format: Format, text: &[u8], r: &Read) -> Result<(), TestCaseError> {
    let lines = lines(text);
    for d in &r.diagnostics {
        let line = lines.get((d.line as usize).wrapping_sub(1));
        prop_assert!(
            line.is_some(),
            "line {} of {}: {:?}",
            d.line,
            lines.len(),
            d
        );
        let width = chars(line.expect("checked"));
        prop_assert!(
            d.column >= 1 && d.column as usize <= width + 1,
            "column {} of a line of {} characters: {:?}",
            d.column,
            width,
            d
        );
        prop_assert_eq!(d.severity, d.code.severity());
        let rendered = d.render("fuzz", text);
        prop_assert!(rendered.contains(d.code.as_str()));
    }
    let places: Vec<(u32, u32)> = r.diagnostics.iter().map(|d| (d.line, d.column)).collect();
    prop_assert!(places.is_sorted(), "not sorted: {:?}", places);
    let listed = r.errors().count();
    if r.diagnostics
        .iter()
        .any(|d| d.code == Code::TooManyDiagnostics)
    {
        prop_assert!(listed <= r.error_count);
    } else {
        prop_assert_eq!(listed, r.error_count);
    }
    prop_assert_eq!(r.is_ok(), r.errors().next().is_none() && r.error_count == 0);
    let mut last = 0;
    for m in &r.messages {
        prop_assert!(
            m.line >= last && (m.line as usize) <= lines.len(),
            "message on line {}",
            m.line
        );
        last = m.line;
        let wire = m.message.to_vec();
        prop_assert!(
            wire.is_ok(),
            "{format}: a message that does not encode: {:?}",
            wire
        );
        let back = Message::from_vec(&wire.expect("checked"));
        prop_assert_eq!(
            back.as_ref().ok(),
            Some(&m.message),
            "{} round trip",
            format
        );
    }
    prop_assert!(r.messages.len() <= grader_core::response::MAX_MESSAGES);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// Arbitrary bytes never make a reader panic.
    #[test]
    fn arbitrary_bytes(format in any_format(), text in prop::collection::vec(any::<u8>(), 0..4096)) {
        let r = read(format, &text);
        check(format, &text, &r)?;
    }

    /// Damaged realistic input: diagnostics inside the input, messages
    /// that round-trip.
    #[test]
    fn damaged_input((format, text) in any_input()) {
        let r = read(format, &text);
        check(format, &text, &r)?;
    }

    /// The same input gives the same result.
    #[test]
    fn deterministic((format, text) in any_input()) {
        let (a, b) = (read(format, &text), read(format, &text));
        prop_assert_eq!(&a.diagnostics, &b.diagnostics);
        prop_assert_eq!(&a.messages, &b.messages);
        prop_assert_eq!(a.error_count, b.error_count);
    }
}

/// The seeds themselves read without an error (so the damage above starts
/// from good input).
#[test]
fn seeds_read_cleanly() {
    for (format, seeds) in [(Format::Dig, DIG), (Format::Json, JSON)] {
        for s in seeds {
            let r = read(format, s.as_bytes());
            assert_eq!(r.error_count, 0, "{format}: {:?}\n{s}", r.diagnostics);
            assert!(!r.messages.is_empty());
            assert!(r.errors().all(|d| d.severity == Severity::Error));
        }
    }
    assert_eq!(wires().len(), JSON.len());
}
