//! The consume → grade → record → publish → ack loop, its reconnections
//! and its shutdown.
//!
//! Invariants:
//! - A delivery is acked only after every message it produces (result,
//!   reply, dead letter) is confirmed by the broker. Until then it is
//!   unacked, and the broker hands it out again if this worker goes away:
//!   at-least-once, never at-most-once.
//! - With a gradebook (`--gradebook`), a result (not a dead letter) is
//!   recorded there, with its submission, before it is published: a
//!   delivery is never acked unrecorded. Recording is idempotent, so a
//!   redelivery records nothing twice. When recording fails every attempt,
//!   the delivery goes back to the queue and the worker stops consuming
//!   until the gradebook answers again (a write it rolls back), so that an
//!   outage neither spins through the queue nor uses up the submissions'
//!   delivery limit.
//! - Grading runs on the blocking pool, at most `concurrency` at a time;
//!   the async threads only move bytes.
//! - Consuming and publishing use separate connections, so flow control on
//!   publishes never holds back acks.
//! - A lost connection ends the session: in-flight deliveries are abandoned
//!   (the broker requeues them), both connections are opened again with
//!   backoff, the topology is declared again and consuming resumes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions,
    BasicRejectOptions, ConfirmSelectOptions,
};
use lapin::tcp::OwnedTLSConfig;
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, Consumer};
use tokio::sync::{Semaphore, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, debug, error, info, info_span, warn};

use grader_gradebook::{Entry, Gradebook, Recorded};

use crate::config::{Config, redact};
use crate::intake::{Disposition, Grading, Input, Prepared};
use crate::topology::{self, DEAD, DeclareError, RESULTS};
use crate::{Shared, WorkerError};

/// How long to wait for a connection to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Backoff between connection attempts: doubling from the first to the last.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(200), Duration::from_secs(15));
/// How long one attempt to record a result may take.
const RECORD_TIMEOUT: Duration = Duration::from_secs(30);
/// Backoff between checks of a gradebook that failed: doubling from the
/// first to the last.
const GRADEBOOK_BACKOFF: (Duration, Duration) =
    (Duration::from_millis(500), Duration::from_secs(15));
/// How long the deliveries a cancelled consumer still holds may take to
/// come out.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// The worker: configuration, exercises, shared state.
pub struct Worker {
    cfg: Config,
    /// The PEM of `--amqp-ca-file`, read at start.
    ca_pem: Option<String>,
    grading: Arc<Grading>,
    shared: Arc<Shared>,
    permits: Arc<Semaphore>,
    /// Where results are recorded before they are published.
    gradebook: Option<Gradebook>,
    /// `true` while recording works; a delivery whose recording failed
    /// every attempt sets it to `false`, and consuming pauses until the
    /// gradebook answers again.
    gate: Arc<watch::Sender<bool>>,
}

/// A gradebook check that ends when the gradebook answers.
type Probe = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Why a session ended.
enum End {
    Shutdown,
    Lost(String),
}

/// Two connections and their channels.
struct Session {
    consume_conn: Connection,
    publish_conn: Connection,
    consume: Channel,
    publisher: Arc<Publisher>,
}

