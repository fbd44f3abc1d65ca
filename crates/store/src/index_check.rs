//! Checking the indexes against a full scan of the records, and rebuilding them from it.

use super::*;

impl Store {
    /// Compares every index with what a full scan of the records implies.
    pub fn check_indexes(&self) -> Result<Vec<IndexMismatch>, StoreError> {
        let expected = self.expected_index_entries()?;
        let mut problems = Vec::new();
        for index in Index::ALL {
            let want = &expected[index.position()];
            let mut stray = 0;
            let mut seen = 0;
            for item in self.index_tree(index).iter() {
                let (key, value) = item?;
                match want.get(key.as_ref()) {
                    Some(v) if v.as_slice() == value.as_ref() => seen += 1,
                    _ => stray += 1,
                }
            }
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

    /// What a full scan of the records implies for every index.
    pub(crate) fn expected_index_entries(&self) -> Result<Vec<IndexContent>, StoreError> {
        self.expected_entries_of(&Index::ALL)
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
                    let want = &mut expected[entry.index.position()];
                    if entry.index.is_tally() {
                        let sum = tally::apply(
                            want.get(&entry.key).map(Vec::as_slice),
                            &entry.payload,
                            tally::Direction::Add,
                        )?;
                        if let Some(sum) = sum {
                            want.insert(entry.key, sum);
                        }
                        continue;
                    }
                    let value = entry.stored_value(id);
                    want.insert(entry.key, value);
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
    pub fn rebuild_these_indexes(&self, which: &[Index]) -> Result<(), StoreError> {
        let expected = self.expected_entries_of(which)?;
        for index in which {
            let tree = self.index_tree(*index);
            let located = |e: sled::Error| StoreError::from(e).located(&self.path);
            tree.clear().map_err(located)?;
            let mut batch = sled::Batch::default();
            for (k, v) in &expected[index.position()] {
                batch.insert(k.as_slice(), v.as_slice());
            }
            tree.apply_batch(batch).map_err(located)?;
        }
        self.flush()
    }
}
