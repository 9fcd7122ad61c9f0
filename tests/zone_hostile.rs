//! Hostile input: every case returns (no panic, no hang) with the right
//! diagnostics, and reading goes on after an error.

use grader_core::zone::{Code, Limits, Options, Zone, check};
use hickory_proto::rr::RData;

/// A valid zone (lines 1-7); hostile lines are appended from line 8 on.
const BASE: &str = grader_tests::base_zone!();

/// Records in `BASE`.
const BASE_RECORDS: usize = 5;

fn base(extra: &[u8]) -> Vec<u8> {
    [BASE.as_bytes(), extra].concat()
}

fn check_bytes(text: &[u8]) -> Zone {
    check(text, &Options::default())
}

fn check_limited(text: &[u8], limits: Limits) -> Zone {
    check(
        text,
        &Options {
            origin: None,
            limits,
        },
    )
}

fn codes(zone: &Zone) -> Vec<&'static str> {
    zone.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// The single diagnostic with `code`, as (line, column).
fn position(zone: &Zone, code: Code) -> (u32, u32) {
    let found: Vec<_> = zone.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one `{code}`, found {:?}",
        zone.diagnostics
    );
    (found[0].line, found[0].column)
}

/// Number of lines of `text` (a final line without newline counts).
fn line_count(text: &[u8]) -> u32 {
    text.split(|&b| b == b'\n').count() as u32
}

/// Deterministic pseudo-random bytes (xorshift64).
fn xorshift_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_garbage_is_reported_as_not_a_zone() {
    let garbage = xorshift_bytes(0x9E37_79B9_7F4A_7C15, 64 << 10);
    let zone = check_bytes(&garbage);
    assert!(!zone.is_ok());
    assert!(
        codes(&zone).contains(&"control-character"),
        "{:?}",
        codes(&zone)
    );
    let limit = Limits::default().max_diagnostics;
    assert!(
        zone.diagnostics.len() <= limit + 1,
        "{} diagnostics",
        zone.diagnostics.len()
    );
    let lines = line_count(&garbage);
    for d in &zone.diagnostics {
        assert!(
            (1..=lines).contains(&d.line) && d.column >= 1,
            "{d:?} outside the input"
        );
    }
}

#[test]
fn binary_garbage_after_a_good_zone_keeps_the_good_records() {
    let mut text = base(b"");
    text.extend(
        xorshift_bytes(42, 4096)
            .into_iter()
            .map(|b| if b == b'\n' { b'x' } else { b }),
    );
    let zone = check_bytes(&text);
    assert_eq!(zone.records.len(), BASE_RECORDS);
    let d = &zone.errors().next().expect("an error");
    assert_eq!(d.line, 8, "the garbage line is blamed: {d:?}");
}

#[test]
fn a_ten_megabyte_line_is_skipped() {
    let mut text = base(b"x");
    text.extend(std::iter::repeat_n(b'a', 10 << 20));
    text.extend_from_slice(b" A 192.0.2.9\nwww A 192.0.2.10\n");
    let zone = check_bytes(&text);
    assert_eq!(position(&zone, Code::LineTooLong), (8, 1));
    assert_eq!(codes(&zone), ["line-too-long"]);
    assert_eq!(
        zone.records.len(),
        BASE_RECORDS + 1,
        "the line after the long one is read"
    );
    assert_eq!(zone.records.last().map(|r| r.line), Some(9));
}

#[test]
fn a_ten_megabyte_comment_is_still_a_long_line() {
    let mut text = base(b";");
    text.extend(std::iter::repeat_n(b'c', 10 << 20));
    text.push(b'\n');
    let zone = check_bytes(&text);
    assert_eq!(position(&zone, Code::LineTooLong), (8, 1));
}

#[test]
fn an_open_parenthesis_never_closed_is_blamed_at_its_line() {
    let zone = check_bytes(&base(b"www A (\n192.0.2.10\n\n; comment\n"));
    assert_eq!(position(&zone, Code::UnbalancedParentheses), (8, 7));
    assert_eq!(zone.records.len(), BASE_RECORDS);
    assert!(!zone.is_ok());
}

