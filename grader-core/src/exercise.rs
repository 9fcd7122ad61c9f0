//! Exercise definitions: `exercises/<id>/exercise.toml`.
//!
//! A definition names the exercise (id, semantic version, title, statement),
//! the inputs a submission must carry, the rubric (every check with a stable
//! id, title, points and visibility), the checker and its limits, and free
//! `params` handed to the checker. [`Exercise::load`] validates all of it and
//! reports every problem with the file and the key
//! (`exercise.toml: rubric[2].points: ...`). The JSON Schema of the file is
//! `schemas/exercise.schema.json`.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

/// The target checkers are built for: no WASI, so no imports.
pub const CHECKER_TARGET: &str = "wasm32-unknown-unknown";

/// Fuel units a slow machine still burns per millisecond, with a wide
/// margin (this one burns about 4,000,000): a wall-clock limit must be at
/// least `fuel / FUEL_PER_MS`.
pub const FUEL_PER_MS: u64 = 100_000;

/// A loaded, validated exercise.
#[derive(Clone, Debug)]
pub struct Exercise {
    /// The directory the definition was loaded from.
    pub dir: PathBuf,
    /// The parsed `exercise.toml`.
    pub def: Definition,
    /// The student-facing statement (Markdown).
    pub statement: String,
}

/// The contents of `exercise.toml`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Stable id, lowercase letters, digits and hyphens (`zone-basics`).
    pub id: String,
    /// Semantic version (`1.0.0`); a new version for every change students see.
    pub version: String,
    /// Title shown to students.
    pub title: String,
    /// The statement file, relative to the exercise directory (Markdown).
    pub statement: String,
    /// What a submission carries.
    pub inputs: Inputs,
    /// The checker.
    pub checker: CheckerDef,
    /// Resource limits for one grading.
    #[serde(default)]
    pub limits: LimitsDef,
    /// Free-form parameters handed to the checker as JSON.
    #[serde(default = "empty_table")]
    pub params: toml::Table,
    /// The rubric, in the order shown to students.
    pub rubric: Vec<RubricItem>,
    /// DNS queries to ask the student's server (`[[probes]]`), in the order
    /// checkers receive their responses; at most
    /// [`MAX_PROBES`](crate::probe::MAX_PROBES).
    #[serde(default)]
    pub probes: Vec<crate::probe::ProbeDef>,
}

fn empty_table() -> toml::Table {
    toml::Table::new()
}

/// The inputs of an exercise.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    /// The zone file a submission must carry.
    pub zone: ZoneInput,
    /// Whether a DS set comes with the zone: `none`, `optional` or `required`.
    #[serde(default)]
    pub ds: Presence,
    /// Further zones a submission carries (for instance an IPv6 reverse
    /// zone beside the IPv4 one), in the order checkers receive them.
    #[serde(default)]
    pub extra_zones: Vec<ExtraZone>,
}

/// A further zone of a submission.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraZone {
    /// Its name in the submission and for the checker (`ipv6-reverse`).
    pub name: String,
    /// Its origin, absolute, optionally with `{learner}`.
    pub origin: String,
    /// Whether a submission without it is invalid (default true).
    #[serde(default = "yes")]
    pub required: bool,
}

impl ExtraZone {
    /// The zone's origin for `learner` (the template filled in).
    pub fn origin_for(&self, learner: &str) -> String {
        self.origin.replace("{learner}", learner)
    }
}

fn yes() -> bool {
    true
}

/// The expected zone.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneInput {
    /// The zone's origin: an absolute name, or a template with `{learner}`
    /// (`{learner}.lab.example.`) filled in with the learner's id. Relative
    /// probe names are read below it.
    pub origin: String,
    /// Whether a submission carries the zone file: `required` (the
    /// default), `optional`, or `none` (an exercise on a server or
    /// resolver only, whose origin serves its probes).
    #[serde(default = "required")]
    pub presence: Presence,
}

fn required() -> Presence {
    Presence::Required
}

/// Whether an input is expected.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Not taken.
    #[default]
    None,
    /// May be given.
    Optional,
    /// Must be given.
    Required,
}

/// Where the checker comes from.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckerDef {
    /// A Rust crate (directory relative to the exercise) built with the
    /// checker SDK for `wasm32-unknown-unknown`.
    pub source: String,
}

/// Limits of one grading (all optional; defaults in [`LimitsDef::default`]).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsDef {
    /// Fuel: the deterministic budget of WebAssembly work.
    pub fuel: u64,
    /// Largest linear memory, in MiB.
    pub memory_mib: u32,
    /// Wall-clock backstop, in milliseconds (only for runaway checkers:
    /// fuel ends well-behaved ones first, deterministically).
    pub wall_clock_ms: u64,
    /// Largest total feedback a checker may return, in bytes.
    pub max_output_bytes: u32,
    /// Most records a submitted zone may have; a larger zone is an invalid
    /// submission (lab zones are small; this keeps checkers within fuel).
    pub max_zone_records: u32,
    /// How long a probe waits for each response, in milliseconds.
    pub probe_timeout_ms: u64,
    /// How many times a probe's query is sent before it counts as a
    /// timeout (UDP; a TCP probe connects this many times).
    pub probe_attempts: u32,
}

