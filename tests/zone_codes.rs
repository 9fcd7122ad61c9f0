//! Every diagnostic code in `Code::ALL` is produced by some input, at the
//! right line, with its documented severity; a clean lab zone has none.

use grader_core::zone::{Code, Diagnostic, Limits, Options, Severity, Zone, check};
use hickory_proto::rr::Name;

/// A valid zone (lines 1-7): SOA with good timers, two NS with addresses.
/// Rows append their own records from line 8 on.
const BASE: &str = grader_tests::base_zone!();

/// The good SOA timers of `BASE`: refresh retry expire minimum.
const GOOD_TIMERS: &str = "14400 3600 604800 3600";

/// A complete lab zone that must produce no diagnostic at all.
const CLEAN_LAB_ZONE: &str = "\
$ORIGIN lab.example.
$TTL 3600
@\tIN\tSOA\tns1 hostmaster 2024010101 14400 3600 604800 3600
@\tNS\tns1
@\tNS\tns2
ns1\tA\t192.0.2.1
ns2\tA\t192.0.2.2
ns2\tAAAA\t2001:db8::2
www\tA\t192.0.2.10
www\tAAAA\t2001:db8::10
@\tMX\t10 mail
mail\tA\t192.0.2.25
@\tTXT\t\"v=spf1 mx -all\"
_dmarc\tTXT\t\"v=DMARC1; p=reject; rua=mailto:dmarc@lab.example\"
@\tCAA\t0 issue \"letsencrypt.org\"
_sip._tcp\tSRV\t10 5 5060 sip
sip\tA\t192.0.2.50
";

/// `BASE` followed by `extra` (which starts on line 8).
fn base(extra: &str) -> String {
    format!("{BASE}{extra}")
}

/// `BASE` with other SOA timers (the SOA is on line 3).
fn with_timers(timers: &str) -> String {
    BASE.replace(GOOD_TIMERS, timers)
}

/// A label of `n` copies of `c`.
fn label(c: char, n: usize) -> String {
    c.to_string().repeat(n)
}

fn name(text: &str) -> Name {
    Name::from_ascii(text).expect("a valid origin")
}

/// Checks `text` with default limits and an optional origin.
fn check_text(text: &str, origin: Option<&str>) -> Zone {
    check_with(text, origin, Limits::default())
}

fn check_with(text: &str, origin: Option<&str>, limits: Limits) -> Zone {
    let options = Options {
        origin: origin.map(name),
        limits,
    };
    check(text.as_bytes(), &options)
}

/// Diagnostics as `code@line:column` for failure messages.
fn summary(zone: &Zone) -> Vec<String> {
    zone.diagnostics
        .iter()
        .map(|d| format!("{}@{}:{}", d.code, d.line, d.column))
        .collect()
}

/// The first diagnostic with `code`, or a panic listing what was found.
fn find<'z>(zone: &'z Zone, code: &str) -> &'z Diagnostic {
    zone.diagnostics
        .iter()
        .find(|d| d.code.as_str() == code)
        .unwrap_or_else(|| panic!("no `{code}` diagnostic; found {:?}", summary(zone)))
}

/// One row: the code, the origin given (if any), the zone text, and the
/// line the diagnostic must be on.
type Row = (&'static str, Option<&'static str>, String, u32);

