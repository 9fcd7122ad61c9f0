//! The gradebook filled by the worker (`grader-worker --gradebook`) and by
//! `grader results record`, against the real RabbitMQ on 127.0.0.1:5672
//! and PostgreSQL on 127.0.0.1:5432: every result the LMS sees is in the
//! gradebook with its submission, once; the latest and best attempts of a
//! learner; a JSON-lines file with duplicates, rejected results, conflicts
//! and broken lines; a results queue drained, with a message that is not a
//! result; a gradebook that cannot be opened; a gradebook that fails while
//! the worker runs, and comes back.
//!
//! Each test has its own virtual host, gradebook and worker process.

use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use grader_gradebook::{Filter, Gradebook, Pick};
use grader_tests::amqp::{
    TEST_RESULTS, TempDir, Vhost, Worker, channel, connect, declare, eventually, get_all, publish,
    ready_count, sample, samples, submission_properties, take,
};
use grader_tests::gradebook::{Scratch, psql};
use grader_tests::grader_with_input as grader;
use grader_tests::{grader_binary, root, shell_env};
use grader_worker::topology::{DEAD, SUBMISSIONS};
use serde_json::{Value, json};

/// How long results of a handful of submissions may take.
const SOON: Duration = Duration::from_secs(60);

/// A result without what may differ between two gradings (`timing`).
fn without_timing(mut v: Value) -> Value {
    v.as_object_mut().expect("an object").remove("timing");
    v
}

