//! Every code of the DNSSEC validator (`grader_core::dnssec::CODES`) is
//! produced by some damage to a zone signed live by BIND's tools (or by
//! one of the RFC example zones), on the line of the record at fault.

use grader_core::dnssec::{self, CODES, Options};
use grader_core::zone::{self, Code, Diagnostic, ZoneRecord};
use grader_tests::root;
use grader_tests::signing::{Signed, sign};

/// 2026-12-01T00:00:00Z, inside the signatures' window.
const NOW: i64 = 1_796_083_200;

#[derive(Clone, Copy)]
enum Base {
    Nsec,
    Nsec3,
    /// An RFC example zone, at a time inside its window.
    File(&'static str, i64),
}

/// Which DS records go with the zone.
#[derive(Clone, Copy)]
enum Ds {
    None,
    KskSha1,
    Zsk,
    Stray,
}

struct Row {
    code: Code,
    base: Base,
    /// Changes the zone's text.
    edit: fn(&str) -> String,
    now: i64,
    ds: Ds,
    require_signed: bool,
    /// The diagnostic's line must contain this (in the zone or DS file).
    at: &'static str,
}

fn row(code: Code, base: Base, edit: fn(&str) -> String, at: &'static str) -> Row {
    Row {
        code,
        base,
        edit,
        now: NOW,
        ds: Ds::None,
        require_signed: true,
        at,
    }
}

fn same(text: &str) -> String {
    text.to_string()
}

/// Whether `line` matches `needles`: the first one, when it is an owner
/// name (ends with a dot), starts the line; the others are in it.
fn matches(line: &str, needles: &[&str]) -> bool {
    needles.iter().enumerate().all(|(i, n)| {
        if i == 0 && n.ends_with('.') {
            line.starts_with(n)
        } else {
            line.contains(n)
        }
    })
}

/// `text` with the first line that matches `needles` changed by `f`.
fn edit(text: &str, needles: &[&str], f: impl Fn(&str) -> String) -> String {
    let mut done = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && matches(l, needles) {
                done = true;
                f(l)
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done, "no line contains {needles:?}");
    out.join("\n") + "\n"
}

/// `text` without the lines that match `needles`.
fn drop(text: &str, needles: &[&str]) -> String {
    let kept: Vec<&str> = text.lines().filter(|l| !matches(l, needles)).collect();
    assert!(
        kept.len() < text.lines().count(),
        "no line contains {needles:?}"
    );
    kept.join("\n") + "\n"
}

const WWW_A: &[&str] = &["www.cli.test.", "IN A\t"];
const WWW_RRSIG: &[&str] = &["www.cli.test.", "RRSIG\tA "];

fn rows() -> Vec<Row> {
    vec![
        row(
            Code::DnskeyMissing,
            Base::Nsec,
            |t| drop(t, &["DNSKEY"]),
            "IN SOA",
        ),
        Row {
            require_signed: false,
            ..row(
                Code::DnssecInUnsignedZone,
                Base::Nsec,
                |t| drop(t, &["DNSKEY"]),
                "RRSIG",
            )
        },
        row(
            Code::AlgorithmUnsupported,
            Base::Nsec,
            |t| {
                edit(t, &["DNSKEY\t256 3 13"], |l| {
                    l.replace("256 3 13", "256 3 16")
                })
            },
            "DNSKEY\t256 3 16",
        ),
        row(
            Code::AlgorithmDeprecated,
            Base::File("tests/zones/rfc/rfc4035-appendix-a.zone", 1_082_419_200),
            same,
            "DNSKEY",
        ),
        row(
            Code::RsaKeyShort,
            Base::File("tests/zones/rfc/rfc5155-appendix-a.zone", 1_262_304_000),
            same,
            "DNSKEY",
        ),
        row(
            Code::KskMissing,
            Base::Nsec,
            |t| {
                edit(t, &["DNSKEY\t257 3 13"], |l| {
                    l.replace("257 3 13", "256 3 13")
                })
            },
            "DNSKEY",
        ),
        row(
            Code::RrsigMissing,
            Base::Nsec,
            |t| drop(t, WWW_RRSIG),
            "www.cli.test.",
        ),
        row(
            Code::RrsigBadSignature,
            Base::Nsec,
            |t| edit(t, WWW_A, |l| l.replace("192.0.2.10", "192.0.2.11")),
            "RRSIG\tA ",
        ),
        Row {
            now: 3_786_825_600, // 2090
            ..row(Code::RrsigExpired, Base::Nsec, same, "RRSIG")
        },
        Row {
            now: 1_704_067_200, // 2024
            ..row(Code::RrsigNotYetValid, Base::Nsec, same, "RRSIG")
        },
        Row {
            now: 3_502_483_200, // 2080-12-28
            ..row(Code::RrsigExpiresSoon, Base::Nsec, same, "RRSIG")
        },
        row(
            Code::RrsigNoKey,
            Base::Nsec,
            |t| edit(t, WWW_RRSIG, |l| retag(l, "1")),
            "RRSIG\tA ",
        ),
        row(
            Code::RrsigSignerMismatch,
            Base::Nsec,
            |t| edit(t, WWW_RRSIG, |l| l.replace(" cli.test. ", " other.test. ")),
            "other.test.",
        ),
        row(
            Code::RrsigLabels,
            Base::Nsec,
            |t| edit(t, WWW_RRSIG, |l| l.replace("A 13 3 ", "A 13 2 ")),
            "RRSIG\tA 13 2",
        ),
        row(
            Code::RrsigOriginalTtl,
            Base::Nsec,
            |t| edit(t, WWW_A, |l| l.replace("3600", "600")),
            "RRSIG\tA ",
        ),
        row(
            Code::RrsigUnexpected,
            Base::Nsec,
            |t| {
                let sig = t
                    .lines()
                    .find(|l| matches(l, WWW_RRSIG))
                    .expect("www's RRSIG")
                    .replacen("www.cli.test.", "ns.sub.cli.test.", 1)
                    .replace(" 13 3 ", " 13 4 ");
                format!("{t}{sig}\n")
            },
            "ns.sub.cli.test.",
        ),
        row(
            Code::DenialMissing,
            Base::Nsec,
            |t| drop(&drop(t, &["IN NSEC\t"]), &["RRSIG\tNSEC "]),
            "IN SOA",
        ),
        row(
            Code::NsecMissing,
            Base::Nsec,
            |t| {
                drop(
                    &drop(t, &["www.cli.test.", "IN NSEC\t"]),
                    &["www.cli.test.", "RRSIG\tNSEC "],
                )
            },
            "www.cli.test.",
        ),
        row(
            Code::NsecChainBroken,
            Base::Nsec,
            |t| {
                edit(t, &["www.cli.test.", "IN NSEC\t"], |l| {
                    l.replace("NSEC\tcli.test.", "NSEC\th0.cli.test.")
                })
            },
            "IN NSEC\th0.cli.test.",
        ),
        row(
            Code::NsecBitmap,
            Base::Nsec,
            |t| edit(t, &["h0.cli.test.", "IN NSEC\t"], |l| l.replace(" TXT", "")),
            "h0.cli.test.",
        ),
        row(
            Code::NsecUnexpected,
            Base::Nsec,
            |t| {
                let nsec = t
                    .lines()
                    .find(|l| l.starts_with("www.cli.test.") && l.contains("IN NSEC\t"))
                    .expect("www's NSEC")
                    .replacen("www.cli.test.", "ns.sub.cli.test.", 1);
                format!("{t}{nsec}\n")
            },
            "ns.sub.cli.test.",
        ),
        row(
            Code::Nsec3paramMissing,
            Base::Nsec3,
            |t| drop(&drop(t, &["IN NSEC3PARAM"]), &["RRSIG\tNSEC3PARAM"]),
            "IN SOA",
        ),
        row(
            Code::Nsec3ParamsMismatch,
            Base::Nsec3,
            |t| {
                edit(t, &["IN NSEC3\t1 0 0 -"], |l| {
                    l.replace("1 0 0 -", "1 0 1 -")
                })
            },
            "IN NSEC3\t1 0 1 -",
        ),
        row(
            Code::Nsec3IterationsTooMany,
            Base::Nsec3,
            |t| {
                edit(t, &["IN NSEC3PARAM"], |l| {
                    l.replace("1 0 0 -", "1 0 1000 -")
                })
            },
            "NSEC3PARAM\t1 0 1000",
        ),
        row(
            Code::Nsec3Missing,
            Base::Nsec3,
            |t| drop(t, &["IN NSEC3\t", " A TXT RRSIG"]),
            "IN ",
        ),
        row(
            Code::Nsec3ChainBroken,
            Base::Nsec3,
            |t| drop(t, &["IN NSEC3\t", " A TXT RRSIG"]),
            "IN NSEC3\t",
        ),
        row(
            Code::Nsec3Bitmap,
            Base::Nsec3,
            |t| {
                edit(t, &["IN NSEC3\t", " A TXT RRSIG"], |l| {
                    l.replace(" TXT", "")
                })
            },
            "IN NSEC3\t",
        ),
        row(
            Code::Nsec3Unexpected,
            Base::Nsec3,
            |t| {
                let line = t
                    .lines()
                    .find(|l| l.contains("IN NSEC3\t"))
                    .expect("an NSEC3");
                let owner = line.split('.').next().expect("an owner");
                let fake = line.replacen(owner, "00000000000000000000000000000000", 1);
                format!("{t}{fake}\n")
            },
            "00000000000000000000000000000000",
        ),
        Row {
            ds: Ds::Stray,
            ..row(Code::DsNoMatch, Base::Nsec, same, "DS")
        },
        Row {
            ds: Ds::Zsk,
            ..row(Code::DsNotSep, Base::Nsec, same, "DS")
        },
        Row {
            ds: Ds::KskSha1,
            ..row(Code::DsSha1, Base::Nsec, same, "DS")
        },
    ]
}

/// An RRSIG line with its key tag replaced by `tag`.
fn retag(line: &str, tag: &str) -> String {
    let fields: Vec<&str> = line.split_whitespace().collect();
    // owner TTL IN RRSIG type alg labels ttl exp inc TAG signer sig
    let old = fields[10];
    line.replacen(
        &format!(" {old} cli.test. "),
        &format!(" {tag} cli.test. "),
        1,
    )
}

fn signed(base: Base) -> (Option<Signed>, String, i64) {
    match base {
        Base::Nsec | Base::Nsec3 => {
            let nsec3 = matches!(base, Base::Nsec3);
            let s = sign(
                if nsec3 { "codes-nsec3" } else { "codes-nsec" },
                2,
                nsec3,
                true,
            );
            let text = std::fs::read_to_string(&s.zone).expect("read the signed zone");
            (Some(s), text, NOW)
        }
        Base::File(path, at) => {
            let text = std::fs::read_to_string(root().join(path)).expect("read the zone");
            (None, text, at)
        }
    }
}

/// The diagnostics of `row` and the text each one's line is in.
fn judge(
    row: &Row,
    signed: &Option<Signed>,
    text: &str,
    base_now: i64,
) -> Vec<(Diagnostic, String)> {
    let text = (row.edit)(text);
    let z = zone::check(text.as_bytes(), &zone::Options::default());
    let origin = z.origin.clone().expect("the zone has an origin");
    let ds_text = match (row.ds, signed) {
        (Ds::None, _) | (_, None) => None,
        (Ds::KskSha1, Some(s)) => Some(&s.ds_sha1),
        (Ds::Zsk, Some(s)) => Some(&s.zsk_ds),
        (Ds::Stray, Some(s)) => Some(&s.other_ds),
    }
    .map(|p| std::fs::read(p).expect("read the DS"));
    let ds: Vec<ZoneRecord> = ds_text.as_ref().map_or_else(Vec::new, |t| {
        grader_core::grade::read_ds(t, &zone::Options::default())
            .expect("the DS reads")
            .records
    });
    let now = if row.now == NOW { base_now } else { row.now };
    let report = dnssec::validate(
        &origin,
        &z.records,
        &Options {
            ds,
            require_signed: row.require_signed,
            ..Options::at(now)
        },
    );
    let zone_lines: Vec<&str> = text.lines().collect();
    let ds_string = ds_text.map(|t| String::from_utf8_lossy(&t).into_owned());
    let ds_lines: Vec<&str> = ds_string
        .as_deref()
        .map_or_else(Vec::new, |t| t.lines().collect());
    let mut out = Vec::new();
    for d in &report.diagnostics {
        let line = zone_lines
            .get(d.line as usize - 1)
            .unwrap_or(&"")
            .to_string();
        out.push((d.clone(), line));
    }
    for d in &report.ds_diagnostics {
        let line = ds_lines.get(d.line as usize - 1).unwrap_or(&"").to_string();
        out.push((d.clone(), line));
    }
    out
}

#[test]
fn every_row_produces_its_code_on_the_right_line() {
    let bases = [Base::Nsec, Base::Nsec3];
    let made: Vec<(Option<Signed>, String, i64)> = bases.iter().map(|&b| signed(b)).collect();
    let mut problems = Vec::new();
    for r in rows() {
        let (s, text, now) = match r.base {
            Base::Nsec => (&made[0].0, made[0].1.clone(), made[0].2),
            Base::Nsec3 => (&made[1].0, made[1].1.clone(), made[1].2),
            Base::File(..) => {
                let (_, text, now) = signed(r.base);
                (&None, text, now)
            }
        };
        let found = judge(&r, s, &text, now);
        let hits: Vec<&(Diagnostic, String)> =
            found.iter().filter(|(d, _)| d.code == r.code).collect();
        if hits.is_empty() {
            let got: Vec<&str> = found.iter().map(|(d, _)| d.code.as_str()).collect();
            problems.push(format!("{}: not reported (got {got:?})", r.code));
        } else if !hits.iter().any(|(_, line)| line.contains(r.at)) {
            let lines: Vec<String> = hits
                .iter()
                .map(|(d, l)| format!("{}: {l}", d.line))
                .collect();
            problems.push(format!(
                "{}: on no line containing `{}`: {lines:?}",
                r.code, r.at
            ));
        }
        for (d, _) in &hits {
            assert_eq!(d.severity, d.code.severity());
            assert!(!d.message.is_empty());
        }
    }
    assert!(
        problems.is_empty(),
        "{} row(s) failed:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_table_covers_every_dnssec_code() {
    let rows = rows();
    let missing: Vec<&str> = CODES
        .iter()
        .filter(|c| !rows.iter().any(|r| r.code == **c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "DNSSEC codes without a row: {missing:?}"
    );
    // And the validator's codes are exactly the codes after the reader's.
    for c in CODES {
        assert!(Code::ALL.contains(c));
    }
}
