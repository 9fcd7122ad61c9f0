//! `grader regrade` on SQLite and PostgreSQL gradebooks filled by the
//! worker's grading, against the real RabbitMQ: the before/after diff (a
//! score that goes down is flagged), `--dry-run` changing nothing, the new
//! results recorded and published with `regrade_of` and fresh increasing
//! AGS timestamps (the learner's latest submission last), a second run
//! doing nothing, the outbox when the broker is unreachable, and an
//! exercise changed without a new version refused.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use grader_gradebook::{Entry, Filter, Gradebook, Pick};
use grader_tests::amqp::{self, TEST_RESULTS, TempDir, Vhost};
use grader_tests::gradebook::{Scratch, grade, grading, zone_basics_copy, zone_basics_submission};
use serde_json::Value;

/// (submission id, learner, time, sample zone), all in course `ws-1`.
/// Under the changed exercise (DMARC `p=none` no longer accepted):
/// alice's first submission loses a point, her latest does not change;
/// bob's only one loses a point; carol's does not change; dave's is
/// invalid before and after.
const SUBMISSIONS: &[(&str, &str, &str, &str)] = &[
    (
        "s-a1",
        "alice",
        "2026-11-29T09:00:00Z",
        "good-relative.zone",
    ),
    ("s-b1", "bob", "2026-11-29T09:30:00Z", "single-ns.zone"),
    (
        "s-c1",
        "carol",
        "2026-11-29T09:40:00Z",
        "good-absolute.zone",
    ),
    ("s-d1", "dave", "2026-11-29T09:50:00Z", "other-origin.zone"),
    (
        "s-a2",
        "alice",
        "2026-11-29T10:00:00Z",
        "good-absolute.zone",
    ),
];

