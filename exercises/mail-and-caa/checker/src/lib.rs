//! Checker of `mail-and-caa`: MX with a backup, SPF, DMARC and CAA.
//!
//! Every rubric check is judged from the records and the zone reader's
//! diagnostics. Nothing here indexes or unwraps student data; a problem
//! with the exercise's own params is the only `Err`.

use grader_checker_sdk::mail::{Found, dmarc, spf};
use grader_checker_sdk::names::{address_in_name, missing_dot_advice as dot_advice, short};
use grader_checker_sdk::prelude::*;

/// The most MX records a check examines one by one: a student zone has a
/// handful, and a limit keeps a generated zone with thousands of them
/// within the fuel budget.
const MAX_EXAMINED: usize = 64;

struct MailAndCaa;

/// The exercise's params.
struct Cfg {
    /// Distinct mail hosts (with distinct preferences) the apex needs.
    min_mx: u32,
    /// The CA that `issue` must name (`ca.example.net`).
    issuer: String,
    /// The DMARC policies accepted in `p=`.
    dmarc_policies: Vec<String>,
    /// The URI schemes accepted for `iodef` (`mailto`, `https`).
    iodef_schemes: Vec<String>,
}

impl Cfg {
    fn from_json(text: &str) -> Result<Cfg, String> {
        let p = Params::parse(text)?;
        let issuer = p.get_or("issuer", String::new())?;
        if issuer.trim().is_empty() {
            return Err(p.error(
                "issuer",
                "the exercise must name the CA that CAA `issue` has to allow",
            ));
        }
        let policies = ["none", "quarantine", "reject"].map(String::from).to_vec();
        let schemes = ["mailto", "https"].map(String::from).to_vec();
        Ok(Cfg {
            min_mx: p.get_or("min_mx", 2u32)?.max(1),
            issuer: issuer.trim().trim_end_matches('.').to_string(),
            dmarc_policies: p.get_or("dmarc_policies", policies)?,
            iodef_schemes: p
                .get_or("iodef_schemes", schemes)?
                .into_iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
        })
    }
}

impl Checker for MailAndCaa {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let cfg = Cfg::from_json(&s.params)?;
        let ix = s.zone.index();
        Ok(vec![
            mx_set(&ix, &cfg),
            mx_targets(&ix),
            no_cname_mail(&ix),
            spf_record(&ix),
            dmarc_record(&ix, &cfg),
            caa_issue(&ix, &cfg),
            caa_iodef(&ix, &cfg),
            caa_only_issuer(ix.zone(), &cfg),
        ])
    }
}

grader_checker_sdk::export_checker!(MailAndCaa);

/// The apex MX records that can be read (at most [`MAX_EXAMINED`]):
/// record, preference, target.
fn apex_mx<'a>(ix: &ZoneIndex<'a>) -> Vec<(&'a ZoneRecord, u16, &'a str)> {
    ix.apex_rrset("MX")
        .into_iter()
        .take(MAX_EXAMINED)
        .filter_map(|r| rdata::mx(r).map(|(p, t)| (r, p, t)))
        .collect()
}

