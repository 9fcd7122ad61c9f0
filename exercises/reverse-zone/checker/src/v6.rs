//! The IPv6 half of the lab: the nibble-format zone under `ip6.arpa.` (the
//! extra zone `ipv6-reverse`), with one PTR per host's IPv6 address.
//!
//! An IPv6 reverse name lists all 32 nibbles (hex digits) of the address,
//! least significant first, one label each: `2001:db8:2::53` is
//! `3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.`.
//! The mistakes students make: nibbles in forward order, the zeros hidden by
//! `::` (or by leading zeros dropped in a group) left out, and the usual
//! missing trailing dots.

use std::net::Ipv6Addr;

use grader_checker_sdk::names::labels;
use grader_checker_sdk::prelude::*;

use super::{Host, Params, common_target_problem, ns_check, soa_check};

/// The name of the extra zone in exercise.toml.
pub const ZONE_NAME: &str = "ipv6-reverse";

const ARPA: &str = "ip6.arpa.";

/// The 32 nibbles of an address, most significant first.
pub fn nibbles(ip: Ipv6Addr) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, byte) in ip.octets().iter().enumerate() {
        out[2 * i] = byte >> 4;
        out[2 * i + 1] = byte & 0x0f;
    }
    out
}

/// The address of 32 nibbles (most significant first); `None` for any other
/// count or a value above 15.
pub fn from_nibbles(n: &[u8]) -> Option<Ipv6Addr> {
    if n.len() != 32 || n.iter().any(|&x| x > 15) {
        return None;
    }
    let mut octets = [0u8; 16];
    for (i, o) in octets.iter_mut().enumerate() {
        *o = (n[2 * i] << 4) | n[2 * i + 1];
    }
    Some(Ipv6Addr::from(octets))
}

/// A label that is one hex digit (either case).
pub fn nibble(label: &[u8]) -> Option<u8> {
    match label {
        [c] => (*c as char).to_digit(16).and_then(|d| u8::try_from(d).ok()),
        _ => None,
    }
}

