//! Regression tests for the zone-reader review: each test names the review
//! item it locks in and checks what a user sees (codes, lines, columns,
//! record bytes, accept/reject). The accept/reject verdicts that mirror
//! BIND are also in `tests/zones/differential/`, checked live against
//! `named-checkzone`.

use std::time::{Duration, Instant};

use grader_core::zone::{Code, Limits, Options, Zone, check, rdata_wire};
use hickory_proto::rr::{DNSClass, Name, RData};

/// A valid zone (lines 1-7); tests append from line 8 on.
const BASE: &str = grader_tests::base_zone!();

/// Records in `BASE`.
const BASE_RECORDS: usize = 5;

fn base(extra: &str) -> String {
    format!("{BASE}{extra}")
}

fn check_text(text: &str) -> Zone {
    check(text.as_bytes(), &Options::default())
}

fn check_bytes(text: &[u8]) -> Zone {
    check(text, &Options::default())
}

fn check_limited(text: &str, limits: Limits) -> Zone {
    check(
        text.as_bytes(),
        &Options {
            origin: None,
            limits,
        },
    )
}

/// Diagnostics as `code@line:column`.
fn summary(zone: &Zone) -> Vec<String> {
    zone.diagnostics
        .iter()
        .map(|d| format!("{}@{}:{}", d.code, d.line, d.column))
        .collect()
}

/// The errors as `code@line`.
fn errors(zone: &Zone) -> Vec<String> {
    zone.errors()
        .map(|d| format!("{}@{}", d.code, d.line))
        .collect()
}

/// Whether `zone` has a diagnostic `code` on `line`.
fn has(zone: &Zone, code: &str, line: u32) -> bool {
    zone.diagnostics
        .iter()
        .any(|d| d.code.as_str() == code && d.line == line)
}

/// The records whose owner starts with `label.` (lowercase), in file order.
fn records_at<'z>(zone: &'z Zone, label: &str) -> Vec<&'z grader_core::zone::ZoneRecord> {
    let prefix = format!("{label}.");
    zone.records
        .iter()
        .filter(|r| {
            r.record
                .name
                .to_ascii()
                .to_ascii_lowercase()
                .starts_with(&prefix)
        })
        .collect()
}

fn wire(r: &grader_core::zone::ZoneRecord) -> Vec<u8> {
    rdata_wire(&r.record.data).expect("hickory encodes the record")
}

// ---- 1. $GENERATE memory ---------------------------------------------------

#[test]
fn item01_a_generate_of_a_gigabyte_is_refused_before_it_starts() {
    // 16,384 records of 64 KB of TXT each (1 GiB) from a 66 KB line.
    let strings = format!("\\\"{}\\\" ", "a".repeat(255)).repeat(255);
    let text = base(&format!("$GENERATE 0-16383 h$ TXT \"{strings}\"\n"));
    assert!(text.len() < 70_000);
    let started = Instant::now();
    let zone = check_text(&text);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert!(has(&zone, "generate-too-large", 8), "{:?}", summary(&zone));
    let d = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::GenerateTooLarge)
        .expect("generate-too-large");
    assert_eq!((d.column, d.text.as_str()), (11, "0-16383"));
    assert_eq!(zone.records.len(), BASE_RECORDS, "no record generated");

    // The original attack, the rhs as many unquoted fields: the rhs of
    // $GENERATE is one field (BIND), so it is refused at once.
    let fields = format!("\"{}\" ", "a".repeat(255)).repeat(255);
    let zone = check_text(&base(&format!("$GENERATE 0-16383 h$ TXT ( {fields})\n")));
    assert!(has(&zone, "bad-generate", 8), "{:?}", summary(&zone));
    assert_eq!(zone.records.len(), BASE_RECORDS);
}

#[test]
fn item01_the_generate_budget_is_for_the_whole_zone() {
    let limits = Limits {
        max_generate_bytes: 4000,
        ..Limits::default()
    };
    // Each line makes about 100 records of ~30 bytes of text and data.
    let one = "$GENERATE 1-100 h$ TXT \"x$\"\n";
    let zone = check_limited(&base(one), limits.clone());
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    assert_eq!(zone.records.len(), BASE_RECORDS + 100);
    let zone = check_limited(&base(&one.repeat(3)), limits);
    assert!(
        has(&zone, "generate-too-large", 9) || has(&zone, "generate-too-large", 10),
        "{:?}",
        summary(&zone)
    );
    // All or nothing: a refused $GENERATE makes no record.
    assert_eq!((zone.records.len() - BASE_RECORDS) % 100, 0);
    assert_eq!(Limits::default().max_generate_bytes, 16 << 20);
}

// ---- 2. SVCB parameters ------------------------------------------------------

