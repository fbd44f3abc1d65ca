//! One sync round: push the outbox, then pull what the hub has for this terminal.
//!
//! Push is one transaction per batch. It first locks the terminal's row (its pushes are
//! one at a time) and then the hub counter (every push in the bureau waits for the one
//! ahead to commit): hub sequences are handed out in commit order, so a terminal that
//! pulls `hub_seq > cursor` never passes over one that commits late. A change already
//! taken (a retry after a kill) is answered from what the hub stored; a batch that starts
//! after changes the hub never had is refused as a gap.
//!
//! Pull reads applied changes in hub order; row-level security leaves out what the
//! terminal's role may not read, whatever this code asks.

use crate::{Credential, HubAddress, HubError};
use beatbook_model::{Id, Kind};
use beatbook_store::{
    ConflictReason, Incoming, OutboxBatch, Outgoing, PushOutcome, Store, SyncConflict,
};
use postgres::Transaction;
use serde_json::Value;
use std::str::FromStr;

/// Changes per push transaction and records per pull batch.
pub const BATCH: usize = 500;
pub const PULL_BATCH: i64 = 2000;

/// What a round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundSummary {
    pub pushed: usize,
    /// Pushed changes the hub kept as conflicts.
    pub conflicts: usize,
    /// Pushed changes the hub merged with other terminals' changes to the same records
    /// (different fields): nothing waits for a person.
    pub merged: usize,
    pub pulled: usize,
    /// Pulled versions kept aside here (a unique value held by another record).
    pub pull_conflicts: usize,
    /// Decisions on conflicts made here that the hub recorded this round.
    pub resolved: usize,
    /// Decisions made here that came after another terminal's on the same conflict.
    pub decided_elsewhere: usize,
    /// Local changes still waiting (made while the round ran).
    pub waiting: u64,
}

/// The terminal as the hub knows it.
#[derive(Clone, Debug)]
struct Me {
    name: String,
    scope: String,
    station: Option<String>,
}

/// An open connection to the hub as one terminal.
pub struct Session {
    client: postgres::Client,
    me: Me,
}

impl Session {
    pub fn open(address: &HubAddress, credential: &Credential) -> Result<Session, HubError> {
        let mut client = address.connect_as(credential)?;
        crate::schema::check(&mut client)?;
        let row = client
            .query_opt(
                "SELECT name, scope, station FROM terminals WHERE name = session_user",
                &[],
            )
            .map_err(HubError::from_pg)?
            .ok_or(HubError::Refused)?;
        Ok(Session {
            client,
            me: Me {
                name: row.get(0),
                scope: row.get(1),
                station: row.get(2),
            },
        })
    }

    /// The station this terminal serves (None: a bureau terminal).
    pub fn station(&self) -> Option<&str> {
        self.me.station.as_deref()
    }

    /// This terminal's audit chain head as the hub recorded it at its last push, if it
    /// has pushed.
    pub fn recorded_audit_head(&mut self) -> Result<Option<RecordedHead>, HubError> {
        let row = self
            .client
            .query_one(
                "SELECT audit_head, last_push, last_seq FROM terminals WHERE name = session_user",
                &[],
            )
            .map_err(HubError::from_pg)?;
        let head: Option<String> = row.get(0);
        let at: Option<chrono::DateTime<chrono::Utc>> = row.get(1);
        let last_seq: i64 = row.get(2);
        let (Some(head), Some(at)) = (head, at) else {
            return Ok(None);
        };
        let parsed = head.split_once(':').and_then(|(seq, hex)| {
            let seq: u64 = seq.parse().ok()?;
            let mut hash = [0u8; 32];
            if hex.len() != 64 {
                return None;
            }
            for (i, b) in hash.iter_mut().enumerate() {
                *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
            }
            Some((seq, hash))
        });
        match parsed {
            Some((seq, hash)) => Ok(Some(RecordedHead {
                seq,
                hash,
                at,
                last_seq: last_seq as u64,
            })),
            None => Err(HubError::Server(format!("audit head {head:?}"))),
        }
    }

