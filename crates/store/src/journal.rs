//! The import journal: makes a bulk import all or nothing, even when the process is killed.
//!
//! An import of thousands of rows is written in several transactions (one transaction
//! holding a whole roster would be slow and hold it all in memory), so a kill between two
//! of them used to leave part of the file in the store. The journal closes that gap:
//!
//! 1. [`Store::begin_import`] commits a header (meta key `import_journal`) naming the
//!    import, before any record is written, and flushes it;
//! 2. every chunk goes through [`Store::commit_journaled`], which records in the same
//!    transaction, for each record it writes, the version it replaces (or that it was
//!    new), all in one entry per chunk under `import_journal/<import id><0xFF><the
//!    chunk's first change-log number>` (one key per chunk rather than one per record:
//!    each sled key costs about as much as a record, and a roster row writes three);
//! 3. [`Store::finish_import`] removes the header in one transaction that also audits the
//!    completion: from that moment the import is permanent. Its entries are then dropped
//!    (left-overs of a finished import are ignored and cleaned up later).
//!
//! On the next open a header still present means the import never finished:
//! [`Store::undo_import`] puts every replaced record back and removes every new one,
//! newest chunk first (so a record two chunks wrote goes back to its version from before
//! the import; entries of one record each, written by earlier versions, are still read),
//! through the normal write path (so indexes, tallies, the watch-list copy and the change
//! log the search index follows stay right), in transactions that also drop the entries
//! they undid (so an undo killed midway resumes where it stopped), audits it (the import's
//! own audit entries stay: the chain is append-only), and keeps a notice until the user
//! has been told ([`Store::take_undone_import`]).

use super::commit::{read_u64, Replaced};
use super::records::KindTree;
use super::{Actor, AnyRecord, Change, Kind, Store, StoreError, Write, META_CHANGE_SEQ, T_META};
use beatbook_model::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

/// The header of the import in progress.
const HEADER: &[u8] = b"import_journal";
/// Prefix of the entries: `<import id 16>` then `<0xFF><first change seq 8>` for a
/// chunk's entry, or `<kind 1><record id 16>` for one record's (earlier versions).
const ENTRY: &[u8] = b"import_journal/";
/// The byte after the import id that marks a chunk's entry (no [`Kind`] has it).
const CHUNK_TAG: u8 = 0xFF;
/// What the last undo did, until someone has been told.
const UNDONE: &[u8] = b"import_undone";
/// Entries undone per transaction.
const UNDO_BATCH: usize = 1000;

/// An import being written: what the journal header holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJournal {
    pub id: Id,
    /// Data rows of the file being imported.
    pub rows: usize,
    pub station: Id,
    pub actor: Id,
    pub actor_name: String,
    pub started: DateTime<Utc>,
}

impl ImportJournal {
    /// A new journal for an import of `rows` rows into `station` by `actor`.
    pub fn new(rows: usize, station: Id, actor: &Actor, started: DateTime<Utc>) -> ImportJournal {
        ImportJournal {
            id: Id::new(),
            rows,
            station,
            actor: actor.id,
            actor_name: actor.name.clone(),
            started,
        }
    }
}

/// An interrupted import that was undone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoneImport {
    /// The import's id (its audit entries carry it in their detail).
    pub import: Id,
    /// Data rows of the file that was being imported.
    pub rows: usize,
    /// Records removed or put back as they were.
    pub records: usize,
    /// Who started it, and when.
    pub actor_name: String,
    pub started: DateTime<Utc>,
}

fn entry_prefix(import: Id) -> Vec<u8> {
    let mut key = ENTRY.to_vec();
    key.extend_from_slice(&import.to_bytes());
    key
}

/// The key of the entry of the chunk whose first change-log number is `first_seq`: chunks
/// sort in the order they were written.
fn chunk_key(import: Id, first_seq: u64) -> Vec<u8> {
    let mut key = entry_prefix(import);
    key.push(CHUNK_TAG);
    key.extend_from_slice(&first_seq.to_be_bytes());
    key
}

/// What an entry key under `prefix` names.
#[derive(Debug, PartialEq, Eq)]
enum EntryKey {
    /// One chunk's records.
    Chunk,
    /// One record (written by earlier versions).
    Record(Kind, Id),
}

