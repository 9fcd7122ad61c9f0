//! The dig-output reader on real output: BIND, NSD and Knot serving the
//! authoritative lab's zone (plain and signed with NSEC3) and the resolver
//! lab's validating Unbound are asked by the real `dig` with every flag
//! combination students use (none, `+dnssec`, `+multi`, `+norec`, `+tcp`,
//! `+dnssec +multi`, `+dnssec +tcp +norec`), for answers, NXDOMAIN, NODATA,
//! REFUSED, SERVFAIL, DNSKEY, RRSIG, NSEC3 and NSEC3PARAM. Each captured
//! output is read by `grader_core::response::read(Format::Dig, ...)` with no
//! error, into one message equal to the same query made in wire form by the
//! test (header flags and rcode, question, every record of every section
//! with its data, EDNS; not the id). The outputs of each server pasted one
//! after the other read back as all those messages, in order, on the right
//! lines. A failure prints the dig output.

use std::net::SocketAddr;
use std::process::Command;
use std::str::FromStr as _;
use std::time::Instant;

use grader_core::response::{self, Format, Transport};
use grader_tests::servers::{
    self, Flags, Kind, LAB_ORIGIN, RESOLVER_BOGUS, RESOLVER_GOOD, RESOLVER_ORIGIN, SignedLab,
};
use hickory_proto::op::Message;
use hickory_proto::rr::{Record, RecordType};
use hickory_proto::serialize::binary::BinEncodable as _;

/// The flag combinations asked for every query.
const COMBINATIONS: [&[&str]; 7] = [
    &[],
    &["+dnssec"],
    &["+multi"],
    &["+norec"],
    &["+tcp"],
    &["+dnssec", "+multi"],
    &["+dnssec", "+tcp", "+norec"],
];

/// One dig run and what it captured.
struct Capture {
    command: String,
    output: String,
}

/// Runs the real dig against `server` (`dig -r -p PORT @ADDR NAME TYPE
/// OPTIONS`; `-r`: no ~/.digrc) and returns its output.
fn dig(addr: SocketAddr, name: &str, rtype: &str, options: &[&str]) -> Capture {
    let program = servers::find_program("dig", "bind9-dnsutils");
    let mut cmd = Command::new(program);
    cmd.args(["-r", "-p", &addr.port().to_string()])
        .arg(format!("@{}", addr.ip()))
        .args([name, rtype])
        .args(options)
        .args(["+time=2", "+tries=2"]);
    let command = format!("{cmd:?}");
    let out = grader_tests::run(&mut cmd);
    let output = String::from_utf8(out.stdout).expect("dig prints UTF-8 here");
    assert!(
        out.status.success(),
        "{command} failed ({}): {}\n{output}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Capture { command, output }
}

/// The flags of the query dig sends with `options`.
fn flags_of(options: &[&str]) -> Flags {
    let mut flags = Flags::DIG;
    for option in options {
        match *option {
            "+dnssec" => flags.dnssec_ok = true,
            "+norec" => flags.rd = false,
            "+tcp" => flags.tcp = true,
            "+cd" => flags.cd = true,
            "+multi" => {}
            other => panic!("no flags known for {other}"),
        }
    }
    flags
}

/// A record as compared: owner, type, class, TTL, data in wire form.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Compared {
    owner: String,
    rtype: String,
    class: String,
    data: Vec<u8>,
    ttl: u32,
}

fn compared(records: &[Record]) -> Vec<Compared> {
    let mut list: Vec<Compared> = records
        .iter()
        .map(|r| Compared {
            owner: r.name.to_string(),
            rtype: r.record_type().to_string(),
            class: r.dns_class.to_string(),
            data: r.data.to_bytes().expect("record data encodes"),
            ttl: r.ttl,
        })
        .collect();
    // Servers may rotate the records of an RRset between two queries.
    list.sort();
    list
}