/// `mx-set`: at least `min_mx` distinct mail hosts with distinct preferences.
fn mx_set(ix: &ZoneIndex, cfg: &Cfg) -> CheckResult {
    let z = ix.zone();
    let origin = &z.origin;
    let mxs = apex_mx(ix);
    let mut fb = Feedback::new();
    if mxs.is_empty() {
        for r in z.records_of_type("MX") {
            let msg = match dot_advice(&r.owner, origin) {
                Some(advice) => format!("this MX record is not at the apex: {advice}"),
                None => format!(
                    "this MX record is at `{}`; mail for your zone is looked up at the apex: put it at `@`",
                    short(&r.owner, origin)
                ),
            };
            fb.push_record(r, msg);
        }
        fb.push_note(
            "there is no MX record at the apex: add `@ MX 10 mx1` and a backup `@ MX 20 mx2`",
        );
        return CheckResult::failed("mx-set", fb);
    }
    let mut hosts: Vec<&str> = Vec::new();
    for (r, _, t) in &mxs {
        if hosts.iter().any(|h| names_equal(h, t)) {
            fb.push_record(
                r,
                format!(
                    "`{}` already has an MX record: a second one for the same host adds no backup",
                    short(t, origin)
                ),
            );
        } else {
            hosts.push(t);
        }
    }
    let mut prefs: Vec<u16> = mxs.iter().map(|(_, p, _)| *p).collect();
    prefs.sort_unstable();
    prefs.dedup();
    let min = cfg.min_mx as usize;
    if hosts.len() < min {
        let first = mxs.first().map_or(0, |(r, _, _)| r.line);
        fb.push_line(
            first,
            format!(
                "the zone has {} mail host{}; add a backup so mail is still accepted when the first is down \
                 (`@ MX 20 mx2` with `mx2 A ...`): at least {min} are needed",
                hosts.len(),
                if hosts.len() == 1 { "" } else { "s" }
            ),
        );
        return CheckResult::partial("mx-set", 1, 3, fb);
    }
    if prefs.len() < 2 {
        for (r, p, _) in &mxs {
            fb.push_record(r, format!("preference {p}"));
        }
        fb.push_note(
            "every MX record has the same preference: give the backup a larger number (`MX 20`) so senders try the primary first",
        );
        return CheckResult::partial("mx-set", 2, 3, fb);
    }
    CheckResult::passed("mx-set").with_feedback(fb)
}

/// `mx-targets`: each MX target is a host name in the zone with an address.
fn mx_targets(ix: &ZoneIndex) -> CheckResult {
    let origin = &ix.zone().origin;
    let mut records = ix.apex_rrset("MX");
    records.truncate(MAX_EXAMINED);
    if records.is_empty() {
        return CheckResult::skipped(
            "mx-targets",
            "there are no MX records at the apex (see mx-set)",
        );
    }
    // Only the first few CNAME chains are followed.
    let mut chains_left = 8usize;
    let mut fb = Feedback::new();
    let mut good = 0u32;
    for r in &records {
        let Some((pref, target)) = rdata::mx(r) else {
            fb.push_record(r, "this MX record cannot be read");
            continue;
        };
        if names_equal(target, ".") {
            fb.push_record(
                r,
                "`MX 0 .` is a null MX: it says the domain takes no mail (RFC 7505)",
            );
            continue;
        }
        if let Some(ip) = address_in_name(target) {
            fb.push_record(
                r,
                format!(
                    "the MX target is the address `{ip}`, read as the name `{target}`: an MX points at a host name. \
                     Give the host a name with an address record (`mx2 A {ip}`) and write `@ MX {pref} mx2`"
                ),
            );
            continue;
        }
        if let Some(advice) = dot_advice(target, origin) {
            fb.push_record(r, format!("the mail host has no address: {advice}"));
            continue;
        }
        if !is_subdomain(target, origin) {
            fb.push_record(
                r,
                format!("the mail host `{target}` is outside your zone: in this exercise both mail hosts are in your zone"),
            );
            continue;
        }
        let is_cname = ix.first(target, "CNAME").is_some();
        if is_cname && chains_left == 0 {
            fb.push_record(
                r,
                format!(
                    "the mail host `{}` is a CNAME (see no-cname-mail)",
                    short(target, origin)
                ),
            );
            continue;
        }
        let (host, via) = if is_cname {
            chains_left -= 1;
            match ix.cname_chain(target) {
                Ok(chain) => match chain.last().and_then(|c| rdata::target(c)) {
                    Some(end) => (end.to_string(), chain.first().map(|c| c.line)),
                    None => (target.to_string(), None),
                },
                Err(e) => {
                    fb.push_record(
                        r,
                        format!(
                            "the mail host `{}` cannot be resolved: {e}",
                            short(target, origin)
                        ),
                    );
                    continue;
                }
            }
        } else {
            (target.to_string(), None)
        };
        let via_text = via.map_or(String::new(), |l| {
            format!(" (through the CNAME on line {l}; see no-cname-mail)")
        });
        let has_address = ix.has_address(&host);
        if !is_subdomain(&host, origin) {
            fb.push_record(
                r,
                format!(
                    "the mail host `{}` leads out of your zone to `{host}`{via_text}",
                    short(target, origin)
                ),
            );
        } else if !has_address {
            fb.push_record(
                r,
                format!(
                    "the mail host `{}` has no A or AAAA record{via_text}: add `{} A 192.0.2.x`",
                    short(target, origin),
                    short(&host, origin)
                ),
            );
        } else {
            good += 1;
        }
    }
    let n = records.len() as u32;
    match good {
        g if g == n => CheckResult::passed("mx-targets"),
        0 => CheckResult::failed("mx-targets", fb),
        g => {
            fb.push_note(format!(
                "{g} of {n} MX records lead to a host with an address"
            ));
            CheckResult::partial("mx-targets", g, n, fb)
        }
    }
}