impl Worker {
    /// A worker grading with `grading`; fails when `--amqp-ca-file` cannot
    /// be read.
    pub fn new(cfg: Config, grading: Grading, shared: Arc<Shared>) -> Result<Worker, WorkerError> {
        let permits = Arc::new(Semaphore::new(cfg.concurrency() as usize));
        let ca_pem = match &cfg.amqp_ca_file {
            None => None,
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| WorkerError::CaFile(format!("{}: {e}", path.display())))?,
            ),
        };
        Ok(Worker {
            cfg,
            ca_pem,
            grading: Arc::new(grading),
            shared,
            permits,
            gradebook: None,
            gate: Arc::new(watch::Sender::new(true)),
        })
    }

    /// Records every result in `gradebook` (opened by the caller) before
    /// publishing it.
    pub fn with_gradebook(mut self, gradebook: Gradebook) -> Worker {
        self.gradebook = Some(gradebook);
        self
    }

    /// Consumes until `shutdown` is cancelled, then finishes in-flight work
    /// (within the shutdown timeout) and closes. Returns an error only for
    /// what retrying cannot fix (the broker refusing the topology).
    pub async fn run(&self, shutdown: CancellationToken) -> Result<(), WorkerError> {
        let mut delay = BACKOFF.0;
        let mut first = true;
        loop {
            if shutdown.is_cancelled() {
                return Ok(());
            }
            let opened = tokio::select! {
                s = self.open() => s,
                () = shutdown.cancelled() => return Ok(()),
            };
            match opened {
                Ok(session) => {
                    delay = BACKOFF.0;
                    if !first {
                        self.shared.metrics.reconnects.inc();
                    }
                    first = false;
                    match self.serve(session, &shutdown).await {
                        End::Shutdown => return Ok(()),
                        End::Lost(why) => {
                            warn!(error = %why, "lost the broker; connecting again");
                        }
                    }
                }
                Err(OpenError::Declare(e)) if e.is_mismatch() => {
                    return Err(WorkerError::Topology(e));
                }
                Err(e) => {
                    warn!(
                        error = %e,
                        broker = %redact(&self.cfg.amqp_url),
                        retry_in = ?delay,
                        "cannot reach the broker"
                    );
                    tokio::select! {
                        () = tokio::time::sleep(delay) => {}
                        () = shutdown.cancelled() => return Ok(()),
                    }
                    delay = (delay * 2).min(BACKOFF.1);
                }
            }
        }
    }

    async fn open(&self) -> Result<Session, OpenError> {
        let connect = |role: &str| {
            let props = ConnectionProperties::default()
                .with_connection_name(LongString::from(format!("grader-worker {role}")));
            let url = self.cfg.amqp_url.clone();
            let tls = self.ca_pem.clone().map(|pem| OwnedTLSConfig {
                identity: None,
                cert_chain: Some(pem),
            });
            async move {
                let connecting = async {
                    match tls {
                        None => Connection::connect(&url, props).await,
                        Some(tls) => {
                            let runtime = lapin::runtime::default_runtime()?;
                            Connection::connect_with_config(&url, props, tls, runtime).await
                        }
                    }
                };
                match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
                    Ok(r) => r.map_err(OpenError::Amqp),
                    Err(_) => Err(OpenError::Timeout),
                }
            }
        };
        let consume_conn = connect("consumer").await?;
        let publish_conn = connect("publisher").await?;
        let consume = consume_conn.create_channel().await?;
        self.cfg
            .topology()
            .declare(&consume)
            .await
            .map_err(OpenError::Declare)?;
        consume
            .basic_qos(self.cfg.prefetch, BasicQosOptions { global: false })
            .await?;
        let publish = publish_conn.create_channel().await?;
        publish
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        self.shared.connected.store(true, Ordering::Relaxed);
        self.shared.metrics.connected.set(1);
        info!(broker = %redact(&self.cfg.amqp_url), "connected");
        Ok(Session {
            consume_conn,
            publish_conn,
            consume,
            publisher: Arc::new(Publisher {
                channel: publish,
                timeout: self.cfg.publish_timeout,
                lost: CancellationToken::new(),
            }),
        })
    }

    async fn subscribe(&self, ch: &Channel) -> Result<Consumer, lapin::Error> {
        let consumer = ch
            .basic_consume(
                self.cfg.queue.as_str().into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        self.shared.consuming.store(true, Ordering::Relaxed);
        self.shared.metrics.consuming.set(1);
        info!(queue = %self.cfg.queue, prefetch = self.cfg.prefetch, "consuming");
        Ok(consumer)
    }

    async fn serve(&self, session: Session, shutdown: &CancellationToken) -> End {
        let lost = session.publisher.lost.clone();
        let tracker = TaskTracker::new();
        let mut gate = self.gate.subscribe();
        let mut paused = !*gate.borrow_and_update();
        let mut consumer = None;
        let mut probe: Probe = Box::pin(std::future::pending());
        if paused {
            probe = self.pause();
        } else {
            match self.subscribe(&session.consume).await {
                Ok(c) => consumer = Some(c),
                Err(e) => {
                    self.close(session, &tracker, false).await;
                    return End::Lost(format!("cannot consume {}: {e}", self.cfg.queue));
                }
            }
        }
        let end = loop {
            tokio::select! {
                biased;
                () = shutdown.cancelled() => break End::Shutdown,
                () = lost.cancelled() => break End::Lost("the publishing connection failed".into()),
                Ok(()) = gate.changed(), if !paused => {
                    if *gate.borrow_and_update() {
                        continue;
                    }
                    // Recording failed every attempt: take no more
                    // submissions until the gradebook answers.
                    paused = true;
                    probe = self.pause();
                    if let Some(c) = consumer.take()
                        && let Err(why) = self.stop_consuming(&session, &tracker, c).await
                    {
                        break End::Lost(why);
                    }
                }
                () = &mut probe, if paused => {
                    paused = false;
                    probe = Box::pin(std::future::pending());
                    self.resume();
                    let _ = gate.borrow_and_update();
                    match self.subscribe(&session.consume).await {
                        Ok(c) => consumer = Some(c),
                        Err(e) => break End::Lost(format!("cannot consume again: {e}")),
                    }
                }
                next = next_delivery(&mut consumer), if consumer.is_some() => match next {
                    Some(Ok(delivery)) => self.spawn(&session, &tracker, delivery),
                    Some(Err(e)) => break End::Lost(format!("consuming failed: {e}")),
                    None => {
                        // The broker cancelled the consumer (queue deleted,
                        // consumer timeout), or the channel closed.
                        consumer = None;
                        if session.consume.status().connected() && !shutdown.is_cancelled() {
                            warn!(queue = %self.cfg.queue, "the broker cancelled the consumer; subscribing again");
                            self.shared.consuming.store(false, Ordering::Relaxed);
                            self.shared.metrics.consuming.set(0);
                            match self.subscribe(&session.consume).await {
                                Ok(c) => consumer = Some(c),
                                Err(e) => break End::Lost(format!("cannot consume again: {e}")),
                            }
                        } else {
                            break End::Lost("the consuming channel closed".into());
                        }
                    }
                },
            }
        };
        self.shared.consuming.store(false, Ordering::Relaxed);
        self.shared.metrics.consuming.set(0);
        match &end {
            End::Shutdown => {
                self.shared.draining.store(true, Ordering::Relaxed);
                if let Some(consumer) = consumer {
                    let tag = consumer.tag();
                    if let Err(e) = session
                        .consume
                        .basic_cancel(tag, BasicCancelOptions::default())
                        .await
                    {
                        debug!(error = %e, "cancelling the consumer");
                    }
                    drop(consumer);
                }
                self.close(session, &tracker, true).await;
            }
            End::Lost(_) => {
                // In-flight deliveries cannot be acked on a dead channel:
                // they stop, and the broker delivers them again.
                lost.cancel();
                drop(consumer);
                self.close(session, &tracker, false).await;
            }
        }
        end
    }

    /// Handles one delivery in a task of its own.
    fn spawn(&self, session: &Session, tracker: &TaskTracker, delivery: lapin::message::Delivery) {
        let task = Task {
            grading: self.grading.clone(),
            shared: self.shared.clone(),
            permits: self.permits.clone(),
            publisher: session.publisher.clone(),
            queue: self.cfg.queue.clone(),
            attempts: self.cfg.publish_attempts,
            gradebook: self.gradebook.clone(),
            record_attempts: self.cfg.gradebook_attempts,
            gate: self.gate.clone(),
        };
        let span = info_span!(
            "submission",
            submission_id = tracing::field::Empty,
            tag = delivery.delivery_tag,
            redelivered = delivery.redelivered,
        );
        tracker.spawn(task.handle(delivery).instrument(span));
    }

    /// Cancels `consumer` and handles the deliveries it still holds (the
    /// broker sent them before the cancel): consuming stops with nothing
    /// left unhandled. An error ends the session.
    async fn stop_consuming(
        &self,
        session: &Session,
        tracker: &TaskTracker,
        mut consumer: Consumer,
    ) -> Result<(), String> {
        session
            .consume
            .basic_cancel(consumer.tag(), BasicCancelOptions::default())
            .await
            .map_err(|e| format!("cannot stop consuming: {e}"))?;
        let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
            while let Some(next) = consumer.next().await {
                match next {
                    Ok(delivery) => self.spawn(session, tracker, delivery),
                    Err(e) => return Err(format!("consuming failed: {e}")),
                }
            }
            Ok(())
        })
        .await;
        drained.unwrap_or_else(|_| Err("the cancelled consumer did not end".into()))
    }

    /// Marks the worker paused for the gradebook; returns the check that
    /// ends when the gradebook answers again.
    fn pause(&self) -> Probe {
        self.shared.gradebook_paused.store(true, Ordering::Relaxed);
        self.shared.metrics.gradebook_paused.set(1);
        self.shared.consuming.store(false, Ordering::Relaxed);
        self.shared.metrics.consuming.set(0);
        match self.gradebook.clone() {
            Some(book) => {
                warn!(
                    gradebook = %book.location(),
                    "the gradebook fails: taking no submissions until it answers again"
                );
                Box::pin(gradebook_answers(book))
            }
            // Only recording pauses, and without a gradebook nothing is
            // recorded.
            None => Box::pin(async {}),
        }
    }

    /// The gradebook answered: recording may go on.
    fn resume(&self) {
        self.gate.send_replace(true);
        self.shared.gradebook_paused.store(false, Ordering::Relaxed);
        self.shared.metrics.gradebook_paused.set(0);
        info!("the gradebook answers again: taking submissions");
    }

    /// Waits for in-flight deliveries (up to the shutdown timeout when
    /// draining), then closes the consuming channel (requeueing anything
    /// unacked), the publishing channel and both connections.
    async fn close(&self, session: Session, tracker: &TaskTracker, draining: bool) {
        tracker.close();
        let pending = tracker.len();
        if draining && pending > 0 {
            info!(in_flight = pending, "finishing in-flight submissions");
        }
        let limit = if draining {
            self.cfg.shutdown_timeout
        } else {
            Duration::from_secs(5)
        };
        if tokio::time::timeout(limit, tracker.wait()).await.is_err() {
            session.publisher.lost.cancel();
            warn!(
                unfinished = tracker.len(),
                "submissions unfinished at the deadline go back to the queue"
            );
        }
        let bye = || ShortString::from("grader-worker closing");
        // Close errors at the end of a session change nothing.
        let _ = session.consume.close(200, bye()).await;
        let _ = session.publisher.channel.close(200, bye()).await;
        let _ = session.consume_conn.close(200, bye()).await;
        let _ = session.publish_conn.close(200, bye()).await;
        self.shared.connected.store(false, Ordering::Relaxed);
        self.shared.metrics.connected.set(0);
    }
}

