//! The kinds of input a form field holds (text, choice, person picker, party list, check list, suggestions) and the field itself.

use super::*;
use crate::widgets::text_field::TextField;
use beatbook_i18n::Bi;
use beatbook_model::Field;
use beatbook_service::PersonCard;

/// A pick list cycled with ←/→ or Space, or chosen by its number.
#[derive(Clone, Debug)]
pub struct Choice {
    pub options: Vec<Bi>,
    pub selected: Option<usize>,
}

/// A person picked by typing part of a name (or pinyin, ID tail, phone tail).
#[derive(Clone, Debug, Default)]
pub struct Picker {
    /// Search every station the role may read, not only the officer's own.
    pub wide: bool,
    pub query: TextField,
    pub results: Vec<PersonCard>,
    pub highlighted: usize,
    pub chosen: Option<PersonCard>,
    /// Said when nobody matches: how to create the person from here, if the form can.
    pub create_hint: Option<Bi>,
}

/// Several persons picked one after another, each with a role (dispute parties).
#[derive(Clone, Debug, Default)]
pub struct PartyList {
    pub picker: Picker,
    pub parties: Vec<(PersonCard, beatbook_model::PartyRole)>,
}

impl PartyList {
    /// The role the next added person gets: applicant, then respondent, then others.
    pub fn next_role(&self) -> beatbook_model::PartyRole {
        use beatbook_model::PartyRole;
        let has = |r| self.parties.iter().any(|(_, role)| *role == r);
        if !has(PartyRole::Applicant) {
            PartyRole::Applicant
        } else if !has(PartyRole::Respondent) {
            PartyRole::Respondent
        } else {
            PartyRole::Other
        }
    }

    /// Adds the highlighted match; false when there is none or it is already listed.
    pub fn add_highlighted(&mut self) -> bool {
        let Some(card) = self.picker.results.get(self.picker.highlighted).cloned() else {
            return false;
        };
        self.add(card)
    }

    /// Adds a person (e.g. one just created inline).
    pub fn add(&mut self, card: PersonCard) -> bool {
        if self.parties.iter().any(|(c, _)| c.id == card.id) {
            return false;
        }
        let role = self.next_role();
        self.parties.push((card, role));
        self.picker.query.set_value("");
        self.picker.results.clear();
        self.picker.highlighted = 0;
        true
    }
}

/// A set of options ticked with Space; ←/→ (or ↑/↓ while focused) move.
#[derive(Clone, Debug)]
pub struct Checks {
    /// (code, label)
    pub options: Vec<(String, Bi)>,
    pub checked: Vec<bool>,
    pub cursor: usize,
}

impl Checks {
    pub fn new(options: Vec<(String, Bi)>, checked: &[String]) -> Checks {
        let flags = options.iter().map(|(c, _)| checked.contains(c)).collect();
        Checks {
            options,
            checked: flags,
            cursor: 0,
        }
    }

    pub fn codes(&self) -> Vec<String> {
        self.options
            .iter()
            .zip(&self.checked)
            .filter(|(_, on)| **on)
            .map(|((c, _), _)| c.clone())
            .collect()
    }
}

/// A text field with suggestions (e.g. the station's villages): anything may be typed;
/// ↓/↑ step through the suggestions that contain what was typed and put one in the field.
#[derive(Clone, Debug, Default)]
pub struct Suggest {
    pub text: TextField,
    pub options: Vec<String>,
    /// What the officer typed: the suggestions are narrowed by it, not by the one shown.
    typed: String,
    /// The suggestion now in the field, as an index into [`Suggest::matches`].
    cursor: Option<usize>,
}

impl Suggest {
    pub fn new(value: &str, options: Vec<String>) -> Suggest {
        Suggest {
            text: TextField::new(value),
            options,
            typed: value.to_string(),
            cursor: None,
        }
    }

    /// The suggestions containing what was typed (all of them when nothing was).
    pub fn matches(&self) -> Vec<&str> {
        let typed = self.typed.trim().to_lowercase();
        self.options
            .iter()
            .filter(|o| typed.is_empty() || o.to_lowercase().contains(&typed))
            .map(String::as_str)
            .collect()
    }

