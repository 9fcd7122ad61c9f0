//! A result as Gradescope's `results.json`
//! (gradescope-autograders.readthedocs.io, "Autograder Specifications"),
//! so an exercise can be graded behind a Gradescope assignment: its
//! `run_autograder` calls the grader and writes this file.
//!
//! Mapping:
//! - each rubric check is a test: `name` (the title), `number` (rubric
//!   order), `score`, `max_score`, `status` (`passed` only for a passed
//!   check; partial, failed and skipped checks are `failed` with the points
//!   they earned), `output` (the feedback), `visibility` (the rubric's:
//!   `visible`, `hidden`, `after_due_date`) and the check id as a tag;
//! - the top-level `score` is the result's score (the sum of the tests);
//! - `extra_data` keeps the submission id, exercise, checker SHA-256 and
//!   outcome for the instructor.
//!
//! Gradescope has no "not gradable" state. An invalid submission becomes
//! score 0 with the message saying what to fix as the top-level `output`
//! (the learner submits again); a checker or internal error has no score
//! to give, and is refused ([`NotExportable`]) rather than turned into a
//! zero: Gradescope then shows that the autograder failed, and the
//! instructor regrades.

use grader_core::message::ResultBody;
use serde::Serialize;

/// Gradescope's `results.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Results {
    /// The total score.
    pub score: f64,
    /// Text about the whole submission, shown to the learner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The tests' output format.
    pub test_output_format: &'static str,
    /// Who sees the standard output of the autograder: instructors only.
    pub stdout_visibility: &'static str,
    /// One test per rubric check.
    pub tests: Vec<Test>,
    /// Kept by Gradescope, not shown.
    pub extra_data: ExtraData,
}

/// One test of `results.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Test {
    /// The check's title.
    pub name: String,
    /// Its place in the rubric (`1`, `2`, ...).
    pub number: String,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// `passed` or `failed`.
    pub status: &'static str,
    /// The feedback.
    pub output: String,
    /// `visible`, `hidden` or `after_due_date`.
    pub visibility: String,
    /// The check id.
    pub tags: Vec<String>,
}

/// What the instructor may want to trace a score back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExtraData {
    /// The submission id (absent for a result of `grader grade`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub submission_id: String,
    /// The exercise id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise: Option<String>,
    /// The exercise version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise_version: Option<String>,
    /// The checker that graded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checker_sha256: Option<String>,
    /// The grader's outcome.
    pub outcome: String,
}

/// A result Gradescope cannot be given without inventing a score.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(
    "{submission} was not graded ({outcome}{detail}): Gradescope has no score for it and would \
     show a zero; nothing was written (regrade once the cause is fixed)"
)]
pub struct NotExportable {
    /// The submission (`submission `s-1``, or `the submission`).
    pub submission: String,
    /// Its outcome.
    pub outcome: String,
    /// `: the message`, when there is one.
    detail: String,
}

/// `results.json` for a result.
pub fn results(r: &ResultBody) -> Result<Results, NotExportable> {
    let extra_data = ExtraData {
        submission_id: r.submission_id.clone(),
        exercise: r.exercise.as_ref().map(|e| e.id.clone()),
        exercise_version: r.exercise.as_ref().and_then(|e| e.version.clone()),
        checker_sha256: r.checker_sha256.clone(),
        outcome: r.outcome.clone(),
    };
    match r.outcome.as_str() {
        "graded" => {}
        "invalid_submission" => {
            return Ok(Results {
                score: 0.0,
                output: Some(format!(
                    "Not graded: {}",
                    r.message.as_deref().unwrap_or("the submission is invalid")
                )),
                test_output_format: "text",
                stdout_visibility: "hidden",
                tests: Vec::new(),
                extra_data,
            });
        }
        other => {
            return Err(NotExportable {
                submission: if r.submission_id.is_empty() {
                    "the submission".to_string()
                } else {
                    format!("submission `{}`", r.submission_id)
                },
                outcome: other.to_string(),
                detail: r
                    .message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default(),
            });
        }
    }
    let tests = r
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| Test {
            name: c.title.clone(),
            number: (i + 1).to_string(),
            score: c.points,
            max_score: c.max_points,
            status: if c.status == "passed" {
                "passed"
            } else {
                "failed"
            },
            output: if c.status == "skipped" && c.feedback.is_empty() {
                "Not judged.".to_string()
            } else {
                c.feedback.clone()
            },
            visibility: c.visibility.clone().unwrap_or_else(|| "visible".into()),
            tags: vec![c.id.clone()],
        })
        .collect();
    Ok(Results {
        score: r.score.as_ref().map_or(0.0, |s| s.given),
        output: r.message.clone(),
        test_output_format: "text",
        stdout_visibility: "hidden",
        tests,
        extra_data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> ResultBody {
        let path = format!("{}/../schemas/examples/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("the example exists");
        serde_json::from_str(&text).expect("a result")
    }

    #[test]
    fn a_graded_result_has_one_test_per_check_summing_to_the_score() {
        let r = example("result-graded.json");
        let g = results(&r).expect("graded");
        assert_eq!(g.tests.len(), r.checks.len());
        let sum: f64 = g.tests.iter().map(|t| t.score).sum();
        assert!((sum - g.score).abs() < 0.01, "{sum} vs {}", g.score);
        let glue = g.tests.iter().find(|t| t.tags == ["glue"]).expect("glue");
        assert_eq!(glue.status, "failed");
        assert!(glue.output.contains("ns1"));
        assert_eq!(g.extra_data.outcome, "graded");
    }

    #[test]
    fn errors_are_refused_and_invalid_submissions_say_why() {
        let e = results(&example("result-checker-error.json")).unwrap_err();
        assert!(e.to_string().contains("checker_error"), "{e}");
        let i = results(&example("result-invalid-submission.json")).expect("exported");
        assert_eq!(i.score, 0.0);
        assert!(
            i.output
                .as_deref()
                .unwrap_or("")
                .starts_with("Not graded: ")
        );
        assert!(i.tests.is_empty());
    }
}
