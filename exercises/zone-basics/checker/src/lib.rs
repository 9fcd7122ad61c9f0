//! Checker of `zone-basics`: a first zone with SOA, NS and glue, a web
//! host, a mail host, SPF and DMARC.
//!
//! Every rubric check is judged from the records and the zone reader's
//! diagnostics. Nothing here indexes or unwraps student data; a problem
//! with the exercise's own params is the only `Err`.

use grader_checker_sdk::mail::{Found, dmarc, spf};
use grader_checker_sdk::names::{
    absolute, address_in_name, labels, missing_dot_advice as dot_advice, missing_trailing_dot,
    short,
};
use grader_checker_sdk::prelude::*;

/// The most records of one RRset (MX, NS) a check examines one by one: a
/// student zone has a handful, and a limit keeps a generated zone with
/// thousands of them within the fuel budget.
const MAX_EXAMINED: usize = 64;

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
        let policies = ["none", "quarantine", "reject"].map(String::from).to_vec();
        Ok(Cfg {
            min_ns: p.get_or("min_ns", 2u32)?.max(1),
            web_host: p.get_or("web_host", String::from("www"))?,
            dmarc_policies: p.get_or("dmarc_policies", policies)?,
        })
    }
}

impl Checker for ZoneBasics {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let cfg = Cfg::from_json(&s.params)?;
        let z = &s.zone;
        let ix = z.index();
        Ok(vec![
            loads(z),
            soa(&ix),
            ns(&ix, &cfg),
            glue(&ix),
            web(&ix, &cfg),
            mx(&ix),
            spf_record(&ix),
            dmarc_record(&ix, &cfg),
        ])
    }
}

grader_checker_sdk::export_checker!(ZoneBasics);

/// `loads`: no error among the reader's diagnostics.
fn loads(z: &Zone) -> CheckResult {
    let errors = z.errors();
    if errors.is_empty() {
        let warnings = z.warnings();
        if warnings.is_empty() {
            return CheckResult::passed("loads");
        }
        let mut fb = Feedback::new().note("the zone loads; the zone reader still warns about:");
        for d in warnings {
            fb.push_line(d.line, format!("warning: {} [{}]", d.message, d.code));
        }
        return CheckResult::passed("loads").with_feedback(fb);
    }
    let mut fb = Feedback::new();
    for d in &errors {
        fb.push_line(d.line, format!("{} [{}]", d.message, d.code));
    }
    fb.push_note(format!(
        "a name server refuses to load a zone with errors ({} here); `grader zone check` shows each one in context",
        errors.len()
    ));
    CheckResult::failed("loads", fb)
}

/// `soa`: one SOA at the apex, with sane fields.
fn soa(ix: &ZoneIndex) -> CheckResult {
    let z = ix.zone();
    let origin = &z.origin;
    let Some(rec) = ix.apex_soa() else {
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
    for extra in ix.apex_rrset("SOA").iter().skip(1) {
        fb.push_record(extra, "a zone has exactly one SOA record: remove this one");
    }
    let rname_labels = labels(soa.rname);
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
    let ns_names: Vec<&str> = ix
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
fn ns(ix: &ZoneIndex, cfg: &Cfg) -> CheckResult {
    let z = ix.zone();
    let origin = &z.origin;
    let mut records = ix.apex_rrset("NS");
    records.truncate(MAX_EXAMINED);
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
fn glue(ix: &ZoneIndex) -> CheckResult {
    let origin = &ix.zone().origin;
    let mut records = ix.apex_rrset("NS");
    records.truncate(MAX_EXAMINED);
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
fn web(ix: &ZoneIndex, cfg: &Cfg) -> CheckResult {
    let z = ix.zone();
    let origin = &z.origin;
    let name = absolute(&cfg.web_host, origin);
    let label = short(&name, origin);
    let cnames = ix.rrset(&name, "CNAME");
    let a = ix.rrset(&name, "A");
    let aaaa = ix.rrset(&name, "AAAA");
    if let Some(c) = cnames.first() {
        let mut fb = Feedback::new().record(
            c,
            format!(
                "`{label}` is a CNAME; the exercise asks for A and AAAA records at `{label}` itself"
            ),
        );
        let others: Vec<&ZoneRecord> = ix
            .records_at(&name)
            .iter()
            .copied()
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
                if let Some(meant) = missing_trailing_dot(&r.owner, origin)
                    && labels(&meant).first().map(Vec::as_slice)
                        == Some(cfg.web_host.to_ascii_lowercase().as_bytes())
                {
                    let written = meant.strip_suffix('.').unwrap_or(&meant);
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
fn mx(ix: &ZoneIndex) -> CheckResult {
    let z = ix.zone();
    let mut records = ix.apex_rrset("MX");
    let all = records.len();
    records.truncate(MAX_EXAMINED);
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
    let mut good = 0u32;
    for r in &records {
        if mx_target_problem(ix, r, &mut fb) {
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
fn mx_target_problem(ix: &ZoneIndex, r: &ZoneRecord, fb: &mut Feedback) -> bool {
    let origin = &ix.zone().origin;
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
fn spf_record(ix: &ZoneIndex) -> CheckResult {
    match spf::lookup(ix) {
        Found::One(r, report) if report.errors.is_empty() => {
            CheckResult::passed("spf").with_feedback(report.feedback(r))
        }
        Found::One(r, report) => {
            let mut fb = report.feedback(r);
            fb.push_note("the SPF record is there (a third of the points), but receivers will not read it as intended");
            CheckResult::partial("spf", 1, 3, fb)
        }
        Found::Missing(fb) | Found::Many(fb) => CheckResult::failed("spf", fb),
    }
}

/// `dmarc`: one DMARC record at `_dmarc`, with `v=DMARC1` and a policy.
fn dmarc_record(ix: &ZoneIndex, cfg: &Cfg) -> CheckResult {
    match dmarc::lookup(ix, &cfg.dmarc_policies, false) {
        Found::Missing(fb) => {
            let note = dmarc::missing_note(&ix.zone().origin, "none");
            CheckResult::failed("dmarc", fb.note(note))
        }
        Found::One(_, report) if report.problems.is_empty() => CheckResult::passed("dmarc"),
        Found::One(r, report) => {
            let fb = report.feedback(r).note(
                "the record is at the right name (half the points); fix its content for the rest",
            );
            CheckResult::partial("dmarc", 1, 2, fb)
        }
        Found::Many(fb) => CheckResult::failed("dmarc", fb),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing;

    const PARAMS: &str =
        r#"{"dmarc_policies":["none","quarantine","reject"],"min_ns":2,"web_host":"www"}"#;
    const IDS: &[&str] = &["loads", "soa", "ns", "glue", "www", "mx", "spf", "dmarc"];

    #[test]
    fn odd_zones_never_panic() {
        testing::judge_odd_zones(ZoneBasics::check, PARAMS, IDS);
    }
}
