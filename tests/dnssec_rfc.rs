//! The signed example zones of RFC 4035 Appendix A (NSEC, RSASHA1) and
//! RFC 5155 Appendix A (NSEC3 with Opt-Out, RSASHA1-NSEC3-SHA1), as
//! published, through `grader zone check --dnssec`:
//!
//! - at a time inside their signatures' validity window each is validly
//!   signed (exit 0, no error) with exactly the expected warnings (the
//!   deprecated algorithms of RFC 8624, the short SOA refresh and retry, and
//!   for RFC 5155 the NSEC3 salt and iterations that RFC 9276 advises
//!   against). RFC 5155's two keys are 512-bit RSA, shorter than ring and
//!   aws-lc-rs verify (1024 bits at least);
//! - after the window every error is `rrsig-expired`, before it every error
//!   is `rrsig-not-yet-valid`, and both ends of the window belong to it
//!   (RFC 4035 §5.3.1);
//! - `ldns-verify-zone -t`, run live on the same files, gives the same
//!   verdicts, which keeps the zone files honest.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use grader_tests::{grader_binary, root, run, tool};
use serde_json::Value;

/// One RFC example zone and the times that matter for it (UTC,
/// `YYYYMMDDHHMMSS`, the form of RRSIG times).
struct RfcZone {
    file: &'static str,
    /// Every signature's inception.
    inception: &'static str,
    /// Every signature's expiration.
    expiration: &'static str,
    /// Well inside the window (no `rrsig-expires-soon` either).
    inside: &'static str,
    /// The same instant as `inside`, in RFC 3339.
    inside_rfc3339: &'static str,
    /// The distinct warning codes expected at `inside`.
    warnings: &'static [&'static str],
}

const RFC4035: RfcZone = RfcZone {
    file: "tests/zones/rfc/rfc4035-appendix-a.zone",
    inception: "20040409183619",
    expiration: "20040509183619",
    inside: "20040420000000",
    inside_rfc3339: "2004-04-20T00:00:00Z",
    // Algorithm 5, RSASHA1 (RFC 8624: MUST NOT sign with it); SOA refresh
    // 3600 and retry 300, below the lint's minimums.
    warnings: &["algorithm-deprecated", "soa-refresh-low", "soa-retry-low"],
};

const RFC5155: RfcZone = RfcZone {
    file: "tests/zones/rfc/rfc5155-appendix-a.zone",
    inception: "20051021000000",
    expiration: "20150420235959",
    inside: "20100101000000",
    inside_rfc3339: "2010-01-01T00:00:00Z",
    // Algorithm 7, RSASHA1-NSEC3-SHA1, with 512-bit keys (checked, but far
    // below RFC 8624's minimum); salt aabbccdd and 12 iterations (RFC 9276
    // asks for no salt and 0 iterations); the same SOA timers.
    warnings: &[
        "algorithm-deprecated",
        "nsec3-iterations",
        "nsec3-salt",
        "rsa-key-short",
        "soa-refresh-low",
        "soa-retry-low",
    ],
};

const ZONES: [RfcZone; 2] = [RFC4035, RFC5155];

impl RfcZone {
    fn path(&self) -> PathBuf {
        root().join(self.file)
    }
}

/// `time` (`YYYYMMDDHHMMSS`) moved by a few `seconds`: just outside a
/// window's end.
fn shifted(time: &str, seconds: i32) -> String {
    let (head, ss) = time.split_at(12);
    let ss: i32 = ss.parse().expect("seconds are digits");
    let moved = ss + seconds;
    if (0..60).contains(&moved) {
        return format!("{head}{moved:02}");
    }
    // 23:59:59 + 1 s and 00:00:00 - 1 s cross a day: spelled out for the two
    // windows here rather than implementing a calendar.
    match (time, seconds) {
        ("20150420235959", 1) => "20150421000000".to_string(),
        ("20051021000000", -1) => "20051020235959".to_string(),
        _ => panic!("shifted({time}, {seconds}) is not needed by these tests"),
    }
}

/// `grader zone check --dnssec --now NOW --format json` on the zone.
fn check(zone: &RfcZone, now: &str) -> (i32, Value) {
    let output = run(Command::new(grader_binary())
        .args([
            "zone", "check", "--dnssec", "--now", now, "--format", "json",
        ])
        .args(["--origin", "example."])
        .arg(zone.path()));
    let code = output.status.code().expect("grader was killed by a signal");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{} at {now}: the output is not JSON ({e}); exit {code}, stderr:\n{}",
            zone.file,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, report)
}

