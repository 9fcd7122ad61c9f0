//! Reading the DNS responses to an exercise's probes
//! (`submission.responses`; interface 1.2.0).
//!
//! An exercise on a running server or resolver declares its queries in
//! `exercise.toml` (`[[probes]]`). The grader sends them to the student's
//! server (`submission.target`) or reads the responses the student handed
//! in (dig output, RFC 8427 JSON, wire form), and gives the checker one
//! [`Response`] per probe, in the order of the definition: the [`Query`],
//! its [`Outcome`] (a [`Message`], or why there is none), where it comes
//! from and how long it took.
//!
//! [`Responses`] looks probes up by id and turns a missing answer into a
//! reason a student can act on; the methods on [`Message`] read what a
//! checker usually asks of a response: the rcode, the header flags, the
//! records of a type in a section, the RRSIGs over a type, the NSEC or
//! NSEC3 proof in the authority section, the SOA serial. The record data
//! parsers of [`crate::rdata`] read response records ([`Rr`]) as well as
//! zone records.
//!
//! ```
//! use grader_checker_sdk::prelude::*;
//! use grader_checker_sdk::testing::{self, MessageBuilder};
//!
//! let q = testing::query("soa", "grp7.lab.example.", "SOA");
//! let m = MessageBuilder::reply_to(&q)
//!     .aa(true)
//!     .answer("grp7.lab.example.", "SOA", "ns1.grp7.lab.example. h.grp7.lab.example. 2026112901 7200 3600 1209600 3600")
//!     .build();
//! let mut tcp = testing::query("tcp", "grp7.lab.example.", "SOA");
//! tcp.transport = Transport::Tcp;
//! let s = testing::probed_submission(
//!     testing::zone("grp7.lab.example.", &[]),
//!     vec![testing::answered(q, m), testing::unanswered(tcp, Outcome::ConnectionRefused)],
//! );
//!
//! let responses = Responses::new(&s);
//! responses.require(&["soa", "tcp"])?;
//! let soa = responses.message("soa").unwrap();
//! assert!(soa.is_noerror() && soa.is_authoritative());
//! assert_eq!(soa.soa_serial(), Some(2026112901));
//! let why = responses.message("tcp").unwrap_err();
//! assert!(why.starts_with("connection refused: is your server listening on 127.0.0.12 port 5301 (TCP)?"), "{why}");
//! # Ok::<(), String>(())
//! ```

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::names::names_equal;
use crate::rdata::{self, DnskeyRdata, Rrsig, Soa, Srv};
use crate::types::{
    Edns, HeaderFlags, Message, Outcome, Query, Response, Rr, Source, Submission, TimingClass,
    Transport,
};

/// Response codes (the `rcode` of a [`Message`], with EDNS's extended bits).
pub mod rcode {
    /// No error (also a NODATA answer: NOERROR with an empty answer).
    pub const NOERROR: u16 = 0;
    /// The server could not read the query.
    pub const FORMERR: u16 = 1;
    /// The server failed: a zone that did not load, a resolver that found
    /// the answer bogus or could not reach the servers.
    pub const SERVFAIL: u16 = 2;
    /// The name does not exist.
    pub const NXDOMAIN: u16 = 3;
    /// The server does not implement the query's opcode.
    pub const NOTIMP: u16 = 4;
    /// The server refuses to answer (not authoritative, recursion refused,
    /// an access list).
    pub const REFUSED: u16 = 5;
    /// The server is not authoritative for the zone (in a response to a
    /// query, some servers say this instead of REFUSED).
    pub const NOTAUTH: u16 = 9;
    /// The EDNS version of the query is not supported.
    pub const BADVERS: u16 = 16;
}

/// Response code mnemonics, as dig prints them.
const RCODES: &[(u16, &str)] = &[
    (0, "NOERROR"),
    (1, "FORMERR"),
    (2, "SERVFAIL"),
    (3, "NXDOMAIN"),
    (4, "NOTIMP"),
    (5, "REFUSED"),
    (6, "YXDOMAIN"),
    (7, "YXRRSET"),
    (8, "NXRRSET"),
    (9, "NOTAUTH"),
    (10, "NOTZONE"),
    (16, "BADVERS"),
    (17, "BADKEY"),
    (18, "BADTIME"),
    (19, "BADMODE"),
    (20, "BADNAME"),
    (21, "BADALG"),
    (22, "BADTRUNC"),
    (23, "BADCOOKIE"),
];

/// The mnemonic of a response code (`NXDOMAIN`), `RCODE<n>` for one without
/// a name.
///
/// ```
/// use grader_checker_sdk::responses::rcode_name;
/// assert_eq!(rcode_name(3), "NXDOMAIN");
/// assert_eq!(rcode_name(42), "RCODE42");
/// ```
pub fn rcode_name(code: u16) -> String {
    RCODES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| format!("RCODE{code}"), |(_, n)| (*n).to_string())
}

/// The code of a response code mnemonic (any case) or of `RCODE<n>`.
///
/// ```
/// use grader_checker_sdk::responses::rcode_code;
/// assert_eq!(rcode_code("servfail"), Some(2));
/// assert_eq!(rcode_code("RCODE42"), Some(42));
/// assert_eq!(rcode_code("NOPE"), None);
/// ```
pub fn rcode_code(name: &str) -> Option<u16> {
    if let Some(n) = name
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("RCODE"))
        .map(|_| &name[5..])
    {
        return n.parse().ok().filter(|&c| c < 4096);
    }
    RCODES
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(name))
        .map(|(c, _)| *c)
}

/// The extended DNS error codes of RFC 8914 (EDNS option 15), by name.
const EDE: &[(u16, &str)] = &[
    (0, "Other Error"),
    (1, "Unsupported DNSKEY Algorithm"),
    (2, "Unsupported DS Digest Type"),
    (3, "Stale Answer"),
    (4, "Forged Answer"),
    (5, "DNSSEC Indeterminate"),
    (6, "DNSSEC Bogus"),
    (7, "Signature Expired"),
    (8, "Signature Not Yet Valid"),
    (9, "DNSKEY Missing"),
    (10, "RRSIGs Missing"),
    (11, "No Zone Key Bit Set"),
    (12, "NSEC Missing"),
    (13, "Cached Error"),
    (14, "Not Ready"),
    (15, "Blocked"),
    (16, "Censored"),
    (17, "Filtered"),
    (18, "Prohibited"),
    (19, "Stale NXDOMAIN Answer"),
    (20, "Not Authoritative"),
    (21, "Not Supported"),
    (22, "No Reachable Authority"),
    (23, "Network Error"),
    (24, "Invalid Data"),
    (25, "Signature Expired before Valid"),
    (26, "Too Early"),
    (27, "Unsupported NSEC3 Iterations Value"),
    (28, "Unable to conform to policy"),
    (29, "Synthesized"),
    (30, "Invalid Query Type"),
];