fn rows() -> Vec<Row> {
    vec![
        // ---- limits (see `limits_for`) -------------------------------------
        ("input-too-large", None, BASE.to_string(), 1),
        ("line-too-long", None, base(&format!("txt TXT \"{}\"\n", label('a', 200))), 8),
        // Limit of 3 records: the SOA and two NS fit, `ns1 A` on line 6 does not.
        ("too-many-records", None, BASE.to_string(), 6),
        ("generate-too-large", None, base("$GENERATE 1-20 host$ A 192.0.2.$\n"), 8),
        // Limit of 2 diagnostics: the third warning (line 11) is the one not listed.
        (
            "too-many-diagnostics",
            None,
            base("www A 192.0.2.10\nwww A 192.0.2.10\nwww A 192.0.2.10\nwww A 192.0.2.10\n"),
            11,
        ),
        // ---- lexical -------------------------------------------------------
        ("control-character", None, base("www\0 A 192.0.2.10\n"), 8),
        ("unbalanced-parentheses", None, base("www A 192.0.2.10 )\n"), 8),
        ("unterminated-quote", None, base("txt TXT \"hello\n"), 8),
        ("bad-escape", None, base("txt TXT \"a\\256\"\n"), 8),
        // 132,000 fields at most: the 132,001st (line 140) is refused.
        (
            "entry-too-long",
            None,
            base(&format!("txt TXT (\n{})\n", format!("{}\n", ["a"; 1000].join(" ")).repeat(133))),
            140,
        ),
        ("bad-quoting", None, base("www \"A\" 192.0.2.1\n"), 8),
        // ---- directives ----------------------------------------------------
        ("include-refused", None, base("$INCLUDE other.zone\n"), 8),
        ("unknown-directive", None, base("$FOO bar\n"), 8),
        ("bad-directive", None, base("$TTL\n"), 8),
        ("bad-generate", None, base("$GENERATE 10-1 host$ A 192.0.2.$\n"), 8),
        // ---- names ---------------------------------------------------------
        (
            "missing-owner",
            None,
            BASE.replacen("$TTL 3600\n", "$TTL 3600\n\tA 192.0.2.1\n", 1),
            3,
        ),
        ("relative-name-without-origin", None, "$TTL 3600\nwww A 192.0.2.1\n".into(), 2),
        // A SOA owner is the origin only when the SOA is the first record.
        (
            "relative-name-without-origin",
            None,
            format!("ns1.lab.example. 3600 A 192.0.2.1\nlab.example. 3600 SOA ns1.lab.example. hostmaster.lab.example. 1 {GOOD_TIMERS}\nwww A 192.0.2.1\n"),
            3,
        ),
        ("empty-label", None, base("www..lab.example. A 192.0.2.1\n"), 8),
        ("label-too-long", None, base(&format!("{} A 192.0.2.1\n", label('a', 64))), 8),
        (
            "name-too-long",
            None,
            base(&format!("{} TXT \"x\"\n", vec![label('a', 63); 4].join("."))),
            8,
        ),
        // ---- record head ---------------------------------------------------
        ("missing-ttl", None, "$ORIGIN lab.example.\nwww A 192.0.2.1\n".into(), 2),
        ("bad-ttl", None, base("www 1x A 192.0.2.1\n"), 8),
        ("missing-type", None, base("www 3600 IN\n"), 8),
        ("unknown-type", None, base("www FOO 192.0.2.1\n"), 8),
        ("unsupported-type", None, base("www ANY 192.0.2.1\n"), 8),
        ("class-mismatch", None, base("www CH A 192.0.2.1\n"), 8),
        // ---- record data ---------------------------------------------------
        ("missing-rdata", None, base("www A\n"), 8),
        ("extra-rdata", None, base("www A 192.0.2.1 192.0.2.2\n"), 8),
        ("bad-ipv4", None, base("www A 192.0.2.300\n"), 8),
        ("bad-ipv6", None, base("www AAAA 2001:db8::zz\n"), 8),
        ("bad-number", None, base("@ MX x mail\n"), 8),
        ("bad-hex", None, base("www SSHFP 1 1 abcg\n"), 8),
        ("bad-base64", None, base("@ DNSKEY 257 3 13 !!!!\n"), 8),
        ("bad-base32", None, base("h NSEC3 1 0 0 - zzzz A\n"), 8),
        (
            "bad-time",
            None,
            base("@ RRSIG A 13 2 3600 20261399000000 20240101000000 12345 lab.example. AAAA\n"),
            8,
        ),
        ("string-too-long", None, base(&format!("txt TXT \"{}\"\n", label('a', 256))), 8),
        ("bad-algorithm", None, base("@ DNSKEY 257 3 FOO AAAA\n"), 8),
        ("bad-digest-length", None, base("child DS 12345 13 2 abcd\n"), 8),
        ("bad-loc", None, base("@ LOC 52 22 23.000 X 4 53 32.000 E -2.00m\n"), 8),
        ("bad-svc-param", None, base("@ HTTPS 1 . foo=bar\n"), 8),
        ("bad-caa-tag", None, base("@ CAA 0 is-sue \"ca.example\"\n"), 8),
        ("bad-generic-rdata", None, base("www A \\# 5 c0000201\n"), 8),
        (
            "rdata-too-long",
            None,
            base(&format!("txt TXT{}\n", format!(" \"{}\"", label('a', 255)).repeat(260))),
            8,
        ),
        // ---- integrity: errors ---------------------------------------------
        (
            "soa-missing",
            None,
            "$ORIGIN lab.example.\n$TTL 3600\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n"
                .into(),
            3,
        ),
        (
            "soa-not-at-apex",
            None,
            base(&format!("sub SOA ns1 hostmaster 1 {GOOD_TIMERS}\n")),
            8,
        ),
        ("soa-multiple", None, base(&format!("@ SOA ns1 hostmaster 2 {GOOD_TIMERS}\n")), 8),
        (
            "ns-missing",
            None,
            format!("$ORIGIN lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 {GOOD_TIMERS}\n"),
            3,
        ),
        ("out-of-zone", None, base("www.other.example. A 192.0.2.1\n"), 8),
        ("cname-at-apex", None, base("@ CNAME www\nwww A 192.0.2.10\n"), 8),
        // The CNAME (line 9) is what breaks the rule, and where BIND stops.
        ("cname-and-other-data", None, base("www A 192.0.2.10\nwww CNAME ns1\n"), 9),
        ("cname-multiple", None, base("alias CNAME ns1\nalias CNAME ns2\n"), 9),
        ("ns-target-cname", None, base("@ NS alias\nalias CNAME ns1\n"), 8),
        ("ns-target-no-address", None, base("@ NS ns3\n"), 8),
        ("ns-target-below-dname", None, base("@ NS ns.d\nd DNAME other.example.\n"), 8),
        ("glue-missing", None, base("child NS ns.child\n"), 8),
        ("dname-multiple", None, base("d DNAME a.example.\nd DNAME b.example.\n"), 9),
        ("dname-with-children", None, base("d DNAME other.example.\nx.d TXT \"x\"\n"), 9),
        ("ns-beside-dname", None, base("d DNAME other.example.\nd NS ns1\n"), 9),
        ("bad-hostname", None, base("under_score A 192.0.2.1\n"), 8),
        (
            "bad-nsec3-owner",
            None,
            base("www NSEC3 1 0 0 - 0123456789abcdefghijklmnopqrstuv A\n"),
            8,
        ),
        ("ds-at-apex", None, base(&format!("@ DS 12345 13 2 {}\n", "ab".repeat(32))), 8),
        ("wildcard-ns", None, base("* NS ns1.example.net.\n"), 8),
        // ---- integrity: warnings (otherwise valid zones) -------------------
        ("duplicate-record", None, base("www A 192.0.2.10\nwww A 192.0.2.10\n"), 9),
        ("ttl-mismatch", None, base("www 300 A 192.0.2.10\nwww 600 A 192.0.2.11\n"), 9),
        (
            "single-ns",
            None,
            format!(
                "$ORIGIN lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 {GOOD_TIMERS}\n@ NS ns1\nns1 A 192.0.2.1\n"
            ),
            4,
        ),
        ("delegation-target-cname", None, base("child NS alias\nalias CNAME ns1\n"), 8),
        ("delegation-target-no-address", None, base("child NS nsx\n"), 8),
        (
            "mx-target-cname",
            None,
            base("@ MX 10 alias\nalias CNAME mail\nmail A 192.0.2.25\n"),
            8,
        ),
        ("srv-target-cname", None, base("_sip._tcp SRV 0 5 5060 alias\nalias CNAME ns1\n"), 8),
        ("mx-target-no-address", None, base("@ MX 10 mail\n"), 8),
        ("srv-target-no-address", None, base("_sip._tcp SRV 0 5 5060 sip\n"), 8),
        ("target-is-address", None, base("@ MX 10 192.0.2.25.\n"), 8),
        ("soa-refresh-low", None, with_timers("7200 3600 604800 3600"), 3),
        ("soa-retry-low", None, with_timers("14400 600 604800 3600"), 3),
        ("soa-retry-not-below-refresh", None, with_timers("14400 14400 604800 3600"), 3),
        ("soa-expire-low", None, with_timers("14400 3600 86400 3600"), 3),
        ("soa-minimum-range", None, with_timers("14400 3600 604800 60"), 3),
        ("wildcard-non-terminal", None, base("a.*.b TXT \"x\"\n"), 8),
        (
            "ds-not-at-delegation",
            None,
            base(&format!("www DS 12345 13 2 {}\n", "ab".repeat(32))),
            8,
        ),
        (
            "occluded-data",
            None,
            base("child NS ns.child\nns.child A 192.0.2.53\nx.child TXT \"hidden\"\n"),
            10,
        ),
        ("nsec3-iterations", None, base("@ NSEC3PARAM 1 0 10 -\n"), 8),
        ("nsec3-salt", None, base("@ NSEC3PARAM 1 0 0 aabbccdd\n"), 8),
        ("ttl-too-large", None, base("www 2147483648 A 192.0.2.10\n"), 8),
        // ---- with the origin given instead of $ORIGIN ----------------------
        (
            "single-ns",
            Some("lab.example."),
            format!("$TTL 3600\n@ SOA ns1 hostmaster 1 {GOOD_TIMERS}\n@ NS ns1\nns1 A 192.0.2.1\n"),
            3,
        ),
        ("out-of-zone", Some("lab.example."), "$TTL 3600\nwww.other.example. A 192.0.2.1\n".into(), 2),
    ]
}

