//! Reports over the gradebook: learners × exercises.
//!
//! [`Report::build`] reads the attempts that count (the latest or the
//! best of each learner, [`crate::Gradebook::attempts`]) once, and computes
//! each exercise's statistics; the renderers write it out:
//!
//! - [`table`]: a table for a terminal, learners by exercises, with the
//!   mean and the number graded per exercise;
//! - [`csv`]: one row per learner for spreadsheets and LMS gradebooks;
//! - [`html`]: one self-contained page (inline SVG charts, no script, no
//!   network) with, per exercise, the score distribution, each check's
//!   pass rate and the most common failing feedback lines, then each
//!   learner's full feedback.
//!
//! Every output is deterministic: the same attempts give the same bytes.

mod csv;
mod html;
mod model;
mod svg;
mod table;

pub(crate) use table::terminal_safe;

pub use self::csv::csv;
pub use self::html::{anchor, html};
pub use self::model::{
    Bin, Cell, CheckStats, ExerciseStats, FailingLine, Learner, MAX_POINT_BINS, Outcome, Report,
    Scope, TOP_FAILING, histogram, normalise, ratio,
};
pub use self::table::table;

/// A number of points as people write it: `14`, `14.5`, `2.33`.
pub fn points(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let rounded = (x * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        let s = format!("{rounded:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `given/maximum` (`14/20`).
pub fn score(given: f64, maximum: f64) -> String {
    format!("{}/{}", points(given), points(maximum))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_short() {
        assert_eq!(points(14.0), "14");
        assert_eq!(points(14.5), "14.5");
        assert_eq!(points(7.0 / 3.0), "2.33");
        assert_eq!(points(0.0), "0");
        assert_eq!(score(2.5, 20.0), "2.5/20");
    }
}
