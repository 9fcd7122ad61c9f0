//! The reference client of the grader: what an LMS plug-in does to hand in
//! a submission and get its result, in one short module to read and copy.
//!
//! The conversation (`schemas/asyncapi.yaml` has the contract):
//!
//! 1. [`Client::connect`]: one connection (`amqp://` or `amqps://` for
//!    TLS) and one channel in publisher-confirm mode.
//! 2. [`Client::publish`]: the [`SubmissionMessage`] as JSON, to the
//!    default exchange with routing key `grader.submissions`, with
//!    `mandatory` set, persistent (`delivery_mode` 2), and the properties
//!    the grader reads (`content_type`, `type`, `message_id`). The
//!    submission is safely queued only once the broker confirms it: a
//!    returned message (no such queue) or a nack is an error, and the LMS
//!    keeps the submission to send again.
//! 3. [`Client::submit_and_wait`]: the same, with a reply. Before
//!    publishing, declare an exclusive, auto-delete queue with a
//!    server-chosen name and consume it; publish with `reply_to` = that
//!    queue and a fresh `correlation_id`; the first message on it with that
//!    correlation id is the result. The queue disappears with the
//!    connection.
//!
//! Waiting is for tools and small integrations. An LMS with many learners
//! does not wait on each submission: it binds one durable queue of its own
//! to the topic exchange `grader.results` (binding key `<course>.#`, or `#`)
//! and matches results to submissions by `submission_id`. Delivery is at
//! least once, so a result may come twice: store it by `submission_id`
//! (the last one wins; they are equal).
//!
//! ```no_run
//! # async fn example(sub: grader_core::message::SubmissionMessage) -> Result<(), grader_worker::client::ClientError> {
//! use std::time::Duration;
//! use grader_worker::client::Client;
//!
//! let client = Client::connect("amqp://guest:guest@127.0.0.1:5672/%2f").await?;
//! let reply = client.submit_and_wait(&sub, Duration::from_secs(60)).await?;
//! let result = reply.parse().expect("a result is JSON");
//! println!("{}: {} ({:?})", result.submission_id, result.outcome, result.score);
//! client.close().await;
//! # Ok(()) }
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use grader_core::message::{CONTENT_TYPE, SUBMISSION_TYPE, SubmissionMessage};
pub use grader_core::message::{ResultBody, ResultCheck, ResultScore};
use lapin::options::{
    BasicCancelOptions, BasicConsumeOptions, BasicPublishOptions, ConfirmSelectOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{BasicProperties, Channel, Confirmation, Connection, ConnectionProperties};

use crate::config::redact;
use crate::topology::{DeclareError, OUTCOME_HEADER, RESULTS, SUBMISSIONS, Topology};

/// How long [`Client::publish`] waits for the broker's confirm by default.
pub const CONFIRM_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`Client::connect`] tries to reach the broker.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What went wrong talking to the broker; each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The broker cannot be reached, or refused the login.
    #[error("cannot connect to the broker at {url}: {source}")]
    Connect {
        /// The URL, password redacted.
        url: String,
        /// What failed.
        #[source]
        source: lapin::Error,
    },
    /// The broker did not answer in time.
    #[error(
        "cannot connect to the broker at {url}: no answer within {}",
        humantime::format_duration(*waited)
    )]
    ConnectTimeout {
        /// The URL, password redacted.
        url: String,
        /// How long the client tried.
        waited: Duration,
    },
    /// A channel could not be opened or set up.
    #[error("the broker at {url} refused a channel: {source}")]
    Channel {
        /// The URL, password redacted.
        url: String,
        /// What failed.
        #[source]
        source: lapin::Error,
    },
    /// Declaring the grader's queues and exchanges failed.
    #[error(transparent)]
    Declare(#[from] DeclareError),
    /// A name or id longer than AMQP allows (255 bytes).
    #[error("{what} `{value}` is longer than the 255 bytes AMQP allows")]
    TooLong {
        /// Which one.
        what: &'static str,
        /// The value.
        value: String,
    },
    /// The broker returned the submission: no queue of that name.
    #[error(
        "no queue `{queue}` took the submission (the broker returned it: {reply}): \
         start a grader-worker first (it declares the queue), or declare it (Topology::declare)"
    )]
    NoQueue {
        /// The submissions queue.
        queue: String,
        /// The broker's reply text (`NO_ROUTE`).
        reply: String,
    },
    /// The broker refused to take the submission.
    #[error(
        "the broker refused the submission (nack) on queue `{queue}`: the queue may be full or \
         the broker short of memory or disk; send it again later"
    )]
    Nacked {
        /// The submissions queue.
        queue: String,
    },
    /// No confirm came in time (often a broker blocking publishers for
    /// lack of memory or disk).
    #[error(
        "the broker did not confirm the submission within {}: it may be blocking publishers \
         (memory or disk alarm); it may or may not be queued, so send it again later (the \
         submission id makes the second copy harmless)",
        humantime::format_duration(*waited)
    )]
    ConfirmTimeout {
        /// How long the client waited.
        waited: Duration,
    },
    /// Publishing failed (the connection or channel closed).
    #[error("publishing to queue `{queue}` failed: {source}; send it again later")]
    Publish {
        /// The submissions queue.
        queue: String,
        /// What failed.
        #[source]
        source: lapin::Error,
    },
    /// The reply queue could not be declared or consumed.
    #[error("the reply queue: {source}")]
    ReplyQueue {
        /// What failed.
        #[source]
        source: lapin::Error,
    },
    /// The reply queue's consumer ended before the result came.
    #[error(
        "the broker closed the reply queue before the result of `{submission_id}` came \
         (connection lost?); the submission is queued: its result still goes to the \
         `grader.results` exchange"
    )]
    ReplyClosed {
        /// The submission waited for.
        submission_id: String,
    },
    /// No result in time.
    #[error(
        "no result for `{submission_id}` within {}: is a grader-worker running and consuming \
         queue `{queue}`? The submission stays queued; its result will go to the \
         `grader.results` exchange",
        humantime::format_duration(*waited)
    )]
    Timeout {
        /// The submission waited for.
        submission_id: String,
        /// The submissions queue.
        queue: String,
        /// How long the client waited.
        waited: Duration,
    },
}

