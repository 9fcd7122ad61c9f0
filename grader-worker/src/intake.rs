//! From a delivery's bytes to what must be published: the grading itself,
//! with no broker in sight (so it is tested without one).
//!
//! Every delivery ends in exactly one [`Disposition`]: a result to publish
//! (graded, or any other outcome of [`grade`]), or a dead letter with a
//! reason, plus a `rejected` result when a submission id can be read.
//! Nothing a student or an LMS sends makes this panic.

use std::time::{Duration, Instant};

use grader_core::catalog::Catalog;
use grader_core::grade::{self, GradeResult, Submission, parse_rfc3339};
use grader_core::message::{
    self, Reason, RejectedMessage, Rejection, ResultMessage, SubmissionMessage,
};
use grader_core::probe::{Allowlist, Capture, Query};
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
    /// Where probes may be sent; other targets are refused unprobed.
    pub allowlist: Allowlist,
}

/// A delivery read and checked, before grading.
pub enum Prepared {
    /// Nothing to probe: what to do with it.
    Done(Disposition),
    /// The exercise's probes must be sent to the submission's target
    /// first ([`crate::probe::run`]), then [`Grading::finish`] grades.
    Probe(Box<Pending>),
}

/// A submission waiting for its probes' responses.
pub struct Pending {
    sub: SubmissionMessage,
    at: i64,
    /// The queries to send.
    pub queries: Vec<Query>,
    /// Where (allowed by the allowlist).
    pub target: std::net::SocketAddr,
    /// How.
    pub settings: crate::probe::Settings,
    started: Instant,
}

/// How far judging a delivery got. (Built once per delivery and matched
/// at once: the size of the graded variant costs nothing.)
#[allow(clippy::large_enum_variant)]
enum Judged {
    Graded(SubmissionMessage, GradeResult),
    Probe(Box<Pending>),
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
    /// Grades one delivery, sending its probes (if any) from a runtime of
    /// its own: for callers outside the worker's runtime.
    pub fn process(&self, input: &Input<'_>) -> Disposition {
        match self.prepare(input) {
            Prepared::Done(d) => d,
            Prepared::Probe(p) => {
                let captures = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt.block_on(crate::probe::run(&p.queries, p.target, p.settings)),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot start a runtime for probes");
                        Vec::new()
                    }
                };
                self.finish(*p, &captures)
            }
        }
    }

    /// Reads and checks one delivery: graded at once when the exercise
    /// sends no probes (or the submission handed its responses in, or
    /// cannot be graded), or left [`Prepared::Probe`].
    pub fn prepare(&self, input: &Input<'_>) -> Prepared {
        let started = Instant::now();
        match self.judge(input) {
            Ok(Judged::Graded(sub, result)) => Prepared::Done(graded(sub, &result, started)),
            Ok(Judged::Probe(p)) => Prepared::Probe(p),
            Err(rejection) => Prepared::Done(rejected(&rejection, started)),
        }
    }

    /// Grades a submission with the responses to its probes.
    pub fn finish(&self, p: Pending, captures: &[Capture]) -> Disposition {
        let Pending {
            sub, at, started, ..
        } = p;
        let Some(loaded) = self.catalog.get(&sub.exercise.id) else {
            // prepare found it; the catalog does not change.
            let r = Rejection::of(&sub, Reason::UnknownExercise, "the exercise went away");
            return rejected(&r, started);
        };
        let result = grade_with(&self.sandbox, loaded, &sub, at, Some(captures));
        graded(sub, &result, started)
    }

    /// Grades a stored submission again with its exercise's current
    /// checker: a regrade. Nothing is probed: `captures` are the responses
    /// its earlier grading recorded (its result's `responses`), replayed,
    /// so a regrade never needs the student's server. The grading time is
    /// the submission's, as before, so only a change of the exercise can
    /// change the result. The exercise version the submission asked for is
    /// not checked: a regrade is the move to the current one.
    ///
    /// Errors say why the submission cannot be regraded (no such exercise
    /// here, or an exercise with probes whose earlier grading kept no
    /// responses, because its target was refused).
    pub fn regrade(
        &self,
        sub: &SubmissionMessage,
        captures: Option<&[Capture]>,
    ) -> Result<GradeResult, String> {
        let loaded = self
            .catalog
            .get(&sub.exercise.id)
            .ok_or_else(|| format!("no exercise `{}` is loaded", sub.exercise.id))?;
        let exercise = &loaded.exercise;
        let at =
            parse_rfc3339(&sub.submitted_at).map_err(|e| format!("the submission's time: {e}"))?;
        if let Some(message) = origin_mismatch(exercise, sub) {
            return Ok(
                GradeResult::new(exercise, &loaded.checker.sha256, &sub.learner, at)
                    .invalid(message),
            );
        }
        let artifacts = &sub.artifacts;
        let probed = artifacts.target.is_some()
            && !exercise.def.probes.is_empty()
            && artifacts.responses.is_empty();
        let captures = match (probed, captures) {
            (true, None) => {
                return Err(
                    "its first grading sent no probes (the target was refused), so there \
                     are no responses to grade again; the learner must submit again"
                        .into(),
                );
            }
            (true, Some(c)) => Some(c),
            (false, _) => artifacts.target.map(|_| &[][..]),
        };
        Ok(grade_with(&self.sandbox, loaded, sub, at, captures))
    }

    #[allow(clippy::result_large_err)] // see grader_core::message
    fn judge(&self, input: &Input<'_>) -> Result<Judged, Rejection> {
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
        let refused = |message: String| {
            GradeResult::new(exercise, &loaded.checker.sha256, &sub.learner, at).invalid(message)
        };
        if let Some(message) = origin_mismatch(exercise, &sub) {
            let result = refused(message);
            return Ok(Judged::Graded(sub, result));
        }
        let artifacts = &sub.artifacts;
        // Without probes to send, grading judges the rest (including a
        // target given to an exercise without probes, or given together
        // with handed-in responses).
        let Some(target) = artifacts
            .target
            .filter(|_| !exercise.def.probes.is_empty() && artifacts.responses.is_empty())
        else {
            let captures: Option<&[Capture]> = artifacts.target.map(|_| &[][..]);
            let result = grade_with(&self.sandbox, loaded, &sub, at, captures);
            return Ok(Judged::Graded(sub, result));
        };
        let addr = match self.allowlist.check(&target) {
            Ok(a) => a,
            Err(message) => {
                let mut result = refused(message);
                result.target = Some(target.to_string());
                return Ok(Judged::Graded(sub, result));
            }
        };
        let queries = match exercise.queries(&sub.learner) {
            Ok(q) => q,
            // grade() says why, as an internal error.
            Err(_) => {
                let result = grade_with(&self.sandbox, loaded, &sub, at, Some(&[]));
                return Ok(Judged::Graded(sub, result));
            }
        };
        Ok(Judged::Probe(Box::new(Pending {
            sub,
            at,
            queries,
            target: addr,
            settings: crate::probe::Settings::of(&exercise.def.limits),
            started: Instant::now(),
        })))
    }
}

