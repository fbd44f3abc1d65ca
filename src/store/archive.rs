//! Backup archives of a whole store and the safe way back from one.
//!
//! The archive holds every sled tree (records, indexes, audit chain, change log, meta)
//! byte for byte, so a restore gives back exactly the store that was saved — unlike the
//! JSON export, which leaves out password hashes and the audit log. Layout:
//!
//! ```text
//! MAGIC (17 bytes) | header length (u32 LE) | header (JSON) | body (LZ4 frame)
//!   | trailer (JSON) | trailer length (u32 LE) | SHA-256
//! ```
//!
//! The header says what the file is (format, schema version, creation time) and can be
//! read without unpacking; the body is, per tree, its entries as `len key len value`; the
//! trailer names the trees in body order with their entry counts. The counts come after
//! the body so the store is read once: counting first would mean reading every tree twice,
//! which at a million visits was most of the time a backup took. The last 32 bytes are the
//! SHA-256 of everything before them, so a truncated, damaged or foreign file is refused
//! before anything is replaced.
//!
//! Format 1 (beatbook before the trailer) kept the counts in the header and had no
//! trailer; it is still read.
//!
//! A restore builds the new store in a temporary folder beside the data folder, verifies
//! it there (audit chain, indexes, counts), then swaps folders by renames. The renames are
//! ordered so that a kill at any moment leaves a complete store: see [`restore`] and
//! [`finish_interrupted_restore`].

mod body;

use super::{AuditProblem, IndexMismatch, Store, StoreError, SCHEMA_VERSION};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The first bytes of every beatbook archive.
pub const MAGIC: &[u8; 17] = b"BEATBOOK-ARCHIVE\n";
/// The archive layout this beatbook writes (2: counts in a trailer after the body).
pub const FORMAT_VERSION: u32 = 2;
/// The first layout (counts in the header, no trailer); still read.
const FORMAT_COUNTS_IN_HEADER: u32 = 1;
/// A header or trailer larger than this is not ours (they list a few dozen trees).
const MAX_HEADER: u32 = 1 << 20;
/// Bytes at the end of a format-2 file after the trailer JSON: its length and the digest.
const TAIL: u64 = 4 + 32;
/// Entries inserted per sled batch while restoring.
const BATCH: usize = 20_000;
/// What an archive holds, as written at its start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveHeader {
    pub format: u32,
    /// The beatbook version that wrote it.
    pub app_version: String,
    pub schema_version: u32,
    pub created_at: DateTime<Utc>,
    /// Every tree with its number of entries, in body order. Written in the trailer (format
    /// 2) and put here when the archive is read; format 1 wrote it in the header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trees: Vec<TreeCount>,
}

/// What follows the body: the trees as they were written.
#[derive(Serialize, Deserialize)]
struct ArchiveTrailer {
    trees: Vec<TreeCount>,
}

impl ArchiveHeader {
    pub fn total_entries(&self) -> u64 {
        self.trees.iter().map(|t| t.entries).sum()
    }

    /// Entries of the audit log.
    pub fn audit_entries(&self) -> u64 {
        self.trees
            .iter()
            .find(|t| t.name == "audit")
            .map_or(0, |t| t.entries)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeCount {
    pub name: String,
    pub entries: u64,
}

/// A written archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveSummary {
    pub header: ArchiveHeader,
    /// Size of the archive file in bytes.
    pub bytes: u64,
    /// A `FILE.tmp` left by an interrupted backup was found and removed first.
    pub leftover_removed: bool,
}

/// A finished restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreOutcome {
    pub header: ArchiveHeader,
    /// Where the data that was replaced now lies (None when the folder was empty).
    pub replaced: Option<PathBuf>,
}

/// Why an archive cannot be written or restored; nothing was replaced.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{0} is not a beatbook archive")]
    Foreign(PathBuf),
    #[error("{0} is truncated or damaged (checksum does not match)")]
    Damaged(PathBuf),
    #[error("{path} was written by a newer beatbook (format {format}, schema {schema})")]
    Newer {
        path: PathBuf,
        format: u32,
        schema: u32,
    },
    #[error("the data folder {0} already holds data")]
    TargetNotEmpty(PathBuf),
    #[error("the restored audit chain does not verify: {0:?}")]
    AuditBroken(AuditProblem),
    #[error("the restored indexes disagree with the records: {0:?}")]
    IndexesBroken(Vec<IndexMismatch>),
    #[error("cannot read or write {path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Output(#[from] super::outfile::OutputError),
}

