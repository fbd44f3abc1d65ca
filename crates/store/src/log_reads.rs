//! Reading the audit chain (pages, newest first, verification) and the change log.

use super::*;

impl Store {
    /// The audit log in order.
    pub fn audit_entries(
        &self,
    ) -> impl DoubleEndedIterator<Item = Result<AuditEntry, StoreError>> + '_ {
        self.trees[T_AUDIT].iter().values().map(|v| {
            let v = v?;
            serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt(format!("audit entry: {e}")))
        })
    }

    /// Audit entries from the newest down, starting below sequence number `below` (all
    /// when None): the viewer reads a page at a time, never the whole log.
    pub fn audit_newest_first(
        &self,
        below: Option<u64>,
    ) -> impl Iterator<Item = Result<AuditEntry, StoreError>> + '_ {
        let end = below.unwrap_or(u64::MAX);
        self.trees[T_AUDIT]
            .range(..end.to_be_bytes())
            .values()
            .rev()
            .map(|v| {
                let v = v?;
                serde_json::from_slice(&v)
                    .map_err(|e| StoreError::Corrupt(format!("audit entry: {e}")))
            })
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
        self.trees[T_CHANGES]
            .range((after + 1).to_be_bytes()..)
            .values()
            .map(|v| {
                let v = v?;
                serde_json::from_slice(&v)
                    .map_err(|e| StoreError::Corrupt(format!("change log: {e}")))
            })
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