/// Grades a parsed submission with its exercise's checker.
fn grade_with(
    sandbox: &Sandbox,
    loaded: &grader_core::catalog::Loaded,
    sub: &SubmissionMessage,
    at: i64,
    captures: Option<&[Capture]>,
) -> GradeResult {
    let extra_zones: Vec<(String, Vec<u8>)> = sub
        .artifacts
        .extra_zones
        .iter()
        .map(|(name, z)| (name.clone(), z.text.as_bytes().to_vec()))
        .collect();
    let submission = Submission {
        zone: sub.artifacts.zone.as_ref().map(|z| z.text.as_bytes()),
        ds: sub.artifacts.ds.as_ref().map(|d| d.text.as_bytes()),
        learner: &sub.learner,
        at,
        extra_zones: &extra_zones,
        target: sub.artifacts.target,
        captures,
        handed_in: &sub.artifacts.responses,
    };
    grade::grade(sandbox, &loaded.exercise, &loaded.checker, &submission)
}

/// The disposition of a graded (or ungradable) submission.
fn graded(sub: SubmissionMessage, result: &GradeResult, started: Instant) -> Disposition {
    let body = ResultMessage::new(&sub, result).to_json();
    Disposition {
        outcome: result.outcome.as_str(),
        score: result.score.as_ref().map(|s| (s.given, s.maximum)),
        result: Some(ResultOut {
            routing_key: message::routing_key(sub.course.as_deref(), &sub.exercise.id),
            body,
        }),
        submission_id: Some(sub.submission_id),
        dead: None,
        elapsed: started.elapsed(),
    }
}

/// The disposition of a message that cannot be graded.
fn rejected(rejection: &Rejection, started: Instant) -> Disposition {
    let result = RejectedMessage::new(rejection).map(|m| ResultOut {
        routing_key: m.routing_key(),
        body: m.to_json(),
    });
    Disposition {
        submission_id: rejection.submission_id.clone(),
        outcome: "rejected",
        score: None,
        result,
        dead: Some((rejection.reason, rejection.detail.clone())),
        elapsed: started.elapsed(),
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
    if let Some(origin) = sub.artifacts.zone.as_ref().and_then(|z| z.origin.as_ref())
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
