//! Schema versions and the steps between them, run on open.

use super::{Store, StoreError, META_SCHEMA};

/// The layout this build writes.
///
/// - 1: visit indexes keyed by (owner, due, id).
/// - 2: visit indexes keyed by (owner, status, due, id), so Today's list of owed visits is
///   one contiguous range however much history a station has.
/// - 3: visit and person-by-station index entries carry a summary of their record, so
///   Today is built from the indexes alone.
/// - 4: disputes; visit summaries carry status and due date; visits indexed by dispute.
/// - 5: watch-list flags and alerts; visits indexed by person.
/// - 6: dispute and flag events indexed by (station, time), for the monthly statistics.
pub const SCHEMA_VERSION: u32 = 6;

pub(super) fn run(store: &Store) -> Result<(), StoreError> {
    let found = match store.meta().get(META_SCHEMA)? {
        Some(v) => {
            let arr: [u8; 4] = v
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("schema version".into()))?;
            u32::from_be_bytes(arr)
        }
        // A store with records but no version predates versioning: treat it as version 1.
        None if store.is_empty() && store.count(super::Kind::Person) == 0 => SCHEMA_VERSION,
        None => 1,
    };
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        // Every step so far (1→2→3→4→5→6) changed only index layouts, which one rebuild
        // from the records produces.
        tracing::info!(
            from = found,
            to = SCHEMA_VERSION,
            "migrating store: rebuilding indexes"
        );
        store.rebuild_indexes()?;
    }
    if found != SCHEMA_VERSION || store.meta().get(META_SCHEMA)?.is_none() {
        store
            .meta()
            .insert(META_SCHEMA, SCHEMA_VERSION.to_be_bytes().as_slice())?;
        store.flush()?;
    }
    Ok(())
}
