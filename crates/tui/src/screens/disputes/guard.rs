//! The duplicate guard: shown before a new dispute is saved when its parties already
//! share disputes, so a flare-up is registered as a recurrence rather than a new case.

use crate::action::Action;
use crate::app::{App, Overlay};
use crate::keymap::Mode;
use crate::screens::disputes::forms::{save, DisputePurpose};
use crate::screens::form::Purpose;
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

/// Answers the duplicate guard.
pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Guard(guard)) = app.overlays.last() else {
        return;
    };
    let first = guard.similar.first().map(|s| s.id);
    match action {
        Action::LinkRecurrence | Action::ContinueAnyway => {
            let link = if action == Action::LinkRecurrence {
                first
            } else {
                None
            };
            app.overlays.pop();
            if let Some(Overlay::Form(f)) = app.overlays.last_mut() {
                if let Purpose::Dispute(DisputePurpose::Register { recurrence_of, .. }) =
                    &mut f.purpose
                {
                    *recurrence_of = Some(link);
                }
                let purpose = f.purpose.clone();
                if let Purpose::Dispute(p) = purpose {
                    save(app, p);
                }
            }
        }
        Action::OpenExisting => {
            app.overlays.pop();
            app.overlays.pop();
            if let Some(id) = first {
                crate::screens::disputes::detail::open(app, id);
            }
        }
        Action::Back | Action::Cancel | Action::No => {
            app.overlays.pop();
        }
        _ => {}
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