/// The EDNS option code of an extended DNS error (RFC 8914).
pub const EDE_OPTION: u16 = 15;

/// An extended DNS error (RFC 8914) a server added to its response, such as
/// Unbound's `DNSSEC Bogus` with a SERVFAIL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendedError {
    /// The INFO-CODE (6 for DNSSEC Bogus).
    pub code: u16,
    /// Its name in the RFC 8914 registry (`DNSSEC Bogus`), or `EDE <code>`.
    pub name: String,
    /// The EXTRA-TEXT, possibly empty.
    pub text: String,
}

impl fmt::Display for ExtendedError {
    /// `DNSSEC Bogus (6): validation failure <...>` (without the text when
    /// it is empty).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.code)?;
        if !self.text.is_empty() {
            write!(f, ": {}", self.text)?;
        }
        Ok(())
    }
}

/// A section of a DNS message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// The answer section.
    Answer,
    /// The authority section (referrals, the SOA and NSEC/NSEC3 proofs of
    /// a negative answer).
    Authority,
    /// The additional section (without the OPT record: see [`Message::edns`]).
    Additional,
}

impl Section {
    /// `answer`, `authority` or `additional`.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Answer => "answer",
            Section::Authority => "authority",
            Section::Additional => "additional",
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Transport {
    /// `UDP` or `TCP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Source {
    /// `probed` or `handed in`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Probed => "probed",
            Source::HandedIn => "handed in",
        }
    }
}

impl TimingClass {
    /// `fast` (under 10 ms), `normal` or `slow` (over 500 ms).
    pub fn as_str(self) -> &'static str {
        match self {
            TimingClass::Fast => "fast",
            TimingClass::Normal => "normal",
            TimingClass::Slow => "slow",
        }
    }
}

/// The address and port of a target as the grader writes it
/// (`127.0.0.12:5301`, `[::1]:53`); the port is `None` when absent.
fn split_target(target: &str) -> (&str, Option<&str>) {
    if let Some(rest) = target.strip_prefix('[')
        && let Some((host, port)) = rest.split_once(']')
    {
        return (host, port.strip_prefix(':'));
    }
    match target.rsplit_once(':') {
        // One colon: IPv4 with a port. More: a bare IPv6 address.
        Some((host, port)) if !host.contains(':') => (host, Some(port)),
        _ => (target, None),
    }
}

/// `127.0.0.12 port 5301`, `::1 port 53`, for feedback.
fn target_words(target: &str) -> String {
    match split_target(target) {
        (host, Some(port)) => format!("{host} port {port}"),
        (host, None) => format!("{host} port 53"),
    }
}

impl Query {
    /// The query in words: `` `www.grp7.lab.example. A` (UDP, RD, DO) ``;
    /// the flags listed are those set (RD, CD, AD, DO, and `no EDNS` for a
    /// query without it).
    ///
    /// ```
    /// use grader_checker_sdk::testing;
    /// let mut q = testing::query("soa-rd", "grp7.lab.example.", "SOA");
    /// q.recursion_desired = true;
    /// assert_eq!(q.describe(), "`grp7.lab.example. SOA` (UDP, RD)");
    /// ```
    pub fn describe(&self) -> String {
        let mut parts = vec![self.transport.as_str()];
        if self.recursion_desired {
            parts.push("RD");
        }
        if self.checking_disabled {
            parts.push("CD");
        }
        if self.authentic_data {
            parts.push("AD");
        }
        if self.dnssec_ok {
            parts.push("DO");
        }
        if self.edns_size.is_none() {
            parts.push("no EDNS");
        }
        format!("`{} {}` ({})", self.name, self.rtype, parts.join(", "))
    }

    /// The `dig` command that sends this query to `target` (as the grader
    /// writes it, `127.0.0.12:5301`; `None` gives `@SERVER`), for feedback
    /// a student can run: `+norec` unless RD is set, `+cd`, `+adflag`,
    /// `+dnssec`, `+noedns` or `+bufsize=N` when the size is not dig's
    /// 1232, and `+tcp`.
    ///
    /// ```
    /// use grader_checker_sdk::testing;
    /// let mut q = testing::query("dnskey-tcp", "grp7.lab.example.", "DNSKEY");
    /// q.dnssec_ok = true;
    /// q.transport = grader_checker_sdk::Transport::Tcp;
    /// assert_eq!(q.dig(Some("127.0.0.12:5301")),
    ///     "dig @127.0.0.12 -p 5301 grp7.lab.example. DNSKEY +norec +dnssec +tcp");
    /// q.edns_size = None;
    /// q.dnssec_ok = false;
    /// q.recursion_desired = true;
    /// assert_eq!(q.dig(Some("[::1]:53")), "dig @::1 grp7.lab.example. DNSKEY +noedns +tcp");
    /// ```
    pub fn dig(&self, target: Option<&str>) -> String {
        let server = match target.map(split_target) {
            Some((host, Some(port))) if port != "53" => format!("@{host} -p {port}"),
            Some((host, _)) => format!("@{host}"),
            None => "@SERVER".to_string(),
        };
        let mut cmd = format!("dig {server} {} {}", self.name, self.rtype);
        if !self.recursion_desired {
            cmd.push_str(" +norec");
        }
        if self.checking_disabled {
            cmd.push_str(" +cd");
        }
        if self.authentic_data {
            cmd.push_str(" +adflag");
        }
        if self.dnssec_ok {
            cmd.push_str(" +dnssec");
        }
        match self.edns_size {
            None => cmd.push_str(" +noedns"),
            Some(1232) => {}
            Some(n) => cmd.push_str(&format!(" +bufsize={n}")),
        }
        if self.transport == Transport::Tcp {
            cmd.push_str(" +tcp");
        }
        cmd
    }
}

