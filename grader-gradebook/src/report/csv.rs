//! The report as CSV, for spreadsheets and LMS gradebook imports.
//!
//! One header row (`course`, `learner`, each exercise id, `total`), then one
//! row per course and learner: the points of the counted attempt of each
//! exercise (empty when it was not graded) and their sum (empty when
//! nothing was graded). Text cells that a spreadsheet would take for a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
//! get a leading `'`.

use std::borrow::Cow;

use super::model::{Outcome, Report};
use super::points;

/// The report as CSV (RFC 4180, UTF-8, `\n` line ends).
pub fn csv(report: &Report) -> Result<Vec<u8>, ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut head: Vec<Cow<str>> = vec!["course".into(), "learner".into()];
    head.extend(report.exercises.iter().map(|e| guard(&e.id)));
    head.push("total".into());
    w.write_record(head.iter().map(|c| c.as_ref()))?;
    let mut row: Vec<String> = Vec::with_capacity(head.len());
    for l in &report.learners {
        row.clear();
        row.push(guard(l.course.as_deref().unwrap_or("")).into_owned());
        row.push(guard(&l.id).into_owned());
        let mut total: Option<f64> = None;
        for c in &l.cells {
            match c {
                Some(c) if c.outcome == Outcome::Graded => match c.score {
                    Some((given, _)) => {
                        total = Some(total.unwrap_or(0.0) + given);
                        row.push(points(given));
                    }
                    None => row.push(String::new()),
                },
                _ => row.push(String::new()),
            }
        }
        row.push(total.map(points).unwrap_or_default());
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// `s`, with a leading `'` if a spreadsheet would read it as a formula.
pub(crate) fn guard(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("-1+2"), "'-1+2");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("grp7"), "grp7");
    }
}
