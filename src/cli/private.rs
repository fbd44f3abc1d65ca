//! Files beatbook creates are private to the user running it.
//!
//! The store, the log, backups, exports and reports hold ID numbers, phones and password
//! hashes: another account on the same station PC must not be able to copy them. Rather
//! than remembering a mode at each of the many places that create a file (sled creates
//! its own), the process creates everything without group or other bits, and the data
//! folder itself is kept at 0700 (an existing wider folder is tightened, and the user
//! told: files already in it were readable through it until now).

use std::path::Path;

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

/// Makes the data folder private if it exists and is open to others. Returns the mode
/// it had when it was tightened (for the message), `None` when it was already private.
#[cfg(unix)]
pub(crate) fn tighten_folder(dir: &Path) -> std::io::Result<Option<u32>> {
    use std::os::unix::fs::PermissionsExt;
    let meta = match std::fs::metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return Ok(None);
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o700))?;
    Ok(Some(mode))
}

#[cfg(not(unix))]
pub(crate) fn tighten_folder(_dir: &Path) -> std::io::Result<Option<u32>> {
    Ok(None)
}
