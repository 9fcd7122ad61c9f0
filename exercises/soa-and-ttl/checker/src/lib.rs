//! Checker of `soa-and-ttl`: the SOA record's serial, timers and names,
//! and a TTL policy for the whole zone.
//!
//! Every rubric check is judged from the records and the grading time.
//! Nothing here indexes or unwraps student data; a problem with the
//! exercise's own params is the only `Err`.

mod date;

use grader_checker_sdk::names::{labels, missing_dot_advice as dot_advice, short};
use grader_checker_sdk::prelude::*;

use date::Date;

struct SoaAndTtl;

/// The exercise's params.
struct Cfg {
    min_ttl: u32,
    max_ttl: u32,
    /// Least TTL of the SOA and apex NS RRsets.
    infra_min_ttl: u32,
    refresh_min: u32,
    retry_min: u32,
    expire_min: u32,
    minimum_min: u32,
    minimum_max: u32,
    /// How old the serial's date may be (hidden check `serial-recent`).
    serial_max_age_days: u32,
}

impl Cfg {
    fn from_json(text: &str) -> Result<Cfg, String> {
        let p = Params::parse(text)?;
        let cfg = Cfg {
            min_ttl: p.get_or("min_ttl", 300)?,
            max_ttl: p.get_or("max_ttl", 86400)?,
            infra_min_ttl: p.get_or("infra_min_ttl", 3600)?,
            refresh_min: p.get_or("refresh_min", 14400)?,
            retry_min: p.get_or("retry_min", 3600)?,
            expire_min: p.get_or("expire_min", 604_800)?,
            minimum_min: p.get_or("minimum_min", 300)?,
            minimum_max: p.get_or("minimum_max", 86400)?,
            serial_max_age_days: p.get_or("serial_max_age_days", 30)?,
        };
        if cfg.min_ttl > cfg.max_ttl || cfg.minimum_min > cfg.minimum_max {
            return Err(
                "params: min_ttl must not exceed max_ttl, nor minimum_min minimum_max".into(),
            );
        }
        Ok(cfg)
    }
}

/// The apex SOA, read, or why the SOA checks cannot judge it.
enum SoaState<'a> {
    Ok(&'a ZoneRecord, Soa<'a>),
    Missing,
    Unreadable(&'a ZoneRecord),
}

impl SoaState<'_> {
    /// The result for a check that needs the SOA, when there is none.
    fn unusable(&self, id: &str) -> Option<CheckResult> {
        match self {
            SoaState::Ok(..) => None,
            SoaState::Missing => Some(CheckResult::failed(
                id,
                "there is no SOA record at the zone apex: add `@ IN SOA ns1 hostmaster ( serial refresh retry expire minimum )`",
            )),
            SoaState::Unreadable(r) => Some(CheckResult::failed(
                id,
                Feedback::new().record(r, "this SOA record cannot be read"),
            )),
        }
    }
}

impl Checker for SoaAndTtl {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let cfg = Cfg::from_json(&s.params)?;
        let z = &s.zone;
        let ix = z.index();
        let state = match ix.apex_soa() {
            None => SoaState::Missing,
            Some(r) => match rdata::soa(r) {
                Some(soa) => SoaState::Ok(r, soa),
                None => SoaState::Unreadable(r),
            },
        };
        let today = Date::from_unix(s.grading_time);
        let (serial_format, serial_date) = serial_format(&state, today);
        let sets = ix.rrsets();
        Ok(vec![
            serial_format,
            soa_timers(&state, &cfg),
            soa_rname(&state, z),
            soa_mname(&state, &ix),
            ttl_range(z, &sets, &state, &cfg),
            ttl_infra(&ix, &state, &cfg),
            ttl_rrset(z, &sets),
            serial_recent(serial_date, today, &cfg),
        ])
    }
}

grader_checker_sdk::export_checker!(SoaAndTtl);

