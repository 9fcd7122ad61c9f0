//! The message contract with LMS integrations: `schemas/asyncapi.yaml`,
//! `schemas/submission.schema.json`, `schemas/result.schema.json`,
//! `schemas/amqp-properties.schema.json` and the messages in
//! `schemas/examples/` say what the grader really reads and writes.
//!
//! - every valid example is read by `parse_submission` and graded by the
//!   worker's intake; every invalid one is refused (by the reader and by the
//!   intake) with the reason `examples/index.json` gives, and the schema
//!   agrees where JSON Schema can say the rule (generated submissions too);
//! - results of real gradings of every exercise sample, and `rejected`
//!   results of real rejections, validate against `result.schema.json`;
//! - the example results are what the grader writes for the example
//!   submissions;
//! - the AsyncAPI document resolves, names the broker objects the worker
//!   declares, and its examples validate;
//! - the README's LMS section shows real messages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clap::CommandFactory;
use grader_core::catalog::{self, Catalog};
use grader_core::grade::{self, Outcome, Submission, parse_rfc3339};
use grader_core::message::{
    self, CONTENT_TYPE, DEFAULT_COURSE_WORD, MAX_COMMENT_CHARS, MAX_ID_BYTES, RESULT_TYPE, Reason,
    RejectedMessage, ResultMessage, SUBMISSION_TYPE, SubmissionMessage,
};
use grader_core::sample::Expectation;
use grader_core::sandbox::{Fault, Sandbox};
use grader_tests::root;
use grader_worker::config::Config;
use grader_worker::intake::{self, Disposition, Grading, Input};
use grader_worker::topology::{self, QueueType, Topology};
use proptest::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------- helpers

fn schemas() -> PathBuf {
    root().join("schemas")
}

fn examples() -> PathBuf {
    schemas().join("examples")
}

fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&read_bytes(path))
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn example(file: &str) -> Value {
    read_json(&examples().join(file))
}

/// A validator for `file` (in `schemas/`), or for its `$defs/DEF`, with
/// `format` asserted (`date-time`, `uuid`).
fn validator(file: &str, def: Option<&str>) -> jsonschema::Validator {
    let mut schema = read_json(&schemas().join(file));
    if let Some(def) = def {
        assert!(
            schema["$defs"].get(def).is_some(),
            "{file} has no $defs/{def}"
        );
        schema["$ref"] = json!(format!("#/$defs/{def}"));
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{file} is not a usable JSON Schema: {e}"))
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("at `{}`: {e}", e.instance_path()))
        .collect()
}

#[track_caller]
fn assert_valid(v: &jsonschema::Validator, instance: &Value, what: &str) {
    let errs = errors(v, instance);
    assert!(
        errs.is_empty(),
        "{what} breaks its schema:\n{}\n{instance:#}",
        errs.join("\n")
    );
}

struct Schemas {
    submission: jsonschema::Validator,
    result: jsonschema::Validator,
    submission_properties: jsonschema::Validator,
    result_properties: jsonschema::Validator,
    dead_letter_properties: jsonschema::Validator,
}

fn validators() -> &'static Schemas {
    static S: OnceLock<Schemas> = OnceLock::new();
    S.get_or_init(|| Schemas {
        submission: validator("submission.schema.json", None),
        result: validator("result.schema.json", None),
        submission_properties: validator("amqp-properties.schema.json", Some("submission")),
        result_properties: validator("amqp-properties.schema.json", Some("result")),
        dead_letter_properties: validator("amqp-properties.schema.json", Some("dead_letter")),
    })
}

/// A default of the worker's configuration (`--delivery-limit` ...),
/// whatever the environment says.
fn config_default(id: &str) -> String {
    let cmd = Config::command();
    let arg = cmd
        .get_arguments()
        .find(|a| a.get_id() == id)
        .unwrap_or_else(|| panic!("the worker has no `{id}` setting"));
    let v = arg.get_default_values();
    assert_eq!(v.len(), 1, "{id}");
    v[0].to_string_lossy().to_string()
}

/// The worker's grading, with the exercises of `exercises/` and its
/// default limits.
fn grading() -> &'static Grading {
    static G: OnceLock<Grading> = OnceLock::new();
    G.get_or_init(|| {
        let sandbox = Sandbox::new(1, catalog::cache_dir()).expect("a sandbox");
        let catalog = Catalog::load(&[root().join("exercises")], &sandbox)
            .unwrap_or_else(|e| panic!("loading exercises/: {e}"));
        Grading {
            catalog,
            sandbox,
            max_message_bytes: config_default("max_message_bytes").parse().expect("a size"),
            delivery_limit: config_default("delivery_limit").parse().expect("a count"),
            allowlist: Default::default(),
        }
    })
}

/// What the worker does with a body sent with no special properties.
fn process(body: &[u8]) -> Disposition {
    grading().process(&Input {
        body,
        ..Input::default()
    })
}

/// The result body of a disposition, as JSON.
fn result_of(d: &Disposition) -> Value {
    to_value(&d.result.as_ref().expect("a result is published").body)
}

fn to_value(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("the grader writes JSON")
}

/// The JSON keys of an object.
fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("{v} is not an object"))
        .keys()
        .cloned()
        .collect()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("{v} is not an array"))
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

fn reason_named(name: &str) -> Reason {
    Reason::ALL
        .into_iter()
        .find(|r| r.as_str() == name)
        .unwrap_or_else(|| panic!("`{name}` is not a Reason"))
}

fn all_reasons() -> BTreeSet<String> {
    Reason::ALL.iter().map(|r| r.as_str().to_string()).collect()
}

/// What `schemas/examples/index.json` says of each example.
fn index() -> Value {
    example("index.json")
}

fn entries<'a>(index: &'a Value, key: &str) -> &'a Vec<Value> {
    index[key]
        .as_array()
        .unwrap_or_else(|| panic!("index.json has no `{key}` list"))
}