fn parse_entry_key(prefix: &[u8], key: &[u8]) -> Option<EntryKey> {
    let rest = key.strip_prefix(prefix)?;
    let (&first, tail) = rest.split_first()?;
    if first == CHUNK_TAG {
        return (tail.len() == 8).then_some(EntryKey::Chunk);
    }
    Some(EntryKey::Record(
        *Kind::ALL.get(usize::from(first))?,
        Id::from_slice(tail)?,
    ))
}

/// A chunk's entry: per record written (the first write of each only, which holds the
/// version from before the chunk), `<kind 1><id 16>` then `0`, or `1<length u32><bytes>`
/// for the version it replaced.
fn encode_chunk(replaced: &[Replaced]) -> Vec<u8> {
    let mut seen = std::collections::HashSet::with_capacity(replaced.len());
    let mut out = Vec::with_capacity(replaced.len() * 18);
    for (kind, id, previous) in replaced {
        if !seen.insert((*kind, *id)) {
            continue;
        }
        out.push(kind.position() as u8);
        out.extend_from_slice(&id.to_bytes());
        match previous {
            None => out.push(0),
            Some(bytes) => {
                out.push(1);
                // A record is far below 4 GB; the length is checked on the way back.
                out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
                out.extend_from_slice(bytes);
            }
        }
    }
    out
}

/// A record an entry names: its kind, id and the version to put back (None: remove it).
type Target<'a> = (Kind, Id, Option<&'a [u8]>);

fn decode_chunk(mut value: &[u8]) -> Result<Vec<Target<'_>>, StoreError> {
    let unreadable = || corrupt("a chunk entry is unreadable");
    let mut out = Vec::new();
    while let Some((&kind, rest)) = value.split_first() {
        let kind = *Kind::ALL.get(usize::from(kind)).ok_or_else(unreadable)?;
        let (id, rest) = rest.split_at_checked(16).ok_or_else(unreadable)?;
        let id = Id::from_slice(id).ok_or_else(unreadable)?;
        let (&tag, rest) = rest.split_first().ok_or_else(unreadable)?;
        value = match tag {
            0 => {
                out.push((kind, id, None));
                rest
            }
            1 => {
                let (len, rest) = rest.split_at_checked(4).ok_or_else(unreadable)?;
                let len = u32::from_be_bytes(len.try_into().map_err(|_| unreadable())?);
                let (bytes, rest) = rest.split_at_checked(len as usize).ok_or_else(unreadable)?;
                out.push((kind, id, Some(bytes)));
                rest
            }
            _ => return Err(unreadable()),
        };
    }
    Ok(out)
}

/// An entry of one record (earlier versions): `0` for a record the import created, `1` +
/// its encoding for one it replaced.
fn decode_previous(value: &[u8]) -> Result<Option<&[u8]>, StoreError> {
    match value.split_first() {
        Some((0, _)) => Ok(None),
        Some((1, bytes)) => Ok(Some(bytes)),
        _ => Err(corrupt("an entry is unreadable")),
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("import journal: {what}"))
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| corrupt(&e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(&e.to_string()))
}

fn unwrap_tx<T>(result: Result<T, TransactionError<StoreError>>) -> Result<T, StoreError> {
    match result {
        Ok(v) => Ok(v),
        Err(TransactionError::Abort(e)) => Err(e),
        Err(TransactionError::Storage(e)) => Err(e.into()),
    }
}

/// Called by [`Store::open`]: undoes an import a kill interrupted, and drops the entries
/// a finished import could not drop before a kill (they hold earlier versions of
/// persons: personal data with no use left).
pub(super) fn recover(store: &Store) -> Result<(), StoreError> {
    if let Some(undone) = store.undo_import()? {
        tracing::warn!(
            rows = undone.rows,
            records = undone.records,
            "an interrupted import was undone"
        );
    }
    store.drop_entries()
}

impl Store {
    /// The import in progress, if any.
    pub fn open_import(&self) -> Result<Option<ImportJournal>, StoreError> {
        match self.meta().get(HEADER)? {
            Some(v) => Ok(Some(from_json(&v)?)),
            None => Ok(None),
        }
    }

    /// Starts a journaled import: undoes any unfinished one first, drops entries a finished
    /// one left, then commits the header durably before any record is written.
    pub fn begin_import(&self, journal: &ImportJournal) -> Result<(), StoreError> {
        self.undo_import()?;
        self.drop_entries()?;
        self.meta().insert(HEADER, json(journal)?)?;
        self.flush()
    }

