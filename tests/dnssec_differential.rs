//! Differential test of DNSSEC validation: for every zone of
//! `tests/zones/dnssec/` (listed in its `corpus.toml`, written by
//! `scripts/gen-dnssec-corpus.sh`), `grader zone check --dnssec` must give
//! the verdict of `dnssec-verify` and of `ldns-verify-zone`, both run live
//! on the same file at the current time, and report at least the codes the
//! manifest names.
//!
//! A tool may disagree only where the manifest records it as a known miss
//! (`known = [{ tool, verdict, why }]`: ldns-verify-zone does not check NSEC
//! bitmaps, original TTLs or the SEP flag; dnssec-verify takes no DS). Such a
//! record must stay true: the tool must still give the recorded verdict.
//!
//! `dnssec-verify` cannot be told the time, so the corpus is signed with
//! fixed long windows and every run uses the real current time.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use grader_core::zone::Code;
use grader_tests::{grader_binary, root, run, tool};
use serde_json::Value;

const CORPUS: &str = "tests/zones/dnssec";
const TOOLS: [&str; 2] = ["dnssec-verify", "ldns-verify-zone"];
/// The corpus keeps its verdicts until the not-yet-valid variants become
/// valid (`FUTURE_INCEPTION` in the script).
const CORPUS_GOOD_UNTIL: &str = "20370601000000";

/// The faults the issue asks the corpus to cover (manifest `kind`s).
const BROKEN_KINDS: [&str; 13] = [
    "tampered-data",
    "missing-rrsig",
    "expired",
    "not-yet-valid",
    "nsec-gap",
    "nsec3-gap",
    "nsec-bitmap",
    "nsec3-bitmap",
    "missing-dnskey",
    "missing-ksk",
    "original-ttl",
    "unsigned-addition",
    "ds-mismatch",
];

struct Known {
    tool: String,
    valid: bool,
    why: String,
}

struct Entry {
    name: String,
    about: String,
    file: PathBuf,
    origin: String,
    ds: Option<PathBuf>,
    kind: String,
    signer: String,
    valid: bool,
    codes: Vec<String>,
    known: Vec<Known>,
}

impl Entry {
    /// The verdict `tool` must give: the zone's, unless a known miss says otherwise.
    fn expected_of(&self, tool: &str) -> bool {
        self.known
            .iter()
            .find(|k| k.tool == tool)
            .map_or(self.valid, |k| k.valid)
    }
}

fn verdict(text: &str, what: &str) -> bool {
    match text {
        "valid" => true,
        "invalid" => false,
        other => panic!("corpus.toml: {what}: verdict `{other}` is neither valid nor invalid"),
    }
}

fn shown(valid: bool) -> &'static str {
    if valid { "valid" } else { "invalid" }
}

fn string(table: &toml::Table, key: &str, what: &str) -> String {
    table
        .get(key)
        .and_then(toml::Value::as_str)
        .unwrap_or_else(|| panic!("corpus.toml: {what} has no string `{key}`"))
        .to_string()
}