fn text<'a>(entry: &'a Value, key: &str) -> &'a str {
    entry[key]
        .as_str()
        .unwrap_or_else(|| panic!("index entry {entry} has no `{key}`"))
}

/// Checks what an LTI score says against the outcome it was made for.
#[track_caller]
fn assert_lti_consistent(result: &Value) {
    let lti = &result["lti_score"];
    assert_eq!(lti["userId"], result["learner"], "{result:#}");
    let (activity, grading) = match result["outcome"].as_str().expect("an outcome") {
        "graded" => ("Completed", "FullyGraded"),
        "checker_error" => ("Submitted", "PendingManual"),
        _ => ("Submitted", "Failed"),
    };
    assert_eq!(lti["activityProgress"], activity, "{result:#}");
    assert_eq!(lti["gradingProgress"], grading, "{result:#}");
    if result["outcome"] == "graded" {
        assert_eq!(lti["scoreGiven"], result["score"]["given"]);
        assert_eq!(
            lti["scoreMaximum"].as_f64(),
            result["score"]["maximum"].as_f64()
        );
    }
}

// ------------------------------------------------------------ the schemas

#[test]
fn schemas_are_draft_2020_12_and_say_what_the_code_says() {
    for file in [
        "submission.schema.json",
        "result.schema.json",
        "amqp-properties.schema.json",
    ] {
        let schema = read_json(&schemas().join(file));
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{file}"
        );
        let stem = file.trim_end_matches(".schema.json");
        assert_eq!(
            schema["$id"],
            format!("https://grader.invalid/schemas/{stem}/1.0.0"),
            "{file}"
        );
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("{file} is not a valid draft 2020-12 schema: {e}");
        }
    }

    // A result carries every field of a grading result, with the very
    // subschemas of grade-result.schema.json.
    let grade_result = read_json(&schemas().join("grade-result.schema.json"));
    let result = read_json(&schemas().join("result.schema.json"));
    let graded = &result["$defs"]["result"];
    for field in grade_result["required"].as_array().expect("required") {
        let field = field.as_str().expect("a name");
        assert_eq!(
            graded["properties"][field], grade_result["properties"][field],
            "result.schema.json restates `{field}` differently from grade-result.schema.json"
        );
    }
    let mut want = strings(&grade_result["required"]);
    want.extend(["submission_id".to_string(), "lti_score".to_string()]);
    assert_eq!(strings(&graded["required"]), want);

    // Reasons: one list everywhere, the one the code has.
    assert_eq!(strings(&result["$defs"]["reason"]["enum"]), all_reasons());
    let props = read_json(&schemas().join("amqp-properties.schema.json"));
    assert_eq!(strings(&props["$defs"]["reason"]["enum"]), all_reasons());
    let outcomes = strings(
        &props["$defs"]["result"]["properties"]["headers"]["properties"]["x-grader-outcome"]["enum"],
    );
    let mut want = strings(&grade_result["properties"]["outcome"]["enum"]);
    want.insert("rejected".into());
    assert_eq!(outcomes, want);
    let worker: BTreeSet<String> = intake::OUTCOMES.iter().map(|o| o.to_string()).collect();
    assert_eq!(outcomes, worker);

    // Types, limits and the content type.
    assert_eq!(
        props["$defs"]["submission"]["properties"]["type"]["const"],
        SUBMISSION_TYPE
    );
    assert_eq!(
        props["$defs"]["result"]["properties"]["type"]["const"],
        RESULT_TYPE
    );
    assert_eq!(
        props["$defs"]["result"]["properties"]["content_type"]["const"],
        CONTENT_TYPE
    );
    let result_props = &props["$defs"]["result"]["properties"];
    assert_eq!(result_props["app_id"]["const"], topology::APP_ID);
    assert!(result_props["headers"]["properties"][topology::OUTCOME_HEADER].is_object());
    let dead_headers = &props["$defs"]["dead_letter"]["properties"]["headers"]["properties"];
    assert!(dead_headers[topology::REASON_HEADER].is_object());
    assert!(dead_headers[topology::DETAIL_HEADER].is_object());
    assert_eq!(
        result["$defs"]["lti_score"]["properties"]["comment"]["maxLength"],
        MAX_COMMENT_CHARS
    );
    let submission = read_json(&schemas().join("submission.schema.json"));
    assert_eq!(
        submission["$defs"]["id_text"]["maxLength"], MAX_ID_BYTES,
        "ids are limited to MAX_ID_BYTES"
    );
}

// ------------------------------------------------------------ submissions

#[test]
fn valid_submissions_validate_and_are_read() {
    let index = index();
    let v = validators();
    let list = entries(&index, "submissions");
    assert!(list.len() >= 5, "too few valid examples");
    let mut with = BTreeSet::new();
    for entry in list {
        let file = text(entry, "file");
        let body = read_bytes(&examples().join(file));
        let value: Value = serde_json::from_slice(&body).expect("JSON");
        assert_valid(&v.submission, &value, file);
        let sub =
            message::parse_submission(&body).unwrap_or_else(|r| panic!("{file} is refused: {r:?}"));
        // What the LMS reference client writes is valid too.
        let again = serde_json::to_value(&sub).expect("serialises");
        assert_valid(&v.submission, &again, &format!("{file}, re-serialised"));
        assert_eq!(
            message::parse_submission(&serde_json::to_vec(&sub).expect("JSON")),
            Ok(sub.clone())
        );
        let d = process(&body);
        assert!(d.dead.is_none(), "{file} is dead-lettered: {:?}", d.dead);
        assert_eq!(d.submission_id.as_deref(), Some(sub.submission_id.as_str()));
        assert_eq!(d.outcome, text(entry, "outcome"), "{file}");
        let out = result_of(&d);
        assert_valid(&v.result, &out, &format!("the result of {file}"));
        assert_lti_consistent(&out);
        if let Some(score) = entry.get("score") {
            assert_eq!(out["score"]["given"].as_f64(), score.as_f64(), "{file}");
        }
        if sub.course.is_some() {
            with.insert("course");
        }
        if sub.exercise.version.is_some() {
            with.insert("version");
        }
        if sub.artifacts.ds.is_some() {
            with.insert("ds");
        }
        if !sub.artifacts.extra_zones.is_empty() {
            with.insert("extra_zones");
        }
        if sub
            .artifacts
            .zone
            .as_ref()
            .is_some_and(|z| z.origin.is_some())
        {
            with.insert("origin");
        }
    }
    assert_eq!(
        with,
        BTreeSet::from(["course", "version", "ds", "extra_zones", "origin"]),
        "the valid examples should show every optional field"
    );
}

