//! Grading a submission: zone → checker input → sandboxed checker →
//! statuses → points from the rubric → a [`GradeResult`].
//!
//! Outcomes keep faults apart:
//! - `graded`: the checker judged every rubric check; a score is computed.
//! - `invalid_submission`: the submission cannot be graded as handed in (no
//!   zone, a zone for another origin, a required DS missing). Not a zero: the
//!   message says what to fix.
//! - `checker_error`: the checker trapped, ran out of fuel or memory, or
//!   returned results that do not fit the rubric. No score; the instructor is
//!   told. A checker fault never becomes a student's zero.
//! - `internal_error`: the grader itself failed.
//!
//! Everything in a result except `timing` is a function of the submission,
//! the exercise version and the grading time: the same inputs give the same
//! bytes.

use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

use hickory_proto::rr::Name;
use serde::Serialize;

use crate::dnssec::{self, Denial, Security};
use crate::exercise::{Exercise, Presence, Visibility};
use crate::probe::{self, Capture, CaptureOutcome, Query, Target};
use crate::sandbox::{LoadedChecker, Sandbox, wit};
use crate::zone::{self, Code, Options, Severity, class_name, rdata_wire, type_name};

/// What a student handed in.
#[derive(Clone, Debug, Default)]
pub struct Submission<'a> {
    /// The zone file text (`None` when none was handed in).
    pub zone: Option<&'a [u8]>,
    /// The DS records, in zone-file syntax, if any.
    pub ds: Option<&'a [u8]>,
    /// The learner's opaque id (fills `{learner}` in the origin template).
    pub learner: &'a str,
    /// The grading time, seconds since 1970 (the DNSSEC validation time).
    pub at: i64,
    /// Further zones, by the names the exercise gives them
    /// (`[[inputs.extra_zones]]`).
    pub extra_zones: &'a [(String, Vec<u8>)],
    /// The server the responses were probed from, if the submission named
    /// one.
    pub target: Option<Target>,
    /// The responses to the exercise's probes, matched to them by probe id
    /// (a probe without one is `missing`; captures of probes the exercise
    /// no longer has are ignored): probed live by the worker, replayed from
    /// an earlier result, or read from what the student handed in
    /// ([`probe::handed_in`]). `None` when the submission named no target.
    pub captures: Option<&'a [Capture]>,
    /// Responses the student handed in instead of a target (read here with
    /// [`probe::handed_in`]; what cannot be read makes the submission
    /// invalid).
    pub handed_in: &'a [probe::HandedIn],
}

/// How a grading ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A score was computed.
    Graded,
    /// The submission cannot be graded as handed in; not a zero.
    InvalidSubmission,
    /// The checker failed; no score; flagged for the instructor.
    CheckerError,
    /// The grader failed.
    InternalError,
}

impl Outcome {
    /// The name results and metrics use (`invalid_submission`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Graded => "graded",
            Outcome::InvalidSubmission => "invalid_submission",
            Outcome::CheckerError => "checker_error",
            Outcome::InternalError => "internal_error",
        }
    }
}

/// The status of one rubric check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// All points.
    Passed,
    /// No points.
    Failed,
    /// Some points.
    Partial,
    /// Not judged; no points.
    Skipped,
}

impl Status {
    /// The name results use (`passed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Partial => "partial",
            Status::Skipped => "skipped",
        }
    }
}

/// One rubric check in a result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckOutcome {
    /// The rubric id.
    pub id: String,
    /// The rubric title.
    pub title: String,
    /// Who may see it.
    pub visibility: Visibility,
    /// The checker's verdict.
    pub status: Status,
    /// Points given (the rubric's points times the status's fraction), not
    /// rounded; the score's `given` is their sum, rounded to 0.01.
    pub points: f64,
    /// The rubric's points for this check.
    pub max_points: u32,
    /// Feedback for the student.
    pub feedback: String,
    /// Zone-file lines the feedback is about.
    pub lines: Vec<u32>,
}

/// The score of a graded submission.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// Points given, rounded to 0.01.
    pub given: f64,
    /// Points possible.
    pub maximum: u64,
}

/// Which exercise graded it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExerciseRef {
    /// Exercise id.
    pub id: String,
    /// Exercise version.
    pub version: String,
}

/// Measurements that are *not* deterministic, kept apart from the rest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timing {
    /// Wall time of the checker run, in microseconds.
    pub checker_us: u64,
}

