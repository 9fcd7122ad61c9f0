//! Checker for the signing lab: the learner signs `<id>.lab.example.` with a
//! KSK and a ZSK, or a CSK, of an algorithm the lab allows, with NSEC or
//! NSEC3 as the lab asks, signatures that stay valid long enough, and hands
//! in the DS of the KSK.
//!
//! The cryptography is the grader's: it validates the zone at the grading
//! time and hands the verdicts over in `zone.dnssec` (interface 1.1.0). This
//! checker turns them into the rubric's checks and explains each lost point
//! with the key tags, lines and stable codes of the grader's report.
//!
//! Params (see exercise.toml):
//! - `algorithms`: the DNSSEC algorithms the keys may use (default 13, 15);
//! - `denial`: `nsec`, `nsec3` or `any` (default `nsec3`);
//! - `max_nsec3_iterations`: with NSEC3, the most extra iterations (RFC 9276:
//!   0, the default); a salt is then a fault too;
//! - `min_validity_days`: how long after grading every signature must still
//!   be valid (default 14).

use grader_checker_sdk::params::Params as RawParams;
use grader_checker_sdk::prelude::*;

/// The DNSSEC diagnostics about the NSEC or NSEC3 chain.
const DENIAL_CODES: &[&str] = &[
    "denial-missing",
    "nsec-missing",
    "nsec-chain-broken",
    "nsec-bitmap",
    "nsec-unexpected",
    "nsec3param-missing",
    "nsec3-params-mismatch",
    "nsec3-missing",
    "nsec3-chain-broken",
    "nsec3-bitmap",
    "nsec3-unexpected",
];

/// Bogus RRsets listed one by one (per fault) before the rest are counted.
const LIST: usize = 3;

/// The name of a DNSSEC algorithm number (RFC 8624).
fn algorithm_name(a: u8) -> &'static str {
    match a {
        1 => "RSAMD5",
        3 => "DSA",
        5 => "RSASHA1",
        6 => "DSA-NSEC3-SHA1",
        7 => "RSASHA1-NSEC3-SHA1",
        8 => "RSASHA256",
        10 => "RSASHA512",
        12 => "ECC-GOST",
        13 => "ECDSAP256SHA256",
        14 => "ECDSAP384SHA384",
        15 => "ED25519",
        16 => "ED448",
        _ => "unknown",
    }
}

fn algorithm(a: u8) -> String {
    format!("{a} ({})", algorithm_name(a))
}

