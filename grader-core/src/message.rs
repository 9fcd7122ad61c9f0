//! The message contract with LMS integrations: submissions in, results out
//! (`schemas/asyncapi.yaml`, `schemas/submission.schema.json`,
//! `schemas/result.schema.json`).
//!
//! This module is transport-free: it reads a submission message's body,
//! says why one cannot be graded ([`Rejection`]), and writes result
//! messages with the LTI 1.3 Assignment and Grade Services score
//! ([`LtiScore`]). The worker moves the bytes.
//!
//! Versioning: the major version is in the AMQP `type` property
//! ([`SUBMISSION_TYPE`], [`RESULT_TYPE`]). Within a major version, fields
//! are only added, and optional; readers ignore fields they do not know.

// A `Rejection` carries what could be read of a bad message; rejections
// are rare, so returning it unboxed costs nothing that matters.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exercise::{Visibility, is_id};
use crate::grade::{GRADING_TIMES, GradeResult, Outcome, Status, parse_rfc3339, rfc3339};
use crate::probe::{HandedIn, Target};

/// The AMQP `type` of a submission (absent is read as this one).
pub const SUBMISSION_TYPE: &str = "grader.submission.v1";
/// The AMQP `type` of a result (graded or rejected).
pub const RESULT_TYPE: &str = "grader.result.v1";
/// The only `content_type` a submission may have (absent is read as it).
pub const CONTENT_TYPE: &str = "application/json";
/// The longest `submission_id`, `learner`, `course` and exercise
/// `version`, in bytes. A submission id becomes the AMQP `correlation_id`
/// of its result, a short string of at most 255 bytes.
pub const MAX_ID_BYTES: usize = 200;
/// The routing-key word of a result without a course.
pub const DEFAULT_COURSE_WORD: &str = "default";

/// A submission as the LMS sends it (`grader.submission.v1`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct SubmissionMessage {
    /// The idempotency key: one final outcome per id.
    pub submission_id: String,
    /// Which exercise grades it.
    pub exercise: ExerciseSelector,
    /// The learner, opaque to the grader (the LTI `sub`, say). Exercises
    /// whose zone name contains `{learner}` need it to be a DNS label.
    pub learner: String,
    /// The course, if any: the first word of the results' routing key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<String>,
    /// When the learner handed it in (RFC 3339); the grading time, which
    /// DNSSEC validity is judged at.
    pub submitted_at: String,
    /// What the learner handed in.
    pub artifacts: Artifacts,
}

/// An exercise id and, optionally, the version the LMS expects.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ExerciseSelector {
    /// The exercise id (`zone-basics`).
    pub id: String,
    /// The exercise version; absent means the one the worker has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The files of a submission.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Artifacts {
    /// The zone file (absent only for an exercise that takes none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneArtifact>,
    /// The DS records for the parent, in zone-file syntax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ds: Option<TextArtifact>,
    /// Further zones, by the names the exercise gives them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_zones: BTreeMap<String, ZoneArtifact>,
    /// The learner's server, for an exercise with probes: the worker sends
    /// the exercise's queries there (if its allowlist permits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// DNS responses the learner captured (dig output, RFC 8427 JSON, wire
    /// form), instead of a target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<HandedIn>,
}

/// A zone file and the origin the LMS believes it has.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ZoneArtifact {
    /// The zone's origin; when given, it must be the one the exercise
    /// expects for this learner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The zone file's text.
    pub text: String,
}

/// A text file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct TextArtifact {
    /// Its text.
    pub text: String,
}

/// Why a message cannot be graded: the `x-grader-reason` header of its
/// dead letter and the `reason` of its `rejected` result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The body is not JSON (or not UTF-8).
    NotJson,
    /// JSON, but not a `grader.submission.v1`.
    SchemaViolation,
    /// A `type` or `content_type` this grader does not read.
    UnsupportedType,
    /// No loaded exercise has this id (and version).
    UnknownExercise,
    /// The body is larger than the worker accepts.
    TooLarge,
    /// Delivered too many times without a confirmed result.
    DeliveryLimit,
}

