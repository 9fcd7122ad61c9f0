//! Whole-zone DNSSEC validation at an explicit time.
//!
//! ```
//! use grader_core::dnssec::{self, Options};
//! use grader_core::zone;
//!
//! let text = b"$ORIGIN lab.example.\n$TTL 1h\n@ SOA ns1 hostmaster 1 4h 1h 1w 1h\n@ NS ns1\nns1 A 192.0.2.1\n";
//! let z = zone::read(text, &zone::Options::default());
//! let origin = z.origin.clone().unwrap();
//! let report = dnssec::validate(&origin, &z.records, &Options { require_signed: true, ..Options::at(1_800_000_000) });
//! assert!(!report.signed);
//! assert_eq!(report.diagnostics[0].code.as_str(), "dnskey-missing");
//! ```
//!
//! [`validate`] judges a zone as read by [`crate::zone`]: the DNSKEY set at
//! the apex, every RRSIG (signer, key, labels, original TTL, validity window
//! at [`Options::now`], and the signature itself, verified by hickory-proto's
//! DNSSEC code), algorithm completeness (every authoritative RRset signed by
//! every algorithm of the DNSKEY set), the NSEC or NSEC3 chain and its type
//! bitmaps, and the DS records handed in with the zone. Every fault is a
//! [`Diagnostic`] with a stable code pointing at the record that has it, and
//! every RRset gets a [`Security`] verdict that checkers grade on.
//!
//! Signatures are verified on all cores (rayon); results are collected in
//! zone order, so the report is the same whatever the thread count.
//!
//! Limits: the zone's class is IN (the reader guarantees it). NSEC3 hash
//! algorithm 1 (SHA-1) is the only one defined. Algorithms 5, 7, 8, 10, 13,
//! 14 and 15 are verified; a key of any other algorithm is an
//! `algorithm-unsupported` error, because the grader cannot tell whether its
//! signatures are right. At most 4 keys sharing a signature's key tag and
//! algorithm are tried for it (a defence against KeyTrap-style zones), and
//! NSEC3 chains above 500 iterations are not hashed
//! (`nsec3-iterations-too-many`): the cost of a validation stays bounded by
//! the number of records.

mod denial;
mod signatures;

use std::collections::{BTreeSet, HashMap, HashSet};

use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData, DS};
use hickory_proto::dnssec::{Algorithm, DigestType, PublicKey, Verifier};
use hickory_proto::rr::{Name, RData, RecordType};
use rayon::prelude::*;
use serde::Serialize;

use crate::zone::sink::Sink;
use crate::zone::{Code, Diagnostic, Shown, ZoneRecord, algorithm_name, type_name};

/// Every code [`validate`] can report (the other codes of [`Code`] come
/// from the zone reader and its integrity checks).
pub const CODES: &[Code] = &[
    Code::DnskeyMissing,
    Code::AlgorithmUnsupported,
    Code::AlgorithmDeprecated,
    Code::RsaKeyShort,
    Code::KskMissing,
    Code::RrsigMissing,
    Code::RrsigBadSignature,
    Code::RrsigExpired,
    Code::RrsigNotYetValid,
    Code::RrsigNoKey,
    Code::RrsigSignerMismatch,
    Code::RrsigLabels,
    Code::RrsigOriginalTtl,
    Code::RrsigUnexpected,
    Code::RrsigExpiresSoon,
    Code::DenialMissing,
    Code::NsecMissing,
    Code::NsecChainBroken,
    Code::NsecBitmap,
    Code::NsecUnexpected,
    Code::Nsec3paramMissing,
    Code::Nsec3ParamsMismatch,
    Code::Nsec3IterationsTooMany,
    Code::Nsec3Missing,
    Code::Nsec3ChainBroken,
    Code::Nsec3Bitmap,
    Code::Nsec3Unexpected,
    Code::DsNoMatch,
    Code::DsNotSep,
    Code::DsSha1,
    Code::DnssecInUnsignedZone,
];

