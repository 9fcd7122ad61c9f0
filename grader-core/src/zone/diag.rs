//! Diagnostics: what the reader and the integrity checks say about a zone file.
//!
//! Every diagnostic has a stable [`Code`] (a kebab-case string such as
//! `bad-ipv4`), a [`Severity`], the line and column where the problem starts,
//! the offending text and a message a student can act on. Codes never change
//! meaning once published; new codes may be added.

use std::fmt;

use serde::Serialize;

use super::lexer::char_count;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The zone is not acceptable: a primary server would refuse to load it.
    Error,
    /// The zone loads, but something is likely wrong or against good practice.
    Warning,
}

crate::codes::stable_codes! {
    /// A stable diagnostic code.
    enum Code;
    // ---- limits -------------------------------------------------------
    /// The input is larger than [`Limits::max_input_bytes`](super::Limits).
    InputTooLarge = "input-too-large", Error;
    /// A physical line is longer than [`Limits::max_line_bytes`](super::Limits).
    LineTooLong = "line-too-long", Error;
    /// More records than [`Limits::max_records`](super::Limits).
    TooManyRecords = "too-many-records", Error;
    /// More diagnostics than [`Limits::max_diagnostics`](super::Limits); the rest are not reported.
    TooManyDiagnostics = "too-many-diagnostics", Warning;

    // ---- lexical ------------------------------------------------------
    /// A control character (such as NUL) or other binary data in the text.
    ControlCharacter = "control-character", Error;
    /// `(` never closed, or `)` without `(`, or `(` inside `(`.
    UnbalancedParentheses = "unbalanced-parentheses", Error;
    /// A `"` string not closed on its line.
    UnterminatedQuote = "unterminated-quote", Error;
    /// A backslash escape that is incomplete or out of range (`\256`).
    BadEscape = "bad-escape", Error;
    /// A record or directive with more fields than any record can hold
    /// (usually a `(` that is never closed).
    EntryTooLong = "entry-too-long", Error;
    /// A quoted string where a bare word is needed (type, class, TTL, number,
    /// name, hex or base64 field, `\#` and its length), or a bare word where
    /// quotes are needed (the URI target).
    BadQuoting = "bad-quoting", Error;

    // ---- directives ---------------------------------------------------
    /// `$INCLUDE`: a submission never reads other files.
    IncludeRefused = "include-refused", Error;
    /// A `$` directive this reader does not know.
    UnknownDirective = "unknown-directive", Error;
    /// `$ORIGIN` or `$TTL` with a missing or extra argument.
    BadDirective = "bad-directive", Error;
    /// A `$GENERATE` line that cannot be read.
    BadGenerate = "bad-generate", Error;
    /// A `$GENERATE` that would make more records, or more bytes of text and
    /// record data, than allowed.
    GenerateTooLarge = "generate-too-large", Error;

    // ---- names --------------------------------------------------------
    /// A record line that starts with blank space before any owner was named.
    MissingOwner = "missing-owner", Error;
    /// A relative name (no trailing dot) while no origin is known.
    RelativeNameWithoutOrigin = "relative-name-without-origin", Error;
    /// Two dots in a row, or a name starting with a dot.
    EmptyLabel = "empty-label", Error;
    /// A label longer than 63 octets.
    LabelTooLong = "label-too-long", Error;
    /// A name longer than 255 octets in wire form.
    NameTooLong = "name-too-long", Error;

    // ---- record head --------------------------------------------------
    /// No TTL on the record, no `$TTL` and no earlier TTL to reuse.
    MissingTtl = "missing-ttl", Error;
    /// A TTL that is not a number with optional units, or above 2147483647.
    BadTtl = "bad-ttl", Error;
    /// A line with no record type.
    MissingType = "missing-type", Error;
    /// A word where a record type was expected that names no type.
    UnknownType = "unknown-type", Error;
    /// A type that cannot appear in a zone file, or has no text form here.
    UnsupportedType = "unsupported-type", Error;
    /// A class other than the zone's class.
    ClassMismatch = "class-mismatch", Error;

    // ---- record data --------------------------------------------------
    /// Fewer fields than the type needs.
    MissingRdata = "missing-rdata", Error;
    /// More fields than the type takes.
    ExtraRdata = "extra-rdata", Error;
    /// Not an IPv4 address.
    BadIpv4 = "bad-ipv4", Error;
    /// Not an IPv6 address.
    BadIpv6 = "bad-ipv6", Error;
    /// Not a number in the allowed range.
    BadNumber = "bad-number", Error;
    /// Not valid hexadecimal.
    BadHex = "bad-hex", Error;
    /// Not valid base64.
    BadBase64 = "bad-base64", Error;
    /// Not valid base32hex (NSEC3 hashes).
    BadBase32 = "bad-base32", Error;
    /// A signature time that is neither `YYYYMMDDHHMMSS` nor a number.
    BadTime = "bad-time", Error;
    /// A character-string longer than 255 octets.
    StringTooLong = "string-too-long", Error;
    /// An unknown DNSSEC algorithm or digest mnemonic.
    BadAlgorithm = "bad-algorithm", Error;
    /// A DS/CDS digest whose length does not fit its digest type.
    BadDigestLength = "bad-digest-length", Error;
    /// A malformed LOC record.
    BadLoc = "bad-loc", Error;
    /// A malformed SVCB/HTTPS parameter.
    BadSvcParam = "bad-svc-param", Error;
    /// A CAA tag that is empty or not alphanumeric.
    BadCaaTag = "bad-caa-tag", Error;
    /// RFC 3597 `\#` data whose length or content is wrong.
    BadGenericRdata = "bad-generic-rdata", Error;
    /// Record data longer than 65535 octets.
    RdataTooLong = "rdata-too-long", Error;

    // ---- integrity: errors --------------------------------------------
    /// No SOA record at the zone apex.
    SoaMissing = "soa-missing", Error;
    /// A SOA record at a name other than the apex.
    SoaNotAtApex = "soa-not-at-apex", Error;
    /// More than one SOA record.
    SoaMultiple = "soa-multiple", Error;
    /// No NS records at the zone apex.
    NsMissing = "ns-missing", Error;
    /// A record whose owner is not at or below the zone apex.
    OutOfZone = "out-of-zone", Error;
    /// A CNAME at the zone apex.
    CnameAtApex = "cname-at-apex", Error;
    /// A CNAME beside other data at the same name.
    CnameAndOtherData = "cname-and-other-data", Error;
    /// More than one CNAME at one name.
    CnameMultiple = "cname-multiple", Error;
    /// An apex NS target that is a CNAME (RFC 2181 §10.3).
    NsTargetCname = "ns-target-cname", Error;
    /// An apex NS target inside the zone (not below a delegation) with no A or AAAA.
    NsTargetNoAddress = "ns-target-no-address", Error;
    /// An apex NS target at a name below a DNAME, which can never be reached.
    NsTargetBelowDname = "ns-target-below-dname", Error;
    /// A delegation to a server inside the delegated zone without glue.
    GlueMissing = "glue-missing", Error;
    /// More than one DNAME at one name.
    DnameMultiple = "dname-multiple", Error;
    /// Data at names below a DNAME.
    DnameWithChildren = "dname-with-children", Error;
    /// NS beside a DNAME at a name other than the apex.
    NsBesideDname = "ns-beside-dname", Error;
    /// A name in a host-name position that is not a valid host name
    /// (BIND's check-names, which a primary server enforces by default).
    BadHostname = "bad-hostname", Error;
    /// An NSEC3 record whose owner's first label is not a base32hex hash.
    BadNsec3Owner = "bad-nsec3-owner", Error;
    /// A DS record at the zone apex (DS belongs in the parent zone).
    DsAtApex = "ds-at-apex", Error;
    /// NS records at a wildcard name (`*.example.`).
    WildcardNs = "wildcard-ns", Error;

    // ---- integrity: warnings ------------------------------------------
    /// A record that repeats another one exactly.
    DuplicateRecord = "duplicate-record", Warning;
    /// Records of one RRset with different TTLs.
    TtlMismatch = "ttl-mismatch", Warning;
    /// Only one NS record at the apex.
    SingleNs = "single-ns", Warning;
    /// A delegation's NS target that is a CNAME (RFC 2181 §10.3).
    DelegationTargetCname = "delegation-target-cname", Warning;
    /// A delegation's NS target inside the zone (not below a delegation)
    /// with no A or AAAA.
    DelegationTargetNoAddress = "delegation-target-no-address", Warning;
    /// An MX target that is a CNAME.
    MxTargetCname = "mx-target-cname", Warning;
    /// An SRV target that is a CNAME.
    SrvTargetCname = "srv-target-cname", Warning;
    /// An in-zone MX target with no A or AAAA.
    MxTargetNoAddress = "mx-target-no-address", Warning;
    /// An in-zone SRV target with no A or AAAA.
    SrvTargetNoAddress = "srv-target-no-address", Warning;
    /// An MX or NS target written as an IP address.
    TargetIsAddress = "target-is-address", Warning;
    /// SOA refresh below 14400 seconds.
    SoaRefreshLow = "soa-refresh-low", Warning;
    /// SOA retry below 3600 seconds.
    SoaRetryLow = "soa-retry-low", Warning;
    /// SOA retry not below refresh.
    SoaRetryNotBelowRefresh = "soa-retry-not-below-refresh", Warning;
    /// SOA expire below 604800 seconds.
    SoaExpireLow = "soa-expire-low", Warning;
    /// SOA minimum outside 300..=86400 seconds.
    SoaMinimumRange = "soa-minimum-range", Warning;
    /// A wildcard label that is not the leftmost label.
    WildcardNonTerminal = "wildcard-non-terminal", Warning;
    /// A DS record at a name that is not a delegation.
    DsNotAtDelegation = "ds-not-at-delegation", Warning;
    /// Data other than glue below a delegation, which is never served.
    OccludedData = "occluded-data", Warning;
    /// NSEC3 iterations above 0 (RFC 9276).
    Nsec3Iterations = "nsec3-iterations", Warning;
    /// An NSEC3 salt (RFC 9276).
    Nsec3Salt = "nsec3-salt", Warning;
    /// A TTL above 2147483647, read as 0 (RFC 2181 §8).
    TtlTooLarge = "ttl-too-large", Warning;

    // ---- DNSSEC validation (`grader zone check --dnssec`) ---------------
    /// The zone has no DNSKEY set at its apex, so it is not signed.
    DnskeyMissing = "dnskey-missing", Error;
    /// A DNSKEY of an algorithm the grader cannot verify (not 5, 7, 8, 10,
    /// 13, 14 or 15); its signatures are not checked.
    AlgorithmUnsupported = "algorithm-unsupported", Error;
    /// A DNSKEY of a deprecated algorithm (5 RSASHA1 or 7
    /// RSASHA1-NSEC3-SHA1; RFC 8624).
    AlgorithmDeprecated = "algorithm-deprecated", Warning;
    /// An RSA DNSKEY shorter than 1024 bits (RFC 8624 §3.1 and NIST advise
    /// at least 2048); its signatures are still checked.
    RsaKeyShort = "rsa-key-short", Warning;
    /// An algorithm of the DNSKEY set has no non-revoked SEP key (KSK or
    /// CSK) that signs the DNSKEY set.
    KskMissing = "ksk-missing", Error;
    /// An authoritative RRset has no valid signature of an algorithm of the
    /// DNSKEY set (every RRset must be signed by every algorithm).
    RrsigMissing = "rrsig-missing", Error;
    /// A signature that does not verify (the data or the signature was
    /// changed after signing, or the key is not the one that signed).
    RrsigBadSignature = "rrsig-bad-signature", Error;
    /// A signature whose expiration is before the validation time.
    RrsigExpired = "rrsig-expired", Error;
    /// A signature whose inception is after the validation time.
    RrsigNotYetValid = "rrsig-not-yet-valid", Error;
    /// A signature whose key tag and algorithm match no DNSKEY of the apex.
    RrsigNoKey = "rrsig-no-key", Error;
    /// A signature whose signer name is not the zone's apex.
    RrsigSignerMismatch = "rrsig-signer-mismatch", Error;
    /// A signature whose labels field does not fit its owner name.
    RrsigLabels = "rrsig-labels", Error;
    /// A signature whose original TTL differs from the TTL of the RRset.
    RrsigOriginalTtl = "rrsig-original-ttl", Error;
    /// A signature over an RRset that must not be signed (a delegation's
    /// NS set, glue) or over no RRset at all.
    RrsigUnexpected = "rrsig-unexpected", Error;
    /// A signature that expires within the warning horizon (default 7 days).
    RrsigExpiresSoon = "rrsig-expires-soon", Warning;
    /// The signed zone has neither an NSEC nor an NSEC3 chain, or both.
    DenialMissing = "denial-missing", Error;
    /// A name of the zone without its NSEC record.
    NsecMissing = "nsec-missing", Error;
    /// An NSEC record whose next name is not the next name of the zone in
    /// canonical order (a gap, or an unclosed chain).
    NsecChainBroken = "nsec-chain-broken", Error;
    /// An NSEC type bitmap that differs from the types present at its name.
    NsecBitmap = "nsec-bitmap", Error;
    /// An NSEC record at a name that has no data, or below a delegation.
    NsecUnexpected = "nsec-unexpected", Error;
    /// NSEC3 records without an NSEC3PARAM at the apex, or an NSEC3PARAM
    /// with no chain.
    Nsec3paramMissing = "nsec3param-missing", Error;
    /// NSEC3 records whose hash algorithm, iterations or salt differ from
    /// the NSEC3PARAM's.
    Nsec3ParamsMismatch = "nsec3-params-mismatch", Error;
    /// NSEC3 with more than 500 iterations: validators treat such zones as
    /// bogus (RFC 9276 §3.2 lets them), and the grader does not hash the
    /// chain's names (it would cost minutes).
    Nsec3IterationsTooMany = "nsec3-iterations-too-many", Error;
    /// A name of the zone whose hash has no NSEC3 record.
    Nsec3Missing = "nsec3-missing", Error;
    /// An NSEC3 record whose next hashed owner is not the next hash of the
    /// chain (a gap, or an unclosed chain).
    Nsec3ChainBroken = "nsec3-chain-broken", Error;
    /// An NSEC3 type bitmap that differs from the types present at the
    /// name it stands for.
    Nsec3Bitmap = "nsec3-bitmap", Error;
    /// An NSEC3 record whose hash is the hash of no name of the zone.
    Nsec3Unexpected = "nsec3-unexpected", Error;
    /// A DS record handed in that matches no DNSKEY of the zone (key tag,
    /// algorithm and digest).
    DsNoMatch = "ds-no-match", Error;
    /// A DS record handed in that matches a DNSKEY without the SEP flag.
    DsNotSep = "ds-not-sep", Warning;
    /// A DS record handed in with digest type 1 (SHA-1), which RFC 8624
    /// says not to use.
    DsSha1 = "ds-sha1", Warning;
    /// RRSIG, NSEC or NSEC3 records in a zone without a DNSKEY set.
    DnssecInUnsignedZone = "dnssec-in-unsigned-zone", Warning;
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

/// One finding about a zone file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning (always `code.severity()`).
    #[serde(skip)]
    pub severity: Severity,
    /// 1-based line of the problem.
    pub line: u32,
    /// 1-based column (in characters) of the problem.
    pub column: u32,
    /// The offending text, as written in the file (may be empty).
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
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let head = format!("{kind}[{}]: {}", self.code, self.message);
        render_at(&head, file, source, self.line, self.column, &self.text)
    }
}

