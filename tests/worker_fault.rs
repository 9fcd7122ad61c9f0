//! The fault test: 10,000 submissions are queued; while a worker grades
//! them the broker is restarted once (`rabbitmqctl stop_app` then
//! `start_app`: the RabbitMQ application stops and starts again in the
//! same Erlang node, closing every connection, as a broker restart does)
//! and the worker is killed once with SIGKILL and started again.
//! Afterwards every submission has at least one result with its expected
//! outcome and score: none is lost. Duplicates (a submission graded again
//! because its acknowledgement was lost with the connection) are allowed
//! and counted: printed and written to `target/worker-fault-report.txt`.
//!
//! Restarting the broker disturbs every test that uses it: the broker tests
//! run one at a time (`.config/nextest.toml`, test group `rabbitmq`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use grader_tests::amqp::{
    Got, Sample, TEST_RESULTS, Vhost, Worker, channel, connect, declare, get, publish_all,
    rabbitmqctl, rabbitmqctl_ok, ready_count, samples,
};
use grader_tests::root;
use grader_worker::topology::{DEAD, SUBMISSIONS};
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;
use lapin::{Channel, Connection, ConnectionProperties};

const SUBMISSIONS_PUBLISHED: usize = 10_000;
/// Results between the faults: the broker restarts after the first
/// `STEP`, the worker is killed after `STEP` more.
const STEP: u32 = 2_000;
/// The longest the whole grading may take.
const DEADLINE: Duration = Duration::from_secs(240);

/// Starts the RabbitMQ application again when dropped, unless the test
/// already did: the broker is running after this test, whatever happens.
struct BrokerBack {
    started: bool,
}

impl BrokerBack {
    fn start(&mut self) {
        rabbitmqctl_ok(&["start_app"]);
        rabbitmqctl_ok(&["await_startup"]);
        self.started = true;
    }
}

impl Drop for BrokerBack {
    fn drop(&mut self) {
        if !self.started {
            let _ = rabbitmqctl(&["start_app"]);
            let _ = rabbitmqctl(&["await_startup"]);
        }
    }
}

/// A connection that is opened again when the broker went away.
struct Watch {
    url: String,
    conn: Option<(Connection, Channel)>,
}

impl Watch {
    /// The messages ready in `queue`, or `None` while the broker is away.
    async fn ready(&mut self, queue: &str) -> Option<u32> {
        if self.conn.is_none() {
            let conn = Connection::connect(&self.url, ConnectionProperties::default())
                .await
                .ok()?;
            let ch = conn.create_channel().await.ok()?;
            self.conn = Some((conn, ch));
        }
        let (_, ch) = self.conn.as_ref()?;
        let passive = QueueDeclareOptions {
            passive: true,
            ..QueueDeclareOptions::default()
        };
        match ch
            .queue_declare(queue.into(), passive, FieldTable::default())
            .await
        {
            Ok(q) => Some(q.message_count()),
            Err(_) => {
                self.conn = None;
                None
            }
        }
    }

