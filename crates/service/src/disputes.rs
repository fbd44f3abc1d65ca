//! The dispute register: registering, mediating, resolving and closing disputes, with
//! risk computed on every save and follow-up visits scheduled on resolution.

use super::{Forbidden, PersonCard, Service, ServiceError, Session};
use crate::reading::{check_revision, check_writable};
use beatbook_core::config::disputes::implied;
use beatbook_core::rules::access;
use beatbook_core::rules::disputes::{next_status, role_may, DisputeAction, Refusal};
use beatbook_core::rules::risk::assess;
use beatbook_core::rules::schedule::{
    deadline_state, feedback_due, follow_up_dates, mediation_deadline, needs_contact_alert,
    DeadlineState,
};
use beatbook_i18n::{Lang, Localize};
use beatbook_model::dates::parse_date_input;
use beatbook_model::text::{clean, limits};
use beatbook_model::{
    Dispute, DisputeDraft, DisputeStatus, Evaluation, Extension, ExtensionDecision, Field,
    Handover, Id, MediationSession, Meta, Officer, Party, PartyRole, Person, Resolution, Role,
    SessionResult, StatusChange, ValidationError, Visit, VisitChange, VisitChangeKind, VisitStatus,
};
use beatbook_store::{AnyRecord, DisputeSummary, Kind};
use chrono::{Days, NaiveDate};
use std::collections::{BTreeSet, HashMap};

/// One register row, names resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterRow {
    pub summary: DisputeSummary,
    pub party_names: Vec<String>,
    pub officer_name: String,
    pub deadline: Option<DeadlineState>,
    /// Resolved or following up, with every follow-up visit made: the chief may close.
    pub closable: bool,
}

/// Which disputes the register shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    /// None: open ones (not closed, referred or escalated); Some(s): exactly s.
    pub status: Option<DisputeStatus>,
    pub all_statuses: bool,
    pub category: Option<String>,
    pub min_risk: Option<beatbook_model::RiskLevel>,
    pub officer: Option<Id>,
    pub overdue_only: bool,
    pub text: String,
}

/// How the register is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RegisterSort {
    /// Highest risk first, then nearest deadline.
    #[default]
    Risk,
    /// Nearest (most overdue) mediation deadline first.
    Deadline,
    /// Newest report first.
    Reported,
}

/// Everything the dispute detail screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeDetail {
    pub dispute: Dispute,
    pub parties: Vec<(PersonCard, PartyRole)>,
    pub officer_name: String,
    pub station_name: String,
    pub visits: Vec<Visit>,
    pub timeline: Vec<TimelineEntry>,
    /// Labels of the indicators (ticked and implied) and fired rules, in the user's terms.
    pub indicator_labels: Vec<beatbook_i18n::Bi>,
    pub rule_labels: Vec<beatbook_i18n::Bi>,
    pub deadline: Option<DeadlineState>,
    pub closable: bool,
    pub open_follow_ups: usize,
    /// Name of the officer who recorded the resolution.
    pub resolution_officer: String,
    /// The earlier dispute this one recurs (复发，前案), when the session may read it.
    pub recurrence_of: Option<DisputeLink>,
    /// Later disputes registered as recurrences of this one.
    pub recurrences: Vec<DisputeLink>,
}

/// Another dispute a detail links to (a recurrence, either way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeLink {
    pub id: Id,
    pub title: String,
    pub reported_on: NaiveDate,
    pub status: DisputeStatus,
}

impl DisputeLink {
    fn of(d: &Dispute) -> DisputeLink {
        DisputeLink {
            id: d.meta.id,
            title: d.title.clone(),
            reported_on: d.reported_on,
            status: d.status,
        }
    }
}

/// One line of a dispute's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    pub date: NaiveDate,
    pub who: String,
    pub what: beatbook_i18n::Bi,
}

/// Something on a dispute that Today must show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeAlert {
    pub dispute: Id,
    pub title: String,
    pub risk: beatbook_model::RiskLevel,
    pub kind: AlertKind,
    pub officer_name: String,
    pub mine: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertKind {
    DeadlineOverdue { days: i64 },
    DeadlineSoon,
    FeedbackDue,
    NoContact { days: i64 },
    ExtensionPending,
    Closable,
}

/// A mediation session as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionForm {
    pub date: String,
    pub participants: String,
    pub method: String,
    pub result: Option<SessionResult>,
    pub agreement: String,
    pub notes: String,
}

/// A resolution as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolveForm {
    pub date: String,
    pub method: String,
    pub success: bool,
    pub how: String,
}

/// A referral or escalation as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandoverForm {
    pub to: String,
    pub reference: String,
    pub date: String,
    pub reason: String,
}

impl Service {
    fn dispute_config(&self) -> &beatbook_core::config::disputes::DisputeConfig {
        &self.settings.disputes
    }

    /// Reads a dispute for `action`: same station, a role that may, the revision the
    /// screen showed, and a status the workflow allows. Returns the next status too.
    fn dispute_for(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        action: DisputeAction,
    ) -> Result<(Dispute, DisputeStatus), ServiceError> {
        let d = self.readable::<Dispute>(session, id)?;
        check_writable(session, d.meta.station)?;
        if !role_may(session.role, action) {
            return Err(ServiceError::Workflow(Refusal::RoleMayNot {
                action,
                role: session.role,
            }));
        }
        check_revision(&d, revision)?;
        let next = next_status(d.status, action).map_err(ServiceError::Workflow)?;
        Ok((d, next))
    }

