//! The dig reader on real dig 9.18 output (captured from BIND 9.18 serving
//! a signed zone, in `../testdata/`) and on hand-written outputs in the
//! formats of dig 9.16 and 9.20.

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::rdata::opt::{EdnsCode, EdnsOption};
use hickory_proto::rr::{DNSClass, RData, RecordType};

use crate::response::test_support::{self, at, found, round_trips};
use crate::response::{Code, Format, Read, Transport, read};

fn dig(text: &str) -> Read {
    read(Format::Dig, text.as_bytes())
}

/// One message, no diagnostic at all; every message round-trips.
fn one(text: &str) -> crate::response::ReadMessage {
    test_support::one(Format::Dig, text)
}

const SOA: &str = include_str!("../testdata/bind918-soa.dig");
const WWW: &str = include_str!("../testdata/bind918-www-dnssec-multi.dig");
const DNSKEY: &str = include_str!("../testdata/bind918-dnskey-tcp.dig");
const NXDOMAIN: &str = include_str!("../testdata/bind918-nxdomain.dig");
const QR: &str = include_str!("../testdata/bind918-refused-qr.dig");
const BADVERS: &str = include_str!("../testdata/bind918-badvers.dig");
const CHAOS: &str = include_str!("../testdata/bind918-chaos.dig");
const MX: &str = include_str!("../testdata/bind918-mx.dig");
const TXT: &str = include_str!("../testdata/bind918-txt.dig");

#[test]
fn bind918_authoritative_soa() {
    let m = one(SOA);
    assert_eq!(m.line, 2, "the banner line");
    assert_eq!(m.transport, Some(Transport::Udp));
    assert_eq!(m.server.as_deref(), Some("127.0.0.1#5399"));
    let msg = &m.message;
    assert!(msg.authoritative && !msg.recursion_desired && !msg.recursion_available);
    assert_eq!(msg.response_code, ResponseCode::NoError);
    assert_eq!(msg.queries[0].query_type(), RecordType::SOA);
    assert_eq!(msg.queries[0].name().to_ascii(), "grp7.lab.example.");
    let RData::SOA(soa) = &msg.answers[0].data else {
        panic!("an SOA")
    };
    assert_eq!(soa.serial, 2026112901);
    assert_eq!((msg.authorities.len(), msg.additionals.len()), (2, 3));
    let edns = msg.edns.as_ref().expect("EDNS");
    assert_eq!(
        (edns.max_payload(), edns.flags().dnssec_ok, edns.version()),
        (1232, false, 0)
    );
    let Some(EdnsOption::Unknown(10, cookie)) = edns.option(EdnsCode::Cookie) else {
        panic!("a cookie")
    };
    assert_eq!(cookie.len(), 24);
}

#[test]
fn bind918_dnssec_multi_nsid() {
    let m = one(WWW);
    let msg = &m.message;
    let edns = msg.edns.as_ref().expect("EDNS");
    assert!(edns.flags().dnssec_ok);
    let Some(EdnsOption::NSID(nsid)) = edns.option(EdnsCode::NSID) else {
        panic!("an NSID")
    };
    assert_eq!(nsid.as_ref(), b"ns-test-1");
    let types: Vec<RecordType> = msg.answers.iter().map(|r| r.record_type()).collect();
    assert_eq!(types, [RecordType::A, RecordType::RRSIG]);
    assert_eq!((msg.authorities.len(), msg.additionals.len()), (3, 6));
}

#[test]
fn bind918_dnskey_over_tcp() {
    let m = one(DNSKEY);
    assert_eq!(m.transport, Some(Transport::Tcp));
    let keys = m
        .message
        .answers
        .iter()
        .filter(|r| r.record_type() == RecordType::DNSKEY)
        .count();
    assert_eq!((keys, m.message.answers.len()), (2, 4));
}

#[test]
fn bind918_nxdomain_with_nsec_proof() {
    let m = one(NXDOMAIN);
    let msg = &m.message;
    assert_eq!(msg.response_code, ResponseCode::NXDomain);
    assert!(msg.answers.is_empty());
    let types: Vec<RecordType> = msg.authorities.iter().map(|r| r.record_type()).collect();
    assert_eq!(
        types,
        [
            RecordType::SOA,
            RecordType::RRSIG,
            RecordType::NSEC,
            RecordType::RRSIG,
            RecordType::NSEC,
            RecordType::RRSIG
        ]
    );
    // The +multi SOA with its comments.
    let RData::SOA(soa) = &msg.authorities[0].data else {
        panic!("an SOA")
    };
    assert_eq!((soa.refresh, soa.minimum), (14400, 3600));
}

