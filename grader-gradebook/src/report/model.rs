//! The report's data: one row per learner (and course) with a cell per
//! exercise, and per exercise the statistics the HTML report draws: the
//! score distribution, each check's statuses and the most common failing
//! feedback lines.
//!
//! Each result is parsed once, here; the renderers only read.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use grader_core::message::ResultBody;

use crate::store::{Attempt, Error, Pick};

/// How many failing feedback lines an exercise lists.
pub const TOP_FAILING: usize = 10;

/// The highest maximum score drawn with one histogram bar per point; above
/// it (or with fractional points, or maxima that differ) the bars are tenths
/// of the maximum.
pub const MAX_POINT_BINS: f64 = 30.0;

/// What a report covers, for its heading.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Where the results come from: the gradebook's location (passwords
    /// hidden) or the results file.
    pub source: String,
    /// Only this course.
    pub course: Option<String>,
    /// Only this exercise.
    pub exercise: Option<String>,
    /// Which attempt of each learner counts.
    pub pick: Pick,
    /// Remarks shown under the heading (results skipped while reading).
    pub notes: Vec<String>,
}

/// How a learner's counted attempt ended.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Graded: there is a score.
    Graded,
    /// Not gradable as handed in (no zone, another origin, ...).
    InvalidSubmission,
    /// The exercise's checker failed: an instructor must look.
    CheckerError,
    /// The grader failed (platform input, not the learner's fault).
    InternalError,
    /// An outcome this version does not know.
    Other(String),
}

impl Outcome {
    /// The outcome named `s` in a result.
    pub fn of(s: &str) -> Outcome {
        match s {
            "graded" => Outcome::Graded,
            "invalid_submission" => Outcome::InvalidSubmission,
            "checker_error" => Outcome::CheckerError,
            "internal_error" => Outcome::InternalError,
            other => Outcome::Other(other.to_string()),
        }
    }

    /// The short word a table cell shows: `graded`, `invalid`, `checker
    /// error`, `internal error`, or the outcome as written.
    pub fn word(&self) -> &str {
        match self {
            Outcome::Graded => "graded",
            Outcome::InvalidSubmission => "invalid",
            Outcome::CheckerError => "checker error",
            Outcome::InternalError => "internal error",
            Outcome::Other(s) => s,
        }
    }
}

/// The attempt of a learner that counts for one exercise.
#[derive(Clone, Debug)]
pub struct Cell {
    /// How many times the learner submitted the exercise.
    pub attempts: i64,
    /// How the counted attempt ended.
    pub outcome: Outcome,
    /// Points given and possible, when graded.
    pub score: Option<(f64, f64)>,
    /// The counted submission.
    pub submission_id: String,
    /// The exercise version that graded it.
    pub exercise_version: String,
    /// When it was submitted (RFC 3339).
    pub submitted_at: String,
    /// The result, read.
    pub result: ResultBody,
}

impl Cell {
    /// The score as a fraction of the maximum (0 to 1), when graded.
    pub fn ratio(&self) -> Option<f64> {
        self.score.map(|(given, max)| ratio(given, max))
    }
}

/// One learner of one course, with a cell per exercise.
#[derive(Clone, Debug)]
pub struct Learner {
    /// The course (`None` for results without one).
    pub course: Option<String>,
    /// The learner id.
    pub id: String,
    /// One per exercise of the report, in the order of
    /// [`Report::exercises`]; `None` where the learner has no attempt.
    pub cells: Vec<Option<Cell>>,
}

/// One bar of a score histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    /// What the bar counts: a score (`14`) or a range of percentages
    /// (`90–100%`).
    pub label: String,
    /// How many learners.
    pub count: usize,
}

/// How one check of an exercise went across the graded learners.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckStats {
    /// The rubric id.
    pub id: String,
    /// What it checks.
    pub title: String,
    /// `visible`, `hidden` or `after_due_date`.
    pub visibility: String,
    /// Learners who passed it.
    pub passed: usize,
    /// Learners with part of the points.
    pub partial: usize,
    /// Learners who failed it.
    pub failed: usize,
    /// Learners for whom it was skipped.
    pub skipped: usize,
}