/// The limits a row runs with: tiny where the code is about a limit.
fn limits_for(code: &str) -> Limits {
    let mut limits = Limits::default();
    match code {
        "input-too-large" => limits.max_input_bytes = 64,
        "line-too-long" => limits.max_line_bytes = 100,
        "too-many-records" => limits.max_records = 3,
        "generate-too-large" => limits.max_generate = 10,
        "too-many-diagnostics" => limits.max_diagnostics = 2,
        _ => {}
    }
    limits
}

/// What is wrong with one row, if anything.
fn row_problem((code_text, origin, text, line): &Row) -> Option<String> {
    let Some(code) = Code::from_text(code_text) else {
        return Some(format!("`{code_text}` is not a diagnostic code"));
    };
    let zone = check_with(text, *origin, limits_for(code_text));
    let Some(d) = zone
        .diagnostics
        .iter()
        .find(|d| d.code == code && d.line == *line)
    else {
        return Some(format!(
            "`{code_text}`: expected on line {line}; found {:?}",
            summary(&zone)
        ));
    };
    if d.severity != code.severity() {
        return Some(format!(
            "`{code_text}`: severity {:?}, expected {:?}",
            d.severity,
            code.severity()
        ));
    }
    if d.column < 1 {
        return Some(format!("`{code_text}`: column {} is not 1-based", d.column));
    }
    match code.severity() {
        Severity::Error if zone.is_ok() => {
            Some(format!("`{code_text}`: an error, yet the zone is ok"))
        }
        Severity::Warning if !zone.is_ok() => Some(format!(
            "`{code_text}`: a warning row, yet the zone has errors: {:?}",
            summary(&zone)
        )),
        _ => None,
    }
}

