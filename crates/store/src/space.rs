//! Disk space: how much is free where the store (or an output) lives, refusing a large
//! write early when it cannot fit, and telling a write that failed for lack of space
//! apart from other failures.
//!
//! A full disk is the one storage failure an officer can fix alone, so it gets its own
//! message ("disk full: free N MB on …") instead of sled's "Os { code: 28 … }". The
//! estimates the commands pass to [`ensure_free`] are deliberately generous: refusing
//! early costs nothing, while running out half way through an import or a restore costs
//! the officer a confusing failure (the store itself is left as it was either way).

use super::StoreError;
use std::io;
use std::path::{Path, PathBuf};

/// Free space sled needs beyond the data itself: it grows its log in 512 KB segments,
/// keeps a few ahead, and rewrites its snapshot when the store closes. Added to every
/// estimate, and what a write that ran out of space is told to free at least.
pub const WRITE_HEADROOM: u64 = 8 * MB;

/// One mebibyte, the unit of the messages.
pub const MB: u64 = 1 << 20;

/// Store bytes per record written (person, visit, flag with its audit and change-log
/// entries and index entries): measured 2.8 KB per person seeding 20,000 persons.
pub const BYTES_PER_RECORD: u64 = 4 << 10;

/// Store bytes per byte of a CSV roster imported: a roster row of ~150 bytes became
/// ~2.8 KB in the store (a person, maybe a flag, their audit entries and indexes).
pub const BYTES_PER_IMPORT_BYTE: u64 = 30;

/// Store bytes per byte of a backup archive restored (LZ4 compresses the trees ~4×, and
/// sled takes 2–3× the data on disk): a 0.4 MB archive of 2,000 persons restored to a
/// 6.3 MB store.
pub const BYTES_PER_ARCHIVE_BYTE: u64 = 10;

/// Store bytes per archive byte a backup writes, at least: sled takes many times its data
/// on disk and LZ4 compresses what is left (measured 14× on the demo store, 21× on a
/// 6.3 GB seeded store whose archive was 296 MB). Requiring the whole store size free
/// would refuse a backup of a large store to a USB stick that holds it with room to spare.
pub const STORE_BYTES_PER_ARCHIVE_BYTE: u64 = 8;

/// Store bytes of the demo bureau (6.4 MB measured).
pub const DEMO_BYTES: u64 = 8 * MB;

/// Refuses, with [`StoreError::DiskFull`], when fewer than `needed` bytes plus
/// [`WRITE_HEADROOM`] are free on the disk holding `path` (or, if `path` does not exist
/// yet, its nearest existing folder). Commands call it before a large write (import,
/// seed, demo, backup, restore) with their estimate. When the free space cannot be read
/// (an unusual file system), the write goes ahead: it still fails cleanly if the space
/// runs out.
///
/// `BEATBOOK_SKIP_SPACE_CHECK=1` (hidden, for tests) skips the check, so that a test can
/// drive a command into a disk that fills up during the write.
pub fn ensure_free(path: &Path, needed: u64) -> Result<(), StoreError> {
    if std::env::var_os("BEATBOOK_SKIP_SPACE_CHECK").is_some_and(|v| v == "1") {
        return Ok(());
    }
    let needed = needed.saturating_add(WRITE_HEADROOM);
    let existing = existing_ancestor(path);
    match free_bytes(&existing) {
        Ok(free) if free < needed => Err(StoreError::DiskFull {
            folder: path.to_path_buf(),
            mount: mount_point(&existing),
            free,
            needed,
            refused_early: true,
        }),
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::warn!("free space on {} not known: {e}", existing.display());
            Ok(())
        }
    }
}

/// Bytes of the files under `dir` (recursively; links are not followed). A folder that
/// does not exist has size 0.
pub fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(t) if t.is_dir() => folder_size(&entry.path()),
            Ok(t) if t.is_file() => entry.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// Whether `beatbook compact` would give back enough to suggest it, for a store taking
/// `on_disk` bytes for `entry_bytes` of keys and values: a compacted store takes about
/// 1.8× its entries (sled's page headers and log; the full seed measured 1.76×), so above
/// 2.5× with at least 256 MB to gain. Small stores are left alone: sled's segments make
/// them look large against a few megabytes of entries. Half-full pages also cost memory
/// and start-up time (sled keeps bookkeeping for every page), which is why `check` and
/// `backup` both say so.
pub fn compaction_worthwhile(on_disk: u64, entry_bytes: u64) -> bool {
    const MIN_GAIN: u64 = 256 * MB;
    let compacted = entry_bytes.saturating_mul(9) / 5;
    on_disk.saturating_mul(2) > entry_bytes.saturating_mul(5) && on_disk > compacted + MIN_GAIN
}