impl Reason {
    /// Every reason, for metrics and documentation.
    pub const ALL: [Reason; 6] = [
        Reason::NotJson,
        Reason::SchemaViolation,
        Reason::UnsupportedType,
        Reason::UnknownExercise,
        Reason::TooLarge,
        Reason::DeliveryLimit,
    ];

    /// The header value (`schema-violation`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotJson => "not-json",
            Reason::SchemaViolation => "schema-violation",
            Reason::UnsupportedType => "unsupported-type",
            Reason::UnknownExercise => "unknown-exercise",
            Reason::TooLarge => "too-large",
            Reason::DeliveryLimit => "delivery-limit",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message that cannot be graded, with what could still be read of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Why.
    pub reason: Reason,
    /// What is wrong, for the integrator (names the field).
    pub detail: String,
    /// The submission id, when one could be read: then a `rejected`
    /// result tells the LMS.
    pub submission_id: Option<String>,
    /// The learner, when one could be read.
    pub learner: Option<String>,
    /// The course, when one could be read.
    pub course: Option<String>,
    /// The exercise, when one could be read.
    pub exercise: Option<ExerciseSelector>,
    /// The submission time, when one could be read (the AGS timestamp).
    pub submitted_at: Option<String>,
}

impl Rejection {
    /// A rejection with nothing read from the message.
    pub fn new(reason: Reason, detail: impl Into<String>) -> Rejection {
        Rejection {
            reason,
            detail: detail.into(),
            submission_id: None,
            learner: None,
            course: None,
            exercise: None,
            submitted_at: None,
        }
    }

    /// A rejection of a submission that was read in full.
    pub fn of(sub: &SubmissionMessage, reason: Reason, detail: impl Into<String>) -> Rejection {
        Rejection {
            reason,
            detail: detail.into(),
            submission_id: Some(sub.submission_id.clone()),
            learner: Some(sub.learner.clone()),
            course: sub.course.clone(),
            exercise: Some(sub.exercise.clone()),
            submitted_at: Some(sub.submitted_at.clone()),
        }
    }

    /// Fills in what can be read of a message that cannot be graded
    /// (fields that are themselves valid only): with a submission id, the
    /// LMS gets a `rejected` result.
    pub fn salvage(mut self, body: &[u8]) -> Rejection {
        let Ok(serde_json::Value::Object(v)) = serde_json::from_slice::<serde_json::Value>(body)
        else {
            return self;
        };
        let text = |key: &str| {
            v.get(key)
                .and_then(|x| x.as_str())
                .filter(|s| valid_id_text(s))
                .map(String::from)
        };
        self.submission_id = text("submission_id");
        self.learner = text("learner");
        self.course = text("course");
        self.submitted_at = v
            .get("submitted_at")
            .and_then(|x| x.as_str())
            .filter(|s| parse_rfc3339(s).is_ok_and(|t| GRADING_TIMES.contains(&t)))
            .map(String::from);
        self.exercise = v
            .get("exercise")
            .and_then(|e| serde_json::from_value::<ExerciseSelector>(e.clone()).ok())
            .filter(|e| is_id(&e.id) && e.version.as_deref().is_none_or(valid_id_text));
        self
    }
}

/// Whether `s` can be a submission id, learner or course: 1 to
/// [`MAX_ID_BYTES`] bytes, no control characters.
pub fn valid_id_text(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_ID_BYTES && !s.chars().any(char::is_control)
}

/// Checks the AMQP `type` and `content_type` of a submission.
pub fn check_properties(
    message_type: Option<&str>,
    content_type: Option<&str>,
) -> Result<(), Rejection> {
    if let Some(t) = message_type
        && t != SUBMISSION_TYPE
    {
        return Err(Rejection::new(
            Reason::UnsupportedType,
            format!(
                "the message type is `{}`; this grader reads `{SUBMISSION_TYPE}`",
                t.escape_debug()
            ),
        ));
    }
    if let Some(c) = content_type {
        let essence = c.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case(CONTENT_TYPE) {
            return Err(Rejection::new(
                Reason::UnsupportedType,
                format!(
                    "the content type is `{}`; submissions are `{CONTENT_TYPE}`",
                    c.escape_debug()
                ),
            ));
        }
    }
    Ok(())
}

