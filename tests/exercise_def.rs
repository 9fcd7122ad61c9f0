//! Exercise definitions: a broken `exercise.toml` is refused with every
//! problem named by file and key; grading outcomes that are not the
//! checker's doing (invalid submissions) say what to fix.

use std::path::{Path, PathBuf};

use grader_core::exercise::Exercise;
use grader_core::grade::{self, Outcome, Submission};
use grader_core::sandbox::Sandbox;
use grader_tests::root;

const GOOD: &str = r#"id = "probe"
version = "1.2.3"
title = "Probe"
statement = "statement.md"

[inputs.zone]
origin = "{learner}.lab.example."

[checker]
source = "CHECKER"

[[rubric]]
id = "soa"
title = "SOA"
points = 1

[[rubric]]
id = "ns"
title = "NS"
points = 1
"#;

/// Writes an exercise directory with `definition` (CHECKER replaced by the
/// good hostile-test checker's path) and returns it.
fn exercise_dir(name: &str, definition: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grader-exdef-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the exercise directory");
    let checker = root().join("tests/checkers/good");
    std::fs::write(
        dir.join("exercise.toml"),
        definition.replace("CHECKER", &checker.to_string_lossy()),
    )
    .expect("write");
    std::fs::write(dir.join("statement.md"), "Do the lab.").expect("write");
    dir
}

/// The keys of the problems `load_errors` finds.
fn error_keys(name: &str, definition: &str) -> Vec<String> {
    load_errors(name, definition)
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

fn load_errors(name: &str, definition: &str) -> Vec<(String, String)> {
    let dir = exercise_dir(name, definition);
    let result = Exercise::load(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .0
            .into_iter()
            .map(|e| {
                assert!(
                    e.file.ends_with("exercise.toml"),
                    "the error names the file: {}",
                    e.file.display()
                );
                (e.key, e.message)
            })
            .collect(),
    }
}

#[test]
fn a_good_definition_loads() {
    assert_eq!(load_errors("good", GOOD), Vec::<(String, String)>::new());
    let dir = exercise_dir("good2", GOOD);
    let e = Exercise::load(&dir).expect("loads");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(e.origin_for("grp7"), "grp7.lab.example.");
    assert_eq!(e.max_points(), 2);
    assert_eq!(e.statement, "Do the lab.");
}

#[test]
fn every_problem_is_named_by_key() {
    let bad = GOOD
        .replace("id = \"probe\"", "id = \"Probe Lab\"")
        .replace("version = \"1.2.3\"", "version = \"1.2\"")
        .replace("id = \"ns\"", "id = \"soa\"")
        .replace(
            "origin = \"{learner}.lab.example.\"",
            "origin = \"{learner}.lab.example\"",
        );
    let errors = load_errors("bad", &bad);
    let keys: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["id", "version", "inputs.zone.origin", "rubric[1].id"],
        "{errors:#?}"
    );
    assert!(errors[3].1.contains("used twice"));
}

#[test]
fn a_type_error_names_the_key_and_unknown_keys_are_refused() {
    let errors = load_errors(
        "type",
        &GOOD.replace("points = 1\n\n[[rubric]]", "points = \"one\"\n\n[[rubric]]"),
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].0, "rubric[0].points");
    let errors = load_errors(
        "unknown",
        &GOOD.replace("title = \"Probe\"", "title = \"Probe\"\ndifficulty = 3"),
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].1.contains("difficulty"), "{errors:#?}");
}

#[test]
fn limits_and_the_checker_source_are_checked() {
    let bad = GOOD.replace(
        "[[rubric]]\nid = \"soa\"",
        "[limits]\nfuel = 0\nmemory_mib = 4096\n\n[[rubric]]\nid = \"soa\"",
    );
    let keys: Vec<String> = error_keys("limits", &bad);
    assert_eq!(keys, ["limits.fuel", "limits.memory_mib"]);
    let errors = load_errors(
        "nochecker",
        &GOOD.replace("CHECKER", "/nonexistent/checker"),
    );
    assert_eq!(errors[0].0, "checker.source");
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let err = Exercise::load(Path::new("/nonexistent/exercise")).expect_err("no such exercise");
    assert_eq!(err.0[0].key, "-");
    assert!(err.to_string().contains("cannot read"));
}

fn probe() -> Exercise {
    Exercise::load(&root().join("tests/exercises/sandbox-probe")).unwrap_or_else(|e| panic!("{e}"))
}

