//! The dispute detail overlay: the record, its parties, risk and why, the timeline, and the
//! workflow actions by key.

use crate::action::Action;
use crate::app::{App, Overlay};
use crate::keymap::Mode;
use crate::screens::disputes::forms as dispute_forms;
use crate::screens::disputes::register;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::screens::print::PrintTarget;
use crate::text::T;
use crate::theme;
use crate::widgets::columns::wrap_parts;
use crate::widgets::form::person_line;
use crate::widgets::popup::centered;
use crate::widgets::selection::reselect;
use crate::widgets::wrap::wrap_lines;
use beatbook_i18n::Localize;
use beatbook_model::Id;
use beatbook_service::{DisputeDetail, DisputeLink, ServiceError};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::cell::Cell;
use unicode_width::UnicodeWidthStr;

#[derive(Debug)]
pub struct DisputeState {
    pub detail: DisputeDetail,
    /// The highlighted item: a party (Enter opens that person), then the linked disputes
    /// (Enter opens that dispute).
    pub party: usize,
    pub scroll: u16,
    /// Set by each draw: how far the text can scroll (its last line on the last row
    /// above the hints) and how many rows a page is.
    pub max_scroll: Cell<u16>,
    pub page: Cell<u16>,
}

impl DisputeState {
    fn new(detail: DisputeDetail) -> DisputeState {
        DisputeState {
            detail,
            party: 0,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
            page: Cell::new(10),
        }
    }

    /// The linked disputes in screen order: the earlier one, then the later ones.
    fn links(&self) -> Vec<&DisputeLink> {
        self.detail
            .recurrence_of
            .iter()
            .chain(self.detail.recurrences.iter())
            .collect()
    }

    /// How many items the highlight moves over.
    fn items(&self) -> usize {
        self.detail.parties.len() + self.links().len()
    }
}

/// Opens a dispute over the current screen, as the app does for an [`Open::Dispute`]
/// (tests and benchmarks start here).
pub fn open(app: &mut App, id: Id) {
    app.apply(Effect::Open(Open::Dispute(id)));
}

/// Reads the open dispute again (after an action saved).
pub fn refresh(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    let ctx = Ctx {
        service: app.service,
        session,
        lang: app.lang,
    };
    if let Some(Overlay::Dispute(state)) = app.overlays.last_mut() {
        if let Err(e) = state.reload(&ctx) {
            app.message = Some(crate::app::Message::error(&e));
        }
    }
}

impl DisputeState {
    /// Reads a dispute's detail.
    pub fn load(ctx: &Ctx, id: Id) -> Result<DisputeState, ServiceError> {
        Ok(DisputeState::new(
            ctx.service.dispute_detail(ctx.session, id)?,
        ))
    }

    /// Reads the dispute again, keeping the highlighted party.
    fn reload(&mut self, ctx: &Ctx) -> Result<(), ServiceError> {
        let detail = ctx
            .service
            .dispute_detail(ctx.session, self.detail.dispute.meta.id)?;
        // The highlighted party stays the same person (an edit may add or reorder
        // parties); Enter must open the one shown highlighted.
        let keep = self.detail.parties.get(self.party).map(|(c, _)| c.id);
        self.party = reselect(detail.parties.iter().map(|(c, _)| c.id), keep.as_ref());
        self.detail = detail;
        Ok(())
    }