/// How to validate.
#[derive(Clone, Debug)]
pub struct Options {
    /// The validation time, seconds since 1970-01-01 UTC.
    pub now: i64,
    /// Signatures that expire within this many seconds of `now` get a
    /// `rrsig-expires-soon` warning (default 7 days).
    pub expiry_horizon: i64,
    /// Whether a zone without a DNSKEY set is an error (`dnskey-missing`),
    /// as for `grader zone check --dnssec`. When false, an unsigned zone is
    /// only reported as such (and warned about if it holds DNSSEC records).
    pub require_signed: bool,
    /// The DS records handed in with the zone (read from their own file),
    /// each matched against the zone's keys.
    pub ds: Vec<ZoneRecord>,
    /// Most diagnostics kept (the count of errors stays exact).
    pub max_diagnostics: usize,
}

/// The default warning horizon for expiring signatures: 7 days.
pub const DEFAULT_EXPIRY_HORIZON: i64 = 7 * 86_400;

impl Options {
    /// Default options at validation time `now` (seconds since 1970).
    pub fn at(now: i64) -> Options {
        Options {
            now,
            expiry_horizon: DEFAULT_EXPIRY_HORIZON,
            require_signed: false,
            ds: Vec::new(),
            max_diagnostics: 1_000,
        }
    }
}

/// The DNSSEC state of one RRset at the validation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Validly signed by every algorithm of the DNSKEY set.
    Secure,
    /// Signed wrongly or incompletely.
    Bogus,
    /// Not signed and not meant to be (unsigned zone, delegation NS, glue).
    Unsigned,
}

/// The verdict on one RRset.
#[derive(Clone, Debug)]
pub struct RrsetStatus {
    pub owner: Name,
    pub rtype: RecordType,
    pub security: Security,
    /// For [`Security::Bogus`]: the first fault found.
    pub reason: Option<Diagnostic>,
    /// Line of the RRset's first record.
    pub line: u32,
    /// Key tags of the keys whose signatures verify and are valid, ascending.
    pub signed_by: Vec<u16>,
    /// When the RRset stops being secure (per algorithm the latest valid
    /// expiration, the earliest over the algorithms); `None` unless secure.
    pub expires: Option<i64>,
}

/// A DNSKEY of the apex.
#[derive(Clone, Debug, Serialize)]
pub struct KeyInfo {
    pub key_tag: u16,
    pub algorithm: u8,
    pub flags: u16,
    pub sep: bool,
    pub revoked: bool,
    /// It signs the DNSKEY set with a valid signature.
    pub signs_keys: bool,
    /// It signs another RRset with a valid signature.
    pub signs_data: bool,
    pub line: u32,
}

/// The zone's NSEC3 parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Nsec3Params {
    pub hash_algorithm: u8,
    pub iterations: u16,
    /// Hexadecimal, `-` for none.
    pub salt: String,
    pub opt_out: bool,
}

/// How the zone denies existence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Denial {
    None,
    Nsec,
    Nsec3(Nsec3Params),
}

/// A DS record handed in, matched against the zone's keys.
#[derive(Clone, Debug, Serialize)]
pub struct DsStatus {
    /// Line in the DS file.
    pub line: u32,
    pub key_tag: u16,
    pub algorithm: u8,
    pub digest_type: u8,
    /// A DNSKEY of the zone has this tag and algorithm and gives this digest.
    pub matches: bool,
    /// That key has the SEP flag.
    pub matches_sep: bool,
}

/// The result of [`validate`].
#[derive(Clone, Debug)]
pub struct Report {
    /// The zone has a DNSKEY set at its apex.
    pub signed: bool,
    /// The DNSKEYs at the apex, in file order.
    pub keys: Vec<KeyInfo>,
    pub denial: Denial,
    /// Every RRset, in canonical order of owner, then by type; empty when
    /// the zone is not signed.
    pub rrsets: Vec<RrsetStatus>,
    /// DNSSEC diagnostics about the zone file, ordered by line.
    pub diagnostics: Vec<Diagnostic>,
    /// The DS records handed in.
    pub ds: Vec<DsStatus>,
    /// Diagnostics about the DS records (lines of the DS file).
    pub ds_diagnostics: Vec<Diagnostic>,
    /// Errors about the zone file, including any beyond the limit.
    pub error_count: usize,
    /// Errors about the DS records, including any beyond the limit.
    pub ds_error_count: usize,
}

impl Report {
    /// Signed, and no error.
    pub fn is_valid(&self) -> bool {
        self.signed && self.error_count == 0 && self.ds_error_count == 0
    }

