//! `grader grade`, `grader exercise test` and `grader exercise new`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use grader_core::exercise::{Exercise, Visibility};
use grader_core::grade::{self, GradeResult, Outcome, Status, Submission};
use grader_core::sample::{Expectation, Sample};
use grader_core::sandbox::Sandbox;

use crate::Format;

/// What a learner hands in, as files: the arguments `grader grade` and
/// `grader submit` share.
#[derive(clap::Args)]
pub struct HandIn {
    /// The zone file; `-` reads standard input. (An exercise whose zone
    /// presence is `none` takes none.)
    #[arg(long)]
    pub zone: Option<PathBuf>,
    /// The DS records handed in with the zone (zone-file syntax).
    #[arg(long)]
    pub ds: Option<PathBuf>,
    /// A further zone the exercise asks for, as NAME=FILE (repeatable).
    #[arg(long = "extra-zone", value_name = "NAME=FILE", value_parser = parse_extra)]
    pub extra_zones: Vec<(String, PathBuf)>,
    /// The learner id (fills `{learner}` in the exercise's origin).
    #[arg(long, default_value = "student")]
    pub learner: String,
    /// The learner's DNS server, for an exercise with probes: ADDRESS or
    /// ADDRESS:PORT (`127.0.0.12:5301`, `[::1]:53`); no host names.
    #[arg(long, value_parser = parse_target)]
    pub target: Option<grader_core::probe::Target>,
    /// DNS responses the learner captured, as [FORMAT:]FILE (repeatable).
    /// FORMAT is dig, json (RFC 8427), base64 or hex (wire form); without
    /// it, `.json` files are json, `.b64` base64, `.hex` hex, others dig.
    #[arg(long = "handed-in", value_name = "[FORMAT:]FILE", value_parser = parse_handed_in)]
    pub handed_in: Vec<(grader_core::response::Format, PathBuf)>,
}

impl HandIn {
    /// The handed-in responses, read.
    pub fn responses(&self) -> Result<Vec<grader_core::probe::HandedIn>, String> {
        self.handed_in
            .iter()
            .map(|(format, path)| {
                let (_, bytes) = crate::read_input(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
                Ok(grader_core::probe::HandedIn {
                    probe: None,
                    format: *format,
                    text,
                })
            })
            .collect()
    }
}

fn parse_target(s: &str) -> Result<grader_core::probe::Target, String> {
    if let Ok(a) = s.parse::<std::net::SocketAddr>() {
        return Ok(grader_core::probe::Target {
            address: a.ip(),
            port: a.port(),
        });
    }
    s.parse::<std::net::IpAddr>()
        .map(|address| grader_core::probe::Target { address, port: 53 })
        .map_err(|_| format!("`{s}` is not ADDRESS or ADDRESS:PORT (IPv6 as [::1]:53)"))
}

fn parse_handed_in(s: &str) -> Result<(grader_core::response::Format, PathBuf), String> {
    use grader_core::response::Format as F;
    if let Some((f, file)) = s.split_once(':')
        && let Ok(format) = f.parse::<F>()
    {
        return Ok((format, PathBuf::from(file)));
    }
    let path = PathBuf::from(s);
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => F::Json,
        Some("b64") => F::Base64,
        Some("hex") => F::Hex,
        _ => F::Dig,
    };
    Ok((format, path))
}