    /// Implied indicators from the data: the same parties in another recent dispute, a
    /// party in two or more recent disputes, a party on the watch list.
    ///
    /// One fact counts once: another dispute between the same parties implies
    /// `repeat_parties` only, not also `repeat_party` (which would make a rule such as
    /// "three or more indicators" fire on two facts). And an implied indicator the
    /// bureau's dictionary leaves out is not computed at all.
    fn implied_indicators(&self, d: &Dispute) -> Result<Vec<String>, ServiceError> {
        let config = self.dispute_config();
        let window = u64::from(config.limits.recurrence_window_days);
        let since = d
            .reported_on
            .checked_sub_days(Days::new(window))
            .unwrap_or(NaiveDate::MIN);
        let mine: BTreeSet<Id> = d.party_ids().collect();
        let mut out = BTreeSet::new();
        for person in &mine {
            let others: Vec<DisputeSummary> = self
                .store
                .person_disputes(*person)?
                .into_iter()
                .filter(|o| o.id != d.meta.id && o.reported_on >= since)
                .collect();
            for o in &others {
                if o.parties.iter().filter(|p| mine.contains(p)).count() >= 2 {
                    out.insert(implied::REPEAT_PARTIES.to_string());
                } else {
                    out.insert(implied::REPEAT_PARTY.to_string());
                }
            }
            if self.is_watch_listed(*person)? {
                out.insert(implied::WATCH_LIST.to_string());
            }
        }
        out.retain(|code| config.computes(code));
        Ok(out.into_iter().collect())
    }

    /// Recomputes implied indicators and the risk level of a dispute about to be saved.
    fn assess_risk(&self, d: &mut Dispute) -> Result<(), ServiceError> {
        d.implied_indicators = self.implied_indicators(d)?;
        let all: Vec<String> = d
            .indicators
            .iter()
            .chain(d.implied_indicators.iter())
            .cloned()
            .collect();
        let assessment = assess(&all, &self.dispute_config().rules);
        d.risk = assessment.level;
        d.fired_rules = assessment.fired;
        Ok(())
    }

    /// Checks the dictionary-bound fields of a draft.
    fn check_dictionary(&self, draft: &beatbook_model::ValidDispute) -> Result<(), ServiceError> {
        let config = self.dispute_config();
        let Some(category) = config.category(&draft.category) else {
            return Err(ValidationError::UnknownChoice {
                field: Field::Category,
                input: draft.category.clone(),
            }
            .into());
        };
        if !draft.subcategory.is_empty()
            && !category
                .subcategories
                .iter()
                .any(|s| s.code == draft.subcategory)
        {
            return Err(ValidationError::UnknownChoice {
                field: Field::Subcategory,
                input: draft.subcategory.clone(),
            }
            .into());
        }
        for code in &draft.indicators {
            match config.indicator(code) {
                Some(i) if !i.implied => {}
                _ => {
                    return Err(ValidationError::UnknownChoice {
                        field: Field::Indicators,
                        input: code.clone(),
                    }
                    .into())
                }
            }
        }
        Ok(())
    }

    /// Parties must be persons of the session's station.
    fn check_parties(&self, session: &Session, parties: &[Party]) -> Result<(), ServiceError> {
        for p in parties {
            let person = self
                .store
                .get::<Person>(p.person)?
                .ok_or(ServiceError::NotFound(Kind::Person))?;
            if person.meta.station != session.station {
                return Err(ServiceError::Forbidden(Forbidden::OtherStation));
            }
        }
        Ok(())
    }

    /// Open or recent disputes (within the recurrence window) that share at least two of
    /// `parties`: the duplicate guard shows them before a new registration.
    pub fn similar_disputes(
        &self,
        session: &Session,
        parties: &[Id],
    ) -> Result<Vec<DisputeSummary>, ServiceError> {
        self.authorize(session)?;
        let today = self.today();
        let window = u64::from(self.dispute_config().limits.recurrence_window_days);
        let since = today
            .checked_sub_days(Days::new(window))
            .unwrap_or(NaiveDate::MIN);
        let wanted: BTreeSet<Id> = parties.iter().copied().collect();
        let mut found: HashMap<Id, DisputeSummary> = HashMap::new();
        for person in &wanted {
            for s in self.store.person_disputes(*person)? {
                let shared = s.parties.iter().filter(|p| wanted.contains(p)).count();
                let relevant = s.status.is_open() || s.reported_on >= since;
                if shared >= 2
                    && relevant
                    && access::can_read_station(&session.principal(), s.station)
                {
                    found.insert(s.id, s);
                }
            }
        }
        let mut out: Vec<DisputeSummary> = found.into_values().collect();
        out.sort_by_key(|s| std::cmp::Reverse(s.reported_on));
        Ok(out)
    }

    /// Registers a new dispute (status reported) in the session's station.
    pub fn register_dispute(
        &self,
        session: &Session,
        draft: &DisputeDraft,
        assigned_to: Option<Id>,
        recurrence_of: Option<Id>,
    ) -> Result<Dispute, ServiceError> {
        let p = self.authorize(session)?;
        if !access::can_write_station(&p, session.station) {
            return Err(ServiceError::Forbidden(Forbidden::ReadOnlyRole(
                session.role,
            )));
        }
        let today = self.today();
        let v = draft.validate(today)?;
        self.check_dictionary(&v)?;
        self.check_parties(session, &v.parties)?;
        let assignee = assigned_to.unwrap_or(session.officer);
        if !access::can_assign_visit(&p, assignee) {
            return Err(ServiceError::Forbidden(Forbidden::AssignOthers));
        }
        self.check_assignee(session, assignee)?;
        if let Some(prev) = recurrence_of {
            self.readable::<Dispute>(session, prev)?;
        }
        let meta = Meta::new(session.station, self.now_utc(), session.officer);
        let mut d = Dispute::reported(meta, v, assignee, today, recurrence_of);
        self.assess_risk(&mut d)?;
        let alerts = self.watch_after_dispute(&d)?;
        let mut change = self
            .change(session, "dispute.register")
            .detail(format!("{} ({})", d.title, d.risk.localize(Lang::En)))
            .put(d);
        for alert in alerts {
            change = change.put(alert);
        }
        self.single_dispute(self.store.commit(&change)?)
    }

