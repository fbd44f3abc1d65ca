//! What the bureau hub's sync needs of the store, and nothing of the network: the outbox
//! (this terminal's changes the hub has not acknowledged), writes pulled from the hub, the
//! answers to a push, and the terminal's place in both directions.
//!
//! The versions kept aside and the decisions on them are in `sync_conflicts`.
//!
//! Sync state lives in the meta tree so that it is in every transaction, every archive and
//! every restore together with the records it describes:
//! - `sync_pushed`: the newest change-log sequence the hub has acknowledged;
//! - `sync_cursor`: the newest hub sequence pulled;
//! - `sync_base/<id>`: the revision of a record as the hub last had it — the base a change
//!   pushed from here names, and what tells a pulled version from a local unpushed edit;
//! - `sync_conflict/<key>`: a version the hub did not take (or that this store could not
//!   take), kept whole until a person decides; `hub-<n>` for the hub's conflict `n` (the
//!   station's open conflicts are refreshed from the hub every round, whichever terminal
//!   pushed them), `local-…` for one found by this store;
//! - `sync_resolved/<n>`: a decision on the hub's conflict `n` made here, in the same
//!   transaction as the record it wrote, until the hub has been told;
//! - `sync_decides/<id>`: the conflict a decision's write to record `id` decides, sent with
//!   the write so that the hub takes it only while no other terminal decided first;
//! - `sync_own_from`: set after a backup older than the hub's record of this terminal was
//!   restored: the terminal's own changes after this sequence come back from the hub with
//!   the next pull (every change this store holds is then on the hub already).

use super::*;
use commit::read_u64;
use sync_conflicts::hub_key;

const META_PUSHED: &[u8] = b"sync_pushed";
const META_CURSOR: &[u8] = b"sync_cursor";
const BASE_PREFIX: &[u8] = b"sync_base/";
pub(crate) const CONFLICT_PREFIX: &[u8] = b"sync_conflict/";
const AUDIT_CHECKED: &[u8] = b"sync_audit_checked";
pub(crate) const RESOLVED_PREFIX: &[u8] = b"sync_resolved/";
pub(crate) const DECIDES_PREFIX: &[u8] = b"sync_decides/";
const OWN_FROM: &[u8] = b"sync_own_from";

/// The writer named on the audit entries of pulled records.
pub const HUB_ACTOR: &str = "hub";

/// One local change on its way to the hub: the record as it is now (the newest revision
/// of the record in the batch; older ones are not sent).
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    /// The change-log sequence of the record's newest change in the batch.
    pub seq: u64,
    pub kind: Kind,
    pub id: Id,
    /// The station that owns the record (None for a deletion: the hub knows it).
    pub station: Option<Id>,
    /// The revision the hub last had (0: the hub has never had it).
    pub base: u64,
    pub revision: u64,
    /// The stored record (JSON); None when it was deleted.
    pub body: Option<serde_json::Value>,
    /// The hub's conflict this change decides, and how (`kept`, `fields`): the hub applies
    /// it only if that conflict is still open, and closes it in the same transaction.
    pub decides: Option<(i64, String)>,
}

/// A batch of the outbox: the changes after `prev` up to `upto` (change-log sequences;
/// entries in between that were pulled, or superseded inside the batch, are not sent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutboxBatch {
    pub prev: u64,
    pub upto: u64,
    pub changes: Vec<Outgoing>,
}

/// A record version from the hub.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    pub kind: Kind,
    pub id: Id,
    pub revision: u64,
    /// The record (JSON); None for a deletion.
    pub body: Option<serde_json::Value>,
}

/// Why a version waits for a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// Both sides changed the record since the version they shared.
    Revision,
    /// The hub refused it: this terminal's station may not write that record.
    NotPermitted,
    /// This store already holds another record with a value that must be unique (an ID
    /// number, a username): the pulled version could not be stored beside it.
    Duplicate,
}