/// `13 (ECDSAP256SHA256) or 15 (ED25519)`.
fn algorithm_list(list: &[u8]) -> String {
    let names: Vec<String> = list.iter().map(|a| algorithm(*a)).collect();
    match names.as_slice() {
        [] => "none".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wanted {
    Nsec,
    Nsec3,
    Any,
}

struct Params {
    algorithms: Vec<u8>,
    denial: Wanted,
    max_iterations: u16,
    min_days: i64,
}

impl Params {
    fn read(text: &str) -> Result<Params, String> {
        let p = RawParams::parse(text)?;
        let algorithms = p
            .get_or("algorithms", vec![13u64, 15])?
            .into_iter()
            .map(|a| u8::try_from(a).map_err(|_| p.error("algorithms", "algorithms are 0 to 255")))
            .collect::<Result<Vec<u8>, String>>()?;
        if algorithms.is_empty() {
            return Err(p.error("algorithms", "name at least one algorithm"));
        }
        let denial = match p.get_or("denial", "nsec3".to_string())?.as_str() {
            "nsec" => Wanted::Nsec,
            "nsec3" => Wanted::Nsec3,
            "any" => Wanted::Any,
            other => {
                return Err(p.error(
                    "denial",
                    format!("`{other}`: expected \"nsec\", \"nsec3\" or \"any\""),
                ));
            }
        };
        let max_iterations = p.get_or("max_nsec3_iterations", 0u32)?;
        let max_iterations = u16::try_from(max_iterations)
            .map_err(|_| p.error("max_nsec3_iterations", "at most 65535"))?;
        let min_days = p.get_or("min_validity_days", 14u32)?;
        Ok(Params {
            algorithms,
            denial,
            max_iterations,
            min_days: i64::from(min_days),
        })
    }
}

/// What to do about a bogus RRset, by the code of its fault.
fn advice(code: &str) -> &'static str {
    match code {
        "rrsig-missing" => {
            "it has no valid signature: was it added or changed after signing? Sign the zone again after every change"
        }
        "rrsig-bad-signature" => {
            "its signature does not verify: the records were changed after signing, or another key signed them; sign the zone again"
        }
        "rrsig-expired" => {
            "its signature had expired at grading time: sign the zone again, and again before the new signatures expire"
        }
        "rrsig-not-yet-valid" => {
            "its signature is not valid yet at grading time: its inception (dnssec-signzone -s) lies in the future"
        }
        "rrsig-no-key" => {
            "its signature names a key that is not in your DNSKEY set: publish the keys you sign with"
        }
        "rrsig-signer-mismatch" => {
            "its signature names another signer than your zone's apex: sign with the zone's own origin"
        }
        "rrsig-original-ttl" => {
            "its signature was made for another TTL: the TTL was changed after signing; sign the zone again"
        }
        "rrsig-labels" => "its signature's labels field does not fit the owner name",
        _ => "it does not validate",
    }
}

/// The line of the record with the fault that makes `b` bogus (an RRSIG
/// record), else the RRset's.
fn fault_line(b: &RrsetStatus) -> u32 {
    match &b.reason {
        Some(d) if d.line > 0 => d.line,
        _ => b.line,
    }
}

/// Bogus RRsets grouped by the code of their fault, in order of first
/// appearance (an empty code when the grader gave no reason).
fn by_reason<'a>(bogus: &[&'a RrsetStatus]) -> Vec<(&'a str, Vec<&'a RrsetStatus>)> {
    let mut groups: Vec<(&str, Vec<&RrsetStatus>)> = Vec::new();
    for b in bogus {
        let code = b.reason_code().unwrap_or("");
        match groups.iter_mut().find(|(c, _)| *c == code) {
            Some((_, list)) => list.push(b),
            None => groups.push((code, vec![b])),
        }
    }
    groups
}

struct Ctx<'a> {
    s: &'a Submission,
    p: Params,
    r: &'a DnssecReport,
}