/// `serial-format`: YYYYMMDDnn with a real date not after the grading day
/// (one day of slack for time zones). Also returns the serial's date when
/// the check passed, for `serial-recent`.
fn serial_format(state: &SoaState, today: Date) -> (CheckResult, Option<Date>) {
    const ID: &str = "serial-format";
    if let Some(r) = state.unusable(ID) {
        return (r, None);
    }
    let SoaState::Ok(rec, soa) = state else {
        return (
            CheckResult::failed(ID, "there is no readable SOA record"),
            None,
        );
    };
    let serial = soa.serial;
    let text = serial.to_string();
    let form = "the form is YYYYMMDDnn: the date of the change and a two-digit change number, such as 2026112901";
    if text.len() != 10 {
        let mut fb = Feedback::new().record(
            rec,
            format!(
                "the serial {serial} has {} digit{}; {form}",
                text.len(),
                if text.len() == 1 { "" } else { "s" }
            ),
        );
        if text.len() == 8 && Date::parse_yyyymmdd(&text).is_some() {
            fb.push_note(format!(
                "{serial} is only a date: add the change number, `{serial}01`"
            ));
        } else if text.len() == 9 && Date::parse_yyyymmdd(text.get(..8).unwrap_or("")).is_some() {
            fb.push_note(format!(
                "the change number has one digit: write it with two, `{}0{}`",
                text.get(..8).unwrap_or(""),
                text.get(8..).unwrap_or("")
            ));
        }
        return (CheckResult::failed(ID, fb), None);
    }
    let Some(date) = Date::parse_yyyymmdd(text.get(..8).unwrap_or("")) else {
        let mut fb = Feedback::new().record(
            rec,
            format!(
                "the serial {serial} does not start with a real date (year {}, month {}, day {}); {form}",
                text.get(..4).unwrap_or(""),
                text.get(4..6).unwrap_or(""),
                text.get(6..8).unwrap_or("")
            ),
        );
        let unix_now = today.to_unix();
        if (1_000_000_000..=unix_now.saturating_add(366 * 86400)).contains(&i64::from(serial)) {
            fb.push_note(format!(
                "{serial} looks like a Unix time ({}): some tools write that, but this course uses the date form",
                Date::from_unix(i64::from(serial))
            ));
        }
        return (CheckResult::failed(ID, fb), None);
    };
    if date.days() > today.days().saturating_add(1) {
        let fb = Feedback::new().record(
            rec,
            format!(
                "the serial's date {date} is after the grading date {today}: a serial in the future cannot be \
                 lowered again without an RFC 1982 serial wrap; use today's date"
            ),
        );
        return (
            CheckResult::partial(
                ID,
                1,
                3,
                fb.note("the form YYYYMMDDnn is right (a third of the points)"),
            ),
            None,
        );
    }
    (CheckResult::passed(ID), Some(date))
}

/// `serial-recent` (hidden): the serial's date is at most
/// `serial_max_age_days` before the grading date.
fn serial_recent(date: Option<Date>, today: Date, cfg: &Cfg) -> CheckResult {
    const ID: &str = "serial-recent";
    let Some(date) = date else {
        return CheckResult::skipped(ID, "the serial is not a valid date (see serial-format)");
    };
    let age = today.days().saturating_sub(date.days());
    if age <= i64::from(cfg.serial_max_age_days) {
        return CheckResult::passed(ID);
    }
    CheckResult::failed(
        ID,
        format!(
            "the serial's date {date} is {age} days before the grading date {today} (at most {} expected): \
             an old zone reused, or the serial not updated after the changes",
            cfg.serial_max_age_days
        ),
    )
}