    pub(super) fn check_assignee(
        &self,
        session: &Session,
        assignee: Id,
    ) -> Result<(), ServiceError> {
        match self.store.get::<Officer>(assignee)? {
            Some(o)
                if o.active
                    && o.meta.station == session.station
                    && matches!(o.role, Role::Officer | Role::Chief) =>
            {
                Ok(())
            }
            _ => Err(ServiceError::BadAssignee),
        }
    }

    fn single_dispute(&self, saved: Vec<AnyRecord>) -> Result<Dispute, ServiceError> {
        saved
            .into_iter()
            .find_map(|r| match r {
                AnyRecord::Dispute(d) => Some(*d),
                _ => None,
            })
            .ok_or(ServiceError::NotFound(Kind::Dispute))
    }

    /// Changes a dispute's details (not its status); risk is assessed again.
    pub fn edit_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        draft: &DisputeDraft,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, _) = self.dispute_for(session, id, revision, DisputeAction::Edit)?;
        let v = draft.validate(self.today())?;
        self.check_dictionary(&v)?;
        self.check_parties(session, &v.parties)?;
        d.title = v.title;
        d.category = v.category;
        d.subcategory = v.subcategory;
        d.village = v.village;
        d.place = v.place;
        d.happened_on = v.happened_on;
        d.source = v.source;
        d.scale = v.scale;
        d.people_involved = v.people_involved;
        d.amount_fen = v.amount_fen;
        d.description = v.description;
        d.parties = v.parties;
        let complexity_changed = d.complexity != v.complexity;
        d.complexity = v.complexity;
        d.indicators = v.indicators;
        // A dispute found complex (or simple) after acceptance gets the deadline its
        // complexity gives, plus the extensions the chief approved.
        if let (true, Some(accepted), true) = (
            complexity_changed,
            d.accepted_on,
            d.status.mediation_running(),
        ) {
            let approved: u64 = d
                .extensions
                .iter()
                .filter(|e| e.decision.as_ref().is_some_and(|x| x.approved))
                .map(|e| u64::from(e.days))
                .sum();
            d.mediation_deadline =
                mediation_deadline(accepted, d.complexity, &self.dispute_config().limits)
                    .checked_add_days(Days::new(approved));
        }
        self.assess_risk(&mut d)?;
        let alerts = self.watch_after_dispute(&d)?;
        let mut change = self
            .change(session, "dispute.edit")
            .station(d.meta.station)
            .detail(d.title.clone())
            .put(d);
        for alert in alerts {
            change = change.put(alert);
        }
        self.single_dispute(self.store.commit(&change)?)
    }

    /// Saves a dispute (with any visits the same action writes) in one transaction.
    fn save_dispute(
        &self,
        session: &Session,
        action: &str,
        d: Dispute,
        visits: Vec<Visit>,
        detail: String,
    ) -> Result<Dispute, ServiceError> {
        let mut change = self
            .change(session, action)
            .station(d.meta.station)
            .detail(if detail.is_empty() {
                d.title.clone()
            } else {
                detail
            })
            .put(d);
        for v in visits {
            change = change.put(v);
        }
        self.single_dispute(self.store.commit(&change)?)
    }

    fn push_status(
        d: &mut Dispute,
        session: &Session,
        at: chrono::DateTime<chrono::Utc>,
        to: DisputeStatus,
        reason: String,
    ) {
        if d.status != to {
            d.history.push(StatusChange {
                at,
                by: session.officer,
                from: Some(d.status),
                to,
                reason,
            });
            d.status = to;
        }
    }

    /// Accepts a reported dispute: the mediation deadline (ordinary or complex) and the
    /// 24-hour feedback deadline start now.
    pub fn accept_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Accept)?;
        let now = self.now_utc();
        let today = self.today();
        let limits = &self.dispute_config().limits;
        d.accepted_on = Some(today);
        d.mediation_deadline = Some(mediation_deadline(today, d.complexity, limits));
        d.feedback_due = Some(feedback_due(now, limits));
        Self::push_status(&mut d, session, now, next, String::new());
        self.save_dispute(session, "dispute.accept", d, Vec::new(), String::new())
    }

    /// Records that the reporting party was given feedback.
    pub fn record_feedback(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, _) = self.dispute_for(session, id, revision, DisputeAction::RecordFeedback)?;
        if d.feedback_given.is_some() {
            return Err(ServiceError::FeedbackAlreadyGiven);
        }
        d.feedback_given = Some(self.now_utc());
        self.save_dispute(session, "dispute.feedback", d, Vec::new(), String::new())
    }

    /// Adds a mediation session; the dispute is then being mediated.
    pub fn record_session(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        form: &SessionForm,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) =
            self.dispute_for(session, id, revision, DisputeAction::RecordSession)?;
        let today = self.today();
        let date = parse_date_input(Field::SessionDate, &form.date, today)?;
        if date > today {
            return Err(ValidationError::DateInFuture {
                field: Field::SessionDate,
            }
            .into());
        }
        if d.accepted_on.is_some_and(|a| date < a) {
            return Err(ValidationError::DateBefore {
                field: Field::SessionDate,
                other: Field::AcceptedOn,
            }
            .into());
        }
        let result = form
            .result
            .ok_or(ValidationError::Required(Field::SessionResult))?;
        let now = self.now_utc();
        d.sessions.push(MediationSession {
            date,
            participants: clean(
                Field::Participants,
                &form.participants,
                limits::ADDRESS,
                true,
                false,
            )?,
            method: clean(
                Field::SessionMethod,
                &form.method,
                limits::SHORT,
                false,
                false,
            )?,
            result,
            agreement: clean(
                Field::AgreementText,
                &form.agreement,
                limits::NOTES,
                false,
                true,
            )?,
            notes: clean(Field::Notes, &form.notes, limits::NOTES, false, true)?,
            recorded_by: session.officer,
            recorded_at: now,
        });
        d.last_contact = d.last_contact.max(Some(date));
        Self::push_status(&mut d, session, now, next, String::new());
        self.save_dispute(session, "dispute.session", d, Vec::new(), String::new())
    }

    /// Resolves a dispute and schedules its follow-up visits from the configured rhythm
    /// (more often for red and orange ones), assigned to the dispute's officer.
    pub fn resolve_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        form: &ResolveForm,
    ) -> Result<(Dispute, Vec<Visit>), ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Resolve)?;
        let today = self.today();
        let date = parse_date_input(Field::ResolutionDate, &form.date, today)?;
        if date > today {
            return Err(ValidationError::DateInFuture {
                field: Field::ResolutionDate,
            }
            .into());
        }
        if let Some(accepted) = d.accepted_on {
            if date < accepted {
                return Err(ValidationError::DateBefore {
                    field: Field::ResolutionDate,
                    other: Field::AcceptedOn,
                }
                .into());
            }
        }
        let now = self.now_utc();
        d.resolution = Some(Resolution {
            date,
            method: clean(
                Field::ResolutionMethod,
                &form.method,
                limits::SHORT,
                true,
                false,
            )?,
            officer: session.officer,
            success: form.success,
            how: clean(Field::How, &form.how, limits::NOTES, true, true)?,
        });
        Self::push_status(&mut d, session, now, next, String::new());
        let plan = follow_up_dates(date, d.risk, &self.dispute_config().rhythm);
        let visits: Vec<Visit> = plan
            .into_iter()
            .filter(|due| *due >= today)
            .enumerate()
            .map(|(n, due)| self.dispute_visit(session, &d, due, n + 1))
            .collect();
        let count = visits.len();
        let mut change = self
            .change(session, "dispute.resolve")
            .station(d.meta.station)
            .detail(format!("resolved; {count} follow-up visits scheduled"))
            .put(d);
        for v in visits {
            change = change.put(v);
        }
        // Return the records as stored (revision, timestamps), not the drafts: a caller
        // acting on a returned visit must not meet a revision conflict.
        let mut saved = None;
        let mut planned = Vec::with_capacity(count);
        for record in self.store.commit(&change)? {
            match record {
                AnyRecord::Dispute(d) => saved = Some(*d),
                AnyRecord::Visit(v) => planned.push(v),
                _ => {}
            }
        }
        let saved = saved.ok_or(ServiceError::NotFound(Kind::Dispute))?;
        Ok((saved, planned))
    }

    /// A follow-up visit of a dispute: subject the dispute and its first party, covering
    /// every party (who was met is recorded when it is done).
    fn dispute_visit(&self, session: &Session, d: &Dispute, due: NaiveDate, n: usize) -> Visit {
        let days = (due - d.resolution.as_ref().map_or(due, |r| r.date)).num_days();
        let meta = Meta::new(d.meta.station, self.now_utc(), session.officer);
        Visit::dispute_follow_up(meta, d, due, days, n)
    }

    /// Hands a dispute to another body (referral) or opens a case (escalation).
    pub fn hand_over_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        escalate: bool,
        form: &HandoverForm,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let action = if escalate {
            DisputeAction::Escalate
        } else {
            DisputeAction::Refer
        };
        let (mut d, next) = self.dispute_for(session, id, revision, action)?;
        let today = self.today();
        let date = parse_date_input(Field::HandoverDate, &form.date, today)?;
        // Like sessions and resolutions: a handover is recorded once it happened.
        if date > today {
            return Err(ValidationError::DateInFuture {
                field: Field::HandoverDate,
            }
            .into());
        }
        let now = self.now_utc();
        d.handover = Some(Handover {
            to: clean(Field::HandoverTo, &form.to, limits::SHORT, true, false)?,
            reference: clean(
                Field::Reference,
                &form.reference,
                limits::SHORT,
                false,
                false,
            )?,
            date,
        });
        let reason = clean(Field::Reason, &form.reason, limits::NOTES, false, true)?;
        Self::push_status(&mut d, session, now, next, reason);
        let cancelled = self.cancel_open_follow_ups(session, &d, "纠纷已移交/转案件")?;
        self.save_dispute(
            session,
            if escalate {
                "dispute.escalate"
            } else {
                "dispute.refer"
            },
            d,
            cancelled,
            String::new(),
        )
    }

    /// The dispute's still-owed visits, cancelled with `reason`.
    fn cancel_open_follow_ups(
        &self,
        session: &Session,
        d: &Dispute,
        reason: &str,
    ) -> Result<Vec<Visit>, ServiceError> {
        let now = self.now_utc();
        Ok(self
            .dispute_visits(d)?
            .into_iter()
            .filter(Visit::is_open)
            .map(|mut v| {
                v.status = VisitStatus::Cancelled;
                v.status_reason = reason.to_string();
                v.history.push(
                    VisitChange::new(now, session.officer, VisitChangeKind::Cancelled)
                        .reason(reason.to_string()),
                );
                v
            })
            .collect())
    }

    /// Every visit about a dispute, by due date (through the dispute's visit index).
    fn dispute_visits(&self, d: &Dispute) -> Result<Vec<Visit>, ServiceError> {
        let mut out = Vec::new();
        for summary in self.store.dispute_visit_summaries(d.meta.id)? {
            if let Some(v) = self.store.get::<Visit>(summary.id)? {
                out.push(v);
            }
        }
        out.sort_by_key(|v| (v.due, v.meta.id));
        Ok(out)
    }

    /// How many of a dispute's visits are still owed (index only).
    /// Counts what stands between a resolved dispute and closing: visits still owed, and
    /// missed visits nobody followed up (a miss is not a visit made; it needs a retry that
    /// is made, or cancelled with a reason).
    fn open_follow_ups(&self, dispute: Id) -> Result<usize, ServiceError> {
        let mut open = 0;
        for v in self.store.dispute_visit_summaries(dispute)? {
            match v.status {
                VisitStatus::Scheduled => open += 1,
                VisitStatus::Missed => {
                    let retried = self
                        .store
                        .get::<Visit>(v.id)?
                        .is_some_and(|full| full.next_visit.is_some());
                    if !retried {
                        open += 1;
                    }
                }
                VisitStatus::Done | VisitStatus::Cancelled => {}
            }
        }
        Ok(open)
    }

    /// A resolved dispute flares up again (复发): mediation starts over.
    pub fn reopen_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        reason: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Reopen)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        let now = self.now_utc();
        let today = self.today();
        Self::push_status(&mut d, session, now, next, reason);
        d.mediation_deadline = Some(mediation_deadline(
            today,
            d.complexity,
            &self.dispute_config().limits,
        ));
        self.assess_risk(&mut d)?;
        // The old plan belonged to the old resolution; the next resolution plans anew.
        let cancelled = self.cancel_open_follow_ups(session, &d, "纠纷复发，重新调解")?;
        self.save_dispute(session, "dispute.reopen", d, cancelled, String::new())
    }

    /// Asks the chief for more days to mediate.
    pub fn request_extension(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        days: &str,
        reason: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, _) =
            self.dispute_for(session, id, revision, DisputeAction::RequestExtension)?;
        if d.pending_extension().is_some() {
            return Err(ServiceError::ExtensionPending);
        }
        let days = parse_days(days)?;
        let reason = clean(Field::Reason, reason, limits::NOTES, true, true)?;
        d.extensions.push(Extension {
            requested_at: self.now_utc(),
            requested_by: session.officer,
            days,
            reason,
            decision: None,
        });
        self.save_dispute(
            session,
            "dispute.extension_request",
            d,
            Vec::new(),
            String::new(),
        )
    }

    /// The chief approves (deadline moves) or rejects the pending extension request.
    pub fn decide_extension(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        approve: bool,
        remarks: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, _) = self.dispute_for(session, id, revision, DisputeAction::DecideExtension)?;
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, !approve, true)?;
        let now = self.now_utc();
        let Some(ext) = d.extensions.iter_mut().rev().find(|e| e.decision.is_none()) else {
            return Err(ServiceError::NoExtensionPending);
        };
        ext.decision = Some(ExtensionDecision {
            approved: approve,
            by: session.officer,
            at: now,
            remarks,
        });
        if approve {
            let days = u64::from(ext.days);
            d.mediation_deadline = d
                .mediation_deadline
                .and_then(|dl| dl.checked_add_days(Days::new(days)));
        }
        self.save_dispute(
            session,
            "dispute.extension_decision",
            d,
            Vec::new(),
            String::new(),
        )
    }

    /// Closes a resolved dispute (chief): every follow-up visit must be done or cancelled.
    pub fn close_dispute(
        &self,
        session: &Session,
        id: Id,
        revision: u64,
        remarks: &str,
    ) -> Result<Dispute, ServiceError> {
        self.authorize(session)?;
        let (mut d, next) = self.dispute_for(session, id, revision, DisputeAction::Close)?;
        let open = self.open_follow_ups(d.meta.id)?;
        if open > 0 {
            return Err(ServiceError::OpenFollowUps(open));
        }
        let now = self.now_utc();
        let remarks = clean(Field::Remarks, remarks, limits::NOTES, false, true)?;
        d.evaluation = Some(Evaluation {
            date: self.today(),
            remarks,
        });
        Self::push_status(&mut d, session, now, next, String::new());
        self.save_dispute(session, "dispute.close", d, Vec::new(), String::new())
    }

    /// Called inside a visit save: the dispute a visit belongs to learns of the contact,
    /// moves to following-up, and red/orange ones get their next weekly visit once the
    /// plan is used up. Returns the records to write with the visit.
    pub(super) fn dispute_after_visit(
        &self,
        session: &Session,
        visit: &Visit,
        next_visit_planned: bool,
    ) -> Result<Vec<AnyRecord>, ServiceError> {
        let Some(id) = visit.subject.dispute else {
            return Ok(Vec::new());
        };
        let Some(mut d) = self.store.get::<Dispute>(id)? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<AnyRecord> = Vec::new();
        let today = self.today();
        if visit.status == VisitStatus::Done {
            d.last_contact = d.last_contact.max(Some(today));
            let next = beatbook_core::rules::disputes::follow_up_started(d.status);
            Self::push_status(&mut d, session, self.now_utc(), next, String::new());
        }
        let others_open = self
            .store
            .dispute_visit_summaries(d.meta.id)?
            .iter()
            .any(|v| v.status == VisitStatus::Scheduled && v.id != visit.meta.id);
        if d.risk.is_high() && d.status.is_open() && !others_open && !next_visit_planned {
            if let Some(due) = beatbook_core::rules::schedule::next_high_risk_visit(
                today,
                &self.dispute_config().rhythm,
            ) {
                out.push(self.dispute_visit(session, &d, due, 0).into());
            }
        }
        out.insert(0, d.into());
        Ok(out)
    }

    /// The earlier dispute this one recurs, and the later ones recurring it. A recurrence
    /// is between the same parties, so the later ones are found among the first party's
    /// disputes (index), not by reading the whole register.
    fn recurrence_links(
        &self,
        session: &Session,
        d: &Dispute,
    ) -> Result<(Option<DisputeLink>, Vec<DisputeLink>), ServiceError> {
        let p = session.principal();
        let earlier = match d.recurrence_of {
            Some(id) => self
                .store
                .get::<Dispute>(id)?
                .filter(|e| access::can_read_station(&p, e.meta.station))
                .map(|e| DisputeLink::of(&e)),
            None => None,
        };
        let mut later = Vec::new();
        if let Some(first) = d.party_ids().next() {
            for s in self.store.person_disputes(first)? {
                if s.id == d.meta.id || !access::can_read_station(&p, s.station) {
                    continue;
                }
                if let Some(other) = self.store.get::<Dispute>(s.id)? {
                    if other.recurrence_of == Some(d.meta.id) {
                        later.push(DisputeLink::of(&other));
                    }
                }
            }
        }
        later.sort_by_key(|l| (l.reported_on, l.id));
        Ok((earlier, later))
    }

    /// Everything about one dispute, names resolved.
    pub fn dispute_detail(&self, session: &Session, id: Id) -> Result<DisputeDetail, ServiceError> {
        self.authorize(session)?;
        let d = self.readable::<Dispute>(session, id)?;
        let config = self.dispute_config();
        let mut parties = Vec::new();
        for p in &d.parties {
            if let Some(person) = self.store.get::<Person>(p.person)? {
                parties.push((PersonCard::from(&person), p.role));
            }
        }
        let visits = self.dispute_visits(&d)?;
        let open_follow_ups = visits.iter().filter(|v| v.is_open()).count();
        let mut names: HashMap<Id, String> = HashMap::new();
        let mut name = |id: Id| -> String {
            names
                .entry(id)
                .or_insert_with(|| match self.store.get::<Officer>(id) {
                    Ok(Some(o)) => o.display_name,
                    _ => "?".into(),
                })
                .clone()
        };
        let mut timeline = Vec::new();
        // When each entry happened, to order entries of the same day.
        let mut instants = Vec::new();
        let tz = self.now().timezone();
        for h in &d.history {
            instants.push(h.at);
            timeline.push(TimelineEntry {
                date: h.at.with_timezone(&tz).date_naive(),
                who: name(h.by),
                what: beatbook_i18n::Bi::new(
                    format!(
                        "{}{}",
                        h.to.localize(Lang::Zh),
                        reason_suffix(&h.reason, Lang::Zh)
                    ),
                    format!(
                        "{}{}",
                        h.to.localize(Lang::En),
                        reason_suffix(&h.reason, Lang::En)
                    ),
                ),
            });
        }
        for s in &d.sessions {
            instants.push(s.recorded_at);
            timeline.push(TimelineEntry {
                date: s.date,
                who: name(s.recorded_by),
                what: beatbook_i18n::Bi::new(
                    format!(
                        "调解：{}（{}）",
                        s.result.localize(Lang::Zh),
                        s.participants
                    ),
                    format!(
                        "mediation: {} ({})",
                        s.result.localize(Lang::En),
                        s.participants
                    ),
                ),
            });
        }
        for e in &d.extensions {
            instants.push(e.requested_at);
            timeline.push(TimelineEntry {
                date: e.requested_at.with_timezone(&tz).date_naive(),
                who: name(e.requested_by),
                what: beatbook_i18n::Bi::new(
                    format!("申请延期 {} 天：{}", e.days, e.reason),
                    format!("extension of {} days requested: {}", e.days, e.reason),
                ),
            });
            if let Some(dec) = &e.decision {
                instants.push(dec.at);
                timeline.push(TimelineEntry {
                    date: dec.at.with_timezone(&tz).date_naive(),
                    who: name(dec.by),
                    what: if dec.approved {
                        beatbook_i18n::Bi::new("批准延期", "extension approved")
                    } else {
                        beatbook_i18n::Bi::new(
                            format!("不批准延期：{}", dec.remarks),
                            format!("extension rejected: {}", dec.remarks),
                        )
                    },
                });
            }
        }
        for v in &visits {
            if v.status != VisitStatus::Scheduled {
                // When and by whom it was done, missed or cancelled (a cancelled visit
                // has no completion time; its due date may lie weeks ahead).
                let (at, by) = v
                    .history
                    .last()
                    .map_or((v.meta.updated_at, v.assigned_to), |c| (c.at, c.by));
                instants.push(at);
                // Who was met, when the follow-up covered several parties.
                let met = if v.parties.is_empty() || v.status != VisitStatus::Done {
                    None
                } else {
                    Some(
                        v.contacted()
                            .iter()
                            .filter_map(|id| {
                                parties
                                    .iter()
                                    .find(|(c, _)| c.id == *id)
                                    .map(|(c, _)| c.name.clone())
                            })
                            .collect::<Vec<_>>(),
                    )
                };
                let met_text = |lang: Lang| match &met {
                    None => String::new(),
                    Some(names) if names.is_empty() => {
                        lang.pick("（未见到当事人）", " (no party met)").to_string()
                    }
                    Some(names) => match lang {
                        Lang::Zh => format!("（见到：{}）", names.join("、")),
                        Lang::En => format!(" (met: {})", names.join(", ")),
                    },
                };
                timeline.push(TimelineEntry {
                    date: at.with_timezone(&tz).date_naive(),
                    who: name(by),
                    what: beatbook_i18n::Bi::new(
                        format!(
                            "回访{}{}{}",
                            v.status.localize(Lang::Zh),
                            v.outcome
                                .map(|o| format!("：{}", o.localize(Lang::Zh)))
                                .unwrap_or_default(),
                            met_text(Lang::Zh)
                        ),
                        format!(
                            "visit {}{}{}",
                            v.status.localize(Lang::En),
                            v.outcome
                                .map(|o| format!(": {}", o.localize(Lang::En)))
                                .unwrap_or_default(),
                            met_text(Lang::En)
                        ),
                    ),
                });
            }
        }
        let mut keyed: Vec<_> = instants.into_iter().zip(timeline).collect();
        keyed.sort_by_key(|(at, t)| (t.date, *at));
        let timeline: Vec<TimelineEntry> = keyed.into_iter().map(|(_, t)| t).collect();
        let label = |code: &str| -> beatbook_i18n::Bi {
            match config.indicator(code) {
                Some(i) => beatbook_i18n::Bi::new(i.zh.clone(), i.en.clone()),
                None => beatbook_i18n::Bi::new(code, code),
            }
        };
        let indicator_labels = d
            .indicators
            .iter()
            .chain(d.implied_indicators.iter())
            .map(|c| label(c))
            .collect();
        let rule_labels = d
            .fired_rules
            .iter()
            .map(|id| match config.rules.iter().find(|r| &r.id == id) {
                Some(r) => beatbook_i18n::Bi::new(
                    format!("{}（{}）", r.zh, r.level.localize(Lang::Zh)),
                    format!("{} ({})", r.en, r.level.localize(Lang::En)),
                ),
                None => beatbook_i18n::Bi::new(id.clone(), id.clone()),
            })
            .collect();
        let now_local = self.now().naive_local();
        let deadline = d
            .mediation_deadline
            .filter(|_| d.status.mediation_running())
            .map(|dl| deadline_state(dl, now_local));
        let resolution_officer = d
            .resolution
            .as_ref()
            .map(|r| name(r.officer))
            .unwrap_or_default();
        let (recurrence_of, recurrences) = self.recurrence_links(session, &d)?;
        Ok(DisputeDetail {
            resolution_officer,
            recurrence_of,
            recurrences,
            officer_name: name(d.assigned_to),
            station_name: self.station_name(d.meta.station),
            closable: is_closable(d.status, open_follow_ups),
            open_follow_ups,
            parties,
            visits,
            timeline,
            indicator_labels,
            rule_labels,
            deadline,
            dispute: d,
        })
    }

    /// The register: a station's disputes (a supervisor's: every station's), filtered and
    /// sorted, from the index entries alone.
    pub fn dispute_register(
        &self,
        session: &Session,
        filter: &RegisterFilter,
        sort: RegisterSort,
    ) -> Result<Vec<RegisterRow>, ServiceError> {
        self.authorize(session)?;
        let stations: Vec<Id> = match session.role {
            Role::Supervisor => self.stations()?.into_iter().map(|s| s.meta.id).collect(),
            Role::Admin => return Err(ServiceError::Forbidden(Forbidden::NoCaseData)),
            _ => vec![session.station],
        };
        let statuses: Vec<DisputeStatus> = match (filter.status, filter.all_statuses) {
            (Some(s), _) => vec![s],
            (None, true) => Vec::new(),
            (None, false) => DisputeStatus::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .collect(),
        };
        let now_local = self.now().naive_local();
        let mut names = PartyNames::default();
        let mut officers: HashMap<Id, String> = HashMap::new();
        let mut rows = Vec::new();
        for station in stations {
            for s in self.store.station_disputes(station, &statuses)? {
                if filter.category.as_ref().is_some_and(|c| *c != s.category)
                    || filter.min_risk.is_some_and(|r| s.risk < r)
                    || filter.officer.is_some_and(|o| o != s.assigned_to)
                {
                    continue;
                }
                let deadline = s
                    .deadline
                    .filter(|_| s.status.mediation_running())
                    .map(|dl| deadline_state(dl, now_local));
                let overdue = matches!(deadline, Some(DeadlineState::Overdue { .. }));
                if filter.overdue_only && !overdue {
                    continue;
                }
                let party_names: Vec<String> = s
                    .parties
                    .iter()
                    .map(|p| names.get(self, s.station, *p))
                    .collect::<Result<_, _>>()?;
                let query = filter.text.trim();
                if !query.is_empty()
                    && !beatbook_core::search::text_matches(query, &s.title)
                    && !beatbook_core::search::text_matches(query, &s.village)
                    && !party_names
                        .iter()
                        .any(|n| beatbook_core::search::text_matches(query, n))
                {
                    continue;
                }
                let officer_name = officers
                    .entry(s.assigned_to)
                    .or_insert_with(|| match self.store.get::<Officer>(s.assigned_to) {
                        Ok(Some(o)) => o.display_name,
                        _ => "?".into(),
                    })
                    .clone();
                rows.push(RegisterRow {
                    closable: false,
                    deadline,
                    party_names,
                    officer_name,
                    summary: s,
                });
            }
        }
        self.mark_closable(&mut rows)?;
        sort_rows(&mut rows, sort);
        Ok(rows)
    }

    /// Resolved/following-up rows whose follow-ups are all made.
    fn mark_closable(&self, rows: &mut [RegisterRow]) -> Result<(), ServiceError> {
        for row in rows.iter_mut() {
            if matches!(
                row.summary.status,
                DisputeStatus::Resolved | DisputeStatus::FollowingUp
            ) {
                let open = self.open_follow_ups(row.summary.id)?;
                row.closable = is_closable(row.summary.status, open);
            }
        }
        Ok(())
    }

    /// Dispute matters Today must show: deadlines overdue or within 24 h, feedback owed,
    /// red/orange disputes without contact, pending extensions and closable disputes (for
    /// the chief).
    pub fn dispute_alerts(
        &self,
        session: &Session,
        mine_only: bool,
    ) -> Result<Vec<DisputeAlert>, ServiceError> {
        self.authorize(session)?;
        if session.role == Role::Admin {
            return Err(ServiceError::Forbidden(Forbidden::NoCaseData));
        }
        let filter = RegisterFilter {
            officer: mine_only.then_some(session.officer),
            ..Default::default()
        };
        let rows = self.dispute_register(session, &filter, RegisterSort::Deadline)?;
        let today = self.today();
        let now = self.now_utc();
        let limits = &self.dispute_config().limits;
        let chief = session.role == Role::Chief;
        let mut alerts = Vec::new();
        for row in rows {
            let s = &row.summary;
            let mut push = |kind| {
                alerts.push(DisputeAlert {
                    dispute: s.id,
                    title: s.title.clone(),
                    risk: s.risk,
                    kind,
                    officer_name: row.officer_name.clone(),
                    mine: s.assigned_to == session.officer,
                })
            };
            match row.deadline {
                Some(DeadlineState::Overdue { days }) => push(AlertKind::DeadlineOverdue { days }),
                Some(DeadlineState::DueWithin24h) => push(AlertKind::DeadlineSoon),
                _ => {}
            }
            if s.feedback_due
                .is_some_and(|due| due <= now + chrono::Duration::hours(24))
                && !s.feedback_given
            {
                push(AlertKind::FeedbackDue);
            }
            let reference = s.accepted_on.unwrap_or(s.reported_on);
            // Once resolved, the follow-up plan sets the contact rhythm (and overdue
            // visits show on Today); before that, red/orange need contact every few days.
            let before_resolution = s.status.is_open()
                && !matches!(
                    s.status,
                    DisputeStatus::Resolved | DisputeStatus::FollowingUp
                );
            if before_resolution
                && needs_contact_alert(s.risk, s.last_contact, reference, today, limits)
            {
                let since = s.last_contact.unwrap_or(reference);
                push(AlertKind::NoContact {
                    days: (today - since).num_days(),
                });
            }
            if chief && s.extension_pending {
                push(AlertKind::ExtensionPending);
            }
            if chief && row.closable {
                push(AlertKind::Closable);
            }
        }
        Ok(alerts)
    }
}

