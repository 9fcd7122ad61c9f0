//! Results for the report tests and the report benchmark (`gen-results`):
//! real gradings of the repository's sample submissions
//! (`exercises/*/examples/`), made once per sample for a placeholder
//! learner and then given to any number of synthetic learners, each with
//! their own submission ids, course and submission times.
//!
//! The learner id is in the origin of every zone (`{learner}.lab.example.`),
//! so the feedback names each learner's own zone
//! (`ns1.grp07.lab.example.`), as in a real class.

use std::path::{Path, PathBuf};

use grader_core::catalog::Catalog;
use grader_core::grade::{self, parse_rfc3339, rfc3339};
use grader_core::message::{LtiScore, ResultMessage};
use grader_core::sandbox::Sandbox;
use serde_json::Value;

/// The learner id the samples are graded for, replaced in each result by
/// the synthetic learner's.
pub const PLACEHOLDER: &str = "zzlearnerzz";

/// One sample of an exercise, graded for [`PLACEHOLDER`].
#[derive(Clone, Debug)]
pub struct Template {
    /// The exercise id.
    pub exercise: String,
    /// The sample's name (`missing-glue`).
    pub sample: String,
    /// `graded`, `invalid_submission`, ...
    pub outcome: String,
    /// The result message, JSON, for [`PLACEHOLDER`].
    json: String,
}

/// Every sample of some exercises, graded.
#[derive(Clone, Debug)]
pub struct Templates {
    /// The samples, by exercise (in the order asked) then sample name.
    pub all: Vec<Template>,
}

/// `exercises/ID` of the repository.
pub fn exercise_dir(id: &str) -> PathBuf {
    crate::root().join("exercises").join(id)
}

fn replace_bytes(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.replace(from, to).into_bytes(),
        Err(_) => bytes.to_vec(),
    }
}

impl Templates {
    /// Builds and loads the checkers of `exercises` (ids of directories
    /// under `exercises/`) and grades each of their samples once. Samples
    /// that need probes answered live (no zone, only captures of a server)
    /// are graded from their captures as `grader exercise test` does.
    pub fn grade(exercises: &[&str]) -> Result<Templates, String> {
        let sandbox = Sandbox::new(1, grader_core::catalog::cache_dir())
            .map_err(|e| format!("cannot start the sandbox: {e:#}"))?;
        let dirs: Vec<PathBuf> = exercises.iter().map(|e| exercise_dir(e)).collect();
        let catalog = Catalog::load(&dirs, &sandbox).map_err(|e| e.to_string())?;
        let mut all = Vec::new();
        for id in exercises {
            let loaded = catalog
                .get(id)
                .ok_or_else(|| format!("exercise `{id}` is not in the catalog"))?;
            let exercise = &loaded.exercise;
            for sample in exercise.samples()? {
                let expect = sample.expectation()?;
                let mut files = sample.files(exercise)?;
                let swap = |b: &[u8]| replace_bytes(b, &expect.learner, PLACEHOLDER);
                files.zone = files.zone.as_deref().map(swap);
                files.ds = files.ds.as_deref().map(swap);
                for (_, z) in &mut files.extra_zones {
                    *z = swap(z);
                }
                let at = parse_rfc3339(&expect.at)?;
                let sub = files.submission(PLACEHOLDER, at);
                let result = grade::grade(&sandbox, exercise, &loaded.checker, &sub);
                let message = ResultMessage {
                    submission_id: "template",
                    course: None,
                    result: &result,
                    lti_score: LtiScore::of(&result),
                    regrade_of: None,
                };
                let json = String::from_utf8(message.to_json())
                    .map_err(|e| format!("a result is not UTF-8: {e}"))?;
                all.push(Template {
                    exercise: id.to_string(),
                    sample: sample.name.clone(),
                    outcome: result.outcome.as_str().to_string(),
                    json,
                });
            }
        }
        Ok(Templates { all })
    }

    /// The samples of one exercise.
    pub fn of(&self, exercise: &str) -> Vec<&Template> {
        self.all.iter().filter(|t| t.exercise == exercise).collect()
    }

    /// The sample `name` of `exercise`.
    pub fn sample(&self, exercise: &str, name: &str) -> Option<&Template> {
        self.all
            .iter()
            .find(|t| t.exercise == exercise && t.sample == name)
    }
}

