//! Building check results and their feedback.

use std::fmt;

use crate::types::{CheckResult, Diagnostic, Fraction, Status, Zone, ZoneRecord};
use crate::zone::ZoneExt;

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
///
/// # A cap on its size
///
/// The grader refuses a result whose feedback is larger than the exercise's
/// `limits.max_output_bytes` (64 KiB by default, for all checks together:
/// the text of every check plus 4 bytes per line named) and reports a
/// *checker error* to the instructor instead of a score. A zone with
/// thousands of faulty records must not do that, so `Feedback` keeps at most
/// [`Feedback::MAX_ENTRIES`] entries and [`Feedback::MAX_BYTES`] bytes of
/// them, each entry added cut to [`Feedback::MAX_ENTRY_BYTES`]. Past the
/// cap every entry is counted in one note, `… and K more`, except the last
/// one added, which is still shown after that note (checks usually end with
/// a summary). The lines of the entries left out are still collected, up to
/// [`Feedback::MAX_LINES`] distinct lines.
///
/// One check's feedback so stays under about 7.5 KiB, and eight checks at
/// the cap under the default 64 KiB. An exercise with more checks that may
/// all be long should lower the cap ([`Feedback::with_limits`]) or raise
/// `max_output_bytes`. A single message converted into feedback, as in
/// `CheckResult::failed(id, text)`, is kept whole up to
/// [`Feedback::MAX_BYTES`] and cut there.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// let mut fb = Feedback::new();
/// for line in 1..=3000 {
///     fb.push_line(line, "this MX record points to a CNAME");
/// }
/// fb.push_note("3000 of 3000 MX records are wrong");
/// assert_eq!(fb.len(), 3001);
/// assert_eq!(fb.entries().len(), Feedback::MAX_ENTRIES);
/// let text = fb.to_string();
/// assert!(text.ends_with("\n… and 2950 more\n3000 of 3000 MX records are wrong"));
/// assert_eq!(fb.lines().len(), Feedback::MAX_LINES);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    /// The entries shown.
    entries: Vec<String>,
    /// Bytes of `entries`, with their newlines.
    bytes: usize,
    /// Entries left out past the cap, not counting `last`.
    omitted: usize,
    /// The last entry added past the cap, shown after the note.
    last: Option<String>,
    /// The lines named, sorted, without duplicates, at most `MAX_LINES`.
    lines: Vec<u32>,
    max_entries: usize,
    max_bytes: usize,
}

impl Default for Feedback {
    fn default() -> Self {
        Feedback::with_limits(Self::MAX_ENTRIES, Self::MAX_BYTES)
    }
}

impl Feedback {
    /// The most entries shown before the rest are counted in a note.
    pub const MAX_ENTRIES: usize = 50;
    /// The most bytes of entries shown before the rest are counted in a note.
    pub const MAX_BYTES: usize = 6 * 1024;
    /// The longest entry, in bytes; a longer one is cut and ends with `…`.
    pub const MAX_ENTRY_BYTES: usize = 1024;
    /// The most distinct lines collected.
    pub const MAX_LINES: usize = 100;

    /// Empty feedback, with the default cap.
    pub fn new() -> Self {
        Self::default()
    }

    /// Empty feedback that shows at most `max_entries` entries and
    /// `max_bytes` bytes of them (entries are still cut to
    /// [`Feedback::MAX_ENTRY_BYTES`], lines to [`Feedback::MAX_LINES`]).
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// let mut fb = Feedback::with_limits(2, 1000);
    /// for n in 1..=5 {
    ///     fb.push_line(n, format!("problem {n}"));
    /// }
    /// assert_eq!(fb.to_string(), "line 1: problem 1\nline 2: problem 2\n… and 2 more\nline 5: problem 5");
    /// assert_eq!(fb.lines(), [1, 2, 3, 4, 5]);
    /// ```
    pub fn with_limits(max_entries: usize, max_bytes: usize) -> Self {
        Feedback {
            entries: Vec::new(),
            bytes: 0,
            omitted: 0,
            last: None,
            lines: Vec::new(),
            max_entries,
            max_bytes,
        }
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
        if let Err(i) = self.lines.binary_search(&line)
            && self.lines.len() < Self::MAX_LINES
        {
            self.lines.insert(i, line);
        }
        self.push_entry(format!("line {line}: {message}"))
    }

    /// In-place [`Feedback::note`].
    pub fn push_note(&mut self, message: impl fmt::Display) -> &mut Self {
        self.push_entry(message.to_string())
    }

