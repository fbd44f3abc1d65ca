//! Today: the station's follow-up list — overdue, due today, the coming days.

use crate::i18n::ui::T;
use crate::i18n::{Lang, Localize};
use crate::rules::visits::Urgency;
use crate::search::{FilterQuery, PreparedRow};
use crate::service::{
    AlertKind, AlertRow, DisputeAlert, FindingRow, Scope, Service, ServiceError, Session, TodayRow,
    TodayView,
};
use crate::tui::action::Action;
use crate::tui::app::{App, Message, Screen};
use crate::tui::keymap::Mode;
use crate::tui::screens::{detail, forms};
use crate::tui::theme;
use crate::tui::widgets::columns::{fit, fit_columns, share};
use crate::tui::widgets::selection::{navigate, screenful};
use crate::tui::widgets::text_field::TextField;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use ratatui::Frame;

/// A line above the visits: a supervision finding, a dispute matter or a watch-list alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TodayAlert {
    Dispute(DisputeAlert),
    Watch(AlertRow),
    /// A finding the station owes an answer to (or, for a supervisor, one to judge).
    Finding(FindingRow),
}

impl TodayAlert {
    /// What the line is about: the dispute title or the person's name.
    pub fn title(&self) -> &str {
        match self {
            TodayAlert::Dispute(a) => &a.title,
            TodayAlert::Watch(a) => &a.person_name,
            TodayAlert::Finding(f) => &f.finding.target_label,
        }
    }
}

/// The list, its scope, selection and filter.
#[derive(Debug)]
pub struct TodayState {
    pub view: Option<TodayView>,
    pub scope: Scope,
    /// Index into `visible`.
    pub selected: usize,
    pub filter: TextField,
    /// The filter line has the keyboard.
    pub filtering: bool,
    /// Indices into `view.rows` that pass the filter.
    pub visible: Vec<usize>,
    /// Dispute deadlines and watch-list alerts, listed above the visits.
    pub alerts: Vec<TodayAlert>,
    /// Indices into `alerts` that pass the filter.
    pub visible_alerts: Vec<usize>,
    /// The texts the filter looks at, per visit row and per alert, prepared once per load.
    prepared_rows: Vec<PreparedRow>,
    prepared_alerts: Vec<PreparedRow>,
}

impl TodayState {
    /// Officers start on their own visits, chiefs on the station, supervisors on all.
    pub fn new(session: &Session) -> TodayState {
        let scope = match session.role() {
            crate::model::Role::Officer => Scope::Mine,
            crate::model::Role::Chief => Scope::Station,
            _ => Scope::Bureau,
        };
        TodayState {
            view: None,
            scope,
            selected: 0,
            filter: TextField::default(),
            filtering: false,
            visible: Vec::new(),
            alerts: Vec::new(),
            visible_alerts: Vec::new(),
            prepared_rows: Vec::new(),
            prepared_alerts: Vec::new(),
        }
    }