/// Arguments of `grader grade`.
#[derive(clap::Args)]
pub struct GradeArgs {
    /// The exercise directory (with exercise.toml).
    exercise: PathBuf,
    #[command(flatten)]
    hand_in: HandIn,
    /// The grading time, RFC 3339 (default: now). Results are a function of it.
    #[arg(long, value_parser = grade::parse_rfc3339)]
    at: Option<i64>,
    /// Grade the responses captured in an earlier grading again, offline:
    /// FILE is its JSON result (`grader grade --format json`, or a result
    /// message), or a JSON array of its `responses`. Same captures, same
    /// grading time: the same result.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["target", "handed_in"])]
    responses: Option<PathBuf>,
    /// Where --target may be (`NETWORK[/PREFIX][@PORTS]`, repeatable);
    /// default loopback only, as the worker.
    #[arg(long = "probe-allow", value_parser = parse_allow)]
    probe_allow: Vec<grader_core::probe::Allow>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn parse_allow(s: &str) -> Result<grader_core::probe::Allow, String> {
    s.parse()
}

/// The captures of an earlier grading (its result, or the array) and the
/// target they were probed from, when the result names one.
type Replay = (
    Vec<grader_core::probe::Capture>,
    Option<grader_core::probe::Target>,
);

fn read_captures(path: &Path) -> Result<Replay, String> {
    let (_, bytes) = crate::read_input(&path.to_path_buf())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let (list, target) = match value {
        serde_json::Value::Object(mut o) => {
            let list = o
                .remove("responses")
                .ok_or_else(|| format!("{}: this result has no `responses`", path.display()))?;
            let target = match o.get("target").and_then(|t| t.as_str()) {
                Some(t) => Some(
                    parse_target(t)
                        .map_err(|e| format!("{}: the result's target: {e}", path.display()))?,
                ),
                None => None,
            };
            (list, target)
        }
        v => (v, None),
    };
    let captures = serde_json::from_value(list).map_err(|e| {
        format!(
            "{}: the responses are not captures of a grading: {e}",
            path.display()
        )
    })?;
    Ok((captures, target))
}

/// The responses to grade with: replayed, handed in, or probed live.
/// (The target is the replayed result's, or `--target`.)
fn captures(args: &GradeArgs, exercise: &Exercise) -> Result<Replay, String> {
    if let Some(path) = &args.responses {
        return read_captures(path);
    }
    let queries = exercise.queries(&args.hand_in.learner)?;
    let Some(target) = args.hand_in.target else {
        return Ok((Vec::new(), None));
    };
    if queries.is_empty() || !args.hand_in.handed_in.is_empty() {
        // Nothing to probe: grading says what is wrong.
        return Ok((Vec::new(), Some(target)));
    }
    let addr = grader_core::probe::Allowlist::or_default(&args.probe_allow).check(&target)?;
    let settings = grader_worker::probe::Settings::of(&exercise.def.limits);
    let captures = runtime()?.block_on(grader_worker::probe::run(&queries, addr, settings));
    Ok((captures, Some(target)))
}

/// `grader exercise ...`
#[derive(clap::Subcommand)]
pub enum ExerciseCommand {
    /// Build each exercise's checker and grade every sample under examples/,
    /// comparing with its expected outcome, statuses and score.
    Test(TestArgs),
    /// Scaffold a new exercise with a checker that builds.
    New(NewArgs),
}

/// Arguments of `grader exercise test`.
#[derive(clap::Args)]
pub struct TestArgs {
    /// Exercise directories.
    #[arg(required = true)]
    exercises: Vec<PathBuf>,
}

/// Arguments of `grader exercise new`.
#[derive(clap::Args)]
pub struct NewArgs {
    /// The new exercise's id (lowercase letters, digits, hyphens).
    id: String,
    /// Where to create it (default: `exercises/ID` if `exercises/` exists, else `ID`).
    #[arg(long)]
    dir: Option<PathBuf>,
}

fn parse_extra(s: &str) -> Result<(String, PathBuf), String> {
    let (name, file) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=FILE"))?;
    Ok((name.to_string(), PathBuf::from(file)))
}

/// Runs `work` to its end on a single-threaded async runtime (the
/// commands that talk to the broker or the gradebook); a runtime that
/// cannot start is exit status 2.
pub(crate) fn block_on<F: std::future::Future<Output = ExitCode>>(work: F) -> ExitCode {
    match runtime() {
        Ok(r) => r.block_on(work),
        Err(e) => fail(e),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

pub(crate) fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("grader: {message}");
    ExitCode::from(2)
}

fn sandbox() -> Result<Sandbox, String> {
    Sandbox::new(1, grader_core::catalog::cache_dir())
        .map_err(|e| format!("cannot start the WebAssembly sandbox: {e:#}"))
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `grader grade`.
pub fn grade(args: &GradeArgs) -> ExitCode {
    let exercise = match Exercise::load(&args.exercise) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let zone = match &args.hand_in.zone {
        Some(path) => match crate::read_input(path) {
            Ok((_, z)) => Some(z),
            Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
        },
        None => None,
    };
    let (captures, target) = match captures(args, &exercise) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    // Captures to grade with: replayed, or probed at a target.
    let captures = (args.responses.is_some() || target.is_some()).then_some(captures);
    let handed_in = match args.hand_in.responses() {
        Ok(h) => h,
        Err(e) => return fail(e),
    };
    let ds = match &args.hand_in.ds {
        Some(p) => match std::fs::read(p) {
            Ok(d) => Some(d),
            Err(e) => return fail(format!("cannot read {}: {e}", p.display())),
        },
        None => None,
    };
    let mut extra_zones = Vec::with_capacity(args.hand_in.extra_zones.len());
    for (name, path) in &args.hand_in.extra_zones {
        match std::fs::read(path) {
            Ok(text) => extra_zones.push((name.clone(), text)),
            Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
        }
    }
    let sandbox = match sandbox() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let checker = match grader_core::catalog::load_checker(&sandbox, &exercise) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let sub = Submission {
        extra_zones: &extra_zones,
        zone: zone.as_deref(),
        ds: ds.as_deref(),
        learner: &args.hand_in.learner,
        at: args.at.unwrap_or_else(now),
        target,
        captures: captures.as_deref(),
        handed_in: &handed_in,
    };
    let result = grade::grade(&sandbox, &exercise, &checker, &sub);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_string_pretty(&result).map(|j| writeln!(out, "{j}")),
        Format::Text => Ok(write!(out, "{}", report(&exercise, &result))),
    };
    if let Ok(Err(e)) | Err(e) = written.map_err(std::io::Error::other)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(format!("cannot write the result: {e}"));
    }
    if result.outcome == Outcome::Graded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn fmt_points(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.2}")
    }
}

