//! `grader zone check --dnssec`: what a user sees on a zone signed live by
//! BIND's tools — exit statuses, the validation time option in both forms,
//! DS matching, the JSON report against its schema, and a result that does
//! not depend on the number of threads.

use std::path::Path;
use std::process::Command;

use grader_tests::signing::{Signed, sign};
use grader_tests::{grader_binary, root, run};
use serde_json::Value;

/// A small zone signed for test `name` (each test signs its own: nextest
/// runs every test in a process of its own, at the same time).
fn small(name: &str) -> Signed {
    sign(name, 3, false, false)
}

fn check(args: &[&str], file: &Path) -> (i32, String, String) {
    let out = run(Command::new(grader_binary())
        .args(["zone", "check"])
        .args(args)
        .arg(file));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

fn codes(report: &Value, list: &str) -> Vec<String> {
    report[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {report}"))
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas/zone-check.schema.json"))
        .expect("read the schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_schema(report: &Value) {
    let v = schema_validator();
    let errors: Vec<String> = v.iter_errors(report).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "the report breaks the schema: {errors:#?}\n{report:#}"
    );
}

#[test]
fn a_validly_signed_zone_exits_0_with_its_keys_and_chain() {
    let s = small("a_validly_signed_zone_exits_0_with_its_keys_and_chain");
    let (code, _, err) = check(&["--dnssec", "--ds", "/nonexistent/ds.txt"], &s.zone);
    assert_eq!(code, 2, "a DS file that cannot be read is a usage error");
    assert!(err.contains("/nonexistent/ds.txt"), "{err}");
    let ds = s.ds.to_str().expect("a UTF-8 path");
    let (code, out, err) = check(
        &[
            "--dnssec",
            "--now",
            "2026-12-01T10:00:00Z",
            "--format",
            "json",
            "--ds",
            ds,
        ],
        &s.zone,
    );
    assert_eq!(code, 0, "{out}{err}");
    let report = json(&out);
    assert_schema(&report);
    let d = &report["dnssec"];
    assert_eq!(d["signed"], true);
    assert_eq!(d["valid"], true);
    assert_eq!(d["now"], "2026-12-01T10:00:00Z");
    assert_eq!(d["denial"]["kind"], "nsec");
    assert_eq!(d["rrsets"]["bogus"], 0);
    // The delegation's NS and its glue are not signed.
    assert_eq!(d["rrsets"]["unsigned"], 2);
    let keys = d["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 2);
    assert!(
        keys.iter()
            .any(|k| k["sep"] == true && k["signs_keys"] == true)
    );
    assert!(
        keys.iter()
            .any(|k| k["sep"] == false && k["signs_data"] == true)
    );
    assert_eq!(d["ds"][0]["matches"], true);
    assert_eq!(d["ds"][0]["matches_sep"], true);
    assert!(codes(&report, "errors").is_empty());
}

#[test]
fn the_time_takes_both_forms_and_decides_expiry() {
    let s = small("the_time_takes_both_forms_and_decides_expiry");
    for now in [
        "20900101000000",
        "2090-01-01T00:00:00Z",
        "2090-01-01T01:00:00+01:00",
    ] {
        let (code, out, _) = check(&["--dnssec", "--now", now, "--format", "json"], &s.zone);
        assert_eq!(code, 1, "at {now}: {out}");
        let report = json(&out);
        assert_schema(&report);
        let errors = codes(&report, "errors");
        assert!(errors.iter().all(|c| c == "rrsig-expired"), "{errors:?}");
        assert!(!errors.is_empty());
        assert_eq!(report["dnssec"]["valid"], false);
    }
    // Before the window: not yet valid.
    let (code, out, _) = check(
        &["--dnssec", "--now", "20240601000000", "--format", "json"],
        &s.zone,
    );
    assert_eq!(code, 1);
    assert!(
        codes(&json(&out), "errors")
            .iter()
            .all(|c| c == "rrsig-not-yet-valid")
    );
    // Three days before the end: valid, with a warning naming the date.
    let (code, out, _) = check(&["--dnssec", "--now", "20801228000000"], &s.zone);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning[rrsig-expires-soon]"), "{out}");
    assert!(out.contains("2080-12-31 00:00:00 UTC"), "{out}");
    // A shorter horizon: no warning.
    let (code, out, _) = check(
        &[
            "--dnssec",
            "--now",
            "20801228000000",
            "--expiry-warning",
            "2days",
        ],
        &s.zone,
    );
    assert_eq!(code, 0);
    assert!(!out.contains("rrsig-expires-soon"), "{out}");
}

#[test]
fn bad_times_and_options_without_dnssec_are_usage_errors() {
    let s = small("bad_times_and_options_without_dnssec_are_usage_errors");
    for now in ["tomorrow", "20261301000000", "2026-12-01"] {
        let (code, _, err) = check(&["--dnssec", "--now", now], &s.zone);
        assert_eq!(code, 2, "--now {now}");
        assert!(err.contains(now), "the error names the value: {err}");
    }
    let (code, _, err) = check(&["--now", "20261201000000"], &s.zone);
    assert_eq!(code, 2);
    assert!(err.contains("--dnssec"), "{err}");
}

#[test]
fn a_ds_of_another_key_is_an_error_in_the_ds_file() {
    let s = small("a_ds_of_another_key_is_an_error_in_the_ds_file");
    let other = s.other_ds.to_str().expect("UTF-8");
    let (code, out, _) = check(
        &[
            "--dnssec",
            "--now",
            "20261201000000",
            "--format",
            "json",
            "--ds",
            other,
        ],
        &s.zone,
    );
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    assert_schema(&report);
    let d = &report["dnssec"];
    assert_eq!(d["valid"], false);
    assert_eq!(d["ds"][0]["matches"], false);
    assert_eq!(codes(d, "ds_errors"), ["ds-no-match"]);
    // The zone itself is fine.
    assert!(codes(&report, "errors").is_empty());
    // Text output points into the DS file, with the key tags it knows.
    let (code, out, _) = check(
        &["--dnssec", "--now", "20261201000000", "--ds", other],
        &s.zone,
    );
    assert_eq!(code, 1);
    assert!(out.contains("error[ds-no-match]"), "{out}");
    assert!(out.contains("other-ds.txt:1:"), "{out}");
    assert!(out.contains("NOT validly signed"), "{out}");
}

#[test]
fn an_unsigned_zone_fails_only_with_dnssec() {
    let s = small("an_unsigned_zone_fails_only_with_dnssec");
    let (code, _, _) = check(&[], &s.unsigned);
    assert_eq!(code, 0);
    let (code, out, _) = check(&["--dnssec", "--format", "json"], &s.unsigned);
    assert_eq!(code, 1);
    let report = json(&out);
    assert_schema(&report);
    assert_eq!(codes(&report, "errors"), ["dnskey-missing"]);
    assert_eq!(report["dnssec"]["signed"], false);
    // A signed zone without --dnssec is read like any other.
    let (code, out, _) = check(&["--format", "json"], &s.zone);
    assert_eq!(code, 0, "{out}");
    assert!(json(&out).get("dnssec").is_none());
}

#[test]
fn a_changed_record_is_pointed_at() {
    let s = small("a_changed_record_is_pointed_at");
    let text = std::fs::read_to_string(&s.zone).expect("read");
    let changed = text.replacen("192.0.2.10", "192.0.2.11", 1);
    assert_ne!(text, changed);
    let path = s.dir.join("changed.zone");
    std::fs::write(&path, changed).expect("write");
    let (code, out, _) = check(
        &["--dnssec", "--now", "20261201000000", "--format", "json"],
        &path,
    );
    assert_eq!(code, 1);
    let report = json(&out);
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["code"], "rrsig-bad-signature");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("www.cli.test.")),
        "{errors:#?}"
    );
}