impl From<sled::Error> for ArchiveError {
    fn from(e: sled::Error) -> ArchiveError {
        ArchiveError::Store(StoreError::Sled(e))
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ArchiveError + '_ {
    move |e| ArchiveError::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Passes bytes through to a writer and hashes them on the way.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Store {
    /// Writes an archive of the whole store to `path`: to `path.tmp` first, synced, then
    /// renamed, so a failed or killed backup never leaves a half archive under `path`.
    ///
    /// The trees are read one after the other, not in one snapshot (sled 0.34 has none):
    /// the caller makes sure nothing writes meanwhile — the command line holds the folder's
    /// lock, and the TUI runs its writes on the same thread that calls this.
    pub fn backup_to_file(
        &self,
        path: &Path,
        created_at: DateTime<Utc>,
    ) -> Result<ArchiveSummary, ArchiveError> {
        let mut staged = super::outfile::stage(path)?;
        let leftover_removed = staged.leftover_removed;
        let tmp = staged.tmp_path().to_path_buf();
        // The archive writer owns its handle; the staged one syncs the same file after.
        let written = match staged.file().map(|f| f.try_clone()) {
            Ok(Ok(file)) => self.write_archive(file, &tmp, created_at),
            Ok(Err(e)) => Err(io_err(&tmp)(e)),
            Err(e) => Err(e.into()),
        };
        match written {
            Ok(summary) => {
                staged.commit()?;
                Ok(ArchiveSummary {
                    leftover_removed,
                    ..summary
                })
            }
            Err(e) => {
                staged.abandon();
                Err(e)
            }
        }
    }

    /// Writes the archive into `file` (named `tmp`, for messages) and syncs it.
    fn write_archive(
        &self,
        file: File,
        tmp: &Path,
        created_at: DateTime<Utc>,
    ) -> Result<ArchiveSummary, ArchiveError> {
        let mut names: Vec<sled::IVec> = self.db.tree_names();
        names.sort();
        let mut header = ArchiveHeader {
            format: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version: SCHEMA_VERSION,
            created_at,
            trees: Vec::new(),
        };
        let header_bytes = serde_json::to_vec(&header)
            .map_err(|e| StoreError::Corrupt(format!("archive header: {e}")))?;
        let mut out = Hashing {
            inner: BufWriter::with_capacity(4 << 20, file),
            hasher: Sha256::new(),
            bytes: 0,
        };
        let w = io_err(tmp);
        out.write_all(MAGIC).map_err(&w)?;
        out.write_all(&len_u32(header_bytes.len()).to_le_bytes())
            .map_err(&w)?;
        out.write_all(&header_bytes).map_err(&w)?;
        let mut body = body::BodyWriter::start(out).map_err(&w)?;
        let mut trees = Vec::with_capacity(names.len());
        for name in &names {
            let tree = self.db.open_tree(name)?;
            let mut entries = 0u64;
            for item in tree.iter() {
                let (k, v) = item?;
                body.entry(&k, &v).map_err(&w)?;
                entries += 1;
            }
            trees.push(TreeCount {
                name: String::from_utf8_lossy(name).into_owned(),
                entries,
            });
        }
        let mut out = body.finish().map_err(&w)?;
        let trailer = ArchiveTrailer { trees };
        let trailer_bytes = serde_json::to_vec(&trailer)
            .map_err(|e| StoreError::Corrupt(format!("archive trailer: {e}")))?;
        out.write_all(&trailer_bytes).map_err(&w)?;
        out.write_all(&len_u32(trailer_bytes.len()).to_le_bytes())
            .map_err(&w)?;
        let digest: [u8; 32] = out.hasher.clone().finalize().into();
        out.inner.write_all(&digest).map_err(&w)?;
        let bytes = out.bytes + 32;
        out.inner.flush().map_err(&w)?;
        header.trees = trailer.trees;
        Ok(ArchiveSummary {
            header,
            bytes,
            leftover_removed: false,
        })
    }
}

/// A header or trailer length as stored (both are far below 4 GB; a larger one would be
/// refused on reading as not ours, which is what saturating gives).
fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn read_entry(input: &mut impl Read) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len)?;
    let mut k = vec![0u8; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut k)?;
    input.read_exact(&mut len)?;
    let mut v = vec![0u8; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut v)?;
    Ok((k, v))
}

