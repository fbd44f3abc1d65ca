//! A dispute's register row as the dispute indexes carry it, in a fixed binary layout:
//! the register and the dispute alerts decode thousands of these on every open, and
//! parsing them from JSON (field names, ULID strings, dates) was most of that time.
//!
//! revision(8) | station(16) | assigned to(16) | status(1) | risk(1) | flags(1: bit 0
//! feedback given, bit 1 extension pending) | reported on(4, days from CE) | accepted on,
//! deadline, last contact (4 each, days from CE or `NONE`) | feedback due: present(1),
//! seconds(8), nanoseconds(4) | parties: count(4), then 16 each | title, category,
//! village: each length(4) | UTF-8.

use super::{Reader, NONE};
use beatbook_model::{DisputeStatus, DisputeSummary, Id, RiskLevel};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

const FEEDBACK_GIVEN: u8 = 1;
const EXTENSION_PENDING: u8 = 2;

pub(crate) fn encode_dispute_summary(s: &DisputeSummary) -> Vec<u8> {
    let text = s.title.len() + s.category.len() + s.village.len();
    let mut out = Vec::with_capacity(96 + 16 * s.parties.len() + text);
    out.extend_from_slice(&s.revision.to_be_bytes());
    out.extend_from_slice(&s.station.to_bytes());
    out.extend_from_slice(&s.assigned_to.to_bytes());
    out.push(s.status.code());
    out.push(u8::try_from(s.risk.rank()).unwrap_or(u8::MAX));
    let flags = if s.feedback_given { FEEDBACK_GIVEN } else { 0 }
        | if s.extension_pending {
            EXTENSION_PENDING
        } else {
            0
        };
    out.push(flags);
    out.extend_from_slice(&s.reported_on.num_days_from_ce().to_be_bytes());
    for day in [s.accepted_on, s.deadline, s.last_contact] {
        let day = day.map_or(NONE, |d| d.num_days_from_ce());
        out.extend_from_slice(&day.to_be_bytes());
    }
    match s.feedback_due {
        Some(at) => {
            out.push(1);
            out.extend_from_slice(&at.timestamp().to_be_bytes());
            out.extend_from_slice(&at.timestamp_subsec_nanos().to_be_bytes());
        }
        None => out.extend_from_slice(&[0; 13]),
    }
    out.extend_from_slice(&len32(s.parties.len()));
    for party in &s.parties {
        out.extend_from_slice(&party.to_bytes());
    }
    for part in [&s.title, &s.category, &s.village] {
        out.extend_from_slice(&len32(part.len()));
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// Decodes a row with the id from its key; `None` when the bytes are not a row (a
/// damaged index).
pub(crate) fn decode_dispute_summary(id: Id, value: &[u8]) -> Option<DisputeSummary> {
    let mut r = Reader { value, at: 0 };
    let revision = u64::from_be_bytes(r.take(8)?.try_into().ok()?);
    let station = Id::from_slice(r.take(16)?)?;
    let assigned_to = Id::from_slice(r.take(16)?)?;
    let status_byte = *r.take(1)?.first()?;
    let status = DisputeStatus::ALL
        .into_iter()
        .find(|s| s.code() == status_byte)?;
    let risk = RiskLevel::ALL
        .get(usize::from(*r.take(1)?.first()?))
        .copied()?;
    let flags = *r.take(1)?.first()?;
    let reported_on = day(&mut r)??;
    let accepted_on = day(&mut r)?;
    let deadline = day(&mut r)?;
    let last_contact = day(&mut r)?;
    let has_feedback_due = *r.take(1)?.first()?;
    let secs = i64::from_be_bytes(r.take(8)?.try_into().ok()?);
    let nanos = u32::from_be_bytes(r.take(4)?.try_into().ok()?);
    let feedback_due = match has_feedback_due {
        0 => None,
        1 => Some(DateTime::<Utc>::from_timestamp(secs, nanos)?),
        _ => return None,
    };
    let count = u32::from_be_bytes(r.take(4)?.try_into().ok()?);
    let mut parties = Vec::with_capacity(usize::try_from(count).ok()?.min(64));
    for _ in 0..count {
        parties.push(Id::from_slice(r.take(16)?)?);
    }
    let mut text = || -> Option<String> {
        let len = u32::from_be_bytes(r.take(4)?.try_into().ok()?);
        r.text(usize::try_from(len).ok()?)
    };
    let title = text()?;
    let category = text()?;
    let village = text()?;
    if r.at != value.len() {
        return None;
    }
    Some(DisputeSummary {
        id,
        revision,
        station,
        status,
        title,
        category,
        risk,
        assigned_to,
        village,
        parties,
        reported_on,
        accepted_on,
        deadline,
        feedback_due,
        feedback_given: flags & FEEDBACK_GIVEN != 0,
        last_contact,
        extension_pending: flags & EXTENSION_PENDING != 0,
    })
}

fn len32(len: usize) -> [u8; 4] {
    u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes()
}

/// A day or its absence (`Some(None)`); `None` when the bytes are damaged.
fn day(r: &mut Reader) -> Option<Option<NaiveDate>> {
    let days = i32::from_be_bytes(r.take(4)?.try_into().ok()?);
    if days == NONE {
        return Some(None);
    }
    NaiveDate::from_num_days_from_ce_opt(days).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> DisputeSummary {
        DisputeSummary {
            id: Id::new(),
            revision: 12,
            station: Id::new(),
            status: DisputeStatus::Mediating,
            title: "王家与李家宅基地边界纠纷".into(),
            category: "land".into(),
            risk: RiskLevel::Orange,
            assigned_to: Id::new(),
            village: "北岭村".into(),
            parties: vec![Id::new(), Id::new(), Id::new()],
            reported_on: NaiveDate::from_ymd_opt(2026, 2, 28).expect("date"),
            accepted_on: NaiveDate::from_ymd_opt(2026, 3, 1),
            deadline: NaiveDate::from_ymd_opt(2028, 2, 29),
            feedback_due: DateTime::<Utc>::from_timestamp(1_790_000_000, 123_456_789),
            feedback_given: true,
            last_contact: NaiveDate::from_ymd_opt(1, 1, 1),
            extension_pending: true,
        }
    }

    #[test]
    fn summaries_round_trip() {
        let full = summary();
        let bare = DisputeSummary {
            title: String::new(),
            village: String::new(),
            parties: Vec::new(),
            accepted_on: None,
            deadline: None,
            feedback_due: None,
            feedback_given: false,
            last_contact: None,
            extension_pending: false,
            ..summary()
        };
        for s in [full, bare] {
            assert_eq!(
                decode_dispute_summary(s.id, &encode_dispute_summary(&s)),
                Some(s)
            );
        }
        for status in DisputeStatus::ALL {
            for risk in RiskLevel::ALL {
                let s = DisputeSummary {
                    status,
                    risk,
                    feedback_given: false,
                    ..summary()
                };
                assert_eq!(
                    decode_dispute_summary(s.id, &encode_dispute_summary(&s)),
                    Some(s)
                );
            }
        }
    }

    #[test]
    fn damaged_bytes_are_refused_not_misread() {
        let s = summary();
        let bytes = encode_dispute_summary(&s);
        for cut in 0..bytes.len() {
            assert_eq!(
                decode_dispute_summary(s.id, &bytes[..cut]),
                None,
                "cut {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_dispute_summary(s.id, &longer), None);
        let mut bad_status = bytes.clone();
        bad_status[40] = 200;
        assert_eq!(decode_dispute_summary(s.id, &bad_status), None);
        let mut bad_risk = bytes;
        bad_risk[41] = 4;
        assert_eq!(decode_dispute_summary(s.id, &bad_risk), None);
    }
}