impl Response {
    /// The probe's id (`soa`, `nxdomain`).
    pub fn id(&self) -> &str {
        &self.query.id
    }

    /// The response, when one arrived (whatever its rcode).
    pub fn message(&self) -> Option<&Message> {
        match &self.outcome {
            Outcome::Answered(m) => Some(m),
            _ => None,
        }
    }

    /// Whether a response arrived.
    pub fn is_answered(&self) -> bool {
        self.message().is_some()
    }

    /// Why there is no response, for the student, with the query and (for
    /// a probed one) the server it was sent to (`target`, as in
    /// [`Submission::target`]); `None` when there is one.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// use grader_checker_sdk::testing;
    /// let q = testing::query("soa", "grp7.lab.example.", "SOA");
    /// let r = testing::unanswered(q.clone(), Outcome::Timeout);
    /// let why = r.why_unanswered(Some("127.0.0.12:5301")).unwrap();
    /// assert!(why.starts_with("no answer within the timeout to `grp7.lab.example. SOA` (UDP) sent to 127.0.0.12 port 5301"), "{why}");
    /// let r = testing::unanswered_handed_in(q, Outcome::Missing);
    /// let why = r.why_unanswered(None).unwrap();
    /// assert!(why.starts_with("not handed in: no response to `grp7.lab.example. SOA` (UDP)"), "{why}");
    /// assert!(why.contains("dig @SERVER grp7.lab.example. SOA +norec"), "{why}");
    /// ```
    pub fn why_unanswered(&self, target: Option<&str>) -> Option<String> {
        let q = &self.query;
        let what = q.describe();
        let at = target.map_or_else(|| "your server".to_string(), target_words);
        let dig = q.dig(target);
        let tcp = q.transport == Transport::Tcp;
        Some(match &self.outcome {
            Outcome::Answered(_) => return None,
            Outcome::Timeout if self.source == Source::HandedIn => format!(
                "no answer to {what}: the query timed out when you ran it; make your server answer, then run `{dig}` again"
            ),
            Outcome::Timeout if tcp => format!(
                "no answer within the timeout to {what} sent to {at}: does your server accept queries over TCP, and does the firewall let TCP port {} in? Try `{dig}`",
                split_target(target.unwrap_or("")).1.unwrap_or("53")
            ),
            Outcome::Timeout => format!(
                "no answer within the timeout to {what} sent to {at}: is your server running and listening on that address, and does the firewall let the query in? Try `{dig}`"
            ),
            Outcome::ConnectionRefused => format!(
                "connection refused: is your server listening on {at} ({})? Nothing accepted {what} there; check with `{dig}`",
                q.transport
            ),
            Outcome::NetworkError(detail) => {
                format!("a network error kept {what} from reaching {at}: {detail}")
            }
            Outcome::Malformed(detail) => {
                format!("the response to {what} is not a readable DNS message: {detail}")
            }
            Outcome::Missing if self.source == Source::HandedIn => format!(
                "not handed in: no response to {what} is among those you handed in; run `{dig}` and hand in its output"
            ),
            Outcome::Missing => format!("the grader has no response to {what}"),
        })
    }
}

/// The responses of a submission, looked up by probe id, with the target
/// they were sent to.
///
/// Build it once with [`Responses::new`]; check at the start of the
/// checker that the exercise has the probes it reads ([`Responses::require`],
/// a checker error otherwise: a typo in a probe id must not cost the
/// student points).
#[derive(Clone, Copy, Debug)]
pub struct Responses<'a> {
    list: &'a [Response],
    target: Option<&'a str>,
}

impl<'a> Responses<'a> {
    /// The responses of `s` and its target.
    pub fn new(s: &'a Submission) -> Self {
        Responses {
            list: &s.responses,
            target: s.target.as_deref(),
        }
    }

    /// Responses not taken from a submission.
    pub fn from_parts(list: &'a [Response], target: Option<&'a str>) -> Self {
        Responses { list, target }
    }