#[test]
fn invalid_submissions_are_refused_with_their_reason() {
    let index = index();
    let v = validators();
    let list = entries(&index, "invalid");
    let mut seen = BTreeSet::new();
    let mut on_disk: BTreeSet<String> = std::fs::read_dir(examples())
        .expect("examples/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("invalid-"))
        .collect();
    for entry in list {
        let file = text(entry, "file");
        on_disk.remove(file);
        let reason = reason_named(text(entry, "reason"));
        seen.insert(reason.as_str());
        let schema_rejects = entry["schema_rejects"]
            .as_bool()
            .unwrap_or_else(|| panic!("{file}: schema_rejects"));
        let rejected_result = entry["rejected_result"]
            .as_bool()
            .unwrap_or_else(|| panic!("{file}: rejected_result"));
        let body = read_bytes(&examples().join(file));
        let props = entry.get("properties").cloned().unwrap_or(json!({}));
        let message_type = props["type"].as_str();
        let content_type = props["content_type"].as_str();

        // What the schemas say.
        if entry.get("properties").is_some() {
            assert_eq!(
                v.submission_properties.is_valid(&props),
                !schema_rejects,
                "{file}: amqp-properties.schema.json#/$defs/submission on {props}"
            );
        } else {
            match serde_json::from_slice::<Value>(&body) {
                Err(_) => assert!(schema_rejects, "{file}: not JSON, so no schema accepts it"),
                Ok(value) => assert_eq!(
                    v.submission.is_valid(&value),
                    !schema_rejects,
                    "{file}: submission.schema.json says {:?}",
                    errors(&v.submission, &value)
                ),
            }
        }

        // What the reader says.
        let read = message::parse_submission(&body);
        match reason {
            Reason::NotJson | Reason::SchemaViolation => {
                let r = read
                    .as_ref()
                    .expect_err(&format!("{file}: parse_submission reads it"));
                assert_eq!(r.reason, reason, "{file}: {}", r.detail);
            }
            Reason::UnsupportedType => {
                assert!(read.is_ok(), "{file}: the body itself is fine");
                let r = message::check_properties(message_type, content_type)
                    .expect_err(&format!("{file}: check_properties accepts {props}"));
                assert_eq!(r.reason, reason);
            }
            _ => assert!(read.is_ok(), "{file}: the body itself is fine"),
        }

        // What the worker does.
        let d = grading().process(&Input {
            body: &body,
            message_type,
            content_type,
            delivery_count: entry["delivery_count"].as_u64(),
        });
        assert_eq!(d.outcome, "rejected", "{file}");
        let (got, detail) = d.dead.clone().expect("dead-lettered");
        assert_eq!(got, reason, "{file}: {detail}");
        assert!(!detail.is_empty());
        if let Some(needle) = entry.get("detail_contains").and_then(Value::as_str) {
            assert!(
                detail.contains(needle),
                "{file}: `{detail}` lacks `{needle}`"
            );
        }
        assert_eq!(
            d.result.is_some(),
            rejected_result,
            "{file}: a rejected result is published only when an id can be read"
        );
        assert_eq!(d.submission_id.is_some(), rejected_result, "{file}");
        if let Some(result) = &d.result {
            let value = to_value(&result.body);
            assert_valid(&v.result, &value, &format!("the rejected result of {file}"));
            assert_eq!(value["outcome"], "rejected");
            assert_eq!(value["reason"], reason.as_str());
            assert_eq!(value["message"], detail.as_str());
            if let Some(want) = entry.get("submission_id") {
                assert_eq!(value["submission_id"], *want, "{file}");
            }
            assert_two_words(&result.routing_key, value["course"].as_str());
        }
        if let Some(dead) = entry.get("dead_letter").and_then(Value::as_str) {
            let shown = example(dead);
            assert_valid(&v.dead_letter_properties, &shown, dead);
            assert_eq!(
                shown["headers"][topology::REASON_HEADER],
                reason.as_str(),
                "{dead}"
            );
            assert_eq!(
                shown["headers"][topology::DETAIL_HEADER],
                detail,
                "{dead}: the detail is the worker's"
            );
        }
    }
    assert!(
        on_disk.is_empty(),
        "invalid examples missing from index.json: {on_disk:?}"
    );
    for r in [
        Reason::NotJson,
        Reason::SchemaViolation,
        Reason::UnsupportedType,
        Reason::UnknownExercise,
        Reason::DeliveryLimit,
    ] {
        assert!(seen.contains(r.as_str()), "no invalid example for `{r}`");
    }
}

#[test]
fn bodies_over_the_limit_are_too_large() {
    let g = grading();
    let v = validators();
    let body = read_bytes(&examples().join("submission-minimal.json"));
    // JSON allows any amount of white space: pad the same submission to
    // the limit, then one byte past it.
    let mut padded = body.clone();
    padded.resize(g.max_message_bytes, b' ');
    let d = process(&padded);
    assert_eq!(d.outcome, "graded", "{:?}", d.dead);
    padded.push(b' ');
    let d = process(&padded);
    let (reason, detail) = d.dead.expect("dead-lettered");
    assert_eq!(reason, Reason::TooLarge, "{detail}");
    assert!(
        d.result.is_none() && d.submission_id.is_none(),
        "a body too large is not read, so there is no id to answer"
    );
    let shown = example("dead-letter-too-large.json");
    assert_valid(
        &v.dead_letter_properties,
        &shown,
        "dead-letter-too-large.json",
    );
    assert_eq!(shown["headers"][topology::REASON_HEADER], "too-large");
    assert!(
        shown["headers"][topology::DETAIL_HEADER]
            .as_str()
            .is_some_and(|s| s.starts_with("the message has ")),
        "dead-letter-too-large.json: {}",
        shown["headers"]
    );
}

/// A results routing key is `<course-word>.<exercise>`, the course one word.
#[track_caller]
fn assert_two_words(key: &str, course: Option<&str>) {
    let (word, exercise) = key.split_once('.').expect("two words");
    assert!(!word.is_empty() && !exercise.is_empty(), "{key}");
    assert!(!word.contains(['.', '*', '#']), "{key}");
    match course {
        None => assert_eq!(word, DEFAULT_COURSE_WORD, "{key}"),
        Some(c) => assert_eq!(word, c.replace(['.', '*', '#'], "_"), "{key}"),
    }
}

/// A time in one of the forms both the schema and the reader judge alike.
fn times() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(json!("2026-11-29T10:00:00Z")),
        3 => Just(json!("2026-11-29T10:00:00.5Z")),
        2 => Just(json!("1970-01-01T00:00:00Z")),
        2 => Just(json!("9999-12-31T23:59:59Z")),
        30 => (1970u32..2100, 1u32..=12, 1u32..=28, 0u32..24)
            .prop_map(|(y, m, d, h)| json!(format!("{y:04}-{m:02}-{d:02}T{h:02}:30:00Z"))),
        1 => Just(json!("1969-12-31T23:59:59Z")),
        1 => Just(json!("2026-11-29T11:00:00+01:00")),
        1 => Just(json!("2026-11-29t10:00:00z")),
        1 => Just(json!("2026-02-30T10:00:00Z")),
        1 => Just(json!("2026-13-01T10:00:00Z")),
        1 => Just(json!("yesterday")),
        1 => Just(json!("")),
        1 => Just(json!(1_795_946_400)),
    ]
}

