//! Restoring an archive over a store folder: unpack beside it, verify, swap the
//! folders so a kill at any moment leaves the old store or the new one (finished on the
//! next open), and keep the replaced store aside.

use super::*;
use crate::outfile::{parent_of, sync_dir, with_suffix};

/// Entries unpacked between two flushes of the new store. Entries go in by plain inserts:
/// sled held in memory everything written by `apply_batch` (20,000 entries a batch took a
/// bureau's restore to 14 GB resident; inserts stay near 500 MB, issue 16).
const FLUSH_EVERY: u64 = 200_000;

/// Entries inserted together, last first. sled splits a leaf once it holds more than 16
/// entries, keeping 9 on the left: keys inserted in ascending order (as an archive holds
/// them) leave every leaf with 9 entries, while each run of 16 inserted from its end
/// fills its leaf. Fewer, fuller pages (issue 16, the full seed): restored in 1.90 GB
/// instead of 2.47 and in 61 s instead of 88, and the TUI on it holds 127 MB at Today
/// instead of 160 (sled keeps bookkeeping in memory for every page).
const LEAF_ENTRIES: usize = 16;

/// Test hook: `BEATBOOK_RESTORE_PAUSE=<stage>` makes a restore stop for a minute at that
/// stage (`extracting`, `verified`, `aside`) after saying so on stderr, so a test can kill
/// it there and check that a complete store is left in place. Unset in real use.
pub(crate) fn pause_at(stage: &str) {
    if std::env::var("BEATBOOK_RESTORE_PAUSE").ok().as_deref() == Some(stage) {
        eprintln!("restore paused at {stage}");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// Names of the folders a restore works with, beside the store folder.
pub(crate) fn side_paths(store_dir: &Path) -> (PathBuf, PathBuf) {
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
        seal::promote_pending_head(store_dir)?;
    }
    Ok(())
}

/// Replaces the store in `store_dir` by the archive's content, keeping the old data aside.
///
/// `current` is the store being replaced, opened (and locked) by the caller, which has
/// checked `authority` on it when it holds data; None when the folder has no store yet.
///
/// Order: verify the file (magic, header, checksum) and its tag under the key (or refuse
/// an unsigned one unless accepted); refuse a folder holding data unless `force`; unpack
/// into `<store>.restoring`; open it and verify the audit chain, the indexes and the
/// counts; into an empty folder, check the archive's administrator; rename it
/// `<store>.restored` (from here on it is known good); move the old store to
/// `<store>.replaced-<time>`; rename the new one in; audit the restore in it and record
/// its audit head outside the store. A kill before the last renames leaves the old store;
/// a kill between them is completed by [`finish_interrupted_restore`] on the next open.
pub fn restore(
    archive: &Path,
    store_dir: &Path,
    current: Option<ReplacedStore>,
    authority: RestoreAuthority<'_>,
    opts: &RestoreOptions<'_>,
) -> Result<RestoreOutcome, ArchiveError> {
    finish_interrupted_restore(store_dir)?;
    let header = verify_archive(archive)?;
    let signed_with = authenticate(archive, &header, opts.key)?;
    if signed_with.is_none() && !opts.accept_unsigned {
        return Err(ArchiveError::Unsigned(archive.to_path_buf()));
    }
    let (building, ready) = side_paths(store_dir);
    // The lock of the current store is held while the new one is built, so no beatbook
    // starts on it meanwhile; it is released just before the swap.
    let had_data = current.as_ref().is_some_and(ReplacedStore::holds_data);
    if had_data && !opts.force {
        return Err(ArchiveError::TargetNotEmpty(store_dir.to_path_buf()));
    }
    if matches!(current, Some(ReplacedStore::Open(_)))
        && had_data
        && matches!(authority, RestoreAuthority::Archive(_))
    {
        // Readable data is only replaced by one of its own administrators (an unreadable
        // store has none to ask: the archive's administrator and the bureau key decide).
        return Err(ArchiveError::NotAdministrator);
    }
    for stale in [&building, &ready] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).map_err(io_err(stale))?;
        }
    }
    let built = unpack(archive, &header, &building)
        .and_then(|()| verify_unpacked(&building))
        .map_err(|e| match e {
            // The disk filling up while unpacking is told as such, not as damage.
            ArchiveError::Store(e) => ArchiveError::Store(e.located(store_dir)),
            other => other,
        })
        .and_then(|()| {
            let store = Store::open(&building)?;
            let actor = match &authority {
                RestoreAuthority::Current(actor) => actor.clone(),
                RestoreAuthority::Archive(check) => check(&store)?,
            };
            seal::write_pending_head(store_dir, store.audit_head()?)?;
            Ok(actor)
        });
    let actor = match built {
        Ok(actor) => actor,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&building);
            seal::discard_pending_head(store_dir);
            return Err(e);
        }
    };
    pause_at("verified");
    std::fs::rename(&building, &ready).map_err(io_err(&ready))?;
    sync_dir(parent_of(store_dir));
    let replaced = match current {
        Some(current) => {
            drop(current);
            let aside = replaced_name(store_dir, opts.now);
            std::fs::rename(store_dir, &aside).map_err(io_err(store_dir))?;
            sync_dir(parent_of(store_dir));
            had_data.then_some(aside)
        }
        None => None,
    };
    pause_at("aside");
    std::fs::rename(&ready, store_dir).map_err(io_err(store_dir))?;
    sync_dir(parent_of(store_dir));
    let stamp = opts.now.format("%Y%m%dT%H%M%SZ").to_string();
    let folder_has_key = seal::folder_key(store_dir).ok().flatten().is_some();
    let key_installed = match opts.key {
        Some(key) if opts.key_given && (!had_data || !folder_has_key) => {
            seal::install_key(store_dir, key, &stamp)?;
            true
        }
        _ => false,
    };
    let restored = Store::open(store_dir)?;
    let signature = match &signed_with {
        Some(id) => format!("signed with bureau key {id}"),
        None => "UNSIGNED, accepted with --accept-unsigned".to_string(),
    };
    let (action, mut detail) = if opts.compacting {
        (
            "compact",
            format!(
                "compact by {}: the store rewritten from its own archive {} ({} entries, {signature})",
                actor.name,
                archive.display(),
                header.total_entries(),
            ),
        )
    } else {
        (
            "restore",
            format!(
                "restore by {} from {} (made {}, {} entries, {signature})",
                actor.name,
                archive.display(),
                header.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                header.total_entries(),
            ),
        )
    };
    if let Some(aside) = &replaced {
        detail.push_str(&format!("; replaced data kept at {}", aside.display()));
    }
    restored.commit(&Change::new(action, &actor, opts.now).detail(detail))?;
    // The restore is the audited event that makes this chain the trusted one.
    restored.reset_recorded_head()?;
    seal::discard_pending_head(store_dir);
    Ok(RestoreOutcome {
        header,
        replaced,
        key_installed,
    })
}