    /// The server probed (`127.0.0.12:5301`), if any.
    pub fn target(&self) -> Option<&'a str> {
        self.target
    }

    /// Every response, in the order of the exercise's probes.
    pub fn all(&self) -> &'a [Response] {
        self.list
    }

    /// The response to the probe `id`.
    pub fn get(&self, id: &str) -> Option<&'a Response> {
        self.list.iter().find(|r| r.query.id == id)
    }

    /// `Ok` when there is a response for each of `ids`; otherwise the error
    /// to return from the checker (`?`), naming the probes missing from
    /// the exercise: a mismatch between checker and `exercise.toml` is the
    /// author's mistake, a checker error, never the student's.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// use grader_checker_sdk::testing;
    /// let s = testing::submission(testing::zone(".", &[]));
    /// let e = Responses::new(&s).require(&["soa"]).unwrap_err();
    /// assert_eq!(e, "the exercise has no probe `soa` ([[probes]] in exercise.toml), which this checker reads");
    /// ```
    pub fn require(&self, ids: &[&str]) -> Result<(), String> {
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| self.get(id).is_none())
            .map(|id| format!("`{id}`"))
            .collect();
        match missing.len() {
            0 => Ok(()),
            1 => Err(format!(
                "the exercise has no probe {} ([[probes]] in exercise.toml), which this checker reads",
                missing[0]
            )),
            _ => Err(format!(
                "the exercise has no probes {} ([[probes]] in exercise.toml), which this checker reads",
                missing.join(", ")
            )),
        }
    }

    /// The response message to the probe `id`, or why there is none, for
    /// the student (see [`Response::why_unanswered`]).
    pub fn message(&self, id: &str) -> Result<&'a Message, String> {
        let Some(r) = self.get(id) else {
            return Err(format!("this exercise asks no query `{id}`"));
        };
        match r.message() {
            Some(m) => Ok(m),
            None => Err(r
                .why_unanswered(self.target)
                .unwrap_or_else(|| "no response".into())),
        }
    }

    /// The `dig` command of the probe `id` against the target (see
    /// [`Query::dig`]); empty for an unknown id.
    pub fn dig(&self, id: &str) -> String {
        self.get(id)
            .map(|r| r.query.dig(self.target))
            .unwrap_or_default()
    }

    /// The query of the probe `id` in words (see [`Query::describe`]), or
    /// the id in backquotes when the exercise has no such probe.
    pub fn describe(&self, id: &str) -> String {
        self.get(id)
            .map_or_else(|| format!("`{id}`"), |r| r.query.describe())
    }

    /// The query name of the probe `id`; empty for an unknown id.
    pub fn qname(&self, id: &str) -> String {
        self.get(id)
            .map_or_else(String::new, |r| r.query.name.clone())
    }

    /// The answered probes with their messages, in order.
    pub fn answered(&self) -> Vec<(&'a Response, &'a Message)> {
        self.list
            .iter()
            .filter_map(|r| r.message().map(|m| (r, m)))
            .collect()
    }

    /// Whether at least one probe was answered.
    pub fn any_answered(&self) -> bool {
        self.list.iter().any(Response::is_answered)
    }

    /// When the exercise has probes and **none** was answered: one message
    /// for the student that says what happened to them all and what to
    /// check first (a checker then fails every check with it, instead of
    /// one complaint per query); `None` otherwise.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// use grader_checker_sdk::testing;
    /// let q = |id: &str| testing::query(id, "grp7.lab.example.", "SOA");
    /// let s = testing::probed_submission(testing::zone("grp7.lab.example.", &[]), vec![
    ///     testing::unanswered(q("soa"), Outcome::Timeout),
    ///     testing::unanswered(q("tcp"), Outcome::ConnectionRefused),
    /// ]);
    /// let why = Responses::new(&s).silence().unwrap();
    /// assert!(why.starts_with("nothing answered at 127.0.0.12 port 5301 (1 query timed out, 1 connection refused)"), "{why}");
    /// ```
    pub fn silence(&self) -> Option<String> {
        if self.list.is_empty() || self.any_answered() {
            return None;
        }
        let count = |f: fn(&Outcome) -> bool| self.list.iter().filter(|r| f(&r.outcome)).count();
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let timeouts = count(|o| matches!(o, Outcome::Timeout));
        let refused = count(|o| matches!(o, Outcome::ConnectionRefused));
        let errors = count(|o| matches!(o, Outcome::NetworkError(_)));
        let malformed = count(|o| matches!(o, Outcome::Malformed(_)));
        let missing = count(|o| matches!(o, Outcome::Missing));
        let first = &self.list[0];
        let dig = first.query.dig(self.target);
        if missing == self.list.len() {
            if self.list.iter().all(|r| r.source == Source::HandedIn) {
                return Some(format!(
                    "none of the {} responses this exercise asks for was handed in: run the dig commands of the statement (the first: `{dig}`) and hand in their output",
                    self.list.len()
                ));
            }
            return Some(format!(
                "the grader has no response to any of the {} queries of this exercise",
                self.list.len()
            ));
        }
        let mut what = Vec::new();
        if timeouts > 0 {
            what.push(plural(timeouts, "query timed out", "queries timed out"));
        }
        if refused > 0 {
            what.push(plural(refused, "connection refused", "connections refused"));
        }
        if errors > 0 {
            what.push(plural(errors, "network error", "network errors"));
        }
        if malformed > 0 {
            what.push(plural(
                malformed,
                "unreadable response",
                "unreadable responses",
            ));
        }
        if missing > 0 {
            what.push(plural(missing, "not handed in", "not handed in"));
        }
        let at = self
            .target
            .map_or_else(|| "your server".to_string(), target_words);
        let advice = if malformed > 0 && timeouts + refused + errors == 0 {
            "is a DNS server listening there?".to_string()
        } else if refused > 0 && timeouts + errors == 0 {
            format!(
                "nothing listens there. Is your server running, and does it listen on that address and port, for UDP and TCP (BIND: `listen-on`, NSD: `ip-address:`, Knot: `listen:`)? Check from another machine with `{dig}`"
            )
        } else {
            format!(
                "is your server running, listening on that address and port (UDP and TCP), and does the firewall let queries in? Check from another machine with `{dig}`"
            )
        };
        let mut text = format!("nothing answered at {at} ({}): {advice}", what.join(", "));
        if let Some(detail) = self.list.iter().find_map(|r| match &r.outcome {
            Outcome::NetworkError(d) | Outcome::Malformed(d) => Some(d),
            _ => None,
        }) {
            text.push_str(&format!(" (the first error: {detail})"));
        }
        Some(text)
    }
}

impl HeaderFlags {
    /// The flags set, as dig prints them after `qr`: `aa rd ra`.
    pub fn names(&self) -> String {
        let all = [
            (self.authoritative, "aa"),
            (self.truncated, "tc"),
            (self.recursion_desired, "rd"),
            (self.recursion_available, "ra"),
            (self.authentic_data, "ad"),
            (self.checking_disabled, "cd"),
        ];
        all.iter()
            .filter(|(set, _)| *set)
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Edns {
    /// The extended DNS errors among the options (RFC 8914).
    pub fn extended_errors(&self) -> Vec<ExtendedError> {
        self.options
            .iter()
            .filter(|o| o.code == EDE_OPTION && o.data.len() >= 2)
            .map(|o| {
                let code = u16::from_be_bytes([o.data[0], o.data[1]]);
                ExtendedError {
                    code,
                    name: EDE
                        .iter()
                        .find(|(c, _)| *c == code)
                        .map_or_else(|| format!("EDE {code}"), |(_, n)| (*n).to_string()),
                    text: String::from_utf8_lossy(&o.data[2..])
                        .trim_end_matches('\0')
                        .to_string(),
                }
            })
            .collect()
    }
}

impl Rr {
    /// Whether the record has type `rtype` (a mnemonic, any case, or
    /// `TYPEnnn`).
    pub fn is_type(&self, rtype: &str) -> bool {
        self.rtype.eq_ignore_ascii_case(rtype)
            || crate::testing::type_code(rtype) == Some(self.rtype_code)
    }

    /// For an RRSIG, the mnemonic of the type it covers (the first field of
    /// its data, `A` in `A 13 3 3600 ...`); `None` for other records.
    ///
    /// ```
    /// use grader_checker_sdk::testing;
    /// let sig = testing::rr("www.example.", "RRSIG", "A 13 2 3600 1798675200 1796083200 4242 example. c2ln");
    /// assert_eq!(sig.covers().as_deref(), Some("A"));
    /// assert_eq!(testing::rr("example.", "A", "192.0.2.1").covers(), None);
    /// ```
    pub fn covers(&self) -> Option<String> {
        if !self.is_type("RRSIG") {
            return None;
        }
        if let Some(sig) = self.rrsig() {
            return Some(sig.type_covered);
        }
        self.rdata
            .split_ascii_whitespace()
            .next()
            .filter(|t| !t.starts_with('\\'))
            .map(str::to_ascii_uppercase)
    }

    /// The record as dig prints it: `www.example. 3600 IN A 192.0.2.1`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.owner, self.ttl, self.class, self.rtype, self.rdata
        )
    }
}

