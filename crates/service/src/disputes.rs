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

mod detail;
mod follow_ups;
mod register;
pub(crate) use register::Parties;
mod workflow;

/// One register row, names resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterRow {
    pub summary: DisputeSummary,
    /// In the order of `summary.parties`; empty from
    /// [`Service::dispute_register_unnamed`], whose caller names the rows it shows.
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
    pub(crate) fn dispute_config(&self) -> &beatbook_core::config::disputes::DisputeConfig {
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
}

/// A resolved dispute whose follow-ups are all made may be closed.
fn is_closable(status: DisputeStatus, open_follow_ups: usize) -> bool {
    matches!(status, DisputeStatus::Resolved | DisputeStatus::FollowingUp) && open_follow_ups == 0
}
