//! Checker of `validating-resolver`: the learner runs a validating
//! resolver (Unbound or BIND) with the trust anchor of the instructors'
//! signed zone `resolver-lab.example.` and hands in its address; the grader
//! asks it (`[[probes]]` in exercise.toml) for a correctly signed name
//! (`www`), for a name whose signature is broken (`bogus`), with and
//! without CD, and for the zone's DNSKEY set. No zone is handed in.
//!
//! The typical mistake is a resolver without the trust anchor: it then
//! treats the zone as unsigned and answers `bogus` with NOERROR and AD
//! clear; the feedback of `servfail` says so. A wrong trust anchor makes
//! every answer SERVFAIL, which `answers` explains.
//!
//! When no probe was answered at all, every check fails with one message
//! saying so.
//!
//! Params (see exercise.toml): `trust_anchor`, the name the resolver must
//! trust, for the feedback; `www_address`, if set, the address `www` must
//! resolve to.

use grader_checker_sdk::prelude::*;

/// The rubric, in order.
const IDS: [&str; 5] = ["answers", "ad", "servfail", "cd", "dnssec-records"];

/// The probes this checker reads.
const PROBES: &[&str] = &["good", "good-ad", "bogus", "bogus-cd", "dnskey"];

/// The exercise's params.
struct Cfg {
    anchor: String,
    www_address: Option<String>,
}

impl Cfg {
    fn read(text: &str) -> Result<Cfg, String> {
        let p = Params::parse(text)?;
        Ok(Cfg {
            anchor: p.get_or("trust_anchor", "resolver-lab.example.".to_string())?,
            www_address: p.optional("www_address")?,
        })
    }
}

struct Ctx<'a> {
    r: Responses<'a>,
    cfg: Cfg,
}

