//! The RFC 8427 reader on the RFC's examples, on `kdig +json` output
//! (Knot 3.2, captured from BIND 9.18 serving a signed zone, in
//! `../testdata/`; the same queries as the dig captures there) and on
//! damaged messages.

use hickory_proto::op::{MessageType, ResponseCode};
use hickory_proto::rr::rdata::opt::{EdnsCode, EdnsOption};
use hickory_proto::rr::{Record, RecordType};
use serde_json::Value;

use crate::response::test_support::{self, at, found};
use crate::response::{Code, Format, Read, ReadMessage, read};

fn json(text: &str) -> Read {
    read(Format::Json, text.as_bytes())
}

fn one(text: &str) -> ReadMessage {
    test_support::one(Format::Json, text)
}

/// RFC 8427 §4.1: a query.
const RFC_QUERY: &str = r#"{ "ID": 19678, "QR": 0, "Opcode": 0,
  "AA": 0, "TC": 0, "RD": 0, "RA": 0, "AD": 0, "CD": 0, "RCODE": 0,
  "QDCOUNT": 1, "ANCOUNT": 0, "NSCOUNT": 0, "ARCOUNT": 0,
  "QNAME": "example.com", "QTYPE": 1, "QCLASS": 1
}"#;

/// RFC 8427 §4.2: a paired query and response. Its response says
/// ANCOUNT 1 for two answers.
const RFC_PAIR: &str = r#"{
  "queryMessage": { "ID": 32784, "QR": 0, "Opcode": 0, "AA": 0,
                   "TC": 0, "RD": 0, "RA": 0, "AD": 0, "CD": 0,
                   "RCODE": 0, "QDCOUNT": 1, "ANCOUNT": 0,
                   "NSCOUNT": 0, "ARCOUNT": 0,
                   "QNAME": "example.com.",
                   "QTYPE": 1, "QCLASS": 1 },
  "responseMessage": { "ID": 32784, "QR": 1, "AA": 1, "RCODE": 0,
                      "QDCOUNT": 1, "ANCOUNT": 1, "NSCOUNT": 1,
                      "ARCOUNT": 0,
                      "QNAME": "example.com.",
                      "QTYPE": 1, "QCLASS": 1,
                      "answerRRs": [ { "NAME": "example.com.",
                                       "TYPE": 1, "CLASS": 1,
                                       "TTL": 3600,
                                       "RDATAHEX": "C0000201" },
                                     { "NAME": "example.com.",
                                       "TYPE": 1, "CLASS": 1,
                                       "TTL": 3600,
                                       "RDATAHEX": "C000AA01" } ],
                      "authorityRRs": [ { "NAME": "ns.example.com.",
                                          "TYPE": 1, "CLASS": 1,
                                          "TTL": 28800,
                                          "RDATAHEX": "CB007181" } ]
                    }
}"#;

#[test]
fn rfc8427_query_example() {
    let m = one(RFC_QUERY);
    assert_eq!(m.line, 1);
    let msg = &m.message;
    assert_eq!((msg.id, msg.message_type), (19678, MessageType::Query));
    assert_eq!(msg.queries[0].name().to_ascii(), "example.com.");
    assert_eq!(msg.queries[0].query_type(), RecordType::A);
}

#[test]
fn rfc8427_paired_example() {
    let r = json(RFC_PAIR);
    // The count mismatch points at the value, after `"ANCOUNT": `.
    let count = at(RFC_PAIR, "\"ANCOUNT\": 1,");
    let (l, c) = count.split_once(':').expect("line:col");
    let c: usize = c.parse().expect("a column");
    assert_eq!(
        found(&r),
        [
            format!("json-query-ignored {}", at(RFC_PAIR, "\"queryMessage\"")),
            format!("json-count-mismatch {l}:{}", c + "\"ANCOUNT\": ".len()),
        ]
    );
    assert_eq!(r.error_count, 0);
    assert!(
        r.diagnostics[1]
            .message
            .contains("/responseMessage/ANCOUNT"),
        "{}",
        r.diagnostics[1].message
    );
    let m = &r.messages[0];
    assert_eq!(
        m.line,
        at(RFC_PAIR, "\"responseMessage\"")
            .split_once(':')
            .map_or(0, |(l, _)| l.parse().expect("line"))
    );
    let msg = &m.message;
    assert_eq!(
        (msg.id, msg.message_type, msg.authoritative),
        (32784, MessageType::Response, true)
    );
    assert_eq!((msg.answers.len(), msg.authorities.len()), (2, 1));
    let addresses: Vec<String> = msg.answers.iter().map(|r| r.data.to_string()).collect();
    assert_eq!(addresses, ["192.0.2.1", "192.0.170.1"]);
}