/// Reads a submission message's body: JSON, the schema, and the rules the
/// schema cannot say (id lengths, a real time, an exercise id).
pub fn parse_submission(body: &[u8]) -> Result<SubmissionMessage, Rejection> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed: Result<SubmissionMessage, _> = serde_path_to_error::deserialize(&mut de);
    let sub = match parsed {
        Ok(s) => s,
        Err(e) => {
            let path = pointer(e.path());
            let inner = e.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => {
                    Rejection::new(Reason::SchemaViolation, format!("at `{path}`: {inner}"))
                        .salvage(body)
                }
                _ => Rejection::new(Reason::NotJson, format!("the body is not JSON: {inner}")),
            });
        }
    };
    if let Err(e) = de.end() {
        return Err(Rejection::new(
            Reason::NotJson,
            format!("the body is not JSON: {e}"),
        ));
    }
    let violation = |field: &str, what: String| {
        Err(Rejection::new(Reason::SchemaViolation, format!("at `{field}`: {what}")).salvage(body))
    };
    let id_rule = format!("must be 1 to {MAX_ID_BYTES} bytes without control characters");
    if !valid_id_text(&sub.submission_id) {
        return violation("/submission_id", id_rule);
    }
    if !valid_id_text(&sub.learner) {
        return violation("/learner", id_rule);
    }
    if let Some(c) = &sub.course
        && !valid_id_text(c)
    {
        return violation("/course", id_rule);
    }
    if !is_id(&sub.exercise.id) {
        return violation(
            "/exercise/id",
            "must be an exercise id: lowercase letters, digits and inner hyphens".into(),
        );
    }
    if let Some(v) = &sub.exercise.version
        && !valid_id_text(v)
    {
        return violation("/exercise/version", id_rule);
    }
    match parse_rfc3339(&sub.submitted_at) {
        Ok(t) if GRADING_TIMES.contains(&t) => {}
        Ok(_) => return violation("/submitted_at", "must be between 1970 and 9999".into()),
        Err(e) => return violation("/submitted_at", e),
    }
    Ok(sub)
}

/// A serde path as an RFC 6901 JSON pointer (`/artifacts/zone/text`).
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The routing key of a result: `<course-or-default>.<exercise>`. Dots,
/// `*` and `#` in the course become `_`, so the course is one word.
pub fn routing_key(course: Option<&str>, exercise: &str) -> String {
    let word: String = match course {
        Some(c) => c
            .chars()
            .map(|ch| {
                if matches!(ch, '.' | '*' | '#') {
                    '_'
                } else {
                    ch
                }
            })
            .collect(),
        None => DEFAULT_COURSE_WORD.to_string(),
    };
    // A routing key is at most 255 bytes.
    let mut key = format!("{word}.{exercise}");
    if key.len() > 255 {
        let mut cut = 255;
        while !key.is_char_boundary(cut) {
            cut -= 1;
        }
        key.truncate(cut);
    }
    key
}

/// An LTI 1.3 Assignment and Grade Services score
/// (`application/vnd.ims.lis.v1.score+json`), ready to POST to the line
/// item's `/scores` endpoint.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LtiScore {
    /// The learner.
    pub user_id: String,
    /// Points given; absent when not graded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_given: Option<f64>,
    /// Points possible; present with `scoreGiven`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_maximum: Option<f64>,
    /// `Completed` when graded, `Submitted` otherwise.
    pub activity_progress: &'static str,
    /// `FullyGraded`, `PendingManual` (a checker fault: an instructor must
    /// look) or `Failed` (nothing to grade; the comment says why).
    pub grading_progress: &'static str,
    /// The submission time (deterministic, increasing per learner).
    pub timestamp: String,
    /// What the learner sees in the LMS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The longest AGS comment the grader writes, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

