//! A form in a box: labelled fields, one focused; Tab/Shift-Tab move, the keymap's `save`
//! saves, Enter on the last field saves. What was typed stays when a save is refused.

use super::form_input::{clean_input, date_echo, is_date, is_multiline};
use super::popup::centered;
use super::text_field::TextField;
use crate::keymap::Key;
use crate::text::T;
use crate::theme;
use beatbook_i18n::{Bi, Lang, Localize};
use beatbook_model::Field;
use beatbook_service::PersonCard;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// How many person matches a picker shows.
pub const PICKER_ROWS: usize = 6;

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
    fn typed_now(&mut self) {
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
}

impl FormField {
    pub fn text(field: Field, value: &str, required: bool) -> FormField {
        FormField {
            field,
            input: Input::Text(TextField::new(value)),
            required,
            hint: None,
        }
    }

    /// A text field offering `options` (↓/↑), free text allowed.
    pub fn suggest(field: Field, value: &str, options: Vec<String>) -> FormField {
        FormField {
            field,
            input: Input::Suggest(Box::new(Suggest::new(value, options))),
            required: false,
            hint: None,
        }
    }

    pub fn secret(field: Field) -> FormField {
        FormField {
            field,
            input: Input::Text(TextField::secret()),
            required: true,
            hint: None,
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
        }
    }

    pub fn picker(field: Field) -> FormField {
        FormField {
            field,
            input: Input::Picker(Box::default()),
            required: true,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: Bi) -> FormField {
        self.hint = Some(hint);
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
    fn height(&self, focused: bool) -> u16 {
        match (&self.input, focused) {
            (Input::Picker(_), true) => 1 + PICKER_ROWS as u16,
            (Input::Parties(_), true) => 2 + PICKER_ROWS as u16,
            (Input::Parties(_), false) => 1,
            (Input::Checks(c), true) => c.options.len().div_ceil(2) as u16,
            _ => 1,
        }
    }
}

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

    /// Draws the form centred in `area`; scrolls when the fields do not fit.
    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang, hints: &str) {
        self.render_dated(frame, area, lang, hints, None);
    }