/// Why a session could not be opened.
#[derive(Debug, thiserror::Error)]
enum OpenError {
    #[error("{0}")]
    Amqp(#[from] lapin::Error),
    #[error("no answer within {CONNECT_TIMEOUT:?}")]
    Timeout,
    #[error(transparent)]
    Declare(DeclareError),
}

/// The publishing channel (confirm mode).
struct Publisher {
    channel: Channel,
    timeout: Duration,
    /// Cancelled when the channel is found dead: the session ends.
    lost: CancellationToken,
}

/// Where a message goes and what it is.
struct Outgoing {
    exchange: &'static str,
    routing_key: ShortString,
    body: Vec<u8>,
    properties: BasicProperties,
    /// A reply: a missing queue is logged, not retried.
    reply: bool,
    /// Returned by the broker when no queue takes it.
    mandatory: bool,
    done: bool,
}

#[derive(Debug, thiserror::Error)]
enum PublishError {
    #[error("{0}")]
    Amqp(#[from] lapin::Error),
    #[error("no confirm within {0:?}")]
    Timeout(Duration),
    #[error("the broker refused the message (nack)")]
    Nacked,
    #[error("no queue took the message: {0}")]
    Unroutable(String),
}

impl Publisher {
    /// Publishes `msg` and waits for its confirm.
    async fn publish(&self, msg: &Outgoing) -> Result<Confirmation, PublishError> {
        let sent = tokio::time::timeout(
            self.timeout,
            self.channel.basic_publish(
                msg.exchange.into(),
                msg.routing_key.clone(),
                BasicPublishOptions {
                    mandatory: msg.mandatory,
                    ..BasicPublishOptions::default()
                },
                &msg.body,
                msg.properties.clone(),
            ),
        )
        .await;
        let confirm = match sent {
            Err(_) => return Err(PublishError::Timeout(self.timeout)),
            Ok(r) => r.inspect_err(|_| self.check())?,
        };
        match tokio::time::timeout(self.timeout, confirm).await {
            Err(_) => Err(PublishError::Timeout(self.timeout)),
            Ok(Err(e)) => {
                self.check();
                Err(e.into())
            }
            Ok(Ok(c)) => Ok(c),
        }
    }