#[test]
fn bind918_query_printed_with_qr_is_skipped() {
    let r = dig(QR);
    assert_eq!(
        found(&r),
        [format!("dig-query-skipped {}", at(QR, ";; ->>HEADER"))]
    );
    assert_eq!(r.error_count, 0);
    assert_eq!(r.messages.len(), 1);
    let m = &r.messages[0];
    assert_eq!(m.line, 2, "the response starts with its output's banner");
    assert_eq!(m.message.response_code, ResponseCode::Refused);
    assert!(m.message.recursion_desired && !m.message.recursion_available);
}

#[test]
fn bind918_badvers_is_an_extended_rcode() {
    let m = one(BADVERS);
    assert_eq!(u16::from(m.message.response_code), 16);
    assert_eq!(m.message.edns.as_ref().map(|e| e.rcode_high()), Some(1));
}

#[test]
fn bind918_chaos_class() {
    let m = one(CHAOS);
    assert_eq!(m.message.queries[0].query_class(), DNSClass::CH);
    assert_eq!(m.message.answers[0].dns_class, DNSClass::CH);
    assert_eq!(m.message.answers[0].record_type(), RecordType::TXT);
}

#[test]
fn bind918_outputs_pasted_one_after_another() {
    let all = [SOA, WWW, DNSKEY, NXDOMAIN, QR, BADVERS, CHAOS, MX, TXT];
    let text: String = all.concat();
    let r = dig(&text);
    assert_eq!(r.error_count, 0, "{:?}", found(&r));
    assert_eq!(r.messages.len(), all.len());
    let mut line = 0;
    for (m, part) in r.messages.iter().zip(all) {
        assert_eq!(m.line, line + 2, "each output starts on its banner line");
        line += u32::try_from(part.lines().count()).expect("short");
        round_trips(&m.message);
        assert_eq!(m.message, one_or_qr(part).message);
    }
}

fn one_or_qr(text: &str) -> crate::response::ReadMessage {
    dig(text).messages.into_iter().next().expect("a message")
}

/// dig 9.16: no blank line before the OPT pseudosection (as some builds
/// print it), no transport on the SERVER line; `+tcp` on the command line
/// says TCP.
const BIND916_TCP: &str = "\
; <<>> DiG 9.16.23-RH <<>> @127.0.0.1 -p 5300 grp7.lab.example SOA +norec +tcp
; (1 server found)
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 31981
;; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: 32f3f09d6c8bdd80010000006908538136d3674d0328bc50 (good)
;; QUESTION SECTION:
;grp7.lab.example.\t\tIN\tSOA

;; ANSWER SECTION:
grp7.lab.example.\t3600\tIN\tSOA\tns1.grp7.lab.example. hostmaster.grp7.lab.example. 2026112901 14400 3600 1209600 3600

;; Query time: 0 msec
;; SERVER: 127.0.0.1#5300(127.0.0.1)
;; WHEN: Mon Nov 03 16:02:25 KST 2025
;; MSG SIZE  rcvd: 83
";

#[test]
fn bind916_transport_from_the_command_line() {
    let m = one(BIND916_TCP);
    assert_eq!(m.transport, Some(Transport::Tcp));
    assert_eq!(m.server.as_deref(), Some("127.0.0.1#5300"));
    let udp = BIND916_TCP.replace(" +tcp", "");
    let m = one(&udp);
    assert_eq!(m.transport, None, "dig 9.16 does not say");
    assert_eq!(m.line, 1);
}

#[test]
fn bind916_truncated_then_tcp() {
    let text = BIND916_TCP.replace(" +tcp", "").replace(
        ";; Got answer:",
        ";; Truncated, retrying in TCP mode.\n;; Got answer:",
    );
    assert_eq!(one(&text).transport, Some(Transport::Tcp));
}

