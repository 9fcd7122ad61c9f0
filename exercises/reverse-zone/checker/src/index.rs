//! The zone's records by owner name, for look-ups in O(log n) instead of a
//! scan of the whole zone per name (a zone may hold thousands of records,
//! and fuel is limited). Names compare as [`names_equal`] does: label by
//! label, escapes decoded, case-insensitively.
//!
//! [`names_equal`]: grader_checker_sdk::names_equal

use std::collections::BTreeMap;

use grader_checker_sdk::names::labels;
use grader_checker_sdk::prelude::*;

pub struct Index<'a> {
    by_name: BTreeMap<Vec<Vec<u8>>, Vec<&'a ZoneRecord>>,
}

impl<'a> Index<'a> {
    pub fn new(zone: &'a Zone) -> Self {
        let mut by_name: BTreeMap<Vec<Vec<u8>>, Vec<&'a ZoneRecord>> = BTreeMap::new();
        for r in &zone.records {
            by_name.entry(labels(&r.owner)).or_default().push(r);
        }
        Index { by_name }
    }

    /// Every record owned by `name`, in file order.
    pub fn at(&self, name: &str) -> &[&'a ZoneRecord] {
        self.by_name.get(&labels(name)).map_or(&[], Vec::as_slice)
    }

    /// The records of type `rtype` owned by `name`.
    pub fn rrset(&self, name: &str, rtype: &str) -> Vec<&'a ZoneRecord> {
        self.at(name)
            .iter()
            .filter(|r| r.rtype.eq_ignore_ascii_case(rtype))
            .copied()
            .collect()
    }

    pub fn has(&self, name: &str, rtype: &str) -> bool {
        self.at(name)
            .iter()
            .any(|r| r.rtype.eq_ignore_ascii_case(rtype))
    }

    /// Every owner name with its records, in canonical order.
    pub fn names(&self) -> impl Iterator<Item = &[&'a ZoneRecord]> {
        self.by_name.values().map(Vec::as_slice)
    }
}
