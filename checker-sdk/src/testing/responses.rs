//! Building DNS responses by hand, for tests of checkers of server and
//! resolver labs (interface 1.2.0).
//!
//! ```
//! use grader_checker_sdk::prelude::*;
//! use grader_checker_sdk::testing::{self, MessageBuilder};
//!
//! // The probe `nxdomain` of an exercise, and a server's NXDOMAIN for it.
//! let q = testing::query("nxdomain", "nonexistent-7f3a.grp7.lab.example.", "A");
//! let m = MessageBuilder::reply_to(&q)
//!     .rcode("NXDOMAIN")
//!     .aa(true)
//!     .authority("grp7.lab.example.", "SOA", "ns1.grp7.lab.example. h.grp7.lab.example. 1 2 3 4 5")
//!     .build();
//! assert_eq!(m.question[0].name, "nonexistent-7f3a.grp7.lab.example.");
//! assert!(m.has_edns() && !m.dnssec_ok()); // EDNS echoed, as a server does
//! let s = testing::probed_submission(testing::zone("grp7.lab.example.", &[]), vec![testing::answered(q, m)]);
//! assert!(Responses::new(&s).message("nxdomain").unwrap().is_nxdomain());
//! ```

use super::{ODD_ORIGIN, assert_well_formed, odd_zones, submission, type_code, zone};
use crate::responses::rcode_code;
use crate::types::{
    CheckResult, Edns, EdnsOption, HeaderFlags, Message, Outcome, Query, Question, Response, Rr,
    Source, Submission, TimingClass, Transport, Zone,
};

/// The target of [`probed_submission`]: `127.0.0.12:5301`.
pub const TARGET: &str = "127.0.0.12:5301";

/// A probe's query with the defaults of `[[probes]]`: UDP, EDNS with a
/// payload size of 1232, no flags (RD, CD, AD, DO all clear). The fields
/// are public: set the ones a probe changes.
///
/// ```
/// use grader_checker_sdk::testing;
/// let mut q = testing::query("recursion", "www.example.com.", "A");
/// q.recursion_desired = true;
/// assert_eq!((q.rtype_code, q.edns_size), (1, Some(1232)));
/// ```
pub fn query(id: &str, name: &str, rtype: &str) -> Query {
    Query {
        id: id.to_string(),
        name: name.to_string(),
        rtype: rtype.to_ascii_uppercase(),
        rtype_code: type_code(rtype).unwrap_or(0),
        recursion_desired: false,
        checking_disabled: false,
        authentic_data: false,
        dnssec_ok: false,
        edns_size: Some(1232),
        transport: Transport::Udp,
    }
}

/// A response record of class `IN`, TTL 3600; the type code comes from
/// [`type_code`] (0 when unknown) and the mnemonic is uppercased.
pub fn rr(owner: &str, rtype: &str, rdata: &str) -> Rr {
    Rr {
        owner: owner.to_string(),
        rtype: rtype.to_ascii_uppercase(),
        rtype_code: type_code(rtype).unwrap_or(0),
        class: "IN".to_string(),
        ttl: 3600,
        rdata: rdata.to_string(),
    }
}

/// Builds a [`Message`] (a DNS response) record by record.
///
/// [`MessageBuilder::new`] starts from a NOERROR response with no flags and
/// no EDNS; [`MessageBuilder::reply_to`] from what a server sends back to a
/// query: its question, its RD and CD flags copied, and an OPT record
/// (payload size 1232, the query's DO bit) when the query had EDNS.
/// [`MessageBuilder::build`] fills in `rcode-name` and `size` (an estimate
/// from the texts unless set with [`MessageBuilder::size`]).
#[derive(Clone, Debug)]
pub struct MessageBuilder {
    message: Message,
    size: Option<u32>,
}