/// The result of grading one submission (`schemas/grade-result.schema.json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradeResult {
    /// How grading ended.
    pub outcome: Outcome,
    /// The exercise and its version.
    pub exercise: ExerciseRef,
    /// SHA-256 of the checker component.
    pub checker_sha256: String,
    /// The learner.
    pub learner: String,
    /// The grading time, RFC 3339 UTC.
    pub graded_at: String,
    /// The score, when graded.
    pub score: Option<Score>,
    /// Every rubric check, in rubric order, when graded.
    pub checks: Vec<CheckOutcome>,
    /// What to fix (invalid submission) or what failed (errors).
    pub message: Option<String>,
    /// Fuel the checker used (deterministic).
    pub fuel_used: u64,
    /// The server probed, for an exercise with probes (`127.0.0.12:5301`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The responses the checker judged, one per probe of the exercise,
    /// in wire form: `grader grade --responses` grades them again offline,
    /// to the same bytes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Capture>,
    /// Wall-clock measurements (not deterministic).
    pub timing: Timing,
}

impl GradeResult {
    /// A result with no score yet: outcome `graded`, no checks.
    pub fn new(exercise: &Exercise, checker_sha256: &str, learner: &str, at: i64) -> GradeResult {
        GradeResult {
            outcome: Outcome::Graded,
            exercise: ExerciseRef {
                id: exercise.def.id.clone(),
                version: exercise.def.version.clone(),
            },
            checker_sha256: checker_sha256.to_string(),
            learner: learner.to_string(),
            graded_at: rfc3339(at),
            score: None,
            checks: Vec::new(),
            message: None,
            fuel_used: 0,
            target: None,
            responses: Vec::new(),
            timing: Timing { checker_us: 0 },
        }
    }

    /// A submission that cannot be graded as handed in, with what to fix.
    pub fn invalid(mut self, message: String) -> GradeResult {
        self.outcome = Outcome::InvalidSubmission;
        self.message = Some(message);
        self
    }
}

/// The grading times a result can carry: 1970-01-01 to 9999-12-31 (UTC).
pub const GRADING_TIMES: std::ops::RangeInclusive<i64> = 0..=253_402_300_799;

/// RFC 3339 (UTC, seconds) of a Unix time in [`GRADING_TIMES`]; other times
/// are written as `@SECONDS`.
pub fn rfc3339(at: i64) -> String {
    if !GRADING_TIMES.contains(&at) {
        return format!("@{at}");
    }
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(at as u64)).to_string()
}

/// Parses an RFC 3339 time (`2026-11-29T10:00:00Z`, `2026-11-29T11:00:00+01:00`;
/// fractions of a second are dropped) into seconds since 1970.
pub fn parse_rfc3339(text: &str) -> Result<i64, String> {
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| {
            format!("`{text}` is not an RFC 3339 time such as 2026-11-29T10:00:00Z: {e}")
        })?;
    let secs = t.unix_timestamp();
    if secs < 0 {
        return Err(format!("`{text}` is before 1970"));
    }
    Ok(secs)
}

/// The checker-facing form of a zone read with origin `origin`, with its
/// DNSSEC validation.
pub fn checker_zone(origin: &str, z: &zone::Zone, report: &dnssec::Report) -> wit::Zone {
    wit::Zone {
        origin: origin.to_string(),
        records: checker_records(&z.records),
        diagnostics: z.diagnostics.iter().map(checker_diagnostic).collect(),
        dnssec: checker_dnssec(report),
    }
}

/// Validates `z` (apex `origin`) at `at` against the DS records `ds`, and
/// returns its checker-facing form.
pub fn checker_zone_at(
    origin: &str,
    z: &zone::Zone,
    at: i64,
    ds: &[zone::ZoneRecord],
) -> wit::Zone {
    let report = match Name::from_ascii(origin) {
        Ok(apex) => dnssec::validate(
            &apex,
            &z.records,
            &dnssec::Options {
                ds: ds.to_vec(),
                ..dnssec::Options::at(at)
            },
        ),
        Err(_) => dnssec::validate(&Name::root(), &[], &dnssec::Options::at(at)),
    };
    checker_zone(origin, z, &report)
}

