//! From a delivery's bytes to what must be published: the grading itself,
//! with no broker in sight (so it is tested without one).
//!
//! Every delivery ends in exactly one [`Disposition`]: a result to publish
//! (graded, or any other outcome of [`grade`]), or a dead letter with a
//! reason, plus a `rejected` result when a submission id can be read.
//! Nothing a student or an LMS sends makes this panic.

use std::time::{Duration, Instant};

use grader_core::catalog::Catalog;
use grader_core::grade::{
    self, ExerciseRef, GradeResult, Outcome, Submission, Timing, parse_rfc3339, rfc3339,
};
use grader_core::message::{
    self, Reason, RejectedMessage, Rejection, ResultMessage, SubmissionMessage,
};
use grader_core::sandbox::Sandbox;

/// What grading needs: the exercises, the sandbox and the worker's limits.
pub struct Grading {
    /// The exercises, with compiled checkers.
    pub catalog: Catalog,
    /// The sandbox they run in.
    pub sandbox: Sandbox,
    /// The largest body accepted.
    pub max_message_bytes: usize,
    /// Deliveries after which a submission is dead-lettered.
    pub delivery_limit: u32,
}

/// The parts of a delivery grading looks at.
#[derive(Clone, Copy, Debug, Default)]
pub struct Input<'a> {
    /// The body.
    pub body: &'a [u8],
    /// The AMQP `type` property.
    pub message_type: Option<&'a str>,
    /// The AMQP `content_type` property.
    pub content_type: Option<&'a str>,
    /// Earlier deliveries of this message (`x-delivery-count` of quorum
    /// queues), if known.
    pub delivery_count: Option<u64>,
}

/// A result message to publish.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultOut {
    /// The routing key on `grader.results`.
    pub routing_key: String,
    /// The JSON body.
    pub body: Vec<u8>,
}

/// What to do with a delivery.
#[derive(Clone, Debug, PartialEq)]
pub struct Disposition {
    /// The submission id, when one could be read.
    pub submission_id: Option<String>,
    /// `graded`, `invalid_submission`, `checker_error`, `internal_error`
    /// or `rejected`.
    pub outcome: &'static str,
    /// The score given and possible, when graded.
    pub score: Option<(f64, u64)>,
    /// The result to publish (absent only for a dead letter without a
    /// submission id).
    pub result: Option<ResultOut>,
    /// Why the message is dead-lettered, with the detail.
    pub dead: Option<(Reason, String)>,
    /// How long grading took (parsing, zone reading, checker).
    pub elapsed: Duration,
}

/// Every outcome name, for metrics.
pub const OUTCOMES: [&str; 5] = [
    "graded",
    "invalid_submission",
    "checker_error",
    "internal_error",
    "rejected",
];

impl Grading {
    /// Grades one delivery.
    pub fn process(&self, input: &Input<'_>) -> Disposition {
        let started = Instant::now();
        let mut d = match self.judge(input) {
            Ok((sub, result)) => {
                let body = ResultMessage::new(&sub, &result).to_json();
                Disposition {
                    outcome: result.outcome.as_str(),
                    score: result.score.as_ref().map(|s| (s.given, s.maximum)),
                    result: Some(ResultOut {
                        routing_key: message::routing_key(sub.course.as_deref(), &sub.exercise.id),
                        body,
                    }),
                    submission_id: Some(sub.submission_id),
                    dead: None,
                    elapsed: Duration::ZERO,
                }
            }
            Err(rejection) => {
                let result = RejectedMessage::new(&rejection).map(|m| ResultOut {
                    routing_key: m.routing_key(),
                    body: m.to_json(),
                });
                Disposition {
                    submission_id: rejection.submission_id.clone(),
                    outcome: "rejected",
                    score: None,
                    result,
                    dead: Some((rejection.reason, rejection.detail)),
                    elapsed: Duration::ZERO,
                }
            }
        };
        d.elapsed = started.elapsed();
        d
    }

