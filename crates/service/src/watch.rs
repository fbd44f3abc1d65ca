//! The watch list: flagging key persons, their levels and reviews, the rolling visits
//! their level demands, the chief's approvals, alerts, and revealing personal data.

use super::{Forbidden, PersonCard, Service, ServiceError, Session};
use crate::reading::{check_revision, check_writable};
use beatbook_core::config::watch::WatchConfig;
use beatbook_core::rules::access;
use beatbook_core::rules::watch::{
    after_visit, approval_for_level_change, approval_for_removal, next_review, next_visit_due,
    repeat_disputes, review_overdue, role_may, Approval, FlagAction, WatchRefusal,
};
use beatbook_i18n::Localize;
use beatbook_model::dates::parse_optional_date;
use beatbook_model::text::{clean, limits};
use beatbook_model::{
    Alert, AlertReason, Field, FlagChange, FlagChangeKind, FlagRow, FlagStatus, Id, Meta, Officer,
    PendingChange, Person, RiskLevel, Role, ValidationError, Visit, VisitChange, VisitChangeKind,
    VisitStatus, VisitSubject, WatchFlag,
};
use beatbook_store::{AnyRecord, Change, DisputeSummary, Kind, Write};
use chrono::NaiveDate;

/// The flag form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagForm {
    pub categories: Vec<String>,
    pub subcategories: Vec<String>,
    pub level: Option<RiskLevel>,
    pub basis: String,
    pub source: String,
    /// None: the logged-in officer.
    pub responsible: Option<Id>,
    /// Empty: from the level's review interval.
    pub next_review: String,
}

/// One row of the watch list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchRow {
    /// The flag's list row; its copy of the person (`listed_as`) is moved out into the
    /// fields below (one allocation fewer per field and row) and left empty here.
    pub flag: FlagRow,
    pub person_name: String,
    pub village: String,
    /// Birth year and masked ID number: many people share a name.
    pub birth_year: Option<i32>,
    pub masked_id: Option<String>,
    pub officer_name: String,
    /// Days since the last visit made (None: never visited).
    pub days_since_contact: Option<i64>,
    pub next_visit: Option<NaiveDate>,
    pub review_overdue: Option<i64>,
}

/// Which flags the watch list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchFilter {
    pub category: Option<String>,
    pub level: Option<RiskLevel>,
    pub officer: Option<Id>,
    /// Only flags whose visit or review is overdue.
    pub overdue_only: bool,
    pub text: String,
}

/// Everything the person screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonDetail {
    pub card: PersonCard,
    pub notes: String,
    pub flag: Option<WatchFlag>,
    pub flag_officer: String,
    pub disputes: Vec<DisputeSummary>,
    /// Every visit about the person, newest due first.
    pub visits: Vec<Visit>,
    pub alerts: Vec<Alert>,
}

/// The unmasked personal data, for the one person it was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revealed {
    pub id_number: String,
    pub phone: String,
}

/// An alert with names, for Today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRow {
    pub alert: Alert,
    pub person_name: String,
    pub officer_name: String,
    /// The person's watch level, when they are on the list.
    pub level: Option<RiskLevel>,
}

/// The alerts of a station already raised: the open ones, and the acknowledged ones read
/// only when needed (an alert is raised once for the same thing, not again after it was
/// acknowledged).
struct KnownAlerts<'s> {
    service: &'s Service,
    station: Id,
    alerts: Vec<Alert>,
    acknowledged_read: bool,
}

