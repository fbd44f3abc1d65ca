//! One pushed change at the hub, inside the push's transaction: applied when its base is
//! the head and the terminal may write the record, merged when the two sides changed
//! different fields, else kept as a conflict beside the head; a retried change is answered
//! from what the hub stored.

use crate::round::Me;
use crate::HubError;
use beatbook_model::{Id, Kind};
use beatbook_store::{ConflictReason, Incoming, Outgoing, PushOutcome};
use postgres::Transaction;
use serde_json::Value;
use std::str::FromStr;

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

pub(crate) fn push_one(
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
pub(crate) fn stored_outcome(
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

pub(crate) fn kind_of(name: &str) -> Result<Kind, HubError> {
    Kind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| HubError::Server(format!("unknown record kind {name:?}")))
}

pub(crate) fn id_of(text: &str) -> Result<Id, HubError> {
    Id::from_str(text).map_err(|_| HubError::Server(format!("bad record id {text:?}")))
}
