//! The person screen over the current one: profile (personal data masked until revealed,
//! and every reveal audited), the watch-list flag with its history, disputes, visits and
//! open alerts, with the watch-list actions by key.

use crate::action::Action;
use crate::app::{App, Message, Overlay};
use crate::keymap::Mode;
use crate::screens::disputes::register;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::screens::watch::forms as watch_forms;
use crate::screens::watch::list as watch;
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, wrap_parts};
use crate::widgets::form::person_summary;
use crate::widgets::popup::centered;
use crate::widgets::selection::reselect;
use crate::widgets::wrap::wrap_line;
use beatbook_i18n::Localize;
use beatbook_model::Id;
use beatbook_service::{PersonDetail, Revealed, ServiceError};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use std::cell::Cell;

#[derive(Debug)]
pub struct PersonState {
    pub detail: PersonDetail,
    /// Set after a reveal: the full numbers of this person, until the screen closes.
    pub revealed: Option<Revealed>,
    /// The highlighted dispute (Enter opens it).
    pub selected: usize,
    pub scroll: u16,
    /// The scroll the last draw used: it follows the highlight, so the row Enter acts on
    /// is always on screen.
    pub shown_scroll: Cell<u16>,
}

/// Opens a person over the current screen, as the app does for an [`Open::Person`]
/// (tests and benchmarks start here).
pub fn open(app: &mut App, id: Id) {
    app.apply(Effect::Open(Open::Person(id)));
}

/// Reads the open person again (after an action saved): the person screen nearest the
/// top, which may be under the form that saved.
pub fn refresh(app: &mut App) {
    let Some(session) = &app.session else {
        return;
    };
    let ctx = Ctx {
        service: app.service,
        session,
        lang: app.lang,
    };
    let person = app.overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Person(state) => Some(state),
        _ => None,
    });
    if let Some(Err(e)) = person.map(|state| state.reload(&ctx)) {
        app.fail(&e);
    }
}

impl PersonState {
    /// Reads a person's detail.
    pub fn load(ctx: &Ctx, id: Id) -> Result<PersonState, ServiceError> {
        Ok(PersonState {
            detail: ctx.service.person_detail(ctx.session, id)?,
            revealed: None,
            selected: 0,
            scroll: 0,
            shown_scroll: Cell::new(0),
        })
    }

    /// Reads the person again; the highlighted dispute stays the same one, not the same
    /// index.
    fn reload(&mut self, ctx: &Ctx) -> Result<(), ServiceError> {
        let detail = ctx
            .service
            .person_detail(ctx.session, self.detail.card.id)?;
        let keep = self.detail.disputes.get(self.selected).map(|d| d.id);
        self.selected = reselect(detail.disputes.iter().map(|d| d.id), keep.as_ref());
        self.detail = detail;
        Ok(())
    }

    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        // The highlight runs over the disputes, then the visits.
        let n = self.detail.disputes.len() + self.detail.visits.len();
        match action {
            Action::Down => {
                self.scroll = self.shown_scroll.get();
                if self.selected + 1 < n {
                    self.selected += 1;
                } else {
                    self.scroll = self.scroll.saturating_add(1);
                }
                Effect::None
            }
            Action::Up => {
                self.scroll = self.shown_scroll.get();
                if self.selected > 0 {
                    self.selected -= 1;
                } else {
                    // On the first row: back up to the profile above it.
                    self.scroll = self.scroll.saturating_sub(1);
                }
                Effect::None
            }
            Action::Open => {
                let disputes = self.detail.disputes.len();
                if let Some(id) = self.detail.disputes.get(self.selected).map(|d| d.id) {
                    Effect::Then(vec![Effect::Close, Effect::Open(Open::Dispute(id))])
                } else if let Some(id) = self
                    .detail
                    .visits
                    .get(self.selected.saturating_sub(disputes))
                    .map(|v| v.meta.id)
                {
                    // Over the person: Esc comes back here.
                    Effect::Open(Open::Visit(id))
                } else {
                    Effect::Message(Message::info(T::NoDisputeSelected.bi()))
                }
            }
            Action::Reveal => match ctx.service.reveal_person(ctx.session, self.detail.card.id) {
                Ok(revealed) => {
                    self.revealed = Some(revealed);
                    Effect::Message(Message::info(T::RevealAudited.bi()))
                }
                Err(e) => Effect::Message(Message::error(&e)),
            },
            Action::Flag
            | Action::FlagLevel
            | Action::FlagRemove
            | Action::FlagDecide
            | Action::FlagReview
            | Action::Acknowledge
            | Action::EditProfile
            | Action::SamePerson
            | Action::VisitNew => {
                Effect::Open(Open::WatchAction(action, Box::new(self.detail.clone())))
            }
            Action::FindingNew => match self.detail.flag.as_ref().map(|f| f.meta.id) {
                Some(id) => Effect::Open(Open::NewFinding {
                    kind: beatbook_model::TargetKind::Flag,
                    id,
                    label: self.detail.card.name.clone(),
                }),
                None => Effect::Message(Message::info(T::NotListed.bi())),
            },
            Action::Back | Action::Cancel => Effect::Close,
            _ => Effect::None,
        }
    }
}

