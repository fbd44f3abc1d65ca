//! The audit chain and the change log as sled entries: consecutive log entries packed
//! into blocks, so that a log of millions of entries costs sled tens of thousands of
//! keys.
//!
//! Why: sled splits a leaf at 16 keys whatever their size and keeps every page's table
//! entry and accounts in memory, so each key costs about 450 bytes on disk and a share of
//! the memory and of the time of every open (issue 16: the two logs were 3.6 M of the
//! full seed's 12.1 M keys). The logs are only ever appended to and read in order.
//!
//! Layout. Every key is a sequence number (u64, big-endian). Its value is either
//! - a **single** entry: the entry's own bytes (JSON, so it starts with `{`), at its
//!   own sequence number; or
//! - a **block**: [`BLOCK`], the first sequence number (u64 BE), the count (u32 BE), the
//!   length of the body (u32 BE), then the body LZ4-compressed: per entry its length (u32
//!   BE) and bytes. Stored at its **last** sequence number, so a forward range from any
//!   sequence number starts at the entry that holds it. Consecutive audit entries share
//!   their field names, actor and station, so a block takes about a third of their bytes.
//!
//! A write of many entries (an import, a migration) stores them as blocks at once; an
//! interactive save adds a single, and [`pack_trailing`] packs those when the store
//! settles after an open. A block that does not decode is read as one entry holding the
//! stored bytes, which no reader accepts: the audit check reports it where it stands.

use super::{StoreError, TxResult};
use sled::transaction::TransactionalTree;
use std::collections::VecDeque;

/// First byte of a block; an entry (JSON) never starts with it.
const BLOCK: u8 = 0;
const BLOCK_HEADER: usize = 1 + 8 + 4 + 4;
/// A block's body before compression, at most (a larger entry is stored on its own).
/// sled writes a page larger than a quarter of its 512 KiB segment to a file of its own,
/// and a leaf holds up to 16 values: 12 KiB bodies, compressed, keep a leaf of blocks
/// well under that (about 26 audit entries or 64 change-log entries a block).
const BLOCK_BYTES: usize = 12 * 1024;
/// A body longer than this is not one beatbook wrote: the block is read as damaged
/// rather than decompressed into a buffer its header asks for.
const MAX_BODY: usize = 1 << 20;
/// At most this many entries in a block, however small.
const BLOCK_ENTRIES: usize = 64;
/// Blocks written per transaction while packing.
const PACK_BLOCKS_PER_TX: usize = 256;

/// One entry of a log: its sequence number and stored bytes.
pub type LogEntry = (u64, Vec<u8>);

/// The stored value of consecutive `entries` (at least one): a single entry as it is, more
/// as a block. Store it at the last entry's sequence number.
pub fn encode(entries: &[LogEntry]) -> Vec<u8> {
    if let [(_, bytes)] = entries {
        return bytes.clone();
    }
    let mut body = Vec::with_capacity(entries.iter().map(|(_, b)| 4 + b.len()).sum());
    for (_, bytes) in entries {
        body.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        body.extend_from_slice(bytes);
    }
    let packed = lz4_flex::block::compress(&body);
    let mut out = Vec::with_capacity(BLOCK_HEADER + packed.len());
    out.push(BLOCK);
    out.extend_from_slice(&entries.first().map_or(0, |(seq, _)| *seq).to_be_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(&packed);
    out
}

/// The entries a stored key and value hold, oldest first. A value that is not a
/// well-formed block, or whose last entry is not its key, is one entry at its key.
pub fn decode(key: &[u8], value: &[u8]) -> Vec<LogEntry> {
    let key_seq = key_seq(key);
    if value.first() == Some(&BLOCK) {
        if let Some(entries) =
            decode_block(value).filter(|e| e.last().map(|l| l.0) == Some(key_seq))
        {
            return entries;
        }
    }
    vec![(key_seq, value.to_vec())]
}

fn key_seq(key: &[u8]) -> u64 {
    key.try_into().map(u64::from_be_bytes).unwrap_or(0)
}

fn decode_block(value: &[u8]) -> Option<Vec<LogEntry>> {
    let first = u64::from_be_bytes(value.get(1..9)?.try_into().ok()?);
    let count = u32::from_be_bytes(value.get(9..13)?.try_into().ok()?) as usize;
    let body_len = u32::from_be_bytes(value.get(13..17)?.try_into().ok()?) as usize;
    let body =
        super::lz4_exact::decompress_exact(value.get(BLOCK_HEADER..)?, body_len, MAX_BODY, &[])?;
    let mut at = 0;
    let mut out = Vec::with_capacity(count.min(BLOCK_ENTRIES));
    for i in 0..count as u64 {
        let len = u32::from_be_bytes(body.get(at..at + 4)?.try_into().ok()?) as usize;
        at += 4;
        out.push((first.checked_add(i)?, body.get(at..at + len)?.to_vec()));
        at += len;
    }
    (at == body.len() && !out.is_empty()).then_some(out)
}

fn is_block(value: &[u8]) -> bool {
    value.first() == Some(&BLOCK)
}

/// `entries` (consecutive sequence numbers) cut into runs that each fit one block.
fn runs(entries: &[LogEntry]) -> impl Iterator<Item = &[LogEntry]> {
    let mut rest = entries;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut n = 0;
        while n < rest.len() && n < BLOCK_ENTRIES {
            let next = 4 + rest[n].1.len();
            if n > 0 && bytes + next > BLOCK_BYTES {
                break;
            }
            bytes += next;
            n += 1;
        }
        let (run, after) = rest.split_at(n);
        rest = after;
        Some(run)
    })
}

