//! Tally indexes (see [`super::Index::is_tally`]): their keys, and their payloads — a
//! row of counters (big-endian u32 each) that a write adds to or subtracts from the
//! value under a key, so an index holds a sum over many records. The monthly statistics
//! read a few thousand of these instead of tens of thousands of events and visits.

use super::records::{Index, IndexEntry};
use super::StoreError;
use beatbook_model::{Dispute, DisputeStatus, Id, Visit, VisitStatus};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// A dispute's entries in the (station, UTC hour) trend tally: one per history line
/// that received it (the first) or resolved it, counting [received, resolved].
pub(super) fn dispute_trend_entries(d: &Dispute) -> Vec<IndexEntry> {
    d.history
        .iter()
        .filter_map(|change| {
            let received = u32::from(change.from.is_none());
            let resolved = u32::from(change.to == DisputeStatus::Resolved);
            (received + resolved > 0).then(|| IndexEntry {
                index: Index::DisputeTrendByStation,
                key: hour_key(d.meta.station, hour_of(change.at)),
                payload: encode(&[received, resolved]),
            })
        })
        .collect()
}

/// Whole hours since the epoch (rounded down).
fn hour_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(3600)
}

/// station(16) | hour (4, sign bit flipped so byte order is time order).
fn hour_key(station: Id, hour: i64) -> Vec<u8> {
    let hour = i32::try_from(hour).unwrap_or(if hour < 0 { i32::MIN } else { i32::MAX });
    let mut k = station.to_bytes().to_vec();
    k.extend_from_slice(&((hour as u32) ^ (1 << 31)).to_be_bytes());
    k
}

/// The key range of a station's trend counters for the hours starting within
/// `from..until` (both rounded down to the hour).
pub(super) fn trend_range(
    station: Id,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> (Vec<u8>, Vec<u8>) {
    (
        hour_key(station, hour_of(from)),
        hour_key(station, hour_of(until)),
    )
}

/// One hour's trend counters: the hour's start, received, resolved.
pub(super) fn decode_trend(
    key: &[u8],
    value: &[u8],
) -> Result<(DateTime<Utc>, u32, u32), StoreError> {
    let corrupt = || StoreError::CorruptIndex {
        index: Index::DisputeTrendByStation,
    };
    let hour: [u8; 4] = key
        .get(16..20)
        .ok_or_else(corrupt)?
        .try_into()
        .map_err(|_| corrupt())?;
    let hour = i64::from((u32::from_be_bytes(hour) ^ (1 << 31)) as i32);
    let at = DateTime::<Utc>::from_timestamp(hour * 3600, 0).ok_or_else(corrupt)?;
    match counters(value).as_deref() {
        Some([received, resolved]) => Ok((at, *received, *resolved)),
        _ => Err(corrupt()),
    }
}

/// A visit's entry in the (station, due date, officer, status) tally: counts one.
pub(super) fn visit_entry(v: &Visit) -> IndexEntry {
    let mut key = visit_day_key(v.meta.station, v.due);
    key.extend_from_slice(&v.assigned_to.to_bytes());
    key.push(v.status.code());
    IndexEntry {
        index: Index::VisitTallyByStation,
        key,
        payload: encode(&[1]),
    }
}

/// station(16) | due date (4, days from the common era, sign bit flipped).
fn visit_day_key(station: Id, due: NaiveDate) -> Vec<u8> {
    let mut k = station.to_bytes().to_vec();
    k.extend_from_slice(&((due.num_days_from_ce() as u32) ^ (1 << 31)).to_be_bytes());
    k
}

/// The key range of a station's visit counters due within `first..=last`.
pub(super) fn visit_range(station: Id, first: NaiveDate, last: NaiveDate) -> (Vec<u8>, Vec<u8>) {
    let after = last.succ_opt().unwrap_or(last);
    (visit_day_key(station, first), visit_day_key(station, after))
}

/// One visit counter: due date, assigned officer, status, how many.
pub(super) fn decode_visit(
    key: &[u8],
    value: &[u8],
) -> Result<(NaiveDate, Id, VisitStatus, u32), StoreError> {
    let corrupt = || StoreError::CorruptIndex {
        index: Index::VisitTallyByStation,
    };
    let day: [u8; 4] = key
        .get(16..20)
        .ok_or_else(corrupt)?
        .try_into()
        .map_err(|_| corrupt())?;
    let day = (u32::from_be_bytes(day) ^ (1 << 31)) as i32;
    let due = NaiveDate::from_num_days_from_ce_opt(day).ok_or_else(corrupt)?;
    let officer = key
        .get(20..36)
        .and_then(Id::from_slice)
        .ok_or_else(corrupt)?;
    let code = *key.get(36).ok_or_else(corrupt)?;
    let status = VisitStatus::ALL
        .into_iter()
        .find(|s| s.code() == code)
        .ok_or_else(corrupt)?;
    match counters(value).as_deref() {
        Some([n]) => Ok((due, officer, status, *n)),
        _ => Err(corrupt()),
    }
}

/// Which way a record's entry moves the stored counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    Add,
    Subtract,
}