pub fn draw(app: &App, state: &PersonState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let d = &state.detail;
    let p = &d.card;
    let (id_number, phone) = match &state.revealed {
        Some(r) => (r.id_number.clone(), r.phone.clone()),
        None => (p.masked_id.clone(), p.masked_phone.clone()),
    };
    let mut lines = vec![
        Line::from(Span::raw(format!(
            " {}  {}  {}",
            p.name,
            p.gender.localize(lang),
            p.birth_year
                .map(|y| T::BornIn.fill(lang, &[&y]))
                .unwrap_or_default()
        ))),
        Line::from(Span::styled(
            format!(
                " {} {}   {} {}",
                T::IdNumberLabel.get(lang),
                id_number,
                T::PhoneLabel.get(lang),
                phone
            ),
            if state.revealed.is_some() {
                theme::due_today()
            } else {
                theme::dim()
            },
        )),
        Line::from(Span::styled(
            format!(
                " {} {}  {}",
                T::AddressLabel.get(lang),
                p.village,
                p.address
            ),
            theme::dim(),
        )),
    ];
    if !d.notes.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" {}", d.notes),
            theme::dim(),
        )));
    }
    lines.push(Line::from(""));
    match d.flag.as_ref().filter(|f| f.is_active()) {
        Some(f) => {
            lines.push(Line::from(vec![
                Span::styled(format!(" {} ", T::WatchList.get(lang)), theme::header()),
                Span::styled(
                    format!(" {} ", f.level.localize(lang)),
                    register::risk_style(f.level),
                ),
                Span::raw(watch::category_labels(app.service, &f.categories, lang)),
            ]));
            lines.push(Line::from(Span::raw(format!(
                "  {} {}",
                T::BasisLabel.get(lang),
                f.basis
            ))));
            lines.push(Line::from(Span::raw(format!(
                "  {} {}  {} {}",
                T::OfficerColumn.get(lang),
                d.flag_officer,
                T::NextReviewLabel.get(lang),
                f.next_review.format("%Y-%m-%d")
            ))));
            if let Some(pending) = &f.pending {
                let what = match pending.to_level {
                    Some(l) => T::PendingLowering.fill(lang, &[&l.localize(lang), &pending.reason]),
                    None => T::PendingRemoval.fill(lang, &[&pending.reason]),
                };
                lines.push(Line::from(Span::styled(
                    format!("  {what}"),
                    theme::due_today(),
                )));
            }
            for h in f.history.iter().rev().take(6) {
                let mut text = format!(
                    "  {}  {}",
                    h.at.with_timezone(&app.service.now().timezone())
                        .format("%Y-%m-%d"),
                    h.kind.localize(lang)
                );
                match (h.from_level, h.to_level) {
                    (Some(a), Some(b)) => {
                        text.push_str(&format!(" {} > {}", a.localize(lang), b.localize(lang)))
                    }
                    (None, Some(b)) => text.push_str(&format!(" {}", b.localize(lang))),
                    _ => {}
                }
                if !h.reason.is_empty() {
                    text.push_str(&format!("  {}", h.reason));
                }
                lines.push(Line::from(Span::styled(text, theme::dim())));
            }
        }
        None => lines.push(Line::from(Span::styled(
            format!(" {}", T::NotListed.get(lang)),
            theme::dim(),
        ))),
    }
    for a in &d.alerts {
        lines.push(Line::from(Span::styled(
            format!(
                "  {}",
                crate::screens::visits::today::alert_reason_text(&a.reason, lang)
            ),
            theme::overdue(),
        )));
    }
    lines.push(Line::from(Span::styled(
        format!(" {}", T::PersonDisputes.get(lang)),
        theme::header(),
    )));
    let mut selected_line = None;
    for (i, s) in d.disputes.iter().enumerate() {
        let style = if i == state.selected {
            selected_line = Some(lines.len());
            theme::selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} ", register::risk_short(s.risk, lang)),
                register::risk_style(s.risk),
            ),
            Span::styled(
                format!(
                    "{}  {}  {}",
                    s.reported_on.format("%Y-%m-%d"),
                    s.status.localize(lang),
                    s.title
                ),
                style,
            ),
        ]));
    }
    lines.push(Line::from(Span::styled(
        format!(" {}", T::VisitsLabel.get(lang)),
        theme::header(),
    )));
    if d.visits.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  {}", T::NoVisitsYet.get(lang)),
            theme::dim(),
        )));
    }
    let first_visit = d.disputes.len();
    for (i, row) in visit_rows(d, lang).into_iter().enumerate() {
        let v = &d.visits[i];
        let style = if first_visit + i == state.selected {
            selected_line = Some(lines.len());
            theme::selected()
        } else if v.is_open() {
            theme::upcoming()
        } else {
            theme::dim()
        };
        lines.push(Line::from(Span::styled(row, style)));
    }
    let hints = action_hints(app, d);
    let hint_width = usize::from(centered(area, 90, 1).width.saturating_sub(3));
    let hint_lines = fitted_hints(app, &hints, hint_width);
    let hint_rows = u16::try_from(hint_lines.len()).unwrap_or(MAX_HINT_ROWS);
    // Wrapped here so rows are counted and the highlighted one found on screen.
    let width = usize::from(centered(area, 90, 1).width.saturating_sub(2));
    let mut wrapped: Vec<Line> = Vec::with_capacity(lines.len());
    let mut selected_row = None;
    for (i, line) in lines.into_iter().enumerate() {
        if Some(i) == selected_line {
            selected_row = Some(wrapped.len());
        }
        wrapped.extend(wrap_line(line, width));
    }
    let lines = wrapped;
    let h = u16::try_from(lines.len() + 3).unwrap_or(u16::MAX) + hint_rows;
    let popup = centered(area, 90, h.min(area.height));
    let body_rows = usize::from(popup.height.saturating_sub(2 + hint_rows)).max(1);
    let max_scroll = lines.len().saturating_sub(body_rows);
    let mut scroll = usize::from(state.scroll).min(max_scroll);
    if let Some(row) = selected_row {
        if row >= scroll + body_rows {
            scroll = row + 1 - body_rows;
        } else if row < scroll {
            scroll = row;
        }
    }
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    state.shown_scroll.set(scroll);
    crate::widgets::popup::clear(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Span::styled(
            format!(" {} ", person_summary(p, lang)),
            theme::title(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)),
        Rect {
            height: inner.height.saturating_sub(hint_rows),
            ..inner
        },
    );
    let hint_lines: Vec<Line> = hint_lines
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), theme::hint())))
        .collect();
    frame.render_widget(
        Paragraph::new(hint_lines),
        Rect {
            y: inner.bottom().saturating_sub(hint_rows),
            height: hint_rows,
            ..inner
        },
    );
}