/// How `dig` (read from its output) and `wire` (the same query, made by the
/// test) differ: everything but the id, and TTLs within `ttl_slack` seconds
/// (a resolver's cache counts down between the two queries).
fn differences(dig: &Message, wire: &Message, ttl_slack: u32) -> Vec<String> {
    let mut found = Vec::new();
    let (d, w) = (&dig.metadata, &wire.metadata);
    let header = [
        ("QR", d.message_type == w.message_type),
        ("opcode", d.op_code == w.op_code),
        ("AA", d.authoritative == w.authoritative),
        ("TC", d.truncation == w.truncation),
        ("RD", d.recursion_desired == w.recursion_desired),
        ("RA", d.recursion_available == w.recursion_available),
        ("AD", d.authentic_data == w.authentic_data),
        ("CD", d.checking_disabled == w.checking_disabled),
        ("rcode", d.response_code == w.response_code),
    ];
    for (field, same) in header {
        if !same {
            found.push(format!("header {field}: dig {d:?}, wire {w:?}"));
        }
    }
    let question =
        |m: &Message| -> Vec<String> { m.queries.iter().map(|q| q.to_string()).collect() };
    if question(dig) != question(wire) {
        found.push(format!(
            "question: dig {:?}, wire {:?}",
            question(dig),
            question(wire)
        ));
    }
    let sections = [
        ("answer", &dig.answers, &wire.answers),
        ("authority", &dig.authorities, &wire.authorities),
        ("additional", &dig.additionals, &wire.additionals),
    ];
    for (section, d, w) in sections {
        let (d, w) = (compared(d), compared(w));
        if d.len() != w.len() {
            found.push(format!(
                "{section}: {} records from dig, {} in wire form",
                d.len(),
                w.len()
            ));
            continue;
        }
        for (d, w) in d.iter().zip(&w) {
            let same = (&d.owner, &d.rtype, &d.class, &d.data)
                == (&w.owner, &w.rtype, &w.class, &w.data)
                && d.ttl.abs_diff(w.ttl) <= ttl_slack;
            if !same {
                found.push(format!("{section}: dig {d:?}\n     wire {w:?}"));
            }
        }
    }
    match (&dig.edns, &wire.edns) {
        (None, None) => {}
        (Some(d), Some(w)) => {
            if d.flags().dnssec_ok != w.flags().dnssec_ok {
                found.push(format!(
                    "EDNS DO: dig {}, wire {}",
                    d.flags().dnssec_ok,
                    w.flags().dnssec_ok
                ));
            }
            if d.max_payload() != w.max_payload() {
                found.push(format!(
                    "EDNS udp size: dig {}, wire {}",
                    d.max_payload(),
                    w.max_payload()
                ));
            }
            if d.version() != w.version() {
                found.push(format!(
                    "EDNS version: dig {}, wire {}",
                    d.version(),
                    w.version()
                ));
            }
        }
        (d, w) => found.push(format!(
            "EDNS: dig {}, wire {}",
            if d.is_some() { "present" } else { "absent" },
            if w.is_some() { "present" } else { "absent" }
        )),
    }
    found
}

/// The line (1-based) of dig's `; <<>> DiG` banner in `output`, where the
/// reader places its message.
fn banner_line(output: &str) -> u32 {
    let index = output
        .lines()
        .position(|l| l.starts_with("; <<>> DiG"))
        .unwrap_or_else(|| panic!("no banner line in the dig output:\n{output}"));
    u32::try_from(index + 1).expect("a short output")
}

/// Reads one captured output and checks it against the same query in wire
/// form; returns the message read.
fn check_one(
    addr: SocketAddr,
    capture: &Capture,
    name: &str,
    rtype: &str,
    options: &[&str],
    ttl_slack: u32,
) -> response::ReadMessage {
    let Capture { command, output } = capture;
    let read = response::read(Format::Dig, output.as_bytes());
    // Real dig output: not even a warning.
    let diagnostics: Vec<String> = read
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "line {}:{}: {:?} {} ({}): {:?}",
                d.line, d.column, d.severity, d.message, d.code, d.text
            )
        })
        .collect();
    assert!(
        diagnostics.is_empty() && read.is_ok(),
        "{command}: the reader found {} errors and these diagnostics in the output:\n{}\n--- dig output ---\n{output}",
        read.error_count,
        diagnostics.join("\n")
    );
    assert_eq!(
        read.messages.len(),
        1,
        "{command}: {} messages read from one dig output:\n{output}",
        read.messages.len()
    );
    let read = read.messages.into_iter().next().expect("one message");
    assert_eq!(
        read.line,
        banner_line(output),
        "{command}: the line of the message is that of its banner:\n{output}"
    );
    let tcp = options.contains(&"+tcp");
    assert_eq!(
        read.transport,
        Some(if tcp { Transport::Tcp } else { Transport::Udp }),
        "{command}: the transport of ;; SERVER:\n{output}"
    );
    assert_eq!(
        read.server.as_deref(),
        Some(format!("{}#{}", addr.ip(), addr.port()).as_str()),
        "{command}: the server of ;; SERVER:\n{output}"
    );
    let rtype_value = RecordType::from_str(rtype).expect("a known type");
    let wire = servers::query(addr, name, rtype_value, flags_of(options));
    let found = differences(&read.message, &wire, ttl_slack);
    assert!(
        found.is_empty(),
        "{command}: the message read from dig's output differs from the same query in wire \
         form:\n  {}\n--- dig output ---\n{output}\n--- read ---\n{}\n--- wire ---\n{wire}",
        found.join("\n  "),
        read.message
    );
    read
}