/// Reads the magic and the header; refuses a foreign file or one from a newer beatbook.
/// Leaves the reader at the start of the body.
fn read_header(path: &Path, input: &mut impl Read) -> Result<ArchiveHeader, ArchiveError> {
    let mut magic = [0u8; 17];
    if input.read_exact(&mut magic).is_err() || &magic != MAGIC {
        return Err(ArchiveError::Foreign(path.to_path_buf()));
    }
    let mut len = [0u8; 4];
    input
        .read_exact(&mut len)
        .map_err(|_| ArchiveError::Damaged(path.to_path_buf()))?;
    let len = u32::from_le_bytes(len);
    if len > MAX_HEADER {
        return Err(ArchiveError::Damaged(path.to_path_buf()));
    }
    let mut bytes = vec![0u8; len as usize];
    input
        .read_exact(&mut bytes)
        .map_err(|_| ArchiveError::Damaged(path.to_path_buf()))?;
    let header: ArchiveHeader =
        serde_json::from_slice(&bytes).map_err(|_| ArchiveError::Damaged(path.to_path_buf()))?;
    if header.format > FORMAT_VERSION || header.schema_version > SCHEMA_VERSION {
        return Err(ArchiveError::Newer {
            path: path.to_path_buf(),
            format: header.format,
            schema: header.schema_version,
        });
    }
    // Format 1 lists the trees here; format 2 never does (they are in the trailer).
    let counts_here = header.format == FORMAT_COUNTS_IN_HEADER;
    if header.format < FORMAT_COUNTS_IN_HEADER || counts_here == header.trees.is_empty() {
        return Err(ArchiveError::Damaged(path.to_path_buf()));
    }
    Ok(header)
}

/// Reads the trailer of a format-2 archive: the JSON just before its length and the digest.
fn read_trailer(path: &Path, mut file: &File, len: u64) -> Result<Vec<TreeCount>, ArchiveError> {
    let damaged = || ArchiveError::Damaged(path.to_path_buf());
    let at = len.checked_sub(TAIL).ok_or_else(damaged)?;
    let mut n = [0u8; 4];
    file.seek(SeekFrom::Start(at)).map_err(io_err(path))?;
    file.read_exact(&mut n).map_err(|_| damaged())?;
    let n = u32::from_le_bytes(n);
    if n > MAX_HEADER {
        return Err(damaged());
    }
    let start = at.checked_sub(u64::from(n)).ok_or_else(damaged)?;
    let mut bytes = vec![0u8; n as usize];
    file.seek(SeekFrom::Start(start)).map_err(io_err(path))?;
    file.read_exact(&mut bytes).map_err(|_| damaged())?;
    let trailer: ArchiveTrailer = serde_json::from_slice(&bytes).map_err(|_| damaged())?;
    Ok(trailer.trees)
}

/// Checks an archive without unpacking it: magic, header, then the SHA-256 over the whole
/// file (one streaming read) against its last 32 bytes, then the trailer. Returns the
/// header with every tree and its count, whatever the format.
pub fn verify_archive(path: &Path) -> Result<ArchiveHeader, ArchiveError> {
    let mut file = File::open(path).map_err(io_err(path))?;
    let len = file.metadata().map_err(io_err(path))?.len();
    let mut header = read_header(path, &mut BufReader::new(&file))?;
    if len < (MAGIC.len() + 4 + 32) as u64 {
        return Err(ArchiveError::Damaged(path.to_path_buf()));
    }
    file.seek(SeekFrom::Start(0)).map_err(io_err(path))?;
    let mut input = BufReader::with_capacity(1 << 20, &file).take(len - 32);
    let mut hasher = Sha256::new();
    std::io::copy(&mut input, &mut hasher).map_err(io_err(path))?;
    let mut expected = [0u8; 32];
    input
        .into_inner()
        .read_exact(&mut expected)
        .map_err(|_| ArchiveError::Damaged(path.to_path_buf()))?;
    let actual: [u8; 32] = hasher.finalize().into();
    if actual != expected {
        return Err(ArchiveError::Damaged(path.to_path_buf()));
    }
    if header.format != FORMAT_COUNTS_IN_HEADER {
        header.trees = read_trailer(path, &file, len)?;
    }
    Ok(header)
}