/// Writes `entries` (consecutive sequence numbers, after every stored one) in a
/// transaction: as blocks when there are several, a single when there is one.
pub(crate) fn append(tree: &TransactionalTree, entries: &[LogEntry]) -> TxResult<()> {
    for run in runs(entries) {
        if let Some((last, _)) = run.last() {
            tree.insert(last.to_be_bytes().to_vec(), encode(run))?;
        }
    }
    Ok(())
}

/// The entries from sequence number `from` on, oldest first.
pub(crate) fn forward(tree: &sled::Tree, from: u64) -> Forward {
    Forward {
        stored: tree.range(from.to_be_bytes()..),
        pending: VecDeque::new(),
        next_wanted: from,
    }
}

/// Entries read forward; skips any it already gave (a pack between two reads moves
/// entries into a block at a later key).
pub(crate) struct Forward {
    stored: sled::Iter,
    pending: VecDeque<LogEntry>,
    next_wanted: u64,
}

impl Iterator for Forward {
    type Item = Result<LogEntry, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((seq, bytes)) = self.pending.pop_front() {
                if seq >= self.next_wanted {
                    self.next_wanted = seq.saturating_add(1);
                    return Some(Ok((seq, bytes)));
                }
                continue;
            }
            match self.stored.next()? {
                Ok((k, v)) => self.pending.extend(decode(&k, &v)),
                Err(e) => return Some(Err(e.into())),
            }
        }
    }
}

/// The entries below sequence number `below`, newest first.
pub(crate) fn backward(tree: &sled::Tree, below: u64) -> Backward {
    // The block holding `below - 1` may be stored at `below` or after it.
    let holding = tree.range(below.to_be_bytes()..).next();
    Backward {
        holding,
        stored: tree.range(..below.to_be_bytes()),
        pending: Vec::new(),
        below,
    }
}

/// Entries read backward (see [`backward`]).
pub(crate) struct Backward {
    holding: Option<sled::Result<(sled::IVec, sled::IVec)>>,
    stored: sled::Iter,
    /// Entries of the current stored value, oldest first (popped from the end).
    pending: Vec<LogEntry>,
    below: u64,
}

impl Iterator for Backward {
    type Item = Result<LogEntry, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((seq, bytes)) = self.pending.pop() {
                if seq < self.below {
                    self.below = seq;
                    return Some(Ok((seq, bytes)));
                }
                continue;
            }
            let item = match self.holding.take() {
                Some(item) => item,
                None => self.stored.next_back()?,
            };
            match item {
                Ok((k, v)) => self.pending = decode(&k, &v),
                Err(e) => return Some(Err(e.into())),
            }
        }
    }
}

/// The entry at sequence number `seq`, if the log holds it.
pub(crate) fn get(tree: &sled::Tree, seq: u64) -> Result<Option<Vec<u8>>, StoreError> {
    match forward(tree, seq).next() {
        Some(Ok((at, bytes))) if at == seq => Ok(Some(bytes)),
        Some(Err(e)) => Err(e),
        _ => Ok(None),
    }
}

/// Packs the single entries written since the last pack; returns how many it packed.
/// `mark` (a key of `meta`) remembers where the last pack stopped, so singles saved
/// before a later block (a save, then an import, then the next open) are packed too.
/// Without a mark it starts after the newest block. Either way it reads only what was
/// written since, so after an open it costs what the last session wrote.
pub(crate) fn pack_trailing(
    tree: &sled::Tree,
    meta: &sled::Tree,
    mark: &[u8],
) -> Result<usize, StoreError> {
    let marked = meta
        .get(mark)?
        .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
        .map(u64::from_be_bytes);
    let from = match marked {
        Some(from) => from,
        None => after_newest_block(tree)?,
    };
    let done = pack_from(tree, from)?;
    if let Some(resume) = done.resume {
        meta.insert(mark, resume.to_be_bytes().to_vec())?;
    }
    Ok(done.packed)
}