    /// Reads the list again, keeping the selection on the same visit when it is still there.
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let keep = self.selected_row().map(|r| r.visit);
        let first_load = self.view.is_none();
        let view = service.today_list(session, self.scope)?;
        self.view = Some(view);
        let mine = self.scope == Scope::Mine;
        // Findings first (overdue ones on top): the bureau is waiting on them.
        let mut alerts: Vec<TodayAlert> = service
            .today_findings(session)?
            .into_iter()
            .map(TodayAlert::Finding)
            .collect();
        alerts.extend(
            service
                .dispute_alerts(session, mine)?
                .into_iter()
                .map(TodayAlert::Dispute),
        );
        alerts.extend(
            service
                .watch_alerts(session)?
                .into_iter()
                .filter(|a| !mine || a.alert.officer == session.officer())
                .map(TodayAlert::Watch),
        );
        self.alerts = alerts;
        self.prepared_rows = self
            .view
            .iter()
            .flat_map(|v| v.rows.iter())
            .map(|r| {
                PreparedRow::new([
                    r.person_name.as_str(),
                    r.village.as_str(),
                    r.purpose.as_str(),
                    r.officer_name.as_str(),
                    r.station_name.as_str(),
                ])
            })
            .collect();
        self.prepared_alerts = self
            .alerts
            .iter()
            .map(|a| PreparedRow::new([a.title()]))
            .collect();
        self.apply_filter();
        if let Some(id) = keep {
            let pos = self.visible_rows().position(|r| r.visit == id);
            if let Some(pos) = pos {
                self.selected = pos + self.visible_alerts.len();
            }
        } else if first_load && !self.visible.is_empty() {
            // Start on the most urgent visit: the alerts stand above it in red, but the
            // day's work is the visits.
            self.selected = self.visible_alerts.len();
        }
        Ok(())
    }

    /// Recomputes which rows pass the filter.
    pub fn apply_filter(&mut self) {
        let query = FilterQuery::parse(self.filter.value().trim());
        let passing = |rows: &[PreparedRow]| -> Vec<usize> {
            rows.iter()
                .enumerate()
                .filter(|(_, texts)| texts.matches(&query))
                .map(|(i, _)| i)
                .collect()
        };
        self.visible = passing(&self.prepared_rows);
        self.visible_alerts = passing(&self.prepared_alerts);
        let total = self.item_count();
        if self.selected >= total {
            self.selected = total.saturating_sub(1);
        }
    }

    /// Alerts and visits shown.
    fn item_count(&self) -> usize {
        self.visible_alerts.len() + self.visible.len()
    }

    pub fn visible_alerts(&self) -> impl Iterator<Item = &TodayAlert> {
        self.visible_alerts
            .iter()
            .filter_map(|i| self.alerts.get(*i))
    }

    /// The dispute alert under the selection, if the selection is on one.
    pub fn selected_alert(&self) -> Option<&TodayAlert> {
        self.visible_alerts
            .get(self.selected)
            .and_then(|i| self.alerts.get(*i))
    }

    pub fn visible_rows(&self) -> impl Iterator<Item = &TodayRow> {
        self.visible
            .iter()
            .filter_map(|i| self.view.as_ref().and_then(|v| v.rows.get(*i)))
    }

    /// The visit under the selection, if the selection is on one.
    pub fn selected_row(&self) -> Option<&TodayRow> {
        self.selected
            .checked_sub(self.visible_alerts.len())
            .and_then(|i| self.visible.get(i))
            .and_then(|i| self.view.as_ref().and_then(|v| v.rows.get(*i)))
    }

    /// Moves the selection one row (the detail overlay's next/previous).
    pub fn step(&mut self, delta: isize) {
        let action = if delta > 0 { Action::Down } else { Action::Up };
        if let Some(selected) = navigate(self.selected, self.item_count(), action) {
            self.selected = selected;
        }
    }
}