    /// The JSON summary (`dnssec` in `schemas/zone-check.schema.json`).
    pub fn summary(&self) -> Summary<'_> {
        let count = |s| self.rrsets.iter().filter(|r| r.security == s).count();
        Summary {
            signed: self.signed,
            valid: self.is_valid(),
            keys: &self.keys,
            denial: &self.denial,
            rrsets: RrsetCounts {
                secure: count(Security::Secure),
                bogus: count(Security::Bogus),
                unsigned: count(Security::Unsigned),
            },
            ds: &self.ds,
        }
    }
}

/// The JSON form of a report's verdicts (its diagnostics go with the zone's).
#[derive(Serialize)]
pub struct Summary<'a> {
    pub signed: bool,
    pub valid: bool,
    pub keys: &'a [KeyInfo],
    pub denial: &'a Denial,
    pub rrsets: RrsetCounts,
    pub ds: &'a [DsStatus],
}

/// How many RRsets have each verdict.
#[derive(Serialize)]
pub struct RrsetCounts {
    pub secure: usize,
    pub bogus: usize,
    pub unsigned: usize,
}

/// What a name is in the zone's structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Apex,
    /// Authoritative data.
    Normal,
    /// A delegation point (NS, not the apex); `secure` when it has a DS.
    Delegation {
        secure: bool,
    },
    /// Below a delegation point: glue or occluded data.
    Occluded,
    /// Holds only NSEC3 records (and their RRSIGs): a hashed owner name.
    Nsec3Owner,
}

/// One name of the zone.
struct NameInfo {
    kind: Kind,
    /// Types present, RRSIG excluded.
    types: BTreeSet<u16>,
    /// Line and column of the name's first record.
    line: u32,
    column: u32,
}

/// An RRset: records of one owner and type (RRSIG excluded).
struct Rrset {
    owner: Name,
    /// Position of the owner in [`Index::names`].
    name: u32,
    rtype: RecordType,
    /// Indices into the zone's records, file order (duplicates included).
    records: Vec<usize>,
    /// Whether it must be signed (authoritative data) or not (delegation NS,
    /// glue, occluded data).
    signed: bool,
}

/// The zone, indexed for validation.
struct Index<'a> {
    apex: &'a Name,
    records: &'a [ZoneRecord],
    /// The zone's names in canonical order.
    names: Vec<(Name, NameInfo)>,
    /// Position of each name in `names`.
    name_pos: HashMap<Name, u32>,
    /// RRsets in canonical order of owner, then type.
    rrsets: Vec<Rrset>,
    /// Position of each RRset in `rrsets`, by (owner position, type).
    rrset_pos: HashMap<(u32, u16), u32>,
    /// RRSIG record indices by (owner position, covered type).
    rrsigs: HashMap<(u32, u16), Vec<usize>>,
}

/// A key usable for validation.
struct Key<'a> {
    dnskey: &'a DNSKEY,
    info: KeyInfo,
    /// Zone-key flag set, algorithm supported, not revoked.
    usable: bool,
}

/// Validates the DNSSEC of a zone read by [`crate::zone`].
pub fn validate(apex: &Name, records: &[ZoneRecord], options: &Options) -> Report {
    // Everything is collected, then cut to the limit with errors first, so
    // that warnings never crowd out an error.
    let mut sink = Sink::new(usize::MAX);
    let mut ds_sink = Sink::new(usize::MAX);
    let index = Index::build(apex, records);

    let mut keys = index.keys();
    let signed = !keys.is_empty();
    let mut report = Report {
        signed,
        keys: Vec::new(),
        denial: Denial::None,
        rrsets: Vec::new(),
        diagnostics: Vec::new(),
        ds: Vec::new(),
        ds_diagnostics: Vec::new(),
        error_count: 0,
        ds_error_count: 0,
    };
    if !signed {
        index.unsigned(options, &mut sink);
    } else {
        index.check_keys(&keys, &mut sink);
        // The denial chain is checked while the signatures are verified.
        let ((verdicts, signature_sink), (denial, denial_sink)) = rayon::join(
            || {
                let mut s = Sink::new(usize::MAX);
                (signatures::check(&index, &mut keys, options, &mut s), s)
            },
            || {
                let mut s = Sink::new(usize::MAX);
                (denial::check(&index, &mut s), s)
            },
        );
        sink.absorb(signature_sink);
        sink.absorb(denial_sink);
        report.rrsets = verdicts;
        report.denial = denial;
        if let Some(d) = index.no_usable_key(&keys) {
            // Nothing can be validated: every RRset that should be signed
            // is bogus for that reason.
            for r in &mut report.rrsets {
                if r.security != Security::Unsigned {
                    r.security = Security::Bogus;
                    r.reason.get_or_insert_with(|| d.clone());
                    r.signed_by.clear();
                    r.expires = None;
                }
            }
            sink.push(d);
        }
    }
    report.ds = check_ds(apex, &keys, &options.ds, &mut ds_sink);
    report.keys = keys.into_iter().map(|k| k.info).collect();
    report.error_count = sink.errors();
    report.ds_error_count = ds_sink.errors();
    report.diagnostics = limited(sink, options.max_diagnostics);
    report.ds_diagnostics = limited(ds_sink, options.max_diagnostics);
    report
}

