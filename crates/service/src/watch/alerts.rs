//! Watch-list alerts: raised when a visit is missed or a listed person turns up in a
//! dispute, swept for overdue reviews, listed and acknowledged.

use super::*;
use beatbook_store::FlagMark;
use std::collections::HashMap;

/// From this many alerts on, their flags' levels are read from the station's flag rows
/// at once rather than flag by flag.
const LEVELS_FROM_ROWS: usize = 32;

impl Service {
    /// Called inside a visit save: a flagged person's flag learns of the visit, whatever
    /// it was for (a dispute follow-up made with the person is contact too); missed ones
    /// in a row raise an alert. When no rolling visit is left owed, the next one is
    /// scheduled by the level's rhythm (a date the officer gave for the next rolling visit
    /// stands in for it). `person` is one the visit reached (or, missed, was owed to): a
    /// follow-up covering several parties calls this once for each. Returns the records
    /// to write with the visit.
    pub(crate) fn watch_after_visit(
        &self,
        session: &Session,
        visit: &Visit,
        person: Id,
        next_planned: bool,
    ) -> Result<Vec<AnyRecord>, ServiceError> {
        let Some(mut flag) = self.store.flag_of(person)? else {
            return Ok(Vec::new());
        };
        if !flag.is_active() {
            return Ok(Vec::new());
        }
        let today = self.today();
        let missed = visit.status == VisitStatus::Missed;
        let (count, alert_now) = after_visit(flag.missed_in_a_row, missed, self.watch_config());
        flag.missed_in_a_row = count;
        if visit.status == VisitStatus::Done {
            flag.last_contact = flag.last_contact.max(Some(today));
        }
        let mut out: Vec<AnyRecord> = Vec::new();
        if alert_now {
            out.push(
                self.new_alert(&FlagMark::of(&flag), AlertReason::MissedVisits { count })
                    .into(),
            );
        }
        // Only another rolling visit stands in for the next one: a dispute's follow-up or a
        // visit arranged by hand is no visit by the level's rhythm.
        let others_open = self
            .open_watch_visits(person)?
            .iter()
            .any(|v| v.meta.id != visit.meta.id);
        let next_is_rolling = visit.rolling && next_planned;
        if !next_is_rolling && !others_open {
            let due = next_visit_due(
                flag.level,
                flag.last_contact,
                flag.added_on,
                today,
                self.watch_config(),
            );
            out.push(self.watch_visit(session, &flag, due).into());
        }
        out.insert(0, flag.into());
        Ok(out)
    }

    pub(crate) fn new_alert(&self, flag: &FlagMark, reason: AlertReason) -> Alert {
        Alert {
            meta: Meta::new(flag.station, self.now_utc(), Id::SYSTEM),
            person: flag.person,
            reason,
            officer: flag.responsible,
            raised_on: self.today(),
            acknowledged_by: None,
            acknowledged_at: None,
        }
    }

    /// Called when a dispute is saved: watch-listed parties raise an alert for their
    /// officer and the chief (once per dispute and person), and parties with two or more
    /// disputes in the window raise one too. Returns the alerts to write with the dispute.
    pub(crate) fn watch_after_dispute(
        &self,
        dispute: &beatbook_model::Dispute,
    ) -> Result<Vec<Alert>, ServiceError> {
        let mut known = KnownAlerts::new(self, dispute.meta.station)?;
        let mut out = Vec::new();
        for person in dispute.party_ids() {
            let flag = self.store.flag_of(person)?.filter(WatchFlag::is_active);
            let responsible = flag
                .as_ref()
                .map(|f| f.responsible)
                .unwrap_or(dispute.assigned_to);
            if let Some(flag) = &flag {
                let id = dispute.meta.id;
                if !known.raised(
                    person,
                    &|a| matches!(a.reason, AlertReason::WatchedPartyInDispute { dispute, .. } if dispute == id),
                )? {
                    out.push(self.new_alert(
                        &FlagMark::of(flag),
                        AlertReason::WatchedPartyInDispute {
                            dispute: id,
                            title: dispute.title.clone(),
                        },
                    ));
                }
            }
            let mut dates: Vec<NaiveDate> = self
                .store
                .person_disputes(person)?
                .iter()
                .filter(|d| d.id != dispute.meta.id)
                .map(|d| d.reported_on)
                .collect();
            dates.push(dispute.reported_on);
            let count = dates.len() as u32;
            // Once while open; once acknowledged, again only for a further dispute.
            if repeat_disputes(&dates, self.today(), self.watch_config())
                && !known.raised(person, &|a| {
                    matches!(a.reason, AlertReason::RepeatDisputes { count: c } if a.is_open() || c >= count)
                })?
            {
                out.push(Alert {
                    meta: Meta::new(dispute.meta.station, self.now_utc(), Id::SYSTEM),
                    person,
                    reason: AlertReason::RepeatDisputes { count },
                    officer: responsible,
                    raised_on: self.today(),
                    acknowledged_by: None,
                    acknowledged_at: None,
                });
            }
        }
        Ok(out)
    }

    /// Whether a person is on the watch list now (the dispute risk's implied indicator).
    pub(crate) fn is_watch_listed(&self, person: Id) -> Result<bool, ServiceError> {
        Ok(self.store.flag_of(person)?.is_some_and(|f| f.is_active()))
    }

