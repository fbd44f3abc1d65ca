//! The dispute detail overlay: the record, its parties, risk and why, the timeline, and the
//! workflow actions by key.

use crate::i18n::ui::T;
use crate::i18n::Localize;
use crate::model::Id;
use crate::service::DisputeDetail;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Screen};
use crate::tui::keymap::Mode;
use crate::tui::screens::{dispute_forms, register};
use crate::tui::theme;
use crate::tui::widgets::columns::wrap_parts;
use crate::tui::widgets::form::person_line;
use crate::tui::widgets::popup::centered;
use crate::tui::widgets::selection::reselect;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

#[derive(Debug)]
pub struct DisputeState {
    pub detail: DisputeDetail,
    /// The highlighted party (Enter opens that person).
    pub party: usize,
    pub scroll: u16,
}

/// Opens a dispute over the current screen.
pub fn open(app: &mut App, id: Id) {
    let Some(session) = &app.session else {
        return;
    };
    match app.service.dispute_detail(session, id) {
        Ok(detail) => app.overlays.push(Overlay::Dispute(Box::new(DisputeState {
            detail,
            party: 0,
            scroll: 0,
        }))),
        Err(e) => app.fail(&e),
    }
}

/// Reads the open dispute again (after an action saved).
pub fn refresh(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    if let Some(Overlay::Dispute(state)) = app.overlays.last_mut() {
        match app
            .service
            .dispute_detail(session, state.detail.dispute.meta.id)
        {
            Ok(detail) => {
                // The highlighted party stays the same person (an edit may add or
                // reorder parties); Enter must open the one shown highlighted.
                let keep = state.detail.parties.get(state.party).map(|(c, _)| c.id);
                state.party = reselect(detail.parties.iter().map(|(c, _)| c.id), keep.as_ref());
                state.detail = detail;
            }
            Err(e) => {
                let msg = crate::tui::app::Message::error(&e);
                app.message = Some(msg);
            }
        }
    }
}

pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Dispute(state)) = app.overlays.last_mut() else {
        return;
    };
    match action {
        Action::Back | Action::Cancel => {
            app.overlays.pop();
        }
        Action::Down => {
            if state.party + 1 < state.detail.parties.len() {
                state.party += 1;
            } else {
                state.scroll = state.scroll.saturating_add(1);
            }
        }
        Action::Up => {
            if state.scroll > 0 {
                state.scroll -= 1;
            } else {
                state.party = state.party.saturating_sub(1);
            }
        }
        Action::Open | Action::OpenParty => match state.detail.parties.get(state.party) {
            Some((card, _)) => {
                let id = card.id;
                super::person::open(app, id);
            }
            None => {
                app.message = Some(crate::tui::app::Message::info(T::NoPersonSelected.bi()));
            }
        },
        Action::Next | Action::Previous => {
            let delta = if action == Action::Next { 1 } else { -1 };
            let shown = state.detail.dispute.meta.id;
            if let Screen::Register(list) = &mut app.screen {
                list.step(shown, delta);
                if let Some(id) = list.selected_row().map(|r| r.summary.id) {
                    app.overlays.pop();
                    open(app, id);
                }
            }
        }
        Action::DisputeAccept
        | Action::DisputeSession
        | Action::DisputeResolve
        | Action::DisputeRefer
        | Action::DisputeEscalate
        | Action::DisputeReopen
        | Action::ExtensionRequest
        | Action::ExtensionDecide
        | Action::DisputeClose
        | Action::DisputeFeedback
        | Action::DisputeEdit
        | Action::VisitNew => {
            let detail = state.detail.clone();
            dispute_forms::open_action(app, action, &detail);
        }
        Action::FindingNew => {
            let d = &state.detail.dispute;
            let (id, title) = (d.meta.id, d.title.clone());
            super::finding_forms::open_new(app, crate::model::TargetKind::Dispute, id, &title);
        }
        _ => {}
    }
}

