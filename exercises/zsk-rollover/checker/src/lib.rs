//! Checker for the ZSK rollover lab (pre-publication method, RFC 7583
//! §3.2.1): the learner hands in two snapshots of the signed zone
//! `<id>.lab.example.`:
//!
//! - the main zone, stage "pre-publish": the KSK, the old ZSK and the new
//!   ZSK are published; the old ZSK signs the data, the new one nothing; the
//!   KSK signs the DNSKEY set;
//! - the extra zone `new-rrsigs` (`params.stage2`), stage "new RRSIGs": the
//!   same three keys; the new ZSK signs the data, the old one nothing.
//!
//! Both stages must validate at grading time, and the KSK must be the same
//! in both (its DS is at the parent). The grader validates each zone and
//! hands the verdicts over in `zone.dnssec` (interface 1.1.0): this checker
//! works out which key is which and explains every lost point with key
//! tags, lines and codes.
//!
//! Which ZSK is old and which new comes from what they sign: the old ZSK
//! signs at the pre-publish stage and stops at the next; the new one signs
//! at the second stage. Keys are told apart by their public key (the DNSKEY
//! record's data), not only by their tag.

use grader_checker_sdk::params::Params as RawParams;
use grader_checker_sdk::prelude::*;

const IDS: [&str; 7] = [
    "pre-publish-keys",
    "pre-publish-signatures",
    "new-rrsigs-keys",
    "new-rrsigs-signatures",
    "ksk-unchanged",
    "valid",
    "loads",
];

/// RRsets listed one by one before the rest are counted.
const LIST: usize = 4;

/// One stage of the rollover: its zone and where its lines are.
struct Stage<'a> {
    zone: &'a Zone,
    /// `pre-publish` or `new RRSIGs`, for feedback.
    name: &'static str,
    /// Whether feedback lines refer to the main zone file (collected as the
    /// result's lines) or to the extra zone (named in the text only).
    main: bool,
}

/// A DNSKEY with what identifies it.
#[derive(Clone, Copy)]
struct Key<'a> {
    k: &'a Dnskey,
    /// The public key of its DNSKEY record (base64, no spaces), when found.
    data: Option<&'a str>,
}

impl Key<'_> {
    fn same(&self, other: &Key<'_>) -> bool {
        match (self.data, other.data) {
            (Some(a), Some(b)) => a == b && self.k.algorithm == other.k.algorithm,
            _ => self.k.key_tag == other.k.key_tag && self.k.algorithm == other.k.algorithm,
        }
    }

    fn tag(&self) -> u16 {
        self.k.key_tag
    }
}

fn contains(keys: &[Key<'_>], key: &Key<'_>) -> bool {
    keys.iter().any(|k| k.same(key))
}

impl<'a> Stage<'a> {
    fn report(&self) -> &'a DnssecReport {
        &self.zone.dnssec
    }

    /// The keys that are not revoked, with their public key data.
    fn keys(&self) -> Vec<Key<'a>> {
        let zone = self.zone;
        self.report()
            .keys
            .iter()
            .filter(|k| !k.revoked)
            .map(|k| Key {
                k,
                data: zone
                    .records
                    .iter()
                    .find(|r| r.line == k.line && r.rtype.eq_ignore_ascii_case("DNSKEY"))
                    .and_then(|r| key_data(&r.rdata)),
            })
            .collect()
    }

    fn ksks(&self) -> Vec<Key<'a>> {
        self.keys().into_iter().filter(|k| k.k.sep).collect()
    }

    fn zsks(&self) -> Vec<Key<'a>> {
        self.keys().into_iter().filter(|k| !k.k.sep).collect()
    }

    /// `line 12` in the main zone, `line 12 of the new-RRSIGs zone` otherwise.
    fn push(&self, fb: &mut Feedback, line: u32, message: impl std::fmt::Display) {
        if self.main || line == 0 {
            fb.push_line(line, format!("{}: {message}", self.name));
        } else {
            fb.push_note(format!("{} zone, line {line}: {message}", self.name));
        }
    }

    fn not_signed(&self) -> String {
        format!(
            "the {} zone has no DNSKEY records at its apex: it is not signed",
            self.name
        )
    }

    /// The RRsets of data (not the DNSKEY set) that should be signed.
    fn data_rrsets(&self) -> Vec<&'a RrsetStatus> {
        self.report()
            .rrsets
            .iter()
            .filter(|r| r.security != Security::Unsigned && !r.rtype.eq_ignore_ascii_case("DNSKEY"))
            .collect()
    }
}