    #[allow(clippy::result_large_err)] // see grader_core::message
    fn judge(&self, input: &Input<'_>) -> Result<(SubmissionMessage, GradeResult), Rejection> {
        if input.body.len() > self.max_message_bytes {
            return Err(Rejection::new(
                Reason::TooLarge,
                format!(
                    "the message has {} bytes; this worker accepts at most {}",
                    input.body.len(),
                    self.max_message_bytes
                ),
            ));
        }
        if let Some(count) = input.delivery_count
            && count >= u64::from(self.delivery_limit)
        {
            let detail = format!(
                "delivered {} times without a confirmed result (the limit is {}); \
                 see the worker's logs for this submission",
                count + 1,
                self.delivery_limit
            );
            return Err(match message::parse_submission(input.body) {
                Ok(sub) => Rejection::of(&sub, Reason::DeliveryLimit, detail),
                Err(mut r) => {
                    r.reason = Reason::DeliveryLimit;
                    r.detail = detail;
                    r
                }
            });
        }
        message::check_properties(input.message_type, input.content_type)
            .map_err(|r| r.salvage(input.body))?;
        let sub = message::parse_submission(input.body)?;
        let Some(loaded) = self.catalog.get(&sub.exercise.id) else {
            let known: Vec<&str> = self
                .catalog
                .iter()
                .map(|l| l.exercise.def.id.as_str())
                .collect();
            let detail = format!(
                "no exercise `{}` here; this worker grades: {}",
                sub.exercise.id,
                known.join(", ")
            );
            return Err(Rejection::of(&sub, Reason::UnknownExercise, detail));
        };
        let exercise = &loaded.exercise;
        if let Some(v) = &sub.exercise.version
            && *v != exercise.def.version
        {
            let detail = format!(
                "exercise `{}` version {} is not here; this worker has version {}",
                sub.exercise.id,
                v.escape_debug(),
                exercise.def.version
            );
            return Err(Rejection::of(&sub, Reason::UnknownExercise, detail));
        }
        // parse_submission checked the time.
        let at = parse_rfc3339(&sub.submitted_at).unwrap_or_default();
        if let Some(message) = origin_mismatch(exercise, &sub) {
            let result = GradeResult {
                outcome: Outcome::InvalidSubmission,
                exercise: ExerciseRef {
                    id: exercise.def.id.clone(),
                    version: exercise.def.version.clone(),
                },
                checker_sha256: loaded.checker.sha256.clone(),
                learner: sub.learner.clone(),
                graded_at: rfc3339(at),
                score: None,
                checks: Vec::new(),
                message: Some(message),
                fuel_used: 0,
                timing: Timing { checker_us: 0 },
            };
            return Ok((sub, result));
        }
        let extra_zones: Vec<(String, Vec<u8>)> = sub
            .artifacts
            .extra_zones
            .iter()
            .map(|(name, z)| (name.clone(), z.text.as_bytes().to_vec()))
            .collect();
        let submission = Submission {
            zone: sub.artifacts.zone.text.as_bytes(),
            ds: sub.artifacts.ds.as_ref().map(|d| d.text.as_bytes()),
            learner: &sub.learner,
            at,
            extra_zones: &extra_zones,
        };
        let result = grade::grade(&self.sandbox, exercise, &loaded.checker, &submission);
        Ok((sub, result))
    }
}

/// A zone handed in with an `origin` other than the one the exercise
/// grades, as a message for the learner.
fn origin_mismatch(
    exercise: &grader_core::exercise::Exercise,
    sub: &SubmissionMessage,
) -> Option<String> {
    let same = |a: &str, b: &str| {
        a.trim_end_matches('.')
            .eq_ignore_ascii_case(b.trim_end_matches('.'))
    };
    let expected = exercise.origin_for(&sub.learner);
    if let Some(origin) = &sub.artifacts.zone.origin
        && !same(origin, &expected)
    {
        return Some(format!(
            "the zone was handed in as `{}`, but this exercise grades your zone `{expected}`",
            origin.escape_debug()
        ));
    }
    for (name, z) in &sub.artifacts.extra_zones {
        let Some(def) = exercise
            .def
            .inputs
            .extra_zones
            .iter()
            .find(|e| e.name == *name)
        else {
            continue; // grading says the zone is not wanted
        };
        let expected = def.origin_for(&sub.learner);
        if let Some(origin) = &z.origin
            && !same(origin, &expected)
        {
            return Some(format!(
                "zone `{name}` was handed in as `{}`, but this exercise expects `{expected}`",
                origin.escape_debug()
            ));
        }
    }
    None
}
