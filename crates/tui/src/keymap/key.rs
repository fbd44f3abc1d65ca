//! One key press as keymaps name it (`ctrl-s`, `F2`, `G`): parsed from a keymap file, matched against terminal events and shown in hints.

#[allow(unused_imports)]
use super::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key press as bound: a code and its modifiers (Shift folded into the character).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyRepr,
    ctrl: bool,
    alt: bool,
}

/// `KeyCode` is not `Ord`; this is the subset keymaps can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyRepr {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

impl Key {
    /// The key of a terminal event, normalised as keymaps write it.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let code = match ev.code {
            KeyCode::Char(c) => KeyRepr::Char(if ev.modifiers.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            }),
            KeyCode::F(n) => KeyRepr::F(n),
            KeyCode::Enter => KeyRepr::Enter,
            KeyCode::Esc => KeyRepr::Esc,
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyRepr::BackTab,
            KeyCode::Tab => KeyRepr::Tab,
            KeyCode::BackTab => KeyRepr::BackTab,
            KeyCode::Backspace => KeyRepr::Backspace,
            KeyCode::Delete => KeyRepr::Delete,
            KeyCode::Insert => KeyRepr::Insert,
            KeyCode::Up => KeyRepr::Up,
            KeyCode::Down => KeyRepr::Down,
            KeyCode::Left => KeyRepr::Left,
            KeyCode::Right => KeyRepr::Right,
            KeyCode::Home => KeyRepr::Home,
            KeyCode::End => KeyRepr::End,
            KeyCode::PageUp => KeyRepr::PageUp,
            KeyCode::PageDown => KeyRepr::PageDown,
            _ => return None,
        };
        Some(Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// Parses keymap notation: `j`, `G`, `?`, `<Enter>`, `<C-s>`, `<A-x>`, `<S-Tab>`, `<F2>`,
    /// `<Space>`, `<PageDown>`.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                return Ok(Key {
                    code: KeyRepr::Char(c),
                    ctrl: false,
                    alt: false,
                })
            }
            (None, _) => return Err("empty key".into()),
            _ => {}
        }
        let inner = s
            .strip_prefix('<')
            .and_then(|r| r.strip_suffix('>'))
            .ok_or_else(|| format!("'{s}' is not a key: write a single character or <Name>"))?;
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = inner;
        loop {
            if let Some(r) = rest.strip_prefix("C-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("A-") {
                alt = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("S-") {
                shift = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "cr" | "return" => KeyRepr::Enter,
            "esc" | "escape" => KeyRepr::Esc,
            "tab" if shift => KeyRepr::BackTab,
            "tab" => KeyRepr::Tab,
            "backtab" => KeyRepr::BackTab,
            "backspace" | "bs" => KeyRepr::Backspace,
            "delete" | "del" => KeyRepr::Delete,
            "insert" | "ins" => KeyRepr::Insert,
            "up" => KeyRepr::Up,
            "down" => KeyRepr::Down,
            "left" => KeyRepr::Left,
            "right" => KeyRepr::Right,
            "home" => KeyRepr::Home,
            "end" => KeyRepr::End,
            "pageup" | "pgup" => KeyRepr::PageUp,
            "pagedown" | "pgdn" => KeyRepr::PageDown,
            "space" => KeyRepr::Char(' '),
            "lt" => KeyRepr::Char('<'),
            "gt" => KeyRepr::Char('>'),
            other => {
                if let Some(n) = other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    if (1..=12).contains(&n) {
                        KeyRepr::F(n)
                    } else {
                        return Err(format!("'{s}': function keys are F1 to F12"));
                    }
                } else {
                    let mut cs = rest.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => {
                            KeyRepr::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                        }
                        _ => return Err(format!("'{s}' is not a key name")),
                    }
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }

    /// How the help overlay writes the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyRepr::Char(' ') => "Space".to_string(),
            KeyRepr::Char(c) => c.to_string(),
            KeyRepr::F(n) => format!("F{n}"),
            KeyRepr::Enter => "Enter".into(),
            KeyRepr::Esc => "Esc".into(),
            KeyRepr::Tab => "Tab".into(),
            KeyRepr::BackTab => "Shift-Tab".into(),
            KeyRepr::Backspace => "Backspace".into(),
            KeyRepr::Delete => "Del".into(),
            KeyRepr::Insert => "Ins".into(),
            // Arrows read the same in either language ("Left/Right" has no place in a
            // Chinese hint line).
            KeyRepr::Up => "↑".into(),
            KeyRepr::Down => "↓".into(),
            KeyRepr::Left => "←".into(),
            KeyRepr::Right => "→".into(),
            KeyRepr::Home => "Home".into(),
            KeyRepr::End => "End".into(),
            KeyRepr::PageUp => "PgUp".into(),
            KeyRepr::PageDown => "PgDn".into(),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        s.push_str(&base);
        s
    }

    /// A printable character typed without Ctrl/Alt (text input), if this is one.
    pub fn typed_char(&self) -> Option<char> {
        match self.code {
            KeyRepr::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }
}
