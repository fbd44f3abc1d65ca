//! Backup archives of a whole store and the safe way back from one.
//!
//! The archive holds every sled tree (records, indexes, audit chain, change log, meta)
//! byte for byte, so a restore gives back exactly the store that was saved — unlike the
//! JSON export, which leaves out password hashes and the audit log. Layout:
//!
//! ```text
//! MAGIC (17 bytes) | header length (u32 LE) | header (JSON) | body (LZ4 frame)
//!   | trailer (JSON) | trailer length (u32 LE) | [HMAC-SHA256] | SHA-256
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
//! Format 3 authenticates: the header names the bureau key (its public id, see
//! [`super::seal`]) and an HMAC-SHA256 under that key over every byte before it follows
//! the trailer length. The SHA-256 alone only catches damage: anyone with beatbook's code
//! can rebuild an archive with an edited audit entry, re-hash the chain and the file, and
//! it verifies. Without the key, the tag cannot be rebuilt. Unsigned archives (formats 1
//! and 2, or a format-3 file without a key id) are restored only when an administrator
//! says so with `--accept-unsigned`, and that is audited.
//!
//! A restore builds the new store in a temporary folder beside the data folder, verifies
//! it there (audit chain, indexes, counts), then swaps folders by renames. The renames are
//! ordered so that a kill at any moment leaves a complete store: see [`restore`] and
//! [`finish_interrupted_restore`].

mod body;

use super::seal::{self, ArchiveMac, BureauKey, KeyError};
use super::{Actor, AuditProblem, Change, IndexMismatch, Store, StoreError, SCHEMA_VERSION};
use chrono::{DateTime, Utc};
use hmac::Mac;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

mod compacting;
mod messages;
mod restoring;
pub use compacting::{compact, Compacted};
pub use restoring::{finish_interrupted_restore, restore, ReplacedStore};

/// The first bytes of every beatbook archive.
pub const MAGIC: &[u8; 17] = b"BEATBOOK-ARCHIVE\n";
/// The archive layout this beatbook writes (3: counts in a trailer after the body, then
/// the HMAC tag under the bureau key).
pub const FORMAT_VERSION: u32 = 3;
/// The first layout (counts in the header, no trailer); still read.
const FORMAT_COUNTS_IN_HEADER: u32 = 1;
/// The first layout that carries an HMAC tag.
const FORMAT_SIGNED: u32 = 3;
/// A header or trailer larger than this is not ours (they list a few dozen trees).
const MAX_HEADER: u32 = 1 << 20;
/// Bytes at the end of an unsigned file after the trailer JSON: its length and the digest.
const TAIL: u64 = 4 + 32;
/// The HMAC tag of a signed archive, between the trailer length and the digest.
const TAG: u64 = 32;
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
    /// The public id of the bureau key whose HMAC tag the archive carries (format 3);
    /// None: unsigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// The audit chain's last sequence number as the archive was written. Older archives
    /// lack it; they stored one audit entry per key, so their audit tree's count is it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<u64>,
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

    /// Entries of the audit log (keys hold blocks of entries since schema 9).
    pub fn audit_entries(&self) -> u64 {
        self.audit_head.unwrap_or_else(|| {
            self.trees
                .iter()
                .find(|t| t.name == "audit")
                .map_or(0, |t| t.entries)
        })
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
    /// Bytes of the keys and values archived: what the store holds, without sled's
    /// pages and log around it.
    pub entry_bytes: u64,
    /// The store's size on disk when it was backed up (0 for an archive written from
    /// anything but a store).
    pub store_bytes: u64,
}

impl ArchiveSummary {
    /// Whether the store backed up takes so much more disk than its entries that
    /// `beatbook compact` is worth suggesting (see [`crate::space::compaction_worthwhile`]):
    /// a backup reads every entry anyway, so the routine backup is where an
    /// administrator learns it is due, without the full read `check` makes for it.
    pub fn compaction_worthwhile(&self) -> bool {
        self.store_bytes > 0
            && crate::space::compaction_worthwhile(self.store_bytes, self.entry_bytes)
    }
}

/// A finished restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreOutcome {
    pub header: ArchiveHeader,
    /// Where the data that was replaced now lies (None when the folder was empty).
    pub replaced: Option<PathBuf>,
    /// The key given with `--key` became the data folder's key.
    pub key_installed: bool,
}