/// A version kept aside, both sides whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncConflict {
    /// Its key in this store (what a decision names); filled when read.
    #[serde(skip)]
    pub key: String,
    /// The hub's number for it (None: found by this store while pulling).
    pub hub_id: Option<i64>,
    /// The hub role of the terminal whose version was kept aside (None: this one).
    #[serde(default)]
    pub terminal: Option<String>,
    /// The fields both sides changed (a revision conflict), as the hub found them.
    #[serde(default)]
    pub fields: Vec<String>,
    pub kind: Kind,
    pub id: Id,
    pub reason: ConflictReason,
    /// This terminal's version (None when it did not have one).
    pub mine: Option<serde_json::Value>,
    /// The other version: the hub's head, or the pulled record this store refused.
    pub theirs: Option<serde_json::Value>,
    pub at: DateTime<Utc>,
}

/// What the hub did with one pushed change.
#[derive(Clone, Debug, PartialEq)]
pub enum PushOutcome {
    /// Applied: the hub's head of the record is now the pushed revision.
    Applied { id: Id, revision: u64 },
    /// The hub merged the pushed change with changes made elsewhere since its base (no
    /// field changed on both sides): `merged` is the new head, which this terminal takes.
    Merged { merged: Box<Incoming> },
    /// Kept on the hub as a conflict; `head` is the hub's version, which this terminal
    /// takes while its own waits for a person.
    Conflict {
        hub_id: i64,
        outgoing: Box<Outgoing>,
        reason: ConflictReason,
        head: Option<Box<Incoming>>,
    },
}

/// What a pulled batch did to this store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PullResult {
    /// Records written.
    pub written: usize,
    /// Pulled versions this store had already (a repeated pull after a kill).
    pub known: usize,
    /// Records with a local change not yet pushed: left as they are; the next push meets
    /// the hub's version as a conflict.
    pub kept_local: usize,
    /// Versions kept aside as conflicts (a unique value held by another record here).
    pub conflicts: usize,
}

impl Store {
    /// After a backup older than the hub's record of this terminal was restored: the hub
    /// has taken this terminal's changes up to `hub_last_seq`, more than this store holds.
    /// Its own later changes are pulled back from the hub (from the sequence it had
    /// pushed when the backup was made), and its next changes are numbered after the
    /// hub's, so that none is taken for one the hub already has.
    pub fn prepare_rejoin(&self, hub_last_seq: u64) -> Result<(), StoreError> {
        let pushed = self.sync_pushed()?;
        let head = self.last_change_seq()?;
        let meta = self.meta();
        meta.insert(OWN_FROM, pushed.to_be_bytes().to_vec())?;
        meta.insert(
            META_CHANGE_SEQ,
            head.max(hub_last_seq).to_be_bytes().to_vec(),
        )?;
        meta.insert(META_PUSHED, pushed.max(hub_last_seq).to_be_bytes().to_vec())?;
        self.flush()
    }

    /// While rejoining: the sequence after which this terminal's own changes are pulled.
    pub fn rejoining_from(&self) -> Result<Option<u64>, StoreError> {
        self.meta()
            .get(OWN_FROM)?
            .map(|_| self.meta_u64(OWN_FROM))
            .transpose()
    }

    /// The pull after a rejoin is complete: own changes are not pulled any more.
    pub fn finish_rejoin(&self) -> Result<(), StoreError> {
        if self.meta().remove(OWN_FROM)?.is_some() {
            self.flush()?;
        }
        Ok(())
    }

    /// The newest change-log sequence the hub has acknowledged.
    pub fn sync_pushed(&self) -> Result<u64, StoreError> {
        self.meta_u64(META_PUSHED)
    }

    /// The newest hub sequence this store has pulled.
    pub fn sync_cursor(&self) -> Result<u64, StoreError> {
        self.meta_u64(META_CURSOR)
    }

    /// How many of this terminal's changes wait for the hub (change-log entries after the
    /// acknowledged one that were written here).
    pub fn sync_waiting(&self) -> Result<u64, StoreError> {
        let mut n = 0;
        for entry in self.changes_since(self.sync_pushed()?) {
            if !entry?.remote {
                n += 1;
            }
        }
        Ok(n)
    }

    /// When the audit chain was last checked against the hub's record of it.
    pub fn audit_checked_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .meta()
            .get(AUDIT_CHECKED)?
            .and_then(|v| std::str::from_utf8(&v).ok().map(str::to_string))
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    pub fn record_audit_checked(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.meta()
            .insert(AUDIT_CHECKED, at.to_rfc3339().into_bytes())?;
        self.flush()
    }

