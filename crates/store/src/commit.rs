//! The write path: a [`Change`] becomes one sled transaction over the records, their
//! index entries, the audit chain and the change log (then a flush, for [`Store::commit`]).

use super::*;

impl Store {
    /// Applies one business transaction atomically and durably. Returns the records as
    /// stored (new revision, timestamps, last changed by).
    pub fn commit(&self, change: &Change) -> Result<Vec<AnyRecord>, StoreError> {
        let saved = self.transact(|tx| self.apply(tx, change))?;
        self.flush()?;
        self.record_audit_head();
        Ok(saved)
    }

    /// Like [`Store::commit`] but without the flush, for bulk loads that flush once at the
    /// end (`seed`, `demo`). Not for interactive writes.
    pub fn commit_unflushed(&self, change: &Change) -> Result<Vec<AnyRecord>, StoreError> {
        self.transact(|tx| self.apply(tx, change))
    }

    /// Runs `f` as one transaction over every tree; a refusal `f` aborts with is
    /// returned as it is, a storage failure names the store's folder.
    pub(crate) fn transact<T>(
        &self,
        f: impl Fn(&[TransactionalTree]) -> TxResult<T>,
    ) -> Result<T, StoreError> {
        match self.trees.as_slice().transaction(|tx| f(tx)) {
            Ok(done) => Ok(done),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(StoreError::from(e).located(&self.path)),
        }
    }

    /// Commits `writes` under `change`'s action and detail in transactions of at most
    /// [`BATCH_WRITES`] writes (store-wide rewrites: migrations, repairs), then flushes
    /// once. Returns how many writes were committed.
    pub(crate) fn commit_in_batches(
        &self,
        mut change: Change,
        writes: impl Iterator<Item = Result<Write, StoreError>>,
    ) -> Result<usize, StoreError> {
        let mut committed = 0;
        for write in writes {
            change.writes.push(write?);
            if change.writes.len() == BATCH_WRITES {
                self.commit_unflushed(&change)?;
                committed += change.writes.len();
                change.writes.clear();
            }
        }
        if !change.writes.is_empty() {
            self.commit_unflushed(&change)?;
            committed += change.writes.len();
        }
        self.flush()?;
        Ok(committed)
    }

    pub(crate) fn apply(
        &self,
        tx: &[TransactionalTree],
        change: &Change,
    ) -> TxResult<Vec<AnyRecord>> {
        self.apply_noting(tx, change, None)
    }

    /// [`Store::apply`], also noting in `replaced`, for each write in order, the stored
    /// version it replaced (None: the record was new). The import journal keeps these to
    /// undo an interrupted import; apply reads them anyway, so noting them here saves the
    /// journal a second read of every record.
    pub(crate) fn apply_noting(
        &self,
        tx: &[TransactionalTree],
        change: &Change,
        mut replaced: Option<&mut Vec<Replaced>>,
    ) -> TxResult<Vec<AnyRecord>> {
        let mut head = audit::read_head(&tx[T_META])?;
        let mut change_seq = read_u64(&tx[T_META], META_CHANGE_SEQ)?;
        let mut saved = Vec::with_capacity(change.writes.len());
        // Both logs are written once at the end, packed (see [`packed_log`]).
        let mut audit_out = Vec::with_capacity(change.writes.len().max(1));
        let mut changes_out = Vec::with_capacity(change.writes.len());
        if change.writes.is_empty() {
            let entry = audit::entry(&head, change, None);
            head = audit::seal_into(&mut audit_out, entry)?;
        }
        for write in &change.writes {
            match write {
                Write::Put(record) => {
                    let mut record = (**record).clone();
                    let kind = record.kind();
                    let id = record.meta().id;
                    let tree = &tx[FIXED_TREES + kind.position()];
                    let old = tree.get(id.to_bytes())?;
                    if let Some(replaced) = replaced.as_deref_mut() {
                        replaced.push((kind, id, old.clone()));
                    }
                    let expected = record.meta().revision;
                    let old = match old {
                        Some(bytes) => {
                            let old = AnyRecord::decode(kind, &bytes).or_else(abort)?;
                            if old.meta().revision != expected {
                                return abort(StoreError::Conflict { kind, id });
                            }
                            record.meta_mut().created_at = old.meta().created_at;
                            Some(old)
                        }
                        None if expected != 0 => return abort(StoreError::Conflict { kind, id }),
                        None => None,
                    };
                    {
                        let meta = record.meta_mut();
                        meta.revision = expected + 1;
                        meta.updated_at = change.at;
                        meta.changed_by = change.actor.id;
                    }
                    self.replace_record(tx, old.as_ref(), &record)?;
                    change_seq += 1;
                    changes_out.push(stored_change(&ChangeLogEntry {
                        seq: change_seq,
                        kind,
                        id,
                        revision: record.meta().revision,
                        deleted: false,
                        remote: false,
                    })?);
                    let entry = audit::entry(&head, change, Some((&record, false)));
                    head = audit::seal_into(&mut audit_out, entry)?;
                    saved.push(record);
                }
                Write::Delete { kind, id, revision } => {
                    let tree = &tx[FIXED_TREES + kind.position()];
                    let Some(bytes) = tree.remove(id.to_bytes().to_vec())? else {
                        return abort(StoreError::NotFound {
                            kind: *kind,
                            id: *id,
                        });
                    };
                    if let Some(replaced) = replaced.as_deref_mut() {
                        replaced.push((*kind, *id, Some(bytes.clone())));
                    }
                    let mut old = AnyRecord::decode(*kind, &bytes).or_else(abort)?;
                    if old.meta().revision != *revision {
                        return abort(StoreError::Conflict {
                            kind: *kind,
                            id: *id,
                        });
                    }
                    for entry in old.index_entries() {
                        self.remove_entry(tx, entry)?;
                    }
                    change_seq += 1;
                    changes_out.push(stored_change(&ChangeLogEntry {
                        seq: change_seq,
                        kind: *kind,
                        id: *id,
                        revision: revision + 1,
                        deleted: true,
                        remote: false,
                    })?);
                    // The deletion is the record's last revision, in the audit log as in
                    // the change log.
                    old.meta_mut().revision = revision + 1;
                    let entry = audit::entry(&head, change, Some((&old, true)));
                    head = audit::seal_into(&mut audit_out, entry)?;
                }
            }
        }
        packed_log::append(&tx[T_AUDIT], &audit_out)?;
        packed_log::append(&tx[T_CHANGES], &changes_out)?;
        audit::write_head(&tx[T_META], &head)?;
        tx[T_META].insert(META_CHANGE_SEQ, change_seq.to_be_bytes().to_vec())?;
        Ok(saved)
    }

