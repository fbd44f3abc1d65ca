//! The dispute register: every open dispute of the station (or all of them), filtered and
//! sorted, with risk and deadline at a glance.

use crate::action::Action;
use crate::app::{App, Message};
use crate::keymap::Mode;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::screens::print::PrintTarget;
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, share};
use crate::widgets::selection::{cycle, navigate, reselect, screenful};
use crate::widgets::text_field::TextField;
use beatbook_core::rules::schedule::DeadlineState;
use beatbook_core::search::{FilterQuery, LazyRows};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::{DisputeStatus, DisputeSummary, Id, RiskLevel};
use beatbook_service::{RegisterFilter, RegisterRow, RegisterSort, Service, ServiceError, Session};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use ratatui::Frame;
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

/// How many rows either side of the selection have their parties named after each step.
const NAMED_AROUND: usize = 200;

/// The register list and its filters.
#[derive(Debug, Default)]
pub struct RegisterState {
    /// What the service returned for the filters other than the text.
    pub all_rows: Vec<RegisterRow>,
    /// `all_rows` narrowed by the text filter, as shown.
    pub rows: Vec<RegisterRow>,
    /// Title, village and party names of each of `all_rows`, prepared at the first
    /// filter after a load.
    prepared: LazyRows,
    /// The parties' names, by person: the rows come without them, and the rows near the
    /// selection are named after each step (every row at the first text filter), so
    /// opening a register of thousands reads the names of the screenful on show.
    names: HashMap<Id, String>,
    pub filter: RegisterFilter,
    pub sort: RegisterSort,
    pub selected: usize,
    pub text: TextField,
    pub filtering: bool,
    pub mine_only: bool,
}

impl RegisterState {
    /// Reads the register again with the current filters, keeping the selection.
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        self.filter.officer = self.mine_only.then(|| session.officer());
        // The text filter is applied here, not by the service: typing must not re-read
        // the register on every key.
        self.filter.text.clear();
        self.all_rows = service.dispute_register_unnamed(session, &self.filter, self.sort)?;
        self.names.clear();
        self.prepared.reset();
        self.apply_text(service, session)
    }

    /// Narrows the rows by the typed text (title, village, party names; pinyin works).
    /// The first filter names every row's parties, once per load.
    pub fn apply_text(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let keep = self.selected_row().map(|r| r.summary.id);
        let query = FilterQuery::parse(self.text.value().trim());
        if !self.text.value().trim().is_empty() {
            self.name(service, session, 0..self.all_rows.len(), true)?;
        }
        let (all, names) = (&self.all_rows, &self.names);
        let passing = self.prepared.passing(&query, all.len(), |i| {
            let r = &all[i];
            [r.summary.title.as_str(), r.summary.village.as_str()]
                .into_iter()
                .chain(
                    r.summary
                        .parties
                        .iter()
                        .filter_map(|p| names.get(p).map(String::as_str)),
                )
        });
        self.rows = passing.into_iter().map(|i| all[i].clone()).collect();
        self.selected = reselect(self.rows.iter().map(|r| r.summary.id), keep.as_ref());
        self.name_shown(service, session)
    }

    /// Names the parties of the shown rows around the selection (at most
    /// [`NAMED_AROUND`] either side: more than any screen shows).
    pub fn name_shown(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let from = self.selected.saturating_sub(NAMED_AROUND);
        let until = self
            .selected
            .saturating_add(NAMED_AROUND)
            .min(self.rows.len());
        self.name(service, session, from..until, false)
    }

    /// Reads the names not yet known of the parties of `range` of the shown rows (of all
    /// rows when `all`).
    fn name(
        &mut self,
        service: &Service,
        session: &Session,
        range: std::ops::Range<usize>,
        all: bool,
    ) -> Result<(), ServiceError> {
        let rows = if all { &self.all_rows } else { &self.rows };
        let names = &self.names;
        let unnamed: Vec<&DisputeSummary> = rows
            .get(range)
            .unwrap_or_default()
            .iter()
            .map(|r| &r.summary)
            .filter(|s| s.parties.iter().any(|p| !names.contains_key(p)))
            .collect();
        if unnamed.is_empty() {
            return Ok(());
        }
        let found = service.register_party_names(session, unnamed)?;
        self.names.extend(found);
        Ok(())
    }

    /// A row's parties as the list shows them ("…" for a name not read yet).
    fn party_names(&self, row: &RegisterRow, lang: Lang) -> String {
        let names: Vec<&str> = row
            .summary
            .parties
            .iter()
            .map(|p| self.names.get(p).map_or("…", String::as_str))
            .collect();
        names.join(T::ListSep.get(lang))
    }

    pub fn selected_row(&self) -> Option<&RegisterRow> {
        self.rows.get(self.selected)
    }

    /// The dispute overlay's next/previous: moves from the dispute the overlay shows
    /// (`shown`), which need not be the selected row (it may have been opened from a
    /// person). If `shown` is no longer listed (a filter dropped it), the selection
    /// already sits on the record that took its place, and stays there.
    pub fn step(&mut self, shown: Id, delta: isize) {
        let Some(from) = self.rows.iter().position(|r| r.summary.id == shown) else {
            return;
        };
        let action = if delta > 0 { Action::Down } else { Action::Up };
        if let Some(selected) = navigate(from, self.rows.len(), action) {
            self.selected = selected;
        }
    }
}

