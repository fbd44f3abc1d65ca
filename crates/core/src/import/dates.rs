//! Dates in roster cells.
//!
//! Stricter than the forms' date input ([`beatbook_model::dates::parse_date_input`]): a file
//! has no "today" to be relative to, so `+7`, `11-25` and `今天` are refused, and so is
//! a two-digit or trailing year (`26/1/5`, `1/5/2026`) whose order is a guess.
//!
//! Accepted: `2026-11-25`, `2026/11/25`, `2026.11.25`, `20261125`, `2026年11月25日`,
//! unpadded `2026/1/5`, each optionally followed by a time (`2026/1/5 0:00`, as Excel
//! writes date-times). A year and month alone (`1949.12`, `1949年12月`, `194912`: the
//! 出生年月 column) is recognised so that it can be checked against the ID number.

use chrono::NaiveDate;

/// What a date cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateCell {
    Empty,
    Date(NaiveDate),
    /// Year and month only.
    YearMonth(i32, u32),
    /// A bare 5-digit number: an Excel date serial, written out because the column was
    /// formatted as a number. Not converted: the 1900 and 1904 date systems differ by
    /// four years and the file does not say which one it used.
    ExcelSerial,
    Invalid,
}

const YEARS: std::ops::RangeInclusive<i32> = 1880..=2200;

/// Reads a date cell (already normalised: ASCII digits, trimmed).
pub fn parse_date_cell(cell: &str) -> DateCell {
    let s = cell.trim();
    if s.is_empty() {
        return DateCell::Empty;
    }
    let s = match s.split_once(' ') {
        Some((date, time)) if is_time(time.trim()) => date,
        _ => s,
    };
    let s = s.strip_suffix('日').unwrap_or(s);
    let s = s.strip_suffix('月').unwrap_or(s);
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            8 => ymd(&s[..4], &s[4..6], Some(&s[6..])),
            6 => ymd(&s[..4], &s[4..], None),
            5 => DateCell::ExcelSerial,
            _ => DateCell::Invalid,
        };
    }
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && !d.is_empty() => ymd(y, m, Some(d)),
        [y, m] if y.len() == 4 => ymd(y, m, None),
        _ => DateCell::Invalid,
    }
}

fn ymd(y: &str, m: &str, d: Option<&str>) -> DateCell {
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month)) = (number(y), number(m)) else {
        return DateCell::Invalid;
    };
    let Ok(year) = i32::try_from(year) else {
        return DateCell::Invalid;
    };
    if !YEARS.contains(&year) || m.len() > 2 {
        return DateCell::Invalid;
    }
    match d {
        None if (1..=12).contains(&month) => DateCell::YearMonth(year, month),
        None => DateCell::Invalid,
        Some(d) => match number(d).filter(|_| d.len() <= 2) {
            Some(day) => {
                NaiveDate::from_ymd_opt(year, month, day).map_or(DateCell::Invalid, DateCell::Date)
            }
            None => DateCell::Invalid,
        },
    }
}

/// `0:00`, `00:00:00`: the time Excel appends to a date-time cell.
fn is_time(s: &str) -> bool {
    s.contains(':') && s.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> DateCell {
        DateCell::Date(NaiveDate::from_ymd_opt(y, m, day).expect("test date"))
    }

    #[test]
    fn accepted_forms() {
        for cell in [
            "2026-11-25",
            "2026/11/25",
            "2026.11.25",
            "20261125",
            "2026年11月25日",
            " 2026-11-25 ",
            "2026/11/25 0:00",
            "2026-11-25 00:00:00",
        ] {
            assert_eq!(parse_date_cell(cell), d(2026, 11, 25), "{cell}");
        }
        assert_eq!(parse_date_cell("2026/1/5"), d(2026, 1, 5));
        assert_eq!(parse_date_cell(""), DateCell::Empty);
    }

    #[test]
    fn year_and_month() {
        for cell in ["1949.12", "1949-12", "1949年12月", "194912"] {
            assert_eq!(
                parse_date_cell(cell),
                DateCell::YearMonth(1949, 12),
                "{cell}"
            );
        }
    }

    #[test]
    fn refused_forms() {
        for cell in [
            "2026-02-30",
            "2026-13-01",
            "26/1/5",
            "1/5/2026",
            "+7",
            "11-25",
            "今天",
            "2026",
            "1800-01-01",
            "2026-011-05",
            "2026-1-5-1",
            "2026/1/5 noon",
            "2026-1-",
        ] {
            assert_eq!(parse_date_cell(cell), DateCell::Invalid, "{cell}");
        }
        assert_eq!(parse_date_cell("45678"), DateCell::ExcelSerial);
    }
}