fn checker_records(records: &[zone::ZoneRecord]) -> Vec<wit::ZoneRecord> {
    records
        .iter()
        .map(|r| {
            let code = u16::from(r.record.record_type());
            let rdata =
                rdata_wire(&r.record.data).map_or_else(String::new, |w| zone::rdata_text(code, &w));
            wit::ZoneRecord {
                owner: zone::Shown(&r.record.name).to_string(),
                rtype: type_name(code),
                rtype_code: code,
                class: class_name(u16::from(r.record.dns_class)),
                ttl: r.record.ttl,
                rdata,
                line: r.line,
            }
        })
        .collect()
}

fn checker_diagnostic(d: &zone::Diagnostic) -> wit::Diagnostic {
    wit::Diagnostic {
        code: d.code.as_str().to_string(),
        severity: match d.severity {
            Severity::Error => wit::Severity::Error,
            Severity::Warning => wit::Severity::Warning,
        },
        line: d.line,
        column: d.column,
        message: d.message.clone(),
    }
}

/// The checker-facing form of a DNSSEC report.
fn checker_dnssec(r: &dnssec::Report) -> wit::DnssecReport {
    wit::DnssecReport {
        signed: r.signed,
        valid: r.is_valid(),
        keys: r
            .keys
            .iter()
            .map(|k| wit::Dnskey {
                key_tag: k.key_tag,
                algorithm: k.algorithm,
                key_flags: k.flags,
                sep: k.sep,
                revoked: k.revoked,
                signs_keys: k.signs_keys,
                signs_data: k.signs_data,
                line: k.line,
            })
            .collect(),
        denial: match &r.denial {
            Denial::None => wit::Denial::None,
            Denial::Nsec => wit::Denial::Nsec,
            Denial::Nsec3(p) => wit::Denial::Nsec3(wit::Nsec3Params {
                hash_algorithm: p.hash_algorithm,
                iterations: p.iterations,
                salt: p.salt.clone(),
                opt_out: p.opt_out,
            }),
        },
        rrsets: r
            .rrsets
            .iter()
            .map(|s| wit::RrsetStatus {
                owner: zone::Shown(&s.owner).to_string(),
                rtype: type_name(u16::from(s.rtype)),
                rtype_code: u16::from(s.rtype),
                security: match s.security {
                    Security::Secure => wit::Security::Secure,
                    Security::Bogus => wit::Security::Bogus,
                    Security::Unsigned => wit::Security::Unsigned,
                },
                reason: s.reason.as_ref().map(checker_diagnostic),
                line: s.line,
                signed_by: s.signed_by.clone(),
                expires: s.expires,
            })
            .collect(),
        diagnostics: r.diagnostics.iter().map(checker_diagnostic).collect(),
        ds: r
            .ds
            .iter()
            .map(|d| wit::DsStatus {
                line: d.line,
                key_tag: d.key_tag,
                algorithm: d.algorithm,
                digest_type: d.digest_type,
                matches: d.matches,
                matches_sep: d.matches_sep,
            })
            .collect(),
    }
}