/// Rows the key hints may take at the bottom of the person screen.
const MAX_HINT_ROWS: u16 = 3;

/// The key hints wrapped to `width`, at most [`MAX_HINT_ROWS`] lines; when they do not
/// all fit, the last line ends with the help key, where every key is listed.
fn fitted_hints(app: &App, hints: &[String], width: usize) -> Vec<String> {
    let max = usize::from(MAX_HINT_ROWS);
    let lines = wrap_parts(hints, " | ", width);
    if lines.len() <= max {
        return lines;
    }
    let help = app
        .keymap
        .key_for(Mode::Person, Action::Help)
        .unwrap_or_default();
    let more = format!("{help} {}", T::KeysHint.get(app.lang));
    // Drop hints from the end until the rest and the help key fit.
    for keep in (0..hints.len()).rev() {
        let mut parts = hints[..keep].to_vec();
        parts.push(more.clone());
        let lines = wrap_parts(&parts, " | ", width);
        if lines.len() <= max {
            return lines;
        }
    }
    vec![more]
}

fn action_hints(app: &App, d: &PersonDetail) -> Vec<String> {
    let lang = app.lang;
    let Some(session) = &app.session else {
        return Vec::new();
    };
    // Reveal first: it is there for every person and every role that may read them.
    let mut parts: Vec<String> = Vec::new();
    if let Some(k) = app.keymap.key_for(Mode::Person, Action::Reveal) {
        parts.push(format!("{k} {}", Action::Reveal.describe(lang)));
    }
    parts.extend(
        watch_forms::available_actions(app, session, d)
            .into_iter()
            .filter_map(|a| {
                app.keymap
                    .key_for(Mode::Person, a)
                    .map(|k| format!("{k} {}", a.describe(lang)))
            }),
    );
    parts.push(format!("Enter {}", T::OpenHighlighted.get(lang)));
    parts.push(format!("Esc {}", T::Back.get(lang)));
    parts
}

/// The person's visits, newest first, one row each: status, date, outcome, method and
/// purpose, every column padded to the widest cell by display width so they line up in
/// Chinese and English alike.
fn visit_rows(d: &PersonDetail, lang: beatbook_i18n::Lang) -> Vec<String> {
    let cells: Vec<[String; 4]> = d
        .visits
        .iter()
        .map(|v| {
            [
                v.status.localize(lang),
                v.due.format("%Y-%m-%d").to_string(),
                v.outcome.map(|o| o.localize(lang)).unwrap_or_default(),
                v.method.localize(lang),
            ]
        })
        .collect();
    let mut widths = [0usize; 4];
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(unicode_width::UnicodeWidthStr::width(cell.as_str()));
        }
    }
    cells
        .iter()
        .zip(&d.visits)
        .map(|(row, v)| {
            let cols: Vec<String> = row
                .iter()
                .zip(widths)
                .filter(|(_, w)| *w > 0)
                .map(|(cell, w)| fit(cell, w))
                .collect();
            format!("  {}  {}", cols.join("  "), v.purpose)
        })
        .collect()
}
