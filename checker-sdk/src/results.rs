//! Building check results and their feedback.

use std::fmt;

use crate::types::{CheckResult, Diagnostic, Fraction, Status, ZoneRecord};

/// Feedback for the student: entries shown one per line, and the zone-file
/// lines they are about (which become [`CheckResult::lines`]).
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// let mut fb = Feedback::new().line(12, "ns2.example. has no address");
/// fb.push_line(7, "the SOA serial did not change");
/// fb.push_note("see RFC 1912 §2.2");
/// let r = CheckResult::failed("ns", fb);
/// assert_eq!(r.feedback,
///     "line 12: ns2.example. has no address\nline 7: the SOA serial did not change\nsee RFC 1912 §2.2");
/// assert_eq!(r.lines, [7, 12]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Feedback {
    entries: Vec<String>,
    lines: Vec<u32>,
}

impl Feedback {
    /// Empty feedback.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `line N: message` and records line `N`. Line 0 means "no line":
    /// the message is then added as a note.
    pub fn line(mut self, line: u32, message: impl fmt::Display) -> Self {
        self.push_line(line, message);
        self
    }

    /// Adds a message that names no line.
    pub fn note(mut self, message: impl fmt::Display) -> Self {
        self.push_note(message);
        self
    }

    /// Adds a message about `record`, at its line.
    pub fn record(mut self, record: &ZoneRecord, message: impl fmt::Display) -> Self {
        self.push_record(record, message);
        self
    }

    /// Adds a reader diagnostic, at its line.
    pub fn diagnostic(mut self, diagnostic: &Diagnostic) -> Self {
        self.push_diagnostic(diagnostic);
        self
    }

    /// In-place [`Feedback::line`], for loops.
    pub fn push_line(&mut self, line: u32, message: impl fmt::Display) -> &mut Self {
        if line == 0 {
            return self.push_note(message);
        }
        self.entries.push(format!("line {line}: {message}"));
        self.lines.push(line);
        self
    }

    /// In-place [`Feedback::note`].
    pub fn push_note(&mut self, message: impl fmt::Display) -> &mut Self {
        self.entries.push(message.to_string());
        self
    }

    /// In-place [`Feedback::record`].
    pub fn push_record(&mut self, record: &ZoneRecord, message: impl fmt::Display) -> &mut Self {
        self.push_line(record.line, message)
    }

    /// In-place [`Feedback::diagnostic`].
    pub fn push_diagnostic(&mut self, diagnostic: &Diagnostic) -> &mut Self {
        self.push_line(diagnostic.line, &diagnostic.message)
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries, in the order added.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The lines named so far, sorted, without duplicates.
    pub fn lines(&self) -> Vec<u32> {
        let mut lines = self.lines.clone();
        lines.sort_unstable();
        lines.dedup();
        lines
    }

    /// The text (entries joined by newlines) and the sorted, deduplicated lines.
    pub fn into_parts(self) -> (String, Vec<u32>) {
        let lines = self.lines();
        (self.entries.join("\n"), lines)
    }
}

impl fmt::Display for Feedback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(e)?;
        }
        Ok(())
    }
}

impl From<&str> for Feedback {
    fn from(message: &str) -> Self {
        Feedback::new().note(message)
    }
}

impl From<String> for Feedback {
    fn from(message: String) -> Self {
        Feedback {
            entries: vec![message],
            lines: Vec::new(),
        }
    }
}

impl From<&String> for Feedback {
    fn from(message: &String) -> Self {
        Feedback::new().note(message)
    }
}

impl CheckResult {
    fn with_status(id: impl Into<String>, status: Status, feedback: Feedback) -> Self {
        let (feedback, lines) = feedback.into_parts();
        CheckResult {
            id: id.into(),
            status,
            feedback,
            lines,
        }
    }

    /// Check `id` passed (all its points).
    pub fn passed(id: impl Into<String>) -> Self {
        Self::with_status(id, Status::Passed, Feedback::new())
    }