    /// Whether the hub holds the fictional demo bureau (`hub demo`): its terminals show
    /// the DEMO DATA badge like a demo store.
    pub fn holds_demo(&mut self) -> Result<bool, HubError> {
        let row = self
            .client
            .query_opt("SELECT value FROM hub_meta WHERE key = 'demo'", &[])
            .map_err(HubError::from_pg)?;
        Ok(row.is_some())
    }

    /// The code of the station this terminal serves (None: a bureau terminal).
    pub fn station_code(&mut self) -> Result<Option<String>, HubError> {
        let Some(station) = self.me.station.clone() else {
            return Ok(None);
        };
        let row = self
            .client
            .query_opt(
                "SELECT body->>'code' FROM records WHERE id = $1 AND kind = 'station'",
                &[&station],
            )
            .map_err(HubError::from_pg)?;
        Ok(Some(row.and_then(|r| r.get(0)).unwrap_or_default()))
    }

    /// Pushes the whole outbox, then pulls everything new; `progress` hears each batch.
    pub fn round(
        &mut self,
        store: &Store,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RoundSummary, HubError> {
        let mut summary = RoundSummary::default();
        loop {
            let batch = store.outbox(BATCH)?;
            if batch.upto == batch.prev {
                break;
            }
            let outcomes = self.push(store, &batch)?;
            summary.pushed += batch.changes.len();
            summary.conflicts += outcomes
                .iter()
                .filter(|o| matches!(o, PushOutcome::Conflict { .. }))
                .count();
            summary.merged += outcomes
                .iter()
                .filter(|o| matches!(o, PushOutcome::Merged { .. }))
                .count();
            summary.resolved += batch
                .changes
                .iter()
                .zip(&outcomes)
                .filter(|(c, o)| c.decides.is_some() && !matches!(o, PushOutcome::Conflict { .. }))
                .count();
            store.push_answered(&batch, &outcomes, chrono::Utc::now())?;
            progress(Progress::Pushed(summary.pushed));
        }
        for (hub_id, resolution) in store.resolutions_pending()? {
            let closed = self
                .client
                .execute(
                    "UPDATE conflicts SET resolved_at = now(), resolved_by = session_user, \
                     resolution = $2 WHERE id = $1 AND resolved_at IS NULL",
                    &[&hub_id, &resolution],
                )
                .map_err(HubError::from_pg)?;
            store.resolution_sent(hub_id)?;
            if closed == 1 {
                summary.resolved += 1;
            } else {
                // Decided first on another terminal: that decision stands (this one wrote
                // nothing; the record arrives with the pull).
                summary.decided_elsewhere += 1;
            }
        }
        store.refresh_hub_conflicts(&self.open_conflicts()?)?;
        loop {
            let cursor = store.sync_cursor()?;
            let (items, last) = self.pull(cursor, store.rejoining_from()?)?;
            if items.is_empty() {
                store.finish_rejoin()?;
                break;
            }
            let result = store.apply_pulled(&items, last)?;
            summary.pulled += result.written;
            summary.pull_conflicts += result.conflicts;
            progress(Progress::Pulled(summary.pulled));
        }
        summary.waiting = store.sync_waiting()?;
        Ok(summary)
    }

    fn push(&mut self, store: &Store, batch: &OutboxBatch) -> Result<Vec<PushOutcome>, HubError> {
        let me = self.me.clone();
        let (audit_seq, audit_hash) = store.audit_head()?;
        let audit_head = format!(
            "{audit_seq}:{}",
            audit_hash
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        let mut tx = self.client.transaction().map_err(HubError::from_pg)?;
        let last: i64 = tx
            .query_one(
                "SELECT last_seq FROM terminals WHERE name = session_user FOR UPDATE",
                &[],
            )
            .map_err(HubError::from_pg)?
            .get(0);
        let last = last as u64;
        if batch.prev > last {
            return Err(HubError::Gap {
                hub_has: last,
                terminal_sends: batch.prev,
            });
        }
        let mut hub_seq: i64 = tx
            .query_one(
                "SELECT hub_seq FROM hub_counter WHERE id = 1 FOR UPDATE",
                &[],
            )
            .map_err(HubError::from_pg)?
            .get(0);
        let mut outcomes = Vec::with_capacity(batch.changes.len());
        for change in &batch.changes {
            if change.seq <= last {
                outcomes.push(stored_outcome(&mut tx, change, last)?);
                continue;
            }
            outcomes.push(push_one(&mut tx, &me, change, &mut hub_seq)?);
        }
        tx.execute(
            "UPDATE hub_counter SET hub_seq = $1 WHERE id = 1",
            &[&hub_seq],
        )
        .map_err(HubError::from_pg)?;
        let upto = batch.upto.max(last) as i64;
        tx.execute(
            "UPDATE terminals SET last_seq = $1, audit_head = $2, last_push = now() \
             WHERE name = session_user",
            &[&upto, &audit_head],
        )
        .map_err(HubError::from_pg)?;
        tx.commit().map_err(HubError::from_pg)?;
        Ok(outcomes)
    }

    /// The hub's undecided conflicts this terminal may read (its station's, whichever
    /// terminal pushed them; every station's for a bureau terminal), oldest first.
    fn open_conflicts(&mut self) -> Result<Vec<SyncConflict>, HubError> {
        let rows = self
            .client
            .query(
                "SELECT id, terminal, kind, record, reason, mine, head, fields, at \
                 FROM conflicts WHERE resolved_at IS NULL ORDER BY id",
                &[],
            )
            .map_err(HubError::from_pg)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let terminal: String = row.get(1);
            let kind: String = row.get(2);
            let record: String = row.get(3);
            let reason: String = row.get(4);
            out.push(SyncConflict {
                key: String::new(),
                hub_id: Some(row.get(0)),
                terminal: (terminal != self.me.name).then_some(terminal),
                fields: row.get(7),
                kind: kind_of(&kind)?,
                id: id_of(&record)?,
                reason: match reason.as_str() {
                    "not_permitted" => ConflictReason::NotPermitted,
                    _ => ConflictReason::Revision,
                },
                mine: row.get(5),
                theirs: row.get(6),
                at: row.get(8),
            });
        }
        Ok(out)
    }

    /// Applied changes after `cursor` that this terminal did not make itself, in hub
    /// order, and the last hub sequence among them.
    /// `own_from`: after an older backup was restored, this terminal's own changes after
    /// that sequence come too.
    fn pull(
        &mut self,
        cursor: u64,
        own_from: Option<u64>,
    ) -> Result<(Vec<Incoming>, u64), HubError> {
        let own_from = own_from.map_or(i64::MAX, |s| s as i64);
        let rows = self
            .client
            .query(
                "SELECT hub_seq, kind, id, revision, deleted, body FROM changes \
                 WHERE hub_seq > $1 AND outcome <> 'conflict' \
                   AND (terminal <> session_user OR seq > $3) \
                 ORDER BY hub_seq LIMIT $2",
                &[&(cursor as i64), &PULL_BATCH, &own_from],
            )
            .map_err(HubError::from_pg)?;
        let mut last = cursor;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let seq: i64 = row.get(0);
            last = seq as u64;
            let kind: String = row.get(1);
            let id: String = row.get(2);
            let revision: i64 = row.get(3);
            let deleted: bool = row.get(4);
            let body: Option<Value> = row.get(5);
            items.push(Incoming {
                kind: kind_of(&kind)?,
                id: id_of(&id)?,
                revision: revision as u64,
                body: if deleted { None } else { body },
            });
        }
        Ok((items, last))
    }
}

