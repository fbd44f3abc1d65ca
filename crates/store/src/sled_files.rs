//! The files sled 0.34 keeps in a store folder, looked after where sled falls short:
//! durability on power loss, and snapshots a full disk left half written.
//!
//! What sled writes (seen with strace on `beatbook bench --only visit_done`):
//! - `db`, the log: `pwrite` then `sync_file_range(WAIT_BEFORE|WRITE|WAIT_AFTER)` on
//!   every flush. That starts the write-back of the pages but flushes neither the disk's
//!   write cache nor the file's metadata (its new size), so a power cut can still lose
//!   what the screen called saved;
//! - `conf`, written once when the store is created, never synced;
//! - `blobs/<lsn>`, one file per value too large for a log segment, never synced;
//! - `snap.<lsn>.generating`, synced then renamed to `snap.<lsn>` (the folder is not
//!   synced), written when the store closes and every million operations.
//!
//! [`SyncedFiles::sync`] runs after every `flush()` and makes it as durable as SQLite's
//! `synchronous=FULL`: `fdatasync` on `db` (through a handle kept open for the store's
//! life, so a commit costs one syscall, not an open), and for a blob sled created since
//! the last sync, `fsync` on it and on `blobs/`. Files created or renamed while the store
//! was closed or opened (`conf`, `db`, snapshots, the folder itself) are synced with their
//! folders once on open.
//!
//! [`remove_unreadable_snapshots`] runs before sled opens: sled reads the last `snap.*`
//! file by name, and a `snap.*.generating` sorts after its finished twin. When a disk
//! fills while sled writes one, the file stays empty or cut short, and sled refuses every
//! later open with "Read corrupted data" — even after space is freed. Such a file holds
//! nothing the log does not (a snapshot only saves replaying the log), so it is removed.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bytes after a snapshot's body: its length (u64 LE) and CRC-32 (u32 LE).
const SNAPSHOT_TRAILER: usize = 12;

/// Open handles on the store's files, synced after each flush.
#[derive(Debug)]
pub(super) struct SyncedFiles {
    db: File,
    blobs: PathBuf,
    /// Blob files already synced (blobs are rare: values over ~128 KB).
    synced_blobs: Mutex<HashSet<OsString>>,
}

impl SyncedFiles {
    /// Keeps a handle on the log for [`SyncedFiles::sync`] and syncs what sled may have
    /// left unsynced before: `conf` and the blob files (sled syncs neither; a store
    /// unpacked by a restore is opened here for the first time by a [`SyncedFiles`]),
    /// and the folder, so that the snapshot sled renamed into place when the store last
    /// closed stays there. Syncing a file with nothing to write costs next to nothing.
    /// When sled has just `created` the store, `db` and the folder's entry in its parent
    /// are synced too. Call after sled opened the folder.
    pub(super) fn open(dir: &Path, created: bool) -> io::Result<SyncedFiles> {
        let db = open_for_sync(&dir.join("db"))?;
        let files = SyncedFiles {
            db,
            blobs: dir.join("blobs"),
            synced_blobs: Mutex::new(HashSet::new()),
        };
        if let Ok(conf) = open_for_sync(&dir.join("conf")) {
            conf.sync_all()?;
        }
        files.sync_new_blobs(true)?;
        if created {
            files.db.sync_all()?;
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                sync_dir(parent)?;
            }
        }
        sync_dir(dir)?;
        Ok(files)
    }

    /// Makes what sled's `flush()` wrote durable: the log's data and size, and any new
    /// blob file with its folder entry.
    pub(super) fn sync(&self) -> io::Result<()> {
        self.db.sync_data()?;
        self.sync_new_blobs(false)
    }

    /// Syncs blob files not synced yet (all of them when `all`), then `blobs/`.
    fn sync_new_blobs(&self, all: bool) -> io::Result<()> {
        let entries = match std::fs::read_dir(&self.blobs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut synced = self
            .synced_blobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut new = false;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if synced.contains(&name) {
                continue;
            }
            match open_for_sync(&entry.path()) {
                Ok(f) => f.sync_all()?,
                // sled removed it meanwhile (garbage collection): nothing to keep.
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
            synced.insert(name);
            new = true;
        }
        if new || all {
            sync_dir(&self.blobs)?;
        }
        Ok(())
    }
}