pub fn draw(app: &App, state: &DisputeState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let d = &state.detail.dispute;
    let detail = &state.detail;
    let mut lines: Vec<Line> = Vec::new();
    let label = |t: T| t.get(lang).to_string();
    let mut rows: Vec<(String, Vec<Span>)> = Vec::new();
    rows.push((
        label(T::StatusColumn),
        vec![Span::raw(d.status.localize(lang))],
    ));
    let mut risk = vec![Span::styled(
        format!("{} ", d.risk.localize(lang)),
        register::risk_style(d.risk),
    )];
    if detail.rule_labels.is_empty() {
        risk.push(Span::styled(T::NoRuleFired.get(lang), theme::dim()));
    } else {
        risk.push(Span::raw(
            detail
                .rule_labels
                .iter()
                .map(|l| l.get(lang).to_string())
                .collect::<Vec<_>>()
                .join(T::ClauseSep.get(lang)),
        ));
    }
    rows.push((label(T::RiskLabel), risk));
    if !detail.indicator_labels.is_empty() {
        rows.push((
            label(T::IndicatorsLabel),
            vec![Span::raw(
                detail
                    .indicator_labels
                    .iter()
                    .map(|l| l.get(lang).to_string())
                    .collect::<Vec<_>>()
                    .join(T::ListSep.get(lang)),
            )],
        ));
    }
    let mut category = register::category_label(app.service, &d.category, lang);
    if let Some(sub) = app
        .service
        .settings()
        .disputes
        .category(&d.category)
        .and_then(|c| c.subcategories.iter().find(|s| s.code == d.subcategory))
    {
        category.push_str(&format!(" / {}", lang.pick(&sub.zh, &sub.en)));
    }
    rows.push((label(T::CategoryColumn), vec![Span::raw(category)]));
    let place = [d.village.as_str(), d.place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("  ");
    if !place.is_empty() {
        rows.push((label(T::PlaceLabel), vec![Span::raw(place)]));
    }
    let mut dates = format!(
        "{} {}",
        T::ReportedOn.get(lang),
        d.reported_on.format("%Y-%m-%d")
    );
    if let Some(a) = d.accepted_on {
        dates.push_str(&format!(
            "  {} {}",
            T::AcceptedOn.get(lang),
            a.format("%Y-%m-%d")
        ));
    }
    if let Some(h) = d.happened_on {
        dates.push_str(&format!(
            "  {} {}",
            T::HappenedOn.get(lang),
            h.format("%Y-%m-%d")
        ));
    }
    rows.push((label(T::DatesLabel), vec![Span::raw(dates)]));
    if let Some(dl) = d.mediation_deadline {
        let (state_text, style) = register::deadline_label(detail.deadline, lang);
        rows.push((
            label(T::DeadlineColumn),
            vec![
                Span::raw(format!("{} ", dl.format("%Y-%m-%d"))),
                Span::styled(state_text, style),
            ],
        ));
    }
    if let Some(ext) = d.pending_extension() {
        rows.push((
            label(T::ExtensionLabel),
            vec![Span::styled(
                T::ExtensionWaiting.fill(lang, &[&ext.days, &ext.reason]),
                theme::due_today(),
            )],
        ));
    }
    let mut scale = format!(
        "{} · {} {}",
        d.scale.localize(lang),
        d.people_involved,
        T::PeopleUnit.get(lang)
    )
    .replace(" · ", "  ");
    if let Some(y) = d.amount_yuan() {
        scale.push_str(&format!("  {} {y}", T::YuanLabel.get(lang)));
    }
    rows.push((label(T::ScaleLabel), vec![Span::raw(scale)]));
    rows.push((
        label(T::OfficerColumn),
        vec![Span::raw(format!(
            "{}  {}",
            detail.officer_name, detail.station_name
        ))],
    ));
    if d.status == crate::model::DisputeStatus::Resolved
        || d.status == crate::model::DisputeStatus::FollowingUp
    {
        let text = if detail.closable {
            T::Closable.get(lang).to_string()
        } else {
            T::FollowUpsOwed.fill(lang, &[&detail.open_follow_ups])
        };
        rows.push((
            label(T::FollowUpLabel),
            vec![Span::styled(text, theme::success())],
        ));
    }
    if let Some(h) = &d.handover {
        rows.push((
            label(T::HandoverLabel),
            vec![Span::raw(format!(
                "{} {} {}",
                h.to,
                h.reference,
                h.date.format("%Y-%m-%d")
            ))],
        ));
    }
    let label_w = rows.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    for (l, spans) in rows {
        let pad = " ".repeat(label_w.saturating_sub(l.width()));
        let mut all = vec![Span::styled(format!(" {pad}{l}  "), theme::label())];
        all.extend(spans);
        lines.push(Line::from(all));
    }
    if !d.description.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {}", d.description),
            theme::dim(),
        )));
    }
    lines.push(Line::from(Span::styled(
        format!(" {}", T::PartiesColumn.get(lang)),
        theme::header(),
    )));
    for (i, (card, role)) in detail.parties.iter().enumerate() {
        let style = if i == state.party {
            theme::selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!("  {}  {}", role.localize(lang), person_line(card, lang)),
            style,
        )));
    }
    lines.push(Line::from(Span::styled(
        format!(" {}", T::TimelineLabel.get(lang)),
        theme::header(),
    )));
    for t in &detail.timeline {
        lines.push(Line::from(Span::styled(
            format!(
                "  {}  {}  {}",
                t.date.format("%m-%d"),
                t.who,
                t.what.get(lang)
            ),
            theme::dim(),
        )));
    }
    let owed: Vec<_> = detail.visits.iter().filter(|v| v.is_open()).collect();
    if !owed.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {}", T::OwedVisits.get(lang)),
            theme::header(),
        )));
        for v in owed {
            lines.push(Line::from(Span::styled(
                format!("  {}  {}", v.due.format("%Y-%m-%d"), v.purpose),
                theme::upcoming(),
            )));
        }
    }
    let hint = action_hint(app, detail);
    let wanted = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let popup = centered(area, 96, wanted.min(area.height.saturating_sub(1)).max(10));
    crate::tui::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(register::risk_style(d.risk))
        .title(Span::styled(format!(" {} ", d.title), theme::title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let body = Rect {
        height: inner.height.saturating_sub(2),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((state.scroll, 0)),
        body,
    );
    let hint_lines: Vec<Line> =
        wrap_parts(&hint, " | ", usize::from(inner.width.saturating_sub(1)))
            .into_iter()
            .take(2)
            .map(|l| Line::from(Span::styled(format!(" {l}"), theme::hint())))
            .collect();
    frame.render_widget(
        Paragraph::new(hint_lines),
        Rect {
            y: inner.bottom().saturating_sub(2),
            height: 2,
            ..inner
        },
    );
}

/// The keys of the actions this dispute allows the user now, from the keymap.
fn action_hint(app: &App, detail: &DisputeDetail) -> Vec<String> {
    let Some(session) = &app.session else {
        return Vec::new();
    };
    let lang = app.lang;
    let allowed = dispute_forms::available_actions(session, detail);
    let mut parts: Vec<String> = allowed
        .into_iter()
        .filter_map(|a| {
            app.keymap
                .key_for(Mode::Dispute, a)
                .map(|k| format!("{k} {}", a.describe(lang)))
        })
        .collect();
    parts.push(format!("Enter {}", T::OpenPerson.get(lang)));
    parts.push(format!("Esc {}", T::Back.get(lang)));
    parts
}