impl LimitsDef {
    /// The sandbox limits of one run of the checker.
    pub fn run_limits(&self) -> crate::sandbox::RunLimits {
        crate::sandbox::RunLimits {
            fuel: self.fuel,
            memory_mib: self.memory_mib,
            wall_clock_ms: self.wall_clock_ms,
            max_output_bytes: self.max_output_bytes,
        }
    }
}

impl Default for LimitsDef {
    fn default() -> Self {
        LimitsDef {
            fuel: 200_000_000,
            memory_mib: 64,
            wall_clock_ms: 2_000,
            max_output_bytes: 64 << 10,
            max_zone_records: 5_000,
            probe_timeout_ms: 1_000,
            probe_attempts: 2,
        }
    }
}

/// Who may see a check's result.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// The student sees it at once.
    Visible,
    /// Only instructors see it.
    Hidden,
    /// The student sees it after the due date.
    AfterDueDate,
}

/// One check of the rubric.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RubricItem {
    /// Stable id the checker reports against (`glue`, `mx-address`).
    pub id: String,
    /// What is checked, for students.
    pub title: String,
    /// Points for a pass.
    pub points: u32,
    /// Who sees the result.
    #[serde(default = "visible")]
    pub visibility: Visibility,
}

fn visible() -> Visibility {
    Visibility::Visible
}