    /// Ends the session when the channel is dead.
    fn check(&self) {
        if !self.channel.status().connected() {
            self.lost.cancel();
        }
    }
}

/// The next delivery of `consumer` (never ready without one).
async fn next_delivery(
    consumer: &mut Option<Consumer>,
) -> Option<Result<lapin::message::Delivery, lapin::Error>> {
    match consumer {
        Some(c) => c.next().await,
        None => std::future::pending().await,
    }
}

/// Ends when `book` can be written again, checking with a backoff.
async fn gradebook_answers(book: Gradebook) {
    let mut delay = GRADEBOOK_BACKOFF.0;
    loop {
        tokio::time::sleep(delay).await;
        match tokio::time::timeout(RECORD_TIMEOUT, book.ping()).await {
            Ok(Ok(())) => return,
            Ok(Err(e)) => debug!(error = %e, retry_in = ?delay, "the gradebook still fails"),
            Err(_) => debug!(retry_in = ?delay, "the gradebook still does not answer"),
        }
        delay = (delay * 2).min(GRADEBOOK_BACKOFF.1);
    }
}

/// Everything one delivery's handling needs.
struct Task {
    grading: Arc<Grading>,
    shared: Arc<Shared>,
    permits: Arc<Semaphore>,
    publisher: Arc<Publisher>,
    queue: String,
    attempts: u32,
    gradebook: Option<Gradebook>,
    record_attempts: u32,
    gate: Arc<watch::Sender<bool>>,
}

/// What recording a result came to.
enum Recording {
    /// Recorded (or already there): publish it.
    Done,
    /// The gradebook keeps another result for this submission, checker and
    /// exercise version (a redelivered submission whose live server
    /// answered otherwise the second time): publish that one, so that the
    /// LMS and the gradebook agree and a duplicate is the same result.
    Kept(Vec<u8>),
    /// Not recorded: the delivery goes back to the queue.
    Failed,
    /// The session ended meanwhile: the broker delivers it again.
    Abandoned,
}

impl Task {
    async fn handle(self, mut delivery: lapin::message::Delivery) {
        let metrics = &self.shared.metrics;
        metrics.in_flight.inc();
        let _in_flight = scopeguard(|| {
            metrics.in_flight.dec();
        });
        if delivery.redelivered {
            metrics.redeliveries.inc();
        }
        let body = std::mem::take(&mut delivery.data);
        let props = delivery.properties.clone();
        let Ok(permit) = self.permits.clone().acquire_owned().await else {
            return; // the semaphore is never closed
        };
        let grading = self.grading.clone();
        let span = tracing::Span::current();
        let joined = tokio::task::spawn_blocking(move || {
            let _enter = span.enter();
            let input = Input {
                body: &body,
                message_type: props.kind().as_ref().map(ShortString::as_str),
                content_type: props.content_type().as_ref().map(ShortString::as_str),
                delivery_count: delivery_count(props.headers().as_ref()),
            };
            let prepared = grading.prepare(&input);
            (prepared, body)
        })
        .await;
        // A submission with probes: they are sent from here (network waits
        // hold no grading permit and no blocking thread), then it is graded
        // on the blocking pool again.
        let joined = match joined {
            Ok((Prepared::Done(d), body)) => {
                drop(permit);
                Ok((d, body))
            }
            Ok((Prepared::Probe(pending), body)) => {
                drop(permit);
                metrics.probes.inc_by(pending.queries.len() as u64);
                let captures =
                    crate::probe::run(&pending.queries, pending.target, pending.settings).await;
                let Ok(permit) = self.permits.clone().acquire_owned().await else {
                    return;
                };
                let grading = self.grading.clone();
                let span = tracing::Span::current();
                tokio::task::spawn_blocking(move || {
                    let _enter = span.enter();
                    let _permit = permit;
                    (grading.finish(*pending, &captures), body)
                })
                .await
            }
            Err(e) => Err(e),
        };
        let (mut disposition, body) = match joined {
            Ok(v) => v,
            Err(e) => {
                // A panic in grading: a bug. Hand the delivery back; after
                // the delivery limit it is dead-lettered.
                error!(error = %e, "grading panicked; the submission goes back to the queue");
                let _ = delivery.reject(BasicRejectOptions { requeue: true }).await;
                metrics.requeued.inc();
                return;
            }
        };
        if let Some(id) = &disposition.submission_id {
            tracing::Span::current().record("submission_id", id.as_str());
        }
        metrics
            .grading_seconds
            .observe(disposition.elapsed.as_secs_f64());
        // A result (not a dead letter's `rejected` one) goes into the
        // gradebook first, with the submission: a delivery is never acked
        // unrecorded.
        if let (Some(book), Some(result), None) =
            (&self.gradebook, &disposition.result, &disposition.dead)
        {
            match self.record(book, &result.body, &body).await {
                Recording::Done => {}
                Recording::Kept(kept) => {
                    let read = serde_json::from_slice::<grader_core::message::ResultBody>(&kept);
                    let outcome = read.as_ref().ok().and_then(|r| {
                        crate::intake::OUTCOMES
                            .iter()
                            .find(|o| **o == r.outcome)
                            .copied()
                    });
                    if let (Ok(k), Some(outcome), Some(r)) =
                        (read, outcome, disposition.result.as_mut())
                    {
                        disposition.outcome = outcome;
                        disposition.score = k
                            .score
                            .filter(|_| outcome == "graded")
                            .map(|s| (s.given, s.maximum as u64));
                        r.body = kept;
                    }
                }
                Recording::Abandoned => {
                    debug!("connection lost; the broker delivers the submission again");
                    return;
                }
                Recording::Failed => {
                    warn!("not recorded in the gradebook; the submission goes back to the queue");
                    self.requeue(&delivery).await;
                    return;
                }
            }
        }
        let mut out = self.outgoing(&mut disposition, &delivery.properties, body);
        let mut backoff = Duration::from_millis(100);
        let mut confirmed = false;
        for attempt in 1..=self.attempts {
            if self.publisher.lost.is_cancelled() {
                debug!("connection lost; the broker delivers the submission again");
                return;
            }
            match self.publish_all(&mut out).await {
                Ok(()) => {
                    confirmed = true;
                    break;
                }
                Err(e) => {
                    warn!(attempt, of = self.attempts, error = %e, "result not confirmed");
                    if attempt < self.attempts {
                        metrics.publish_retries.inc();
                        tokio::select! {
                            () = tokio::time::sleep(backoff) => {}
                            () = self.publisher.lost.cancelled() => {}
                        }
                        backoff = (backoff * 4).min(Duration::from_secs(5));
                    }
                }
            }
        }
        if !confirmed {
            warn!("every publish attempt failed; the submission goes back to the queue");
            self.requeue(&delivery).await;
            return;
        }
        if let Err(e) = delivery.ack(BasicAckOptions::default()).await {
            // The result is out; the broker will deliver the submission
            // again and it is graded again: a duplicate, never a loss.
            warn!(error = %e, "ack failed after the result was confirmed; expect a duplicate result");
            return;
        }
        metrics.finished(disposition.outcome);
        if let Some((reason, detail)) = &disposition.dead {
            metrics.dead_lettered(*reason);
            warn!(reason = %reason, detail = %detail, "dead-lettered");
        } else {
            match disposition.score {
                Some((given, max)) => info!(
                    outcome = disposition.outcome,
                    score = given,
                    max,
                    us = disposition.elapsed.as_micros() as u64,
                    "graded"
                ),
                None => info!(
                    outcome = disposition.outcome,
                    us = disposition.elapsed.as_micros() as u64,
                    "not graded"
                ),
            }
        }
    }