    /// Puts the next (`forward`) or previous suggestion in the field; false when there
    /// is none.
    pub fn step(&mut self, forward: bool) -> bool {
        let matches = self.matches();
        let n = matches.len();
        if n == 0 {
            return false;
        }
        let next = match (self.cursor, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        let chosen = matches[next].to_string();
        self.text.set_value(&chosen);
        self.cursor = Some(next);
        true
    }

    /// Typing or pasting: the suggestions follow the new text.
    pub(super) fn typed_now(&mut self) {
        self.typed = self.text.value().to_string();
        self.cursor = None;
    }
}

#[derive(Clone, Debug)]
pub enum Input {
    Text(TextField),
    /// Free text with suggestions.
    Suggest(Box<Suggest>),
    Choice(Choice),
    Picker(Box<Picker>),
    Parties(Box<PartyList>),
    Checks(Checks),
}

/// One labelled field.
#[derive(Clone, Debug)]
pub struct FormField {
    pub field: Field,
    pub input: Input,
    pub required: bool,
    /// Shown dimmed after the value, e.g. the accepted date forms.
    pub hint: Option<Bi>,
    /// Said instead of the field's own name, when one form asks the same field more than
    /// once (each party's ethnicity on the agreement) or gives it a narrower meaning.
    pub label: Option<Bi>,
}

impl FormField {
    pub fn text(field: Field, value: &str, required: bool) -> FormField {
        FormField {
            field,
            input: Input::Text(TextField::new(value)),
            required,
            hint: None,
            label: None,
        }
    }

    /// A text field offering `options` (↓/↑), free text allowed.
    pub fn suggest(field: Field, value: &str, options: Vec<String>) -> FormField {
        FormField {
            field,
            input: Input::Suggest(Box::new(Suggest::new(value, options))),
            required: false,
            hint: None,
            label: None,
        }
    }

    pub fn secret(field: Field) -> FormField {
        FormField {
            field,
            input: Input::Text(TextField::secret()),
            required: true,
            hint: None,
            label: None,
        }
    }

    pub fn choice(
        field: Field,
        options: Vec<Bi>,
        selected: Option<usize>,
        required: bool,
    ) -> FormField {
        FormField {
            field,
            input: Input::Choice(Choice { options, selected }),
            required,
            hint: None,
            label: None,
        }
    }

    pub fn picker(field: Field) -> FormField {
        FormField {
            field,
            input: Input::Picker(Box::default()),
            required: true,
            hint: None,
            label: None,
        }
    }

    pub fn with_hint(mut self, hint: Bi) -> FormField {
        self.hint = Some(hint);
        self
    }

    /// The field under another name (see [`FormField::label`]).
    pub fn with_label(mut self, label: Bi) -> FormField {
        self.label = Some(label);
        self
    }

    /// The value as text (for dirtiness and for building service forms).
    pub fn value(&self) -> String {
        match &self.input {
            Input::Text(t) => t.value().to_string(),
            Input::Suggest(s) => s.text.value().to_string(),
            Input::Choice(c) => c.selected.map(|i| i.to_string()).unwrap_or_default(),
            Input::Picker(p) => match &p.chosen {
                Some(card) => card.id.to_string(),
                None => p.query.value().to_string(),
            },
            Input::Parties(list) => {
                let ids: Vec<String> = list.parties.iter().map(|(c, _)| c.id.to_string()).collect();
                format!("{}|{}", ids.join(","), list.picker.query.value())
            }
            Input::Checks(c) => c.codes().join(","),
        }
    }

    /// Rows the field takes: pickers show their matches while focused, check lists all
    /// their options.
    pub(super) fn height(&self, focused: bool) -> u16 {
        match (&self.input, focused) {
            (Input::Picker(_), true) => 1 + PICKER_ROWS as u16,
            (Input::Parties(_), true) => 2 + PICKER_ROWS as u16,
            (Input::Parties(_), false) => 1,
            (Input::Checks(c), true) => c.options.len().div_ceil(2) as u16,
            _ => 1,
        }
    }
}
