//! Diagnostics: what the readers say about DNS messages handed in.
//!
//! Every diagnostic has a stable [`Code`] (a kebab-case string such as
//! `dig-count-mismatch`), a [`Severity`] that the code always has, the line
//! and column where the problem starts, the offending text and a message a
//! student can act on. Codes never change meaning once published; new codes
//! may be added.

use std::fmt;

use serde::Serialize;

use crate::zone::Severity;

crate::codes::stable_codes! {
    /// A stable diagnostic code of the response readers.
    enum Code;
    // ---- every format -------------------------------------------------
    /// The input is larger than [`MAX_INPUT_BYTES`](super::MAX_INPUT_BYTES).
    InputTooLarge = "input-too-large", Error;
    /// More messages than [`MAX_MESSAGES`](super::MAX_MESSAGES); the rest
    /// are not read.
    TooManyMessages = "too-many-messages", Error;
    /// A section with more records than
    /// [`MAX_RECORDS_PER_SECTION`](super::MAX_RECORDS_PER_SECTION); the
    /// message is not read.
    TooManyRecords = "too-many-records", Error;
    /// More diagnostics than [`MAX_DIAGNOSTICS`](super::MAX_DIAGNOSTICS);
    /// the rest are not listed (the count of errors stays exact).
    TooManyDiagnostics = "too-many-diagnostics", Warning;
    /// The text looks like another format than the one it was handed in
    /// as (dig output handed in as JSON, hex as base64, ...).
    WrongFormat = "wrong-format", Error;
    /// The message read cannot be put in wire form and read back by
    /// hickory-proto (for example a record with empty data, which hickory
    /// reads only in UPDATE messages); it is not kept.
    MessageNotEncodable = "message-not-encodable", Error;

    // ---- dig output ---------------------------------------------------
    /// The input holds no text at all.
    DigEmpty = "dig-empty", Error;
    /// `dig +short` output: values without any header or record names.
    DigShortOutput = "dig-short-output", Error;
    /// Records or comments without a `;; ->>HEADER<<-` line (`+noall`,
    /// `+nocomments`, `+trace`, a zone transfer, or a partial copy).
    DigNoHeader = "dig-no-header", Error;
    /// `dig +yaml` output, which this reader does not take.
    DigYamlOutput = "dig-yaml-output", Error;
    /// dig got no response (`no servers could be reached`): there is no
    /// message to read. A warning: the output is what dig printed; the
    /// server did not answer.
    DigNoResponse = "dig-no-response", Warning;
    /// dig reported an error of its own instead of a response (`dig:
    /// couldn't get address ...`, `;; ERROR: ...`).
    DigError = "dig-error", Error;
    /// A `;; ->>HEADER<<-` line whose opcode, status or id cannot be read,
    /// or a status that needs EDNS without an OPT pseudosection.
    DigBadHeader = "dig-bad-header", Error;
    /// The `;; flags:` line is missing after the header, or cannot be read.
    DigBadFlags = "dig-bad-flags", Error;
    /// A section holds another number of records than the `;; flags:` line
    /// says (ADDITIONAL counts the OPT pseudo-record).
    DigCountMismatch = "dig-count-mismatch", Error;
    /// A line of the QUESTION SECTION that is not `;name class type`.
    DigBadQuestion = "dig-bad-question", Error;
    /// A record of a section that the zone-file reader refuses (the message
    /// names the zone reader's code, such as `bad-ipv4`).
    DigBadRecord = "dig-bad-record", Error;
    /// A warning of the zone-file reader about a record of a section.
    DigRecordWarning = "dig-record-warning", Warning;
    /// A `; EDNS:` line that cannot be read, or a second one in a message.
    DigBadEdns = "dig-bad-edns", Error;
    /// An EDNS option line of the OPT pseudosection whose value cannot be
    /// read.
    DigBadEdnsOption = "dig-bad-edns-option", Error;
    /// An EDNS option this reader does not keep (LLQ, CHAIN, DAU, ...);
    /// the rest of the message is read.
    DigUnknownEdnsOption = "dig-unknown-edns-option", Warning;
    /// A header or EDNS flag hickory-proto cannot hold (the header's Z bit,
    /// an unknown flag name); it is dropped.
    DigUnsupportedFlag = "dig-unsupported-flag", Warning;
    /// Text that is not part of dig's output (a shell prompt, a note) or a
    /// record outside any section; it is ignored.
    DigStrayText = "dig-stray-text", Warning;
    /// The query dig sent (`+qr`) is not a response; it is skipped.
    DigQuerySkipped = "dig-query-skipped", Warning;
    /// A TSIG or SIG(0) pseudosection, which is not kept.
    DigSignatureSkipped = "dig-signature-skipped", Warning;
    /// The `;; SERVER:` line names a transport other than UDP and TCP (TLS,
    /// HTTPS); the message's transport is left unknown.
    DigUnknownTransport = "dig-unknown-transport", Warning;
    /// dig printed a warning about the response (malformed packet, extra
    /// bytes, question mismatch, a signature it could not verify, ...).
    DigWarning = "dig-warning", Warning;

    // ---- RFC 8427 JSON ------------------------------------------------
    /// Not valid JSON (position from the JSON parser).
    JsonInvalid = "json-invalid", Error;
    /// A JSON value that is not a message object (nor an array of them).
    JsonNotMessage = "json-not-message", Error;
    /// No message at all: empty input or an empty array.
    JsonNoMessage = "json-no-message", Error;
    /// A member the message or record needs is missing.
    JsonMissingMember = "json-missing-member", Error;
    /// A member whose value has the wrong JSON type or is out of range.
    JsonBadMember = "json-bad-member", Error;
    /// A member RFC 8427 does not define; it is ignored.
    JsonUnknownMember = "json-unknown-member", Warning;
    /// `QDCOUNT`, `ANCOUNT`, `NSCOUNT` or `ARCOUNT` differs from the
    /// records given (RFC 8427's own examples do this; the records win).
    JsonCountMismatch = "json-count-mismatch", Warning;
    /// A name (`QNAME`, `NAME`) that is not a valid domain name.
    JsonBadName = "json-bad-name", Error;
    /// Record data (`RDATAHEX`, `rdataA`, ...) that cannot be read, or
    /// whose length differs from `RDLENGTH`.
    JsonBadRdata = "json-bad-rdata", Error;
    /// `messageOctetsHEX` that is not hex, or not a DNS message.
    JsonBadOctets = "json-bad-octets", Error;
    /// More than one OPT record (TYPE 41) in a message.
    JsonDuplicateOpt = "json-duplicate-opt", Error;
    /// The `queryMessage` of a paired query and response; only the
    /// `responseMessage` is read.
    JsonQueryIgnored = "json-query-ignored", Warning;

    // ---- wire format --------------------------------------------------
    /// No base64 or hex digits in the input.
    WireEmpty = "wire-empty", Error;
    /// A character that is not base64, or bad padding.
    WireBadBase64 = "wire-bad-base64", Error;
    /// A character that is not a hex digit, or an odd number of digits.
    WireBadHex = "wire-bad-hex", Error;
    /// The octets are not a DNS message (hickory-proto's reason is given).
    WireMalformed = "wire-malformed", Error;
    /// Octets left after the end of the message; they are ignored.
    WireTrailingBytes = "wire-trailing-bytes", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding about the text handed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning (always `code.severity()`).
    pub severity: Severity,
    /// 1-based line of the problem.
    pub line: u32,
    /// 1-based column (in characters) of the problem.
    pub column: u32,
    /// The offending text, as written (may be empty; shortened when long).
    pub text: String,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with `code` at `line`:`column`.
    pub fn new(
        code: Code,
        line: u32,
        column: u32,
        text: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            line,
            column,
            text: text.into(),
            message: message.into(),
        }
    }

    /// Renders the diagnostic like a compiler does: a heading, the source
    /// line and a caret under the column.
    ///
    /// `file` names the input in the heading; `source` is the whole input.
    pub fn render(&self, file: &str, source: &[u8]) -> String {
        let head = format!("{}[{}]: {}", kind(self.severity), self.code, self.message);
        crate::zone::render_at(&head, file, source, self.line, self.column, &self.text)
    }
}

fn kind(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.line,
            self.column,
            kind(self.severity),
            self.code,
            self.message
        )
    }
}

/// Where diagnostics go while a text is read: kept up to
/// [`MAX_DIAGNOSTICS`](super::MAX_DIAGNOSTICS), errors counted exactly.
pub(crate) struct Sink {
    pub list: Vec<Diagnostic>,
    pub errors: usize,
    full: bool,
}

impl Sink {
    pub fn new() -> Self {
        Sink {
            list: Vec::new(),
            errors: 0,
            full: false,
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        if d.severity == Severity::Error {
            self.errors += 1;
        }
        if self.list.len() < super::MAX_DIAGNOSTICS {
            self.list.push(d);
        } else if !self.full {
            self.full = true;
            let (line, column) = (d.line, d.column);
            self.list.push(Diagnostic::new(
                Code::TooManyDiagnostics,
                line,
                column,
                "",
                format!(
                    "more than {} problems; the rest are not listed",
                    super::MAX_DIAGNOSTICS
                ),
            ));
        }
    }

    /// A diagnostic with `code`.
    pub fn at(
        &mut self,
        code: Code,
        line: u32,
        column: u32,
        text: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Diagnostic::new(code, line, column, text, message));
    }
}