#[test]
fn item02_many_svcb_parameters_are_read_quickly_and_bounded() {
    // 16,383 empty parameters fill the 65,535 octets exactly.
    let keys: Vec<String> = (10..10 + 16_383).map(|k| format!("key{k}")).collect();
    let text = base(&format!("svc HTTPS 1 . {}\n", keys.join(" ")));
    let started = Instant::now();
    let zone = check_text(&text);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let svc = records_at(&zone, "svc");
    assert_eq!(wire(svc[0]).len(), 65_535);

    let keys: Vec<String> = (10..10 + 16_384).map(|k| format!("key{k}")).collect();
    let zone = check_text(&base(&format!("svc HTTPS 1 . {}\n", keys.join(" "))));
    assert!(has(&zone, "bad-svc-param", 8), "{:?}", summary(&zone));

    let zone = check_text(&base("svc HTTPS 1 . key7=a alpn=h2 key7=b\n"));
    let d = zone.errors().next().expect("an error");
    assert_eq!((d.code, d.text.as_str()), (Code::BadSvcParam, "key7=b"));
}

// ---- 3. and 4. positions of multi-line records ---------------------------------

#[test]
fn item03_a_record_column_is_measured_on_its_own_line() {
    // The owner is inherited; the record starts at `3600` (line 9,
    // column 2) and its type is on the next line.
    let zone = check_text(&base("www A 192.0.2.1\n\t3600 (\n\t\tA 192.0.2.2 )\n"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let www = records_at(&zone, "www");
    assert_eq!((www[1].line, www[1].column), (9, 2));
    // A finding about that record points at the same place.
    let zone = check_text(&base("www 300 A 192.0.2.1\n\t600 (\n\t\tA 192.0.2.2 )\n"));
    let d = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::TtlMismatch)
        .expect("ttl-mismatch");
    assert_eq!((d.line, d.column, d.text.as_str()), (9, 2, "600"));
}

#[test]
fn item04_an_entry_starts_at_its_first_token_not_at_a_parenthesis() {
    let zone = check_text(&base("(\nwww A 192.0.2.1 )\n"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let www = records_at(&zone, "www");
    assert_eq!((www[0].line, www[0].column), (9, 1));

    // A finding about the record is on the owner's line too.
    let zone = check_text(&base("  (\n\n  x  \n  3600 ) ( MX 10 mail )\n"));
    assert!(has(&zone, "unknown-type", 10), "{:?}", summary(&zone));
    let zone = check_text(&base("(\n\nmx MX 10 nomail )\n"));
    let d = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::MxTargetNoAddress)
        .expect("mx-target-no-address");
    assert_eq!((d.line, d.column, d.text.as_str()), (10, 1, "mx"));
    let mx = records_at(&zone, "mx");
    assert_eq!(mx[0].line, 10);
}

// ---- 5. check-names on owners blames the record that needs a host name ---------

#[test]
fn item05_a_bad_owner_name_is_blamed_on_its_address_or_mail_record() {
    // HINFO (type 13) sorts before MX (15), but the MX is what needs a
    // host name (BIND: line 9).
    let zone = check_text(&base(
        "bad_host HINFO \"pc\" \"unix\"\nbad_host MX 10 mail.example.net.\n",
    ));
    let found: Vec<u32> = zone
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::BadHostname)
        .map(|d| d.line)
        .collect();
    assert_eq!(found, [9], "{:?}", summary(&zone));
    let zone = check_text(&base(
        "x_y TXT \"t\"\nx_y PTR a.example.\nx_y AAAA 2001:db8::1\n",
    ));
    let found: Vec<u32> = zone
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::BadHostname)
        .map(|d| d.line)
        .collect();
    assert_eq!(found, [10], "{:?}", summary(&zone));
}

// ---- 6. invalid UTF-8: columns and the rendered caret agree ---------------------

#[test]
fn item06_columns_and_rendering_agree_on_invalid_utf8() {
    for owner in [&b"t\x80"[..], b"t\xe2\x82", b"\xff\xfeq", b"caf\xc3\xa9"] {
        let mut text = BASE.as_bytes().to_vec();
        text.extend_from_slice(owner);
        text.extend_from_slice(b" A 192.0.2.300\n");
        let zone = check_bytes(&text);
        let d = zone.errors().next().expect("bad-ipv4");
        assert_eq!(d.code, Code::BadIpv4);
        let shown_owner = String::from_utf8_lossy(owner).chars().count() as u32;
        assert_eq!(d.column, shown_owner + 4, "{owner:?}");
        let rendered = d.render("z", &text);
        let lines: Vec<&str> = rendered.lines().collect();
        let source = lines
            .iter()
            .position(|l| l.starts_with("8 | "))
            .expect("the source line");
        let shown: Vec<char> = lines[source]["8 | ".len()..].chars().collect();
        let caret: Vec<char> = lines[source + 1]["  | ".len()..].chars().collect();
        let at = caret.iter().position(|&c| c == '^').expect("a caret");
        assert_eq!(at + 1, d.column as usize, "{rendered}");
        let under: String = shown[at..].iter().collect();
        assert!(under.starts_with("192.0.2.300"), "{rendered}");
        assert_eq!(caret.iter().filter(|&&c| c == '^').count(), 11);
    }
}