/// Text from a checker or a definition, safe for a terminal: control
/// characters (escape sequences) become `�`.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The readable report of a result.
fn report(exercise: &Exercise, r: &GradeResult) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {}: {}",
        r.exercise.id, r.exercise.version, exercise.def.title
    );
    let _ = writeln!(s, "learner {}, graded at {}", r.learner, r.graded_at);
    match r.outcome {
        Outcome::Graded => {
            if let Some(score) = &r.score {
                let _ = writeln!(s, "score {} / {}\n", fmt_points(score.given), score.maximum);
            }
            for c in &r.checks {
                let mark = match c.status {
                    Status::Passed => "✓",
                    Status::Failed => "✗",
                    Status::Partial => "~",
                    Status::Skipped => "-",
                };
                let hidden = if c.visibility == Visibility::Visible {
                    ""
                } else {
                    " (hidden from students)"
                };
                let _ = writeln!(
                    s,
                    "{mark} {} ({}/{}) {}{hidden}",
                    clean(&c.id),
                    fmt_points(c.points),
                    c.max_points,
                    clean(&c.title)
                );
                for line in c.feedback.lines().filter(|l| !l.trim().is_empty()) {
                    let _ = writeln!(s, "    {}", clean(line));
                }
            }
        }
        Outcome::InvalidSubmission => {
            let _ = writeln!(
                s,
                "not graded: the submission cannot be graded as handed in"
            );
            let _ = writeln!(s, "{}", clean(r.message.as_deref().unwrap_or("")));
        }
        Outcome::CheckerError | Outcome::InternalError => {
            let _ = writeln!(
                s,
                "not graded: the checker failed (this is not your fault; your instructor is told)"
            );
            let _ = writeln!(s, "{}", clean(r.message.as_deref().unwrap_or("")));
        }
    }
    s
}