const KDIG: [(&str, &str); 6] = [
    (
        include_str!("../testdata/kdig-soa.json"),
        include_str!("../testdata/bind918-soa.dig"),
    ),
    (
        include_str!("../testdata/kdig-www-dnssec.json"),
        include_str!("../testdata/bind918-www-dnssec-multi.dig"),
    ),
    (
        include_str!("../testdata/kdig-dnskey.json"),
        include_str!("../testdata/bind918-dnskey-tcp.dig"),
    ),
    (
        include_str!("../testdata/kdig-nxdomain.json"),
        include_str!("../testdata/bind918-nxdomain.dig"),
    ),
    (
        include_str!("../testdata/kdig-mx.json"),
        include_str!("../testdata/bind918-mx.dig"),
    ),
    (
        include_str!("../testdata/kdig-txt.json"),
        include_str!("../testdata/bind918-txt.dig"),
    ),
];

/// The records of a section in a stable order (servers rotate RRsets).
fn sorted(records: &[Record]) -> Vec<String> {
    let mut v: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    v.sort();
    v
}

#[test]
fn kdig_json_reads_as_dig_output_of_the_same_query() {
    for (kdig, dig) in KDIG {
        let j = one(kdig).message;
        let d = read(Format::Dig, dig.as_bytes()).messages.remove(0).message;
        let (a, b) = (&j.metadata, &d.metadata);
        assert_eq!(
            (
                a.message_type,
                a.op_code,
                a.authoritative,
                a.truncation,
                a.recursion_available,
                a.authentic_data,
                a.response_code
            ),
            (
                b.message_type,
                b.op_code,
                b.authoritative,
                b.truncation,
                b.recursion_available,
                b.authentic_data,
                b.response_code
            )
        );
        assert_eq!(j.queries, d.queries);
        assert_eq!(sorted(&j.answers), sorted(&d.answers), "{kdig}");
        assert_eq!(sorted(&j.authorities), sorted(&d.authorities));
        assert_eq!(sorted(&j.additionals), sorted(&d.additionals));
        // kdig sends EDNS only when asked (+dnssec, +nsid).
        if let (Some(je), Some(de)) = (j.edns, d.edns) {
            assert_eq!(
                (je.max_payload(), je.flags().dnssec_ok),
                (de.max_payload(), de.flags().dnssec_ok)
            );
        }
    }
}

/// The presentation-form members alone (no `RDATAHEX`, no `RDLENGTH`)
/// give the same message: rdataA, AAAA, NS, MX, TXT, SOA, RRSIG, DNSKEY,
/// NSEC.
#[test]
fn presentation_members_read_like_rdatahex() {
    for (kdig, _) in KDIG {
        let mut v: Value = serde_json::from_str(kdig).expect("JSON");
        for section in ["answerRRs", "authorityRRs", "additionalRRs"] {
            for rr in v
                .get_mut(section)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                let o = rr.as_object_mut().expect("an object");
                if o.keys().any(|k| k.starts_with("rdata")) {
                    o.remove("RDATAHEX");
                    o.remove("RDLENGTH");
                }
            }
        }
        let text = serde_json::to_string_pretty(&v).expect("JSON");
        assert_eq!(one(&text).message, one(kdig).message, "{text}");
    }
}

#[test]
fn message_octets_and_several_messages() {
    let m = one(include_str!("../testdata/kdig-mx.json")).message;
    let hex: String = m
        .to_vec()
        .expect("wire")
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let text = format!(
        "[\n  {{\"messageOctetsHEX\": \"{hex}\", \"comment\": \"wire\"}},\n  {RFC_QUERY}\n]\n{{\"messageOctetsHEX\": \"{hex}\"}}\n"
    );
    let r = json(&text);
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
    let lines: Vec<u32> = r.messages.iter().map(|m| m.line).collect();
    assert_eq!(lines, [2, 3, 9]);
    assert_eq!(r.messages[0].message, m);
    assert_eq!(r.messages[2].message, m);
}