/// `stored` moved by `entry`, counter by counter; None when every counter is then zero
/// (the key is removed rather than kept at zero, so checks compare like with like). A
/// missing stored value counts as zeros.
///
/// A stored value that does not fit (unreadable, or below what is subtracted) means the
/// tally no longer matches the records. It is clamped and logged rather than refused: an
/// officer's save must not fail over a statistics counter, and `check` finds the
/// mismatch and `check --repair` rebuilds the tally. Only a malformed entry (this
/// module's own encoding) is an error.
pub(super) fn apply(
    stored: Option<&[u8]>,
    entry: &[u8],
    direction: Direction,
) -> Result<Option<Vec<u8>>, StoreError> {
    let entry = counters(entry)
        .ok_or_else(|| StoreError::Corrupt("tally entry is not a row of counters".into()))?;
    let mut sum = match stored.map(counters) {
        Some(Some(sum)) if sum.len() == entry.len() => sum,
        Some(_) => {
            tracing::warn!("tally value unreadable; counted from zero until `check --repair`");
            vec![0; entry.len()]
        }
        None => vec![0; entry.len()],
    };
    for (total, n) in sum.iter_mut().zip(&entry) {
        *total = match direction {
            Direction::Add => total.saturating_add(*n),
            Direction::Subtract => total.checked_sub(*n).unwrap_or_else(|| {
                tracing::warn!("tally below zero; kept at zero until `check --repair`");
                0
            }),
        };
    }
    Ok(if sum.iter().all(|n| *n == 0) {
        None
    } else {
        Some(encode(&sum))
    })
}

pub(super) fn encode(counts: &[u32]) -> Vec<u8> {
    counts.iter().flat_map(|n| n.to_be_bytes()).collect()
}

/// The counters of a payload; None unless it is a whole number of u32s.
pub(super) fn counters(bytes: &[u8]) -> Option<Vec<u32>> {
    if bytes.len() % 4 != 0 {
        return None;
    }
    Some(
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_subtracts_and_removes_at_zero() {
        let one = encode(&[1, 0]);
        let both = encode(&[1, 1]);
        let a = apply(None, &one, Direction::Add)
            .expect("add")
            .expect("kept");
        let b = apply(Some(&a), &both, Direction::Add)
            .expect("add")
            .expect("kept");
        assert_eq!(counters(&b), Some(vec![2, 1]));
        let c = apply(Some(&b), &both, Direction::Subtract)
            .expect("sub")
            .expect("kept");
        assert_eq!(c, one);
        assert_eq!(
            apply(Some(&c), &one, Direction::Subtract).expect("sub"),
            None
        );
    }

    #[test]
    fn a_drifted_value_is_clamped_not_refused() {
        let one = encode(&[1, 0]);
        assert_eq!(
            apply(None, &one, Direction::Subtract).expect("clamped"),
            None
        );
        assert_eq!(
            apply(Some(&encode(&[1])), &one, Direction::Add).expect("from zero"),
            Some(one.clone())
        );
        assert_eq!(
            apply(Some(&[1, 2, 3]), &one, Direction::Add).expect("from zero"),
            Some(one.clone())
        );
        assert!(
            apply(None, &[1, 2, 3], Direction::Add).is_err(),
            "bad entry"
        );
    }
}