/// Grades one submission with a loaded checker.
pub fn grade(
    sandbox: &Sandbox,
    exercise: &Exercise,
    checker: &LoadedChecker,
    sub: &Submission<'_>,
) -> GradeResult {
    let mut result = GradeResult::new(exercise, &checker.sha256, sub.learner, sub.at);
    result.target = sub.target.map(|t| t.to_string());
    let invalid = |r: GradeResult, message: String| r.invalid(message);
    // Problems of the platform's input, not of the student's work.
    let internal = |mut r: GradeResult, message: String| {
        r.outcome = Outcome::InternalError;
        r.message = Some(message);
        r
    };
    if !GRADING_TIMES.contains(&sub.at) {
        return internal(
            result,
            format!("the grading time {} is outside 1970 to 9999", sub.at),
        );
    }
    if exercise.uses_learner() && !crate::exercise::is_label(sub.learner) {
        return internal(
            result,
            format!(
                "the learner id `{}` cannot stand in a zone name: it must be 1 to 63 letters, digits or inner hyphens",
                sub.learner.escape_debug()
            ),
        );
    }
    let max_records = exercise.def.limits.max_zone_records as usize;
    let origin_text = exercise.origin_for(sub.learner);
    let queries = match exercise.queries(sub.learner) {
        Ok(q) => q,
        Err(message) => return internal(result, format!("the exercise's probes: {message}")),
    };
    let gave_responses = sub.captures.is_some() || !sub.handed_in.is_empty();
    if queries.is_empty() && gave_responses {
        return invalid(
            result,
            "this exercise asks no DNS queries: hand in what it asks for only, without a \
             server to probe or DNS responses"
                .into(),
        );
    }
    if !queries.is_empty() {
        result.responses = match (sub.captures, sub.handed_in) {
            (None, []) => {
                return invalid(
                    result,
                    "this exercise asks your DNS server: give its address and port (`target`), \
                     or hand in the responses to its queries"
                        .into(),
                );
            }
            (Some(captures), []) => ordered_captures(&queries, captures),
            (None, handed_in) => match probe::handed_in(&queries, handed_in) {
                Ok(c) => c,
                Err(message) => return invalid(result, message),
            },
            (Some(_), _) => {
                return invalid(
                    result,
                    "the submission names a server to probe and also hands in responses: \
                     give one of them"
                        .into(),
                );
            }
        };
    }
    let zone_read = match (sub.zone, exercise.def.inputs.zone.presence) {
        (None, Presence::Required) => {
            return invalid(
                result,
                "the submission has no zone file: hand in the text of your zone".into(),
            );
        }
        (Some(_), Presence::None) => {
            return invalid(
                result,
                "this exercise takes no zone file: hand in what the exercise asks only".into(),
            );
        }
        (None, _) => None,
        (Some(text), _) => match read_zone(text, &origin_text, sub.learner, max_records) {
            Ok(read) => Some(read),
            Err(message) => return invalid(result, message),
        },
    };
    let options = zone_read.as_ref().map_or_else(
        || Options {
            origin: Name::from_ascii(&origin_text).ok(),
            ..Options::default()
        },
        |(o, _)| o.clone(),
    );
    let mut extra_zones = Vec::with_capacity(exercise.def.inputs.extra_zones.len());
    for (name, _) in sub.extra_zones {
        if !exercise
            .def
            .inputs
            .extra_zones
            .iter()
            .any(|e| e.name == *name)
        {
            return invalid(
                result,
                format!("this exercise takes no zone named `{name}`"),
            );
        }
    }
    for extra in &exercise.def.inputs.extra_zones {
        let origin = extra.origin_for(sub.learner);
        match sub.extra_zones.iter().find(|(name, _)| *name == extra.name) {
            None if extra.required => {
                return invalid(
                    result,
                    format!(
                        "this exercise also needs your zone `{origin}` (`{}`) with the submission",
                        extra.name
                    ),
                );
            }
            None => {}
            Some((_, text)) => match read_zone(text, &origin, sub.learner, max_records) {
                Ok((_, zone)) => extra_zones.push(wit::NamedZone {
                    name: extra.name.clone(),
                    zone: checker_zone_at(&origin, &zone, sub.at, &[]),
                }),
                Err(message) => {
                    return invalid(result, format!("zone `{}`: {message}", extra.name));
                }
            },
        }
    }
    let ds = match (sub.ds, exercise.def.inputs.ds) {
        (None, Presence::Required) => {
            return invalid(
                result,
                "this exercise needs the DS records of your zone with the submission".into(),
            );
        }
        (Some(_), Presence::None) => {
            return invalid(
                result,
                "this exercise takes no DS records: hand in the zone only".into(),
            );
        }
        (None, _) => Vec::new(),
        (Some(text), _) => match read_ds(text, &options) {
            Ok(ds) => ds.records,
            Err(message) => return invalid(result, message),
        },
    };
    let zone = match &zone_read {
        Some((_, z)) => checker_zone_at(&origin_text, z, sub.at, &ds),
        None => checker_zone_at(
            ".",
            &zone::Zone {
                origin: None,
                records: Vec::new(),
                diagnostics: Vec::new(),
                error_count: 0,
            },
            sub.at,
            &[],
        ),
    };
    let input = wit::Submission {
        exercise_id: exercise.def.id.clone(),
        exercise_version: exercise.def.version.clone(),
        learner: sub.learner.to_string(),
        grading_time: sub.at,
        params: exercise.params_json(),
        zone,
        ds: checker_records(&ds),
        extra_zones,
        target: result.target.clone(),
        responses: queries
            .iter()
            .zip(&result.responses)
            .map(|(q, c)| checker_response(q, c))
            .collect(),
    };
    let run = sandbox.run(checker, &input, exercise.def.limits.run_limits());
    result.fuel_used = run.fuel_used;
    result.timing.checker_us = run.duration.as_micros() as u64;
    let results = match run.outcome {
        Ok(r) => r,
        Err(fault) => {
            result.outcome = Outcome::CheckerError;
            result.message = Some(fault.to_string());
            return result;
        }
    };
    match score(exercise, results) {
        Ok((checks, given)) => {
            result.score = Some(Score {
                given,
                maximum: exercise.max_points(),
            });
            result.checks = checks;
        }
        Err(message) => {
            result.outcome = Outcome::CheckerError;
            result.message = Some(message);
        }
    }
    result
}

