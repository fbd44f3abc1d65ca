//! The resident register: every person of the station (not only the watch list or the
//! parties of a dispute), searched with the person search, opened on the person screen,
//! created and edited with the person form. The chief also keeps the station's list of
//! villages here and looks up the station's accounts.

use crate::action::Action;
use crate::app::{App, Message, Screen};
use crate::keymap::Mode;
use crate::screens::disputes::register;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::screens::residents::forms::AfterCreate;
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, fit_right, share};
use crate::widgets::selection::{navigate, reselect, screenful};
use crate::widgets::text_field::TextField;
use beatbook_i18n::Localize;
use beatbook_model::Id;
use beatbook_service::{ResidentRow, Service, ServiceError, Session, Views};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use ratatui::Frame;

/// `110105********002X`.
const MASKED_ID_WIDTH: usize = 18;
/// `138****5678`.
const MASKED_PHONE_WIDTH: usize = 13;
/// From this width on, the list also shows the masked phone.
const PHONE_COLUMN_FROM: usize = 100;

#[derive(Debug, Default)]
pub struct ResidentsState {
    pub rows: Vec<ResidentRow>,
    pub selected: usize,
    /// The search text (`/`): sent to the service's person search as typed.
    pub text: TextField,
    pub filtering: bool,
    /// Whether the list was read at least once (an empty list before that says nothing).
    pub loaded: bool,
    /// What the session may do here, asked of the service on the first read: a session's
    /// rights cannot change while it lives (a changed account ends it), and the hints are
    /// drawn on every frame, which must not read the store.
    pub views: Option<Views>,
}

impl ResidentsState {
    /// The highlighted person, if any row is listed.
    pub fn selected_row(&self) -> Option<&ResidentRow> {
        self.rows.get(self.selected)
    }

    /// Reads the rows for the current search; the selection stays on `keep` (else the
    /// record it was on) if still listed, else goes to the first row.
    pub fn reload(
        &mut self,
        service: &Service,
        session: &Session,
        keep: Option<Id>,
    ) -> Result<(), ServiceError> {
        let keep = keep.or_else(|| self.selected_row().map(|r| r.card.id));
        let rows = service.residents(session, self.text.value())?;
        if self.views.is_none() {
            self.views = Some(service.views(session));
        }
        self.rows = rows;
        self.loaded = true;
        self.selected = reselect(self.rows.iter().map(|r| r.card.id), keep.as_ref());
        Ok(())
    }
}

/// Reads the register again if it is the current screen, keeping (or moving to) `keep`.
pub fn reload(app: &mut App, keep: Option<Id>) {
    let (Some(session), Screen::Residents(state)) = (&app.session, &mut app.screen) else {
        return;
    };
    if let Err(e) = state.reload(app.service, session, keep) {
        app.message = Some(Message::error(&e));
    }
}

/// After a key typed into the search: search again (the person index is in memory).
pub fn after_typing(app: &mut App) {
    if !app.overlays.is_empty() {
        return;
    }
    if matches!(&app.screen, Screen::Residents(r) if r.filtering) {
        reload(app, None);
    }
}

impl ResidentsState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        if let Some(selected) = navigate(self.selected, self.rows.len(), action) {
            self.selected = selected;
            return Effect::None;
        }
        let selected = self.selected_row().map(|r| r.card.id);
        let nothing = || Effect::Message(Message::info(T::ResidentsNothingSelected.bi()));
        match action {
            Action::Filter => {
                self.filtering = true;
                Effect::None
            }
            Action::AcceptFilter => {
                self.filtering = false;
                Effect::None
            }
            Action::ClearFilter => {
                self.filtering = false;
                self.text = TextField::default();
                Effect::Reload
            }
            Action::Refresh => Effect::Reload,
            Action::Open => match selected {
                Some(id) => Effect::Open(Open::Person(id)),
                None => nothing(),
            },
            Action::PersonNew | Action::CreatePerson => Effect::Open(Open::NewPerson {
                name: String::new(),
                then: AfterCreate::Residents,
            }),
            Action::EditProfile => match selected {
                Some(id) => Effect::Open(Open::EditPerson(id)),
                None => nothing(),
            },
            Action::EditVillages => {
                let station = ctx.session.station();
                Effect::Open(Open::Villages(station))
            }
            Action::StationAccounts => Effect::Open(Open::StationAccounts),
            Action::SwitchView => Effect::SwitchView,
            Action::Logout => Effect::Logout,
            _ => Effect::None,
        }
    }
}