    /// In-place [`Feedback::record`].
    pub fn push_record(&mut self, record: &ZoneRecord, message: impl fmt::Display) -> &mut Self {
        self.push_line(record.line, message)
    }

    /// In-place [`Feedback::diagnostic`].
    pub fn push_diagnostic(&mut self, diagnostic: &Diagnostic) -> &mut Self {
        self.push_line(diagnostic.line, &diagnostic.message)
    }

    fn push_entry(&mut self, mut entry: String) -> &mut Self {
        cut(&mut entry, Self::MAX_ENTRY_BYTES);
        let fits = self.last.is_none()
            && self.entries.len() < self.max_entries
            && self.bytes + entry.len() < self.max_bytes;
        if fits {
            self.bytes += entry.len() + 1;
            self.entries.push(entry);
        } else if self.last.replace(entry).is_some() {
            self.omitted += 1;
        }
        self
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of entries added, including those left out past the cap.
    pub fn len(&self) -> usize {
        self.entries.len() + self.omitted()
    }

    /// The number of entries left out of [`Feedback::entries`] past the cap
    /// (the last of them is still shown after the `… and K more` note).
    pub fn omitted(&self) -> usize {
        self.omitted + usize::from(self.last.is_some())
    }

    /// The entries shown before the cap, in the order added.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The lines named so far (also by entries left out), sorted, without
    /// duplicates.
    pub fn lines(&self) -> Vec<u32> {
        self.lines.clone()
    }

    /// The text (entries joined by newlines, then the note on those left
    /// out and the last one added) and the sorted, deduplicated lines.
    pub fn into_parts(self) -> (String, Vec<u32>) {
        (self.to_string(), self.lines)
    }
}

impl fmt::Display for Feedback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let note = (self.omitted > 0).then(|| format!("… and {} more", self.omitted));
        let all = self
            .entries
            .iter()
            .map(String::as_str)
            .chain(note.as_deref())
            .chain(self.last.as_deref());
        for (i, e) in all.enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(e)?;
        }
        Ok(())
    }
}

/// Cuts `text` to at most `max` bytes, ending with `…`, when it is longer.
fn cut(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max - '…'.len_utf8();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
}

/// Feedback of one message: what `CheckResult::failed(id, text)`
/// receives. It is kept whole up to [`Feedback::MAX_BYTES`] (not cut to
/// [`Feedback::MAX_ENTRY_BYTES`]), and cut there with `…`: a message that
/// quotes what a student's server answered (hundreds of records, say)
/// must not push the result past the grader's output limit, which would
/// make a checker error of the student's work.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// let r = CheckResult::failed("ns", "x".repeat(100_000));
/// assert!(r.feedback.len() <= Feedback::MAX_BYTES);
/// assert!(r.feedback.ends_with('…'));
/// ```
impl From<String> for Feedback {
    fn from(mut message: String) -> Self {
        cut(&mut message, Self::MAX_BYTES);
        let mut fb = Feedback::new();
        fb.bytes = message.len() + 1;
        fb.entries.push(message);
        fb
    }
}

/// As `From<String>`: one message, kept whole up to the cap.
impl From<&str> for Feedback {
    fn from(message: &str) -> Self {
        Feedback::from(message.to_string())
    }
}

