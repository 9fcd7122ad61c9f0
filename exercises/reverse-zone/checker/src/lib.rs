//! Checker for the reverse-zone lab: the IPv4 zone `2.0.192.in-addr.arpa.`
//! (the main zone; the origin comes from the exercise) and the IPv6 zone
//! under `ip6.arpa.` (the extra zone `ipv6-reverse`, see `v6.rs`), each with
//! one PTR per address of the learner's hosts, naming each host's canonical
//! name.
//!
//! Params (see exercise.toml):
//! - `min_ns`: the fewest NS records at the apex;
//! - `hosts`: `{ name, ipv4, ipv6 }`, the forward A and AAAA records the
//!   PTRs must mirror (`ipv6` optional per host; at least one has it);
//! - `aliases`: `{ name, target }`, CNAMEs of the forward zone (a PTR must
//!   not name them).
//!
//! `{learner}` in names is filled in with the learner id.

mod v6;

use std::net::{Ipv4Addr, Ipv6Addr};

use grader_checker_sdk::names::{self, is_hostname, labels, relative_to};
use grader_checker_sdk::params::Params as RawParams;
use grader_checker_sdk::prelude::*;

struct Host {
    name: String,
    ipv4: Ipv4Addr,
    /// The host's IPv6 address (the `ip6.arpa` zone mirrors it), if any.
    ipv6: Option<Ipv6Addr>,
}

struct Alias {
    name: String,
    target: String,
}

struct Params {
    min_ns: usize,
    hosts: Vec<Host>,
    aliases: Vec<Alias>,
}

/// The absolute name of `key` in `p` (relative names are relative to the
/// root), with `{learner}` filled in.
fn name_param(p: &RawParams, key: &str, learner: &str) -> Result<String, String> {
    let name = p.required_str(key)?.replace("{learner}", learner);
    Ok(names::absolute(&name, "."))
}

impl Params {
    fn read(text: &str, learner: &str, prefix: &[u8]) -> Result<Params, String> {
        let p = RawParams::parse(text)?;
        let min_ns = p.get_or("min_ns", 2u32)?.max(1) as usize;
        let mut hosts = Vec::new();
        for h in p.objects("hosts")? {
            let name = name_param(&h, "name", learner)?;
            let text = h.required_str("ipv4")?;
            let ipv4: Ipv4Addr = text
                .parse()
                .map_err(|_| h.error("ipv4", format!("`{text}` is not an IPv4 address")))?;
            if !ipv4.octets().starts_with(prefix) {
                return Err(h.error(
                    "ipv4",
                    format!("{ipv4} is not inside the exercise's reverse zone"),
                ));
            }
            let ipv6 = match h.get_str("ipv6") {
                None => None,
                Some(text) => Some(
                    text.parse::<Ipv6Addr>()
                        .map_err(|_| h.error("ipv6", format!("`{text}` is not an IPv6 address")))?,
                ),
            };
            hosts.push(Host { name, ipv4, ipv6 });
        }
        if hosts.is_empty() {
            return Err(p.error("hosts", "no hosts listed"));
        }
        let mut aliases = Vec::new();
        for a in p.objects("aliases")? {
            aliases.push(Alias {
                name: name_param(&a, "name", learner)?,
                target: name_param(&a, "target", learner)?,
            });
        }
        Ok(Params {
            min_ns,
            hosts,
            aliases,
        })
    }
}

/// The network octets a reverse-zone origin stands for
/// (`2.0.192.in-addr.arpa.` gives `[192, 0, 2]`).
fn network_of(origin: &str) -> Option<Vec<u8>> {
    let l = labels(origin);
    let n = l.len().checked_sub(2)?;
    if l[n..] != [b"in-addr".to_vec(), b"arpa".to_vec()] || n > 3 {
        return None;
    }
    l[..n].iter().rev().map(|o| octet(o)).collect()
}

/// A label that is a decimal octet as a reverse name writes it (no leading zeros).
fn octet(label: &[u8]) -> Option<u8> {
    if label.is_empty() || label.len() > 3 || !label.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if label.len() > 1 && label[0] == b'0' {
        return None;
    }
    std::str::from_utf8(label).ok()?.parse().ok()
}