/// Asks `addr` every query with every combination, checks each output, and
/// then checks the outputs pasted together. Returns how many outputs.
fn capture_all(
    addr: SocketAddr,
    queries: &[(&str, &str)],
    extra: &[&[&str]],
    ttl_slack: u32,
) -> usize {
    let started = Instant::now();
    let mut captured = Vec::new();
    for (name, rtype) in queries {
        for options in COMBINATIONS.iter().chain(extra) {
            let capture = dig(addr, name, rtype, options);
            let read = check_one(addr, &capture, name, rtype, options, ttl_slack);
            captured.push((capture, read));
        }
    }
    check_pasted(&captured);
    eprintln!(
        "{} dig outputs from {addr} read and compared in {:?}",
        captured.len(),
        started.elapsed()
    );
    captured.len()
}

/// The outputs pasted one after another (as a student pastes them; as many
/// as the reader takes at once) read as the same messages, in order, each on
/// the line of its banner.
fn check_pasted(captured: &[(Capture, response::ReadMessage)]) {
    for chunk in captured.chunks(response::MAX_MESSAGES) {
        let mut text = String::new();
        let mut lines = Vec::new();
        for (capture, alone) in chunk {
            let offset = u32::try_from(text.lines().count()).expect("short");
            text.push_str(&capture.output);
            lines.push(offset + alone.line);
        }
        let read = response::read(Format::Dig, text.as_bytes());
        assert!(
            read.is_ok(),
            "errors reading {} pasted outputs: {:#?}\n--- pasted ---\n{text}",
            chunk.len(),
            read.errors().collect::<Vec<_>>()
        );
        assert_eq!(
            read.messages.len(),
            chunk.len(),
            "{} outputs pasted together, {} messages read:\n{text}",
            chunk.len(),
            read.messages.len()
        );
        for (i, (got, ((capture, alone), line))) in read
            .messages
            .iter()
            .zip(chunk.iter().zip(&lines))
            .enumerate()
        {
            assert_eq!(
                (got.line, &got.message, got.transport, &got.server),
                (*line, &alone.message, alone.transport, &alone.server),
                "pasted output {i} ({}) reads differently from the same output alone \
                 (line, message, transport, server):\n{}",
                capture.command,
                capture.output
            );
        }
    }
}

fn lab_queries() -> Vec<(String, &'static str)> {
    let at = |label: &str| format!("{label}.{LAB_ORIGIN}");
    vec![
        (LAB_ORIGIN.to_string(), "SOA"),
        (LAB_ORIGIN.to_string(), "NS"),
        (at("www"), "A"),
        (at("www"), "AAAA"),
        (LAB_ORIGIN.to_string(), "MX"),
        (LAB_ORIGIN.to_string(), "TXT"),
        // NXDOMAIN
        (at("nonexistent-7f3a"), "A"),
        // REFUSED: not in the zone, recursion closed
        ("www.example.com.".to_string(), "A"),
    ]
}

fn authoritative_zone(kind: Kind) {
    let server = servers::authoritative_lab(kind, false);
    eprintln!("{kind} started in {:?}", server.started_in());
    let queries = lab_queries();
    let queries: Vec<(&str, &str)> = queries.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let count = capture_all(server.addr(), &queries, &[], 0);
    assert_eq!(count, queries.len() * COMBINATIONS.len());
}

#[test]
fn bind_authoritative_zone() {
    authoritative_zone(Kind::Bind);
}

#[test]
fn nsd_authoritative_zone() {
    authoritative_zone(Kind::Nsd);
}

#[test]
fn knot_authoritative_zone() {
    authoritative_zone(Kind::Knot);
}