fn after_newest_block(tree: &sled::Tree) -> Result<u64, StoreError> {
    for item in tree.iter().rev() {
        let (k, v) = item?;
        if is_block(&v) {
            return Ok(key_seq(&k).saturating_add(1));
        }
    }
    Ok(0)
}

/// What a pack did: how many entries it packed, and where the next one should start
/// (None when a save raced it and nothing may be skipped).
pub(crate) struct Packed {
    pub(crate) packed: usize,
    resume: Option<u64>,
}

/// Packs every run of consecutive single entries from sequence number `from` on into
/// blocks, a few hundred blocks per transaction. Each transaction checks that the singles
/// it replaces are still there as read; a lone single at the end waits for the next pack.
pub(crate) fn pack_from(tree: &sled::Tree, from: u64) -> Result<Packed, StoreError> {
    let mut packed = 0;
    let mut raced = false;
    let mut next = from;
    let mut run: Vec<LogEntry> = Vec::new();
    let mut batch: Vec<Vec<LogEntry>> = Vec::new();
    let mut write = |batch: &mut Vec<Vec<LogEntry>>| -> Result<(), StoreError> {
        let n = write_blocks(tree, batch)?;
        raced |= n == 0 && !batch.is_empty();
        packed += n;
        batch.clear();
        Ok(())
    };
    for item in tree.range(from.to_be_bytes()..) {
        let (k, v) = item?;
        let seq = key_seq(&k);
        next = seq.saturating_add(1);
        let follows = run
            .last()
            .map_or(true, |(last, _)| last.checked_add(1) == Some(seq));
        if is_block(&v) || !follows {
            close_run(&mut run, &mut batch);
        }
        if !is_block(&v) {
            run.push((seq, v.to_vec()));
            if runs(&run).nth(1).is_some() {
                // The run no longer fits one block: the newest entry starts the next.
                let newest = run.pop();
                close_run(&mut run, &mut batch);
                run.extend(newest);
            }
        }
        if batch.len() >= PACK_BLOCKS_PER_TX {
            write(&mut batch)?;
        }
    }
    if let [(lone, _)] = run.as_slice() {
        next = *lone;
    }
    close_run(&mut run, &mut batch);
    write(&mut batch)?;
    Ok(Packed {
        packed,
        resume: (!raced).then_some(next),
    })
}

/// Moves a run of two or more singles into the batch to write (a lone single stays).
fn close_run(run: &mut Vec<LogEntry>, batch: &mut Vec<Vec<LogEntry>>) {
    if run.len() >= 2 {
        batch.push(std::mem::take(run));
    } else {
        run.clear();
    }
}