/// Loose octet reading (leading zeros allowed), for guessing what was meant.
fn loose_octet(label: &[u8]) -> Option<u8> {
    if label.is_empty() || label.len() > 3 || !label.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(label).ok()?.parse().ok()
}

fn reverse_name(ip: Ipv4Addr) -> String {
    let [a, b, c, d] = ip.octets();
    format!("{d}.{c}.{b}.{a}.in-addr.arpa.")
}

/// What the owner of a PTR record says.
enum Owner {
    /// A well-formed reverse name in this zone, for this address.
    Good(Ipv4Addr),
    /// Wrong, with the reason and the address probably meant.
    Bad(String, Option<Ipv4Addr>),
}

struct Ctx<'a> {
    s: &'a Submission,
    p: Params,
    origin: String,
    /// The zone's network octets, most significant first.
    prefix: Vec<u8>,
    ix: ZoneIndex<'a>,
    /// The PTR records, in file order, with what their owners say.
    ptrs: Vec<(&'a ZoneRecord, Owner)>,
}

impl Ctx<'_> {
    fn zone(&self) -> &Zone {
        &self.s.zone
    }

    fn host_at(&self, ip: Ipv4Addr) -> Option<&Host> {
        self.p.hosts.iter().find(|h| h.ipv4 == ip)
    }

    /// The short form of the owner a student should write in this zone (`53`).
    fn relative_owner(&self, ip: Ipv4Addr) -> String {
        let o = ip.octets();
        o[self.prefix.len()..]
            .iter()
            .rev()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Reads a PTR owner: the address it stands for, or what is wrong.
    fn owner(&self, owner: &str) -> Owner {
        let in_zone = is_subdomain(owner, &self.origin);
        let all = labels(owner);
        // The labels below in-addr.arpa., as written (least significant first).
        let below_arpa: Option<&[Vec<u8>]> =
            is_subdomain(owner, "in-addr.arpa.").then(|| &all[..all.len() - 2]);
        let forward = |ls: &[Vec<u8>]| -> Option<Ipv4Addr> {
            let o: Option<Vec<u8>> = ls.iter().map(|l| loose_octet(l)).collect();
            let o = o?;
            (o.len() == 4 && o.starts_with(&self.prefix))
                .then(|| Ipv4Addr::new(o[0], o[1], o[2], o[3]))
        };
        if in_zone {
            let rel: Vec<Vec<u8>> = all[..all.len() - (self.prefix.len() + 2)].to_vec();
            let want = 4 - self.prefix.len();
            if rel.is_empty() {
                return Owner::Bad("a PTR at the zone apex names no address".into(), None);
            }
            if rel.len() == want {
                let strict: Option<Vec<u8>> = rel.iter().map(|l| octet(l)).collect();
                let mut o = self.prefix.clone();
                if let Some(s) = strict {
                    o.extend(s.iter().rev());
                    return Owner::Good(Ipv4Addr::new(o[0], o[1], o[2], o[3]));
                }
                let loose: Option<Vec<u8>> = rel.iter().map(|l| loose_octet(l)).collect();
                if let Some(s) = loose {
                    o.extend(s.iter().rev());
                    let ip = Ipv4Addr::new(o[0], o[1], o[2], o[3]);
                    return Owner::Bad(
                        format!(
                            "`{owner}` has a leading zero or is not a number from 0 to 255: DNS compares labels as text, so write `{}` for {ip}",
                            self.relative_owner(ip)
                        ),
                        Some(ip),
                    );
                }
                return Owner::Bad(
                    format!(
                        "`{owner}` is not the reverse name of an address: the owner must be a number from 0 to 255"
                    ),
                    None,
                );
            }
            // Written forward: `192.0.2.53` relative to the zone.
            if let Some(ip) = forward(&rel) {
                return Owner::Bad(
                    format!(
                        "the owner has the octets of {ip} in forward order (it became `{owner}`): reverse names list them backwards, so write `{}` or `{}`",
                        self.relative_owner(ip),
                        reverse_name(ip)
                    ),
                    Some(ip),
                );
            }
            // A full reverse name without its trailing dot, or written
            // relative in full: `53.2.0.192.in-addr.arpa` or `53.2.0.192`.
            let rev: Option<Vec<u8>> = rel.iter().take(4).rev().map(|l| loose_octet(l)).collect();
            if let Some(o) = rev.filter(|o| o.len() == 4 && o.starts_with(&self.prefix)) {
                let ip = Ipv4Addr::new(o[0], o[1], o[2], o[3]);
                let rest: Vec<Vec<u8>> = rel[4..].to_vec();
                if rest.is_empty() || rest == [b"in-addr".to_vec(), b"arpa".to_vec()] {
                    return Owner::Bad(
                        format!(
                            "`{owner}` is not the name of {ip}: the zone's origin was appended to it; write `{}`, or `{}` with the trailing dot",
                            self.relative_owner(ip),
                            reverse_name(ip)
                        ),
                        Some(ip),
                    );
                }
            }
            return Owner::Bad(
                format!("`{owner}` is not the reverse name of an address in this zone"),
                None,
            );
        }
        match below_arpa {
            Some(ls) => {
                if let Some(ip) = forward(ls) {
                    Owner::Bad(
                        format!(
                            "the owner has the octets of {ip} in forward order (`{owner}`, outside this zone): reverse names list them backwards, so write `{}` or `{}`",
                            self.relative_owner(ip),
                            reverse_name(ip)
                        ),
                        Some(ip),
                    )
                } else {
                    Owner::Bad(
                        format!("`{owner}` is outside the zone `{}`", self.origin),
                        None,
                    )
                }
            }
            None => Owner::Bad(
                format!(
                    "`{owner}` is not a reverse name (under in-addr.arpa.) at all; is its $ORIGIN right?"
                ),
                None,
            ),
        }
    }

    /// Why a PTR target is not the host's name (`host` is at this address).
    fn target_problem(&self, target: &str, host: &Host) -> String {
        if let Some(why) =
            common_target_problem(target, host, &self.origin, "in-addr.arpa.", &self.p.aliases)
        {
            return why;
        }
        if let Some(other) = self.p.hosts.iter().find(|h| names_equal(&h.name, target)) {
            return format!(
                "the PTR names `{target}`, whose address is {}; {} belongs to `{}`",
                other.ipv4, host.ipv4, host.name
            );
        }
        if looks_like_address(target) {
            return format!(
                "the PTR holds `{target}`, an address: a PTR names the host, `{}`",
                host.name
            );
        }
        format!(
            "the PTR names `{target}`, but {} is `{}` in your forward zone",
            host.ipv4, host.name
        )
    }

    fn ptr_owners(&self) -> CheckResult {
        if self.ptrs.is_empty() {
            return CheckResult::failed("ptr-owners", "the zone has no PTR records");
        }
        let mut fb = Feedback::new();
        let mut good = 0u32;
        for (r, owner) in &self.ptrs {
            match owner {
                Owner::Good(_) => good += 1,
                Owner::Bad(why, _) => {
                    fb.push_record(r, why);
                }
            }
        }
        CheckResult::scored("ptr-owners", good, self.ptrs.len() as u32, fb)
    }

    fn ptr_coverage(&self) -> CheckResult {
        let z = self.zone();
        let mut fb = Feedback::new();
        let mut covered = 0u32;
        for h in &self.p.hosts {
            let owner = reverse_name(h.ipv4);
            if self.ix.has(&owner, "PTR") {
                covered += 1;
                continue;
            }
            let misplaced: Vec<&ZoneRecord> = self
                .ptrs
                .iter()
                .filter(|(_, o)| matches!(o, Owner::Bad(_, Some(ip)) if *ip == h.ipv4))
                .map(|(r, _)| *r)
                .collect();
            if misplaced.is_empty() {
                let cname = self.ix.rrset(&owner, "CNAME");
                let extra = if cname.is_empty() {
                    String::new()
                } else {
                    " (there is a CNAME there, not a PTR)".into()
                };
                fb.push_note(format!(
                    "{} (`{}`) has no PTR record at `{owner}`{extra}: add `{} PTR {}`",
                    h.ipv4,
                    h.name,
                    self.relative_owner(h.ipv4),
                    h.name
                ));
            } else {
                for r in misplaced {
                    fb.push_record(
                        r,
                        format!("this PTR is meant for {}, but it is not at `{owner}` (see the owner-name check)", h.ipv4),
                    );
                }
            }
        }
        if covered < self.p.hosts.len() as u32 {
            // Lines the reader could not turn into a record at all.
            let read: std::collections::BTreeSet<u32> = z.records.iter().map(|r| r.line).collect();
            for d in z.errors() {
                if !read.contains(&d.line) {
                    fb.push_line(d.line, format!("this line was not read: {}", d.message));
                }
            }
        }
        CheckResult::scored("ptr-coverage", covered, self.p.hosts.len() as u32, fb)
    }

    fn ptr_targets(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut judged = 0u32;
        let mut right = 0u32;
        for h in &self.p.hosts {
            let ptrs = self.ix.rrset(&reverse_name(h.ipv4), "PTR");
            if ptrs.is_empty() {
                continue;
            }
            judged += 1;
            if ptrs
                .iter()
                .any(|r| rdata::target(r).is_some_and(|t| names_equal(t, &h.name)))
            {
                right += 1;
                continue;
            }
            for r in ptrs {
                let why = match rdata::target(r) {
                    Some(t) => self.target_problem(t, h),
                    None => "this PTR record does not hold one name".into(),
                };
                fb.push_record(r, why);
            }
        }
        if judged == 0 {
            return CheckResult::skipped(
                "ptr-targets",
                "not judged: none of the hosts' addresses has a PTR record at its reverse name",
            );
        }
        CheckResult::scored("ptr-targets", right, judged, fb)
    }

    fn one_ptr(&self) -> CheckResult {
        if self.ptrs.is_empty() {
            return CheckResult::skipped("one-ptr", "not judged: the zone has no PTR records");
        }
        let mut fb = Feedback::new();
        // The names with more than one PTR record, in the order of their
        // labels (the order the feedback always had).
        let mut sets: Vec<Vec<&ZoneRecord>> = self
            .ix
            .owners()
            .map(|records| {
                records
                    .iter()
                    .filter(|p| p.rtype.eq_ignore_ascii_case("PTR"))
                    .copied()
                    .collect::<Vec<_>>()
            })
            .filter(|set| set.len() > 1)
            .collect();
        sets.sort_by_cached_key(|set| labels(&set[0].owner));
        for set in sets {
            let Some(r) = set.first() else { continue };
            let mut targets: Vec<&str> = Vec::new();
            for p in &set {
                let t = rdata::target(p).unwrap_or(&p.rdata);
                if !targets.iter().any(|x| names_equal(x, t)) {
                    targets.push(t);
                }
            }
            if targets.len() > 1 {
                let lines: Vec<String> = set.iter().map(|p| p.line.to_string()).collect();
                let mut msg = format!(
                    "`{}` has {} PTR records ({}, lines {}): give each address one PTR, naming its canonical host",
                    r.owner,
                    targets.len(),
                    targets.join(", "),
                    lines.join(", ")
                );
                if let Owner::Good(ip) = self.owner(&r.owner)
                    && let Some(h) = self.host_at(ip)
                {
                    msg.push_str(&format!(" (`{}`)", h.name));
                }
                for p in &set[1..] {
                    fb.push_record(p, &msg);
                    msg = "another PTR at the same name".into();
                }
            }
        }
        CheckResult::passed_unless("one-ptr", fb)
    }

    fn fcrdns(&self) -> CheckResult {
        if self.ptrs.is_empty() {
            return CheckResult::skipped("fcrdns", "not judged: the zone has no PTR records");
        }
        let mut fb = Feedback::new();
        for (r, owner) in &self.ptrs {
            let Owner::Good(ip) = *owner else { continue };
            if self.host_at(ip).is_some() {
                continue; // judged by ptr-targets
            }
            let Some(t) = rdata::target(r) else { continue };
            if let Some(h) = self.p.hosts.iter().find(|h| names_equal(&h.name, t)) {
                fb.push_record(
                    r,
                    format!("{ip} points to `{t}`, but `{t}` has the address {}: forward and reverse disagree", h.ipv4),
                );
            } else if let Some(a) = self.p.aliases.iter().find(|a| names_equal(&a.name, t)) {
                fb.push_record(
                    r,
                    format!(
                        "{ip} points to `{t}`, an alias of `{}`, which does not have this address",
                        a.target
                    ),
                );
            }
        }
        CheckResult::passed_unless("fcrdns", fb)
    }
}

