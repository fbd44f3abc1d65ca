//! The audit log: every write appends who, when, what and which record, with a SHA-256
//! hash over the entry and the previous entry's hash, so that editing or removing an
//! entry breaks the chain from there on.

use super::packed_log::{self, LogEntry};
use super::{abort, AnyRecord, Change, Kind, StoreError, TxResult, META_AUDIT_HEAD};
use beatbook_model::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::transaction::TransactionalTree;

/// One audit log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: Id,
    pub actor_name: String,
    pub station: Option<Id>,
    pub action: String,
    pub kind: Option<Kind>,
    pub record: Option<Id>,
    pub revision: Option<u64>,
    #[serde(default)]
    pub deleted: bool,
    pub detail: String,
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of `prev_hash` and this entry's other fields.
    pub hash: String,
}

/// Where the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditProblem {
    /// The entry's own hash does not match its content: it was edited.
    Tampered { seq: u64 },
    /// The entry does not point at the one before it: an entry was removed or inserted.
    Broken { seq: u64 },
    /// The stored head does not match the last entry: the tail was cut off.
    HeadMismatch { seq: u64 },
    /// The entry cannot be read at all.
    Unreadable { seq: u64 },
}

impl AuditProblem {
    /// The sequence number of the entry at fault.
    pub fn seq(&self) -> u64 {
        match self {
            AuditProblem::Tampered { seq }
            | AuditProblem::Broken { seq }
            | AuditProblem::HeadMismatch { seq }
            | AuditProblem::Unreadable { seq } => *seq,
        }
    }
}

/// The last entry's sequence number and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Head {
    seq: u64,
    hash: [u8; 32],
}

pub(super) fn read_head(meta: &TransactionalTree) -> TxResult<Head> {
    match meta.get(META_AUDIT_HEAD)? {
        None => Ok(Head {
            seq: 0,
            hash: [0; 32],
        }),
        Some(v) => decode_head(&v).or_else(abort),
    }
}

fn decode_head(v: &[u8]) -> Result<Head, StoreError> {
    if v.len() != 40 {
        return Err(StoreError::Corrupt("audit head".into()));
    }
    let mut seq = [0u8; 8];
    seq.copy_from_slice(&v[..8]);
    let mut hash = [0u8; 32];
    hash.copy_from_slice(&v[8..]);
    Ok(Head {
        seq: u64::from_be_bytes(seq),
        hash,
    })
}

/// The stored head as (sequence, hash), outside a transaction (zeros when empty).
pub(super) fn stored_head(meta: &sled::Tree) -> Result<(u64, [u8; 32]), StoreError> {
    match meta.get(META_AUDIT_HEAD)? {
        Some(v) => decode_head(&v).map(|h| (h.seq, h.hash)),
        None => Ok((0, [0; 32])),
    }
}

/// The hash field of entry `seq` as stored (None when there is no such entry or it has no
/// readable hash); the chain check says whether the entry matches it.
pub(super) fn hash_at(audit: &sled::Tree, seq: u64) -> Result<Option<[u8; 32]>, StoreError> {
    let Some(value) = packed_log::get(audit, seq)? else {
        return Ok(None);
    };
    let Ok(fields) = serde_json::from_slice::<LinkFields>(&value) else {
        return Ok(None);
    };
    let hash = fields.hash;
    if hash.len() != 64 || !hash.is_ascii() {
        return Ok(None);
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        match u8::from_str_radix(&hash[2 * i..2 * i + 2], 16) {
            Ok(v) => *b = v,
            Err(_) => return Ok(None),
        }
    }
    Ok(Some(out))
}

pub(super) fn write_head(meta: &TransactionalTree, head: &Head) -> TxResult<()> {
    let mut v = Vec::with_capacity(40);
    v.extend_from_slice(&head.seq.to_be_bytes());
    v.extend_from_slice(&head.hash);
    meta.insert(META_AUDIT_HEAD, v)?;
    Ok(())
}

/// The entry for one write of `change` (or for the change itself when it writes nothing).
pub(super) fn entry(
    head: &Head,
    change: &Change,
    record: Option<(&AnyRecord, bool)>,
) -> AuditEntry {
    let (kind, id, revision, station, deleted) = match record {
        Some((r, deleted)) => (
            Some(r.kind()),
            Some(r.meta().id),
            Some(r.meta().revision),
            Some(r.meta().station),
            deleted,
        ),
        None => (None, None, None, change.station, false),
    };
    AuditEntry {
        seq: head.seq + 1,
        at: change.at,
        actor: change.actor.id,
        actor_name: change.actor.name.clone(),
        station: change.station.or(station),
        action: change.action.clone(),
        kind,
        record: id,
        revision,
        deleted,
        detail: change.detail.clone(),
        prev_hash: hex(&head.hash),
        hash: String::new(),
    }
}