/// At most `max` diagnostics, errors first, then ordered by line and
/// column (stable); a `too-many-diagnostics` warning says when some are
/// left out.
fn limited(sink: Sink, max: usize) -> Vec<Diagnostic> {
    let mut list = sink.list;
    let total = list.len();
    if total > max {
        // Stable: within a severity, the order found is kept.
        list.sort_by_key(|d| d.severity);
        list.truncate(max);
    }
    list.sort_by_key(|d| (d.line, d.column));
    if total > max {
        let (line, column) = list.last().map_or((1, 1), |d| (d.line, d.column));
        list.push(Diagnostic::new(
            Code::TooManyDiagnostics,
            line,
            column,
            "",
            format!("{total} DNSSEC problems; only {max} are listed, errors first"),
        ));
    }
    list
}

impl<'a> Index<'a> {
    fn build(apex: &'a Name, records: &'a [ZoneRecord]) -> Index<'a> {
        // Names get an id in order of appearance; a record with the owner of
        // the record before it (the usual case) needs no look-up.
        let mut ids: HashMap<Name, u32> = HashMap::new();
        let mut found: Vec<(Name, NameInfo)> = Vec::new();
        let mut owner_of: Vec<u32> = Vec::with_capacity(records.len());
        let mut last: Option<(&Name, u32)> = None;
        for zr in records {
            let name = &zr.record.name;
            let id = match last {
                Some((n, id)) if n == name => id,
                _ => *ids.entry(name.clone()).or_insert_with(|| {
                    found.push((
                        name.clone(),
                        NameInfo {
                            kind: Kind::Normal,
                            types: BTreeSet::new(),
                            line: zr.line,
                            column: zr.column,
                        },
                    ));
                    (found.len() - 1) as u32
                }),
            };
            last = Some((name, id));
            owner_of.push(id);
        }
        // Canonical order, and each id's position in it.
        let mut order: Vec<u32> = (0..found.len() as u32).collect();
        order.par_sort_unstable_by(|&a, &b| found[a as usize].0.cmp(&found[b as usize].0));
        let in_zone: Vec<bool> = found.par_iter().map(|(n, _)| apex.zone_of(n)).collect();
        let mut pos_of = vec![0u32; found.len()];
        for (pos, &id) in order.iter().enumerate() {
            pos_of[id as usize] = pos as u32;
        }
        let mut slots: Vec<Option<(Name, NameInfo)>> = found.into_iter().map(Some).collect();
        let mut names: Vec<(Name, NameInfo)> = order
            .iter()
            .filter_map(|&id| slots[id as usize].take())
            .collect();
        let name_pos: HashMap<Name, u32> = ids
            .into_iter()
            .map(|(n, id)| (n, pos_of[id as usize]))
            .collect();

        let mut sets: HashMap<(u32, u16), Vec<usize>> = HashMap::new();
        let mut rrsigs: HashMap<(u32, u16), Vec<usize>> = HashMap::new();
        for (i, zr) in records.iter().enumerate() {
            let r = &zr.record;
            let id = owner_of[i] as usize;
            if !in_zone[id] {
                continue; // out of zone: the zone reader reports it
            }
            let pos = pos_of[id];
            if r.record_type() == RecordType::RRSIG {
                if let RData::DNSSEC(DNSSECRData::RRSIG(sig)) = &r.data {
                    // Duplicates stay: judged twice at most, per the cap
                    // on signatures of one key over one RRset.
                    rrsigs
                        .entry((pos, u16::from(sig.input().type_covered)))
                        .or_default()
                        .push(i);
                }
                continue;
            }
            let rtype = u16::from(r.record_type());
            names[pos as usize].1.types.insert(rtype);
            // Duplicates are removed from the canonical form when signed.
            sets.entry((pos, rtype)).or_default().push(i);
        }