#[test]
fn opt_record_gives_edns_and_the_extended_rcode() {
    // BADVERS: RCODE 0 in the header, 1 in the OPT TTL's high byte; DO;
    // an NSID option.
    let text = r#"{"ID": 1, "QR": 1, "RCODE": 0,
  "questionRRs": [{"NAME": "lab.example.", "TYPE": 6, "CLASS": 1}],
  "additionalRRs": [{"NAME": ".", "TYPE": 41, "CLASS": 1232, "TTL": 16809984,
                     "RDATAHEX": "0003000378797A"}]}"#;
    let m = one(text).message;
    assert_eq!(u16::from(m.response_code), 16);
    let e = m.edns.expect("EDNS");
    assert!(e.flags().dnssec_ok);
    assert_eq!(e.max_payload(), 1232);
    let Some(EdnsOption::NSID(n)) = e.option(EdnsCode::NSID) else {
        panic!("NSID")
    };
    assert_eq!(n.as_ref(), b"xyz");
    // kdig writes an OPT without options with RDLENGTH 0 and no data.
    let text = r#"{"QR": 1, "additionalRRs": [{"NAME": ".", "TYPE": 41, "CLASS": 4096, "TTL": 0, "RDLENGTH": 0}]}"#;
    assert_eq!(one(text).message.edns.map(|e| e.max_payload()), Some(4096));
}

