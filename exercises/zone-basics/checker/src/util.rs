//! Small helpers on names and feedback shared by the checks.
//!
//! The same file is copied into each checker of this course; not every
//! checker uses every helper.
#![allow(dead_code)]

use grader_checker_sdk::names::{labels, relative_to};
use grader_checker_sdk::prelude::*;

/// The most entries one check lists before summarising the rest.
pub const MAX_ENTRIES: usize = 12;

/// The most records of one RRset (MX, NS) a check examines one by one with
/// look-ups in the zone: a student zone has a handful, and a limit keeps a
/// generated zone with thousands of them within the fuel budget.
pub const MAX_EXAMINED: usize = 64;

/// When `name` ends with the zone's origin twice (`mail.grp7.lab.example.`
/// written without its trailing dot inside `grp7.lab.example.`), the text the
/// student most likely wrote (`mail.grp7.lab.example`).
pub fn doubled_origin(name: &str, origin: &str) -> Option<String> {
    let o = labels(origin);
    if o.is_empty() {
        return None;
    }
    let n = labels(name);
    let start = n.len().checked_sub(2 * o.len())?;
    let tail = n.get(start..)?;
    let (first, second) = tail.split_at(o.len());
    if first == o.as_slice() && second == o.as_slice() {
        relative_to(name, origin).map(str::to_string)
    } else {
        None
    }
}

/// The explanation for a name that ends with the origin twice.
pub fn dot_advice(name: &str, origin: &str) -> Option<String> {
    doubled_origin(name, origin).map(|written| {
        format!(
            "`{name}` ends in your zone name twice: `{written}` needs a trailing dot \
             (`{written}.`), or write it relative (without the zone name); without the dot \
             the origin is appended to it"
        )
    })
}

/// When a name is really an IP address written where a host name belongs
/// (`192.0.2.25.` or, without the dot, `192.0.2.25.grp7.lab.example.`), the
/// address as written.
pub fn address_in_name(name: &str) -> Option<String> {
    let ls = labels(name);
    let first = ls.first()?;
    if first.contains(&b':') {
        return Some(String::from_utf8_lossy(first).into_owned());
    }
    let four = ls.get(..4)?;
    let numeric = four
        .iter()
        .all(|l| !l.is_empty() && l.len() <= 3 && l.iter().all(u8::is_ascii_digit));
    numeric.then(|| {
        four.iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect::<Vec<_>>()
            .join(".")
    })
}

/// `name` relative to the zone, for messages (`www`, `@` for the apex), or
/// the absolute name when it lies outside the zone.
pub fn short(name: &str, origin: &str) -> String {
    match relative_to(name, origin) {
        Some("") => "@ (the apex)".to_string(),
        Some(rel) => rel.to_string(),
        None => name.to_string(),
    }
}

/// The absolute name of `label` under `origin`.
pub fn child(label: &str, origin: &str) -> String {
    let label = label.trim_end_matches('.');
    if label.is_empty() || label == "@" {
        return origin.to_string();
    }
    if origin == "." {
        format!("{label}.")
    } else {
        format!("{label}.{origin}")
    }
}

/// Adds `entries` (line, message) to `fb`, at most [`MAX_ENTRIES`] of them.
pub fn push_capped(fb: &mut Feedback, entries: &[(u32, String)]) {
    for (line, msg) in entries.iter().take(MAX_ENTRIES) {
        fb.push_line(*line, msg);
    }
    if entries.len() > MAX_ENTRIES {
        fb.push_note(format!(
            "... and {} more like these",
            entries.len() - MAX_ENTRIES
        ));
    }
}