/// Status filter cycle: open ones, each status, everything.
fn next_status_filter(filter: &mut RegisterFilter) {
    let order: Vec<Option<DisputeStatus>> = std::iter::once(None)
        .chain(DisputeStatus::ALL.into_iter().map(Some))
        .collect();
    if filter.all_statuses {
        filter.all_statuses = false;
        filter.status = None;
        return;
    }
    let pos = order.iter().position(|s| *s == filter.status).unwrap_or(0);
    match order.get(pos + 1) {
        Some(next) => filter.status = *next,
        None => {
            filter.status = None;
            filter.all_statuses = true;
        }
    }
}

fn next_risk_filter(filter: &mut RegisterFilter) {
    filter.min_risk = match filter.min_risk {
        None => Some(RiskLevel::Yellow),
        Some(RiskLevel::Blue) | Some(RiskLevel::Yellow) => Some(RiskLevel::Orange),
        Some(RiskLevel::Orange) => Some(RiskLevel::Red),
        Some(RiskLevel::Red) => None,
    };
}

/// Reacts to register actions.
impl RegisterState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        update(self, ctx, action)
    }
}

fn update(state: &mut RegisterState, ctx: &Ctx, action: Action) -> Effect {
    if let Some(selected) = navigate(state.selected, state.rows.len(), action) {
        state.selected = selected;
        return Effect::None;
    }
    match action {
        Action::Filter => {
            state.filtering = true;
            Effect::None
        }
        Action::AcceptFilter => {
            state.filtering = false;
            Effect::None
        }
        Action::ClearFilter => {
            state.filtering = false;
            state.text = TextField::default();
            state.filter = RegisterFilter::default();
            state.mine_only = false;
            Effect::Reload
        }
        Action::FilterStatus => {
            next_status_filter(&mut state.filter);
            Effect::Reload
        }
        Action::FilterRisk => {
            next_risk_filter(&mut state.filter);
            Effect::Reload
        }
        Action::FilterOverdue => {
            state.filter.overdue_only = !state.filter.overdue_only;
            Effect::Reload
        }
        Action::FilterCategory => {
            let codes: Vec<String> = ctx
                .service
                .settings()
                .disputes
                .categories
                .iter()
                .map(|c| c.code.clone())
                .collect();
            state.filter.category = cycle(&state.filter.category, &codes);
            Effect::Reload
        }
        Action::ToggleScope => {
            state.mine_only = !state.mine_only;
            Effect::Reload
        }
        Action::Sort => {
            state.sort = match state.sort {
                RegisterSort::Risk => RegisterSort::Deadline,
                RegisterSort::Deadline => RegisterSort::Reported,
                RegisterSort::Reported => RegisterSort::Risk,
            };
            Effect::Reload
        }
        Action::Refresh => Effect::Reload,
        Action::Open => match state.selected_row().map(|r| r.summary.id) {
            Some(id) => Effect::Open(Open::Dispute(id)),
            None => Effect::Message(Message::info(T::NoDisputeSelected.bi())),
        },
        // "a accepts it", as the message after registering says: on the highlighted
        // dispute only, through the same path as the dispute screen's `a`.
        Action::DisputeAccept => match state.selected_row().map(|r| r.summary.id) {
            // The service checks it may be accepted and by whom.
            Some(id) => match ctx.service.dispute_detail(ctx.session, id) {
                Ok(detail) => {
                    Effect::Open(Open::DisputeAction(Action::DisputeAccept, Box::new(detail)))
                }
                Err(e) => Effect::Message(Message::error(&e)),
            },
            None => Effect::Message(Message::info(T::NoDisputeSelected.bi())),
        },
        Action::DisputeNew => Effect::Open(Open::RegisterDispute),
        // issue 15 — the register of the highlighted row's station (the session's when
        // the list is empty), for a period the form asks.
        Action::Print => {
            let station = state.selected_row().map(|r| r.summary.station);
            Effect::Open(Open::Print(PrintTarget::Register(station)))
        }
        Action::SwitchView => Effect::SwitchView,
        Action::Logout => Effect::Logout,
        _ => Effect::None,
    }
}

