//! Checker of `zone-basics`: a first zone with SOA, NS and glue, a web
//! host, a mail host, SPF and DMARC.
//!
//! Every rubric check is judged from the records and the zone reader's
//! diagnostics. Nothing here indexes or unwraps student data; a problem
//! with the exercise's own params is the only `Err`.

mod dmarc;
mod params;
mod spf;
mod util;

use grader_checker_sdk::prelude::*;

use params::Params;
use util::{address_in_name, child, dot_advice, push_capped, short};

struct ZoneBasics;

/// The exercise's params.
struct Cfg {
    /// Name servers the apex needs.
    min_ns: u32,
    /// The label of the web host (`www`).
    web_host: String,
    /// The DMARC policies accepted.
    dmarc_policies: Vec<String>,
}

impl Cfg {
    fn from_json(text: &str) -> Result<Cfg, String> {
        let p = Params::parse(text)?;
        Ok(Cfg {
            min_ns: p.u32_or("min_ns", 2)?.max(1),
            web_host: p.str_or("web_host", "www")?,
            dmarc_policies: p.strs_or("dmarc_policies", &["none", "quarantine", "reject"])?,
        })
    }
}

impl Checker for ZoneBasics {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let cfg = Cfg::from_json(&s.params)?;
        let z = &s.zone;
        Ok(util::cap_results(vec![
            loads(z),
            soa(z),
            ns(z, &cfg),
            glue(z),
            web(z, &cfg),
            mx(z),
            spf_record(z),
            dmarc_record(z, &cfg),
        ]))
    }
}

grader_checker_sdk::export_checker!(ZoneBasics);

/// `loads`: no error among the reader's diagnostics.
fn loads(z: &Zone) -> CheckResult {
    let errors = z.errors();
    if errors.is_empty() {
        let warnings: Vec<(u32, String)> = z
            .warnings()
            .iter()
            .map(|d| (d.line, format!("warning: {} [{}]", d.message, d.code)))
            .collect();
        if warnings.is_empty() {
            return CheckResult::passed("loads");
        }
        let mut fb = Feedback::new().note("the zone loads; the zone reader still warns about:");
        push_capped(&mut fb, &warnings);
        return CheckResult::passed("loads").with_feedback(fb);
    }
    let entries: Vec<(u32, String)> = errors
        .iter()
        .map(|d| (d.line, format!("{} [{}]", d.message, d.code)))
        .collect();
    let mut fb = Feedback::new();
    push_capped(&mut fb, &entries);
    fb.push_note(format!(
        "a name server refuses to load a zone with errors ({} here); `grader zone check` shows each one in context",
        entries.len()
    ));
    CheckResult::failed("loads", fb)
}