/// Reacts to list actions.
pub fn update(app: &mut App, action: Action) {
    let Screen::Today(state) = &mut app.screen else {
        return;
    };
    if let Some(selected) = navigate(state.selected, state.item_count(), action) {
        state.selected = selected;
        return;
    }
    match action {
        Action::Filter => state.filtering = true,
        Action::AcceptFilter => state.filtering = false,
        Action::ClearFilter => {
            state.filtering = false;
            state.filter = TextField::default();
            state.apply_filter();
        }
        Action::ToggleScope => {
            state.scope = match (state.scope, app.session.as_ref().map(Session::role)) {
                (Scope::Mine, _) => Scope::Station,
                (Scope::Station, Some(crate::model::Role::Supervisor)) => Scope::Bureau,
                (Scope::Station, _) => Scope::Mine,
                (Scope::Bureau, _) => Scope::Station,
            };
            state.selected = 0;
            app.reload_today();
        }
        Action::Refresh => {
            app.reload_today();
            app.message = Some(Message::info(T::Refreshed.bi()));
        }
        Action::Logout => app.logout(),
        Action::Acknowledge => {
            if let (Some(TodayAlert::Watch(a)), Some(session)) =
                (state.selected_alert(), &app.session)
            {
                match app
                    .service
                    .acknowledge_alert(session, a.alert.meta.id, a.alert.meta.revision)
                {
                    Ok(_) => {
                        app.message = Some(Message::success(T::AlertAcknowledged.bi()));
                        app.reload_today();
                    }
                    Err(e) => app.fail(&e),
                }
            } else {
                app.message = Some(Message::info(T::SelectAnAlert.bi()));
            }
        }
        Action::Open => {
            if let Some(alert) = state.selected_alert() {
                match alert {
                    TodayAlert::Dispute(a) => {
                        let id = a.dispute;
                        super::dispute::open(app, id);
                    }
                    TodayAlert::Watch(a) => {
                        let id = a.alert.person;
                        super::person::open(app, id);
                    }
                    TodayAlert::Finding(f) => {
                        let id = f.finding.meta.id;
                        super::finding::open(app, id);
                    }
                }
            } else if let Some(row) = state.selected_row() {
                let id = row.visit;
                detail::open(app, id);
            }
        }
        Action::SwitchView => super::switch_view(app),
        Action::FindingRectify => {
            if let Some(TodayAlert::Finding(f)) = state.selected_alert() {
                let id = f.finding.meta.id;
                super::finding::open(app, id);
                super::finding::update(app, action);
            } else {
                app.message = Some(Message::info(T::SelectAFinding.bi()));
            }
        }
        Action::AuditLog => super::audit::open(app),
        Action::Statistics => super::statistics::open(app),
        Action::VisitDone | Action::VisitMissed | Action::VisitReschedule | Action::VisitCancel => {
            if let Some(row) = state.selected_row().cloned() {
                forms::open_visit_form(app, action, &row_target(&row));
            } else {
                app.message = Some(Message::info(T::NoVisitSelected.bi()));
            }
        }
        Action::VisitNew => forms::open_new_visit(app),
        _ => {}
    }
}

/// The visit a row stands for, as the visit forms need it.
pub fn row_target(row: &TodayRow) -> forms::VisitTarget {
    forms::VisitTarget {
        visit: row.visit,
        revision: row.revision,
        person_name: row.person_name.clone(),
        due: row.due,
        may_change: row.may_change,
        method: row.method,
    }
}

/// "overdue 3 d", "today", "in 2 d".
pub fn when_label(row: &TodayRow, lang: Lang) -> String {
    match row.urgency {
        Urgency::Overdue => T::DaysLate.fill(lang, &[&row.days_overdue]),
        Urgency::DueToday => T::TodayCount.get(lang).to_string(),
        Urgency::Upcoming => T::InDays.fill(lang, &[&row.days_until]),
    }
}

/// What a watch-list alert says.
pub fn alert_reason_text(reason: &crate::model::AlertReason, lang: Lang) -> String {
    use crate::model::AlertReason;
    match reason {
        AlertReason::WatchedPartyInDispute { title, .. } => {
            T::WatchedInDispute.fill(lang, &[title])
        }
        AlertReason::RepeatDisputes { count } => T::RepeatDisputesAlert.fill(lang, &[count]),
        AlertReason::MissedVisits { count } => T::MissedVisitsAlert.fill(lang, &[count]),
        AlertReason::ReviewOverdue { due } => {
            T::ReviewOverdueAlert.fill(lang, &[&due.format("%Y-%m-%d")])
        }
    }
}