/// Validation runs on all cores; the report is the same byte for byte with
/// one thread.
#[test]
fn the_result_does_not_depend_on_the_thread_count() {
    let s = sign("threads", 1500, true, false);
    // Break a few records so the report has diagnostics to order.
    let text = std::fs::read_to_string(&s.zone).expect("read");
    let broken = text
        .replacen("198.51.100.7\n", "198.51.100.8\n", 1)
        .replacen("\"host 12\"", "\"host twelve\"", 1);
    let path = s.dir.join("broken.zone");
    std::fs::write(&path, broken).expect("write");
    let outputs: Vec<String> = ["1", "2", "3"]
        .iter()
        .map(|threads| {
            let out = run(Command::new(grader_binary())
                .env("RAYON_NUM_THREADS", threads)
                .args([
                    "zone",
                    "check",
                    "--dnssec",
                    "--now",
                    "20261201000000",
                    "--format",
                    "json",
                ])
                .arg(&path));
            assert_eq!(out.status.code(), Some(1));
            String::from_utf8_lossy(&out.stdout).into_owned()
        })
        .collect();
    let report = json(&outputs[0]);
    assert_eq!(report["dnssec"]["denial"]["kind"], "nsec3");
    assert_eq!(
        codes(&report, "errors"),
        ["rrsig-bad-signature", "rrsig-bad-signature"]
    );
    assert!(
        outputs.iter().all(|o| *o == outputs[0]),
        "outputs differ by thread count"
    );
}

