//! Integrity checks on a zone that has been read: the checks
//! `named-checkzone -i local -k fail` and `kzonecheck` make after loading,
//! plus the policy warnings a DNS course teaches (Zonemaster SOA timers,
//! RFC 9276 NSEC3 parameters, single NS, ...).
//!
//! Names are compared case-insensitively through their lowercase wire form;
//! an ancestor of a name is a suffix of its wire form, so walking up the
//! tree allocates nothing. What lies above a name (the nearest delegation
//! and DNAME) is computed once per name and remembered, so deep names cost
//! no more than shallow ones.
//!
//! A finding about a record is reported at the record's first token; its
//! `text` is that token as written (the caret of the rendered diagnostic
//! underlines it), and the message names what is wrong.

use std::cell::RefCell;

use data_encoding::BASE32HEX_NOPAD;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use hickory_proto::rr::{Name, RData, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};

use super::ZoneRecord;
use super::diag::{Code, Diagnostic};
use super::lexer::offset_of_column;
use super::reader::rdata_wire;
use super::sink::{Sink, shown};
use super::text::Shown;

const SOA: u16 = 6;
const NS: u16 = 2;
const CNAME: u16 = 5;
const DNAME: u16 = 39;
const A: u16 = 1;
const AAAA: u16 = 28;
const DS: u16 = 43;
const RRSIG: u16 = 46;
const NSEC: u16 = 47;
const NSEC3: u16 = 50;
const NSEC3PARAM: u16 = 51;
const MX: u16 = 15;
const SRV: u16 = 33;
const PTR: u16 = 12;
const AFSDB: u16 = 18;

/// Lowercase wire form of a name.
fn key(name: &Name, out: &mut Vec<u8>) {
    out.clear();
    for label in name.iter() {
        out.push(label.len() as u8);
        out.extend(label.iter().map(u8::to_ascii_lowercase));
    }
    out.push(0);
}

/// The parent of a wire name (`None` for the root).
fn parent(wire: &[u8]) -> Option<&[u8]> {
    let len = *wire.first()? as usize;
    if len == 0 { None } else { wire.get(1 + len..) }
}

/// Where diagnostics go, with the text to quote from: a finding about a
/// record carries the token written where the record starts.
struct Out<'s, 'k> {
    src: &'s [u8],
    sink: &'k mut Sink,
    /// Byte offset of each line (built at the first finding).
    lines: Option<Vec<u32>>,
}

impl Out<'_, '_> {
    fn push(&mut self, d: Diagnostic) {
        self.sink.push(d);
    }

    /// A finding about record `r`, at its first token.
    fn record(&mut self, code: Code, r: &ZoneRecord, message: String) {
        let text = if self.sink.keeps() {
            self.token_at(r.line, r.column)
        } else {
            String::new()
        };
        self.sink
            .push(Diagnostic::new(code, r.line, r.column, text, message));
    }

    /// The token (a word, or a quoted string with its quotes) written at
    /// `line`:`column`, as the reader split it.
    fn token_at(&mut self, line: u32, column: u32) -> String {
        let src = self.src;
        let lines = self.lines.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(
                    src.iter()
                        .enumerate()
                        .filter(|&(_, &b)| b == b'\n')
                        .map(|(i, _)| i as u32 + 1),
                )
                .collect()
        });
        let Some(&start) = line.checked_sub(1).and_then(|l| lines.get(l as usize)) else {
            return String::new();
        };
        let start = start as usize;
        let Some(at) = offset_of_column(src, start, column) else {
            return String::new();
        };
        let rest = &src[at..];
        let end = if rest.first() == Some(&b'"') {
            let mut i = 1;
            while i < rest.len() && !matches!(rest[i], b'"' | b'\n') {
                i += if rest[i] == b'\\' { 2 } else { 1 };
            }
            (i + 1).min(rest.len())
        } else {
            let mut i = 0;
            while i < rest.len() {
                match rest[i] {
                    b'\\' => i += 2,
                    b if b.is_ascii_whitespace() || b < 0x20 || b == 0x7f => break,
                    b';' | b'(' | b')' | b'"' => break,
                    _ => i += 1,
                }
            }
            i.min(rest.len())
        };
        shown(&rest[..end])
    }
}

#[derive(Default)]
struct Node {
    /// Distinct types at this name, sorted (inline up to 6: no allocation
    /// for the usual name).
    types: tinyvec::TinyVec<[u16; 6]>,
}

