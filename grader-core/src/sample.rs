//! The sample submissions of an exercise (`examples/`) and what grading
//! each must give: what `grader exercise test`, the worker's tests and its
//! benchmark all grade.
//!
//! A sample is `examples/NAME.zone`. Beside it: `NAME.expect.toml`
//! (required), `NAME.ds` (DS records, if the exercise takes them) and
//! `NAME.ZONE.zone` for each extra zone of the exercise. Any other file in
//! `examples/` is an error, so that a misnamed file never goes unnoticed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::exercise::{Exercise, Presence};

/// `examples/NAME.expect.toml`: what grading `examples/NAME.zone` must give.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Learner id (default `student`).
    #[serde(default = "default_learner")]
    pub learner: String,
    /// Grading time, RFC 3339 (default 2026-01-01T00:00:00Z).
    #[serde(default = "default_at")]
    pub at: String,
    /// Expected outcome (default `graded`).
    #[serde(default = "default_outcome")]
    pub outcome: String,
    /// Expected score (graded only).
    pub score: Option<f64>,
    /// Expected status of every rubric check (graded only).
    #[serde(default)]
    pub checks: BTreeMap<String, String>,
    /// What the sample shows (free text for authors).
    #[serde(default)]
    pub about: String,
}

fn default_learner() -> String {
    "student".into()
}
fn default_at() -> String {
    "2026-01-01T00:00:00Z".into()
}
fn default_outcome() -> String {
    "graded".into()
}

/// One sample submission.
#[derive(Clone, Debug)]
pub struct Sample {
    /// `NAME`.
    pub name: String,
    /// `examples/NAME.zone`.
    pub zone_path: PathBuf,
}

impl Sample {
    fn beside(&self, suffix: &str) -> PathBuf {
        self.zone_path.with_extension(suffix)
    }

    /// `examples/NAME.expect.toml`.
    pub fn expect_path(&self) -> PathBuf {
        self.beside("expect.toml")
    }

    /// The expectation, read and parsed; the error names the file.
    pub fn expectation(&self) -> Result<Expectation, String> {
        let path = self.expect_path();
        std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The zone file's bytes.
    pub fn zone(&self) -> Result<Vec<u8>, String> {
        read(&self.zone_path)
    }

    /// `NAME.ds`, when there is one.
    pub fn ds(&self) -> Result<Option<Vec<u8>>, String> {
        let path = self.beside("ds");
        if path.is_file() {
            read(&path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// `NAME.ZONE.zone` of each extra zone of `exercise` there is one for,
    /// by the zone's name.
    pub fn extra_zones(&self, exercise: &Exercise) -> Result<Vec<(String, Vec<u8>)>, String> {
        let mut out = Vec::new();
        for e in &exercise.def.inputs.extra_zones {
            let path = self.beside(&format!("{}.zone", e.name));
            if path.is_file() {
                out.push((e.name.clone(), read(&path)?));
            }
        }
        Ok(out)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

impl Exercise {
    /// The samples in `examples/`, sorted by name; every stray file is an
    /// error (one line each).
    pub fn samples(&self) -> Result<Vec<Sample>, String> {
        let examples = self.dir.join("examples");
        let names: Vec<String> = std::fs::read_dir(&examples)
            .map_err(|e| format!("cannot list {}: {e}", examples.display()))?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        let is_sample =
            |stem: &str| !stem.contains('.') && names.iter().any(|n| *n == format!("{stem}.zone"));
        let mut problems = Vec::new();
        let mut samples = Vec::new();
        for name in &names {
            let (stem, rest) = name.split_once('.').unwrap_or((name.as_str(), ""));
            let ok = match rest {
                "zone" => {
                    samples.push(Sample {
                        name: stem.to_string(),
                        zone_path: examples.join(name),
                    });
                    true
                }
                "expect.toml" => is_sample(stem),
                "ds" => is_sample(stem) && self.def.inputs.ds != Presence::None,
                _ => rest.strip_suffix(".zone").is_some_and(|zone| {
                    is_sample(stem) && self.def.inputs.extra_zones.iter().any(|z| z.name == zone)
                }),
            };
            if !ok {
                problems.push(format!(
                    "examples/{name}: not a sample (NAME.zone), nor its NAME.expect.toml, NAME.ds or NAME.<extra zone>.zone"
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort();
            return Err(problems.join("\n    "));
        }
        samples.sort_by(|a, b| a.zone_path.cmp(&b.zone_path));
        Ok(samples)
    }
}
