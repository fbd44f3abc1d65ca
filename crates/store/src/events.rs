//! Dated events of disputes and watch-list flags, indexed by (station, time), so the
//! monthly statistics read one time range of one station instead of every record's
//! history. Entries are derived from the record's own history like every other index
//! entry, so `check_indexes` and `rebuild_indexes` cover them.

use super::records::{decode, encode, Index, IndexEntry};
use super::StoreError;
use beatbook_model::{Dispute, DisputeStatus, FlagChangeKind, Id, RiskLevel, WatchFlag};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The sequence number of a dispute's deadline entry (history lines use 0..).
const DEADLINE_SEQ: u16 = u16::MAX;

/// What happened to a dispute at one instant: a status change (`to`), or — once per
/// dispute, keyed at 00:00 UTC of the date — its mediation deadline. Stored in a compact
/// binary layout (see `encode_dispute_event`), not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeEvent {
    /// Filled from the key when read.
    pub dispute: Id,
    /// Filled from the key when read.
    pub at: DateTime<Utc>,
    pub category: String,
    /// The local date the dispute was reported (days to resolution count from it).
    pub reported_on: NaiveDate,
    /// The status left; None on the first history line (the dispute was received).
    pub from: Option<DisputeStatus>,
    /// The status entered; None on the deadline entry.
    pub to: Option<DisputeStatus>,
    /// On the deadline entry: the deadline as it stands (extensions included).
    pub deadline: Option<NaiveDate>,
    /// On the deadline entry: when mediation ended (resolved, referred, escalated or
    /// closed after the latest acceptance or reopening), if it has.
    pub mediation_ended: Option<DateTime<Utc>>,
}

fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// A watch-list change that moves the counts: listed, level changed, removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagEvent {
    /// Filled from the key when read.
    #[serde(skip, default = "beatbook_model::Id::new")]
    pub flag: Id,
    /// Filled from the key when read.
    #[serde(skip, default = "epoch")]
    pub at: DateTime<Utc>,
    #[serde(rename = "k")]
    pub kind: FlagChangeKind,
    /// The flag's categories as they stand (history lines do not keep old ones).
    #[serde(rename = "c")]
    pub categories: Vec<String>,
    #[serde(rename = "f", default)]
    pub from_level: Option<RiskLevel>,
    #[serde(rename = "t", default)]
    pub to_level: Option<RiskLevel>,
}

/// No status / no date / no instant in the compact dispute-event payload.
const NONE_U8: u8 = u8::MAX;
const NONE_I32: i32 = i32::MIN;
const NONE_I64: i64 = i64::MIN;

/// The dispute-event payload in a fixed binary layout — from(1) | to(1) | reported_on(4) |
/// deadline(4) | mediation ended(8, ms) | category (UTF-8, the rest) — because the
/// statistics decode tens of thousands of them per station-month and JSON would dominate.
fn encode_dispute_event(e: &DisputeEvent) -> Vec<u8> {
    let mut out = Vec::with_capacity(18 + e.category.len());
    out.push(e.from.map_or(NONE_U8, DisputeStatus::code));
    out.push(e.to.map_or(NONE_U8, DisputeStatus::code));
    out.extend_from_slice(&day_number(Some(e.reported_on)).to_be_bytes());
    out.extend_from_slice(&day_number(e.deadline).to_be_bytes());
    out.extend_from_slice(
        &e.mediation_ended
            .map_or(NONE_I64, |t| t.timestamp_millis())
            .to_be_bytes(),
    );
    out.extend_from_slice(e.category.as_bytes());
    out
}

fn day_number(date: Option<NaiveDate>) -> i32 {
    use chrono::Datelike;
    date.map_or(NONE_I32, |d| d.num_days_from_ce())
}

fn status_of(code: u8) -> Option<DisputeStatus> {
    DisputeStatus::ALL.into_iter().find(|s| s.code() == code)
}