/// Reports the RRsets `found` of the `total` RRsets of data of `stage`
/// that have a fault: `one` says it of one RRset, `all` of several. Every
/// RRset (of several) at once in one entry, else the first few by line.
fn report_rrsets(
    fb: &mut Feedback,
    stage: &Stage<'_>,
    found: &[&RrsetStatus],
    total: usize,
    one: &str,
    all: &str,
) {
    let Some(first) = found.first() else { return };
    if found.len() == total && total > 1 {
        stage.push(
            fb,
            first.line,
            format!("all {total} RRsets of data ({}, …) {all}", first.describe()),
        );
        return;
    }
    for r in found.iter().take(LIST) {
        stage.push(fb, r.line, format!("{} {one}", r.describe()));
    }
    if found.len() > LIST {
        stage.push(
            fb,
            0,
            format!("… {} of the {total} RRsets of data {all}", found.len()),
        );
    }
}

/// The public key of DNSKEY data (`256 3 13 <base64>`): the text after
/// the third field, trimmed (the grader prints it in one piece).
fn key_data(rdata: &str) -> Option<&str> {
    let mut rest = rdata.trim_start();
    for _ in 0..3 {
        let end = rest.find(|c: char| c.is_ascii_whitespace())?;
        rest = rest[end..].trim_start();
    }
    (!rest.is_empty()).then(|| rest.trim_end())
}

/// The keys of the rollover, as worked out from both stages.
struct Roles<'a> {
    ksk: Option<Key<'a>>,
    old: Option<Key<'a>>,
    new: Option<Key<'a>>,
}

impl<'a> Roles<'a> {
    fn find(pre: &Stage<'a>, next: Option<&Stage<'a>>) -> Roles<'a> {
        let z1 = pre.zsks();
        let z2 = next.map(Stage::zsks).unwrap_or_default();
        let signing = |z: &[Key<'a>]| -> Vec<Key<'a>> {
            z.iter().copied().filter(|k| k.k.signs_data).collect()
        };
        let (s1, s2) = (signing(&z1), signing(&z2));
        let minus = |a: &[Key<'a>], b: &[Key<'a>]| -> Vec<Key<'a>> {
            a.iter().copied().filter(|k| !contains(b, k)).collect()
        };
        let old = [minus(&s1, &s2), s1.clone(), minus(&z1, &s2), z1.clone()]
            .into_iter()
            .find_map(|c| c.first().copied());
        let others = |z: &[Key<'a>]| -> Vec<Key<'a>> {
            z.iter()
                .copied()
                .filter(|k| old.is_none_or(|o| !o.same(k)))
                .collect()
        };
        let new = [others(&s2), others(&z2), others(&z1)]
            .into_iter()
            .find_map(|c| c.first().copied());
        let ksk_of = |s: &Stage<'a>| {
            let ksks = s.ksks();
            ksks.iter()
                .copied()
                .find(|k| k.k.signs_keys)
                .or(ksks.first().copied())
        };
        let ksk = ksk_of(pre).or_else(|| next.and_then(ksk_of));
        Roles { ksk, old, new }
    }
}

struct Ctx<'a> {
    pre: Stage<'a>,
    next: Option<Stage<'a>>,
    roles: Roles<'a>,
}

