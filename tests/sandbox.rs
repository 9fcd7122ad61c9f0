//! The checker sandbox against hostile checkers (tests/checkers/): each
//! misbehaving checker ends as `checker_error` (or is refused when loaded)
//! within its limits, and the same sandbox then grades the next submission
//! correctly. Also: grading is deterministic across processes.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use grader_core::exercise::Exercise;
use grader_core::grade::{self, GradeResult, Outcome, Submission};
use grader_core::sandbox::{LoadError, Sandbox};
use grader_tests::{root, run};

const ZONE: &[u8] = b"$ORIGIN grp7.lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 2026112901 14400 3600 604800 3600\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n";
const AT: i64 = 1_795_000_000;

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    grader_tests::shell_env(&mut cmd);
    cmd
}

/// Builds the hostile checkers once per test process.
fn built() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let manifest = root().join("tests/checkers/Cargo.toml");
        let hint =
            "(scripts/test.sh installs the wasm32-unknown-unknown and wasm32-wasip2 targets)";
        let out = run(cargo()
            .args([
                "build",
                "--release",
                "--target",
                "wasm32-unknown-unknown",
                "--workspace",
                "--exclude",
                "hostile-wasi-fs",
                "--manifest-path",
            ])
            .arg(&manifest));
        assert!(
            out.status.success(),
            "building the hostile checkers failed {hint}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = run(cargo()
            .args([
                "build",
                "--release",
                "--target",
                "wasm32-wasip2",
                "-p",
                "hostile-wasi-fs",
                "--manifest-path",
            ])
            .arg(&manifest));
        assert!(
            out.status.success(),
            "building the WASI checker failed {hint}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        root().join("tests/checkers/target")
    })
}

fn module(name: &str) -> Vec<u8> {
    let target = if name == "wasi-fs" {
        "wasm32-wasip2"
    } else {
        "wasm32-unknown-unknown"
    };
    let path = built()
        .join(target)
        .join("release")
        .join(format!("hostile_{}.wasm", name.replace('-', "_")));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn exercise() -> Exercise {
    Exercise::load(&root().join("tests/exercises/sandbox-probe")).unwrap_or_else(|e| panic!("{e}"))
}

fn grade_with(sandbox: &Sandbox, exercise: &Exercise, name: &str) -> GradeResult {
    let checker = sandbox
        .load(&module(name))
        .unwrap_or_else(|e| panic!("loading {name}: {e}"));
    let sub = Submission {
        extra_zones: &[],
        zone: Some(ZONE),
        ds: None,
        learner: "grp7",
        at: AT,
        ..Default::default()
    };
    grade::grade(sandbox, exercise, &checker, &sub)
}

/// After a hostile run, the same sandbox grades a good submission right.
fn still_grades(sandbox: &Sandbox, exercise: &Exercise) {
    let r = grade_with(sandbox, exercise, "good");
    assert_eq!(r.outcome, Outcome::Graded, "{:?}", r.message);
    assert_eq!(r.score.map(|s| s.given), Some(2.0));
}

fn assert_checker_error(r: &GradeResult, needle: &str) {
    assert_eq!(r.outcome, Outcome::CheckerError, "{r:?}");
    assert!(
        r.score.is_none() && r.checks.is_empty(),
        "a checker error has no score: {r:?}"
    );
    let message = r.message.as_deref().unwrap_or("");
    assert!(
        message.contains(needle),
        "message `{message}` should mention `{needle}`"
    );
}

#[test]
fn hostile_checkers_end_as_checker_errors_and_grading_goes_on() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let exercise = exercise();
    still_grades(&sandbox, &exercise);
    for (name, needle) in [
        ("infinite-loop", "fuel"),
        ("memory-bomb", "memory"),
        ("deep-recursion", "stack"),
        ("trap", "trapped"),
        ("huge-output", "more than the limit"),
        ("wrong-ids", "not a check of the rubric"),
    ] {
        let r = grade_with(&sandbox, &exercise, name);
        assert_checker_error(&r, needle);
        still_grades(&sandbox, &exercise);
    }
}

