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

use crate::push::{id_of, kind_of, push_one, stored_outcome};
use crate::{Credential, HubAddress, HubError};
use beatbook_store::{ConflictReason, Incoming, OutboxBatch, PushOutcome, Store, SyncConflict};
use serde_json::Value;

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
pub(crate) struct Me {
    pub(crate) name: String,
    pub(crate) scope: String,
    pub(crate) station: Option<String>,
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