/// Who may restore: checked before anything is replaced.
pub enum RestoreAuthority<'a> {
    /// An administrator of the store being replaced, logged in on it by the caller.
    Current(Actor),
    /// Into an empty folder: an administrator account of the archive itself, checked on
    /// the unpacked store once it is authenticated and verified, before the swap.
    Archive(&'a dyn Fn(&Store) -> Result<Actor, ArchiveError>),
}

/// How to restore.
pub struct RestoreOptions<'a> {
    /// Replace a store that holds data (it is kept aside).
    pub force: bool,
    /// Restore an archive without a tag (older beatbook); audited.
    pub accept_unsigned: bool,
    /// The key to authenticate with: `--key FILE`, else the data folder's.
    pub key: Option<&'a BureauKey>,
    /// The key came from `--key`: it becomes the folder's key when the folder had none
    /// or held no data.
    pub key_given: bool,
    pub now: DateTime<Utc>,
    /// The archive is the store's own, written just now to rewrite it compactly
    /// ([`compact`]): audited as `compact`, not as a restore.
    pub compacting: bool,
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
    #[error("{0} is not signed with a bureau key")]
    Unsigned(PathBuf),
    #[error("{path} is signed with key {key_id} and no key is at hand")]
    KeyNeeded { path: PathBuf, key_id: String },
    #[error(
        "{path} does not authenticate (signed with {signed_with}, checked with {checked_with})"
    )]
    NotAuthentic {
        path: PathBuf,
        signed_with: String,
        checked_with: String,
    },
    #[error("no administrator with that name and password")]
    NotAdministrator,
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("the restored audit chain does not verify: {0:?}")]
    AuditBroken(AuditProblem),
    #[error("the restored indexes disagree with the records: {0:?}")]
    IndexesBroken(Vec<IndexMismatch>),
    #[error("cannot read or write {path}: {}", beatbook_i18n::Localize::localize(&beatbook_i18n::io::IoReason(source), beatbook_i18n::Lang::En))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
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

/// An archive file that cannot be read or written; a full disk is told like a full disk
/// under the store (how much to free, and where).
fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ArchiveError + '_ {
    move |e| ArchiveError::io(path, e)
}

impl ArchiveError {
    pub fn io(path: &Path, e: std::io::Error) -> ArchiveError {
        if super::space::is_disk_full(&e) {
            return ArchiveError::Store(super::space::disk_full(path));
        }
        ArchiveError::Io {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// Passes bytes through to a writer and hashes them (and MACs them, when signing) on
/// the way.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    mac: Option<ArchiveMac>,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        if let Some(mac) = &mut self.mac {
            mac.update(&buf[..n]);
        }
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
    /// Signed with `key` (the data folder's bureau key); unsigned only without one.
    ///
    /// The trees are read one after the other, not in one snapshot (sled 0.34 has none):
    /// the caller makes sure nothing writes meanwhile — the command line holds the folder's
    /// lock, and the TUI runs its writes on the same thread that calls this.
    pub fn backup_to_file(
        &self,
        path: &Path,
        created_at: DateTime<Utc>,
        key: Option<&BureauKey>,
    ) -> Result<ArchiveSummary, ArchiveError> {
        let mut names: Vec<sled::IVec> = self.db.tree_names();
        names.sort();
        let names: Vec<String> = names
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        let audit_head = Some(self.audit_head()?.0);
        let summary = write_staged(path, created_at, key, audit_head, &names, &mut |i, emit| {
            let tree = self.db.open_tree(names[i].as_bytes())?;
            let mut entries = 0u64;
            for item in tree.iter() {
                let (k, v) = item?;
                emit(&k, &v)?;
                entries += 1;
            }
            Ok(entries)
        })?;
        Ok(ArchiveSummary {
            store_bytes: crate::space::folder_size(self.path()),
            ..summary
        })
    }
}

/// Emits one tree's entries into the body; returns how many.
type FillTree<'a> = dyn FnMut(
        usize,
        &mut dyn FnMut(&[u8], &[u8]) -> Result<(), ArchiveError>,
    ) -> Result<u64, ArchiveError>
    + 'a;

