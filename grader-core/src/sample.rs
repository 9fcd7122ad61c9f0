//! The sample submissions of an exercise (`examples/`) and what grading
//! each must give: what `grader exercise test`, the worker's tests and its
//! benchmark all grade.
//!
//! A sample is `examples/NAME.expect.toml` (what grading must give) with
//! the files of the submission beside it:
//! - `NAME.zone`, the zone file (absent only when the exercise takes none);
//! - `NAME.ds`, DS records, if the exercise takes them;
//! - `NAME.ZONE.zone` for each extra zone of the exercise;
//! - for an exercise with probes, the responses: `NAME.responses.json`
//!   (captures, as a grading result keeps them: what a live probe of a
//!   server gave) or `NAME.dig` (dig output a student handed in).
//!
//! Any other file in `examples/` is an error, so that a misnamed file never
//! goes unnoticed.

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
    /// The `examples/` directory.
    pub dir: PathBuf,
}

impl Sample {
    fn beside(&self, suffix: &str) -> PathBuf {
        self.dir.join(format!("{}.{suffix}", self.name))
    }

    /// `examples/NAME.zone` (which may not exist).
    pub fn zone_path(&self) -> PathBuf {
        self.beside("zone")
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

    /// The zone file's bytes, when the sample has one.
    pub fn zone(&self) -> Result<Option<Vec<u8>>, String> {
        let path = self.zone_path();
        if path.is_file() {
            read(&path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// `NAME.responses.json`: the captures of a live probe, when there are.
    pub fn captures(&self) -> Result<Option<Vec<crate::probe::Capture>>, String> {
        let path = self.beside("responses.json");
        if !path.is_file() {
            return Ok(None);
        }
        let bytes = read(&path)?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// `NAME.dig`: dig output handed in, when there is.
    pub fn handed_in(&self) -> Result<Vec<crate::probe::HandedIn>, String> {
        let path = self.beside("dig");
        if !path.is_file() {
            return Ok(Vec::new());
        }
        let text = String::from_utf8(read(&path)?)
            .map_err(|_| format!("{} is not UTF-8", path.display()))?;
        Ok(vec![crate::probe::HandedIn {
            probe: None,
            format: crate::response::Format::Dig,
            text,
        }])
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

/// Everything a sample hands in, read.
#[derive(Clone, Debug)]
pub struct Files {
    /// The zone file.
    pub zone: Option<Vec<u8>>,
    /// The DS records.
    pub ds: Option<Vec<u8>>,
    /// The extra zones, by name.
    pub extra_zones: Vec<(String, Vec<u8>)>,
    /// Captures of a live probe.
    pub captures: Option<Vec<crate::probe::Capture>>,
    /// Responses handed in.
    pub handed_in: Vec<crate::probe::HandedIn>,
}

impl Files {
    /// The submission of these files by `learner` at `at`.
    pub fn submission<'a>(&'a self, learner: &'a str, at: i64) -> crate::grade::Submission<'a> {
        crate::grade::Submission {
            zone: self.zone.as_deref(),
            ds: self.ds.as_deref(),
            learner,
            at,
            extra_zones: &self.extra_zones,
            target: None,
            captures: self.captures.as_deref(),
            handed_in: &self.handed_in,
        }
    }
}

impl Sample {
    /// The sample as a `grader.submission.v1` message (with an empty
    /// `submission_id` and no course, for the caller to set), or `None` when
    /// it cannot travel as one: a message carries no probe that went
    /// unanswered (a timeout, a refused connection), only responses, so
    /// such a sample is graded offline only.
    pub fn message(
        &self,
        exercise: &Exercise,
    ) -> Result<Option<crate::message::SubmissionMessage>, String> {
        use crate::message::{
            Artifacts, ExerciseSelector, SubmissionMessage, TextArtifact, ZoneArtifact,
        };
        let expect = self.expectation()?;
        let files = self.files(exercise)?;
        let text = |bytes: Vec<u8>, what: &str| {
            String::from_utf8(bytes).map_err(|_| format!("{}: the {what} is not UTF-8", self.name))
        };
        let mut responses = files.handed_in;
        for c in files.captures.iter().flatten() {
            match (&c.outcome, &c.response) {
                (crate::probe::CaptureOutcome::Answered, Some(wire)) => {
                    responses.push(crate::probe::HandedIn {
                        probe: Some(c.probe.clone()),
                        format: crate::response::Format::Base64,
                        text: wire.clone(),
                    });
                }
                _ => return Ok(None),
            }
        }
        let mut extra_zones = BTreeMap::new();
        for (name, z) in files.extra_zones {
            let origin = exercise
                .def
                .inputs
                .extra_zones
                .iter()
                .find(|e| e.name == name)
                .map(|e| e.origin_for(&expect.learner));
            let text = text(z, "extra zone")?;
            extra_zones.insert(name, ZoneArtifact { origin, text });
        }
        Ok(Some(SubmissionMessage {
            submission_id: String::new(),
            exercise: ExerciseSelector {
                id: exercise.def.id.clone(),
                version: Some(exercise.def.version.clone()),
            },
            learner: expect.learner.clone(),
            course: None,
            submitted_at: expect.at.clone(),
            artifacts: Artifacts {
                zone: match files.zone {
                    Some(z) => Some(ZoneArtifact {
                        origin: Some(exercise.origin_for(&expect.learner)),
                        text: text(z, "zone")?,
                    }),
                    None => None,
                },
                ds: match files.ds {
                    Some(d) => Some(TextArtifact {
                        text: text(d, "DS file")?,
                    }),
                    None => None,
                },
                extra_zones,
                target: None,
                responses,
            },
        }))
    }

    /// Reads every file of the sample.
    pub fn files(&self, exercise: &Exercise) -> Result<Files, String> {
        Ok(Files {
            zone: self.zone()?,
            ds: self.ds()?,
            extra_zones: self.extra_zones(exercise)?,
            captures: self.captures()?,
            handed_in: self.handed_in()?,
        })
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
        let is_sample = |stem: &str| {
            !stem.contains('.') && names.iter().any(|n| *n == format!("{stem}.expect.toml"))
        };
        let probes = !self.def.probes.is_empty();
        let mut problems = Vec::new();
        let mut samples = Vec::new();
        for name in &names {
            let (stem, rest) = name.split_once('.').unwrap_or((name.as_str(), ""));
            let ok = match rest {
                "expect.toml" => {
                    let zone = format!("{stem}.zone");
                    if self.def.inputs.zone.presence == Presence::Required && !names.contains(&zone)
                    {
                        problems.push(format!(
                            "examples/{name}: no examples/{zone} beside it (this exercise \
                             needs a zone file)"
                        ));
                    }
                    samples.push(Sample {
                        name: stem.to_string(),
                        dir: examples.clone(),
                    });
                    !stem.contains('.')
                }
                "zone" => is_sample(stem) && self.def.inputs.zone.presence != Presence::None,
                "ds" => is_sample(stem) && self.def.inputs.ds != Presence::None,
                "responses.json" | "dig" => is_sample(stem) && probes,
                _ => rest.strip_suffix(".zone").is_some_and(|zone| {
                    is_sample(stem) && self.def.inputs.extra_zones.iter().any(|z| z.name == zone)
                }),
            };
            if !ok {
                problems.push(format!(
                    "examples/{name}: not a sample's file (NAME.expect.toml, and beside it \
                     NAME.zone, NAME.ds, NAME.<extra zone>.zone, NAME.responses.json or \
                     NAME.dig, as the exercise takes them)"
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort();
            return Err(problems.join("\n    "));
        }
        samples.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(samples)
    }
}