/// dig 9.16 from a validating resolver: an EDE without extra text.
const BIND916_EDE: &str = "\
; <<>> DiG 9.16.48 <<>> @127.0.0.1 -p 5353 bogus.resolver-lab.example A
; (1 server found)
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 5
;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; EDE: 6 (DNSSEC Bogus)
;; QUESTION SECTION:
;bogus.resolver-lab.example.\tIN\tA

;; Query time: 12 msec
;; SERVER: 127.0.0.1#5353(127.0.0.1)
;; WHEN: Sun Nov 29 17:00:00 UTC 2026
;; MSG SIZE  rcvd: 61
";

#[test]
fn bind916_ede() {
    let m = one(BIND916_EDE);
    assert_eq!(m.message.response_code, ResponseCode::ServFail);
    let edns = m.message.edns.as_ref().expect("EDNS");
    assert_eq!(
        edns.option(EdnsCode::Unknown(15)),
        Some(&EdnsOption::Unknown(15, vec![0, 6]))
    );
}

/// dig 9.20 from Unbound validating: SERVFAIL with an EDE and its text, a
/// good answer with AD, and one with CD over TCP.
const BIND920: &str = "\
; <<>> DiG 9.20.4-3-Debian <<>> @127.0.0.1 -p 5353 bogus.resolver-lab.example A +dnssec
; (1 server found)
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 28442
;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags: do; udp: 1232
; EDE: 6 (DNSSEC Bogus): (validation failure <bogus.resolver-lab.example. A IN>: signature crypto failed from 127.0.0.12 for <bogus.resolver-lab.example. A IN>)
;; QUESTION SECTION:
;bogus.resolver-lab.example.\tIN\tA

;; Query time: 4 msec
;; SERVER: 127.0.0.1#5353(127.0.0.1) (UDP)
;; WHEN: Wed Jan 22 09:52:10 EST 2025
;; MSG SIZE  rcvd: 190


; <<>> DiG 9.20.4-3-Debian <<>> @127.0.0.1 -p 5353 www.resolver-lab.example A +dnssec +multi
; (1 server found)
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 7
;; flags: qr rd ra ad; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags: do; udp: 1232
;; QUESTION SECTION:
;www.resolver-lab.example. IN A

;; ANSWER SECTION:
www.resolver-lab.example. 3600 IN A 192.0.2.80
www.resolver-lab.example. 3600 IN RRSIG A 13 3 3600 (
\t\t\t\t20261229154942 20261129154942 39990 resolver-lab.example.
\t\t\t\ttDMP+PS2rUtfozdMhTvUzJfmb2hLuKNutaACDUZh81Sx
\t\t\t\tOT5YciWytW/LGtlCwH4Z054AwMPcpCg5rwX/3TSyAA== )

;; Query time: 0 msec
;; SERVER: 127.0.0.1#5353(127.0.0.1) (UDP)
;; WHEN: Wed Jan 22 09:52:11 EST 2025
;; MSG SIZE  rcvd: 187


; <<>> DiG 9.20.4-3-Debian <<>> @127.0.0.1 -p 5353 bogus.resolver-lab.example A +cd +tcp
; (1 server found)
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 8
;; flags: qr rd ra cd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; EDE: 22 (No Reachable Authority): (at delegation example.)
; EDE: 0 (Other): (a text (with parentheses))
;; QUESTION SECTION:
;bogus.resolver-lab.example.\tIN\tA

;; ANSWER SECTION:
bogus.resolver-lab.example. 3600 IN\tA\t192.0.2.66

;; Query time: 0 msec
;; SERVER: 127.0.0.1#5353(127.0.0.1) (TCP)
;; WHEN: Wed Jan 22 09:52:12 EST 2025
;; MSG SIZE  rcvd: 97
";