        // The structure: delegation points, occluded names, NSEC3 owners.
        let ns = u16::from(RecordType::NS);
        let cuts: HashSet<&Name> = names
            .iter()
            .filter(|(n, info)| n != apex && info.types.contains(&ns))
            .map(|(n, _)| n)
            .collect();
        // Data below a delegation or below a DNAME is never served, so
        // never signed (the reader reports it).
        let dname = u16::from(RecordType::DNAME);
        let occluders: HashSet<&Name> = names
            .iter()
            .filter(|(n, info)| {
                (n != apex && info.types.contains(&ns)) || info.types.contains(&dname)
            })
            .map(|(n, _)| n)
            .collect();
        let ds = u16::from(RecordType::DS);
        let nsec3 = u16::from(RecordType::NSEC3);
        let kinds: Vec<Kind> = names
            .par_iter()
            .with_min_len(1024)
            .map(|(name, info)| {
                if name == apex {
                    Kind::Apex
                } else if below_cut(name, apex, &occluders) {
                    Kind::Occluded
                } else if cuts.contains(name) {
                    Kind::Delegation {
                        secure: info.types.contains(&ds),
                    }
                } else if !info.types.is_empty() && info.types.iter().all(|&t| t == nsec3) {
                    Kind::Nsec3Owner
                } else {
                    Kind::Normal
                }
            })
            .collect();
        for ((_, info), kind) in names.iter_mut().zip(kinds) {
            info.kind = kind;
        }