// ---- 7. names with decimal escapes -------------------------------------------------

#[test]
fn item07_every_name_is_shown_with_decimal_escapes() {
    let zone = check_text(&base(
        "a\\032b 300 TXT \"1\"\na\\032b 600 TXT \"2\"\n@ MX 10 mail\\032x\n",
    ));
    let ttl = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::TtlMismatch)
        .expect("ttl-mismatch");
    assert!(
        ttl.message.contains("`a\\032b.lab.example.`"),
        "{}",
        ttl.message
    );
    let host = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::BadHostname)
        .expect("bad-hostname");
    assert!(
        host.message.contains("`mail\\032x.lab.example.`"),
        "{}",
        host.message
    );
    for d in &zone.diagnostics {
        assert!(
            !d.message.contains("\\040"),
            "octal escape in {}",
            d.message
        );
    }

    // (hickory's own parser reads `\\032` as octal: build the name from labels)
    let origin = Name::from_labels([&b"a b"[..], b"example"]).expect("a name");
    let text = "$TTL 1h\n@ SOA ns1 hostmaster 1 4h 1h 1w 1h\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n";
    let zone = check(
        text.as_bytes(),
        &Options {
            origin: Some(origin),
            ..Options::default()
        },
    );
    assert_eq!(zone.report().origin.as_deref(), Some("a\\032b.example."));
    assert_eq!(zone.origin_text().as_deref(), Some("a\\032b.example."));
    let missing = check_text("$ORIGIN a\\032b.example.\n$TTL 1h\n@ NS ns1\nns1 A 192.0.2.1\n");
    let d = missing
        .diagnostics
        .iter()
        .find(|d| d.code == Code::SoaMissing)
        .expect("soa-missing");
    assert!(d.message.contains("a\\032b.example."), "{}", d.message);
}

// ---- 8. and 9. TTLs after an SOA without a TTL ------------------------------------

const NO_TTL_HEAD: &str = "\
$ORIGIN example.test.
@\tIN SOA\tns1 hostmaster 2026112901 7200 1800 1209600 MINIMUM
\tIN NS\tns1
\tIN NS\tns2
ns1\tIN A\t192.0.2.1
ns2\t500 IN A\t192.0.2.2
a\tIN A\t192.0.2.3
$TTL 100
b\tIN A\t192.0.2.4
c\t200 IN A\t192.0.2.5
d\tIN A\t192.0.2.6
";

fn ttls(zone: &Zone) -> Vec<(String, u32)> {
    zone.records
        .iter()
        .map(|r| (r.record.name.to_ascii(), r.record.ttl))
        .collect()
}

#[test]
fn item08_the_minimum_of_a_first_soa_without_ttl_is_the_default_ttl() {
    // named-compilezone: SOA, NS and ns1 get 300; ns2 500; `a` 300 again
    // (the MINIMUM acts as $TTL, not as a last TTL); then $TTL 100.
    let zone = check_text(&NO_TTL_HEAD.replace("MINIMUM", "300"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let want: Vec<(String, u32)> = [
        ("example.test.", 300),
        ("example.test.", 300),
        ("example.test.", 300),
        ("ns1.example.test.", 300),
        ("ns2.example.test.", 500),
        ("a.example.test.", 300),
        ("b.example.test.", 100),
        ("c.example.test.", 200),
        ("d.example.test.", 100),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), *t))
    .collect();
    assert_eq!(ttls(&zone), want);
}

