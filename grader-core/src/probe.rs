//! Probes: the DNS queries an exercise asks about, where they may be sent,
//! and what came back (a [`Capture`]).
//!
//! This module has no network code. The worker (`grader-worker`'s `probe`
//! module) sends the queries and fills in captures; this module defines
//!
//! - [`ProbeDef`], a `[[probes]]` entry of `exercise.toml`, and [`Query`],
//!   the same probe resolved for one learner (absolute name, type);
//! - [`Target`], the server a submission names, and [`Allowlist`], the
//!   networks and ports a worker may send probes to: a target outside it is
//!   refused before any packet leaves;
//! - [`Capture`], the record of one probe kept in the grading result (the
//!   response in wire form, base64), so a grading can be replayed offline
//!   and gives the same bytes;
//! - [`handed_in`], which turns responses a student handed in (dig output,
//!   RFC 8427 JSON, wire form; see [`crate::response`]) into captures.
//!
//! Limits: at most [`MAX_PROBES`] probes per exercise, and so per
//! submission.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

use data_encoding::BASE64;
use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query as Question};
use hickory_proto::rr::{DNSClass, Name, RecordType};
use serde::{Deserialize, Serialize};

use crate::response::{self, Format, Transport};

/// Most probes an exercise may declare.
pub const MAX_PROBES: usize = 64;

/// The EDNS UDP payload size a probe offers unless it says otherwise
/// (the DNS Flag Day 2020 value).
pub const DEFAULT_EDNS_SIZE: u16 = 1232;

/// A probe as `exercise.toml` declares it (`[[probes]]`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProbeDef {
    /// Stable id, as checkers refer to it (`soa`, `nxdomain`).
    pub id: String,
    /// The query name: absolute (`www.example.com.`), or relative to the
    /// exercise's zone origin (`www`, `@` for the origin itself).
    pub name: String,
    /// The query type mnemonic (`SOA`, `DNSKEY`, `TYPE65534`).
    #[serde(rename = "type")]
    pub rtype: String,
    /// `udp` (default) or `tcp`.
    #[serde(default)]
    pub transport: TransportDef,
    /// The RD flag (default false: a question for an authoritative server).
    #[serde(default)]
    pub recursion_desired: bool,
    /// The CD flag.
    #[serde(default)]
    pub checking_disabled: bool,
    /// The AD flag (RFC 6840: asks a validating resolver for the AD bit
    /// without DO, as dig does by default).
    #[serde(default)]
    pub authentic_data: bool,
    /// The EDNS DO bit (needs EDNS).
    #[serde(default)]
    pub dnssec_ok: bool,
    /// The EDNS UDP payload size offered; 0 sends the query without EDNS.
    #[serde(default = "default_edns_size")]
    pub edns_size: u16,
}

fn default_edns_size() -> u16 {
    DEFAULT_EDNS_SIZE
}

/// The transport of a probe, as written in `exercise.toml`.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TransportDef {
    /// UDP (the default).
    #[default]
    Udp,
    /// TCP, with the two-byte length prefix.
    Tcp,
}

impl From<TransportDef> for Transport {
    fn from(t: TransportDef) -> Transport {
        match t {
            TransportDef::Udp => Transport::Udp,
            TransportDef::Tcp => Transport::Tcp,
        }
    }
}

/// A probe resolved for one learner: what is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// The probe's id.
    pub id: String,
    /// Absolute query name.
    pub name: Name,
    /// Query type.
    pub rtype: RecordType,
    /// How it is sent.
    pub transport: Transport,
    /// RD.
    pub recursion_desired: bool,
    /// CD.
    pub checking_disabled: bool,
    /// AD.
    pub authentic_data: bool,
    /// The EDNS DO bit.
    pub dnssec_ok: bool,
    /// The EDNS payload size; `None` for a query without EDNS.
    pub edns_size: Option<u16>,
}