/// Whatever a student does to a signed zone — lines deleted, repeated or
/// changed, any validation time — validation reports, never panics.
#[test]
fn validation_never_panics_on_a_damaged_signed_zone() {
    use grader_core::{dnssec, zone};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let s = sign("damaged", 20, true, false);
    let text = std::fs::read_to_string(&s.zone).expect("read");
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let edit = (0..lines.len(), 0..4u8, any::<u8>(), 0..200usize);
    let mut runner = TestRunner::new(Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(prop::collection::vec(edit, 1..6), any::<u32>()),
            |(edits, now)| {
                let mut lines = lines.clone();
                for (at, kind, byte, offset) in edits {
                    let at = at % lines.len().max(1);
                    match kind {
                        0 => {
                            lines.remove(at);
                        }
                        1 => {
                            let copy = lines[at].clone();
                            lines.insert(at, copy);
                        }
                        2 => {
                            let line = &mut lines[at];
                            let mut bytes = std::mem::take(line).into_bytes();
                            if !bytes.is_empty() {
                                let i = offset % bytes.len();
                                bytes[i] = byte;
                            }
                            *line = String::from_utf8_lossy(&bytes).into_owned();
                        }
                        _ => {
                            let other = (at + offset) % lines.len();
                            lines.swap(at, other);
                        }
                    }
                    if lines.is_empty() {
                        break;
                    }
                }
                let text = lines.join("\n");
                let z = zone::check(text.as_bytes(), &zone::Options::default());
                if let Some(origin) = &z.origin {
                    let report = dnssec::validate(
                        origin,
                        &z.records,
                        &dnssec::Options {
                            require_signed: true,
                            ..dnssec::Options::at(i64::from(now))
                        },
                    );
                    prop_assert!(report.diagnostics.len() <= 1_001);
                }
                Ok(())
            },
        )
        .expect("validation reports on any damage");
}

/// A chain with more NSEC3 iterations than validators accept is an error
/// (and its names are not hashed 65,000 times each).
#[test]
fn too_many_nsec3_iterations_are_refused_quickly() {
    let s = sign("iterations", 200, true, false);
    let text = std::fs::read_to_string(&s.zone).expect("read");
    let param = text
        .lines()
        .find(|l| l.contains("NSEC3PARAM") && !l.contains("RRSIG"))
        .expect("an NSEC3PARAM line");
    let changed = text.replacen(param, &param.replace("1 0 0 -", "1 0 65000 -"), 1);
    assert_ne!(text, changed, "the NSEC3PARAM line is `{param}`");
    let path = s.dir.join("iterations.zone");
    std::fs::write(&path, changed).expect("write");
    let (code, out, _) = check(
        &["--dnssec", "--now", "20261201000000", "--format", "json"],
        &path,
    );
    assert_eq!(code, 1);
    let errors = codes(&json(&out), "errors");
    assert!(
        errors.contains(&"nsec3-iterations-too-many".to_string()),
        "{errors:?}"
    );
}

/// Keys nobody can validate with make every RRset bogus, and a DS must
/// point at a key that signs the DNSKEY set, not merely one published.
#[test]
fn unusable_keys_and_a_ds_of_a_key_that_signs_nothing_fail() {
    let s = sign("unusable", 2, false, true);
    let text = std::fs::read_to_string(&s.zone).expect("read");
    // Both keys revoked (flag 128).
    let revoked = text
        .replace("DNSKEY\t257 3 13", "DNSKEY\t385 3 13")
        .replace("DNSKEY\t256 3 13", "DNSKEY\t384 3 13");
    assert_ne!(revoked, text);
    let path = s.dir.join("revoked.zone");
    std::fs::write(&path, revoked).expect("write");
    let (code, out, _) = check(
        &["--dnssec", "--now", "20261201000000", "--format", "json"],
        &path,
    );
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    assert!(codes(&report, "errors").contains(&"dnskey-missing".to_string()));
    assert_eq!(report["dnssec"]["rrsets"]["secure"], 0, "{report:#}");

    // The stray key published beside the others, and its DS handed in.
    let stray = std::fs::read_to_string(s.dir.join("stray.key")).expect("read the key");
    let line = stray
        .lines()
        .find(|l| l.contains("DNSKEY"))
        .expect("a DNSKEY line");
    let path = s.dir.join("published.zone");
    std::fs::write(&path, format!("{text}{line}\n")).expect("write");
    let other = s.other_ds.to_str().expect("UTF-8");
    let (code, out, _) = check(
        &[
            "--dnssec",
            "--now",
            "20261201000000",
            "--format",
            "json",
            "--ds",
            other,
        ],
        &path,
    );
    assert_eq!(code, 1);
    let report = json(&out);
    let d = &report["dnssec"];
    assert_eq!(d["ds"][0]["matches"], true, "{d:#}");
    assert_eq!(codes(d, "ds_errors"), ["ds-no-match"]);
    assert!(
        d["ds_errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("does not sign the DNSKEY set")),
        "{d:#}"
    );
}
