//! DNS messages handed in as text: `dig` output, RFC 8427 JSON, or the wire
//! form in base64 or hex, read into hickory-proto [`Message`]s with
//! line-precise diagnostics, as the zone reader reads zone files.
//!
//! ```
//! use grader_core::response::{read, Format, Transport};
//!
//! let output = "\
//! ; <<>> DiG 9.18.28 <<>> @127.0.0.1 -p 5300 www.lab.example A +norec
//! ;; global options: +cmd
//! ;; Got answer:
//! ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242
//! ;; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
//!
//! ;; OPT PSEUDOSECTION:
//! ; EDNS: version: 0, flags:; udp: 1232
//! ;; QUESTION SECTION:
//! ;www.lab.example.\t\tIN\tA
//!
//! ;; ANSWER SECTION:
//! www.lab.example.\t3600\tIN\tA\t192.0.2.80
//!
//! ;; Query time: 0 msec
//! ;; SERVER: 127.0.0.1#5300(127.0.0.1) (UDP)
//! ;; WHEN: Sun Nov 29 16:49:52 UTC 2026
//! ;; MSG SIZE  rcvd: 60
//! ";
//! let read = read(Format::Dig, output.as_bytes());
//! assert!(read.is_ok());
//! let m = &read.messages[0];
//! assert_eq!((m.line, m.transport, m.server.as_deref()), (1, Some(Transport::Udp), Some("127.0.0.1#5300")));
//! assert!(m.message.authoritative);
//! assert_eq!(m.message.answers[0].ttl, 3600);
//! assert_eq!(m.message.edns.as_ref().map(|e| e.max_payload()), Some(1232));
//! ```
//!
//! [`read`] takes the text and its [`Format`] and returns a [`Read`]: the
//! messages in input order, each with its first line ([`ReadMessage`]),
//! and every problem found ([`Diagnostic`], with a stable [`Code`]).
//! Reading goes on after an error where it can; a message with an error in
//! its header is left out, a message with a bad record is kept without that
//! record. Nothing handed in makes a reader panic. Text that clearly looks
//! like another format than the one given (JSON handed in as dig output,
//! hex as base64, ...) is a `wrong-format` error that names the right one.
//!
//! # Formats
//!
//! - [`Format::Dig`]: the output of BIND's `dig`, 9.16 to 9.20, with or
//!   without `+dnssec`, `+multi`, `+norec`, `+tcp`, `+nsid`, `+qr` (the
//!   query is skipped with a warning), and several outputs pasted one after
//!   another (each is a message; its line is that of its `; <<>> DiG`
//!   banner or `;; Got answer:`, else its header). The header, flags
//!   (counts checked against the sections; ADDITIONAL counts the OPT
//!   pseudo-record), the OPT pseudosection (version, DO and other flags,
//!   UDP size; NSID, COOKIE, EDE, EXPIRE, CLIENT-SUBNET, KEY-TAG,
//!   TCP-KEEPALIVE, PADDING, CLIENT-TAG, SERVER-TAG, UPDATE-LEASE, LLQ,
//!   ZONEVERSION, REPORT-CHANNEL and `OPT=n` options; others are dropped
//!   with a warning), the question, and the records of every section, read
//!   by the zone-file reader ([`crate::zone`]) so a record is read the same
//!   way in a response as in a zone. The transport is that of the
//!   `;; SERVER:` line (dig 9.18 and later print `(UDP)` or `(TCP)`); for
//!   dig 9.16 it is TCP after `;; Truncated, retrying in TCP mode.` or when
//!   the banner's command line has `+tcp` or `+vc`, and unknown otherwise.
//!   `+short`, `+noall`, `+nocomments`, `+yaml` output, kdig's output and
//!   `no servers could be reached` are diagnostics with advice.
//! - [`Format::Json`]: RFC 8427 JSON: one message object, an array of
//!   them, or several one after another (as `kdig +json` prints them); a
//!   paired query and response (§3) gives its `responseMessage`. A message
//!   object with `messageOctetsHEX` (§2.4) is that message in wire form;
//!   otherwise it is made from its members (§2.1): `ID`, `QR`, `Opcode`,
//!   `AA`, `TC`, `RD`, `RA`, `AD`, `CD` (booleans, or 0 and 1 as in the
//!   RFC's examples; absent is 0), `RCODE` (its extended bits from the OPT
//!   record when it is 15 or less), the question (`QNAME` with
//!   `QTYPE`/`QTYPEname` and `QCLASS`/`QCLASSname`, or `questionRRs`) and
//!   `answerRRs`, `authorityRRs`, `additionalRRs`. A record (§2.2) has
//!   `NAME`, `TYPE`/`TYPEname`, `CLASS`/`CLASSname` (IN when absent),
//!   `TTL`, an optional `RDLENGTH` (checked), and its data as `RDATAHEX`,
//!   as a presentation-form member `rdata<TYPE>` (§2.3: `rdataA`,
//!   `rdataMX`, ... for any type the zone-file reader knows; `rdataTXT`
//!   may be plain text or quoted strings), or as an `rrSet` of such data;
//!   an OPT record (TYPE 41) in `additionalRRs` is the EDNS of the
//!   message. `QDCOUNT`... `ARCOUNT` that differ from the records are a
//!   warning (the RFC's own paired example does this). The other members
//!   the RFC defines (`compressedQNAME`, `headerOctetsHEX`, `dateString`,
//!   `comment`, ...) and kdig's `msgLength` are accepted and not read; an
//!   unknown member is a warning. A message with an error is left out.
//!   Diagnostics point at the member at fault (its line and column) and
//!   name its JSON pointer (`/answerRRs/0/RDATAHEX`); syntax errors are
//!   placed where serde_json found them. Queries (QR 0) are read too.
//! - [`Format::Base64`] and [`Format::Hex`]: one message in wire form.
//!   Blanks and line breaks may stand anywhere, hex octets may be
//!   separated by `:`, base64 may be URL-safe and unpadded. When the first
//!   two octets are the length of the rest (DNS over TCP framing) and the
//!   rest is a whole message, they are skipped and the transport is TCP.
//!   Decoding failures give hickory-proto's reason.
//!
//! # The messages
//!
//! Every message is returned as hickory-proto reads it back from its own
//! wire form, so encoding it (`to_vec`) and decoding the result gives an
//! equal message, and a response read from dig output equals the same
//! response read from the wire (record data in hickory's typed form, names
//! as written). hickory-proto cannot hold a few things, which are dropped
//! with a warning or noted here: the header's Z bit; an EDNS UDP size below
//! 512 (read as 512, as RFC 6891 says); a TSIG or SIG(0) pseudosection;
//! a record with empty data outside UPDATE messages
//! (`message-not-encodable`).
//!
//! # Limits
//!
//! Input up to [`MAX_INPUT_BYTES`] (1 MiB), at most [`MAX_MESSAGES`] (64)
//! messages, at most [`MAX_RECORDS_PER_SECTION`] (4096) records or
//! questions in one section, at most [`MAX_DIAGNOSTICS`] (1000)
//! diagnostics listed (the count of errors stays exact). Going past one is
//! a diagnostic, never a panic.