impl ProbeDef {
    /// The probe for a zone with origin `origin` (relative names are read
    /// below it; `None` when the exercise has no origin), or what is wrong
    /// with the definition.
    pub fn resolve(&self, origin: Option<&Name>) -> Result<Query, String> {
        let name = if self.name == "@" {
            origin
                .cloned()
                .ok_or("`@` needs the exercise's zone origin ([inputs.zone])")?
        } else {
            let n = Name::from_ascii(&self.name)
                .map_err(|e| format!("`{}` is not a domain name: {e}", self.name.escape_debug()))?;
            if n.is_fqdn() {
                n
            } else {
                let origin = origin.ok_or_else(|| {
                    format!(
                        "`{}` is relative, and the exercise has no zone origin: end it with a dot",
                        self.name
                    )
                })?;
                n.append_domain(origin)
                    .map_err(|e| format!("`{}` below the origin is too long: {e}", self.name))?
            }
        };
        let rtype = crate::zone::parse_type(&self.rtype).ok_or_else(|| {
            format!(
                "`{}` is not a record type (a mnemonic such as SOA, or TYPEnnn)",
                self.rtype.escape_debug()
            )
        })?;
        if self.dnssec_ok && self.edns_size == 0 {
            return Err("`dnssec_ok` needs EDNS: an `edns_size` of 512 or more".into());
        }
        if (1..512).contains(&self.edns_size) {
            return Err(format!(
                "`edns_size` {} is below 512, which EDNS forbids (0 sends no EDNS)",
                self.edns_size
            ));
        }
        Ok(Query {
            id: self.id.clone(),
            name,
            rtype: RecordType::from(rtype),
            transport: self.transport.into(),
            recursion_desired: self.recursion_desired,
            checking_disabled: self.checking_disabled,
            authentic_data: self.authentic_data,
            dnssec_ok: self.dnssec_ok,
            edns_size: (self.edns_size != 0).then_some(self.edns_size),
        })
    }
}

impl Query {
    /// The query message, with message id `id`.
    pub fn message(&self, id: u16) -> Message {
        let mut m = Message::new(id, MessageType::Query, OpCode::Query);
        m.metadata.recursion_desired = self.recursion_desired;
        m.metadata.checking_disabled = self.checking_disabled;
        m.metadata.authentic_data = self.authentic_data;
        let mut q = Question::query(self.name.clone(), self.rtype);
        q.set_query_class(DNSClass::IN);
        m.add_query(q);
        if let Some(size) = self.edns_size {
            let mut edns = Edns::new();
            edns.set_max_payload(size);
            edns.set_dnssec_ok(self.dnssec_ok);
            m.set_edns(edns);
        }
        m
    }

    /// Whether `m` is a response to this query: its question is this
    /// query's name (case-insensitively), type and class IN.
    pub fn asked_by(&self, m: &Message) -> bool {
        m.metadata.message_type == MessageType::Response
            && m.queries.len() == 1
            // `Name`'s equality ignores ASCII case.
            && *m.queries[0].name() == self.name
            && m.queries[0].query_type() == self.rtype
            && m.queries[0].query_class() == DNSClass::IN
    }

    /// Whether a response handed in by a student answers this query, as far
    /// as the response shows: the question, the RD and CD flags (copied
    /// from the query), EDNS and its DO bit (echoed), and the transport (a
    /// response that does not say is taken as UDP, the default of dig and
    /// of DNS: only one shown to come over TCP answers a TCP probe).
    pub fn matches_handed_in(&self, m: &response::ReadMessage) -> bool {
        let msg = &m.message;
        self.asked_by(msg)
            && msg.metadata.recursion_desired == self.recursion_desired
            && msg.metadata.checking_disabled == self.checking_disabled
            && msg.edns.is_some() == self.edns_size.is_some()
            && msg
                .edns
                .as_ref()
                .is_none_or(|e| e.flags().dnssec_ok == self.dnssec_ok)
            && m.transport.unwrap_or(Transport::Udp) == self.transport
    }
}

/// The server a submission asks the grader to probe.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// An IPv4 or IPv6 address (no host names: the grader resolves nothing).
    pub address: IpAddr,
    /// The port (default 53).
    #[serde(default = "dns_port")]
    pub port: u16,
}

fn dns_port() -> u16 {
    53
}

