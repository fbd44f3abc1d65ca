//! Cleaning of free-text input: trimmed, length-limited, no control characters.

use super::{Field, ValidationError};

/// Length limits in characters, chosen for what fits a record card, not for the store.
pub mod limits {
    pub const NAME: usize = 40;
    pub const SHORT: usize = 80;
    pub const ADDRESS: usize = 200;
    pub const NOTES: usize = 2000;
}

/// Trims `input` and checks it. `multiline` allows line breaks and tabs (notes); every
/// other control character is refused, since pasted text from spreadsheets and chat apps
/// carries them invisibly.
pub fn clean(
    field: Field,
    input: &str,
    max_chars: usize,
    required: bool,
    multiline: bool,
) -> Result<String, ValidationError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return if required {
            Err(ValidationError::Required(field))
        } else {
            Ok(String::new())
        };
    }
    let bad = trimmed
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')));
    if bad {
        return Err(ValidationError::ControlCharacters(field));
    }
    if trimmed.chars().count() > max_chars {
        return Err(ValidationError::TooLong {
            field,
            max: max_chars,
        });
    }
    Ok(trimmed.to_string())
}

/// Like [`clean`] for an optional single-line field: empty becomes `None`.
pub fn clean_optional(
    field: Field,
    input: &str,
    max_chars: usize,
) -> Result<Option<String>, ValidationError> {
    let s = clean(field, input, max_chars, false, false)?;
    Ok(if s.is_empty() { None } else { Some(s) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_limits() {
        assert_eq!(
            clean(Field::Name, "  张三 ", 40, true, false),
            Ok("张三".into())
        );
        assert_eq!(
            clean(Field::Name, "   ", 40, true, false),
            Err(ValidationError::Required(Field::Name))
        );
        assert_eq!(clean(Field::Notes, "", 40, false, true), Ok(String::new()));
        let long = "字".repeat(41);
        assert_eq!(
            clean(Field::Name, &long, 40, true, false),
            Err(ValidationError::TooLong {
                field: Field::Name,
                max: 40
            })
        );
        // The limit counts characters, not bytes: 40 Chinese characters fit.
        assert!(clean(Field::Name, &"字".repeat(40), 40, true, false).is_ok());
    }

    #[test]
    fn control_characters_refused_except_line_breaks_in_notes() {
        assert_eq!(
            clean(Field::Name, "张\u{7}三", 40, true, false),
            Err(ValidationError::ControlCharacters(Field::Name))
        );
        assert_eq!(
            clean(Field::Name, "张\n三", 40, true, false),
            Err(ValidationError::ControlCharacters(Field::Name))
        );
        assert!(clean(Field::Notes, "第一行\n第二行", 100, false, true).is_ok());
        assert!(clean(Field::Notes, "x\u{1b}[31m", 100, false, true).is_err());
    }
}