impl<'s> KnownAlerts<'s> {
    fn new(service: &'s Service, station: Id) -> Result<KnownAlerts<'s>, ServiceError> {
        Ok(KnownAlerts {
            service,
            station,
            alerts: service.store.station_alerts(station, true)?,
            acknowledged_read: false,
        })
    }

    /// Whether an alert about `person` that `is_it` accepts was raised before.
    fn raised(&mut self, person: Id, is_it: &dyn Fn(&Alert) -> bool) -> Result<bool, ServiceError> {
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

/// From this many flags on, the watch list reads every owed visit of the station in one
/// scan; below it, each flagged person's own visits.
const SCAN_OWED_FROM: usize = 500;

/// Waits for a scoped thread and passes its panic on, if it had one.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

impl Service {
    fn watch_config(&self) -> &WatchConfig {
        &self.settings.watch
    }

    /// Refuses what the role may not do to flags, and other stations.
    fn check_flag_action(
        &self,
        session: &Session,
        station: Id,
        action: FlagAction,
    ) -> Result<(), ServiceError> {
        check_writable(session, station)?;
        if !role_may(session.role, action) {
            return Err(WatchRefusal::RoleMayNot {
                action,
                role: session.role,
            }
            .into());
        }
        Ok(())
    }

    /// A flag at the revision the screen showed.
    fn flag_for(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        action: FlagAction,
    ) -> Result<WatchFlag, ServiceError> {
        let flag = self.record::<WatchFlag>(id)?;
        self.check_flag_action(session, flag.meta.station, action)?;
        check_revision(&flag, revision)?;
        if !flag.is_active() {
            return Err(WatchRefusal::NotActive.into());
        }
        Ok(flag)
    }

    fn check_categories(&self, form: &FlagForm) -> Result<(), ServiceError> {
        if form.categories.is_empty() {
            return Err(ValidationError::Required(Field::WatchCategories).into());
        }
        for code in &form.categories {
            if self.watch_config().category(code).is_none() {
                return Err(ValidationError::UnknownChoice {
                    field: Field::WatchCategories,
                    input: code.clone(),
                }
                .into());
            }
        }
        Ok(())
    }

    /// A rolling watch visit for a person.
    pub(super) fn watch_visit(&self, session: &Session, flag: &WatchFlag, due: NaiveDate) -> Visit {
        let meta = Meta::new(flag.meta.station, self.now_utc(), session.officer);
        let subject = VisitSubject {
            person: Some(flag.person),
            dispute: None,
        };
        let purpose = format!(
            "重点人员定期走访（{}）",
            flag.level.localize(beatbook_i18n::Lang::Zh)
        );
        Visit::planned(meta, subject, flag.responsible, due, purpose).with_rolling(true)
    }

    /// The person's owed rolling visits (scheduled by the level's rhythm). Visits an
    /// officer arranged by hand and dispute follow-ups are not among them: level changes
    /// and removal leave those alone.
    fn open_watch_visits(&self, person: Id) -> Result<Vec<Visit>, ServiceError> {
        Ok(self
            .open_person_visits(person)?
            .into_iter()
            .filter(|v| v.rolling)
            .collect())
    }

    /// The person's owed visits that are not dispute follow-ups, earliest first.
    fn open_person_visits(&self, person: Id) -> Result<Vec<Visit>, ServiceError> {
        let mut out = Vec::new();
        for s in self.store.person_visit_summaries(person)? {
            if s.status == VisitStatus::Scheduled {
                if let Some(v) = self.store.get::<Visit>(s.id)? {
                    if v.subject.dispute.is_none() {
                        out.push(v);
                    }
                }
            }
        }
        out.sort_by_key(|v| (v.due, v.meta.id));
        Ok(out)
    }

    /// Cancels `visits` with `reason`, for the same change.
    fn cancelled(&self, session: &Session, visits: Vec<Visit>, reason: &str) -> Vec<Visit> {
        let now = self.now_utc();
        visits
            .into_iter()
            .map(|mut v| {
                v.status = VisitStatus::Cancelled;
                v.status_reason = reason.to_string();
                v.history.push(
                    VisitChange::new(now, session.officer, VisitChangeKind::Cancelled)
                        .reason(reason),
                );
                v
            })
            .collect()
    }

    /// Puts a person of the session's station on the watch list (or back on it) and
    /// schedules the first rolling visit.
    pub fn flag_person(
        &self,
        session: &Session,
        person: Id,
        form: &FlagForm,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        self.check_flag_action(session, session.station, FlagAction::Add)?;
        let p = self
            .store
            .get::<Person>(person)?
            .ok_or(ServiceError::NotFound(Kind::Person))?;
        if p.meta.station != session.station {
            return Err(ServiceError::Forbidden(Forbidden::OtherStation));
        }
        self.check_categories(form)?;
        let level = form.level.ok_or(ValidationError::Required(Field::Level))?;
        let basis = clean(Field::Basis, &form.basis, limits::NOTES, true, true)?;
        let source = clean(Field::Source, &form.source, limits::SHORT, false, false)?;
        let responsible = form.responsible.unwrap_or(session.officer);
        if !access::can_assign_visit(&session.principal(), responsible) {
            return Err(ServiceError::Forbidden(Forbidden::AssignOthers));
        }
        self.check_assignee(session, responsible)?;
        let today = self.today();
        let review = match parse_optional_date(Field::NextReview, &form.next_review, today)? {
            Some(d) if d < today => {
                return Err(ValidationError::DateInPast {
                    field: Field::NextReview,
                }
                .into())
            }
            Some(d) => d,
            None => next_review(level, today, self.watch_config()),
        };
        let now = self.now_utc();
        let existing = self.store.flag_of(person)?;
        if existing.as_ref().is_some_and(WatchFlag::is_active) {
            return Err(ServiceError::AlreadyFlagged);
        }
        let mut flag = match existing {
            Some(old) => old,
            None => WatchFlag {
                meta: Meta::new(session.station, now, session.officer),
                person,
                categories: Vec::new(),
                subcategories: Vec::new(),
                level,
                basis: String::new(),
                source: String::new(),
                responsible,
                added_on: today,
                next_review: review,
                status: FlagStatus::Active,
                pending: None,
                last_contact: None,
                missed_in_a_row: 0,
                history: Vec::new(),
                listed_as: beatbook_model::FlagPerson::default(),
            },
        };
        flag.list_person_from(&p);
        flag.categories = form.categories.clone();
        flag.subcategories = form.subcategories.clone();
        flag.level = level;
        flag.basis = basis.clone();
        flag.source = source;
        flag.responsible = responsible;
        flag.added_on = today;
        flag.next_review = review;
        flag.status = FlagStatus::Active;
        flag.pending = None;
        flag.missed_in_a_row = 0;
        flag.history.push(FlagChange {
            at: now,
            by: session.officer,
            kind: FlagChangeKind::Added,
            from_level: None,
            to_level: Some(level),
            reason: basis,
        });
        // The next visit must exist: the earliest visit already owed to the person (not a
        // dispute follow-up) serves and becomes the first rolling one; otherwise the
        // level's rhythm sets the first.
        let owed = self.open_person_visits(person)?;
        let first_visit = if owed.iter().any(|v| v.rolling) {
            None
        } else if let Some(mut serving) = owed.into_iter().next() {
            serving.rolling = true;
            Some(serving)
        } else {
            let due = next_visit_due(level, flag.last_contact, today, today, self.watch_config());
            Some(self.watch_visit(session, &flag, due))
        };
        let mut change = self
            .change(session, "watch.flag")
            .detail(format!(
                "{} listed ({})",
                p.name,
                level.localize(beatbook_i18n::Lang::En)
            ))
            .put(flag);
        if let Some(visit) = first_visit {
            change = change.put(visit);
        }
        self.single_flag(self.store.commit(&change)?)
    }

    fn single_flag(&self, saved: Vec<AnyRecord>) -> Result<WatchFlag, ServiceError> {
        saved
            .into_iter()
            .find_map(|r| match r {
                AnyRecord::Flag(f) => Some(*f),
                _ => None,
            })
            .ok_or(ServiceError::NotFound(Kind::Flag))
    }

    /// Applies a level change now: history, and the rolling visits re-planned from the
    /// last contact by the new level's rhythm.
    fn apply_level(
        &self,
        session: &Session,
        flag: &mut WatchFlag,
        to: RiskLevel,
        reason: &str,
        kind: FlagChangeKind,
    ) -> Result<Vec<Visit>, ServiceError> {
        let now = self.now_utc();
        let today = self.today();
        flag.history.push(FlagChange {
            at: now,
            by: session.officer,
            kind,
            from_level: Some(flag.level),
            to_level: Some(to),
            reason: reason.to_string(),
        });
        flag.level = to;
        // Deciding a new level is a review: the next one falls due by the new level's
        // interval rather than the old one's.
        flag.next_review = next_review(to, today, self.watch_config());
        let mut visits = self.cancelled(
            session,
            self.open_watch_visits(flag.person)?,
            "等级调整，重新安排回访",
        );
        let due = next_visit_due(
            to,
            flag.last_contact,
            flag.added_on,
            today,
            self.watch_config(),
        );
        visits.push(self.watch_visit(session, flag, due));
        Ok(visits)
    }

    /// Changes a flag's level. Lowering a red flag waits for the chief unless the chief
    /// does it; a reason is always required.
    pub fn change_flag_level(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        to: RiskLevel,
        reason: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::ChangeLevel)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        if flag.level == to {
            return Err(WatchRefusal::SameLevel.into());
        }
        if flag.pending.is_some() {
            return Err(WatchRefusal::PendingExists.into());
        }
        let now = self.now_utc();
        let visits = match approval_for_level_change(flag.level, to, session.role) {
            Approval::ChiefMust => {
                flag.pending = Some(PendingChange {
                    to_level: Some(to),
                    reason: reason.clone(),
                    requested_by: session.officer,
                    requested_at: now,
                });
                flag.history.push(FlagChange {
                    at: now,
                    by: session.officer,
                    kind: FlagChangeKind::LoweringRequested,
                    from_level: Some(flag.level),
                    to_level: Some(to),
                    reason,
                });
                Vec::new()
            }
            Approval::NotNeeded => self.apply_level(
                session,
                &mut flag,
                to,
                &reason,
                FlagChangeKind::LevelChanged,
            )?,
        };
        self.save_flag(session, "watch.level", flag, visits)
    }

    /// Removes a person from the watch list (a red flag waits for the chief unless the
    /// chief does it); their rolling visits are cancelled with the reason.
    pub fn remove_flag(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        reason: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::RequestRemoval)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        if flag.pending.is_some() {
            return Err(WatchRefusal::PendingExists.into());
        }
        let now = self.now_utc();
        let visits = match approval_for_removal(flag.level, session.role) {
            Approval::ChiefMust => {
                flag.pending = Some(PendingChange {
                    to_level: None,
                    reason: reason.clone(),
                    requested_by: session.officer,
                    requested_at: now,
                });
                flag.history.push(FlagChange {
                    at: now,
                    by: session.officer,
                    kind: FlagChangeKind::RemovalRequested,
                    from_level: Some(flag.level),
                    to_level: None,
                    reason,
                });
                Vec::new()
            }
            Approval::NotNeeded => self.apply_removal(session, &mut flag, &reason)?,
        };
        self.save_flag(session, "watch.remove", flag, visits)
    }

    fn apply_removal(
        &self,
        session: &Session,
        flag: &mut WatchFlag,
        reason: &str,
    ) -> Result<Vec<Visit>, ServiceError> {
        flag.status = FlagStatus::Removed;
        flag.history.push(FlagChange {
            at: self.now_utc(),
            by: session.officer,
            kind: FlagChangeKind::Removed,
            from_level: Some(flag.level),
            to_level: None,
            reason: reason.to_string(),
        });
        Ok(self.cancelled(
            session,
            self.open_watch_visits(flag.person)?,
            &format!("撤销列管：{reason}"),
        ))
    }

    /// The chief approves or rejects the pending removal or lowering.
    pub fn decide_flag(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        approve: bool,
        remarks: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::Decide)?;
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, !approve, true)?;
        let Some(pending) = flag.pending.take() else {
            return Err(WatchRefusal::NothingPending.into());
        };
        let now = self.now_utc();
        flag.history.push(FlagChange {
            at: now,
            by: session.officer,
            kind: if approve {
                FlagChangeKind::Approved
            } else {
                FlagChangeKind::Rejected
            },
            from_level: Some(flag.level),
            to_level: pending.to_level,
            reason: remarks,
        });
        let visits = match (approve, pending.to_level) {
            (false, _) => Vec::new(),
            (true, Some(to)) => self.apply_level(
                session,
                &mut flag,
                to,
                &pending.reason,
                FlagChangeKind::LevelChanged,
            )?,
            (true, None) => self.apply_removal(session, &mut flag, &pending.reason)?,
        };
        self.save_flag(session, "watch.decide", flag, visits)
    }

    /// Records a review: the next one falls due by the level's interval.
    pub fn review_flag(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        remarks: &str,
    ) -> Result<WatchFlag, ServiceError> {
        self.authorize(session)?;
        let mut flag = self.flag_for(session, id, revision, FlagAction::Review)?;
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, false, true)?;
        let today = self.today();
        flag.next_review = next_review(flag.level, today, self.watch_config());
        flag.history.push(FlagChange {
            at: self.now_utc(),
            by: session.officer,
            kind: FlagChangeKind::Reviewed,
            from_level: None,
            to_level: None,
            reason: remarks,
        });
        self.save_flag(session, "watch.review", flag, Vec::new())
    }

    fn save_flag(
        &self,
        session: &Session,
        action: &str,
        flag: WatchFlag,
        visits: Vec<Visit>,
    ) -> Result<WatchFlag, ServiceError> {
        let mut change = self
            .change(session, action)
            .station(flag.meta.station)
            .put(flag);
        for v in visits {
            change = change.put(v);
        }
        self.single_flag(self.store.commit(&change)?)
    }

    /// Called inside a visit save: a flagged person's flag learns of the visit, whatever
    /// it was for (a dispute follow-up made with the person is contact too); missed ones
    /// in a row raise an alert. When no rolling visit is left owed, the next one is
    /// scheduled by the level's rhythm (a date the officer gave for the next rolling visit
    /// stands in for it). `person` is one the visit reached (or, missed, was owed to): a
    /// follow-up covering several parties calls this once for each. Returns the records
    /// to write with the visit.
    pub(super) fn watch_after_visit(
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
                self.new_alert(&FlagRow::of(&flag), AlertReason::MissedVisits { count })
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

    fn new_alert(&self, flag: &FlagRow, reason: AlertReason) -> Alert {
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
    pub(super) fn watch_after_dispute(
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
                        &FlagRow::of(flag),
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
    pub(super) fn is_watch_listed(&self, person: Id) -> Result<bool, ServiceError> {
        Ok(self.store.flag_of(person)?.is_some_and(|f| f.is_active()))
    }

    /// Raises review-overdue alerts for the station's flags (run at login; one write for
    /// all of them, nothing when there is nothing new).
    pub(super) fn sweep_review_alerts(&self, session: &Session) -> Result<(), ServiceError> {
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
        for flag in self
            .store
            .station_flags(session.station, FlagStatus::Active)?
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
        let mut rows = Vec::new();
        for alert in self.store.station_alerts(session.station, true)? {
            if session.role == Role::Officer && alert.officer != session.officer {
                continue;
            }
            let person_name = self.person_summary(alert.meta.station, alert.person)?.name;
            let officer_name = match self.store.get::<Officer>(alert.officer)? {
                Some(o) => o.display_name,
                None => "?".into(),
            };
            let level = self
                .store
                .flag_of(alert.person)?
                .filter(WatchFlag::is_active)
                .map(|f| f.level);
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

    /// The watch list of the session's station (a supervisor: every station).
    pub fn watch_list(
        &self,
        session: &Session,
        filter: &WatchFilter,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        self.authorize(session)?;
        let stations: Vec<Id> = match session.role {
            Role::Supervisor => self.stations()?.into_iter().map(|s| s.meta.id).collect(),
            Role::Admin => return Err(ServiceError::Forbidden(Forbidden::NoCaseData)),
            _ => vec![session.station],
        };
        let today = self.today();
        let mut rows = Vec::new();
        for station in stations {
            let more = self.station_watch_rows(station, filter, today)?;
            if rows.is_empty() {
                rows = more;
            } else {
                rows.extend(more);
            }
        }
        // Highest level first, then longest without contact, then by flag id (every key
        // distinct). The small keys are sorted and the wide rows moved once into place.
        let mut order: Vec<_> = rows
            .iter()
            .enumerate()
            .map(|(at, r)| {
                let since = r.days_since_contact.unwrap_or(i64::MAX);
                (std::cmp::Reverse((r.flag.level, since)), r.flag.id, at)
            })
            .collect();
        order.sort_unstable();
        let mut slots: Vec<Option<WatchRow>> = rows.into_iter().map(Some).collect();
        let rows = order
            .into_iter()
            .filter_map(|(_, _, at)| slots.get_mut(at).and_then(Option::take))
            .collect();
        Ok(rows)
    }

    /// One station's rows. Opening the list is dominated by index reads: the station's
    /// owed visits are read on one thread while this one reads the flags, whose index
    /// rows carry the person's name, village, birth year and masked ID (no person is
    /// read).
    fn station_watch_rows(
        &self,
        station: Id,
        filter: &WatchFilter,
        today: NaiveDate,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        // The scan of every owed visit of the station starts at once, beside the flags;
        // when there turn out to be few flags it is stopped, and their persons' visits are
        // asked for one by one instead (a station's owed visits can number tens of
        // thousands).
        let stop = std::sync::atomic::AtomicBool::new(false);
        let (owed, listed) = std::thread::scope(|scope| {
            let owed = scope.spawn(|| self.store.next_owed_by_person(station, &stop));
            let listed = self.filtered_flags(station, filter).and_then(|flags| {
                if flags.len() < SCAN_OWED_FROM {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                self.rows_with_officers(flags, &filter.text, today)
            });
            (joined(owed), listed)
        });
        let owed = owed?;
        // In place: the wide rows move only when some are dropped.
        let mut rows = listed?;
        for row in &mut rows {
            row.next_visit = match &owed {
                Some(owed) => owed.get(&row.flag.person).copied(),
                None => self.store.next_owed_of(station, row.flag.person)?,
            };
        }
        if filter.overdue_only {
            rows.retain(|row| {
                row.review_overdue.is_some() || row.next_visit.is_some_and(|d| d < today)
            });
        }
        Ok(rows)
    }

    /// [`Self::listed_rows`] of `flags`, with the responsible officers' names read once.
    fn rows_with_officers(
        &self,
        flags: Vec<FlagRow>,
        text: &str,
        today: NaiveDate,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        let mut officers: std::collections::HashMap<Id, String> = std::collections::HashMap::new();
        for flag in &flags {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                officers.entry(flag.responsible)
            {
                slot.insert(match self.store.get::<Officer>(flag.responsible)? {
                    Some(o) => o.display_name,
                    None => "?".into(),
                });
            }
        }
        self.listed_rows(flags, &officers, text, today)
    }

    /// A station's active flags of the filter's category, level and officer.
    fn filtered_flags(
        &self,
        station: Id,
        filter: &WatchFilter,
    ) -> Result<Vec<FlagRow>, ServiceError> {
        Ok(self
            .store
            .station_flags(station, FlagStatus::Active)?
            .into_iter()
            .filter(|flag| {
                !(filter
                    .category
                    .as_ref()
                    .is_some_and(|c| !flag.categories.contains(c))
                    || filter.level.is_some_and(|l| flag.level != l)
                    || filter.officer.is_some_and(|o| o != flag.responsible))
            })
            .collect())
    }

    /// The rows of `flags` whose person's name or village matches `text`, with their
    /// responsible officer's name, without their next owed visit (the caller adds it).
    fn listed_rows(
        &self,
        flags: Vec<FlagRow>,
        officers: &std::collections::HashMap<Id, String>,
        text: &str,
        today: NaiveDate,
    ) -> Result<Vec<WatchRow>, ServiceError> {
        let query = text.trim();
        let mut rows = Vec::with_capacity(flags.len());
        for mut flag in flags {
            let person = &flag.listed_as;
            if !query.is_empty()
                && !beatbook_core::search::text_matches(query, &person.name)
                && !beatbook_core::search::text_matches(query, &person.village)
            {
                continue;
            }
            let officer_name = officers
                .get(&flag.responsible)
                .cloned()
                .unwrap_or_else(|| "?".into());
            // The copy's fields move into the row's own (see `WatchRow::flag`).
            let person = std::mem::take(&mut flag.listed_as);
            rows.push(WatchRow {
                days_since_contact: flag.last_contact.map(|d| (today - d).num_days()),
                next_visit: None,
                review_overdue: review_overdue(flag.next_review, today),
                person_name: person.name,
                village: person.village,
                birth_year: person.birth_year,
                masked_id: person.masked_id,
                officer_name,
                flag,
            });
        }
        Ok(rows)
    }

    /// Everything about a person the session may read: profile (masked), flag with its
    /// history, disputes, visits, open alerts.
    pub fn person_detail(&self, session: &Session, id: Id) -> Result<PersonDetail, ServiceError> {
        self.authorize(session)?;
        let person = self.readable::<Person>(session, id)?;
        let flag = self.store.flag_of(id)?;
        let flag_officer = match &flag {
            Some(f) => match self.store.get::<Officer>(f.responsible)? {
                Some(o) => o.display_name,
                None => "?".into(),
            },
            None => String::new(),
        };
        let overview = self.person_overview(session, id)?;
        let mut visits = Vec::new();
        for s in self.store.person_visit_summaries(id)? {
            if let Some(v) = self.store.get::<Visit>(s.id)? {
                visits.push(v);
            }
        }
        visits.sort_by_key(|v| std::cmp::Reverse((v.due, v.meta.id)));
        let alerts = self
            .store
            .station_alerts(person.meta.station, true)?
            .into_iter()
            .filter(|a| a.person == id)
            .collect();
        Ok(PersonDetail {
            card: PersonCard::from(&person),
            notes: person.notes.clone(),
            flag,
            flag_officer,
            disputes: overview.disputes,
            visits,
            alerts,
        })
    }

    /// The unmasked ID number and phone of one person, for someone allowed to read them;
    /// every reveal is written to the audit log (who, when, whose).
    pub fn reveal_person(&self, session: &Session, id: Id) -> Result<Revealed, ServiceError> {
        self.authorize(session)?;
        let person = self.readable::<Person>(session, id)?;
        let change = self
            .change(session, "person.reveal")
            .station(person.meta.station)
            .detail(format!("revealed ID number and phone of person {id}"));
        self.store.commit(&change)?;
        Ok(Revealed {
            id_number: person.id_number.map(String::from).unwrap_or_default(),
            phone: person.phone.map(String::from).unwrap_or_default(),
        })
    }
}
