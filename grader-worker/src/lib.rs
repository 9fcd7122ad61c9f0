//! The grading service: consumes submissions from RabbitMQ, grades them on
//! a bounded blocking pool with the exercises' sandboxed checkers, and
//! publishes each result (confirmed) before acknowledging the submission.
//!
//! - [`config`]: flags and environment.
//! - [`topology`]: the broker objects and their names.
//! - [`intake`]: a delivery's bytes → a result or a dead letter (no broker).
//! - [`worker`]: the consume → grade → record → publish → ack loop
//!   (recording in the gradebook with `--gradebook`), reconnection,
//!   graceful shutdown.
//! - [`http`], [`metrics`]: `/healthz`, `/readyz`, `/metrics`.
//! - [`client`]: the reference client an LMS integration can copy.

use std::sync::atomic::AtomicBool;

pub mod client;
pub mod config;
pub mod http;
pub mod intake;
pub mod metrics;
pub mod probe;
pub mod topology;
pub mod worker;

/// State the worker shares with the HTTP endpoint.
#[derive(Default)]
pub struct Shared {
    /// The metrics.
    pub metrics: metrics::Metrics,
    /// Connected to the broker.
    pub connected: AtomicBool,
    /// Consuming the submissions queue.
    pub consuming: AtomicBool,
    /// Shutting down: finishing in-flight work.
    pub draining: AtomicBool,
    /// Not taking submissions: the gradebook failed, and the worker waits
    /// for it to answer again.
    pub gradebook_paused: AtomicBool,
}

/// What stops the worker.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The broker refused the topology in a way retrying cannot fix.
    #[error(transparent)]
    Topology(#[from] topology::DeclareError),
    /// `--amqp-ca-file` cannot be read.
    #[error("cannot read the CA file {0}")]
    CaFile(String),
    /// `--gradebook` cannot be opened.
    #[error("cannot open the gradebook: {0}")]
    Gradebook(#[from] grader_gradebook::Error),
}