/// The record-data parsers of [`crate::rdata`], for the records of a
/// response: each reads the presentation form (or RFC 3597 form) and
/// returns `None` for another type or data it cannot read.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing::MessageBuilder;
/// let m = MessageBuilder::new("example.", "SOA")
///     .answer("example.", "SOA", "ns1.example. hostmaster.example. 2026112901 7200 3600 1209600 3600")
///     .authority("example.", "NS", "ns1.example.")
///     .additional("ns1.example.", "A", "192.0.2.53")
///     .build();
/// assert_eq!(m.answer[0].soa().map(|s| s.serial), Some(2026112901));
/// assert_eq!(m.authority[0].target(), Some("ns1.example."));
/// assert_eq!(m.additional[0].a(), Some(std::net::Ipv4Addr::new(192, 0, 2, 53)));
/// assert_eq!(m.additional[0].soa(), None);
/// ```
impl Rr {
    /// The address of an `A` record ([`rdata::a`]).
    pub fn a(&self) -> Option<Ipv4Addr> {
        rdata::a_of(self)
    }

    /// The address of an `AAAA` record ([`rdata::aaaa`]).
    pub fn aaaa(&self) -> Option<Ipv6Addr> {
        rdata::aaaa_of(self)
    }

    /// The address of an `A` or `AAAA` record ([`rdata::ip`]).
    pub fn ip(&self) -> Option<IpAddr> {
        rdata::ip_of(self)
    }

    /// The name of an `NS`, `CNAME`, `PTR` or `DNAME` record
    /// ([`rdata::target`]).
    pub fn target(&self) -> Option<&str> {
        rdata::target_of(self)
    }

    /// Preference and exchange of an `MX` record ([`rdata::mx`]).
    pub fn mx(&self) -> Option<(u16, &str)> {
        rdata::mx_of(self)
    }

    /// The fields of an `SOA` record ([`rdata::soa`]).
    pub fn soa(&self) -> Option<Soa<'_>> {
        rdata::soa_of(self)
    }

    /// The fields of an `SRV` record ([`rdata::srv`]).
    pub fn srv(&self) -> Option<Srv<'_>> {
        rdata::srv_of(self)
    }

    /// The character-strings of a `TXT` record ([`rdata::txt_strings`]).
    pub fn txt_strings(&self) -> Vec<String> {
        rdata::txt_strings_of(self)
    }

    /// The strings of a `TXT` record joined ([`rdata::txt_text`]).
    pub fn txt_text(&self) -> String {
        rdata::txt_text_of(self)
    }

    /// Flags, tag and value of a `CAA` record ([`rdata::caa`]).
    pub fn caa(&self) -> Option<(u8, &str, String)> {
        rdata::caa_of(self)
    }

    /// The data in RFC 3597 form, decoded ([`rdata::rfc3597`]).
    pub fn rfc3597(&self) -> Option<Vec<u8>> {
        rdata::rfc3597_of(self)
    }

    /// The fields of an `RRSIG` record ([`rdata::rrsig`]): the type
    /// covered, key tag, signer, inception and expiration.
    pub fn rrsig(&self) -> Option<Rrsig> {
        rdata::rrsig_of(self)
    }

    /// The fields of a `DNSKEY` record ([`rdata::dnskey`]), to compare
    /// with the keys of a zone file or to compute a key tag.
    pub fn dnskey(&self) -> Option<DnskeyRdata> {
        rdata::dnskey_of(self)
    }
}

/// Whether `sig` is an RRSIG covering `rtype` (by mnemonic or code).
fn covers_type(sig: &Rr, rtype: &str) -> bool {
    sig.covers().is_some_and(|c| {
        c.eq_ignore_ascii_case(rtype)
            || crate::testing::type_code(&c)
                .is_some_and(|a| Some(a) == crate::testing::type_code(rtype))
    })
}

impl Message {
    /// The records of `section`, in message order.
    pub fn section(&self, section: Section) -> &[Rr] {
        match section {
            Section::Answer => &self.answer,
            Section::Authority => &self.authority,
            Section::Additional => &self.additional,
        }
    }

    /// The records of type `rtype` in `section`.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// use grader_checker_sdk::testing::MessageBuilder;
    /// let m = MessageBuilder::new("example.", "NS")
    ///     .answer("example.", "NS", "ns1.example.")
    ///     .answer("example.", "NS", "ns2.example.")
    ///     .additional("ns1.example.", "A", "192.0.2.1")
    ///     .build();
    /// assert_eq!(m.records(Section::Answer, "ns").len(), 2);
    /// assert_eq!(m.records(Section::Additional, "A")[0].rdata, "192.0.2.1");
    /// ```
    pub fn records(&self, section: Section, rtype: &str) -> Vec<&Rr> {
        self.section(section)
            .iter()
            .filter(|r| r.is_type(rtype))
            .collect()
    }

    /// The records of type `rtype` in the answer section.
    pub fn answers(&self, rtype: &str) -> Vec<&Rr> {
        self.records(Section::Answer, rtype)
    }

    /// The records of type `rtype` owned by `owner` in `section` (names
    /// compare with [`names_equal`]).
    pub fn rrset(&self, section: Section, owner: &str, rtype: &str) -> Vec<&Rr> {
        self.section(section)
            .iter()
            .filter(|r| r.is_type(rtype) && names_equal(&r.owner, owner))
            .collect()
    }

    /// The RRSIG records in `section` that cover `rtype` (the first field of
    /// their data).
    pub fn rrsigs(&self, section: Section, rtype: &str) -> Vec<&Rr> {
        self.section(section)
            .iter()
            .filter(|r| covers_type(r, rtype))
            .collect()
    }