impl Node {
    fn has(&self, t: u16) -> bool {
        self.types.binary_search(&t).is_ok()
    }
    fn has_address(&self) -> bool {
        self.has(A) || self.has(AAAA)
    }
}

/// What lies strictly above a name, inside the zone.
#[derive(Clone, Copy, Default)]
struct Above<'a> {
    /// The nearest delegation (NS below the apex).
    cut: Option<&'a [u8]>,
    /// The nearest DNAME (the apex included).
    dname: Option<&'a [u8]>,
}

struct Zone<'a> {
    apex: Vec<u8>,
    /// Node index by lowercase wire name.
    index: HashMap<&'a [u8], usize>,
    nodes: Vec<Node>,
    /// [`Above`] of every name (and ancestor) asked about so far.
    above: RefCell<HashMap<&'a [u8], Above<'a>>>,
}

impl<'a> Zone<'a> {
    fn node(&self, wire: &[u8]) -> Option<&Node> {
        self.index.get(wire).map(|&i| &self.nodes[i])
    }

    fn in_zone(&self, wire: &[u8]) -> bool {
        wire.len() >= self.apex.len() && is_suffix(wire, &self.apex)
    }

    /// The nearest delegation and DNAME strictly above `wire` (a name in the
    /// zone): found from its parent, whose own answer is remembered (so a
    /// deep tree is walked once, while a flat zone remembers nothing).
    fn above(&self, wire: &'a [u8]) -> Above<'a> {
        match parent(wire) {
            Some(p) if wire.len() > self.apex.len() => self.step(p, self.ancestor(p)),
            _ => Above::default(),
        }
    }

    /// What is above a name, given its parent `p` and what is above `p`.
    fn step(&self, p: &'a [u8], above_p: Above<'a>) -> Above<'a> {
        let node = self.node(p);
        let at_apex = p.len() <= self.apex.len();
        Above {
            cut: if !at_apex && node.is_some_and(|n| n.has(NS)) {
                Some(p)
            } else {
                above_p.cut
            },
            dname: if node.is_some_and(|n| n.has(DNAME)) {
                Some(p)
            } else {
                above_p.dname
            },
        }
    }

