//! Compacting a store: sled never gives space back to the file system, and a store
//! written over months (or upgraded in place) carries the fragments of its old pages and
//! pages left 9/16 full by ascending writes — the seeded bureau takes 1.86× its JSON
//! export, the same records written anew in full pages 1.08× (see `unpack`).
//! Compacting writes the store's own signed archive, then restores it over the
//! store with every guarantee of a restore (unpacked beside, audit chain, indexes and
//! counts verified before the swap, a kill at any moment leaves a whole store), and
//! removes the replaced folder, which is what gives the space back. The archive stays as
//! a backup of the store as it was.

use super::*;
use crate::space::folder_size;

/// A finished compaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compacted {
    /// Store folder bytes before and after.
    pub bytes_before: u64,
    pub bytes_after: u64,
    /// Entries rewritten (every tree, the audit log and change log included).
    pub entries: u64,
    /// The archive written on the way: the store as it was, signed.
    pub archive: PathBuf,
    /// The replaced folder when it could not be removed (the compaction itself is done).
    pub left_aside: Option<PathBuf>,
}

/// Rewrites the store in `store_dir` compactly through an archive written to `archive`.
///
/// `store` is that store, opened (so locked) by the caller, who has checked that `actor`
/// is one of its administrators and lets nothing else write to it meanwhile. Nothing may
/// be committed between the archive and the restore: the archive is the whole store.
pub fn compact(
    store: Store,
    store_dir: &Path,
    archive: &Path,
    actor: Actor,
    key: Option<&BureauKey>,
    now: DateTime<Utc>,
) -> Result<Compacted, ArchiveError> {
    let bytes_before = folder_size(store_dir);
    store.backup_to_file(archive, now, key)?;
    let opts = RestoreOptions {
        force: true,
        // Only a folder without a bureau key writes an unsigned archive; it is this
        // store's own, just written.
        accept_unsigned: key.is_none(),
        key,
        key_given: false,
        now,
        compacting: true,
    };
    let outcome = restore(
        archive,
        store_dir,
        Some(ReplacedStore::Open(store)),
        RestoreAuthority::Current(actor),
        &opts,
    )?;
    let left_aside = match outcome.replaced {
        Some(aside) => match std::fs::remove_dir_all(&aside) {
            Ok(()) => None,
            Err(e) => {
                tracing::warn!("compact: the replaced store {} stays: {e}", aside.display());
                Some(aside)
            }
        },
        None => None,
    };
    Ok(Compacted {
        bytes_before,
        bytes_after: folder_size(store_dir),
        entries: outcome.header.total_entries(),
        archive: archive.to_path_buf(),
        left_aside,
    })
}
