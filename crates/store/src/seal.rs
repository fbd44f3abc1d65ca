//! What lies outside the store so that the store alone cannot be forged: the bureau key
//! that authenticates backup archives, and the audit chain's head as last written.
//!
//! Both live in `<data folder>/keys/` (0700; files 0600), beside the store folder and never
//! inside it or inside an archive:
//!
//! - `archive.key`: 32 random bytes (hex), created on the first open of a data folder.
//!   Archives carry an HMAC-SHA256 under it: someone with beatbook's code but not the key
//!   can rebuild an archive whose checksum and audit chain verify, but not its tag.
//! - `audit.head`: the audit chain's last sequence number and hash, rewritten after every
//!   commit. Someone who edits the store and re-hashes the whole chain makes it verify
//!   internally, but its entry at the recorded sequence no longer has the recorded hash
//!   (or the chain is shorter than recorded): `audit verify` says so.
//!
//! The head is only moved forward from a chain that still holds the recorded entry, so a
//! rewritten store does not launder itself by being opened and written to once. It is
//! written after the store's own flush and never synced on its own: after a power cut it
//! may lag the store (harmless: a longer chain is expected), never lead it.

use super::{audit, Store, StoreError};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// HMAC-SHA256, the archive tag.
pub(crate) type ArchiveMac = Hmac<Sha256>;

const KEY_FILE: &str = "archive.key";
const HEAD_FILE: &str = "audit.head";
/// First bytes of `audit.head`; then seq (u64 BE), hash (32), check (8).
const HEAD_MAGIC: &[u8; 8] = b"BBHEAD1\n";
const HEAD_LEN: usize = 8 + 8 + 32 + 8;

/// The keys folder of the data folder that holds `store_dir` (its parent).
pub fn keys_dir_of(store_dir: &Path) -> PathBuf {
    let data = match store_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    data.join("keys")
}

/// The bureau's secret for archives.
#[derive(Clone, PartialEq, Eq)]
pub struct BureauKey {
    bytes: [u8; 32],
}

impl std::fmt::Debug for BureauKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret itself, even in a log.
        f.debug_struct("BureauKey").field("id", &self.id()).finish()
    }
}

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the key file {path}: {}", beatbook_i18n::Localize::localize(&beatbook_i18n::io::IoReason(source), beatbook_i18n::Lang::En))]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} is not a beatbook archive key")]
    NotAKey(PathBuf),
}

impl BureauKey {
    fn generate() -> BureauKey {
        use password_hash::rand_core::{OsRng, RngCore};
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        BureauKey { bytes }
    }

    /// Reads a key file (as written by beatbook: 64 hex digits).
    pub fn load(path: &Path) -> Result<BureauKey, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeyError::Unreadable {
            path: path.to_path_buf(),
            source: e,
        })?;
        parse_hex32(text.trim())
            .map(|bytes| BureauKey { bytes })
            .ok_or_else(|| KeyError::NotAKey(path.to_path_buf()))
    }

    /// A short public name of the key (not the key): archives record which key signed
    /// them so a refusal can say "signed with key X, this folder has key Y".
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"beatbook archive key id\0");
        h.update(self.bytes);
        hex(&h.finalize()[..8])
    }

    /// A fresh MAC under this key.
    pub(crate) fn mac(&self) -> ArchiveMac {
        // HMAC takes a key of any length: this cannot fail.
        match <ArchiveMac as Mac>::new_from_slice(&self.bytes) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts any key length"),
        }
    }

    fn file_text(&self) -> String {
        format!("{}\n", hex(&self.bytes))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// What [`ensure_keys`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyStatus {
    pub key_file: PathBuf,
    /// The key was created just now.
    pub created: bool,
}

/// Makes sure the data folder of `store` has its key and recorded head: created on the
/// first open (at `init`, or of a folder made by an older beatbook). An existing key is
/// never replaced; the folder and files are made private if they were not.
pub fn ensure_keys(store: &Store) -> Result<KeyStatus, StoreError> {
    let dir = keys_dir_of(store.path());
    make_private_dir(&dir)?;
    let key_file = dir.join(KEY_FILE);
    if key_file.exists() {
        make_private_file(&key_file)?;
        return Ok(KeyStatus {
            key_file,
            created: false,
        });
    }
    write_new_file(&key_file, BureauKey::generate().file_text().as_bytes())?;
    let (seq, hash) = store.audit_head()?;
    write_new_file(&dir.join(HEAD_FILE), &encode_head(seq, &hash))?;
    sync_dir(&dir);
    Ok(KeyStatus {
        key_file,
        created: true,
    })
}