/// The store a restore replaces, held (and so locked) until it is moved aside.
pub enum ReplacedStore {
    Open(Store),
    /// One sled refuses to open: only its lock is held. `restore --force` sets it aside
    /// unread, which is the way out the unreadable-store message names.
    Unreadable {
        _lock: File,
    },
}

impl ReplacedStore {
    /// The store in `store_dir`, if there is one: opened, or — when sled refuses it and
    /// `force` is given — locked unread.
    pub fn find(store_dir: &Path, force: bool) -> Result<Option<ReplacedStore>, StoreError> {
        if !store_dir.exists() {
            return Ok(None);
        }
        match Store::open(store_dir) {
            Ok(store) => Ok(Some(ReplacedStore::Open(store))),
            Err(StoreError::Unreadable(_)) if force => Ok(Some(ReplacedStore::Unreadable {
                _lock: crate::sled_files::lock_unopened(store_dir)?,
            })),
            Err(e) => Err(e),
        }
    }

    /// Whether replacing it loses records (an unreadable store is assumed to hold some).
    pub(crate) fn holds_data(&self) -> bool {
        match self {
            ReplacedStore::Open(store) => !store.is_empty(),
            ReplacedStore::Unreadable { .. } => true,
        }
    }
}

/// Unpacks the body into a fresh sled folder (the file was verified just before).
pub(crate) fn unpack(
    archive: &Path,
    header: &ArchiveHeader,
    dir: &Path,
) -> Result<(), ArchiveError> {
    let file = File::open(archive).map_err(io_err(archive))?;
    let mut input = BufReader::with_capacity(1 << 20, file);
    read_header(archive, &mut input)?;
    let mut body = lz4_flex::frame::FrameDecoder::new(input);
    let db = sled::Config::new()
        .path(dir)
        .cache_capacity(crate::cache_capacity())
        .open()
        .map_err(|e| StoreError::from_sled_open(dir, e))?;
    let total = header.total_entries();
    let mut done = 0u64;
    let mut leaf: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(LEAF_ENTRIES);
    for count in &header.trees {
        let tree = db.open_tree(count.name.as_bytes())?;
        for read in 1..=count.entries {
            leaf.push(
                read_entry(&mut body).map_err(|_| ArchiveError::Damaged(archive.to_path_buf()))?,
            );
            if leaf.len() < LEAF_ENTRIES && read < count.entries {
                continue;
            }
            for (k, v) in leaf.drain(..).rev() {
                tree.insert(k, v)?;
                done += 1;
                if done % FLUSH_EVERY == 0 {
                    db.flush()?;
                }
                if done == total / 2 {
                    db.flush()?;
                    pause_at("extracting");
                }
            }
        }
    }
    db.flush()?;
    // Every entry the header counts is in its tree: a body that repeats a key holds fewer.
    // Counted here, before the store is opened: opening an archive of an older schema
    // migrates it, and a migration may store the same entries under fewer keys.
    for count in &header.trees {
        let tree = db.open_tree(count.name.as_bytes())?;
        let n = tree.iter().keys().try_fold(0u64, |n, k| k.map(|_| n + 1))?;
        if n != count.entries {
            return Err(StoreError::Corrupt(format!("tree {} lost entries", count.name)).into());
        }
    }
    Ok(())
}