#[test]
fn bind920_resolver_outputs() {
    let r = dig(BIND920);
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
    assert_eq!(r.messages.len(), 3);
    let lines: Vec<u32> = r.messages.iter().map(|m| m.line).collect();
    let banners: Vec<u32> = BIND920
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("; <<>> DiG"))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    assert_eq!(lines, banners);
    let bogus = &r.messages[0].message;
    assert_eq!(bogus.response_code, ResponseCode::ServFail);
    let Some(EdnsOption::Unknown(15, ede)) = bogus
        .edns
        .as_ref()
        .and_then(|e| e.option(EdnsCode::Unknown(15)))
    else {
        panic!("an EDE")
    };
    assert_eq!(&ede[..2], [0, 6]);
    assert!(ede[2..].starts_with(b"validation failure <bogus"));
    assert!(ede.ends_with(b"A IN>"));
    let good = &r.messages[1].message;
    assert!(good.authentic_data && good.recursion_available);
    assert_eq!(good.answers.len(), 2);
    let cd = &r.messages[2];
    assert!(cd.message.checking_disabled);
    assert_eq!(cd.transport, Some(Transport::Tcp));
    let edes = cd
        .message
        .edns
        .as_ref()
        .expect("EDNS")
        .options()
        .get_all(EdnsCode::Unknown(15));
    assert_eq!(edes.len(), 2);
    assert_eq!(
        edes[1],
        &EdnsOption::Unknown(15, [&[0, 0][..], b"a text (with parentheses)"].concat())
    );
    for m in &r.messages {
        round_trips(&m.message);
    }
}

#[test]
fn windows_line_endings_and_indented_paste() {
    let crlf = SOA.replace('\n', "\r\n");
    assert_eq!(one(&crlf).message, one(SOA).message);
    let indented: String = SOA.lines().map(|l| format!("    {l}\n")).collect();
    assert_eq!(one(&indented).message, one(SOA).message);
}

#[test]
fn count_mismatch_points_at_the_count() {
    let text = MX.replace("ns2.grp7.lab.example.\t3600\tIN\tA\t198.51.100.53\n", "");
    let r = dig(&text);
    // The column of the count itself.
    let flags = at(&text, "ADDITIONAL: 5");
    let (line, col) = flags.split_once(':').expect("line:col");
    let col: usize = col.parse().expect("a column");
    assert_eq!(
        found(&r),
        [format!(
            "dig-count-mismatch {line}:{}",
            col + "ADDITIONAL: ".len()
        )]
    );
    assert_eq!(r.error_count, 1);
    assert!(
        r.diagnostics[0].message.contains("ADDITIONAL: 5"),
        "{}",
        r.diagnostics[0].message
    );
    // The message is still read.
    assert_eq!(r.messages.len(), 1);
}

#[test]
fn a_bad_record_is_placed_by_the_zone_reader() {
    let text = MX.replace("192.0.2.25", "192.0.2.300");
    let r = dig(&text);
    assert_eq!(
        found(&r),
        [format!("dig-bad-record {}", at(&text, "192.0.2.300"))]
    );
    assert!(
        r.diagnostics[0].message.contains("bad-ipv4"),
        "{}",
        r.diagnostics[0].message
    );
    assert_eq!(r.diagnostics[0].text, "192.0.2.300");
    // No second error for the count: the record's own error says it.
    assert_eq!(r.messages.len(), 1);
    assert_eq!(r.messages[0].message.additionals.len(), 3);
}