#[test]
fn a_close_parenthesis_without_open_is_blamed() {
    let zone = check_bytes(&base(b")\nwww A 192.0.2.10\n"));
    assert_eq!(position(&zone, Code::UnbalancedParentheses), (8, 1));
    assert_eq!(
        zone.records.len(),
        BASE_RECORDS + 1,
        "the next line is read"
    );

    let zone = check_bytes(&base(b"www A ( 192.0.2.10 ) )\n"));
    assert_eq!(position(&zone, Code::UnbalancedParentheses), (8, 22));
}

#[test]
fn an_unterminated_quote_ends_at_its_line() {
    let zone = check_bytes(&base(b"txt TXT \"hello\nwww A 192.0.2.10\n"));
    assert_eq!(position(&zone, Code::UnterminatedQuote), (8, 9));
    assert_eq!(codes(&zone), ["unterminated-quote"]);
    assert_eq!(
        zone.records.len(),
        BASE_RECORDS + 1,
        "the next line is read"
    );
}

#[test]
fn a_label_of_64_octets_is_too_long_and_63_is_fine() {
    let long = base(format!("{} TXT \"x\"\n", "a".repeat(64)).as_bytes());
    let zone = check_bytes(&long);
    assert_eq!(position(&zone, Code::LabelTooLong), (8, 1));

    let fine = base(format!("{} TXT \"x\"\n", "a".repeat(63)).as_bytes());
    let zone = check_bytes(&fine);
    assert!(zone.diagnostics.is_empty(), "{:?}", zone.diagnostics);
}

/// A name under `lab.example.` (13 octets) whose wire form is `octets` long.
fn name_of_wire_length(octets: usize) -> String {
    // Three 63-octet labels (64 wire octets each), then one to make up the rest.
    let last = octets - 13 - 3 * 64 - 1;
    format!(
        "{a}.{a}.{a}.{}.lab.example.",
        "b".repeat(last),
        a = "a".repeat(63)
    )
}

#[test]
fn a_name_of_256_octets_is_too_long_and_255_is_fine() {
    let zone = check_bytes(&base(
        format!("{} TXT \"x\"\n", name_of_wire_length(256)).as_bytes(),
    ));
    assert_eq!(position(&zone, Code::NameTooLong), (8, 1));
    assert_eq!(zone.records.len(), BASE_RECORDS);

    let zone = check_bytes(&base(
        format!("{} TXT \"x\"\n", name_of_wire_length(255)).as_bytes(),
    ));
    assert!(zone.diagnostics.is_empty(), "{:?}", zone.diagnostics);
    assert_eq!(zone.records.len(), BASE_RECORDS + 1);
}

#[test]
fn a_huge_generate_makes_no_record() {
    let zone = check_bytes(&base(b"$GENERATE 1-10000000 host$ A 192.0.2.1\n"));
    assert_eq!(position(&zone, Code::GenerateTooLarge), (8, 11));
    assert_eq!(zone.records.len(), BASE_RECORDS, "zero records generated");
    assert!(
        zone.records
            .iter()
            .all(|r| !r.record.name.to_ascii().starts_with("host"))
    );
}

#[test]
fn a_generate_within_the_limit_is_expanded() {
    let zone = check_bytes(&base(b"$GENERATE 1-4 host$ A 192.0.2.$\n"));
    assert!(zone.diagnostics.is_empty(), "{:?}", zone.diagnostics);
    assert_eq!(zone.records.len(), BASE_RECORDS + 4);
    assert!(zone.records[BASE_RECORDS..].iter().all(|r| r.line == 8));
}

#[test]
fn a_file_over_the_input_limit_is_refused_whole() {
    let text = base(b"www A 192.0.2.10\n");
    let limits = Limits {
        max_input_bytes: text.len() - 1,
        ..Limits::default()
    };
    let zone = check_limited(&text, limits);
    assert_eq!(codes(&zone), ["input-too-large"]);
    assert_eq!(position(&zone, Code::InputTooLarge), (1, 1));
    assert!(zone.records.is_empty());

    let limits = Limits {
        max_input_bytes: text.len(),
        ..Limits::default()
    };
    let zone = check_limited(&text, limits);
    assert!(
        zone.diagnostics.is_empty(),
        "exactly at the limit is fine: {:?}",
        zone.diagnostics
    );
}

