//! RRSIG checks: every authoritative RRset signed by every algorithm of the
//! DNSKEY set, each signature checked field by field and verified.

use std::collections::{BTreeMap, BTreeSet};

use hickory_proto::dnssec::PublicKey;
use hickory_proto::dnssec::rdata::sig::SigInput;
use hickory_proto::dnssec::rdata::{DNSSECRData, RRSIG};
use hickory_proto::rr::{Name, RData, RecordType};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder, NameEncoding};
use rayon::prelude::*;

use super::{
    Index, Key, Options, Rrset, RrsetStatus, Security, absolute, algorithm_label, rrset_label, when,
};
use crate::zone::sink::Sink;
use crate::zone::{Code, Diagnostic, Shown, type_name};

/// Most keys with a signature's tag and algorithm that are tried for it.
const MAX_KEY_CANDIDATES: usize = 4;

/// What became of one RRSIG.
enum Outcome {
    /// It verifies and is valid now: by key `key` (index into the keys).
    Valid { key: usize, expires: i64 },
    /// It is wrong; the diagnostic says how.
    Fault(Diagnostic),
    /// Made by a revoked key or a key of an unsupported algorithm: neither
    /// counted nor faulted (the key itself is reported).
    Ignored,
}

/// Checks every RRSIG of the zone and returns the verdict on every RRset.
pub(super) fn check(
    index: &Index<'_>,
    keys: &mut [Key<'_>],
    options: &Options,
    sink: &mut Sink,
) -> Vec<RrsetStatus> {
    let algorithms: BTreeSet<u8> = keys
        .iter()
        .filter(|k| k.usable)
        .map(|k| k.info.algorithm)
        .collect();

    // Every RRset on all cores: each RRSIG's field checks, signature, TTL
    // and validity window, then the RRset's verdict. Collected in zone order.
    let shared: &[Key<'_>] = keys;
    let settled: Vec<Settled> = index
        .rrsets
        .par_iter()
        .with_min_len(32)
        .map(|set| {
            let sigs = index
                .rrsigs
                .get(&(set.name, u16::from(set.rtype)))
                .map_or(&[][..], Vec::as_slice);
            // The RRset in canonical form, made once for all its RRSIGs.
            let canonical = std::cell::OnceCell::new();
            let mut per_key: Vec<((u16, u8), usize)> = Vec::new();
            let outcomes = sigs.iter().map(move |&i| {
                let outcome = if !set.signed {
                    Outcome::Fault(unexpected(index, i, set.rtype))
                } else if over_cap(&mut per_key, sig_of(index, i)) {
                    Outcome::Ignored
                } else {
                    let canonical = canonical.get_or_init(|| canonical_rrset(index, set));
                    judge(index, shared, set, i, canonical.as_deref(), options)
                };
                (i, outcome)
            });
            settle(index, shared, &algorithms, options, set, outcomes)
        })
        .collect();

    // RRSIGs over no RRset at all.
    let mut orphans: Vec<usize> = index
        .rrsigs
        .iter()
        .filter(|(key, _)| !index.rrset_pos.contains_key(key))
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    orphans.sort_unstable();
    for i in orphans {
        let r = index.record(i);
        let covered = covered(index, i);
        sink.push(Diagnostic::new(
            Code::RrsigUnexpected,
            r.line,
            r.column,
            "RRSIG",
            format!(
                "this RRSIG covers type {covered} at {}, but the zone has no {covered} records there; remove it or re-sign the zone",
                Shown(&r.record.name)
            ),
        ));
    }

    let mut soon: Vec<(i64, u32, u32)> = Vec::new();
    let mut verdicts = Vec::with_capacity(index.rrsets.len());
    let mut signs_keys: BTreeMap<u8, bool> = algorithms.iter().map(|&a| (a, false)).collect();
    let mut sep_faulted = BTreeSet::new();
    for one in settled {
        for d in one.diagnostics {
            sink.push(d);
        }
        for k in one.used {
            let info = &mut keys[k].info;
            if one.keyset {
                info.signs_keys = true;
                if info.sep {
                    signs_keys.insert(info.algorithm, true);
                }
            } else {
                info.signs_data = true;
            }
        }
        sep_faulted.extend(one.sep_faulted);
        soon.extend(one.soon);
        verdicts.push(one.status);
    }

    // The DNSKEY set must be signed by a SEP key of every algorithm.
    for (alg, signed) in signs_keys {
        if signed || sep_faulted.contains(&alg) {
            continue;
        }
        let of_alg: Vec<&Key<'_>> = keys
            .iter()
            .filter(|k| k.usable && k.info.algorithm == alg)
            .collect();
        let Some(first) = of_alg.first() else {
            continue;
        };
        let seps: Vec<String> = of_alg
            .iter()
            .filter(|k| k.info.sep)
            .map(|k| k.info.key_tag.to_string())
            .collect();
        let message = if seps.is_empty() {
            format!(
                "no key of algorithm {} has the SEP flag (flags 257): the DNSKEY set needs a KSK (or CSK) that signs it; generate one with `dnssec-keygen -f KSK` and re-sign",
                algorithm_label(alg)
            )
        } else {
            format!(
                "the KSK {} (algorithm {}) does not validly sign the DNSKEY set; re-sign the zone with it",
                super::some_of(&seps, 8),
                algorithm_label(alg)
            )
        };
        let column = index
            .records
            .iter()
            .find(|r| r.line == first.info.line)
            .map_or(1, |r| r.column);
        sink.push(Diagnostic::new(
            Code::KskMissing,
            first.info.line,
            column,
            "DNSKEY",
            message,
        ));
    }

    if let Some(&(expires, line, column)) = soon.iter().min() {
        let days = options.expiry_horizon as f64 / 86_400.0;
        sink.push(Diagnostic::new(
            Code::RrsigExpiresSoon,
            line,
            column,
            "RRSIG",
            format!(
                "{} signature{} expire within {days} days of the validation time; the first, this one, on {}: re-sign before then",
                soon.len(),
                if soon.len() == 1 { "" } else { "s" },
                when(expires)
            ),
        ));
    }
    verdicts
}

/// The RRSIG data of record `i`.
fn sig_of<'a>(index: &Index<'a>, i: usize) -> Option<&'a RRSIG> {
    match &index.record(i).record.data {
        RData::DNSSEC(DNSSECRData::RRSIG(sig)) => Some(sig),
        _ => None,
    }
}