impl Target {
    /// The socket address, with an IPv4-mapped IPv6 address taken as the
    /// IPv4 address it maps (so the allowlist sees what is really reached).
    pub fn socket_addr(&self) -> SocketAddr {
        SocketAddr::new(self.address.to_canonical(), self.port)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.socket_addr().fmt(f)
    }
}

/// One entry of an [`Allowlist`]: a network and, optionally, ports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The network (`127.0.0.0/8`).
    pub net: ipnet::IpNet,
    /// The ports allowed; empty means all.
    pub ports: Vec<RangeInclusive<u16>>,
}

impl FromStr for Allow {
    type Err = String;

    /// `NETWORK[/PREFIX][@PORTS]`: `127.0.0.0/8`, `::1`, `10.1.0.0/16@53`,
    /// `192.0.2.0/24@53,5300-5399`. A bare address is a one-address network.
    fn from_str(s: &str) -> Result<Allow, String> {
        let (net, ports) = match s.split_once('@') {
            Some((n, p)) => (n, Some(p)),
            None => (s, None),
        };
        let net = match net.parse::<ipnet::IpNet>() {
            Ok(n) => n.trunc(),
            Err(_) => net.parse::<IpAddr>().map(ipnet::IpNet::from).map_err(|_| {
                format!(
                    "`{}` is not a network such as 127.0.0.0/8 or ::1/128",
                    net.escape_debug()
                )
            })?,
        };
        let mut ranges = Vec::new();
        for part in ports.into_iter().flat_map(|p| p.split(',')) {
            let bad = || {
                format!(
                    "`{}` is not a port or a port range such as 53 or 5300-5399",
                    part.escape_debug()
                )
            };
            let (lo, hi) = match part.split_once('-') {
                Some((a, b)) => (a, b),
                None => (part, part),
            };
            let lo: u16 = lo.trim().parse().map_err(|_| bad())?;
            let hi: u16 = hi.trim().parse().map_err(|_| bad())?;
            if lo > hi || lo == 0 {
                return Err(bad());
            }
            ranges.push(lo..=hi);
        }
        Ok(Allow { net, ports: ranges })
    }
}

impl fmt::Display for Allow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.net)?;
        for (i, r) in self.ports.iter().enumerate() {
            f.write_str(if i == 0 { "@" } else { "," })?;
            if r.start() == r.end() {
                write!(f, "{}", r.start())?;
            } else {
                write!(f, "{}-{}", r.start(), r.end())?;
            }
        }
        Ok(())
    }
}

/// The networks and ports a worker may send probes to. The default allows
/// loopback only (`127.0.0.0/8` and `::1/128`, any port).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowlist(pub Vec<Allow>);

impl Default for Allowlist {
    fn default() -> Allowlist {
        Allowlist(vec![
            Allow {
                net: ipnet::IpNet::V4(ipnet::Ipv4Net::new_assert([127, 0, 0, 0].into(), 8)),
                ports: Vec::new(),
            },
            Allow {
                net: ipnet::IpNet::V6(ipnet::Ipv6Net::new_assert(
                    std::net::Ipv6Addr::LOCALHOST,
                    128,
                )),
                ports: Vec::new(),
            },
        ])
    }
}

impl Allowlist {
    /// The allowlist of `entries` (a worker's `--probe-allow`), or the
    /// default when there are none.
    pub fn or_default(entries: &[Allow]) -> Allowlist {
        if entries.is_empty() {
            Allowlist::default()
        } else {
            Allowlist(entries.to_vec())
        }
    }

    /// Whether `addr` may be probed. Never an address no single server
    /// has (unspecified `0.0.0.0` or `::`, which reach the worker's own
    /// host; multicast; broadcast) nor port 0, whatever the entries say.
    pub fn allows(&self, addr: SocketAddr) -> bool {
        let ip = addr.ip().to_canonical();
        let one_host = !ip.is_unspecified()
            && !ip.is_multicast()
            && !matches!(ip, IpAddr::V4(v4) if v4.is_broadcast());
        one_host
            && addr.port() != 0
            && self.0.iter().any(|a| {
                a.net.contains(&ip)
                    && (a.ports.is_empty() || a.ports.iter().any(|r| r.contains(&addr.port())))
            })
    }