/// ASCII texts: the schema counts characters, the reader bytes; for ASCII
/// they are the same.
fn id_texts() -> impl Strategy<Value = Value> {
    prop_oneof![
        40 => "[a-zA-Z0-9 ._:+@-]{1,12}".prop_map(Value::from),
        1 => Just(json!("")),
        1 => "[a-z]{0,3}[\\x00-\\x1f\\x7f][a-z]{0,3}".prop_map(Value::from),
        1 => "[a-z]{1,4}\n".prop_map(Value::from),
        1 => (195usize..205).prop_map(|n| json!("x".repeat(n))),
        1 => Just(json!(7)),
        1 => Just(Value::Null),
    ]
}

fn exercise_ids() -> impl Strategy<Value = Value> {
    prop_oneof![
        30 => "[a-z0-9][a-z0-9-]{0,5}[a-z0-9]".prop_map(Value::from),
        1 => "[a-z0-9-]{1,4}".prop_map(Value::from),
        1 => "[A-Za-z_]{1,4}".prop_map(Value::from),
        1 => (63usize..67).prop_map(|n| json!("a".repeat(n))),
        1 => Just(json!("")),
        1 => "[a-z]{1,4}\n".prop_map(Value::from),
    ]
}

/// An optional field: absent (None), null, or a value.
fn optional(s: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(Value::Null)),
        3 => s.prop_map(Some),
    ]
}

/// A required field: usually there.
fn required(s: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    proptest::option::weighted(0.98, s)
}

fn object(fields: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect(),
    )
}

fn zones() -> impl Strategy<Value = Value> {
    prop_oneof![
        20 => (
            optional("[a-z0-9.]{1,12}".prop_map(Value::from)),
            required(prop_oneof![20 => "[ -~\n]{0,20}".prop_map(Value::from), 1 => Just(json!(["@ SOA"]))]),
        )
            .prop_map(|(origin, text)| object(vec![("origin", origin), ("text", text)])),
        1 => Just(json!("@ SOA ...")),
    ]
}

