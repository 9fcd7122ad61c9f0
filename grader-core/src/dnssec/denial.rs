//! Authenticated denial of existence: the NSEC chain (RFC 4034 §4, RFC 4035
//! §2.3) or the NSEC3 chain (RFC 5155 §7.1).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use data_encoding::{BASE32HEX_NOPAD, HEXLOWER};
use hickory_proto::dnssec::Nsec3HashAlgorithm;
use hickory_proto::dnssec::rdata::{DNSSECRData, NSEC, NSEC3};
use hickory_proto::rr::{Name, RData, RecordType};
use rayon::prelude::*;

use super::{Denial, Index, Kind, NameInfo, Nsec3Params};
use crate::zone::sink::Sink;
use crate::zone::{Code, Diagnostic, Shown, ZoneRecord, type_name};

const NS: u16 = 2;
const DS: u16 = 43;
const RRSIG: u16 = 46;
const NSEC_T: u16 = 47;
const NSEC3_T: u16 = 50;

/// Most NSEC3 iterations the chain is checked with: hickory-proto's
/// validator answers bogus above 500, and hashing every name of a large
/// zone 65,535 times would take minutes.
const MAX_ITERATIONS: u16 = 500;

/// Checks the zone's denial chain and says which one it has.
pub(super) fn check(index: &Index<'_>, sink: &mut Sink) -> Denial {
    let nsec: Vec<(&Name, &ZoneRecord, &NSEC)> = index
        .rrsets
        .iter()
        .filter(|s| s.rtype == RecordType::NSEC)
        .filter_map(|s| {
            let zr = index.record(s.records[0]);
            match &zr.record.data {
                RData::DNSSEC(DNSSECRData::NSEC(n)) => Some((&s.owner, zr, n)),
                _ => None,
            }
        })
        .collect();
    let nsec3: Vec<(&ZoneRecord, &NSEC3)> = index
        .rrsets
        .iter()
        .filter(|s| s.rtype == RecordType::NSEC3)
        .flat_map(|s| s.records.iter().map(|&i| index.record(i)))
        .filter_map(|zr| match &zr.record.data {
            RData::DNSSEC(DNSSECRData::NSEC3(n)) => Some((zr, n)),
            _ => None,
        })
        .collect();
    let param = index
        .rrset(index.apex, RecordType::NSEC3PARAM)
        .map(|s| index.record(s.records[0]));
    let (line, column) = index.apex_position();

    match (nsec.is_empty(), nsec3.is_empty() && param.is_none()) {
        (true, true) => {
            sink.push(Diagnostic::new(
                Code::DenialMissing,
                line,
                column,
                "",
                "the signed zone has no NSEC or NSEC3 records, so resolvers cannot validate a negative answer: sign with NSEC or NSEC3 (dnssec-signzone does NSEC by default, `-3 -` for NSEC3)",
            ));
            Denial::None
        }
        (false, false) => {
            sink.push(Diagnostic::new(
                Code::DenialMissing,
                line,
                column,
                "",
                "the zone has both NSEC and NSEC3 records: a zone uses one chain; re-sign it from the unsigned zone",
            ));
            check_nsec3(index, &nsec3, param, sink)
        }
        (false, true) => {
            check_nsec(index, &nsec, sink);
            Denial::Nsec
        }
        (true, false) => check_nsec3(index, &nsec3, param, sink),
    }
}

/// Whether a name must have an NSEC record: it holds authoritative data or
/// is a delegation point.
fn needs_nsec(info: &NameInfo) -> bool {
    matches!(
        info.kind,
        Kind::Apex | Kind::Normal | Kind::Delegation { .. }
    ) && info.types.iter().any(|&t| t != NSEC_T)
}

/// The types a name's NSEC or NSEC3 bitmap must list.
fn expected_types(info: &NameInfo, nsec: bool) -> BTreeSet<u16> {
    let mut types: BTreeSet<u16> = match info.kind {
        Kind::Delegation { secure } => {
            let mut t = BTreeSet::from([NS]);
            if secure {
                t.extend([DS, RRSIG]);
            }
            t
        }
        _ => {
            let mut t: BTreeSet<u16> = info
                .types
                .iter()
                .copied()
                .filter(|&t| t != NSEC_T && t != NSEC3_T)
                .collect();
            if !t.is_empty() {
                t.insert(RRSIG);
            }
            t
        }
    };
    if nsec {
        types.insert(NSEC_T);
        types.insert(RRSIG);
    }
    types
}