    /// [`Zone::above`] of an ancestor, remembered: a walk up stops at the
    /// first ancestor already known (or the apex).
    fn ancestor(&self, wire: &'a [u8]) -> Above<'a> {
        if wire.len() <= self.apex.len() {
            return Above::default();
        }
        if let Some(a) = self.above.borrow().get(wire) {
            return *a;
        }
        // The names from `wire` up to the first one known (or the apex).
        let mut chain = vec![wire];
        let mut known = Above::default();
        let mut cur = wire;
        while let Some(p) = parent(cur) {
            if p.len() <= self.apex.len() {
                break;
            }
            if let Some(a) = self.above.borrow().get(p) {
                known = *a;
                break;
            }
            chain.push(p);
            cur = p;
        }
        let mut memo = self.above.borrow_mut();
        // Down again: what is above a name is its parent, or what is above
        // its parent.
        for &name in chain.iter().rev() {
            let Some(p) = parent(name) else { break };
            known = self.step(p, known);
            memo.insert(name, known);
        }
        known
    }

    fn is_delegation(&self, wire: &[u8], n: &Node) -> bool {
        n.has(NS) && wire != self.apex.as_slice()
    }

    /// The delegation point at or above `wire` (below the apex), if any.
    fn cut_at_or_above(&self, wire: &'a [u8]) -> Option<&'a [u8]> {
        if self.node(wire).is_some_and(|n| self.is_delegation(wire, n)) {
            return Some(wire);
        }
        self.above(wire).cut
    }
}

/// Whether `suffix` is a whole-label suffix of `wire`.
fn is_suffix(wire: &[u8], suffix: &[u8]) -> bool {
    let mut cur = Some(wire);
    while let Some(c) = cur {
        if c.len() == suffix.len() {
            return c == suffix;
        }
        if c.len() < suffix.len() {
            return false;
        }
        cur = parent(c);
    }
    false
}

/// The name an NS, MX or SRV record points to.
fn target_of(r: &ZoneRecord, t: u16) -> Option<&Name> {
    match (t, &r.record.data) {
        (NS, RData::NS(ns)) => Some(&ns.0),
        (MX, RData::MX(mx)) => Some(&mx.exchange),
        (SRV, RData::SRV(srv)) => Some(&srv.target),
        _ => None,
    }
}

/// The server name of an AFSDB record (kept as bytes by hickory).
fn afsdb_host(r: &ZoneRecord) -> Option<Name> {
    let RData::Unknown { rdata, .. } = &r.record.data else {
        return None;
    };
    let mut dec = BinDecoder::new(rdata.anything.get(2..)?);
    Name::read(&mut dec).ok()
}

/// Runs every integrity check. `apex` is the zone's origin, if known;
/// `src` is the text the records were read from.
pub(crate) fn lint(src: &[u8], apex: Option<&Name>, records: &[ZoneRecord], sink: &mut Sink) {
    let mut out = Out {
        src,
        sink,
        lines: None,
    };
    let Some(apex_name) = apex else {
        if !records.is_empty() || out.sink.errors() == 0 {
            out.push(Diagnostic::new(
                Code::SoaMissing,
                1,
                1,
                "",
                "the zone has no SOA record and no origin is known: start the zone with `$ORIGIN` and a SOA record",
            ));
        }
        return;
    };
    let mut apex = Vec::new();
    key(apex_name, &mut apex);

    // Lowercase owner names, one arena, shared between consecutive records.
    let mut arena: Vec<u8> = Vec::with_capacity(records.len() * 16);
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(records.len());
    let mut scratch = Vec::new();
    let mut last: Option<(u32, u32)> = None;
    for r in records {
        key(&r.record.name, &mut scratch);
        let span = match last {
            Some((s, e)) if arena[s as usize..e as usize] == scratch[..] => (s, e),
            _ => {
                let s = arena.len() as u32;
                arena.extend_from_slice(&scratch);
                (s, arena.len() as u32)
            }
        };
        last = Some(span);
        spans.push(span);
    }
    let owner = |i: usize| &arena[spans[i].0 as usize..spans[i].1 as usize];

    let types: Vec<u16> = records
        .iter()
        .map(|r| u16::from(r.record.record_type()))
        .collect();

    // Lowercase target names (NS, MX, SRV), in a second arena, so
    // that what lies above them can be remembered like for owners.
    let mut target_arena: Vec<u8> = Vec::new();
    let mut target_spans: Vec<(u32, u32)> = Vec::new();
    let mut target_of_record: Vec<u32> = vec![u32::MAX; records.len()];
    for (i, r) in records.iter().enumerate() {
        if let Some(t) = target_of(r, types[i]) {
            key(t, &mut scratch);
            let s = target_arena.len() as u32;
            target_arena.extend_from_slice(&scratch);
            target_of_record[i] = target_spans.len() as u32;
            target_spans.push((s, target_arena.len() as u32));
        }
    }
    let target = |i: usize| -> Option<&[u8]> {
        let k = *target_of_record.get(i)?;
        let (s, e) = *target_spans.get(k as usize)?;
        Some(&target_arena[s as usize..e as usize])
    };

    // Nodes and RRsets.
    let mut index: HashMap<&[u8], usize> =
        HashMap::with_capacity_and_hasher(records.len(), Default::default());
    let mut node_of: Vec<usize> = Vec::with_capacity(records.len());
    let mut nodes: Vec<Node> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let w = owner(i);
        if !(w.len() >= apex.len() && is_suffix(w, &apex)) {
            out.record(
                Code::OutOfZone,
                r,
                format!(
                    "`{}` is outside the zone {}; a missing trailing dot or a wrong $ORIGIN is the usual cause",
                    Shown(&r.record.name),
                    Shown(apex_name)
                ),
            );
            node_of.push(usize::MAX);
            continue;
        }
        let id = *index.entry(w).or_insert_with(|| {
            nodes.push(Node::default());
            nodes.len() - 1
        });
        let t = types[i];
        if let Err(pos) = nodes[id].types.binary_search(&t) {
            nodes[id].types.insert(pos, t);
        }
        node_of.push(id);
    }
    let zone = Zone {
        apex: apex.clone(),
        index,
        nodes,
        above: RefCell::new(HashMap::default()),
    };

    // Records grouped by RRset, in file order inside each group.
    let mut order: Vec<u32> = (0..records.len() as u32)
        .filter(|&i| node_of[i as usize] != usize::MAX)
        .collect();
    order.sort_unstable_by_key(|&i| (node_of[i as usize], types[i as usize], i));
    let rrsets: Vec<&[u32]> = order
        .chunk_by(|&a, &b| {
            node_of[a as usize] == node_of[b as usize] && types[a as usize] == types[b as usize]
        })
        .collect();

    apex_checks(&zone, apex_name, records, &rrsets, &node_of, &mut out);

    // The first record (in file order) of each node that needs a host name
    // as its owner: A, AAAA or MX.
    let mut host_owner: Vec<u32> = vec![u32::MAX; zone.nodes.len()];
    for (i, &t) in types.iter().enumerate() {
        let n = node_of[i];
        if n != usize::MAX && matches!(t, A | AAAA | MX) {
            host_owner[n] = host_owner[n].min(i as u32);
        }
    }

    for set in &rrsets {
        let first = &records[set[0] as usize];
        let w = owner(set[0] as usize);
        let node = &zone.nodes[node_of[set[0] as usize]];
        let t = types[set[0] as usize];
        rrset_checks(records, set, t, &mut out);
        if t == CNAME {
            cname_checks(&zone, w, node, first, &mut out);
        }
        if node.types.first() == Some(&t) {
            node_checks(&zone, w, node, first, &mut out);
            let h = host_owner[node_of[set[0] as usize]];
            if h != u32::MAX {
                hostname_owner_checks(&records[h as usize], &mut out);
            }
        }
        let at_apex = w == apex.as_slice();
        match t {
            SOA if !at_apex => out.record(
                Code::SoaNotAtApex,
                first,
                format!(
                    "a SOA record belongs only at the zone apex {}",
                    Shown(apex_name)
                ),
            ),
            DS if at_apex => out.record(
                Code::DsAtApex,
                first,
                format!(
                    "a DS record belongs in the parent zone, at the delegation of {}, not at this zone's apex",
                    Shown(apex_name)
                ),
            ),
            NS if first.record.name.iter().next() == Some(b"*".as_slice()) => out.record(
                Code::WildcardNs,
                first,
                format!(
                    "`{}` is a wildcard name, which cannot hold NS records (a delegation needs a real name)",
                    Shown(&first.record.name)
                ),
            ),
            NSEC3 => nsec3_owner_check(first, &mut out),
            _ => {}
        }
        for &i in *set {
            let tw = target(i as usize);
            target_checks(&zone, w, &records[i as usize], t, tw, &mut out);
        }
    }
    nsec3_checks(records, &types, &mut out);
}

/// BIND: the first label of an NSEC3 owner is a base32hex hash.
fn nsec3_owner_check(r: &ZoneRecord, out: &mut Out<'_, '_>) {
    let label = r.record.name.iter().next().unwrap_or_default();
    let upper = label.to_ascii_uppercase();
    if !label.is_empty() && BASE32HEX_NOPAD.decode(&upper).is_ok() {
        return;
    }
    out.record(
        Code::BadNsec3Owner,
        r,
        format!(
            "an NSEC3 record's owner starts with the base32hex hash of a name (such as `2t7b4g4vsa5smi47k61mv5bv1a22bojr`), but `{}` is not one",
            label_string(label)
        ),
    );
}

fn apex_checks(
    zone: &Zone<'_>,
    apex_name: &Name,
    records: &[ZoneRecord],
    rrsets: &[&[u32]],
    node_of: &[usize],
    out: &mut Out<'_, '_>,
) {
    let apex_id = zone.index.get(zone.apex.as_slice()).copied();
    let set_of = |t: u16| -> &[u32] {
        rrsets
            .iter()
            .find(|s| {
                Some(node_of[s[0] as usize]) == apex_id
                    && u16::from(records[s[0] as usize].record.record_type()) == t
            })
            .copied()
            .unwrap_or(&[])
    };
    let soa = set_of(SOA);
    match soa {
        [] => out.push(Diagnostic::new(
            Code::SoaMissing,
            records.first().map_or(1, |r| r.line),
            1,
            "",
            format!(
                "the zone {} has no SOA record at its apex: add `@ SOA primary-ns hostmaster serial refresh retry expire minimum`",
                Shown(apex_name)
            ),
        )),
        [first, rest @ ..] => {
            // BIND merges an exact repeat (a duplicate-record warning);
            // only a different SOA is a second one.
            let mut seen: Vec<&RData> = vec![&records[*first as usize].record.data];
            for &i in rest {
                let r = &records[i as usize];
                if seen.contains(&&r.record.data) {
                    continue;
                }
                seen.push(&r.record.data);
                out.record(
                    Code::SoaMultiple,
                    r,
                    "a zone has exactly one SOA record: remove this second one".into(),
                );
            }
            soa_timers(&records[*first as usize], out);
        }
    }
    let ns = set_of(NS);
    match ns {
        [] => out.push(Diagnostic::new(
            Code::NsMissing,
            soa.first().map_or(1, |&i| records[i as usize].line),
            1,
            "",
            format!(
                "the zone {} has no NS records at its apex: add at least two `@ NS server` records",
                Shown(apex_name)
            ),
        )),
        [only] => {
            let r = &records[*only as usize];
            out.record(
                Code::SingleNs,
                r,
                "the zone has only one name server; use at least two for redundancy (RFC 1034 §4.1)"
                    .into(),
            );
        }
        _ => {}
    }
}

fn soa_timers(r: &ZoneRecord, out: &mut Out<'_, '_>) {
    let RData::SOA(soa) = &r.record.data else {
        return;
    };
    let (refresh, retry, expire, minimum) = (
        i64::from(soa.refresh),
        i64::from(soa.retry),
        i64::from(soa.expire),
        i64::from(soa.minimum),
    );
    if refresh < 14_400 {
        out.record(
            Code::SoaRefreshLow,
            r,
            format!("SOA refresh is {refresh} s; use at least 14400 (4 hours)"),
        );
    }
    if retry < 3_600 {
        out.record(
            Code::SoaRetryLow,
            r,
            format!("SOA retry is {retry} s; use at least 3600 (1 hour)"),
        );
    }
    if retry >= refresh {
        out.record(
            Code::SoaRetryNotBelowRefresh,
            r,
            format!(
                "SOA retry ({retry} s) should be smaller than refresh ({refresh} s): are the fields in the order serial refresh retry expire minimum?"
            ),
        );
    }
    if expire < 604_800 {
        out.record(
            Code::SoaExpireLow,
            r,
            format!("SOA expire is {expire} s; use at least 604800 (1 week)"),
        );
    }
    if !(300..=86_400).contains(&minimum) {
        out.record(
            Code::SoaMinimumRange,
            r,
            format!("SOA minimum (negative-caching TTL) is {minimum} s; use 300 to 86400"),
        );
    }
}

/// Record data as compared for duplicates: names case-insensitively (as
/// BIND compares them). Hickory's typed data already compares names that
/// way; a DNAME is kept as bytes, its target name lowercased here.
#[derive(PartialEq, Eq, Hash)]
enum DataKey<'r> {
    Typed(&'r RData),
    Name(Vec<u8>),
}

fn data_key(t: u16, data: &RData) -> DataKey<'_> {
    match (t, data) {
        (DNAME, RData::Unknown { rdata, .. }) => DataKey::Name(rdata.anything.to_ascii_lowercase()),
        _ => DataKey::Typed(data),
    }
}