    pub fn update(&mut self, _ctx: &Ctx, action: Action) -> Effect {
        match action {
            Action::Back | Action::Cancel => return Effect::Close,
            Action::Down => {
                if self.scroll == 0 && self.party + 1 < self.items() {
                    self.party += 1;
                } else {
                    self.scroll = self.scroll.saturating_add(1).min(self.max_scroll.get());
                }
            }
            Action::Up => {
                if self.scroll > 0 {
                    self.scroll -= 1;
                } else {
                    self.party = self.party.saturating_sub(1);
                }
            }
            Action::PageDown | Action::PageUp => {
                let page = self.page.get().saturating_sub(1).max(1);
                self.scroll = if action == Action::PageDown {
                    self.scroll.saturating_add(page).min(self.max_scroll.get())
                } else {
                    self.scroll.saturating_sub(page)
                };
            }
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = self.max_scroll.get(),
            Action::Open | Action::OpenParty => {
                let parties = self.detail.parties.len();
                return if let Some((card, _)) = self.detail.parties.get(self.party) {
                    Effect::Open(Open::Person(card.id))
                } else if let Some(link) = self.links().get(self.party - parties) {
                    // Over this one: Esc comes back to the dispute the link was read on.
                    Effect::Open(Open::Dispute(link.id))
                } else {
                    Effect::Message(crate::app::Message::info(T::NoPersonSelected.bi()))
                };
            }
            Action::Next | Action::Previous => {
                return Effect::StepRegister {
                    shown: self.detail.dispute.meta.id,
                    delta: if action == Action::Next { 1 } else { -1 },
                };
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
                return Effect::Open(Open::DisputeAction(action, Box::new(self.detail.clone())));
            }
            Action::Print => {
                return Effect::Open(Open::Print(PrintTarget::Agreement(
                    self.detail.dispute.meta.id,
                )));
            }
            Action::FindingNew => {
                let d = &self.detail.dispute;
                return Effect::Open(Open::NewFinding {
                    kind: beatbook_model::TargetKind::Dispute,
                    id: d.meta.id,
                    label: d.title.clone(),
                });
            }
            _ => {}
        }
        Effect::None
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
    if d.status == beatbook_model::DisputeStatus::Resolved
        || d.status == beatbook_model::DisputeStatus::FollowingUp
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
    // The agreement in force: the latest session's that reached one.
    if let Some(agreement) = d
        .sessions
        .iter()
        .rev()
        .map(|s| s.agreement.as_str())
        .find(|a| !a.is_empty())
    {
        rows.push((
            beatbook_model::Field::AgreementText.localize(lang),
            vec![Span::raw(agreement.to_string())],
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
            // The role padded to its widest label, so the parties' names line up.
            format!(
                "  {}  {}",
                crate::widgets::columns::fit(&role.localize(lang), 10),
                person_line(card, lang)
            ),
            style,
        )));
    }
    let links = state.links();
    if !links.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {}", T::LinkedDisputes.get(lang)),
            theme::header(),
        )));
        let earlier = usize::from(detail.recurrence_of.is_some());
        for (n, link) in links.iter().enumerate() {
            let what = format!(
                "{} {} {}",
                link.reported_on.format("%Y-%m-%d"),
                link.status.localize(lang),
                link.title
            );
            let text = if n < earlier {
                T::RecurrenceOfLink.fill(lang, &[&what])
            } else {
                T::RecurredAsLink.fill(lang, &[&what])
            };
            let style = if detail.parties.len() + n == state.party {
                theme::selected()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::from(Span::styled(format!("  {text}"), style)));
        }
    }
    session_lines(d, lang, &mut lines);
    resolution_lines(detail, lang, &mut lines);
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
    // Wrapped here, by display width, so the count of rows is known: the scroll stops
    // with the last line on the last row above the hints, never under them.
    let text_width = usize::from(centered(area, 96, 1).width.saturating_sub(2));
    let lines = wrap_lines(lines, text_width);
    let wanted = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let popup = centered(area, 96, wanted.min(area.height.saturating_sub(1)).max(10));
    crate::widgets::popup::clear(frame, popup);
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
    let max_scroll =
        u16::try_from(lines.len().saturating_sub(usize::from(body.height))).unwrap_or(u16::MAX);
    state.max_scroll.set(max_scroll);
    state.page.set(body.height);
    frame.render_widget(
        Paragraph::new(lines).scroll((state.scroll.min(max_scroll), 0)),
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

/// Each mediation session: date, method, result and who took part, then the agreement
/// text and the notes in full.
fn session_lines(d: &beatbook_model::Dispute, lang: beatbook_i18n::Lang, lines: &mut Vec<Line>) {
    if d.sessions.is_empty() {
        return;
    }
    lines.push(Line::from(Span::styled(
        format!(" {}", T::SessionsLabel.get(lang)),
        theme::header(),
    )));
    let field = |f: beatbook_model::Field| f.localize(lang);
    for s in &d.sessions {
        lines.push(Line::from(Span::raw(format!(
            "  {}  {}  {}  {}：{}",
            s.date.format("%Y-%m-%d"),
            s.method,
            s.result.localize(lang),
            field(beatbook_model::Field::Participants),
            s.participants
        ))));
        for (f, text) in [
            (beatbook_model::Field::AgreementText, &s.agreement),
            (beatbook_model::Field::Notes, &s.notes),
        ] {
            if !text.is_empty() {
                lines.push(Line::from(vec![
                    Span::styled(format!("    {}  ", field(f)), theme::label()),
                    Span::raw(text.clone()),
                ]));
            }
        }
    }
}

/// The resolution: date, method, success and officer, then what was done.
fn resolution_lines(detail: &DisputeDetail, lang: beatbook_i18n::Lang, lines: &mut Vec<Line>) {
    let Some(r) = &detail.dispute.resolution else {
        return;
    };
    lines.push(Line::from(Span::styled(
        format!(" {}", T::ResolutionLabel.get(lang)),
        theme::header(),
    )));
    let success = if r.success {
        T::ResolutionSucceeded
    } else {
        T::ResolutionFailed
    };
    lines.push(Line::from(Span::raw(format!(
        "  {}  {}  {}  {}",
        r.date.format("%Y-%m-%d"),
        r.method,
        success.get(lang),
        detail.resolution_officer
    ))));
    if !r.how.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(
                format!("    {}  ", beatbook_model::Field::How.localize(lang)),
                theme::label(),
            ),
            Span::raw(r.how.clone()),
        ]));
    }
}

/// The keys of the actions this dispute allows the user now, from the keymap.
fn action_hint(app: &App, detail: &DisputeDetail) -> Vec<String> {
    let Some(session) = &app.session else {
        return Vec::new();
    };
    let lang = app.lang;
    let allowed = dispute_forms::available_actions(app, session, detail);
    let mut parts: Vec<String> = allowed
        .into_iter()
        .filter_map(|a| {
            app.keymap
                .key_for(Mode::Dispute, a)
                .map(|k| format!("{k} {}", a.describe(lang)))
        })
        .collect();
    // Printing is offered where there is an agreement to print (the service decides the
    // rest when asked).
    let agreed = detail.dispute.sessions.iter().any(|s| {
        matches!(
            s.result,
            beatbook_model::SessionResult::Agreement
                | beatbook_model::SessionResult::PartialAgreement
        )
    });
    if agreed {
        if let Some(k) = app.keymap.key_for(Mode::Dispute, Action::Print) {
            parts.push(format!("{k} {}", T::PrintAgreementHint.get(lang)));
        }
    }
    parts.push(format!("Enter {}", T::OpenHighlighted.get(lang)));
    parts.push(format!("Esc {}", T::Back.get(lang)));
    parts
}