/// A result as the worker sent it.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The JSON body (`schemas/result.schema.json`), as received.
    pub body: Vec<u8>,
    /// The `x-grader-outcome` header (`graded`, `rejected`, ...), if set.
    pub outcome_header: Option<String>,
    /// The AMQP `correlation_id`.
    pub correlation_id: String,
}

impl Reply {
    /// Reads the body.
    pub fn parse(&self) -> Result<ResultBody, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// A connection to the broker, ready to publish submissions.
pub struct Client {
    connection: Connection,
    channel: Channel,
    url: String,
    queue: String,
    confirm_timeout: Duration,
}

fn short(what: &'static str, value: &str) -> Result<ShortString, ClientError> {
    ShortString::try_new(value).map_err(|_| ClientError::TooLong {
        what,
        value: value.to_string(),
    })
}

impl Client {
    /// Connects to `url` (`amqp://user:password@host:port/vhost`, or
    /// `amqps://...`) and opens a channel in confirm mode. Submissions go
    /// to queue `grader.submissions` unless [`Client::with_queue`] says
    /// otherwise.
    pub async fn connect(url: &str) -> Result<Client, ClientError> {
        Client::connect_as(url, "grader-client").await
    }

    /// [`Client::connect`], with `name` as the connection name the
    /// broker's management UI shows.
    pub async fn connect_as(url: &str, name: &str) -> Result<Client, ClientError> {
        let shown = redact(url);
        let connection = match tokio::time::timeout(
            CONNECT_TIMEOUT,
            Connection::connect(
                url,
                ConnectionProperties::default().with_connection_name(name.into()),
            ),
        )
        .await
        {
            Ok(Ok(c)) => c,
            Ok(Err(source)) => return Err(ClientError::Connect { url: shown, source }),
            Err(_) => {
                return Err(ClientError::ConnectTimeout {
                    url: shown,
                    waited: CONNECT_TIMEOUT,
                });
            }
        };
        let channel_error = |source| ClientError::Channel {
            url: shown.clone(),
            source,
        };
        let channel = connection.create_channel().await.map_err(channel_error)?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .map_err(channel_error)?;
        Ok(Client {
            connection,
            channel,
            url: shown,
            queue: SUBMISSIONS.to_string(),
            confirm_timeout: CONFIRM_TIMEOUT,
        })
    }