/// The key hints under the title, from the keymap.
fn hints(app: &App, state: &ResidentsState) -> String {
    let lang = app.lang;
    let k = |a| app.keymap.key_for(Mode::Residents, a).unwrap_or_default();
    let mut parts = vec![
        format!("{} {}", k(Action::Open), T::HintOpen.get(lang)),
        format!("{} {}", k(Action::Filter), T::HintSearch.get(lang)),
        format!("{} {}", k(Action::PersonNew), T::HintNew.get(lang)),
        format!("{} {}", k(Action::EditProfile), T::HintEdit.get(lang)),
    ];
    if state.views.is_some_and(|v| v.villages) {
        parts.push(format!(
            "{} {}",
            k(Action::EditVillages),
            T::HintVillages.get(lang)
        ));
    }
    if state.views.is_some_and(|v| v.station_accounts) {
        parts.push(format!(
            "{} {}",
            k(Action::StationAccounts),
            T::HintAccounts.get(lang)
        ));
    }
    parts.join("  ")
}

pub fn draw(app: &App, state: &ResidentsState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let filter_rows = u16::from(state.filtering || !state.text.value().is_empty());
    let [title_area, hint_area, head_area, list_area, filter_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(filter_rows),
    ])
    .areas(area);
    let help = app
        .keymap
        .key_for(Mode::Residents, Action::Help)
        .unwrap_or_default();
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!(" {} ", T::ResidentsTitle.get(lang)), theme::title()),
            Span::styled(
                format!("{} {}  ", T::CountLabel.get(lang), state.rows.len()),
                theme::dim(),
            ),
            Span::styled(format!(" {help} {}", T::KeysHint.get(lang)), theme::hint()),
        ]),
        title_area,
    );
    frame.render_widget(
        Line::from(Span::styled(
            format!(" {}", hints(app, state)),
            theme::hint(),
        )),
        hint_area,
    );

    let total = usize::from(area.width);
    let show_phone = total >= PHONE_COLUMN_FROM;
    // flag 4, sex 6, id 18, (phone 13), disputes 8; flexible: name, village.
    let mut fixed = vec![4, 6, MASKED_ID_WIDTH, 8];
    if show_phone {
        fixed.push(MASKED_PHONE_WIDTH);
    }
    let flex = share(total, &fixed, &[3, 2]);
    let mut head = vec![
        fit(T::ResidentsWatchColumn.get(lang), 4),
        fit(T::ResidentsNameColumn.get(lang), flex[0]),
        fit(T::ResidentsGenderColumn.get(lang), 6),
        fit(T::ResidentsVillageColumn.get(lang), flex[1]),
        fit(T::IdNumberLabel.get(lang), MASKED_ID_WIDTH),
    ];
    if show_phone {
        head.push(fit(T::ResidentsPhoneColumn.get(lang), MASKED_PHONE_WIDTH));
    }
    head.push(fit_right(T::ResidentsDisputesColumn.get(lang), 8));
    frame.render_widget(
        Line::from(Span::styled(head.join(" "), theme::header())),
        head_area,
    );
    if state.rows.is_empty() && state.loaded {
        let text = if !state.text.value().trim().is_empty() {
            T::ResidentsNoMatch.get(lang).to_string()
        } else if state.views.is_some_and(|v| v.bureau_wide) {
            T::ResidentsSearchWide.get(lang).to_string()
        } else {
            let key = app
                .keymap
                .key_for(Mode::Residents, Action::PersonNew)
                .unwrap_or_default();
            T::ResidentsNone.fill(lang, &[&key])
        };
        crate::screens::draw_empty_hint(frame, list_area, &text);
    }
    let (shown, selected) = screenful(
        (!state.rows.is_empty()).then_some(state.selected),
        state.rows.len(),
        list_area.height,
    );
    let items: Vec<ListItem> = state.rows[shown]
        .iter()
        .map(|row| {
            let c = &row.card;
            // The birth year tells namesakes apart.
            let name = match c.birth_year {
                Some(year) => format!("{} {year}", c.name),
                None => c.name.clone(),
            };
            let (flag, flag_style) = match row.flag {
                Some(level) => (
                    register::risk_short(level, lang),
                    register::risk_style(level),
                ),
                None => ("", theme::dim()),
            };
            let disputes = if row.open_disputes == 0 {
                String::new()
            } else {
                row.open_disputes.to_string()
            };
            let mut spans = vec![
                Span::styled(fit(flag, 4), flag_style),
                Span::raw(" "),
                Span::raw(fit(&name, flex[0])),
                Span::raw(" "),
                Span::raw(fit(&c.gender.localize(lang), 6)),
                Span::raw(" "),
                Span::raw(fit(&c.village, flex[1])),
                Span::raw(" "),
                Span::styled(fit(&c.masked_id, MASKED_ID_WIDTH), theme::dim()),
            ];
            if show_phone {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    fit(&c.masked_phone, MASKED_PHONE_WIDTH),
                    theme::dim(),
                ));
            }
            spans.push(Span::raw(" "));
            spans.push(Span::raw(fit_right(&disputes, 8)));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list = List::new(items).highlight_style(theme::selected());
    let mut ls = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, list_area, &mut ls);
    if filter_rows > 0 {
        crate::screens::draw_filter_line(frame, filter_area, &state.text, state.filtering, lang);
    }
}
