//! A form in a box: labelled fields, one focused; Tab/Shift-Tab move, the keymap's `save`
//! saves, Enter on the last field saves. What was typed stays when a save is refused.

use super::form_input::{clean_input, is_multiline};
use crate::keymap::Key;
use beatbook_i18n::Bi;
use beatbook_model::Field;
use beatbook_service::PersonCard;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

mod fields;
mod render;

pub use fields::*;
pub use render::{person_line, person_summary};

/// How many person matches a picker shows.
pub const PICKER_ROWS: usize = 6;

/// What an editing key did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Not an editing key: give it to the keymap.
    NotHandled,
    Handled,
    /// A picker's query changed: look persons up again.
    QueryChanged,
}

/// A form: fields, focus and the last refusal.
#[derive(Clone, Debug)]
pub struct Form {
    pub title: Bi,
    /// A line above the fields (what the form is about).
    pub subtitle: Option<String>,
    pub fields: Vec<FormField>,
    pub focus: usize,
    pub error: Option<String>,
    initial: Vec<String>,
}

impl Form {
    pub fn new(title: Bi, fields: Vec<FormField>) -> Form {
        let initial = fields.iter().map(FormField::value).collect();
        Form {
            title,
            subtitle: None,
            fields,
            focus: 0,
            error: None,
            initial,
        }
    }

    pub fn with_subtitle(mut self, subtitle: String) -> Form {
        self.subtitle = Some(subtitle);
        self
    }