    /// Checks a target, with the message a learner sees when it is refused.
    pub fn check(&self, target: &Target) -> Result<SocketAddr, String> {
        let addr = target.socket_addr();
        if self.allows(addr) {
            return Ok(addr);
        }
        let list: Vec<String> = self.0.iter().map(|a| a.to_string()).collect();
        Err(format!(
            "the target {addr} is not one this grader may send queries to (allowed: {}); \
             give the address and port of your lab server",
            if list.is_empty() {
                "nothing".to_string()
            } else {
                list.join(", ")
            }
        ))
    }
}

/// Where a capture's response comes from.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The grader sent the query to the submission's target.
    Probed,
    /// The student handed it in.
    HandedIn,
}

/// What came of a probe.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CaptureOutcome {
    /// A response arrived (`response` holds it).
    Answered,
    /// No response within the timeout, after every attempt.
    Timeout,
    /// A TCP reset or an ICMP port unreachable: nothing listens there.
    ConnectionRefused,
    /// Another network error (`detail` says which).
    NetworkError,
    /// No response for this probe among those handed in.
    Missing,
}

/// How long a response took, in classes (see the checker interface).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimingClass {
    /// Under 10 ms.
    Fast,
    /// 10 ms to 500 ms.
    Normal,
    /// Over 500 ms.
    Slow,
}

impl TimingClass {
    /// The class of a round-trip time.
    pub fn of(rtt: Duration) -> TimingClass {
        if rtt < Duration::from_millis(10) {
            TimingClass::Fast
        } else if rtt <= Duration::from_millis(500) {
            TimingClass::Normal
        } else {
            TimingClass::Slow
        }
    }
}

/// The record of one probe, kept in the grading result
/// (`schemas/grade-result.schema.json`): grading the same captures again
/// gives the same result.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    /// The probe's id.
    pub probe: String,
    /// Probed by the grader or handed in.
    pub source: Source,
    /// The transport used (for handed-in dig output, the one dig printed,
    /// or else the probe's).
    pub transport: Transport,
    /// What came of it.
    pub outcome: CaptureOutcome,
    /// For probed responses: how long it took, as a class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<TimingClass>,
    /// The response in wire form, base64, when answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// The network error, for `network_error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Capture {
    /// A capture of a response in wire form.
    pub fn answered(query: &Query, source: Source, wire: &[u8]) -> Capture {
        Capture {
            probe: query.id.clone(),
            source,
            transport: query.transport,
            outcome: CaptureOutcome::Answered,
            timing: None,
            response: Some(BASE64.encode(wire)),
            detail: None,
        }
    }

    /// A capture without a response.
    pub fn unanswered(query: &Query, source: Source, outcome: CaptureOutcome) -> Capture {
        Capture {
            probe: query.id.clone(),
            source,
            transport: query.transport,
            outcome,
            timing: None,
            response: None,
            detail: None,
        }
    }

    /// The response and its size in bytes: `None` when there is none,
    /// `Err` with why when the bytes are not a DNS message.
    pub fn decoded(&self) -> Option<Result<(Message, usize), String>> {
        let text = self.response.as_ref()?;
        Some(
            BASE64
                .decode(text.as_bytes())
                .map_err(|e| format!("the response is not base64: {e}"))
                .and_then(|wire| {
                    Message::from_vec(&wire)
                        .map(|m| (m, wire.len()))
                        .map_err(|e| format!("the response is not a DNS message: {e}"))
                }),
        )
    }

    /// The response, as [`Capture::decoded`] without the size.
    pub fn message(&self) -> Option<Result<Message, String>> {
        self.decoded().map(|r| r.map(|(m, _)| m))
    }
}

/// A response handed in by a student, as the submission carries it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HandedIn {
    /// The probe it answers; absent, the messages in `text` are matched to
    /// the probes by their question and flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
    /// How `text` is written.
    pub format: Format,
    /// dig output, RFC 8427 JSON, or the message in base64 or hex.
    pub text: String,
}