/// Test hook: `BEATBOOK_RESTORE_PAUSE=<stage>` makes a restore stop for a minute at that
/// stage (`extracting`, `verified`, `aside`) after saying so on stderr, so a test can kill
/// it there and check that a complete store is left in place. Unset in real use.
fn pause_at(stage: &str) {
    if std::env::var("BEATBOOK_RESTORE_PAUSE").ok().as_deref() == Some(stage) {
        eprintln!("restore paused at {stage}");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// Names of the folders a restore works with, beside the store folder.
fn side_paths(store_dir: &Path) -> (PathBuf, PathBuf) {
    (
        with_suffix(store_dir, ".restoring"),
        with_suffix(store_dir, ".restored"),
    )
}

/// Completes a restore that was killed between moving the old store aside and moving the
/// new one in: the new store is complete and verified (it was renamed to `.restored`
/// only after verification), so it takes its place. Called on every open.
pub fn finish_interrupted_restore(store_dir: &Path) -> Result<(), StoreError> {
    let (_, ready) = side_paths(store_dir);
    if !store_dir.exists() && ready.is_dir() {
        tracing::warn!("completing an interrupted restore from {}", ready.display());
        std::fs::rename(&ready, store_dir).map_err(|e| StoreError::from_io(store_dir, e))?;
        sync_dir(parent_of(store_dir));
    }
    Ok(())
}

/// Replaces the store in `store_dir` by the archive's content, keeping the old data aside.
///
/// Order: verify the file (magic, header, checksum); refuse a folder held by a running
/// beatbook, and one holding data unless `force`; unpack into `<store>.restoring`; open it
/// and verify the audit chain, the indexes and the counts; rename it `<store>.restored`
/// (from here on it is known good); move the old store to `<store>.replaced-<time>`;
/// rename the new one in. A kill before the last two steps leaves the old store; a kill
/// between them is completed by [`finish_interrupted_restore`] on the next open.
pub fn restore(
    archive: &Path,
    store_dir: &Path,
    force: bool,
    now: DateTime<Utc>,
) -> Result<RestoreOutcome, ArchiveError> {
    finish_interrupted_restore(store_dir)?;
    let header = verify_archive(archive)?;
    let (building, ready) = side_paths(store_dir);
    // The lock of the current store is held while the new one is built, so no beatbook
    // starts on it meanwhile; it is released just before the swap.
    let current = if store_dir.exists() {
        match Store::open(store_dir) {
            Ok(store) => {
                if !store.is_empty() && !force {
                    return Err(ArchiveError::TargetNotEmpty(store_dir.to_path_buf()));
                }
                Some(Current::Open(store))
            }
            // sled refuses the old store: --force sets it aside unread (under its lock),
            // which is the way out the error message names.
            Err(StoreError::Unreadable(_)) if force => Some(Current::Unreadable {
                _lock: super::sled_files::lock_unopened(store_dir)?,
            }),
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    for stale in [&building, &ready] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).map_err(io_err(stale))?;
        }
    }
    let built = unpack(archive, &header, &building)
        .and_then(|()| verify_unpacked(&building, &header))
        .map_err(|e| match e {
            // The disk filling up while unpacking is told as such, not as damage.
            ArchiveError::Store(e) => ArchiveError::Store(e.located(store_dir)),
            other => other,
        });
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&building);
        return Err(e);
    }
    pause_at("verified");
    std::fs::rename(&building, &ready).map_err(io_err(&ready))?;
    sync_dir(parent_of(store_dir));
    let replaced = match current {
        Some(current) => {
            let was_empty = matches!(&current, Current::Open(store) if store.is_empty());
            drop(current);
            let aside = replaced_name(store_dir, now);
            std::fs::rename(store_dir, &aside).map_err(io_err(store_dir))?;
            sync_dir(parent_of(store_dir));
            (!was_empty).then_some(aside)
        }
        None => None,
    };
    pause_at("aside");
    std::fs::rename(&ready, store_dir).map_err(io_err(store_dir))?;
    sync_dir(parent_of(store_dir));
    Ok(RestoreOutcome { header, replaced })
}

/// The store a restore replaces, held (and so locked) until it is moved aside.
enum Current {
    Open(Store),
    /// One sled refuses to open: only its lock is held.
    Unreadable {
        _lock: File,
    },
}