/// A terminal's audit chain head as the hub recorded it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordedHead {
    pub seq: u64,
    pub hash: [u8; 32],
    /// The push that recorded it.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The newest change-log sequence of the terminal the hub has taken.
    pub last_seq: u64,
}

/// How far a round has come, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    Pushed(usize),
    Pulled(usize),
}

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

fn may_write(me: &Me, kind: Kind, station: &str) -> bool {
    match me.scope.as_str() {
        "station" => me.station.as_deref() == Some(station),
        "bureau" => matches!(kind, Kind::Finding | Kind::Officer | Kind::Station),
        _ => false,
    }
}

struct Head {
    station: String,
    /// The terminal whose change it is.
    terminal: String,
    revision: u64,
    body: Option<Value>,
}

fn read_head(tx: &mut Transaction<'_>, id: &str) -> Result<Option<Head>, HubError> {
    let row = tx
        .query_opt(
            "SELECT station, revision, deleted, body, terminal FROM records \
             WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .map_err(HubError::from_pg)?;
    Ok(row.map(|r| {
        let revision: i64 = r.get(1);
        let deleted: bool = r.get(2);
        Head {
            station: r.get(0),
            terminal: r.get(4),
            revision: revision as u64,
            body: if deleted { None } else { r.get(3) },
        }
    }))
}

fn push_one(
    tx: &mut Transaction<'_>,
    me: &Me,
    change: &Outgoing,
    hub_seq: &mut i64,
) -> Result<PushOutcome, HubError> {
    let id = change.id.to_string();
    let kind = change.kind.name();
    let head = read_head(tx, &id)?;
    // A deletion belongs to the station of the record it removes.
    let station = match (&change.station, &head) {
        (Some(s), _) => s.to_string(),
        (None, Some(h)) => h.station.clone(),
        (None, None) => me.station.clone().unwrap_or_default(),
    };
    let permitted = may_write(me, change.kind, &station)
        && head
            .as_ref()
            .map_or(true, |h| may_write(me, change.kind, &h.station));
    let head_revision = head.as_ref().map_or(0, |h| h.revision);
    // The head is this terminal's own earlier change whose answer never reached it (a kill
    // after the hub committed): the new change continues it.
    let continues_own = head
        .as_ref()
        .is_some_and(|h| h.terminal == me.name && change.revision > h.revision);
    let reason = if !permitted {
        Some(ConflictReason::NotPermitted)
    } else if head_revision != change.base && !continues_own {
        Some(ConflictReason::Revision)
    } else {
        None
    };
    // A person's decision on a conflict is taken only while the conflict is open: one
    // decided first on another terminal makes this write wait as a new conflict rather
    // than overrule that decision unseen.
    let reason = match (&reason, &change.decides) {
        (None, Some((conflict, resolution))) => {
            let closed = tx
                .execute(
                    "UPDATE conflicts SET resolved_at = now(), resolved_by = session_user, \
                     resolution = $2 WHERE id = $1 AND resolved_at IS NULL",
                    &[conflict, resolution],
                )
                .map_err(HubError::from_pg)?;
            (closed == 0).then_some(ConflictReason::Revision)
        }
        _ => reason,
    };
    let late_decision = change.decides.is_some() && reason.is_some();
    let mut clashing = Vec::new();
    if reason == Some(ConflictReason::Revision) && !late_decision {
        if let Some(merged) =
            try_merge(tx, change, head.as_ref(), &station, hub_seq, &mut clashing)?
        {
            return Ok(merged);
        }
    }
    let revision = change.revision as i64;
    let base = change.base as i64;
    let deleted = change.body.is_none();
    if reason.is_none() {
        let written = if head.is_some() {
            tx.execute(
                "UPDATE records SET station = $2, revision = $3, deleted = $4, body = $5, \
                 hub_seq = $6, terminal = session_user WHERE id = $1",
                &[
                    &id,
                    &station,
                    &revision,
                    &deleted,
                    &change.body,
                    &(*hub_seq + 1),
                ],
            )
        } else {
            tx.execute(
                "INSERT INTO records (id, kind, station, revision, deleted, body, hub_seq, \
                 terminal) VALUES ($1, $2, $3, $4, $5, $6, $7, session_user) \
                 ON CONFLICT (id) DO NOTHING",
                &[
                    &id,
                    &kind,
                    &station,
                    &revision,
                    &deleted,
                    &change.body,
                    &(*hub_seq + 1),
                ],
            )
        }
        .map_err(HubError::from_pg)?;
        if written == 1 {
            *hub_seq += 1;
            tx.execute(
                "INSERT INTO changes (terminal, seq, hub_seq, kind, id, station, base, \
                 revision, deleted, body, outcome) \
                 VALUES (session_user, $1, $2, $3, $4, $5, $6, $7, $8, $9, 'applied')",
                &[
                    &(change.seq as i64),
                    &*hub_seq,
                    &kind,
                    &id,
                    &station,
                    &base,
                    &revision,
                    &deleted,
                    &change.body,
                ],
            )
            .map_err(HubError::from_pg)?;
            return Ok(PushOutcome::Applied {
                id: change.id,
                revision: change.revision,
            });
        }
    }
    // Not applied: a record this role cannot see holds the id, the terminal may not write
    // it, or the hub's head moved on. Both versions are kept.
    let reason = reason.unwrap_or(ConflictReason::NotPermitted);
    let reason_name = match reason {
        ConflictReason::Revision => "revision",
        _ => "not_permitted",
    };
    let head_revision = head.as_ref().map(|h| h.revision as i64);
    let head_body = head.as_ref().and_then(|h| h.body.clone());
    let conflict: i64 = tx
        .query_one(
            "INSERT INTO conflicts (terminal, seq, kind, record, station, reason, base, \
             revision, mine, head_revision, head, fields) \
             VALUES (session_user, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            &[
                &(change.seq as i64),
                &kind,
                &id,
                &station,
                &reason_name,
                &base,
                &revision,
                &change.body,
                &head_revision,
                &head_body,
                &clashing,
            ],
        )
        .map_err(HubError::from_pg)?
        .get(0);
    tx.execute(
        "INSERT INTO changes (terminal, seq, kind, id, station, base, revision, deleted, \
         body, outcome, conflict) \
         VALUES (session_user, $1, $2, $3, $4, $5, $6, $7, $8, 'conflict', $9)",
        &[
            &(change.seq as i64),
            &kind,
            &id,
            &station,
            &base,
            &revision,
            &deleted,
            &change.body,
            &conflict,
        ],
    )
    .map_err(HubError::from_pg)?;
    Ok(PushOutcome::Conflict {
        hub_id: conflict,
        outgoing: Box::new(change.clone()),
        reason,
        head: head.map(|h| {
            Box::new(Incoming {
                kind: change.kind,
                id: change.id,
                revision: h.revision,
                body: h.body,
            })
        }),
    })
}