    /// Whether anything differs from how the form opened (then leaving asks first).
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, initial)| f.value() != *initial)
    }

    pub fn focused(&self) -> Option<&FormField> {
        self.fields.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut FormField> {
        self.fields.get_mut(self.focus)
    }

    pub fn on_last_field(&self) -> bool {
        self.focus + 1 >= self.fields.len()
    }

    pub fn next_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    /// Moves the focus to `field` (after a refusal that names it).
    pub fn focus_field(&mut self, field: Field) {
        if let Some(i) = self.fields.iter().position(|f| f.field == field) {
            self.focus = i;
        }
    }

    /// The text of a text field.
    pub fn text(&self, field: Field) -> String {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| match &f.input {
                Input::Text(t) => t.value().to_string(),
                Input::Suggest(s) => s.text.value().to_string(),
                _ => String::new(),
            })
            .unwrap_or_default()
    }

    /// The selected index of a choice field.
    pub fn choice(&self, field: Field) -> Option<usize> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .and_then(|f| match &f.input {
                Input::Choice(c) => c.selected,
                _ => None,
            })
    }

    /// The person chosen in a picker field.
    pub fn picked(&self, field: Field) -> Option<&PersonCard> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .and_then(|f| match &f.input {
                Input::Picker(p) => p.chosen.as_ref(),
                _ => None,
            })
    }

    /// The focused picker (alone or inside a party list), if the focus is on one.
    pub fn focused_picker_mut(&mut self) -> Option<&mut Picker> {
        match self.focused_mut().map(|f| &mut f.input) {
            Some(Input::Picker(p)) => Some(p),
            Some(Input::Parties(list)) => Some(&mut list.picker),
            _ => None,
        }
    }

    /// The focused text field with suggestions, if the focus is on one.
    pub fn focused_suggest_mut(&mut self) -> Option<&mut Suggest> {
        match self.focused_mut().map(|f| &mut f.input) {
            Some(Input::Suggest(s)) => Some(s),
            _ => None,
        }
    }

    /// The focused party list, if the focus is on one.
    pub fn focused_parties_mut(&mut self) -> Option<&mut PartyList> {
        match self.focused_mut().map(|f| &mut f.input) {
            Some(Input::Parties(list)) => Some(list),
            _ => None,
        }
    }

    /// The parties of a party-list field.
    pub fn parties(&self, field: Field) -> Vec<(PersonCard, beatbook_model::PartyRole)> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .and_then(|f| match &f.input {
                Input::Parties(list) => Some(list.parties.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The ticked codes of a check-list field.
    pub fn checked(&self, field: Field) -> Vec<String> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .and_then(|f| match &f.input {
                Input::Checks(c) => Some(c.codes()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Inserts pasted text into the focused text field.
    pub fn paste(&mut self, text: &str) -> Edit {
        self.paste_cleaned(text).0
    }

    /// Inserts pasted text into the focused field, cleaned there (line endings and tabs
    /// normalised, other control characters dropped: see [`clean_input`]); also returns
    /// how many characters were dropped, for the message that says so.
    pub fn paste_cleaned(&mut self, text: &str) -> (Edit, usize) {
        let multiline = self.focused().is_some_and(|f| is_multiline(f.field));
        let (text, removed) = clean_input(text, multiline);
        let text = text.as_str();
        let edit = match self.focused_mut().map(|f| &mut f.input) {
            Some(Input::Text(t)) => {
                t.insert_str(text);
                Edit::Handled
            }
            Some(Input::Suggest(s)) => {
                s.text.insert_str(text);
                s.typed_now();
                Edit::Handled
            }
            Some(Input::Picker(p)) => {
                p.query.insert_str(text);
                p.chosen = None;
                Edit::QueryChanged
            }
            Some(Input::Parties(list)) => {
                list.picker.query.insert_str(text);
                Edit::QueryChanged
            }
            _ => Edit::NotHandled,
        };
        (edit, removed)
    }

    /// Gives an editing key to the focused field.
    pub fn edit(&mut self, ev: &KeyEvent, key: &Key) -> Edit {
        let Some(field) = self.focused_mut() else {
            return Edit::NotHandled;
        };
        match &mut field.input {
            Input::Text(t) => {
                if t.handle_key(ev, key) {
                    Edit::Handled
                } else {
                    Edit::NotHandled
                }
            }
            Input::Suggest(s) => {
                if s.text.handle_key(ev, key) {
                    s.typed_now();
                    Edit::Handled
                } else {
                    Edit::NotHandled
                }
            }
            Input::Choice(c) => {
                let n = c.options.len();
                if n == 0 {
                    return Edit::NotHandled;
                }
                match (ev.code, key.typed_char()) {
                    (KeyCode::Right, _) | (_, Some(' ')) => {
                        c.selected = Some(c.selected.map_or(0, |i| (i + 1) % n));
                    }
                    (KeyCode::Left, _) => {
                        c.selected = Some(c.selected.map_or(n - 1, |i| (i + n - 1) % n));
                    }
                    (_, Some(d)) if d.is_ascii_digit() => {
                        let i = d.to_digit(10).unwrap_or(0) as usize;
                        if (1..=n).contains(&i) {
                            c.selected = Some(i - 1);
                        }
                    }
                    _ => return Edit::NotHandled,
                }
                Edit::Handled
            }
            Input::Checks(c) => {
                let n = c.options.len();
                if n == 0 {
                    return Edit::NotHandled;
                }
                match (ev.code, key.typed_char()) {
                    (KeyCode::Right, _) => c.cursor = (c.cursor + 1) % n,
                    (KeyCode::Left, _) => c.cursor = (c.cursor + n - 1) % n,
                    (_, Some(' ')) => {
                        if let Some(flag) = c.checked.get_mut(c.cursor) {
                            *flag = !*flag;
                        }
                    }
                    _ => return Edit::NotHandled,
                }
                Edit::Handled
            }
            Input::Picker(p) => {
                if p.query.handle_key(ev, key) {
                    p.chosen = None;
                    p.highlighted = 0;
                    Edit::QueryChanged
                } else {
                    Edit::NotHandled
                }
            }
            Input::Parties(list) => {
                // Backspace on an empty query removes the last party.
                if ev.code == KeyCode::Backspace && list.picker.query.value().is_empty() {
                    list.parties.pop();
                    return Edit::Handled;
                }
                if list.picker.query.handle_key(ev, key) {
                    list.picker.highlighted = 0;
                    Edit::QueryChanged
                } else {
                    Edit::NotHandled
                }
            }
        }
    }

    /// The first field to draw so that the focused one is visible in `rows`.
    fn first_visible(&self, rows: u16) -> usize {
        let mut first = 0;
        loop {
            let used: u16 = self.fields
                [first..=self.focus.min(self.fields.len().saturating_sub(1))]
                .iter()
                .enumerate()
                .map(|(i, f)| f.height(first + i == self.focus))
                .sum();
            if used <= rows || first >= self.focus {
                return first;
            }
            first += 1;
        }
    }
}
