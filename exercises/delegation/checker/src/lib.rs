//! Checker for the delegation lab: the learner's zone `<id>.lab.example.`
//! delegates `sub.<id>.lab.example.` (the label comes from `params.child`)
//! to the lab's name servers, with glue for the in-bailiwick ones only, no
//! other data at or below the cut, and (optionally) the DS records of the
//! child at the cut.
//!
//! Params (see exercise.toml):
//! - `child`: the delegated label(s) below the learner's zone;
//! - `min_ns`: the fewest name servers at the cut and at the apex;
//! - `servers`: the servers the statement names; each must be at the cut,
//!   and those below the cut need glue with exactly the `ipv4`/`ipv6`
//!   addresses given (a string or a list). Names are relative to the
//!   learner's zone unless they end with a dot; `{learner}` is filled in.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use grader_checker_sdk::names::{
    self, address_in_name, is_hostname, missing_trailing_dot, relative_to,
};
use grader_checker_sdk::params::Params as RawParams;
use grader_checker_sdk::prelude::*;

/// DS digest types accepted, with the length of their digest in hex digits.
const DS_DIGESTS: &[(u8, usize, &str)] = &[(2, 64, "SHA-256"), (4, 96, "SHA-384")];
/// DNSSEC algorithms a DS may name (RFC 8624: the ones still fit for signing).
const DS_ALGORITHMS: &[u8] = &[8, 10, 13, 14, 15, 16];
/// Types the parent may hold at a delegation point.
const AT_CUT: &[&str] = &["NS", "DS", "RRSIG", "NSEC"];

struct Server {
    name: String,
    ipv4: Vec<Ipv4Addr>,
    ipv6: Vec<Ipv6Addr>,
}

struct Params {
    child: String,
    min_ns: usize,
    servers: Vec<Server>,
}

/// `name` made absolute in `origin`, with `{learner}` filled in.
fn absolute(name: &str, origin: &str, learner: &str) -> String {
    names::absolute(&name.replace("{learner}", learner), origin)
}

/// The addresses of `key` (a string or a list of strings) of a server.
fn addresses<A: FromStr>(p: &RawParams, key: &str, what: &str) -> Result<Vec<A>, String> {
    let texts: Vec<String> = p.get_or(key, Vec::new())?;
    texts
        .iter()
        .map(|a| {
            a.parse()
                .map_err(|_| p.error(key, format!("`{a}` is not an {what} address")))
        })
        .collect()
}

impl Params {
    fn read(text: &str, origin: &str, learner: &str) -> Result<Params, String> {
        let p = RawParams::parse(text)?;
        let child = p.required_str("child")?;
        if child.is_empty() || child.ends_with('.') {
            return Err(p.error("child", "a relative name such as \"sub\" is required"));
        }
        let min_ns = p.get_or("min_ns", 2u32)?.max(1) as usize;
        let mut servers = Vec::new();
        for s in p.objects("servers")? {
            servers.push(Server {
                name: absolute(s.required_str("name")?, origin, learner),
                ipv4: addresses(&s, "ipv4", "IPv4")?,
                ipv6: addresses(&s, "ipv6", "IPv6")?,
            });
        }
        Ok(Params {
            child: child.replace("{learner}", learner),
            min_ns,
            servers,
        })
    }
}

/// Whether `name` is strictly below `zone`.
fn strictly_below(name: &str, zone: &str) -> bool {
    is_subdomain(name, zone) && !names_equal(name, zone)
}

/// An address written where a name belongs (`192.0.2.53.`).
fn looks_like_address(name: &str) -> bool {
    address_in_name(name).is_some()
}

/// The name the student probably meant when `name` is a relative name that
/// should have ended with a dot: `ns1.x.example.x.example.` in `x.example.`
/// gives `ns1.x.example.` ([`missing_trailing_dot`]); so does a name whose
/// part below the origin is one of the `known` names.
fn missing_dot(name: &str, origin: &str, known: &[&str]) -> Option<String> {
    if origin == "." {
        return None;
    }
    missing_trailing_dot(name, origin).or_else(|| {
        let rel = relative_to(name, origin).filter(|r| !r.is_empty())?;
        let meant = format!("{rel}.");
        known
            .iter()
            .any(|k| names_equal(k, &meant))
            .then_some(meant)
    })
}