fn rrset_checks(records: &[ZoneRecord], set: &[u32], t: u16, out: &mut Out<'_, '_>) {
    if set.len() < 2 {
        return;
    }
    let first = &records[set[0] as usize];
    let mut seen: HashSet<DataKey<'_>> =
        HashSet::with_capacity_and_hasher(set.len(), Default::default());
    let mut ttl_reported = false;
    for &i in set {
        let r = &records[i as usize];
        let repeat = !seen.insert(data_key(t, &r.record.data));
        if repeat {
            out.record(
                Code::DuplicateRecord,
                r,
                format!(
                    "this {} record repeats an earlier one exactly; remove it",
                    RecordType::from(t)
                ),
            );
        }
        // A repeat is merged (BIND loads it once); only different data is
        // a second CNAME or DNAME.
        if t == CNAME && i != set[0] && !repeat {
            out.record(
                Code::CnameMultiple,
                r,
                "a name can have only one CNAME record".into(),
            );
        }
        if t == DNAME && i != set[0] && !repeat {
            out.record(
                Code::DnameMultiple,
                r,
                "a name can have only one DNAME record".into(),
            );
        }
        if t != RRSIG && !ttl_reported && r.record.ttl != first.record.ttl {
            ttl_reported = true;
            out.record(
                Code::TtlMismatch,
                r,
                format!(
                    "the {} records of `{}` have different TTLs ({} on line {}, {} here); give them one TTL",
                    RecordType::from(t),
                    Shown(&r.record.name),
                    first.record.ttl,
                    first.line,
                    r.record.ttl
                ),
            );
        }
    }
}