fn covered(index: &Index<'_>, i: usize) -> String {
    sig_of(index, i).map_or_else(
        || "?".into(),
        |s| type_name(u16::from(s.input().type_covered)),
    )
}

fn unexpected(index: &Index<'_>, i: usize, rtype: RecordType) -> Diagnostic {
    let r = index.record(i);
    Diagnostic::new(
        Code::RrsigUnexpected,
        r.line,
        r.column,
        "RRSIG",
        format!(
            "{} must not be signed: it is not authoritative data of the zone (a delegation's NS records, or glue); remove this RRSIG",
            rrset_label(&r.record.name, rtype)
        ),
    )
}

/// The checks of the RRSIG's own fields before its signature: signer,
/// key, labels, original TTL. Returns the candidate keys.
fn fields(
    index: &Index<'_>,
    keys: &[Key<'_>],
    i: usize,
    owner: &Name,
) -> Result<Vec<usize>, Outcome> {
    let r = index.record(i);
    let Some(sig) = sig_of(index, i) else {
        return Err(Outcome::Ignored);
    };
    let input = sig.input();
    let at = |code, text: String, message: String| {
        Outcome::Fault(Diagnostic::new(code, r.line, r.column, text, message))
    };
    let what = rrset_label(owner, input.type_covered);
    if input.signer_name != *index.apex {
        return Err(at(
            Code::RrsigSignerMismatch,
            Shown(&input.signer_name).to_string(),
            format!(
                "the signature over {what} names {} as its signer, but the zone is {}: sign with the zone's own keys",
                Shown(&input.signer_name),
                Shown(index.apex)
            ),
        ));
    }
    let alg = u8::from(input.algorithm);
    let matching: Vec<usize> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| k.info.key_tag == input.key_tag && k.info.algorithm == alg)
        .map(|(j, _)| j)
        .collect();
    // Keys sharing a tag and algorithm are tried in turn; a zone full of
    // colliding keys must not make a grading try thousands per signature
    // (the KeyTrap attack on resolvers, CVE-2023-50387).
    let usable: Vec<usize> = matching
        .iter()
        .copied()
        .filter(|&j| keys[j].usable)
        .take(MAX_KEY_CANDIDATES)
        .collect();
    if usable.is_empty() {
        if !matching.is_empty() {
            return Err(Outcome::Ignored);
        }
        return Err(at(
            Code::RrsigNoKey,
            input.key_tag.to_string(),
            format!(
                "the signature over {what} was made by key tag {} (algorithm {}), which is not in the DNSKEY set at {}: publish that key, or re-sign with the keys that are",
                input.key_tag,
                algorithm_label(alg),
                Shown(index.apex)
            ),
        ));
    }
    let labels = owner.num_labels();
    if input.num_labels != labels {
        return Err(at(
            Code::RrsigLabels,
            input.num_labels.to_string(),
            format!(
                "the signature over {what} has labels {}, but {} has {labels} labels (not counting a leading `*`)",
                input.num_labels,
                Shown(owner)
            ),
        ));
    }
    Ok(usable)
}