    /// Publishes to `queue` instead of `grader.submissions` (a worker
    /// started with `--queue`).
    pub fn with_queue(mut self, queue: impl Into<String>) -> Client {
        self.queue = queue.into();
        self
    }

    /// Waits `timeout` for each publish confirm instead of
    /// [`CONFIRM_TIMEOUT`].
    pub fn with_confirm_timeout(mut self, timeout: Duration) -> Client {
        self.confirm_timeout = timeout;
        self
    }

    /// The broker's URL, password redacted.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The submissions queue.
    pub fn queue(&self) -> &str {
        &self.queue
    }

    /// The channel (in confirm mode), for what this client does not do
    /// itself: consuming a results queue, say.
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// Declares the grader's queues and exchanges as a worker would (the
    /// submissions queue with this client's name), so that submissions
    /// can be queued before any worker ran. Fails if they exist with other
    /// arguments.
    pub async fn declare(&self, topology: &Topology) -> Result<(), ClientError> {
        let topology = Topology {
            queue: self.queue.clone(),
            ..topology.clone()
        };
        topology.declare(&self.channel).await?;
        Ok(())
    }

    /// Publishes `sub` and waits for the broker's confirm: when this
    /// returns `Ok`, the submission is on the queue (persistent) and will
    /// be graded; its result goes to the `grader.results` exchange.
    pub async fn publish(&self, sub: &SubmissionMessage) -> Result<(), ClientError> {
        self.publish_with(sub, None).await
    }

    /// Publishes `sub` with a reply queue and waits up to `timeout` for
    /// its result (the result also goes to `grader.results`, as always).
    pub async fn submit_and_wait(
        &self,
        sub: &SubmissionMessage,
        timeout: Duration,
    ) -> Result<Reply, ClientError> {
        let reply_error = |source| ClientError::ReplyQueue { source };
        // The reply queue is declared and consumed before the submission is
        // published, so that there is a queue when the result comes.
        let reply_queue = crate::topology::private_queue(&self.channel)
            .await
            .map_err(reply_error)?;
        let tag = ShortString::from(format!("grader-client-{}", uuid::Uuid::new_v4()));
        let mut consumer = self
            .channel
            .basic_consume(
                reply_queue.clone(),
                tag.clone(),
                // Acknowledged on delivery: the queue is this client's
                // alone and dies with it.
                BasicConsumeOptions {
                    no_ack: true,
                    exclusive: true,
                    ..BasicConsumeOptions::default()
                },
                FieldTable::default(),
            )
            .await
            .map_err(reply_error)?;
        let correlation_id = uuid::Uuid::new_v4().to_string();
        let published = self
            .publish_with(sub, Some((reply_queue.as_str(), &correlation_id)))
            .await;
        let wait = async {
            published?;
            while let Some(delivery) = consumer.next().await {
                let Ok(delivery) = delivery else {
                    break;
                };
                let properties = &delivery.properties;
                if properties
                    .correlation_id()
                    .as_ref()
                    .map(ShortString::as_str)
                    != Some(correlation_id.as_str())
                {
                    // Not ours: skip it (the queue is new for each call, so
                    // only code that reuses a reply queue sees this).
                    continue;
                }
                let outcome_header = properties
                    .headers()
                    .as_ref()
                    .and_then(|h| h.inner().get(OUTCOME_HEADER))
                    .and_then(|v| match v {
                        AMQPValue::LongString(s) => {
                            Some(String::from_utf8_lossy(s.as_bytes()).into_owned())
                        }
                        AMQPValue::ShortString(s) => Some(s.to_string()),
                        _ => None,
                    });
                return Ok(Reply {
                    body: delivery.data,
                    outcome_header,
                    correlation_id: correlation_id.clone(),
                });
            }
            Err(ClientError::ReplyClosed {
                submission_id: sub.submission_id.clone(),
            })
        };
        let waited = tokio::time::timeout(timeout, wait).await;
        // The consumer's end deletes the auto-delete queue; failing to
        // cancel is harmless (the queue goes with the connection).
        let _ = self
            .channel
            .basic_cancel(tag, BasicCancelOptions::default())
            .await;
        match waited {
            Ok(done) => done,
            Err(_) => Err(ClientError::Timeout {
                submission_id: sub.submission_id.clone(),
                queue: self.queue.clone(),
                waited: timeout,
            }),
        }
    }

