//! Helpers of the tests against the real RabbitMQ on 127.0.0.1:5672
//! (guest/guest): a virtual host per test, the `grader-worker` binary as a
//! child process, publishing and reading messages, the exercises' sample
//! submissions.
//!
//! A broker that is not running fails the test with instructions; it never
//! skips.

use crate::shell_env;
use std::fmt::Display;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use grader_core::exercise::Exercise;
use grader_worker::topology::{QueueType, RESULTS, SUBMISSIONS, Topology};
use lapin::options::{
    BasicGetOptions, BasicPublishOptions, ConfirmSelectOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, PublisherConfirm};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::root;

/// Where the tests expect the broker.
pub const BROKER: &str = "127.0.0.1:5672";

/// The queue the tests bind to `grader.results` with `#`: every result.
pub const TEST_RESULTS: &str = "test.results";

/// How long a worker may take to become ready (it builds every checker
/// with cargo at start: slow the first time, then cached).
pub const READY_TIMEOUT: Duration = Duration::from_secs(600);

const HOW_TO_START: &str = "start it with `bash scripts/test.sh` (which installs the \
    rabbitmq-server Debian package and starts it when it is not running), or by hand with \
    `rabbitmq-server -detached`";

/// Fails the test, saying how to get RabbitMQ, when nothing answers on
/// 127.0.0.1:5672.
pub fn require_broker() {
    let addr: SocketAddr = BROKER.parse().expect("a socket address");
    if let Err(e) = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(3)) {
        panic!(
            "RabbitMQ is not running on {BROKER} ({e}); these tests need it (user guest, \
             password guest): {HOW_TO_START}"
        );
    }
}

/// The `rabbitmqctl` program (in /usr/sbin on Debian).
fn rabbitmqctl_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .chain([
                "/usr/sbin".into(),
                "/sbin".into(),
                "/usr/lib/rabbitmq/bin".into(),
            ])
            .map(|d| d.join("rabbitmqctl"))
            .find(|p| p.is_file())
            .unwrap_or_else(|| {
                panic!("`rabbitmqctl` is not installed: these tests need RabbitMQ; {HOW_TO_START}")
            })
    })
}

/// Runs `rabbitmqctl ARGS`; returns its output.
pub fn rabbitmqctl(args: &[&str]) -> Output {
    Command::new(rabbitmqctl_path())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run rabbitmqctl {args:?}: {e}"))
}

/// Runs `rabbitmqctl ARGS` and fails the test if it fails.
pub fn rabbitmqctl_ok(args: &[&str]) {
    let out = rabbitmqctl(args);
    assert!(
        out.status.success(),
        "rabbitmqctl {args:?} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A virtual host of one test, deleted (with everything in it) when
/// dropped.
pub struct Vhost {
    /// Its name.
    pub name: String,
}

impl Vhost {
    /// A new, empty virtual host the user `guest` may use.
    pub fn create(prefix: &str) -> Vhost {
        let v = Vhost::reserve(prefix);
        v.add();
        v
    }

    /// A fresh name, not created yet (still deleted when dropped).
    pub fn reserve(prefix: &str) -> Vhost {
        require_broker();
        let id = uuid::Uuid::new_v4().simple().to_string();
        Vhost {
            name: format!("grader-test-{prefix}-{}", &id[..12]),
        }
    }

    /// Creates it and lets `guest` use it.
    pub fn add(&self) {
        rabbitmqctl_ok(&["add_vhost", &self.name]);
        rabbitmqctl_ok(&[
            "set_permissions",
            "-p",
            &self.name,
            "guest",
            ".*",
            ".*",
            ".*",
        ]);
    }

    /// Its AMQP URL.
    pub fn url(&self) -> String {
        format!("amqp://guest:guest@{BROKER}/{}", self.name)
    }
}

impl Drop for Vhost {
    fn drop(&mut self) {
        let _ = rabbitmqctl(&["delete_vhost", &self.name]);
    }
}

/// The `grader-worker` binary, built once per test process.
pub fn worker_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| crate::build_binary("grader-worker", "grader-worker"))
}

/// A free TCP port on 127.0.0.1 (free when asked).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A directory under the system's temporary directory, removed when
/// dropped.
pub struct TempDir {
    /// Its path.
    pub path: PathBuf,
}

impl TempDir {
    /// A new, empty directory.
    pub fn new(prefix: &str) -> TempDir {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let path = std::env::temp_dir().join(format!("grader-{prefix}-{}", &id[..12]));
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir { path }
    }