/// A problem in an exercise definition: the file, the key and what is wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{}: {key}: {message}", file.display())]
pub struct DefinitionError {
    /// The file (`exercises/zone-basics/exercise.toml`).
    pub file: PathBuf,
    /// The key (`rubric[2].points`), or `-` for the whole file.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// All problems found in one definition.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Whether `s` can be one label of a host name: 1 to 63 letters, digits and
/// inner hyphens (what a learner id must be to fill `{learner}`).
pub fn is_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Whether `s` is an id: lowercase letters, digits and inner hyphens, at
/// most 64 characters.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

impl Exercise {
    /// Loads and validates `dir/exercise.toml` and its statement.
    pub fn load(dir: &Path) -> Result<Exercise, DefinitionErrors> {
        let file = dir.join("exercise.toml");
        let err = |key: &str, message: String| DefinitionError {
            file: file.clone(),
            key: key.to_string(),
            message,
        };
        let text = std::fs::read_to_string(&file)
            .map_err(|e| DefinitionErrors(vec![err("-", format!("cannot read: {e}"))]))?;
        let def: Definition = toml::from_str(&text).map_err(|e| {
            let key = e
                .span()
                .map_or_else(|| "-".to_string(), |s| key_at(&text, s.start));
            DefinitionErrors(vec![err(&key, e.message().to_string())])
        })?;
        let mut errors = Vec::new();
        if !is_id(&def.id) {
            errors.push(err(
                "id",
                format!(
                    "`{}` is not an id: use lowercase letters, digits and inner hyphens",
                    def.id
                ),
            ));
        }
        if !is_semver(&def.version) {
            errors.push(err(
                "version",
                format!("`{}` is not a semantic version such as 1.0.0", def.version),
            ));
        }
        if def.title.trim().is_empty() {
            errors.push(err("title", "the title is empty".into()));
        }
        let origin_ok = |o: &str| {
            let o = o.replace("{learner}", "learner");
            o.ends_with('.')
                && hickory_proto::rr::Name::from_ascii(&o)
                    .is_ok_and(|n| n.iter().all(|l| !l.is_empty()))
        };
        let origin_message = |o: &str| {
            format!(
                "`{o}` must be an absolute name (ending with a dot), optionally with {{learner}}"
            )
        };
        if !origin_ok(&def.inputs.zone.origin) {
            errors.push(err(
                "inputs.zone.origin",
                origin_message(&def.inputs.zone.origin),
            ));
        }
        let mut zone_names = BTreeSet::new();
        for (i, extra) in def.inputs.extra_zones.iter().enumerate() {
            if !is_id(&extra.name) {
                errors.push(err(
                    &format!("inputs.extra_zones[{i}].name"),
                    format!(
                        "`{}` is not an id: use lowercase letters, digits and inner hyphens",
                        extra.name
                    ),
                ));
            }
            if !zone_names.insert(extra.name.as_str()) {
                errors.push(err(
                    &format!("inputs.extra_zones[{i}].name"),
                    format!("the zone name `{}` is used twice", extra.name),
                ));
            }
            if !origin_ok(&extra.origin) {
                errors.push(err(
                    &format!("inputs.extra_zones[{i}].origin"),
                    origin_message(&extra.origin),
                ));
            }
        }
        if let Err((key, why)) =
            json_representable(&toml::Value::Table(def.params.clone()), "params")
        {
            errors.push(err(&key, why));
        }
        if def.rubric.is_empty() {
            errors.push(err("rubric", "the rubric has no checks".into()));
        }
        let mut ids = BTreeSet::new();
        for (i, item) in def.rubric.iter().enumerate() {
            if !is_id(&item.id) {
                errors.push(err(
                    &format!("rubric[{i}].id"),
                    format!(
                        "`{}` is not an id: use lowercase letters, digits and inner hyphens",
                        item.id
                    ),
                ));
            }
            if !ids.insert(item.id.as_str()) {
                errors.push(err(
                    &format!("rubric[{i}].id"),
                    format!("the id `{}` is used twice", item.id),
                ));
            }
            if item.title.trim().is_empty() {
                errors.push(err(
                    &format!("rubric[{i}].title"),
                    "the title is empty".into(),
                ));
            }
        }
        if def.rubric.iter().map(|r| u64::from(r.points)).sum::<u64>() == 0 {
            errors.push(err("rubric", "the rubric is worth no points".into()));
        }
        let l = &def.limits;
        if l.fuel == 0 || l.fuel > 10_000_000_000 {
            errors.push(err(
                "limits.fuel",
                format!("{} is outside 1..=10000000000", l.fuel),
            ));
        }
        if !(1..=1024).contains(&l.memory_mib) {
            errors.push(err(
                "limits.memory_mib",
                format!("{} is outside 1..=1024", l.memory_mib),
            ));
        }
        if !(1..=60_000).contains(&l.wall_clock_ms) {
            errors.push(err(
                "limits.wall_clock_ms",
                format!("{} is outside 1..=60000", l.wall_clock_ms),
            ));
        } else if l.wall_clock_ms < l.fuel / FUEL_PER_MS {
            // The backstop must leave fuel time to run out first, or the
            // outcome of a runaway checker would depend on machine speed.
            errors.push(err(
                "limits.wall_clock_ms",
                format!(
                    "{} ms is too short for {} fuel: give at least {} ms (fuel must run out before the wall clock)",
                    l.wall_clock_ms,
                    l.fuel,
                    l.fuel / FUEL_PER_MS
                ),
            ));
        }
        if !(1..=(16 << 20)).contains(&l.max_output_bytes) {
            errors.push(err(
                "limits.max_output_bytes",
                format!("{} is outside 1..=16777216", l.max_output_bytes),
            ));
        }
        if !(1..=1_000_000).contains(&l.max_zone_records) {
            errors.push(err(
                "limits.max_zone_records",
                format!("{} is outside 1..=1000000", l.max_zone_records),
            ));
        }
        if !(1..=10_000).contains(&l.probe_timeout_ms) {
            errors.push(err(
                "limits.probe_timeout_ms",
                format!("{} is outside 1..=10000", l.probe_timeout_ms),
            ));
        }
        if !(1..=5).contains(&l.probe_attempts) {
            errors.push(err(
                "limits.probe_attempts",
                format!("{} is outside 1..=5", l.probe_attempts),
            ));
        }
        if def.probes.len() > crate::probe::MAX_PROBES {
            errors.push(err(
                "probes",
                format!(
                    "{} probes; an exercise may have at most {}",
                    def.probes.len(),
                    crate::probe::MAX_PROBES
                ),
            ));
        }
        let probe_origin = hickory_proto::rr::Name::from_ascii(
            def.inputs.zone.origin.replace("{learner}", "learner"),
        )
        .ok();
        let mut probe_ids = BTreeSet::new();
        for (i, p) in def.probes.iter().enumerate() {
            if !is_id(&p.id) {
                errors.push(err(
                    &format!("probes[{i}].id"),
                    format!(
                        "`{}` is not an id: use lowercase letters, digits and inner hyphens",
                        p.id
                    ),
                ));
            }
            if !probe_ids.insert(p.id.as_str()) {
                errors.push(err(
                    &format!("probes[{i}].id"),
                    format!("the id `{}` is used twice", p.id),
                ));
            }
            if let Err(why) = p.resolve(probe_origin.as_ref()) {
                errors.push(err(&format!("probes[{i}]"), why));
            }
        }
        let source = dir.join(&def.checker.source);
        if !source.join("Cargo.toml").is_file() {
            errors.push(err(
                "checker.source",
                format!("{} has no Cargo.toml", source.display()),
            ));
        }
        let statement_path = dir.join(&def.statement);
        let statement = match std::fs::read_to_string(&statement_path) {
            Ok(s) => s,
            Err(e) => {
                errors.push(err(
                    "statement",
                    format!("cannot read {}: {e}", statement_path.display()),
                ));
                String::new()
            }
        };
        if !errors.is_empty() {
            return Err(DefinitionErrors(errors));
        }
        Ok(Exercise {
            dir: dir.to_path_buf(),
            def,
            statement,
        })
    }

