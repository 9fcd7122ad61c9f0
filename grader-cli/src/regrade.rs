//! `grader regrade`: grades an exercise's stored submissions again with
//! its current checker, prints what changes (per learner and per check,
//! every lower score flagged `DOWN`), and, without `--dry-run`, records the
//! new results in the gradebook and publishes the changed ones to
//! `grader.results` with `regrade_of` and a fresh AGS timestamp.
//!
//! - Nothing is probed: a submission graded from a learner's server is
//!   graded again from the responses its result recorded.
//! - The grading time stays the submission's, so only the exercise's
//!   change can change a result.
//! - Results go through an outbox: they are recorded as "to publish"
//!   first, published with confirms, then marked published. A run that
//!   could not publish leaves them marked; the next run publishes them
//!   before anything else.
//! - AGS keeps the score with the latest timestamp. Results are published
//!   oldest submission first with increasing timestamps, and when an older
//!   submission of a learner changes, the learner's latest submission is
//!   published again after it, so the LMS ends on the latest attempt. A
//!   learner whose latest submission cannot be graded again gets nothing
//!   published (an older score would replace the latest one's): those
//!   results are recorded and listed.
//!
//! Exit status: 0 done (or nothing to do), 1 not recorded because the
//! exercise changed without a new version or checker (see the message),
//! 2 usage, exercise, gradebook or broker problems.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use grader_core::catalog::Catalog;
use grader_core::exercise::Exercise;
use grader_core::grade::{GradeResult, rfc3339};
use grader_core::message::{
    self, RegradeOf, ResultBody, ResultMessage, ResultScore, SubmissionMessage,
};
use grader_core::probe::{Allowlist, Capture};
use grader_core::sandbox::Sandbox;
use grader_gradebook::diff::{Change, Diff, NotRegraded};
use grader_gradebook::{Attempt, Entry, Filter, Gradebook};
use grader_worker::client::Client;
use grader_worker::intake::Grading;

use crate::Format;
use crate::commands::fail;
use crate::progress::Progress;

/// Arguments of `grader regrade`.
#[derive(clap::Args)]
pub struct RegradeArgs {
    /// The exercise whose submissions are graded again.
    #[arg(long)]
    exercise: String,
    /// Only this course's submissions.
    #[arg(long)]
    course: Option<String>,
    /// Only this learner's submissions.
    #[arg(long)]
    learner: Option<String>,
    /// Show what would change; record and publish nothing.
    #[arg(long)]
    dry_run: bool,
    /// The gradebook: an SQLite file, or a PostgreSQL URL.
    #[arg(long, env = "GRADER_GRADEBOOK", hide_env_values = true)]
    gradebook: String,
    /// Where the exercise is: exercise directories, or directories of them.
    #[arg(long = "exercises", value_name = "DIR", default_value = "exercises")]
    exercises: Vec<PathBuf>,
    /// The broker the new results are published to (not used with
    /// --dry-run).
    #[arg(
        long,
        env = "AMQP_URL",
        default_value = grader_worker::config::DEFAULT_AMQP_URL,
        hide_env_values = true
    )]
    amqp_url: String,
    /// Output format of the comparison.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Runs `grader regrade`.
pub fn regrade(args: &RegradeArgs) -> ExitCode {
    crate::commands::block_on(async {
        match run(args).await {
            Ok(code) => code,
            Err(e) => fail(e),
        }
    })
}

/// One stored submission and what grading it again gave.
struct Item {
    current: Attempt,
    before: ResultBody,
    latest: bool,
    /// The new result message (JSON, AGS timestamp still to set) and its
    /// reading, or why it could not be graded again.
    after: Result<(serde_json::Value, ResultBody), String>,
}