/// The risk colour of a level.
pub fn risk_style(level: RiskLevel) -> Style {
    match level {
        RiskLevel::Red => theme::overdue(),
        RiskLevel::Orange => Style::default().fg(ratatui::style::Color::LightRed),
        RiskLevel::Yellow => theme::due_today(),
        RiskLevel::Blue => theme::upcoming(),
    }
}

/// The risk level in two columns: 红 / R.
pub fn risk_short(level: RiskLevel, lang: Lang) -> &'static str {
    match level {
        RiskLevel::Red => T::RiskRedShort.get(lang),
        RiskLevel::Orange => T::RiskOrangeShort.get(lang),
        RiskLevel::Yellow => T::RiskYellowShort.get(lang),
        RiskLevel::Blue => T::RiskBlueShort.get(lang),
    }
}

/// "超期2天", "24小时内", "剩3天".
pub fn deadline_label(state: Option<DeadlineState>, lang: Lang) -> (String, Style) {
    match state {
        Some(DeadlineState::Overdue { days }) => {
            (T::DaysLate.fill(lang, &[&days]), theme::overdue())
        }
        Some(DeadlineState::DueWithin24h) => {
            (T::Within24h.get(lang).to_string(), theme::due_today())
        }
        Some(DeadlineState::Running { days_left }) => {
            (T::DaysLeft.fill(lang, &[&days_left]), theme::dim())
        }
        None => (String::new(), theme::dim()),
    }
}

/// The category's label in `lang`.
pub fn category_label(service: &Service, code: &str, lang: Lang) -> String {
    service.settings().disputes.category_label(code, lang)
}