/// Compares a result with its expectation; returns the differences.
fn differences(exercise: &Exercise, exp: &Expectation, r: &GradeResult) -> Vec<String> {
    let mut diffs = Vec::new();
    if r.outcome.as_str() != exp.outcome {
        diffs.push(format!(
            "outcome: expected {}, got {} ({})",
            exp.outcome,
            r.outcome.as_str(),
            r.message.as_deref().unwrap_or("")
        ));
        return diffs;
    }
    if r.outcome != Outcome::Graded {
        if exp.score.is_some() || !exp.checks.is_empty() {
            diffs.push(format!(
                "the expectation gives a score or checks, but the outcome is {}",
                exp.outcome
            ));
        }
        return diffs;
    }
    let given = r.score.as_ref().map(|s| s.given);
    match exp.score {
        Some(want) if given.is_some_and(|g| (g - want).abs() < 0.005) => {}
        Some(want) => diffs.push(format!(
            "score: expected {want}, got {}",
            given.map_or("none".into(), fmt_points)
        )),
        None => diffs.push("the expectation has no `score`".into()),
    }
    for item in &exercise.def.rubric {
        let got = r
            .checks
            .iter()
            .find(|c| c.id == item.id)
            .map(|c| c.status.as_str());
        match exp.checks.get(&item.id) {
            None => diffs.push(format!(
                "checks.{}: no expected status (got {})",
                item.id,
                got.unwrap_or("none")
            )),
            Some(want) if Some(want.as_str()) != got => {
                let feedback = r
                    .checks
                    .iter()
                    .find(|c| c.id == item.id)
                    .map_or("", |c| c.feedback.as_str());
                diffs.push(format!(
                    "checks.{}: expected {want}, got {} ({feedback})",
                    item.id,
                    got.unwrap_or("none")
                ));
            }
            Some(_) => {}
        }
    }
    for id in exp.checks.keys().filter(|k| exercise.item(k).is_none()) {
        diffs.push(format!("checks.{id}: not a check of the rubric"));
    }
    diffs
}

