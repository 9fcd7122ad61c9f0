//! What a regrade changes: per submission, the score and outcome before
//! and after, and each check whose status or points moved; per check, how
//! many learners moved which way. A score that goes down is flagged: a
//! regrade must never lower a grade silently.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use grader_core::message::{ResultBody, ResultCheck};
use serde::Serialize;

use crate::report::terminal_safe;

/// One side of a change: a result's outcome and score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Side {
    /// The outcome.
    pub outcome: String,
    /// Points given and possible, when graded.
    pub score: Option<(f64, f64)>,
}

impl Side {
    /// The outcome and score of a result.
    pub fn of(r: &ResultBody) -> Side {
        Side {
            outcome: r.outcome.clone(),
            score: r
                .score
                .as_ref()
                .filter(|_| r.is_graded())
                .map(|s| (s.given, s.maximum)),
        }
    }

    /// `12/16`, or the outcome when not graded.
    pub fn describe(&self) -> String {
        match self.score {
            Some((given, max)) => format!("{}/{}", points(given), points(max)),
            None => self.outcome.replace('_', " "),
        }
    }
}

/// A check's status and points in one result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckSide {
    /// `passed`, `failed`, `partial` or `skipped`.
    pub status: String,
    /// Points given.
    pub points: f64,
    /// Points possible.
    pub max_points: f64,
}

/// One check that changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckChange {
    /// The rubric id.
    pub id: String,
    /// Its title (the new one when both have it).
    pub title: String,
    /// Before (absent: the check is new, or the result was not graded).
    pub before: Option<CheckSide>,
    /// After (absent: the check was removed, or the result is not graded).
    pub after: Option<CheckSide>,
}

impl CheckChange {
    /// Whether the learner is worse off on this check: fewer points, or a
    /// smaller share of a check whose worth changed.
    pub fn is_drop(&self) -> bool {
        self.movement() == std::cmp::Ordering::Less
    }

    /// How the learner moved on this check (an absent check counts as no
    /// points).
    fn movement(&self) -> std::cmp::Ordering {
        let p = |s: &Option<CheckSide>| s.as_ref().map_or((0.0, 0.0), |s| (s.points, s.max_points));
        compare(p(&self.before), p(&self.after))
    }
}

/// How a score moved from `before` to `after` (points given, possible):
/// by points when the maximum is the same, by share of the maximum when it
/// changed (18/20 to 18/30 is a drop, 20/20 to 18/18 is not).
pub fn compare(before: (f64, f64), after: (f64, f64)) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (b, a) = if (before.1 - after.1).abs() < 1e-9 || before.1 <= 0.0 || after.1 <= 0.0 {
        (before.0, after.0)
    } else {
        (before.0 / before.1, after.0 / after.1)
    };
    if a < b - 1e-9 {
        Ordering::Less
    } else if a > b + 1e-9 {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// What a regrade changes for one submission.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The submission.
    pub submission_id: String,
    /// The learner.
    pub learner: String,
    /// The course, if any.
    pub course: Option<String>,
    /// When it was submitted.
    pub submitted_at: String,
    /// Whether it is the learner's latest submission of the exercise.
    pub latest: bool,
    /// The current result.
    pub before: Side,
    /// The regraded result.
    pub after: Side,
    /// Checks whose status or points changed, in rubric order.
    pub checks: Vec<CheckChange>,
    /// Whether anything but points moved (feedback, messages): the result
    /// differs even when `checks` is empty.
    pub changed: bool,
}

impl Change {
    /// Compares a current result with its regrade.
    pub fn of(before: &ResultBody, after: &ResultBody, latest: bool, changed: bool) -> Change {
        Change {
            submission_id: after.submission_id.clone(),
            learner: after.learner.clone().unwrap_or_default(),
            course: after.course.clone(),
            submitted_at: after.graded_at.clone().unwrap_or_default(),
            latest,
            before: Side::of(before),
            after: Side::of(after),
            checks: check_changes(before, after),
            changed,
        }
    }

    /// The score difference (after − before) when both are graded.
    pub fn delta(&self) -> Option<f64> {
        Some(self.after.score?.0 - self.before.score?.0)
    }

