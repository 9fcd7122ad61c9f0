//! Checker of `authoritative-server`: the learner runs an authoritative
//! name server for `<id>.lab.example.` and hands in the zone file it loads;
//! the grader queries the server (`[[probes]]` in exercise.toml) and this
//! checker compares what it served with the zone file.
//!
//! Every check reads the responses through the SDK's [`Responses`]: a probe
//! without an answer (a timeout, a refused connection, a response not
//! handed in) fails the checks that need it, with the reason and the dig
//! command to try; when no probe was answered at all, every check fails
//! with one message saying so.
//!
//! Params (see exercise.toml): `reload_commands`, how to make the server
//! load an edited zone, named in the feedback of `serial` and `ns-match`.

use grader_checker_sdk::names::short;
use grader_checker_sdk::prelude::*;

/// The rubric, in order.
const IDS: [&str; 8] = [
    "answers",
    "authoritative",
    "serial",
    "ns-match",
    "nxdomain",
    "no-recursion",
    "tcp",
    "edns",
];

/// The probes this checker reads.
const PROBES: &[&str] = &[
    "soa",
    "ns",
    "www",
    "nxdomain",
    "recursion",
    "soa-rd",
    "tcp",
    "edns",
    "no-edns",
];

/// The probes that ask for names in the learner's zone.
const IN_ZONE: &[&str] = &[
    "soa", "ns", "www", "nxdomain", "soa-rd", "tcp", "edns", "no-edns",
];

/// The probes that ask for the zone's SOA, in the order their serial is
/// read.
const SOA_PROBES: &[&str] = &["soa", "tcp", "edns", "no-edns", "soa-rd"];

/// The exercise's params.
struct Cfg {
    reload: String,
}

impl Cfg {
    fn read(text: &str) -> Result<Cfg, String> {
        let p = Params::parse(text)?;
        Ok(Cfg {
            reload: p.get_or(
                "reload_commands",
                "rndc reload / nsd-control reload / knotc zone-reload".to_string(),
            )?,
        })
    }
}

/// Whether serial `a` is newer than `b` (RFC 1982 serial arithmetic).
fn newer(a: u32, b: u32) -> bool {
    a != b && a.wrapping_sub(b) < 1 << 31
}

struct Ctx<'a> {
    r: Responses<'a>,
    ix: ZoneIndex<'a>,
    origin: &'a str,
    cfg: Cfg,
}

