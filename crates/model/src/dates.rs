//! Dates as officers type them.

use super::{Field, ValidationError};
use chrono::{Datelike, Days, NaiveDate};

/// Parses a date typed into a form, relative to `today`:
/// `2026-11-25`, `2026/11/25`, `20261125`, `11-25` (this year), `+7` (in 7 days),
/// `-3` (3 days ago), `0` or `today`/`今天`.
pub fn parse_date_input(
    field: Field,
    input: &str,
    today: NaiveDate,
) -> Result<NaiveDate, ValidationError> {
    let s = input.trim();
    let invalid = || ValidationError::InvalidDate {
        field,
        input: s.to_string(),
    };
    // The years a typed date may fall in, whichever way it was typed.
    let in_range = |d: &NaiveDate| (1880..=2200).contains(&d.year());
    if s.is_empty() {
        return Err(ValidationError::Required(field));
    }
    if s == "0" || s.eq_ignore_ascii_case("today") || s == "今天" {
        return Ok(today);
    }
    if let Some(rest) = s.strip_prefix('+') {
        let n: u64 = rest.trim().parse().map_err(|_| invalid())?;
        return today
            .checked_add_days(Days::new(n))
            .filter(in_range)
            .ok_or_else(invalid);
    }
    if let Some(rest) = s.strip_prefix('-') {
        let n: u64 = rest.trim().parse().map_err(|_| invalid())?;
        return today
            .checked_sub_days(Days::new(n))
            .filter(in_range)
            .ok_or_else(invalid);
    }
    let unified = s.replace(['/', '.', '年', '月'], "-").replace('日', "");
    for fmt in ["%Y-%m-%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&unified, fmt) {
            if in_range(&d) {
                return Ok(d);
            }
        }
    }
    let parts: Vec<&str> = unified.split('-').collect();
    if parts.len() == 2 {
        let m: u32 = parts[0].parse().map_err(|_| invalid())?;
        let d: u32 = parts[1].parse().map_err(|_| invalid())?;
        return NaiveDate::from_ymd_opt(today.year(), m, d).ok_or_else(invalid);
    }
    Err(invalid())
}

/// Like [`parse_date_input`], but empty input means "no date".
pub fn parse_optional_date(
    field: Field,
    input: &str,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, ValidationError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date_input(field, input, today).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    #[test]
    fn accepted_forms() {
        let today = d(2026, 11, 25);
        let f = Field::DueDate;
        assert_eq!(parse_date_input(f, "2026-12-01", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input(f, "2026/12/01", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input(f, "20261201", today), Ok(d(2026, 12, 1)));
        assert_eq!(
            parse_date_input(f, "2026年12月1日", today),
            Ok(d(2026, 12, 1))
        );
        assert_eq!(parse_date_input(f, "12-01", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input(f, "+7", today), Ok(d(2026, 12, 2)));
        assert_eq!(parse_date_input(f, "-1", today), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date_input(f, "今天", today), Ok(today));
    }

    #[test]
    fn impossible_dates_refused() {
        let today = d(2026, 11, 25);
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "13-01",
            "+x",
            "yesterday",
            "2026-13-01",
        ] {
            assert!(
                matches!(
                    parse_date_input(Field::DueDate, bad, today),
                    Err(ValidationError::InvalidDate { .. })
                ),
                "{bad} should be refused"
            );
        }
        assert_eq!(
            parse_date_input(Field::DueDate, "2028-02-29", today),
            Ok(d(2028, 2, 29))
        );
        assert_eq!(
            parse_date_input(Field::DueDate, " ", today),
            Err(ValidationError::Required(Field::DueDate))
        );
    }
}