/// What a dispute alert says, and its colour.
fn alert_text(alert: &DisputeAlert, lang: Lang) -> (String, Style) {
    match alert.kind {
        AlertKind::DeadlineOverdue { days } => (
            T::DeadlineOverdueDays.fill(lang, &[&days]),
            theme::overdue(),
        ),
        AlertKind::DeadlineSoon => (
            T::DeadlineWithin24h.get(lang).to_string(),
            theme::due_today(),
        ),
        AlertKind::FeedbackDue => (T::FeedbackOwed.get(lang).to_string(), theme::due_today()),
        AlertKind::NoContact { days } => (T::NoContactDays.fill(lang, &[&days]), theme::overdue()),
        AlertKind::ExtensionPending => (
            T::ExtensionToDecide.get(lang).to_string(),
            theme::focused_label(),
        ),
        AlertKind::Closable => (T::Closable.get(lang).to_string(), theme::success()),
    }
}

/// What a finding line says in the "when" column, and its colour: late, waiting for the
/// supervisor, or the date to rectify by.
fn finding_text(row: &FindingRow, lang: Lang) -> (String, Style) {
    if row.overdue {
        (super::findings::deadline_text(row, lang), theme::overdue())
    } else if row.finding.status == crate::model::FindingStatus::Rectified {
        (T::ToAccept.get(lang).to_string(), theme::focused_label())
    } else {
        (
            T::RectifyByDate.fill(lang, &[&row.finding.deadline.format("%m-%d")]),
            theme::due_today(),
        )
    }
}

fn urgency_style(u: Urgency) -> Style {
    match u {
        Urgency::Overdue => theme::overdue(),
        Urgency::DueToday => theme::due_today(),
        Urgency::Upcoming => theme::upcoming(),
    }
}

fn section_title(u: Urgency, count: usize, lang: Lang) -> String {
    let name = match u {
        Urgency::Overdue => T::Overdue.get(lang),
        Urgency::DueToday => T::DueToday.get(lang),
        Urgency::Upcoming => T::ComingDays.get(lang),
    };
    format!("{name} ({count})")
}

/// Draws the list.
pub fn draw(app: &App, state: &TodayState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let filter_rows = u16::from(state.filtering || !state.filter.value().is_empty());
    let [title_area, table_area, filter_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(filter_rows),
    ])
    .areas(area);
    draw_title(app, state, frame, title_area);
    let Some(view) = &state.view else {
        return;
    };
    if state.item_count() == 0 {
        let text = if view.rows.is_empty() {
            T::NothingOwedPressNToSchedule.get(lang)
        } else {
            T::NoVisitMatchesTheFilterEsc.get(lang)
        };
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(text, theme::dim()))).centered(),
            Rect {
                y: table_area.y + 2,
                height: 1,
                ..table_area
            },
        );
    } else {
        draw_table(app, state, view, frame, table_area);
    }
    if filter_rows > 0 {
        super::draw_filter_line(frame, filter_area, &state.filter, state.filtering, lang);
    }
}

fn draw_title(app: &App, state: &TodayState, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let mut spans = vec![
        Span::styled(format!(" {} ", T::Today.get(lang)), theme::title()),
        Span::styled(
            format!("[{}] ", state.scope.localize(lang)),
            theme::focused_label(),
        ),
    ];
    if let Some(view) = &state.view {
        spans.push(Span::styled(
            format!(
                "{} {}  ",
                T::OverdueCount.get(lang),
                view.count(Urgency::Overdue)
            ),
            theme::overdue(),
        ));
        spans.push(Span::styled(
            format!(
                "{} {}  ",
                T::TodayCount.get(lang),
                view.count(Urgency::DueToday)
            ),
            theme::due_today(),
        ));
        let days = (view.until - view.today).num_days();
        let coming = T::NextDaysCount.fill(lang, &[&days, &view.count(Urgency::Upcoming)]);
        spans.push(Span::styled(coming, theme::upcoming()));
    }
    // Open supervision findings stay in sight even when the list is scrolled past them.
    let findings = state
        .alerts
        .iter()
        .filter(|a| matches!(a, TodayAlert::Finding(_)))
        .count();
    if findings > 0 {
        spans.push(Span::styled(
            format!("  {}", T::FindingsCount.fill(lang, &[&findings])),
            theme::overdue().add_modifier(Modifier::BOLD),
        ));
    }
    let scope_key = app
        .keymap
        .key_for(Mode::Today, Action::ToggleScope)
        .unwrap_or_default();
    spans.push(Span::styled(
        format!("   {scope_key} {}", T::Scope.get(lang)),
        theme::hint(),
    ));
    frame.render_widget(Line::from(spans), area);
}