/// `grader exercise test`.
pub fn exercise_test(args: &TestArgs) -> ExitCode {
    let sandbox = match sandbox() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    for dir in &args.exercises {
        let exercise = match Exercise::load(dir) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
                continue;
            }
        };
        let checker = match grader_core::catalog::load_checker(&sandbox, &exercise) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{}: {e}", dir.display());
                failed += 1;
                continue;
            }
        };
        let files = match exercise.samples() {
            Ok(f) if !f.is_empty() => f,
            Ok(_) => {
                eprintln!("{}: no sample submissions in examples/", dir.display());
                failed += 1;
                continue;
            }
            Err(e) => {
                eprintln!("{}: {e}", dir.display());
                failed += 1;
                continue;
            }
        };
        println!(
            "{} {} ({} samples)",
            exercise.def.id,
            exercise.def.version,
            files.len()
        );
        for sample in files {
            let name = &sample.name;
            let diffs = test_sample(&sandbox, &exercise, &checker, &sample);
            if diffs.is_empty() {
                passed += 1;
                println!("  ✓ {name}");
            } else {
                failed += 1;
                println!("  ✗ {name}");
                for d in diffs {
                    println!("      {d}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn test_sample(
    sandbox: &Sandbox,
    exercise: &Exercise,
    checker: &grader_core::sandbox::LoadedChecker,
    sample: &Sample,
) -> Vec<String> {
    let exp = match sample.expectation() {
        Ok(e) => e,
        Err(e) => return vec![e],
    };
    let at = match grade::parse_rfc3339(&exp.at) {
        Ok(a) => a,
        Err(e) => return vec![format!("{}: at: {e}", sample.expect_path().display())],
    };
    let files = match sample.files(exercise) {
        Ok(f) => f,
        Err(e) => return vec![e],
    };
    let result = grade::grade(
        sandbox,
        exercise,
        checker,
        &files.submission(&exp.learner, at),
    );
    differences(exercise, &exp, &result)
}

/// `grader exercise new`.
pub fn exercise_new(args: &NewArgs) -> ExitCode {
    let id = &args.id;
    if !grader_core::exercise::is_id(id) {
        return fail(format!(
            "`{id}` is not an id: use lowercase letters, digits and inner hyphens"
        ));
    }
    let dir = args.dir.clone().unwrap_or_else(|| {
        if Path::new("exercises").is_dir() {
            Path::new("exercises").join(id)
        } else {
            PathBuf::from(id)
        }
    });
    if dir.exists() {
        return fail(format!("{} already exists", dir.display()));
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return fail(format!("cannot create {}: {e}", dir.display()));
    }
    let Some(sdk) = std::fs::canonicalize(&dir)
        .ok()
        .and_then(|canon| find_sdk(&canon))
    else {
        let _ = std::fs::remove_dir(&dir);
        return fail(
            "cannot find the checker SDK (checker-sdk/ of the grader repository); run this inside the repository",
        );
    };
    let files = scaffold(id, &sdk);
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            return fail(format!("cannot create {}: {e}", parent.display()));
        }
        if let Err(e) = std::fs::write(&path, text) {
            return fail(format!("cannot write {}: {e}", path.display()));
        }
    }
    println!(
        "created {} — next: edit exercise.toml and checker/src/lib.rs, then run",
        dir.display()
    );
    println!("  grader exercise test {}", dir.display());
    ExitCode::SUCCESS
}

/// The SDK's path as the checker's Cargo.toml (in `dir/checker`) must name
/// it: relative when an ancestor of `dir` (canonical) holds `checker-sdk/`,
/// else the SDK this grader was built from, absolute.
fn find_sdk(dir: &Path) -> Option<String> {
    let checker_depth = dir.components().count() + 1;
    for ancestor in dir.ancestors().skip(1) {
        if ancestor.join("checker-sdk/Cargo.toml").is_file() {
            let up = "../".repeat(checker_depth - ancestor.components().count());
            return Some(format!("{up}checker-sdk"));
        }
    }
    let baked =
        std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../checker-sdk")).ok()?;
    baked
        .join("Cargo.toml")
        .is_file()
        .then(|| baked.to_string_lossy().into_owned())
}

fn scaffold(id: &str, sdk: &str) -> Vec<(&'static str, String)> {
    let exercise = format!(
        r#"id = "{id}"
version = "0.1.0"
title = "TODO: a title for students"
statement = "statement.md"

[inputs.zone]
# The zone each learner hands in; {{learner}} is replaced by the learner id.
origin = "{{learner}}.lab.example."

[checker]
source = "checker"

[limits]
fuel = 200_000_000
memory_mib = 64
wall_clock_ms = 2000

[params]
min_ns = 2

[[rubric]]
id = "soa"
title = "The zone has a SOA record at its apex"
points = 1

[[rubric]]
id = "ns"
title = "The zone has at least two NS records at its apex"
points = 1
"#
    );
    let cargo = format!(
        r#"[package]
name = "{id}-checker"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
grader-checker-sdk = {{ path = "{sdk}" }}
"#,
    );
    let lib = r#"//! Checker for this exercise: judges every check of the rubric.

use grader_checker_sdk::prelude::*;

struct Exercise;

impl Checker for Exercise {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let zone = &s.zone;
        let apex = zone.origin.clone();
        let soa = if zone.has(&apex, "SOA") {
            CheckResult::passed("soa")
        } else {
            CheckResult::failed("soa", "there is no SOA record at the zone apex")
        };
        let ns = zone.rrset(&apex, "NS").len();
        let ns = if ns >= 2 {
            CheckResult::passed("ns")
        } else {
            CheckResult::failed("ns", format!("the apex has {ns} NS record(s); give it at least two"))
        };
        Ok(vec![soa, ns])
    }
}

grader_checker_sdk::export_checker!(Exercise);
"#
    .to_string();
    let good = "$ORIGIN student.lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 2026010101 14400 3600 604800 3600\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n".to_string();
    let good_expect = "about = \"a complete zone\"\noutcome = \"graded\"\nscore = 2\n\n[checks]\nsoa = \"passed\"\nns = \"passed\"\n".to_string();
    let one_ns = "$ORIGIN student.lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 2026010101 14400 3600 604800 3600\n@ NS ns1\nns1 A 192.0.2.1\n".to_string();
    let one_expect = "about = \"only one name server\"\noutcome = \"graded\"\nscore = 1\n\n[checks]\nsoa = \"passed\"\nns = \"failed\"\n".to_string();
    vec![
        ("exercise.toml", exercise),
        (
            "statement.md",
            format!(
                "# {id}\n\nTODO: what the student must do, for the zone `<your id>.lab.example.`.\n"
            ),
        ),
        ("checker/Cargo.toml", cargo),
        ("checker/src/lib.rs", lib),
        ("examples/good.zone", good),
        ("examples/good.expect.toml", good_expect),
        ("examples/one-ns.zone", one_ns),
        ("examples/one-ns.expect.toml", one_expect),
    ]
}
