//! A calendar month of the terminal's local time: month boundaries are local dates, so a
//! dispute reported at 2026-10-31T20:00Z counts in November at a +08:00 station.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use std::fmt;

/// A month, `2026-11`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1..=12.
    month: u32,
}

impl Month {
    /// The month of a date.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Builds a month; None when `month` is not 1..=12 or the year is out of range.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Month { year, month })
    }

    /// Parses `2026-11` (also `2026-1`, `2026/11`, `202611`). None for anything else.
    pub fn parse(s: &str) -> Option<Month> {
        let s = s.trim();
        let (y, m) = match s.split_once(['-', '/']) {
            Some((y, m)) => (y, m),
            None if s.len() == 6 && s.is_ascii() => s.split_at(4),
            None => return None,
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        if !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the next month.
    fn end_day(self) -> NaiveDate {
        self.next().first_day()
    }

    /// The last day.
    pub fn last_day(self) -> NaiveDate {
        self.end_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` falls in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// This month and the `n - 1` before it, oldest first.
    pub fn trailing(self, n: usize) -> Vec<Month> {
        let mut out = Vec::with_capacity(n);
        let mut m = self;
        for _ in 0..n {
            out.push(m);
            m = m.prev();
        }
        out.reverse();
        out
    }

    /// The instant local midnight of the first day falls on, in `zone`.
    pub fn start_instant(self, zone: FixedOffset) -> DateTime<Utc> {
        local_midnight(self.first_day(), zone)
    }

    /// The instant local midnight of the first day of the next month falls on.
    pub fn end_instant(self, zone: FixedOffset) -> DateTime<Utc> {
        local_midnight(self.end_day(), zone)
    }
}

/// Midnight at the start of `date` in `zone`, as an instant.
pub fn local_midnight(date: NaiveDate, zone: FixedOffset) -> DateTime<Utc> {
    let naive = date.and_time(chrono::NaiveTime::MIN);
    match zone.from_local_datetime(&naive).single() {
        Some(t) => t.with_timezone(&Utc),
        None => naive.and_utc(),
    }
}

/// The local date of an instant in `zone`.
pub fn local_date(at: DateTime<Utc>, zone: FixedOffset) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(Month::parse("2026-11"), Month::new(2026, 11));
        assert_eq!(Month::parse(" 2026/1 "), Month::new(2026, 1));
        assert_eq!(Month::parse("202611"), Month::new(2026, 11));
        for bad in [
            "2026-13",
            "2026-0",
            "26-11",
            "2026-",
            "november",
            "",
            "2026-1x",
            "２０２６-11",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn boundaries_are_local() {
        let zone = FixedOffset::east_opt(8 * 3600).expect("zone");
        let nov = Month::new(2026, 11).expect("month");
        assert_eq!(
            nov.start_instant(zone).to_rfc3339(),
            "2026-10-31T16:00:00+00:00"
        );
        assert_eq!(
            nov.end_instant(zone).to_rfc3339(),
            "2026-11-30T16:00:00+00:00"
        );
        let at = "2026-10-31T20:00:00Z".parse::<DateTime<Utc>>().expect("t");
        assert!(nov.contains(local_date(at, zone)));
        assert_eq!(nov.next().to_string(), "2026-12");
        assert_eq!(
            Month::new(2026, 1).expect("m").prev().to_string(),
            "2025-12"
        );
        assert_eq!(nov.trailing(12)[0].to_string(), "2025-12");
        assert_eq!(
            nov.last_day(),
            NaiveDate::from_ymd_opt(2026, 11, 30).expect("d")
        );
    }
}