async fn run(args: &RegradeArgs) -> Result<ExitCode, String> {
    let book = Gradebook::open(&args.gradebook)
        .await
        .map_err(|e| e.to_string())?;
    let filter = Filter {
        exercise: Some(args.exercise.clone()),
        course: args.course.clone(),
        learner: args.learner.clone(),
    };
    let mut client = None;
    if !args.dry_run {
        // Results an earlier run recorded but could not publish go first.
        let left = book.pending(&filter).await.map_err(|e| e.to_string())?;
        if !left.is_empty() {
            eprintln!(
                "publishing {} regraded result{} an earlier run recorded but did not publish",
                left.len(),
                if left.len() == 1 { "" } else { "s" }
            );
            publish(&book, &filter, args, &mut client).await?;
        }
    }
    let history = book.history(&filter).await.map_err(|e| e.to_string())?;
    if history.is_empty() {
        eprintln!(
            "no results of exercise `{}`{} in the gradebook {}",
            args.exercise,
            args.course
                .as_deref()
                .map(|c| format!(" in course `{c}`"))
                .unwrap_or_default(),
            book.location()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let grading = load(args)?;
    let mut submissions = Vec::with_capacity(history.len());
    for a in &history {
        submissions.push(
            book.submission(&a.submission_id)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    let items = grade_all(&grading, history, submissions);
    let plan = plan(&args.exercise, items);
    match args.format {
        Format::Text => print!("{}", plan.diff.render()),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&plan.diff).unwrap_or_default()
        ),
    }
    let conflicts = (!plan.conflicts.is_empty()).then(|| {
        format!(
            "{} submission{} would get a different result from the same checker and exercise \
             version ({}), so the exercise changed (its rubric, parameters or statement) without \
             a new version. Raise `version` in exercise.toml and regrade again.",
            plan.conflicts.len(),
            if plan.conflicts.len() == 1 { "" } else { "s" },
            plan.conflicts.join(", ")
        )
    });
    if args.dry_run {
        if let Some(c) = &conflicts {
            eprintln!("grader: a real run would record nothing: {c}");
        }
        eprintln!("dry run: nothing recorded or published");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(c) = conflicts {
        eprintln!("grader: nothing recorded: {c}");
        return Ok(ExitCode::from(1));
    }
    for h in &plan.held {
        eprintln!("recorded, not published: {h}");
    }
    let bodies: Vec<(String, bool)> = plan.record;
    let entries: Vec<Entry<'_>> = bodies
        .iter()
        .map(|(body, publish)| Entry {
            result: body,
            submission: None,
            pending_publish: *publish,
        })
        .collect();
    book.record_regrade(&entries)
        .await
        .map_err(|e| e.to_string())?;
    let to_publish = entries.iter().filter(|e| e.pending_publish).count();
    eprintln!(
        "recorded {} regraded result{}; publishing {}",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        to_publish
    );
    publish(&book, &filter, args, &mut client).await?;
    if let Some(c) = client {
        c.close().await;
    }
    Ok(ExitCode::SUCCESS)
}

/// The exercise, loaded with its checker, and a grading context.
fn load(args: &RegradeArgs) -> Result<Grading, String> {
    let mut dir = None;
    for path in &args.exercises {
        let candidates: Vec<PathBuf> = if path.join("exercise.toml").is_file() {
            vec![path.clone()]
        } else {
            let mut v: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot list {}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("exercise.toml").is_file())
                .collect();
            v.sort();
            v
        };
        for c in candidates {
            if let Ok(e) = Exercise::load(&c)
                && e.def.id == args.exercise
            {
                dir = Some(c);
                break;
            }
        }
    }
    let dir = dir.ok_or_else(|| {
        format!(
            "no exercise `{}` under {} (give --exercises DIR)",
            args.exercise,
            args.exercises
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    let sandbox = Sandbox::new(threads, grader_core::catalog::cache_dir())
        .map_err(|e| format!("cannot start the WebAssembly sandbox: {e:#}"))?;
    let catalog = Catalog::load(&[dir], &sandbox).map_err(|e| e.to_string())?;
    Ok(Grading {
        catalog,
        sandbox,
        max_message_bytes: usize::MAX,
        delivery_limit: u32::MAX,
        // Nothing is probed in a regrade.
        allowlist: Allowlist::or_default(&[]),
    })
}

/// Grades every stored submission again, on all cores.
fn grade_all(
    grading: &Grading,
    history: Vec<Attempt>,
    submissions: Vec<Option<String>>,
) -> Vec<Item> {
    // The latest submission of each (course, learner): the last in history
    // order, which is the views' order.
    let mut latest: BTreeMap<(Option<String>, String), String> = BTreeMap::new();
    for a in &history {
        latest.insert(
            (a.course.clone(), a.learner.clone()),
            a.submission_id.clone(),
        );
    }
    let total = history.len();
    let progress = Mutex::new(Progress::new("regraded", total as u64, 50));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Item>>> = (0..total).map(|_| Mutex::new(None)).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(total.max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let a = &history[i];
                    let item = regrade_one(grading, a, submissions[i].as_deref(), &latest);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(item);
                    }
                    if let Ok(mut p) = progress.lock() {
                        p.inc();
                    }
                }
            });
        }
    });
    if let Ok(p) = progress.into_inner() {
        p.finish();
    }
    slots
        .into_iter()
        .filter_map(|s| s.into_inner().ok().flatten())
        .collect()
}

