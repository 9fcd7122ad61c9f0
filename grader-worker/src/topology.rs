//! The broker objects the grader uses, declared idempotently at start
//! (`schemas/asyncapi.yaml` documents them for integrators).
//!
//! - `grader.submissions`: durable queue (quorum by default) the LMS
//!   publishes submissions to, through the default exchange. Its dead-letter
//!   exchange is `grader.dead`; on a quorum queue, `x-delivery-limit` is the
//!   broker's backstop for messages the worker cannot even dead-letter.
//! - `grader.results`: durable topic exchange results are published to with
//!   routing key `<course-or-default>.<exercise>`. An LMS binds its own
//!   queue. Results no queue is bound for go to its alternate exchange
//!   `grader.results.unrouted` and wait in the queue of that name: nothing is
//!   dropped for want of a binding.
//! - `grader.dead`: durable fanout exchange and queue of the messages that
//!   cannot be graded, with an `x-grader-reason` header.

use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{Channel, ExchangeKind};

/// The default submissions queue.
pub const SUBMISSIONS: &str = "grader.submissions";
/// The results exchange (topic).
pub const RESULTS: &str = "grader.results";
/// The results exchange's alternate exchange and its queue.
pub const UNROUTED: &str = "grader.results.unrouted";
/// The dead-letter exchange (fanout) and its queue.
pub const DEAD: &str = "grader.dead";
/// Header of a dead letter: why it could not be graded.
pub const REASON_HEADER: &str = "x-grader-reason";
/// Header of a dead letter: what is wrong, for a person.
pub const DETAIL_HEADER: &str = "x-grader-detail";
/// Header of a result: its outcome.
pub const OUTCOME_HEADER: &str = "x-grader-outcome";
/// The AMQP `app_id` of everything the worker publishes.
pub const APP_ID: &str = "grader-worker";

/// The kind of the submissions queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum QueueType {
    /// Replicated, counts deliveries (`x-delivery-count`): the default.
    Quorum,
    /// A classic queue: no delivery count, so no delivery limit.
    Classic,
}

impl QueueType {
    fn as_str(self) -> &'static str {
        match self {
            QueueType::Quorum => "quorum",
            QueueType::Classic => "classic",
        }
    }
}

/// How the submissions queue is declared.
#[derive(Clone, Debug)]
pub struct Topology {
    /// The submissions queue's name.
    pub queue: String,
    /// Its kind.
    pub queue_type: QueueType,
    /// The number of deliveries after which a submission is dead-lettered.
    pub delivery_limit: u32,
}

/// A declaration the broker refused, naming the object.
#[derive(Debug, thiserror::Error)]
#[error("declaring {what} `{name}`: {source}{hint}")]
pub struct DeclareError {
    what: &'static str,
    name: String,
    hint: &'static str,
    #[source]
    source: Box<lapin::Error>,
}

impl DeclareError {
    /// Whether the broker refused because an object of that name exists
    /// with other arguments: retrying cannot fix it.
    pub fn is_mismatch(&self) -> bool {
        !self.hint.is_empty()
    }
}

const MISMATCH_HINT: &str = " (an object of that name exists with other arguments: \
    match the configuration to it, or delete it and let the worker declare it)";

fn fail(what: &'static str, name: &str) -> impl FnOnce(lapin::Error) -> DeclareError {
    let name = name.to_string();
    move |source| {
        let hint = if source.to_string().contains("PRECONDITION_FAILED")
            || source.to_string().contains("inequivalent")
        {
            MISMATCH_HINT
        } else {
            ""
        };
        DeclareError {
            what,
            name,
            hint,
            source: Box::new(source),
        }
    }
}

fn table(entries: &[(&str, AMQPValue)]) -> FieldTable {
    let mut t = FieldTable::default();
    for (k, v) in entries {
        t.insert(ShortString::from(*k), v.clone());
    }
    t
}

fn text(s: &str) -> AMQPValue {
    AMQPValue::LongString(LongString::from(s))
}