impl MessageBuilder {
    /// A NOERROR response to `qname`/`qtype` (class IN), id 0, opcode
    /// QUERY, no flags, no records, no EDNS.
    pub fn new(qname: &str, qtype: &str) -> Self {
        MessageBuilder {
            message: Message {
                id: 0,
                opcode: 0,
                rcode: 0,
                rcode_name: "NOERROR".to_string(),
                header: HeaderFlags {
                    authoritative: false,
                    truncated: false,
                    recursion_desired: false,
                    recursion_available: false,
                    authentic_data: false,
                    checking_disabled: false,
                },
                question: vec![Question {
                    name: qname.to_string(),
                    rtype: qtype.to_ascii_uppercase(),
                    rtype_code: type_code(qtype).unwrap_or(0),
                    class: "IN".to_string(),
                }],
                answer: Vec::new(),
                authority: Vec::new(),
                additional: Vec::new(),
                edns: None,
                size: 0,
            },
            size: None,
        }
    }

    /// A NOERROR response to `q` as a server sends it: the question, RD and
    /// CD copied from the query, and EDNS (payload size 1232, DO as in the
    /// query) when the query had EDNS.
    pub fn reply_to(q: &Query) -> Self {
        let mut b = Self::new(&q.name, &q.rtype);
        b.message.question[0].rtype_code = q.rtype_code;
        b.message.header.recursion_desired = q.recursion_desired;
        b.message.header.checking_disabled = q.checking_disabled;
        if q.edns_size.is_some() {
            b = b.edns(1232, q.dnssec_ok);
        }
        b
    }

    /// The response code, by mnemonic (`NXDOMAIN`, any case) or `RCODE<n>`.
    ///
    /// # Panics
    ///
    /// On an unknown mnemonic (a mistake in the test).
    pub fn rcode(mut self, name: &str) -> Self {
        let code = rcode_code(name).unwrap_or_else(|| panic!("unknown rcode {name:?}"));
        self.message.rcode = code;
        self
    }

    /// Sets the header flags to exactly those listed, as dig prints them
    /// (`"aa rd ra"`; `qr` is ignored).
    ///
    /// # Panics
    ///
    /// On an unknown flag (a mistake in the test).
    pub fn flags(mut self, flags: &str) -> Self {
        let h = &mut self.message.header;
        *h = HeaderFlags {
            authoritative: false,
            truncated: false,
            recursion_desired: false,
            recursion_available: false,
            authentic_data: false,
            checking_disabled: false,
        };
        for f in flags.split_ascii_whitespace() {
            match f.to_ascii_lowercase().as_str() {
                "qr" => {}
                "aa" => h.authoritative = true,
                "tc" => h.truncated = true,
                "rd" => h.recursion_desired = true,
                "ra" => h.recursion_available = true,
                "ad" => h.authentic_data = true,
                "cd" => h.checking_disabled = true,
                other => panic!("unknown header flag {other:?}"),
            }
        }
        self
    }

    /// AA.
    pub fn aa(mut self, on: bool) -> Self {
        self.message.header.authoritative = on;
        self
    }

    /// TC.
    pub fn tc(mut self, on: bool) -> Self {
        self.message.header.truncated = on;
        self
    }

    /// RD.
    pub fn rd(mut self, on: bool) -> Self {
        self.message.header.recursion_desired = on;
        self
    }

    /// RA.
    pub fn ra(mut self, on: bool) -> Self {
        self.message.header.recursion_available = on;
        self
    }

    /// AD.
    pub fn ad(mut self, on: bool) -> Self {
        self.message.header.authentic_data = on;
        self
    }

    /// CD.
    pub fn cd(mut self, on: bool) -> Self {
        self.message.header.checking_disabled = on;
        self
    }

    /// The message id.
    pub fn id(mut self, id: u16) -> Self {
        self.message.id = id;
        self
    }

    /// A record in the answer section (see [`rr`]).
    pub fn answer(mut self, owner: &str, rtype: &str, rdata: &str) -> Self {
        self.message.answer.push(rr(owner, rtype, rdata));
        self
    }

    /// A record in the authority section.
    pub fn authority(mut self, owner: &str, rtype: &str, rdata: &str) -> Self {
        self.message.authority.push(rr(owner, rtype, rdata));
        self
    }

