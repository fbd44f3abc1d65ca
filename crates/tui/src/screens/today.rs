//! Today: the station's follow-up list — overdue, due today, the coming days.

use crate::action::Action;
use crate::app::{App, Message, Screen};
use crate::keymap::Mode;
use crate::screens::{detail, forms};
use crate::text::T;
use crate::theme;
use crate::widgets::columns::{fit, fit_columns, fit_keeping, share};
use crate::widgets::selection::{navigate, reselect, screenful};
use crate::widgets::text_field::TextField;
use beatbook_core::rules::visits::Urgency;
use beatbook_core::search::{FilterQuery, PreparedRow};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::Id;
use beatbook_service::{
    AlertKind, AlertRow, ApprovalKind, ApprovalRow, ApprovalTarget, DisputeAlert, FindingRow,
    Scope, Service, ServiceError, Session, TodayRow, TodayView,
};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The parts of Today, in the order they are listed. The section jump (`s`) moves
/// between them: at 80×24 the alerts alone can fill a screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Findings,
    Disputes,
    Watch,
    /// The chief's pending approvals.
    Inbox,
    Overdue,
    DueToday,
    Upcoming,
}

impl Section {
    fn of(u: Urgency) -> Section {
        match u {
            Urgency::Overdue => Section::Overdue,
            Urgency::DueToday => Section::DueToday,
            Urgency::Upcoming => Section::Upcoming,
        }
    }

    /// The alert sections, in list order.
    const ALERTS: [Section; 4] = [
        Section::Findings,
        Section::Disputes,
        Section::Watch,
        Section::Inbox,
    ];
}

/// A line above the visits: a supervision finding, a dispute matter, a watch-list alert
/// or (for the chief) an approval waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TodayAlert {
    Dispute(DisputeAlert),
    Watch(AlertRow),
    /// A finding the station owes an answer to (or, for a supervisor, one to judge).
    Finding(FindingRow),
    /// Something only the chief decides.
    Approval(ApprovalRow),
}

impl TodayAlert {
    /// What the line is about: the dispute title or the person's name.
    pub fn title(&self) -> &str {
        match self {
            TodayAlert::Dispute(a) => &a.title,
            TodayAlert::Watch(a) => &a.person_name,
            TodayAlert::Finding(f) => &f.finding.target_label,
            TodayAlert::Approval(r) => &r.title,
        }
    }

    pub fn section(&self) -> Section {
        match self {
            TodayAlert::Finding(_) => Section::Findings,
            TodayAlert::Dispute(_) => Section::Disputes,
            TodayAlert::Watch(_) => Section::Watch,
            TodayAlert::Approval(_) => Section::Inbox,
        }
    }

    /// The record behind the line, to find it again after the list changed.
    fn key(&self) -> ItemKey {
        match self {
            TodayAlert::Finding(f) => ItemKey::Finding(f.finding.meta.id),
            TodayAlert::Dispute(a) => ItemKey::Dispute(a.dispute, dispute_kind_code(a.kind)),
            TodayAlert::Watch(a) => ItemKey::Watch(a.alert.meta.id),
            TodayAlert::Approval(r) => ItemKey::Approval(r.target, approval_kind_code(r.kind)),
        }
    }
}

fn dispute_kind_code(kind: AlertKind) -> u8 {
    match kind {
        AlertKind::DeadlineOverdue { .. } => 0,
        AlertKind::DeadlineSoon => 1,
        AlertKind::FeedbackDue => 2,
        AlertKind::NoContact { .. } => 3,
        AlertKind::ExtensionPending => 4,
        AlertKind::Closable => 5,
    }
}

fn approval_kind_code(kind: ApprovalKind) -> u8 {
    match kind {
        ApprovalKind::FlagLowering { .. } => 0,
        ApprovalKind::FlagRemoval { .. } => 1,
        ApprovalKind::Extension { .. } => 2,
        ApprovalKind::Closable => 3,
    }
}