fn join(nibbles: impl Iterator<Item = u8>) -> String {
    nibbles
        .map(|n| {
            char::from_digit(u32::from(n), 16)
                .unwrap_or('?')
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The reverse name of an address (`…8.b.d.0.1.0.0.2.ip6.arpa.`).
pub fn reverse_name6(ip: Ipv6Addr) -> String {
    format!("{}.{ARPA}", join(nibbles(ip).iter().rev().copied()))
}

/// The network nibbles an `ip6.arpa` origin stands for, most significant
/// first (`8.b.d.0.1.0.0.2.ip6.arpa.` gives `[2, 0, 0, 1, 0, 13, 11, 8]`).
pub fn network6_of(origin: &str) -> Option<Vec<u8>> {
    let l = labels(origin);
    let n = l.len().checked_sub(2)?;
    if l[n..] != [b"ip6".to_vec(), b"arpa".to_vec()] || n >= 32 {
        return None;
    }
    l[..n].iter().rev().map(|x| nibble(x)).collect()
}

/// Whether `written` is `correct` with some zero nibbles left out (and
/// nothing else changed).
pub fn zeros_left_out(written: &[u8], correct: &[u8]) -> bool {
    let mut w = written.iter().peekable();
    for &c in correct {
        match w.peek() {
            Some(&&x) if x == c => {
                w.next();
            }
            _ if c == 0 => {}
            _ => return false,
        }
    }
    w.next().is_none()
}

/// What the owner of a PTR record says.
#[derive(Debug, PartialEq)]
pub enum Owner6 {
    /// A well-formed reverse name in this zone, for this address.
    Good(Ipv6Addr),
    /// Wrong, with the reason and the address probably meant.
    Bad(String, Option<Ipv6Addr>),
}

/// The kinds of mistaken owner names recognised.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mistake {
    /// All the nibbles, in forward order.
    Forward,
    /// Reversed, but zeros (of `::` or of leading zeros) left out.
    ZerosLeftOut,
    /// Forward order, and zeros left out.
    ForwardShort,
}

/// Reads owner names against a zone's origin and the hosts' addresses.
pub struct Names<'a> {
    pub origin: &'a str,
    /// The origin's network nibbles, most significant first.
    pub prefix: &'a [u8],
    /// The hosts' addresses, in params order.
    pub hosts: Vec<Ipv6Addr>,
}

impl Names<'_> {
    /// The owner a student should write inside the zone (`3.5.0.0…0`).
    pub fn relative_owner(&self, ip: Ipv6Addr) -> String {
        let n = nibbles(ip);
        let keep = 32 - self.prefix.len().min(32);
        join(n.iter().rev().take(keep).copied())
    }

    fn is_host(&self, ip: Ipv6Addr) -> bool {
        self.hosts.contains(&ip)
    }

    fn in_prefix(&self, ip: Ipv6Addr) -> bool {
        nibbles(ip).starts_with(self.prefix)
    }

    fn advice(&self, ip: Ipv6Addr) -> String {
        format!(
            "write `{}` inside this zone, or `{}` with its trailing dot",
            self.relative_owner(ip),
            reverse_name6(ip)
        )
    }

    /// Which host a wrong name (its nibbles below ip6.arpa, least
    /// significant first, and below the origin if it is in the zone)
    /// was meant for, and how it went wrong.
    fn guess(&self, full: &[u8], rel: Option<&[u8]>) -> Option<(Mistake, Ipv6Addr)> {
        let p = self.prefix.len().min(32);
        let kinds = [
            Mistake::Forward,
            Mistake::ZerosLeftOut,
            Mistake::ForwardShort,
        ];
        for kind in kinds {
            for &ip in &self.hosts {
                let fwd = nibbles(ip);
                let mut rev = fwd;
                rev.reverse();
                let (fwd_rel, rev_rel) = (&fwd[p..], &rev[..32 - p]);
                let hit = match kind {
                    Mistake::Forward => {
                        full == fwd || rel.is_some_and(|r| r == fwd_rel || r == fwd)
                    }
                    Mistake::ZerosLeftOut => {
                        zeros_left_out(full, &rev)
                            || rel.is_some_and(|r| zeros_left_out(r, rev_rel))
                    }
                    Mistake::ForwardShort => {
                        zeros_left_out(full, &fwd)
                            || rel.is_some_and(|r| {
                                zeros_left_out(r, fwd_rel) || zeros_left_out(r, &fwd)
                            })
                    }
                };
                if hit {
                    return Some((kind, ip));
                }
            }
        }
        None
    }

    fn explain(&self, owner: &str, count: usize, mistake: Mistake, ip: Ipv6Addr) -> String {
        let advice = self.advice(ip);
        match mistake {
            Mistake::Forward => format!(
                "`{owner}` lists the nibbles of {ip} in forward order: an ip6.arpa name lists them backwards, least significant first; {advice}"
            ),
            Mistake::ZerosLeftOut => format!(
                "`{owner}` seems meant for {ip}, but it has {count} nibble labels where the address has 32: write out every zero that `::` and dropped leading zeros hide, one label per nibble; {advice}"
            ),
            Mistake::ForwardShort => format!(
                "`{owner}` seems meant for {ip}, but its nibbles are in forward order and the zeros that `::` hides are missing: list all 32 nibbles backwards; {advice}"
            ),
        }
    }

    fn bad_label(&self, owner: &str, ls: &[Vec<u8>]) -> Option<String> {
        let bad = ls.iter().find(|l| nibble(l).is_none())?;
        Some(format!(
            "`{owner}` has the label `{}`: each label of an ip6.arpa name is one hex digit (a nibble), so a group such as `0db8` is written `8.b.d.0`",
            String::from_utf8_lossy(bad)
        ))
    }

    /// Reads a PTR owner: the address it stands for, or what is wrong.
    pub fn owner(&self, owner: &str) -> Owner6 {
        let all = labels(owner);
        if !is_subdomain(owner, ARPA) || all.len() < 2 {
            return Owner6::Bad(
                format!(
                    "`{owner}` is not an IPv6 reverse name (under ip6.arpa.) at all; is its $ORIGIN right?"
                ),
                None,
            );
        }
        let below = &all[..all.len() - 2];
        let p = self.prefix.len();
        let in_zone = is_subdomain(owner, self.origin) && below.len() >= p;
        if !in_zone {
            if let Some(why) = self.bad_label(owner, below) {
                return Owner6::Bad(why, None);
            }
            let full: Vec<u8> = below.iter().filter_map(|l| nibble(l)).collect();
            if let Some((m, ip)) = self.guess(&full, None) {
                return Owner6::Bad(self.explain(owner, full.len(), m, ip), Some(ip));
            }
            return Owner6::Bad(
                format!("`{owner}` is outside the zone `{}`", self.origin),
                None,
            );
        }
        let rel = &below[..below.len() - p];
        if rel.is_empty() {
            return Owner6::Bad("a PTR at the zone apex names no address".into(), None);
        }
        // A full reverse name without its trailing dot: the origin was
        // appended to it.
        if rel.len() >= 2 && rel[rel.len() - 2..] == [b"ip6".to_vec(), b"arpa".to_vec()] {
            let inner = &rel[..rel.len() - 2];
            let n: Option<Vec<u8>> = inner.iter().rev().map(|l| nibble(l)).collect();
            let meant = n.as_deref().and_then(from_nibbles);
            let why = match meant {
                Some(ip) => format!(
                    "`{owner}` is not the name of {ip}: without a trailing dot the zone's origin was appended to it; {}",
                    self.advice(ip)
                ),
                None => format!(
                    "`{owner}` ends in ip6.arpa twice: without a trailing dot the zone's origin was appended to the name"
                ),
            };
            return Owner6::Bad(why, meant);
        }
        if let Some(why) = self.bad_label(owner, rel) {
            return Owner6::Bad(why, None);
        }
        let r: Vec<u8> = rel.iter().filter_map(|l| nibble(l)).collect();
        let full: Vec<u8> = below.iter().filter_map(|l| nibble(l)).collect();
        if r.len() + p == 32 {
            let ip = from_nibbles(&full.iter().rev().copied().collect::<Vec<_>>());
            let fwd = from_nibbles(&[self.prefix, &r[..]].concat());
            match (ip, fwd) {
                (Some(ip), _) if self.is_host(ip) => return Owner6::Good(ip),
                (_, Some(f)) if self.is_host(f) => {
                    return Owner6::Bad(self.explain(owner, 32, Mistake::Forward, f), Some(f));
                }
                (Some(ip), _) => return Owner6::Good(ip),
                _ => {}
            }
        }
        // All 32 nibbles written relative: the origin was appended.
        if r.len() == 32
            && let Some(ip) = from_nibbles(&r.iter().rev().copied().collect::<Vec<_>>())
            && self.in_prefix(ip)
        {
            return Owner6::Bad(
                format!(
                    "`{owner}` is not the name of {ip}: the zone's origin was appended to the full name; {}",
                    self.advice(ip)
                ),
                Some(ip),
            );
        }
        if let Some((m, ip)) = self.guess(&full, Some(&r)) {
            return Owner6::Bad(self.explain(owner, full.len(), m, ip), Some(ip));
        }
        Owner6::Bad(
            format!(
                "`{owner}` has {} nibble labels: the reverse name of an IPv6 address has 32, that is {} below this zone's origin",
                full.len(),
                32 - p
            ),
            None,
        )
    }
}