    /// A record in the additional section.
    pub fn additional(mut self, owner: &str, rtype: &str, rdata: &str) -> Self {
        self.message.additional.push(rr(owner, rtype, rdata));
        self
    }

    /// A record built elsewhere, in `section`.
    pub fn record(mut self, section: crate::responses::Section, record: Rr) -> Self {
        use crate::responses::Section;
        match section {
            Section::Answer => self.message.answer.push(record),
            Section::Authority => self.message.authority.push(record),
            Section::Additional => self.message.additional.push(record),
        }
        self
    }

    /// An OPT record (EDNS version 0) with this payload size and DO bit,
    /// replacing any.
    pub fn edns(mut self, udp_size: u16, dnssec_ok: bool) -> Self {
        self.message.edns = Some(Edns {
            version: 0,
            udp_size,
            dnssec_ok,
            options: Vec::new(),
        });
        self
    }

    /// No OPT record.
    pub fn no_edns(mut self) -> Self {
        self.message.edns = None;
        self
    }

    /// An EDNS option (adding an OPT record of size 1232 if there is none):
    /// an extended error is code 15 with the two-byte INFO-CODE and the
    /// text, `b"\x00\x06DNSSEC bogus"`.
    pub fn edns_option(mut self, code: u16, data: &[u8]) -> Self {
        if self.message.edns.is_none() {
            self = self.edns(1232, false);
        }
        if let Some(e) = &mut self.message.edns {
            e.options.push(EdnsOption {
                code,
                data: data.to_vec(),
            });
        }
        self
    }

    /// The message size in bytes, instead of the estimate.
    pub fn size(mut self, bytes: u32) -> Self {
        self.size = Some(bytes);
        self
    }

    /// The message.
    pub fn build(self) -> Message {
        let mut m = self.message;
        m.rcode_name = crate::responses::rcode_name(m.rcode);
        m.size = self.size.unwrap_or_else(|| estimate_size(&m));
        m
    }
}

/// A rough wire size: names uncompressed, record data as long as its text.
fn estimate_size(m: &Message) -> u32 {
    let name = |n: &str| n.trim_end_matches('.').len() + 2;
    let records = m
        .answer
        .iter()
        .chain(&m.authority)
        .chain(&m.additional)
        .map(|r| name(&r.owner) + 10 + r.rdata.len())
        .sum::<usize>();
    let question = m.question.iter().map(|q| name(&q.name) + 4).sum::<usize>();
    let opt = m.edns.as_ref().map_or(0, |e| {
        11 + e.options.iter().map(|o| 4 + o.data.len()).sum::<usize>()
    });
    u32::try_from(12 + question + records + opt).unwrap_or(u32::MAX)
}

/// The response to `query`: `message`, probed by the grader, fast.
pub fn answered(query: Query, message: Message) -> Response {
    Response {
        query,
        outcome: Outcome::Answered(message),
        source: Source::Probed,
        timing: Some(TimingClass::Fast),
    }
}

/// `message` handed in by the student as the response to `query` (no
/// timing).
pub fn handed_in(query: Query, message: Message) -> Response {
    Response {
        query,
        outcome: Outcome::Answered(message),
        source: Source::HandedIn,
        timing: None,
    }
}

/// A probed `query` without a response: `outcome` is
/// [`Outcome::Timeout`], [`Outcome::ConnectionRefused`], ….
pub fn unanswered(query: Query, outcome: Outcome) -> Response {
    Response {
        query,
        outcome,
        source: Source::Probed,
        timing: None,
    }
}

/// A `query` the student handed in no usable response for
/// ([`Outcome::Missing`], or [`Outcome::Malformed`]).
pub fn unanswered_handed_in(query: Query, outcome: Outcome) -> Response {
    Response {
        source: Source::HandedIn,
        ..unanswered(query, outcome)
    }
}

/// A submission of `zone` (see [`submission`]) with `responses`, probed
/// at [`TARGET`].
pub fn probed_submission(zone: Zone, responses: Vec<Response>) -> Submission {
    let mut s = submission(zone);
    s.target = Some(TARGET.to_string());
    s.responses = responses;
    s
}