    /// Commits one chunk of the import `journal` like [`Store::commit_unflushed`], noting
    /// in the same transaction, in one entry, the version of every record it replaces (or
    /// that it is new).
    pub fn commit_journaled(
        &self,
        journal: &ImportJournal,
        change: &Change,
    ) -> Result<Vec<AnyRecord>, StoreError> {
        let trees = self.trees.as_slice();
        unwrap_tx(trees.transaction(|tx| {
            match tx[T_META].get(HEADER)? {
                Some(h)
                    if from_json::<ImportJournal>(&h).ok().map(|h| h.id) == Some(journal.id) => {}
                _ => {
                    return Err(ConflictableTransactionError::Abort(corrupt(
                        "the import is not open",
                    )))
                }
            }
            let first_seq = read_u64(&tx[T_META], META_CHANGE_SEQ)? + 1;
            let mut replaced = Vec::with_capacity(change.writes.len());
            let saved = self.apply_noting(tx, change, Some(&mut replaced))?;
            if !replaced.is_empty() {
                tx[T_META].insert(chunk_key(journal.id, first_seq), encode_chunk(&replaced))?;
            }
            Ok(saved)
        }))
    }

    /// Makes the import permanent: removes its header in one transaction that also
    /// records `change` (no writes: the audit entry of the completion), flushes, then
    /// drops its entries.
    pub fn finish_import(
        &self,
        journal: &ImportJournal,
        change: &Change,
    ) -> Result<(), StoreError> {
        let trees = self.trees.as_slice();
        unwrap_tx(trees.transaction(|tx| {
            match tx[T_META].remove(HEADER)? {
                Some(h)
                    if from_json::<ImportJournal>(&h).ok().map(|h| h.id) == Some(journal.id) => {}
                _ => {
                    return Err(ConflictableTransactionError::Abort(corrupt(
                        "the import is not open",
                    )))
                }
            }
            self.apply(tx, change).map(|_| ())
        }))?;
        self.flush()?;
        self.drop_entries()
    }