impl LtiScore {
    /// The score of a grading result.
    pub fn of(result: &GradeResult) -> LtiScore {
        let (activity, grading, comment) = match result.outcome {
            Outcome::Graded => ("Completed", "FullyGraded", graded_comment(result)),
            Outcome::InvalidSubmission => (
                "Submitted",
                "Failed",
                format!(
                    "Not graded: {}",
                    result
                        .message
                        .as_deref()
                        .unwrap_or("the submission is invalid")
                ),
            ),
            // The fault's details are for instructors, in `message`.
            Outcome::CheckerError => (
                "Submitted",
                "PendingManual",
                "Not graded yet: the exercise's checker failed on this submission; \
                 your instructor has been told and will regrade it."
                    .to_string(),
            ),
            Outcome::InternalError => (
                "Submitted",
                "Failed",
                "Not graded: the grader could not grade this submission; \
                 your instructor has been told."
                    .to_string(),
            ),
        };
        let score = result
            .score
            .as_ref()
            .filter(|_| result.outcome == Outcome::Graded);
        LtiScore {
            user_id: result.learner.clone(),
            score_given: score.map(|s| s.given),
            score_maximum: score.map(|s| s.maximum as f64),
            activity_progress: activity,
            grading_progress: grading,
            timestamp: result.graded_at.clone(),
            comment: Some(truncate_chars(comment, MAX_COMMENT_CHARS)),
        }
    }
}

fn graded_comment(result: &GradeResult) -> String {
    let shown: Vec<_> = result
        .checks
        .iter()
        .filter(|c| c.visibility == Visibility::Visible)
        .collect();
    let passed = shown.iter().filter(|c| c.status == Status::Passed).count();
    let mut comment = match &result.score {
        Some(s) => format!("Score {}/{}.", s.given, s.maximum),
        None => String::new(),
    };
    comment.push_str(&format!(" Passed {passed} of {} checks.", shown.len()));
    let todo: Vec<&str> = shown
        .iter()
        .filter(|c| c.status != Status::Passed)
        .map(|c| c.title.as_str())
        .collect();
    if !todo.is_empty() {
        comment.push_str(" To work on: ");
        comment.push_str(&todo.join("; "));
        comment.push('.');
    }
    comment
}

fn truncate_chars(s: String, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s,
        Some((cut, _)) => {
            let mut t = s[..cut].to_string();
            t.pop();
            t.push('…');
            t
        }
    }
}

/// A result message for a graded (or ungradable) submission.
#[derive(Debug, Serialize)]
pub struct ResultMessage<'a> {
    /// The submission it answers.
    pub submission_id: &'a str,
    /// The submission's course.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course: Option<&'a str>,
    /// The grading result (`schemas/grade-result.schema.json`).
    #[serde(flatten)]
    pub result: &'a GradeResult,
    /// The score for LTI AGS.
    pub lti_score: LtiScore,
    /// The earlier result of the submission, when this one comes from a
    /// regrade (whose AGS timestamp is then the regrade's time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regrade_of: Option<RegradeOf>,
}

impl<'a> ResultMessage<'a> {
    /// The message for `result`.
    pub fn new(sub: &'a SubmissionMessage, result: &'a GradeResult) -> ResultMessage<'a> {
        ResultMessage {
            submission_id: &sub.submission_id,
            course: sub.course.as_deref(),
            result,
            lti_score: LtiScore::of(result),
            regrade_of: None,
        }
    }

    /// Its JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing plain data to a Vec cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The fields of a result (graded or rejected) that integrations and the
/// gradebook read. A tolerant reader: fields it does not name are ignored,
/// absent ones are empty.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct ResultBody {
    /// The submission it answers (empty in a result of `grader grade`,
    /// which grades no submission message).
    #[serde(default)]
    pub submission_id: String,
    /// `graded`, `invalid_submission`, `checker_error`, `internal_error` or
    /// `rejected`.
    pub outcome: String,
    /// The exercise (absent from some rejected results).
    #[serde(default)]
    pub exercise: Option<ExerciseSelector>,
    /// The SHA-256 of the checker that graded it (absent from rejected
    /// results).
    #[serde(default)]
    pub checker_sha256: Option<String>,
    /// The learner.
    #[serde(default)]
    pub learner: Option<String>,
    /// The course, if the submission had one.
    #[serde(default)]
    pub course: Option<String>,
    /// The grading time: the submission's `submitted_at` (RFC 3339, UTC).
    #[serde(default)]
    pub graded_at: Option<String>,
    /// The score, when graded.
    #[serde(default)]
    pub score: Option<ResultScore>,
    /// Every rubric check, when graded.
    #[serde(default)]
    pub checks: Vec<ResultCheck>,
    /// What to fix (invalid submission), what failed, or why rejected.
    #[serde(default)]
    pub message: Option<String>,
    /// Why a submission was rejected (`schema-violation`, ...).
    #[serde(default)]
    pub reason: Option<String>,
    /// The result this one replaces, when it comes from a regrade.
    #[serde(default)]
    pub regrade_of: Option<RegradeOf>,
    /// The LTI 1.3 AGS score, ready to POST (kept as JSON).
    #[serde(default)]
    pub lti_score: Option<serde_json::Value>,
}