/// The key of the data folder holding `store_dir`, if it has one.
pub fn folder_key(store_dir: &Path) -> Result<Option<BureauKey>, KeyError> {
    let path = keys_dir_of(store_dir).join(KEY_FILE);
    if !path.exists() {
        return Ok(None);
    }
    BureauKey::load(&path).map(Some)
}

/// Makes `key` the key of the data folder holding `store_dir` (a restore on a new machine
/// with `--key`). A different key already there is kept beside it, renamed.
pub(crate) fn install_key(
    store_dir: &Path,
    key: &BureauKey,
    stamp: &str,
) -> Result<(), StoreError> {
    let dir = keys_dir_of(store_dir);
    make_private_dir(&dir)?;
    let path = dir.join(KEY_FILE);
    match BureauKey::load(&path) {
        Ok(existing) if existing == *key => return Ok(()),
        Ok(_) | Err(KeyError::NotAKey(_)) => {
            let aside = dir.join(format!("{KEY_FILE}.replaced-{stamp}"));
            std::fs::rename(&path, &aside).map_err(|e| StoreError::from_io(&path, e))?;
        }
        Err(KeyError::Unreadable { .. }) => {}
    }
    write_new_file(&path, key.file_text().as_bytes())?;
    sync_dir(&dir);
    Ok(())
}

/// Where a restore puts the new store's head before swapping it in: a restore killed
/// between the swap and its own end is completed on the next open, which then makes this
/// the recorded head (see [`promote_pending_head`]).
fn pending_head_file(store_dir: &Path) -> PathBuf {
    keys_dir_of(store_dir).join("audit.head.pending")
}

/// Notes the head of a verified store about to be swapped in (durably).
pub(crate) fn write_pending_head(
    store_dir: &Path,
    head: (u64, [u8; 32]),
) -> Result<(), StoreError> {
    let dir = keys_dir_of(store_dir);
    make_private_dir(&dir)?;
    let path = pending_head_file(store_dir);
    let _ = std::fs::remove_file(&path);
    write_new_file(&path, &encode_head(head.0, &head.1))?;
    sync_dir(&dir);
    Ok(())
}

/// A restore's swap was completed after a kill: its store's head becomes the recorded one.
pub(crate) fn promote_pending_head(store_dir: &Path) -> Result<(), StoreError> {
    let path = pending_head_file(store_dir);
    if path.exists() {
        let head = keys_dir_of(store_dir).join(HEAD_FILE);
        std::fs::rename(&path, &head).map_err(|e| StoreError::from_io(&head, e))?;
        sync_dir(&keys_dir_of(store_dir));
    }
    Ok(())
}

/// The restore ended (either way): no pending head is left behind.
pub(crate) fn discard_pending_head(store_dir: &Path) {
    let _ = std::fs::remove_file(pending_head_file(store_dir));
}

/// The audit head as recorded outside the store, compared with the store's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeadCheck {
    /// The chain holds the recorded entry unchanged (it may have grown since).
    Matches { recorded: u64 },
    /// The data folder has no keys folder (a store opened outside a data folder).
    NotKept,
    /// The keys folder is there but the head file is missing or unreadable.
    Missing,
    /// The chain ends before the recorded entry: its tail was cut off.
    Shorter { recorded: u64, present: u64 },
    /// The entry at the recorded sequence is not the one recorded: the chain was rewritten.
    Differs { recorded: u64 },
}

impl HeadCheck {
    /// True when the chain is not the one whose head was recorded.
    pub fn is_tampered(&self) -> bool {
        matches!(
            self,
            HeadCheck::Missing | HeadCheck::Shorter { .. } | HeadCheck::Differs { .. }
        )
    }
}

fn encode_head(seq: u64, hash: &[u8; 32]) -> [u8; HEAD_LEN] {
    let mut out = [0u8; HEAD_LEN];
    out[..8].copy_from_slice(HEAD_MAGIC);
    out[8..16].copy_from_slice(&seq.to_be_bytes());
    out[16..48].copy_from_slice(hash);
    let check = Sha256::digest(&out[..48]);
    out[48..].copy_from_slice(&check[..8]);
    out
}

fn decode_head(bytes: &[u8]) -> Option<(u64, [u8; 32])> {
    if bytes.len() != HEAD_LEN || &bytes[..8] != HEAD_MAGIC {
        return None;
    }
    if Sha256::digest(&bytes[..48])[..8] != bytes[48..] {
        return None;
    }
    let seq = u64::from_be_bytes(bytes[8..16].try_into().ok()?);
    let hash: [u8; 32] = bytes[16..48].try_into().ok()?;
    Some((seq, hash))
}