mod diag;
mod dig;
mod json;
mod opt;
#[cfg(test)]
mod test_support;
mod text;
mod wire;

use std::fmt;
use std::str::FromStr;

use hickory_proto::op::Message;
use serde::{Deserialize, Serialize};

use crate::zone::Severity;
pub use diag::{Code, Diagnostic};

/// Response code mnemonics as dig prints them (BIND's names; 16 is
/// BADVERS in a response with EDNS, BADSIG in TSIG), by code.
pub const RCODES: [(&str, u16); 25] = [
    ("NOERROR", 0),
    ("FORMERR", 1),
    ("SERVFAIL", 2),
    ("NXDOMAIN", 3),
    ("NOTIMP", 4),
    ("REFUSED", 5),
    ("YXDOMAIN", 6),
    ("YXRRSET", 7),
    ("NXRRSET", 8),
    ("NOTAUTH", 9),
    ("NOTZONE", 10),
    ("RESERVED11", 11),
    ("RESERVED12", 12),
    ("RESERVED13", 13),
    ("RESERVED14", 14),
    ("RESERVED15", 15),
    ("BADVERS", 16),
    ("BADSIG", 16),
    ("BADKEY", 17),
    ("BADTIME", 18),
    ("BADMODE", 19),
    ("BADNAME", 20),
    ("BADALG", 21),
    ("BADTRUNC", 22),
    ("BADCOOKIE", 23),
];

