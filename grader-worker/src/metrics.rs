//! The worker's Prometheus metrics (`/metrics`). No label carries a
//! submission id or a learner: label values come from fixed lists.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use grader_core::message::Reason;

use crate::intake::OUTCOMES;

type Labels = Vec<(&'static str, &'static str)>;

/// Every metric, registered.
pub struct Metrics {
    registry: Registry,
    /// Submissions finished (result confirmed, delivery acked), by outcome.
    pub submissions: Family<Labels, Counter>,
    /// Grading time per submission (parse, zone, checker), in seconds.
    pub grading_seconds: Histogram,
    /// Deliveries being graded or published.
    pub in_flight: Gauge,
    /// Deliveries the broker marked as redelivered.
    pub redeliveries: Counter,
    /// Messages dead-lettered by the worker, by reason.
    pub dead_letters: Family<Labels, Counter>,
    /// Publishes retried after no confirm, a nack or a closed channel.
    pub publish_retries: Counter,
    /// Deliveries handed back to the queue after every publish (or
    /// gradebook) attempt failed.
    pub requeued: Counter,
    /// Replies whose `reply_to` queue did not exist.
    pub replies_unroutable: Counter,
    /// Connections to the broker lost and opened again.
    pub reconnects: Counter,
    /// 1 while connected to the broker.
    pub connected: Gauge,
    /// 1 while consuming the submissions queue.
    pub consuming: Gauge,
    /// Exercises loaded.
    pub exercises: Gauge,
    /// DNS queries sent to submissions' targets (probes).
    pub probes: Counter,
    /// Results recorded in the gradebook, by what recording did (`new`,
    /// `already`: the same result was there, `conflict`: a different
    /// result was there under the same key).
    pub gradebook_records: Family<Labels, Counter>,
    /// Attempts to record a result in the gradebook that failed.
    pub gradebook_errors: Counter,
    /// 1 while the worker takes no submissions because the gradebook
    /// failed.
    pub gradebook_paused: Gauge,
}

/// The `status` label values of `grader_gradebook_records_total`.
pub const RECORD_STATUSES: [&str; 3] = ["new", "already", "conflict"];

impl Metrics {
    /// All metrics at zero, every label value present.
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let submissions = Family::<Labels, Counter>::default();
        for o in OUTCOMES {
            let _ = submissions.get_or_create(&vec![("outcome", o)]);
        }
        let dead_letters = Family::<Labels, Counter>::default();
        for r in Reason::ALL {
            let _ = dead_letters.get_or_create(&vec![("reason", r.as_str())]);
        }
        let gradebook_records = Family::<Labels, Counter>::default();
        for s in RECORD_STATUSES {
            let _ = gradebook_records.get_or_create(&vec![("status", s)]);
        }
        // 50 µs to about 6.5 s.
        let grading_seconds = Histogram::new(exponential_buckets(0.000_05, 2.0, 18));
        let m = Metrics {
            registry: Registry::default(),
            submissions,
            grading_seconds,
            in_flight: Gauge::default(),
            redeliveries: Counter::default(),
            dead_letters,
            publish_retries: Counter::default(),
            requeued: Counter::default(),
            replies_unroutable: Counter::default(),
            reconnects: Counter::default(),
            connected: Gauge::default(),
            consuming: Gauge::default(),
            exercises: Gauge::default(),
            probes: Counter::default(),
            gradebook_records,
            gradebook_errors: Counter::default(),
            gradebook_paused: Gauge::default(),
        };
        let r = &mut registry;
        let p = "grader";
        let sub = r.sub_registry_with_prefix(p);
        sub.register(
            "submissions",
            "Submissions finished (result confirmed, delivery acked), by outcome",
            m.submissions.clone(),
        );
        sub.register(
            "grading_seconds",
            "Time to grade one submission",
            m.grading_seconds.clone(),
        );
        sub.register(
            "in_flight",
            "Submissions being graded or published",
            m.in_flight.clone(),
        );
        sub.register(
            "redeliveries",
            "Deliveries the broker marked as redelivered",
            m.redeliveries.clone(),
        );
        sub.register(
            "dead_letters",
            "Messages dead-lettered by the worker, by reason",
            m.dead_letters.clone(),
        );
        sub.register(
            "publish_retries",
            "Publishes retried after no confirm, a nack or a closed channel",
            m.publish_retries.clone(),
        );
        sub.register(
            "requeued",
            "Deliveries handed back to the queue after every publish or gradebook attempt failed",
            m.requeued.clone(),
        );
        sub.register(
            "replies_unroutable",
            "Replies whose reply_to queue did not exist",
            m.replies_unroutable.clone(),
        );
        sub.register(
            "amqp_reconnects",
            "Broker connections lost and opened again",
            m.reconnects.clone(),
        );
        sub.register(
            "amqp_connected",
            "1 while connected to the broker",
            m.connected.clone(),
        );
        sub.register(
            "consuming",
            "1 while consuming the submissions queue",
            m.consuming.clone(),
        );
        sub.register("exercises", "Exercises loaded", m.exercises.clone());
        sub.register(
            "probes",
            "DNS queries sent to submissions' targets",
            m.probes.clone(),
        );
        sub.register(
            "gradebook_records",
            "Results recorded in the gradebook, by status (new, already, conflict)",
            m.gradebook_records.clone(),
        );
        sub.register(
            "gradebook_errors",
            "Attempts to record a result in the gradebook that failed",
            m.gradebook_errors.clone(),
        );
        sub.register(
            "gradebook_paused",
            "1 while no submissions are taken because the gradebook failed",
            m.gradebook_paused.clone(),
        );
        Metrics { registry, ..m }
    }

    /// Counts a finished submission.
    pub fn finished(&self, outcome: &'static str) {
        self.submissions
            .get_or_create(&vec![("outcome", outcome)])
            .inc();
    }

    /// Counts a dead letter.
    pub fn dead_lettered(&self, reason: Reason) {
        self.dead_letters
            .get_or_create(&vec![("reason", reason.as_str())])
            .inc();
    }

    /// Counts a result recorded in the gradebook (`status`: one of
    /// [`RECORD_STATUSES`]).
    pub fn recorded(&self, status: &'static str) {
        self.gradebook_records
            .get_or_create(&vec![("status", status)])
            .inc();
    }

    /// The OpenMetrics text of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

#[cfg(test)]
mod tests {
    use super::Metrics;

    #[test]
    fn every_outcome_and_reason_is_exported_from_the_start() {
        let m = Metrics::new();
        m.finished("graded");
        let text = m.render();
        assert!(
            text.contains("grader_submissions_total{outcome=\"graded\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("grader_submissions_total{outcome=\"rejected\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("grader_dead_letters_total{reason=\"not-json\"} 0"),
            "{text}"
        );
        assert!(text.contains("grader_grading_seconds_bucket"), "{text}");
        assert!(text.contains("grader_in_flight 0"), "{text}");
        for status in super::RECORD_STATUSES {
            let series = format!("grader_gradebook_records_total{{status=\"{status}\"}} 0");
            assert!(text.contains(&series), "{series}: {text}");
        }
        assert!(text.contains("grader_gradebook_errors_total 0"), "{text}");
    }
}
