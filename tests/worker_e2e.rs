//! `grader-worker` end to end, against the real RabbitMQ on 127.0.0.1:5672:
//! what an LMS sees on `grader.results`, on its `reply_to` queue and on
//! `grader.dead` for good, malformed and hostile submissions and for a
//! delivery that keeps coming back; a graceful shutdown with work in
//! flight; a deleted queue; the HTTP endpoint; an invalid exercise at
//! start. (Broker restarts and a killed worker: `worker_fault.rs`.)
//!
//! Each test has its own virtual host and its own worker process. A broker
//! that is not running fails the tests (`bash scripts/test.sh` starts one).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures_util::StreamExt;
use grader_tests::amqp::{
    TEST_RESULTS, TempDir, Vhost, Worker, channel, connect, declare, get_all, publish, publish_all,
    ready_count, sample, samples, submission_properties, take,
};
use grader_tests::root;
use grader_worker::topology::{DEAD, SUBMISSIONS};
use lapin::options::{
    BasicConsumeOptions, BasicGetOptions, BasicRejectOptions, QueueDeclareOptions,
    QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use serde_json::{Value, json};

/// How long results of a handful of submissions may take.
const SOON: Duration = Duration::from_secs(60);

const GRADED: &str = "grader_submissions_total{outcome=\"graded\"}";
const REJECTED: &str = "grader_submissions_total{outcome=\"rejected\"}";
const CHECKER_ERROR: &str = "grader_submissions_total{outcome=\"checker_error\"}";
const INVALID: &str = "grader_submissions_total{outcome=\"invalid_submission\"}";

/// The results by submission id (several when a submission was graded
/// more than once).
fn by_id(results: &[grader_tests::amqp::Got]) -> BTreeMap<String, Vec<Value>> {
    let mut m: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for r in results {
        let v = r.json();
        let id = v["submission_id"]
            .as_str()
            .unwrap_or_else(|| panic!("a result without submission_id: {v}"))
            .to_string();
        m.entry(id).or_default().push(v);
    }
    m
}

/// A result without what may differ between two gradings (`timing`).
fn without_timing(mut v: Value) -> Value {
    v.as_object_mut().expect("an object").remove("timing");
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sample_gets_its_expected_score_and_the_same_submission_the_same_result() {
    let vhost = Vhost::create("graded");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let worker = Worker::start(&vhost.url(), &[]).await;

    let samples = samples();
    for s in &samples {
        let id = format!("{}/{}", s.exercise, s.name);
        publish(&ch, &s.body(&id, None), submission_properties()).await;
    }
    // The same submission twice (an LMS retrying, a redelivery).
    let good = sample("zone-basics", "good-absolute");
    let twice = good.body("twice", Some("dns-101"));
    publish(&ch, &twice, submission_properties()).await;
    publish(&ch, &twice, submission_properties()).await;

    let results = take(&ch, TEST_RESULTS, samples.len() + 2, SOON).await;
    for r in &results {
        assert_eq!(r.exchange, "grader.results");
        let p = &r.properties;
        assert_eq!(
            p.content_type().as_ref().map(|s| s.as_str()),
            Some("application/json")
        );
        assert_eq!(
            p.kind().as_ref().map(|s| s.as_str()),
            Some("grader.result.v1")
        );
        assert_eq!(*p.delivery_mode(), Some(2), "results are persistent");
        let v = r.json();
        assert_eq!(
            p.correlation_id().as_ref().map(|s| s.as_str()),
            v["submission_id"].as_str(),
            "the correlation id of a result is its submission id"
        );
        assert_eq!(
            r.header("x-grader-outcome").as_deref(),
            v["outcome"].as_str()
        );
    }
    let got = by_id(&results);
    let mut graded = 0;
    let mut invalid = 0;
    for s in &samples {
        let id = format!("{}/{}", s.exercise, s.name);
        let rs = got.get(&id).unwrap_or_else(|| panic!("no result for {id}"));
        assert_eq!(rs.len(), 1, "{id}: one result, not {rs:?}");
        let v = &rs[0];
        let r = results
            .iter()
            .find(|r| r.json()["submission_id"] == id.as_str())
            .expect("the message");
        assert_eq!(r.routing_key, format!("default.{}", s.exercise), "{id}");
        assert_eq!(v["outcome"], s.outcome.as_str(), "{id}: {v}");
        assert_eq!(v["exercise"]["id"], s.exercise.as_str(), "{id}");
        assert_eq!(v["learner"], s.learner.as_str(), "{id}");
        assert_eq!(v["graded_at"], s.at.as_str(), "{id}");
        let lti = &v["lti_score"];
        assert_eq!(lti["userId"], s.learner.as_str(), "{id}: {lti}");
        assert_eq!(lti["timestamp"], s.at.as_str(), "{id}: {lti}");
        if s.outcome == "graded" {
            graded += 1;
            if let Some(score) = s.score {
                assert_eq!(v["score"]["given"].as_f64(), Some(score), "{id}: {v}");
            }
            assert_eq!(lti["gradingProgress"], "FullyGraded", "{id}: {lti}");
            assert_eq!(lti["activityProgress"], "Completed", "{id}: {lti}");
            assert_eq!(lti["scoreGiven"], v["score"]["given"], "{id}: {lti}");
            assert_eq!(
                lti["scoreMaximum"].as_f64(),
                v["score"]["maximum"].as_f64(),
                "{id}: {lti}"
            );
            assert!(lti["comment"].as_str().is_some_and(|c| !c.is_empty()));
        } else {
            invalid += 1;
            assert_eq!(lti["gradingProgress"], "Failed", "{id}: {lti}");
            assert!(lti.get("scoreGiven").is_none(), "{id}: {lti}");
        }
    }

    let twice_results = got.get("twice").expect("the results of `twice`");
    assert_eq!(twice_results.len(), 2, "graded twice");
    let r = results
        .iter()
        .find(|r| r.json()["submission_id"] == "twice")
        .expect("the message");
    assert_eq!(r.routing_key, "dns-101.zone-basics");
    let first = &twice_results[0];
    assert_eq!(first["course"], "dns-101");
    assert_eq!(first["outcome"], "graded");
    assert_eq!(first["score"]["given"].as_f64(), good.score);
    assert_eq!(
        without_timing(twice_results[0].clone()),
        without_timing(twice_results[1].clone()),
        "the same submission gives the same result, apart from `timing`"
    );

    // The metrics count what was acknowledged, right after the results.
    worker
        .wait_metric(GRADED, f64::from(graded + 2), SOON)
        .await;
    worker.wait_metric(INVALID, f64::from(invalid), SOON).await;
    assert_eq!(worker.metric(REJECTED).await, Some(0.0));
    assert_eq!(worker.metric("grader_in_flight").await, Some(0.0));
    let histogram = format!("grader_grading_seconds_count {}", graded + invalid + 2);
    let metrics = worker.get("/metrics").await.expect("/metrics").1;
    assert!(metrics.contains(&histogram), "{histogram}:\n{metrics}");
    // Exactly one result per submission: nothing more came.
    assert_eq!(ready_count(&ch, TEST_RESULTS).await, 0);
    assert_eq!(ready_count(&ch, DEAD).await, 0, "nothing dead-lettered");
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
    assert_eq!(worker.get("/healthz").await.map(|r| r.0), Some(200));
    assert_eq!(worker.get("/readyz").await.map(|r| r.0), Some(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_that_cannot_be_graded_go_to_grader_dead_with_a_reason() {
    let vhost = Vhost::create("dead");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let worker = Worker::start(&vhost.url(), &["--max-message-bytes", "65536"]).await;

    let good = sample("zone-basics", "good-relative");
    let with_id = |m: &str| submission_properties().with_message_id(m.into());

    let not_json = br#"{"submission_id": "nj-1", "exercise": {"id": "zone-ba"#.to_vec();
    let mut schema = good.message("bad-schema", Some("dns-101"));
    schema["artifacts"]["zone"]["text"] = json!(5);
    let mut unknown = good.message("bad-exercise", None);
    unknown["exercise"]["id"] = json!("no-such-exercise");
    let v2 = good.body("bad-type", None);
    let text_plain = good.body("bad-content-type", None);
    let mut large = good.clone();
    large
        .zone_mut()
        .push_str(&"; a comment to make the zone too large\n".repeat(2000));
    let too_large = large.body("bad-too-large", None);
    let sent: Vec<(&str, Vec<u8>, lapin::BasicProperties, &str)> = vec![
        ("m-not-json", not_json, with_id("m-not-json"), "not-json"),
        (
            "m-schema",
            serde_json::to_vec(&schema).expect("JSON"),
            with_id("m-schema"),
            "schema-violation",
        ),
        (
            "m-unknown",
            serde_json::to_vec(&unknown).expect("JSON"),
            with_id("m-unknown"),
            "unknown-exercise",
        ),
        (
            "m-type",
            v2,
            with_id("m-type").with_type("grader.submission.v2".into()),
            "unsupported-type",
        ),
        (
            "m-content-type",
            text_plain,
            with_id("m-content-type").with_content_type("text/plain".into()),
            "unsupported-type",
        ),
        (
            "m-too-large",
            too_large,
            with_id("m-too-large"),
            "too-large",
        ),
    ];
    for (_, body, props, _) in &sent {
        publish(&ch, body, props.clone()).await;
    }
    publish(&ch, &good.body("after-bad", None), submission_properties()).await;

    // Every delivery is acknowledged once all it produced is confirmed:
    // then the dead letters and results are all there.
    worker.wait_metric(REJECTED, 6.0, SOON).await;
    worker.wait_metric(GRADED, 1.0, SOON).await;
    for reason in [
        "not-json",
        "schema-violation",
        "unknown-exercise",
        "unsupported-type",
        "too-large",
    ] {
        let n = sent.iter().filter(|s| s.3 == reason).count();
        let series = format!("grader_dead_letters_total{{reason=\"{reason}\"}}");
        assert_eq!(worker.metric(&series).await, Some(n as f64), "{series}");
    }

    let dead = get_all(&ch, DEAD).await;
    assert_eq!(dead.len(), sent.len(), "one dead letter per bad message");
    for (message_id, body, _, reason) in &sent {
        let letter = dead
            .iter()
            .find(|d| d.properties.message_id().as_ref().map(|s| s.as_str()) == Some(*message_id))
            .unwrap_or_else(|| panic!("no dead letter for {message_id}"));
        assert_eq!(
            letter.header("x-grader-reason").as_deref(),
            Some(*reason),
            "{message_id}"
        );
        let detail = letter.header("x-grader-detail").unwrap_or_default();
        assert!(!detail.is_empty(), "{message_id}: a detail for people");
        assert_eq!(
            &letter.body, body,
            "{message_id}: the original body is kept"
        );
        assert_eq!(*letter.properties.delivery_mode(), Some(2));
    }
    let detail = |m: &str| {
        dead.iter()
            .find(|d| d.properties.message_id().as_ref().map(|s| s.as_str()) == Some(m))
            .and_then(|d| d.header("x-grader-detail"))
            .unwrap_or_default()
    };
    assert!(
        detail("m-schema").contains("/artifacts/zone/text"),
        "the detail names the field: {}",
        detail("m-schema")
    );
    assert!(
        detail("m-unknown").contains("no-such-exercise"),
        "{}",
        detail("m-unknown")
    );
    assert!(
        detail("m-type").contains("grader.submission.v2"),
        "{}",
        detail("m-type")
    );
    assert!(
        detail("m-too-large").contains("65536"),
        "{}",
        detail("m-too-large")
    );

    // A rejected result wherever a submission id could be read; none for
    // the body that is not JSON, nor for the one too large to be read.
    let results = get_all(&ch, TEST_RESULTS).await;
    let got = by_id(&results);
    assert_eq!(
        got.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "after-bad",
            "bad-content-type",
            "bad-exercise",
            "bad-schema",
            "bad-type"
        ],
        "{:?}",
        results
            .iter()
            .map(|r| {
                let v = r.json();
                format!("{} {} {}", v["submission_id"], v["outcome"], v["reason"])
            })
            .collect::<Vec<_>>()
    );
    assert!(got.values().all(|rs| rs.len() == 1));
    assert_eq!(got["after-bad"][0]["outcome"], "graded");
    for (id, reason, key) in [
        ("bad-schema", "schema-violation", "dns-101.zone-basics"),
        (
            "bad-exercise",
            "unknown-exercise",
            "default.no-such-exercise",
        ),
        ("bad-type", "unsupported-type", "default.zone-basics"),
        (
            "bad-content-type",
            "unsupported-type",
            "default.zone-basics",
        ),
    ] {
        let v = &got[id][0];
        assert_eq!(v["outcome"], "rejected", "{v}");
        assert_eq!(v["reason"], reason, "{v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        let lti = &v["lti_score"];
        assert_eq!(lti["gradingProgress"], "Failed", "{v}");
        assert_eq!(lti["userId"], good.learner.as_str(), "{v}");
        assert!(lti.get("scoreGiven").is_none(), "{v}");
        let r = results
            .iter()
            .find(|r| r.json()["submission_id"] == id)
            .expect("the message");
        assert_eq!(r.routing_key, key);
        assert_eq!(r.header("x-grader-outcome").as_deref(), Some("rejected"));
    }
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
}

/// Writes an exercise `id` whose checker is the hostile one `checker`
/// (tests/checkers/), from the sandbox tests' exercise.
fn hostile_exercise(dir: &std::path::Path, id: &str, checker: &str) {
    let probe = root().join("tests/exercises/sandbox-probe");
    let def = std::fs::read_to_string(probe.join("exercise.toml")).expect("exercise.toml");
    let source = root().join("tests/checkers").join(checker);
    let def2 = def
        .replace(r#"id = "sandbox-probe""#, &format!("id = \"{id}\""))
        .replace(
            r#"source = "../../checkers/good""#,
            &format!("source = {:?}", source.display().to_string()),
        );
    assert!(
        def2.contains(&format!("id = \"{id}\"")) && def2.contains(checker),
        "tests/exercises/sandbox-probe/exercise.toml changed: {def}"
    );
    let exercise = dir.join(id);
    std::fs::create_dir_all(&exercise).expect("mkdir");
    std::fs::write(exercise.join("exercise.toml"), def2).expect("write");
    std::fs::copy(probe.join("statement.md"), exercise.join("statement.md")).expect("copy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_checker_gives_checker_error_and_grading_goes_on() {
    let exercises = TempDir::new("hostile-exercises");
    hostile_exercise(&exercises.path, "hostile-loop", "infinite-loop");
    hostile_exercise(&exercises.path, "hostile-trap", "trap");
    let vhost = Vhost::create("hostile");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let extra = exercises.path.display().to_string();
    let worker = Worker::start(&vhost.url(), &["--exercises", &extra]).await;

    let good = sample("zone-basics", "good-absolute");
    for (n, exercise) in ["hostile-loop", "hostile-trap"].into_iter().enumerate() {
        let mut m = good.message(&format!("{exercise}-1"), None);
        m["exercise"]["id"] = json!(exercise);
        let body = serde_json::to_vec(&m).expect("JSON");
        publish(&ch, &body, submission_properties()).await;
        let r = take(&ch, TEST_RESULTS, 1, SOON).await.remove(0).json();
        assert_eq!(r["submission_id"], format!("{exercise}-1"), "{r}");
        assert_eq!(r["outcome"], "checker_error", "{r}");
        assert!(
            r["message"].as_str().is_some_and(|m| !m.is_empty()),
            "instructors are told what failed: {r}"
        );
        let lti = &r["lti_score"];
        assert_eq!(lti["gradingProgress"], "PendingManual", "{r}");
        assert_eq!(lti["activityProgress"], "Submitted", "{r}");
        assert!(
            lti.get("scoreGiven").is_none(),
            "a checker fault is never the learner's zero: {r}"
        );

        // The worker goes on grading.
        let id = format!("after-{exercise}");
        publish(&ch, &good.body(&id, None), submission_properties()).await;
        let r = take(&ch, TEST_RESULTS, 1, SOON).await.remove(0).json();
        assert_eq!(r["submission_id"], id.as_str());
        assert_eq!(r["outcome"], "graded", "{r}");
        assert_eq!(r["score"]["given"].as_f64(), good.score);
        worker
            .wait_metric(CHECKER_ERROR, (n + 1) as f64, SOON)
            .await;
    }
    assert_eq!(worker.get("/readyz").await.map(|r| r.0), Some(200));
    assert_eq!(ready_count(&ch, DEAD).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_with_reply_to_gets_its_result_there_with_its_correlation_id() {
    let vhost = Vhost::create("reply");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let worker = Worker::start(&vhost.url(), &[]).await;

    let reply_queue = grader_worker::topology::private_queue(&ch)
        .await
        .expect("a reply queue")
        .to_string();
    let good = sample("zone-basics", "good-parens");
    let props = submission_properties()
        .with_reply_to(reply_queue.as_str().into())
        .with_correlation_id("lms-request-7f3a".into());
    publish(&ch, &good.body("with-reply", None), props).await;

    let reply = take(&ch, &reply_queue, 1, SOON).await.remove(0);
    assert_eq!(
        reply.prop(|p| p.correlation_id()).as_deref(),
        Some("lms-request-7f3a"),
        "the reply carries the submission's correlation id"
    );
    assert_eq!(
        reply.exchange, "",
        "replies go through the default exchange"
    );
    let v = reply.json();
    assert_eq!(v["submission_id"], "with-reply");
    assert_eq!(v["outcome"], "graded");
    assert_eq!(v["score"]["given"].as_f64(), good.score);
    // The same result is on grader.results too.
    let published = take(&ch, TEST_RESULTS, 1, SOON).await.remove(0);
    assert_eq!(published.json(), v);

    // A reply queue that is gone: the result is still on grader.results,
    // and the submission is not retried for it.
    let props = submission_properties()
        .with_reply_to("no-such-reply-queue".into())
        .with_correlation_id("lms-request-gone".into());
    publish(&ch, &good.body("reply-queue-gone", None), props).await;
    let r = take(&ch, TEST_RESULTS, 1, SOON).await.remove(0).json();
    assert_eq!(r["submission_id"], "reply-queue-gone");
    worker.wait_metric(GRADED, 2.0, SOON).await;
    assert_eq!(
        worker.metric("grader_replies_unroutable_total").await,
        Some(1.0)
    );
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
    assert_eq!(ready_count(&ch, &reply_queue).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_reply_to_gets_the_result_and_is_not_counted_unroutable() {
    // RabbitMQ's direct reply-to: no reply queue, the pseudo-queue
    // `amq.rabbitmq.reply-to` consumed without acknowledgements.
    let vhost = Vhost::create("direct-reply");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let worker = Worker::start(&vhost.url(), &[]).await;
    let mut replies = ch
        .basic_consume(
            "amq.rabbitmq.reply-to".into(),
            "".into(),
            BasicConsumeOptions {
                no_ack: true,
                ..BasicConsumeOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .expect("consuming amq.rabbitmq.reply-to");
    let good = sample("zone-basics", "good-absolute");
    let props = submission_properties()
        .with_reply_to("amq.rabbitmq.reply-to".into())
        .with_correlation_id("lms-direct-1".into());
    publish(&ch, &good.body("direct-reply", None), props).await;
    let reply = tokio::time::timeout(SOON, replies.next())
        .await
        .expect("a reply in time")
        .expect("the consumer is open")
        .expect("a delivery");
    assert_eq!(
        reply
            .properties
            .correlation_id()
            .as_ref()
            .map(|s| s.as_str()),
        Some("lms-direct-1")
    );
    let v: Value = serde_json::from_slice(&reply.data).expect("JSON");
    assert_eq!(v["submission_id"], "direct-reply");
    assert_eq!(v["outcome"], "graded");
    worker.wait_metric(GRADED, 1.0, SOON).await;
    // The reply was delivered: it is not an unroutable one.
    assert_eq!(
        worker.metric("grader_replies_unroutable_total").await,
        Some(0.0),
        "the worker counted a delivered direct reply-to reply as unroutable; log:\n{}",
        worker.log_tail(10)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_work_in_flight_and_loses_nothing() {
    const BATCH: usize = 1000;
    let vhost = Vhost::create("sigterm");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let mut worker = Worker::start(&vhost.url(), &[]).await;

    let all = samples();
    let ids: Vec<String> = (0..BATCH).map(|i| format!("batch-{i:04}")).collect();
    let bodies: Vec<Vec<u8>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| all[i % all.len()].body(id, None))
        .collect();
    publish_all(&ch, &bodies).await;
    // Some results are out, most submissions are not graded yet.
    grader_tests::amqp::eventually("the first results", SOON, || async {
        (ready_count(&ch, TEST_RESULTS).await >= 5).then_some(())
    })
    .await;
    let in_flight = worker.metric("grader_in_flight").await.unwrap_or(0.0);
    worker.terminate();
    let status = worker.wait_exit(Duration::from_secs(60)).await;
    assert!(
        status.success(),
        "the worker exits 0 after SIGTERM, not {status}; log:\n{}",
        worker.log_tail(50)
    );
    assert!(
        in_flight <= 64.0,
        "at most --prefetch (64) deliveries at once, not {in_flight}"
    );
    assert!(
        in_flight > 0.0,
        "the test needs work in flight at SIGTERM (in flight: {in_flight})"
    );

    // Every submission has a confirmed result or is back in the queue.
    let before = get_all(&ch, TEST_RESULTS).await;
    let before_ids = by_id(&before);
    assert_eq!(
        before_ids.len(),
        before.len(),
        "no submission was graded twice"
    );
    let remaining = ready_count(&ch, SUBMISSIONS).await as usize;
    assert_eq!(
        before.len() + remaining,
        BATCH,
        "results ({}) + submissions still queued ({remaining}) = submissions published",
        before.len()
    );
    println!(
        "SIGTERM with {in_flight} submissions in flight: {} results, {remaining} still queued",
        before.len()
    );
    assert!(
        remaining > 0,
        "SIGTERM came after the whole batch was graded: the test proves nothing"
    );

    // Another worker grades the rest.
    let worker = Worker::start(&vhost.url(), &[]).await;
    let after = take(&ch, TEST_RESULTS, remaining, SOON).await;
    // Once it has acknowledged them all, no other result comes.
    grader_tests::amqp::eventually("the rest acknowledged", SOON, || async {
        let graded = worker.metric(GRADED).await?;
        let invalid = worker.metric(INVALID).await?;
        (graded + invalid == remaining as f64).then_some(())
    })
    .await;
    assert_eq!(ready_count(&ch, TEST_RESULTS).await, 0);
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
    let mut seen: BTreeSet<String> = before_ids.into_keys().collect();
    for r in &after {
        let id = r.json()["submission_id"]
            .as_str()
            .expect("an id")
            .to_string();
        assert!(seen.insert(id.clone()), "{id} graded twice");
    }
    let expected: BTreeSet<String> = ids.into_iter().collect();
    assert_eq!(seen, expected, "every submission has exactly one result");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_submissions_queue_is_declared_again_and_consumed() {
    let vhost = Vhost::create("requeue");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let mut worker = Worker::start(&vhost.url(), &[]).await;
    let good = sample("zone-basics", "good-absolute");
    publish(
        &ch,
        &good.body("before-delete", None),
        submission_properties(),
    )
    .await;
    take(&ch, TEST_RESULTS, 1, SOON).await;

    // An operator deletes the queue: the broker cancels the consumer.
    ch.queue_delete(SUBMISSIONS.into(), QueueDeleteOptions::default())
        .await
        .expect("queue.delete");
    // The worker declares it again and consumes it.
    grader_tests::amqp::eventually("the submissions queue again", SOON, || async {
        let probe = conn.create_channel().await.ok()?;
        let passive = QueueDeclareOptions {
            passive: true,
            ..QueueDeclareOptions::default()
        };
        let q = probe
            .queue_declare(SUBMISSIONS.into(), passive, FieldTable::default())
            .await
            .ok()?;
        let _ = probe.close(200, "".into()).await;
        (q.consumer_count() == 1).then_some(())
    })
    .await;
    worker.ready(SOON).await;
    publish(
        &ch,
        &good.body("after-delete", None),
        submission_properties(),
    )
    .await;
    let r = take(&ch, TEST_RESULTS, 1, SOON).await.remove(0).json();
    assert_eq!(r["submission_id"], "after-delete");
    assert_eq!(r["outcome"], "graded", "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_broker_and_healthz_does_not() {
    // The virtual host does not exist yet: the worker cannot connect.
    let vhost = Vhost::reserve("ready");
    let mut worker = Worker::spawn(&vhost.url(), &[]);
    grader_tests::amqp::eventually("/healthz", grader_tests::amqp::READY_TIMEOUT, || {
        worker.get("/healthz")
    })
    .await;
    assert_eq!(worker.get("/healthz").await.map(|r| r.0), Some(200));
    let (status, body) = worker.get("/readyz").await.expect("/readyz");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("not connected"), "{body}");
    assert_eq!(worker.metric("grader_amqp_connected").await, Some(0.0));

    // The broker side appears: the worker connects and consumes.
    vhost.add();
    worker.ready(Duration::from_secs(60)).await;
    assert_eq!(worker.get("/healthz").await.map(|r| r.0), Some(200));
    assert_eq!(worker.metric("grader_amqp_connected").await, Some(1.0));
    assert_eq!(worker.metric("grader_consuming").await, Some(1.0));
    let exercises = samples()
        .iter()
        .map(|s| s.exercise.clone())
        .collect::<BTreeSet<_>>()
        .len();
    assert_eq!(
        worker.metric("grader_exercises").await,
        Some(exercises as f64)
    );
    // It declared the topology itself.
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
    assert_eq!(ready_count(&ch, DEAD).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_refuses_to_start_on_an_invalid_exercise_and_names_it() {
    let dir = TempDir::new("broken-exercise");
    let broken = dir.path.join("broken-one");
    std::fs::create_dir_all(&broken).expect("mkdir");
    let probe = root().join("tests/exercises/sandbox-probe");
    let def = std::fs::read_to_string(probe.join("exercise.toml"))
        .expect("exercise.toml")
        .replace(r#"id = "sandbox-probe""#, r#"id = "Not An Id""#);
    std::fs::write(broken.join("exercise.toml"), def).expect("write");
    std::fs::copy(probe.join("statement.md"), broken.join("statement.md")).expect("copy");

    let args = [
        "--exercises".to_string(),
        root().join("exercises").display().to_string(),
        "--exercises".to_string(),
        broken.display().to_string(),
    ];
    // No broker is needed to refuse.
    let mut worker = Worker::spawn_with("amqp://guest:guest@127.0.0.1:5672/%2f", &args);
    let status = worker.wait_exit(grader_tests::amqp::READY_TIMEOUT).await;
    let log = worker.log();
    assert_eq!(status.code(), Some(2), "exit status 2; log:\n{log}");
    assert!(
        log.contains(&broken.display().to_string()),
        "the log names the exercise directory:\n{log}"
    );
    assert!(!log.contains("consuming"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_that_keeps_coming_back_is_dead_lettered_with_delivery_limit() {
    const LIMIT: u32 = 2;
    let vhost = Vhost::create("limit");
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, LIMIT).await;
    let good = sample("zone-basics", "good-absolute");
    let body = good.body("keeps-coming-back", Some("dns-101"));
    publish(
        &ch,
        &body,
        submission_properties().with_message_id("m-back".into()),
    )
    .await;

    // A consumer that fails on it LIMIT times (as a crashing worker would):
    // the broker counts the deliveries.
    for n in 0..LIMIT {
        let m = ch
            .basic_get(SUBMISSIONS.into(), BasicGetOptions { no_ack: false })
            .await
            .expect("basic.get")
            .expect("the submission is in the queue");
        let count = m
            .delivery
            .properties
            .headers()
            .as_ref()
            .and_then(|h| h.inner().get("x-delivery-count").cloned());
        if n > 0 {
            assert!(
                matches!(count, Some(AMQPValue::LongLongInt(c)) if c == i64::from(n))
                    || matches!(count, Some(AMQPValue::LongInt(c)) if c == n as i32),
                "delivery {n}: x-delivery-count {count:?}"
            );
        }
        m.delivery
            .reject(BasicRejectOptions { requeue: true })
            .await
            .expect("basic.reject");
    }

    let worker = Worker::start(&vhost.url(), &["--delivery-limit", &LIMIT.to_string()]).await;
    worker.wait_metric(REJECTED, 1.0, SOON).await;
    assert_eq!(worker.metric(GRADED).await, Some(0.0));
    assert_eq!(
        worker
            .metric("grader_dead_letters_total{reason=\"delivery-limit\"}")
            .await,
        Some(1.0)
    );
    let dead = get_all(&ch, DEAD).await;
    assert_eq!(dead.len(), 1, "one dead letter");
    assert_eq!(
        dead[0].header("x-grader-reason").as_deref(),
        Some("delivery-limit")
    );
    assert!(dead[0].header("x-grader-detail").is_some());
    assert_eq!(dead[0].body, body);
    let results = get_all(&ch, TEST_RESULTS).await;
    assert_eq!(results.len(), 1, "one result");
    let v = results[0].json();
    assert_eq!(v["submission_id"], "keeps-coming-back");
    assert_eq!(v["outcome"], "rejected", "{v}");
    assert_eq!(v["reason"], "delivery-limit", "{v}");
    assert_eq!(v["lti_score"]["gradingProgress"], "Failed", "{v}");
    assert_eq!(results[0].routing_key, "dns-101.zone-basics");
    assert_eq!(ready_count(&ch, SUBMISSIONS).await, 0);
}

/// A TLS front for the broker: `socat` terminating TLS with `cert` on a
/// loopback port and forwarding to the broker; killed when dropped.
struct TlsFront {
    child: std::process::Child,
    port: u16,
}

impl TlsFront {
    fn start(bundle: &std::path::Path) -> TlsFront {
        let port = grader_tests::amqp::free_port();
        let child = std::process::Command::new(grader_tests::tool("socat"))
            .arg(format!(
                "OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,cert={},verify=0",
                bundle.display()
            ))
            .arg(format!("TCP:{}", grader_tests::amqp::BROKER))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start socat");
        TlsFront { child, port }
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Makes a CA and a certificate for `localhost` signed by it; returns the
/// CA's PEM file and the server's certificate-and-key bundle.
fn private_ca(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let openssl = grader_tests::tool("openssl");
    let run = |args: &[&str]| {
        let out = grader_tests::run(
            std::process::Command::new(&openssl)
                .args(args)
                .current_dir(dir),
        );
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    run(&[
        &["req", "-x509"][..],
        &ec,
        &[
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Workshop test CA",
        ],
    ]
    .concat());
    run(&[
        &["req"][..],
        &ec,
        &[
            "-keyout",
            "srv.key",
            "-out",
            "srv.csr",
            "-subj",
            "/CN=localhost",
        ],
    ]
    .concat());
    std::fs::write(
        dir.join("ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write ext");
    run(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "2",
        "-extfile",
        "ext",
    ]);
    let bundle = dir.join("srv.bundle");
    let mut pem = std::fs::read(dir.join("srv.pem")).expect("srv.pem");
    pem.extend(std::fs::read(dir.join("srv.key")).expect("srv.key"));
    std::fs::write(&bundle, pem).expect("write bundle");
    (dir.join("ca.pem"), bundle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqps_with_a_private_ca_is_verified_and_grades() {
    let dir = TempDir::new("tls");
    let (ca, bundle) = private_ca(&dir.path);
    let front = TlsFront::start(&bundle);
    let vhost = Vhost::create("tls");
    let url = format!(
        "amqps://guest:guest@localhost:{}/{}",
        front.port, vhost.name
    );

    // The certificate is not from a CA the system trusts: refused.
    let refused = Worker::spawn(&url, &[]);
    grader_tests::amqp::eventually("a certificate error", SOON, || async {
        refused.log().contains("UnknownIssuer").then_some(())
    })
    .await;
    assert_eq!(refused.get("/readyz").await.map(|r| r.0), Some(503));
    drop(refused);

    // With the workshop's CA: connected over TLS, and grading.
    let ca = ca.display().to_string();
    let worker = Worker::start(&url, &["--amqp-ca-file", &ca]).await;
    assert!(
        worker.log().contains("amqps://guest:***@localhost"),
        "{}",
        worker.log()
    );
    let conn = connect(&vhost.url()).await;
    let ch = channel(&conn).await;
    declare(&ch, 5).await;
    let good = sample("zone-basics", "good-absolute");
    publish(&ch, &good.body("over-tls", None), submission_properties()).await;
    let r = take(&ch, TEST_RESULTS, 1, SOON).await.remove(0).json();
    assert_eq!(r["submission_id"], "over-tls");
    assert_eq!(r["outcome"], "graded", "{r}");
}