    fn meta_u64(&self, key: &[u8]) -> Result<u64, StoreError> {
        match self.meta().get(key)? {
            Some(v) => {
                let bytes: [u8; 8] = v.as_ref().try_into().map_err(|_| {
                    StoreError::Corrupt(format!(
                        "meta key {} is not a counter",
                        String::from_utf8_lossy(key)
                    ))
                })?;
                Ok(u64::from_be_bytes(bytes))
            }
            None => Ok(0),
        }
    }

    fn base_of(&self, id: Id) -> Result<u64, StoreError> {
        let mut key = BASE_PREFIX.to_vec();
        key.extend_from_slice(&id.to_bytes());
        self.meta_u64(&key)
    }

    /// The next batch of the outbox: at most `limit` change-log entries after the
    /// acknowledged one, each record once, as it is now.
    pub fn outbox(&self, limit: usize) -> Result<OutboxBatch, StoreError> {
        self.outbox_after(self.sync_pushed()?, limit)
    }

    /// Like [`Store::outbox`] from any point of the change log (a whole store's upload
    /// starts at 0 without touching the store's own sync state).
    pub fn outbox_after(&self, prev: u64, limit: usize) -> Result<OutboxBatch, StoreError> {
        let mut upto = prev;
        // The newest local entry of each record in the batch, in log order.
        let mut newest: Vec<ChangeLogEntry> = Vec::new();
        let mut position: std::collections::HashMap<Id, usize> = Default::default();
        for entry in self.changes_since(prev).take(limit) {
            let entry = entry?;
            upto = entry.seq;
            if entry.remote {
                continue;
            }
            match position.get(&entry.id) {
                Some(&i) => newest[i] = entry,
                None => {
                    position.insert(entry.id, newest.len());
                    newest.push(entry);
                }
            }
        }
        newest.sort_by_key(|e| e.seq);
        let mut changes = Vec::with_capacity(newest.len());
        for entry in newest {
            let current = self.kind_tree(entry.kind).get(entry.id.to_bytes())?;
            let current = match current {
                Some(bytes) => Some(AnyRecord::decode(entry.kind, &bytes)?),
                None => None,
            };
            let (station, body) = match (&current, entry.deleted) {
                // A later change (beyond this batch) carries the record.
                (Some(r), false) if r.meta().revision != entry.revision => continue,
                (None, false) => continue,
                (Some(_), true) => continue,
                (Some(r), false) => (Some(r.meta().station), Some(r.to_json()?)),
                (None, true) => (None, None),
            };
            changes.push(Outgoing {
                seq: entry.seq,
                kind: entry.kind,
                id: entry.id,
                station,
                base: self.base_of(entry.id)?,
                revision: entry.revision,
                body,
                decides: self.decision_for(entry.id)?,
            });
        }
        Ok(OutboxBatch {
            prev,
            upto,
            changes,
        })
    }

    /// Takes in the hub's answers to a pushed batch: applied changes become the records'
    /// bases; a conflict is kept whole and the hub's version taken, unless the record was
    /// changed here again meanwhile. Then the batch counts as acknowledged.
    pub fn push_answered(
        &self,
        batch: &OutboxBatch,
        outcomes: &[PushOutcome],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // A decision carried by a pushed change has been answered with it: taken (the
        // conflict closed with it) or kept aside as a new conflict (decided first elsewhere).
        for change in &batch.changes {
            if let Some((hub_id, _)) = &change.decides {
                let mut k = DECIDES_PREFIX.to_vec();
                k.extend_from_slice(&change.id.to_bytes());
                self.meta().remove(k)?;
                let mut k = RESOLVED_PREFIX.to_vec();
                k.extend_from_slice(&hub_id.to_be_bytes());
                self.meta().remove(k)?;
            }
        }
        for outcome in outcomes {
            match outcome {
                PushOutcome::Applied { id, revision } => {
                    let mut key = BASE_PREFIX.to_vec();
                    key.extend_from_slice(&id.to_bytes());
                    self.meta().insert(key, revision.to_be_bytes().to_vec())?;
                }
                PushOutcome::Merged { merged } => {
                    // Taken unless the record was changed here again meanwhile (that
                    // change's push merges again, from this base).
                    let pushed = batch
                        .changes
                        .iter()
                        .find(|c| c.id == merged.id)
                        .map(|c| c.revision);
                    self.apply_incoming(merged, pushed)?;
                }
                PushOutcome::Conflict {
                    hub_id,
                    outgoing,
                    reason,
                    head,
                } => {
                    let conflict = SyncConflict {
                        key: String::new(),
                        hub_id: Some(*hub_id),
                        terminal: None,
                        fields: Vec::new(),
                        kind: outgoing.kind,
                        id: outgoing.id,
                        reason: *reason,
                        mine: outgoing.body.clone(),
                        theirs: head.as_ref().and_then(|h| h.body.clone()),
                        at,
                    };
                    self.keep_conflict(&hub_key(*hub_id), &conflict)?;
                    if let Some(head) = head {
                        // Taken only if the record is still the version pushed.
                        self.apply_incoming(head, Some(outgoing.revision))?;
                    }
                }
            }
        }
        self.meta()
            .insert(META_PUSHED, batch.upto.to_be_bytes().to_vec())?;
        self.flush()?;
        Ok(())
    }

