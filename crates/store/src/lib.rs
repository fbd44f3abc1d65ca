//! The embedded store: the only module that imports sled.
//!
//! Layout: one tree per record kind (key: 16-byte id), one tree per secondary index, an
//! `audit` tree (hash-chained entries keyed by sequence number), a `changes` tree (record
//! id and revision per write, for a later sync) and a `meta` tree (schema version,
//! counters, chain head, flags). Every business write is one sled transaction over all of them,
//! followed by `flush()`: when [`Store::commit`] returns, the change is on disk.

mod archive;
mod audit;
mod error;
mod events;
mod journal;
mod keys;
mod list_rows;
mod migrate;
pub mod outfile;
pub use migrate::SCHEMA_VERSION;
mod records;
mod seal;
mod sled_files;
mod snapshots;
pub mod space;
mod tally;

pub use archive::{
    authenticate, read_archive, restore, verify_archive, write_archive_content, ArchiveContent,
    ArchiveError, ArchiveHeader, ArchiveSummary, ReplacedStore, RestoreAuthority, RestoreOptions,
    RestoreOutcome, TreeCount, TreeEntries,
};
pub use audit::{compute_hash as audit_entry_hash, AuditEntry, AuditProblem};
pub use error::StoreError;
pub use events::{DisputeEvent, FlagEvent};
pub use journal::{ImportJournal, UndoneImport};
use records::KindTree;
pub use records::{AnyRecord, DisputeSummary, Index, Kind, PersonSummary, Record, VisitSummary};
pub use seal::{ensure_keys, folder_key, keys_dir_of, BureauKey, HeadCheck, KeyError, KeyStatus};
pub use space::{ensure_free, folder_size};

use beatbook_model::{Id, Officer, Person, ResidentId, Visit, VisitStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;
use std::path::{Path, PathBuf};

/// Who is writing: recorded in the audit log and on the records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: Id,
    /// Username at the time of the write (the audit log must not depend on later renames).
    pub name: String,
}

impl Actor {
    /// Setup, demo and seed writes.
    pub fn system() -> Actor {
        Actor {
            id: Id::SYSTEM,
            name: "system".into(),
        }
    }
}

/// One record write inside a [`Change`].
#[derive(Clone, Debug)]
pub enum Write {
    /// Create (revision 0) or update (revision as read) a record.
    Put(Box<AnyRecord>),
    /// Remove a record and its index entries.
    Delete { kind: Kind, id: Id, revision: u64 },
}

/// One business transaction: all its writes land together or not at all, each with an
/// audit entry and a change-log entry.
#[derive(Clone, Debug)]
pub struct Change {
    /// Machine-readable action, e.g. `visit.done`.
    pub action: String,
    /// Human-readable detail for the audit log.
    pub detail: String,
    pub actor: Actor,
    pub at: DateTime<Utc>,
    /// The station the action concerns (for audit filtering); records carry their own.
    pub station: Option<Id>,
    pub writes: Vec<Write>,
}

impl Change {
    pub fn new(action: &str, actor: &Actor, at: DateTime<Utc>) -> Change {
        Change {
            action: action.to_string(),
            detail: String::new(),
            actor: actor.clone(),
            at,
            station: None,
            writes: Vec::new(),
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Change {
        self.detail = detail.into();
        self
    }

    pub fn station(mut self, station: Id) -> Change {
        self.station = Some(station);
        self
    }

    pub fn put(mut self, record: impl Into<AnyRecord>) -> Change {
        self.writes.push(Write::Put(Box::new(record.into())));
        self
    }
}

/// A change-log line: which record reached which revision, in write order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLogEntry {
    pub seq: u64,
    pub kind: Kind,
    pub id: Id,
    pub revision: u64,
    pub deleted: bool,
}

/// An index entry that disagrees with the records (see [`Store::check_indexes`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexMismatch {
    pub index: Index,
    /// Present in the index but not implied by any record.
    pub stray: usize,
    /// Implied by a record but absent from the index.
    pub missing: usize,
}

const META_SCHEMA: &[u8] = b"schema_version";
const META_AUDIT_HEAD: &[u8] = b"audit_head";
const META_CHANGE_SEQ: &[u8] = b"change_seq";

