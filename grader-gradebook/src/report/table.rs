//! The report as a table for a terminal: a row per learner (with the
//! course when there are several), a column per exercise, then the mean
//! graded score and how many were graded per exercise.

use std::fmt::Write as _;

use super::model::{Cell, Outcome, Report};
use super::score;

/// The widest learner (or course) column, in characters; longer ids are
/// cut in the middle with `…`.
pub const LEARNER_WIDTH: usize = 24;

/// The widest exercise column heading, in characters.
pub const EXERCISE_WIDTH: usize = 20;

/// The report as a plain-text table (UTF-8, no colours): `14/20 (3)` is a
/// graded score after three attempts; ungraded attempts show `invalid`,
/// `checker error` or `internal error`; `-` is no attempt.
pub fn table(report: &Report) -> String {
    let with_course = report.courses() > 1;
    let mut head: Vec<String> = Vec::new();
    if with_course {
        head.push("course".into());
    }
    head.push("learner".into());
    head.extend(
        report
            .exercises
            .iter()
            .map(|e| fit(&terminal_safe(&e.id), EXERCISE_WIDTH)),
    );
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(report.learners.len() + 2);
    for l in &report.learners {
        let mut row = Vec::with_capacity(head.len());
        if with_course {
            row.push(fit(
                &terminal_safe(l.course.as_deref().unwrap_or("")),
                LEARNER_WIDTH,
            ));
        }
        row.push(fit(&terminal_safe(&l.id), LEARNER_WIDTH));
        row.extend(l.cells.iter().map(|c| cell(c.as_ref())));
        rows.push(row);
    }
    let lead = usize::from(with_course);
    let mut mean = vec![String::new(); head.len()];
    let mut graded = vec![String::new(); head.len()];
    mean[lead] = "mean".into();
    graded[lead] = "graded".into();
    for (i, e) in report.exercises.iter().enumerate() {
        mean[lead + 1 + i] = match (e.mean, e.maximum, e.mean_percent) {
            (Some(m), Some(max), _) => score(m, max),
            (_, _, Some(p)) => format!("{p:.0}%"),
            _ => "-".into(),
        };
        graded[lead + 1 + i] = format!("{} of {}", e.graded, e.learners);
    }
    let mut widths: Vec<usize> = head.iter().map(|h| width(h)).collect();
    for row in rows.iter().chain([&mean, &graded]) {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(c));
        }
    }
    let mut out = String::new();
    line(&mut out, &head, &widths);
    let rule: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    let rule = "─".repeat(rule);
    let _ = writeln!(out, "{rule}");
    for row in &rows {
        line(&mut out, row, &widths);
    }
    let _ = writeln!(out, "{rule}");
    line(&mut out, &mean, &widths);
    line(&mut out, &graded, &widths);
    let pick = match report.scope.pick {
        crate::store::Pick::Latest => "latest",
        crate::store::Pick::Best => "best",
    };
    let _ = writeln!(
        out,
        "{} learners, {} exercises; scores of the {pick} attempt, (n) = attempts",
        report.learners.len(),
        report.exercises.len()
    );
    out
}

fn cell(c: Option<&Cell>) -> String {
    let Some(c) = c else {
        return "-".into();
    };
    match (&c.outcome, c.score) {
        (Outcome::Graded, Some((given, max))) => format!("{} ({})", score(given, max), c.attempts),
        (Outcome::Graded, None) => format!("graded ({})", c.attempts),
        (o, _) => format!("{} ({})", fit(&terminal_safe(o.word()), 16), c.attempts),
    }
}

fn line(out: &mut String, cells: &[String], widths: &[usize]) {
    let mut s = String::new();
    for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            s.push_str("  ");
        }
        s.push_str(c);
        for _ in width(c)..*w {
            s.push(' ');
        }
    }
    out.push_str(s.trim_end());
    out.push('\n');
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to `max` characters with `…` in the middle when too long: the
/// start and the end stay, so ids that differ only at the end
/// (`workshop-7-learner-0012`, `workshop-7-learner-0013`) stay apart.
fn fit(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let keep = max.saturating_sub(1);
    let head = keep / 2;
    let tail = keep - head;
    let mut t: String = s.chars().take(head).collect();
    t.push('…');
    t.extend(s.chars().skip(n - tail));
    t
}

/// Learner ids and courses come from learners' platforms: control
/// characters (terminal escape sequences) and the bidirectional controls
/// that reorder what a terminal shows are shown as `�`.
pub(crate) fn terminal_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi { '\u{fffd}' } else { c }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_are_cut_and_escapes_shown() {
        assert_eq!(fit("abcdef", 4), "a…ef");
        assert_eq!(
            fit("learner-with-a-rather-long-id-0012", 24),
            "learner-wit…long-id-0012"
        );
        assert_eq!(fit("abcd", 4), "abcd");
        assert_eq!(terminal_safe("a\u{1b}[31mb"), "a\u{fffd}[31mb");
        assert_eq!(terminal_safe("ab\u{202e}cd"), "ab\u{fffd}cd");
    }
}
