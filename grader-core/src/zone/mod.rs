//! Zone files: reading the RFC 1035 master-file format with exact
//! diagnostics, and integrity checks on the result.
//!
//! ```
//! use grader_core::zone::{check, Options};
//!
//! let text = b"$ORIGIN lab.example.\n$TTL 1h\n@ SOA ns1 hostmaster 1 4h 1h 1w 1h\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.300\n";
//! let zone = check(text, &Options::default());
//! assert_eq!(zone.records.len(), 4);
//! // ns2's address is wrong (line 7, column 7), so ns2 has no address at all.
//! let errors: Vec<_> = zone.errors().map(|e| (e.code.as_str(), e.line, e.column)).collect();
//! assert_eq!(errors, [("ns-target-no-address", 5, 1), ("bad-ipv4", 7, 7)]);
//! ```
//!
//! The reader ([`read`]) turns text into hickory-proto [`Record`]s in file
//! order, each with its line, and reports every syntax error it finds (it
//! goes on after an error). [`check`] also runs the integrity checks of
//! [`lint`] (SOA and NS at the apex, CNAME rules, glue, ...).
//!
//! Limits ([`Limits`]) bound input size, line length, record count,
//! `$GENERATE` size and the number of diagnostics; each is reported as a
//! diagnostic, never a panic or a hang.

mod diag;
mod generate;
mod lexer;
pub mod lint;
mod present;
mod rdata;
mod reader;
pub(crate) mod sink;
mod text;
mod types;

use hickory_proto::rr::{Name, Record};
use serde::Serialize;

pub(crate) use diag::render_at;
pub use diag::{Code, Diagnostic, Severity};
pub(crate) use lexer::char_count;
pub(crate) use present::quote;
pub use present::rdata_text;
pub use reader::rdata_wire;
pub use text::Shown;
pub(crate) use types::class_code;
pub use types::{algorithm_name, class_name, type_name};

/// The code of a type mnemonic (`SOA`, `soa`) or of `TYPEnnn`, if `text` is one.
pub fn parse_type(text: &str) -> Option<u16> {
    types::type_code(text.as_bytes())
}

/// Bounds on what the reader accepts. Defaults suit a student submission
/// and a 100,000-record benchmark zone alike.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest input, in bytes (default 64 MiB).
    pub max_input_bytes: usize,
    /// Longest physical line, in bytes (default 256 KiB: enough for the
    /// largest RDATA in generic hex form).
    pub max_line_bytes: usize,
    /// Most records, including generated ones (default 2,000,000).
    pub max_records: usize,
    /// Most records one `$GENERATE` may make (default 65,536).
    pub max_generate: u64,
    /// Most bytes of text and record data all `$GENERATE` lines of a zone
    /// may make together (default 16 MiB). A `$GENERATE` that would pass it
    /// makes no record at all; its whole expansion is bounded before it
    /// starts, so a short line cannot cost gigabytes.
    pub max_generate_bytes: u64,
    /// Most diagnostics kept (default 1,000); the count of errors stays exact.
    pub max_diagnostics: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_line_bytes: 256 << 10,
            max_records: 2_000_000,
            max_generate: 65_536,
            max_generate_bytes: 16 << 20,
            max_diagnostics: 1_000,
        }
    }
}

/// How to read a zone.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The zone's origin (apex). When `None`, the apex is the owner of the
    /// SOA record (or the first `$ORIGIN`), and relative names need an
    /// origin first: a `$ORIGIN`, or a first record that is the SOA at an
    /// absolute owner, which then serves as the origin for the SOA's own
    /// data and everything after it (as `named-checkzone ORIGIN` would read
    /// that file with ORIGIN = the SOA owner).
    ///
    /// The zone's class is always IN: a record of another class is a
    /// `class-mismatch` error, and a record without a class is IN.
    pub origin: Option<Name>,
    /// Bounds on the input.
    pub limits: Limits,
}

/// A record as read from the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneRecord {
    /// The record, in hickory-proto's representation.
    pub record: Record,
    /// 1-based line where the record (or its `$GENERATE`) starts.
    pub line: u32,
    /// 1-based column of the record's first token.
    pub column: u32,
}

/// A zone file read and (with [`check`]) checked.
#[derive(Clone, Debug)]
pub struct Zone {
    /// The apex, if one is known (given, or from the SOA or `$ORIGIN`).
    pub origin: Option<Name>,
    /// The records, in file order.
    pub records: Vec<ZoneRecord>,
    /// All diagnostics, errors and warnings, ordered by line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The number of errors, including any beyond `max_diagnostics`.
    pub error_count: usize,
}

impl Zone {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    /// The apex in presentation form, with RFC 1035 decimal escapes
    /// (`a\032b.example.`), as every name in diagnostics is shown.
    pub fn origin_text(&self) -> Option<String> {
        self.origin.as_ref().map(|n| Shown(n).to_string())
    }

    /// Whether the zone has no error (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.error_count == 0
    }

    /// The machine-readable report (`schemas/zone-check.schema.json`).
    pub fn report(&self) -> Report<'_> {
        Report {
            origin: self.origin_text(),
            records: self.records.len(),
            errors: self.errors().collect(),
            warnings: self.warnings().collect(),
        }
    }
}

/// The JSON form of a checked zone.
#[derive(Serialize)]
pub struct Report<'a> {
    /// The apex, as an absolute name with decimal escapes, or null when
    /// none is known.
    pub origin: Option<String>,
    /// How many records were read.
    pub records: usize,
    /// The errors, ordered by line.
    pub errors: Vec<&'a Diagnostic>,
    /// The warnings, ordered by line.
    pub warnings: Vec<&'a Diagnostic>,
}

/// Reads a zone file: syntax only, no integrity checks.
pub fn read(text: &[u8], options: &Options) -> Zone {
    let mut sink = sink::Sink::new(options.limits.max_diagnostics);
    let (origin, records) = reader::read(text, options, &mut sink);
    finish(origin, records, sink)
}

/// Reads a zone file and runs the integrity checks of [`lint`].
pub fn check(text: &[u8], options: &Options) -> Zone {
    let mut sink = sink::Sink::new(options.limits.max_diagnostics);
    let (origin, records) = reader::read(text, options, &mut sink);
    lint::lint(text, origin.as_ref(), &records, &mut sink);
    finish(origin, records, sink)
}

/// Reads a zone file, then runs the integrity checks of [`lint`] and
/// `also` (given the origin and the records) at the same time on the
/// rayon pool: `grader zone check --dnssec` validates while it lints.
pub fn check_and<T: Send>(
    text: &[u8],
    options: &Options,
    also: impl FnOnce(Option<&Name>, &[ZoneRecord]) -> T + Send,
) -> (Zone, T) {
    let mut sink = sink::Sink::new(options.limits.max_diagnostics);
    let (origin, records) = reader::read(text, options, &mut sink);
    let ((), other) = rayon::join(
        || lint::lint(text, origin.as_ref(), &records, &mut sink),
        || also(origin.as_ref(), &records),
    );
    (finish(origin, records, sink), other)
}

fn finish(origin: Option<Name>, records: Vec<ZoneRecord>, sink: sink::Sink) -> Zone {
    let error_count = sink.errors();
    let mut diagnostics = sink.list;
    // Stable: diagnostics on one line keep the order they were found in.
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Zone {
        origin,
        records,
        diagnostics,
        error_count,
    }
}