/// Captures from responses a student handed in: every text read with
/// [`response::read`], every message given to the probe it names or else
/// to the first probe still without a response that it
/// [matches](Query::matches_handed_in). Probes left without one are
/// `missing`. Errors of the readers make the submission invalid: the
/// message lists them with their lines.
pub fn handed_in(queries: &[Query], responses: &[HandedIn]) -> Result<Vec<Capture>, String> {
    if responses.len() > MAX_PROBES {
        return Err(format!(
            "{} responses handed in; at most {MAX_PROBES} are read: hand in one for each query of \
             the exercise",
            responses.len()
        ));
    }
    let mut found: Vec<Option<Capture>> = vec![None; queries.len()];
    let mut problems = Vec::new();
    let mut unnamed = Vec::new();
    // Responses naming their probe first, so that the order they come in
    // never decides which probe an unnamed one fills.
    for (i, h) in responses.iter().enumerate() {
        let which = || match &h.probe {
            Some(p) => format!("the response for `{p}`"),
            None => format!("response {} ({})", i + 1, h.format),
        };
        let read = response::read(h.format, h.text.as_bytes());
        let errors: Vec<String> = read
            .errors()
            .take(5)
            .map(|d| format!("line {}: {}", d.line, d.message))
            .collect();
        if !errors.is_empty() {
            problems.push(format!("{}: {}", which(), errors.join("; ")));
            continue;
        }
        let Some(probe) = &h.probe else {
            unnamed.push(read.messages);
            continue;
        };
        let Some(q) = queries.iter().position(|q| q.id == *probe) else {
            let ids: Vec<&str> = queries.iter().map(|q| q.id.as_str()).collect();
            problems.push(format!(
                "there is no query `{}` in this exercise (its queries: {})",
                probe.escape_debug(),
                ids.join(", ")
            ));
            continue;
        };
        let query = &queries[q];
        match read.messages.as_slice() {
            [m] if !query.asked_by(&m.message) => problems.push(format!(
                "{}: it is not a response to `{} {}` (line {})",
                which(),
                crate::zone::Shown(&query.name),
                query.rtype,
                m.line
            )),
            [_] if found[q].is_some() => problems.push(format!("two responses for `{probe}`")),
            [m] => found[q] = Some(capture_of(query, m)?),
            ms => problems.push(format!(
                "{}: one DNS response expected, {} found",
                which(),
                ms.len()
            )),
        }
    }
    for m in unnamed.iter().flatten() {
        if let Some(q) =
            (0..queries.len()).find(|&q| found[q].is_none() && queries[q].matches_handed_in(m))
        {
            found[q] = Some(capture_of(&queries[q], m)?);
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "the DNS responses handed in cannot be read: {}",
            problems.join(" | ")
        ));
    }
    Ok(found
        .into_iter()
        .zip(queries)
        .map(|(c, q)| {
            c.unwrap_or_else(|| Capture::unanswered(q, Source::HandedIn, CaptureOutcome::Missing))
        })
        .collect())
}