fn manifest() -> Vec<Entry> {
    let dir = root().join(CORPUS);
    let path = dir.join("corpus.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run `bash scripts/gen-dnssec-corpus.sh`",
            path.display()
        )
    });
    let table: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()));
    let zones = table
        .get("zone")
        .and_then(toml::Value::as_array)
        .expect("corpus.toml has [[zone]] entries");
    zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let z = z.as_table().expect("a [[zone]] is a table");
            let name = string(z, "name", &format!("zone #{}", i + 1));
            let what = format!("zone `{name}`");
            let codes = z
                .get("codes")
                .and_then(toml::Value::as_array)
                .unwrap_or_else(|| panic!("corpus.toml: {what} has no `codes` list"))
                .iter()
                .map(|c| {
                    c.as_str()
                        .unwrap_or_else(|| panic!("corpus.toml: {what}: a code is not a string"))
                        .to_string()
                })
                .collect();
            let known = z
                .get("known")
                .and_then(toml::Value::as_array)
                .map(|list| {
                    list.iter()
                        .map(|k| {
                            let k = k.as_table().expect("a known miss is a table");
                            Known {
                                tool: string(k, "tool", &what),
                                valid: verdict(&string(k, "verdict", &what), &what),
                                why: string(k, "why", &what),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Entry {
                about: z
                    .get("about")
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                file: dir.join(string(z, "file", &what)),
                origin: string(z, "origin", &what),
                ds: z
                    .get("ds")
                    .and_then(toml::Value::as_str)
                    .map(|d| dir.join(d)),
                kind: string(z, "kind", &what),
                signer: string(z, "signer", &what),
                valid: verdict(&string(z, "verdict", &what), &what),
                codes,
                known,
                name,
            }
        })
        .collect()
}

/// The current time as `YYYYMMDDHHMMSS` (UTC), the form both
/// `ldns-verify-zone -t` and `grader zone check --now` take.
fn now_stamp() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// What one program said about one zone.
struct Judgement {
    valid: bool,
    /// Its exit status.
    code: i32,
    /// Its output, for the report.
    said: String,
}

fn output_text(out: &Output) -> String {
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    text
}

fn judge_with_tool(name: &str, entry: &Entry, now: &str) -> Judgement {
    let mut cmd = Command::new(tool(name));
    match name {
        "dnssec-verify" => {
            cmd.arg("-o").arg(&entry.origin);
        }
        "ldns-verify-zone" => {
            cmd.args(["-V", "2", "-t", now]);
            if let Some(ds) = &entry.ds {
                cmd.arg("-k").arg(ds);
            }
        }
        other => panic!("unknown tool `{other}`"),
    }
    let out = run(cmd.arg(&entry.file));
    let Some(code) = out.status.code() else {
        panic!(
            "{name} was killed ({}) on {}:\n{}",
            out.status,
            entry.file.display(),
            output_text(&out)
        );
    };
    Judgement {
        valid: code == 0,
        code,
        said: output_text(&out),
    }
}

/// Our verdict and the codes of every error and warning.
struct Ours {
    judgement: Judgement,
    codes: BTreeSet<String>,
}

fn judge_with_grader(entry: &Entry, now: &str) -> Result<Ours, String> {
    let mut cmd = Command::new(grader_binary());
    cmd.args([
        "zone", "check", "--dnssec", "--now", now, "--format", "json",
    ]);
    if let Some(ds) = &entry.ds {
        cmd.arg("--ds").arg(ds);
    }
    let out = run(cmd.arg(&entry.file));
    let (valid, code) = match out.status.code() {
        Some(0) => (true, 0),
        Some(1) => (false, 1),
        _ => {
            return Err(format!(
                "grader ended with {}: {}",
                out.status,
                output_text(&out).trim()
            ));
        }
    };
    let report: Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "grader printed no JSON report ({e}): {}",
            output_text(&out).trim()
        )
    })?;
    let mut codes = BTreeSet::new();
    let mut said = String::new();
    // Diagnostics of the DS file are apart from the zone's (their lines are
    // lines of the DS file).
    let lists = [
        ("errors", report.get("errors")),
        ("warnings", report.get("warnings")),
        ("DS errors", report.pointer("/dnssec/ds_errors")),
        ("DS warnings", report.pointer("/dnssec/ds_warnings")),
    ];
    for (key, list) in lists {
        let list = match list {
            Some(Value::Array(list)) => list,
            None if key.starts_with("DS") && entry.ds.is_none() => continue,
            _ => return Err(format!("the JSON report has no `{key}` list")),
        };
        for d in list {
            let code = d.get("code").and_then(Value::as_str).unwrap_or("?");
            codes.insert(code.to_string());
            let _ = writeln!(
                said,
                "{key} line {}: [{code}] {}",
                d.get("line").unwrap_or(&Value::Null),
                d.get("message").and_then(Value::as_str).unwrap_or("")
            );
        }
    }
    Ok(Ours {
        judgement: Judgement { valid, code, said },
        codes,
    })
}

/// The first `n` lines of a tool's output that say something, indented.
fn excerpt(text: &str, n: usize) -> String {
    let boilerplate = |l: &str| {
        let l = l.trim();
        l.is_empty()
            || l == "."
            || l.starts_with("Loading zone ")
            || l.starts_with("Verifying the zone using")
            || l.starts_with("- ")
    };
    let lines: Vec<&str> = text.lines().filter(|l| !boilerplate(l)).collect();
    let mut out: String = lines
        .iter()
        .take(n)
        .map(|l| format!("      {l}\n"))
        .collect();
    if lines.len() > n {
        let _ = writeln!(out, "      … {} more lines", lines.len() - n);
    }
    out
}