/// The SOA check of the reverse zone `origin` (under `arpa`, such as
/// `in-addr.arpa.`), reported as `id`.
fn soa_check(id: &str, ix: &ZoneIndex, origin: &str, arpa: &str) -> CheckResult {
    let Some(r) = ix.apex_soa() else {
        return CheckResult::failed(
            id,
            format!("the zone has no SOA record at its apex `{}`", origin),
        );
    };
    let Some(soa) = rdata::soa(r) else {
        return CheckResult::failed(
            id,
            Feedback::new().record(r, "the SOA record cannot be read as `mname rname serial refresh retry expire minimum`"),
        );
    };
    let mut fb = Feedback::new();
    for (what, name) in [
        ("primary server (MNAME)", soa.mname),
        ("mailbox (RNAME)", soa.rname),
    ] {
        if is_subdomain(name, arpa) {
            let meant = relative_to(name, origin).unwrap_or(name);
            fb.push_record(
                r,
                format!(
                    "the SOA {what} became `{name}`: in a reverse zone a name without a trailing dot gets `{}` appended; write `{meant}.`",
                    origin
                ),
            );
        }
    }
    if soa.rname.contains('@') {
        // The grader shows `@` escaped (`hostmaster\@grp7.lab.example.`).
        let written = soa.rname.replace("\\@", "@");
        let fixed = written.replacen('@', ".", 1);
        fb.push_record(
            r,
            format!("the SOA mailbox is a name, not an e-mail address: write `{fixed}` instead of `{written}`"),
        );
    }
    if soa.retry >= soa.refresh {
        fb.push_record(
            r,
            format!(
                "the SOA retry ({}) is not below refresh ({}): the fields are serial, refresh, retry, expire, minimum",
                soa.retry, soa.refresh
            ),
        );
    }
    if soa.expire <= soa.refresh {
        fb.push_record(
            r,
            format!(
                "the SOA expire ({}) must be much longer than refresh ({})",
                soa.expire, soa.refresh
            ),
        );
    }
    CheckResult::passed_unless(id, fb)
}