#[test]
fn a_million_errors_are_counted_exactly_and_listed_up_to_the_limit() {
    const ERRORS: usize = 1_000_000;
    let text = base("x A 1\n".repeat(ERRORS).as_bytes());
    let zone = check_bytes(&text);
    let limit = Limits::default().max_diagnostics;
    assert_eq!(zone.error_count, ERRORS);
    assert_eq!(
        zone.diagnostics.len(),
        limit + 1,
        "the limit, plus the notice"
    );
    let notice = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::TooManyDiagnostics);
    let notice = notice.expect("a too-many-diagnostics notice");
    assert_eq!(
        notice.line,
        8 + limit as u32,
        "at the first problem not listed"
    );
    assert!(
        notice.message.contains(&limit.to_string()),
        "{}",
        notice.message
    );
    assert_eq!(zone.records.len(), BASE_RECORDS);
}

#[test]
fn a_small_diagnostic_limit_is_respected() {
    let text = base("x A 1\n".repeat(50).as_bytes());
    let zone = check_limited(
        &text,
        Limits {
            max_diagnostics: 3,
            ..Limits::default()
        },
    );
    assert_eq!(zone.error_count, 50);
    assert_eq!(
        codes(&zone),
        ["bad-ipv4", "bad-ipv4", "bad-ipv4", "too-many-diagnostics"]
    );
}

#[test]
fn nul_bytes_are_control_characters() {
    let zone = check_bytes(&base(b"www A 192.0.2.10\0\n\0\0\0\nok A 192.0.2.11\n"));
    let found: Vec<(u32, u32)> = zone
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::ControlCharacter)
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [(8, 17), (9, 1)],
        "one report per line, at the first NUL"
    );
    assert_eq!(
        zone.records.len(),
        BASE_RECORDS + 1,
        "only `ok` is read after the base"
    );

    let zone = check_bytes(b"\0\0\0\0");
    assert_eq!(position(&zone, Code::ControlCharacter), (1, 1));
}

#[test]
fn invalid_utf8_inside_a_txt_string_is_kept_as_bytes() {
    let zone = check_bytes(&base(b"txt TXT \"caf\xff\xfe\"\n"));
    assert!(zone.diagnostics.is_empty(), "{:?}", zone.diagnostics);
    let txt = zone.records.last().expect("the TXT record");
    let RData::TXT(data) = &txt.record.data else {
        panic!("not TXT: {:?}", txt.record)
    };
    assert_eq!(&*data.txt_data[0], b"caf\xff\xfe");
}

#[test]
fn invalid_utf8_inside_an_owner_name_is_not_a_host_name() {
    let text = base(b"caf\xff A 192.0.2.1\n");
    let zone = check_bytes(&text);
    let d = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::BadHostname)
        .expect("bad-hostname");
    assert_eq!((d.line, d.column), (8, 1));
    // The text is the owner as written (one `�` for the byte, as the
    // rendered line shows it); the message names it with a decimal escape.
    assert_eq!(d.text, "caf\u{fffd}");
    assert!(
        d.message.contains("caf\\255"),
        "the byte is shown escaped: {:?}",
        d.message
    );
    let rendered = d.render("lab.zone", &text);
    assert!(rendered.contains("lab.zone:8:1"), "{rendered}");
}

#[test]
fn invalid_utf8_in_an_address_is_reported_with_a_replacement_character() {
    let zone = check_bytes(&base(b"www A 192.0.2.\xff\n"));
    let d = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::BadIpv4)
        .expect("bad-ipv4");
    assert_eq!((d.line, d.column), (8, 7));
    assert_eq!(d.text, "192.0.2.\u{fffd}");
}