fn capture_of(q: &Query, m: &response::ReadMessage) -> Result<Capture, String> {
    let wire = m
        .message
        .to_vec()
        .map_err(|e| format!("line {}: the response cannot be encoded: {e}", m.line))?;
    let mut c = Capture::answered(q, Source::HandedIn, &wire);
    // What the response shows, or UDP (see `Query::matches_handed_in`).
    c.transport = m.transport.unwrap_or(Transport::Udp);
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, rtype: &str) -> ProbeDef {
        ProbeDef {
            id: "p".into(),
            name: name.into(),
            rtype: rtype.into(),
            transport: TransportDef::Udp,
            recursion_desired: false,
            checking_disabled: false,
            authentic_data: false,
            dnssec_ok: false,
            edns_size: DEFAULT_EDNS_SIZE,
        }
    }

    #[test]
    fn names_resolve_below_the_origin() {
        let origin = Name::from_ascii("grp7.lab.example.").unwrap();
        let q = def("www", "AAAA").resolve(Some(&origin)).unwrap();
        assert_eq!(q.name.to_string(), "www.grp7.lab.example.");
        assert_eq!(q.rtype, RecordType::AAAA);
        let q = def("@", "SOA").resolve(Some(&origin)).unwrap();
        assert_eq!(q.name, origin);
        let q = def("www.example.com.", "A").resolve(Some(&origin)).unwrap();
        assert_eq!(q.name.to_string(), "www.example.com.");
        assert!(
            def("www", "A")
                .resolve(None)
                .unwrap_err()
                .contains("relative")
        );
        assert!(def("@", "A").resolve(None).is_err());
        assert!(
            def("www.", "BOGUS")
                .resolve(None)
                .unwrap_err()
                .contains("record type")
        );
        let mut d = def("a.", "A");
        d.dnssec_ok = true;
        d.edns_size = 0;
        assert!(d.resolve(None).unwrap_err().contains("EDNS"));
        d.edns_size = 100;
        assert!(d.resolve(None).unwrap_err().contains("512"));
    }

    #[test]
    fn query_messages_carry_the_flags() {
        let mut d = def("a.example.", "DNSKEY");
        d.dnssec_ok = true;
        d.recursion_desired = true;
        d.checking_disabled = true;
        let q = d.resolve(None).unwrap();
        let m = q.message(7);
        let back = Message::from_vec(&m.to_vec().unwrap()).unwrap();
        assert_eq!(back.metadata.id, 7);
        assert!(back.metadata.recursion_desired && back.metadata.checking_disabled);
        assert!(!back.metadata.authentic_data);
        let edns = back.edns.as_ref().unwrap();
        assert!(edns.flags().dnssec_ok);
        assert_eq!(edns.max_payload(), DEFAULT_EDNS_SIZE);
        d.edns_size = 0;
        d.dnssec_ok = false;
        assert!(d.resolve(None).unwrap().message(1).edns.is_none());
    }

    #[test]
    fn allowlist_entries_parse_and_match() {
        let a: Allow = "10.1.0.0/16@53,5300-5399".parse().unwrap();
        assert_eq!(a.to_string(), "10.1.0.0/16@53,5300-5399");
        let list = Allowlist(vec![a, "::1".parse().unwrap()]);
        assert!(list.allows("10.1.2.3:53".parse().unwrap()));
        assert!(list.allows("10.1.2.3:5350".parse().unwrap()));
        assert!(!list.allows("10.1.2.3:54".parse().unwrap()));
        assert!(!list.allows("10.2.0.1:53".parse().unwrap()));
        assert!(list.allows("[::1]:9".parse().unwrap()));
        // An IPv4-mapped address is the IPv4 address.
        assert!(list.allows("[::ffff:10.1.0.9]:53".parse().unwrap()));
        for bad in [
            "10.0.0.0/33",
            "example.com",
            "10.0.0.1@0",
            "10.0.0.1@9-1",
            "10.0.0.1@x",
        ] {
            assert!(bad.parse::<Allow>().is_err(), "{bad}");
        }
        let default = Allowlist::default();
        assert!(default.allows("127.0.0.53:5300".parse().unwrap()));
        assert!(default.allows("[::1]:53".parse().unwrap()));
        assert!(!default.allows("192.0.2.1:53".parse().unwrap()));
        assert!(!default.allows("0.0.0.0:53".parse().unwrap()));
        assert!(!default.allows("[::ffff:192.0.2.1]:53".parse().unwrap()));
        let everything = Allowlist(vec!["0.0.0.0/0".parse().unwrap(), "::/0".parse().unwrap()]);
        assert!(everything.allows("192.0.2.1:53".parse().unwrap()));
        for never in [
            "0.0.0.0:53",
            "[::]:53",
            "[::ffff:0.0.0.0]:53",
            "224.0.0.251:5353",
            "[ff02::fb]:5353",
            "255.255.255.255:53",
            "127.0.0.1:0",
        ] {
            assert!(!everything.allows(never.parse().unwrap()), "{never}");
        }
        let t = Target {
            address: "192.0.2.1".parse().unwrap(),
            port: 53,
        };
        let e = default.check(&t).unwrap_err();
        assert!(
            e.contains("192.0.2.1:53") && e.contains("127.0.0.0/8"),
            "{e}"
        );
    }

    /// A response to `q` in base64, as a student might hand it in.
    fn response_b64(q: &Query) -> String {
        let mut m = q.message(99);
        m.metadata.message_type = MessageType::Response;
        BASE64.encode(&m.to_vec().unwrap())
    }

    #[test]
    fn handed_in_messages_go_to_the_probes_they_answer() {
        let origin = Name::from_ascii("grp7.lab.example.").unwrap();
        let soa = ProbeDef {
            id: "soa".into(),
            ..def("@", "SOA")
        }
        .resolve(Some(&origin))
        .unwrap();
        let soa_rd = ProbeDef {
            id: "soa-rd".into(),
            recursion_desired: true,
            ..def("@", "SOA")
        }
        .resolve(Some(&origin))
        .unwrap();
        let www = ProbeDef {
            id: "www".into(),
            ..def("www", "A")
        }
        .resolve(Some(&origin))
        .unwrap();
        let queries = [soa.clone(), soa_rd.clone(), www];
        let b64 = |q: &Query, probe: Option<&str>| HandedIn {
            probe: probe.map(String::from),
            format: Format::Base64,
            text: response_b64(q),
        };
        // The RD response first: still matched to `soa-rd` by its flag.
        let c = handed_in(&queries, &[b64(&soa_rd, None), b64(&soa, None)]).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(
            c.iter().map(|c| c.outcome).collect::<Vec<_>>(),
            [
                CaptureOutcome::Answered,
                CaptureOutcome::Answered,
                CaptureOutcome::Missing
            ]
        );
        let rd = c[1].message().unwrap().unwrap();
        assert!(rd.metadata.recursion_desired);
        assert!(c.iter().all(|c| c.source == Source::HandedIn));
        // Named probes: unknown ids and duplicates are refused.
        let e = handed_in(&queries, &[b64(&soa, Some("nope"))]).unwrap_err();
        assert!(
            e.contains("`nope`") && e.contains("soa, soa-rd, www"),
            "{e}"
        );
        let e = handed_in(&queries, &[b64(&soa, Some("soa")), b64(&soa, Some("soa"))]).unwrap_err();
        assert!(e.contains("two responses for `soa`"), "{e}");
        // What cannot be read makes the submission invalid, with the line.
        let bad = HandedIn {
            probe: None,
            format: Format::Dig,
            text: ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: x\n".into(),
        };
        let e = handed_in(&queries, &[bad]).unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        // A named response must answer its probe's question.
        let e = handed_in(&queries, &[b64(&soa, Some("www"))]).unwrap_err();
        assert!(
            e.contains("not a response to `www.grp7.lab.example. A`"),
            "{e}"
        );
        // Named responses are placed first, whatever the order.
        for order in [
            [b64(&soa, None), b64(&soa, Some("soa"))],
            [b64(&soa, Some("soa")), b64(&soa, None)],
        ] {
            let c = handed_in(&queries, &order).unwrap();
            assert_eq!(c[0].outcome, CaptureOutcome::Answered);
        }
        // A response that does not show its transport is taken as UDP: it
        // never answers a TCP probe.
        let tcp = ProbeDef {
            id: "tcp".into(),
            transport: TransportDef::Tcp,
            ..def("@", "SOA")
        }
        .resolve(Some(&origin))
        .unwrap();
        let c = handed_in(std::slice::from_ref(&tcp), &[b64(&tcp, None)]).unwrap();
        assert_eq!(c[0].outcome, CaptureOutcome::Missing);
        let many = vec![b64(&soa, None); MAX_PROBES + 1];
        assert!(handed_in(&queries, &many).unwrap_err().contains("at most"));
    }

    #[test]
    fn timing_classes() {
        assert_eq!(
            TimingClass::of(Duration::from_micros(300)),
            TimingClass::Fast
        );
        assert_eq!(
            TimingClass::of(Duration::from_millis(10)),
            TimingClass::Normal
        );
        assert_eq!(
            TimingClass::of(Duration::from_millis(501)),
            TimingClass::Slow
        );
    }
}