    /// A path inside it.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A `grader-worker` process. Killed when dropped; its log (stderr) is
/// printed when the test fails.
pub struct Worker {
    child: Child,
    /// Where `/healthz`, `/readyz` and `/metrics` are served.
    pub http: SocketAddr,
    log: PathBuf,
    exited: Option<ExitStatus>,
}

impl Worker {
    /// Starts `grader-worker` on the broker `url` with the repository's
    /// exercises, a free HTTP port and `args` (more flags); does not wait
    /// for it to be ready.
    pub fn spawn(url: &str, args: &[&str]) -> Worker {
        let exercises = root().join("exercises");
        let mut all: Vec<String> = vec!["--exercises".into(), exercises.display().to_string()];
        all.extend(args.iter().map(|a| a.to_string()));
        Worker::spawn_with(url, &all)
    }

    /// Starts `grader-worker` on the broker `url` with exactly `args` (and
    /// a free HTTP port).
    pub fn spawn_with(url: &str, args: &[String]) -> Worker {
        let port = free_port();
        let http: SocketAddr = format!("127.0.0.1:{port}").parse().expect("an address");
        let id = uuid::Uuid::new_v4().simple().to_string();
        let log = std::env::temp_dir().join(format!("grader-worker-{}.log", &id[..12]));
        let file = std::fs::File::create(&log)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let child = shell_env(&mut Command::new(worker_binary()))
            .args(args)
            .arg("--http-addr")
            .arg(http.to_string())
            .env("AMQP_URL", url)
            .env_remove("GRADER_EXERCISES")
            .env_remove("GRADER_HTTP_ADDR")
            .env("RUST_LOG", "info")
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", worker_binary().display()));
        Worker {
            child,
            http,
            log,
            exited: None,
        }
    }

