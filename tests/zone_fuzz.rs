//! Property tests: `check` never panics, reports positions inside the
//! input, is deterministic and keeps records in file order, on arbitrary
//! bytes and on zone-like text made of realistic tokens.

use grader_core::zone::{Code, Options, Zone, check};
use proptest::prelude::*;

/// A valid zone head, prepended to half the zone-like inputs so records
/// are read and the integrity checks have something to check.
const HEAD: &str = grader_tests::base_zone!();

/// Tokens a zone file is made of, good and bad.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    // directives
    "$ORIGIN", "$TTL", "$GENERATE", "$INCLUDE", "$FOO",
    // names
    "@", ".", "*", "lab.example.", "ns1", "www.lab.example.", "a..b", "*.wild", "_sip._tcp",
    "x.*.y", "other.example.", "\\.", "\\\\", "\\065", "\\256", "\\", "a\\ b",
    // TTLs and numbers
    "0", "1", "10", "3600", "1h", "1h30m", "2w", "1d2h3m4s", "2147483647", "2147483648",
    "4294967295", "4294967296", "99999999999999999999999", "-1", "65535", "65536",
    // classes
    "IN", "in", "CH", "HS", "CS", "CLASS0", "CLASS1", "CLASS255", "CLASS65536",
    // types, DNSSEC ones included
    "A", "AAAA", "NS", "CNAME", "SOA", "PTR", "HINFO", "MX", "TXT", "RP", "AFSDB", "LOC", "SRV",
    "NAPTR", "DNAME", "DS", "SSHFP", "RRSIG", "NSEC", "DNSKEY", "NSEC3", "NSEC3PARAM", "TLSA",
    "SMIMEA", "CDS", "CDNSKEY", "OPENPGPKEY", "ZONEMD", "SVCB", "HTTPS", "SPF", "URI", "CAA",
    "WKS", "ANY", "AXFR", "OPT", "TYPE0", "TYPE1", "TYPE65280", "TYPE65535", "TYPE65536",
    "TYPE01", "a", "mx",
    // record data
    "\\#", "192.0.2.1", "192.0.2.300", "2001:db8::1", "::", "::ffff:192.0.2.1", "1:2:3",
    "deadbeef", "DEADBEEF0", "abcdefABCDEF0123", "AwEAAc==", "AAAA====", "!!!!", "-",
    "0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM", "ECDSAP256SHA256", "RSASHA256", "FOO",
    "20261231235959", "20261399000000", "issue", "issuewild", "iodef", "is-sue", "N", "S", "E",
    "W", "52", "22", "23.000", "-2.00m", "10m", "1m", "90000001m", "alpn=h2,h3", "port=443",
    "ipv4hint=192.0.2.1", "ipv6hint=2001:db8::1", "mandatory=alpn", "mandatory=mandatory",
    "no-default-alpn", "ech=AAAA", "key65000=x", "key65535", "dohpath=/q{?dns}", "alpn=",
    // $GENERATE templates
    "1-10", "1-3/2", "10-1", "0-4294967295", "host$", "${1,3,x}", "${0,4,n}", "${-5}", "${0",
    "$$", "192.0.2.$",
    // strings, parentheses, comments
    "\"\"", "\"v=spf1 -all\"", "\"a\\\"b\"", "\"\\065\\256\"", "\"", "\"open", "(", ")",
    "((", "))", "; comment", ";", "key=\"quoted value\"",
];

/// One token: mostly from the list, sometimes generated.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(TOKENS).prop_map(str::to_string),
        2 => "[a-zA-Z0-9_*-]{1,12}(\\.[a-z0-9-]{1,8}){0,3}\\.?",
        1 => "[0-9]{1,12}[smhdwSMHDW]?",
        1 => "[0-9a-fA-F]{1,40}",
        1 => "[A-Za-z0-9+/]{1,24}={0,2}",
        1 => "\"[^\"\\n]{0,16}\"",
        1 => "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
    ]
}

/// What follows a token.
fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just(" "), 2 => Just("\n"), 1 => Just("\t"), 1 => Just("\r\n"), 1 => Just("")]
}

/// Type codes for records in RFC 3597 generic form: every type with a text
/// form here, some without, and a private-use one.
const GENERIC_TYPES: &[u16] = &[
    1, 2, 5, 6, 12, 13, 15, 16, 17, 18, 28, 29, 33, 35, 39, 43, 44, 46, 47, 48, 50, 51, 52, 53, 59,
    60, 61, 63, 64, 65, 99, 256, 257, 10, 11, 24, 25, 42, 45, 49, 55, 62, 65280,
];