/// Merges the pushed version with the head, both descended from the version the push
/// names as its base, when no field changed on both sides (`crate::merge`): the merge is
/// the new head, an applied change every terminal pulls. None when a person must decide
/// (`clashing` then names the fields), or when there is nothing to merge from (a deletion,
/// a base the hub never had).
fn try_merge(
    tx: &mut Transaction<'_>,
    change: &Outgoing,
    head: Option<&Head>,
    station: &str,
    hub_seq: &mut i64,
    clashing: &mut Vec<String>,
) -> Result<Option<PushOutcome>, HubError> {
    let (Some(head), Some(mine)) = (head, &change.body) else {
        return Ok(None);
    };
    let Some(theirs) = &head.body else {
        return Ok(None);
    };
    let id = change.id.to_string();
    let base: Option<Value> = tx
        .query_opt(
            "SELECT body FROM changes WHERE id = $1 AND revision = $2 \
             AND outcome <> 'conflict' AND body IS NOT NULL ORDER BY hub_seq DESC LIMIT 1",
            &[&id, &(change.base as i64)],
        )
        .map_err(HubError::from_pg)?
        .map(|row| row.get(0));
    let Some(base) = base else {
        return Ok(None);
    };
    let mut merged = match crate::merge::three_way(&base, mine, theirs) {
        crate::merge::Merged::Clean(merged) => merged,
        crate::merge::Merged::Clash(fields) => {
            *clashing = fields;
            return Ok(None);
        }
    };
    let revision = head.revision + 1;
    if let Some(meta) = merged.get_mut("meta").and_then(Value::as_object_mut) {
        meta.insert("revision".into(), Value::from(revision));
        // Who changed it last and when: the later of the two sides.
        let later = |side: &Value| {
            side.pointer("/meta/updated_at")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_default()
        };
        if later(mine) > later(theirs) {
            for key in ["updated_at", "changed_by"] {
                if let Some(v) = mine.pointer(&format!("/meta/{key}")) {
                    meta.insert(key.into(), v.clone());
                }
            }
        }
    }
    *hub_seq += 1;
    let body = Some(merged.clone());
    tx.execute(
        "UPDATE records SET revision = $2, deleted = false, body = $3, hub_seq = $4, \
         terminal = session_user WHERE id = $1",
        &[&id, &(revision as i64), &body, &*hub_seq],
    )
    .map_err(HubError::from_pg)?;
    tx.execute(
        "INSERT INTO changes (terminal, seq, hub_seq, kind, id, station, base, revision, \
         deleted, body, outcome) \
         VALUES (session_user, $1, $2, $3, $4, $5, $6, $7, false, $8, 'merged')",
        &[
            &(change.seq as i64),
            &*hub_seq,
            &change.kind.name(),
            &id,
            &station,
            &(change.base as i64),
            &(revision as i64),
            &body,
        ],
    )
    .map_err(HubError::from_pg)?;
    Ok(Some(PushOutcome::Merged {
        merged: Box::new(Incoming {
            kind: change.kind,
            id: change.id,
            revision,
            body,
        }),
    }))
}