#[test]
fn the_wall_clock_backstop_stops_a_checker_with_fuel_to_spare() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let mut exercise = exercise();
    exercise.def.limits.fuel = 1_000_000_000_000;
    exercise.def.limits.wall_clock_ms = 200;
    let r = grade_with(&sandbox, &exercise, "infinite-loop");
    assert_checker_error(&r, "longer than 200 ms");
    still_grades(&sandbox, &exercise);
}

#[test]
fn a_checker_importing_wasi_is_refused_when_loaded() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    match sandbox.load(&module("wasi-fs")) {
        Err(LoadError::Imports(imports)) => {
            assert!(
                imports.contains("wasi:filesystem"),
                "the refusal names the WASI imports: {imports}"
            );
        }
        Err(other) => panic!("expected a refusal for imports, got {other}"),
        Ok(_) => panic!("a checker importing WASI was loaded"),
    }
    still_grades(&sandbox, &exercise());
}

#[test]
fn garbage_is_not_a_checker() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    assert!(matches!(
        sandbox.load(b"\0asm\x01\0\0\0garbage"),
        Err(LoadError::Invalid(_))
    ));
    assert!(matches!(
        sandbox.load(b"not wasm at all"),
        Err(LoadError::Invalid(_))
    ));
}

#[test]
fn fuel_used_is_the_same_on_every_run() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let exercise = exercise();
    let a = grade_with(&sandbox, &exercise, "good");
    let b = grade_with(&sandbox, &exercise, "good");
    assert!(a.fuel_used > 0);
    assert_eq!(a.fuel_used, b.fuel_used);
}

/// `grader grade --format json` in two processes gives the same bytes,
/// apart from `timing` (wall-clock measurements).
#[test]
fn grading_is_deterministic_across_processes() {
    let zone = std::env::temp_dir().join(format!("grader-determinism-{}.zone", std::process::id()));
    std::fs::write(&zone, ZONE).expect("write the zone");
    let cache =
        std::env::temp_dir().join(format!("grader-determinism-cache-{}", std::process::id()));
    let grade_once = || {
        let out = run(Command::new(grader_tests::grader_binary())
            .args([
                "grade",
                "--format",
                "json",
                "--learner",
                "grp7",
                "--at",
                "2026-11-29T10:00:00Z",
                "--zone",
            ])
            .arg(&zone)
            .arg(root().join("tests/exercises/sandbox-probe"))
            .env("GRADER_CACHE_DIR", &cache));
        assert!(
            out.status.success(),
            "grader grade failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        v.as_object_mut().expect("an object").remove("timing");
        serde_json::to_vec(&v).expect("serialise")
    };
    let (first, second) = (grade_once(), grade_once());
    let _ = std::fs::remove_file(&zone);
    let _ = std::fs::remove_dir_all(&cache);
    assert_eq!(
        String::from_utf8_lossy(&first),
        String::from_utf8_lossy(&second)
    );
    assert!(String::from_utf8_lossy(&first).contains("\"outcome\":\"graded\""));
}

/// The compiled-code cache holds native code: it must stay private to the
/// user, and nothing but a private regular file in it is ever loaded.
#[cfg(unix)]
#[test]
fn the_compiled_code_cache_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("grader-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the cache");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let exercise = exercise();
    let good = module("good");
    let sandbox = Sandbox::new(1, Some(dir.clone())).expect("a sandbox");
    sandbox.load(&good).expect("loads and fills the cache");
    let mode = |p: &std::path::Path| {
        std::fs::symlink_metadata(p)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&dir), 0o700, "the cache directory is made private");
    let entry = std::fs::read_dir(&dir)
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .expect("a compiled checker in the cache");
    assert_eq!(mode(&entry), 0o600);
    // An entry others could have written is not trusted: it is compiled
    // again and replaced.
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    let checker = sandbox.load(&good).expect("loads");
    assert_eq!(mode(&entry), 0o600);
    // A link in place of an entry is not followed.
    let elsewhere = dir.with_extension("elsewhere");
    std::fs::copy(&entry, &elsewhere).expect("copy");
    std::fs::remove_file(&entry).expect("remove");
    std::os::unix::fs::symlink(&elsewhere, &entry).expect("symlink");
    sandbox.load(&good).expect("loads");
    assert!(
        std::fs::symlink_metadata(&entry)
            .expect("metadata")
            .is_file(),
        "the link was replaced by a file"
    );
    let sub = Submission {
        extra_zones: &[],
        zone: Some(ZONE),
        ds: None,
        learner: "grp7",
        at: AT,
        ..Default::default()
    };
    assert_eq!(
        grade::grade(&sandbox, &exercise, &checker, &sub).outcome,
        Outcome::Graded
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&elsewhere);
}