/// `no-cname-mail`: neither the apex nor an MX target is a CNAME.
fn no_cname_mail(ix: &ZoneIndex) -> CheckResult {
    let origin = &ix.zone().origin;
    let mut fb = Feedback::new();
    for c in ix.apex_rrset("CNAME") {
        fb.push_record(
            c,
            "a CNAME at the apex: the apex must hold SOA, NS and MX, and a CNAME cannot share its name (RFC 1034 §3.6.2)",
        );
    }
    let mxs = apex_mx(ix);
    if mxs.is_empty() && fb.is_empty() {
        return CheckResult::skipped(
            "no-cname-mail",
            "there are no MX records at the apex (see mx-set)",
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (r, _, t) in &mxs {
        if seen.iter().any(|s| names_equal(s, t)) {
            continue;
        }
        seen.push(t);
        if let Some(c) = ix.first(t, "CNAME") {
            fb.push_record(
                r,
                format!(
                    "this MX points at `{}`, which is a CNAME (line {}): an MX target must be the host's own name, \
                     with A/AAAA records (RFC 2181 §10.3, RFC 5321 §5.1); point the MX at `{}` or replace the CNAME by address records",
                    short(t, origin),
                    c.line,
                    rdata::target(c).map_or_else(|| "the host".to_string(), |x| short(x, origin))
                ),
            );
        }
    }
    CheckResult::passed_unless("no-cname-mail", fb)
}

/// `spf`: one SPF record at the apex with correct syntax and `all` last.
fn spf_record(ix: &ZoneIndex) -> CheckResult {
    match spf::lookup(ix) {
        Found::One(r, report) if report.errors.is_empty() => {
            CheckResult::passed("spf").with_feedback(report.feedback(r))
        }
        Found::One(r, report) => {
            let mut fb = report.feedback(r);
            fb.push_note(
                "receivers treat an SPF record with a syntax error as a permanent error (RFC 7208 §4.6): \
                 the record is there (a third of the points), fix it for the rest",
            );
            CheckResult::partial("spf", 1, 3, fb)
        }
        Found::Missing(fb) | Found::Many(fb) => CheckResult::failed("spf", fb),
    }
}

/// `dmarc`: one DMARC record at `_dmarc` with `v=DMARC1`, a policy and
/// `rua=mailto:`.
fn dmarc_record(ix: &ZoneIndex, cfg: &Cfg) -> CheckResult {
    match dmarc::lookup(ix, &cfg.dmarc_policies, true) {
        Found::Missing(fb) => {
            let note = dmarc::missing_note(&ix.zone().origin, "quarantine");
            CheckResult::failed("dmarc", fb.note(note))
        }
        Found::One(_, report) if report.problems.is_empty() => CheckResult::passed("dmarc"),
        Found::One(r, report) => {
            let fb = report.feedback(r);
            if report.has(dmarc::Part::Version) {
                return CheckResult::partial("dmarc", 1, 3, fb);
            }
            let lost = [dmarc::Part::Policy, dmarc::Part::Rua, dmarc::Part::Other]
                .into_iter()
                .filter(|p| report.has(*p))
                .count() as u32;
            CheckResult::partial("dmarc", 3u32.saturating_sub(lost).max(1), 3, fb)
        }
        Found::Many(fb) => CheckResult::failed("dmarc", fb),
    }
}

/// A CAA record read: record, flags, tag (lower case), value.
struct Caa<'a> {
    rec: &'a ZoneRecord,
    flags: u8,
    tag: String,
    value: String,
}

fn caa_records<'a>(records: impl IntoIterator<Item = &'a ZoneRecord>) -> Vec<Caa<'a>> {
    records
        .into_iter()
        .filter_map(|r| {
            rdata::caa(r).map(|(flags, tag, value)| Caa {
                rec: r,
                flags,
                tag: tag.to_ascii_lowercase(),
                value,
            })
        })
        .collect()
}

