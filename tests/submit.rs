//! `grader submit` against a real `grader-worker` on the real RabbitMQ on
//! 127.0.0.1:5672, as an integrator sees it: what it prints and its exit
//! status (0 graded or published, 1 not a grade, 2 broker or usage
//! problems, 3 no result in time), and where the results go.
//!
//! Each test has its own virtual host. A broker that is not running fails
//! the tests (`bash scripts/test.sh` starts one).

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use grader_tests::amqp::{
    Got, Sample, TEST_RESULTS, Vhost, Worker, channel, connect, declare, free_port, ready_count,
    sample, take,
};
use grader_tests::root;
use grader_worker::topology::SUBMISSIONS;
use lapin::Channel;
use serde_json::Value;

/// How long a worker may take to grade a handful of submissions.
const SOON: Duration = Duration::from_secs(20);

/// What one `grader submit` run did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {} after {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.took, self.stdout, self.stderr
        )
    }
}

impl Run {
    /// Stdout as JSON (fails the test when it is not).
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// Runs `grader submit ARGS` from the repository root, with `AMQP_URL`
/// set to `env_url` (or unset).
fn submit_with_env(args: &[&str], env_url: Option<&str>) -> Run {
    let mut cmd = Command::new(grader_tests::grader_binary());
    cmd.arg("submit")
        .args(args)
        .current_dir(root())
        .env_remove("AMQP_URL")
        .stdin(Stdio::null());
    if let Some(url) = env_url {
        cmd.env("AMQP_URL", url);
    }
    let start = Instant::now();
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("cannot run grader");
    Run {
        code: status.code().expect("grader exited by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        took: {
            eprintln!("TIMING {args:?} {:?}", start.elapsed());
            start.elapsed()
        },
    }
}

/// Runs `grader submit ARGS` (without `AMQP_URL` in its environment).
fn submit(args: &[&str]) -> Run {
    submit_with_env(args, None)
}

/// The sample's zone file, relative to the repository root.
fn zone_path(s: &Sample) -> String {
    format!("exercises/{}/examples/{}.zone", s.exercise, s.name)
}

/// `grader submit` of sample `s` as submission `id` to the broker `url`,
/// with the sample's learner and time, and `more` flags.
fn submit_sample(s: &Sample, id: &str, url: &str, more: &[&str]) -> Run {
    let zone = zone_path(s);
    let mut args = vec![
        "--exercise",
        &s.exercise,
        "--zone",
        &zone,
        "--learner",
        &s.learner,
        "--submitted-at",
        &s.at,
        "--submission-id",
        id,
        "--amqp-url",
        url,
    ];
    args.extend_from_slice(more);
    submit(&args)
}

/// The check statuses the sample's `.expect.toml` gives (`[checks]`).
fn expected_checks(s: &Sample) -> Vec<(String, String)> {
    let path = root()
        .join("exercises")
        .join(&s.exercise)
        .join("examples")
        .join(format!("{}.expect.toml", s.name));
    let text = std::fs::read_to_string(&path).expect("the .expect.toml");
    let table: toml::Table = toml::from_str(&text).expect("TOML");
    let checks = table
        .get("checks")
        .and_then(toml::Value::as_table)
        .unwrap_or_else(|| panic!("{}: no [checks]", path.display()));
    checks
        .iter()
        .map(|(id, status)| {
            let status = status.as_str().expect("a status").to_string();
            (id.clone(), status)
        })
        .collect()
}

/// Points as `grader submit --format text` prints them.
fn points(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.2}")
    }
}

/// Binds [`TEST_RESULTS`] to `grader.results` (declaring the worker's
/// topology with its defaults, as `--declare` does).
async fn results_channel(vhost: &Vhost) -> (lapin::Connection, Channel) {
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    (conn, ch)
}