fn regrade(gradebook: &str, exercises: &Path, amqp_url: &str, extra: &[&str]) -> Output {
    grader_tests::run(
        Command::new(grader_tests::grader_binary())
            .args([
                "regrade",
                "--exercise",
                "zone-basics",
                "--gradebook",
                gradebook,
            ])
            .arg("--exercises")
            .arg(exercises)
            .args(["--amqp-url", amqp_url])
            .args(extra)
            .env_remove("GRADER_GRADEBOOK")
            .env_remove("AMQP_URL"),
    )
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Fills a gradebook as a worker with the first version of the exercise
/// would, and returns the exercise directory (still version 1.0.0).
async fn fill(book: &Gradebook, dir: &Path) -> String {
    zone_basics_copy(dir, |t| t);
    let g = grading(&[dir.to_path_buf()]);
    let mut checker = String::new();
    for (id, learner, at, sample) in SUBMISSIONS {
        let sub = zone_basics_submission(id, learner, Some("ws-1"), at, sample);
        let result = grade(&g, &sub);
        checker = serde_json::from_str::<Value>(&result).expect("json")["checker_sha256"]
            .as_str()
            .expect("a checker")
            .to_string();
        book.record(&Entry {
            result: &result,
            submission: Some(&sub),
            pending_publish: false,
        })
        .await
        .expect("recorded");
    }
    checker
}

/// The changed exercise: DMARC `p=none` is no longer accepted.
fn stricter(t: String) -> String {
    t.replace(
        "dmarc_policies = [\"none\", \"quarantine\", \"reject\"]",
        "dmarc_policies = [\"quarantine\", \"reject\"]",
    )
}

/// The DMARC check worth 4 points instead of 2.
fn worth_4(t: String) -> String {
    let old = "title = \"A DMARC record at _dmarc with a policy\"\npoints = 2";
    assert!(t.contains(old), "the rubric changed: {t}");
    t.replace(
        old,
        "title = \"A DMARC record at _dmarc with a policy\"\npoints = 4",
    )
}

async fn scenario(scratch: &Scratch) {
    let kind = scratch.kind();
    let vhost = Vhost::create(&format!("regrade-{kind}"));
    let conn = amqp::connect(&vhost.url()).await;
    let ch = amqp::channel(&conn).await;
    amqp::declare(&ch, 5).await;
    let tmp = TempDir::new("regrade");
    let dir = tmp.path.join("zone-basics");
    let book = Gradebook::open(&scratch.location).await.expect("open");
    let old_checker = fill(&book, &dir).await;

    // The exercise changes, with a new version.
    zone_basics_copy(&dir, |t| {
        stricter(t).replace("version = \"1.0.0\"", "version = \"1.1.0\"")
    });

    // A dry run shows the diff and changes nothing.
    let out = regrade(&scratch.location, &dir, &vhost.url(), &["--dry-run"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{kind}: {stderr}");
    assert!(
        stdout.contains(
            "zone-basics: 5 submissions regraded: 3 unchanged, 2 changed (0 up, 2 DOWN, 0 other)"
        ),
        "{kind}: {stdout}"
    );
    assert!(
        stdout.contains("alice [ws-1]  s-a1 2026-11-29T09:00:00Z: 20/20 -> 19/20 (-1)  DOWN"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("bob [ws-1]  s-b1 2026-11-29T09:30:00Z (latest): 18/20 -> 17/20 (-1)  DOWN"),
        "{stdout}"
    );
    assert!(
        stdout.contains("dmarc                passed 2/2 -> partial 1/2  DOWN"),
        "{stdout}"
    );
    assert!(
        stdout.contains("dmarc                0 up, 2 down  DOWN"),
        "{stdout}"
    );
    assert!(
        stderr.contains("dry run: nothing recorded or published"),
        "{stderr}"
    );
    for (id, ..) in SUBMISSIONS {
        assert_eq!(
            book.results_of(id).await.expect("rows").len(),
            1,
            "{kind}: {id}"
        );
    }
    assert!(
        amqp::get(&ch, TEST_RESULTS).await.is_none(),
        "a dry run published"
    );

    // The JSON form of the same comparison.
    let out = regrade(
        &scratch.location,
        &dir,
        &vhost.url(),
        &["--dry-run", "--format", "json"],
    );
    let diff: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(diff["regraded"], 5);
    assert_eq!(diff["changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(diff["changes"][0]["checks"][0]["id"], "dmarc");

    // The real run records all five under the new version and publishes
    // the changed ones, plus alice's latest after her older one.
    let started = grader_core::grade::rfc3339(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("time")
            .as_secs() as i64,
    );
    let out = regrade(&scratch.location, &dir, &vhost.url(), &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{kind}: {stdout}\n{stderr}");
    assert!(
        stderr.contains("recorded 5 regraded results; publishing 3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("published 3 results to grader.results"),
        "{stderr}"
    );
    let got = amqp::take(&ch, TEST_RESULTS, 3, Duration::from_secs(10)).await;
    let bodies: Vec<Value> = got.iter().map(amqp::Got::json).collect();
    let order: Vec<&str> = bodies
        .iter()
        .map(|b| b["submission_id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        order,
        ["s-a1", "s-b1", "s-a2"],
        "{kind}: oldest first, latest last"
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(grader_tests::root().join("schemas/result.schema.json"))
            .expect("the result schema"),
    )
    .expect("JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a usable schema");
    let mut previous = String::new();
    for (m, b) in got.iter().zip(&bodies) {
        let errors: Vec<String> = validator
            .iter_errors(b)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "a regrade result against result.schema.json: {errors:?}"
        );
        assert_eq!(m.routing_key, "ws-1.zone-basics");
        assert_eq!(m.header("x-grader-outcome").as_deref(), Some("graded"));
        assert_eq!(
            m.prop(lapin::BasicProperties::correlation_id).as_deref(),
            b["submission_id"].as_str()
        );
        assert_eq!(b["exercise"]["version"], "1.1.0");
        let of = &b["regrade_of"];
        assert_eq!(of["checker_sha256"], old_checker.as_str());
        assert_eq!(of["exercise_version"], "1.0.0");
        assert_eq!(of["outcome"], "graded");
        // The grading time is still the submission's; the AGS timestamp
        // is fresh, with milliseconds, and increases.
        let id = b["submission_id"].as_str().unwrap_or("");
        let at = SUBMISSIONS.iter().find(|s| s.0 == id).map(|s| s.2);
        assert_eq!(b["graded_at"].as_str(), at, "{id}");
        let stamp = b["lti_score"]["timestamp"]
            .as_str()
            .expect("a timestamp")
            .to_string();
        assert!(stamp.len() == 24 && stamp.ends_with('Z'), "{stamp}");
        assert!(
            stamp[..19] >= started[..19],
            "{stamp} before the run ({started})"
        );
        assert!(stamp > previous, "{stamp} not after {previous}");
        previous = stamp;
    }
    assert_eq!(bodies[0]["score"]["given"], 19.0);
    assert_eq!(bodies[0]["regrade_of"]["score"]["given"], 20.0);
    assert_eq!(bodies[0]["lti_score"]["scoreGiven"], 19.0);
    assert_eq!(
        bodies[2]["score"]["given"], 20.0,
        "alice's latest, unchanged, comes again"
    );
    // The gradebook: the new results are current, the old ones kept.
    let history = book.history(&Filter::default()).await.expect("history");
    assert!(
        history.iter().all(|a| a.exercise_version == "1.1.0"),
        "{kind}"
    );
    assert!(history.iter().all(|a| !a.pending_publish));
    assert_eq!(book.results_of("s-a1").await.expect("rows").len(), 2);
    let best = book
        .attempts(
            Pick::Best,
            &Filter {
                learner: Some("bob".into()),
                ..Filter::default()
            },
        )
        .await
        .expect("best");
    assert_eq!(best[0].score, Some((17.0, 20.0)));

    // Again: nothing changes, nothing is published.
    let out = regrade(&scratch.location, &dir, &vhost.url(), &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("5 unchanged, 0 changed"), "{stdout}");
    assert!(
        stderr.contains("recorded 0 regraded results; publishing 0"),
        "{stderr}"
    );
    assert!(
        amqp::get(&ch, TEST_RESULTS).await.is_none(),
        "a second run published"
    );

    // The exercise changes again, but keeps its version: refused.
    zone_basics_copy(&dir, |t| {
        worth_4(stricter(t)).replace("version = \"1.0.0\"", "version = \"1.1.0\"")
    });
    let out = regrade(&scratch.location, &dir, &vhost.url(), &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Raise `version` in exercise.toml"),
        "{stderr}"
    );
    assert_eq!(
        book.results_of("s-a1").await.expect("rows").len(),
        2,
        "nothing recorded"
    );

    // With a new version, but the broker unreachable: recorded, kept to
    // publish; the next run publishes them first.
    zone_basics_copy(&dir, |t| {
        worth_4(stricter(t)).replace("version = \"1.0.0\"", "version = \"1.2.0\"")
    });
    let out = regrade(
        &scratch.location,
        &dir,
        "amqp://guest:guest@127.0.0.1:1/%2f",
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("run the same `grader regrade` again"),
        "{stderr}"
    );
    let pending = book.pending(&Filter::default()).await.expect("pending");
    assert!(!pending.is_empty(), "{kind}: nothing kept to publish");
    let out = regrade(&scratch.location, &dir, &vhost.url(), &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("an earlier run recorded but did not publish"),
        "{stderr}"
    );
    let got = amqp::take(&ch, TEST_RESULTS, pending.len(), Duration::from_secs(10)).await;
    assert!(
        got.iter()
            .all(|m| m.json()["exercise"]["version"] == "1.2.0")
    );
    assert!(
        book.pending(&Filter::default())
            .await
            .expect("pending")
            .is_empty()
    );
    book.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regrading_shows_every_drop_then_records_and_publishes_the_new_results() {
    for scratch in Scratch::both("regrade") {
        scenario(&scratch).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_without_a_stored_submission_are_listed_not_regraded() {
    let scratch = Scratch::sqlite("nosub");
    let tmp = TempDir::new("regrade-nosub");
    let dir = tmp.path.join("zone-basics");
    zone_basics_copy(&dir, |t| t);
    let g = grading(std::slice::from_ref(&dir));
    let book = Gradebook::open(&scratch.location).await.expect("open");
    let sub = zone_basics_submission(
        "s-x",
        "erin",
        None,
        "2026-11-29T09:00:00Z",
        "good-relative.zone",
    );
    // Recorded from a results queue: no submission.
    book.record(&Entry {
        result: &grade(&g, &sub),
        submission: None,
        pending_publish: false,
    })
    .await
    .expect("recorded");
    // An older submission of erin's, stored with its submission: it
    // changes, but her latest cannot be graded again, so publishing it
    // would replace the latest one's score in the LMS.
    let older = zone_basics_submission(
        "s-w",
        "erin",
        None,
        "2026-11-29T08:00:00Z",
        "good-relative.zone",
    );
    book.record(&Entry {
        result: &grade(&g, &older),
        submission: Some(&older),
        pending_publish: false,
    })
    .await
    .expect("recorded");
    zone_basics_copy(&dir, |t| {
        stricter(t).replace("version = \"1.0.0\"", "version = \"1.1.0\"")
    });
    let out = regrade(
        &scratch.location,
        &dir,
        "amqp://guest:guest@127.0.0.1:1/%2f",
        &["--dry-run"],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("1 not regraded:"), "{stdout}");
    assert!(
        stdout.contains("s-x (erin): no submission is stored with its result"),
        "{stdout}"
    );
    assert!(
        stdout.contains("erin  s-w 2026-11-29T08:00:00Z: 20/20 -> 19/20 (-1)  DOWN"),
        "{stdout}"
    );
    // For real: recorded, held back from the LMS, said so; nothing to
    // publish, so the (unreachable) broker is not needed.
    let out = regrade(
        &scratch.location,
        &dir,
        "amqp://guest:guest@127.0.0.1:1/%2f",
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("recorded, not published: s-w (erin): its latest submission s-x could not be graded again"),
        "{stderr}"
    );
    assert!(
        book.pending(&Filter::default())
            .await
            .expect("pending")
            .is_empty()
    );
    assert_eq!(book.results_of("s-w").await.expect("rows").len(), 2);
    // An exercise the gradebook has nothing of.
    let out = grader_tests::run(
        Command::new(grader_tests::grader_binary())
            .args([
                "regrade",
                "--exercise",
                "delegation",
                "--dry-run",
                "--gradebook",
            ])
            .arg(&scratch.location),
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no results of exercise `delegation`"));
}