#[test]
fn crlf_line_endings_read_like_lf() {
    let lf = base(b"www A 192.0.2.10\nwww TXT \"quoted\" ( \"and\"\n \"continued\" )\n");
    let crlf: Vec<u8> = String::from_utf8(lf.clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    let (zone_lf, zone_crlf) = (check_bytes(&lf), check_bytes(&crlf));
    assert!(
        zone_crlf.diagnostics.is_empty(),
        "{:?}",
        zone_crlf.diagnostics
    );
    assert_eq!(zone_crlf.records, zone_lf.records);

    let zone = check_bytes(&base(b"www A 192.0.2.300\r\n"));
    let d = zone.errors().next().expect("bad-ipv4");
    assert_eq!(
        (d.code, d.line, d.column, d.text.as_str()),
        (Code::BadIpv4, 8, 7, "192.0.2.300")
    );
}

#[test]
fn empty_or_comment_only_input_has_no_soa() {
    for text in [
        "",
        "\n\n",
        "   \t\n",
        "; only a comment\n",
        "; one\n\n  ; two\n; three",
    ] {
        let zone = check_bytes(text.as_bytes());
        assert_eq!(codes(&zone), ["soa-missing"], "{text:?}");
        assert_eq!(position(&zone, Code::SoaMissing), (1, 1), "{text:?}");
        assert!(zone.records.is_empty());
    }
}

#[test]
fn nested_parentheses_read_fine() {
    let text = "\
$ORIGIN lab.example.
$TTL 3600
@ SOA ns1 hostmaster ( 1 ; serial
        ( 14400 3600 )   ; refresh retry
        ( 604800 ( 3600 ) ) )
@ NS ( ns1 )
@ NS ns2
ns1 A 192.0.2.1
ns2 A 192.0.2.2
";
    let zone = check_bytes(text.as_bytes());
    assert!(zone.diagnostics.is_empty(), "{:?}", zone.diagnostics);
    let lines: Vec<u32> = zone.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 6, 7, 8, 9]);
}

#[test]
fn a_thousand_nested_parentheses_read_fine() {
    let deep = format!(
        "www A {} 192.0.2.10 {}\n",
        "(".repeat(1000),
        ")".repeat(1000)
    );
    let zone = check_bytes(&base(deep.as_bytes()));
    assert!(zone.diagnostics.is_empty(), "{:?}", zone.diagnostics);
    assert_eq!(zone.records.len(), BASE_RECORDS + 1);

    let unclosed = format!(
        "www A {} 192.0.2.10 {}\n",
        "(".repeat(1000),
        ")".repeat(999)
    );
    let zone = check_bytes(&base(unclosed.as_bytes()));
    assert_eq!(position(&zone, Code::UnbalancedParentheses), (8, 7));
}

#[test]
fn reading_goes_on_after_errors() {
    let text = "\
$ORIGIN lab.example.
$TTL 3600
@ SOA ns1 hostmaster 1 14400 3600 604800 3600
@ NS ns1
www A 192.0.2.300
@ NS ns2
ns1 A 192.0.2.1
ns2 A 192.0.2.2
mail 1x A 192.0.2.25
ok A 192.0.2.3
ok2 A 192.0.2.4
bad FOO x
last A 192.0.2.5
";
    let zone = check_bytes(text.as_bytes());
    let errors: Vec<(&str, u32)> = zone.errors().map(|d| (d.code.as_str(), d.line)).collect();
    assert_eq!(
        errors,
        [("bad-ipv4", 5), ("bad-ttl", 9), ("unknown-type", 12)]
    );
    assert_eq!(zone.error_count, 3);
    let lines: Vec<u32> = zone.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 6, 7, 8, 10, 11, 13]);
}

#[test]
fn a_flood_of_warnings_is_consistent_about_errors() {
    // 1,100 copies of one record: 1,099 duplicate-record warnings, no error.
    let text = base("www A 192.0.2.10\n".repeat(1100).as_bytes());
    let zone = check_bytes(&text);
    assert_eq!(zone.error_count, 0);
    // The kept warnings, plus the notice that the rest were dropped.
    assert_eq!(
        zone.warnings().count(),
        Limits::default().max_diagnostics + 1
    );
    assert!(codes(&zone).contains(&"too-many-diagnostics"));
    // The notice that warnings were dropped must not turn an acceptable zone
    // into one that lists an error while `is_ok()` (and the CLI) say it has none.
    assert_eq!(
        zone.is_ok(),
        zone.errors().next().is_none(),
        "is_ok() = {} but errors() = {:?}",
        zone.is_ok(),
        zone.errors().collect::<Vec<_>>()
    );
}
