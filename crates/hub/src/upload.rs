//! Filling an empty hub with a whole store (the bureau's data from before the hub), and
//! marking a hub as the demo bureau's: acts of the database's owner, not of a terminal.

use crate::round::Progress;
use crate::{HubAddress, HubError};
use beatbook_store::Store;

/// Fills an empty hub with every record of `store`, as the database's owner (the
/// bureau's data from before the hub). The store itself is not changed: it is the hub's
/// source, not a terminal. Returns how many records were uploaded.
pub fn upload(
    address: &HubAddress,
    store: &Store,
    progress: &mut dyn FnMut(Progress),
) -> Result<usize, HubError> {
    let mut client = address.connect_admin()?;
    crate::schema::check(&mut client)?;
    let held: i64 = client
        .query_one("SELECT count(*) FROM records", &[])
        .map_err(HubError::from_pg)?
        .get(0);
    if held > 0 {
        return Err(HubError::NotEmpty(held as u64));
    }
    let mut prev = 0;
    let mut uploaded = 0;
    loop {
        let batch = store.outbox_after(prev, UPLOAD_BATCH)?;
        if batch.upto == prev {
            break;
        }
        let mut tx = client.transaction().map_err(HubError::from_pg)?;
        let first: i64 = tx
            .query_one(
                "SELECT hub_seq FROM hub_counter WHERE id = 1 FOR UPDATE",
                &[],
            )
            .map_err(HubError::from_pg)?
            .get(0);
        // Every record is new to an empty hub: one statement per table for the batch.
        let n = batch.changes.len();
        let mut ids = Vec::with_capacity(n);
        let mut kinds = Vec::with_capacity(n);
        let mut stations = Vec::with_capacity(n);
        let mut revisions = Vec::with_capacity(n);
        let mut deleted = Vec::with_capacity(n);
        let mut bodies = Vec::with_capacity(n);
        let mut seqs = Vec::with_capacity(n);
        let mut hub_seqs = Vec::with_capacity(n);
        for (i, change) in batch.changes.iter().enumerate() {
            ids.push(change.id.to_string());
            kinds.push(change.kind.name().to_string());
            stations.push(change.station.map(|s| s.to_string()).unwrap_or_default());
            revisions.push(change.revision as i64);
            deleted.push(change.body.is_none());
            bodies.push(change.body.clone());
            seqs.push(change.seq as i64);
            hub_seqs.push(first + 1 + i as i64);
        }
        tx.execute(
            "INSERT INTO records (id, kind, station, revision, deleted, body, hub_seq, terminal) \
             SELECT id, kind, station, revision, deleted, body, hub_seq, session_user \
             FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bool[], \
                         $6::jsonb[], $7::bigint[]) \
                  AS t(id, kind, station, revision, deleted, body, hub_seq)",
            &[
                &ids, &kinds, &stations, &revisions, &deleted, &bodies, &hub_seqs,
            ],
        )
        .map_err(HubError::from_pg)?;
        tx.execute(
            "INSERT INTO changes (terminal, seq, hub_seq, kind, id, station, base, revision, \
             deleted, body, outcome) \
             SELECT session_user, seq, hub_seq, kind, id, station, 0, revision, deleted, body, \
                    'applied' \
             FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
                         $6::bigint[], $7::bool[], $8::jsonb[]) \
                  AS t(seq, hub_seq, kind, id, station, revision, deleted, body)",
            &[
                &seqs, &hub_seqs, &kinds, &ids, &stations, &revisions, &deleted, &bodies,
            ],
        )
        .map_err(HubError::from_pg)?;
        let hub_seq = first + n as i64;
        tx.execute(
            "UPDATE hub_counter SET hub_seq = $1 WHERE id = 1",
            &[&hub_seq],
        )
        .map_err(HubError::from_pg)?;
        tx.commit().map_err(HubError::from_pg)?;
        uploaded += batch.changes.len();
        prev = batch.upto;
        progress(Progress::Pushed(uploaded));
    }
    Ok(uploaded)
}

/// Marks the hub as holding the demo bureau (`hub demo`), as the database's owner.
pub fn mark_demo(address: &HubAddress) -> Result<(), HubError> {
    let mut client = address.connect_admin()?;
    client
        .execute(
            "INSERT INTO hub_meta (key, value) VALUES ('demo', 'true') ON CONFLICT DO NOTHING",
            &[],
        )
        .map_err(HubError::from_pg)?;
    Ok(())
}

/// Records per transaction of an upload into an empty hub.
const UPLOAD_BATCH: usize = 5000;