pub fn draw(app: &App, state: &RegisterState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let filter_rows = u16::from(state.filtering || !state.text.value().is_empty());
    let [title_area, head_area, list_area, filter_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(filter_rows),
    ])
    .areas(area);
    // Title: what is shown and how it is filtered.
    let status = match (state.filter.status, state.filter.all_statuses) {
        (Some(s), _) => s.localize(lang),
        (None, true) => T::AllStatuses.get(lang).to_string(),
        (None, false) => T::OpenDisputes.get(lang).to_string(),
    };
    let mut spans = vec![
        Span::styled(
            format!(" {} ", T::DisputeRegister.get(lang)),
            theme::title(),
        ),
        Span::styled(format!("[{status}] "), theme::focused_label()),
        Span::styled(
            format!("{} {}  ", T::CountLabel.get(lang), state.rows.len()),
            theme::dim(),
        ),
    ];
    if let Some(r) = state.filter.min_risk {
        spans.push(Span::styled(
            format!("{}≥{} ", T::RiskLabel.get(lang), r.localize(lang)),
            risk_style(r),
        ));
    }
    if let Some(c) = &state.filter.category {
        spans.push(Span::styled(
            format!("{} ", category_label(app.service, c, lang)),
            theme::focused_label(),
        ));
    }
    if state.filter.overdue_only {
        spans.push(Span::styled(
            format!("{} ", T::OverdueOnly.get(lang)),
            theme::overdue(),
        ));
    }
    if state.mine_only {
        spans.push(Span::styled(
            format!("{} ", T::MineOnly.get(lang)),
            theme::focused_label(),
        ));
    }
    let sort = match state.sort {
        RegisterSort::Risk => T::SortRisk,
        RegisterSort::Deadline => T::SortDeadline,
        RegisterSort::Reported => T::SortReported,
    };
    spans.push(Span::styled(
        format!("{}{} ", T::SortLabel.get(lang), sort.get(lang)),
        theme::dim(),
    ));
    let help = app
        .keymap
        .key_for(Mode::Register, Action::Help)
        .unwrap_or_default();
    spans.push(Span::styled(
        format!(" {help} {}", T::KeysHint.get(lang)),
        theme::hint(),
    ));
    frame.render_widget(Line::from(spans), title_area);

    let total = usize::from(area.width);
    let show_officer = total >= 90;
    // From 100 columns the status and deadline take their longest label whole
    // ("following up", "within 24 h"): English words are not cut where there is room.
    let wide = total >= 100;
    let status_w = if wide {
        DisputeStatus::ALL
            .iter()
            .map(|s| s.localize(lang).width())
            .max()
            .unwrap_or(8)
            .max(8)
    } else {
        8
    };
    let deadline_w = match (lang, wide) {
        (Lang::Zh, _) => 9,
        (Lang::En, true) => 12,
        (Lang::En, false) => 10,
    };
    let mut fixed = vec![2, status_w, deadline_w];
    if show_officer {
        fixed.push(8);
    }
    let flex = share(total, &fixed, &[3, 2, 1]);
    let (title_w, parties_w, cat_w) = (flex[0], flex[1], flex[2]);
    let mut head = vec![
        fit(T::RiskShort.get(lang), 2),
        fit(T::StatusColumn.get(lang), status_w),
        fit(T::DeadlineColumn.get(lang), fixed[2]),
        fit(T::TitleColumn.get(lang), title_w),
        fit(T::PartiesColumn.get(lang), parties_w),
        fit(T::CategoryColumn.get(lang), cat_w),
    ];
    if show_officer {
        head.push(fit(T::OfficerColumn.get(lang), 8));
    }
    frame.render_widget(
        Line::from(Span::styled(head.join(" "), theme::header())),
        head_area,
    );

    if state.rows.is_empty() {
        crate::screens::draw_empty_hint(frame, list_area, T::NoDisputes.get(lang));
    }
    let (shown, selected) = screenful(
        (!state.rows.is_empty()).then_some(state.selected),
        state.rows.len(),
        list_area.height,
    );
    let items: Vec<ListItem> = state.rows[shown]
        .iter()
        .map(|row| {
            let s = &row.summary;
            let (deadline, deadline_style) = if row.closable {
                (T::Closable.get(lang).to_string(), theme::success())
            } else {
                deadline_label(row.deadline, lang)
            };
            let mut rest = vec![
                fit(&s.title, title_w),
                fit(&state.party_names(row, lang), parties_w),
                fit(&category_label(app.service, &s.category, lang), cat_w),
            ];
            if show_officer {
                rest.push(fit(&row.officer_name, 8));
            }
            ListItem::new(Line::from(vec![
                Span::styled(fit(risk_short(s.risk, lang), 2), risk_style(s.risk)),
                Span::raw(" "),
                Span::raw(fit(&s.status.localize(lang), status_w)),
                Span::raw(" "),
                Span::styled(fit(&deadline, fixed[2]), deadline_style),
                Span::raw(" "),
                Span::raw(rest.join(" ")),
            ]))
        })
        .collect();
    let list = List::new(items).highlight_style(theme::selected());
    let mut list_state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, list_area, &mut list_state);

    if filter_rows > 0 {
        crate::screens::draw_filter_line(frame, filter_area, &state.text, state.filtering, lang);
    }
}

/// Shown after a save from the register.
pub fn saved(app: &mut App, message: Message) {
    app.message = Some(message);
    app.reload_register();
}

impl crate::screens::created::RecordList for RegisterState {
    fn position_of(&self, id: Id) -> Option<usize> {
        self.rows.iter().position(|r| r.summary.id == id)
    }

    fn select_at(&mut self, at: usize) {
        self.selected = at;
    }

    fn is_filtered(&self) -> bool {
        !self.text.value().is_empty() || self.mine_only || self.filter != RegisterFilter::default()
    }

    fn clear_filters(&mut self) {
        self.text = TextField::default();
        self.filtering = false;
        self.filter = RegisterFilter::default();
        self.mine_only = false;
    }

    fn read(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        self.reload(service, session)
    }
}