fn good_checker(sandbox: &Sandbox) -> grader_core::sandbox::LoadedChecker {
    let manifest = root().join("tests/checkers/Cargo.toml");
    let out = grader_tests::run(
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "build",
                "--release",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "hostile-good",
                "--manifest-path",
            ])
            .arg(&manifest),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wasm =
        root().join("tests/checkers/target/wasm32-unknown-unknown/release/hostile_good.wasm");
    sandbox
        .load(&std::fs::read(wasm).expect("the built checker"))
        .expect("loads")
}

#[test]
fn submissions_that_cannot_be_graded_say_what_to_fix() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let checker = good_checker(&sandbox);
    let exercise = probe();
    let grade_zone = |zone: &[u8], learner: &str| {
        grade::grade(
            &sandbox,
            &exercise,
            &checker,
            &Submission {
                extra_zones: &[],
                zone: Some(zone),
                ds: None,
                learner,
                at: 0,
                ..Default::default()
            },
        )
    };
    let r = grade_zone(b"  \n", "grp7");
    assert_eq!(r.outcome, Outcome::InvalidSubmission);
    assert!(r.message.as_deref().unwrap_or("").contains("no zone file"));
    let r = grade_zone(b"$ORIGIN grp8.lab.example.\n$TTL 1h\n@ SOA ns1 h 1 4h 1h 1w 1h\n@ NS ns1\nns1 A 192.0.2.1\n", "grp7");
    assert_eq!(r.outcome, Outcome::InvalidSubmission);
    let message = r.message.unwrap_or_default();
    assert!(
        message.contains("grp8.lab.example.") && message.contains("grp7.lab.example."),
        "{message}"
    );
    assert!(r.score.is_none());
    // An unusable learner id is the platform's problem, not the student's.
    let r = grade_zone(b"$TTL 1h\n@ SOA ns1 h 1 4h 1h 1w 1h\n", "bad learner");
    assert_eq!(r.outcome, Outcome::InternalError, "{r:?}");
    // A zone beyond the exercise's size limit is refused before the checker runs.
    let mut small = probe();
    small.def.limits.max_zone_records = 3;
    let zone = b"$TTL 1h\n@ SOA ns1 h 1 4h 1h 1w 1h\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n";
    let r = grade::grade(
        &sandbox,
        &small,
        &checker,
        &Submission {
            extra_zones: &[],
            zone: Some(zone),
            ds: None,
            learner: "grp7",
            at: 0,
            ..Default::default()
        },
    );
    assert_eq!(r.outcome, Outcome::InvalidSubmission, "{r:?}");
    assert!(
        r.message
            .as_deref()
            .unwrap_or("")
            .contains("more than 3 records")
    );
    // A zone with errors is still graded: the checker judges it.
    let r = grade_zone(
        b"$TTL 1h\n@ SOA ns1 h 1 4h 1h 1w 1h\n@ NS ns1\nns1 A 192.0.2.300\n",
        "grp7",
    );
    assert_eq!(r.outcome, Outcome::Graded, "{r:?}");
    assert_eq!(r.score.map(|s| s.given), Some(1.0));
    assert_eq!(r.graded_at, "1970-01-01T00:00:00Z");
}

#[test]
fn times_round_trip_through_rfc3339() {
    let t = grade::parse_rfc3339("2026-11-29T10:00:00Z").expect("a time");
    assert_eq!(t, 1_795_946_400);
    assert_eq!(grade::rfc3339(t), "2026-11-29T10:00:00Z");
    assert!(grade::parse_rfc3339("yesterday").is_err());
}