#[test]
fn nocrypto_output_gets_advice() {
    let text = DNSKEY.replace(
        "1QnrEcfJM1CC/NBUowDKpDI0QDGBrAoBy6HyFpfimgn2",
        "[key id = 39990]",
    );
    let r = dig(&text);
    assert!(r.error_count >= 1);
    assert!(
        r.errors().any(|d| d.message.contains("+nocrypto")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn header_problems() {
    let text = SOA.replace("status: NOERROR", "status: FINE");
    let r = dig(&text);
    assert_eq!(found(&r), [format!("dig-bad-header {}", at(&text, "FINE"))]);
    assert!(r.messages.is_empty());
    let text = SOA.replace(
        ";; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 2, ADDITIONAL: 4\n",
        "",
    );
    let r = dig(&text);
    assert_eq!(
        found(&r),
        [format!("dig-bad-flags {}", at(&text, ";; ->>HEADER"))]
    );
    let text = SOA.replace("AUTHORITY: 2, ", "");
    assert_eq!(dig(&text).diagnostics[0].code, Code::DigBadFlags);
    // Numeric and reserved statuses, as dig prints codes without a name.
    let text = SOA.replace("status: NOERROR", "status: RESERVED11");
    assert_eq!(u16::from(one(&text).message.response_code), 11);
    let text = SOA.replace("status: NOERROR", "status: 12");
    assert_eq!(u16::from(one(&text).message.response_code), 12);
    // An extended status needs EDNS.
    let text = BADVERS
        .replace(
            ";; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n",
            "",
        )
        .replace("ADDITIONAL: 1", "ADDITIONAL: 0");
    assert_eq!(
        found(&dig(&text)),
        [format!("dig-bad-header {}", at(&text, "BADVERS"))]
    );
}

#[test]
fn flags_z_bit_and_edns_options() {
    let text = SOA.replace("flags: qr aa;", "flags: qr aa; MBZ: 0x4;");
    let r = dig(&text);
    assert_eq!(
        found(&r),
        [format!("dig-unsupported-flag {}", at(&text, "MBZ"))]
    );
    assert_eq!(r.error_count, 0);
    let text = SOA.replace(
        "(good)\n",
        "(good)\n; CHAIN: \"example.\"\n; NSID: zz (\"x\")\n",
    );
    let r = dig(&text);
    assert_eq!(
        found(&r),
        [
            format!("dig-unknown-edns-option {}", at(&text, "CHAIN")),
            format!("dig-bad-edns-option {}", at(&text, "NSID")),
        ]
    );
    let text = SOA.replace("flags:; udp: 1232", "flags: do; MBZ: 0x0070, udp: 4096");
    let e = one(&text).message.edns.expect("EDNS");
    assert_eq!(
        (e.flags().dnssec_ok, e.flags().z, e.max_payload()),
        (true, 0x70, 4096)
    );
    let text = SOA.replace("flags:; udp: 1232", "flags:; udp:");
    assert_eq!(
        found(&dig(&text)),
        [format!("dig-bad-edns {}", at(&text, "EDNS:"))]
    );
}

#[test]
fn outputs_without_a_response() {
    let r = dig("");
    assert_eq!(found(&r), ["dig-empty 1:1"]);
    let short = "192.0.2.80\n";
    assert_eq!(found(&dig(short)), ["dig-short-output 1:1"]);
    let noall = "www.grp7.lab.example.\t3600\tIN\tA\t192.0.2.80\n";
    assert_eq!(found(&dig(noall)), ["dig-no-header 1:1"]);
    let timeout = "\
;; communications error to 127.0.0.1#5398: timed out

; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> -p 5398 www.grp7.lab.example
; (1 server found)
;; global options: +cmd
;; connection timed out; no servers could be reached
";
    let r = dig(timeout);
    assert_eq!(found(&r), ["dig-no-response 6:1"]);
    assert_eq!(r.error_count, 0, "a warning: dig printed what happened");
    assert!(r.diagnostics[0].message.contains("timed out"));
    let yaml = "- type: MESSAGE\n  message:\n    type: AUTH_RESPONSE\n";
    assert_eq!(found(&dig(yaml)), ["dig-yaml-output 1:1"]);
    let kdig = ";; ->>HEADER<<- opcode: QUERY; status: NOERROR; id: 1\n;; Flags: qr aa; QUERY: 1; ANSWER: 0; AUTHORITY: 0; ADDITIONAL: 0\n";
    assert_eq!(found(&dig(kdig)), ["dig-bad-header 1:1"]);
    let error = "dig: couldn't get address for 'ns9.example': not found\n";
    assert_eq!(found(&dig(error)), ["dig-error 1:1"]);
    assert_eq!(
        found(&dig("{\"ID\": 1, \"QR\": 1}\n")),
        ["wrong-format 1:1"]
    );
    assert_eq!(
        found(&dig("abcd01000001000000000000076578616d706c65\n")),
        ["wrong-format 1:1"]
    );
    let banner_only = "; <<>> DiG 9.18.49 <<>> x\n;; global options: +cmd\n";
    assert_eq!(found(&dig(banner_only)), ["dig-no-header 1:1"]);
}

#[test]
fn stray_text_between_outputs() {
    let text = format!(
        "$ dig @127.0.0.1 -p 5399 grp7.lab.example SOA +norec\n{SOA}my answer is above\nand more\n\n{MX}"
    );
    let r = dig(&text);
    assert_eq!(r.messages.len(), 2);
    assert_eq!(r.error_count, 0);
    let stray = at(&text, "my answer");
    assert_eq!(found(&r), [format!("dig-stray-text {stray}")]);
}

#[test]
fn signed_responses_and_unknown_transports() {
    let text = MX.replace(
        ";; Query time:",
        ";; TSIG PSEUDOSECTION:\nkey.\t\t\t0\tANY\tTSIG\thmac-sha256. 1700000000 300 32 AAAA 1158 NOERROR 0\n\n;; Query time:",
    ).replace("ADDITIONAL: 5", "ADDITIONAL: 6").replace("(UDP)", "(HTTPS)");
    let r = dig(&text);
    assert_eq!(
        found(&r),
        [
            format!("dig-signature-skipped {}", at(&text, ";; TSIG")),
            format!("dig-unknown-transport {}", at(&text, "HTTPS")),
        ]
    );
    assert_eq!(r.messages[0].transport, None);
}

#[test]
fn too_many_messages() {
    let text = SOA.repeat(crate::response::MAX_MESSAGES + 1);
    let r = dig(&text);
    assert_eq!(r.messages.len(), crate::response::MAX_MESSAGES);
    assert_eq!(r.error_count, 1);
    assert_eq!(r.diagnostics[0].code, Code::TooManyMessages);
}

#[test]
fn too_many_records_in_a_section() {
    let n = crate::response::MAX_RECORDS_PER_SECTION + 1;
    let records = "x.example.\t300\tIN\tA\t192.0.2.1\n".repeat(n);
    let text = SOA.replace("ANSWER: 1,", &format!("ANSWER: {n},")).replace(
        ";; ANSWER SECTION:\n",
        &format!(";; ANSWER SECTION:\n{records}"),
    );
    let r = dig(&text);
    assert!(r.messages.is_empty());
    assert_eq!(
        r.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        [Code::TooManyRecords]
    );
}

#[test]
fn nottlid_output_gets_advice() {
    let text = MX.replace("\t3600\tIN\t", "\tIN\t");
    let r = dig(&text);
    assert!(r.error_count >= 1);
    assert!(
        r.errors().all(|d| d.message.contains("+nottlid")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn edns_options_and_messages_past_the_wire_limits() {
    // More EDNS options than an OPT record holds.
    let pads = "; PADDING: (40000 bytes)\n".repeat(2);
    let text = SOA.replace("(good)\n", &format!("(good)\n{pads}"));
    let r = dig(&text);
    let first: u32 = at(&text, "; PADDING")
        .split_once(':')
        .map_or(0, |(l, _)| l.parse().expect("line"));
    assert_eq!(found(&r), [format!("dig-bad-edns-option {}:3", first + 1)]);
    assert_eq!(r.messages.len(), 1);
    // A message longer than 65535 octets in wire form.
    let n = 300;
    let txt = format!("big.example.\t60\tIN\tTXT\t\"{}\"\n", "x".repeat(250));
    let text = SOA
        .replace("ANSWER: 1,", &format!("ANSWER: {},", n + 1))
        .replace(
            ";; ANSWER SECTION:\n",
            &format!(";; ANSWER SECTION:\n{}", txt.repeat(n)),
        );
    let r = dig(&text);
    assert_eq!(
        found(&r),
        [format!(
            "message-not-encodable {}",
            at(&text, ";; ->>HEADER")
        )]
    );
    assert!(r.messages.is_empty());
}

/// Every type the zone-file reader knows, in an answer (hand-made: the
/// records are `ldns-read-zone`'s output for the round-trip test zone).
#[test]
fn every_record_type_in_a_section() {
    let text = include_str!("../testdata/handmade-all-types.dig");
    let m = one(text);
    assert_eq!(m.message.answers.len(), 53);
    assert_eq!(m.message.queries[0].query_type(), RecordType::ANY);
}

/// Zone-file directives in a section are refused, not expanded: a
/// `$GENERATE` line once made 65,536 records of one line.
#[test]
fn directives_in_a_section_are_refused() {
    let text = SOA.replacen(
        ";; ANSWER SECTION:\n",
        ";; ANSWER SECTION:\n$GENERATE 1-65535 h$ A 192.0.2.1\n$ORIGIN evil.\n",
        1,
    );
    let r = dig(&text);
    assert_eq!(
        found(&r),
        [
            format!("dig-bad-record {}", at(&text, "$GENERATE")),
            format!("dig-bad-record {}", at(&text, "$ORIGIN")),
        ]
    );
    assert!(r.error_count > 0);
}