/// Replaces each run's singles by one block, in one transaction; an entry changed since
/// it was read leaves every run of the batch as it was (the next pack tries again).
fn write_blocks(tree: &sled::Tree, batch: &[Vec<LogEntry>]) -> Result<usize, StoreError> {
    use sled::transaction::{ConflictableTransactionError, TransactionError};
    let result = tree.transaction(|tx| {
        for run in batch {
            for (seq, bytes) in run {
                match tx.get(seq.to_be_bytes())? {
                    Some(now) if now.as_ref() == bytes.as_slice() => {}
                    _ => return Err(ConflictableTransactionError::Abort(())),
                }
                tx.remove(seq.to_be_bytes().to_vec())?;
            }
            if let Some((last, _)) = run.last() {
                tx.insert(last.to_be_bytes().to_vec(), encode(run))?;
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => Ok(batch.iter().map(Vec::len).sum()),
        Err(TransactionError::Abort(())) => Ok(0),
        Err(TransactionError::Storage(e)) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> LogEntry {
        (
            seq,
            format!(
                "{{\"seq\":{seq},\"pad\":\"{}\"}}",
                "x".repeat(seq as usize % 700)
            )
            .into_bytes(),
        )
    }

    fn temp_tree() -> (tempfile::TempDir, sled::Tree) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let tree = db.open_tree("log").expect("tree");
        (dir, tree)
    }

    fn all(tree: &sled::Tree) -> Vec<LogEntry> {
        forward(tree, 0).collect::<Result<_, _>>().expect("reads")
    }

    fn write_singles(tree: &sled::Tree, seqs: std::ops::RangeInclusive<u64>) {
        for seq in seqs {
            let (s, bytes) = entry(seq);
            tree.insert(s.to_be_bytes(), bytes).expect("insert");
        }
    }

    #[test]
    fn a_block_round_trips_and_a_damaged_one_reads_as_its_stored_bytes() {
        let entries: Vec<LogEntry> = (5..=9).map(entry).collect();
        let value = encode(&entries);
        assert_eq!(decode(&9u64.to_be_bytes(), &value), entries);
        // Stored at the wrong key, cut short, with a byte too many or a body length it
        // does not have (or one past any block's): one unreadable entry.
        let mut wrong_length = value.clone();
        wrong_length[16] ^= 1;
        let mut huge = value.clone();
        huge[13] = 0xff;
        for (key, value) in [
            (8u64, value.clone()),
            (9, value[..value.len() - 1].to_vec()),
            (9, [value.clone(), vec![0]].concat()),
            (9, wrong_length),
            (9, huge),
        ] {
            assert_eq!(decode(&key.to_be_bytes(), &value), vec![(key, value)]);
        }
        assert_eq!(encode(&entries[..1]), entries[0].1);
    }

    #[test]
    fn appended_entries_read_the_same_forward_backward_and_one_by_one() {
        let (_dir, tree) = temp_tree();
        let entries: Vec<LogEntry> = (1..=500).map(entry).collect();
        tree.transaction(|tx| append(tx, &entries[..1]))
            .expect("one");
        tree.transaction(|tx| append(tx, &entries[1..]))
            .expect("many");
        assert!(tree.len() < 100, "{} keys for 500 entries", tree.len());
        for (_, v) in tree.iter().map(|r| r.expect("read")) {
            assert!(v.len() <= BLOCK_HEADER + BLOCK_BYTES, "{}", v.len());
        }
        assert_eq!(all(&tree), entries);
        assert_eq!(
            forward(&tree, 250).next().map(|r| r.expect("r").0),
            Some(250)
        );
        let newest_first: Vec<u64> = backward(&tree, 301).map(|r| r.expect("read").0).collect();
        assert_eq!(newest_first, (1..=300).rev().collect::<Vec<_>>());
        for seq in [1, 2, 77, 499, 500] {
            assert_eq!(
                get(&tree, seq).expect("get"),
                Some(entries[seq as usize - 1].1.clone())
            );
        }
        assert_eq!(get(&tree, 501).expect("get"), None);
    }

    #[test]
    fn trailing_singles_are_packed_and_read_as_before() {
        let (_dir, tree) = temp_tree();
        let dir = tempfile::tempdir().expect("tempdir");
        let meta = sled::Config::new()
            .path(dir.path())
            .open()
            .expect("sled")
            .open_tree("meta")
            .expect("meta");
        let pack = |tree: &sled::Tree| pack_trailing(tree, &meta, b"mark").expect("pack");
        write_singles(&tree, 1..=300);
        assert_eq!(pack(&tree), 300);
        let keys = tree.len();
        assert!(keys < 60, "{keys}");
        write_singles(&tree, 301..=305);
        assert_eq!(pack(&tree), 5);
        assert_eq!(tree.len(), keys + 1);
        write_singles(&tree, 306..=306);
        assert_eq!(pack(&tree), 0, "a lone single stays");
        // Saves, then a block of many (an import), then the next pack: the saves before
        // the block are packed too, with the lone single before them.
        write_singles(&tree, 307..=310);
        let bulk: Vec<LogEntry> = (311..=340).map(entry).collect();
        tree.transaction(|tx| append(tx, &bulk)).expect("bulk");
        assert_eq!(pack(&tree), 5);
        assert_eq!(all(&tree), (1..=340).map(entry).collect::<Vec<_>>());
    }

    #[test]
    fn a_gap_in_the_singles_is_not_packed_over() {
        let (_dir, tree) = temp_tree();
        write_singles(&tree, 1..=10);
        write_singles(&tree, 12..=20);
        pack_from(&tree, 0).expect("pack");
        assert_eq!(
            all(&tree).iter().map(|e| e.0).collect::<Vec<_>>(),
            (1..=10).chain(12..=20).collect::<Vec<_>>()
        );
        assert!(
            decode(
                &10u64.to_be_bytes(),
                &tree.get(10u64.to_be_bytes()).expect("r").expect("block")
            )
            .len()
                == 10
        );
    }

    #[test]
    fn a_reader_does_not_see_an_entry_twice_when_a_pack_runs_between_its_reads() {
        let (_dir, tree) = temp_tree();
        write_singles(&tree, 1..=40);
        let mut reader = forward(&tree, 1);
        let first: Vec<u64> = reader.by_ref().take(5).map(|r| r.expect("r").0).collect();
        pack_from(&tree, 0).expect("pack");
        let rest: Vec<u64> = reader.map(|r| r.expect("r").0).collect();
        assert_eq!([first, rest].concat(), (1..=40).collect::<Vec<_>>());
    }
}