impl Template {
    /// The result message of this sample submitted by `learner` (a label,
    /// as the exercises' origins need) in `course` as `submission_id` at
    /// `at` (seconds since 1970), JSON on one line.
    pub fn result(
        &self,
        learner: &str,
        course: Option<&str>,
        submission_id: &str,
        at: i64,
    ) -> String {
        let learner_json = serde_json::to_string(learner).unwrap_or_default();
        let inner = &learner_json[1..learner_json.len() - 1];
        let text = self.json.replace(PLACEHOLDER, inner);
        let mut v: Value = serde_json::from_str(&text).expect("a template is JSON");
        let when = rfc3339(at);
        v["submission_id"] = Value::from(submission_id);
        v["graded_at"] = Value::from(when.clone());
        if let Some(course) = course {
            v["course"] = Value::from(course);
        }
        if v.get("lti_score").is_some_and(Value::is_object) {
            v["lti_score"]["timestamp"] = Value::from(when);
        }
        v.to_string()
    }
}

/// `result` (a result message, JSON) turned into a checker fault: what the
/// worker sends when a checker runs out of fuel (outcome `checker_error`,
/// no score, no checks).
pub fn as_checker_error(result: &str) -> String {
    let mut v: Value = serde_json::from_str(result).expect("a result is JSON");
    v["outcome"] = Value::from("checker_error");
    v["score"] = Value::Null;
    v["checks"] = Value::Array(Vec::new());
    v["message"] = Value::from(
        "the checker ran out of fuel (200000000 instructions): it was stopped; an instructor \
         must look at it",
    );
    v.to_string()
}

/// Records result messages (JSON, one each) into the gradebook at
/// `location` (created when missing), in batches; returns how many were
/// new.
pub fn record(location: &str, results: &[String]) -> Result<u64, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let book = grader_gradebook::Gradebook::open(location)
            .await
            .map_err(|e| e.to_string())?;
        let mut tally = grader_gradebook::Tally::default();
        let mut done = Vec::new();
        for chunk in results.chunks(500) {
            let entries: Vec<grader_gradebook::Entry> = chunk
                .iter()
                .map(|r| grader_gradebook::Entry {
                    result: r,
                    submission: None,
                    pending_publish: false,
                })
                .collect();
            done.clear();
            book.record_batch(&entries, &mut done)
                .await
                .map_err(|e| e.to_string())?;
            for d in &done {
                tally.add(d);
            }
        }
        book.close().await;
        Ok(tally.new)
    })
}

/// Writes `lines` to `path`, one per line.
pub fn write_lines(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(path, text)
}

/// The sample most learners get stuck on, per exercise: in [`class`], two
/// learners in five end with it (as in "40% of the class is missing glue").
pub const STUCK: [(&str, &str); 5] = [
    ("delegation", "missing-glue"),
    ("zone-basics", "glue-missing"),
    ("soa-and-ttl", "serial-stale"),
    ("mail-and-caa", "mx-missing-dot"),
    ("reverse-zone", "octet-typo"),
];

/// How [`class`] hands in the samples.
#[derive(Clone, Debug)]
pub struct ClassPlan<'a> {
    /// The learner ids (labels).
    pub learners: &'a [String],
    /// Their course.
    pub course: Option<&'a str>,
    /// The first submission time (seconds since 1970).
    pub start: i64,
    /// Whether one learner in 37 ends with a checker fault.
    pub checker_errors: bool,
}

/// Every result of a class working through the exercises of `templates`:
/// learner `i` submits each exercise `1 + i % 3` times, an hour apart, the
/// samples in turn; two learners in five end on the exercise's [`STUCK`]
/// sample. Submission ids are `COURSE-EXERCISE-LEARNER-N`.
pub fn class(templates: &Templates, plan: &ClassPlan) -> Vec<String> {
    let mut exercises: Vec<&str> = Vec::new();
    for t in &templates.all {
        if !exercises.contains(&t.exercise.as_str()) {
            exercises.push(&t.exercise);
        }
    }
    let mut out = Vec::new();
    for (ei, exercise) in exercises.iter().enumerate() {
        let samples = templates.of(exercise);
        let stuck = STUCK
            .iter()
            .find(|(e, _)| e == exercise)
            .and_then(|(e, s)| templates.sample(e, s));
        for (i, learner) in plan.learners.iter().enumerate() {
            let attempts = 1 + i % 3;
            for j in 0..attempts {
                let last = j + 1 == attempts;
                let template = match stuck {
                    Some(s) if last && i % 5 < 2 => s,
                    _ => samples[(i * 5 + j * 3 + ei) % samples.len()],
                };
                let at = plan.start + ei as i64 * 86_400 + i as i64 * 60 + j as i64 * 3_600;
                let id = format!(
                    "{}-{exercise}-{learner}-{}",
                    plan.course.unwrap_or("none"),
                    j + 1
                );
                let result = template.result(learner, plan.course, &id, at);
                if plan.checker_errors && last && i % 37 == 5 {
                    out.push(as_checker_error(&result));
                } else {
                    out.push(result);
                }
            }
        }
    }
    out
}