impl ResultBody {
    /// Whether the submission was graded (a score, possibly zero).
    pub fn is_graded(&self) -> bool {
        self.outcome == "graded"
    }
}

/// The score of a graded submission.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ResultScore {
    /// Points given.
    pub given: f64,
    /// Points possible.
    pub maximum: f64,
}

/// One rubric check of a graded submission.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ResultCheck {
    /// The rubric id.
    pub id: String,
    /// What is checked.
    #[serde(default)]
    pub title: String,
    /// `passed`, `failed`, `partial` or `skipped`.
    pub status: String,
    /// Points given.
    #[serde(default)]
    pub points: f64,
    /// Points possible.
    #[serde(default)]
    pub max_points: f64,
    /// `visible`, `hidden` or `after_due_date`: show the learner only
    /// what is visible.
    #[serde(default)]
    pub visibility: Option<String>,
    /// Feedback for the learner.
    #[serde(default)]
    pub feedback: String,
    /// Zone-file lines the feedback is about.
    #[serde(default)]
    pub lines: Vec<u32>,
}

/// What a regrade's result replaces: the earlier result of the same
/// submission (`regrade_of` in `schemas/result.schema.json`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct RegradeOf {
    /// The SHA-256 of the checker that gave the earlier result.
    pub checker_sha256: String,
    /// The exercise version of the earlier result.
    pub exercise_version: String,
    /// The earlier outcome.
    pub outcome: String,
    /// The earlier score, if it was graded.
    #[serde(default)]
    pub score: Option<ResultScore>,
}

/// The `rejected` result: a message with a submission id that cannot be
/// graded.
#[derive(Debug, Serialize)]
pub struct RejectedMessage<'a> {
    /// The submission it answers.
    pub submission_id: &'a str,
    /// The submission's course, if it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course: Option<&'a str>,
    /// Always `rejected`.
    pub outcome: &'static str,
    /// Why (as in the dead letter's `x-grader-reason`).
    pub reason: Reason,
    /// What is wrong.
    pub message: &'a str,
    /// The learner, if it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learner: Option<&'a str>,
    /// The exercise, if it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise: Option<&'a ExerciseSelector>,
    /// The score for LTI AGS (`Failed`), when the learner and the time
    /// could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lti_score: Option<LtiScore>,
}

impl<'a> RejectedMessage<'a> {
    /// The `rejected` result for `r`, if it has a submission id.
    pub fn new(r: &'a Rejection) -> Option<RejectedMessage<'a>> {
        let submission_id = r.submission_id.as_deref()?;
        let lti_score = match (&r.learner, &r.submitted_at) {
            (Some(learner), Some(at)) => Some(LtiScore {
                user_id: learner.clone(),
                score_given: None,
                score_maximum: None,
                activity_progress: "Submitted",
                grading_progress: "Failed",
                timestamp: parse_rfc3339(at)
                    .map(rfc3339)
                    .unwrap_or_else(|_| at.clone()),
                comment: Some(truncate_chars(
                    format!("Not graded: the submission was rejected ({}).", r.reason),
                    MAX_COMMENT_CHARS,
                )),
            }),
            _ => None,
        };
        Some(RejectedMessage {
            submission_id,
            course: r.course.as_deref(),
            outcome: "rejected",
            reason: r.reason,
            message: &r.detail,
            learner: r.learner.as_deref(),
            exercise: r.exercise.as_ref(),
            lti_score,
        })
    }

    /// The routing key: `<course-or-default>.<exercise-or-unknown>`.
    pub fn routing_key(&self) -> String {
        routing_key(
            self.course,
            self.exercise.map_or("unknown", |e| e.id.as_str()),
        )
    }

    /// Its JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"submission_id":"s-1","exercise":{"id":"zone-basics"},
        "learner":"alice","submitted_at":"2026-11-29T10:00:00Z",
        "artifacts":{"zone":{"text":"@ SOA ..."}}}"#;