    /// Stores `record` in place of `old` (None: a new record): the old index entries and
    /// tally counts out, the new ones in (a unique index refusing a value held by another
    /// record), then the record itself.
    pub(crate) fn replace_record(
        &self,
        tx: &[TransactionalTree],
        old: Option<&AnyRecord>,
        record: &AnyRecord,
    ) -> TxResult<()> {
        let id = record.meta().id;
        if let Some(old) = old {
            for entry in old.index_entries() {
                self.remove_entry(tx, entry)?;
            }
        }
        for entry in record.index_entries() {
            let itree = &tx[self.index_pos(entry.index)];
            if entry.index.is_tally() {
                let sum = tally::apply(
                    itree.get(&entry.key)?.as_deref(),
                    &entry.payload,
                    tally::Direction::Add,
                )
                .or_else(abort)?;
                if let Some(sum) = sum {
                    itree.insert(entry.key, sum)?;
                }
                continue;
            }
            if entry.index.is_unique() {
                if let Some(existing) = itree.get(&entry.key)? {
                    if existing.as_ref() != id.to_bytes() {
                        return abort(StoreError::Duplicate {
                            index: entry.index,
                            value: String::from_utf8_lossy(&entry.key).into_owned(),
                            existing: Id::from_slice(&existing),
                        });
                    }
                }
            }
            let value = entry.stored_value(id);
            if let Some((group, member)) = index_groups::split(entry.index, &entry.key) {
                let stored = itree.get(group)?;
                let grouped =
                    index_groups::with_member(entry.index, stored.as_deref(), member, &value)
                        .or_else(abort)?;
                itree.insert(group, grouped)?;
                continue;
            }
            itree.insert(entry.key, value)?;
        }
        let tree = &tx[FIXED_TREES + record.kind().position()];
        tree.insert(id.to_bytes().to_vec(), record.encode().or_else(abort)?)?;
        Ok(())
    }

    /// Takes a record's old entry out of its index: removes the key (or the member from
    /// its group), or for a tally subtracts the entry's counters (removing the key when
    /// they reach zero).
    pub(crate) fn remove_entry(
        &self,
        tx: &[TransactionalTree],
        entry: records::IndexEntry,
    ) -> TxResult<()> {
        let itree = &tx[self.index_pos(entry.index)];
        if let Some((group, member)) = index_groups::split(entry.index, &entry.key) {
            let stored = itree.get(group)?;
            match index_groups::without_member(entry.index, stored.as_deref(), member)
                .or_else(abort)?
            {
                Some(rest) => itree.insert(group, rest)?,
                None => itree.remove(group)?,
            };
            return Ok(());
        }
        if !entry.index.is_tally() {
            itree.remove(entry.key)?;
            return Ok(());
        }
        let stored = itree.get(&entry.key)?;
        match tally::apply(
            stored.as_deref(),
            &entry.payload,
            tally::Direction::Subtract,
        )
        .or_else(abort)?
        {
            Some(sum) => itree.insert(entry.key, sum)?,
            None => itree.remove(entry.key)?,
        };
        Ok(())
    }
}

/// A record a write replaced: its kind, its id and its stored bytes before the write
/// (None when the write created it).
pub(crate) type Replaced = (Kind, Id, Option<sled::IVec>);

pub(crate) fn read_u64(tree: &TransactionalTree, key: &[u8]) -> TxResult<u64> {
    Ok(match tree.get(key)? {
        Some(v) => {
            let arr: [u8; 8] = v.as_ref().try_into().or_else(|_| {
                abort(StoreError::Corrupt(format!(
                    "meta key {} is not a counter",
                    String::from_utf8_lossy(key)
                )))
            })?;
            u64::from_be_bytes(arr)
        }
        None => 0,
    })
}

pub(crate) fn log_change(tree: &TransactionalTree, entry: &ChangeLogEntry) -> TxResult<()> {
    packed_log::append(tree, &[stored_change(entry)?])
}

/// A change-log entry as stored, with its sequence number.
fn stored_change(entry: &ChangeLogEntry) -> TxResult<packed_log::LogEntry> {
    let bytes = serde_json::to_vec(entry)
        .or_else(|e| abort(StoreError::Corrupt(format!("change log: {e}"))))?;
    Ok((entry.seq, bytes))
}