/// `soa-timers`: refresh, retry, expire and minimum within the bounds of
/// RFC 1912 §2.2 and Zonemaster, and in a consistent order.
fn soa_timers(state: &SoaState, cfg: &Cfg) -> CheckResult {
    const ID: &str = "soa-timers";
    if let Some(r) = state.unusable(ID) {
        return r;
    }
    let SoaState::Ok(rec, soa) = state else {
        return CheckResult::failed(ID, "there is no readable SOA record");
    };
    let (refresh, retry, expire, minimum) = (soa.refresh, soa.retry, soa.expire, soa.minimum);
    let rules: [(bool, String); 6] = [
        (
            refresh >= cfg.refresh_min,
            format!(
                "refresh is {refresh} s: use at least {} ({})",
                cfg.refresh_min,
                human(cfg.refresh_min)
            ),
        ),
        (
            retry >= cfg.retry_min,
            format!(
                "retry is {retry} s: use at least {} ({})",
                cfg.retry_min,
                human(cfg.retry_min)
            ),
        ),
        (
            retry < refresh,
            format!(
                "retry ({retry} s) must be smaller than refresh ({refresh} s): a secondary retries a failed refresh sooner than it refreshes"
            ),
        ),
        (
            expire >= cfg.expire_min,
            format!(
                "expire is {expire} s: use at least {} ({})",
                cfg.expire_min,
                human(cfg.expire_min)
            ),
        ),
        (
            expire > refresh && expire > retry,
            format!(
                "expire ({expire} s) must be larger than refresh ({refresh} s) and retry ({retry} s), or secondaries drop the zone before they retry"
            ),
        ),
        (
            (cfg.minimum_min..=cfg.minimum_max).contains(&minimum),
            format!(
                "minimum (the negative-caching TTL) is {minimum} s: use {} to {} ({} to {})",
                cfg.minimum_min,
                cfg.minimum_max,
                human(cfg.minimum_min),
                human(cfg.minimum_max)
            ),
        ),
    ];
    let ok = rules.iter().filter(|(good, _)| *good).count() as u32;
    let total = rules.len() as u32;
    if ok == total {
        return CheckResult::passed(ID);
    }
    let mut fb = Feedback::new();
    for (_, msg) in rules.iter().filter(|(good, _)| !*good) {
        fb.push_record(rec, msg);
    }
    let swapped_ok = retry > refresh && retry >= cfg.refresh_min && refresh >= cfg.retry_min;
    if swapped_ok {
        fb.push_note("refresh and retry look swapped: the order of the numbers is serial, refresh, retry, expire, minimum");
    } else if minimum > expire {
        fb.push_note("expire and minimum look swapped: the order of the numbers is serial, refresh, retry, expire, minimum");
    }
    fb.push_note(format!("{ok} of {total} timer rules hold"));
    CheckResult::scored(ID, ok, total, fb)
}

/// `soa-rname`: the responsible mailbox is written as a domain name.
fn soa_rname(state: &SoaState, z: &Zone) -> CheckResult {
    const ID: &str = "soa-rname";
    if let Some(r) = state.unusable(ID) {
        return r;
    }
    let SoaState::Ok(rec, soa) = state else {
        return CheckResult::failed(ID, "there is no readable SOA record");
    };
    let origin = &z.origin;
    let ls = labels(soa.rname);
    let mut fb = Feedback::new();
    if ls.iter().any(|l| l.contains(&b'@')) {
        fb.push_record(
            rec,
            format!(
                "the mailbox (RNAME) `{}` contains `@`: in a SOA record the `@` of the address is written as a dot: `{}`",
                soa.rname.replace("\\@", "@"),
                soa.rname.replacen("\\@", ".", 1)
            ),
        );
    }
    if let Some(advice) = dot_advice(soa.rname, origin) {
        fb.push_record(rec, format!("the mailbox (RNAME): {advice}"));
    }
    if ls.len() < 2 {
        fb.push_record(
            rec,
            format!(
                "the mailbox (RNAME) `{}` is not a mailbox: write it as `hostmaster.{origin}` (for hostmaster@{})",
                soa.rname,
                origin.trim_end_matches('.')
            ),
        );
    }
    CheckResult::passed_unless(ID, fb)
}