/// CNAME rules, reported on the CNAME record itself.
fn cname_checks(zone: &Zone<'_>, w: &[u8], node: &Node, r: &ZoneRecord, out: &mut Out<'_, '_>) {
    let name = Shown(&r.record.name);
    let at_apex = w == zone.apex.as_slice();
    if at_apex {
        out.record(
            Code::CnameAtApex,
            r,
            "the zone apex cannot be a CNAME: it must hold the SOA and NS records".into(),
        );
    } else if node
        .types
        .iter()
        .any(|&t| !matches!(t, CNAME | RRSIG | NSEC))
    {
        let others: Vec<String> = node
            .types
            .iter()
            .filter(|&&t| !matches!(t, CNAME | RRSIG | NSEC))
            .map(|&t| RecordType::from(t).to_string())
            .collect();
        out.record(
            Code::CnameAndOtherData,
            r,
            format!(
                "`{name}` has a CNAME and also {} records; a CNAME must be the only data at its name",
                others.join(", ")
            ),
        );
    }
}

fn node_checks<'a>(
    zone: &Zone<'a>,
    w: &'a [u8],
    node: &Node,
    r: &ZoneRecord,
    out: &mut Out<'_, '_>,
) {
    let name = Shown(&r.record.name);
    let at_apex = w == zone.apex.as_slice();
    if node.has(DNAME) && node.has(NS) && !at_apex {
        out.record(
            Code::NsBesideDname,
            r,
            "a DNAME cannot stand beside NS records except at the zone apex".into(),
        );
    }
    let above = zone.above(w);
    // Below an apex DNAME is the whole zone: only a DNAME lower down hides
    // the names below it.
    if let Some(d) = above.dname.filter(|d| d.len() > zone.apex.len()) {
        out.record(
            Code::DnameWithChildren,
            r,
            format!(
                "`{name}` is below the DNAME at `{}`; names below a DNAME cannot hold data",
                wire_string(d)
            ),
        );
    }
    let below_cut = above.cut;
    if node.has(DS) && !at_apex && !(zone.is_delegation(w, node)) && below_cut.is_none() {
        out.record(
            Code::DsNotAtDelegation,
            r,
            format!(
                "a DS record belongs at a delegation (a name with NS records below the apex); `{name}` is not one"
            ),
        );
    }
    if let Some(cut) = below_cut {
        let occluded: Vec<String> = node
            .types
            .iter()
            .filter(|&&t| !matches!(t, A | AAAA))
            .map(|&t| RecordType::from(t).to_string())
            .collect();
        if !occluded.is_empty() {
            out.record(
                Code::OccludedData,
                r,
                format!(
                    "`{}` is below the delegation `{}`, so its {} records are never served; put them in the child zone",
                    name,
                    wire_string(cut),
                    occluded.join(", ")
                ),
            );
        }
    }
    if r.record.name.iter().skip(1).any(|l| l == b"*") {
        out.record(
            Code::WildcardNonTerminal,
            r,
            "a `*` label only acts as a wildcard as the leftmost label; here it is a literal name"
                .into(),
        );
    }
}