/// As `From<String>`: one message, kept whole up to the cap.
impl From<&String> for Feedback {
    fn from(message: &String) -> Self {
        Feedback::from(message.clone())
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

    /// Check `id` earned `got` of `out_of` points: passed when `got` is
    /// `out_of` (or more), failed when it is 0, partial otherwise; with
    /// `feedback` in every case (on a pass, as notes).
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// let fb = || Feedback::new().line(7, "this PTR names an alias");
    /// assert_eq!(CheckResult::scored("ptr", 3, 3, Feedback::new()), CheckResult::passed("ptr"));
    /// assert_eq!(CheckResult::scored("ptr", 0, 3, fb()).status, Status::Failed);
    /// assert_eq!(CheckResult::scored("ptr", 2, 3, fb()), CheckResult::partial("ptr", 2, 3, fb()));
    /// ```
    pub fn scored(
        id: impl Into<String>,
        got: u32,
        out_of: u32,
        feedback: impl Into<Feedback>,
    ) -> Self {
        if got >= out_of {
            Self::passed(id).with_feedback(feedback)
        } else if got == 0 {
            Self::failed(id, feedback)
        } else {
            Self::partial(id, got, out_of, feedback)
        }
    }

    /// The usual check that the zone loads: passed when the zone reader
    /// found no error; otherwise failed, saying that a name server refuses
    /// such a zone and listing each error with its code.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// use grader_checker_sdk::testing;
    /// let mut zone = testing::zone("example.", &[]);
    /// assert_eq!(CheckResult::zone_loads("loads", &zone), CheckResult::passed("loads"));
    /// zone.diagnostics.push(testing::diagnostic("bad-ipv4", Severity::Error, 4, "not an IPv4 address"));
    /// let r = CheckResult::zone_loads("loads", &zone);
    /// assert_eq!(r.status, Status::Failed);
    /// assert!(r.feedback.ends_with("\nline 4: not an IPv4 address [bad-ipv4]"));
    /// ```
    pub fn zone_loads(id: impl Into<String>, zone: &Zone) -> Self {
        let errors = zone.errors();
        if errors.is_empty() {
            return Self::passed(id);
        }
        let mut fb = Feedback::new();
        fb.push_note(
            "a name server refuses to load a zone with errors, so none of it would be served:",
        );
        for d in errors {
            fb.push_line(d.line, format!("{} [{}]", d.message, d.code));
        }
        Self::failed(id, fb)
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

    #[test]
    fn cap_on_entries_bytes_and_lines() {
        let mut fb = Feedback::new();
        for i in 1..=60u32 {
            fb.push_line(i, "x".repeat(10));
        }
        assert_eq!(fb.entries().len(), 50);
        assert_eq!((fb.len(), fb.omitted()), (60, 10));
        let (text, lines) = fb.into_parts();
        assert!(
            text.ends_with("line 50: xxxxxxxxxx\n… and 9 more\nline 60: xxxxxxxxxx"),
            "{text}"
        );
        assert_eq!(lines, (1..=60).collect::<Vec<u32>>());

        // Bytes: 100 entries of 200 bytes do not fit in 6 KiB.
        let mut fb = Feedback::new();
        for _ in 0..100 {
            fb.push_note("y".repeat(200));
        }
        let text = fb.to_string();
        assert_eq!(fb.entries().len(), Feedback::MAX_BYTES / 201);
        assert!(text.len() < Feedback::MAX_BYTES + 300, "{}", text.len());

        // One long entry is cut; one message made feedback is kept whole up
        // to MAX_BYTES, then cut there.
        let fb = Feedback::new().note("é".repeat(2000));
        let text = fb.to_string();
        assert!(text.len() <= Feedback::MAX_ENTRY_BYTES && text.ends_with('…'));
        assert_eq!(Feedback::from("é".repeat(2000)).to_string().len(), 4000);
        let long = Feedback::from("é".repeat(10_000)).to_string();
        assert!(
            long.len() <= Feedback::MAX_BYTES && long.ends_with("é…"),
            "{}",
            long.len()
        );
        let mut fb = Feedback::from("x".repeat(10_000));
        fb.push_note("next");
        assert_eq!(fb.entries().len(), 1);
        assert!(fb.to_string().ends_with("x…\nnext"));

        // Exactly one entry past the cap: shown, no note.
        let mut fb = Feedback::with_limits(1, 100);
        fb.push_note("a").push_note("b");
        assert_eq!(fb.to_string(), "a\nb");
        assert!(!fb.is_empty());

        // Lines are capped, smallest kept first come first.
        let mut fb = Feedback::with_limits(0, 0);
        for l in (1..=500).rev() {
            fb.push_line(l, "z");
        }
        assert_eq!(fb.lines().len(), Feedback::MAX_LINES);
        assert_eq!(fb.lines()[0], 401);
    }

    #[test]
    fn a_capped_result_fits_the_default_output_limit() {
        // The grader's measure: id + feedback + 4 bytes per line, for all
        // checks; eight checks at the cap stay under 64 KiB.
        let mut size = 0;
        for check in 0..8 {
            let mut fb = Feedback::new();
            for i in 0..5000u32 {
                fb.push_line(i + 1, "w".repeat(300 + (i as usize % 7) * 100));
            }
            fb.push_note("s".repeat(5000));
            let r = CheckResult::failed(format!("check-{check}"), fb);
            size += r.id.len() + r.feedback.len() + 4 * r.lines.len();
        }
        assert!(size < 64 << 10, "{size}");
    }
}