fn draw_table(app: &App, state: &TodayState, view: &TodayView, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let total = usize::from(area.width);
    let show_method = total >= 100;
    let show_station = view.scope == Scope::Bureau;
    // Fixed: due, when, officer, [method], [station]; flexible: person, purpose.
    let mut fixed = vec![5, if lang == Lang::Zh { 8 } else { 9 }, 8];
    if show_method {
        fixed.push(10);
    }
    if show_station {
        fixed.push(12);
    }
    let flex = share(total, &fixed, &[2, 3]);
    let (person_w, purpose_w) = (flex[0], flex[1]);
    let mut head = vec![
        (T::DueColumn.get(lang).to_string(), 5),
        (T::When.get(lang).to_string(), fixed[1]),
        (T::PersonVillage.get(lang).to_string(), person_w),
        (T::Purpose.get(lang).to_string(), purpose_w),
        (T::OfficerColumn.get(lang).to_string(), 8),
    ];
    if show_method {
        head.push((T::Method.get(lang).to_string(), 10));
    }
    if show_station {
        head.push((T::Station.get(lang).to_string(), 12));
    }
    let [head_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Line::from(Span::styled(fit_columns(&head), theme::header())),
        head_area,
    );

    // What the list shows, in order, before any of it is formatted: a chief's Today can
    // hold thousands of rows, and only the screenful around the selection is drawn.
    let mut plan = Vec::new();
    let mut selected_display = None;
    let n_alerts = state.visible_alerts.len();
    let n_findings = state
        .visible_alerts()
        .filter(|a| matches!(a, TodayAlert::Finding(_)))
        .count();
    if n_findings > 0 {
        plan.push(Entry::FindingsHeader(n_findings));
    }
    for (pos, alert) in state.visible_alerts().enumerate() {
        if pos == n_findings && n_alerts > n_findings {
            plan.push(Entry::AlertsHeader(n_alerts - n_findings));
        }
        if pos == state.selected {
            selected_display = Some(plan.len());
        }
        plan.push(Entry::Alert(alert));
    }
    let mut bucket_sizes: Vec<(Urgency, usize)> = Vec::new();
    for row in state.visible_rows() {
        match bucket_sizes.last_mut() {
            Some((u, n)) if *u == row.urgency => *n += 1,
            _ => bucket_sizes.push((row.urgency, 1)),
        }
    }
    let mut buckets = bucket_sizes.into_iter();
    let mut last_bucket = None;
    for (pos, row) in state.visible_rows().enumerate() {
        let pos = pos + n_alerts;
        if last_bucket != Some(row.urgency) {
            last_bucket = Some(row.urgency);
            let count = buckets.next().map_or(0, |(_, n)| n);
            plan.push(Entry::Bucket(row.urgency, count));
        }
        if pos == state.selected {
            selected_display = Some(plan.len());
        }
        plan.push(Entry::Row(row));
    }
    let (shown, selected_display) = screenful(selected_display, plan.len(), list_area.height);
    let mut items = Vec::with_capacity(shown.len());
    for entry in &plan[shown] {
        items.push(match entry {
            Entry::FindingsHeader(n) => ListItem::new(Line::from(Span::styled(
                format!("{} ({n})", T::FindingsSection.get(lang)),
                theme::overdue().add_modifier(Modifier::BOLD),
            ))),
            Entry::AlertsHeader(n) => ListItem::new(Line::from(Span::styled(
                format!("{} ({n})", T::DisputeAlerts.get(lang)),
                theme::overdue().add_modifier(Modifier::BOLD),
            ))),
            Entry::Bucket(urgency, count) => ListItem::new(Line::from(Span::styled(
                section_title(*urgency, *count, lang),
                urgency_style(*urgency).add_modifier(Modifier::BOLD),
            ))),
            Entry::Alert(alert) => alert_item(app, alert, &fixed, person_w, purpose_w),
            Entry::Row(row) => {
                let base = if row.mine || view.scope == Scope::Mine {
                    Style::default()
                } else {
                    theme::dim()
                };
                let person = if row.village.is_empty() {
                    row.person_name.clone()
                } else {
                    format!("{}  {}", row.person_name, row.village)
                };
                let mut rest = vec![
                    (person, person_w),
                    (row.purpose.clone(), purpose_w),
                    (row.officer_name.clone(), 8),
                ];
                if show_method {
                    rest.push((row.method.localize(lang), 10));
                }
                if show_station {
                    rest.push((row.station_name.clone(), 12));
                }
                ListItem::new(Line::from(vec![
                    Span::styled(format!("{} ", row.due.format("%m-%d")), base),
                    Span::styled(
                        format!("{} ", fit(&when_label(row, lang), fixed[1])),
                        urgency_style(row.urgency),
                    ),
                    Span::styled(fit_columns(&rest), base),
                ]))
            }
        });
    }
    let list = List::new(items).highlight_style(theme::selected());
    let mut list_state = ListState::default().with_selected(selected_display);
    frame.render_stateful_widget(list, list_area, &mut list_state);
}