/// BIND check-names on owners: A and AAAA owners (and MX owners) must be
/// host names (a leading `*` label is allowed). `r` is the node's first
/// such record, which is what BIND blames.
fn hostname_owner_checks(r: &ZoneRecord, out: &mut Out<'_, '_>) {
    let name = Shown(&r.record.name);
    let mut labels = r.record.name.iter().peekable();
    if labels.peek() == Some(&&b"*"[..]) {
        labels.next();
    }
    if let Some(bad) = labels.find(|l| !is_host_label(l)) {
        let what = if u16::from(r.record.record_type()) == MX {
            "mail"
        } else {
            "address"
        };
        out.record(
            Code::BadHostname,
            r,
            format!(
                "`{name}` owns {what} records, so it must be a host name: `{}` may hold only letters, digits and inner hyphens",
                label_string(bad)
            ),
        );
    }
}

fn is_host_label(l: &[u8]) -> bool {
    let border = |c: &u8| c.is_ascii_alphanumeric();
    !l.is_empty()
        && l.first().is_some_and(border)
        && l.last().is_some_and(border)
        && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

fn is_hostname(n: &Name) -> bool {
    n.iter().all(is_host_label)
}

/// An IPv4 address written where a name belongs: the first four labels are
/// numbers (`192.0.2.1.`, or without the dot `192.0.2.1.example.com.`).
fn looks_like_address(n: &Name) -> bool {
    let numeric = |l: &[u8]| !l.is_empty() && l.len() <= 3 && l.iter().all(u8::is_ascii_digit);
    n.iter().take(4).filter(|l| numeric(l)).count() == 4
}

fn wire_string(wire: &[u8]) -> String {
    super::text::name_to_string(wire)
}

/// One label in presentation form, with decimal escapes.
fn label_string(label: &[u8]) -> String {
    let mut wire = Vec::with_capacity(label.len() + 2);
    wire.push(label.len() as u8);
    wire.extend_from_slice(label);
    wire.push(0);
    let text = wire_string(&wire);
    match text.strip_suffix('.') {
        Some(t) => t.to_string(),
        None => text,
    }
}

/// Checks of the names records point to: NS, MX, SRV and AFSDB targets,
/// SOA names, service-mode SVCB/HTTPS targets, PTR targets in reverse
/// zones. `w` is the record's owner and `tw` its target (lowercase wire
/// form), for the types that have one.
fn target_checks<'a>(
    zone: &Zone<'a>,
    w: &[u8],
    r: &ZoneRecord,
    t: u16,
    tw: Option<&'a [u8]>,
    out: &mut Out<'_, '_>,
) {
    let target: &Name = match (t, &r.record.data) {
        (NS, RData::NS(ns)) => &ns.0,
        (MX, RData::MX(mx)) => &mx.exchange,
        (SRV, RData::SRV(srv)) => &srv.target,
        (AFSDB, _) => {
            if let Some(host) = afsdb_host(r)
                && !is_hostname(&host)
            {
                bad_hostname(r, &host, "an AFSDB server name", out);
            }
            return;
        }
        (SOA, RData::SOA(soa)) => {
            if !is_hostname(&soa.mname) {
                bad_hostname(r, &soa.mname, "the SOA primary server name", out);
            }
            // RNAME: the first label is the mailbox's local part (any
            // printable character but a space), the rest a host name.
            let mut labels = soa.rname.iter();
            let local_ok = labels
                .next()
                .is_none_or(|l| l.iter().all(|c| c.is_ascii_graphic()));
            if !local_ok || !labels.all(is_host_label) {
                bad_hostname(
                    r,
                    &soa.rname,
                    "the SOA responsible mailbox (hostmaster.example.com. for hostmaster@example.com)",
                    out,
                );
            }
            return;
        }
        (64 | 65, RData::SVCB(svcb) | RData::HTTPS(hickory_proto::rr::rdata::HTTPS(svcb))) => {
            // BIND checks the target in service mode only: an alias-mode
            // record (priority 0) may point anywhere.
            if svcb.svc_priority != 0
                && !svcb.target_name.is_root()
                && !is_hostname(&svcb.target_name)
            {
                bad_hostname(r, &svcb.target_name, "a service binding target", out);
            }
            return;
        }
        (PTR, RData::PTR(ptr)) => {
            let owner = r.record.name.to_ascii().to_ascii_lowercase();
            if (owner.ends_with(".in-addr.arpa.") || owner.ends_with(".ip6.arpa."))
                && !is_hostname(&ptr.0)
            {
                bad_hostname(r, &ptr.0, "a PTR target in a reverse zone", out);
            }
            return;
        }
        _ => return,
    };
    let Some(tw) = tw else { return };
    if t == SRV && target.is_root() {
        return; // "service not available here" (RFC 2782)
    }
    let what = match t {
        NS => "an NS target",
        MX => "an MX target",
        _ => "an SRV target",
    };
    if t != SRV && looks_like_address(target) {
        out.record(
            Code::TargetIsAddress,
            r,
            format!(
                "{what} must be a host name, not an IP address: point it at a name with an A record (`{}` is written here)",
                Shown(target)
            ),
        );
    }
    if !is_hostname(target) {
        bad_hostname(r, target, what, out);
    }
    if !zone.in_zone(tw) {
        return;
    }
    let node = zone.node(tw);
    let has_address = node.is_some_and(Node::has_address);
    let is_cname = node.is_some_and(|n| n.has(CNAME));
    let tname = Shown(target);
    let at_apex = w == zone.apex.as_slice();
    let cut = zone.cut_at_or_above(tw);
    // The zone's own servers must be reachable: not below a DNAME (the
    // highest of a DNAME and a delegation is what a lookup meets first).
    if t == NS
        && at_apex
        && let Some(d) = zone.above(tw).dname
        && cut.is_none_or(|c| d.len() < c.len())
    {
        out.record(
            Code::NsTargetBelowDname,
            r,
            format!(
                "the name server `{tname}` is below the DNAME at `{}`, so it can never be reached: name servers of the zone must not be below a DNAME",
                wire_string(d)
            ),
        );
        return;
    }
    if let Some(cut) = cut {
        // Below a delegation only glue can give the address. Glue is
        // required when the server is inside the zone it serves.
        if t == NS && !has_address && cut == w {
            out.record(
                Code::GlueMissing,
                r,
                format!(
                    "`{tname}` is inside the delegated zone `{}`, so this zone must carry its address (glue): add `{tname} A ...`",
                    wire_string(cut)
                ),
            );
        }
        return;
    }
    match t {
        NS if is_cname => out.record(
            if at_apex {
                Code::NsTargetCname
            } else {
                Code::DelegationTargetCname
            },
            r,
            format!(
                "the name server `{tname}` is a CNAME; an NS record must point at a name with A/AAAA records (RFC 2181 §10.3)"
            ),
        ),
        // The zone's own server must have an address (BIND refuses the
        // zone); a delegation's server without one is only a warning.
        NS if !has_address => out.record(
            if at_apex {
                Code::NsTargetNoAddress
            } else {
                Code::DelegationTargetNoAddress
            },
            r,
            format!(
                "the name server `{tname}` is in this zone but has no A or AAAA record: add one{}",
                dot_hint(zone, tw)
            ),
        ),
        MX if is_cname => out.record(
            Code::MxTargetCname,
            r,
            format!(
                "the mail exchange `{tname}` is a CNAME; point MX at a name with A/AAAA records (RFC 2181 §10.3)"
            ),
        ),
        MX if !has_address => out.record(
            Code::MxTargetNoAddress,
            r,
            format!(
                "the mail exchange `{tname}` is in this zone but has no A or AAAA record{}",
                dot_hint(zone, tw)
            ),
        ),
        SRV if is_cname => out.record(
            Code::SrvTargetCname,
            r,
            format!(
                "the SRV target `{tname}` is a CNAME; point it at a name with A/AAAA records (RFC 2782)"
            ),
        ),
        SRV if !has_address => out.record(
            Code::SrvTargetNoAddress,
            r,
            format!(
                "the SRV target `{tname}` is in this zone but has no A or AAAA record{}",
                dot_hint(zone, tw)
            ),
        ),
        _ => {}
    }
}