    /// Hands the delivery back to the broker, which delivers it again
    /// (counted against the delivery limit on a quorum queue).
    async fn requeue(&self, delivery: &lapin::message::Delivery) {
        if delivery
            .reject(BasicRejectOptions { requeue: true })
            .await
            .is_ok()
        {
            self.shared.metrics.requeued.inc();
        }
    }

    /// Records `result` with its `submission` in the gradebook, retrying
    /// with a backoff. When every attempt fails, the worker pauses
    /// consuming until the gradebook answers.
    async fn record(&self, book: &Gradebook, result: &[u8], submission: &[u8]) -> Recording {
        let metrics = &self.shared.metrics;
        // The worker wrote the result as JSON, and read the submission as
        // JSON: both are UTF-8.
        let (Ok(result), Ok(submission)) =
            (std::str::from_utf8(result), std::str::from_utf8(submission))
        else {
            metrics.gradebook_errors.inc();
            error!("a result or submission that is not UTF-8 cannot be recorded");
            return Recording::Failed;
        };
        let entry = Entry {
            result,
            submission: Some(submission),
            pending_publish: false,
        };
        let mut backoff = Duration::from_millis(100);
        for attempt in 1..=self.record_attempts {
            let recorded = tokio::select! {
                r = tokio::time::timeout(RECORD_TIMEOUT, book.record(&entry)) => r,
                () = self.publisher.lost.cancelled() => return Recording::Abandoned,
            };
            match recorded {
                Ok(Ok(r)) => {
                    match r {
                        Recorded::New => {
                            metrics.recorded("new");
                            debug!("recorded in the gradebook");
                        }
                        Recorded::AlreadyRecorded => {
                            metrics.recorded("already");
                            debug!("already in the gradebook");
                        }
                        Recorded::Conflict => {
                            metrics.recorded("conflict");
                            warn!(
                                gradebook = %book.location(),
                                "the gradebook has a different result for this submission, \
                                 checker and exercise version (a live server that answered \
                                 otherwise, or one id given to two submissions); publishing \
                                 the one it keeps"
                            );
                            if let Ok(Ok(Some(kept))) =
                                tokio::time::timeout(RECORD_TIMEOUT, book.kept(result)).await
                            {
                                return Recording::Kept(kept.into_bytes());
                            }
                        }
                        Recorded::Skipped(why) => debug!(why, "not kept in the gradebook"),
                    }
                    return Recording::Done;
                }
                Ok(Err(e)) => {
                    metrics.gradebook_errors.inc();
                    if !matches!(e, grader_gradebook::Error::Database { .. }) {
                        // Retrying gives the same answer; after the
                        // delivery limit the submission is dead-lettered.
                        error!(error = %e, "the gradebook refuses this result");
                        return Recording::Failed;
                    }
                    warn!(attempt, of = self.record_attempts, error = %e, "not recorded in the gradebook");
                }
                Err(_) => {
                    metrics.gradebook_errors.inc();
                    warn!(
                        attempt,
                        of = self.record_attempts,
                        gradebook = %book.location(),
                        "the gradebook did not answer within {RECORD_TIMEOUT:?}"
                    );
                }
            }
            if attempt < self.record_attempts {
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    () = self.publisher.lost.cancelled() => return Recording::Abandoned,
                }
                backoff = (backoff * 4).min(Duration::from_secs(5));
            }
        }
        // The gradebook is down: no more submissions until it answers.
        self.gate.send_replace(false);
        Recording::Failed
    }

