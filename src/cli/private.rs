//! Files beatbook creates are private to the user running it.
//!
//! The store, the log, backups, exports and reports hold ID numbers, phones and password
//! hashes: another account on the same station PC must not be able to copy them. Rather
//! than remembering a mode at each of the many places that create a file (sled creates
//! its own), the process creates everything without group or other bits (a data folder
//! beatbook creates is 0700). Entries an earlier version left open are closed, and the
//! user told: files in them were readable until now.

use std::path::{Path, PathBuf};

/// From now on, files and folders this process creates are readable by its user only.
#[cfg(unix)]
pub(crate) fn restrict_new_files() {
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail and
    // touches no memory. beatbook sets it once, before any thread starts.
    unsafe {
        libc::umask(0o077);
    }
}

#[cfg(not(unix))]
pub(crate) fn restrict_new_files() {}

/// Makes beatbook's own entries in the data folder — the store, the log, the backups
/// folder — private where an earlier version left them open to others, and returns the
/// ones it tightened with the modes they had (for the message). The data folder itself is
/// never changed: it may be a folder the user chose and shares (`--data /srv/x`), and
/// with its entries private nothing of beatbook's can be read through it anyway.
#[cfg(unix)]
pub(crate) fn tighten_own_entries(data_dir: &Path) -> std::io::Result<Vec<(PathBuf, u32)>> {
    use std::os::unix::fs::PermissionsExt;
    let mut tightened = Vec::new();
    for (name, private) in [
        ("store", 0o700),
        ("backups", 0o700),
        ("beatbook.log", 0o600),
    ] {
        let path = data_dir.join(name);
        // Not followed through a link: only what beatbook itself created is changed.
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) if !meta.file_type().is_symlink() => meta,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 == 0 {
            continue;
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(private))?;
        tightened.push((path, mode & 0o777));
    }
    Ok(tightened)
}

#[cfg(not(unix))]
pub(crate) fn tighten_own_entries(_data_dir: &Path) -> std::io::Result<Vec<(PathBuf, u32)>> {
    Ok(Vec::new())
}