/// Declares an exclusive, auto-deleted queue with a server-made name (a
/// reply queue, a test's view of an exchange) and returns the name.
pub async fn private_queue(ch: &Channel) -> Result<ShortString, lapin::Error> {
    let q = ch
        .queue_declare(
            "".into(),
            QueueDeclareOptions {
                exclusive: true,
                auto_delete: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await?;
    Ok(q.name().clone())
}

/// The number of ready messages in the existing queue `queue`.
pub async fn message_count(ch: &Channel, queue: &str) -> Result<u32, lapin::Error> {
    let q = ch
        .queue_declare(
            queue.into(),
            QueueDeclareOptions {
                passive: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await?;
    Ok(q.message_count())
}

const DURABLE: ExchangeDeclareOptions = ExchangeDeclareOptions {
    durable: true,
    passive: false,
    auto_delete: false,
    internal: false,
    nowait: false,
};

const DURABLE_QUEUE: QueueDeclareOptions = QueueDeclareOptions {
    durable: true,
    passive: false,
    exclusive: false,
    auto_delete: false,
    nowait: false,
};

/// A durable fanout exchange and a durable queue of the same name, bound.
async fn fanout_with_queue(ch: &Channel, name: &str) -> Result<(), DeclareError> {
    ch.exchange_declare(
        name.into(),
        ExchangeKind::Fanout,
        DURABLE,
        FieldTable::default(),
    )
    .await
    .map_err(fail("exchange", name))?;
    ch.queue_declare(name.into(), DURABLE_QUEUE, FieldTable::default())
        .await
        .map_err(fail("queue", name))?;
    ch.queue_bind(
        name.into(),
        name.into(),
        "".into(),
        QueueBindOptions::default(),
        FieldTable::default(),
    )
    .await
    .map_err(fail("binding of queue", name))
}

impl Topology {
    /// The submissions queue's arguments.
    pub fn queue_arguments(&self) -> FieldTable {
        let mut args = vec![
            ("x-queue-type", text(self.queue_type.as_str())),
            ("x-dead-letter-exchange", text(DEAD)),
        ];
        if self.queue_type == QueueType::Quorum {
            args.push((
                "x-delivery-limit",
                AMQPValue::LongLongInt(i64::from(self.delivery_limit)),
            ));
        }
        table(&args)
    }

    /// Declares every object; declaring what exists with the same
    /// arguments does nothing.
    pub async fn declare(&self, ch: &Channel) -> Result<(), DeclareError> {
        for name in [DEAD, UNROUTED] {
            fanout_with_queue(ch, name).await?;
        }
        ch.exchange_declare(
            RESULTS.into(),
            ExchangeKind::Topic,
            DURABLE,
            table(&[("alternate-exchange", text(UNROUTED))]),
        )
        .await
        .map_err(fail("exchange", RESULTS))?;
        ch.queue_declare(
            self.queue.as_str().into(),
            DURABLE_QUEUE,
            self.queue_arguments(),
        )
        .await
        .map_err(fail("queue", &self.queue))?;
        Ok(())
    }
}

/// The AMQP properties of a result message: JSON, `grader.result.v1`,
/// persistent, a fresh `message_id`, the time, the submission id as
/// `correlation_id` and the outcome in `x-grader-outcome`.
pub fn result_properties(outcome: &str, submission_id: &str) -> lapin::BasicProperties {
    let mut headers = FieldTable::default();
    headers.insert(OUTCOME_HEADER.into(), AMQPValue::LongString(outcome.into()));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Ids are at most 200 bytes; a short string holds 255.
    let mut cut = submission_id.len().min(255);
    while !submission_id.is_char_boundary(cut) {
        cut -= 1;
    }
    lapin::BasicProperties::default()
        .with_content_type("application/json".into())
        .with_delivery_mode(2)
        .with_type(grader_core::message::RESULT_TYPE.into())
        .with_app_id(APP_ID.into())
        .with_message_id(uuid::Uuid::new_v4().to_string().into())
        .with_correlation_id(ShortString::from(&submission_id[..cut]))
        .with_timestamp(now)
        .with_headers(headers)
}
