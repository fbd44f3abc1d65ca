//! One supervision finding over the current screen: what was found, the deadline, the
//! station's answer and the whole history (who, when, what), with the steps the user may
//! take now by key.

use crate::action::Action;
use crate::app::{App, Message, Overlay};
use crate::keymap::Mode;
use crate::screens::findings::forms as finding_forms;
use crate::text::T;
use crate::theme;
use crate::widgets::popup::centered;
use beatbook_i18n::Localize;
use beatbook_model::Id;
use beatbook_service::FindingDetail;
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

/// Opens a finding over the current screen.
pub fn open(app: &mut App, id: Id) {
    let Some(session) = &app.session else {
        return;
    };
    match app.service.finding_detail(session, id) {
        Ok(detail) => app.overlays.push(Overlay::Finding(Box::new(FindingState {
            detail,
            scroll: 0,
        }))),
        Err(e) => app.fail(&e),
    }
}

/// Reads the open finding again (after a step saved).
pub fn refresh(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    let mut failure = None;
    for overlay in app.overlays.iter_mut().rev() {
        if let Overlay::Finding(state) = overlay {
            match app
                .service
                .finding_detail(session, state.detail.finding.meta.id)
            {
                Ok(detail) => state.detail = detail,
                Err(e) => failure = Some(e),
            }
            break;
        }
    }
    if let Some(e) = failure {
        app.fail(&e);
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

pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Finding(state)) = app.overlays.last_mut() else {
        return;
    };
    match action {
        Action::Back | Action::Cancel => {
            app.overlays.pop();
        }
        Action::Down => state.scroll = state.scroll.saturating_add(1),
        Action::Up => state.scroll = state.scroll.saturating_sub(1),
        Action::FindingRectify | Action::FindingAccept | Action::FindingReturn => {
            if !available(&state.detail).contains(&action) {
                app.message = Some(Message::info(T::ActionNotAvailable.bi()));
                return;
            }
            let f = &state.detail.finding;
            let subtitle = format!("{}  {}", state.detail.station_name, f.target_label);
            let (id, revision) = (f.meta.id, f.meta.revision);
            finding_forms::open_step(app, action, id, revision, subtitle);
        }
        _ => {}
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