impl Ctx<'_> {
    fn keys(&self, id: &str, stage: &Stage<'_>) -> CheckResult {
        if !stage.report().signed {
            return CheckResult::failed(id, stage.not_signed());
        }
        let Roles { ksk, old, new } = &self.roles;
        let keys = stage.keys();
        let mut fb = Feedback::new();
        let first_stage = stage.main;
        let tag = |k: &Option<Key<'_>>| k.map_or(0, |k| k.tag());
        match ksk {
            Some(ksk) if !contains(&keys, ksk) => {
                stage.push(
                    &mut fb,
                    0,
                    format!(
                        "the KSK {} is missing: a ZSK rollover keeps the KSK, whose DS is at the parent",
                        ksk.tag()
                    ),
                );
            }
            None => stage.push(
                &mut fb,
                0,
                "no key has the SEP flag (flags 257): the KSK is missing",
            ),
            _ => {}
        }
        match (old, new) {
            (Some(o), Some(n)) => {
                if !contains(&keys, o) {
                    let why = if first_stage {
                        "the old ZSK {t} is missing: it still signs the zone at this stage".to_string()
                    } else {
                        "the old ZSK {t} was removed too early: resolvers may still hold its signatures in their caches, so it stays published until the new signatures have replaced them everywhere (the zone's largest TTL after this stage), and goes in the next step".to_string()
                    };
                    stage.push(&mut fb, 0, why.replace("{t}", &o.tag().to_string()));
                }
                if !contains(&keys, n) {
                    let why = if first_stage {
                        "the new ZSK {t} is not published yet: at the pre-publish stage it must already be in the DNSKEY set, without signing, so that resolvers have it in their caches before its signatures appear (RFC 7583 §3.2.1)"
                    } else {
                        "the new ZSK {t} is missing: it signs the zone at this stage"
                    };
                    stage.push(&mut fb, 0, why.replace("{t}", &n.tag().to_string()));
                }
                if n.k.algorithm != o.k.algorithm {
                    stage.push(
                        &mut fb,
                        n.k.line,
                        format!(
                            "the new ZSK {} has algorithm {}, the old one {}: a change of algorithm is an algorithm rollover, another procedure (RFC 6781 §4.1.4); keep algorithm {}",
                            n.tag(),
                            n.k.algorithm,
                            o.k.algorithm,
                            o.k.algorithm
                        ),
                    );
                }
            }
            (Some(only), None) | (None, Some(only)) => stage.push(
                &mut fb,
                0,
                format!(
                    "there is one ZSK ({}) in both stages: a rollover publishes a new ZSK beside the old one (`dnssec-keygen -a {} {}`)",
                    only.tag(),
                    only.k.algorithm,
                    stage.zone.origin
                ),
            ),
            (None, None) => stage.push(
                &mut fb,
                0,
                "there is no ZSK (a key without the SEP flag, flags 256) in either stage",
            ),
        }
        let expected = [ksk, old, new];
        for k in &keys {
            if expected.iter().any(|e| e.is_some_and(|e| e.same(k))) {
                continue;
            }
            let why = if k.k.sep {
                format!(
                    "key {} is another KSK: a ZSK rollover does not touch the KSK {}",
                    k.tag(),
                    tag(ksk)
                )
            } else {
                format!(
                    "key {} is a third ZSK: this stage publishes only the old ZSK {} and the new ZSK {}",
                    k.tag(),
                    tag(old),
                    tag(new)
                )
            };
            stage.push(&mut fb, k.k.line, why);
        }
        if fb.is_empty() {
            CheckResult::passed(id).with_feedback(format!(
                "{}: the DNSKEY set holds the KSK {}, the old ZSK {} and the new ZSK {}",
                stage.name,
                tag(ksk),
                tag(old),
                tag(new)
            ))
        } else {
            CheckResult::failed(id, fb)
        }
    }

    fn signatures(&self, id: &str, stage: &Stage<'_>) -> CheckResult {
        if !stage.report().signed {
            return CheckResult::failed(id, stage.not_signed());
        }
        let (signer, other, signer_name, other_name) = if stage.main {
            (&self.roles.old, &self.roles.new, "old", "new")
        } else {
            (&self.roles.new, &self.roles.old, "new", "old")
        };
        let Some(signer) = signer else {
            return CheckResult::failed(
                id,
                format!(
                    "there is no {signer_name} ZSK to sign the {} stage",
                    stage.name
                ),
            );
        };
        let report = stage.report();
        let mut fb = Feedback::new();
        // The DNSKEY set: signed by a KSK of the stage (which KSK is the
        // ksk-unchanged check's business).
        let ksks = stage.ksks();
        match report.rrset(&stage.zone.origin, "DNSKEY") {
            Some(set) if set.signed_by.iter().any(|t| ksks.iter().any(|k| k.tag() == *t)) => {}
            Some(set) => stage.push(
                &mut fb,
                set.line,
                "the DNSKEY set has no valid signature by a KSK: the KSK signs the DNSKEY set at every stage",
            ),
            None => {}
        }
        let data = stage.data_rrsets();
        let unsigned: Vec<&RrsetStatus> = data
            .iter()
            .copied()
            .filter(|r| !r.signed_by.contains(&signer.tag()))
            .collect();
        let by_other: Vec<&RrsetStatus> = match other {
            Some(o) => data
                .iter()
                .copied()
                .filter(|r| r.signed_by.contains(&o.tag()))
                .collect(),
            None => Vec::new(),
        };
        let what = format!(
            "no valid signature by the {signer_name} ZSK {}",
            signer.tag()
        );
        report_rrsets(
            &mut fb,
            stage,
            &unsigned,
            data.len(),
            &format!("has {what}"),
            &format!("have {what}"),
        );
        if let Some(o) = other {
            let what = format!(
                "signed by the {other_name} ZSK {}, which must not sign at this stage",
                o.tag()
            );
            report_rrsets(
                &mut fb,
                stage,
                &by_other,
                data.len(),
                &format!("is {what}"),
                &format!("are {what}"),
            );
            if !by_other.is_empty() {
                fb.push_note(if stage.main {
                    "at the pre-publish stage the new ZSK is only published: sign with the old ZSK alone (give the signer only its private key, or set the new key's activation date later: `dnssec-settime -A`)"
                } else {
                    "at the new-RRSIGs stage the old ZSK is only published: sign with the new ZSK alone (`dnssec-settime -I` on the old key)"
                });
            }
        }
        if data.is_empty() {
            stage.push(&mut fb, 0, "the zone has no signed RRsets of data");
        }
        if fb.is_empty() {
            CheckResult::passed(id).with_feedback(format!(
                "{}: the {signer_name} ZSK {} signs all {} RRsets of data, the KSK signs the DNSKEY set",
                stage.name,
                signer.tag(),
                data.len()
            ))
        } else {
            CheckResult::failed(id, fb)
        }
    }

    fn ksk_unchanged(&self, next: &Stage<'_>) -> CheckResult {
        let id = "ksk-unchanged";
        let k1 = self.pre.ksks();
        let k2 = next.ksks();
        let mut fb = Feedback::new();
        if k1.is_empty() {
            self.pre.push(&mut fb, 0, "there is no KSK (flags 257)");
        }
        if k2.is_empty() {
            next.push(&mut fb, 0, "there is no KSK (flags 257)");
        }
        for k in &k1 {
            if !contains(&k2, k) {
                let same_tag = k2.iter().find(|o| o.tag() == k.tag());
                let why = match same_tag {
                    Some(_) => format!(
                        "the KSK {} has another public key in the new-RRSIGs stage: it was made again",
                        k.tag()
                    ),
                    None => format!("the KSK {} is gone in the new-RRSIGs stage", k.tag()),
                };
                self.pre.push(&mut fb, k.k.line, why);
            }
        }
        for k in &k2 {
            if !contains(&k1, k) {
                next.push(
                    &mut fb,
                    k.k.line,
                    format!(
                        "the KSK {} is new: changing the KSK needs a new DS at the parent (a KSK rollover, with its own steps), not part of a ZSK rollover",
                        k.tag()
                    ),
                );
            }
        }
        if fb.is_empty() {
            let tags: Vec<String> = k1.iter().map(|k| k.tag().to_string()).collect();
            CheckResult::passed(id).with_feedback(format!(
                "the KSK {} is the same in both stages",
                tags.join(", ")
            ))
        } else {
            CheckResult::failed(id, fb)
        }
    }

    /// Whether `stage` validates, with what does not into `fb`.
    fn stage_valid(stage: &Stage<'_>, fb: &mut Feedback) -> bool {
        let r = stage.report();
        if !r.signed {
            stage.push(fb, 0, stage.not_signed());
            return false;
        }
        let bogus = r.bogus();
        for b in bogus.iter().take(LIST) {
            let (line, what) = match &b.reason {
                Some(d) => (d.line, format!("{} [{}]", d.message, d.code)),
                None => (b.line, "does not validate".to_string()),
            };
            let line = if line == 0 { b.line } else { line };
            stage.push(fb, line, format!("{} is bogus: {what}", b.describe()));
        }
        if bogus.len() > LIST {
            stage.push(
                fb,
                0,
                format!("… {} of {} RRsets are bogus", bogus.len(), r.rrsets.len()),
            );
        }
        let mut other_errors = 0;
        for d in r.errors() {
            let listed = bogus.iter().any(|b| {
                b.reason
                    .as_ref()
                    .is_some_and(|x| x.code == d.code && x.line == d.line)
            });
            if !listed {
                other_errors += 1;
                if other_errors <= LIST {
                    stage.push(fb, d.line, format!("{} [{}]", d.message, d.code));
                }
            }
        }
        let ok = bogus.is_empty() && r.valid;
        if !ok && bogus.is_empty() && other_errors == 0 {
            stage.push(fb, 0, "the zone does not validate");
        }
        ok
    }

    fn valid(&self) -> CheckResult {
        let mut fb = Feedback::new();
        let mut good = u32::from(Self::stage_valid(&self.pre, &mut fb));
        if let Some(next) = &self.next {
            good += u32::from(Self::stage_valid(next, &mut fb));
        }
        match good {
            2 => CheckResult::passed("valid").with_feedback("both stages validate at grading time"),
            1 => CheckResult::partial("valid", 1, 2, fb),
            _ => CheckResult::failed("valid", fb),
        }
    }

    fn loads(&self) -> CheckResult {
        let first = CheckResult::zone_loads("loads", self.pre.zone);
        let Some(next) = &self.next else {
            return first;
        };
        let errors = next.zone.errors();
        if errors.is_empty() {
            return first;
        }
        let mut fb = Feedback::new();
        if first.status != Status::Passed {
            fb.push_note(&first.feedback);
        }
        for d in errors {
            next.push(&mut fb, d.line, format!("{} [{}]", d.message, d.code));
        }
        let mut r = CheckResult::failed("loads", fb);
        r.lines.extend(first.lines);
        r.lines.sort_unstable();
        r.lines.dedup();
        r
    }
}