/// Unpacks the body into a fresh sled folder (the file was verified just before).
fn unpack(archive: &Path, header: &ArchiveHeader, dir: &Path) -> Result<(), ArchiveError> {
    let file = File::open(archive).map_err(io_err(archive))?;
    let mut input = BufReader::with_capacity(1 << 20, file);
    read_header(archive, &mut input)?;
    let mut body = lz4_flex::frame::FrameDecoder::new(input);
    let db = sled::Config::new()
        .path(dir)
        .open()
        .map_err(|e| StoreError::from_sled_open(dir, e))?;
    let total = header.total_entries();
    let mut done = 0u64;
    for count in &header.trees {
        let tree = db.open_tree(count.name.as_bytes())?;
        let mut batch = sled::Batch::default();
        let mut in_batch = 0;
        for _ in 0..count.entries {
            let (k, v) =
                read_entry(&mut body).map_err(|_| ArchiveError::Damaged(archive.to_path_buf()))?;
            batch.insert(k, v);
            in_batch += 1;
            done += 1;
            if in_batch == BATCH {
                tree.apply_batch(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
            if done == total / 2 {
                db.flush()?;
                pause_at("extracting");
            }
        }
        tree.apply_batch(batch)?;
    }
    db.flush()?;
    Ok(())
}

/// Opens the unpacked store and checks it as `beatbook check` would, plus the counts.
fn verify_unpacked(dir: &Path, header: &ArchiveHeader) -> Result<(), ArchiveError> {
    let store = Store::open(dir)?;
    if let Err(problem) = store.verify_audit()? {
        return Err(ArchiveError::AuditBroken(problem));
    }
    let mismatches = store.check_indexes()?;
    if !mismatches.is_empty() {
        return Err(ArchiveError::IndexesBroken(mismatches));
    }
    for count in &header.trees {
        let tree = store.db.open_tree(count.name.as_bytes())?;
        let n = tree.iter().keys().try_fold(0u64, |n, k| k.map(|_| n + 1))?;
        // Opening may add meta keys (migrations); never fewer entries than archived.
        if n < count.entries {
            return Err(StoreError::Corrupt(format!("tree {} lost entries", count.name)).into());
        }
    }
    store.flush()?;
    Ok(())
}

fn replaced_name(store_dir: &Path, now: DateTime<Utc>) -> PathBuf {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let base = with_suffix(store_dir, &format!(".replaced-{stamp}"));
    let mut candidate = base.clone();
    let mut n = 2;
    while candidate.exists() {
        candidate = with_suffix(&base, &format!("-{n}"));
        n += 1;
    }
    candidate
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes renames in a folder durable (best effort; not every platform can sync a folder).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl crate::i18n::Localize for ArchiveError {
    fn localize(&self, lang: crate::i18n::Lang) -> String {
        let zh = lang == crate::i18n::Lang::Zh;
        match self {
            ArchiveError::Foreign(p) => {
                if zh {
                    format!("{} 不是 beatbook 备份文件。请检查文件名，应选择 `beatbook backup` 写出的文件。", p.display())
                } else {
                    format!("{} is not a beatbook backup. Check the file name: choose a file written by `beatbook backup`.", p.display())
                }
            }
            ArchiveError::Damaged(p) => {
                if zh {
                    format!(
                        "备份文件 {} 不完整或已损坏（校验和不符），未做任何更改。请换一份备份。",
                        p.display()
                    )
                } else {
                    format!("the backup {} is truncated or damaged (its checksum does not match); nothing was changed. Use another copy.", p.display())
                }
            }
            ArchiveError::Newer {
                path,
                format,
                schema,
            } => {
                if zh {
                    format!("备份 {} 由更新版本的 beatbook 写出（格式 {format}，数据版本 {schema}）。请先升级 beatbook。", path.display())
                } else {
                    format!("the backup {} was written by a newer beatbook (format {format}, schema {schema}). Upgrade beatbook first.", path.display())
                }
            }
            ArchiveError::TargetNotEmpty(p) => {
                if zh {
                    format!("数据文件夹 {} 中已有数据，未做任何更改。确需用备份替换，请加 --force（原数据会保留在旁边）。", p.display())
                } else {
                    format!("the data folder {} already holds data; nothing was changed. To replace it with the backup, add --force (the current data is kept aside).", p.display())
                }
            }
            ArchiveError::AuditBroken(problem) => {
                if zh {
                    format!(
                        "备份中的审计日志校验失败（第 {} 条），未做任何更改。",
                        problem.seq()
                    )
                } else {
                    format!("the audit log in the backup does not verify (entry {}); nothing was changed.", problem.seq())
                }
            }
            ArchiveError::IndexesBroken(m) => {
                if zh {
                    format!(
                        "备份中的索引与记录不符（{} 个索引），未做任何更改。",
                        m.len()
                    )
                } else {
                    format!("the indexes in the backup disagree with the records ({} indexes); nothing was changed.", m.len())
                }
            }
            ArchiveError::Output(e) => e.localize(lang),
            ArchiveError::Io { path, reason } => {
                if zh {
                    format!(
                        "无法读写 {}（{reason}）。请检查路径、权限和磁盘空间。",
                        path.display()
                    )
                } else {
                    format!("cannot read or write {} ({reason}). Check the path, permissions and free disk space.", path.display())
                }
            }
            ArchiveError::Store(e) => e.localize(lang),
        }
    }
}
