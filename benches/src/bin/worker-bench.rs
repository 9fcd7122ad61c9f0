//! `worker-bench`: the grader service under load, side by side with a
//! no-op consumer on the same broker. Run through `benches/worker.sh`,
//! which builds the binaries and gives each mode a vhost of its own.
//!
//! Modes (each on its own vhost, with the topology the worker declares):
//! - `grader-worker`: the worker binary as a process, grading real sample
//!   submissions: every `exercises/*/examples/NAME.zone` with its DS and
//!   extra zones, learner and time from `NAME.expect.toml`, in turn.
//! - `no-op loop`: what the AMQP path alone costs: consume (prefetch 64,
//!   one task per delivery) → publish a result-sized message to
//!   `grader.results` with a publisher confirm → ack, on two connections
//!   as the worker has.
//!
//! Phases of each mode:
//! - `pre-filled`: N submissions are queued, then the consumer starts;
//!   seconds from the first result to the last, msg/s = (N − 1) / seconds.
//! - `R/s steady`: with the consumer running, submissions are published at
//!   R per second; latency is from just before each publish to its result's
//!   arrival, msg/s = N / (last result − first publish).
//!
//! Results are read from a queue bound to `grader.results` with `#`. Every
//! submission id must come back: missing results, results for ids never
//! sent, results that differ from the sample's expected outcome and score,
//! and submissions left on the queue make the bench fail (exit 1);
//! duplicates (at-least-once redeliveries) are counted and shown.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use grader_core::exercise::Exercise;
use grader_core::message::{CONTENT_TYPE, RESULT_TYPE, SUBMISSION_TYPE, SubmissionMessage};
use grader_worker::client::ResultBody;
use grader_worker::topology::{DEAD, QueueType, RESULTS, SUBMISSIONS, Topology, UNROUTED};
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicNackOptions,
    BasicPublishOptions, BasicQosOptions, ConfirmSelectOptions, QueueBindOptions,
    QueuePurgeOptions,
};
use lapin::types::{FieldTable, ShortString};
use lapin::{
    BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, PublisherConfirm,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

/// The load benchmark of the grader service (see `benches/worker.sh`).
#[derive(Parser)]
#[command(name = "worker-bench")]
struct Args {
    /// The broker URL (with its own vhost) of the worker mode; without it
    /// the worker is not measured.
    #[arg(long)]
    worker_url: Option<String>,
    /// The broker URL (with its own vhost) of the no-op loop; without it
    /// the no-op loop is not measured.
    #[arg(long)]
    noop_url: Option<String>,
    /// The worker binary.
    #[arg(long, default_value = "target/release/grader-worker")]
    worker_bin: PathBuf,
    /// The exercises: the worker loads them, the samples come from them.
    #[arg(long, default_value = "exercises")]
    exercises: PathBuf,
    /// Only the samples of these exercises (ids, comma-separated); the
    /// worker still loads every exercise. Default: all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Submissions of the pre-filled phase.
    #[arg(short = 'n', long, default_value_t = 10_000)]
    messages: usize,
    /// Submissions of the steady phase (default: as many as pre-filled).
    #[arg(long)]
    steady_messages: Option<usize>,
    /// Submissions per second of the steady phase.
    #[arg(long, default_value_t = 1000)]
    rate: u32,
    /// Bytes of each no-op result (default: the worker's mean result size
    /// when the worker ran first, else 2048).
    #[arg(long)]
    result_bytes: Option<usize>,
    /// Prefetch of the no-op loop (the worker's is its own flag).
    #[arg(long, default_value_t = 64)]
    prefetch: u16,
    /// Give up waiting for results after this long without one.
    #[arg(long, default_value = "60s", value_parser = humantime::parse_duration)]
    stall: Duration,
    /// How long the worker may take to start (the first start builds the
    /// checkers).
    #[arg(long, default_value = "15m", value_parser = humantime::parse_duration)]
    startup_timeout: Duration,
    /// The broker's process id, to report its CPU time (RabbitMQ on this
    /// machine).
    #[arg(long)]
    broker_pid: Option<u32>,
    /// Where the worker's log goes.
    #[arg(long, default_value = "target/worker-bench")]
    log_dir: PathBuf,
    /// A further flag for the worker (`--worker-arg=--concurrency=2`;
    /// repeatable).
    #[arg(long = "worker-arg", allow_hyphen_values = true)]
    worker_args: Vec<String>,
}

/// A sample submission and what grading it gives.
struct Sample {
    /// `exercise/NAME`, for messages.
    name: String,
    message: SubmissionMessage,
    outcome: String,
    score: Option<f64>,
}

/// Every sample of every exercise under `dir`, in a fixed order.
fn load_samples(dir: &Path) -> Result<Vec<Sample>, String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("exercise.toml").is_file())
        .collect();
    dirs.sort();
    let mut samples = Vec::new();
    for d in dirs {
        let exercise = Exercise::load(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for sample in exercise.samples()? {
            let expect = sample.expectation()?;
            let what = format!("{}/{}", exercise.def.id, sample.name);
            let Some(mut message) = sample.message(&exercise)? else {
                eprintln!(
                    "{what}: left out (a probe of it went unanswered, which a message cannot carry)"
                );
                continue;
            };
            message.course = Some("bench".into());
            samples.push(Sample {
                name: what,
                message,
                outcome: expect.outcome,
                score: expect.score,
            });
        }
    }
    if samples.is_empty() {
        return Err(format!("no samples under {}", dir.display()));
    }
    Ok(samples)
}