/// `soa-mname`: the primary server named in the SOA is one of the zone's
/// NS names.
fn soa_mname(state: &SoaState, ix: &ZoneIndex) -> CheckResult {
    const ID: &str = "soa-mname";
    if let Some(r) = state.unusable(ID) {
        return r;
    }
    let SoaState::Ok(rec, soa) = state else {
        return CheckResult::failed(ID, "there is no readable SOA record");
    };
    let origin = &ix.zone().origin;
    let ns: Vec<&str> = ix
        .apex_rrset("NS")
        .iter()
        .filter_map(|r| rdata::target(r))
        .collect();
    if ns.is_empty() {
        return CheckResult::failed(
            ID,
            Feedback::new().record(rec, "the zone has no NS records at the apex, so the primary server cannot be one of them"),
        );
    }
    if ns.iter().any(|n| names_equal(n, soa.mname)) {
        return CheckResult::passed(ID);
    }
    let list = ns
        .iter()
        .map(|n| format!("`{}`", short(n, origin)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut fb = Feedback::new();
    match dot_advice(soa.mname, origin) {
        Some(advice) => fb.push_record(rec, format!("the primary server (MNAME): {advice}")),
        None => fb.push_record(
            rec,
            format!(
                "the primary server (MNAME) `{}` is not one of your name servers ({list}): \
                 name the primary there, as NOTIFY and dynamic updates go to it (RFC 1996, RFC 2136)",
                soa.mname
            ),
        ),
    };
    CheckResult::failed(ID, fb)
}

/// A note when the TTLs suggest a forgotten `$TTL`: without it, the SOA
/// takes its MINIMUM as TTL and later records reuse that TTL.
fn forgotten_ttl_note(state: &SoaState, offenders: &[&ZoneRecord]) -> Option<String> {
    let SoaState::Ok(rec, soa) = state else {
        return None;
    };
    (rec.ttl == soa.minimum && offenders.iter().any(|r| r.ttl == soa.minimum)).then(|| {
        format!(
            "these TTLs equal the SOA's negative-caching value ({}): if your file has no `$TTL` line, that is why: \
             without it the SOA takes its MINIMUM as TTL and the records after it reuse that TTL; put `$TTL 3600` \
             on the first line",
            soa.minimum
        )
    })
}

/// `ttl-range`: every TTL between `min_ttl` and `max_ttl`.
fn ttl_range(z: &Zone, sets: &[Vec<&ZoneRecord>], state: &SoaState, cfg: &Cfg) -> CheckResult {
    const ID: &str = "ttl-range";
    if sets.is_empty() {
        return CheckResult::failed(ID, "the zone has no records");
    }
    let mut fb = Feedback::new();
    let mut offenders: Vec<&ZoneRecord> = Vec::new();
    let mut bad_sets = 0u32;
    for set in sets {
        let bad: Vec<&&ZoneRecord> = set
            .iter()
            .filter(|r| r.ttl < cfg.min_ttl || r.ttl > cfg.max_ttl)
            .collect();
        if bad.is_empty() {
            continue;
        }
        bad_sets += 1;
        for r in bad {
            let which = if r.ttl < cfg.min_ttl {
                "below the minimum"
            } else {
                "above the maximum"
            };
            fb.push_record(
                r,
                format!(
                    "the {} record of `{}` has TTL {} ({}), {which}: use {} to {}",
                    r.rtype,
                    short(&r.owner, &z.origin),
                    r.ttl,
                    human(r.ttl),
                    cfg.min_ttl,
                    cfg.max_ttl
                ),
            );
            offenders.push(r);
        }
    }
    if bad_sets == 0 {
        return CheckResult::passed(ID);
    }
    let total = sets.len() as u32;
    let good = total - bad_sets;
    if let Some(note) = forgotten_ttl_note(state, &offenders) {
        fb.push_note(note);
    }
    fb.push_note(format!("{good} of {total} RRsets keep to the TTL range"));
    CheckResult::scored(ID, good, total, fb)
}

/// `ttl-infra`: the SOA and apex NS RRsets have TTLs of at least
/// `infra_min_ttl`.
fn ttl_infra(ix: &ZoneIndex, state: &SoaState, cfg: &Cfg) -> CheckResult {
    const ID: &str = "ttl-infra";
    let soa: Vec<&ZoneRecord> = ix.apex_soa().into_iter().collect();
    let ns = ix.apex_rrset("NS");
    let groups: Vec<(&str, Vec<&ZoneRecord>)> = [("SOA", soa), ("NS", ns)]
        .into_iter()
        .filter(|(_, g)| !g.is_empty())
        .collect();
    if groups.is_empty() {
        return CheckResult::skipped(ID, "the zone has neither SOA nor NS records at the apex");
    }
    let mut fb = Feedback::new();
    let mut offenders: Vec<&ZoneRecord> = Vec::new();
    let mut good = 0u32;
    for (name, group) in &groups {
        let low: Vec<&&ZoneRecord> = group.iter().filter(|r| r.ttl < cfg.infra_min_ttl).collect();
        if low.is_empty() {
            good += 1;
            continue;
        }
        for r in low {
            fb.push_record(
                r,
                format!(
                    "the apex {name} record has TTL {} ({}): the records that hold the zone together change rarely; \
                     give them at least {} ({})",
                    r.ttl,
                    human(r.ttl),
                    cfg.infra_min_ttl,
                    human(cfg.infra_min_ttl)
                ),
            );
            offenders.push(r);
        }
    }
    let total = groups.len() as u32;
    if good == total {
        return CheckResult::passed(ID);
    }
    if let Some(note) = forgotten_ttl_note(state, &offenders) {
        fb.push_note(note);
    }
    CheckResult::scored(ID, good, total, fb)
}

/// `ttl-rrset`: all records of one RRset have the same TTL (RFC 2181 §5.2).
fn ttl_rrset(z: &Zone, sets: &[Vec<&ZoneRecord>]) -> CheckResult {
    const ID: &str = "ttl-rrset";
    let mut fb = Feedback::new();
    for set in sets {
        let Some(first) = set.first() else { continue };
        if set.iter().all(|r| r.ttl == first.ttl) {
            continue;
        }
        let list = set
            .iter()
            .map(|r| format!("{} on line {}", r.ttl, r.line))
            .collect::<Vec<_>>()
            .join(", ");
        let line = set
            .iter()
            .find(|r| r.ttl != first.ttl)
            .map_or(first.line, |r| r.line);
        fb.push_line(
            line,
            format!(
                "the {} records of `{}` have different TTLs ({list}): an RRset has one TTL, and resolvers \
                 treat it as the lowest (RFC 2181 §5.2); give them all the same",
                first.rtype,
                short(&first.owner, &z.origin)
            ),
        );
    }
    CheckResult::passed_unless(ID, fb)
}

/// Seconds in the largest exact unit (`3600` → `1h`).
fn human(secs: u32) -> String {
    for (unit, n) in [("w", 604_800u32), ("d", 86400), ("h", 3600), ("m", 60)] {
        if secs >= n && secs.is_multiple_of(n) {
            return format!("{}{unit}", secs / n);
        }
    }
    format!("{secs}s")
}

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing;

    const PARAMS: &str = r#"{"min_ttl":300,"max_ttl":86400}"#;
    const IDS: &[&str] = &[
        "serial-format",
        "soa-timers",
        "soa-rname",
        "soa-mname",
        "ttl-range",
        "ttl-infra",
        "ttl-rrset",
        "serial-recent",
    ];

    #[test]
    fn odd_zones_never_panic() {
        testing::judge_odd_zones(SoaAndTtl::check, PARAMS, IDS);
    }

    #[test]
    fn odd_serials_at_odd_times() {
        let o = testing::ODD_ORIGIN;
        for serial in [
            "1795940000",
            "20261129",
            "202611291",
            "2026022901",
            "4294967295",
        ] {
            for t in [i64::MIN, -1, 0, 1_795_946_400, i64::MAX] {
                let soa = format!("a. b. {serial} 2 3 4 5");
                let mut s = testing::submission(testing::zone(o, &[(o, "SOA", &soa)]));
                s.params = PARAMS.into();
                s.grading_time = t;
                let out = SoaAndTtl::check(s).expect("the checker judges any zone");
                testing::assert_well_formed(&out, IDS);
            }
        }
    }
}