    /// Waits until `queue` has at least `n` messages ready.
    async fn until_at_least(&mut self, queue: &str, n: u32, worker: &Worker) -> u32 {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(count) = self.ready(queue).await
                && count >= n
            {
                return count;
            }
            assert!(
                Instant::now() < deadline,
                "{queue} has not reached {n} messages within {DEADLINE:?}; the worker's log:\n{}",
                worker.log_tail(60)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Files a result under its submission id.
fn record(results: &mut BTreeMap<String, Vec<serde_json::Value>>, m: &Got) {
    let v = m.json();
    let id = v["submission_id"].as_str().expect("an id").to_string();
    results.entry(id).or_default().push(v);
}

fn report_path() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("worker-fault-report.txt")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_submissions_survive_a_broker_restart_and_a_killed_worker() {
    let started = Instant::now();
    let vhost = Vhost::create("fault");
    let url = vhost.url();
    let all = samples();
    let expected: BTreeMap<String, &Sample> = (0..SUBMISSIONS_PUBLISHED)
        .map(|i| (format!("fault-{i:05}"), &all[i % all.len()]))
        .collect();
    {
        let conn = connect(&url).await;
        let ch = channel(&conn).await;
        declare(&ch, 5).await;
        let bodies: Vec<Vec<u8>> = expected.iter().map(|(id, s)| s.body(id, None)).collect();
        publish_all(&ch, &bodies).await;
        let _ = conn.close(200, "published".into()).await;
    }
    let published_in = started.elapsed();
    let mut log = String::new();
    let _ = writeln!(
        log,
        "published {SUBMISSIONS_PUBLISHED} submissions ({} samples of {} exercises) in {published_in:.1?}",
        all.len(),
        all.iter()
            .map(|s| s.exercise.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );

    let grading = Instant::now();
    let mut first = Worker::start(&url, &[]).await;
    let mut watch = Watch {
        url: url.clone(),
        conn: None,
    };

    // Fault 1: the broker restarts during grading.
    let before_restart = watch.until_at_least(TEST_RESULTS, STEP, &first).await;
    let mut broker = BrokerBack { started: false };
    let restart = Instant::now();
    rabbitmqctl_ok(&["stop_app"]);
    broker.start();
    let _ = writeln!(
        log,
        "broker restarted (rabbitmqctl stop_app + start_app) after {before_restart} results, \
         down for {:.1?}",
        restart.elapsed()
    );
    // The same worker reconnects and goes on grading.
    let before_kill = watch
        .until_at_least(TEST_RESULTS, before_restart + STEP, &first)
        .await;
    assert!(
        (before_kill as usize) < SUBMISSIONS_PUBLISHED,
        "the worker graded everything before it could be killed: the test proves nothing"
    );
    let reconnects = first
        .metric("grader_amqp_reconnects_total")
        .await
        .unwrap_or(0.0);
    assert!(
        reconnects >= 1.0,
        "the worker went on after the broker restart without reconnecting?\n{}",
        first.log_tail(40)
    );

    // Fault 2: the worker is killed during grading, and started again.
    first.kill();
    let _ = writeln!(
        log,
        "worker killed (SIGKILL) after {before_kill} results (it reconnected {reconnects} time(s))"
    );
    let mut second = Worker::start(&url, &[]).await;

    // Every submission gets a result.
    let conn = connect(&url).await;
    let ch = channel(&conn).await;
    let mut results: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut total = 0usize;
    let deadline = grading + DEADLINE;
    while results.len() < SUBMISSIONS_PUBLISHED {
        match get(&ch, TEST_RESULTS).await {
            Some(m) => {
                total += 1;
                record(&mut results, &m);
            }
            None => {
                assert!(
                    Instant::now() < deadline,
                    "{} of {SUBMISSIONS_PUBLISHED} submissions have a result after {DEADLINE:?}; \
                     {} submissions queued; the worker's log:\n{}",
                    results.len(),
                    ready_count(&ch, SUBMISSIONS).await,
                    second.log_tail(60)
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    let graded_in = grading.elapsed();
    // Then the second worker stops cleanly, and the last results (all
    // duplicates) are counted.
    second.terminate();
    let status = second.wait_exit(Duration::from_secs(60)).await;
    assert!(status.success(), "SIGTERM: exit 0, not {status}");
    while let Some(m) = get(&ch, TEST_RESULTS).await {
        total += 1;
        record(&mut results, &m);
    }
    let queued = ready_count(&ch, SUBMISSIONS).await;
    let dead = ready_count(&ch, DEAD).await;

    let missing: Vec<&String> = expected
        .keys()
        .filter(|id| !results.contains_key(*id))
        .collect();
    let duplicates = total - results.len();
    let duplicated_ids = results.values().filter(|r| r.len() > 1).count();
    let _ = writeln!(
        log,
        "results: {total} for {} submissions; missing: {}; duplicates: {duplicates} (of {duplicated_ids} submissions); \
         dead letters: {dead}; still queued: {queued}",
        results.len(),
        missing.len()
    );
    let _ = writeln!(
        log,
        "graded in {graded_in:.1?} ({:.0} results/s including both faults and worker starts); whole test {:.1?}",
        total as f64 / graded_in.as_secs_f64(),
        started.elapsed()
    );
    println!("{log}");
    let _ = std::fs::write(report_path(), &log);

    assert!(missing.is_empty(), "lost: {missing:?}\n{log}");
    assert_eq!(results.len(), SUBMISSIONS_PUBLISHED, "{log}");
    assert_eq!(queued, 0, "{log}");
    // Every result, duplicates included, is the sample's expected one.
    for (id, rs) in &results {
        let s = expected
            .get(id)
            .unwrap_or_else(|| panic!("a result for {id}, never published"));
        for v in rs {
            assert_eq!(v["outcome"], s.outcome.as_str(), "{id}: {v}");
            if let Some(score) = s.score {
                assert_eq!(v["score"]["given"].as_f64(), Some(score), "{id}: {v}");
            }
        }
    }
    assert_eq!(dead, 0, "nothing dead-lettered: {log}");
}