fn dot_hint(name: &str, origin: &str, known: &[&str]) -> String {
    match missing_dot(name, origin, known) {
        Some(meant) => format!(
            " (was `{}` meant to end with a dot? Without one, the origin is appended: `{meant}` became `{name}`)",
            meant.trim_end_matches('.')
        ),
        None => String::new(),
    }
}

/// The fields of a DS record.
#[derive(Clone, PartialEq, Eq)]
struct Ds {
    tag: u16,
    algorithm: u8,
    digest_type: u8,
    /// Lowercase hex, no spaces.
    digest: String,
}

impl Ds {
    fn parse(rdata: &str) -> Option<Ds> {
        let mut f = rdata.split_ascii_whitespace();
        let tag = f.next()?.parse().ok()?;
        let algorithm = f.next()?.parse().ok()?;
        let digest_type = f.next()?.parse().ok()?;
        let digest: String = f.collect::<String>().to_ascii_lowercase();
        // The grader shows an empty digest as `-`.
        let digest = if digest == "-" { String::new() } else { digest };
        Some(Ds {
            tag,
            algorithm,
            digest_type,
            digest,
        })
    }

    /// What is wrong with it, if anything.
    fn problem(&self) -> Option<String> {
        match DS_DIGESTS.iter().find(|(t, _, _)| *t == self.digest_type) {
            Some((t, len, alg)) if self.digest.len() != *len => {
                return Some(format!(
                    "a digest of type {t} ({alg}) has {len} hex digits, this one has {}",
                    self.digest.len()
                ));
            }
            Some(_) => {}
            None if self.digest_type == 1 => {
                return Some(
                    "digest type 1 (SHA-1) must no longer be used for DS records (RFC 8624): make the DS with digest type 2 (SHA-256)"
                        .into(),
                );
            }
            None => {
                return Some(format!(
                    "digest type {} is not one to use: make the DS with digest type 2 (SHA-256) or 4 (SHA-384)",
                    self.digest_type
                ));
            }
        }
        if !self.digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some("the digest is not hexadecimal".into());
        }
        if !DS_ALGORITHMS.contains(&self.algorithm) {
            return Some(format!(
                "algorithm {} is deprecated or unknown (RFC 8624): sign the child with algorithm 13 (ECDSAP256SHA256) or 8 (RSASHA256)",
                self.algorithm
            ));
        }
        None
    }

    fn short(&self) -> String {
        format!(
            "key tag {}, algorithm {}, digest type {}",
            self.tag, self.algorithm, self.digest_type
        )
    }
}