/// `grader exercise test` passes a matching sample and refuses files in
/// `examples/` that belong to no sample, naming them.
#[test]
fn exercise_test_checks_samples_and_names_stray_files() {
    let dir = std::env::temp_dir().join(format!("grader-extest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("examples")).expect("create");
    let def = std::fs::read_to_string(root().join("tests/exercises/sandbox-probe/exercise.toml"))
        .expect("read");
    let checker = root().join("tests/checkers/good");
    std::fs::write(
        dir.join("exercise.toml"),
        def.replace("../../checkers/good", &checker.to_string_lossy()),
    )
    .expect("write");
    std::fs::write(dir.join("statement.md"), "Probe.").expect("write");
    std::fs::write(dir.join("examples/good.zone"), ZONE).expect("write");
    let expect = "learner = \"grp7\"\noutcome = \"graded\"\nscore = 2\n[checks]\nsoa = \"passed\"\nns = \"passed\"\n";
    std::fs::write(dir.join("examples/good.expect.toml"), expect).expect("write");
    let test = || {
        run(Command::new(grader_tests::grader_binary())
            .args(["exercise", "test"])
            .arg(&dir)
            .env("GRADER_CACHE_DIR", dir.join("cache")))
    };
    let out = test();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed, 0 failed"));
    std::fs::write(dir.join("examples/orphan.expect.toml"), expect).expect("write");
    std::fs::write(dir.join("examples/good.v6.zone"), ZONE).expect("write");
    let out = test();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("examples/orphan.expect.toml") && stderr.contains("examples/good.v6.zone"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Checkers built for `grader:checker@1.0.0` (before `zone.dnssec`) and
/// `@1.1.0` (before `target` and `responses`) keep running, with the same
/// judgement as one built with the current SDK.
#[test]
fn checkers_built_for_older_interfaces_keep_running() {
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let exercise = exercise();
    let current = sandbox
        .load(&module("good"))
        .expect("the good checker loads");
    assert_eq!(
        current.interface_version(),
        grader_core::sandbox::INTERFACE_VERSIONS[0]
    );
    for (name, version) in [("interface-1-0", "1.0.0"), ("interface-1-1", "1.1.0")] {
        let old = sandbox
            .load(&module(name))
            .unwrap_or_else(|e| panic!("a {version} checker loads: {e}"));
        assert_eq!(old.interface_version(), version);
        let sub = Submission {
            zone: Some(ZONE),
            learner: "grp7",
            at: AT,
            ..Default::default()
        };
        let r = grade::grade(&sandbox, &exercise, &old, &sub);
        assert_eq!(r.outcome, Outcome::Graded, "{version}: {:?}", r.message);
        assert_eq!(r.score.map(|s| s.given), Some(2.0), "{version}");
        let one_ns = b"$ORIGIN grp7.lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 14400 3600 604800 3600\n@ NS ns1\nns1 A 192.0.2.1\n";
        let sub = Submission {
            zone: Some(one_ns),
            ..sub
        };
        let by_old = grade::grade(&sandbox, &exercise, &old, &sub);
        let by_current = grade::grade(&sandbox, &exercise, &current, &sub);
        assert_eq!(
            by_old.score.as_ref().map(|s| s.given),
            Some(1.0),
            "{version}"
        );
        assert_eq!(by_old.score, by_current.score, "{version}");
    }
}