/// The IPv6 zone and what it is judged against.
pub struct Ctx6<'a> {
    zone: &'a Zone,
    ix: ZoneIndex<'a>,
    p: &'a Params,
    names: Names<'a>,
    /// The hosts with an IPv6 address.
    hosts: Vec<(&'a Host, Ipv6Addr)>,
    /// The PTR records, in file order, with what their owners say.
    ptrs: Vec<(&'a ZoneRecord, Owner6)>,
}

impl<'a> Ctx6<'a> {
    pub fn new(zone: &'a Zone, p: &'a Params, prefix: &'a [u8]) -> Result<Self, String> {
        let hosts: Vec<(&Host, Ipv6Addr)> = p
            .hosts
            .iter()
            .filter_map(|h| h.ipv6.map(|ip| (h, ip)))
            .collect();
        if hosts.is_empty() {
            return Err("params.hosts: no host has an `ipv6` address".into());
        }
        for (h, ip) in &hosts {
            if !nibbles(*ip).starts_with(prefix) {
                return Err(format!(
                    "params.hosts: {ip} (`{}`) is not inside the IPv6 reverse zone `{}`",
                    h.name, zone.origin
                ));
            }
        }
        let names = Names {
            origin: &zone.origin,
            prefix,
            hosts: hosts.iter().map(|(_, ip)| *ip).collect(),
        };
        let ptrs = zone
            .records_of_type("PTR")
            .into_iter()
            .map(|r| (r, names.owner(&r.owner)))
            .collect();
        Ok(Ctx6 {
            zone,
            ix: zone.index(),
            p,
            names,
            hosts,
            ptrs,
        })
    }

    pub fn zone(&self) -> &Zone {
        self.zone
    }

    /// SOA and NS of the IPv6 zone, one point each.
    pub fn apex(&self) -> CheckResult {
        const ID: &str = "zone6-apex";
        let origin = &self.zone.origin;
        let soa = soa_check(ID, &self.ix, origin, ARPA);
        let ns = ns_check(ID, &self.ix, origin, ARPA, self.p.min_ns);
        let good = [&soa, &ns]
            .iter()
            .filter(|r| r.status == Status::Passed)
            .count() as u32;
        let mut out = CheckResult::scored(ID, good, 2, Feedback::new());
        out.feedback = [soa.feedback.as_str(), ns.feedback.as_str()]
            .iter()
            .filter(|f| !f.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        let mut lines = soa.lines.clone();
        lines.extend(&ns.lines);
        lines.sort_unstable();
        lines.dedup();
        out.lines = lines;
        out
    }

    pub fn ptr_owners(&self) -> CheckResult {
        const ID: &str = "ptr6-owners";
        if self.ptrs.is_empty() {
            return CheckResult::failed(ID, "the IPv6 zone has no PTR records");
        }
        let mut fb = Feedback::new();
        let mut good = 0u32;
        for (r, owner) in &self.ptrs {
            match owner {
                Owner6::Good(_) => good += 1,
                Owner6::Bad(why, _) => {
                    fb.push_record(r, why);
                }
            }
        }
        CheckResult::scored(ID, good, self.ptrs.len() as u32, fb)
    }

    pub fn ptr_coverage(&self) -> CheckResult {
        const ID: &str = "ptr6-coverage";
        let mut fb = Feedback::new();
        let mut covered = 0u32;
        for (h, ip) in &self.hosts {
            let owner = reverse_name6(*ip);
            if self.ix.has(&owner, "PTR") {
                covered += 1;
                continue;
            }
            let misplaced: Vec<&ZoneRecord> = self
                .ptrs
                .iter()
                .filter(|(_, o)| matches!(o, Owner6::Bad(_, Some(m)) if m == ip))
                .map(|(r, _)| *r)
                .collect();
            if !misplaced.is_empty() {
                for r in misplaced {
                    fb.push_record(
                        r,
                        format!("this PTR is meant for {ip}, but it is not at its reverse name (see the owner-name check)"),
                    );
                }
                continue;
            }
            // A PTR naming the host at another address: a typo in the nibbles?
            let elsewhere: Vec<(&ZoneRecord, Ipv6Addr)> = self
                .ptrs
                .iter()
                .filter_map(|(r, o)| match o {
                    Owner6::Good(at) => Some((*r, *at)),
                    Owner6::Bad(..) => None,
                })
                .filter(|(r, _)| rdata::target(r).is_some_and(|t| names_equal(t, &h.name)))
                .collect();
            if !elsewhere.is_empty() {
                for (r, at) in elsewhere {
                    fb.push_record(
                        r,
                        format!(
                            "this PTR for `{}` is at the name of {at}, not of {ip}: check its nibbles; write `{}`",
                            h.name,
                            self.names.relative_owner(*ip)
                        ),
                    );
                }
                continue;
            }
            let extra = if self.ix.has(&owner, "CNAME") {
                " (there is a CNAME there, not a PTR)"
            } else {
                ""
            };
            fb.push_note(format!(
                "{ip} (`{}`) has no PTR record at `{owner}`{extra}: add `{} PTR {}`",
                h.name,
                self.names.relative_owner(*ip),
                h.name
            ));
        }
        let total = self.hosts.len() as u32;
        if covered < total {
            let read: std::collections::BTreeSet<u32> =
                self.zone.records.iter().map(|r| r.line).collect();
            for d in self.zone.errors() {
                if !read.contains(&d.line) {
                    fb.push_line(d.line, format!("this line was not read: {}", d.message));
                }
            }
        }
        CheckResult::scored(ID, covered, total, fb)
    }

    /// Why a PTR target is not the host's name.
    fn target_problem(&self, target: &str, host: &Host, ip: Ipv6Addr) -> String {
        if let Some(why) =
            common_target_problem(target, host, &self.zone.origin, ARPA, &self.p.aliases)
        {
            return why;
        }
        if let Some((_, oip)) = self
            .hosts
            .iter()
            .find(|(h, _)| names_equal(&h.name, target))
        {
            return format!(
                "the PTR names `{target}`, whose address is {oip}; {ip} belongs to `{}`",
                host.name
            );
        }
        if target.trim_end_matches('.').parse::<Ipv6Addr>().is_ok() {
            return format!(
                "the PTR holds `{target}`, an address: a PTR names the host, `{}`",
                host.name
            );
        }
        format!(
            "the PTR names `{target}`, but {ip} is `{}` in your forward zone",
            host.name
        )
    }

    pub fn ptr_targets(&self) -> CheckResult {
        const ID: &str = "ptr6-targets";
        let mut fb = Feedback::new();
        let mut judged = 0u32;
        let mut right = 0u32;
        for (h, ip) in &self.hosts {
            let ptrs = self.ix.rrset(&reverse_name6(*ip), "PTR");
            if ptrs.is_empty() {
                continue;
            }
            judged += 1;
            let mut ok = true;
            for r in &ptrs {
                match rdata::target(r) {
                    Some(t) if names_equal(t, &h.name) => {}
                    Some(t) => {
                        ok = false;
                        let mut why = self.target_problem(t, h, *ip);
                        if ptrs.len() > 1 {
                            why.push_str(" (give each address one PTR)");
                        }
                        fb.push_record(r, why);
                    }
                    None => {
                        ok = false;
                        fb.push_record(r, "this PTR record does not hold one name");
                    }
                }
            }
            if ok {
                right += 1;
            }
        }
        if judged == 0 {
            return CheckResult::skipped(
                ID,
                "not judged: none of the hosts' IPv6 addresses has a PTR record at its reverse name",
            );
        }
        CheckResult::scored(ID, right, judged, fb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";

    fn ip(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    fn read(owner: &str) -> Result<Ipv6Addr, Option<Ipv6Addr>> {
        let prefix = network6_of(ORIGIN).unwrap();
        let names = Names {
            origin: ORIGIN,
            prefix: &prefix,
            hosts: vec![
                ip("2001:db8:2::1"),
                ip("2001:db8:2::53"),
                ip("2001:db8:2::80"),
            ],
        };
        match names.owner(owner) {
            Owner6::Good(a) => Ok(a),
            Owner6::Bad(_, meant) => Err(meant),
        }
    }

    #[test]
    fn nibble_round_trip() {
        let a = ip("2001:db8:2::53");
        assert_eq!(from_nibbles(&nibbles(a)), Some(a));
        assert_eq!(
            reverse_name6(a),
            "3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
        );
        assert_eq!(from_nibbles(&[1; 31]), None);
        assert_eq!(from_nibbles(&[16; 32]), None);
        assert_eq!(nibble(b"F"), Some(15));
        assert_eq!(nibble(b"g"), None);
        assert_eq!(nibble(b"10"), None);
        assert_eq!(nibble(b""), None);
        assert_eq!(nibble("é".as_bytes()), None);
    }

    #[test]
    fn networks() {
        assert_eq!(
            network6_of("8.b.d.0.1.0.0.2.ip6.arpa."),
            Some(vec![2, 0, 0, 1, 0, 13, 11, 8])
        );
        assert_eq!(network6_of("ip6.arpa."), Some(vec![]));
        assert_eq!(network6_of("db8.1.0.0.2.ip6.arpa."), None);
        assert_eq!(network6_of("2.0.192.in-addr.arpa."), None);
        assert_eq!(network6_of("."), None);
        let all = format!("{}ip6.arpa.", "0.".repeat(32));
        assert_eq!(network6_of(&all), None);
    }

    #[test]
    fn zeros() {
        assert!(zeros_left_out(&[3, 5], &[3, 5, 0, 0, 0]));
        assert!(zeros_left_out(&[3, 5, 2], &[3, 5, 0, 0, 2, 0]));
        assert!(zeros_left_out(&[0, 8], &[0, 8, 0]));
        assert!(zeros_left_out(&[8], &[0, 8, 0]));
        assert!(!zeros_left_out(&[5, 3], &[3, 5, 0]));
        assert!(!zeros_left_out(&[3, 5, 0, 0], &[3, 5, 0]));
        assert!(!zeros_left_out(&[3, 5, 1], &[3, 5, 0]));
    }

    #[test]
    fn owners() {
        let ns1 = ip("2001:db8:2::53");
        let rel = "3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0";
        assert_eq!(read(&format!("{rel}.{ORIGIN}")), Ok(ns1));
        // Upper case is fine.
        assert_eq!(read(&format!("{rel}.{}", ORIGIN.to_uppercase())), Ok(ns1));
        // Another address of the zone (not a host) is a good name.
        assert_eq!(
            read(&format!("3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.{ORIGIN}")),
            Ok(ip("2001:db8:2:1000::53"))
        );
        // Forward order: relative (right length), and the whole address.
        assert_eq!(
            read(&format!("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.3.{ORIGIN}")),
            Err(Some(ns1))
        );
        let fwd = "2.0.0.1.0.d.b.8.0.0.0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5.3";
        assert_eq!(read(&format!("{fwd}.ip6.arpa.")), Err(Some(ns1)));
        assert_eq!(read(&format!("{fwd}.{ORIGIN}")), Err(Some(ns1)));
        // `::` not expanded, relative and absolute, and forward and short.
        assert_eq!(read(&format!("3.5.{ORIGIN}")), Err(Some(ns1)));
        assert_eq!(read(&format!("3.5.0.0.{ORIGIN}")), Err(Some(ns1)));
        assert_eq!(
            read("3.5.2.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."),
            Err(Some(ns1))
        );
        assert_eq!(read("3.5.2.8.b.d.1.0.0.2.ip6.arpa."), Err(Some(ns1)));
        assert_eq!(read(&format!("5.3.{ORIGIN}")), Err(Some(ns1)));
        assert_eq!(
            read(&format!("8.{ORIGIN}")),
            Err(Some(ip("2001:db8:2::80")))
        );
        // Written without the trailing dot, and in full relative.
        let abs = reverse_name6(ns1);
        assert_eq!(read(&format!("{abs}{ORIGIN}")), Err(Some(ns1)));
        let full = abs.trim_end_matches("ip6.arpa.");
        assert_eq!(read(&format!("{full}{ORIGIN}")), Err(Some(ns1)));
        // Labels that are not nibbles, the apex, other trees.
        assert_eq!(read(&format!("53.{ORIGIN}")), Err(None));
        assert_eq!(read(&format!("0053.0.0.0.0.{ORIGIN}")), Err(None));
        assert_eq!(read(ORIGIN), Err(None));
        assert_eq!(read("53.2.0.192.in-addr.arpa."), Err(None));
        assert_eq!(read("ip6.arpa."), Err(None));
        assert_eq!(read("."), Err(None));
        assert_eq!(read(""), Err(None));
        assert_eq!(read("7.7.7.ip6.arpa."), Err(None));
        assert_eq!(read(&format!("{}{ORIGIN}", "f.".repeat(40))), Err(None));
        assert_eq!(read(&format!("{}ip6.arpa.", "1.".repeat(32))), Err(None));
    }
}
