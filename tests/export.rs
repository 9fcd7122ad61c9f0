//! `grader export gradescope`: a real grading's result as Gradescope's
//! `results.json`, and the results that have no score to give.

use std::process::{Command, Output};

use grader_tests::amqp::TempDir;
use serde_json::Value;

fn grader(args: &[&str]) -> Output {
    grader_tests::run(Command::new(grader_tests::grader_binary()).args(args))
}

fn example(name: &str) -> String {
    grader_tests::root()
        .join("schemas/examples")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_graded_submission_becomes_one_gradescope_test_per_check() {
    let tmp = TempDir::new("export");
    let exercise = grader_tests::root().join("exercises/zone-basics");
    let zone = exercise.join("examples/glue-missing.zone");
    let out = grader(&[
        "grade",
        &exercise.display().to_string(),
        "--learner",
        "grp7",
        "--zone",
        &zone.display().to_string(),
        "--at",
        "2026-11-29T10:00:00Z",
        "--format",
        "json",
    ]);
    let result_path = tmp.path.join("result.json");
    std::fs::write(&result_path, &out.stdout).expect("write the result");
    let result: Value = serde_json::from_slice(&out.stdout).expect("a JSON result");
    let output_path = tmp.path.join("results.json");
    let out = grader(&[
        "export",
        "gradescope",
        &result_path.display().to_string(),
        "--output",
        &output_path.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gs: Value = serde_json::from_str(&std::fs::read_to_string(&output_path).expect("written"))
        .expect("JSON");
    // Gradescope reads `score` as the total, and each test's fields.
    assert_eq!(gs["score"], result["score"]["given"]);
    let tests = gs["tests"].as_array().expect("tests");
    let checks = result["checks"].as_array().expect("checks");
    assert_eq!(tests.len(), checks.len());
    let mut sum = 0.0;
    for (i, (t, c)) in tests.iter().zip(checks).enumerate() {
        let fields: Vec<&str> = t
            .as_object()
            .expect("a test")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            fields,
            [
                "max_score",
                "name",
                "number",
                "output",
                "score",
                "status",
                "tags",
                "visibility"
            ]
        );
        assert_eq!(t["name"], c["title"]);
        assert_eq!(t["number"], (i + 1).to_string());
        assert_eq!(t["score"], c["points"]);
        assert_eq!(t["max_score"].as_f64(), c["max_points"].as_f64());
        assert_eq!(t["output"], c["feedback"]);
        assert_eq!(t["visibility"], c["visibility"]);
        assert_eq!(t["tags"][0], c["id"]);
        let passed = c["status"] == "passed";
        assert_eq!(t["status"], if passed { "passed" } else { "failed" });
        sum += t["score"].as_f64().expect("a number");
    }
    assert!((sum - gs["score"].as_f64().expect("a number")).abs() < 0.01);
    assert_eq!(gs["extra_data"]["checker_sha256"], result["checker_sha256"]);
    assert_eq!(gs["stdout_visibility"], "hidden");
    // The glue check failed, with the lines to fix in its output.
    let glue = tests.iter().find(|t| t["tags"][0] == "glue").expect("glue");
    assert_eq!(glue["status"], "failed");
    assert!(glue["output"].as_str().unwrap_or("").contains("ns1"));

    // From standard output, a result message works the same.
    let out = grader(&["export", "gradescope", &example("result-graded.json")]);
    assert!(out.status.success());
    let gs: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(gs["extra_data"]["submission_id"], "moodle-42-7731");
}

#[test]
fn results_without_a_score_are_not_made_zeros() {
    let tmp = TempDir::new("export-errors");
    // An invalid submission: score 0 and what to fix, exit 1.
    let path = tmp.path.join("invalid.json");
    let out = grader(&[
        "export",
        "gradescope",
        &example("result-invalid-submission.json"),
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let gs: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("written")).expect("JSON");
    assert_eq!(gs["score"], 0.0);
    assert!(
        gs["output"]
            .as_str()
            .unwrap_or("")
            .starts_with("Not graded: ")
    );
    assert_eq!(gs["tests"], serde_json::json!([]));
    // A checker error or a rejected message: nothing written, exit 1.
    for name in [
        "result-checker-error.json",
        "result-internal-error.json",
        "result-rejected.json",
    ] {
        let path = tmp.path.join(format!("{name}.out"));
        let out = grader(&[
            "export",
            "gradescope",
            &example(name),
            "-o",
            &path.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(!path.exists(), "{name}: a file was written");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("would show a zero"), "{name}: {stderr}");
    }
    // Not a result: exit 2, saying so.
    let junk = tmp.path.join("junk.json");
    std::fs::write(&junk, "[1, 2]").expect("write");
    let out = grader(&["export", "gradescope", &junk.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a grader result"));
}