/// The NS check of the reverse zone `origin`, reported as `id`.
fn ns_check(id: &str, ix: &ZoneIndex, origin: &str, arpa: &str, min_ns: usize) -> CheckResult {
    let ns = ix.apex_rrset("NS");
    if ns.is_empty() {
        return CheckResult::failed(
            id,
            format!(
                "the zone has no NS records at its apex; add at least {}",
                min_ns
            ),
        );
    }
    let mut fb = Feedback::new();
    let mut good: Vec<&str> = Vec::new();
    for r in &ns {
        let Some(t) = rdata::target(r) else {
            fb.push_record(r, "this NS record does not hold one name");
            continue;
        };
        if looks_like_address(t) {
            fb.push_record(
                r,
                format!("`{t}` is an address; an NS record names a server"),
            );
        } else if is_subdomain(t, arpa) {
            let meant = relative_to(t, origin).unwrap_or(t);
            fb.push_record(
                r,
                format!("the name server became `{t}`: write `{meant}.` with its trailing dot, or the zone's origin is appended"),
            );
        } else if !is_hostname(t) {
            fb.push_record(r, format!("`{t}` is not a host name"));
        } else if !good.iter().any(|g| names_equal(g, t)) {
            good.push(t);
        }
    }
    if good.len() < min_ns {
        fb.push_line(
            ns[0].line,
            format!(
                "the zone has {} usable name server(s); give it at least {}",
                good.len(),
                min_ns
            ),
        );
    }
    let n = good.len().min(min_ns) as u32;
    if fb.is_empty() {
        CheckResult::passed(id)
    } else if n == 0 {
        CheckResult::failed(id, fb)
    } else if n == min_ns as u32 {
        CheckResult::partial(id, 1, 2, fb)
    } else {
        CheckResult::partial(id, n, min_ns as u32, fb)
    }
}