impl Ctx<'_> {
    /// How to give the resolver the trust anchor.
    fn anchor_advice(&self) -> String {
        format!(
            "configure the lab's trust anchor for `{}` (Unbound: `trust-anchor-file:` with the lab's key file; BIND: `trust-anchors {{ ... }};`) and restart the resolver",
            self.cfg.anchor
        )
    }

    /// The response to probe `id` when it resolved: NOERROR with an A
    /// record.
    fn resolved(&self, id: &str) -> Option<&Message> {
        self.r
            .message(id)
            .ok()
            .filter(|m| m.is_noerror() && !m.answers("A").is_empty())
    }

    /// Why the response `m` to probe `id` is not the answer expected, by
    /// its rcode (REFUSED: an access list; SERVFAIL; anything else).
    fn unexpected(&self, id: &str, m: &Message) -> String {
        match m.rcode {
            rcode::REFUSED => format!(
                "the resolver refuses {} (REFUSED): let the grader's address query it (Unbound: `access-control: NETWORK allow`; BIND: `allow-query` and `allow-recursion`)",
                self.r.describe(id)
            ),
            rcode::SERVFAIL => format!(
                "the resolver answers SERVFAIL to {}{}",
                self.r.describe(id),
                extended(m)
            ),
            _ if m.is_noerror() && m.answers("A").is_empty() => format!(
                "the resolver answers {} without an address: {}",
                self.r.describe(id),
                m.describe()
            ),
            _ => format!(
                "the response to {} is not the answer expected: {}",
                self.r.describe(id),
                m.describe()
            ),
        }
    }

    /// When the server answers the correctly signed name authoritatively
    /// (AA set) without offering recursion (RA clear): the address of an
    /// authoritative server was handed in, not of a resolver. One message
    /// for every check.
    fn not_a_resolver(&self) -> Option<String> {
        let m = self.r.message("good").ok()?;
        (m.is_authoritative() && !m.recursion_available()).then(|| {
            format!(
                "the server at {} answers {} authoritatively (AA set) and offers no recursion (RA clear): it is an authoritative server for `{}`, not a resolver, so it validates nothing. Hand in the address of your validating resolver",
                self.r.target().unwrap_or("the address you handed in"),
                self.r.describe("good"),
                self.cfg.anchor
            )
        })
    }

    fn answers(&self) -> CheckResult {
        let name = self.r.qname("good");
        let m = match self.r.message("good") {
            Err(why) => return CheckResult::failed("answers", why),
            Ok(m) => m,
        };
        if m.is_servfail() {
            let everything = ["bogus", "bogus-cd", "dnskey"]
                .iter()
                .all(|id| self.r.message(id).is_ok_and(Message::is_servfail));
            let why = if everything {
                format!(
                    "it answers SERVFAIL to every query, even with CD set: it cannot reach the lab's servers for `{}` (check how it finds them: a stub zone or forwarder, as the lab sheet says), or its trust anchor does not match the lab's key (a wrong key makes every answer bogus): {}",
                    self.cfg.anchor,
                    self.anchor_advice()
                )
            } else {
                format!(
                    "{name} is correctly signed: does the trust anchor match the lab's key? {}",
                    self.anchor_advice()
                )
            };
            return CheckResult::failed(
                "answers",
                format!("{}: {why}", self.unexpected("good", m)),
            );
        }
        if !m.is_noerror() || m.answers("A").is_empty() {
            return CheckResult::failed("answers", self.unexpected("good", m));
        }
        let mut fb = Feedback::new();
        let mut got = 0;
        let addresses: Vec<String> = m
            .answers("A")
            .into_iter()
            .filter_map(|r| r.a().map(|a| a.to_string()))
            .collect();
        match &self.cfg.www_address {
            Some(want) if !addresses.iter().any(|a| a == want) => {
                fb.push_note(format!(
                    "the resolver answers {} for {name}; the lab's address is {want}: does it ask the lab's servers?",
                    addresses.join(", ")
                ));
            }
            _ => got += 1,
        }
        if m.recursion_available() {
            got += 1;
        } else {
            fb.push_note(format!(
                "RA is clear in the response to {}: the server does not offer you recursion (is it an authoritative server? Unbound and BIND resolvers set RA for the clients they serve)",
                self.r.describe("good")
            ));
        }
        if got == 2 {
            return CheckResult::passed("answers")
                .with_feedback(format!("{name} resolves to {}", addresses.join(", ")));
        }
        CheckResult::scored("answers", got, 2, fb)
    }

    fn ad(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut got = 0;
        let mut clear = Vec::new();
        for id in ["good", "good-ad"] {
            match self.r.message(id) {
                Err(why) => {
                    fb.push_note(why);
                }
                Ok(m) if m.is_noerror() && !m.answers("A").is_empty() => {
                    if m.authentic_data() {
                        got += 1;
                    } else {
                        clear.push(id);
                    }
                }
                Ok(m) => {
                    fb.push_note(self.unexpected(id, m));
                }
            }
        }
        let name = self.r.qname("good");
        match clear.as_slice() {
            [] => {}
            ["good-ad"] if got == 1 => {
                fb.push_note(format!(
                    "AD is set with DO, but clear in the response to {}: a resolver sets AD for a client that asks with the AD flag too (RFC 6840 §5.7)",
                    self.r.describe("good-ad")
                ));
            }
            _ => {
                let queries: Vec<String> = clear.iter().map(|id| self.r.describe(id)).collect();
                fb.push_note(format!(
                    "AD is clear in the responses to {}: your resolver does not validate {name}, which is correctly signed. Turn validation on (Unbound: `module-config: \"validator iterator\"`; BIND: `dnssec-validation yes;`) and {}",
                    queries.join(", "),
                    self.anchor_advice()
                ));
            }
        }
        if got == 2 {
            return CheckResult::passed("ad").with_feedback(format!(
                "AD is set on the answers for {name}, with DO and with the AD flag"
            ));
        }
        CheckResult::scored("ad", got, 2, fb)
    }

    fn servfail(&self) -> CheckResult {
        let name = self.r.qname("bogus");
        let m = match self.r.message("bogus") {
            Err(why) => return CheckResult::failed("servfail", why),
            Ok(m) => m,
        };
        let good = self.resolved("good");
        if m.is_servfail() {
            return match (good, self.r.message("good")) {
                (Some(_), _) => CheckResult::passed("servfail").with_feedback(format!(
                    "{name}: SERVFAIL, as a validating resolver must{}",
                    extended(m)
                )),
                (None, Ok(g)) if g.is_servfail() => CheckResult::failed(
                    "servfail",
                    format!(
                        "the resolver answers SERVFAIL for {name}, but for the correctly signed {} too: failing everything proves nothing (see `answers`)",
                        self.r.qname("good")
                    ),
                ),
                (None, _) => CheckResult::partial(
                    "servfail",
                    1,
                    2,
                    format!(
                        "{name}: SERVFAIL, but the correctly signed {} did not resolve either, so the two cannot be told apart (see `answers`)",
                        self.r.qname("good")
                    ),
                ),
            };
        }
        if !m.is_noerror() {
            return CheckResult::failed("servfail", self.unexpected("bogus", m));
        }
        let answer = m
            .answers("A")
            .into_iter()
            .map(|r| r.rdata.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let answer = if answer.is_empty() {
            "no address".to_string()
        } else {
            answer
        };
        let why = if m.authentic_data() {
            format!(
                "the resolver answers {name} with {answer} and AD set: it calls data with a broken signature secure. A validator must answer SERVFAIL"
            )
        } else if good.is_some_and(Message::authentic_data) {
            format!(
                "the resolver validates {} (AD set) but answers {name} with {answer}, NOERROR and AD clear: is {name} exempted from validation (Unbound: `domain-insecure:`; BIND: a negative trust anchor, `rndc nta`)? Remove the exemption",
                self.r.qname("good")
            )
        } else {
            format!(
                "the resolver answers {name}, whose signature is broken, with {answer} (NOERROR, AD clear): it did not validate the answer. Most likely it has no trust anchor for `{}`, so it treats the zone as unsigned: {}. (A resolver with validation off answers the same: check `module-config` in Unbound, `dnssec-validation` in BIND.)",
                self.cfg.anchor,
                self.anchor_advice()
            )
        };
        CheckResult::failed("servfail", why)
    }

    fn cd(&self) -> CheckResult {
        let name = self.r.qname("bogus-cd");
        let m = match self.r.message("bogus-cd") {
            Err(why) => return CheckResult::failed("cd", why),
            Ok(m) => m,
        };
        if self
            .r
            .message("bogus")
            .is_ok_and(|b| b.is_noerror() && !b.authentic_data())
            && !self.resolved("good").is_some_and(Message::authentic_data)
        {
            return CheckResult::skipped(
                "cd",
                format!(
                    "not judged: your resolver answers {name} without validating even when CD is clear (see `servfail`), so CD makes no difference yet"
                ),
            );
        }
        if m.is_servfail() {
            return CheckResult::failed(
                "cd",
                format!(
                    "the resolver answers SERVFAIL to {}: with CD (checking disabled) it must return the data without validating (RFC 4035 §3.2.2), so that a client can look at the broken answer itself{}",
                    self.r.describe("bogus-cd"),
                    extended(m)
                ),
            );
        }
        if !m.is_noerror() || m.answers("A").is_empty() {
            return CheckResult::failed("cd", self.unexpected("bogus-cd", m));
        }
        if m.authentic_data() {
            return CheckResult::partial(
                "cd",
                1,
                2,
                format!(
                    "the resolver returns the data of {name} with CD set, but with AD set: data it did not (or could not) validate must have AD clear"
                ),
            );
        }
        CheckResult::passed("cd").with_feedback(format!(
            "{name} with CD: NOERROR with the address, AD clear"
        ))
    }

    fn dnssec_records(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut got = 0;
        let strip = "a resolver passes on the RRSIGs when the query has the DO bit; does a forwarder or a middlebox between strip them?";
        match self.r.message("good") {
            Err(why) => {
                fb.push_note(why);
            }
            Ok(m) if m.has_rrsig(Section::Answer, "A") => got += 1,
            Ok(m) if m.is_noerror() && !m.answers("A").is_empty() => {
                fb.push_note(format!(
                    "the answer to {} has no RRSIG: {strip}",
                    self.r.describe("good")
                ));
            }
            Ok(m) => {
                fb.push_note(self.unexpected("good", m));
            }
        }
        match self.r.message("dnskey") {
            Err(why) => {
                fb.push_note(why);
            }
            Ok(m) if !m.answers("DNSKEY").is_empty() && m.has_rrsig(Section::Answer, "DNSKEY") => {
                got += 1;
            }
            Ok(m) if !m.answers("DNSKEY").is_empty() => {
                fb.push_note(format!(
                    "the DNSKEY set comes without its RRSIG in the response to {}: {strip}",
                    self.r.describe("dnskey")
                ));
            }
            Ok(m) => {
                fb.push_note(format!(
                    "the resolver answers {} without DNSKEY records: {}{}",
                    self.r.describe("dnskey"),
                    m.describe(),
                    extended(m)
                ));
            }
        }
        if got == 2 {
            return CheckResult::passed("dnssec-records")
                .with_feedback("RRSIGs with the answer and the DNSKEY set, with DO");
        }
        CheckResult::scored("dnssec-records", got, 2, fb)
    }
}