/// The submissions of one phase: id, body, sample index.
struct Batch {
    ids: Vec<String>,
    bodies: Vec<Vec<u8>>,
    sample: Vec<usize>,
    index: HashMap<String, usize>,
}

fn batch(samples: &[Sample], prefix: &str, n: usize) -> Batch {
    let mut b = Batch {
        ids: Vec::with_capacity(n),
        bodies: Vec::with_capacity(n),
        sample: Vec::with_capacity(n),
        index: HashMap::with_capacity(n),
    };
    for i in 0..n {
        let s = i % samples.len();
        let id = format!("{prefix}-{i:07}");
        let mut m = samples[s].message.clone();
        m.submission_id = id.clone();
        b.bodies.push(serde_json::to_vec(&m).unwrap_or_default());
        b.index.insert(id.clone(), i);
        b.ids.push(id);
        b.sample.push(s);
    }
    b
}

fn properties(id: &str) -> BasicProperties {
    BasicProperties::default()
        .with_content_type(CONTENT_TYPE.into())
        .with_type(SUBMISSION_TYPE.into())
        .with_message_id(id.into())
        .with_delivery_mode(2)
}

async fn connect(url: &str) -> Result<Connection, String> {
    Connection::connect(url, ConnectionProperties::default())
        .await
        .map_err(|e| {
            format!(
                "cannot connect to {}: {e}",
                grader_worker::config::redact(url)
            )
        })
}

async fn channel(conn: &Connection) -> Result<Channel, String> {
    conn.create_channel()
        .await
        .map_err(|e| format!("cannot open a channel: {e}"))
}

/// Declares the worker's topology (its defaults) and empties its queues.
async fn prepare(url: &str) -> Result<(), String> {
    let conn = connect(url).await?;
    let ch = channel(&conn).await?;
    Topology {
        queue: SUBMISSIONS.into(),
        queue_type: QueueType::Quorum,
        delivery_limit: 5,
    }
    .declare(&ch)
    .await
    .map_err(|e| e.to_string())?;
    for q in [SUBMISSIONS, DEAD, UNROUTED] {
        ch.queue_purge(q.into(), QueuePurgeOptions::default())
            .await
            .map_err(|e| format!("cannot purge {q}: {e}"))?;
    }
    let _ = conn.close(200, "bye".into()).await;
    Ok(())
}

/// Messages ready on each of the grader's queues.
async fn queue_depths(url: &str) -> Result<Vec<(&'static str, u32)>, String> {
    let conn = connect(url).await?;
    let ch = channel(&conn).await?;
    let mut depths = Vec::new();
    for q in [SUBMISSIONS, DEAD, UNROUTED] {
        let count = grader_worker::topology::message_count(&ch, q)
            .await
            .map_err(|e| format!("cannot inspect {q}: {e}"))?;
        depths.push((q, count));
    }
    let _ = conn.close(200, "bye".into()).await;
    Ok(depths)
}