    /// Whether the learner loses: fewer points (a smaller share of the
    /// maximum when the maximum changed), or a graded result that is no
    /// longer graded.
    pub fn is_drop(&self) -> bool {
        match (self.before.score, self.after.score) {
            (Some(b), Some(a)) => compare(b, a) == std::cmp::Ordering::Less,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// Whether the learner gains.
    pub fn is_rise(&self) -> bool {
        match (self.before.score, self.after.score) {
            (Some(b), Some(a)) => compare(b, a) == std::cmp::Ordering::Greater,
            (None, Some(_)) => true,
            _ => false,
        }
    }
}

fn check_changes(before: &ResultBody, after: &ResultBody) -> Vec<CheckChange> {
    let side = |c: &ResultCheck| CheckSide {
        status: c.status.clone(),
        points: c.points,
        max_points: c.max_points,
    };
    let old: BTreeMap<&str, &ResultCheck> =
        before.checks.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut out = Vec::new();
    for c in &after.checks {
        let b = old.get(c.id.as_str()).map(|b| side(b));
        let a = Some(side(c));
        if b != a {
            out.push(CheckChange {
                id: c.id.clone(),
                title: c.title.clone(),
                before: b,
                after: a,
            });
        }
    }
    let new: BTreeMap<&str, ()> = after.checks.iter().map(|c| (c.id.as_str(), ())).collect();
    for c in &before.checks {
        if !new.contains_key(c.id.as_str()) {
            out.push(CheckChange {
                id: c.id.clone(),
                title: c.title.clone(),
                before: Some(side(c)),
                after: None,
            });
        }
    }
    out
}

/// A submission the regrade could not grade again, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotRegraded {
    /// The submission.
    pub submission_id: String,
    /// The learner.
    pub learner: String,
    /// Why.
    pub why: String,
}

/// How many learners moved which way on one check.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CheckTally {
    /// The check's title.
    pub title: String,
    /// Submissions that gained points on it.
    pub up: u64,
    /// Submissions that lost points on it.
    pub down: u64,
    /// Submissions whose status changed with the same points.
    pub other: u64,
}

/// The whole comparison of a regrade.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Diff {
    /// The exercise.
    pub exercise: String,
    /// Submissions graded again.
    pub regraded: u64,
    /// Submissions whose result is the same.
    pub unchanged: u64,
    /// Submissions whose result changed, oldest first.
    pub changes: Vec<Change>,
    /// Submissions that could not be graded again.
    pub not_regraded: Vec<NotRegraded>,
}