/// A hint for the commonest student mistake: a name written without its
/// trailing dot, so the origin was appended twice (`ns1.example.com.example.com.`).
fn dot_hint(zone: &Zone<'_>, target: &[u8]) -> String {
    let mut double = zone.apex[..zone.apex.len() - 1].to_vec();
    double.extend_from_slice(&zone.apex);
    if zone.apex.len() <= 1 || !is_suffix(target, &double) {
        return String::new();
    }
    let mut written = target[..target.len() - zone.apex.len()].to_vec();
    written.push(0);
    let written = wire_string(&written);
    format!(
        " (was `{}` meant to end with a dot? Without one, the origin is appended to it)",
        written.trim_end_matches('.')
    )
}

fn bad_hostname(r: &ZoneRecord, n: &Name, what: &str, out: &mut Out<'_, '_>) {
    let n = Shown(n);
    out.record(
        Code::BadHostname,
        r,
        format!(
            "`{n}` is {what}, so it must be a host name: labels may hold only letters, digits and inner hyphens"
        ),
    );
}

/// RFC 9276: NSEC3 with iterations above 0 or a salt. Reported once, on the
/// NSEC3PARAM record (or the first NSEC3 record when there is none).
fn nsec3_checks(records: &[ZoneRecord], types: &[u16], out: &mut Out<'_, '_>) {
    let Some(i) = types
        .iter()
        .position(|&t| t == NSEC3PARAM)
        .or_else(|| types.iter().position(|&t| t == NSEC3))
    else {
        return;
    };
    let r = &records[i];
    let Some(wire) = rdata_wire(&r.record.data) else {
        return;
    };
    if wire.len() < 5 {
        return;
    }
    let iterations = u16::from_be_bytes([wire[2], wire[3]]);
    let salt_len = wire[4];
    if iterations > 0 {
        out.record(
            Code::Nsec3Iterations,
            r,
            format!("NSEC3 uses {iterations} extra iterations; RFC 9276 says use 0"),
        );
    }
    if salt_len > 0 {
        out.record(
            Code::Nsec3Salt,
            r,
            "NSEC3 uses a salt; RFC 9276 says use none (write `-`)".into(),
        );
    }
}