/// The hash of an entry: SHA-256 over its JSON with `hash` empty (which includes
/// `prev_hash`, so each hash covers the whole chain before it).
pub fn compute_hash(entry: &AuditEntry) -> Result<[u8; 32], StoreError> {
    let mut body = entry.clone();
    body.hash = String::new();
    let bytes =
        serde_json::to_vec(&body).map_err(|e| StoreError::Corrupt(format!("audit: {e}")))?;
    Ok(Sha256::digest(&bytes).into())
}

/// Appends one entry on its own (a pulled write); a commit of many seals each with
/// [`seal_into`] and appends them together.
pub(super) fn append(tree: &TransactionalTree, entry: AuditEntry) -> TxResult<Head> {
    let mut stored = Vec::with_capacity(1);
    let head = seal_into(&mut stored, entry)?;
    packed_log::append(tree, &stored)?;
    Ok(head)
}

/// Adds the stored form of `entry` to `out`; returns the chain's head after it.
pub(super) fn seal_into(out: &mut Vec<LogEntry>, mut entry: AuditEntry) -> TxResult<Head> {
    let (bytes, hash) = sealed(&mut entry).or_else(abort)?;
    out.push((entry.seq, bytes));
    Ok(Head {
        seq: entry.seq,
        hash,
    })
}

/// The JSON `hash` ends an entry with while it is being hashed (the last field).
const EMPTY_HASH_TAIL: &[u8] = br#""hash":""}"#;

/// The stored form of `entry` and its hash, as [`compute_hash`] defines it. The JSON
/// hashed (with `hash` empty) is the stored JSON but for that last field, so it is
/// written once and the hash set into it: an import appends one entry per record, and a
/// second serialization of each cost as much as the hashing.
fn sealed(entry: &mut AuditEntry) -> Result<(Vec<u8>, [u8; 32]), StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("audit: {e}"));
    entry.hash = String::new();
    let mut bytes = serde_json::to_vec(&*entry).map_err(corrupt)?;
    let hash: [u8; 32] = Sha256::digest(&bytes).into();
    entry.hash = hex(&hash);
    if bytes.ends_with(EMPTY_HASH_TAIL) {
        // Between the quotes of `"hash":""`: hex digits need no escaping.
        let at = bytes.len() - 2;
        bytes.splice(at..at, entry.hash.bytes());
    } else {
        bytes = serde_json::to_vec(&*entry).map_err(corrupt)?;
    }
    Ok((bytes, hash))
}

/// Lower-case hex, as the chain stores its hashes (every entry written or verified
/// formats two: a byte-by-byte `write!` took 2 % of an import).
fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Walks the chain (all of it, or the last `tail` entries) and checks every link and the
/// stored head. Ok(Ok(n)) when `n` entries verified.
pub(super) fn verify(
    audit: &sled::Tree,
    meta: &sled::Tree,
    tail: Option<usize>,
) -> Result<Result<u64, AuditProblem>, StoreError> {
    let head = match meta.get(META_AUDIT_HEAD)? {
        Some(v) => decode_head(&v)?,
        None => Head {
            seq: 0,
            hash: [0; 32],
        },
    };
    let start_seq = match tail {
        Some(n) => head.seq.saturating_sub(n as u64) + 1,
        None => 1,
    };
    let mut prev_hash: Option<String> = None;
    let mut expected_seq = start_seq;
    let mut count = 0;
    for item in packed_log::forward(audit, start_seq) {
        let (seq, value) = item?;
        if seq != expected_seq {
            return Ok(Err(AuditProblem::Broken { seq: expected_seq }));
        }
        let link = match check_entry(seq, &value)? {
            Ok(link) => link,
            Err(problem) => return Ok(Err(problem)),
        };
        let linked = match &prev_hash {
            Some(p) => &link.prev_hash == p,
            None if seq == 1 => link.prev_hash == hex(&[0; 32]),
            None => true,
        };
        if !linked {
            return Ok(Err(AuditProblem::Broken { seq }));
        }
        let entry = link;
        prev_hash = Some(entry.hash);
        expected_seq += 1;
        count += 1;
    }
    let last_ok = match &prev_hash {
        Some(h) => *h == hex(&head.hash) && expected_seq - 1 == head.seq,
        None => head.seq == 0 || start_seq > head.seq,
    };
    if !last_ok {
        return Ok(Err(AuditProblem::HeadMismatch { seq: head.seq }));
    }
    Ok(Ok(count))
}