#[test]
fn verdicts_match_dnssec_verify_and_ldns_verify_zone() {
    let entries = manifest();
    let now = now_stamp();
    assert!(
        now.as_str() < CORPUS_GOOD_UNTIL,
        "the corpus's signature windows end in 2037 (ldns-verify-zone cannot read later ones): \
         its verdicts no longer hold at {now}; see scripts/gen-dnssec-corpus.sh"
    );
    let mut table = format!(
        "{:<26} {:<8} {:<14} {:<17} {:<8} missing codes\n",
        "zone", "expected", "dnssec-verify", "ldns-verify-zone", "grader"
    );
    let mut details = String::new();
    let mut bad = 0;
    for entry in &entries {
        let mut problems = Vec::new();
        let mut tool_cells = Vec::new();
        let mut tool_said = Vec::new();
        for name in TOOLS {
            let j = judge_with_tool(name, entry, &now);
            let expected = entry.expected_of(name);
            let mark = if j.valid == expected { "" } else { " ✗" };
            if j.valid != expected {
                let known = entry.known.iter().any(|k| k.tool == name);
                problems.push(format!(
                    "{name} says {}, the manifest expects {}{}",
                    shown(j.valid),
                    shown(expected),
                    if known {
                        " (a recorded known miss that is no longer true)"
                    } else {
                        ""
                    }
                ));
            }
            tool_cells.push(format!("{}{mark}", shown(j.valid)));
            tool_said.push((name, j.code, j.said));
        }
        let (ours_cell, missing) = match judge_with_grader(entry, &now) {
            Ok(ours) => {
                let missing: Vec<&str> = entry
                    .codes
                    .iter()
                    .filter(|c| !ours.codes.contains(*c))
                    .map(String::as_str)
                    .collect();
                if ours.judgement.valid != entry.valid {
                    problems.push(format!(
                        "the grader says {}, expected {} (the verdict of every tool not known to miss this)",
                        shown(ours.judgement.valid),
                        shown(entry.valid)
                    ));
                }
                if !missing.is_empty() {
                    problems.push(format!("the grader does not report {}", missing.join(", ")));
                }
                let mark = if ours.judgement.valid == entry.valid {
                    ""
                } else {
                    " ✗"
                };
                tool_said.push(("grader", ours.judgement.code, ours.judgement.said));
                (
                    format!("{}{mark}", shown(ours.judgement.valid)),
                    missing.join(" "),
                )
            }
            Err(e) => {
                problems.push(e);
                ("error ✗".to_string(), String::new())
            }
        };
        let _ = writeln!(
            table,
            "{:<26} {:<8} {:<14} {:<17} {:<8} {missing}",
            entry.name,
            shown(entry.valid),
            tool_cells[0],
            tool_cells[1],
            ours_cell
        );
        if !problems.is_empty() {
            bad += 1;
            let _ = writeln!(
                details,
                "\n{} ({}, {}{}): {}",
                entry.name,
                entry.file.file_name().unwrap_or_default().to_string_lossy(),
                entry.kind,
                entry
                    .ds
                    .as_deref()
                    .and_then(Path::file_name)
                    .map(|d| format!(", DS {}", d.to_string_lossy()))
                    .unwrap_or_default(),
                entry.about
            );
            for p in &problems {
                let _ = writeln!(details, "  - {p}");
            }
            for (name, code, said) in &tool_said {
                let _ = write!(details, "    {name} (exit {code}):\n{}", excerpt(said, 8));
            }
        }
    }
    assert!(
        bad == 0,
        "{bad} of {} DNSSEC corpus zones disagree (validation time {now} UTC):\n\n{table}{details}",
        entries.len()
    );
}

#[test]
fn the_corpus_covers_every_signer_algorithm_denial_and_fault() {
    let entries = manifest();
    let mut problems = Vec::new();
    for (short, signer) in [("bind", "dnssec-signzone"), ("ldns", "ldns-signzone")] {
        for alg in [8, 13, 15] {
            for denial in ["nsec", "nsec3", "optout"] {
                let name = format!("{short}-{alg}-{denial}");
                match entries.iter().find(|e| e.name == name) {
                    Some(e) if e.valid && e.signer == signer && e.ds.is_some() => {}
                    Some(_) => problems.push(format!(
                        "`{name}` must be a valid zone signed by {signer}, with a DS file"
                    )),
                    None => problems.push(format!("no good zone `{name}`")),
                }
            }
        }
    }
    for kind in BROKEN_KINDS {
        if !entries.iter().any(|e| e.kind == kind && !e.valid) {
            problems.push(format!("no broken zone of kind `{kind}`"));
        }
    }
    let mut names = BTreeSet::new();
    for e in &entries {
        if !names.insert(&e.name) {
            problems.push(format!("`{}` appears twice", e.name));
        }
        if !e.file.is_file() {
            problems.push(format!("`{}`: {} is missing", e.name, e.file.display()));
        }
        if let Some(ds) = &e.ds
            && !ds.is_file()
        {
            problems.push(format!("`{}`: {} is missing", e.name, ds.display()));
        }
        if !e.valid && e.codes.is_empty() {
            problems.push(format!("`{}` is invalid but names no code", e.name));
        }
        for c in &e.codes {
            if Code::from_text(c).is_none() {
                problems.push(format!("`{}`: `{c}` is not a grader code", e.name));
            }
        }
        for k in &e.known {
            if !TOOLS.contains(&k.tool.as_str()) {
                problems.push(format!("`{}`: unknown tool `{}`", e.name, k.tool));
            }
            if k.valid == e.valid || k.why.trim().is_empty() {
                problems.push(format!(
                    "`{}`: a known miss of {} must give the other verdict and say why",
                    e.name, k.tool
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "corpus.toml (rerun `bash scripts/gen-dnssec-corpus.sh` after changing the script):\n{}",
        problems.join("\n")
    );
}