struct Ctx<'a> {
    s: &'a Submission,
    p: Params,
    origin: String,
    cut: String,
    ix: ZoneIndex<'a>,
    /// The targets of the NS records at the cut, with their records.
    cut_targets: Vec<(&'a str, &'a ZoneRecord)>,
    /// The servers that need glue: NS targets below the cut, and the
    /// statement's servers below the cut that the zone gives addresses.
    glue_servers: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn new(s: &'a Submission, p: Params, origin: String, cut: String) -> Self {
        let ix = s.zone.index();
        let cut_targets: Vec<(&'a str, &'a ZoneRecord)> = ix
            .rrset(&cut, "NS")
            .into_iter()
            .filter_map(|r| rdata::target(r).map(|t| (t, r)))
            .collect();
        let mut glue_servers: Vec<String> = Vec::new();
        let candidates = cut_targets
            .iter()
            .map(|(t, _)| *t)
            .filter(|t| is_subdomain(t, &cut))
            .chain(
                p.servers
                    .iter()
                    .map(|s| s.name.as_str())
                    .filter(|n| is_subdomain(n, &cut) && !ix.addresses(n).is_empty()),
            );
        for n in candidates {
            if !glue_servers.iter().any(|o| names_equal(o, n)) {
                glue_servers.push(n.to_string());
            }
        }
        Ctx {
            s,
            p,
            origin,
            cut,
            ix,
            cut_targets,
            glue_servers,
        }
    }

    fn zone(&self) -> &Zone {
        &self.s.zone
    }

    /// The names the statement or the cut makes meaningful (for dot hints).
    fn known(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.p.servers.iter().map(|s| s.name.as_str()).collect();
        k.push(&self.cut);
        k.extend(self.cut_targets.iter().map(|(t, _)| *t));
        k
    }

    /// Whether `name` (below the cut) may own glue.
    fn may_own_glue(&self, name: &str) -> bool {
        self.glue_servers.iter().any(|g| names_equal(g, name))
            || self
                .p
                .servers
                .iter()
                .any(|s| names_equal(&s.name, name) && is_subdomain(name, &self.cut))
    }

    fn apex(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut ok = 0;
        match self.ix.apex_soa() {
            Some(r) if rdata::soa(r).is_some() => ok += 1,
            Some(r) => {
                fb.push_record(r, "the SOA record of your zone cannot be read as `mname rname serial refresh retry expire minimum`");
            }
            None => {
                fb.push_note(format!("your zone `{}` has no SOA record at its apex: keep it when you add the delegation", self.origin));
            }
        }
        let ns = self.ix.apex_rrset("NS");
        let mut targets: Vec<&str> = Vec::new();
        for r in &ns {
            let Some(t) = rdata::target(r) else { continue };
            if looks_like_address(t) || !is_hostname(t) {
                fb.push_record(r, format!("`{t}` is not a name server's host name"));
            } else if !targets.iter().any(|x| names_equal(x, t)) {
                targets.push(t);
            }
        }
        if targets.len() >= self.p.min_ns {
            ok += 1;
        } else {
            let msg = format!(
                "your zone's apex has {} name server(s); it needs at least {} NS records of its own, beside the delegation",
                targets.len(),
                self.p.min_ns
            );
            match ns.first() {
                Some(r) => fb.push_record(r, msg),
                None => fb.push_note(msg),
            };
        }
        let mut addressed = !ns.is_empty();
        let known = self.known();
        for r in &ns {
            let Some(t) = rdata::target(r) else { continue };
            if is_subdomain(t, &self.origin) && self.ix.addresses(t).is_empty() {
                addressed = false;
                fb.push_record(
                    r,
                    format!(
                        "your zone's name server `{t}` is in your zone but has no A or AAAA record{}",
                        dot_hint(t, &self.origin, &known)
                    ),
                );
            }
        }
        if addressed {
            ok += 1;
        }
        match ok {
            3 => CheckResult::passed("apex"),
            0 => CheckResult::failed("apex", fb),
            n => CheckResult::partial("apex", n, 3, fb),
        }
    }

    fn cut_ns(&self) -> CheckResult {
        let z = self.zone();
        let cut = &self.cut;
        let ns = self.ix.rrset(cut, "NS");
        if ns.is_empty() {
            let mut fb = Feedback::new();
            fb.push_note(format!(
                "there are no NS records at `{cut}`, so `{}` is not delegated: add `{} NS <server>` records",
                self.p.child, self.p.child
            ));
            for r in z.records_of_type("NS") {
                if names_equal(&r.owner, &self.origin) {
                    continue;
                }
                let hint = dot_hint(&r.owner, &self.origin, &[cut]);
                fb.push_record(
                    r,
                    format!("this NS record delegates `{}`, not `{cut}`{hint}", r.owner),
                );
            }
            return CheckResult::failed("cut-ns", fb);
        }
        let known = self.known();
        let mut fb = Feedback::new();
        let mut good: Vec<&str> = Vec::new();
        let mut meant_names: Vec<String> = Vec::new();
        let mut bad = 0;
        for r in &ns {
            let Some(t) = rdata::target(r) else {
                bad += 1;
                fb.push_record(r, "this NS record does not hold one name server name");
                continue;
            };
            let problem = if looks_like_address(t) {
                Some(format!(
                    "`{t}` is an address, not a name: an NS record names a server, whose address is in an A/AAAA record"
                ))
            } else if let Some(meant) = missing_dot(t, &self.origin, &known) {
                meant_names.push(meant.clone());
                Some(format!(
                    "the server `{t}` is not what you meant: `{}` needs a trailing dot, otherwise the origin is appended to it",
                    meant.trim_end_matches('.')
                ))
            } else if !is_hostname(t) {
                Some(format!(
                    "`{t}` is not a host name (letters, digits and inner hyphens only)"
                ))
            } else if is_subdomain(t, &self.origin)
                && !is_subdomain(t, cut)
                && self.ix.addresses(t).is_empty()
            {
                Some(format!(
                    "the server `{t}` is in your zone but has no A or AAAA record"
                ))
            } else if is_subdomain(t, &self.origin) && self.ix.has(t, "CNAME") {
                Some(format!(
                    "the server `{t}` is a CNAME; an NS record must name the server itself (RFC 2181 §10.3)"
                ))
            } else {
                None
            };
            match problem {
                Some(m) => {
                    bad += 1;
                    fb.push_record(r, m);
                }
                None => {
                    if !good.iter().any(|g| names_equal(g, t)) {
                        good.push(t);
                    }
                }
            }
        }
        let required = &self.p.servers;
        let den = required.len().max(self.p.min_ns);
        let present = required
            .iter()
            .filter(|s| good.iter().any(|g| names_equal(g, &s.name)))
            .count();
        let extra = good.len().saturating_sub(present);
        let mut num = present + extra.min(den - required.len());
        for s in required {
            let explained = meant_names.iter().any(|m| names_equal(m, &s.name));
            if !explained && !good.iter().any(|g| names_equal(g, &s.name)) {
                fb.push_line(
                    ns[0].line,
                    format!(
                        "the delegation does not name the server `{}`: add `{} NS {}`",
                        s.name, self.p.child, s.name
                    ),
                );
            }
        }
        if good.len() < self.p.min_ns {
            fb.push_line(
                ns[0].line,
                format!(
                    "`{}` is delegated to {} working name server(s); a delegation needs at least {}, so that the child stays reachable when one fails (RFC 1034 §4.1)",
                    self.p.child,
                    good.len(),
                    self.p.min_ns
                ),
            );
        }
        num = num.min(den);
        let (num, den) = (num as u32, den as u32);
        if num == den && bad == 0 {
            CheckResult::passed("cut-ns")
        } else if num == den {
            CheckResult::partial("cut-ns", 2 * den - 1, 2 * den, fb)
        } else if num == 0 {
            CheckResult::failed("cut-ns", fb)
        } else {
            CheckResult::partial("cut-ns", num, den, fb)
        }
    }

    fn glue(&self) -> CheckResult {
        let z = self.zone();
        let servers = &self.glue_servers;
        if servers.is_empty() {
            return CheckResult::passed("glue").with_feedback(
                "no name server of the delegation is inside it, so no glue is needed",
            );
        }
        let mut fb = Feedback::new();
        let mut score = 0u32;
        for name in servers {
            let expected = self.p.servers.iter().find(|s| names_equal(&s.name, name));
            let recs = self.ix.addresses(name);
            let ns_line = self
                .cut_targets
                .iter()
                .find(|(t, _)| names_equal(t, name))
                .map_or(0, |(_, r)| r.line);
            let want = expected.map_or_else(String::new, |e| {
                let all: Vec<String> = e
                    .ipv4
                    .iter()
                    .map(ToString::to_string)
                    .chain(e.ipv6.iter().map(ToString::to_string))
                    .collect();
                all.join(" and ")
            });
            if recs.is_empty() {
                fb.push_line(
                    ns_line,
                    format!(
                        "`{name}` is inside the delegated zone `{}`, so your zone must give its address (glue): add A/AAAA records for it{}",
                        self.cut,
                        if want.is_empty() { String::new() } else { format!(" with {want}") }
                    ),
                );
                for r in z
                    .records_of_type("A")
                    .into_iter()
                    .chain(z.records_of_type("AAAA"))
                {
                    if missing_dot(&r.owner, &self.origin, &[name])
                        .is_some_and(|m| names_equal(&m, name))
                    {
                        fb.push_record(
                            r,
                            format!("this address is meant for `{name}` but belongs to `{}`: end the owner name with a dot", r.owner),
                        );
                    }
                }
                continue;
            }
            let Some(e) = expected.filter(|e| !e.ipv4.is_empty() || !e.ipv6.is_empty()) else {
                score += 2;
                continue;
            };
            let mut right = 0;
            let mut wrong = 0;
            for r in &recs {
                let ok = match (rdata::a(r), rdata::aaaa(r)) {
                    (Some(a), _) => e.ipv4.contains(&a),
                    (_, Some(a)) => e.ipv6.contains(&a),
                    _ => false,
                };
                if ok {
                    right += 1;
                } else {
                    wrong += 1;
                    fb.push_record(
                        r,
                        format!(
                            "the glue of `{name}` gives {} {}, but the statement gives {want}",
                            r.rtype, r.rdata
                        ),
                    );
                }
            }
            let missing: Vec<String> = e
                .ipv4
                .iter()
                .filter(|a| !recs.iter().any(|r| rdata::a(r) == Some(**a)))
                .map(|a| format!("`{name} A {a}`"))
                .chain(
                    e.ipv6
                        .iter()
                        .filter(|a| !recs.iter().any(|r| rdata::aaaa(r) == Some(**a)))
                        .map(|a| format!("`{name} AAAA {a}`")),
                )
                .collect();
            if !missing.is_empty() {
                let line = recs.first().map_or(ns_line, |r| r.line);
                fb.push_line(
                    line,
                    format!("the glue of `{name}` lacks {}", missing.join(" and ")),
                );
            }
            score += if wrong == 0 && missing.is_empty() {
                2
            } else if right > 0 {
                1
            } else {
                0
            };
        }
        CheckResult::scored("glue", score, 2 * servers.len() as u32, fb)
    }

    fn glue_scope(&self) -> CheckResult {
        let z = self.zone();
        let targets = &self.cut_targets;
        let outside: Vec<&str> = targets
            .iter()
            .map(|(t, _)| *t)
            .chain(self.p.servers.iter().map(|s| s.name.as_str()))
            .filter(|t| !is_subdomain(t, &self.origin))
            .collect();
        let mut fb = Feedback::new();
        for r in z
            .records_of_type("A")
            .into_iter()
            .chain(z.records_of_type("AAAA"))
        {
            if !is_subdomain(&r.owner, &self.origin) {
                let why = if outside.iter().any(|o| names_equal(o, &r.owner)) {
                    format!(
                        "`{}` is outside your zone (out of bailiwick): its address comes from its own zone, so it needs no glue, and a parent may not carry it; remove this record",
                        r.owner
                    )
                } else {
                    format!(
                        "`{}` is outside your zone: your zone cannot hold its address; remove this record",
                        r.owner
                    )
                };
                fb.push_record(r, why);
            } else if let Some(meant) = missing_dot(&r.owner, &self.origin, &outside)
                && outside.iter().any(|o| names_equal(o, &meant))
            {
                fb.push_record(
                    r,
                    format!(
                        "this looks like glue for `{meant}`, which is out of bailiwick and needs none (without a trailing dot the owner became `{}`); remove it",
                        r.owner
                    ),
                );
            }
        }
        CheckResult::passed_unless("glue-scope", fb)
    }

    fn below_cut(&self) -> CheckResult {
        let z = self.zone();
        let cut = &self.cut;
        let mut fb = Feedback::new();
        for r in &z.records {
            if names_equal(&r.owner, cut) {
                if !AT_CUT.iter().any(|t| r.rtype.eq_ignore_ascii_case(t)) {
                    fb.push_record(
                        r,
                        format!(
                            "`{cut}` is the delegation point: your zone holds only NS and DS records there, so this {} record is never served; it belongs in the child zone",
                            r.rtype
                        ),
                    );
                }
            } else if strictly_below(&r.owner, cut) {
                if r.rtype.eq_ignore_ascii_case("DS") {
                    continue; // judged by the `ds` check
                }
                let address =
                    r.rtype.eq_ignore_ascii_case("A") || r.rtype.eq_ignore_ascii_case("AAAA");
                if address && self.may_own_glue(&r.owner) {
                    continue;
                }
                let what = if address {
                    format!(
                        "`{}` is below the delegation but is not one of its name servers, so this address is not glue and is never served (occluded)",
                        r.owner
                    )
                } else {
                    format!(
                        "`{}` is below the delegation, so this {} record is never served (occluded)",
                        r.owner, r.rtype
                    )
                };
                fb.push_record(
                    r,
                    format!("{what}; put it in the child zone `{cut}` instead"),
                );
            }
        }
        CheckResult::passed_unless("below-cut", fb)
    }

    fn ds(&self) -> CheckResult {
        let z = self.zone();
        let cut = &self.cut;
        let mut fb = Feedback::new();
        let known = self.known();
        let all = z.records_of_type("DS");
        let mut at_cut: Vec<(Ds, &ZoneRecord)> = Vec::new();
        for r in &all {
            if !names_equal(&r.owner, cut) {
                let why = if names_equal(&r.owner, &self.origin) {
                    format!(
                        "a DS record at your own apex is wrong: the DS of `{}` goes to its parent; the DS of the child belongs at the delegation `{cut}`",
                        self.origin
                    )
                } else if strictly_below(&r.owner, cut) {
                    format!(
                        "`{}` is inside the child zone; the child's DS belongs in your zone at the delegation point `{cut}`",
                        r.owner
                    )
                } else {
                    format!(
                        "a DS record belongs at the delegation point `{cut}`, not at `{}`{}",
                        r.owner,
                        dot_hint(&r.owner, &self.origin, &known)
                    )
                };
                fb.push_record(r, why);
                continue;
            }
            match Ds::parse(&r.rdata) {
                Some(d) => {
                    if let Some(p) = d.problem() {
                        fb.push_record(r, format!("this DS record ({}): {p}", d.short()));
                    }
                    at_cut.push((d, r));
                }
                None => {
                    fb.push_record(
                        r,
                        "this DS record cannot be read as `key-tag algorithm digest-type digest`",
                    );
                }
            }
        }
        for d in z.errors() {
            if d.code == "bad-digest-length" || d.code == "bad-algorithm" {
                fb.push_line(
                    d.line,
                    format!("{} (so this DS record was not read)", d.message),
                );
            }
        }
        let handed: Vec<(Ds, &ZoneRecord)> = self
            .s
            .ds
            .iter()
            .filter_map(|r| Ds::parse(&r.rdata).map(|d| (d, r)))
            .collect();
        let mut matched = 0;
        if self.s.ds.is_empty() {
            if all.is_empty() && fb.is_empty() {
                return CheckResult::passed("ds").with_feedback(
                    "no DS records handed in and none at the cut: the delegation is unsigned (insecure), which this exercise allows",
                );
            }
            matched = at_cut.iter().filter(|(d, _)| d.problem().is_none()).count();
        } else {
            for (d, r) in &handed {
                if !names_equal(&r.owner, cut) {
                    fb.push_note(format!(
                        "the DS you handed in (line {} of the DS file) is for `{}`, not for the delegation `{cut}`",
                        r.line, r.owner
                    ));
                    continue;
                }
                if let Some(p) = d.problem() {
                    fb.push_note(format!(
                        "the DS you handed in (line {} of the DS file): {p}",
                        r.line
                    ));
                }
                if at_cut.iter().any(|(c, _)| c == d) {
                    // Only a well-formed DS that validates counts.
                    if d.problem().is_none() {
                        matched += 1;
                    }
                } else {
                    fb.push_note(format!(
                        "the DS you handed in ({}, line {} of the DS file) is not at `{cut}` in your zone: add it there",
                        d.short(),
                        r.line
                    ));
                }
            }
            for r in &self.s.ds {
                if !r.rtype.eq_ignore_ascii_case("DS") {
                    fb.push_note(format!(
                        "line {} of the DS file holds a record of type {}; the DS file holds only the DS records of `{cut}`",
                        r.line, r.rtype
                    ));
                }
            }
            for (d, r) in &at_cut {
                if handed
                    .iter()
                    .any(|(h, hr)| h == d && names_equal(&hr.owner, cut))
                {
                    continue;
                }
                let same_key = handed
                    .iter()
                    .any(|(h, _)| h.tag == d.tag && h.algorithm == d.algorithm);
                let why = if same_key {
                    "is not among the DS records you handed in (same key, but this digest differs or was not handed in): hand in every DS you publish, or remove it"
                } else {
                    "matches none of the DS records you handed in: was it made from another key (the ZSK instead of the KSK, or an old key)?"
                };
                fb.push_record(r, format!("this DS ({}) {why}", d.short()));
            }
        }
        if fb.is_empty() {
            CheckResult::passed("ds")
        } else if matched > 0 {
            CheckResult::partial("ds", 1, 2, fb)
        } else {
            CheckResult::failed("ds", fb)
        }
    }
}

