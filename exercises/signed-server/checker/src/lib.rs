//! Checker of `signed-server`: the learner serves the signed zone
//! `<id>.lab.example.` from an authoritative server and hands in the
//! signed zone file; the grader queries the server with the DO bit
//! (`[[probes]]` in exercise.toml) and this checker judges the DNSSEC
//! records it served: the DNSKEY set (the same keys as the file), RRSIGs
//! with the answers and still valid at grading time, signed NSEC or NSEC3
//! proofs for a missing name and a missing type, and DNSKEY over TCP. The
//! file itself is judged by the grader's DNSSEC validation
//! (`zone.dnssec`).
//!
//! When no probe was answered at all, every check about the server fails
//! with one message saying so; `zone-valid` is still judged on the file.
//!
//! Params (see exercise.toml): `reload_commands`, how to make the server
//! load the signed zone again, named in the feedback.

use grader_checker_sdk::names::short;
use grader_checker_sdk::prelude::*;

/// The rubric, in order.
#[cfg(test)]
const IDS: [&str; 6] = ["dnskey", "rrsig", "denial", "nodata", "tcp", "zone-valid"];

/// The checks about the server (all but `zone-valid`).
const SERVER_CHECKS: [&str; 5] = ["dnskey", "rrsig", "denial", "nodata", "tcp"];

/// The probes this checker reads.
const PROBES: &[&str] = &["dnskey", "soa", "www", "nxdomain", "nodata", "dnskey-tcp"];

/// DNSKEY records listed one by one in feedback.
const LIST: usize = 8;

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

struct Ctx<'a> {
    s: &'a Submission,
    r: Responses<'a>,
    ix: ZoneIndex<'a>,
    origin: &'a str,
    cfg: Cfg,
}