/// One capture per query, in query order, matched by probe id: a query
/// without a capture is `missing`.
fn ordered_captures(queries: &[Query], captures: &[Capture]) -> Vec<Capture> {
    queries
        .iter()
        .map(|q| {
            captures
                .iter()
                .find(|c| c.probe == q.id)
                .cloned()
                .unwrap_or_else(|| {
                    Capture::unanswered(q, probe::Source::HandedIn, CaptureOutcome::Missing)
                })
        })
        .collect()
}

/// The checker-facing form of a probe and what came of it.
pub fn checker_response(q: &Query, c: &Capture) -> wit::Response {
    let transport = |t: crate::response::Transport| match t {
        crate::response::Transport::Udp => wit::Transport::Udp,
        crate::response::Transport::Tcp => wit::Transport::Tcp,
    };
    let outcome = match c.outcome {
        CaptureOutcome::Answered => match c.decoded() {
            Some(Ok((m, size))) => wit::Outcome::Answered(checker_message(&m, size)),
            Some(Err(why)) => wit::Outcome::Malformed(why),
            None => wit::Outcome::Malformed("the capture holds no response".into()),
        },
        CaptureOutcome::Timeout => wit::Outcome::Timeout,
        CaptureOutcome::ConnectionRefused => wit::Outcome::ConnectionRefused,
        CaptureOutcome::NetworkError => {
            wit::Outcome::NetworkError(c.detail.clone().unwrap_or_default())
        }
        CaptureOutcome::Missing => wit::Outcome::Missing,
    };
    let code = u16::from(q.rtype);
    wit::Response {
        query: wit::Query {
            id: q.id.clone(),
            name: zone::Shown(&q.name).to_string(),
            rtype: type_name(code),
            rtype_code: code,
            recursion_desired: q.recursion_desired,
            checking_disabled: q.checking_disabled,
            authentic_data: q.authentic_data,
            dnssec_ok: q.dnssec_ok,
            edns_size: q.edns_size,
            transport: transport(q.transport),
        },
        outcome,
        source: match c.source {
            probe::Source::Probed => wit::Source::Probed,
            probe::Source::HandedIn => wit::Source::HandedIn,
        },
        timing: c.timing.map(|t| match t {
            probe::TimingClass::Fast => wit::TimingClass::Fast,
            probe::TimingClass::Normal => wit::TimingClass::Normal,
            probe::TimingClass::Slow => wit::TimingClass::Slow,
        }),
    }
}

/// The checker-facing form of a DNS message of `size` bytes.
fn checker_message(m: &hickory_proto::op::Message, size: usize) -> wit::Message {
    let rr = |r: &hickory_proto::rr::Record| {
        let code = u16::from(r.record_type());
        wit::Rr {
            owner: zone::Shown(&r.name).to_string(),
            rtype: type_name(code),
            rtype_code: code,
            class: class_name(u16::from(r.dns_class)),
            ttl: r.ttl,
            rdata: rdata_wire(&r.data).map_or_else(String::new, |w| zone::rdata_text(code, &w)),
        }
    };
    let h = &m.metadata;
    let rcode = u16::from(h.response_code);
    wit::Message {
        id: h.id,
        opcode: u8::from(h.op_code),
        rcode,
        rcode_name: crate::response::rcode_name(rcode),
        header: wit::HeaderFlags {
            authoritative: h.authoritative,
            truncated: h.truncation,
            recursion_desired: h.recursion_desired,
            recursion_available: h.recursion_available,
            authentic_data: h.authentic_data,
            checking_disabled: h.checking_disabled,
        },
        question: m
            .queries
            .iter()
            .map(|q| {
                let code = u16::from(q.query_type());
                wit::Question {
                    name: zone::Shown(q.name()).to_string(),
                    rtype: type_name(code),
                    rtype_code: code,
                    class: class_name(u16::from(q.query_class())),
                }
            })
            .collect(),
        answer: m.answers.iter().map(rr).collect(),
        authority: m.authorities.iter().map(rr).collect(),
        additional: m.additionals.iter().map(rr).collect(),
        edns: m.edns.as_ref().map(|e| wit::Edns {
            version: e.version(),
            udp_size: e.max_payload(),
            dnssec_ok: e.flags().dnssec_ok,
            options: e
                .options()
                .as_ref()
                .iter()
                .map(|(code, opt)| wit::EdnsOption {
                    code: u16::from(*code),
                    data: Vec::<u8>::try_from(opt).unwrap_or_default(),
                })
                .collect(),
        }),
        size: u32::try_from(size).unwrap_or(u32::MAX),
    }
}

