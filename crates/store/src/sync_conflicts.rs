//! Versions kept aside by sync and the decisions people make on them: the terminal's own
//! and the station's open conflicts from the hub (refreshed each round), a decision as a
//! change on top of the record with the conflict closed in the same transaction, and
//! what the hub has still to hear of it.

use super::*;
use sync::{CONFLICT_PREFIX, DECIDES_PREFIX, RESOLVED_PREFIX};

impl Store {
    pub(crate) fn keep_conflict(
        &self,
        key: &str,
        conflict: &SyncConflict,
    ) -> Result<(), StoreError> {
        let mut k = CONFLICT_PREFIX.to_vec();
        k.extend_from_slice(key.as_bytes());
        let bytes = serde_json::to_vec(conflict)
            .map_err(|e| StoreError::Corrupt(format!("conflict: {e}")))?;
        self.meta().insert(k, bytes)?;
        Ok(())
    }

    /// A record pulled and stored at last: versions of it this store had kept aside
    /// (`local-…`) are settled.
    pub(crate) fn drop_local_conflicts(&self, id: Id) -> Result<(), StoreError> {
        let mut prefix = CONFLICT_PREFIX.to_vec();
        prefix.extend_from_slice(format!("local-{id}-").as_bytes());
        for item in self.meta().scan_prefix(prefix) {
            let (k, _) = item?;
            self.meta().remove(k)?;
        }
        Ok(())
    }

    /// Every version kept aside, oldest first.
    pub fn sync_conflicts(&self) -> Result<Vec<SyncConflict>, StoreError> {
        let mut out = Vec::new();
        for item in self.meta().scan_prefix(CONFLICT_PREFIX) {
            let (k, v) = item?;
            let mut conflict: SyncConflict = serde_json::from_slice(&v)
                .map_err(|e| StoreError::Corrupt(format!("conflict: {e}")))?;
            conflict.key = String::from_utf8_lossy(&k[CONFLICT_PREFIX.len()..]).into_owned();
            out.push(conflict);
        }
        out.sort_by_key(|c: &SyncConflict| c.at);
        Ok(out)
    }

    /// How many versions are kept aside (the status bar's count, read every second:
    /// the keys only).
    pub fn sync_conflict_count(&self) -> usize {
        self.meta().scan_prefix(CONFLICT_PREFIX).keys().count()
    }

    /// One version kept aside, by its key.
    pub fn sync_conflict(&self, key: &str) -> Result<Option<SyncConflict>, StoreError> {
        let mut k = CONFLICT_PREFIX.to_vec();
        k.extend_from_slice(key.as_bytes());
        let Some(v) = self.meta().get(k)? else {
            return Ok(None);
        };
        let mut conflict: SyncConflict = serde_json::from_slice(&v)
            .map_err(|e| StoreError::Corrupt(format!("conflict: {e}")))?;
        conflict.key = key.to_string();
        Ok(Some(conflict))
    }

    /// Makes the hub's conflicts kept here the hub's open ones of this terminal's scope
    /// (`open`, fetched this round): new ones appear, ones decided on any terminal go.
    /// A decision made here that the hub has not heard of yet stays decided.
    pub fn refresh_hub_conflicts(&self, open: &[SyncConflict]) -> Result<(), StoreError> {
        let pending: std::collections::HashSet<i64> = self
            .resolutions_pending()?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut batch = sled::Batch::default();
        // Nothing written (and no flush) when the hub's list is the one kept: most rounds.
        let mut changed = false;
        let wanted: std::collections::HashSet<String> = open
            .iter()
            .filter_map(|c| c.hub_id)
            .filter(|id| !pending.contains(id))
            .map(hub_key)
            .collect();
        let mut held = std::collections::HashMap::new();
        for item in self.meta().scan_prefix(CONFLICT_PREFIX) {
            let (k, v) = item?;
            let key = String::from_utf8_lossy(&k[CONFLICT_PREFIX.len()..]).into_owned();
            if key.starts_with("hub-") && !wanted.contains(&key) {
                batch.remove(k);
                changed = true;
            } else {
                held.insert(key, v);
            }
        }
        for conflict in open {
            let Some(id) = conflict.hub_id else { continue };
            if pending.contains(&id) {
                continue;
            }
            let key = hub_key(id);
            let bytes = serde_json::to_vec(conflict)
                .map_err(|e| StoreError::Corrupt(format!("conflict: {e}")))?;
            if held
                .get(&key)
                .is_some_and(|v| v.as_ref() == bytes.as_slice())
            {
                continue;
            }
            let mut k = CONFLICT_PREFIX.to_vec();
            k.extend_from_slice(key.as_bytes());
            batch.insert(k, bytes);
            changed = true;
        }
        if !changed {
            return Ok(());
        }
        self.meta().apply_batch(batch)?;
        self.flush()
    }