fn reason_suffix(reason: &str, lang: Lang) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("：{reason}"),
            Lang::En => format!(": {reason}"),
        }
    }
}

fn parse_days(input: &str) -> Result<u32, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValidationError::Required(Field::Days));
    }
    // 0 is not "negative" and 91 is a whole number: say what is allowed.
    match s.parse::<i64>() {
        Ok(n) if (1..=90).contains(&n) => Ok(n as u32),
        Ok(_) => Err(ValidationError::OutOfRange {
            field: Field::Days,
            min: 1,
            max: 90,
        }),
        Err(_) => Err(ValidationError::InvalidNumber {
            field: Field::Days,
            input: s.to_string(),
        }),
    }
}

/// A resolved dispute whose follow-ups are all made may be closed.
fn is_closable(status: DisputeStatus, open_follow_ups: usize) -> bool {
    matches!(status, DisputeStatus::Resolved | DisputeStatus::FollowingUp) && open_follow_ups == 0
}

fn sort_rows(rows: &mut [RegisterRow], sort: RegisterSort) {
    let deadline_key = |r: &RegisterRow| r.summary.deadline.unwrap_or(NaiveDate::MAX);
    match sort {
        RegisterSort::Risk => rows.sort_by(|a, b| {
            b.summary
                .risk
                .cmp(&a.summary.risk)
                .then(deadline_key(a).cmp(&deadline_key(b)))
                .then(a.summary.id.cmp(&b.summary.id))
        }),
        RegisterSort::Deadline => rows.sort_by(|a, b| {
            deadline_key(a)
                .cmp(&deadline_key(b))
                .then(b.summary.risk.cmp(&a.summary.risk))
                .then(a.summary.id.cmp(&b.summary.id))
        }),
        RegisterSort::Reported => rows.sort_by(|a, b| {
            b.summary
                .reported_on
                .cmp(&a.summary.reported_on)
                .then(b.summary.id.cmp(&a.summary.id))
        }),
    }
}

/// Caches party names while building the register.
#[derive(Default)]
struct PartyNames(HashMap<Id, String>);

impl PartyNames {
    fn get(&mut self, service: &Service, station: Id, person: Id) -> Result<String, ServiceError> {
        if let Some(n) = self.0.get(&person) {
            return Ok(n.clone());
        }
        let name = service.person_summary(station, person)?.name;
        self.0.insert(person, name.clone());
        Ok(name)
    }
}