/// The distinct codes of `report[key]` ("errors" or "warnings").
fn codes(report: &Value, key: &str) -> BTreeSet<String> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not an array in {report}"))
        .iter()
        .map(|d| {
            d["code"]
                .as_str()
                .unwrap_or_else(|| panic!("a diagnostic without a code: {d}"))
                .to_string()
        })
        .collect()
}

fn describe(report: &Value) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "errors": report["errors"],
        "warnings": report["warnings"],
    }))
    .unwrap_or_default()
}

#[test]
fn rfc_zones_are_validly_signed_inside_their_windows() {
    for zone in &ZONES {
        for now in [zone.inside, zone.inside_rfc3339] {
            let (code, report) = check(zone, now);
            assert!(
                codes(&report, "errors").is_empty() && code == 0,
                "{} at {now}: expected a validly signed zone (exit 0, no error), got exit {code}:\n{}",
                zone.file,
                describe(&report)
            );
            let expected: BTreeSet<String> =
                zone.warnings.iter().map(ToString::to_string).collect();
            assert_eq!(
                codes(&report, "warnings"),
                expected,
                "{} at {now}: warnings differ:\n{}",
                zone.file,
                describe(&report)
            );
            assert_eq!(report["origin"], "example.", "{}", zone.file);
            assert!(
                report["dnssec"].is_object(),
                "{} at {now}: no `dnssec` object in the report",
                zone.file
            );
        }
    }
}

/// `zone` at `now` fails (exit 1) with `code` as its only error: the time
/// alone changed.
fn assert_only_error(zone: &RfcZone, now: &str, code: &str) {
    let (exit, report) = check(zone, now);
    assert_eq!(
        exit,
        1,
        "{} at {now}: expected exit 1:\n{}",
        zone.file,
        describe(&report)
    );
    assert_eq!(
        codes(&report, "errors"),
        BTreeSet::from([code.to_string()]),
        "{} at {now}: the time alone changed, so every error must be {code}:\n{}",
        zone.file,
        describe(&report)
    );
}

#[test]
fn rfc_zones_are_expired_after_their_windows() {
    for zone in &ZONES {
        assert_only_error(zone, &shifted(zone.expiration, 1), "rrsig-expired");
    }
    // Years later too (the zones' real age).
    assert_only_error(&RFC4035, "2026-01-01T00:00:00Z", "rrsig-expired");
}

#[test]
fn rfc_zones_are_not_yet_valid_before_their_windows() {
    for zone in &ZONES {
        assert_only_error(zone, &shifted(zone.inception, -1), "rrsig-not-yet-valid");
    }
}

/// RFC 4035 §5.3.1: valid when inception <= now <= expiration; both ends
/// are inside (`rrsig-expires-soon` may warn at the expiration).
#[test]
fn window_ends_are_inside_the_window() {
    for zone in &ZONES {
        for now in [zone.inception, zone.expiration] {
            let (code, report) = check(zone, now);
            assert!(
                code == 0 && codes(&report, "errors").is_empty(),
                "{} at {now} (an end of the window): expected exit 0 and no error, got exit {code}:\n{}",
                zone.file,
                describe(&report)
            );
        }
    }
}

/// `ldns-verify-zone -t` on the same files: verified and complete inside
/// the window, expired (36) after it, not yet incepted (37) before it.
#[test]
fn ldns_verify_zone_agrees() {
    let ldns = tool("ldns-verify-zone");
    for zone in &ZONES {
        let cases = [
            (zone.inside.to_string(), 0),
            (zone.inception.to_string(), 0),
            (zone.expiration.to_string(), 0),
            (shifted(zone.expiration, 1), 36),
            (shifted(zone.inception, -1), 37),
        ];
        for (now, want) in cases {
            let out = run(Command::new(&ldns)
                .args(["-V", "1", "-t", &now])
                .arg(zone.path()));
            assert_eq!(
                out.status.code(),
                Some(want),
                "ldns-verify-zone -t {now} {}: expected exit {want} (0 verified, 36 expired, 37 not incepted)\nstdout: {}\nstderr: {}",
                zone.file,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
