//! The gradebook on SQLite and on PostgreSQL (127.0.0.1:5432): recording
//! real results of the worker's grading, idempotency, conflicts, the
//! latest and the best attempt per learner, filters, and the SQL views an
//! instructor can query by hand.

use grader_gradebook::{Entry, Error, Filter, Gradebook, Pick, Recorded, Tally};
use grader_tests::gradebook::{Scratch, grade, grading, zone_basics_submission};

/// (submission id, learner, course, time, sample zone)
const SUBMISSIONS: &[(&str, &str, Option<&str>, &str, &str)] = &[
    (
        "s-a1",
        "alice",
        Some("ws-1"),
        "2026-11-29T09:00:00Z",
        "glue-missing.zone",
    ),
    (
        "s-a2",
        "alice",
        Some("ws-1"),
        "2026-11-29T10:00:00Z",
        "good-absolute.zone",
    ),
    (
        "s-a3",
        "alice",
        Some("ws-1"),
        "2026-11-29T11:00:00Z",
        "single-ns.zone",
    ),
    (
        "s-b1",
        "bob",
        Some("ws-1"),
        "2026-11-29T09:30:00Z",
        "good-relative.zone",
    ),
    (
        "s-b2",
        "bob",
        Some("ws-2"),
        "2026-11-29T09:40:00Z",
        "mx-ip.zone",
    ),
    (
        "s-c1",
        "carol",
        Some("ws-1"),
        "2026-11-29T09:10:00Z",
        "other-origin.zone",
    ),
    (
        "s-d1",
        "dave",
        None,
        "2026-11-29T09:20:00Z",
        "good-parens.zone",
    ),
];

/// Every submission of [`SUBMISSIONS`] and its result, graded by the
/// worker's code.
fn graded() -> Vec<(String, String)> {
    let g = grading(&[grader_tests::root().join("exercises/zone-basics")]);
    SUBMISSIONS
        .iter()
        .map(|(id, learner, course, at, sample)| {
            let sub = zone_basics_submission(id, learner, *course, at, sample);
            let result = grade(&g, &sub);
            (sub, result)
        })
        .collect()
}

async fn record_all(book: &Gradebook, items: &[(String, String)]) -> Tally {
    let mut tally = Tally::default();
    for (sub, result) in items {
        let r = book
            .record(&Entry {
                result,
                submission: Some(sub),
                pending_publish: false,
            })
            .await
            .unwrap_or_else(|e| panic!("recording: {e}"));
        tally.add(&r);
    }
    tally
}

fn ids(attempts: &[grader_gradebook::Attempt]) -> Vec<(String, Option<String>, String, i64)> {
    attempts
        .iter()
        .map(|a| {
            (
                a.learner.clone(),
                a.course.clone(),
                a.submission_id.clone(),
                a.attempts,
            )
        })
        .collect()
}

fn row(
    learner: &str,
    course: Option<&str>,
    id: &str,
    n: i64,
) -> (String, Option<String>, String, i64) {
    (learner.into(), course.map(String::from), id.into(), n)
}