    /// Starts a worker (as [`Worker::spawn`]) and waits until it is ready.
    pub async fn start(url: &str, args: &[&str]) -> Worker {
        let mut w = Worker::spawn(url, args);
        w.ready(READY_TIMEOUT).await;
        w
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything it logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The last `n` lines of its log.
    pub fn log_tail(&self, n: usize) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// Waits until `/readyz` answers 200; fails the test, with the log,
    /// when the worker exits first or `timeout` passes.
    pub async fn ready(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((200, _)) = self.get("/readyz").await {
                return;
            }
            if let Some(status) = self.try_exit() {
                panic!(
                    "the worker exited ({status}) before it was ready; its log:\n{}",
                    self.log_tail(200)
                );
            }
            if Instant::now() >= deadline {
                panic!(
                    "the worker was not ready (GET /readyz = 200) within {timeout:?}; its log:\n{}",
                    self.log_tail(200)
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// GET `path` on its HTTP endpoint: the status and the body, or `None`
    /// when nothing answers.
    pub async fn get(&self, path: &str) -> Option<(u16, String)> {
        http_get(self.http, path).await
    }

    /// The value of the metric line that starts with `series` (a name with
    /// its labels, `grader_submissions_total{outcome="graded"}`).
    pub async fn metric(&self, series: &str) -> Option<f64> {
        let (status, text) = self.get("/metrics").await?;
        assert_eq!(status, 200, "GET /metrics: {text}");
        metric_value(&text, series)
    }

    /// Waits until the metric `series` is `value`; fails with the metrics
    /// and the log when `timeout` passes.
    pub async fn wait_metric(&self, series: &str, value: f64, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let now = self.metric(series).await;
            if now == Some(value) {
                return;
            }
            if Instant::now() >= deadline {
                let metrics = self.get("/metrics").await.map(|m| m.1).unwrap_or_default();
                panic!(
                    "{series} is {now:?}, not {value}, after {timeout:?}\n/metrics:\n{metrics}\nlog:\n{}",
                    self.log_tail(100)
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-s", "TERM", &self.pid().to_string()])
            .status()
            .expect("cannot run kill");
        assert!(status.success(), "kill -s TERM {} failed", self.pid());
    }

    /// Sends SIGKILL and reaps the process.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        if let Ok(status) = self.child.wait() {
            self.exited = Some(status);
        }
    }

    fn try_exit(&mut self) -> Option<ExitStatus> {
        if self.exited.is_none() {
            self.exited = self.child.try_wait().ok().flatten();
        }
        self.exited
    }

    /// Waits for the process to exit; fails with the log after `timeout`.
    pub async fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_exit() {
                return status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "the worker did not exit within {timeout:?}; its log:\n{}",
                    self.log_tail(100)
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if self.try_exit().is_none() {
            self.kill();
        }
        if std::thread::panicking() {
            eprintln!(
                "--- the worker's log ({}), last lines ---\n{}\n---",
                self.log.display(),
                self.log_tail(150)
            );
        } else {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// A bare HTTP/1.1 GET: the status and the body, or `None` when nothing
/// answers within two seconds.
pub async fn http_get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    let exchange = async {
        let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        s.write_all(request.as_bytes()).await.ok()?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await.ok()?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n")?;
        let status = head.split_whitespace().nth(1)?.parse().ok()?;
        Some((status, body.to_string()))
    };
    tokio::time::timeout(Duration::from_secs(2), exchange)
        .await
        .ok()
        .flatten()
}

/// The value of the line of `metrics` that starts with `series` and a
/// space.
pub fn metric_value(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// Polls `f` every 50 ms until it gives a value; fails the test after
/// `timeout`, naming `what`.
pub async fn eventually<T, F, Fut>(what: impl Display, timeout: Duration, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Connects to `url`; fails the test, saying how to start RabbitMQ, when it
/// cannot.
pub async fn connect(url: &str) -> Connection {
    Connection::connect(url, ConnectionProperties::default())
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}; {HOW_TO_START}"))
}

/// A channel in publisher-confirm mode.
pub async fn channel(conn: &Connection) -> Channel {
    let ch = conn.create_channel().await.expect("a channel");
    ch.confirm_select(ConfirmSelectOptions::default())
        .await
        .expect("confirm mode");
    ch
}

/// Declares the worker's topology as a worker with `--delivery-limit
/// delivery_limit` does, and the queue [`TEST_RESULTS`] bound to
/// `grader.results` with `#`.
pub async fn declare(ch: &Channel, delivery_limit: u32) {
    Topology {
        queue: SUBMISSIONS.to_string(),
        queue_type: QueueType::Quorum,
        delivery_limit,
    }
    .declare(ch)
    .await
    .expect("declaring the worker's topology");
    ch.queue_declare(
        TEST_RESULTS.into(),
        QueueDeclareOptions::durable(),
        FieldTable::default(),
    )
    .await
    .expect("declaring the results queue");
    ch.queue_bind(
        TEST_RESULTS.into(),
        RESULTS.into(),
        "#".into(),
        QueueBindOptions::default(),
        FieldTable::default(),
    )
    .await
    .expect("binding the results queue");
}

/// The properties an LMS sets on a submission.
pub fn submission_properties() -> BasicProperties {
    grader_worker::client::submission_properties(None).expect("properties")
}

/// Publishes `body` to the submissions queue (mandatory); the confirm is
/// still to be awaited.
async fn send(ch: &Channel, body: &[u8], properties: BasicProperties) -> PublisherConfirm {
    ch.basic_publish(
        "".into(),
        SUBMISSIONS.into(),
        BasicPublishOptions {
            mandatory: true,
            ..BasicPublishOptions::default()
        },
        body,
        properties,
    )
    .await
    .expect("publishing")
}

/// Publishes `body` to the submissions queue and waits for the broker's
/// confirm.
pub async fn publish(ch: &Channel, body: &[u8], properties: BasicProperties) {
    let confirm = send(ch, body, properties)
        .await
        .await
        .expect("a publisher confirm");
    assert!(confirm.is_ack(), "the broker did not take the submission");
    assert!(
        confirm.take_message().is_none(),
        "the submission was returned (no queue {SUBMISSIONS})"
    );
}

/// Publishes every body (as a submission) and waits for all the confirms.
pub async fn publish_all(ch: &Channel, bodies: &[Vec<u8>]) {
    let mut confirms = Vec::with_capacity(bodies.len());
    for body in bodies {
        confirms.push(send(ch, body, submission_properties()).await);
    }
    for c in confirms {
        let confirm = c.await.expect("a publisher confirm");
        assert!(confirm.is_ack() && confirm.take_message().is_none());
    }
}

/// A message read from a queue.
#[derive(Debug, Clone)]
pub struct Got {
    /// The exchange it was published to.
    pub exchange: String,
    /// Its routing key.
    pub routing_key: String,
    /// Its properties.
    pub properties: BasicProperties,
    /// Its body.
    pub body: Vec<u8>,
}

impl Got {
    fn of(d: lapin::message::Delivery) -> Got {
        Got {
            exchange: d.exchange.to_string(),
            routing_key: d.routing_key.to_string(),
            properties: d.properties,
            body: d.data,
        }
    }

    /// The body as JSON (fails the test when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the message is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A text header.
    pub fn header(&self, name: &str) -> Option<String> {
        match self.properties.headers().as_ref()?.inner().get(name)? {
            AMQPValue::LongString(s) => Some(s.to_string()),
            AMQPValue::ShortString(s) => Some(s.to_string()),
            other => Some(format!("{other:?}")),
        }
    }

    /// A property that is a short string.
    pub fn prop(&self, f: fn(&BasicProperties) -> &Option<ShortString>) -> Option<String> {
        f(&self.properties).as_ref().map(|s| s.to_string())
    }
}

/// Takes one message from `queue`, if it has one (acknowledged at once).
pub async fn get(ch: &Channel, queue: &str) -> Option<Got> {
    ch.basic_get(queue.into(), BasicGetOptions { no_ack: true })
        .await
        .unwrap_or_else(|e| panic!("basic.get on {queue}: {e}"))
        .map(|m| Got::of(m.delivery))
}

/// Takes every message `queue` has now.
pub async fn get_all(ch: &Channel, queue: &str) -> Vec<Got> {
    let mut all = Vec::new();
    while let Some(m) = get(ch, queue).await {
        all.push(m);
    }
    all
}

/// Takes `n` messages from `queue`, waiting for them; fails the test after
/// `timeout` with what came.
pub async fn take(ch: &Channel, queue: &str, n: usize, timeout: Duration) -> Vec<Got> {
    let deadline = Instant::now() + timeout;
    let mut all = Vec::new();
    while all.len() < n {
        match get(ch, queue).await {
            Some(m) => all.push(m),
            None => {
                assert!(
                    Instant::now() < deadline,
                    "{queue}: {} of {n} messages after {timeout:?}: {:?}",
                    all.len(),
                    all.iter()
                        .map(|m| String::from_utf8_lossy(&m.body).chars().take(200).collect())
                        .collect::<Vec<String>>()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    all
}

/// The number of messages ready in `queue`.
pub async fn ready_count(ch: &Channel, queue: &str) -> u32 {
    grader_worker::topology::message_count(ch, queue)
        .await
        .unwrap_or_else(|e| panic!("queue {queue}: {e}"))
}

/// A sample submission of an exercise (`exercises/ID/examples/NAME.*`)
/// with the outcome and score its `.expect.toml` gives.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The exercise id.
    pub exercise: String,
    /// The sample's name (file stem).
    pub name: String,
    /// Its submission message (`Sample::message` of grader-core), without
    /// a submission id or course.
    pub submission: grader_core::message::SubmissionMessage,
    /// The learner (as `grader exercise test`: `student` by default).
    pub learner: String,
    /// The grading time (default `2026-01-01T00:00:00Z`).
    pub at: String,
    /// `graded` or another outcome.
    pub outcome: String,
    /// The expected score, when graded.
    pub score: Option<f64>,
}

impl Sample {
    /// The zone file's text (empty for a sample without one).
    pub fn zone_mut(&mut self) -> &mut String {
        &mut self
            .submission
            .artifacts
            .zone
            .get_or_insert_with(|| grader_core::message::ZoneArtifact {
                origin: None,
                text: String::new(),
            })
            .text
    }

    /// The submission message of this sample.
    pub fn message(&self, submission_id: &str, course: Option<&str>) -> Value {
        let mut m = self.submission.clone();
        m.submission_id = submission_id.to_string();
        m.course = course.map(String::from);
        // As an LMS sends it: no version pinned, no origin stated.
        m.exercise.version = None;
        if let Some(z) = &mut m.artifacts.zone {
            z.origin = None;
        }
        for z in m.artifacts.extra_zones.values_mut() {
            z.origin = None;
        }
        serde_json::to_value(&m).expect("JSON")
    }

    /// The message's bytes.
    pub fn body(&self, submission_id: &str, course: Option<&str>) -> Vec<u8> {
        serde_json::to_vec(&self.message(submission_id, course)).expect("JSON")
    }
}

/// Every sample submission of every exercise in `exercises/` that can
/// travel as a message, sorted. (A sample with a probe that went
/// unanswered cannot: `grader exercise test` grades those, and
/// `probe_e2e` makes the same situations through the worker with real
/// servers; each one left out here is named on stderr.)
pub fn samples() -> Vec<Sample> {
    let mut out = Vec::new();
    let dir = root().join("exercises");
    let mut exercises: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("exercise.toml").is_file())
        .collect();
    exercises.sort();
    for ex in exercises {
        let exercise = Exercise::load(&ex).unwrap_or_else(|e| panic!("{e}"));
        for sample in exercise.samples().unwrap_or_else(|e| panic!("{e}")) {
            let expect = sample.expectation().unwrap_or_else(|e| panic!("{e}"));
            let Some(submission) = sample.message(&exercise).unwrap_or_else(|e| panic!("{e}"))
            else {
                eprintln!(
                    "sample {}/{}: not sent as a message (a probe went unanswered)",
                    exercise.def.id, sample.name
                );
                continue;
            };
            out.push(Sample {
                exercise: exercise.def.id.clone(),
                submission,
                name: sample.name,
                learner: expect.learner,
                at: expect.at,
                outcome: expect.outcome,
                score: expect.score,
            });
        }
    }
    assert!(!out.is_empty(), "no sample submissions in exercises/");
    out
}

/// The sample `name` of exercise `exercise`.
pub fn sample(exercise: &str, name: &str) -> Sample {
    samples()
        .into_iter()
        .find(|s| s.exercise == exercise && s.name == name)
        .unwrap_or_else(|| panic!("no sample {exercise}/{name}"))
}
