//! Reading the audit chain (pages, newest first, verification) and the change log.

use super::*;

impl Store {
    /// The audit log in order.
    pub fn audit_entries(&self) -> impl Iterator<Item = Result<AuditEntry, StoreError>> + '_ {
        packed_log::forward(&self.trees[T_AUDIT], 0).map(|item| decode_audit(&item?.1))
    }

    /// Audit entries from the newest down, starting below sequence number `below` (all
    /// when None): the viewer reads a page at a time, never the whole log.
    pub fn audit_newest_first(
        &self,
        below: Option<u64>,
    ) -> impl Iterator<Item = Result<AuditEntry, StoreError>> + '_ {
        packed_log::backward(&self.trees[T_AUDIT], below.unwrap_or(u64::MAX))
            .map(|item| decode_audit(&item?.1))
    }

    /// Checks the whole audit chain; returns the number of entries or the first problem.
    pub fn verify_audit(&self) -> Result<Result<u64, AuditProblem>, StoreError> {
        audit::verify(&self.trees[T_AUDIT], &self.trees[T_META], None)
    }

    /// Checks the last `n` entries of the audit chain against the stored head (on open).
    pub fn verify_audit_tail(&self, n: usize) -> Result<Result<u64, AuditProblem>, StoreError> {
        audit::verify(&self.trees[T_AUDIT], &self.trees[T_META], Some(n))
    }

    /// The change log from sequence `after` (exclusive), for a later sync.
    pub fn changes_since(
        &self,
        after: u64,
    ) -> impl Iterator<Item = Result<ChangeLogEntry, StoreError>> + '_ {
        packed_log::forward(&self.trees[T_CHANGES], after.saturating_add(1)).map(|item| {
            serde_json::from_slice(&item?.1)
                .map_err(|e| StoreError::Corrupt(format!("change log: {e}")))
        })
    }

    /// Packs every run of single entries of both logs (the step to schema 9).
    pub(crate) fn pack_all_logs(&self) -> Result<usize, StoreError> {
        let packed = packed_log::pack_from(&self.trees[T_AUDIT], 0)?.packed
            + packed_log::pack_from(&self.trees[T_CHANGES], 0)?.packed;
        self.flush()?;
        Ok(packed)
    }

    /// Packs the entries both logs gained one by one since the last pack (see
    /// [`packed_log`]); [`Store::settle`] runs it after an open. Returns how many.
    pub(crate) fn pack_logs(&self) -> Result<usize, StoreError> {
        Ok(
            packed_log::pack_trailing(&self.trees[T_AUDIT], self.meta(), META_AUDIT_PACKED)?
                + packed_log::pack_trailing(
                    &self.trees[T_CHANGES],
                    self.meta(),
                    META_CHANGES_PACKED,
                )?,
        )
    }

    /// The sequence number of the newest change-log entry (0 on an empty store): a cheap
    /// way for a reader that follows the log (the person search index) to see whether
    /// anything was written since it last looked.
    pub fn last_change_seq(&self) -> Result<u64, StoreError> {
        match self.meta().get(META_CHANGE_SEQ)? {
            Some(v) => {
                let bytes: [u8; 8] = v.as_ref().try_into().map_err(|_| {
                    StoreError::Corrupt("meta key change_seq is not a counter".into())
                })?;
                Ok(u64::from_be_bytes(bytes))
            }
            None => Ok(0),
        }
    }
}

/// Where the next pack of each log starts (see [`packed_log::pack_trailing`]).
const META_AUDIT_PACKED: &[u8] = b"audit_packed_from";
const META_CHANGES_PACKED: &[u8] = b"changes_packed_from";

fn decode_audit(bytes: &[u8]) -> Result<AuditEntry, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("audit entry: {e}")))
}
