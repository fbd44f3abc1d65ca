//! What a form field does with the text it is given beyond editing it: pasted text is
//! cleaned at the field (so a save is not refused for characters nobody can see), and a
//! typed date is echoed with its weekday (and resolved, for `+7`) as the officer types.

use beatbook_i18n::Lang;
use beatbook_model::dates::parse_date_input;
use beatbook_model::Field;
use chrono::NaiveDate;

/// Spaces a pasted tab becomes: notes are read in a list, not a spreadsheet.
const TAB: &str = "    ";

/// Fields whose text may hold line breaks (the model allows them there, see
/// `model::text::clean` with `multiline`).
pub fn is_multiline(field: Field) -> bool {
    matches!(
        field,
        Field::Notes
            | Field::Reason
            | Field::How
            | Field::Remarks
            | Field::Rectification
            | Field::Basis
            | Field::Description
            | Field::AgreementText
            | Field::Agreement
            | Field::SessionResult
    )
}

/// Fields that take a date as officers type them (`2026-12-05`, `12-05`, `+7`).
pub fn is_date(field: Field) -> bool {
    matches!(
        field,
        Field::BirthDate
            | Field::DueDate
            | Field::NextVisit
            | Field::HappenedOn
            | Field::SessionDate
            | Field::ResolutionDate
            | Field::HandoverDate
            | Field::AcceptedOn
            | Field::NextReview
            | Field::RectifyBy
            | Field::PerformBy
    )
}

/// Pasted (or typed) text made fit for the field: Windows and old-Mac line endings
/// become `\n` and tabs spaces in a multi-line field (in a one-line field both become a
/// space); every other control character, and every bidi or zero-width one
/// (`model::text::is_hidden`), is dropped. Returns the text and how many characters
/// were dropped, so the officer is told.
pub fn clean_input(text: &str, multiline: bool) -> (String, usize) {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    let mut removed = 0;
    for c in unified.chars() {
        match c {
            '\n' if multiline => out.push('\n'),
            '\t' if multiline => out.push_str(TAB),
            '\n' | '\t' => out.push(' '),
            c if beatbook_model::text::is_unsafe(c) => removed += 1,
            c => out.push(c),
        }
    }
    (out, removed)
}

/// What a date field shows after the typed text: the weekday (`周六` / `Sat`) of a
/// complete date, or the resolved date with its weekday for any other accepted form
/// (`+7` → `2026-12-12 周六`). None while the text is not (yet) a date.
pub fn date_echo(field: Field, value: &str, today: NaiveDate, lang: Lang) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let date = parse_date_input(field, value, today).ok()?;
    let day = crate::screens::weekday(date, lang);
    let iso = date.format("%Y-%m-%d").to_string();
    Some(if value == iso {
        day.to_string()
    } else {
        format!("→ {iso} {day}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_windows_text_is_normalised_and_controls_counted() {
        assert_eq!(
            clean_input("a\r\nb\tc\u{7}", true),
            ("a\nb    c".to_string(), 1)
        );
        assert_eq!(clean_input("a\rb", true), ("a\nb".to_string(), 0));
        assert_eq!(
            clean_input("张\r\n三\u{1b}", false),
            ("张 三".to_string(), 1)
        );
    }

    #[test]
    fn pasted_bidi_and_zero_width_characters_are_dropped_and_counted() {
        assert_eq!(
            clean_input("\u{202e}张\u{200b}三\u{2066}", false),
            ("张三".to_string(), 3)
        );
        assert_eq!(
            clean_input("买买提·吐尔逊 𠮷", false),
            ("买买提·吐尔逊 𠮷".to_string(), 0)
        );
    }

    #[test]
    fn a_date_shows_its_weekday_and_relative_input_resolves() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let f = Field::DueDate;
        assert_eq!(
            date_echo(f, "2026-12-05", today, Lang::Zh).as_deref(),
            Some("周六")
        );
        assert_eq!(
            date_echo(f, "2026-12-05", today, Lang::En).as_deref(),
            Some("Sat")
        );
        assert_eq!(
            date_echo(f, "+7", today, Lang::Zh).as_deref(),
            Some("→ 2026-12-12 周六")
        );
        assert_eq!(date_echo(f, "2026-1", today, Lang::Zh), None);
    }
}