/// The links of a verified entry.
struct Link {
    prev_hash: String,
    hash: String,
}

/// The fields the chain check needs, borrowed from the stored bytes.
#[derive(Deserialize)]
struct LinkFields<'a> {
    seq: u64,
    #[serde(borrow)]
    prev_hash: &'a str,
    #[serde(borrow)]
    hash: &'a str,
}

/// Checks one stored entry against its own hash: its links when it verifies, else
/// Tampered (edited) or Unreadable (not an entry at all).
///
/// Fast path (a million entries must verify in seconds): the stored bytes are the JSON
/// the hash was computed over, plus the hash itself as the last field; hashing the bytes
/// with that field blanked gives the same digest without decoding and re-encoding the
/// entry. Anything unusual falls back to the full decode and re-encode.
fn check_entry(seq: u64, value: &[u8]) -> Result<Result<Link, AuditProblem>, StoreError> {
    const TAIL: usize = r#","hash":""#.len() + 64 + r#""}"#.len();
    if let Ok(fields) = serde_json::from_slice::<LinkFields>(value) {
        if fields.seq != seq {
            return Ok(Err(AuditProblem::Tampered { seq }));
        }
        if value.len() > TAIL && fields.hash.len() == 64 {
            let (body, tail) = value.split_at(value.len() - TAIL);
            if tail.starts_with(br#","hash":""#) && &tail[9..73] == fields.hash.as_bytes() {
                let mut hasher = Sha256::new();
                hasher.update(body);
                hasher.update(br#","hash":""}"#);
                let digest: [u8; 32] = hasher.finalize().into();
                if hex(&digest) == fields.hash {
                    return Ok(Ok(Link {
                        prev_hash: fields.prev_hash.to_string(),
                        hash: fields.hash.to_string(),
                    }));
                }
            }
        }
    }
    let Ok(entry) = serde_json::from_slice::<AuditEntry>(value) else {
        return Ok(Err(AuditProblem::Unreadable { seq }));
    };
    if entry.seq != seq || hex(&compute_hash(&entry)?) != entry.hash {
        return Ok(Err(AuditProblem::Tampered { seq }));
    }
    Ok(Ok(Link {
        prev_hash: entry.prev_hash,
        hash: entry.hash,
    }))
}

impl beatbook_i18n::Localize for AuditProblem {
    fn localize(&self, lang: beatbook_i18n::Lang) -> String {
        let (seq, zh_what, en_what) = match self {
            AuditProblem::Tampered { seq } => (seq, "内容被改动", "was edited"),
            AuditProblem::Broken { seq } => (
                seq,
                "前后链接断开（有条目被删除或插入）",
                "does not link to the one before (entries removed or inserted)",
            ),
            AuditProblem::HeadMismatch { seq } => {
                (seq, "之后的日志被截断", "is followed by a cut-off tail")
            }
            AuditProblem::Unreadable { seq } => (seq, "无法读取", "cannot be read"),
        };
        match lang {
            beatbook_i18n::Lang::Zh => format!(
                "警告：审计日志校验失败，第 {seq} 条{zh_what}。数据可能被篡改，请立即报告管理员和法制大队。"
            ),
            beatbook_i18n::Lang::En => format!(
                "warning: the audit log does not verify: entry {seq} {en_what}. The data may have been tampered with; tell the administrator and the legal affairs brigade now."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entry written with its hash set in is byte for byte the entry serialized with
    /// the hash, and the hash is [`compute_hash`]'s.
    #[test]
    fn a_sealed_entry_is_the_entry_serialized_with_its_hash() {
        let mut entry = AuditEntry {
            seq: 7,
            at: Utc::now(),
            actor: Id::new(),
            actor_name: "王\"officer\"\n".into(),
            station: Some(Id::new()),
            action: "import.persons".into(),
            kind: Some(Kind::Person),
            record: Some(Id::new()),
            revision: Some(1),
            deleted: false,
            detail: "hash\":\"}".into(),
            prev_hash: hex(&[3; 32]),
            hash: "stale".into(),
        };
        let (bytes, hash) = sealed(&mut entry).expect("sealed");
        assert_eq!(Some(hash), compute_hash(&entry).ok());
        assert_eq!(entry.hash, hex(&hash));
        assert_eq!(bytes, serde_json::to_vec(&entry).expect("json"));
    }
}