    /// Applies a pulled batch, each record in its own transaction (a record this store
    /// cannot take is kept aside without stopping the others), then moves the cursor to
    /// `cursor` and flushes. Pulling the same batch again changes nothing.
    pub fn apply_pulled(&self, items: &[Incoming], cursor: u64) -> Result<PullResult, StoreError> {
        let mut result = PullResult::default();
        let rejoining = self.rejoining_from()?.is_some();
        for item in items {
            let fate = if rejoining {
                self.apply_rejoining(item)?
            } else {
                self.apply_incoming(item, None)?
            };
            match fate {
                IncomingFate::Written => result.written += 1,
                IncomingFate::Known => result.known += 1,
                IncomingFate::KeptLocal => result.kept_local += 1,
                IncomingFate::Conflict => result.conflicts += 1,
            }
        }
        self.meta()
            .insert(META_CURSOR, cursor.to_be_bytes().to_vec())?;
        self.flush()?;
        Ok(result)
    }

    /// While rejoining every change this store holds is on the hub: a pulled version
    /// newer than the one held is written, the one held is only noted as the base.
    fn apply_rejoining(&self, item: &Incoming) -> Result<IncomingFate, StoreError> {
        let local = self
            .get_any(item.kind, item.id)?
            .map_or(0, |r| r.meta().revision);
        match local.cmp(&item.revision) {
            std::cmp::Ordering::Less => self.apply_incoming(item, Some(local)),
            std::cmp::Ordering::Equal => {
                let mut key = BASE_PREFIX.to_vec();
                key.extend_from_slice(&item.id.to_bytes());
                self.meta()
                    .insert(key, item.revision.to_be_bytes().to_vec())?;
                Ok(IncomingFate::Known)
            }
            std::cmp::Ordering::Greater => Ok(IncomingFate::KeptLocal),
        }
    }