        let mut rrsets: Vec<Rrset> = sets
            .into_iter()
            .map(|((pos, rtype), records)| {
                let (owner, info) = &names[pos as usize];
                let rtype = RecordType::from(rtype);
                let signed = match info.kind {
                    Kind::Occluded => false,
                    Kind::Delegation { .. } => {
                        matches!(rtype, RecordType::DS | RecordType::NSEC)
                    }
                    _ => true,
                };
                Rrset {
                    owner: owner.clone(),
                    name: pos,
                    rtype,
                    records,
                    signed,
                }
            })
            .collect();
        rrsets.sort_unstable_by_key(|s| (s.name, u16::from(s.rtype)));
        let rrset_pos = rrsets
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.name, u16::from(s.rtype)), i as u32))
            .collect();
        Index {
            apex,
            records,
            names,
            name_pos,
            rrsets,
            rrset_pos,
            rrsigs,
        }
    }

    /// The name's information, if the zone has the name.
    fn name_info(&self, name: &Name) -> Option<&NameInfo> {
        self.name_pos.get(name).map(|&p| &self.names[p as usize].1)
    }

    fn record(&self, i: usize) -> &'a ZoneRecord {
        &self.records[i]
    }

    /// The RRset of `owner` and `rtype`.
    fn rrset(&self, owner: &Name, rtype: RecordType) -> Option<&Rrset> {
        let pos = *self.name_pos.get(owner)?;
        self.rrset_pos
            .get(&(pos, u16::from(rtype)))
            .map(|&i| &self.rrsets[i as usize])
    }

    /// Line and column of the apex's SOA (or of the first record).
    fn apex_position(&self) -> (u32, u32) {
        self.rrset(self.apex, RecordType::SOA)
            .map(|s| {
                let r = self.record(s.records[0]);
                (r.line, r.column)
            })
            .or_else(|| self.records.first().map(|r| (r.line, r.column)))
            .unwrap_or((1, 1))
    }

    /// The DNSKEYs at the apex, in file order.
    fn keys(&self) -> Vec<Key<'a>> {
        let Some(set) = self.rrset(self.apex, RecordType::DNSKEY) else {
            return Vec::new();
        };
        let mut seen: Vec<&RData> = Vec::new();
        set.records
            .iter()
            .filter_map(|&i| {
                let zr = self.record(i);
                // A key written twice is one key.
                if seen.contains(&&zr.record.data) {
                    return None;
                }
                seen.push(&zr.record.data);
                let RData::DNSSEC(DNSSECRData::DNSKEY(k)) = &zr.record.data else {
                    return None;
                };
                let algorithm = u8::from(k.algorithm());
                let revoked = k.revoke();
                let usable = k.zone_key() && !revoked && supported(algorithm);
                Some(Key {
                    dnskey: k,
                    info: KeyInfo {
                        key_tag: key_tag(k),
                        algorithm,
                        flags: k.flags(),
                        sep: k.secure_entry_point(),
                        revoked,
                        signs_keys: false,
                        signs_data: false,
                        line: zr.line,
                    },
                    usable,
                })
            })
            .collect()
    }

    /// Diagnostics on the key set itself: algorithms.
    fn check_keys(&self, keys: &[Key<'_>], sink: &mut Sink) {
        let mut seen = BTreeSet::new();
        for k in keys {
            let alg = k.info.algorithm;
            let zr = self.records.iter().find(|r| r.line == k.info.line);
            let column = zr.map_or(1, |r| r.column);
            if !supported(alg) && !k.info.revoked && seen.insert(alg) {
                sink.push(Diagnostic::new(
                    Code::AlgorithmUnsupported,
                    k.info.line,
                    column,
                    alg.to_string(),
                    format!(
                        "the DNSKEY with key tag {} uses algorithm {}, which the grader cannot verify; sign with algorithm 13 (ECDSAP256SHA256) or 15 (ED25519)",
                        k.info.key_tag,
                        algorithm_label(alg)
                    ),
                ));
            }
            if let Some(bits) = rsa_bits(k.dnskey)
                && bits < 1024
                && !k.info.revoked
            {
                sink.push(Diagnostic::new(
                    Code::RsaKeyShort,
                    k.info.line,
                    column,
                    format!("{bits} bits"),
                    format!(
                        "the DNSKEY with key tag {} is a {bits}-bit RSA key: anyone can factor it and sign for the zone; use at least 2048 bits (RFC 8624), or algorithm 13 (ECDSAP256SHA256)",
                        k.info.key_tag
                    ),
                ));
            }
            if matches!(alg, 5 | 7) && seen.insert(alg) {
                sink.push(Diagnostic::new(
                    Code::AlgorithmDeprecated,
                    k.info.line,
                    column,
                    alg.to_string(),
                    format!(
                        "algorithm {} uses SHA-1, which RFC 8624 says not to sign with; use algorithm 13 (ECDSAP256SHA256) or 15 (ED25519)",
                        algorithm_label(alg)
                    ),
                ));
            }
        }
    }

    /// When the DNSKEY set holds no key a validator can use (all revoked,
    /// without the zone flag, or of algorithms the grader cannot verify),
    /// the error that says so.
    fn no_usable_key(&self, keys: &[Key<'_>]) -> Option<Diagnostic> {
        if keys.iter().any(|k| k.usable) {
            return None;
        }
        let why: Vec<String> = keys
            .iter()
            .map(|k| {
                let what = if k.info.revoked {
                    "revoked".to_string()
                } else if k.info.flags & 0x0100 == 0 {
                    format!(
                        "flags {} lack the zone-key bit (use 256 or 257)",
                        k.info.flags
                    )
                } else {
                    format!("algorithm {}", algorithm_label(k.info.algorithm))
                };
                format!("{} ({what})", k.info.key_tag)
            })
            .collect();
        let first = keys.first()?;
        let column = self
            .records
            .iter()
            .find(|r| r.line == first.info.line)
            .map_or(1, |r| r.column);
        Some(Diagnostic::new(
            Code::DnskeyMissing,
            first.info.line,
            column,
            "DNSKEY",
            format!(
                "the DNSKEY set has no key a validator can use: {}; publish a zone key (flags 256 or 257) of algorithm 13 or 15 and sign with it",
                some_of(&why, 8)
            ),
        ))
    }

    /// An unsigned zone: DNSSEC records in it are worth a warning; with
    /// `require_signed`, the missing DNSKEY set is an error.
    fn unsigned(&self, options: &Options, sink: &mut Sink) {
        let dnssec: Vec<&ZoneRecord> = self
            .records
            .iter()
            .filter(|r| {
                self.apex.zone_of(&r.record.name)
                    && matches!(
                        r.record.record_type(),
                        RecordType::RRSIG
                            | RecordType::NSEC
                            | RecordType::NSEC3
                            | RecordType::NSEC3PARAM
                            | RecordType::DNSKEY
                    )
            })
            .collect();
        if options.require_signed {
            let (line, column) = self.apex_position();
            let detail = if dnssec.is_empty() {
                "the zone has no DNSKEY records at its apex: it is not signed; sign it (dnssec-signzone, ldns-signzone, kzonesign) and check the signed file".to_string()
            } else {
                format!(
                    "the zone has {} DNSSEC records but no DNSKEY set at its apex {}, so none of its signatures can be checked; publish the keys that signed it",
                    dnssec.len(),
                    Shown(self.apex)
                )
            };
            sink.push(Diagnostic::new(
                Code::DnskeyMissing,
                line,
                column,
                "",
                detail,
            ));
        }
        if let Some(first) = dnssec.first() {
            sink.push(Diagnostic::new(
                Code::DnssecInUnsignedZone,
                first.line,
                first.column,
                type_name(u16::from(first.record.record_type())),
                format!(
                    "{} DNSSEC records (RRSIG, NSEC, NSEC3) in a zone without a DNSKEY set at its apex; resolvers treat the zone as unsigned",
                    dnssec.len()
                ),
            ));
        }
    }
}

/// Whether `name` is strictly below one of the delegation points `cuts`.
fn below_cut(name: &Name, apex: &Name, cuts: &HashSet<&Name>) -> bool {
    let mut n = name.base_name();
    while n != *apex && apex.zone_of(&n) {
        if cuts.contains(&n) {
            return true;
        }
        n = n.base_name();
    }
    false
}

/// The modulus size of an RSA DNSKEY, in bits; `None` for other algorithms
/// or a key that does not parse.
fn rsa_bits(k: &DNSKEY) -> Option<u64> {
    if !matches!(u8::from(k.algorithm()), 5 | 7 | 8 | 10) {
        return None;
    }
    let (_, n) = signatures::rsa_parts(k.public_key().public_bytes())?;
    let n = match n.iter().position(|&b| b != 0) {
        Some(i) => &n[i..],
        None => return Some(0),
    };
    Some(n.len() as u64 * 8 - u64::from(n[0].leading_zeros()))
}

/// Algorithms the grader verifies.
fn supported(alg: u8) -> bool {
    matches!(alg, 5 | 7 | 8 | 10 | 13 | 14 | 15) && Algorithm::from_u8(alg).is_supported()
}

/// `13 (ECDSAP256SHA256)`.
fn algorithm_label(alg: u8) -> String {
    match algorithm_name(alg) {
        Some(n) => format!("{alg} ({n})"),
        None => alg.to_string(),
    }
}

/// The key tag of a DNSKEY (RFC 4034 App. B).
fn key_tag(k: &DNSKEY) -> u16 {
    k.calculate_key_tag().unwrap_or(0)
}

/// Matches each DS handed in against the keys.
fn check_ds(apex: &Name, keys: &[Key<'_>], ds: &[ZoneRecord], sink: &mut Sink) -> Vec<DsStatus> {
    let mut out = Vec::new();
    for zr in ds {
        let RData::DNSSEC(DNSSECRData::DS(d)) = &zr.record.data else {
            continue;
        };
        let digest_type = u8::from(d.digest_type());
        let algorithm = u8::from(d.algorithm());
        let matching: Vec<&Key<'_>> = keys
            .iter()
            .filter(|k| {
                k.info.key_tag == d.key_tag()
                    && k.info.algorithm == algorithm
                    && digest_matches(apex, k.dnskey, d)
            })
            .collect();
        let matches = !matching.is_empty();
        let matches_sep = matching.iter().any(|k| k.info.sep);
        let shown = format!("{} {} {}", d.key_tag(), algorithm, digest_type);
        if matches && !matching.iter().any(|k| k.usable && k.info.signs_keys) {
            sink.push(Diagnostic::new(
                Code::DsNoMatch,
                zr.line,
                zr.column,
                shown.clone(),
                format!(
                    "the DS with key tag {} matches a key of the zone, but that key {}: a resolver following this DS finds no valid signature over the DNSKEY set; sign the DNSKEY set with it, or hand in the DS of the KSK that does",
                    d.key_tag(),
                    if matching.iter().any(|k| k.info.revoked) {
                        "is revoked"
                    } else {
                        "does not sign the DNSKEY set"
                    }
                ),
            ));
        }
        if !matches {
            let tags: Vec<String> = keys
                .iter()
                .map(|k| format!("{} (algorithm {})", k.info.key_tag, k.info.algorithm))
                .collect();
            let why = if !matches!(digest_type, 1 | 2 | 4) {
                format!(
                    "digest type {digest_type} is not one the grader can compute (use 2, SHA-256)"
                )
            } else if keys.iter().any(|k| k.info.key_tag == d.key_tag()) {
                "the key with that tag gives another digest (a DS of another zone, or of an older key)".to_string()
            } else if tags.is_empty() {
                "the zone has no DNSKEY".to_string()
            } else {
                format!("the zone's keys have tags {}", some_of(&tags, 8))
            };
            sink.push(Diagnostic::new(
                Code::DsNoMatch,
                zr.line,
                zr.column,
                shown.clone(),
                format!(
                    "the DS with key tag {} and algorithm {} matches no DNSKEY of {}: {why}; make it with `dnssec-dsfromkey -2` from the KSK",
                    d.key_tag(),
                    algorithm,
                    Shown(apex)
                ),
            ));
        } else if !matches_sep {
            sink.push(Diagnostic::new(
                Code::DsNotSep,
                zr.line,
                zr.column,
                shown.clone(),
                format!(
                    "the DS with key tag {} matches a key without the SEP flag (a ZSK); the DS should point at the KSK",
                    d.key_tag()
                ),
            ));
        }
        if digest_type == 1 {
            sink.push(Diagnostic::new(
                Code::DsSha1,
                zr.line,
                zr.column,
                shown,
                "digest type 1 (SHA-1) must not be used (RFC 8624); use digest type 2 (SHA-256)",
            ));
        }
        out.push(DsStatus {
            line: zr.line,
            key_tag: d.key_tag(),
            algorithm,
            digest_type,
            matches,
            matches_sep,
        });
    }
    out
}

fn digest_matches(apex: &Name, key: &DNSKEY, ds: &DS) -> bool {
    match ds.digest_type() {
        DigestType::SHA1 | DigestType::SHA256 | DigestType::SHA384 => key
            .to_digest(apex, ds.digest_type())
            .is_ok_and(|d| d.as_ref() == ds.digest()),
        _ => false,
    }
}

/// At most `n` items joined with ", ", then "and K more".
fn some_of(items: &[String], n: usize) -> String {
    if items.len() <= n {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..n].join(", "), items.len() - n)
    }
}

