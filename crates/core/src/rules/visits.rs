//! How urgent an owed visit is, and which visits Today shows.

use chrono::{Days, NaiveDate};

/// Urgency buckets of the Today list, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Due before today and still owed.
    Overdue,
    /// Due today.
    DueToday,
    /// Due within the look-ahead window.
    Upcoming,
}

/// The bucket of a visit due on `due`.
pub fn urgency(due: NaiveDate, today: NaiveDate) -> Urgency {
    if due < today {
        Urgency::Overdue
    } else if due == today {
        Urgency::DueToday
    } else {
        Urgency::Upcoming
    }
}

/// Days past due (0 when not overdue).
pub fn days_overdue(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days().max(0)
}

/// The last day Today shows (`today` + `window_days`).
pub fn window_end(today: NaiveDate, window_days: u32) -> NaiveDate {
    today
        .checked_add_days(Days::new(u64::from(window_days)))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).expect("date")
    }

    #[test]
    fn buckets_and_days() {
        let today = d(3, 1);
        assert_eq!(urgency(d(2, 28), today), Urgency::Overdue);
        assert_eq!(days_overdue(d(2, 28), today), 1);
        assert_eq!(urgency(d(3, 1), today), Urgency::DueToday);
        assert_eq!(urgency(d(3, 2), today), Urgency::Upcoming);
        assert_eq!(days_overdue(d(3, 2), today), 0);
        assert_eq!(
            window_end(d(12, 28), 7),
            NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
        );
    }
}