/// A finding rendered like a compiler's (for zone and response diagnostics
/// alike): `head`, the position in `file`, the source line and a caret
/// under `column` (under all of `text` where it stands there).
pub(crate) fn render_at(
    head: &str,
    file: &str,
    source: &[u8],
    line: u32,
    column: u32,
    text: &str,
) -> String {
    let mut out = format!("{head}\n");
    out.push_str(&format!("  --> {file}:{line}:{column}\n"));
    if let Some(src) = source_line(source, line) {
        let gutter = line.to_string();
        let pad = " ".repeat(gutter.len());
        // One displayed character per column, counted exactly as the
        // readers count columns (`lexer::char_count`): each invalid UTF-8
        // sequence is one `�`.
        let shown = printable(src);
        debug_assert_eq!(shown.chars().count(), char_count(src));
        out.push_str(&format!("{pad} |\n{gutter} | {shown}\n"));
        let col = column.max(1) as usize;
        let shown_prefix: String = shown
            .chars()
            .take(col - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        // Underline the offending text where it stands at the column;
        // otherwise (a finding about a whole record) mark the column.
        let rest: String = shown.chars().skip(col - 1).collect();
        let width = if !text.is_empty() && rest.starts_with(text) {
            text.chars().count()
        } else {
            1
        };
        out.push_str(&format!("{pad} | {shown_prefix}{}\n", "^".repeat(width)));
    }
    out
}

/// The `line`th (1-based) line of `source`, without its line ending, cut to
/// a displayable length (at a character boundary).
fn source_line(source: &[u8], line: u32) -> Option<&[u8]> {
    let mut text = source
        .split(|&b| b == b'\n')
        .nth(line.checked_sub(1)? as usize)?;
    if let Some(stripped) = text.strip_suffix(b"\r") {
        text = stripped;
    }
    const SHOWN: usize = 400;
    let mut cut = text.len().min(SHOWN);
    // Do not split a UTF-8 sequence: that would show one `�` more than the
    // reader counted.
    while cut < text.len() && cut > 0 && (text[cut] & 0xC0) == 0x80 {
        cut -= 1;
    }
    Some(&text[..cut])
}

/// Text safe to print on a terminal: invalid UTF-8 and control characters
/// (other than tab) become `�`, one per column (see `lexer::char_count`).
fn printable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.line,
            self.column,
            match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            self.code,
            self.message
        )
    }
}