/// The mnemonic of a response code (`NXDOMAIN`), or `RCODE<n>` for a code
/// without one.
pub fn rcode_name(code: u16) -> String {
    RCODES
        .iter()
        .find(|(_, c)| *c == code)
        .map_or_else(|| format!("RCODE{code}"), |(n, _)| (*n).to_string())
}

/// The code of a response code mnemonic, in any case (`nxdomain`).
pub fn rcode_code(name: &str) -> Option<u16> {
    RCODES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, c)| *c)
}

/// Largest input, in bytes (1 MiB).
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Most messages read from one input; the rest are a `too-many-messages`
/// error.
pub const MAX_MESSAGES: usize = 64;
/// Most records (or questions) in one section of one message.
pub const MAX_RECORDS_PER_SECTION: usize = 4096;
/// Most diagnostics listed; the count of errors stays exact.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// How a text handed in is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The output of BIND's `dig` (9.16 to 9.20).
    Dig,
    /// RFC 8427 JSON.
    Json,
    /// The wire form, in base64.
    Base64,
    /// The wire form, in hex.
    Hex,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Dig, Format::Json, Format::Base64, Format::Hex];

    /// The name of the format: `dig`, `json`, `base64` or `hex`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Dig => "dig",
            Format::Json => "json",
            Format::Base64 => "base64",
            Format::Hex => "hex",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is none of `dig`, `json`, `base64` and `hex`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown response format `{0}`: use dig, json, base64 or hex")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// The transport a response came over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// UDP.
    Udp,
    /// TCP.
    Tcp,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
        })
    }
}

/// One message read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadMessage {
    /// The message, as hickory-proto reads it from its own wire form.
    pub message: Message,
    /// The 1-based first line of this message in the input: the banner
    /// (`; <<>> DiG`) or `;; Got answer:` line of its dig output, else its
    /// header line; the line of its object in JSON; 1 for the wire form.
    pub line: u32,
    /// The transport, when the input says (dig 9.18 and later print it on
    /// the `;; SERVER:` line; see the module notes).
    pub transport: Option<Transport>,
    /// The server, as dig prints it (`127.0.0.1#53`), when given.
    pub server: Option<String>,
}

/// What was read from one text.
#[derive(Clone, Debug)]
pub struct Read {
    /// The messages, in input order.
    pub messages: Vec<ReadMessage>,
    /// Every diagnostic, errors and warnings, ordered by line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The number of errors, including any beyond [`MAX_DIAGNOSTICS`].
    pub error_count: usize,
}

impl Read {
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

    /// Whether nothing is wrong (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.error_count == 0
    }
}

/// Reads the DNS messages in `input`, written in `format`.
pub fn read(format: Format, input: &[u8]) -> Read {
    let mut sink = diag::Sink::new();
    let messages = if input.len() > MAX_INPUT_BYTES {
        sink.at(
            Code::InputTooLarge,
            1,
            1,
            "",
            format!(
                "the text is {} bytes, more than the limit of {MAX_INPUT_BYTES} bytes: hand in only the responses asked for",
                input.len()
            ),
        );
        Vec::new()
    } else {
        match format {
            Format::Dig => dig::read(input, &mut sink),
            Format::Json => json::read(input, &mut sink),
            Format::Base64 => wire::read_base64(input, &mut sink),
            Format::Hex => wire::read_hex(input, &mut sink),
        }
    };
    let error_count = sink.errors;
    let mut diagnostics = sink.list;
    // Stable: diagnostics on one line keep the order they were found in.
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Read {
        messages,
        diagnostics,
        error_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
            let json = serde_json::to_string(&f).expect("serialize");
            assert_eq!(json, format!("\"{f}\""));
        }
        assert!("DIG".parse::<Format>().is_err());
        assert_eq!(
            serde_json::to_string(&Transport::Tcp).expect("serialize"),
            "\"tcp\""
        );
        assert_eq!(Transport::Udp.to_string(), "udp");
    }

    #[test]
    fn codes_are_stable_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for &c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{s}"
            );
            assert_eq!(Code::from_text(s), Some(c));
        }
    }

    #[test]
    fn too_large_input_is_a_diagnostic() {
        let big = vec![b' '; MAX_INPUT_BYTES + 1];
        for f in Format::ALL {
            let r = read(f, &big);
            assert_eq!(r.error_count, 1);
            assert_eq!(r.diagnostics[0].code, Code::InputTooLarge);
        }
    }
}