    /// Check `id` failed (none of its points), with feedback: a `&str`, a
    /// `String` or a [`Feedback`].
    pub fn failed(id: impl Into<String>, feedback: impl Into<Feedback>) -> Self {
        Self::with_status(id, Status::Failed, feedback.into())
    }

    /// Check `id` earned `numerator / denominator` of its points. The grader
    /// rejects a zero denominator and caps the fraction at the check's points,
    /// so pass sensible values (`0 < numerator < denominator`).
    pub fn partial(
        id: impl Into<String>,
        numerator: u32,
        denominator: u32,
        feedback: impl Into<Feedback>,
    ) -> Self {
        let status = Status::Partial(Fraction {
            numerator,
            denominator,
        });
        Self::with_status(id, status, feedback.into())
    }

    /// Check `id` was not judged, saying why (say, a prerequisite failed).
    pub fn skipped(id: impl Into<String>, why: impl Into<Feedback>) -> Self {
        Self::with_status(id, Status::Skipped, why.into())
    }

    /// Passed when `problems` is empty, otherwise failed with them as feedback.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// assert_eq!(CheckResult::passed_unless("mx", Feedback::new()), CheckResult::passed("mx"));
    /// let r = CheckResult::passed_unless("mx", Feedback::new().line(3, "MX points to a CNAME"));
    /// assert_eq!(r.status, Status::Failed);
    /// ```
    pub fn passed_unless(id: impl Into<String>, problems: Feedback) -> Self {
        if problems.is_empty() {
            Self::passed(id)
        } else {
            Self::failed(id, problems)
        }
    }

    /// Replaces the feedback and lines (say, a note on a passed check).
    pub fn with_feedback(mut self, feedback: impl Into<Feedback>) -> Self {
        let (text, lines) = feedback.into().into_parts();
        self.feedback = text;
        self.lines = lines;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{diagnostic, record};
    use crate::types::Severity;

    #[test]
    fn builders() {
        let p = CheckResult::passed("soa");
        assert_eq!(
            (p.id.as_str(), p.status, p.feedback.as_str()),
            ("soa", Status::Passed, "")
        );
        assert!(p.lines.is_empty());

        let f = CheckResult::failed(String::from("ns"), "need two NS");
        assert_eq!(
            (f.status, f.feedback.as_str()),
            (Status::Failed, "need two NS")
        );

        let h = CheckResult::partial(
            "mx",
            1,
            2,
            Feedback::new().line(4, "one of two MX is wrong"),
        );
        assert_eq!(
            h.status,
            Status::Partial(Fraction {
                numerator: 1,
                denominator: 2
            })
        );
        assert_eq!(
            (h.feedback.as_str(), h.lines.as_slice()),
            ("line 4: one of two MX is wrong", &[4][..])
        );

        let s = CheckResult::skipped("glue", format!("{} failed", "ns"));
        assert_eq!(
            (s.status, s.feedback.as_str()),
            (Status::Skipped, "ns failed")
        );

        let n = CheckResult::passed("x").with_feedback("well done");
        assert_eq!(
            (n.status, n.feedback.as_str()),
            (Status::Passed, "well done")
        );
    }

    #[test]
    fn feedback_collects_lines() {
        let r = record(9, "www.example.", "A", "192.0.2.1");
        let d = diagnostic(
            "bad-ipv4",
            Severity::Error,
            3,
            "`192.0.2.300` is not an IPv4 address",
        );
        let mut fb = Feedback::new()
            .record(&r, "no AAAA beside this A")
            .diagnostic(&d);
        fb.push_line(9, "again")
            .push_line(0, "no line")
            .push_note("a note");
        assert_eq!(fb.len(), 5);
        assert_eq!(fb.lines(), [3, 9]);
        assert_eq!(
            fb.to_string(),
            "line 9: no AAAA beside this A\nline 3: `192.0.2.300` is not an IPv4 address\nline 9: again\nno line\na note"
        );
        let (text, lines) = fb.clone().into_parts();
        assert_eq!(text, fb.to_string());
        assert_eq!(lines, [3, 9]);
        assert!(Feedback::new().is_empty());
        assert_eq!(Feedback::from("x").entries(), ["x"]);
    }
}