impl Ctx<'_> {
    /// Advice for a server that serves the unsigned zone.
    fn unsigned_advice(&self) -> String {
        format!(
            "the server serves your zone unsigned: point the zone's file at the signed zone (the file the signer wrote, such as `{}signed`) and reload it ({})",
            self.origin, self.cfg.reload
        )
    }

    /// Why the response `m` to probe `id` (a name in the zone) is not a
    /// usable answer, by its rcode.
    fn refusal(&self, id: &str, m: &Message) -> String {
        let o = self.origin;
        match m.rcode {
            rcode::REFUSED | rcode::NOTAUTH => format!(
                "the server answers {} to {}: it does not serve your zone `{o}`; add the zone to its configuration and reload it",
                m.rcode_name,
                self.r.describe(id)
            ),
            rcode::SERVFAIL => format!(
                "the server answers SERVFAIL to {}: it has your zone in its configuration but could not load it; read its log and check the signed file (`named-checkzone {o} FILE`, `dnssec-verify -o {o} FILE`)",
                self.r.describe(id)
            ),
            _ => format!(
                "the response to {} is not the answer expected: {}",
                self.r.describe(id),
                m.describe()
            ),
        }
    }

    /// Problems of the RRSIGs over `rtype` in `section` at the grading time
    /// (expired, not yet valid), and whether at least one is valid then.
    fn signature_times(&self, m: &Message, section: Section, rtype: &str) -> (bool, Vec<String>) {
        let now = self.s.grading_time;
        let mut any_valid = false;
        let mut problems = Vec::new();
        for sig in m.rrsigs(section, rtype) {
            let Some(r) = sig.rrsig() else {
                // Unreadable: judged present, not timed.
                any_valid = true;
                continue;
            };
            if r.expiration < now {
                problems.push(format!(
                    "the RRSIG over {} {rtype} the server serves expired on {}: it serves an old signed zone; sign again with a later expiration (`dnssec-signzone -e +30d`) and reload ({})",
                    sig.owner,
                    format_time(r.expiration),
                    self.cfg.reload
                ));
            } else if r.inception > now {
                problems.push(format!(
                    "the RRSIG over {} {rtype} the server serves is valid only from {}, after grading",
                    sig.owner,
                    format_time(r.inception)
                ));
            } else {
                any_valid = true;
            }
        }
        (any_valid, problems)
    }

    fn dnskey(&self) -> CheckResult {
        let zone_keys: Vec<(DnskeyRdata, u32)> = self
            .ix
            .apex_rrset("DNSKEY")
            .into_iter()
            .filter_map(|r| rdata::dnskey(r).map(|k| (k, r.line)))
            .collect();
        if zone_keys.is_empty() {
            return CheckResult::failed(
                "dnskey",
                format!(
                    "the zone you handed in has no DNSKEY records at its apex: hand in the signed zone file (such as `{}signed`), the one your server loads",
                    self.origin
                ),
            );
        }
        let m = match self.r.message("dnskey") {
            Err(why) => return CheckResult::failed("dnskey", why),
            Ok(m) if !m.is_noerror() => {
                return CheckResult::failed("dnskey", self.refusal("dnskey", m));
            }
            Ok(m) => m,
        };
        let served: Vec<DnskeyRdata> = m
            .rrset(Section::Answer, self.origin, "DNSKEY")
            .into_iter()
            .filter_map(Rr::dnskey)
            .collect();
        if served.is_empty() {
            return CheckResult::failed(
                "dnskey",
                format!(
                    "the server answers no DNSKEY records for `{}` ({}): {}",
                    self.origin,
                    m.describe(),
                    self.unsigned_advice()
                ),
            );
        }
        let mut fb = Feedback::new();
        for (key, line) in zone_keys.iter().take(LIST) {
            if !served.contains(key) {
                fb.push_line(
                    *line,
                    format!(
                        "{} is in your zone file, but the server does not serve it",
                        key.describe()
                    ),
                );
            }
        }
        for key in served.iter().take(LIST) {
            if !zone_keys.iter().any(|(k, _)| k == key) {
                fb.push_note(format!(
                    "the server serves {}, which is not in your zone file",
                    key.describe()
                ));
            }
        }
        let tags = |keys: &mut dyn Iterator<Item = &DnskeyRdata>| {
            keys.map(|k| k.key_tag().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if fb.is_empty() {
            return CheckResult::passed("dnskey").with_feedback(format!(
                "the server serves the keys of your zone file: {}",
                tags(&mut served.iter())
            ));
        }
        fb.push_note(format!(
            "the server serves keys {}, your zone file has {}: it serves another signed version of the zone; reload it ({}) and hand in the file it loads",
            tags(&mut served.iter()),
            tags(&mut zone_keys.iter().map(|(k, _)| k)),
            self.cfg.reload
        ));
        CheckResult::partial("dnskey", 1, 2, fb)
    }

    fn rrsig(&self) -> CheckResult {
        let www = self.r.qname("www");
        let parts = [
            ("dnskey", "DNSKEY", self.origin.to_string()),
            ("soa", "SOA", self.origin.to_string()),
            ("www", "A", www),
        ];
        let mut fb = Feedback::new();
        let mut got = 0;
        let mut unsigned = false;
        for (id, rtype, name) in &parts {
            let label = short(name, self.origin);
            let m = match self.r.message(id) {
                Err(why) => {
                    fb.push_note(why);
                    continue;
                }
                Ok(m) if !m.is_noerror() => {
                    fb.push_note(self.refusal(id, m));
                    continue;
                }
                Ok(m) => m,
            };
            if m.answers(rtype).is_empty() {
                unsigned |= *rtype == "DNSKEY";
                fb.push_note(format!(
                    "the server answered {} without {rtype} records ({})",
                    self.r.describe(id),
                    m.describe()
                ));
                continue;
            }
            if !m.has_edns() {
                fb.push_note(format!(
                    "the server answered {} without an OPT record: without EDNS it cannot send DNSSEC records",
                    self.r.describe(id)
                ));
                continue;
            }
            if !m.has_rrsig(Section::Answer, rtype) {
                unsigned = true;
                fb.push_note(format!(
                    "the answer for {label} {rtype} has no RRSIG, though the query had the DO bit"
                ));
                continue;
            }
            let (valid, problems) = self.signature_times(m, Section::Answer, rtype);
            for p in problems {
                fb.push_note(p);
            }
            if valid {
                got += 1;
            }
        }
        if unsigned {
            fb.push_note(self.unsigned_advice());
        }
        if got == 3 && fb.is_empty() {
            return CheckResult::passed("rrsig").with_feedback(
                "the DNSKEY, SOA and www A answers come with RRSIGs valid at grading time",
            );
        }
        CheckResult::scored("rrsig", got, 3, fb)
    }

    /// Judges the proof in the authority section of a negative answer:
    /// NSEC or NSEC3 records (1 of 2), signed, with a signed SOA (2 of 2).
    fn proof(&self, id: &str, m: &Message, what: &str) -> (u32, Feedback) {
        let mut fb = Feedback::new();
        let records = m.denial_records();
        if records.is_empty() {
            fb.push_note(format!(
                "the {what} has no NSEC or NSEC3 records in the authority section, though the query had the DO bit: a validating resolver cannot trust it ({})",
                m.describe()
            ));
            fb.push_note(self.unsigned_advice());
            return (0, fb);
        }
        let kind = m.denial().unwrap_or("NSEC");
        let mut got = 1;
        let mut signed = true;
        if !m.has_signed_denial() {
            signed = false;
            fb.push_note(format!(
                "the {kind} records of the {what} come without all their RRSIGs ({})",
                self.r.describe(id)
            ));
        }
        if m.authority_soa().is_some() && !m.has_rrsig(Section::Authority, "SOA") {
            signed = false;
            fb.push_note(format!(
                "the SOA in the authority section of the {what} comes without its RRSIG"
            ));
        }
        let (valid, problems) = self.signature_times(m, Section::Authority, kind);
        for p in problems {
            fb.push_note(p);
        }
        if signed && valid {
            got += 1;
        }
        (got, fb)
    }

    fn denial(&self) -> CheckResult {
        let name = self.r.qname("nxdomain");
        let m = match self.r.message("nxdomain") {
            Err(why) => return CheckResult::failed("denial", why),
            Ok(m) => m,
        };
        if !m.is_nxdomain() {
            let why = if m.is_noerror() {
                format!(
                    "the server answers NOERROR for {name}, which does not exist: it must answer NXDOMAIN ({})",
                    m.describe()
                )
            } else {
                self.refusal("nxdomain", m)
            };
            return CheckResult::failed("denial", why);
        }
        let (got, fb) = self.proof("nxdomain", m, "NXDOMAIN");
        if got == 2 && fb.is_empty() {
            return CheckResult::passed("denial")
                .with_feedback(format!("{name}: NXDOMAIN with {}", signed_records(m)));
        }
        CheckResult::scored("denial", got, 2, fb)
    }

    fn nodata(&self) -> CheckResult {
        let name = self.r.qname("nodata");
        let rtype = self
            .r
            .get("nodata")
            .map_or_else(|| "TXT".to_string(), |r| r.query.rtype.clone());
        if let Some(r) = self.ix.first(&name, &rtype) {
            return CheckResult::failed(
                "nodata",
                Feedback::new().line(
                    r.line,
                    format!(
                        "your zone has a {rtype} record at {}, the name and type this lab asks for as one that does not exist: remove it, sign again and reload",
                        short(&name, self.origin)
                    ),
                ),
            );
        }
        let m = match self.r.message("nodata") {
            Err(why) => return CheckResult::failed("nodata", why),
            Ok(m) => m,
        };
        if m.is_nxdomain() {
            return CheckResult::failed(
                "nodata",
                format!(
                    "the server says {name} does not exist (NXDOMAIN): it exists, with other types, in your zone; does the server serve the zone you handed in?"
                ),
            );
        }
        if !m.is_noerror() {
            return CheckResult::failed("nodata", self.refusal("nodata", m));
        }
        if !m.answers(&rtype).is_empty() {
            return CheckResult::failed(
                "nodata",
                format!(
                    "the server answers {rtype} records for {name}, which your zone file does not have: reload it ({}) and hand in the file it loads",
                    self.cfg.reload
                ),
            );
        }
        let (got, fb) = self.proof("nodata", m, "NODATA answer");
        if got == 2 && fb.is_empty() {
            return CheckResult::passed("nodata").with_feedback(format!(
                "{name} {rtype}: NOERROR, no answer, {}",
                signed_records(m)
            ));
        }
        CheckResult::scored("nodata", got, 2, fb)
    }

    fn tcp(&self) -> CheckResult {
        let udp_truncated = self.r.message("dnskey").is_ok_and(|m| m.is_truncated());
        let why_tcp = if udp_truncated {
            "over UDP the DNSKEY answer was truncated (TC), so resolvers need TCP to get it"
        } else {
            "DNSSEC answers are large: when one does not fit a UDP packet, resolvers ask again over TCP (RFC 7766)"
        };
        let m = match self.r.message("dnskey-tcp") {
            Err(why) => return CheckResult::failed("tcp", format!("{why}. {why_tcp}")),
            Ok(m) if m.is_truncated() => {
                return CheckResult::failed(
                    "tcp",
                    format!(
                        "the response over TCP is truncated (TC set), which TCP never needs: {}",
                        m.describe()
                    ),
                );
            }
            Ok(m) if !m.is_noerror() => {
                return CheckResult::failed("tcp", self.refusal("dnskey-tcp", m));
            }
            Ok(m) => m,
        };
        if m.answers("DNSKEY").is_empty() {
            return CheckResult::failed(
                "tcp",
                format!(
                    "the server answered {} without DNSKEY records ({}): {}",
                    self.r.describe("dnskey-tcp"),
                    m.describe(),
                    self.unsigned_advice()
                ),
            );
        }
        if !m.has_rrsig(Section::Answer, "DNSKEY") {
            return CheckResult::partial(
                "tcp",
                1,
                2,
                format!(
                    "the DNSKEY set over TCP comes without its RRSIG, though the query had the DO bit ({})",
                    m.describe()
                ),
            );
        }
        let note = if udp_truncated {
            " (over UDP it was truncated: TCP is how resolvers get it)"
        } else {
            ""
        };
        CheckResult::passed("tcp").with_feedback(format!(
            "the signed DNSKEY set is served over TCP, {} bytes{note}",
            m.size
        ))
    }

    fn zone_valid(&self) -> CheckResult {
        let r = &self.s.zone.dnssec;
        if !r.signed {
            return CheckResult::failed(
                "zone-valid",
                format!(
                    "the zone you handed in is not signed (no DNSKEY at its apex): hand in the signed zone file (such as `{}signed`)",
                    self.origin
                ),
            );
        }
        if r.valid {
            return CheckResult::passed("zone-valid").with_feedback(format!(
                "your signed zone validates at grading time: {} secure RRsets, denial {}",
                r.rrsets_with(Security::Secure).len(),
                r.denial
            ));
        }
        let mut fb = Feedback::new();
        for d in r.errors() {
            fb.push_line(d.line, format!("{} [{}]", d.message, d.code));
        }
        fb.push_note(
            "the zone you handed in does not validate at grading time: sign it again after every change, with signatures valid long enough, and reload the server; check with `dnssec-verify` or `ldns-verify-zone`",
        );
        CheckResult::failed("zone-valid", fb)
    }
}

/// `2 signed NSEC3 records`, `1 signed NSEC record`.
fn signed_records(m: &Message) -> String {
    let n = m.denial_records().len();
    let kind = m.denial().unwrap_or("NSEC");
    format!("{n} signed {kind} record{}", if n == 1 { "" } else { "s" })
}

struct SignedServer;

impl Checker for SignedServer {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let cfg = Cfg::read(&s.params)?;
        let r = Responses::new(&s);
        r.require(PROBES)?;
        let ctx = Ctx {
            s: &s,
            r,
            ix: ZoneIndex::new(&s.zone),
            origin: &s.zone.origin,
            cfg,
        };
        if let Some(why) = r.silence() {
            let mut out: Vec<CheckResult> = SERVER_CHECKS
                .iter()
                .map(|id| CheckResult::failed(*id, why.as_str()))
                .collect();
            out.push(ctx.zone_valid());
            return Ok(out);
        }
        Ok(vec![
            ctx.dnskey(),
            ctx.rrsig(),
            ctx.denial(),
            ctx.nodata(),
            ctx.tcp(),
            ctx.zone_valid(),
        ])
    }
}