/// The issuer domain of an `issue`/`issuewild` value (before any `;`).
fn issuer_of(value: &str) -> &str {
    value.split(';').next().unwrap_or("").trim()
}

/// Feedback on CAA records with one of `tags` that sit below the apex
/// instead of at it.
fn caa_elsewhere(z: &Zone, tags: &[&str], fb: &mut Feedback) {
    let origin = &z.origin;
    for c in caa_records(z.records_of_type("CAA")) {
        let r = c.rec;
        if names_equal(&r.owner, origin) || !tags.contains(&c.tag.as_str()) {
            continue;
        }
        let msg = match dot_advice(&r.owner, origin) {
            Some(advice) => format!("this CAA record is not at the apex: {advice}"),
            None => format!(
                "this CAA record is at `{}` and covers only that name; put CAA at the apex (`@`), where it covers the whole zone",
                short(&r.owner, origin)
            ),
        };
        fb.push_record(r, msg);
    }
}

/// `caa-issue`: a CAA `issue` at the apex for the exercise's CA.
fn caa_issue(ix: &ZoneIndex, cfg: &Cfg) -> CheckResult {
    let z = ix.zone();
    let caas = caa_records(ix.apex_rrset("CAA"));
    let mut fb = Feedback::new();
    let want = &cfg.issuer;
    if caas.is_empty() {
        caa_elsewhere(z, &["issue", "issuewild"], &mut fb);
        fb.push_note(format!(
            "there is no CAA record at the apex: add `@ CAA 0 issue \"{want}\"`"
        ));
        return CheckResult::failed("caa-issue", fb);
    }
    for c in &caas {
        if c.flags != 0 && c.flags != 128 {
            fb.push_record(
                c.rec,
                format!("flags {}: use 0 (or 128 for a critical tag)", c.flags),
            );
        }
        if !matches!(
            c.tag.as_str(),
            "issue" | "issuewild" | "iodef" | "issuemail" | "contactemail" | "contactphone"
        ) {
            let hint = if c.tag.starts_with("iss") || c.tag.starts_with("isu") {
                " (did you mean `issue`?)"
            } else {
                ""
            };
            fb.push_record(
                c.rec,
                format!("`{}` is not a CAA tag{hint}; CAs ignore it", c.tag),
            );
        }
    }
    let issue: Vec<&Caa> = caas.iter().filter(|c| c.tag == "issue").collect();
    let exact = issue
        .iter()
        .find(|c| issuer_of(&c.value).eq_ignore_ascii_case(want));
    let dotted = issue
        .iter()
        .find(|c| names_equal(issuer_of(&c.value), want));
    if exact.is_some() {
        return CheckResult::passed("caa-issue").with_feedback(fb);
    }
    if let Some(c) = dotted {
        fb.push_record(
            c.rec,
            format!("write the CA's domain without a trailing dot (`\"{want}\"`): CAs compare the text as written"),
        );
        return CheckResult::partial("caa-issue", 2, 3, fb);
    }
    if let Some(c) = caas
        .iter()
        .find(|c| c.tag == "issuewild" && names_equal(issuer_of(&c.value), want))
    {
        fb.push_record(
            c.rec,
            format!("`issuewild` covers only wildcard certificates; add `@ CAA 0 issue \"{want}\"` for ordinary ones"),
        );
        return CheckResult::partial("caa-issue", 1, 3, fb);
    }
    for c in &issue {
        let who = issuer_of(&c.value);
        let msg = if who.is_empty() {
            "`issue \";\"` forbids every CA: no certificate can be issued for your zone".to_string()
        } else {
            format!("this record allows `{who}`; the exercise's CA is `{want}`")
        };
        fb.push_record(c.rec, msg);
    }
    fb.push_note(format!("add `@ CAA 0 issue \"{want}\"`"));
    CheckResult::failed("caa-issue", fb)
}

