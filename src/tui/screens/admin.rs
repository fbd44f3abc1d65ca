//! The administrator's screen: stations and their accounts, read-only until account
//! management is built.

use crate::i18n::ui::T;
use crate::i18n::Localize;
use crate::model::Officer;
use crate::service::{Service, Session};
use crate::tui::action::Action;
use crate::tui::app::{App, Message, Screen};
use crate::tui::theme;
use crate::tui::widgets::selection::navigate;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct AdminState {
    /// (station name, code, accounts)
    pub stations: Vec<(String, String, Vec<Officer>)>,
    pub selected: usize,
    pub error: Option<String>,
}

impl AdminState {
    pub fn load(service: &Service, session: &Session) -> AdminState {
        match service.accounts_overview(session) {
            Ok(stations) => AdminState {
                stations,
                ..Default::default()
            },
            Err(e) => AdminState {
                error: Some(e.localize(crate::i18n::Lang::En)),
                ..Default::default()
            },
        }
    }

    fn rows(&self) -> usize {
        self.stations.iter().map(|(_, _, o)| o.len()).sum()
    }
}

pub fn update(app: &mut App, action: Action) {
    let Screen::Admin(state) = &mut app.screen else {
        return;
    };
    if let Some(selected) = navigate(state.selected, state.rows(), action) {
        state.selected = selected;
        return;
    }
    match action {
        Action::Refresh => {
            if let Some(session) = &app.session {
                *state = AdminState::load(app.service, session);
                app.message = Some(Message::info(T::Refreshed.bi()));
            }
        }
        Action::Logout => app.logout(),
        _ => {}
    }
}

pub fn draw(app: &App, state: &AdminState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let title = Line::from(vec![
        Span::styled(
            format!(" {} ", T::StationsAndAccounts.get(lang)),
            theme::title(),
        ),
        Span::styled(T::ReadOnlyAccountManagementIsNot.get(lang), theme::hint()),
    ]);
    frame.render_widget(title, Rect { height: 1, ..area });
    let mut rows = Vec::new();
    for (name, code, officers) in &state.stations {
        for o in officers {
            let status = if o.active {
                T::Active.get(lang)
            } else {
                T::Disabled.get(lang)
            };
            rows.push(Row::new(vec![
                Cell::from(name.clone()),
                Cell::from(code.clone()),
                Cell::from(o.username.clone()),
                Cell::from(o.display_name.clone()),
                Cell::from(o.role.localize(lang)),
                Cell::from(status),
            ]));
        }
    }
    let header = Row::new(vec![
        T::Station.get(lang),
        T::Code.get(lang),
        T::Username.get(lang),
        T::Name.get(lang),
        T::Role.get(lang),
        T::Status.get(lang),
    ])
    .style(theme::header());
    let table = Table::new(
        rows,
        [
            Constraint::Fill(2),
            Constraint::Length(6),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(10),
            Constraint::Length(8),
        ],
    )
    .header(header)
    .row_highlight_style(theme::selected());
    let mut ts = TableState::default().with_selected(Some(state.selected));
    frame.render_stateful_widget(
        table,
        Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        },
        &mut ts,
    );
}
