//! Cleaning of free-text input: trimmed, length-limited, no control characters, no
//! invisible bidi or zero-width characters; and the one way text from a store or a file
//! is shown to a person ([`visible`]).
//!
//! Why: a name carrying U+202E (right-to-left override) is drawn reversed, so a list
//! line can show something other than what it holds; an ESC in a cell can recolour,
//! move or clear the officer's terminal. Names are stored without
//! such characters, and whatever an older store or a file still holds is shown as a
//! visible `\u202E` escape, never sent to the terminal raw.

use super::{Field, ValidationError};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Length limits in characters, chosen for what fits a record card, not for the store.
pub mod limits {
    pub const NAME: usize = 40;
    pub const SHORT: usize = 80;
    pub const ADDRESS: usize = 200;
    pub const NOTES: usize = 2000;
}

/// Characters beyond the control characters that change how text is drawn while
/// being invisible themselves: bidi embeddings, overrides, isolates and marks, and the
/// zero-width space, joiners, word joiner and BOM. (A zero-width joiner inside an emoji
/// sequence goes too: the emoji falls apart into its pieces, nothing is lost.)
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
            | '\u{200b}'..='\u{200d}'
            | '\u{2060}'
            | '\u{feff}'
    )
}

/// Whether `c` must never reach a terminal raw: a control character (C0, DEL, C1 —
/// ESC starts every terminal escape sequence) or a [hidden](is_hidden) one.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_hidden(c)
}

/// `s` without [hidden](is_hidden) characters; borrowed when there are none.
pub fn strip_hidden(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_hidden) {
        Cow::Owned(s.chars().filter(|&c| !is_hidden(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` made safe to draw or print on one line: every control or hidden character is
/// written as a visible `\uXXXX` escape (the same form JSON uses, so a JSON line stays
/// valid). Chinese text, emoji and all other printable characters are left exactly as
/// they are; text with nothing to show is borrowed.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Like [`visible`] for text of several lines (notes, a report, a message): line breaks
/// (`\n`, `\r\n`) and tabs stay.
pub fn visible_multiline(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, multiline: bool) -> Cow<'_, str> {
    let keep = |c: char, next: Option<char>| {
        multiline && (c == '\n' || c == '\t' || (c == '\r' && next == Some('\n')))
    };
    let mut chars = s.chars().peekable();
    let mut needs = false;
    while let Some(c) = chars.next() {
        if is_unsafe(c) && !keep(c, chars.peek().copied()) {
            needs = true;
            break;
        }
    }
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if is_unsafe(c) && !keep(c, chars.peek().copied()) {
            let _ = write!(out, "\\u{:04X}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters of an untrusted value kept in an audit detail or a message.
pub const QUOTE_MAX: usize = 64;

/// An untrusted value (a username typed at login, a cell of a file) fit to be quoted
/// in the audit log or a message: cut to [`QUOTE_MAX`] characters with `…`, and
/// [`visible`]. A 100,000-character name must not become a 100 KB audit entry.
pub fn quoted(s: &str) -> String {
    let mut cut: String = s.chars().take(QUOTE_MAX).collect();
    if s.chars().nth(QUOTE_MAX).is_some() {
        cut.push('…');
    }
    visible(&cut).into_owned()
}

/// Trims `input` and checks it. `multiline` allows line breaks and tabs (notes); every
/// other control character is refused, since pasted text from spreadsheets and chat apps
/// carries them invisibly. Bidi and zero-width characters ([`is_hidden`]) are removed:
/// nobody can see them to delete them, and kept they would change how the text is drawn.
pub fn clean(
    field: Field,
    input: &str,
    max_chars: usize,
    required: bool,
    multiline: bool,
) -> Result<String, ValidationError> {
    let stripped = strip_hidden(input);
    let trimmed = stripped.trim();
    if trimmed.is_empty() {
        return if required {
            Err(ValidationError::Required(field))
        } else {
            Ok(String::new())
        };
    }
    let bad = trimmed
        .chars()
        .find(|&c| c.is_control() && !(multiline && (c == '\n' || c == '\t')));
    if let Some(found) = bad {
        return Err(ValidationError::ControlCharacter { field, found });
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
    use beatbook_i18n::Localize;

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
            Err(ValidationError::ControlCharacter {
                field: Field::Name,
                found: '\u{7}'
            })
        );
        assert_eq!(
            clean(Field::Name, "张\n三", 40, true, false),
            Err(ValidationError::ControlCharacter {
                field: Field::Name,
                found: '\n'
            })
        );
        let e = clean(Field::Name, "张\u{1b}[31m三", 40, true, false).expect_err("ESC");
        assert!(
            e.localize(beatbook_i18n::Lang::Zh).contains("\\u001B"),
            "{e}"
        );
        assert!(e.to_string().contains("\\u001B"), "{e}");
        assert!(clean(Field::Notes, "第一行\n第二行", 100, false, true).is_ok());
        assert!(clean(Field::Notes, "x\u{1b}[31m", 100, false, true).is_err());
    }

    #[test]
    fn bidi_and_zero_width_removed_chinese_untouched() {
        for name in ["张三", "𠮷", "堃", "买买提·吐尔逊", "欧阳 娜娜"] {
            assert_eq!(
                clean(Field::Name, name, 40, true, false),
                Ok(name.to_string())
            );
            assert_eq!(visible(name), name);
        }
        assert_eq!(
            clean(
                Field::Name,
                "\u{202e}张\u{200b}三\u{2066}\u{feff}",
                40,
                true,
                false
            ),
            Ok("张三".into())
        );
        assert_eq!(
            clean(Field::Name, "\u{200f}\u{061c}", 40, true, false),
            Err(ValidationError::Required(Field::Name))
        );
        assert!(clean(Field::Notes, "a\u{202d}b\nc", 100, false, true) == Ok("ab\nc".into()));
    }

    #[test]
    fn visible_escapes_controls_and_hidden_characters() {
        assert_eq!(visible("a\u{1b}[31mb"), "a\\u001B[31mb");
        assert_eq!(visible("x\u{202e}y\u{9b}"), "x\\u202Ey\\u009B");
        assert_eq!(visible("a\nb"), "a\\u000Ab");
        assert_eq!(visible_multiline("a\r\nb\tc\rd"), "a\r\nb\tc\\u000Dd");
        assert!(matches!(visible("张三 ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn quoted_caps_and_shows() {
        let long = "a".repeat(100_000);
        let q = quoted(&long);
        assert_eq!(q.chars().count(), QUOTE_MAX + 1);
        assert!(q.ends_with('…'));
        assert_eq!(quoted("ad\u{202e}min"), "ad\\u202Emin");
        assert_eq!(quoted("张三"), "张三");
    }
}