/// `caa-iodef`: a CAA `iodef` at the apex with a `mailto:` or `https:` URL.
fn caa_iodef(ix: &ZoneIndex, cfg: &Cfg) -> CheckResult {
    let z = ix.zone();
    let caas = caa_records(ix.apex_rrset("CAA"));
    let iodefs: Vec<&Caa> = caas.iter().filter(|c| c.tag == "iodef").collect();
    let schemes = cfg
        .iodef_schemes
        .iter()
        .map(|s| format!("{s}:"))
        .collect::<Vec<_>>()
        .join(" or ");
    let mut fb = Feedback::new();
    if iodefs.is_empty() {
        caa_elsewhere(z, &["iodef"], &mut fb);
        fb.push_note(format!(
            "there is no CAA iodef record at the apex: add `@ CAA 0 iodef \"mailto:security@{}\"` so CAs can report refused requests",
            z.origin.trim_end_matches('.')
        ));
        return CheckResult::failed("caa-iodef", fb);
    }
    let mut good = false;
    for c in &iodefs {
        match iodef_problem(&c.value, &cfg.iodef_schemes) {
            None => good = true,
            Some(p) => {
                fb.push_record(c.rec, format!("{p} (accepted: {schemes})"));
            }
        }
    }
    if good {
        CheckResult::passed("caa-iodef").with_feedback(fb)
    } else {
        CheckResult::failed("caa-iodef", fb)
    }
}

/// What is wrong with an iodef URL, if anything.
fn iodef_problem(value: &str, schemes: &[String]) -> Option<String> {
    let v = value.trim();
    let Some((scheme, rest)) = v.split_once(':') else {
        return Some(if v.contains('@') {
            format!("`{v}` is an address, not a URL: write `mailto:{v}`")
        } else {
            format!("`{v}` is not a URL")
        });
    };
    let scheme = scheme.to_ascii_lowercase();
    if !schemes.contains(&scheme) {
        return Some(match scheme.as_str() {
            "http" => format!("`{v}` uses plain http: use https"),
            _ => format!("`{v}`: the scheme `{scheme}:` is not accepted"),
        });
    }
    match scheme.as_str() {
        "mailto" => {
            let ok = rest.split_once('@').is_some_and(|(l, d)| {
                !l.is_empty() && d.contains('.') && !d.contains('@') && !d.ends_with('.')
            });
            (!ok).then(|| format!("`{v}`: `{rest}` is not a mail address"))
        }
        "https" | "http" => {
            let host = rest
                .strip_prefix("//")
                .map(|r| r.split('/').next().unwrap_or(""));
            match host {
                Some(h) if h.contains('.') => None,
                _ => Some(format!(
                    "`{v}` is not a URL such as https://ca-reports.example.net/"
                )),
            }
        }
        _ => (rest.is_empty()).then(|| format!("`{v}` is empty after the scheme")),
    }
}

/// `caa-only-issuer` (hidden): no CAA record anywhere allows another CA.
fn caa_only_issuer(z: &Zone, cfg: &Cfg) -> CheckResult {
    let caas = caa_records(z.records_of_type("CAA"));
    let issuing: Vec<&Caa> = caas
        .iter()
        .filter(|c| c.tag == "issue" || c.tag == "issuewild")
        .collect();
    if issuing.is_empty() {
        return CheckResult::skipped(
            "caa-only-issuer",
            "there are no CAA issue records (see caa-issue)",
        );
    }
    let mut fb = Feedback::new();
    for c in issuing {
        let who = issuer_of(&c.value);
        if !who.is_empty() && !names_equal(who, &cfg.issuer) {
            fb.push_record(
                c.rec,
                format!(
                    "this record also allows `{who}` to issue certificates; only `{}` should",
                    cfg.issuer
                ),
            );
        }
    }
    CheckResult::passed_unless("caa-only-issuer", fb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing;

    const PARAMS: &str = r#"{"dmarc_policies":["none","quarantine","reject"],"iodef_schemes":["mailto","https"],"issuer":"ca.example.net","min_mx":2}"#;
    const IDS: &[&str] = &[
        "mx-set",
        "mx-targets",
        "no-cname-mail",
        "spf",
        "dmarc",
        "caa-issue",
        "caa-iodef",
        "caa-only-issuer",
    ];

    #[test]
    fn odd_zones_never_panic() {
        testing::judge_odd_zones(MailAndCaa::check, PARAMS, IDS);
    }
}