    /// Undoes the unfinished import, if there is one: every record it created removed,
    /// every record it replaced put back, audited; the notice kept for
    /// [`Store::take_undone_import`]. Safe to run again after a kill at any point.
    pub fn undo_import(&self) -> Result<Option<UndoneImport>, StoreError> {
        let Some(journal) = self.open_import()? else {
            return Ok(None);
        };
        let prefix = entry_prefix(journal.id);
        let now = Utc::now();
        let actor = Actor::system();
        let detail = format!(
            "interrupted import {} of {} rows by {} (started {}) undone",
            journal.id,
            journal.rows,
            journal.actor_name,
            journal.started.to_rfc3339()
        );
        let mut records = match self.meta().get(UNDONE)? {
            // An undo killed midway already counted what it did.
            Some(v) => from_json::<UndoneImport>(&v)
                .ok()
                .filter(|u| u.import == journal.id)
                .map_or(0, |u| u.records),
            None => 0,
        };
        let (mut chunks, mut singles) = (Vec::new(), Vec::new());
        for item in self.meta().scan_prefix(&prefix) {
            let (key, _) = item?;
            match parse_entry_key(&prefix, &key) {
                Some(EntryKey::Chunk) => chunks.push(key),
                Some(EntryKey::Record(kind, id)) => singles.push((key, kind, id)),
                None => return Err(corrupt("a key is unreadable")),
            }
        }
        let undo = Undo {
            journal: &journal,
            detail: &detail,
            now,
        };
        // Newest chunk first: each one goes back to the versions it found.
        for key in chunks.iter().rev() {
            let Some(value) = self.meta().get(key)? else {
                continue;
            };
            let targets = decode_chunk(&value)?;
            self.undo_batch(&undo, std::slice::from_ref(key), &targets, &mut records)?;
        }
        for batch in singles.chunks(UNDO_BATCH) {
            let mut values = Vec::with_capacity(batch.len());
            for (key, kind, id) in batch {
                if let Some(value) = self.meta().get(key)? {
                    values.push((*kind, *id, value));
                }
            }
            let targets = values
                .iter()
                .map(|(kind, id, value)| Ok((*kind, *id, decode_previous(value)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            let keys: Vec<sled::IVec> = batch.iter().map(|(key, _, _)| key.clone()).collect();
            self.undo_batch(&undo, &keys, &targets, &mut records)?;
        }
        let undone = UndoneImport {
            import: journal.id,
            rows: journal.rows,
            records,
            actor_name: journal.actor_name.clone(),
            started: journal.started,
        };
        let notice = json(&undone)?;
        let change = Change::new("import.undone", &actor, now)
            .detail(format!("{detail}: {records} records removed or put back"))
            .station(journal.station);
        let trees = self.trees.as_slice();
        unwrap_tx(trees.transaction(|tx| {
            tx[T_META].remove(HEADER)?;
            tx[T_META].insert(UNDONE, notice.clone())?;
            self.apply(tx, &change).map(|_| ())
        }))?;
        self.flush()?;
        Ok(Some(undone))
    }

    /// Undoes the import's effect on `targets` and removes the entries `keys` that named
    /// them, in one transaction that also keeps the count so far (`records`), so that an
    /// undo killed midway and run again reports the whole count.
    fn undo_batch(
        &self,
        undo: &Undo<'_>,
        keys: &[sled::IVec],
        targets: &[Target<'_>],
        records: &mut usize,
    ) -> Result<(), StoreError> {
        let journal = undo.journal;
        let mut change = Change::new("import.undone", &Actor::system(), undo.now)
            .detail(undo.detail)
            .station(journal.station);
        for (kind, id, previous) in targets {
            let current = self.kind_tree(*kind).get(id.to_bytes())?;
            if let Some(write) = undo_write(*kind, *id, *previous, current.as_deref())? {
                change.writes.push(write);
            }
        }
        *records += change.writes.len();
        let progress = json(&UndoneImport {
            import: journal.id,
            rows: journal.rows,
            records: *records,
            actor_name: journal.actor_name.clone(),
            started: journal.started,
        })?;
        let trees = self.trees.as_slice();
        unwrap_tx(trees.transaction(|tx| {
            for key in keys {
                tx[T_META].remove(key)?;
            }
            tx[T_META].insert(UNDONE, progress.clone())?;
            if !change.writes.is_empty() {
                self.apply(tx, &change)?;
            }
            Ok(())
        }))
    }

    /// The interrupted import undone on an earlier open, once: the notice is removed as
    /// it is returned, so the user is told one time.
    pub fn take_undone_import(&self) -> Result<Option<UndoneImport>, StoreError> {
        if self.open_import()?.is_some() {
            // Still being undone (an undo was interrupted): not done yet.
            return Ok(None);
        }
        match self.meta().remove(UNDONE)? {
            Some(v) => {
                self.flush()?;
                Ok(Some(from_json(&v)?))
            }
            None => Ok(None),
        }
    }

    /// Removes the entries finished imports left (none is open when this runs).
    fn drop_entries(&self) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        let mut any = false;
        for item in self.meta().scan_prefix(ENTRY) {
            let (key, _) = item?;
            batch.remove(key);
            any = true;
        }
        if any {
            self.meta().apply_batch(batch)?;
        }
        Ok(())
    }
}

/// What every batch of one undo shares.
struct Undo<'a> {
    journal: &'a ImportJournal,
    detail: &'a str,
    now: DateTime<Utc>,
}

/// The write that undoes the import's effect on one record: remove what it created, put
/// back what it replaced (at the next revision, so readers following the change log see
/// it), nothing when the record is already as it was.
fn undo_write(
    kind: Kind,
    id: Id,
    previous: Option<&[u8]>,
    current: Option<&[u8]>,
) -> Result<Option<Write>, StoreError> {
    Ok(match (previous, current) {
        (None, None) => None,
        (None, Some(now)) => {
            let revision = AnyRecord::decode(kind, now)?.meta().revision;
            Some(Write::Delete { kind, id, revision })
        }
        (Some(before), Some(now)) if before == now => None,
        (Some(before), now) => {
            let mut record = AnyRecord::decode(kind, before)?;
            let revision = match now {
                Some(now) => AnyRecord::decode(kind, now)?.meta().revision,
                None => 0,
            };
            record.meta_mut().revision = revision;
            Some(Write::Put(Box::new(record)))
        }
    })
}

#[cfg(test)]
mod tests;