/// Record data that is plausible for `rtype`, for odd responses.
fn plausible(rtype: &str, owner: &str) -> String {
    match rtype.to_ascii_uppercase().as_str() {
        "A" => "192.0.2.1".into(),
        "AAAA" => "2001:db8::1".into(),
        "NS" | "CNAME" | "PTR" | "DNAME" => format!("ns1.{owner}"),
        "SOA" => format!("ns1.{owner} hostmaster.{owner} 1 7200 3600 1209600 3600"),
        "MX" => format!("10 mail.{owner}"),
        "TXT" => "\"odd\"".into(),
        "DNSKEY" => "257 3 13 AAECAwQ=".into(),
        "DS" => "4242 13 2 00".into(),
        _ => r"\# 0".into(),
    }
}

/// Lists of responses to `queries` that are odd in many ways, for testing
/// that a checker judges anything without panicking: every query timed out,
/// refused, with a network error, malformed, not handed in; answered with
/// every rcode and every flag; with no question or another one; with
/// records of the asked type whose data cannot be read, RRSIGs of no type
/// or with extreme times, NSEC and NSEC3 records without data, records
/// owned by other names, huge TTLs, extended errors without text, sizes
/// of 0 and `u32::MAX`; half answered and half not; no responses at all;
/// and the responses in reverse order.
///
/// ```
/// use grader_checker_sdk::testing;
/// let lists = testing::odd_responses(&[testing::query("soa", "a.example.", "SOA")]);
/// assert!(lists.iter().any(|l| l.is_empty()));
/// assert!(lists.len() > 10);
/// ```
pub fn odd_responses(queries: &[Query]) -> Vec<Vec<Response>> {
    let each = |f: &dyn Fn(&Query) -> Response| queries.iter().map(f).collect::<Vec<_>>();
    let reply = |q: &Query| MessageBuilder::reply_to(q);
    let mut lists = vec![
        each(&|q| unanswered(q.clone(), Outcome::Timeout)),
        each(&|q| unanswered(q.clone(), Outcome::ConnectionRefused)),
        each(&|q| unanswered(q.clone(), Outcome::NetworkError(String::new()))),
        each(&|q| unanswered_handed_in(q.clone(), Outcome::Malformed(String::new()))),
        each(&|q| unanswered_handed_in(q.clone(), Outcome::Missing)),
        // No question, nothing at all.
        each(&|q| {
            let mut m = reply(q).no_edns().build();
            m.question.clear();
            answered(q.clone(), m)
        }),
        // Two questions, one of them another name.
        each(&|q| {
            let mut m = reply(q).answer(".", "A", "192.0.2.1").build();
            m.question.push(m.question[0].clone());
            m.question[0].name = "other.invalid.".into();
            handed_in(q.clone(), m)
        }),
    ];
    for rcode in [
        "FORMERR",
        "SERVFAIL",
        "NXDOMAIN",
        "NOTIMP",
        "REFUSED",
        "NOTAUTH",
        "BADVERS",
        "RCODE4095",
    ] {
        lists.push(each(&|q| {
            let m = reply(q).rcode(rcode).flags("aa tc rd ra ad cd").build();
            answered(q.clone(), m)
        }));
    }
    // Unreadable data of the asked type, in every section, with RRSIGs,
    // NSEC and NSEC3 records that cannot be read either.
    lists.push(each(&|q| {
        let (n, t) = (q.name.as_str(), q.rtype.as_str());
        let mut m = reply(q)
            .aa(true)
            .answer(n, t, "")
            .answer(n, t, "garbage with words")
            .answer(n, t, r"\# 3 zz")
            .answer(n, "RRSIG", "")
            .answer(n, "RRSIG", r"\# 1 00")
            .answer(
                n,
                "RRSIG",
                &format!("{t} 255 255 4294967295 4294967295 0 65535 . ="),
            )
            .answer(n, "RRSIG", &format!("{t} 13 0 0 0 4294967295 0 {n} c2ln"))
            .authority(n, "SOA", "")
            .authority(n, "NSEC", "")
            .authority(n, "NSEC3", "")
            .authority(n, "RRSIG", "NSEC3")
            .additional(n, t, "")
            .edns_option(crate::responses::EDE_OPTION, &[])
            .edns_option(crate::responses::EDE_OPTION, &[0xff, 0xff, 0xc3])
            .size(0)
            .build();
        for r in &mut m.answer {
            r.ttl = u32::MAX;
        }
        m.answer[0].rtype_code = 0;
        m.answer[1].rtype = String::new();
        answered(q.clone(), m)
    }));
    // Plausible data at other names, signed, and the name itself in
    // another case.
    lists.push(each(&|q| {
        let (n, t) = (q.name.as_str(), q.rtype.as_str());
        let upper = n.to_ascii_uppercase();
        let other = format!("other.{n}");
        let m = reply(q)
            .ad(true)
            .answer(&other, t, &plausible(t, n))
            .answer(&upper, t, &plausible(t, n))
            .answer(&upper, t, &plausible(t, &other))
            .answer(
                &upper,
                "RRSIG",
                &format!("{t} 13 2 3600 1798675200 1796083200 4242 {n} c2ln"),
            )
            .authority(".", "SOA", &plausible("SOA", "."))
            .authority(n, "NSEC", &format!("{n} A RRSIG NSEC"))
            .size(u32::MAX)
            .build();
        answered(q.clone(), m)
    }));
    // Every other query answered, plausibly; the others not.
    lists.push(
        queries
            .iter()
            .enumerate()
            .map(|(i, q)| {
                if i % 2 == 0 {
                    let m = reply(q)
                        .aa(true)
                        .answer(&q.name, &q.rtype, &plausible(&q.rtype, &q.name))
                        .build();
                    answered(q.clone(), m)
                } else {
                    unanswered(q.clone(), Outcome::Timeout)
                }
            })
            .collect(),
    );
    lists.push(Vec::new());
    let mut reversed = each(&|q| {
        let m = reply(q)
            .answer(&q.name, &q.rtype, &plausible(&q.rtype, &q.name))
            .build();
        answered(q.clone(), m)
    });
    reversed.reverse();
    lists.push(reversed);
    lists
}