impl Ctx<'_> {
    fn origin(&self) -> &str {
        &self.s.zone.origin
    }

    fn not_signed(&self) -> String {
        format!(
            "your zone `{}` has no DNSKEY records at its apex, so it is not signed",
            self.origin()
        )
    }

    fn skip_unsigned(&self, id: &str) -> CheckResult {
        CheckResult::skipped(id, format!("not judged: {}", self.not_signed()))
    }

    /// The keys that count: not revoked.
    fn active(&self) -> Vec<&Dnskey> {
        self.r.keys.iter().filter(|k| !k.revoked).collect()
    }

    fn keys(&self) -> CheckResult {
        if !self.r.signed {
            return CheckResult::failed(
                "keys",
                format!(
                    "{}: make a KSK and a ZSK (`dnssec-keygen -a 13 -f KSK {o}` and `dnssec-keygen -a 13 {o}`), or one CSK, add their DNSKEY records and sign the zone",
                    self.not_signed(),
                    o = self.origin()
                ),
            );
        }
        let active = self.active();
        let sep: Vec<&Dnskey> = active.iter().copied().filter(|k| k.sep).collect();
        let zsk: Vec<&Dnskey> = active.iter().copied().filter(|k| !k.sep).collect();
        let mut fb = Feedback::new();
        let mut structure = true;
        if active.is_empty() {
            structure = false;
            fb.push_note(
                "every DNSKEY of your zone is revoked (flag 128): no key is left to sign with",
            );
        } else if sep.is_empty() {
            structure = false;
            for k in &zsk {
                fb.push_line(
                    k.line,
                    format!(
                        "key {} has flags {}, without the SEP flag: it is a ZSK",
                        k.key_tag, k.key_flags
                    ),
                );
            }
            fb.push_note(
                "no key has the SEP flag (flags 257): the KSK, whose DS goes to the parent, is missing; make it with `dnssec-keygen -f KSK` (ldns-keygen -k), or make your single key a CSK with flags 257",
            );
        }
        let mut algorithms_ok = true;
        for k in &active {
            if !self.p.algorithms.contains(&k.algorithm) {
                algorithms_ok = false;
                fb.push_line(
                    k.line,
                    format!(
                        "key {} ({}) uses algorithm {}; this lab asks for {}: make the keys with `dnssec-keygen -a {}`",
                        k.key_tag,
                        k.role(),
                        algorithm(k.algorithm),
                        algorithm_list(&self.p.algorithms),
                        self.p.algorithms[0]
                    ),
                );
            }
        }
        let summary = |keys: &[&Dnskey]| {
            keys.iter()
                .map(|k| {
                    format!(
                        "{} {} (algorithm {}, line {})",
                        k.role(),
                        k.key_tag,
                        k.algorithm,
                        k.line
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (structure, algorithms_ok) {
            (true, true) => CheckResult::passed("keys")
                .with_feedback(format!("your keys: {}", summary(&active))),
            (true, false) => CheckResult::partial("keys", 1, 2, fb),
            _ => CheckResult::failed("keys", fb),
        }
    }

    fn signatures(&self) -> CheckResult {
        if !self.r.signed {
            return self.skip_unsigned("signatures");
        }
        let secure = self.r.rrsets_with(Security::Secure).len();
        let bogus = self.r.bogus();
        if bogus.is_empty() && secure > 0 {
            return CheckResult::passed("signatures").with_feedback(format!(
                "all {secure} signed RRsets validate at grading time"
            ));
        }
        let mut fb = Feedback::new();
        for (code, group) in by_reason(&bogus) {
            let code_note = if code.is_empty() {
                String::new()
            } else {
                format!(" [{code}]")
            };
            for (i, b) in group.iter().enumerate().take(LIST) {
                let detail = match &b.reason {
                    Some(d) if i == 0 && !d.message.is_empty() => format!(": {}", d.message),
                    _ => String::new(),
                };
                fb.push_line(
                    fault_line(b),
                    format!("{} is bogus{detail}{code_note}", b.describe()),
                );
            }
            if group.len() > LIST {
                fb.push_note(format!(
                    "… and {} more RRsets bogus for the same reason{code_note}",
                    group.len() - LIST
                ));
            }
            fb.push_note(format!("{}{code_note}", advice(code)));
        }
        if secure == 0 {
            fb.push_note(
                "no RRset of your zone validates: a resolver would answer SERVFAIL for every name",
            );
            CheckResult::failed("signatures", fb)
        } else {
            fb.push_note(format!(
                "{} of {} signed RRsets are bogus: a validating resolver answers SERVFAIL for them",
                bogus.len(),
                bogus.len() + secure
            ));
            CheckResult::partial("signatures", 1, 2, fb)
        }
    }

    fn denial(&self) -> CheckResult {
        if !self.r.signed {
            return self.skip_unsigned("denial");
        }
        let mut fb = Feedback::new();
        let first_line = |rtype: &str| {
            self.s
                .zone
                .records
                .iter()
                .find(|r| r.rtype.eq_ignore_ascii_case(rtype))
                .map_or(0, |r| r.line)
        };
        let mut kind_ok = true;
        match (&self.r.denial, self.p.denial) {
            (Denial::None, _) => {
                kind_ok = false;
                fb.push_note("your zone has no NSEC or NSEC3 chain, so it cannot prove that a name or type does not exist: sign it with a signer that adds one (dnssec-signzone does)");
            }
            (Denial::Nsec, Wanted::Nsec3) => {
                kind_ok = false;
                fb.push_line(
                    first_line("NSEC"),
                    "your zone proves non-existence with NSEC; this lab asks for NSEC3: sign with `dnssec-signzone -3 - -H 0` (ldns-signzone -n -t 0)",
                );
            }
            (Denial::Nsec3(_), Wanted::Nsec) => {
                kind_ok = false;
                fb.push_line(
                    first_line("NSEC3PARAM"),
                    "your zone proves non-existence with NSEC3; this lab asks for NSEC: sign without -3",
                );
            }
            _ => {}
        }
        let mut chain_ok = true;
        for d in self
            .r
            .diagnostics
            .iter()
            .filter(|d| DENIAL_CODES.contains(&d.code.as_str()))
            .take(LIST)
        {
            chain_ok = false;
            fb.push_line(d.line, format!("{} [{}]", d.message, d.code));
        }
        let mut params_ok = true;
        if let Denial::Nsec3(n) = &self.r.denial
            && self.p.denial != Wanted::Nsec
        {
            let line = first_line("NSEC3PARAM");
            if n.iterations > self.p.max_iterations {
                params_ok = false;
                fb.push_line(
                    line,
                    format!(
                        "NSEC3 with {} extra iterations: RFC 9276 asks for {} (`-H {}`), as more only costs resolvers work and some treat the zone as insecure",
                        n.iterations, self.p.max_iterations, self.p.max_iterations
                    ),
                );
            }
            if !(n.salt.is_empty() || n.salt == "-") {
                params_ok = false;
                fb.push_line(
                    line,
                    format!(
                        "NSEC3 with the salt {}: RFC 9276 asks for none (`-3 -`), as a salt protects nothing",
                        n.salt
                    ),
                );
            }
        }
        if !chain_ok {
            fb.push_note("the chain must cover every name of the zone: records added or removed after signing break it; sign the zone again");
        }
        match (kind_ok && chain_ok, params_ok) {
            (true, true) => CheckResult::passed("denial")
                .with_feedback(format!("{}, with a complete chain", self.r.denial)),
            (true, false) => CheckResult::partial("denial", 1, 2, fb),
            _ => CheckResult::failed("denial", fb),
        }
    }

    fn validity(&self) -> CheckResult {
        if !self.r.signed {
            return self.skip_unsigned("validity");
        }
        let now = self.s.grading_time;
        let needed = self.p.min_days.saturating_mul(DAY);
        let mut fb = Feedback::new();
        let timing: Vec<&RrsetStatus> = self
            .r
            .bogus()
            .into_iter()
            .filter(|b| {
                matches!(
                    b.reason_code(),
                    Some("rrsig-expired" | "rrsig-not-yet-valid")
                )
            })
            .collect();
        for b in timing.iter().take(LIST) {
            let line = fault_line(b);
            let sig = self
                .s
                .zone
                .records
                .iter()
                .find(|r| r.line == line)
                .and_then(rdata::rrsig);
            let what = match (b.reason_code(), sig) {
                (Some("rrsig-expired"), Some(sig)) => format!(
                    "the signature of {} expired on {}, {} before grading",
                    b.describe(),
                    format_time(sig.expiration),
                    format_days(now.saturating_sub(sig.expiration))
                ),
                (Some("rrsig-expired"), None) => {
                    format!(
                        "the signature of {} had expired at grading time",
                        b.describe()
                    )
                }
                (_, Some(sig)) => format!(
                    "the signature of {} is valid only from {}, after grading",
                    b.describe(),
                    format_time(sig.inception)
                ),
                (_, None) => format!(
                    "the signature of {} is not valid yet at grading time",
                    b.describe()
                ),
            };
            fb.push_line(line, what);
        }
        if !timing.is_empty() {
            if timing.len() > LIST {
                fb.push_note(format!("… and {} more", timing.len() - LIST));
            }
            fb.push_note(format!(
                "a zone signed once and never again goes bogus when its signatures expire: sign it again (e.g. `dnssec-signzone -e +30d`) and keep re-signing, or let your server do it (BIND dnssec-policy, Knot); this lab asks for at least {} days of validity",
                self.p.min_days
            ));
            return CheckResult::failed("validity", fb);
        }
        let Some(first) = self.r.earliest_expiring() else {
            return CheckResult::failed(
                "validity",
                "no RRset of your zone is secure at grading time, so none stays valid",
            );
        };
        let expires = first.expires.unwrap_or(i64::MIN);
        let left = expires.saturating_sub(now);
        if left >= needed {
            return CheckResult::passed("validity").with_feedback(format!(
                "the first signatures to expire ({}) stay valid until {}, {} after grading",
                first.describe(),
                format_time(expires),
                format_days(left)
            ));
        }
        fb.push_line(
            first.line,
            format!(
                "the signatures of {} expire on {}, only {} after grading; this lab asks for at least {} days: sign with a later expiration (`dnssec-signzone -e +30d`, `ldns-signzone -e`) and re-sign before it",
                first.describe(),
                format_time(expires),
                format_days(left),
                self.p.min_days
            ),
        );
        CheckResult::failed("validity", fb)
    }

    fn ds(&self) -> CheckResult {
        let origin = self.origin();
        if self.s.ds.is_empty() {
            return CheckResult::failed(
                "ds",
                format!(
                    "no DS records were handed in: make them from your KSK with `dnssec-dsfromkey -2 K{origin}+...key` and hand them in with the zone"
                ),
            );
        }
        if !self.r.signed {
            return CheckResult::failed(
                "ds",
                format!(
                    "{}: a DS at the parent for an unsigned zone makes it bogus for every validating resolver; sign the zone with the key the DS is made from",
                    self.not_signed()
                ),
            );
        }
        let sep: Vec<String> = self
            .active()
            .iter()
            .filter(|k| k.sep)
            .map(|k| format!("{} (line {})", k.key_tag, k.line))
            .collect();
        let sep = if sep.is_empty() {
            "none".to_string()
        } else {
            sep.join(", ")
        };
        let mut fb = Feedback::new();
        let (mut good, mut weak) = (0, 0);
        for d in &self.r.ds {
            let at = format!("DS file line {}", d.line);
            let record = self.s.ds.iter().find(|r| r.line == d.line);
            if let Some(r) = record
                && !names_equal(&r.owner, origin)
            {
                fb.push_note(format!(
                    "{at}: this DS is for `{}`; the DS of your zone is owned by its apex `{origin}`",
                    r.owner
                ));
                continue;
            }
            if !d.matches {
                let same = self
                    .r
                    .keys
                    .iter()
                    .find(|k| k.key_tag == d.key_tag && k.algorithm == d.algorithm);
                let why = match same {
                    Some(k) => format!(
                        "its digest does not match key {} (line {}), though tag and algorithm do: make it again from that key's file with `dnssec-dsfromkey -2`",
                        k.key_tag, k.line
                    ),
                    None => format!(
                        "it matches no key of your zone (it names key {}, algorithm {}); your KSKs: {sep}. Was it made from a key of an earlier attempt? Make it from the KSK you signed with",
                        d.key_tag, d.algorithm
                    ),
                };
                fb.push_note(format!("{at}: {why} [ds-no-match]"));
                continue;
            }
            if !d.matches_sep {
                let line = self.r.key(d.key_tag).map_or(0, |k| k.line);
                fb.push_line(
                    line,
                    format!(
                        "{at}: this DS is made from key {}, which has no SEP flag (a ZSK): the parent's DS must point to the KSK (flags 257), {sep} [ds-not-sep]",
                        d.key_tag
                    ),
                );
                continue;
            }
            match d.digest_type {
                2 | 4 => good += 1,
                1 => {
                    weak += 1;
                    fb.push_note(format!(
                        "{at}: digest type 1 (SHA-1) must no longer be used for DS records (RFC 8624): make it with `dnssec-dsfromkey -2` (SHA-256) [ds-sha1]"
                    ));
                }
                t => {
                    weak += 1;
                    fb.push_note(format!(
                        "{at}: digest type {t} is not one to use: make the DS with digest type 2 (SHA-256) or 4 (SHA-384)"
                    ));
                }
            }
        }
        if self.r.ds.is_empty() {
            fb.push_note("none of the DS records handed in could be matched against your keys");
        }
        if fb.is_empty() {
            let tags: Vec<String> = self
                .r
                .ds
                .iter()
                .map(|d| format!("{} (digest type {})", d.key_tag, d.digest_type))
                .collect();
            CheckResult::passed("ds")
                .with_feedback(format!("the DS {} matches your KSK", tags.join(", ")))
        } else if good + weak > 0 {
            CheckResult::partial("ds", 1, 2, fb)
        } else {
            CheckResult::failed("ds", fb)
        }
    }
}

struct Sign;

impl Checker for Sign {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let p = Params::read(&s.params)?;
        let ctx = Ctx {
            s: &s,
            p,
            r: &s.zone.dnssec,
        };
        Ok(vec![
            ctx.keys(),
            ctx.signatures(),
            ctx.denial(),
            ctx.validity(),
            ctx.ds(),
            CheckResult::zone_loads("loads", &s.zone),
        ])
    }
}

grader_checker_sdk::export_checker!(Sign);

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing::{self, ReportBuilder};

    const PARAMS: &str = r#"{"algorithms":[13,15],"denial":"nsec3","max_nsec3_iterations":0,"min_validity_days":14}"#;
    const IDS: &[&str] = &["keys", "signatures", "denial", "validity", "ds", "loads"];
    const O: &str = "grp7.lab.example.";
    /// 2026-12-01T10:00:00Z.
    const AT: i64 = 1_796_119_200;

    fn records() -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            (
                O,
                "SOA",
                "ns1.grp7.lab.example. h.grp7.lab.example. 1 14400 3600 604800 3600",
            ),
            (O, "NS", "ns1.grp7.lab.example."),
            (O, "DNSKEY", "257 3 13 AAAA"),
            (O, "DNSKEY", "256 3 13 BBBB"),
            (O, "NSEC3PARAM", "1 0 0 -"),
            ("ns1.grp7.lab.example.", "A", "192.0.2.1"),
            ("www.grp7.lab.example.", "A", "192.0.2.80"),
        ]
    }

    fn good() -> Submission {
        let zone = testing::signed_zone(
            O,
            &records(),
            &[(1111, 13, 257), (2222, 13, 256)],
            AT + 30 * DAY,
        );
        let mut s = testing::submission(zone);
        s.grading_time = AT;
        s.params = PARAMS.into();
        s.ds = testing::zone(O, &[(O, "DS", "1111 13 2 00")]).records;
        s.zone.dnssec.ds = ReportBuilder::new()
            .key(3, 1111, 13, 257)
            .ds(1, 1111, 13, 2, true)
            .build()
            .ds;
        s
    }

    fn statuses(s: Submission) -> Vec<Status> {
        let out = Sign::check(s).unwrap();
        testing::assert_well_formed(&out, IDS);
        out.into_iter().map(|r| r.status).collect()
    }

    fn status(s: Submission, id: &str) -> (Status, String) {
        let out = Sign::check(s).unwrap();
        let r = out.into_iter().find(|r| r.id == id).unwrap();
        (r.status, r.feedback)
    }

    const HALF: Status = Status::Partial(Fraction {
        numerator: 1,
        denominator: 2,
    });

    #[test]
    fn a_good_zone_passes() {
        assert!(statuses(good()).iter().all(|s| *s == Status::Passed));
    }

    #[test]
    fn a_csk_passes() {
        let mut s = good();
        s.zone = testing::signed_zone(O, &records()[..3], &[(3333, 15, 257)], AT + 30 * DAY);
        s.zone.dnssec.ds = ReportBuilder::new()
            .key(3, 3333, 15, 257)
            .ds(1, 3333, 15, 2, true)
            .build()
            .ds;
        // No NSEC3PARAM in these records: denial is none.
        let out = statuses(s);
        assert_eq!(out[0], Status::Passed);
        assert_eq!(out[2], Status::Failed);
    }

    #[test]
    fn wrong_algorithm_is_half_the_keys() {
        let mut s = good();
        s.zone = testing::signed_zone(O, &records(), &[(1, 8, 257), (2, 8, 256)], AT + 30 * DAY);
        let (st, fb) = status(s, "keys");
        assert_eq!(st, HALF);
        assert!(
            fb.contains("line 3: key 1 (KSK) uses algorithm 8 (RSASHA256)"),
            "{fb}"
        );
    }

    #[test]
    fn no_sep_key_fails_keys() {
        let mut s = good();
        s.zone = testing::signed_zone(O, &records(), &[(2, 13, 256)], AT + 30 * DAY);
        let (st, fb) = status(s, "keys");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("SEP"), "{fb}");
    }

    #[test]
    fn short_validity_fails() {
        let mut s = good();
        s.zone = testing::signed_zone(
            O,
            &records(),
            &[(1111, 13, 257), (2222, 13, 256)],
            AT + 5 * DAY,
        );
        let (st, fb) = status(s, "validity");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("only 5 days after grading"), "{fb}");
    }

    #[test]
    fn expired_signatures_name_the_date() {
        let mut s = good();
        s.zone.records.push(testing::record(
            8,
            "www.grp7.lab.example.",
            "RRSIG",
            "A 13 4 3600 20261115000000 20261001000000 2222 grp7.lab.example. AAAA",
        ));
        s.zone.dnssec = ReportBuilder::new()
            .key(3, 1111, 13, 257)
            .key(4, 2222, 13, 256)
            .secure(3, O, "DNSKEY", &[1111], AT + 30 * DAY)
            .bogus(8, "www.grp7.lab.example.", "A", "rrsig-expired")
            .build();
        let (st, fb) = status(s.clone(), "validity");
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("line 8: the signature of www.grp7.lab.example. A expired on 2026-11-15 00:00:00 UTC"), "{fb}");
        let (st, fb) = status(s, "signatures");
        assert_eq!(st, HALF);
        assert!(fb.contains("[rrsig-expired]"), "{fb}");
    }

    #[test]
    fn nsec_where_nsec3_is_asked() {
        let mut s = good();
        s.zone.dnssec.denial = Denial::Nsec;
        assert_eq!(status(s, "denial").0, Status::Failed);
        let mut s = good();
        s.zone.dnssec.denial = Denial::Nsec3(Nsec3Params {
            hash_algorithm: 1,
            iterations: 10,
            salt: "aabb".into(),
            opt_out: false,
        });
        let (st, fb) = status(s, "denial");
        assert_eq!(st, HALF);
        assert!(
            fb.contains("10 extra iterations") && fb.contains("salt aabb"),
            "{fb}"
        );
    }

    #[test]
    fn broken_chain_fails_denial() {
        let mut s = good();
        s.zone.dnssec.diagnostics.push(testing::diagnostic(
            "nsec3-missing",
            Severity::Error,
            9,
            "ftp.grp7.lab.example. has no NSEC3 record",
        ));
        let (st, fb) = status(s, "denial");
        assert_eq!(st, Status::Failed);
        assert!(
            fb.contains("line 9: ftp.grp7.lab.example. has no NSEC3 record [nsec3-missing]"),
            "{fb}"
        );
    }

    #[test]
    fn ds_faults() {
        let with_ds = |matches: bool, sep_key: bool, digest: u8| {
            let mut s = good();
            let flags = if sep_key { 257 } else { 256 };
            s.zone.dnssec.ds = ReportBuilder::new()
                .key(3, 1111, 13, flags)
                .ds(1, 1111, 13, digest, matches)
                .build()
                .ds;
            status(s, "ds")
        };
        assert_eq!(with_ds(true, true, 2).0, Status::Passed);
        let (st, fb) = with_ds(false, true, 2);
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("[ds-no-match]"), "{fb}");
        let (st, fb) = with_ds(true, false, 2);
        assert_eq!(st, Status::Failed);
        assert!(fb.contains("[ds-not-sep]"), "{fb}");
        assert_eq!(with_ds(true, true, 1).0, HALF);
        let mut s = good();
        s.ds.clear();
        assert_eq!(status(s, "ds").0, Status::Failed);
    }

    #[test]
    fn unsigned_zone() {
        let mut s = good();
        s.zone = testing::zone(O, &records());
        let out = statuses(s);
        assert_eq!(
            out,
            [
                Status::Failed,
                Status::Skipped,
                Status::Skipped,
                Status::Skipped,
                Status::Failed,
                Status::Passed
            ]
        );
    }

    #[test]
    fn params() {
        assert!(Params::read("{}").is_ok());
        for bad in [
            r#"{"algorithms":[]}"#,
            r#"{"algorithms":[300]}"#,
            r#"{"denial":"nsec5"}"#,
            r#"{"max_nsec3_iterations":70000}"#,
            r#"{"min_validity_days":-1}"#,
            "[",
        ] {
            assert!(Params::read(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn odd_submissions_are_judged() {
        testing::judge_odd_zones(Sign::check, PARAMS, IDS);
    }
}