/// Takes the lock sled takes on a store folder (an exclusive `flock` on `db`) without
/// opening the store: a restore sets aside a store sled refuses to open, and must not do
/// so under a beatbook still running on it.
pub(super) fn lock_unopened(dir: &Path) -> Result<File, super::StoreError> {
    let db = File::open(dir.join("db")).map_err(|e| super::StoreError::from_io(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a file descriptor this function owns; no memory is touched.
        let rc = unsafe { libc::flock(db.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let e = io::Error::last_os_error();
            return Err(if e.kind() == io::ErrorKind::WouldBlock {
                super::StoreError::InUse(dir.to_path_buf())
            } else {
                super::StoreError::from_io(dir, e)
            });
        }
    }
    Ok(db)
}

/// Opens a file of sled's to sync it: with write access, which Windows needs to flush a
/// file (Unix does not mind).
fn open_for_sync(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
}

/// `fsync` on a folder, so the files created, renamed or removed in it stay so.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    // Windows cannot open a folder as a file; NTFS journals its entries itself.
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Removes the `snap.*` files of `dir` that sled would refuse to read (empty, cut short
/// or with a wrong checksum: what a full disk or a crash while writing one leaves), so
/// that sled opens from the newest good snapshot or the log. Returns the removed names.
pub(super) fn remove_unreadable_snapshots(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut removed = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // sled itself skips `.in___motion` files.
        if !name.starts_with("snap.") || name.ends_with(".in___motion") {
            continue;
        }
        if !entry.file_type()?.is_file() || snapshot_is_readable(&entry.path())? {
            continue;
        }
        std::fs::remove_file(entry.path())?;
        tracing::warn!(
            "removed the unreadable sled snapshot {} (left by a full disk or a crash); \
             the store is read from its log",
            entry.path().display()
        );
        removed.push(entry.path());
    }
    if !removed.is_empty() {
        sync_dir(dir)?;
    }
    Ok(removed)
}

/// The check sled 0.34's `read_snapshot` makes before trusting a snapshot: more than the
/// trailer, and the CRC-32 of the body equal to the stored one.
fn snapshot_is_readable(path: &Path) -> io::Result<bool> {
    let mut bytes = Vec::new();
    File::open(path)?.read_to_end(&mut bytes)?;
    if bytes.len() <= SNAPSHOT_TRAILER {
        return Ok(false);
    }
    let body = bytes.len() - SNAPSHOT_TRAILER;
    let mut stored = [0u8; 4];
    stored.copy_from_slice(&bytes[bytes.len() - 4..]);
    Ok(crc32fast::hash(&bytes[..body]) == u32::from_le_bytes(stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncing_a_real_store_covers_its_log_and_new_blobs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let files = SyncedFiles::open(dir.path(), true).expect("open handles");
        db.insert(b"small", b"value".as_slice()).expect("insert");
        db.flush().expect("flush");
        files.sync().expect("sync");
        let blobs = |files: &SyncedFiles| files.synced_blobs.lock().expect("lock").len();
        assert_eq!(blobs(&files), 0);
        // A value too large for a log segment goes to its own file, which sled never
        // syncs: the next sync must find and sync it.
        db.insert(b"large", vec![7u8; 1 << 20])
            .expect("insert blob");
        db.flush().expect("flush");
        files.sync().expect("sync");
        let on_disk = std::fs::read_dir(dir.path().join("blobs"))
            .expect("blobs")
            .count();
        assert!(on_disk > 0, "sled wrote no blob file");
        assert_eq!(blobs(&files), on_disk, "every blob file synced");
    }

    #[test]
    fn a_store_flushes_through_its_synced_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = super::super::Store::open(dir.path()).expect("open");
        store
            .set_flag(super::super::Flag::Demo)
            .expect("flag, flushed and synced");
        store.flush().expect("flush");
        drop(store);
        let store = super::super::Store::open(dir.path()).expect("reopen");
        assert!(store.has_flag(super::super::Flag::Demo).expect("read"));
    }

    #[test]
    fn only_unreadable_snapshots_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let good_body = b"snapshot body".to_vec();
        let mut good = good_body.clone();
        good.extend_from_slice(&(good_body.len() as u64).to_le_bytes());
        good.extend_from_slice(&crc32fast::hash(&good_body).to_le_bytes());
        std::fs::write(dir.path().join("snap.00000000000000A0"), &good).expect("good");
        std::fs::write(dir.path().join("snap.00000000000000B0.generating"), b"").expect("empty");
        let mut bad = good.clone();
        bad[0] ^= 1;
        std::fs::write(dir.path().join("snap.00000000000000C0"), &bad).expect("bad");
        std::fs::write(dir.path().join("db"), b"not a snapshot").expect("db");
        let mut removed = remove_unreadable_snapshots(dir.path()).expect("clean");
        removed.sort();
        assert_eq!(
            removed,
            vec![
                dir.path().join("snap.00000000000000B0.generating"),
                dir.path().join("snap.00000000000000C0"),
            ]
        );
        assert!(dir.path().join("snap.00000000000000A0").exists());
        assert!(dir.path().join("db").exists());
    }
}