fn decode_payload(value: &[u8]) -> Option<DisputeEvent> {
    let from = *value.first()?;
    let to = *value.get(1)?;
    let reported: [u8; 4] = value.get(2..6)?.try_into().ok()?;
    let deadline: [u8; 4] = value.get(6..10)?.try_into().ok()?;
    let ended: [u8; 8] = value.get(10..18)?.try_into().ok()?;
    let date = |n: i32| NaiveDate::from_num_days_from_ce_opt(n);
    let deadline = i32::from_be_bytes(deadline);
    let ended = i64::from_be_bytes(ended);
    Some(DisputeEvent {
        dispute: Id::SYSTEM,
        at: epoch(),
        category: std::str::from_utf8(value.get(18..)?).ok()?.to_string(),
        reported_on: date(i32::from_be_bytes(reported))?,
        from: if from == NONE_U8 {
            None
        } else {
            Some(status_of(from)?)
        },
        to: if to == NONE_U8 {
            None
        } else {
            Some(status_of(to)?)
        },
        deadline: if deadline == NONE_I32 {
            None
        } else {
            Some(date(deadline)?)
        },
        mediation_ended: if ended == NONE_I64 {
            None
        } else {
            Some(DateTime::<Utc>::from_timestamp_millis(ended)?)
        },
    })
}

/// station(16) | instant(8, sortable) | record(16) | seq(2).
fn event_key(station: Id, at: DateTime<Utc>, record: Id, seq: u16) -> Vec<u8> {
    let mut k = Vec::with_capacity(42);
    k.extend_from_slice(&station.to_bytes());
    k.extend_from_slice(&instant_bytes(at));
    k.extend_from_slice(&record.to_bytes());
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// Milliseconds since the epoch with the sign bit flipped, so byte order is time order.
fn instant_bytes(at: DateTime<Utc>) -> [u8; 8] {
    ((at.timestamp_millis() as u64) ^ (1 << 63)).to_be_bytes()
}

fn key_parts(key: &[u8]) -> Option<(DateTime<Utc>, Id)> {
    let millis: [u8; 8] = key.get(16..24)?.try_into().ok()?;
    let millis = (u64::from_be_bytes(millis) ^ (1 << 63)) as i64;
    let at = DateTime::<Utc>::from_timestamp_millis(millis)?;
    let id = Id::from_slice(key.get(24..40)?)?;
    Some((at, id))
}

fn date_instant(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The event entries of a dispute: one per status-history line, and one for its
/// mediation deadline when it has one.
pub(super) fn dispute_entries(d: &Dispute) -> Vec<IndexEntry> {
    let station = d.meta.station;
    let mut out = Vec::with_capacity(d.history.len() + 1);
    for (seq, change) in d.history.iter().enumerate() {
        let event = DisputeEvent {
            dispute: d.meta.id,
            at: change.at,
            category: d.category.clone(),
            reported_on: d.reported_on,
            from: change.from,
            to: Some(change.to),
            deadline: None,
            mediation_ended: None,
        };
        out.push(IndexEntry {
            index: Index::DisputeEventByStation,
            key: event_key(
                station,
                change.at,
                d.meta.id,
                u16::try_from(seq).unwrap_or(DEADLINE_SEQ - 1),
            ),
            payload: encode_dispute_event(&event),
        });
    }
    if let Some(deadline) = d.mediation_deadline {
        let started = d
            .history
            .iter()
            .rposition(|h| matches!(h.to, DisputeStatus::Accepted | DisputeStatus::Reopened))
            .unwrap_or(0);
        let ended = d.history[started.min(d.history.len())..]
            .iter()
            .find(|h| {
                matches!(
                    h.to,
                    DisputeStatus::Resolved
                        | DisputeStatus::Referred
                        | DisputeStatus::Escalated
                        | DisputeStatus::Closed
                )
            })
            .map(|h| h.at);
        let event = DisputeEvent {
            dispute: d.meta.id,
            at: date_instant(deadline),
            category: d.category.clone(),
            reported_on: d.reported_on,
            from: None,
            to: None,
            deadline: Some(deadline),
            mediation_ended: ended,
        };
        out.push(IndexEntry {
            index: Index::DisputeEventByStation,
            key: event_key(station, date_instant(deadline), d.meta.id, DEADLINE_SEQ),
            payload: encode_dispute_event(&event),
        });
    }
    out
}

/// The event entries of a flag: its listings, level changes and removals.
pub(super) fn flag_entries(f: &WatchFlag) -> Vec<IndexEntry> {
    f.history
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            matches!(
                h.kind,
                FlagChangeKind::Added | FlagChangeKind::LevelChanged | FlagChangeKind::Removed
            )
        })
        .map(|(seq, h)| {
            let event = FlagEvent {
                flag: f.meta.id,
                at: h.at,
                kind: h.kind,
                categories: f.categories.clone(),
                from_level: h.from_level,
                to_level: h.to_level,
            };
            IndexEntry {
                index: Index::FlagEventByStation,
                key: event_key(
                    f.meta.station,
                    h.at,
                    f.meta.id,
                    u16::try_from(seq).unwrap_or(u16::MAX),
                ),
                payload: encode(&event).unwrap_or_default(),
            }
        })
        .collect()
}