    /// Like [`Form::render`]; with `today`, each date field shows the weekday of what
    /// was typed (and resolves `+7`).
    pub fn render_dated(
        &self,
        frame: &mut Frame,
        area: Rect,
        lang: Lang,
        hints: &str,
        today: Option<NaiveDate>,
    ) {
        let subtitle_rows = u16::from(self.subtitle.is_some());
        let field_rows: u16 = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| f.height(i == self.focus))
            .sum();
        // Borders 2, blank line 1, error 2, hints 1.
        let chrome = 6 + subtitle_rows;
        let popup = centered(area, 78, field_rows + chrome);
        crate::widgets::popup::clear(frame, popup);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::border())
            .title(Span::styled(
                format!(" {} ", self.title.get(lang)),
                theme::title(),
            ));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        if inner.height < 4 || inner.width < 10 {
            return;
        }
        let label_width = self
            .fields
            .iter()
            .map(|f| label_text(f, lang).width())
            .max()
            .unwrap_or(0)
            .min(usize::from(inner.width / 3)) as u16;
        let mut y = inner.y;
        if let Some(sub) = &self.subtitle {
            frame.render_widget(
                Paragraph::new(Line::from(Span::styled(sub.clone(), theme::dim()))),
                Rect::new(inner.x + 1, y, inner.width.saturating_sub(2), 1),
            );
            y += 1;
        }
        y += 1;
        let fields_bottom = inner.bottom().saturating_sub(3);
        let first = self.first_visible(fields_bottom.saturating_sub(y));
        for (i, f) in self.fields.iter().enumerate().skip(first) {
            let focused = i == self.focus;
            let h = f.height(focused);
            if y + h > fields_bottom {
                break;
            }
            let label_style = if focused {
                theme::focused_label()
            } else {
                theme::label()
            };
            let label = label_text(f, lang);
            let pad = usize::from(label_width).saturating_sub(label.width());
            frame.render_widget(
                Line::from(vec![
                    Span::raw(" ".repeat(pad)),
                    Span::styled(label, label_style),
                ]),
                Rect::new(inner.x + 1, y, label_width, 1),
            );
            let value_x = inner.x + 2 + label_width + 1;
            let value_w = inner.right().saturating_sub(value_x + 1);
            let rect = Rect::new(value_x, y, value_w, h);
            self.render_value(frame, f, rect, focused, lang);
            if let Input::Text(t) = &f.input {
                let echo = today
                    .filter(|_| is_date(f.field))
                    .and_then(|today| date_echo(f.field, t.value(), today, lang));
                if let Some(echo) = echo {
                    render_echo(frame, rect, t.value().width(), &echo);
                }
            }
            y += h;
        }
        let bottom = inner.bottom();
        if let Some(err) = &self.error {
            let area = Rect::new(
                inner.x + 1,
                bottom.saturating_sub(3),
                inner.width.saturating_sub(2),
                2,
            );
            frame.render_widget(
                Paragraph::new(Span::styled(err.clone(), theme::error())).wrap(Wrap { trim: true }),
                area,
            );
        }
        frame.render_widget(
            Line::from(Span::styled(hints.to_string(), theme::hint())),
            Rect::new(
                inner.x + 1,
                bottom.saturating_sub(1),
                inner.width.saturating_sub(2),
                1,
            ),
        );
    }

    /// Draws one field's value in `rect` (its height from [`FormField::height`]).
    fn render_value(
        &self,
        frame: &mut Frame,
        f: &FormField,
        rect: Rect,
        focused: bool,
        lang: Lang,
    ) {
        let line_rect = Rect { height: 1, ..rect };
        let value_style = if focused {
            theme::focused_input()
        } else {
            theme::input()
        };
        match &f.input {
            Input::Text(t) => {
                frame.render_widget(Paragraph::new("").style(value_style), line_rect);
                let hint_w = f
                    .hint
                    .as_ref()
                    .map(|h| h.get(lang).width() as u16 + 1)
                    .unwrap_or(0);
                let text_w = if t.value().is_empty() {
                    rect.width.saturating_sub(hint_w)
                } else {
                    rect.width
                };
                t.render(
                    frame,
                    Rect {
                        width: text_w,
                        ..line_rect
                    },
                    value_style,
                    focused,
                );
                if let (Some(h), true) = (&f.hint, t.value().is_empty()) {
                    let hx = rect.x + rect.width.saturating_sub(hint_w) + 1;
                    frame.render_widget(
                        Line::from(Span::styled(h.get(lang).to_string(), theme::hint())),
                        Rect::new(hx.min(rect.right()), rect.y, hint_w.min(rect.width), 1),
                    );
                }
            }
            Input::Suggest(s) => {
                frame.render_widget(Paragraph::new("").style(value_style), line_rect);
                let used = (s.text.value().width() as u16 + 2).min(rect.width);
                s.text.render(
                    frame,
                    Rect {
                        width: used,
                        ..line_rect
                    },
                    value_style,
                    focused,
                );
                if focused {
                    let matches = s.matches();
                    let text = if matches.is_empty() {
                        String::new()
                    } else {
                        format!("↓ {}", matches.join("  "))
                    };
                    let x = rect.x + used;
                    frame.render_widget(
                        Line::from(Span::styled(text, theme::hint())),
                        Rect::new(x, rect.y, rect.right().saturating_sub(x), 1),
                    );
                }
            }
            Input::Choice(c) => {
                let text = match c.selected.and_then(|s| c.options.get(s)) {
                    Some(opt) => format!("< {} >", opt.get(lang)),
                    None => format!("< {} >", T::ChooseLeftRight.get(lang)),
                };
                let numbers: String = if focused && c.options.len() <= 9 {
                    c.options
                        .iter()
                        .enumerate()
                        .map(|(n, o)| format!("{}={}", n + 1, o.get(lang)))
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    String::new()
                };
                // The digit hint takes what room is left, cut with a mark rather than
                // mid-word at the form's edge.
                let room = usize::from(line_rect.width).saturating_sub(text.width() + 2);
                let numbers = crate::widgets::columns::fit(&numbers, room)
                    .trim_end()
                    .to_string();
                let line = Line::from(vec![
                    Span::styled(text, value_style),
                    Span::raw("  "),
                    Span::styled(numbers, theme::hint()),
                ]);
                frame.render_widget(Paragraph::new(line), line_rect);
                if focused {
                    frame.set_cursor_position((rect.x, rect.y));
                }
            }
            Input::Checks(c) => {
                if !focused {
                    let chosen: Vec<&str> = c
                        .options
                        .iter()
                        .zip(&c.checked)
                        .filter(|(_, on)| **on)
                        .map(|((_, l), _)| l.get(lang))
                        .collect();
                    let text = if chosen.is_empty() {
                        T::NoneTicked.get(lang).to_string()
                    } else {
                        chosen.join(T::ListSep.get(lang))
                    };
                    frame.render_widget(Line::from(Span::styled(text, value_style)), line_rect);
                    return;
                }
                let col_w = rect.width / 2;
                for (n, ((_, label), on)) in c.options.iter().zip(&c.checked).enumerate() {
                    let x = rect.x + (n as u16 % 2) * col_w;
                    let y = rect.y + n as u16 / 2;
                    let mark = if *on { "[x] " } else { "[ ] " };
                    let style = if n == c.cursor {
                        theme::selected()
                    } else {
                        theme::dim()
                    };
                    frame.render_widget(
                        Line::from(Span::styled(format!("{mark}{}", label.get(lang)), style)),
                        Rect::new(x, y, col_w.saturating_sub(1), 1),
                    );
                    if n == c.cursor {
                        frame.set_cursor_position((x + 1, y));
                    }
                }
            }
            Input::Picker(p) => {
                frame.render_widget(Paragraph::new("").style(value_style), line_rect);
                match (&p.chosen, focused) {
                    (Some(card), false) => frame.render_widget(
                        Line::from(Span::styled(person_line(card, lang), value_style)),
                        line_rect,
                    ),
                    _ => p.query.render(frame, line_rect, value_style, focused),
                }
                if focused {
                    self.render_picker(
                        frame,
                        p,
                        Rect::new(rect.x, rect.y + 1, rect.width, PICKER_ROWS as u16),
                        lang,
                    );
                }
            }
            Input::Parties(list) => {
                let chosen: Vec<String> = list
                    .parties
                    .iter()
                    .map(|(c, r)| format!("{}（{}）", c.name, r.localize(lang)))
                    .collect();
                let summary = if chosen.is_empty() {
                    T::NoPartiesYet.get(lang).to_string()
                } else {
                    chosen.join(T::ListSep.get(lang))
                };
                frame.render_widget(Line::from(Span::styled(summary, theme::dim())), line_rect);
                if focused {
                    let query_rect = Rect::new(rect.x, rect.y + 1, rect.width, 1);
                    frame.render_widget(Paragraph::new("").style(value_style), query_rect);
                    list.picker
                        .query
                        .render(frame, query_rect, value_style, true);
                    self.render_picker(
                        frame,
                        &list.picker,
                        Rect::new(rect.x, rect.y + 2, rect.width, PICKER_ROWS as u16),
                        lang,
                    );
                }
            }
        }
    }

    fn render_picker(&self, frame: &mut Frame, p: &Picker, area: Rect, lang: Lang) {
        if p.results.is_empty() {
            let msg = match (&p.create_hint, p.query.value().trim().is_empty()) {
                (_, true) => T::TypeANamePinyinOrInitials.get(lang).to_string(),
                (Some(hint), false) => {
                    format!("{}  {}", T::NobodyMatches.get(lang), hint.get(lang))
                }
                (None, false) => T::NobodyMatches.get(lang).to_string(),
            };
            frame.render_widget(
                Line::from(Span::styled(msg, theme::hint())),
                Rect { height: 1, ..area },
            );
            return;
        }
        for (i, card) in p.results.iter().take(area.height as usize).enumerate() {
            let style = if i == p.highlighted {
                theme::selected()
            } else {
                theme::dim()
            };
            frame.render_widget(
                Line::from(Span::styled(person_line(card, lang), style)),
                Rect::new(area.x, area.y + i as u16, area.width, 1),
            );
        }
    }
}