struct Delegation;

impl Checker for Delegation {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let origin = s.zone.origin.clone();
        let p = Params::read(&s.params, &origin, &s.learner)?;
        let cut = absolute(&p.child, &origin, &s.learner);
        let ctx = Ctx::new(&s, p, origin, cut);
        let delegated = ctx.ix.has(&ctx.cut, "NS");
        let skip = |id: &str| {
            CheckResult::skipped(
                id,
                format!(
                    "not judged: `{}` is not delegated (no NS records at the cut)",
                    ctx.cut
                ),
            )
        };
        Ok(vec![
            ctx.apex(),
            ctx.cut_ns(),
            if delegated { ctx.glue() } else { skip("glue") },
            if delegated {
                ctx.glue_scope()
            } else {
                skip("glue-scope")
            },
            if delegated {
                ctx.below_cut()
            } else {
                skip("below-cut")
            },
            if delegated { ctx.ds() } else { skip("ds") },
            CheckResult::zone_loads("loads", &s.zone),
        ])
    }
}

grader_checker_sdk::export_checker!(Delegation);

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing;

    const PARAMS: &str = r#"{"child":"sub","min_ns":2,"servers":[{"ipv4":"192.0.2.53","ipv6":"2001:db8:53::53","name":"ns1.sub"},{"name":"ns.secondary.example.net."}]}"#;

    fn run(records: &[(&str, &str, &str)], ds: &[(&str, &str, &str)]) -> Vec<(String, Status)> {
        let zone = testing::zone("grp7.lab.example.", records);
        let mut s = testing::submission(zone);
        s.learner = "grp7".into();
        s.params = PARAMS.into();
        s.ds = testing::zone("grp7.lab.example.", ds).records;
        Delegation::check(s)
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.status))
            .collect()
    }

    fn base() -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            (
                "grp7.lab.example.",
                "SOA",
                "ns1.grp7.lab.example. h.grp7.lab.example. 1 14400 3600 604800 3600",
            ),
            ("grp7.lab.example.", "NS", "ns1.grp7.lab.example."),
            ("grp7.lab.example.", "NS", "ns2.grp7.lab.example."),
            ("ns1.grp7.lab.example.", "A", "192.0.2.1"),
            ("ns2.grp7.lab.example.", "A", "192.0.2.2"),
            ("sub.grp7.lab.example.", "NS", "ns1.sub.grp7.lab.example."),
            ("sub.grp7.lab.example.", "NS", "ns.secondary.example.net."),
            ("ns1.sub.grp7.lab.example.", "A", "192.0.2.53"),
            ("ns1.sub.grp7.lab.example.", "AAAA", "2001:db8:53::53"),
        ]
    }

    fn status(out: &[(String, Status)], id: &str) -> Status {
        out.iter().find(|(i, _)| i == id).map(|(_, s)| *s).unwrap()
    }

    #[test]
    fn complete_delegation_passes_everything() {
        let out = run(&base(), &[]);
        assert_eq!(out.len(), 7);
        assert!(out.iter().all(|(_, s)| *s == Status::Passed), "{out:?}");
    }

    #[test]
    fn ds_handed_in_must_be_at_the_cut() {
        let digest = "ab".repeat(32);
        let rdata = format!("31589 13 2 {digest}");
        let ds = [("sub.grp7.lab.example.", "DS", rdata.as_str())];
        assert_eq!(status(&run(&base(), &ds), "ds"), Status::Failed);
        let mut zone = base();
        zone.push(("sub.grp7.lab.example.", "DS", rdata.as_str()));
        assert_eq!(status(&run(&zone, &ds), "ds"), Status::Passed);
    }

    #[test]
    fn no_cut_skips_the_dependent_checks() {
        let zone: Vec<_> = base()
            .into_iter()
            .filter(|r| r.1 != "NS" || r.0 != "sub.grp7.lab.example.")
            .collect();
        let out = run(&zone, &[]);
        assert_eq!(status(&out, "cut-ns"), Status::Failed);
        for id in ["glue", "glue-scope", "below-cut", "ds"] {
            assert_eq!(status(&out, id), Status::Skipped, "{id}");
        }
    }

    #[test]
    fn dot_hints() {
        let o = "grp7.lab.example.";
        assert_eq!(
            missing_dot("ns1.sub.grp7.lab.example.grp7.lab.example.", o, &[]).as_deref(),
            Some("ns1.sub.grp7.lab.example.")
        );
        assert_eq!(
            missing_dot(
                "ns.secondary.example.net.grp7.lab.example.",
                o,
                &["ns.secondary.example.net."]
            )
            .as_deref(),
            Some("ns.secondary.example.net.")
        );
        assert_eq!(missing_dot("ns1.sub.grp7.lab.example.", o, &[]), None);
        assert_eq!(missing_dot("grp7.lab.example.", o, &[]), None);
        assert_eq!(missing_dot("x.", ".", &[]), None);
    }

    #[test]
    fn ds_rules() {
        let p = |s: &str| Ds::parse(s).and_then(|d| d.problem());
        assert_eq!(p(&format!("1 13 2 {}", "AB".repeat(32))), None);
        assert_eq!(p(&format!("1 8 4 {}", "ab".repeat(48))), None);
        assert!(
            p(&format!("1 13 2 {}", "ab".repeat(31)))
                .unwrap()
                .contains("64 hex digits")
        );
        assert!(
            p(&format!("1 13 1 {}", "ab".repeat(20)))
                .unwrap()
                .contains("SHA-1")
        );
        assert!(
            p(&format!("1 5 2 {}", "ab".repeat(32)))
                .unwrap()
                .contains("algorithm 5")
        );
        assert!(p("1 13 2 -").unwrap().contains("0"));
        assert!(
            p(&format!("1 13 2 {}", "zz".repeat(32)))
                .unwrap()
                .contains("hexadecimal")
        );
        assert!(Ds::parse("x 13 2 ab").is_none());
    }

    #[test]
    fn bad_params_are_a_checker_error() {
        for bad in [
            "{}",
            r#"{"child":"sub."}"#,
            r#"{"child":"sub","servers":[{"name":"a","ipv4":"300.1.1.1"}]}"#,
            "[",
        ] {
            assert!(
                Params::read(bad, "grp7.lab.example.", "grp7").is_err(),
                "{bad}"
            );
        }
    }
}
