//! One supervision finding over the current screen: what was found, the deadline, the
//! station's answer and the whole history (who, when, what), with the steps the user may
//! take now by key.

use crate::action::Action;
use crate::app::{App, Message, Overlay};
use crate::keymap::Mode;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::text::T;
use crate::theme;
use crate::widgets::popup::centered;
use beatbook_i18n::Localize;
use beatbook_model::Id;
use beatbook_service::{FindingDetail, ServiceError};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

#[derive(Debug)]
pub struct FindingState {
    pub detail: FindingDetail,
    pub scroll: u16,
}

/// Opens a finding over the current screen, as the app does for an [`Open::Finding`]
/// (tests and benchmarks start here).
pub fn open(app: &mut App, id: Id) {
    app.apply(Effect::Open(Open::Finding(id)));
}

/// Reads the open finding again (after a step saved): the finding nearest the top.
pub fn refresh(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    let finding = app.overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Finding(state) => Some(state),
        _ => None,
    });
    let Some(state) = finding else {
        return;
    };
    match app
        .service
        .finding_detail(session, state.detail.finding.meta.id)
    {
        Ok(detail) => state.detail = detail,
        Err(e) => app.fail(&e),
    }
}

/// The steps the user may take on this finding now.
fn available(d: &FindingDetail) -> Vec<Action> {
    let mut out = Vec::new();
    if d.may_rectify {
        out.push(Action::FindingRectify);
    }
    if d.may_decide {
        out.push(Action::FindingAccept);
        out.push(Action::FindingReturn);
    }
    out
}

impl FindingState {
    /// Reads a finding's detail.
    pub fn load(ctx: &Ctx, id: Id) -> Result<FindingState, ServiceError> {
        Ok(FindingState {
            detail: ctx.service.finding_detail(ctx.session, id)?,
            scroll: 0,
        })
    }

    pub fn update(&mut self, _ctx: &Ctx, action: Action) -> Effect {
        match action {
            Action::Back | Action::Cancel => return Effect::Close,
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::FindingRectify | Action::FindingAccept | Action::FindingReturn => {
                if !available(&self.detail).contains(&action) {
                    return Effect::Message(Message::info(T::ActionNotAvailable.bi()));
                }
                let f = &self.detail.finding;
                return Effect::Open(Open::FindingStep {
                    action,
                    id: f.meta.id,
                    revision: f.meta.revision,
                    subtitle: format!("{}  {}", self.detail.station_name, f.target_label),
                });
            }
            _ => {}
        }
        Effect::None
    }
}

pub fn draw(app: &App, state: &FindingState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let d = &state.detail;
    let f = &d.finding;
    let problems = &app.service.settings().findings;
    let mut deadline = f.deadline.format("%Y-%m-%d").to_string();
    if d.overdue {
        let days = (app.service.today() - f.deadline).num_days();
        deadline.push_str(&format!("  {}", T::FindingLate.fill(lang, &[&days])));
    }
    let rows: Vec<(String, String)> = vec![
        (T::Station.get(lang).into(), d.station_name.clone()),
        (
            T::TargetColumn.get(lang).into(),
            format!("{}  {}", f.target.localize(lang), f.target_label),
        ),
        (
            T::ProblemColumn.get(lang).into(),
            problems.problem_label(&f.problem, lang),
        ),
        (T::Status.get(lang).into(), f.status.localize(lang)),
        (T::RectifyByColumn.get(lang).into(), deadline),
        (T::DescriptionLabel.get(lang).into(), f.description.clone()),
        (
            T::RectificationLabel.get(lang).into(),
            f.rectification.clone().unwrap_or_default(),
        ),
    ];
    let label_w = rows.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(l, value)| {
            let pad = " ".repeat(label_w.saturating_sub(l.width()));
            let style = if l == T::RectifyByColumn.get(lang) && d.overdue {
                theme::overdue()
            } else {
                ratatui::style::Style::default()
            };
            Line::from(vec![
                Span::styled(format!(" {pad}{l}  "), theme::label()),
                Span::styled(value, style),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(" {}", T::History.get(lang)),
        theme::header(),
    )));
    for (step, name) in f.history.iter().zip(&d.history_names) {
        let local = step.at.with_timezone(&app.service.now().timezone());
        let mut text = format!(
            " {}  {}  {}",
            local.format("%m-%d %H:%M"),
            name,
            step.kind.localize(lang)
        );
        if !step.text.is_empty() {
            text.push_str(&format!("：{}", step.text));
        }
        lines.push(Line::from(Span::styled(text, theme::dim())));
    }
    let k = |a| app.keymap.key_for(Mode::Finding, a).unwrap_or_default();
    let mut hint: Vec<String> = available(d)
        .into_iter()
        .map(|a| {
            let label = match a {
                Action::FindingRectify => T::RectifyFinding,
                Action::FindingAccept => T::AcceptFinding,
                _ => T::ReturnFinding,
            };
            format!("{} {}", k(a), label.get(lang))
        })
        .collect();
    hint.push(format!("{} {}", k(Action::Back), T::Back.get(lang)));
    let hint = format!(" {}", hint.join(" | "));
    let wanted = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let popup = centered(area, 78, wanted.min(area.height.saturating_sub(1)).max(8));
    crate::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Span::styled(
            format!(" {} ", T::FindingsTitle.get(lang)),
            theme::title(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((state.scroll, 0)),
        body,
    );
    frame.render_widget(
        Line::from(Span::styled(hint, theme::hint())),
        Rect {
            y: inner.bottom().saturating_sub(1),
            height: 1,
            ..inner
        },
    );
}