/// What a line of Today stands for, by record id: the selection follows it through
/// filters, reloads and scope switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKey {
    Finding(Id),
    Dispute(Id, u8),
    Watch(Id),
    Approval(ApprovalTarget, u8),
    Visit(Id),
    Toggle(Section),
}

/// One selectable line of Today (section headings are drawn, not selected).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// Index into `alerts`.
    Alert(usize),
    /// The "+N more" / "show fewer" line of a long alert section.
    Toggle {
        section: Section,
        hidden: usize,
        expanded: bool,
    },
    /// Index into `view.rows`.
    Visit(usize),
}

/// Where a section starts among the items, and how many of its records pass the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionSpan {
    pub section: Section,
    pub count: usize,
    pub start: usize,
}

/// Alert lines (headings, alerts and "+N more" rows together) the sections may take
/// before they are collapsed further: at 80×24 the list has 20 lines, and the first owed
/// visit (its heading and row) must stay on the first of them.
const ALERT_LINES: usize = 12;
/// Alerts a section shows before "+N more", at most.
const COLLAPSED: usize = 3;

/// Alerts shown per collapsed section when `sections` alert sections are listed: three
/// when there is room, fewer when the chief has all four.
fn collapsed_limit(sections: usize) -> usize {
    if sections == 0 {
        return COLLAPSED;
    }
    // Each section takes a heading and a "+N more" line besides its alerts.
    (ALERT_LINES / sections)
        .saturating_sub(2)
        .clamp(1, COLLAPSED)
}

/// The list, its scope, selection and filter.
#[derive(Debug)]
pub struct TodayState {
    pub view: Option<TodayView>,
    pub scope: Scope,
    /// Index into `items`.
    pub selected: usize,
    pub filter: TextField,
    /// The filter line has the keyboard.
    pub filtering: bool,
    /// Indices into `view.rows` that pass the filter.
    pub visible: Vec<usize>,
    /// Findings, dispute and watch alerts and approvals, listed above the visits.
    pub alerts: Vec<TodayAlert>,
    /// Indices into `alerts` that pass the filter.
    pub visible_alerts: Vec<usize>,
    /// The lines that can be selected, in display order.
    pub items: Vec<Item>,
    /// The sections listed, in order.
    pub sections: Vec<SectionSpan>,
    /// Alert sections the officer expanded past "+N more".
    expanded: Vec<Section>,
    /// The texts the filter looks at, per visit row and per alert, prepared once per load.
    prepared_rows: Vec<PreparedRow>,
    prepared_alerts: Vec<PreparedRow>,
}

impl TodayState {
    /// Opens on `scope`: the service's [`beatbook_service::Views::start_scope`] (officers
    /// their own visits, chiefs the station, supervisors all).
    pub fn new(scope: Scope) -> TodayState {
        TodayState {
            view: None,
            scope,
            selected: 0,
            filter: TextField::default(),
            filtering: false,
            visible: Vec::new(),
            alerts: Vec::new(),
            visible_alerts: Vec::new(),
            items: Vec::new(),
            sections: Vec::new(),
            expanded: Vec::new(),
            prepared_rows: Vec::new(),
            prepared_alerts: Vec::new(),
        }
    }