struct Rollover;

impl Checker for Rollover {
    fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
        let p = RawParams::parse(&s.params)?;
        let stage2 = p.get_or("stage2", "new-rrsigs".to_string())?;
        let pre = Stage {
            zone: &s.zone,
            name: "pre-publish",
            main: true,
        };
        let next = s
            .extra_zones
            .iter()
            .find(|z| z.name == stage2)
            .map(|z| Stage {
                zone: &z.zone,
                name: "new-RRSIGs",
                main: false,
            });
        let roles = Roles::find(&pre, next.as_ref());
        let ctx = Ctx { pre, next, roles };
        let missing = |id: &str| {
            CheckResult::skipped(
                id,
                format!(
                    "not judged: the zone of the new-RRSIGs stage (`{stage2}`) was not handed in"
                ),
            )
        };
        let (next_keys, next_sigs, ksk) = match &ctx.next {
            Some(n) => (
                ctx.keys(IDS[2], n),
                ctx.signatures(IDS[3], n),
                ctx.ksk_unchanged(n),
            ),
            None => (missing(IDS[2]), missing(IDS[3]), missing(IDS[4])),
        };
        Ok(vec![
            ctx.keys(IDS[0], &ctx.pre),
            ctx.signatures(IDS[1], &ctx.pre),
            next_keys,
            next_sigs,
            ksk,
            ctx.valid(),
            ctx.loads(),
        ])
    }
}

