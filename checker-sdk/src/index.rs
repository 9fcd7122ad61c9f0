//! [`ZoneIndex`]: the zone's records by owner name, for many look-ups.

use crate::names::{self, names_equal};
use crate::types::{Zone, ZoneRecord};
use crate::zone::{CnameError, chain_end, follow_cnames};

/// The records of a zone by owner name, built once in one pass over the
/// zone (O(n)); each look-up then costs O(1) plus the records of the name
/// (O(k)), where [`ZoneExt`](crate::ZoneExt) scans the whole zone on every
/// call.
///
/// Build one when a check looks names up in a loop (the target of every
/// MX or NS record, the reverse name of every host): with `ZoneExt` that is
/// quadratic, and a zone of a few thousand records runs the checker out of
/// fuel.
///
/// The look-ups are those of `ZoneExt`, with the same meaning: names compare
/// as [`names_equal`](crate::names_equal) does (case-insensitive, escapes
/// decoded, trailing dot optional), types by mnemonic, case-insensitively,
/// and records come back in file order. The records borrow from the zone,
/// not from the index, so results may outlive it.
///
/// ```
/// use grader_checker_sdk::prelude::*;
/// use grader_checker_sdk::testing;
///
/// let zone = testing::zone("example.", &[
///     ("example.", "SOA", "ns1.example. hostmaster.example. 1 7200 3600 1209600 3600"),
///     ("example.", "NS", "ns1.example."),
///     ("ns1.example.", "A", "192.0.2.1"),
///     ("www.example.", "CNAME", "NS1.example."),
/// ]);
/// let ix = ZoneIndex::new(&zone); // or zone.index()
/// assert_eq!(ix.apex_rrset("NS").len(), 1);
/// assert_eq!(ix.addresses("NS1.Example").len(), 1);
/// assert!(ix.has("www.example.", "cname"));
/// assert_eq!(ix.resolve_cname("www.example.").unwrap(), "NS1.example.");
/// assert!(ix.records_at("nothere.example.").is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct ZoneIndex<'a> {
    zone: &'a Zone,
    /// The records, grouped by owner name: the names in the order of their
    /// first record, the records of each in file order.
    records: Vec<&'a ZoneRecord>,
    /// Where each name's records start in `records` (one more entry at the
    /// end for the last name's end).
    starts: Vec<u32>,
    /// Open-addressing hash table of names: a name's number, or `EMPTY`.
    table: Vec<u32>,
    /// The hash of each name.
    hashes: Vec<u64>,
}

/// A free slot of [`ZoneIndex::table`].
const EMPTY: u32 = u32::MAX;

impl<'a> ZoneIndex<'a> {
    /// Indexes `zone` in one pass over its records (plus one to group them):
    /// no allocation per record, one hash of each owner name.
    pub fn new(zone: &'a Zone) -> Self {
        let all = &zone.records;
        let capacity = (2 * all.len()).max(8).next_power_of_two();
        let mut table = vec![EMPTY; capacity];
        // The first record and hash of each name, and the name of each record.
        let mut firsts: Vec<usize> = Vec::new();
        let mut hashes: Vec<u64> = Vec::new();
        let mut name_of: Vec<u32> = Vec::with_capacity(all.len());
        // Records of one name usually follow each other: skip the table then.
        let mut last: Option<(&str, u32)> = None;
        for (i, r) in all.iter().enumerate() {
            let n = match last {
                Some((owner, n)) if owner == r.owner => n,
                _ => {
                    let p = Probe::new(&r.owner);
                    match probe(&table, &hashes, &p, |n| &all[firsts[n as usize]].owner) {
                        Ok(n) => n,
                        Err(slot) => {
                            let n = firsts.len() as u32;
                            firsts.push(i);
                            hashes.push(p.hash);
                            table[slot] = n;
                            n
                        }
                    }
                }
            };
            name_of.push(n);
            last = Some((&r.owner, n));
        }
        // Group the records by name (a counting sort, stable: file order
        // within each name).
        let mut starts = vec![0u32; firsts.len() + 1];
        for &n in &name_of {
            starts[n as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next: Vec<u32> = starts.clone();
        let mut slots: Vec<u32> = vec![0; all.len()];
        for (i, &n) in name_of.iter().enumerate() {
            slots[next[n as usize] as usize] = i as u32;
            next[n as usize] += 1;
        }
        let records = slots.iter().map(|&i| &all[i as usize]).collect();
        ZoneIndex {
            zone,
            records,
            starts,
            table,
            hashes,
        }
    }

    /// The records of name number `n`.
    fn group(&self, n: usize) -> &[&'a ZoneRecord] {
        let (start, end) = (self.starts[n] as usize, self.starts[n + 1] as usize);
        &self.records[start..end]
    }

    /// The zone indexed.
    pub fn zone(&self) -> &'a Zone {
        self.zone
    }

    /// Every record owned by `name`, in file order.
    pub fn records_at(&self, name: &str) -> &[&'a ZoneRecord] {
        let p = Probe::new(name);
        match probe(&self.table, &self.hashes, &p, |n| {
            &self.group(n as usize)[0].owner
        }) {
            Ok(n) => self.group(n as usize),
            Err(_) => &[],
        }
    }

    /// The records of type `rtype` owned by `name`.
    pub fn rrset(&self, name: &str, rtype: &str) -> Vec<&'a ZoneRecord> {
        self.of_types(name, &[rtype])
    }