    /// Writes one version from the hub if this store's copy is the one the hub had
    /// before (`only_if_local` overrides that base: after a conflict, the version pushed).
    fn apply_incoming(
        &self,
        item: &Incoming,
        only_if_local: Option<u64>,
    ) -> Result<IncomingFate, StoreError> {
        let base = self.base_of(item.id)?;
        if only_if_local.is_none() && item.revision <= base {
            return Ok(IncomingFate::Known);
        }
        let incoming = match &item.body {
            Some(body) => Some(
                AnyRecord::decode(
                    item.kind,
                    &serde_json::to_vec(body)
                        .map_err(|e| StoreError::Corrupt(format!("pulled record: {e}")))?,
                )
                .map_err(|_| {
                    StoreError::Corrupt(format!("pulled {} {}", item.kind.name(), item.id))
                })?,
            ),
            None => None,
        };
        let trees = self.trees.as_slice();
        let result = trees.transaction(|tx| {
            let tree = &tx[FIXED_TREES + item.kind.position()];
            let old = match tree.get(item.id.to_bytes())? {
                Some(bytes) => Some(AnyRecord::decode(item.kind, &bytes).or_else(abort)?),
                None => None,
            };
            let local = old.as_ref().map_or(0, |r| r.meta().revision);
            let expected_local = only_if_local.unwrap_or(base);
            if local != expected_local {
                return Ok(IncomingFate::KeptLocal);
            }
            match &incoming {
                Some(record) => self.replace_record(tx, old.as_ref(), record)?,
                None => {
                    if let Some(old) = &old {
                        for entry in old.index_entries() {
                            self.remove_entry(tx, entry)?;
                        }
                        tree.remove(item.id.to_bytes().to_vec())?;
                    }
                }
            }
            let seq = read_u64(&tx[T_META], META_CHANGE_SEQ)? + 1;
            commit::log_change(
                &tx[T_CHANGES],
                &ChangeLogEntry {
                    seq,
                    kind: item.kind,
                    id: item.id,
                    revision: item.revision,
                    deleted: incoming.is_none(),
                    remote: true,
                },
            )?;
            tx[T_META].insert(META_CHANGE_SEQ, seq.to_be_bytes().to_vec())?;
            let mut key = BASE_PREFIX.to_vec();
            key.extend_from_slice(&item.id.to_bytes());
            tx[T_META].insert(key, item.revision.to_be_bytes().to_vec())?;
            // The pulled write is in this terminal's audit chain too, by the hub.
            let head = audit::read_head(&tx[T_META])?;
            let change = Change {
                action: "sync.pull".into(),
                detail: String::new(),
                actor: Actor {
                    id: Id::SYSTEM,
                    name: HUB_ACTOR.into(),
                },
                at: Utc::now(),
                station: incoming.as_ref().map(|r| r.meta().station),
                writes: Vec::new(),
            };
            let written = incoming.clone().or(old.clone());
            let entry = audit::entry(
                &head,
                &change,
                written.as_ref().map(|r| (r, incoming.is_none())),
            );
            let head = audit::append(&tx[T_AUDIT], entry)?;
            audit::write_head(&tx[T_META], &head)?;
            Ok(IncomingFate::Written)
        });
        match result {
            Ok(fate) => {
                if matches!(fate, IncomingFate::Written) {
                    self.drop_local_conflicts(item.id)?;
                }
                Ok(fate)
            }
            Err(TransactionError::Abort(StoreError::Duplicate {
                index: Index::PersonByIdNumber,
                ..
            })) if item.kind == Kind::Person => {
                // The same resident registered on another terminal: stored with the ID
                // number held aside (a possible duplicate until a person merges them),
                // so that what refers to it is not left pointing nowhere.
                match hold_id_number(item) {
                    Some(held) => self.apply_incoming(&held, only_if_local),
                    None => Err(StoreError::Corrupt(format!("pulled person {}", item.id))),
                }
            }
            Err(TransactionError::Abort(StoreError::Duplicate { .. })) => {
                let conflict = SyncConflict {
                    key: String::new(),
                    hub_id: None,
                    terminal: None,
                    fields: Vec::new(),
                    kind: item.kind,
                    id: item.id,
                    reason: ConflictReason::Duplicate,
                    mine: None,
                    theirs: item.body.clone(),
                    at: Utc::now(),
                };
                self.keep_conflict(
                    &format!("local-{}-{:020}", item.id, item.revision),
                    &conflict,
                )?;
                // Counted as had: the version is kept aside, the pull goes on.
                let mut key = BASE_PREFIX.to_vec();
                key.extend_from_slice(&item.id.to_bytes());
                self.meta()
                    .insert(key, item.revision.to_be_bytes().to_vec())?;
                Ok(IncomingFate::Conflict)
            }
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(StoreError::from(e).located(&self.path)),
        }
    }
}

/// A pulled person with its ID number moved to `held_id_number` (None when the body is
/// not a person with one).
fn hold_id_number(item: &Incoming) -> Option<Incoming> {
    let mut body = item.body.clone()?;
    let number = body.get("id_number").filter(|v| !v.is_null())?.clone();
    body["held_id_number"] = number;
    body["id_number"] = serde_json::Value::Null;
    Some(Incoming {
        body: Some(body),
        ..item.clone()
    })
}

/// The key of the hub's conflict `id` in this store (sorted by number).
enum IncomingFate {
    Written,
    Known,
    KeptLocal,
    Conflict,
}