impl Store {
    /// The audit chain's last sequence number and hash, as the store holds them.
    pub fn audit_head(&self) -> Result<(u64, [u8; 32]), StoreError> {
        audit::stored_head(self.meta())
    }

    /// Compares the chain with the head recorded outside the store.
    pub fn check_recorded_head(&self) -> Result<HeadCheck, StoreError> {
        let dir = keys_dir_of(self.path());
        if !dir.is_dir() {
            return Ok(HeadCheck::NotKept);
        }
        let Some((recorded, hash)) = std::fs::read(dir.join(HEAD_FILE))
            .ok()
            .and_then(|b| decode_head(&b))
        else {
            return Ok(HeadCheck::Missing);
        };
        self.check_head(recorded, hash)
    }

    /// Compares the chain with a head recorded elsewhere (the keys folder, the hub): does
    /// it still hold entry `recorded` with that hash?
    pub fn check_head(&self, recorded: u64, hash: [u8; 32]) -> Result<HeadCheck, StoreError> {
        let (present, _) = self.audit_head()?;
        if recorded > present {
            return Ok(HeadCheck::Shorter { recorded, present });
        }
        if recorded == 0 {
            return Ok(HeadCheck::Matches { recorded });
        }
        match audit::hash_at(&self.trees[super::T_AUDIT], recorded)? {
            Some(h) if h == hash => Ok(HeadCheck::Matches { recorded }),
            _ => Ok(HeadCheck::Differs { recorded }),
        }
    }

    /// Moves the recorded head to the store's head after a commit, if the chain still
    /// holds the recorded entry (else the head is left as evidence and a warning logged).
    /// Never fails the commit: it is already durable.
    pub(super) fn record_audit_head(&self) {
        match self.check_recorded_head() {
            Ok(HeadCheck::Matches { .. }) => {}
            Ok(HeadCheck::NotKept) => return,
            Ok(other) => {
                tracing::warn!(
                    ?other,
                    "audit head outside the store not moved: the chain differs"
                );
                return;
            }
            Err(e) => {
                tracing::warn!("audit head not recorded: {e}");
                return;
            }
        }
        if let Err(e) = self.write_recorded_head(false) {
            tracing::warn!("audit head not recorded: {e}");
        }
    }

    /// Records the store's head as it is now, whatever was recorded before, durably: after
    /// a restore, whose audited entry makes the restored chain the trusted one.
    pub fn reset_recorded_head(&self) -> Result<(), StoreError> {
        let dir = keys_dir_of(self.path());
        make_private_dir(&dir)?;
        self.write_recorded_head(true)?;
        sync_dir(&dir);
        Ok(())
    }

    /// Overwrites the fixed-size head record in place (one small write; synced on request).
    fn write_recorded_head(&self, sync: bool) -> Result<(), StoreError> {
        let (seq, hash) = self.audit_head()?;
        let path = keys_dir_of(self.path()).join(HEAD_FILE);
        let io = |e| StoreError::from_io(&path, e);
        let mut file = private_options()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        file.write_all(&encode_head(seq, &hash)).map_err(io)?;
        if sync {
            file.sync_data().map_err(io)?;
        }
        Ok(())
    }
}

fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Writes a new file through a temporary name, synced, so a kill leaves none or all of it.
fn write_new_file(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |e| StoreError::from_io(path, e);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut file = private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    make_private_file(path)
}

fn make_private_dir(dir: &Path) -> Result<(), StoreError> {
    let io = |e| StoreError::from_io(dir, e);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io)?;
        let mode = std::fs::metadata(dir).map_err(io)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(io)?;
    Ok(())
}

fn make_private_file(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let io = |e| StoreError::from_io(path, e);
        let mode = std::fs::metadata(path).map_err(io)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mut mac = <ArchiveMac as Mac>::new_from_slice(b"Jefe").expect("any key");
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn head_record_round_trips_and_refuses_a_torn_one() {
        let rec = encode_head(42, &[7; 32]);
        assert_eq!(decode_head(&rec), Some((42, [7; 32])));
        let mut torn = rec;
        torn[20] ^= 1;
        assert_eq!(decode_head(&torn), None);
    }

    #[test]
    fn key_file_round_trips_and_its_id_is_not_the_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = BureauKey::generate();
        let path = dir.path().join("k");
        std::fs::write(&path, key.file_text()).expect("write");
        let back = BureauKey::load(&path).expect("loads");
        assert_eq!(back, key);
        assert!(!key.file_text().contains(&key.id()));
        std::fs::write(&path, "not a key").expect("write");
        assert!(matches!(BureauKey::load(&path), Err(KeyError::NotAKey(_))));
    }
}