    async fn publish_with(
        &self,
        sub: &SubmissionMessage,
        reply: Option<(&str, &str)>,
    ) -> Result<(), ClientError> {
        let queue = short("the queue name", &self.queue)?;
        let body = serde_json::to_vec(sub).unwrap_or_default();
        let properties = submission_properties(reply)?;
        self.publish_confirmed("", queue, &body, properties, &self.queue)
            .await
    }

    /// Publishes a result message (`body`, JSON) to the `grader.results`
    /// exchange with `routing_key` (`<course>.<exercise>`), as the worker
    /// does, and waits for the broker's confirm. What `grader regrade`
    /// uses to send regraded results.
    pub async fn publish_result(
        &self,
        routing_key: &str,
        outcome: &str,
        submission_id: &str,
        body: &[u8],
    ) -> Result<(), ClientError> {
        let key = short("the routing key", routing_key)?;
        let properties = crate::topology::result_properties(outcome, submission_id);
        let target = format!("{RESULTS}` (exchange) `{routing_key}");
        self.publish_confirmed(RESULTS, key, body, properties, &target)
            .await
    }

    /// Publishes with `mandatory` set and waits for the broker's confirm:
    /// a return (no queue), a nack or no confirm in time is an error naming
    /// `target`.
    async fn publish_confirmed(
        &self,
        exchange: &str,
        routing_key: ShortString,
        body: &[u8],
        properties: BasicProperties,
        target: &str,
    ) -> Result<(), ClientError> {
        let publish_error = |source| ClientError::Publish {
            queue: target.to_string(),
            source,
        };
        let confirm = self
            .channel
            .basic_publish(
                exchange.into(),
                routing_key,
                BasicPublishOptions {
                    mandatory: true,
                    ..BasicPublishOptions::default()
                },
                body,
                properties,
            )
            .await
            .map_err(publish_error)?;
        let confirmation = tokio::time::timeout(self.confirm_timeout, confirm)
            .await
            .map_err(|_| ClientError::ConfirmTimeout {
                waited: self.confirm_timeout,
            })?
            .map_err(publish_error)?;
        match confirmation {
            Confirmation::Ack(None) | Confirmation::NotRequested => Ok(()),
            Confirmation::Ack(Some(returned)) => Err(ClientError::NoQueue {
                queue: target.to_string(),
                reply: format!("{} {}", returned.reply_code, returned.reply_text),
            }),
            Confirmation::Nack(_) => Err(ClientError::Nacked {
                queue: target.to_string(),
            }),
        }
    }