/// Writes an archive of the trees `names` (filled by `fill`) to `path` through `path.tmp`.
fn write_staged(
    path: &Path,
    created_at: DateTime<Utc>,
    key: Option<&BureauKey>,
    audit_head: Option<u64>,
    names: &[String],
    fill: &mut FillTree<'_>,
) -> Result<ArchiveSummary, ArchiveError> {
    let mut staged = super::outfile::stage(path)?;
    let leftover_removed = staged.leftover_removed;
    let tmp = staged.tmp_path().to_path_buf();
    // The archive writer owns its handle; the staged one syncs the same file after.
    let written = match staged.file().map(|f| f.try_clone()) {
        Ok(Ok(file)) => write_archive(file, &tmp, created_at, key, audit_head, names, fill),
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

/// Writes the archive into `file` (named `tmp`, for messages).
fn write_archive(
    file: File,
    tmp: &Path,
    created_at: DateTime<Utc>,
    key: Option<&BureauKey>,
    audit_head: Option<u64>,
    names: &[String],
    fill: &mut FillTree<'_>,
) -> Result<ArchiveSummary, ArchiveError> {
    let mut header = ArchiveHeader {
        format: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: SCHEMA_VERSION,
        created_at,
        trees: Vec::new(),
        key_id: key.map(BureauKey::id),
        audit_head,
    };
    let header_bytes = serde_json::to_vec(&header)
        .map_err(|e| StoreError::Corrupt(format!("archive header: {e}")))?;
    let mut out = Hashing {
        inner: BufWriter::with_capacity(4 << 20, file),
        hasher: Sha256::new(),
        mac: key.map(BureauKey::mac),
        bytes: 0,
    };
    let w = io_err(tmp);
    out.write_all(MAGIC).map_err(&w)?;
    out.write_all(&len_u32(header_bytes.len()).to_le_bytes())
        .map_err(&w)?;
    out.write_all(&header_bytes).map_err(&w)?;
    let mut body = body::BodyWriter::start(out).map_err(&w)?;
    let mut trees = Vec::with_capacity(names.len());
    let mut entry_bytes = 0u64;
    for (i, name) in names.iter().enumerate() {
        let entries = fill(i, &mut |k, v| {
            entry_bytes += (k.len() + v.len()) as u64;
            body.entry(k, v).map_err(&w)
        })?;
        trees.push(TreeCount {
            name: name.clone(),
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
    // The tag covers everything before it; the digest covers the tag too.
    if let Some(mac) = out.mac.take() {
        let tag: [u8; 32] = mac.finalize().into_bytes().into();
        out.write_all(&tag).map_err(&w)?;
    }
    let digest: [u8; 32] = out.hasher.clone().finalize().into();
    out.inner.write_all(&digest).map_err(&w)?;
    let bytes = out.bytes + 32;
    out.inner.flush().map_err(&w)?;
    header.trees = trailer.trees;
    Ok(ArchiveSummary {
        header,
        bytes,
        leftover_removed: false,
        entry_bytes,
        store_bytes: 0,
    })
}

/// An archive's whole content, decoded: for inspection and tests. This reader and writer
/// are what anyone with beatbook's code has; what they cannot do without the bureau key
/// is sign what they write, which is why restore checks the tag and not just the digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveContent {
    pub header: ArchiveHeader,
    /// Per tree, in body order: its name and entries.
    pub trees: Vec<(String, TreeEntries)>,
}

/// A tree's entries as (key, value), in key order.
pub type TreeEntries = Vec<(Vec<u8>, Vec<u8>)>;

/// Reads a whole archive into memory (after verifying its digest).
pub fn read_archive(path: &Path) -> Result<ArchiveContent, ArchiveError> {
    let header = verify_archive(path)?;
    let file = File::open(path).map_err(io_err(path))?;
    let mut input = BufReader::new(file);
    read_header(path, &mut input)?;
    let mut body = lz4_flex::frame::FrameDecoder::new(input);
    let mut trees = Vec::with_capacity(header.trees.len());
    for count in &header.trees {
        let mut entries = Vec::new();
        for _ in 0..count.entries {
            entries.push(
                read_entry(&mut body).map_err(|_| ArchiveError::Damaged(path.to_path_buf()))?,
            );
        }
        trees.push((count.name.clone(), entries));
    }
    Ok(ArchiveContent { header, trees })
}

/// Writes `content` as an archive at `path` (current format, stamped with the header's
/// creation time), signed with `key` when one is given.
pub fn write_archive_content(
    path: &Path,
    content: &ArchiveContent,
    key: Option<&BureauKey>,
) -> Result<ArchiveSummary, ArchiveError> {
    let names: Vec<String> = content.trees.iter().map(|(n, _)| n.clone()).collect();
    write_staged(
        path,
        content.header.created_at,
        key,
        content.header.audit_head,
        &names,
        &mut |i, emit| {
            for (k, v) in &content.trees[i].1 {
                emit(k, v)?;
            }
            Ok(content.trees[i].1.len() as u64)
        },
    )
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
    // Only format 3 can be signed.
    if header.format < FORMAT_SIGNED && header.key_id.is_some() {
        return Err(ArchiveError::Damaged(path.to_path_buf()));
    }
    Ok(header)
}

/// Reads the trailer of a format-2 archive: the JSON just before its length and the digest.
fn read_trailer(
    path: &Path,
    mut file: &File,
    len: u64,
    tail: u64,
) -> Result<Vec<TreeCount>, ArchiveError> {
    let damaged = || ArchiveError::Damaged(path.to_path_buf());
    let at = len.checked_sub(tail).ok_or_else(damaged)?;
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
        let tail = if header.key_id.is_some() {
            TAIL + TAG
        } else {
            TAIL
        };
        header.trees = read_trailer(path, &file, len, tail)?;
    }
    Ok(header)
}

/// Checks the HMAC tag of an archive whose digest verified (`header` from
/// [`verify_archive`]) under `key`. Ok(Some(key id)) when signed and authentic, Ok(None)
/// when the archive is unsigned (the caller decides whether that is acceptable).
pub fn authenticate(
    path: &Path,
    header: &ArchiveHeader,
    key: Option<&BureauKey>,
) -> Result<Option<String>, ArchiveError> {
    let Some(signed_with) = &header.key_id else {
        return Ok(None);
    };
    let Some(key) = key else {
        return Err(ArchiveError::KeyNeeded {
            path: path.to_path_buf(),
            key_id: signed_with.clone(),
        });
    };
    let refused = || ArchiveError::NotAuthentic {
        path: path.to_path_buf(),
        signed_with: signed_with.clone(),
        checked_with: key.id(),
    };
    let file = File::open(path).map_err(io_err(path))?;
    let len = file.metadata().map_err(io_err(path))?.len();
    let signed_len = len.checked_sub(TAG + 32).ok_or_else(refused)?;
    let mut input = BufReader::with_capacity(1 << 20, file).take(signed_len);
    let mut mac = key.mac();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = input.read(&mut buf).map_err(io_err(path))?;
        if n == 0 {
            break;
        }
        mac.update(&buf[..n]);
    }
    let mut tag = [0u8; 32];
    input
        .into_inner()
        .read_exact(&mut tag)
        .map_err(|_| ArchiveError::Damaged(path.to_path_buf()))?;
    // Constant-time comparison.
    mac.verify_slice(&tag).map_err(|_| refused())?;
    Ok(Some(signed_with.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary counts what it archived, so `backup` can tell when a compaction is due
    /// without reading the store a second time.
    #[test]
    fn a_backup_counts_the_bytes_it_archived_and_the_store_it_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("store")).expect("store");
        let extra = store.db.open_tree("extra").expect("tree");
        for i in 0u32..300 {
            extra
                .insert(i.to_be_bytes(), vec![b'x'; (i % 50) as usize])
                .expect("insert");
        }
        let file = dir.path().join("a.bbk");
        let summary = store
            .backup_to_file(&file, Utc::now(), None)
            .expect("backup");
        let archived: u64 = read_archive(&file)
            .expect("reads")
            .trees
            .iter()
            .flat_map(|(_, entries)| entries)
            .map(|(k, v)| (k.len() + v.len()) as u64)
            .sum();
        assert_eq!(summary.entry_bytes, archived);
        assert!(archived >= 300 * 4, "{archived}");
        assert_eq!(
            summary.store_bytes,
            crate::space::folder_size(&dir.path().join("store"))
        );
        assert!(summary.store_bytes > 0);
        // Far too small to be worth the trouble, whatever its ratio.
        assert!(!summary.compaction_worthwhile());
        let sparse = ArchiveSummary {
            store_bytes: 3236 << 20,
            entry_bytes: 1071 << 20,
            ..summary
        };
        assert!(sparse.compaction_worthwhile());
    }
}