fn submissions() -> impl Strategy<Value = Value> {
    let exercise = prop_oneof![
        20 => (required(exercise_ids()), optional(id_texts()))
            .prop_map(|(id, version)| object(vec![("id", id), ("version", version)])),
        1 => exercise_ids(),
    ];
    let ds = prop_oneof![
        10 => "[ -~]{0,10}".prop_map(|t| json!({ "text": t })),
        1 => Just(json!({ "txt": "x" })),
        1 => Just(json!(5)),
    ];
    let extra = prop_oneof![
        10 => proptest::collection::btree_map("[a-z0-9-]{1,8}", zones(), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        1 => Just(Value::Null),
        1 => Just(json!([])),
    ];
    let artifacts = prop_oneof![
        20 => (required(zones()), optional(ds), proptest::option::of(extra))
            .prop_map(|(zone, ds, extra)| object(vec![("zone", zone), ("ds", ds), ("extra_zones", extra)])),
        1 => Just(json!("zone")),
    ];
    (
        required(id_texts()),
        required(exercise),
        required(id_texts()),
        optional(id_texts()),
        required(times()),
        required(artifacts),
        proptest::option::of(prop_oneof![Just(json!(1)), Just(json!({ "a": [null] }))]),
    )
        .prop_map(|(id, exercise, learner, course, at, artifacts, future)| {
            object(vec![
                ("submission_id", id),
                ("exercise", exercise),
                ("learner", learner),
                ("course", course),
                ("submitted_at", at),
                ("artifacts", artifacts),
                ("a_later_field", future),
            ])
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// On generated submissions the schema and the reader agree, refusals
    /// are `schema-violation`, and every `rejected` result validates.
    #[test]
    fn schema_and_reader_agree_on_generated_submissions(value in submissions()) {
        let v = validators();
        let body = serde_json::to_vec(&value).expect("JSON");
        let schema_errors = errors(&v.submission, &value);
        let read = message::parse_submission(&body);
        prop_assert_eq!(
            schema_errors.is_empty(),
            read.is_ok(),
            "schema {:?} vs reader {:?} on {}", schema_errors, read, value
        );
        if let Err(r) = read {
            prop_assert_eq!(r.reason, Reason::SchemaViolation);
            prop_assert!(r.detail.starts_with("at `/"), "{}", r.detail);
            if let Some(m) = RejectedMessage::new(&r) {
                let out = to_value(&m.to_json());
                prop_assert!(v.result.is_valid(&out), "{:?}", errors(&v.result, &out));
                prop_assert_eq!(&out["submission_id"], &value["submission_id"]);
            }
        }
    }
}

#[test]
fn the_schema_is_never_looser_than_the_reader() {
    // A sender that follows the schema is always read. Times that are not
    // RFC 3339 are refused by both; the reader also takes the space RFC 3339
    // allows instead of `T`, which the schema does not promise.
    let v = validators();
    let base = example("submission-minimal.json");
    for (at, read_ok) in [
        ("2026-11-29 10:00:00Z", true),
        ("2026-11-29T10:00:00", false),
        ("2026-11-29T10:00:00Z\n", false),
    ] {
        let mut sub = base.clone();
        sub["submitted_at"] = json!(at);
        assert!(!v.submission.is_valid(&sub), "the schema takes `{at}`");
        let read = message::parse_submission(&serde_json::to_vec(&sub).expect("JSON"));
        assert_eq!(read.is_ok(), read_ok, "the reader on `{at}`: {read:?}");
    }
    // Bytes, not characters: 129 two-byte characters are 258 bytes.
    let mut sub = base.clone();
    sub["learner"] = json!("é".repeat(129));
    assert!(v.submission.is_valid(&sub));
    let r = message::parse_submission(&serde_json::to_vec(&sub).expect("JSON"))
        .expect_err("258 bytes is too long");
    assert_eq!(r.reason, Reason::SchemaViolation);
    assert!(r.detail.starts_with("at `/learner`"), "{}", r.detail);
}

#[test]
fn amqp_properties_of_submissions_agree_with_the_reader() {
    let v = validators();
    let cases: &[(Option<&str>, Option<&str>)] = &[
        (None, None),
        (Some(SUBMISSION_TYPE), Some(CONTENT_TYPE)),
        (None, Some("application/json; charset=utf-8")),
        (None, Some("Application/JSON")),
        (None, Some(" application/json ")),
        (Some("grader.submission.v2"), None),
        (Some("grader.submission"), Some(CONTENT_TYPE)),
        (Some(""), None),
        (None, Some("text/plain")),
        (None, Some("application/jsonx")),
        (None, Some("application/cloudevents+json")),
        (None, Some("")),
    ];
    for (message_type, content_type) in cases {
        let mut props =
            json!({ "message_id": "m-1", "delivery_mode": 2, "timestamp": 1_795_946_400 });
        if let Some(t) = message_type {
            props["type"] = json!(t);
        }
        if let Some(c) = content_type {
            props["content_type"] = json!(c);
        }
        let read = message::check_properties(*message_type, *content_type);
        assert_eq!(
            v.submission_properties.is_valid(&props),
            read.is_ok(),
            "{props}: {read:?}"
        );
        if let Err(r) = read {
            assert_eq!(r.reason, Reason::UnsupportedType);
        }
    }
}

// ---------------------------------------------------------------- results

/// The samples of every exercise (`examples/NAME.zone` with
/// `NAME.expect.toml`), as submission messages.
fn sample_messages() -> Vec<(String, SubmissionMessage, Expectation)> {
    let mut out = Vec::new();
    for loaded in grading().catalog.iter() {
        let exercise = &loaded.exercise;
        let id = &exercise.def.id;
        for sample in exercise.samples().expect("the samples") {
            let expect = sample.expectation().expect("the expectation");
            // Samples whose probes went unanswered cannot travel as a
            // message (grader-core's `Sample::message`).
            let Some(mut sub) = sample.message(exercise).expect("the sample's files") else {
                continue;
            };
            let n = out.len();
            sub.submission_id = format!("{id}/{}", sample.name);
            if n % 3 != 0 {
                sub.exercise.version = None;
            }
            sub.course = match n % 3 {
                0 => None,
                1 => Some("dns-101".to_string()),
                _ => Some("course-v1:DNS+101.2026#b".to_string()),
            };
            // The origin the exercise grades, as an LMS may say.
            if n % 3 != 2 {
                if let Some(z) = &mut sub.artifacts.zone {
                    z.origin = None;
                }
                for z in sub.artifacts.extra_zones.values_mut() {
                    z.origin = None;
                }
            }
            out.push((format!("{id}/{}", sample.name), sub, expect));
        }
    }
    out
}

#[test]
fn real_gradings_give_results_the_schema_accepts() {
    let v = validators();
    let samples = sample_messages();
    assert!(samples.len() >= 40, "only {} samples", samples.len());
    let mut outcomes = BTreeSet::new();
    for (name, sub, expect) in &samples {
        // The submission as an LMS would send it is valid and read back.
        let body = serde_json::to_vec(sub).expect("JSON");
        assert_valid(&v.submission, &to_value(&body), name);
        assert_eq!(message::parse_submission(&body).as_ref(), Ok(sub));

        let d = process(&body);
        assert!(d.dead.is_none(), "{name}: {:?}", d.dead);
        let out = result_of(&d);
        assert_valid(&v.result, &out, &format!("the result of {name}"));
        assert_eq!(out["outcome"], expect.outcome.as_str(), "{name}");
        assert_eq!(d.outcome, out["outcome"]);
        if let Some(score) = expect.score {
            assert_eq!(
                out["lti_score"]["scoreGiven"].as_f64(),
                Some(score),
                "{name}"
            );
        }
        assert_eq!(out["submission_id"], sub.submission_id);
        assert_eq!(
            out.get("course").and_then(Value::as_str),
            sub.course.as_deref(),
            "{name}"
        );
        assert_eq!(out["lti_score"]["timestamp"], sub.submitted_at, "{name}");
        assert_lti_consistent(&out);
        outcomes.insert(out["outcome"].as_str().expect("outcome").to_string());

        // The routing key is two words, the course one word, as `<course>.*`
        // bindings need.
        let key = &d.result.as_ref().expect("a result").routing_key;
        assert_two_words(key, sub.course.as_deref());
        assert_eq!(
            key.split_once('.').map(|(_, e)| e),
            Some(sub.exercise.id.as_str())
        );
    }
    assert!(outcomes.contains("graded") && outcomes.contains("invalid_submission"));
}

/// Removes what depends on the build and the machine: the checker's hash,
/// its fuel and the wall time.
fn without_build_details(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        for key in ["checker_sha256", "fuel_used", "timing"] {
            o.remove(key);
        }
    }
    v
}

fn read_example_submission(file: &str) -> SubmissionMessage {
    message::parse_submission(&read_bytes(&examples().join(file)))
        .unwrap_or_else(|r| panic!("{file}: {r:?}"))
}

/// The result message the grader writes for the index entry of a result.
fn real_result(entry: &Value) -> Value {
    let from = text(entry, "from");
    if text(entry, "outcome") != "checker_error" {
        return result_of(&process(&read_bytes(&examples().join(from))));
    }
    // The exercise's checker running out of fuel on the submission: what
    // grading writes on `Fault::OutOfFuel` (the real checkers do not).
    let sub = read_example_submission(from);
    let g = grading();
    let loaded = g.catalog.get(&sub.exercise.id).expect("an exercise");
    let extra: Vec<(String, Vec<u8>)> = Vec::new();
    let mut result = grade::grade(
        &g.sandbox,
        &loaded.exercise,
        &loaded.checker,
        &Submission {
            zone: sub.artifacts.zone.as_ref().map(|z| z.text.as_bytes()),
            ds: None,
            learner: &sub.learner,
            at: parse_rfc3339(&sub.submitted_at).expect("a time"),
            extra_zones: &extra,
            target: None,
            captures: None,
            handed_in: &[],
        },
    );
    let fuel = loaded.exercise.def.limits.fuel;
    result.outcome = Outcome::CheckerError;
    result.score = None;
    result.checks.clear();
    result.message = Some(Fault::OutOfFuel(fuel).to_string());
    result.fuel_used = fuel;
    to_value(&ResultMessage::new(&sub, &result).to_json())
}

#[test]
fn example_results_are_what_the_grader_writes() {
    let index = index();
    let v = validators();
    let mut outcomes = BTreeSet::new();
    for entry in entries(&index, "results") {
        let file = text(entry, "file");
        let shown = example(file);
        assert_valid(&v.result, &shown, file);
        let real = real_result(entry);
        assert_eq!(shown["outcome"], text(entry, "outcome"), "{file}");
        assert_eq!(
            without_build_details(shown.clone()),
            without_build_details(real.clone()),
            "{file} is not what the grader writes for {}; it writes:\n{real:#}",
            text(entry, "from")
        );
        if shown["outcome"] != "rejected" {
            assert_lti_consistent(&shown);
        }
        outcomes.insert(text(entry, "outcome").to_string());
    }
    let all: BTreeSet<String> = intake::OUTCOMES.iter().map(|o| o.to_string()).collect();
    assert_eq!(outcomes, all, "an example result of every outcome");
}

#[test]
fn property_examples_validate() {
    let index = index();
    let v = validators();
    let mut kinds = BTreeSet::new();
    for entry in entries(&index, "properties") {
        let file = text(entry, "file");
        let kind = text(entry, "kind");
        let props = example(file);
        let validator = match kind {
            "submission" => &v.submission_properties,
            "result" => &v.result_properties,
            "dead_letter" => &v.dead_letter_properties,
            other => panic!("{file}: unknown kind `{other}`"),
        };
        assert_valid(validator, &props, file);
        kinds.insert(kind.to_string());
        if kind == "submission" {
            assert!(
                message::check_properties(props["type"].as_str(), props["content_type"].as_str())
                    .is_ok()
            );
        }
        if kind == "dead_letter" {
            let reason = props["headers"]["x-grader-reason"]
                .as_str()
                .or_else(|| props["headers"]["x-death"][0]["reason"].as_str())
                .expect("a reason");
            assert!(
                all_reasons().contains(reason) || reason == "delivery_limit",
                "{file}: {reason}"
            );
        }
    }
    assert_eq!(kinds.len(), 3, "examples of every kind of properties");
    // A result's properties must not pass as a submission's, and the
    // reverse: the `type` tells them apart.
    let result_props = example("properties-result.json");
    assert!(!v.submission_properties.is_valid(&result_props));
    let sub_props = example("properties-submission.json");
    assert!(!v.result_properties.is_valid(&sub_props));
}

// --------------------------------------------------------------- AsyncAPI

fn asyncapi() -> Value {
    let path = schemas().join("asyncapi.yaml");
    let text = std::fs::read_to_string(&path).expect("read asyncapi.yaml");
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("asyncapi.yaml is not YAML: {e}"))
}

/// Resolves a JSON pointer (`/components/messages/x`), with `~1` and `~0`.
fn pointer<'a>(doc: &'a Value, ptr: &str) -> Option<&'a Value> {
    if ptr.is_empty() {
        return Some(doc);
    }
    doc.pointer(ptr)
}