/// Reads a submitted zone for `origin_text`: refuses (with what to fix) an
/// empty one, one too large for the exercise, and one written for another
/// origin. Returns the options it was read with and the zone.
fn read_zone(
    text: &[u8],
    origin_text: &str,
    learner: &str,
    max_records: usize,
) -> Result<(Options, zone::Zone), String> {
    let origin = Name::from_ascii(origin_text).map_err(|e| {
        format!("the learner id `{learner}` does not make a valid zone name `{origin_text}`: {e}")
    })?;
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err("the submission has no zone file: hand in the text of your zone".into());
    }
    let mut options = Options {
        origin: Some(origin.clone()),
        ..Options::default()
    };
    // One record more than allowed is enough to tell the zone is too large.
    options.limits.max_records = max_records + 1;
    let z = zone::check(text, &options);
    if let Some(d) = z.diagnostics.iter().find(|d| d.code == Code::InputTooLarge) {
        return Err(d.message.clone());
    }
    if z.records.len() > max_records {
        return Err(format!(
            "the zone has more than {max_records} records, more than this exercise accepts: hand in the zone of the lab only"
        ));
    }
    // A zone written for another origin: its SOA stands elsewhere.
    let is_soa = |r: &&zone::ZoneRecord| u16::from(r.record.record_type()) == 6;
    let soa_here = z
        .records
        .iter()
        .filter(is_soa)
        .any(|r| r.record.name == origin);
    if let Some(other) = z
        .records
        .iter()
        .filter(is_soa)
        .map(|r| &r.record.name)
        .find(|n| **n != origin)
        && !soa_here
    {
        return Err(format!(
            "this zone is for `{}`, but the exercise expects your zone `{origin_text}`: set $ORIGIN and the SOA owner to it",
            zone::Shown(other)
        ));
    }
    Ok((options, z))
}

/// Reads the DS records handed in with a zone, as `dnssec-dsfromkey` prints
/// them (no TTL needed). Anything but DS records is refused.
pub fn read_ds(text: &[u8], options: &Options) -> Result<zone::Zone, String> {
    // A default TTL on a line of its own before the text; line numbers are
    // shifted back so they point into the DS file.
    let mut with_ttl = b"$TTL 3600\n".to_vec();
    with_ttl.extend_from_slice(text);
    let mut d = zone::read(&with_ttl, options);
    for r in &mut d.records {
        r.line -= 1;
    }
    if let Some(e) = d.errors().next() {
        return Err(format!(
            "the DS records cannot be read: line {}: {}",
            e.line.saturating_sub(1),
            e.message
        ));
    }
    if let Some(r) = d
        .records
        .iter()
        .find(|r| u16::from(r.record.record_type()) != 43)
    {
        return Err(format!(
            "the DS file may hold only DS records, but line {} is a {} record",
            r.line,
            type_name(u16::from(r.record.record_type()))
        ));
    }
    Ok(d)
}