/// Runs `check` on `base` with each list of [`odd_responses`] (to the
/// queries of `base.responses`), each with `base`'s zone, an empty zone of
/// the root (what an exercise without a zone gets) and the zones of
/// [`odd_zones`], and in turn `base`'s target, none, or an odd one; asserts
/// that it judges each: `Ok`, with [`assert_well_formed`] results for
/// `ids`.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing::{self, MessageBuilder};
///
/// struct Aa;
/// impl Checker for Aa {
///     fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
///         let r = Responses::new(&s);
///         r.require(&["soa"])?;
///         Ok(vec![match r.message("soa") {
///             Ok(m) if m.is_authoritative() => CheckResult::passed("aa"),
///             Ok(m) => CheckResult::failed("aa", format!("AA is clear: {}", m.describe())),
///             Err(why) => CheckResult::failed("aa", why),
///         }])
///     }
/// }
/// let q = testing::query("soa", "grp7.lab.example.", "SOA");
/// let m = MessageBuilder::reply_to(&q).aa(true).build();
/// let base = testing::probed_submission(testing::zone("grp7.lab.example.", &[]), vec![testing::answered(q, m)]);
/// assert_eq!(Aa::check(base.clone()).unwrap()[0].status, Status::Passed);
/// testing::judge_odd_responses(Aa::check, &base, &["aa"]);
/// ```
///
/// A checker that requires its probes ([`crate::Responses::require`])
/// may return `Err` when there are no responses at all: that list is
/// judged with the queries still in place (each response `missing`).
pub fn judge_odd_responses(
    check: impl Fn(Submission) -> Result<Vec<CheckResult>, String>,
    base: &Submission,
    ids: &[&str],
) {
    let queries: Vec<Query> = base.responses.iter().map(|r| r.query.clone()).collect();
    let mut zones = vec![base.zone.clone(), zone(".", &[])];
    zones.extend(odd_zones(ODD_ORIGIN));
    let targets = [
        base.target.clone(),
        None,
        Some(String::new()),
        Some("[::1".to_string()),
    ];
    for mut list in odd_responses(&queries) {
        if list.is_empty() {
            list = queries
                .iter()
                .map(|q| unanswered_handed_in(q.clone(), Outcome::Missing))
                .collect();
        }
        for (i, z) in zones.iter().enumerate() {
            let mut s = base.clone();
            s.zone = z.clone();
            s.responses = list.clone();
            s.target = targets[i % targets.len()].clone();
            let desc = format!("{:?} with target {:?}", s.responses, s.target);
            match check(s) {
                Ok(results) => assert_well_formed(&results, ids),
                Err(e) => panic!("the checker refused {desc}: {e}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::responses::Section;

    #[test]
    fn replies_echo_the_query() {
        let mut q = query("x", "a.example.", "dnskey");
        q.recursion_desired = true;
        q.checking_disabled = true;
        q.dnssec_ok = true;
        let m = MessageBuilder::reply_to(&q).build();
        assert!(m.header.recursion_desired && m.header.checking_disabled);
        assert_eq!(m.question[0].rtype, "DNSKEY");
        assert_eq!(m.question[0].rtype_code, 48);
        assert!(m.dnssec_ok());
        q.edns_size = None;
        assert!(!MessageBuilder::reply_to(&q).build().has_edns());
    }

    #[test]
    fn flags_and_records() {
        let m = MessageBuilder::new("a.", "A")
            .flags("qr aa ra")
            .tc(true)
            .rd(true)
            .ad(true)
            .cd(true)
            .aa(false)
            .id(7)
            .record(Section::Authority, rr("a.", "NS", "b."))
            .record(Section::Additional, rr("b.", "A", "192.0.2.2"))
            .record(Section::Answer, rr("a.", "A", "192.0.2.1"))
            .build();
        assert_eq!(m.header.names(), "tc rd ra ad cd");
        assert_eq!(m.id, 7);
        assert_eq!(
            (m.answer.len(), m.authority.len(), m.additional.len()),
            (1, 1, 1)
        );
        assert!(m.size > 12);
        assert_eq!(MessageBuilder::new("a.", "A").size(99).build().size, 99);
    }

    #[test]
    #[should_panic(expected = "unknown header flag")]
    fn unknown_flags_panic() {
        let _ = MessageBuilder::new("a.", "A").flags("zz");
    }

    #[test]
    #[should_panic(expected = "unknown rcode")]
    fn unknown_rcodes_panic() {
        let _ = MessageBuilder::new("a.", "A").rcode("NOPE");
    }

    #[test]
    fn sources() {
        let q = query("x", "a.", "A");
        let m = MessageBuilder::reply_to(&q).build();
        assert_eq!(handed_in(q.clone(), m.clone()).source, Source::HandedIn);
        assert_eq!(answered(q.clone(), m).timing, Some(TimingClass::Fast));
        let u = unanswered_handed_in(q, Outcome::Missing);
        assert_eq!((u.source, u.timing), (Source::HandedIn, None));
    }

    #[test]
    fn odd_lists_cover_the_outcomes() {
        let qs = [
            query("a", "a.example.", "SOA"),
            query("b", "b.example.", "TYPE65280"),
        ];
        let lists = odd_responses(&qs);
        assert!(
            lists
                .iter()
                .any(|l| l.iter().all(|r| r.outcome == Outcome::Timeout) && !l.is_empty())
        );
        assert!(lists.iter().any(|l| {
            l.iter()
                .any(|r| r.message().is_some_and(|m| m.question.is_empty()))
        }));
        assert!(
            lists
                .iter()
                .any(|l| l.first().is_some_and(|r| r.id() == "b"))
        );
        assert_eq!(plausible("TYPE65280", "a."), r"\# 0");
    }
}
