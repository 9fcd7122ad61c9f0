//! The worker's configuration: flags, each with an environment variable.
//! Parsed once at start; a bad value stops the worker with clap's message.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};

use crate::topology::{QueueType, SUBMISSIONS, Topology};

/// `grader-worker`: consumes submissions from RabbitMQ, grades them with
/// the exercises' checkers and publishes the results.
#[derive(Clone, Debug, Parser)]
#[command(name = "grader-worker", version, about)]
pub struct Config {
    /// The broker: `amqp://user:password@host:port/vhost` or `amqps://...`
    /// (TLS). Add `?heartbeat=10` to notice a dead broker within seconds.
    /// Never logged with its password.
    #[arg(
        long,
        env = "AMQP_URL",
        default_value = DEFAULT_AMQP_URL,
        hide_env_values = true
    )]
    pub amqp_url: String,

    /// A PEM file of CA certificates to trust for `amqps://`, besides the
    /// system's (a workshop broker with its own CA).
    #[arg(long, env = "AMQP_CA_FILE")]
    pub amqp_ca_file: Option<PathBuf>,

    /// Exercise directories, or directories of them (repeat the flag, or
    /// separate with `:` in the environment). Every checker is built and
    /// compiled at start; an invalid exercise stops the worker.
    #[arg(
        long = "exercises",
        env = "GRADER_EXERCISES",
        value_delimiter = ':',
        default_value = "exercises"
    )]
    pub exercises: Vec<PathBuf>,

    /// Gradings run at once (threads of the grading pool); default: the
    /// number of cores.
    #[arg(long, env = "GRADER_CONCURRENCY", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: Option<u32>,

    /// Unacknowledged submissions the broker hands this worker at once.
    #[arg(long, env = "GRADER_PREFETCH", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: u16,

    /// The submissions queue.
    #[arg(long, env = "GRADER_QUEUE", default_value = SUBMISSIONS, value_parser = queue_name)]
    pub queue: String,

    /// The submissions queue's type, when the worker creates it.
    #[arg(long, env = "GRADER_QUEUE_TYPE", value_enum, default_value_t = QueueType::Quorum)]
    pub queue_type: QueueType,

    /// Deliveries of one submission after which it is dead-lettered
    /// (`delivery-limit`) instead of graded again (quorum queues only).
    #[arg(long, env = "GRADER_DELIVERY_LIMIT", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub delivery_limit: u32,

    /// The largest submission body accepted, in bytes; larger ones are
    /// dead-lettered (`too-large`).
    #[arg(long, env = "GRADER_MAX_MESSAGE_BYTES", default_value_t = 4 << 20)]
    pub max_message_bytes: usize,

    /// How long to wait for the broker to confirm a publish.
    #[arg(long, env = "GRADER_PUBLISH_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub publish_timeout: Duration,

    /// Publish attempts for one result before the submission is handed
    /// back to the queue.
    #[arg(long, env = "GRADER_PUBLISH_ATTEMPTS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub publish_attempts: u32,

    /// On SIGTERM or SIGINT, how long in-flight submissions may take to
    /// finish before the worker exits (unfinished ones go back to the queue).
    #[arg(long, env = "GRADER_SHUTDOWN_TIMEOUT", default_value = "25s", value_parser = humantime::parse_duration)]
    pub shutdown_timeout: Duration,

    /// The HTTP address of `/healthz`, `/readyz` and `/metrics`.
    #[arg(long, env = "GRADER_HTTP_ADDR", default_value = "127.0.0.1:9464")]
    pub http_addr: SocketAddr,

    /// Log format (the level comes from `RUST_LOG`, default `info`).
    #[arg(long, env = "GRADER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Where compiled checkers are cached (default: as `grader grade`).
    #[arg(long, env = "GRADER_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Where exercises' probes may be sent: `NETWORK[/PREFIX][@PORTS]`
    /// (`127.0.0.0/8`, `10.20.0.0/16@53,5300-5399`); the flag repeats, and
    /// the environment variable is a list separated by spaces. A target
    /// outside every entry is refused before any packet is sent. Default:
    /// loopback only (127.0.0.0/8 and ::1).
    #[arg(long = "probe-allow", env = "GRADER_PROBE_ALLOW", value_delimiter = ' ', value_parser = parse_allow)]
    pub probe_allow: Vec<grader_core::probe::Allow>,

    /// The gradebook every result is recorded in, with its submission,
    /// before it is published: the path of an SQLite file (created with
    /// its tables; one worker), or a PostgreSQL URL
    /// (`postgres://user:password@host:5432/db`, for several workers
    /// sharing one). A gradebook that cannot be opened stops the worker at
    /// start; one that fails later holds results back (the submission goes
    /// back to the queue, and the worker takes no more until the gradebook
    /// answers again). Without it, results are only published. Never logged
    /// with its password.
    #[arg(
        long,
        env = "GRADER_GRADEBOOK",
        hide_env_values = true,
        value_name = "LOCATION"
    )]
    pub gradebook: Option<String>,

    /// Attempts to record one result in the gradebook before the
    /// submission is handed back to the queue.
    #[arg(long, env = "GRADER_GRADEBOOK_ATTEMPTS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub gradebook_attempts: u32,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

fn parse_allow(s: &str) -> Result<grader_core::probe::Allow, String> {
    s.parse()
}

impl Config {
    /// The probe allowlist: `--probe-allow`, or loopback only.
    pub fn allowlist(&self) -> grader_core::probe::Allowlist {
        grader_core::probe::Allowlist::or_default(&self.probe_allow)
    }

    /// The grading pool's size.
    pub fn concurrency(&self) -> u32 {
        self.concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u32))
    }

    /// The broker objects to declare.
    pub fn topology(&self) -> Topology {
        Topology {
            queue: self.queue.clone(),
            queue_type: self.queue_type,
            delivery_limit: self.delivery_limit,
        }
    }
}

fn queue_name(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > 255 || s.starts_with("amq.") {
        return Err("a queue name is 1 to 255 bytes and does not start with `amq.`".into());
    }
    Ok(s.to_string())
}

/// The broker a worker and the `grader` commands use by default: the local
/// RabbitMQ with its default user.
pub const DEFAULT_AMQP_URL: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";

/// `url` with its password replaced by `***`, for logs
/// ([`grader_core::redact_url`]); `***` for all of what is not a URL.
pub fn redact(url: &str) -> String {
    grader_core::redact_url(url).unwrap_or_else(|| "***".to_string())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn what_is_not_a_url_is_hidden_whole() {
        assert_eq!(redact("garbage:password"), "***");
        assert_eq!(redact("amqp://u:p@h/v"), "amqp://u:***@h/v");
    }
}