/// ` (extended error: DNSSEC Bogus (6): ...)` when the response has RFC
/// 8914 extended errors, else empty.
fn extended(m: &Message) -> String {
    let e = m.extended_errors();
    if e.is_empty() {
        return String::new();
    }
    let list: Vec<String> = e.iter().map(ToString::to_string).collect();
    format!(" (extended error: {})", list.join("; "))
}

struct ValidatingResolver;

impl Checker for ValidatingResolver {
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
        let ctx = Ctx { r, cfg };
        if let Some(why) = ctx.not_a_resolver() {
            return Ok(IDS
                .iter()
                .map(|id| CheckResult::failed(*id, why.as_str()))
                .collect());
        }
        Ok(vec![
            ctx.answers(),
            ctx.ad(),
            ctx.servfail(),
            ctx.cd(),
            ctx.dnssec_records(),
        ])
    }
}

grader_checker_sdk::export_checker!(ValidatingResolver);

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing::{self, MessageBuilder};

    const O: &str = "resolver-lab.example.";
    const WWW: &str = "www.resolver-lab.example.";
    const BOGUS: &str = "bogus.resolver-lab.example.";
    const KEY: &str = "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==";

    fn sig(rtype: &str) -> String {
        format!("{rtype} 13 3 3600 1798675200 1796083200 4242 {O} c2lnbmF0dXJl")
    }

    fn queries() -> Vec<Query> {
        let q = |id: &str, name: &str, rtype: &str| {
            let mut q = testing::query(id, name, rtype);
            q.recursion_desired = true;
            q
        };
        let mut good = q("good", WWW, "A");
        good.dnssec_ok = true;
        let mut good_ad = q("good-ad", WWW, "A");
        good_ad.authentic_data = true;
        let mut cd = q("bogus-cd", BOGUS, "A");
        cd.checking_disabled = true;
        let mut dnskey = q("dnskey", O, "DNSKEY");
        dnskey.dnssec_ok = true;
        vec![good, good_ad, q("bogus", BOGUS, "A"), cd, dnskey]
    }

    /// What a validating Unbound with the trust anchor answers.
    fn validating(q: &Query) -> MessageBuilder {
        let b = MessageBuilder::reply_to(q).ra(true);
        let good = |b: MessageBuilder| {
            let b = b.ad(true).answer(WWW, "A", "192.0.2.80");
            if q.dnssec_ok {
                b.answer(WWW, "RRSIG", &sig("A"))
            } else {
                b
            }
        };
        match q.id.as_str() {
            "good" | "good-ad" => good(b),
            "bogus" => b.rcode("SERVFAIL").edns_option(
                15,
                b"\x00\x06validation failure <bogus.resolver-lab.example. A IN>",
            ),
            "bogus-cd" => b.answer(BOGUS, "A", "192.0.2.66"),
            "dnskey" => b
                .ad(true)
                .answer(O, "DNSKEY", KEY)
                .answer(O, "RRSIG", &sig("DNSKEY")),
            other => panic!("no reply for {other}"),
        }
    }

    /// A resolver without the trust anchor: everything resolves, AD
    /// always clear.
    fn no_anchor(q: &Query) -> MessageBuilder {
        let b = MessageBuilder::reply_to(q).ra(true);
        let name = if q.name == BOGUS { BOGUS } else { WWW };
        match q.id.as_str() {
            "dnskey" => b
                .answer(O, "DNSKEY", KEY)
                .answer(O, "RRSIG", &sig("DNSKEY")),
            _ if q.dnssec_ok => b
                .answer(name, "A", "192.0.2.80")
                .answer(name, "RRSIG", &sig("A")),
            _ => b.answer(name, "A", "192.0.2.80"),
        }
    }

    fn submission(f: fn(&Query) -> MessageBuilder) -> Submission {
        let responses = queries()
            .into_iter()
            .map(|q| {
                let m = f(&q).build();
                testing::answered(q, m)
            })
            .collect();
        let mut s = testing::probed_submission(testing::zone(".", &[]), responses);
        s.params = r#"{"trust_anchor":"resolver-lab.example."}"#.into();
        s
    }

    fn good() -> Submission {
        submission(validating)
    }

    fn with_message(
        mut s: Submission,
        id: &str,
        f: impl FnOnce(&Query) -> MessageBuilder,
    ) -> Submission {
        let i = s.responses.iter().position(|r| r.query.id == id).unwrap();
        let q = s.responses[i].query.clone();
        s.responses[i] = testing::answered(q.clone(), f(&q).build());
        s
    }

    fn run(s: Submission) -> Vec<CheckResult> {
        let out = ValidatingResolver::check(s).unwrap();
        testing::assert_well_formed(&out, &IDS);
        out
    }

    fn result(s: Submission, id: &str) -> (Status, String) {
        let r = run(s).into_iter().find(|r| r.id == id).unwrap();
        (r.status, r.feedback)
    }

    #[test]
    fn a_validating_resolver_passes_everything() {
        for r in run(good()) {
            assert_eq!(r.status, Status::Passed, "{r:?}");
        }
        let (_, fb) = result(good(), "servfail");
        assert_eq!(
            fb,
            "bogus.resolver-lab.example.: SERVFAIL, as a validating resolver must (extended error: DNSSEC Bogus (6): validation failure <bogus.resolver-lab.example. A IN>)"
        );
    }

    #[test]
    fn no_trust_anchor() {
        let out = run(submission(no_anchor));
        let st: Vec<Status> = out.iter().map(|r| r.status).collect();
        assert_eq!(
            st,
            [
                Status::Passed,
                Status::Failed,
                Status::Failed,
                Status::Skipped,
                Status::Passed
            ]
        );
        let fb = &out[2].feedback;
        assert!(
            fb.starts_with("the resolver answers bogus.resolver-lab.example., whose signature is broken, with 192.0.2.80 (NOERROR, AD clear): it did not validate the answer. Most likely it has no trust anchor for `resolver-lab.example.`"),
            "{fb}"
        );
        assert!(
            out[1]
                .feedback
                .contains("does not validate www.resolver-lab.example."),
            "{}",
            out[1].feedback
        );
    }

    #[test]
    fn a_wrong_trust_anchor_fails_everything() {
        let s = submission(|q| MessageBuilder::reply_to(q).ra(true).rcode("SERVFAIL"));
        let out = run(s);
        assert_eq!(out[0].status, Status::Failed);
        assert!(
            out[0].feedback.contains("SERVFAIL to every query"),
            "{}",
            out[0].feedback
        );
        assert_eq!(out[2].status, Status::Failed);
        assert!(
            out[2]
                .feedback
                .contains("failing everything proves nothing"),
            "{}",
            out[2].feedback
        );
        assert_eq!(out[3].status, Status::Failed);
        // SERVFAIL only for the good name: the anchor.
        let s = with_message(good(), "good", |q| {
            MessageBuilder::reply_to(q).ra(true).rcode("SERVFAIL")
        });
        let (st, fb) = result(s, "answers");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("does the trust anchor match"), "{fb}");
    }

    #[test]
    fn an_authoritative_server_is_not_a_resolver() {
        let s = submission(|q| match q.id.as_str() {
            "dnskey" => MessageBuilder::reply_to(q)
                .aa(true)
                .answer(O, "DNSKEY", KEY)
                .answer(O, "RRSIG", &sig("DNSKEY")),
            _ => MessageBuilder::reply_to(q)
                .aa(true)
                .answer(&q.name, "A", "192.0.2.80")
                .answer(&q.name, "RRSIG", &sig("A")),
        });
        let out = run(s);
        for r in &out {
            assert_eq!(r.status, Status::Failed);
            assert!(
                r.feedback.starts_with("the server at 127.0.0.12:5301 answers `www.resolver-lab.example. A` (UDP, RD, DO) authoritatively (AA set) and offers no recursion (RA clear)"),
                "{}",
                r.feedback
            );
        }
    }

    #[test]
    fn refused_and_no_ra() {
        let s = submission(|q| MessageBuilder::reply_to(q).rcode("REFUSED"));
        let (st, fb) = result(s, "answers");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("access-control"), "{fb}");
        let s = with_message(good(), "good", |q| validating(q).ra(false));
        let (st, fb) = result(s, "answers");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("RA is clear"),
            "{fb}"
        );
    }

    #[test]
    fn expected_address() {
        let mut s = good();
        s.params = r#"{"www_address":"192.0.2.99"}"#.into();
        let (st, fb) = result(s, "answers");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("the lab's address is 192.0.2.99"),
            "{fb}"
        );
        let mut s = good();
        s.params = r#"{"www_address":"192.0.2.80"}"#.into();
        assert_eq!(result(s, "answers").0, Status::Passed);
    }

    #[test]
    fn ad_only_with_do() {
        let s = with_message(good(), "good-ad", |q| validating(q).ad(false));
        let (st, fb) = result(s, "ad");
        assert!(
            matches!(st, Status::Partial(_)) && fb.contains("RFC 6840"),
            "{fb}"
        );
    }

    #[test]
    fn an_exempted_bogus_name() {
        let s = with_message(good(), "bogus", |q| {
            MessageBuilder::reply_to(q)
                .ra(true)
                .answer(BOGUS, "A", "192.0.2.66")
        });
        let (st, fb) = result(s.clone(), "servfail");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("domain-insecure"), "{fb}");
        // CD is still judged: the resolver validates www.
        assert_eq!(result(s, "cd").0, Status::Passed);
        let secure = with_message(good(), "bogus", |q| {
            MessageBuilder::reply_to(q)
                .ra(true)
                .ad(true)
                .answer(BOGUS, "A", "192.0.2.66")
        });
        assert!(
            result(secure, "servfail")
                .1
                .contains("calls data with a broken signature secure")
        );
        let refused = with_message(good(), "bogus", |q| {
            MessageBuilder::reply_to(q).rcode("REFUSED")
        });
        assert_eq!(result(refused, "servfail").0, Status::Failed);
    }

    #[test]
    fn servfail_without_a_good_answer() {
        let mut s = good();
        s.responses[0] = testing::unanswered(s.responses[0].query.clone(), Outcome::Timeout);
        let (st, fb) = result(s, "servfail");
        assert!(matches!(st, Status::Partial(_)), "{fb}");
    }

    #[test]
    fn cd_ignored() {
        let s = with_message(good(), "bogus-cd", |q| {
            MessageBuilder::reply_to(q).ra(true).rcode("SERVFAIL")
        });
        let (st, fb) = result(s, "cd");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("RFC 4035 §3.2.2"), "{fb}");
        let s = with_message(good(), "bogus-cd", |q| validating(q).ad(true));
        assert!(matches!(result(s, "cd").0, Status::Partial(_)));
        let s = with_message(good(), "bogus-cd", |q| MessageBuilder::reply_to(q).ra(true));
        assert_eq!(result(s, "cd").0, Status::Failed);
    }

    #[test]
    fn stripped_dnssec_records() {
        let s = with_message(good(), "good", |q| {
            MessageBuilder::reply_to(q)
                .ra(true)
                .ad(true)
                .answer(WWW, "A", "192.0.2.80")
        });
        let s = with_message(s, "dnskey", |q| {
            MessageBuilder::reply_to(q)
                .ra(true)
                .answer(O, "DNSKEY", KEY)
        });
        let (st, fb) = result(s, "dnssec-records");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.contains("has no RRSIG") && fb.contains("without its RRSIG"),
            "{fb}"
        );
        let s = with_message(good(), "dnskey", |q| {
            MessageBuilder::reply_to(q).ra(true).rcode("SERVFAIL")
        });
        assert!(matches!(result(s, "dnssec-records").0, Status::Partial(_)));
    }

    #[test]
    fn nothing_answers() {
        let responses = queries()
            .into_iter()
            .map(|q| testing::unanswered(q, Outcome::Timeout))
            .collect();
        let s = testing::probed_submission(testing::zone(".", &[]), responses);
        let out = run(s);
        for r in &out {
            assert_eq!(r.status, Status::Failed);
            assert!(
                r.feedback
                    .starts_with("nothing answered at 127.0.0.12 port 5301 (5 queries timed out)"),
                "{}",
                r.feedback
            );
        }
    }

    #[test]
    fn handed_in_output() {
        let mut s = good();
        s.target = None;
        for r in &mut s.responses {
            r.source = Source::HandedIn;
            r.timing = None;
        }
        assert!(run(s.clone()).iter().all(|r| r.status == Status::Passed));
        let i = 3;
        s.responses[i] =
            testing::unanswered_handed_in(s.responses[i].query.clone(), Outcome::Missing);
        let (st, fb) = result(s, "cd");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.contains("dig @SERVER bogus.resolver-lab.example. A +cd"),
            "{fb}"
        );
    }

    #[test]
    fn params_and_probes() {
        assert!(Cfg::read("{}").is_ok());
        assert!(Cfg::read(r#"{"www_address": 1}"#).is_err());
        let mut s = good();
        s.responses.truncate(2);
        assert!(
            ValidatingResolver::check(s)
                .unwrap_err()
                .contains("`bogus`, `bogus-cd`, `dnskey`")
        );
    }

    #[test]
    fn odd_responses_are_judged() {
        testing::judge_odd_responses(ValidatingResolver::check, &good(), &IDS);
        testing::judge_odd_responses(ValidatingResolver::check, &submission(no_anchor), &IDS);
    }
}