#[test]
fn every_row_produces_its_code_at_its_line() {
    let problems: Vec<String> = rows().iter().filter_map(row_problem).collect();
    assert!(
        problems.is_empty(),
        "{} row(s) failed:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_table_covers_every_code() {
    let rows = rows();
    // The DNSSEC validator's codes have their own table (dnssec_codes.rs).
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !grader_core::dnssec::CODES.contains(c))
        .map(|c| c.as_str())
        .filter(|c| !rows.iter().any(|row| row.0 == *c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a row in the table: {missing:?}"
    );
}

#[test]
fn code_texts_round_trip() {
    for &code in Code::ALL {
        assert_eq!(Code::from_text(code.as_str()), Some(code), "{code:?}");
        assert_eq!(code.to_string(), code.as_str());
    }
    assert_eq!(Code::from_text("no-such-code"), None);
}

#[test]
fn a_clean_lab_zone_has_no_diagnostics() {
    let zone = check_text(CLEAN_LAB_ZONE, None);
    assert!(
        zone.diagnostics.is_empty(),
        "unexpected diagnostics: {:?}",
        zone.diagnostics
    );
    assert_eq!(zone.error_count, 0);
    assert!(zone.is_ok());
    assert_eq!(zone.origin, Some(name("lab.example.")));
    assert_eq!(zone.records.len(), 15);
    let lines: Vec<u32> = zone.records.iter().map(|r| r.line).collect();
    assert_eq!(
        lines,
        (3..=17).collect::<Vec<u32>>(),
        "one record per line, in file order"
    );
}

#[test]
fn the_clean_lab_zone_is_clean_with_the_origin_given_too() {
    let text = CLEAN_LAB_ZONE.replace("$ORIGIN lab.example.\n", "");
    let zone = check_text(&text, Some("lab.example."));
    assert!(
        zone.diagnostics.is_empty(),
        "unexpected diagnostics: {:?}",
        zone.diagnostics
    );
    assert_eq!(zone.records.len(), 15);
}

#[test]
fn bad_ipv4_names_the_address_and_points_at_it() {
    let zone = check_text(&base("www A 192.0.2.300\n"), None);
    let d = find(&zone, "bad-ipv4");
    assert_eq!((d.line, d.column), (8, 7));
    assert_eq!(d.text, "192.0.2.300");
    assert!(d.message.contains("192.0.2.300"), "message: {}", d.message);
    assert_eq!(
        zone.records.len(),
        5,
        "the bad record is not read, the others are"
    );
}

#[test]
fn messages_say_what_to_fix() {
    // (zone text, code, words the message must contain)
    let cases: Vec<(String, &str, Vec<&str>)> = vec![
        (base("www FOO 192.0.2.1\n"), "unknown-type", vec!["FOO"]),
        (base("www 1x A 192.0.2.1\n"), "bad-ttl", vec!["1x", "3600"]),
        (
            base(&format!("{} A 192.0.2.1\n", label('a', 64))),
            "label-too-long",
            vec!["64", "63"],
        ),
        (
            base("@ NS ns3\n"),
            "ns-target-no-address",
            vec!["ns3.lab.example."],
        ),
        (
            "$ORIGIN lab.example.\nwww A 192.0.2.1\n".into(),
            "missing-ttl",
            vec!["$TTL"],
        ),
        (
            base(&format!("t TXT \"{}\"\n", label('a', 256))),
            "string-too-long",
            vec!["256", "255"],
        ),
        (
            base("$INCLUDE other.zone\n"),
            "include-refused",
            vec!["$INCLUDE"],
        ),
        (
            base("www.other.example. A 192.0.2.1\n"),
            "out-of-zone",
            vec!["www.other.example.", "dot"],
        ),
        (
            with_timers("7200 3600 604800 3600"),
            "soa-refresh-low",
            vec!["7200", "14400"],
        ),
        (
            base("child DS 12345 13 2 abcd\n"),
            "bad-digest-length",
            vec!["32", "2 octets"],
        ),
    ];
    for (text, code, words) in cases {
        let zone = check_text(&text, None);
        let d = find(&zone, code);
        for word in words {
            assert!(
                d.message.contains(word),
                "`{code}` message lacks `{word}`: {}",
                d.message
            );
        }
    }
}

#[test]
fn columns_point_at_the_offending_token() {
    // (line 8 of the zone, code, column, offending text)
    let cases = [
        ("www A 192.0.2.300", "bad-ipv4", 7, "192.0.2.300"),
        ("www 1x A 192.0.2.1", "bad-ttl", 5, "1x"),
        ("www A 192.0.2.1 192.0.2.2", "extra-rdata", 17, "192.0.2.2"),
        ("www\tFOO\t1", "unknown-type", 5, "FOO"),
        ("www A ( 192.0.2.10", "unbalanced-parentheses", 7, "("),
        ("www A 192.0.2.10 )", "unbalanced-parentheses", 18, ")"),
        ("txt TXT \"hello", "unterminated-quote", 9, "\""),
        ("www\0 A 192.0.2.10", "control-character", 4, ""),
        // The missing field is right after the last token.
        ("www A", "missing-rdata", 6, ""),
        // Columns count characters, not bytes: `é` is one column.
        (
            "txt TXT \"h\u{e9}llo\" \"\\256\"",
            "bad-escape",
            18,
            "\\256",
        ),
        // The class is what does not match, not the type after it.
        ("www CH A 192.0.2.1", "class-mismatch", 5, "CH"),
    ];
    let mut problems = Vec::new();
    for (line, code, column, text) in cases {
        let zone = check_text(&base(&format!("{line}\n")), None);
        match zone.diagnostics.iter().find(|d| d.code.as_str() == code) {
            Some(d) if (d.line, d.column, d.text.as_str()) == (8, column, text) => {}
            Some(d) => problems.push(format!(
                "{line:?}: `{code}` at 8:{column} `{text}` expected, got {}:{} `{}`",
                d.line, d.column, d.text
            )),
            None => problems.push(format!("{line:?}: no `{code}`; found {:?}", summary(&zone))),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_mx_or_ns_target_written_as_an_address_is_flagged() {
    // Students write the address itself, without a trailing dot; it is then
    // read relative to the origin (`192.0.2.25.lab.example.`), but it is
    // still an address written where a host name belongs (BIND: "MX is an
    // address", checked on the text as written).
    for extra in ["@ MX 10 192.0.2.25\n", "@ NS 192.0.2.1\n"] {
        let zone = check_text(&base(extra), None);
        let d = find(&zone, "target-is-address");
        assert_eq!(d.line, 8, "{extra:?}");
    }
}

#[test]
fn severities_are_the_documented_ones() {
    let warnings: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| c.severity() == Severity::Warning)
        .map(|c| c.as_str())
        .collect();
    for w in [
        "duplicate-record",
        "single-ns",
        "soa-refresh-low",
        "ttl-too-large",
        "nsec3-salt",
        "too-many-diagnostics",
    ] {
        assert!(warnings.contains(&w), "{w} should be a warning");
    }
    for e in ["bad-ipv4", "soa-missing", "cname-and-other-data"] {
        assert_eq!(
            Code::from_text(e).map(Code::severity),
            Some(Severity::Error),
            "{e}"
        );
    }
}

#[test]
fn names_in_diagnostics_use_decimal_escapes() {
    // RFC 1035 §5.1: `\DDD` is a decimal octet. The student wrote `\032`
    // (a space); the diagnostic must show it the same way, not in octal.
    let zone = check_text(&base("a\\032b.other.example. TXT \"x\"\n"), None);
    let d = find(&zone, "out-of-zone");
    assert_eq!(d.text, "a\\032b.other.example.");
    assert!(
        d.message.contains("`a\\032b.other.example.`"),
        "{}",
        d.message
    );
}