    /// The first record of type `rtype` owned by `name`.
    pub fn first(&self, name: &str, rtype: &str) -> Option<&'a ZoneRecord> {
        self.records_at(name)
            .iter()
            .copied()
            .find(|r| r.rtype.eq_ignore_ascii_case(rtype))
    }

    /// Whether `name` owns at least one record of type `rtype`.
    pub fn has(&self, name: &str, rtype: &str) -> bool {
        self.first(name, rtype).is_some()
    }

    /// Whether `name` owns any record at all.
    pub fn contains(&self, name: &str) -> bool {
        !self.records_at(name).is_empty()
    }

    /// The `A` and `AAAA` records of `name` (not following CNAMEs: use
    /// [`ZoneIndex::resolve_cname`] first for that).
    pub fn addresses(&self, name: &str) -> Vec<&'a ZoneRecord> {
        self.of_types(name, &["A", "AAAA"])
    }

    /// Whether `name` owns an `A` or `AAAA` record.
    pub fn has_address(&self, name: &str) -> bool {
        self.records_at(name)
            .iter()
            .any(|r| is_one_of(r, &["A", "AAAA"]))
    }

    fn of_types(&self, name: &str, rtypes: &[&str]) -> Vec<&'a ZoneRecord> {
        self.records_at(name)
            .iter()
            .copied()
            .filter(|r| is_one_of(r, rtypes))
            .collect()
    }

    /// The records of type `rtype` at the zone's apex (its origin).
    pub fn apex_rrset(&self, rtype: &str) -> Vec<&'a ZoneRecord> {
        self.rrset(&self.zone.origin, rtype)
    }

    /// The (first) SOA record at the apex.
    pub fn apex_soa(&self) -> Option<&'a ZoneRecord> {
        self.first(&self.zone.origin, "SOA")
    }

    /// Every record of type `rtype`, in file order. Scans the zone: types
    /// are not indexed.
    pub fn records_of_type(&self, rtype: &str) -> Vec<&'a ZoneRecord> {
        self.zone
            .records
            .iter()
            .filter(|r| r.rtype.eq_ignore_ascii_case(rtype))
            .collect()
    }

    /// The CNAME records followed from `name`, in order; empty when `name`
    /// owns no CNAME. As [`ZoneExt::cname_chain`](crate::ZoneExt::cname_chain),
    /// with one look-up per link.
    pub fn cname_chain(&self, name: &str) -> Result<Vec<&'a ZoneRecord>, CnameError> {
        follow_cnames(name, |n| self.rrset(n, "CNAME"))
    }

    /// The name `name` stands for after following the CNAME chain inside the
    /// zone: `name` itself when it owns no CNAME, otherwise the last target
    /// (which may lie outside the zone).
    pub fn resolve_cname(&self, name: &str) -> Result<String, CnameError> {
        Ok(chain_end(name, &self.cname_chain(name)?))
    }

    /// The records of each owner name, one slice per name, the names in the
    /// order of their first record in the file.
    pub fn owners(&self) -> impl Iterator<Item = &[&'a ZoneRecord]> {
        (0..self.starts.len() - 1).map(|n| self.group(n))
    }

    /// The zone's RRsets (records of one owner name and one type), in the
    /// order of their first record in the file; the records of each in file
    /// order.
    ///
    /// ```
    /// use grader_checker_sdk::prelude::*;
    /// use grader_checker_sdk::testing;
    /// let zone = testing::zone("example.", &[
    ///     ("example.", "NS", "ns1.example."),
    ///     ("ns1.example.", "A", "192.0.2.1"),
    ///     ("EXAMPLE.", "ns", "ns2.example."),
    ///     ("example.", "MX", "10 ns1.example."),
    /// ]);
    /// let lines: Vec<Vec<u32>> = zone.index().rrsets().iter()
    ///     .map(|set| set.iter().map(|r| r.line).collect())
    ///     .collect();
    /// assert_eq!(lines, [vec![1, 3], vec![2], vec![4]]);
    /// ```
    pub fn rrsets(&self) -> Vec<Vec<&'a ZoneRecord>> {
        let mut sets: Vec<Vec<&'a ZoneRecord>> = Vec::new();
        for records in self.owners() {
            let first_set = sets.len();
            for r in records {
                let same_type = sets[first_set..]
                    .iter_mut()
                    .find(|s| s[0].rtype.eq_ignore_ascii_case(&r.rtype));
                match same_type {
                    Some(set) => set.push(r),
                    None => sets.push(vec![r]),
                }
            }
        }
        // Each set's first record is its first in the file, and record
        // lines follow file order (a `$GENERATE` line repeats: stable sort).
        let position = |r: &ZoneRecord| std::ptr::from_ref(r) as usize;
        sets.sort_by_key(|s| position(s[0]));
        sets
    }
}