    /// Builds the checker crate (`cargo build --release --target
    /// wasm32-unknown-unknown`; cargo does nothing when it is up to date)
    /// and returns the path of the module. Cargo's messages go to stderr.
    pub fn build_checker(&self) -> Result<PathBuf, String> {
        let manifest = self.dir.join(&self.def.checker.source).join("Cargo.toml");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(&cargo)
            .args([
                "build",
                "--release",
                "--quiet",
                "--message-format=json-render-diagnostics",
                "--target",
                CHECKER_TARGET,
            ])
            .arg("--manifest-path")
            .arg(&manifest)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run cargo to build {}: {e}", manifest.display()))?;
        if !output.status.success() {
            return Err(format!(
                "building the checker {} failed: see cargo's messages above (a missing target is \
                 installed with `rustup target add {CHECKER_TARGET}`, which scripts/test.sh does)",
                manifest.display()
            ));
        }
        // The last wasm artifact cargo reports is the checker itself.
        let stdout = String::from_utf8_lossy(&output.stdout);
        let wasm = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["reason"] == "compiler-artifact")
            .flat_map(|v| {
                v["filenames"]
                    .as_array()
                    .map(|f| {
                        f.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
            .rfind(|f| f.ends_with(".wasm"));
        wasm.map(PathBuf::from).ok_or_else(|| {
            format!(
                "cargo built {} but reported no .wasm file",
                manifest.display()
            )
        })
    }

    /// Whether any zone origin of the exercise depends on the learner.
    pub fn uses_learner(&self) -> bool {
        self.def.inputs.zone.origin.contains("{learner}")
            || self
                .def
                .inputs
                .extra_zones
                .iter()
                .any(|z| z.origin.contains("{learner}"))
    }

    /// The zone origin for `learner` (the template filled in).
    pub fn origin_for(&self, learner: &str) -> String {
        self.def.inputs.zone.origin.replace("{learner}", learner)
    }

    /// The exercise's probes for `learner`: names resolved below the
    /// learner's origin. (Definitions were checked when loaded; a learner
    /// id that makes a name too long is an error naming it.)
    pub fn queries(&self, learner: &str) -> Result<Vec<crate::probe::Query>, String> {
        let origin = hickory_proto::rr::Name::from_ascii(self.origin_for(learner)).ok();
        self.def
            .probes
            .iter()
            .map(|p| p.resolve(origin.as_ref()))
            .collect()
    }

    /// The rubric item with `id`.
    pub fn item(&self, id: &str) -> Option<&RubricItem> {
        self.def.rubric.iter().find(|r| r.id == id)
    }

    /// The most points a submission can get.
    pub fn max_points(&self) -> u64 {
        self.def.rubric.iter().map(|r| u64::from(r.points)).sum()
    }

    /// The params as JSON text (stable key order).
    pub fn params_json(&self) -> String {
        serde_json::to_string(&self.def.params).unwrap_or_else(|_| "{}".to_string())
    }
}

/// Params reach the checker as JSON: TOML dates and non-finite floats have
/// no JSON form and are refused, naming the key.
fn json_representable(v: &toml::Value, key: &str) -> Result<(), (String, String)> {
    match v {
        toml::Value::Datetime(_) => Err((
            key.to_string(),
            "a date has no JSON form: write it as a string".into(),
        )),
        toml::Value::Float(f) if !f.is_finite() => {
            Err((key.to_string(), "nan and inf have no JSON form".into()))
        }
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| json_representable(item, &format!("{key}[{i}]"))),
        toml::Value::Table(t) => t
            .iter()
            .try_for_each(|(k, item)| json_representable(item, &format!("{key}.{k}"))),
        _ => Ok(()),
    }
}

/// The dotted key path at byte `offset` of a TOML text, best effort: the
/// last `[table]` header before it and the key on its line.
fn key_at(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let mut table = String::new();
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in before.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            let n = counts.entry(name.to_string()).or_insert(0);
            table = format!("{name}[{}]", *n);
            *n += 1;
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            table = name.to_string();
        }
    }
    let line = text[before.rfind('\n').map_or(0, |p| p + 1)..]
        .lines()
        .next()
        .unwrap_or("");
    let key = line
        .split('=')
        .next()
        .map(str::trim)
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    match (table.is_empty(), key) {
        (true, Some(k)) => k.to_string(),
        (false, Some(k)) => format!("{table}.{k}"),
        (false, None) => table,
        (true, None) => "-".to_string(),
    }
}
