//! `grader submit`: hands a submission to the grader service through
//! RabbitMQ, as an LMS integration does (`grader_worker::client`), and
//! with `--wait` prints its result.
//!
//! Exit status: 0 published (without `--wait`) or graded, 1 a result that
//! is not a grade (`invalid_submission`, `checker_error`,
//! `internal_error`, `rejected`), 2 usage, file or broker problems, 3 no
//! result within `--timeout`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use grader_core::exercise::is_id;
use grader_core::grade::{GRADING_TIMES, parse_rfc3339, rfc3339};
use grader_core::message::{
    Artifacts, ExerciseSelector, MAX_ID_BYTES, SubmissionMessage, TextArtifact, ZoneArtifact,
    valid_id_text,
};
use grader_worker::client::{Client, ClientError, Reply, ResultBody};
use grader_worker::config::redact;
use grader_worker::topology::{QueueType, SUBMISSIONS, Topology};

use crate::Format;
use crate::commands::{HandIn, fail, now};

/// The exit status of a submission waited for in vain.
const TIMED_OUT: u8 = 3;

/// Arguments of `grader submit`.
#[derive(clap::Args)]
pub struct SubmitArgs {
    /// The exercise id (as the worker loaded it).
    #[arg(long)]
    exercise: String,
    /// The exercise version the LMS expects (default: the worker's).
    #[arg(long)]
    exercise_version: Option<String>,
    #[command(flatten)]
    hand_in: HandIn,
    /// The course: the first word of the result's routing key.
    #[arg(long)]
    course: Option<String>,
    /// The submission id, the idempotency key (default: a new UUID).
    #[arg(long)]
    submission_id: Option<String>,
    /// When the learner handed it in, RFC 3339 (default: now); the grading
    /// time.
    #[arg(long, value_parser = parse_time)]
    submitted_at: Option<String>,
    /// The broker: `amqp://user:password@host:port/vhost` or `amqps://...`.
    #[arg(
        long,
        env = "AMQP_URL",
        default_value = grader_worker::config::DEFAULT_AMQP_URL,
        hide_env_values = true
    )]
    amqp_url: String,
    /// The submissions queue the workers consume.
    #[arg(long, default_value = SUBMISSIONS)]
    queue: String,
    /// Declare the grader's queues and exchanges first, as a worker does
    /// with its defaults (a quorum queue, delivery limit 5), so that the
    /// submission waits for the first worker.
    #[arg(long)]
    declare: bool,
    /// Wait for the result (through a reply queue) and print it.
    #[arg(long)]
    wait: bool,
    /// How long `--wait` waits (`90s`, `5m`).
    #[arg(long, default_value = "60s", value_parser = humantime::parse_duration)]
    timeout: Duration,
    /// Output format: json prints the result message as the worker sent it.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// An RFC 3339 time in the form the contract has: UTC, seconds, `Z`.
fn parse_time(s: &str) -> Result<String, String> {
    let at = parse_rfc3339(s)?;
    if !GRADING_TIMES.contains(&at) {
        return Err(format!("`{s}` is after 9999"));
    }
    Ok(rfc3339(at))
}

fn read_text(path: &PathBuf) -> Result<String, String> {
    let (_, bytes) =
        crate::read_input(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (byte {}): a submission is text",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The submission message the arguments describe.
fn message(args: &SubmitArgs) -> Result<SubmissionMessage, String> {
    if !is_id(&args.exercise) {
        return Err(format!(
            "`{}` is not an exercise id (lowercase letters, digits, hyphens)",
            args.exercise.escape_debug()
        ));
    }
    let submission_id = args
        .submission_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    for (what, value) in [
        ("--submission-id", Some(&submission_id)),
        ("--learner", Some(&args.hand_in.learner)),
        ("--course", args.course.as_ref()),
    ] {
        if let Some(v) = value
            && !valid_id_text(v)
        {
            return Err(format!(
                "{what} `{}`: 1 to {MAX_ID_BYTES} bytes without control characters",
                v.escape_debug()
            ));
        }
    }
    let zone = match &args.hand_in.zone {
        Some(path) => Some(ZoneArtifact {
            origin: None,
            text: read_text(path)?,
        }),
        None => None,
    };
    let ds = match &args.hand_in.ds {
        Some(p) => Some(TextArtifact {
            text: read_text(p)?,
        }),
        None => None,
    };
    let mut extra_zones = BTreeMap::new();
    for (name, path) in &args.hand_in.extra_zones {
        let zone = ZoneArtifact {
            origin: None,
            text: read_text(path)?,
        };
        if extra_zones.insert(name.clone(), zone).is_some() {
            return Err(format!("--extra-zone {name} is given twice"));
        }
    }
    Ok(SubmissionMessage {
        submission_id,
        exercise: ExerciseSelector {
            id: args.exercise.clone(),
            version: args.exercise_version.clone(),
        },
        learner: args.hand_in.learner.clone(),
        course: args.course.clone(),
        submitted_at: args.submitted_at.clone().unwrap_or_else(|| rfc3339(now())),
        artifacts: Artifacts {
            zone,
            ds,
            extra_zones,
            target: args.hand_in.target,
            responses: args.hand_in.responses()?,
        },
    })
}

/// `grader submit`.
pub fn submit(args: &SubmitArgs) -> ExitCode {
    let sub = match message(args) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    crate::commands::block_on(run(args, &sub))
}

async fn run(args: &SubmitArgs, sub: &SubmissionMessage) -> ExitCode {
    let client = match Client::connect(&args.amqp_url).await {
        Ok(c) => c.with_queue(args.queue.clone()),
        Err(e) => return fail(e),
    };
    let status = exchange(args, sub, &client).await;
    client.close().await;
    status
}

async fn exchange(args: &SubmitArgs, sub: &SubmissionMessage, client: &Client) -> ExitCode {
    if args.declare {
        let topology = Topology {
            queue: args.queue.clone(),
            queue_type: QueueType::Quorum,
            delivery_limit: 5,
        };
        if let Err(e) = client.declare(&topology).await {
            return fail(e);
        }
    }
    if !args.wait {
        return match client.publish(sub).await {
            Ok(()) => {
                let line = match args.format {
                    Format::Text => sub.submission_id.clone(),
                    Format::Json => serde_json::json!({
                        "submission_id": sub.submission_id,
                        "queue": args.queue,
                    })
                    .to_string(),
                };
                print(&line)
            }
            Err(e) => broker_failure(args, e),
        };
    }
    let reply = match client.submit_and_wait(sub, args.timeout).await {
        Ok(r) => r,
        Err(e) => return broker_failure(args, e),
    };
    show(args, &reply)
}

fn broker_failure(args: &SubmitArgs, e: ClientError) -> ExitCode {
    match e {
        ClientError::NoQueue { queue, .. } => fail(format!(
            "no queue `{queue}` on the broker at {}: start a grader-worker first (it declares \
             the queue), or pass --declare",
            redact(&args.amqp_url)
        )),
        e @ ClientError::Timeout { .. } => {
            eprintln!("grader: {e}");
            ExitCode::from(TIMED_OUT)
        }
        e => fail(e),
    }
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}")
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(format!("cannot write the result: {e}"));
    }
    ExitCode::SUCCESS
}