/// One RRset judged: its verdict and what the zone-wide checks need.
struct Settled {
    status: RrsetStatus,
    /// Its diagnostics, in the order found.
    diagnostics: Vec<Diagnostic>,
    /// Keys (indices) with a valid signature over it.
    used: Vec<usize>,
    /// It is the apex's DNSKEY set.
    keyset: bool,
    /// Algorithms whose KSK's signature over the DNSKEY set is faulty.
    sep_faulted: Vec<u8>,
    /// Valid signatures that expire within the horizon: (expiry, line, column).
    soon: Vec<(i64, u32, u32)>,
}

/// The verdict on `set` from the outcomes of its RRSIGs.
fn settle(
    index: &Index<'_>,
    keys: &[Key<'_>],
    algorithms: &BTreeSet<u8>,
    options: &Options,
    set: &Rrset,
    outcomes: impl Iterator<Item = (usize, Outcome)>,
) -> Settled {
    let first = index.record(set.records[0]);
    let keyset = set.rtype == RecordType::DNSKEY && set.owner == *index.apex;
    let mut out = Settled {
        status: RrsetStatus {
            owner: set.owner.clone(),
            rtype: set.rtype,
            security: Security::Unsigned,
            reason: None,
            line: first.line,
            signed_by: Vec::new(),
            expires: None,
        },
        diagnostics: Vec::new(),
        used: Vec::new(),
        keyset,
        sep_faulted: Vec::new(),
        soon: Vec::new(),
    };
    let mut reason: Option<Diagnostic> = None;
    let mut valid: BTreeMap<u8, i64> = BTreeMap::new();
    let mut tags = BTreeSet::new();
    let mut faulty_algs = BTreeSet::new();
    for (i, outcome) in outcomes {
        match outcome {
            Outcome::Valid { key, expires } => {
                let info = &keys[key].info;
                tags.insert(info.key_tag);
                out.used.push(key);
                let best = valid.entry(info.algorithm).or_insert(expires);
                *best = (*best).max(expires);
                if expires - options.now < options.expiry_horizon {
                    let r = index.record(i);
                    out.soon.push((expires, r.line, r.column));
                }
            }
            Outcome::Fault(d) => {
                if let Some(input) = sig_of(index, i).map(|s| s.input()) {
                    let alg = u8::from(input.algorithm);
                    faulty_algs.insert(alg);
                    // A KSK's own signature over the keys that is wrong is
                    // reported as such, not as a missing KSK.
                    let by_sep = keys.iter().any(|k| {
                        k.info.sep && k.info.key_tag == input.key_tag && k.info.algorithm == alg
                    });
                    if by_sep && keyset {
                        out.sep_faulted.push(alg);
                    }
                }
                if reason.is_none() {
                    reason = Some(d.clone());
                }
                out.diagnostics.push(d);
            }
            Outcome::Ignored => {}
        }
    }
    if !set.signed {
        return out;
    }
    let mut security = Security::Secure;
    for &alg in algorithms {
        if valid.contains_key(&alg) {
            continue;
        }
        security = Security::Bogus;
        if faulty_algs.contains(&alg) {
            continue; // the faulty signature says why
        }
        let d = Diagnostic::new(
            Code::RrsigMissing,
            first.line,
            first.column,
            type_name(u16::from(set.rtype)),
            format!(
                "{} has no valid signature of algorithm {}; every RRset must be signed by every algorithm of the DNSKEY set: re-sign the zone after changing it",
                rrset_label(&set.owner, set.rtype),
                algorithm_label(alg)
            ),
        );
        if reason.is_none() {
            reason = Some(d.clone());
        }
        out.diagnostics.push(d);
    }
    out.status.security = security;
    // A faulty signature beside valid ones of every algorithm: the RRset
    // validates, and the fault is reported all the same.
    out.status.reason = reason.filter(|_| security == Security::Bogus);
    out.status.signed_by = tags.into_iter().collect();
    out.status.expires = (security == Security::Secure)
        .then(|| valid.values().copied().min())
        .flatten();
    out
}

/// Everything about one RRSIG `i` over `set`.
fn judge(
    index: &Index<'_>,
    keys: &[Key<'_>],
    set: &Rrset,
    i: usize,
    canonical: Option<&[Vec<u8>]>,
    options: &Options,
) -> Outcome {
    let candidates = match fields(index, keys, i, &set.owner) {
        Ok(c) => c,
        Err(o) => return o,
    };
    match canonical.and_then(|c| verify(index, keys, set, i, c, &candidates)) {
        Some(k) => timing(index, i, set, k, options),
        None => Outcome::Fault(bad_signature(index, keys, set, i, candidates[0])),
    }
}

/// The cryptographic check: the index of the key that verifies it.
fn verify(
    index: &Index<'_>,
    keys: &[Key<'_>],
    set: &Rrset,
    i: usize,
    canonical: &[Vec<u8>],
    candidates: &[usize],
) -> Option<usize> {
    let sig = sig_of(index, i)?;
    let data = signed_data(&set.owner, sig.input(), canonical)?;
    candidates.iter().copied().find(|&k| {
        let key = keys[k].dnskey.public_key();
        key.verify(&data, sig.sig()).is_ok()
            || short_rsa_verifies(key.public_bytes(), keys[k].info.algorithm, &data, sig.sig())
    })
}

/// The exponent and modulus of an RSA public key in DNSKEY form (RFC 3110
/// §2): a length octet (or zero and two octets), the exponent, the modulus.
pub(super) fn rsa_parts(key: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = match key.split_first()? {
        (0, rest) if rest.len() >= 2 => (
            usize::from(u16::from_be_bytes([rest[0], rest[1]])),
            &rest[2..],
        ),
        (&n, rest) if n != 0 => (usize::from(n), rest),
        _ => return None,
    };
    (rest.len() > len && len > 0).then(|| rest.split_at(len))
}

/// RSA signatures by keys shorter than 1024 bits, which the cryptographic
/// backend refuses to check (such keys appear in RFC 5155's examples and in
/// old labs; they are warned about as `rsa-key-short`). PKCS#1 v1.5 with
/// the digest of the DNSSEC algorithm (RFC 3110, RFC 5702).
fn short_rsa_verifies(key: &[u8], algorithm: u8, data: &[u8], signature: &[u8]) -> bool {
    use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
    use sha2::Digest;
    const SHA1: &[u8] = &[
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
    ];
    const SHA256: &[u8] = &[
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    const SHA512: &[u8] = &[
        0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
        0x05, 0x00, 0x04, 0x40,
    ];
    let Some((e, n)) = rsa_parts(key) else {
        return false;
    };
    let n = BigUint::from_bytes_be(n);
    if n.bits() >= 1024 {
        return false; // the backend judged it
    }
    let (prefix, hashed): (&[u8], Vec<u8>) = match algorithm {
        5 | 7 => (SHA1, sha1::Sha1::digest(data).to_vec()),
        8 => (SHA256, sha2::Sha256::digest(data).to_vec()),
        10 => (SHA512, sha2::Sha512::digest(data).to_vec()),
        _ => return false,
    };
    let Ok(public) = RsaPublicKey::new(n, BigUint::from_bytes_be(e)) else {
        return false;
    };
    let scheme = Pkcs1v15Sign {
        hash_len: Some(hashed.len()),
        prefix: prefix.into(),
    };
    public.verify(scheme, &hashed, signature).is_ok()
}

fn bad_signature(
    index: &Index<'_>,
    keys: &[Key<'_>],
    set: &Rrset,
    i: usize,
    key: usize,
) -> Diagnostic {
    let r = index.record(i);
    let tag = keys[key].info.key_tag;
    Diagnostic::new(
        Code::RrsigBadSignature,
        r.line,
        r.column,
        "RRSIG",
        format!(
            "the signature by key {tag} over {} does not verify: the records (line {}) or the signature changed after signing; re-sign the zone",
            rrset_label(&set.owner, set.rtype),
            index.record(set.records[0]).line
        ),
    )
}

/// The checks after the signature verified: original TTL and validity
/// window.
fn timing(index: &Index<'_>, i: usize, set: &Rrset, key: usize, options: &Options) -> Outcome {
    let r = index.record(i);
    let Some(sig) = sig_of(index, i) else {
        return Outcome::Ignored;
    };
    let input: &SigInput = sig.input();
    let what = rrset_label(&set.owner, set.rtype);
    let first = index.record(set.records[0]);
    if input.original_ttl != first.record.ttl {
        return Outcome::Fault(Diagnostic::new(
            Code::RrsigOriginalTtl,
            r.line,
            r.column,
            input.original_ttl.to_string(),
            format!(
                "the signature over {what} was made for TTL {}, but the records have TTL {} (line {}): change the TTL back or re-sign",
                input.original_ttl, first.record.ttl, first.line
            ),
        ));
    }
    let inception = absolute(input.sig_inception.get(), options.now);
    let expires = absolute(input.sig_expiration.get(), options.now);
    if expires < options.now {
        return Outcome::Fault(Diagnostic::new(
            Code::RrsigExpired,
            r.line,
            r.column,
            "RRSIG",
            format!(
                "the signature over {what} expired on {}, before the validation time {}: re-sign the zone",
                when(expires),
                when(options.now)
            ),
        ));
    }
    if inception > options.now {
        return Outcome::Fault(Diagnostic::new(
            Code::RrsigNotYetValid,
            r.line,
            r.column,
            "RRSIG",
            format!(
                "the signature over {what} is valid only from {}, after the validation time {}: check the signer's clock and its inception option",
                when(inception),
                when(options.now)
            ),
        ));
    }
    Outcome::Valid { key, expires }
}

/// The RRset's record data in canonical form (RFC 4034 §6.2) and order
/// (§6.3), duplicates removed; `None` when a record cannot be encoded.
fn canonical_rrset(index: &Index<'_>, set: &Rrset) -> Option<Vec<Vec<u8>>> {
    let mut canonical = Vec::with_capacity(set.records.len());
    for &r in &set.records {
        let mut buf = Vec::new();
        let mut enc = BinEncoder::new(&mut buf);
        enc.set_canonical_form(true);
        enc.set_name_encoding(NameEncoding::Uncompressed);
        index.record(r).record.data.emit(&mut enc).ok()?;
        canonical.push(buf);
    }
    canonical.sort_unstable();
    canonical.dedup();
    Some(canonical)
}

/// Whether this RRSIG is one too many of its key tag and algorithm over
/// one RRset ([`MAX_KEY_CANDIDATES`] are judged; a legitimate zone has one):
/// hostile zones must not multiply the signatures to verify.
fn over_cap(per_key: &mut Vec<((u16, u8), usize)>, sig: Option<&RRSIG>) -> bool {
    let Some(sig) = sig else { return false };
    let key = (sig.input().key_tag, u8::from(sig.input().algorithm));
    match per_key.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => {
            *n += 1;
            *n > MAX_KEY_CANDIDATES
        }
        None => {
            per_key.push((key, 1));
            false
        }
    }
}

/// The data a signature covers (RFC 4034 §3.1.8.1): the RRSIG's fields and
/// the RRset in canonical form and order, duplicates removed. `None` when a
/// record cannot be encoded.
fn signed_data(owner: &Name, input: &SigInput, canonical: &[Vec<u8>]) -> Option<Vec<u8>> {
    // `fields` made sure the labels field equals the owner's label count,
    // so the owner itself (a wildcard stays `*.`) is the signed name.
    let name = owner;
    let mut out = Vec::new();
    let mut enc = BinEncoder::new(&mut out);
    enc.set_canonical_form(true);
    enc.set_name_encoding(NameEncoding::Uncompressed);
    input.emit(&mut enc).ok()?;
    for rdata in canonical {
        {
            let mut e = enc.with_name_encoding(NameEncoding::UncompressedLowercase);
            name.emit(&mut e).ok()?;
        }
        enc.emit_u16(u16::from(input.type_covered)).ok()?;
        enc.emit_u16(1).ok()?; // IN
        enc.emit_u32(input.original_ttl).ok()?;
        enc.emit_u16(u16::try_from(rdata.len()).ok()?).ok()?;
        enc.emit_vec(rdata).ok()?;
    }
    Some(out)
}