    /// Whether `section` holds an RRSIG covering `rtype`.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// use grader_checker_sdk::testing::MessageBuilder;
    /// let m = MessageBuilder::new("www.example.", "A")
    ///     .answer("www.example.", "A", "192.0.2.1")
    ///     .answer("www.example.", "RRSIG", "A 13 2 3600 1798675200 1796083200 4242 example. c2ln")
    ///     .build();
    /// assert!(m.has_rrsig(Section::Answer, "A"));
    /// assert!(!m.has_rrsig(Section::Answer, "AAAA"));
    /// ```
    pub fn has_rrsig(&self, section: Section, rtype: &str) -> bool {
        self.section(section).iter().any(|r| covers_type(r, rtype))
    }

    /// Whether every RRset of type `rtype` in `section` comes with an RRSIG
    /// covering it at its owner, and there is at least one such RRset.
    pub fn is_signed(&self, section: Section, rtype: &str) -> bool {
        let sets = self.records(section, rtype);
        !sets.is_empty()
            && sets.iter().all(|r| {
                self.section(section)
                    .iter()
                    .any(|s| covers_type(s, rtype) && names_equal(&s.owner, &r.owner))
            })
    }

    /// The NSEC and NSEC3 records of the authority section (the proof of a
    /// negative answer).
    pub fn denial_records(&self) -> Vec<&Rr> {
        self.authority
            .iter()
            .filter(|r| r.is_type("NSEC") || r.is_type("NSEC3"))
            .collect()
    }