/// The owner of an NSEC3 record of a signed zone.
fn nsec3_owner(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with(char::is_whitespace))
        .find_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            (fields.len() > 4 && fields[3] == "NSEC3").then(|| fields[0].to_string())
        })
        .unwrap_or_else(|| panic!("no NSEC3 record in the signed zone:\n{text}"))
}

fn signed_zone(kind: Kind) {
    let SignedLab { server, zone } = servers::signed_lab(kind);
    eprintln!("{kind} started in {:?}", server.started_in());
    let at = |label: &str| format!("{label}.{LAB_ORIGIN}");
    let nsec3 = nsec3_owner(&zone.text);
    let queries = [
        (LAB_ORIGIN.to_string(), "DNSKEY"),
        (LAB_ORIGIN.to_string(), "SOA"),
        (LAB_ORIGIN.to_string(), "NSEC3PARAM"),
        (at("www"), "A"),
        (at("www"), "RRSIG"),
        // NXDOMAIN with the NSEC3 proof
        (at("nonexistent-7f3a"), "A"),
        // NODATA
        (at("www"), "TXT"),
        (nsec3, "NSEC3"),
    ];
    let queries: Vec<(&str, &str)> = queries.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let count = capture_all(server.addr(), &queries, &[], 0);
    assert_eq!(count, queries.len() * COMBINATIONS.len());
}

#[test]
fn bind_signed_zone() {
    signed_zone(Kind::Bind);
}

#[test]
fn nsd_signed_zone() {
    signed_zone(Kind::Nsd);
}

#[test]
fn knot_signed_zone() {
    signed_zone(Kind::Knot);
}

/// BIND left open to recursion: SERVFAIL with RA for a name elsewhere
/// (its root hints lead nowhere), answers for its own zone.
#[test]
fn bind_open_to_recursion() {
    let server = servers::open_recursion_lab();
    let www = format!("www.{LAB_ORIGIN}");
    let queries = [("www.example.com.", "A"), (www.as_str(), "A")];
    capture_all(server.addr(), &queries, &[], 0);
}

/// The validating Unbound of the resolver lab: AD for the good name,
/// SERVFAIL for the bogus one (an answer with `+cd`), the DNSKEY set, a
/// validated NXDOMAIN and NODATA.
#[test]
fn unbound_validating_resolver() {
    let lab = servers::resolver_lab();
    let addr = lab.validating.addr();
    let nxdomain = format!("nonexistent-7f3a.{RESOLVER_ORIGIN}");
    let queries = [
        (RESOLVER_GOOD, "A"),
        (RESOLVER_BOGUS, "A"),
        (RESOLVER_ORIGIN, "DNSKEY"),
        (nxdomain.as_str(), "A"),
        (RESOLVER_GOOD, "TXT"),
    ];
    let extra: [&[&str]; 2] = [&["+cd"], &["+dnssec", "+cd"]];
    capture_all(addr, &queries, &extra, 2);
    // The outputs show what the lab is about.
    let good = dig(addr, RESOLVER_GOOD, "A", &["+dnssec"]).output;
    let good = response::read(Format::Dig, good.as_bytes());
    assert!(
        good.messages[0].message.authentic_data,
        "AD for {RESOLVER_GOOD}"
    );
    let bogus = dig(addr, RESOLVER_BOGUS, "A", &[]).output;
    let read = response::read(Format::Dig, bogus.as_bytes());
    assert_eq!(
        read.messages[0].message.response_code,
        hickory_proto::op::ResponseCode::ServFail,
        "SERVFAIL for {RESOLVER_BOGUS}:\n{bogus}"
    );
}

/// The Unbound without a trust anchor: no AD, and the bogus name resolves.
#[test]
fn unbound_without_trust_anchor() {
    let lab = servers::resolver_lab();
    let queries = [(RESOLVER_GOOD, "A"), (RESOLVER_BOGUS, "A")];
    capture_all(lab.no_anchor.addr(), &queries, &[&["+cd"]], 2);
    for name in [RESOLVER_GOOD, RESOLVER_BOGUS] {
        let capture = dig(lab.no_anchor.addr(), name, "A", &["+dnssec"]);
        let read = response::read(Format::Dig, capture.output.as_bytes());
        let message = &read.messages[0].message;
        assert!(
            !message.authentic_data && !message.answers.is_empty(),
            "{name}: an answer without AD:\n{}",
            capture.output
        );
    }
}