grader_checker_sdk::export_checker!(Rollover);

#[cfg(test)]
mod tests {
    use super::*;
    use grader_checker_sdk::testing;

    const O: &str = "grp7.lab.example.";
    const AT: i64 = 1_796_119_200;
    const K: (u16, u8, u16) = (1000, 13, 257);
    const OLD: (u16, u8, u16) = (2000, 13, 256);
    const NEW: (u16, u8, u16) = (3000, 13, 256);

    fn data(k: (u16, u8, u16)) -> &'static str {
        match k.0 {
            1000 => "257 3 13 KKKK",
            2000 => "256 3 13 OOOO",
            3000 => "256 3 13 NNNN",
            4000 => "257 3 13 LLLL",
            _ => "256 3 15 XXXX",
        }
    }

    /// A stage publishing `keys`, data signed by the keys `signers`.
    fn stage(keys: &[(u16, u8, u16)], signers: &[u16]) -> Zone {
        let mut records = vec![
            (
                O,
                "SOA",
                "ns1.grp7.lab.example. h.grp7.lab.example. 1 14400 3600 604800 3600",
            ),
            (O, "NS", "ns1.grp7.lab.example."),
        ];
        for k in keys {
            records.push((O, "DNSKEY", data(*k)));
        }
        records.push(("ns1.grp7.lab.example.", "A", "192.0.2.1"));
        records.push(("www.grp7.lab.example.", "A", "192.0.2.80"));
        let mut z = testing::signed_zone(O, &records, keys, AT + 20 * DAY);
        for r in &mut z.dnssec.rrsets {
            if r.rtype != "DNSKEY" {
                r.signed_by = signers.to_vec();
            }
        }
        for k in &mut z.dnssec.keys {
            k.signs_data = signers.contains(&k.key_tag);
        }
        z
    }

    fn run(pre: Zone, next: Option<Zone>) -> Vec<(String, Status, String)> {
        let mut s = testing::submission(pre);
        s.grading_time = AT;
        s.params = r#"{"stage2":"new-rrsigs"}"#.into();
        if let Some(z) = next {
            s.extra_zones.push(NamedZone {
                name: "new-rrsigs".into(),
                zone: z,
            });
        }
        let out = Rollover::check(s).unwrap();
        testing::assert_well_formed(&out, &IDS);
        out.into_iter()
            .map(|r| (r.id, r.status, r.feedback))
            .collect()
    }

    fn failed(out: &[(String, Status, String)]) -> Vec<&str> {
        out.iter()
            .filter(|(_, s, _)| *s != Status::Passed)
            .map(|(id, _, _)| id.as_str())
            .collect()
    }

    fn feedback<'a>(out: &'a [(String, Status, String)], id: &str) -> &'a str {
        &out.iter().find(|(i, _, _)| i == id).unwrap().2
    }

    #[test]
    fn a_correct_rollover_passes() {
        let out = run(
            stage(&[K, OLD, NEW], &[2000]),
            Some(stage(&[K, OLD, NEW], &[3000])),
        );
        assert!(failed(&out).is_empty(), "{out:?}");
        assert!(
            feedback(&out, "pre-publish-keys")
                .contains("KSK 1000, the old ZSK 2000 and the new ZSK 3000")
        );
    }

    #[test]
    fn new_zsk_signing_early() {
        let out = run(
            stage(&[K, OLD, NEW], &[2000, 3000]),
            Some(stage(&[K, OLD, NEW], &[3000])),
        );
        assert_eq!(failed(&out), ["pre-publish-signatures"]);
        assert!(feedback(&out, "pre-publish-signatures").contains("signed by the new ZSK 3000"));
    }

    #[test]
    fn new_zsk_not_prepublished() {
        let out = run(
            stage(&[K, OLD], &[2000]),
            Some(stage(&[K, OLD, NEW], &[3000])),
        );
        assert_eq!(failed(&out), ["pre-publish-keys"]);
        assert!(feedback(&out, "pre-publish-keys").contains("not published yet"));
    }

    #[test]
    fn old_zsk_removed_early() {
        let out = run(
            stage(&[K, OLD, NEW], &[2000]),
            Some(stage(&[K, NEW], &[3000])),
        );
        assert_eq!(failed(&out), ["new-rrsigs-keys"]);
        assert!(feedback(&out, "new-rrsigs-keys").contains("removed too early"));
    }

    #[test]
    fn ksk_changed() {
        let k2 = (4000, 13, 257);
        let out = run(
            stage(&[K, OLD, NEW], &[2000]),
            Some(stage(&[k2, OLD, NEW], &[3000])),
        );
        assert_eq!(failed(&out), ["new-rrsigs-keys", "ksk-unchanged"]);
        assert!(feedback(&out, "ksk-unchanged").contains("the KSK 4000 is new"));
    }

    #[test]
    fn not_rolled() {
        let out = run(
            stage(&[K, OLD, NEW], &[2000]),
            Some(stage(&[K, OLD, NEW], &[2000])),
        );
        assert_eq!(failed(&out), ["new-rrsigs-signatures"]);
    }

    #[test]
    fn bogus_stage_is_half_of_valid() {
        let mut next = stage(&[K, OLD, NEW], &[3000]);
        next.dnssec.rrsets[0].security = Security::Bogus;
        next.dnssec.valid = false;
        let out = run(stage(&[K, OLD, NEW], &[2000]), Some(next));
        let valid = out.iter().find(|(i, _, _)| i == "valid").unwrap();
        assert!(matches!(valid.1, Status::Partial(_)));
        assert!(
            valid
                .2
                .contains("new-RRSIGs zone, line 2: grp7.lab.example. NS is bogus"),
            "{}",
            valid.2
        );
    }

    #[test]
    fn missing_stage_is_skipped() {
        let out = run(stage(&[K, OLD, NEW], &[2000]), None);
        assert_eq!(out[2].1, Status::Skipped);
        assert_eq!(out[4].1, Status::Skipped);
    }

    #[test]
    fn key_data_is_the_identity() {
        assert_eq!(key_data("256 3 13 AB CD"), Some("AB CD"));
        assert_eq!(key_data("256 3"), None);
    }

    #[test]
    fn odd_submissions_are_judged() {
        testing::judge_odd_submissions(
            Rollover::check,
            r#"{"stage2":"new-rrsigs"}"#,
            &IDS,
            &["new-rrsigs"],
        );
        testing::judge_odd_zones(Rollover::check, "{}", &IDS);
    }
}