    /// The messages a disposition needs published.
    fn outgoing(
        &self,
        d: &mut Disposition,
        props: &BasicProperties,
        body: Vec<u8>,
    ) -> Vec<Outgoing> {
        let mut out = Vec::new();
        if let Some(result) = d.result.take() {
            let correlation = d.submission_id.as_deref().unwrap_or_default();
            let properties = topology::result_properties(d.outcome, correlation);
            if let Some(reply_to) = props.reply_to() {
                let correlation = props
                    .correlation_id()
                    .clone()
                    .unwrap_or_else(|| short(correlation));
                // RabbitMQ's direct reply-to pseudo-queue answers a
                // mandatory publish with a return even when it delivers.
                let direct = reply_to.as_str().starts_with("amq.rabbitmq.reply-to");
                out.push(Outgoing {
                    exchange: "",
                    routing_key: reply_to.clone(),
                    body: result.body.clone(),
                    properties: properties.clone().with_correlation_id(correlation),
                    reply: true,
                    mandatory: !direct,
                    done: false,
                });
            }
            out.push(Outgoing {
                exchange: RESULTS,
                routing_key: short(&result.routing_key),
                body: result.body,
                properties,
                reply: false,
                mandatory: true,
                done: false,
            });
        }
        if let Some((reason, detail)) = &d.dead {
            let mut headers = props.headers().clone().unwrap_or_default();
            headers.insert(
                topology::REASON_HEADER.into(),
                AMQPValue::LongString(reason.as_str().into()),
            );
            headers.insert(
                topology::DETAIL_HEADER.into(),
                AMQPValue::LongString(detail.as_str().into()),
            );
            out.push(Outgoing {
                exchange: DEAD,
                routing_key: short(&self.queue),
                body,
                properties: props.clone().with_headers(headers).with_delivery_mode(2),
                reply: false,
                mandatory: true,
                done: false,
            });
        }
        out
    }