    /// `NSEC` or `NSEC3`: which kind of proof the authority section holds
    /// (NSEC3 when it has both); `None` without one.
    pub fn denial(&self) -> Option<&'static str> {
        let recs = self.denial_records();
        if recs.iter().any(|r| r.is_type("NSEC3")) {
            Some("NSEC3")
        } else if recs.is_empty() {
            None
        } else {
            Some("NSEC")
        }
    }

    /// Whether the authority section proves the negative answer the way a
    /// validator needs it: NSEC or NSEC3 records, each of their owners with
    /// an RRSIG covering its type. (Which names the records cover is not
    /// checked: that needs the hashes; the grader's zone validation
    /// covers the chain.)
    ///
    /// ```
    /// use grader_checker_sdk::testing::MessageBuilder;
    /// let sig = "NSEC 13 2 3600 1798675200 1796083200 4242 example. c2ln";
    /// let m = MessageBuilder::new("nope.example.", "A")
    ///     .rcode("NXDOMAIN")
    ///     .authority("example.", "NSEC", "www.example. NS SOA RRSIG NSEC DNSKEY")
    ///     .authority("example.", "RRSIG", sig)
    ///     .build();
    /// assert!(m.is_nxdomain() && m.has_signed_denial());
    /// assert_eq!(m.denial(), Some("NSEC"));
    /// ```
    pub fn has_signed_denial(&self) -> bool {
        let recs = self.denial_records();
        !recs.is_empty()
            && recs.iter().all(|r| {
                self.authority
                    .iter()
                    .any(|s| covers_type(s, &r.rtype) && names_equal(&s.owner, &r.owner))
            })
    }

    /// The serial of the (first) SOA record in the answer section.
    pub fn soa_serial(&self) -> Option<u32> {
        self.answers("SOA")
            .into_iter()
            .find_map(Rr::soa)
            .map(|s| s.serial)
    }

    /// The (first) SOA record of the authority section, as in a negative
    /// answer (RFC 2308).
    pub fn authority_soa(&self) -> Option<&Rr> {
        self.authority.iter().find(|r| r.is_type("SOA"))
    }

    /// Whether the rcode is `name` (a mnemonic, any case, or `RCODE<n>`).
    pub fn rcode_is(&self, name: &str) -> bool {
        rcode_code(name) == Some(self.rcode)
    }

    /// NOERROR.
    pub fn is_noerror(&self) -> bool {
        self.rcode == rcode::NOERROR
    }

    /// NXDOMAIN.
    pub fn is_nxdomain(&self) -> bool {
        self.rcode == rcode::NXDOMAIN
    }

    /// SERVFAIL.
    pub fn is_servfail(&self) -> bool {
        self.rcode == rcode::SERVFAIL
    }

    /// REFUSED.
    pub fn is_refused(&self) -> bool {
        self.rcode == rcode::REFUSED
    }

    /// FORMERR.
    pub fn is_formerr(&self) -> bool {
        self.rcode == rcode::FORMERR
    }

    /// A NODATA answer (RFC 2308): NOERROR and an empty answer section.
    pub fn is_nodata(&self) -> bool {
        self.is_noerror() && self.answer.is_empty()
    }

    /// AA: the answer comes from a server authoritative for it.
    pub fn is_authoritative(&self) -> bool {
        self.header.authoritative
    }

    /// RA: the server offers recursion.
    pub fn recursion_available(&self) -> bool {
        self.header.recursion_available
    }

    /// AD: a validating resolver found the answer secure.
    pub fn authentic_data(&self) -> bool {
        self.header.authentic_data
    }

    /// TC: the response was truncated (too large for UDP).
    pub fn is_truncated(&self) -> bool {
        self.header.truncated
    }

    /// Whether the response has an OPT record (EDNS).
    pub fn has_edns(&self) -> bool {
        self.edns.is_some()
    }

    /// The DO bit of the response's OPT record.
    pub fn dnssec_ok(&self) -> bool {
        self.edns.as_ref().is_some_and(|e| e.dnssec_ok)
    }

    /// The extended DNS errors of the response (RFC 8914), if any.
    pub fn extended_errors(&self) -> Vec<ExtendedError> {
        self.edns
            .as_ref()
            .map(Edns::extended_errors)
            .unwrap_or_default()
    }

    /// The header as dig prints it: `NOERROR, flags: qr aa rd; ANSWER: 1,
    /// AUTHORITY: 0, ADDITIONAL: 0`, for feedback that shows what came
    /// back.
    ///
    /// ```
    /// use grader_checker_sdk::testing::MessageBuilder;
    /// let m = MessageBuilder::new("example.", "SOA").rcode("REFUSED").rd(true).build();
    /// assert_eq!(m.describe(), "REFUSED, flags: qr rd; ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0");
    /// ```
    pub fn describe(&self) -> String {
        let flags = self.header.names();
        let flags = if flags.is_empty() {
            "qr".to_string()
        } else {
            format!("qr {flags}")
        };
        format!(
            "{}, flags: {flags}; ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
            self.rcode_name,
            self.answer.len(),
            self.authority.len(),
            self.additional.len() + usize::from(self.edns.is_some())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, MessageBuilder};

    #[test]
    fn targets_split() {
        assert_eq!(split_target("127.0.0.1:53"), ("127.0.0.1", Some("53")));
        assert_eq!(split_target("[::1]:5301"), ("::1", Some("5301")));
        assert_eq!(split_target("::1"), ("::1", None));
        assert_eq!(split_target("192.0.2.1"), ("192.0.2.1", None));
        assert_eq!(split_target("[::1"), ("[::1", None));
        assert_eq!(target_words("[2001:db8::1]:53"), "2001:db8::1 port 53");
        assert_eq!(target_words(""), " port 53");
    }

    #[test]
    fn rcodes() {
        for &(c, n) in RCODES {
            assert_eq!(rcode_code(n), Some(c));
            assert_eq!(rcode_name(c), n);
        }
        assert_eq!(rcode_code("rcode4095"), Some(4095));
        assert_eq!(rcode_code("RCODE4096"), None);
        assert_eq!(rcode_code("RCODEx"), None);
        assert_eq!(rcode_code("é"), None);
        let m = MessageBuilder::new("a.", "A").rcode("servfail").build();
        assert!(m.is_servfail() && m.rcode_is("SERVFAIL") && !m.rcode_is("NOERROR"));
        assert_eq!(m.rcode_name, "SERVFAIL");
    }

    #[test]
    fn queries_in_words_and_dig() {
        let mut q = testing::query("x", "bogus.resolver-lab.example.", "A");
        q.recursion_desired = true;
        q.checking_disabled = true;
        q.authentic_data = true;
        q.edns_size = Some(4096);
        assert_eq!(
            q.describe(),
            "`bogus.resolver-lab.example. A` (UDP, RD, CD, AD)"
        );
        assert_eq!(
            q.dig(Some("127.0.0.53:53")),
            "dig @127.0.0.53 bogus.resolver-lab.example. A +cd +adflag +bufsize=4096"
        );
        q.edns_size = None;
        assert!(q.describe().ends_with("AD, no EDNS)"));
    }

    #[test]
    fn reasons_for_every_outcome() {
        let q = testing::query("soa", "a.example.", "SOA");
        let mut tcp = q.clone();
        tcp.transport = Transport::Tcp;
        let t = Some("127.0.0.12:5301");
        let why = |q: &Query, o: Outcome, src: Source| {
            let mut r = testing::unanswered(q.clone(), o);
            r.source = src;
            r.why_unanswered(t).unwrap()
        };
        let timeout_tcp = why(&tcp, Outcome::Timeout, Source::Probed);
        assert!(
            timeout_tcp.contains("over TCP") && timeout_tcp.contains("TCP port 5301"),
            "{timeout_tcp}"
        );
        let handed = why(&q, Outcome::Timeout, Source::HandedIn);
        assert!(handed.contains("timed out when you ran it"), "{handed}");
        let refused = why(&tcp, Outcome::ConnectionRefused, Source::Probed);
        assert!(
            refused.starts_with(
                "connection refused: is your server listening on 127.0.0.12 port 5301 (TCP)?"
            ),
            "{refused}"
        );
        let net = why(
            &q,
            Outcome::NetworkError("host unreachable".into()),
            Source::Probed,
        );
        assert!(net.ends_with(": host unreachable"), "{net}");
        let bad = why(&q, Outcome::Malformed("3 bytes".into()), Source::HandedIn);
        assert!(bad.contains("not a readable DNS message: 3 bytes"), "{bad}");
        let missing = why(&q, Outcome::Missing, Source::Probed);
        assert_eq!(
            missing,
            "the grader has no response to `a.example. SOA` (UDP)"
        );
        let m = MessageBuilder::reply_to(&q).build();
        assert_eq!(testing::answered(q, m).why_unanswered(t), None);
    }

    #[test]
    fn responses_by_id() {
        let q = |id: &str| testing::query(id, "a.example.", "SOA");
        let m = MessageBuilder::reply_to(&q("soa")).build();
        let s = testing::probed_submission(
            testing::zone("a.example.", &[]),
            vec![
                testing::answered(q("soa"), m.clone()),
                testing::unanswered(q("tcp"), Outcome::Timeout),
            ],
        );
        let r = Responses::new(&s);
        assert_eq!(r.target(), Some(testing::TARGET));
        assert_eq!(r.all().len(), 2);
        assert_eq!(r.get("tcp").map(Response::id), Some("tcp"));
        assert_eq!(r.message("soa"), Ok(&m));
        assert!(r.message("tcp").is_err());
        assert_eq!(
            r.message("nope"),
            Err("this exercise asks no query `nope`".into())
        );
        assert!(r.require(&["soa", "tcp"]).is_ok());
        let e = r.require(&["a", "soa", "b"]).unwrap_err();
        assert!(e.contains("no probes `a`, `b`"), "{e}");
        assert_eq!(r.answered().len(), 1);
        assert!(r.any_answered());
        assert_eq!(r.silence(), None);
        assert_eq!(r.dig("nope"), "");
        assert_eq!(
            r.dig("soa"),
            "dig @127.0.0.12 -p 5301 a.example. SOA +norec"
        );
        let empty = Responses::from_parts(&[], None);
        assert_eq!(empty.silence(), None);
    }

    #[test]
    fn silence_summaries() {
        let q = |id: &str| testing::query(id, "a.example.", "SOA");
        let all = |o: Outcome| {
            vec![
                testing::unanswered(q("a"), o.clone()),
                testing::unanswered(q("b"), o),
            ]
        };
        let text = |list: &[Response], t| Responses::from_parts(list, t).silence().unwrap();
        let t = text(&all(Outcome::Timeout), None);
        assert!(
            t.starts_with(
                "nothing answered at your server (2 queries timed out): is your server running"
            ),
            "{t}"
        );
        assert!(t.contains("`dig @SERVER a.example. SOA +norec`"), "{t}");
        let t = text(&all(Outcome::Malformed("junk".into())), Some("[::1]:53"));
        assert_eq!(
            t,
            "nothing answered at ::1 port 53 (2 unreadable responses): is a DNS server listening there? (the first error: junk)"
        );
        let t = text(&all(Outcome::ConnectionRefused), Some("127.0.0.1:53"));
        assert!(
            t.starts_with("nothing answered at 127.0.0.1 port 53 (2 connections refused): nothing listens there."),
            "{t}"
        );
        let t = text(&all(Outcome::NetworkError("no route".into())), None);
        assert!(
            t.contains("(2 network errors)") && t.ends_with("(the first error: no route)"),
            "{t}"
        );
        let t = text(&all(Outcome::Missing), None);
        assert_eq!(
            t,
            "the grader has no response to any of the 2 queries of this exercise"
        );
        let mut handed = all(Outcome::Missing);
        for r in &mut handed {
            r.source = Source::HandedIn;
        }
        let t = text(&handed, None);
        assert!(
            t.starts_with("none of the 2 responses this exercise asks for was handed in"),
            "{t}"
        );
        handed[0].outcome = Outcome::Timeout;
        let t = text(&handed, None);
        assert!(t.contains("(1 query timed out, 1 not handed in)"), "{t}");
    }

    #[test]
    fn sections_and_signatures() {
        let sig = |t: &str| format!("{t} 13 3 3600 1798675200 1796083200 4242 a.example. c2ln");
        let m = MessageBuilder::new("www.a.example.", "A")
            .aa(true)
            .answer("www.a.example.", "A", "192.0.2.1")
            .answer("www.a.example.", "RRSIG", &sig("A"))
            .answer("www.a.example.", "RRSIG", r"\# 3 000102")
            .authority("a.example.", "NS", "ns1.a.example.")
            .additional("ns1.a.example.", "A", "192.0.2.53")
            .build();
        assert_eq!(m.section(Section::Authority).len(), 1);
        assert_eq!(m.answers("a").len(), 1);
        assert_eq!(m.answers("TYPE1").len(), 1);
        assert_eq!(m.rrset(Section::Answer, "WWW.a.example", "A").len(), 1);
        assert_eq!(m.rrset(Section::Answer, "a.example.", "A").len(), 0);
        assert_eq!(m.rrsigs(Section::Answer, "A").len(), 1);
        assert!(m.is_signed(Section::Answer, "A"));
        assert!(!m.is_signed(Section::Answer, "AAAA"));
        assert!(!m.is_signed(Section::Authority, "NS"));
        assert_eq!(m.denial(), None);
        assert!(!m.has_signed_denial());
        assert_eq!(m.soa_serial(), None);
        assert_eq!(m.authority_soa(), None);
        assert!(m.is_authoritative() && !m.recursion_available() && !m.authentic_data());
        assert!(!m.is_truncated() && !m.has_edns() && !m.dnssec_ok());
        assert!(!m.is_nodata());
        assert_eq!(Section::Additional.to_string(), "additional");
        assert_eq!(m.answer[0].describe(), "www.a.example. 3600 IN A 192.0.2.1");
        // An RRSIG whose data cannot be read covers nothing.
        assert_eq!(m.answer[2].covers(), None);
        let typed = testing::rr("a.", "RRSIG", "TYPE65280 13 1 3600 1 0 1 a. c2ln");
        assert_eq!(typed.covers().as_deref(), Some("TYPE65280"));
    }

    #[test]
    fn negative_answers() {
        let sig = |t: &str| format!("{t} 13 3 3600 1798675200 1796083200 4242 a.example. c2ln");
        let nsec3 = "1 0 0 - 0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM A RRSIG";
        let b = MessageBuilder::new("x.a.example.", "A")
            .rcode("NXDOMAIN")
            .aa(true)
            .authority("a.example.", "SOA", "ns1.a.example. h.a.example. 7 1 2 3 4")
            .authority("a.example.", "RRSIG", &sig("SOA"))
            .authority("abc.a.example.", "NSEC3", nsec3)
            .authority("def.a.example.", "NSEC3", nsec3);
        let half = b
            .clone()
            .authority("abc.a.example.", "RRSIG", &sig("NSEC3"))
            .build();
        assert_eq!(half.denial(), Some("NSEC3"));
        assert_eq!(half.denial_records().len(), 2);
        assert!(!half.has_signed_denial());
        let full = b
            .authority("abc.a.example.", "RRSIG", &sig("NSEC3"))
            .authority("def.a.example.", "RRSIG", &sig("NSEC3"))
            .build();
        assert!(full.has_signed_denial());
        assert_eq!(
            full.authority_soa().map(|r| r.owner.as_str()),
            Some("a.example.")
        );
        let nodata = MessageBuilder::new("www.a.example.", "TXT").build();
        assert!(nodata.is_nodata() && nodata.is_noerror());
    }

    #[test]
    fn edns_and_extended_errors() {
        let m = MessageBuilder::new("bogus.a.example.", "A")
            .rcode("SERVFAIL")
            .edns(1232, true)
            .edns_option(EDE_OPTION, b"\x00\x06validation failure\0")
            .edns_option(EDE_OPTION, b"\x01\x2c")
            .edns_option(EDE_OPTION, b"\x00")
            .edns_option(10, b"cookie")
            .build();
        assert!(m.has_edns() && m.dnssec_ok());
        let e = m.extended_errors();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].to_string(), "DNSSEC Bogus (6): validation failure");
        assert_eq!(e[1].to_string(), "EDE 300 (300)");
        assert_eq!(
            m.describe(),
            "SERVFAIL, flags: qr; ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1"
        );
        assert!(
            MessageBuilder::new("a.", "A")
                .build()
                .extended_errors()
                .is_empty()
        );
    }

    #[test]
    fn serials_from_answers() {
        let m = MessageBuilder::new("a.example.", "SOA")
            .answer("a.example.", "SOA", "garbage")
            .answer(
                "a.example.",
                "SOA",
                "ns1.a.example. h.a.example. 2026112901 1 2 3 4",
            )
            .build();
        assert_eq!(m.soa_serial(), Some(2026112901));
        assert_eq!(Source::HandedIn.as_str(), "handed in");
        assert_eq!(TimingClass::Slow.as_str(), "slow");
        assert_eq!(Transport::Tcp.to_string(), "TCP");
    }
}