impl Diff {
    /// Changes whose score goes down.
    pub fn drops(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.is_drop())
    }

    /// Per check, how many submissions moved which way, by check id.
    pub fn by_check(&self) -> BTreeMap<String, CheckTally> {
        let mut out: BTreeMap<String, CheckTally> = BTreeMap::new();
        for change in &self.changes {
            for c in &change.checks {
                let t = out.entry(c.id.clone()).or_default();
                t.title.clone_from(&c.title);
                match c.movement() {
                    std::cmp::Ordering::Greater => t.up += 1,
                    std::cmp::Ordering::Less => t.down += 1,
                    std::cmp::Ordering::Equal => t.other += 1,
                }
            }
        }
        out
    }

    /// The report for a terminal: a summary, the checks that moved, then
    /// each learner's changed submissions with their checks; drops are
    /// flagged `DOWN`.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let drops = self.drops().count();
        let rises = self.changes.iter().filter(|c| c.is_rise()).count();
        let _ = writeln!(
            s,
            "{}: {} submission{} regraded: {} unchanged, {} changed ({} up, {} DOWN, {} other)",
            self.exercise,
            self.regraded,
            plural(self.regraded),
            self.unchanged,
            self.changes.len(),
            rises,
            drops,
            self.changes.len() - rises - drops,
        );
        if !self.not_regraded.is_empty() {
            let _ = writeln!(s, "{} not regraded:", self.not_regraded.len());
            for n in &self.not_regraded {
                let _ = writeln!(
                    s,
                    "  {} ({}): {}",
                    terminal_safe(&n.submission_id),
                    terminal_safe(&n.learner),
                    n.why
                );
            }
        }
        let by_check = self.by_check();
        if !by_check.is_empty() {
            let _ = writeln!(s, "\nchecks that changed:");
            for (id, t) in &by_check {
                let _ = writeln!(
                    s,
                    "  {id:<20} {} up, {} down{}{}",
                    t.up,
                    t.down,
                    if t.other > 0 {
                        format!(", {} other", t.other)
                    } else {
                        String::new()
                    },
                    if t.down > 0 { "  DOWN" } else { "" }
                );
            }
        }
        if self.changes.is_empty() {
            return s;
        }
        let _ = writeln!(s, "\nper learner:");
        let mut order: Vec<&Change> = self.changes.iter().collect();
        order.sort_by(|a, b| {
            (&a.course, &a.learner, &a.submitted_at, &a.submission_id).cmp(&(
                &b.course,
                &b.learner,
                &b.submitted_at,
                &b.submission_id,
            ))
        });
        for c in order {
            let flag = if c.is_drop() {
                "  DOWN"
            } else if c.is_rise() {
                "  up"
            } else {
                ""
            };
            let delta = match c.delta() {
                Some(d) if d.abs() > 1e-9 => {
                    format!(" ({}{})", if d > 0.0 { "+" } else { "" }, points(d))
                }
                _ => String::new(),
            };
            let course = c
                .course
                .as_deref()
                .map(|c| format!(" [{}]", terminal_safe(c)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  {}{course}  {} {}{}: {} -> {}{delta}{flag}",
                terminal_safe(&c.learner),
                terminal_safe(&c.submission_id),
                c.submitted_at,
                if c.latest { " (latest)" } else { "" },
                c.before.describe(),
                c.after.describe(),
            );
            for k in &c.checks {
                let side = |s: &Option<CheckSide>| match s {
                    Some(s) => {
                        format!("{} {}/{}", s.status, points(s.points), points(s.max_points))
                    }
                    None => "absent".to_string(),
                };
                let _ = writeln!(
                    s,
                    "      {:<20} {} -> {}{}",
                    k.id,
                    side(&k.before),
                    side(&k.after),
                    if k.is_drop() { "  DOWN" } else { "" }
                );
            }
            if c.checks.is_empty() && c.before == c.after {
                let _ = writeln!(s, "      (same score; feedback or messages changed)");
            }
        }
        s
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Points as the results show them: no `.0` for whole numbers.
pub fn points(p: f64) -> String {
    let r = (p * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(score: f64, checks: &[(&str, &str, f64)]) -> ResultBody {
        serde_json::from_value(serde_json::json!({
            "submission_id": "s-1",
            "outcome": "graded",
            "learner": "alice",
            "graded_at": "2026-11-29T10:00:00Z",
            "score": {"given": score, "maximum": 10},
            "checks": checks.iter().map(|(id, status, points)| serde_json::json!({
                "id": id, "title": id, "status": status, "points": points, "max_points": 5,
            })).collect::<Vec<_>>(),
        }))
        .expect("a result")
    }

    #[test]
    fn a_lower_score_is_a_drop_with_its_check() {
        let before = result(10.0, &[("glue", "passed", 5.0), ("soa", "passed", 5.0)]);
        let after = result(5.0, &[("glue", "failed", 0.0), ("soa", "passed", 5.0)]);
        let c = Change::of(&before, &after, true, true);
        assert!(c.is_drop());
        assert_eq!(c.delta(), Some(-5.0));
        assert_eq!(c.checks.len(), 1);
        assert_eq!(c.checks[0].id, "glue");
        assert!(c.checks[0].is_drop());
        let diff = Diff {
            exercise: "zone-basics".into(),
            regraded: 1,
            changes: vec![c],
            ..Diff::default()
        };
        let text = diff.render();
        assert!(text.contains("1 changed (0 up, 1 DOWN, 0 other)"), "{text}");
        assert!(
            text.contains("alice  s-1 2026-11-29T10:00:00Z (latest): 10/10 -> 5/10 (-5)  DOWN"),
            "{text}"
        );
        assert!(
            text.contains("glue                 passed 5/5 -> failed 0/5  DOWN"),
            "{text}"
        );
        assert_eq!(diff.by_check()["glue"].down, 1);
    }

    #[test]
    fn removed_and_added_checks_are_listed() {
        let before = result(5.0, &[("old", "passed", 5.0)]);
        let after = result(5.0, &[("new", "passed", 5.0)]);
        let c = Change::of(&before, &after, false, true);
        assert!(!c.is_drop() && !c.is_rise());
        let ids: Vec<_> = c
            .checks
            .iter()
            .map(|k| (k.id.as_str(), k.before.is_some(), k.after.is_some()))
            .collect();
        assert_eq!(ids, [("new", false, true), ("old", true, false)]);
    }

    #[test]
    fn a_changed_maximum_is_judged_by_share() {
        use std::cmp::Ordering;
        assert_eq!(compare((18.0, 20.0), (18.0, 30.0)), Ordering::Less);
        assert_eq!(compare((20.0, 20.0), (18.0, 18.0)), Ordering::Equal);
        assert_eq!(compare((18.0, 20.0), (17.0, 20.0)), Ordering::Less);
        assert_eq!(compare((10.0, 20.0), (12.0, 22.0)), Ordering::Greater);
    }

    #[test]
    fn losing_the_grade_is_a_drop() {
        let before = result(5.0, &[]);
        let mut after = result(0.0, &[]);
        after.outcome = "checker_error".into();
        let c = Change::of(&before, &after, true, true);
        assert!(c.is_drop());
        assert_eq!(c.after.describe(), "checker error");
    }
}