/// An IPv4 address written where a name belongs (`192.0.2.53.`).
/// The mistakes a PTR target can show in either reverse tree (`arpa`, the
/// zone's `origin`): a host name left without its trailing dot (so the
/// origin was appended), another reverse name, or an alias of the host.
fn common_target_problem(
    target: &str,
    host: &Host,
    origin: &str,
    arpa: &str,
    aliases: &[Alias],
) -> Option<String> {
    if is_subdomain(target, arpa) {
        let meant = relative_to(target, origin).map(|r| format!("{r}."));
        return Some(match meant {
            Some(m) if names_equal(&m, &host.name) => format!(
                "the PTR names `{target}`: `{}` needs a trailing dot, otherwise the zone's origin is appended to it",
                m.trim_end_matches('.')
            ),
            _ => format!(
                "the PTR names `{target}`, a reverse name, not the host `{}`; a missing trailing dot?",
                host.name
            ),
        });
    }
    aliases.iter().find(|a| names_equal(&a.name, target)).map(|a| {
        format!(
            "the PTR names `{target}`, which is an alias (CNAME of `{}`) in your forward zone: a PTR must name the host's canonical name, `{}`",
            a.target, host.name
        )
    })
}

fn looks_like_address(name: &str) -> bool {
    let l = labels(name);
    l.len() == 4 && l.iter().all(|x| loose_octet(x).is_some())
}