/// A time as DNSSEC writes it, with its calendar form:
/// `20261201000000 (2026-12-01 00:00:00 UTC)`.
fn when(t: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(t) {
        Ok(d) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        ),
        Err(_) => format!("{t} seconds since 1970"),
    }
}

/// The absolute time of a 32-bit RRSIG time field, taken as the one
/// nearest to `now` (RFC 4034 §3.1.5, serial number arithmetic).
fn absolute(field: u32, now: i64) -> i64 {
    let delta = field.wrapping_sub(now as u32) as i32;
    now + i64::from(delta)
}

/// `rtype` of `owner`, for messages: `the A RRset of www.lab.example.`.
fn rrset_label(owner: &Name, rtype: RecordType) -> String {
    format!(
        "the {} RRset of {}",
        type_name(u16::from(rtype)),
        Shown(owner)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::Severity;

    #[test]
    fn serial_times() {
        let now = 1_800_000_000;
        assert_eq!(absolute(now as u32, now), now);
        assert_eq!(absolute((now + 10) as u32, now), now + 10);
        assert_eq!(absolute((now - 10) as u32, now), now - 10);
        // 2106 wraps: a field just past 2^32 is still in the future.
        let late = (1_i64 << 32) - 5;
        assert_eq!(
            absolute(((late + 20) as u64 & 0xffff_ffff) as u32, late),
            late + 20
        );
    }

    #[test]
    fn times_read() {
        assert_eq!(when(0), "1970-01-01 00:00:00 UTC");
    }

    #[test]
    fn severity_of_codes() {
        assert_eq!(Code::RrsigExpiresSoon.severity(), Severity::Warning);
        assert_eq!(Code::RrsigExpired.severity(), Severity::Error);
    }
}