#[test]
fn extra_zones_are_required_named_and_checked_for_their_origin() {
    use grader_core::exercise::ExtraZone;
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let checker = good_checker(&sandbox);
    let mut exercise = probe();
    exercise.def.inputs.extra_zones.push(ExtraZone {
        name: "ipv6-reverse".into(),
        origin: "8.b.d.0.1.0.0.2.ip6.arpa.".into(),
        required: true,
    });
    let zone: &[u8] = b"$TTL 1h\n@ SOA ns1 h 1 4h 1h 1w 1h\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n";
    let reverse = b"$TTL 1h\n@ SOA ns1.grp7.lab.example. h.grp7.lab.example. 1 4h 1h 1w 1h\n@ NS ns1.grp7.lab.example.\n".to_vec();
    let grade_with = |extra: &[(String, Vec<u8>)]| {
        grade::grade(
            &sandbox,
            &exercise,
            &checker,
            &Submission {
                zone: Some(zone),
                ds: None,
                learner: "grp7",
                at: 0,
                extra_zones: extra,
                ..Default::default()
            },
        )
    };
    let r = grade_with(&[]);
    assert_eq!(r.outcome, Outcome::InvalidSubmission);
    assert!(
        r.message
            .as_deref()
            .unwrap_or("")
            .contains("8.b.d.0.1.0.0.2.ip6.arpa."),
        "{r:?}"
    );
    let r = grade_with(&[("ipv6-reverse".into(), reverse.clone())]);
    assert_eq!(r.outcome, Outcome::Graded, "{r:?}");
    let r = grade_with(&[
        ("ipv6-reverse".into(), reverse.clone()),
        ("other".into(), reverse.clone()),
    ]);
    assert_eq!(r.outcome, Outcome::InvalidSubmission);
    assert!(
        r.message
            .as_deref()
            .unwrap_or("")
            .contains("no zone named `other`")
    );
    let elsewhere = b"$ORIGIN 9.b.d.0.1.0.0.2.ip6.arpa.\n$TTL 1h\n@ SOA ns1.grp7.lab.example. h.grp7.lab.example. 1 4h 1h 1w 1h\n".to_vec();
    let r = grade_with(&[("ipv6-reverse".into(), elsewhere)]);
    assert_eq!(r.outcome, Outcome::InvalidSubmission);
    assert!(
        r.message
            .as_deref()
            .unwrap_or("")
            .starts_with("zone `ipv6-reverse`: this zone is for"),
        "{r:?}"
    );
}

#[test]
fn extra_zone_names_are_ids_and_unique() {
    let with_extras = GOOD.replace(
        "[checker]",
        "[[inputs.extra_zones]]\nname = \"v6\"\norigin = \"x.\"\n\n[[inputs.extra_zones]]\nname = \"v6\"\norigin = \"y\"\n\n[checker]",
    );
    let keys: Vec<String> = error_keys("extras", &with_extras);
    assert_eq!(
        keys,
        ["inputs.extra_zones[1].name", "inputs.extra_zones[1].origin"]
    );
}

#[test]
fn the_wall_clock_must_leave_fuel_time_to_run_out_and_params_must_be_json() {
    let bad = GOOD.replace(
        "[[rubric]]\nid = \"soa\"",
        "[limits]\nfuel = 1_000_000_000\nwall_clock_ms = 100\n\n[params]\ndue = 2026-12-01T00:00:00Z\nratio = nan\n\n[[rubric]]\nid = \"soa\"",
    );
    let errors = load_errors("budget", &bad);
    let keys: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["params.due", "limits.wall_clock_ms"], "{errors:#?}");
    assert!(errors[1].1.contains("at least 10000 ms"), "{errors:#?}");
}

#[test]
fn platform_input_problems_are_internal_errors_not_the_students() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let checker = good_checker(&sandbox);
    let exercise = probe();
    let zone: &[u8] = b"$TTL 1h\n@ SOA ns1 h 1 4h 1h 1w 1h\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n";
    for learner in ["", "a.b", "*", "a b", "\u{e9}", "-x", &"x".repeat(64)] {
        let r = grade::grade(
            &sandbox,
            &exercise,
            &checker,
            &Submission {
                zone: Some(zone),
                ds: None,
                learner,
                at: 0,
                extra_zones: &[],
                ..Default::default()
            },
        );
        assert_eq!(
            r.outcome,
            Outcome::InternalError,
            "learner {learner:?}: {r:?}"
        );
    }
    for at in [-1, 253_402_300_800, i64::MAX] {
        let r = grade::grade(
            &sandbox,
            &exercise,
            &checker,
            &Submission {
                zone: Some(zone),
                ds: None,
                learner: "grp7",
                at,
                extra_zones: &[],
                ..Default::default()
            },
        );
        assert_eq!(r.outcome, Outcome::InternalError, "at {at}");
    }
    let ds: &[u8] =
        b"@ 3600 IN DS 1 13 2 0000000000000000000000000000000000000000000000000000000000000000\n";
    let r = grade::grade(
        &sandbox,
        &exercise,
        &checker,
        &Submission {
            zone: Some(zone),
            ds: Some(ds),
            learner: "grp7",
            at: 0,
            extra_zones: &[],
            ..Default::default()
        },
    );
    assert_eq!(
        r.outcome,
        Outcome::InvalidSubmission,
        "DS handed to an exercise that takes none"
    );
}