    /// Closes the channel, then the connection. Errors are ignored: the
    /// broker cleans up after a client that just goes away.
    pub async fn close(self) {
        let _ = self.channel.close(200, "bye".into()).await;
        let _ = self.connection.close(200, "bye".into()).await;
    }
}

/// The AMQP properties of a submission: JSON, `grader.submission.v1`,
/// persistent, a fresh `message_id`, the time, and the reply queue and
/// correlation id when a reply is wanted.
pub fn submission_properties(reply: Option<(&str, &str)>) -> Result<BasicProperties, ClientError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut properties = BasicProperties::default()
        .with_content_type(CONTENT_TYPE.into())
        .with_type(SUBMISSION_TYPE.into())
        .with_message_id(uuid::Uuid::new_v4().to_string().into())
        .with_delivery_mode(2)
        .with_timestamp(now);
    if let Some((reply_to, correlation_id)) = reply {
        properties = properties
            .with_reply_to(short("the reply queue", reply_to)?)
            .with_correlation_id(short("the correlation id", correlation_id)?);
    }
    Ok(properties)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submissions_are_persistent_typed_json() {
        let p = submission_properties(Some(("amq.gen-x", "c-1"))).expect("short");
        assert_eq!(
            p.content_type().as_ref().map(|s| s.as_str()),
            Some(CONTENT_TYPE)
        );
        assert_eq!(p.kind().as_ref().map(|s| s.as_str()), Some(SUBMISSION_TYPE));
        assert_eq!(*p.delivery_mode(), Some(2));
        assert_eq!(p.reply_to().as_ref().map(|s| s.as_str()), Some("amq.gen-x"));
        assert_eq!(p.correlation_id().as_ref().map(|s| s.as_str()), Some("c-1"));
        assert!(p.message_id().is_some());
        let p = submission_properties(None).expect("short");
        assert!(p.reply_to().is_none() && p.correlation_id().is_none());
        assert!(matches!(
            submission_properties(Some((&"q".repeat(256), "c"))),
            Err(ClientError::TooLong { .. })
        ));
    }

    #[test]
    fn results_are_read_tolerantly() {
        let graded = br#"{"submission_id":"s-1","outcome":"graded",
            "exercise":{"id":"zone-basics","version":"1.0.0"},"learner":"grp7",
            "score":{"given":14.5,"maximum":20},"future":1,
            "checks":[{"id":"loads","title":"The zone loads","visibility":"visible",
              "status":"partial","points":1.5,"max_points":3,"feedback":"line 4: ...","lines":[4]}],
            "lti_score":{"userId":"grp7","gradingProgress":"FullyGraded"}}"#;
        let r: ResultBody = serde_json::from_slice(graded).expect("a result");
        assert!(r.is_graded());
        assert_eq!(r.score.as_ref().map(|s| s.given), Some(14.5));
        assert_eq!(r.checks[0].status, "partial");
        assert_eq!(r.checks[0].max_points, 3.0);
        let rejected = br#"{"submission_id":"s-2","outcome":"rejected",
            "reason":"unknown-exercise","message":"no exercise `x`"}"#;
        let r: ResultBody = serde_json::from_slice(rejected).expect("a rejection");
        assert!(!r.is_graded());
        assert_eq!(r.reason.as_deref(), Some("unknown-exercise"));
        assert!(r.checks.is_empty() && r.score.is_none() && r.exercise.is_none());
    }

    #[test]
    fn errors_say_what_to_do_and_hide_nothing_secret() {
        let e = ClientError::NoQueue {
            queue: "grader.submissions".into(),
            reply: "312 NO_ROUTE".into(),
        };
        assert!(e.to_string().contains("start a grader-worker first"), "{e}");
        let e = ClientError::Timeout {
            submission_id: "s-1".into(),
            queue: "grader.submissions".into(),
            waited: Duration::from_secs(60),
        };
        assert!(e.to_string().contains("within 1m"), "{e}");
        let e = ClientError::ConnectTimeout {
            url: redact("amqp://lms:secret@rabbit:5672/%2f"),
            waited: CONNECT_TIMEOUT,
        };
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}