/// A result as it arrived.
struct Received {
    at: Instant,
    id: String,
    body: Vec<u8>,
}

/// Consumes every result (a queue bound to `grader.results` with `#`) and
/// hands them on with their arrival time.
async fn collector(url: &str) -> Result<(Connection, mpsc::UnboundedReceiver<Received>), String> {
    let conn = connect(url).await?;
    let ch = channel(&conn).await?;
    let queue = grader_worker::topology::private_queue(&ch)
        .await
        .map_err(|e| format!("cannot declare the results queue: {e}"))?;
    ch.queue_bind(
        queue.clone(),
        RESULTS.into(),
        "#".into(),
        QueueBindOptions::default(),
        FieldTable::default(),
    )
    .await
    .map_err(|e| format!("cannot bind the results queue: {e}"))?;
    let mut consumer = ch
        .basic_consume(
            queue,
            "bench-results".into(),
            BasicConsumeOptions {
                no_ack: true,
                ..BasicConsumeOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .map_err(|e| format!("cannot consume the results queue: {e}"))?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(Ok(d)) = consumer.next().await {
            let at = Instant::now();
            let id = d
                .properties
                .correlation_id()
                .as_ref()
                .map_or_else(String::new, |c| c.to_string());
            if tx
                .send(Received {
                    at,
                    id,
                    body: d.data,
                })
                .is_err()
            {
                break;
            }
        }
    });
    Ok((conn, rx))
}

async fn confirmed(confirm: PublisherConfirm) -> Result<(), String> {
    match confirm.await {
        Ok(Confirmation::Ack(None)) | Ok(Confirmation::NotRequested) => Ok(()),
        Ok(Confirmation::Ack(Some(r))) => Err(format!(
            "a submission was returned: {} {}",
            r.reply_code, r.reply_text
        )),
        Ok(Confirmation::Nack(_)) => Err("a submission was nacked".into()),
        Err(e) => Err(format!("a publish failed: {e}")),
    }
}

async fn publisher(url: &str) -> Result<(Connection, Channel), String> {
    let conn = connect(url).await?;
    let ch = channel(&conn).await?;
    ch.confirm_select(ConfirmSelectOptions::default())
        .await
        .map_err(|e| format!("confirm.select: {e}"))?;
    Ok((conn, ch))
}

async fn publish_one(ch: &Channel, id: &str, body: &[u8]) -> Result<PublisherConfirm, String> {
    ch.basic_publish(
        "".into(),
        SUBMISSIONS.into(),
        BasicPublishOptions {
            mandatory: true,
            ..BasicPublishOptions::default()
        },
        body,
        properties(id),
    )
    .await
    .map_err(|e| format!("cannot publish: {e}"))
}

/// Publishes the batch as fast as confirms allow (1000 outstanding);
/// returns the publish times.
async fn publish_all(ch: &Channel, b: &Batch) -> Result<Vec<Instant>, String> {
    let mut times = Vec::with_capacity(b.ids.len());
    let mut pending = FuturesUnordered::new();
    for (id, body) in b.ids.iter().zip(&b.bodies) {
        times.push(Instant::now());
        pending.push(confirmed(publish_one(ch, id, body).await?));
        while pending.len() >= 1000 {
            if let Some(r) = pending.next().await {
                r?;
            }
        }
    }
    while let Some(r) = pending.next().await {
        r?;
    }
    Ok(times)
}