impl CheckStats {
    /// How many graded learners have the check.
    pub fn total(&self) -> usize {
        self.passed + self.partial + self.failed + self.skipped
    }

    /// Whether learners do not see it (hidden, or until the due date).
    pub fn hidden(&self) -> bool {
        self.visibility != "visible"
    }
}

/// A feedback line of a failed or partial check that several learners got
/// (lines that end with `:` introduce the next ones, and are not counted).
#[derive(Clone, Debug, PartialEq)]
pub struct FailingLine {
    /// The check it comes from.
    pub check: String,
    /// The line, normalised (see [`normalise`]).
    pub line: String,
    /// The learners who got it: indices into [`Report::learners`], in order.
    pub learners: Vec<usize>,
}

/// The statistics of one exercise.
#[derive(Clone, Debug)]
pub struct ExerciseStats {
    /// The exercise id.
    pub id: String,
    /// The exercise versions of the counted attempts, sorted.
    pub versions: Vec<String>,
    /// Learners with an attempt.
    pub learners: usize,
    /// Of them, graded.
    pub graded: usize,
    /// Invalid submissions.
    pub invalid: usize,
    /// Checker errors.
    pub checker_error: usize,
    /// Internal errors.
    pub internal_error: usize,
    /// Other outcomes.
    pub other: usize,
    /// The mean of the points given, over the graded attempts.
    pub mean: Option<f64>,
    /// The mean of the scores as percentages of their maxima.
    pub mean_percent: Option<f64>,
    /// The maximum score, when every graded attempt has the same.
    pub maximum: Option<f64>,
    /// The score distribution of the graded attempts (empty without any).
    pub histogram: Vec<Bin>,
    /// Every check, in rubric order.
    pub checks: Vec<CheckStats>,
    /// The most common failing feedback lines (at most [`TOP_FAILING`]),
    /// most learners first.
    pub failing: Vec<FailingLine>,
}

/// A report: learners × exercises, with each exercise's statistics.
#[derive(Clone, Debug)]
pub struct Report {
    /// What it covers.
    pub scope: Scope,
    /// The exercises, by id.
    pub exercises: Vec<ExerciseStats>,
    /// The learners, by course (none first) then id.
    pub learners: Vec<Learner>,
    /// How many attempts (learner × exercise) it counts.
    pub attempts: usize,
}

impl Report {
    /// Builds the report of `attempts` (one per course, exercise and
    /// learner, as [`crate::Gradebook::attempts`] gives them), parsing each
    /// result once; `each` is called after each attempt (for a progress
    /// bar).
    pub fn build(
        scope: Scope,
        attempts: Vec<Attempt>,
        each: &mut dyn FnMut(),
    ) -> Result<Report, Error> {
        let exercise_ids: Vec<String> = attempts
            .iter()
            .map(|a| a.exercise.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let column: HashMap<&str, usize> = exercise_ids
            .iter()
            .enumerate()
            .map(|(i, e)| (e.as_str(), i))
            .collect();
        let count = attempts.len();
        let mut rows: BTreeMap<(Option<String>, String), Vec<Option<Cell>>> = BTreeMap::new();
        for a in attempts {
            let result: ResultBody =
                serde_json::from_str(&a.result).map_err(|e| Error::Invalid {
                    what: format!("the result of submission `{}`", a.submission_id),
                    why: format!("not a grader result: {e}"),
                })?;
            let i = column.get(a.exercise.as_str()).copied().unwrap_or(0);
            let cells = rows
                .entry((a.course, a.learner))
                .or_insert_with(|| vec![None; exercise_ids.len()]);
            if cells[i].is_none() {
                cells[i] = Some(Cell {
                    attempts: a.attempts,
                    outcome: Outcome::of(&a.outcome),
                    score: a.score,
                    submission_id: a.submission_id,
                    exercise_version: a.exercise_version,
                    submitted_at: a.submitted_at,
                    result,
                });
            }
            each();
        }
        let learners: Vec<Learner> = rows
            .into_iter()
            .map(|((course, id), cells)| Learner { course, id, cells })
            .collect();
        let exercises = exercise_ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| stats(id, i, &learners))
            .collect();
        Ok(Report {
            scope,
            exercises,
            learners,
            attempts: count,
        })
    }

