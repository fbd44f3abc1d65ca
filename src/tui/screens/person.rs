//! A person card over the current screen: who they are (personal data masked) and the
//! disputes they are party to.

use crate::i18n::ui::T;
use crate::i18n::Localize;
use crate::model::Id;
use crate::service::PersonOverview;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay};
use crate::tui::screens::{dispute, register};
use crate::tui::theme;
use crate::tui::widgets::form::person_line;
use crate::tui::widgets::popup::centered;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug)]
pub struct PersonState {
    pub overview: PersonOverview,
    pub selected: usize,
}

pub fn open(app: &mut App, id: Id) {
    let Some(session) = &app.session else {
        return;
    };
    match app.service.person_overview(session, id) {
        Ok(overview) => app.overlays.push(Overlay::Person(Box::new(PersonState {
            overview,
            selected: 0,
        }))),
        Err(e) => app.fail(&e),
    }
}

pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Person(state)) = app.overlays.last_mut() else {
        return;
    };
    let n = state.overview.disputes.len();
    match action {
        Action::Down if state.selected + 1 < n => state.selected += 1,
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Open => {
            if let Some(id) = state.overview.disputes.get(state.selected).map(|d| d.id) {
                app.overlays.pop();
                dispute::open(app, id);
            }
        }
        Action::Back | Action::Cancel => {
            app.overlays.pop();
        }
        _ => {}
    }
}

pub fn draw(app: &App, state: &PersonState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let p = &state.overview.card;
    let mut lines = vec![
        Line::from(Span::raw(format!(" {}", person_line(p, lang)))),
        Line::from(Span::styled(
            format!(
                " {} {}   {} {}",
                T::PhoneLabel.get(lang),
                p.masked_phone,
                T::AddressLabel.get(lang),
                p.address
            ),
            theme::dim(),
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!(" {}", T::PersonDisputes.get(lang)),
            theme::header(),
        )),
    ];
    if state.overview.disputes.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  {}", T::NoneTicked.get(lang)),
            theme::dim(),
        )));
    }
    for (i, d) in state.overview.disputes.iter().enumerate() {
        let style = if i == state.selected {
            theme::selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} ", d.risk.localize(lang)),
                register::risk_style(d.risk),
            ),
            Span::styled(
                format!(
                    "{}  {}  {}",
                    d.reported_on.format("%Y-%m-%d"),
                    d.status.localize(lang),
                    d.title
                ),
                style,
            ),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            " Enter {} | Esc {}",
            T::OpenDispute.get(lang),
            T::Back.get(lang)
        ),
        theme::hint(),
    )));
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = centered(area, 80, h.min(area.height));
    crate::tui::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Span::styled(format!(" {} ", p.name), theme::title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