/// Publishes the batch at `rate` per second; returns the publish times.
async fn publish_steady(ch: &Channel, b: &Batch, rate: u32) -> Result<Vec<Instant>, String> {
    let (tx, mut rx) = mpsc::unbounded_channel::<PublisherConfirm>();
    let checker = tokio::spawn(async move {
        let mut first_error = None;
        while let Some(c) = rx.recv().await {
            if let Err(e) = confirmed(c).await {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    });
    let mut times = Vec::with_capacity(b.ids.len());
    let start = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
    for (i, (id, body)) in b.ids.iter().zip(&b.bodies).enumerate() {
        let due = start + interval.mul_f64(i as f64);
        if due > Instant::now() {
            tokio::time::sleep_until(due.into()).await;
        }
        times.push(Instant::now());
        let confirm = publish_one(ch, id, body).await?;
        let _ = tx.send(confirm);
    }
    drop(tx);
    checker
        .await
        .map_err(|e| format!("the confirm task failed: {e}"))??;
    Ok(times)
}

/// What came back for one phase.
struct Collected {
    /// The first arrival of each submission (by batch index).
    first: Vec<Option<Received>>,
    duplicates: usize,
    /// Results for ids of no batch of this phase.
    strays: Vec<String>,
}

impl Collected {
    fn missing(&self) -> usize {
        self.first.iter().filter(|r| r.is_none()).count()
    }
}

/// Takes results until every submission of `b` has one, or none came for
/// `stall`.
async fn collect(
    rx: &mut mpsc::UnboundedReceiver<Received>,
    b: &Batch,
    stall: Duration,
) -> Collected {
    let mut c = Collected {
        first: (0..b.ids.len()).map(|_| None).collect(),
        duplicates: 0,
        strays: Vec::new(),
    };
    let mut have = 0;
    while have < b.ids.len() {
        match tokio::time::timeout(stall, rx.recv()).await {
            Ok(Some(r)) => match b.index.get(&r.id) {
                Some(&i) if c.first[i].is_none() => {
                    c.first[i] = Some(r);
                    have += 1;
                }
                Some(_) => c.duplicates += 1,
                None => c.strays.push(r.id),
            },
            Ok(None) | Err(_) => break,
        }
    }
    c
}

/// One line of the table.
struct Row {
    mode: &'static str,
    phase: String,
    messages: usize,
    seconds: f64,
    rate: f64,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
    duplicates: usize,
}

fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    Some(sorted[i.min(sorted.len() - 1)])
}

fn prefilled_row(mode: &'static str, c: &Collected) -> Row {
    let times: Vec<Instant> = c.first.iter().flatten().map(|r| r.at).collect();
    let (first, last) = (times.iter().min(), times.iter().max());
    let seconds = match (first, last) {
        (Some(f), Some(l)) => l.duration_since(*f).as_secs_f64(),
        _ => 0.0,
    };
    Row {
        mode,
        phase: "pre-filled".into(),
        messages: c.first.len(),
        seconds,
        rate: if seconds > 0.0 {
            (times.len().saturating_sub(1)) as f64 / seconds
        } else {
            0.0
        },
        p50_ms: None,
        p99_ms: None,
        duplicates: c.duplicates,
    }
}

fn steady_row(mode: &'static str, rate: u32, c: &Collected, published: &[Instant]) -> Row {
    let mut latencies: Vec<f64> = c
        .first
        .iter()
        .zip(published)
        .filter_map(|(r, p)| {
            r.as_ref()
                .map(|r| r.at.duration_since(*p).as_secs_f64() * 1e3)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let last = c.first.iter().flatten().map(|r| r.at).max();
    let seconds = match (published.first(), last) {
        (Some(f), Some(l)) => l.duration_since(*f).as_secs_f64(),
        _ => 0.0,
    };
    Row {
        mode,
        phase: format!("{rate}/s steady"),
        messages: c.first.len(),
        seconds,
        rate: if seconds > 0.0 {
            latencies.len() as f64 / seconds
        } else {
            0.0
        },
        p50_ms: percentile(&latencies, 0.5),
        p99_ms: percentile(&latencies, 0.99),
        duplicates: c.duplicates,
    }
}

/// Writes `publish offset ms,latency ms` for each result of the steady
/// phase, to see when slow results happened.
fn write_latencies(path: &Path, c: &Collected, published: &[Instant]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "publish_ms,latency_ms")?;
    let Some(start) = published.first() else {
        return out.flush();
    };
    for (r, p) in c.first.iter().zip(published) {
        if let Some(r) = r {
            writeln!(
                out,
                "{:.3},{:.3}",
                p.duration_since(*start).as_secs_f64() * 1e3,
                r.at.duration_since(*p).as_secs_f64() * 1e3
            )?;
        }
    }
    out.flush()
}

/// Checks every result of a phase; returns the problems.
fn verify(
    mode: &str,
    phase: &str,
    c: &Collected,
    b: &Batch,
    samples: &[Sample],
    check_grades: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    let missing: Vec<&str> = c
        .first
        .iter()
        .zip(&b.ids)
        .filter(|(r, _)| r.is_none())
        .map(|(_, id)| id.as_str())
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{mode}, {phase}: {} of {} results MISSING (first: {})",
            missing.len(),
            b.ids.len(),
            missing[..missing.len().min(5)].join(", ")
        ));
    }
    if !c.strays.is_empty() {
        problems.push(format!(
            "{mode}, {phase}: {} results for submissions not sent in this phase (first: {})",
            c.strays.len(),
            c.strays[..c.strays.len().min(5)].join(", ")
        ));
    }
    let mut wrong = Vec::new();
    for (i, r) in c.first.iter().enumerate() {
        let Some(r) = r else { continue };
        let sample = &samples[b.sample[i]];
        let body: ResultBody = match serde_json::from_slice(&r.body) {
            Ok(body) => body,
            Err(e) => {
                wrong.push(format!("{}: not a result ({e})", r.id));
                continue;
            }
        };
        if body.submission_id != r.id {
            wrong.push(format!(
                "{}: the result's submission_id is {} (correlation_id {})",
                b.ids[i], body.submission_id, r.id
            ));
        }
        if !check_grades {
            continue;
        }
        if body.outcome != sample.outcome {
            wrong.push(format!(
                "{} ({}): outcome {}, expected {} ({})",
                r.id,
                sample.name,
                body.outcome,
                sample.outcome,
                body.message.as_deref().unwrap_or("")
            ));
        } else if let (Some(want), true) = (sample.score, body.is_graded()) {
            let given = body.score.as_ref().map(|s| s.given);
            if given.is_none_or(|g| (g - want).abs() >= 0.005) {
                wrong.push(format!(
                    "{} ({}): score {given:?}, expected {want}",
                    r.id, sample.name
                ));
            }
        }
    }
    if !wrong.is_empty() {
        problems.push(format!(
            "{mode}, {phase}: {} WRONG results (first: {})",
            wrong.len(),
            wrong[..wrong.len().min(5)].join("; ")
        ));
    }
    problems
}