impl Ctx<'_> {
    /// Why the response `m` to probe `id` (a name in the zone) is not a
    /// usable answer, by its rcode.
    fn refusal(&self, id: &str, m: &Message) -> String {
        let o = self.origin;
        match m.rcode {
            rcode::REFUSED | rcode::NOTAUTH => format!(
                "the server answers {} to {}: it does not serve your zone `{o}`. Add the zone to its configuration (BIND: `zone \"{o}\" {{ type primary; file \"...\"; }};`, NSD: a `zone:` with `name: {o}`, Knot: `zone: - domain: {o}`) and reload it",
                m.rcode_name,
                self.r.describe(id)
            ),
            rcode::SERVFAIL => format!(
                "the server answers SERVFAIL to {}: it has your zone in its configuration but could not load it; read its log and check the file with `named-checkzone {o} FILE`",
                self.r.describe(id)
            ),
            _ => format!(
                "the response to {} is not the answer expected: {}",
                self.r.describe(id),
                m.describe()
            ),
        }
    }

    /// The served SOA serial: from the first SOA probe answered with one,
    /// with the probe's id.
    fn served_serial(&self) -> Option<(u32, &'static str)> {
        SOA_PROBES.iter().find_map(|id| {
            let m = self.r.message(id).ok()?;
            m.is_noerror()
                .then(|| m.soa_serial())
                .flatten()
                .map(|s| (s, *id))
        })
    }

    fn answers(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut got = 0;
        match self.r.message("soa") {
            Err(why) => {
                fb.push_note(why);
            }
            Ok(m) if m.is_noerror() && m.soa_serial().is_some() => got += 1,
            Ok(m) if m.is_noerror() => {
                fb.push_note(format!(
                    "the server answered {} without the SOA record: {}",
                    self.r.describe("soa"),
                    m.describe()
                ));
            }
            Ok(m) => {
                fb.push_note(self.refusal("soa", m));
            }
        }
        let www = self.r.qname("www");
        let label = short(&www, self.origin);
        let target = self.ix.resolve_cname(&www).unwrap_or_else(|_| www.clone());
        let mut in_zone: Vec<String> = self
            .ix
            .rrset(&target, "A")
            .into_iter()
            .filter_map(|r| rdata::a(r).map(|a| a.to_string()))
            .collect();
        in_zone.sort();
        in_zone.dedup();
        match self.r.message("www") {
            Err(why) => {
                fb.push_note(why);
            }
            Ok(m) if m.is_noerror() || m.is_nxdomain() => {
                let mut served: Vec<String> = m
                    .answers("A")
                    .into_iter()
                    .filter_map(|r| r.a().map(|a| a.to_string()))
                    .collect();
                served.sort();
                served.dedup();
                let list = |v: &[String]| {
                    if v.is_empty() {
                        "no address".to_string()
                    } else {
                        v.join(", ")
                    }
                };
                if served == in_zone {
                    got += 1;
                } else {
                    let line = self.ix.first(&target, "A").map_or(0, |r| r.line);
                    fb.push_line(
                        line,
                        format!(
                            "the server answers {} for {label} A, your zone file has {}: reload the server ({}) so that it serves the zone you hand in",
                            list(&served),
                            list(&in_zone),
                            self.cfg.reload
                        ),
                    );
                }
            }
            Ok(m) => {
                fb.push_note(self.refusal("www", m));
            }
        }
        if got == 2 {
            return CheckResult::passed("answers").with_feedback(format!(
                "the server answers for your zone `{}`",
                self.origin
            ));
        }
        CheckResult::scored("answers", got, 2, fb)
    }

    fn authoritative(&self) -> CheckResult {
        let mut seen = 0;
        let mut clear = Vec::new();
        for id in IN_ZONE {
            if let Ok(m) = self.r.message(id)
                && (m.is_noerror() || m.is_nxdomain())
            {
                seen += 1;
                if !m.is_authoritative() {
                    clear.push(self.r.describe(id));
                }
            }
        }
        if seen == 0 {
            let why = match self.r.message("soa") {
                Err(why) => why,
                Ok(m) => self.refusal("soa", m),
            };
            return CheckResult::failed(
                "authoritative",
                format!("no query for your zone got an answer to judge: {why}"),
            );
        }
        if clear.is_empty() {
            return CheckResult::passed("authoritative").with_feedback(format!(
                "AA is set on every answer for your zone ({seen} answers)"
            ));
        }
        let mut fb = Feedback::new();
        fb.push_note(format!(
            "AA (authoritative answer) is clear in {} of {seen} answers for your zone: {}",
            clear.len(),
            clear.join(", ")
        ));
        fb.push_note(format!(
            "the server answers without being authoritative for `{}`: from a cache, or by forwarding the query. Load the zone from your file as its primary (BIND: `type primary;`; NSD and Knot: a zone entry with the file)",
            self.origin
        ));
        CheckResult::failed("authoritative", fb)
    }

    fn serial(&self) -> CheckResult {
        let Some((zone_serial, line)) = self
            .ix
            .apex_soa()
            .and_then(|r| rdata::soa(r).map(|s| (s.serial, r.line)))
        else {
            return CheckResult::failed(
                "serial",
                "your zone file has no readable SOA record at its apex, so there is no serial to compare with",
            );
        };
        let Some((served, from)) = self.served_serial() else {
            let why = match self.r.message("soa") {
                Err(why) => why,
                Ok(m) => self.refusal("soa", m),
            };
            return CheckResult::failed(
                "serial",
                format!("the server served no SOA record to compare: {why}"),
            );
        };
        let mut fb = Feedback::new();
        if served == zone_serial {
            let others: Vec<String> = SOA_PROBES
                .iter()
                .filter_map(|id| {
                    let s = self.r.message(id).ok()?.soa_serial()?;
                    (s != served).then(|| format!("{} answered serial {s}", self.r.describe(id)))
                })
                .collect();
            if others.is_empty() {
                return CheckResult::passed("serial").with_feedback(Feedback::new().line(
                    line,
                    format!("the server answers serial {served}, as in your zone file"),
                ));
            }
            fb.push_line(
                line,
                format!(
                    "{} answered serial {served}, as in your zone file, but {}: do several servers answer at that address?",
                    self.r.describe(from),
                    others.join("; ")
                ),
            );
            return CheckResult::partial("serial", 1, 2, fb);
        }
        if newer(zone_serial, served) {
            fb.push_line(
                line,
                format!(
                    "the server answers serial {served}, your zone file has {zone_serial}: reload the server ({}) so that it serves the zone you edited",
                    self.cfg.reload
                ),
            );
        } else {
            fb.push_line(
                line,
                format!(
                    "the server answers serial {served}, newer than {zone_serial} in the zone file you handed in: hand in the file your server loads"
                ),
            );
        }
        CheckResult::failed("serial", fb)
    }

    fn ns_match(&self) -> CheckResult {
        let zone_ns: Vec<(&str, u32)> = self
            .ix
            .apex_rrset("NS")
            .into_iter()
            .filter_map(|r| rdata::target(r).map(|t| (t, r.line)))
            .collect();
        if zone_ns.is_empty() {
            return CheckResult::failed(
                "ns-match",
                "your zone file has no NS records at its apex to compare with",
            );
        }
        let m = match self.r.message("ns") {
            Err(why) => return CheckResult::failed("ns-match", why),
            Ok(m) if !m.is_noerror() => {
                return CheckResult::failed("ns-match", self.refusal("ns", m));
            }
            Ok(m) => m,
        };
        let served: Vec<&str> = m
            .rrset(Section::Answer, self.origin, "NS")
            .into_iter()
            .filter_map(Rr::target)
            .collect();
        let mut fb = Feedback::new();
        for (name, line) in &zone_ns {
            if !served.iter().any(|s| names_equal(s, name)) {
                fb.push_line(
                    *line,
                    format!("{name} is in your zone file, but the server does not serve it"),
                );
            }
        }
        for name in &served {
            if !zone_ns.iter().any(|(z, _)| names_equal(z, name)) {
                fb.push_note(format!(
                    "the server serves NS {name}, which is not in your zone file"
                ));
            }
        }
        if fb.is_empty() {
            let names: Vec<&str> = served.clone();
            return CheckResult::passed("ns-match").with_feedback(format!(
                "the server serves the NS set of your zone file: {}",
                names.join(", ")
            ));
        }
        if served.is_empty() {
            fb.push_note(format!(
                "the server answered no NS records for `{}`: {}",
                self.origin,
                m.describe()
            ));
        } else {
            fb.push_note(format!(
                "the server serves another version of your zone: reload it ({}) after editing the file, and hand in the file it loads",
                self.cfg.reload
            ));
        }
        CheckResult::failed("ns-match", fb)
    }

    fn nxdomain(&self) -> CheckResult {
        let name = self.r.qname("nxdomain");
        if self.ix.contains(&name) {
            return CheckResult::skipped(
                "nxdomain",
                format!(
                    "your zone has the name {name}, which this lab asks for as one that does not exist: remove it"
                ),
            );
        }
        let wildcard = format!("*.{}", self.origin);
        if let Some(w) = self.ix.records_at(&wildcard).first() {
            return CheckResult::failed(
                "nxdomain",
                Feedback::new().line(
                    w.line,
                    format!(
                        "your zone has a wildcard `{wildcard}`, so every name under it exists and no query can get NXDOMAIN: this lab's zone must not have one"
                    ),
                ),
            );
        }
        let m = match self.r.message("nxdomain") {
            Err(why) => return CheckResult::failed("nxdomain", why),
            Ok(m) => m,
        };
        if !m.is_nxdomain() {
            let why = if m.is_noerror() && !m.answer.is_empty() {
                format!(
                    "the server answers {} for {name}, which is not in your zone: it must answer NXDOMAIN ({})",
                    m.answer
                        .iter()
                        .map(Rr::describe)
                        .collect::<Vec<_>>()
                        .join("; "),
                    m.describe()
                )
            } else if m.is_noerror() {
                format!(
                    "the server answers NOERROR with no records for {name}, which does not exist: it must answer NXDOMAIN ({})",
                    m.describe()
                )
            } else {
                self.refusal("nxdomain", m)
            };
            return CheckResult::failed("nxdomain", why);
        }
        let mut fb = Feedback::new();
        let mut got = 1;
        if m.is_authoritative() {
            got += 1;
        } else {
            fb.push_note("the NXDOMAIN has AA clear: only an authoritative answer proves the name does not exist");
        }
        match m.authority_soa() {
            Some(soa) if names_equal(&soa.owner, self.origin) => got += 1,
            Some(soa) => {
                fb.push_note(format!(
                    "the SOA in the authority section is that of `{}`, not of your zone `{}`",
                    soa.owner, self.origin
                ));
            }
            None => {
                fb.push_note(format!(
                "the NXDOMAIN has no SOA record in the authority section: resolvers need your zone's SOA to cache the negative answer (RFC 2308) ({})",
                m.describe()
            ));
            }
        }
        if got == 3 {
            return CheckResult::passed("nxdomain")
                .with_feedback(format!("{name}: NXDOMAIN, authoritative, with your SOA"));
        }
        CheckResult::scored("nxdomain", got, 3, fb)
    }

    fn no_recursion(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut got = 0;
        let outside = self.r.qname("recursion");
        let off = "turn recursion off (BIND: `recursion no;` in the options of named.conf; NSD and Knot never recurse)";
        match self.r.get("recursion").and_then(Response::message) {
            Some(m) if m.is_refused() || m.rcode == rcode::NOTAUTH => got += 1,
            Some(m) if m.is_noerror() && m.answer.is_empty() && !m.recursion_available() => {
                got += 1;
                fb.push_note(format!(
                    "{outside}: an empty answer, not a resolution (REFUSED tells clients more plainly)"
                ));
            }
            Some(m) if !m.answer.is_empty() => {
                fb.push_note(format!(
                    "the server answered {} with {}: it resolves names outside your zone for anyone who asks, an open resolver that attackers use to amplify floods; {off}",
                    self.r.describe("recursion"),
                    m.answer
                        .iter()
                        .map(Rr::describe)
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            Some(m) if m.is_servfail() => {
                fb.push_note(format!(
                    "the server answered SERVFAIL to {}: it tried to resolve the name (recursion is on) and failed; an authoritative server refuses it: {off}",
                    self.r.describe("recursion")
                ));
            }
            Some(m) => {
                fb.push_note(format!(
                    "the server answered {} with {}: an authoritative server refuses names outside its zones (REFUSED); {off}",
                    self.r.describe("recursion"),
                    m.describe()
                ));
            }
            None if self.r.get("recursion").is_some_and(|r| {
                r.source == Source::Probed && !matches!(r.outcome, Outcome::Missing)
            }) =>
            {
                got += 1;
                fb.push_note(format!(
                    "{outside}: no answer, so no recursion (REFUSED tells clients more plainly)"
                ));
            }
            None => {
                let why = self.r.message("recursion").err().unwrap_or_default();
                fb.push_note(why);
            }
        }
        let answered = self.r.answered();
        let ra: Vec<String> = answered
            .iter()
            .filter(|(_, m)| m.recursion_available())
            .map(|(r, _)| r.query.describe())
            .collect();
        if ra.is_empty() {
            got += 1;
        } else {
            let which = if ra.len() == answered.len() && ra.len() > 1 {
                format!("every response ({})", ra.len())
            } else if ra.len() > 3 {
                format!(
                    "the responses to {} and {} more",
                    ra[..3].join(", "),
                    ra.len() - 3
                )
            } else {
                format!("the responses to {}", ra.join(", "))
            };
            let advice = if got == 0 { "" } else { off };
            fb.push_note(format!(
                "RA (recursion available) is set in {which}: the server offers recursion{}{advice}",
                if advice.is_empty() { "" } else { "; " }
            ));
        }
        if got == 2 && fb.is_empty() {
            return CheckResult::passed("no-recursion").with_feedback(format!(
                "{outside}: {}; RA is clear in every response",
                self.r
                    .message("recursion")
                    .map_or_else(|_| "no answer".to_string(), |m| m.rcode_name.clone())
            ));
        }
        CheckResult::scored("no-recursion", got, 2, fb)
    }

    fn tcp(&self) -> CheckResult {
        let rfc = "DNS needs TCP for large answers and after truncation (RFC 7766)";
        match self.r.message("tcp") {
            Err(why) => CheckResult::failed("tcp", format!("{why}. {rfc}")),
            Ok(m) if m.is_truncated() => CheckResult::failed(
                "tcp",
                format!(
                    "the response over TCP is truncated (TC set), which TCP never needs: {}",
                    m.describe()
                ),
            ),
            Ok(m) if m.is_noerror() && m.soa_serial().is_some() => {
                CheckResult::passed("tcp").with_feedback("the server answers over TCP")
            }
            Ok(m) => CheckResult::failed("tcp", self.refusal("tcp", m)),
        }
    }

    fn edns(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut got = 0;
        match self.r.message("edns") {
            Err(why) => {
                fb.push_note(why);
            }
            Ok(m) if m.has_edns() && !m.is_formerr() && m.rcode != rcode::BADVERS => got += 1,
            Ok(m) if m.has_edns() => {
                fb.push_note(format!(
                    "the server answers {} to an EDNS query ({}): {}",
                    m.rcode_name,
                    self.r.describe("edns"),
                    m.describe()
                ));
            }
            Ok(m) => {
                fb.push_note(format!(
                    "the response to an EDNS query ({}) has no OPT record: the server (or a firewall in between) does not support EDNS (RFC 6891), without which it cannot send answers over 512 bytes or DNSSEC records ({})",
                    self.r.describe("edns"),
                    m.describe()
                ));
            }
        }
        match self.r.message("no-edns") {
            Err(why) => {
                fb.push_note(why);
            }
            Ok(m) if m.is_formerr() => {
                fb.push_note(format!(
                    "the server answers FORMERR to a query without EDNS ({}): it must still answer plain DNS queries",
                    self.r.describe("no-edns")
                ));
            }
            Ok(m) if m.has_edns() => {
                fb.push_note(format!(
                    "the server added an OPT record to its response to a query without EDNS ({}), which RFC 6891 §7 forbids",
                    self.r.describe("no-edns")
                ));
            }
            Ok(m) if m.is_noerror() => got += 1,
            Ok(m) => {
                fb.push_note(self.refusal("no-edns", m));
            }
        }
        if got == 2 {
            return CheckResult::passed("edns")
                .with_feedback("an OPT record with EDNS queries, a plain answer without");
        }
        CheckResult::scored("edns", got, 2, fb)
    }
}

struct AuthoritativeServer;

impl Checker for AuthoritativeServer {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let cfg = Cfg::read(&s.params)?;
        let r = Responses::new(&s);
        r.require(PROBES)?;
        if let Some(why) = r.silence() {
            return Ok(IDS
                .iter()
                .map(|id| CheckResult::failed(*id, why.as_str()))
                .collect());
        }
        let ctx = Ctx {
            r,
            ix: ZoneIndex::new(&s.zone),
            origin: &s.zone.origin,
            cfg,
        };
        Ok(vec![
            ctx.answers(),
            ctx.authoritative(),
            ctx.serial(),
            ctx.ns_match(),
            ctx.nxdomain(),
            ctx.no_recursion(),
            ctx.tcp(),
            ctx.edns(),
        ])
    }
}

grader_checker_sdk::export_checker!(AuthoritativeServer);

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing::{self, MessageBuilder};

    const O: &str = "grp7.lab.example.";
    const WWW: &str = "www.grp7.lab.example.";
    const NX: &str = "nonexistent-7f3a.grp7.lab.example.";
    const SERIAL: u32 = 2026112901;

    fn soa_rdata(serial: u32) -> String {
        format!(
            "ns1.grp7.lab.example. hostmaster.grp7.lab.example. {serial} 7200 3600 1209600 3600"
        )
    }

    fn zone(serial: u32) -> Zone {
        let soa = soa_rdata(serial);
        testing::zone(
            O,
            &[
                (O, "SOA", &soa),
                (O, "NS", "ns1.grp7.lab.example."),
                (O, "NS", "ns2.grp7.lab.example."),
                ("ns1.grp7.lab.example.", "A", "192.0.2.53"),
                ("ns2.grp7.lab.example.", "A", "192.0.2.54"),
                (WWW, "A", "192.0.2.80"),
            ],
        )
    }

    /// The probes of exercise.toml, for learner grp7.
    fn queries() -> Vec<Query> {
        let q = testing::query;
        let mut recursion = q("recursion", "www.example.com.", "A");
        recursion.recursion_desired = true;
        let mut soa_rd = q("soa-rd", O, "SOA");
        soa_rd.recursion_desired = true;
        let mut tcp = q("tcp", O, "SOA");
        tcp.transport = Transport::Tcp;
        let mut edns = q("edns", O, "SOA");
        edns.edns_size = Some(4096);
        let mut no_edns = q("no-edns", O, "SOA");
        no_edns.edns_size = None;
        vec![
            q("soa", O, "SOA"),
            q("ns", O, "NS"),
            q("www", WWW, "A"),
            q("nxdomain", NX, "A"),
            recursion,
            soa_rd,
            tcp,
            edns,
            no_edns,
        ]
    }

    /// What a well-configured server (BIND, `recursion no`) answers.
    fn reply(q: &Query, serial: u32) -> Message {
        let b = MessageBuilder::reply_to(q);
        let soa = soa_rdata(serial);
        match q.id.as_str() {
            "soa" | "soa-rd" | "tcp" | "edns" | "no-edns" => b.aa(true).answer(O, "SOA", &soa),
            "ns" => b.aa(true).answer(O, "NS", "ns1.grp7.lab.example.").answer(
                O,
                "NS",
                "ns2.grp7.lab.example.",
            ),
            "www" => b.aa(true).answer(WWW, "A", "192.0.2.80"),
            "nxdomain" => b.aa(true).rcode("NXDOMAIN").authority(O, "SOA", &soa),
            "recursion" => b.rcode("REFUSED"),
            other => panic!("no reply for {other}"),
        }
        .build()
    }

    fn good() -> Submission {
        let responses = queries()
            .into_iter()
            .map(|q| {
                let m = reply(&q, SERIAL);
                testing::answered(q, m)
            })
            .collect();
        testing::probed_submission(zone(SERIAL), responses)
    }

    /// Replaces the response of probe `id`.
    fn with(mut s: Submission, id: &str, f: impl FnOnce(&Query) -> Response) -> Submission {
        let i = s.responses.iter().position(|r| r.query.id == id).unwrap();
        s.responses[i] = f(&s.responses[i].query.clone());
        s
    }

    /// Replaces the message of probe `id`.
    fn with_message(
        s: Submission,
        id: &str,
        f: impl FnOnce(&Query) -> MessageBuilder,
    ) -> Submission {
        with(s, id, |q| testing::answered(q.clone(), f(q).build()))
    }

    fn run(s: Submission) -> Vec<CheckResult> {
        let out = AuthoritativeServer::check(s).unwrap();
        testing::assert_well_formed(&out, &IDS);
        out
    }

    fn result(s: Submission, id: &str) -> (Status, String) {
        let r = run(s).into_iter().find(|r| r.id == id).unwrap();
        (r.status, r.feedback)
    }

    fn soa_reply(q: &Query, serial: u32) -> MessageBuilder {
        MessageBuilder::reply_to(q)
            .aa(true)
            .answer(O, "SOA", &soa_rdata(serial))
    }

    #[test]
    fn a_good_server_passes_everything() {
        for r in run(good()) {
            assert_eq!(r.status, Status::Passed, "{r:?}");
        }
        let (_, fb) = result(good(), "serial");
        assert_eq!(
            fb,
            "line 1: the server answers serial 2026112901, as in your zone file"
        );
    }

    #[test]
    fn a_server_not_reloaded_serves_the_old_serial() {
        let mut s = good();
        s.zone = zone(SERIAL + 100);
        let (st, fb) = result(s, "serial");
        assert_eq!(st, Status::Failed);
        assert_eq!(
            fb,
            "line 1: the server answers serial 2026112901, your zone file has 2026113001: reload the server (rndc reload / nsd-control reload / knotc zone-reload) so that it serves the zone you edited"
        );
        let mut s = good();
        s.zone = zone(SERIAL - 1);
        let (st, fb) = result(s, "serial");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("newer than 2026112900"), "{fb}");
        // Serial arithmetic: 1 is newer than 4294967295.
        assert!(newer(1, u32::MAX) && !newer(u32::MAX, 1) && !newer(5, 5));
    }

    #[test]
    fn serials_that_differ_between_queries() {
        let s = with_message(good(), "tcp", |q| soa_reply(q, SERIAL + 1));
        let (st, fb) = result(s, "serial");
        assert!(matches!(st, Status::Partial(_)), "{fb}");
        assert!(fb.contains("answered serial 2026112902"), "{fb}");
        // Without the UDP SOA, the serial comes from TCP.
        let s = with(good(), "soa", |q| {
            testing::unanswered(q.clone(), Outcome::Timeout)
        });
        assert_eq!(result(s, "serial").0, Status::Passed);
    }

    #[test]
    fn a_zone_without_soa_has_no_serial() {
        let mut s = good();
        s.zone.records.remove(0);
        let (st, fb) = result(s, "serial");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("no readable SOA"), "{fb}");
    }

    #[test]
    fn nothing_answers() {
        let responses = queries()
            .into_iter()
            .map(|q| testing::unanswered(q, Outcome::Timeout))
            .collect();
        let s = testing::probed_submission(zone(SERIAL), responses);
        let out = run(s);
        let first = &out[0].feedback;
        assert!(
            first.starts_with("nothing answered at 127.0.0.12 port 5301 (9 queries timed out)"),
            "{first}"
        );
        for r in &out {
            assert_eq!((r.status, &r.feedback), (Status::Failed, first));
        }
    }

    #[test]
    fn no_tcp() {
        let s = with(good(), "tcp", |q| {
            testing::unanswered(q.clone(), Outcome::ConnectionRefused)
        });
        let out = run(s);
        for r in &out {
            let want = if r.id == "tcp" {
                Status::Failed
            } else {
                Status::Passed
            };
            assert_eq!(r.status, want, "{r:?}");
        }
        let fb = &out[6].feedback;
        assert!(
            fb.starts_with(
                "connection refused: is your server listening on 127.0.0.12 port 5301 (TCP)?"
            ),
            "{fb}"
        );
        assert!(fb.contains("RFC 7766"), "{fb}");
        let s = with_message(good(), "tcp", |q| soa_reply(q, SERIAL).tc(true));
        assert_eq!(result(s, "tcp").0, Status::Failed);
    }

    #[test]
    fn an_open_resolver() {
        let s = with_message(good(), "recursion", |q| {
            MessageBuilder::reply_to(q)
                .ra(true)
                .answer("www.example.com.", "A", "93.184.215.14")
        });
        let s = with_message(s, "soa-rd", |q| soa_reply(q, SERIAL).ra(true));
        let (st, fb) = result(s, "no-recursion");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.contains("open resolver") && fb.contains("`recursion no;`"),
            "{fb}"
        );
        assert!(fb.contains("RA (recursion available) is set in the responses to `www.example.com. A` (UDP, RD), `grp7.lab.example. SOA` (UDP, RD)"), "{fb}");
    }

    #[test]
    fn recursion_refused_but_ra_set() {
        let s = with_message(good(), "soa-rd", |q| soa_reply(q, SERIAL).ra(true));
        let (st, fb) = result(s, "no-recursion");
        assert!(matches!(st, Status::Partial(_)), "{fb}");
    }

    #[test]
    fn recursion_outcomes() {
        let servfail = with_message(good(), "recursion", |q| {
            MessageBuilder::reply_to(q).rcode("SERVFAIL")
        });
        let (st, fb) = result(servfail, "no-recursion");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("tried to resolve"),
            "{fb}"
        );
        let silent = with(good(), "recursion", |q| {
            testing::unanswered(q.clone(), Outcome::Timeout)
        });
        let (st, fb) = result(silent, "no-recursion");
        assert_eq!(st, Status::Passed, "{fb}");
        assert!(fb.contains("no answer, so no recursion"), "{fb}");
        let referral = with_message(good(), "recursion", |q| {
            MessageBuilder::reply_to(q).authority(".", "NS", "a.root-servers.net.")
        });
        assert_eq!(result(referral, "no-recursion").0, Status::Passed);
        let nx = with_message(good(), "recursion", |q| {
            MessageBuilder::reply_to(q).rcode("NXDOMAIN")
        });
        assert!(matches!(result(nx, "no-recursion").0, Status::Partial(_)));
        let mut missing = with(good(), "recursion", |q| {
            testing::unanswered_handed_in(q.clone(), Outcome::Missing)
        });
        let (st, fb) = result(missing.clone(), "no-recursion");
        assert!(
            matches!(st, Status::Partial(_)) && fb.starts_with("not handed in"),
            "{fb}"
        );
        missing.target = None;
        assert!(
            result(missing, "no-recursion")
                .1
                .contains("dig @SERVER www.example.com. A")
        );
    }

    #[test]
    fn not_authoritative() {
        let mut s = good();
        for r in &mut s.responses {
            if let Outcome::Answered(m) = &mut r.outcome {
                m.header.authoritative = false;
            }
        }
        let (st, fb) = result(s.clone(), "authoritative");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.starts_with("AA (authoritative answer) is clear in 8 of 8 answers"),
            "{fb}"
        );
        let (st, fb) = result(s, "nxdomain");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("AA clear"),
            "{fb}"
        );
    }

    #[test]
    fn zone_not_configured() {
        let mut s = good();
        for r in &mut s.responses {
            if let Outcome::Answered(m) = &mut r.outcome {
                m.rcode = rcode::REFUSED;
                m.rcode_name = "REFUSED".into();
                m.answer.clear();
                m.authority.clear();
                m.header.authoritative = false;
            }
        }
        let out = run(s);
        assert_eq!(out[0].status, Status::Failed);
        assert!(
            out[0]
                .feedback
                .contains("it does not serve your zone `grp7.lab.example.`"),
            "{}",
            out[0].feedback
        );
        assert_eq!(out[1].status, Status::Failed);
        assert!(
            out[1]
                .feedback
                .starts_with("no query for your zone got an answer to judge")
        );
        assert_eq!(out[5].status, Status::Passed); // refusing everything refuses recursion
        let s = with_message(good(), "soa", |q| {
            MessageBuilder::reply_to(q).rcode("SERVFAIL")
        });
        let (st, fb) = result(s, "answers");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("could not load it"),
            "{fb}"
        );
    }

    #[test]
    fn www_differs_from_the_zone() {
        let s = with_message(good(), "www", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .answer(WWW, "A", "192.0.2.81")
        });
        let (st, fb) = result(s, "answers");
        assert!(matches!(st, Status::Partial(_)), "{fb}");
        assert!(
            fb.starts_with(
                "line 6: the server answers 192.0.2.81 for www A, your zone file has 192.0.2.80"
            ),
            "{fb}"
        );
        let s = with_message(good(), "soa", |q| MessageBuilder::reply_to(q).aa(true));
        let (st, fb) = result(s, "answers");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("without the SOA record"),
            "{fb}"
        );
    }

    #[test]
    fn ns_sets() {
        let s = with_message(good(), "ns", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .answer(O, "NS", "ns1.grp7.lab.example.")
                .answer(O, "NS", "ns3.grp7.lab.example.")
        });
        let (st, fb) = result(s, "ns-match");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("line 3: ns2.grp7.lab.example. is in your zone file, but the server does not serve it"), "{fb}");
        assert!(
            fb.contains(
                "the server serves NS ns3.grp7.lab.example., which is not in your zone file"
            ),
            "{fb}"
        );
        let s = with_message(good(), "ns", |q| MessageBuilder::reply_to(q).aa(true));
        let (st, fb) = result(s, "ns-match");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("answered no NS records"), "{fb}");
        let mut s = good();
        s.zone.records.retain(|r| r.rtype != "NS");
        assert!(
            result(s, "ns-match")
                .1
                .contains("no NS records at its apex")
        );
        let s = with_message(good(), "ns", |q| {
            MessageBuilder::reply_to(q).rcode("REFUSED")
        });
        assert_eq!(result(s, "ns-match").0, Status::Failed);
    }

    #[test]
    fn nxdomain_variants() {
        let no_soa = with_message(good(), "nxdomain", |q| {
            MessageBuilder::reply_to(q).aa(true).rcode("NXDOMAIN")
        });
        let (st, fb) = result(no_soa, "nxdomain");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("RFC 2308"),
            "{fb}"
        );
        let parent_soa = with_message(good(), "nxdomain", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .rcode("NXDOMAIN")
                .authority("lab.example.", "SOA", &soa_rdata(1))
        });
        let (_, fb) = result(parent_soa, "nxdomain");
        assert!(fb.contains("that of `lab.example.`"), "{fb}");
        let answered = with_message(good(), "nxdomain", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .answer(NX, "A", "192.0.2.1")
        });
        let (st, fb) = result(answered, "nxdomain");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("which is not in your zone"), "{fb}");
        let nodata = with_message(good(), "nxdomain", |q| MessageBuilder::reply_to(q).aa(true));
        assert!(
            result(nodata, "nxdomain")
                .1
                .contains("NOERROR with no records")
        );
        let mut wild = good();
        wild.zone
            .records
            .push(testing::record(7, "*.grp7.lab.example.", "A", "192.0.2.1"));
        let (st, fb) = result(wild, "nxdomain");
        assert_eq!(st, Status::Failed);
        assert!(fb.starts_with("line 7: your zone has a wildcard"), "{fb}");
        let mut has = good();
        has.zone
            .records
            .push(testing::record(7, NX, "A", "192.0.2.1"));
        assert_eq!(result(has, "nxdomain").0, Status::Skipped);
    }

    #[test]
    fn edns_faults() {
        let no_opt = with_message(good(), "edns", |q| soa_reply(q, SERIAL).no_edns());
        let (st, fb) = result(no_opt, "edns");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("no OPT record"),
            "{fb}"
        );
        let formerr = with_message(good(), "no-edns", |q| {
            MessageBuilder::reply_to(q).rcode("FORMERR")
        });
        let (_, fb) = result(formerr, "edns");
        assert!(fb.contains("FORMERR to a query without EDNS"), "{fb}");
        let opt = with_message(good(), "no-edns", |q| {
            soa_reply(q, SERIAL).edns(1232, false)
        });
        let (_, fb) = result(opt, "edns");
        assert!(fb.contains("RFC 6891 §7"), "{fb}");
        let badvers = with_message(good(), "edns", |q| soa_reply(q, SERIAL).rcode("BADVERS"));
        assert!(result(badvers, "edns").1.contains("BADVERS"));
        let both = with(good(), "edns", |q| {
            testing::unanswered(q.clone(), Outcome::Timeout)
        });
        let both = with_message(both, "no-edns", |q| {
            MessageBuilder::reply_to(q).rcode("REFUSED")
        });
        assert_eq!(result(both, "edns").0, Status::Failed);
    }

    #[test]
    fn handed_in_responses() {
        let mut s = good();
        s.target = None;
        for r in &mut s.responses {
            r.source = Source::HandedIn;
            r.timing = None;
        }
        assert!(run(s.clone()).iter().all(|r| r.status == Status::Passed));
        let s = with(s, "tcp", |q| {
            testing::unanswered_handed_in(q.clone(), Outcome::Missing)
        });
        let (st, fb) = result(s, "tcp");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.contains("dig @SERVER grp7.lab.example. SOA +norec +tcp"),
            "{fb}"
        );
    }

    #[test]
    fn params_and_probes() {
        assert!(Cfg::read("{}").is_ok());
        assert!(Cfg::read(r#"{"reload_commands": 1}"#).is_err());
        let mut s = good();
        s.responses.pop();
        let e = AuthoritativeServer::check(s).unwrap_err();
        assert!(e.contains("`no-edns`"), "{e}");
    }

    #[test]
    fn odd_responses_are_judged() {
        testing::judge_odd_responses(AuthoritativeServer::check, &good(), &IDS);
    }

    #[test]
    fn odd_zones_are_judged() {
        testing::judge_odd_zones(
            |mut s| {
                s.responses = good().responses;
                s.target = good().target;
                AuthoritativeServer::check(s)
            },
            "{}",
            &IDS,
        );
    }
}
