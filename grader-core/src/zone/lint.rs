//! Integrity checks on a zone that has been read: the checks
//! `named-checkzone -i local -k fail` and `kzonecheck` make after loading,
//! plus the policy warnings a DNS course teaches (Zonemaster SOA timers,
//! RFC 9276 NSEC3 parameters, single NS, ...).
//!
//! Names are compared case-insensitively through their lowercase wire form;
//! an ancestor of a name is a suffix of its wire form, so walking up the
//! tree allocates nothing.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use hickory_proto::rr::{Name, RData, RecordType};

use super::ZoneRecord;
use super::diag::{Code, Diagnostic};
use super::reader::rdata_wire;
use super::sink::Sink;
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

struct Zone<'a> {
    apex: Vec<u8>,
    /// Node index by lowercase wire name.
    index: HashMap<&'a [u8], usize>,
    nodes: Vec<Node>,
}

impl Zone<'_> {
    fn node(&self, wire: &[u8]) -> Option<&Node> {
        self.index.get(wire).map(|&i| &self.nodes[i])
    }

    fn in_zone(&self, wire: &[u8]) -> bool {
        wire.len() >= self.apex.len() && is_suffix(wire, &self.apex)
    }

    /// The nearest strict ancestor of `wire`, below the apex, whose node
    /// satisfies `of`.
    fn cut_above<'w>(&self, wire: &'w [u8], of: impl Fn(&Node) -> bool) -> Option<&'w [u8]> {
        let mut cur = parent(wire)?;
        while cur.len() > self.apex.len() {
            if self.node(cur).is_some_and(&of) {
                return Some(cur);
            }
            cur = parent(cur)?;
        }
        None
    }

    fn is_delegation(&self, wire: &[u8], n: &Node) -> bool {
        n.has(NS) && wire != self.apex.as_slice()
    }

    /// The delegation point at or above `wire` (below the apex), if any.
    fn cut_at_or_above<'w>(&self, wire: &'w [u8]) -> Option<&'w [u8]> {
        if self.node(wire).is_some_and(|n| self.is_delegation(wire, n)) {
            return Some(wire);
        }
        self.cut_above(wire, |n| n.has(NS))
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