/// The no-op consumer: consume → publish a result with a confirm → ack.
struct Noop {
    consume: Connection,
    publish: Connection,
    channel: Channel,
}

async fn start_noop(url: &str, prefetch: u16, result_bytes: usize) -> Result<Noop, String> {
    let consume = connect(url).await?;
    let publish = connect(url).await?;
    let cch = channel(&consume).await?;
    let pch = channel(&publish).await?;
    pch.confirm_select(ConfirmSelectOptions::default())
        .await
        .map_err(|e| format!("confirm.select: {e}"))?;
    cch.basic_qos(prefetch, BasicQosOptions::default())
        .await
        .map_err(|e| format!("basic.qos: {e}"))?;
    let mut consumer = cch
        .basic_consume(
            SUBMISSIONS.into(),
            "noop".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .map_err(|e| format!("cannot consume {SUBMISSIONS}: {e}"))?;
    let padding: Arc<str> = "x".repeat(result_bytes.saturating_sub(80)).into();
    tokio::spawn(async move {
        while let Some(Ok(d)) = consumer.next().await {
            let pch = pch.clone();
            let padding = padding.clone();
            tokio::spawn(async move {
                let id = d
                    .properties
                    .message_id()
                    .clone()
                    .unwrap_or_else(|| ShortString::from(""));
                let body = format!(
                    r#"{{"submission_id":"{id}","outcome":"graded","padding":"{padding}"}}"#
                );
                let props = BasicProperties::default()
                    .with_content_type(CONTENT_TYPE.into())
                    .with_type(RESULT_TYPE.into())
                    .with_correlation_id(id)
                    .with_delivery_mode(2);
                let published = match pch
                    .basic_publish(
                        RESULTS.into(),
                        "bench.noop".into(),
                        BasicPublishOptions::default(),
                        body.as_bytes(),
                        props,
                    )
                    .await
                {
                    Ok(c) => matches!(c.await, Ok(Confirmation::Ack(_))),
                    Err(_) => false,
                };
                let _ = if published {
                    d.ack(BasicAckOptions::default()).await
                } else {
                    d.nack(BasicNackOptions {
                        requeue: true,
                        ..BasicNackOptions::default()
                    })
                    .await
                };
            });
        }
    });
    Ok(Noop {
        consume,
        publish,
        channel: cch,
    })
}

impl Noop {
    async fn stop(self) {
        let _ = self
            .channel
            .basic_cancel("noop".into(), BasicCancelOptions::default())
            .await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let _ = self.channel.close(200, "bye".into()).await;
        let _ = self.consume.close(200, "bye".into()).await;
        let _ = self.publish.close(200, "bye".into()).await;
    }
}

/// The worker binary, running.
struct WorkerProcess {
    child: Child,
    http: SocketAddr,
    log: PathBuf,
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn free_port() -> Result<SocketAddr, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))
}