    #[test]
    fn reads_a_minimal_submission_and_ignores_unknown_fields() {
        let s = parse_submission(GOOD.as_bytes()).expect("valid");
        assert_eq!(s.submission_id, "s-1");
        assert_eq!(s.exercise.version, None);
        let extra = GOOD.replacen('{', r#"{"future_field":[1,2],"#, 1);
        assert_eq!(parse_submission(extra.as_bytes()).expect("valid"), s);
    }

    #[test]
    fn not_json_and_trailing_garbage() {
        let r = parse_submission(b"\xff\xfe").unwrap_err();
        assert_eq!(r.reason, Reason::NotJson);
        let r = parse_submission(format!("{GOOD} x").as_bytes()).unwrap_err();
        assert_eq!(r.reason, Reason::NotJson);
    }

    #[test]
    fn schema_violation_names_the_field_and_keeps_the_id() {
        let bad = GOOD.replace(r#""text":"@ SOA ...""#, r#""text":5"#);
        let r = parse_submission(bad.as_bytes()).unwrap_err();
        assert_eq!(r.reason, Reason::SchemaViolation);
        assert!(r.detail.contains("/artifacts/zone/text"), "{}", r.detail);
        assert_eq!(r.submission_id.as_deref(), Some("s-1"));
        assert_eq!(r.learner.as_deref(), Some("alice"));
        let bad = GOOD.replace("2026-11-29T10:00:00Z", "yesterday");
        let r = parse_submission(bad.as_bytes()).unwrap_err();
        assert!(r.detail.starts_with("at `/submitted_at`"), "{}", r.detail);
        assert_eq!(r.submitted_at, None);
    }

    #[test]
    fn error_paths_are_json_pointers() {
        let bad = GOOD.replace(
            r#""artifacts":{"#,
            r#""artifacts":{"extra_zones":{"a.b/c~d":{"text":1}},"#,
        );
        let r = parse_submission(bad.as_bytes()).unwrap_err();
        assert!(
            r.detail
                .starts_with("at `/artifacts/extra_zones/a.b~1c~0d/text`"),
            "{}",
            r.detail
        );
        let r = parse_submission(b"7").unwrap_err();
        assert!(r.detail.starts_with("at `/`"), "{}", r.detail);
    }

    #[test]
    fn offsets_are_read_as_utc() {
        let at = GOOD.replace("2026-11-29T10:00:00Z", "2026-11-29T11:00:00+01:00");
        let s = parse_submission(at.as_bytes()).expect("valid");
        assert_eq!(
            parse_rfc3339(&s.submitted_at),
            parse_rfc3339("2026-11-29T10:00:00Z")
        );
    }

    #[test]
    fn routing_keys_keep_the_course_one_word() {
        assert_eq!(routing_key(None, "zone-basics"), "default.zone-basics");
        assert_eq!(
            routing_key(Some("course-v1:edX+DNS.101#a"), "x"),
            "course-v1:edX+DNS_101_a.x"
        );
        assert!(routing_key(Some(&"é".repeat(128)), "x").len() <= 255);
    }

    #[test]
    fn properties_other_than_v1_json_are_unsupported() {
        assert!(check_properties(None, None).is_ok());
        assert!(
            check_properties(
                Some(SUBMISSION_TYPE),
                Some("application/json; charset=utf-8")
            )
            .is_ok()
        );
        let r = check_properties(Some("grader.submission.v2"), None).unwrap_err();
        assert_eq!(r.reason, Reason::UnsupportedType);
        assert!(check_properties(None, Some("text/plain")).is_err());
    }
}