pub use beatbook_i18n::io::is_disk_full;

/// The error for a write at `path` that ran out of space, with the free space and the
/// mount point read now; it asks for [`WRITE_HEADROOM`].
pub(crate) fn disk_full(path: &Path) -> StoreError {
    let existing = existing_ancestor(path);
    let free = free_bytes(&existing).unwrap_or(0);
    StoreError::DiskFull {
        folder: path.to_path_buf(),
        mount: mount_point(&existing),
        free,
        needed: WRITE_HEADROOM,
        refused_early: false,
    }
}

/// Bytes available to an unprivileged user on the file system holding `path`.
#[cfg(unix)]
pub fn free_bytes(path: &Path) -> io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path holds a NUL byte"))?;
    let mut stat: libc::statvfs = unsafe_zeroed_statvfs();
    // SAFETY: `c` is a valid NUL-terminated string and `stat` a valid out-pointer for the
    // duration of the call; statvfs writes only into it.
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut stat) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Ok((stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

#[cfg(unix)]
fn unsafe_zeroed_statvfs() -> libc::statvfs {
    // SAFETY: statvfs is a plain C struct of integers, for which all-zero bytes are valid.
    unsafe { std::mem::zeroed() }
}

#[cfg(not(unix))]
pub fn free_bytes(_path: &Path) -> io::Result<u64> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "free space not known",
    ))
}

/// The folder a file system is mounted on: the highest ancestor of `path` on the same
/// device (what `df` prints), so the message names the disk to clean up.
fn mount_point(path: &Path) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(absolute) = std::fs::canonicalize(path) else {
            return path.to_path_buf();
        };
        let Ok(dev) = std::fs::metadata(&absolute).map(|m| m.dev()) else {
            return absolute;
        };
        let mut mount = absolute.clone();
        for ancestor in absolute.ancestors().skip(1) {
            match std::fs::metadata(ancestor) {
                Ok(m) if m.dev() == dev => mount = ancestor.to_path_buf(),
                _ => break,
            }
        }
        mount
    }
    #[cfg(not(unix))]
    {
        path.to_path_buf()
    }
}

/// `path` itself if it exists, else its nearest existing ancestor (`.` at worst).
fn existing_ancestor(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|p| !p.as_os_str().is_empty() && p.exists())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_is_read_and_an_impossible_need_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let free = free_bytes(dir.path()).expect("statvfs");
        assert!(free > 0);
        ensure_free(dir.path(), 1).expect("one byte fits");
        // A folder that does not exist yet is judged by its nearest existing parent.
        let later = dir.path().join("not/yet");
        ensure_free(&later, 1).expect("parent decides");
        match ensure_free(&later, u64::MAX) {
            Err(StoreError::DiskFull {
                folder,
                mount,
                needed,
                ..
            }) => {
                assert_eq!(folder, later);
                assert_eq!(needed, u64::MAX, "saturates");
                assert!(dir.path().canonicalize().expect("abs").starts_with(&mount));
            }
            other => panic!("expected DiskFull, got {other:?}"),
        }
    }

    #[test]
    fn enospc_is_told_apart() {
        #[cfg(unix)]
        {
            let enospc = io::Error::from_raw_os_error(libc::ENOSPC);
            assert!(is_disk_full(&enospc));
            // As sled clones it: the kind kept, the code lost.
            let cloned = io::Error::new(enospc.kind(), format!("{enospc:?}"));
            assert!(is_disk_full(&cloned));
        }
        assert!(!is_disk_full(&io::Error::from(
            io::ErrorKind::PermissionDenied
        )));
    }

    #[test]
    fn compacting_is_suggested_for_a_large_store_with_much_to_give_back() {
        // The full seed: 1.07 GB of entries, 3.24 GB after seeding, 1.88 GB compacted.
        assert!(compaction_worthwhile(3236 * MB, 1071 * MB));
        assert!(!compaction_worthwhile(1882 * MB, 1071 * MB));
        // A demo store looks sparse but has nothing worth the trouble to give back.
        assert!(!compaction_worthwhile(8 * MB, MB));
        assert!(!compaction_worthwhile(0, 0));
    }

    #[test]
    fn folder_size_counts_nested_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a"), [0u8; 100]).expect("a");
        std::fs::create_dir(dir.path().join("sub")).expect("sub");
        std::fs::write(dir.path().join("sub/b"), [0u8; 50]).expect("b");
        assert_eq!(folder_size(dir.path()), 150);
        assert_eq!(folder_size(&dir.path().join("none")), 0);
    }
}