fn records(status: &str) -> String {
    format!("grader_gradebook_records_total{{status=\"{status}\"}}")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Grades every sample, the same submission twice, three attempts of one
/// learner and a message that cannot be graded, with the gradebook at
/// `scratch`; checks the gradebook against what was published.
async fn the_worker_records_what_it_publishes(scratch: Scratch) {
    let vhost = Vhost::create(&format!("gradebook-{}", scratch.kind()));
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let worker = Worker::start(&vhost.url(), &["--gradebook", &scratch.location]).await;

    // What was sent, by submission id.
    let mut sent: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for s in &samples() {
        let id = format!("{}/{}", s.exercise, s.name);
        let body = s.body(&id, None);
        publish(&ch, &body, submission_properties()).await;
        sent.insert(id, body);
    }
    // One learner's attempts in a course: the best first, then a worse
    // one, then one that is not graded.
    let attempts = [
        ("good-absolute", "2026-11-29T10:00:00Z"),
        ("cname-www", "2026-11-30T10:00:00Z"),
        ("other-origin", "2026-12-01T10:00:00Z"),
    ];
    for (i, (name, at)) in attempts.iter().enumerate() {
        let id = format!("attempt-{i}");
        let mut m = sample("zone-basics", name).message(&id, Some("workshop"));
        m["submitted_at"] = json!(at);
        let body = serde_json::to_vec(&m).expect("JSON");
        publish(&ch, &body, submission_properties()).await;
        sent.insert(id, body);
    }
    // The same submission twice (an LMS retrying, a redelivery).
    let good = sample("zone-basics", "good-absolute");
    let twice = good.body("twice", Some("dns-101"));
    publish(&ch, &twice, submission_properties()).await;
    publish(&ch, &twice, submission_properties()).await;
    sent.insert("twice".into(), twice);
    // A message that cannot be graded: a dead letter and a `rejected`
    // result, nothing in the gradebook.
    let mut unknown = good.message("not-graded", None);
    unknown["exercise"]["id"] = json!("no-such-exercise");
    publish(
        &ch,
        &serde_json::to_vec(&unknown).expect("JSON"),
        submission_properties(),
    )
    .await;

    // A result is published only once it is recorded.
    let results = take(&ch, TEST_RESULTS, sent.len() + 2, SOON).await;
    let book = Gradebook::open(&scratch.location)
        .await
        .expect("the worker's gradebook opens");
    let mut twice_published = Vec::new();
    for r in &results {
        let v = r.json();
        let id = v["submission_id"].as_str().expect("a submission id");
        let rows = book.results_of(id).await.expect("results_of");
        let stored = book.submission(id).await.expect("submission");
        if v["outcome"] == "rejected" {
            assert_eq!(id, "not-graded");
            assert!(rows.is_empty(), "a rejected submission is not recorded");
            assert_eq!(stored, None);
            continue;
        }
        assert_eq!(rows.len(), 1, "{id}: one row, not {}", rows.len());
        let row = &rows[0];
        assert_eq!(
            stored.as_deref().map(str::as_bytes),
            Some(&sent[id][..]),
            "{id}: the submission is stored as it was sent"
        );
        assert_eq!(row.outcome, v["outcome"].as_str().expect("outcome"), "{id}");
        assert_eq!(row.learner, v["learner"].as_str().expect("learner"), "{id}");
        assert_eq!(
            row.score.map(|s| s.0),
            v["score"]["given"].as_f64(),
            "{id}: the score"
        );
        if id == "twice" {
            twice_published.push(v.clone());
            let row: Value = serde_json::from_str(&row.result).expect("JSON");
            assert_eq!(
                without_timing(row),
                without_timing(v.clone()),
                "{id}: the stored result is the published one"
            );
        } else {
            assert_eq!(
                row.result.as_bytes(),
                &r.body[..],
                "{id}: the stored result is the published one, byte for byte"
            );
        }
    }
    assert_eq!(twice_published.len(), 2, "`twice` is graded twice");
    let recorded = book.history(&Filter::default()).await.expect("history");
    assert_eq!(
        recorded.len(),
        sent.len(),
        "one row per submission, nothing else"
    );

    // The learner's latest and best attempts.
    let filter = Filter {
        exercise: Some("zone-basics".into()),
        course: Some("workshop".into()),
        learner: Some("grp7".into()),
    };
    let latest = book.attempts(Pick::Latest, &filter).await.expect("latest");
    assert_eq!(latest.len(), 1, "{latest:?}");
    assert_eq!(latest[0].submission_id, "attempt-2");
    assert_eq!(latest[0].outcome, "invalid_submission");
    assert_eq!(latest[0].attempts, 3);
    let best = book.attempts(Pick::Best, &filter).await.expect("best");
    assert_eq!(best.len(), 1, "{best:?}");
    assert_eq!(best[0].submission_id, "attempt-0");
    assert_eq!(best[0].score, Some((20.0, 20.0)));
    assert_eq!(best[0].attempts, 3);
    book.close().await;

    let new = sent.len() as f64;
    worker.wait_metric(&records("new"), new, SOON).await;
    worker.wait_metric(&records("already"), 1.0, SOON).await;
    assert_eq!(worker.metric(&records("conflict")).await, Some(0.0));
    assert_eq!(
        worker.metric("grader_gradebook_errors_total").await,
        Some(0.0)
    );
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
    assert_eq!(ready_count(&ch, DEAD).await, 1, "the ungradable one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_records_every_result_in_an_sqlite_gradebook() {
    the_worker_records_what_it_publishes(Scratch::sqlite("worker")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_records_every_result_in_a_postgresql_gradebook() {
    the_worker_records_what_it_publishes(Scratch::postgres("worker")).await;
}

/// An example result of `schemas/examples/` as one JSON line, with its
/// submission id replaced.
fn example(name: &str, submission_id: &str) -> Value {
    let path = root().join("schemas/examples").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut v: Value = serde_json::from_str(&text).expect("JSON");
    v["submission_id"] = json!(submission_id);
    v
}

#[test]
fn results_record_from_json_lines_names_bad_lines_and_records_the_rest_once() {
    let scratch = Scratch::sqlite("jsonl");
    let dir = TempDir::new("jsonl");
    let graded = example("result-graded.json", "j-1");
    let invalid = example("result-invalid-submission.json", "j-2");
    let rejected = example("result-rejected.json", "j-3");
    let mut other = graded.clone();
    other["score"]["given"] = json!(20.0);
    let lines = [
        graded.to_string(),
        String::new(),
        invalid.to_string(),
        graded.to_string(),
        rejected.to_string(),
        r#"{"submission_id": "j-4", "outcome": "graded""#.to_string(),
        other.to_string(),
        r#"{"hello": "world"}"#.to_string(),
    ];
    let file = dir.path.join("results.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write");
    let file = file.display().to_string();

    let out = grader(
        &[
            "results",
            "record",
            "--gradebook",
            &scratch.location,
            "--jsonl",
            &file,
        ],
        b"",
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains(&format!("{file}:6: ")), "{stderr}");
    assert!(stderr.contains(&format!("{file}:8: ")), "{stderr}");
    assert_eq!(
        stderr.lines().count(),
        2,
        "the two bad lines, nothing else: {stderr}"
    );
    assert!(
        stdout.contains(
            "2 new, 1 already recorded, 1 conflict, 1 rejected result skipped, 2 lines not a result"
        ),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("conflicts") && l.ends_with("j-1")),
        "{stdout}"
    );

    // Again, from standard input: nothing new.
    let out = grader(
        &[
            "results",
            "record",
            "--gradebook",
            &scratch.location,
            "--jsonl",
            "-",
        ],
        (lines.join("\n") + "\n").as_bytes(),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("<stdin>:6: "), "{stderr}");
    assert!(
        stdout.contains(
            "0 new, 3 already recorded, 1 conflict, 1 rejected result skipped, 2 lines not a result"
        ),
        "{stdout}"
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let book = Gradebook::open(&scratch.location).await.expect("open");
        let rows = book.history(&Filter::default()).await.expect("history");
        let ids: Vec<&str> = rows.iter().map(|r| r.submission_id.as_str()).collect();
        assert_eq!(ids, ["j-1", "j-2"], "{rows:?}");
        assert_eq!(
            rows[0].score,
            Some((14.0, 20.0)),
            "the first result is kept"
        );
        assert_eq!(
            serde_json::from_str::<Value>(&rows[0].result).expect("JSON"),
            graded
        );
        book.close().await;
    });

    // Only good lines: exit 0.
    let out = grader(
        &[
            "results",
            "record",
            "--gradebook",
            &scratch.location,
            "--jsonl",
            "-",
        ],
        format!("{graded}\n\n{rejected}\n").as_bytes(),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("0 new, 1 already recorded, 0 conflicts, 1 rejected result skipped\n"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_record_drains_a_results_queue_and_leaves_what_is_not_a_result() {
    const QUEUE: &str = "workshop.results";
    let vhost = Vhost::create("gradebook-queue");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let scratch = Scratch::sqlite("queue");
    let url = vhost.url();
    let record = |extra: &[&str]| {
        let mut args = vec![
            "results",
            "record",
            "--gradebook",
            &scratch.location,
            "--queue",
            QUEUE,
            "--amqp-url",
            &url,
            "--idle",
            "500ms",
        ];
        args.extend_from_slice(extra);
        grader(&args, b"")
    };

    // The queue comes first, so that it gets every result.
    let out = record(&["--declare"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(": 0 new, 0 already recorded"), "{stdout}");

    let worker = Worker::start(&vhost.url(), &[]).await;
    let good = sample("zone-basics", "good-absolute");
    let mut bodies = vec![
        good.body("q-1", Some("workshop")),
        sample("zone-basics", "cname-www").body("q-2", Some("workshop")),
        sample("zone-basics", "other-origin").body("q-3", None),
    ];
    let mut unknown = good.message("q-rejected", None);
    unknown["exercise"]["id"] = json!("no-such-exercise");
    bodies.push(serde_json::to_vec(&unknown).expect("JSON"));
    for b in &bodies {
        publish(&ch, b, submission_properties()).await;
    }
    let published = take(&ch, TEST_RESULTS, bodies.len(), SOON).await;
    // Something that is not a result, last.
    let confirm = ch
        .basic_publish(
            "".into(),
            QUEUE.into(),
            lapin::options::BasicPublishOptions::default(),
            b"this is not a result",
            lapin::BasicProperties::default().with_message_id("m-garbage".into()),
        )
        .await
        .expect("publish")
        .await
        .expect("confirm");
    assert!(confirm.is_ack());

    let out = record(&[]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "3 new, 0 already recorded, 0 conflicts, 1 rejected result skipped, \
             1 message not a result (left in the queue)"
        ),
        "{stdout}"
    );
    assert!(stderr.contains("m-garbage"), "{stderr}");
    assert_eq!(ready_count(&ch, QUEUE).await, 1, "the bad message stays");

    let book = Gradebook::open(&scratch.location).await.expect("open");
    for r in &published {
        let v = r.json();
        let id = v["submission_id"].as_str().expect("an id");
        let rows = book.results_of(id).await.expect("results_of");
        if v["outcome"] == "rejected" {
            assert!(rows.is_empty(), "{id}");
        } else {
            assert_eq!(rows.len(), 1, "{id}");
            assert_eq!(rows[0].result.as_bytes(), &r.body[..], "{id}");
        }
    }

    let out = record(&["--drop-invalid"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("0 new, 0 already recorded, 0 conflicts, 0 rejected results skipped, 1 message not a result (dropped)"),
        "{stdout}"
    );
    assert_eq!(ready_count(&ch, QUEUE).await, 0, "dropped");

    // --follow records as results come, until SIGTERM.
    let mut follow = shell_env(&mut Command::new(grader_binary()))
        .args([
            "results",
            "record",
            "--gradebook",
            &scratch.location,
            "--queue",
            QUEUE,
            "--amqp-url",
            &url,
            "--follow",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("grader starts");
    publish(
        &ch,
        &good.body("q-4", Some("workshop")),
        submission_properties(),
    )
    .await;
    eventually("q-4 in the gradebook", SOON, || {
        let book = book.clone();
        async move {
            let rows = book.results_of("q-4").await.expect("results_of");
            (!rows.is_empty()).then_some(())
        }
    })
    .await;
    let term = Command::new("kill")
        .args(["-s", "TERM", &follow.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while follow.try_wait().expect("try_wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = follow.kill();
            panic!("grader results record --follow did not stop on SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let out = follow.wait_with_output().expect("output");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(": 1 new, 0 already recorded"), "{stdout}");
    assert_eq!(ready_count(&ch, QUEUE).await, 0);
    book.close().await;
    drop(worker);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gradebook_that_cannot_be_opened_stops_the_worker_at_start() {
    let dir = TempDir::new("gradebook-missing");
    let missing = dir.path.join("no/such/directory/gradebook.db");
    let missing = missing.display().to_string();
    let url = "amqp://guest:guest@127.0.0.1:5672/%2f";
    let mut worker = Worker::spawn(url, &["--gradebook", &missing]);
    let status = worker.wait_exit(SOON).await;
    let log = worker.log();
    assert_eq!(status.code(), Some(2), "exit status 2; log:\n{log}");
    assert!(log.contains("cannot open the gradebook"), "{log}");
    assert!(log.contains("does not exist"), "{log}");
    assert!(log.contains(&dir.path.display().to_string()), "{log}");
    assert!(!log.contains("consuming"), "{log}");

    let postgres = "postgres://postgres:hunter2@127.0.0.1:5432/grader_no_such_database";
    let mut worker = Worker::spawn(url, &["--gradebook", postgres]);
    let status = worker.wait_exit(SOON).await;
    let log = worker.log();
    assert_eq!(status.code(), Some(2), "exit status 2; log:\n{log}");
    assert!(log.contains("cannot open the gradebook"), "{log}");
    assert!(log.contains("grader_no_such_database"), "{log}");
    assert!(log.contains("does not exist"), "{log}");
    assert!(
        !log.contains("hunter2"),
        "the password is never logged:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gradebook_that_fails_keeps_the_submission_queued_until_it_is_back() {
    let scratch = Scratch::postgres("outage");
    let database = scratch
        .location
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_string();
    let vhost = Vhost::create("gradebook-outage");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let mut worker = Worker::start(
        &vhost.url(),
        &[
            "--gradebook",
            &scratch.location,
            "--gradebook-attempts",
            "2",
        ],
    )
    .await;
    let good = sample("zone-basics", "good-absolute");
    publish(&ch, &good.body("before", None), submission_properties()).await;
    take(&ch, TEST_RESULTS, 1, SOON).await;

    // The database refuses connections, and those open are closed.
    psql(&format!(
        "ALTER DATABASE {database} WITH ALLOW_CONNECTIONS false"
    ));
    psql(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
    ));
    let during = good.body("during", Some("dns-101"));
    publish(&ch, &during, submission_properties()).await;

    // Graded, not recorded, handed back; the worker takes no more.
    worker
        .wait_metric("grader_gradebook_paused", 1.0, SOON)
        .await;
    eventually("the submission back in the queue", SOON, || async {
        (ready_count(&ch, SUBMISSIONS).await == 1).then_some(())
    })
    .await;
    let (status, body) = worker.get("/readyz").await.expect("/readyz");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("gradebook"), "{body}");
    assert!(
        worker.metric("grader_requeued_total").await >= Some(1.0),
        "{}",
        worker.log_tail(30)
    );
    assert!(worker.metric("grader_gradebook_errors_total").await >= Some(2.0));
    // Still there a moment later: nothing spins through it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 1);
    assert!(
        get_all(&ch, TEST_RESULTS).await.is_empty(),
        "no result before it is recorded"
    );
    assert_eq!(ready_count(&ch, DEAD).await, 0, "nothing dead-lettered");

    // The database is back: the submission is recorded and published.
    psql(&format!(
        "ALTER DATABASE {database} WITH ALLOW_CONNECTIONS true"
    ));
    let results = take(&ch, TEST_RESULTS, 1, SOON).await;
    let v = results[0].json();
    assert_eq!(v["submission_id"], "during", "{v}");
    assert_eq!(v["outcome"], "graded", "{v}");
    let book = Gradebook::open(&scratch.location).await.expect("open");
    let rows = book.results_of("during").await.expect("results_of");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].result.as_bytes(), &results[0].body[..]);
    assert_eq!(
        book.submission("during")
            .await
            .expect("submission")
            .as_deref(),
        std::str::from_utf8(&during).ok()
    );
    book.close().await;
    worker
        .wait_metric("grader_gradebook_paused", 0.0, SOON)
        .await;
    assert_eq!(worker.get("/readyz").await.map(|r| r.0), Some(200));
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
    assert_eq!(ready_count(&ch, DEAD).await, 0);
    assert!(
        worker.log().contains("the gradebook answers again"),
        "{}",
        worker.log_tail(40)
    );

    // A graceful stop with the gradebook open.
    worker.terminate();
    let status = worker.wait_exit(SOON).await;
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_graded_again_differently_gets_the_result_the_gradebook_keeps() {
    // A redelivered submission of a lab whose live server answers
    // otherwise the second time gives another result under the same key;
    // here the same id handed in again with another zone does the same.
    // The LMS gets the result the gradebook keeps: a duplicate result is
    // the same result.
    let scratch = Scratch::sqlite("kept");
    let vhost = Vhost::create("gradebook-kept");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let worker = Worker::start(&vhost.url(), &["--gradebook", &scratch.location]).await;
    let first = sample("zone-basics", "good-absolute").body("reused", None);
    publish(&ch, &first, submission_properties()).await;
    let got = take(&ch, TEST_RESULTS, 1, SOON).await;
    let kept = got[0].json();
    assert_eq!(kept["score"]["given"], 20.0);
    let second = sample("zone-basics", "cname-www").body("reused", None);
    publish(&ch, &second, submission_properties()).await;
    let got = take(&ch, TEST_RESULTS, 1, SOON).await;
    assert_eq!(
        without_timing(got[0].json()),
        without_timing(kept.clone()),
        "the second result is the kept one"
    );
    assert_eq!(got[0].header("x-grader-outcome").as_deref(), Some("graded"));
    worker.wait_metric(&records("conflict"), 1.0, SOON).await;
    let book = Gradebook::open(&scratch.location).await.expect("open");
    let rows = book.results_of("reused").await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        book.submission("reused")
            .await
            .expect("q")
            .map(String::into_bytes),
        Some(first)
    );
    book.close().await;
}