/// The results on [`TEST_RESULTS`] of the submissions `ids`, taken until
/// each has come at least once (results of other submissions are
/// dropped).
async fn results_of(ch: &Channel, ids: &[&str]) -> Vec<Got> {
    let deadline = Instant::now() + SOON;
    let mut got: Vec<Got> = Vec::new();
    loop {
        let missing: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !got.iter().any(|g| g.json()["submission_id"] == *id))
            .collect();
        if missing.is_empty() {
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "no result on grader.results for {missing:?} after {SOON:?}"
        );
        got.extend(take(ch, TEST_RESULTS, 1, left).await);
    }
    got.retain(|g| ids.contains(&g.json()["submission_id"].as_str().unwrap_or_default()));
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_prints_the_result_and_the_exit_status_says_whether_it_is_a_grade() {
    let vhost = Vhost::create("submit-wait");
    let url = vhost.url();
    let (_conn, ch) = results_channel(&vhost).await;
    let _worker = Worker::start(&url, &[]).await;

    // A good sample, as JSON: the result message the worker sent.
    let good = sample("zone-basics", "good-absolute");
    assert_eq!(good.outcome, "graded");
    let score = good.score.expect("the sample has a score");
    let run = submit_sample(&good, "lms-42", &url, &["--wait", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let v = run.json();
    assert_eq!(v["submission_id"], "lms-42", "{run:?}");
    assert_eq!(v["outcome"], "graded", "{run:?}");
    assert_eq!(v["score"]["given"].as_f64(), Some(score), "{run:?}");
    assert_eq!(v["exercise"]["id"], "zone-basics", "{run:?}");
    assert_eq!(v["learner"], good.learner.as_str(), "{run:?}");
    assert_eq!(v["graded_at"], good.at.as_str(), "{run:?}");
    for (id, status) in expected_checks(&good) {
        let check = v["checks"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == id.as_str()))
            .unwrap_or_else(|| panic!("no check {id}: {run:?}"));
        assert_eq!(check["status"], status.as_str(), "{id}: {run:?}");
    }
    assert!(run.stderr.is_empty(), "{run:?}");

    // A sample with partial points, as text: the outcome, the score and
    // every check.
    let partial = sample("zone-basics", "missing-dot-ns");
    let score = partial.score.expect("the sample has a score");
    let run = submit_sample(&partial, "lms-43", &url, &["--wait", "--format", "text"]);
    assert_eq!(run.code, 0, "{run:?}");
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("lms-43: zone-basics")
            && first.ends_with(&format!(", learner {}", partial.learner)),
        "{run:?}"
    );
    let line = format!("graded: score {} / ", points(score));
    assert!(run.stdout.contains(&line), "`{line}` in {run:?}");
    for (id, status) in expected_checks(&partial) {
        let line = format!(" {id} {status} (");
        assert!(
            run.stdout.lines().any(|l| l.contains(&line)),
            "`{line}` in {run:?}"
        );
    }

    // Not a grade: exit 1, with the result all the same.
    let invalid = sample("zone-basics", "other-origin");
    assert_eq!(invalid.outcome, "invalid_submission");
    let run = submit_sample(&invalid, "lms-44", &url, &["--wait", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let v = run.json();
    assert_eq!(v["submission_id"], "lms-44", "{run:?}");
    assert_eq!(v["outcome"], "invalid_submission", "{run:?}");
    assert!(v.get("score").is_none_or(Value::is_null), "{run:?}");
    let run = submit_sample(&invalid, "lms-45", &url, &["--wait"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("not graded (invalid_submission)"),
        "{run:?}"
    );

    let zone = zone_path(&good);
    let run = submit(&[
        "--exercise",
        "no-such-exercise",
        "--zone",
        &zone,
        "--submission-id",
        "lms-46",
        "--amqp-url",
        &url,
        "--wait",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let v = run.json();
    assert_eq!(v["submission_id"], "lms-46", "{run:?}");
    assert_eq!(v["outcome"], "rejected", "{run:?}");
    assert_eq!(v["reason"], "unknown-exercise", "{run:?}");

    // Without --wait: the submission id, then the result on grader.results.
    let run = submit_sample(&good, "lms-47", &url, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "lms-47\n", "{run:?}");
    let run = submit_sample(&good, "lms-48", &url, &["--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.json(),
        serde_json::json!({ "submission_id": "lms-48", "queue": SUBMISSIONS }),
        "{run:?}"
    );

    // Every result, waited for or not, also went to grader.results.
    let ids = [
        "lms-42", "lms-43", "lms-44", "lms-45", "lms-46", "lms-47", "lms-48",
    ];
    let results = results_of(&ch, &ids).await;
    for id in ids {
        let n = results
            .iter()
            .filter(|r| r.json()["submission_id"] == id)
            .count();
        assert_eq!(n, 1, "{id}: one result on grader.results");
    }
    for id in ["lms-47", "lms-48"] {
        let r = results
            .iter()
            .find(|r| r.json()["submission_id"] == id)
            .expect("the result")
            .json();
        assert_eq!(r["outcome"], "graded", "{r}");
        assert_eq!(r["score"]["given"].as_f64(), good.score, "{r}");
    }
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_a_worker_runs_submissions_need_declare_and_waiting_times_out() {
    let vhost = Vhost::create("submit-early");
    let url = vhost.url();
    let good = sample("zone-basics", "good-relative");

    // No queue yet: the broker returns the submission.
    for more in [&[][..], &["--wait", "--timeout", "2s"][..]] {
        let run = submit_sample(&good, "early-0", &url, more);
        assert_eq!(run.code, 2, "{more:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert!(
            run.stderr.contains("no queue `grader.submissions`")
                && run.stderr.contains("--declare"),
            "{run:?}"
        );
        assert!(!run.stderr.contains(":guest@"), "{run:?}");
    }

    // --declare queues it; nothing grades it within --timeout.
    let run = submit_sample(
        &good,
        "early-1",
        &url,
        &["--declare", "--wait", "--timeout", "2s"],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr.contains("no result for `early-1` within 2s"),
        "{run:?}"
    );
    assert!(
        run.took >= Duration::from_secs(2) && run.took < Duration::from_secs(10),
        "{run:?}"
    );
    let run = submit_sample(&good, "early-2", &url, &["--declare"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "early-2\n", "{run:?}");

    // The queues --declare made are the worker's: the same arguments.
    let (_conn, ch) = results_channel(&vhost).await;
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 2);
    let _worker = Worker::start(&url, &[]).await;
    let results = results_of(&ch, &["early-1", "early-2"]).await;
    assert_eq!(results.len(), 2);
    for r in &results {
        let v = r.json();
        assert_eq!(v["outcome"], "graded", "{v}");
        assert_eq!(v["score"]["given"].as_f64(), good.score, "{v}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_problems_exit_2_and_never_show_the_password() {
    let vhost = Vhost::create("submit-broker");
    let good = sample("zone-basics", "good-relative");
    let password = format!("pw-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let wrong_password = format!("amqp://guest:{password}@127.0.0.1:5672/{}", vhost.name);
    let closed_port = format!("amqp://guest:{password}@127.0.0.1:{}/%2f", free_port());

    for url in [&wrong_password, &closed_port] {
        for more in [&["--declare"][..], &["--wait", "--timeout", "2s"][..]] {
            let run = submit_sample(&good, "broker-1", url, more);
            assert_eq!(run.code, 2, "{url} {more:?}: {run:?}");
            assert!(run.stdout.is_empty(), "{run:?}");
            assert!(
                run.stderr
                    .contains("cannot connect to the broker at amqp://guest:***@"),
                "{run:?}"
            );
            assert!(!run.stderr.contains(&password), "{run:?}");
            assert!(run.took < Duration::from_secs(10), "{run:?}");
        }
    }

    // The same from AMQP_URL.
    let zone = zone_path(&good);
    let run = submit_with_env(
        &["--exercise", "zone-basics", "--zone", &zone],
        Some(&wrong_password),
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!run.stderr.contains(&password), "{run:?}");
}