/// The key range of a station's events within `from..until`.
pub(super) fn range(station: Id, from: DateTime<Utc>, until: DateTime<Utc>) -> (Vec<u8>, Vec<u8>) {
    let mut start = station.to_bytes().to_vec();
    start.extend_from_slice(&instant_bytes(from));
    let mut end = station.to_bytes().to_vec();
    end.extend_from_slice(&instant_bytes(until));
    (start, end)
}

pub(super) fn decode_dispute_event(key: &[u8], value: &[u8]) -> Result<DisputeEvent, StoreError> {
    let (at, id) = key_parts(key).ok_or(StoreError::CorruptIndex {
        index: Index::DisputeEventByStation,
    })?;
    let mut e = decode_payload(value).ok_or(StoreError::CorruptIndex {
        index: Index::DisputeEventByStation,
    })?;
    e.dispute = id;
    e.at = at;
    Ok(e)
}

pub(super) fn decode_flag_event(key: &[u8], value: &[u8]) -> Result<FlagEvent, StoreError> {
    let (at, id) = key_parts(key).ok_or(StoreError::CorruptIndex {
        index: Index::FlagEventByStation,
    })?;
    let mut e: FlagEvent = decode(value)?;
    e.flag = id;
    e.at = at;
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_sort_as_bytes_and_round_trip() {
        let s = Id::new();
        let r = Id::new();
        let early = DateTime::<Utc>::from_timestamp_millis(-5_000).expect("t");
        let late = DateTime::<Utc>::from_timestamp_millis(1_800_000_000_000).expect("t");
        let a = event_key(s, early, r, 0);
        let b = event_key(s, late, r, 0);
        assert!(a < b);
        assert_eq!(key_parts(&b), Some((late, r)));
        assert_eq!(key_parts(&a[..20]), None);
    }

    #[test]
    fn dispute_event_payload_round_trips() {
        let e = DisputeEvent {
            dispute: Id::SYSTEM,
            at: epoch(),
            category: "土地03".into(),
            reported_on: NaiveDate::from_ymd_opt(2026, 10, 31).expect("d"),
            from: None,
            to: None,
            deadline: NaiveDate::from_ymd_opt(2026, 11, 5),
            mediation_ended: DateTime::<Utc>::from_timestamp_millis(1_790_000_000_000),
        };
        assert_eq!(decode_payload(&encode_dispute_event(&e)), Some(e.clone()));
        let mut f = e;
        f.from = Some(DisputeStatus::Accepted);
        f.to = Some(DisputeStatus::Resolved);
        f.deadline = None;
        f.mediation_ended = None;
        assert_eq!(decode_payload(&encode_dispute_event(&f)), Some(f));
        assert_eq!(decode_payload(&[1, 2, 3]), None);
    }
}
