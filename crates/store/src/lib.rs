//! The embedded store: the only module that imports sled.
//!
//! Layout: one tree per record kind (key: 16-byte id), one tree per secondary index, an
//! `audit` tree (hash-chained entries keyed by sequence number), a `changes` tree (record
//! id and revision per write, for a later sync) and a `meta` tree (schema version,
//! counters, chain head, flags). Every business write is one sled transaction over all of them,
//! followed by `flush()`: when [`Store::commit`] returns, the change is on disk.

mod archive;
mod audit;
mod engine_floor;
mod error;
mod events;
mod journal;
mod keys;
mod list_rows;
mod migrate;
pub mod outfile;
pub mod packed_log;
pub mod record_bytes;
pub use migrate::SCHEMA_VERSION;
mod records;
mod seal;
mod sled_files;
mod snapshots;
pub mod space;
mod sync;
mod sync_conflicts;
mod tally;

pub use archive::{
    authenticate, compact, read_archive, restore, verify_archive, write_archive_content,
    ArchiveContent, ArchiveError, ArchiveHeader, ArchiveSummary, Compacted, ReplacedStore,
    RestoreAuthority, RestoreOptions, RestoreOutcome, TreeCount, TreeEntries,
};
pub use audit::{compute_hash as audit_entry_hash, AuditEntry, AuditProblem};
pub use engine_floor::engine_floor;
pub use error::StoreError;
pub use events::{DisputeEvent, FlagEvent};
pub use journal::{ImportJournal, UndoneImport};
use records::KindTree;
pub use records::{
    AnyRecord, DisputeSummary, FlagMark, Index, Kind, PersonSummary, Record, VisitSummary,
};
pub use seal::{ensure_keys, folder_key, keys_dir_of, BureauKey, HeadCheck, KeyError, KeyStatus};
pub use space::{ensure_free, folder_size};
pub use sync::{
    ConflictReason, Incoming, OutboxBatch, Outgoing, PullResult, PushOutcome, SyncConflict,
    HUB_ACTOR,
};