/// `soa`: one SOA at the apex, with sane fields.
fn soa(z: &Zone) -> CheckResult {
    let origin = &z.origin;
    let Some(rec) = z.apex_soa() else {
        let mut fb = Feedback::new();
        for r in z.records_of_type("SOA") {
            fb.push_record(
                r,
                format!(
                    "this SOA record is at `{}`, not at the apex `{origin}`",
                    r.owner
                ),
            );
        }
        fb.push_note("the zone needs one SOA record at its apex: `@ IN SOA ns1 hostmaster ( serial refresh retry expire minimum )`");
        return CheckResult::failed("soa", fb);
    };
    let Some(soa) = rdata::soa(rec) else {
        return CheckResult::failed(
            "soa",
            Feedback::new().record(rec, "this SOA record cannot be read"),
        );
    };
    let mut fb = Feedback::new();
    for extra in z.apex_rrset("SOA").iter().skip(1) {
        fb.push_record(extra, "a zone has exactly one SOA record: remove this one");
    }
    let rname_labels = grader_checker_sdk::names::labels(soa.rname);
    if rname_labels.first().is_some_and(|l| l.contains(&b'@')) {
        fb.push_record(
            rec,
            format!(
                "the mailbox (RNAME) `{}` contains `@`: in a SOA record a mailbox is written as a name, \
                 with a dot for the `@` (`{}`)",
                soa.rname.replace("\\@", "@"),
                soa.rname.replacen("\\@", ".", 1)
            ),
        );
    }
    for (what, name) in [
        ("the primary server (MNAME)", soa.mname),
        ("the mailbox (RNAME)", soa.rname),
    ] {
        if let Some(advice) = dot_advice(name, origin) {
            fb.push_record(rec, format!("{what}: {advice}"));
        }
    }
    let ns_names: Vec<&str> = z
        .apex_rrset("NS")
        .iter()
        .filter_map(|r| rdata::target(r))
        .collect();
    if !ns_names.is_empty() && !ns_names.iter().any(|n| names_equal(n, soa.mname)) {
        fb.push_record(
            rec,
            format!(
                "the primary server (MNAME) `{}` is not one of your NS names ({}): name your primary server there",
                soa.mname,
                ns_names.iter().map(|n| short(n, origin)).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    if soa.serial == 0 {
        fb.push_record(
            rec,
            "the serial is 0: use the date form YYYYMMDDnn (2026112901)",
        );
    }
    if soa.retry >= soa.refresh {
        fb.push_record(
            rec,
            format!(
                "retry ({}) must be smaller than refresh ({}); the order of the numbers is serial refresh retry expire minimum",
                soa.retry, soa.refresh
            ),
        );
    }
    if soa.expire <= soa.refresh || soa.expire <= soa.retry {
        fb.push_record(
            rec,
            format!(
                "expire ({}) must be larger than refresh ({}) and retry ({}): secondaries would drop the zone before retrying",
                soa.expire, soa.refresh, soa.retry
            ),
        );
    }
    if soa.minimum > 86400 {
        fb.push_record(
            rec,
            format!(
                "the negative-caching TTL (minimum, {}) is over one day (86400); use 300 to 86400",
                soa.minimum
            ),
        );
    }
    if fb.is_empty() {
        CheckResult::passed("soa")
    } else {
        fb.push_note("the SOA record is there (half the points); fix the above for the rest");
        CheckResult::partial("soa", 1, 2, fb)
    }
}

/// `ns`: at least `min_ns` distinct name servers at the apex.
fn ns(z: &Zone, cfg: &Cfg) -> CheckResult {
    let origin = &z.origin;
    let mut records = z.apex_rrset("NS");
    records.truncate(util::MAX_EXAMINED);
    let mut fb = Feedback::new();
    if records.is_empty() {
        for r in z.records_of_type("NS") {
            fb.push_record(
                r,
                format!("this NS record is at `{}`, not at the apex: the zone's own servers are `@ NS ...`", r.owner),
            );
        }
        fb.push_note(format!(
            "the apex has no NS records: add {} (`@ NS ns1` and `@ NS ns2`)",
            cfg.min_ns
        ));
        return CheckResult::failed("ns", fb);
    }
    let mut names: Vec<&str> = Vec::new();
    for r in &records {
        let Some(t) = rdata::target(r) else {
            fb.push_record(r, "this NS record cannot be read");
            continue;
        };
        if let Some(ip) = address_in_name(t) {
            fb.push_record(
                r,
                format!("`{ip}` is an address: an NS record names a server (`ns1`), whose A record holds the address"),
            );
            continue;
        }
        if names.iter().any(|n| names_equal(n, t)) {
            fb.push_record(
                r,
                format!("`{}` is listed twice: it counts once", short(t, origin)),
            );
            continue;
        }
        names.push(t);
    }
    if names.len() >= cfg.min_ns as usize {
        return CheckResult::passed("ns").with_feedback(fb);
    }
    let lines: Vec<u32> = records.iter().map(|r| r.line).collect();
    fb.push_line(
        lines.first().copied().unwrap_or(0),
        format!(
            "the zone has {} distinct name server{}; it needs at least {}, so that it stays reachable when one is down (RFC 1034 §4.1, RFC 2182 §5)",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            cfg.min_ns
        ),
    );
    CheckResult::failed("ns", fb)
}

/// `glue`: every name server inside the zone has an address record.
fn glue(z: &Zone) -> CheckResult {
    let origin = &z.origin;
    let mut records = z.apex_rrset("NS");
    records.truncate(util::MAX_EXAMINED);
    if records.is_empty() {
        return CheckResult::skipped(
            "glue",
            "the apex has no NS records, so there is nothing to glue (see `ns`)",
        );
    }
    let mut inside: Vec<(&ZoneRecord, &str)> = Vec::new();
    for r in &records {
        if let Some(t) = rdata::target(r)
            && is_subdomain(t, origin)
            && address_in_name(t).is_none()
            && !inside.iter().any(|(_, n)| names_equal(n, t))
        {
            inside.push((r, t));
        }
    }
    if inside.is_empty() {
        return CheckResult::passed("glue").with_feedback(
            "all your name servers are outside the zone, so it needs no glue addresses",
        );
    }
    let names: Vec<&str> = inside.iter().map(|(_, t)| *t).collect();
    let ix = util::NameIndex::new(z, &names);
    let mut fb = Feedback::new();
    let mut good = 0u32;
    for (r, t) in &inside {
        if let Some(c) = ix.first(t, "CNAME") {
            fb.push_record(
                r,
                format!(
                    "the name server `{}` is a CNAME (line {}); an NS target must own its A/AAAA records (RFC 2181 §10.3)",
                    short(t, origin),
                    c.line
                ),
            );
        } else if !ix.has_address(t) {
            match dot_advice(t, origin) {
                Some(advice) => fb.push_record(r, format!("this name server has no address: {advice}")),
                None => fb.push_record(
                    r,
                    format!(
                        "the name server `{0}` is inside your zone but has no A or AAAA record: add `{0} A 192.0.2.x` \
                         (the parent copies it as glue, or nobody can reach `{0}`)",
                        short(t, origin)
                    ),
                ),
            };
        } else {
            good += 1;
        }
    }
    let n = inside.len() as u32;
    match good {
        g if g == n => CheckResult::passed("glue"),
        0 => CheckResult::failed("glue", fb),
        g => {
            fb.push_note(format!("{g} of {n} in-zone name servers have addresses"));
            CheckResult::partial("glue", g, n, fb)
        }
    }
}

/// `www`: the web host has A and AAAA records, and is not a CNAME.
fn web(z: &Zone, cfg: &Cfg) -> CheckResult {
    let origin = &z.origin;
    let name = child(&cfg.web_host, origin);
    let label = short(&name, origin);
    let cnames = z.rrset(&name, "CNAME");
    let a = z.rrset(&name, "A");
    let aaaa = z.rrset(&name, "AAAA");
    if let Some(c) = cnames.first() {
        let mut fb = Feedback::new().record(
            c,
            format!(
                "`{label}` is a CNAME; the exercise asks for A and AAAA records at `{label}` itself"
            ),
        );
        let others: Vec<&ZoneRecord> = z
            .records_at(&name)
            .into_iter()
            .filter(|r| !r.rtype.eq_ignore_ascii_case("CNAME"))
            .collect();
        if let Some(o) = others.first() {
            fb.push_record(
                o,
                format!(
                    "`{label}` also has {} records: a CNAME must be the only record at its name (RFC 1034 §3.6.2), \
                     so the zone does not load; remove the CNAME",
                    o.rtype
                ),
            );
        }
        return CheckResult::failed("www", fb);
    }
    match (a.first(), aaaa.first()) {
        (Some(_), Some(_)) => CheckResult::passed("www"),
        (Some(r), None) => CheckResult::partial(
            "www",
            1,
            2,
            Feedback::new().record(r, format!("`{label}` has an A record but no AAAA: add `{label} AAAA 2001:db8::80` for IPv6")),
        ),
        (None, Some(r)) => CheckResult::partial(
            "www",
            1,
            2,
            Feedback::new().record(r, format!("`{label}` has an AAAA record but no A: add `{label} A 192.0.2.80` for IPv4")),
        ),
        (None, None) => {
            let mut fb = Feedback::new();
            let prefix = format!("{}.", cfg.web_host.to_ascii_lowercase());
            for r in z.records_of_type("A").into_iter().chain(z.records_of_type("AAAA")) {
                // Cheap test first: a zone may hold many address records.
                let starts = r.owner.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(&prefix));
                if !starts {
                    continue;
                }
                if let Some(written) = util::doubled_origin(&r.owner, origin)
                    && grader_checker_sdk::names::labels(&written).first().map(Vec::as_slice)
                        == Some(cfg.web_host.to_ascii_lowercase().as_bytes())
                {
                    fb.push_record(r, format!("this record is owned by `{}`: `{written}` needs a trailing dot", r.owner));
                }
            }
            fb.push_note(format!("there is no A or AAAA record at `{name}`: add `{label} A 192.0.2.80` and `{label} AAAA 2001:db8::80`"));
            CheckResult::failed("www", fb)
        }
    }
}

/// `mx`: MX records at the apex whose targets are in-zone host names with
/// addresses.
fn mx(z: &Zone) -> CheckResult {
    let mut records = z.apex_rrset("MX");
    let all = records.len();
    records.truncate(util::MAX_EXAMINED);
    let mut fb = Feedback::new();
    if records.is_empty() {
        for r in z.records_of_type("MX") {
            fb.push_record(
                r,
                format!("this MX record is at `{}`; mail for your zone is looked up at the apex: put it at `@`", r.owner),
            );
        }
        fb.push_note(
            "there is no MX record at the apex: add `@ MX 10 mail` and `mail A 192.0.2.25`",
        );
        return CheckResult::failed("mx", fb);
    }
    let targets: Vec<&str> = records
        .iter()
        .filter_map(|r| rdata::mx(r).map(|(_, t)| t))
        .collect();
    let ix = util::NameIndex::new(z, &targets);
    let mut good = 0u32;
    for r in &records {
        if mx_target_problem(z, &ix, r, &mut fb) {
            continue;
        }
        good += 1;
    }
    if all > records.len() {
        fb.push_note(format!(
            "only the first {} of {all} MX records were examined",
            records.len()
        ));
    }
    let n = records.len() as u32;
    match good {
        g if g == n => CheckResult::passed("mx"),
        0 => CheckResult::failed("mx", fb),
        g => {
            fb.push_note(format!("{g} of {n} MX records point at a usable mail host"));
            CheckResult::partial("mx", g, n, fb)
        }
    }
}

/// Adds what is wrong with the target of MX record `r`; true when something is.
fn mx_target_problem(z: &Zone, ix: &util::NameIndex, r: &ZoneRecord, fb: &mut Feedback) -> bool {
    let origin = &z.origin;
    let Some((pref, target)) = rdata::mx(r) else {
        fb.push_record(r, "this MX record cannot be read");
        return true;
    };
    if names_equal(target, ".") {
        fb.push_record(r, "`MX 0 .` is a null MX: it says the domain takes no mail (RFC 7505); point MX at your mail host");
    } else if let Some(ip) = address_in_name(target) {
        fb.push_record(
            r,
            format!(
                "the MX target is the address `{ip}`, read as the name `{target}`: an MX points at a host name. \
                 Add `mail A {ip}` and write `@ MX {pref} mail`"
            ),
        );
    } else if let Some(advice) = dot_advice(target, origin) {
        fb.push_record(r, format!("the mail host has no address: {advice}"));
    } else if !is_subdomain(target, origin) {
        fb.push_record(
            r,
            format!("the mail host `{target}` is outside your zone: for this exercise give your zone its own mail host (`mail A ...`)"),
        );
    } else if let Some(c) = ix.first(target, "CNAME") {
        fb.push_record(
            r,
            format!(
                "the mail host `{}` is a CNAME (line {}): an MX must point at a name that owns A/AAAA records, not an alias (RFC 2181 §10.3)",
                short(target, origin),
                c.line
            ),
        );
    } else if !ix.has_address(target) {
        fb.push_record(
            r,
            format!(
                "the mail host `{0}` has no A or AAAA record: add `{0} A 192.0.2.25`",
                short(target, origin)
            ),
        );
    } else {
        return false;
    }
    true
}

/// `spf`: one SPF TXT record at the apex ending with an `all` mechanism.
fn spf_record(z: &Zone) -> CheckResult {
    let origin = &z.origin;
    let found: Vec<(&ZoneRecord, String)> = z
        .apex_rrset("TXT")
        .into_iter()
        .map(|r| (r, rdata::txt_text(r)))
        .filter(|(_, t)| spf::is_spf(t))
        .collect();
    let mut fb = Feedback::new();
    match found.as_slice() {
        [] => {
            for r in z.apex_rrset("TXT") {
                if spf::looks_like_spf(&rdata::txt_text(r)) {
                    fb.push_record(
                        r,
                        "this TXT record looks like SPF but does not start with `v=spf1 ` exactly",
                    );
                }
            }
            for r in z.apex_rrset("SPF") {
                fb.push_record(r, "the SPF record type is obsolete (RFC 7208 §3.1): publish the policy as a TXT record");
            }
            for r in z.records_of_type("TXT") {
                if !names_equal(&r.owner, origin) && spf::is_spf(&rdata::txt_text(r)) {
                    let msg = match dot_advice(&r.owner, origin) {
                        Some(advice) => format!("this SPF record is not at the apex: {advice}"),
                        None => format!(
                            "this SPF record is at `{}`; mail receivers look for it at the apex (`@`)",
                            short(&r.owner, origin)
                        ),
                    };
                    fb.push_record(r, msg);
                }
            }
            for d in z.diagnostics.iter().filter(|d| d.code == "string-too-long") {
                fb.push_line(
                    d.line,
                    "this TXT record was dropped: one string holds at most 255 characters, so split a long \
                     SPF record into several quoted strings (\"v=spf1 ... \" \"... -all\")",
                );
            }
            fb.push_note("there is no SPF record at the apex: add `@ TXT \"v=spf1 mx -all\"`");
            CheckResult::failed("spf", fb)
        }
        [(r, text)] => {
            let report = spf::check(text);
            if report.errors.is_empty() {
                for n in &report.notes {
                    fb.push_record(r, n);
                }
                return CheckResult::passed("spf").with_feedback(fb);
            }
            for e in report.errors.iter().chain(&report.notes) {
                fb.push_record(r, e);
            }
            fb.push_note("the SPF record is there (a third of the points), but receivers will not read it as intended");
            CheckResult::partial("spf", 1, 3, fb)
        }
        many => {
            for (r, _) in many {
                fb.push_record(r, "an SPF record");
            }
            fb.push_note(format!(
                "there are {} SPF records at the apex: receivers then fail SPF with a permanent error (RFC 7208 §4.5); merge them into one",
                many.len()
            ));
            CheckResult::failed("spf", fb)
        }
    }
}

/// `dmarc`: one DMARC record at `_dmarc`, with `v=DMARC1` and a policy.
fn dmarc_record(z: &Zone, cfg: &Cfg) -> CheckResult {
    let origin = &z.origin;
    let name = child("_dmarc", origin);
    let at_name = z.rrset(&name, "TXT");
    let found: Vec<(&ZoneRecord, String)> = at_name
        .iter()
        .map(|r| (*r, rdata::txt_text(r)))
        .filter(|(_, t)| dmarc::looks_like_dmarc(t))
        .collect();
    let mut fb = Feedback::new();
    match found.as_slice() {
        [] => {
            for r in &at_name {
                fb.push_record(
                    r,
                    "this TXT record at `_dmarc` does not start with `v=DMARC1`",
                );
            }
            for r in z.records_of_type("TXT") {
                if names_equal(&r.owner, &name) || !dmarc::looks_like_dmarc(&rdata::txt_text(r)) {
                    continue;
                }
                let msg = match dot_advice(&r.owner, origin) {
                    Some(advice) => format!("this DMARC record is at the wrong name: {advice}"),
                    None => format!(
                        "this DMARC record is at `{}`; receivers look for it only at `_dmarc.{origin}` (RFC 7489 §6.1): put it at `_dmarc`",
                        short(&r.owner, origin)
                    ),
                };
                fb.push_record(r, msg);
            }
            fb.push_note(format!(
                "there is no DMARC record at `{name}`: add `_dmarc TXT \"v=DMARC1; p=none; rua=mailto:dmarc@{}\"`",
                origin.trim_end_matches('.')
            ));
            CheckResult::failed("dmarc", fb)
        }
        [(r, text)] => {
            let report = dmarc::check(text, &cfg.dmarc_policies, false);
            if report.problems.is_empty() {
                return CheckResult::passed("dmarc");
            }
            for (_, p) in &report.problems {
                fb.push_record(r, p);
            }
            if report.has(dmarc::Part::Version) {
                fb.push_note("receivers ignore a TXT record at `_dmarc` that does not start with exactly `v=DMARC1`");
            }
            fb.push_note(
                "the record is at the right name (half the points); fix its content for the rest",
            );
            CheckResult::partial("dmarc", 1, 2, fb)
        }
        many => {
            for (r, _) in many {
                fb.push_record(r, "a DMARC record");
            }
            fb.push_note("more than one DMARC record at `_dmarc`: receivers then ignore DMARC (RFC 7489 §6.6.3); keep one");
            CheckResult::failed("dmarc", fb)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing;

    const PARAMS: &str =
        r#"{"dmarc_policies":["none","quarantine","reject"],"min_ns":2,"web_host":"www"}"#;
    const IDS: &[&str] = &["loads", "soa", "ns", "glue", "www", "mx", "spf", "dmarc"];
    const O: &str = "grp7.lab.example.";

    fn run_with(origin: &str, time: i64, records: &[(&str, &str, &str)]) -> Vec<CheckResult> {
        let mut s = testing::submission(testing::zone(origin, records));
        s.params = PARAMS.into();
        s.grading_time = time;
        let out = ZoneBasics::check(s).expect("the checker judges any zone");
        let ids: Vec<&str> = out.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, IDS);
        for r in &out {
            if let Status::Partial(f) = r.status {
                assert!(f.denominator > 0 && f.numerator <= f.denominator, "{r:?}");
            }
        }
        out
    }

    fn run(records: &[(&str, &str, &str)]) -> Vec<CheckResult> {
        run_with(O, 1_795_946_400, records)
    }

    #[test]
    fn odd_zones_never_panic() {
        let odd: &[&[(&str, &str, &str)]] = &[
            &[],
            &[(O, "SOA", "")],
            &[(O, "SOA", "a. b. x y z w v")],
            &[(O, "SOA", "a. b. 4294967295 0 0 0 4294967295")],
            &[
                (O, "SOA", "a. b. 0 4294967295 4294967295 4294967295 0"),
                (O, "SOA", "a. b. 1 2 3 4 5"),
            ],
            &[
                (O, "NS", ""),
                (O, "NS", "a b"),
                (O, "MX", "garbage"),
                (O, "MX", "99999 x."),
                (O, "TXT", "\"v=spf1"),
                (
                    O,
                    "TXT",
                    "\"v=spf1 ip4:\u{e9} ip6:/ a:/ mx:/// include: ~all -all +all\"",
                ),
                (O, "TXT", "\"v=spf1 \\"),
                (
                    "_dmarc.grp7.lab.example.",
                    "TXT",
                    "\"v=DMARC1;;=;p;rua=;rua=mailto:;pct=x\"",
                ),
                ("_dmarc.grp7.lab.example.", "CNAME", ""),
                (O, "CAA", "0"),
                (O, "CAA", "0 issue \"\""),
                (O, "CAA", "300 iodef \"mailto:\""),
                (O, "CAA", "0 iodef \"https:\""),
                (O, "A", "not an address"),
                ("www.grp7.lab.example.", "CNAME", "www.grp7.lab.example."),
            ],
            &[
                (O, "MX", "10 ."),
                (O, "MX", "10 loop.grp7.lab.example."),
                (O, "MX", "20 two.grp7.lab.example."),
                (O, "MX", "30 192.0.2.1.grp7.lab.example."),
                (O, "MX", "40 2001:db8::1."),
                ("loop.grp7.lab.example.", "CNAME", "loop.grp7.lab.example."),
                ("two.grp7.lab.example.", "CNAME", "a.grp7.lab.example."),
                ("two.grp7.lab.example.", "CNAME", "b.grp7.lab.example."),
                (O, "NS", "grp7.lab.example.grp7.lab.example."),
                (
                    O,
                    "SOA",
                    "grp7.lab.example.grp7.lab.example. @\\@. 99999999 1 1 1 1",
                ),
            ],
        ];
        for z in odd {
            run(z);
        }
        run_with(
            ".",
            0,
            &[
                (".", "SOA", "a. b. 1 2 3 4 5"),
                (".", "NS", "a."),
                (".", "MX", "0 ."),
            ],
        );
        run_with(O, i64::MIN, &[(O, "SOA", "a. b. 2026112901 2 3 4 5")]);
        run_with(O, i64::MAX, &[(O, "SOA", "a. b. 2026112901 2 3 4 5")]);
    }
}
