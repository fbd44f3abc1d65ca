//! The duplicate guard: shown before a new dispute is saved when its parties already
//! share disputes, so a flare-up is registered as a recurrence rather than a new case.

use crate::action::Action;
use crate::app::App;
use crate::keymap::Mode;
use crate::screens::effect::{Effect, Open};
use crate::text::T;
use crate::theme;
use crate::widgets::popup::centered;
use beatbook_i18n::Localize;
use beatbook_model::DisputeSummary;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// The duplicate guard: these parties already share disputes.
#[derive(Clone, Debug)]
pub struct GuardState {
    pub similar: Vec<DisputeSummary>,
}

impl GuardState {
    /// Answers the duplicate guard: link the new dispute as a recurrence of the first
    /// similar one, save it as a new case, or look at the existing one instead (the form
    /// closes with the guard).
    pub fn update(&mut self, action: Action) -> Effect {
        let first = self.similar.first().map(|s| s.id);
        match action {
            Action::LinkRecurrence => {
                Effect::Then(vec![Effect::Close, Effect::SaveRegistered(first)])
            }
            Action::ContinueAnyway => {
                Effect::Then(vec![Effect::Close, Effect::SaveRegistered(None)])
            }
            Action::OpenExisting => {
                let mut then = vec![Effect::Close, Effect::Close];
                then.extend(first.map(|id| Effect::Open(Open::Dispute(id))));
                Effect::Then(then)
            }
            Action::Back | Action::Cancel | Action::No => Effect::Close,
            _ => Effect::None,
        }
    }
}

pub fn draw(app: &App, guard: &GuardState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let mut lines = vec![
        Line::from(Span::styled(
            T::DuplicateGuardText.get(lang),
            theme::title(),
        )),
        Line::from(""),
    ];
    for s in &guard.similar {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {} ", s.risk.localize(lang)),
                crate::screens::disputes::register::risk_style(s.risk),
            ),
            Span::raw(format!(
                "{}  {}  {}",
                s.reported_on.format("%Y-%m-%d"),
                s.status.localize(lang),
                s.title
            )),
        ]));
    }
    lines.push(Line::from(""));
    let k = |a| app.keymap.key_for(Mode::Guard, a).unwrap_or_default();
    use Action;
    for a in [
        Action::LinkRecurrence,
        Action::OpenExisting,
        Action::ContinueAnyway,
        Action::Back,
    ] {
        lines.push(Line::from(Span::styled(
            format!("  {}  {}", k(a), a.describe(lang)),
            theme::focused_label(),
        )));
    }
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = centered(area, 76, h.min(area.height));
    crate::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::error())
        .title(Span::styled(
            format!(" {} ", T::DuplicateGuardTitle.get(lang)),
            theme::title(),
        ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
