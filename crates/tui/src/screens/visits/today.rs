//! Today: the station's follow-up list — overdue, due today, the coming days.

use crate::action::Action;
use crate::app::Message;
use crate::screens::effect::{Ctx, Effect, Open};
use crate::screens::print::PrintTarget;
use crate::screens::visits::forms;
use crate::text::T;
use crate::widgets::selection::{navigate, reselect};
use crate::widgets::text_field::TextField;
use beatbook_core::rules::visits::Urgency;
use beatbook_core::search::{FilterQuery, LazyRows};
use beatbook_model::Id;
use beatbook_service::{
    AlertKind, ApprovalTarget, Scope, Service, ServiceError, Session, TodayRow, TodayView,
};

mod draw;
mod items;

pub use draw::{alert_reason_text, draw, when_label};
pub use items::*;

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
    /// The texts the filter looks at, per visit row and per alert, prepared at the first
    /// filter after a load.
    prepared_rows: LazyRows,
    prepared_alerts: LazyRows,
    /// Conflicts from the hub this session decides (the chief's), kept in sight.
    pub conflicts: usize,
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
            prepared_rows: LazyRows::default(),
            prepared_alerts: LazyRows::default(),
            conflicts: 0,
        }
    }

    /// Reads the list again, keeping the selection on the same record when it is still
    /// listed (else the first line); the first load starts on the most urgent visit.
    pub fn reload(&mut self, service: &Service, session: &Session) -> Result<(), ServiceError> {
        let keep = self.selected_key();
        let first_load = self.view.is_none();
        let screen = service.today_screen(session, self.scope)?;
        let inbox = screen.inbox;
        self.conflicts = screen.conflicts;
        self.view = Some(screen.list);
        let mine = self.scope == Scope::Mine;
        // The chief's approvals are the chief's own work whatever the scope.
        let chief = service.views(session).approvals;
        let approvals = if chief { inbox.approvals } else { Vec::new() };
        // Findings first (overdue ones on top): the bureau is waiting on them.
        let mut alerts: Vec<TodayAlert> = screen
            .findings
            .into_iter()
            .map(TodayAlert::Finding)
            .collect();
        alerts.extend(
            inbox
                .alerts
                .into_iter()
                // Extensions and closable disputes are in the chief's approvals: listed
                // once, where the chief decides them.
                .filter(|a| {
                    !chief || !matches!(a.kind, AlertKind::ExtensionPending | AlertKind::Closable)
                })
                .map(TodayAlert::Dispute),
        );
        alerts.extend(
            screen
                .watch_alerts
                .into_iter()
                .filter(|a| !mine || a.alert.officer == session.officer())
                .map(TodayAlert::Watch),
        );
        alerts.extend(approvals.into_iter().map(TodayAlert::Approval));
        self.alerts = alerts;
        self.prepared_rows.reset();
        self.prepared_alerts.reset();
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
        let rows = self.view.as_ref().map_or(&[][..], |v| v.rows.as_slice());
        self.visible = self.prepared_rows.passing(&query, rows.len(), |i| {
            let r = &rows[i];
            [
                r.person_name.as_str(),
                r.village.as_str(),
                r.purpose.as_str(),
                r.officer_name.as_str(),
                r.station_name.as_str(),
            ]
        });
        let alerts = &self.alerts;
        self.visible_alerts = self
            .prepared_alerts
            .passing(&query, alerts.len(), |i| [alerts[i].title()]);
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
impl TodayState {
    pub fn update(&mut self, ctx: &Ctx, action: Action) -> Effect {
        update(self, ctx, action)
    }
}

fn update(state: &mut TodayState, ctx: &Ctx, action: Action) -> Effect {
    if let Some(selected) = navigate(state.selected, state.item_count(), action) {
        state.selected = selected;
        return Effect::None;
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
            let bureau = ctx.service.views(ctx.session).bureau_wide;
            state.scope = match (state.scope, bureau) {
                (Scope::Mine, _) => Scope::Station,
                (Scope::Station, true) => Scope::Bureau,
                (Scope::Station, false) => Scope::Mine,
                (Scope::Bureau, _) => Scope::Station,
            };
            // The selection follows its record into the other scope when it is listed
            // there (the reload looks it up by id).
            return Effect::Reload;
        }
        Action::Refresh => {
            return Effect::Then(vec![
                Effect::Reload,
                Effect::Message(Message::info(T::Refreshed.bi())),
            ])
        }
        Action::Logout => return Effect::Logout,
        Action::Acknowledge => {
            let Some(TodayAlert::Watch(a)) = state.selected_alert() else {
                return Effect::Message(Message::info(T::SelectAnAlert.bi()));
            };
            let (id, revision) = (a.alert.meta.id, a.alert.meta.revision);
            return match ctx.service.acknowledge_alert(ctx.session, id, revision) {
                Ok(_) => Effect::Then(vec![
                    Effect::Message(Message::success(T::AlertAcknowledged.bi())),
                    Effect::Reload,
                ]),
                Err(e) => Effect::Message(Message::error(&e)),
            };
        }
        Action::Open => {
            if let Some(Item::Toggle {
                section, expanded, ..
            }) = state.items.get(state.selected).copied()
            {
                state.toggle_section(section, !expanded);
            } else if let Some(alert) = state.selected_alert() {
                return match alert {
                    TodayAlert::Dispute(a) => {
                        let id = a.dispute;
                        Effect::Open(Open::Dispute(id))
                    }
                    TodayAlert::Watch(a) => {
                        let id = a.alert.person;
                        Effect::Open(Open::Person(id))
                    }
                    TodayAlert::Finding(f) => {
                        let id = f.finding.meta.id;
                        Effect::Open(Open::Finding(id))
                    }
                    TodayAlert::Approval(r) => match r.target {
                        ApprovalTarget::Person(id) => Effect::Open(Open::Person(id)),
                        ApprovalTarget::Dispute(id) => Effect::Open(Open::Dispute(id)),
                    },
                };
            } else if let Some(row) = state.selected_row() {
                let id = row.visit;
                return Effect::Open(Open::Visit(id));
            }
        }
        Action::SwitchView => return Effect::SwitchView,
        Action::FindingRectify => {
            return if let Some(TodayAlert::Finding(f)) = state.selected_alert() {
                let id = f.finding.meta.id;
                Effect::Open(Open::FindingAnd(id, action))
            } else {
                Effect::Message(Message::info(T::SelectAFinding.bi()))
            };
        }
        Action::AuditLog => return crate::screens::audit::AuditState::open(ctx),
        Action::Conflicts => return crate::screens::conflicts::ConflictsState::open(ctx),
        Action::Statistics => return crate::screens::statistics::open(ctx),
        Action::VisitDone | Action::VisitMissed | Action::VisitReschedule | Action::VisitCancel => {
            return if let Some(row) = state.selected_row() {
                let target = row_target(row);
                Effect::Open(Open::VisitForm(action, target))
            } else {
                Effect::Message(Message::info(T::NoVisitSelected.bi()))
            };
        }
        Action::VisitNew => return Effect::Open(Open::NewVisit),
        // issue 15 — the highlighted visit's record.
        Action::Print => {
            return match state.selected_row() {
                Some(row) => Effect::Open(Open::Print(PrintTarget::Visit(row.visit))),
                None => Effect::Message(Message::info(T::NoVisitSelected.bi())),
            };
        }
        _ => {}
    }
    Effect::None
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