async fn recording_and_queries(scratch: &Scratch, items: &[(String, String)]) {
    let kind = scratch.kind();
    let book = Gradebook::open(&scratch.location)
        .await
        .unwrap_or_else(|e| panic!("{kind}: {e}"));

    // Every result is new once, then already there.
    let first = record_all(&book, items).await;
    assert_eq!(first.new, SUBMISSIONS.len() as u64, "{kind}: {first:?}");
    let again = record_all(&book, items).await;
    assert_eq!(
        again,
        Tally {
            already: SUBMISSIONS.len() as u64,
            ..Tally::default()
        },
        "{kind}"
    );
    // A batch with duplicates inside it: still one row per result.
    let entries: Vec<Entry<'_>> = items
        .iter()
        .chain(items.iter())
        .map(|(s, r)| Entry {
            result: r,
            submission: Some(s),
            pending_publish: false,
        })
        .collect();
    let mut out = Vec::new();
    book.record_batch(&entries, &mut out).await.expect("batch");
    assert!(
        out.iter().all(|r| *r == Recorded::AlreadyRecorded),
        "{kind}: {out:?}"
    );

    // The latest attempt per course, exercise and learner, with the number
    // of attempts; ordered by course, exercise, learner ('' = no course).
    let latest = book
        .attempts(Pick::Latest, &Filter::default())
        .await
        .expect("latest");
    assert_eq!(
        ids(&latest),
        [
            row("dave", None, "s-d1", 1),
            row("alice", Some("ws-1"), "s-a3", 3),
            row("bob", Some("ws-1"), "s-b1", 1),
            row("carol", Some("ws-1"), "s-c1", 1),
            row("bob", Some("ws-2"), "s-b2", 1),
        ],
        "{kind}"
    );
    let alice = &latest[1];
    assert_eq!(alice.score, Some((18.0, 20.0)), "{kind}: single NS");
    assert_eq!(alice.outcome, "graded");
    assert_eq!(alice.submitted_at, "2026-11-29T11:00:00Z");
    assert_eq!(alice.body().expect("a result").checks.len(), 8);
    // The best: the highest graded score; an invalid submission is the
    // best a learner without a graded one has.
    let best = book
        .attempts(Pick::Best, &Filter::default())
        .await
        .expect("best");
    assert_eq!(
        ids(&best),
        [
            row("dave", None, "s-d1", 1),
            row("alice", Some("ws-1"), "s-a2", 3),
            row("bob", Some("ws-1"), "s-b1", 1),
            row("carol", Some("ws-1"), "s-c1", 1),
            row("bob", Some("ws-2"), "s-b2", 1),
        ],
        "{kind}"
    );
    assert_eq!(best[1].score, Some((20.0, 20.0)));
    assert_eq!(best[3].outcome, "invalid_submission");
    assert_eq!(best[3].score, None);

    // Filters.
    let ws1 = Filter {
        course: Some("ws-1".into()),
        ..Filter::default()
    };
    assert_eq!(
        book.attempts(Pick::Latest, &ws1).await.expect("ws-1").len(),
        3
    );
    let no_course = Filter {
        course: Some(String::new()),
        ..Filter::default()
    };
    assert_eq!(
        ids(&book.attempts(Pick::Latest, &no_course).await.expect("none")),
        [row("dave", None, "s-d1", 1)]
    );
    let bob = Filter {
        learner: Some("bob".into()),
        ..Filter::default()
    };
    assert_eq!(book.attempts(Pick::Best, &bob).await.expect("bob").len(), 2);
    let other = Filter {
        exercise: Some("delegation".into()),
        ..Filter::default()
    };
    assert!(
        book.attempts(Pick::Latest, &other)
            .await
            .expect("none")
            .is_empty()
    );
    // History: every submission, oldest first, with its stored message.
    let history = book.history(&ws1).await.expect("history");
    let order: Vec<&str> = history.iter().map(|a| a.submission_id.as_str()).collect();
    assert_eq!(order, ["s-a1", "s-c1", "s-b1", "s-a2", "s-a3"]);
    let stored = book
        .submission("s-a2")
        .await
        .expect("query")
        .expect("stored");
    assert_eq!(stored, items[1].0);

    // The same submission id with another result: a conflict, the first
    // result is kept.
    let g = grading(&[grader_tests::root().join("exercises/zone-basics")]);
    let sub = zone_basics_submission(
        "s-a2",
        "alice",
        Some("ws-1"),
        "2026-11-29T10:00:00Z",
        "mx-ip.zone",
    );
    let other_result = grade(&g, &sub);
    let r = book
        .record(&Entry {
            result: &other_result,
            submission: Some(&sub),
            pending_publish: false,
        })
        .await
        .expect("recorded");
    assert_eq!(r, Recorded::Conflict, "{kind}");
    let kept = book.results_of("s-a2").await.expect("rows");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].result, items[1].1);
    assert_eq!(
        book.submission("s-a2").await.expect("q"),
        Some(items[1].0.clone())
    );

    // A rejected result is skipped; a result without a checker is refused,
    // naming the submission.
    let rejected =
        std::fs::read_to_string(grader_tests::root().join("schemas/examples/result-rejected.json"))
            .expect("example");
    let r = book
        .record(&Entry {
            result: &rejected,
            submission: None,
            pending_publish: false,
        })
        .await
        .expect("skipped, not an error");
    assert!(matches!(r, Recorded::Skipped(_)), "{r:?}");
    let mut broken: serde_json::Value = serde_json::from_str(&items[0].1).expect("json");
    broken
        .as_object_mut()
        .expect("object")
        .remove("checker_sha256");
    let err = book
        .record(&Entry {
            result: &broken.to_string(),
            submission: None,
            pending_publish: false,
        })
        .await
        .expect_err("no checker");
    assert!(
        matches!(&err, Error::Invalid { what, .. } if what.contains("s-a1")),
        "{err}"
    );
    book.close().await;

    // Everything is still there when opened again.
    let book = Gradebook::open(&scratch.location).await.expect("reopen");
    assert_eq!(
        book.attempts(Pick::Latest, &Filter::default())
            .await
            .expect("latest")
            .len(),
        5
    );
    book.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_are_recorded_once_and_the_latest_and_best_attempts_are_queryable() {
    let items = graded();
    for scratch in Scratch::both("record") {
        recording_and_queries(&scratch, &items).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_recording_the_same_results_at_once_keep_one_row_each() {
    let items = graded();
    for scratch in Scratch::both("race") {
        let a = Gradebook::open(&scratch.location).await.expect("open");
        let b = Gradebook::open(&scratch.location)
            .await
            .expect("open twice");
        let (ta, tb) = tokio::join!(record_all(&a, &items), record_all(&b, &items));
        assert_eq!(
            ta.new + tb.new,
            SUBMISSIONS.len() as u64,
            "{}: {ta:?} {tb:?}",
            scratch.kind()
        );
        assert_eq!(ta.conflicts + tb.conflicts, 0);
        for (id, ..) in SUBMISSIONS {
            assert_eq!(a.results_of(id).await.expect("rows").len(), 1, "{id}");
        }
    }
}

/// A PostgreSQL gradebook filled with [`graded`] results, with a runtime
/// to use it from a plain test, and its database name.
fn filled_postgres(tag: &str) -> (Scratch, tokio::runtime::Runtime, String) {
    let items = graded();
    let scratch = Scratch::postgres(tag);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let book = Gradebook::open(&scratch.location).await.expect("open");
        record_all(&book, &items).await;
        book.close().await;
    });
    let database = scratch
        .location
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_string();
    (scratch, runtime, database)
}