#[test]
fn item09_a_minimum_above_the_maximum_ttl_is_read_as_zero() {
    let zone = check_text(&NO_TTL_HEAD.replace("MINIMUM", "4294967295"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let d = zone
        .diagnostics
        .iter()
        .find(|d| d.code == Code::TtlTooLarge)
        .expect("ttl-too-large");
    assert_eq!((d.line, d.text.as_str()), (2, "4294967295"));
    let t = ttls(&zone);
    assert_eq!(t[0].1, 0, "the SOA");
    assert_eq!(t[5], ("a.example.test.".to_string(), 0));
}

// ---- 10. TTL units ------------------------------------------------------------------

#[test]
fn item10_a_number_without_unit_after_units_is_refused() {
    for (extra, code) in [
        ("www 1h30 A 192.0.2.1\n", "bad-ttl"),
        ("$TTL 1h30\n", "bad-ttl"),
        ("sub SOA ns1 hostmaster 1 1h30 1h 1w 1h\n", "bad-number"),
    ] {
        let zone = check_text(&base(extra));
        assert!(has(&zone, code, 8), "{extra:?}: {:?}", summary(&zone));
    }
    let zone = check_text(&base("www 1h30m A 192.0.2.1\nftp 1h30s A 192.0.2.2\n"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    assert_eq!(records_at(&zone, "ftp")[0].record.ttl, 3630);
}

// ---- 11. and 12. $GENERATE ------------------------------------------------------------

fn txt_strings(r: &grader_core::zone::ZoneRecord) -> Vec<Vec<u8>> {
    match &r.record.data {
        RData::TXT(t) => t.txt_data.iter().map(|s| s.to_vec()).collect(),
        other => panic!("not TXT: {other:?}"),
    }
}

#[test]
fn item11_a_quoted_rhs_is_one_field_read_again() {
    let zone = check_text(&base(concat!(
        "$GENERATE 1-2 t$ TXT \"a b$\"\n",
        "$GENERATE 1-2 m$ MX \"10 mail$\"\n",
        "$GENERATE 1-1 q$ TXT \"\\\"q $\\\"\"\n",
        "$GENERATE 1-1 e$ TXT \"a\\010b$\"\n",
    )));
    let mx_missing: Vec<&str> = zone.errors().map(|d| d.code.as_str()).collect();
    assert!(mx_missing.is_empty(), "{:?}", summary(&zone));
    assert_eq!(
        txt_strings(records_at(&zone, "t2")[0]),
        [b"a".to_vec(), b"b2".to_vec()]
    );
    assert_eq!(
        wire(records_at(&zone, "m1")[0]),
        b"\x00\x0a\x05mail1\x03lab\x07example\x00"
    );
    assert_eq!(txt_strings(records_at(&zone, "q1")[0]), [b"q 1".to_vec()]);
    assert_eq!(txt_strings(records_at(&zone, "e1")[0]), [b"a\nb1".to_vec()]);
}

#[test]
fn item12_generate_syntax_bind_refuses_is_refused() {
    for (extra, code, text) in [
        ("$GENERATE 1-2 h$ TXT a b$\n", "bad-generate", "b$"),
        ("$GENERATE 1-2 h${} A 192.0.2.$\n", "bad-generate", "h${}"),
        (
            "$GENERATE 1-2 h${,3} A 192.0.2.$\n",
            "bad-generate",
            "h${,3}",
        ),
        (
            "$GENERATE 1-2 h${0,,x} A 192.0.2.$\n",
            "bad-generate",
            "h${0,,x}",
        ),
        (
            "$GENERATE 1-2 h$ A 192.0.2.${0,128}\n",
            "bad-generate",
            "192.0.2.${0,128}",
        ),
        ("$GENERATE 1-2 \"h$\" A 192.0.2.$\n", "bad-quoting", "h$"),
        ("$GENERATE \"1-2\" h$ A 192.0.2.$\n", "bad-quoting", "1-2"),
        ("$GENERATE 1-2 h$ \"A\" 192.0.2.$\n", "bad-quoting", "A"),
        (
            "$GENERATE 0-2147483648 h$ A 192.0.2.1\n",
            "bad-generate",
            "0-2147483648",
        ),
        (
            "$GENERATE 0-1/2147483648 h$ A 192.0.2.1\n",
            "bad-generate",
            "0-1/2147483648",
        ),
        (
            "$GENERATE 2147483647-2147483647 h$ TXT ${1}\n",
            "bad-generate",
            "${1}",
        ),
    ] {
        let zone = check_text(&base(extra));
        let d = zone.errors().next();
        assert!(
            d.is_some_and(|d| d.code.as_str() == code && d.line == 8 && d.text == text),
            "{extra:?}: {:?} {:?}",
            summary(&zone),
            d.map(|d| &d.text)
        );
        assert_eq!(zone.records.len(), BASE_RECORDS, "{extra:?}");
    }
    // Negative values in octal, hexadecimal and nibbles are 32-bit, as in BIND.
    let zone = check_text(&base(concat!(
        "$GENERATE 1-1 x$ TXT ${-5,0,x}\n",
        "$GENERATE 1-1 o$ TXT ${-5,0,o}\n",
        "$GENERATE 1-1 d$ TXT ${-5,3,d}\n",
        "$GENERATE 1-1 n$ TXT ${-5,0,n}\n",
        "$GENERATE 2147483647-2147483647 big$ TXT $\n",
    )));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    for (owner, want) in [
        ("x1", &b"fffffffc"[..]),
        ("o1", b"37777777774"),
        ("d1", b"-04"),
        ("n1", b"c.f.f.f.f.f.f.f"),
        ("big2147483647", b"2147483647"),
    ] {
        assert_eq!(txt_strings(records_at(&zone, owner)[0]), [want.to_vec()]);
    }
}

// ---- 13. and 14. RFC 3597 generic data ---------------------------------------------------

#[test]
fn item13_compression_pointers_in_generic_data_are_refused() {
    // An SOA whose RNAME is a pointer to its MNAME (hickory would follow it).
    let text = "\
$ORIGIN example.test.
$TTL 3600
@ SOA \\# 25 016100 c000 00000001 00000002 00000003 00000004 00000005
@ NS ns1
@ NS ns2
ns1 A 192.0.2.1
ns2 A 192.0.2.2
x MX \\# 6 000a 01 61 c0 02
y NS \\# 2 c000
";
    let zone = check_text(text);
    assert_eq!(
        errors(&zone)
            .iter()
            .filter(|e| e.starts_with("bad-generic-rdata"))
            .cloned()
            .collect::<Vec<_>>(),
        [
            "bad-generic-rdata@3",
            "bad-generic-rdata@8",
            "bad-generic-rdata@9"
        ],
        "{:?}",
        summary(&zone)
    );
}

#[test]
fn item14_generic_data_of_every_known_type_is_validated() {
    let bad = [
        "TXT \\# 0",
        "SPF \\# 0",
        "SSHFP \\# 2 0101",
        "SSHFP \\# 3 0101ab",
        "DS \\# 4 30390d02",
        "DNSKEY \\# 4 0101030d",
        "NSEC \\# 5 0161000001",
        "NSEC \\# 3 016100",
        "NSEC \\# 5 0000014000",
        "LOC \\# 15 001216138000000080000000009896",
        "ZONEMD \\# 18 00000001010100112233445566778899aabb",
        "OPENPGPKEY \\# 0",
        "TLSA \\# 3 030101",
        "CAA \\# 3 000100",
        "HINFO \\# 2 0161",
        "NSEC3PARAM \\# 6 0100000000ff",
        "RRSIG \\# 19 0001 0d 02 00000e10 00000001 00000000 3039 00",
        "A \\# 3 c00002",
        "AAAA \\# 4 20010db8",
        "RP \\# 1 00",
        "HTTPS \\# 7 0001 00 0003 0001",
        "HTTPS \\# 13 0001 00 0003 0002 0035 0002 0000",
    ];
    let text: String = bad.iter().map(|b| format!("x {b}\n")).collect();
    let zone = check_text(&base(&text));
    let lines: Vec<u32> = zone
        .errors()
        .filter(|d| d.code == Code::BadGenericRdata)
        .map(|d| d.line)
        .collect();
    let want: Vec<u32> = (8..8 + bad.len() as u32).collect();
    assert_eq!(lines, want, "{:?}", summary(&zone));
    assert_eq!(zone.records.len(), BASE_RECORDS);

    // Valid generic data is read, and equals the text form byte for byte.
    let fp = "0123456789abcdef0123456789abcdef01234567";
    let good = [
        (format!("SSHFP \\# 22 0101{fp}"), format!("SSHFP 1 1 {fp}")),
        (
            "DNSKEY \\# 5 0101030dab".into(),
            "DNSKEY 257 3 13 qw==".into(),
        ),
        ("NSEC \\# 4 00000140".into(), "NSEC . A".into()),
        (
            "LOC \\# 16 00121613800000008000000000989680".into(),
            "LOC 0 0 0.000 N 0 0 0.000 E 0.00m 1m 10000m 10m".into(),
        ),
        ("OPENPGPKEY \\# 1 00".into(), "OPENPGPKEY AA==".into()),
        ("CAA \\# 3 000161".into(), "CAA 0 a \"\"".into()),
        ("TXT \\# 2 0100".into(), "TXT \"\\000\"".into()),
        (
            "HTTPS \\# 10 0001 00 0001 0003 02 6832".into(),
            "HTTPS 1 . alpn=h2".into(),
        ),
        ("CDS \\# 5 0000000000".into(), "CDS 0 0 0 00".into()),
        ("URI \\# 5 0000000061".into(), "URI 0 0 \"a\"".into()),
    ];
    for (generic, text) in &good {
        let zone = check_text(&base(&format!("g {generic}\nt {text}\n")));
        assert!(zone.is_ok(), "{generic}: {:?}", summary(&zone));
        let (g, t) = (records_at(&zone, "g"), records_at(&zone, "t"));
        assert_eq!(wire(g[0]), wire(t[0]), "{generic} vs {text}");
    }
}

// ---- 15. escaped newline inside a quoted string -------------------------------------------

#[test]
fn item15_an_escaped_newline_in_a_quoted_string_joins_the_lines() {
    let zone = check_text(&base(
        "t TXT \"abc\\\ndef\" \"x\"\nu TXT ( \"p\\\nq\" )\nw A 192.0.2.9\n",
    ));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let t = records_at(&zone, "t");
    assert_eq!(txt_strings(t[0]), [b"abc\ndef".to_vec(), b"x".to_vec()]);
    assert_eq!(t[0].line, 8);
    assert_eq!(txt_strings(records_at(&zone, "u")[0]), [b"p\nq".to_vec()]);
    assert_eq!(records_at(&zone, "w")[0].line, 12);
    // A bare word cannot go on across a line (BIND: syntax error).
    let zone = check_text(&base("t TXT abc\\\ndef\n"));
    assert!(!zone.is_ok());
}

// ---- 16. quoted words where BIND needs bare ones ----------------------------------------

#[test]
fn item16_quoted_fields_are_refused_where_bind_refuses_them() {
    let refused = [
        ("x \"A\" 192.0.2.1", "A"),
        ("x \"IN\" A 192.0.2.1", "IN"),
        ("x \"300\" A 192.0.2.1", "300"),
        ("x A \"192.0.2.1\"", "192.0.2.1"),
        ("x MX \"10\" ns1", "10"),
        ("x MX 10 \"ns1\"", "ns1"),
        ("x NS \"ns1\"", "ns1"),
        ("x CNAME \"ns1\"", "ns1"),
        ("x SOA ns1 hostmaster \"1\" 2 3 4 5", "1"),
        ("x CAA 0 \"issue\" \"ca.example\"", "issue"),
        ("x A \"\\#\" 4 c0000201", "\\#"),
        ("x A \\# \"4\" c0000201", "4"),
        ("x A \\# 4 \"c0000201\"", "c0000201"),
        ("x DNSKEY 257 3 13 \"AAAA\"", "AAAA"),
        ("x NSEC3PARAM 1 0 0 \"-\"", "-"),
        ("x NSEC a.example. \"A\"", "A"),
        ("x HTTPS 1 . \"alpn=h2\"", "alpn=h2"),
        ("x LOC \"52\" 22 23.000 N 4 53 32.000 E -2.00m", "52"),
        ("x URI 10 1 https://example.com/", "https://example.com/"),
        ("$ORIGIN \"sub.lab.example.\"", "sub.lab.example."),
        ("$TTL \"300\"", "300"),
    ];
    for (line, text) in refused {
        let zone = check_text(&base(&format!("{line}\n")));
        let d = zone.errors().next();
        assert!(
            d.is_some_and(|d| d.code == Code::BadQuoting && d.line == 8 && d.text == text),
            "{line}: {:?} {:?}",
            summary(&zone),
            d.map(|d| &d.text)
        );
    }
    // Accepted by BIND: a quoted owner, strings either way, an SVCB target
    // or parameter value in quotes.
    let accepted = [
        "\"q\" A 192.0.2.1",
        "x HTTPS 1 \".\" alpn=h2",
        "x HTTPS 1 . alpn=\"h2\"",
        "x CAA 0 issue ca.example",
        "x HINFO pc unix",
        "x NAPTR 1 1 \"s\" SIP+D2U \"\" _sip._udp",
        "x TXT \"\\#\" 0",
        "x URI 10 1 \"https://example.com/\"",
        // A quoted directive name is still the directive.
        "\"$TTL\" 300",
    ];
    for line in accepted {
        let zone = check_text(&base(&format!("{line}\n")));
        assert!(zone.is_ok(), "{line}: {:?}", summary(&zone));
    }
    let zone = check_text(&base("\"q\" A 192.0.2.1\n"));
    assert!(records_at(&zone, "q").len() == 1);
}

// ---- 17. and 18. SSHFP and RRSIG fields -------------------------------------------------

#[test]
fn item17_sshfp_fingerprint_lengths_of_sha1_and_sha256() {
    let h20 = "ab".repeat(20);
    let h32 = "ab".repeat(32);
    for (extra, ok) in [
        ("SSHFP 1 1 abcd".to_string(), false),
        (format!("SSHFP 1 1 {h20}"), true),
        (format!("SSHFP 1 2 {h20}"), false),
        (format!("SSHFP 1 2 {h32}"), true),
        ("SSHFP 1 3 ab".to_string(), true),
        ("SSHFP 1 0 ab".to_string(), true),
    ] {
        let zone = check_text(&base(&format!("x {extra}\n")));
        assert_eq!(zone.is_ok(), ok, "{extra}: {:?}", summary(&zone));
        if !ok {
            assert!(has(&zone, "bad-digest-length", 8), "{:?}", summary(&zone));
        }
    }
}

#[test]
fn item18_rrsig_ttl_and_times_follow_bind() {
    let sig = |orig: &str, exp: &str| {
        base(&format!(
            "x RRSIG A 13 2 {orig} {exp} 20200101000000 1 lab.example. AAAA\n"
        ))
    };
    let zone = check_text(&sig("1h", "20300101000000"));
    assert!(has(&zone, "bad-number", 8), "{:?}", summary(&zone));
    for (exp, ok) in [
        ("19690101000000", true),
        ("00000101000000", true),
        ("20300101235960", true),
        ("4294967295", true),
        ("0", true),
        ("4294967296", false),
        ("12345678901", false),
        ("2030010100000", false),
        ("123456789012345", false),
        ("20300230000000", false),
    ] {
        let zone = check_text(&sig("3600", exp));
        assert_eq!(zone.is_ok(), ok, "{exp}: {:?}", summary(&zone));
    }
    // 1969-12-31 23:59:59 is one second before 1970: 2^32-1 on the wire.
    let zone = check_text(&sig("3600", "19691231235959"));
    let w = wire(records_at(&zone, "x")[0]);
    assert_eq!(&w[8..12], &[0xff, 0xff, 0xff, 0xff]);
}

// ---- 19. meta types -------------------------------------------------------------------------

#[test]
fn item19_meta_and_obsolete_types_are_refused() {
    for t in [
        "TYPE0", "OPT", "TYPE128", "TYPE200", "TYPE248", "TKEY", "ANY", "TYPE3", "MF",
    ] {
        let zone = check_text(&base(&format!("x {t} \\# 0\n")));
        assert!(
            has(&zone, "unsupported-type", 8),
            "{t}: {:?}",
            summary(&zone)
        );
    }
    for t in ["TYPE127", "TYPE65280"] {
        let zone = check_text(&base(&format!("x {t} \\# 0\n")));
        assert!(zone.is_ok(), "{t}: {:?}", summary(&zone));
    }
}

// ---- 20. the zone class -------------------------------------------------------------------------

#[test]
fn item20_the_zone_is_in_and_records_without_a_class_are_in() {
    let text = "\
$ORIGIN lab.example.
$TTL 3600
@ CH SOA ns1 hostmaster 1 14400 3600 604800 3600
@ CH NS ns1
@ NS ns2
ns1 A 192.0.2.1
ns2 A 192.0.2.2
";
    let zone = check_text(text);
    assert_eq!(
        errors(&zone)
            .iter()
            .filter(|e| e.starts_with("class-mismatch"))
            .cloned()
            .collect::<Vec<_>>(),
        ["class-mismatch@3", "class-mismatch@4"]
    );
    assert!(
        zone.records
            .iter()
            .all(|r| r.record.dns_class == DNSClass::IN),
        "every record read is IN"
    );
    let zone = check_text(&base("x CLASS1 A 192.0.2.1\ny TXT \"a\"\n"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
}

// ---- 21. the SOA owner as the origin ---------------------------------------------------------------

#[test]
fn item21_a_first_soa_at_an_absolute_owner_is_the_origin() {
    let text = "\
$TTL 3600
lab.example. SOA ns1 hostmaster 1 14400 3600 604800 3600
@ NS ns1
@ NS ns2
ns1 A 192.0.2.1
ns2 A 192.0.2.2
";
    let zone = check_text(text);
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    assert_eq!(zone.origin_text().as_deref(), Some("lab.example."));
    assert_eq!(
        wire(&zone.records[0])[..5],
        *b"\x03ns1\x03",
        "the SOA's own relative names use it"
    );
    // Not when a record comes first.
    let zone = check_text(&format!(
        "ns0.lab.example. 3600 A 192.0.2.9\n{}",
        &text[10..]
    ));
    assert!(
        has(&zone, "relative-name-without-origin", 3),
        "{:?}",
        summary(&zone)
    );
}

// ---- 22. to 30. BIND's integrity verdicts ---------------------------------------------------------

#[test]
fn item22_a_delegation_to_an_in_zone_server_without_address_is_a_warning() {
    let zone = check_text(&base("sub NS nsx\n"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let d = zone.warnings().next().expect("a warning");
    assert_eq!(
        (d.code, d.line, d.column, d.text.as_str()),
        (Code::DelegationTargetNoAddress, 8, 1, "sub")
    );
    let zone = check_text(&base("@ NS nsx\n"));
    assert_eq!(errors(&zone), ["ns-target-no-address@8"]);
}

#[test]
fn item23_exact_duplicate_singletons_are_merged() {
    let zone = check_text(&base(concat!(
        "a CNAME ns1\n",
        "A CNAME NS1.lab.example.\n",
        "d DNAME x.example.\n",
        "d DNAME X.example.\n",
        "@ SOA NS1 HOSTMASTER 1 14400 3600 604800 3600\n",
    )));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let dups: Vec<u32> = zone
        .warnings()
        .filter(|d| d.code == Code::DuplicateRecord)
        .map(|d| d.line)
        .collect();
    assert_eq!(dups, [9, 11, 12]);
    // Different data is still a second one.
    let zone = check_text(&base(concat!(
        "a CNAME ns1\na CNAME ns2\n",
        "d DNAME x.example.\nd DNAME y.example.\n",
        "@ SOA ns1 hostmaster 2 14400 3600 604800 3600\n",
    )));
    assert_eq!(
        errors(&zone),
        ["cname-multiple@9", "dname-multiple@11", "soa-multiple@12"]
    );
}

#[test]
fn item24_apex_name_servers_below_a_dname_are_refused() {
    let zone = check_text(&base("@ DNAME other.example.\n"));
    assert_eq!(
        errors(&zone),
        ["ns-target-below-dname@4", "ns-target-below-dname@5"]
    );
    let zone = check_text(&base("@ NS a.b.d\nd DNAME other.example.\n"));
    assert_eq!(errors(&zone), ["ns-target-below-dname@8"]);
    // A delegation met first wins; the DNAME owner itself is not below it.
    let zone = check_text(&base(
        "@ NS a.sub\nsub NS ns.example.net.\nsub DNAME x.example.\n",
    ));
    assert!(
        !has(&zone, "ns-target-below-dname", 8),
        "{:?}",
        summary(&zone)
    );
    let zone = check_text(&base("@ NS d\nd DNAME x.example.\nd A 192.0.2.9\n"));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
}

#[test]
fn item25_to_item27_nsec3_owner_ds_at_apex_wildcard_ns() {
    let hash = "0123456789abcdefghijklmnopqrstuv";
    let zone = check_text(&base(&format!("{hash} NSEC3 1 0 0 - {hash} A\n")));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    for owner in ["www", "0123456789abcdefghijklmnopqrstuvw", "01", "*"] {
        let zone = check_text(&base(&format!("{owner} NSEC3 1 0 0 - {hash} A\n")));
        assert_eq!(errors(&zone), ["bad-nsec3-owner@8"], "{owner}");
    }
    let ds = format!("12345 13 2 {}", "ab".repeat(32));
    let zone = check_text(&base(&format!("@ DS {ds}\n")));
    assert_eq!(errors(&zone), ["ds-at-apex@8"]);
    assert!(!has(&zone, "ds-not-at-delegation", 8));
    let zone = check_text(&base("* NS ns1.example.net.\n*.sub NS ns1.example.net.\n"));
    assert_eq!(errors(&zone), ["wildcard-ns@8", "wildcard-ns@9"]);
}

#[test]
fn item28_item29_check_names_on_afsdb_and_service_mode_svcb_only() {
    let zone = check_text(&base("@ AFSDB 1 afs_db.example.net.\n"));
    assert_eq!(errors(&zone), ["bad-hostname@8"]);
    let zone = check_text(&base("@ AFSDB 1 afsdb.example.net.\n"));
    assert!(zone.is_ok());
    let zone = check_text(&base(
        "x HTTPS 0 a_b.example.net.\ny SVCB 0 a_b.example.net.\n",
    ));
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    let zone = check_text(&base("x HTTPS 1 a_b.example.net.\n"));
    assert_eq!(errors(&zone), ["bad-hostname@8"]);
}

#[test]
fn item30_control_bytes_inside_quotes_are_text() {
    let zone = check_bytes(base("t TXT \"a\0b\x01c\x7f\"\n").as_bytes());
    assert!(zone.is_ok(), "{:?}", summary(&zone));
    assert_eq!(
        txt_strings(records_at(&zone, "t")[0]),
        [b"a\0b\x01c\x7f".to_vec()]
    );
    let zone = check_bytes(base("t TXT a\0b\n").as_bytes());
    assert_eq!(errors(&zone), ["control-character@8"]);
}

// ---- 31. the text of integrity findings ----------------------------------------------------

#[test]
fn item31_a_finding_quotes_the_token_at_its_column() {
    let zone = check_text(&base("@ MX 10 mail\n\tMX 20 mail2\n"));
    let found: Vec<(u32, u32, &str)> = zone
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MxTargetNoAddress)
        .map(|d| (d.line, d.column, d.text.as_str()))
        .collect();
    assert_eq!(found, [(8, 1, "@"), (9, 2, "MX")]);
    for d in &zone.diagnostics {
        let rendered = d.render("z", base("@ MX 10 mail\n\tMX 20 mail2\n").as_bytes());
        assert!(rendered.contains(&"^".repeat(d.text.chars().count().max(1))));
    }
    // A $GENERATE record is where its $GENERATE is.
    let zone = check_text(&base("$GENERATE 1-1 m$ MX \"10 nomail\"\n"));
    let d = zone.warnings().next().expect("mx-target-no-address");
    assert_eq!((d.line, d.column, d.text.as_str()), (8, 1, "$GENERATE"));
}

// ---- Limits: unclosed parentheses and deep names --------------------------------------------

#[test]
fn an_unclosed_parenthesis_keeps_a_bounded_number_of_tokens() {
    let mut text = base("txt TXT (\n");
    for _ in 0..300 {
        text.push_str(&"a ".repeat(1000));
        text.push('\n');
    }
    let zone = check_text(&text);
    let codes: Vec<&str> = zone.errors().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["unbalanced-parentheses", "entry-too-long"]);
    let d = zone
        .errors()
        .find(|d| d.code == Code::EntryTooLong)
        .expect("entry-too-long");
    assert!(d.message.contains("132000"), "{}", d.message);
    assert_eq!(zone.records.len(), BASE_RECORDS);
}

#[test]
fn deep_names_are_checked_quickly_and_correctly() {
    // 4,000 records 100 labels deep, below one delegation.
    let deep = "a.".repeat(100);
    let mut text = base("sub NS ns1.example.net.\n");
    for i in 0..4000 {
        text.push_str(&format!("x{i}.{deep}sub TXT \"t\"\n"));
    }
    let started = Instant::now();
    let zone = check_text(&text);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let occluded = zone
        .warnings()
        .filter(|d| d.code == Code::OccludedData)
        .count();
    assert_eq!(occluded, 4000.min(Limits::default().max_diagnostics));
    assert!(zone.is_ok(), "{:?}", &summary(&zone)[..3]);
}