    /// How many distinct courses the learners are in (no course counts as
    /// one).
    pub fn courses(&self) -> usize {
        let mut n = 0;
        let mut last: Option<&Option<String>> = None;
        for l in &self.learners {
            if last != Some(&l.course) {
                n += 1;
                last = Some(&l.course);
            }
        }
        n
    }
}

/// `given / max`, clamped to 0..=1 (a maximum of zero counts as full marks).
pub fn ratio(given: f64, max: f64) -> f64 {
    if max > 0.0 {
        (given / max).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

fn stats(id: String, column: usize, learners: &[Learner]) -> ExerciseStats {
    let mut s = ExerciseStats {
        id,
        versions: Vec::new(),
        learners: 0,
        graded: 0,
        invalid: 0,
        checker_error: 0,
        internal_error: 0,
        other: 0,
        mean: None,
        mean_percent: None,
        maximum: None,
        histogram: Vec::new(),
        checks: Vec::new(),
        failing: Vec::new(),
    };
    let mut versions = BTreeSet::new();
    let mut scores = Vec::new();
    let mut check_index: HashMap<&str, usize> = HashMap::new();
    let mut lines: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    let mut mine: Vec<(usize, String)> = Vec::new();
    for (li, learner) in learners.iter().enumerate() {
        let Some(cell) = &learner.cells[column] else {
            continue;
        };
        s.learners += 1;
        versions.insert(cell.exercise_version.as_str());
        match cell.outcome {
            Outcome::Graded => s.graded += 1,
            Outcome::InvalidSubmission => s.invalid += 1,
            Outcome::CheckerError => s.checker_error += 1,
            Outcome::InternalError => s.internal_error += 1,
            Outcome::Other(_) => s.other += 1,
        }
        if cell.outcome != Outcome::Graded {
            continue;
        }
        if let Some(score) = cell.score {
            scores.push(score);
        }
        mine.clear();
        for check in &cell.result.checks {
            let ci = *check_index.entry(check.id.as_str()).or_insert_with(|| {
                s.checks.push(CheckStats {
                    id: check.id.clone(),
                    title: check.title.clone(),
                    visibility: check.visibility.clone().unwrap_or_else(|| "visible".into()),
                    passed: 0,
                    partial: 0,
                    failed: 0,
                    skipped: 0,
                });
                s.checks.len() - 1
            });
            let c = &mut s.checks[ci];
            match check.status.as_str() {
                "passed" => c.passed += 1,
                "partial" => c.partial += 1,
                "skipped" => c.skipped += 1,
                _ => c.failed += 1,
            }
            if check.status == "failed" || check.status == "partial" {
                for line in check.feedback.lines() {
                    let n = normalise(line, &learner.id);
                    // A line ending with `:` introduces the next ones
                    // ("a name server refuses to load a zone with errors:").
                    if !n.is_empty() && !n.ends_with(':') {
                        mine.push((ci, n));
                    }
                }
            }
        }
        // Each learner counts once per line.
        mine.sort();
        mine.dedup();
        for key in mine.drain(..) {
            lines.entry(key).or_default().push(li);
        }
    }
    s.versions = versions.into_iter().map(str::to_string).collect();
    if !scores.is_empty() {
        let n = scores.len() as f64;
        s.mean = Some(scores.iter().map(|s| s.0).sum::<f64>() / n);
        s.mean_percent = Some(scores.iter().map(|s| ratio(s.0, s.1)).sum::<f64>() / n * 100.0);
        let first = scores[0].1;
        s.maximum = scores.iter().all(|s| s.1 == first).then_some(first);
        s.histogram = histogram(&scores, s.maximum);
    }
    let mut failing: Vec<((usize, String), Vec<usize>)> = lines.into_iter().collect();
    failing.sort_by(|a, b| (Reverse(a.1.len()), &a.0).cmp(&(Reverse(b.1.len()), &b.0)));
    s.failing = failing
        .into_iter()
        .take(TOP_FAILING)
        .map(|((ci, line), learners)| FailingLine {
            check: s.checks[ci].id.clone(),
            line,
            learners,
        })
        .collect();
    s
}

/// The bars of a score distribution: one per point from 0 to the maximum
/// when every score is out of the same whole maximum (at most
/// [`MAX_POINT_BINS`]), bar `k` counting the scores from `k` to under
/// `k + 1`; else ten bars of tenths of the maximum.
pub fn histogram(scores: &[(f64, f64)], maximum: Option<f64>) -> Vec<Bin> {
    if let Some(max) = maximum
        && (1.0..=MAX_POINT_BINS).contains(&max)
        && max.fract() == 0.0
        && scores.iter().all(|s| (0.0..=max).contains(&s.0))
    {
        let mut bins: Vec<Bin> = (0..=max as usize)
            .map(|p| Bin {
                label: p.to_string(),
                count: 0,
            })
            .collect();
        for s in scores {
            bins[s.0.floor() as usize].count += 1;
        }
        return bins;
    }
    let mut bins: Vec<Bin> = (0..10)
        .map(|t| Bin {
            label: if t == 9 {
                "90–100%".to_string()
            } else {
                format!("{}–{}%", t * 10, t * 10 + 9)
            },
            count: 0,
        })
        .collect();
    for s in scores {
        let tenth = ((ratio(s.0, s.1) * 10.0).floor() as usize).min(9);
        bins[tenth].count += 1;
    }
    bins
}

/// A feedback line as counted across learners: trimmed, without a leading
/// `line N: ` (or `lines N, M: `), and with the learner's id (as a whole
/// word, as in the zone name `ns1.grp7.lab.example.`) replaced by
/// `{learner}`.
pub fn normalise(line: &str, learner: &str) -> String {
    let line = strip_line_number(line.trim());
    replace_word(line, learner, "{learner}")
}

fn strip_line_number(s: &str) -> &str {
    let Some(rest) = s.strip_prefix("line ").or_else(|| s.strip_prefix("lines ")) else {
        return s;
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == ' ' || c == '-'))
        .unwrap_or(rest.len());
    let numbers = &rest[..end];
    if numbers.starts_with(|c: char| c.is_ascii_digit()) && rest[end..].starts_with(':') {
        rest[end + 1..].trim_start()
    } else {
        s
    }
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// `text` with each whole-word occurrence of `word` replaced.
fn replace_word(text: &str, word: &str, by: &str) -> String {
    if word.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut before: Option<char> = None;
    while let Some(at) = rest.find(word) {
        let prev = rest[..at].chars().next_back().or(before);
        let next = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if prev.is_some_and(word_char) || next.is_some_and(word_char) {
            out.push_str(word);
        } else {
            out.push_str(by);
        }
        before = word.chars().next_back();
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_normalised() {
        assert_eq!(
            normalise(
                "line 4: the name server `ns1.grp7.lab.example.` has no address",
                "grp7"
            ),
            "the name server `ns1.{learner}.lab.example.` has no address"
        );
        assert_eq!(normalise("lines 4, 5: x grp7", "grp7"), "x {learner}");
        assert_eq!(
            normalise("  grp70 grp7-x grp7.", "grp7"),
            "grp70 grp7-x {learner}."
        );
        assert_eq!(normalise("line 4 of the zone", "a"), "line 4 of the zone");
        assert_eq!(normalise("line x: y", "a"), "line x: y");
        assert_eq!(normalise("grp7grp7 grp7", "grp7"), "grp7grp7 {learner}");
    }

    #[test]
    fn histograms_are_per_point_or_per_tenth() {
        let bins = histogram(&[(0.0, 4.0), (4.0, 4.0), (4.0, 4.0)], Some(4.0));
        let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 0, 0, 0, 2]);
        let bins = histogram(&[(0.5, 4.0), (3.5, 4.0)], Some(4.0));
        let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 0, 0, 1, 0]);
        let bins = histogram(&[(0.5, 4.0), (10.0, 40.0), (40.0, 40.0)], None);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins[1].count, 1);
        assert_eq!(bins[2].count, 1);
        assert_eq!(bins[9].count, 1);
        assert_eq!(bins[9].label, "90–100%");
    }
}
