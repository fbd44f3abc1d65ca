//! Schema versions and the steps between them, run on open.

use super::{Actor, Change, Index, Store, StoreError, Write, META_SCHEMA};
use beatbook_model::Visit;

/// The layout this build writes.
///
/// - 1: visit indexes keyed by (owner, due, id).
/// - 2: visit indexes keyed by (owner, status, due, id), so Today's list of owed visits is
///   one contiguous range however much history a station has.
/// - 3: visit and person-by-station index entries carry a summary of their record, so
///   Today is built from the indexes alone.
/// - 4: disputes; visit summaries carry status and due date; visits indexed by dispute.
/// - 5: watch-list flags and alerts; visits indexed by person.
/// - 6: flag-by-station entries carry a compact list row; person summaries carry the
///   birth year and masked ID number that tell namesakes apart; visits say whether the
///   watch-list rhythm scheduled them; supervision findings, indexed by (station,
///   status) and by target; dispute and flag events indexed by (station, time), for
///   the monthly statistics.
/// - 7: tallies for the monthly statistics: disputes received and resolved per
///   (station, UTC hour), visits per (station, due date, officer, status); flags carry
///   the listed person's name, village, birth year and masked ID.
/// - 8: dispute index entries (by station, by party) carry the register row in a binary
///   layout instead of JSON.
/// - 9: the audit chain and the change log are stored in blocks of consecutive entries
///   ([`super::packed_log`]); the station and officer visit indexes hold owed visits
///   only; records of the larger kinds are written LZ4-compressed against a dictionary
///   ([`super::record_bytes`]; JSON records of older stores stay as they are until next
///   written).
/// - 10: the visits of a person and of a dispute, and the dispute events of a station and
///   4.7-hour slice, are stored as groups, one sled key each ([`super::index_groups`]).
/// - 11: persons-by-station entries carry the person's search keys (whole ID and phone
///   numbers, merged or not), so the person search is built from that index alone.
pub const SCHEMA_VERSION: u32 = 11;

/// The indexes whose layout changed in each version after 7: a store one step behind
/// rebuilds only these (read from their own kind of record), not every index.
const CHANGED_AFTER_7: [(u32, &[Index]); 4] = [
    (8, &[Index::DisputeByStation, Index::DisputeByParty]),
    (9, &[Index::VisitByStation, Index::VisitByOfficer]),
    (
        10,
        &[
            Index::VisitByPerson,
            Index::VisitByDispute,
            Index::DisputeEventByStation,
        ],
    ),
    (11, &[Index::PersonByStation]),
];

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
    if (7..SCHEMA_VERSION).contains(&found) {
        let changed: Vec<Index> = CHANGED_AFTER_7
            .iter()
            .filter(|(version, _)| *version > found)
            .flat_map(|(_, indexes)| indexes.iter().copied())
            .collect();
        tracing::info!(
            from = found,
            to = SCHEMA_VERSION,
            ?changed,
            "migrating store"
        );
        if !changed.is_empty() {
            store.rebuild_these_indexes(&changed)?;
        }
    } else if found < SCHEMA_VERSION {
        // Every step up to 7 changes index layouts, which one rebuild from the records
        // produces; 5→6 and 6→7 also fill in new record fields afterwards.
        tracing::info!(
            from = found,
            to = SCHEMA_VERSION,
            "migrating store: rebuilding indexes"
        );
        store.rebuild_indexes()?;
        if found == 5 {
            mark_rolling_visits(store)?;
        }
        if found <= 6 {
            let n = store
                .refresh_flag_copies("store.migrate.flag_person_copies", chrono::Utc::now())?;
            tracing::info!(
                refreshed = n,
                "migration: flags' copies of their persons filled"
            );
        }
    }
    if found < 9 {
        let packed = store.pack_all_logs()?;
        tracing::info!(packed, "migration: audit and change-log entries packed");
    }
    if found != SCHEMA_VERSION || store.meta().get(META_SCHEMA)?.is_none() {
        store
            .meta()
            .insert(META_SCHEMA, SCHEMA_VERSION.to_be_bytes().as_slice())?;
        store.flush()?;
    }
    Ok(())
}

/// How the watch list named its rolling visits before version 6, when visits did not yet
/// say that the level's rhythm scheduled them.
const LEGACY_ROLLING_PURPOSE: &str = "重点人员定期走访（";

/// 5→6: marks the visits the watch list scheduled by rhythm (person only, no dispute, the
/// purpose the service gave them) as rolling, so that level changes and removals keep
/// re-planning them and leave visits arranged by hand alone. Audited as a system change.
fn mark_rolling_visits(store: &Store) -> Result<usize, StoreError> {
    let change = Change::new(
        "store.migrate.rolling_visits",
        &Actor::system(),
        chrono::Utc::now(),
    );
    let legacy = store.all::<Visit>().filter_map(|visit| match visit {
        Ok(visit)
            if !visit.rolling
                && visit.subject.dispute.is_none()
                && visit.subject.person.is_some()
                && visit.purpose.starts_with(LEGACY_ROLLING_PURPOSE) =>
        {
            let mut visit = visit;
            visit.rolling = true;
            Some(Ok(Write::Put(Box::new(visit.into()))))
        }
        Ok(_) => None,
        Err(e) => Some(Err(e)),
    });
    let marked = store.commit_in_batches(change, legacy)?;
    tracing::info!(marked, "migration: rolling watch-list visits marked");
    Ok(marked)
}