/// Every `$ref` under `v`, with where it is.
fn refs(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "$ref" {
                    if let Some(s) = x.as_str() {
                        out.push((at.to_string(), s.to_string()));
                    }
                } else {
                    refs(x, &format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                refs(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Resolves `reference` made in `file` (relative to `schemas/`): a local
/// pointer or `FILE#pointer`. Returns the file and the target.
fn resolve(doc: &Value, file: &str, reference: &str) -> (String, Value) {
    let (target_file, fragment) = match reference.split_once('#') {
        Some((f, frag)) => (f, frag),
        None => (reference, ""),
    };
    let (name, target_doc) = if target_file.is_empty() {
        (file.to_string(), doc.clone())
    } else {
        assert!(
            !target_file.contains("://"),
            "{file}: `{reference}` is not a local reference"
        );
        let name = target_file.trim_start_matches("./").to_string();
        let path = schemas().join(&name);
        assert!(
            path.is_file(),
            "{file}: `{reference}`: no file {}",
            path.display()
        );
        (name, read_json(&path))
    };
    let target = pointer(&target_doc, fragment)
        .unwrap_or_else(|| panic!("{file}: `{reference}` points nowhere"))
        .clone();
    (name, target)
}

/// Follows a `$ref` in the AsyncAPI document, once.
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let ptr = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("`{r}` is not local"));
            pointer(doc, ptr).unwrap_or_else(|| panic!("`{r}` points nowhere"))
        }
        None => v,
    }
}