/// The status line and body of `GET path`.
async fn http_get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Some((status, body))
}

fn log_tail(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

async fn start_worker(args: &Args, url: &str) -> Result<WorkerProcess, String> {
    std::fs::create_dir_all(&args.log_dir)
        .map_err(|e| format!("cannot create {}: {e}", args.log_dir.display()))?;
    let log = args.log_dir.join("worker.log");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    let err_file = file
        .try_clone()
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    let http = free_port()?;
    let child = Command::new(&args.worker_bin)
        .arg("--amqp-url")
        .arg(url)
        .arg("--exercises")
        .arg(&args.exercises)
        .arg("--http-addr")
        .arg(http.to_string())
        .args(&args.worker_args)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", args.worker_bin.display()))?;
    let mut w = WorkerProcess { child, http, log };
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = w.child.try_wait() {
            return Err(format!(
                "the worker exited ({status}) before it was ready; the end of {}:\n{}",
                w.log.display(),
                log_tail(&w.log)
            ));
        }
        if let Some((200, _)) = http_get(w.http, "/readyz").await {
            return Ok(w);
        }
        if start.elapsed() > args.startup_timeout {
            return Err(format!(
                "the worker was not ready within {}; the end of {}:\n{}",
                humantime::format_duration(args.startup_timeout),
                w.log.display(),
                log_tail(&w.log)
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// SIGTERM, then waits for the worker to finish its in-flight work.
async fn stop_worker(mut w: WorkerProcess) -> Result<(), String> {
    let pid = w.child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let start = Instant::now();
    loop {
        match w.child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(format!(
                    "the worker exited with {status} after SIGTERM; the end of {}:\n{}",
                    w.log.display(),
                    log_tail(&w.log)
                ));
            }
            Ok(None) if start.elapsed() > Duration::from_secs(60) => {
                return Err("the worker did not exit within 60 s of SIGTERM".into());
            }
            Ok(None) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => return Err(format!("waiting for the worker: {e}")),
        }
    }
}

/// CPU time (user + system) a process used so far, from `/proc` (Linux,
/// 100 ticks a second).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (in parentheses): state is field 3,
    // utime 14 and stime 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// The consumer of a mode, running.
enum Running {
    Worker(WorkerProcess),
    Noop(Box<Noop>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Worker,
    Noop,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Worker => "grader-worker",
            Mode::Noop => "no-op loop",
        }
    }
}

/// What one mode measured.
struct Measured {
    rows: Vec<Row>,
    problems: Vec<String>,
    notes: Vec<String>,
    mean_result_bytes: Option<usize>,
}

async fn run_mode(
    mode: Mode,
    url: &str,
    args: &Args,
    samples: &[Sample],
    result_bytes: usize,
) -> Result<Measured, String> {
    let name = mode.name();
    let tag = match mode {
        Mode::Worker => "w",
        Mode::Noop => "n",
    };
    prepare(url).await?;
    let (collector_conn, mut rx) = collector(url).await?;
    let mut notes = Vec::new();
    if mode == Mode::Worker {
        // A first start builds and compiles the checkers (cached), so that
        // the measured start is a warm one. The log is this run's alone.
        let _ = std::fs::remove_file(args.log_dir.join("worker.log"));
        let t = Instant::now();
        let w = start_worker(args, url).await?;
        notes.push(format!(
            "{name}: first start (checkers built or taken from the cache) ready in {:.1} s",
            t.elapsed().as_secs_f64()
        ));
        stop_worker(w).await?;
    }
    let (publish_conn, pch) = publisher(url).await?;

    // Pre-filled.
    let pre = batch(samples, &format!("{tag}-pre"), args.messages);
    let t = Instant::now();
    publish_all(&pch, &pre).await?;
    let secs = t.elapsed().as_secs_f64();
    notes.push(format!(
        "{name}: queued {} submissions in {secs:.2} s ({:.0}/s, confirms, 1000 outstanding)",
        pre.ids.len(),
        pre.ids.len() as f64 / secs
    ));
    let t = Instant::now();
    let running = match mode {
        Mode::Worker => Running::Worker(start_worker(args, url).await?),
        Mode::Noop => Running::Noop(Box::new(
            start_noop(url, args.prefetch, result_bytes).await?,
        )),
    };
    if mode == Mode::Worker {
        notes.push(format!(
            "{name}: warm start ready in {:.2} s",
            t.elapsed().as_secs_f64()
        ));
    }
    let worker_pid = match &running {
        Running::Worker(w) => Some(w.child.id()),
        Running::Noop(_) => None,
    };
    let cpu_before = (
        worker_pid.and_then(cpu_seconds),
        args.broker_pid.and_then(cpu_seconds),
    );
    let pre_got = collect(&mut rx, &pre, args.stall).await;
    let cpu_after = (
        worker_pid.and_then(cpu_seconds),
        args.broker_pid.and_then(cpu_seconds),
    );
    let per = |before: Option<f64>, after: Option<f64>, who: &str| {
        let used = after? - before?;
        Some(format!(
            "{who} {used:.2} CPU-s ({:.0} µs per submission)",
            used * 1e6 / pre.ids.len() as f64
        ))
    };
    let cpu: Vec<String> = [
        per(cpu_before.0, cpu_after.0, "worker"),
        per(cpu_before.1, cpu_after.1, "broker"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !cpu.is_empty() {
        notes.push(format!(
            "{name}: pre-filled phase, from the consumer's start: {}",
            cpu.join(", ")
        ));
    }

    // Steady.
    let steady = batch(
        samples,
        &format!("{tag}-steady"),
        args.steady_messages.unwrap_or(args.messages),
    );
    let published = if pre_got.missing() == 0 {
        publish_steady(&pch, &steady, args.rate).await?
    } else {
        Vec::new()
    };
    let steady_got = if published.is_empty() {
        collect(&mut rx, &steady, Duration::ZERO).await
    } else {
        collect(&mut rx, &steady, args.stall).await
    };

    // Stop, then count what comes late (duplicates).
    let mut problems = Vec::new();
    let metrics = match running {
        Running::Worker(w) => {
            let metrics = http_get(w.http, "/metrics").await.map(|(_, body)| body);
            if let Err(e) = stop_worker(w).await {
                problems.push(format!("{name}: {e}"));
            }
            metrics
        }
        Running::Noop(n) => {
            n.stop().await;
            None
        }
    };
    let (mut late_pre, mut late_steady, mut late_other) = (0, 0, 0);
    while let Ok(Some(r)) = tokio::time::timeout(Duration::from_secs(2), rx.recv()).await {
        if pre.index.contains_key(&r.id) {
            late_pre += 1;
        } else if steady.index.contains_key(&r.id) {
            late_steady += 1;
        } else {
            late_other += 1;
        }
    }
    let _ = collector_conn.close(200, "bye".into()).await;
    let _ = publish_conn.close(200, "bye".into()).await;

    let check = mode == Mode::Worker;
    problems.extend(verify(name, "pre-filled", &pre_got, &pre, samples, check));
    if !published.is_empty() {
        problems.extend(verify(name, "steady", &steady_got, &steady, samples, check));
        let csv = args.log_dir.join(format!("steady-{tag}.csv"));
        match write_latencies(&csv, &steady_got, &published) {
            Ok(()) => notes.push(format!(
                "{name}: steady latencies in {} (publish offset, latency; ms)",
                csv.display()
            )),
            Err(e) => notes.push(format!("{name}: cannot write {}: {e}", csv.display())),
        }
    }
    if late_other > 0 {
        problems.push(format!(
            "{name}: {late_other} late results for submissions never sent"
        ));
    }
    let mut pre_row = prefilled_row(name, &pre_got);
    pre_row.duplicates += late_pre;
    let mut rows = vec![pre_row];
    if !published.is_empty() {
        let mut row = steady_row(name, args.rate, &steady_got, &published);
        row.duplicates += late_steady;
        rows.push(row);
    }
    for (q, n) in queue_depths(url).await? {
        if n > 0 {
            let what = format!("{name}: {n} messages left on queue {q}");
            if q == SUBMISSIONS {
                problems.push(what);
            } else {
                notes.push(what);
            }
        }
    }
    if let Some(m) = metrics {
        let wanted = [
            "grader_submissions_total",
            "grader_redeliveries",
            "grader_dead_letters",
        ];
        let lines: Vec<&str> = m
            .lines()
            .filter(|l| !l.starts_with('#') && wanted.iter().any(|w| l.starts_with(w)))
            .filter(|l| !l.ends_with(" 0"))
            .collect();
        if !lines.is_empty() {
            notes.push(format!("{name} metrics: {}", lines.join(", ")));
        }
    }
    let sizes: Vec<usize> = pre_got
        .first
        .iter()
        .flatten()
        .map(|r| r.body.len())
        .collect();
    let mean_result_bytes = (!sizes.is_empty()).then(|| sizes.iter().sum::<usize>() / sizes.len());
    if let Some(b) = mean_result_bytes {
        notes.push(format!("{name}: mean result size {b} bytes"));
    }
    Ok(Measured {
        rows,
        problems,
        notes,
        mean_result_bytes,
    })
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.1}"))
}

fn print_table(rows: &[Row]) {
    println!(
        "{:<14} {:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>5}",
        "mode", "phase", "messages", "seconds", "msg/s", "p50 ms", "p99 ms", "dups"
    );
    for r in rows {
        println!(
            "{:<14} {:<16} {:>8} {:>8.2} {:>8.0} {:>8} {:>8} {:>5}",
            r.mode,
            r.phase,
            r.messages,
            r.seconds,
            r.rate,
            ms(r.p50_ms),
            ms(r.p99_ms),
            r.duplicates
        );
    }
}

async fn run(args: Args) -> Result<Vec<String>, String> {
    let mut samples = load_samples(&args.exercises)?;
    if !args.only.is_empty() {
        samples.retain(|s| args.only.contains(&s.message.exercise.id));
        if samples.is_empty() {
            return Err(format!("no samples of the exercises {:?}", args.only));
        }
    }
    let exercises: std::collections::BTreeSet<&str> = samples
        .iter()
        .map(|s| s.message.exercise.id.as_str())
        .collect();
    let mean_zone = samples
        .iter()
        .map(|s| {
            s.message
                .artifacts
                .zone
                .as_ref()
                .map_or(0, |z| z.text.len())
        })
        .sum::<usize>()
        / samples.len();
    println!(
        "{} submissions pre-filled, {} at {}/s steady; {} samples of {} exercises (mean zone {} bytes)",
        args.messages,
        args.steady_messages.unwrap_or(args.messages),
        args.rate,
        samples.len(),
        exercises.len(),
        mean_zone
    );
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut result_bytes = args.result_bytes;
    if let Some(url) = &args.worker_url {
        let m = run_mode(Mode::Worker, url, &args, &samples, 0).await?;
        result_bytes = result_bytes.or(m.mean_result_bytes);
        rows.extend(m.rows);
        problems.extend(m.problems);
        notes.extend(m.notes);
    }
    if let Some(url) = &args.noop_url {
        let bytes = result_bytes.unwrap_or(2048);
        let m = run_mode(Mode::Noop, url, &args, &samples, bytes).await?;
        rows.extend(m.rows);
        problems.extend(m.problems);
        notes.extend(m.notes);
    }
    println!();
    print_table(&rows);
    println!();
    for n in &notes {
        println!("{n}");
    }
    Ok(problems)
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.worker_url.is_none() && args.noop_url.is_none() {
        eprintln!("worker-bench: give --worker-url, --noop-url or both");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("worker-bench: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(problems) if problems.is_empty() => ExitCode::SUCCESS,
        Ok(problems) => {
            let _ = std::io::stdout().flush();
            eprintln!();
            for p in problems {
                eprintln!("worker-bench: FAILED: {p}");
            }
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("worker-bench: {e}");
            ExitCode::from(2)
        }
    }
}