#[test]
fn txt_as_text_or_presentation() {
    let text = |v: &str| {
        format!(
            r#"{{"QR": true, "answerRRs": [{{"NAME": "t.example.", "TYPE": 16, "CLASS": 1, "TTL": 60, "rdataTXT": {v}}}]}}"#
        )
    };
    let raw = one(&text(r#""v=spf1 \"quoted\" -all""#)).message;
    let presented = one(&text(r#""\"v=spf1 \\\"quoted\\\" -all\"""#)).message;
    assert_eq!(raw, presented);
    let hickory_proto::rr::RData::TXT(txt) = &raw.answers[0].data else {
        panic!("a TXT")
    };
    assert_eq!(txt.txt_data.len(), 1);
    assert_eq!(&txt.txt_data[0][..], b"v=spf1 \"quoted\" -all");
}

#[test]
fn rr_set_and_names_of_types() {
    let text = r#"{"QR": 1, "QNAME": "lab.example", "QTYPEname": "NS", "QCLASSname": "IN",
 "answerRRs": [{"NAME": "lab.example.", "TYPEname": "NS", "CLASSname": "IN", "TTL": 3600,
                "rrSet": [{"rdataNS": "ns1.lab.example."}, {"RDLENGTH": 1, "RDATAHEX": "00"}]}]}"#;
    let m = one(text).message;
    assert_eq!(m.queries[0].query_type(), RecordType::NS);
    let targets: Vec<String> = m.answers.iter().map(|r| r.data.to_string()).collect();
    assert_eq!(targets, ["ns1.lab.example.", "."]);
}

#[test]
fn problems_are_placed_at_the_member() {
    let cases: &[(&str, &str, &str)] = &[
        // (text, code, needle where it points)
        (r#"{"QR": 2}"#, "json-bad-member", "2"),
        (
            r#"{"QR": 1, "Qname": "x."}"#,
            "json-unknown-member",
            "\"Qname\"",
        ),
        (
            r#"{"QR": 1, "QNAME": "a..b.", "QTYPE": 1}"#,
            "json-bad-name",
            "\"a..b.\"",
        ),
        (
            r#"{"QR": 1, "QNAME": "a.", "QTYPE": 70000}"#,
            "json-bad-member",
            "70000",
        ),
        (r#"{"QR": 1, "QNAME": "a."}"#, "json-missing-member", "{"),
        (
            "{\"QR\": 1,\n \"answerRRs\": [{\"NAME\": \"a.\", \"TYPE\": 1, \"TTL\": 1, \"RDATAHEX\": \"C0000G01\"}]}",
            "json-bad-rdata",
            "\"C0000G01\"",
        ),
        (
            "{\"QR\": 1,\n \"answerRRs\": [{\"NAME\": \"a.\", \"TYPE\": 1, \"TTL\": 1, \"RDLENGTH\": 5, \"RDATAHEX\": \"C0000201\"}]}",
            "json-bad-rdata",
            "5",
        ),
        (
            "{\"QR\": 1,\n \"answerRRs\": [{\"NAME\": \"a.\", \"TYPE\": 1, \"TTL\": 1, \"rdataMX\": \"10 b.\"}]}",
            "json-bad-member",
            "\"rdataMX\"",
        ),
        (
            "{\"QR\": 1,\n \"answerRRs\": [{\"NAME\": \"a.\", \"TYPE\": 1, \"TTL\": 1, \"rdataA\": \"192.0.2.300\"}]}",
            "json-bad-rdata",
            "\"192.0.2.300\"",
        ),
        (
            "{\"QR\": 1,\n \"answerRRs\": [{\"TYPE\": 1, \"TTL\": 1, \"rdataA\": \"192.0.2.3\"}]}",
            "json-missing-member",
            "{\"TYPE\"",
        ),
        (
            "{\"QR\": 1,\n \"answerRRs\": [{\"NAME\": \"a.\", \"TYPE\": 2, \"TTL\": 1, \"RDATAHEX\": \"C000\"}]}",
            "json-bad-rdata",
            "{\"NAME\"",
        ),
        (r#"{"QR": 1, "RCODE": 23}"#, "json-bad-member", "23"),
        (r#"{"QR": 1, "answerRRs": {}}"#, "json-bad-member", "{}"),
        (r#"{"QR": 1, "answerRRs": [7]}"#, "json-bad-member", "7"),
        ("[]", "json-no-message", "["),
        ("[{\"QR\": 1}, 3]", "json-not-message", "3"),
        ("\"dig output\"", "json-not-message", "\""),
        ("{\"messages\": []}", "json-not-message", "{"),
        ("", "json-no-message", ""),
        ("{\"QR\": 1,\n \"ID\": 1,,}", "json-invalid", ",}"),
        ("{\"comment\": \"é\" x}", "json-invalid", "x}"),
        ("{\"QR\": 1", "json-invalid", "1"),
        (
            r#"{"messageOctetsHEX": "0001"}"#,
            "json-bad-octets",
            "\"0001\"",
        ),
        (
            "{\"QR\": 1, \"additionalRRs\": [\n {\"NAME\": \".\", \"TYPE\": 41, \"CLASS\": 512, \"TTL\": 0, \"RDLENGTH\": 0},\n {\"NAME\": \".\", \"TYPE\": 41, \"CLASS\": 512, \"TTL\": 0, \"RDLENGTH\": 0}]}",
            "json-duplicate-opt",
            "{\"NAME\": \".\", \"TYPE\": 41, \"CLASS\": 512, \"TTL\": 0, \"RDLENGTH\": 0}]",
        ),
    ];
    for (text, code, needle) in cases {
        let r = json(text);
        let place = if text.is_empty() {
            "1:1".to_string()
        } else {
            at(text, needle)
        };
        assert_eq!(
            found(&r).first(),
            Some(&format!("{code} {place}")),
            "{text}\n{:?}",
            r.diagnostics
        );
        // A message with an error is not kept.
        let warning =
            Code::from_text(code).is_some_and(|c| c.severity() == crate::zone::Severity::Warning);
        assert!(
            r.messages.is_empty() || warning || text.starts_with('['),
            "{text}"
        );
    }
    // Another format.
    let dig = include_str!("../testdata/bind918-soa.dig");
    assert_eq!(found(&json(dig)), ["wrong-format 1:1"]);
    // The pointer of the member at fault is in the message.
    let r = json(
        "{\"QR\": 1,\n \"answerRRs\": [{\"NAME\": \"a.\", \"TYPE\": 1, \"TTL\": 1, \"RDATAHEX\": \"C0000G01\"}]}",
    );
    assert!(
        r.diagnostics[0]
            .message
            .starts_with("`/answerRRs/0/RDATAHEX`"),
        "{}",
        r.diagnostics[0].message
    );
}

#[test]
fn too_many_messages() {
    let text = format!(
        "[{}]",
        vec![RFC_QUERY; crate::response::MAX_MESSAGES + 1].join(",")
    );
    let r = json(&text);
    assert_eq!(r.messages.len(), crate::response::MAX_MESSAGES);
    assert_eq!(
        r.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        [Code::TooManyMessages]
    );
}

#[test]
fn response_codes_and_flags_as_booleans() {
    let m = one(r#"{"ID": 7, "QR": true, "AA": false, "RD": true, "RA": true, "AD": true, "CD": true, "TC": true, "RCODE": 3}"#).message;
    assert!(
        m.recursion_desired
            && m.recursion_available
            && m.authentic_data
            && m.checking_disabled
            && m.truncation
    );
    assert_eq!(m.response_code, ResponseCode::NXDomain);
}

/// A long key above many values: placing a diagnostic indexes the text in
/// space linear in it (a path per value once took key length × values).
#[test]
fn a_long_key_over_many_values_is_placed_without_blowing_up() {
    let key = "k".repeat(10_000);
    let zeros = vec!["0"; 450_000].join(",");
    let text = format!("{{\"{key}\":[{zeros}]}}");
    assert!(text.len() < crate::response::MAX_INPUT_BYTES);
    let r = json(&text);
    assert!(r.messages.is_empty());
    // The unknown member is placed at its name.
    assert_eq!(
        found(&r),
        ["json-not-message 1:1", "json-unknown-member 1:2"]
    );
}