/// The JSON Schema a message's `payload` or `headers` points to, wrapped
/// for validation.
fn message_schema(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let inner = schema.get("schema").unwrap_or(schema);
    let reference = inner["$ref"].as_str().expect("a $ref to a schema file");
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let def = fragment.strip_prefix("/$defs/");
    let _ = resolve(doc, "asyncapi.yaml", reference);
    validator(file.trim_start_matches("./"), def)
}

#[test]
fn asyncapi_document_resolves_and_matches_the_code() {
    let doc = asyncapi();
    assert_eq!(doc["asyncapi"], "3.0.0");
    assert!(doc["info"]["version"].is_string() && doc["info"]["title"].is_string());

    // Every reference resolves: in the document, in the schema files, and
    // inside those files.
    let mut found = Vec::new();
    refs(&doc, "", &mut found);
    assert!(found.len() > 10, "too few references: {found:?}");
    let mut files = BTreeSet::new();
    for (at, r) in &found {
        let (file, _) = resolve(&doc, "asyncapi.yaml", r);
        assert!(!at.is_empty());
        if file != "asyncapi.yaml" {
            files.insert(file);
        }
    }
    assert!(
        files.is_superset(&BTreeSet::from(
            [
                "submission.schema.json",
                "result.schema.json",
                "amqp-properties.schema.json"
            ]
            .map(String::from)
        )),
        "{files:?}"
    );
    for file in &files {
        let schema = read_json(&schemas().join(file));
        let mut inner = Vec::new();
        refs(&schema, "", &mut inner);
        for (_, r) in inner {
            resolve(&schema, file, &r);
        }
    }

    // Every reason is documented.
    let text = std::fs::read_to_string(schemas().join("asyncapi.yaml")).expect("read");
    for r in Reason::ALL {
        assert!(
            text.contains(r.as_str()),
            "asyncapi.yaml does not mention `{r}`"
        );
    }

    // The broker objects are the worker's.
    let channels = doc["channels"].as_object().expect("channels");
    let binding = |name: &str| &channels[name]["bindings"]["amqp"];
    assert_eq!(channels["submissions"]["address"], topology::SUBMISSIONS);
    assert_eq!(binding("submissions")["is"], "queue");
    assert_eq!(
        binding("submissions")["queue"]["name"],
        topology::SUBMISSIONS
    );
    assert_eq!(binding("submissions")["queue"]["durable"], true);
    // The queue arguments are those the worker declares by default.
    let args = &channels["submissions"]["x-queue-arguments"];
    assert_eq!(args["x-queue-type"], "quorum");
    assert_eq!(config_default("queue_type"), "quorum");
    let limit = config_default("delivery_limit");
    assert_eq!(args["x-delivery-limit"].to_string(), limit);
    let declared = Topology {
        queue: topology::SUBMISSIONS.to_string(),
        queue_type: QueueType::Quorum,
        delivery_limit: limit.parse().expect("a number"),
    }
    .queue_arguments();
    let declared: BTreeMap<String, String> = declared
        .inner()
        .iter()
        .map(|(k, v)| {
            let v = v
                .as_long_string()
                .map(|s| s.to_string())
                .or_else(|| v.as_long_long_int().map(|n| n.to_string()))
                .unwrap_or_else(|| panic!("{k}: {v:?}"));
            (k.to_string(), v)
        })
        .collect();
    let documented: BTreeMap<String, String> = args
        .as_object()
        .expect("x-queue-arguments")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), String::from),
            )
        })
        .collect();
    assert_eq!(documented, declared, "x-queue-arguments");

    assert_eq!(binding("results")["is"], "routingKey");
    assert_eq!(binding("results")["exchange"]["name"], topology::RESULTS);
    assert_eq!(binding("results")["exchange"]["type"], "topic");
    assert_eq!(
        channels["results"]["x-exchange-arguments"]["alternate-exchange"],
        topology::UNROUTED
    );
    assert_eq!(channels["results"]["address"], "{course}.{exercise}");
    assert_eq!(
        keys(&channels["results"]["parameters"]),
        BTreeSet::from(["course".to_string(), "exercise".to_string()])
    );
    assert_eq!(channels["unrouted"]["address"], topology::UNROUTED);
    assert_eq!(binding("unrouted")["queue"]["name"], topology::UNROUTED);
    assert_eq!(binding("deadLetters")["exchange"]["name"], topology::DEAD);
    assert_eq!(binding("deadLetters")["exchange"]["type"], "fanout");
    assert_eq!(channels["deadLetters"]["x-queue"]["name"], topology::DEAD);
    assert!(
        channels["reply"]["address"].is_null(),
        "the reply queue is the LMS's"
    );

    // Every binding says its version.
    let mut bindings = Vec::new();
    collect_bindings(&doc, &mut bindings);
    assert!(bindings.len() >= 8);
    for b in bindings {
        assert_eq!(b["bindingVersion"], "0.3.0", "{b}");
    }

    // Channel parameters are the `{names}` of the address.
    for (name, channel) in channels {
        let address = channel["address"].as_str().unwrap_or("");
        let params: BTreeSet<String> = address
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
            .collect();
        let declared = channel.get("parameters").map(keys).unwrap_or_default();
        assert_eq!(params, declared, "channel {name}");
    }

    // Operations, from the grader's side: the messages of an operation (and
    // of its reply) are messages of its channel.
    let operations = doc["operations"].as_object().expect("operations");
    let mut actions = BTreeMap::new();
    for (name, op) in operations {
        let channel_ref = op["channel"]["$ref"].as_str().expect("a channel $ref");
        for m in op["messages"].as_array().expect("messages") {
            let m = m["$ref"].as_str().expect("a message $ref");
            assert!(
                m.starts_with(&format!("{channel_ref}/messages/")),
                "operation {name}: {m} is not a message of {channel_ref}"
            );
        }
        if let Some(reply) = op.get("reply") {
            let channel_ref = reply["channel"]["$ref"].as_str().expect("a reply channel");
            assert_eq!(reply["address"]["location"], "$message.header#/reply_to");
            for m in reply["messages"].as_array().expect("reply messages") {
                let m = m["$ref"].as_str().expect("a message $ref");
                assert!(m.starts_with(&format!("{channel_ref}/messages/")), "{m}");
            }
        }
        actions.insert(
            channel_ref.to_string(),
            op["action"].as_str().expect("action").to_string(),
        );
    }
    assert_eq!(actions["#/channels/submissions"], "receive");
    assert_eq!(actions["#/channels/results"], "send");
    assert_eq!(actions["#/channels/deadLetters"], "send");

    // Messages: the types are the code's, and every example validates
    // against the message's payload and headers schemas.
    let messages = doc["components"]["messages"].as_object().expect("messages");
    assert_eq!(
        messages["submission"]["bindings"]["amqp"]["messageType"],
        SUBMISSION_TYPE
    );
    assert_eq!(
        messages["result"]["bindings"]["amqp"]["messageType"],
        RESULT_TYPE
    );
    let mut examples_seen = 0;
    for (name, m) in messages {
        let m = deref(&doc, m);
        let payload = m
            .get("payload")
            .filter(|p| p.get("schema").is_some() || p.get("$ref").is_some())
            .map(|p| message_schema(&doc, p));
        let headers = message_schema(&doc, &m["headers"]);
        for ex in m["examples"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            examples_seen += 1;
            let what = format!("message {name}, example {}", ex["name"]);
            assert_valid(&headers, &ex["headers"], &what);
            if let Some(p) = &payload {
                assert_valid(p, &ex["payload"], &what);
            }
            // Examples are the files of schemas/examples/.
            let file = format!("{}.json", ex["name"].as_str().expect("a name"));
            if examples().join(&file).is_file() && ex.get("payload").is_some() {
                assert_eq!(ex["payload"], example(&file), "{what} differs from {file}");
            }
            if name == "result" {
                assert_eq!(
                    ex["headers"]["headers"]["x-grader-outcome"], ex["payload"]["outcome"],
                    "{what}"
                );
            }
        }
    }
    assert!(examples_seen >= 4, "too few message examples");
}