/// Runs every integrity check. `apex` is the zone's origin, if known.
pub(crate) fn lint(apex: Option<&Name>, records: &[ZoneRecord], sink: &mut Sink) {
    let Some(apex_name) = apex else {
        if !records.is_empty() || sink.errors() == 0 {
            sink.push(Diagnostic::new(
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

    // Nodes and RRsets.
    let mut index: HashMap<&[u8], usize> =
        HashMap::with_capacity_and_hasher(records.len(), Default::default());
    let mut node_of: Vec<usize> = Vec::with_capacity(records.len());
    let mut nodes: Vec<Node> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let w = owner(i);
        if !(w.len() >= apex.len() && is_suffix(w, &apex)) {
            diag_record(
                sink,
                Code::OutOfZone,
                r,
                Shown(&r.record.name).to_string(),
                format!(
                    "`{}` is outside the zone {apex_name}; a missing trailing dot or a wrong $ORIGIN is the usual cause",
                    Shown(&r.record.name)
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

    apex_checks(&zone, apex_name, records, &rrsets, &node_of, sink);

    for set in &rrsets {
        let first = &records[set[0] as usize];
        let w = owner(set[0] as usize);
        let node = &zone.nodes[node_of[set[0] as usize]];
        let t = types[set[0] as usize];
        rrset_checks(records, set, t, sink);
        // Per-record checks on the first RRset of each node.
        if t == CNAME {
            cname_checks(&zone, w, node, first, sink);
        }
        if node.types.first() == Some(&t) {
            node_checks(&zone, w, node, first, sink);
        }
        if t == SOA && w != apex.as_slice() {
            diag_record(
                sink,
                Code::SoaNotAtApex,
                first,
                Shown(&first.record.name).to_string(),
                format!("a SOA record belongs only at the zone apex {apex_name}"),
            );
        }
        for &i in *set {
            target_checks(&zone, &records[i as usize], t, &mut scratch, sink);
        }
    }
    nsec3_checks(records, &types, sink);
}

fn diag_record(sink: &mut Sink, code: Code, r: &ZoneRecord, text: String, message: String) {
    sink.push(Diagnostic::new(code, r.line, r.column, text, message));
}

fn apex_checks(
    zone: &Zone<'_>,
    apex_name: &Name,
    records: &[ZoneRecord],
    rrsets: &[&[u32]],
    node_of: &[usize],
    sink: &mut Sink,
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
        [] => sink.push(Diagnostic::new(
            Code::SoaMissing,
            records.first().map_or(1, |r| r.line),
            1,
            "",
            format!("the zone {apex_name} has no SOA record at its apex: add `@ SOA primary-ns hostmaster serial refresh retry expire minimum`"),
        )),
        [first, rest @ ..] => {
            for &i in rest {
                let r = &records[i as usize];
                diag_record(sink, Code::SoaMultiple, r, Shown(&r.record.name).to_string(), "a zone has exactly one SOA record: remove this second one".into());
            }
            soa_timers(&records[*first as usize], sink);
        }
    }
    let ns = set_of(NS);
    match ns {
        [] => sink.push(Diagnostic::new(
            Code::NsMissing,
            soa.first().map_or(1, |&i| records[i as usize].line),
            1,
            "",
            format!("the zone {apex_name} has no NS records at its apex: add at least two `@ NS server` records"),
        )),
        [only] => {
            let r = &records[*only as usize];
            diag_record(sink, Code::SingleNs, r, Shown(&r.record.name).to_string(), "the zone has only one name server; use at least two for redundancy (RFC 1034 §4.1)".into());
        }
        _ => {}
    }
}

fn soa_timers(r: &ZoneRecord, sink: &mut Sink) {
    let RData::SOA(soa) = &r.record.data else {
        return;
    };
    let (refresh, retry, expire, minimum) = (
        i64::from(soa.refresh),
        i64::from(soa.retry),
        i64::from(soa.expire),
        i64::from(soa.minimum),
    );
    let text = Shown(&r.record.name).to_string();
    if refresh < 14_400 {
        diag_record(
            sink,
            Code::SoaRefreshLow,
            r,
            text.clone(),
            format!("SOA refresh is {refresh} s; use at least 14400 (4 hours)"),
        );
    }
    if retry < 3_600 {
        diag_record(
            sink,
            Code::SoaRetryLow,
            r,
            text.clone(),
            format!("SOA retry is {retry} s; use at least 3600 (1 hour)"),
        );
    }
    if retry >= refresh {
        diag_record(
            sink,
            Code::SoaRetryNotBelowRefresh,
            r,
            text.clone(),
            format!(
                "SOA retry ({retry} s) should be smaller than refresh ({refresh} s): are the fields in the order serial refresh retry expire minimum?"
            ),
        );
    }
    if expire < 604_800 {
        diag_record(
            sink,
            Code::SoaExpireLow,
            r,
            text.clone(),
            format!("SOA expire is {expire} s; use at least 604800 (1 week)"),
        );
    }
    if !(300..=86_400).contains(&minimum) {
        diag_record(
            sink,
            Code::SoaMinimumRange,
            r,
            text,
            format!("SOA minimum (negative-caching TTL) is {minimum} s; use 300 to 86400"),
        );
    }
}

fn rrset_checks(records: &[ZoneRecord], set: &[u32], t: u16, sink: &mut Sink) {
    if set.len() < 2 {
        return;
    }
    let first = &records[set[0] as usize];
    let mut seen: HashSet<&RData> =
        HashSet::with_capacity_and_hasher(set.len(), Default::default());
    let mut ttl_reported = false;
    for &i in set {
        let r = &records[i as usize];
        if !seen.insert(&r.record.data) {
            diag_record(
                sink,
                Code::DuplicateRecord,
                r,
                Shown(&r.record.name).to_string(),
                format!(
                    "this {} record repeats an earlier one exactly; remove it",
                    RecordType::from(t)
                ),
            );
        }
        if t == CNAME && i != set[0] {
            diag_record(
                sink,
                Code::CnameMultiple,
                r,
                Shown(&r.record.name).to_string(),
                "a name can have only one CNAME record".into(),
            );
        }
        if t == DNAME && i != set[0] {
            diag_record(
                sink,
                Code::DnameMultiple,
                r,
                Shown(&r.record.name).to_string(),
                "a name can have only one DNAME record".into(),
            );
        }
        if t != RRSIG && !ttl_reported && r.record.ttl != first.record.ttl {
            ttl_reported = true;
            diag_record(
                sink,
                Code::TtlMismatch,
                r,
                Shown(&r.record.name).to_string(),
                format!(
                    "the {} records of `{}` have different TTLs ({} on line {}, {} here); give them one TTL",
                    RecordType::from(t),
                    r.record.name,
                    first.record.ttl,
                    first.line,
                    r.record.ttl
                ),
            );
        }
    }
}

/// CNAME rules, reported on the CNAME record itself.
fn cname_checks(zone: &Zone<'_>, w: &[u8], node: &Node, r: &ZoneRecord, sink: &mut Sink) {
    let name = Shown(&r.record.name);
    let at_apex = w == zone.apex.as_slice();
    {
        if at_apex {
            diag_record(
                sink,
                Code::CnameAtApex,
                r,
                name.to_string(),
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
            diag_record(
                sink,
                Code::CnameAndOtherData,
                r,
                name.to_string(),
                format!(
                    "`{name}` has a CNAME and also {} records; a CNAME must be the only data at its name",
                    others.join(", ")
                ),
            );
        }
    }
}

fn node_checks(zone: &Zone<'_>, w: &[u8], node: &Node, r: &ZoneRecord, sink: &mut Sink) {
    let name = Shown(&r.record.name);
    let at_apex = w == zone.apex.as_slice();
    if node.has(DNAME) && node.has(NS) && !at_apex {
        diag_record(
            sink,
            Code::NsBesideDname,
            r,
            name.to_string(),
            "a DNAME cannot stand beside NS records except at the zone apex".into(),
        );
    }
    if let Some(d) = zone.cut_above(w, |n| n.has(DNAME)) {
        diag_record(
            sink,
            Code::DnameWithChildren,
            r,
            name.to_string(),
            format!(
                "`{name}` is below the DNAME at `{}`; names below a DNAME cannot hold data",
                wire_string(d)
            ),
        );
    }
    let below_cut = zone.cut_above(w, |n| n.has(NS));
    if node.has(DS) && !(zone.is_delegation(w, node)) && below_cut.is_none() {
        diag_record(
            sink,
            Code::DsNotAtDelegation,
            r,
            name.to_string(),
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
            diag_record(
                sink,
                Code::OccludedData,
                r,
                name.to_string(),
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
        diag_record(
            sink,
            Code::WildcardNonTerminal,
            r,
            name.to_string(),
            "a `*` label only acts as a wildcard as the leftmost label; here it is a literal name"
                .into(),
        );
    }
    hostname_owner_checks(node, r, sink);
}

/// BIND check-names on owners: A and AAAA owners (and MX owners) must be
/// host names (a leading `*` label is allowed).
fn hostname_owner_checks(node: &Node, r: &ZoneRecord, sink: &mut Sink) {
    if !(node.has(A) || node.has(AAAA) || node.has(MX)) {
        return;
    }
    let name = Shown(&r.record.name);
    let labels: Vec<&[u8]> = r.record.name.iter().collect();
    let skip = usize::from(labels.first() == Some(&&b"*"[..]));
    if let Some(bad) = labels[skip..].iter().find(|l| !is_host_label(l)) {
        diag_record(
            sink,
            Code::BadHostname,
            r,
            name.to_string(),
            format!(
                "`{name}` owns address or mail records, so it must be a host name: `{}` may hold only letters, digits and inner hyphens",
                String::from_utf8_lossy(bad)
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
    let labels: Vec<&[u8]> = n.iter().take(4).collect();
    labels.len() == 4
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.len() <= 3 && l.iter().all(u8::is_ascii_digit))
}

fn wire_string(wire: &[u8]) -> String {
    super::text::name_to_string(wire)
}

/// Checks of the names records point to: NS, MX, SRV targets, SOA names,
/// PTR targets in reverse zones.
fn target_checks(zone: &Zone<'_>, r: &ZoneRecord, t: u16, scratch: &mut Vec<u8>, sink: &mut Sink) {
    let target: &Name = match (t, &r.record.data) {
        (NS, RData::NS(ns)) => &ns.0,
        (MX, RData::MX(mx)) => &mx.exchange,
        (SRV, RData::SRV(srv)) => &srv.target,
        (SOA, RData::SOA(soa)) => {
            if !is_hostname(&soa.mname) {
                bad_hostname(r, &soa.mname, "the SOA primary server name", sink);
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
                    sink,
                );
            }
            return;
        }
        (64 | 65, RData::SVCB(svcb) | RData::HTTPS(hickory_proto::rr::rdata::HTTPS(svcb))) => {
            if !svcb.target_name.is_root() && !is_hostname(&svcb.target_name) {
                bad_hostname(r, &svcb.target_name, "a service binding target", sink);
            }
            return;
        }
        (PTR, RData::PTR(ptr)) => {
            let owner = r.record.name.to_ascii().to_ascii_lowercase();
            if (owner.ends_with(".in-addr.arpa.") || owner.ends_with(".ip6.arpa."))
                && !is_hostname(&ptr.0)
            {
                bad_hostname(r, &ptr.0, "a PTR target in a reverse zone", sink);
            }
            return;
        }
        _ => return,
    };
    if t == SRV && target.is_root() {
        return; // "service not available here" (RFC 2782)
    }
    let what = match t {
        NS => "an NS target",
        MX => "an MX target",
        _ => "an SRV target",
    };
    if t != SRV && looks_like_address(target) {
        diag_record(
            sink,
            Code::TargetIsAddress,
            r,
            Shown(target).to_string(),
            format!(
                "{what} must be a host name, not an IP address: point it at a name with an A record"
            ),
        );
    }
    if !is_hostname(target) {
        bad_hostname(r, target, what, sink);
    }
    key(target, scratch);
    if !zone.in_zone(scratch) {
        return;
    }
    let node = zone.node(scratch);
    let has_address = node.is_some_and(Node::has_address);
    let is_cname = node.is_some_and(|n| n.has(CNAME));
    let tname = Shown(target);
    if let Some(cut) = zone.cut_at_or_above(scratch) {
        // Below a delegation only glue can give the address. Glue is
        // required when the server is inside the zone it serves.
        let mut owner = Vec::new();
        key(&r.record.name, &mut owner);
        let own = cut == owner.as_slice();
        if t == NS && !has_address && own {
            diag_record(
                sink,
                Code::GlueMissing,
                r,
                tname.to_string(),
                format!(
                    "`{tname}` is inside the delegated zone `{}`, so this zone must carry its address (glue): add `{tname} A ...`",
                    wire_string(cut)
                ),
            );
        }
        return;
    }
    match t {
        NS if is_cname => diag_record(
            sink,
            ns_cname_code(zone, r),
            r,
            tname.to_string(),
            format!(
                "the name server `{tname}` is a CNAME; an NS record must point at a name with A/AAAA records (RFC 2181 §10.3)"
            ),
        ),
        NS if !has_address => diag_record(
            sink,
            Code::NsTargetNoAddress,
            r,
            tname.to_string(),
            format!(
                "the name server `{tname}` is in this zone but has no A or AAAA record: add one{}",
                dot_hint(zone, scratch)
            ),
        ),
        MX if is_cname => diag_record(
            sink,
            Code::MxTargetCname,
            r,
            tname.to_string(),
            format!(
                "the mail exchange `{tname}` is a CNAME; point MX at a name with A/AAAA records (RFC 2181 §10.3)"
            ),
        ),
        MX if !has_address => diag_record(
            sink,
            Code::MxTargetNoAddress,
            r,
            tname.to_string(),
            format!(
                "the mail exchange `{tname}` is in this zone but has no A or AAAA record{}",
                dot_hint(zone, scratch)
            ),
        ),
        SRV if is_cname => diag_record(
            sink,
            Code::SrvTargetCname,
            r,
            tname.to_string(),
            format!(
                "the SRV target `{tname}` is a CNAME; point it at a name with A/AAAA records (RFC 2782)"
            ),
        ),
        SRV if !has_address => diag_record(
            sink,
            Code::SrvTargetNoAddress,
            r,
            tname.to_string(),
            format!(
                "the SRV target `{tname}` is in this zone but has no A or AAAA record{}",
                dot_hint(zone, scratch)
            ),
        ),
        _ => {}
    }
}

/// A CNAME as the zone's own server is an error (the zone will not load);
/// as a delegation's server, a warning.
fn ns_cname_code(zone: &Zone<'_>, r: &ZoneRecord) -> Code {
    let mut owner = Vec::new();
    key(&r.record.name, &mut owner);
    if owner == zone.apex {
        Code::NsTargetCname
    } else {
        Code::DelegationTargetCname
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

fn bad_hostname(r: &ZoneRecord, n: &Name, what: &str, sink: &mut Sink) {
    diag_record(
        sink,
        Code::BadHostname,
        r,
        Shown(n).to_string(),
        format!(
            "`{n}` is {what}, so it must be a host name: labels may hold only letters, digits and inner hyphens"
        ),
    );
}

/// RFC 9276: NSEC3 with iterations above 0 or a salt. Reported once, on the
/// NSEC3PARAM record (or the first NSEC3 record when there is none).
fn nsec3_checks(records: &[ZoneRecord], types: &[u16], sink: &mut Sink) {
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
    let text = Shown(&r.record.name).to_string();
    if iterations > 0 {
        diag_record(
            sink,
            Code::Nsec3Iterations,
            r,
            text.clone(),
            format!("NSEC3 uses {iterations} extra iterations; RFC 9276 says use 0"),
        );
    }
    if salt_len > 0 {
        diag_record(
            sink,
            Code::Nsec3Salt,
            r,
            text,
            "NSEC3 uses a salt; RFC 9276 says use none (write `-`)".into(),
        );
    }
}