/// The answer the hub gave the first time this change was pushed.
fn stored_outcome(
    tx: &mut Transaction<'_>,
    change: &Outgoing,
    last: u64,
) -> Result<PushOutcome, HubError> {
    let row = tx
        .query_opt(
            "SELECT c.outcome, c.revision, k.id, k.reason, k.head_revision, k.head, c.id, \
                    c.body \
             FROM changes c LEFT JOIN conflicts k ON k.id = c.conflict \
             WHERE c.terminal = session_user AND c.seq = $1",
            &[&(change.seq as i64)],
        )
        .map_err(HubError::from_pg)?;
    let Some(row) = row else {
        // Covered by an earlier batch's `upto` but not sent then (it was superseded): the
        // hub has nothing to say; the record's newer change carries it.
        return Ok(PushOutcome::Applied {
            id: change.id,
            revision: change.base,
        });
    };
    // The same number for another record: this store's log is not the one the hub took
    // these numbers from (an older copy restored, or two folders on one enrolment).
    let stored_id: String = row.get(6);
    if stored_id != change.id.to_string() {
        return Err(HubError::Gap {
            hub_has: last,
            terminal_sends: change.seq,
        });
    }
    let outcome: String = row.get(0);
    if outcome == "merged" {
        let revision: i64 = row.get(1);
        return Ok(PushOutcome::Merged {
            merged: Box::new(Incoming {
                kind: change.kind,
                id: change.id,
                revision: revision as u64,
                body: row.get(7),
            }),
        });
    }
    if outcome == "applied" {
        let revision: i64 = row.get(1);
        return Ok(PushOutcome::Applied {
            id: change.id,
            revision: revision as u64,
        });
    }
    let hub_id: i64 = row.get(2);
    let reason: String = row.get(3);
    let head_revision: Option<i64> = row.get(4);
    let head: Option<Value> = row.get(5);
    Ok(PushOutcome::Conflict {
        hub_id,
        outgoing: Box::new(change.clone()),
        reason: if reason == "revision" {
            ConflictReason::Revision
        } else {
            ConflictReason::NotPermitted
        },
        head: head_revision.map(|r| {
            Box::new(Incoming {
                kind: change.kind,
                id: change.id,
                revision: r as u64,
                body: head,
            })
        }),
    })
}

fn kind_of(name: &str) -> Result<Kind, HubError> {
    Kind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| HubError::Server(format!("unknown record kind {name:?}")))
}

fn id_of(text: &str) -> Result<Id, HubError> {
    Id::from_str(text).map_err(|_| HubError::Server(format!("bad record id {text:?}")))
}