    /// Raises review-overdue alerts for the station's flags (run at login; one write for
    /// all of them, nothing when there is nothing new).
    pub(crate) fn sweep_review_alerts(&self, session: &Session) -> Result<(), ServiceError> {
        if !matches!(session.role, Role::Officer | Role::Chief) {
            return Ok(());
        }
        let today = self.today();
        let mut known = KnownAlerts::new(self, session.station)?;
        let mut change = Change::new(
            "watch.review_alerts",
            &beatbook_store::Actor::system(),
            self.now_utc(),
        )
        .station(session.station);
        // The fixed fields of the rows are enough: the date, and whom an alert is for.
        for flag in self
            .store
            .station_flag_marks(session.station, FlagStatus::Active)?
        {
            if review_overdue(flag.next_review, today).is_none() {
                continue;
            }
            let due = flag.next_review;
            // Acknowledged ones count too: the same overdue review is not raised again at
            // every login.
            if !known.raised(
                flag.person,
                &|a| matches!(a.reason, AlertReason::ReviewOverdue { due: d } if d == due),
            )? {
                change.writes.push(Write::Put(Box::new(
                    self.new_alert(&flag, AlertReason::ReviewOverdue { due })
                        .into(),
                )));
            }
        }
        if !change.writes.is_empty() {
            self.store.commit(&change)?;
        }
        Ok(())
    }

    /// Open alerts for the session: the responsible officer's own, or every one of the
    /// station for the chief.
    pub fn watch_alerts(&self, session: &Session) -> Result<Vec<AlertRow>, ServiceError> {
        self.authorize(session)?;
        if !matches!(session.role, Role::Officer | Role::Chief) {
            return Ok(Vec::new());
        }
        let alerts: Vec<Alert> = self
            .store
            .station_alerts(session.station, true)?
            .into_iter()
            .filter(|a| session.role == Role::Chief || a.officer == session.officer)
            .collect();
        // The level each alert shows: from the station's flag rows when there are many
        // alerts (reading each flag whole took 17 ms for a chief's 270 at full size,
        // issue 16), else flag by flag; a flag not active at this station is read whole.
        let levels: HashMap<Id, RiskLevel> = if alerts.len() >= LEVELS_FROM_ROWS {
            self.store
                .station_flag_marks(session.station, FlagStatus::Active)?
                .into_iter()
                .map(|m| (m.person, m.level))
                .collect()
        } else {
            HashMap::new()
        };
        let mut names = crate::names::Names::default();
        let mut rows = Vec::with_capacity(alerts.len());
        for alert in alerts {
            let person_name = self.person_summary(alert.meta.station, alert.person)?.name;
            let officer_name = names
                .officer_known(self, alert.officer)
                .unwrap_or_else(|| "?".into());
            let level = match levels.get(&alert.person) {
                Some(level) => Some(*level),
                None => self
                    .store
                    .flag_of(alert.person)?
                    .filter(WatchFlag::is_active)
                    .map(|f| f.level),
            };
            rows.push(AlertRow {
                alert,
                person_name,
                officer_name,
                level,
            });
        }
        rows.sort_by_key(|r| (r.alert.raised_on, r.alert.meta.id));
        Ok(rows)
    }

    /// Acknowledges an alert (audited); it leaves Today.
    pub fn acknowledge_alert(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
    ) -> Result<Alert, ServiceError> {
        self.authorize(session)?;
        let mut alert = self
            .store
            .get::<Alert>(id)?
            .ok_or(ServiceError::NotFound(Kind::Alert))?;
        self.check_flag_action(session, alert.meta.station, FlagAction::Acknowledge)?;
        if session.role == Role::Officer && alert.officer != session.officer {
            return Err(ServiceError::Forbidden(Forbidden::NotAssigned));
        }
        check_revision(&alert, revision)?;
        alert.acknowledged_by = Some(session.officer);
        alert.acknowledged_at = Some(self.now_utc());
        let change = self.change(session, "alert.acknowledge").put(alert);
        self.store
            .commit(&change)?
            .into_iter()
            .find_map(|r| match r {
                AnyRecord::Alert(a) => Some(*a),
                _ => None,
            })
            .ok_or(ServiceError::NotFound(Kind::Alert))
    }
}

/// The alerts of a station already raised: the open ones, and the acknowledged ones read
/// only when needed (an alert is raised once for the same thing, not again after it was
/// acknowledged).
pub(crate) struct KnownAlerts<'s> {
    pub(crate) service: &'s Service,
    pub(crate) station: Id,
    pub(crate) alerts: Vec<Alert>,
    pub(crate) acknowledged_read: bool,
}

impl<'s> KnownAlerts<'s> {
    pub(crate) fn new(service: &'s Service, station: Id) -> Result<KnownAlerts<'s>, ServiceError> {
        Ok(KnownAlerts {
            service,
            station,
            alerts: service.store.station_alerts(station, true)?,
            acknowledged_read: false,
        })
    }

    /// Whether an alert about `person` that `is_it` accepts was raised before.
    pub(crate) fn raised(
        &mut self,
        person: Id,
        is_it: &dyn Fn(&Alert) -> bool,
    ) -> Result<bool, ServiceError> {
        let found = |alerts: &[Alert]| alerts.iter().any(|a| a.person == person && is_it(a));
        if found(&self.alerts) {
            return Ok(true);
        }
        if !self.acknowledged_read {
            self.acknowledged_read = true;
            self.alerts
                .extend(self.service.store.station_alerts(self.station, false)?);
            return Ok(found(&self.alerts));
        }
        Ok(false)
    }
}