/// Draws `echo` dimmed one column after a value `value_w` columns wide, when it fits.
fn render_echo(frame: &mut Frame, rect: Rect, value_w: usize, echo: &str) {
    let x = usize::from(rect.x) + value_w + 2;
    let right = usize::from(rect.right());
    if x + echo.width() > right {
        return;
    }
    let x = u16::try_from(x).unwrap_or(rect.right());
    let w = u16::try_from(echo.width()).unwrap_or(0);
    frame.render_widget(
        Line::from(Span::styled(echo.to_string(), theme::hint())),
        Rect::new(x, rect.y, w, 1),
    );
}

fn label_text(f: &FormField, lang: Lang) -> String {
    let mut s = f.field.localize(lang);
    if f.required {
        s.push('*');
    }
    s
}

/// One person in a line of its own (a title, a field): name, sex, birth year, village and
/// masked ID, two spaces apart. Lists use [`person_line`], whose parts line up.
pub fn person_summary(card: &PersonCard, lang: Lang) -> String {
    let year = card
        .birth_year
        .map(|y| T::BornIn.fill(lang, &[&y]))
        .unwrap_or_default();
    [
        card.name.clone(),
        card.gender.localize(lang),
        year,
        card.village.clone(),
        card.masked_id.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("  ")
}

/// One line telling namesakes apart: name, gender, birth year, village, masked ID.
pub fn person_line(card: &PersonCard, lang: Lang) -> String {
    use crate::widgets::columns::fit;
    use unicode_width::UnicodeWidthStr;
    let year = card
        .birth_year
        .map(|y| T::BornIn.fill(lang, &[&y]))
        .unwrap_or_default();
    // Namesakes are told apart by what follows the name, so every part starts at the same
    // column on each card of a list (names of 2, 3 and 4 characters alike); a part longer
    // than its column is never cut, it only pushes the rest along.
    let gender_w = if lang == Lang::Zh { 4 } else { 7 };
    let parts = [
        (card.name.clone(), 8),
        (card.gender.localize(lang), gender_w),
        (year, 8),
        (card.village.clone(), 12),
    ];
    let mut line = String::new();
    for (text, width) in parts {
        line.push_str(&fit(&text, width.max(text.width())));
        line.push_str("  ");
    }
    line.push_str(&card.masked_id);
    line.trim_end().to_string()
}