/// The records of a few names (MX or NS targets), gathered in one pass
/// over the zone: the SDK's look-ups scan the whole zone on each call,
/// which for a zone of many records and many targets costs too much fuel.
pub struct NameIndex<'a> {
    /// Names without escapes, lower case, no trailing dot, sorted.
    plain: Vec<(String, Vec<&'a ZoneRecord>)>,
    /// Names with escapes, compared with [`names_equal`].
    escaped: Vec<(String, Vec<&'a ZoneRecord>)>,
}

fn plain_key(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn cmp_ci(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

impl<'a> NameIndex<'a> {
    /// Gathers the records of `names` in `z`.
    pub fn new(z: &'a Zone, names: &[&str]) -> NameIndex<'a> {
        let mut plain: Vec<(String, Vec<&ZoneRecord>)> = Vec::new();
        let mut escaped: Vec<(String, Vec<&ZoneRecord>)> = Vec::new();
        for n in names {
            if n.contains('\\') {
                if !escaped.iter().any(|(e, _)| names_equal(e, n)) {
                    escaped.push((n.to_string(), Vec::new()));
                }
            } else {
                let k = plain_key(n);
                if let Err(i) = plain.binary_search_by(|(p, _)| p.as_str().cmp(k.as_str())) {
                    plain.insert(i, (k, Vec::new()));
                }
            }
        }
        for r in &z.records {
            let owner = r.owner.as_str();
            if owner.contains('\\') {
                for (n, v) in plain.iter_mut().chain(escaped.iter_mut()) {
                    if names_equal(n, owner) {
                        v.push(r);
                    }
                }
                continue;
            }
            let key = owner.strip_suffix('.').unwrap_or(owner);
            if let Ok(i) = plain.binary_search_by(|(p, _)| cmp_ci(p, key))
                && let Some((_, v)) = plain.get_mut(i)
            {
                v.push(r);
            }
            for (n, v) in escaped.iter_mut() {
                if names_equal(n, owner) {
                    v.push(r);
                }
            }
        }
        NameIndex { plain, escaped }
    }

    /// The records of `name` (empty when it was not among the names).
    pub fn records(&self, name: &str) -> &[&'a ZoneRecord] {
        let found = if name.contains('\\') {
            self.escaped.iter().find(|(n, _)| names_equal(n, name))
        } else {
            let k = plain_key(name);
            self.plain
                .binary_search_by(|(p, _)| p.as_str().cmp(k.as_str()))
                .ok()
                .and_then(|i| self.plain.get(i))
        };
        found.map_or(&[], |(_, v)| v.as_slice())
    }

    /// The first record of type `rtype` at `name`.
    pub fn first(&self, name: &str, rtype: &str) -> Option<&'a ZoneRecord> {
        self.records(name)
            .iter()
            .copied()
            .find(|r| r.rtype.eq_ignore_ascii_case(rtype))
    }

    /// Whether `name` owns an A or AAAA record.
    pub fn has_address(&self, name: &str) -> bool {
        self.records(name)
            .iter()
            .any(|r| r.rtype.eq_ignore_ascii_case("A") || r.rtype.eq_ignore_ascii_case("AAAA"))
    }
}

/// The most feedback lines one check returns.
pub const MAX_FEEDBACK_LINES: usize = 16;
/// The most bytes of feedback one check returns.
pub const MAX_FEEDBACK_BYTES: usize = 6000;
/// The most zone-file lines one check names.
pub const MAX_LINES: usize = 64;

/// Keeps every result's feedback short, whatever the zone (a zone with
/// thousands of bad records must not push the checker over the exercise's
/// `max_output_bytes`, which would be a checker error): at most
/// [`MAX_FEEDBACK_LINES`] lines (the first ones and the last, which is
/// usually a summary), [`MAX_FEEDBACK_BYTES`] bytes and [`MAX_LINES`] lines.
pub fn cap_results(results: Vec<CheckResult>) -> Vec<CheckResult> {
    results
        .into_iter()
        .map(|mut r| {
            let all: Vec<&str> = r.feedback.lines().collect();
            if all.len() > MAX_FEEDBACK_LINES {
                let head = all
                    .iter()
                    .take(MAX_FEEDBACK_LINES - 2)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n");
                let last = all.last().copied().unwrap_or("");
                let dropped = all.len() - (MAX_FEEDBACK_LINES - 1);
                r.feedback = format!("{head}\n... ({dropped} more lines)\n{last}");
            }
            if r.feedback.len() > MAX_FEEDBACK_BYTES {
                let mut cut = MAX_FEEDBACK_BYTES;
                while !r.feedback.is_char_boundary(cut) {
                    cut -= 1;
                }
                r.feedback.truncate(cut);
                r.feedback.push_str(" ...");
            }
            r.lines.truncate(MAX_LINES);
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled() {
        let o = "grp7.lab.example.";
        assert_eq!(
            doubled_origin("ns2.grp7.lab.example.grp7.lab.example.", o).as_deref(),
            Some("ns2.grp7.lab.example")
        );
        assert_eq!(
            doubled_origin("grp7.lab.example.grp7.lab.example.", o).as_deref(),
            Some("grp7.lab.example")
        );
        assert_eq!(doubled_origin("ns2.grp7.lab.example.", o), None);
        assert_eq!(doubled_origin(".", o), None);
        assert_eq!(doubled_origin("x.", "."), None);
    }

    #[test]
    fn addresses() {
        assert_eq!(
            address_in_name("192.0.2.25.").as_deref(),
            Some("192.0.2.25")
        );
        assert_eq!(
            address_in_name("192.0.2.25.grp7.lab.example.").as_deref(),
            Some("192.0.2.25")
        );
        assert_eq!(address_in_name("mail.grp7.lab.example."), None);
        assert_eq!(address_in_name("1.2.3."), None);
        assert_eq!(address_in_name("."), None);
    }

    #[test]
    fn index() {
        let z = grader_checker_sdk::testing::zone(
            "a.example.",
            &[
                ("Mail.a.example.", "A", "192.0.2.1"),
                ("x.a.example.", "CNAME", "mail.a.example."),
                ("w\\@x.a.example.", "A", "192.0.2.2"),
                ("mail.a.example.", "AAAA", "2001:db8::1"),
            ],
        );
        let ix = NameIndex::new(
            &z,
            &[
                "mail.A.example",
                "x.a.example.",
                "w\\064x.a.example.",
                "none.a.example.",
            ],
        );
        assert_eq!(ix.records("MAIL.a.example.").len(), 2);
        assert!(ix.has_address("mail.a.example"));
        assert!(!ix.has_address("x.a.example."));
        assert_eq!(ix.first("x.a.example.", "CNAME").map(|r| r.line), Some(2));
        assert!(ix.has_address("w\\@x.a.example."));
        assert!(ix.records("none.a.example.").is_empty());
        assert!(ix.records("other.a.example.").is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(child("www", "a.example."), "www.a.example.");
        assert_eq!(child("@", "a.example."), "a.example.");
        assert_eq!(short("www.a.example.", "a.example."), "www");
        assert_eq!(short("a.example.", "a.example."), "@ (the apex)");
        assert_eq!(short("x.example.net.", "a.example."), "x.example.net.");
    }
}