    /// Decides a kept-aside version: `change` (the record as decided, or no write when
    /// the version already stored stands) is committed and the conflict closed in one
    /// transaction; the hub hears of it at the next round. `resolution` is what the hub
    /// records (`kept`, `hub`, `fields`).
    pub fn resolve_conflict(
        &self,
        key: &str,
        change: &Change,
        resolution: &str,
    ) -> Result<Vec<AnyRecord>, StoreError> {
        let Some(conflict) = self.sync_conflict(key)? else {
            return Err(StoreError::Corrupt(format!("no conflict {key}")));
        };
        let mut conflict_key = CONFLICT_PREFIX.to_vec();
        conflict_key.extend_from_slice(key.as_bytes());
        let saved = self.transact(|tx| {
            let saved = self.apply(tx, change)?;
            if tx[T_META].remove(conflict_key.clone())?.is_none() {
                // Decided meanwhile (another window, or the round closed it).
                return abort(StoreError::Conflict {
                    kind: conflict.kind,
                    id: conflict.id,
                });
            }
            if let Some(hub_id) = conflict.hub_id {
                let mut k = RESOLVED_PREFIX.to_vec();
                k.extend_from_slice(&hub_id.to_be_bytes());
                tx[T_META].insert(k, resolution.as_bytes().to_vec())?;
                if !change.writes.is_empty() {
                    let mut k = DECIDES_PREFIX.to_vec();
                    k.extend_from_slice(&conflict.id.to_bytes());
                    let mut v = hub_id.to_be_bytes().to_vec();
                    v.extend_from_slice(resolution.as_bytes());
                    tx[T_META].insert(k, v)?;
                }
            }
            Ok(saved)
        })?;
        self.flush()?;
        self.record_audit_head();
        Ok(saved)
    }

    /// The hub conflict a pending decision's write to record `id` decides.
    pub(crate) fn decision_for(&self, id: Id) -> Result<Option<(i64, String)>, StoreError> {
        let mut k = DECIDES_PREFIX.to_vec();
        k.extend_from_slice(&id.to_bytes());
        let Some(v) = self.meta().get(k)? else {
            return Ok(None);
        };
        let (n, how) = v.split_at(8.min(v.len()));
        let n: [u8; 8] = n
            .try_into()
            .map_err(|_| StoreError::Corrupt("sync_decides value".into()))?;
        Ok(Some((
            i64::from_be_bytes(n),
            String::from_utf8_lossy(how).into_owned(),
        )))
    }

    /// Decisions made here the hub has not heard of: (hub conflict, resolution).
    pub fn resolutions_pending(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut out = Vec::new();
        for item in self.meta().scan_prefix(RESOLVED_PREFIX) {
            let (k, v) = item?;
            let bytes: [u8; 8] = k[RESOLVED_PREFIX.len()..]
                .try_into()
                .map_err(|_| StoreError::Corrupt("sync_resolved key".into()))?;
            out.push((
                i64::from_be_bytes(bytes),
                String::from_utf8_lossy(&v).into_owned(),
            ));
        }
        Ok(out)
    }

    /// The hub has recorded the decision on its conflict `hub_id`.
    pub fn resolution_sent(&self, hub_id: i64) -> Result<(), StoreError> {
        let mut k = RESOLVED_PREFIX.to_vec();
        k.extend_from_slice(&hub_id.to_be_bytes());
        self.meta().remove(k)?;
        self.flush()
    }
}

pub(crate) fn hub_key(id: i64) -> String {
    format!("hub-{id:020}")
}
