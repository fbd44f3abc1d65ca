//! A one-line text input that counts display columns, not characters: Chinese characters
//! take two columns, and the real terminal cursor is placed after them so an input method
//! shows its composition where the officer is typing.

use crate::keymap::Key;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthChar;

/// Editable single-line text.
#[derive(Clone, Debug, Default)]
pub struct TextField {
    input: Input,
    /// Show `*` instead of the characters (passwords).
    secret: bool,
}

/// Display width of one character as this field draws it (controls are drawn as `?`).
fn char_width(c: char, secret: bool) -> usize {
    if secret || c.is_control() {
        1
    } else {
        c.width().unwrap_or(1)
    }
}

impl TextField {
    pub fn new(value: &str) -> TextField {
        TextField {
            input: Input::new(value.to_string()),
            secret: false,
        }
    }

    pub fn secret() -> TextField {
        TextField {
            input: Input::default(),
            secret: true,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn set_value(&mut self, value: &str) {
        let secret = self.secret;
        self.input = Input::new(value.to_string());
        self.secret = secret;
    }

    /// Inserts text at the cursor as it is; a paste is cleaned first by the form
    /// (`widgets::form_input::clean_input`), which says what it removed.
    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            self.input.handle(InputRequest::InsertChar(c));
        }
    }

    /// Applies an editing key; returns false when the key is not an editing key (so the
    /// keymap gets it).
    pub fn handle_key(&mut self, ev: &KeyEvent, key: &Key) -> bool {
        if let Some(c) = key.typed_char() {
            // A typed bidi override or zero-width character (an IME or a compose key can
            // send one) is swallowed: nobody could see it to delete it.
            if !beatbook_model::text::is_unsafe(c) {
                self.input.handle(InputRequest::InsertChar(c));
            }
            return true;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let req = match ev.code {
            KeyCode::Backspace if ctrl => InputRequest::DeletePrevWord,
            KeyCode::Backspace => InputRequest::DeletePrevChar,
            KeyCode::Delete => InputRequest::DeleteNextChar,
            KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
            KeyCode::Left => InputRequest::GoToPrevChar,
            KeyCode::Right if ctrl => InputRequest::GoToNextWord,
            KeyCode::Right => InputRequest::GoToNextChar,
            KeyCode::Home => InputRequest::GoToStart,
            KeyCode::End => InputRequest::GoToEnd,
            KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
            KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
            KeyCode::Char('k') if ctrl && !self.input.value().is_empty() => {
                InputRequest::DeleteTillEnd
            }
            KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
            KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
            _ => return false,
        };
        self.input.handle(req);
        true
    }

    /// Display column of the cursor from the start of the text.
    fn cursor_column(&self) -> usize {
        self.input
            .value()
            .chars()
            .take(self.input.cursor())
            .map(|c| char_width(c, self.secret))
            .sum()
    }

    /// Draws the visible part of the text into `area` (one line), scrolled so the cursor
    /// stays visible, and places the terminal cursor when `focused`.
    pub fn render(&self, frame: &mut Frame, area: Rect, style: Style, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let width = usize::from(area.width);
        let cursor = self.cursor_column();
        // Keep one column free for the cursor after the last character.
        let scroll = cursor.saturating_sub(width.saturating_sub(1));
        let mut col = 0;
        let mut shown = String::new();
        let mut shown_width = 0;
        let mut warn = false;
        for c in self.input.value().chars() {
            let w = char_width(c, self.secret);
            if col < scroll {
                col += w;
                if col > scroll {
                    // A wide character cut by the left edge: pad its visible half.
                    shown.push(' ');
                    shown_width += col - scroll;
                }
                continue;
            }
            if shown_width + w > width {
                break;
            }
            if self.secret {
                shown.push('*');
            } else if c == '\n' {
                // A line break in a multi-line field (notes): shown, not a warning.
                shown.push('⏎');
            } else if c.is_control() {
                shown.push('?');
                warn = true;
            } else {
                shown.push(c);
            }
            shown_width += w;
            col += w;
        }
        let span_style = if warn {
            style.fg(ratatui::style::Color::Red)
        } else {
            style
        };
        frame.render_widget(Line::from(Span::styled(shown, span_style)), area);
        if focused {
            let x = area.x + u16::try_from(cursor - scroll).unwrap_or(area.width.saturating_sub(1));
            frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(field: &mut TextField, c: char) {
        let ev = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let key = Key::from_event(&ev).expect("key");
        assert!(field.handle_key(&ev, &key));
    }

    #[test]
    fn cursor_counts_display_columns() {
        let mut f = TextField::default();
        for c in "张三丰".chars() {
            press(&mut f, c);
        }
        assert_eq!(f.value(), "张三丰");
        assert_eq!(f.cursor_column(), 6);
        press(&mut f, 'a');
        assert_eq!(f.cursor_column(), 7);
    }

    #[test]
    fn secret_fields_count_one_column_per_character() {
        let mut f = TextField::secret();
        for c in "密码ab".chars() {
            press(&mut f, c);
        }
        assert_eq!(f.cursor_column(), 4);
    }
}
