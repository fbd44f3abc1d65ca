//! Checking the indexes against a full scan of the records, and rebuilding them from it.

use super::*;

/// An order-free digest of a set of index entries: their count and the wrapping sum of
/// each entry's SHA-256 (first 128 bits). Two sets agree when their fingerprints do, so
/// the check compares the indexes with the records without holding either in memory
/// (holding the expected entries took 3.5 GB for a bureau, issue 16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Fingerprint {
    count: u64,
    sum: u128,
}

impl Fingerprint {
    fn add(&mut self, key: &[u8], value: &[u8]) {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update((key.len() as u64).to_be_bytes())
            .chain_update(key)
            .chain_update(value)
            .finalize();
        let mut low = [0u8; 16];
        low.copy_from_slice(&digest[..16]);
        self.sum = self.sum.wrapping_add(u128::from_be_bytes(low));
        self.count += 1;
    }
}

impl Store {
    /// Compares every index with what a full scan of the records implies. Each index is
    /// first compared by [`Fingerprint`]; only one that differs is compared entry by entry
    /// (to count what is stray and what is missing), so a sound store is checked in
    /// constant memory.
    pub fn check_indexes(&self) -> Result<Vec<IndexMismatch>, StoreError> {
        let expected = self.expected_fingerprints()?;
        let mut differing = Vec::new();
        for index in Index::ALL {
            let mut found = Fingerprint::default();
            self.each_stored_entry(index, |key, value| found.add(key, value))?;
            if found != expected[index.position()] {
                differing.push(index);
            }
        }
        if differing.is_empty() {
            return Ok(Vec::new());
        }
        self.compare_entries(&differing)
    }

    /// Feeds `f` every entry stored in `index`, the members of a grouped index taken out
    /// of their groups. A group that does not parse is given as it is stored, one entry
    /// no record implies, so that the check names its index and `check --repair`
    /// rebuilds it, as for any other damaged entry, instead of stopping at it.
    fn each_stored_entry(
        &self,
        index: Index,
        mut f: impl FnMut(&[u8], &[u8]),
    ) -> Result<(), StoreError> {
        let mut whole = Vec::new();
        for item in self.raw_index_tree(index).iter() {
            let (key, value) = item?;
            let expanded = index.group_len().is_some()
                && index_groups::each_member(index, &key, &value, &mut whole, |k, payload| {
                    f(k, payload);
                    Ok(())
                })
                .is_ok();
            if !expanded {
                f(&key, &value);
            }
        }
        Ok(())
    }

    /// The fingerprint of what the records imply for every index: one pass over the
    /// records; only the tallies (sums over many records, a few thousand keys) are
    /// gathered in memory first.
    fn expected_fingerprints(&self) -> Result<Vec<Fingerprint>, StoreError> {
        let mut prints = vec![Fingerprint::default(); Index::ALL.len()];
        let mut tally_sums = vec![IndexContent::new(); Index::ALL.len()];
        for kind in Kind::ALL {
            for item in self.kind_tree(kind).iter() {
                let (_, bytes) = item?;
                let record = AnyRecord::decode(kind, &bytes)?;
                let id = record.meta().id;
                for entry in record.index_entries() {
                    let at = entry.index.position();
                    if entry.index.is_tally() {
                        add_expected(&mut tally_sums[at], entry, id)?;
                    } else {
                        prints[at].add(&entry.key, &entry.stored_value(id));
                    }
                }
            }
        }
        for (print, sums) in prints.iter_mut().zip(tally_sums) {
            for (key, value) in sums {
                print.add(&key, &value);
            }
        }
        Ok(prints)
    }

    /// Compares `which` indexes entry by entry with what the records imply.
    fn compare_entries(&self, which: &[Index]) -> Result<Vec<IndexMismatch>, StoreError> {
        let expected = self.expected_entries_of(which)?;
        let mut problems = Vec::new();
        for &index in which {
            let want = &expected[index.position()];
            let mut stray = 0;
            let mut seen = 0;
            self.each_stored_entry(index, |key, value| match want.get(key) {
                Some(v) if v.as_slice() == value => seen += 1,
                _ => stray += 1,
            })?;
            let missing = want.len() - seen;
            if stray > 0 || missing > 0 {
                problems.push(IndexMismatch {
                    index,
                    stray,
                    missing,
                });
            }
        }
        Ok(problems)
    }

    /// What the records imply for the indexes in `which` (the others are left empty):
    /// only the kinds of record those indexes come from are read, so a migration that
    /// changes the dispute indexes reads the disputes, not a million visits.
    pub(crate) fn expected_entries_of(
        &self,
        which: &[Index],
    ) -> Result<Vec<IndexContent>, StoreError> {
        let mut expected = vec![std::collections::BTreeMap::new(); Index::ALL.len()];
        for kind in Kind::ALL {
            if !which.iter().any(|index| index.source() == kind) {
                continue;
            }
            for item in self.kind_tree(kind).iter() {
                let (_, bytes) = item?;
                let record = AnyRecord::decode(kind, &bytes)?;
                let id = record.meta().id;
                for entry in record.index_entries() {
                    if !which.contains(&entry.index) {
                        continue;
                    }
                    add_expected(&mut expected[entry.index.position()], entry, id)?;
                }
            }
        }
        Ok(expected)
    }

    /// Rebuilds every index from the records (migrations).
    pub fn rebuild_indexes(&self) -> Result<(), StoreError> {
        self.rebuild_these_indexes(&Index::ALL)
    }

    /// Rebuilds the given indexes from the records, each cleared and refilled in place
    /// (`check --repair` rebuilds only the ones that disagree). Reads afterwards were
    /// measured as fast as on a freshly seeded store (60,000 persons, 5,000 flags); a
    /// rebuild into dropped and reopened trees was no faster and left more on disk.
    ///
    /// One index at a time, so memory holds the largest index, not all of them; and by
    /// plain inserts: sled kept everything a large `apply_batch` wrote in memory (a
    /// bureau's restore reached 14 GB, issue 16).
    pub fn rebuild_these_indexes(&self, which: &[Index]) -> Result<(), StoreError> {
        let located = |e: sled::Error| StoreError::from(e).located(&self.path);
        for index in which {
            let expected = self.expected_entries_of(&[*index])?;
            let tree = self.raw_index_tree(*index);
            tree.clear().map_err(located)?;
            let entries = expected[index.position()]
                .iter()
                .map(|(k, v)| (k.as_slice(), v.as_slice()));
            if index.group_len().is_some() {
                index_groups::regroup(*index, entries, |group, value| {
                    tree.insert(group, value).map_err(located)?;
                    Ok(())
                })?;
            } else {
                for (k, v) in entries {
                    tree.insert(k, v).map_err(located)?;
                }
            }
        }
        self.flush()
    }
}

/// Adds what one index entry of a record implies to `want`: the entry itself, or for a
/// tally its counts added to the sum already there.
fn add_expected(
    want: &mut IndexContent,
    entry: records::IndexEntry,
    id: Id,
) -> Result<(), StoreError> {
    if entry.index.is_tally() {
        let sum = tally::apply(
            want.get(&entry.key).map(Vec::as_slice),
            &entry.payload,
            tally::Direction::Add,
        )?;
        if let Some(sum) = sum {
            want.insert(entry.key, sum);
        }
    } else {
        let value = entry.stored_value(id);
        want.insert(entry.key, value);
    }
    Ok(())
}
