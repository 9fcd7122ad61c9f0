//! Round trip of every supported record type: our reader turns the text into
//! hickory-proto records, hickory encodes them to wire form, and the bytes
//! must equal what `ldns-read-zone` (run live) makes of the same file.

use std::collections::BTreeMap;
use std::process::Command;

use grader_core::zone::{self, Options, rdata_wire};
use grader_tests::{root, run, tool};

/// (owner lowercase, type code) → sorted list of (TTL, rdata hex).
type Rrs = BTreeMap<(String, u16), Vec<(Option<u32>, String)>>;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses `ldns-read-zone -U NULL` output: `owner ttl class TYPEn \# len hex...`.
fn ldns_records(text: &str) -> Rrs {
    let mut out = Rrs::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with(';'))
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert!(
            f.len() >= 6 && f[4] == "\\#",
            "unexpected ldns-read-zone line: {line}"
        );
        let code: u16 = f[3].trim_start_matches("TYPE").parse().expect("TYPEnnn");
        let ttl: u32 = f[1].parse().expect("ttl");
        let data = f[6..].concat().to_ascii_lowercase();
        // ldns gives an RRSIG the TTL of the RRset it covers; do not compare those.
        let ttl = (code != 46).then_some(ttl);
        out.entry((f[0].to_ascii_lowercase(), code))
            .or_default()
            .push((ttl, data));
    }
    out.values_mut().for_each(|v| v.sort());
    out
}

fn our_records(zone: &zone::Zone) -> Rrs {
    let mut out = Rrs::new();
    for r in &zone.records {
        let code = u16::from(r.record.record_type());
        let wire = rdata_wire(&r.record.data).expect("hickory encodes every record we read");
        let ttl = (code != 46).then_some(r.record.ttl);
        out.entry((r.record.name.to_ascii().to_ascii_lowercase(), code))
            .or_default()
            .push((ttl, hex(&wire)));
    }
    out.values_mut().for_each(|v| v.sort());
    out
}

#[test]
fn every_type_matches_ldns_byte_for_byte() {
    let path = root().join("tests/zones/roundtrip/all-types.zone");
    let text = std::fs::read(&path).expect("read the round-trip zone");
    let zone = zone::read(&text, &Options::default());
    let errors: Vec<String> = zone.errors().map(ToString::to_string).collect();
    assert!(
        errors.is_empty(),
        "our reader rejected the round-trip zone: {errors:#?}"
    );

    let output = run(Command::new(tool("ldns-read-zone"))
        .arg("-U")
        .arg("NULL")
        .arg(&path));
    assert!(
        output.status.success(),
        "ldns-read-zone failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theirs = ldns_records(&String::from_utf8_lossy(&output.stdout));
    let ours = our_records(&zone);

    // Every listed type appears in the file, so the comparison covers it.
    let listed: [(&str, u16); 34] = [
        ("SOA", 6),
        ("NS", 2),
        ("A", 1),
        ("AAAA", 28),
        ("CNAME", 5),
        ("DNAME", 39),
        ("MX", 15),
        ("TXT", 16),
        ("SPF", 99),
        ("PTR", 12),
        ("SRV", 33),
        ("NAPTR", 35),
        ("CAA", 257),
        ("TLSA", 52),
        ("SSHFP", 44),
        ("HINFO", 13),
        ("LOC", 29),
        ("URI", 256),
        ("SVCB", 64),
        ("HTTPS", 65),
        ("DS", 43),
        ("CDS", 59),
        ("DNSKEY", 48),
        ("CDNSKEY", 60),
        ("RRSIG", 46),
        ("NSEC", 47),
        ("NSEC3", 50),
        ("NSEC3PARAM", 51),
        ("ZONEMD", 63),
        ("RP", 17),
        ("AFSDB", 18),
        ("SMIMEA", 53),
        ("OPENPGPKEY", 61),
        ("TYPE65280", 65280),
    ];
    for (name, code) in listed {
        assert_eq!(zone::type_name(code), name, "type table");
        assert!(
            ours.keys().any(|(_, c)| *c == code),
            "the round-trip zone has no {name} record"
        );
    }

    let mut diffs = Vec::new();
    for (k, v) in &theirs {
        match ours.get(k) {
            Some(o) if o == v => {}
            o => diffs.push(format!("{} TYPE{}: ldns {v:?}, ours {o:?}", k.0, k.1)),
        }
    }
    for k in ours.keys().filter(|k| !theirs.contains_key(k)) {
        diffs.push(format!("{} TYPE{}: only ours", k.0, k.1));
    }
    assert!(
        diffs.is_empty(),
        "wire forms differ from ldns-read-zone:\n{}",
        diffs.join("\n")
    );
}
