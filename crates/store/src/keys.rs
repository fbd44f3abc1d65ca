//! Byte layouts of index keys. Fixed-width big-endian parts so that byte order equals the
//! order we scan in: owner, then status, then due date, then id.

use beatbook_model::{Id, VisitStatus};
use chrono::{Datelike, NaiveDate};

/// A date as 4 sortable bytes (days since 0001-01-01).
pub fn date_bytes(date: NaiveDate) -> [u8; 4] {
    (date.num_days_from_ce().max(0) as u32).to_be_bytes()
}

/// owner(16) | status(1) | due(4) | visit(16).
pub fn visit_key(owner: Id, status: VisitStatus, due: NaiveDate, visit: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(37);
    k.extend_from_slice(&owner.to_bytes());
    k.push(status.code());
    k.extend_from_slice(&date_bytes(due));
    k.extend_from_slice(&visit.to_bytes());
    k
}

/// The due date inside a visit index key.
pub fn visit_key_due(key: &[u8]) -> Option<NaiveDate> {
    let bytes: [u8; 4] = key.get(17..21)?.try_into().ok()?;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(u32::from_be_bytes(bytes)).ok()?)
}

/// The key range of an owner's visits in one status due within `from..=until`.
pub fn visit_range(
    owner: Id,
    status: VisitStatus,
    from: Option<NaiveDate>,
    until: NaiveDate,
) -> (Vec<u8>, Vec<u8>) {
    let mut start = Vec::with_capacity(21);
    start.extend_from_slice(&owner.to_bytes());
    start.push(status.code());
    if let Some(from) = from {
        start.extend_from_slice(&date_bytes(from));
    }
    let mut end = Vec::with_capacity(21);
    end.extend_from_slice(&owner.to_bytes());
    end.push(status.code());
    let after = until.succ_opt().unwrap_or(until);
    end.extend_from_slice(&date_bytes(after));
    (start, end)
}

/// owner(16) | status(1) | record(16).
pub fn status_key(owner: Id, status: u8, record: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(33);
    k.extend_from_slice(&owner.to_bytes());
    k.push(status);
    k.extend_from_slice(&record.to_bytes());
    k
}

/// owner(16) | record(16).
pub fn owned_key(owner: Id, record: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(32);
    k.extend_from_slice(&owner.to_bytes());
    k.extend_from_slice(&record.to_bytes());
    k
}

/// The record id at the end of an index key.
pub fn trailing_id(key: &[u8]) -> Option<Id> {
    key.len()
        .checked_sub(16)
        .and_then(|start| Id::from_slice(&key[start..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_date_round_trips_through_the_key() {
        let due = NaiveDate::from_ymd_opt(2028, 2, 29).expect("date");
        let key = visit_key(Id::new(), VisitStatus::Scheduled, due, Id::new());
        assert_eq!(visit_key_due(&key), Some(due));
        assert_eq!(visit_key_due(&key[..10]), None);
    }
}