/// Facts about a whole store, kept in the meta tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// Filled by `beatbook demo`: the status bar says DEMO DATA.
    Demo,
    /// Holds synthetic bulk data from `beatbook seed`: benchmarks may write to it.
    Seeded,
}

impl Flag {
    fn key(self) -> &'static [u8] {
        match self {
            Flag::Demo => b"flag_demo",
            Flag::Seeded => b"flag_seeded",
        }
    }
}

/// How many of the newest audit entries are checked on every open (cheap: one range
/// read), so tampering with recent history is noticed at once.
const AUDIT_TAIL_ON_OPEN: usize = 1000;

/// Writes per transaction in [`Store::commit_in_batches`]: keeps each one small.
const BATCH_WRITES: usize = 1000;

/// Positions of the fixed trees in [`Store::all_trees`].
const T_META: usize = 0;
const T_AUDIT: usize = 1;
const T_CHANGES: usize = 2;
const FIXED_TREES: usize = 3;

/// The open store of one data folder.
pub struct Store {
    db: sled::Db,
    /// meta, audit, changes, then one per [`Kind`], then one per [`Index`].
    trees: Vec<sled::Tree>,
    path: PathBuf,
    /// What the audit-chain check on open found wrong, if anything.
    audit_problem: Option<AuditProblem>,
    /// Handles on sled's files, synced after every flush (see [`sled_files`]).
    files: sled_files::SyncedFiles,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// The entries of one index: key to value.
type IndexContent = std::collections::BTreeMap<Vec<u8>, Vec<u8>>;

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, runs migrations, and checks the tail
    /// of the audit chain.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        archive::finish_interrupted_restore(dir)?;
        std::fs::create_dir_all(dir).map_err(|e| StoreError::from_io(dir, e))?;
        // A snapshot a full disk cut short would make sled refuse the store for good.
        sled_files::remove_unreadable_snapshots(dir).map_err(|e| StoreError::from_io(dir, e))?;
        let created = !dir.join("db").exists();
        let db = open_db(dir)?;
        let files =
            sled_files::SyncedFiles::open(dir, created).map_err(|e| StoreError::from_io(dir, e))?;
        let mut trees = Vec::new();
        for name in ["meta", "audit", "changes"] {
            trees.push(db.open_tree(name)?);
        }
        for kind in Kind::ALL {
            trees.push(db.open_tree(kind.tree_name())?);
        }
        for index in Index::ALL {
            trees.push(db.open_tree(index.tree_name())?);
        }
        let mut store = Store {
            db,
            trees,
            path: dir.to_path_buf(),
            audit_problem: None,
            files,
        };
        migrate::run(&store).map_err(|e| e.located(dir))?;
        journal::recover(&store).map_err(|e| e.located(dir))?;
        store.audit_problem = store.verify_audit_tail(AUDIT_TAIL_ON_OPEN)?.err();
        if let Some(problem) = &store.audit_problem {
            tracing::warn!(?problem, "audit chain does not verify");
        }
        Ok(store)
    }

    /// A break in the tail of the audit chain found on open: someone edited or removed
    /// entries outside beatbook. The app warns; `beatbook audit verify` finds the first one.
    pub fn audit_problem(&self) -> Option<&AuditProblem> {
        self.audit_problem.as_ref()
    }

    /// The folder the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn meta(&self) -> &sled::Tree {
        &self.trees[T_META]
    }

    fn kind_tree(&self, kind: Kind) -> &sled::Tree {
        &self.trees[FIXED_TREES + kind.position()]
    }

    fn index_tree(&self, index: Index) -> &sled::Tree {
        &self.trees[FIXED_TREES + Kind::ALL.len() + index.position()]
    }

    /// Makes everything written so far durable, as SQLite's `synchronous=FULL` would:
    /// sled's flush (which ends in `sync_file_range`, not enough for a power cut), then
    /// `fdatasync` on its log and `fsync` on any new blob file (see [`sled_files`]).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db
            .flush()
            .map_err(|e| StoreError::from(e).located(&self.path))?;
        self.files
            .sync()
            .map_err(|e| StoreError::from_io(&self.path, e))
    }

    /// True when the store holds no station yet (first run).
    pub fn is_empty(&self) -> bool {
        self.kind_tree(Kind::Station).is_empty()
    }

    /// Whether a flag is set (see [`Flag`]).
    pub fn has_flag(&self, flag: Flag) -> Result<bool, StoreError> {
        Ok(self.meta().get(flag.key())?.is_some())
    }

    /// Sets a flag, durably.
    pub fn set_flag(&self, flag: Flag) -> Result<(), StoreError> {
        self.meta()
            .insert(flag.key(), b"1".as_slice())
            .map_err(|e| StoreError::from(e).located(&self.path))?;
        self.flush()
    }

    /// Applies one business transaction atomically and durably. Returns the records as
    /// stored (new revision, timestamps, last changed by).
    pub fn commit(&self, change: &Change) -> Result<Vec<AnyRecord>, StoreError> {
        let trees = self.trees.as_slice();
        let result = trees.transaction(|tx| self.apply(tx, change));
        let saved = match result {
            Ok(saved) => saved,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => {
                return Err(StoreError::from(e).located(&self.path))
            }
        };
        self.flush()?;
        self.record_audit_head();
        Ok(saved)
    }

    /// Like [`Store::commit`] but without the flush, for bulk loads that flush once at the
    /// end (`seed`, `demo`). Not for interactive writes.
    pub fn commit_unflushed(&self, change: &Change) -> Result<Vec<AnyRecord>, StoreError> {
        let trees = self.trees.as_slice();
        match trees.transaction(|tx| self.apply(tx, change)) {
            Ok(saved) => Ok(saved),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(StoreError::from(e).located(&self.path)),
        }
    }

    /// Commits `writes` under `change`'s action and detail in transactions of at most
    /// [`BATCH_WRITES`] writes (store-wide rewrites: migrations, repairs), then flushes
    /// once. Returns how many writes were committed.
    pub(crate) fn commit_in_batches(
        &self,
        mut change: Change,
        writes: impl Iterator<Item = Result<Write, StoreError>>,
    ) -> Result<usize, StoreError> {
        let mut committed = 0;
        for write in writes {
            change.writes.push(write?);
            if change.writes.len() == BATCH_WRITES {
                self.commit_unflushed(&change)?;
                committed += change.writes.len();
                change.writes.clear();
            }
        }
        if !change.writes.is_empty() {
            self.commit_unflushed(&change)?;
            committed += change.writes.len();
        }
        self.flush()?;
        Ok(committed)
    }

    fn apply(&self, tx: &[TransactionalTree], change: &Change) -> TxResult<Vec<AnyRecord>> {
        let mut head = audit::read_head(&tx[T_META])?;
        let mut change_seq = read_u64(&tx[T_META], META_CHANGE_SEQ)?;
        let mut saved = Vec::with_capacity(change.writes.len());
        if change.writes.is_empty() {
            let entry = audit::entry(&head, change, None);
            head = audit::append(&tx[T_AUDIT], entry)?;
        }
        for write in &change.writes {
            match write {
                Write::Put(record) => {
                    let mut record = (**record).clone();
                    let kind = record.kind();
                    let id = record.meta().id;
                    let tree = &tx[FIXED_TREES + kind.position()];
                    let old = tree.get(id.to_bytes())?;
                    let expected = record.meta().revision;
                    match &old {
                        Some(bytes) => {
                            let old = AnyRecord::decode(kind, bytes).or_else(abort)?;
                            if old.meta().revision != expected {
                                return abort(StoreError::Conflict { kind, id });
                            }
                            record.meta_mut().created_at = old.meta().created_at;
                            for entry in old.index_entries() {
                                self.remove_entry(tx, entry)?;
                            }
                        }
                        None if expected != 0 => return abort(StoreError::Conflict { kind, id }),
                        None => {}
                    }
                    {
                        let meta = record.meta_mut();
                        meta.revision = expected + 1;
                        meta.updated_at = change.at;
                        meta.changed_by = change.actor.id;
                    }
                    for entry in record.index_entries() {
                        let itree = &tx[self.index_pos(entry.index)];
                        if entry.index.is_tally() {
                            let sum = tally::apply(
                                itree.get(&entry.key)?.as_deref(),
                                &entry.payload,
                                tally::Direction::Add,
                            )
                            .or_else(abort)?;
                            if let Some(sum) = sum {
                                itree.insert(entry.key, sum)?;
                            }
                            continue;
                        }
                        if entry.index.is_unique() {
                            if let Some(existing) = itree.get(&entry.key)? {
                                if existing.as_ref() != id.to_bytes() {
                                    return abort(StoreError::Duplicate {
                                        index: entry.index,
                                        value: String::from_utf8_lossy(&entry.key).into_owned(),
                                        existing: Id::from_slice(&existing),
                                    });
                                }
                            }
                        }
                        let value = entry.stored_value(id);
                        itree.insert(entry.key, value)?;
                    }
                    tree.insert(id.to_bytes().to_vec(), record.encode().or_else(abort)?)?;
                    change_seq += 1;
                    log_change(
                        &tx[T_CHANGES],
                        change_seq,
                        kind,
                        id,
                        record.meta().revision,
                        false,
                    )?;
                    let entry = audit::entry(&head, change, Some((&record, false)));
                    head = audit::append(&tx[T_AUDIT], entry)?;
                    saved.push(record);
                }
                Write::Delete { kind, id, revision } => {
                    let tree = &tx[FIXED_TREES + kind.position()];
                    let Some(bytes) = tree.remove(id.to_bytes().to_vec())? else {
                        return abort(StoreError::NotFound {
                            kind: *kind,
                            id: *id,
                        });
                    };
                    let mut old = AnyRecord::decode(*kind, &bytes).or_else(abort)?;
                    if old.meta().revision != *revision {
                        return abort(StoreError::Conflict {
                            kind: *kind,
                            id: *id,
                        });
                    }
                    for entry in old.index_entries() {
                        self.remove_entry(tx, entry)?;
                    }
                    change_seq += 1;
                    log_change(&tx[T_CHANGES], change_seq, *kind, *id, revision + 1, true)?;
                    // The deletion is the record's last revision, in the audit log as in
                    // the change log.
                    old.meta_mut().revision = revision + 1;
                    let entry = audit::entry(&head, change, Some((&old, true)));
                    head = audit::append(&tx[T_AUDIT], entry)?;
                }
            }
        }
        audit::write_head(&tx[T_META], &head)?;
        tx[T_META].insert(META_CHANGE_SEQ, change_seq.to_be_bytes().to_vec())?;
        Ok(saved)
    }

    /// Takes a record's old entry out of its index: removes the key, or for a tally
    /// subtracts the entry's counters (removing the key when they reach zero).
    fn remove_entry(&self, tx: &[TransactionalTree], entry: records::IndexEntry) -> TxResult<()> {
        let itree = &tx[self.index_pos(entry.index)];
        if !entry.index.is_tally() {
            itree.remove(entry.key)?;
            return Ok(());
        }
        let stored = itree.get(&entry.key)?;
        match tally::apply(
            stored.as_deref(),
            &entry.payload,
            tally::Direction::Subtract,
        )
        .or_else(abort)?
        {
            Some(sum) => itree.insert(entry.key, sum)?,
            None => itree.remove(entry.key)?,
        };
        Ok(())
    }

    fn index_pos(&self, index: Index) -> usize {
        FIXED_TREES + Kind::ALL.len() + index.position()
    }

    /// Reads one record.
    pub fn get<T: Record>(&self, id: Id) -> Result<Option<T>, StoreError> {
        match self.kind_tree(T::KIND).get(id.to_bytes())? {
            Some(bytes) => Ok(Some(records::decode::<T>(&bytes)?)),
            None => Ok(None),
        }
    }

    /// Every record of a kind, in id (= creation) order. For export, search index
    /// building and checks: never on a per-keystroke path.
    pub fn all<T: Record>(&self) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.kind_tree(T::KIND).iter().values().map(|v| {
            let bytes = v?;
            records::decode::<T>(&bytes)
        })
    }

    /// How many records of a kind exist.
    pub fn count(&self, kind: Kind) -> usize {
        self.kind_tree(kind).len()
    }

    /// Visits of a station in one status, due on or before `until` (and on or after
    /// `from`, when given), in due-date order — read through the (station, status, due)
    /// index, never a scan of all visits.
    pub fn station_visits(
        &self,
        station: Id,
        status: VisitStatus,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<Visit>, StoreError> {
        self.visits_in_range(Index::VisitByStation, station, status, from, until)
    }

    /// Like [`Store::station_visits`], for the visits assigned to one officer.
    pub fn officer_visits(
        &self,
        officer: Id,
        status: VisitStatus,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<Visit>, StoreError> {
        self.visits_in_range(Index::VisitByOfficer, officer, status, from, until)
    }

    fn visits_in_range(
        &self,
        index: Index,
        owner: Id,
        status: VisitStatus,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<Visit>, StoreError> {
        let (start, end) = keys::visit_range(owner, status, from, until);
        let tree = self.index_tree(index);
        let visits = self.kind_tree(Kind::Visit);
        let mut out = Vec::new();
        for item in tree.range(start..end) {
            let (key, _) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            match visits.get(id.to_bytes())? {
                Some(bytes) => out.push(records::decode::<Visit>(&bytes)?),
                None => return Err(StoreError::CorruptIndex { index }),
            }
        }
        Ok(out)
    }

    /// Like [`Store::station_visits`] or [`Store::officer_visits`] (by `index`), but
    /// returns the summaries kept in the index entries: no visit record is read or
    /// decoded, which keeps Today fast however long its list.
    pub fn visit_summaries(
        &self,
        index: Index,
        owner: Id,
        status: VisitStatus,
        from: Option<NaiveDate>,
        until: NaiveDate,
    ) -> Result<Vec<VisitSummary>, StoreError> {
        if !matches!(index, Index::VisitByStation | Index::VisitByOfficer) {
            return Err(StoreError::CorruptIndex { index });
        }
        let (start, end) = keys::visit_range(owner, status, from, until);
        let mut out = Vec::new();
        for item in self.index_tree(index).range(start..end) {
            let (key, value) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(VisitSummary::decode(index, id, &value)?);
        }
        Ok(out)
    }

    /// Each person's earliest scheduled visit at a station, from one range read of the
    /// station's owed visits that decodes only the person (the due date is in the key,
    /// and keys run in due order, so the first one seen per person is the earliest).
    /// Returns `None` as soon as `stop` is set: the caller found it cheaper to ask per
    /// person.
    pub fn next_owed_by_person(
        &self,
        station: Id,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<Option<std::collections::HashMap<Id, NaiveDate>>, StoreError> {
        let index = Index::VisitByStation;
        let (start, end) = keys::visit_range(station, VisitStatus::Scheduled, None, NaiveDate::MAX);
        let mut out = std::collections::HashMap::new();
        for item in self.index_tree(index).range(start..end) {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(None);
            }
            let (key, value) = item?;
            let person =
                list_rows::visit_person(&value).ok_or(StoreError::CorruptIndex { index })?;
            if let Some(person) = person {
                let due = keys::visit_key_due(&key).ok_or(StoreError::CorruptIndex { index })?;
                out.entry(person).or_insert(due);
            }
        }
        Ok(Some(out))
    }

    /// A person's earliest scheduled visit at a station, from the person's own visits.
    pub fn next_owed_of(&self, station: Id, person: Id) -> Result<Option<NaiveDate>, StoreError> {
        Ok(self
            .person_visit_summaries(person)?
            .into_iter()
            .filter(|v| v.status == VisitStatus::Scheduled && v.station == station)
            .map(|v| v.due)
            .min())
    }

    /// Register rows of a station's disputes in the given statuses (all when empty), from
    /// the (station, status) index alone.
    pub fn station_disputes(
        &self,
        station: Id,
        statuses: &[beatbook_model::DisputeStatus],
    ) -> Result<Vec<DisputeSummary>, StoreError> {
        let index = Index::DisputeByStation;
        let tree = self.index_tree(index);
        let mut out = Vec::new();
        let mut read = |prefix: Vec<u8>| -> Result<(), StoreError> {
            for item in tree.scan_prefix(prefix) {
                let (key, value) = item?;
                let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
                out.push(records::dispute_summary_from(id, &value)?);
            }
            Ok(())
        };
        if statuses.is_empty() {
            read(station.to_bytes().to_vec())?;
        } else {
            for status in statuses {
                let mut prefix = station.to_bytes().to_vec();
                prefix.push(status.code());
                read(prefix)?;
            }
        }
        Ok(out)
    }

    /// The visits about a dispute, as summaries.
    pub fn dispute_visit_summaries(&self, dispute: Id) -> Result<Vec<VisitSummary>, StoreError> {
        self.summaries_under(Index::VisitByDispute, dispute)
    }

    /// The visits about a person (summaries, any status).
    pub fn person_visit_summaries(&self, person: Id) -> Result<Vec<VisitSummary>, StoreError> {
        self.summaries_under(Index::VisitByPerson, person)
    }

    /// The active or removed flags of a station, as list rows (history left out).
    pub fn station_flags(
        &self,
        station: Id,
        status: beatbook_model::FlagStatus,
    ) -> Result<Vec<beatbook_model::FlagRow>, StoreError> {
        let mut prefix = station.to_bytes().to_vec();
        prefix.push(status.code());
        let index = Index::FlagByStation;
        let mut out = Vec::new();
        for item in self.index_tree(index).scan_prefix(prefix) {
            let (key, value) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(
                list_rows::decode_flag_row(id, &value).ok_or(StoreError::CorruptIndex { index })?,
            );
        }
        Ok(out)
    }

    /// The flag on a person, if any (active or removed).
    pub fn flag_of(&self, person: Id) -> Result<Option<beatbook_model::WatchFlag>, StoreError> {
        self.by_unique(Index::FlagByPerson, &person.to_bytes())
    }

    /// A station's alerts, open ones or acknowledged ones.
    pub fn station_alerts(
        &self,
        station: Id,
        open: bool,
    ) -> Result<Vec<beatbook_model::Alert>, StoreError> {
        let mut prefix = station.to_bytes().to_vec();
        prefix.push(u8::from(!open));
        self.payloads_under(Index::AlertByStation, prefix)
    }

    /// A station's findings in the given statuses (all when empty), as list rows (history
    /// left out), from the (station, status) index alone.
    pub fn station_findings(
        &self,
        station: Id,
        statuses: &[beatbook_model::FindingStatus],
    ) -> Result<Vec<beatbook_model::Finding>, StoreError> {
        if statuses.is_empty() {
            return self.payloads_under(Index::FindingByStation, station.to_bytes().to_vec());
        }
        let mut out = Vec::new();
        for status in statuses {
            let mut prefix = station.to_bytes().to_vec();
            prefix.push(status.code());
            out.extend(self.payloads_under(Index::FindingByStation, prefix)?);
        }
        Ok(out)
    }

    /// A station's dispute events (status changes, and deadlines keyed at 00:00 UTC of
    /// their date) with `from <= at < until`, in time order: one range of the
    /// (station, time) event index.
    pub fn station_dispute_events(
        &self,
        station: Id,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<DisputeEvent>, StoreError> {
        let (start, end) = events::range(station, from, until);
        self.decoded_range(
            Index::DisputeEventByStation,
            start,
            end,
            events::decode_dispute_event,
        )
    }

    /// A station's disputes received and resolved per UTC hour, for the hours starting
    /// within `from..until` (rounded down to the hour), in time order: (hour's start,
    /// received, resolved). Hours with neither are absent.
    pub fn station_dispute_trend(
        &self,
        station: Id,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, u32, u32)>, StoreError> {
        let (start, end) = tally::trend_range(station, from, until);
        self.decoded_range(
            Index::DisputeTrendByStation,
            start,
            end,
            tally::decode_trend,
        )
    }

    /// A station's visits due within `first..=last`, counted per (due date, assigned
    /// officer, status) from the visit tally, in date order.
    pub fn station_visit_counts(
        &self,
        station: Id,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Id, VisitStatus, u32)>, StoreError> {
        let (start, end) = tally::visit_range(station, first, last);
        self.decoded_range(Index::VisitTallyByStation, start, end, tally::decode_visit)
    }

    /// Every entry of `index` with a key in `start..end`, decoded from key and value, in
    /// key order.
    fn decoded_range<T>(
        &self,
        index: Index,
        start: Vec<u8>,
        end: Vec<u8>,
        decode: fn(&[u8], &[u8]) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        for item in self.index_tree(index).range(start..end) {
            let (key, value) = item?;
            out.push(decode(&key, &value)?);
        }
        Ok(out)
    }

    /// The findings about one dispute, visit or flag, as list rows.
    pub fn target_findings(&self, target: Id) -> Result<Vec<beatbook_model::Finding>, StoreError> {
        self.payloads_under(Index::FindingByTarget, target.to_bytes().to_vec())
    }

    /// A station's watch-list events (listed, level changed, removed) before `until`, in
    /// time order.
    pub fn station_flag_events(
        &self,
        station: Id,
        until: DateTime<Utc>,
    ) -> Result<Vec<FlagEvent>, StoreError> {
        let (start, end) = events::range(station, DateTime::<Utc>::MIN_UTC, until);
        self.decoded_range(
            Index::FlagEventByStation,
            start,
            end,
            events::decode_flag_event,
        )
    }

    /// Decodes every payload under a key prefix of an index.
    fn payloads_under<T: serde::de::DeserializeOwned>(
        &self,
        index: Index,
        prefix: Vec<u8>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        for item in self.index_tree(index).scan_prefix(prefix) {
            let (_, value) = item?;
            out.push(records::decode(&value)?);
        }
        Ok(out)
    }

    /// Visit summaries under an owner prefix, ids filled from the keys.
    fn summaries_under(&self, index: Index, owner: Id) -> Result<Vec<VisitSummary>, StoreError> {
        let mut out = Vec::new();
        for item in self.index_tree(index).scan_prefix(owner.to_bytes()) {
            let (key, value) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(VisitSummary::decode(index, id, &value)?);
        }
        Ok(out)
    }

    /// Every dispute a person is party to, as register rows (any station).
    pub fn person_disputes(&self, person: Id) -> Result<Vec<DisputeSummary>, StoreError> {
        let index = Index::DisputeByParty;
        let mut out = Vec::new();
        for item in self.index_tree(index).scan_prefix(person.to_bytes()) {
            let (key, value) = item?;
            let id = keys::trailing_id(&key).ok_or(StoreError::CorruptIndex { index })?;
            out.push(records::dispute_summary_from(id, &value)?);
        }
        Ok(out)
    }

    /// A person's name and village from the (station, person) index entry, without
    /// reading the person record.
    pub fn person_summary(
        &self,
        station: Id,
        person: Id,
    ) -> Result<Option<PersonSummary>, StoreError> {
        match self
            .index_tree(Index::PersonByStation)
            .get(keys::owned_key(station, person))?
        {
            Some(v) => Ok(Some(records::person_summary_from(&v)?)),
            None => Ok(None),
        }
    }

    /// Ids of the persons of a station, in creation order.
    pub fn station_person_ids(
        &self,
        station: Id,
    ) -> impl Iterator<Item = Result<Id, StoreError>> + '_ {
        self.index_tree(Index::PersonByStation)
            .scan_prefix(station.to_bytes())
            .keys()
            .map(|k| {
                let k = k?;
                keys::trailing_id(&k).ok_or(StoreError::CorruptIndex {
                    index: Index::PersonByStation,
                })
            })
    }

    /// The person holding an ID number, if any.
    pub fn person_by_id_number(&self, number: &ResidentId) -> Result<Option<Person>, StoreError> {
        self.by_unique(Index::PersonByIdNumber, number.as_str().as_bytes())
    }

    /// The officer with a username, if any.
    pub fn officer_by_username(&self, username: &str) -> Result<Option<Officer>, StoreError> {
        self.by_unique(Index::OfficerByUsername, username.as_bytes())
    }

    fn by_unique<T: Record>(&self, index: Index, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.index_tree(index).get(key)? {
            Some(id) => {
                let id = Id::from_slice(&id).ok_or(StoreError::CorruptIndex { index })?;
                self.get(id)
            }
            None => Ok(None),
        }
    }

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

    fn expected_index_entries(&self) -> Result<Vec<IndexContent>, StoreError> {
        let mut expected = vec![std::collections::BTreeMap::new(); Index::ALL.len()];
        for kind in Kind::ALL {
            for item in self.kind_tree(kind).iter() {
                let (_, bytes) = item?;
                let record = AnyRecord::decode(kind, &bytes)?;
                let id = record.meta().id;
                for entry in record.index_entries() {
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
        let expected = self.expected_index_entries()?;
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

    /// The audit log in order.
    pub fn audit_entries(
        &self,
    ) -> impl DoubleEndedIterator<Item = Result<AuditEntry, StoreError>> + '_ {
        self.trees[T_AUDIT].iter().values().map(|v| {
            let v = v?;
            serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt(format!("audit entry: {e}")))
        })
    }

    /// Audit entries from the newest down, starting below sequence number `below` (all
    /// when None): the viewer reads a page at a time, never the whole log.
    pub fn audit_newest_first(
        &self,
        below: Option<u64>,
    ) -> impl Iterator<Item = Result<AuditEntry, StoreError>> + '_ {
        let end = below.unwrap_or(u64::MAX);
        self.trees[T_AUDIT]
            .range(..end.to_be_bytes())
            .values()
            .rev()
            .map(|v| {
                let v = v?;
                serde_json::from_slice(&v)
                    .map_err(|e| StoreError::Corrupt(format!("audit entry: {e}")))
            })
    }

    /// Checks the whole audit chain; returns the number of entries or the first problem.
    pub fn verify_audit(&self) -> Result<Result<u64, AuditProblem>, StoreError> {
        audit::verify(&self.trees[T_AUDIT], &self.trees[T_META], None)
    }

    /// Checks the last `n` entries of the audit chain against the stored head (on open).
    pub fn verify_audit_tail(&self, n: usize) -> Result<Result<u64, AuditProblem>, StoreError> {
        audit::verify(&self.trees[T_AUDIT], &self.trees[T_META], Some(n))
    }

    /// The change log from sequence `after` (exclusive), for a later sync.
    pub fn changes_since(
        &self,
        after: u64,
    ) -> impl Iterator<Item = Result<ChangeLogEntry, StoreError>> + '_ {
        self.trees[T_CHANGES]
            .range((after + 1).to_be_bytes()..)
            .values()
            .map(|v| {
                let v = v?;
                serde_json::from_slice(&v)
                    .map_err(|e| StoreError::Corrupt(format!("change log: {e}")))
            })
    }

    /// The sequence number of the newest change-log entry (0 on an empty store): a cheap
    /// way for a reader that follows the log (the person search index) to see whether
    /// anything was written since it last looked.
    pub fn last_change_seq(&self) -> Result<u64, StoreError> {
        match self.meta().get(META_CHANGE_SEQ)? {
            Some(v) => {
                let bytes: [u8; 8] = v.as_ref().try_into().map_err(|_| {
                    StoreError::Corrupt("meta key change_seq is not a counter".into())
                })?;
                Ok(u64::from_be_bytes(bytes))
            }
            None => Ok(0),
        }
    }

    /// Bytes the store occupies on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.db.size_on_disk()?)
    }
}

/// Opens the sled database, waiting briefly if the folder's lock is still held: sled
/// releases it a moment after the last handle of this process is dropped. Another process
/// holding it is reported as in use after the wait.
fn open_db(dir: &Path) -> Result<sled::Db, StoreError> {
    let mut attempts = 0;
    loop {
        match sled::Config::new().path(dir).open() {
            Ok(db) => return Ok(db),
            Err(e) => match StoreError::from_sled_open(dir, e) {
                StoreError::InUse(_) if attempts < 10 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => return Err(other),
            },
        }
    }
}

fn read_u64(tree: &TransactionalTree, key: &[u8]) -> TxResult<u64> {
    Ok(match tree.get(key)? {
        Some(v) => {
            let arr: [u8; 8] = v.as_ref().try_into().or_else(|_| {
                abort(StoreError::Corrupt(format!(
                    "meta key {} is not a counter",
                    String::from_utf8_lossy(key)
                )))
            })?;
            u64::from_be_bytes(arr)
        }
        None => 0,
    })
}

fn log_change(
    tree: &TransactionalTree,
    seq: u64,
    kind: Kind,
    id: Id,
    revision: u64,
    deleted: bool,
) -> TxResult<()> {
    let entry = ChangeLogEntry {
        seq,
        kind,
        id,
        revision,
        deleted,
    };
    let bytes = serde_json::to_vec(&entry)
        .or_else(|e| abort(StoreError::Corrupt(format!("change log: {e}"))))?;
    tree.insert(seq.to_be_bytes().to_vec(), bytes)?;
    Ok(())
}