fn is_one_of(r: &ZoneRecord, rtypes: &[&str]) -> bool {
    rtypes.iter().any(|t| r.rtype.eq_ignore_ascii_case(t))
}

/// A name to look up: its hash, and its text without the final dot.
struct Probe<'n> {
    name: &'n str,
    trimmed: &'n str,
    escaped: bool,
    hash: u64,
}

impl<'n> Probe<'n> {
    fn new(name: &'n str) -> Self {
        let escaped = name.contains('\\');
        let trimmed = name.strip_suffix('.').unwrap_or(name);
        // The hash of the name's key: for a plain name, its text lowercased
        // (which `hash` does as it goes); otherwise the decoded key.
        let hash = if escaped {
            hash(&names::key(name))
        } else {
            hash(trimmed.as_bytes())
        };
        Probe {
            name,
            trimmed,
            escaped,
            hash,
        }
    }

    /// Whether `owner`, whose key hashes to `owner_hash`, is this name.
    fn is(&self, owner: &str, owner_hash: u64) -> bool {
        if owner_hash != self.hash {
            return false;
        }
        let t = owner.strip_suffix('.').unwrap_or(owner);
        t.eq_ignore_ascii_case(self.trimmed)
            || ((self.escaped || owner.contains('\\')) && names_equal(owner, self.name))
    }
}

/// Looks `p` up in `table`, whose entries are name numbers, with `owner(n)`
/// the owner name of number `n` and `hashes[n]` its hash: `Ok(n)` when
/// found, otherwise `Err(slot)`, the free slot where it belongs. The table
/// is never full (it has at least twice as many slots as names).
fn probe<'t>(
    table: &[u32],
    hashes: &[u64],
    p: &Probe,
    owner: impl Fn(u32) -> &'t str,
) -> Result<u32, usize> {
    let mask = table.len() - 1;
    // The top bits of the hash are the best mixed.
    let mut slot = (p.hash >> (64 - table.len().trailing_zeros())) as usize & mask;
    loop {
        match table[slot] {
            EMPTY => return Err(slot),
            n if p.is(owner(n), hashes[n as usize]) => return Ok(n),
            _ => slot = (slot + 1) & mask,
        }
    }
}

/// The Fx hash (of rustc) of `bytes`, ASCII-lowercased 8 bytes at a time:
/// fast and deterministic (the names are the zone's own, and a checker has
/// no randomness anyway). Equal for names that [`names_equal`] finds equal,
/// given their [`names::key`] (or, for names without escapes, their text
/// without the final dot).
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ lower8(u64::from_le_bytes(w))).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ lower8(u64::from_le_bytes(w))).wrapping_mul(K);
    }
    h
}