grader_checker_sdk::export_checker!(SignedServer);

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing::{self, MessageBuilder};

    const O: &str = "grp7.lab.example.";
    const WWW: &str = "www.grp7.lab.example.";
    const NX: &str = "nonexistent-7f3a.grp7.lab.example.";
    /// 2026-12-01T10:00:00Z.
    const AT: i64 = 1_796_119_200;
    const KSK: &str = "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==";
    const ZSK: &str = "256 3 13 oJMRESz5E4gYzS/q6XDrvU1qMPYIjCWzJaOau8XNEZeqCYKD5ar0IRd8KqXXFJkqmVfRvMGPmM1x8fGAa2XhSA==";
    const OTHER: &str = "256 3 13 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";

    /// An RRSIG over `rtype` valid from 30 days before to 30 days after
    /// grading.
    fn sig(rtype: &str) -> String {
        format!(
            "{rtype} 13 3 3600 {} {} 12345 {O} c2lnbmF0dXJl",
            AT + 30 * DAY,
            AT - 30 * DAY
        )
    }

    fn records() -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            (
                O,
                "SOA",
                "ns1.grp7.lab.example. h.grp7.lab.example. 1 7200 3600 1209600 3600",
            ),
            (O, "NS", "ns1.grp7.lab.example."),
            (O, "DNSKEY", KSK),
            (O, "DNSKEY", ZSK),
            (O, "NSEC3PARAM", "1 0 0 -"),
            ("ns1.grp7.lab.example.", "A", "192.0.2.53"),
            (WWW, "A", "192.0.2.80"),
        ]
    }

    fn queries() -> Vec<Query> {
        let q = |id: &str, name: &str, rtype: &str| {
            let mut q = testing::query(id, name, rtype);
            q.dnssec_ok = true;
            q
        };
        let mut tcp = q("dnskey-tcp", O, "DNSKEY");
        tcp.transport = Transport::Tcp;
        vec![
            q("dnskey", O, "DNSKEY"),
            q("soa", O, "SOA"),
            q("www", WWW, "A"),
            q("nxdomain", NX, "A"),
            q("nodata", WWW, "TXT"),
            tcp,
        ]
    }

    /// What a server with the signed zone answers (NSEC3).
    fn reply(q: &Query) -> MessageBuilder {
        let soa = records()[0].2;
        let nsec3 = "1 0 0 - 0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM A RRSIG";
        let h1 = "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.grp7.lab.example.";
        let h2 = "7f3a0000000000000000000000000000.grp7.lab.example.";
        let b = MessageBuilder::reply_to(q).aa(true);
        let negative = |b: MessageBuilder| {
            b.authority(O, "SOA", soa)
                .authority(O, "RRSIG", &sig("SOA"))
                .authority(h1, "NSEC3", nsec3)
                .authority(h1, "RRSIG", &sig("NSEC3"))
                .authority(h2, "NSEC3", nsec3)
                .authority(h2, "RRSIG", &sig("NSEC3"))
        };
        match q.id.as_str() {
            "dnskey" | "dnskey-tcp" => b.answer(O, "DNSKEY", KSK).answer(O, "DNSKEY", ZSK).answer(
                O,
                "RRSIG",
                &sig("DNSKEY"),
            ),
            "soa" => b.answer(O, "SOA", soa).answer(O, "RRSIG", &sig("SOA")),
            "www" => b
                .answer(WWW, "A", "192.0.2.80")
                .answer(WWW, "RRSIG", &sig("A")),
            "nxdomain" => negative(b.rcode("NXDOMAIN")),
            "nodata" => negative(b),
            other => panic!("no reply for {other}"),
        }
    }

    fn good() -> Submission {
        let zone = testing::signed_zone(
            O,
            &records(),
            &[(1111, 13, 257), (2222, 13, 256)],
            AT + 30 * DAY,
        );
        let responses = queries()
            .into_iter()
            .map(|q| {
                let m = reply(&q).build();
                testing::answered(q, m)
            })
            .collect();
        let mut s = testing::probed_submission(zone, responses);
        s.grading_time = AT;
        s
    }

    fn with(mut s: Submission, id: &str, f: impl FnOnce(&Query) -> Response) -> Submission {
        let i = s.responses.iter().position(|r| r.query.id == id).unwrap();
        s.responses[i] = f(&s.responses[i].query.clone());
        s
    }

    fn with_message(
        s: Submission,
        id: &str,
        f: impl FnOnce(&Query) -> MessageBuilder,
    ) -> Submission {
        with(s, id, |q| testing::answered(q.clone(), f(q).build()))
    }

    /// Every response with the RRSIG, NSEC and NSEC3 records taken out, as
    /// from a server that loads the unsigned zone (which has no DNSKEY).
    fn unsigned_server(s: Submission) -> Submission {
        let mut s = s;
        for r in &mut s.responses {
            if let Outcome::Answered(m) = &mut r.outcome {
                let keep =
                    |rr: &Rr| !["RRSIG", "NSEC", "NSEC3", "DNSKEY"].contains(&rr.rtype.as_str());
                m.answer.retain(keep);
                m.authority.retain(keep);
            }
        }
        s
    }

    fn run(s: Submission) -> Vec<CheckResult> {
        let out = SignedServer::check(s).unwrap();
        testing::assert_well_formed(&out, &IDS);
        out
    }

    fn result(s: Submission, id: &str) -> (Status, String) {
        let r = run(s).into_iter().find(|r| r.id == id).unwrap();
        (r.status, r.feedback)
    }

    #[test]
    fn a_good_server_passes_everything() {
        for r in run(good()) {
            assert_eq!(r.status, Status::Passed, "{r:?}");
        }
        let (_, fb) = result(good(), "denial");
        assert_eq!(
            fb,
            "nonexistent-7f3a.grp7.lab.example.: NXDOMAIN with 2 signed NSEC3 records"
        );
    }

    #[test]
    fn the_unsigned_zone_is_served() {
        let out = run(unsigned_server(good()));
        let st: Vec<Status> = out.iter().map(|r| r.status).collect();
        assert_eq!(
            st,
            [
                Status::Failed,
                Status::Failed,
                Status::Failed,
                Status::Failed,
                Status::Failed,
                Status::Passed
            ]
        );
        assert!(
            out[0].feedback.contains("serves your zone unsigned"),
            "{}",
            out[0].feedback
        );
        assert!(
            out[1]
                .feedback
                .contains("has no RRSIG, though the query had the DO bit"),
            "{}",
            out[1].feedback
        );
        assert!(
            out[2].feedback.contains("no NSEC or NSEC3 records"),
            "{}",
            out[2].feedback
        );
    }

    #[test]
    fn other_keys_are_served() {
        let s = with_message(good(), "dnskey", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .answer(O, "DNSKEY", KSK)
                .answer(O, "DNSKEY", OTHER)
                .answer(O, "RRSIG", &sig("DNSKEY"))
        });
        let (st, fb) = result(s, "dnskey");
        assert!(matches!(st, Status::Partial(_)), "{fb}");
        let zsk_tag = testing::rr(O, "DNSKEY", ZSK).dnskey().unwrap().key_tag();
        assert!(
            fb.contains(&format!("line 4: key {zsk_tag} (flags 256, algorithm 13) is in your zone file, but the server does not serve it")),
            "{fb}"
        );
        assert!(fb.contains("which is not in your zone file"), "{fb}");
        // Keys written in several words are the same keys.
        let mut s = good();
        let split = format!("{} {}", &ZSK[..20], &ZSK[20..]);
        for r in &mut s.zone.records {
            if r.rdata == ZSK {
                r.rdata = split.clone();
            }
        }
        assert_eq!(result(s, "dnskey").0, Status::Passed);
    }

    #[test]
    fn an_unsigned_zone_file() {
        let mut s = good();
        s.zone = testing::zone(O, &records()[..2]);
        let out = run(s);
        assert!(
            out[0]
                .feedback
                .starts_with("the zone you handed in has no DNSKEY"),
            "{}",
            out[0].feedback
        );
        assert_eq!(out[5].status, Status::Failed);
        assert!(out[5].feedback.contains("is not signed"));
    }

    #[test]
    fn expired_signatures_are_served() {
        let old = |rtype: &str| {
            format!(
                "{rtype} 13 3 3600 {} {} 12345 {O} c2ln",
                AT - DAY,
                AT - 31 * DAY
            )
        };
        let s = with_message(good(), "soa", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .answer(O, "SOA", records()[0].2)
                .answer(O, "RRSIG", &old("SOA"))
        });
        let (st, fb) = result(s, "rrsig");
        assert_eq!(
            st,
            Status::Partial(Fraction {
                numerator: 2,
                denominator: 3
            })
        );
        assert!(fb.contains("expired on 2026-11-30 10:00:00 UTC"), "{fb}");
        let future = with_message(good(), "www", |q| {
            let later = format!("A 13 3 3600 {} {} 12345 {O} c2ln", AT + 60 * DAY, AT + DAY);
            MessageBuilder::reply_to(q)
                .aa(true)
                .answer(WWW, "A", "192.0.2.80")
                .answer(WWW, "RRSIG", &later)
        });
        assert!(
            result(future, "rrsig")
                .1
                .contains("valid only from 2026-12-02")
        );
    }

    #[test]
    fn rrsig_without_edns_or_records() {
        let s = with_message(good(), "soa", |q| {
            MessageBuilder::reply_to(q)
                .no_edns()
                .aa(true)
                .answer(O, "SOA", records()[0].2)
        });
        assert!(result(s, "rrsig").1.contains("without an OPT record"));
        let s = with_message(good(), "www", |q| MessageBuilder::reply_to(q).aa(true));
        assert!(result(s, "rrsig").1.contains("without A records"));
        let s = with_message(good(), "www", |q| {
            MessageBuilder::reply_to(q).rcode("REFUSED")
        });
        assert!(result(s, "rrsig").1.contains("does not serve your zone"));
    }

    #[test]
    fn unsigned_proofs() {
        let s = with_message(good(), "nxdomain", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .rcode("NXDOMAIN")
                .authority(O, "SOA", records()[0].2)
                .authority(O, "NSEC", "ns1.grp7.lab.example. NS SOA RRSIG NSEC DNSKEY")
        });
        let (st, fb) = result(s, "denial");
        assert!(matches!(st, Status::Partial(_)), "{fb}");
        assert!(
            fb.contains("the NSEC records of the NXDOMAIN come without all their RRSIGs"),
            "{fb}"
        );
        assert!(
            fb.contains("the SOA in the authority section of the NXDOMAIN comes without its RRSIG"),
            "{fb}"
        );
        let s = with_message(good(), "nxdomain", |q| reply(q).rcode("NOERROR"));
        assert_eq!(result(s, "denial").0, Status::Failed);
        let s = with_message(good(), "nxdomain", |q| reply(q).rcode("SERVFAIL"));
        assert!(result(s, "denial").1.contains("could not load it"));
    }

    #[test]
    fn nodata_faults() {
        let nx = with_message(good(), "nodata", |q| reply(q).rcode("NXDOMAIN"));
        assert!(result(nx, "nodata").1.contains("does not exist (NXDOMAIN)"));
        let txt = with_message(good(), "nodata", |q| reply(q).answer(WWW, "TXT", "\"x\""));
        assert!(
            result(txt, "nodata")
                .1
                .contains("which your zone file does not have")
        );
        let mut has = good();
        has.zone
            .records
            .push(testing::record(8, WWW, "TXT", "\"hello\""));
        let (st, fb) = result(has, "nodata");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.starts_with("line 8: your zone has a TXT record at www"),
            "{fb}"
        );
        let unsigned = with_message(good(), "nodata", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .authority(O, "SOA", records()[0].2)
        });
        assert_eq!(result(unsigned, "nodata").0, Status::Failed);
        let refused = with_message(good(), "nodata", |q| {
            MessageBuilder::reply_to(q).rcode("REFUSED")
        });
        assert_eq!(result(refused, "nodata").0, Status::Failed);
    }

    #[test]
    fn tcp_faults() {
        let s = with(good(), "dnskey-tcp", |q| {
            testing::unanswered(q.clone(), Outcome::Timeout)
        });
        let (st, fb) = result(s, "tcp");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.contains("+dnssec +tcp") && fb.contains("RFC 7766"),
            "{fb}"
        );
        let s = with(good(), "dnskey-tcp", |q| {
            testing::unanswered(q.clone(), Outcome::Timeout)
        });
        let s = with_message(s, "dnskey", |q| {
            MessageBuilder::reply_to(q).aa(true).tc(true)
        });
        assert!(
            result(s, "tcp")
                .1
                .contains("over UDP the DNSKEY answer was truncated")
        );
        let s = with_message(good(), "dnskey", |q| {
            MessageBuilder::reply_to(q).aa(true).tc(true)
        });
        let (st, fb) = result(s, "tcp");
        assert_eq!(st, Status::Passed);
        assert!(fb.contains("over UDP it was truncated"), "{fb}");
        let s = with_message(good(), "dnskey-tcp", |q| reply(q).tc(true));
        assert_eq!(result(s, "tcp").0, Status::Failed);
        let s = with_message(good(), "dnskey-tcp", |q| {
            MessageBuilder::reply_to(q)
                .aa(true)
                .answer(O, "DNSKEY", KSK)
        });
        assert!(matches!(result(s, "tcp").0, Status::Partial(_)));
        let s = with_message(good(), "dnskey-tcp", |q| {
            MessageBuilder::reply_to(q).aa(true)
        });
        assert_eq!(result(s, "tcp").0, Status::Failed);
        let s = with_message(good(), "dnskey-tcp", |q| {
            MessageBuilder::reply_to(q).rcode("SERVFAIL")
        });
        assert_eq!(result(s, "tcp").0, Status::Failed);
    }

    #[test]
    fn a_bogus_zone_file() {
        let mut s = good();
        s.zone.dnssec = testing::ReportBuilder::new()
            .key(3, 1111, 13, 257)
            .key(4, 2222, 13, 256)
            .secure(3, O, "DNSKEY", &[1111], AT + 30 * DAY)
            .bogus(7, WWW, "A", "rrsig-expired")
            .build();
        let (st, fb) = result(s, "zone-valid");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.starts_with("line 7: www.grp7.lab.example. A: rrsig-expired [rrsig-expired]"),
            "{fb}"
        );
    }

    #[test]
    fn nothing_answers() {
        let responses = queries()
            .into_iter()
            .map(|q| testing::unanswered(q, Outcome::Timeout))
            .collect();
        let mut s = good();
        s.responses = responses;
        let out = run(s);
        for r in &out[..5] {
            assert_eq!(r.status, Status::Failed);
            assert!(
                r.feedback
                    .starts_with("nothing answered at 127.0.0.12 port 5301 (6 queries timed out)"),
                "{}",
                r.feedback
            );
        }
        assert_eq!(out[5].status, Status::Passed);
    }

    #[test]
    fn params_and_probes() {
        assert!(Cfg::read("{}").is_ok());
        assert!(Cfg::read(r#"{"reload_commands": []}"#).is_err());
        let mut s = good();
        s.responses.remove(0);
        assert!(SignedServer::check(s).unwrap_err().contains("`dnskey`"));
    }

    #[test]
    fn odd_responses_are_judged() {
        testing::judge_odd_responses(SignedServer::check, &good(), &IDS);
        let mut at_extremes = good();
        for t in [i64::MIN, i64::MAX] {
            at_extremes.grading_time = t;
            testing::judge_odd_responses(SignedServer::check, &at_extremes, &IDS);
        }
    }

    #[test]
    fn odd_zones_are_judged() {
        testing::judge_odd_zones(
            |mut s| {
                s.responses = good().responses;
                s.target = good().target;
                SignedServer::check(s)
            },
            "{}",
            &IDS,
        );
    }
}