fn bitmap_difference(have: &BTreeSet<u16>, want: &BTreeSet<u16>) -> String {
    let list = |s: Vec<u16>| s.into_iter().map(type_name).collect::<Vec<_>>().join(" ");
    let extra: Vec<u16> = have.difference(want).copied().collect();
    let missing: Vec<u16> = want.difference(have).copied().collect();
    let mut parts = Vec::new();
    if !extra.is_empty() {
        parts.push(format!("lists {} that the name does not have", list(extra)));
    }
    if !missing.is_empty() {
        parts.push(format!("omits {}", list(missing)));
    }
    parts.join(" and ")
}

fn check_nsec(index: &Index<'_>, nsec: &[(&Name, &ZoneRecord, &NSEC)], sink: &mut Sink) {
    let by_owner: HashMap<&Name, (&ZoneRecord, &NSEC)> =
        nsec.iter().map(|&(o, zr, n)| (o, (zr, n))).collect();
    let needed: Vec<(&Name, &NameInfo)> = index
        .names
        .iter()
        .filter(|(_, info)| needs_nsec(info))
        .map(|(n, info)| (n, info))
        .collect();
    for (k, &(name, info)) in needed.iter().enumerate() {
        let next = needed.get(k + 1).map_or(index.apex, |&(n, _)| n);
        let Some(&(zr, rec)) = by_owner.get(name) else {
            sink.push(Diagnostic::new(
                Code::NsecMissing,
                info.line,
                info.column,
                Shown(name).to_string(),
                format!(
                    "{} has no NSEC record, so the chain has a gap there; re-sign the zone",
                    Shown(name)
                ),
            ));
            continue;
        };
        if rec.next_domain_name() != next {
            sink.push(Diagnostic::new(
                Code::NsecChainBroken,
                zr.line,
                zr.column,
                Shown(rec.next_domain_name()).to_string(),
                format!(
                    "the NSEC of {} points to {}, but the next name of the zone in canonical order is {}; re-sign the zone",
                    Shown(name),
                    Shown(rec.next_domain_name()),
                    Shown(next)
                ),
            ));
        }
        let have: BTreeSet<u16> = rec.type_set().iter().map(u16::from).collect();
        let want = expected_types(info, true);
        if have != want {
            sink.push(Diagnostic::new(
                Code::NsecBitmap,
                zr.line,
                zr.column,
                "NSEC",
                format!(
                    "the type bitmap of the NSEC of {} {}; re-sign the zone after changing it",
                    Shown(name),
                    bitmap_difference(&have, &want)
                ),
            ));
        }
    }
    for &(name, zr, _) in nsec {
        let needed = index.name_info(name).is_some_and(needs_nsec);
        if !needed {
            sink.push(Diagnostic::new(
                Code::NsecUnexpected,
                zr.line,
                zr.column,
                Shown(name).to_string(),
                format!(
                    "{} has no authoritative data (it is glue, below a delegation, or its records were removed), so it must have no NSEC; re-sign the zone",
                    Shown(name)
                ),
            ));
        }
    }
}

/// A name the NSEC3 chain must (or, with opt-out, may) cover.
struct Covered<'a> {
    name: Name,
    /// The name's info; `None` for an empty non-terminal.
    info: Option<&'a NameInfo>,
    line: u32,
    column: u32,
    required: bool,
}

