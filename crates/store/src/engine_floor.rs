//! The storage engine's own floor for a bulk write, for `bench`: how long sled alone takes
//! to write as many entries as an import wrote, shaped like them, with none of beatbook's
//! work (no records encoded, no index computed, no audit chain, no reads). An import's
//! time over this floor is what beatbook adds; the floor itself only fewer sled entries
//! can lower (issue 16: sled cost 6.5–12 µs per inserted entry on the 2-core test
//! machine, whatever the value size and whether written one by one, in batches or in
//! transactions).

use super::{StoreError, TreeSize};
use sled::Transactional;
use std::path::Path;
use std::time::{Duration, Instant};

/// Writes, into a new sled database in the empty folder `dir`, for each tree of `shape`
/// as many entries as it counts, each with that tree's mean key and value size, in
/// transactions over all the trees of at most `batch` entries (as an import commits its
/// chunks), then flushes once. Keys are written in ascending order, sled's cheapest case,
/// so this is a floor. Returns the time from the first write to the end of the flush.
pub fn engine_floor(dir: &Path, shape: &[TreeSize], batch: usize) -> Result<Duration, StoreError> {
    let db = sled::Config::new()
        .path(dir)
        .cache_capacity(super::cache_capacity())
        .open()?;
    let shape: Vec<&TreeSize> = shape.iter().filter(|t| t.entries > 0).collect();
    let trees = shape
        .iter()
        .map(|t| db.open_tree(format!("floor_{}", t.name)))
        .collect::<Result<Vec<_>, _>>()?;
    // Each tree's entries spread evenly over the transactions.
    let total: u64 = shape.iter().map(|t| t.entries).sum();
    let rounds = total.div_ceil(batch.max(1) as u64).max(1);
    let started = Instant::now();
    let mut written = vec![0u64; shape.len()];
    for round in 1..=rounds {
        let upto: Vec<u64> = shape.iter().map(|t| t.entries * round / rounds).collect();
        trees
            .as_slice()
            .transaction(|tx| {
                for (i, t) in shape.iter().enumerate() {
                    for n in written[i]..upto[i] {
                        tx[i].insert(key(t, n), vec![0x5a; mean(t.value_bytes, t.entries)])?;
                    }
                }
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                sled::transaction::TransactionError::Storage(e) => StoreError::from(e),
                sled::transaction::TransactionError::Abort(()) => {
                    StoreError::Corrupt("engine floor: aborted".into())
                }
            })?;
        written = upto;
    }
    db.flush()?;
    Ok(started.elapsed())
}

/// The `n`th key of tree `t`: `n` big-endian, padded to the tree's mean key size.
fn key(t: &TreeSize, n: u64) -> Vec<u8> {
    let mut key = n.to_be_bytes().to_vec();
    key.resize(mean(t.key_bytes, t.entries).max(8), 0);
    key
}

fn mean(bytes: u64, entries: u64) -> usize {
    (bytes / entries.max(1)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_writes_the_shape_it_is_given() {
        let dir = tempfile::tempdir().expect("tempdir");
        let shape = [
            TreeSize {
                name: "persons".into(),
                entries: 501,
                key_bytes: 501 * 16,
                value_bytes: 501 * 200,
            },
            TreeSize {
                name: "idx".into(),
                entries: 1003,
                key_bytes: 1003 * 33,
                value_bytes: 1003 * 8,
            },
            TreeSize::default(),
        ];
        engine_floor(dir.path(), &shape, 97).expect("floor");
        // Just closed by the floor: `open_db` waits out the lock sled holds a moment longer.
        let db = crate::open_db(dir.path()).expect("reopen");
        let persons = db.open_tree("floor_persons").expect("tree");
        assert_eq!(persons.len(), 501);
        let first = persons.first().expect("read").expect("an entry");
        assert_eq!((first.0.len(), first.1.len()), (16, 200));
        let idx = db.open_tree("floor_idx").expect("tree");
        assert_eq!(idx.len(), 1003);
        assert_eq!(idx.last().expect("read").expect("an entry").0.len(), 33);
    }
}