struct ReverseZone;

impl Checker for ReverseZone {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let origin = s.zone.origin.clone();
        let prefix = network_of(&origin).ok_or_else(|| {
            format!(
                "the exercise's origin `{origin}` is not an IPv4 reverse zone (n.n.n.in-addr.arpa.)"
            )
        })?;
        if prefix.is_empty() {
            return Err("the exercise's origin must name at least one octet".into());
        }
        let p = Params::read(&s.params, &s.learner, &prefix)?;
        let mut ctx = Ctx {
            s: &s,
            p,
            origin,
            prefix,
            ix: s.zone.index(),
            ptrs: Vec::new(),
        };
        ctx.ptrs = s
            .zone
            .records_of_type("PTR")
            .into_iter()
            .map(|r| (r, ctx.owner(&r.owner)))
            .collect();
        let six = s
            .extra_zones
            .iter()
            .find(|z| z.name == v6::ZONE_NAME)
            .ok_or_else(|| {
                format!(
                    "the submission has no `{}` zone: the exercise must list it in [[inputs.extra_zones]]",
                    v6::ZONE_NAME
                )
            })?;
        let prefix6 = v6::network6_of(&six.zone.origin).ok_or_else(|| {
            format!(
                "the exercise's `{}` origin `{}` is not an IPv6 reverse zone (nibbles under ip6.arpa.)",
                v6::ZONE_NAME, six.zone.origin
            )
        })?;
        let six = v6::Ctx6::new(&six.zone, &ctx.p, &prefix6)?;
        Ok(vec![
            soa_check("soa", &ctx.ix, &ctx.origin, "in-addr.arpa."),
            ns_check("ns", &ctx.ix, &ctx.origin, "in-addr.arpa.", ctx.p.min_ns),
            ctx.ptr_owners(),
            ctx.ptr_coverage(),
            ctx.ptr_targets(),
            ctx.one_ptr(),
            ctx.fcrdns(),
            CheckResult::zone_loads("loads", &s.zone),
            six.apex(),
            six.ptr_owners(),
            six.ptr_coverage(),
            six.ptr_targets(),
            CheckResult::zone_loads("zone6-loads", six.zone()),
        ])
    }
}