/// Opens the unpacked store (migrating an older schema) and checks it as
/// `beatbook check` would.
pub(crate) fn verify_unpacked(dir: &Path) -> Result<(), ArchiveError> {
    let store = Store::open(dir)?;
    if let Err(problem) = store.verify_audit()? {
        return Err(ArchiveError::AuditBroken(problem));
    }
    let mismatches = store.check_indexes()?;
    if !mismatches.is_empty() {
        return Err(ArchiveError::IndexesBroken(mismatches));
    }
    store.flush()?;
    Ok(())
}

pub(crate) fn replaced_name(store_dir: &Path, now: DateTime<Utc>) -> PathBuf {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Trees of every size around a leaf's 16 entries, keys ascending as a backup
    /// writes them.
    fn content() -> ArchiveContent {
        let trees: Vec<(String, TreeEntries)> = [0usize, 1, 15, 16, 17, 33, 200]
            .iter()
            .map(|&n| {
                let entries = (0..n as u32)
                    .map(|i| (i.to_be_bytes().to_vec(), format!("value {i}").into_bytes()))
                    .collect();
                (format!("tree{n}"), entries)
            })
            .collect();
        let header = ArchiveHeader {
            format: FORMAT_VERSION,
            app_version: "test".into(),
            schema_version: SCHEMA_VERSION,
            created_at: chrono::Utc::now(),
            trees: trees
                .iter()
                .map(|(name, e)| TreeCount {
                    name: name.clone(),
                    entries: e.len() as u64,
                })
                .collect(),
            key_id: None,
            audit_head: None,
        };
        ArchiveContent { header, trees }
    }

    #[test]
    fn an_unpacked_tree_takes_fewer_pages_than_the_same_entries_inserted_in_order() {
        const N: u32 = 50_000;
        let entries: TreeEntries = (0..N)
            .map(|i| (i.to_be_bytes().to_vec(), vec![7u8; 40]))
            .collect();
        let dir = tempfile::tempdir().expect("tempdir");
        let in_order = crate::open_db(&dir.path().join("in-order")).expect("opens");
        let tree = in_order.open_tree("t").expect("tree");
        for (k, v) in &entries {
            tree.insert(k.as_slice(), v.as_slice()).expect("insert");
        }
        in_order.flush().expect("flush");
        let in_order = in_order.size_on_disk().expect("size");

        let mut written = content();
        written.trees = vec![("t".into(), entries)];
        written.header.trees = vec![TreeCount {
            name: "t".into(),
            entries: N as u64,
        }];
        let file = dir.path().join("a.bbk");
        write_archive_content(&file, &written, None).expect("archive");
        let header = verify_archive(&file).expect("verified");
        unpack(&file, &header, &dir.path().join("unpacked")).expect("unpacked");
        // The unpack has just closed it: sled may hold its lock a moment longer.
        let unpacked = crate::open_db(&dir.path().join("unpacked")).expect("opens");
        let unpacked = unpacked.size_on_disk().expect("size");
        assert!(
            unpacked * 10 < in_order * 8,
            "unpacked {unpacked} bytes, in order {in_order}"
        );
    }

    #[test]
    fn unpacking_in_runs_from_their_end_puts_every_entry_in_its_tree() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a.bbk");
        let written = content();
        write_archive_content(&file, &written, None).expect("archive");
        let header = verify_archive(&file).expect("verified");
        let store = dir.path().join("store");
        unpack(&file, &header, &store).expect("unpacked");
        let db = crate::open_db(&store).expect("opens");
        for (name, entries) in &written.trees {
            let tree = db.open_tree(name.as_bytes()).expect("tree");
            let stored: TreeEntries = tree
                .iter()
                .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())))
                .collect::<Result<_, _>>()
                .expect("read");
            assert_eq!(&stored, entries, "{name}");
        }
    }
}