fn regrade_one(
    grading: &Grading,
    a: &Attempt,
    submission: Option<&str>,
    latest: &BTreeMap<(Option<String>, String), String>,
) -> Item {
    let is_latest = latest
        .get(&(a.course.clone(), a.learner.clone()))
        .is_some_and(|id| *id == a.submission_id);
    let before = match a.body() {
        Ok(b) => b,
        Err(e) => {
            return Item {
                current: a.clone(),
                before: ResultBody {
                    submission_id: a.submission_id.clone(),
                    outcome: a.outcome.clone(),
                    learner: Some(a.learner.clone()),
                    course: a.course.clone(),
                    graded_at: Some(a.submitted_at.clone()),
                    ..ResultBody::default()
                },
                latest: is_latest,
                after: Err(format!("its stored result cannot be read: {e}")),
            };
        }
    };
    let after = (|| {
        let text = submission.ok_or(
            "no submission is stored with its result (it was recorded from a results queue \
             or file, not by a worker)",
        )?;
        let sub: SubmissionMessage = serde_json::from_str(text)
            .map_err(|e| format!("its stored submission cannot be read: {e}"))?;
        let captures = captures_of(&a.result)?;
        let result = grading.regrade(&sub, captures.as_deref())?;
        Ok::<_, String>(message_of(&sub, &result, &before))
    })()
    .and_then(|value| {
        let body: ResultBody = serde_json::from_value(value.clone())
            .map_err(|e| format!("the new result cannot be read back: {e}"))?;
        Ok((value, body))
    });
    Item {
        current: a.clone(),
        before,
        latest: is_latest,
        after,
    }
}

/// The responses an earlier grading recorded, if its result has them.
fn captures_of(result: &str) -> Result<Option<Vec<Capture>>, String> {
    let mut value: serde_json::Value =
        serde_json::from_str(result).map_err(|e| format!("its stored result: {e}"))?;
    match value.get_mut("responses").map(serde_json::Value::take) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(list) => serde_json::from_value(list)
            .map(Some)
            .map_err(|e| format!("the responses of its stored result: {e}")),
    }
}

/// The result message of a regrade: the submission's message with
/// `regrade_of` naming the result it replaces.
fn message_of(
    sub: &SubmissionMessage,
    result: &GradeResult,
    before: &ResultBody,
) -> serde_json::Value {
    let mut msg = ResultMessage::new(sub, result);
    msg.regrade_of = Some(RegradeOf {
        checker_sha256: before.checker_sha256.clone().unwrap_or_default(),
        exercise_version: before
            .exercise
            .as_ref()
            .and_then(|e| e.version.clone())
            .unwrap_or_default(),
        outcome: before.outcome.clone(),
        score: before
            .score
            .clone()
            .filter(|_| before.is_graded())
            .map(|s| ResultScore {
                given: s.given,
                maximum: s.maximum,
            }),
    });
    serde_json::from_slice(&msg.to_json()).unwrap_or(serde_json::Value::Null)
}

/// What a learner sees of a result: equal for two results means the
/// regrade changes nothing for them.
fn same_for_learner(a: &ResultBody, b: &ResultBody) -> bool {
    a.outcome == b.outcome && a.score == b.score && a.checks == b.checks && a.message == b.message
}

/// What to record and publish.
struct Plan {
    diff: Diff,
    /// Result bodies to record, in publishing order, with whether each is
    /// published.
    record: Vec<(String, bool)>,
    /// Submissions whose result would change under the same key.
    conflicts: Vec<String>,
    /// Changed results recorded but not published, and why.
    held: Vec<String>,
}