    /// Publishes every message not yet confirmed, all at once, and waits
    /// for their confirms.
    async fn publish_all(&self, out: &mut [Outgoing]) -> Result<(), PublishError> {
        let pending: Vec<usize> = (0..out.len()).filter(|&i| !out[i].done).collect();
        let results = futures_util::future::join_all(
            pending.iter().map(|&i| self.publisher.publish(&out[i])),
        )
        .await;
        let mut first_error = None;
        for (i, r) in pending.into_iter().zip(results) {
            let msg = &mut out[i];
            let r = match r {
                Ok(Confirmation::Ack(None) | Confirmation::NotRequested) => Ok(()),
                Ok(Confirmation::Ack(Some(returned))) => Err(PublishError::Unroutable(format!(
                    "{} {} (exchange `{}`, routing key `{}`)",
                    returned.reply_code, returned.reply_text, msg.exchange, msg.routing_key
                ))),
                Ok(Confirmation::Nack(_)) => Err(PublishError::Nacked),
                Err(e) => Err(e),
            };
            match r {
                Ok(()) => msg.done = true,
                Err(PublishError::Unroutable(why)) if msg.reply => {
                    // The LMS's reply queue is gone; the result is on
                    // grader.results all the same.
                    self.shared.metrics.replies_unroutable.inc();
                    warn!(reply_to = %msg.routing_key, why = %why, "reply_to queue does not exist; the result is on grader.results only");
                    msg.done = true;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// A short string, cut at 255 bytes (ids are at most 200 bytes).
fn short(s: &str) -> ShortString {
    let mut cut = s.len().min(255);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    ShortString::from(&s[..cut])
}

/// `x-delivery-count` of a quorum-queue delivery: the deliveries before
/// this one.
fn delivery_count(headers: Option<&FieldTable>) -> Option<u64> {
    let v = headers?.inner().get("x-delivery-count")?;
    match v {
        AMQPValue::LongLongInt(n) => u64::try_from(*n).ok(),
        AMQPValue::LongInt(n) => u64::try_from(*n).ok(),
        AMQPValue::LongUInt(n) => Some(u64::from(*n)),
        AMQPValue::ShortInt(n) => u64::try_from(*n).ok(),
        AMQPValue::ShortUInt(n) => Some(u64::from(*n)),
        AMQPValue::ShortShortInt(n) => u64::try_from(*n).ok(),
        AMQPValue::ShortShortUInt(n) => Some(u64::from(*n)),
        _ => None,
    }
}

/// Runs `f` when dropped.
fn scopeguard<F: FnOnce()>(f: F) -> impl Drop {
    struct Guard<F: FnOnce()>(Option<F>);
    impl<F: FnOnce()> Drop for Guard<F> {
        fn drop(&mut self) {
            if let Some(f) = self.0.take() {
                f();
            }
        }
    }
    Guard(Some(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_counts_of_every_integer_kind() {
        let mut t = FieldTable::default();
        assert_eq!(delivery_count(Some(&t)), None);
        t.insert("x-delivery-count".into(), AMQPValue::LongLongInt(3));
        assert_eq!(delivery_count(Some(&t)), Some(3));
        t.insert("x-delivery-count".into(), AMQPValue::LongLongInt(-1));
        assert_eq!(delivery_count(Some(&t)), None);
        t.insert("x-delivery-count".into(), AMQPValue::ShortUInt(7));
        assert_eq!(delivery_count(Some(&t)), Some(7));
    }

    #[test]
    fn short_strings_never_panic() {
        assert_eq!(short(&"é".repeat(200)).as_str().len(), 254);
        assert_eq!(short("abc").as_str(), "abc");
    }
}