use beatbook_model::{Id, Officer, Person, PersonSearchKeys, ResidentId, Visit, VisitStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;
use std::path::{Path, PathBuf};

mod commit;
mod index_check;
pub mod index_groups;
mod log_reads;
mod lz4_exact;
mod queries;
pub use queries::OwedScan;

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
    /// Written by a pull from the bureau hub, not by this terminal: not pushed back.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remote: bool,
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
/// When a terminal last settled the store after opening it (see [`Store::settle`]).
const META_SETTLED: &[u8] = b"settled_at";

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
    files: std::sync::Arc<sled_files::SyncedFiles>,
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
        let files = std::sync::Arc::new(
            sled_files::SyncedFiles::open(dir, created).map_err(|e| StoreError::from_io(dir, e))?,
        );
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

    /// Pays, ahead of time, what sled charges the first durable write after an open: it
    /// then walks its accounts of every segment of the file, once per segment (1–2 s
    /// for a bureau's 8 GB, issue 16), and that write would otherwise be the login's
    /// audit entry. The TUI calls this on the thread that opens the store while the login
    /// screen is already up, so the officer's typing covers it. Writes one meta key
    /// (the time, for the log) and packs the log entries saved one by one since the last
    /// open ([`Store::pack_logs`]); nothing else changes.
    pub fn settle(&self) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        let now = chrono::Utc::now().to_rfc3339();
        self.meta()
            .insert(META_SETTLED, now.as_bytes())
            .map_err(|e| StoreError::from(e).located(&self.path))?;
        // Entries saved one by one since the last open, packed while the officer types.
        let packed = match self.pack_logs() {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!("log entries not packed: {e}");
                0
            }
        };
        self.flush()?;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            packed,
            "store settled after opening"
        );
        Ok(())
    }

    /// A break in the tail of the audit chain found on open: someone edited or removed
    /// entries outside beatbook. The app warns; `beatbook audit verify` finds the first one.
    pub fn audit_problem(&self) -> Option<&AuditProblem> {
        self.audit_problem.as_ref()
    }

    /// A second handle on the same open store, for a thread that writes beside the one
    /// that opened it (the hub's background sync): both see every write at once; sled
    /// serialises their transactions.
    pub fn second_handle(&self) -> Store {
        Store {
            db: self.db.clone(),
            trees: self.trees.clone(),
            path: self.path.clone(),
            audit_problem: None,
            files: std::sync::Arc::clone(&self.files),
        }
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

    /// An index's tree, for reads that take its keys as entries: not for a grouped index,
    /// whose keys are groups (read those through `index_prefix` or `index_range`).
    fn index_tree(&self, index: Index) -> &sled::Tree {
        debug_assert!(
            index.group_len().is_none(),
            "{index:?} is grouped: read it through index_prefix or index_range"
        );
        self.raw_index_tree(index)
    }

    /// An index's tree as sled holds it, groups and all (checks, rebuilds).
    fn raw_index_tree(&self, index: Index) -> &sled::Tree {
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

    /// Reads one record of a kind named at run time (sync, conflicts).
    pub fn get_any(&self, kind: Kind, id: Id) -> Result<Option<AnyRecord>, StoreError> {
        match self.kind_tree(kind).get(id.to_bytes())? {
            Some(bytes) => Ok(Some(AnyRecord::decode(kind, &bytes)?)),
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

    /// Bytes the store occupies on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.db.size_on_disk()?)
    }

    /// Where the bytes go: each tree's name, entries, and key and value bytes, largest
    /// first (the rest of `size_on_disk` is sled's own: page headers, free space in
    /// segments, the snapshot). Reads every entry: for `bench`, not for screens.
    pub fn tree_sizes(&self) -> Result<Vec<TreeSize>, StoreError> {
        let mut out = Vec::new();
        for name in self.db.tree_names() {
            let tree = self.db.open_tree(&name)?;
            let mut size = TreeSize {
                name: String::from_utf8_lossy(&name).into_owned(),
                ..TreeSize::default()
            };
            for item in tree.iter() {
                let (k, v) = item?;
                size.entries += 1;
                size.key_bytes += k.len() as u64;
                size.value_bytes += v.len() as u64;
            }
            out.push(size);
        }
        out.sort_by_key(|t| std::cmp::Reverse(t.key_bytes + t.value_bytes));
        Ok(out)
    }
}

/// One tree's share of the store (see [`Store::tree_sizes`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeSize {
    pub name: String,
    pub entries: u64,
    pub key_bytes: u64,
    pub value_bytes: u64,
}

/// sled's page cache, in bytes. sled's default is 1 GiB, which a terminal holding a whole
/// bureau filled (the TUI reached 470–640 MB at full size, issue 16); the lists read
/// through indexes and the operating system caches the files anyway. The hidden
/// `BEATBOOK_SLED_CACHE_MB` overrides it, for `bench` comparisons.
pub(crate) fn cache_capacity() -> u64 {
    const DEFAULT_MB: u64 = 128;
    let mb = std::env::var("BEATBOOK_SLED_CACHE_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|mb| (8..=65_536).contains(mb))
        .unwrap_or(DEFAULT_MB);
    mb * 1024 * 1024
}

/// Opens the sled database, waiting if the folder's lock is still held: sled releases it
/// only when the last write its thread pool had under way ends, which may be after the
/// last handle of this process was dropped (a restore closes the store it unpacked and
/// opens it again at once; on CI a test that reopened without waiting failed so). How
/// long that takes is sled's affair, hence a generous wait. Another process holding the
/// lock is reported as in use after it.
pub(crate) fn open_db(dir: &Path) -> Result<sled::Db, StoreError> {
    /// 40 × 50 ms: two seconds before a store held by another beatbook is told as such.
    const ATTEMPTS: u32 = 40;
    let mut attempts = 0;
    loop {
        let config = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_capacity());
        match config.open() {
            Ok(db) => return Ok(db),
            Err(e) => match StoreError::from_sled_open(dir, e) {
                StoreError::InUse(_) if attempts < ATTEMPTS => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => return Err(other),
            },
        }
    }
}