fn plan(exercise: &str, items: Vec<Item>) -> Plan {
    let mut diff = Diff {
        exercise: exercise.to_string(),
        ..Diff::default()
    };
    let mut conflicts = Vec::new();
    // (item index, new body, changed for the learner, key changed)
    let mut graded = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match &item.after {
            Err(why) => diff.not_regraded.push(NotRegraded {
                submission_id: item.current.submission_id.clone(),
                learner: item.current.learner.clone(),
                why: why.clone(),
            }),
            Ok((value, after)) => {
                diff.regraded += 1;
                let changed = !same_for_learner(&item.before, after);
                let new_version = after.exercise.as_ref().and_then(|e| e.version.clone());
                let key_changed = after.checker_sha256.as_deref()
                    != Some(item.current.checker_sha256.as_str())
                    || new_version.as_deref() != Some(item.current.exercise_version.as_str());
                if changed {
                    diff.changes
                        .push(Change::of(&item.before, after, item.latest, true));
                    if !key_changed {
                        conflicts.push(item.current.submission_id.clone());
                    }
                } else {
                    diff.unchanged += 1;
                }
                graded.push((i, value, changed, key_changed));
            }
        }
    }
    // A learner whose older submission changes gets the latest published
    // again, last.
    let mut republish_latest: BTreeMap<(Option<String>, String), bool> = BTreeMap::new();
    // A learner whose latest submission could not be graded again gets
    // nothing published: an older result, published now, would replace the
    // latest one's score in the LMS.
    let stuck: BTreeMap<(Option<String>, String), String> = items
        .iter()
        .filter(|it| it.latest && it.after.is_err())
        .map(|it| {
            (
                (it.current.course.clone(), it.current.learner.clone()),
                it.current.submission_id.clone(),
            )
        })
        .collect();
    let mut held = Vec::new();
    for (i, _, changed, _) in &graded {
        let it = &items[*i];
        if *changed && !it.latest {
            republish_latest.insert(
                (it.current.course.clone(), it.current.learner.clone()),
                true,
            );
        }
    }
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    // AGS ignores a score older than the one it has: start after every
    // submission time, too.
    let newest = items
        .iter()
        .map(|i| i.current.submitted_unix)
        .max()
        .unwrap_or(0);
    let mut stamp = now_ms.max((newest + 1) * 1000);
    let mut record = Vec::new();
    for (i, value, changed, key_changed) in graded {
        let it = &items[i];
        let group = (it.current.course.clone(), it.current.learner.clone());
        let mut publish = changed || (it.latest && republish_latest.contains_key(&group));
        if publish && let Some(latest) = stuck.get(&group) {
            held.push(format!(
                "{} ({}): its latest submission {latest} could not be graded again",
                it.current.submission_id, it.current.learner
            ));
            publish = false;
        }
        if !(key_changed || publish) {
            continue;
        }
        let mut value = value.clone();
        if let Some(score) = value.get_mut("lti_score").and_then(|v| v.as_object_mut()) {
            score.insert("timestamp".into(), serde_json::Value::String(millis(stamp)));
        }
        stamp += 1;
        record.push((serde_json::to_string(&value).unwrap_or_default(), publish));
    }
    Plan {
        diff,
        record,
        conflicts,
        held,
    }
}

/// An RFC 3339 time with milliseconds (AGS wants sub-second precision).
fn millis(ms: i64) -> String {
    let seconds = rfc3339(ms.div_euclid(1000));
    let frac = ms.rem_euclid(1000);
    match seconds.strip_suffix('Z') {
        Some(s) => format!("{s}.{frac:03}Z"),
        None => seconds,
    }
}

/// Publishes every pending regrade result of the filter, in order, each
/// marked published once the broker confirmed it.
async fn publish(
    book: &Gradebook,
    filter: &Filter,
    args: &RegradeArgs,
    client: &mut Option<Client>,
) -> Result<(), String> {
    let mut all = filter.clone();
    all.learner = None;
    let pending = book.pending(&all).await.map_err(|e| e.to_string())?;
    if pending.is_empty() {
        return Ok(());
    }
    if client.is_none() {
        *client = Some(Client::connect(&args.amqp_url).await.map_err(|e| {
            format!(
                "{e}; the regraded results are recorded, {} to publish: run the same \
                 `grader regrade` again to publish them",
                pending.len()
            )
        })?);
    }
    let Some(c) = client.as_ref() else {
        return Ok(());
    };
    let mut progress = Progress::new("published", pending.len() as u64, 50);
    for (n, p) in pending.iter().enumerate() {
        let key = message::routing_key(p.course.as_deref(), &p.exercise);
        if let Err(e) = c
            .publish_result(&key, &p.outcome, &p.submission_id, p.result.as_bytes())
            .await
        {
            return Err(format!(
                "{e}; {} regraded result{} still to publish: run the same `grader regrade` \
                 again to publish them",
                pending.len() - n,
                if pending.len() - n == 1 { "" } else { "s" }
            ));
        }
        book.mark_published(p.seq)
            .await
            .map_err(|e| e.to_string())?;
        progress.inc();
    }
    progress.finish();
    eprintln!(
        "published {} result{} to grader.results",
        pending.len(),
        if pending.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::millis;

    #[test]
    fn ags_timestamps_have_milliseconds() {
        assert_eq!(millis(1_795_000_000_123), "2026-11-18T11:06:40.123Z");
        assert_eq!(millis(1_795_000_000_000), "2026-11-18T11:06:40.000Z");
    }
}