/// A whole record line in generic form, `owner TYPEn \# length hex`, with
/// random data whose length is right most of the time.
fn generic_record() -> impl Strategy<Value = String> {
    (
        prop::sample::select(GENERIC_TYPES),
        prop::collection::vec(any::<u8>(), 0..48),
        0..8usize,
    )
        .prop_map(|(code, data, skew)| {
            let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
            let len = if skew == 0 {
                data.len() + 1
            } else {
                data.len()
            };
            format!("g TYPE{code} \\# {len} {hex}\n")
        })
}

/// A piece of zone-like text: a token and its separator, or a generic record.
fn chunk() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (token(), separator()).prop_map(|(tok, sep)| tok + sep),
        1 => generic_record(),
    ]
}

/// Zone-like text: chunks, half the time after a valid head.
fn zone_like() -> impl Strategy<Value = Vec<u8>> {
    (any::<bool>(), prop::collection::vec(chunk(), 0..120)).prop_map(|(head, chunks)| {
        let head = if head { HEAD } else { "" };
        [head.to_string(), chunks.concat()].concat().into_bytes()
    })
}

/// Arbitrary bytes, or zone-like text with a few bytes flipped.
fn any_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..4096),
        zone_like(),
        (
            zone_like(),
            prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
        )
            .prop_map(|(mut text, flips)| {
                if !text.is_empty() {
                    for (at, byte) in flips {
                        let i = at.index(text.len());
                        text[i] = byte;
                    }
                }
                text
            }),
    ]
}

fn run(text: &[u8]) -> Zone {
    check(text, &Options::default())
}

fn line_count(text: &[u8]) -> u32 {
    text.split(|&b| b == b'\n').count() as u32
}

/// Renders every diagnostic (as the CLI does), which must not panic either.
fn render_all(zone: &Zone, text: &[u8]) {
    for d in &zone.diagnostics {
        let out = d.render("fuzz.zone", text);
        assert!(out.contains(d.code.as_str()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// (a) Arbitrary bytes never make `check` panic.
    #[test]
    fn never_panics_on_arbitrary_bytes(text in prop::collection::vec(any::<u8>(), 0..4096)) {
        let zone = run(&text);
        render_all(&zone, &text);
        prop_assert_eq!(zone.is_ok(), zone.error_count == 0);
    }

    /// (b) Zone-like text never makes `check` panic.
    #[test]
    fn never_panics_on_zone_like_text(text in zone_like()) {
        let zone = run(&text);
        render_all(&zone, &text);
        prop_assert_eq!(zone.is_ok(), zone.error_count == 0);
    }

    /// (c) Every diagnostic is inside the input and has its code's severity;
    /// the diagnostics are sorted and the error count is exact.
    #[test]
    fn diagnostics_point_inside_the_input(text in any_input()) {
        let zone = run(&text);
        let lines = line_count(&text);
        for d in &zone.diagnostics {
            prop_assert!((1..=lines + 1).contains(&d.line), "line {} of {}: {:?}", d.line, lines, d);
            prop_assert!(d.column >= 1, "column {}: {:?}", d.column, d);
            prop_assert_eq!(d.severity, d.code.severity());
        }
        let positions: Vec<(u32, u32)> = zone.diagnostics.iter().map(|d| (d.line, d.column)).collect();
        prop_assert!(positions.is_sorted(), "not ordered by line and column: {:?}", positions);
        let listed = zone.errors().filter(|d| d.code != Code::TooManyDiagnostics).count();
        if zone.diagnostics.iter().any(|d| d.code == Code::TooManyDiagnostics) {
            prop_assert!(listed <= zone.error_count);
        } else {
            prop_assert_eq!(listed, zone.error_count);
        }
    }

    /// (d) The same input gives the same result.
    #[test]
    fn check_is_deterministic(text in any_input()) {
        let (first, second) = (run(&text), run(&text));
        prop_assert_eq!(&first.diagnostics, &second.diagnostics);
        prop_assert_eq!(&first.records, &second.records);
        prop_assert_eq!(&first.origin, &second.origin);
        prop_assert_eq!(first.error_count, second.error_count);
    }

    /// (e) Records come in file order, each on a line of the input.
    #[test]
    fn records_are_in_file_order(text in any_input()) {
        let zone = run(&text);
        let lines = line_count(&text);
        let record_lines: Vec<u32> = zone.records.iter().map(|r| r.line).collect();
        prop_assert!(record_lines.is_sorted(), "records out of order: {:?}", record_lines);
        for r in &zone.records {
            prop_assert!((1..=lines).contains(&r.line) && r.column >= 1, "{:?}", r);
        }
    }
}