fn collect_bindings<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k == "bindings" {
                    if let Some(b) = x.get("amqp") {
                        out.push(b);
                    }
                } else {
                    collect_bindings(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_bindings(x, out)),
        _ => {}
    }
}

// ----------------------------------------------------------------- README

#[test]
fn readme_examples_are_real() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let start = readme
        .find("## Talking to the grader from an LMS")
        .expect("README has the LMS section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for name in [
        topology::SUBMISSIONS,
        topology::RESULTS,
        topology::UNROUTED,
        topology::DEAD,
        topology::REASON_HEADER,
        topology::DETAIL_HEADER,
        topology::OUTCOME_HEADER,
        SUBMISSION_TYPE,
        RESULT_TYPE,
        "schemas/asyncapi.yaml",
    ] {
        assert!(
            section.contains(name),
            "the README section does not name `{name}`"
        );
    }
    for r in Reason::ALL {
        assert!(
            section.contains(&format!("`{r}`")),
            "the README section lacks `{r}`"
        );
    }
    let blocks: Vec<&str> = section
        .split("```json\n")
        .skip(1)
        .map(|b| b.split("```").next().expect("a closed block"))
        .collect();
    assert_eq!(
        blocks.len(),
        3,
        "a submission, a result and a rejected result"
    );
    let v = validators();

    // The submission is valid, read, and graded.
    let body = blocks[0].as_bytes();
    assert_valid(&v.submission, &to_value(body), "the README's submission");
    let d = process(body);
    assert_eq!(d.outcome, "graded", "{:?}", d.dead);
    assert_valid(
        &v.result,
        &result_of(&d),
        "the result of the README's submission",
    );

    // The graded result is shortened (`…`), but its LTI score is real.
    let lti_start = blocks[1].find("\"lti_score\": ").expect("an lti_score") + 13;
    let lti_end = blocks[1][lti_start..].find("\n  }").expect("its end") + lti_start + 4;
    let lti: Value = serde_json::from_str(&blocks[1][lti_start..lti_end]).expect("JSON");
    assert_eq!(lti, example("result-graded.json")["lti_score"]);

    // The rejected result is the example file.
    let rejected: Value = serde_json::from_str(blocks[2]).expect("JSON");
    assert_eq!(rejected, example("result-rejected.json"));
}