fn show(args: &SubmitArgs, reply: &Reply) -> ExitCode {
    let result = match reply.parse() {
        Ok(r) => r,
        Err(e) => {
            return fail(format!(
                "the result is not a result message ({e}): {}",
                clean(&String::from_utf8_lossy(&reply.body))
            ));
        }
    };
    let printed = match args.format {
        Format::Json => print(String::from_utf8_lossy(&reply.body).trim_end()),
        Format::Text => print(report(&result).trim_end()),
    };
    if printed != ExitCode::SUCCESS {
        printed
    } else if result.is_graded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Text from the broker, safe for a terminal: control characters
/// (escape sequences) become `�`.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' && c != '\n' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

fn fmt_points(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.2}")
    }
}

/// The readable report of a result message.
fn report(r: &ResultBody) -> String {
    let mut s = String::new();
    let exercise = r.exercise.as_ref().map_or(String::new(), |e| {
        format!(
            " {}{}",
            e.id,
            e.version
                .as_ref()
                .map_or(String::new(), |v| format!(" {v}"))
        )
    });
    let learner = r
        .learner
        .as_ref()
        .map_or(String::new(), |l| format!(", learner {l}"));
    let _ = writeln!(
        s,
        "{}:{exercise}{learner}",
        clean(&r.submission_id),
        exercise = clean(&exercise),
        learner = clean(&learner)
    );
    match r.outcome.as_str() {
        "graded" => {
            if let Some(score) = &r.score {
                let _ = writeln!(
                    s,
                    "graded: score {} / {}\n",
                    fmt_points(score.given),
                    fmt_points(score.maximum)
                );
            }
            for c in &r.checks {
                let mark = match c.status.as_str() {
                    "passed" => "✓",
                    "failed" => "✗",
                    "partial" => "~",
                    _ => "-",
                };
                let hidden = match c.visibility.as_deref() {
                    None | Some("visible") => "",
                    Some(_) => " (hidden from students)",
                };
                let _ = writeln!(
                    s,
                    "{mark} {} {} ({}/{}) {}{hidden}",
                    clean(&c.id),
                    clean(&c.status),
                    fmt_points(c.points),
                    fmt_points(c.max_points),
                    clean(&c.title)
                );
                for line in c.feedback.lines().filter(|l| !l.trim().is_empty()) {
                    let _ = writeln!(s, "    {}", clean(line));
                }
            }
        }
        "rejected" => {
            let _ = writeln!(
                s,
                "rejected ({}): {}",
                clean(r.reason.as_deref().unwrap_or("no reason given")),
                clean(r.message.as_deref().unwrap_or(""))
            );
        }
        "invalid_submission" => {
            let _ = writeln!(
                s,
                "not graded (invalid_submission): the submission cannot be graded as handed in"
            );
            let _ = writeln!(s, "{}", clean(r.message.as_deref().unwrap_or("")));
        }
        other => {
            let _ = writeln!(
                s,
                "not graded ({}): the grader failed on this submission (not the learner's fault)",
                clean(other)
            );
            let _ = writeln!(s, "{}", clean(r.message.as_deref().unwrap_or("")));
        }
    }
    s
}