grader_checker_sdk::export_checker!(ReverseZone);

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing;

    const PARAMS: &str = r#"{"aliases":[{"name":"www.{learner}.lab.example.","target":"web.{learner}.lab.example."}],"hosts":[{"ipv4":"192.0.2.53","ipv6":"2001:db8:2::53","name":"ns1.{learner}.lab.example."},{"ipv4":"192.0.2.80","ipv6":"2001:db8:2::80","name":"web.{learner}.lab.example."}],"min_ns":2}"#;
    const ORIGIN: &str = "2.0.192.in-addr.arpa.";
    const ORIGIN6: &str = "2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
    const NS1_6: &str = "3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
    const WEB_6: &str = "0.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
    const SOA: &str = "ns1.grp7.lab.example. h.grp7.lab.example. 1 14400 3600 604800 3600";

    /// A correct IPv6 zone.
    fn good6() -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            (ORIGIN6, "SOA", SOA),
            (ORIGIN6, "NS", "ns1.grp7.lab.example."),
            (ORIGIN6, "NS", "ns2.grp7.lab.example."),
            (NS1_6, "PTR", "ns1.grp7.lab.example."),
            (WEB_6, "PTR", "web.grp7.lab.example."),
        ]
    }

    fn submission6(records: &[(&str, &str, &str)], records6: &[(&str, &str, &str)]) -> Submission {
        let mut s = testing::submission(testing::zone(ORIGIN, records));
        s.learner = "grp7".into();
        s.params = PARAMS.into();
        s.extra_zones.push(NamedZone {
            name: "ipv6-reverse".into(),
            zone: testing::zone(ORIGIN6, records6),
        });
        s
    }

    fn submission(records: &[(&str, &str, &str)]) -> Submission {
        submission6(records, &good6())
    }

    fn status(out: &[CheckResult], id: &str) -> Status {
        out.iter().find(|r| r.id == id).map(|r| r.status).unwrap()
    }

    fn owner_of(name: &str) -> Result<Ipv4Addr, Option<Ipv4Addr>> {
        let s = submission(&[]);
        let p = Params::read(PARAMS, "grp7", &[192, 0, 2]).unwrap();
        let ctx = Ctx {
            s: &s,
            p,
            origin: ORIGIN.into(),
            prefix: vec![192, 0, 2],
            ix: s.zone.index(),
            ptrs: Vec::new(),
        };
        match ctx.owner(name) {
            Owner::Good(ip) => Ok(ip),
            Owner::Bad(_, meant) => Err(meant),
        }
    }

    #[test]
    fn owners() {
        let ip = Ipv4Addr::new(192, 0, 2, 53);
        assert_eq!(owner_of("53.2.0.192.in-addr.arpa."), Ok(ip));
        assert_eq!(owner_of("53.2.0.192.IN-ADDR.ARPA"), Ok(ip));
        assert_eq!(
            owner_of("0.2.0.192.in-addr.arpa."),
            Ok(Ipv4Addr::new(192, 0, 2, 0))
        );
        // Forward order, relative and absolute.
        assert_eq!(owner_of("192.0.2.53.2.0.192.in-addr.arpa."), Err(Some(ip)));
        assert_eq!(owner_of("192.0.2.53.in-addr.arpa."), Err(Some(ip)));
        // Leading zero; full reverse name without its dot; written relative in full.
        assert_eq!(owner_of("053.2.0.192.in-addr.arpa."), Err(Some(ip)));
        assert_eq!(
            owner_of("53.2.0.192.in-addr.arpa.2.0.192.in-addr.arpa."),
            Err(Some(ip))
        );
        assert_eq!(owner_of("53.2.0.192.2.0.192.in-addr.arpa."), Err(Some(ip)));
        assert_eq!(owner_of("256.2.0.192.in-addr.arpa."), Err(None));
        assert_eq!(owner_of("2.0.192.in-addr.arpa."), Err(None));
        assert_eq!(owner_of("www.example."), Err(None));
        assert_eq!(owner_of("1.1.2.0.192.in-addr.arpa."), Err(None));
        assert_eq!(owner_of("53.2.0.198.in-addr.arpa."), Err(None));
    }

    #[test]
    fn networks() {
        assert_eq!(network_of("2.0.192.in-addr.arpa."), Some(vec![192, 0, 2]));
        assert_eq!(network_of("10.in-addr.arpa."), Some(vec![10]));
        assert_eq!(network_of("in-addr.arpa."), Some(vec![]));
        assert_eq!(network_of("1.2.0.192.in-addr.arpa."), None);
        assert_eq!(network_of("8.b.d.0.1.0.0.2.ip6.arpa."), None);
        assert_eq!(network_of("."), None);
    }

    #[test]
    fn full_marks_and_alias() {
        let good = [
            (
                ORIGIN,
                "SOA",
                "ns1.grp7.lab.example. h.grp7.lab.example. 1 14400 3600 604800 3600",
            ),
            (ORIGIN, "NS", "ns1.grp7.lab.example."),
            (ORIGIN, "NS", "ns2.grp7.lab.example."),
            ("53.2.0.192.in-addr.arpa.", "PTR", "ns1.grp7.lab.example."),
            ("80.2.0.192.in-addr.arpa.", "PTR", "web.grp7.lab.example."),
        ];
        let out = ReverseZone::check(submission(&good)).unwrap();
        assert!(out.iter().all(|r| r.status == Status::Passed), "{out:?}");
        let mut alias = good;
        alias[4].2 = "www.grp7.lab.example.";
        let out = ReverseZone::check(submission(&alias)).unwrap();
        let t = out.iter().find(|r| r.id == "ptr-targets").unwrap();
        assert_eq!(
            t.status,
            Status::Partial(Fraction {
                numerator: 1,
                denominator: 2
            })
        );
        assert!(t.feedback.contains("alias"), "{}", t.feedback);
    }

    #[test]
    fn ipv6_zone() {
        let v4 = [
            (ORIGIN, "SOA", SOA),
            (ORIGIN, "NS", "ns1.grp7.lab.example."),
            (ORIGIN, "NS", "ns2.grp7.lab.example."),
            ("53.2.0.192.in-addr.arpa.", "PTR", "ns1.grp7.lab.example."),
            ("80.2.0.192.in-addr.arpa.", "PTR", "web.grp7.lab.example."),
        ];
        // Forward nibble order for web, a target without its dot for ns1.
        let mut bad = good6();
        bad[3].2 = "ns1.grp7.lab.example.2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
        bad[4].0 = "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.0.2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
        let out = ReverseZone::check(submission6(&v4, &bad)).unwrap();
        let half = Status::Partial(Fraction {
            numerator: 1,
            denominator: 2,
        });
        assert_eq!(status(&out, "ptr6-owners"), half);
        assert_eq!(status(&out, "ptr6-coverage"), half);
        assert_eq!(status(&out, "ptr6-targets"), Status::Failed);
        assert_eq!(status(&out, "zone6-apex"), Status::Passed);
        assert_eq!(status(&out, "ptr-targets"), Status::Passed);
        // An empty IPv6 zone.
        let out = ReverseZone::check(submission6(&v4, &[])).unwrap();
        assert_eq!(status(&out, "zone6-apex"), Status::Failed);
        assert_eq!(status(&out, "ptr6-owners"), Status::Failed);
        assert_eq!(status(&out, "ptr6-targets"), Status::Skipped);
        // No IPv6 zone at all (the grader refuses such a submission).
        let mut s = submission(&v4);
        s.extra_zones.clear();
        assert!(ReverseZone::check(s).is_err());
        // A host's IPv6 address outside the IPv6 zone is the exercise's bug.
        let mut s = submission(&v4);
        s.params = PARAMS.replace("2001:db8:2::80", "2001:db8:3::80");
        assert!(ReverseZone::check(s).is_err());
    }

    #[test]
    fn odd_zones_do_not_break_it() {
        for z in testing::odd_zones(ORIGIN6) {
            let s = submission6(&[], &[]);
            let mut s = s;
            s.extra_zones[0].zone.records = z.records;
            let out = ReverseZone::check(s).unwrap();
            assert_eq!(out.len(), 13);
        }
    }

    #[test]
    fn params_outside_the_zone_are_a_checker_error() {
        let bad = r#"{"hosts":[{"ipv4":"198.51.100.1","name":"a."}]}"#;
        assert!(Params::read(bad, "grp7", &[192, 0, 2]).is_err());
        assert!(Params::read(r#"{"hosts":[]}"#, "grp7", &[192, 0, 2]).is_err());
    }
}