/// One line of Today's list, before it is formatted.
enum Entry<'a> {
    FindingsHeader(usize),
    AlertsHeader(usize),
    Alert(&'a TodayAlert),
    Bucket(Urgency, usize),
    Row(&'a TodayRow),
}

/// The line of one alert: it spans the "when" and person columns; the title takes the
/// purpose's.
fn alert_item<'a>(
    app: &App,
    alert: &TodayAlert,
    fixed: &[usize],
    person_w: usize,
    purpose_w: usize,
) -> ListItem<'a> {
    let lang = app.lang;
    let (level, what, style, title, officer, mine) = match alert {
        TodayAlert::Finding(f) => {
            let (what, style) = finding_text(f, lang);
            let problem = app
                .service
                .settings()
                .findings
                .problem_label(&f.finding.problem, lang);
            (
                None,
                what,
                style,
                format!(
                    "{problem}{}{}",
                    lang.pick("：", ": "),
                    f.finding.target_label
                ),
                f.station_name.clone(),
                true,
            )
        }
        TodayAlert::Dispute(a) => {
            let (what, style) = alert_text(a, lang);
            (
                Some(a.risk),
                what,
                style,
                a.title.clone(),
                a.officer_name.clone(),
                a.mine,
            )
        }
        TodayAlert::Watch(a) => (
            a.level,
            alert_reason_text(&a.alert.reason, lang),
            theme::overdue(),
            a.person_name.clone(),
            a.officer_name.clone(),
            app.session
                .as_ref()
                .is_some_and(|s| s.officer() == a.alert.officer),
        ),
    };
    let base = if mine { Style::default() } else { theme::dim() };
    let level_text = level
        .map(|l| super::register::risk_short(l, lang))
        .unwrap_or("");
    let level_style = level.map(super::register::risk_style).unwrap_or_default();
    // The alert spans the "when" and person columns; the title takes the purpose's.
    let what_w = fixed[1] + 1 + person_w;
    let title_w = purpose_w;
    ListItem::new(Line::from(vec![
        Span::styled(fit(level_text, 2), level_style),
        Span::raw("    "),
        Span::styled(fit(&what, what_w), style),
        Span::raw(" "),
        Span::styled(fit_columns(&[(title, title_w), (officer, 8)]), base),
    ]))
}