/// Eight bytes with their ASCII capitals lowercased (others kept).
fn lower8(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = w & LOW7;
    // The high bit of each byte: set when the byte is at least `A`, and
    // when it is above `Z` (no carry crosses a byte: at most 0x7f + 0x3f).
    let from_a = low + 0x3f3f_3f3f_3f3f_3f3f;
    let above_z = low + 0x2525_2525_2525_2525;
    let capital = from_a & !above_z & !w & HIGH;
    w | (capital >> 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ZoneExt;
    use crate::testing::zone;

    /// The sample zone of `ZoneExt`'s tests (lines 1 to 15), with escaped
    /// owners and a name whose records are apart.
    fn sample() -> Zone {
        let mut z = crate::zone::tests::sample();
        let extra = zone(
            "example.",
            &[
                (r"\087EB.example.", "A", "192.0.2.81"),
                (r"a\.b.example.", "TXT", "\"dot inside\""),
                ("a.b.example.", "TXT", "\"two labels\""),
                ("example.", "MX", "10 host.example."),
                ("NS1.example", "TXT", "\"x\""),
            ],
        );
        for mut r in extra.records {
            r.line += 15;
            z.records.push(r);
        }
        z
    }

    /// Every look-up gives what the scanning `ZoneExt` gives.
    #[test]
    fn same_answers_as_zone_ext() {
        let z = sample();
        let ix = z.index();
        let names = [
            "example.",
            "EXAMPLE",
            "ns1.example.",
            "www.example.",
            r"\087WW.example",
            "web.example.",
            r"w\069B.example",
            "ns1.EXAMPLE.",
            "loop1.example.",
            "self.example.",
            "ext.example.",
            "bad.example.",
            "two.example.",
            r"a\.b.example.",
            r"a\046b.example.",
            "a.b.example.",
            "nothere.example.",
            ".",
        ];
        for n in names {
            assert_eq!(ix.records_at(n), z.records_at(n).as_slice(), "{n}");
            for t in ["A", "aaaa", "NS", "CNAME", "TXT", "SOA", "MX"] {
                assert_eq!(ix.rrset(n, t), z.rrset(n, t), "{n} {t}");
                assert_eq!(ix.has(n, t), z.has(n, t), "{n} {t}");
            }
            assert_eq!(ix.addresses(n), z.addresses(n), "{n}");
            assert_eq!(ix.has_address(n), !z.addresses(n).is_empty(), "{n}");
            assert_eq!(ix.contains(n), !z.records_at(n).is_empty(), "{n}");
            assert_eq!(ix.cname_chain(n), z.cname_chain(n), "{n}");
            assert_eq!(ix.resolve_cname(n), z.resolve_cname(n), "{n}");
        }
        for t in ["NS", "MX", "SOA", "PTR"] {
            assert_eq!(ix.apex_rrset(t), z.apex_rrset(t));
            assert_eq!(ix.records_of_type(t), z.records_of_type(t));
        }
        assert_eq!(ix.apex_soa(), z.apex_soa());
        assert!(std::ptr::eq(ix.zone(), &z));
    }

    #[test]
    fn owners_and_rrsets_in_file_order() {
        let z = sample();
        let ix = ZoneIndex::new(&z);
        let firsts: Vec<u32> = ix.owners().map(|o| o[0].line).collect();
        assert_eq!(firsts, [1, 4, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17, 18]);
        let sets: Vec<Vec<u32>> = ix
            .rrsets()
            .iter()
            .map(|s| s.iter().map(|r| r.line).collect())
            .collect();
        let mut want: Vec<Vec<u32>> = (1..=20).map(|l| vec![l]).collect();
        want[1] = vec![2, 3];
        want[12] = vec![13, 14];
        want.retain(|set| set[0] != 3 && set[0] != 14);
        assert_eq!(sets, want);
        assert!(ZoneIndex::new(&zone("example.", &[])).rrsets().is_empty());
    }

    #[test]
    fn many_records_of_one_name() {
        let owners: Vec<String> = (0..2000).map(|i| format!("h{}.example.", i % 7)).collect();
        let records: Vec<(&str, &str, &str)> = owners
            .iter()
            .map(|o| (o.as_str(), "A", "192.0.2.1"))
            .collect();
        let z = zone("example.", &records);
        let ix = z.index();
        assert_eq!(ix.owners().count(), 7);
        assert_eq!(
            ix.addresses("H3.example").len(),
            (0..2000).filter(|i| i % 7 == 3).count()
        );
        assert_eq!(ix.rrsets().len(), 7);
    }

    #[test]
    fn hash_lowercases_ascii_only() {
        let all: Vec<u8> = (0..=255).collect();
        let lowered: Vec<u8> = all.iter().map(u8::to_ascii_lowercase).collect();
        for (a, b) in all.chunks(8).zip(lowered.chunks(8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(a);
            assert_eq!(lower8(u64::from_le_bytes(w)).to_le_bytes(), b);
        }
        assert_eq!(hash(b"WWW.Example.COM"), hash(b"www.example.com"));
        assert_ne!(hash(b"www.example.com"), hash(b"www.example.co"));
        assert_eq!(
            Probe::new(r"\119ww.example.").hash,
            Probe::new("WWW.example").hash
        );
    }
}