#[test]
fn the_views_answer_plain_sql_and_a_newer_schema_is_refused() {
    let (scratch, runtime, database) = filled_postgres("views");
    let database = database.as_str();
    let psql = |sql: &str| {
        let out = grader_tests::run(
            std::process::Command::new("psql")
                .args([
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-d",
                    database,
                    "-AtF,",
                    "-c",
                ])
                .arg(sql),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(
        psql(
            "SELECT learner, submission_id, score_given, attempts FROM best_attempts \
             WHERE course = 'ws-1' ORDER BY learner"
        ),
        "alice,s-a2,20,3\nbob,s-b1,20,1\ncarol,s-c1,,1"
    );
    assert_eq!(
        psql("SELECT submission_id FROM latest_attempts WHERE learner = 'alice'"),
        "s-a3"
    );
    assert_eq!(psql("SELECT count(*) FROM current_results"), "7");
    psql("UPDATE gradebook_meta SET value = '99' WHERE key = 'schema_version'");
    let err = runtime
        .block_on(Gradebook::open(&scratch.location))
        .expect_err("a newer schema");
    assert!(
        err.to_string()
            .contains("schema version 99; this grader reads version 1"),
        "{err}"
    );
}

#[test]
fn bad_locations_say_what_is_wrong() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let err = runtime
        .block_on(Gradebook::open("/nonexistent-dir/gradebook.db"))
        .expect_err("no directory");
    assert!(
        err.to_string().contains("/nonexistent-dir does not exist"),
        "{err}"
    );
    let err = runtime
        .block_on(Gradebook::open("mysql://db/grades"))
        .expect_err("not supported");
    assert!(err.to_string().contains("PostgreSQL URL"), "{err}");
    let err = runtime
        .block_on(Gradebook::open(
            "postgres://postgres:secret@127.0.0.1:1/grades",
        ))
        .expect_err("nobody listens on port 1");
    let text = err.to_string();
    assert!(
        text.contains("postgres://postgres:***@127.0.0.1:1/grades"),
        "{text}"
    );
    assert!(!text.contains("secret"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ungraded_result_first_does_not_break_the_graded_ones_after_it() {
    // On PostgreSQL a null score bound first used to fix the statement's
    // parameter type on that connection, and every graded result after it
    // failed there.
    let mut items = graded();
    items.sort_by_key(|(_, r)| !r.contains("\"outcome\":\"invalid_submission\""));
    assert!(items[0].1.contains("invalid_submission"));
    for scratch in Scratch::both("nullfirst") {
        let book = Gradebook::open(&scratch.location).await.expect("open");
        let tally = record_all(&book, &items).await;
        assert_eq!(
            tally.new,
            items.len() as u64,
            "{}: {tally:?}",
            scratch.kind()
        );
        book.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_id_an_unstorable_learner_and_a_changed_maximum_are_handled() {
    let items = graded();
    for scratch in Scratch::both("edges") {
        let kind = scratch.kind();
        let book = Gradebook::open(&scratch.location).await.expect("open");
        record_all(&book, &items).await;
        // The id of alice's submission, reused for dave's: a conflict, and
        // alice keeps her attempt.
        let g = grading(&[grader_tests::root().join("exercises/zone-basics")]);
        let sub = zone_basics_submission(
            "s-a3",
            "dave",
            None,
            "2026-11-29T12:00:00Z",
            "good-absolute.zone",
        );
        let r = book
            .record(&Entry {
                result: &grade(&g, &sub),
                submission: Some(&sub),
                pending_publish: false,
            })
            .await
            .expect("recorded");
        assert_eq!(r, Recorded::Conflict, "{kind}");
        let alice = Filter {
            learner: Some("alice".into()),
            ..Filter::default()
        };
        let latest = book.attempts(Pick::Latest, &alice).await.expect("latest");
        assert_eq!(latest[0].submission_id, "s-a3", "{kind}");
        assert_eq!(latest[0].learner, "alice");
        // A learner id no submission could have (a NUL byte, which
        // PostgreSQL cannot store) is not a result.
        let mut bad: serde_json::Value = serde_json::from_str(&items[0].1).expect("json");
        bad["learner"] = "bad\u{0}x".into();
        bad["submission_id"] = "s-nul".into();
        let err = book
            .record(&Entry {
                result: &bad.to_string(),
                submission: None,
                pending_publish: false,
            })
            .await
            .expect_err("refused");
        assert!(
            err.to_string().contains("its learner must be"),
            "{kind}: {err}"
        );
        // The best attempt is judged by share of the maximum: 19/20 under
        // version 1.0.0 beats 21/30 under a version whose rubric grew.
        let mut grown: serde_json::Value = serde_json::from_str(&items[2].1).expect("json");
        grown["submission_id"] = "s-a4".into();
        grown["graded_at"] = "2026-11-29T13:00:00Z".into();
        grown["exercise"]["version"] = "2.0.0".into();
        grown["score"] = serde_json::json!({"given": 21.0, "maximum": 30});
        let mut better: serde_json::Value = serde_json::from_str(&items[2].1).expect("json");
        better["submission_id"] = "s-a5".into();
        better["graded_at"] = "2026-11-29T12:30:00Z".into();
        better["score"] = serde_json::json!({"given": 19.0, "maximum": 20});
        for v in [grown, better] {
            book.record(&Entry {
                result: &v.to_string(),
                submission: None,
                pending_publish: false,
            })
            .await
            .expect("recorded");
        }
        let best = book.attempts(Pick::Best, &alice).await.expect("best");
        assert_eq!(best[0].submission_id, "s-a2", "{kind}: 20/20 first");
        let ws = Filter {
            learner: Some("alice".into()),
            ..Filter::default()
        };
        let all = book.history(&ws).await.expect("history");
        assert_eq!(all.len(), 5, "{kind}");
        book.close().await;
    }
}

#[test]
fn a_read_only_role_can_read_an_existing_gradebook_and_nothing_is_created() {
    let (scratch, runtime, database) = filled_postgres("readonly");
    let role = format!("reader_{}", &database[database.len() - 8..]);
    grader_tests::gradebook::psql(&format!("CREATE ROLE {role} LOGIN"));
    let grant = grader_tests::run(
        std::process::Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-d", &database, "-qc"])
            .arg(format!(
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}; \
                 REVOKE CREATE ON SCHEMA public FROM PUBLIC"
            )),
    );
    assert!(
        grant.status.success(),
        "{}",
        String::from_utf8_lossy(&grant.stderr)
    );
    let url = format!("postgres://{role}@127.0.0.1:5432/{database}");
    let read = runtime.block_on(async {
        let book = Gradebook::open_existing(&url).await?;
        book.attempts(Pick::Best, &Filter::default()).await
    });
    // Writing needs more than SELECT: opening to write is refused.
    let write = runtime.block_on(Gradebook::open(&url));
    drop(scratch);
    grader_tests::gradebook::psql(&format!("DROP ROLE IF EXISTS {role}"));
    assert_eq!(read.expect("a read-only role reads").len(), 5);
    assert!(write.is_err(), "a read-only role created tables");
    // A missing SQLite file is not created by a reader.
    let missing = std::env::temp_dir().join(format!("grader-missing-{}.db", std::process::id()));
    let err = runtime
        .block_on(Gradebook::open_existing(&missing.display().to_string()))
        .expect_err("no such file");
    assert!(err.to_string().contains("no such gradebook"), "{err}");
    assert!(!missing.exists());
}