fn check_nsec3(
    index: &Index<'_>,
    nsec3: &[(&ZoneRecord, &NSEC3)],
    param: Option<&ZoneRecord>,
    sink: &mut Sink,
) -> Denial {
    let (apex_line, apex_column) = index.apex_position();
    let from_param = param.and_then(|zr| match &zr.record.data {
        RData::DNSSEC(DNSSECRData::NSEC3PARAM(p)) => Some((
            u8::from(p.hash_algorithm()),
            p.iterations(),
            p.salt().to_vec(),
        )),
        _ => None,
    });
    let params = match (from_param, nsec3.first()) {
        (Some(p), _) => {
            if nsec3.is_empty() {
                sink.push(Diagnostic::new(
                    Code::Nsec3paramMissing,
                    param.map_or(apex_line, |r| r.line),
                    param.map_or(apex_column, |r| r.column),
                    "NSEC3PARAM",
                    "the zone has an NSEC3PARAM but no NSEC3 records: the chain is missing; re-sign the zone with NSEC3",
                ));
            }
            p
        }
        (None, Some((_, n))) => {
            sink.push(Diagnostic::new(
                Code::Nsec3paramMissing,
                apex_line,
                apex_column,
                "",
                "the zone has NSEC3 records but no NSEC3PARAM at its apex, so servers cannot find the chain; re-sign the zone with NSEC3",
            ));
            (
                u8::from(n.hash_algorithm()),
                n.iterations(),
                n.salt().to_vec(),
            )
        }
        (None, None) => return Denial::None,
    };
    let (alg, iterations, salt) = params;
    let opt_out = nsec3.iter().any(|(_, n)| n.opt_out());
    let denial = Denial::Nsec3(Nsec3Params {
        hash_algorithm: alg,
        iterations,
        salt: salt_text(&salt),
        opt_out,
    });

    // The chain's records, by hash, in the chain's order.
    let mut chain: BTreeMap<Vec<u8>, (&ZoneRecord, &NSEC3)> = BTreeMap::new();
    for &(zr, n) in nsec3 {
        if u8::from(n.hash_algorithm()) != alg || n.iterations() != iterations || n.salt() != salt {
            sink.push(Diagnostic::new(
                Code::Nsec3ParamsMismatch,
                zr.line,
                zr.column,
                "NSEC3",
                format!(
                    "this NSEC3 has hash algorithm {}, {} iterations and salt {}, but the NSEC3PARAM says {alg}, {iterations} and {}: the whole chain uses one set of parameters; re-sign the zone",
                    u8::from(n.hash_algorithm()),
                    n.iterations(),
                    salt_text(n.salt()),
                    salt_text(&salt)
                ),
            ));
            continue;
        }
        let Some(hash) = owner_hash(&zr.record.name, index.apex) else {
            continue; // the zone reader reports `bad-nsec3-owner`
        };
        chain.entry(hash).or_insert((zr, n));
    }

    // The names the chain covers: every authoritative name and delegation
    // point, and the empty non-terminals above them. With opt-out, insecure
    // delegations (and empty non-terminals only above them) may be left out.
    let mut covered: BTreeMap<Name, Covered<'_>> = BTreeMap::new();
    for (name, info) in &index.names {
        let required = match info.kind {
            Kind::Apex | Kind::Normal => info.types.iter().any(|&t| t != NSEC3_T),
            Kind::Delegation { secure } => secure || !opt_out,
            Kind::Occluded | Kind::Nsec3Owner => continue,
        };
        if !matches!(info.kind, Kind::Delegation { .. }) && !required {
            continue;
        }
        let entry = covered.entry(name.clone()).or_insert(Covered {
            name: name.clone(),
            info: Some(info),
            line: info.line,
            column: info.column,
            required,
        });
        entry.info = Some(info);
        entry.required |= required;
        // Empty non-terminals between the name and the apex.
        let mut parent = name.base_name();
        while parent != *index.apex && index.apex.zone_of(&parent) {
            // An empty non-terminal: no name there, or one with no data
            // (only a stray RRSIG, reported as such).
            if index.name_info(&parent).is_none_or(|i| i.types.is_empty()) {
                let ent = covered.entry(parent.clone()).or_insert(Covered {
                    name: parent.clone(),
                    info: None,
                    line: info.line,
                    column: info.column,
                    required,
                });
                ent.required |= required;
            }
            parent = parent.base_name();
        }
    }
    if iterations > MAX_ITERATIONS {
        sink.push(Diagnostic::new(
            Code::Nsec3IterationsTooMany,
            param.map_or(apex_line, |r| r.line),
            param.map_or(apex_column, |r| r.column),
            iterations.to_string(),
            format!(
                "NSEC3 with {iterations} extra iterations: validating resolvers treat a zone above {MAX_ITERATIONS} as bogus (RFC 9276), so its names cannot be proven absent; use 0 iterations and no salt, and re-sign"
            ),
        ));
        return denial;
    }
    let covered: Vec<Covered<'_>> = covered.into_values().collect();
    let hashes: Vec<Option<Vec<u8>>> = covered
        .par_iter()
        .with_min_len(256)
        .map(|c| {
            Nsec3HashAlgorithm::SHA1
                .hash(&salt, &c.name, iterations)
                .ok()
                .map(|d| d.as_ref().to_vec())
        })
        .collect();
    let mut known: HashMap<&[u8], &Covered<'_>> = HashMap::new();
    for (c, h) in covered.iter().zip(&hashes) {
        let Some(h) = h else { continue };
        known.insert(h.as_slice(), c);
        match chain.get(h.as_slice()) {
            None if c.required => {
                sink.push(Diagnostic::new(
                    Code::Nsec3Missing,
                    c.line,
                    c.column,
                    Shown(&c.name).to_string(),
                    format!(
                        "{}{} has no NSEC3 record (its hash is {}), so the chain has a gap there; re-sign the zone",
                        Shown(&c.name),
                        if c.info.is_none() {
                            " (an empty non-terminal)"
                        } else {
                            ""
                        },
                        BASE32HEX_NOPAD.encode(h).to_ascii_lowercase()
                    ),
                ));
            }
            None => {}
            Some(&(zr, rec)) => {
                let want = c
                    .info
                    .map_or_else(BTreeSet::new, |info| expected_types(info, false));
                let have: BTreeSet<u16> = rec.type_set().iter().map(u16::from).collect();
                if have != want {
                    sink.push(Diagnostic::new(
                        Code::Nsec3Bitmap,
                        zr.line,
                        zr.column,
                        "NSEC3",
                        format!(
                            "the type bitmap of the NSEC3 of {} {}; re-sign the zone after changing it",
                            Shown(&c.name),
                            bitmap_difference(&have, &want)
                        ),
                    ));
                }
            }
        }
    }

    // Every NSEC3 stands for a name, and the chain is closed and ordered.
    let order: Vec<(&Vec<u8>, &(&ZoneRecord, &NSEC3))> = chain.iter().collect();
    for (k, &(hash, &(zr, rec))) in order.iter().enumerate() {
        if !known.contains_key(hash.as_slice()) {
            sink.push(Diagnostic::new(
                Code::Nsec3Unexpected,
                zr.line,
                zr.column,
                Shown(&zr.record.name).to_string(),
                "this NSEC3's hash is the hash of no name of the zone (a name removed after signing, or other parameters); re-sign the zone",
            ));
        }
        let next = order[(k + 1) % order.len()].0;
        if rec.next_hashed_owner_name() != next.as_slice() {
            sink.push(Diagnostic::new(
                Code::Nsec3ChainBroken,
                zr.line,
                zr.column,
                BASE32HEX_NOPAD
                    .encode(rec.next_hashed_owner_name())
                    .to_ascii_lowercase(),
                format!(
                    "this NSEC3 points to {}, but the next hash of the chain is {}; re-sign the zone",
                    BASE32HEX_NOPAD
                        .encode(rec.next_hashed_owner_name())
                        .to_ascii_lowercase(),
                    BASE32HEX_NOPAD.encode(next).to_ascii_lowercase()
                ),
            ));
        }
    }
    denial
}

fn salt_text(salt: &[u8]) -> String {
    if salt.is_empty() {
        "-".into()
    } else {
        HEXLOWER.encode(salt)
    }
}

/// The hash an NSEC3 owner name stands for: its first label, base32hex,
/// directly below the apex.
fn owner_hash(owner: &Name, apex: &Name) -> Option<Vec<u8>> {
    if owner.base_name() != *apex {
        return None;
    }
    let label = owner.iter().next()?;
    BASE32HEX_NOPAD
        .decode(&label.to_ascii_uppercase())
        .ok()
        .filter(|h| h.len() == 20)
}