/// Turns the checker's statuses into points, rubric order. Any mismatch with
/// the rubric is the checker's error.
fn score(
    exercise: &Exercise,
    results: Vec<wit::CheckResult>,
) -> Result<(Vec<CheckOutcome>, f64), String> {
    let mut by_id: BTreeMap<String, wit::CheckResult> = BTreeMap::new();
    for r in results {
        if exercise.item(&r.id).is_none() {
            return Err(format!(
                "the checker reported `{}`, which is not a check of the rubric",
                r.id
            ));
        }
        if by_id.contains_key(&r.id) {
            return Err(format!("the checker reported `{}` twice", r.id));
        }
        by_id.insert(r.id.clone(), r);
    }
    let mut checks = Vec::with_capacity(exercise.def.rubric.len());
    let mut total = 0.0;
    for item in &exercise.def.rubric {
        let Some(r) = by_id.remove(&item.id) else {
            return Err(format!(
                "the checker did not report the rubric check `{}`",
                item.id
            ));
        };
        let max = f64::from(item.points);
        let (status, points) = match r.status {
            wit::Status::Passed => (Status::Passed, max),
            wit::Status::Failed => (Status::Failed, 0.0),
            wit::Status::Skipped => (Status::Skipped, 0.0),
            wit::Status::Partial(f) if f.denominator > 0 && f.numerator == 0 => {
                (Status::Failed, 0.0)
            }
            wit::Status::Partial(f) if f.denominator > 0 && f.numerator == f.denominator => {
                (Status::Passed, max)
            }
            wit::Status::Partial(f) => {
                if f.denominator == 0 || f.numerator > f.denominator {
                    return Err(format!(
                        "the checker gave `{}` the fraction {}/{}, which is not between 0 and 1",
                        item.id, f.numerator, f.denominator
                    ));
                }
                (
                    Status::Partial,
                    max * f64::from(f.numerator) / f64::from(f.denominator),
                )
            }
        };
        total += points;
        checks.push(CheckOutcome {
            id: item.id.clone(),
            title: item.title.clone(),
            visibility: item.visibility,
            status,
            points,
            max_points: item.points,
            feedback: r.feedback,
            lines: r.lines,
        });
    }
    Ok((checks, round2(total)))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise() -> Exercise {
        let def = toml::from_str(
            r#"id = "t"
version = "1.0.0"
title = "T"
statement = "s.md"
[inputs.zone]
origin = "x."
[checker]
source = "c"
[[rubric]]
id = "a"
title = "A"
points = 3
[[rubric]]
id = "b"
title = "B"
points = 2
visibility = "hidden"
"#,
        )
        .expect("a definition");
        Exercise {
            dir: ".".into(),
            def,
            statement: String::new(),
        }
    }

    fn result(id: &str, status: wit::Status) -> wit::CheckResult {
        wit::CheckResult {
            id: id.into(),
            status,
            feedback: format!("about {id}"),
            lines: vec![3],
        }
    }

    fn fraction(numerator: u32, denominator: u32) -> wit::Status {
        wit::Status::Partial(wit::Fraction {
            numerator,
            denominator,
        })
    }

    #[test]
    fn points_come_from_the_rubric_in_rubric_order() {
        let (checks, total) = score(
            &exercise(),
            vec![
                result("b", fraction(1, 2)),
                result("a", wit::Status::Passed),
            ],
        )
        .expect("scored");
        assert_eq!(total, 4.0);
        assert_eq!(
            checks.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(
            (checks[1].status, checks[1].points, checks[1].max_points),
            (Status::Partial, 1.0, 2)
        );
        assert_eq!(checks[1].visibility, Visibility::Hidden);
        assert_eq!(checks[0].lines, [3]);
        let (_, total) = score(
            &exercise(),
            vec![
                result("a", fraction(1, 3)),
                result("b", wit::Status::Skipped),
            ],
        )
        .expect("scored");
        assert_eq!(total, 1.0);
        // All or nothing of a fraction is a pass or a fail.
        let (checks, total) = score(
            &exercise(),
            vec![result("a", fraction(2, 2)), result("b", fraction(0, 5))],
        )
        .expect("scored");
        assert_eq!(
            (checks[0].status, checks[1].status, total),
            (Status::Passed, Status::Failed, 3.0)
        );
    }

    #[test]
    fn results_that_do_not_fit_the_rubric_are_the_checkers_error() {
        let e = exercise();
        let err = |results| score(&e, results).expect_err("a checker error");
        assert!(
            err(vec![result("a", wit::Status::Passed)])
                .contains("did not report the rubric check `b`")
        );
        assert!(
            err(vec![
                result("a", wit::Status::Passed),
                result("a", wit::Status::Failed),
                result("b", wit::Status::Passed)
            ])
            .contains("twice")
        );
        assert!(
            err(vec![
                result("a", wit::Status::Passed),
                result("b", wit::Status::Passed),
                result("c", wit::Status::Passed)
            ])
            .contains("not a check")
        );
        assert!(
            err(vec![
                result("a", fraction(3, 2)),
                result("b", wit::Status::Passed)
            ])
            .contains("not between 0 and 1")
        );
        assert!(
            err(vec![
                result("a", fraction(0, 0)),
                result("b", wit::Status::Passed)
            ])
            .contains("not between 0 and 1")
        );
    }
}