    /// Reads the list again, keeping the selection on the same record when it is still
    /// listed (else the first line); the first load starts on the most urgent visit.
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let keep = self.selected_key();
        let first_load = self.view.is_none();
        let view = service.today_list(session, self.scope)?;
        self.view = Some(view);
        let mine = self.scope == Scope::Mine;
        // The chief's approvals are the chief's own work whatever the scope.
        let chief = service.views(session).approvals;
        let approvals = if chief {
            service.approvals(session)?
        } else {
            Vec::new()
        };
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
                // Extensions and closable disputes are in the chief's approvals: listed
                // once, where the chief decides them.
                .filter(|a| {
                    !chief || !matches!(a.kind, AlertKind::ExtensionPending | AlertKind::Closable)
                })
                .map(TodayAlert::Dispute),
        );
        alerts.extend(
            service
                .watch_alerts(session)?
                .into_iter()
                .filter(|a| !mine || a.alert.officer == session.officer())
                .map(TodayAlert::Watch),
        );
        alerts.extend(approvals.into_iter().map(TodayAlert::Approval));
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
        self.refilter();
        if first_load {
            // Start on the most urgent visit: the alerts stand above it in red, but the
            // day's work is the visits.
            self.selected = self
                .items
                .iter()
                .position(|i| matches!(i, Item::Visit(_)))
                .unwrap_or(0);
        } else {
            self.reselect(keep);
        }
        Ok(())
    }

    /// Recomputes which rows pass the filter; the selection stays on its record if that
    /// still passes, else goes to the first line (never onto whatever now sits at the
    /// old index).
    pub fn apply_filter(&mut self) {
        let keep = self.selected_key();
        self.refilter();
        self.reselect(keep);
    }

    fn refilter(&mut self) {
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
        self.rebuild();
    }

    /// Lays the visible records out in sections: alerts (long sections collapsed to a
    /// few and a "+N more" line), then the visits by urgency.
    fn rebuild(&mut self) {
        self.items.clear();
        self.sections.clear();
        let grouped: Vec<(Section, Vec<usize>)> = Section::ALERTS
            .iter()
            .map(|section| {
                let of_section = self
                    .visible_alerts
                    .iter()
                    .copied()
                    .filter(|i| self.alerts.get(*i).map(TodayAlert::section) == Some(*section))
                    .collect::<Vec<_>>();
                (*section, of_section)
            })
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let limit = collapsed_limit(grouped.len());
        for (section, alerts) in grouped {
            self.sections.push(SectionSpan {
                section,
                count: alerts.len(),
                start: self.items.len(),
            });
            // One hidden alert takes the line its "+1 more" would: show it instead.
            let collapsible = alerts.len() > limit + 1;
            let expanded = self.expanded.contains(&section);
            let shown = if collapsible && !expanded {
                limit
            } else {
                alerts.len()
            };
            self.items
                .extend(alerts.iter().take(shown).map(|i| Item::Alert(*i)));
            if collapsible {
                self.items.push(Item::Toggle {
                    section,
                    hidden: alerts.len() - shown,
                    expanded,
                });
            }
        }
        let urgencies: Vec<(usize, Urgency)> = self
            .visible
            .iter()
            .filter_map(|i| {
                self.view
                    .as_ref()
                    .and_then(|v| v.rows.get(*i))
                    .map(|r| (*i, r.urgency))
            })
            .collect();
        for (row, urgency) in urgencies {
            let section = Section::of(urgency);
            match self.sections.last_mut() {
                Some(span) if span.section == section => span.count += 1,
                _ => self.sections.push(SectionSpan {
                    section,
                    count: 1,
                    start: self.items.len(),
                }),
            }
            self.items.push(Item::Visit(row));
        }
    }

    /// The record a line stands for.
    fn key_of(&self, item: &Item) -> Option<ItemKey> {
        match item {
            Item::Alert(i) => self.alerts.get(*i).map(TodayAlert::key),
            Item::Toggle { section, .. } => Some(ItemKey::Toggle(*section)),
            Item::Visit(i) => self
                .view
                .as_ref()
                .and_then(|v| v.rows.get(*i))
                .map(|r| ItemKey::Visit(r.visit)),
        }
    }

    fn selected_key(&self) -> Option<ItemKey> {
        self.items.get(self.selected).and_then(|i| self.key_of(i))
    }

    /// Puts the selection on `keep` if it is listed, else on the first line.
    fn reselect(&mut self, keep: Option<ItemKey>) {
        let keys: Vec<Option<ItemKey>> = self.items.iter().map(|i| self.key_of(i)).collect();
        self.selected = reselect(keys.into_iter(), keep.map(Some).as_ref());
    }

    /// Selects a visit if Today lists it (e.g. the one just scheduled); true if it did.
    pub fn select_visit(&mut self, visit: Id) -> bool {
        let keys: Vec<Option<ItemKey>> = self.items.iter().map(|i| self.key_of(i)).collect();
        match keys.iter().position(|k| *k == Some(ItemKey::Visit(visit))) {
            Some(pos) => {
                self.selected = pos;
                true
            }
            None => false,
        }
    }

    /// Lines shown (headings aside).
    fn item_count(&self) -> usize {
        self.items.len()
    }

    pub fn visible_alerts(&self) -> impl Iterator<Item = &TodayAlert> {
        self.visible_alerts
            .iter()
            .filter_map(|i| self.alerts.get(*i))
    }

    /// The alert under the selection, if the selection is on one.
    pub fn selected_alert(&self) -> Option<&TodayAlert> {
        match self.items.get(self.selected) {
            Some(Item::Alert(i)) => self.alerts.get(*i),
            _ => None,
        }
    }

    pub fn visible_rows(&self) -> impl Iterator<Item = &TodayRow> {
        self.visible
            .iter()
            .filter_map(|i| self.view.as_ref().and_then(|v| v.rows.get(*i)))
    }

    /// The visit under the selection, if the selection is on one.
    pub fn selected_row(&self) -> Option<&TodayRow> {
        match self.items.get(self.selected) {
            Some(Item::Visit(i)) => self.view.as_ref().and_then(|v| v.rows.get(*i)),
            _ => None,
        }
    }

    /// The section the selection is in.
    pub fn selected_section(&self) -> Option<Section> {
        self.sections
            .iter()
            .rev()
            .find(|s| s.start <= self.selected)
            .map(|s| s.section)
    }

    /// Moves the selection to the next visit (`delta` > 0) or the previous one, over
    /// alerts and "+N more" lines: the visit detail overlay steps through visits only.
    /// Returns the visit now selected, or None (selection unchanged) at either end.
    pub fn step_visit(&mut self, delta: isize) -> Option<Id> {
        let mut at = self.selected;
        loop {
            at = if delta > 0 {
                at.checked_add(1).filter(|a| *a < self.items.len())?
            } else {
                at.checked_sub(1)?
            };
            if let Some(Item::Visit(i)) = self.items.get(at) {
                let id = self.view.as_ref().and_then(|v| v.rows.get(*i))?.visit;
                self.selected = at;
                return Some(id);
            }
        }
    }

    /// Jumps to the first line of the next section (after the last: the first), or of
    /// the current section's start and then the previous one.
    pub fn jump_section(&mut self, forward: bool) {
        if self.sections.is_empty() {
            return;
        }
        let starts: Vec<usize> = self.sections.iter().map(|s| s.start).collect();
        self.selected = if forward {
            starts
                .iter()
                .copied()
                .find(|s| *s > self.selected)
                .unwrap_or(starts[0])
        } else {
            starts
                .iter()
                .rev()
                .copied()
                .find(|s| *s < self.selected)
                .unwrap_or(starts[starts.len() - 1])
        };
    }

    /// Expands or collapses the section of the selected "+N more" line. Expanded, the
    /// selection lands on the first alert that was hidden; collapsed, on the line itself.
    fn toggle_section(&mut self, section: Section, expand: bool) {
        if expand {
            if !self.expanded.contains(&section) {
                self.expanded.push(section);
            }
            let at = self.selected;
            self.rebuild();
            self.selected = at.min(self.item_count().saturating_sub(1));
        } else {
            self.expanded.retain(|s| *s != section);
            self.rebuild();
            self.reselect(Some(ItemKey::Toggle(section)));
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
        Action::NextSection => state.jump_section(true),
        Action::PrevSection => state.jump_section(false),
        Action::ToggleScope => {
            let bureau = app
                .session
                .as_ref()
                .is_some_and(|s| app.service.views(s).bureau_wide);
            state.scope = match (state.scope, bureau) {
                (Scope::Mine, _) => Scope::Station,
                (Scope::Station, true) => Scope::Bureau,
                (Scope::Station, false) => Scope::Mine,
                (Scope::Bureau, _) => Scope::Station,
            };
            // The selection follows its record into the other scope when it is listed
            // there (the reload looks it up by id).
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
            if let Some(Item::Toggle {
                section, expanded, ..
            }) = state.items.get(state.selected).copied()
            {
                state.toggle_section(section, !expanded);
            } else if let Some(alert) = state.selected_alert() {
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
                    TodayAlert::Approval(r) => match r.target {
                        ApprovalTarget::Person(id) => super::person::open(app, id),
                        ApprovalTarget::Dispute(id) => super::dispute::open(app, id),
                    },
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
pub fn alert_reason_text(reason: &beatbook_model::AlertReason, lang: Lang) -> String {
    use beatbook_model::AlertReason;
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
    } else if row.finding.status == beatbook_model::FindingStatus::Rectified {
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

/// A section's heading: its name and how many records it holds (all of them, also
/// those folded behind "+N more").
fn section_title(section: Section, count: usize, lang: Lang) -> (String, Style) {
    let (name, style) = match section {
        Section::Findings => (T::FindingsSection.get(lang), theme::overdue()),
        Section::Disputes => (T::DisputeAlerts.get(lang), theme::overdue()),
        Section::Watch => (T::WatchAlertsSection.get(lang), theme::overdue()),
        Section::Inbox => (T::InboxSection.get(lang), theme::focused_label()),
        Section::Overdue => (T::Overdue.get(lang), urgency_style(Urgency::Overdue)),
        Section::DueToday => (T::DueToday.get(lang), urgency_style(Urgency::DueToday)),
        Section::Upcoming => (T::ComingDays.get(lang), urgency_style(Urgency::Upcoming)),
    };
    (
        format!("{name} ({count})"),
        style.add_modifier(Modifier::BOLD),
    )
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
    // Open supervision findings and the chief's approvals stay in sight even when the
    // list is scrolled past them.
    let count = |section: Section| {
        state
            .alerts
            .iter()
            .filter(|a| a.section() == section)
            .count()
    };
    let findings = count(Section::Findings);
    if findings > 0 {
        spans.push(Span::styled(
            format!("  {}", T::FindingsCount.fill(lang, &[&findings])),
            theme::overdue().add_modifier(Modifier::BOLD),
        ));
    }
    let approvals = count(Section::Inbox);
    if approvals > 0 {
        spans.push(Span::styled(
            format!("  {}", T::InboxCount.fill(lang, &[&approvals])),
            theme::focused_label().add_modifier(Modifier::BOLD),
        ));
    }
    let key = |action| app.keymap.key_for(Mode::Today, action).unwrap_or_default();
    // The key hints go last and whole: a hint cut in half is worse than none (the help
    // lists every key), so on a narrow terminal the ones that do not fit are left out.
    let mut used: usize = spans.iter().map(|s| s.content.width()).sum();
    for (gap, action, label) in [
        ("   ", Action::ToggleScope, T::Scope.get(lang)),
        ("  ", Action::NextSection, T::SectionJump.get(lang)),
    ] {
        let hint = format!("{gap}{} {label}", key(action));
        if used + hint.width() > usize::from(area.width) {
            break;
        }
        used += hint.width();
        spans.push(Span::styled(hint, theme::hint()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// The widths of Today's columns for a terminal `total` columns wide.
struct Widths {
    when: usize,
    village: usize,
    purpose: usize,
    method: bool,
    station: bool,
}

/// Display columns of the person's name: four Chinese characters (欧阳娜娜).
const NAME_W: usize = 8;
const OFFICER_W: usize = 8;
const METHOD_W: usize = 10;
const STATION_W: usize = 12;

impl Widths {
    fn new(total: usize, lang: Lang, bureau: bool) -> Widths {
        let when = if lang == Lang::Zh { 8 } else { 9 };
        let method = total >= 100;
        // Fixed: due, when, name, officer, [method], [station]; flexible: village, purpose.
        let mut fixed = vec![5, when, NAME_W, OFFICER_W];
        if method {
            fixed.push(METHOD_W);
        }
        if bureau {
            fixed.push(STATION_W);
        }
        let flex = share(total, &fixed, &[1, 2]);
        Widths {
            when,
            village: flex.first().copied().unwrap_or(0),
            purpose: flex.get(1).copied().unwrap_or(0),
            method,
            station: bureau,
        }
    }
}

fn draw_table(app: &App, state: &TodayState, view: &TodayView, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let w = Widths::new(usize::from(area.width), lang, view.scope == Scope::Bureau);
    let mut head = vec![
        (T::DueColumn.get(lang).to_string(), 5),
        (T::When.get(lang).to_string(), w.when),
        (T::NameColumn.get(lang).to_string(), NAME_W),
        (T::VillageColumn.get(lang).to_string(), w.village),
        (T::Purpose.get(lang).to_string(), w.purpose),
        (T::OfficerColumn.get(lang).to_string(), OFFICER_W),
    ];
    if w.method {
        head.push((T::Method.get(lang).to_string(), METHOD_W));
    }
    if w.station {
        head.push((T::Station.get(lang).to_string(), STATION_W));
    }
    let [head_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Line::from(Span::styled(fit_columns(&head), theme::header())),
        head_area,
    );

    // What the list shows, in order, before any of it is formatted: a chief's Today can
    // hold thousands of rows, and only the screenful around the selection is drawn.
    let mut plan = Vec::with_capacity(state.items.len() + state.sections.len());
    let mut selected_display = None;
    let mut sections = state.sections.iter().peekable();
    for (pos, item) in state.items.iter().enumerate() {
        if let Some(span) = sections.next_if(|s| s.start == pos) {
            plan.push(Entry::Heading(span.section, span.count));
        }
        if pos == state.selected {
            selected_display = Some(plan.len());
        }
        plan.push(Entry::Item(*item));
    }
    let (shown, selected_display) = screenful(selected_display, plan.len(), list_area.height);
    let mut items = Vec::with_capacity(shown.len());
    for entry in &plan[shown] {
        items.push(match entry {
            Entry::Heading(section, count) => {
                let (text, style) = section_title(*section, *count, lang);
                ListItem::new(Line::from(Span::styled(text, style)))
            }
            Entry::Item(Item::Alert(i)) => match state.alerts.get(*i) {
                Some(alert) => alert_item(app, alert, &w),
                None => ListItem::new(""),
            },
            Entry::Item(Item::Toggle {
                hidden, expanded, ..
            }) => {
                let text = if *expanded {
                    T::ShowFewer.get(lang).to_string()
                } else {
                    T::MoreRows.fill(lang, &[hidden])
                };
                ListItem::new(Line::from(vec![
                    Span::raw("      "),
                    Span::styled(text, theme::hint()),
                ]))
            }
            Entry::Item(Item::Visit(i)) => match view.rows.get(*i) {
                Some(row) => visit_item(row, view, &w, lang),
                None => ListItem::new(""),
            },
        });
    }
    let list = List::new(items).highlight_style(theme::selected());
    let mut list_state = ListState::default().with_selected(selected_display);
    frame.render_stateful_widget(list, list_area, &mut list_state);
}

/// One line of Today's list, before it is formatted.
enum Entry {
    Heading(Section, usize),
    Item(Item),
}

/// The line of one owed visit: name and village in columns of their own, so that they
/// line up whatever the length of the name; a follow-up's day stays visible in a
/// purpose too long for its column.
fn visit_item<'a>(row: &TodayRow, view: &TodayView, w: &Widths, lang: Lang) -> ListItem<'a> {
    let base = if row.mine || view.scope == Scope::Mine {
        Style::default()
    } else {
        theme::dim()
    };
    let mut rest = vec![
        fit(&row.person_name, NAME_W),
        fit(&row.village, w.village),
        fit_keeping(&row.purpose, &row.purpose_keep, w.purpose),
        fit(&row.officer_name, OFFICER_W),
    ];
    if w.method {
        rest.push(fit(&row.method.localize(lang), METHOD_W));
    }
    if w.station {
        rest.push(fit(&row.station_name, STATION_W));
    }
    ListItem::new(Line::from(vec![
        Span::styled(format!("{} ", row.due.format("%m-%d")), base),
        Span::styled(
            format!("{} ", fit(&when_label(row, lang), w.when)),
            urgency_style(row.urgency),
        ),
        Span::styled(rest.join(" "), base),
    ]))
}

/// What a chief's approval line says, and its colour.
fn approval_text(row: &ApprovalRow, lang: Lang) -> (String, Style) {
    match row.kind {
        ApprovalKind::FlagLowering { to, .. } => (
            T::ApprovalLowering.fill(lang, &[&to.localize(lang)]),
            theme::focused_label(),
        ),
        ApprovalKind::FlagRemoval { .. } => (
            T::ApprovalRemoval.get(lang).to_string(),
            theme::focused_label(),
        ),
        ApprovalKind::Extension { days } => (
            T::ApprovalExtension.fill(lang, &[&days]),
            theme::focused_label(),
        ),
        ApprovalKind::Closable => (T::Closable.get(lang).to_string(), theme::success()),
    }
}

/// The line of one alert: it spans the "when", name and village columns; the title
/// takes the purpose's.
fn alert_item<'a>(app: &App, alert: &TodayAlert, w: &Widths) -> ListItem<'a> {
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
                // The officer column names the officer who answers for it (the station
                // only when nobody does).
                if f.officer_name.is_empty() {
                    f.station_name.clone()
                } else {
                    f.officer_name.clone()
                },
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
        TodayAlert::Approval(r) => {
            let (what, style) = approval_text(r, lang);
            let level = match r.kind {
                ApprovalKind::FlagLowering { from, .. } => Some(from),
                ApprovalKind::FlagRemoval { level } => Some(level),
                _ => None,
            };
            let title = if r.reason.is_empty() {
                r.title.clone()
            } else {
                format!("{}{}{}", r.title, lang.pick("：", ": "), r.reason)
            };
            (level, what, style, title, r.requested_by.clone(), true)
        }
    };
    let base = if mine { Style::default() } else { theme::dim() };
    let level_text = level
        .map(|l| super::register::risk_short(l, lang))
        .unwrap_or("");
    let level_style = level.map(super::register::risk_style).unwrap_or_default();
    let what_w = w.when + 1 + NAME_W + 1 + w.village;
    ListItem::new(Line::from(vec![
        Span::styled(fit(level_text, 2), level_style),
        Span::raw("    "),
        Span::styled(fit(&what, what_w), style),
        Span::raw(" "),
        Span::styled(
            fit_columns(&[(title, w.purpose), (officer, OFFICER_W)]),
            base,
        ),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_sections_leave_room_for_the_first_visit_at_80x24() {
        // 20 list lines at 80×24: the alerts (headings, lines, "+N more") take at most
        // ALERT_LINES, the first visit's heading and row the next two.
        for sections in 1..=Section::ALERTS.len() {
            let limit = collapsed_limit(sections);
            assert!((1..=COLLAPSED).contains(&limit));
            assert!(sections * (limit + 2) <= ALERT_LINES, "{sections}: {limit}");
        }
        assert_eq!(collapsed_limit(1), 3);
        assert_eq!(collapsed_limit(4), 1);
    }
}
